"""Progress bars: on a terminal for a check of a large deck, never under --json or without a terminal.

A bar appears once its step has run progress.DELAY seconds. These tests set DECKGEN_PROGRESS_DELAY=0, so that
it appears from the first card whatever the machine's speed (they relied on a 16,000-card check lasting longer
than the delay, which a fast machine or a faster gate undoes): then a check of progress.MIN_CARDS cards (a project
made by benchmarks/generate.py) draws one, one card fewer none, and --json or a pipe none although the delay is
past. The screenshot bar is tested in test_preview.py.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from deckgen import progress
from helpers import REPO, run_cli
from test_preview import _on_a_terminal

BAR = re.compile(r"checking: +\d+%\|")


@pytest.fixture(autouse=True)
def no_delay(monkeypatch):
    """Bars from a step's first item, in the commands these tests run (they inherit the environment)."""
    monkeypatch.setenv("DECKGEN_PROGRESS_DELAY", "0")


def _generated(folder: Path, cards: int) -> Path:
    out = folder / "project"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), "--cards", str(cards), "--out", str(out)],
                   check=True, capture_output=True)
    return out


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    return _generated(tmp_path_factory.mktemp("large"), progress.MIN_CARDS)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return _generated(tmp_path_factory.mktemp("small"), progress.MIN_CARDS - 1)


def test_a_check_of_a_large_deck_shows_a_bar_on_a_terminal(large):
    shown = _on_a_terminal(large, "check")
    assert BAR.search(shown), shown[-500:]
    assert f"ok: {progress.MIN_CARDS:,} notes" in shown


def test_the_bar_waits_for_its_delay(large, monkeypatch):
    monkeypatch.setenv("DECKGEN_PROGRESS_DELAY", "3600")
    shown = _on_a_terminal(large, "check")
    assert not BAR.search(shown) and "%|" not in shown, shown[-500:]
    assert f"ok: {progress.MIN_CARDS:,} notes" in shown


def test_a_check_of_a_smaller_deck_shows_none(small):
    shown = _on_a_terminal(small, "check")
    assert not BAR.search(shown) and "%|" not in shown, shown[-500:]
    assert f"ok: {progress.MIN_CARDS - 1:,} notes" in shown


def test_json_on_a_terminal_has_no_bar(large):
    shown = _on_a_terminal(large, "check", "--json")
    assert not BAR.search(shown) and "%|" not in shown
    assert shown.lstrip().startswith("{")


def test_no_terminal_no_bar(large):
    result = run_cli(large, "build")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


@pytest.mark.parametrize(("value", "seconds"), [("0", 0.0), ("2.5", 2.5), ("", progress.DELAY),
                                                 ("soon", progress.DELAY), ("-1", progress.DELAY),
                                                 ("nan", progress.DELAY)])
def test_the_delay_is_taken_from_the_environment_when_it_is_a_number_of_seconds(monkeypatch, value, seconds):
    monkeypatch.setenv("DECKGEN_PROGRESS_DELAY", value)
    assert progress.delay_seconds() == seconds


def test_without_the_variable_the_delay_is_half_a_second(monkeypatch):
    monkeypatch.delenv("DECKGEN_PROGRESS_DELAY")
    assert progress.delay_seconds() == progress.DELAY == 0.5
