"""build/ as a build uses it: one build of a project at a time, the scratch files a killed build left,
and the message for a file that cannot be written."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import shutil
import sqlite3
from pathlib import Path
from typing import Iterator

from .background import InThread
from .diagnostics import DeckgenFailure, Diagnostic, Location, display_path
from .lock import LOCK_FILE
from .newfile import open_append, unlink_quietly


REPLACED_LOCK = ".deckgen-replaced.lock"  # in build/: the deck.lock the last rebuild replaced (delta._OldLock)


def remove_leftovers(root: Path, build_dir: Path) -> InThread[None]:
    """Scratch files of a build that was killed. Safe: the caller holds the build lock. The deck.lock the last
    rebuild replaced, which it kept linked in build/ so as not to wait while its blocks were freed, is removed in
    a thread (returned: a rebuild waits for it before it keeps another one); freeing 44 MB took 16 to 25 ms at
    50,000 cards on this project's ext4 (mounted with discard), meanwhile the build goes on."""
    for scratch in build_dir.glob(".deckgen-*"):
        if scratch.is_dir() and not scratch.is_symlink():
            shutil.rmtree(scratch, ignore_errors=True)
        elif scratch.name.endswith(".partial"):  # a stamp or memo being written
            unlink_quietly(scratch)
    for partial in root.glob(f".{LOCK_FILE}.*.partial"):
        unlink_quietly(partial)
    return InThread(unlink_quietly, build_dir / REPLACED_LOCK)


AGAIN = {"build": "build again", "preview": "run deckgen preview again"}  # what a message tells to do next


@contextlib.contextmanager
def exclusive(root: Path, output: Path, command: str = "build") -> Iterator[None]:
    """One build (or preview: `command`) at a time per project: a second concurrent one fails fast with a clear
    message. The lock is `output`'s neighbour, .deckgen-<command>.lock."""
    lock_path = output.parent / f".deckgen-{command}.lock"
    again = AGAIN[command]
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        handle = open_append(lock_path, create=True)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # a link planted there: flock would take, and "a" make, the file it points to
            raise DeckgenFailure([Diagnostic(Location(display_path(lock_path, root)),
                                             "cannot write: it is a symbolic link (deckgen never writes through one)",
                                             f"remove it and {again}")]) from None
        if exc.errno == errno.EINVAL and exc.filename == str(lock_path):  # a FIFO, a device: never opened to write
            raise DeckgenFailure([Diagnostic(Location(display_path(lock_path, root)), f"cannot write: {exc.strerror}",
                                             f"remove it and {again}")]) from None
        raise DeckgenFailure([write_error(root, output.parent, exc)]) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DeckgenFailure([Diagnostic(Location(display_path(output, root)),
                                             f"another deckgen {command} of this project is running",
                                             f"wait for it to finish, then {again}")]) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_error(root: Path, path: Path, exc: OSError | sqlite3.Error) -> Diagnostic:
    if isinstance(exc, FileExistsError) and exc.filename:  # at a name deckgen makes anew (newfile.open_new)
        return Diagnostic(Location(display_path(path, root)), f"cannot write: {in_the_way(root, exc)}",
                          "remove it and build again; the previous deck and lock are unchanged")
    reason = getattr(exc, "strerror", None) or exc
    folder = "the project folder (deck.lock is written beside it)" if path.name == LOCK_FILE else "build/"
    return Diagnostic(Location(display_path(path, root)), f"cannot write: {reason}",
                      f"check that {folder} exists and is writable; the previous deck and lock are unchanged")


def in_the_way(root: Path, exc: FileExistsError) -> str:
    """What is wrong when a file deckgen writes anew, before renaming it into place, is there already."""
    return (f"{display_path(Path(exc.filename), root)} is in the way (a file, folder or link left there: "
            "deckgen makes that file itself, and never writes through one it did not make)")
