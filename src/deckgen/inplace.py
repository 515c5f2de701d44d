"""A rebuild's package brought up to date in place: only the blocks of its database that changed are written.

A delta rebuild (delta.py) changes a few rows of the database it keeps beside the package, and SQLite writes
only the pages they are on. Zipping the whole database again into a new file, synced and renamed into place,
cost what the deck costs: at 50,000 cards, copying 39 MB, syncing it, and freeing the old file's blocks took
0.2 s of a 0.8 s rebuild. The package a rebuild replaces holds that database stored (not compressed), as
package.publish(stored=True) wrote it, so its bytes lie at one place in the file. `patch` reads them block by
block beside the database as it is now, writes over the 4 KiB pages that differ, and writes the entry's new
CRC-32 into its two headers. The file then holds exactly the bytes publish(stored=True) writes for that database
(tests/test_inplace.py compares them): the same rows, the same zip.

It is done only to the package the rebuild's state recorded (its device, inode, size and times, checked on the
open file), a regular file with one link (a package hard-linked elsewhere is published anew, never written
through), whose every byte but the database's and its CRC-32 is what publish's own code writes for the database
as it is now (package.write_package, run with the database's bytes passed over: so the database kept its size);
anything else is False, with nothing written, and the caller publishes as before. Unlike a publish, the change
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

from .package import write_package

_BLOCK = 1 << 20  # 1 MiB: a block of each file is read at a time
_PAGE = 1 << 12  # within a block that differs, what differs is written by 4 KiB pages (SQLite's and Linux's)
_LOCAL_CRC_AT = 14  # where a local header (APPNOTE 4.3.7), the package's first bytes, holds its entry's CRC-32
_CENTRAL_CRC_AT = 16  # where a central directory header (4.3.12), the first at its directory's start, holds it
_END = struct.Struct("<4s4H2LH")  # the end of central directory record (4.3.16), with no comment: the last bytes
DATABASE_ENTRY = "collection.anki2"


class _Published(NamedTuple):
    """What publish(stored=True) writes around a database: the bytes before its data and after it, and where in
    those the entry's CRC-32 is (`crc_at`: as offsets in the package)."""

    head: bytes
    tail: bytes
    crc_at: tuple[int, int]

    def crc(self) -> bytes:
        return self.head[_LOCAL_CRC_AT:_LOCAL_CRC_AT + 4]


def patch(database: Path, package: Path, recorded: list[int] | None) -> bool:
    """Make `package` hold `database` as publish(stored=True) writes it, by writing only what differs; True
    when it does. False, with nothing written, when that cannot be done in place (see the module's note).
    `recorded`: the package's stats as the state recorded them (delta_state.stat_of)."""
    try:
        if not stat.S_ISREG(os.lstat(package).st_mode):  # not even opened: a device opened to write may act on it
            return False
        descriptor = os.open(package, os.O_RDWR | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError:
        return False
    with open(descriptor, "r+b", buffering=0):  # closes the descriptor, whatever happens
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1 \
                or [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns] != recorded:
            return False
        with open(database, "rb", buffering=0) as source:
            size = os.fstat(source.fileno()).st_size
            if info.st_size <= size:  # it holds the database compressed (a fresh build's): not read at all
                return False
            published = _published_around(database, size)
            old_crcs = _around_as_published(descriptor, published, size)
            if old_crcs is None:
                return False
            _write_changed(source.fileno(), descriptor, len(published.head))
        for at, old_crc in zip(published.crc_at, old_crcs):
            if old_crc != published.crc():
                _write_at(descriptor, published.crc(), at)
        _sync_data(descriptor)  # before the stamp and the state vouch for the package by its stats
    return True


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


def _published_around(database: Path, size: int) -> _Published:
    """What publish(stored=True) writes around `database` (of `size` bytes), written by publish's own code with
    the database's bytes passed over."""
    sink = _AllButTheData(size)
    write_package(sink, database, stored=True)
    head, tail = bytes(sink.head), bytes(sink.tail)
    central_start = _END.unpack_from(tail, len(tail) - _END.size)[6]
    return _Published(head, tail, (_LOCAL_CRC_AT, central_start + _CENTRAL_CRC_AT))


def _around_as_published(target: int, published: _Published, size: int) -> list[bytes] | None:
    """The CRC-32s the file `target` holds (in its two headers), if every byte of it but the database's (`size`
    bytes) and those is what publish writes (`published`); else None. So its layout and size are publish's."""
    head, tail = published.head, published.tail
    if os.fstat(target).st_size != len(head) + size + len(tail):
        return None
    old = bytearray(os.pread(target, len(head), 0) + os.pread(target, len(tail), len(head) + size))
    new = head + tail
    old_crcs = []
    for at in published.crc_at:  # the CRC-32s are the only bytes allowed to differ
        place = at if at < len(head) else at - size
        old_crcs.append(bytes(old[place:place + 4]))
        old[place:place + 4] = new[place:place + 4]
    return old_crcs if old == new else None


def _write_changed(source: int, target: int, data_start: int) -> None:
    """Each page of the file `source` written over the same page of `target`'s data (from `data_start`)
    where the two differ. Only the pages written are flushed to the disk."""
    offset = 0
    while block := os.pread(source, _BLOCK, offset):
        old = os.pread(target, len(block), data_start + offset)
        if old != block:
            for page in range(0, len(block), _PAGE):
                if old[page:page + _PAGE] != block[page:page + _PAGE]:
                    _write_at(target, block[page:page + _PAGE], data_start + offset + page)
        offset += len(block)


_sync_data = getattr(os, "fdatasync", os.fsync)  # macOS has no fdatasync


def _write_at(target: int, data: bytes, offset: int) -> None:
    view = memoryview(data)
    while view:
        written = os.pwrite(target, view, offset)
        view, offset = view[written:], offset + written
