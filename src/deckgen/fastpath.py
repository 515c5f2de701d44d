"""`deckgen build` when nothing changed: recognise it from a hash, before loading the pipeline.

A build is a pure function of its inputs: every file under cards/, sources/ and templates/,
deck.lock, the --drop-retired flag, and deckgen itself (its code, the installed packages, the
Python version). After a successful build the CLI records a *stamp* in build/: a digest of those
inputs, the output file's own digest, and the build's summary. The next `deckgen build` digests the
inputs again and, when they and the output file are exactly as stamped, reports the stamped summary
without importing genanki, jinja2, yaml or markdown-it: a rebuild would write the same bytes.

Anything else — a changed, added, removed or renamed input file, a changed deck.lock, a missing or
modified output, a different deckgen or package version, an unreadable file, a damaged stamp —
means a real build. Only this module and the CLI read or write the stamp.
"""

from __future__ import annotations

import functools
import json
import os
import stat
import sys
import time
from hashlib import blake2b
from hmac import compare_digest
from pathlib import Path

from . import userkey
from .diagnostics import is_editor_file

STAMP = Path("build") / ".deckgen-stamp.json"
STAMP_FORMAT = 2  # 2: with a MAC of this user's key (userkey.py)
INPUT_DIRS = ("cards", "sources", "templates")
LOCK_FILE = "deck.lock"
# What a build reports as changed; a rebuild with nothing changed reports none of it.
CHANGE_KEYS = ("added", "changed", "renamed", "suspected_renames", "retired", "notice_added", "dropped",
               "note_types_changed")
_CHUNK = 1 << 16  # 64 KiB: a chunk and the next are both alive for a moment; at 1 MiB, that was 2 MiB of the peak


def snapshot(root: Path) -> str | None:
    """Digest of everything a build reads except deck.lock (which the build itself rewrites).

    Taken before a build and again after it: when the two differ, an input changed while the build
    was reading it, and no stamp is recorded. None when any input cannot be read.
    """
    return digest_of(root, INPUT_DIRS)


def digest_of(root: Path, folders: tuple[str, ...], files: tuple[str, ...] = ()) -> str | None:
    """Digest of deckgen itself (code, packages, Python) and of the named folders and files under root.

    A missing folder or file counts as an input too (it digests differently from an empty one).
    None when anything cannot be read.
    """
    digest = blake2b(digest_size=32)
    try:
        _feed_text(digest, _environment())
        for name in folders:
            folder = root / name
            _feed_text(digest, f"dir {name} {folder.is_dir()}")
            for path in _files(folder):
                if path.is_dir():
                    _feed_text(digest, f"folder {path.relative_to(root).as_posix()}")
                else:
                    _feed_file(digest, path.relative_to(root).as_posix(), path)
        for name in files:
            _feed_file_or_absence(digest, name, root / name)
    except OSError:
        return None
    return digest.hexdigest()


def probe(root: Path, *, drop_retired: bool) -> tuple[dict | None, str | None]:
    """(the summary to report if the last build's inputs and output are unchanged, else None;
    the snapshot of the inputs, to hand to `record` after a real build)."""
    started = time.perf_counter()
    inputs = snapshot(root)
    stamp = _read_stamp(root)
    if stamp is None or inputs is None:
        return None, inputs
    output = root / "build" / stamp["output"]
    if stamp["key"] != _key(root, inputs, drop_retired, stamp["output"]) or stamp["output_digest"] != _digest(output):
        return None, inputs
    summary = dict(stamp["summary"])
    summary["output"] = str(output)
    summary["seconds"] = round(time.perf_counter() - started, 3)
    return summary, inputs


def record(root: Path, before: str | None, summary: dict, *, drop_retired: bool) -> None:
    """After a successful build: stamp it, unless an input changed while it ran (then forget any stamp)."""
    path = root / STAMP
    after = snapshot(root)
    output = Path(summary["output"])
    output_digest = _digest(output)
    key = _key(root, after, drop_retired, output.name) if after is not None and after == before else None
    if key is None or output_digest is None:
        forget(root)
        return
    build_key = userkey.build_key(root)
    if build_key is None:  # no key, no stamp: a stamp nobody can authenticate would be skipped anyway
        forget(root)
        return
    stamp = {"format": STAMP_FORMAT, "key": key, "output": output.name, "output_digest": output_digest,
             "summary": steady(summary)}
    stamp["mac"] = _mac(build_key, stamp)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    try:
        partial.write_text(json.dumps(stamp, sort_keys=True, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, path)
    except OSError:  # only a missed shortcut: the next build is a real one
        partial.unlink(missing_ok=True)
        forget(root)


def forget(root: Path) -> None:
    try:
        (root / STAMP).unlink(missing_ok=True)
    except OSError:
        pass


def steady(summary: dict) -> dict:
    """What a rebuild with nothing changed reports: the same deck, and no changes."""
    result = {key: value for key, value in summary.items() if key not in ("output", "seconds")}
    for key in CHANGE_KEYS:
        if key in result:
            result[key] = []
    if "unchanged" in result:
        result["unchanged"] = result["notes"]
    result["lock_written"] = False
    return result


# --- digests ------------------------------------------------------------------------------------
def _key(root: Path, inputs: str, drop_retired: bool, output: str) -> str | None:
    digest = blake2b(digest_size=32)
    _feed_text(digest, f"inputs {inputs} drop_retired={drop_retired} output {output}")
    try:
        _feed_file_or_absence(digest, LOCK_FILE, root / LOCK_FILE)
    except OSError:
        return None
    return digest.hexdigest()


def _digest(path: Path) -> str | None:
    digest = blake2b(digest_size=32)
    try:
        _feed_file(digest, path.name, path)
    except OSError:
        return None
    return digest.hexdigest()


def _files(folder: Path) -> list[Path]:
    """Every file below `folder`, in a stable order (symlinks followed, as the build follows them)."""
    if not folder.is_dir():
        return []
    found = []
    for parent, dirs, files in os.walk(folder, onerror=_raise, followlinks=True):
        dirs.sort()
        if parent != str(folder):  # a folder counts too (one named like a card file is refused by a build)
            found.append(Path(parent))
        found += [Path(parent) / name for name in sorted(files) if not is_editor_file(name)]
    return found


def _raise(error: OSError) -> None:  # an unreadable folder: no digest, so a real build (which reports it)
    raise error


def _feed_file(digest, name: str, path: Path) -> None:
    with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:  # a FIFO opens at once...
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):  # ...and, like a device, is no input: a real build says so
            raise OSError(f"{name}: not a regular file")
        size = info.st_size
        _feed_text(digest, f"file {name} {size}")
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)


def _feed_file_or_absence(digest, name: str, path: Path) -> None:
    """A file's contents, or the fact that it does not exist (any other OSError is raised)."""
    try:
        _feed_file(digest, name, path)
    except FileNotFoundError:
        _feed_text(digest, f"no {name}")


def _feed_text(digest, text: str) -> None:
    data = text.encode("utf-8", "surrogateescape")
    digest.update(len(data).to_bytes(8, "big") + data)


@functools.lru_cache(maxsize=1)  # the code and packages this process runs do not change under it
def _environment() -> str:
    """deckgen's own code and default templates, the installed packages (with versions) and the Python running them."""
    digest = blake2b(digest_size=32)
    package = Path(__file__).resolve().parent
    for path in sorted(package.glob("*.py")):
        _feed_file(digest, path.name, path)
    for path in sorted((package / "default_templates").rglob("*")):  # the templates a project does not override
        if path.is_file():
            _feed_file(digest, path.relative_to(package).as_posix(), path)
    installed = []
    for entry in sys.path:
        if entry.endswith(("site-packages", "dist-packages")) and os.path.isdir(entry):
            installed += [name for name in os.listdir(entry) if name.endswith((".dist-info", ".egg-info"))]
    return f"{sys.version} {sys.executable} {' '.join(sorted(installed))} {digest.hexdigest()}"


def _read_stamp(root: Path) -> dict | None:
    try:
        stamp = json.loads((root / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    fields = {"format": int, "key": str, "output": str, "output_digest": str, "summary": dict}
    if not isinstance(stamp, dict) or any(not isinstance(stamp.get(k), t) for k, t in fields.items()):
        return None
    if stamp["format"] != STAMP_FORMAT or "/" in stamp["output"] or stamp["output"].startswith("."):
        return None
    # build/ may come from anywhere (a CI cache, a shared folder): only a stamp this user's deckgen wrote counts
    build_key = userkey.build_key(root)
    mac = stamp.pop("mac", None)
    if build_key is None or not isinstance(mac, str) or not compare_digest(mac, _mac(build_key, stamp)):
        return None
    return stamp


def _mac(build_key: bytes, stamp: dict) -> str:
    digest = userkey.mac(build_key)
    digest.update(json.dumps(stamp, sort_keys=True, ensure_ascii=False).encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def text_digest(text: str) -> str:
    return blake2b(text.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()
