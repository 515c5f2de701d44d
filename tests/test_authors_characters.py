"""A message quotes a card's or a source's words as they are written, not in the normal form the gate compares
(NFKC, case-folded): "µg" (MICRO SIGN) showed as "μg" (GREEK MU), "m²" as "m2", full-width "２０" as "20", "ﬁrst" as
"first" and "IV" as "iv", which the author can find in neither file. Found by "Clinical Numbers", the fifth deck.
Checked through `deckgen check`, as the author reads it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from deckgen.diagnostics import DeckgenFailure
from deckgen.pipeline import check

DECK_YAML = """\
title: Characters Probe
description: A test deck.
output: characters-probe.apkg
namespace: characters-probe-0a1b2c3d
"""

SOURCE = """\
---
title: "Numbers for the ward"
publisher: deckgen tests
language: en
---

# Numbers for the ward

For bradycardia, atropine is given as 500 µg IV, repeated up to a total of 3 mg.
An eGFR below 60 mL/min/1.73 m² for three months indicates chronic kidney disease.
The ﬁrst dose is ２０ mg.
"""


def _card(card_id: str, question: str, answer: str, quote: str) -> str:
    return (f"  - id: {card_id}\n    question: \"{question}\"\n    answer: \"{answer}\"\n    sources:\n"
            f"      - doc: ward\n        quote: \"{quote}\"\n")


def _messages(tmp_path: Path, *cards: str) -> list[str]:
    """Each problem `deckgen check` finds in a project of these cards, as printed: where, what, and the hint."""
    (tmp_path / "cards").mkdir()
    (tmp_path / "sources").mkdir()
    (tmp_path / "cards" / "deck.yaml").write_text(DECK_YAML, encoding="utf-8")
    (tmp_path / "sources" / "ward.md").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "cards" / "numbers.yaml").write_text("deck: Numbers\ncards:\n" + "".join(cards), encoding="utf-8")
    with pytest.raises(DeckgenFailure) as failure:
        check(tmp_path)
    return [diagnostic.render() for diagnostic in failure.value.diagnostics]


ATROPINE = "For bradycardia, atropine is given as 500 µg IV"


def test_a_missing_word_is_quoted_as_the_card_writes_it(tmp_path):
    [missing, more] = _messages(tmp_path, _card("route", "For bradycardia, how is atropine given?", "As 500 µg IM.",
                                                ATROPINE))
    assert 'answer word "IM" is not in the quoted passage from ward (nearest: "IV")' in missing
    assert 'the quoted passage from ward also says "IV", which the card does not' in more


def test_a_unit_the_card_writes_with_a_micro_sign_is_quoted_with_it(tmp_path):
    messages = "\n".join(_messages(tmp_path, _card("unit", "What is the ﬁrst dose?", "２０ µg.",
                                                  "The ﬁrst dose is ２０ mg")))
    assert 'answer word "µg" is not in the quoted passage from ward (nearest: "mg")' in messages
    assert "\u03bc" not in messages


def test_a_quote_not_found_and_its_nearest_passage_are_quoted_as_written(tmp_path):
    [message] = _messages(tmp_path, _card("egfr", "What does an eGFR below 60 for three months indicate?",
                                          "Chronic kidney disease.",
                                          "An eGFR below 60 mL/min/1.73 m² for 3 months indicates chronic kidney disease."))
    assert 'quote not found in ward: "An eGFR below 60 mL/min/1.73 m² for 3 months indicates chronic kidney ' \
           'disease."' in message
    assert ('nearest passage: "An eGFR below 60 mL/min/1.73 m² for three months indicates chronic kidney disease."'
            in message)


def test_full_width_digits_and_a_ligature_are_quoted_as_written(tmp_path):
    [message] = _messages(tmp_path, _card("dose", "What is the ﬁrst dose?", "２０ mg.", "The ﬁrst dose is ２０ mg, given IV"))
    assert 'quote not found in ward: "The ﬁrst dose is ２０ mg, given IV"' in message
    assert 'nearest passage: "The ﬁrst dose is ２０ mg."' in message


def _project_problems(tmp_path: Path, name: str, text: str) -> list[str]:
    """The messages `deckgen check` gives for a project of one true card and cards/NAME holding TEXT."""
    (tmp_path / "cards").mkdir()
    (tmp_path / "sources").mkdir()
    (tmp_path / "cards" / "deck.yaml").write_text(DECK_YAML, encoding="utf-8")
    (tmp_path / "sources" / "ward.md").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "cards" / name).write_text(text, encoding="utf-8")
    (tmp_path / "cards" / "numbers.yaml").write_text(
        "deck: Numbers\ncards:\n" + _card("dose", "What is the ﬁrst dose?", "２０ mg.", "The ﬁrst dose is ２０ mg"),
        encoding="utf-8")
    with pytest.raises(DeckgenFailure) as failure:
        check(tmp_path)
    return [diagnostic.message for diagnostic in failure.value.diagnostics]


def test_a_synonym_group_of_opposites_is_named_as_written(tmp_path):
    assert _project_problems(tmp_path, "synonyms.yaml", "- [Normal, ABNORMAL]\n") == [
        "a synonym group may not join opposites: 'ABNORMAL' is 'Normal' with the negating prefix 'ab'"]


@pytest.mark.parametrize("vocabulary, message", [
    ("kinds:\n  material: [ﬁbre]\n  food: [Fibre]\n", "'Fibre' is already a term of kind 'material'"),
    ("frame: [ﬁne print]\n", "frame word 'ﬁne print' must be one word"),
    ("frame: [NOT]\n", "'NOT' cannot be a frame word"),
], ids=["kind-term-twice", "frame-word-of-two-words", "frame-word-a-negation"])
def test_a_vocabulary_word_is_named_as_written(tmp_path, vocabulary, message):
    [problem] = _project_problems(tmp_path, "vocabulary.yaml", vocabulary)
    assert problem.startswith(message), problem
