"""No template makes the process's memory grow by much: an enormous value ends in a located error.

The sandbox (sandbox.py) bounds what `*` and `**` make, but a template has many other ways to ask for a
huge value in one call that runs in C, where the time limit (timelimit.py) cannot stop it: a filter's
width (`"x"|center(3000000000)` asked for 3 GB and took 9 s), a method's (`"x".ljust(…)`), string
formatting (`"%01000000000d" % 1`), a string joined to itself in a loop, which doubles each time. Such a
value is no card's, and on a shared machine (CI checking a pull request's templates) it could take the
memory other programs need. So while a template is compiled (Jinja folds filters on constants then) or
runs, the process's address space may grow by at most BUDGET_BYTES — or $DECKGEN_TEMPLATE_MEMORY_MB
megabytes — less what the template calls before it kept: the soft RLIMIT_AS is set that much above the
address space as measured when the call begins, and put back as it was when the call ends. An allocation
past it fails in the template with MemoryError, which the renderer reports at the template's file and line
(`message`).

What a call keeps counts against the budget of the calls after it (`grown`), until a new renderer (`reset`,
render.Renderer: a build makes one to three, a build that finds a problem handing over to `check`'s): each note's
Sources field, and what a module's namespace keeps across the calls of its macro, stay in memory,
and a limit measured afresh above them let 1,000 notes keep 400 KB each, 6 times a budget of 64 MB (any
budget, given notes enough). Kept is what the address space grew by within the call, and the text the call
returns (`kept`): deckgen keeps it, or a copy it makes after the call, where the growth may then be instead
(counted twice, at worst). The two measures of a call take a few microseconds (/proc/self/statm, read again
through one open descriptor).

Where the system has no RLIMIT_AS to lower (Windows; a limit the kernel refuses) or no /proc/self/statm to
measure the address space by (macOS), templates run without this bound. Only the main thread sets it: the limit
is the whole process's.
"""

from __future__ import annotations

import os
import sys
import threading
from types import TracebackType

try:
    import resource
except ImportError:  # Windows
    resource = None  # type: ignore[assignment]

BUDGET_BYTES = 1 << 30


def budget_bytes() -> int:
    try:
        megabytes = float(os.environ.get("DECKGEN_TEMPLATE_MEMORY_MB", BUDGET_BYTES / (1 << 20)))
    except ValueError:
        return BUDGET_BYTES
    return int(megabytes * (1 << 20)) if megabytes > 0 else BUDGET_BYTES


def message() -> str:
    """What a template that ran out of its memory is told."""
    return (f"the template needed more than {budget_bytes() / (1 << 20):,.0f} MB of memory and was stopped "
            f"(a filter's width, a repeated or doubled string, a value kept for every note?)")


_statm: int | None = None  # /proc/self/statm, opened once: opening it was most of a measure's cost
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _address_space() -> int | None:
    """The process's address space in bytes (Linux's /proc/self/statm), or None where it cannot be read."""
    global _statm
    try:
        if _statm is None:
            _statm = os.open("/proc/self/statm", os.O_RDONLY)
        return int(os.pread(_statm, 128, 0).split()[0]) * _PAGE
    except (OSError, ValueError, IndexError):
        return None


def _in_main_thread() -> bool:
    return threading.get_ident() == threading.main_thread().ident


class _MemoryBound:
    """A context manager: the bound, set around the outermost template call of the main thread."""

    def __init__(self) -> None:
        self._depth = 0  # template calls in progress in the main thread (a template compiled while one runs)
        self.grown = 0  # bytes the address space grew by within this renderer's template calls: what they kept
        self._budget = budget_bytes()  # read again at each reset: the environment is read once a renderer
        self._began: int | None = None  # the address space when the outermost call began
        self._unbounded = resource is None  # no RLIMIT_AS here, or none this system lets deckgen set
        self._previous: tuple[int, int] | None = None  # the limit the outermost call found, put back at its end

    def kept(self, text: str) -> str:
        """`text`, which a template call returns, counted as kept: past the budget, a MemoryError. (The limit
        alone would not stop it: the call's values may take the place of those the call before it let go.)"""
        if self._unbounded or not _in_main_thread():
            return text
        size = sys.getsizeof(text)
        if self.grown + size > self._budget:
            raise MemoryError  # and the text, which the call's caller drops, is not kept
        self.grown += size
        return text

    def reset(self) -> None:
        """A new renderer (render.Renderer): the notes and templates of earlier ones are let go with them."""
        self.grown = 0
        self._budget = budget_bytes()

    def __enter__(self) -> None:
        if self._unbounded or not _in_main_thread():
            return
        self._depth += 1
        if self._depth > 1:
            return
        self._began = _address_space()
        if self._began is None:
            self._unbounded = True
            return
        soft, hard = previous = resource.getrlimit(resource.RLIMIT_AS)
        limit = self._began + max(self._budget - self.grown, 0)
        limit = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
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
        if self._depth == 0 or not _in_main_thread():
            return
        self._depth -= 1
        if self._depth > 0:
            return
        if self._previous is not None:
            resource.setrlimit(resource.RLIMIT_AS, self._previous)
            self._previous = None
        ended = _address_space() if self._began is not None else None
        if ended is not None and self._began is not None:
            self.grown = max(self.grown + ended - self._began, 0)  # a call may let go of what one before it kept
        self._began = None


template_memory = _MemoryBound()
