"""Session 19's attack on the files deckgen reads and writes made FIFOs, devices or links, beyond build/'s
(the build lock, the memo, the stamp, the delta state, the package sidecar, the template code cache, the
package, deck.lock, cards/, sources/ and templates/ each held, at rest, for build, check, status and preview).

* A FIFO at this user's build key ($XDG_CACHE_HOME/deckgen/build-key): every build waited for a writer for ever
  (userkey opened it O_RDONLY without O_NONBLOCK). Fixed: opened O_NONBLOCK (and O_NOCTTY), refused by the fstat
  that follows: no key, so a full build.
* A file that is not a folder at build/preview (a FIFO, a device, a file, a dangling link) or at build/: preview
  ended in an internal error (exit 70: mkdir's FileExistsError or NotADirectoryError). Fixed: one located error.
* A card file made a FIFO after pull --apply's check passed (the check read it): writeback read it with open(),
  which waited for a writer for ever. Fixed: read through newfile.open_regular, one located error.
* The package read by zipfile by name (package.is_compressed: a delta rebuild that changes no card; shipped_notes:
  status, after an is_file look): a FIFO put there in between waited for ever. Fixed: read through open_regular.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import run_cli
from mini_project import apkg, make_project


@pytest.fixture(scope="module")
def built_once(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("base") / "project")
    assert run_cli(project, "build").returncode == 0
    return project


@pytest.fixture
def project(built_once, tmp_path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(built_once, copy, symlinks=True)
    return copy


def _run(project: Path, *args: str, cache: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DECKGEN_DEBUG"}
    env["XDG_CACHE_HOME"] = str(cache)
    return subprocess.run([sys.executable, "-m", "deckgen", "--project", str(project), *args],
                          capture_output=True, text=True, timeout=60, env=env)  # before the fix: TimeoutExpired


def test_a_fifo_at_the_build_key_is_no_key_and_a_full_build(project, tmp_path):
    key = tmp_path / "cache" / "deckgen" / "build-key"
    key.parent.mkdir(mode=0o700, parents=True)
    os.mkfifo(key, 0o600)
    (project / "cards" / "other.yaml").write_text((project / "cards" / "other.yaml").read_text(encoding="utf-8")
                                                  .replace("Soft and white.", "Soft and very white."), encoding="utf-8")
    for _ in range(2):  # and again: no key, so nothing recorded in build/ is trusted
        done = _run(project, "build", cache=tmp_path / "cache")
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
    assert stat.S_ISFIFO(os.lstat(key).st_mode)  # left as it was, never replaced
    assert apkg(project).is_file()
    assert "very white" in (project / "deck.lock").read_text(encoding="utf-8")


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _file(path: Path) -> None:
    path.write_text("not a folder\n", encoding="utf-8")


def _dangling(path: Path) -> None:
    os.symlink("nowhere", path)


@pytest.mark.parametrize("name", ["build/preview", "build"])
@pytest.mark.parametrize("make, kind", [(_fifo, "a FIFO (named pipe)"), (_file, "a file"),
                                        (_dangling, "a symbolic link")])
def test_preview_with_a_file_where_its_folder_goes_is_one_located_error(project, tmp_path, name, make, kind):
    deck, lock = None, (project / "deck.lock").read_bytes()
    if name == "build":
        deck = apkg(project).read_bytes()
        shutil.move(project / "build", tmp_path / "kept-build")
    else:
        shutil.rmtree(project / name, ignore_errors=True)
    make(project / name)
    done = run_cli(project, "preview", timeout=60)
    assert done.returncode == 1, done.stderr  # was 70: an internal error
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    assert any(line.startswith(f"{name}: cannot write: {kind}, not a folder")  # located as the project names it
               for line in done.stderr.splitlines()), done.stderr
    assert "hint: remove it and run deckgen preview again" in done.stderr
    assert os.path.lexists(project / name) and not (project / name).is_dir()  # left as it was
    assert (project / "deck.lock").read_bytes() == lock
    if deck is not None:
        assert (tmp_path / "kept-build" / apkg(project).name).read_bytes() == deck


# pull --apply reads each card file it edits after `deckgen check` passed: a FIFO put there in between (the check
# has read the file) was opened with open(), which waits for a writer for ever.
SWAPPED_PULL = """\
import os, sys
from pathlib import Path
from deckgen import writeback
from deckgen.diagnostics import DeckgenFailure
card_file = Path(sys.argv[1], "cards", "other.yaml")
card_file.unlink()  # as pull --apply's check has passed
os.mkfifo(card_file)
try:
    writeback.write_edits(Path(sys.argv[1]), [writeback.Change("chalk-kind", "cards/other.yaml", "answer", "Soft.")],
                          lambda: None)
except DeckgenFailure as failure:
    print("\\n".join(f"{d.location}: {d.message}" for d in failure.diagnostics))
    sys.exit(1)
"""


def test_a_card_file_made_a_fifo_after_the_check_is_not_waited_on_by_pull_apply(project):
    done = subprocess.run([sys.executable, "-c", SWAPPED_PULL, str(project)], capture_output=True, text=True,
                          timeout=60)  # before the fix: TimeoutExpired
    assert done.returncode == 1, done.stderr
    assert "cards/other.yaml: cannot read: a FIFO (named pipe), not a regular file" in done.stdout
    assert stat.S_ISFIFO(os.lstat(project / "cards" / "other.yaml").st_mode)  # left as it was
    assert not list((project / "cards").glob(".*.partial"))


# The package kept by a delta rebuild that changes no card (is_compressed), and the one `status` compares with
# deck.lock (shipped_notes, after an is_file look), were opened by zipfile: a FIFO put there once the state vouched
# for it, or between the look and the open, made the build or status wait for a writer for ever.
READ_PACKAGE = """\
import os, sys
from pathlib import Path
from unittest import mock
from deckgen import package
os.mkfifo(sys.argv[1])
with mock.patch.object(Path, "is_file", return_value=True):  # the FIFO put there after shipped_notes looked
    print(package.is_compressed(Path(sys.argv[1])), package.shipped_notes(Path(sys.argv[1])))
"""


def test_a_package_made_a_fifo_is_not_waited_on_when_read(tmp_path):
    done = subprocess.run([sys.executable, "-c", READ_PACKAGE, str(tmp_path / "deck.apkg")], capture_output=True,
                          text=True, timeout=60)  # before the fix: TimeoutExpired
    assert done.returncode == 0, done.stderr
    assert done.stdout == "True {}\n"  # a package that cannot be read: as its docstrings say
