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
import zipfile
from pathlib import Path
from typing import NamedTuple

from .package import write_package

_BLOCK = 1 << 20  # 1 MiB: a block of each file is read at a time
_PAGE = 1 << 12  # within a block that differs, what differs is written by 4 KiB pages (SQLite's and Linux's)
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # a zip entry's local header (APPNOTE 4.3.7), before its name
_LOCAL_SIGNATURE = b"PK\x03\x04"
_LOCAL_CRC_AT = 14
_CENTRAL_SIGNATURE = b"PK\x01\x02"
_CENTRAL_CRC_AT = 16
_CENTRAL_NAME_AT = 46
_END = struct.Struct("<4s4H2LH")  # the end of central directory record (APPNOTE 4.3.16), with no comment
_END_SIGNATURE = b"PK\x05\x06"
DATABASE_ENTRY = "collection.anki2"


class _Layout(NamedTuple):
    """Where the stored database is in a package, and where its CRC-32 is written."""

    data_start: int
    crc: int
    central_crc_at: int


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
    with open(descriptor, "r+b", buffering=0) as handle:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1 \
                or [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns] != recorded:
            return False
        with open(database, "rb", buffering=0) as source:
            size = os.fstat(source.fileno()).st_size
            layout = _layout(handle, info.st_size, size)
            if layout is None:
                return False
            crc = _published_around(descriptor, database, layout, size)
            if crc is None:
                return False
            _write_changed(source.fileno(), descriptor, layout.data_start)
        if crc != layout.crc:
            written = struct.pack("<L", crc)
            _write_at(descriptor, written, _LOCAL_CRC_AT)
            _write_at(descriptor, written, layout.central_crc_at)
        _sync_data(descriptor)  # before the stamp and the state vouch for the package by its stats
    return True


def _layout(handle, package_size: int, database_size: int) -> _Layout | None:
    """The stored database's place in the package, if the package is laid out as publish(stored=True) writes
    it for a database of `database_size` bytes: that entry first and stored, then the media entry; else None."""
    try:
        with zipfile.ZipFile(handle) as archive:  # a file handed to it is left open
            entries = archive.infolist()
    except (OSError, zipfile.BadZipFile, ValueError):
        return None
    if [entry.filename for entry in entries] != [DATABASE_ENTRY, "media"]:
        return None
    entry = entries[0]
    if entry.compress_type != zipfile.ZIP_STORED or entry.header_offset != 0 or entry.flag_bits & 0x8 \
            or entry.file_size != database_size or entry.compress_size != database_size:
        return None
    local = os.pread(handle.fileno(), _LOCAL_HEADER.size, 0)
    end = os.pread(handle.fileno(), _END.size, package_size - _END.size)
    if len(local) != _LOCAL_HEADER.size or len(end) != _END.size:
        return None
    signature, *_, crc, _, _, name_length, extra_length = _LOCAL_HEADER.unpack(local)
    end_signature, *_, central_start, _ = _END.unpack(end)
    central = os.pread(handle.fileno(), _CENTRAL_NAME_AT + len(DATABASE_ENTRY), central_start)
    if signature != _LOCAL_SIGNATURE or crc != entry.CRC or end_signature != _END_SIGNATURE \
            or central[:4] != _CENTRAL_SIGNATURE or central[_CENTRAL_NAME_AT:] != DATABASE_ENTRY.encode() \
            or struct.unpack_from("<L", central, _CENTRAL_CRC_AT)[0] != entry.CRC:
        return None
    return _Layout(_LOCAL_HEADER.size + name_length + extra_length, entry.CRC, central_start + _CENTRAL_CRC_AT)


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


def _published_around(target: int, database: Path, layout: _Layout, size: int) -> int | None:
    """The new CRC-32 when every byte of `target` but the database's and its two CRC-32s is what publish(stored=True)
    writes for `database` (written with publish's own code, the database's bytes passed over); else None."""
    sink = _AllButTheData(size)
    write_package(sink, database, stored=True)
    head, tail = sink.head, sink.tail
    if sink.data_start != layout.data_start or os.fstat(target).st_size != len(head) + size + len(tail):
        return None
    crc = bytes(head[_LOCAL_CRC_AT:_LOCAL_CRC_AT + 4])
    old = bytearray(os.pread(target, len(head), 0)), bytearray(os.pread(target, len(tail), len(head) + size))
    old[0][_LOCAL_CRC_AT:_LOCAL_CRC_AT + 4] = crc  # the CRC-32s are the only bytes allowed to differ
    central_at = layout.central_crc_at - len(head) - size
    if not 0 <= central_at <= len(tail) - 4:
        return None
    old[1][central_at:central_at + 4] = crc
    if old != (head, tail):
        return None
    return struct.unpack("<L", crc)[0]


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
