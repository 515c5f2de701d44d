"""The source index's and the gate's shortcuts compute exactly what the general code computes.

Each test below sets a shortcut against the general way, written out here, on text chosen to trip it:
non-ASCII, curly quotes, dashes, ligatures, combining accents, case folding ('ß', 'İ'), white space
runs and odd white space (tabs, form feeds, CR, no-break and ideographic spaces), list markers,
sentence ends.

* normalize() lower-cases ASCII text instead of NFKC and case folding, and runs the list-marker
  pattern on one line only when it starts with a character a marker can start with.
* A document's units are kept as rows, and a Unit object is made only when asked for: it is the one
  an eager cut (written out here) makes, with the same line numbers.
* A Term knows when made whether it is a negation.
* units_between() takes the units a span overlaps from two bisections, not by looking at each unit.
* quote_pieces() is cached, and display_path() resolves each root once (per working directory).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deckgen.diagnostics import display_path
from deckgen.sources import _HEADING, _ITEM, SourceDoc, Unit, UnitKind, _cut_units, _sentences, load_corpus
from deckgen.textnorm import (_LIST_MARKER, _MARKER_STARTS, _SPACE, ELLIPSIS, ONE_FOR_ONE, Term, Vocabulary,
                              is_negation, normalize, quote_pieces)
from helpers import REPO

# Characters that make normalisation do something: case folding, NFKC (ligature, fullwidth, superscript,
# composed accents), curly quotes and dashes, white space of every kind, list markers, sentence ends.
TRICKY = ("aBz09 .,:;'-*+#|)(!?\u00e9e\u0301\u00df\u1e9e\u0130\u2019\u201c\u201d\u2014\u2013\ufb01\uff21\uff11\u00b2"
          "\u0663\u2022\u00a0\u3000\u2028\t\n\r\x0b\x0c\x1c\u3002\uff01")


def _normalize_in_full(text: str) -> str:
    """normalize() without any shortcut: every pass on every text."""
    text = unicodedata.normalize("NFKC", text).translate(ONE_FOR_ONE)
    text = "".join("\u00df" if char in "\u00df\u1e9e" else char.casefold() for char in text)  # "ß" stays "ß"
    return _SPACE.sub(" ", re.sub(_LIST_MARKER, "", text)).strip()


# --- normalisation -----------------------------------------------------------------------------------

def test_a_list_marker_starts_with_one_of_the_marker_starts_or_a_decimal_digit():
    """The pre-check in normalize() stands for the pattern: \\d is exactly str.isdecimal(), and
    nothing outside _MARKER_STARTS and the digits starts a marker."""
    every_char = "".join(map(chr, range(sys.maxunicode + 1)))
    assert re.findall(r"\d", every_char) == [c for c in every_char if c.isdecimal()]
    for char in every_char:
        if re.match(_LIST_MARKER, char + ". x") or re.match(_LIST_MARKER, char + " x"):
            assert char in _MARKER_STARTS or char.isdecimal(), repr(char)


@settings(max_examples=800, deadline=None)
@given(st.text(alphabet=st.sampled_from(TRICKY), max_size=24) | st.text(max_size=24))
def test_normalize_is_normalize_in_full(text):
    assert normalize(text) == _normalize_in_full(text)


@pytest.mark.parametrize("text", ["1. one", "\u0663) three", "\uff11. fullwidth", "\u00b2. squared", "\u2022 bullet",
                                  " \t- spaced", "## heading", "#hash", "12) twelve", "- ", "-", "", "\u0130. dot",
                                  "\u00df. sharp", "\ufb01. fi", "\u2014 dash", "+  plus"])
def test_normalize_of_texts_that_start_like_a_marker(text):
    assert normalize(text) == _normalize_in_full(text)


# --- cutting a document into units -----------------------------------------------------------------------

def _cut_in_full(body: list[str], first_line: int) -> tuple[list[Unit], str]:
    """The units of a body cut eagerly: every Unit made at once, each line's number looked up by scanning. A list
    item's lead-in is the sentence ending in ':' above its list, or the item ending in ':' it is nested in; a table
    row's, its table's header row (the rule under it is no unit); a definition's (': ...'), the paragraph above."""
    units: list[Unit] = []
    norms: list[str] = []
    offset = 0
    last_lead = None  # a sentence ending in ':'
    table_lead = None  # a table's header row
    term = None  # a plain paragraph, which a definition below it defines
    parents: list[tuple[int, int]] = []  # items ending in ':' above: (indent, unit index)

    def add(kind: UnitKind, text: str, line: int, lead: int | None) -> None:
        nonlocal offset
        norm = _normalize_in_full(text)
        if norm:
            units.append(Unit(len(units), kind, text, offset, offset + len(norm), line, lead))
            norms.append(norm)
            offset += len(norm) + 1

    def add_sentences(text: str, position: int, line: str, numbers, kind: UnitKind, lead: int | None) -> None:
        for index, sentence in enumerate(_sentences(text)):
            found = line.index(sentence, position)
            position = found + len(sentence)
            number = [n for start, n in numbers if start <= found][-1]
            if index == 0:
                add(kind, sentence, number, lead)
            else:
                add(UnitKind.SENTENCE, sentence, number, None)

    paragraphs, notes = _notes_in_full(_paragraphs_in_full(body, first_line))
    for index, (line, numbers, indent) in enumerate(paragraphs):
        count = len(units)
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
        if line.startswith("|") and _RULE_IN_FULL.fullmatch(line):
            continue
        if line.startswith("|"):
            header = following is not None and following[1][0][1] == numbers[0][1] + 1 \
                and _RULE_IN_FULL.fullmatch(following[0]) is not None
            lead = None if header else table_lead
            add_sentences(line, 0, line, numbers, UnitKind.SENTENCE if lead is None else UnitKind.ITEM, lead)
            table_lead = (len(units) - 1 if len(units) > count else None) if header else table_lead
            last_lead, term, parents = None, None, []
            continue
        table_lead = None
        if re.match(r":\s", line):
            add_sentences(line, 0, line, numbers, UnitKind.SENTENCE if term is None else UnitKind.ITEM, term)
            last_lead, parents = None, []
            continue
        term = None
        heading = _HEADING.match(line)
        if heading:  # on the line where its text starts (a heading joined from two lines is one)
            add(UnitKind.HEADING, line[heading.end():], [n for start, n in numbers if start <= heading.end()][-1], None)
            last_lead, parents = None, []
            continue
        item = _ITEM.match(line)
        if item:
            parents = [(depth, unit) for depth, unit in parents if depth < indent]
            add_sentences(line[item.end():], item.end(), line, numbers, UnitKind.ITEM,
                          parents[-1][1] if parents else last_lead)
            if _sentences(line[item.end():]) and _sentences(line[item.end():])[-1].endswith(":"):
                parents.append((indent, len(units) - 1))
            continue
        parents = []
        add_sentences(line, 0, line, numbers, UnitKind.SENTENCE, None)
        sentences = _sentences(line)
        last_lead = len(units) - 1 if sentences and sentences[-1].endswith(":") else None
        term = len(units) - 1 if len(units) > count else None
    for note, numbers in notes:  # Pandoc's inline notes, after the rest, as sentences whatever they start with
        add_sentences(note, 0, note, numbers, UnitKind.SENTENCE, None)
    return units, " ".join(norms)


_RULE_IN_FULL = re.compile(r"\|[\s:|-]*-[\s:|-]*")


def _notes_in_full(paragraphs):
    """The paragraphs without Pandoc's inline notes ("^[...]", brackets balanced within the paragraph, the spaces
    before it cut too; an unclosed one is text, and so is all after it), read one character at a time; and each
    note's text with the lines it spans. A paragraph left blank is dropped, and so is a blank note."""
    kept_paragraphs, notes = [], []
    for text, numbers, indent in paragraphs:
        line_at = dict(numbers)  # where a line starts in the text -> its number
        kept, kept_lines, position, current, unclosed = "", [], 0, numbers[0][1], False
        while position < len(text):
            if position in line_at:
                current = line_at[position]
                kept_lines.append((len(kept), current))
            if text.startswith("^[", position) and not unclosed:
                depth, end = 0, position + 1
                while end < len(text):
                    depth += 1 if text[end] == "[" else -1 if text[end] == "]" else 0
                    end += 1
                    if depth == 0:
                        break
                if depth == 0:
                    note_lines = [(0, current)]
                    note = ""
                    for inside in range(position + 2, end - 1):
                        if inside in line_at:
                            note_lines.append((len(note), line_at[inside]))
                        note += text[inside]
                    kept = kept.rstrip(" \t")
                    kept_lines = [(min(at, len(kept)), number) for at, number in kept_lines]
                    for inside in range(position + 1, end):  # a line that starts inside: where the note was
                        if inside in line_at:
                            current = line_at[inside]
                            kept_lines.append((len(kept), current))
                    stripped = note.strip()
                    if stripped:
                        lead = len(note) - len(note.lstrip())
                        notes.append((stripped, [(min(max(at - lead, 0), len(stripped)), number)
                                                 for at, number in note_lines]))
                    position = end
                    continue
                unclosed = True
            kept += text[position]
            position += 1
        stripped = kept.strip()
        if stripped:
            lead = len(kept) - len(kept.lstrip())
            kept_paragraphs.append((stripped, [(min(max(at - lead, 0), len(stripped)), number)
                                               for at, number in kept_lines], indent))
    return kept_paragraphs, notes


def _paragraphs_in_full(body: list[str], first_line: int) -> list[tuple[str, list[tuple[int, int]], int]]:
    """Each paragraph's text (its lines stripped and joined by a space: a line that is not blank, a heading, a list
    item (a number other than 1 only after an item), a table row or a definition continues the one before it,
    unless that is a heading or a table row, or a definition and the line is not indented), with where each of its
    lines starts in it and that line's number, and how far its first line is indented (a tab as 4 spaces)."""
    paragraphs: list[tuple[str, list[tuple[int, int]], int]] = []
    previous = ""
    for number, raw in enumerate(body, start=first_line):
        line = raw.strip()
        note = re.match(r"\[\^[^\]\s]+\]:[ \t]*", line)  # a footnote's definition: a paragraph of its own
        line = re.sub(r"[ \t]*\[\^[^\]\s]+\]", "", line[note.end() if note else 0:]).strip()  # no label, no references
        item = _ITEM.match(line)  # a number starts an item only when it is 1 or its paragraph is an item ("1918. ...")
        starts_item = bool(line and previous) and item is not None and (  # asked, as sources does, only of a line
            not line[0].isdigit() or item.group().rstrip()[:-1] == "1"     # that may continue a paragraph
            or _ITEM.match(paragraphs[-1][0]) is not None)
        continues = bool(line and previous) and not note and not any(_HEADING.match(x) for x in (previous, line)) \
            and not starts_item and not line.startswith("|") and not previous.startswith("|") \
            and not re.match(r":\s", line) and not (re.match(r":\s", paragraphs[-1][0]) and not raw[:1].isspace())
        if continues:
            text, numbers, indent = paragraphs[-1]
            paragraphs[-1] = (text + " " + line, numbers + [(len(text) + 1, number)], indent)
        elif line:
            spaced = raw.expandtabs(4)
            paragraphs.append((line, [(0, number)], len(spaced) - len(spaced.lstrip())))
        previous = line
    return paragraphs


def _doc(body: list[str], first_line: int = 5) -> SourceDoc:
    rows, starts, norm = _cut_units(body, first_line)
    return SourceDoc("doc", "sources/doc.md", "T", "P", "", "", "en", "", tuple(rows), tuple(starts), norm)


def _assert_cut_as_in_full(body: list[str]) -> None:
    expected_units, expected_norm = _cut_in_full(body, 5)
    doc = _doc(body)
    assert doc.norm == expected_norm
    assert list(doc.units) == expected_units
    for unit in doc.units:
        assert doc.unit(unit.index) is unit  # made once: the same object however it is reached
        assert doc.norm_of(unit) == _normalize_in_full(unit.text)


# Pieces of document lines: words, sentence ends with one space or more, markers, leads, odd white space.
_LINE_PIECES = st.sampled_from(["Word", "two words", ". ", ".  ", "! ", "? ", ":", ". 1. ", ". - ", ". ## ", "1) ",
                                " | ",
                                "e.g. ", "\u00e9t\u00e9", "\u2019s", "\u2014", "\ufb01ne", "Stra\u00dfe", "e\u0301",
                                "\u00a0", "\u3000", "\t", "  ", "\r", "\x0c", "\u3002", "x.y", "...", "[^1]", " [^n]",
                                "[^", "[^]", "^[", " ^[", "]", "^[A note.]", "^[]", "^[- x]", "[", "^"])
_LINE_STARTS = st.sampled_from(["", "", "- ", "* ", "+ ", "# ", "### ", "1. ", "  ", "\t- ", "-", "  - ", "    1. ",
                                "| ", ": ", ":\t", ":", "[^1]: ", "[^n]:", " [^1]:"])
lines = st.builds(lambda start, pieces, end: start + "".join(pieces) + end, _LINE_STARTS,
                  st.lists(_LINE_PIECES, min_size=1, max_size=8), st.sampled_from(["", ".", ":", " ", "\r", " |"])) \
    | st.sampled_from(["|---|---|", "| :-- | --: |", " |-|", "| a | b |", "|", "| - |"])


@settings(max_examples=500, deadline=None)
@given(st.lists(lines | st.just(""), min_size=1, max_size=8))
def test_units_of_document_lines_are_the_units_cut_in_full(body):
    _assert_cut_as_in_full(body)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(TRICKY), max_size=30), min_size=1, max_size=6))
def test_units_of_any_text_are_the_units_cut_in_full(body):
    _assert_cut_as_in_full([line for line in "\n".join(body).split("\n")])


@pytest.mark.parametrize("body", [
    ["Intro sentence here:", "- first item. Second sentence", "- second item", "", "Plain. Two. Three."],
    ["A line with a CRLF end.\r", "- an item\r", "Another line:\r"],
    ["Tab\tinside. Here.", "plain line. Here."],
    ["Form\x0cfeed. x", "Double  space. y"],
    ["One. 2) two. - three. # four", "See 3. Then more"],
    ["\u00c9t\u00e9. Caf\u00e9 \u2014 na\u00efve. Stra\u00dfe.", "ASCII line. Next one."],
    ["Ends with a dot.", "x. . y", "a.. b", "Wait... what. Yes"],
    ["\u0663. 0"],  # an Arabic-Indic digit is no list number (found by the property test below)
    ["0", "0. 0"],  # a number other than 1 continues a paragraph that is no item (found by the property test below)
    ["|-0"],  # a line of '|' and '-' with anything else is a table row, not the rule under a header (property test)
    ["0) 0"],  # a number other than 1 on the first line: no paragraph before it to continue (property test)
    ["A rate[^rr] is fast. Next.[^2]", "[^rr]: Its note.", "    continued", "[^2]:", "Then - [^x] a line"],
    ["Calcium^[Not the metal.] builds bone. It also", "helps nerves ^[See the", "table [x] here.] fire.", "",
     "^[Only a note.]", "- an item^[- not an item.]", "Open ^[never closed.", "^[", "x]"],
])
def test_units_of_tricky_bodies_are_the_units_cut_in_full(body):
    _assert_cut_as_in_full(body)


def test_units_of_the_real_sources_are_the_units_cut_in_full():
    corpus, problems = load_corpus(REPO)
    assert corpus.docs and not problems
    for doc in corpus.docs.values():
        lines = (REPO / doc.path).read_text(encoding="utf-8").split("\n")
        close = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
        expected_units, expected_norm = _cut_in_full(lines[close + 1:], close + 2)
        assert doc.norm == expected_norm
        assert list(doc.units) == expected_units


def test_units_are_made_only_when_asked_for_and_once():
    doc = _doc(["First. Second. Third.", "- item one", "- item two"])
    assert not doc._made
    second = doc.unit_at(doc.starts[1])
    assert list(doc._made) == [1]
    assert doc.units_between(doc.starts[1], doc.starts[2])[0] is second
    assert doc.units[1] is second and len(doc._made) == len(doc.rows) == 5


def _units_between_in_full(doc: SourceDoc, start: int, end: int) -> list[Unit]:
    """Every unit overlapping [start, end), found by looking at each unit."""
    return [unit for unit in doc.units if unit.start < end and start < unit.end]


@settings(max_examples=300, deadline=None)
@given(st.lists(lines | st.just(""), min_size=1, max_size=8), st.data())
def test_units_between_are_the_units_overlapping_the_span(body, data):
    """units_between() takes its range from two bisections; every span, including those that start or end
    on the space between two units, at the very start or past the end, gives the overlapping units."""
    doc = _doc(body)  # perhaps with no unit at all
    start = data.draw(st.integers(0, len(doc.norm)))
    end = data.draw(st.integers(start, len(doc.norm) + 1))
    assert doc.units_between(start, end) == _units_between_in_full(doc, start, end)


def test_units_between_every_span_of_a_document():
    doc = _doc(["# Head", "First one. Second:", "- item one", "- item two. And more.", "Last."])
    for start in range(len(doc.norm) + 1):
        for end in range(start, len(doc.norm) + 2):
            assert doc.units_between(start, end) == _units_between_in_full(doc, start, end), (start, end)


# --- words and terms ------------------------------------------------------------------------------------

# Synonyms that make phrases of decisive words, and a one-word synonym that is a negation.
SYNONYMS = (("ckd", "chronic kidney disease"), ("high calcium", "hypercalcemia"), ("not", "never"),
            ("dystrophic calcinosis", "dystrophic"))
_WORDS = ["calcium", "high", "low", "normal", "levels", "are", "not", "no", "never", "don't", "isn't", "without",
          "chronic", "kidney", "disease", "ckd", "hypercalcemia", "dystrophic", "metastatic", "calcinosis",
          "the", "of", "deposits", "forms", "excess", "phosphorus", "skin", "it's", "more"]
word_lists = st.lists(st.sampled_from(_WORDS), max_size=12).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(word_lists, st.booleans())
def test_what_a_term_knows_when_made_is_what_its_words_say(text, with_synonyms):
    for term in Vocabulary(SYNONYMS if with_synonyms else ()).terms(normalize(text)):
        assert term.negation == is_negation(term.raw)
        assert term == Term(term.raw, term.key, term.content)  # the worked-out flags are not compared


# --- cached results ---------------------------------------------------------------------------------------

def _quote_pieces_in_full(quote: str) -> list[str]:
    return [piece for piece in ELLIPSIS.split(_normalize_in_full(quote)) if piece]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(TRICKY + ".\u2026"), max_size=30))
def test_quote_pieces_cached_are_the_pieces_in_full(quote):
    """quote_pieces() is cached (the gate and rendering both ask): asked twice, it gives the same pieces,
    which are those of the ellipsis pattern on the quote normalised in full."""
    first = quote_pieces(quote)
    assert isinstance(first, tuple)  # so that no caller can change what the next one gets
    assert list(first) == list(quote_pieces(quote)) == _quote_pieces_in_full(quote)


def test_display_path_resolves_the_root_as_of_the_working_directory(tmp_path, monkeypatch):
    """display_path() resolves each root once, per working directory: a relative root shown from two
    directories is shown as resolved from each, as root.resolve() in full would."""
    for name in ("one", "two"):
        (tmp_path / name / "sources").mkdir(parents=True)
        (tmp_path / name / "sources" / "a.md").write_text("x")
    (tmp_path / "link").symlink_to(tmp_path / "one")

    def in_full(path, root):
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return str(path)

    root = Path("sources/..")
    for folder in ("one", "two", "link", "one"):
        monkeypatch.chdir(tmp_path / folder)
        for path in (Path("sources/a.md"), tmp_path / "one" / "sources" / "a.md", tmp_path / "two", Path("..")):
            for shown_root in (root, Path("."), tmp_path / "link", tmp_path / folder):
                assert display_path(path, shown_root) == in_full(path, shown_root), (folder, path, shown_root)
