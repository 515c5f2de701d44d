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


class Related(NamedTuple):
    """Another place a problem involves, shown after it as a note of its own, as a compiler shows where a name it
    finds twice was first defined: an editor that jumps to `path:line:col` lines reaches both."""

    location: Location
    message: str


class Diagnostic(NamedTuple):
    """One problem: where, what, and what to do. A NamedTuple like Location, so that the CLI can catch
    and print problems without loading the dataclasses machinery on its fastest path."""

    location: Location
    message: str
    hint: str = ""
    code: str = "error"  # a stable identifier (README, "Diagnostic codes"); "error": see json_code
    related: tuple[Related, ...] = ()  # the other places the problem involves ("first defined here")

    @property
    def json_code(self) -> str:
        """The code, or for a problem given none, the kind of file it is in (see FILE_CODES)."""
        if self.code != "error":
            return self.code
        path = self.location.path
        return next((code for prefix, code in FILE_CODES if path == prefix or path.startswith(prefix)), "project-error")

    def render(self) -> str:
        text = f"{self.location}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text + "".join(f"\n{place.location}: note: {place.message}" for place in self.related)

    def to_json(self) -> dict[str, object]:
        return {
            **self.location._asdict(),  # path, line, col
            "code": self.json_code,
            "message": self.message,
            "hint": self.hint,
            "related": [{**place.location._asdict(), "message": place.message} for place in self.related],
        }


# The code of a problem that has no code of its own, by where it is: the first prefix of its path that matches.
FILE_CODES = (("deck.lock", "lock-invalid"), ("cards/", "card-invalid"), ("sources/", "source-invalid"),
              ("templates/", "template-error"), ("(deckgen's default templates)/", "template-error"),
              ("build/", "build-output"))


class DeckgenFailure(Exception):
    """Raised only at stage boundaries, carrying every diagnostic collected so far."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("\n".join(d.render() for d in diagnostics))
        self.diagnostics = diagnostics


def plural(count: int, noun: str) -> str:
    """'1 card', '2 cards', '1,000 cards': a count and its noun, in the plural unless it is one."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def still_shipped(count: int, noun: str, removed_deck: str, drop: str) -> str:
    """That COUNT retired notes (or cards) still ship in the removed-cards deck with their notice, and how to find
    them and stop shipping them (`drop`: the command's words), in the number the count takes ("1 retired card still
    ships …, showing its removal notice (… stops shipping it)")."""
    if count == 1:
        shipped, them = f"1 {noun} still ships in the deck '{removed_deck}', showing its removal notice", "it"
    else:
        shipped = f"{plural(count, noun)} still ship in the deck '{removed_deck}', each showing its removal notice"
        them = "them"
    return f"{shipped} (search tag:deckgen::retired in Anki; {drop} stops shipping {them})"


def display_path(path: Path, root: Path) -> str:
    """A path as the author typed it: relative to the project root when inside it. A file reached through a
    symlink (itself one, or in a linked folder) is named by the way to it, not by where the link points
    (which may be out of the project); a path spelt otherwise is compared with the root once resolved."""
    lexical = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    if lexical != ".." and not lexical.startswith("../"):
        return Path(lexical).as_posix()
    try:
        return path.resolve().relative_to(_resolved_root(root, os.getcwd())).as_posix()
    except ValueError:
        return str(path)


@lru_cache(maxsize=8)
def _resolved_root(root: Path, cwd: str) -> Path:
    """root.resolve(), worked out once for the many paths shown under one root (every document and card
    file). A relative root is resolved against the working directory, hence `cwd` in the cache key."""
    return root.resolve()


def is_editor_file(name: str) -> bool:
    """Hidden files and editors' lock, backup and swap files (.#x.yaml, x.yaml~, .x.yaml.swp, #x#): no build
    reads them. Here, not in trust.py, so that the no-change digest (fastpath) skips the very same files
    without loading trust's HTML parser."""
    return name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swo", ".tmp", ".bak"))
