"""What a shortcut buys: issue 16's target cases run with two (or more) versions of deckgen, side by side.

    .venv/bin/python benchmarks/shortcuts.py --variant with=SRC_A --variant without=SRC_B \\
        [--cases edit10k,real,nochange,scratch10k,watch] [--rounds 7] [--saves 9]

Each SRC is a folder holding a `deckgen` package (a copy of src/, e.g. `git archive COMMIT src | tar -x`),
put first on PYTHONPATH for that variant's commands. Every variant gets its own copies of the projects
(its own build/, memo and stamp), made at the start from the same inputs, so all variants build the same
deck. Within each round the variants' commands alternate, in an order rotated every round; each figure
is a fresh process (`python -m deckgen ...`), and the report gives medians (wall, CPU, peak RSS) per
variant and each variant's wall time relative to the first.

Cases (issue 16's targets):
  edit10k     synthetic 10k cards (benchmarks/generate.py): rebuild after adding a tag to one card
  edit50k     the same at 50k cards
  real        a copy of this repository's deck: rebuild after one answer's wording is edited
  realemph    the same copy: rebuild after one word of an answer gets *emphasis* (then loses it)
  nochange    the same copy: rebuild with nothing changed
  scratch10k  synthetic 10k: build from scratch (no build/, no deck.lock)
  coldlock10k synthetic 10k: build with the deck.lock the variant's own build wrote but an empty build/
              (a fresh clone, CI); each variant's lock is made once, by that variant, and put back each round
  watch       `deckgen watch` on the real deck copy and on synthetic 10k: save to replaced .apkg
              (benchmarks/watch_latency.py; the variants take turns, one watch after another)
  stages10k   synthetic 10k from scratch, the CPU time (time.process_time) of each stage inside one build
              (benchmarks/stages.py, run with each tree in turn): finer than the CLI's figures where one
              part of the build is concerned
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run  # noqa: E402
import watch_latency  # noqa: E402

PYTHON = sys.executable
CASES = ("edit10k", "edit50k", "real", "realemph", "nochange", "scratch10k", "coldlock10k", "watch", "stages10k")


def env_for(src: Path) -> dict[str, str]:
    env = run.child_env()
    env["PYTHONPATH"] = str(src)
    return env


def once(command: list[str], env: dict[str, str]) -> run.Sample:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, env=env, cwd=HERE.parent)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            raise RuntimeError(f"{' '.join(command)} failed:\n{err.read().decode(errors='replace')[-3000:]}")
    return run.Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


def deckgen(project: Path, *args: str) -> list[str]:
    return [PYTHON, "-m", "deckgen", "--project", str(project), *args]


def copy_project(source: Path, target: Path) -> Path:
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for part in ("cards", "sources", "templates"):
        if (source / part).is_dir():
            shutil.copytree(source / part, target / part)
    if (source / "deck.lock").exists():
        shutil.copy2(source / "deck.lock", target / "deck.lock")
    return target


def alternate(rounds: int, variants: dict[str, Path], command: dict[str, list[str]],
              prepare: dict[str, callable]) -> dict[str, list[run.Sample]]:
    names = list(variants)
    samples: dict[str, list[run.Sample]] = {name: [] for name in names}
    for name in names:  # warm-up: bytecode caches, page cache
        prepare[name]()
        once(command[name], env_for(variants[name]))
    for r in range(rounds):
        order = names[r % len(names):] + names[:r % len(names)]
        if r // len(names) % 2:
            order.reverse()
        for name in order:
            prepare[name]()
            samples[name].append(once(command[name], env_for(variants[name])))
        print(f"    round {r + 1}/{rounds}: " + ", ".join(f"{n} {samples[n][-1].wall:.3f}s" for n in names), flush=True)
    return samples


def figures(samples: dict[str, list[run.Sample]]) -> dict:
    first = next(iter(samples))
    base = statistics.median(s.wall for s in samples[first])
    return {name: {"wall": statistics.median(s.wall for s in ss), "cpu": statistics.median(s.cpu for s in ss),
                   "peak_mb": statistics.median(s.peak_kb for s in ss) / 1024,
                   "vs_first": statistics.median(s.wall for s in ss) / base,
                   "walls": [round(s.wall, 4) for s in ss]}
            for name, ss in samples.items()}


def stage_times(rounds: int, variants: dict[str, Path], project: Path, work: Path) -> dict:
    """Median CPU time of each stage of a from-scratch build (stages.py, timed with process_time), per tree."""
    script = work / "stages_cpu.py"
    script.write_text((HERE / "stages.py").read_text(encoding="utf-8").replace("time.perf_counter()", "time.process_time()"),
                      encoding="utf-8")
    runs: dict[str, list[dict]] = {name: [] for name in variants}
    names = list(variants)
    for r in range(rounds):
        for name in names[r % len(names):] + names[:r % len(names)]:
            done = subprocess.run([PYTHON, str(script), str(project)], capture_output=True, text=True,
                                  env=env_for(variants[name]), cwd=HERE.parent)
            if done.returncode != 0:
                raise RuntimeError(f"stages.py with {name} failed:\n{done.stderr[-2000:]}")
            runs[name].append(json.loads(done.stdout))
        print(f"    round {r + 1}/{rounds}", flush=True)
    stages = list(runs[names[0]][0])
    medians = {name: {s: statistics.median(run[s] for run in runs[name]) for s in stages} for name in names}
    print("    " + "stage (CPU ms)".ljust(40) + "".join(name[:12].rjust(13) for name in names))
    for s in stages + ["total"]:
        row = [sum(medians[n].values()) if s == "total" else medians[n][s] for n in names]
        print("    " + s[:40].ljust(40) + "".join(f"{1000 * v:13.0f}" for v in row), flush=True)
    return medians


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--variant", action="append", required=True, help="NAME=SRC (a folder with a deckgen package)")
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--saves", type=int, default=9, help="saves per variant and project in the watch case")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "deckgen-shortcuts")
    parser.add_argument("--real", type=Path, default=HERE.parent, help="the real deck's project (default: this repository)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    variants = {}
    for spec in args.variant:
        name, _, src = spec.partition("=")
        variants[name] = Path(src).resolve()
        if not (variants[name] / "deckgen" / "__init__.py").exists():
            parser.error(f"{src}: no deckgen package there")
    cases = [c for c in args.cases.split(",") if c]
    if set(cases) - set(CASES):
        parser.error(f"unknown cases: {set(cases) - set(CASES)}")
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    synthetic = work / "synthetic-10000"
    synthetic_50k = work / "synthetic-50000"
    for project, needed in ((synthetic, ("edit10k", "scratch10k", "coldlock10k", "watch", "stages10k")),
                            (synthetic_50k, ("edit50k",))):
        if any(c in cases for c in needed) and not (project / "cards").is_dir():
            subprocess.run([PYTHON, str(HERE / "generate.py"), "--cards", project.name.split("-")[1], "--out",
                            str(project)], check=True, env=run.child_env(), stdout=subprocess.DEVNULL)
    real = copy_project(args.real, work / "real-inputs")  # one snapshot: the deck may change while this runs
    results: dict = {"variants": {n: str(p) for n, p in variants.items()}, "rounds": args.rounds}

    def projects(kind: str, source: Path, build: bool) -> dict[str, Path]:
        made = {name: copy_project(source, work / name / kind) for name in variants}
        if build:
            for name, project in made.items():
                once(deckgen(project, "build"), env_for(variants[name]))
        return made

    for case in cases:
        print(f"  {case}: {', '.join(variants)}, {args.rounds} rounds", flush=True)
        if case in ("edit10k", "edit50k", "real", "realemph"):
            made = projects(case, {"edit10k": synthetic, "edit50k": synthetic_50k}.get(case, real), build=True)
            kind = {"real": "wording", "realemph": "emphasis"}.get(case, "tag")
            editors = {n: run.OneCardEditor(p, kind) for n, p in made.items()}
            samples = alternate(args.rounds, variants, {n: deckgen(p, "build") for n, p in made.items()}, editors)
            for editor in editors.values():
                editor.restore()
        elif case == "nochange":
            made = projects(case, real, build=True)
            samples = alternate(args.rounds, variants, {n: deckgen(p, "build") for n, p in made.items()},
                                {n: (lambda: None) for n in made})
        elif case == "scratch10k":
            made = {name: copy_project(synthetic, work / name / case) for name in variants}
            samples = alternate(args.rounds, variants, {n: deckgen(p, "build") for n, p in made.items()},
                                {n: (lambda p=p: run.clean_build(p)) for n, p in made.items()})
        elif case == "coldlock10k":
            made = projects(case, synthetic, build=True)
            locks = {n: (p / "deck.lock").read_bytes() for n, p in made.items()}
            results[f"{case}_lock_mb"] = {n: len(lock) / 2**20 for n, lock in locks.items()}

            def fresh_clone(project: Path, lock: bytes) -> None:
                shutil.rmtree(project / "build", ignore_errors=True)
                (project / "deck.lock").write_bytes(lock)

            samples = alternate(args.rounds, variants, {n: deckgen(p, "build") for n, p in made.items()},
                                {n: (lambda p=p, lock=locks[n]: fresh_clone(p, lock)) for n, p in made.items()})
        elif case == "stages10k":
            results[case] = stage_times(args.rounds, variants, synthetic, work)
            continue
        else:  # watch
            out = {}
            for kind, source in (("real", real), ("synthetic_10000", synthetic)):
                made = projects(f"watch-{kind}", source, build=True)
                latencies: dict[str, list[float]] = {n: [] for n in variants}
                builds: dict[str, list[float]] = {n: [] for n in variants}
                for turn in range(2):  # two turns each, in alternating order
                    for name in (list(variants) if turn % 2 == 0 else list(reversed(variants))):
                        editor = run.OneCardEditor(made[name])
                        try:
                            measured = watch_latency.measure(made[name], args.saves, editor, gap=0.5,
                                                             env=env_for(variants[name]), log=lambda text: None)
                        finally:
                            editor.restore()
                        latencies[name] += measured["latencies"]
                        builds[name] += measured["builds"]
                        print(f"    {kind} {name}: median {1000 * statistics.median(measured['latencies']):.0f} ms",
                              flush=True)
                base = statistics.median(latencies[next(iter(variants))])
                out[kind] = {n: {"latency_ms": 1000 * statistics.median(latencies[n]),
                                 "build_ms": 1000 * statistics.median(builds[n]) if builds[n] else None,
                                 "vs_first": statistics.median(latencies[n]) / base, "n": len(latencies[n])}
                             for n in variants}
            results[case] = out
            print(json.dumps(out, indent=1), flush=True)
            continue
        results[case] = figures(samples)
        for name, fig in results[case].items():
            print(f"    {name:>24}: wall {fig['wall']:.3f} s ({fig['vs_first']:.3f}× first), cpu {fig['cpu']:.3f} s, "
                  f"peak {fig['peak_mb']:.1f} MiB", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
