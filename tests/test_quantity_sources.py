"""A deck of quantities: doses, reference ranges and units, whose answers are numbers with units (found by building
"Clinical Numbers", the fifth deck). Each case is a card the gate wrongly let through, or a true card it refused.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from deckgen import render
from deckgen.diagnostics import DeckgenFailure
from deckgen.pipeline import check
from deckgen.sources import UnitKind

DECK_YAML = """\
title: Quantity Probe
description: A test deck.
output: quantity-probe.apkg
namespace: quantity-probe-0a1b2c3d
"""

SOURCE = """\
---
title: "Numbers for the ward"
publisher: deckgen tests
language: en
---

# Numbers for the ward

An adult in anaphylaxis is given 0.5 mg of adrenaline IM.
Normal arterial pH is 7.35–7.45.
Absolute zero is −273.15 °C.
The prefix milli means 10^-3.
One kilocalorie is 4.184 kJ.
Hypertension is diagnosed at a clinic pressure of ≥ 140/90 mmHg.
Normal body temperature is about 37 °C (98.6 °F).
The daily limit of the drug is 1,000 mg.
A drug with a half-life of 6 hours falls to 25 % of its level in 12 hours.
An adult should take no more than 4 g of paracetamol in 24 hours.
A fasting glucose of 7.0 mmol/L or more points to diabetes.
For bradycardia, atropine is given as 500 µg IV, repeated up to a total of 3 mg.
Each tablet holds 500 mg of paracetamol and 65 mg of caffeine.
The town had 1,250,000 residents and 3,400,000 visitors in 2020.
"""


def _card(card_id: str, question: str, answer: str, quote: str) -> str:
    return (f"  - id: {card_id}\n    question: \"{question}\"\n    answer: \"{answer}\"\n    sources:\n"
            f"      - doc: ward\n        quote: \"{quote}\"\n")


def _cloze(card_id: str, cloze: str, quote: str) -> str:
    return f"  - id: {card_id}\n    cloze: \"{cloze}\"\n    sources:\n      - doc: ward\n        quote: \"{quote}\"\n"


def _problems(tmp_path: Path, *cards: str, synonyms: str = "") -> list[tuple[str, str]]:
    """(code, message) of every problem `deckgen check` finds in a project of these cards."""
    (tmp_path / "cards").mkdir()
    (tmp_path / "sources").mkdir()
    (tmp_path / "cards" / "deck.yaml").write_text(DECK_YAML, encoding="utf-8")
    if synonyms:
        (tmp_path / "cards" / "synonyms.yaml").write_text(synonyms, encoding="utf-8")
    (tmp_path / "sources" / "ward.md").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "cards" / "numbers.yaml").write_text("deck: Numbers\ncards:\n" + "".join(cards), encoding="utf-8")
    try:
        check(tmp_path)
    except DeckgenFailure as failure:
        return [(d.code, d.message) for d in failure.diagnostics]
    return []


ADRENALINE = "An adult in anaphylaxis is given 0.5 mg of adrenaline IM."
PH = "Normal arterial pH is 7.35–7.45."
ZERO = "Absolute zero is −273.15 °C."
MILLI = "The prefix milli means 10^-3."
KCAL = "One kilocalorie is 4.184 kJ."
PRESSURE = "Hypertension is diagnosed at a clinic pressure of ≥ 140/90 mmHg."
BODY = "Normal body temperature is about 37 °C (98.6 °F)."
LIMIT = "The daily limit of the drug is 1,000 mg."
HALF_LIFE = "A drug with a half-life of 6 hours falls to 25 % of its level in 12 hours."
PARACETAMOL = "An adult should take no more than 4 g of paracetamol in 24 hours."
GLUCOSE = "A fasting glucose of 7.0 mmol/L or more points to diabetes."
TABLET = "Each tablet holds 500 mg of paracetamol and 65 mg of caffeine."
ATROPINE = "For bradycardia, atropine is given as 500 µg IV, repeated up to a total of 3 mg."


# --- false cards the gate let through: a number was read as its runs of digits, its point, sign and the comparison
# before it dropped, and a degree sign left its unit letter alone -----------------------------------------------------

@pytest.mark.parametrize("card", [
    _card("dose", "How much adrenaline IM is an adult in anaphylaxis given?", "5.0 mg.", ADRENALINE),
    _cloze("ph", "Normal arterial pH is {{c1::35.7–45.7}}.", PH),
    _card("zero", "What is absolute zero?", "273.15 °C.", ZERO),
    _card("milli", "What does the prefix milli mean?", "10^3", MILLI),
    _card("kcal", "How many kJ is one kilocalorie?", "4,184 kJ.", KCAL),
    _cloze("below", "Hypertension is diagnosed at a clinic pressure of {{c1::≤ 140/90 mmHg}}.", PRESSURE),
    _cloze("less", "Hypertension is diagnosed at a clinic pressure of {{c1::< 140/90 mmHg}}.", PRESSURE),
    _cloze("inverted", "Hypertension is diagnosed at a clinic pressure of ≥ {{c1::90/140}} mmHg.", PRESSURE),
    _cloze("units", "Normal body temperature is about 37 °F ({{c1::98.6 °C}}).", BODY),
], ids=["point-moved", "digits-around-the-point", "sign-dropped", "exponent-sign-dropped", "thousands-for-decimal",
        "comparison-turned", "comparison-made-strict", "fraction-inverted", "degree-units-swapped"])
def test_a_wrong_number_is_refused(tmp_path, card):
    assert _problems(tmp_path, card) != []


# --- true cards: the same numbers as the passage writes them ------------------------------------------------------

@pytest.mark.parametrize("card", [
    _card("dose", "How much adrenaline IM is an adult in anaphylaxis given?", "0.5 mg.", ADRENALINE),
    _cloze("ph", "Normal arterial pH is {{c1::7.35–7.45}}.", PH),
    _card("zero", "What is absolute zero?", "−273.15 °C.", ZERO),
    _card("zero-hyphen", "What is absolute zero?", "-273.15 °C.", ZERO),
    _card("milli", "What does the prefix milli mean?", "10^-3", MILLI),
    _card("kcal", "How many kJ is one kilocalorie?", "4.184 kJ.", KCAL),
    _cloze("pressure", "Hypertension is diagnosed at a clinic pressure of {{c1::≥ 140/90 mmHg}}.", PRESSURE),
    _cloze("body", "Normal body temperature is about 37 °C ({{c1::98.6 °F}}).", BODY),
    _card("limit", "What is the daily limit of the drug?", "1000 mg.", LIMIT),
], ids=["decimal", "range", "minus-sign", "hyphen-as-minus", "exponent", "decimal-point", "comparison",
        "degrees", "thousands-separator-left-out"])
def test_a_number_as_the_passage_says_it_passes(tmp_path, card):
    assert _problems(tmp_path, card) == []


def test_the_message_names_the_number_as_written(tmp_path):
    assert ("answer-word-missing", 'answer word "5.0" is not in the quoted passage from ward') in _problems(
        tmp_path, _card("dose", "How much adrenaline IM is an adult in anaphylaxis given?", "5.0 mg.", ADRENALINE))


# --- a number moved to another quantity of the same sentence: both have the unit "hours", which made the sentence's
# "of 6 hours" hold the claim's "of 12 hours" -----------------------------------------------------------------------

@pytest.mark.parametrize("card, said, theirs, moved", [
    (_cloze("half-life", "A drug with a half-life of 12 hours falls to 25 % of its level in {{c1::6 hours}}.",
            HALF_LIFE), "life of 12", "life of 6", "12"),
    (_card("half-life", "A drug with a half-life of how many hours falls to 25 % of its level in 6 hours?", "12",
           HALF_LIFE), "level in 6", "level in 12", "6"),
], ids=["cloze", "question"])
def test_a_number_moved_to_another_quantity_is_refused(tmp_path, card, said, theirs, moved):
    assert _problems(tmp_path, card) == [
        ("link-swapped", f'says "{said}", where the quoted passage from ward says "{theirs}": "{moved}" is not where '
                         "the passage has it")]


def test_the_numbers_in_their_places_pass(tmp_path):
    assert _problems(tmp_path, _cloze("half-life", "A drug with a half-life of 6 hours falls to {{c1::25 %}} of its "
                                                   "level in 12 hours.", HALF_LIFE)) == []


# --- a comparison asked for: "than how much" compares with the answer, not with the word "much" ---------------------

def test_a_question_may_ask_what_a_comparison_is_made_with(tmp_path):
    assert _problems(tmp_path, _card("most", "An adult should take no more than how much paracetamol in 24 hours?",
                                     "4 g.", PARACETAMOL)) == []


def test_the_answer_to_a_comparison_asked_for_is_compared(tmp_path):
    assert ("comparison-mismatch", 'compares with "24", where the quoted passage from ward compares with "4"') in \
        _problems(tmp_path, _card("most", "An adult should take no more than how much paracetamol in 4 hours?",
                                  "24 g.", PARACETAMOL))


# --- true cards refused: the answer's place in the sentence is after a preposition ("a glucose of 7.0 mmol/L"), and
# a question fronted with "At what <noun>" names what the answer is ----------------------------------------------

@pytest.mark.parametrize("card", [
    _card("glucose", "What fasting glucose points to diabetes?", "7.0 mmol/L or more.", GLUCOSE),
    _card("atropine", "How much atropine is given IV for bradycardia?", "500 µg, repeated up to a total of 3 mg.",
          ATROPINE),
    _card("pressure", "At what clinic pressure is hypertension diagnosed?", "≥ 140/90 mmHg.", PRESSURE),
], ids=["answer-after-of", "answer-after-as", "fronted-what-noun"])
def test_a_question_with_the_answer_in_its_place_passes(tmp_path, card):
    assert _problems(tmp_path, card) == []



# --- "how much N?" answered with the amount the sentence gives of something else: the README's known limit of
# "how much" (not compared at all), where the sentence gives N another amount ------------------------------------

@pytest.mark.parametrize("quote", ["Each tablet holds 500 mg ... caffeine", "Each tablet holds 500 mg of ... caffeine"],
                         ids=["unit-kept", "preposition-kept"])
def test_an_amount_of_something_else_is_refused(tmp_path, quote):
    assert _problems(tmp_path, _card("caffeine", "How much caffeine does each tablet hold?", "500 mg.", quote)) == [
        ("amount-mismatch", 'asks how much "caffeine", answered "500", where the quoted passage from ward gives "65" '
                            'of "caffeine"')]


@pytest.mark.parametrize("card", [
    _card("caffeine", "How much caffeine does each tablet hold?", "65 mg.", "Each tablet holds ... 65 mg of caffeine"),
    _card("paracetamol", "How much paracetamol does each tablet hold?", "500 mg.", "Each tablet holds 500 mg of "
                                                                                  "paracetamol"),
    _card("atropine", "How much atropine is given IV for bradycardia?", "500 µg, repeated up to a total of 3 mg.",
          ATROPINE),
], ids=["second-amount", "first-amount", "named-before-the-amount"])
def test_an_amount_of_what_is_asked_passes(tmp_path, card):
    assert _problems(tmp_path, card) == []


# --- the back of the card: a sentence with a character NFKC rewrites ("µ", "²", "⁻⁶") lost its context ---------------

def _shown(sentence: str, quote: str) -> list[tuple[str, bool]]:
    """The parts of the sentence the back of a card shows for this quote of it: (text, quoted)."""
    unit = SimpleNamespace(index=0, text=sentence, lead=None, kind=UnitKind.SENTENCE)
    doc = SimpleNamespace(title="T", publisher="P", date="2020-01-02", id="doc", machine_translated="no", set_aside=())
    support = SimpleNamespace(ref=SimpleNamespace(quote=quote), units=(unit,), quoted=(unit,), doc=doc, extra_units=())
    return [(part.text, part.quoted) for part in render.quote_in_context(support)]


@pytest.mark.parametrize("sentence, quote, quoted, after", [
    ("The prefix micro (µ) means 10⁻⁶, and the prefix mega (M) means 10⁶.", "The prefix micro (µ) means 10⁻⁶",
     "The prefix micro (µ) means 10⁻⁶", ", and the prefix mega (M) means 10⁶."),
    ("Gravity is 9.81 m/s², and  light is fast.", "Gravity is 9.81 m/s²", "Gravity is 9.81 m/s²",
     ", and  light is fast."),
], ids=["micro-sign-and-superscripts", "superscript-and-double-space"])
def test_a_quote_is_shown_in_its_sentence(sentence, quote, quoted, after):
    """The quote was placed in the sentence only where NFKC changed nothing: the back fell back to the quote alone,
    and the rest of the sentence was lost ("... the prefix mega (M) means 10⁶." showed as "the prefix mega ...")."""
    assert _shown(sentence, quote) == [(quoted, True), (after, False)]



# --- a range turned round: its two numbers are each in the sentence, and nothing compared their order ---------------

def test_a_range_turned_round_is_refused(tmp_path):
    assert _problems(tmp_path, _cloze("ph", "Normal arterial pH is {{c1::7.45–7.35}}.", PH)) == [
        ("neighbour-swapped", 'gives the range "7.45–7.35", where the quoted passage from ward says "7.35–7.45"')]


def test_a_comparison_sign_may_have_synonyms(tmp_path):
    """A sign was a word only before a number, so a synonym group of "≥" alone had no word, and joined nothing."""
    assert _problems(tmp_path, _cloze("pressure", "Hypertension is diagnosed at a clinic pressure of {{c1::at least "
                                                  "140/90 mmHg}}.", PRESSURE), synonyms="- [≥, at least]\n") == []


# --- a cloze deletion beside a number's dash, sign or point: a space put beside the deletion made a range's dash a
# sign ("{{c1::60}}–100" read "60 -100"), and a sign or point outside the deletion was no part of the number ---------

HEART = "A resting heart rate of 60–100 beats per minute is normal."


@pytest.mark.parametrize("card", [
    _cloze("range-low", "Normal arterial pH is {{c1::7.35}}–7.45.", PH),
    _cloze("range-both", "Normal arterial pH is {{c1::7.35}}–{{c2::7.45}}.", PH),
    _cloze("sign-outside", "Absolute zero is −{{c1::273.15}} °C.", ZERO),
    _cloze("decimals", "Normal arterial pH is 7.{{c1::35}}–7.45.", PH),
    _cloze("thousands", "The daily limit of the drug is {{c1::1}},000 mg.", LIMIT),
], ids=["range-low", "range-both", "sign-outside", "decimals", "thousands"])
def test_a_deletion_beside_a_numbers_dash_sign_or_point_passes(tmp_path, card):
    assert _problems(tmp_path, card) == []


@pytest.mark.parametrize("card", [
    _cloze("sign-dropped", "Absolute zero is {{c1::273.15}} °C.", ZERO),
    _cloze("decimals", "Normal arterial pH is 7.{{c1::53}}–7.45.", PH),
], ids=["sign-dropped", "decimals"])
def test_a_wrong_number_in_a_deletion_is_refused(tmp_path, card):
    assert _problems(tmp_path, card) != []


# --- lint: the commas of a number are no list ----------------------------------------------------------------------

def test_the_commas_of_a_number_are_not_list_items(tmp_path):
    """long-list counted "1,250,000 residents and 3,400,000 visitors" as five items."""
    assert _problems(tmp_path, _card("town", "How many residents and visitors did the town have in 2020?",
                                     "1,250,000 residents and 3,400,000 visitors.",
                                     "The town had 1,250,000 residents and 3,400,000 visitors in 2020.")) == []


def test_a_count_of_a_unit_of_something_else_is_refused(tmp_path):
    """"How many mg of caffeine?" shares "mg" with "500 mg of paracetamol": the count rule let it pass."""
    assert _problems(tmp_path, _card("caffeine", "How many mg of caffeine does each tablet hold?", "500",
                                     "Each tablet holds 500 mg of ... caffeine")) == [
        ("amount-mismatch", 'asks how many "mg caffeine", answered "500", where the quoted passage from ward gives '
                            '"65" of "mg caffeine"')]


# --- a percent or per-mille sign is a word: it was punctuation, so "500 %" stood where the passage said "500 mg" -----

@pytest.mark.parametrize("card", [
    _cloze("percent-for-mg", "Each tablet holds {{c1::500 %}} of paracetamol and 65 mg of caffeine.", TABLET),
    _card("percent-answer", "How much paracetamol does each tablet hold?", "500 %.", TABLET),
    _cloze("per-mille-for-percent", "A drug with a half-life of 6 hours falls to {{c1::25 ‰}} of its level in "
                                    "12 hours.", HALF_LIFE),
], ids=["percent-for-mg", "percent-answer", "per-mille-for-percent"])
def test_a_percent_sign_the_passage_does_not_give_is_refused(tmp_path, card):
    assert any("%" in message or "‰" in message for _, message in _problems(tmp_path, card))


@pytest.mark.parametrize("card", [
    _cloze("spaced", "A drug with a half-life of 6 hours falls to {{c1::25 %}} of its level in 12 hours.", HALF_LIFE),
    _cloze("unspaced", "A drug with a half-life of 6 hours falls to {{c1::25%}} of its level in 12 hours.", HALF_LIFE),
], ids=["spaced", "unspaced"])
def test_a_percent_as_the_passage_gives_it_passes(tmp_path, card):
    assert _problems(tmp_path, card) == []


def test_a_percent_sign_may_have_a_synonym(tmp_path):
    card = _cloze("word", "A drug with a half-life of 6 hours falls to {{c1::25 percent}} of its level in 12 hours.",
                  HALF_LIFE)
    (tmp_path / "without").mkdir()
    (tmp_path / "with").mkdir()
    assert _problems(tmp_path / "without", card) != []
    assert _problems(tmp_path / "with", card, synonyms='- ["%", percent]\n') == []
