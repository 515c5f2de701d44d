"""Gate round 8: honest cards an earlier attack found refused, reproduced on a document of our own words (a hive),
each a test that it passes, beside the false claims of the same shape that must stay refused, and those the fixes
found accepted."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from deckgen.diagnostics import Location
from deckgen.model import Card, CardKind, SourceRef
from deckgen.trace import Gate

from helpers import gate_over

DRONES = "In most colonies, the workers feed the drones until autumn."
DIE = "In most colonies the drones die in autumn."
FORAGE = "Workers forage in the morning and rest in the hive."
STING = "Drones do not sting, but workers sting intruders."
QUEEN = "The queen is larger than a worker and lives longer than a drone."
KEEPERS = "Keepers new to them often mistake them for queens."
TEXT = "\n\n".join([DRONES, DIE, FORAGE, STING, QUEEN, KEEPERS])


def _gate() -> Gate:
    """A gate over one document of TEXT alone, in a fresh folder."""
    return gate_over(Path(tempfile.mkdtemp(prefix="gate8-")), "Hive", TEXT)


GATE = _gate()
WHERE = Location("cards/t.yaml", 3, 5)


def _qa(quote: str, question: str, answer: str) -> Card:
    return Card("t", CardKind.QA, "T", question, answer, "", "", (), (SourceRef("doc", quote, WHERE),), "", WHERE)


def _cloze(quote: str, text: str) -> Card:
    return Card("t", CardKind.CLOZE, "T", "", "", text, "", (), (SourceRef("doc", quote, WHERE),), "", WHERE)


def _codes(card: Card) -> list[str]:
    return [d.code for d in GATE.trace(card).diagnostics]


def _passes(card: Card) -> None:
    result = GATE.trace(card)
    assert result.ok, "\n".join(d.render() for d in result.diagnostics)


# --- link-swapped: a question whose wh-word opens a clause after a leading phrase -----------------------------------
def test_a_question_after_a_leading_qualifying_phrase_passes():
    """"In most colonies, what do the workers feed until autumn?" - "the drones": with the answer in the place of
    "what", the link rule read "colonies the drones" where the sentence has "colonies, the workers". A wh-word that
    opens a clause after a comma takes the answer there; what comes before the comma is read apart."""
    _passes(_qa(DRONES, "In most colonies, what do the workers feed until autumn?", "The drones."))


def test_a_subject_and_object_swapped_after_a_leading_phrase_are_refused():
    assert _codes(_qa(DRONES, "In most colonies, what do the drones feed until autumn?", "The workers.")) != []
    assert _codes(_qa(DRONES, "In most colonies, what feed the workers until autumn?", "The drones.")) != []


def test_a_leading_phrase_moved_after_the_answers_place_passes():
    """"When do the drones die in most colonies?" - "in autumn": the question, read apart from its answer, links "die
    in most" where the sentence links "die in autumn". An answer that opens with the link's word, where the sentence's
    far end of it is the answer's alone and the phrase moved opens the sentence, stands right after the anchor."""
    _passes(_qa(DIE, "When do the drones die in most colonies?", "In autumn."))


def test_a_phrase_of_the_sentences_middle_moved_is_not_let_through():
    """"In the morning" is the foraging's, not a phrase that opens the sentence: "when do workers rest in the
    morning?" - "in the hive" is no reordering of it."""
    assert _codes(_qa("... rest in the hive.", "When do workers rest in the morning?", "In the hive.")) != []
    assert _codes(_qa(FORAGE, "When do workers rest in the morning?", "In the hive.")) != []


def test_until_when_takes_the_answer_after_until():
    """"In most colonies, until when do the workers feed the drones?" - "autumn" was refused as order-turned-round:
    with no "what", "which" or "who", the answer was put after the question, and the run after "until" read as "when
    do the workers feed the drones autumn". A "when" right after "until" takes the answer in its place."""
    _passes(_qa(DRONES, "In most colonies, until when do the workers feed the drones?", "Autumn."))
    _passes(_qa(DRONES, "Until when do the workers feed the drones in most colonies?", "Autumn."))
    assert _codes(_qa(DRONES, "In most colonies, until when do the drones feed the workers?", "Autumn.")) != []


# --- negation-mismatch: a "not" of another clause of the sentence -------------------------------------------------
@pytest.mark.parametrize("question, answer", [("What do workers sting?", "Intruders."),
                                              ("Who stings intruders?", "Workers.")])
def test_a_negation_of_a_clause_the_quote_does_not_reach_is_not_the_claims(question, answer):
    """"Drones do not sting, but workers sting intruders" quoted "... workers sting intruders": the "not" of the
    drones' clause was read on "sting", and "what do workers sting?" was refused as dropping it. In a sentence of two
    clauses (joined by a contrast: "but", "while", ";"), only the clauses the quote reaches are read for negations."""
    _passes(_qa("... workers sting intruders.", question, answer))


def test_a_negation_of_a_clause_the_quote_reaches_is_read():
    """The quote reaches the drones' clause: its "not" is on "sting"."""
    assert "negation-mismatch" in _codes(_qa("Drones ... sting intruders.", "What do drones sting?", "Intruders."))


def test_a_negation_the_quoted_clause_does_not_say_is_refused():
    """"What do workers not sting?" - "intruders", quoted "... workers sting intruders", passed: the claim's "not" on
    "sting" was found in the other clause of the sentence."""
    assert _codes(_qa("... workers sting intruders.", "What do workers not sting?", "Intruders.")) == [
        "negation-mismatch"]


# --- comparison-mismatch: the comparison of another "than" ----------------------------------------------------------
def test_two_comparisons_said_in_another_order_pass():
    """"The queen lives longer than a drone and is larger than a worker" says what the sentence says, its two
    comparisons in the other order; the first "than" of each was compared, "drone" against "worker". Where either
    compares more than once, each comparison is read by the word before "than" and the first after it."""
    _passes(_cloze(QUEEN, "The queen lives longer than {{c1::a drone}} and is larger than {{c2::a worker}}."))


@pytest.mark.parametrize("cloze", [
    "The queen lives longer than {{c1::a worker}} and is larger than {{c2::a drone}}.",
    "The queen is larger than {{c1::a drone}} and lives longer than {{c2::a worker}}."])
def test_two_comparisons_swapped_are_refused(cloze):
    """The first of these passed: its first "than" compares with "worker", as the sentence's first does."""
    assert _codes(_cloze(QUEEN, cloze)) == ["comparison-mismatch"]


SIZES = "Workers are smaller than the queen, and drones are larger than workers."


@pytest.mark.parametrize("question, answer", [
    ("What are workers smaller than, and what are drones larger than?", "The queen; workers."),
    ("What are drones larger than, and what are workers smaller than?", "Workers; the queen.")])
def test_a_question_that_asks_two_comparisons_passes(question, answer):
    """"What are workers smaller than, and what are drones larger than?" - "the queen; workers" was read with its
    answers after it, its first "than" comparing with "drones", and refused. A question whose every "than" ends a part
    of it, its answers given in order apart by ";", compares each part's two words before "than" with its piece of
    the answer, and each such comparison is one of the quoted part's."""
    gate = gate_over(Path(tempfile.mkdtemp(prefix="gate8-")), "Hive", SIZES)
    result = gate.trace(_qa(SIZES, question, answer))
    assert result.ok, "\n".join(d.render() for d in result.diagnostics)


@pytest.mark.parametrize("question, answer", [
    ("What are workers smaller than, and what are drones larger than?", "Workers; the queen."),
    ("What are drones smaller than, and what are workers larger than?", "The queen; workers."),
    ("What are workers larger than, and what are drones smaller than?", "The queen; workers.")])
def test_a_question_that_asks_two_comparisons_swapped_is_refused(question, answer):
    """The answers swapped, the subjects swapped, or the comparatives swapped: each is a comparison the sentence does
    not make."""
    gate = gate_over(Path(tempfile.mkdtemp(prefix="gate8-")), "Hive", SIZES)
    assert [d.code for d in gate.trace(_qa(SIZES, question, answer)).diagnostics] == ["comparison-mismatch"]


# --- verb-turned-round: the object of a preposition after the verb's pronoun ----------------------------------------
def test_a_subject_made_the_object_of_a_preposition_after_the_verbs_pronoun_is_refused():
    """"What do queens often mistake them for?" - "keepers new to them" turns "keepers new to them often mistake them
    for queens" round, and passed (claim_mutants' last KNOWN_HOLE, on the real deck's milia card): a question
    whose verb a pronoun and a preposition that ends it follow was not read. Its subject is the run after "do", and its
    answer the preposition's object, which the sentence has after the same preposition."""
    assert _codes(_qa(KEEPERS, "What do queens often mistake them for?", "Keepers new to them.")) == [
        "verb-turned-round"]


def test_the_object_of_a_preposition_after_the_verbs_pronoun_asked_passes():
    _passes(_qa(KEEPERS, "What do keepers new to them often mistake them for?", "Queens."))
