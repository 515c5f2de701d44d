"""Stage 4 — card quality: minimum information, no give-aways, no duplicates.

The rules follow the "minimum information principle" of spaced repetition: one fact per card,
short answers, no long lists, no yes/no questions, and a question that does not contain its answer.
"""

from __future__ import annotations

import re
from typing import Collection

from .diagnostics import Diagnostic, Location
from .model import Card, CardKind, Project
from .textnorm import Vocabulary, content_keys, normalize

MAX_ANSWER_WORDS = 25
MAX_MEDIAN_ANSWER_WORDS = 12
MAX_LIST_ITEMS = 5
_YES_NO = re.compile(r"^(is|are|am|was|were|do|does|did|can|could|should|would|will|has|have|had|may|might|must)\b",
                     re.I)
_LIST_SPLIT = re.compile(r"[,;]|\b(?:and|or)\b|\n\s*[-*]\s")  # ",|;|\band\b|\bor\b|...", but quicker
_WORD = re.compile(r"[\w'’-]+")


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def lint(project: Project, vocabulary: Vocabulary, passed_before: Collection[str] = ()) -> list[Diagnostic]:
    """Every rule on every card; the rules about one card alone are skipped for the ids in
    `passed_before` (cards that passed them unchanged, with the same synonyms, in an earlier build)."""
    problems: list[Diagnostic] = []
    questions: dict[str, Card] = {}
    lengths: list[int] = []
    for card in project.cards:
        if card.kind is not CardKind.QA:  # every rule is about a question and its answer
            continue
        words = word_count(card.answer)
        question = normalize(card.question)
        if card.id not in passed_before:
            problems += _lint_card(card, vocabulary, words, question)
        lengths.append(words)
        earlier = questions.setdefault(question.rstrip("?. "), card)
        if earlier is not card:
            problems.append(Diagnostic(card.locate("question"), "duplicate question",
                                       f"the same question is asked at {earlier.locate('question')}"))
    if lengths and _median(lengths) > MAX_MEDIAN_ANSWER_WORDS:
        problems.append(Diagnostic(
            Location("cards/"), f"median answer is {_median(lengths):g} words, over {MAX_MEDIAN_ANSWER_WORDS}",
            "shorten answers: one fact per card"))
    return problems


def _median(values: list[int]) -> float:
    """statistics.median, without importing statistics (and with it fractions and decimal) for one call."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _lint_card(card: Card, vocabulary: Vocabulary, words: int, question: str) -> list[Diagnostic]:
    """The rules about one question-and-answer card alone, given the answer's word count and the
    normalised question (which lint() needs as well, so they are worked out once)."""
    problems: list[Diagnostic] = []
    if words > MAX_ANSWER_WORDS:
        problems.append(Diagnostic(card.locate("answer"), f"answer has {words} words, over {MAX_ANSWER_WORDS}",
                                   "split it into several cards, one fact each"))
    items = _list_items(card.answer)
    if items > MAX_LIST_ITEMS:
        problems.append(Diagnostic(card.locate("answer"), f"answer lists {items} items, over {MAX_LIST_ITEMS}",
                                   "split the list into several cards or a cloze per item"))
    if _YES_NO.match(card.question.strip()):
        problems.append(Diagnostic(card.locate("question"), "yes/no question",
                                   "ask for the fact itself (what, which, how, why ...)"))
    if not card.question.rstrip().endswith("?"):
        problems.append(Diagnostic(card.locate("question"), "question does not end with '?'"))
    if _gives_answer_away(vocabulary, normalize(card.answer), question):
        problems.append(Diagnostic(card.locate("question"), "the question gives its answer away",
                                   "every content word of the answer already appears in the question"))
    return problems


def _list_items(answer: str) -> int:
    """How many non-empty parts _LIST_SPLIT cuts the answer into; 0 when there cannot be more than
    MAX_LIST_ITEMS, which is all the rule needs to know.

    Every separator _LIST_SPLIT finds holds its own ',', ';', newline, 'and' or 'or' (matches do not
    overlap, and neither word overlaps itself), so counting those bounds the number of separators.
    Most answers have too few to make a long list, and skip the split.
    """
    separators = answer.count(",") + answer.count(";") + answer.count("\n") + answer.count("and") + answer.count("or")
    if separators < MAX_LIST_ITEMS:  # then at most MAX_LIST_ITEMS parts
        return 0
    return sum(1 for part in _LIST_SPLIT.split(answer) if part.strip())


def _gives_answer_away(vocabulary: Vocabulary, answer: str, question: str) -> bool:
    """Whether every content word of the (normalised) answer is in the (normalised) question."""
    answer_keys = content_keys(vocabulary.terms(answer))
    return bool(answer_keys) and answer_keys <= content_keys(vocabulary.terms(question))
