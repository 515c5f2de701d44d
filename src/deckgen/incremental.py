"""An incremental package: a rebuild writes the notes that changed, and copies every other row.

Writing every note through genanki costs what the deck costs. After a build, `record` keeps in
build/.deckgen-package the collection database it wrote, with, for each note, a digest of everything
its rows hold besides their ids and `due` (GUID, note type id, modification time, deck id, tags,
fields), its note id and its number of cards. The next build (`write_database`) writes a new database
with the same schema and `col` row as genanki writes, every note in genanki's order and with genanki's
ids, but it copies the rows of a note whose digest is unchanged from the previous database in SQL,
with its new ids and place, and writes only the others through genanki. So the database holds exactly
the rows a build from scratch writes (tests/test_incremental.py compares them); its pages are laid out
differently, and the package stores it uncompressed: an incremental .apkg's bytes differ from a fresh
build's, which `deckgen build --fresh` (release builds, CI) always makes.

build/ is not trusted (see userkey.py): the file ends with a MAC, with this user's key, of everything
before it, and its rows are used only in the *context* that wrote them (deckgen itself, the namespace
and the note types as written). The database is copied into the build's scratch folder as its MAC is
checked, and only that private copy is read. A missing, foreign or damaged file only means a build
from scratch. A row is copied only when its digest is the digest of what this build's lock says the
note is, so what ships is what this build checked and rendered.
"""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
import warnings
from array import array
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from . import fastpath, userkey
from .genanki_import import genanki
from .lock import Lock, LockedCard, stable_id
from .model import DeckSettings
from .newfile import open_new, open_regular, unlink_quietly
from .package import Slot, deck_order, empty_deck, models_for, note_for, open_database, write_deck
from .render import NoteType

SIDECAR = Path("build") / ".deckgen-package"
FORMAT = 1
_CHUNK = 1 << 16  # 64 KiB: a chunk and the next are both alive for a moment; at 1 MiB, that was 2 MiB of the peak


@dataclass(frozen=True, slots=True)
class Row:
    """What the last package's database holds of one note."""

    digest: str
    note_id: int
    cards: int  # its cards' ids are note_id + 1 … note_id + cards (genanki's order)
    due: int  # its cards' `due`: the note's place in the deck


@dataclass(frozen=True)
class Previous:
    """The last package's database, its MAC checked, as a private copy in the build's scratch folder."""

    database: Path
    rows: dict[str, Row]  # GUID -> its rows
    layout: str  # the decks and the note types each uses (see _layout): what the `col` row depends on
    stored: bool  # whether the package made of it held it uncompressed


class _Unusable(Exception):
    """The recorded database cannot be reused: build every note instead."""


def context(root: Path, note_types: dict[str, NoteType], lock: Lock) -> str | None:
    """What every recorded row depends on besides its own digest: deckgen itself, the namespace, the
    note types as the package writes them. None: nothing can be reused or recorded."""
    environment = fastpath.digest_of(root, ())
    if environment is None:
        return None
    types = sorted((key, lock.note_types[key], t) for key, t in note_types.items())
    return fastpath.text_digest(repr((FORMAT, environment, lock.namespace, types)))


def note_digest(entry: LockedCard, type_id: int, deck_id: int) -> str:
    """What a note's rows hold besides their GUID, ids and `due`: its content (its lock hash, which this
    build computed from what it rendered, or, for a retired card, checked against the stored fields when
    it read deck.lock), its modification time, note type and deck (its cards follow from its fields and
    note type). The content is not hashed again: hashing every note's fields would cost more than all
    the rest of an incremental package."""
    return f"{entry.hash}.{entry.modified}.{type_id}.{deck_id}"


def open_previous(root: Path, context_digest: str | None, scratch: Path) -> Previous | None:
    """The database the last build recorded, if this user's deckgen recorded it in this context."""
    key = userkey.build_key(root)
    if key is None or context_digest is None:
        return None
    copy = scratch / "previous.anki2"
    try:
        with open_regular(root / SIDECAR) as recorded:  # a FIFO put there is refused, not waited on
            rows, header = _read(recorded, key, context_digest, copy)
    except (OSError, ValueError, KeyError, TypeError, _Unusable):
        copy.unlink(missing_ok=True)
        return None
    return Previous(copy, rows, str(header["layout"]), header["stored"] is True)


def _read(recorded: BinaryIO, key: bytes, context_digest: str, copy: Path) -> tuple[dict[str, Row], dict]:
    mac = userkey.mac(key)

    def line() -> bytes:
        raw = recorded.readline()
        mac.update(raw)
        return raw

    header = json.loads(line())
    if header != {"format": FORMAT, "context": context_digest, "notes": header.get("notes"),
                  "bytes": header.get("bytes"), "layout": header.get("layout"), "stored": header.get("stored")}:
        raise _Unusable()
    rows = {}
    for _ in range(int(header["notes"])):
        guid, digest, note_id, cards, due = line().decode("ascii").split()
        rows[guid] = Row(digest, int(note_id), int(cards), int(due))
    remaining = int(header["bytes"])
    with open(copy, "wb") as target:
        while remaining > 0:
            chunk = recorded.read(min(_CHUNK, remaining))
            if not chunk:
                raise _Unusable()
            mac.update(chunk)
            target.write(chunk)
            remaining -= len(chunk)
    signed = recorded.read()
    if not fastpath.compare_digest(signed, f"mac {mac.hexdigest()}\n".encode()):
        raise _Unusable()
    return rows, header


@dataclass(frozen=True)
class Written:
    """What `record` keeps of a database this build wrote (incrementally, or from scratch by write_fresh)."""

    rows: _FreshRows  # GUID -> its rows, in this database
    layout: str
    stored: bool  # whether the package holds it uncompressed


def write_database(previous: Previous, db_path: Path, settings: DeckSettings, note_types: dict[str, NoteType],
                   lock: Lock, order: list[str], id_base: int, *, removed_description: str) -> Written | None:
    """The package's database, as genanki writes it from scratch, with the rows of every note whose
    digest is unchanged copied from `previous`; when every row is as it was, `previous` itself, to be
    zipped as it was (so that the package is the same, byte for byte). None when the previous database
    cannot be used (then nothing is left at `db_path`). `removed_description`: the removed deck's
    (package.empty_deck)."""
    models = models_for(note_types, lock)
    decks = deck_order(settings, lock, order)
    layout = _layout(settings, lock, decks, removed_description)
    cards, kept, written, same = _placed(previous, decks, lock, models, id_base)
    rows = _FreshRows(settings, lock, order, id_base, cards)
    if layout == previous.layout and same:
        os.replace(previous.database, db_path)
        return Written(rows, layout, previous.stored)
    try:
        _write(previous, db_path, settings, lock, decks, models, id_base, kept, written, sum(cards),
               copy_col=layout == previous.layout, removed_description=removed_description)
    except (sqlite3.Error, _Unusable):
        db_path.unlink(missing_ok=True)
        return None
    return Written(rows, layout, stored=True)


def write_fresh(db_path: Path, settings: DeckSettings, note_types: dict[str, NoteType], lock: Lock,
                order: list[str], id_base: int, *, removed_description: str) -> Written:
    """The package's database from scratch, every note through genanki (package.write_deck), with what
    `record` keeps of it: each note's number of cards, counted as it is written (the rest of its rows
    follows from the lock), rather than read back from the database."""
    decks = deck_order(settings, lock, order)
    cards = array("L")
    write_deck(db_path, settings, note_types, lock, decks, id_base, cards.append,
               removed_description=removed_description)
    return Written(_FreshRows(settings, lock, order, id_base, cards),
                   _layout(settings, lock, decks, removed_description), stored=False)


class _FreshRows(Mapping[str, Row]):
    """The rows of a database written from scratch (write_fresh) or by write_database, in the order it
    wrote them: made from the lock when they are read (`record` reads them once) rather than held, an
    object and a digest per note, to the end of the build (at 10,000 cards, 2.3 MiB of a one-card
    rebuild's peak). `cards`: each note's number of cards, in that order."""

    def __init__(self, settings: DeckSettings, lock: Lock, order: list[str], id_base: int, cards: array):
        self._settings, self._lock, self._order, self._id_base, self._cards = settings, lock, order, id_base, cards

    def items(self) -> Iterator[tuple[str, Row]]:  # type: ignore[override]  # read once, in order: no view
        lock, counts, next_id = self._lock, iter(self._cards), self._id_base * 1000
        for name, slots in deck_order(self._settings, lock, self._order).items():
            deck_id = stable_id(lock.namespace, "deck", name)
            for slot in slots:
                entry, cards = slot.entry, next(counts)
                yield entry.guid, Row(note_digest(entry, lock.note_types[entry.note_type].id, deck_id), next_id,
                                      cards, slot.position)
                next_id += 1 + cards

    def __iter__(self) -> Iterator[str]:
        return (guid for guid, _ in self.items())

    def placed(self) -> Iterator[tuple[str, int, int]]:
        """Each note's card id, note id and number of cards, in the database's order (no digests)."""
        counts, next_id = iter(self._cards), self._id_base * 1000
        for slots in deck_order(self._settings, self._lock, self._order).values():
            for slot in slots:
                cards = next(counts)
                yield slot.card_id, next_id, cards
                next_id += 1 + cards

    def __len__(self) -> int:
        return len(self._cards)

    def __getitem__(self, guid: str) -> Row:
        for key, row in self.items():
            if key == guid:
                return row
        raise KeyError(guid)


def _placed(previous: Previous, decks: dict[str, list[Slot]], lock: Lock, models: dict[str, genanki.Model],
            id_base: int) -> tuple[array, list[tuple[int, int, int]], list[tuple[genanki.Note, int, int]], bool]:
    """Every note's rows in the new database, in genanki's order and with genanki's ids: each note's number
    of cards (the rest of its rows follows from the lock, see _FreshRows), the notes whose rows are
    copied from `previous` (their id there, their id now, their `due`), the notes to write (the genanki
    note, its deck id, its id), and whether every note's rows are exactly those of `previous`, which
    holds no others."""
    cards_of = array("L")
    same = True
    kept: list[tuple[int, int, int]] = []
    written: list[tuple[genanki.Note, int, int]] = []
    next_id = id_base * 1000
    for name, slots in decks.items():
        deck_id = stable_id(lock.namespace, "deck", name)
        for slot in slots:
            entry = slot.entry
            digest = note_digest(entry, lock.note_types[entry.note_type].id, deck_id)
            row = previous.rows.get(entry.guid)
            if row is not None and row.digest == digest:
                kept.append((row.note_id, next_id, slot.position))
                cards = row.cards
            else:
                note = note_for(slot, models)
                written.append((note, deck_id, next_id))
                cards = len(note.cards)
            cards_of.append(cards)
            same = same and row == Row(digest, next_id, cards, slot.position)
            next_id += 1 + cards
    return cards_of, kept, written, same and len(cards_of) == len(previous.rows)  # GUIDs are unique in a lock


def _write(previous: Previous, db_path: Path, settings: DeckSettings, lock: Lock, decks: dict[str, list[Slot]],
           models: dict[str, genanki.Model], id_base: int, kept: list[tuple[int, int, int]],
           written: list[tuple[genanki.Note, int, int]], cards: int, *, copy_col: bool,
           removed_description: str) -> None:
    connection = open_database(db_path)
    try:
        cursor = connection.cursor()
        cursor.executescript(genanki.package.APKG_SCHEMA)
        cursor.execute("attach database ? as previous", (str(previous.database),))
        cursor.execute("PRAGMA previous.cache_size = -512")  # KiB, as the new database's (open_database)
        cursor.execute("PRAGMA temp.cache_size = -512")
        if copy_col:  # the same decks, using the same note types: the same `col` row
            cursor.execute("insert into col select * from previous.col")
        else:
            _write_col(cursor, settings, lock, decks, models, id_base, removed_description)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # genanki warns about HTML it does not know; fields are ours
            for note, deck_id, note_id in written:
                note.write_to_db(cursor, id_base, deck_id, itertools.count(note_id))
        _copy_rows(cursor, kept)
        if cursor.execute("select count() from cards").fetchone()[0] != cards:
            raise _Unusable()
        connection.commit()
    finally:
        connection.close()


def _layout(settings: DeckSettings, lock: Lock, decks: dict[str, list[Slot]], removed_description: str) -> str:
    """Everything the `col` row depends on besides the note types (in the context): the parent deck's
    description and the removed deck's (a template's: the context does not cover templates/), and each
    deck, in order, with the note types its notes use, in the order they first come (as genanki adds them)."""
    used = [(name, tuple(dict.fromkeys(slot.entry.note_type for slot in slots))) for name, slots in decks.items()]
    return fastpath.text_digest(repr((lock.namespace, settings.title, settings.description, removed_description,
                                      used)))


def _write_col(cursor: sqlite3.Cursor, settings: DeckSettings, lock: Lock, decks: dict[str, list[Slot]],
               models: dict[str, genanki.Model], id_base: int, removed_description: str) -> None:
    """The `col` row as genanki writes it: each deck, and the note types its notes use, added in turn."""
    cursor.executescript(genanki.package.APKG_COL)
    for name, slots in decks.items():
        deck = empty_deck(settings, lock, name, removed_description=removed_description)
        for slot in slots:
            deck.add_model(models[slot.entry.note_type])
        deck.write_to_db(cursor, id_base, None)  # no notes: the deck and its note types only


def _copy_rows(cursor: sqlite3.Cursor, kept: list[tuple[int, int, int]]) -> None:
    """The rows of the kept notes and their cards, with their new ids and `due`: a card keeps its
    distance from its note's id (genanki gives a note's cards the ids after the note's)."""
    cursor.execute("create temp table kept (old integer primary key, new integer not null, due integer not null)")
    cursor.executemany("insert into kept values (?, ?, ?)", kept)
    cursor.execute("insert into notes select k.new, n.guid, n.mid, n.mod, n.usn, n.tags, n.flds, n.sfld, n.csum, "
                   "n.flags, n.data from previous.notes n join kept k on k.old = n.id")
    cursor.execute("insert into cards select k.new + (c.id - c.nid), k.new, c.did, c.ord, c.mod, c.usn, c.type, "
                   "c.queue, k.due, c.ivl, c.factor, c.reps, c.lapses, c.left, c.odue, c.odid, c.flags, c.data "
                   "from previous.cards c join kept k on k.old = c.nid")
    cursor.connection.commit()
    cursor.execute("drop table kept")
    cursor.execute("detach database previous")


def record(root: Path, db_path: Path, context_digest: str | None, settings: DeckSettings, lock: Lock,
           order: list[str], written: Written | None = None, *, removed_description: str) -> None:
    """Keep this build's database for the next build, with its notes' digests, ids and numbers of cards
    (`written`, gathered as it was written; without it, read from the database), signed with this user's
    key. Only a missed shortcut if it cannot be written. `removed_description`: the removed deck's, as
    the database was written with it."""
    key = userkey.build_key(root)
    path = root / SIDECAR
    if key is None or context_digest is None:
        _forget(path)
        return
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    try:
        if written is None:
            decks = deck_order(settings, lock, order)
            written = Written(_rows(db_path, decks, lock), _layout(settings, lock, decks, removed_description),
                              stored=False)
        size = db_path.stat().st_size
        with open_new(partial) as target, open(db_path, "rb") as database:
            mac = userkey.mac(key)

            def write(data: bytes) -> None:
                mac.update(data)
                target.write(data)

            write(json.dumps({"format": FORMAT, "context": context_digest, "notes": len(written.rows),
                              "bytes": size, "layout": written.layout, "stored": written.stored}).encode() + b"\n")
            lines = (f"{guid} {row.digest} {row.note_id} {row.cards} {row.due}\n" for guid, row in written.rows.items())
            while batch := "".join(itertools.islice(lines, 512)):  # a few dozen KiB at a time, not the whole table
                write(batch.encode())
            copied = 0
            while chunk := database.read(_CHUNK):
                write(chunk)
                copied += len(chunk)
            if copied != size:
                raise OSError("the database changed while it was recorded")
            target.write(f"mac {mac.hexdigest()}\n".encode())
        os.replace(partial, path)
    except (OSError, sqlite3.Error, KeyError):
        unlink_quietly(partial)
        _forget(path)


def _rows(db_path: Path, decks: dict[str, list[Slot]], lock: Lock) -> dict[str, Row]:
    """Each note of a database written from scratch: its digest, its id, its number of cards, its `due`."""
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        counts = dict(connection.execute("select nid, count() from cards group by nid"))
        ids = dict(connection.execute("select guid, id from notes"))
    finally:
        connection.close()
    rows = {}
    for name, slots in decks.items():
        deck_id = stable_id(lock.namespace, "deck", name)
        for slot in slots:
            entry = slot.entry
            note_id = ids[entry.guid]
            rows[entry.guid] = Row(note_digest(entry, lock.note_types[entry.note_type].id, deck_id), note_id,
                                   counts.get(note_id, 0), slot.position)
    return rows


def _forget(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass

