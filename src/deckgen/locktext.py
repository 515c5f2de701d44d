"""deck.lock as deckgen wrote it, read by the piece: a delta rebuild (delta.py) finds and replaces the edited
cards' entries without reading the others.

At 50,000 cards deck.lock is 44 MB. Reading it whole took 27 ms and as much memory, and finding the edited
entries' text in it 14 ms more. But deckgen writes it as json.dumps(..., indent=1, sort_keys=True): every key of
the "cards" and "fields" tables starts a line with exactly two spaces before its quote, a raw line break is never
inside a string (JSON escapes it), and the keys are in order. So an entry is found by bisection, each step a
small read of the file at the middle of what is left; the boundary between the two tables likewise (a "cards"
key's value opens with "{", a "fields" key's with "["), checked by the "fields" key's bytes just before it; and
the table's end from the file's end, where the small tables are. An entry is what its key line names, and what
is found is parsed as JSON: anything else is None, and the rebuild hands over to a full build, which reads and
checks the whole lock. (The rebuild runs only on the deck.lock the last build wrote, by its recorded stats.)

Only the "fields" table is read whole, in blocks, to make its digest again (its "fields_digest") when entries
are spliced into it; the unchanged runs of the file are copied into the new lock by the kernel.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
from json.decoder import scanstring
from typing import NamedTuple

from .background import InThread
from .lock import LockedCard, LockedNoteType, live_entry_texts

_START = b'{\n "cards": {'  # the file's first bytes, as deckgen writes it
_FIELDS_KEY = b'\n "fields": '  # the "fields" table's key, before its "{"
_FIELDS_END = b'\n },\n "fields_digest": '  # the "fields" table's last line and the key after it
_KEY_LINE = b'\n  "'  # a line holding a key of one of the top-level tables
_WINDOW = 1 << 14  # bytes read at a time where a key line is looked for
_BLOCK = 1 << 20  # bytes read at a time to make the "fields" table's digest, or to copy without sendfile


class _KeyLine(NamedTuple):
    start: int  # where its line break is
    key: str
    opener: bytes  # the line's last byte: b"{" in "cards", b"[" in "fields" (what tells the tables apart)
    value_at: int  # where the value's opening bracket is


class Splice(NamedTuple):
    """An edited card's new entry: its id and what the lock will hold for it."""

    card_id: str
    new: LockedCard


class LockText(NamedTuple):
    """Where deck.lock's tables are, and what its small part holds."""

    source: int  # the open deck.lock, read by the piece and whose unchanged runs the kernel copies
    size: int
    cards_end: int  # where the "fields" key's line starts
    fields_start: int  # its table's "{"
    fields_end: int  # just past its table's "}"
    namespace: str
    note_types: dict[str, LockedNoteType]
    id_base: int

    @staticmethod
    def find(source: int) -> LockText | None:
        """The tables of the deck.lock open as `source`; None where it is not laid out as deckgen writes it."""
        try:
            size = os.fstat(source).st_size
            found = _last(source, _FIELDS_END, size)
            first = _first_fields_key(source, len(_START) - 1, found) if found is not None else None
            if found is None or first is None:
                return None
            cards_end = first.start - len(_FIELDS_KEY + b"{")
            if os.pread(source, len(_FIELDS_KEY + b"{"), cards_end) != _FIELDS_KEY + b"{":
                return None
            fields_end = found + len(b"\n }")
            rest = json.loads(b"{" + _read(source, fields_end + 2, size))
            note_types = {key: LockedNoteType(value["id"], value["version"], tuple(value["fields"]), value["hash"],
                                              value["modified"]) for key, value in rest["note_types"].items()}
            return LockText(source, size, cards_end, cards_end + len(_FIELDS_KEY), fields_end, rest["namespace"],
                            note_types, rest.get("id_base", 0))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def entry(self, card_id: str) -> LockedCard | None:
        """A live card's entry, with its fields."""
        try:
            spans = self._spans(card_id)
            if spans is None:
                return None
            (a, b), (c, d) = spans
            entry = json.loads(_read(self.source, a, b))
            fields = json.loads(_read(self.source, c, d))
            return LockedCard(entry["guid"], entry["note_type"], entry["deck"], tuple(entry["tags"]), tuple(fields),
                              entry["hash"], entry["modified"], entry["digests"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def write_spliced(self, splices: list[Splice], target: int) -> None:
        """The lock with the edited cards' entries replaced and the "fields" table's digest made again, written
        to the file `target`: the unchanged runs copied from the old file by the kernel (at 50,000 cards they are
        44 MB, and writing them from memory cost five times as much); the "fields" table read in blocks for its
        digest, in a thread of its own meanwhile (hashing and reading let other threads run: at 50,000 cards the
        digest took 19 ms and the copy 33 ms, one after the other)."""
        pieces: list[tuple[int, int, bytes]] = []
        for splice in splices:
            (a, b), (c, d) = self._spans(splice.card_id)  # type: ignore[misc]
            live, fields = live_entry_texts(splice.new)
            pieces.append((a, b, live.encode("utf-8", "surrogatepass")))
            pieces.append((c, d, fields.encode("utf-8", "surrogatepass")))
        pieces.sort()
        digest = InThread(self._fields_digest, [piece for piece in pieces if piece[0] >= self.fields_start])
        digest_at = self.fields_end + len(b',\n "fields_digest": "')
        try:
            at = 0
            for start, end, replacement in pieces:
                _copy_range(self.source, target, at, start)
                _write_all(target, replacement)
                at = end
            _copy_range(self.source, target, at, digest_at)
        finally:  # the thread reads self.source: it ends before the caller may close it
            fields_digest = digest.result()
        _write_all(target, fields_digest.encode())
        _copy_range(self.source, target, digest_at + 16, self.size)

    def _fields_digest(self, pieces: list[tuple[int, int, bytes]]) -> str:
        """The "fields" table's digest with `pieces` (start, end, replacement; in order) put in its text."""
        digest, at = hashlib.sha256(), self.fields_start
        for start, end, replacement in pieces:
            _digest(self.source, digest, at, start)
            digest.update(replacement)
            at = end
        _digest(self.source, digest, at, self.fields_end)
        return digest.hexdigest()[:16]

    def _spans(self, card_id: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
        live = self._span(card_id, len(_START) - 1, self.cards_end, b"\n  }")
        fields = self._span(card_id, self.fields_start, self.fields_end, b"\n  ]")
        return None if live is None or fields is None else (live, fields)

    def _span(self, card_id: str, start: int, end: int, closing: bytes) -> tuple[int, int] | None:
        """Where a card's value is in the table from `start` to `end` (from its opening bracket to its closing
        one, inclusive), found by bisection over its key lines; it closes on the next line at depth 2. A value of
        another kind is not checked here: what this gives then does not read as JSON (entry, which a splice
        follows, gives None), as it runs on into the next key."""
        low, high = start, end
        while low < high:
            middle = (low + high) // 2
            line = _next_key_line(self.source, middle, end)
            if line is None or line.key > card_id:
                high = middle
            elif line.key < card_id:
                low = line.start + 1
            else:
                close = _find(self.source, closing, line.value_at, end)
                return None if close is None else (line.value_at, close + len(closing))
        return None


def _first_fields_key(source: int, start: int, end: int) -> _KeyLine | None:
    """The first key line of the "fields" table, which follows the "cards" table's: the first whose value opens
    with "[", found by bisection."""
    low, high = start, end
    while low < high:
        middle = (low + high) // 2
        line = _next_key_line(source, middle, end)
        if line is None or line.opener == b"[":
            high = middle
        else:
            low = line.start + 1
    line = _next_key_line(source, low, end)
    return line if line is not None and line.opener == b"[" else None


def _next_key_line(source: int, at: int, end: int) -> _KeyLine | None:
    """The first line from `at` on (before `end`) that holds a key of a top-level table, with that key."""
    start = _find(source, _KEY_LINE, at, end)
    if start is None:
        return None
    line_end = _find(source, b"\n", start + 1, end)
    raw = _read(source, start + 1, end if line_end is None else line_end)  # '  "key": {' or '  "key": ['
    key, _ = scanstring(raw.decode("utf-8", "surrogatepass"), 3)  # after the two spaces and the quote
    return _KeyLine(start, key, raw[-1:], start + len(raw))  # the line's last byte: its value's bracket


def _find(source: int, needle: bytes, start: int, end: int) -> int | None:
    """Where `needle` is first found in the file from `start`, ending before `end`; read a window at a time."""
    at = start
    while at < end:
        window = os.pread(source, min(_WINDOW + len(needle), end - at), at)  # never past `end`
        found = window.find(needle)
        if found >= 0:
            return at + found
        at += _WINDOW
    return None


def _last(source: int, needle: bytes, end: int) -> int | None:
    """Where `needle` is last found in the file before `end`; read backwards a block at a time."""
    at = end
    while at > 0:
        start = max(0, at - _BLOCK)
        window = os.pread(source, min(at + len(needle), end) - start, start)
        found = window.rfind(needle)
        if found >= 0:
            return start + found
        at = start
    return None


def _read(source: int, start: int, end: int) -> bytes:
    data = os.pread(source, end - start, start)
    if len(data) != end - start:
        raise OSError("deck.lock ended sooner than it was read")
    return data


def _digest(source: int, digest: hashlib._Hash, start: int, end: int) -> None:  # type: ignore[name-defined]
    while start < end:
        block = _read(source, start, min(end, start + _BLOCK))
        digest.update(block)
        start += len(block)


_CANNOT_COPY = (errno.EINVAL, errno.ENOSYS, errno.ENOTSOCK, errno.EOPNOTSUPP)  # what sendfile says where it cannot


def _copy_range(source: int, target: int, start: int, end: int) -> None:
    """Bytes start..end of the file `source` appended to the file `target`: copied inside the kernel, or read
    and written a block at a time where the system cannot copy between files (sendfile is Linux's)."""
    try:
        while start < end:
            copied = os.sendfile(target, source, start, end - start)
            if copied == 0:
                raise OSError("deck.lock ended sooner than it was read")
            start += copied
    except OSError as error:
        if error.errno not in _CANNOT_COPY:
            raise
        while start < end:
            block = _read(source, start, min(end, start + _BLOCK))
            _write_all(target, block)
            start += len(block)


def _write_all(target: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(target, view):]
