"""How much an Anki package (an export given to `pull`, or build/'s own deck read by `status`) may inflate to:
a zip bomb, a few KiB that inflate to terabytes, would otherwise fill the disk its temporary copy is on."""

from __future__ import annotations

import os
from typing import BinaryIO

LIMIT_MB = 2048  # a collection larger than this, decompressed, is not read ($DECKGEN_EXPORT_MAX_MB)
_CHUNK = 1 << 20


def limit() -> int:
    """The most bytes a package's collection may take decompressed."""
    try:
        megabytes = int(os.environ.get("DECKGEN_EXPORT_MAX_MB", LIMIT_MB))
    except ValueError:
        return LIMIT_MB << 20
    return (megabytes if megabytes > 0 else LIMIT_MB) << 20


def copy_at_most(source: BinaryIO, out: BinaryIO, most: int) -> bool:
    """`source` copied into `out`; False, with no more than `most` bytes written, if it holds more."""
    written = 0
    while chunk := source.read(min(_CHUNK, most - written + 1)):
        written += len(chunk)
        if written > most:
            return False
        out.write(chunk)
    return True
