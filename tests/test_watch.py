"""`deckgen watch` as a user runs it: a subprocess that we edit files under and read the output of.

No sleeps decide anything here: each step waits for the line the watcher prints, and the order of
those lines is what is checked (a rebuild nobody asked for would show up as a line out of order).
"""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from helpers import run_cli
from mini_project import apkg, edit, make_project

STAMP = re.compile(r"^\[\d\d:\d\d:\d\d\] ")
BUILT = r"\.apkg \([\d,]+ bytes\) in "  # the last line of a build's summary
TIMEOUT = 60


class Watcher:
    """A running `deckgen watch`, its stdout and stderr merged and read line by line."""

    def __init__(self, project: Path):
        env = {k: v for k, v in os.environ.items() if k != "DECKGEN_DEBUG"}
        self.process = subprocess.Popen(
            [sys.executable, "-u", "-m", "deckgen", "--project", str(project), "watch"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1, env=env)
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.transcript: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(STAMP.sub("", line.rstrip("\n")))
        self.lines.put(None)

    def until(self, pattern: str) -> list[str]:
        """Lines up to and including the first one that matches `pattern` (a regex)."""
        seen: list[str] = []
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no line matching {pattern!r} within {TIMEOUT} s; got {seen}") from None
            if line is None:
                raise AssertionError(f"watch ended before {pattern!r}; got {seen}")
            seen.append(line)
            self.transcript.append(line)
            if re.search(pattern, line):
                return seen

    def stop(self, signum: int) -> tuple[int, list[str]]:
        self.process.send_signal(signum)
        rest = self.until(r"^stopped watching$")
        return self.process.wait(timeout=TIMEOUT), rest

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path / "project")


@pytest.fixture
def watcher(project):
    running = Watcher(project)
    yield running
    running.kill()


def _snapshot(project: Path) -> tuple[bytes, bytes]:
    return apkg(project).read_bytes(), (project / "deck.lock").read_bytes()


def test_rebuilds_on_every_save_and_keeps_the_last_good_deck_on_errors(project, watcher):
    start = watcher.until(r"^watching cards/, sources/, templates/")
    assert "built 6 notes (6 cards in Anki) in 2 subdecks" in start
    first = _snapshot(project)

    edit(project / "cards" / "other.yaml", "answer: Limestone.", "answer: Limestone, heated.")
    block = watcher.until(BUILT)
    assert block[0] == "changed: cards/other.yaml; rebuilding", block
    assert "  since last build: 0 added, 1 changed, 0 renamed, 0 retired, 0 dropped" in block
    good = _snapshot(project)
    assert good[0] != first[0] and good[1] != first[1]

    edit(project / "cards" / "other.yaml", "    answer: Limestone, heated.", "    anwser: Limestone, heated.")
    block = watcher.until(r"^deckgen: 1 problem; the last good deck and deck.lock are unchanged")
    assert block[0] == "changed: cards/other.yaml; rebuilding"
    assert "cards/other.yaml:6:5: unknown key 'anwser' in a card" in block
    assert "    hint: did you mean 'answer'?" in block
    assert _snapshot(project) == good

    (project / "cards" / "other.yaml").write_text("deck: Other\ncards:\n\t- id: x\n", encoding="utf-8")
    block = watcher.until(r"^deckgen: 1 problem")
    assert any(line.startswith("cards/other.yaml:3:1: YAML syntax error") for line in block)
    assert _snapshot(project) == good

    from mini_project import OTHER_YAML

    (project / "cards" / "other.yaml").write_text(OTHER_YAML.replace("answer: Limestone.", "answer: Heated limestone."),
                                                  encoding="utf-8")
    block = watcher.until(BUILT)
    assert block[0] == "changed: cards/other.yaml; rebuilding" and "built 6 notes (6 cards in Anki) in 2 subdecks" in block
    assert _snapshot(project)[0] not in (first[0], good[0])

    status, rest = watcher.stop(signal.SIGINT)
    assert status == 0
    assert not any("Traceback" in line for line in watcher.transcript)


def test_templates_and_sources_are_watched_and_other_files_are_not(project, watcher):
    watcher.until(r"^watching ")
    (project / "notes.txt").write_text("not part of the deck\n", encoding="utf-8")
    (project / "build" / "scratch.txt").write_text("not an input\n", encoding="utf-8")

    with open(project / "templates" / "card.css", "a", encoding="utf-8") as css:
        css.write("\n.question { font-weight: 600; }\n")
    block = watcher.until(BUILT)
    assert block[0] == "changed: templates/card.css; rebuilding", "notes.txt and build/ must not trigger a build"
    assert "  note types changed: cloze, qa" in block

    with open(project / "sources" / "rock-guide.md", "a", encoding="utf-8") as source:
        source.write("Flint is a hard rock.\n")
    block = watcher.until(BUILT)
    assert block[0] == "changed: sources/rock-guide.md; rebuilding" and "built 6 notes (6 cards in Anki) in 2 subdecks" in block

    status, _ = watcher.stop(signal.SIGTERM)
    assert status == 0


def test_a_burst_of_saves_is_one_build(project, watcher):
    watcher.until(r"^watching ")
    path = project / "cards" / "other.yaml"
    for word in ("Limestone, hot.", "Limestone, warm.", "Limestone, heated.", "Heated limestone."):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"answer: Limestone\.|answer: Limestone, \w+\.|answer: Heated limestone\.",
                               f"answer: {word}", text, count=1), encoding="utf-8")
    block = watcher.until(BUILT)
    assert block[:2] == ["changed: cards/other.yaml; rebuilding", "built 6 notes (6 cards in Anki) in 2 subdecks"]
    assert "  since last build: 0 added, 1 changed, 0 renamed, 0 retired, 0 dropped" in block

    with open(project / "templates" / "card.css", "a", encoding="utf-8") as css:
        css.write("\n/* next */\n")
    block = watcher.until(r"^changed: ")
    assert block == ["changed: templates/card.css; rebuilding"], "one build for the burst, no second one"
    assert "Heated limestone." in (project / "cards" / "other.yaml").read_text(encoding="utf-8")
    watcher.stop(signal.SIGINT)


def test_starting_on_a_broken_project_reports_then_builds_once_fixed(project):
    path = project / "cards" / "other.yaml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("    answer: Limestone.\n", "    answer: [Limestone]\n"), encoding="utf-8")
    watcher = Watcher(project)
    try:
        block = watcher.until(r"^watching ")
        assert "cards/other.yaml:6:13: 'answer' must be text, found a list" in block
        assert not apkg(project).exists(), "nothing is built from a broken project"
        path.write_text(good, encoding="utf-8")
        assert "built 6 notes (6 cards in Anki) in 2 subdecks" in watcher.until(BUILT)
        assert apkg(project).exists()
        assert run_cli(project, "status").stdout.strip() == "nothing to build: 6 cards unchanged"
        status, _ = watcher.stop(signal.SIGINT)
        assert status == 0
    finally:
        watcher.kill()


def test_a_replaced_cards_folder_is_watched_again(project, watcher):
    """cards/ deleted and made again (a `git checkout`, a sync tool): the watch follows the new folder."""
    import shutil

    watcher.until(r"^watching ")
    fresh = project / "cards.new"
    shutil.copytree(project / "cards", fresh)
    shutil.rmtree(project / "cards")
    fresh.rename(project / "cards")
    watcher.until(BUILT)  # the replacement itself is a change
    edit(project / "cards" / "other.yaml", "answer: Soft and white.", "answer: Soft, white.")
    watcher.until(r"^changed: cards/other\.yaml; rebuilding$")  # (after any rebuild for the replacement)
    assert "built 6 notes (6 cards in Anki) in 2 subdecks" in watcher.until(BUILT)
    status, _ = watcher.stop(signal.SIGTERM)
    assert status == 0
