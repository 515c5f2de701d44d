"""What an earlier build already read, checked and rendered, reused while nothing it depends on changed.

Reading a card file, tracing a card against its sources and rendering its note are pure functions
of the file's text or the card's content, and of a *context*: the source documents, the templates,
the deck settings, the synonyms and deckgen itself (its code, the installed packages, the Python
running them). After a successful build, `deckgen build` records in build/.deckgen-memo.jsonl:

* every topic file's cards, keyed by a digest of the file's path and text;
* the note types, rendered from the templates;
* every note, keyed by a digest of its card's content;

together with a digest of the context. The next build takes from it a file whose text is unchanged,
the note types, and the note of a card whose content is unchanged, if the context digest is
unchanged too; anything else is read, traced and rendered as usual, and any change to the context
discards the whole memo. So a rebuild after editing one card parses one file and traces one card.

A rebuild adds the entries it made (the edited file, the edited cards' notes) at the end of the memo
under a new last line, a MAC of everything before it, rather than writing the whole memo again; once
the entries no build will use again outnumber those in use, the memo is written anew.

`deckgen watch` builds again and again in one process: there, what the memo's entries decode to is
kept from one build to the next (_DecodedEntries), so a save costs the decoding of what it changed.

The memo is never needed: a missing, damaged or foreign memo only means that everything is read and
checked again, which is what `deckgen check` always does.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import weakref
from hashlib import blake2b
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO, Callable, Collection, NamedTuple

from . import fastpath, userkey
from .diagnostics import Location
from .newfile import open_append, open_new, open_regular, unlink_quietly
from .model import Card, CardFile, CardKind, SourceRef, shared_offsets, shared_tags
from .render import CardTemplate, Note, NoteType, content_hash, field_digests

MEMO = Path("build") / ".deckgen-memo.jsonl"
MEMO_FORMAT = 7  # 6: the last line is a MAC of all before it, with this user's key (see userkey.py); 7: a card
# file's places of `deck:` and `tags:`
CONTEXT_FOLDERS = ("sources", "templates")
CONTEXT_FILES = ("cards/deck.yaml", "cards/synonyms.yaml", "cards/vocabulary.yaml")


@dataclass
class _Recorded:
    """The memo as read: entries stay JSON text until a build asks for them, and that text stays out of
    memory: it is in `copy`, a private copy of the memo made as its MAC was checked (an unnamed file that
    nothing else can change), and each entry is read back from there when asked for, once. Held in
    memory, the text was a memo's size (10 MiB at 10,000 cards) of a rebuild's peak, and once let go it
    left as much in holes that the rest of the build hardly reused."""

    # file digest -> its CardFile's place in `copy` (offset, length) and its _entry_key
    files: dict[str, tuple[int, int, bytes]] = field(default_factory=dict)
    note_types: dict[str, NoteType] = field(default_factory=dict)
    # card digest -> the place and _entry_key of its note's entry ([note type, deck, fields, tags])
    notes: dict[str, tuple[int, int, bytes]] = field(default_factory=dict)
    tail: _Tail | None = None  # where the next build can append, if it has only a few entries to add
    copy: BinaryIO | None = None  # the entries' text, each at its (offset, length)

    def entry(self, table: dict[str, tuple[int, int, bytes]], digest: str) -> tuple[bytes, Callable[[], str]] | None:
        """The entry `digest` in `table`, taken out of it (each entry is used once): its _entry_key, and what
        reads its text (only when it is decoded: a watch's next build finds most entries decoded already)."""
        place = table.pop(digest, None)
        if place is None or self.copy is None:
            return None
        offset, length, key = place
        copy = self.copy
        return key, lambda: os.pread(copy.fileno(), length, offset).decode("utf-8", "surrogateescape")


class _Tail(NamedTuple):
    """The end of the memo as read: its last line (`mac <hex>`), the MAC of every byte before that line,
    how many entries it held, and the file's identity, so that a build can append to exactly this file."""

    signed: bytes
    mac: object  # userkey.mac, fed every byte before `signed`
    entries: int
    identity: tuple[int, int, int, int]  # device, inode, size, modification time (ns)


class Memo:
    """What the last successful build recorded, if it was recorded in the present context."""

    def __init__(self, root: Path, context: str | None, recorded: _Recorded | None, key: bytes | None = None):
        self.root = root
        self.key = key  # this user's build key: without one, no memo is read or written
        self.context = context
        self.valid = recorded is not None  # recorded by a successful build in this very context
        self._recorded = recorded or _Recorded()
        self._file_digests: dict[str, str] = {}  # file path -> digest of its path and text, this build
        self._card_digests: dict[str, str] = {}  # card id -> digest of its content, this build
        self.files_reused = 0
        self.reused = 0  # notes
        self._reused: set[str] = set()  # the digests of the files and notes taken from the memo

    @classmethod
    def open(cls, root: Path, *, fresh: bool = False) -> Memo:
        """The memo in build/, if this user's deckgen wrote it (its MAC checks out with this user's key)
        in the present context; with `fresh`, none (the build checks everything, then records a memo)."""
        _DECODED.next_build()
        context = fastpath.digest_of(root, CONTEXT_FOLDERS, CONTEXT_FILES)
        key = userkey.build_key(root)
        usable = context is not None and key is not None and not fresh
        return cls(root, context, _read(root / MEMO, context, key) if usable else None, key)

    # --- what the memo gives back ---------------------------------------------------------------
    def card_file(self, shown: str, text: str) -> CardFile | None:
        """The cards an earlier build read from exactly this file (path and text), or None."""
        digest = self._file_digests[shown] = fastpath.text_digest(f"{shown}\0{text}")
        entry = self._recorded.entry(self._recorded.files, digest) if self.valid else None
        card_file = _DECODED.card_file(*entry) if entry is not None else None
        if card_file is not None:
            self.files_reused += 1
            self._reused.add(digest)
        return card_file

    def note_types(self) -> dict[str, NoteType] | None:
        """The note types the last build rendered from the same templates and settings, or None."""
        return dict(self._recorded.note_types) if self.valid and self._recorded.note_types else None

    def note(self, card: Card) -> Note | None:
        """The note an earlier build made from exactly this card, or None."""
        if not self.valid:
            return None
        digest = self._card_digests[card.id] = _DECODED.card_digest(card)
        entry = self._recorded.entry(self._recorded.notes, digest)  # each entry is used once
        note = _DECODED.note(*entry, card) if entry is not None else None
        if note is None:
            return None
        self.reused += 1
        self._reused.add(digest)
        return note if note.card is card else replace(note, card=card)  # decoded by an earlier build (watch)

    # --- recording a build ------------------------------------------------------------------------
    def digest(self, card: Card) -> str:
        """card_digest(card) for a card of this build, made once: kept with those the memo looked up."""
        digest = self._card_digests.get(card.id)
        if digest is None:
            digest = self._card_digests[card.id] = card_digest(card)
        return digest

    def save(self, files: Collection[CardFile], note_types: dict[str, NoteType], notes: Collection[Note],
             inputs_held: bool = True) -> None:
        """Record this build, unless the context changed while the build read it: it is not what it was when
        the memo was opened, or the inputs did not hold (`inputs_held`: delta_state.held, which compares them
        with the bytes the build read)."""
        path = self.root / MEMO
        if self._up_to_date(files, note_types, notes):
            return
        if (self.key is None or self.context is None
                or fastpath.digest_of(self.root, CONTEXT_FOLDERS, CONTEXT_FILES) != self.context
                or not inputs_held):
            _forget(path)
            return
        if note_types == self._recorded.note_types and self._append(path, files, notes):
            return
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        try:
            with open_new(partial) as memo:
                mac = userkey.mac(self.key)

                def write(text: str) -> None:
                    data = text.encode("utf-8", "surrogateescape")
                    mac.update(data)
                    memo.write(data)

                self._write(write, files, note_types, notes)
                memo.write(f"mac {mac.hexdigest()}\n".encode())
            os.replace(partial, path)
        except OSError:  # only a missed shortcut: the next build reads and checks everything
            unlink_quietly(partial)
            _forget(path)

    def _append(self, path: Path, files: Collection[CardFile], notes: Collection[Note]) -> bool:
        """Add this build's new entries to the end of the memo it read, with a new last line, a MAC of all
        before it: a rebuild after an edit writes what it traced, not the whole memo again. Only while
        the memo is the very file this build read (same inode, size and time) and its entries that no
        build will use again (the notes of edited cards) are fewer than those in use; else (False) the
        memo is written anew. An append cut short leaves a memo whose MAC does not check out: the next
        build checks everything, as with any damaged memo."""
        tail = self._recorded.tail
        if not self.valid or tail is None:
            return False
        entries = [(digest, card_file) for card_file in files
                   if (digest := self._file_digests.get(card_file.path)) is not None and digest not in self._reused]
        new_notes = [note for note in notes if self._card_digests.get(note.card.id) not in self._reused]
        if not entries and not new_notes:
            return True  # every entry in use is in the memo already
        if tail.entries + len(entries) + len(new_notes) > 2 * (len(files) + len(notes)) + _SLACK:
            return False
        mac = tail.mac.copy()  # type: ignore[attr-defined]
        mac.update(tail.signed)
        lines = [f"file {digest} {_dump(_card_file_to_json(card_file))}\n" for digest, card_file in entries]
        lines += [f"note {self.digest(note.card)} "
                  f"{_dump([note.note_type, note.deck, note.fields, note.tags])}\n" for note in new_notes]
        data = "".join(lines).encode("utf-8", "surrogateescape")
        mac.update(data)
        try:
            with open_append(path) as memo:  # the very file read: not made again, nor a link put in its place
                if _identity(os.fstat(memo.fileno())) != tail.identity:
                    return False
                memo.write(data + f"mac {mac.hexdigest()}\n".encode())
        except OSError:
            _forget(path)
            return True  # nothing to reuse next time, and nothing more to write now
        return True

    def _up_to_date(self, files: Collection[CardFile], note_types: dict[str, NoteType],
                    notes: Collection[Note]) -> bool:
        """Everything came from the memo, and it holds nothing else: writing it again changes nothing."""
        recorded = self._recorded
        return (self.valid and self.files_reused == len(files) and self.reused == len(notes)
                and not recorded.files and not recorded.notes and note_types == recorded.note_types)

    def _write(self, write: Callable[[str], None], files: Collection[CardFile], note_types: dict[str, NoteType],
               notes: Collection[Note]) -> None:
        """A header line, then one line per entry: `file <digest> <JSON>` or `note <digest> <JSON>`.

        Written entry by entry, so that a large deck's memo is never held in memory whole.
        """
        dump = _dump
        types = {key: note_type_to_json(t) for key, t in note_types.items()}
        write(dump({"format": MEMO_FORMAT, "context": self.context, "note_types": types}) + "\n")
        for card_file in files:
            digest = self._file_digests.get(card_file.path)
            if digest is not None:
                write(f"file {digest} {dump(_card_file_to_json(card_file))}\n")
        for note in notes:
            digest = self.digest(note.card)
            write(f"note {digest} {dump([note.note_type, note.deck, note.fields, note.tags])}\n")


_SLACK = 64  # entries a small memo may hold beyond twice those in use before it is written anew


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)  # escapes every line break inside the value


def _identity(info: os.stat_result) -> tuple[int, int, int, int]:
    return info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns


def card_digest(card: Card) -> str:
    """Everything about a card that its note depends on; not where it is written in the file.

    Python's repr of a tuple of strings is exact and unambiguous (and the memo's context includes
    the Python that wrote it), so different content never shares a digest.
    """
    content = (card.id, card.kind.value, card.deck, card.question, card.answer, card.cloze, card.extra,
               card.tags, tuple((ref.doc, ref.quote) for ref in card.sources))
    return fastpath.text_digest(repr(content))


class _DecodedEntries:
    """What this process decoded of memo entries, kept from one build to the next.

    An entry's text always decodes to the same value, and a card's digest is a function of the card, so
    `deckgen watch`, one process building again after every save, decodes each entry and digests each card
    once instead of on every save: the cards it gets back are the very objects of the build before. Which
    entries a build may use is still the memo's to say (read and its MAC checked by every build); only
    the decoding is saved. What the last build did not use is let go, so a long watch holds no more
    than one build's worth.
    """

    def __init__(self) -> None:
        self._last: dict[object, object] = {}
        self._now: dict[object, object] = {}
        # the cards whose digests are kept (keyed by their ids): alive while their ids are keys
        self._last_cards: list[Card] = []
        self._now_cards: list[Card] = []

    def next_build(self) -> None:
        self._last, self._now = self._now, {}
        self._last_cards, self._now_cards = self._now_cards, []

    def card_file(self, key: bytes, text: Callable[[], str]) -> CardFile | None:
        """A card-file entry (known by its _entry_key; `text` reads it) as its CardFile."""
        return self._kept(key, lambda: _card_file_from_json(_decoded(text())))

    def note(self, key: bytes, text: Callable[[], str], card: Card) -> Note | None:
        """A note entry as the note of `card` (or of the card of the same content an earlier build asked
        it for), with its fields' digests and its hash."""
        return self._kept(key, lambda: _note_from_json(_decoded(text()), card))

    def card_digest(self, card: Card) -> str:
        """card_digest(card), once per card object: keyed by its identity, the card kept alive (in a list, not
        a pair per card) so that no other object can take its id while the entry is kept."""
        key = id(card)
        digest = self._now.get(key)
        if digest is None:
            digest = self._last.pop(key, None)  # the very card: the card of that id is alive in _last_cards
            if digest is None:
                digest = card_digest(card)
            self._now[key] = digest
            self._now_cards.append(card)
        return digest  # type: ignore[return-value]

    def _kept(self, key: object, decode: Callable[[], object]):
        value = self._now.get(key, _MISSING)
        if value is _MISSING:
            value = self._last.pop(key, _MISSING)
            if value is _MISSING:
                value = decode()
            self._now[key] = value
        return value


def _entry_key(kind: bytes, entry: bytes) -> bytes:
    """What _DecodedEntries knows an entry of `kind` (b"file", b"note") by: a digest of its kind and text,
    not the text, which a build lets go as soon as it is decoded (held as keys, every entry's text stayed
    in memory to the end of the build: at 10,000 cards, 10 MiB of a one-card rebuild's peak). Made as the
    memo is read (and its MAC checked), so that an entry decoded before is found without reading it again."""
    return blake2b(entry, digest_size=16, person=kind).digest()


_MISSING = object()
_DECODED = _DecodedEntries()


# --- the memo's JSON, read defensively: anything unexpected makes the whole memo unusable -------------
def _read(path: Path, context: str, key: bytes) -> _Recorded | None:
    """The memo, if this user's deckgen recorded it in this context and it is intact; else None.

    Its last line is `mac <hex>`, a MAC with this user's key of every byte before it: a memo written
    elsewhere (a CI cache, a shared folder), or a line added, changed or dropped, does not check out,
    and nothing in it is used.
    """
    recorded = _Recorded()
    mac = userkey.mac(key)
    try:
        with open_regular(path) as memo:  # a FIFO put there is refused, not waited on
            recorded.copy = copy = tempfile.TemporaryFile(dir=path.parent)
            weakref.finalize(recorded, copy.close)
            offset = 0
            first = memo.readline()
            mac.update(first)
            header = json.loads(first.decode("utf-8", "surrogateescape"))
            if not isinstance(header, dict) or header.get("format") != MEMO_FORMAT or header.get("context") != context:
                return None
            note_types = note_types_from_json(header.get("note_types"))
            if note_types is None:
                return None
            recorded.note_types = note_types
            tables = {"file": recorded.files, "note": recorded.notes}
            signed, entries = None, 0
            for raw in memo:
                if signed is not None:  # the MAC line of an earlier append: now part of what is signed
                    mac.update(signed)
                    signed = None
                if raw.startswith(b"mac "):
                    signed = raw
                    continue
                mac.update(raw)
                kind, digest, entry = raw.rstrip(b"\n").split(b" ", 2)
                tables[kind.decode("ascii")][digest.decode("utf-8", "surrogateescape")] = (
                    offset, len(entry), _entry_key(kind, entry))
                offset += copy.write(entry)
                entries += 1
            copy.flush()
            if signed is None or not fastpath.compare_digest(signed, f"mac {mac.hexdigest()}\n".encode()):
                return None
            recorded.tail = _Tail(signed, mac, entries, _identity(os.fstat(memo.fileno())))
    except (OSError, ValueError, KeyError):  # unreadable, not JSON, a line of another shape
        return None
    return recorded


def _decoded(entry: str) -> object:
    try:
        return json.loads(entry)
    except ValueError:
        return None


def note_type_to_json(note_type: NoteType) -> list:
    """A note type as the memo and the delta state record it (note_types_from_json reads it back)."""
    return [note_type.name, note_type.version, note_type.fields, note_type.sort_field,
            [[t.name, t.front, t.back] for t in note_type.templates], note_type.css, note_type.location]


def note_types_from_json(data: object) -> dict[str, NoteType] | None:
    if not isinstance(data, dict):
        return None
    note_types = {}
    for key, entry in data.items():
        if not (isinstance(entry, list) and len(entry) == 7 and _strings(entry[0], entry[5])
                and _ints(entry[1], entry[3]) and _string_list(entry[2])
                and isinstance(entry[4], list) and all(_string_list(t) and len(t) == 3 for t in entry[4])
                and _is_location(entry[6])):
            return None
        name, version, fields, sort_field, templates, css, location = entry
        note_types[key] = NoteType(key, name, version, tuple(fields), sort_field,
                                   tuple(CardTemplate(*t) for t in templates), css, Location(*location))
    return note_types


def _card_file_to_json(card_file: CardFile) -> list:
    cards = [[c.id, c.kind.value, c.deck, c.question, c.answer, c.cloze, c.extra, c.tags,
              [[s.doc, s.quote, s.location, s.key_offsets] for s in c.sources], c.renamed_from, c.location,
              c.field_offsets, c.is_new] for c in card_file.cards]
    return [card_file.path, card_file.deck, card_file.tags, card_file.location, cards, card_file.field_offsets]


def _card_file_from_json(entry: object) -> CardFile | None:
    if not (isinstance(entry, list) and len(entry) == 6 and _strings(*entry[:2]) and _string_list(entry[2])
            and _is_location(entry[3]) and isinstance(entry[4], list) and _int_list(entry[5])):
        return None
    cards = [_card_from_json(card) for card in entry[4]]
    if any(card is None for card in cards):
        return None
    path, deck, tags, location, _, offsets = entry
    return CardFile(path, deck, shared_tags(tags), tuple(cards), Location(*location),  # type: ignore[arg-type]
                    shared_offsets(tuple(offsets)))


def _card_from_json(entry: object) -> Card | None:
    if not (isinstance(entry, list) and len(entry) == 13 and _strings(*entry[:7], entry[9])
            and entry[1] in ("qa", "cloze") and _string_list(entry[7]) and isinstance(entry[8], list)
            and _is_location(entry[10]) and _int_list(entry[11]) and type(entry[12]) is bool):
        return None
    sources = []
    for ref in entry[8]:
        if not (isinstance(ref, list) and len(ref) == 4 and _strings(ref[0], ref[1]) and _is_location(ref[2])
                and _int_list(ref[3])):
            return None
        path, line, column = ref[2]
        sources.append(SourceRef(sys.intern(ref[0]), ref[1], Location(sys.intern(path), line, column),
                                 shared_offsets(tuple(ref[3]))))
    card_id, kind, deck, question, answer, cloze, extra, tags, _, renamed_from, location, offsets, is_new = entry
    path, line, column = location  # a document's id and a file's path: one string each (sys.intern)
    return Card(card_id, CardKind(kind), sys.intern(deck), question, answer, cloze, extra, shared_tags(tags), tuple(sources),
                renamed_from, Location(sys.intern(path), line, column), shared_offsets(tuple(offsets)), is_new)


def _note_from_json(entry: object, card: Card) -> Note | None:
    """A note entry (note type, deck, fields and tags) as the note of `card`, with the digests and hash
    a Note makes of them."""
    if not (isinstance(entry, list) and len(entry) == 4 and _strings(entry[0], entry[1])
            and _string_list(entry[2]) and _string_list(entry[3])):
        return None
    # the note type, the deck and the tags, as one object each for all notes (a few dozen names, otherwise
    # one copy per note: 3 MiB at 10,000 cards)
    note_type, deck = sys.intern(entry[0]), sys.intern(entry[1])
    tags = shared_tags(entry[3])
    own = {card.id: card.id, card.question: card.question}  # a field that is the card's id or plain question:
    fields = tuple([own.get(value, value) for value in entry[2]])  # the card's string, not a copy (1.6 MiB)
    digests = field_digests(fields)
    return Note(card, note_type, deck, fields, tags, digests, content_hash(note_type, deck, digests, tags))


def _is_location(value: object) -> bool:
    return isinstance(value, list) and len(value) == 3 and _strings(value[0]) and _ints(*value[1:])


def _strings(*values: object) -> bool:
    return all(isinstance(v, str) for v in values)


def _ints(*values: object) -> bool:
    return all(isinstance(v, int) and not isinstance(v, bool) for v in values)


def _int_list(value: object) -> bool:
    return isinstance(value, list) and _ints(*value)


def _string_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(s, str) for s in value)


def _forget(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass
