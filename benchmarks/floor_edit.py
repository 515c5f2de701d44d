"""A lower bound for issue 16's one-card edit: the rebuild with none of the deck-sized files written.

    python benchmarks/floor_edit.py PROJECT_DIR [ROUNDS]

A one-card rebuild at 50,000 cards wrote three files the size of the deck: deck.lock (44 MB), the
package (39 MB) and the state build/.deckgen-delta (7.5 MB). Formats changed in place would write only
the edited entries (the state is written by the line since session 19, the package by the page since
session 18, and read only where SQLite wrote since session 20; deck.lock is still written whole). Before building them, this measures what such a design could reach at best: a fresh
process runs `deckgen build` (cli.main, the delta rebuild) with every write of those files, and of the
package's database, replaced by nothing (the throwaway stubs in `_stubbed`, which reach into delta.py's
private steps; nothing they touch is kept). Everything else is as in a real rebuild: the imports, the
fast path's digest, the state read and its MAC checked, the stats of every input, the changed card read,
checked, traced and rendered, deck.lock read and its entries found.

Each round: one card gains (then loses) a tag (run.OneCardEditor), the floor runs (it must report
"1 changed": a real rebuild, nothing taken from the stamp), then the real `deckgen build` of the same edit
(which records it, so the next round's floor rebuilds again), then `import genanki, jinja2, yaml`.
Prints the medians and the ratios to the imports, as issue 16 states its target (<= 2.5x).
"""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _stubbed() -> None:
    """`deckgen build` in this process, with the deck-sized writes replaced by nothing."""
    from deckgen import cli, delta, fastpath, inplace, locktext, package

    @contextlib.contextmanager
    def database_in_place(database, recorded, build_dir):
        yield database

    delta._moved_aside = database_in_place  # the database is neither moved nor changed
    delta._replace_rows = lambda *args, **kwargs: inplace.Pages(4096, frozenset())  # no page changed: none compared
    delta.publish = lambda database, target, notes, stored=False: package.PackageSummary(target, notes, 0)
    locktext.LockText.write_spliced = lambda self, splices, target: None
    delta.delta_state.write = lambda *args, **kwargs: None
    delta.delta_state.forget = lambda root: None
    fastpath.record = fastpath.forget = lambda *args, **kwargs: None
    real_replace = os.replace

    def replace(source, target):  # the staged (empty) lock is dropped, never put in place
        if str(source).endswith(".partial") and Path(target).name == "deck.lock":
            os.unlink(source)
        else:
            real_replace(source, target)

    delta.os.replace = replace
    sys.argv = ["deckgen", "build"]
    sys.exit(cli.main())


def _timed(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr[-2000:]}")
    return seconds, done.stdout


def main(project: Path, rounds: int) -> int:
    sys.path.insert(0, str(HERE))
    from run import OneCardEditor, child_env

    env = child_env()
    python = sys.executable
    editor = OneCardEditor(project, "tag")
    floor, real, imports = [], [], []
    _timed([python, "-m", "deckgen", "build"], project, env)  # the state as a build leaves it
    try:
        for round_number in range(rounds):
            editor()
            seconds, out = _timed([python, str(Path(__file__).resolve()), "--child"], project, env)
            if "1 changed" not in out:
                raise SystemExit(f"the floor did not rebuild the edited card:\n{out[-500:]}")
            floor.append(seconds)
            real.append(_timed([python, "-m", "deckgen", "build"], project, env)[0])
            imports.append(_timed([python, "-c", "import genanki, jinja2, yaml"], project, env)[0])
            print(f"  round {round_number + 1}/{rounds}: floor {floor[-1]:.3f} s, build {real[-1]:.3f} s, "
                  f"imports {imports[-1]:.3f} s", flush=True)
    finally:
        editor.restore()
    base = statistics.median(imports)
    for label, series in (("floor (no deck-sized writes)", floor), ("deckgen build", real)):
        median = statistics.median(series)
        print(f"{label}: median {median:.3f} s = {median / base:.2f}x the imports ({base:.3f} s)")
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--child"]:
        _stubbed()
    arguments = sys.argv[1:]
    sys.exit(main(Path(arguments[0]).resolve(), int(arguments[1]) if len(arguments) > 1 else 9))
