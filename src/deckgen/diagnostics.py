"""Located problems: every stage reports what is wrong as data, never as a traceback.

A `Diagnostic` is location first (``path:line:col``), then what is wrong, then what to do.
Stages collect diagnostics into lists and hand them back; the CLI prints them all at once.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple


class Location(NamedTuple):
    """A place in an input file; line and column are 1-based, 0 means 'unknown'.

    A NamedTuple rather than a frozen dataclass: every located value of every card has one, and a
    tuple costs a third of the time and half the memory (ordered and immutable all the same).
    """

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        if self.col <= 0:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.col}"


class Diagnostic(NamedTuple):
    """One problem: where, what, and what to do. A NamedTuple like Location, so that the CLI can catch
    and print problems without loading the dataclasses machinery on its fastest path."""

    location: Location
    message: str
    hint: str = ""
    code: str = "error"

    def render(self) -> str:
        text = f"{self.location}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.location.path,
            "line": self.location.line,
            "col": self.location.col,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }


class DeckgenFailure(Exception):
    """Raised only at stage boundaries, carrying every diagnostic collected so far."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("\n".join(d.render() for d in diagnostics))
        self.diagnostics = diagnostics


def display_path(path: Path, root: Path) -> str:
    """A path as the author typed it: relative to the project root when inside it."""
    try:
        return path.resolve().relative_to(_resolved_root(root, os.getcwd())).as_posix()
    except ValueError:
        return str(path)


@lru_cache(maxsize=8)
def _resolved_root(root: Path, cwd: str) -> Path:
    """root.resolve(), worked out once for the many paths shown under one root (every document and card
    file). A relative root is resolved against the working directory, hence `cwd` in the cache key."""
    return root.resolve()
