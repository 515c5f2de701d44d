"""A rebuild's package brought up to date in place: only the blocks of its database that changed are written.

A delta rebuild (delta.py) changes a few rows of the database it keeps beside the package, and SQLite writes
only the pages they are on. Zipping the whole database again into a new file, synced and renamed into place,
cost what the deck costs: at 50,000 cards, copying 39 MB, syncing it, and freeing the old file's blocks took
0.2 s of a 0.8 s rebuild. The package a rebuild replaces holds that database stored (not compressed), as
package.publish(stored=True) wrote it, so its bytes lie at one place in the file. `patch` reads the pages SQLite
wrote (the rebuild's write-ahead log lists them: `pages_in_wal`) beside the package's copy of them, writes over
those that differ, and writes the entry's new CRC-32 into its two headers, made from the old one and the pages
changed (crcmath). The file then holds exactly the bytes publish(stored=True) writes for that database
(tests/test_inplace.py compares them): the same rows, the same zip. Reading all 39 MB twice, to compare them and
to make the CRC-32, cost 40 ms of a 0.45 s rebuild at 50,000 cards; without a list of pages, every page is compared.

It is done only to the package the rebuild's state recorded (its device, inode, size and times, checked on the
open file), a regular file with one link (a package hard-linked elsewhere is published anew, never written
through), whose every byte but the database's and its CRC-32 is what publish's own code writes for the database
as it is now (package.write_package, run with the database's bytes passed over: so the database kept its size;
that frame depends on the size alone, so the rebuild's state keeps it for the next rebuild, MAC'd with the rest);
anything else is None, with nothing written, and the caller publishes as before. Unlike a publish, the change
is not atomic: a build killed while it writes leaves a package that is part old, part new, whose CRC-32 Anki's
importer then refuses. The rebuild forgot its state before this, and the package's times no longer match the
stamp's, so the next build is a full one, which publishes anew.
"""

from __future__ import annotations

import io
import os
import stat
import struct
from pathlib import Path
from typing import NamedTuple

from . import crcmath
from .package import write_package

_BLOCK = 1 << 20  # 1 MiB: a block of each file is read at a time
_PAGE = 1 << 12  # within a block that differs, what differs is written by 4 KiB pages (SQLite's and Linux's)
_LOCAL_CRC_AT = 14  # where a local header (APPNOTE 4.3.7), the package's first bytes, holds its entry's CRC-32
_CENTRAL_CRC_AT = 16  # where a central directory header (4.3.12), the first at its directory's start, holds it
_END = struct.Struct("<4s4H2LH")  # the end of central directory record (4.3.16), with no comment: the last bytes
_END64 = struct.Struct("<4sQ2H2L4Q")  # the zip64 end of central directory record (4.3.14), before its locator
_END64_LOCATOR = 20  # the zip64 end of central directory locator's bytes (4.3.15), before the end record
DATABASE_ENTRY = "collection.anki2"


class Frame(NamedTuple):
    """What publish(stored=True) writes around a database of `size` bytes: the bytes before its data and after it,
    with the entry's CRC-32 (at `crc_at`, as offsets in the package) left as zeros. It does not depend on the
    database's bytes, so a rebuild's state keeps it (delta_state) for the next rebuild of the same size."""

    size: int
    head: bytes
    tail: bytes
    crc_at: tuple[int, int]

    def to_json(self) -> dict:
        return {"size": self.size, "head": self.head.hex(), "tail": self.tail.hex(), "crc_at": list(self.crc_at)}

    @staticmethod
    def from_json(value: object) -> Frame | None:
        try:
            frame = Frame(value["size"], bytes.fromhex(value["head"]), bytes.fromhex(value["tail"]),  # type: ignore[index]
                          tuple(value["crc_at"]))  # type: ignore[index]
        except (TypeError, KeyError, ValueError):
            return None
        return frame if len(frame.crc_at) == 2 and all(type(at) is int for at in frame.crc_at) else None


class Pages(NamedTuple):
    """The pages of a database that SQLite wrote (numbered from 1, of `size` bytes each): every page that may
    differ from the package's copy."""

    size: int
    numbers: frozenset[int]


_WAL_MAGIC = (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83")  # https://www.sqlite.org/fileformat.html#the_wal_file_format
_WAL_HEADER, _WAL_FRAME_HEADER = 32, 24


def pages_in_wal(wal: Path) -> Pages | None:
    """The pages a write-ahead log has frames of, and page 1 (which a change of journal mode writes in the
    database itself); None when the file is not a write-ahead log. Its frames are read as they are: the log is
    one a rebuild's own connection wrote, in a folder of its own (delta._moved_aside)."""
    data = wal.read_bytes()
    if len(data) < _WAL_HEADER or data[:4] not in _WAL_MAGIC:
        return None
    size = int.from_bytes(data[8:12], "big")
    if size < 512 or size > 65536 or size & (size - 1):
        return None
    frame = _WAL_FRAME_HEADER + size
    numbers = {int.from_bytes(data[at:at + 4], "big") for at in range(_WAL_HEADER, len(data) - frame + 1, frame)}
    return Pages(size, frozenset(numbers | {1}))


def patch(database: Path, package: Path, recorded: list[int] | None, pages: Pages | None = None,
          frame: Frame | None = None, *, sync: bool = True) -> Frame | None:
    """Make `package` hold `database` as publish(stored=True) writes it, by writing only what differs; the frame
    it checked the package against when it does. None, with nothing written, when that cannot be done in place
    (see the module's note). `recorded`: the package's stats as the state recorded them (delta_state.stat_of).
    `pages`: the database's pages that may have changed, or None to compare them all. `frame`: publish's frame
    for a database of this size, as an earlier patch found it; None (or another size's) to make it with
    publish's code, which reads the whole database for its CRC-32. `sync`: the pages written are flushed to the
    disk before this returns (a rebuild's state that does not outlive the machine's boot need not wait for it)."""
    try:
        if not stat.S_ISREG(os.lstat(package).st_mode):  # not even opened: a device opened to write may act on it
            return None
        descriptor = os.open(package, os.O_RDWR | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError:
        return None
    with open(descriptor, "r+b", buffering=0):  # closes the descriptor, whatever happens
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1 \
                or [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns] != recorded:
            return None
        with open(database, "rb", buffering=0) as source:
            size = os.fstat(source.fileno()).st_size
            if info.st_size <= size:  # it holds the database compressed (a fresh build's): not read at all
                return None
            crc = None
            if frame is None or frame.size != size:
                frame, crc = _published_around(database, size)
            old_crc = _old_crc(descriptor, frame)
            if old_crc is None:
                return None
            changes = _write_changed(source.fileno(), descriptor, len(frame.head), size, pages)
            if crc is None:
                crc = crcmath.updated(old_crc, size, changes)
        new_crc = crc.to_bytes(4, "little")
        for at in frame.crc_at:
            if os.pread(descriptor, 4, at) != new_crc:
                _write_at(descriptor, new_crc, at)
        if sync:  # before the stamp and the state vouch for the package by its stats
            _sync_data(descriptor)
    return frame


class _AllButTheData(io.RawIOBase):
    """A file that keeps what is written to it around a stored entry's data, which the first write (its local
    header) comes before: the bytes before that data (`head`) and after it (`tail`)."""

    def __init__(self, data_size: int) -> None:
        super().__init__()
        self.data_size, self.position, self.data_start = data_size, 0, -1
        self.head, self.tail = bytearray(), bytearray()

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        if whence != os.SEEK_SET:
            raise OSError("only absolute positions")
        self.position = offset
        return offset

    def write(self, data) -> int:
        data = memoryview(data)  # the database's chunks are passed over, not copied
        if self.data_start < 0:
            self.data_start = self.position + len(data)
        data_end = self.data_start + self.data_size
        for start, end, kept, base in ((self.position, min(self.position + len(data), self.data_start), self.head, 0),
                                       (max(self.position, data_end), self.position + len(data), self.tail, data_end)):
            if start < end:
                piece = data[start - self.position:end - self.position].tobytes()
                kept[len(kept):] = bytes(max(0, start - base - len(kept)))
                kept[start - base:end - base] = piece
        self.position += len(data)
        return len(data)


def frame_of(database: Path) -> Frame:
    """The frame publish(stored=True) writes around `database`, made by publish's own code."""
    return _published_around(database, os.stat(database).st_size)[0]


def _published_around(database: Path, size: int) -> tuple[Frame, int]:
    """What publish(stored=True) writes around `database` (of `size` bytes), written by publish's own code with
    the database's bytes passed over; and the database's CRC-32, which it made."""
    sink = _AllButTheData(size)
    write_package(sink, database, stored=True)
    head, tail = bytearray(sink.head), bytearray(sink.tail)
    crc_at = (_LOCAL_CRC_AT, _central_start(tail) + _CENTRAL_CRC_AT)
    crc = int.from_bytes(head[_LOCAL_CRC_AT:_LOCAL_CRC_AT + 4], "little")
    for at in crc_at:
        place = at if at < len(head) else at - len(head) - size
        (head if at < len(head) else tail)[place:place + 4] = bytes(4)
    return Frame(size, bytes(head), bytes(tail), crc_at), crc


def _central_start(tail: bytes) -> int:
    """Where the central directory starts, by the end records publish wrote last (`tail` ends with them): the end
    record's offset, or the zip64 end record's where that says 0xFFFFFFFF (a directory 4 GiB or more in)."""
    start = _END.unpack_from(tail, len(tail) - _END.size)[6]
    if start != 0xFFFFFFFF:
        return start
    return _END64.unpack_from(tail, len(tail) - _END.size - _END64_LOCATOR - _END64.size)[9]


def _old_crc(target: int, frame: Frame) -> int | None:
    """The CRC-32 the file `target` holds in its local header, if every byte of it but the database's and the
    CRC-32s (in both headers) is what publish writes (`frame`); else None. So its layout and size are publish's."""
    head, tail, size = frame.head, frame.tail, frame.size
    if os.fstat(target).st_size != len(head) + size + len(tail):
        return None
    old = bytearray(os.pread(target, len(head), 0) + os.pread(target, len(tail), len(head) + size))
    crc = old[_LOCAL_CRC_AT:_LOCAL_CRC_AT + 4]
    for at in frame.crc_at:  # the CRC-32s are the only bytes allowed to differ
        place = at if at < len(head) else at - size
        old[place:place + 4] = bytes(4)
    return int.from_bytes(crc, "little") if old == head + tail else None


def _write_changed(source: int, target: int, data_start: int, size: int,
                   pages: Pages | None) -> list[tuple[int, bytes, bytes]]:
    """Each page of the file `source` (of `size` bytes) written over the same page of `target`'s data (from
    `data_start`) where the two differ: those of `pages`, or every one. Only the pages written are flushed to
    the disk. The changes made, as (offset in the data, old bytes, new bytes)."""
    changes = []
    for offset, length in _places(size, pages):
        block = os.pread(source, length, offset)
        old = os.pread(target, len(block), data_start + offset)
        if old == block:
            continue
        page_size = pages.size if pages is not None else _PAGE
        for page in range(0, len(block), page_size):
            if old[page:page + page_size] != block[page:page + page_size]:
                _write_at(target, block[page:page + page_size], data_start + offset + page)
                changes.append((offset + page, old[page:page + page_size], block[page:page + page_size]))
    return changes


def _places(size: int, pages: Pages | None) -> list[tuple[int, int]]:
    """Where to compare the two files, as (offset, length): each of `pages` within the database, or every block."""
    if pages is None:
        return [(offset, _BLOCK) for offset in range(0, size, _BLOCK)]
    return [((number - 1) * pages.size, pages.size) for number in sorted(pages.numbers)
            if 0 < number and (number - 1) * pages.size < size]


_sync_data = getattr(os, "fdatasync", os.fsync)  # macOS has no fdatasync


def _write_at(target: int, data: bytes, offset: int) -> None:
    view = memoryview(data)
    while view:
        written = os.pwrite(target, view, offset)
        view, offset = view[written:], offset + written
