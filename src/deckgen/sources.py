"""Stage 2 — load the cited documents (sources/<doc-id>.md) and index them once.

A document is YAML front matter plus a verbatim body. The body is cut into *units*: headings,
sentences, and list items. A list item keeps a link to its lead-in sentence (the one ending in
':' just before the list, or the item ending in ':' it is nested under), because "Conditions that lead
to X are: - acne" is one statement. A Markdown table's rows are items too, each a unit of its own, with
the table's header row as their lead-in; and a definition list's definitions (': ...'), with their term.
All units are normalised once and joined into one searchable string with known offsets; a unit
keeps only its offsets into that string, not a copy of its own normalised text (see SourceDoc.norm_of).
A Unit object is made only when asked for (SourceDoc.unit): a build looks only at the units that
quotes touch (one in four, in the benchmark's project), and making every unit would cost as much as
cutting them.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from .diagnostics import Diagnostic, Location, display_path, is_editor_file
from .fastpath import DOCUMENTS_LISTED
from .textnorm import normalize
from .trust import read_input, record_listing
from .yamlnodes import NodeReader, compose, decode_text

DOC_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FRONT_KEYS = ("title", "publisher", "author", "reviewer", "date", "language", "translation", "machine_translated",
              "seed", "references", "notes", "set_aside")
# Why a passage is set aside, never to be quoted by a card (a `set_aside` entry's `why`).
SET_ASIDE_REASONS = ("wrong", "mistranslated", "garbled", "unclear", "truism")
SET_ASIDE_KEYS = ("quote", "why", "note")
MACHINE_TRANSLATED = ("fully", "partly", "no")  # the values of `machine_translated`; absent means "no"
REQUIRED_FRONT_KEYS = ("title", "publisher", "language")
FRONT_KEY_HINTS = {  # what to write for a required key that is missing (each shows in a card's caption)
    "title": "add 'title: ...', the document's title as it gives it",
    "publisher": "add 'publisher: ...', who published the document (a site, a journal; for your own notes, you)",
    "language": "add 'language: en', the language the text is written in",
}
# A sentence ends at ".", "!" or "?" and a space, but not at the abbreviations "e.g." and "i.e.", which lead on into
# the same sentence ("cold slows fermentation, e.g. a cold cellar").
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\b[eE]\.g\.)(?<!\b[iI]\.e\.)\s+(?=\S)|(?<=[\u3002\uff01\uff1f])")
_HEADING = re.compile(r"^#{1,6}\s+")
# a bullet, or a number as Markdown numbers a list (1. or 1)), in ASCII digits as Markdown's are ("٣." is no marker)
_ITEM = re.compile(r"^(?:[-*+]|[0-9]{1,9}[.)])\s+")
_ITEM_STARTS = "-*+0123456789"
_DEFINITION = re.compile(r"^:\s")  # a definition list's definition (": the article of ..."), below its term
# A Markdown table: each row a line of its own starting with '|'; the header row is underlined by a rule of
# '|', '-', ':' and spaces ("|---|:--:|"), which holds no text. Its first '-' is the first character after the
# '|' that is not a space, ':' or '|' (not any '-' tried in turn: 40,000 '-' and an 'x' took 13 s a check).
_TABLE_RULE = re.compile(r"^\|[\s:|]*-[\s:|-]*$")
# A Markdown footnote: its reference in a sentence ("[^1]", "[^labs]") and its definition, a line that starts with
# the label and a colon ("[^labs]: Each laboratory ..."). Neither mark is text: a sentence is read, quoted and shown
# without its references, and a definition as a paragraph of its own, without its label.
# A reference is taken with the spaces before it, if any, and looked for from the first of them only. Where a "[^"
# starts none, the pattern's second branch takes the text up to where that reference would have had to end, which
# is kept (_without_footnote_marks): no "[^" in it starts one either, and it is not read again from each of them
# (40,000 "[^" in a line took 24 s a check; 80,000 spaces before a reference, 14 s).
_FOOTNOTE_REFERENCE = re.compile(r"(?<![ \t])[ \t]*\[\^[^\]\s]+\]|\[\^[^\]\s]*")
_FOOTNOTE_LABEL = re.compile(r"\[\^[^\]\s]+\]:[ \t]*")
# Pandoc's inline note, "... a word^[The note's text.] ...": its brackets balanced, within one paragraph. It is no
# part of its sentence; its text is a paragraph of its own, after the document's others, as Pandoc prints it.
_INLINE_NOTE = "^["


class UnitKind(str, Enum):
    HEADING = "heading"
    SENTENCE = "sentence"
    ITEM = "item"


class Unit(NamedTuple):  # a large project has tens of thousands of units: small, without __dict__
    index: int
    kind: UnitKind
    text: str  # as written in the document (without its footnote marks: see _FOOTNOTE_REFERENCE)
    start: int  # offsets of the unit's normalised text inside SourceDoc.norm
    end: int
    line: int
    lead: int | None  # for a list item: the unit index of its lead-in sentence

    @property
    def citable(self) -> bool:
        return self.kind is not UnitKind.HEADING


# A unit as it is cut, before any Unit object is made of it: kind, text, line, lead.
UnitRow = tuple[UnitKind, str, int, int | None]


class SetAside(NamedTuple):
    """A passage the source's front matter sets aside: no card may quote it (the gate), and coverage
    counts its sentences apart instead of as gaps. A source is read critically; this is where what it
    gets wrong is recorded, so that it is never taught."""

    start: int  # where the passage is in the document's normalised text
    end: int
    why: str  # one of SET_ASIDE_REASONS
    note: str  # what is wrong with it, in the project's own words
    location: Location  # the entry's quote in the front matter


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
    rows: tuple[UnitRow, ...]  # unit i is rows[i], starting at starts[i] in norm
    starts: tuple[int, ...]  # ascending: units are cut in order and never overlap
    norm: str  # every unit's normalised text, joined by single spaces
    machine_translated: str = "no"  # "fully", "partly" or "no": shown in every citation's caption
    set_aside: tuple[SetAside, ...] = ()
    _made: dict[int, Unit] = field(default_factory=dict, init=False, repr=False, compare=False)

    def unit(self, index: int) -> Unit:
        """Unit `index`, made the first time it is asked for and the same object every time after."""
        unit = self._made.get(index)
        if unit is None:
            kind, text, line, lead = self.rows[index]
            unit = self._made[index] = Unit(index, kind, text, self.starts[index], self._end(index), line, lead)
        return unit

    def _end(self, index: int) -> int:
        """Where unit `index` ends in norm: one separating space before the next unit starts."""
        return self.starts[index + 1] - 1 if index + 1 < len(self.starts) else len(self.norm)

    @cached_property
    def units(self) -> tuple[Unit, ...]:
        """Every unit, in order (what coverage and a failed quote's nearest passage look through)."""
        return tuple(map(self.unit, range(len(self.rows))))

    @cached_property
    def _headings(self) -> list[int]:
        """The index of every heading, ascending."""
        heading = UnitKind.HEADING
        return [index for index, row in enumerate(self.rows) if row[0] is heading]

    def heading_of(self, unit: Unit) -> Unit | None:
        """The heading of the section a unit is in: the nearest heading above it, if any."""
        before = bisect.bisect_left(self._headings, unit.index)
        return self.unit(self._headings[before - 1]) if before else None

    def section_end(self, unit: Unit) -> int:
        """Where the section that `unit` is in ends in norm: where the next heading starts, or the text's end."""
        after = bisect.bisect_right(self._headings, unit.index)
        return self.starts[self._headings[after]] if after < len(self._headings) else len(self.norm)

    def set_aside_in(self, start: int, end: int) -> SetAside | None:
        """The first set-aside passage that [start, end) of the normalised text overlaps, if any."""
        return next((entry for entry in self.set_aside if entry.start < end and start < entry.end), None)

    def norm_of(self, unit: Unit) -> str:
        """The normalised text of one of this document's units."""
        return self.norm[unit.start:unit.end]

    def unit_at(self, offset: int) -> Unit:
        return self.unit(max(0, bisect.bisect_right(self.starts, offset) - 1))

    def units_between(self, start: int, end: int) -> list[Unit]:
        """Units overlapping [start, end) of the normalised text: those that start before `end`, from the
        one `start` is in (or, if `start` is on the space after a unit, the next one)."""
        first = max(0, bisect.bisect_right(self.starts, start) - 1)
        if start >= self._end(first):
            first += 1
        return list(map(self.unit, range(first, bisect.bisect_left(self.starts, end))))


class Corpus(NamedTuple):
    docs: dict[str, SourceDoc]
    # The doc ids of files under sources/ that could not be read (each with a problem of its own): a card
    # citing one is not told its document is unknown.
    unreadable: frozenset[str] = frozenset()
    # Files under sources/ that are not read as documents for their names (Languages.md, languages.txt), by the
    # doc id a card would cite them by: a card citing one is told which file it is and what to name it.
    misnamed: Mapping[str, str] = MappingProxyType({})  # read-only: the default is every corpus's


def load_corpus(root: Path) -> tuple[Corpus, list[Diagnostic]]:
    folder = root / "sources"
    diagnostics: list[Diagnostic] = []
    docs: dict[str, SourceDoc] = {}
    if not folder.is_dir():  # a folder without cards/ either is no project at all: cards.load_project says so
        return Corpus({}), [Diagnostic(Location(display_path(folder, root)), "no sources/ folder",
                                       "put each cited document in sources/<doc-id>.md")] \
            if os.path.isdir(root / "cards") else []
    unreadable = set()
    for path in document_paths(root).values():
        doc = load_document(root, path, diagnostics)
        if doc is not None:
            docs[doc.id] = doc
        else:
            unreadable.add(path.stem)
    misnamed = _misnamed(root, docs)
    unreadable.update(doc_id for doc_id, shown in misnamed.items() if shown.endswith(".md"))  # reported itself
    return Corpus(docs, frozenset(unreadable), misnamed), diagnostics


def _misnamed(root: Path, docs: dict[str, SourceDoc]) -> dict[str, str]:
    """Files under sources/ not read as documents for their names, by the doc id a card would cite them by
    (the id their name suggests): a Markdown file whose name is no doc id, any other file (.txt, .markdown)."""
    from .identity import slug

    found = {}
    for path in sorted((root / "sources").iterdir()):
        doc_id = slug(path.stem, 80)
        if doc_id and doc_id not in docs and path.name != f"{doc_id}.md" and not is_editor_file(path.name) \
                and path.is_file():
            found.setdefault(doc_id, display_path(path, root))
    return found


def document_paths(root: Path) -> dict[str, Path]:
    """Each document file under sources/, by the doc id its name gives it, in name order (what was listed goes
    into the build's ledger: trust.record_listing)."""
    listed = sorted((root / "sources").glob("*.md"), key=lambda path: path.name)  # by name: Paths compare slowly
    paths = {path.stem: path for path in listed if not is_editor_file(path.name)}
    record_listing(DOCUMENTS_LISTED, (f"sources/{path.name}" for path in paths.values()))
    return paths


def _doc_id_hint(name: str) -> str:
    from .identity import slug

    suggestion = slug(name, 80)
    return ("name it with lowercase a-z, 0-9 and '-'" + (f", e.g. {suggestion}.md" if suggestion else "") +
            ": the name is the doc id that cards cite")


def load_document(root: Path, path: Path, diagnostics: list[Diagnostic]) -> SourceDoc | None:
    shown = display_path(path, root)
    doc_id = path.stem
    if not DOC_ID_PATTERN.match(doc_id):
        diagnostics.append(Diagnostic(Location(shown), f"source file name '{path.name}' is not a valid doc id",
                                      _doc_id_hint(doc_id)))
        return None
    try:
        raw = read_input(path, root)  # a regular file inside the project, or OSError
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
    entries: list[SetAsideEntry] = []
    front = _front_matter(shown, "\n".join(lines[1:close]), diagnostics, entries)
    if front is None:
        return None
    rows, starts, norm = _cut_units(lines[close + 1:], first_line=close + 2)
    if not rows:
        diagnostics.append(Diagnostic(Location(shown, close + 2), "source has no text after its front matter"))
        return None
    return SourceDoc(
        id=doc_id, path=shown, title=front["title"], publisher=front["publisher"],
        author=front.get("author", ""), date=front.get("date", ""), language=front["language"],
        notes=front.get("notes", ""), rows=tuple(rows), starts=tuple(starts), norm=norm,
        machine_translated=front.get("machine_translated", "no"),
        set_aside=_placed(doc_id, norm, entries, diagnostics),
    )


class SetAsideEntry(NamedTuple):
    """A `set_aside` entry as read from the front matter, before its quote is placed in the text."""

    quote: str
    why: str
    note: str
    location: Location


def _placed(doc_id: str, norm: str, entries: list[SetAsideEntry], diagnostics: list[Diagnostic]
            ) -> tuple[SetAside, ...]:
    """Each set-aside quote found, verbatim up to normalisation, in the document's text."""
    placed = []
    for entry in entries:
        quoted = normalize(entry.quote)
        start = norm.find(quoted) if quoted else -1
        shown = f"\"{entry.quote[:60]}\""
        if start < 0:
            diagnostics.append(Diagnostic(entry.location, f"set-aside quote not found in {doc_id}: {shown}",
                                          "quote the passage verbatim, as the text below writes it",
                                          "set-aside-not-found"))
            continue
        if norm.find(quoted, start + 1) >= 0:
            diagnostics.append(Diagnostic(entry.location, f"set-aside quote occurs more than once in {doc_id}: {shown}",
                                          "quote more of the passage, so that it names one place",
                                          "set-aside-ambiguous"))
            continue
        placed.append(SetAside(start, start + len(quoted), entry.why, entry.note, entry.location))
    return tuple(placed)


def _front_matter_end(lines: list[str]) -> int | None:
    """The index of the '---' line that closes the front matter, if the file opens with '---'."""
    if lines[0].strip() != "---":
        return None
    return next((index for index in range(1, len(lines)) if lines[index].strip() == "---"), None)


def _front_matter(shown: str, text: str, diagnostics: list[Diagnostic],
                  set_aside: list[SetAsideEntry] | None = None) -> dict[str, str] | None:
    """The front matter's text values by key; its `set_aside` entries go to `set_aside` when given."""
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
        if name == "set_aside":
            entries = _set_aside_entries(reader, value)
            if set_aside is not None:
                set_aside.extend(entries)
            continue
        read = reader.text(value, f"'{name}'")
        if read is not None and name == "machine_translated" and read not in MACHINE_TRANSLATED:
            reader.error(value, f"'machine_translated' must be one of {', '.join(MACHINE_TRANSLATED)}, not '{read}'",
                         "fully: the whole text is a machine translation; partly: some passages are")
        elif read is not None:
            values[name] = read
    missing = [name for name in REQUIRED_FRONT_KEYS if name not in values]
    for name in missing:
        if name not in keys and not reader.reported(node, name):  # else its value's problem is reported
            reader.error(node, f"front matter is missing '{name}'", FRONT_KEY_HINTS[name])
    return None if missing else values


def _set_aside_entries(reader: NodeReader, node) -> list[SetAsideEntry]:
    """`set_aside:` a list of {quote, why, note}: each passage a card may never quote, and why."""
    entries = []
    for item in reader.sequence(node, "'set_aside'"):
        keys = reader.mapping(item, "a set_aside entry", SET_ASIDE_KEYS)
        values = {name: reader.text(value, f"'{name}'") for name, (_, value) in keys.items()}
        for name in SET_ASIDE_KEYS:
            if name not in keys:
                reader.missing(item, name, f"a set_aside entry is missing '{name}'",
                               "give the passage (quote), why: one of " + ", ".join(SET_ASIDE_REASONS) + ", and a note")
        why = values.get("why")
        if why is not None and why not in SET_ASIDE_REASONS:
            reader.error(keys["why"][1], f"'why' must be one of {', '.join(SET_ASIDE_REASONS)}, not '{why}'")
            continue
        if all(values.get(name) for name in SET_ASIDE_KEYS):
            entries.append(SetAsideEntry(values["quote"], values["why"], values["note"], reader.loc(keys["quote"][1])))
    return entries


class _Role(Enum):
    """What a paragraph of a document's body is, as Markdown reads it."""

    HEADING = "heading"
    ITEM = "item"  # a list item: "- ...", "1. ..."
    HEADER = "header"  # a table's header row: "| ... |" with the rule under it
    RULE = "rule"  # the rule under a table's header, "|---|:--:|": no text
    ROW = "row"  # a table row: "| ... |"
    DEFINITION = "definition"  # a definition list's definition, ": ..." below its term
    SENTENCE = "sentence"  # a plain paragraph of sentences


def _role(paragraphs: list[_Lines], index: int) -> _Role:
    line = paragraphs[index].text
    if line[0] == "|":
        return _Role.RULE if _TABLE_RULE.match(line) else _Role.HEADER if _underlined(paragraphs, index) else _Role.ROW
    if line[0] == ":" and _DEFINITION.match(line):
        return _Role.DEFINITION
    if line[0] == "#" and _HEADING.match(line):
        return _Role.HEADING
    if line[0] in _ITEM_STARTS and _ITEM.match(line):
        return _Role.ITEM
    return _Role.SENTENCE


def _underlined(paragraphs: list[_Lines], index: int) -> bool:
    """Whether paragraph `index` is a table's header row: the next line is the rule under it."""
    following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
    return following is not None and not following.note and following.numbers[0] == paragraphs[index].numbers[0] + 1 \
        and _TABLE_RULE.match(following.text) is not None


def _cut_units(body: list[str], first_line: int) -> tuple[list[UnitRow], list[int], str]:
    """The units of a document body, where each starts in their normalised texts joined by single
    spaces, and that string."""
    rows: list[UnitRow] = []
    starts: list[int] = []
    norms: list[str] = []
    offset = 0
    last_lead: int | None = None  # a sentence ending in ':' that the following list items complete

    def add(kind: UnitKind, texts: list[str], paragraph: _Lines, lead: int | None, position: int = 0) -> None:
        """The units of one paragraph, whose text from `position` on they are: the first of `kind`
        (with `lead`), any others sentences."""
        nonlocal offset
        for text in texts:
            line, position = paragraph.locate(text, position)
            norm = normalize(text)
            if norm:
                rows.append((kind, text, line, lead))
                starts.append(offset)
                norms.append(norm)
                offset += len(norm) + 1
            kind, lead = UnitKind.SENTENCE, None

    paragraphs = _paragraphs(body, first_line)
    table_lead: int | None = None  # the header row of the table whose rows come next
    parents: list[tuple[int, int]] = []  # the items ending in ':' that the next item may be nested in: indent, unit
    term: int | None = None  # the plain paragraph just above, which a definition (': ...') defines
    for number, paragraph in enumerate(paragraphs):
        line = paragraph.text
        role = _Role.SENTENCE if paragraph.note else _role(paragraphs, number)
        before = len(rows)
        if role is _Role.RULE:
            continue
        if role is not _Role.ITEM:
            parents.clear()
        if role is _Role.HEADER:  # a table's header row: the lead-in of each row below it
            add(UnitKind.SENTENCE, _sentences(line), paragraph, None)
        elif role is _Role.ROW:
            add(UnitKind.ITEM if table_lead is not None else UnitKind.SENTENCE, _sentences(line), paragraph, table_lead)
        elif role is _Role.DEFINITION:  # a definition list's definition: its term is its lead-in
            add(UnitKind.ITEM if term is not None else UnitKind.SENTENCE, _sentences(line), paragraph, term)
        elif role is _Role.HEADING:
            heading = _HEADING.match(line)
            add(UnitKind.HEADING, [line[heading.end():]], paragraph, None, heading.end())
        elif role is _Role.ITEM:
            item = _ITEM.match(line)
            sentences = _sentences(line[item.end():])
            while parents and parents[-1][0] >= paragraph.indent:  # the items this one is not nested in
                parents.pop()
            add(UnitKind.ITEM, sentences, paragraph, parents[-1][1] if parents else last_lead, item.end())
            if sentences and sentences[-1].endswith(":"):  # the lead-in of the items nested under it
                parents.append((paragraph.indent, len(rows) - 1))
        else:
            sentences = _sentences(line)
            add(UnitKind.SENTENCE, sentences, paragraph, None)
        added = len(rows) - 1 if len(rows) > before else None
        table_lead = added if role is _Role.HEADER else table_lead if role is _Role.ROW else None
        term = added if role is _Role.SENTENCE else term if role is _Role.DEFINITION else None
        if role is _Role.SENTENCE:
            last_lead = len(rows) - 1 if sentences and sentences[-1].endswith(":") else None
        elif role is not _Role.ITEM:
            last_lead = None
    return rows, starts, " ".join(norms)


class _Lines:
    """Where the lines of a paragraph start in it, to tell the line a sentence of it starts on."""

    __slots__ = ("text", "offsets", "numbers", "indent", "note")

    def __init__(self, text: str, offsets: list[int], numbers: list[int], indent: int = 0, note: bool = False):
        self.text, self.offsets, self.numbers = text, offsets, numbers
        self.indent = indent  # the first line's indentation, a tab counted as 4 spaces: a list's nesting
        self.note = note  # an inline note's text: sentences, whatever it starts with

    def locate(self, sentence: str, after: int) -> tuple[int, int]:
        """The line on which `sentence`, the paragraph's next sentence from `after` on, starts, and
        where it ends (where to look for the next)."""
        if len(self.numbers) == 1:  # most paragraphs: one line, and no need to look
            return self.numbers[0], after
        found = self.text.find(sentence, after)
        return self.numbers[bisect.bisect_right(self.offsets, found) - 1], found + len(sentence)


def _paragraphs(body: list[str], first_line: int) -> list[_Lines]:
    """The body's lines, stripped, with a line that continues a paragraph (a soft line break: see _continues)
    joined to it by a space, so that a sentence written over two lines is one sentence; each with where its
    lines start."""
    paragraphs: list[_Lines] = []
    previous = ""
    for number, raw in enumerate(body, start=first_line):
        line = raw.strip()
        footnote = line.startswith("[^") and _FOOTNOTE_LABEL.match(line) is not None
        if "[^" in line:
            line = _without_footnote_marks(line)
        if line and previous and not footnote and _continues(line, raw, previous, paragraphs[-1].text):
            paragraph = paragraphs[-1]
            paragraph.offsets.append(len(paragraph.text) + 1)
            paragraph.numbers.append(number)
            paragraph.text += " " + line
        elif line:
            paragraphs.append(_Lines(line, [0], [number], _indent(raw)))
        previous = line
    return _inline_notes_set_apart(paragraphs)


def _inline_notes_set_apart(paragraphs: list[_Lines]) -> list[_Lines]:
    """The paragraphs without their inline notes ("^[...]"), then each note as a paragraph of its own; a paragraph
    that held nothing but notes is gone."""
    kept: list[_Lines] = []
    notes: list[_Lines] = []
    for paragraph in paragraphs:
        spans = _note_spans(paragraph.text) if _INLINE_NOTE in paragraph.text else []
        if not spans:
            kept.append(paragraph)
            continue
        rest = _without_spans(paragraph, [(cut, end) for cut, _, _, end in spans])
        if rest is not None:
            kept.append(rest)
        notes += [note for _, start, close, _ in spans if (note := _note(paragraph, start, close)) is not None]
    return kept + notes


def _note_spans(text: str) -> list[tuple[int, int, int, int]]:
    """Each inline note of a paragraph's text: where its cut starts (with the spaces before it), where its text
    starts and ends, and where its cut ends (past the closing bracket). A note left open is no note, nor is any
    "^[" after it."""
    spans = []
    at = text.find(_INLINE_NOTE)
    while at >= 0:
        depth, close = 1, at + len(_INLINE_NOTE)
        while depth and close < len(text):
            depth += {"[": 1, "]": -1}.get(text[close], 0)
            close += 1
        if depth:
            break
        cut = len(text[:at].rstrip(" \t"))
        spans.append((cut, at + len(_INLINE_NOTE), close - 1, close))
        at = text.find(_INLINE_NOTE, close)
    return spans


def without_inline_notes(text: str) -> str:
    """A text with its inline notes ("^[...]") cut out, as a sentence of a document is read: what a quote that kept
    one should have said."""
    spans = _note_spans(text) if _INLINE_NOTE in text else []
    kept, at = [], 0
    for cut, _, _, end in spans:
        kept.append(text[at:cut])
        at = end
    return "".join(kept) + text[at:]


def _without_spans(paragraph: _Lines, spans: list[tuple[int, int]]) -> _Lines | None:
    """The paragraph with the spans (start, end; in order, apart) cut out and the rest stripped, each line starting
    where its text now does (a line that started inside a span: where the span was); None if nothing is left."""
    pieces, at = [], 0
    for start, end in spans:
        pieces.append(paragraph.text[at:start])
        at = end
    pieces.append(paragraph.text[at:])
    joined = "".join(pieces)
    text = joined.strip()
    if not text:
        return None
    lead = len(joined) - len(joined.lstrip())

    def moved(offset: int) -> int:
        gone = sum(min(end, offset) - start for start, end in spans if start < offset)
        return min(max(offset - gone - lead, 0), len(text))

    return _Lines(text, [moved(offset) for offset in paragraph.offsets], list(paragraph.numbers), paragraph.indent)


def _note(paragraph: _Lines, start: int, end: int) -> _Lines | None:
    """The note whose text is start..end of a paragraph, as a paragraph of its own, stripped, with the lines it
    spans; None if blank."""
    raw = paragraph.text[start:end]
    text = raw.strip()
    if not text:
        return None
    lead = len(raw) - len(raw.lstrip())
    first = bisect.bisect_right(paragraph.offsets, start) - 1
    offsets, numbers = [0], [paragraph.numbers[first]]
    for offset, number in zip(paragraph.offsets[first + 1:], paragraph.numbers[first + 1:]):
        if offset >= end:
            break
        offsets.append(min(max(offset - start - lead, 0), len(text)))
        numbers.append(number)
    return _Lines(text, offsets, numbers, 0, note=True)


def _without_footnote_marks(line: str) -> str:
    """A line (stripped) without the label of the footnote it defines, if it starts one, and without the footnote
    references in it: what is left of them is its text."""
    label = _FOOTNOTE_LABEL.match(line)
    return _FOOTNOTE_REFERENCE.sub(_footnote_reference_removed, line[label.end() if label else 0:]).strip()


def _footnote_reference_removed(found: re.Match) -> str:
    """Nothing for a footnote reference, and the text as it is for a "[^" that starts none (see _FOOTNOTE_REFERENCE)."""
    return "" if found[0].endswith("]") else found[0]


def _continues(line: str, raw: str, previous: str, paragraph: str) -> bool:
    """Whether a line (stripped; `raw` as written) continues the paragraph that the line before it (`previous`,
    stripped, not blank) is in: not when either is a heading or a table row, nor when the line starts a list item
    or a definition (': ...'), nor after a definition's line unless it is indented (a definition list's next term
    is not: "der", ": the article of a masculine noun", "die", ...)."""
    if _HEADING.match(previous) or _HEADING.match(line) or line[0] == "|" or previous[0] == "|":
        return False
    if _DEFINITION.match(line) or _DEFINITION.match(paragraph) and not raw[:1].isspace():
        return False
    return not _starts_item(line, paragraph)


def _indent(raw: str) -> int:
    """How far a line is indented, a tab counted as 4 spaces (as Markdown nests a list by it)."""
    spaced = raw.expandtabs(4)
    return len(spaced) - len(spaced.lstrip())


def _starts_item(line: str, paragraph: str) -> bool:
    """Whether `line` starts a list item rather than continuing `paragraph`, as Markdown reads it: a bullet does,
    and a number does when it is 1 or the paragraph is an item itself; so "... in the year" and then "1918. The
    reform ..." on the next line is one sentence."""
    item = _ITEM.match(line)
    if item is None:
        return False
    marker = item.group().rstrip()
    return not marker[0].isdigit() or marker[:-1] == "1" or _ITEM.match(paragraph) is not None


def _sentences(line: str) -> list[str]:
    """The line split where _SENTENCE_END matches."""
    return [part.strip() for part in _SENTENCE_END.split(line) if part.strip()]


def read_front_matter(root: Path, path: Path) -> dict[str, str] | None:
    """A document's front matter alone (title, publisher, author ...), without cutting its text into
    units: what lint needs to know what a card could call the document by. None if the file or its
    front matter cannot be read (load_document then says why)."""
    problems: list[Diagnostic] = []
    shown = display_path(path, root)
    try:
        text, problems = decode_text(shown, read_input(path, root))
    except OSError:
        return None
    if text is None or problems:
        return None
    head: list[str] = []
    start = 0
    while start <= len(text):  # the lines up to the closing '---', as _front_matter_end finds it
        end = text.find("\n", start)
        line = text[start:] if end < 0 else text[start:end]
        if head and line.strip() == "---":
            front = _front_matter(shown, "\n".join(head[1:]), problems)
            return None if problems else front
        if not head and line.strip() != "---":
            return None
        head.append(line)
        if end < 0:
            return None
        start = end + 1
    return None
