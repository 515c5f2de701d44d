"""deckgen's benchmarks: what a build costs on top of the unavoidable work of writing the package.

    .venv/bin/python benchmarks/run.py            # the full run (`make bench`), about 10 minutes
    .venv/bin/python benchmarks/run.py --quick    # 1k and 10k cards only, fewer rounds
    .venv/bin/python benchmarks/run.py --cases issue16   # issue 16's cases alone, about 7 minutes

Every figure is a fresh process, run the way a user runs it (`python -m deckgen ...`, or the
bare genanki script with the same interpreter), so both sides pay interpreter start-up and
imports. The compared commands alternate within each round (and swap order every round), and
the table shows medians: wall time, CPU time (user + system) and peak resident memory of the
process (from wait4(2)). Python's bytecode cache is allowed, as on any normal install (the
first, untimed warm-up run of each command fills it).

Cases (`--cases`, all by default):
  build     synthetic 1k/10k/50k cards (benchmarks/generate.py): `deckgen build` from scratch (no
            build/, no deck.lock): full check, render, lock and package — against bare_genanki.py
            writing the same notes, and floor_genanki.py (the bare script plus the least that
            tracing, templating and a lock add)
  rebuild   synthetic 10k: rebuild after editing one card; `deckgen check` alone
  real      a copy of this repository's deck: rebuild after editing one card (its wording, or adding
            *emphasis*), against `import genanki, jinja2, yaml`; rebuild with nothing changed, against
            an empty Python start; `deckgen check` alone
  stages    synthetic 10k: the time of each pipeline stage inside one build (benchmarks/stages.py)
The cases of issue 16 (`--cases issue16` runs `real` and these three):
  edit      synthetic 10k and 50k: rebuild after adding a tag to one card, against
            `import genanki, jinja2, yaml` (time) and the bare genanki script (peak memory, and time)
  coldlock  synthetic 10k: a build with the committed deck.lock but an empty build/ (a fresh clone, CI),
            against a build from scratch and the bare genanki script
  watch     `deckgen watch` on a copy of the real deck and on synthetic 10k: from saving a card file to
            the replaced .apkg, debounce included (benchmarks/watch_latency.py)

Results go to benchmarks/results.md and benchmarks/results.json. A run of issue 16's cases alone
(`--cases issue16`, or any of real,edit,coldlock,watch) replaces only the section "Issue 16 baseline"
of results.md and the key "issue16" of results.json, and leaves the rest as the last full run wrote it;
with `--section "Issue 16 — incremental"`, that section and the key "issue16 — incremental" instead (so
that the baseline stays beside it). A full run (or --report-only) writes results.md anew but keeps the
hand-written section "Issue 16 — shortcuts" (measured with benchmarks/shortcuts.py).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import watch_latency  # noqa: E402

WORK = REPO / "build" / "bench"
PYTHON = sys.executable
COMMAND = ".venv/bin/python benchmarks/run.py"  # what `make bench` runs

TARGETS = {
    "build_vs_bare_time": 1.3,
    "build_vs_bare_memory": 1.5,
    "edit_one_vs_imports": 1.6,
    "nothing_changed_vs_python": 5.0,
}
# Issue 16's targets (its from-scratch target replaces build_vs_bare_time: no regression past 2.2×).
TARGETS_16 = {
    "edit_one_vs_imports": 2.5,  # a tag added to one card, at 10k and at 50k cards
    "edit_one_peak_vs_bare": 1.5,
    "real_edit_vs_imports": 1.6,
    "watch_real_ms": 300,
    "watch_10k_ms": 500,
    "cold_lock_peak_vs_bare": 1.5,
    "build_vs_bare_time": 2.2,
}
ISSUE16_CASES = ("real", "edit", "coldlock", "watch")
ALL_CASES = ("real", "build", "rebuild", "stages", "edit", "coldlock", "watch")


@dataclass
class Sample:
    wall: float  # seconds
    cpu: float  # seconds, user + system
    peak_kb: int  # maximum resident set size (never below the runner's own: see runner_peak_mb)


@dataclass
class Series:
    label: str
    command: list[str]
    samples: list[Sample] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def peak_mb(self) -> float:
        return statistics.median(s.peak_kb for s in self.samples) / 1024


# --- running one command ---------------------------------------------------------------------------
def child_env() -> dict[str, str]:
    """The user's environment, minus what would make the figures unlike a normal run: no bytecode
    cache (some CI images set PYTHONDONTWRITEBYTECODE) and deckgen's debug mode. A fixed hash seed
    makes set and dict orders, and so the work done, the same in every round."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "DECKGEN_DEBUG")}
    env["PYTHONHASHSEED"] = "0"
    return env


def run_once(command: list[str], *, expect_ok: bool = True) -> Sample:
    """One fresh process: wall time, CPU time and peak RSS of exactly that child (wait4)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, env=child_env(), cwd=REPO)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = code = os.waitstatus_to_exitcode(status)
        if expect_ok and code != 0:
            err.seek(0)
            raise RuntimeError(f"{' '.join(command)} exited {code}:\n{err.read().decode(errors='replace')[-3000:]}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


def compare(rounds: int, series: list[Series], prepare: dict[str, Callable[[], None]] | None = None) -> None:
    """Alternate the commands within each round, swapping their order every round; warm up first."""
    prepare = prepare or {}
    for s in series:  # warm-up: bytecode cache, page cache
        prepare.get(s.label, lambda: None)()
        run_once(s.command)
    for r in range(rounds):
        order = series if r % 2 == 0 else list(reversed(series))
        for s in order:
            prepare.get(s.label, lambda: None)()
            s.samples.append(run_once(s.command))
        print(f"    round {r + 1}/{rounds}: " + ", ".join(f"{s.label} {s.samples[-1].wall:.3f}s" for s in series),
              flush=True)


# --- projects ----------------------------------------------------------------------------------------
def synthetic(cards: int) -> Path:
    """The generated project, regenerated only when the generator or deckgen's default templates changed."""
    out = WORK / f"synthetic-{cards}"
    marker = out / ".generated"
    wanted = f"v{generate.GENERATOR_VERSION} cards={cards} templates={_tree_signature(REPO / 'src' / 'deckgen' / 'default_templates')}"
    if not marker.exists() or marker.read_text() != wanted:
        started = time.perf_counter()
        # In another process: a child's peak RSS (wait4) is never below this process's own high-water mark
        # (Linux carries it over the fork and exec), so the runner must stay small.
        subprocess.run([PYTHON, str(HERE / "generate.py"), "--cards", str(cards), "--out", str(out)], check=True,
                       env=child_env(), stdout=subprocess.DEVNULL)
        marker.write_text(wanted)
        size = sum(p.stat().st_size for p in (out / "sources").glob("*.md"))
        print(f"  generated {out.relative_to(REPO)}: {cards:,} cards, {size / 1e6:.1f} MB of sources "
              f"({time.perf_counter() - started:.1f} s)", flush=True)
    return out


def _tree_signature(folder: Path) -> str:
    return ",".join(f"{p.relative_to(folder)}:{p.stat().st_size}:{p.stat().st_mtime_ns}"
                    for p in sorted(folder.rglob("*")) if p.is_file())


def real_copy() -> Path:
    out = WORK / "real"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for part in ("cards", "sources", "templates"):
        if (REPO / part).is_dir():  # no templates/: deckgen's default templates
            shutil.copytree(REPO / part, out / part)
    if (REPO / "deck.lock").exists():
        shutil.copy2(REPO / "deck.lock", out / "deck.lock")
    return out


def clean_build(project: Path) -> None:
    shutil.rmtree(project / "build", ignore_errors=True)
    (project / "deck.lock").unlink(missing_ok=True)


def deckgen(project: Path, *args: str) -> list[str]:
    return [PYTHON, "-m", "deckgen", "--project", str(project), *args]


class OneCardEditor:
    """Edits the first question/answer card of a project, and undoes the edit, in turn.

    `wording`: the answer loses (then regains) its final full stop, an edit of plain text.
    `emphasis`: one word of the answer gets *emphasis* (then loses it), so markdown-it has work to do.
    `tag`: a card's tag list gains (then loses) `high-yield`, a tag lint allows on any card.
    Either way the card changes and stays valid, so every build is a real one.
    """

    def __init__(self, project: Path, kind: str = "wording"):
        pattern = {"wording": r"(?m)^    answer: \"?[^\n]*?(\.)\"?$",
                   "emphasis": r"(?m)^    answer: \"?\w+ (\w+)",
                   "tag": r"(?m)^    tags: \[(?![^\]\n]*high-yield)[^\]\n]+()\]$"}[kind]
        for path in sorted((project / "cards").glob("*.yaml")):
            text = path.read_text(encoding="utf-8")
            match = re.search(pattern, text)
            if match:
                start, end = match.span(1)
                replacement = {"wording": "", "emphasis": f"*{match.group(1)}*", "tag": ", high-yield"}[kind]
                self.path, self.original = path, text
                self.edited = text[:start] + replacement + text[end:]
                break
        else:
            raise RuntimeError(f"no card to edit ({kind}) in {project}/cards")
        self.toggle = False

    def __call__(self) -> None:
        self.toggle = not self.toggle
        self.path.write_text(self.edited if self.toggle else self.original, encoding="utf-8")

    def restore(self) -> None:
        self.path.write_text(self.original, encoding="utf-8")


# --- the cases -----------------------------------------------------------------------------------------
def case_build_vs_bare(cards: int, rounds: int) -> dict:
    project = synthetic(cards)
    bare_out = WORK / f"bare-{cards}.apkg"
    floor_out = WORK / f"floor-{cards}.apkg"
    build = Series("deckgen build", deckgen(project, "build"))
    bare = Series("bare genanki", [PYTHON, str(HERE / "bare_genanki.py"), str(project), str(bare_out)])
    floor = Series("floor", [PYTHON, str(HERE / "floor_genanki.py"), str(project), str(floor_out)])
    print(f"  {cards:,} cards: deckgen build (from scratch) vs bare genanki vs floor, {rounds} rounds", flush=True)
    compare(rounds, [build, bare, floor], {build.label: lambda: clean_build(project),
                                           bare.label: lambda: bare_out.unlink(missing_ok=True),
                                           floor.label: lambda: floor_out.unlink(missing_ok=True)})
    return {"cards": cards, "deckgen": _figures(build), "bare": _figures(bare), "floor": _figures(floor),
            "time_ratio": build.wall / bare.wall, "cpu_ratio": build.cpu / bare.cpu,
            "memory_ratio": build.peak_mb / bare.peak_mb,
            "floor_time_ratio": floor.wall / bare.wall, "vs_floor_time_ratio": build.wall / floor.wall,
            "source_mb": sum(p.stat().st_size for p in (project / "sources").glob("*.md")) / 1e6}


def case_synthetic_rebuilds(cards: int, rounds: int) -> dict:
    project = synthetic(cards)
    clean_build(project)
    run_once(deckgen(project, "build"))
    editor = OneCardEditor(project)
    edit = Series("build after editing one card", deckgen(project, "build"))
    check = Series("check", deckgen(project, "check"))
    print(f"  {cards:,} cards: rebuild after editing one card, and check alone, {rounds} rounds", flush=True)
    compare(rounds, [edit, check], {edit.label: editor})
    editor.restore()
    return {"cards": cards, "edit_one": _figures(edit), "check": _figures(check)}


def case_real_deck(rounds: int) -> dict:
    project = real_copy()
    checked = subprocess.run(deckgen(project, "check"), capture_output=True, text=True, env=child_env())
    if checked.returncode != 0:
        print("  the real deck does not pass `deckgen check` right now; its cases are skipped:\n"
              + checked.stderr[-2000:], flush=True)
        return {"skipped": checked.stderr.strip().splitlines()[-1] if checked.stderr.strip() else "check failed"}
    cards = int(re.search(r"(\d+) cards", checked.stdout).group(1))
    run_once(deckgen(project, "build"))
    result: dict = {"cards": cards}

    for kind in ("wording", "emphasis"):
        imports = Series("import genanki, jinja2, yaml", [PYTHON, "-c", "import genanki, jinja2, yaml"])
        editor = OneCardEditor(project, kind)
        edit = Series(f"build after editing {kind}", deckgen(project, "build"))
        print(f"  real deck ({cards} cards): rebuild after one card's {kind} is edited vs the imports, "
              f"{rounds} rounds", flush=True)
        compare(rounds, [edit, imports], {edit.label: editor})
        editor.restore()
        result[f"edit_{kind}"] = _figures(edit)
        result[f"imports_{kind}"] = _figures(imports)
        result[f"edit_{kind}_ratio"] = edit.wall / imports.wall
        result[f"edit_{kind}_cpu_ratio"] = edit.cpu / imports.cpu

    run_once(deckgen(project, "build"))  # a real build of the current state, which records the stamp
    empty = Series("python -c pass", [PYTHON, "-c", "pass"])
    unchanged = Series("build, nothing changed", deckgen(project, "build"))
    print(f"  real deck: rebuild with nothing changed vs an empty Python start, {rounds * 2} rounds", flush=True)
    compare(rounds * 2, [unchanged, empty])
    check = Series("check", deckgen(project, "check"))
    print(f"  real deck: check alone, {rounds} rounds", flush=True)
    compare(rounds, [check])
    result.update({"python": _figures(empty), "unchanged": _figures(unchanged),
                   "unchanged_ratio": unchanged.wall / empty.wall, "unchanged_cpu_ratio": unchanged.cpu / empty.cpu,
                   "check": _figures(check)})
    return result


def case_stages(cards: int, rounds: int) -> dict:
    """Medians of each stage's time inside one build process (benchmarks/stages.py)."""
    project = synthetic(cards)
    print(f"  {cards:,} cards: time per stage, {rounds} rounds", flush=True)
    runs = []
    for _ in range(rounds):
        done = subprocess.run([PYTHON, str(HERE / "stages.py"), str(project)], capture_output=True, text=True,
                              env=child_env(), cwd=REPO)
        if done.returncode != 0:
            print("    stage timing unavailable:\n" + done.stderr[-1500:], flush=True)
            return {"cards": cards, "failed": _last_line(done.stderr)}
        runs.append(json.loads(done.stdout))
    return {"cards": cards, "stages": {name: statistics.median(run[name] for run in runs) for name in runs[0]}}


def _last_line(stderr: str) -> str:
    """What a benchmark's helper script failed with (its traceback's last line), for the report: a table left out
    without a word made session 16's report lose its step timings unseen."""
    lines = stderr.strip().splitlines()
    return lines[-1] if lines else "no output"


def case_edit_one_tag(cards: int, rounds: int) -> dict:
    """Issue 16: a rebuild after adding a tag to one card, beside the imports and the bare script."""
    project = synthetic(cards)
    clean_build(project)
    run_once(deckgen(project, "build"))
    editor = OneCardEditor(project, "tag")
    bare_out = WORK / f"bare-{cards}.apkg"
    edit = Series("build after adding a tag to one card", deckgen(project, "build"))
    imports = Series("import genanki, jinja2, yaml", [PYTHON, "-c", "import genanki, jinja2, yaml"])
    bare = Series("bare genanki", [PYTHON, str(HERE / "bare_genanki.py"), str(project), str(bare_out)])
    print(f"  {cards:,} cards: rebuild after adding a tag to one card vs the imports vs bare genanki, "
          f"{rounds} rounds", flush=True)
    compare(rounds, [edit, imports, bare], {edit.label: editor, bare.label: lambda: bare_out.unlink(missing_ok=True)})
    editor.restore()
    return {"cards": cards, "edit": _figures(edit), "imports": _figures(imports), "bare": _figures(bare),
            "time_vs_imports": edit.wall / imports.wall, "cpu_vs_imports": edit.cpu / imports.cpu,
            "peak_vs_bare": edit.peak_mb / bare.peak_mb, "time_vs_bare": edit.wall / bare.wall}


def case_cold_lock(cards: int, rounds: int) -> dict:
    """Issue 16: a build from a fresh clone (the committed deck.lock, an empty build/) beside the bare script."""
    project = synthetic(cards)
    clean_build(project)
    run_once(deckgen(project, "build"))
    lock = (project / "deck.lock").read_bytes()

    def fresh_clone() -> None:
        shutil.rmtree(project / "build", ignore_errors=True)
        (project / "deck.lock").write_bytes(lock)

    bare_out = WORK / f"bare-{cards}.apkg"
    cold = Series("build, committed deck.lock, empty build/", deckgen(project, "build"))
    scratch = Series("build from scratch", deckgen(project, "build"))
    bare = Series("bare genanki", [PYTHON, str(HERE / "bare_genanki.py"), str(project), str(bare_out)])
    print(f"  {cards:,} cards: build with the committed deck.lock and an empty build/ vs from scratch vs bare "
          f"genanki, {rounds} rounds", flush=True)
    compare(rounds, [cold, scratch, bare], {cold.label: fresh_clone, scratch.label: lambda: clean_build(project),
                                            bare.label: lambda: bare_out.unlink(missing_ok=True)})
    fresh_clone()
    return {"cards": cards, "cold": _figures(cold), "scratch": _figures(scratch), "bare": _figures(bare),
            "lock_mb": len(lock) / 2**20, "peak_vs_bare": cold.peak_mb / bare.peak_mb,
            "time_vs_bare": cold.wall / bare.wall, "scratch_time_vs_bare": scratch.wall / bare.wall,
            "scratch_peak_vs_bare": scratch.peak_mb / bare.peak_mb}


def case_watch(saves: int) -> dict:
    """Issue 16: `deckgen watch`, from saving a card file to the replaced .apkg (benchmarks/watch_latency.py)."""
    result: dict = {"quiet_ms": _watch_quiet_ms()}
    for key, project in (("real", real_copy()), ("synthetic_10000", synthetic(10_000))):
        editor = OneCardEditor(project)
        print(f"  deckgen watch on {project.relative_to(REPO)}: {saves} saves of one card's answer", flush=True)
        try:
            result[key] = watch_latency.measure(project, saves, editor, env=child_env(),
                                                log=lambda text: print(text, flush=True))
        except RuntimeError as exc:
            print(f"    skipped: {exc}", flush=True)
            result[key] = {"skipped": str(exc).splitlines()[0]}
        finally:
            editor.restore()
    return result


def _watch_quiet_ms() -> int | None:
    """The watch's debounce (how long a burst must stay quiet), as deckgen in use defines it."""
    done = subprocess.run([PYTHON, "-c", "from deckgen import watch; print(watch.QUIET_MS)"], capture_output=True,
                          text=True, env=child_env())
    return int(done.stdout) if done.returncode == 0 and done.stdout.strip().isdigit() else None


def case_edit_stages(cards: int, rounds: int) -> dict:
    """The time of each step of a rebuild after adding a tag to one card (benchmarks/stages.py --edit)."""
    project = synthetic(cards)
    print(f"  {cards:,} cards: rebuild after adding a tag to one card, time per step, {rounds} rounds", flush=True)
    runs = []
    for _ in range(rounds):
        done = subprocess.run([PYTHON, str(HERE / "stages.py"), "--edit", str(project)], capture_output=True,
                              text=True, env=child_env(), cwd=REPO)
        if done.returncode != 0:
            print("    step timing unavailable:\n" + done.stderr[-1500:], flush=True)
            return {"cards": cards, "failed": _last_line(done.stderr)}
        runs.append(json.loads(done.stdout))
    return {"cards": cards, "stages": {name: statistics.median(run.get(name, 0.0) for run in runs)
                                       for name in runs[0]}}


def runner_peak_mb() -> float:
    """This process's RSS high-water mark. Linux carries it into each child's ru_maxrss over fork and exec,
    so a measured peak at or near it says more about the runner than about the command."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _figures(series: Series) -> dict:
    return {"wall": series.wall, "cpu": series.cpu, "peak_mb": series.peak_mb, "rounds": len(series.samples),
            "walls": [s.wall for s in series.samples]}


# --- reporting -------------------------------------------------------------------------------------------
def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f"{kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, AttributeError):
        pass
    versions = subprocess.run(
        [PYTHON, "-c", "import importlib.metadata as m, yaml; "
                       "print(' '.join(f'{p} {m.version(p)}' for p in ('genanki', 'jinja2', 'pyyaml', "
                       "'markdown-it-py')), 'libyaml' if yaml.__with_libyaml__ else 'no-libyaml')"],
        capture_output=True, text=True, env=child_env()).stdout.strip()
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": memory, "os": platform.platform(),
            "python": platform.python_version(), "packages": versions,
            "date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M")}


def _ms(seconds: float) -> str:
    return f"{1000 * seconds:.0f} ms"


def _verdict(value: float, target: float) -> str:
    return f"{value:.2f}× (target ≤ {target}×: {'met' if value <= target else 'MISSED'})"


def report(results: dict) -> str:
    m = results["machine"]
    lines = [
        "# deckgen benchmark results",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}; {m['os']}; Python {m['python']}; {m['packages']}.",
        f"Run {m['date']} with `{COMMAND}` ({'quick' if results['quick'] else 'full'} run). "
        "Medians of fresh processes, alternated; wall time, CPU time (user+sys), peak RSS.",
        "",
        "## `deckgen build` from scratch vs a bare genanki script writing the same notes",
        "",
        "| cards | sources | deckgen build | bare genanki | time ratio | CPU ratio | deckgen peak | bare peak "
        "| memory ratio |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results["build_vs_bare"]:
        d, b = row["deckgen"], row["bare"]
        lines.append(f"| {row['cards']:,} | {row['source_mb']:.1f} MB | {d['wall']:.2f} s | {b['wall']:.2f} s | "
                     f"{row['time_ratio']:.2f}× | {row['cpu_ratio']:.2f}× | {d['peak_mb']:.0f} MB | "
                     f"{b['peak_mb']:.0f} MB | {row['memory_ratio']:.2f}× |")
    floors = [row for row in results["build_vs_bare"] if "floor" in row]
    if floors:
        lines += ["", "### The floor: the bare script plus the least the requirements add",
                  "",
                  "`benchmarks/floor_genanki.py` is the bare script plus, each done the cheapest way, what a "
                  "source-checked, templated, re-importable deck cannot skip: normalising the sources, finding "
                  "every quote in its document, rendering each note's Sources field with Jinja, and writing a "
                  "lock. It has no located errors, no answer-to-quote check, no lint and no memo. No tool should "
                  "be this thin; it shows how much of the ratio any implementation of the requirements pays.",
                  "",
                  "| cards | floor | floor vs bare | deckgen vs floor | floor peak |", "|---:|---:|---:|---:|---:|"]
        for row in floors:
            f = row["floor"]
            lines.append(f"| {row['cards']:,} | {f['wall']:.2f} s | {row['floor_time_ratio']:.2f}× | "
                         f"{row['vs_floor_time_ratio']:.2f}× | {f['peak_mb']:.0f} MB |")
    series = results["build_vs_bare"]
    if len(series) > 1:
        lines += ["", "Cost per card (deckgen wall time / cards): " + ", ".join(
            f"{row['cards']:,}: {1e6 * row['deckgen']['wall'] / row['cards']:.0f} µs" for row in series)
            + " — linear growth keeps this flat."]
    lines += ["", "## Rebuilds and checks", "", "| case | time | CPU | peak | compared with | ratio |",
              "|---|---:|---:|---:|---|---:|"]
    for row in results["synthetic_rebuilds"]:
        n = f"{row['cards']:,} synthetic cards"
        for key, label in (("edit_one", "build after editing one card"), ("check", "`deckgen check`")):
            f = row[key]
            lines.append(f"| {n}: {label} | {f['wall']:.2f} s | {f['cpu']:.2f} s | {f['peak_mb']:.0f} MB | | |")
    real = results["real_deck"]
    if real.get("skipped"):
        lines.append(f"| real deck: skipped ({real['skipped']}) | | | | | |")
    elif real:
        n = f"real deck ({real['cards']} cards)"
        p = real["python"]
        for kind, label in (("wording", "build after editing one card's wording"),
                            ("emphasis", "build after adding *emphasis* to one card")):
            f, i = real[f"edit_{kind}"], real[f"imports_{kind}"]
            lines.append(f"| {n}: {label} | {_ms(f['wall'])} | {_ms(f['cpu'])} | {f['peak_mb']:.0f} MB | "
                         f"`import genanki, jinja2, yaml`: {_ms(i['wall'])} ({_ms(i['cpu'])} CPU) | "
                         f"{real[f'edit_{kind}_ratio']:.2f}× ({real[f'edit_{kind}_cpu_ratio']:.2f}× CPU) |")
        f = real["unchanged"]
        lines.append(f"| {n}: build, nothing changed | {_ms(f['wall'])} | {_ms(f['cpu'])} | {f['peak_mb']:.0f} MB | "
                     f"`python -c pass`: {_ms(p['wall'])} ({_ms(p['cpu'])} CPU) | "
                     f"{real['unchanged_ratio']:.2f}× ({real['unchanged_cpu_ratio']:.2f}× CPU) |")
        f = real["check"]
        lines.append(f"| {n}: `deckgen check` | {_ms(f['wall'])} | {_ms(f['cpu'])} | {f['peak_mb']:.0f} MB | | |")
    if results.get("stages", {}).get("failed"):
        lines += ["", f"**The stage timing failed** (`benchmarks/stages.py`): {results['stages']['failed']}"]
    elif results.get("stages"):
        st = results["stages"]
        bare = next((row["bare"] for row in results["build_vs_bare"] if row["cards"] == st["cards"]), None)
        total = sum(st["stages"].values())
        lines += ["", f"## Where a from-scratch build of {st['cards']:,} cards spends its time", "",
                  "One process, stage by stage as `deckgen check` runs them, then writing (`benchmarks/stages.py`, "
                  "medians of 3; imports exclude interpreter start-up). A build reads the sources, traces and "
                  "renders document by document instead, so those three are interleaved there.", "",
                  "| stage | time | share |", "|---|---:|---:|"]
        for name, seconds in st["stages"].items():
            lines.append(f"| {name} | {seconds:.2f} s | {100 * seconds / total:.0f}% |")
        lines.append(f"| **total** | **{total:.2f} s** | |")
        if bare:
            lines.append(f"| *the bare genanki script, whole process* | *{bare['wall']:.2f} s* | |")
    lines += ["", "## Targets", ""]
    for row in results["build_vs_bare"]:
        if row["cards"] == 10_000:
            lines.append(f"- 10,000 cards, build vs bare genanki, time: "
                         f"{_verdict(row['time_ratio'], TARGETS['build_vs_bare_time'])}")
            if "floor" in row:
                lines.append(f"  (the floor script alone: {row['floor_time_ratio']:.2f}× the bare script)")
            lines.append(f"- 10,000 cards, build vs bare genanki, peak memory: "
                         f"{_verdict(row['memory_ratio'], TARGETS['build_vs_bare_memory'])}")
    if real and not real.get("skipped"):
        for kind in ("wording", "emphasis"):
            lines.append(f"- real deck, rebuild after one card's {kind} is edited vs importing genanki, jinja2, yaml: "
                         f"{_verdict(real[f'edit_{kind}_ratio'], TARGETS['edit_one_vs_imports'])}")
        lines.append(f"- real deck, rebuild with nothing changed vs an empty Python start: "
                     f"{_verdict(real['unchanged_ratio'], TARGETS['nothing_changed_vs_python'])}")
    for key in results:
        if (key == "issue16" or key.startswith("Issue 16")) and results[key]:
            lines += ["", issue16_section(results[key], BASELINE if key == "issue16" else key).rstrip("\n")]
    return "\n".join(lines) + "\n"


def _met(value: float, target: float) -> str:
    return "met" if value <= target else "**missed**"


def _dist_ms(d: dict) -> str:
    return " | ".join(f"{1000 * d[k]:.0f} ms" for k in ("min", "median", "p90", "max"))


BASELINE = "Issue 16 baseline"


def issue16_section(r: dict, title: str = BASELINE) -> str:
    """The section `title` ("Issue 16 baseline"): each of issue 16's targets beside what it is compared with."""
    m, t = r["machine"], TARGETS_16
    rounds = "; ".join(f"{row['edit']['rounds']} at {row['cards']:,} cards" for row in r.get("edit", []))
    lines = [
        f"## {title}",
        "",
        f"Run {m['date']} with `{r['command']}`{' on ' + r['source'] if r.get('source') else ''}. "
        f"{m['cpu']}, {m['cores']} cores, {m['memory']}; Python {m['python']}; {m['packages']}. "
        "Medians of fresh processes, the compared commands alternated within each round"
        + (f" (rounds: {rounds})" if rounds else "") + "; peak memory is the process's RSS "
        "high-water mark (wait4), in MiB" + _runner_note(r)
        + ". The machine's 2 cores are shared with other workers' jobs, so figures are noisy: compare the "
        "ratios within this run rather than seconds across runs.",
        "",
        "| issue 16 target | measured | compared with | ratio | target | |",
        "|---|---:|---|---:|---:|---|",
    ]
    for row in r.get("edit", []):
        n, e, i, b = f"{row['cards']:,}", row["edit"], row["imports"], row["bare"]
        lines.append(f"| one-card edit (a tag added), {n} cards: time | {e['wall']:.2f} s | "
                     f"`import genanki, jinja2, yaml`: {_ms(i['wall'])} | {row['time_vs_imports']:.1f}× | "
                     f"≤ {t['edit_one_vs_imports']}× | {_met(row['time_vs_imports'], t['edit_one_vs_imports'])} |")
        lines.append(f"| one-card edit, {n} cards: peak memory | {e['peak_mb']:.0f} MiB | "
                     f"bare genanki script: {b['peak_mb']:.0f} MiB | {row['peak_vs_bare']:.2f}× | "
                     f"≤ {t['edit_one_peak_vs_bare']}× | {_met(row['peak_vs_bare'], t['edit_one_peak_vs_bare'])} |")
    real = r.get("real_deck") or {}
    if real.get("skipped"):
        lines.append(f"| real deck, one card edited | skipped: {real['skipped']} | | | | |")
    elif real:
        for kind, label in (("wording", "one card's wording edited"), ("emphasis", "*emphasis* added to one card")):
            ratio = real[f"edit_{kind}_ratio"]
            lines.append(f"| real deck ({real['cards']} cards), {label} | {_ms(real[f'edit_{kind}']['wall'])} | "
                         f"`import genanki, jinja2, yaml`: {_ms(real[f'imports_{kind}']['wall'])} | {ratio:.2f}× | "
                         f"≤ {t['real_edit_vs_imports']}× | {_met(ratio, t['real_edit_vs_imports'])} |")
    watch = r.get("watch") or {}
    for key, label, target in (("real", "real deck", t["watch_real_ms"]),
                               ("synthetic_10000", "10,000 cards", t["watch_10k_ms"])):
        w = watch.get(key)
        if not w:
            continue
        if w.get("skipped"):
            lines.append(f"| `deckgen watch`, {label} | skipped: {w['skipped']} | | | | |")
            continue
        median = 1000 * w["latency"]["median"]
        lines.append(f"| `deckgen watch`, {label}: save → replaced .apkg, debounce included (median of "
                     f"{w['latency']['n']}) | {median:.0f} ms | | | ≤ {target} ms | {_met(median, target)} |")
    cold = r.get("coldlock")
    if cold:
        lines.append(f"| build with the committed deck.lock, empty build/, {cold['cards']:,} cards: peak memory | "
                     f"{cold['cold']['peak_mb']:.0f} MiB | bare genanki script: {cold['bare']['peak_mb']:.0f} MiB | "
                     f"{cold['peak_vs_bare']:.2f}× | ≤ {t['cold_lock_peak_vs_bare']}× | "
                     f"{_met(cold['peak_vs_bare'], t['cold_lock_peak_vs_bare'])} |")
    scratch = [(row["deckgen"]["wall"], row["bare"]["wall"], row["time_ratio"])
               for row in r.get("build_vs_bare", []) if row["cards"] == 10_000]
    if cold and cold["cards"] == 10_000 and "scratch" in cold:
        scratch.append((cold["scratch"]["wall"], cold["bare"]["wall"], cold["scratch_time_vs_bare"]))
    for build, bare, ratio in scratch:
        lines.append(f"| from scratch (no build/, no deck.lock), 10,000 cards: time | {build:.2f} s | "
                     f"bare genanki script: {bare:.2f} s | {ratio:.2f}× | ≤ {t['build_vs_bare_time']}× | "
                     f"{_met(ratio, t['build_vs_bare_time'])} |")

    if r.get("edit"):
        lines += ["", "### One-card edit, in full", "",
                  "`deckgen build` after a tag is added to one card (`high-yield`, then removed again in the next "
                  "round), beside `python -c \"import genanki, jinja2, yaml\"` and the bare genanki script's whole "
                  "build of the same project.", "",
                  "| cards | rebuild | CPU | peak | imports | imports peak | bare genanki | bare peak "
                  "| rebuild ÷ imports | rebuild ÷ bare (time) | rebuild ÷ bare (peak) |",
                  "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for row in r["edit"]:
            e, i, b = row["edit"], row["imports"], row["bare"]
            lines.append(f"| {row['cards']:,} | {e['wall']:.2f} s | {e['cpu']:.2f} s | {e['peak_mb']:.0f} MiB | "
                         f"{_ms(i['wall'])} | {i['peak_mb']:.0f} MiB | {b['wall']:.2f} s | {b['peak_mb']:.0f} MiB | "
                         f"{row['time_vs_imports']:.1f}× | {row['time_vs_bare']:.2f}× | {row['peak_vs_bare']:.2f}× |")
    steps = [row for row in r.get("edit_stages", []) if row.get("stages")]
    for row in r.get("edit_stages", []):
        if row.get("failed"):
            lines += ["", f"**The step timing at {row['cards']:,} cards failed** (`benchmarks/stages.py --edit`): "
                          f"{row['failed']}"]
    if steps:
        names = list(dict.fromkeys(name for row in steps for name in row["stages"]))
        lines += ["", "### Where a one-card rebuild spends its time", "",
                  "`benchmarks/stages.py --edit`: one process makes the rebuild step by step as `deckgen build` "
                  "does (cli._build, then delta.build), after a `deckgen build` of a scratch copy, a tag added "
                  "to one card and a rebuild (which writes the package anew, stored: every later rebuild patches it "
                  "in place), then the tag taken off again; the delta rebuild's steps are timed by wrapping its "
                  "functions. The scratch "
                  "copy's files were all written within 2 s of the state's recording, so every input is read "
                  "again (the stats step), as it would not be in an author's project. Medians of 3; imports "
                  "exclude interpreter start-up.", "",
                  "| step | " + " | ".join(f"{row['cards']:,} cards" for row in steps) + " |",
                  "|---|" + "---:|" * len(steps)]
        for name in names:
            lines.append(f"| {name} | " + " | ".join(f"{row['stages'].get(name, 0.0):.3f} s" for row in steps) + " |")
        lines.append("| **total** | " + " | ".join(f"**{sum(row['stages'].values()):.2f} s**" for row in steps) + " |")
    if any(isinstance(watch.get(k), dict) and "latency" in watch[k] for k in ("real", "synthetic_10000")):
        quiet = watch.get("quiet_ms")
        lines += ["", "### `deckgen watch`: from a save to the replaced .apkg", "",
                  "`benchmarks/watch_latency.py` starts `deckgen watch` (a fresh process), waits for its first build, "
                  "then saves one card file again and again (one card's answer loses, then regains, its final full "
                  "stop), polling the .apkg's inode, mtime and size every 5 ms until it is replaced; after each "
                  "build's summary line, a quiet gap of 1 s. **The figures include the watch's debounce**: it "
                  f"builds once a burst of changes has been quiet for QUIET_MS = {quiet if quiet else '?'} ms "
                  "(src/deckgen/watch.py; watchfiles looks at the gathered changes once per such step, so a save "
                  "waits between one and two steps before the build starts). Split by the time the watch's "
                  "`changed: ...; rebuilding` line arrives (printed just before it builds): *wait* is the save to "
                  "that line (file-system events and the debounce), *build to .apkg* the rest; *whole build* is the "
                  "build's time as the watch prints it (to 10 ms), which includes writing the lock and the memo "
                  "after the .apkg is replaced.", "",
                  "| project | saves | min | median | p90 | max | wait (median) | build to .apkg (median) "
                  "| whole build (median) |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for key, label in (("real", "real deck"), ("synthetic_10000", "10,000 synthetic cards")):
            w = watch.get(key)
            if not w or w.get("skipped"):
                continue
            parts = [_ms(w[part]["median"]) if w.get(part) else "" for part in ("wait", "to_apkg", "build")]
            lines.append(f"| {label} | {w['latency']['n']} | {_dist_ms(w['latency'])} | {' | '.join(parts)} |")
    if cold:
        lines += ["", "### Build from a fresh clone (the committed deck.lock, an empty build/)", "",
                  f"The deck.lock of a build of this project ({cold['lock_mb']:.1f} MiB) is put back and build/ "
                  "removed before each such build; beside it, in the same rounds, a build from scratch (no build/, "
                  "no deck.lock) and the bare genanki script.", "",
                  "| cards | build | time | CPU | peak | ÷ bare (time) | ÷ bare (peak) |",
                  "|---:|---|---:|---:|---:|---:|---:|"]
        for key, label in (("cold", "committed deck.lock, empty build/"), ("scratch", "from scratch"),
                           ("bare", "bare genanki script")):
            if key not in cold:
                continue
            f, b = cold[key], cold["bare"]
            lines.append(f"| {cold['cards']:,} | {label} | {f['wall']:.2f} s | {f['cpu']:.2f} s | {f['peak_mb']:.0f} MiB | "
                         f"{f['wall'] / b['wall']:.2f}× | {f['peak_mb'] / b['peak_mb']:.2f}× |")
    return "\n".join(lines) + "\n"


def _command_line(argv: list[str]) -> str:
    """The command as run, less --source (the report shows its text separately)."""
    shown, skip = [], False
    for arg in argv:
        if skip or arg.startswith("--source="):
            skip = False
            continue
        if arg == "--source":
            skip = True
            continue
        shown.append(arg)
    return " ".join([COMMAND, *(shlex.quote(arg) for arg in shown)])


def _runner_note(r: dict) -> str:
    """Whether the runner's own peak RSS (a floor under every child's figure) could have raised any figure."""
    if not r.get("runner_peak_mb"):
        return ""
    peaks = [row[k]["peak_mb"] for row in r.get("edit", []) for k in ("edit", "bare")]  # the ones in ratios
    peaks += [r["coldlock"][k]["peak_mb"] for k in ("cold", "scratch", "bare") if k in (r.get("coldlock") or {})]
    floor = r["runner_peak_mb"]
    if peaks and min(peaks) > 1.05 * floor:
        return (f"; every peak in a ratio is well above the runner's own ({floor:.0f} MiB), which on Linux is a "
                "floor under a child's figure")
    return (f"; **the runner's own peak ({floor:.0f} MiB) is a floor under a child's figure on Linux, and some "
            "peaks in ratios are at or near it: those are overstated**")


# Sections of results.md written by hand, not from results.json: a full run or --report-only keeps them.
HAND_WRITTEN = ("Issue 16 — shortcuts",)


def with_hand_written(text: str) -> str:
    """`text` (a whole new results.md) with the hand-written sections of the current results.md appended."""
    path = HERE / "results.md"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    for title in HAND_WRITTEN:
        start = old.find(f"\n## {title}\n")
        if start >= 0 and f"\n## {title}\n" not in text:
            end = old.find("\n## ", start + 1)
            text = text.rstrip("\n") + "\n\n" + old[start + 1:end if end >= 0 else len(old)].rstrip("\n") + "\n"
    return text


def splice_section(text: str, section: str, title: str = BASELINE) -> str:
    """`text` with its "## `title`" section replaced by `section` (or `section` appended)."""
    start = text.find(f"\n## {title}\n")
    if start < 0:
        return text.rstrip("\n") + "\n\n" + section
    end = text.find("\n## ", start + 1)
    return text[:start + 1] + section + (text[end:] if end >= 0 else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="deckgen's benchmarks (see the module docstring)")
    parser.add_argument("--quick", action="store_true", help="1k and 10k cards only, fewer rounds")
    parser.add_argument("--sizes", default="", help="comma-separated card counts (default 1000,10000,50000)")
    parser.add_argument("--rounds", type=int, default=0, help="rounds per case (default 5; 3 at 50k)")
    parser.add_argument("--cases", default=",".join(ALL_CASES),
                        help=f"which cases to run (default all: {','.join(ALL_CASES)}; "
                             f"issue16 = {','.join(ISSUE16_CASES)})")
    parser.add_argument("--saves", type=int, default=21, help="saves per project in the watch case (default 21)")
    parser.add_argument("--source", default="", help="what was measured, for the report (e.g. a clean export of a commit)")
    parser.add_argument("--section", default=BASELINE,
                        help=f"the section of results.md (and key of results.json) that issue 16's cases alone "
                             f"replace (default {BASELINE!r}; its key: 'issue16')")
    parser.add_argument("--report-only", action="store_true",
                        help="write results.md again from results.json, without running anything")
    args = parser.parse_args(argv)
    if args.report_only:
        (HERE / "results.md").write_text(with_hand_written(report(json.loads((HERE / "results.json").read_text()))),
                                         encoding="utf-8")
        return 0
    cases = set(args.cases.replace("issue16", ",".join(ISSUE16_CASES)).split(",")) - {""}
    if cases - set(ALL_CASES):
        parser.error(f"unknown cases: {', '.join(sorted(cases - set(ALL_CASES)))}")
    sizes = [int(s) for s in args.sizes.split(",") if s] or ([1000, 10_000] if args.quick else [1000, 10_000, 50_000])
    rounds = args.rounds or (3 if args.quick else 5)
    WORK.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()

    results: dict = {"machine": machine(), "quick": args.quick, "targets": TARGETS}
    print(f"deckgen benchmarks on {results['machine']['cpu']} ({results['machine']['cores']} cores)", flush=True)
    results["real_deck"] = case_real_deck(rounds) if "real" in cases else {}
    results["build_vs_bare"] = [case_build_vs_bare(n, rounds if n <= 10_000 else max(1, min(rounds, 3)))
                                for n in sizes] if "build" in cases else []
    results["synthetic_rebuilds"] = [case_synthetic_rebuilds(n, rounds)
                                     for n in sizes if n == 10_000] if "rebuild" in cases else []
    results["stages"] = case_stages(10_000, 3) if "stages" in cases and 10_000 in sizes else {}
    if cases & set(ISSUE16_CASES):
        edit_sizes = [n for n in sizes if n >= 10_000]
        results["issue16"] = {
            "machine": results["machine"], "source": args.source, "targets": TARGETS_16,
            "command": _command_line(sys.argv[1:] if argv is None else argv),
            "real_deck": results["real_deck"],
            "edit": [case_edit_one_tag(n, rounds if n <= 10_000 else max(1, min(rounds, 3))) for n in edit_sizes]
                    if "edit" in cases else [],
            "edit_stages": [case_edit_stages(n, 3) for n in edit_sizes] if "edit" in cases else [],
            "coldlock": case_cold_lock(10_000, rounds) if "coldlock" in cases else {},
            "watch": case_watch(args.saves) if "watch" in cases else {},
            "build_vs_bare": results["build_vs_bare"],
        }
        results["issue16"]["runner_peak_mb"] = runner_peak_mb()
    results["seconds"] = time.perf_counter() - started

    if cases <= set(ISSUE16_CASES) and (HERE / "results.md").exists() and (HERE / "results.json").exists():
        # issue 16's cases alone: only their section and key change; the rest is the last full run's
        key = "issue16" if args.section == BASELINE else args.section
        text = issue16_section(results["issue16"], args.section)
        (HERE / "results.md").write_text(splice_section((HERE / "results.md").read_text(encoding="utf-8"), text,
                                                        args.section), encoding="utf-8")
        earlier = json.loads((HERE / "results.json").read_text(encoding="utf-8"))
        earlier[key] = results["issue16"]
        (HERE / "results.json").write_text(json.dumps(earlier, indent=1) + "\n", encoding="utf-8")
    else:
        text = report(results)
        (HERE / "results.md").write_text(with_hand_written(text), encoding="utf-8")
        (HERE / "results.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print()
    print(text)
    print(f"(written to benchmarks/results.md and benchmarks/results.json; {results['seconds'] / 60:.1f} min)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
