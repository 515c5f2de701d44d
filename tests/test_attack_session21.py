"""Session 21's attack on `deckgen preview` (its page, and `--screenshots` through headless Chromium).

* build/preview/screenshots a file, a FIFO or a symbolic link (dangling, or to a folder out of the project): every
  screenshot was taken, then putting them in place failed with an internal error (exit 70, NotADirectoryError).
  Fixed: refused before anything is written, one located error, the thing left as it was.
* build/preview a symbolic link to a folder out of the project: the page was written there, and the folder's
  `screenshots/`, out of the project, deleted and replaced. Fixed: a link at build/preview (or below) is refused
  as a dangling one was; build/ itself may still be a link, as for `deckgen build`.
* A Chromium that does not start (DECKGEN_CHROMIUM a file that is not a program, a program that exits, one that
  never answers): an internal error (exit 70) with Playwright's whole call log, after 3 minutes for the last.
  Fixed: one located error naming the executable, within LAUNCH_SECONDS; the previous screenshots left as they were.
* A preview killed while taking screenshots left its staging folder (`build/preview/.screenshots-XXXX`, every PNG
  taken so far) for ever; two at once could fail (exit 70: the second's folder put in place between the first's
  removing the old one and putting its own there). Fixed: one preview of a project at a time
  (build/preview/.deckgen-preview.lock; a second one is refused fast), which removes what a killed one left. The
  screenshots folder, made by mkdtemp, was readable by its owner only (0700); it is made as any folder now.
* Subdecks whose names slug alike — any two in a script other than Latin ("Азбука", "Буквы": both `deck-`),
  or differing in case or punctuation only — got one id: the page's links all led to the first. Fixed: each its
  own.
* A 10,000-card deck (the size the README's targets are set at) could not be previewed: the page (160 MB) was made
  as one string, twice over with its pieces, counted as kept, and passed the templates' 1 GB memory bound, reported
  as an error in deckgen's own `preview/index.html:1`. Fixed: the page is made piece by piece into UTF-8 bytes.
* Held (tested here where no test covered it): card text that tries to break out of its frame (`"></iframe>`,
  `<script>`, an `onerror`, `</textarea>`, `javascript:`) shows as text and runs nothing in the page opened from disk;
  --card and --subdeck given odd values (empty, `../x`, a line break, unicode, a subdeck's `Title::`) are each one
  located error, nothing written; a --card given 3,000 times shoots the card once; the page, now made piece by
  piece, is still bounded as one template call, in time (an endless loop writing text) and in memory.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from browser import Requests, chromium, script
from helpers import REPO, run_cli
from mini_project import edit, make_project

PREVIEW = Path("build") / "preview"
SHOTS = PREVIEW / "screenshots"
PRECIOUS = "the user's own file, outside the project\n"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("base") / "project")


@pytest.fixture
def project(pristine, tmp_path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(pristine, copy, symlinks=True)
    return copy


def _outside(tmp_path: Path) -> Path:
    """A folder of the user's out of the project, a screenshots folder in it, each holding a file of theirs."""
    folder = tmp_path / "elsewhere"
    (folder / "screenshots").mkdir(parents=True)
    (folder / "index.html").write_text(PRECIOUS, encoding="utf-8")
    (folder / "screenshots" / "keep.png").write_text(PRECIOUS, encoding="utf-8")
    return folder


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*"))
            if p.is_file()}


def _clean_failure(done: subprocess.CompletedProcess) -> None:
    assert done.returncode == 1, done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr, done.stderr


# --- what stands where build/preview/screenshots goes ---------------------------------------------------------------
def _file(path: Path, outside: Path) -> None:
    path.write_text("not a folder\n", encoding="utf-8")


def _fifo(path: Path, outside: Path) -> None:
    os.mkfifo(path)


def _dangling(path: Path, outside: Path) -> None:
    os.symlink("nowhere", path)


def _link_out(path: Path, outside: Path) -> None:
    os.symlink(outside / "screenshots", path)


@pytest.mark.parametrize("make, kind", [(_file, "a file"), (_fifo, "a FIFO (named pipe)"),
                                        (_dangling, "a symbolic link"), (_link_out, "a symbolic link")])
def test_screenshots_with_no_folder_where_theirs_goes_is_refused_before_anything_is_written(project, tmp_path,
                                                                                           make, kind):
    outside = _outside(tmp_path)
    before = _tree(outside)
    (project / PREVIEW).mkdir(parents=True)
    make(project / SHOTS, outside)
    there = os.lstat(project / SHOTS)
    done = run_cli(project, "preview", "--screenshots", timeout=120)
    _clean_failure(done)  # was 70, NotADirectoryError, once every screenshot had been taken
    assert done.stderr.startswith(f"{SHOTS.as_posix()}: cannot write: {kind}, not a folder"), done.stderr
    assert "hint: remove it and run deckgen preview again" in done.stderr
    assert os.lstat(project / SHOTS) == there  # left as it was
    assert sorted(p.name for p in (project / PREVIEW).iterdir()) == ["screenshots"]  # no page, no staging folder
    assert _tree(outside) == before


@pytest.mark.parametrize("args", [(), ("--screenshots",)])
def test_a_preview_folder_linked_out_of_the_project_is_not_written_through(project, tmp_path, args):
    outside = _outside(tmp_path)
    before = _tree(outside)
    (project / "build").mkdir()
    os.symlink(outside, project / PREVIEW)
    done = run_cli(project, "preview", *args, timeout=120)
    _clean_failure(done)  # was 0: the page written out of the project, and its screenshots/ deleted and replaced
    assert done.stderr.startswith(f"{PREVIEW.as_posix()}: cannot write: a symbolic link, not a folder"), done.stderr
    assert _tree(outside) == before and sorted(p.name for p in outside.iterdir()) == ["index.html", "screenshots"]
    assert (project / PREVIEW).is_symlink()


def test_a_linked_build_folder_is_written_as_deckgen_build_writes_it(project, tmp_path):
    """build/ itself may be a link (to a faster disk, say): `deckgen build` writes through it, and so does preview."""
    elsewhere = tmp_path / "build-elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, project / "build")
    done = run_cli(project, "preview", timeout=120)
    assert done.returncode == 0, done.stderr
    assert (elsewhere / "preview" / "index.html").is_file()


# --- a browser that does not start ----------------------------------------------------------------------------------
def _not_a_program(folder: Path) -> Path:
    path = folder / "notes.txt"
    path.write_text("not a browser\n", encoding="utf-8")
    return path


def _exits_at_once(folder: Path) -> Path:
    path = folder / "exits"
    path.write_text("#!/bin/sh\necho 'this is no browser' >&2\nexit 3\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def _never_answers(folder: Path) -> Path:
    path = folder / "hangs"
    path.write_text("#!/bin/sh\nexec sleep 600\n", encoding="utf-8")
    path.chmod(0o755)
    return path


@pytest.mark.parametrize("browser", [_not_a_program, _exits_at_once, _never_answers])
def test_a_chromium_that_does_not_start_is_one_located_error(project, tmp_path, browser, monkeypatch):
    from deckgen.preview import LAUNCH_SECONDS

    shots = project / SHOTS
    shots.mkdir(parents=True)
    (shots / "earlier.png").write_bytes(b"an earlier screenshot")
    executable = browser(tmp_path)
    monkeypatch.setenv("DECKGEN_CHROMIUM", str(executable))
    started = time.monotonic()
    done = run_cli(project, "preview", "--screenshots", timeout=LAUNCH_SECONDS + 60)  # Playwright's own: 180 s
    _clean_failure(done)  # was 70, with Playwright's whole call log
    assert time.monotonic() - started < LAUNCH_SECONDS + 30
    assert done.stderr.startswith(f"{SHOTS.as_posix()}: Chromium ({executable}) did not start: "), done.stderr
    assert len(done.stderr.splitlines()) <= 3, done.stderr  # the message, its hint, the count
    assert "hint: set DECKGEN_CHROMIUM to a Chromium executable" in done.stderr
    assert sorted(p.name for p in shots.iterdir()) == ["earlier.png"]
    assert not [p for p in (project / PREVIEW).iterdir() if p.name.startswith(".screenshots")]


# --- killed, and two at once ----------------------------------------------------------------------------------------
def _staging(project: Path) -> list[Path]:
    return [p for p in (project / PREVIEW).iterdir() if p.name.startswith(".screenshots")]


def _shots_staged(project: Path) -> bool:
    try:
        return any(len(list(p.iterdir())) >= 2 for p in _staging(project) if p.is_dir())
    except FileNotFoundError:  # build/preview not made yet
        return False


def test_what_a_killed_preview_left_is_removed_by_the_next(project):
    process = subprocess.Popen([sys.executable, "-m", "deckgen", "--project", str(project), "preview",
                                "--screenshots", "--all"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not _shots_staged(project):
            assert time.monotonic() < deadline and process.poll() is None, "no screenshot was staged"
            time.sleep(0.02)
    finally:
        process.kill()
        process.wait()
    left = _staging(project)
    assert left and not (project / SHOTS).exists()  # what the kill left: screenshots taken, none in place
    index = project / PREVIEW / "index.html"
    (project / PREVIEW / f".index.html.{process.pid}.partial").write_text("half a page", encoding="utf-8")

    done = run_cli(project, "preview", "--screenshots", "--card", "chalk-kind", timeout=300)
    assert done.returncode == 0, done.stderr
    assert not any(p.exists() for p in left), "the killed preview's staging folder was kept for ever"
    assert sorted(p.name for p in (project / PREVIEW).iterdir() if not p.name.startswith(".deckgen-")) \
        == ["index.html", "screenshots"]
    assert index.is_file() and len(list((project / SHOTS).iterdir())) == 4
    umask = os.umask(0o022)
    os.umask(umask)
    assert (project / SHOTS).stat().st_mode & 0o777 == 0o777 & ~umask  # was 0700, mkdtemp's


HELD_BEFORE_PUTTING_IN_PLACE = """\
import os, sys, time
from pathlib import Path
gate = Path(sys.argv[1])
real = os.replace
def replace(source, target, **options):
    if Path(target).name == "screenshots":  # every screenshot taken: this preview is about to put them in place
        gate.with_suffix(".waiting").touch()
        while not gate.exists():
            time.sleep(0.02)
    return real(source, target, **options)
os.replace = replace
from deckgen.cli import main
sys.exit(main(sys.argv[2:]))
"""


def test_two_previews_at_once_neither_fails_nor_mixes_its_screenshots(project, tmp_path):
    gate = tmp_path / "gate"
    env = {k: v for k, v in os.environ.items() if k != "DECKGEN_DEBUG"}
    first = subprocess.Popen([sys.executable, "-c", HELD_BEFORE_PUTTING_IN_PLACE, str(gate), "--project",
                              str(project), "preview", "--screenshots", "--card", "chalk-kind"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.monotonic() + 120
        while not gate.with_suffix(".waiting").exists():
            assert time.monotonic() < deadline and first.poll() is None, first.stderr.read() if first.stderr else ""
            time.sleep(0.02)
        second = run_cli(project, "preview", "--screenshots", "--card", "slate-sheets", timeout=300)
    finally:
        gate.touch()
        out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err  # was 70: the second's folder was put there meanwhile (ENOTEMPTY)
    assert "internal error" not in second.stderr and "Traceback" not in second.stderr, second.stderr
    if second.returncode != 0:
        assert second.returncode == 1
        assert second.stderr.startswith(f"{PREVIEW.as_posix()}/index.html: another deckgen preview of this "
                                         "project is running"), second.stderr
    shot = {p.name.rsplit("-1-", 1)[0] for p in (project / SHOTS).iterdir()}
    assert len(shot) == 1 and len(list((project / SHOTS).iterdir())) == 4  # one preview's, whole
    assert not _staging(project)


# --- the page --------------------------------------------------------------------------------------------------------
class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.sections: dict[str, str] = {}
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag == "a" and attributes.get("href", "").startswith("#"):
            self.links.append(attributes["href"][1:])
        if tag == "section":
            self.sections[attributes["id"]] = attributes["data-deck"]


@pytest.mark.parametrize("names", [("Азбука", "Буквы"), ("Igneous rocks", "igneous-rocks!")])
def test_each_subdeck_has_an_anchor_of_its_own(project, names):
    edit(project / "cards" / "igneous.yaml", "deck: Igneous", f"deck: {names[0]}")
    edit(project / "cards" / "other.yaml", "deck: Other", f"deck: {names[1]}")
    done = run_cli(project, "preview", timeout=120)
    assert done.returncode == 0, done.stderr
    page = _Anchors()
    page.feed((project / PREVIEW / "index.html").read_text(encoding="utf-8"))
    assert len(page.ids) == len(set(page.ids)), page.ids  # were "deck-" twice, or "deck-igneous-rocks" twice
    assert sorted(page.sections[link] for link in page.links) == sorted(names)  # each link leads to its subdeck


BREAKING_OUT = ('"></iframe><script>alert(1)</script> <img src=x onerror=alert(2)> javascript:alert(3) '
                "</textarea></style></title>")


def test_card_text_that_breaks_out_of_its_frame_is_text_and_runs_nothing(project):
    source = project / "sources" / "rock-guide.md"
    edit(source, "Slate splits into thin flat sheets.", f"Slate splits into thin flat sheets {BREAKING_OUT}.")
    edit(project / "cards" / "other.yaml", "answer: Thin flat sheets.",
         "answer: " + json.dumps(f"Thin flat sheets {BREAKING_OUT}."))
    edit(project / "cards" / "other.yaml", 'quote: "Slate splits into thin flat sheets."',
         "quote: " + json.dumps(f"Slate splits into thin flat sheets {BREAKING_OUT}."))
    done = run_cli(project, "preview", timeout=120)
    assert done.returncode == 0, done.stderr
    index = project / PREVIEW / "index.html"
    requests, errors, dialogs = Requests(allowed={index.as_uri()}), [], []
    with chromium() as browser:
        context = browser.new_context(service_workers="block")
        context.route("**/*", requests.handle)
        context.on("request", requests.record)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(index.as_uri(), wait_until="load", timeout=120_000)
        cards = {card["cardId"]: card for card in page.evaluate(script("preview_cards.js"))}
        back = page.frame_locator("#card-slate-sheets-1 iframe[data-side=back]").locator("#qa")
        text = back.inner_text()
        scripts = page.evaluate("[...document.querySelectorAll('iframe')].map(f => f.contentDocument"
                                ".querySelectorAll('script, img[onerror], iframe').length)")
        context.close()
    assert set(cards) == {"granite-minerals", "basalt-origin", "obsidian-glass", "marble-origin", "slate-sheets",
                          "chalk-kind"}  # the page around the card is whole: no card swallowed by a broken frame
    assert BREAKING_OUT in text.replace("\n", " "), text
    assert scripts == [0] * 12 and dialogs == [] and errors == [] and requests.urls == []


# --- what --card and --subdeck are given -----------------------------------------------------------------------------
def test_odd_card_and_subdeck_names_are_each_one_located_error_and_write_nothing(project):
    done = run_cli(project, "preview", "--screenshots", "--card", "", "--card", "../x", "--card", "a\nb",
                   "--card", "Гранит", "--subdeck", "", "--subdeck", "Mini Stones::", "--subdeck", "Igneous::x")
    _clean_failure(done)
    for name in ("''", "'../x'", "'a\nb'", "'Гранит'"):
        assert f"cards/: no card {name} in this deck" in done.stderr, done.stderr
    assert done.stderr.count("cards/: no subdeck '' in this deck") == 2  # "Mini Stones::" is the title's, and empty
    assert "cards/: no subdeck 'Igneous::x' in this deck" in done.stderr
    assert not (project / "build").exists()


def test_a_card_named_many_times_is_shot_once(project):
    done = run_cli(project, "preview", "--screenshots", *["--card", "chalk-kind"] * 3000, "--subdeck", "Other",
                   "--subdeck", "Mini Stones::Other", timeout=300)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (project / SHOTS).iterdir()) == sorted(
        f"{card}-1-{side}-{mode}.png" for card in ("marble-origin", "slate-sheets", "chalk-kind")
        for side in ("front", "back") for mode in ("light", "night"))


# --- a large deck -----------------------------------------------------------------------------------------------------
def test_a_deck_of_ten_thousand_cards_is_previewed(tmp_path):
    project = tmp_path / "large"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), "--cards", "10000", "--out",
                    str(project)], check=True, capture_output=True)
    done = run_cli(project, "preview", timeout=600)
    assert done.returncode == 0, done.stderr  # was 1: "(deckgen's default templates)/preview/index.html:1: template
    # error: the template needed more than 1,024 MB of memory"
    index = project / PREVIEW / "index.html"
    with open(index, encoding="utf-8") as page:
        head = page.read(4096)
    assert head.startswith("<!doctype html>") and index.stat().st_size > 100 << 20
    assert index.read_bytes().count(b'<article class="preview-card"') >= 10_000


@pytest.mark.parametrize("code, says", [
    ("[% for i in range(100000) %][% for j in range(100000) %]x[% endfor %][% endfor %]",
     "the template ran for more than 1 s"),  # a page made piece by piece is still one template call
    ('[[ "x"|center(3000000000) ]]', "the template needed more than"),
    ('[% for i in range(100000) %][[ "y" * 1000000 ]][% endfor %]',  # 100 GB: stopped at 1 GB, or 1 s
     "the template (needed|ran for) more than"),
])
def test_the_page_made_piece_by_piece_is_still_bounded_in_time_and_memory(project, code, says):
    with open(project / "templates" / "preview" / "index.html", "a", encoding="utf-8") as template:
        template.write("\n" + code + "\n")
    env = {k: v for k, v in os.environ.items() if k != "DECKGEN_DEBUG"}
    env["DECKGEN_TEMPLATE_SECONDS"] = "1"
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "deckgen", "--project", str(project), "preview"],
                          capture_output=True, text=True, timeout=120, env=env)
    _clean_failure(done)
    assert re.match(rf"templates/preview/index\.html:\d+: template error: {says}", done.stderr), done.stderr
    assert time.monotonic() - started < 60
    assert sorted(p.name for p in (project / PREVIEW).iterdir()) == [".deckgen-preview.lock"]  # no page, half or whole
