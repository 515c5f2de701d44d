"""Browser-test plumbing: the two engines a card is read in — Debian's Chromium driven headless by Playwright,
and WebKit (the engine of AnkiMobile) through Debian's WebKitWebDriver under Xvfb —, a phone page that wraps a
card the way AnkiDroid and AnkiMobile do, and the cards of a built deck as the real Anki backend renders them.

No browser is downloaded: both are Debian packages (`make test` installs chromium, webkit2gtk-driver and xvfb).
A missing engine is an error, not a skip.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from string import Template
from typing import Any, Iterator, Protocol

JS = Path(__file__).resolve().parent / "js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WEBKIT_DRIVER = "WebKitWebDriver"  # Debian's webkit2gtk-driver; it starts WebKitGTK's MiniBrowser
XVFB = "Xvfb"
ENGINES = ("chromium", "webkit")
RETIRED_TAG = "deckgen::retired"


@dataclass(frozen=True)
class Phone:
    name: str
    width: int
    height: int
    platform: str  # the class the app adds to the body: "android" or "iphone"
    night_class: str  # the night-mode class this app adds (the other app adds the other spelling)


# Chromium reads the card as AnkiDroid's web view would, at two phone sizes. AnkiDroid marks night mode with
# `night_mode`, AnkiMobile with `nightMode`: giving each size only one spelling proves the stylesheet answers to both.
PHONES = (Phone("android-360x740", 360, 740, "android", "night_mode"),
          Phone("iphone-390x844", 390, 844, "iphone", "nightMode"))
# WebKit reads it as AnkiMobile would: an iPhone SE and an iPhone 12-15, with AnkiMobile's body classes.
WEBKIT_PHONES = (Phone("iphone-375x667", 375, 667, "iphone", "nightMode"),
                 Phone("iphone-390x844", 390, 844, "iphone", "nightMode"))
PHONES_OF = {"chromium": PHONES, "webkit": WEBKIT_PHONES}
MODES = ("light", "night")
DEVICE_SCALE = 3


@dataclass(frozen=True)
class CardSide:
    """One side of one card, exactly as `card.question()` / `card.answer()` return it."""

    card_id: str  # deckgen's id (the CardId field)
    ordinal: int  # Anki's card ordinal: 0 for Q&A, cloze number - 1 for cloze
    side: str  # "front" or "back"
    deck: str
    html: str
    retired: bool = False  # a card gone from the YAML, still shipped tagged deckgen::retired with its last fields

    @property
    def name(self) -> str:
        return f"{self.card_id}-{self.ordinal + 1}-{self.side}"


def card_sides(col) -> list[CardSide]:
    """Every card of the collection, front and back, rendered by Anki, in deck then due order."""
    sides = []
    for anki_id in col.find_cards("", order="c.did, c.due, c.ord"):
        card = col.get_card(anki_id)
        note = card.note()
        deck = col.decks.name(card.did)
        retired = RETIRED_TAG in note.tags
        sides.append(CardSide(note["CardId"], card.ord, "front", deck, card.question(), retired))
        sides.append(CardSide(note["CardId"], card.ord, "back", deck, card.answer(), retired))
    return sides


def body_classes(phone: Phone, mode: str, ordinal: int) -> str:
    classes = ["card", f"card{ordinal + 1}", "mobile", phone.platform]
    if mode == "night":
        classes.append(phone.night_class)
    return " ".join(classes)


def phone_page(side: CardSide, phone: Phone, mode: str) -> str:
    """The whole page the app's web view loads for this card side."""
    shell = Template((JS / "phone.html").read_text(encoding="utf-8"))
    return shell.substitute(classes=body_classes(phone, mode, side.ordinal), content=side.html)


def script(name: str) -> str:
    return (JS / name).read_text(encoding="utf-8")


@dataclass
class Requests:
    """Every request a browser context tried to make; each one is aborted, so nothing leaves the machine."""

    urls: list[str] = field(default_factory=list)
    allowed: set[str] = field(default_factory=set)

    def record(self, request) -> None:
        if request.url not in self.allowed:
            self.urls.append(request.url)

    def handle(self, route) -> None:
        if route.request.url in self.allowed:
            route.continue_()
        else:
            route.abort()


@contextlib.contextmanager
def chromium() -> Iterator:
    """Debian's Chromium, headless, with a fresh temporary profile (Playwright's default launch)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def phone_context(browser, phone: Phone, requests: Requests):
    context = browser.new_context(viewport={"width": phone.width, "height": phone.height},
                                  device_scale_factor=DEVICE_SCALE, is_mobile=True, has_touch=True,
                                  service_workers="block")
    context.route("**/*", requests.handle)
    context.on("request", requests.record)
    return context


# --- one interface over both engines -----------------------------------------------------------------
class PhonePage(Protocol):
    """A page the size of a phone's screen, in one engine, showing one card page at a time."""

    requests: Requests  # every request the page tried to make (each refused)

    def show(self, html: str) -> None: ...  # load a whole page and wait for its load event
    def evaluate(self, function: str) -> Any: ...  # run a JS function expression in the page, return its result
    def click(self, selector: str) -> None: ...  # a real click (input event) on the first match
    def screenshot(self, path: Path) -> None: ...
    def close(self) -> None: ...


class Engine(Protocol):
    name: str
    phones: tuple[Phone, ...]

    def page(self, phone: Phone) -> PhonePage: ...


@dataclass
class ChromiumPage:
    context: Any
    page: Any
    requests: Requests

    def show(self, html: str) -> None:
        self.page.set_content(html, wait_until="load")

    def evaluate(self, function: str) -> Any:
        return self.page.evaluate(function)

    def click(self, selector: str) -> None:
        self.page.click(selector)

    def screenshot(self, path: Path) -> None:
        self.page.screenshot(path=str(path), full_page=True)

    def close(self) -> None:
        self.context.close()


@dataclass
class ChromiumEngine:
    browser: Any
    name: str = "chromium"
    phones: tuple[Phone, ...] = PHONES

    def page(self, phone: Phone) -> ChromiumPage:
        requests = Requests()
        context = phone_context(self.browser, phone, requests)
        return ChromiumPage(context, context.new_page(), requests)


class WebDriverError(RuntimeError):
    pass


@dataclass
class WebDriver:
    """A W3C WebDriver session over plain HTTP (urllib and json)."""

    url: str  # the driver's base URL
    session: str = ""

    def call(self, method: str, path: str, body: dict | None = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.url}{path}", data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return json.loads(response.read())["value"]
        except urllib.error.HTTPError as exc:
            raise WebDriverError(f"{method} {path}: {exc.read().decode(errors='replace')[:500]}") from None

    def command(self, method: str, path: str, body: dict | None = None) -> Any:
        return self.call(method, f"/session/{self.session}{path}", body)

    def execute(self, script: str, *args: Any) -> Any:
        return self.command("POST", "/execute/sync", {"script": script, "args": list(args)})

    def execute_async(self, script: str, *args: Any) -> Any:
        return self.command("POST", "/execute/async", {"script": script, "args": list(args)})

    def element(self, selector: str) -> str:
        found = self.command("POST", "/element", {"using": "css selector", "value": selector})
        return next(iter(found.values()))


# The phone's screen is an iframe of the phone's size in an otherwise empty page: MiniBrowser's window cannot
# be narrower than its toolbar, and the iframe is a document of its own, with the phone's viewport.
_WEBKIT_SHOW = """
const [html, width, height, done] = arguments;
document.body.style.margin = "0";
let frame = document.querySelector("iframe");
if (!frame) { frame = document.createElement("iframe"); frame.style.border = "0"; document.body.appendChild(frame); }
frame.style.width = width + "px";
frame.style.height = height + "px";
frame.onload = () => done(null);
frame.srcdoc = html;
"""
_WEBKIT_EVALUATE = 'return document.querySelector("iframe").contentWindow.eval("(" + arguments[0] + ")()");'


@dataclass
class WebKitPage:
    driver: WebDriver
    phone: Phone
    requests: Requests

    def show(self, html: str) -> None:
        self.driver.execute_async(_WEBKIT_SHOW, html, self.phone.width, self.phone.height)

    def evaluate(self, function: str) -> Any:
        return self.driver.execute(_WEBKIT_EVALUATE, function)

    def click(self, selector: str) -> None:
        self.driver.command("POST", "/frame", {"id": 0})
        try:
            self.driver.command("POST", f"/element/{self.driver.element(selector)}/click", {})
        finally:
            self.driver.command("POST", "/frame/parent", {})

    def screenshot(self, path: Path) -> None:
        """The window's viewport: the phone's screen is its top-left corner (WebKitGTK's element screenshot
        is taken from the wrong place)."""
        path.write_bytes(base64.b64decode(self.driver.command("GET", "/screenshot")))

    def close(self) -> None:
        self.driver.command("POST", "/url", {"url": "about:blank"})


@dataclass
class WebKitEngine:
    driver: WebDriver
    requests: Requests  # every request the browser sent through the refusing proxy
    name: str = "webkit"
    phones: tuple[Phone, ...] = WEBKIT_PHONES

    def page(self, phone: Phone) -> WebKitPage:
        self.driver.command("POST", "/url", {"url": "about:blank"})
        return WebKitPage(self.driver, phone, self.requests)


class _Refuse(BaseHTTPRequestHandler):
    """A proxy that lets nothing out: it notes each request (a URL, or host:port for HTTPS) and answers 403."""

    def _refuse(self) -> None:
        self.server.requests.urls.append(self.path)  # type: ignore[attr-defined]
        self.send_error(403)

    do_GET = do_POST = do_HEAD = do_PUT = do_OPTIONS = do_CONNECT = _refuse

    def log_message(self, *args: Any) -> None:
        pass


@contextlib.contextmanager
def refusing_proxy() -> Iterator[tuple[int, Requests]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Refuse)
    server.requests = Requests()  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], server.requests  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def x_display() -> Iterator[str]:
    """$DISPLAY if there is one, else a private Xvfb for as long as the block runs."""
    if os.environ.get("DISPLAY"):
        yield os.environ["DISPLAY"]
        return
    if shutil.which(XVFB) is None:
        raise RuntimeError("WebKit needs an X display and Xvfb is not installed: `make test` installs xvfb")
    read, write = os.pipe()
    xvfb = subprocess.Popen([XVFB, "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
                            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    try:
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise RuntimeError(f"Xvfb did not start (exit status {xvfb.poll()})")
        yield f":{number}"
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_ready(driver: WebDriver, process: subprocess.Popen, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{WEBKIT_DRIVER} exited with status {process.returncode}")
        with contextlib.suppress(OSError, WebDriverError):
            if driver.call("GET", "/status").get("ready"):
                return
        time.sleep(0.05)
    raise RuntimeError(f"{WEBKIT_DRIVER} did not answer within {seconds} s")


@contextlib.contextmanager
def webkit() -> Iterator[WebKitEngine]:
    """WebKitGTK's MiniBrowser through Debian's WebKitWebDriver, on Xvfb, with a proxy that refuses every request."""
    if shutil.which(WEBKIT_DRIVER) is None:
        raise RuntimeError(f"{WEBKIT_DRIVER} is not installed: `make test` installs Debian's webkit2gtk-driver")
    with x_display() as display, refusing_proxy() as (proxy_port, requests):
        port = _free_port()
        process = subprocess.Popen([WEBKIT_DRIVER, f"--port={port}"], env={**os.environ, "DISPLAY": display},
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        driver = WebDriver(f"http://127.0.0.1:{port}")
        try:
            _wait_until_ready(driver, process)
            options = {"args": ["--automation", f"--proxy=http://127.0.0.1:{proxy_port}"]}
            created = driver.call("POST", "/session", {"capabilities": {"alwaysMatch": {
                "webkitgtk:browserOptions": options}}})
            driver.session = created["sessionId"]
            driver.command("POST", "/window/rect", {"width": 800, "height": 1000})
            try:
                yield WebKitEngine(driver, requests)
            finally:
                driver.call("DELETE", f"/session/{driver.session}")
        finally:
            process.terminate()
            process.wait(timeout=10)


@contextlib.contextmanager
def engine(name: str) -> Iterator[Engine]:
    """One of ENGINES, launched for as long as the block runs."""
    if name == "webkit":
        with webkit() as launched:
            yield launched
    else:
        with chromium() as browser:
            yield ChromiumEngine(browser)
