"""Rule 2d, spliced clauses (splices.py): a claim that joins what a sentence says around one of its words to what it
says around the same word in another place. Checked on a document of our own; the real deck's cases are among
claim_mutants.HAND_MUTANTS."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckgen.diagnostics import Location
from deckgen.model import Card, CardKind, Lexicon, SourceRef
from deckgen.textnorm import Vocabulary, normalize
from deckgen.splices import side
from deckgen.trace import Gate

from helpers import gate_over

HIVE = ("The angle of the dance shows the direction of the flowers, and the length of each waggle run shows how far "
        "away they are.\n\n"
        "Cold water slows the yeast, and warm water wakes the yeast.\n\n"
        "If the dough is too dry, the baker adds water before the dough is kneaded.\n\n"
        "The queen lays the eggs and the workers feed the larvae.")
ANGLE, WATER, DOUGH, QUEEN = HIVE.split("\n\n")


def _gate(tmp_path: Path) -> Gate:
    return gate_over(tmp_path, "Hive and bakery", HIVE)


def _card(quote: str, question: str = "", answer: str = "", cloze: str = "") -> Card:
    where = Location("cards/t.yaml", 3, 5)
    return Card("t", CardKind.CLOZE if cloze else CardKind.QA, "T", question, answer, cloze, "", (),
                (SourceRef("doc", quote, where),), "", where)


def _codes(gate: Gate, card: Card) -> list[str]:
    return [d.code for d in gate.trace(card).diagnostics]


SPLICED = [
    # a quote cut so that the answer's own subject is left out, and the other clause's put before its verb
    _card("... shows the direction of the flowers, and the length of each waggle run shows ...",
          "What does the length of each waggle run show?", "The direction of the flowers."),
    _card(ANGLE, cloze="The angle of the dance shows {{c1::how far away they are}}, and the length of each waggle run "
                       "shows the direction of the flowers."),
    _card(WATER, cloze="Cold water {{c1::wakes}} the yeast, and warm water slows the yeast."),
    # the bakery's hole of round 6 (test_trace): the two clauses of "before" joined across their "dough"
    _card(DOUGH, "If the dough is kneaded, the baker adds water before the dough is what?", "Too dry."),
]

KEPT = [
    _card("The angle of the dance shows the direction of the flowers",
          "What does the angle of the dance show?", "The direction of the flowers."),
    _card("... the length of each waggle run shows how far away they are.",
          "What does the length of each waggle run show?", "How far away they are."),
    _card(WATER, cloze="Cold water {{c1::slows}} the yeast, and warm water wakes the yeast."),
    _card(WATER, cloze="Warm water {{c1::wakes}} the yeast, and cold water slows the yeast."),
    _card(DOUGH, "If the dough is too dry, the baker adds what before the dough is kneaded?", "Water."),
    _card("... the workers feed the larvae.", "What do the workers feed?", "The larvae."),
    _card(QUEEN, cloze="The queen lays the {{c1::eggs}} and the workers feed the larvae."),
]


@pytest.mark.parametrize("card", SPLICED, ids=lambda card: card.cloze or card.question)
def test_a_claim_that_joins_two_places_of_a_word_is_refused(tmp_path, monkeypatch, card):
    """Each passed before the rule: every word quoted, every two neighbours the sentence's own. The bakery's claim is
    refused first by the order rule since round 7 (it reads a leading "if" clause to its comma), so that rule is
    switched off here."""
    monkeypatch.setattr(Gate, "_side_reasons", lambda self, claim, passage: [])
    assert _codes(_gate(tmp_path), card) == ["clauses-spliced"]


@pytest.mark.parametrize("card", KEPT, ids=lambda card: card.cloze or card.question)
def test_a_claim_that_keeps_each_place_together_passes(tmp_path, card):
    gate = _gate(tmp_path)
    result = gate.trace(card)
    assert result.ok, "\n".join(d.render() for d in result.diagnostics)


def test_the_message_quotes_the_two_places(tmp_path):
    gate = _gate(tmp_path)
    [problem] = gate.trace(SPLICED[0]).diagnostics
    assert '"shows the direction of"' in problem.message and '"waggle run shows"' in problem.message


def test_a_side_reads_outward_past_determiners_and_auxiliaries_and_stops_at_punctuation():
    vocabulary = Vocabulary((), Lexicon())
    terms, gaps = vocabulary.terms_and_gaps(normalize("Yes, the dance must show the way of bees"))
    keys = {term.raw: term.key for term in terms}
    assert side(terms, gaps, 4, -1).words == (keys["dance"],)  # "must" and "the" passed over; the comma ends it
    assert side(terms, gaps, 4, 1).words == (keys["way"], "of")  # two words, "the" passed over
    start, start_gaps = vocabulary.terms_and_gaps(normalize("the dance shows"))
    assert side(start, start_gaps, 1, -1).words == ("^",)  # the start of the text is read as a word
