"""A file a step writes before renaming it into place (`….partial`), made new: never an existing one.

open() by name follows a symlink and truncates whatever is there, so a link planted in build/ (or beside
deck.lock, or in cards/) at the name a build is about to write would send the write to any file the user
can write, outside the project. Made with O_EXCL and O_NOFOLLOW, a name that is taken — a file, a folder
or a symlink, dangling or not — is FileExistsError (or ELOOP), and nothing is written through it.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import IO, Any

_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
_APPEND = os.O_WRONLY | os.O_APPEND | os.O_NOFOLLOW | os.O_CLOEXEC


def open_new(path: Path, mode: str = "wb", **options: Any) -> IO:
    """`path` opened for writing as open(path, mode, **options) opens it (mode "w…"), but only as a file
    this call creates (with open()'s permissions: 0o666 less the umask)."""
    descriptor = os.open(path, _NEW, 0o666)
    try:
        return os.fdopen(descriptor, mode, **options)
    except BaseException:
        os.close(descriptor)
        raise


def open_append(path: Path, *, create: bool = False) -> IO[bytes]:
    """`path` opened to add to its end, never through a symlink (OSError ELOOP), and created only with
    `create` (open(path, "ab") would make the file a planted link points to, anywhere)."""
    descriptor = os.open(path, _APPEND | (os.O_CREAT if create else 0), 0o666)
    try:
        return os.fdopen(descriptor, "ab")
    except BaseException:
        os.close(descriptor)
        raise


def unlink_quietly(path: Path) -> None:
    """`path` removed if it can be (a symlink itself, never what it points to)."""
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)
