"""Session 19's attacks on the delta rebuild's state kept in two files: the MAC'd header (build/.deckgen-delta)
and the card files' lines (build/.deckgen-delta.lines), each line found by its place and digest.

* A FIFO or a device put at .lines after a rebuild read its line (it has shipped, and records the state): the
  rebuild opened it to write before it looked at what it was (a device opened to write may act on it: a tape
  rewinds, a watchdog starts). Fixed: looked at with lstat first, as inplace.patch does, and opened O_NOCTTY;
  the open's own flags and checks (O_NONBLOCK, O_NOFOLLOW, fstat) stay for a file put there in between, each
  now shown needed by a test that swaps one in as it is looked at.
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from deckgen import delta, delta_state, pipeline, userkey
from mini_project import apkg, apply, rows
from test_delta import IN_PLACE, NOW, twins  # noqa: F401 (a fixture: a project built, its twin with --fresh)

EDITED = "cards/other.yaml"  # the file IN_PLACE[1] edits
KEPT = "cards/igneous.yaml"  # a file it leaves alone


def _lines(project: Path) -> dict[str, delta_state.Line]:
    return delta_state.file_lines(delta_state.read(project, userkey.build_key(project)))


def _same_as_fresh(rebuilt: Path, fresh: Path, scratch: Path, now: int) -> None:
    """The edit built on both (rebuilt by delta.build, which takes a rebuild or hands over), compared."""
    delta.build(rebuilt, now=now)
    pipeline.build(fresh, now=now, fresh=True)
    assert rows(apkg(rebuilt), scratch) == rows(apkg(fresh), scratch)
    assert (rebuilt / "deck.lock").read_bytes() == (fresh / "deck.lock").read_bytes()


def _swapped_before_recording(monkeypatch, project: Path, swap) -> None:
    """`swap` run as the rebuild has read the changed file's line and shipped, before it records the state."""
    held = delta_state.held

    def swapping(*args, **kwargs):
        swap(project / delta_state.LINES)
        return held(*args, **kwargs)

    monkeypatch.setattr(delta_state, "held", swapping)


def _opened_to_write(monkeypatch) -> list[tuple[str, str]]:
    """Each file other than a regular one opened to write from now on: (its path, what it is)."""
    opened, os_open = [], os.open

    def watching(path, flags, *args, **kwargs):
        descriptor = os_open(path, flags, *args, **kwargs)
        mode = os.fstat(descriptor).st_mode
        if flags & (os.O_WRONLY | os.O_RDWR) and not stat.S_ISREG(mode):
            opened.append((str(path), stat.filemode(mode)))
        return descriptor

    monkeypatch.setattr(os, "open", watching)
    return opened


def _drained(reader: int) -> bytes:
    """What was written to a FIFO, read from `reader` (then closed)."""
    try:
        return os.read(reader, 1 << 20)
    except BlockingIOError:
        return b""
    finally:
        os.close(reader)


def _swapped_as_looked_at(monkeypatch, project: Path, swap) -> None:
    """`swap` run just after .lines is looked at (os.lstat) as the rebuild records the state: the race between
    looking and opening, which only the flags and checks of the open itself close."""
    path, lstat = project / delta_state.LINES, os.lstat
    held = delta_state.held

    def looking(name, *args, **kwargs):
        info = lstat(name, *args, **kwargs)
        if Path(name) == path and not swapped:
            swapped.append(name)
            swap(path)
        return info

    def recording(*args, **kwargs):
        monkeypatch.setattr(os, "lstat", looking)
        return held(*args, **kwargs)

    swapped: list = []
    monkeypatch.setattr(delta_state, "held", recording)


@pytest.mark.parametrize("when", ["before recording", "as it is looked at"])
@pytest.mark.parametrize("kind", ["FIFO read from", "FIFO", "symlink"])
def test_lines_replaced_as_a_rebuild_runs_are_not_opened_to_write(twins, monkeypatch, tmp_path, kind, when):
    """A FIFO (or a device: a tape rewinds, a watchdog starts, as it is opened) or a symlink put at .lines after
    the rebuild read its line: nothing but a regular file is opened to write, nothing is written through the
    link, and a FIFO with no reader does not hang the build."""
    rebuilt, fresh, scratch = twins
    readers, elsewhere = [], tmp_path / "elsewhere"
    elsewhere.write_bytes(b"kept\n")

    def swap(path: Path) -> None:
        path.unlink()
        if kind == "symlink":
            path.symlink_to(elsewhere)
            return
        os.mkfifo(path)
        if kind == "FIFO read from":
            readers.append(os.open(path, os.O_RDONLY | os.O_NONBLOCK))

    (_swapped_before_recording if when == "before recording" else _swapped_as_looked_at)(monkeypatch, rebuilt, swap)
    opened = _opened_to_write(monkeypatch)
    for project in (rebuilt, fresh):
        apply(project, IN_PLACE[1])
    result: list = []
    worker = threading.Thread(target=lambda: result.append(delta.rebuild(rebuilt, NOW + 100)), daemon=True)
    worker.start()
    worker.join(30)
    piped = b"".join(_drained(reader) for reader in readers)
    assert not worker.is_alive(), "the rebuild hung opening the FIFO"
    monkeypatch.undo()
    assert result[0] is not None and piped == b"" and elsewhere.read_bytes() == b"kept\n"
    if when == "before recording":  # put there as it is looked at, it is opened (a race only lstat's caller
        assert opened == []         # has, which O_NONBLOCK and O_NOCTTY make harmless to a FIFO or a terminal)
    pipeline.build(fresh, now=NOW + 100, fresh=True)
    assert rows(apkg(rebuilt), scratch) == rows(apkg(fresh), scratch)
