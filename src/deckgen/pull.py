"""`deckgen pull EXPORT`: what learners did with the deck, read back from an Anki export.

An export is a zip file: a whole collection (`.colpkg`) or a deck package (`.apkg`, with "Include
scheduling information" for the reviews). It holds one SQLite collection: `collection.anki21b`
(zstd-compressed, Anki 2.1.50 and later, announced by a `meta` file), or `collection.anki21` /
`collection.anki2` in the "Support older Anki versions" format and in older exports. It is read here
with the standard library's zipfile and sqlite3 (and zstandard for anki21b), read-only, from a
temporary copy that is removed afterwards. Anki's own backend is not used: it is a test extra, not a
dependency, and it can only open an export by importing it into a collection.

The notes of this deck are found by the GUIDs in deck.lock; a note whose GUID is not there but whose
CardId field names a card of the lock, in one of this deck's note types (by id: another deckgen deck's
have the same fields, and may have cards of the same ids), is matched by that field. Each is compared
with what the deck last shipped (deck.lock) and reported:

* edited: a field whose card text (writeback.from_html) differs from what was shipped, on a note that
  changed after the deck last changed it (Anki keeps a note's modification time on import, so a note
  older than the card's time in deck.lock is a copy of an earlier build: its differences are the
  author's later changes, not the learner's, and it is counted as `outdated`, not reported as edited;
  a note changed in the same second as the build counts as edited); with whether the edited card, as
  it stands, passes deckgen check's rules for one card: the traceability gate and the content rules;
* struggling: a note whose cards lapsed STRUGGLING_LAPSES times or more in all, or that Anki tagged
  `leech`; worst first;
* missing: cards of the last build that are not in the export; retired_present: retired ones that are.
"""

from __future__ import annotations

import json
import os
import re
import stat
import sqlite3
import tempfile
import textwrap
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from . import inflate
from .cards import CLOZE_PATTERN, MAX_FIELD_CHARS, load_project
from .diagnostics import DeckgenFailure, Diagnostic, Location, display_path, plural
from .lint import SourceNames, lint
from .lock import LOCK_FILE, Lock, LockedCard, stable_id
from .render import field_digests
from .model import Card, CardKind, Project
from .sources import Corpus, load_corpus
from .textnorm import Vocabulary
from .trace import Gate
from .writeback import CARD_KEY, Change, Written, from_html, write_edits

# A note is struggling from this many lapses (summed over its cards), half the number at which Anki's
# default options tag a card `leech` (8): the author sees it while it can still be rewritten.
STRUGGLING_LAPSES = 4
LEECH_TAG = "leech"
PROBLEMS_SHOWN = 3  # the text report shows this many of an edit's problems
_WORD = re.compile(r"\w+")
RETIRED_SHOWN = 8  # the text report names this many retired notes: one search in Anki finds them all

# The package format named by the `meta` file's version (Anki's PackageMetadata.Version), and the file it uses.
PACKAGE_FILES = {1: "collection.anki2", 2: "collection.anki21", 3: "collection.anki21b"}
SCHEMAS = range(11, 19)  # the collection schema versions read: 11 (Anki 2.1.0) to 18 (current)
_EXPORT_HINT = ("in Anki: File > Export..., 'Anki Collection Package (.colpkg)', or 'Anki Deck Package (.apkg)' "
                "with 'Include scheduling information'")


# --- reading an export ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ExportedNote:
    guid: str
    fields: tuple[tuple[str, str], ...]  # (field name, HTML) in the note type's order
    tags: tuple[str, ...]
    modified: int  # seconds since 1970
    reviews: int  # summed over the note's cards
    lapses: int
    type_id: int = 0  # the note type's id in the export

    def field(self, name: str) -> str | None:
        return next((value for key, value in self.fields if key == name), None)

    @property
    def leech(self) -> bool:
        return any(tag.casefold() == LEECH_TAG for tag in self.tags)


@dataclass(frozen=True, slots=True)
class Export:
    notes: tuple[ExportedNote, ...]
    scheduled: bool  # holds any review (an .apkg exported without scheduling holds none)


def read_export(path: Path, shown: str) -> Export:
    """The notes of an Anki export, or a DeckgenFailure located at the export saying why not."""
    with tempfile.TemporaryDirectory(prefix="deckgen-pull-") as scratch:
        database = Path(scratch) / "collection.sqlite"
        _unpack(path, shown, database)
        return _read_collection(database, shown)


def _fail(shown: str, message: str, hint: str = _EXPORT_HINT) -> DeckgenFailure:
    return DeckgenFailure([Diagnostic(Location(shown), message, hint)])


def _unpack(path: Path, shown: str, target: Path) -> None:
    """The export's collection, decompressed, into `target`."""
    with _open_export(path, shown) as handle:
        if handle.read(4)[:2] != b"PK":
            raise _fail(shown, "not an Anki export: not a zip file")
        try:
            with zipfile.ZipFile(handle) as archive:
                member, compressed = _collection_member(archive, shown)
                limit = inflate.limit()
                if archive.getinfo(member).file_size > limit:  # said so up front: refused before inflating any
                    raise _too_large(shown, limit)
                with archive.open(member) as packed, open(target, "wb") as out:
                    if not _copy(packed, out, compressed, limit):
                        raise _too_large(shown, limit)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
            raise _fail(shown, f"corrupt zip file: {exc}", "export it from Anki again") from None
        except _ZstdError as exc:
            raise _fail(shown, f"corrupt export: its collection cannot be decompressed ({exc})",
                        "export it from Anki again") from None


def _open_export(path: Path, shown: str) -> BinaryIO:
    """The export, open for reading: a regular file (a FIFO is opened without waiting for a writer, then
    refused; it would have kept pull waiting for ever), read through this one handle."""
    try:
        handle = os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb")
    except OSError as exc:
        raise _fail(shown, f"cannot read the export: {exc.strerror or exc}", "check the file's name") from None
    if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
        handle.close()
        raise _fail(shown, "cannot read the export: not a regular file", "give the file Anki exported")
    return handle


def _collection_member(archive: zipfile.ZipFile, shown: str) -> tuple[str, bool]:
    """The zip entry that holds the collection, and whether it is zstd-compressed."""
    names = set(archive.namelist())
    if "meta" in names:
        if archive.getinfo("meta").file_size > _META_BYTES:  # a few bytes in any Anki; read into memory whole
            raise _fail(shown, "not an Anki export: its meta file is larger than any Anki writes")
        version = _package_version(archive.read("meta"), shown)
    else:  # before Anki 2.1.50: no meta file
        version = 2 if PACKAGE_FILES[2] in names else 1
    if version not in PACKAGE_FILES:
        newer = version > max(PACKAGE_FILES)
        raise _fail(shown, f"unsupported collection format: package version {version}, "
                           f"{'newer than' if newer else 'not one of'} the versions deckgen reads (1 to 3)",
                    "in Anki's export dialog, tick 'Support older Anki versions'" if newer else _EXPORT_HINT)
    member = PACKAGE_FILES[version]
    if member not in names:
        listed = ", ".join(sorted(names)[:6]) or "nothing"
        raise _fail(shown, f"not an Anki export: it holds no {member} (it holds {listed})")
    return member, version == 3


_META_BYTES = 1 << 16


def _package_version(meta: bytes, shown: str) -> int:
    """Field 1 (a varint) of the protobuf message in `meta`; 0 if absent."""
    position, version = 0, 0
    try:
        while position < len(meta):
            key, position = _varint(meta, position)
            wire = key & 7
            if wire == 0:
                value, position = _varint(meta, position)
                if key >> 3 == 1:
                    version = value
            elif wire == 2:
                length, position = _varint(meta, position)
                position += length
            else:
                raise ValueError(f"wire type {wire}")
    except (IndexError, ValueError):
        raise _fail(shown, "not an Anki export: its meta file cannot be read") from None
    return version


def _varint(data: bytes, position: int) -> tuple[int, int]:
    value, shift = 0, 0
    while True:
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, position
        shift += 7
        if shift > 63:
            raise ValueError("varint too long")


try:
    from zstandard import ZstdDecompressor, ZstdError as _ZstdError
except ImportError:  # pragma: no cover - zstandard is a dependency
    ZstdDecompressor = None  # type: ignore[assignment,misc]
    _ZstdError = OSError  # type: ignore[assignment,misc]


def _copy(packed: BinaryIO, out: BinaryIO, compressed: bool, limit: int) -> bool:
    """The collection decompressed into `out`; False, with no more than `limit` bytes written, if it is larger."""
    if not compressed:
        return inflate.copy_at_most(packed, out, limit)
    with ZstdDecompressor().stream_reader(packed) as reader:
        return inflate.copy_at_most(reader, out, limit)


def _too_large(shown: str, limit: int) -> DeckgenFailure:
    return _fail(shown, f"its collection is larger than {limit >> 20:,} MiB decompressed (a zip bomb, or a larger "
                        "collection than deckgen reads)",
                 "export only this deck from Anki (an .apkg), or raise the limit: DECKGEN_EXPORT_MAX_MB")


def _read_collection(database: Path, shown: str) -> Export:
    try:
        with closing(sqlite3.connect(f"{database.as_uri()}?mode=ro&immutable=1", uri=True)) as db:
            schema = _schema(db, shown)
            names = _field_names(db, schema)
            cards = _card_counts(db)
            notes = tuple(_note(row, names, cards) for row in db.execute(
                "select id, guid, mid, mod, tags, flds from notes order by id"))
            reviewed = db.execute("select exists(select 1 from revlog)").fetchone()[0]
    except (sqlite3.DatabaseError, ValueError, KeyError, TypeError, OverflowError, RecursionError) as exc:
        raise _fail(shown, f"not an Anki export: its collection cannot be read ({exc})") from None
    return Export(notes, bool(reviewed) or any(n.reviews for n in notes))


def _schema(db: sqlite3.Connection, shown: str) -> int:
    row = db.execute("select ver from col").fetchone()
    if row is None or not isinstance(row[0], int):
        raise _fail(shown, "not an Anki export: its collection has no version")
    if row[0] not in SCHEMAS:
        newer = row[0] > SCHEMAS[-1]
        raise _fail(shown, f"unsupported collection version {row[0]}: deckgen reads versions "
                           f"{SCHEMAS[0]} to {SCHEMAS[-1]} ({'a newer' if newer else 'an older'} Anki made it)",
                    "in Anki's export dialog, tick 'Support older Anki versions'" if newer
                    else "import it into a current Anki, then export it from there")
    return row[0]


def _field_names(db: sqlite3.Connection, schema: int) -> dict[int, tuple[str, ...]]:
    """Each note type's field names, in order: from the `fields` table (schema 15 on) or col.models."""
    if schema >= 15:
        names: dict[int, list[str]] = {}
        for type_id, name in db.execute("select ntid, name from fields order by ntid, ord"):
            names.setdefault(type_id, []).append(name)
        return {type_id: tuple(fields) for type_id, fields in names.items()}
    models = json.loads(db.execute("select models from col").fetchone()[0] or "{}")
    if not isinstance(models, dict):
        raise ValueError(f"its note types are a JSON {type(models).__name__}, not an object")
    return {int(type_id): tuple(f["name"] for f in sorted(model["flds"], key=lambda f: f["ord"]))
            for type_id, model in models.items()}


def _card_counts(db: sqlite3.Connection) -> dict[int, tuple[int, int]]:
    return {note_id: (int(reviews or 0), int(lapses or 0)) for note_id, reviews, lapses in db.execute(
        "select nid, sum(reps), sum(lapses) from cards group by nid")}


def _note(row: tuple[Any, ...], names: dict[int, tuple[str, ...]], cards: dict[int, tuple[int, int]]) -> ExportedNote:
    note_id, guid, type_id, modified, tags, fields = row
    if not isinstance(fields, str):  # Anki writes text; a blob's str() would read as the note's fields
        raise ValueError(f"the fields of note {note_id} are not text")
    values = str(fields).split("\x1f")
    field_names = names.get(type_id, ())
    reviews, lapses = cards.get(note_id, (0, 0))
    return ExportedNote(str(guid), tuple(zip(field_names, values)), tuple(str(tags).split()), int(modified),
                        reviews, lapses, int(type_id))


# --- matching and comparing -------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str  # the note field: Question, Answer, Text, Extra, Sources, CardId
    shipped: str  # as card text (from_html)
    now: str


@dataclass(frozen=True, slots=True)
class Edit:
    card: Card  # as the YAML has it now
    changes: tuple[FieldChange, ...]
    edited: Card  # the card with the learner's text
    problems: tuple[Diagnostic, ...]  # why the edited card would not pass deckgen check
    conflicts: tuple[str, ...]  # fields the author changed in the YAML since the last build

    @property
    def passes_gate(self) -> bool:
        return not self.problems

    def writable(self) -> tuple[Change, ...]:
        """What --apply writes: the learner's text of each card key that differs from the YAML."""
        if self.problems or self.conflicts:
            return ()
        return tuple(Change(self.card.id, self.card.location.path, CARD_KEY[c.field], c.now)
                     for c in self.changes if c.field in CARD_KEY and c.now != _key_text(self.card, c.field))


@dataclass(frozen=True, slots=True)
class Struggle:
    card: Card
    reviews: int
    lapses: int
    leech: bool


@dataclass(frozen=True, slots=True)
class PullReport:
    export: str  # as shown
    found: int  # notes of this deck (current or retired) in the export
    shipped: int  # live notes (cards of deck.lock) of the last build
    scheduled: bool
    edited: tuple[Edit, ...]
    struggling: tuple[Struggle, ...]
    missing: tuple[str, ...]
    retired_present: tuple[str, ...]
    outdated: tuple[str, ...]  # notes that predate the deck's last change to them


def pull(root: Path, export_path: Path) -> PullReport:
    """Read the export and compare it with the project; raise DeckgenFailure on bad input."""
    project, corpus, lock = _load(root)
    shown = display_path(export_path, root) if export_path.is_absolute() else str(export_path)
    export = read_export(export_path, shown)
    active, retired = match_notes(lock, export.notes)
    if not active and not retired:
        raise _fail(shown, f"none of the {len(export.notes)} notes in this export is a note of "
                           f"'{project.settings.title}' (no GUID or CardId of deck.lock)",
                    "export the collection or the deck that holds this deck's cards")
    cards = {card.id: card for card in project.cards}
    checker: _Checker | None = None  # made for the first edit: most pulls have none
    edited, outdated = [], []
    for card_id, note in sorted(active.items()):
        shipped = _shipped(lock, card_id, note)
        changes = _changes(lock, shipped, note) if shipped is not None else ()
        if not changes or card_id not in cards:
            continue
        assert shipped is not None
        if note.modified < shipped.modified:  # a copy of an earlier build: see the docstring
            outdated.append(card_id)
            continue
        checker = checker or _Checker(project, corpus)
        edited.append(_edit(cards[card_id], shipped, lock, changes, checker))
    return PullReport(
        export=shown, found=len(active) + len(retired), shipped=len(lock.cards), scheduled=export.scheduled,
        edited=tuple(sorted(edited, key=lambda e: (e.card.location.path, e.card.location.line))),
        struggling=_struggling(active, cards),
        missing=tuple(sorted(set(lock.cards) - set(active))), retired_present=tuple(sorted(retired)),
        outdated=tuple(outdated))


def _load(root: Path) -> tuple[Project, Corpus, Lock]:
    project, problems = load_project(root)
    if project is None:
        raise DeckgenFailure(problems)
    corpus, _ = load_corpus(root)  # a card whose source is broken fails the gate, and says why
    from .pipeline import read_project_lock  # the pipeline is loaded only where pull needs it

    lock = read_project_lock(root, project.settings)
    if not lock.cards:
        raise DeckgenFailure([Diagnostic(Location(LOCK_FILE), "deck.lock records no shipped cards",
                                         "build the deck (deckgen build) and study it before pulling")])
    return project, corpus, lock


def match_notes(lock: Lock, notes: Iterable[ExportedNote]) -> tuple[dict[str, ExportedNote], dict[str, ExportedNote]]:
    """The export's notes of this deck by card id: current cards, and retired ones."""
    by_guid = {card.guid: (card_id, False) for card_id, card in lock.cards.items()}
    by_guid.update({card.guid: (card_id, True) for card_id, card in lock.retired.items()})
    our_fields = {note_type.fields for note_type in lock.note_types.values()}
    # Every deckgen deck's note types have these field names, and two decks may have cards of one id: only a
    # note of this deck's own note types (any version's id) is matched by its CardId.
    our_types = {note_type.id for note_type in lock.note_types.values()} | {
        stable_id(lock.namespace, "notetype", key, str(version))
        for key, note_type in lock.note_types.items() for version in range(1, note_type.version + 1)}
    active: dict[str, ExportedNote] = {}
    retired: dict[str, ExportedNote] = {}
    unmatched: list[ExportedNote] = []
    for note in notes:
        if note.guid in by_guid:
            card_id, is_retired = by_guid[note.guid]
            (retired if is_retired else active)[card_id] = note
        elif note.type_id in our_types and tuple(name for name, _ in note.fields) in our_fields:
            unmatched.append(note)
    for note in unmatched:  # the CardId field, for a note that came to the collection under another GUID
        card_id = note.field("CardId") or ""
        if card_id in lock.cards and card_id not in active:
            active[card_id] = note
        elif card_id in lock.retired and card_id not in retired:
            retired[card_id] = note
    return active, retired


def _shipped(lock: Lock, card_id: str, note: ExportedNote) -> LockedCard | None:
    """What the last build shipped of a card, its fields read from deck.lock, when a field of the note is not
    what was shipped (by the field digests deck.lock keeps); else None."""
    card = lock.cards[card_id]
    names = lock.note_types[card.note_type].fields
    if all(now is None or field_digests((now,)) == card.digest_of(index)
           for index, now in enumerate(map(note.field, names))):
        return None
    shipped, problems = lock.with_fields(card_id, card)
    if shipped is None:
        raise DeckgenFailure(problems)
    return shipped


def _changes(lock: Lock, shipped: LockedCard, note: ExportedNote) -> tuple[FieldChange, ...]:
    names = lock.note_types[shipped.note_type].fields
    changes = []
    for name, before in zip(names, shipped.fields or ()):
        now = note.field(name)
        if now is not None and now != before:
            was, is_now = from_html(before), from_html(now)
            if was != is_now:  # a change the card text cannot express (a colour, a trailing <br>) is none
                changes.append(FieldChange(name, was, is_now))
    return tuple(changes)


def _key_text(card: Card, field: str) -> str:
    return getattr(card, CARD_KEY[field])


def _edit(card: Card, shipped: LockedCard, lock: Lock, changes: tuple[FieldChange, ...], checker: _Checker) -> Edit:
    from .markup import to_html

    shipped_html = dict(zip(lock.note_types[shipped.note_type].fields, shipped.fields or ()))
    conflicts = tuple(c.field for c in changes
                      if c.field in CARD_KEY and to_html(_key_text(card, c.field)) != shipped_html[c.field])
    edited = card._replace(**{CARD_KEY[c.field]: c.now for c in changes if c.field in CARD_KEY})
    return Edit(card, changes, edited, checker.problems(edited), conflicts)


class _Checker:
    """What `deckgen check` says of one card given new text: the gate, and the content rules that the
    new text breaks (problems the project had already are not the edit's)."""

    def __init__(self, project: Project, corpus: Corpus):
        self.project = project
        self.vocabulary = Vocabulary(project.synonyms, project.lexicon)
        self.gate = Gate(corpus, self.vocabulary)
        self.sources = SourceNames.of((doc.title, doc.publisher, doc.author) for doc in corpus.docs.values())
        self.ids = frozenset(card.id for card in project.cards)
        self.before = set(lint(project, self.vocabulary, passed_before=self.ids, sources=self.sources))

    def problems(self, card: Card) -> tuple[Diagnostic, ...]:
        problems = list(_text_problems(card))
        problems += self.gate.trace(card).diagnostics
        edited = _with_card(self.project, card)
        problems += [d for d in lint(edited, self.vocabulary, passed_before=self.ids - {card.id}, sources=self.sources)
                     if d not in self.before]
        return tuple(dict.fromkeys(problems))


def _text_problems(card: Card) -> Iterator[Diagnostic]:
    """What the card loader would refuse in the edited text."""
    for key in ("question", "answer", "cloze", "extra"):
        text = getattr(card, key)
        if len(text) > MAX_FIELD_CHARS:
            yield Diagnostic(card.locate(key), f"'{key}' would be {len(text):,} characters long, "
                                               f"over the {MAX_FIELD_CHARS:,} limit", "shorten it")
    if card.kind is CardKind.CLOZE and not CLOZE_PATTERN.search(card.cloze):
        yield Diagnostic(card.locate("cloze"), "the edited cloze text has no deletion", "mark one like {{c1::text}}")


def _with_card(project: Project, card: Card) -> Project:
    return project._replace(files=tuple(
        f._replace(cards=tuple(card if c.id == card.id else c for c in f.cards)) if any(c.id == card.id for c in f.cards)
        else f for f in project.files))


def _struggling(active: dict[str, ExportedNote], cards: dict[str, Card]) -> tuple[Struggle, ...]:
    found = [Struggle(cards[card_id], note.reviews, note.lapses, note.leech) for card_id, note in active.items()
             if card_id in cards and (note.leech or note.lapses >= STRUGGLING_LAPSES)]
    return tuple(sorted(found, key=lambda s: (not s.leech, -s.lapses, s.reviews, s.card.id)))


# --- --apply ----------------------------------------------------------------------------------
def apply_edits(root: Path, report: PullReport) -> Written:
    """Write the edits that pass into the card files (writeback.py); the project must pass
    `deckgen check` before, and does after, or nothing is written."""
    import time

    from . import pipeline

    changes = [change for edit in report.edited for change in edit.writable()]
    if not changes:
        return Written((), ())

    def check() -> None:  # what `deckgen check` runs
        pipeline.plan(root, pipeline.check(root), int(time.time()))

    try:
        check()
    except DeckgenFailure as failure:
        raise DeckgenFailure(failure.diagnostics + [Diagnostic(
            Location("cards/"), "--apply writes only into a project that passes deckgen check; nothing was written",
            "fix the problems above, then pull --apply again")]) from None
    return write_edits(root, changes, check)


def format_applied(report: PullReport, written: Written) -> str:
    lines = []
    done = {change.card_id for change in written.changes}
    for edit in report.edited:
        where = f"{edit.card.location.path}:{edit.card.location.line}"
        if not edit.problems and not edit.conflicts and not edit.writable():
            lines.append(f"nothing to write  {where}  {edit.card.id}: the card already says this, or only "
                         f"Sources or CardId changed (deckgen writes those itself)")
            continue
        if edit.card.id in done:
            keys = ", ".join(CARD_KEY[c.field] for c in edit.changes if c.field in CARD_KEY)
            lines.append(f"applied  {where}  {edit.card.id}: {keys}")
            continue
        lines.append(f"not applied  {where}  {edit.card.id}, it needs:")
        refused = dict.fromkeys(d for change, d in written.refused if change.card_id == edit.card.id)
        conflicts = [Diagnostic(edit.card.locate(CARD_KEY[f]), f"the author changed '{CARD_KEY[f]}' since the "
                                "last build", "merge the learner's text by hand") for f in edit.conflicts]
        lines += ["    " + line for line in _needs(edit)]
        lines += ["    " + line for d in [*conflicts, *refused] for line in d.render().split("\n")]
    return "\n".join(lines) or "nothing to apply"


def _needs(edit: Edit) -> list[str]:
    """The first PROBLEMS_SHOWN problems of an edit, as lines: first those that name a word the learner
    brought in, then those at a field the learner changed, otherwise in the gate's order."""
    keys = {CARD_KEY[c.field] for c in edit.changes if c.field in CARD_KEY}
    places = {edit.card.locate(key) for key in keys}
    new_words = {f'"{word}"' for c in edit.changes for word in set(_WORD.findall(c.now.lower()))
                 - set(_WORD.findall(c.shipped.lower()))}
    ordered = sorted(edit.problems, key=lambda d: (not any(word in d.message.lower() for word in new_words),
                                                   d.location not in places))
    lines = [line for problem in ordered[:PROBLEMS_SHOWN] for line in problem.render().split("\n")]
    if len(ordered) > PROBLEMS_SHOWN:
        lines.append(f"... and {len(ordered) - PROBLEMS_SHOWN} more (deckgen check shows them all once the text is in the YAML)")
    return lines


# --- output -----------------------------------------------------------------------------------
def report_json(report: PullReport) -> dict[str, object]:
    """The report as `deckgen pull --json` prints it (without ok and command)."""
    return {
        "edited": [{"id": e.card.id, "path": e.card.location.path, "line": e.card.location.line,
                    "fields": [{"field": c.field, "shipped": c.shipped, "now": c.now} for c in e.changes],
                    "passes_gate": e.passes_gate} for e in report.edited],
        "struggling": [{"id": s.card.id, "path": s.card.location.path, "line": s.card.location.line,
                        "reviews": s.reviews, "lapses": s.lapses, "leech": s.leech} for s in report.struggling],
        "missing": list(report.missing),
        "retired_present": list(report.retired_present),
    }


def format_report(report: PullReport) -> str:
    lines = [f"{report.export}: {plural(report.found, 'note')} of this deck ({plural(report.shipped, 'live note')} "
             f"in the last build); "
             f"{len(report.edited)} edited, {len(report.struggling)} struggling, {len(report.missing)} missing, "
             f"{len(report.retired_present)} retired still present"]
    if not report.scheduled:
        lines.append("  no reviews in this export (an .apkg needs 'Include scheduling information')")
    if len(report.outdated) == 1:
        lines.append(f"  1 note predates the deck's last change to it and was not compared (the next import "
                     f"updates it): {report.outdated[0]}")
    elif report.outdated:
        lines.append(f"  {len(report.outdated)} notes predate the deck's last change to them and were not "
                     f"compared (the next import updates them): {', '.join(report.outdated)}")
    if report.edited:
        lines.append("edited:")
    for edit in report.edited:
        verdict = "passes the gate" if edit.passes_gate else "does not pass the gate"
        lines.append(f"  {edit.card.location.path}:{edit.card.location.line}  {edit.card.id}  ({verdict})")
        for change in edit.changes:
            lines.append(f"    {change.field}: shipped {json.dumps(change.shipped, ensure_ascii=False)}")
            lines.append(f"    {' ' * len(change.field)}  now     {json.dumps(change.now, ensure_ascii=False)}")
        lines += [f"    changed in the YAML since the last build: {field}" for field in edit.conflicts]
        lines += [f"    {line}" for line in _needs(edit)]
    if report.struggling:
        lines.append(f"struggling (lapses >= {STRUGGLING_LAPSES} or tagged {LEECH_TAG}), worst first:")
    for struggle in report.struggling:
        leech = "  leech" if struggle.leech else ""
        lines.append(f"  {struggle.card.location.path}:{struggle.card.location.line}  {struggle.card.id}  "
                     f"{struggle.reviews} reviews, {struggle.lapses} lapses{leech}")
    if report.missing:
        lines.append("missing (deleted by the learner, or not in this export):")
        lines += _wrapped(report.missing)
    if report.retired_present:
        shown = report.retired_present[:RETIRED_SHOWN]
        more = len(report.retired_present) - len(shown)
        lines.append(f"retired but still in the collection: {len(report.retired_present)} "
                     f"(search tag:deckgen::retired in Anki to delete them)")
        lines += _wrapped(shown + ((f"... and {more} more (--json lists them all)",) if more else ()))
    return "\n".join(lines)


def _wrapped(ids: tuple[str, ...]) -> list[str]:
    return textwrap.wrap(", ".join(ids), width=100, initial_indent="  ", subsequent_indent="  ",
                         break_long_words=False, break_on_hyphens=False)
