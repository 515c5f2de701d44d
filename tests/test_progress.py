"""Progress bars: on a terminal for a long check or build, never under --json or without a terminal.

A 16,000-card generated project (benchmarks/generate.py) takes a few seconds to check, long enough for
the bar (shown after progress.DELAY seconds, from progress.MIN_CARDS cards); 8,000 cards were checked
within the bar's delay on a quiet machine once the gate and rendering got faster. The screenshot bar is tested in test_preview.py.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from helpers import REPO, run_cli
from test_preview import _on_a_terminal

BAR = re.compile(r"checking: +\d+%\|")


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    out = tmp_path_factory.mktemp("large") / "project"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), "--cards", "16000", "--out", str(out)],
                   check=True, capture_output=True)
    return out


def test_a_long_check_shows_a_bar_on_a_terminal(large):
    shown = _on_a_terminal(large, "check")
    assert BAR.search(shown), shown[-500:]
    assert "ok: 16,000 notes" in shown


def test_json_on_a_terminal_has_no_bar(large):
    shown = _on_a_terminal(large, "check", "--json")
    assert not BAR.search(shown) and "%|" not in shown
    assert shown.lstrip().startswith("{")


def test_no_terminal_no_bar(large):
    result = run_cli(large, "build")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
