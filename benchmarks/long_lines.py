"""How long markup's simple-emphasis shortcut takes on very long lines, and how that grows with the line.

    python benchmarks/long_lines.py

For each shape of line that tests/test_attack_session7.py renders at length (no closing '*', many
openings, many spans, one long span, openings glued to words), the best of 3 runs of
markup._simple_emphasis at n and 2n pieces, and the ratio: about 2 where the work grows with the line,
about 4 where it grows with its square. Printed, not asserted (a time limit in a test fails on a slow
machine and passes a slow shortcut on a fast one).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from deckgen import markup  # noqa: E402

SHAPES = {"no closing '*'": lambda n: "*a" + " b" * n, "openings only": lambda n: "*a " * n,
          "many spans": lambda n: ("*a* " * n).strip(), "one long span": lambda n: "x *" + "a" * n + "* y",
          "openings glued": lambda n: " *a" * n + "*"}


def best(text: str, rounds: int = 3) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        markup._simple_emphasis(text)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    n = 100_000
    for name, make in SHAPES.items():
        one, two = best(make(n)), best(make(2 * n))
        print(f"{name:>15}: {one * 1000:8.1f} ms at {n:,} pieces, {two * 1000:8.1f} ms at {2 * n:,} "
              f"(x{two / one:.1f})")


if __name__ == "__main__":
    main()
