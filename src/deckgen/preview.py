"""`deckgen preview`: every card, front and back, as a learner sees it — in one page that opens from disk.

The cards are rendered by Anki itself. The preview packages the deck exactly as `deckgen build` does
(same note types, same package code) into a temporary .apkg, imports it into a temporary collection
with the real Anki backend (the `anki` package) and takes each card's `question()` and `answer()`.
It never writes build/<output> or deck.lock: only build/preview/. Without the `anki` package it
stops with a message saying how to install it, rather than showing an imitation of Anki's renderer.

The page (templates/preview/) puts each side in a phone-width frame that carries the body classes
the phone apps add; a switch toggles night mode in every frame. `--screenshots` also saves a PNG of
both sides in light and night mode through headless Chromium (Playwright driving Debian's chromium):
of a small sample by default (see `sample`), or of the cards a `Selection` names.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import stat
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterator

import jinja2
from markupsafe import Markup

from . import pipeline, progress
from .diagnostics import DeckgenFailure, Diagnostic, Location, display_path
from .newfile import file_kind, open_new, unlink_quietly
from .package import write_apkg
from .render import environment, template_diagnostic
from .workspace import exclusive, in_the_way

PREVIEW_DIR = Path("build") / "preview"
INDEX_TEMPLATE = "preview/index.html"
CARD_TEMPLATE = "preview/card.html"
SCREENSHOT_SCALE = 2
MODES = ("light", "night")
NIGHT_CLASSES = "night_mode nightMode"
CHROMIUM_ARGS = ("--headless", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync")
LAUNCH_SECONDS = 60  # Chromium starts in a second or two; Playwright's own limit is 3 minutes


def install_hint() -> str:
    """Where the test tools are installed from: the make target runs in deckgen's own folder, not in the
    author's project, where the preview is asked for (a project has no Makefile)."""
    return (f"install the test tools: {_make('preview')} (or pip install deckgen's '.[test]' extras into the "
            f"Python that runs deckgen, {sys.executable})")


def _make(target: str) -> str:
    """`make TARGET` in deckgen's folder, named when deckgen runs from a checkout of it (an editable install)."""
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "Makefile").is_file() and (checkout / "pyproject.toml").is_file():
        return f"`make {target}` in deckgen's folder, {checkout}"
    return f"`make {target}` in deckgen's folder"


@dataclass(frozen=True)
class Phone:
    width: int
    height: int
    platform: str  # the class the app puts on the card's body: AnkiDroid's "android"


PHONE = Phone(360, 740, "android")


@dataclass(frozen=True)
class Citation:
    doc: str
    location: str  # "sources/<doc>.md:<line>" of the quoted passage


@dataclass(frozen=True)
class PreviewCard:
    """One Anki card: its two sides as Anki renders them, and where it comes from."""

    card_id: str
    deck: str  # subdeck, e.g. "Types"
    kind: str  # "qa" or "cloze"
    number: int  # Anki's ordinal + 1: the cloze number, 1 for Q&A
    location: str  # "cards/<file>.yaml:<line>"
    citations: tuple[Citation, ...]
    front: str  # card.question()
    back: str  # card.answer()

    @property
    def name(self) -> str:
        return f"{self.card_id}-{self.number}"


@dataclass(frozen=True)
class Frame:
    """A card and the two pages (front, back) its phone frames show."""

    card: PreviewCard
    front: str
    back: str


@dataclass(frozen=True)
class Subdeck:
    name: str
    anchor: str
    frames: tuple[Frame, ...]


@dataclass(frozen=True)
class Selection:
    """Which cards `--screenshots` shoots: named cards and subdecks, every card, or (nothing named) a sample."""

    card_ids: tuple[str, ...] = ()
    subdecks: tuple[str, ...] = ()
    every: bool = False


def write_preview(root: Path, *, screenshots: bool = False, selection: Selection = Selection()) -> list[Path]:
    """Write build/preview/index.html (and with `screenshots` build/preview/screenshots/); return what was written."""
    checked = pipeline.check(root)
    title = checked.project.settings.title
    out = root / PREVIEW_DIR
    if screenshots:
        _check_selection(checked, selection, title)
    shooter = _screenshot_tools(root) if screenshots else None  # fail before writing anything
    _refuse_what_is_in_the_way(root, [out, out / "screenshots"] if screenshots else [out])
    cards = render_cards(root, checked)
    env = _environment(root)
    _make_folder(root, out)
    with exclusive(root, out / "index.html", "preview"), _browser(shooter) as browser:
        _remove_leftovers(out)
        written = [_write_page(root, out / "index.html", _index_page(root, env, title, cards))]
        if browser is not None:
            shot = selected(cards, selection, title)
            written.append(_write_screenshots(root, env, browser, shot, out / "screenshots"))
    return written


# --- which cards are shot -------------------------------------------------------------------------
SAMPLE_SIZE = 4


def selected(cards: list[PreviewCard], selection: Selection, title: str = "") -> list[PreviewCard]:
    """The cards `selection` names (every side of each: all of a cloze's numbers), or the sample."""
    if selection.every:
        return cards
    if not selection.card_ids and not selection.subdecks:
        return sample(cards)
    decks = {_subdeck_name(name, title) for name in selection.subdecks}
    return [c for c in cards if c.card_id in selection.card_ids or c.deck in decks]


def sample(cards: list[PreviewCard]) -> list[PreviewCard]:
    """A few cards that show what the deck's cards look like: the first Q&A and the first cloze card,
    the longest back and the longest front (the layouts most likely to break), in deck order."""
    if not cards:
        return []
    chosen = [next((c for c in cards if c.kind == kind), None) for kind in ("qa", "cloze")]
    chosen += [max(cards, key=lambda c: len(c.back)), max(cards, key=lambda c: len(c.front))]
    names = {c.name for c in chosen if c is not None}
    return [c for c in cards if c.name in names][:SAMPLE_SIZE]


def _subdeck_name(name: str, title: str) -> str:
    """A subdeck as the card files name it ("1 Types"), also when given in full ("Deck::1 Types")."""
    return name[len(title) + 2:] if title and name.startswith(title + "::") else name


def _check_selection(checked: pipeline.Checked, selection: Selection, title: str) -> None:
    """Every card id and subdeck named exists: a misspelt one is an error, not an empty set of screenshots."""
    from difflib import get_close_matches

    problems = []
    ids = [trace.card.id for trace in checked.traces]
    decks = sorted({trace.card.deck for trace in checked.traces})
    for name, known, what in ([(i, ids, "card") for i in selection.card_ids]
                              + [(_subdeck_name(d, title), decks, "subdeck") for d in selection.subdecks]):
        if name not in known:
            close = get_close_matches(name, known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else (
                "subdecks: " + ", ".join(decks) if what == "subdeck" else "name a card by its id in cards/")
            problems.append(Diagnostic(Location("cards/"), f"no {what} '{name}' in this deck", hint,
                                       "unknown-card" if what == "card" else "unknown-subdeck"))
    if problems:
        raise DeckgenFailure(problems)


# --- cards, rendered by Anki ----------------------------------------------------------------------
def render_cards(root: Path, checked: pipeline.Checked) -> list[PreviewCard]:
    """Every card of the deck, rendered by the real Anki backend, in subdeck then YAML order."""
    collection_type = _anki_collection()
    with tempfile.TemporaryDirectory(prefix="deckgen-preview-") as scratch:
        apkg = _package(root, checked, Path(scratch) / "deck.apkg")
        col = collection_type(str(Path(scratch) / "collection.anki2"))
        try:
            rendered = _import_and_render(col, apkg)
        finally:
            col.close()
    cards = []
    for trace in checked.traces:
        card = trace.card
        citations = tuple(Citation(s.doc.id, f"{s.doc.path}:{s.units[0].line}" if s.units else s.doc.path)
                          for s in trace.supports + trace.context)
        for number, (front, back) in sorted(rendered.get(card.id, {}).items()):
            cards.append(PreviewCard(card.id, card.deck, card.kind.value, number, str(_line_only(card.location)),
                                     citations, front, back))
    order = {trace.card.id: i for i, trace in enumerate(checked.traces)}
    return sorted(cards, key=lambda c: (c.deck, order[c.card_id], c.number))


def _anki_collection():
    try:
        from anki.collection import Collection
    except ImportError:
        raise DeckgenFailure([Diagnostic(
            Location((PREVIEW_DIR / "index.html").as_posix()),
            "the preview renders every card with Anki's own backend, and the 'anki' package is not installed",
            install_hint())]) from None
    return Collection


def _package(root: Path, checked: pipeline.Checked, target: Path) -> Path:
    """The deck as `deckgen build` would package it (deleted cards left out), written to `target`."""
    plan = pipeline.plan(root, checked, int(time.time()))
    lock = replace(plan.lock, retired={})
    write_apkg(target, checked.project.settings, checked.note_types, lock, [note.card.id for note in checked.notes],
               lock.id_base, removed_description=checked.removed_description)
    return target


def _import_and_render(col, apkg: Path) -> dict[str, dict[int, tuple[str, str]]]:
    """deckgen card id -> {card number -> (front HTML, back HTML)}, as Anki renders them."""
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(apkg), options=ImportAnkiPackageOptions()))
    rendered: dict[str, dict[int, tuple[str, str]]] = {}
    for anki_id in col.find_cards(""):
        card = col.get_card(anki_id)
        rendered.setdefault(card.note()["CardId"], {})[card.ord + 1] = (card.question(), card.answer())
    return rendered


def _line_only(location: Location) -> Location:
    return Location(location.path, location.line)


# --- the page -------------------------------------------------------------------------------------
def _environment(root: Path) -> jinja2.Environment:
    return environment(root / "templates", autoescape=True)


def _render(root: Path, env: jinja2.Environment, name: str, **context) -> str:
    with _template_errors(root, name):
        return env.get_template(name).render(**context)


def _page(root: Path, env: jinja2.Environment, name: str, **context) -> io.BytesIO:
    """What a template makes, in UTF-8, encoded piece by piece as it is made: the page of a 10,000-card deck is
    160 MB of text, which as one string (two bytes a character, with its pieces besides) passed the templates'
    memory bound. Nothing but C runs between two pieces, so the time limit sees one template call, as in render."""
    page = io.BytesIO()
    with _template_errors(root, name), contextlib.closing(env.get_template(name).generate(**context)) as pieces:
        page.writelines(map(str.encode, pieces))
    return page


@contextlib.contextmanager
def _template_errors(root: Path, name: str) -> Iterator[None]:
    try:
        yield
    except jinja2.TemplateNotFound as exc:
        raise DeckgenFailure([Diagnostic(Location(f"templates/{exc.name}"), "preview template not found",
                                         "the preview's page, stylesheet and script live in templates/preview/")
                              ]) from None
    except Exception as exc:  # a Jinja error, an unreadable file, the template's own code failing (too long, too big)
        raise DeckgenFailure([template_diagnostic(exc, root, name)]) from None


def card_page(root: Path, env: jinja2.Environment, card: PreviewCard, side: str, mode: str) -> str:
    """The page a phone's web view shows for one side: the app's body classes around Anki's HTML."""
    classes = f"card card{card.number} mobile {PHONE.platform}" + (f" {NIGHT_CLASSES}" if mode == "night" else "")
    html = card.front if side == "front" else card.back
    return _render(root, env, CARD_TEMPLATE, classes=classes, content=Markup(html),
                   title=f"{card.card_id} {side}")


def _index_page(root: Path, env: jinja2.Environment, title: str, cards: list[PreviewCard]) -> io.BytesIO:
    frames = [Frame(card, card_page(root, env, card, "front", "light"), card_page(root, env, card, "back", "light"))
              for card in cards]
    names = sorted({c.deck for c in cards})
    anchors = _anchors(names)
    subdecks = [Subdeck(name, anchors[name], tuple(f for f in frames if f.card.deck == name)) for name in names]
    return _page(root, env, INDEX_TEMPLATE, title=title, subdecks=subdecks, phone=PHONE, total=len(cards))


def _anchors(names: list[str]) -> dict[str, str]:
    """Each subdeck's id in the page, "deck-" and its words (of any script), numbered where another's is the same
    ("Types" and "types!"): a link to the one must not lead to the other."""
    anchors: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        anchor = base = "deck-" + _slug(name)
        number = 1
        while anchor in taken:
            number += 1
            anchor = f"{base}-{number}"
        anchors[name] = anchor
        taken.add(anchor)
    return anchors


def _slug(text: str) -> str:
    return re.sub(r"[\W_]+", "-", text.lower()).strip("-")


def _write_page(root: Path, path: Path, page: io.BytesIO) -> Path:
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with open_new(partial, "wb") as staged:
            staged.write(page.getbuffer())
        os.replace(partial, path)
    except OSError as exc:
        if isinstance(exc, FileExistsError):  # a link planted there is never written through
            raise DeckgenFailure([Diagnostic(Location(path.as_posix()), f"cannot write: {in_the_way(path.parent, exc)}",
                                             "remove it and run deckgen preview again")]) from None
        unlink_quietly(partial)
        raise DeckgenFailure([Diagnostic(Location(path.as_posix()), f"cannot write: {exc.strerror or exc}")]) from None
    return path


def _make_folder(root: Path, folder: Path) -> None:
    """`folder` made if it is not there; a file in its place (or in its parent's: build/ made a FIFO, build/preview
    a file, a device) is one located error, not an internal one (mkdir's FileExistsError, NotADirectoryError)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        culprit = next((p for p in (folder, *folder.parents) if os.path.lexists(p) and not p.is_dir()), None)
        if culprit is None:
            raise DeckgenFailure([Diagnostic(Location(display_path(folder, root)),
                                             f"cannot write: {exc.strerror or exc}")]) from None
        raise DeckgenFailure([_not_a_folder(root, culprit, os.lstat(culprit).st_mode)]) from None


def _refuse_what_is_in_the_way(root: Path, folders: list[Path]) -> None:
    """Anything but a folder where one of `folders` goes (build/preview, its screenshots/), a symbolic link
    too, even to a folder: a link planted in build/ is never written through (the page was written, and the
    screenshots folder deleted and replaced, in the folder a link at build/preview led to, out of the project)."""
    for folder in folders:
        try:
            mode = os.lstat(folder).st_mode
        except (FileNotFoundError, NotADirectoryError):  # not there yet (build/ not a folder: _make_folder says so)
            continue
        if not stat.S_ISDIR(mode):
            raise DeckgenFailure([_not_a_folder(root, folder, mode)])


def _not_a_folder(root: Path, path: Path, mode: int) -> Diagnostic:
    kind = "a file" if stat.S_ISREG(mode) else "a symbolic link" if stat.S_ISLNK(mode) else file_kind(mode)
    return Diagnostic(Location(display_path(path, root)), f"cannot write: {kind}, not a folder",
                      "remove it and run deckgen preview again")


def _remove_leftovers(folder: Path) -> None:
    """What a killed preview left in build/preview: its page half written, the screenshots it was taking or was
    replacing (earlier versions' `.screenshots-XXXXXXXX` too). Safe: the caller holds the preview lock."""
    for left in [*folder.glob(".index.html.*.partial"), *folder.glob(".screenshots[.-]*")]:
        _remove(left)


def _remove(path: Path) -> None:
    """`path` removed with what it holds, if it is a folder; a symbolic link itself, never what it points to."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        unlink_quietly(path)


# --- screenshots ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Shooter:
    chromium: str  # the browser executable Playwright drives


SHOTS_AT = Location((PREVIEW_DIR / "screenshots").as_posix())


def _screenshot_tools(root: Path) -> Shooter:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise DeckgenFailure([Diagnostic(SHOTS_AT, "--screenshots needs Playwright, which is not installed",
                                         install_hint())]) from None
    chromium = os.environ.get("DECKGEN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).is_file():
        raise DeckgenFailure([Diagnostic(SHOTS_AT, "--screenshots needs Chromium, and `chromium` was not found",
                                         f"install Debian's chromium ({_make('chromium')}, or apt-get "
                                         "install chromium), or set DECKGEN_CHROMIUM to a Chromium executable")])
    return Shooter(chromium)


@contextlib.contextmanager
def _browser(shooter: Shooter | None) -> Iterator[Any]:
    """Chromium, started (before anything is written) and closed; None without `shooter`."""
    if shooter is None:
        yield None
        return
    from playwright.sync_api import Error as BrowserError, sync_playwright

    with sync_playwright() as playwright:
        args = list(CHROMIUM_ARGS) + (["--no-sandbox"] if os.geteuid() == 0 else [])
        try:
            browser = playwright.chromium.launch(executable_path=shooter.chromium, args=args,
                                                 timeout=LAUNCH_SECONDS * 1000)
        except BrowserError as exc:  # not a program, one that exits, one that never answers: Playwright's call log
            raise DeckgenFailure([Diagnostic(SHOTS_AT, f"Chromium ({shooter.chromium}) did not start: "
                                                       f"{_first_line(exc)}", CHROMIUM_HINT)]) from None
        try:
            yield browser
        finally:
            browser.close()


CHROMIUM_HINT = ("set DECKGEN_CHROMIUM to a Chromium executable that runs, or unset it and install Debian's "
                 "chromium (apt-get install chromium)")


def _first_line(exc: Exception) -> str:
    """What Playwright says went wrong, without the method's name and the call log after it."""
    message = (getattr(exc, "message", "") or str(exc)).strip().split("\n")[0]
    return re.sub(r"^\w+\.\w+: ", "", message)


def _write_screenshots(root: Path, env: jinja2.Environment, browser: Any, cards: list[PreviewCard],
                       target: Path) -> Path:
    """A PNG per card side and mode, written to a folder made new, which then replaces `target`."""
    from playwright.sync_api import Error as BrowserError

    staging = _new_folder(root, target.with_name(f".{target.name}.{os.getpid()}.partial"))
    try:
        try:
            for _ in progress.bar(_shots(root, env, browser, cards, staging), total=2 * len(MODES) * len(cards),
                                  label="screenshots", unit="PNG", delay=0):
                pass
        except BrowserError as exc:  # Chromium gone (killed, crashed) while it took them
            raise DeckgenFailure([Diagnostic(SHOTS_AT, f"Chromium stopped: {_first_line(exc)}; the screenshots "
                                                       "were left as they were",
                                             "run deckgen preview again")]) from None
        _put_in_place(root, staging, target)
    finally:
        _remove(staging)
    return target


def _new_folder(root: Path, path: Path) -> Path:
    """`path` made a folder, new (with the usual permissions, not mkdtemp's 0700): never one planted there."""
    try:
        path.mkdir()
    except OSError as exc:
        reason = in_the_way(root, exc) if isinstance(exc, FileExistsError) else exc.strerror or str(exc)
        raise DeckgenFailure([Diagnostic(Location(display_path(path, root)), f"cannot write: {reason}",
                                         "remove it and run deckgen preview again")]) from None
    return path


def _put_in_place(root: Path, staging: Path, target: Path) -> None:
    """`staging` renamed to `target`; what was there moved aside first (a rename never follows a link), then
    removed, or put back if `staging` cannot take its place."""
    aside = target.with_name(f".{target.name}.{os.getpid()}.old")
    try:
        if os.path.lexists(target):
            os.replace(target, aside)
        os.replace(staging, target)
    except OSError as exc:
        if os.path.lexists(aside) and not os.path.lexists(target):
            with contextlib.suppress(OSError):
                os.replace(aside, target)
        raise DeckgenFailure([Diagnostic(Location(display_path(target, root)),
                                         f"cannot write: {exc.strerror or exc}")]) from None
    _remove(aside)


def _shots(root: Path, env: jinja2.Environment, browser: Any, cards: list[PreviewCard],
           folder: Path) -> Iterator[Path]:
    """Each screenshot, mode by mode, yielding its file as it is written."""
    for mode in MODES:
        context = browser.new_context(viewport={"width": PHONE.width, "height": PHONE.height},
                                      device_scale_factor=SCREENSHOT_SCALE, is_mobile=True, has_touch=True)
        context.route("**/*", lambda route: route.abort())  # cards are studied offline: nothing is fetched
        page = context.new_page()
        try:
            for card in cards:
                for side in ("front", "back"):
                    path = folder / f"{card.name}-{side}-{mode}.png"
                    page.set_content(card_page(root, env, card, side, mode), wait_until="load")
                    page.screenshot(path=str(path), full_page=True)
                    yield path
        finally:
            context.close()
