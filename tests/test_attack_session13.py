"""An attack on the claim gate by a new author, on a document of our own words about canal locks: false claims that
reuse the sentence's words and passed (each a test that it is refused), and honest cards that were refused (each a
test that it passes). Those the gate cannot yet read are strict xfails, listed in README's gate limits."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from deckgen.diagnostics import Location
from deckgen.model import Card, CardKind, SourceRef
from deckgen.trace import Gate

from helpers import gate_over

RISES = "The boat rises because the water beneath it rises."
ROPES = "The crew holds the boat with ropes so that it does not strike the gates."
PADDLES = "The keeper opens the paddles, small sluices in the gates, so that water can flow in or out."
SHORT = "Larger locks have a second pair of gates so that short boats use less water."
LEVEL = "The keeper opens the gates after they have been made level."
CLOSES = "The keeper closes the lower paddles before he opens the upper paddles."
BROAD = "Broad locks can hold two narrow boats side by side."
INSIDE = "Before a boat enters the chamber, the lock keeper makes the water inside level with the water outside."
STAYS = "The water stays in the chamber until the keeper opens the lower paddles."
WIDE = "A narrow lock is 7 feet wide, and a broad lock is at least 14 feet wide."
FLOWS = "Water flows into the chamber only when the upper paddles are open."
OPENED = "The gates cannot be opened unless the water on both sides is level."
SUMMIT = "Every lock except the summit lock is fed from the pound above it."
FLIGHT = "Most boats pass the flight in an hour, except in summer, when queues form."
SPEED = "Canal boats travel at no more than four miles per hour because their wash damages the banks."
STAIRCASE = "A staircase lock has no pound between its chambers."
BEAM = "The balance beam, a long wooden arm, pushes the gate open."
LEAKS = "A lock that leaks loses water to the pound below."
MITRE = "Mitre gates point upstream, so the pressure of the water keeps them shut."
CHINA = "Locks were built in China before they were built in Europe."
TEXT = "\n\n".join([RISES, ROPES, PADDLES, SHORT, LEVEL, CLOSES, BROAD, INSIDE, STAYS, WIDE, FLOWS, OPENED, SUMMIT,
                    FLIGHT, SPEED, STAIRCASE, BEAM, LEAKS, MITRE, CHINA])


def _gate() -> Gate:
    """A gate over one document of TEXT alone, in a fresh folder."""
    return gate_over(Path(tempfile.mkdtemp(prefix="atk13-")), "Canal locks", TEXT)


GATE = _gate()


def _qa(quote: str, question: str, answer: str) -> Card:
    where = Location("cards/t.yaml", 3, 5)
    return Card("t", CardKind.QA, "T", question, answer, "", "", (), (SourceRef("doc", quote, where),), "", where)


def _cloze(quote: str, text: str) -> Card:
    where = Location("cards/t.yaml", 3, 5)
    return Card("t", CardKind.CLOZE, "T", "", "", text, "", (), (SourceRef("doc", quote, where),), "", where)


def _codes(card: Card) -> list[str]:
    return [d.code for d in GATE.trace(card).diagnostics]


def _passes(card: Card) -> None:
    result = GATE.trace(card)
    assert result.ok, "\n".join(d.render() for d in result.diagnostics)


def _label(card: Card) -> str:
    return card.cloze or f"{card.question} - {card.answer}"


# --- neighbours: honest cards refused at the answer's place --------------------------------------------------------
@pytest.mark.parametrize("card", [
    _qa(CLOSES, "What does the keeper close before he opens the upper paddles?", "The lower paddles."),
    _qa(BROAD, "How many narrow boats can broad locks hold side by side?", "Two.")], ids=_label)
def test_two_words_around_an_answer_whose_words_the_question_says_too_meet_in_the_question(card):
    """"What does the keeper close before he opens the upper paddles?" - "the lower paddles": the answer stands between
    "closes" and "before" in the sentence, but the question says "paddles" too, so only "lower" was the answer's, and
    "close before" was read as "before" put in the place of "paddles". "How many narrow boats can broad locks hold side
    by side?" - "two" was refused so ("hold side"), "narrow boats" being the question's. The answer's place is each
    run of its words (and of what "how many" counts) that holds a word only the answer says."""
    _passes(card)


@pytest.mark.parametrize("card", [
    _qa(CLOSES, "What does the keeper close before he opens the lower paddles?", "The upper paddles."),
    _qa(CLOSES, "What does the keeper open before he closes the lower paddles?", "The upper paddles."),
    _qa(BROAD, "How many broad locks can narrow boats hold side by side?", "Two.")], ids=_label)
def test_two_words_around_an_answer_turned_round_are_still_refused(card):
    assert _codes(card) == ["neighbour-swapped"]
