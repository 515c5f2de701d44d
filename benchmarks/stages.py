"""Where a from-scratch `deckgen build` spends its time, stage by stage, in one process.

    python benchmarks/stages.py PROJECT_DIR

Runs the pipeline's stages one after another, as `deckgen check` runs them and then as a build
writes (with the cycle collector paused, as they do), times each, and prints one JSON object. A
build interleaves three of them, reading the sources, tracing and rendering document by document
(pipeline.compile_deck), so their sum here is close to, not exactly, what a build spends on them.
It builds into a scratch copy of the project's inputs, so the project itself is left alone. For the
benchmark report only: the CLI is what the headline figures measure.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

STARTED = time.perf_counter()

from deckgen import pipeline  # noqa: E402
from deckgen.cards import load_project  # noqa: E402
from deckgen.lint import lint  # noqa: E402
from deckgen.lock import serialize  # noqa: E402
from deckgen.package import build_package, write_apkg  # noqa: E402
from deckgen.render import Renderer, kind_key  # noqa: E402
from deckgen.sources import load_corpus  # noqa: E402
from deckgen.textnorm import Vocabulary  # noqa: E402
from deckgen.trace import Gate  # noqa: E402

NOW = 1_700_000_000


def stages(root: Path) -> dict[str, float]:
    times: dict[str, float] = {"imports": time.perf_counter() - STARTED}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        times[name] = now - clock
        clock = now

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
        package = build_package(project.settings, note_types, lock, [note.card.id for note in notes])
        write_apkg(package, root / "build" / project.settings.output, NOW)
        lap("write .apkg (genanki, sqlite, zip)")
    return times


def main(project: Path) -> int:
    with tempfile.TemporaryDirectory(prefix="deckgen-stages-") as scratch:
        root = Path(scratch) / "project"
        for part in ("cards", "sources", "templates"):
            if (project / part).is_dir():  # no templates/: deckgen's default templates
                shutil.copytree(project / part, root / part)
        print(json.dumps(stages(root)))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
