"""`deckgen build` when nothing changed: recognise it from a hash, before loading the pipeline.

A build is a pure function of its inputs: every file under cards/, sources/ and templates/,
deck.lock, the --drop-retired flag, and deckgen itself (its code, the installed packages, the
Python version). After a successful build the CLI records a *stamp* in build/: a digest of those
inputs but deck.lock, the stats of deck.lock and of the output as the build left them, and the build's
summary. The next `deckgen build` digests the inputs again and, when they are as stamped and deck.lock
and the output still have those stats (device, inode, size, modification and change times: a file written
again, or replaced, has others), reports the stamped summary without importing genanki, jinja2, yaml or
markdown-it: a rebuild would write the same bytes. (deck.lock and the output are the build's own, written
just before the stamp: digesting their contents — 83 MB at 50,000 cards — cost more than the rest of a
one-card rebuild.)

Anything else — a changed, added, removed or renamed input file, a changed deck.lock, a missing or
modified output, a different deckgen or package version, an unreadable file, a damaged stamp —
means a real build. Only this module and the CLI read or write the stamp.

Digesting does not read every file every time. Each file enters a digest as its name and its own content
digest; the stamp also records, for each input file, that
content digest and the file's stat (size, modification and change times, inode, device), and when those
stats were taken. A file whose stat is the recorded one reuses the recorded digest, unless it changed
within 2 s before the stats were taken (git's "racily clean" rule: a file written again in the same tick
of the file system's clock can keep its stat); any other file is read. Writing a file sets its change
time, which no tool sets back, so an edit that keeps the size and restores the modification time is
still read. A digest made so is the one reading every file gives: only the per-file digests are reused;
a missing, damaged or foreign stamp (its MAC) gives none. A process keeps what it learnt (the build
after a probe, the memo's digests of the context), and a no-change build writes the stamp again when
files it had to read, written just before the last build, have since settled, so that the next one reads
none.
"""

from __future__ import annotations

import functools
import json
import os
import stat
import sys
import time
from collections.abc import Iterable
from hashlib import blake2b
from hmac import compare_digest
from pathlib import Path
from typing import NamedTuple

from . import userkey
from .diagnostics import is_editor_file
from .newfile import open_new, open_regular, unlink_quietly

STAMP = Path("build") / ".deckgen-stamp.json"
STAMP_FORMAT = 4  # 2: with a MAC of this user's key (userkey.py); 3: with each file's stat and digest;
# 4: deck.lock and the output by their stats
INPUT_DIRS = ("cards", "sources", "templates")
LOCK_FILE = "deck.lock"
# What a build reports as changed; a rebuild with nothing changed reports none of it.
CHANGE_KEYS = ("added", "changed", "renamed", "revived", "suspected_renames", "retired", "notice_added", "dropped",
               "note_types_changed", "note_types_added")
_CHUNK = 1 << 16  # 64 KiB: a chunk and the next are both alive for a moment; at 1 MiB, that was 2 MiB of the peak
RACY_NS = 2_000_000_000  # a file changed this close to when its stat was taken may change again and keep it
_UNREAD = object()  # a stamp not read yet


class Inputs(NamedTuple):
    """Every input (every file and folder under cards/, sources/ and templates/) by its name in the project,
    in a stable order, with its own content digest ("folder" for a folder, "none" for a missing top folder),
    and what a build's listings find (DOCUMENTS_LISTED, NESTED_CARD_FILES_LISTED), as one walk of the project
    found them. Two are the same (`same`) when their entries are. A NamedTuple, not a frozen dataclass: the
    no-change probe makes one, and must not load the dataclasses machinery (nor inspect) on its fastest path."""

    entries: dict[str, str]
    digest: str  # of deckgen itself and of the entries: what the stamp's key is made from
    recorded: dict  # what the walk knew of each file, for the stamp (_Reader.recorded)
    settled: bool  # a file was read that the next walk can take from the stamp

    def same(self, other: Inputs | None) -> bool:
        """Whether `other` found the same inputs (the entries; not the digest of deckgen, nor what was read)."""
        return other is not None and self.entries == other.entries


def snapshot(root: Path, stamp: dict | None | object = _UNREAD) -> Inputs | None:
    """The inputs as they are now, by one walk. Taken before a build reads them and again as it ends: when the
    two differ, an input changed while the build was reading it, and nothing that vouches for it is recorded.
    None when any input cannot be listed or read (a build reports it). `stamp`: the stamp already read."""
    reader = _Reader(root, stamp)
    try:
        entries = _entries(reader, INPUT_DIRS)
    except OSError:
        return None
    return Inputs(entries, _digest(entries, ()), reader.recorded(), reader.settled)


def digest_of(root: Path, folders: tuple[str, ...], files: tuple[str, ...] = ()) -> str | None:
    """Digest of deckgen itself (code, packages, Python) and of the named folders and files under root.

    A missing folder or file counts as an input too (it digests differently from an empty one).
    None when anything cannot be read. Files whose stat shows they cannot have changed since this
    process or the stamp digested them are not read again (see _Reader).
    """
    reader = _Reader(root)
    try:
        return _digest(_entries(reader, folders), [reader.file_or_absence(name, reader.root / name) for name in files])
    except OSError:
        return None


def read_as_found(read: dict[str, str | None] | None, found: dict[str, str] | None) -> bool:
    """Whether each input a build read (trust.reads_recorded: name -> digest of the bytes read) is, by its
    digest in `found` (Inputs.entries, taken after the build), the file that is there now; and whether each
    listing it made (trust.record_listing) found what `found` holds there."""
    return found is not None and all(found.get(name) == digest for name, digest in (read or {}).items())


# What a build lists rather than reads, by the name the ledger (trust.record_listing) and a snapshot's entries
# give it: a file away for a moment while it was listed is read by nothing. No file's name holds a NUL.
DOCUMENTS_LISTED = "sources/*.md\0listed"  # sources.document_paths: lint reads the sources' names from them
NESTED_CARD_FILES_LISTED = "cards/*/**.yaml\0listed"  # cards._nested_card_files: each one refuses the build
_LISTINGS = {"sources": DOCUMENTS_LISTED, "cards": NESTED_CARD_FILES_LISTED}


def listing_digest(names: Iterable[str]) -> str:
    """What a listing found, as the ledger and a snapshot keep it: the names (in the project) it gave."""
    return text_digest("\0".join(sorted(names)))


def probe(root: Path, *, drop_retired: bool) -> tuple[dict | None, Inputs | None]:
    """(the summary to report if the last build's inputs and output are unchanged, else None;
    the inputs as they are, to hand to the build, which reads nothing before it, and to `record` after it)."""
    started = time.perf_counter()
    stamp = _read_stamp(root)
    inputs = snapshot(root, stamp)
    if stamp is None or inputs is None:
        return None, inputs
    output = root / "build" / stamp["output"]
    if stamp["key"] != _key(inputs.digest, drop_retired, stamp["output"]) \
            or stamp["outputs"] != _outputs(root, output):
        return None, inputs
    if inputs.settled:  # files read this time can be vouched for now: the next probe need not read them
        _write_stamp(root, {**stamp, **inputs.recorded})
    summary = dict(stamp["summary"])
    summary["output"] = str(output)
    summary["seconds"] = round(time.perf_counter() - started, 3)
    return summary, inputs


def record(root: Path, before: Inputs | None, summary: dict, *, drop_retired: bool,
           read: dict[str, str | None] | None = None, after: Inputs | None = None) -> None:
    """After a successful build: stamp it, unless an input changed while it ran (then forget any stamp):
    the inputs now are not the ones `before` was taken of, or not the bytes the build read (`read`,
    trust.reads_recorded: a file changed and changed back while it ran). `after`: the inputs as the build
    ended, when it took them (Built.held); else they are taken now."""
    now = after if after is not None else snapshot(root)
    output = Path(summary["output"])
    unchanged = now is not None and now.same(before) and read_as_found(read, now.entries)
    if not unchanged or output != root / "build" / output.name:  # not where the next probe looks for it
        forget(root)
        return
    stamp = {"format": STAMP_FORMAT, "key": _key(now.digest, drop_retired, output.name), "output": output.name,
             "outputs": _outputs(root, output), "summary": steady(summary), **now.recorded}
    if not _write_stamp(root, stamp):  # no key, or build/ not writable: the next build is a real one
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
def _entries(reader: _Reader, folders: tuple[str, ...]) -> dict[str, str]:
    """Every folder and file under the named folders, by name, with its content digest ("folder" for a
    folder, "none" for a missing top folder); after a folder that a build lists (_LISTINGS), what that
    listing finds there, as listing_digest gives it. OSError when one cannot be listed or read."""
    found: dict[str, str] = {}
    for name in folders:
        found[f"{name}/"] = "folder" if (reader.root / name).is_dir() else "none"
        listed: list[str] = []
        for shown, path, is_folder in _files(reader.root / name, name, listed):
            found[shown] = "folder" if is_folder else reader.file_digest(shown, path)
        if name in _LISTINGS:
            found[_LISTINGS[name]] = listing_digest(listed)
    return found


def _digest(entries: dict[str, str], files: Iterable[str]) -> str:
    """Digest of deckgen itself, of `entries` (_entries) and of named files (_Reader.file_or_absence)."""
    digest = blake2b(digest_size=32)
    _feed_text(digest, installation())
    for name, content in entries.items():
        _feed_text(digest, f"entry {name} {content}")
    for text in files:
        _feed_text(digest, text)
    return digest.hexdigest()


def _key(inputs: str, drop_retired: bool, output: str) -> str:
    digest = blake2b(digest_size=32)
    _feed_text(digest, f"inputs {inputs} drop_retired={drop_retired} output {output} boot {boot_id()}")
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def boot_id() -> str:
    """This boot of the machine (Linux's boot id), or "" where the system gives none.

    The stamp and a rebuild's state (delta_state) vouch for build/'s files by their stats, and stats can
    outlive the bytes: after a power cut, a file's new times may be on the disk while pages written in place
    into it are not. A power cut means a new boot, so a stamp or state taken in another boot vouches for
    nothing: the first build after a restart is a full one (the memo, which checks its own entries, keeps it
    short), and a rebuild need not wait for its pages to reach the disk (a disk flush, 1 to 73 ms on this
    project's VM). Where there is no boot id, a rebuild syncs the package it patched, as before."""
    try:
        with open("/proc/sys/kernel/random/boot_id", "rb") as handle:
            return handle.read(64).decode("ascii", "replace").strip()
    except OSError:
        return ""


def _outputs(root: Path, output: Path) -> list:
    """deck.lock's and the output's stats (device, inode, size, modification and change times), None for
    one that is missing."""
    found = []
    for path in (root / LOCK_FILE, output):
        try:
            info = os.stat(path)
        except OSError:
            found.append(None)
            continue
        found.append([info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns])
    return found


def _files(folder: Path, name: str, listed: list[str]) -> list[tuple[str, str, bool]]:
    """(name in the project, path, True for a folder) of every folder and file below `folder`, named `name`
    in the project, in a stable order (symlinks followed, as the build follows them); into `listed`, what
    a build's listing of it finds (_listed). Strings, not Paths: at 50,000 cards, making a Path of each
    file took more time than checking that none changed."""
    top = str(folder)
    if not os.path.isdir(top):
        return []
    found = []
    for parent, dirs, files in os.walk(top, onerror=_raise, followlinks=True):
        dirs.sort()
        listed += _listed(name, parent[len(top):].split(os.sep)[1:], dirs, files)
        shown = name + parent[len(top):].replace(os.sep, "/")
        if parent != top:  # a folder counts too (one named like a card file is refused by a build)
            found.append((shown, parent, True))
        found += [(f"{shown}/{file}", os.path.join(parent, file), False) for file in sorted(files)
                  if name == "templates" or not is_editor_file(file)]  # a template can include any file
    return found


def _listed(name: str, below: list[str], dirs: list[str], files: list[str]) -> list[str]:
    """What a build's listing of the input folder `name` finds in one folder of it (`below`: the folders on
    the way to it, none for the top), by name in the project: right in sources/, each name ending in .md, a
    folder's too, as sources.document_paths's glob gives them; in a folder under cards/, each YAML file, as
    cards._nested_card_files gives them. Neither a hidden or editor's file, nor one in such a folder. Only
    those few names are looked at: none of the files right in cards/."""
    if name == "sources" and not below:
        return [f"sources/{entry}" for entry in dirs + files if entry.endswith(".md") and not is_editor_file(entry)]
    if name != "cards" or not below or any(is_editor_file(folder) for folder in below):
        return []
    shown = "/".join(["cards", *below])
    return [f"{shown}/{file}" for file in files if file.endswith((".yaml", ".yml")) and not is_editor_file(file)]


def _raise(error: OSError) -> None:  # an unreadable folder: no digest, so a real build (which reports it)
    raise error


def _hash_file(path: str | Path) -> tuple[str, tuple[int, ...] | None]:
    """(the digest of a regular file's contents; the stat it was read under, None when that changed while
    it was read). The only place where an input's contents are read."""
    with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:  # a FIFO opens at once...
        before = os.fstat(handle.fileno())
        if not stat.S_ISREG(before.st_mode):  # ...and, like a device, is no input: a real build says so
            raise OSError(f"{path}: not a regular file")
        digest = blake2b(digest_size=32)
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
        after = os.fstat(handle.fileno())
    stats = _stat_of(before)
    return digest.hexdigest(), stats if stats == _stat_of(after) else None


def _stat_of(info: os.stat_result) -> tuple[int, int, int, int, int]:
    """What says a file is the one digested before: any write changes the change time, which no tool sets."""
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev


def _settled(stats: tuple[int, ...], taken_at: int) -> bool:
    """Whether a file with these stats, taken at `taken_at` (wall clock, ns), keeps them only while unchanged:
    not when it was modified or changed within RACY_NS of then (the same tick of a coarse clock)."""
    return taken_at - stats[1] >= RACY_NS and taken_at - stats[2] >= RACY_NS


def _wall_ns() -> int:
    return time.time_ns()


def _feed_text(digest, text: str) -> None:
    data = text.encode("utf-8", "surrogateescape")
    digest.update(len(data).to_bytes(8, "big") + data)


# --- what is known of a project's files ----------------------------------------------------------
# project (absolute path) -> file name in it -> (stat, content digest, wall-clock ns when the stat was taken)
_KNOWN: dict[str, dict[str, tuple[tuple[int, ...], str, int]]] = {}


class _Reader:
    """The content digests of one digest run: reused when a file's stat is one digested before, at least
    RACY_NS after the file last changed; read otherwise. What it digests goes back into what is known, and
    into the stamp (`recorded`)."""

    def __init__(self, root: Path, stamp: dict | None | object = _UNREAD):
        self.root = root
        self.taken_at = _wall_ns()  # before any stat of this run: every file's stat is at least this recent
        self.known = _known(root, stamp)
        self.seen: dict[str, tuple[tuple[int, ...], str, int]] = {}
        self.settled = False  # a file was read that the next run can take from the stamp

    def file_digest(self, name: str, path: str | Path) -> str:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):  # a FIFO, a device, a folder: no input (a real build says so)
            raise OSError(f"{name}: not a regular file")
        entry = self.known.get(name)
        if entry is not None and entry[0] == _stat_of(info) and _settled(entry[0], entry[2]):
            self._learn(name, entry[0], entry[1])
            return entry[1]
        content, stats = _hash_file(path)
        if stats is not None:
            self._learn(name, stats, content)
            self.settled = self.settled or _settled(stats, self.taken_at)
        return content

    def file_or_absence(self, name: str, path: Path) -> str:
        """What a file named in the project adds to a digest: its contents, or that it does not exist."""
        try:
            return f"file {name} {self.file_digest(name, path)}"
        except FileNotFoundError:
            return f"no {name}"

    def recorded(self) -> dict:
        """This run's files, for the stamp. Those reused were settled at an earlier time, so they are at
        this run's, which is earlier than any change to them would be."""
        files = {name: [*stats, content] for name, (stats, content, _) in self.seen.items()}
        return {"taken_at_ns": self.taken_at, "files": files}

    def _learn(self, name: str, stats: tuple[int, ...], content: str) -> None:
        self.seen[name] = self.known[name] = (stats, content, self.taken_at)


def _known(root: Path, stamp: dict | None | object = _UNREAD) -> dict:
    """What this process knows of the files of the project at root; the first time, what its stamp
    recorded, if the stamp authenticates (`stamp`: the stamp already read, or None for none)."""
    project = os.path.abspath(root)
    known = _KNOWN.get(project)
    if known is None:
        known = _KNOWN[project] = {}
        if stamp is _UNREAD:
            stamp = _read_stamp(root)
    if isinstance(stamp, dict):
        for name, entry in _stamped(stamp).items():
            if name not in known or known[name][2] < entry[2]:  # both are true; the later is likelier settled
                known[name] = entry
    return known


def _stamped(stamp: dict) -> dict[str, tuple[tuple[int, ...], str, int]]:
    taken_at = stamp["taken_at_ns"]
    return {name: (tuple(value[:5]), value[5], taken_at) for name, value in stamp["files"].items()}


@functools.lru_cache(maxsize=1)  # the code and packages this process runs do not change under it
def installation() -> str:
    """deckgen's own code and default templates, the installed packages (with versions) and the Python running them.

    deckgen's files are taken by their stats, as Python itself takes a module's cached bytecode by its source's
    (here with the change time, inode and device too, which no tool sets back), and by their contents only while
    those stats are racy (RACY_NS, as for inputs): reading the 0.9 MB of deckgen's code was 4 of the 5 ms this
    took on every build, the no-change one included."""
    digest = blake2b(digest_size=32)
    package = Path(__file__).resolve().parent
    now = time.time_ns()
    code = sorted(package.glob("*.py"))
    templates = sorted(path for path in (package / "default_templates").rglob("*") if path.is_file())
    for path in code + templates:  # the templates: those a project does not override
        _feed_text(digest, f"file {path.relative_to(package).as_posix()} {_code_file(path, now)}")
    installed = []
    for entry in sys.path:
        if entry.endswith(("site-packages", "dist-packages")) and os.path.isdir(entry):
            installed += [name for name in os.listdir(entry) if name.endswith((".dist-info", ".egg-info"))]
    return f"{sys.version} {sys.executable} {' '.join(sorted(installed))} {digest.hexdigest()}"


def _code_file(path: Path, now: int) -> str:
    """A file of deckgen's own: its stats once they are settled, else the digest of its contents."""
    stats = _stat_of(os.stat(path))
    return f"stat {stats}" if _settled(stats, now) else _hash_file(path)[0]


# --- the stamp ------------------------------------------------------------------------------------
def _read_stamp(root: Path) -> dict | None:
    try:
        with open_regular(root / STAMP) as recorded:  # a FIFO put there is refused, not waited on
            stamp = json.loads(recorded.read().decode("utf-8"))
    except (OSError, ValueError):
        return None
    fields = {"format": int, "key": str, "output": str, "outputs": list, "summary": dict, "taken_at_ns": int,
              "files": dict}
    if not isinstance(stamp, dict) or any(not isinstance(stamp.get(k), t) for k, t in fields.items()):
        return None
    if stamp["format"] != STAMP_FORMAT or "/" in stamp["output"] or stamp["output"].startswith("."):
        return None
    if not all(_is_entry(value) for value in stamp["files"].values()):
        return None
    # build/ may come from anywhere (a CI cache, a shared folder): only a stamp this user's deckgen wrote counts
    build_key = userkey.build_key(root)
    mac = stamp.pop("mac", None)
    if build_key is None or not isinstance(mac, str) or not compare_digest(mac, _mac(build_key, stamp)):
        return None
    return stamp


def _is_entry(value: object) -> bool:
    """A file as the stamp records it: [size, mtime_ns, ctime_ns, inode, device, content digest]."""
    return (isinstance(value, list) and len(value) == 6 and isinstance(value[5], str)
            and all(type(number) is int for number in value[:5]))


def _write_stamp(root: Path, stamp: dict) -> bool:
    """Write the stamp with its MAC, in one piece. False when there is no key or it cannot be written."""
    build_key = userkey.build_key(root)
    if build_key is None:  # no key, no stamp: a stamp nobody can authenticate would be skipped anyway
        return False
    stamp = {name: value for name, value in stamp.items() if name != "mac"}
    stamp["mac"] = _mac(build_key, stamp)
    path = root / STAMP
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    try:
        with open_new(partial, "w", encoding="ascii") as staged:
            staged.write(json.dumps(stamp, sort_keys=True))
        os.replace(partial, path)
    except OSError:  # only a missed shortcut (a link planted at `partial` too: it is removed, never followed)
        unlink_quietly(partial)
        return False
    return True


def _mac(build_key: bytes, stamp: dict) -> str:
    digest = userkey.mac(build_key)
    digest.update(json.dumps(stamp, sort_keys=True).encode("ascii"))  # a file name's undecodable bytes escaped too
    return digest.hexdigest()


def text_digest(text: str) -> str:
    return blake2b(text.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()
