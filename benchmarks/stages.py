"""Where a from-scratch `deckgen build` spends its time, stage by stage, in one process.

    python benchmarks/stages.py PROJECT_DIR
    python benchmarks/stages.py --edit PROJECT_DIR   # a rebuild after adding a tag to one card

Runs the pipeline's stages one after another, as `deckgen check` runs them and then as a build
writes (with the cycle collector paused, as they do), times each, and prints one JSON object. A
build interleaves three of them, reading the sources, tracing and rendering document by document
(pipeline.compile_deck), so their sum here is close to, not exactly, what a build spends on them.
It builds into a scratch copy of the project's inputs, so the project itself is left alone. For the
benchmark report only: the CLI is what the headline figures measure.

With --edit it first builds the scratch copy with `deckgen build` (another process), adds a tag to one
card (run.OneCardEditor), and then times the rebuild as `deckgen build` makes it (cli._build and
pipeline.build, step by step): the fast path's digest of the inputs, the memo, the compile (inside it,
reading card files, lint, tracing, by wrapping the pipeline's functions), the lock plan, the lock, the
incremental package (incremental.py: the last database read, the changed notes written and the rest
copied, zipped, recorded), the memo and the stamp.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STARTED = time.perf_counter()

from deckgen import pipeline  # noqa: E402
from deckgen.cards import load_project  # noqa: E402
from deckgen.lint import lint  # noqa: E402
from deckgen.lock import serialize  # noqa: E402
from deckgen.package import write_apkg  # noqa: E402
from deckgen.render import Renderer, kind_key  # noqa: E402
from deckgen.sources import load_corpus  # noqa: E402
from deckgen.textnorm import Vocabulary  # noqa: E402
from deckgen.trace import Gate  # noqa: E402

IMPORTED = time.perf_counter() - STARTED

NOW = 1_700_000_000


def _laps(times: dict[str, float]):
    """A stopwatch: each call records, under its name, the time since the previous call (or since now)."""
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        times[name] = now - clock
        clock = now

    return lap


def stages(root: Path) -> dict[str, float]:
    times: dict[str, float] = {"imports": time.perf_counter() - STARTED}
    lap = _laps(times)

    with pipeline._cycle_collector_paused():
        project, problems = load_project(root)
        lap("load cards (YAML)")
        corpus, more = load_corpus(root)
        lap("load and index sources")
        if project is None or problems or more:
            raise SystemExit("the project has problems; run deckgen check")
        vocabulary = Vocabulary(project.synonyms, project.lexicon)
        gate = Gate(corpus, vocabulary)
        traces = tuple(gate.trace(card) for card in project.cards)
        lap("traceability gate")
        lint(project, vocabulary)
        lap("lint")
        renderer = Renderer(root, project.settings)
        note_types = renderer.note_types()
        renderer.check_field_templates()
        notes = tuple(renderer.note(t.card, t.supports + t.context, note_types[kind_key(t.card)]) for t in traces)
        lap("render notes (markup, Jinja)")
        checked = pipeline.Checked(project, note_types, notes, tuple(c.id for c in project.cards), corpus, traces)
        lock = pipeline.plan(root, checked, NOW).lock
        serialize(lock)
        lap("lock: plan and serialise")
        write_apkg(root / "build" / project.settings.output, project.settings, note_types, lock,
                   [note.card.id for note in notes], NOW)
        lap("write .apkg (genanki, sqlite, zip)")
    return times


def edit_stages(root: Path) -> dict[str, float]:
    """A rebuild of `root` after one card's edit, stage by stage, as cli._build and pipeline.build make it."""
    from collections import Counter

    started = time.perf_counter()
    from deckgen import fastpath, incremental
    from deckgen.cli import build_summary
    from deckgen.package import publish
    from deckgen.memo import Memo

    times: dict[str, float] = {"imports": IMPORTED + time.perf_counter() - started}
    inside: Counter = Counter()  # time spent in the wrapped functions, inside compile_deck

    def timed(name: str, function):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                inside[name] += time.perf_counter() - started
        return wrapper

    def timed_generator(name: str, function):
        def wrapper(*args, **kwargs):
            items = function(*args, **kwargs)
            while True:
                started = time.perf_counter()
                try:
                    item = next(items)
                except StopIteration:
                    inside[name] += time.perf_counter() - started
                    return
                inside[name] += time.perf_counter() - started
                yield item
        return wrapper

    pipeline.load_project = timed("compile: read card files (memo: unchanged files skipped)", pipeline.load_project)
    pipeline.lint = timed("compile: lint and source names", pipeline.lint)
    pipeline._source_names = timed("compile: lint and source names", pipeline._source_names)
    pipeline._remembered = timed("compile: notes of unchanged cards from the memo", pipeline._remembered)
    pipeline._traces_by_document = timed_generator("compile: trace the changed cards", pipeline._traces_by_document)
    lap = _laps(times)

    summary, inputs = fastpath.probe(root, drop_retired=False)
    if summary is not None:
        raise SystemExit("the fast path found nothing changed: the edit was not seen")
    fastpath.forget(root)
    lap("fast path: digest of every input")
    collecting = gc.isenabled()
    gc.disable()  # from here to the memo, as pipeline.build (the cycle collector paused, see _cycle_collector_paused)
    started = time.perf_counter()
    memo = Memo.open(root)
    lap("memo: open and read")
    compiled = pipeline.compile_deck(root, memo)
    if len(compiled.traced) > 10:
        raise SystemExit(f"the rebuild traced {len(compiled.traced)} cards: it fell back to a full check")
    lap("compile")
    times.update(inside)
    times["compile: the rest (note types, render, trust)"] = times.pop("compile") - sum(inside.values())
    project, note_types, notes = compiled.project, compiled.note_types, compiled.notes
    output = root / "build" / project.settings.output
    with pipeline._exclusive(root, output):
        pipeline._remove_leftovers(root, output.parent)
        build_plan = pipeline.plan(root, compiled, int(time.time()))
        lock = build_plan.lock
        lap("lock: read and plan")
        order = [note.card.id for note in notes]
        id_base = max([c.modified for c in lock.cards.values()] + [t.modified for t in lock.note_types.values()])
        staged_lock = pipeline._stage_lock(root, lock)
        lap("lock: write and compare")
        scratch = Path(tempfile.mkdtemp(prefix=".deckgen-", dir=output.parent))
        database = scratch / "collection.anki2"
        context = incremental.context(root, note_types, lock)
        previous = incremental.open_previous(root, context, scratch)
        if previous is None:
            raise SystemExit("no usable build/.deckgen-package: the rebuild would write every note")
        lap("package: read the last database (MAC checked)")
        written = incremental.write_database(previous, database, project.settings, note_types, lock, order, id_base)
        if written is None:
            raise SystemExit("the last database could not be reused")
        lap("package: database (changed notes written, the rest copied)")
        package_summary = publish(database, output, len(order) + len(lock.retired), stored=written.stored)
        lap("package: zip (stored) and replace")
        lock_written = pipeline._commit_lock(root, staged_lock)
        memo.save(project.files, note_types, notes)
        lap("memo: write")
        incremental.record(root, database, context, project.settings, lock, order, written)
        shutil.rmtree(scratch)
        lap("package: record the database for the next build")
    if collecting:
        gc.enable()
    built = pipeline.Built(project, notes, build_plan, package_summary, lock_written, time.perf_counter() - started)
    fastpath.record(root, inputs, build_summary(built), drop_retired=False)
    lap("fast path: stamp (digest again)")
    return times


def main(project: Path, *, edit: bool = False) -> int:
    with tempfile.TemporaryDirectory(prefix="deckgen-stages-") as scratch:
        root = Path(scratch) / "project"
        for part in ("cards", "sources", "templates"):
            if (project / part).is_dir():  # no templates/: deckgen's default templates
                shutil.copytree(project / part, root / part)
        if edit:
            subprocess.run([sys.executable, "-m", "deckgen", "--project", str(root), "build"], check=True,
                           stdout=subprocess.DEVNULL, env=os.environ)
            sys.path.insert(0, str(Path(__file__).resolve().parent))
            from run import OneCardEditor

            OneCardEditor(root, "tag")()
            print(json.dumps(edit_stages(root)))
        else:
            print(json.dumps(stages(root)))
    return 0


if __name__ == "__main__":
    arguments = sys.argv[1:]
    sys.exit(main(Path(arguments[-1]), edit="--edit" in arguments))
