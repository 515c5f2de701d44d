"""Card quality rules, on the real deck and on small cards of our own."""

from __future__ import annotations

import statistics

import pytest

from deckgen.cards import load_project
from deckgen.diagnostics import Location
from deckgen.lint import MAX_ANSWER_WORDS, MAX_MEDIAN_ANSWER_WORDS, lint, word_count
from deckgen.model import Card, CardKind, DeckSettings, Project, CardFile
from deckgen.textnorm import Vocabulary

from helpers import REPO


def _project(*cards: Card) -> Project:
    where = Location("cards/t.yaml", 1, 1)
    settings = DeckSettings("T", "d", "t.apkg", where)
    return Project(settings, (CardFile("cards/t.yaml", "T", (), tuple(cards), where),), ())


def _card(card_id: str, question: str, answer: str) -> Card:
    return Card(card_id, CardKind.QA, "T", question, answer, "", "", (), (), "", Location("cards/t.yaml", 2, 3))


def _messages(*cards: Card) -> list[str]:
    return [d.message for d in lint(_project(*cards), Vocabulary())]


def test_real_deck_is_clean_and_short():
    project, problems = load_project(REPO)
    assert not problems
    assert lint(project, Vocabulary(project.synonyms)) == []
    lengths = [word_count(c.answer) for c in project.cards if c.kind is CardKind.QA]
    assert statistics.median(lengths) <= MAX_MEDIAN_ANSWER_WORDS
    assert max(lengths) <= MAX_ANSWER_WORDS
    assert 120 <= len(project.cards) <= 260


def test_long_answer():
    answer = " ".join(["word"] * 26)
    assert "answer has 26 words, over 25" in _messages(_card("a", "What is it?", answer))


def test_long_list():
    assert "answer lists 6 items, over 5" in _messages(_card("a", "Which?", "a1, b2, c3, d4, e5 and f6"))


@pytest.mark.parametrize("question", ["Is milia harmful?", "Does calcinosis hurt?", "Can it recur?"])
def test_yes_no_question(question):
    assert "yes/no question" in _messages(_card("a", question, "Rarely painful"))


def test_question_giving_answer_away():
    assert "the question gives its answer away" in _messages(
        _card("a", "What does the kidney failure cause, kidney failure?", "Kidney failure."))


def test_duplicate_questions():
    messages = _messages(_card("a", "What is milia?", "A cyst."), _card("b", "what is  milia", "Keratin."))
    assert "duplicate question" in messages


def test_median_over_limit():
    answer = " ".join(["word"] * 13)
    cards = [_card(f"c{i}", f"What is thing {i}?", answer) for i in range(3)]
    assert any(m.startswith("median answer is 13 words") for m in _messages(*cards))
