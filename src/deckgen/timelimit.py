"""No template call runs for long: an endless or enormous template loop ends in a located error.

While a command runs, a timer looks every TICK seconds at what the process is doing. When one and
the same template call (code compiled from a file under templates/), or Jinja compiling a template,
has been running for longer than the limit — LIMIT_SECONDS, or $DECKGEN_TEMPLATE_SECONDS — it is
stopped with TemplateTimeout, raised inside the template, which the renderer reports as a template
error at the template's file and line, like any other. The timer only looks: it adds nothing to a template call.

Python delivers signals to the main thread, where deckgen's commands run the pipeline; elsewhere
(deckgen's functions called from another thread) there is no limit. Only the standard library is
imported here: the CLI arms the timer before it knows whether a build will run at all.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any, Iterator

LIMIT_SECONDS = 5.0
TICK = 0.25


class TemplateTimeout(Exception):
    """A template call ran for longer than the limit."""


def limit_seconds() -> float:
    try:
        value = float(os.environ.get("DECKGEN_TEMPLATE_SECONDS", LIMIT_SECONDS))
    except ValueError:
        return LIMIT_SECONDS
    return value if value > 0 else LIMIT_SECONDS


def _compiling(frame: Any) -> bool:
    """Jinja compiling a template: it calls filters and tests on constants then (constant folding), outside
    any template call, and `"ab "|center(800000)|wordwrap(2)` alone took 25 s to compile. Stopped there, a
    folded filter is left for the template's call (Jinja catches the error), or the compiling fails."""
    return frame.f_code.co_name == "compile" and frame.f_globals.get("__name__") == "jinja2.environment"


@contextlib.contextmanager
def template_time_limit(root: Path, seconds: float | None = None) -> Iterator[None]:
    """Stop any one call of a template under root/templates that runs for longer than `seconds`."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    limit = limit_seconds() if seconds is None else seconds
    folder = root / "templates"
    prefixes = tuple({str(folder), str(folder.absolute()), str(folder.resolve())})
    watched: dict[str, Any] = {}

    def look(signum: int, frame: Any) -> None:
        outermost = None
        while frame is not None:
            name = frame.f_code.co_filename
            if name.startswith(prefixes) or name == "<template>" or _compiling(frame):
                outermost = frame
            frame = frame.f_back
        if outermost is None:
            watched.clear()
            return
        if watched.get("frame") is not outermost:  # another call (the old frame is held: its id is not reused)
            watched["frame"], watched["since"] = outermost, time.monotonic()
            return
        if time.monotonic() - watched["since"] > limit:
            raise TemplateTimeout(f"the template ran for more than {limit:g} s and was stopped "
                                  f"(an endless or very long loop?)")

    previous = signal.signal(signal.SIGALRM, look)
    signal.setitimer(signal.ITIMER_REAL, TICK, TICK)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        watched.clear()
