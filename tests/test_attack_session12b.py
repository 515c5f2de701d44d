"""An independent review of gate round 7's rules (sides.py: verb-turned-round, kind-turned-round, the passive with
its "by" phrase first, "if" clauses through list commas, the active naming "bakers call X Y") on a document of our own
words: honest cards they refused (each a test that it passes) and false claims of the same families that passed (each
a test that it is refused). Those the gate cannot yet read are strict xfails, listed in README's gate limits."""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

import pytest

from deckgen.trace import Gate

from helpers import assert_passes, cloze_card, diagnostic_codes, gate_over, qa_card

OVEN = "The oven bakes the loaf, the crust, and the crumb evenly."
SHAPE = "The baker can shape the dough by hand."
RYE = "Rye flour, a whole-grain flour, holds much water."
DURUM = "Durum wheat, a hard wheat, makes good pasta."
SPELT = "Spelt flour, a kind of ancient flour, tastes nutty."
FLOURS = "Whole-grain flours, such as barley flour, hold much water."
COLD = "If the flour, the water, and the salt are cold, the dough rises slowly."
WEIGH = "Before the loaf is baked, the baker weighs the dough."
SOUR = "Lactic bacteria sour the rye dough slowly."
EAR = "Bakers call the scored flap the ear."
YEAST = "Yeast that ferments sugar releases carbon dioxide."
STEAM = "Steam, which softens the crust, fills the oven."
CRUMB = "The crumb is set by the heat of the oven."
BAKE = "Before the loaf, the roll, and the bun are baked, the baker weighs each piece."
TEXT = "\n\n".join([OVEN, SHAPE, RYE, DURUM, SPELT, FLOURS, COLD, WEIGH, SOUR, EAR, BAKE, YEAST, STEAM, CRUMB])


def _gate() -> Gate:
    """A gate over one document of TEXT alone, in a fresh folder."""
    return gate_over(Path(tempfile.mkdtemp(prefix="atk12b-")), "Bakery", TEXT)


GATE = _gate()


_qa, _cloze = qa_card, cloze_card
_codes, _passes = functools.partial(diagnostic_codes, GATE), functools.partial(assert_passes, GATE)


# --- verb-turned-round: honest cards it refused -------------------------------------------------------------------
def test_an_adverb_after_the_verb_of_a_question_asked_with_do_is_not_its_verb():
    """"What does the oven bake evenly?" - "the loaf, the crust, and the crumb": the question's last word, "evenly",
    was read as its verb, whose subject in the sentence is the run before it ("the crumb"), so the answer was put
    turned round. The verb is now the last word of the run that is no adverb in "-ly"."""
    _passes(_qa(OVEN, "What does the oven bake evenly?", "The loaf, the crust, and the crumb."))
    _passes(_qa(SHAPE, "What can the baker shape by hand?", "The dough."))
    assert _codes(_qa(OVEN, "What does the crumb bake evenly?", "The oven.")) != []


# --- verb-turned-round: false claims that passed ------------------------------------------------------------------
def test_an_object_asked_before_a_preposition_is_read_about_its_verb():
    """"What can the dough shape by hand?" - "the baker" turns "the baker can shape the dough by hand" round: a
    verb followed by a preposition ("by hand") was no verb whose object the question asks for, so nothing was read.
    A preposition that brings in a content word now ends the verb's phrase as a word of order does; one that ends
    the question ("what do X look different from?") still does not."""
    assert _codes(_qa(SHAPE, "What can the dough shape by hand?", "The baker.")) == ["verb-turned-round"]


def test_a_question_in_a_statements_order_asking_for_the_object_is_read_about_its_verb():
    """"The crust softens what?" - "steam" turns "steam, which softens the crust" round, and passed: only a question
    that starts with its wh-word was read (the real deck's "vascular calcification, which affects arteries and heart
    valves" took "arteries and heart valves affect what?" - "vascular calcification"). A question whose last word is
    "what" is now read with its subject the run before its verb, the answer its object."""
    assert _codes(_qa("Steam, which softens the crust ...", "The crust softens what?", "Steam.")) == [
        "verb-turned-round"]
    _passes(_qa("Steam, which softens the crust ...", "Steam softens what?", "The crust."))


# --- kind-turned-round: false claims that passed ------------------------------------------------------------------
@pytest.mark.parametrize("quote, question, answer", [
    ("Rye flour, a whole-grain flour ...", "What kind of flour is a whole-grain flour?", "Rye flour."),
    ("Durum wheat, a hard wheat ...", "What kind of wheat is a hard wheat?", "Durum wheat."),
    ("Spelt flour, a kind of ancient flour ...", "What type of flour is ancient flour?", "Spelt flour.")])
def test_a_kind_asked_of_its_member_is_refused_where_the_answer_names_the_kind_too(quote, question, answer):
    """"What kind of flour is a whole-grain flour?" - "rye flour" for "rye flour, a whole-grain flour": an answer
    that says the kind's noun ("flour") was taken for no member at all, so nothing was read. The answer's other
    words ("rye") are its member's now; and a kind said "a kind of N" is two words further from its member."""
    assert _codes(_qa(quote, question, answer)) == ["kind-turned-round"]


def test_a_kind_named_before_such_as_is_no_apposition():
    """"Whole-grain flours, such as barley flour": the kind comes first, and "what kind of flour is barley flour?" -
    "a whole-grain flour" asks the right way round. A kind is read only where the sentence says it "a N" or "a kind
    of N" (a guard for the rule above, which reads an answer that names the kind's noun)."""
    _passes(_qa("Whole-grain flours, such as barley flour ...", "What kind of flour is barley flour?",
                "A whole-grain flour."))
    _passes(_qa("Rye flour, a whole-grain flour ...", "What kind of flour is rye flour?", "A whole-grain flour."))
    _passes(_qa("Spelt flour, a kind of ancient flour ...", "What kind of flour is spelt flour?", "An ancient flour."))


# --- the active naming "call": false claims in the passive that passed ------------------------------------------
@pytest.mark.parametrize("card", [
    _qa(EAR, "What is called the scored flap by bakers?", "The ear."),
    _qa(EAR, "What is the ear called by bakers?", "The scored flap."),
    _cloze(EAR, "The ear is called {{c1::the scored flap}} by bakers.")], ids=lambda card: card.cloze or card.question)
def test_a_name_turned_round_in_the_passive_of_call_is_refused(card):
    """"Bakers call the scored flap the ear" says the flap is named "the ear"; "the ear is called the scored flap by
    bakers" says the other way round, and passed: the sentence's active "call" was read only against an active "call"
    of the claim, and a claim's "called" only against a "called" of the sentence. A claim's one "called" after a verb
    "be" is now read as the passive of "call": what it names right before it, the name right after it."""
    assert _codes(card) == ["naming-turned-round"]


def test_a_name_kept_in_the_passive_of_call_passes():
    _passes(_qa(EAR, "What is the scored flap called by bakers?", "The ear."))
    _passes(_qa(EAR, "What is also called the ear by bakers?", "The scored flap."))
    _passes(_cloze(EAR, "By bakers, the scored flap is called {{c1::the ear}}."))


# --- relative-turned-round: a false claim that passed --------------------------------------------------------------
def test_a_relative_clause_turned_round_in_a_question_asked_with_do_is_refused():
    """"What does yeast that releases carbon dioxide ferment?" - "sugar" swaps "yeast that ferments sugar releases
    carbon dioxide" about its "that": the sentence's "that" is read as a subject relative clause only where the claim
    keeps the word after each verb, and the question, read with its answer in the place of "what", left nothing after
    "ferment". The question is now read in a statement's order too ("yeast that releases carbon dioxide ferment
    sugar"), as the splice rule reads it."""
    assert _codes(_qa(YEAST, "What does yeast that releases carbon dioxide ferment?", "Sugar.")) == [
        "relative-turned-round"]
    _passes(_qa(YEAST, "What does yeast that ferments sugar release?", "Carbon dioxide."))


# --- passive-turned-round: a false claim that passed ---------------------------------------------------------------
def test_a_passive_with_its_by_phrase_first_turned_round_against_a_passive_is_refused():
    """"By the crumb, the heat of the oven is set" turns "the crumb is set by the heat of the oven" round, and
    passed: a claim's "by" phrase first was read only against a sentence that says the verb in the active. A
    sentence's passive with its agent gives the verb's subject after "by" and its object before "be" now."""
    assert _codes(_cloze(CRUMB, "By the crumb, {{c1::the heat of the oven}} is set.")) == ["passive-turned-round"]
    _passes(_cloze(CRUMB, "By the heat of the oven, {{c1::the crumb}} is set."))


# --- order-turned-round: false claims that passed -----------------------------------------------------------------
@pytest.mark.parametrize("quote, question, answer", [
    (COLD, "If the flour, the water, and the dough are cold, what rises slowly?", "The salt."),
    (BAKE, "Before the loaf, the roll, and the baker are baked, what weighs each piece?", "The bun.")])
def test_an_item_moved_into_a_leading_clause_whose_list_has_determiners_is_refused(quote, question, answer):
    """"If the flour, the water, and the dough are cold, what rises slowly?" - "the salt" puts the sentence's "dough"
    inside the "if" clause: the claim's clause was read only to its first comma, a list being runs of bare words,
    and the sentence's list ("the flour, the water, and the salt") was not one. Items may start with a determiner now
    where the list has three items or more, and the claim's own lists, as the sentence's, end no clause."""
    assert _codes(_qa(quote, question, answer)) == ["order-turned-round"]


def test_a_leading_clause_whose_list_has_determiners_kept_whole_passes():
    _passes(_qa(COLD, "If the flour, the water, and the salt are cold, what rises slowly?", "The dough."))
    _passes(_qa(BAKE, "Before the loaf, the roll, and the bun are baked, what does the baker weigh?", "Each piece."))
    _passes(_cloze(COLD, "If {{c1::the flour, the water, and the salt}} are cold, the dough rises slowly."))


# --- honest cards refused until gate round 8 ----------------------------------------------------------------------
def test_a_question_after_a_leading_before_clause_passes():
    """"Before the loaf is baked, what does the baker weigh?" - "the dough": with the answer in the place of "what"
    the link rule read "baked the dough" where the sentence has "baked, the baker". A wh-word that opens a clause after
    a comma takes the answer there, and the words before the comma are read apart (gate round 8)."""
    _passes(_qa(WEIGH, "Before the loaf is baked, what does the baker weigh?", "The dough."))
    assert _codes(_qa(WEIGH, "Before the dough is baked, what does the baker weigh?", "The loaf.")) != []


def test_an_adverb_moved_before_the_verb_passes():
    """"What do lactic bacteria slowly sour?" - "the rye dough" for "lactic bacteria sour the rye dough slowly": the
    neighbour rule read "bacteria slowly" as "bacteria" put in the place of "dough". An adverb in "-ly" put between a
    subject and its verb that the sentence puts side by side, where the sentence has it right after the verb's object,
    is moved with its verb (gate round 8)."""
    _passes(_qa(SOUR, "What do lactic bacteria slowly sour?", "The rye dough."))
    _passes(_cloze(SOUR, "Lactic bacteria slowly sour {{c1::the rye dough}}."))
    assert _codes(_qa(SOUR, "What does the rye dough slowly sour?", "Lactic bacteria.")) == ["neighbour-swapped"]


def test_a_list_after_a_leading_before_reordered_passes():
    """"Before the bun, the roll, and the loaf are baked, what does the baker weigh?" - "each piece" says what the
    sentence says, its list in another order; the link rule reads "before the bun" where the sentence says "before
    the loaf". A link's far end that begins a list of the sentence may be any of its items where the claim's words
    there are the list's items, all of them and no other (gate round 8)."""
    _passes(_qa(BAKE, "Before the bun, the roll, and the loaf are baked, what does the baker weigh?", "Each piece."))
