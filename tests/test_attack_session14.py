"""An attack on three kinds of false card the claim gate let through, on a document of our own words about bicycles and
canal locks: a "why" question answered with a bare clause that the passage gives as the result, not the reason; a word
put in the place of the subject a plural "they" stands for; and "what does X do?" asked of a relative clause whose verb
the passage has as its sentence's. Each false card is a test that it is refused, and honest cards of the same shapes
are tests that they pass. What the gate cannot yet read is a strict xfail, listed in README's gate limits."""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

import pytest

from deckgen.trace import Gate

from helpers import assert_passes, assert_refused, card_label, cloze_card, diagnostic_codes, gate_over, qa_card

SMALL = "The small chainring turns the wheel slowly, so it suits steep hills."
SEALED = "Hub gears are sealed inside the wheel, so they need little care."
JUMPS = "The chain jumps to a larger sprocket because the derailleur pushes it sideways."
WEARS = "A chain stretches as it wears, so mechanics measure it every few months."
SLIPS = "A worn chain slips because the teeth do not hold it."
LOWER = "Riders shift to a lower gear before a climb so that their legs can keep a steady cadence."
QUIET = "Riders oil their chains, so they run quietly."
LEAKS = "A lock that leaks loses water to the pound below."
GUIDE = "The boats that keepers guide enter first."
PADDLES = "A keeper who opens the paddles fills the chamber."
KILLS = "The heat kills the yeast near the crust."
TEXT = "\n\n".join([SMALL, SEALED, JUMPS, WEARS, SLIPS, LOWER, QUIET, LEAKS, GUIDE, PADDLES, KILLS])


def _gate() -> Gate:
    """A gate over one document of TEXT alone, in a fresh folder."""
    return gate_over(Path(tempfile.mkdtemp(prefix="atk14-")), "Bicycles and locks", TEXT)


GATE = _gate()
_qa, _cloze, _label = qa_card, cloze_card, card_label
_codes, _passes = functools.partial(diagnostic_codes, GATE), functools.partial(assert_passes, GATE)


_refused = functools.partial(assert_refused, GATE)


# --- "why" answered with a bare clause ------------------------------------------------------------------------------
@pytest.mark.parametrize("card", [
    _qa(SMALL, "Why does the small chainring turn the wheel slowly?", "It suits steep hills."),
    _qa(SEALED, "Why are hub gears sealed inside the wheel?", "They need little care."),
    _qa(JUMPS, "Why does the derailleur push the chain sideways?", "It jumps to a larger sprocket."),
    _qa(WEARS, "Why does a chain stretch as it wears?", "Mechanics measure it every few months.")], ids=_label)
def test_a_why_question_answered_with_the_result_is_refused(card):
    """"Why does the small chainring turn the wheel slowly?" - "It suits steep hills." passed, where "because it suits
    steep hills" was refused: the sides rule read a claim's "because" (or "so"), and a bare answer to "why" said
    neither. An answer to "why" that opens with a content word, a determiner or a subject pronoun is read as the clause
    of "because" it gives."""
    assert _codes(card) == ["order-turned-round"]


@pytest.mark.parametrize("card", [
    _qa(SMALL, "Why does the small chainring suit steep hills?", "It turns the wheel slowly."),
    _qa(SMALL, "Why does the small chainring suit steep hills?", "Because it turns the wheel slowly."),
    _qa(SEALED, "Why do hub gears need little care?", "They are sealed inside the wheel."),
    _qa(JUMPS, "Why does the chain jump to a larger sprocket?", "The derailleur pushes it sideways."),
    _qa(WEARS, "Why do mechanics measure a chain every few months?", "It stretches as it wears."),
    _qa(SLIPS, "Why does a worn chain slip?", "The teeth do not hold it."),
    _qa(LOWER, "Why do riders shift to a lower gear before a climb?", "Their legs can keep a steady cadence."),
    _qa(LOWER, "Why do riders shift to a lower gear before a climb?", "So that their legs can keep a steady cadence."),
    _qa(QUIET, "Why do chains run quietly?", "Riders oil them.")], ids=_label)
def test_a_why_question_answered_with_the_reason_passes(card):
    _passes(card)


def test_the_message_says_the_answer_to_why_is_no_reason():
    result = GATE.trace(_qa(SMALL, "Why does the small chainring turn the wheel slowly?", "It suits steep hills."))
    message = result.diagnostics[0].render()
    assert message.startswith("cards/t.yaml:3:5: answers \"Why\" with \"suits\"")
    assert "clause of result that \"so\" opens" in message


# --- a word put in the place of the subject that "they" stands for --------------------------------------------------
@pytest.mark.parametrize("card", [
    _qa(SEALED, "Why does the wheel need little care?", "Because hub gears are sealed inside it."),
    _qa(SEALED, "Why does the wheel need little care?", "Hub gears are sealed inside it."),
    _qa(SEALED, "Why does the wheel need little care?", "Because hub gears are sealed inside the wheel."),
    _qa(SEALED, "Why do wheels need little care?", "Because hub gears are sealed inside them."),
    _cloze(SEALED, "Hub gears are sealed inside the wheel, so the wheel needs little {{c1::care}}.")], ids=_label)
def test_a_word_put_in_the_place_of_the_subject_they_stands_for_is_refused(card):
    """"Hub gears are sealed inside the wheel, so they need little care": "they" can stand for nothing but "hub gears",
    the one plural word before it, so the sentence says "gears need". A card that puts "wheel" beside "need" passed,
    the neighbour rule reading the pronoun only to spare a card that names the subject for it."""
    assert _codes(card) == ["neighbour-swapped"]


@pytest.mark.parametrize("card", [
    _qa(SEALED, "Why do hub gears need little care?", "Because they are sealed inside the wheel."),
    _qa(SEALED, "Hub gears are sealed inside the wheel, so what do they need?", "Little care."),
    _qa(SEALED, "Because hub gears are sealed inside the wheel, what do they need?", "Little care."),
    _qa(SEALED, "Hub gears are sealed inside what, so they need little care?", "The wheel."),
    _qa(QUIET, "Why do chains run quietly?", "Because riders oil them."),
    _cloze(QUIET, "Riders oil their chains, so the {{c1::chains}} run quietly.")], ids=_label)
def test_a_card_that_names_what_they_stands_for_passes(card):
    """"Riders oil their chains, so they run quietly": "chains" is a second plural word "they" may stand for, and the
    gate does not choose between them."""
    _passes(card)


# --- "what does X do?" of a relative clause -------------------------------------------------------------------------
@pytest.mark.parametrize("card", [
    _qa(LEAKS, "What does a lock that loses water do?", "Leaks to the pound below."),
    _qa(LEAKS, "What does a lock that loses water do?", "It leaks to the pound below."),
    _qa(PADDLES, "What does a keeper who fills the chamber do?", "Opens the paddles."),
    _qa(LEAKS, "What can a lock that loses water do?", "Leak to the pound below."),
    _qa(LEAKS, "What does a lock that loses water do to the pound below?", "Leaks.")], ids=_label)
def test_what_does_x_do_asked_of_the_sentences_verb_in_the_relative_clause_is_refused(card):
    """"What does a lock that loses water do?" - "Leaks to the pound below." passed for "a lock that leaks loses water to
    the pound below", though "a lock that loses water leaks to the pound below" was refused: the question was read with
    "do" as its verb. Its answer is the verb phrase "do" stands for: "X <answer>", with no modal ("what can a lock that
    loses water do?": "that loses water can" reads as an object relative clause, "the amount that skin cells can
    absorb")."""
    assert _codes(card) == ["relative-turned-round"]


@pytest.mark.parametrize("card", [
    _qa(LEAKS, "What does a lock that leaks do?", "Loses water to the pound below."),
    _qa(LEAKS, "What does a lock that leaks do?", "It loses water to the pound below."),
    _qa(LEAKS, "What does a lock that leaks lose to the pound below?", "Water."),
    _qa(GUIDE, "What do the boats that keepers guide do?", "Enter first."),
    _qa(GUIDE, "What can the boats that keepers guide do?", "Enter first."),
    _qa(LEAKS, "What can a lock that leaks do?", "Lose water to the pound below."),
    _qa(LEAKS, "What does a lock that leaks do to the pound below?", "It loses water."),
    _qa(PADDLES, "What does a keeper who opens the paddles do to the chamber?", "Fills it."),
    _qa(PADDLES, "What does a keeper who opens the paddles do?", "Fills the chamber."),
    _qa(PADDLES, "What does a keeper who opens the paddles fill?", "The chamber.")], ids=_label)
def test_what_does_x_do_asked_of_the_sentences_own_verb_passes(card):
    _passes(card)


# --- a passive question asked with "why", "how", "when" or "where" --------------------------------------------------
@pytest.mark.parametrize("card", [
    _qa(KILLS, "Where is the heat killed by the yeast?", "Near the crust."),
    _qa(SEALED, "Why are hub gears needed by little care?", "Because they are sealed inside the wheel.")], ids=_label)
def test_a_passive_question_asked_with_where_or_why_turned_round_is_refused(card):
    """"Where is the heat killed by the yeast?" - "near the crust" passed for "the heat kills the yeast near the crust":
    the voice rule read a passive whose verb "be" stands right before its verb ("is killed by"), or a question asked
    with "by what" first, and this question has its patient between the two. Its patient is the run between "be" and
    the verb, its agent the run after "by"."""
    assert _codes(card) == ["passive-turned-round"]


@pytest.mark.parametrize("card", [
    _qa(KILLS, "Where is the yeast killed by the heat?", "Near the crust."),
    _qa(SEALED, "Why is little care needed by hub gears?", "Because they are sealed inside the wheel.")], ids=_label)
def test_a_passive_question_asked_with_where_or_why_passes(card):
    """Both were refused by the neighbour rule ("yeast killed" for "heat kills"): such a passive brings its patient
    beside the verb, and its agent beside what follows the sentence's object, where its agent is the sentence's subject
    of the verb (through "they", where "they" can stand for nothing but the subject) and it turns nothing round."""
    _passes(card)


def test_a_passive_question_whose_agent_is_not_the_subject_is_still_refused():
    assert _codes(_qa(SEALED, "Why is little care needed by the wheel?", "Because hub gears are sealed inside it.")) == [
        "neighbour-swapped"]
