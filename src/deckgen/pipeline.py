"""The pipeline, top to bottom: load cards → load sources → trace → lint → render → lock → package.

`check` runs every stage that reads; `build` adds the stages that write. Each stage returns its
diagnostics instead of raising, so one run reports every problem it can find.
"""

from __future__ import annotations

import contextlib
import filecmp
import gc
import os
import shutil
import sqlite3
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator

from .cards import is_card_file, load_project
from .diagnostics import Diagnostic, DeckgenFailure, display_path
from .identity import guid_namespace, scoped_lock
from .lint import SourceNames, lint
from .lock import LOCK_FILE, Lock, LockReuse, Plan, RetiredNotice, plan_cards, plan_note_types, read_lock, write_lock
from .memo import Memo, note_type_to_json
from .model import Card, DeckSettings, Project
from .package import Built, publish, shipped_notes
from .render import Note, NoteType, Renderer, anki_cards, kind_key, unread_templates
from .sources import Corpus, document_paths, load_corpus, read_front_matter
from .textnorm import Vocabulary
from .trace import Gate, SourceProblem, TraceResult, traces_by_document
from .newfile import open_new
from .workspace import exclusive, remove_leftovers, unlink_quietly, write_error
from . import delta_state, fastpath, incremental, progress, trust, userkey


@dataclass(frozen=True)
class Compiled:
    """What a build takes from the checking stages: the cards, their note types and their notes."""

    project: Project
    note_types: dict[str, NoteType]
    notes: tuple[Note, ...]
    traced: tuple[str, ...]  # the cards traced and rendered in this run; a build's memo gave the others
    source_names: SourceNames | None  # what lint took the sources' names to be (None: it did not look)
    removed_description: str  # the description of the deck the retired notes ship in (a template's)

    def anki_card_count(self) -> int:
        """The cards Anki makes of `notes` (one per cloze deletion number, or per card template)."""
        return sum(anki_cards(note.card, self.note_types[note.note_type]) for note in self.notes)


@dataclass(frozen=True)
class Checked(Compiled):
    """Everything a full check found, including the sources' index and every card's trace."""

    corpus: Corpus
    traces: tuple[TraceResult, ...]


@contextlib.contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """A build keeps ~100 objects per card alive until it ends and makes hardly any reference cycles;
    CPython's cycle collector would rescan all of them again and again (a quarter of a large build).
    Paused for one check or build, then restored: a long-running `deckgen watch` still collects."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@_cycle_collector_paused()
def check(root: Path) -> Checked:
    """Validate everything; raise DeckgenFailure with all diagnostics if anything is wrong."""
    diagnostics: list[Diagnostic] = []
    project, problems = load_project(root)
    diagnostics += problems
    corpus, corpus_problems = load_corpus(root)
    diagnostics += corpus_problems
    if project is None:
        raise DeckgenFailure(diagnostics)

    vocabulary = Vocabulary(project.synonyms, project.lexicon)
    gate = Gate(corpus, vocabulary)
    traces = tuple(gate.trace(card) for card in progress.bar(project.cards, total=len(project.cards), label="checking",
                                                              unit="card", min_total=progress.MIN_CARDS))
    for trace in traces:  # a card whose source cannot be read: that source's own problem is the one to report
        diagnostics += [d for d in trace.diagnostics if d.code != "source-unreadable" or not corpus_problems]
    names = SourceNames.of((doc.title, doc.publisher, doc.author) for doc in corpus.docs.values())
    diagnostics += lint(project, vocabulary, sources=names)

    renderer = Renderer(root, project.settings)
    note_types = renderer.note_types()
    renderer.check_field_templates()
    removed_description = renderer.removed_deck_description()
    diagnostics += renderer.diagnostics
    diagnostics += trust.card_problems(project.cards) + trust.template_problems(root, note_types)
    diagnostics += unread_templates(root)
    if diagnostics:
        raise DeckgenFailure(_ordered(diagnostics))
    notes = tuple(renderer.note(t.card, t.supports + t.context, note_types[kind_key(t.card)]) for t in traces)
    if renderer.diagnostics:  # a field template that failed on some note's values
        raise DeckgenFailure(_ordered(renderer.diagnostics))
    return Checked(project, note_types, notes, tuple(card.id for card in project.cards), names, removed_description,
                   corpus, traces)


@_cycle_collector_paused()
def compile_deck(root: Path, memo: Memo, *, fresh: bool = False) -> Compiled:
    """What `check` finds, as a build needs it, for a fraction of the time and memory.

    * A card file whose text an earlier build already read (see memo.py) is not parsed again, and
      a card whose note an identical earlier build already made is not traced again,
      nor put through the lint rules that look at one card alone; the note types that build
      rendered from the same templates are taken as they are.
    * The other cards are traced document by document: each source is read when the first card
      citing it comes up and let go after the last one, and each trace is rendered into its note at
      once, so that neither the whole index of the sources nor every trace is ever held at once.
    * The templates' code is taken as an earlier build compiled it (templatecode.py), unless `fresh`.
    * Any problem at all hands over to `check`, whose report is the complete and exact one.
    """
    project, problems = load_project(root, read_before=memo.card_file)
    if project is None or problems:
        return check(root)
    remembered = _remembered(project.cards, memo)
    to_trace = [card for card in project.cards if card.id not in remembered]
    vocabulary = Vocabulary(project.synonyms, project.lexicon)
    renderer = Renderer(root, project.settings, keep_compiled=not fresh)
    note_types = memo.note_types() or renderer.note_types()
    if to_trace:
        renderer.check_field_templates()
    removed_description = renderer.removed_deck_description()
    names = _source_names(root) if to_trace else SourceNames()
    if names is None or lint(project, vocabulary, passed_before=remembered.keys(), sources=names) \
            or renderer.diagnostics:
        return check(root)
    if trust.card_problems(to_trace) or trust.template_problems(root, note_types) or unread_templates(root):
        return check(root)

    rendered: dict[str, Note] = {}
    shared: dict[object, object] = {}
    try:
        traces = traces_by_document(root, to_trace, vocabulary, every_document=not memo.valid)
        for trace in progress.bar(traces, total=len(to_trace), label="checking", unit="card",
                                  min_total=progress.MIN_CARDS):
            if trace.diagnostics:
                return check(root)
            rendered[trace.card.id] = _shared(renderer.note(trace.card, trace.supports + trace.context,
                                                            note_types[kind_key(trace.card)]), shared)
    except SourceProblem:
        return check(root)
    if renderer.diagnostics:
        return check(root)
    notes = tuple(remembered.get(card.id) or rendered[card.id] for card in project.cards)
    return Compiled(project, note_types, notes, tuple(card.id for card in to_trace), names if to_trace else None,
                    removed_description)


def _shared(note: Note, seen: dict[object, object]) -> Note:
    """`note` with the deck name and the tags that other notes have as the very same objects: the
    renderer makes them anew for each note (a large deck holds tens of thousands of copies of a few
    dozen names), and the notes, the lock and the package keep them to the end of the build."""
    tags = tuple(seen.setdefault(tag, tag) for tag in note.tags)
    return replace(note, deck=seen.setdefault(note.deck, note.deck), tags=seen.setdefault(tags, tags))


def _source_names(root: Path) -> SourceNames | None:
    """What cards could call the sources by (for lint), from their front matter alone; None if one
    cannot be read (then `check` says why)."""
    fronts = [read_front_matter(root, path) for path in document_paths(root).values()]
    if any(front is None for front in fronts):
        return None
    return SourceNames.of((front["title"], front["publisher"], front.get("author", "")) for front in fronts if front)


def _remembered(cards: tuple[Card, ...], memo: Memo) -> dict[str, Note]:
    notes = {}
    for card in cards:
        note = memo.note(card)
        if note is not None:
            notes[card.id] = note
    return notes


def read_project_lock(root: Path, settings: DeckSettings, reuse: LockReuse | None = None) -> Lock:
    """deck.lock as read_lock reads it (an empty lock when there is none); its problems raised."""
    lock_path = root / LOCK_FILE
    lock, problems = read_lock(lock_path, display_path(lock_path, root), settings.title, reuse)
    if lock is None:
        raise DeckgenFailure(problems)
    return lock


def plan(root: Path, checked: Compiled, now: int, *, drop_retired: bool = False,
         refuse_silent_renames: bool = True, lock: Lock | None = None, reuse: LockReuse | None = None,
         keep_compiled: bool = False) -> Plan:
    """What a build would change against deck.lock (nothing is written). `lock`: deck.lock as
    read_project_lock read it, when the caller has it already (else it is read here, with `reuse`).
    `keep_compiled`: a build's, which takes the templates' compiled code from build/ (Renderer)."""
    lock_path = root / LOCK_FILE
    settings = checked.project.settings
    if lock is None:
        lock = read_project_lock(root, settings, reuse)
    lock, problems = scoped_lock(lock, settings, os.path.lexists(lock_path))
    if problems:
        raise DeckgenFailure(problems)
    note_types, changed_types, added_types, problems = plan_note_types(lock, checked.note_types, now)
    if problems:
        raise DeckgenFailure(problems)
    card_plan, problems = plan_cards(lock, list(checked.notes), note_types, now, drop_retired=drop_retired,
                                     refuse_silent_renames=refuse_silent_renames, reuse=reuse,
                                     guid_namespace=guid_namespace(settings),
                                     notice=_retired_notice(root, settings, keep_compiled))
    if card_plan is None:
        raise DeckgenFailure(problems)
    return card_plan._replace(note_types_changed=tuple(changed_types), note_types_added=tuple(added_types))


def deck_matches_lock(root: Path, settings: DeckSettings, lock: Lock | None = None) -> bool | None:
    """Whether build/<output> holds exactly the notes deck.lock records (same GUIDs, same modification
    times); None when nothing has been built. False after a build killed between replacing the deck
    and replacing deck.lock (the two renames cannot be one): the next build rewrites both.
    `lock`: deck.lock as read_project_lock read it, when the caller has it already (else it is read here).
    """
    problems: list[Diagnostic] = []
    if lock is None:
        lock_path = root / LOCK_FILE
        lock, problems = read_lock(lock_path, display_path(lock_path, root), settings.title)
    shipped = shipped_notes(root / "build" / settings.output)
    if shipped is None:
        return None
    if lock is None or problems:
        return False
    recorded = {c.guid: c.modified for c in list(lock.cards.values()) + list(lock.retired.values())}
    return shipped == recorded


def _retired_notice(root: Path, settings: DeckSettings, keep_compiled: bool) -> RetiredNotice:
    """What a retired card says (fields/retired_notice.html), its template checked before anything is planned."""
    renderer = Renderer(root, settings, keep_compiled=keep_compiled)
    notice = RetiredNotice(renderer.retired_notice)
    notice.for_time(0)
    if renderer.diagnostics:
        raise DeckgenFailure(renderer.diagnostics)
    return notice


@_cycle_collector_paused()
def build(root: Path, *, now: int | None = None, drop_retired: bool = False, fresh: bool = False,
          reuse: LockReuse | None = None, inputs: fastpath.Inputs | None = None) -> Built:
    """Check, plan, then replace build/<output> and deck.lock — both or, on any failure, neither.

    The new lock is staged next to the old one before the deck is written, so the step that can fail
    (writing the deck: disk full, permissions, an interrupted process) always fails first.
    `reuse`: what a process that builds again and again keeps of deck.lock between builds (`deckgen watch`);
    `fresh` uses none of it. `inputs`: the inputs as they were before anything was read (fastpath.probe's),
    when the caller took them; else they are taken first.
    """
    with trust.reads_recorded() as read:  # the bytes each input was read as, for the memo and the state
        return _build(root, read, now=now, drop_retired=drop_retired, fresh=fresh, reuse=reuse, inputs=inputs)


def _build(root: Path, read: dict[str, str | None], *, now: int | None, drop_retired: bool, fresh: bool,
           reuse: LockReuse | None, inputs: fastpath.Inputs | None) -> Built:
    if reuse is not None:
        reuse.next_build()
        reuse = None if fresh else reuse
    started = time.perf_counter()
    if inputs is None:
        inputs = fastpath.snapshot(root)  # before anything is read: what delta.py starts from next time
    memo = Memo.open(root, fresh=fresh)  # fresh: reuse nothing an earlier build recorded
    compiled = compile_deck(root, memo, fresh=fresh)
    project, note_types, notes = compiled.project, compiled.note_types, compiled.notes
    if inputs is not None and {f.path for f in project.files} != _card_files(inputs):
        trust.record_read("cards/", "listed otherwise")  # a card file gone (or come) for a moment: record nothing
    output = root / "build" / project.settings.output
    with exclusive(root, output):
        remove_leftovers(root, output.parent)
        build_plan = plan(root, compiled, int(time.time()) if now is None else now, drop_retired=drop_retired,
                          reuse=reuse, keep_compiled=not fresh)
        lock = build_plan.lock
        order = [note.card.id for note in notes]
        id_base = lock.id_base
        staged_lock = _stage_lock(root, lock, reuse)
        scratch: Path | None = None
        try:
            package_context = incremental.context(root, note_types, lock)
            try:
                scratch = Path(tempfile.mkdtemp(prefix=".deckgen-", dir=output.parent))
                database = scratch / "collection.anki2"
                written = _write_database(root, scratch, database, compiled, lock, order, id_base,
                                          package_context, fresh=fresh)
                summary = publish(database, output, len(order) + len(lock.retired),
                                  stored=written is not None and written.stored)
            except BaseException as exc:  # incl. Ctrl-C: the deck was not replaced, so neither is the lock
                if staged_lock is not None:
                    unlink_quietly(staged_lock)
                if isinstance(exc, (OSError, sqlite3.Error)):
                    raise DeckgenFailure([write_error(root, output, exc)]) from None
                raise
            lock_written = _commit_lock(root, staged_lock)
            names = _state_source_names(root, inputs, compiled, fresh=fresh)  # any listing before `held` checks it
            held = delta_state.held(root, inputs, read)
            memo.save(project.files, note_types, notes, held is not None)
            incremental.record(root, database, package_context, project.settings, lock, order, written,
                               removed_description=compiled.removed_description)
            _record_state(root, inputs, held is not None, compiled, lock, written, database, output, memo, names)
        finally:
            if scratch is not None:
                shutil.rmtree(scratch, ignore_errors=True)
    return Built(project, build_plan, summary, lock_written, time.perf_counter() - started, len(notes),
                 compiled.anki_card_count(), dict(sorted(Counter(note.deck for note in notes).items())),
                 project.settings.removed_deck, held)


def _card_files(inputs: fastpath.Inputs) -> set[str]:
    """The card files `inputs` holds, by the rule load_project lists them by."""
    return {name for name in inputs.entries if name.count("/") == 1 and name.startswith("cards/")
            and is_card_file(name[len("cards/"):])}


def _state_source_names(root: Path, inputs: fastpath.Inputs | None, compiled: Compiled, *,
                        fresh: bool) -> SourceNames | None:
    """The sources' names for the state: lint's, or, when lint did not look at them (no card was traced), the
    state before it's if the sources are as it recorded them, else listed now — before the build checks that
    its inputs held, so that a document away while it was listed is in the ledger (trust.record_listing)."""
    if compiled.source_names is not None:
        return compiled.source_names
    recorded = None if fresh or inputs is None else delta_state.read(root, userkey.build_key(root))
    if recorded is not None and delta_state.sources_unchanged(recorded, inputs):  # type: ignore[arg-type]
        return SourceNames(tuple(tuple(name) for name in recorded.header["source_names"]))
    return _source_names(root)


def _record_state(root: Path, inputs: fastpath.Inputs | None, inputs_held: bool, compiled: Compiled,
                  lock: Lock, written: incremental.Written, database: Path, output: Path, memo: Memo,
                  names: SourceNames | None) -> None:
    """What a delta rebuild (delta.py) starts from: this build's database kept as its base, the facts of
    every card (delta_state.py), and the sources' names (`names`: _state_source_names)."""
    delta_state.forget(root)
    if inputs is None or not inputs_held:  # nothing vouches for a build whose inputs did not hold
        return
    try:
        os.replace(database, root / delta_state.DATABASE)
    except OSError:
        return
    placed = {card_id: (note_id, cards) for card_id, note_id, cards in written.rows.placed()}
    files: dict[str, bytes] = {}

    def facts() -> Iterator[delta_state.CardFacts]:  # a file's facts at a time, each file's line written
        for card_file in compiled.project.files:
            these = [delta_state.facts_of(card, memo.digest(card), *placed[card.id]) for card in card_file.cards]
            files[card_file.path] = delta_state.file_line(these)
            yield from these

    totals = delta_state.Totals.of_cards(facts())
    if names is None:
        return
    report = delta_state.Report(dict(sorted(Counter(note.deck for note in compiled.notes).items())),
                                len(compiled.notes), compiled.anki_card_count(), tuple(sorted(lock.retired)),
                                tuple(sorted(lock.cards)))
    note_types = {key: note_type_to_json(note_type) for key, note_type in compiled.note_types.items()}
    delta_state.record(root, inputs, inputs_held, files, totals, report,
                       [list(name) for name in names.names], note_types, output.relative_to(root))


def _write_database(root: Path, scratch: Path, database: Path, compiled: Compiled, lock: Lock, order: list[str],
                    id_base: int, package_context: str | None, *, fresh: bool) -> incremental.Written:
    """The package's database: only the changed notes written, the rest copied from the last build's
    (incremental.py), unless `fresh` or there is none to use; then every note through genanki, one at
    a time. Returns what incremental.record keeps of it."""
    settings, note_types = compiled.project.settings, compiled.note_types
    previous = None if fresh else incremental.open_previous(root, package_context, scratch)
    if previous is not None:
        written = incremental.write_database(previous, database, settings, note_types, lock, order, id_base,
                                             removed_description=compiled.removed_description)
        previous.database.unlink(missing_ok=True)
        if written is not None:
            return written
    return incremental.write_fresh(database, settings, note_types, lock, order, id_base,
                                   removed_description=compiled.removed_description)


def _stage_lock(root: Path, lock: Lock, reuse: LockReuse | None = None) -> Path | None:
    """Write the new lock beside deck.lock; None when it is unchanged (deck.lock stays untouched)."""
    path = root / LOCK_FILE
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with open_new(partial, "w", encoding="utf-8") as staged:
            write_lock(lock, staged.write, reuse)
        if path.exists() and filecmp.cmp(partial, path, shallow=False):
            partial.unlink()
            return None
    except OSError as exc:
        unlink_quietly(partial)  # on a read-only folder, removing fails too: the first error is the one to report
        raise DeckgenFailure([write_error(root, path, exc)]) from None
    return partial


def _commit_lock(root: Path, staged: Path | None) -> bool:
    if staged is None:
        return False
    try:
        os.replace(staged, root / LOCK_FILE)
    except OSError as exc:
        unlink_quietly(staged)
        raise DeckgenFailure([write_error(root, root / LOCK_FILE, exc)]) from None
    return True


def _ordered(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """By place, each problem once (a partial included by two templates fails twice the same way)."""
    unique = list(dict.fromkeys(diagnostics))
    return sorted(unique, key=lambda d: (d.location.path, d.location.line, d.location.col))
