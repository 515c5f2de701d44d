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

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from json.encoder import encode_basestring, encode_basestring_ascii
from pathlib import Path

from .diagnostics import Diagnostic, Location
from .genanki_import import genanki
from .model import Card
from .render import Note, NoteType

LOCK_FILE = "deck.lock"
LOCK_FORMAT = 1
RETIRED_TAG = "deckgen::retired"


@dataclass(frozen=True, slots=True)
class LockedNoteType:
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
    fields: tuple[str, ...]
    hash: str
    modified: int


@dataclass(frozen=True, slots=True)
class Lock:
    namespace: str
    note_types: dict[str, LockedNoteType] = field(default_factory=dict)
    cards: dict[str, LockedCard] = field(default_factory=dict)
    retired: dict[str, LockedCard] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CardChange:
    card_id: str
    old: LockedCard | None
    new: LockedCard | None
    renamed_from: str = ""


@dataclass(frozen=True, slots=True)
class Plan:
    """What a build changes against the lock, and the lock it leaves behind."""

    lock: Lock
    added: tuple[CardChange, ...]
    changed: tuple[CardChange, ...]
    unchanged: tuple[str, ...]
    renamed: tuple[CardChange, ...]
    retired: tuple[CardChange, ...]  # newly retired by this build
    dropped: tuple[str, ...]
    note_types_changed: tuple[str, ...]
    suspected_renames: tuple[tuple[str, str], ...] = ()  # (old id, new id): only when not refused


def namespace_for(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "deck"


def stable_id(*parts: str) -> int:
    """A stable 31-bit positive id (Anki's ids are 64-bit; genanki recommends this range)."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def read_lock(path: Path, shown: str, title: str) -> tuple[Lock | None, list[Diagnostic]]:
    if not path.exists():
        return Lock(namespace_for(title)), []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != LOCK_FORMAT:
            raise ValueError(f"unsupported lock format {data.get('format')!r}")
        return Lock(
            namespace=data["namespace"],
            note_types={k: LockedNoteType(v["id"], v["version"], tuple(v["fields"]), v["hash"], v["modified"])
                        for k, v in data["note_types"].items()},
            cards={k: _card_from_json(v) for k, v in data["cards"].items()},
            retired={k: _card_from_json(v) for k, v in data.get("retired", {}).items()},
        ), []
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        line = getattr(exc, "lineno", 0)
        return None, [Diagnostic(Location(shown, line), f"cannot read the lock file: {exc}",
                                 "restore it from version control (git checkout deck.lock)")]


def _card_from_json(v: dict) -> LockedCard:
    return LockedCard(v["guid"], v["note_type"], v["deck"], tuple(v["tags"]), tuple(v["fields"]), v["hash"],
                      v["modified"])


def serialize(lock: Lock) -> str:
    out: list[str] = []
    write_lock(lock, out.append)
    return "".join(out)


def write_lock(lock: Lock, write: Callable[[str], object]) -> None:
    """The lock as JSON with sorted keys, one value per line, handed to `write` piece by piece.

    The text is exactly json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) plus a final
    newline (tests/test_fastpath.py and tests/test_lock_speed.py compare them); writing it in pieces
    keeps a large deck's lock from being held in memory twice, as a list of pieces and as one string.
    The cards, nearly all of the lock, are written an entry at a time by `_card_entry`.
    """
    data = {
        "format": LOCK_FORMAT,
        "namespace": lock.namespace,
        "note_types": {k: {"id": v.id, "version": v.version, "fields": list(v.fields), "hash": v.hash,
                           "modified": v.modified} for k, v in lock.note_types.items()},
        "cards": lock.cards,
        "retired": lock.retired,
    }
    _write_json(data, "\n", write)
    write("\n")


def _card_entry(card: LockedCard, newline: str) -> str:
    """One card as _write_json writes its dict, formatted in one go rather than value by value.

    The keys are fixed and written in sorted order. A lock edited by hand can hold other types than
    the usual (a number for a tag, say); such an entry goes to the generic writer, so the text is the
    same either way: encode_basestring raises TypeError on anything but a string.
    """
    if type(card.modified) is int:
        inner = newline + " "
        try:
            return (f'{{{inner}"deck": {encode_basestring(card.deck)},'
                    f'{inner}"fields": {_strings(card.fields, inner)},'
                    f'{inner}"guid": {encode_basestring(card.guid)},'
                    f'{inner}"hash": {encode_basestring(card.hash)},'
                    f'{inner}"modified": {card.modified},'
                    f'{inner}"note_type": {encode_basestring(card.note_type)},'
                    f'{inner}"tags": {_strings(card.tags, inner)}{newline}}}')
        except TypeError:
            pass
    out: list[str] = []
    _write_json(_card_json(card), newline, out.append)
    return "".join(out)


def _strings(values: tuple[str, ...], newline: str) -> str:
    """A list of strings as _write_json writes it (TypeError if one is not a string)."""
    if not values:
        return "[]"
    inner = newline + " "
    return "[" + inner + ("," + inner).join(map(encode_basestring, values)) + newline + "]"


def _card_json(card: LockedCard) -> dict[str, object]:
    """A card's entry in the lock as plain JSON data (the layout _card_from_json reads back)."""
    return {"guid": card.guid, "note_type": card.note_type, "deck": card.deck, "tags": list(card.tags),
            "fields": list(card.fields), "hash": card.hash, "modified": card.modified}


def indented_json(value: object) -> str:
    """json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False), several times faster.

    The standard library writes indented JSON with its pure-Python encoder; this writes the same
    bytes (tests/test_fastpath.py compares them) using the C string encoder for every string.
    """
    out: list[str] = []
    _write_json(value, "\n", out.append)
    return "".join(out)


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
                    ) -> tuple[dict[str, LockedNoteType], list[str], list[Diagnostic]]:
    result: dict[str, LockedNoteType] = {}
    changed: list[str] = []
    problems: list[Diagnostic] = []
    for key, note_type in sorted(note_types.items()):
        old = lock.note_types.get(key)
        if old is not None and old.version == note_type.version and old.fields != note_type.fields:
            problems.append(Diagnostic(
                note_type.location,
                f"the fields of note type '{key}' changed from {list(old.fields)} to {list(note_type.fields)}",
                f"every learner's existing notes of this type would stop updating ('conflicting' on import); "
                f"if this is deliberate, raise its version to {old.version + 1} in templates/notetypes.yaml and "
                f"tell learners to import with 'Merge note types' on"))
            continue
        if old is not None and old.hash == note_type.content_hash:
            result[key] = old
            continue
        type_id = stable_id(lock.namespace, "notetype", key, str(note_type.version))
        modified = now if old is None else max(now, old.modified + 1)
        result[key] = LockedNoteType(type_id, note_type.version, note_type.fields, note_type.content_hash, modified)
        changed.append(key)
    return result, changed, problems


def plan_cards(lock: Lock, notes: list[Note], note_types: dict[str, LockedNoteType], now: int, *,
               drop_retired: bool, refuse_silent_renames: bool = True) -> tuple[Plan | None, list[Diagnostic]]:
    """The new lock. An undeclared rename is refused (a build), or only listed in the plan (status)."""
    problems: list[Diagnostic] = []
    cards: dict[str, LockedCard] = {}
    added, changed, renamed, unchanged = [], [], [], []
    current_ids = {note.card.id for note in notes}
    consumed: set[str] = set()  # old ids taken over by renamed_from

    for note in notes:
        card = note.card
        old, source_id = lock.cards.get(card.id) or lock.retired.get(card.id), card.id  # retired: brought back
        if card.renamed_from:
            if card.renamed_from in current_ids:
                problems.append(Diagnostic(card.locate("renamed_from"),
                                           f"renamed_from '{card.renamed_from}' is still a card in the deck",
                                           "a card can only take over the id of a card that no longer exists"))
                continue
            previous = lock.cards.get(card.renamed_from) or lock.retired.get(card.renamed_from)
            if old is None and previous is None:
                problems.append(Diagnostic(card.locate("renamed_from"),
                                           f"renamed_from '{card.renamed_from}' is not in {LOCK_FILE}",
                                           "name the id the card had when it was last built"))
                continue
            if old is None:
                old, source_id = previous, card.renamed_from
                consumed.add(card.renamed_from)
        entry = _locked(note, old, now, note_types)
        cards[card.id] = entry
        if old is None:
            added.append(CardChange(card.id, None, entry))
        elif source_id != card.id:
            renamed.append(CardChange(card.id, old, entry, source_id))
        elif entry.hash != old.hash:
            changed.append(CardChange(card.id, old, entry))
        else:
            unchanged.append(card.id)

    retired: dict[str, LockedCard] = {}
    newly_retired, dropped = [], []
    vanished: dict[str, LockedCard] = {}  # every locked id no card has any more
    for old_id, old in list(lock.cards.items()) + list(lock.retired.items()):
        if old_id in current_ids or old_id in consumed or old_id in retired or old_id in vanished:
            continue
        vanished[old_id] = old
        if drop_retired:
            dropped.append(old_id)
            continue
        entry = old if RETIRED_TAG in old.tags else _retire(old, now)
        retired[old_id] = entry
        if entry is not old:
            newly_retired.append(CardChange(old_id, old, entry))

    suspected, rename_problems = _silent_renames(added, vanished, notes, note_types)
    if refuse_silent_renames:
        problems += rename_problems
    if problems:
        return None, problems
    new_lock = Lock(lock.namespace, note_types, dict(sorted(cards.items())), dict(sorted(retired.items())))
    return Plan(new_lock, tuple(added), tuple(changed), tuple(sorted(unchanged)), tuple(renamed),
                tuple(newly_retired), tuple(sorted(dropped)), (), tuple(suspected)), []


def _locked(note: Note, old: LockedCard | None, now: int, note_types: dict[str, LockedNoteType]) -> LockedCard:
    guid = old.guid if old is not None else _guid_for(note.card.id)
    content_hash = _card_hash(note.content_hash, note_types[note.note_type].id)
    if old is not None and old.hash == content_hash and RETIRED_TAG not in old.tags:
        return old
    modified = now if old is None else max(now, old.modified + 1)
    return LockedCard(guid, note.note_type, note.deck, note.tags, note.fields, content_hash, modified)


def _card_hash(note_hash: str, type_id: int) -> str:
    """sha256 of json.dumps([note_hash, type_id]), its first 16 hex digits: the hash a card has in the lock.

    json.dumps costs more than the hashing here (it sets up an encoder on every call), so the usual
    case, a string and a plain int, is formatted directly; anything else (a hand-edited lock) goes
    through json.dumps. tests/test_lock_speed.py compares the two.
    """
    if type(note_hash) is str and type(type_id) is int:
        payload = f"[{encode_basestring_ascii(note_hash)}, {type_id}]"
    else:
        payload = json.dumps([note_hash, type_id])
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


_BASE91 = "".join(genanki.util.BASE91_TABLE)


def _guid_for(card_id: str) -> str:
    """genanki.guid_for("deckgen", card_id), which a new card's GUID has always been.

    genanki's version adds up the digest byte by byte and divides with len() of a list each step;
    this is the same arithmetic (the first 8 digest bytes as a big-endian number, written in
    Anki's base 91, most significant digit first) in fewer steps. tests/test_lock_speed.py compares
    them.
    """
    number = int.from_bytes(hashlib.sha256(f"deckgen__{card_id}".encode()).digest()[:8], "big")
    digits: list[str] = []
    while number:
        number, digit = divmod(number, 91)
        digits.append(_BASE91[digit])
    return "".join(reversed(digits))


def _retire(old: LockedCard, now: int) -> LockedCard:
    tags = old.tags + (RETIRED_TAG,)
    content_hash = hashlib.sha256(json.dumps([old.hash, RETIRED_TAG]).encode()).hexdigest()[:16]
    return replace(old, tags=tags, hash=content_hash, modified=max(now, old.modified + 1))


def _silent_renames(added: list[CardChange], vanished: dict[str, LockedCard], notes: list[Note],
                    note_types: dict[str, LockedNoteType]) -> tuple[list[tuple[str, str]], list[Diagnostic]]:
    """An id that vanished and a new id with the same content is a rename the author forgot to declare."""
    if not vanished or not added:
        return [], []
    by_content: dict[tuple, str] = {}
    for old_id, old in sorted(vanished.items()):
        by_content.setdefault(_content_key(old, note_types), old_id)
    cards: dict[str, Card] = {note.card.id: note.card for note in notes}
    suspected, problems = [], []
    for change in added:
        assert change.new is not None
        old_id = by_content.get(_content_key(change.new, note_types))
        if old_id is not None:
            card = cards[change.card_id]
            suspected.append((old_id, change.card_id))
            problems.append(Diagnostic(
                card.locate("id"),
                f"card id changed from '{old_id}' to '{change.card_id}' without renamed_from",
                f"add 'renamed_from: {old_id}' to keep the note and its review history; "
                f"to really start a new card, change its content too"))
    return suspected, problems


def _content_key(card: LockedCard, note_types: dict[str, LockedNoteType]) -> tuple:
    """Everything but the CardId field and the retired tag."""
    names = note_types[card.note_type].fields if card.note_type in note_types else ()
    fields = tuple(value for name, value in zip(names, card.fields) if name != "CardId")
    return (card.note_type, fields, tuple(t for t in card.tags if t != RETIRED_TAG))
