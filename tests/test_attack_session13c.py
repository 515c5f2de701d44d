"""A third attack on this session's relaxations of the claim gate (negations read per clause, comparisons read pair by
pair, hedges, conditions and exceptions, limits on numbers, "because" and ", so" as sides, pronouns a card may name,
lists in another order, adverbs moved, leading clauses read apart), on a document of our own words about how a sailing
boat tacks: false cards that keep the passage's words (each a test that it is refused), honest ones (each a test that
it passes). What the gate cannot yet read is a strict xfail, listed in README's gate limits."""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

import pytest

from deckgen.trace import Gate

from helpers import assert_passes, assert_refused, card_label, cloze_card, diagnostic_codes, gate_over, qa_card

TACK = "A sailing boat cannot sail straight into the wind, but it can sail at an angle to it."
TURN = "When the boat tacks, the bow turns through the wind and the sails fill on the other side."
HELM = "The helmsman pushes the tiller away, while the crew releases the jib sheet."
MAIN = "The mainsail does not need trimming during a tack, although the jib must be pulled across quickly."
FAST = "A light dinghy turns faster than a heavy keelboat, and a keelboat holds its course better than a dinghy."
WIDE = "A catamaran is wider than a monohull but lighter than a keelboat."
STALL = "A boat may stall if it turns too slowly."
IRONS = "The boat can drift backwards when it is caught in irons."
UNLESS = "The crew should not cross the cockpit unless the boom has passed overhead."
EXCEPT = "Every sheet except the mainsheet is led to a winch."
ONLY = "The jib fills only when the boat has passed head to wind."
LIMIT = "A racing crew completes a tack in at most eight seconds."
SPEED = "A cruising yacht loses about two knots in each tack."
ANGLE = "Most yachts sail no closer than 45 degrees to the wind."
LIST = "The crew checks the winches, the sheets and the cleats before the race."
ORDER = "The helmsman calls the tack, then the crew eases the jib, and finally the boat bears away."
IT = "The skipper warns the crew before the boom swings, because it can strike their heads."
THEY = "Sailors watch the telltales because they show how the air flows over the sail."
SO = "The wind shifts near the shore, so skippers tack more often there."
BECAUSE = "The keel resists sideways drift because its fin is deep and heavy."
SOTHAT = "Sailors ease the sheets slightly so that the sails do not flutter."
ADV = "The crew hauls the sheet quickly and cleats it firmly."
LEAD = "Before the race starts, the crew studies the tide, and the skipper chooses the course."
WHEN = "In light wind, a boat tacks slowly, and in strong wind it tacks sharply."
NEG2 = "Beginners do not tack in gusts, and experts do not gybe near rocks."
WHILE = "While the jib is backed, the bow is pushed round, but the mainsail stays loose."
UNTIL = "The crew keeps the jib backed until the bow has passed the wind."
SHORTER = "Short tacks cost more speed than long tacks, but long tacks cover less ground than short ones."
TWICE = "A crew of two tacks twice as often as a crew of five."
OFTEN = "Skippers rarely tack in big waves and often tack in flat water."
COULD = "The boom might hit the crew, and a loose sheet could catch a foot."
WAVE = "A wave may stop the boat and may turn its bow."
PULLS = "In a gust, the crew pulls on the sheet quickly."
GUST = "In a gust, the helmsman does not bear away, but the crew eases the mainsheet."
DEPTH = "A keelboat needs water deeper than 2 metres, and a dinghy needs less than 1 metre."
WINDS = "Dinghies race in winds of at least 5 knots and at most 25 knots."
UNDER = "Under the boom, the crew crouches low, and above the deck the sail fills."
LINES = "Sailors coil the halyards after the race and flake the sheets before it."
JIB = "The jib is not trimmed in a tack, but it is trimmed after the tack."
RACE = "Beginners cannot tack quickly, but experts can tack in under ten seconds."
KNOTS = "The crew ties the sheets to the clew with a bowline, and to the cleats with a hitch."
STEPS = "Before a tack, the helmsman checks the water behind the boat, the wind and the waves."
GEAR = "On a dinghy the crew sits on the side, and on a keelboat the crew stands in the cockpit."
TEXT = "\n\n".join([TACK, TURN, HELM, MAIN, FAST, WIDE, STALL, IRONS, UNLESS, EXCEPT, ONLY, LIMIT, SPEED, ANGLE, LIST,
                    ORDER, IT, THEY, SO, BECAUSE, SOTHAT, ADV, LEAD, WHEN, NEG2, WHILE, UNTIL, SHORTER, TWICE, OFTEN,
                    COULD, WAVE, JIB, RACE, KNOTS, STEPS, GEAR, PULLS, GUST, DEPTH, WINDS, UNDER, LINES])


def _gate() -> Gate:
    """A gate over one document of TEXT alone, in a fresh folder."""
    return gate_over(Path(tempfile.mkdtemp(prefix="atk13c-")), "Tacking", TEXT)


GATE = _gate()


_qa, _cloze = qa_card, cloze_card
_codes, _passes = functools.partial(diagnostic_codes, GATE), functools.partial(assert_passes, GATE)


_refused = functools.partial(assert_refused, GATE)


_label = card_label


# --- honest cards of the relaxed shapes: kept so that no later rule refuses them ------------------------------------
@pytest.mark.parametrize("card", [
    _qa("A sailing boat cannot sail straight into the wind", "Into what can a sailing boat not sail straight?",
        "The wind."),
    _cloze(TACK, "A sailing boat cannot sail straight into the {{c1::wind}}, but it can sail at an angle to it."),
    _qa("The mainsail does not need trimming during a tack", "What does not need trimming during a tack?",
        "The mainsail."),
    _qa(NEG2, "Beginners do not tack in gusts, and where do experts not gybe?", "Near rocks."),
    _cloze(NEG2, "Beginners do not {{c1::tack}} in gusts, and experts do not gybe near rocks."),
    _qa(FAST, "A light dinghy turns faster than what, and a keelboat holds its course better than a dinghy?",
        "A heavy keelboat."),
    _cloze(FAST, "A light dinghy turns faster than a heavy {{c1::keelboat}}, and a keelboat holds its course better "
                 "than a dinghy."),
    _qa(STALL, "What may a boat do if it turns too slowly?", "Stall."),
    _qa(IRONS, "What can the boat do when it is caught in irons?", "Drift backwards."),
    _qa(UNLESS, "What should the crew not cross unless the boom has passed overhead?", "The cockpit."),
    _cloze(EXCEPT, "Every sheet except the {{c1::mainsheet}} is led to a winch."),
    _qa(ONLY, "When does the jib fill?", "Only when the boat has passed head to wind."),
    _qa(LIMIT, "In how many seconds does a racing crew complete a tack?", "At most eight."),
    _cloze(ORDER, "The helmsman calls the tack, then the crew eases the {{c1::jib}}, and finally the boat bears away."),
    _qa(LIST, "What does the crew check before the race?", "The winches, the sheets and the cleats."),
    _qa(IT, "The skipper warns the crew before the boom swings, because what can strike their heads?", "The boom."),
    _qa(THEY, "Sailors watch the telltales because what show how the air flows over the sail?", "The telltales."),
    _qa(SO, "The wind shifts near the shore, so what do skippers do more often there?", "Tack."),
    _qa(BECAUSE, "Why does the keel resist sideways drift?", "Because its fin is deep and heavy."),
    _cloze(ADV, "The crew hauls the sheet quickly and cleats it {{c1::firmly}}."),
    _qa(LEAD, "Before the race starts, what does the crew study, and the skipper chooses the course?", "The tide."),
    _cloze(WHEN, "In light wind, a boat tacks {{c1::slowly}}, and in strong wind it tacks sharply."),
    _qa(UNTIL, "Until when does the crew keep the jib backed?", "Until the bow has passed the wind."),
    _qa(SOTHAT, "Why do sailors ease the sheets slightly?", "So that the sails do not flutter."),
    _cloze(WHILE, "While the jib is backed, the {{c1::bow}} is pushed round, but the mainsail stays loose."),
    _cloze(OFTEN, "Skippers rarely tack in big waves and often tack in flat {{c1::water}}."),
    _qa(HELM, "Who releases the jib sheet while the helmsman pushes the tiller away?", "The crew."),
    _qa(HELM, "While the crew releases the jib sheet, who pushes the tiller away?", "The helmsman."),
    _qa(HELM, "While the helmsman pushes the tiller away, what does the crew release?", "The jib sheet."),
    _qa(COULD, "What might hit the crew, and a loose sheet could catch a foot?", "The boom."),
    _cloze(COULD, "The boom might hit the {{c1::crew}}, and a loose sheet could catch a foot."),
    _qa("The boom might hit the crew", "What might hit the crew?", "The boom."),
    _qa(KNOTS, "The crew ties the sheets to the clew with a bowline, and to what with a hitch?", "The cleats."),
    _cloze(STEPS, "Before a tack, the helmsman checks the water behind the boat, the waves and the {{c1::wind}}."),
    _qa(GEAR, "On a keelboat the crew stands in the cockpit, and on a dinghy where does the crew sit?", "On the side."),
    _qa(ANGLE, "Most yachts sail no closer than how many degrees to the wind?", "45."),
    _qa(IRONS, "When the boat is caught in irons, how can it drift?", "Backwards."),
    _qa(SO, "The wind shifts near the shore, so why do skippers tack more often there?", "Because the wind shifts."),
    _qa(GUST, "In a gust, who doesn't bear away, but the crew eases the mainsheet?", "The helmsman."),
    _cloze(GUST, "In a gust, the helmsman does not bear away, but the {{c1::crew}} eases the mainsheet."),
    _cloze(DEPTH, "A keelboat needs water deeper than {{c1::2}} metres, and a dinghy needs less than 1 metre."),
    _cloze(WINDS, "Dinghies race in winds of at least {{c1::5}} knots and at most 25 knots."),
    _qa("Under the boom, the crew crouches low", "Under what does the crew crouch low?", "The boom."),
    _qa("Sailors coil the halyards after the race", "After the race, what do sailors coil?", "The halyards."),
    _cloze(LINES, "Sailors coil the {{c1::halyards}} after the race and flake the sheets before it.")],
    ids=_label)
def test_an_honest_card_of_the_relaxed_shapes_passes(card):
    _passes(card)


# --- a hedge dropped from one clause while the other keeps one: false cards that passed -----------------------------
@pytest.mark.parametrize("card", [
    _cloze(COULD, "The boom hits the {{c1::crew}}, and a loose sheet could catch a foot."),
    _qa(COULD, "The boom might hit the crew, and what catches a foot?", "A loose sheet."),
    _qa(COULD, "What can hit the crew, and a loose sheet could catch a foot?", "The boom.")], ids=_label)
def test_a_hedge_dropped_from_one_clause_is_refused(card):
    """"The boom might hit the crew, and a loose sheet could catch a foot" cannot back "the boom hits the crew, and a
    loose sheet could catch a foot": the hedge rule asked only whether the claim says some hedge, anywhere, and "could"
    of the second clause stood for the "might" of the first. (With "can" for "might" the same: "could" was a tentative
    hedge said somewhere.) A claim says a hedge for each word the sentence hedges that it claims, and a tentative one
    for each that the sentence hedges tentatively."""
    assert _codes(card) == ["hedge-missing"]


# --- a negation moved to the other clause, on a word both clauses say: false cards that passed ----------------------
@pytest.mark.parametrize("card", [
    _cloze(TACK, "A sailing boat can sail straight into the wind, but it cannot sail at an {{c1::angle}} to it."),
    _cloze(TACK, "A sailing boat can sail straight into the {{c1::wind}}, but it cannot sail at an angle to it."),
    _qa(TACK, "A sailing boat can sail straight into the wind, but at what can it not sail to it?", "An angle."),
    _qa(TACK, "Into what can a sailing boat sail straight, but it cannot sail at an angle to it?", "The wind."),
    _cloze(JIB, "The jib is trimmed in a tack, but it is not {{c1::trimmed}} after the tack."),
    _qa(JIB, "The jib is trimmed in a tack, but when is it not trimmed?", "After the tack."),
    _cloze(RACE, "Beginners can tack quickly, but {{c1::experts}} cannot tack in under ten seconds.")],
    ids=_label)
def test_a_negation_moved_to_the_other_clause_on_a_word_both_say_is_refused(card):
    """"A sailing boat cannot sail straight into the wind, but it can sail at an angle to it" cannot back "... can
    sail straight into the wind, but it cannot sail at an angle to it": negations are read by key, and "sail", said
    in both clauses, is negated in the sentence and in the claim. Where a word that both clauses of a contrast say is
    negated in one only, each part of the claim read from one clause (by its words that only that clause says) says a
    negation where that clause negates the word, and none where that clause negates nothing."""
    assert _codes(card) == ["negation-mismatch"]


@pytest.mark.parametrize("card", [
    _qa(TACK, "A sailing boat cannot sail straight into what, but it can sail at an angle to it?", "The wind."),
    _cloze(TACK, "A sailing boat cannot sail straight into the wind, but it can sail at an {{c1::angle}} to it."),
    _qa(TACK, "A sailing boat cannot sail straight into the wind, but at what can it sail to it?", "An angle."),
    _qa(MAIN, "Although the jib must be pulled across quickly, what does not need trimming during a tack?",
        "The mainsail."),
    _cloze(MAIN, "The mainsail does not need {{c1::trimming}} during a tack, although the jib must be pulled across "
                 "quickly."),
    _qa("The jib is not trimmed in a tack", "What is not trimmed in a tack?", "The jib."),
    _qa(JIB, "The jib is not trimmed in a tack, but when is it trimmed?", "After the tack."),
    _cloze(JIB, "The jib is not trimmed in a tack, but it is {{c1::trimmed}} after the tack."),
    _cloze(RACE, "Beginners cannot tack quickly, but {{c1::experts}} can tack in under ten seconds."),
    _qa(RACE, "Who cannot tack quickly, but experts can tack in under ten seconds?", "Beginners.")], ids=_label)
def test_a_negation_kept_in_its_clause_on_a_word_both_say_passes(card):
    _passes(card)


# --- the two sides of "only when" swapped: a false card that passed --------------------------------------------------
def test_the_sides_of_only_when_swapped_are_refused():
    """"Only when the jib fills has the boat passed head to wind" passed for "the jib fills only when the boat has
    passed head to wind": the condition and its main clause swapped. "Only when", as "even when", is an ordering word of
    the sides rule (plain "when" is not: a question's "when" asks for a time)."""
    assert _codes(_cloze(ONLY, "Only when the jib fills has the boat passed {{c1::head}} to wind.")) == [
        "order-turned-round"]


@pytest.mark.parametrize("card", [
    _qa(ONLY, "When does the jib fill?", "Only when the boat has passed head to wind."),
    _cloze(ONLY, "Only when the boat has passed head to wind does the {{c1::jib}} fill."),
    _qa(ONLY, "What fills only when the boat has passed head to wind?", "The jib.")], ids=_label)
def test_the_sides_of_only_when_kept_pass(card):
    _passes(card)


# --- "than what?" asked in the second of two comparisons: an honest question that was refused ----------------------
def test_a_question_that_asks_the_second_of_two_comparisons_passes():
    """"A catamaran is wider than a monohull but lighter than what?" - "a keelboat" was refused: "compares with
    'keelboat', where the passage compares with 'monohull'". A question that asks "than what?" was read for one
    comparison only, the sentence's first. Where the sentence or the claim says "than" twice, each comparison of the
    question is read pair by pair, the one that asks with the answer."""
    _passes(_qa(WIDE, "A catamaran is wider than a monohull but lighter than what?", "A keelboat."))


@pytest.mark.parametrize("card", [
    _qa(WIDE, "A catamaran is wider than a keelboat but lighter than what?", "A monohull."),
    _qa(WIDE, "A catamaran is wider than what but lighter than a monohull?", "A keelboat."),
    _qa(FAST, "A light dinghy turns faster than what, and a dinghy holds its course better than a keelboat?",
        "A heavy keelboat.")], ids=_label)
def test_a_question_that_asks_one_of_two_comparisons_mixed_is_still_refused(card):
    assert _codes(card) == ["comparison-mismatch"]


@pytest.mark.parametrize("card", [
    _cloze(WAVE, "A wave may {{c1::stop}} the boat and turn its bow."),
    _qa(WAVE, "What may stop the boat and turn its bow?", "A wave.")], ids=_label)
def test_a_hedge_shared_by_two_verbs_joined_by_and_passes(card):
    """"A wave may stop the boat and turn its bow" says what "... may stop the boat and may turn its bow" says: a verb
    right after "and" shares the hedge of the verb it is joined to, and needs none of its own."""
    _passes(card)


# --- false cards aimed at the relaxations that the gate refuses: kept so that no later relaxation lets them pass -----
@pytest.mark.parametrize("card", [
    # a negation moved to the other clause
    _qa(MAIN, "The mainsail needs trimming during a tack, although what must not be pulled across quickly?",
        "The jib."),
    _cloze(MAIN, "The {{c1::mainsail}} needs trimming during a tack, although the jib does not need to be pulled "
                 "across quickly."),
    _qa(MAIN, "What does not need trimming during a tack, although the mainsail must be pulled across quickly?",
        "The jib."),
    _cloze(NEG2, "Beginners {{c1::tack}} in gusts, and experts do not do not gybe near rocks."),
    _cloze(NEG2, "Beginners do not tack in gusts, and experts {{c1::gybe}} near rocks."),
    _qa(NEG2, "Beginners do not tack in gusts, and who do not tack near rocks?", "Experts."),
    _qa(NEG2, "Beginners do not gybe in gusts, and who do not tack near rocks?", "Experts."),
    _qa(NEG2, "Beginners tack in gusts, and what do experts not do near rocks?", "Gybe."),
    _qa(NEG2, "Beginners do not tack in gusts, and what do experts do near rocks?", "Gybe."),
    _qa(NEG2, "Who do not tack in gusts, and experts gybe near rocks?", "Beginners."),
    _qa(NEG2, "Where don't beginners tack, and experts do gybe near rocks?", "In gusts."),
    # a comparison's pair mixed across two "than"s
    _qa(FAST, "What turns faster than a heavy keelboat, and a keelboat holds its course better than what?",
        "A light dinghy."),
    _qa(FAST, "What turns faster than a light dinghy, and a keelboat holds its course better than a dinghy?",
        "A heavy keelboat."),
    _cloze(FAST, "A light dinghy turns faster than a heavy {{c1::keelboat}}, and a dinghy holds its course better "
                 "than a keelboat."),
    _cloze(FAST, "A heavy keelboat turns faster than a light {{c1::dinghy}}, and a keelboat holds its course better "
                 "than a dinghy."),
    _cloze(FAST, "A light dinghy holds its course better than a heavy keelboat, and a keelboat turns {{c1::faster}} "
                 "than a dinghy."),
    _qa(WIDE, "A catamaran is wider than what but lighter than a monohull?", "A keelboat."),
    _cloze(WIDE, "A catamaran is lighter than a {{c1::monohull}} but wider than a keelboat."),
    _cloze(WIDE, "A {{c1::catamaran}} is wider than a keelboat but lighter than a monohull."),
    _qa(SHORTER, "What cost more speed than long tacks, but short tacks cover less ground than long ones?",
        "Short tacks."),
    _cloze(SHORTER, "Long tacks cost more speed than short tacks, but short tacks cover less {{c1::ground}} than "
                    "long ones."),
    _cloze(SHORTER, "Short tacks cost less {{c1::speed}} than long tacks, but long tacks cover less ground than "
                    "short ones."),
    _cloze(TWICE, "A crew of five tacks {{c1::twice}} as often as a crew of two."),
    # hedges
    _cloze(COULD, "The boom {{c1::can}} hit the crew, and a loose sheet could catch a foot."),
    _cloze(STALL, "A boat can {{c1::stall}} if it turns too slowly."),
    # conditions and exceptions moved or turned round
    _cloze(UNLESS, "The crew should not cross the {{c1::cockpit}} if the boom has passed overhead."),
    _qa(UNLESS, "Unless the crew has crossed the cockpit, what should not pass overhead?", "The boom."),
    _cloze(UNLESS, "Unless the crew crosses the cockpit, the {{c1::boom}} should not pass overhead."),
    _qa(EXCEPT, "Every sheet including the mainsheet is led to what?", "A winch."),
    _cloze(EXCEPT, "Only the {{c1::mainsheet}} is led to a winch."),
    _qa(ONLY, "The jib fills when the boat has passed what?", "Head to wind."),
    _cloze(WHEN, "In light wind, a boat tacks {{c1::sharply}}, and in strong wind it tacks slowly."),
    # limits on numbers
    _cloze(LIMIT, "A racing crew completes a tack in at least {{c1::eight}} seconds."),
    _qa(LIMIT, "In how many seconds at least does a racing crew complete a tack?", "Eight."),
    _cloze(SPEED, "A cruising yacht loses {{c1::two}} knots in each tack."),
    _cloze(ANGLE, "Most yachts sail closer than {{c1::45}} degrees to the wind."),
    _cloze(ANGLE, "Most yachts sail no further than {{c1::45}} degrees to the wind."),
    # lists and orders
    _cloze(ORDER, "The helmsman calls the tack, then the boat bears away, and finally the crew eases the {{c1::jib}}."),
    _cloze(ORDER, "The crew calls the tack, then the helmsman eases the {{c1::jib}}, and finally the boat bears away."),
    _qa(LIST, "What does the crew check before the race, after the sheets and the cleats?", "The winches."),
    _cloze(LIST, "The crew checks the sheets, the cleats and the {{c1::winches}} after the race."),
    # pronouns named as the wrong noun, and reasons turned round
    _qa(BECAUSE, "The keel resists sideways drift because what is deep and heavy?", "Its drift."),
    _cloze(BECAUSE, "The keel resists sideways drift because the {{c1::drift}} is deep and heavy."),
    _cloze(SO, "Skippers tack more often near the {{c1::shore}}, so the wind shifts there."),
    _qa(IT, "Why does the boom swing?", "Because the skipper warns the crew."),
    # adverbs moved
    _cloze(ADV, "The crew quickly cleats the sheet and hauls it {{c1::firmly}}."),
    _qa(ADV, "What does the crew haul firmly and cleat quickly?", "The sheet."),
    _qa(OFTEN, "Where do skippers rarely tack, and often tack in big waves?", "In flat water."),
    _cloze(OFTEN, "Skippers often tack in big waves and rarely tack in flat {{c1::water}}."),
    _cloze(OFTEN, "Skippers rarely tack in flat water and often tack in big {{c1::waves}}."),
    # leading clauses and their words swapped
    _qa(LEAD, "Before the race starts, what does the skipper study, and the crew chooses the course?", "The tide."),
    _qa(LEAD, "Before the course starts, what does the crew study, and the skipper chooses the race?", "The tide."),
    _cloze(LEAD, "Before the race starts, the skipper studies the {{c1::tide}}, and the crew chooses the course."),
    _cloze(LEAD, "Before the tide starts, the crew studies the {{c1::race}}, and the skipper chooses the course."),
    _qa(WHILE, "While the bow is backed, what is pushed round, but the mainsail stays loose?", "The jib."),
    _cloze(WHILE, "While the jib is backed, the {{c1::mainsail}} is pushed round, but the bow stays loose."),
    _cloze(WHILE, "While the mainsail is backed, the {{c1::bow}} is pushed round, but the jib stays loose."),
    _qa(UNTIL, "Until when does the crew keep the jib backed?", "Until the wind has passed the bow."),
    _cloze(UNTIL, "The crew keeps the {{c1::bow}} backed until the jib has passed the wind."),
    # a second round: leading phrases, lists at a link, conditions left out, "until when"
    _qa(LEAD, "Before the race starts, what does the crew choose, and the skipper studies the tide?", "The course."),
    _qa(KNOTS, "The crew ties the sheets to the clew with a hitch, and to what with a bowline?", "The cleats."),
    _cloze(KNOTS, "The crew ties the sheets to the clew with a {{c1::hitch}}, and to the cleats with a bowline."),
    _cloze(KNOTS, "The crew ties the sheets to the cleats with a {{c1::bowline}}, and to the clew with a hitch."),
    _cloze(STEPS, "Before a tack, the helmsman checks the wind behind the boat, the {{c1::water}} and the waves."),
    _cloze(GEAR, "On a keelboat the crew sits on the {{c1::side}}, and on a dinghy the crew stands in the cockpit."),
    _qa("The crew should not cross the cockpit", "What should the crew not cross?", "The cockpit."),
    _qa(UNTIL, "Until when does the crew keep the jib backed?", "Until the bow has not passed the wind."),
    _qa(UNTIL, "Until when does the jib keep the crew backed?", "Until the bow has passed the wind."),
    _qa(BECAUSE, "The keel's fin is deep and heavy because what does the keel resist?", "Sideways drift."),
    # a third round: negations after a leading phrase, comparison signs and limits before numbers, words of place
    _qa("In a gust, ... the crew eases the mainsheet", "In a gust, what doesn't the crew ease?", "The mainsheet."),
    _qa("In a gust, the helmsman does not bear away", "In a gust, who bears away?", "The helmsman."),
    _qa(GUST, "In a gust, who doesn't ease the mainsheet, but the helmsman bears away?", "The crew."),
    _cloze(GUST, "In a gust, the helmsman does not {{c1::ease}} the mainsheet, but the crew bears away."),
    _cloze(GUST, "In a gust, the helmsman bears away, but the crew does not ease the {{c1::mainsheet}}."),
    _cloze(DEPTH, "A keelboat needs water deeper than {{c1::1}} metre, and a dinghy needs less than 2 metres."),
    _cloze(DEPTH, "A keelboat needs water less than {{c1::2}} metres deep, and a dinghy needs deeper than 1 metre."),
    _cloze(WINDS, "Dinghies race in winds of at most {{c1::5}} knots and at least 25 knots."),
    _qa(WINDS, "Dinghies race in winds of at least how many knots and at most 5 knots?", "25."),
    _cloze(UNDER, "Above the deck, the crew crouches {{c1::low}}, and under the boom the sail fills."),
    _qa(UNDER, "Under what does the sail fill, and above the deck the crew crouches low?", "The boom."),
    _qa(LINES, "Sailors coil the halyards before the race and flake what after it?", "The sheets."),
    _cloze(LINES, "Sailors coil the {{c1::sheets}} after the race and flake the halyards before it."),
    _qa(LINES, "Before the race, what do sailors coil, and they flake the sheets after it?", "The halyards."),
    _qa(LINES, "After what do sailors flake the sheets, and coil the halyards before it?", "The race.")],
    ids=_label)
def test_a_false_card_aimed_at_a_relaxation_is_refused(card):
    _refused(card)


# --- false cards the gate cannot yet read: strict xfails, listed in README's gate limits ----------------------------
@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="which word a pronoun stands for is not read: any word of the sentence outside the pronoun's "
                          "clause that agrees with it in number may be named for it")
@pytest.mark.parametrize("card", [
    _qa(IT, "The skipper warns the crew before the boom swings, because what can strike their heads?", "The skipper."),
    _cloze(IT, "The skipper warns the crew before the boom swings, because the {{c1::crew}} can strike their heads."),
    _qa(IT, "The skipper warns the crew before what swings, because the crew can strike their heads?", "The boom."),
    _qa(THEY, "Sailors watch the telltales because what show how the air flows over the sail?", "Sailors."),
    _cloze(THEY, "Sailors watch the telltales because {{c1::sailors}} show how the air flows over the sail.")],
    ids=_label)
def test_a_pronoun_named_as_the_wrong_word_is_refused(card):
    _refused(card)


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="plain 'when' is no ordering word of the sides rule (a question's 'when' asks for a time), "
                          "so the clause it opens may be swapped with the main clause")
@pytest.mark.parametrize("card", [
    _cloze(TURN, "When the sails fill on the other side, the boat tacks and the {{c1::bow}} turns through the wind."),
    _qa(IRONS, "When it can drift backwards, what is the boat caught in?", "Irons.")],
    ids=_label)
def test_a_clause_of_when_swapped_with_its_main_clause_is_refused(card):
    _refused(card)


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="each word keeps a neighbour the sentence gives it, and a phrase that leads a clause ('in "
                          "strong wind') is not read with its own clause: two clauses joined by 'and' may trade them")
def test_two_clauses_said_in_the_other_order_with_their_leading_phrases_kept_in_place_are_refused():
    _refused(_cloze(WHEN, "In strong wind, a boat tacks slowly, and in light wind it tacks {{c1::sharply}}."))


def test_an_adverb_moved_onto_another_verb_is_refused():
    """"The crew hauls the sheet and quickly cleats it firmly" passed for "the crew hauls the sheet quickly and cleats
    it firmly": the adverb moved from one verb to right before another broke no pair of neighbours the neighbour rule
    reads ("and" stood before "cleats"). An adverb in "-ly" that the sentence says after a verb's object, put right
    before another of its words than that verb (the claim saying the verb), is refused."""
    for card in (_cloze(ADV, "The crew hauls the sheet and quickly cleats it {{c1::firmly}}."),
                 _qa(ADV, "What does the crew haul and quickly cleat firmly?", "The sheet.")):
        assert _codes(card) == ["neighbour-swapped"]


@pytest.mark.parametrize("card", [
    _cloze(ADV, "The crew quickly hauls the sheet and cleats it {{c1::firmly}}."),
    _qa(ADV, "What does the crew quickly haul and cleat firmly?", "The sheet."),
    _cloze(ADV, "The crew {{c1::quickly}} hauls the sheet and cleats it firmly."),
    _cloze(PULLS, "In a gust, the crew quickly pulls on the {{c1::sheet}}.")], ids=_label)
def test_an_adverb_moved_before_its_own_verb_passes(card):
    _passes(card)


def test_two_clauses_of_a_contrast_said_in_the_other_order_pass():
    """An honest card refused as clause-mixed (found here, not made by this session's rules): the sentence's second
    clause says "it" for "the jib", and "jib" was read as a word of the first clause alone, so a part that joined it to
    "after" joined two clauses. A later clause that opens with a pronoun of the first's subject's number says that
    subject too. A card that takes the negation of the other clause is still refused."""
    _passes(_qa(JIB, "Although the jib is trimmed after the tack, when is it not trimmed?", "In a tack."))
    assert _codes(_qa(JIB, "Although the jib is trimmed in a tack, when is it not trimmed?", "After the tack.")) == [
        "negation-mismatch"]


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="'why X? - so Y' is read as 'X, so Y', the sentence's own words; where X is done for Y it is "
                          "honest (test_attack_session13: 'why do mitre gates point upstream?' - 'so the pressure "
                          "...'), and which it is the gate cannot tell")
def test_a_result_given_as_a_purpose_is_refused():
    _refused(_qa(SO, "Why does the wind shift near the shore?", "So skippers tack more often there."))


def test_two_phrases_of_one_verb_said_in_the_other_order_pass():
    """An honest card refused as link-swapped (found here, not made by this session's rules): "..., and to the cleats
    with a hitch" links "cleats" to what the first "to" is anchored at, "sheets", but the second "to" has no anchor of
    its own, and "sheets to the cleats" was read as a link the sentence does not make. A link word that "and" or "or"
    leads shares the anchor of the last link before it by the same word. The phrases' own words may not be swapped."""
    _passes(_cloze(KNOTS, "The crew ties the sheets to the cleats with a {{c1::hitch}}, and to the clew with a "
                          "bowline."))
    _passes(_qa("The crew ties the sheets ... to the cleats with a hitch.", "To what does the crew tie the sheets with "
                "a hitch?", "The cleats."))
    assert _codes(_cloze(KNOTS, "The crew ties the sheets to the cleats with a {{c1::bowline}}, and to the clew with a "
                                "hitch.")) == ["link-swapped"]
    assert _codes(_cloze(KNOTS, "The crew ties the {{c1::cleats}} to the sheets with a bowline, and to the clew with a "
                                "hitch.")) == ["link-swapped"]
