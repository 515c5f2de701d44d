"""The traceability gate: every card of the real deck passes; every wrong answer made from it fails."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from deckgen.cards import CLOZE_PATTERN, load_project
from deckgen.diagnostics import Location
from deckgen.model import Card, CardKind, Lexicon, SourceRef
from deckgen import causal, trace
from deckgen.causal import BACKWARD, FORWARD, find_phrases, read_text
from deckgen.sources import UnitKind, load_corpus
from deckgen.textnorm import Vocabulary
from deckgen.trace import Gate

import yaml

from claim_mutants import CLASSES, HAND_MUTANTS, HandMutant, Mutator
from helpers import REPO, copy_project, gate_over, run_cli
from mutants import mutate

PROJECT, _ = load_project(REPO)
CORPUS, _ = load_corpus(REPO)
GATE = Gate(CORPUS, Vocabulary(PROJECT.synonyms, PROJECT.lexicon))
CARDS = PROJECT.cards


@pytest.mark.parametrize("card", CARDS, ids=[c.id for c in CARDS])
def test_card_is_traceable(card):
    result = GATE.trace(card)
    assert result.ok, "\n".join(d.render() for d in result.diagnostics)


def _answers(card: Card) -> list[tuple[str, callable]]:
    """Each checked text of a card with a function that rebuilds the card around a new text."""
    if card.kind is CardKind.QA:
        return [(card.answer, lambda text: card._replace(answer=text))]
    result = []
    for deletion in CLOZE_PATTERN.finditer(card.cloze):
        def rebuild(text, start=deletion.start(2), end=deletion.end(2)):
            return card._replace(cloze=card.cloze[:start] + text + card.cloze[end:])
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
            if GATE.trace(card._replace(question=question)).ok:
                passed.append(f"{card.id} [question-item]: {question}")
    rejected = sum(made.values()) - len(passed)
    with capsys.disabled():
        print(f"\ntraceability gate: accepted {accepted_real}/{len(CARDS)} real cards; "
              f"rejected {rejected}/{sum(made.values())} answer mutants "
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


EQUIVALENT_MUTANTS = Path(__file__).resolve().parent / "equivalent_mutants.yaml"


def test_gate_rejects_every_claim_mutant_but_the_reviewed_equivalent_ones(capsys):
    """Question-term swaps, answer swaps, splices, false premises, hints, hedges stated as certain, words of
    order turned round or left out, and cause and effect turned round: every one rejected,
    except the equivalent mutants (true claims) listed with their reasons in equivalent_mutants.yaml.
    A listed mutant that is no longer made, or no longer passes, fails the test too: the list stays exact."""
    mutator = Mutator(GATE, PROJECT.lexicon, PROJECT.synonyms, CARDS)
    listed = {(e["card"], e["class"], e["mutant"]): e["reason"]
              for e in yaml.safe_load(EQUIVALENT_MUTANTS.read_text(encoding="utf-8")) or []}
    assert all(reason.strip() for reason in listed.values()), "every equivalent mutant needs its reason"
    made: Counter[str] = Counter()
    rejected: Counter[str] = Counter()
    survivors: set[tuple[str, str, str]] = set()
    for card in CARDS:
        for mutant in mutator.all(card):
            made[mutant.kind] += 1
            if GATE.trace(mutant.card).ok:
                survivors.add((card.id, mutant.kind, mutant.text))
            else:
                rejected[mutant.kind] += 1
    with capsys.disabled():
        print("\nclaim-level gate: " + "; ".join(
            f"{kind} rejected {rejected[kind]}/{made[kind]}" for kind in CLASSES)
            + f"; {len(survivors & listed.keys())} reviewed equivalent mutants")
    assert all(made[kind] >= len(CARDS) // 10 for kind in CLASSES if kind not in ("hint", "relation")), made
    assert made["relation"] >= 2, made
    assert made["cause"] >= 15, made  # every causal card of the deck with a phrase that has two sides to swap
    unlisted = sorted(survivors - listed.keys())
    assert not unlisted, "claim mutants the gate let through:\n" + "\n".join(" | ".join(m) for m in unlisted)
    stale = sorted(listed.keys() - survivors)
    assert not stale, "listed as equivalent but rejected or no longer made:\n" + "\n".join(" | ".join(m) for m in stale)


BY_ID = {card.id: card for card in CARDS}


def _hand_id(mutant: HandMutant) -> str:
    return f"{mutant.card}: {mutant.kind}"


def test_every_mutant_names_a_card_of_the_deck():
    """Hand mutants and known holes are tests of the gate on real cards: one whose card was retired or renamed must
    be moved, not left to skip (or, among the known holes, to count as the expected failure)."""
    missing = [_hand_id(mutant) for mutant in HAND_MUTANTS if mutant.card not in BY_ID]
    assert not missing, f"mutants of cards no longer in the deck: {missing}"


def _present(mutant: HandMutant) -> None:
    """A mutant of a card no longer in the deck fails rather than skips: a skip would drop the gate's test silently."""
    if mutant.card not in BY_ID:
        pytest.fail(f"no card {mutant.card} in the deck now: move the mutant {mutant.kind!r} to a card that is, "
                    f"or remove it from tests/claim_mutants.py", pytrace=False)


@pytest.mark.parametrize("mutant", HAND_MUTANTS, ids=_hand_id)
def test_a_hand_written_mutant_is_refused_and_an_honest_rewording_accepted(mutant):
    """Claims of real cards turned false with their quotes' own words (a word of order turned round, a hedge
    stated as certain, a comparison turned round, words moved between a sentence's two clauses, cause and effect
    turned round) are refused; honest rewordings of the same cards pass (a causal card asked from either side,
    in the active or the passive, in the passage's direction)."""
    _present(mutant)
    result = GATE.trace(mutant.apply(BY_ID[mutant.card]))
    assert result.ok == mutant.true, "\n".join(d.render() for d in result.diagnostics) or "accepted"


def test_the_cause_rule_alone_refuses_each_claim_turned_round(monkeypatch):
    """A mutant of the rule: with it switched off, every claim of a real card turned round about its causal verb,
    by hand or generated, passes the gate; each is refused by this rule, and by no other but the neighbour rule,
    which refuses a few of them for a word put beside another in the place of its neighbour ("... the risk of
    calcification that can trigger vascular damage"), the link rule, the verb rule of round 7, which reads a
    question asked about its verb after a modal ("what can X cause?"), and the splice rule, which since round 8 reads
    a repeated preposition ("intake can lead to" joined to the other "to metastatic calcification"), and since gate12
    the rules of the sides of "that" and of a relative clause's noun traded ("calcification that can trigger" for
    "vascular damage that can trigger calcification"); all are switched off with it."""
    mutator = Mutator(GATE, PROJECT.lexicon, PROJECT.synonyms, CARDS)
    turned = [m.apply(BY_ID[m.card]) for m in HAND_MUTANTS if m.kind.startswith("cause:") and not m.true
              and m.card in BY_ID]
    turned += [mutant.card for card in CARDS for mutant in mutator.causes(card)]
    assert len(turned) >= 28
    assert not [card.id for card in turned if GATE.trace(card).ok]
    monkeypatch.setattr(Gate, "_cause_reasons", lambda self, claim, passage: [])
    assert {d.code for card in turned for d in GATE.trace(card).diagnostics} <= {
        "neighbour-swapped", "link-swapped", "verb-turned-round", "clauses-spliced", "that-turned-round",
        "relative-turned-round"}
    monkeypatch.setattr(Gate, "_neighbour_reasons", lambda self, claim, passage: [])
    monkeypatch.setattr(Gate, "_that_reasons", lambda self, claim, passage: [])
    monkeypatch.setattr(Gate, "_relative_head_reasons", lambda self, claim, passage: [])
    monkeypatch.setattr(Gate, "_link_reasons", lambda self, claim, passage: [])
    monkeypatch.setattr(Gate, "_active_reasons", lambda self, claim, passage: [])
    monkeypatch.setattr(Gate, "_splice_reasons", lambda self, claim, passage: [])
    assert all(GATE.trace(card).ok for card in turned)


def test_a_causal_verb_in_an_object_relative_clause_is_read_with_its_subject_after_the_pronoun(monkeypatch):
    """A mutant of the reading: with a causal verb whose subject stands between "that" and it ("vascular damage that
    calcification can trigger") read as before - its subject the noun before "that" -, the claims of real cards turned
    round in such a clause pass the gate (but one, which the link rule refuses: "ones that stiffness can cause");
    read with its subject after the pronoun and its object before it, each is refused as cause and effect turned
    round, and the honest rewordings with a relative clause pass."""
    false = _hand_mutants("cause: turned round in an object relative clause")[0]
    honest = [m.apply(BY_ID[m.card]) for m in HAND_MUTANTS
              if m.true and m.kind.startswith("cause kept:") and "relative clause" in m.kind and m.card in BY_ID]
    assert len(false) >= 4 and len(honest) >= 8
    assert all([d.code for d in GATE.trace(card).diagnostics] == ["cause-effect-reversed"] for card in false)
    assert all(GATE.trace(card).ok for card in honest)
    monkeypatch.setattr(causal, "_object_relative", lambda text, words, i, end: None)
    assert not [d for card in false for d in GATE.trace(card).diagnostics if d.code == "cause-effect-reversed"]
    assert sum(GATE.trace(card).ok for card in false) >= 3  # the fourth: "stiffness can cause" (link-swapped)


def _hand_mutants(kind: str) -> tuple[list[Card], list[Card]]:
    """The hand-written mutants of real cards whose kind starts with `kind`: (false claims, honest rewordings)."""
    chosen = [m for m in HAND_MUTANTS if m.kind.startswith(kind) and m.card in BY_ID]
    return ([m.apply(BY_ID[m.card]) for m in chosen if not m.true],
            [m.apply(BY_ID[m.card]) for m in chosen if m.true])


@pytest.mark.parametrize("rule, kind, code", [("_conjunction_reasons", "conjunction", "conjunction-mismatch"),
                                              ("_neighbour_reasons", "neighbour", "neighbour-swapped"),
                                              ("_link_reasons", "link", "link-swapped")])
def test_each_rule_of_rounds_4_and_5_alone_refuses_its_claims(monkeypatch, rule, kind, code):
    """A mutant of each rule: with it switched off, every false claim of a real card written for it ("damaged and
    inflamed" for "damaged or inflamed"; "a natural magnesium antagonist" for "a natural calcium antagonist"; "what is
    designed to bind to EDTA?" for "EDTA ... is designed to bind to ionic calcium") passes the gate; each is refused
    by this rule and by no other, and the honest rewordings written beside them pass. The verb rule of round 7, which
    runs after these, refuses one of them too ("which risk does hypocalcemia carry?" - "systemic chelation", for
    "systemic chelation carries risks"), and so does the splice rule, which since round 8 reads a repeated preposition
    ("a small piece of" joined to the other "of the skin"), and since gate12 the rule of the sides of "that": they are
    switched off with the rule."""
    false, honest = _hand_mutants(kind)
    assert len(false) >= 5 and len(honest) >= 4 and (kind != "link" or len(honest) >= len(false))
    assert all([d.code for d in GATE.trace(card).diagnostics] == [code] for card in false)
    assert all(GATE.trace(card).ok for card in honest)
    monkeypatch.setattr(Gate, rule, lambda self, claim, passage: [])
    assert {d.code for card in false for d in GATE.trace(card).diagnostics} <= {"verb-turned-round", "clauses-spliced",
                                                                                  "that-turned-round"}
    monkeypatch.setattr(Gate, "_active_reasons", lambda self, claim, passage: [])
    monkeypatch.setattr(Gate, "_splice_reasons", lambda self, claim, passage: [])
    monkeypatch.setattr(Gate, "_that_reasons", lambda self, claim, passage: [])
    assert all(GATE.trace(card).ok for card in false)


@pytest.mark.parametrize("rule, kind, code", [("_side_reasons", "order", "order-turned-round"),
                                              ("_side_reasons", "naming", "naming-turned-round"),
                                              ("_voice_reasons", "passive", "passive-turned-round"),
                                              ("_relative_reasons", "relative", "relative-turned-round"),
                                              ("_splice_reasons", "spliced", "clauses-spliced")])
def test_each_rule_of_round_6_alone_refuses_a_clause_a_name_a_voice_or_a_verb_turned_round(monkeypatch, rule, kind,
                                                                                           code):
    """A mutant of each rule of round 6: with it switched off, every false claim of a real card written for it ("if
    your vitamin D levels will be monitored, what do you have?" for "if you have calcium deposits, your ... vitamin D
    levels will be monitored"; "what is idiopathic calcinosis called?" - "calcification" for "this is called
    idiopathic calcification"; "adequate magnesium levels are directly inhibited by the precipitation of which
    crystals?" for "adequate magnesium levels ... directly inhibiting the precipitation of hydroxyapatite crystals";
    "people who release more calcium in their urine get calcium oxalate stones" for "people who get calcium oxalate
    stones release more calcium in their urine"; and, of round 7, "what must you receive to receive the correct
    diagnosis?" - "the correct treatment" for "you must receive the correct diagnosis to receive the correct
    treatment") passes the gate; each is refused by this rule and by no other, and the honest rewordings written beside
    them (either side asked, the clause first or last, the object made the passive's subject) pass."""
    false, honest = _hand_mutants(kind + ":")
    kept = _hand_mutants(kind + " kept:")[1]
    assert len(false) >= 4 and len(kept) >= 4
    assert [card.id for card in false if [d.code for d in GATE.trace(card).diagnostics] != [code]] == []
    assert [card.id for card in kept if not GATE.trace(card).ok] == []
    monkeypatch.setattr(Gate, rule, lambda self, claim, passage: [])
    assert [card.id for card in false if not GATE.trace(card).ok] == []


def test_the_verb_rule_alone_refuses_a_subject_and_an_object_turned_round(monkeypatch):
    """A mutant of the rule of round 7: with it switched off, every false claim of a real card that asks for an active
    verb's subject or object with the two turned round ("what directly inhibits adequate magnesium levels?" - "the
    precipitation of hydroxyapatite crystals"; "what do arteries and heart valves affect?" - "vascular calcification")
    passes the gate; each is refused by this rule and by no other, and the honest rewordings written beside them
    (either side asked, with "what" or "who" first or with "do") pass."""
    false, honest = _hand_mutants("active:")
    kept = _hand_mutants("active kept:")[1]
    assert len(false) >= 4 and len(kept) >= 4
    assert [card.id for card in false if [d.code for d in GATE.trace(card).diagnostics] != ["verb-turned-round"]] == []
    assert [card.id for card in kept if not GATE.trace(card).ok] == []
    monkeypatch.setattr(Gate, "_active_reasons", lambda self, claim, passage: [])
    assert [card.id for card in false if not GATE.trace(card).ok] == []


def test_the_kind_rule_alone_refuses_an_apposition_turned_round(monkeypatch):
    """A mutant of the kind rule: with it switched off, every false claim of a real card that asks "what kind of N is
    X?" of an X that names N and that the sentence gives as the answer's kind ("what kind of medication is an
    anti-inflammatory medication?" - "colchicine", from "colchicine (Colcrys), an anti-inflammatory medication") passes
    the gate; each is refused by this rule and by no other, and the honest rewordings pass ("what kind of protein is an
    inhibitor of calcification?" - "Matrix Gla Protein (MGP)", whose X names no protein)."""
    false, _ = _hand_mutants("kind:")
    kept = _hand_mutants("kind kept:")[1]
    assert len(false) >= 3 and len(kept) >= 3
    assert [card.id for card in false if [d.code for d in GATE.trace(card).diagnostics] != ["kind-turned-round"]] == []
    assert [card.id for card in kept if not GATE.trace(card).ok] == []
    monkeypatch.setattr(Gate, "_kind_reasons", lambda self, claim, passage: [])
    assert [card.id for card in false if not GATE.trace(card).ok] == []


def test_a_question_inverted_about_its_modal_is_read_with_its_answer_after_the_verb(monkeypatch):
    """A mutant of the reading: with a question whose wh-word asks for the object of the verb that ends it ("If
    punctured, what will a white, chalky, paste-like material leak?" - "this type of nodule") read as before - the
    answer in the wh-word's place, before the modal, where it makes no link -, its subject and object swapped pass the
    gate; read as "a white ... material will leak <answer>", each is refused by the link rule, and the honest
    rewordings inverted the same way pass. The verb rule of round 7, which reads such a question after its modal too,
    refuses some of them then, and is switched off with the reading."""
    chosen = [m for m in HAND_MUTANTS if m.kind.startswith("link") and "question inverted" in m.kind]
    false = [m.apply(BY_ID[m.card]) for m in chosen if not m.true]
    honest = [m.apply(BY_ID[m.card]) for m in chosen if m.true]
    assert len(false) >= 3 and len(honest) >= 2
    assert all([d.code for d in GATE.trace(card).diagnostics] == ["link-swapped"] for card in false)
    assert all(GATE.trace(card).ok for card in honest)
    monkeypatch.setattr(trace, "_inverted_about_modal", lambda terms, rest: None)
    assert {d.code for card in false for d in GATE.trace(card).diagnostics} <= {"verb-turned-round"}
    monkeypatch.setattr(Gate, "_active_reasons", lambda self, claim, passage: [])
    assert all(GATE.trace(card).ok for card in false)


_ORDER_CODES = {"link-swapped", "order-turned-round", "naming-turned-round", "passive-turned-round",
                "relative-turned-round", "verb-turned-round", "kind-turned-round", "clauses-spliced"}


def test_a_sentence_asked_about_its_own_words_is_refused_by_no_rule_of_word_order():
    """Every citable sentence of the deck's sources, quoted whole and asked about every other word of four letters or
    more - as a cloze deleting it, and as a question with "what" in its place ("..., which is often detected during
    what?") -, says what the sentence says in its order: no rule that reads who does what to whom, where or when
    (links, the sides of "if" or "called", the passive, relative clauses) may refuse it."""
    where = Location("cards/t.yaml", 1, 1)
    refused = []
    for doc in CORPUS.docs.values():
        for unit in doc.units:
            if not unit.citable or unit.kind is UnitKind.HEADING:
                continue
            text = unit.text.strip()
            ref = (SourceRef(doc.id, text, where),)
            for word in list(re.finditer(r"[A-Za-z][A-Za-z'-]{3,}", text))[::2]:
                cloze = text[:word.start()] + "{{c1::" + word.group() + "}}" + text[word.end():]
                question = text[:word.start()] + "what" + text[word.end():].rstrip(". ") + "?"
                for card in (Card("t", CardKind.CLOZE, "T", "", "", cloze, "", (), ref, "", where),
                             Card("t", CardKind.QA, "T", question, word.group() + ".", "", "", (), ref, "", where)):
                    codes = {d.code for d in GATE.trace(card).diagnostics} & _ORDER_CODES
                    if codes:
                        refused.append(f"{card.question or card.cloze} ({', '.join(sorted(codes))})")
    assert not refused, "\n".join(refused)


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

## How to treat calcinosis

Calcium blockers such as diltiazem, amlodipine, and verapamil are the most commonly prescribed medications.

## Calcinosis and milia

Milia form when keratin gets trapped under the skin. Calcinosis forms when calcium phosphate is deposited.

## Signs and treatment

Some people notice itching before the bumps appear, but most people have no symptoms until deposits form.

Milia are much more common than calcinosis.

While EDTA is approved for lead poisoning, its use for calcinosis remains controversial.

## Causes

Bumps near joints can cause stiffness.

Conditions that can lead to dystrophic calcinosis are:

- acne
- burns
"""
LEXICON = Lexicon(kinds=(("subtype", ("dystrophic", "metastatic")), ("lesion", ("calcinosis", "milia")),
                         ("drug", ("edta",))),
                  frame=("example",))


@pytest.fixture
def gate(tmp_path: Path) -> Gate:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "doc.md").write_text(DOC, encoding="utf-8")
    corpus, problems = load_corpus(tmp_path)
    assert not problems
    return Gate(corpus, Vocabulary((("calcium channel blockers", "calcium blockers"),), LEXICON))


def test_a_card_citing_an_unreadable_source_points_to_where_its_problem_is_named(tmp_path):
    """check reports the source's own problem and leaves this one out; pull, which judges a learner's edit by
    the gate alone, shows this one only: it said the problem 'is reported at' the source, which pull never did."""
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "doc.md").write_text(DOC.replace("publisher:", "publisher_:"), encoding="utf-8")
    corpus, problems = load_corpus(tmp_path)
    assert problems and corpus.unreadable == {"doc"}
    message = _messages(Gate(corpus, Vocabulary((), LEXICON)), _card("What?", "That.", "quoted"))
    assert "source document 'doc' cannot be read: sources/doc.md has a problem of its own (deckgen check names " \
           "it)" in message, message
    assert "is reported at" not in message


def _card(question: str, answer: str, *quotes: str, doc: str = "doc", extra: str = "",
          tags: tuple[str, ...] = ()) -> Card:
    where = Location("cards/t.yaml", 3, 5)
    return Card("t", CardKind.QA, "T", question, answer, "", extra, tags,
                tuple(SourceRef(doc, quote, where) for quote in quotes), "", where)


def _cloze(text: str, *quotes: str) -> Card:
    where = Location("cards/t.yaml", 3, 5)
    return Card("t", CardKind.CLOZE, "T", "", "", text, "", (), tuple(SourceRef("doc", q, where) for q in quotes),
                "", where)


def _messages(gate: Gate, card: Card) -> str:
    return "\n".join(d.render() for d in gate.trace(card).diagnostics)


DYSTROPHIC = "Dystrophic calcinosis can occur in tissue that is damaged or inflamed"
LEAD_IN = "Metastatic calcinosis can result from conditions associated with excess phosphorus, including:"
BLOCKERS = "Calcium blockers such as diltiazem, amlodipine, and verapamil are the most commonly prescribed medications."


def test_quote_is_matched_after_normalisation(gate):
    card = _card("In what tissue can dystrophic calcinosis occur?", "Damaged or inflamed tissue.",
                 "DYSTROPHIC calcinosis can  occur in tissue that is damaged\nor inflamed")
    assert gate.trace(card).ok


def test_missing_quote_names_nearest_passage(gate):
    card = _card("In what tissue does dystrophic calcinosis occur?", "Damaged tissue.",
                 "Dystrophic calcinosis occurs in tissue that is damaged")
    text = _messages(gate, card)
    assert "cards/t.yaml:3:5: quote not found in doc" in text
    assert "nearest passage: \"Dystrophic calcinosis can occur in tissue" in text


def test_unknown_document(gate):
    assert "unknown source document 'dox'" in _messages(gate, _card("What?", "Damaged tissue.", "damaged", doc="dox"))


def test_answer_word_outside_quote_is_named_with_nearest(gate):
    card = _card("In what tissue does dystrophic calcinosis occur?", "Tissue that has become malignant or dead.",
                 "Dystrophic calcinosis can occur in tissue that is damaged or inflamed, or has become malignant or died.")
    assert 'answer word "dead" is not in the quoted passage from doc (nearest: "died")' in _messages(gate, card)


def test_answer_words_must_share_one_sentence(gate):
    """Every word of the card is in the quote and the quote says nothing more: only the rule that one sentence
    carries the claim refuses it (the card of old also left out "previous", refused for that whatever the rule)."""
    card = _card("What is there no evidence of?", "Previous tissue damage; levels of calcium are normal.",
                 "There is no evidence of previous tissue damage. Levels of calcium are normal.")
    assert _codes(gate, card) == ["answer-word-missing"], _messages(gate, card)  # one message names all three


def test_list_item_is_read_with_its_lead_in(gate):
    card = _card("Metastatic calcinosis can result from which condition associated with excess phosphorus?",
                 "Sarcoidosis.", LEAD_IN + " ... sarcoidosis")
    assert gate.trace(card).ok


def test_a_question_mark_or_an_exclamation_mark_ends_a_sentence(tmp_path):
    """As a full stop does: a claim spliced across "?" or "!" rests on two sentences and is refused. Every sentence of
    the other tests ends in a full stop: with "?" and "!" left out of sources._SENTENCE_END, all of this file and the
    sources' own tests passed, and both splices below passed the gate."""
    gate = _gate_over(tmp_path, "Lumps", "Is calcinosis painful? Most deposits are painless! Milia itch.\n")
    assert [unit.text for unit in gate.corpus.docs["doc"].units] == [
        "Is calcinosis painful?", "Most deposits are painless!", "Milia itch."]
    assert gate.trace(_card("Most deposits are what?", "Painless.", "Most deposits are painless!")).ok
    for question, answer, quote in (
            ("Is calcinosis painful, most deposits being what?", "Painless.",
             "Is calcinosis painful? Most deposits are painless!"),
            ("Most deposits are painless, and what do milia do?", "Itch.", "Most deposits are painless! Milia itch.")):
        assert not gate.trace(_card(question, answer, quote)).ok, question


def test_a_numbered_list_item_is_read_with_its_lead_in(tmp_path):
    """A source's numbered list ("1. ", "2) ") is a list as a bulleted one is: its items were joined to the lead-in
    as one paragraph, so a quote from the lead-in into an item was refused as skipping across sentences."""
    (tmp_path / "sources").mkdir()
    numbered = DOC.replace("- kidney failure\n- sarcoidosis", "1. kidney failure\n2) sarcoidosis")
    (tmp_path / "sources" / "doc.md").write_text(numbered, encoding="utf-8")
    corpus, problems = load_corpus(tmp_path)
    assert not problems
    items = [unit for unit in corpus.docs["doc"].units if unit.kind is UnitKind.ITEM]
    assert [unit.text for unit in items[:2]] == ["kidney failure", "sarcoidosis"]
    gate = Gate(corpus, Vocabulary((), LEXICON))
    card = _card("Metastatic calcinosis can result from which condition associated with excess phosphorus?",
                 "Sarcoidosis.", LEAD_IN + " ... sarcoidosis")
    assert gate.trace(card).ok, _messages(gate, card)


def test_a_line_starting_with_a_number_continues_its_sentence_unless_it_starts_a_list(tmp_path):
    """As Markdown reads it: a numbered line breaks a paragraph only when its number is 1 (or it follows an item), so
    a sentence wrapped before a year ("... in" / "1918. It ...") stays one sentence, not a list item "It ..."."""
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "doc.md").write_text(
        "---\ntitle: Reforms\npublisher: Test Press\nlanguage: en\n---\nThe spelling reform came in\n"
        "1918. It removed four letters:\n1. yat,\nreplaced by e;\n2. fita.\n", encoding="utf-8")
    corpus, problems = load_corpus(tmp_path)
    assert not problems
    units = [(unit.kind, unit.text) for unit in corpus.docs["doc"].units]
    assert units == [(UnitKind.SENTENCE, "The spelling reform came in 1918."),
                     (UnitKind.SENTENCE, "It removed four letters:"),
                     (UnitKind.ITEM, "yat, replaced by e;"), (UnitKind.ITEM, "fita.")], units


def _gate_over(tmp_path: Path, title: str, text: str) -> Gate:
    """A gate over one document, "doc", holding `text`."""
    return gate_over(tmp_path, title, text)


def test_words_of_any_script_are_checked(tmp_path):
    """A word of another script than Latin, or with a letter outside a-z, is a word the gate compares: such words
    were no words at all, so an answer "Ж" had nothing to check, another letter could stand for it, and an
    accented name was read as its ASCII pieces ("karadžić" as "karad")."""
    gate = _gate_over(tmp_path, "Letters", "The letter Ж stands for the sound zh.\n\n"
                                           "Karadžić borrowed the letter Ј from the Latin alphabet.\n")
    assert gate.trace(_cloze("The letter {{c1::Ж}} stands for the sound zh.", "The letter Ж stands for the sound zh.")).ok
    swapped = _messages(gate, _cloze("The letter {{c1::Ш}} stands for the sound zh.",
                                     "The letter Ж stands for the sound zh."))
    assert 'cloze word "Ш" is not in the quoted passage from doc' in swapped, swapped
    quote = "Karadžić borrowed the letter Ј from the Latin alphabet."
    assert gate.trace(_card("Which letter did Karadžić borrow from the Latin alphabet?", "Ј", quote)).ok
    assert 'answer word "Ж"' in _messages(gate, _card("Which letter did Karadžić borrow from the Latin alphabet?",
                                                       "Ж", quote))
    renamed = _messages(gate, _card("Which letter did Karadžin borrow from the Latin alphabet?", "Ј", quote))
    assert 'question word "Karadžin" is not in the quoted passage from doc' in renamed, renamed


INTERROGATIVES = ("The spelling reform of 1918 removed four letters from the Russian alphabet.\n\n"
                  "The reform lasted ten years.\n\nAdults need 1,000 mg of calcium a day.\n\n"
                  "The letter Ё is used only sometimes.\n\nThe river is 6,650 km long.\n")


@pytest.mark.parametrize("question, answer, quote", [
    ("How many letters did the spelling reform of 1918 remove from the Russian alphabet?", "Four.",
     "The spelling reform of 1918 removed four letters from the Russian alphabet."),
    ("How much calcium do adults need a day?", "1,000 mg.", "Adults need 1,000 mg of calcium a day."),
    ("For how many years did the reform last?", "Ten years.", "The reform lasted ten years."),
    ("How long is the river?", "6,650 km.", "The river is 6,650 km long."),  # a passage that says it: claimed
])
def test_the_word_after_how_is_part_of_the_question_word(tmp_path, question, answer, quote):
    """"How many" asks for a number: "many" was a question word the passage had to say ('question word "many" is
    not in the quoted passage'), and so was "much" after "how"."""
    gate = _gate_over(tmp_path, "Letters", INTERROGATIVES)
    card = _card(question, answer, quote)
    assert gate.trace(card).ok, _messages(gate, card)


@pytest.mark.parametrize("question, answer, quote", [
    ("How often did the spelling reform of 1918 remove letters from the Russian alphabet?", "Four.",
     "The spelling reform of 1918 removed four letters from the Russian alphabet."),
    ("How long did the spelling reform of 1918 remove letters from the Russian alphabet?", "Four.",
     "The spelling reform of 1918 removed four letters from the Russian alphabet."),
    ("How old is the letter Ё?", "Only sometimes.", "The letter Ё is used only sometimes."),
])
def test_a_measure_asked_with_how_is_a_claim_the_passage_must_make(tmp_path, question, answer, quote):
    """"How often", "how long", "how old" each ask for one measure: with the word after "how" needing no passage,
    "How often did the reform remove letters? Four." passed on a passage saying it removed four letters."""
    gate = _gate_over(tmp_path, "Letters", INTERROGATIVES)
    card = _card(question, answer, quote)
    shown = _messages(gate, card)
    assert not gate.trace(card).ok and f'question word "{question.split()[1]}" is not in the quoted passage' in shown, \
        shown


COUNTS = ("The spelling reform of 1918 removed four letters from the Russian alphabet.\n\n"
          "The civil script retained four Cyrillic letters.\n\nKaradžić removed four of the old letters.\n")


@pytest.mark.parametrize("question, answer, quote", [
    ("How many letters did the spelling reform of 1918 remove from the Russian alphabet?", "Four.",
     "The spelling reform of 1918 removed four letters from the Russian alphabet."),
    ("How many letters did the spelling reform of 1918 remove from the Russian alphabet?", "Four letters.",
     "The spelling reform of 1918 removed four letters from the Russian alphabet."),
    ("How many letters did the civil script retain?", "Four Cyrillic letters.",
     "The civil script retained four Cyrillic letters."),
    ("How many Cyrillic letters did the civil script retain?", "Four.", "The civil script retained four Cyrillic letters."),
    ("How many old letters did Karadžić remove?", "Four.", "Karadžić removed four of the old letters."),
])
def test_how_many_counts_what_the_passage_counts_with_that_number(tmp_path, question, answer, quote):
    gate = _gate_over(tmp_path, "Letters", COUNTS)
    card = _card(question, answer, quote)
    assert gate.trace(card).ok, _messages(gate, card)


def test_how_many_of_another_word_than_the_passage_counts_is_refused(tmp_path):
    """With "many" needing no passage, the number in the answer could be put on any word of the sentence: "How many
    Russian alphabets did the reform remove letters from? Four." passed where the sentence counts four letters."""
    gate = _gate_over(tmp_path, "Letters", COUNTS)
    shown = _messages(gate, _card("How many Russian alphabets did the spelling reform of 1918 remove letters from?",
                                  "Four.", "The spelling reform of 1918 removed four letters from the Russian alphabet."))
    assert 'asks how many "alphabets", answered "four", where the quoted passage from doc says "four letters"' \
        in shown, shown
    scripts = _messages(gate, _card("How many civil scripts retained Cyrillic letters?", "Four.",
                                    "The civil script retained four Cyrillic letters."))
    assert "count-mismatch" in scripts or 'asks how many "scripts"' in scripts, scripts


def test_a_word_of_quantity_not_after_how_is_still_claimed(tmp_path):
    gate = _gate_over(tmp_path, "Letters", INTERROGATIVES)
    many = _messages(gate, _card("How did the spelling reform of 1918 change many letters of the Russian alphabet?",
                                 "It removed four.",
                                 "The spelling reform of 1918 removed four letters from the Russian alphabet."))
    assert 'question words "change" and "many" are not in the quoted passage from doc' in many, many
    often = _messages(gate, _card("How is the letter Ё often used?", "Only sometimes.",
                                  "The letter Ё is used only sometimes."))
    assert 'question word "often" is not in the quoted passage from doc' in often, often


def test_a_quote_without_the_sources_emphasis_markers_is_told_to_keep_them(tmp_path):
    """A source's Markdown emphasis is part of its text, as the back of the card shows it: a quote written as the
    sentence reads, without the markers, was refused with the nearest passage alone, which left why to be seen."""
    gate = _gate_over(tmp_path, "Letters", "The civil script gave letters *rounder* shapes.\n\n"
                                           "Karadžić borrowed **one** letter from the _Latin_ alphabet.\n")
    for quote, written in (("The civil script gave letters rounder shapes.",
                            "The civil script gave letters *rounder* shapes."),
                           ("Karadžić borrowed one letter from the Latin alphabet.",
                            "Karadžić borrowed **one** letter from the _Latin_ alphabet.")):
        card = _card("What did the civil script give letters?", "Rounder shapes.", quote)
        shown = _messages(gate, card)
        assert "quote not found in doc" in shown and "the source marks emphasis there (*word*, **word**, _word_): " \
            "a quote keeps the markers as the source writes them" in shown, shown
        requoted = card._replace(sources=(card.sources[0]._replace(quote=written),))
        assert "quote not found" not in _messages(gate, requoted)
    other = _messages(gate, _card("What did the civil script give letters?", "Rounder shapes.",
                                  "The civil script gave letters round shapes."))
    assert "quote not found in doc" in other and "emphasis" not in other, other


def test_a_quote_that_keeps_a_pandoc_note_is_told_to_leave_it_out(tmp_path):
    """A Pandoc note ("dance^[...]") is no part of its sentence: a quote that kept it was refused with the note's
    own text as the nearest passage, the note being longer than the rest of the quote."""
    gate = _gate_over(tmp_path, "Bees", "Honey bees use the waggle dance^[Karl von Frisch described it in the\n"
                                        "1940s.] to tell other bees where food is.\n")
    kept = _messages(gate, _card("What do honey bees use to tell other bees where food is?", "The waggle dance.",
                                 "Honey bees use the waggle dance^[Karl von Frisch described it in the 1940s.] to "
                                 "tell other bees where food is."))
    assert 'nearest passage: "Honey bees use the waggle dance to tell other bees where food is."; a note (^[...]) ' \
           "is no part of its sentence: quote the sentence without it, or the note's text on its own" in kept, kept
    assert _messages(gate, _card("What do honey bees use to tell other bees where food is?", "The waggle dance.",
                                 "Honey bees use the waggle dance to tell other bees where food is.")) == ""
    other = _messages(gate, _card("Who described it in the 1940s?", "Karl von Frisch.",
                                  "Karl von Frisch described it in the 1950s."))
    assert "quote not found in doc" in other and "note" not in other.split("hint:")[1], other


def test_an_answer_or_deletion_with_nothing_to_check_says_what_to_do(gate):
    """It had no hint: a bare "no" or "both" reads as a card the gate cannot check, with no word on why."""
    for card, where in ((_card("Is there evidence of previous tissue damage?", "No.",
                               "There is no evidence of previous tissue damage."), "answer has no"),
                        (_cloze("There is {{c1::no}} evidence of previous tissue damage.",
                                "There is no evidence of previous tissue damage."), "deletion c1 has no")):
        shown = _messages(gate, card)
        assert f"{where} content word to check\n    hint: it holds only words the gate skips" in shown, shown


def test_a_word_keeps_its_combining_marks(tmp_path):
    """A combining mark inside a word (a vowel sign of Devanagari, a stress mark on a Cyrillic vowel) is part of the
    word: the marks cut words into their letters, so "दिन" (day) and "दीन" (poor) were both "द" and "न"."""
    gate = _gate_over(tmp_path, "Words", "The Hindi word दिन means day.\n\n"
                                         "The Russian word вода́ has its stress on the last syllable.\n")
    assert gate.trace(_cloze("The Hindi word {{c1::दिन}} means day.", "The Hindi word दिन means day.")).ok
    assert 'cloze word "दीन"' in _messages(gate, _cloze("The Hindi word {{c1::दीन}} means day.",
                                                        "The Hindi word दिन means day."))
    quote = "The Russian word вода́ has its stress on the last syllable."
    assert gate.trace(_cloze("The Russian word {{c1::вода́}} has its stress on the last syllable.", quote)).ok
    assert 'cloze word "во́да"' in _messages(gate, _cloze("The Russian word {{c1::во́да}} has its stress on the "
                                                          "last syllable.", quote))


def test_ellipsis_may_not_cross_sentences(gate):
    card = _card("What is there no evidence of?", "Previous tissue damage; calcium normal.",
                 "There is no evidence of previous tissue damage ... calcium are normal")
    assert "skips across a sentence boundary" in _messages(gate, card)


def test_ellipsis_may_not_cross_into_the_item_of_another_lead_in(gate):
    """' ... ' goes from a list's lead-in into one of its own items only: an item of a later list (it has a lead-in,
    just not this one) is across sentences as any other sentence is. No test quoted into a list item but from its
    own lead-in, so a rule that let ' ... ' reach any item passed every test of this file."""
    card = _card("Metastatic calcinosis can result from which condition associated with excess phosphorus?",
                 "Acne.", LEAD_IN + " ... acne")
    assert _codes(gate, card) == ["quote-crosses-sentences"], _messages(gate, card)
    assert gate.trace(card._replace(answer="Sarcoidosis.", sources=(SourceRef("doc", LEAD_IN + " ... sarcoidosis",
                                                                              card.location),))).ok


def test_dropped_negation_is_rejected(gate):
    card = _card("What about previous tissue damage?", "Evidence of previous tissue damage.",
                 "There is no evidence of previous tissue damage.")
    assert 'drops the negation that the quoted passage from doc puts on "evidence"' in _messages(gate, card)


def test_a_negation_skipped_by_the_quote_still_counts(gate):
    card = _card("Of previous tissue damage there is what?", "Evidence.", "There is ... evidence of previous tissue damage.")
    assert 'drops the negation that the quoted passage from doc puts on "evidence"' in _messages(gate, card)


def test_added_negation_is_rejected(gate):
    card = _card("What are calcium levels like?", "Calcium levels are not normal.", "Levels of calcium are normal.")
    assert 'negates "normal"' in _messages(gate, card)


def test_flipped_polarity_is_rejected(gate):
    card = _card("What are calcium levels like?", "Abnormal.", "Levels of calcium are normal.")
    assert 'answer word "Abnormal"' in _messages(gate, card)


def test_left_out_polarity_is_rejected_even_when_the_quote_skips_it(gate):
    card = _card("Metastatic calcinosis can result from conditions associated with what?", "Phosphorus.",
                 "Metastatic calcinosis can result from conditions associated with ... phosphorus")
    assert 'leaves out "excess"' in _messages(gate, card)


def test_left_out_polarity_is_rejected_when_the_sentence_says_it_after_its_word(gate):
    """A polarity word as a predicate ("levels of calcium are normal") is on the word before it: the quote cut before
    it, a claim of calcium levels must still say "normal". The tests above put it before its word ("excess
    phosphorus") only; without the predicate form (textnorm.polarity_bindings) every test of this file passed."""
    card = _card("Levels of what?", "Calcium.", "Levels of calcium")
    assert _codes(gate, card) == ["polarity-missing"]
    assert 'leaves out "normal", which the quoted passage from doc says of "calcium"' in _messages(gate, card)
    assert gate.trace(_card("Levels of calcium are what?", "Normal.", "Levels of calcium are normal.")).ok


def test_a_negation_is_on_the_first_content_word_after_it(tmp_path):
    """"not a sign": the negation is on "sign", past the stop-word. Each test above put a negation right before its
    word ("no evidence"); with it put on whatever word follows (textnorm.negated_keys), "a" took it, and a claim
    that dropped it passed every test of this file."""
    gate = _gate_over(tmp_path, "Milia", "Milia are not a sign of cancer.\n")
    quote = "Milia are not a sign of cancer."
    dropped = _card("Milia are a sign of what?", "Cancer.", quote)
    assert _codes(gate, dropped) == ["negation-mismatch"]
    assert 'drops the negation that the quoted passage from doc puts on "sign"' in _messages(gate, dropped)
    assert gate.trace(_card("Milia are not a sign of what?", "Cancer.", quote)).ok


def test_the_card_must_say_all_the_quoted_part_says(gate):
    card = _card("In what tissue does calcinosis occur?", "Damaged or inflamed tissue.", DYSTROPHIC)
    assert 'the quoted passage from doc also says "dystrophic", which the card does not' in _messages(gate, card)


def test_every_question_word_must_be_in_the_passage(gate):
    card = _card("Which drug treats acne?", "Sarcoidosis.", LEAD_IN + " ... sarcoidosis")
    assert 'question words "drug", "treats" and "acne" are not in the quoted passage from doc' in _messages(gate, card)


def test_a_question_term_swapped_for_its_sibling_is_rejected(gate):
    right = _card("In what tissue can dystrophic calcinosis occur?", "Damaged or inflamed tissue.", DYSTROPHIC)
    assert gate.trace(right).ok
    swapped = right._replace(question="In what tissue can metastatic calcinosis occur?")
    assert 'question word "metastatic" is not in the quoted passage from doc' in _messages(gate, swapped)


def test_the_answer_must_answer_the_question_not_merely_share_its_sentence(gate):
    quote = "Calcium blockers such as ... amlodipine ... are the most commonly prescribed medications."
    right = _card("Which medications, such as amlodipine, are the most commonly prescribed?",
                  "Calcium channel blockers.", quote)
    assert gate.trace(right).ok
    other_answer = right._replace(answer="Amlodipine.")
    assert 'also says "Calcium blockers"' in _messages(gate, other_answer)


def test_a_splice_across_sentences_is_rejected(gate):
    """The claim holds every word of both sentences and no other: refused only because no one sentence says it all."""
    card = _card("When milia form, what gets trapped under the skin, and what is deposited when calcinosis forms?",
                 "Keratin; calcium phosphate.",
                 "Milia form when keratin gets trapped under the skin. Calcinosis forms when calcium phosphate is deposited.")
    assert not gate.trace(card).ok
    assert set(_codes(gate, card)) == {"answer-word-missing", "question-word-missing"}, _messages(gate, card)


def test_a_heading_carries_a_decisive_term_only_without_a_sibling(gate):
    treat = _card("Which medications, such as diltiazem, are the most commonly prescribed for calcinosis?",
                  "Calcium channel blockers.",
                  "Calcium blockers such as diltiazem ... are the most commonly prescribed medications.")
    assert gate.trace(treat).ok, _messages(gate, treat)  # "calcinosis" from "How to treat calcinosis"
    milia = treat._replace(question=treat.question.replace("calcinosis", "milia"))
    assert 'question word "milia"' in _messages(gate, milia)
    # Under "Calcinosis and milia" the heading names both: the sentence itself must say which.
    keratin = _card("When calcinosis forms, what gets trapped under the skin?", "Keratin.",
                    "Milia form when keratin gets trapped under the skin.")
    assert 'question word "calcinosis"' in _messages(gate, keratin)


def test_frame_words_need_no_passage(gate):
    card = _card("Diltiazem is an example of what?", "Calcium channel blockers.", "Calcium blockers such as diltiazem")
    assert gate.trace(card).ok, _messages(gate, card)


def test_claim_words_need_no_passage_only_on_a_card_tagged_as_a_claim(gate):
    """'It is claimed that ...' only weakens what the passage states: no passage is asked for it on a
    card tagged evidence::claim, and on any other card it is a word like any other."""
    question = "Calcium blockers are claimed to be the most commonly prescribed what?"
    quote = "Calcium blockers ... are the most commonly prescribed medications."
    claimed = _card(question, "Medications.", quote, tags=("evidence::claim",))
    assert gate.trace(claimed).ok, _messages(gate, claimed)
    assert 'question word "claimed"' in _messages(gate, _card(question, "Medications.", quote))
    # Only the claim words: another word the passage does not say still needs one.
    widened = _card(question.replace("commonly", "commonly and safely"), "Medications.", quote,
                    tags=("evidence::claim",))
    assert 'question word "safely"' in _messages(gate, widened)
    # ... and in the question only: an answer is what the passage says, not who claims it.
    answered = _card("Which medications are the most commonly prescribed?", "Claimed: calcium blockers.", quote,
                     tags=("evidence::claim",))
    assert 'answer word "Claimed"' in _messages(gate, answered)


def test_a_kind_name_in_the_question_needs_an_answer_of_that_kind(gate):
    """"Which lesion ...?" asks for a lesion: the word needs no passage when the answer names a term
    the lexicon files under that kind, and is a word like any other when it does not."""
    quote = "Milia form when keratin gets trapped under the skin."
    lesion = _card("Which lesion forms when keratin gets trapped under the skin?", "Milia.", quote)
    assert gate.trace(lesion).ok, _messages(gate, lesion)
    plural = _card("Which lesions form when keratin gets trapped under the skin?", "Milia.", quote)
    assert gate.trace(plural).ok, _messages(gate, plural)
    not_one = _card("When milia form, which lesion gets trapped under the skin?", "Keratin.", quote)
    assert 'question word "lesion"' in _messages(gate, not_one)
    other_kind = _card("Which subtype forms when keratin gets trapped under the skin?", "Milia.", quote)
    assert 'question word "subtype"' in _messages(gate, other_kind)


def test_a_hedge_on_a_word_of_the_claim_is_kept(gate):
    """What the sentence says "can" (or "may") happen, the claim may not state as certain: any hedge will do where it
    says "can" (where it says "may", "might" or "could", "can" will not: claim_mutants' "hedge may -> can")."""
    right = _card("In what tissue can dystrophic calcinosis occur?", "Damaged or inflamed tissue.", DYSTROPHIC)
    assert gate.trace(right).ok
    assert gate.trace(right._replace(question="In what tissue might dystrophic calcinosis occur?")).ok
    for verb in ("does", "will"):
        certain = right._replace(question=f"In what tissue {verb} dystrophic calcinosis occur?")
        assert [d.code for d in gate.trace(certain).diagnostics] == ["hedge-missing"]
        assert 'states "occur" as certain, where the quoted passage from doc says "can"' in _messages(gate, certain)


SIGNS = "Some people notice itching before the bumps appear, but most people have no symptoms until deposits form."


def test_words_of_order_in_time_or_place_are_claimed(gate):
    """"before", "after", "until", "under"... are content words: a claim says them exactly when its quote does."""
    quote = "Some people notice itching before the bumps appear"
    assert gate.trace(_card("What do some people notice before the bumps appear?", "Itching.", quote)).ok
    after = _card("What do some people notice after the bumps appear?", "Itching.", quote)
    assert 'question word "after" is not in the quoted passage' in _messages(gate, after)
    when = _card("What do some people notice when the bumps appear?", "Itching.", quote)
    assert 'also says "before", which the card does not' in _messages(gate, when)


def test_a_comparison_is_made_with_what_the_passage_compares_with(gate):
    quote = "Milia are much more common than calcinosis."
    assert gate.trace(_card("Milia are much more common than what?", "Calcinosis.", quote)).ok
    assert gate.trace(_card("What are much more common than calcinosis?", "Milia.", quote)).ok
    turned = _card("Calcinosis is much more common than what?", "Milia.", quote)
    assert [d.code for d in gate.trace(turned).diagnostics] == ["comparison-mismatch"]
    assert 'compares with "milia", where the quoted passage from doc compares with "calcinosis"' in \
        _messages(gate, turned)


def test_each_part_of_a_claim_keeps_to_one_clause_of_its_sentence(gate):
    """A sentence that joins two clauses by a contrast ("X, but Y", "While X, Y") says two things: a part of the
    claim (the question cut at its commas and contrast words, the answer with the part that asks for it) may not
    join words of one with words of the other. Decisive terms are free, for a pronoun may stand for them."""
    honest = _card("Most people have no symptoms until deposits form, but what do some people notice before the bumps "
                   "appear?", "Itching.", SIGNS)
    assert gate.trace(honest).ok, _messages(gate, honest)
    swapped = honest._replace(question="Some people have no symptoms until deposits form, but what do most people "
                                       "notice before the bumps appear?")
    assert [d.code for d in gate.trace(swapped).diagnostics] == ["clause-mixed"]
    assert 'joins "Some" and "symptoms", which the quoted sentence from doc says in different clauses' in \
        _messages(gate, swapped)
    edta = "While EDTA is approved for lead poisoning, its use for calcinosis remains controversial."
    approved = _card("EDTA is approved for what, though its use for calcinosis remains controversial?",
                     "Lead poisoning.", edta)
    assert gate.trace(approved).ok, _messages(gate, approved)
    pronoun = _card("The use of EDTA for calcinosis remains what?", "Controversial.",
                    "While EDTA ... its use for calcinosis remains controversial.")
    assert gate.trace(pronoun).ok, _messages(gate, pronoun)
    other_clause = _card("The use of EDTA for lead poisoning remains controversial, while for what is it approved?",
                         "Calcinosis.", edta)
    assert [d.code for d in gate.trace(other_clause).diagnostics] == ["clause-mixed"]


def test_a_semicolon_joins_two_clauses_and_a_contrast_word_cuts_a_claim(tmp_path, gate):
    """The other two cuts of rule 3's clauses, which no test made (without either, every test of this file passed):
    a sentence's ";" joins two clauses as ", but" does, and a claim is cut at a contrast word with no comma before it,
    so an honest claim of both clauses joined by "while" keeps each part within one."""
    (tmp_path / "bumps").mkdir()  # tmp_path/sources is the gate fixture's
    bumps = _gate_over(tmp_path / "bumps", "Bumps", "Some bumps are itchy; most bumps are painless.\n")
    quote = "Some bumps are itchy; most bumps are painless."
    assert bumps.trace(_card("Some bumps are itchy; most bumps are what?", "Painless.", quote)).ok
    swapped = _card("Some bumps are painless; most bumps are what?", "Itchy.", quote)
    assert _codes(bumps, swapped) == ["clause-mixed"], _messages(bumps, swapped)
    honest = _card("What do some people notice before the bumps appear while most people have no symptoms until "
                   "deposits form?", "Itching.", SIGNS)
    assert gate.trace(honest).ok, _messages(gate, honest)


def test_words_joined_by_and_or_may_be_claimed_joined_by_either(tmp_path):
    """README, rule 3: "and/or" joins its two words both ways, so "and" and "or" both pass; "or" alone refuses "and".
    No test had an "and/or": with a conjunction's pair made only for the last of the words before the next content
    word (textnorm.coordinated_pairs), every test of this file passed."""
    (tmp_path / "both").mkdir()
    (tmp_path / "either").mkdir()
    both = _gate_over(tmp_path / "both", "Colours", "Calcium deposits can be white and/or yellow.\n")
    quote = "Calcium deposits can be white and/or yellow."
    for answer in ("White and yellow.", "White or yellow."):
        card = _card("Calcium deposits can be what?", answer, quote)
        assert both.trace(card).ok, _messages(both, card)
    either = _gate_over(tmp_path / "either", "Colours", "Calcium deposits can be white or yellow.\n")
    assert _codes(either, _card("Calcium deposits can be what?", "White and yellow.",
                                "Calcium deposits can be white or yellow.")) == ["conjunction-mismatch"]



def test_words_a_bracket_glosses_are_joined_by_the_conjunction_between_them(tmp_path):
    """"excess phosphorus (hyperphosphatemia) and calcium (hypercalcemia)" joins phosphorus and calcium by "and":
    the word before the conjunction was the bracket's, so "excess phosphorus or calcium" passed (found by deck
    review 7's second read, on the in-skin article's metastatic sentence), while the same claim without the
    brackets was refused. (The quote cuts the bracket out, as the deck's does: it is the sentence that is read.)"""
    gate = _gate_over(tmp_path, "Minerals", "Metastatic calcinosis can result from any condition associated with "
                                            "excess phosphorus (hyperphosphatemia) and calcium (hypercalcemia).\n")
    quote = "Metastatic calcinosis can result from any condition associated with excess phosphorus ... and calcium"
    either = _card("Which type of calcinosis can result from any condition associated with excess phosphorus or "
                   "calcium?", "Metastatic calcinosis.", quote)
    assert _codes(gate, either) == ["conjunction-mismatch"], _messages(gate, either)
    both = _card("Which type of calcinosis can result from any condition associated with excess phosphorus and "
                 "calcium?", "Metastatic calcinosis.", quote)
    assert gate.trace(both).ok, _messages(gate, both)
    glossed = _card("Excess phosphorus is called what?", "Hyperphosphatemia.", "excess phosphorus (hyperphosphatemia)")
    assert gate.trace(glossed).ok, _messages(gate, glossed)


JOINTS = "Bumps near joints can cause stiffness."


def _codes(gate: Gate, card: Card) -> list[str]:
    return [d.code for d in gate.trace(card).diagnostics]


def test_a_forward_causal_verb_keeps_its_direction(gate):
    """"X can cause Y": X is the cause, however the claim asks it — for the effect or the cause, the object first,
    in the passive; a claim that makes Y the cause is refused, on its question."""
    for question, answer in (("Bumps near joints can cause what?", "Stiffness."),
                             ("What can bumps near joints cause?", "Stiffness."),
                             ("What can cause stiffness?", "Bumps near joints."),
                             ("Stiffness can be caused by what?", "Bumps near joints.")):
        honest = _card(question, answer, JOINTS)
        assert gate.trace(honest).ok, _messages(gate, honest)
    for question, answer in (("Stiffness can cause what?", "Bumps near joints."),
                             ("What can stiffness cause?", "Bumps near joints."),
                             ("What can cause bumps near joints?", "Stiffness."),
                             ("Bumps near joints can be caused by what?", "Stiffness.")):
        turned = _card(question, answer, JOINTS)
        assert _codes(gate, turned) == ["cause-effect-reversed"], question
    [diagnostic] = gate.trace(_card("Stiffness can cause what?", "Bumps near joints.", JOINTS)).diagnostics
    assert diagnostic.render().startswith('cards/t.yaml:3:5: turns cause and effect round: it makes "stiffness" a '
                                          'cause and "bumps" an effect ("cause"), where the quoted passage from doc '
                                          'has it the other way round ("cause")')
    assert "may be asked as" in diagnostic.hint


def test_a_backward_causal_verb_keeps_its_direction(gate):
    """"Y can result from X": X is the cause, so the claim may say "X can result in Y", never "Y can result in X"."""
    quote = "Metastatic calcinosis can result from ... sarcoidosis"
    for question, answer in (("Sarcoidosis can result in which type of calcinosis?", "Metastatic calcinosis."),
                             ("Which calcinosis can result from sarcoidosis?", "Metastatic calcinosis."),
                             ("What can metastatic calcinosis result from?", "Sarcoidosis.")):
        honest = _card(question, answer, quote)
        assert gate.trace(honest).ok, _messages(gate, honest)
    for question, answer in (("Metastatic calcinosis can result in what?", "Sarcoidosis."),
                             ("Sarcoidosis can result from which type of calcinosis?", "Metastatic calcinosis."),
                             ("What can sarcoidosis result from?", "Metastatic calcinosis.")):
        turned = _card(question, answer, quote)
        assert _codes(gate, turned) == ["cause-effect-reversed"], question


def test_a_list_lead_in_with_a_relative_clause_makes_its_items_the_causes(gate):
    """"Conditions that can lead to X are: acne": the verb is the relative clause's, so acne (and the
    conditions) cause X. A cloze is read with its deletions in place."""
    quote = "Conditions that can lead to dystrophic calcinosis are: ... acne"
    for question, answer, quoted in (("Conditions that can lead to dystrophic calcinosis include what?", "Acne.",
                                      quote),
                                     ("Acne can lead to which calcinosis?", "Dystrophic calcinosis.",
                                      "lead to dystrophic calcinosis are: ... acne")):
        honest = _card(question, answer, quoted)
        assert gate.trace(honest).ok, _messages(gate, honest)
    assert gate.trace(_cloze("Conditions such as {{c1::acne}} can lead to dystrophic calcinosis.", quote)).ok
    for question, answer in (("Conditions that can lead to acne include what?", "Dystrophic calcinosis."),
                             ("Dystrophic calcinosis can lead to which conditions?", "Acne.")):
        turned = _card(question, answer, quote)
        assert _codes(gate, turned) == ["cause-effect-reversed"], question
    turned = _cloze("Dystrophic calcinosis can lead to conditions such as {{c1::acne}}.", quote)
    assert _codes(gate, turned) == ["cause-effect-reversed"]


def test_causal_phrases_and_their_sides():
    """Each causal phrase splits its text; a word on both sides of a chain is neither only a cause nor only an
    effect, and "cause" after a determiner, or before "of", is a noun."""
    vocabulary = Vocabulary()
    backward = read_text("metastatic calcinosis can result from sarcoidosis", vocabulary)
    assert (backward.only_causes, backward.only_effects) == ({"sarcoidosis"}, {"metastatic", "calcinosis"})
    chain = read_text("vitamin d can lead to high calcium levels, which may contribute to calcification", vocabulary)
    assert (chain.only_causes, chain.only_effects) == ({"vitamin", "d"}, {"calcification"})
    assert read_text("address the root cause, the main cause of calcinosis", vocabulary) is None
    assert read_text("milia form when keratin gets trapped", vocabulary) is None
    inflected = ("leads to", "leading to", "led to", "causes", "caused", "causing", "results in", "resulted from",
                 "triggers", "triggered by", "contributes to", "contributing to", "produces", "produced by",
                 "attributable to", "arises from", "arising from", "arose from", "stems from", "stemmed from",
                 "drives", "driving", "plays a role in", "played a role in", "leads from")
    for phrase in FORWARD + BACKWARD + inflected:
        assert [(p.start, p.end) for p in find_phrases(f"x {phrase} y")] == [(2, 2 + len(phrase))], phrase


def test_a_relative_clause_is_read_past_adverbs_and_negations_and_a_noun_past_its_adjective():
    """Three readings of causal.py that no test fixed (with each undone, every test of this file passed): a relative
    clause's verb is found past an adverb in -ly or a negation before it ("that frequently lead to", "that can't lead
    to": the list's item is then a cause, not an effect), and "cause" after a determiner and an adjective is a noun
    ("an important cause")."""
    vocabulary = Vocabulary()
    plain = read_text("conditions that lead to calcinosis include acne", vocabulary)
    assert (plain.only_causes, plain.only_effects) == ({"condition", "acn"}, {"calcinosis"})
    for companion in ("frequently", "can't", "cannot"):
        reading = read_text(f"conditions that {companion} lead to calcinosis include acne", vocabulary)
        assert {"condition", "acn"} <= reading.only_causes and reading.only_effects == {"calcinosis"}, companion
    assert read_text("injury is an important cause, doctors say", vocabulary) is None


def test_the_pre_check_skips_no_text_with_a_phrase(monkeypatch):
    """causal._FIRST_STEMS only skips work: a phrase glued to any character that does not make it part of a longer
    word ("_lead to", "(lead to") is found as it is without the pre-check, and one glued to a letter of any script
    or a digit ("\u00e9lead", "2lead": one word) is found by neither; the pre-check once looked for a word's start
    with \\b, which "_" hides."""
    import deckgen.causal as causal

    texts = [f"x {glue}{phrase} y" for phrase in FORWARD + BACKWARD for glue in ("", "_", "\u00e9", "(", "'", "-", "2")]
    with_pre_check = [find_phrases(text) for text in texts]
    monkeypatch.setattr(causal, "_FIRST_STEMS", re.compile(""))
    assert with_pre_check == [find_phrases(text) for text in texts]
    assert sum(map(bool, with_pre_check)) == 5 * len(FORWARD + BACKWARD)


def test_a_cloze_is_checked_whole_hints_included(gate):
    text = "{{c1::Dystrophic}} calcinosis can occur in tissue that is damaged or {{c2::inflamed}}."
    assert gate.trace(_cloze(text, DYSTROPHIC)).ok
    hinted = text.replace("{{c2::inflamed}}", "{{c2::inflamed::after surgery}}")
    assert 'cloze words "after" and "surgery" are not in the quoted passage' in _messages(gate,
                                                                                      _cloze(hinted, DYSTROPHIC))


def test_the_extra_is_checked_against_a_citation(gate):
    card = _card("In what tissue can dystrophic calcinosis occur?", "Damaged or inflamed tissue.", DYSTROPHIC,
                 extra="Levels of calcium are low.")
    assert 'extra words "Levels", "calcium" and "low" are not in the quoted passage' in _messages(gate, card)
    backed = card._replace(extra="Levels of calcium are normal.",
                     sources=card.sources + (SourceRef("doc", "Levels of calcium are normal.", card.location),))
    result = gate.trace(backed)
    assert result.ok and len(result.context) == 1
    # Quoted in the claim's own citation, the extra's sentence is recorded there, for the back to mark.
    one_quote = backed._replace(sources=(SourceRef("doc", "There is no evidence of previous tissue damage. "
                                                          "Levels of calcium are normal.", card.location),),
                        question="Is there evidence of previous tissue damage?", answer="No evidence.")
    result = gate.trace(one_quote)
    assert result.ok, _messages(gate, one_quote)
    [support] = result.supports
    assert [u.text for u in support.units] == ["There is no evidence of previous tissue damage."]
    assert [u.text for u in support.extra_units] == ["Levels of calcium are normal."]


def test_the_extra_agrees_with_the_negations_of_its_citation(gate):
    """README, rule 4: an extra has every word in a quoted sentence "and agrees with its negations". Each test of the
    extra gave it a word the passage lacks, so a gate that compared no negation of an extra passed this file."""
    card = _card("In what tissue can dystrophic calcinosis occur?", "Damaged or inflamed tissue.", DYSTROPHIC,
                 "There is no evidence of previous tissue damage.", extra="There is evidence of previous tissue damage.")
    assert _codes(gate, card) == ["negation-mismatch"]
    assert 'extra disagrees with the quoted passage from doc on the negation of "evidence"' in _messages(gate, card)
    assert gate.trace(card._replace(extra="There is no evidence of previous tissue damage.")).ok
    added = _card("In what tissue can dystrophic calcinosis occur?", "Damaged or inflamed tissue.", DYSTROPHIC,
                  "Levels of calcium are normal.", extra="Levels of calcium are not normal.")
    assert _codes(gate, added) == ["negation-mismatch"], _messages(gate, added)


def test_a_citation_that_carries_nothing_is_refused(gate):
    card = _card("In what tissue can dystrophic calcinosis occur?", "Damaged or inflamed tissue.", DYSTROPHIC,
                 "Levels of calcium are normal.")
    assert "carries neither the card's claim nor its extra" in _messages(gate, card)


def test_synonyms_come_from_the_project_list(gate):
    quote = "Calcium blockers such as diltiazem"
    assert gate.trace(_card("Diltiazem is an example of what?", "A calcium channel blocker.", quote)).ok
    assert not gate.trace(_card("Diltiazem is an example of what?", "A calcium antagonist.", quote)).ok


def test_headings_are_not_citable(gate):
    card = _card("What is the heading?", "Heading of the page.", "Heading of the page")
    assert "quote includes the heading" in _messages(gate, card)


def test_quoted_list_item_must_be_the_one_the_card_is_about(gate):
    card = _card("Kidney failure can result in which type of calcinosis?", "Metastatic.",
                 "Metastatic calcinosis can result from ... sarcoidosis")
    assert 'question words "kidney" and "failure" are not' in _messages(gate, card)
    assert gate.trace(card._replace(sources=(SourceRef("doc", "Metastatic calcinosis can result from ... kidney failure",
                                                       card.location),))).ok


@pytest.mark.parametrize("group, why", [
    ("[normal, abnormal]", "negating prefix 'ab'"),
    ("[painful, not painful]", "negation of 'painful'"),
    ("[high calcium, low calcium]", "'high' and 'low' are opposites"),
    ("[hypercalcemia, hypocalcemia]", "opposites (hyper- and hypo-)"),
])
def test_a_synonym_group_may_not_join_opposites(tmp_path, group, why):
    project = copy_project(tmp_path / "p")
    (project / "cards" / "synonyms.yaml").write_text(f"- [ckd, chronic kidney disease]\n- {group}\n", encoding="utf-8")
    result = run_cli(project, "check")
    assert result.returncode == 1
    assert "cards/synonyms.yaml:2:3: a synonym group may not join opposites" in result.stderr and why in result.stderr


def test_a_frame_word_may_not_be_decisive(tmp_path):
    project = copy_project(tmp_path / "p")
    (project / "cards" / "vocabulary.yaml").write_text(
        "kinds:\n  subtype: [dystrophic, metastatic]\nframe: [term, not, dystrophic, before]\n", encoding="utf-8")
    result = run_cli(project, "check")
    assert result.returncode == 1
    assert "cards/vocabulary.yaml:3:15: 'not' cannot be a frame word" in result.stderr
    assert "cards/vocabulary.yaml:3:20: 'dystrophic' cannot be a frame word" in result.stderr
    assert "cards/vocabulary.yaml:3:32: 'before' cannot be a frame word" in result.stderr


def test_a_sentence_written_over_two_lines_is_one_sentence(tmp_path):
    """A soft line break inside a paragraph does not cut a sentence: the claim may rest on all of it,
    and a sentence is placed on the line where it starts."""
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "doc.md").write_text(
        "---\ntitle: Bees\npublisher: Test Press\nlanguage: en\n---\n"
        "Bees store honey on the comb. Honey bees use the\nwaggle dance to share where flowers are.\n",
        encoding="utf-8")
    corpus, problems = load_corpus(tmp_path)
    assert not problems
    doc = corpus.docs["doc"]
    assert [(u.text, u.line) for u in doc.units] == [
        ("Bees store honey on the comb.", 6), ("Honey bees use the waggle dance to share where flowers are.", 6)]
    card = _card("What do honey bees use to share where flowers are?", "The waggle dance.",
                 "Honey bees use the waggle dance to share where flowers are.")
    assert Gate(corpus, Vocabulary()).trace(card).ok


def test_a_claim_no_citation_carries_is_explained_by_the_nearest_citation_only():
    """A card with its claim quote and an extra's quote, its answer changed: what is wrong is told once,
    from the citation that came nearest, not also from the extra's sentence, which lacks every word."""
    card = next(c for c in CARDS if c.id == "body-calcium-99-percent")
    assert len(card.sources) == 2, "the card cites its claim and its extra"
    result = GATE.trace(card._replace(answer="About 99 percent, like zebras."))
    assert not result.ok
    assert [d.message for d in result.diagnostics] == [
        'answer word "zebras" is not in the quoted passage from types-of-calcification']


def test_words_joined_by_or_are_not_claimed_joined_by_and(gate):
    """"damaged or inflamed" says either; a claim that joins the two by "and" says both (conjunction-mismatch),
    whether the question or the answer joins them; the passage's "or" passes in any order."""
    honest = _card("Which type of calcinosis can occur in tissue that is damaged or inflamed?", "Dystrophic.",
                   DYSTROPHIC)
    assert gate.trace(honest).ok, _messages(gate, honest)
    assert gate.trace(honest._replace(question=honest.question.replace("damaged or inflamed",
                                                                       "inflamed or damaged"))).ok
    both = honest._replace(question=honest.question.replace(" or ", " and "))
    assert _codes(gate, both) == ["conjunction-mismatch"]
    assert 'joins "damaged" and "inflamed" by "and", where the quoted passage from doc joins them by "or"' in \
        _messages(gate, both)
    answered = _card("Dystrophic calcinosis can occur in tissue that is what?", "Damaged and inflamed.", DYSTROPHIC)
    assert _codes(gate, answered) == ["conjunction-mismatch"]
    assert gate.trace(answered._replace(answer="Damaged or inflamed.")).ok


def test_a_word_is_not_put_beside_another_in_the_place_of_its_neighbour(gate):
    """"keratin gets trapped" made "milia get trapped", keratin the answer: each word of the claim is in the
    sentence, but "milia" stands where "keratin" does (neighbour-swapped). Asked honestly, with the answer where it
    stands in the sentence or the words in another order, it passes."""
    milia = "Milia form when keratin gets trapped under the skin."
    honest = _card("Milia form when what gets trapped under the skin?", "Keratin.", milia)
    assert gate.trace(honest).ok, _messages(gate, honest)
    reordered = _card("What gets trapped under the skin when milia form?", "Keratin.", milia)
    assert gate.trace(reordered).ok, _messages(gate, reordered)
    swapped = _card("What forms when milia get trapped under the skin?", "Keratin.", milia)
    assert _codes(gate, swapped) == ["neighbour-swapped"]
    assert 'puts "milia" beside "get", where the quoted passage from doc says "keratin gets"' in \
        _messages(gate, swapped)


BATTER = "A wet dough known as a batter is poured into the tin."


def test_a_name_that_starts_with_a_determiner_after_a_naming_word_is_the_questions_own(tmp_path):
    """"What is known as a batter?" gives the name and asks for what it names: the answer goes in the place of "what",
    not after "known as", as it does where no name follows ("what is a wet dough known as?"). Read the other way, the
    honest claims below were refused as naming-turned-round and the false ones, the name and what it names swapped,
    passed."""
    gate = _gate_over(tmp_path, "Bread", BATTER)
    for question, answer in (("What is known as a batter?", "A wet dough."),
                             ("What kind of dough, known as a batter, is poured into the tin?", "A wet dough."),
                             ("Which dough known as a batter is poured into the tin?", "A wet one."),
                             ("What is a wet dough known as?", "A batter.")):
        honest = _card(question, answer, BATTER if "tin" in question else "A wet dough known as a batter")
        assert gate.trace(honest).ok, _messages(gate, honest)
    for question, answer in (("What is known as a wet dough?", "A batter."),
                             ("What is a batter known as?", "A wet dough."),
                             ("A batter, known as what, is poured into the tin?", "A wet dough.")):
        turned = _card(question, answer, BATTER if "tin" in question else "A wet dough known as a batter")
        assert _codes(gate, turned) == ["naming-turned-round"], question


KNEAD = "Bakers knead the dough before the first rise."


def test_the_answer_asked_from_between_two_words_lets_them_meet_across_a_determiner(tmp_path):
    """"What do bakers knead before the first rise?" - "the dough" puts "knead" beside "before", where the sentence
    has the answer between them behind a determiner ("knead the dough before"): no word is put in another's place.
    Until the answer's neighbours were read past determiners, it was refused as neighbour-swapped; a word of the
    question put in the answer's place still is."""
    gate = _gate_over(tmp_path, "Bread", KNEAD)
    honest = _card("What do bakers knead before the first rise?", "The dough.", KNEAD)
    assert gate.trace(honest).ok, _messages(gate, honest)
    for question, answer in (("What do bakers knead before the dough?", "The first rise."),
                             ("Bakers knead the first rise before what?", "The dough.")):
        assert _codes(gate, _card(question, answer, KNEAD)) == ["neighbour-swapped"], question


PHRASED = ("Rye flour, termed a weak flour by bakers, holds little gas.\n\n"
           "A wet dough referred to as a batter is poured into the tin.\n\n"
           "Provided that the oven is hot, the bread springs up quickly.\n\n"
           "The dough rises as long as the yeast has sugar.\n\n"
           "Prior to baking, the baker slashes the loaf.\n\n"
           "If the dough feels dry, bakers add water before kneading.")


@pytest.mark.parametrize("question, answer, quote, code", [
    ("A weak flour, termed rye flour by bakers, holds little what?", "Gas.", 0, "naming-turned-round"),
    ("What is referred to as a wet dough?", "A batter.", 1, "naming-turned-round"),
    ("Provided that the bread springs up quickly, what is hot?", "The oven.", 2, "order-turned-round"),
    ("As long as the yeast has what, does the dough rise?", "Sugar.", 3, ""),
    ("As long as the dough rises, what does the yeast have?", "Sugar.", 3, "link-swapped"),
    ("Prior to what does the baker slash the loaf?", "Baking.", 4, ""),
    ("Prior to slashing the loaf, what does the baker do?", "Baking.", 4, "link-swapped"),
    ("Rye flour, termed what by bakers, holds little gas?", "A weak flour.", 0, ""),
    ("What is a wet dough referred to as?", "A batter.", 1, ""),
    ("The bread springs up quickly provided that what is hot?", "The oven.", 2, ""),
    # a sentence with two ordering words: each is read with its own sides
    ("If bakers add water before kneading, how does the dough feel?", "Dry.", 5, "order-turned-round"),
    ("Bakers add water before kneading if the dough feels what?", "Dry.", 5, ""),
    ("If the dough feels dry, what do bakers add before kneading?", "Water.", 5, ""),
])
def test_a_phrase_that_says_an_ordering_or_naming_word_is_read_as_it(tmp_path, question, answer, quote, code):
    """"termed" and "referred to as" name as "called" does, "provided that" sets a condition as "if" does, "as long as"
    is one more, and "prior to" orders as "before": the claim keeps on each side what the sentence puts there (the
    link rule refuses the false claims about "as long as" and "prior to" at their "as" and "to" first). A sentence that
    says another ordering word beside one ("if Y, X before Z") still decides for each. Until these were read, each
    false claim here refused as naming- or order-turned-round passed."""
    gate = _gate_over(tmp_path, "Bread", PHRASED)
    sentence = PHRASED.split("\n\n")[quote]
    if quote == 1:
        sentence = "A wet dough referred to as a batter"
    assert _codes(gate, _card(question, answer, sentence)) == ([code] if code else []), question


def test_a_passive_asked_with_by_what_first_keeps_its_agent(tmp_path):
    """"By what is the heat killed near the end of baking?" - "the yeast" makes the yeast the agent, where the sentence
    says "the heat kills the yeast": it passed (the last strict xfail of our own document), the voice rule reading a
    passive only with "by" right after its verb or first with a comma. The passive asked the honest way passes, and so
    does "by what is the yeast killed ...?" - "the heat", which the neighbour rule refused ("yeast" beside "killed",
    where the sentence says "heat kills"): the inverted passive brings its patient beside its verb."""
    gate = _gate_over(tmp_path, "Bread", HEAT)
    assert _codes(gate, _card("By what is the heat killed near the end of baking?", "The yeast.", HEAT)) == [
        "passive-turned-round"]
    for question, answer in (("What is killed by the heat near the end of baking?", "The yeast."),
                             ("By what is the yeast killed near the end of baking?", "The heat.")):
        honest = _card(question, answer, HEAT)
        assert gate.trace(honest).ok, _messages(gate, honest)


CLAUSE_DOC = "If the dough is too dry, the baker adds water before the dough is kneaded."


@pytest.mark.parametrize("question, answer, code", [
    ("If the dough is kneaded, the baker adds water before the dough is what?", "Too dry.", "order-turned-round"),
    ("If the dough is kneaded, what does the baker add before the dough is too dry?", "Water.", "order-turned-round"),
    ("If the dough is too dry, the baker adds water before the dough is what?", "Kneaded.", ""),
    ("If the dough is too dry, what does the baker add before the dough is kneaded?", "Water.", ""),
    ("The baker adds water before the dough is kneaded if the dough is what?", "Too dry.", ""),
])
def test_a_leading_condition_is_read_to_its_comma(tmp_path, question, answer, code):
    """Where an ordering word leads the claim and a comma ends its clause, every word of that clause is read, not only
    the run right after the word: "if the dough is kneaded, ..." puts "kneaded", which the sentence has only outside its
    condition, inside the claim's. The false claims here passed (the run stopped at "is", and "dough" is on both
    sides)."""
    gate = _gate_over(tmp_path, "Bread", CLAUSE_DOC)
    assert _codes(gate, _card(question, answer, CLAUSE_DOC)) == ([code] if code else []), question


CALL_DOC = "Bakers call the final rise the proof.\n\nMillers call the finest flour the first break."


@pytest.mark.parametrize("question, answer, cloze, quote, code", [
    ("What do bakers call the proof?", "The final rise.", "", 0, "naming-turned-round"),
    ("Bakers call the proof what?", "The final rise.", "", 0, "naming-turned-round"),
    ("What do millers call the first break?", "The finest flour.", "", 1, "naming-turned-round"),
    ("", "", "Bakers call {{c1::the proof}} the final rise.", 0, "naming-turned-round"),
    ("What do bakers call the final rise?", "The proof.", "", 0, ""),
    ("Bakers call what the proof?", "The final rise.", "", 0, ""),
    ("Who calls the final rise the proof?", "Bakers.", "", 0, ""),
    ("What do millers call the finest flour?", "The first break.", "", 1, ""),
    ("", "", "Bakers call the final rise {{c1::the proof}}.", 0, ""),
])
def test_naming_in_the_active_keeps_what_is_named_before_its_name(tmp_path, question, answer, cloze, quote, code):
    """"Bakers call the final rise the proof": what "call" names comes right after it, its name after the next
    determiner; a claim may not swap the two ("what do bakers call the proof?" - "the final rise"). Only "called",
    "named", "known as" and the like were read, and the false claims here passed."""
    gate = _gate_over(tmp_path, "Bread", CALL_DOC)
    sentence = CALL_DOC.split("\n\n")[quote]
    card = _cloze(cloze, sentence) if cloze else _card(question, answer, sentence)
    assert _codes(gate, card) == ([code] if code else []), question or cloze


THAT_DOC = "Bread that rises too long collapses in the oven.\n\nDoughs that contain rye absorb more water."


@pytest.mark.parametrize("question, answer, quote, code", [
    ("Bread that collapses in the oven rises how long?", "Too long.", 0, "relative-turned-round"),
    ("Doughs that absorb more water contain what?", "Rye.", 1, "relative-turned-round"),
    ("Bread that rises how long collapses in the oven?", "Too long.", 0, ""),
    ("Where does bread that rises too long collapse?", "In the oven.", 0, ""),
    ("Doughs that contain what absorb more water?", "Rye.", 1, ""),
    ("Doughs that contain rye absorb more of what?", "Water.", 1, ""),
])
def test_a_that_clause_with_no_modal_swapped_with_its_sentences_verb_is_refused(tmp_path, question, answer, quote,
                                                                                code):
    """The sentence's "that" right before a word is read as a subject relative clause whose verb is that word where
    the claim swaps the two verbs with what follows each ("bread that collapses in the oven rises ... too long" for
    "bread that rises too long collapses in the oven"): the same word after each verb in the claim as in the sentence.
    A "that" clause with no modal was read as if it might be an object relative clause ("the loaves that customers
    order"), and the false claims here passed."""
    gate = _gate_over(tmp_path, "Bread", THAT_DOC)
    assert _codes(gate, _card(question, answer, THAT_DOC.split("\n\n")[quote])) == ([code] if code else []), question


LISTS_DOC = "If overproofed, the loaf bakes into a flat, dense, sour bread.\n\nIf the oven is cold, the crust stays pale, soft, thin."


@pytest.mark.parametrize("question, answer, quote, code", [
    ("If a flat, dense, sour bread is overproofed, what bakes?", "The loaf.", 0, "order-turned-round"),
    ("If the crust stays pale, soft, thin, what is cold?", "The oven.", 1, "order-turned-round"),
    ("If the crust stays pale, what is cold?", "The oven.", "If the oven is cold, the crust stays pale",
     "order-turned-round"),
    ("If overproofed, what does the loaf bake into?", "A flat, dense, sour bread.", 0, ""),
    ("If overproofed, the loaf bakes into a flat, dense, what bread?", "Sour.", 0, ""),
    ("If the oven is cold, what stays pale, soft, thin?", "The crust.", 1, ""),
    ("If the oven is cold, the crust stays pale, soft, and what?", "Thin.", 1, ""),
    ("If the oven is cold, what stays pale?", "The crust.", "If the oven is cold, the crust stays pale", ""),
])
def test_the_commas_of_a_list_without_and_do_not_end_a_leading_condition(tmp_path, question, answer, quote, code):
    """"If the oven is cold, the crust stays pale, soft, thin": the commas of "pale, soft, thin" (a list that no "and"
    ends, its middle item a word alone between two commas) are no end of the if-clause, which ends at the first comma;
    all after it is outside the condition, and a claim may read a run after "if" through those commas as the sentence
    has them. The false claims here passed: the condition was read to the last comma, so only "thin" (or "sour bread")
    was certainly outside it, and the claim's run stopped at its first comma."""
    gate = _gate_over(tmp_path, "Bread", LISTS_DOC)
    sentence = LISTS_DOC.split("\n\n")[quote] if isinstance(quote, int) else quote
    assert _codes(gate, _card(question, answer, sentence)) == ([code] if code else []), question


VERBS_DOC = ("Rye dough is soured by lactic bacteria.\n\nCold water slows the fermentation of the dough.\n\n"
             "The miller grinds wheat into flour.\n\nBakers who rise early bake fresh bread.\n\n"
             "Steam can also soften the crust.")


@pytest.mark.parametrize("question, answer, quote, code", [
    # a verb the sentence says in the passive, asked in the active: its agent is the subject
    ("What sours lactic bacteria?", "Rye dough.", 0, "verb-turned-round"),
    ("What does rye dough sour?", "Lactic bacteria.", 0, "verb-turned-round"),
    ("What sours rye dough?", "Lactic bacteria.", 0, ""),
    ("What do lactic bacteria sour?", "Rye dough.", 0, ""),
    # in the active: the subject asked, or the object asked with "do"
    ("What slows cold water?", "The fermentation of the dough.", 1, "verb-turned-round"),
    ("What slows the fermentation of the dough?", "Cold water.", 1, ""),
    ("What does cold water slow?", "The fermentation of the dough.", 1, ""),
    ("What grinds the miller into flour?", "Wheat.", 2, "verb-turned-round"),
    ("Who grinds wheat into flour?", "The miller.", 2, ""),
    ("What does the miller grind into flour?", "Wheat.", 2, ""),
    ("What bakes bakers who rise early?", "Fresh bread.", 3, "verb-turned-round"),
    ("What do bakers who rise early bake?", "Fresh bread.", 3, ""),
    # after a modal, the verb told by the sentence's modal before it ("can also soften")
    ("What can the crust also soften?", "Steam.", 4, "verb-turned-round"),
    ("What can also soften steam?", "The crust.", 4, "verb-turned-round"),
    ("What can steam also soften?", "The crust.", 4, ""),
    ("What can also soften the crust?", "Steam.", 4, ""),
])
def test_a_question_may_not_turn_a_verbs_subject_and_object_round(tmp_path, question, answer, quote, code):
    """A question that asks for a verb's subject ("what slows ...?") or, with "do", its object ("what does cold water
    slow?") keeps the sentence's subject before the verb and its object after it; the subject of a passive is its
    agent ("rye dough is soured by lactic bacteria": lactic bacteria sour rye dough). Each false claim here passed."""
    gate = _gate_over(tmp_path, "Bread", VERBS_DOC)
    card = _card(question, answer, VERBS_DOC.split("\n\n")[quote])
    assert _codes(gate, card) == ([code] if code else []), question


HEAT = "The heat kills the yeast near the end of baking."


def test_a_passive_may_bring_its_agent_beside_what_follows_the_actives_object(tmp_path):
    """"What is killed by the heat near the end of baking?" - "the yeast" puts "heat" beside "near", where the sentence
    has "yeast near": the passive moves the active's subject to its "by" phrase, next to what followed the object. It
    was refused as neighbour-swapped; the same words in the active, turned round, still are."""
    gate = _gate_over(tmp_path, "Bread", HEAT)
    honest = _card("What is killed by the heat near the end of baking?", "The yeast.", HEAT)
    assert gate.trace(honest).ok, _messages(gate, honest)
    assert _codes(gate, _card("What kills the heat near the end of baking?", "The yeast.", HEAT)) == ["neighbour-swapped"]
    assert _codes(gate, _card("What is killed by the yeast near the end of baking?", "The heat.", HEAT)) == [
        "passive-turned-round"]


RELATIVES = "Bakers, who rise early, bake fresh bread.\n\nMillers who grind the grain slowly keep the flour cool."


@pytest.mark.parametrize("question, answer, cloze, quote, code", [
    # a clause set apart by commas says its verb of every baker, as the sentence's verb does: they may change places
    ("Bakers, who bake fresh bread, rise when?", "Early.", "", 0, ""),
    ("", "", "Bakers, who bake fresh bread, {{c1::rise early}}.", 0, ""),
    ("Bakers who bake fresh bread rise when?", "Early.", "", 0, ""),
    # a clause that tells which millers may not; its "who" is no question word, so a "how" question is read too
    ("Millers who keep the flour cool grind the grain how?", "Slowly.", "", 1, "relative-turned-round"),
    ("Millers who grind the grain how keep the flour cool?", "Slowly.", "", 1, ""),
])
def test_a_relative_clause_set_apart_by_commas_may_change_places_with_its_sentence(tmp_path, question, answer, cloze,
                                                                                    quote, code):
    """"Bakers, who rise early, bake fresh bread" says both of every baker, and "bakers, who bake fresh bread, rise
    early" says the same: they were refused as relative-turned-round. A question asked with "how" or "when" whose
    "who" opens a relative clause had its answer put in that "who"'s place, and the clause went unread: "millers who
    keep the flour cool grind the grain how?" - "slowly" passed."""
    gate = _gate_over(tmp_path, "Bread", RELATIVES)
    sentence = RELATIVES.split("\n\n")[quote]
    card = _cloze(cloze, sentence) if cloze else _card(question, answer, sentence)
    assert _codes(gate, card) == ([code] if code else []), question or cloze


DOSE = "An adult should take no more than 4 g of paracetamol in 24 hours."


def test_a_comparison_asked_with_how_much_compares_with_the_answer(tmp_path):
    """"No more than how much paracetamol?" - "4 g" compares with what the answer says, as "than what?" does: it was
    read as comparing with "much", and refused as comparison-mismatch. What it compares with is still checked."""
    gate = _gate_over(tmp_path, "Doses", DOSE)
    honest = _card("An adult should take no more than how much paracetamol in 24 hours?", "4 g.", DOSE)
    assert gate.trace(honest).ok, _messages(gate, honest)
    moved = _card("An adult should take 4 g of paracetamol in no more than how many hours?", "24.", DOSE)
    assert _codes(gate, moved) == ["comparison-mismatch"]


def test_e_g_and_i_e_do_not_end_a_sentence(tmp_path):
    """"e.g." and "i.e." lead on into their sentence: "Cold slows fermentation, e.g. a cold cellar." was cut into two
    sentences at "e.g.", and a card asking it whole was refused (question-word-missing: "cellar"). A full stop after
    any other word still ends one."""
    text = "Cold slows fermentation, e.g. a cold cellar. Heat speeds it, i.e. a warm oven. Salt tightens gluten.\n"
    gate = _gate_over(tmp_path, "Bread", text)
    assert [unit.text for unit in gate.corpus.docs["doc"].units] == [
        "Cold slows fermentation, e.g. a cold cellar.", "Heat speeds it, i.e. a warm oven.", "Salt tightens gluten."]
    honest = _card("Cold, e.g. a cold cellar, slows what?", "Fermentation.", "Cold slows fermentation, e.g. a cold cellar.")
    assert gate.trace(honest).ok, _messages(gate, honest)


def test_a_qualifier_of_the_quoted_stretch_left_out_is_refused(monkeypatch):
    """A mutant of the qualifier rule (round 7): with it switched off, each false claim of a real card that leaves out
    a qualifier of the quoted stretch ("these lumps ... develop slowly over time" skips "usually"; "... people notice"
    skips "some") passes the gate; each is refused by it alone, and the honest rewordings that say it pass, even where
    another clause of the sentence qualifies the same word otherwise ("..., but most people have no symptoms")."""
    false, honest = _hand_mutants("qualifier:")
    kept = _hand_mutants("qualifier kept:")[1]
    assert len(false) >= 4 and len(kept) >= 4
    assert [card.id for card in false if [d.code for d in GATE.trace(card).diagnostics] != ["qualifier-missing"]] == []
    assert [card.id for card in kept if not GATE.trace(card).ok] == []
    monkeypatch.setattr(trace, "_qualifier_reasons", lambda claim, passage, terms: [])
    assert [card.id for card in false if not GATE.trace(card).ok] == []


def test_a_qualifier_that_picks_members_of_a_set_binds_nothing(tmp_path):
    """"Some of those options are: ..." says of each option listed that it is one: a qualifier right before "of"
    narrows nothing that a card about one of them says. "Almost all of its bees" does narrow "bees"."""
    text = ("Almost all of its other bees are workers.\n\n"
            "Some of those options are:\n\n- royal jelly\n- pollen")
    gate = _gate_over(tmp_path, "Hive", text)
    assert _codes(gate, _card("What are all of its other bees?", "Workers.", "... all of its other bees are workers")
                  ) == ["qualifier-missing"]
    assert gate.trace(_card("What are almost all of its other bees?", "Workers.",
                            "Almost all of its other bees are workers")).ok
    honest = _card("Which option is royal jelly one of?", "Those options.", "Some of those options are: ... royal jelly")
    assert "qualifier-missing" not in _codes(gate, honest)


HIVE_COUNTS = "A honey bee colony has one queen.\n\nA worker dances on the comb."


def test_one_answers_how_many_and_the_passage_must_say_it(tmp_path):
    """"How many queens does a colony have?" - "One." was refused as an answer with no word to check: "one" is a
    stop-word (for "one of the options"), and it was one by accident too, stemmed "on" like the preposition. The count
    rule reads it now, and asks the passage for it: "on the comb" does not say "one"."""
    gate = _gate_over(tmp_path, "Hive", HIVE_COUNTS)
    queen, comb = HIVE_COUNTS.split("\n\n")
    honest = _card("How many queens does a honey bee colony have?", "One.", queen)
    assert gate.trace(honest).ok, _messages(gate, honest)
    assert _codes(gate, _card("How many queens does a honey bee colony have?", "Two.", queen)) == ["answer-word-missing"]
    assert _codes(gate, _card("How many combs does a worker dance on?", "One.", comb)) == ["answer-word-missing"]
    assert _codes(gate, _card("What does a worker dance on?", "One.", comb)) == ["nothing-to-check"]


DANCE = ("The angle of the dance shows the direction of the flowers, and the length of each waggle run shows how far "
         "away they are.")


@pytest.mark.parametrize("card", [
    _cloze("The {{c1::length}} of the dance shows the direction of the flowers, and the angle of each waggle run shows "
           "how far away they are.", DANCE),
    _card("What does the length of the dance show?", "The direction of the flowers.",
          "... the dance shows the direction of the flowers, and the length ..."),
], ids=["cloze", "question"])
def test_a_link_whose_two_ends_the_sentence_links_to_others_is_refused(tmp_path, card):
    """The two heads of a sentence's parallel phrases swapped ("the length of the dance", "the angle of each waggle
    run") kept every word on its side of every link the link rule looked at: "shows", which follows both, was on the
    right side of each. The claim's link is refused where the sentence gives its far end, by the same preposition, to
    another anchor that the claim does not link to it, and its anchor another far end."""
    gate = _gate_over(tmp_path, "Hive", DANCE)
    assert _codes(gate, card) == ["link-swapped"]
    assert "\"length of each waggle\"" in _messages(gate, card) and "\"angle of the dance\"" in _messages(gate, card)


def test_parallel_links_kept_pass(tmp_path):
    gate = _gate_over(tmp_path, "Hive", DANCE)
    for card in (_cloze("The {{c1::angle}} of the dance shows the direction of the flowers, and the length of each "
                        "waggle run shows how far away they are.", DANCE),
                 _card("What does the length of each waggle run show?", "How far away they are.",
                       "... the length of each waggle run shows how far away they are.")):
        assert gate.trace(card).ok, _messages(gate, card)
