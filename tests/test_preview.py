"""`deckgen preview`, run as a subprocess, and its page opened from disk in real headless Chromium."""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from browser import Requests, card_sides, chromium, script
from helpers import REPO, copy_project, import_apkg, open_collection, read_yaml_cards, run_cli, sha256
from mini_project import CARD_IDS, make_project

PHONE_WIDTH = 360
NIGHT_CLASSES = {"night_mode", "nightMode"}


# --- the real deck ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """Preview a copy of the project, then build it and render every card with the real Anki backend."""
    project = copy_project(tmp_path_factory.mktemp("preview") / "project")
    lock_before = sha256(project / "deck.lock")
    result = run_cli(project, "preview")
    assert result.returncode == 0, result.stderr
    index = project / "build" / "preview" / "index.html"
    untouched = {"lock": sha256(project / "deck.lock") == lock_before,
                 "build": sorted(p.name for p in (project / "build").iterdir())}

    assert run_cli(project, "build").returncode == 0
    settings, _ = read_yaml_cards(project)
    col = open_collection(tmp_path_factory.mktemp("anki") / "collection.anki2")
    try:
        import_apkg(col, project / "build" / settings["output"])
        sides = card_sides(col)
    finally:
        col.close()
    return project, result, index, untouched, sides


@pytest.fixture(scope="module")
def opened(preview):
    """The preview page opened from the file system, read in light mode, after Night, and after Light again."""
    _, _, index, _, sides = preview
    requests = Requests(allowed={index.as_uri()})
    errors: list[str] = []
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
        context.route("**/*", requests.handle)
        context.on("request", requests.record)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.goto(index.as_uri(), wait_until="load", timeout=120_000)
        read = script("preview_cards.js")
        states = {"light": page.evaluate(read)}
        page.click("button[data-set-mode=night]")
        states["night"] = page.evaluate(read)
        pressed = page.evaluate("[...document.querySelectorAll('button[data-set-mode]')]"
                                ".map(b => [b.dataset.setMode, b.getAttribute('aria-pressed')])")
        page.click("button[data-set-mode=light]")
        states["light again"] = page.evaluate(read)
        expected_html = page.evaluate(script("normalise_html.js"), [s.html for s in sides])
        context.close()
    return states, dict(pressed), requests.urls, errors, expected_html


def test_preview_prints_the_page_and_leaves_deck_and_lock_alone(preview):
    _, result, index, untouched, _ = preview
    assert result.stdout.split() == [str(index)]
    assert index.is_file()
    assert untouched == {"lock": True, "build": ["preview"]}


def test_every_card_front_and_back_is_shown_as_anki_renders_it(preview, opened):
    _, _, _, _, sides = preview
    states, _, _, _, expected_html = opened
    shown = {(card["cardId"], card["number"], frame["side"]): frame["html"]
             for card in states["light"] for frame in card["frames"]}
    assert sum(len(card["frames"]) for card in states["light"]) == len(shown), "a card side is shown twice"
    # The preview shows the deck's cards; the notes of retired cards it leaves out, as its page says.
    expected = {(s.card_id, s.ordinal + 1, s.side): html for s, html in zip(sides, expected_html) if not s.retired}
    assert shown.keys() == expected.keys()
    different = [key for key in expected if shown[key] != expected[key]]
    assert not different, f"{len(different)} sides differ from Anki's rendering, e.g. {different[:5]}"


def test_cards_are_grouped_by_subdeck(preview, opened):
    project, _, _, _, _ = preview
    states, *_ = opened
    _, cards = read_yaml_cards(project)
    subdeck = {c.id: c.deck.split("::", 1)[1] for c in cards}
    misplaced = [(c["cardId"], c["section"]) for c in states["light"] if c["section"] != subdeck[c["cardId"]]]
    assert not misplaced
    assert all(c["heading"] == c["section"] for c in states["light"])
    order = [c["section"] for c in states["light"]]
    runs = [name for i, name in enumerate(order) if i == 0 or order[i - 1] != name]
    assert sorted(runs) == sorted(set(subdeck.values())), "each subdeck is one group"


def test_each_card_names_its_id_and_where_it_comes_from(preview, opened):
    project, _, _, _, _ = preview
    states, *_ = opened
    _, cards = read_yaml_cards(project)
    docs = {c.id: set(c.docs) for c in cards}
    for card in states["light"]:
        path, line = card["location"].rsplit(":", 1)
        lines = (project / path).read_text(encoding="utf-8").split("\n")
        assert lines[int(line) - 1].strip() == f"- id: {card['cardId']}", card["location"]
        cited = set()
        for citation in card["citations"]:
            source, source_line = citation.rsplit(":", 1)
            assert source.startswith("sources/") and source.endswith(".md"), citation
            assert 1 <= int(source_line) <= len((project / source).read_text(encoding="utf-8").split("\n"))
            cited.add(Path(source).stem)
        assert docs[card["cardId"]] <= cited, card["cardId"]


def test_frames_are_phone_wide_carry_the_app_classes_and_fit_their_card(opened):
    states, *_ = opened
    for card in states["light"]:
        for frame in card["frames"]:
            where = f"{card['cardId']} {frame['side']}"
            assert frame["url"] == "about:srcdoc", where
            assert frame["width"] == PHONE_WIDTH, where
            assert frame["contentHeight"] <= frame["height"] + 1, f"{where}: the card is cut off"
            classes = set(frame["bodyClasses"].split())
            assert {"card", f"card{card['number']}", "mobile"} <= classes, where
            assert not classes & NIGHT_CLASSES, where


def test_the_night_switch_turns_every_card_dark_and_back(opened):
    states, pressed, _, _, _ = opened
    assert pressed == {"light": "false", "night": "true"}
    for mode, dark in (("light", False), ("night", True), ("light again", False)):
        for card in states[mode]:
            for frame in card["frames"]:
                classes = set(frame["bodyClasses"].split())
                assert (NIGHT_CLASSES <= classes) == dark and bool(NIGHT_CLASSES & classes) == dark, mode
                assert (_luminance(frame["background"]) < 0.1) == dark, (mode, card["cardId"], frame["background"])


def test_the_page_opens_from_disk_with_no_request_and_no_error(opened):
    _, _, urls, errors, _ = opened
    assert urls == []
    assert errors == []


# --- command behaviour, on a small project --------------------------------------------------------
def test_screenshots_of_every_card_in_light_and_night(tmp_path):
    project = make_project(tmp_path / "mini")
    stale = project / "build" / "preview" / "screenshots" / "stale.png"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"not a screenshot")
    result = run_cli(project, "preview", "--screenshots", "--all", timeout=300)
    assert result.returncode == 0, result.stderr
    assert "%|" not in result.stderr and "\r" not in result.stderr  # no progress bar without a terminal
    folder = project / "build" / "preview" / "screenshots"
    assert result.stdout.split() == [str(project / "build" / "preview" / "index.html"), str(folder)]

    # Each mini card makes one Anki card (its one cloze has a single deletion): number 1.
    expected = {f"{card_id}-1-{side}-{mode}.png" for card_id in CARD_IDS
                for side in ("front", "back") for mode in ("light", "night")}
    assert {p.name for p in folder.iterdir()} == expected
    for name in expected:
        width, height, (r, g, b) = _png_size_and_first_pixel(folder / name)
        assert width % PHONE_WIDTH == 0 and width // PHONE_WIDTH >= 2, name
        assert height >= width, name  # at least a phone screen's height
        luminance = _luminance(f"rgb({r}, {g}, {b})")
        assert (luminance < 0.1) if name.endswith("-night.png") else (luminance > 0.6), (name, luminance)


def _shot(folder: Path) -> set[str]:
    """The cards shot: the `<card id>-<number>` of each PNG, each of which has all four (2 sides x 2 modes)."""
    names = [p.name for p in folder.iterdir()]
    cards = {re.sub(r"-(front|back)-(light|night)\.png$", "", name) for name in names}
    assert len(names) == 4 * len(cards)
    return cards


def test_screenshots_of_a_sample_by_default_or_of_the_cards_named(tmp_path):
    project = make_project(tmp_path / "mini")
    folder = project / "build" / "preview" / "screenshots"
    assert run_cli(project, "preview", "--screenshots", timeout=300).returncode == 0
    sample = _shot(folder)
    assert 2 <= len(sample) <= 4 < len(CARD_IDS) + 1 and "obsidian-glass-1" in sample  # the cloze is in it

    result = run_cli(project, "preview", "--screenshots", "--card", "chalk-kind", "--subdeck", "Igneous", timeout=300)
    assert result.returncode == 0, result.stderr
    assert _shot(folder) == {"chalk-kind-1", "granite-minerals-1", "basalt-origin-1", "obsidian-glass-1"}
    assert run_cli(project, "preview", "--screenshots", "--subdeck", "Mini Stones::Other", timeout=300).returncode == 0
    assert _shot(folder) == {"marble-origin-1", "slate-sheets-1", "chalk-kind-1"}

    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    result = run_cli(project, "preview", "--screenshots", "--card", "chalk-knd", "--subdeck", "Sedimentary")
    assert result.returncode == 1
    assert "cards/: no card 'chalk-knd' in this deck" in result.stderr and "did you mean 'chalk-kind'?" in result.stderr
    assert "no subdeck 'Sedimentary'" in result.stderr and "Igneous" in result.stderr
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before
    assert run_cli(project, "preview", "--card", "chalk-kind").returncode == 2  # a filter without --screenshots


def _on_a_terminal(project: Path, *args: str) -> str:
    """What the command writes to a terminal (stdout and stderr on one pseudo-terminal)."""
    import fcntl
    import os
    import pty
    import termios

    env = {k: v for k, v in os.environ.items() if k not in ("DECKGEN_PROGRESS", "DECKGEN_DEBUG")}
    env.update(COLUMNS="100", TERM="xterm")
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))  # 30 rows, 100 columns
    process = subprocess.Popen([sys.executable, "-m", "deckgen", "--project", str(project), *args],
                               stdin=subprocess.DEVNULL, stdout=terminal, stderr=terminal, env=env)
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=300)
    os.close(controller)
    return b"".join(chunks).decode("utf-8", "replace")


def test_screenshots_show_a_progress_bar_on_a_terminal(tmp_path):
    project = make_project(tmp_path / "mini")
    shown = _on_a_terminal(project, "preview", "--screenshots", "--all")
    assert re.search(r"screenshots: +\d+%\|", shown), shown
    assert str(project / "build" / "preview" / "screenshots") in shown


def test_without_anki_the_preview_says_what_to_install_and_writes_nothing(tmp_path):
    project = make_project(tmp_path / "mini")
    blocked = "import sys; sys.modules['anki'] = None; from deckgen.cli import main; sys.exit(main(sys.argv[1:]))"
    result = subprocess.run([sys.executable, "-c", blocked, "--project", str(project), "preview"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.startswith("build/preview/index.html: ")
    assert "'anki' package is not installed" in result.stderr and "\n    hint: " in result.stderr
    # where to install it from: `make preview` runs in deckgen's folder, not in the project (which has no Makefile)
    assert f"hint: install the test tools: `make preview` in deckgen's folder, {REPO} (or pip install " in result.stderr
    assert f"into the Python that runs deckgen, {sys.executable})" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "build").exists()


def test_without_chromium_screenshots_are_refused_before_anything_is_written(tmp_path, monkeypatch):
    project = make_project(tmp_path / "mini")
    monkeypatch.setenv("DECKGEN_CHROMIUM", str(tmp_path / "no-such-chromium"))
    result = run_cli(project, "preview", "--screenshots")
    assert result.returncode == 1
    assert "Chromium" in result.stderr and "hint: " in result.stderr and "Traceback" not in result.stderr
    assert f"(`make chromium` in deckgen's folder, {REPO}, or apt-get install chromium)" in result.stderr
    assert not (project / "build").exists()


def test_content_errors_leave_the_previous_preview_untouched(tmp_path):
    project = make_project(tmp_path / "mini")
    assert run_cli(project, "preview").returncode == 0
    index = project / "build" / "preview" / "index.html"
    before = sha256(index)
    cards = project / "cards" / "igneous.yaml"
    cards.write_text(cards.read_text(encoding="utf-8").replace("answer: From lava.", "answer: From snow."),
                     encoding="utf-8")
    result = run_cli(project, "preview")
    assert result.returncode == 1
    assert re.search(r"^cards/igneous\.yaml:\d+:\d+: ", result.stderr, re.M), result.stderr
    assert sha256(index) == before


# --- small readers ----------------------------------------------------------------------------------
def _luminance(css_colour: str) -> float:
    r, g, b = (int(v) for v in re.findall(r"\d+", css_colour)[:3])

    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _png_size_and_first_pixel(path: Path) -> tuple[int, int, tuple[int, int, int]]:
    """Width, height and the top-left pixel of an 8-bit RGB(A) PNG, read with the standard library."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    offset, idat, header = 8, b"", None
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        body = data[offset + 8:offset + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        offset += 12 + length
    width, height, depth, colour_type = header
    assert depth == 8 and colour_type in (2, 6), path
    row = zlib.decompressobj().decompress(idat, 8)
    # On the first row every PNG filter predicts the first pixel from zeros, so its bytes are the pixel.
    return width, height, (row[1], row[2], row[3])
