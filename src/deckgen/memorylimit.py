"""No template makes the process's memory grow by much: an enormous value ends in a located error.

The sandbox (sandbox.py) bounds what `*` and `**` make, but a template has many other ways to ask for a
huge value in one call that runs in C, where the time limit (timelimit.py) cannot stop it: a filter's
width (`"x"|center(3000000000)` asked for 3 GB and took 9 s), a method's (`"x".ljust(…)`), string
formatting (`"%01000000000d" % 1`), a string joined to itself in a loop, which doubles each time. Such a
value is no card's, and on a shared machine (CI checking a pull request's templates) it could take the
memory other programs need. So while a template is compiled (Jinja folds filters on constants then) or
runs, the process's address space may grow by at most BUDGET_BYTES — or $DECKGEN_TEMPLATE_MEMORY_MB
megabytes — over what it was: the soft RLIMIT_AS is set that much above the address space as measured
(again every REMEASURE calls, so that a measure costs a few microseconds a hundred notes), and put back
as it was when the call ends. An allocation past it fails in the template with MemoryError, which the
renderer reports at the template's file and line (`message`).

Where the system has no RLIMIT_AS to lower (Windows; a limit the kernel refuses), templates run without
this bound. Only the main thread sets it: the limit is the whole process's.
"""

from __future__ import annotations

import os
import threading
from types import TracebackType

try:
    import resource
except ImportError:  # Windows
    resource = None  # type: ignore[assignment]

BUDGET_BYTES = 1 << 30
REMEASURE = 128  # template calls between two measures of the address space


def budget_bytes() -> int:
    try:
        megabytes = float(os.environ.get("DECKGEN_TEMPLATE_MEMORY_MB", BUDGET_BYTES / (1 << 20)))
    except ValueError:
        return BUDGET_BYTES
    return int(megabytes * (1 << 20)) if megabytes > 0 else BUDGET_BYTES


def message() -> str:
    """What a template that ran out of its memory is told."""
    return (f"the template needed more than {budget_bytes() / (1 << 20):,.0f} MB of memory and was stopped "
            f"(a filter's width, a repeated or doubled string?)")


def _address_space() -> int | None:
    """The process's address space in bytes (Linux's /proc/self/statm), or None where it cannot be read."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


class _MemoryBound:
    """A context manager: the bound, set around the outermost template call of the main thread."""

    def __init__(self) -> None:
        self._depth = 0  # template calls in progress in the main thread (a template compiled while one runs)
        self._calls = 0
        self._limit: int | None = None  # the soft limit to set: the address space as last measured + the budget
        self._unbounded = resource is None  # no RLIMIT_AS here, or none this system lets deckgen set
        self._previous: tuple[int, int] | None = None  # the limit the outermost call found, put back at its end

    def __enter__(self) -> None:
        if self._unbounded or threading.current_thread() is not threading.main_thread():
            return
        self._depth += 1
        if self._depth > 1:
            return
        if self._calls % REMEASURE == 0:
            measured = _address_space()
            if measured is None:
                self._unbounded = True
                return
            self._limit = measured + budget_bytes()
        self._calls += 1
        soft, hard = previous = resource.getrlimit(resource.RLIMIT_AS)
        limit = self._limit if hard == resource.RLIM_INFINITY else min(self._limit, hard)
        if soft != resource.RLIM_INFINITY and soft <= limit:
            return  # a lower limit is set already (`ulimit -v`): it stays
        try:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        except (OSError, ValueError):
            self._unbounded = True
            return
        self._previous = previous

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if threading.current_thread() is not threading.main_thread() or self._depth == 0:
            return
        self._depth -= 1
        if self._depth == 0 and self._previous is not None:
            resource.setrlimit(resource.RLIMIT_AS, self._previous)
            self._previous = None


template_memory = _MemoryBound()
