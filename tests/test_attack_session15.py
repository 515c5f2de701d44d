"""A measurement of the claim gate on a fresh document of our own words about glaciers (43 sentences): 158 false cards,
each a claim its quoted sentence does not make, written with the quote an attacker would cut to fit the claim, and 78
honest ones a careful author would write (quotes cut with " ... " to what the card claims). A false card that passes
is a strict xfail test that it is refused; an honest card refused is a strict xfail test that it passes, but for
those refused by the documented rule that a question's content words ("made", "how long", "Alpine") must be in the
passage, kept as plain tests of that rule. A sample of the false cards refused and of the honest cards passing are
plain tests."""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

import pytest

from deckgen.trace import Gate

from helpers import (assert_passes, assert_refused, card_label, cloze_card, diagnostic_codes, gate_over,
                     known_limit, qa_card)

ACCUM = "A glacier forms where more snow falls in winter than melts in summer."
FIRN = "Snow that survives a whole summer is called firn."
ICE = "Firn turns into glacier ice when the air between its grains is squeezed out."
BLUE = "Glacier ice looks blue because it absorbs red light more strongly than blue light."
FLOW = "Ice flows downhill under its own weight."
CENTRE = ("The centre of a valley glacier moves faster than its edges, which are slowed by friction with the valley "
          "walls.")
SURFACE = "The surface of a glacier moves faster than its base."
BRITTLE = "The upper 50 metres of a glacier are brittle, so they crack into crevasses."
DEEP = "Below about 50 metres, the ice deforms slowly without cracking."
SLIDE = "A glacier slides over its bed when meltwater collects beneath it."
FROZEN = "Glaciers that are frozen to their beds do not slide."
PLUCK = "Plucking happens when ice freezes onto loose rock and tears it away."
ABRASION = "Rocks carried in the base of the glacier scratch the bedrock like sandpaper."
STRIAE = "The scratches, called striations, show the direction in which the ice moved."
UVALLEY = "Glaciers carve U-shaped valleys, whereas rivers cut V-shaped ones."
CIRQUE = "A cirque is a bowl-shaped hollow that a glacier has carved into a mountainside."
ARETE = "Where two cirques meet back to back, a sharp ridge called an arête is left between them."
MORAINE = "A moraine is a ridge of rock debris that a glacier has deposited."
TERMINAL = "The terminal moraine marks the furthest point that the glacier reached."
ERRATIC = "Erratics are boulders that were carried far from their source by ice and left on different bedrock."
DRUMLIN = "Drumlins are smooth hills of till whose steep ends face the direction from which the ice came."
RETREAT = "A glacier retreats if it loses more ice at its snout than it gains from snowfall."
SNOUT = "Even while a glacier retreats, its ice keeps moving forward."
CALVING = "Tidewater glaciers lose ice by calving, in which blocks break off into the sea."
ICEBERG = "Only about a tenth of an iceberg's mass floats above the water."
SHEETS = "Antarctica and Greenland are covered by ice sheets, which are larger than 50,000 square kilometres."
ANTARCTIC = "The Antarctic ice sheet holds about 90 percent of the world's ice."
THICK = "In places the Antarctic ice is more than 4 kilometres thick."
SEALEVEL = "If all of Greenland's ice melted, sea level would rise by about 7 metres."
REBOUND = "The land rises slowly after an ice sheet melts, because the weight pressing it down has gone."
CORES = "Scientists drill ice cores to study the air trapped in bubbles of old ice."
OLDEST = "The oldest continuous ice core covers about 800,000 years."
SURGE = "A surging glacier can advance up to 100 times faster than normal for a few months."
ALBEDO = "Fresh snow reflects most of the sunlight that falls on it, but dark debris absorbs heat and speeds melting."
DUST = "Dust on the ice surface lowers its reflectivity, so the ice melts faster."
SURVEYORS = ("Surveyors measure a glacier's speed by fixing stakes in the ice and recording their positions each "
             "year.")
ALPS = "Glaciers in the Alps have lost more than half of their volume since 1850."
FJORD = "A fjord is a glacial valley that the sea flooded after the ice withdrew."
TILL = "Till is not sorted by size, unlike the sand and gravel that meltwater streams lay down."
CLIMBERS = "Climbers must rope together on a glacier unless the crevasses are clearly visible."
BERG = "The bergschrund separates the moving ice from the ice that stays frozen to the headwall."
TEMPERATE = "Temperate glaciers are at their melting point throughout, while polar glaciers stay below it."
LAKES = "Meltwater lakes dammed by ice may drain suddenly and flood the valley below."
TEXT = "\n\n".join([
    ACCUM, FIRN, ICE, BLUE, FLOW, CENTRE, SURFACE, BRITTLE, DEEP, SLIDE, FROZEN, PLUCK, ABRASION, STRIAE, UVALLEY,
    CIRQUE, ARETE, MORAINE, TERMINAL, ERRATIC, DRUMLIN, RETREAT, SNOUT, CALVING, ICEBERG, SHEETS, ANTARCTIC, THICK,
    SEALEVEL, REBOUND, CORES, OLDEST, SURGE, ALBEDO, DUST, SURVEYORS, ALPS, FJORD, TILL, CLIMBERS, BERG, TEMPERATE,
    LAKES])


GATE: Gate = gate_over(Path(tempfile.mkdtemp(prefix="atk15-")), "Glaciers", TEXT)  # TEXT alone, in a fresh folder
_qa, _cloze, _label = qa_card, cloze_card, card_label
_codes, _passes = functools.partial(diagnostic_codes, GATE), functools.partial(assert_passes, GATE)


_refused = functools.partial(assert_refused, GATE)


_limit = known_limit


# --- false cards that pass -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("card", [
    _qa("The centre of a valley glacier moves faster than its edges",
        "Which moves faster, the centre of a valley glacier or its edges?", "Its edges."),
    _qa("The centre of a valley glacier moves faster than its edges",
        "Which moves faster, the edges of a valley glacier or its centre?", "The edges."),
    _qa(SURFACE, "Which moves faster, a glacier's surface or its base?", "Its base."),
    _qa("The surface of a glacier moves faster than its base",
        "Which moves faster, the surface of a glacier or its base?", "The base.")], ids=_label)
def test_the_slower_one_named_by_a_which_question_is_refused(card):
    """The sentence says the centre (the surface) is the faster; the card names the other. A "which ..., A or B?"
    question says no "than", so the comparison rule has none to compare; the rule of the chosen side reads the
    answer against the sentence's "than" whose comparative the question names: a word the sentence has only after
    it is what the sentence compares with, not the one it says is faster."""
    assert "comparison-mismatch" in _codes(card)


@pytest.mark.parametrize("card", [
    _qa("The centre of a valley glacier moves faster than its edges",
        "Which moves faster, the centre of a valley glacier or its edges?", "Its centre."),
    _qa("The centre of a valley glacier moves faster than its edges",
        "Which moves faster, the edges of a valley glacier or its centre?", "The centre."),
    _qa(SURFACE, "Which moves faster, a glacier's surface or its base?", "Its surface."),
    _qa(SURFACE, "What does the surface of a glacier move faster than?", "Its base.")], ids=_label)
def test_the_faster_one_named_by_a_which_question_passes(card):
    """The same questions answered with what the sentence says before its "than"; and "than what?" answered with what
    it says after it."""
    _passes(card)


@_limit("a naming 'called' after a relative clause is not read for which side of it each word stands on")
@pytest.mark.parametrize("card", [
    _cloze(FIRN, "{{c1::Firn}} that survives a whole summer is called snow."),
    _qa(FIRN, "What is firn that survives a whole summer called?", "Snow."),
    _qa(FIRN, "Firn that survives a whole summer is called what?", "Snow.")], ids=_label)
def test_a_name_traded_across_called_after_a_relative_clause_is_refused(card):
    """"Snow that survives a whole summer is called firn": the card names the firn "snow", the word the sentence has
    before "called" put after it. "What are striations called?" for "the scratches, called striations" is refused as
    naming-turned-round; a relative clause between the named word and "called" hides the turn."""
    _refused(card)


# --- false cards that lean on where the quote is cut (quote-cuts-phrase, cuts.py) ----------------------------------
@pytest.mark.parametrize("card", [
    _qa("Till is not sorted by size, ... the sand and gravel that meltwater streams lay down",
        "Like the sand and gravel that meltwater streams lay down, what is not sorted by size?", "Till."),
    _qa("Glaciers in the Alps have lost more than half of their volume ... 1850",
        "How much of their volume had glaciers in the Alps lost by 1850?", "More than half.")], ids=_label)
def test_a_relation_word_skipped_by_the_quote_and_replaced_is_refused(card):
    """The sentence sets till against the sand ("unlike") and counts the loss from 1850 ("since"); the card says till
    is like the sand, and that the loss was done by 1850. The quote cuts out just that word, and the card's own
    ("like", "by") is a stop-word, so nothing new is said and nothing quoted is dropped: a ' ... ' that ends with a
    preposition the card does not say keeps its object without it."""
    assert _codes(card) == ["quote-cuts-phrase"]


@pytest.mark.parametrize("card", [
    _qa("A moraine is a ridge of rock debris that ... has deposited", "What has a moraine deposited?",
        "A ridge of rock debris."),
    _qa("A cirque ... a glacier has carved into a mountainside", "What has a cirque carved into a mountainside?",
        "A glacier."),
    _qa("The centre of a valley glacier ... which are slowed by friction with the valley walls",
        "What slows the centre of a valley glacier?", "Friction with the valley walls."),
    _qa("Plucking happens when ice ... loose rock and tears it away", "What happens when loose rock tears ice away?",
        "Plucking."),
    _qa("A fjord is a glacial valley that ... flooded after the ice withdrew",
        "What did a fjord flood after the ice withdrew?", "A glacial valley."),
    _qa("Antarctica and Greenland ... which are larger than 50,000 square kilometres",
        "Which are larger than 50,000 square kilometres?", "Antarctica and Greenland."),
    _qa("Erratics are boulders that were carried far from ... ice",
        "What are erratics boulders that were carried far from?", "Ice."),
    _qa("Till ... meltwater streams lay down", "What do meltwater streams lay down?", "Till.")], ids=_label)
def test_a_role_made_up_across_the_quotes_skip_is_refused(card):
    """Each cut leaves words in an order that reads as another sentence: "a moraine is a ridge of rock debris that ...
    has deposited" (the glacier deposited it: the skip is the subject of the clause "that" opens), "a cirque ... a
    glacier has carved" (the hollow that the glacier carved: the skip ends with that clause's "that"), "the centre ...
    which are slowed" (the edges are: the skip is what "which" is about), "when ice ... loose rock" (the ice freezes
    onto the rock: the skip ends with the preposition that joins them), "till ... meltwater streams lay down" (they lay
    down the sand and gravel: the skip ends with the "that" of a clause about them)."""
    assert _codes(card) == ["quote-cuts-phrase"]


@_limit("words the quote's ' ... ' brings together are not read as the subject, verb or object the sentence gives them")
@pytest.mark.parametrize("card", [
    _qa("Erratics are ... carried far from their source by ice", "What carried ice far from its source?",
        "Erratics."),
    _qa("Surveyors ... fixing stakes in the ice ... each year", "What do surveyors fix in the ice each year?",
        "Stakes.")], ids=_label)
def test_a_role_made_up_across_a_skip_of_a_whole_stretch_is_refused(card):
    """"Erratics are ... carried" is the quote of an honest card ("what carried erratics far from their source?" —
    "ice"), and the card turns its subject and object round; "surveyors ... fixing stakes" skips five words to its
    "by", more than a phrase (the rule reads three)."""
    _refused(card)


@pytest.mark.parametrize("card", [
    _qa("Firn turns into glacier ice when ... its grains is squeezed out",
        "What is squeezed out when firn turns into glacier ice?", "Its grains."),
    _qa("The scratches, called striations, show the direction in which ... moved", "What do striations show?",
        "The direction in which the scratches moved."),
    _qa("The scratches, called striations, show the direction in which ... moved",
        "What show the direction in which striations moved?", "The scratches."),
    _qa("Where two cirques meet back to back, a sharp ridge called ... is left between them",
        "Where two cirques meet back to back, what is left between them?", "A sharp ridge called a cirque."),
    _cloze("Where two cirques meet back to back, a sharp ridge called ... is left between them",
           "Where two cirques meet back to back, a sharp ridge called a {{c1::cirque}} is left between them.")],
    ids=_label)
def test_a_phrase_given_to_another_noun_across_the_quotes_skip_is_refused(card):
    """The air is squeezed out, not the grains; the ice moved, not the scratches; the ridge is called an arête. Each
    cut takes out the noun and the card puts in its place a word the sentence says elsewhere."""
    assert _codes(card) == ["quote-cuts-phrase"]


@pytest.mark.parametrize("card", [
    _qa("glaciers lose ice by calving", "What lose ice by calving?", "Glaciers."),
    _qa("The ... moraine marks the furthest point that the glacier reached",
        "What marks the furthest point that the glacier reached?", "The moraine."),
    _qa("The oldest ... ice core covers about 800,000 years", "How many years does the oldest ice core cover?",
        "About 800,000."),
    _qa("lakes dammed by ice may drain suddenly and flood the valley below", "What may lakes dammed by ice do?",
        "Drain suddenly and flood the valley below."),
    _qa("The ... ice sheet holds about 90 percent of the world's ice",
        "How much of the world's ice does the ice sheet hold?", "About 90 percent.")], ids=_label)
def test_a_claim_made_general_by_the_quotes_cut_is_refused(card):
    """Tidewater glaciers calve, not glaciers; the terminal moraine marks the furthest point, not any moraine. The
    adjectives are plain content words the quote may leave out, and the card then claims of every such thing what the
    sentence says of one kind: a quote that starts right after its sentence's first word, inside the phrase it opens,
    or a ' ... ' inside a phrase that "the" opens, is refused."""
    assert _codes(card) == ["quote-cuts-phrase"]


def test_a_claim_made_general_by_leaving_out_in_places_is_refused():
    """"In places" is no qualifier word the gate reads; the quote starts right after it, the phrase that opens the
    sentence and says where the rest holds, and so claims the ice that thick everywhere."""
    assert _codes(_qa("the Antarctic ice is more than 4 kilometres thick", "How thick is the Antarctic ice?",
                      "More than 4 kilometres.")) == ["quote-cuts-phrase"]
    _passes(_qa(THICK, "Where is the Antarctic ice more than 4 kilometres thick?", "In places."))


def test_a_setting_that_opens_the_sentence_is_left_out_only_where_no_comma_sets_it_apart(tmp_path):
    """A phrase that opens its sentence with a preposition says where or when the rest holds: a quote that starts right
    after it claims the rest always; with a comma after it, the phrase is an aside that a careful author may leave
    out, and one that holds a qualifier ("in most years") is the qualifier rule's."""
    gate = gate_over(tmp_path, "Surges", "During a surge the glacier advances quickly. In winter, the snout freezes. "
                                         "In most years the lake drains in spring.")
    assert diagnostic_codes(gate, _qa("the glacier advances quickly", "How does the glacier advance?",
                                      "Quickly.")) == ["quote-cuts-phrase"]
    assert_passes(gate, _qa("During a surge the glacier advances quickly", "During a surge, how does the glacier "
                                                                           "advance?", "Quickly."))
    assert_passes(gate, _qa("the snout freezes", "What freezes?", "The snout."))
    assert diagnostic_codes(gate, _qa("the lake drains in spring", "When does the lake drain?", "In spring.")) == [
        "qualifier-missing"]


@pytest.mark.parametrize("card", [
    _qa("The scratches, ... show the direction in which the ice moved", "What do the scratches show?",
        "The direction in which the ice moved."),
    _qa("Antarctica ... are covered by ice sheets", "What is Antarctica covered by?", "Ice sheets."),
    _qa("A cirque is a ... hollow that a glacier has carved into a mountainside", "What is a cirque?",
        "A hollow that a glacier has carved into a mountainside."),
    _qa("Where two cirques meet back to back, a sharp ridge called ... is left between them",
        "Where two cirques meet back to back, what is left between them?", "A sharp ridge."),
    _qa("Surveyors measure a glacier's speed by fixing stakes in the ice ... each year",
        "How do surveyors measure a glacier's speed?", "By fixing stakes in the ice each year."),
    _qa("Scientists drill ice cores to study the air trapped in bubbles ...", "Why do scientists drill ice cores?",
        "To study the air trapped in bubbles."),
    _qa("Glaciers in the Alps have lost more than half of their volume",
        "How much of their volume have glaciers in the Alps lost?", "More than half."),
    _qa("Erratics are ... carried far from their source by ice", "What carried erratics far from their source?",
        "Ice."),
    _qa("Erratics ... were carried far from their source by ice",
        "By what were erratics carried far from their source?", "Ice."),
    _qa("A moraine is ... rock debris that a glacier has deposited", "What is a moraine?",
        "Rock debris that a glacier has deposited.")], ids=_label)
def test_an_honest_cut_passes(card):
    """Cuts a careful author makes: an aside that commas set apart ("called striations"), a list's other item ("and
    Greenland"), a modifier inside a phrase that "a" opens ("bowl-shaped"), a name the card does not claim, the end of
    a sentence, a stretch of a clause that leaves the words on its two sides in the roles the sentence gives them, a
    "that" after "be" and a noun ("are boulders that": the boulders are the erratics), and the head of an "of" ("a
    ridge of")."""
    _passes(card)


@_limit("two nouns of a sentence traded where neither meets a word the sentence keeps it apart from")
@pytest.mark.parametrize("card", [
    _qa(CALVING, "How do tidewater glaciers lose the sea?", "By calving, in which blocks break off into ice."),
    _qa("calving, in which blocks break off into the sea", "In calving, what breaks off into the blocks?",
        "The sea."),
    _qa(ANTARCTIC, "How much of the Antarctic ice does the world's ice sheet hold?", "About 90 percent."),
    _qa(CORES, "What do scientists drill to study ice cores?", "The air trapped in bubbles of old ice."),
    _qa(SURVEYORS, "How do surveyors fix stakes in the ice?",
        "By measuring a glacier's speed and recording their positions each year.")], ids=_label)
def test_two_nouns_traded_in_the_whole_sentence_are_refused(card):
    """Each card trades two nouns or two verbs of its sentence: the glaciers lose the sea and the blocks fall into
    ice; the sea breaks off into the blocks; the world's ice sheet holds the Antarctic ice; scientists drill the air
    to study the cores; surveyors fix stakes by measuring the speed, where they measure the speed by fixing stakes.
    Every word is the sentence's, and no rule of the gate sees the two words meet where the sentence keeps them
    apart."""
    _refused(card)


def test_a_when_clause_swapped_with_its_main_clause_is_refused():
    """A "when?" question answered with "when ..." is read as "X when Y" (gate13): the clause of "when" holds what
    the sentence has outside it."""
    assert "order-turned-round" in _codes(_qa(SLIDE, "When does meltwater collect beneath a glacier?",
                                              "When it slides over its bed."))


@_limit("README's gate limits: a claim without its sentence's 'if' clause passes")
def test_a_claim_without_its_condition_is_refused():
    """"If all of Greenland's ice melted, sea level would rise by about 7 metres": the card says it will."""
    _refused(_qa("sea level would rise by about 7 metres", "By how much will sea level rise?", "About 7 metres."))


@_limit("README's gate limits: an answer to 'why' that opens with 'to' is not read as a reason")
def test_the_purpose_turned_round_is_refused():
    """Scientists drill ice cores to study the air; they do not study the air to drill cores."""
    _refused(_qa(CORES, "Why do scientists study the air trapped in bubbles of old ice?", "To drill ice cores."))


@_limit("README's gate limits: two parallel phrases may swap what each says where the splice rule sees no side")
def test_the_places_of_a_comparison_traded_are_refused():
    """The glacier loses ice at its snout and gains it from snowfall; the card has it lose from snowfall."""
    _refused(_cloze(RETREAT,
                    "A glacier retreats if it loses more ice from {{c1::snowfall}} than it gains at its snout."))


# --- honest cards refused --------------------------------------------------------------------------------------------
@_limit("'which does X verb more strongly, A or B?' is read as putting the verb beside 'more'")
def test_which_of_two_is_absorbed_more_strongly_passes():
    """"Glacier ice ... absorbs red light more strongly than blue light": the question's order puts "absorb" before
    "more strongly", where the sentence has "red light" (neighbour-swapped); quoting the whole sentence is
    quote-says-more ("looks")."""
    _passes(_qa("Glacier ice ... absorbs red light more strongly than blue light",
                "Which does glacier ice absorb more strongly, red light or blue light?", "Red light."))


@_limit("'than a glacier's base' is compared through its possessive, not its head noun")
def test_a_comparison_with_a_possessive_passes():
    """"Than its base" asked as "than a glacier's base" is comparison-mismatch ("compares with glacier's"); "than the
    base of a glacier" passes."""
    _passes(_qa(SURFACE, "What moves faster than a glacier's base?", "Its surface."))


@_limit("a 'whereas' clause's 'ones' cannot be asked for without quoting 'whereas', which the card then lacks")
def test_what_the_second_side_of_whereas_says_passes():
    """"Glaciers carve U-shaped valleys, whereas rivers cut V-shaped ones": "ones" are valleys, and the quote that
    holds "valleys" holds "whereas" too (quote-says-more)."""
    _passes(_qa("valleys, whereas rivers cut V-shaped ones", "What kind of valleys do rivers cut?", "V-shaped ones."))


@_limit("the noun of a 'whose' clause asked as 'the N of X' is read as X put beside the clause's verb")
def test_what_the_ends_of_drumlins_face_passes():
    _passes(_qa("Drumlins are ... whose steep ends face the direction from which the ice came",
                "What do the steep ends of drumlins face?", "The direction from which the ice came."))


@_limit("a question that ends with the sentence's closing 'since 1850' is read as putting the verb beside 'since'")
def test_how_much_was_lost_since_a_year_passes():
    """The sentence's own order with the amount asked for: neighbour-swapped ("lost" beside "since"). Asked as
    "since 1850, how much ...?" it passes (test_an_honest_card_passes)."""
    _passes(_qa(ALPS, "How much of their volume have glaciers in the Alps lost since 1850?", "More than half."))


@_limit("'the glacial valley of a fjord' is read as putting 'fjord' beside the clause's 'after'")
def test_what_flooded_the_valley_of_a_fjord_passes():
    _passes(_qa(FJORD, "What flooded the glacial valley of a fjord after the ice withdrew?", "The sea."))


@_limit("'by what are N that may V dammed?' reads the relative clause's last word as beside the passive verb")
def test_by_what_a_lake_with_a_relative_clause_is_dammed_passes():
    _passes(_qa("Meltwater lakes dammed by ice may drain suddenly",
                "By what are meltwater lakes that may drain suddenly dammed?", "Ice."))


@_limit("README's gate limits: a later clause's pronoun after a preposition ('stay below it') is not read")
def test_which_glaciers_stay_below_their_melting_point_passes():
    """"It" is the melting point; a quote without "temperate" and "throughout" is clause-mixed, the whole sentence
    quote-says-more."""
    _passes(_qa(TEMPERATE, "Which glaciers stay below their melting point?", "Polar glaciers."))


@_limit("'dams' and 'dammed' are one stem since gate13, but 'what dams the meltwater lakes that may drain "
        "suddenly?' reads 'meltwater' as what dams, and is refused as verb-turned-round")
def test_a_question_with_the_plain_verb_of_dammed_passes():
    _passes(_qa("Meltwater lakes dammed by ice may drain suddenly",
                "What dams the meltwater lakes that may drain suddenly?", "Ice."))


@pytest.mark.parametrize("card", [
    _qa("Drumlins are smooth hills of till", "What are drumlins made of?", "Till."),
    _qa(SURGE, "For how long can a surging glacier advance up to 100 times faster than normal?", "A few months."),
    _qa(ALPS, "Since when have Alpine glaciers lost more than half of their volume?", "1850.")], ids=_label)
def test_an_honest_question_with_a_word_the_passage_lacks_is_refused_by_the_documented_rule(card):
    """README, gate check 2: every content word of the question is in the passage, but the project's frame words:
    "made", "long" (of "how long") and "Alpine" for "in the Alps" are not. A project may make "made" a frame word or
    list "Alpine" with "Alps" in its synonyms."""
    assert "question-word-missing" in _codes(card)


# --- a sample of false cards refused ---------------------------------------------------------------------------------
@pytest.mark.parametrize("card", [
    _qa(ACCUM, "Where does a glacier form?", "Where more snow falls in summer than melts in winter."),
    _qa(FIRN, "What is firn called?", "Snow that survives a whole summer."),
    _qa(BLUE, "Why does glacier ice absorb red light more strongly than blue light?", "Because it looks blue."),
    _qa(DEEP, "Below about 50 metres, what does the ice do?", "It deforms slowly by cracking."),
    _cloze(DEEP, "Below {{c1::50}} metres, the ice deforms slowly without cracking."),
    _qa(FROZEN, "Glaciers that are not frozen to their beds do what?", "Slide."),
    _qa(MORAINE, "What is a ridge of rock debris that a moraine has deposited?", "A glacier."),
    _qa("Antarctica and Greenland are covered by ice sheets", "What covers ice sheets?", "Antarctica and Greenland."),
    _qa(DUST, "Why does dust on the ice surface lower its reflectivity?", "Because the ice melts faster."),
    _qa(TILL, "Unlike till, what is not sorted by size?", "The sand and gravel that meltwater streams lay down."),
    _qa("Climbers must rope together on a glacier", "Where must climbers rope together?", "On a glacier."),
    _qa(LAKES, "What do meltwater lakes dammed by ice do?", "Drain suddenly and flood the valley below."),
    _qa("Fresh snow ... absorbs heat", "What does fresh snow absorb?", "Heat.")], ids=_label)
def test_a_false_card_is_refused(card):
    _refused(card)


# --- a sample of honest cards passing --------------------------------------------------------------------------------
@pytest.mark.parametrize("card", [
    _qa(ACCUM, "Where does a glacier form?", "Where more snow falls in winter than melts in summer."),
    _qa(BRITTLE, "Why do the upper 50 metres of a glacier crack into crevasses?", "Because they are brittle."),
    _qa(DEEP, "Below about 50 metres, how does the ice deform?", "Slowly, without cracking."),
    _qa(FROZEN, "Which glaciers do not slide?", "Those that are frozen to their beds."),
    _qa("Erratics are ... carried far from their source by ice", "What carried erratics far from their source?",
        "Ice."),
    _qa(RETREAT, "If a glacier loses more ice at its snout than it gains from snowfall, what does it do?",
        "It retreats."),
    _cloze(ICEBERG, "Only about a {{c1::tenth}} of an iceberg's mass floats above the water."),
    _qa(ALPS, "Since 1850, how much of their volume have glaciers in the Alps lost?", "More than half."),
    _qa(TILL, "Unlike the sand and gravel that meltwater streams lay down, what is not sorted by size?", "Till."),
    _qa(CLIMBERS, "Unless the crevasses are clearly visible, what must climbers do on a glacier?", "Rope together."),
    _qa(SURFACE, "What moves faster than the base of a glacier?", "Its surface."),
    _qa(DUST, "Why does the ice melt faster?", "Because dust on the ice surface lowers its reflectivity.")],
    ids=_label)
def test_an_honest_card_passes(card):
    _passes(card)


def test_the_cuts_of_the_probe_decks_pass(tmp_path):
    """Cuts that honest cards of the probe decks make, which a rule of where a quote is cut must let through: a
    modifier inside a phrase that "a" opens ("a ... shell"), a quote that starts after a pronoun ("They're"), a skip
    that says with "be" what the word before it is ("is a snail that"), and a skip of a coordinated verb's words."""
    gate = gate_over(tmp_path, "Shore", "A limpet has a single shell shaped like a low cone. They're often found on "
                                        "rocks. The dog whelk is a snail that feeds on barnacles. At low tide, a "
                                        "beadlet anemone pulls in its tentacles and looks like a blob of jelly.")
    for card in [_qa("A limpet has a ... shell shaped like a low cone", "What shape is a limpet's shell?",
                     "A low cone."),
                 _qa("often found on rocks", "Where are they often found?", "On rocks."),
                 _qa("The dog whelk ... feeds on barnacles", "What does the dog whelk feed on?", "Barnacles."),
                 _qa("a beadlet anemone ... looks like a blob of jelly", "What does a beadlet anemone look like?",
                     "A blob of jelly.")]:
        assert_passes(gate, card)
