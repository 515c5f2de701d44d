"""A symlink planted, while a build runs, at the name of a file deckgen is about to write and rename into
place (`….<pid>.partial` in build/, beside deck.lock, in cards/ or preview/) is never written through:
each such file is made new (O_CREAT|O_EXCL|O_NOFOLLOW, newfile.open_new), so the file the link points to,
outside the project, is left as it was.

The build is the real CLI in a process of its own; the planting happens right after the build removed a
killed build's leftovers (workspace.remove_leftovers), as an attacker racing the build would, at the
names that process will use (its pid is known to anyone who can list processes).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from deckgen.diagnostics import DeckgenFailure
from deckgen.package import publish
from deckgen import preview
from deckgen.preview import write_preview
from deckgen.writeback import Change, write_edits
from helpers import run_cli
from mini_project import apkg, edit, make_project

PLANTING_BUILD = """\
import os, sys
from pathlib import Path
import deckgen.delta, deckgen.pipeline, deckgen.workspace
victim, names = sys.argv[1], [name for name in sys.argv[2].split(",") if name]
real = deckgen.workspace.remove_leftovers
def planting(root, build_dir):
    freeing = real(root, build_dir)
    for name in names:
        link = Path(root, name.format(pid=os.getpid()))
        if not link.is_symlink():
            link.unlink(missing_ok=True)  # a file the build read before: swapped for the link
            os.symlink(victim, link)
    return freeing
deckgen.pipeline.remove_leftovers = deckgen.delta.remove_leftovers = planting
from deckgen.cli import main
sys.argv = ["deckgen"] + sys.argv[3:]
sys.exit(main())
"""

PRECIOUS = "the user's own file, outside the project\n"

# A delta rebuild (delta.py) changes the recorded database moved into a folder of its own (_moved_aside), once it
# knows it for the file recorded by its inode, size and modification time. Here, as the rebuild starts that, the
# database is moved out of the project (a rename keeps all three) and a link to it put in its place.
LINKING_DELTA = """\
import os, sys
import deckgen.delta
victim = sys.argv[1]
real = deckgen.delta._moved_aside
def planting(database, recorded, build_dir):
    os.replace(database, victim)
    os.symlink(victim, database)
    return real(database, recorded, build_dir)
deckgen.delta._moved_aside = planting
from deckgen.cli import main
sys.argv = ["deckgen"] + sys.argv[2:]
sys.exit(main())
"""


def _planted_build(project: Path, victim: Path, names: list[str], *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.run([sys.executable, "-c", PLANTING_BUILD, str(victim), ",".join(names),
                           "--project", str(project), "build", *args],
                          capture_output=True, text=True, timeout=120, env=env)


@pytest.fixture
def built(tmp_path):
    """The mini project built once (deck.lock, the memo, the stamp and the delta state recorded), then a
    card edited, so that the next build writes every file it records; and a file of the user's outside it."""
    project = make_project(tmp_path / "project")
    first = _planted_build(project, tmp_path / "unused", [])
    assert first.returncode == 0, first.stderr
    edit(project / "cards" / "igneous.yaml", "Quartz and feldspar.", "Feldspar and quartz.")
    victim = tmp_path / "victim.txt"
    victim.write_text(PRECIOUS, encoding="utf-8")
    return project, victim


@pytest.mark.parametrize(("name", "fresh"), [
    ("build/.deckgen-stamp.json", False), ("build/.deckgen-delta", False),  # the delta rebuild writes these two
    ("build/.deckgen-memo.jsonl", True), ("build/.deckgen-stamp.json", True), ("build/.deckgen-delta", True),
    ("build/.deckgen-package", True)])
def test_a_link_planted_at_a_build_state_file_is_not_written_through(built, name, fresh):
    """Only a missed shortcut: the build succeeds, and the next one checks everything."""
    project, victim = built
    result = _planted_build(project, victim, [name + ".{pid}.partial"], *(["--fresh"] if fresh else []))
    assert result.returncode == 0, result.stderr
    assert victim.read_text(encoding="utf-8") == PRECIOUS
    assert not (project / name).is_symlink()


@pytest.mark.parametrize("fresh", [False, True], ids=["rebuild", "fresh"])
def test_a_link_planted_at_the_staged_lock_is_not_written_through_and_the_build_fails_located(built, fresh):
    project, victim = built
    lock, deck = (project / "deck.lock").read_bytes(), apkg(project).read_bytes()
    result = _planted_build(project, victim, [".deck.lock.{pid}.partial"], *(["--fresh"] if fresh else []))
    assert victim.read_text(encoding="utf-8") == PRECIOUS
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "deck.lock:" in result.stderr and ".deck.lock." in result.stderr and "remove it" in result.stderr, result.stderr
    assert not (project / "deck.lock").is_symlink() and (project / "deck.lock").read_bytes() == lock
    assert apkg(project).read_bytes() == deck


def test_the_memo_swapped_for_a_link_while_a_build_adds_to_it_makes_no_file_where_the_link_points(built, tmp_path):
    """The memo is read when the build starts and added to at its end: a link put in its place meanwhile is
    not followed (open(path, "ab") made the file it points to), and the memo is written anew."""
    project, _ = built
    nowhere = tmp_path / "made-by-deckgen"
    (project / "build" / ".deckgen-delta").unlink()  # a full build, which reads the memo and adds to it
    result = _planted_build(project, nowhere, ["build/.deckgen-memo.jsonl"])
    assert result.returncode == 0, result.stderr
    assert not nowhere.exists() and not nowhere.is_symlink()


def test_a_link_planted_at_the_delta_database_is_not_written_through(built, tmp_path):
    """The database moved aside is known by the link's own inode (lstat), not that of the file it points to
    (stat): a link is not the database recorded, the rebuild is a full one, and the file outside is untouched."""
    project, _ = built
    database = project / "build" / ".deckgen-delta.anki2"
    recorded = database.read_bytes()
    outside = tmp_path / "outside.anki2"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    result = subprocess.run([sys.executable, "-c", LINKING_DELTA, str(outside), "--project", str(project), "build"],
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    assert outside.read_bytes() == recorded, "the rebuild wrote through the link, into the file outside the project"
    assert not database.is_symlink()


def test_a_link_planted_at_the_build_lock_is_refused_by_name_and_makes_no_file(built, tmp_path):
    project, _ = built
    nowhere = tmp_path / "made-by-deckgen"
    lock = project / "build" / ".deckgen-build.lock"
    lock.unlink()
    os.symlink(nowhere, lock)
    result = _planted_build(project, tmp_path / "unused", [])
    assert not nowhere.exists()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "build/.deckgen-build.lock: cannot write: it is a symbolic link" in result.stderr, result.stderr


def test_a_fifo_at_the_build_lock_is_refused_without_waiting_for_a_reader(built, tmp_path):
    """A FIFO at build/.deckgen-build.lock: opened to write, it waited for a reader, and every build hung."""
    project, _ = built
    lock = project / "build" / ".deckgen-build.lock"
    lock.unlink()
    os.mkfifo(lock)
    result = _planted_build(project, tmp_path / "unused", [])  # its timeout fails the test if the build waits
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "build/.deckgen-build.lock: cannot write: a FIFO (named pipe), not a regular file" in result.stderr, \
        result.stderr


def test_a_fifo_put_at_a_file_appended_to_as_it_is_opened_is_refused(tmp_path, monkeypatch):
    """newfile.open_append looks at the file before it opens it, and again once open: a FIFO with a reader put
    there in between (by an lstat that sees the regular file, then swaps it) is opened without waiting, and
    refused before anything is written."""
    from deckgen import newfile

    path = tmp_path / "memo"
    path.write_bytes(b"kept")
    readers, real_lstat = [], os.lstat

    def swapping_lstat(name, *args, **kwargs):
        found = real_lstat(name, *args, **kwargs)
        os.unlink(name)
        os.mkfifo(name)
        readers.append(os.open(name, os.O_RDONLY | os.O_NONBLOCK))  # with a reader, the open itself succeeds
        return found

    monkeypatch.setattr(newfile.os, "lstat", swapping_lstat)
    try:
        with pytest.raises(OSError) as refused:
            newfile.open_append(path)
    finally:
        monkeypatch.undo()
        for reader in readers:
            assert os.read(reader, 16) == b"", "nothing was written to the FIFO"
            os.close(reader)
    assert "a FIFO (named pipe), not a regular file" in str(refused.value)


def _plant(link: Path, victim: Path) -> Path:
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(victim, link)
    return link


def test_a_link_planted_beside_a_card_file_that_pull_writes_is_not_written_through(built):
    project, victim = built
    card_file = project / "cards" / "igneous.yaml"
    before = card_file.read_text(encoding="utf-8")
    _plant(project / "cards" / f".igneous.yaml.{os.getpid()}.partial", victim)
    with pytest.raises(DeckgenFailure) as raised:
        write_edits(project, [Change("basalt-origin", "cards/igneous.yaml", "answer", "From magma.")],
                    check=lambda: None)
    assert victim.read_text(encoding="utf-8") == PRECIOUS
    assert not card_file.is_symlink() and card_file.read_text(encoding="utf-8") == before
    assert "is in the way" in str(raised.value) and "nothing was changed" in str(raised.value)


def test_a_link_planted_in_the_preview_folder_is_not_written_through(built, monkeypatch):
    project, victim = built
    removing = preview._remove_leftovers  # what a killed preview left, a link at its page's name too: planted after

    def planting(folder: Path) -> None:
        removing(folder)
        _plant(folder / f".index.html.{os.getpid()}.partial", victim)

    monkeypatch.setattr(preview, "_remove_leftovers", planting)
    with pytest.raises(DeckgenFailure) as raised:
        write_preview(project)
    assert victim.read_text(encoding="utf-8") == PRECIOUS
    assert not (project / "build" / "preview" / "index.html").exists()
    assert "is in the way" in str(raised.value)


def test_a_link_planted_beside_the_database_a_package_is_zipped_from_is_not_written_through(built, tmp_path):
    project, victim = built
    database = tmp_path / "scratch" / "collection.anki2"
    database.parent.mkdir()
    database.write_bytes(b"a database")
    _plant(database.with_name("deck.apkg.partial"), victim)
    with pytest.raises(FileExistsError):
        publish(database, tmp_path / "deck.apkg", 0)
    assert victim.read_text(encoding="utf-8") == PRECIOUS
    assert not (tmp_path / "deck.apkg").exists()


@pytest.mark.parametrize("name", ["build/.deckgen-stamp.json", "build/.deckgen-memo.jsonl", "build/.deckgen-package",
                                  "build/.deckgen-delta"])
def test_a_fifo_put_at_a_build_state_file_is_passed_over_not_waited_on(built, name):
    """Found with the links: each state file was opened by name, so a FIFO put there (a cache or shared folder
    restores one as easily as a file) kept every build waiting for a writer for ever. Now only a missed
    shortcut: the build checks everything, and writes the file anew."""
    project, _ = built
    if name in ("build/.deckgen-memo.jsonl", "build/.deckgen-package"):  # read by a full build, not a delta one
        (project / "build" / ".deckgen-delta").unlink()
    (project / name).unlink(missing_ok=True)
    os.mkfifo(project / name)
    result = run_cli(project, "build", timeout=30)
    assert result.returncode == 0, result.stderr
    assert (project / name).is_file()


def test_deck_lock_made_a_fifo_is_refused_not_waited_on(built):
    project, _ = built
    deck = apkg(project).read_bytes()
    (project / "deck.lock").unlink()
    os.mkfifo(project / "deck.lock")
    for command in ("check", "build", "status"):
        result = run_cli(project, command, timeout=30)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert result.stderr.startswith("deck.lock: cannot read the lock file: a FIFO (named pipe), not a regular "
                                        "file"), result.stderr
    assert apkg(project).read_bytes() == deck
