"""Files deckgen opens beside the project's inputs (deck.lock, build/): a file a step writes before renaming it
into place (`….partial`) made new, never an existing one; a file it reads opened without blocking.

open() by name follows a symlink and truncates whatever is there, so a link planted in build/ (or beside
deck.lock, or in cards/) at the name a build is about to write would send the write to any file the user
can write, outside the project. Made with O_EXCL and O_NOFOLLOW, a name that is taken — a file, a folder
or a symlink, dangling or not — is FileExistsError (or ELOOP), and nothing is written through it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path
from typing import IO, Any, BinaryIO

_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
_APPEND = os.O_WRONLY | os.O_APPEND | os.O_NOFOLLOW | os.O_CLOEXEC


def open_new(path: Path, mode: str = "wb", **options: Any) -> IO:
    """`path` opened for writing as open(path, mode, **options) opens it (mode "w…"), but only as a file
    this call creates (with open()'s permissions: 0o666 less the umask)."""
    return _file(os.open(path, _NEW, 0o666), mode, **options)


def open_regular(path: Path) -> BinaryIO:
    """`path` opened for reading, if it is a regular file (through a symlink too). A FIFO is opened without
    waiting for a writer, then refused: open() would have waited for ever (deck.lock, or a state file in
    build/, made a FIFO hung every build, check and status); a device, socket or folder too (OSError EINVAL,
    its strerror saying what it is)."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        _refuse_irregular(os.fstat(descriptor).st_mode, path)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def _file(descriptor: int, mode: str, **options: Any) -> IO:
    """The descriptor as a file object (open()'s `mode` and options); closed if it cannot be made one."""
    try:
        return os.fdopen(descriptor, mode, **options)
    except BaseException:
        os.close(descriptor)
        raise


_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


def file_kind(mode: int) -> str:
    """What a file that is not a regular one is, by its st_mode."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def open_append(path: Path, *, create: bool = False) -> IO[bytes]:
    """`path` opened to add to its end, never through a symlink (OSError ELOOP), and created only with
    `create` (open(path, "ab") would make the file a planted link points to, anywhere). Anything there but a
    regular file is refused (OSError EINVAL, its strerror saying what it is), looked at before it is opened:
    a FIFO opened to write waits for a reader (one at build/.deckgen-build.lock hung every build), and a device
    opened to write may act on that alone; and looked at again once open, for one put there in between."""
    try:
        _refuse_irregular(os.lstat(path).st_mode, path)
    except FileNotFoundError:
        if not create:
            raise
    descriptor = os.open(path, _APPEND | os.O_NONBLOCK | os.O_NOCTTY | (os.O_CREAT if create else 0), 0o666)
    try:
        _refuse_irregular(os.fstat(descriptor).st_mode, path)
    except BaseException:
        os.close(descriptor)
        raise
    return _file(descriptor, "ab")


def _refuse_irregular(mode: int, path: Path) -> None:
    """OSError EINVAL, its strerror saying what the file is, for anything but a regular file — or a symlink, which
    only lstat sees, and which open_append's O_NOFOLLOW refuses (ELOOP), as open_regular follows it."""
    if not stat.S_ISREG(mode) and not stat.S_ISLNK(mode):
        raise OSError(errno.EINVAL, f"{file_kind(mode)}, not a regular file", str(path))


def unlink_quietly(path: Path) -> None:
    """`path` removed if it can be (a symlink itself, never what it points to)."""
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)
