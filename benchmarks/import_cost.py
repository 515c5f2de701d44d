"""What importing deckgen costs, and of what it is made: the floor under issue 16's real-deck target.

    .venv/bin/python benchmarks/import_cost.py [--rounds 11]
    .venv/bin/python benchmarks/import_cost.py --instructions    # valgrind's instruction counts instead
    .venv/bin/python benchmarks/import_cost.py --dataclasses [PYTHON ...]   # what 43 frozen dataclasses cost

The real deck's one-card rebuild is measured against `import genanki, jinja2, yaml` (target <= 1.6x). Its own
work is small; most of the rest is the process importing deckgen. Each round runs, in fresh processes, one after
another:

  imports     python -c "import genanki, jinja2, yaml": the target's unit
  startup     python -c "pass": the interpreter's own start, in both
  libraries   every module outside deckgen that deckgen's modules of a rebuild import (listed by `-X importtime`),
              imported in one process: the part no change to deckgen's own code removes
  deckgen     the same, then deckgen's modules that a rebuild imports, timed in the process, with the time spent
              inside dataclasses' class processing (making each frozen dataclass: Python writes and compiles
              its methods on every start) and inside `re`'s compiler counted apart

and prints the medians (ms) and each figure relative to `imports`. Wall-clock time on a shared machine swings
by a third between runs; with --instructions each of `imports`, `startup`, `libraries` and `libraries` with
`deckgen` is one process run under callgrind (`PYTHONHASHSEED=0`), whose count of instructions does not swing
(the split of deckgen's own part into dataclasses and `re` is then not made). With --dataclasses, each Python
given (this one by default) runs a script that makes 43 classes of five fields, once plain and once as frozen
dataclasses (as many as a rebuild makes), under callgrind, and the difference is printed: what one interpreter
version or another would spare. The floor of the real-deck rebuild is about
`startup` + `libraries` + `deckgen`; the target allows 1.6x `imports`. For the report only: timers wrap two functions of the
standard library inside the measuring child, and nothing here changes how deckgen runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DECKGEN_MODULES = ("deckgen.cli", "deckgen.delta", "deckgen.status")

# Run in a child: import the libraries, then deckgen with two stdlib functions timed; print JSON.
_MEASURE = r"""
import json, sys, time
started = time.perf_counter()
for name in sys.argv[1].split(","):
    try:
        __import__(name)
    except ImportError:  # another platform's module, named in a try of the library that imports it
        pass
libraries = time.perf_counter() - started
import dataclasses, re
spent = {"dataclasses": 0.0, "re": 0.0}
def timed(kind, function):
    def wrapper(*args, **kwargs):
        clock = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[kind] += time.perf_counter() - clock
    return wrapper
dataclasses._process_class = timed("dataclasses", dataclasses._process_class)
re._compile = timed("re", re._compile)
clock = time.perf_counter()
for name in filter(None, sys.argv[2].split(",")):
    __import__(name)
print(json.dumps({"libraries": libraries, "deckgen": time.perf_counter() - clock, **spent}))
"""


def _env() -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # a rebuild reads deckgen's bytecode from __pycache__
    return env


def libraries_of_a_rebuild() -> list[str]:
    """The modules outside deckgen, by name, that importing deckgen's modules of a rebuild imports."""
    run = subprocess.run([sys.executable, "-X", "importtime", "-c", "import " + ", ".join(DECKGEN_MODULES)],
                         cwd=ROOT, env=_env(), capture_output=True, text=True, check=True)
    names: list[str] = []
    for line in run.stderr.splitlines():
        name = line.rsplit("|", 1)[1].strip() if line.startswith("import time:") and "|" in line else ""
        if name and name != "package" and not name.startswith(("deckgen", "_")) and name not in names:
            names.append(name)
    return names


def _wall(command: list[str]) -> float:
    clock = time.perf_counter()
    subprocess.run(command, env=_env(), check=True, capture_output=True)
    return time.perf_counter() - clock


def _instructions(code: str, *args: str) -> int:
    """The instructions a `python -c code args` process runs, counted by callgrind."""
    run = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c", code,
                          *args], env=dict(_env(), PYTHONHASHSEED="0"), capture_output=True, text=True, check=True)
    collected = [line for line in run.stderr.splitlines() if "Collected" in line]
    return int(collected[-1].split()[-1])


def instructions(libraries: list[str]) -> int:
    names = ",".join(libraries)
    counts = {"imports": _instructions("import genanki, jinja2, yaml"), "startup": _instructions("pass"),
              "libraries": _instructions(_MEASURE, names, "")}
    counts["deckgen"] = _instructions(_MEASURE, names, ",".join(DECKGEN_MODULES)) - counts["libraries"]
    counts["libraries"] -= counts["startup"]
    unit = counts["imports"]
    for key, label in (("imports", "import genanki, jinja2, yaml"), ("startup", "python -c pass"),
                       ("libraries", "every library a rebuild imports"), ("deckgen", "deckgen's own modules")):
        print(f"  {label:<42} {counts[key] / 1e6:8.1f} M  {counts[key] / unit:5.2f}x")
    floor = counts["startup"] + counts["libraries"] + counts["deckgen"]
    print(f"  {'floor of a rebuild (the three above)':<42} {floor / 1e6:8.1f} M  {floor / unit:5.2f}x  (target 1.6x)")
    print(json.dumps({"instructions": counts, "floor_ratio": floor / unit}))
    return 0


_CLASSES = r"""
import dataclasses, sys
for i in range(43):
    cls = type(f"C{i}", (), {"__annotations__": {f"f{j}": "int" for j in range(5)}, "__module__": "__main__"})
    if sys.argv[1] == "frozen":
        dataclasses.dataclass(frozen=True)(cls)
"""


def dataclass_cost(pythons: list[str]) -> int:
    for python in pythons:
        counts = {}
        for kind in ("plain", "frozen"):
            run = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", python, "-c",
                                  _CLASSES, kind], env=dict(os.environ, PYTHONHASHSEED="0"), capture_output=True,
                                 text=True, check=True)
            counts[kind] = int([line for line in run.stderr.splitlines() if "Collected" in line][-1].split()[-1])
        print(f"  {python}: 43 frozen dataclasses of five fields {(counts['frozen'] - counts['plain']) / 1e6:.1f} M")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--instructions", action="store_true", help="count instructions with valgrind instead")
    parser.add_argument("--dataclasses", nargs="*", metavar="PYTHON", help="what 43 frozen dataclasses cost")
    options = parser.parse_args(argv)
    if options.dataclasses is not None:
        return dataclass_cost(options.dataclasses or [sys.executable])
    rounds = options.rounds
    libraries = libraries_of_a_rebuild()
    if options.instructions:
        return instructions(libraries)
    figures: dict[str, list[float]] = {"imports": [], "startup": [], "libraries": [], "deckgen": [], "dataclasses": [],
                                       "re": []}
    for _ in range(rounds):
        figures["imports"].append(_wall([sys.executable, "-c", "import genanki, jinja2, yaml"]))
        figures["startup"].append(_wall([sys.executable, "-c", "pass"]))
        run = subprocess.run([sys.executable, "-c", _MEASURE, ",".join(libraries), ",".join(DECKGEN_MODULES)],
                             env=_env(), check=True, capture_output=True, text=True)
        for key, value in json.loads(run.stdout).items():
            figures[key].append(value)
    medians = {key: statistics.median(values) * 1000 for key, values in figures.items()}
    unit = medians["imports"]
    print(f"{rounds} rounds, medians; {len(libraries)} modules outside deckgen")
    for key, label in (("imports", "import genanki, jinja2, yaml"), ("startup", "python -c pass"),
                       ("libraries", "every library a rebuild imports"),
                       ("deckgen", "deckgen's own modules"), ("dataclasses", "  of which: making frozen dataclasses"),
                       ("re", "  of which: compiling regular expressions")):
        print(f"  {label:<42} {medians[key]:8.1f} ms  {medians[key] / unit:5.2f}x")
    floor = medians["startup"] + medians["libraries"] + medians["deckgen"]
    print(f"  {'floor of a rebuild (the three above)':<42} {floor:8.1f} ms  {floor / unit:5.2f}x  (target 1.6x)")
    print(json.dumps({"rounds": rounds, "medians_ms": medians, "floor_ratio": floor / unit}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
