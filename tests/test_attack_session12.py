"""An independent review of session 12's two gate rules, clauses-spliced (splices.py) and qualifier-missing
(textnorm.qualifier_bindings), on documents of our own words: honest cards they refused (each a test that it passes)
and false claims of the same families that pass (each a test that it is refused; those the gate cannot yet read are
strict xfails, listed in README's gate limits)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from deckgen.cards import load_project
from deckgen.diagnostics import Location
from deckgen.model import Card, CardKind, SourceRef
from deckgen.sources import load_corpus
from deckgen.textnorm import Vocabulary
from deckgen.trace import Gate

from helpers import REPO, assert_passes, cloze_card, diagnostic_codes, gate_over, qa_card

QUEEN = "The queen leaves the hive once, and the queen lays eggs for years."
BAKER = "The baker bakes bread that the baker sells at dawn."
COOK = "The cook adds salt to the soup, and the cook adds sugar to the tea."
WORKERS = "Young workers clean the cells, and older workers gather nectar."
GUARDS = "Guards check each bee that lands, and guards chase away each wasp that lands."
GARDEN = "Bees visit the garden often, and the queen stays in the hive."
SWARM = "Bees usually, if not always, swarm in spring."
OPENING = "Usually, the swarm settles on a branch near the old hive."
COMMON = "Honeybees are the most social insects of the meadow."
FORAGE = "Older bees often forage for nectar."
DRONES = "In most colonies the drones die in autumn."
STORE = "They store honey in the upper comb and they store pollen in the lower comb."
TEXT = "\n\n".join([QUEEN, BAKER, COOK, WORKERS, GUARDS, GARDEN, SWARM, OPENING, COMMON, FORAGE, DRONES, STORE])
# cards/synonyms.yaml of a deck that lets a card say "frequently" where its source says "often"
SYNONYMS = (("often", "frequently"),)


def _real_gate() -> Gate:
    """A gate over the real deck's sources, with its synonyms and lexicon."""
    project, _ = load_project(REPO)
    corpus, _ = load_corpus(REPO)
    return Gate(corpus, Vocabulary(project.synonyms, project.lexicon))


def _gate_of(text: str, synonyms: tuple[tuple[str, ...], ...] = ()) -> Gate:
    """A gate over one document of `text` alone, in a fresh folder, with the deck's synonym groups."""
    return gate_over(Path(tempfile.mkdtemp(prefix="atk12-")), "Hive", text, synonyms)


def _gate(tmp_path: Path, synonyms: tuple[tuple[str, ...], ...] = ()) -> Gate:
    return gate_over(tmp_path, "Hive and kitchen", TEXT, synonyms)


_qa, _cloze, _codes, _passes = qa_card, cloze_card, diagnostic_codes, assert_passes


# --- clauses-spliced: honest cards it refused --------------------------------------------------------------------
# A subject the sentence says again after ", and" (or in a relative clause, "bread that the baker sells") was read as
# "and" on its left, which the claim's start of text never agreed with: every claim about the second clause was
# "spliced" from the first clause's subject. A claim's start agrees with a clause's start now (splices._agree).
HONEST_SPLICES = [
    _qa("... the queen lays eggs ...", "What does the queen lay?", "Eggs."),
    _cloze("... the queen lays eggs for years.", "The queen {{c1::lays}} eggs for years."),
    _cloze("... the queen lays eggs ...", "The queen lays {{c1::eggs}}."),
    _qa("... bread that the baker sells at dawn.", "What does the baker sell at dawn?", "Bread."),
    _cloze("... the cook adds sugar to the tea.", "The cook adds {{c1::sugar}} to the tea."),
]


@pytest.mark.parametrize("card", HONEST_SPLICES, ids=lambda card: card.cloze or card.question)
def test_a_claim_about_a_later_clause_with_the_same_subject_passes(tmp_path, card):
    _passes(_gate(tmp_path), card)


# --- clauses-spliced: false claims that passed -------------------------------------------------------------------
def test_a_question_asked_with_do_about_a_bare_subject_is_read_in_a_statements_order(tmp_path):
    """"What do young workers gather?" - "nectar" joins the first clause's "young workers" to the second's "gather
    nectar": the cloze was refused, the question passed, its subject having no determiner, which was the only phrase
    the question was read in a statement's order for. The verb is now the question's word that the sentence puts
    right before the answer's first word ("gather nectar"), as in "what does the cook add to the tea?" ("adds
    sugar")."""
    gate = _gate(tmp_path)
    assert _codes(gate, _qa("Young workers ... gather nectar.", "What do young workers gather?", "Nectar.")) == [
        "clauses-spliced"]
    _passes(gate, _qa("... older workers gather nectar.", "What do older workers gather?", "Nectar."))
    _passes(gate, _qa("... the cook adds sugar to the tea.", "What does the cook add to the tea?", "Sugar."))


def test_a_verb_of_the_subjects_relative_clause_is_not_read_as_the_questions_verb():
    """The real deck's "any medicine that increases the level of calcium or phosphorus in the body can increase the
    chance that calcium deposits will form", asked "what can any medicine that increases ... increase?": the subject's
    own "increases" comes first, and read as the question's verb it put the answer inside the subject, a splice of
    the two "increase"s. The question's verb is the last word the sentence puts before the answer."""
    _passes(_real_gate(), _qa("Any medicine that increases the level of calcium or phosphorus in the body can increase "
                              "the chance that calcium deposits will form.",
                              "What can any medicine that increases the level of calcium or phosphorus in the body "
                              "increase?", "The chance that calcium deposits will form.", "calcium-deposits-on-face"))


@pytest.mark.parametrize("card", [
    _qa("The cook adds salt to the ... tea.", "What does the cook add to the tea?", "Salt."),
    _qa("Guards check ... each wasp that lands.", "What do guards check?", "Each wasp that lands."),
    _qa("They store honey in the ... lower comb.", "What do they store in the lower comb?", "Honey."),
], ids=lambda card: card.question + " " + card.answer)
def test_a_quote_spliced_across_a_repeated_function_word_is_refused(tmp_path, card):
    """Gate round 8: a " ... " that skips from a word's function words ("to the", "each") to the same words at
    another place of the sentence joins the one place's words to the other's; the rest of what it skips ending with
    "and" or "or" (a list: "to the soup and to the tea") is no splice."""
    assert _codes(_gate(tmp_path), card) == ["clauses-spliced"]


def test_a_quote_that_skips_to_an_item_of_the_same_list_passes():
    gate = _gate_of("The cook adds salt to the soup and to the tea.\n\nGuards check each bee and each wasp.")
    _passes(gate, _qa("The cook adds salt to the ... tea.", "What does the cook add to the tea?", "Salt."))
    _passes(gate, _qa("Guards check ... each wasp.", "What do guards check?", "Each wasp."))


def test_a_splice_across_a_repeated_preposition_is_refused(tmp_path):
    """"What does the cook add to the soup?" - "sugar" joins "adds sugar to" to the other "to"'s "the soup", its quote
    holding no " ... " between the two places. Gate round 8 reads a repeated preposition as a word said twice, but only
    after a word of its own, at the places of the sentence that follow one: an earlier try that read every preposition
    refused two honest real cards, whose repeated "on" or "of" follows "and" ("the article of a feminine noun, and of
    every noun in the plural") or starts the claim ("on the skin, ...")."""
    card = _qa("... the soup, and the cook adds sugar ...", "What does the cook add to the soup?", "Sugar.")
    assert _codes(_gate(tmp_path), card) == ["clauses-spliced"]


def test_a_preposition_repeated_after_and_is_no_splice():
    gate = _gate_of("The cook adds salt to the soup and to the tea.\n\n"
                    "Der is the article of a masculine noun, and of every noun in the plural.")
    _passes(gate, _qa("The cook adds salt to the soup and to the tea.", "To what does the cook add salt?",
                      "To the soup and to the tea."))
    _passes(gate, _qa("Der is the article of ... every noun in the plural.", "What is the article of every noun in the "
                      "plural?", "Der."))


@pytest.mark.parametrize("question, answer", [
    ("Which workers gather nectar?", "Young workers."),
    ("Which workers clean the cells?", "Older workers.")])
def test_an_answer_that_says_the_repeated_word_again_is_read(tmp_path, question, answer):
    """"Which workers gather nectar?" - "young workers" joins the first clause's "young workers" to the second's
    "gather nectar": words the answer says were not read by the splice rule, so that a name may say the question's
    kind again ("which type of calcification?" - "iatrogenic calcification"). The noun right after "which", where the
    answer ends with it after a word of its own, names no kind: which of its places the answer means is read."""
    quote = "Young workers ... gather nectar." if "nectar" in question else "... clean the cells, and older workers ..."
    assert _codes(_gate(tmp_path), _qa(quote, question, answer)) == ["clauses-spliced"]


@pytest.mark.parametrize("question, answer", [
    ("Which workers gather nectar?", "Older workers."),
    ("Which workers clean the cells?", "Young workers."),
    ("Which workers gather nectar?", "The older workers.")])
def test_an_answer_that_says_the_repeated_word_at_its_place_passes(tmp_path, question, answer):
    quote = "... older workers gather nectar." if "nectar" in question else "Young workers clean the cells ..."
    _passes(_gate(tmp_path), _qa(quote, question, answer))


# --- qualifier-missing: honest cards it refused ------------------------------------------------------------------
def test_a_qualifier_that_ends_the_clause_before_qualifies_nothing_after_it(tmp_path):
    """"Bees visit the garden often, and the queen stays in the hive": "often" ends its clause, and was bound to the
    next content word, across the comma and "and": "the queen" - so a card about where the queen stays, quoted from
    right after it, was refused as leaving out "often"."""
    gate = _gate(tmp_path)
    _passes(gate, _qa("... the queen stays in the hive.", "Where does the queen stay?", "In the hive."))


def test_a_qualifier_said_by_a_synonym_of_the_deck_is_kept(tmp_path):
    """A deck whose cards/synonyms.yaml makes "frequently" one word with "often" lets a card say it for "often"; the
    rule compared the words as written, and refused it."""
    gate = _gate(tmp_path, SYNONYMS)
    _passes(gate, _cloze(FORAGE, "Older bees {{c1::frequently}} forage for nectar."))
    _passes(gate, _qa("Older bees often forage for nectar.", "What do older bees frequently forage for?", "Nectar."))
    assert _codes(gate, _qa("Older bees ... forage for nectar.", "What do older bees forage for?", "Nectar.")) == [
        "qualifier-missing"]


def test_most_after_the_is_a_superlative_not_a_qualifier(tmp_path):
    """"The most social insects" ranks; it does not narrow how many or how often: what holds of the most social
    insects holds of social insects."""
    _passes(_gate(tmp_path), _qa("Honeybees are the ... social insects of the meadow.",
                                 "Of which meadow are honeybees social insects?", "The meadow."))


def test_most_before_another_qualifier_is_a_superlative():
    """The real deck's "They are most commonly found on the elbows, fingers, or shins": "most" was bound to
    "commonly", so "where are they commonly found?" was refused for leaving out "most"; what is most commonly found
    there is commonly found there."""
    _passes(_real_gate(), _qa("They are ... commonly found on the elbows, fingers, or shins",
                              "Where are they commonly found?", "On the elbows, fingers, or shins.",
                              "calcium-deposits-in-skin"))


# --- qualifier-missing: false claims that passed -----------------------------------------------------------------
def test_a_qualifier_set_apart_by_commas_qualifies_its_clause(tmp_path):
    """"Bees usually, if not always, swarm in spring": "usually" was bound past "if not" to "always", which no card
    says, so "bees ... swarm in spring" passed as "bees swarm in spring". A qualifier that a comma ends binds the
    word before it; one that opens the sentence ("Usually, the swarm ...") the first word after the comma."""
    gate = _gate(tmp_path)
    assert _codes(gate, _qa("Bees ... swarm in spring.", "When do bees swarm?", "In spring.")) == ["qualifier-missing"]
    assert _codes(gate, _qa("Usually, the swarm settles ... near the old hive.", "Where does the swarm settle?",
                            "Near the old hive.")) == ["quote-says-more"]
    assert _codes(gate, _qa("... the swarm settles ... near the old hive.", "Where does the swarm settle?",
                            "Near the old hive.")) == ["qualifier-missing"]


def test_a_qualifying_phrase_that_opens_the_clause_qualifies_the_clause():
    """"In most colonies the drones die in autumn": "most" was bound to "colonies" only, so "... the drones die in
    autumn" passed as "the drones die in autumn", and three words before the quote it was not read at all ("In most
    healthy colonies, ..."). A qualifier after a preposition that opens its clause qualifies the clause's first word
    after the phrase too, and a qualifier before the quote is read where it qualifies a word of the quote."""
    gate = _gate_of(DRONES + "\n\nIn most healthy colonies, the drones leave in spring.\n\n"
                             "On some days the bees rest, and the keeper opens the hive.")
    assert _codes(gate, _qa("... the drones die in autumn.", "When do the drones die?", "In autumn.")) == [
        "qualifier-missing"]
    assert _codes(gate, _qa("... the drones leave in spring.", "When do the drones leave?", "In spring.")) == [
        "qualifier-missing"]
    _passes(gate, _cloze(DRONES, "In most colonies the drones die in {{c1::autumn}}."))
    # the phrase's clause only: the keeper's clause after ", and" is not qualified by "on some days"
    _passes(gate, _qa("... the keeper opens the hive.", "What does the keeper open?", "The hive."))


SAYING = ("Some say smoke calms the bees, but smoke only masks the alarm scent.\n\n"
          "Many keepers believe that smoke calms the bees.")


def _claimed(quote: str, question: str, answer: str) -> Card:
    """A card tagged evidence::claim: it words what it states as someone's claim."""
    where = Location("cards/t.yaml", 3, 5)
    return Card("t", CardKind.QA, "T", question, answer, "", "", ("evidence::claim",),
                (SourceRef("doc", quote, where),), "", where)


def test_what_some_say_is_not_stated_as_fact():
    """"Some say smoke calms the bees": "some" was bound to "say" only, so "... smoke calms the bees" passed as "what
    calms the bees? - smoke", a fact where the sentence reports what some say; so did "many keepers believe that
    ...". A qualifier of one who says or believes qualifies what they say too."""
    gate = _gate_of(SAYING)
    assert _codes(gate, _qa("... smoke calms the bees", "What calms the bees?", "Smoke.")) == ["qualifier-missing"]
    assert _codes(gate, _qa("... smoke calms the bees.", "What calms the bees?", "Smoke.")) == ["qualifier-missing"]
    assert _codes(gate, _qa("... keepers believe that smoke calms the bees.", "What do keepers believe calms the "
                            "bees?", "Smoke.")) == ["qualifier-missing"]
    _passes(gate, _cloze("Some say smoke calms the bees", "Some say smoke calms the {{c1::bees}}."))


def test_a_card_that_words_it_as_a_claim_may_report_what_some_say():
    """A card tagged evidence::claim that says "it is claimed" reports what some say as said: the qualifier of the
    ones who say it is not asked of it (that of the sayers themselves still is: "keepers believe ...")."""
    gate = _gate_of(SAYING)
    _passes(gate, _claimed("... smoke calms the bees.", "What is it claimed calms the bees?", "Smoke."))
    _passes(gate, _claimed("... smoke calms the bees", "It is claimed that smoke calms what?", "The bees."))


LAYING = "A queen can lay 2,000 eggs in a day, and a worker can lay 20 eggs in a week."


@pytest.mark.parametrize("quote, question, answer", [
    ("A queen can lay ... 20 eggs in a week.", "How many eggs can a queen lay in a week?", "20."),
    ("... 2,000 eggs in a day, and a worker can lay ...", "How many eggs can a worker lay in a day?", "2,000."),
])
def test_how_many_asked_across_two_places_is_refused(quote, question, answer):
    """"How many eggs can a queen lay in a week?" - "20" joins the queen's "can lay" to the worker's "20 eggs in a
    week": the count rule finds "20 eggs" and the question was read in no statement's order. "How many N does X
    V ...?" is now read as "X V <number> N ..." where the sentence puts the number after that verb."""
    assert _codes(_gate_of(LAYING), _qa(quote, question, answer)) == ["clauses-spliced"]


@pytest.mark.parametrize("quote, question, answer", [
    ("A queen can lay 2,000 eggs in a day", "How many eggs can a queen lay in a day?", "2,000."),
    ("... a worker can lay 20 eggs in a week.", "How many eggs can a worker lay in a week?", "20."),
])
def test_how_many_asked_of_one_place_passes(quote, question, answer):
    _passes(_gate_of(LAYING), _qa(quote, question, answer))


def test_some_of_one_unnamed_thing_narrows_nothing():
    """"For some reason, the bees left the hive in June": "some reason" is one reason not named, not a part of the
    reasons, and "the bees left the hive in June" holds as it stands; so does "the smoke confuses the guards" of "in
    some way the smoke confuses the guards". The phrase rule of 015d7d6 refused both."""
    gate = _gate_of("For some reason, the bees left the hive in June.\n\nIn some way the smoke confuses the guards.")
    _passes(gate, _cloze("... the bees left the hive in June.", "The bees left the {{c1::hive}} in June."))
    _passes(gate, _qa("... the smoke confuses the guards.", "What does the smoke confuse?", "The guards."))


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="the splice rule reads two words on each side of a repeated word: 'the bees that guard the "
                          "hive' agrees with the first 'bees' on both sides, and the predicate taken from the second "
                          "('do not sting') is further away than that")
def test_a_predicate_taken_from_the_other_place_of_its_subject_is_refused():
    gate = _gate_of("The bees that guard the hive sting, and the bees that forage do not sting.")
    assert _codes(gate, _cloze("... the bees that guard the hive ... do not sting.",
                               "The bees that {{c1::guard the hive}} do not sting.")) != []


def test_a_qualifying_phrase_of_the_decks_synonyms_is_a_qualifier():
    """A deck whose synonyms.yaml makes "in most cases" one word with "usually" folds the phrase into one term, which
    no qualifier word was: "... the swarm settles on a branch" passed for "in most cases the swarm settles on a
    branch". A synonym phrase that says a qualifier is one, and one that opens with a preposition opens its clause;
    a card may still say it by any word of its group."""
    gate = _gate_of("In most cases the swarm settles on a branch.", (("usually", "in most cases"),))
    assert _codes(gate, _qa("... the swarm settles on a branch.", "Where does the swarm settle?", "On a branch.")) == [
        "qualifier-missing"]
    _passes(gate, _cloze("In most cases the swarm settles on a branch.",
                         "The swarm usually settles on a {{c1::branch}}."))
