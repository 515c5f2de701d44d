"""The sentence a card's back quotes, as Anki's own backend renders the back of the built deck: which of its characters
are marked as quoted, and what of the source's Markdown shows. Found by "Clinical Numbers", the fifth deck.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from helpers import import_apkg, notes_by_card_id, open_collection, run_cli

DECK_YAML = """\
title: Quoted Sentence Probe
description: A test deck.
output: quoted-sentence-probe.apkg
namespace: quoted-sentence-probe-0a1b2c3d
"""

SOURCE = """\
---
title: "Numbers for the ward"
publisher: deckgen tests
language: en
---

# Numbers for the ward

Normal body temperature is about 37 °C (98.6 °F).

The usual adult dose of the drug is 0.5 mg, up to 1.5 mg a day .

A fever is often treated at home, e.g. with rest and fluids.

A normal adult respiratory rate [^rr] is 12–20 breaths per minute.
An HbA1c of 48 mmol/mol or higher is diagnostic of diabetes.[^labs]
[^rr]: Rates are counted over one full minute.
[^labs]: Each laboratory publishes its own reference ranges.

Oxygen saturation^[Pulse oximeters clip onto a
finger.] under 92 percent calls for oxygen.
"""


def _card(card_id: str, question: str, answer: str, quote: str) -> str:
    return (f"  - id: {card_id}\n    question: \"{question}\"\n    answer: \"{answer}\"\n    sources:\n"
            f"      - doc: ward\n        quote: \"{quote}\"\n")


CARDS = "deck: Numbers\ncards:\n" + "".join([
    _card("temperature", "What is normal body temperature in °C?", "About 37 °C.",
          "Normal body temperature is about 37 °C ... ."),
    _card("dose", "What is the usual adult dose of the drug?", "0.5 mg.", "The usual adult dose of the drug is 0.5 mg ... ."),
    _card("fever", "Where is a fever often treated?", "At home.", "A fever is often treated at home ... ."),
    _card("rate", "What is a normal adult respiratory rate?", "12–20 breaths per minute.",
          "A normal adult respiratory rate is 12–20 breaths per minute."),
    _card("hba1c", "What HbA1c is diagnostic of diabetes?", "48 mmol/mol or higher.",
          "An HbA1c of 48 mmol/mol or higher is diagnostic of diabetes."),
    _card("counted", "Over what are rates counted?", "One full minute.", "Rates are counted over one full minute."),
    _card("ranges", "Who publishes its own reference ranges?", "Each laboratory.",
          "Each laboratory publishes its own reference ranges."),
    _card("saturation", "What oxygen saturation calls for oxygen?", "Under 92 percent.",
          "Oxygen saturation under 92 percent calls for oxygen."),
    _card("oximeters", "Onto what do pulse oximeters clip?", "A finger.", "Pulse oximeters clip onto a finger."),
])


class QuoteReader(HTMLParser):
    """The text of a back's quoted sentence (its <blockquote>), and the runs of it inside <mark class="quoted">, each
    as (where it starts in the text, its text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.marked: list[tuple[int, str]] = []
        self._open: list[str] = []

    def handle_starttag(self, tag, attrs):
        self._open.append(tag)
        if tag == "mark" and "blockquote" in self._open:
            self.marked.append((len(self.text), ""))

    def handle_endtag(self, tag):
        if tag in self._open:
            del self._open[len(self._open) - 1 - self._open[::-1].index(tag):]

    def handle_data(self, data):
        if "blockquote" in self._open:
            self.text += data
            if "mark" in self._open:
                start, text = self.marked[-1]
                self.marked[-1] = (start, text + data)


def read_quote(html: str) -> QuoteReader:
    reader = QuoteReader()
    reader.feed(html)
    reader.close()
    return reader


@pytest.fixture(scope="module")
def backs(tmp_path_factory) -> dict[str, str]:
    """Each card's back, as Anki renders it from the built deck."""
    project = tmp_path_factory.mktemp("quoted") / "project"
    (project / "cards").mkdir(parents=True)
    (project / "sources").mkdir()
    (project / "cards" / "deck.yaml").write_text(DECK_YAML, encoding="utf-8")
    (project / "cards" / "numbers.yaml").write_text(CARDS, encoding="utf-8")
    (project / "sources" / "ward.md").write_text(SOURCE, encoding="utf-8")
    result = run_cli(project, "build")
    assert result.returncode == 0, result.stderr
    col = open_collection(tmp_path_factory.mktemp("anki") / "collection.anki2")
    try:
        import_apkg(col, project / "build" / "quoted-sentence-probe.apkg")
        return {card_id: note.cards()[0].answer() for card_id, note in notes_by_card_id(col).items()}
    finally:
        col.close()


@pytest.mark.parametrize("card_id, sentence, marked", [
    ("temperature", "Normal body temperature is about 37 °C (98.6 °F).",
     [(0, "Normal body temperature is about 37 °C"), (48, ".")]),
    ("dose", "The usual adult dose of the drug is 0.5 mg, up to 1.5 mg a day .",
     [(0, "The usual adult dose of the drug is 0.5 mg"), (63, ".")]),
    ("fever", "A fever is often treated at home, e.g. with rest and fluids.",
     [(0, "A fever is often treated at home"), (59, ".")]),
], ids=["point-of-a-number-before-the-full-stop", "spaced-full-stop", "abbreviation-before-the-full-stop"])
def test_a_quotes_full_stop_is_the_sentences(backs, card_id, sentence, marked):
    """A quote ending '... .' had the point inside the number before the full stop marked ("98<mark>.</mark>6"),
    or the point of an "e.g." after the quote's words: each piece was placed as early as it could be, inside a word
    or not."""
    quote = read_quote(backs[card_id])
    assert quote.text == sentence
    assert quote.marked == marked and marked[-1][0] == len(sentence) - 1


@pytest.mark.parametrize("card_id, sentence", [
    ("rate", "A normal adult respiratory rate is 12–20 breaths per minute."),
    ("hba1c", "An HbA1c of 48 mmol/mol or higher is diagnostic of diabetes."),
    ("counted", "Rates are counted over one full minute."),
    ("ranges", "Each laboratory publishes its own reference ranges."),
], ids=["reference-inside-the-sentence", "reference-after-the-full-stop", "footnote-under-another-line",
        "footnote-under-another-footnote"])
def test_a_footnotes_marks_are_no_text_of_its_sentences(backs, card_id, sentence):
    """A Markdown footnote's reference ("[^rr]") and its definition's label ("[^labs]: ") were read as words of the
    sentence: a quote without the reference inside its sentence was not found, and the back showed both as raw
    Markdown. Neither is text: the gate reads, and the back shows, the sentence without them; a definition is a
    paragraph of its own, not part of the line above it."""
    quote = read_quote(backs[card_id])
    assert quote.text == sentence and quote.marked == [(0, sentence)]


@pytest.mark.parametrize("card_id, sentence", [
    ("saturation", "Oxygen saturation under 92 percent calls for oxygen."),
    ("oximeters", "Pulse oximeters clip onto a finger."),
], ids=["sentence-around-the-note", "the-notes-text"])
def test_a_pandoc_inline_notes_text_is_no_text_of_its_sentence(backs, card_id, sentence):
    """Pandoc's inline note ("Oxygen saturation^[Pulse oximeters clip onto a finger.] under ...", over two lines) was
    read as words of its sentence: a quote of the sentence without it was not found, and the back showed the raw
    "^[...]". The note is no part of its sentence; its text is a sentence of its own, which a card may quote."""
    quote = read_quote(backs[card_id])
    assert quote.text == sentence and quote.marked == [(0, sentence)]
