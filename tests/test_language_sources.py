"""A language-learning deck's sources: a glossary as a Markdown table, a grammar note with nested lists and a
definition list, words with "ß", and "article" as a word of grammar (found by building "German for Travellers",
the fourth deck). Each case is a card the gate wrongly let through, or a true card it refused for no reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from deckgen.diagnostics import DeckgenFailure
from deckgen.pipeline import check

DECK_YAML = """\
title: German Probe
description: A test deck.
output: german-probe.apkg
namespace: german-probe-0a1b2c3d
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
| das Schließfach | neuter | die Schließfächer | the locker |

The train leaves from platform seven.

# In the street

| German | Gender | Plural | English |
|:--|:--:|--:|---|
| die Brücke | feminine | die Brücken | the bridge |

# Endings

Some endings tell the gender of a noun:

- Feminine:
  - nouns ending in -ung;
  - nouns ending in -heit.
- Neuter:
  - nouns ending in -chen.
- Masculine nouns are many.

# Articles

der
: the article of a masculine noun
die
: the article of a feminine noun

„Trinken in Maßen“ means "drinking in moderation". „Touristen in Massen“ means "tourists in huge numbers".

„Ich wohne in Berlin.“ means "I live in Berlin.".

Some masculine nouns add an umlaut and -e, so „der Zug“ becomes „die Züge“.

A traveller may say «Ich steige in München aus».
"""

VOCABULARY = """\
kinds:
  gender: [masculine, feminine, neuter]
  article: [der, die, das]
frame: [mean]
"""


def _card(card_id: str, question: str, answer: str, quote: str) -> str:
    return (f"  - id: {card_id}\n    question: \"{question}\"\n    answer: \"{answer}\"\n    sources:\n"
            f"      - doc: travel\n        quote: '{quote}'\n")


def _problems(tmp_path: Path, *cards: str, vocabulary: str = VOCABULARY) -> list[tuple[str, str]]:
    """(code, message) of every problem `deckgen check` finds in a project of these cards."""
    (tmp_path / "cards").mkdir()
    (tmp_path / "sources").mkdir()
    (tmp_path / "cards" / "deck.yaml").write_text(DECK_YAML, encoding="utf-8")
    (tmp_path / "cards" / "vocabulary.yaml").write_text(vocabulary, encoding="utf-8")
    (tmp_path / "sources" / "travel.md").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "cards" / "words.yaml").write_text("deck: Words\ncards:\n" + "".join(cards), encoding="utf-8")
    try:
        check(tmp_path)
    except DeckgenFailure as failure:
        return [(d.code, d.message) for d in failure.diagnostics]
    return []


# --- false cards the gate let through ----------------------------------------------------------------------------

@pytest.mark.parametrize("question, answer, quote", [
    # two rows of one table were one sentence: a ' ... ' could join one row's word to another row's meaning
    ("What does 'der Bahnhof' mean in English?", "The locker.", "English | ... der Bahnhof | ... | the locker"),
    ("What does 'das Gleis' mean?", "The railway station.", "das Gleis | ... | the railway station"),
    ("What is the plural of 'das Gleis'?", "die Bahnhöfe", "Plural ... das Gleis | ... | die Bahnhöfe"),
    # a definition list written without blank lines was one sentence: one term's definition given to another
    ("What is the article of a feminine noun?", "der", "der : ... the article of a feminine noun"),
], ids=["meaning-from-another-row", "meaning-from-another-row-without-header", "plural-from-another-row",
        "definition-of-another-term"])
def test_a_swapped_row_or_definition_is_refused(tmp_path, question, answer, quote):
    assert ("quote-crosses-sentences", "the ' ... ' in this quote skips across a sentence boundary") in \
        _problems(tmp_path, _card("swapped", question, answer, quote))


@pytest.mark.parametrize("question, answer, quote, column", [
    # the header names what a row's cell is: a header's word with another column's cell was a false card
    ("What is the plural of 'das Gleis'?", "Neuter.", "Plural ... das Gleis | neuter", "Plural"),
    ("What is the gender of 'der Bahnhof'?", "die Bahnhöfe", "Gender ... der Bahnhof | ... | die Bahnhöfe", "Gender"),
], ids=["plural-from-the-gender-column", "gender-from-the-plural-column"])
def test_a_header_word_with_another_columns_cell_is_refused(tmp_path, question, answer, quote, column):
    assert _problems(tmp_path, _card("column", question, answer, quote)) == [
        ("column-not-quoted", f"the quote takes \"{column}\" from the table's header, but nothing of the row's cell "
                              "in that column")]


@pytest.mark.parametrize("question, answer, quote, problem", [
    # "die" of the plural cell "die Bahnhöfe" taken as the article of "Bahnhof"
    ("What is the article of 'Bahnhof'?", "die", "Bahnhof | ... | die",
     ("cell-cut", 'the quote cuts the cell "der Bahnhof" of a table row')),
    # the plural glossed with the singular's meaning: the row's first cell left out
    ("What does 'die Bahnhöfe' mean?", "The railway station.", "die Bahnhöfe | the railway station",
     ("row-key-not-quoted", 'the quote takes cells of the table row "der Bahnhof" but not its first')),
], ids=["article-from-the-plural-cell", "plural-glossed-as-the-singular"])
def test_a_row_is_quoted_in_whole_cells_with_its_first(tmp_path, question, answer, quote, problem):
    assert _problems(tmp_path, _card("row", question, answer, quote)) == [problem]


def test_sharp_s_is_a_letter_of_its_own(tmp_path):
    """casefold() made "ß" "ss": "in Massen" (in masses) passed as "in Maßen" (in moderation)."""
    problems = _problems(tmp_path, _card("massen", "What does „Trinken in Massen“ mean?", "Drinking in moderation.",
                                         "„Trinken in Maßen“ means \"drinking in moderation\"."))
    assert ("question-word-missing", 'question word "Massen" is not in the quoted passage from travel '
                                     '(nearest: "Maßen")') in problems


def _cloze(card_id: str, cloze: str, quote: str) -> str:
    return f"  - id: {card_id}\n    cloze: '{cloze}'\n    sources:\n      - doc: travel\n        quote: '{quote}'\n"


@pytest.mark.parametrize("card, field", [
    # "in" and "an" are English stop-words: the gate skipped them, in German text too
    (_card("an-berlin", "What does „Ich wohne an Berlin.“ mean?", "I live in Berlin.",
           "„Ich wohne in Berlin.“ means \"I live in Berlin.\"."), "question"),
    (_cloze("an-berlin", "„Ich wohne {{c1::an}} Berlin.“ means \"I live in Berlin.\".",
            "„Ich wohne in Berlin.“ means \"I live in Berlin.\"."), "cloze"),
    (_card("muenchen", "What may a traveller say?", "«Ich steige an München aus»",
           "A traveller may say «Ich steige in München aus»."), "answer"),
], ids=["question", "cloze", "answer"])
def test_a_quotation_is_checked_word_for_word(tmp_path, card, field):
    problems = _problems(tmp_path, card)
    assert [code for code, _ in problems] == ["quotation-not-verbatim"]
    assert "which the quoted passage from travel does not say as written" in problems[0][1]


@pytest.mark.parametrize("question, answer, quote", [
    # a glossary sentence glosses its whole quotation: a word of it took a word of the gloss
    ("What does „Ich“ mean?", "Berlin.", "„Ich ... Berlin"),
    ("What does „Berlin“ mean?", "I live.", "Berlin.“ means \"I live"),
], ids=["first-word", "last-word"])
def test_a_word_of_a_quoted_phrase_is_not_the_phrase(tmp_path, question, answer, quote):
    assert [code for code, _ in _problems(tmp_path, _card("part", question, answer, quote))] == \
        ["quotation-not-verbatim"]


def test_a_deletion_of_stop_words_inside_a_quotation_is_checked_there(tmp_path):
    assert _problems(tmp_path, _cloze("in-berlin", "„Ich wohne {{c1::in}} Berlin.“ means \"I live in Berlin.\".",
                                      "„Ich wohne in Berlin.“ means \"I live in Berlin.\".")) == []


UMLAUT = "Some masculine nouns add an umlaut and -e, so „der Zug“ becomes „die Züge“."


def test_a_deletion_inside_a_word_hides_the_word(tmp_path):
    """A cloze over part of a word ("Z{{c1::ü}}ge", "Fahrkarte{{c1::n}}") was read as the words "z" and "ge"
    beside a deletion "ü": refused, with cloze words no passage has."""
    assert _problems(tmp_path, _cloze("zuege", UMLAUT.replace("Züge", "Z{{c1::ü}}ge"), UMLAUT)) == []


def test_a_wrong_letter_inside_a_word_is_refused(tmp_path):
    problems = _problems(tmp_path, _cloze("zaege", UMLAUT.replace("Züge", "Z{{c1::a}}ge"), UMLAUT))
    assert ("cloze-word-missing", 'cloze word "zage" is not in the quoted passage from travel (nearest: "Züge")') \
        in problems


def test_a_nested_item_is_not_read_under_another_parent(tmp_path):
    problems = _problems(tmp_path, _card("chen-feminine", "What gender do nouns ending in -chen have?", "Feminine.",
                                         "Feminine: ... nouns ending in -chen"))
    assert ("quote-crosses-sentences", "the ' ... ' in this quote skips across a sentence boundary") in problems


# --- true cards the gate refused ---------------------------------------------------------------------------------

TRUE_CARDS = [
    ("gleis-meaning", "What does 'das Gleis' mean?", "The platform.", "das Gleis | ... | the platform"),
    # a row with its table's header, its lead-in
    ("gleis-plural", "What is the plural of 'das Gleis'?", "die Gleise", "Plural ... das Gleis | ... | die Gleise"),
    # the second table repeats the first one's header: its rows are read with their own (refused as crossing)
    ("bruecke-gender", "What is the gender of 'die Brücke'?", "Feminine.", "Gender ... die Brücke | feminine"),
    # a nested item with the item it is nested in, its lead-in (refused as crossing)
    ("ung-feminine", "What gender do nouns ending in -ung have?", "Feminine.", "Feminine: ... nouns ending in -ung"),
    ("chen-neuter", "What gender do nouns ending in -chen have?", "Neuter.", "Neuter: ... nouns ending in -chen"),
    # a definition with its term; "article" is the subject here, not a document (refused as names-article)
    ("der-masculine", "What is the article of a masculine noun?", "der", "der : the article of a masculine noun"),
    # "article" a kind of the lexicon, asked for by its name (refused as names-article)
    ("gleis-article", "What is the article of 'Gleis'?", "das", "das Gleis"),
    # the first words of a quote are also in an earlier sentence (refused as crossing)
    ("platform-seven", "The train leaves from which platform?", "Platform seven.",
     "The train ... leaves from platform seven"),
    ("massen", "What does „Touristen in Massen“ mean?", "Tourists in huge numbers.",
     "„Touristen in Massen“ means \"tourists in huge numbers\"."),
]


@pytest.mark.parametrize("card_id, question, answer, quote", [pytest.param(*card, id=card[0]) for card in TRUE_CARDS])
def test_true_cards_of_tables_nested_lists_and_definitions_pass(tmp_path, card_id, question, answer, quote):
    assert _problems(tmp_path, _card(card_id, question, answer, quote)) == []


def test_article_still_names_a_document_where_it_is_no_word_of_the_deck(tmp_path):
    problems = _problems(tmp_path, _card("platform-article", "Which platform does the article name for the train?",
                                         "Platform seven.", "The train leaves from platform seven."),
                         vocabulary="kinds: {}\nframe: []\n")
    assert ("names-article", 'names-article: the question refers to a source document ("article")') in problems
