"""This user's build key: what lets a build trust the shortcuts (memo, stamp) that it finds in build/.

build/ can come from anywhere — a CI cache, a shared folder, an archive — so what deckgen records
there is authenticated with a key that never is in the project: 32 random bytes in
$XDG_CACHE_HOME/deckgen/build-key (~/.cache/deckgen/build-key), made on first use, readable by this
user only. A memo or stamp that this user's deckgen did not write does not authenticate and is
not used: the build reads, checks and renders everything, as `deckgen check` does.

No key (a read-only home, a key file of the wrong kind or owner, a key inside the project) only
means no shortcuts: every build is a full one.
"""

from __future__ import annotations

import os
import stat
from hashlib import blake2b
from pathlib import Path

KEY_BYTES = 32
_cached: dict[str, bytes | None] = {}


def key_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not base or not os.path.isabs(base):  # the XDG spec: a relative path is ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "deckgen" / "build-key"


def build_key(root: Path) -> bytes | None:
    """This user's key, made if there is none yet; None when there is no usable key outside `root`."""
    path = key_path()
    cache_key = f"{path}\0{root}"
    if cache_key not in _cached:
        _cached[cache_key] = _load(path, root)
    return _cached[cache_key]


def mac(key: bytes) -> "blake2b":
    """A keyed digest (BLAKE2b's own keyed mode, a MAC), to feed and then compare with `matches`."""
    return blake2b(key=key, digest_size=32, person=b"deckgen-build")


def _load(path: Path, root: Path) -> bytes | None:
    try:
        if _inside(path, root):
            return None
        return _read(path) or _create(path)
    except OSError:
        return None


def _inside(path: Path, root: Path) -> bool:
    try:
        path.parent.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False


def _read(path: Path) -> bytes | None:
    try:
        # O_NONBLOCK: a FIFO at the key's name opens at once, and is refused below (open() waited for a writer:
        # every build hung); O_NOCTTY: a terminal there never becomes this process's
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    try:
        info = os.fstat(fd)
        if (not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077
                or info.st_size != KEY_BYTES):
            raise PermissionError(f"{path}: not a private key file of this user")
        data = os.read(fd, KEY_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) != KEY_BYTES:
        raise PermissionError(f"{path}: not a key")
    return data


def _create(path: Path) -> bytes | None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        os.write(fd, os.urandom(KEY_BYTES))
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(partial, path)  # never replaces a key another build made meanwhile
    except FileExistsError:
        pass
    finally:
        os.unlink(partial)
    return _read(path)
