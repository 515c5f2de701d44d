"""The traceability gate: every card of the real deck passes; every wrong answer made from it fails."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from deckgen.cards import CLOZE_PATTERN, load_project
from deckgen.diagnostics import Location
from deckgen.model import Card, CardKind, SourceRef
from deckgen.sources import UnitKind, load_corpus
from deckgen.textnorm import Vocabulary
from deckgen.trace import Gate

from helpers import REPO
from mutants import mutate

PROJECT, _ = load_project(REPO)
CORPUS, _ = load_corpus(REPO)
GATE = Gate(CORPUS, Vocabulary(PROJECT.synonyms))
CARDS = PROJECT.cards


@pytest.mark.parametrize("card", CARDS, ids=[c.id for c in CARDS])
def test_card_is_traceable(card):
    result = GATE.trace(card)
    assert result.ok, "\n".join(d.render() for d in result.diagnostics)


def _answers(card: Card) -> list[tuple[str, callable]]:
    """Each checked text of a card with a function that rebuilds the card around a new text."""
    if card.kind is CardKind.QA:
        return [(card.answer, lambda text: replace(card, answer=text))]
    result = []
    for deletion in CLOZE_PATTERN.finditer(card.cloze):
        def rebuild(text, start=deletion.start(2), end=deletion.end(2)):
            return replace(card, cloze=card.cloze[:start] + text + card.cloze[end:])
        result.append((deletion.group(2), rebuild))
    return result


def test_gate_rejects_every_mutant_and_accepts_every_real_card(capsys):
    donor_words = [w for c in CARDS for w in re.findall(r"[A-Za-z]{6,}", c.answer or c.cloze)]
    accepted_real = sum(GATE.trace(card).ok for card in CARDS)
    made: Counter[str] = Counter()
    passed: list[str] = []
    for card in CARDS:
        quotes = " ".join(ref.quote for ref in card.sources)
        others = [w for w in donor_words if w.lower() not in (card.answer or card.cloze).lower()]
        for text, rebuild in _answers(card):
            for mutant in mutate(text, quotes, others):
                made[mutant.kind] += 1
                if GATE.trace(rebuild(mutant.text)).ok:
                    passed.append(f"{card.id} [{mutant.kind}]: {mutant.text}")
        for question in _questions_about_another_item(card):
            made["question-item"] += 1
            if GATE.trace(replace(card, question=question)).ok:
                passed.append(f"{card.id} [question-item]: {question}")
    rejected = sum(made.values()) - len(passed)
    with capsys.disabled():
        print(f"\ntraceability gate: accepted {accepted_real}/{len(CARDS)} real cards; "
              f"rejected {rejected}/{sum(made.values())} mutants "
              f"({', '.join(f'{k} {v}' for k, v in sorted(made.items()))})")
    assert accepted_real == len(CARDS)
    assert sum(made.values()) >= 5 * len(CARDS)
    assert not passed, "mutants the gate let through:\n" + "\n".join(passed)


def _questions_about_another_item(card: Card) -> list[str]:
    """The card's question, with the list item it names swapped for an item of another list.

    "Sarcoidosis can lead to which type?" becomes "Acne can lead to which type?": the answer and the
    quote stay, so only the link between the quoted item and the question can catch it.
    """
    if card.kind is not CardKind.QA:
        return []
    questions = []
    for ref in card.sources:
        match, _ = GATE.find_quote(ref)
        if match is None:
            continue
        named = [u for u in match.units if u.kind is UnitKind.ITEM and u.text.lower() in card.question.lower()]
        if len(named) != 1:  # swap only where the question names exactly one quoted item
            continue
        for unit in named:
            others = [u for u in match.doc.units
                      if u.kind is UnitKind.ITEM and u.lead is not None and u.lead != unit.lead
                      and len(u.text.split()) <= 4 and not u.text.endswith(".")
                      and u.text.lower() not in (card.question + " " + card.answer).lower()]
            for other in others[:3]:
                questions.append(re.sub(re.escape(unit.text), other.text, card.question, count=1, flags=re.I))
    return questions


# --- the rules, one at a time, on a small document of our own ------------------------------------
DOC = """---
title: Test document
publisher: Test Press
language: en
---
## Heading of the page

Dystrophic calcinosis can occur in tissue that is damaged or inflamed, or has become malignant or died.

Metastatic calcinosis can result from conditions associated with excess phosphorus, including:

- kidney failure
- sarcoidosis

There is no evidence of previous tissue damage. Levels of calcium are normal.

Calcium blockers such as diltiazem, amlodipine, and verapamil are the most commonly prescribed medications.
"""


@pytest.fixture
def gate(tmp_path: Path) -> Gate:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "doc.md").write_text(DOC, encoding="utf-8")
    corpus, problems = load_corpus(tmp_path)
    assert not problems
    return Gate(corpus, Vocabulary((("calcium channel blockers", "calcium blockers"),)))


def _card(question: str, answer: str, quote: str, doc: str = "doc") -> Card:
    where = Location("cards/t.yaml", 3, 5)
    return Card("t", CardKind.QA, "T", question, answer, "", "", (), (SourceRef(doc, quote, where),),
                "", where)


def _messages(gate: Gate, card: Card) -> str:
    return "\n".join(d.render() for d in gate.trace(card).diagnostics)


def test_quote_is_matched_after_normalisation(gate):
    card = _card("In what tissue does dystrophic calcinosis occur?", "Damaged or inflamed tissue.",
                 "DYSTROPHIC calcinosis can  occur in tissue that is damaged\nor inflamed")
    assert gate.trace(card).ok


def test_missing_quote_names_nearest_passage(gate):
    card = _card("In what tissue does dystrophic calcinosis occur?", "Damaged tissue.",
                 "Dystrophic calcinosis occurs in tissue that is damaged")
    text = _messages(gate, card)
    assert "cards/t.yaml:3:5: quote not found in doc" in text
    assert "nearest passage: \"dystrophic calcinosis can occur in tissue" in text


def test_unknown_document(gate):
    assert "unknown source document 'dox'" in _messages(gate, _card("What?", "Damaged tissue.", "damaged", "dox"))


def test_answer_word_outside_quote_is_named_with_nearest(gate):
    card = _card("In what tissue does dystrophic calcinosis occur?", "Tissue that has become malignant or dead.",
                 "Dystrophic calcinosis can occur in tissue that is damaged or inflamed, or has become malignant or died.")
    assert 'answer word "dead" is not in the quoted passage from doc (nearest: "died")' in _messages(gate, card)


def test_answer_words_must_share_one_sentence(gate):
    card = _card("What is there no evidence of?", "Normal tissue damage.",
                 "There is no evidence of previous tissue damage. Levels of calcium are normal.")
    assert not gate.trace(card).ok


def test_list_item_is_read_with_its_lead_in(gate):
    card = _card("Which lung-and-lymph disease is a cause of metastatic calcinosis?", "Sarcoidosis.",
                 "Metastatic calcinosis can result from conditions associated with excess phosphorus, including: ... sarcoidosis")
    assert gate.trace(card).ok


def test_ellipsis_may_not_cross_sentences(gate):
    card = _card("What is there no evidence of?", "Previous tissue damage; calcium normal.",
                 "There is no evidence of previous tissue damage ... calcium are normal")
    assert "skips across a sentence boundary" in _messages(gate, card)


def test_dropped_negation_is_rejected(gate):
    card = _card("What about previous tissue damage?", "Evidence of previous tissue damage.",
                 "There is no evidence of previous tissue damage.")
    assert 'drops the negation that the quoted passage from doc puts on "evidence"' in _messages(gate, card)


def test_added_negation_is_rejected(gate):
    card = _card("What are calcium levels like?", "Calcium levels are not normal.", "Levels of calcium are normal.")
    assert 'negates "normal"' in _messages(gate, card)


def test_flipped_polarity_is_rejected(gate):
    card = _card("What are calcium levels like?", "Abnormal.", "Levels of calcium are normal.")
    assert 'answer word "abnormal"' in _messages(gate, card)


def test_left_out_polarity_is_rejected(gate):
    card = _card("Metastatic calcinosis comes with what?", "Phosphorus.",
                 "Metastatic calcinosis can result from conditions associated with excess phosphorus")
    assert 'leaves out "excess"' in _messages(gate, card)


def test_subtype_must_agree(gate):
    card = _card("In what tissue does calcinosis form?", "Damaged or inflamed tissue.",
                 "Dystrophic calcinosis can occur in tissue that is damaged or inflamed")
    assert "about dystrophic calcinosis, which the card does not name" in _messages(gate, card)


def test_question_must_be_about_the_quote(gate):
    card = _card("Which drug treats acne?", "Sarcoidosis.",
                 "Metastatic calcinosis can result from conditions associated with excess phosphorus, including: ... sarcoidosis")
    assert "not about the question" in _messages(gate, card)


def test_synonyms_come_from_the_project_list(gate):
    quote = "Calcium blockers such as diltiazem"
    assert gate.trace(_card("Diltiazem is what kind of drug?", "A calcium channel blocker.", quote)).ok
    assert not gate.trace(_card("Diltiazem is what kind of drug?", "A calcium antagonist.", quote)).ok


def test_headings_are_not_citable(gate):
    card = _card("What is the heading?", "Heading of the page.", "Heading of the page")
    assert "quote includes the heading" in _messages(gate, card)


def test_quoted_list_item_must_be_the_one_the_card_is_about(gate):
    lead_in = "Metastatic calcinosis can result from conditions associated with excess phosphorus, including:"
    card = _card("Kidney failure can lead to which type of calcinosis?", "Metastatic calcinosis.",
                 lead_in + " ... sarcoidosis")
    assert "the list item quoted from doc is not the one this card is about" in _messages(gate, card)
    assert gate.trace(_card("Kidney failure can lead to which type of calcinosis?", "Metastatic calcinosis.",
                            lead_in + " kidney failure")).ok
