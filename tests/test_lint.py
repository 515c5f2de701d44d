"""Card quality rules, on the real deck and on small cards of our own."""

from __future__ import annotations

import json
import statistics

import pytest

from deckgen.cards import load_project
from deckgen.diagnostics import Location
from deckgen.lint import MAX_ANSWER_WORDS, MAX_MEDIAN_ANSWER_WORDS, SourceNames, lint, word_count
from deckgen.model import Card, CardKind, DeckSettings, Project, CardFile
from deckgen.sources import load_corpus
from deckgen.textnorm import Vocabulary

import mini_project
from helpers import REPO, run_cli

TITLE = "Calcinosis Cutis"
# Front matter as the real sources have it: (title, publisher, author).
SOURCES = SourceNames.of([
    ("Calcium Deposits In Skin: Causes, Symptoms, And Treatments", "Healthline", "Scott Frothingham"),
    ("Calcium deposits on the face: symptoms and causes", "unattributed consumer-health article", ""),
    ("Calcification", "unattributed overview article", ""),
])


def _project(*cards: Card, file_tags: tuple[str, ...] = (), title: str = "T") -> Project:
    where = Location("cards/t.yaml", 1, 1)
    settings = DeckSettings(title, "d", "t.apkg", where)
    return Project(settings, (CardFile("cards/t.yaml", "T", file_tags, tuple(cards), where),), ())


def _card(card_id: str, question: str, answer: str, **fields: object) -> Card:
    card = Card(card_id, CardKind.QA, "T", question, answer, "", "", (), (), "", Location("cards/t.yaml", 2, 3))
    return card._replace(**fields)


def _cloze(card_id: str, text: str, **fields: object) -> Card:
    card = Card(card_id, CardKind.CLOZE, "T", "", "", text, "", (), (), "", Location("cards/t.yaml", 2, 3))
    return card._replace(**fields)


def _messages(*cards: Card) -> list[str]:
    return [d.message for d in lint(_project(*cards), Vocabulary())]


def _codes(*cards: Card, title: str = TITLE, file_tags: tuple[str, ...] = (),
           passed_before: tuple[str, ...] = ()) -> list[str]:
    """The code of each problem lint finds, with the real sources' names and deck title."""
    project = _project(*cards, file_tags=file_tags, title=title)
    return [d.code for d in lint(project, Vocabulary(), passed_before, sources=SOURCES)]


def test_real_deck_is_clean_and_short():
    project, problems = load_project(REPO)
    assert not problems
    corpus, problems = load_corpus(REPO)
    assert not problems
    names = SourceNames.of((doc.title, doc.publisher, doc.author) for doc in corpus.docs.values())
    assert "healthline" in {" ".join(name) for name in names.names}
    assert lint(project, Vocabulary(project.synonyms, project.lexicon), sources=names) == []
    lengths = [word_count(c.answer) for c in project.cards if c.kind is CardKind.QA]
    assert statistics.median(lengths) <= MAX_MEDIAN_ANSWER_WORDS
    assert max(lengths) <= MAX_ANSWER_WORDS
    assert 60 <= len(project.cards) <= 260  # this edition has 60: fewer means a file was lost


def test_long_answer():
    answer = " ".join(["word"] * 26)
    assert "answer-too-long: answer has 26 words, over 25" in _messages(_card("a", "What is it?", answer))


def test_every_lint_message_starts_with_its_rule_name():
    """As the README promises ("path:line:col: rule-name: message"): the rules that printed a bare message
    (yes/no, a missing '?', a long answer, a duplicate, the median) name their rule like the others."""
    long = " ".join(["word"] * 26)
    cards = (_card("a", "Is milia harmful", long), _card("b", "is milia harmful", long))
    problems = lint(_project(*cards), Vocabulary())
    assert {d.code for d in problems} >= {"yes-no-question", "question-mark-missing", "answer-too-long",
                                          "duplicate-question", "median-answer-too-long"}
    assert all(d.message.startswith(f"{d.code}: ") for d in problems), [d.message for d in problems]


def test_long_list():
    assert "long-list: answer lists 6 items, over 3" in _messages(_card("a", "Which?", "a1, b2, c3, d4, e5 and f6"))


@pytest.mark.parametrize("question", ["Is milia harmful?", "Does calcinosis hurt?", "Can it recur?"])
def test_yes_no_question(question):
    assert "yes-no-question: a yes/no question" in _messages(_card("a", question, "Rarely painful"))


def test_question_giving_answer_away():
    assert "guessable: the question gives its answer away" in _messages(
        _card("a", "What does the kidney failure cause, kidney failure?", "Kidney failure."))


def test_duplicate_questions():
    messages = _messages(_card("a", "What is milia?", "A cyst."), _card("b", "what is  milia", "Keratin."))
    assert "duplicate-question: another card asks the same question" in messages


def test_median_over_limit():
    answer = " ".join(["word"] * 13)
    cards = [_card(f"c{i}", f"What is thing {i}?", answer) for i in range(3)]
    assert any(m.startswith("median-answer-too-long: median answer is 13 words") for m in _messages(*cards))


# --- names-article ---------------------------------------------------------------------------------

@pytest.mark.parametrize("question", [
    "Which sites does the face article list for calcium deposits?",
    "According to the calcification overview, what is calcification?",
    "What does the overview say calcification leads to?",
    "How does Healthline describe laser therapy?",
    "Per the types article, where can calcifications form?",
    "What does Calcium deposits on the face: symptoms and causes say about milia?",  # a source's title
    "Which drug does Scott Frothingham name?",  # its author
])
def test_a_question_naming_a_source_is_refused(question):
    assert _codes(_card("a", question, "Small cysts.")) == ["names-article"]


@pytest.mark.parametrize("question", [
    "What is calcification?",  # the one-word title of a source is the topic itself
    "What are calcium deposits in the skin made of?",  # the start of a title is ordinary words
    "What is the main source of calcium in the diet?",  # a source that is no document
    "Which sites are most common for calcium deposits on the face?",
])
def test_a_question_about_the_subject_is_accepted(question):
    assert _codes(_card("a", question, "Dairy products.")) == []


def test_a_cloze_or_extra_naming_a_source_is_refused_at_that_field():
    cloze = _cloze("c", "Healthline names {{c1::verapamil}} as a calcium channel blocker.")
    extra = _card("e", "Which drug is sold as Calan?", "Verapamil.", extra="A claim reported by Healthline.",
                  field_offsets=(0, 5, 1, 15, 2, 13, -1, -1, 3, 12))
    problems = lint(_project(cloze, extra, title=TITLE), Vocabulary(), sources=SOURCES)
    assert [(d.code, d.location) for d in problems] == [
        ("names-article", cloze.locate("cloze")), ("names-article", Location("cards/t.yaml", 5, 12))]
    assert 'the extra refers to a source document ("Healthline")' in problems[1].message
    assert problems[1].hint


def test_a_source_named_in_another_script_is_refused():
    """A publisher or author named in Cyrillic (or with letters outside a-z) is a name lint looks for: its words
    were read as a-z only, so "Академия наук" was no name at all and "Dušan Đurić" was "du", "an", "uri"."""
    sources = SourceNames.of([("Азбука", "Академия наук", "Dušan Đurić")])
    for question in ("Which letter does the Академия наук name?", "Which letter did Dušan Đurić describe?"):
        project = _project(_card("a", question, "Ё."), title="Cyrillic")
        assert [d.code for d in lint(project, Vocabulary(), sources=sources)] == ["names-article"], question
    project = _project(_card("a", "Which letter did Dušan describe after an uri?", "Ё."), title="Cyrillic")
    assert [d.code for d in lint(project, Vocabulary(), sources=sources)] == []


# --- extra-about-source ----------------------------------------------------------------------------

@pytest.mark.parametrize("extra", [
    "Named correctly in one list; the machine-translated text garbles this name.",
    "In the source, \"this type\" refers to dystrophic calcification.",
    "Sources differ: one says light energy only.",
    "The face article says a pasty material can come out.",
    "A mistranslation of hyperparathyroidism.",
])
def test_an_extra_about_a_source_is_refused(extra):
    assert _codes(_card("a", "Which drug is sold as Calan?", "Verapamil.", extra=extra)) == ["extra-about-source"]


def test_an_extra_about_the_subject_is_accepted():
    card = _card("a", "Which drug is sold as Calan?", "Verapamil.",
                 extra="Calcium and phosphate blood levels are normal; "
                       "verapamil is translated into less calcium uptake.")
    assert _codes(card) == []


# --- guessable ---------------------------------------------------------------------------------------

def test_an_answer_that_is_the_deck_title_is_guessable():
    card = _card("a", "What is the condition of calcium deposits in the skin called?", "Calcinosis cutis.")
    assert _codes(card) == ["guessable"]
    assert _codes(card, title="Skin Stones") == []


def test_a_negated_answer_is_not_given_away_by_its_question():
    assert _codes(_card("a", "How common is idiopathic calcification?", "Not as common as the others.")) == []
    assert _codes(_card("a", "How common is idiopathic calcification?", "Common.")) == ["guessable"]


def test_a_cloze_deletion_given_away_by_the_rest_of_its_text_is_guessable():
    given = _cloze("g", "{{c1::Dystrophic}} calcinosis forms in damaged tissue, as dystrophic means.")
    assert _codes(given) == ["guessable"]
    kept = _cloze("k", "{{c1::Dystrophic}} calcinosis forms in {{c2::damaged}} tissue.")
    assert _codes(kept) == []
    assert _codes(_cloze("t", "This deck is about {{c1::calcinosis cutis}}.")) == ["guessable"]


def test_a_word_hidden_twice_by_one_deletion_number_is_not_given_away():
    """Anki hides every deletion of a card's number at once: "two" hidden twice by c1 shows nowhere on c1's card.
    Each deletion was compared with the text with every other deletion shown, so the second "two" gave the first
    away (a tide-pool deck's "Most coasts have {{c1::two}} high tides and {{c1::two}} low tides every day.")."""
    assert _codes(_cloze("t", "Most coasts have {{c1::two}} high tides and {{c1::two}} low tides every day.")) == []
    # shown on the other number's card, or in the text, it still gives the deletion away
    assert _codes(_cloze("t", "Most coasts have {{c1::two}} high tides and {{c2::two}} low tides every day.")) == [
        "guessable", "guessable"]
    assert _codes(_cloze("t", "Coasts have {{c1::two}} high tides and {{c1::two}} low tides, two of each.")) == [
        "guessable", "guessable"]


# --- open-list-cloze ---------------------------------------------------------------------------------

@pytest.mark.parametrize("cloze", [
    "Dystrophic calcification comes with connective tissue diseases such as {{c1::lupus}}.",
    "Causes include hyperparathyroidism, {{c1::tumors}} and sarcoidosis.",
    "Some drugs, e.g. {{c1::warfarin}}, are given for it.",
    "Metastatic calcinosis can result from kidney failure, {{c1::sarcoidosis}}, hyperparathyroidism and excess "
    "vitamin D.",
    "Your {{c1::calcium}}, phosphorus, and vitamin D levels will be monitored.",
    "Deposits form on the fingertips, around the elbows and {{c1::knees}}.",  # a short item between
])
def test_a_deletion_in_an_open_list_is_refused(cloze):
    assert _codes(_cloze("o", cloze)) == ["open-list-cloze"]


@pytest.mark.parametrize("cloze", [
    "The four types are {{c1::dystrophic}}, metastatic, iatrogenic and idiopathic.",  # its size is stated
    "Both {{c1::calcium}} and phosphorus are monitored, such as in blood tests.",
    "It comes with excess phosphorus ({{c1::hyperphosphatemia}}) and excess calcium, such as in kidney failure.",
    "People born with a {{c1::heart defect}} or kidney issues get them more often.",  # a pair, no marker
    "Calcium deposits look like {{c1::small, hard, white bumps}}.",  # a simile, not a list
    "Metastatic calcinosis results from an excess of {{c1::phosphorus}}.",
    # the comma ends a clause: what follows it is no short item of a list, but a pair
    "As yeast ferments sugar, it gives off {{c1::carbon dioxide}} and alcohol.",
])
def test_a_deletion_that_is_no_open_list_item_is_accepted(cloze):
    assert _codes(_cloze("o", cloze)) == []


def test_a_size_in_another_deletion_is_shown_on_this_deletions_card():
    """Anki shows a cloze's other deletions on each card, and hides every deletion of the card's own number: a size
    in another deletion ("{{c1::two}} vowels, {{c2::Ө and Ү}}") is stated on c2's card, but not one in the same
    number. The size was looked for with every deletion hidden, so c2 was an open list."""
    assert _codes(_cloze("o", "Mongolian Cyrillic added {{c1::two}} vowels, {{c2::Ө and Ү}}, to the Russian letters, "
                              "Kazakh and Kyrgyz.")) == []
    assert _codes(_cloze("o", "Mongolian Cyrillic added {{c1::two}} vowels, {{c1::Ө and Ү}}, to the Russian letters, "
                              "Kazakh and Kyrgyz.")) == ["open-list-cloze"]


def test_each_deletion_of_an_open_list_is_reported():
    card = _cloze("o", "Diseases such as {{c1::lupus}}, {{c2::scleroderma}} and {{c3::dermatomyositis}}.")
    messages = [d.message for d in lint(_project(card), Vocabulary())]
    assert [m.split(" is ")[0] for m in messages] == [f"open-list-cloze: deletion c{n}" for n in (1, 2, 3)]


@pytest.mark.parametrize("question", [
    "Calcium deposits can form in other tissues of the body, such as the face or what?",
    "Deposits are found on the fingertips, on the shins, and around the elbows and what?",
])
def test_a_question_asking_for_an_item_of_an_open_list_is_refused(question):
    assert _codes(_card("q", question, "The scrotum.")) == ["open-list-cloze"]


@pytest.mark.parametrize("question", [
    "In dystrophic calcification, what are the levels of calcium and phosphorus?",
    "Some believe that drinking what, mixed in water every day, helps?",
    "Like the kidneys, which organs can also accumulate mineral deposits?",
    "Of its four commonest sites, deposits are on the fingertips, the shins, the elbows and which?",  # a size
])
def test_an_ordinary_question_is_no_open_list(question):
    assert _codes(_card("q", question, "The scrotum.")) == []


# --- long-list ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("answer, items", [
    ("Breast injuries, cell secretions, infections, and inflammation.", 4),
    ("Tissue that is damaged, inflamed, malignant or has died.", 4),
    ("Lupus and scleroderma and acne and tumors.", 4),
    ("- Lupus\n- Scleroderma\n- Acne\n- Tumors", 4),
])
def test_an_answer_of_more_than_three_items_is_refused(answer, items):
    assert _messages(_card("a", "Which?", answer)) == [f"long-list: answer lists {items} items, over 3"]


@pytest.mark.parametrize("answer", [
    "Muscles contract and relax, blood clot, and nerves function normally.",  # 'and' inside the first item
    "A healthy, sufficient range, often in conjunction with K2 and magnesium.",  # a trailing phrase
    "Chronic kidney disease, hyperparathyroidism and diabetes.",
    "Kidney function and the excretion of waste products and excess minerals.",
])
def test_an_answer_of_three_items_or_fewer_is_accepted(answer):
    assert _messages(_card("a", "Which?", answer)) == []


# --- tag-root and overlapping-tags ---------------------------------------------------------------------

def test_a_tag_outside_the_decks_root_is_refused_where_it_is_written():
    cards = [_card(f"c{i}", f"What is thing {i}?", f"Answer {i}.") for i in range(3)]
    stray = cards[2]._replace(tags=("calcinosis::types", "calcification::vascular", "evidence::weak", "high-yield",
                                    "source::doc", "deckgen::retired"))
    problems = lint(_project(cards[0], cards[1], stray, file_tags=("calcinosis::types",)), Vocabulary())
    assert [(d.code, d.location) for d in problems] == [("tag-root", stray.locate("tags"))]
    assert "'calcification::vascular'" in problems[0].message and "'calcinosis'" in problems[0].message


def test_a_file_tag_outside_the_root_is_reported_once_at_the_file():
    other = CardFile("cards/o.yaml", "O", ("body",), tuple(_card(f"o{i}", f"Q{i}?", "A.", tags=("body",))
                                                          for i in range(2)), Location("cards/o.yaml", 1, 1))
    main = [_card(f"m{i}", f"M{i}?", "A.", tags=("calcinosis::types",)) for i in range(3)]
    project = Project(_project().settings, (_project(*main).files[0], other), ())
    problems = lint(project, Vocabulary())
    assert [(d.code, d.location) for d in problems] == [("tag-root", Location("cards/o.yaml", 1, 1))]


def test_overlapping_tags_are_refused():
    card = _card("a", "What?", "That.", tags=("calcinosis::type", "calcinosis::type::dystrophic"))
    assert _codes(card) == ["overlapping-tags"]
    apart = _card("a", "What?", "That.", tags=("calcinosis::types", "calcinosis::type::dystrophic"))
    assert _codes(apart) == []


def test_overlapping_file_tags_are_reported_once_at_the_file():
    cards = [_card(f"c{i}", f"What is {i}?", "That.") for i in range(3)]
    problems = lint(_project(*cards, file_tags=("calcinosis", "calcinosis::signs")), Vocabulary())
    assert [(d.code, d.location) for d in problems] == [("overlapping-tags", Location("cards/t.yaml", 1, 1))]


# --- claim-wording -----------------------------------------------------------------------------------

def test_a_weak_evidence_card_must_word_its_claim_as_a_claim():
    bare = _card("a", "Which herb breaks down calcium buildup?", "Chanca piedra.", tags=("evidence::claim",))
    assert _codes(bare) == ["claim-wording"]
    worded = bare._replace(question="Which herb do some suggest can break down calcium buildup?")
    assert _codes(worded) == []
    assert _codes(bare._replace(tags=())) == []
    cloze = _cloze("c", "Natural-healing advocates claim that {{c1::dairy}} should be avoided.",
                   tags=("evidence::claim",))
    assert _codes(cloze) == []


# --- the rules about one card alone, skipped for cards that passed them ------------------------------

def test_one_card_rules_are_skipped_for_cards_that_passed_but_deck_rules_are_not():
    named = _card("a", "What does Healthline say?", "That.", tags=("other::x",))
    others = [_card(f"c{i}", f"What is {i}?", "That.", tags=("calcinosis::x",)) for i in range(2)]
    assert sorted(_codes(named, *others)) == ["names-article", "tag-root"]
    assert _codes(named, *others, passed_before=("a",)) == ["tag-root"]


# --- through the command line --------------------------------------------------------------------------

def test_check_reports_content_rules_located_in_json(tmp_path):
    project = mini_project.make_project(tmp_path / "p")
    mini_project.edit(project / "cards" / "other.yaml", "question: What is heated under pressure to form marble?",
                      "question: According to A Short Guide to Rocks, what is heated to form marble?")
    mini_project.edit(project / "cards" / "igneous.yaml", "answer: Quartz and feldspar.\n",
                      "answer: Quartz and feldspar.\n    tags: [stones::granite]\n")
    result = run_cli(project, "check", "--json")
    assert result.returncode == 1, result.stderr
    found = {(d["code"], d["path"], d["line"]) for d in json.loads(result.stdout)["diagnostics"]}
    assert ("names-article", "cards/other.yaml", 5) in found
    assert ("tag-root", "cards/igneous.yaml", 7) in found
    assert "names-article: the question refers to a source document" in result.stderr


def test_build_after_a_good_build_still_applies_the_rules_to_an_edited_card(tmp_path):
    project = mini_project.make_project(tmp_path / "p")
    assert run_cli(project, "build").returncode == 0
    mini_project.edit(project / "cards" / "other.yaml", "answer: Limestone.", "answer: Limestone.\n"
                      "    extra: The deckgen tests article says so.")
    result = run_cli(project, "build", "--json")
    assert result.returncode == 1
    codes = {d["code"] for d in json.loads(result.stdout)["diagnostics"]}
    assert "extra-about-source" in codes
