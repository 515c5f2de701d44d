"""Browser-test plumbing: Debian's Chromium driven headless by Playwright, a phone page that wraps a card
the way AnkiDroid and AnkiMobile do, and the cards of a built deck as the real Anki backend renders them."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import Iterator

JS = Path(__file__).resolve().parent / "js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@dataclass(frozen=True)
class Phone:
    name: str
    width: int
    height: int
    platform: str  # the class the app adds to the body: "android" or "iphone"
    night_class: str  # the night-mode class this app adds (the other app adds the other spelling)


# The two phone sizes of the issue. AnkiDroid marks night mode with `night_mode`, AnkiMobile with
# `nightMode`: giving each size only one spelling proves the stylesheet answers to both.
PHONES = (Phone("android-360x740", 360, 740, "android", "night_mode"),
          Phone("iphone-390x844", 390, 844, "iphone", "nightMode"))
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
        sides.append(CardSide(note["CardId"], card.ord, "front", deck, card.question()))
        sides.append(CardSide(note["CardId"], card.ord, "back", deck, card.answer()))
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
