"""Stage 6 — identity and change times, kept in the committed lock file `deck.lock`.

Anki matches an imported note to an existing one by GUID and updates it only when the incoming
modification time is newer; it reuses a note type only when its fields match. So:

* a card's GUID comes from its id once, then lives in the lock (renamed_from carries it over);
* a card's modification time is the time its rendered content last changed, never the build time;
* a note type's modification time is the time its templates or stylesheet last changed;
* a note type's fields may not change unless its version is raised on purpose;
* a card deleted from the YAML stays in the lock as *retired* and keeps being emitted, tagged
  `deckgen::retired`, until the author drops it.

The lock is JSON with sorted keys, one field per line: reviewable in a diff, and byte-stable, so a
build with unchanged inputs leaves it untouched.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import mmap
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from json.encoder import encode_basestring
from pathlib import Path
from typing import BinaryIO, NamedTuple

from . import jsonstrict
from .diagnostics import Diagnostic, Location
from .genanki_import import genanki
from .identity import LEGACY_GUID_NAMESPACE, NAMESPACE_PATTERN
from .jsonstrict import unique_object
from .newfile import open_regular
from .model import Card, CardKind
from .cards import CLOZE_PATTERN
from .render import Note, NoteType, content_hash, field_digests
from .textnorm import STOPWORDS, is_negation, normalize, stem, tokens
from .trust import AV_TAG, math_html_problem, stored_html_problems

LOCK_FILE = "deck.lock"
LOCK_FORMAT = 2  # 1: every card's fields in its entry (still read; the next build writes format 2)
RETIRED_TAG = "deckgen::retired"


class LockedNoteType(NamedTuple):
    id: int
    version: int
    fields: tuple[str, ...]
    hash: str
    modified: int


@dataclass(frozen=True, slots=True)
class LockedCard:
    guid: str
    note_type: str
    deck: str
    tags: tuple[str, ...]
    # None: a live card read from deck.lock, whose fields are read only when a step needs them (Lock.with_fields)
    fields: tuple[str, ...] | None
    hash: str
    modified: int
    digests: str = ""  # render.field_digests of the fields; made from them when not given

    def __post_init__(self) -> None:
        if not self.digests and self.fields is not None:
            object.__setattr__(self, "digests", field_digests(self.fields))

    def digest_of(self, index: int) -> str | None:
        digests = self.digests.split(" ")
        return digests[index] if index < len(digests) else None


@dataclass(frozen=True, slots=True)
class Lock:
    namespace: str
    note_types: dict[str, LockedNoteType] = field(default_factory=dict)
    cards: dict[str, LockedCard] = field(default_factory=dict)
    retired: dict[str, LockedCard] = field(default_factory=dict)
    # For a lock read from deck.lock: the problems that keep a stored entry from shipping as a retired card,
    # located in deck.lock (see _LockReader.shipping_problems). Not part of the lock's content.
    check_retired: Callable[..., list[Diagnostic]] | None = field(default=None, compare=False, repr=False)
    locate: Callable[..., Location] | None = field(default=None, compare=False, repr=False)  # keys -> line
    # Why a stored retired entry may not ship (reported only by a build that would ship it).
    retired_problems: dict[str, list[Diagnostic]] = field(default_factory=dict, compare=False, repr=False)
    # Retired entries stored without the removal notice (retired before deckgen wrote one): a build adds it.
    unnoticed: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    # For a lock read from deck.lock: the live cards' fields, read when a step asks for them (with_fields).
    stored: StoredFields | None = field(default=None, compare=False, repr=False)
    # What the package's note and card ids count from (seconds; genanki's build timestamp): fixed by the
    # first build that records it, so that an edit changes only the edited note's rows. 0: not recorded yet.
    id_base: int = 0

    def where(self, *keys: str) -> Location:
        return self.locate(*keys) if self.locate is not None else Location(LOCK_FILE, 1, 1)

    def with_fields(self, card_id: str, card: LockedCard) -> tuple[LockedCard | None, list[Diagnostic]]:
        """`card` with its fields, read from deck.lock's "fields" table when the entry was read without them,
        and checked against the entry's digests (which its hash covers)."""
        if card.fields is not None:
            return card, []
        if self.stored is None:
            return None, [Diagnostic(self.where("cards", card_id), f"deck.lock holds no fields for '{card_id}'",
                                     _RESTORE)]
        return self.stored.card(card_id, card)


class CardChange(NamedTuple):
    card_id: str
    old: LockedCard | None
    new: LockedCard | None
    renamed_from: str = ""


class Plan(NamedTuple):
    """What a build changes against the lock, and the lock it leaves behind."""

    lock: Lock
    added: tuple[CardChange, ...]
    changed: tuple[CardChange, ...]
    unchanged: tuple[str, ...]
    renamed: tuple[CardChange, ...]
    retired: tuple[CardChange, ...]  # newly retired by this build
    dropped: tuple[str, ...]
    note_types_changed: tuple[str, ...]  # note types the lock had, whose templates or stylesheet changed
    suspected_renames: tuple[tuple[str, str], ...] = ()  # (old id, new id): only when not refused
    noticed: tuple[str, ...] = ()  # retired earlier without a notice; given one by this build
    retired_in_deck: tuple[str, ...] = ()  # the retired cards the new lock keeps (sorted)
    # Retired cards a card of the same id brings back: the learner's note, with its reviews, returns to the deck
    # (and is what a new fact written under an old id would inherit).
    revived: tuple[CardChange, ...] = ()
    note_types_added: tuple[str, ...] = ()  # note types the lock did not have (every one, at a first build)


def namespace_for(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "deck"


def stable_id(*parts: str) -> int:
    """A stable 31-bit positive id (Anki's ids are 64-bit; genanki recommends this range)."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def read_lock(path: Path, shown: str, title: str, reuse: LockReuse | None = None
              ) -> tuple[Lock | None, list[Diagnostic]]:
    """deck.lock, validated: its shape and types, its ranges, its GUIDs (format and uniqueness), each
    entry's hash against its own content, a retired entry's fields against what may ship, and the live
    cards' "fields" table against its digest (its entries are parsed only when a step needs them).

    Every problem is a located diagnostic pointing into deck.lock (never an exception): the lock is
    committed and edited in pull requests, so what it holds is checked like any other input.

    A lock in deckgen's own layout is read in one pass that keeps what lies outside its two large tables
    (_Layout); the card entries are then parsed a few hundred at a time and the "fields" table is only
    hashed, so that neither the file nor all its entries are held at once. Any other lock is read whole.
    """
    try:
        with open_regular(path) as handle:  # a FIFO is refused, not waited on
            layout = _Layout.scan(handle)
        if layout is not None:
            reader = _LockReader(path, shown, title, layout, reuse=reuse)
            return reader.read(json.loads(layout.rest, object_pairs_hook=unique_object))
    except FileNotFoundError:
        return Lock(namespace_for(title)), []
    except OSError as exc:
        return None, [Diagnostic(Location(shown), f"cannot read the lock file: {exc.strerror or exc}", _RESTORE)]
    except (ValueError, _OddLayout, RecursionError):  # read whole below, where the problem is located
        pass
    try:
        text = _read_text(path)
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        return None, [Diagnostic(Location(shown), f"cannot read the lock file: {reason}", _RESTORE)]
    try:
        data = jsonstrict.loads(text)  # a key given twice: located, not the last one taken
    except ValueError as exc:
        return None, [Diagnostic(Location(shown, getattr(exc, "lineno", 0), getattr(exc, "colno", 0)),
                                 f"cannot read the lock file: {getattr(exc, 'msg', exc)}", _RESTORE)]
    except RecursionError:  # arrays or objects nested thousands deep: json's reader recurses into each
        return None, [Diagnostic(Location(shown, 1, 1), "cannot read the lock file: its JSON is nested deeper than "
                                 "Python's JSON reader can follow (deckgen writes four levels)", _RESTORE)]
    return _LockReader(path, shown, title, None, text).read(data)


def _read_text(path: Path) -> str:
    """The lock's text as Path.read_text gives it (line ends read as "\\n"), read only from a regular file."""
    with open_regular(path) as handle:
        return handle.read().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


class _OddLayout(Exception):
    """deck.lock is not in the layout deckgen writes: it is read whole instead."""


class _Layout(NamedTuple):
    """deck.lock in deckgen's layout (one key per line, one space of indent per level; no JSON string holds
    a line break): a table's entries start with a line at depth 2 and end with the line at depth 2 that
    closes them, and the table ends with its first line at depth 1, ` }`."""

    rest: bytes  # the lock with the "cards" and "fields" tables empty
    cards: tuple[int, int] | None  # where the entries of "cards" are in the file (bytes), if it has any
    fields: tuple[int, int] | None  # where the "fields" table is, from its "{" to its "}"
    fields_digest: str  # the sha256 of the "fields" table's text, its first 16 hex digits

    @staticmethod
    def scan(handle: BinaryIO) -> _Layout | None:
        """One pass: everything but the entries of "cards" and "fields" kept; "fields" hashed."""
        rest: list[bytes] = []
        spans: dict[bytes, tuple[int, int]] = {}
        digest = hashlib.sha256(b"{")
        while line := handle.readline():
            table = _TABLES.get(line)
            if table is None:
                rest.append(line)
                continue
            rest.append(line[:-1] + b"}")  # the table empty: ` "cards": {}`; its end line gives the comma
            start = handle.tell() - 1  # its first entry's line break
            handle.seek(start)
            end = _table_end(handle, digest if table == b"fields" else None)
            if end < 0:
                return None
            spans[table] = (start + 1, end)  # its entries' lines
            handle.seek(end + 3)  # past `\n }`
        cards, fields = spans.get(b"cards"), spans.get(b"fields")
        return _Layout(b"".join(rest), cards, (fields[0] - 2, fields[1] + 3) if fields else None,
                       digest.hexdigest()[:16] if fields else "")

    def entries(self, path: Path, reuse: LockReuse | None = None) -> Iterator[tuple[str, object, bytes | None]]:
        """The entries of "cards", parsed a block of the file at a time (read again: it is in the page
        cache), so that they are never all held as JSON objects: each card's id, its entry, and (with
        `reuse`) the entry's text; an entry `reuse` has read before from the same text is its LockedCard.
        A card id given twice (in two blocks, or two entries parsed alone) is _OddLayout: the lock is then
        read whole, where the second one is located."""
        seen: set[str] = set()
        for found in self._blocks(path, reuse):
            if found[0] in seen:
                raise _OddLayout()
            seen.add(found[0])
            yield found

    def _blocks(self, path: Path, reuse: LockReuse | None) -> Iterator[tuple[str, object, bytes | None]]:
        if self.cards is None:
            return
        start, end = self.cards
        with open_regular(path) as handle:
            handle.seek(start)
            remaining, carry = end - start + 1, b""  # through the last entry's line break
            while remaining > 0:
                block = handle.read(min(_BLOCK, remaining))
                if not block:
                    raise _OddLayout()
                remaining -= len(block)
                data = carry + block
                cut = len(data) if remaining <= 0 else data.rfind(b"\n  }") + 1  # after whole entries
                if cut > 0:
                    cut = data.find(b"\n", cut) + 1 if remaining > 0 else cut
                if cut <= 0:
                    carry = data
                    continue
                try:
                    whole = _whole_entries(data[:cut], last=remaining <= 0)
                    if reuse is None:
                        yield from ((card_id, entry, None) for card_id, entry
                                    in json.loads(b"{\n" + whole + b"}", object_pairs_hook=unique_object).items())
                    else:
                        yield from reuse.entries(whole)
                except ValueError:
                    raise _OddLayout() from None
                carry = data[cut:]
            if carry:
                raise _OddLayout()


_BLOCK = 1 << 18
_ENTRY_END = b"\n  }"  # the line that closes an entry of a table, in deckgen's layout


class LockReuse:
    """What one process that builds again and again (`deckgen watch`) keeps of deck.lock from one build to
    the next, so that a save costs reading and writing the entries it changed, not every entry:

    * each live entry's exact text as read, with the card read from it. What an entry is read as (or
      whether it is refused) depends only on its text and on the lock's namespace and note types, so an
      entry whose text was read before without a problem, under the same ones, is not parsed and checked
      again. Everything else read_lock does it does on every read: the layout, the "fields" table's
      digest, GUIDs unique, note types, retired cards.
    * each live card as written, with its entry's and its fields' text: a card is a frozen value, and the
      same value is written as the same text;
    * each note's hash in the lock (_card_hash), a function of the note's own hash and its note type's id.

    As with the memo's decoded entries, what the last build did not use is let go: a long watch holds no
    more than one build's worth. A single build (`deckgen build`) keeps none of this.
    """

    def __init__(self) -> None:
        self.parsed = 0  # entries parsed (not taken from what was kept) by the last read
        self._context: object = None
        self._read: dict[bytes, tuple[str, LockedCard]] = {}
        self._read_now: dict[bytes, tuple[str, LockedCard]] = {}
        self._written: dict[tuple[Callable, tuple], str] = {}
        self._written_now: dict[tuple[Callable, tuple], str] = {}
        self._hashed: dict[tuple[str, int], str] = {}
        self._hashed_now: dict[tuple[str, int], str] = {}

    def next_build(self) -> None:
        self._read, self._read_now = self._read_now, {}
        self._written, self._written_now = self._written_now, {}
        self._hashed, self._hashed_now = self._hashed_now, {}

    def reading(self, namespace: str, note_types: dict[str, LockedNoteType]) -> None:
        """The lock about to be read has this namespace and these note types: entries read under others
        are forgotten."""
        self.parsed = 0
        context = (namespace, sorted(note_types.items()))
        if context != self._context:
            self._context, self._read, self._read_now = context, {}, {}

    def entries(self, whole: bytes) -> Iterator[tuple[str, object, bytes]]:
        """Each entry of a run of whole entries: its card when its text was read before, else its JSON
        (each entry parsed alone: ValueError when one is not a whole entry, and the lock is read whole)."""
        pieces = whole.split(_ENTRY_END + b",\n")
        if not pieces[-1].endswith(_ENTRY_END):
            raise ValueError("an entry does not end where deckgen's layout ends it")
        pieces[-1] = pieces[-1][:-len(_ENTRY_END)]
        for piece in pieces:
            known = self._read_now.get(piece) or self._read.pop(piece, None)
            if known is not None:
                self._read_now[piece] = known
                yield known[0], known[1], piece
                continue
            self.parsed += 1
            entry = json.loads(b"{\n" + piece + _ENTRY_END + b"}", object_pairs_hook=unique_object)
            if len(entry) != 1:
                raise ValueError("not one entry")
            ((card_id, value),) = entry.items()
            yield card_id, value, piece

    def keep(self, text: bytes, card_id: str, card: LockedCard) -> None:
        """`text` was read as `card`, without a problem."""
        self._read_now[text] = (card_id, card)

    def card_hash(self, note_hash: str, type_id: int) -> str:
        """_card_hash(note_hash, type_id), made once for each note hashed by this build or the one before."""
        key = (note_hash, type_id)
        card_hash = self._hashed_now.get(key) or self._hashed.pop(key, None) or _card_hash(note_hash, type_id)
        self._hashed_now[key] = card_hash
        return card_hash

    def written(self, entry: Callable[[LockedCard, str], str], key: tuple, card: LockedCard, newline: str) -> str:
        """entry(card, newline), made once for each `key` written by this build or the one before: `key`
        is everything of the card that the entry's text is made of."""
        text = self._written_now.get((entry, key)) or self._written.pop((entry, key), None)
        if text is None:
            text = entry(card, newline)
        self._written_now[(entry, key)] = text
        return text


def _whole_entries(chunk: bytes, *, last: bool) -> bytes:
    """A run of whole entries, without the one separator (`,` and a line break) after it when more follow:
    exactly what the JSON of the whole table holds there, so that a comma missing or doubled where a
    block ends is the same error as anywhere else (ValueError: the lock is then read whole)."""
    if last:
        chunk = chunk[:-1] if chunk.endswith(b"\n") else chunk
        if chunk.endswith(b","):
            raise ValueError("a comma after the table's last entry")
        return chunk
    if not chunk.endswith(b"},\n") or chunk.endswith(b",,\n"):
        raise ValueError("entries not separated by one comma")
    return chunk[:-2]


def _table_end(handle: BinaryIO, digest: hashlib._Hash | None) -> int:
    """Where the table whose first line break `handle` is at ends: the offset of its `\n }` line break
    (its first line at depth 1), found in blocks; `digest` is given each byte through the `}`. -1: none."""
    carry, offset = b"", handle.tell()
    while block := handle.read(1 << 16):
        data = carry + block
        found = data.find(b"\n }")
        key = data.find(b'\n "')  # a key at depth 1 before the table's end: the table is not closed
        if key >= 0 and (found < 0 or key < found):
            return -1
        if found >= 0:
            if digest is not None:
                digest.update(data[:found + 3])
            return offset + found
        keep = len(data) - 2  # `\n }` (or `\n "`) may straddle two blocks
        if digest is not None:
            digest.update(data[:keep])
        carry, offset = data[keep:], offset + keep
    return -1


_TABLES = {b' "cards": {\n': b"cards", b' "fields": {\n': b"fields"}


class StoredFields:
    """deck.lock's "fields" table: each live card's fields as the last build rendered them. read_lock only
    hashes it; a card's entry is found and parsed when a step asks for it (a card retires or is renamed,
    `status` or `pull` shows what changed), and checked against the card's digests, which its hash covers.

    `span`: where the table is in the file, from its "{" to its "}", and `digest` the sha256 of those bytes
    (read_lock computed it); or `table`, the table itself, for a lock not in deckgen's layout (read whole).
    `locate`: the line of a key in deck.lock (_LockReader.where)."""

    def __init__(self, path: Path, locate: Callable[..., Location], span: tuple[int, int] = (0, 0),
                 digest: str = "", table: dict | None = None):
        self.path, self.locate, self.span, self.table = path, locate, span, table
        self._digest = digest
        self._offsets: dict[str, int] | None = None  # card id -> where its list starts in the file
        self._finds = 0

    def card(self, card_id: str, card: LockedCard) -> tuple[LockedCard | None, list[Diagnostic]]:
        try:
            value = self._value(card_id)
        except (OSError, ValueError) as exc:
            return None, [Diagnostic(self.locate("fields", card_id), f"cannot read the fields of '{card_id}' "
                                     f"from deck.lock: {_reason(exc)}", _RESTORE)]
        if value is None:
            return None, [Diagnostic(self.locate("fields"), f"deck.lock holds no fields for '{card_id}'", _RESTORE)]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            return None, [Diagnostic(self.locate("fields", card_id), f"the fields of '{card_id}' must be a list "
                                     "of strings", _RESTORE)]
        fields = tuple(value)
        if field_digests(fields) != card.digests:
            return None, [Diagnostic(self.locate("fields", card_id), _EDITED.format(card_id),
                                     "deckgen writes deck.lock itself; " + _RESTORE, "lock-edited")]
        return replace(card, fields=fields), []

    def repeated(self, live: int) -> list[Diagnostic]:
        """A card given twice in the table (read whole, the JSON reader refused it). Its keys are counted
        (a line that starts at depth 2), and only looked at one by one when there are not as many as live
        cards: a card given twice with another left out is refused when that one's fields are read."""
        start, end = self.span
        if self.table is not None or end <= start:
            return []
        with open_regular(self.path) as handle:
            if _count_read(handle, b'\n  "', start, end) == live:  # read, not mapped: no page of it stays resident
                return []
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
                places = [(json.loads(found.group(1)), found.start() + 1)
                          for found in re.compile(_FIELDS_ENTRY).finditer(mapped, start, end)]
            if len(dict(places)) == len(places):
                return []
            card_id = jsonstrict.first_repeated(places)
            second = [offset for key, offset in places if key == card_id][1]
            line = _count_read(handle, b"\n", 0, second) + 1
        return [Diagnostic(Location(self.locate().path, line, 3), f"'{card_id}' is given twice in the \"fields\" "
                           "table: deck.lock was edited by hand", _RESTORE, "lock-edited")]

    def verify(self, expected: object, cards: dict[str, LockedCard]) -> list[Diagnostic]:
        """The whole table against the lock's "fields_digest" (the sha256 of its text as deckgen writes it,
        its first 16 hex digits), so that an edit of any stored field is refused when the lock is read,
        not only when that card's fields are needed; the cards whose text was changed are located."""
        if not isinstance(expected, str) or not _HASH.fullmatch(expected):
            return [Diagnostic(self.locate("fields_digest"), f"'fields_digest' must be 16 hexadecimal digits, "
                               f"not {expected!r}", _RESTORE)]
        if self.digest() == expected:
            return []
        problems = [problem for card_id, card in cards.items() if card.fields is None
                    for problem in self.card(card_id, card)[1]]
        return problems or [Diagnostic(self.locate("fields"), "the \"fields\" table does not match its digest: "
                                       "deck.lock was edited by hand", "deckgen writes deck.lock itself; " + _RESTORE,
                                       "lock-edited")]

    def digest(self) -> str:
        if self.table is None:
            return self._digest
        hasher = hashlib.sha256()
        try:
            _write_json(self.table, "\n ", lambda piece: hasher.update(piece.encode("utf-8", "surrogatepass")))
        except TypeError:
            return ""
        return hasher.hexdigest()[:16]

    def _place(self, mapped: mmap.mmap, card_id: str) -> int | None:
        """Where a card's list starts: its key as deckgen writes it, looked for directly by the first few
        asks; then (or when that finds nothing) every card's place, found in one pass over the table."""
        start, end = self.span
        if self._offsets is None and self._finds < _DIRECT_FINDS:
            self._finds += 1
            key = b"\n  " + encode_basestring(card_id).encode("utf-8", "surrogatepass") + b": "
            found = mapped.find(key, start, end)
            if found >= 0:
                return found + len(key)
        if self._offsets is None:
            self._offsets = self._all_places(mapped)
        return self._offsets.get(card_id)

    def _all_places(self, mapped: mmap.mmap) -> dict[str, int]:
        """Every card's place in the table; ValueError for a card given twice (json would take the last)."""
        places = [(json.loads(found.group(1)), found.end())
                  for found in re.compile(_FIELDS_ENTRY).finditer(mapped, *self.span)]
        offsets = dict(places)
        if len(offsets) != len(places):
            raise jsonstrict.DuplicateKey(jsonstrict.first_repeated(places))
        return offsets

    def _value(self, card_id: str) -> object:
        if self.table is not None:
            return self.table.get(card_id)
        start, end = self.span
        with open_regular(self.path) as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            begin = self._place(mapped, card_id)
            if begin is None:
                return None
            if mapped[begin:begin + 2] == b"[]":
                return []
            close = mapped.find(b"\n  ]", begin, end)
            if close < 0:
                raise ValueError("its list does not end")
            return json.loads(mapped[begin:close + 4])


def _count_read(handle: BinaryIO, needle: bytes, start: int, end: int) -> int:
    """The needle's count in bytes start..end of a file, read a MiB at a time: a mapping of the whole table
    kept every page of it resident, 5 MiB more peak memory for a build of 10,000 cards from a fresh clone."""
    found, tail = 0, b""
    handle.seek(start)
    while start < end:
        chunk = tail + handle.read(min(1 << 20, end - start))
        if len(chunk) == len(tail):
            break
        found += chunk.count(needle)
        start += len(chunk) - len(tail)
        tail = chunk[len(chunk) - len(needle) + 1:]  # a needle cut by the chunk's end is counted with the next one
    return found


def _reason(exc: OSError | ValueError) -> str:
    """What went wrong, without a JSON error's line and column, which count within the one entry read."""
    return str(getattr(exc, "strerror", None) or getattr(exc, "msg", None) or exc)


_DIRECT_FINDS = 16  # a direct look takes about a thirtieth of a pass over the whole table
_FIELDS_ENTRY = rb'\n  ("(?:[^"\\\n]|\\.)*"): (?=\[)'  # compiled when used (textnorm)


_RESTORE = "restore it from version control (git checkout deck.lock)"
_EDITED = "the content of '{}' does not match its hash: deck.lock was edited by hand"
_GUID = re.compile(r"^[\x21-\x7e]{1,64}$")
_HASH = re.compile(r"^[0-9a-f]{16}$")
_TAGS = re.compile(r"(?:[^\s\x00-\x1f]{1,200}(?:\x1f[^\s\x00-\x1f]{1,200})*)?")  # joined by \x1f
MAX_TIME = 10**10  # seconds since 1970: the year 2286; Anki keeps ids of milliseconds in 64 bits
MAX_NOTE_TYPE_ID = 2**63 - 1
CARD_KEYS = ("deck", "fields", "guid", "hash", "modified", "note_type", "tags")  # retired; format 1: every card
LIVE_KEYS = ("deck", "digests", "guid", "hash", "modified", "note_type", "tags")  # a live card, from format 2
_DIGESTS = re.compile(r"[0-9a-f]{16}(?: [0-9a-f]{16})*")
NOTE_TYPE_KEYS = ("fields", "hash", "id", "modified", "version")


class _LockReader:
    """Reads the JSON of deck.lock into a Lock, collecting a located diagnostic for each problem."""

    def __init__(self, path: Path, shown: str, title: str, layout: _Layout | None, text: str | None = None,
                 reuse: LockReuse | None = None):
        self.path, self.shown, self.title, self.layout, self.reuse = path, shown, title, layout, reuse
        self._text = text  # the whole file: read for a lock not in deckgen's layout, else only to locate a problem
        self.stored: StoredFields | None = None
        self.problems: list[Diagnostic] = []
        self.legacy = False  # format 1: every card's fields in its entry
        self._shared: dict[object, object] = {}  # one object for each deck name, note type and tag list

    def where(self, *keys: str) -> Location:
        """The line of a key in the lock's own layout (one space of indent per level), found key by key."""
        if self._text is None:
            try:
                self._text = _read_text(self.path)
            except (OSError, UnicodeDecodeError):
                return Location(self.shown, 1, 1)
        text = self._text
        position, reached = 0, 0
        for depth, key in enumerate(keys, start=1):
            found = text.find(f"\n{' ' * depth}{encode_basestring(key)}: ", position)
            if found < 0:
                break
            position, reached = found + 1, depth
        if not reached:
            return Location(self.shown, 1, 1)
        return Location(self.shown, text.count("\n", 0, position) + 1, reached + 1)

    def error(self, keys: tuple[str, ...], message: str, hint: str = _RESTORE) -> None:
        self.problems.append(Diagnostic(self.where(*keys), message, hint))

    def read(self, data: object) -> tuple[Lock | None, list[Diagnostic]]:
        if not isinstance(data, dict):
            self.error((), "the lock file is not a JSON object")
            return None, self.problems
        if data.get("format") not in (1, LOCK_FORMAT) or type(data.get("format")) is not int:
            self.error(("format",), f"unsupported lock format {data.get('format')!r} (this deckgen writes {LOCK_FORMAT})")
            return None, self.problems
        self.legacy = data["format"] == 1
        known = ("format", "namespace", "note_types", "cards", "retired") + (() if self.legacy else
                                                                            ("fields", "fields_digest", "id_base"))
        for key in data:
            if key not in known:
                self.error((key,), f"unknown key {key!r} in the lock file")
        if not self.legacy:
            table = self._table("fields", data.get("fields"))
            if self.layout is not None and self.layout.fields is not None:  # read with the lock: only hashed
                self.stored = StoredFields(self.path, self.where, self.layout.fields, self.layout.fields_digest)
            else:
                self.stored = StoredFields(self.path, self.where, table=table)
        namespace = data.get("namespace")
        if not isinstance(namespace, str) or not NAMESPACE_PATTERN.match(namespace):
            self.error(("namespace",), f"'namespace' must be lowercase letters, digits and '-', not {namespace!r}")
            namespace = ""
        self.namespace = namespace
        self.retired_problems: dict[str, list[Diagnostic]] = {}
        self.unnoticed: set[str] = set()
        raw = data.get("note_types")
        self.raw_note_types = set(raw) if isinstance(raw, dict) else set()
        note_types = self._note_types(namespace, raw)
        cards = self._cards("cards", data.get("cards"), note_types, namespace)
        retired = self._cards("retired", data.get("retired", {}), note_types, namespace)
        self._unique(cards, retired)
        id_base = data.get("id_base", 0)
        if "id_base" in data and (type(id_base) is not int or not 1 <= id_base <= MAX_TIME):
            self.error(("id_base",), f"'id_base' must be a whole number from 1 to {MAX_TIME}, not {id_base!r}")
            id_base = 0
        if self.stored is not None and not self.problems:
            self.problems += self.stored.repeated(len(cards)) or self.stored.verify(data.get("fields_digest"), cards)
        if self.problems:
            return None, self.problems
        return Lock(namespace, note_types, cards, retired, self.shipping_problems, self.where,
                    self.retired_problems, frozenset(self.unnoticed), self.stored, id_base), []

    def _table(self, name: str, value: object) -> dict:
        if not isinstance(value, dict):
            self.error((name,), f"'{name}' must be a JSON object, not {type(value).__name__}")
            return {}
        return value

    def _note_types(self, namespace: str, value: object) -> dict[str, LockedNoteType]:
        result = {}
        for key, entry in self._table("note_types", value).items():
            at = ("note_types", key)
            if key not in ("qa", "cloze"):
                self.error(at, f"unknown note type {key!r} in the lock file (deckgen makes 'qa' and 'cloze')")
                continue
            if not self._keys(at, entry, NOTE_TYPE_KEYS):
                continue
            ok = self._int(at + ("version",), entry["version"], 1, 10**6)
            ok &= self._int(at + ("id",), entry["id"], 1, MAX_NOTE_TYPE_ID)
            ok &= self._int(at + ("modified",), entry["modified"], 0, MAX_TIME)
            ok &= self._strings(at + ("fields",), entry["fields"])
            ok &= self._hash(at + ("hash",), entry["hash"])
            if not ok:
                continue
            if namespace and entry["id"] != stable_id(namespace, "notetype", key, str(entry["version"])):
                self.error(at + ("id",), f"note type '{key}' has the id {entry['id']}, not the one deckgen gives it "
                           f"({stable_id(namespace, 'notetype', key, str(entry['version']))})",
                           "a note type's id is made from the namespace, its key and its version; " + _RESTORE)
                continue
            result[key] = LockedNoteType(entry["id"], entry["version"], tuple(entry["fields"]), entry["hash"],
                                         entry["modified"])
        return result

    def _cards(self, table: str, value: object, note_types: dict[str, LockedNoteType],
               namespace: str) -> dict[str, LockedCard]:
        result = {}
        lean = table == "cards" and not self.legacy  # a live card's entry without its fields
        streamed = table == "cards" and self.layout is not None and self.layout.cards is not None
        reuse = self.reuse if streamed and lean else None
        if reuse is not None:
            reuse.reading(namespace, note_types)
        entries = (self.layout.entries(self.path, reuse) if streamed  # type: ignore[union-attr]
                   else ((card_id, entry, None) for card_id, entry in self._table(table, value).items()))
        for card_id, entry, text in entries:
            if type(entry) is LockedCard:  # read before from this very text, without a problem (LockReuse)
                result[card_id] = entry
                continue
            problems = len(self.problems)
            at = (table, card_id)
            if not self._keys(at, entry, LIVE_KEYS if lean else CARD_KEYS):
                continue
            ok = self._int(at + ("modified",), entry["modified"], 1, MAX_TIME)
            ok &= self._strings(at + ("tags",), entry["tags"])
            ok &= self._digests(at + ("digests",), entry["digests"]) if lean else self._strings(at + ("fields",),
                                                                                              entry["fields"])
            ok &= self._hash(at + ("hash",), entry["hash"])
            for key in ("guid", "deck", "note_type"):
                if not isinstance(entry[key], str):
                    self.error(at + (key,), f"'{key}' of '{card_id}' must be a string, not "
                               f"{type(entry[key]).__name__}")
                    ok = False
            if not ok:
                continue
            if not _GUID.match(entry["guid"]):
                self.error(at + ("guid",), f"the GUID of '{card_id}' must be 1 to 64 printable ASCII characters")
                continue
            note_type = note_types.get(entry["note_type"])
            if note_type is None and entry["note_type"] in self.raw_note_types:
                continue  # the note type's own entry is wrong, and reported
            if note_type is None:
                self.error(at + ("note_type",), f"'{card_id}' has the note type {entry['note_type']!r}, "
                           f"which the lock does not define")
                continue
            count = len(entry["digests"].split(" ")) if lean else len(entry["fields"])
            if count != len(note_type.fields) and table == "cards":
                self.error(at + ("digests" if lean else "fields",), f"'{card_id}' has {count} fields; its note type "
                           f"'{entry['note_type']}' has {len(note_type.fields)}")
                continue
            if not _TAGS.fullmatch("\x1f".join(entry["tags"])):
                self.error(at + ("tags",), f"a tag of '{card_id}' is empty, too long or has white space in it")
                continue
            if table == "cards" and RETIRED_TAG in entry["tags"]:  # deckgen writes it on retired entries only
                self.error(at + ("tags",), f"'{card_id}' is in \"cards\" but tagged {RETIRED_TAG}: "
                           f"deck.lock was edited by hand")
                continue
            card = _card_from_json(entry, self._shared)
            if self.legacy:  # format 1: its hash checked the old way, then made as format 2 makes it
                card = self._rehashed(card_id, card, note_type, table)
                if card is None:
                    continue
            # A live card's stored content never ships (the build renders it again; plan_cards compares
            # the two). A retired card's does, unless it is dropped: what keeps it from shipping is kept
            # with the lock and reported by plan_cards when the build would ship it (not with --drop-retired).
            if table == "retired" and card_id not in self.retired_problems:
                self.retired_problems[card_id] = self.shipping_problems(card_id, card, note_type, table)
            result[card_id] = card
            if reuse is not None and text is not None and len(self.problems) == problems:
                reuse.keep(text, card_id, card)
        return result

    def _hash_matches(self, card: LockedCard, note_type: LockedNoteType, namespace: str, *,
                      retired: bool, legacy: bool = False) -> tuple[str, int] | None:
        """The hash a build gave this content (under any version of its note type: a retired card keeps
        the hash it had when it was retired, under the note type of that time): which form matched
        ("live", "noticed" for a retired card with its notice, "plain" for one retired without) under
        which note type id, or None. `legacy`: the hash as format 1 made it, of the fields themselves."""
        tags = _untagged(card.tags) if retired else card.tags
        if legacy:
            assert card.fields is not None
            note_hash = _legacy_content_hash(card.note_type, card.deck, card.fields, tags)
        else:
            note_hash = content_hash(card.note_type, card.deck, card.digests, tags)
        for type_id in self._type_ids(namespace, card.note_type, note_type):
            expected = _card_hash(note_hash, type_id)
            if not retired and expected == card.hash:
                return "live", type_id
            if retired and _retired_hash(expected, noticed=True) == card.hash:
                return "noticed", type_id
            if retired and _retired_hash(expected, noticed=False) == card.hash:
                return "plain", type_id
        return None

    def _rehashed(self, card_id: str, card: LockedCard, note_type: LockedNoteType, table: str) -> LockedCard | None:
        """A format-1 entry with the hash format 2 gives the same content (under the same note type id, in
        the same form), once its format-1 hash is found to match; else None, and the mismatch reported
        (for a retired card, as a reason it may not ship)."""
        retired = table == "retired"
        match = self._hash_matches(card, note_type, self.namespace, retired=retired, legacy=True)
        if match is None:
            if retired:  # reported with its other shipping problems
                self.retired_problems[card_id] = [Diagnostic(
                    self.where(table, card_id, "hash"), _EDITED.format(card_id),
                    "deckgen writes deck.lock itself; " + _RESTORE + "; or build with --drop-retired")]
                return card
            self.error((table, card_id, "hash"), _EDITED.format(card_id),
                       "deckgen writes deck.lock itself; " + _RESTORE)
            return None
        form, type_id = match
        tags = _untagged(card.tags) if retired else card.tags
        card_hash = _card_hash(content_hash(card.note_type, card.deck, card.digests, tags), type_id)
        return replace(card, hash=_retired_hash(card_hash, noticed=form == "noticed") if retired else card_hash)

    @functools.lru_cache(maxsize=8)
    def _type_ids(self, namespace: str, key: str, note_type: LockedNoteType) -> tuple[int, ...]:
        """The note type's id now first, then the ids of its earlier versions."""
        return tuple(dict.fromkeys([note_type.id] + [stable_id(namespace, "notetype", key, str(v))
                                                      for v in range(note_type.version, 0, -1)]))

    def shipping_problems(self, card_id: str, card: LockedCard, note_type: LockedNoteType | None = None,
                          table: str = "cards") -> list[Diagnostic]:
        """A retired card ships its stored fields: they must be what deckgen writes, and nothing more."""
        at = (table, card_id)
        problems = []

        def error(key: str, message: str, hint: str = "build with --drop-retired to stop shipping it") -> None:
            lean = table == "cards" and key == "fields" and not self.legacy  # its fields are in "fields"
            problems.append(Diagnostic(self.where("fields", card_id) if lean else self.where(*at, key), message, hint))

        assert card.fields is not None, "a card's fields are read (Lock.with_fields) before it ships"
        if table == "retired" and note_type is not None:
            match = self._hash_matches(card, note_type, self.namespace, retired=True)
            if match is None:
                error("hash", _EDITED.format(card_id), "deckgen writes deck.lock itself; " + _RESTORE +
                      "; or build with --drop-retired")
                return problems
            if match[0] == "plain":
                self.unnoticed.add(card_id)
            if len(card.fields) != len(note_type.fields):
                error("fields", f"retired card '{card_id}' has {len(card.fields)} fields; its note type "
                      f"'{card.note_type}' has {len(note_type.fields)}",
                      "a retired card of an older note type cannot ship: build with --drop-retired")
                return problems

        if table == "cards" and note_type is not None and not self._hash_matches(card, note_type, self.namespace,
                                                                                retired=False):
            error("hash", _EDITED.format(card_id), "deckgen writes deck.lock itself; " + _RESTORE)
            return problems
        if table == "retired" and RETIRED_TAG not in card.tags:
            error("tags", f"retired card '{card_id}' lacks the tag {RETIRED_TAG}",
                  _RESTORE + "; or build with --drop-retired")
        marked = next((tag for tag in card.tags if "<" in tag), None)  # Anki shows {{Tags}} as HTML
        if marked is not None:
            error("tags", f"a tag of retired card '{card_id}' holds '<' ({marked!r}), which deckgen never writes",
                  _RESTORE + "; or build with --drop-retired")
        for tag, shown in ((tag, _shown_tag_problem(tag)) for tag in card.tags if "[" in tag or "\\" in tag):
            if shown:  # {{Tags}} is the card's text too: Anki plays its [sound:…], MathJax reads its \style
                error("tags", f"a tag of retired card '{card_id}' holds {shown} ({tag!r}), which deckgen never "
                      "writes", _RESTORE + "; or build with --drop-retired")
        if card.deck != self.title and not card.deck.startswith(self.title + "::"):
            error("deck", f"retired card '{card_id}' is in the deck {card.deck!r}, outside '{self.title}'",
                  f"a retired card ships only under the deck's title, '{self.title}' in cards/deck.yaml; after a "
                  f"change of title, build once with --drop-retired to stop shipping the retired cards (learners "
                  f"keep the ones they have), or put the old title back")
        names = note_type.fields if note_type is not None else ("",) * len(card.fields)
        for name, value in zip(names, card.fields):
            if name == "CardId" and value != card_id:
                error("fields", f"retired card '{card_id}' has the CardId {value!r}",
                      _RESTORE + "; or build with --drop-retired")
            for problem in stored_html_problems(value):
                error("fields", f"the {name or 'stored'} field of retired card '{card_id}' holds {problem}, "
                      f"which deckgen never writes", "build with --drop-retired to stop shipping it; " + _RESTORE)
        return problems

    def _unique(self, cards: dict[str, LockedCard], retired: dict[str, LockedCard]) -> None:
        owner: dict[str, tuple[str, str]] = {}
        for table, entries in (("cards", cards), ("retired", retired)):
            for card_id, card in list(entries.items()):
                if table == "retired" and card_id in cards:
                    self.error((table, card_id), f"'{card_id}' is both a card and a retired card")
                    continue
                first = owner.setdefault(card.guid, (table, card_id))
                if first != (table, card_id):
                    self.error((table, card_id), f"'{card_id}' has the same GUID as '{first[1]}' ({card.guid!r}); "
                               f"on import one note would overwrite the other")

    def _keys(self, at: tuple[str, ...], entry: object, keys: tuple[str, ...]) -> bool:
        if not isinstance(entry, dict):
            self.error(at, f"the entry '{at[-1]}' must be a JSON object, not {type(entry).__name__}")
            return False
        missing = [k for k in keys if k not in entry]
        unknown = [k for k in entry if k not in keys]
        if missing:
            self.error(at, f"the entry '{at[-1]}' is missing {', '.join(missing)}")
        if unknown:
            self.error(at, f"the entry '{at[-1]}' has unknown keys: {', '.join(map(str, unknown))}")
        return not missing and not unknown

    def _int(self, at: tuple[str, ...], value: object, low: int, high: int) -> bool:
        if type(value) is not int or not low <= value <= high:
            self.error(at, f"'{at[-1]}' of '{at[-2]}' must be a whole number from {low} to {high}, not {value!r}")
            return False
        return True

    def _strings(self, at: tuple[str, ...], value: object) -> bool:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.error(at, f"'{at[-1]}' of '{at[-2]}' must be a list of strings")
            return False
        return True

    def _digests(self, at: tuple[str, ...], value: object) -> bool:
        if not isinstance(value, str) or not _DIGESTS.fullmatch(value):
            self.error(at, f"'digests' of '{at[-2]}' must be 16 hexadecimal digits per field, separated by spaces")
            return False
        return True

    def _hash(self, at: tuple[str, ...], value: object) -> bool:
        if not isinstance(value, str) or not _HASH.match(value):
            self.error(at, f"'hash' of '{at[-2]}' must be 16 hexadecimal digits, not {value!r}")
            return False
        return True


def _card_from_json(v: dict, shared: dict[object, object]) -> LockedCard:
    """A card's entry as a LockedCard; its deck name, note type and tags are the objects in `shared` that
    are equal to them, so that a large lock holds each of them once."""
    note_type, deck, tags = (shared.setdefault(value, value) for value in (v["note_type"], v["deck"], tuple(v["tags"])))
    if "digests" in v:  # a live card: its fields are in the "fields" table
        return LockedCard(v["guid"], note_type, deck, tags, None, v["hash"], v["modified"], v["digests"])
    return LockedCard(v["guid"], note_type, deck, tags, tuple(v["fields"]), v["hash"], v["modified"])


def _legacy_content_hash(note_type: str, deck: str, fields: tuple[str, ...], tags: tuple[str, ...]) -> str:
    """A note's content hash in format 1 of deck.lock: sha256 of json.dumps([note_type, deck, fields, tags])."""
    payload = json.dumps([note_type, deck, list(fields), list(tags)])
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def serialize(lock: Lock) -> str:
    out: list[str] = []
    write_lock(lock, out.append)
    return "".join(out)


def write_lock(lock: Lock, write: Callable[[str], object], reuse: LockReuse | None = None) -> None:
    """The lock as JSON with sorted keys, one value per line, handed to `write` piece by piece.

    The text is exactly json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) plus a final
    newline (tests/test_fastpath.py and tests/test_lock_speed.py compare them); writing it in pieces
    keeps a large deck's lock from being held in memory twice, as a list of pieces and as one string.
    The cards, nearly all of the lock, are written an entry at a time by `_card_entry`: a live card's entry
    without its fields (`_live_entry`), which go into the "fields" table that read_lock skips; a retired
    card's with them.
    """
    live, stored = _live_entry, _fields_entry
    if reuse is not None:  # what each entry is made of (_live_entry: all but the fields; _fields_entry: the fields)
        def live(card: LockedCard, newline: str) -> str:
            return reuse.written(_live_entry, (card.deck, card.digests, card.guid, card.hash, card.modified,
                                               card.note_type, card.tags), card, newline)

        def stored(card: LockedCard, newline: str) -> str:
            return reuse.written(_fields_entry, card.fields, card, newline)  # type: ignore[arg-type]
    write('{\n "cards": ')
    _write_table(lock.cards, live, write)
    write(',\n "fields": ')
    digest = hashlib.sha256()

    def fields(piece: str) -> None:
        digest.update(piece.encode("utf-8", "surrogatepass"))
        write(piece)

    _write_table(lock.cards, stored, fields)
    rest = {
        "fields_digest": digest.hexdigest()[:16],
        "format": LOCK_FORMAT,
        **({"id_base": lock.id_base} if lock.id_base else {}),
        "namespace": lock.namespace,
        "note_types": {k: {"id": v.id, "version": v.version, "fields": list(v.fields), "hash": v.hash,
                           "modified": v.modified} for k, v in lock.note_types.items()},
        "retired": lock.retired,
    }
    for key, value in rest.items():
        write(f",\n {encode_basestring(key)}: ")
        _write_json(value, "\n ", write)
    write("\n}\n")


_DEPTH_2 = "\n  "  # the line break before a value at depth 2


def live_entry_texts(card: LockedCard) -> tuple[str, str]:
    """A live card's value in the "cards" table and in the "fields" table, as write_lock writes them."""
    return _live_entry(card, _DEPTH_2), _fields_entry(card, _DEPTH_2)


def _write_table(cards: dict[str, LockedCard], entry: Callable[[LockedCard, str], str],
                 write: Callable[[str], object]) -> None:
    """A table of the lock at depth 1 as _write_json writes a dict, each card's value made by `entry`;
    handed to `write` a few hundred cards at a time."""
    if not cards:
        write("{}")
        return
    pieces, separator = [], "{\n  "
    for card_id in sorted(cards):
        pieces.append(f"{separator}{encode_basestring(card_id)}: {entry(cards[card_id], _DEPTH_2)}")
        separator = ",\n  "
        if len(pieces) == 256:
            write("".join(pieces))
            pieces.clear()
    write("".join(pieces) + "\n }")


def _fields_entry(card: LockedCard, newline: str) -> str:
    """A live card's fields, as _write_json writes a list."""
    fields = _fields_of(card)
    try:
        return _strings(fields, newline)
    except TypeError:  # a value of another type, in a lock edited by hand
        out: list[str] = []
        _write_json(fields, newline, out.append)
        return "".join(out)


def _fields_of(card: LockedCard) -> tuple[str, ...]:
    assert card.fields is not None, "a lock to write holds the fields this build rendered"
    return card.fields


def _live_entry(card: LockedCard, newline: str) -> str:
    """A live card's entry as _write_json writes its dict: its field digests, not its fields (see _entry)."""
    return _entry(card, newline, "digests", lambda inner: encode_basestring(card.digests), _live_json)


def _card_entry(card: LockedCard, newline: str) -> str:
    """A retired card's entry (or any card's, in format 1) as _write_json writes its dict (see _entry)."""
    return _entry(card, newline, "fields", lambda inner: _strings(_fields_of(card), inner), _card_json)


def _entry(card: LockedCard, newline: str, second: str, value: Callable[[str], str],
           as_json: Callable[[LockedCard], dict[str, object]]) -> str:
    """One card as _write_json writes its dict, formatted in one go rather than value by value.

    The keys are fixed and written in sorted order ("deck", then `second`: "digests" or "fields", whose
    text `value` gives). A lock edited by hand can hold other types than the usual (a number for a tag,
    say); such an entry goes to the generic writer (`as_json`), so the text is the same either way:
    encode_basestring raises TypeError on anything but a string.
    """
    if type(card.modified) is int:
        inner = newline + " "
        try:
            return (f'{{{inner}"deck": {encode_basestring(card.deck)},'
                    f'{inner}"{second}": {value(inner)},'
                    f'{inner}"guid": {encode_basestring(card.guid)},'
                    f'{inner}"hash": {encode_basestring(card.hash)},'
                    f'{inner}"modified": {card.modified},'
                    f'{inner}"note_type": {encode_basestring(card.note_type)},'
                    f'{inner}"tags": {_strings(card.tags, inner)}{newline}}}')
        except TypeError:
            pass
    out: list[str] = []
    _write_json(as_json(card), newline, out.append)
    return "".join(out)


def _strings(values: tuple[str, ...], newline: str) -> str:
    """A list of strings as _write_json writes it (TypeError if one is not a string)."""
    if not values:
        return "[]"
    inner = newline + " "
    return "[" + inner + ("," + inner).join(map(encode_basestring, values)) + newline + "]"


def _card_json(card: LockedCard) -> dict[str, object]:
    """A retired card's entry in the lock as plain JSON data (the layout _card_from_json reads back)."""
    return {"guid": card.guid, "note_type": card.note_type, "deck": card.deck, "tags": list(card.tags),
            "fields": list(_fields_of(card)), "hash": card.hash, "modified": card.modified}


def _live_json(card: LockedCard) -> dict[str, object]:
    """A live card's entry in the lock as plain JSON data (the layout _card_from_json reads back)."""
    return {"guid": card.guid, "note_type": card.note_type, "deck": card.deck, "tags": list(card.tags),
            "digests": card.digests, "hash": card.hash, "modified": card.modified}


def _write_json(value: object, newline: str, write: Callable[[str], object]) -> None:
    if type(value) is LockedCard:  # written as its JSON object (see _card_json)
        write(_card_entry(value, newline))
    elif isinstance(value, str):
        write(encode_basestring(value))
    elif isinstance(value, (dict, Mapping)):
        if not value:
            write("{}")
            return
        inner = newline + " "
        separator = "{" + inner
        for key in sorted(value):
            write(f"{separator}{encode_basestring(key)}: ")
            _write_json(value[key], inner, write)
            separator = "," + inner
        write(newline + "}")
    elif isinstance(value, (list, tuple)):
        if all(type(item) is str for item in value):  # incl. the empty list
            write(_strings(value, newline))
            return
        inner = newline + " "
        separator = "[" + inner
        for item in value:
            write(separator)
            _write_json(item, inner, write)
            separator = "," + inner
        write(newline + "]")
    elif value is None or isinstance(value, (bool, int)):
        write(json.dumps(value))
    else:
        raise TypeError(f"cannot write {type(value).__name__} to the lock")


def plan_note_types(lock: Lock, note_types: dict[str, NoteType], now: int
                    ) -> tuple[dict[str, LockedNoteType], list[str], list[str], list[Diagnostic]]:
    """Each note type's lock entry; the keys of those that changed, and of those the lock did not have."""
    result: dict[str, LockedNoteType] = {}
    changed: list[str] = []
    added: list[str] = []
    problems: list[Diagnostic] = []
    for key, note_type in sorted(note_types.items()):
        old = lock.note_types.get(key)
        if old is not None and old.version == note_type.version and old.fields != note_type.fields:
            problems.append(Diagnostic(
                note_type.location,
                f"the fields of note type '{key}' changed from {list(old.fields)} to {list(note_type.fields)}",
                f"every learner's existing notes of this type would stop updating ('conflicting' on import); "
                f"if this is deliberate, raise its version to {old.version + 1} in templates/notetypes.yaml and "
                f"tell learners to import with 'Merge note types' on", "note-type-fields-changed"))
            continue
        if old is not None and old.hash == note_type.content_hash:
            result[key] = old
            continue
        type_id = stable_id(lock.namespace, "notetype", key, str(note_type.version))
        modified = now if old is None else max(now, old.modified + 1)
        result[key] = LockedNoteType(type_id, note_type.version, note_type.fields, note_type.content_hash, modified)
        (added if old is None else changed).append(key)
    return result, changed, added, problems


ID_BASE_SPREAD = 86_400  # seconds: a deck with a namespace counts its ids from up to a day before its latest change


def first_id_base(latest: int, guid_namespace: str) -> int:
    """The id_base a deck records at its first build: the latest change time of the deck, as genanki's
    timestamp; for a deck with a namespace, less a part of a day made from it, so that two decks first
    built in the same second (two projects made and built by one script) do not number their notes and
    cards alike. A deck from before namespaces keeps the latest change time, as does a deck.lock written
    before id_base was recorded (plan_cards)."""
    if guid_namespace == LEGACY_GUID_NAMESPACE:
        return latest
    return max(1, latest - stable_id(guid_namespace, "id_base") % ID_BASE_SPREAD)


def plan_cards(lock: Lock, notes: list[Note], note_types: dict[str, LockedNoteType], now: int, *,
               drop_retired: bool, refuse_silent_renames: bool = True,
               guid_namespace: str = LEGACY_GUID_NAMESPACE, notice: RetiredNotice | None = None,
               reuse: LockReuse | None = None) -> tuple[Plan | None, list[Diagnostic]]:
    """The new lock. An undeclared rename is refused (a build), or only listed in the plan (status).
    A new card's GUID is made from `guid_namespace` and its id (identity.py).

    `notice`: what a retired card shows on both sides; a card retired by this build gets it, and so does
    one retired earlier without it (dated the day it was retired). None: retired cards say nothing.
    """
    problems: list[Diagnostic] = []
    cards: dict[str, LockedCard] = {}
    added, changed, renamed, revived, unchanged = [], [], [], [], []
    current_ids = {note.card.id for note in notes}
    consumed: dict[str, str] = {}  # old ids taken over by renamed_from -> the card that took it over

    for note in notes:
        card = note.card
        old, source_id = lock.cards.get(card.id) or lock.retired.get(card.id), card.id  # retired: brought back
        if card.renamed_from:
            if card.renamed_from in consumed:
                problems.append(Diagnostic(card.locate("renamed_from"),
                                           f"renamed_from '{card.renamed_from}' is also claimed by card "
                                           f"'{consumed[card.renamed_from]}'",
                                           "only one card can keep an old card's identity (its GUID and reviews); "
                                           "remove renamed_from from the other", "renamed-from-taken"))
                continue
            if card.renamed_from in current_ids:
                problems.append(Diagnostic(card.locate("renamed_from"),
                                           f"renamed_from '{card.renamed_from}' is still a card in the deck",
                                           "a card can only take over the id of a card that no longer exists",
                                           "renamed-from-live"))
                continue
            previous = lock.cards.get(card.renamed_from) or lock.retired.get(card.renamed_from)
            if old is None and previous is None:
                problems.append(Diagnostic(card.locate("renamed_from"),
                                           f"renamed_from '{card.renamed_from}' is not in {LOCK_FILE}",
                                           "name the id the card had when it was last built",
                                           "renamed-from-unknown"))
                continue
            if old is not None and previous is not None and card.id not in lock.cards:
                problems.append(Diagnostic(card.locate("renamed_from"),
                                           f"renamed_from '{card.renamed_from}' cannot apply: '{card.id}' is a "
                                           f"retired card's id, and a card of that id brings its note back",
                                           f"to keep the note and reviews of '{card.renamed_from}', give this card "
                                           f"a new id; to bring back the note of '{card.id}', remove renamed_from",
                                           "renamed-from-retired"))
                continue
            built = _renamed_from_built(card, old, previous, guid_namespace) if old is not None else None
            if built is not None:
                problems.append(built)
                continue
            if old is None:
                old, source_id = previous, card.renamed_from
                consumed[card.renamed_from] = card.id
        entry = locked_card(note, old, now, note_types, guid_namespace, reuse)
        if (old is not None and entry.hash == old.hash and RETIRED_TAG not in old.tags
                and (old.digests, old.tags, old.deck, old.note_type) != (entry.digests, entry.tags, entry.deck,
                                                                         entry.note_type)):
            table = "cards" if source_id in lock.cards else "retired"
            problems.append(Diagnostic(lock.where(table, source_id, "hash"), _EDITED.format(source_id),
                                       "deckgen writes deck.lock itself; " + _RESTORE, "lock-edited"))
        if old is not None and (entry.hash != old.hash or source_id != card.id):  # a change: what it was, in full
            old, unread = lock.with_fields(source_id, old)
            if old is None:
                problems += unread
                continue
        problems += change_problems(card, old, entry, note_types)
        cards[card.id] = entry
        if old is None:
            added.append(CardChange(card.id, None, entry))
        elif source_id != card.id:
            renamed.append(CardChange(card.id, old, entry, source_id))
        elif card.id in lock.retired:
            revived.append(CardChange(card.id, old, entry))
        elif entry.hash != old.hash:
            changed.append(CardChange(card.id, old, entry))
        else:
            unchanged.append(card.id)

    retired: dict[str, LockedCard] = {}
    newly_retired, dropped, noticed = [], [], []
    vanished: dict[str, LockedCard] = {}  # every locked id no card has any more
    for old_id, old in list(lock.cards.items()) + list(lock.retired.items()):
        if old_id in current_ids or old_id in consumed or old_id in retired or old_id in vanished:
            continue
        old, unread = lock.with_fields(old_id, old)  # it retires, or is compared with the new cards
        if old is None:
            problems += unread
            continue
        vanished[old_id] = old
        if drop_retired:
            dropped.append(old_id)
            continue
        stored_retired = old_id in lock.retired  # the table says so, not a tag (the reader refuses it on a live entry)
        if stored_retired and lock.retired_problems.get(old_id):
            problems += lock.retired_problems[old_id]
            continue
        if not stored_retired:
            entry = _retire(old, now, notice, note_types.get(old.note_type) or lock.note_types[old.note_type])
            if lock.check_retired is not None:  # its stored fields are about to ship
                problems += lock.check_retired(old_id, old, lock.note_types.get(old.note_type))
        elif old_id in lock.unnoticed and notice is not None:  # retired before retired cards said so
            entry = _retire(old, now, notice, note_types.get(old.note_type) or lock.note_types[old.note_type])
            noticed.append(old_id)
        else:
            entry = old
        if entry.note_type in note_types and len(entry.fields) != len(note_types[entry.note_type].fields):
            problems.append(Diagnostic(
                lock.where("retired" if old_id in lock.retired else "cards", old_id, "fields"),
                f"retired card '{old_id}' has {len(entry.fields)} fields; note type "
                f"'{entry.note_type}' now has {len(note_types[entry.note_type].fields)}",
                "Anki cannot import it with the new note type: build with --drop-retired"))
        retired[old_id] = entry
        if not stored_retired:
            newly_retired.append(CardChange(old_id, old, entry))

    suspected, rename_problems = _silent_renames(added, vanished, notes, note_types, notice)
    if refuse_silent_renames:
        problems += rename_problems
    problems += _guid_collisions(lock, cards, retired, {note.card.id: note.card for note in notes})
    if problems:
        return None, problems
    latest = max([c.modified for c in cards.values()] + [t.modified for t in note_types.values()])
    # A lock from before id_base was recorded (an init deck's too) keeps the base its packages were numbered from.
    id_base = lock.id_base or (latest if lock.cards or lock.retired else first_id_base(latest, guid_namespace))
    new_lock = Lock(lock.namespace, note_types, dict(sorted(cards.items())), dict(sorted(retired.items())),
                    id_base=id_base)
    return Plan(new_lock, tuple(added), tuple(changed), tuple(sorted(unchanged)), tuple(renamed),
                tuple(newly_retired), tuple(sorted(dropped)), (), tuple(suspected), tuple(noticed),
                tuple(new_lock.retired), tuple(revived)), []


def _renamed_from_built(card: Card, old: LockedCard, previous: LockedCard | None,
                        guid_namespace: str) -> Diagnostic | None:
    """The problem with the renamed_from of a card already in deck.lock (`old`), or None: one that named the card
    whose note it took (its GUID was made from that id) stays as it was, harmless. Any other had no effect:
    naming no card of deck.lock (a misspelling, most likely) while this card's note is its own, made from its
    id; or naming a card of deck.lock that leaves, or left, the deck, whose note this card already built cannot
    take over. (A note made from neither id is a chain of renames, A to B to C naming B: said once, nothing
    tells it from a misspelling.)"""
    namespaces = {guid_namespace, LEGACY_GUID_NAMESPACE}
    if old.guid in {genanki.guid_for(namespace, card.renamed_from) for namespace in namespaces}:
        return None  # the rename that made this card's note, kept after its build
    if previous is None and old.guid not in {genanki.guid_for(namespace, card.id) for namespace in namespaces}:
        return None  # a chain of renames (or a note of an older deckgen): nothing to tell
    if previous is None:
        return Diagnostic(card.locate("renamed_from"),
                          f"renamed_from '{card.renamed_from}' is not in {LOCK_FILE}, which has '{card.id}' with a "
                          "note of its own: it names no card ever built",
                          f"a misspelling? name the id this card had when its rename was built; else remove "
                          f"renamed_from ('{card.id}' keeps its note and reviews without it)", "renamed-from-unknown")
    return Diagnostic(card.locate("renamed_from"),
                      f"renamed_from '{card.renamed_from}' cannot apply: '{card.id}' is already in {LOCK_FILE} with a "
                      "note of its own, which learners may have, and keeps it",
                      f"to bring back the note and reviews of '{card.renamed_from}', give this card the id "
                      f"'{card.renamed_from}' instead (the note of '{card.id}' then retires); else remove renamed_from",
                      "renamed-from-too-late")


def locked_card(note: Note, old: LockedCard | None, now: int, note_types: dict[str, LockedNoteType],
            guid_namespace: str = LEGACY_GUID_NAMESPACE, reuse: LockReuse | None = None) -> LockedCard:
    """A card's new lock entry: its content is always what this build rendered; the old entry gives only
    the GUID and, when the content is unchanged, the modification time."""
    guid = old.guid if old is not None else genanki.guid_for(guid_namespace, note.card.id)
    type_id = note_types[note.note_type].id
    card_hash = _card_hash(note.content_hash, type_id) if reuse is None else reuse.card_hash(note.content_hash, type_id)
    if old is not None and old.hash == card_hash and RETIRED_TAG not in old.tags:
        modified = old.modified
    else:
        modified = now if old is None else max(now, old.modified + 1)
    return LockedCard(guid, note.note_type, note.deck, note.tags, note.fields, card_hash, modified, note.digests)


def change_problems(card: Card, old: LockedCard | None, entry: LockedCard,
                    note_types: dict[str, LockedNoteType]) -> list[Diagnostic]:
    """Why a card may not ship as `entry` after shipping as `old` (with its fields): a changed note type, or a
    cloze deletion number that is gone."""
    return _changed_note_type(card, old, entry) or _dropped_deletions(card, old, entry, note_types)


def _changed_note_type(card: Card, old: LockedCard | None, entry: LockedCard) -> list[Diagnostic]:
    """A card that shipped with one note type (Q&A, cloze) and now has another, under the same GUID.
    Anki does not change an existing note's type on import: it skips the note as conflicting, so the
    learner would keep the old card without a word."""
    if old is None or old.note_type == entry.note_type:
        return []
    return [Diagnostic(card.locate("cloze" if card.kind is CardKind.CLOZE else "question"),
                       f"card '{card.id}' shipped as a '{old.note_type}' note and is now a '{entry.note_type}' note: "
                       "Anki does not change a note's type on import, it would skip this note",
                       f"keep it a '{old.note_type}' card, or give it a new id with 'new: true' (the old note "
                       "retires with its reviews)", "note-type-changed")]


_DELETION_NUMBER = re.compile(r"\{\{c(\d+)::")


def _dropped_deletions(card: Card, old: LockedCard | None, entry: LockedCard,
                       note_types: dict[str, LockedNoteType]) -> list[Diagnostic]:
    """A cloze number the card shipped with and has no more. Anki keeps that number's card, with its
    reviews, and shows it empty to every learner who has it: the card keeps the number, or becomes a
    new card (a new id) while the old note retires."""
    if old is None or old.note_type != entry.note_type or "Text" not in note_types[entry.note_type].fields:
        return []
    text = note_types[entry.note_type].fields.index("Text")
    if old.digest_of(text) == entry.digest_of(text):
        return []
    assert old.fields is not None, "a changed card's fields are read (Lock.with_fields) before they are compared"
    before = set(_DELETION_NUMBER.findall(old.fields[text]))
    gone = sorted(before - set(_DELETION_NUMBER.findall(entry.fields[text])), key=int)
    if not gone:
        return []
    numbers = ", ".join(f"c{n}" for n in gone)
    return [Diagnostic(card.locate("cloze"),
                       f"deletion {numbers} is no longer in this card, but learners have its card: Anki would keep "
                       "it and show it empty",
                       f"keep {numbers} in the text, or give the card a new id with 'new: true' (the old note "
                       "retires with its reviews)", "cloze-number-dropped")]


def _guid_collisions(lock: Lock, cards: dict[str, LockedCard], retired: dict[str, LockedCard],
                     by_id: dict[str, Card]) -> list[Diagnostic]:
    """One GUID per note and one note per GUID, checked before anything is written."""
    problems = []
    owner: dict[str, str] = {}
    for card_id, entry in list(cards.items()) + list(retired.items()):
        first = owner.setdefault(entry.guid, card_id)
        if first != card_id:
            card = by_id.get(card_id) or by_id.get(first)
            where = card.locate("id") if card is not None else lock.where("retired", card_id)
            problems.append(Diagnostic(where, f"cards '{first}' and '{card_id}' would ship with the same GUID "
                                       f"{entry.guid!r}; on import one note would overwrite the other",
                                       _collision_hint(first, card_id, card_id in retired and first in by_id),
                                       "guid-collision"))
    return problems


def _collision_hint(card_id: str, retired_id: str, takes_a_retired_note: bool) -> str:
    """What to do: for a card whose id made the note a retired card holds — a rename undone ('a' renamed to 'b',
    then 'b' back to 'a' without renamed_from) — give it that note back."""
    if not takes_a_retired_note:
        return "give each card its own id, and renamed_from to at most one card"
    return (f"'{retired_id}', which left the deck, holds the note made for the id '{card_id}' (a rename undone?): "
            f"add 'renamed_from: {retired_id}' to '{card_id}' to give that note back, or give '{card_id}' another id")


def _card_hash(note_hash: str, type_id: int) -> str:
    """sha256 of json.dumps([note_hash, type_id]), its first 16 hex digits: the hash a card has in the lock."""
    return hashlib.sha256(json.dumps([note_hash, type_id]).encode()).hexdigest()[:16]


def _retire(old: LockedCard, now: int, notice: RetiredNotice | None, note_type: LockedNoteType) -> LockedCard:
    """A card as it ships once removed from the YAML: tagged deckgen::retired, with the notice at the start
    of its front field, dated the day it was retired (for an entry retired earlier: its retirement time),
    and a newer modification time, so that Anki updates the learner's note on the next import."""
    modified = max(now, old.modified + 1)
    if RETIRED_TAG in old.tags:  # retired earlier, without a notice
        tags, retired_at = old.tags, old.modified
    else:
        tags, retired_at = old.tags + (RETIRED_TAG,), now
    if notice is None:
        return replace(old, tags=tags, hash=_retired_hash(old.hash, noticed=False), modified=modified)
    assert old.fields is not None, "a card's fields are read (Lock.with_fields) before it retires"
    front = notice.front_field(note_type.fields)
    fields = old.fields[:front] + (notice.for_time(retired_at) + old.fields[front],) + old.fields[front + 1:]
    untagged = _untagged(tags)
    digests = field_digests(fields)
    note_hash = content_hash(old.note_type, old.deck, digests, untagged)
    return LockedCard(old.guid, old.note_type, old.deck, tags, fields,
                      _retired_hash(_card_hash(note_hash, note_type.id), noticed=True), modified, digests)


def _shown_tag_problem(tag: str) -> str | None:
    """Why a retired entry's tag, which a template's {{Tags}} puts into the card, may not ship: Anki media or
    text-to-speech syntax (Anki plays what the rendered card holds) or a MathJax command that writes HTML."""
    if AV_TAG.search(tag):
        return "Anki media or text-to-speech syntax ([sound:…] / [anki:…])"
    return math_html_problem(tag)


def _untagged(tags: tuple[str, ...]) -> tuple[str, ...]:
    """A retired card's tags without deckgen's retired tag: what its hash is made of."""
    return tuple(t for t in tags if t != RETIRED_TAG)


def _retired_hash(card_hash: str, *, noticed: bool) -> str:
    """A retired entry's hash: its content's card hash, marked retired (and, from the notice on, noticed)."""
    payload = [card_hash, RETIRED_TAG, RETIRED_NOTICE] if noticed else [card_hash, RETIRED_TAG]
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class RetiredNotice:
    """What a retired card says on both sides: `render(date, search)` is the project's notice template
    (fields/retired_notice.html, rendered and checked by render.Renderer.retired_notice)."""

    render: Callable[[str, str], str]

    def for_time(self, seconds: int) -> str:
        return self.render(time.strftime("%Y-%m-%d", time.gmtime(seconds)), f"tag:{RETIRED_TAG}")

    @staticmethod
    def front_field(names: tuple[str, ...]) -> int:
        """The field both sides show: Question (Q&A) or Text (cloze)."""
        return next((i for i, name in enumerate(names) if name in ("Question", "Text")), 0)

    @functools.cached_property
    def _around_date(self) -> tuple[str, str]:
        before, _, after = self.render(_SAMPLE_DATE, f"tag:{RETIRED_TAG}").partition(_SAMPLE_DATE)
        return before, after

    def strip(self, value: str) -> str:
        """A field without the notice at its start (as this template writes it, for any date)."""
        before, after = self._around_date
        end = len(before) + len(_SAMPLE_DATE)
        if before and value.startswith(before) and value.startswith(after, end):
            return value[end + len(after):]
        return value


_SAMPLE_DATE = "2000-01-01"
RETIRED_NOTICE = "notice"


def _silent_renames(added: list[CardChange], vanished: dict[str, LockedCard], notes: list[Note],
                    note_types: dict[str, LockedNoteType], notice: RetiredNotice | None = None
                    ) -> tuple[list[tuple[str, str]], list[Diagnostic]]:
    """A card that vanished and a new card that look alike is a rename the author forgot to declare.

    Alike: the same note type and the same cited passages (the Sources field as text), and question and
    answer (a cloze's deletions and the rest of it) alike by rename_similarity (at least RENAME_SIMILARITY).
    A card marked `new: true` is taken at its word. Each new card is paired with its closest vanished card.
    """
    if not vanished or not added:
        return [], []
    cards: dict[str, Card] = {note.card.id: note.card for note in notes}
    candidates: dict[tuple[str, str], list[tuple[str, ClaimWords]]] = {}
    for old_id, old in sorted(vanished.items()):
        kind, passages, words = rename_key(old, note_types, notice)
        candidates.setdefault((kind, passages), []).append((old_id, words))
    suspected, problems = [], []
    for change in added:
        assert change.new is not None
        card = cards[change.card_id]
        if card.is_new:
            continue
        kind, passages, words = rename_key(change.new, note_types)
        scored = [(rename_similarity(words, old_words), old_id)
                  for old_id, old_words in candidates.get((kind, passages), [])]
        best = max(scored, key=lambda pair: pair[0], default=None)  # the first of equals: ids in order
        if best is None or best[0] < RENAME_SIMILARITY:
            continue
        similarity, old_id = best
        suspected.append((old_id, change.card_id))
        problems.append(Diagnostic(
            card.locate("id"),
            f"card '{change.card_id}' looks like '{old_id}', which is no longer in the deck (the same cited "
            f"passages; question and answer {similarity:.0%} alike): a card id changed without renamed_from?",
            f"add 'renamed_from: {old_id}' to keep the note and its review history; if it really is a new card, "
            f"add 'new: true' to it", "suspected-rename"))
    return suspected, problems


# Two cards citing the same passages are taken for one card renamed when the mean of two Jaccard indices,
# of their questions' and of their answers' content-word stems (a cloze: the text around the deletions,
# and the deletions), is at least this. Measured on generated pairs in tests/test_rename_similarity.py,
# which prints the false-positive and false-negative rates. Cards on one passage share nearly all their
# words (the gate sees to that), so the answer is compared on its own: a card asking the same passage
# the other way round ("what forms marble?" / "what does limestone form?") is not a rename.
RENAME_SIMILARITY = 0.5
_HTML_TAG = re.compile(r"<[^>]*>")


class ClaimWords(NamedTuple):
    question: frozenset[str]  # a cloze: its text around the deletions, hints included
    answer: frozenset[str]  # a cloze: its deletions


def rename_key(card: LockedCard, note_types: dict[str, LockedNoteType], notice: RetiredNotice | None = None
               ) -> tuple[str, str, ClaimWords]:
    """(note type, the cited passages as text, the content words of the card's question and answer)."""
    names = note_types[card.note_type].fields if card.note_type in note_types else ()
    raw = dict(zip(names, card.fields))
    front = "Text" if "Text" in raw else "Question"
    if notice is not None and RETIRED_TAG in card.tags and front in raw:
        raw[front] = notice.strip(raw[front])
    values = {name: html.unescape(_without_tags(value)) for name, value in raw.items()}
    passages = " ".join(values.get("Sources", "").split())
    if front == "Text":
        text = values.get("Text", "")
        question = CLOZE_PATTERN.sub(lambda found: f" {found.group(3) or ''} ", text)
        answer = " ".join(found.group(2) for found in CLOZE_PATTERN.finditer(text))
    else:
        question, answer = values.get("Question", ""), values.get("Answer", "")
    return card.note_type, passages, ClaimWords(claim_words(question), claim_words(answer))


def _without_tags(value: str) -> str:
    """A field with each tag (_HTML_TAG) a space. Only its text up to its last '>' is searched, as a '<' after it opens
    no tag: the pattern read from each such '<' to the text's end (a vanished card's field of 100,000 '<' in
    deck.lock, 100 KB, took 14 s a check)."""
    end = value.rfind(">") + 1
    return _HTML_TAG.sub(" ", value[:end]) + value[end:]


def claim_words(text: str) -> frozenset[str]:
    """The stems of a text's words, stop-words aside (negations kept: "not" changes a claim)."""
    return frozenset(stem(word) for word in tokens(normalize(text))
                     if word not in STOPWORDS or is_negation(word))


def rename_similarity(first: ClaimWords, second: ClaimWords) -> float:
    """How alike two cards' claims are: the mean of the Jaccard indices of their questions' and answers' words."""
    return (_jaccard(first.question, second.question) + _jaccard(first.answer, second.answer)) / 2


def _jaccard(first: frozenset[str], second: frozenset[str]) -> float:
    """The share of all the words of two sets that both have (1 for two empty sets)."""
    if not first and not second:
        return 1.0
    return len(first & second) / len(first | second)
