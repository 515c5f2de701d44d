"""A reader that stops reading (`deckgen coverage | head -3`) is not an internal error."""

from __future__ import annotations

import os
import subprocess
import sys

from helpers import REPO, copy_project


def test_a_closed_pipe_ends_quietly(tmp_path):
    project = copy_project(tmp_path / "project")
    read, write = os.pipe()
    os.close(read)  # the reader is gone before deckgen writes a byte
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    try:
        result = subprocess.run([sys.executable, "-m", "deckgen", "coverage"], cwd=project, stdout=write,
                                stderr=subprocess.PIPE, text=True, env=env, timeout=120)
    finally:
        os.close(write)
    assert result.returncode == 141, result.stderr
    assert result.stderr == ""
