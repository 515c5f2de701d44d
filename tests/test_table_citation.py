"""A card that quotes a row of a Markdown table shows, on its back, a small table: the table's header and the
quoted row, the cells the quote takes marked, every cell's text escaped. It showed the row as written,
"| der Bahnhof | the station |", pipes and all. Read here as the real Anki backend renders the back
(`card.answer()`); tests/test_mobile.py reads it in the phones' browsers.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from helpers import import_apkg, notes_by_card_id, open_collection, run_cli
from mini_project import remove_card

DECK_YAML = """\
title: Table Probe
description: A test deck.
output: table-probe.apkg
namespace: table-probe-0a1b2c3d
"""

VOCABULARY = """\
kinds:
  gender: [masculine, feminine, neuter]
frame: [mean]
"""

SOURCE = """\
---
title: "Travel German"
publisher: deckgen tests
language: en
---

# At the station

The train is late.

| German | Gender | Plural | English |
|---|---|---|---|
| das Gleis | neuter | die Gleise | the platform |
| der Bahnhof | masculine | die Bahnhöfe | the railway station |

# Signs

| German | English |
|---|---|
| Ein- & Ausgang | entrance & exit |
| Notausgang <b>rechts</b> | emergency exit on the <i>right</i> |
| Kasse | till \\| cash desk |
"""

CARDS = """\
deck: Words
cards:
  - id: gleis-meaning
    question: "What does 'das Gleis' mean?"
    answer: "The platform."
    sources:
      - doc: travel
        quote: "das Gleis | ... | the platform"
  - id: gleis-plural
    question: "What is the plural of 'das Gleis'?"
    answer: "die Gleise"
    sources:
      - doc: travel
        quote: "Plural ... das Gleis | ... | die Gleise"
  - id: ausgang
    question: "What does 'Ein- & Ausgang' mean?"
    answer: "Entrance & exit."
    sources:
      - doc: travel
        quote: "Ein- & Ausgang | entrance & exit"
  - id: notausgang
    question: "What does 'Notausgang <b>rechts</b>' mean?"
    answer: "Emergency exit on the right."
    sources:
      - doc: travel
        quote: "Notausgang <b>rechts</b> | emergency exit on the <i>right</i>"
  - id: kasse
    question: "What does 'Kasse' mean?"
    answer: "Till, cash desk."
    sources:
      - doc: travel
        quote: "Kasse | till \\\\| cash desk"
  - id: train-late
    question: "What is the train?"
    answer: "Late."
    sources:
      - doc: travel
        quote: "The train is late."
"""


def make_table_project(target: Path) -> Path:
    """A project whose one source has two Markdown tables, and cards that quote their rows (and one sentence)."""
    (target / "cards").mkdir(parents=True)
    (target / "sources").mkdir()
    (target / "cards" / "deck.yaml").write_text(DECK_YAML, encoding="utf-8")
    (target / "cards" / "vocabulary.yaml").write_text(VOCABULARY, encoding="utf-8")
    (target / "cards" / "words.yaml").write_text(CARDS, encoding="utf-8")
    (target / "sources" / "travel.md").write_text(SOURCE, encoding="utf-8")
    return target


@dataclass(frozen=True)
class Cell:
    text: str  # as the browser reads it: entities decoded
    marked: bool  # inside <mark class="quoted">


class CitationReader(HTMLParser):
    """The tags of a card side, and the header and row cells of its table."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.header: list[Cell] = []
        self.row: list[Cell] = []
        self._open: list[str] = []  # the elements the parser is inside
        self._cell: list[tuple[str, bool]] | None = None  # the current cell's text, each piece with: inside <mark>?

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._open.append(tag)
        if tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            cell = Cell("".join(text for text, _ in self._cell), any(marked for _, marked in self._cell))
            (self.header if tag == "th" else self.row).append(cell)
            self._cell = None
        if tag in self._open:
            del self._open[len(self._open) - 1 - self._open[::-1].index(tag):]

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append((data, "mark" in self._open))


def read_back(html: str) -> CitationReader:
    reader = CitationReader()
    reader.feed(html)
    reader.close()
    return reader


@pytest.fixture(scope="module")
def backs(tmp_path_factory) -> dict[str, str]:
    """Each card's back, as Anki renders it from the built deck."""
    project = make_table_project(tmp_path_factory.mktemp("tables") / "project")
    result = run_cli(project, "build")
    assert result.returncode == 0, result.stderr
    col = open_collection(tmp_path_factory.mktemp("anki") / "collection.anki2")
    try:
        import_apkg(col, project / "build" / "table-probe.apkg")
        return {card_id: note.cards()[0].answer() for card_id, note in notes_by_card_id(col).items()}
    finally:
        col.close()


def test_a_quoted_row_shows_as_its_tables_header_and_the_row(backs):
    back = read_back(backs["gleis-meaning"])
    assert [c.text for c in back.header] == ["German", "Gender", "Plural", "English"]
    assert [c.text for c in back.row] == ["das Gleis", "neuter", "die Gleise", "the platform"]
    assert {"table", "thead", "tbody", "tr", "th", "td"} <= set(back.tags) and "blockquote" not in back.tags
    assert "| das Gleis" not in backs["gleis-meaning"] and "the platform |" not in backs["gleis-meaning"]


def test_the_cells_the_quote_takes_are_marked(backs):
    meaning, plural = read_back(backs["gleis-meaning"]), read_back(backs["gleis-plural"])
    assert [c.marked for c in meaning.header] == [False] * 4
    assert [c.marked for c in meaning.row] == [True, False, False, True]  # "das Gleis | ... | the platform"
    assert [c.marked for c in plural.header] == [False, False, True, False]  # "Plural ... das Gleis | ... | die Gleise"
    assert [c.marked for c in plural.row] == [True, False, True, False]


def test_cell_text_is_escaped(backs):
    html = backs["notausgang"]
    back = read_back(html)
    assert [c.text for c in back.row] == ["Notausgang <b>rechts</b>", "emergency exit on the <i>right</i>"]
    assert "Notausgang &lt;b&gt;rechts&lt;/b&gt;" in html and "<b>" not in html and "<i>" not in html
    assert [c.text for c in read_back(backs["ausgang"]).row] == ["Ein- & Ausgang", "entrance & exit"]
    assert "Ein- &amp; Ausgang" in backs["ausgang"]


def test_an_escaped_pipe_is_text_of_its_cell(backs):
    assert [c.text for c in read_back(backs["kasse"]).row] == ["Kasse", "till | cash desk"]


def test_a_quoted_sentence_still_shows_as_a_quote(backs):
    back = read_back(backs["train-late"])
    assert "blockquote" in back.tags and "table" not in back.tags
    assert '<mark class="quoted">The train is late.</mark></blockquote>' in backs["train-late"]


def test_a_retired_table_card_still_ships(tmp_path):
    """A retired card ships its stored fields, which may hold only the tags deckgen writes: the table's too."""
    project = make_table_project(tmp_path / "project")
    assert run_cli(project, "build").returncode == 0
    remove_card(project / "cards" / "words.yaml", "gleis-plural")
    for _ in range(2):  # retired by the first build, read back from deck.lock by the second
        result = run_cli(project, "build")
        assert result.returncode == 0, result.stderr
    assert "1 retired note still ships" in result.stdout
