"""Session 19's attacks on the delta rebuild's state kept in two files: the MAC'd header (build/.deckgen-delta)
and the card files' lines (build/.deckgen-delta.lines), each line found by its place and digest.

* A FIFO or a device put at .lines after a rebuild read its line (it has shipped, and records the state): the
  rebuild opened it to write before it looked at what it was (a device opened to write may act on it: a tape
  rewinds, a watchdog starts). Fixed: looked at with lstat first, as inplace.patch does, and opened O_NOCTTY;
  the open's own flags and checks (O_NONBLOCK, O_NOFOLLOW, fstat) stay for a file put there in between, each
  now shown needed by a test that swaps one in as it is looked at.
* Held (tested): .lines truncated, added to, emptied, two files' lines swapped, a line the header no longer
  points to put back where it points; the header not written after a line was appended (disk full, or the
  build killed); the disk full as a line is appended or .lines written anew; a kept line no longer in .lines
  when they are written anew (the check that refuses it now killed by a test); no descriptor left open.
"""

from __future__ import annotations

import errno
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


@pytest.mark.parametrize("tamper", ["truncated", "bytes appended", "emptied", "old line replayed",
                                    "lines swapped"])
def test_lines_tampered_are_a_full_build(twins, tamper):
    rebuilt, fresh, scratch = twins
    path = rebuilt / delta_state.LINES
    data = path.read_bytes()
    edited, kept = _lines(rebuilt)[EDITED], _lines(rebuilt)[KEPT]
    if tamper == "truncated":
        path.write_bytes(data[:edited.offset + edited.length - 1])
    elif tamper == "bytes appended":
        path.write_bytes(data + b"[]\n")
    elif tamper == "emptied":
        path.write_bytes(b"")
    elif tamper == "old line replayed":  # a line the header no longer points to, put where it points
        for project in (rebuilt, fresh):
            apply(project, IN_PLACE[1])
        assert delta.rebuild(rebuilt, NOW + 100) is not None
        pipeline.build(fresh, now=NOW + 100, fresh=True)
        now = _lines(rebuilt)[EDITED]
        data = path.read_bytes()
        old = data[edited.offset:edited.offset + edited.length]
        path.write_bytes(data[:now.offset] + old + data[now.offset + now.length:])
    else:  # each file's line at the other's place
        first, second = sorted([edited, kept])
        a, b = data[first.offset:first.offset + first.length], data[second.offset:second.offset + second.length]
        path.write_bytes(data[:first.offset] + b + data[first.offset + first.length:second.offset] + a
                         + data[second.offset + second.length:])
    step = IN_PLACE[0] if tamper == "old line replayed" else IN_PLACE[1]
    for project in (rebuilt, fresh):
        apply(project, step)
    if tamper != "bytes appended":
        assert delta.rebuild(rebuilt, NOW + 200) is None
    _same_as_fresh(rebuilt, fresh, scratch, NOW + 200)


def _fail_header_write(monkeypatch, error: BaseException) -> None:
    """The header's partial file cannot be made (after the lines were written): `error` raised."""
    open_new = delta_state.open_new

    def failing(path, *args, **kwargs):
        if path.name.startswith(delta_state.PATH.name + ".") and not path.name.startswith(delta_state.LINES.name):
            raise error
        return open_new(path, *args, **kwargs)

    monkeypatch.setattr(delta_state, "open_new", failing)


@pytest.mark.parametrize("how", ["disk full", "killed"])
def test_a_line_appended_and_no_header_written_is_a_full_build_next(twins, monkeypatch, how):
    rebuilt, fresh, scratch = twins
    size = (rebuilt / delta_state.LINES).stat().st_size
    for project in (rebuilt, fresh):
        apply(project, IN_PLACE[1])
    _fail_header_write(monkeypatch, OSError(errno.ENOSPC, "No space left on device") if how == "disk full"
                       else KeyboardInterrupt())
    if how == "disk full":
        assert delta.rebuild(rebuilt, NOW + 100) is not None
    else:
        with pytest.raises(KeyboardInterrupt):
            delta.rebuild(rebuilt, NOW + 100)
    monkeypatch.undo()
    assert (rebuilt / delta_state.LINES).stat().st_size > size, "the line was appended"
    assert delta_state.read(rebuilt, userkey.build_key(rebuilt)) is None
    _same_as_fresh(rebuilt, fresh, scratch, NOW + 100)
    for project in (rebuilt, fresh):
        apply(project, IN_PLACE[0])
    _same_as_fresh(rebuilt, fresh, scratch, NOW + 200)


class _Full:
    """A file whose writes stop after `room` bytes: the disk full. A raw file's write returns what fit; a
    buffered one's (`buffered`, as newfile.open_append gives) writes what fits and raises."""

    def __init__(self, file, room: int, buffered: bool = False) -> None:
        self.file, self.room, self.buffered = file, room, buffered

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.file.close()

    def fileno(self) -> int:
        return self.file.fileno()

    def write(self, data) -> int:
        if not self.room:
            raise OSError(errno.ENOSPC, "No space left on device")
        written = self.file.write(bytes(data)[:self.room])
        self.room -= written
        if self.buffered and written < len(data):
            raise OSError(errno.ENOSPC, "No space left on device")
        return written


@pytest.mark.parametrize("path", ["appended", "written anew"])
def test_a_disk_full_as_the_lines_are_written_ships_the_rebuild_and_records_nothing(twins, monkeypatch, path):
    rebuilt, fresh, scratch = twins
    lines = rebuilt / delta_state.LINES
    if path == "written anew":
        os.link(lines, scratch / "second-name")  # not appended through: written anew
        monkeypatch.setattr(delta_state, "open_new", lambda p, *a, **k: _Full(open(p, "xb"), 5))
    else:
        real_open_append = delta_state.open_append
        monkeypatch.setattr(delta_state, "open_append", lambda p: _Full(real_open_append(p), 5, buffered=True))
    for project in (rebuilt, fresh):
        apply(project, IN_PLACE[1])
    assert delta.rebuild(rebuilt, NOW + 100) is not None
    monkeypatch.undo()
    assert delta_state.read(rebuilt, userkey.build_key(rebuilt)) is None
    assert not list(lines.parent.glob("*.partial"))
    pipeline.build(fresh, now=NOW + 100, fresh=True)
    assert rows(apkg(rebuilt), scratch) == rows(apkg(fresh), scratch)
    for project in (rebuilt, fresh):
        apply(project, IN_PLACE[0])
    _same_as_fresh(rebuilt, fresh, scratch, NOW + 200)


def test_no_descriptor_is_left_open(twins, tmp_path):
    rebuilt, _, _ = twins
    before = set(os.listdir("/proc/self/fd"))
    for number in range(1, 7):
        if number == 3:
            os.link(rebuilt / delta_state.LINES, tmp_path / "second-name")
        step = IN_PLACE[1] if number % 2 else (IN_PLACE[1][0], IN_PLACE[1][2], IN_PLACE[1][1])
        apply(rebuilt, step)
        assert delta.rebuild(rebuilt, NOW + 100 * number) is not None
    assert set(os.listdir("/proc/self/fd")) <= before


def test_a_kept_line_not_in_the_lines_when_they_are_written_anew_records_nothing(twins, tmp_path):
    """The lines written anew (here: .lines has a second name) read the kept ones back; one tampered with
    (a file the rebuild did not read) is not written under the digest the header gives it: no state at all,
    the rebuild shipped, and the next build is a full one."""
    rebuilt, fresh, scratch = twins
    path = rebuilt / delta_state.LINES
    kept = _lines(rebuilt)[KEPT]
    data = bytearray(path.read_bytes())
    data[kept.offset + 2] ^= 1
    path.write_bytes(bytes(data))
    os.link(path, tmp_path / "second-name")
    for project in (rebuilt, fresh):
        apply(project, IN_PLACE[1])
    assert delta.rebuild(rebuilt, NOW + 100) is not None
    assert delta_state.read(rebuilt, userkey.build_key(rebuilt)) is None
    pipeline.build(fresh, now=NOW + 100, fresh=True)
    assert rows(apkg(rebuilt), scratch) == rows(apkg(fresh), scratch)
    for project in (rebuilt, fresh):
        apply(project, IN_PLACE[2])  # the tampered file's
    _same_as_fresh(rebuilt, fresh, scratch, NOW + 200)
