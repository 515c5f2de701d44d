"""Progress bars, on a terminal only, for the steps that can run longer than a couple of seconds.

tqdm draws them on stderr. A bar appears only when stderr is a terminal, the command does not print
JSON (`--json` turns them off, see `quiet`), and the step is still running after DELAY seconds
($DECKGEN_PROGRESS_DELAY: 0 draws a bar from a step's first item, whatever the machine's speed): a
short run, a pipe, a log file or CI see nothing. tqdm is imported only when a bar is about to be
drawn, so a quick command pays nothing for it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

DELAY = 0.5  # seconds a step runs before its bar appears
MIN_CARDS = 1000  # a check or build traces this many cards before a bar is worth showing
_state = {"quiet": False}


def quiet(on: bool = True) -> None:
    """No bars for the rest of this process (`--json`: stdout and stderr are for the machine)."""
    _state["quiet"] = on


def shown() -> bool:
    """Whether bars are drawn: stderr is a terminal, not quieted, and DECKGEN_PROGRESS is not 0."""
    if _state["quiet"] or os.environ.get("DECKGEN_PROGRESS") == "0":
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # stderr replaced or closed
        return False


def delay_seconds() -> float:
    """How long a step runs before its bar appears: DELAY, or $DECKGEN_PROGRESS_DELAY seconds (0 or more)."""
    try:
        value = float(os.environ.get("DECKGEN_PROGRESS_DELAY", DELAY))
    except ValueError:
        return DELAY
    return value if value >= 0 else DELAY  # (not NaN either)


def bar(items: Iterable[T], *, total: int, label: str, unit: str, min_total: int = 0,
        delay: float | None = None) -> Iterator[T]:
    """`items`, one by one, with a bar counting them up to `total` when bars are shown and the step is
    big enough (`min_total` items); otherwise the items alone. The bar appears after `delay` seconds
    (by default delay_seconds())."""
    if total < max(min_total, 1) or not shown():
        yield from items
        return
    from tqdm import tqdm

    with tqdm(items, total=total, desc=label, unit=f" {unit}", file=sys.stderr,
              delay=delay_seconds() if delay is None else delay, leave=False,
              mininterval=0.2, dynamic_ncols=True) as counted:
        yield from counted
