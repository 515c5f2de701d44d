"""Both or neither (issue 14): a build killed at any point between its file replacements leaves a
project whose `deckgen status` tells the truth, and whose next `deckgen build` leaves the deck and
deck.lock in agreement — every note in the package has the GUID and modification time deck.lock gives
it, and the real Anki backend imports the package.

The kill is a real SIGKILL, sent by the build process to itself right after its k-th `os.replace`
(k = 0: at the first one, before it replaces anything). No cleanup code runs, exactly as with `kill -9`.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from mini_project import apkg, edit, make_project

KILL_AFTER_REPLACE = """\
import os, signal, sys
calls, limit = [0], int(sys.argv[1])
real_replace = os.replace
def replace(*args, **kwargs):
    if calls[0] == limit:
        os.kill(os.getpid(), signal.SIGKILL)
    real_replace(*args, **kwargs)
    calls[0] += 1
    if calls[0] == limit:
        os.kill(os.getpid(), signal.SIGKILL)
os.replace = replace
from deckgen.cli import main
sys.argv = ["deckgen"] + sys.argv[2:]
sys.exit(main())
"""


def _env(cache: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DECKGEN_DEBUG"}
    env["XDG_CACHE_HOME"] = str(cache)
    return env


def _run(project: Path, cache: Path, *args: str, kill_after: int | None = None) -> subprocess.CompletedProcess:
    if kill_after is None:
        command = [sys.executable, "-m", "deckgen", "--project", str(project), *args]
    else:
        command = [sys.executable, "-c", KILL_AFTER_REPLACE, str(kill_after), "--project", str(project), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=_env(cache))


def _package_notes(path: Path, scratch: Path) -> dict[str, int]:
    """guid -> modification time of every note in the package, read from its SQLite database."""
    db = scratch / "read.anki2"
    with zipfile.ZipFile(path) as archive:
        db.write_bytes(archive.read("collection.anki2"))
    connection = sqlite3.connect(db)
    try:
        return dict(connection.execute("select guid, mod from notes").fetchall())
    finally:
        connection.close()
        db.unlink()


def _lock_notes(project: Path) -> dict[str, int]:
    data = json.loads((project / "deck.lock").read_text(encoding="utf-8"))
    entries = list(data["cards"].values()) + list(data.get("retired", {}).values())
    return {entry["guid"]: entry["modified"] for entry in entries}


def _agree(project: Path, scratch: Path) -> bool:
    return _package_notes(apkg(project), scratch) == _lock_notes(project)


def _imports_into_anki(project: Path, scratch: Path) -> None:
    from helpers import import_apkg, open_collection

    folder = scratch / "anki"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    col = open_collection(folder / "collection.anki2")
    try:
        log = import_apkg(col, apkg(project))
        assert len(log.new) == len(_lock_notes(project)), log
    finally:
        col.close()


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def built_once(tmp_path_factory, cache) -> Path:
    project = make_project(tmp_path_factory.mktemp("base") / "project")
    result = _run(project, cache, "build")
    assert result.returncode == 0, result.stderr
    return project


def _edit(project: Path) -> None:
    edit(project / "cards" / "other.yaml", "answer: Soft and white.", "answer: Soft white.")


def test_every_replacement_a_build_makes_is_a_kill_point(built_once, cache, tmp_path):
    """A build makes MAX_KILL_POINT - 1 replacements (the deck, deck.lock, the memo, the package kept for the
    next build, the delta rebuild's database, state and the state's lines, the no-change stamp, as far as each
    changed): killed after the last of them it has finished its work, and one kill point more lets it exit 0."""
    assert _run(_fresh(built_once, tmp_path, MAX_KILL_POINT), cache, "build",
                kill_after=MAX_KILL_POINT).returncode == 0, "raise MAX_KILL_POINT: a replacement is not covered"
    assert _run(_fresh(built_once, tmp_path, MAX_KILL_POINT - 1), cache, "build",
                kill_after=MAX_KILL_POINT - 1).returncode == -signal.SIGKILL


MAX_KILL_POINT = 8


def _fresh(built_once: Path, tmp_path: Path, k: int) -> Path:
    project = tmp_path / f"project-{k}"
    shutil.copytree(built_once, project)
    _edit(project)
    return project


@pytest.mark.parametrize("kill_after", range(0, MAX_KILL_POINT))
def test_a_build_killed_at_any_point_is_made_whole_by_the_next(built_once, cache, tmp_path, kill_after):
    project = _fresh(built_once, tmp_path, kill_after)
    killed = _run(project, cache, "build", kill_after=kill_after)
    assert killed.returncode == -signal.SIGKILL, killed.stderr

    status = _run(project, cache, "status")
    assert status.returncode == 0, status.stderr
    if _agree(project, tmp_path):
        assert "does not match deck.lock" not in status.stdout, status.stdout
    else:
        assert f"build/{apkg(project).name} does not match deck.lock" in status.stdout, status.stdout
        assert "deckgen build" in status.stdout, status.stdout
    status_json = json.loads(_run(project, cache, "status", "--json").stdout)
    assert status_json["deck_matches_lock"] == _agree(project, tmp_path), status_json

    rebuilt = _run(project, cache, "build")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert _agree(project, tmp_path), "after the next build, the deck's notes are the ones deck.lock records"
    lock = json.loads((project / "deck.lock").read_text(encoding="utf-8"))
    assert "Soft white." in lock["fields"]["chalk-kind"][1]
    _imports_into_anki(project, tmp_path)
    again = _run(project, cache, "status")
    assert "does not match deck.lock" not in again.stdout and again.stdout.startswith("nothing to build"), again.stdout
    assert _run(project, cache, "build").returncode == 0
    assert _agree(project, tmp_path)


REBUILD_KILL_POINTS = 6  # a delta rebuild's replacements: the database moved aside, the deck, deck.lock, the database moved back, its state, the no-change stamp


def _built_in_place(tmp_path: Path, cache: Path) -> Path:
    """A project built where it stays (a copy has other inodes: its next build could not be a delta rebuild)."""
    project = make_project(tmp_path / "in-place")
    assert _run(project, cache, "build").returncode == 0
    _edit(project)
    return project


def test_every_replacement_a_rebuild_makes_is_a_kill_point(cache, tmp_path):
    assert _run(_built_in_place(tmp_path / "a", cache), cache, "build",
                kill_after=REBUILD_KILL_POINTS + 1).returncode == 0
    assert _run(_built_in_place(tmp_path / "b", cache), cache, "build",
                kill_after=REBUILD_KILL_POINTS).returncode == -signal.SIGKILL


@pytest.mark.parametrize("kill_after", range(0, REBUILD_KILL_POINTS + 1))
def test_a_rebuild_killed_at_any_point_is_made_whole_by_the_next(cache, tmp_path, kill_after):
    project = _built_in_place(tmp_path, cache)
    killed = _run(project, cache, "build", kill_after=kill_after)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert _run(project, cache, "build").returncode == 0
    assert _agree(project, tmp_path), "after the next build, the deck's notes are the ones deck.lock records"
    lock = json.loads((project / "deck.lock").read_text(encoding="utf-8"))
    assert "Soft white." in lock["fields"]["chalk-kind"][1]
    _imports_into_anki(project, tmp_path)
    edit(project / "cards" / "other.yaml", "answer: Soft white.", "answer: Soft and white.")
    assert _run(project, cache, "build").returncode == 0
    assert _agree(project, tmp_path)
    lock = json.loads((project / "deck.lock").read_text(encoding="utf-8"))
    assert "Soft and white." in lock["fields"]["chalk-kind"][1]
