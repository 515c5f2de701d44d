"""A rebuild after cards were edited in place: it costs what the edit costs, not what the deck costs.

`deckgen build` and `deckgen watch` try this first (`build`). It starts from what the last build recorded
(delta_state.py) and applies only when nothing but the text of card files changed, each still holding the
same cards in the same order, and every output is as that build left it. Then it reads just the changed
files, and of their cards checks, traces and renders just those whose content changed, with the same
loader, gate, lint rules, escaper and renderer as a full build; the rules about the whole deck (duplicate
questions, the median answer, the tag root) are checked against the recorded totals. It splices the changed
cards' entries into deck.lock, replaces their rows in the database the last build shipped, and packages it:
the package the last rebuild wrote is patched in place where the database's pages changed (inplace.py), any
other is written anew.

Anything else — a card added, removed, renamed or moved, a `renamed_from` or `new: true` written or withdrawn
(one that stays is inert: every id is kept, so what the plan checks of it holds still), a changed note type,
deck or number of Anki cards, a source, template, settings or vocabulary file changed, any problem at all, a
state or output that is not exactly what deckgen recorded — hands over to the full pipeline, whose report is
the complete one. So a rebuild ships exactly the rows and writes exactly the lock that a full build of the
same inputs would (tests/test_delta.py compares them); its package's bytes differ (the database's pages are
laid out differently, and it is stored uncompressed, as an incremental package is: see incremental.py).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import sqlite3
import tempfile
import time
import warnings
from bisect import bisect_left
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from . import delta_state, fastpath, inplace, trust, userkey
from .background import InThread
from .cards import load_project
from .identity import guid_namespace
from .lint import MAX_MEDIAN_ANSWER_WORDS, SourceNames, lint
from .lock import LOCK_FILE, CardChange, Lock, LockedCard, LockReuse, Plan, change_problems, locked_card
from .locktext import LockText, Splice
from .memo import card_digest, note_types_from_json
from .model import Card, Project
from .package import Built, PackageSummary, Slot, is_compressed, models_for, note_for, publish
from .render import Note, NoteType, Renderer, anki_cards, kind_key
from .textnorm import Vocabulary
from .trace import SourceProblem, traces_by_document
from .newfile import open_new, open_regular
from .workspace import REPLACED_LOCK, exclusive, remove_leftovers, unlink_quietly


def build(root: Path, *, now: int | None = None, drop_retired: bool = False, fresh: bool = False,
          reuse: LockReuse | None = None, inputs: fastpath.Inputs | None = None) -> Built:
    """A delta rebuild when it applies, else the full pipeline (pipeline.build), imported only then. `inputs`:
    the inputs as they were before anything was read (fastpath.probe's), when the caller took them."""
    if not fresh and not drop_retired:
        started = time.perf_counter()
        rebuilt = rebuild(root, int(time.time()) if now is None else now, inputs)
        if rebuilt is not None:
            return rebuilt._replace(seconds=time.perf_counter() - started)
    from . import pipeline

    return pipeline.build(root, now=now, drop_retired=drop_retired, fresh=fresh, reuse=reuse, inputs=inputs)


class _Edit(NamedTuple):
    """A card whose content changed: its new note, its lock entries old and new, its recorded facts."""

    note: Note
    old: LockedCard
    new: LockedCard
    facts: delta_state.CardFacts


class _Edited(NamedTuple):
    """The changed card files, read and checked: their cards' new facts, and the notes of those that changed."""

    project: Project  # the settings, the vocabulary and the changed files alone
    facts: dict[str, list[delta_state.CardFacts]]  # file -> its cards' facts, now
    notes: list[Note]
    note_types: dict[str, NoteType]
    totals: delta_state.Totals  # the deck-wide totals with the changed files' cards as they are now
    report: delta_state.Report  # as recorded: a rebuild changes none of it


def rebuild(root: Path, now: int, inputs: fastpath.Inputs | None = None) -> Built | None:
    """The rebuilt deck, or None when this edit is not one a rebuild takes (nothing is written then)."""
    with trust.reads_recorded() as read:  # the bytes each changed file was read as, for the state
        return _rebuild(root, now, read, inputs)


def _rebuild(root: Path, now: int, read: dict[str, str | None], inputs: fastpath.Inputs | None) -> Built | None:
    state = delta_state.read(root, userkey.build_key(root))
    if state is None:
        return None
    output = root / "build" / state.header["output"]
    with exclusive(root, output):
        freeing = remove_leftovers(root, output.parent)
        if inputs is None:
            inputs = fastpath.snapshot(root)
        changed = state.changed_inputs(inputs) if inputs is not None else None
        if not changed or not all(name in state.header["files"] for name in changed) \
                or not state.outputs_match(root):
            return None  # nothing changed (the stamp's business), or not only card files
        edited = _edited(root, state, changed)
        if edited is None:
            return None
        with _OldLock(root / LOCK_FILE, freeing) as old_lock:
            if not state.opened_as_recorded(LOCK_FILE, old_lock.file.fileno()):
                return None  # another deck.lock was put in its place since its stats were checked
            lock = LockText.find(old_lock.file.fileno())
            edits = lock and _edits(lock, edited, now)
            if edits is None:
                return None
            return _write(root, state, inputs, read, lock, old_lock, edited,
                          [e for e in edits if e.new.hash != e.old.hash], output)


def _edited(root: Path, state: delta_state.State, changed: list[str]) -> _Edited | None:
    """The changed card files read, checked, traced and rendered as a full build does, only for the cards
    whose content changed; None on any problem, or when a file's cards are not the same ones, in order."""
    project, problems = load_project(root, only=frozenset(changed))
    if project is None or problems or {card_file.path for card_file in project.files} != set(changed):
        return None  # a changed file not there as cards/ was listed (moved away for a moment): none was read
    recorded = {name: state.cards_of(name) for name in changed}
    if any(cards is None for cards in recorded.values()):
        return None  # a line the state cannot give back (not in build/.deckgen-delta.lines with its digest)
    if any([c.id for c in f.cards] != [c.card_id for c in recorded[f.path]] for f in project.files):
        return None  # a card added, removed, renamed or moved
    facts = {c.card_id: c for cards in recorded.values() for c in cards}
    if any((card.renamed_from, card.is_new) != (facts[card.id].renamed_from, facts[card.id].is_new)
           for card in project.cards):
        return None  # a rename or `new: true` declared or withdrawn is the plan's to check
    digests = {card.id: card_digest(card) for card in project.cards}
    changed_cards = [card for card in project.cards if digests[card.id] != facts[card.id].digest]
    vocabulary = Vocabulary(project.synonyms, project.lexicon)
    questions, card_ids = state.deck_line("questions"), state.deck_line("card_ids")
    if questions is None or card_ids is None:
        return None  # not in build/.deckgen-delta.lines with their digests
    totals = delta_state.Totals.of(state.header, questions)
    new_facts = _checked(project, changed_cards, vocabulary, state, totals, facts, digests)
    if new_facts is None:
        return None
    note_types = note_types_from_json(state.header["note_types"])  # the templates and settings are as recorded
    if note_types is None:
        return None
    notes = _notes(root, Renderer(root, project.settings, keep_compiled=True), note_types, changed_cards, vocabulary)
    report = delta_state.Report.of(state.header, card_ids)
    return None if notes is None else _Edited(project, new_facts, notes, note_types, totals, report)


def _edits(lock: LockText, edited: _Edited, now: int) -> list[_Edit] | None:
    """Each changed card's new lock entry, made as a full build makes it from its old one; None when its
    note type, deck or number of Anki cards changed (a full build plans, or refuses, that)."""
    facts = {card.card_id: card for cards in edited.facts.values() for card in cards}
    namespace = guid_namespace(edited.project.settings)
    edits = []
    for note in edited.notes:
        old = lock.entry(note.card.id)
        if old is None:
            return None
        new = locked_card(note, old, now, lock.note_types, namespace)
        if (new.note_type, new.deck) != (old.note_type, old.deck) \
                or anki_cards(note.card, edited.note_types[note.note_type]) != facts[note.card.id].anki_cards \
                or change_problems(note.card, old, new, lock.note_types):
            return None
        edits.append(_Edit(note, old, new, facts[note.card.id]))
    return edits


def _write(root: Path, state: delta_state.State, inputs: fastpath.Inputs, read: dict[str, str | None],
           lock: LockText, old_lock: _OldLock, edited: _Edited, changes: list[_Edit], output: Path) -> Built | None:
    """Stage the new lock, replace the changed rows, package (patched in place, or written anew), then replace
    deck.lock — as a full build orders them, so that the step that can fail fails first — and record what the
    next rebuild starts from. deck.lock is replaced in a thread while the inputs are taken again (`held`), and
    the old one's file closed in another while the state is recorded (_OldLock)."""
    lock_path = root / LOCK_FILE
    delta_state.forget(root)  # from here, the recorded outputs are being replaced
    staged = replacing = None
    notes = state.header["notes"] + len(state.header["retired"])
    frame = inplace.Frame.from_json(state.header.get("package_frame"))  # as the last patch found it
    try:
        if changes:
            staged = lock_path.with_name(f".{lock_path.name}.{os.getpid()}.partial")
            with open_new(staged, "wb", buffering=0) as target:
                lock.write_spliced([Splice(e.note.card.id, e.new) for e in changes], target.fileno())
            with _moved_aside(root / delta_state.DATABASE, state.header["outputs"][str(delta_state.DATABASE)],
                              output.parent) as database:
                pages = _replace_rows(database, edited.note_types, lock, changes)
                recorded = state.header["outputs"].get(str(output.relative_to(root)))
                patched = inplace.patch(database, output, recorded, pages, frame, sync=not fastpath.boot_id())
                if patched is not None:
                    frame = patched
                    summary = PackageSummary(output, notes, output.stat().st_size, compressed=False)
                else:  # and the frame publish wrote, for the next rebuild to patch it (a read of the database)
                    summary, frame = publish(database, output, notes, stored=True), inplace.frame_of(database)
            # last, once the database is back and its folder gone (removing it waited 24 ms for the file system's
            # journal while the new lock was written back); in a thread: as a rename replaces a file, ext4 starts
            # writing the new one back (23 ms for the 44 MB at 50,000 cards), and the inputs are taken meanwhile
            old_lock.keep(output.parent / REPLACED_LOCK)
            replacing = InThread(os.replace, staged, lock_path)
        else:
            summary = PackageSummary(output, notes, output.stat().st_size, compressed=is_compressed(output))
    except (OSError, sqlite3.Error):
        if staged is not None:
            unlink_quietly(staged)
        return None
    held = delta_state.held(root, inputs, read)
    try:
        if replacing is not None:
            replacing.result()
    except OSError:
        unlink_quietly(staged)
        return None
    old_lock.release()
    files: dict[str, bytes | delta_state.Line] = dict(delta_state.file_lines(state))
    for name, cards in edited.facts.items():
        files[name] = delta_state.file_line(cards)
    report = edited.report
    delta_state.record(root, inputs, held is not None, files, edited.totals, report, state.header["source_names"],
                       state.header["note_types"], output.relative_to(root), previous=state, package_frame=frame)
    plan = Plan(Lock(lock.namespace, lock.note_types, id_base=lock.id_base), added=(),
                changed=tuple(CardChange(e.note.card.id, e.old, e.new) for e in changes),
                unchanged=_without(report.card_ids, [edit.note.card.id for edit in changes]), renamed=(), retired=(),
                dropped=(), note_types_changed=(), retired_in_deck=report.retired)
    return Built(None, plan, summary, bool(changes), 0.0, report.notes, report.anki_cards, report.subdecks,
                 edited.project.settings.removed_deck, held)


def _without(ids: tuple[str, ...], removed: list[str]) -> tuple[str, ...]:
    """The sorted `ids` without those `removed` (each in them): found by bisection, not by a test of each id."""
    kept = list(ids)
    for card_id in removed:
        index = bisect_left(kept, card_id)
        if index < len(kept) and kept[index] == card_id:
            del kept[index]
    return tuple(kept)


def _checked(project: Project, edited: list[Card], vocabulary: Vocabulary, state: delta_state.State,
             totals: delta_state.Totals, facts: dict[str, delta_state.CardFacts],
             digests: dict[str, str]) -> dict[str, list[delta_state.CardFacts]] | None:
    """The lint rules and the trust checks as a full build applies them, the deck-wide ones against the
    recorded totals (updated in place); the changed files' new facts (note ids and Anki cards as recorded:
    a rebuild changes neither), or None on any problem."""
    unedited = [card.id for card in project.cards if card not in edited]
    names = SourceNames(tuple(tuple(name) for name in state.header["source_names"]))
    if lint(project, vocabulary, passed_before=unedited, sources=names) or trust.card_problems(edited):
        return None
    new: dict[str, list[delta_state.CardFacts]] = {}
    for card_file in project.files:
        new[card_file.path] = [delta_state.facts_of(card, digests[card.id], facts[card.id].note_id,
                                                    facts[card.id].anki_cards) for card in card_file.cards]
    for card_file in project.files:
        for card in card_file.cards:
            totals.remove(facts[card.id])
    for cards in new.values():
        if any(card.question and totals.asked(card.question) for card in cards):
            return None  # the same question as a card in another file: a full build reports it
    for cards in new.values():
        for card in cards:
            totals.add(card)
    if len(totals.root_names()) > 1 or totals.median_words() > MAX_MEDIAN_ANSWER_WORDS:
        return None
    return new


def _notes(root: Path, renderer: Renderer, note_types: dict, edited: list[Card],
           vocabulary: Vocabulary) -> list[Note] | None:
    """The edited cards traced and rendered, as compile_deck does; None on any problem."""
    if renderer.diagnostics:
        return None
    notes = []
    try:
        for trace in traces_by_document(root, edited, vocabulary, every_document=False):
            if trace.diagnostics:
                return None
            notes.append(renderer.note(trace.card, trace.supports + trace.context, note_types[kind_key(trace.card)]))
    except SourceProblem:
        return None
    return None if renderer.diagnostics else notes


class _OldLock:
    """deck.lock as the rebuild found it, open while the rebuild reads it. Once the new lock has replaced it, its
    blocks are freed when its last link and descriptor go: 16 to 25 ms at 50,000 cards on this project's ext4
    (mounted with discard), which the process waited for as it exited. So it is kept linked in build/ (`keep`),
    closed in a thread of its own (`release`) as soon as the rebuild is done with it, and removed by the next
    build in a thread while that one reads and checks the edited cards (workspace.remove_leftovers: `freeing`,
    the one the last rebuild kept, which must be gone before this one is kept)."""

    def __init__(self, path: Path, freeing: InThread[None]) -> None:
        self.path, self.freeing = path, freeing
        self.file = open_regular(path)
        self._closing: InThread[None] | None = None

    def keep(self, kept: Path) -> None:
        """deck.lock linked at `kept` (if it can be: else its blocks are freed as before), before it is replaced."""
        self.freeing.result()
        try:
            os.link(self.path, kept, follow_symlinks=False)
        except OSError:
            pass

    def release(self) -> None:
        """Closed from now on (once: its descriptor is not closed twice, nor read after this)."""
        if self._closing is None:
            self._closing = InThread(self.file.close)

    def __enter__(self) -> _OldLock:
        return self

    def __exit__(self, *exception: object) -> None:
        self.release()


@contextlib.contextmanager
def _moved_aside(database: Path, recorded: list, build_dir: Path) -> Iterator[Path]:
    """The recorded database, moved into a new folder of the build's own to be changed there, then moved back.
    SQLite would otherwise take a "-journal" or "-wal" file that anyone who can write to build/ could put beside
    it as a crashed transaction, and replay it into the database that the state vouches for by its stats."""
    scratch = Path(tempfile.mkdtemp(prefix=".deckgen-", dir=build_dir))
    try:
        moved = scratch / "collection.anki2"
        os.replace(database, moved)
        # a rename keeps the inode, size and modification time (not the change time); a link put at the database's
        # name is moved as a link, and known by its own inode (not followed, as SQLite would follow it to write)
        info = os.lstat(moved)
        if [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns] != recorded[:4]:
            raise OSError("the database changed after it was recognised")
        yield moved
        os.replace(moved, database)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _replace_rows(database: Path, note_types: dict[str, NoteType], layout: LockText,
                  edits: list[_Edit]) -> inplace.Pages:
    """The edited notes' rows replaced in the database, written by genanki as a full build writes them, with
    the same ids and place; the pages SQLite wrote, from its write-ahead log, for inplace.patch to compare."""
    models = models_for(note_types, Lock(layout.namespace, layout.note_types, id_base=layout.id_base))
    connection = sqlite3.connect(database)
    # No syncing: the state that vouches for this database was forgotten before it is changed, so a build killed
    # meanwhile leaves a file no rebuild uses (the next full build replaces it). The write-ahead log, in the
    # folder _moved_aside made, lists every page the change writes; the locking mode keeps its index in memory.
    connection.execute("PRAGMA synchronous = OFF")
    connection.execute("PRAGMA locking_mode = EXCLUSIVE")
    if connection.execute("PRAGMA journal_mode = WAL").fetchone()[0] != "wal":
        connection.close()
        raise sqlite3.DatabaseError("no write-ahead log")
    connection.execute("PRAGMA wal_autocheckpoint = 0")
    try:
        cursor = connection.cursor()
        for edit in edits:
            note_id = edit.facts.note_id
            row = cursor.execute("select did, due from cards where nid = ? order by id limit 1", (note_id,)).fetchone()
            guid = cursor.execute("select guid from notes where id = ?", (note_id,)).fetchone()
            if row is None or guid is None or guid[0] != edit.new.guid:
                raise sqlite3.DatabaseError("the database does not hold this note where it was recorded")
            cursor.execute("delete from cards where nid = ?", (note_id,))
            cursor.execute("delete from notes where id = ?", (note_id,))
            note = note_for(Slot(edit.note.card.id, edit.new, row[1]), models)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # genanki warns about HTML it does not know; fields are ours
                note.write_to_db(cursor, layout.id_base, row[0], itertools.count(note_id))
            if cursor.execute("select count() from cards where nid = ?", (note_id,)).fetchone()[0] != edit.facts.anki_cards:
                raise sqlite3.DatabaseError("the note's cards changed in number")
        connection.commit()
        pages = inplace.pages_in_wal(database.with_name(database.name + "-wal"))
        # back to a rollback journal: the log's pages are written into the database, and its header says so again
        if pages is None or connection.execute("PRAGMA journal_mode = DELETE").fetchone()[0] != "delete":
            raise sqlite3.DatabaseError("the write-ahead log was not written back")
        return pages
    finally:
        connection.close()
