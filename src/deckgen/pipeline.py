"""The pipeline, top to bottom: load cards → load sources → trace → lint → render → lock → package.

`check` runs every stage that reads; `build` adds the stages that write. Each stage returns its
diagnostics instead of raising, so one run reports every problem it can find.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator

from .cards import load_project
from .diagnostics import Diagnostic, DeckgenFailure, Location, display_path
from .lint import lint
from .lock import LOCK_FILE, Lock, Plan, plan_cards, plan_note_types, read_lock, serialize
from .model import Project
from .package import PackageSummary, build_package, write_apkg
from .render import Note, NoteType, Renderer, kind_key
from .sources import Corpus, load_corpus
from .textnorm import Vocabulary
from .trace import Gate, TraceResult


@dataclass(frozen=True)
class Checked:
    project: Project
    corpus: Corpus
    traces: tuple[TraceResult, ...]
    note_types: dict[str, NoteType]
    notes: tuple[Note, ...]


@dataclass(frozen=True)
class Built:
    checked: Checked
    plan: Plan
    package: PackageSummary
    lock_written: bool
    seconds: float


def check(root: Path) -> Checked:
    """Validate everything; raise DeckgenFailure with all diagnostics if anything is wrong."""
    diagnostics: list[Diagnostic] = []
    project, problems = load_project(root)
    diagnostics += problems
    corpus, problems = load_corpus(root)
    diagnostics += problems
    if project is None:
        raise DeckgenFailure(diagnostics)

    vocabulary = Vocabulary(project.synonyms)
    gate = Gate(corpus, vocabulary)
    traces = tuple(gate.trace(card) for card in project.cards)
    for trace in traces:
        diagnostics += trace.diagnostics
    diagnostics += lint(project, vocabulary)

    renderer = Renderer(root, project.settings)
    note_types = renderer.note_types()
    renderer.check_field_templates()
    diagnostics += renderer.diagnostics
    if diagnostics:
        raise DeckgenFailure(_ordered(diagnostics))
    notes = tuple(renderer.note(t.card, t.supports + t.context, note_types[kind_key(t.card)]) for t in traces)
    return Checked(project, corpus, traces, note_types, notes)


def plan(root: Path, checked: Checked, now: int, *, drop_retired: bool = False) -> Plan:
    """What a build would change against deck.lock (nothing is written)."""
    lock_path = root / LOCK_FILE
    lock, problems = read_lock(lock_path, display_path(lock_path, root), checked.project.settings.title)
    if lock is None:
        raise DeckgenFailure(problems)
    note_types, changed_types, problems = plan_note_types(lock, checked.note_types, now)
    if problems:
        raise DeckgenFailure(problems)
    card_plan, problems = plan_cards(lock, list(checked.notes), note_types, now, drop_retired=drop_retired)
    if card_plan is None:
        raise DeckgenFailure(problems)
    return replace(card_plan, note_types_changed=tuple(changed_types))


def build(root: Path, *, now: int | None = None, drop_retired: bool = False) -> Built:
    started = time.perf_counter()
    checked = check(root)
    output = root / "build" / checked.project.settings.output
    with _exclusive(root, output):
        build_plan = plan(root, checked, int(time.time()) if now is None else now, drop_retired=drop_retired)
        lock = build_plan.lock
        package = build_package(checked.project.settings, checked.note_types, lock,
                                [note.card.id for note in checked.notes])
        id_base = max([c.modified for c in lock.cards.values()] + [t.modified for t in lock.note_types.values()])
        try:
            summary = write_apkg(package, output, id_base)
        except OSError as exc:
            raise DeckgenFailure([_write_error(root, output, exc)]) from None
        lock_written = _write_lock(root, lock)
    return Built(checked, build_plan, summary, lock_written, time.perf_counter() - started)


def _write_lock(root: Path, lock: Lock) -> bool:
    path = root / LOCK_FILE
    text = serialize(lock)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise DeckgenFailure([_write_error(root, path, exc)]) from None
    return True


@contextlib.contextmanager
def _exclusive(root: Path, output: Path) -> Iterator[None]:
    """One build at a time per project: a second concurrent build fails fast with a clear message."""
    lock_path = output.parent / ".deckgen-build.lock"
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path, "a")
    except OSError as exc:
        raise DeckgenFailure([_write_error(root, output.parent, exc)]) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DeckgenFailure([Diagnostic(Location(display_path(output, root)),
                                             "another deckgen build of this project is running",
                                             "wait for it to finish, then build again")]) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_error(root: Path, path: Path, exc: OSError) -> Diagnostic:
    return Diagnostic(Location(display_path(path, root)), f"cannot write: {exc.strerror or exc}",
                      "check that build/ exists and is writable; the previous deck and lock are unchanged")


def _ordered(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(diagnostics, key=lambda d: (d.location.path, d.location.line, d.location.col))
