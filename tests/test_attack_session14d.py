"""A measurement of the claim gate on a fresh document of our own words about railway signalling (43 sentences): 149
false cards, each a claim its quoted sentence does not make, and 95 honest ones a careful author would write (quotes cut
with " ... " to what the card claims). A false card that passes is a strict xfail test that it is refused; an honest
card refused is a strict xfail test that it passes, but for those refused by the documented rule that a question's
content words ("how often", "what happens", "which side") must be in the passage, kept as plain tests of that rule. A
sample of the false cards refused and of the honest cards passing are plain tests."""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

import pytest

from deckgen.textnorm import stem
from deckgen.trace import Gate

from helpers import (assert_passes, assert_refused, card_label, cloze_card, diagnostic_codes, gate_over,
                     known_limit, qa_card)

PROTECTS = "A signal protects the block of line that lies beyond it."
ONE = "Only one train may occupy a block at a time."
RED = "A red aspect tells the driver to stop before the signal."
YELLOW = "A single yellow aspect warns that the next signal shows red."
DOUBLE = "A double yellow aspect warns that the signal after next shows red."
GREEN = "A green aspect means that at least two blocks ahead are clear."
WIRES = "Semaphore signals were worked by wires from the signal box."
LEVER = "The signaller pulls a lever, which moves the arm through a wire."
BREAKS = "If the wire breaks, the arm falls to danger under its own weight."
INTERLOCK = "Interlocking prevents the signaller from setting a signal that conflicts with the points."
POINTS = "Points guide a train from one track to another."
CIRCUIT = "A track circuit detects a train because its wheels and axles short the current between the rails."
AXLE = "Axle counters count the wheels that enter and leave a section."
UNLIKE = "Unlike track circuits, axle counters do not rely on the rails being clean."
LEAVES = "Leaves on the line can insulate the wheels from the rails, so a track circuit may fail to detect a train."
CREWE = "The signal box at Crewe controlled more than 200 levers."
FREIGHT = "A freight train needs a longer braking distance than a passenger train."
STOP = "At 125 miles per hour, a train needs about two kilometres to stop."
FOUR = "Four-aspect signalling was introduced on busy lines where trains ran close together."
PASSRED = "Drivers who pass a red signal without authority must report it to the signaller."
AWS = "The automatic warning system sounds a horn when the train approaches a caution signal."
ACK = "If the driver does not acknowledge the horn within three seconds, the brakes are applied."
BELL = "A bell rings when the signal shows clear."
TPS = "The train protection system stops a train that passes a red signal."
ABS = "Absolute block working needs a signaller at each end of the section."
TOKEN = "Tokens were carried on single lines so that two trains could not meet head on."
MAYNOT = "A driver may not enter a single line without the token."
HANDS = "The signaller hands the token to the driver, who returns it at the far end."
BRIGHT = "Colour light signals are brighter than oil lamps and can be seen from further away."
FOG = "In fog, signalmen placed detonators on the rails to warn drivers."
EXPLODES = "A detonator explodes when a wheel crushes it."
CENTRE = "Modern control centres manage hundreds of miles of track from one room."
ETCS = "The European system sends movement authority to a screen in the cab rather than to lineside signals."
NOTNEEDED = "Lineside signals are not needed where every train carries the cab equipment."
SHUNT = "Shunting signals are smaller than main signals and are mounted near the ground."
CALLON = "A calling-on signal lets a train enter a platform that is already occupied."
LEFT = "Trains run on the left in Britain but on the right in most of continental Europe."
GATES = "Gates at a level crossing must be closed before the signal protecting it can be cleared."
ROAD = "Most accidents at level crossings are caused by road users, not by trains."
JUNCTION = "The speed limit on the junction is 40 miles per hour unless the points are set for the main line."
SHIFTS = "Signallers work shifts of up to twelve hours."
GREASE = "The fitter checked the grease on the points every week."
HIGH = "Signal boxes were built high above the tracks because they gave the signaller a clear view."
TEXT = "\n\n".join([
    PROTECTS, ONE, RED, YELLOW, DOUBLE, GREEN, WIRES, LEVER, BREAKS, INTERLOCK, POINTS, CIRCUIT, AXLE, UNLIKE, LEAVES,
    CREWE, FREIGHT, STOP, FOUR, PASSRED, AWS, ACK, BELL, TPS, ABS, TOKEN, MAYNOT, HANDS, BRIGHT, FOG, EXPLODES, CENTRE,
    ETCS, NOTNEEDED, SHUNT, CALLON, LEFT, GATES, ROAD, JUNCTION, SHIFTS, GREASE, HIGH])


GATE: Gate = gate_over(Path(tempfile.mkdtemp(prefix="atk14d-")), "Railway signalling", TEXT)  # TEXT alone
_qa, _cloze, _label = qa_card, cloze_card, card_label
_codes, _passes = functools.partial(diagnostic_codes, GATE), functools.partial(assert_passes, GATE)


_refused = functools.partial(assert_refused, GATE)


_limit = known_limit


# --- false cards that pass -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("card", [
    _qa(YELLOW, "What warns that the next signal shows a single yellow aspect?", "Red."),
    _qa(DOUBLE, "What warns that the signal after next shows a double yellow aspect?", "Red."),
    _qa(YELLOW, "Which aspect warns that the next signal shows a single yellow aspect?", "A red aspect.")],
    ids=_label)
def test_the_subject_traded_with_the_object_of_its_that_clause_is_refused(card):
    """"A single yellow aspect warns that the next signal shows red": the card says red warns that the next signal
    shows a single yellow aspect. Every word is the sentence's, the two phrases traded across "warns that ... shows":
    that-turned-round, each side of "that" holding a word the sentence has only on the other."""
    assert "that-turned-round" in _codes(card)


@pytest.mark.parametrize("card", [
    _qa(YELLOW, "What does a single yellow aspect warn?", "That the next signal shows red."),
    _qa(YELLOW, "What does a single yellow aspect warn that the next signal shows?", "Red."),
    _qa(YELLOW, "What warns that the next signal shows red?", "A single yellow aspect."),
    _cloze(YELLOW, "A single yellow aspect warns that the next signal shows {{c1::red}}."),
    _qa(GREEN, "What does a green aspect mean?", "That at least two blocks ahead are clear.")], ids=_label)
def test_the_sides_of_that_kept_pass(card):
    """The same words on the sentence's sides of "that", or one moved across it alone (the question's answer where its
    wh-word is), pass."""
    _passes(card)


@_limit("a preposition put for the sentence's between the same two words is not read")
@pytest.mark.parametrize("card", [
    _qa(WIRES, "What were semaphore signals worked by?", "Wires to the signal box."),
    _qa(WIRES, "What were semaphore signals worked by?", "Wires in the signal box.")], ids=_label)
def test_a_preposition_put_for_the_sentences_own_is_refused(card):
    """"Wires from the signal box": wires to it, or in it, are other wires. The link rule reads a word joined by a
    preposition to another word, not the same two words joined by another preposition. Reading "from" against "to",
    "into", "in", "on" and "at" so refuses these, but also 27 cards of the synthetic benchmark deck, whose generator
    (benchmarks/generate.py) writes its answers with other prepositions between the sentence's words ("trubepade from
    zarzitimga" for "trubepade on zarzitimga") and counts them honest."""
    _refused(card)


@pytest.mark.parametrize("card", [
    _qa(BREAKS, "Why does the wire break?", "Because the arm falls to danger under its own weight."),
    _qa(ACK, "Why does the driver not acknowledge the horn within three seconds?", "Because the brakes are applied."),
    _cloze(BREAKS, "The wire breaks because {{c1::the arm falls to danger under its own weight}}.")],
    ids=_label)
def test_a_condition_claimed_as_the_result_of_its_main_clause_is_refused(card):
    """"If the wire breaks, the arm falls to danger": the card says the wire breaks because the arm falls, the
    condition turned into the effect. A claim's "because" is read against the sentence's "if" as a claim's "if" is:
    what follows it may not be what the sentence has only outside its condition (order-turned-round)."""
    assert "order-turned-round" in _codes(card)


@pytest.mark.parametrize("card", [
    _cloze(BREAKS, "The arm falls to danger under its own weight because {{c1::the wire breaks}}."),
    _qa(ACK, "Why are the brakes applied?", "Because the driver does not acknowledge the horn within three seconds."),
    _qa(BREAKS, "If the wire breaks, what does the arm do?", "It falls to danger under its own weight.")],
    ids=_label)
def test_a_condition_given_as_the_reason_passes(card):
    """"If Y, X" claimed as "X because Y", its condition given as the reason, passes as before."""
    _passes(card)


@pytest.mark.parametrize("card", [
    _qa(AXLE, "What do axle counters count?", "The sections that the wheels enter and leave."),
    _qa(AXLE, "What do axle counters count?", "The section that the wheels enter and leave."),
    _qa(TPS, "What does the train protection system stop?", "A red signal that a train passes."),
    _qa(TPS, "What does the train protection system stop?", "Red signals that trains pass.")], ids=_label)
def test_a_relative_clause_turned_inside_out_is_refused(card):
    """"Axle counters count the wheels that enter and leave a section": the card makes the section what is counted, the
    wheels moved into an object relative clause of its own ("that the wheels enter"): the two sides of "that" traded,
    that-turned-round."""
    assert "that-turned-round" in _codes(card)


@pytest.mark.parametrize("card", [
    _qa(AXLE, "What do axle counters count?", "The wheels that enter and leave a section."),
    _qa(AXLE, "What count the wheels that enter and leave a section?", "Axle counters."),
    _cloze(AXLE, "Axle counters count the {{c1::wheels}} that enter and leave a section."),
    _qa(TPS, "What does the train protection system stop?", "A train that passes a red signal."),
    _qa(TPS, "What stops a train that passes a red signal?", "The train protection system."),
    _qa(CALLON, "What lets a train enter a platform that is already occupied?", "A calling-on signal."),
    _qa(INTERLOCK, "What does interlocking prevent the signaller from setting?",
        "A signal that conflicts with the points.")], ids=_label)
def test_a_relative_clause_kept_passes(card):
    _passes(card)


@pytest.mark.parametrize("card", [
    _qa(UNLIKE, "Unlike axle counters, what do not rely on the rails being clean?", "Track circuits."),
    _cloze(UNLIKE, "Unlike {{c1::axle counters}}, track circuits do not rely on the rails being clean."),
    _cloze(UNLIKE, "Unlike axle counters, {{c1::track circuits}} do not rely on the rails being clean."),
    _qa(UNLIKE, "What, unlike axle counters, do not rely on the rails being clean?", "Track circuits."),
    _qa(UNLIKE, "Track circuits, unlike what, do not rely on the rails being clean?", "Axle counters."),
    _qa(UNLIKE, "Unlike what do track circuits not rely on the rails being clean?", "Axle counters."),
    _qa(UNLIKE, "What do not rely on the rails being clean, unlike axle counters?", "Track circuits.")], ids=_label)
def test_the_sides_of_unlike_traded_are_refused(card):
    """"Unlike track circuits, axle counters do not rely on the rails being clean": the card says it of track circuits,
    the very thing the sentence sets against it, and keeps the negation, so no word of it is new. "unlike" is read as
    a word of order is: what the claim puts right after it is what the sentence has there."""
    assert "order-turned-round" in _codes(card)


@pytest.mark.parametrize("card", [
    _qa(UNLIKE, "Unlike track circuits, what do not rely on the rails being clean?", "Axle counters."),
    _cloze(UNLIKE, "Unlike {{c1::track circuits}}, axle counters do not rely on the rails being clean."),
    _cloze(UNLIKE, "Unlike track circuits, {{c1::axle counters}} do not rely on the rails being clean."),
    _qa(UNLIKE, "What, unlike track circuits, do not rely on the rails being clean?", "Axle counters."),
    _qa(UNLIKE, "Unlike what do axle counters not rely on the rails being clean?", "Track circuits."),
    _qa(UNLIKE, "Axle counters, unlike what, do not rely on the rails being clean?", "Track circuits."),
    _cloze(UNLIKE, "{{c1::Axle counters}}, unlike track circuits, do not rely on the rails being clean."),
    _qa(UNLIKE, "What do not rely on the rails being clean, unlike track circuits?", "Axle counters.")], ids=_label)
def test_the_sides_of_unlike_kept_pass(card):
    _passes(card)


@pytest.mark.parametrize("card", [
    _qa(FREIGHT, "Which needs a longer braking distance, a passenger train or a freight train?", "A passenger train."),
    _qa("A freight train needs a longer braking distance than a passenger train",
        "Which needs a longer braking distance, a passenger train or a freight train?", "A passenger train."),
    _qa("Colour light signals are brighter than oil lamps", "Which are brighter, oil lamps or colour light signals?",
        "Oil lamps.")], ids=_label)
def test_the_wrong_one_of_a_which_question_about_a_comparison_is_refused(card):
    """"A freight train needs a longer braking distance than a passenger train": the passenger train is what it
    compares with. The rule of the chosen side reads the "than" whose word before it ("distance") the question
    names, however far its comparative ("longer") stands from it; and the brighter ones with the quote cut to the
    comparison, which the quote's other words no longer refuse. `deckgen check` also stops the first card by the
    content rule `guessable` (the answer is in the question), as it stops the honest "a freight train"."""
    assert "comparison-mismatch" in _codes(card)


@pytest.mark.parametrize("card", [
    _qa("A freight train needs a longer braking distance than a passenger train",
        "Which needs a longer braking distance, a passenger train or a freight train?", "A freight train."),
    _qa("Colour light signals are brighter than oil lamps", "Which are brighter, oil lamps or colour light signals?",
        "Colour light signals.")], ids=_label)
def test_the_right_one_of_a_which_question_about_a_comparison_passes(card):
    _passes(card)


@pytest.mark.parametrize("card", [
    _qa(PASSRED, "Signallers who pass a red signal without authority must report it to whom?", "The driver."),
    _cloze(PASSRED, "{{c1::Signallers}} who pass a red signal without authority must report it to the driver."),
    _cloze(PASSRED, "Signallers who pass a red signal without authority must report it to {{c1::the driver}}."),
    _qa(PASSRED, "Who must signallers who pass a red signal without authority report it to?", "The driver.")],
    ids=_label)
def test_who_reports_to_whom_traded_is_refused(card):
    """"Drivers who pass a red signal without authority must report it to the signaller": the card has signallers pass
    the signal and report to the driver. The words differ from the sentence's only in number ("signallers"). The
    relative clause moved from its noun to another noun of the sentence, the two traded: relative-turned-round."""
    assert "relative-turned-round" in _codes(card)


@pytest.mark.parametrize("card", [
    _qa(PASSRED, "Who must report it to the signaller?", "Drivers who pass a red signal without authority."),
    _cloze(PASSRED, "{{c1::Drivers}} who pass a red signal without authority must report it to the signaller."),
    _qa(PASSRED, "To whom must drivers who pass a red signal without authority report it?", "The signaller.")],
    ids=_label)
def test_who_reports_to_whom_kept_passes(card):
    _passes(card)



@pytest.mark.parametrize("card", [
    _qa(PASSRED, "Drivers who pass a red signal without authority may report it to whom?", "The signaller."),
    _qa(GATES, "What may be closed before the signal protecting a level crossing can be cleared?", "The gates."),
    _qa(PASSRED, "Drivers who pass a red signal without authority can report it to whom?", "The signaller."),
    _qa(PASSRED, "To whom might drivers who pass a red signal without authority report it?", "The signaller."),
    _cloze(PASSRED, "Drivers who pass a red signal without authority may report it to {{c1::the signaller}}."),
    _cloze(GATES, "Gates at a level crossing may be closed before the signal protecting it can be {{c1::cleared}}.")],
    ids=_label)
def test_may_claimed_for_must_is_refused(card):
    """"must report", "must be closed": the card makes a duty a permission, or a possibility. Refused as
    obligation-hedged, in a question whose modal stands before its subject too ("to whom might drivers ...")."""
    assert "obligation-hedged" in _codes(card)


@pytest.mark.parametrize("card", [
    _qa(PASSRED, "Drivers who pass a red signal without authority must report it to whom?", "The signaller."),
    _qa(PASSRED, "To whom must drivers who pass a red signal without authority report it?", "The signaller."),
    _qa(PASSRED, "To whom do drivers who pass a red signal without authority report it?", "The signaller."),
    _qa(GATES, "What must be closed before the signal protecting a level crossing can be cleared?", "The gates."),
    _cloze(GATES, "Gates at a level crossing must be {{c1::closed}} before the signal protecting it can be cleared."),
    _cloze(PASSRED, "Drivers who pass a red signal without authority must report it to {{c1::the signaller}}.")],
    ids=_label)
def test_must_kept_or_left_out_passes(card):
    """The sentence's "must" said again, or no modal at all (the duty stated as what drivers do), passes; so does a
    "can" the sentence says of another word ("can be cleared")."""
    _passes(card)


@pytest.mark.parametrize("question", [
    "How many trains must occupy a block at a time?", "How many trains will occupy a block at a time?"])
def test_must_or_will_claimed_for_may_is_refused_as_a_hedge_missing(question):
    """The other way round, "must" or "will" for the sentence's "may" states as certain what it allows: the hedge
    rule's hedge-missing, as before this rule."""
    assert "hedge-missing" in _codes(_qa("one train may occupy a block at a time", question, "One."))


@pytest.mark.parametrize("card", [
    _qa(TOKEN, "Why were tokens carried on single lines?", "Because two trains could not meet head on."),
    _cloze(TOKEN, "Tokens were carried on single lines because {{c1::two trains could not meet head on}}.")],
    ids=_label)
def test_a_purpose_answered_as_a_cause_is_refused(card):
    """"Tokens were carried on single lines so that two trains could not meet head on": that is what the tokens were
    for, not a fact that caused them to be carried. A claim's "because" is read against the sentence's "so that" as
    against its ", so": order-turned-round."""
    assert "order-turned-round" in _codes(card)


@pytest.mark.parametrize("card", [
    _qa(TOKEN, "Why were tokens carried on single lines?", "So that two trains could not meet head on."),
    _cloze(TOKEN, "Tokens were carried on single lines so that {{c1::two trains could not meet head on}}."),
    _qa(TOKEN, "What were carried on single lines so that two trains could not meet head on?", "Tokens."),
    _qa(TOKEN, "Why were tokens carried on single lines?", "Two trains could not meet head on.")],
    ids=_label)
def test_a_purpose_kept_passes(card):
    """The purpose said with "so that", or an answer to "why" that says no "because" (it may give the purpose)."""
    _passes(card)


@pytest.mark.parametrize("card", [
    _qa(AWS, "When does the train approach a caution signal?", "When the automatic warning system sounds a horn."),
    _qa(BELL, "When does the signal show clear?", "When a bell rings."),
    _qa(EXPLODES, "When does a wheel crush a detonator?", "When it explodes."),
    _qa("The automatic warning system sounds a horn when the train approaches a caution signal",
        "When does the train approach a caution signal?", "When the automatic warning system sounds a horn.")],
    ids=_label)
def test_a_when_question_answered_with_the_main_clause_is_refused(card):
    """"The automatic warning system sounds a horn when the train approaches a caution signal": the card gives the horn
    as the occasion of the train's approach. A "when" question answered with a clause of "when" is read as "X when
    Y", and what follows the answer's "when" may not be what the sentence has only outside its one clause of plain
    "when" (order-turned-round)."""
    assert "order-turned-round" in _codes(card)


@pytest.mark.parametrize("card", [
    _qa(AWS, "When does the automatic warning system sound a horn?", "When the train approaches a caution signal."),
    _qa(BELL, "When does a bell ring?", "When the signal shows clear."),
    _qa(EXPLODES, "When does a detonator explode?", "When a wheel crushes it."),
    _qa(AWS, "What sounds a horn when the train approaches a caution signal?", "The automatic warning system."),
    _qa(BELL, "What rings when the signal shows clear?", "A bell.")], ids=_label)
def test_a_when_question_answered_with_the_sentences_clause_of_when_passes(card):
    _passes(card)


@_limit("README's gate limits: a clause of plain 'when' swapped with its main clause passes where no 'when?' asks")
def test_a_when_clause_swapped_with_its_main_clause_is_refused():
    """Read as "the signal shows clear when a bell rings", the card has the shape of test_trace's honest "what gets
    trapped under the skin when milia form?" - "keratin" (for "milia form when keratin gets trapped under the skin"),
    both clauses read as happening at once: only a card that asks "when?" is read for which is the occasion of which."""
    _refused(_qa(BELL, "What shows clear when a bell rings?", "The signal."))


@_limit("README's gate limits: which word a pronoun stands for is not read beyond its number")
def test_they_given_to_the_other_plural_is_refused():
    """"Signal boxes were built high above the tracks because they gave the signaller a clear view": "they" are the
    boxes, not the tracks. Not read so by place or number: in "birds nest in the trees because they give shelter" the
    same "they", after the same words, stands for the trees."""
    _refused(_qa(HIGH, "Why were signal boxes built high above the tracks?",
                 "Because the tracks gave the signaller a clear view."))


BUILT = "Signal boxes were built high above the tracks"


@pytest.mark.parametrize("card", [
    _qa(HIGH, "Why were the tracks built high above signal boxes?", "Because they gave the signaller a clear view."),
    _cloze(HIGH, "The tracks were built high above {{c1::signal boxes}} because they gave the signaller a clear view."),
    _qa(BUILT, "What were built high above signal boxes?", "The tracks."),
    _qa(BUILT, "High above signal boxes, what were built?", "The tracks.")], ids=_label)
def test_the_sides_of_above_traded_are_refused(card):
    """"Above" sets one thing on one side of another, as "before" does in time: read as a word of order where a noun
    phrase follows it, what the claim puts right after it may not be what the sentence has only before it
    (order-turned-round)."""
    assert "order-turned-round" in _codes(card)


@pytest.mark.parametrize("card", [
    _qa(HIGH, "Why were signal boxes built high above the tracks?", "Because they gave the signaller a clear view."),
    _cloze(HIGH, "Signal boxes were built high above the {{c1::tracks}} because they gave the signaller a clear view."),
    _qa(BUILT, "What were built high above the tracks?", "Signal boxes."),
    _qa(BUILT, "What were signal boxes built high above?", "The tracks."),
    _qa(BUILT, "Above what were signal boxes built high?", "The tracks."),
    _qa(BUILT, "High above the tracks, what were built?", "Signal boxes.")], ids=_label)
def test_the_sides_of_above_kept_pass(card):
    _passes(card)


def test_the_sides_of_above_traded_in_a_question_that_ends_with_it_are_refused():
    """"What were the tracks built high above?" - "signal boxes": the answer stood in the place of "what", before the
    subject, so nothing of the claim followed "above". A question opened by "what" that ends with "above" or "below"
    asks for its object: the answer is read right after it ("what were signal boxes built high above?" - "the
    tracks" passes, test_the_sides_of_above_kept_pass)."""
    assert "order-turned-round" in _codes(_qa(BUILT, "What were the tracks built high above?", "Signal boxes."))


# --- honest cards refused --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("card", [
    _cloze(ONE, "Only {{c1::one}} train may occupy a block at a time."),
    _cloze(CENTRE, "Modern control centres manage hundreds of miles of track from {{c1::one}} room."),
    _cloze(CALLON, "A {{c1::calling-on}} signal lets a train enter a platform that is already occupied."),
    _qa(CALLON, "What lets a train enter a platform that is already occupied?", "A calling-on signal.")], ids=_label)
def test_a_deletion_of_one_or_of_a_hyphenated_word_passes(card):
    """Numbers are content words, and "two" of GREEN can be deleted; "one", a stop-word for its use as a pronoun, was
    nothing-to-check deleted alone. A cloze that deletes "one" right before a content word is read as "how many
    trains ...?" - "one" is: the count rule checks it. "calling" of "calling-on" was taken for the naming stop-word
    "called" (their stems are one); a form in -ing is no inflection of a stop-word, and is a content word."""
    _passes(card)


@pytest.mark.parametrize("card", [
    _cloze(ONE, "Only {{c1::one}} block may occupy a train at a time."),
    _cloze(GREEN, "A green aspect means that at least {{c1::one}} block ahead is clear."),
    _cloze(CENTRE, "Modern control centres manage hundreds of miles of track from {{c1::one}} building.")], ids=_label)
def test_a_deletion_of_one_that_counts_another_word_is_refused(card):
    """"one" deleted is checked as a count: before another word than the sentence's, or where the sentence says
    another number, it is refused (count-mismatch, or by the words the sentence says and the card does not)."""
    _refused(card)


def test_one_deleted_before_another_word_than_the_sentences_is_a_count_mismatch():
    codes = _codes(_cloze(ONE, "Only {{c1::one}} block may occupy a train at a time."))
    assert "count-mismatch" in codes


@pytest.mark.parametrize("card", [
    _qa(CREWE, "How many levers did the signal box at Crewe control?", "More than 200."),
    _qa("The signal box at Crewe controlled more than 200 levers", "What did the signal box at Crewe control?",
        "More than 200 levers."),
    _cloze("The signal box at Crewe controlled more than 200 levers",
           "The signal box at Crewe {{c1::controls}} more than 200 levers.")], ids=_label)
def test_a_question_asked_with_did_and_the_plain_verb_passes(card):
    """"did ... control" for "controlled" was question-word-missing ("nearest: controlled"), while "did the fitter
    check" for "checked" passed: the -ed stemming did not undo a doubled final consonant. A stem now ends with one of
    two same consonants ("stopp" is "stop"; "controll" is "control", an "ll" after two syllables or more)."""
    _passes(card)


@pytest.mark.parametrize(("one", "other"), [
    ("controlled", "control"), ("controlling", "controls"), ("stopped", "stop"), ("filled", "fill"),
    ("signalled", "signal"), ("classes", "class")])
def test_a_doubled_final_consonant_is_one_stem_with_the_single(one, other):
    assert stem(one) == stem(other)


@pytest.mark.parametrize(("one", "other"), [
    ("controlled", "contrast"), ("fill", "file"), ("mills", "miles"), ("agreed", "agree")])
def test_words_that_differ_keep_their_stems_apart(one, other):
    """"agreed" and "agree" were two stems before the doubled consonants were read ("-eed" keeps its "ed")."""
    assert stem(one) != stem(other)


@pytest.mark.parametrize("card", [
    _qa(CREWE, "How many levers did the signal box at Crewe control?", "Fewer than 200."),
    _qa(CREWE, "How many signal boxes did the levers at Crewe control?", "More than 200.")], ids=_label)
def test_a_question_asked_with_did_about_another_count_is_refused(card):
    _refused(card)


@pytest.mark.parametrize("card", [
    _qa(MAYNOT, "A driver may not enter a single line without what?", "The token."),
    _qa(MAYNOT, "Without what may a driver not enter a single line?", "The token."),
    _qa(PASSRED, "Drivers who pass a red signal without what must report it to the signaller?", "Authority.")],
    ids=_label)
def test_a_question_about_what_the_negated_verb_needs_passes(card):
    """"A driver may not enter a single line without the token": the first card is the sentence with its last words
    asked for; it was refused as dropping the negation on "token", the second as negating "driver": the "without" of
    "without what?" is now read as put on the answer's first content word."""
    _passes(card)


@pytest.mark.parametrize("card", [
    _qa(MAYNOT, "Without what may a driver enter a single line?", "The token."),
    _qa(MAYNOT, "A driver may enter a single line without what?", "The token."),
    _qa(MAYNOT, "A driver may not enter a single line with what?", "The token."),
    _qa(PASSRED, "Drivers who pass a red signal with what must report it to the signaller?", "Authority.")],
    ids=_label)
def test_a_negation_dropped_around_without_what_is_refused(card):
    assert "negation-mismatch" in _codes(card)


@pytest.mark.parametrize("card", [
    _qa(LEFT, "Where do trains run on the left and where on the right?",
        "In Britain, and in most of continental Europe."),
    _qa(LEFT, "Where do trains run on the left and where on the right?", "In Britain; in most of continental Europe.")],
    ids=_label)
def test_both_sides_of_a_contrast_asked_together_pass(card):
    """Read with the answer after the question, the card was refused as spliced at the sentence's two "in"s. A question
    that asks twice with one wh-word, its answer in two pieces apart by ";" or ", and", is read as each piece after its
    part of the question: "trains run on the left in Britain, and on the right in most of continental Europe"."""
    _passes(card)


@pytest.mark.parametrize("card", [
    _qa(LEFT, "Where do trains run on the left and where on the right?",
        "In most of continental Europe, and in Britain."),
    _qa(LEFT, "Where do trains run on the left and where on the right?", "In most of continental Europe; in Britain.")],
    ids=_label)
def test_both_sides_of_a_contrast_asked_together_and_answered_the_other_way_round_are_refused(card):
    assert "clauses-spliced" in _codes(card)


@_limit("a question read apart from its answer links 'run on the right', where the sentence says 'run on the left'")
def test_both_sides_of_a_contrast_asked_in_the_other_order_pass():
    """"Where do trains run on the right and where on the left?" - "in most of continental Europe, and in Britain" is
    honest; the link rule reads the question's "run on the right" against the sentence's "run on the left"."""
    _passes(_qa(LEFT, "Where do trains run on the right and where on the left?",
                "In most of continental Europe, and in Britain."))


@pytest.mark.parametrize("card", [
    _qa(GREASE, "What did the fitter check every week?", "The grease on the points."),
    _qa(GREASE, "What did the fitter check on the points every week?", "The grease."),
    _qa(GREASE, "Every week, what did the fitter check?", "The grease on the points.")], ids=_label)
def test_what_was_checked_every_week_passes(card):
    """"The fitter checked the grease on the points every week": the first was refused as saying "check every week"
    where the sentence says "checked the grease", though the question asks for the object that stands between them.
    A link of the question from its verb to a phrase after the object asked is read as the sentence's where the
    sentence has the answer's words alone between the two; and the subject of "what did X V ...?" ends before a
    determiner right after a content word ("the fitter check | every week"), no longer read as a verb "week"
    (verb-turned-round)."""
    _passes(card)


@pytest.mark.parametrize("card", [
    _qa(GREASE, "What did the fitter check every week?", "The points on the grease."),
    _qa(GREASE, "What did the points check every week?", "The grease on the fitter."),
    _qa(GREASE, "What did the grease on the points check every week?", "The fitter.")], ids=_label)
def test_what_was_checked_every_week_turned_round_is_refused(card):
    _refused(card)


@pytest.mark.parametrize("card", [
    _qa(STOP, "At 125 miles per hour, how far does a train need to stop?", "About two kilometres."),
    _qa(SHIFTS, "How long are the shifts that signallers work?", "Up to twelve hours.")], ids=_label)
def test_a_how_far_or_how_long_question_answered_in_its_units_passes(card):
    """"How far", "how long", "how tall" (and the like) ask for one measure, and an answer that gives a number in a
    unit of it (kilometres, light-years; hours, minutes) names the measure in the passage's words: the word after
    "how" is part of the question word, as "many" of "how many" is."""
    _passes(card)


@pytest.mark.parametrize("card", [
    _qa(SHIFTS, "How far are the shifts that signallers work?", "Up to twelve hours."),
    _qa(SHIFTS, "How heavy are the shifts that signallers work?", "Up to twelve hours."),
    _qa(SHIFTS, "How old are the shifts that signallers work?", "Up to twelve hours."),
    _qa(SHIFTS, "How long are the shifts that signallers work?", "Many hours.")], ids=_label)
def test_a_how_question_whose_answer_gives_no_number_in_its_measure_still_needs_the_word(card):
    """A time given to "how far" or to "how heavy", a time to "how old" (an age, which hours do not tell from a
    duration), and no number at all: the word after "how" is then a word of the claim, which the passage lacks."""
    assert "question-word-missing" in _codes(card)


@pytest.mark.parametrize("card", [
    _qa(STOP, "At 125 miles per hour, what distance does a train need to stop?", "About two kilometres."),
    _qa(LEFT, "On which side do trains run in Britain?", "On the left."),
    _qa(LEFT, "On which side do trains run in most of continental Europe?", "On the right."),
    _qa(GREASE, "How often did the fitter check the grease on the points?", "Every week.")], ids=_label)
def test_an_honest_question_with_a_word_the_passage_lacks_is_refused_by_the_documented_rule(card):
    """README, gate check 2: every content word of the question is in the passage, but the project's frame words;
    "how often" asks for a measure the passage must name ("how long" and "how far" too, unless the answer gives a
    number in a unit of that measure: test_a_how_far_or_how_long_question_answered_in_its_units_passes). These
    honest cards are refused by that rule, as designed; a project may make "side" or "distance" frame words. Two more
    of the measurement, "what happens ...?", were refused so on 7cfdb02; since gate11's merge "happen" after "what"
    is part of the question word, and they pass (test_a_what_happens_question_passes)."""
    assert "question-word-missing" in _codes(card)


@pytest.mark.parametrize("card", [
    _qa(BREAKS, "What happens to the arm if the wire breaks?", "It falls to danger under its own weight."),
    _qa(ACK, "What happens if the driver does not acknowledge the horn within three seconds?",
        "The brakes are applied.")], ids=_label)
def test_a_what_happens_question_passes(card):
    """Both were question-word-missing ("happens") on 7cfdb02, and pass since gate11 was merged."""
    _passes(card)


# --- a sample of false cards refused ---------------------------------------------------------------------------------
@pytest.mark.parametrize("card", [
    _qa(PROTECTS, "What protects a signal?", "The block of line beyond it."),
    _qa(ONE, "How many trains may occupy a block at a time?", "Two."),
    _qa(GREEN, "What does a green aspect mean?", "That two blocks ahead are clear."),
    _qa(WIRES, "What were wires from the signal box worked by?", "Semaphore signals."),
    _qa(BREAKS, "If the arm breaks, what falls to danger under its own weight?", "The wire."),
    _qa(INTERLOCK, "What does interlocking let the signaller do?", "Set a signal that conflicts with the points."),
    _qa(CIRCUIT, "Why do a train's wheels and axles short the current between the rails?",
        "Because a track circuit detects the train."),
    _qa(CREWE, "How many levers did the signal box at Crewe control?", "Fewer than 200."),
    _qa(ACK, "If the driver acknowledges the horn within three seconds, what happens?", "The brakes are applied."),
    _qa(JUNCTION, "What is the speed limit on the junction?", "40 miles per hour."),
    _qa(MAYNOT, "What may a driver enter without the token?", "A single line."),
    _qa(GATES, "What must be cleared before the gates at a level crossing can be closed?", "The signal protecting it."),
    _qa(BRIGHT, "Which are brighter, oil lamps or colour light signals?", "Oil lamps.")], ids=_label)
def test_a_false_card_is_refused(card):
    _refused(card)


# --- a sample of honest cards passing --------------------------------------------------------------------------------
@pytest.mark.parametrize("card", [
    _qa(PROTECTS, "What does a signal protect?", "The block of line that lies beyond it."),
    _qa(WIRES, "What worked semaphore signals?", "Wires from the signal box."),
    _qa(BREAKS, "If the wire breaks, what does the arm do?", "It falls to danger under its own weight."),
    _qa(CIRCUIT, "Why does a track circuit detect a train?",
        "Because its wheels and axles short the current between the rails."),
    _qa(UNLIKE, "Unlike track circuits, what do not rely on the rails being clean?", "Axle counters."),
    _qa(FREIGHT, "Which needs a longer braking distance, a freight train or a passenger train?", "A freight train."),
    _qa(TOKEN, "Why were tokens carried on single lines?", "So that two trains could not meet head on."),
    _qa("the token to the driver, who returns it at the far end", "Who returns the token at the far end?",
        "The driver."),
    _qa(CREWE, "How many levers were controlled by the signal box at Crewe?", "More than 200."),
    _qa(JUNCTION, "Unless the points are set for the main line, what is the speed limit on the junction?",
        "40 miles per hour."),
    _cloze(STOP, "At {{c1::125}} miles per hour, a train needs about two kilometres to stop."),
    _cloze(ONE, "Only {{c1::one train}} may occupy a block at a time.")], ids=_label)
def test_an_honest_card_passes(card):
    _passes(card)
