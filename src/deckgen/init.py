"""`deckgen init DIR`: a new project that builds at once.

It copies the example project shipped inside the package (NEW_PROJECT: a deck settings file, one short
source, two cards that pass the gate and the content rules, an empty synonyms file and lexicon), with
the deck's title, output file name and a new namespace (identity.py) filled into cards/deck.yaml. The
project has no templates/: it builds with deckgen's default templates until it overrides one.

The files are written into a temporary folder next to DIR (inside it, when DIR exists) and moved into
place at the end, so a failed init leaves nothing behind. DIR must not exist, or be an empty folder (a
`.git` in it aside).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from string import Template

from .diagnostics import Diagnostic, Location
from .filenames import EXTENSION, file_stem
from .identity import new_namespace, slug
from .model import REMOVED_DECK_SUFFIX
from .trust import bidi_problem

NEW_PROJECT = Path(__file__).resolve().parent / "new_project"
DECK_FILE = Path("cards") / "deck.yaml"
EXAMPLE_FILES = ("cards/bees.yaml", "sources/honey-bees.md")  # the example a new deck's own cards replace
IGNORED_ENTRIES = frozenset({".git"})  # what a folder may hold and still count as empty: `git init` done first
RENAMED = {"gitignore": ".gitignore"}  # dot files are not package data everywhere: renamed when copied
MAX_TITLE = 200
DESCRIPTION = ("{title}: a deck made with deckgen. Every answer is backed by a quoted passage of a named "
               "source, shown on the back of the card.")


class InitError(Exception):
    """Why a project cannot be made: a located diagnostic and the exit status it calls for."""

    def __init__(self, diagnostic: Diagnostic, status: int):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic
        self.status = status


@dataclass(frozen=True)
class NewProject:
    root: Path
    title: str
    namespace: str
    output: str
    files: tuple[str, ...]  # relative paths, as written


def default_title(target: Path) -> str:
    """The folder's name, its words capitalised: "my-deck" -> "My Deck"."""
    words = re.split(r"[-_\s]+", target.resolve().name.strip())
    return " ".join(w[:1].upper() + w[1:] for w in words if w) or "My Deck"


def title_problem(title: str) -> str | None:
    if not title.strip():
        return "the title is empty"
    if title != title.strip():
        return "the title starts or ends with white space"
    if "::" in title:
        return "the title may not contain '::' (Anki's separator of subdecks)"
    if "<" in title:
        return "the title may not contain '<' (Anki shows a deck's name in a card as HTML)"
    if title.endswith(REMOVED_DECK_SUFFIX):
        return f"the title may not end with '{REMOVED_DECK_SUFFIX.strip()}' (another deck's retired cards ship there)"
    if len(title) > MAX_TITLE:
        return f"the title is longer than {MAX_TITLE} characters"
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in title):
        return "the title holds a control character or a line break"
    return bidi_problem(title)


def name_words(title: str, target: Path) -> str:
    """What the namespace is made of: the title as lowercase ASCII words joined by '-', accents taken off
    ("Pâte levée" -> "pate-levee"); the folder's name for a title with no such letter (one in another
    script); else "deck"."""
    return slug(title, 60) or slug(target.resolve().name, 60) or "deck"


def output_name(title: str, target: Path) -> str:
    """The .apkg's file name: the title's words of any script, lowercased, joined by '-' ("Cyrillic: Азбука"
    -> "cyrillic-азбука.apkg", filenames.py); the folder's name for a title with none; else "deck"."""
    return (file_stem(title, 60) or file_stem(target.resolve().name, 60) or "deck") + EXTENSION


def make_project(target: Path, title: str | None = None) -> NewProject:
    """Write a new project into `target` (absent, or an empty folder); InitError when it cannot."""
    _check_target(target)
    title = default_title(target) if title is None else title
    problem = title_problem(title)
    if problem:
        raise InitError(Diagnostic(Location("--title"), problem, "give a one-line title such as --title \"Bees\"",
                                   "init-title"), 2)
    namespace, output = new_namespace(name_words(title, target)), output_name(title, target)
    values = {"title": _yaml_string(title), "description": _yaml_string(DESCRIPTION.format(title=title)),
              "output": output, "namespace": namespace}
    parent = target.absolute().parent
    # An existing (empty) folder holds its own scratch folder: its parent may be one this user cannot write
    # (`git init` in /workspace, then `deckgen init .`).
    scratch_parent = target.absolute() if target.is_dir() else parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=f".{target.name}.deckgen-init-", dir=scratch_parent) as scratch:
            files = _write_example(Path(scratch), values)
            _move_into_place(Path(scratch), target)
    except OSError as exc:
        where = exc.filename if isinstance(exc.filename, str) else str(target)
        raise InitError(Diagnostic(Location(where), f"cannot write: {exc.strerror or exc}",
                                   "pick a folder you can write to", "cannot-write"), 1) from None
    return NewProject(target, title, namespace, output, files)


def _check_target(target: Path) -> None:
    if not os.path.lexists(target):
        return
    if not target.is_dir() or target.is_symlink():
        raise InitError(Diagnostic(Location(str(target)), "exists and is not a folder",
                                   "deckgen init makes a new project: name a new folder", "init-not-a-folder"), 2)
    try:
        entries = sorted(entry.name for entry in target.iterdir() if entry.name not in IGNORED_ENTRIES)
    except OSError as exc:
        raise InitError(Diagnostic(Location(str(target)), f"cannot read the folder: {exc.strerror}", "",
                                   "cannot-read"), 1) from None
    if entries:
        shown = ", ".join(entries[:5]) + (f" and {len(entries) - 5} more" if len(entries) > 5 else "")
        raise InitError(Diagnostic(Location(str(target)), f"is not empty (it holds {shown})",
                                   "deckgen init never writes over files: name a new or empty folder",
                                   "init-not-empty"), 2)


def _write_example(scratch: Path, values: dict[str, str]) -> tuple[str, ...]:
    """The example project under `scratch`; its files' paths, relative."""
    written = []
    for source in sorted(p for p in NEW_PROJECT.rglob("*") if p.is_file()):
        relative = source.relative_to(NEW_PROJECT)
        relative = relative.with_name(RENAMED.get(relative.name, relative.name))
        destination = scratch / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        text = source.read_text(encoding="utf-8")
        if relative == DECK_FILE:
            text = Template(text).substitute(values)
        destination.write_text(text, encoding="utf-8")
        written.append(relative.as_posix())
    return tuple(written)


def _move_into_place(scratch: Path, target: Path) -> None:
    if not os.path.lexists(target):
        os.rename(scratch, target)
        scratch.mkdir()  # for TemporaryDirectory's clean-up
        os.chmod(target, 0o777 & ~_umask())  # a temporary folder is made private (0700): as mkdir would
        return
    for entry in sorted(scratch.iterdir()):
        os.rename(entry, target / entry.name)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _yaml_string(text: str) -> str:
    """`text` as a YAML double-quoted scalar (a JSON string is one)."""
    return json.dumps(text, ensure_ascii=False)
