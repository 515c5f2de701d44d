"""Stage 4 — card quality: minimum information, no give-aways, no duplicates, nothing about the sources.

The rules follow the "minimum information principle" of spaced repetition: one fact per card,
short answers, no long lists, no yes/no questions, and a question that does not contain its answer;
and the content rules of the deck's second edition (issue 13) that a machine can check. A rule
with a name prints it at the start of its message ("names-article: ..."), and as the diagnostic's
code in --json:

* ``names-article``: a question, answer, cloze or extra refers to a source document ("the face
  article", "the overview", "according to ...", a source's publisher, author or title).
* ``extra-about-source``: an extra discusses a source (its translation, what "the source says").
* ``guessable``: the answer's content words are all in the question (each deletion's in the rest of
  its cloze), or the answer is the deck's own title.
* ``open-list-cloze``: a deletion is one item of an open list whose size the text does not state
  (or a question's "what" is, as in "such as the face or what?").
* ``long-list``: an answer lists more than MAX_LIST_ITEMS items.
* ``tag-root``: a tag outside the deck's one tag root; ``overlapping-tags``: a tag and its parent.
* ``claim-wording``: a card tagged evidence::claim that does not word its claim as a claim.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from typing import Collection, Iterable, NamedTuple

from .cards import CLOZE_PATTERN
from .diagnostics import Diagnostic, Location, Related
from .model import Card, CardFile, CardKind, Project
from .textnorm import CLAIM_TAG, CLAIM_WORDING, CLAIM_WORDS, Vocabulary, normalize, stem, tagged_as_claim
from .written import card_texts, in_authors_characters

MAX_ANSWER_WORDS = 25
MAX_MEDIAN_ANSWER_WORDS = 12
MAX_LIST_ITEMS = 3
_YES_NO = re.compile(r"^(is|are|am|was|were|do|does|did|can|could|should|would|will|has|have|had|may|might|must)\b",
                     re.I)
_WORD = re.compile(r"[\w'’-]+")
_ITEM_SEPARATOR = re.compile(r";|(?<!\d),|,(?!\d)")  # not the comma of a number ("1,250,000 residents" is one item)
_CONJUNCTION = re.compile(r"\b(?:and|or)\b")
_BULLET = re.compile(r"\n\s*[-*]\s")
_SHORT_ITEM_WORDS = 3  # a conjunction inside the last comma-separated part joins two items only after a short one

# --- names-article and extra-about-source: what refers to a document, in normalised (lower-case) text ---
_DETERMINER = r"(?:the|this|that|these|those|its|each|both|other|another|one|either)"
_DOCUMENT_WORDS = (  # compiled when used (textnorm)
    rf"\b{_DETERMINER}\s+(?:[\w'-]+\s+){{0,2}}?(?:overview|web ?page|website|passage|author)s?\b"
    r"|\baccording to\b|\bper the\b|\bas reported by\b|\bin the (?:text|source)\b"
    rf"|\b(?:{_DETERMINER}\s+)?sources?\s+(?:says?|states?|claims?|calls?|names?|lists?|agrees?|agree|differs?"
    r"|differ|disagrees?|disagree|adds?|gives?|mentions?|describes?)\b"
)
# In a card about its subject, an "article" is a document, unless the deck is about articles (der, die, das;
# "the", "a"): its lexicon names them as a kind, or the card's own quote says "article" (see _article_is_subject).
_ARTICLE = re.compile(r"\barticles?\b")
# A document's name counts only with at least this many words: a short title ("Calcification") is the topic.
MIN_TITLE_WORDS = 3
# What only a discussion of a source says: its translation or wording, its defects, what it says.
_ABOUT_SOURCE = (  # compiled when used (textnorm)
    r"\bmis-?translat\w*|\bmachine[- ]translat\w*|\bgarbl\w*|\bmisspel\w*|\btypos?\b"
    r"|\bcorpus\b|\bthis article\b|\bin the source\b|\bsources? (?:says?|differ|differs|agree|agrees|disagree)\b"
    r"|\b(?:the|this|that|its|each|one)\s+(?:[\w'-]+\s+){0,2}?(?:article|source|overview|author)(?:'s)?\s+"
    r"(?:also\s+|instead\s+|only\s+)?(?:says?|states?|claims?|calls?|names?|lists?|adds?|gives?|mentions?"
    r"|describes?|agrees?|garbles?|gets?|refers?|uses?)\b"
)

# --- open-list-cloze ---
# Words that open a list the text does not close: the items given are examples of more. ("e.g." and
# "i.e." are read as "eg" and "ie", so that their dots end no clause; "like" not after a verb of seeming.)
_NOT_SIMILE = "".join(f"(?<!{verb} )" for verb in ("look", "looks", "looked", "feel", "feels", "seem", "seems",
                                                     "sound", "sounds", "appear", "appears", "is", "are", "just"))
_OPEN_MARKER = (r"\b(?:such as|including|includes?|included|eg,?|for example,?|for instance,?|among them|among others"
                rf"|{_NOT_SIMILE}like)")
_OPEN_BEFORE = re.compile(_OPEN_MARKER + r"\s*$")  # just before the deletion
_OPEN_IN = _OPEN_MARKER + r"(?=\W|$)"  # anywhere before it in its clause (compiled when used: textnorm)
_ABBREVIATION = re.compile(r"\b([ei])\.([ge])\.")
_BLANK_WORD = re.compile(r"\b(?:what|which)\b")
_LAST_ITEM_LEFT = re.compile(r"\b(?:and|or|nor)\s*$")
_LIST_LEFT = re.compile(r"(?:,|;|\band|\bor|\bnor)\s*$")
_LIST_RIGHT = re.compile(r"^\s*(?:,|;|and\b|or\b|nor\b|etc\b)")
_CLAUSE_END = re.compile(r"[.;:!?()\[\]]")
_SENTENCE_END = re.compile(r"[.;!?](?:\s|$)")
# A stated size: a digit or a number word (not "one": a list of one is no list, and "one of" is common).
_SIZE_WORDS = r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|both|pair)\b"  # compiled when used

# --- tags ---
# Tags any card may carry besides the deck's own root: evidence grades, high-yield and the build's own.
FREE_TAGS = ("high-yield",)
FREE_TAG_ROOTS = ("evidence", "source", "deckgen")


class SourceNames(NamedTuple):
    """What a card could call a source document by, from the sources' front matter: each publisher and
    author, and each title of at least MIN_TITLE_WORDS words; as their words (_NAME_WORD), punctuation
    aside, since a card may drop it."""

    names: tuple[tuple[str, ...], ...] = ()

    @classmethod
    def of(cls, fronts: Iterable[tuple[str, str, str]]) -> SourceNames:
        """From (title, publisher, author) of each document."""
        names: set[tuple[str, ...]] = set()
        for title, publisher, author in fronts:
            if len(_WORD.findall(title)) >= MIN_TITLE_WORDS:
                names.add(_name_words(title))
            names.update(_name_words(name) for name in (publisher, author) if len(name.strip()) > 2)
        return cls(tuple(sorted(names - {()})))


_NAME_WORD = re.compile(r"[^\W_]+")  # the words of a normalised text, of any script


def _name_words(text: str) -> tuple[str, ...]:
    return tuple(_NAME_WORD.findall(normalize(text)))


def _by_first_word(names: tuple[tuple[str, ...], ...]) -> dict[str, list[tuple[str, ...]]]:
    """The names by their first word, longest first: a text is looked through once, word by word."""
    found: dict[str, list[tuple[str, ...]]] = {}
    for name in sorted(names, key=len, reverse=True):
        found.setdefault(name[0], []).append(name)
    return found


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def lint(project: Project, vocabulary: Vocabulary, passed_before: Collection[str] = (),
         sources: SourceNames = SourceNames()) -> list[Diagnostic]:
    """Every rule on every card; the rules about one card alone are skipped for the ids in
    `passed_before` (cards that passed them unchanged, with the same synonyms, sources and deck
    settings, in an earlier build). `sources` names the documents a card must not refer to."""
    problems: list[Diagnostic] = []
    questions: dict[str, Card] = {}
    lengths: list[int] = []
    names = _by_first_word(sources.names)
    context = _Context(vocabulary, _claim_keys(vocabulary, normalize(project.settings.title)), names,
                       re.compile("|".join(map(re.escape, names))) if names else None)
    for card_file in project.files:
        problems += _file_tags(card_file)
        file_tags = frozenset(card_file.tags)
        for card in card_file.cards:
            if card.kind is not CardKind.QA:
                if card.id not in passed_before:
                    problems += _lint_any_card(card, file_tags, context, (("cloze", normalize(card.cloze)),))
                continue
            words = word_count(card.answer)
            question = normalize(card.question)
            if card.id not in passed_before:
                answer = normalize(card.answer)
                problems += _lint_card(card, vocabulary, words, question, answer, context)
                problems += _lint_any_card(card, file_tags, context, (("question", question), ("answer", answer)))
            lengths.append(words)
            earlier = questions.setdefault(duplicate_key(question), card)
            if earlier is not card:
                first = Related(earlier.locate("question"), f"the same question is first asked here, by '{earlier.id}'")
                problems.append(_error(card, "question", "duplicate-question", "another card asks the same question",
                                       "ask each question once: merge the two cards, or say in this one what sets "
                                       "it apart")._replace(related=(first,)))
    problems += _tag_roots(project)
    median = statistics.median(lengths) if lengths else 0
    if median > MAX_MEDIAN_ANSWER_WORDS:
        problems.append(Diagnostic(
            Location("cards/"), f"median-answer-too-long: median answer is {median:g} words, over {MAX_MEDIAN_ANSWER_WORDS}",
            "shorten answers: one fact per card", "median-answer-too-long"))
    return problems


class _Context(NamedTuple):
    """What the one-card rules need of the whole project, worked out once per lint."""

    vocabulary: Vocabulary
    title_keys: set[str]  # content keys of the deck's title
    names: dict[str, list[tuple[str, ...]]]  # the sources' names by their first word (SourceNames)
    name_start: re.Pattern[str] | None  # finds those first words: a text without one names no source


def _error(card: Card, field_name: str, rule: str, message: str, hint: str) -> Diagnostic:
    """A content rule's error at one of the card's keys, the words it quotes as the card writes them."""
    return in_authors_characters(Diagnostic(card.locate(field_name), f"{rule}: {message}", hint, rule),
                                 card_texts(card))


def _lint_card(card: Card, vocabulary: Vocabulary, words: int, question: str, answer: str,
               context: _Context) -> list[Diagnostic]:
    """The rules about one question-and-answer card alone, given the answer's word count and the
    normalised question and answer (which lint() needs as well, so they are worked out once)."""
    problems: list[Diagnostic] = []
    if words > MAX_ANSWER_WORDS:
        problems.append(_error(card, "answer", "answer-too-long", f"answer has {words} words, over {MAX_ANSWER_WORDS}",
                               "split it into several cards, one fact each"))
    items = _list_items(card.answer)
    if items > MAX_LIST_ITEMS:
        problems.append(_error(card, "answer", "long-list", f"answer lists {items} items, over {MAX_LIST_ITEMS}",
                               "split the list into single-fact cards, or a cloze set that names the list's size"))
    if _YES_NO.match(card.question.strip()):
        problems.append(_error(card, "question", "yes-no-question", "a yes/no question",
                               "ask for the fact itself (what, which, how, why ...)"))
    if not card.question.rstrip().endswith("?"):
        problems.append(_error(card, "question", "question-mark-missing", "question does not end with '?'", ""))
    if _asks_for_open_list_item(question):
        problems.append(_error(card, "question", "open-list-cloze", "the question's blank is one item of a list "
                               "that other items could complete", "state the list's size, or ask for one fact"))
    answer_keys = _claim_keys(vocabulary, answer)
    if answer_keys and answer_keys <= _claim_keys(vocabulary, question):
        problems.append(_error(card, "question", "guessable", "the question gives its answer away",
                               "every content word of the answer already appears in the question: ask for "
                               "something the question does not say"))
    elif answer_keys and answer_keys == context.title_keys:
        problems.append(_error(card, "answer", "guessable", "the answer is the deck's own title",
                               "a learner of this deck guesses it: ask for a more specific fact"))
    return problems


def _claim_keys(vocabulary: Vocabulary, text: str) -> set[str]:
    """What a (normalised) text claims, for the guessable rule: its content words' keys and its
    negations ("Not as common as the others" is not given away by "How common is ...?")."""
    return set(_claim_terms(vocabulary, text))


def _claim_terms(vocabulary: Vocabulary, text: str) -> list[str]:
    """The keys of _claim_keys, in order, each as often as it occurs."""
    return [term.key for term in vocabulary.terms(text) if term.content or term.negation]


def _deleted_text(deletion: re.Match[str]) -> str:
    return deletion.group(2)


def _list_items(answer: str) -> int:
    """How many items the answer lists.

    Lines starting with '- ' or '* ' are one item each. Otherwise, with ',' or ';' in the answer,
    each part between them is an item ("Muscles contract and relax, blood clot, and nerves ..." is
    three), and a last part with 'and'/'or' inside it ("malignant or has died") joins two items if
    what comes before the conjunction is short (at most _SHORT_ITEM_WORDS words: "often in
    conjunction with K2 and magnesium" is one trailing phrase, not two items). Without commas,
    'and' and 'or' separate the items.
    """
    if "\n" in answer and _BULLET.search("\n" + answer):
        return len(_BULLET.findall("\n" + answer))
    parts = [part.strip() for part in _ITEM_SEPARATOR.split(answer) if part.strip()]
    if len(parts) <= 1:  # one part, or none (an answer of separators alone)
        return sum(1 for part in _CONJUNCTION.split(answer) if part.strip(" .,;"))
    last = parts[-1]
    joined = _CONJUNCTION.search(last)
    if joined and joined.start() > 0 and word_count(last[:joined.start()]) <= _SHORT_ITEM_WORDS:
        return len(parts) + 1
    return len(parts)


def _lint_any_card(card: Card, file_tags: frozenset[str], context: _Context,
                   texts: tuple[tuple[str, str], ...]) -> list[Diagnostic]:
    """The content rules about one card alone, of either kind, given its question and answer or its
    cloze, normalised, by field name."""
    problems: list[Diagnostic] = []
    if card.extra:
        texts += (("extra", normalize(card.extra)),)
    for field_name, text in texts:
        if field_name == "extra" and (about := re.compile(_ABOUT_SOURCE).search(text)):
            problems.append(_error(card, "extra", "extra-about-source", f"the extra discusses a source "
                                   f"(\"{about.group(0)}\")", "a note about a source belongs in its front-matter "
                                   "`notes`; keep in the extra only what the learner should know"))
        elif named := _names_document(text, context, card):
            problems.append(_error(card, field_name, "names-article", f"the {field_name} refers to a source "
                                   f"document (\"{named}\")", "the learner does not know the sources: state the "
                                   "fact itself; the back of the card already shows where it comes from"))
    if card.kind is CardKind.CLOZE:
        problems += _cloze_rules(card, context)
    if len(card.tags) > 1:
        problems += _overlapping_tags(card, file_tags)
    if tagged_as_claim(card.tags):
        problems += _claim_wording(card, texts[0][1])
    return problems


def _claim_wording(card: Card, wording: str) -> list[Diagnostic]:
    """claim-wording: a card tagged evidence::claim says who claims it (its normalised question or cloze)."""
    if CLAIM_WORDING.search(wording):
        return []
    return [_error(card, "question" if card.kind is CardKind.QA else "cloze", "claim-wording",
                   f"the card is tagged {CLAIM_TAG} but does not word its claim as a claim",
                   f"say who claims it, e.g. \"Natural-healing advocates suggest ...\", with one of: "
                   f"{', '.join(CLAIM_WORDS)}")]


def _names_document(text: str, context: _Context, card: Card) -> str:
    """The words by which the (normalised) text of a card refers to a source document, or ''."""
    if _may_name_document(text):
        found = re.compile(_DOCUMENT_WORDS).search(text) or _ARTICLE.search(text)
        if found and (found.re is not _ARTICLE or not _article_is_subject(card, context.vocabulary)):
            return found.group(0)
    if context.name_start is not None and context.name_start.search(text):
        words = _NAME_WORD.findall(text)
        if not context.names.keys().isdisjoint(words):
            for at, word in enumerate(words):
                for name in context.names.get(word, ()):
                    if tuple(words[at:at + len(name)]) == name:
                        return " ".join(name)
    return ""


def _article_is_subject(card: Card, vocabulary: Vocabulary) -> bool:
    """Whether "article" on the card is a word of grammar, not a document: the lexicon has a kind of that name
    ("which article?" of an answer "die"), or a passage the card quotes says "article" too ("der: the article of
    a masculine noun")."""
    return stem("article") in vocabulary.kind_names \
        or any(_ARTICLE.search(normalize(ref.quote)) for ref in card.sources)


def _may_name_document(text: str) -> bool:
    """Whether _DOCUMENT_WORDS can match: each of its matches holds one of these words. (Plain `in`
    tests are many times quicker than the pattern, and most texts have none of them.)"""
    return ("articl" in text or "overview" in text or "source" in text or "accord" in text or "author" in text
            or "per the" in text or "web" in text or "passage" in text or "reported" in text or "in the text" in text)


def _cloze_rules(card: Card, context: _Context) -> list[Diagnostic]:
    """guessable and open-list-cloze, for each deletion of a cloze."""
    problems: list[Diagnostic] = []
    vocabulary = context.vocabulary
    deletions = list(CLOZE_PATTERN.finditer(card.cloze))
    visible = normalize(CLOZE_PATTERN.sub(_deleted_text, card.cloze))
    # Each key of the text with every deletion shown, and how often. Anki hides every deletion of a card's
    # number at once, so a deletion's key is elsewhere in the text, on that card, when it occurs more often
    # than in all the deletions of its number together.
    everywhere = Counter(_claim_terms(vocabulary, visible))
    owns = [Counter(_claim_terms(vocabulary, normalize(deletion.group(2)))) for deletion in deletions]
    hidden = _hidden_per_number(deletions, owns)
    for deletion, own in zip(deletions, owns):
        if own and all(everywhere[key] > hidden[int(deletion.group(1))][key] for key in own):
            problems.append(_error(card, "cloze", "guessable", f"deletion c{deletion.group(1)} is given away by "
                                   "the rest of the cloze", "every content word of the deletion appears elsewhere "
                                   "in the text: hide something the text does not say"))
        elif own and own.keys() == context.title_keys:
            problems.append(_error(card, "cloze", "guessable", f"deletion c{deletion.group(1)} is the deck's own "
                                   "title", "a learner of this deck guesses it: hide a more specific fact"))
    if _may_list(visible):
        problems += _open_list_clozes(card, deletions)
    return problems


def _hidden_per_number(deletions: list[re.Match], owns: list[Counter]) -> dict[int, Counter]:
    """The keys each deletion number hides on its card: those of all its deletions ("{{c1::two}} high tides and
    {{c1::two}} low tides" hides both "two"s)."""
    hidden: dict[int, Counter] = {}
    for deletion, own in zip(deletions, owns):
        hidden.setdefault(int(deletion.group(1)), Counter()).update(own)
    return hidden


def _may_list(text: str) -> bool:
    """Whether a (normalised) text can hold a list item _in_open_list finds: each is next to one of these."""
    return ("," in text or ";" in text or " and " in text or " or " in text or " nor " in text or "such as" in text
            or "includ" in text or "e.g." in text or " for " in text or "like" in text or "among" in text)


def _asks_for_open_list_item(question: str) -> bool:
    """A question written as a cloze: its "what" or "which" stands in a list as its last item ("in
    other tissues, such as the face or what?": right after 'and', 'or', 'nor' or an open-list marker),
    and is judged as a deletion there (_in_open_list). A "what" after a comma is no list item: "In
    dystrophic calcification, what are ...?" is an ordinary question."""
    if " what" not in question and " which" not in question:  # only an interrogative after a word can be an item
        return False
    text = _ABBREVIATION.sub(r"\1\2  ", question)
    return any(_in_open_list(text, text, blank.start(), blank.end()) for blank in _BLANK_WORD.finditer(text)
               if _LAST_ITEM_LEFT.search(text, 0, blank.start()) or _OPEN_BEFORE.search(text, 0, blank.start()))


def _open_list_clozes(card: Card, deletions: list[re.Match[str]]) -> list[Diagnostic]:
    """open-list-cloze, for each deletion of a cloze that may hold a list."""
    # The cloze in lower case, each deletion's markup made its text (and, in `hidden`, blanks on its number's
    # card), padded: the same length, so that offsets stay those of the cloze.
    plain = _ABBREVIATION.sub(r"\1\2  ", card.cloze.lower())
    shown = CLOZE_PATTERN.sub(lambda m: m.group(2).ljust(len(m.group(0))), plain)
    hidden = {number: _as_on_card(plain, number) for number in {deletion.group(1) for deletion in deletions}}
    return [_error(card, "cloze", "open-list-cloze", f"deletion c{deletion.group(1)} is one item of a list that "
                   "other items could complete", "state the list's size (\"the three ...\") or make single-fact cards")
            for deletion in deletions
            if _in_open_list(shown, hidden[deletion.group(1)], deletion.start(), deletion.end())]


def _as_on_card(plain: str, number: str) -> str:
    """The cloze as Anki shows the card of deletion `number`: that number's deletions blank, every other one's
    text shown (where a list's size may be stated: "{{c1::two}} vowels, {{c2::...}}"); the same length."""
    return CLOZE_PATTERN.sub(lambda m: (" " * len(m.group(0)) if m.group(1) == number
                                        else m.group(2).ljust(len(m.group(0)))), plain)


def _in_open_list(text: str, hidden: str, start: int, end: int) -> bool:
    """Whether the deletion at [start:end] is one item of an open list: a blank that another true
    item could fill. `text` is the cloze in lower case with each deletion's markup made its text
    and "e.g." and "i.e." written "eg  " and "ie  "; `hidden` the same as the deletion's card shows it (its own
    number's deletions blank).

    * The deletion is a list item when a list separator touches it: ',', ';', 'and', 'or' or 'nor'
      just before or after it, or an open-list marker just before it. Its clause is the text around
      it up to the nearest '.', ';', ':', '!', '?' or bracket (so "excess calcium ({{c1::...}})" is no item).
    * The list is open when an open-list marker ("such as", "including", "include(s)", "e.g.",
      "for example", "for instance", "like", "among them") comes before the deletion in its clause
      (the items are examples), or when the clause lists at least three items (two commas, or a
      comma and an 'and'/'or' after it with a short item between, of at most _SHORT_ITEM_WORDS words,
      as _list_items counts them: in "as it ferments sugar, it gives off {{c1::gas}} and alcohol" the
      comma ends a clause, not an item): a long list with one item blanked is filled as well by any
      other true item. A two-item list without a marker ("born with a {{c2::heart defect}} or ...")
      is not flagged: it is as often a closed pair as an open list.
    * It is not open when its sentence states a size that the card shows (outside its deletions): a digit or a number
      word from "two" to "twelve", "both" or "pair" ("the four types are ..."). A size anywhere in
      the sentence counts, so a sentence with some other number lets its list through: the rule
      errs towards no false alarm there.
    Each deletion is one pass over its cloze (clozes are short, and have a few deletions each).
    """
    clause_start = max((m.end() for m in _CLAUSE_END.finditer(text, 0, start)), default=0)
    found_end = _CLAUSE_END.search(text, end)
    clause_end = found_end.start() if found_end else len(text)
    left, right = text[clause_start:start], text[end:clause_end]
    if not (_LIST_LEFT.search(left) or _LIST_RIGHT.match(right) or _OPEN_BEFORE.search(left)):
        return False
    clause = f"{left} x {right}"
    commas = clause.count(",") + clause.count(";")
    after_last = clause[clause.rfind(",") + 1:]
    joined = _CONJUNCTION.search(after_last)
    long_list = commas >= 2 or (commas == 1 and joined is not None
                                and word_count(after_last[:joined.start()]) <= _SHORT_ITEM_WORDS)
    if not (long_list or re.compile(_OPEN_IN).search(left)):
        return False
    sentence_start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    found_end = _SENTENCE_END.search(text, end)
    return not re.compile(_SIZE_WORDS).search(hidden, sentence_start, found_end.start() if found_end else len(text))


def _topic_tags(tags: Iterable[str]) -> list[str]:
    """The tags that must share the deck's root: all but evidence::, source::, deckgen:: and high-yield."""
    return [tag for tag in tags if tag not in FREE_TAGS and tag.split("::", 1)[0] not in FREE_TAG_ROOTS]


def duplicate_key(normalised_question: str) -> str:
    """What two questions share when one duplicates the other (duplicate-question)."""
    return normalised_question.rstrip("?. ")


def topic_roots(tags: Iterable[str]) -> tuple[str, ...]:
    """The roots of a card's topic tags, one per tag (what the tag-root rule counts)."""
    return tuple(tag.split("::", 1)[0] for tag in _topic_tags(tags))


def _tag_roots(project: Project) -> list[Diagnostic]:
    """tag-root: every topic tag has the deck's root, the root most of the cards' topic tags have (of
    roots as common, the first in file order). A file's tag is reported once at the file, a card's own
    tag at the card."""
    roots = Counter(root for card in project.cards for root in topic_roots(card.tags))
    if len(roots) < 2:
        return []
    root = roots.most_common(1)[0][0]
    hint = f"this deck's tags start with '{root}::'; rename the tag under that root"
    problems: list[Diagnostic] = []
    for card_file in project.files:
        for tag in _topic_tags(card_file.tags):
            if tag.split("::", 1)[0] != root:
                problems.append(Diagnostic(card_file.locate("tags"), f"tag-root: the file's tag '{tag}' is outside the "
                                           f"deck's tag root '{root}'", hint, "tag-root"))
        own = set(card_file.tags)
        for card in card_file.cards:
            for tag in _topic_tags(tag for tag in card.tags if tag not in own):
                if tag.split("::", 1)[0] != root:
                    problems.append(_error(card, "tags", "tag-root",
                                           f"tag '{tag}' is outside the deck's tag root '{root}'", hint))
    return problems


def _file_tags(card_file: CardFile) -> list[Diagnostic]:
    """overlapping-tags among a file's own tags, reported once at the file."""
    return [Diagnostic(card_file.locate("tags"), f"overlapping-tags: the file's tags '{parent}' and '{child}' overlap",
                       f"'{child}' implies '{parent}' (tag searches include child tags): keep only '{child}'",
                       "overlapping-tags")
            for parent, child in _overlaps(card_file.tags, set(card_file.tags))]


def _overlapping_tags(card: Card, file_tags: frozenset[str]) -> list[Diagnostic]:
    """overlapping-tags: a card tagged both a::b and a::b::c (one of them the card's own tag)."""
    return [_error(card, "tags", "overlapping-tags", f"tags '{parent}' and '{child}' overlap",
                   f"'{child}' implies '{parent}' (tag searches include child tags): keep only '{child}'")
            for parent, child in _overlaps(card.tags, set(card.tags))
            if not (parent in file_tags and child in file_tags)]


def _overlaps(tags: Iterable[str], present: set[str]) -> list[tuple[str, str]]:
    """(parent, child) for each tag whose parent (any shorter '::' prefix) is also present."""
    pairs = []
    for tag in tags:
        parts = tag.split("::")
        for end in range(1, len(parts)):
            parent = "::".join(parts[:end])
            if parent in present:
                pairs.append((parent, tag))
    return pairs
