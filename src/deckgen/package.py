"""Stage 7 — write the .apkg with genanki: deterministic bytes, written atomically.

genanki stamps every note, card and note type with one build timestamp; deckgen instead gives
each note its own last-change time and each note type its own, from the lock. The zip entries get
a fixed date and order, so the same inputs always produce the same file, and the file is written
to a temporary name and renamed into place, so a failed build never leaves a half-written deck.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import shutil
import sqlite3
import tempfile
import warnings
import zipfile
from pathlib import Path
from typing import BinaryIO, Callable, NamedTuple

from . import inflate
from .fastpath import Inputs
from .genanki_import import genanki
from .lock import Lock, LockedCard, Plan, stable_id
from .model import DeckSettings, Project
from .newfile import open_new, open_regular
from .render import NoteType
from .trust import neutralise_av

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# Deflate's fastest level: a third of the default level's time, for a package about 10% larger.
_ZIP_LEVEL = 1


class PackageSummary(NamedTuple):
    path: Path
    notes: int
    size: int
    compressed: bool = True  # False: an incremental build's, its database stored as it is (README: Performance)


class Built(NamedTuple):
    project: Project | None  # the cards, when the whole project was read (not by a delta rebuild)
    plan: Plan
    package: PackageSummary
    lock_written: bool
    seconds: float
    notes: int  # the deck's live notes
    anki_cards: int  # the cards Anki makes of them (one per cloze deletion number)
    subdecks: dict[str, int]  # notes per deck
    removed_deck: str  # the deck the retired notes ship in (DeckSettings.removed_deck)
    # The inputs as the build ended (fastpath.Inputs), when they were the ones it read (delta_state.held):
    # what the no-change stamp may vouch for. None: they changed while it ran, and nothing vouches for it.
    held: Inputs | None = None


class _TimedModel(genanki.Model):
    """A note type whose `mod` is its own last-change time."""

    def __init__(self, *args, modified: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.modified = modified

    def to_json(self, timestamp: float, deck_id: int):
        data = super().to_json(timestamp, deck_id)
        data["mod"] = self.modified
        return data


class _TimedNote(genanki.Note):
    """A note (and its cards) whose `mod` is the note's own last-change time."""

    def __init__(self, *args, modified: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.modified = modified

    def write_to_db(self, cursor, timestamp: float, deck_id, id_gen):
        super().write_to_db(cursor, self.modified, deck_id, id_gen)


class Slot(NamedTuple):  # one per note: without __dict__, a third of the size
    """One note of the package, in the order genanki writes it: its lock entry and its place (`due`)."""

    card_id: str
    entry: LockedCard
    position: int


def deck_order(settings: DeckSettings, lock: Lock, order: list[str]) -> dict[str, list[Slot]]:
    """The notes by deck, as the package writes them: the parent deck first, then each subdeck in the
    order its first note comes, with the notes in the order given; then the retired ones (by id), in a
    deck of their own beside the parent (DeckSettings.removed_deck). Note and card ids are given in this order
    (incremental.py relies on it, as write_deck does).

    A retired note ships so that a learner who has it gets its removal notice; Anki never moves an
    existing card to another deck on import, so that learner's copy stays where it was. A learner new to
    the deck gets it in the removed deck, outside the deck they study, rather than among their new cards."""
    decks: dict[str, list[Slot]] = {settings.title: []}
    for position, card_id in enumerate(order):
        entry = lock.cards[card_id]
        decks.setdefault(entry.deck, []).append(Slot(card_id, entry, position))
    retired = [Slot(card_id, entry, position) for position, (card_id, entry)
               in enumerate(sorted(lock.retired.items()), start=len(order))]
    if retired:
        decks[settings.removed_deck] = retired
    return decks


def models_for(note_types: dict[str, NoteType], lock: Lock) -> dict[str, genanki.Model]:
    """The note types as genanki models, each with its own last-change time."""
    return {
        key: _TimedModel(
            lock.note_types[key].id, note_type.name,
            fields=[{"name": name} for name in note_type.fields],
            templates=[{"name": t.name, "qfmt": t.front, "afmt": t.back} for t in note_type.templates],
            css=note_type.css,
            model_type=genanki.Model.CLOZE if key == "cloze" else genanki.Model.FRONT_BACK,
            sort_field_index=note_type.sort_field,
            modified=lock.note_types[key].modified,
        )
        for key, note_type in sorted(note_types.items())
    }


def empty_deck(settings: DeckSettings, lock: Lock, name: str, *, removed_description: str) -> genanki.Deck:
    """A deck of the package without its notes. The parent deck has deck.yaml's description, the removed deck
    `removed_description` (render.Renderer.removed_deck_description: decks/removed_description.txt); both are
    text, escaped here."""
    descriptions = {settings.title: settings.description, settings.removed_deck: removed_description}
    return genanki.Deck(stable_id(lock.namespace, "deck", name), name, description=_plain(descriptions.get(name, "")))


def note_for(slot: Slot, models: dict[str, genanki.Model]) -> genanki.Note:
    entry = slot.entry
    return _TimedNote(model=models[entry.note_type], fields=list(entry.fields), tags=list(entry.tags),
                      guid=entry.guid, due=slot.position, modified=entry.modified)


def _plain(text: str) -> str:
    """A deck's description as text (deck.yaml's, or the removed deck's template's): Anki shows it as HTML, and
    neither is where markup is checked."""
    return neutralise_av(html.escape(text, quote=False))


def write_apkg(target: Path, settings: DeckSettings, note_types: dict[str, NoteType], lock: Lock,
               order: list[str], id_base: int, *, removed_description: str) -> PackageSummary:
    """Write the package of these notes (in this order, then the retired ones) to `target`, atomically
    and reproducibly."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".deckgen-", dir=target.parent) as scratch:
        db_path = Path(scratch) / "collection.anki2"
        write_deck(db_path, settings, note_types, lock, deck_order(settings, lock, order), id_base,
                   removed_description=removed_description)
        return publish(db_path, target, len(order) + len(lock.retired))


def open_database(db_path: Path) -> sqlite3.Connection:
    """A new scratch database, zipped and then discarded: no syncing, no journal file (the bytes are the same)."""
    connection = sqlite3.connect(db_path)
    connection.execute("PRAGMA synchronous = OFF")
    connection.execute("PRAGMA journal_mode = MEMORY")
    connection.execute("PRAGMA cache_size = -512")  # KiB: pages go to the file as they fill
    return connection


def write_deck(db_path: Path, settings: DeckSettings, note_types: dict[str, NoteType], lock: Lock,
               decks: dict[str, list[Slot]], id_base: int, counted: Callable[[int], object] | None = None, *,
               removed_description: str) -> None:
    """The package's database, every note written through genanki: one subdeck per card file, notes in
    deck_order's order, then the retired ones.

    The same statements, with the same values, in the same order as genanki's Package.write_to_db of the
    same decks (for each deck: its `col` entries, the deck and the note types its notes use, then its
    notes), so the same bytes (tests/test_incremental.py compares them); but each genanki note is made
    just before it is written and let go after, rather than the whole deck's being held at once. `decks`: deck_order's. `counted` is given each note's number
    of cards, in the order the notes are written (a note's id is the one after its predecessor's cards').
    `removed_description`: the removed deck's (see empty_deck).
    """
    models = models_for(note_types, lock)
    next_id = id_base * 1000
    connection = open_database(db_path)
    try:
        cursor = connection.cursor()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # genanki warns about HTML it does not know; fields are ours
            cursor.executescript(genanki.package.APKG_SCHEMA)
            cursor.executescript(genanki.package.APKG_COL)
            for name, slots in decks.items():
                deck = empty_deck(settings, lock, name, removed_description=removed_description)
                for slot in slots:  # as genanki's Deck.write_to_db adds its notes' note types
                    deck.add_model(models[slot.entry.note_type])
                deck.write_to_db(cursor, id_base, None)  # no notes: the deck and its note types only
                for slot in slots:
                    note = note_for(slot, models)
                    note.write_to_db(cursor, id_base, deck.deck_id, itertools.count(next_id))
                    cards = len(note.cards)
                    if counted is not None:
                        counted(cards)
                    next_id += 1 + cards
        connection.commit()
    finally:
        connection.close()


def publish(db_path: Path, target: Path, notes: int, *, stored: bool = False) -> PackageSummary:
    """Zip the database into `target`, atomically: written beside it, then renamed into place.
    `stored`: the database is not compressed (an incremental build's package, see incremental.py)."""
    partial = db_path.with_name(target.name + ".partial")
    with open_new(partial) as handle:
        write_package(handle, db_path, stored=stored)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, target)
    return PackageSummary(target, notes, target.stat().st_size, compressed=not stored)


def write_package(handle: BinaryIO, db_path: Path, *, stored: bool) -> None:
    """The package's bytes, written to `handle` (seekable) from where it stands: publish's, and what inplace.patch
    checks a package against."""
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        _add_file(archive, "collection.anki2", db_path, stored=stored)
        _add(archive, "media", json.dumps({}).encode())


def is_compressed(path: Path) -> bool:
    """Whether a package deckgen wrote holds its database deflated (a fresh build's), or stored as it is (an
    incremental build's). One that cannot be read says nothing of it: True, and no note is printed."""
    try:
        with open_regular(path) as handle, zipfile.ZipFile(handle) as archive:  # a FIFO: refused, not waited on
            return archive.getinfo("collection.anki2").compress_type != zipfile.ZIP_STORED
    except (OSError, zipfile.BadZipFile, KeyError):
        return True


def shipped_notes(path: Path) -> dict[str, int] | None:
    """GUID -> modification time of every note in a built package; None when there is no package.

    A package that cannot be read (not a zip, no collection, not SQLite, a collection larger than
    inflate.limit() decompressed: a zip bomb put in build/) holds no notes: {}.
    `deckgen status` compares this with deck.lock, which a build killed between writing the deck and
    writing the lock leaves behind (see pipeline.deck_matches_lock).
    """
    if not path.is_file():
        return None
    with tempfile.TemporaryDirectory(prefix="deckgen-status-") as scratch:
        db_path = Path(scratch) / "collection.anki2"
        try:
            with open_regular(path) as handle, zipfile.ZipFile(handle) as archive, \
                    archive.open("collection.anki2") as source, open(db_path, "wb") as copy:
                if not inflate.copy_at_most(source, copy, inflate.limit()):  # a zip bomb put in build/
                    return {}
            connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
            try:
                return {str(guid): int(mod) for guid, mod in connection.execute("select guid, mod from notes")}
            finally:
                connection.close()
        except (OSError, KeyError, ValueError, zipfile.BadZipFile, sqlite3.Error):
            return {}


def _entry(name: str, size: int, *, stored: bool = False) -> zipfile.ZipInfo:
    """A zip entry with fixed metadata, so that the same content always gives the same bytes."""
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    info._compresslevel = _ZIP_LEVEL  # read when the entry is written (public as compress_level from Python 3.13)
    info.external_attr = 0o644 << 16
    info.file_size = size  # known up front, as writestr sets it: decides the header's zip64 form
    return info


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    archive.writestr(_entry(name, len(data)), data)


def _add_file(archive: zipfile.ZipFile, name: str, path: Path, *, stored: bool = False) -> None:
    """Copy a file into the archive in chunks rather than reading it into memory whole; the entry's
    bytes are the same as writestr's (same header, and deflate's output does not depend on chunking)."""
    with open(path, "rb") as source, archive.open(_entry(name, path.stat().st_size, stored=stored), "w") as target:
        shutil.copyfileobj(source, target)  # 64 KiB at a time
