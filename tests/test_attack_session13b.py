"""A second attack on this session's rules of the claim gate ("because", "so that" and ", so" as sides; a pronoun of the
clause named; "unless", "except" and "only when" as qualifiers; a limit before a number; "until when"), on a document of
our own words about bicycle gears: honest cards of natural shapes that were refused (each a test that it passes), and
false ones that passed (each a test that it is refused). Those the gate cannot yet read are strict xfails, listed in
README's gate limits."""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

import pytest

from deckgen.model import Card
from deckgen.trace import Gate

from helpers import assert_passes, card_label, cloze_card, diagnostic_codes, gate_over, qa_card

JUMPS = "The chain jumps to a larger sprocket because the derailleur pushes it sideways."
LOWER = "Riders shift to a lower gear before a climb so that their legs can keep a steady cadence."
SMALL = "The small chainring turns the wheel slowly, so it suits steep hills."
WEARS = "A chain stretches as it wears, so mechanics measure it every few months."
PEDALS = "The derailleur cannot move the chain unless the pedals are turning."
RAMPS = "Every sprocket except the smallest has ramps that lift the chain."
HUB = "The rear hub spins freely only when the rider stops pedalling."
ROAD = "A road cassette has at least eleven sprockets."
MOUNTAIN = "Mountain bikes have up to twelve sprockets at the back."
LASTS = "A new chain lasts over 3000 kilometres on dry roads."
SETTLES = "The rider keeps pedalling until the chain settles on the new sprocket."
OIL = "Mechanics oil the chain after they have cleaned it."
CROSS = "A rider who cross-chains wears the chain faster, because it runs at an angle."
SEALED = "Hub gears are sealed inside the wheel, so they need little care."
RAIN = "Riders in the rain clean their chains often, because grit grinds the rollers."
LOAD = "Riders should not shift under heavy load unless the gears are electronic."
BREAKS = "The chain breaks only if a link has been badly joined."
FAST = "An electronic groupset shifts in about 40 milliseconds."
SCREWS = "The limit screws stop the derailleur so that the chain cannot fall into the spokes."
TOURING = "Touring bikes carry no more than 40 kilograms of luggage, except when they have a trailer."
SLIP = "The chain does not slip because the teeth hold it."
WEEKLY = "Hub gears do not need oil every week."
TROUBLE = "Most riders have no trouble until the chain wears."
SLIPS = "A worn chain slips because the teeth do not hold it."
TANDEM = "A tandem has a chain between its cranks."
WET = "Riders should oil the chain under heavy rain."
CABLE = "The cable sits under the bar tape near the lever."
PULLEYS = "The chain runs over two pulleys before it reaches the derailleur."
WIDTHS = "A road chain is 6 millimetres wide, and a track chain is at least 8 millimetres wide."
CADENCE = "Riders pedal at about 90 turns a minute on flat roads and 70 on climbs."
STRETCHED = "Shops replace a chain that has stretched by ≥ 0.75 millimetres."
TEXT = "\n\n".join([JUMPS, LOWER, SMALL, WEARS, PEDALS, RAMPS, HUB, ROAD, MOUNTAIN, LASTS, SETTLES, OIL, CROSS, SEALED,
                    RAIN, LOAD, BREAKS, FAST, SCREWS, TOURING, SLIP, WEEKLY, TROUBLE, SLIPS, TANDEM, WET,
                    CABLE, PULLEYS, WIDTHS, CADENCE, STRETCHED])


def _gate() -> Gate:
    """A gate over one document of TEXT alone, in a fresh folder."""
    return gate_over(Path(tempfile.mkdtemp(prefix="atk13b-")), "Bicycle gears", TEXT)


GATE = _gate()


_qa, _cloze = qa_card, cloze_card
_codes, _passes = functools.partial(diagnostic_codes, GATE), functools.partial(assert_passes, GATE)


_label = card_label


# --- honest cards of this session's shapes that the gate passes: kept so that no later rule refuses them ----------
@pytest.mark.parametrize("card", [
    _qa(JUMPS, "Why does the chain jump to a larger sprocket?", "Because the derailleur pushes it sideways."),
    _qa(JUMPS, "Why does the chain jump to a larger sprocket?", "Because the derailleur pushes the chain sideways."),
    _qa(JUMPS, "Because the derailleur pushes it sideways, where does the chain jump?", "To a larger sprocket."),
    _cloze(JUMPS, "The chain jumps to a larger sprocket because the {{c1::derailleur}} pushes it sideways."),
    _qa(LOWER, "Why do riders shift to a lower gear before a climb?", "So that their legs can keep a steady cadence."),
    _qa(LOWER, "So that their legs can keep a steady cadence, what do riders shift to before a climb?",
        "A lower gear."),
    _qa(SMALL, "The small chainring turns the wheel slowly, so what does it suit?", "Steep hills."),
    _cloze(SMALL, "The small chainring turns the wheel {{c1::slowly}}, so it suits steep hills."),
    _qa(SEALED, "Hub gears are sealed inside the wheel, so what do they need?", "Little care."),
    _qa(SEALED, "Hub gears need little care because they are sealed inside what?", "The wheel."),
    _qa(RAIN, "Why do riders in the rain clean their chains often?", "Because grit grinds the rollers."),
    _qa(RAIN, "Grit grinds the rollers, so who clean their chains often?", "Riders in the rain."),
    _qa(PEDALS, "Unless what are turning can the derailleur not move the chain?", "The pedals."),
    _cloze(PEDALS, "The derailleur cannot move the chain unless the {{c1::pedals}} are turning."),
    _cloze(RAMPS, "Every sprocket except the {{c1::smallest}} has ramps that lift the chain."),
    _cloze(RAMPS, "Except for the smallest, every sprocket has {{c1::ramps}} that lift the chain."),
    _qa(HUB, "When does the rear hub spin freely?", "Only when the rider stops pedalling."),
    _cloze(HUB, "Only when the rider stops pedalling does the rear hub spin {{c1::freely}}."),
    _qa(BREAKS, "Only if what has been badly joined does the chain break?", "A link."),
    _qa(ROAD, "How many sprockets does a road cassette have at least?", "Eleven."),
    _qa(ROAD, "At least how many sprockets does a road cassette have?", "Eleven."),
    _qa(ROAD, "How many sprockets does a road cassette have?", "At least eleven."),
    _qa(MOUNTAIN, "Up to how many sprockets do mountain bikes have at the back?", "Twelve."),
    _qa(LASTS, "Over how many kilometres does a new chain last on dry roads?", "3000."),
    _qa(FAST, "In how many milliseconds does an electronic groupset shift?", "About 40."),
    _cloze(FAST, "An electronic groupset shifts in {{c1::about 40}} milliseconds."),
    _qa(TOURING, "Except when they have a trailer, how many kilograms of luggage do touring bikes carry?",
        "No more than 40."),
    _qa(SETTLES, "Until when does the rider keep pedalling?", "Until the chain settles on the new sprocket."),
    _qa(SETTLES, "The rider keeps pedalling until what settles on the new sprocket?", "The chain."),
    _cloze(SETTLES, "Until the chain settles on the new sprocket, the rider keeps {{c1::pedalling}}."),
    _qa(OIL, "What do mechanics oil after they have cleaned it?", "The chain."),
    _cloze(OIL, "After they have cleaned the chain, mechanics {{c1::oil}} it."),
    _qa(SCREWS, "So that the chain cannot fall into the spokes, what do the limit screws stop?", "The derailleur.")],
    ids=_label)
def test_an_honest_card_of_this_sessions_shapes_passes(card):
    _passes(card)


# --- a deletion right after a negation: honest clozes that were refused --------------------------------------------
@pytest.mark.parametrize("card", [
    _cloze(LOAD, "Riders should not {{c1::shift}} under heavy load unless the gears are electronic."),
    _cloze(TROUBLE, "Most riders have no {{c1::trouble}} until the chain wears."),
    _cloze(WEEKLY, "Hub gears do not {{c1::need}} oil every week.")], ids=_label)
def test_a_deletion_right_after_a_negation_is_what_it_negates(card):
    """"Riders should not {{c1::shift}} under heavy load ..." was refused: "negates 'under'", and "drops the negation
    on 'shift'". A cloze's negations were read in its rest, the deletion taken out, where "not" comes right before
    "under". The sweep of the real deck met the same with "most people have no {{c1::symptoms}} until calcium deposits
    form". A cloze's negations are read with its deletions in place, as the sentence reads."""
    _passes(card)


@pytest.mark.parametrize("card", [
    _cloze(LOAD, "Riders should {{c1::shift}} under heavy load unless the gears are electronic."),
    _cloze(TROUBLE, "Most riders have {{c1::trouble}} until no chain wears."),
    _cloze(WEEKLY, "Hub gears do need {{c1::oil}} every week.")], ids=_label)
def test_a_negation_dropped_or_moved_around_a_deletion_is_still_refused(card):
    assert set(_codes(card)) == {"negation-mismatch"}


# --- a question's negation before its subject: honest questions that were refused ------------------------------------
@pytest.mark.parametrize("card", [
    _qa(SLIP, "Why doesn't the chain slip?", "Because the teeth hold it."),
    _qa(WEEKLY, "What don't hub gears need every week?", "Oil."),
    _qa(PEDALS, "What can't the derailleur move unless the pedals are turning?", "The chain."),
    _qa(PEDALS, "What cannot the derailleur move unless the pedals are turning?", "The chain."),
    _qa(PEDALS, "Unless the pedals are turning, what can't the derailleur move?", "The chain.")], ids=_label)
def test_a_negation_said_on_the_auxiliary_before_the_subject_negates_the_verb(card):
    """"Why doesn't the chain slip?" - "because the teeth hold it" was refused: "negates 'chain'" and "drops the
    negation on 'slip'". A negation applies to the first content word after it, and a question puts its auxiliary,
    negation and all, before its subject. Where a question's negation is its auxiliary's, before any content word, the
    negation is read on the word of the run after it that the passage negates (the verb), where the passage does not
    negate the first."""
    _passes(card)


@pytest.mark.parametrize("card", [
    _qa(SLIPS, "Why doesn't a worn chain slip?", "Because the teeth hold it."),
    _qa(SLIP, "Why doesn't the chain slip?", "Because the teeth do not hold it.")], ids=_label)
def test_a_negation_before_the_subject_on_a_verb_the_passage_does_not_negate_is_still_refused(card):
    assert set(_codes(card)) == {"negation-mismatch"}


# --- "what ... not do?": an honest question that was refused --------------------------------------------------------
def test_what_a_question_says_not_to_do_is_its_answer_negated():
    """"What should riders not do under heavy load unless ...?" - "shift" was refused: the negation went to "under",
    the first content word after "not do", and the sentence negates "shift". The "do" of "what ... not do" stands for
    the verb that the answer gives, and the negation is read on the answer's first content word."""
    _passes(_qa(LOAD, "What should riders not do under heavy load unless the gears are electronic?", "Shift."))
    assert set(_codes(_qa(LOAD, "What should riders do under heavy load unless the gears are electronic?",
                          "Shift."))) == {"negation-mismatch"}


# --- a reason and a result said the other way round: false claims that passed ---------------------------------------
@pytest.mark.parametrize("card", [
    _qa(WEARS, "Why does a chain stretch as it wears?", "Because mechanics measure it every few months."),
    _cloze(WEARS, "A chain stretches as it wears because mechanics {{c1::measure}} it every few months."),
    _cloze(WEARS, "Because mechanics measure it every few months, a chain {{c1::stretches}} as it wears."),
    _qa(SEALED, "Why are hub gears sealed inside the wheel?", "Because they need little care."),
    _cloze(JUMPS, "The chain jumps to a larger {{c1::sprocket}}, so the derailleur pushes it sideways."),
    _qa(RAIN, "Riders in the rain clean their chains often, so what grinds the rollers?", "Grit.")], ids=_label)
def test_a_result_given_as_the_reason_is_refused(card):
    """"A chain stretches as it wears, so mechanics measure it every few months" cannot back "why does a chain stretch
    as it wears? - because mechanics measure it every few months": the result was given as the reason, and the sides
    rule read "because" only against a "because" of the sentence. "X, so Y" says "Y because X": the claim's "because"
    is read against the sentence's ", so" (and its "so" against the sentence's "because"), its clause of reason holding
    none of what the sentence says only in its clause of result."""
    assert _codes(card) == ["order-turned-round"]


@pytest.mark.parametrize("card", [
    _qa(WEARS, "Why do mechanics measure a chain every few months?", "Because the chain stretches as it wears."),
    _qa(SEALED, "Why do hub gears need little care?", "Because they are sealed inside the wheel."),
    _cloze(RAIN, "Grit grinds the rollers, so riders in the rain clean their {{c1::chains}} often."),
    _cloze(JUMPS, "The derailleur pushes the chain sideways, so the chain jumps to a larger {{c1::sprocket}}.")],
    ids=_label)
def test_a_reason_kept_a_reason_across_so_and_because_passes(card):
    _passes(card)


# --- a pronoun named where the claim says the word again outside the clause -----------------------------------------
def test_a_pronoun_may_be_named_where_the_claim_says_the_word_in_another_number_outside_the_clause():
    """"Why does a rider who cross-chains wear the chain faster?" - "because the chain runs at an angle" names what "it"
    stands for, and was refused: the pronoun's number was checked against every "chain" of the claim, and "cross-chains"
    is a plural "chains" outside the clause of "because". Only the words of the claim's clause are checked."""
    _passes(_qa(CROSS, "Why does a rider who cross-chains wear the chain faster?",
                "Because the chain runs at an angle."))
    assert _codes(_qa(CROSS, "Why does it run at an angle?", "Because a rider who cross-chains wears the chain faster.")
                  ) == ["order-turned-round"]


# --- the link rule at an anchor the sentence links to nothing, on a sentence with no negation -----------------------
def test_a_link_turned_round_at_an_anchor_the_sentence_links_to_nothing_is_refused_without_a_negation():
    """tests/test_attack_session13.py reads this rule on "a staircase lock has no pound between its chambers", whose
    swapped cloze the negation rule now refuses first ("no" before the deletion "chambers"). Here the sentence has no
    negation, and the link rule alone refuses the swap."""
    assert _codes(_cloze(TANDEM + " ...", "A tandem has a {{c1::crank}} between its chain.")) == ["link-swapped"]
    _passes(_cloze(TANDEM + " ...", "A tandem has a chain between its {{c1::cranks}}."))


# --- a question led by a word of order or place: honest questions that were refused ---------------------------------
@pytest.mark.parametrize("card", [
    _qa(LOAD, "Under what should riders not shift unless the gears are electronic?", "Heavy load."),
    _qa(CABLE, "Under what does the cable sit near the lever?", "The bar tape."),
    _qa(PULLEYS, "Over what does the chain run before it reaches the derailleur?", "Two pulleys.")], ids=_label)
def test_a_question_led_by_its_word_of_order_or_place_passes(card):
    """"Under what should riders not shift unless the gears are electronic?" - "heavy load" was refused: the question
    moves "under heavy load" to its front, and "shift" meets "unless", where the sentence says "load unless". The
    answer's place, where the words on each side of it may meet, did not hold the "under" that stands before it in the
    sentence ("under" being a content word, as words of order and place are). A word of order or place that leads a
    question before its "what" or "which" is now read as part of the answer's place."""
    _passes(card)


@pytest.mark.parametrize("card", [
    _qa(CABLE, "Under what does the cable sit near the bar tape?", "The lever."),
    _qa(PULLEYS, "Over what does the chain reach the derailleur before it runs?", "Two pulleys."),
    _qa(LOAD, "Under what should riders not shift unless the load is electronic?", "Heavy gears.")], ids=_label)
def test_a_question_led_by_its_word_of_order_that_swaps_words_is_still_refused(card):
    assert _codes(card) != []


# --- a limit put on another number of the sentence: false claims that passed ---------------------------------------
@pytest.mark.parametrize("card", [
    _qa(WIDTHS, "How wide is a road chain, and how wide is a track chain?",
        "At least 6 millimetres and 8 millimetres."),
    _qa(WIDTHS, "How wide are a road chain and a track chain?", "At least 6 millimetres and 8 millimetres."),
    _cloze(WIDTHS, "A road chain is {{c1::8}} millimetres wide, and a track chain is at least 6 millimetres wide.")],
    ids=_label)
def test_a_limit_moved_to_another_number_is_refused(card):
    """"How wide is a road chain, and how wide is a track chain?" - "at least 6 millimetres and 8 millimetres", for "a
    road chain is 6 millimetres wide, and a track chain is at least 8 millimetres wide": the limit rule asked only that
    the claim say "least" somewhere, and it does, before the wrong number. A limit the claim says right before another
    number of the sentence than the one the sentence limits is refused. So is a swap of the two numbers, which moves
    the limit too (test_attack_session13's "a narrow lock is 14 feet wide, and a broad lock is at least 7 feet wide"
    was a strict xfail for it)."""
    assert _codes(card) == ["qualifier-missing"]


@pytest.mark.parametrize("card", [
    _qa(WIDTHS, "How wide is a road chain, and how wide is a track chain?",
        "6 millimetres and at least 8 millimetres."),
    _cloze(CADENCE, "Riders pedal at about 90 turns a minute on flat roads and about {{c1::70}} on climbs."),
    _cloze(CADENCE, "Riders pedal at about {{c1::90}} turns a minute on flat roads and 70 on climbs.")], ids=_label)
def test_a_limit_kept_on_its_number_or_shared_after_and_passes(card):
    """"About 90 ... and 70": a number right after "and" may share the limit of the number before it, and a claim that
    says the limit before it too is not refused."""
    _passes(card)


# --- a deleted number after a comparison sign: an honest cloze that was refused --------------------------------------
def test_a_comparison_sign_before_a_deleted_number_is_read_with_it():
    """"Shops replace a chain that has stretched by ≥ {{c1::0.75}} millimetres" was refused: "the quoted passage also
    says '≥', which the card does not". A comparison sign is a word only before a number, and the cloze's rest, its
    deletion taken out, has none after the sign. The sweep of chk-deck6 met it in "... a clinic blood pressure of ≥
    {{c1::140/90}} mmHg". The sign is read with the number it compares, as a minus sign is."""
    _passes(_cloze(STRETCHED, "Shops replace a chain that has stretched by ≥ {{c1::0.75}} millimetres."))
    _passes(_cloze(STRETCHED, "Shops replace a chain that has stretched by {{c1::≥ 0.75}} millimetres."))
    swapped = _cloze(STRETCHED, "Shops replace a chain that has stretched by ≤ {{c1::0.75}} millimetres.")
    assert "cloze-word-missing" in _codes(swapped)


# --- what the gate cannot yet read --------------------------------------------------------------------------------
@pytest.mark.parametrize("card", [
    _qa(SMALL, "Why does the small chainring suit steep hills?", "It turns the wheel slowly."),
    _qa(WEARS, "Why do mechanics measure a chain every few months?", "Because it stretches as it wears."),
    _qa(SMALL, "What does the small chainring suit, because it turns the wheel slowly?", "Steep hills."),
    _qa(SEALED, "Why do hub gears need little care?", "Because they are sealed inside the wheel."),
    _qa(WEARS, "Why do mechanics measure a chain every few months?", "Because a chain stretches as it wears.")],
    ids=_label)
def test_a_why_question_that_names_the_pronoun_of_a_result_passes(card):
    """"The small chainring turns the wheel slowly, so it suits steep hills" asked "why does the small chainring suit
    steep hills?" - "it turns the wheel slowly" is the most natural card of it, and was refused: the question puts
    "chainring" beside "suit", where the sentence says "it suits" and "chainring turns". The neighbour rule reads a
    pronoun after the sentence's opening subject, of its number, as that subject ("chainring suits", "measure chain
    every")."""
    _passes(card)


@pytest.mark.parametrize("card", [
    _qa(SMALL, "Why does the wheel suit steep hills?", "Because the small chainring turns it slowly."),
    _qa(SMALL, "Why does the wheel suit steep hills?", "The small chainring turns it slowly."),
    _qa(WEARS, "Why do mechanics wear a chain every few months?", "Because it stretches as it measures.")],
    ids=_label)
def test_a_pronoun_is_read_as_the_subject_alone(card):
    """"So it suits steep hills" is read "so chainring suits", never "so wheel suits": "wheel" is of the pronoun's
    number too, but not the sentence's subject, and the claim that the wheel suits steep hills is refused as before."""
    assert _codes(card) == ["neighbour-swapped"]


@pytest.mark.parametrize("card", [
    _qa(LOAD, "Under what load should riders not shift unless the gears are electronic?", "Heavy."),
    _qa(CABLE, "Under what tape does the cable sit near the lever?", "Bar."),
    _qa(PULLEYS, "Over how many pulleys does the chain run before it reaches the derailleur?", "Two.")], ids=_label)
def test_a_question_led_by_its_preposition_and_a_noun_passes(card):
    """"Under what load should riders not shift unless the gears are electronic?" - "heavy" was refused ("shift
    unless", where the sentence says "load unless"): "what load" is the phrase moved with "under", and the answer is
    its adjective. The run of content words after the "what" of a fronted word of order or place is read as part of
    the answer's place, where it makes one run with the answer's words ("under heavy load"). So is a word of order or
    place before "how many" or "how much": "over how many pulleys does the chain run before ...?" - "two" was refused
    ("run before", where the sentence says "runs over two pulleys before")."""
    _passes(card)


@pytest.mark.parametrize("card", [
    _qa(LOAD, "Under what load should riders not shift unless the gears are heavy?", "Electronic."),
    _qa(LOAD, "Under what gears should riders not shift unless the load is electronic?", "Heavy."),
    _qa(CABLE, "Under what lever does the cable sit near the tape?", "Bar."),
    _qa(PULLEYS, "Over how many derailleurs does the chain run before it reaches the pulleys?", "Two.")], ids=_label)
def test_a_question_led_by_its_preposition_and_a_noun_that_swaps_words_is_refused(card):
    """The words after "what" are read only in one run with the answer's: "under what load ... unless the gears are
    heavy?" - "electronic" puts the answer elsewhere, and "shift unless" is refused as before."""
    assert _codes(card) == ["neighbour-swapped"]


MUD = "Mechanics clean the chain after long rides in the mud."
GATES = "The keeper opens the gates above the lock before dawn."


def _other_gate() -> Gate:
    """A gate over a second document, of sentences whose links end before a word of order or place."""
    return gate_over(Path(tempfile.mkdtemp(prefix="atk13b-")), "Workshop", "\n\n".join([MUD, GATES]))


@pytest.mark.parametrize("gate, card", [
    (GATE, _qa(WET, "What should riders do to the chain under heavy rain?", "Oil the rain.")),
    (_other_gate(), _qa(MUD, "What do mechanics do to the chain after long rides in the mud?", "Clean the rides.")),
    (_other_gate(), _qa(GATES, "What does the keeper do to the gates above the lock before dawn?", "Opens the dawn."))],
    ids=lambda value: _label(value) if isinstance(value, Card) else "gate")
def test_an_answer_that_moves_a_word_of_its_question_is_refused(gate, card):
    """"What should riders do to the chain under heavy rain?" - "oil the rain", for "riders should oil the chain under
    heavy rain": every word is the sentence's, and the sentence's far end of "oil the" was read as the whole run
    "chain under heavy rain", "under" being a content word, so "the rain" was at its place. A word of order or place
    ("under", "after", "above", "before"...) opens a phrase of its own: the far end of a link stops before it."""
    assert [d.code for d in gate.trace(card).diagnostics] == ["link-swapped"]


@pytest.mark.parametrize("gate, card", [
    (GATE, _qa(WET, "What should riders oil under heavy rain?", "The chain.")),
    (GATE, _qa(WET, "What should riders do to the chain under heavy rain?", "Oil it.")),
    (GATE, _cloze(WET, "Riders should oil the {{c1::chain}} under heavy rain.")),
    (_other_gate(), _qa(MUD, "What do mechanics do after long rides in the mud?", "Clean the chain.")),
    (_other_gate(), _qa(GATES, "What does the keeper open before dawn?", "The gates above the lock."))],
    ids=lambda value: _label(value) if isinstance(value, Card) else "gate")
def test_an_answer_that_keeps_the_word_its_link_ends_at_passes(gate, card):
    result = gate.trace(card)
    assert result.ok, "\n".join(d.render() for d in result.diagnostics)
