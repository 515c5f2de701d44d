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
card (run.OneCardEditor) and builds again (the full build's package is compressed, so this first rebuild
writes it anew, stored; every later one patches it in place), takes the tag off again, and then times that
rebuild as `deckgen build` makes it (cli._build and delta.build, step by step, by wrapping delta.py's
functions): the fast path's digest of the inputs, the state, the changed cards, the lock, the package, the
state recorded and the stamp.
"""

from __future__ import annotations

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
        removed_description = renderer.removed_deck_description()
        lap("render notes (markup, Jinja)")
        checked = pipeline.Checked(project, note_types, notes, tuple(c.id for c in project.cards), None,
                                   removed_description, corpus, traces)
        lock = pipeline.plan(root, checked, NOW).lock
        serialize(lock)
        lap("lock: plan and serialise")
        write_apkg(root / "build" / project.settings.output, project.settings, note_types, lock,
                   [note.card.id for note in notes], NOW, removed_description=removed_description)
        lap("write .apkg (genanki, sqlite, zip)")
    return times


def edit_stages(root: Path) -> dict[str, float]:
    """A rebuild of `root` after one card's edit, step by step, as cli._build and delta.build make it."""
    from collections import Counter

    started = time.perf_counter()
    from deckgen import delta, delta_state, fastpath, inplace, locktext
    from deckgen.cli import build_summary

    times: dict[str, float] = {"imports": IMPORTED + time.perf_counter() - started}
    inside: Counter = Counter()  # time spent in the wrapped functions, inside the rebuild

    running: list[str] = []  # a wrapped step called inside another

    def timed(module, attribute: str, name: str) -> None:
        function = getattr(module, attribute)

        def wrapper(*args, **kwargs):
            if running:  # counted in the step that called it
                return function(*args, **kwargs)
            running.append(name)
            begun = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                inside[name] += time.perf_counter() - begun
                running.pop()
        setattr(module, attribute, wrapper)

    timed(delta_state, "read", "state: read (MAC checked)")
    timed(delta, "_edited", "changed cards: read the file, lint, trace, render")
    timed(locktext.LockText, "find", "lock: find its tables (read by the piece)")
    timed(delta, "_edits", "lock: the changed entries")
    timed(locktext.LockText, "write_spliced", "lock: write (changed entries spliced in)")
    timed(delta, "_replace_rows", "package: the changed rows replaced")
    timed(inplace, "patch", "package: the changed pages written in place")
    timed(delta, "publish", "package: zip (stored) and replace")
    timed(delta_state, "held", "inputs: taken again as the rebuild ends (for the state and the stamp)")
    timed(delta_state, "record", "state: record")
    lap = _laps(times)

    summary, inputs = fastpath.probe(root, drop_retired=False)
    if summary is not None:
        raise SystemExit("the fast path found nothing changed: the edit was not seen")
    fastpath.forget(root)
    lap("fast path: digest of the inputs")
    begun = time.perf_counter()
    built = delta.rebuild(root, int(time.time()), inputs)
    if built is None:
        raise SystemExit("the rebuild was not a delta rebuild")
    lap("rebuild")
    times.update(inside)
    times["rebuild: the rest"] = times.pop("rebuild") - sum(inside.values())
    built = built._replace(seconds=time.perf_counter() - begun)
    fastpath.record(root, inputs, build_summary(built), drop_retired=False, after=built.held)
    lap("fast path: stamp")
    return times


def main(project: Path, *, edit: bool = False) -> int:
    with tempfile.TemporaryDirectory(prefix="deckgen-stages-") as scratch:
        root = Path(scratch) / "project"
        for part in ("cards", "sources", "templates"):
            if (project / part).is_dir():  # no templates/: deckgen's default templates
                shutil.copytree(project / part, root / part)
        if edit:
            if (project / "deck.lock").is_file():  # the real deck's renames name ids only its lock knows
                shutil.copy2(project / "deck.lock", root / "deck.lock")
            build = [sys.executable, "-m", "deckgen", "--project", str(root), "build"]
            subprocess.run(build, check=True, stdout=subprocess.DEVNULL, env=os.environ)
            sys.path.insert(0, str(Path(__file__).resolve().parent))
            from run import OneCardEditor

            editor = OneCardEditor(root, "tag")
            editor()  # a first rebuild: the full build's package is compressed, so this one writes it anew, stored
            subprocess.run(build, check=True, stdout=subprocess.DEVNULL, env=os.environ)
            editor()  # the rebuild timed: the package patched in place, as every rebuild after that first one
            print(json.dumps(edit_stages(root)))
        else:
            print(json.dumps(stages(root)))
    return 0


if __name__ == "__main__":
    arguments = sys.argv[1:]
    sys.exit(main(Path(arguments[-1]), edit="--edit" in arguments))
