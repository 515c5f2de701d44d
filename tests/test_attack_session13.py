"""An attack on the claim gate by a new author, on a document of our own words about canal locks: false claims that
reuse the sentence's words and passed (each a test that it is refused), and honest cards that were refused (each a
test that it passes). Those the gate cannot yet read are strict xfails, listed in README's gate limits."""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

import pytest

from deckgen.model import Card
from deckgen.trace import Gate

from helpers import assert_passes, card_label, cloze_card, diagnostic_codes, gate_over, qa_card

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
PONDS = "Side ponds save about half of the water that a lock would otherwise lose."
FLIGHT = "Most boats pass the flight in an hour, except in summer, when queues form."
SPEED = "Canal boats travel at no more than four miles per hour because their wash damages the banks."
STAIRCASE = "A staircase lock has no pound between its chambers."
BEAM = "The balance beam, a long wooden arm, pushes the gate open."
LEAKS = "A lock that leaks loses water to the pound below."
MITRE = "Mitre gates point upstream, so the pressure of the water keeps them shut."
CHINA = "Locks were built in China before they were built in Europe."
GREASE = "The keeper mixes grease with soot to seal the gates."
OPENED_IN = "The canal was opened in 1810, twenty years after work began."
DOWNHILL = "A boat going downhill enters when the chamber is full and leaves when it is empty."
TEXT = "\n\n".join([RISES, ROPES, PADDLES, SHORT, LEVEL, CLOSES, BROAD, INSIDE, STAYS, WIDE, FLOWS, OPENED, SUMMIT,
                    FLIGHT, SPEED, STAIRCASE, BEAM, LEAKS, MITRE, CHINA, GREASE, OPENED_IN, DOWNHILL, PONDS])


def _gate() -> Gate:
    """A gate over one document of TEXT alone, in a fresh folder."""
    return gate_over(Path(tempfile.mkdtemp(prefix="atk13-")), "Canal locks", TEXT)


GATE = _gate()


_qa, _cloze = qa_card, cloze_card
_codes, _passes = functools.partial(diagnostic_codes, GATE), functools.partial(assert_passes, GATE)


_label = card_label


# --- "because" and "so that": false claims that passed -------------------------------------------------------------
@pytest.mark.parametrize("card", [
    _qa(RISES, "Why does the water beneath the boat rise?", "Because the boat rises."),
    _cloze(RISES, "The water beneath the boat rises because {{c1::the boat}} rises."),
    _qa(RISES, "Because the boat rises, what rises?", "The water beneath it."),
    _qa(ROPES, "Why does the boat not strike the gates?", "So that the crew holds the boat with ropes."),
    _qa(PADDLES, "Why can water flow in or out?", "So that the keeper opens the paddles, small sluices in the gates."),
    _cloze(PADDLES,
           "Water can flow in or out so that the keeper opens the {{c1::paddles}}, small sluices in the gates."),
    _qa(SHORT, "Why do short boats use less water?", "So that larger locks have a second pair of gates.")], ids=_label)
def test_a_reason_or_a_purpose_turned_round_is_refused(card):
    """"The boat rises because the water beneath it rises" cannot back "why does the water beneath the boat rise? -
    because the boat rises", nor "X so that Y" "Y so that X": "because" and "so that" were not read, and a cause and
    its effect (or an act and its purpose) changed places with every word kept. They are ordering words now, their
    clause a side that the claim may not swap with the rest of the sentence."""
    assert _codes(card) == ["order-turned-round"]


@pytest.mark.parametrize("card", [
    _qa(RISES, "Why does the boat rise?", "Because the water beneath it rises."),
    _qa(RISES, "Because the water beneath it rises, what rises?", "The boat."),
    _cloze(RISES, "Because the water beneath it rises, {{c1::the boat}} rises."),
    _qa(RISES, "What rises because the water beneath the boat rises?", "The boat."),
    _qa(ROPES, "Why does the crew hold the boat with ropes?", "So that it does not strike the gates."),
    _qa(ROPES, "What does the crew hold the boat with so that it does not strike the gates?", "Ropes."),
    _cloze(ROPES, "So that the boat does not strike the gates, the crew holds it with {{c1::ropes}}."),
    _qa(PADDLES, "Why does the keeper open the paddles, small sluices in the gates?",
        "So that water can flow in or out."),
    _qa(SHORT, "Why do larger locks have a second pair of gates?", "So that short boats use less water.")], ids=_label)
def test_a_reason_or_a_purpose_kept_on_its_side_passes(card):
    _passes(card)


@pytest.mark.parametrize("card", [
    _cloze(MITRE, "The pressure of the water keeps mitre gates shut, so they point {{c1::upstream}}."),
    _qa(MITRE, "Why does the pressure of the water keep mitre gates shut?", "So they point upstream.")], ids=_label)
def test_a_result_after_so_turned_round_is_refused(card):
    """"The pressure of the water keeps mitre gates shut, so they point upstream" for "mitre gates point upstream, so
    the pressure of the water keeps them shut": "so" was not read. Where the sentence says it after a comma, and no
    "that", "long", "far", "much" (...) follows it, it opens a clause of result that the claim may not swap."""
    assert _codes(card) == ["order-turned-round"]


@pytest.mark.parametrize("card", [
    _qa(MITRE, "Why do mitre gates point upstream?", "So the pressure of the water keeps them shut."),
    _cloze(MITRE, "Mitre gates point {{c1::upstream}}, so the pressure of the water keeps them shut."),
    _qa(MITRE, "Mitre gates point upstream, so what keeps them shut?", "The pressure of the water.")], ids=_label)
def test_a_result_after_so_kept_on_its_side_passes(card):
    _passes(card)


# --- a pronoun of the clause: honest cards refused, and false ones the reading must not let through ---------------
def test_a_claim_that_names_what_the_clauses_pronoun_stands_for_passes():
    """"After the gates have been made level, who opens them?" - "the keeper" says what "the keeper opens the gates
    after they have been made level" says, naming what "they" stands for: "gates" was read as moved into the clause
    that "after" opens, the sentence having it only outside. Where the sentence's clause has a pronoun of the moved
    word's number, a word moved in is read only with one of the clause's words moved out ("so that the boat does not
    strike the gates, the crew holds it with ropes" too, where "so that" is read)."""
    _passes(_qa(LEVEL, "After the gates have been made level, who opens them?", "The keeper."))
    _passes(_qa(LEVEL, "Who opens the gates after they have been made level?", "The keeper."))


def test_a_pronoun_of_another_number_is_no_name_for_the_word_moved_in():
    """"After the keeper has been made level, what does he open?" - "the gates" puts the keeper where "they" (the
    gates) stand: a singular word is not what a plural pronoun stands for, and the claim is refused as before."""
    assert _codes(_qa(LEVEL, "After the keeper has been made level, what does he open?", "The gates.")) == [
        "order-turned-round"]


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="a pronoun is read by its number alone: of two words of that number, either may be named")
def test_the_wrong_one_of_two_words_of_the_pronouns_number_is_refused():
    """"After the keepers have been made level, what do they open?" - "the gates", for "the keepers open the gates after
    they have been made level": "they" may stand for "keepers" or "gates" as far as its number tells, and the claim
    that it is the keepers passes as the claim that it is the gates does (both were refused before pronouns were
    read)."""
    gate = gate_over(Path(tempfile.mkdtemp(prefix="atk13-")), "Canal locks",
                     "The keepers open the gates after they have been made level.")
    card = _qa("The keepers open the gates after they have been made level.",
               "After the keepers have been made level, what do they open?", "The gates.")
    assert [d.code for d in gate.trace(card).diagnostics] != []


def test_a_swap_through_a_pronoun_is_refused_where_a_word_of_the_clause_moves_out():
    """"Because the boat rises, the water beneath it rises" keeps "it" and the number of what it stands for, but moves
    "water" and "beneath" out of the clause of "because": a swap, not a name for the pronoun."""
    assert _codes(_cloze(RISES, "Because the boat rises, {{c1::the water}} beneath it rises.")) == [
        "order-turned-round"]


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


# --- "until when": an honest card refused ------------------------------------------------------------------------
def test_the_when_of_until_when_asks_for_its_clause():
    """"Until when does the water stay in the chamber?" - "until the keeper opens the lower paddles": with no "what"
    to put the answer in place of, the answer was read after the question, and the question's "until" before "the
    water" - outside the sentence's clause of "until". The "when" of "until when" is the wh-word now."""
    _passes(_qa(STAYS, "Until when does the water stay in the chamber?", "Until the keeper opens the lower paddles."))
    assert _codes(_qa(STAYS, "Until when does the keeper open the lower paddles?",
                      "Until the water stays in the chamber.")) != []
    assert _codes(_qa(CHINA, "Before when were locks built in Europe?", "Before they were built in China.")) != []


# --- a condition or an exception left out: false claims that passed ------------------------------------------------
@pytest.mark.parametrize("card", [
    _cloze("Water flows into the chamber ... when the upper paddles are open.",
           "Water flows into the chamber when the {{c1::upper paddles}} are open."),
    _cloze("The gates cannot be opened ... .", "The {{c1::gates}} cannot be opened."),
    _cloze("The gates cannot be opened", "The {{c1::gates}} cannot be opened."),
    _cloze("Every lock ... is fed from the pound above it.", "Every {{c1::lock}} is fed from the pound above it."),
    _qa("Every lock ... is fed from the pound above it.", "What is every lock fed from?", "The pound above it."),
    _cloze("Most boats pass the flight in an hour ... .", "Most boats pass the flight in an {{c1::hour}}.")],
    ids=_label)
def test_a_condition_or_an_exception_left_out_is_refused(card):
    """"Water flows into the chamber only when the upper paddles are open" quoted without "only"; "the gates cannot
    be opened" without "unless the water on both sides is level"; "every lock" without "except the summit lock": the
    rest was claimed as a rule it is not, every word of it the sentence's. "Unless", "except", and "only" before a word
    of condition or time ("only when"), narrow the words of the sentence outside their clause, as a qualifier narrows
    its word, and are read over the whole sentence, as a negation is: a quote that stops before them leaves them out
    too."""
    assert _codes(card) == ["qualifier-missing"]


@pytest.mark.parametrize("card", [
    _cloze(FLOWS, "Water flows into the chamber only when the {{c1::upper paddles}} are open."),
    _qa(FLOWS, "When does water flow into the chamber?", "Only when the upper paddles are open."),
    _qa(OPENED, "Unless what is level can the gates not be opened?", "The water on both sides."),
    _cloze(OPENED, "The gates cannot be opened unless the {{c1::water on both sides}} is level."),
    _qa("... the water on both sides is level.", "What is level on both sides?", "The water."),
    _cloze(SUMMIT, "Every lock except the {{c1::summit lock}} is fed from the pound above it."),
    _qa("... in summer, when queues form.", "When do queues form?", "In summer.")], ids=_label)
def test_a_claim_that_keeps_its_condition_or_says_only_the_condition_passes(card):
    _passes(card)


# --- a limit on a number left out: false claims that passed --------------------------------------------------------
@pytest.mark.parametrize("card", [
    _cloze("Canal boats travel at ... four miles per hour ...", "Canal boats travel at {{c1::four}} miles per hour."),
    _qa("... a broad lock is ... 14 feet wide.", "How wide is a broad lock?", "14 feet."),
    _cloze("... a broad lock is ... 14 feet wide.", "A broad lock is {{c1::14}} feet wide.")], ids=_label)
def test_a_limit_on_a_number_left_out_is_refused(card):
    """"Canal boats travel at no more than four miles per hour" quoted "canal boats travel at ... four miles per hour"
    claims the speed they travel at, and "at least 14 feet" quoted "... 14 feet" the width: a " ... " skipped the
    limit, which no rule read. A limit right before a number ("at least", "at most", "no more than", "up to",
    "about", "over", "below"...) is now read as a qualifier of the number over the whole sentence."""
    assert _codes(card) == ["qualifier-missing"]


@pytest.mark.parametrize("card", [
    _qa("... a broad lock is at least 14 feet wide.", "How wide is a broad lock?", "At least 14 feet."),
    _qa("A narrow lock is 7 feet wide ...", "How wide is a narrow lock?", "7 feet."),
    _qa(SPEED, "Why do canal boats travel at no more than four miles per hour?",
        "Because their wash damages the banks.")], ids=_label)
def test_a_number_with_its_limit_or_with_none_passes(card):
    _passes(card)


# --- a link turned round whose anchor the sentence links to nothing: a false claim that passed ----------------------
def test_a_link_turned_round_at_an_anchor_the_sentence_links_to_nothing_is_refused():
    """"A staircase lock has no chambers between its pound" for "... no pound between its chambers": the sentence makes
    no link at "chambers", which ends it, so the link rule had nothing to read the claim's "chambers between its pound"
    against. A claim's link by a preposition at such an anchor that is one of the sentence's turned round is refused
    now; by "with", which may join two things either way, it is not. (This cloze's "no" is read on "chambers" now, its
    deletion in place, so the negation rule refuses it first: tests/test_attack_session13b.py reads the link rule here
    on a sentence with no negation.)"""
    assert _codes(_cloze(STAIRCASE + " ...", "A staircase lock has no {{c1::chambers}} between its pound.")) == [
        "negation-mismatch", "negation-mismatch"]
    _passes(_cloze(STAIRCASE + " ...", "A staircase lock has no pound between its {{c1::chambers}}."))
    _passes(_cloze(GREASE, "The keeper mixes soot with {{c1::grease}} to seal the gates."))


# --- what the gate cannot yet read --------------------------------------------------------------------------------
@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="what two parallel phrases of one sentence each say of their own word may be swapped")
@pytest.mark.parametrize("card", [
    _cloze(CLOSES, "The keeper closes the upper paddles before he opens the {{c1::lower paddles}}."),
    _cloze(DOWNHILL, "A boat going downhill enters when the chamber is {{c1::empty}} and leaves when it is full.")],
    ids=_label)
def test_the_words_of_two_parallel_phrases_swapped_are_refused(card):
    """"Closes the upper paddles before he opens the lower paddles" swaps the two adjectives ("a narrow lock is 14 feet
    wide, and a broad lock is at least 7 feet wide", which swaps the two numbers, is refused now by the limit rule, its
    "at least" before 7: tests/test_attack_session13b.py). The splice rule reads the words beside
    a repeated word ("lock", "paddles"), two each way, and here neither side of the claim agrees with one place of it
    and the other side with another; a determiner keeps "closes" and "upper" from being neighbours. "Enters when the
    chamber is empty and leaves when it is full" swaps what the two clauses of plain "when" say."""
    assert _codes(card) != []


FILLS = "A lock with side ponds takes nearly twice as long to fill."


def _fills_gate() -> Gate:
    return gate_over(Path(tempfile.mkdtemp(prefix="atk13-")), "Side ponds", FILLS)


@pytest.mark.parametrize("gate, card", [
    (GATE, _cloze("Side ponds save ... half of the water that a lock would otherwise lose.",
                  "Side ponds save {{c1::half}} of the water that a lock would otherwise lose.")),
    (GATE, _qa(PONDS, "How much of the water that a lock would otherwise lose do side ponds save?", "Half.")),
    (_fills_gate(), _cloze("A lock with side ponds takes ... twice as long to fill.",
                           "A lock with side ponds takes {{c1::twice}} as long to fill."))],
    ids=lambda value: _label(value) if isinstance(value, Card) else "gate")
def test_a_limit_on_a_fraction_left_out_is_refused(gate, card):
    """"Side ponds save ... half of the water that a lock would otherwise lose" for "... about half of ...": the gate's
    numbers were the digits and the number words ("four", "hundred"), and "half" is neither. A word of a share or a
    multiple ("half", "a third", "a quarter", "twice", "double"...) is limited as a number is."""
    assert [d.code for d in gate.trace(card).diagnostics] == ["qualifier-missing"]


@pytest.mark.parametrize("gate, card", [
    (GATE, _cloze(PONDS, "Side ponds save about {{c1::half}} of the water that a lock would otherwise lose.")),
    (GATE, _qa(PONDS, "How much of the water that a lock would otherwise lose do side ponds save?", "About half.")),
    (GATE, _qa(PONDS, "What do side ponds save about half of?", "The water that a lock would otherwise lose.")),
    (_fills_gate(), _cloze(FILLS, "A lock with side ponds takes nearly {{c1::twice}} as long to fill."))],
    ids=lambda value: _label(value) if isinstance(value, Card) else "gate")
def test_a_fraction_with_its_limit_passes(gate, card):
    result = gate.trace(card)
    assert result.ok, "\n".join(d.render() for d in result.diagnostics)


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="a far end moved to an anchor the sentence links to nothing is not read")
def test_a_number_moved_to_another_verb_is_refused():
    """"The canal was opened twenty years after work began in 1810" for "the canal was opened in 1810, twenty years
    after work began": the sentence links nothing to "began", which ends it. Reading a far end given to such an anchor
    as moved, where the sentence says that anchor only after it, refused honest rewordings of the deck ("the calcium of
    your body" for "about 99 percent of your body's calcium"; "which medications, such as diltiazem, ...")."""
    assert _codes(_cloze(OPENED_IN, "The canal was opened twenty years after work began in {{c1::1810}}.")) != []


SWEEPS = "The current, a strong flow, sweeps the channel clean after a flood."
SWEPT = "The current ... sweeps the channel clean after a flood."


def _sweeps_gate() -> Gate:
    return gate_over(Path(tempfile.mkdtemp(prefix="atk13-")), "Channels", SWEEPS)


@pytest.mark.parametrize("gate, card", [
    (GATE, _qa("The balance beam ... pushes the gate open.", "What does the gate push open?", "The balance beam.")),
    (_sweeps_gate(), _qa(SWEPT, "What does the channel sweep clean after a flood?", "The current."))],
    ids=lambda value: _label(value) if isinstance(value, Card) else "gate")
def test_an_object_asked_before_an_adjective_is_read_about_its_verb(gate, card):
    """"What does the gate push open?" - "the balance beam" turns "the balance beam ... pushes the gate open" round:
    the verb rule read the question's last word, "open", as its verb. Where the question ends with two content words
    V C and the sentence says "V the Y C" (never "V C"), V is read as the verb and C as what it makes of its object."""
    assert [d.code for d in gate.trace(card).diagnostics] == ["verb-turned-round"]


@pytest.mark.parametrize("gate, card", [
    (GATE, _qa("The balance beam ... pushes the gate open.", "What does the balance beam push open?", "The gate.")),
    (_sweeps_gate(), _qa(SWEPT, "What does the current sweep clean after a flood?", "The channel.")),
    (GATE, _qa("The balance beam ... pushes the gate open.", "What pushes the gate open?", "The balance beam."))],
    ids=lambda value: _label(value) if isinstance(value, Card) else "gate")
def test_an_object_asked_before_an_adjective_in_the_sentences_order_passes(gate, card):
    """"What does the balance beam push open?" - "the gate" was refused as turned round ("open" read as the verb,
    its subject "beam" and "push"): the honest card of the same shape."""
    result = gate.trace(card)
    assert result.ok, "\n".join(d.render() for d in result.diagnostics)


STICKS = "A gate that sticks wastes time at every lock."


def _sticks_gate() -> Gate:
    return gate_over(Path(tempfile.mkdtemp(prefix="atk13-")), "Gates", STICKS)


@pytest.mark.parametrize("gate, card", [
    (GATE, _cloze(LEAKS, "A lock that loses water {{c1::leaks}} to the pound below.")),
    (_sticks_gate(), _cloze(STICKS, "A gate that wastes time {{c1::sticks}} at every lock."))],
    ids=lambda value: _label(value) if isinstance(value, Card) else "gate")
def test_an_intransitive_relative_verb_swapped_is_refused(gate, card):
    """"A lock that loses water leaks to the pound below" for "a lock that leaks loses water to the pound below": the
    sentence's "leaks" has no object, so the claim did not keep the word after each verb, and the relative rule did
    not read the sentence's "that" as a subject relative clause. Where the sentence's verb after "that" has the other
    verb right after it, and the claim keeps the word after that other verb ("loses water"), it is read so."""
    assert [d.code for d in gate.trace(card).diagnostics] == ["relative-turned-round"]


@pytest.mark.parametrize("gate, card", [
    (GATE, _cloze(LEAKS, "A lock that leaks loses {{c1::water}} to the pound below.")),
    (GATE, _qa(LEAKS, "What does a lock that leaks lose to the pound below?", "Water.")),
    (_sticks_gate(), _cloze(STICKS, "A gate that {{c1::sticks}} wastes time at every lock.")),
    (_sticks_gate(), _qa(STICKS, "What does a gate that sticks waste at every lock?", "Time."))],
    ids=lambda value: _label(value) if isinstance(value, Card) else "gate")
def test_an_intransitive_relative_verb_kept_passes(gate, card):
    result = gate.trace(card)
    assert result.ok, "\n".join(d.render() for d in result.diagnostics)


@pytest.mark.parametrize("card", [
    _qa(CLOSES, "Before the keeper opens the upper paddles, what does he close?", "The lower paddles."),
    _qa(CLOSES, "Before he opens the upper paddles, what does the keeper close?", "The lower paddles."),
    _cloze(CHINA, "Before locks were built in Europe, they were built in {{c1::China}}."),
    _qa(CHINA, "Before locks were built in Europe, where were they built?", "In China.")], ids=_label)
def test_a_claim_that_names_what_a_pronoun_stands_for_passes_the_other_rules(card):
    """"Before the keeper opens the upper paddles, what does he close?" puts "keeper" beside "opens", where the
    sentence says "keeper closes" and "he opens" (neighbour-swapped); "before locks were built in Europe, they were
    built in China" takes "locks were built" and "built in Europe" from two places of "built" (clauses-spliced). A
    pronoun after the sentence's opening subject, of its number, is read as that subject by both rules: "he opens" is
    "keeper opens", and "they were built in Europe" "locks were built in Europe" (the subject itself is then no word
    said twice, which would have the claim take it from one of the two places)."""
    _passes(card)


@pytest.mark.parametrize("card", [
    _qa(CLOSES, "Before the keeper opens the lower paddles, what does he close?", "The upper paddles."),
    _cloze(CHINA, "Before locks were built in China, they were built in {{c1::Europe}}."),
    _qa(CHINA, "Before locks were built in China, where were they built?", "In Europe."),
    _cloze(CHINA, "Locks were built in {{c1::Europe}} before they were built in China.")], ids=_label)
def test_a_claim_that_names_what_a_pronoun_stands_for_in_the_wrong_clause_is_refused(card):
    assert _codes(card) in (["order-turned-round"], ["neighbour-swapped"])
