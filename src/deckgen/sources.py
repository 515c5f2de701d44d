"""Stage 2 — load the cited documents (sources/<doc-id>.md) and index them once.

A document is YAML front matter plus a verbatim body. The body is cut into *units*: headings,
sentences, and list items. A list item keeps a link to its lead-in sentence (the one ending in
':' just before the list), because "Conditions that lead to X are: - acne" is one statement.
All units are normalised once and joined into one searchable string with known offsets; a unit
keeps only its offsets into that string, not a copy of its own normalised text (see SourceDoc.norm_of).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from pathlib import Path

from .diagnostics import Diagnostic, Location, display_path
from .textnorm import normalize
from .yamlnodes import NodeReader, compose, decode_text

DOC_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FRONT_KEYS = ("title", "publisher", "author", "reviewer", "date", "language", "translation", "seed",
              "references", "notes")
REQUIRED_FRONT_KEYS = ("title", "publisher", "language")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)|(?<=[\u3002\uff01\uff1f])")
# The same places, found from the punctuation that ends the sentence (see _sentences).
_SENTENCE_BOUNDARY = re.compile(r"[.!?\u3002\uff01\uff1f](?:(?<=[.!?])\s+(?=\S)|(?<=[\u3002\uff01\uff1f]))")
_HEADING = re.compile(r"^#{1,6}\s+")
_ITEM = re.compile(r"^[-*+]\s+")


class UnitKind(str, Enum):
    HEADING = "heading"
    SENTENCE = "sentence"
    ITEM = "item"


@dataclass(frozen=True, slots=True)  # slots: a large project has tens of thousands of units
class Unit:
    index: int
    kind: UnitKind
    text: str  # as written in the document
    start: int  # offsets of the unit's normalised text inside SourceDoc.norm
    end: int
    line: int
    lead: int | None  # for a list item: the unit index of its lead-in sentence

    @property
    def citable(self) -> bool:
        return self.kind is not UnitKind.HEADING


@dataclass(frozen=True)  # no slots: cached_property needs an instance __dict__
class SourceDoc:
    id: str
    path: str
    title: str
    publisher: str
    author: str
    date: str
    language: str
    notes: str
    units: tuple[Unit, ...]
    norm: str  # every unit's normalised text, joined by single spaces

    def norm_of(self, unit: Unit) -> str:
        """The normalised text of one of this document's units."""
        return self.norm[unit.start:unit.end]

    @cached_property
    def _starts(self) -> list[int]:  # ascending: units are cut in order and never overlap
        return [u.start for u in self.units]

    def unit_at(self, offset: int) -> Unit:
        return self.units[max(0, bisect.bisect_right(self._starts, offset) - 1)]

    def units_between(self, start: int, end: int) -> list[Unit]:
        """Units overlapping [start, end) of the normalised text."""
        found = []
        for index in range(max(0, bisect.bisect_right(self._starts, start) - 1), len(self.units)):
            unit = self.units[index]
            if unit.start >= end:
                break
            if start < unit.end:
                found.append(unit)
        return found


@dataclass(frozen=True)
class Corpus:
    docs: dict[str, SourceDoc]


def load_corpus(root: Path) -> tuple[Corpus, list[Diagnostic]]:
    folder = root / "sources"
    diagnostics: list[Diagnostic] = []
    docs: dict[str, SourceDoc] = {}
    if not folder.is_dir():
        return Corpus({}), [Diagnostic(Location(display_path(folder, root)), "no sources/ folder",
                                       "put each cited document in sources/<doc-id>.md")]
    for path in document_paths(root).values():
        doc = load_document(root, path, diagnostics)
        if doc is not None:
            docs[doc.id] = doc
    return Corpus(docs), diagnostics


def document_paths(root: Path) -> dict[str, Path]:
    """Each document file under sources/, by the doc id its name gives it, in name order."""
    return {path.stem: path for path in sorted((root / "sources").glob("*.md"))}


def load_document(root: Path, path: Path, diagnostics: list[Diagnostic]) -> SourceDoc | None:
    shown = display_path(path, root)
    doc_id = path.stem
    if not DOC_ID_PATTERN.match(doc_id):
        diagnostics.append(Diagnostic(Location(shown), f"source file name '{path.name}' is not a valid doc id",
                                      "use lowercase a-z, 0-9 and '-', e.g. calcium-deposits-in-skin.md"))
        return None
    try:
        raw = path.read_bytes()
    except OSError as exc:
        diagnostics.append(Diagnostic(Location(shown), f"cannot read file: {exc.strerror}"))
        return None
    text, problems = decode_text(shown, raw)
    if text is None:
        diagnostics.extend(problems)
        return None
    lines = text.split("\n")
    close = _front_matter_end(lines)
    if close is None:
        diagnostics.append(Diagnostic(Location(shown, 1, 1), "source has no YAML front matter",
                                      "start the file with '---', title/publisher/language, '---', then the text"))
        return None
    front = _front_matter(shown, "\n".join(lines[1:close]), diagnostics)
    if front is None:
        return None
    units, norm = _cut_units(lines[close + 1:], first_line=close + 2)
    if not units:
        diagnostics.append(Diagnostic(Location(shown, close + 2), "source has no text after its front matter"))
        return None
    return SourceDoc(
        id=doc_id, path=shown, title=front["title"], publisher=front["publisher"],
        author=front.get("author", ""), date=front.get("date", ""), language=front["language"],
        notes=front.get("notes", ""), units=tuple(units), norm=norm,
    )


def _front_matter_end(lines: list[str]) -> int | None:
    """The index of the '---' line that closes the front matter, if the file opens with '---'."""
    if lines[0].strip() != "---":
        return None
    return next((index for index in range(1, len(lines)) if lines[index].strip() == "---"), None)


def _front_matter(shown: str, text: str, diagnostics: list[Diagnostic]) -> dict[str, str] | None:
    # Front matter starts on line 2 of the file; pad so reported lines match the file.
    node, problems = compose(shown, "\n" + text)
    diagnostics.extend(problems)
    if node is None:
        return None
    reader = NodeReader(shown, diagnostics)
    keys = reader.mapping(node, "front matter", FRONT_KEYS)
    values: dict[str, str] = {}
    for name, (_, value) in keys.items():
        if name == "references":
            reader.text_list(value, "'references'")
            continue
        read = reader.text(value, f"'{name}'")
        if read is not None:
            values[name] = read
    missing = [name for name in REQUIRED_FRONT_KEYS if name not in values]
    for name in missing:
        reader.error(node, f"front matter is missing '{name}'")
    return None if missing else values


def _cut_units(body: list[str], first_line: int) -> tuple[list[Unit], str]:
    """The units of a document body, and their normalised texts joined by single spaces (the
    string that each unit's start/end offsets point into)."""
    units: list[Unit] = []
    norms: list[str] = []
    offset = 0
    last_lead: int | None = None  # a sentence ending in ':' that the following list items complete

    def add(kind: UnitKind, text: str, line: int, lead: int | None) -> None:
        nonlocal offset
        norm = normalize(text)
        if norm:
            end = offset + len(norm)
            units.append(Unit(len(units), kind, text, offset, end, line, lead))
            norms.append(norm)
            offset = end + 1

    for number, raw in enumerate(body, start=first_line):
        line = raw.strip()
        if not line:
            continue
        heading = _HEADING.match(line) if line[0] == "#" else None
        if heading:
            add(UnitKind.HEADING, line[heading.end():], number, None)
            last_lead = None
            continue
        item = _ITEM.match(line) if line[0] in "-*+" else None
        sentences = _sentences(line[item.end():] if item else line)
        if item:
            add(UnitKind.ITEM, sentences[0], number, last_lead)
            sentences = sentences[1:]
        for sentence in sentences:
            add(UnitKind.SENTENCE, sentence, number, None)
        if not item:
            last_lead = len(units) - 1 if sentences and sentences[-1].endswith(":") else None
    return units, " ".join(norms)


def _sentences(line: str) -> list[str]:
    """The line split where _SENTENCE_END matches, found with a pattern that starts with the punctuation
    itself (so the regex engine skips ahead to it instead of trying a look-behind at every position).
    Each match starts at the punctuation that ends a sentence and spans the spaces after it, if any."""
    sentences, last = [], 0
    for boundary in _SENTENCE_BOUNDARY.finditer(line):
        sentence = line[last:boundary.start() + 1].strip()
        if sentence:
            sentences.append(sentence)
        last = boundary.end()
    sentence = line[last:].strip()
    if sentence:
        sentences.append(sentence)
    return sentences
