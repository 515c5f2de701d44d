"""Cause and effect: which side of a causal phrase each content word of a text is on (the gate's rule 2d).

A small table of causal phrases, each with its direction: *forward*, where what comes before the phrase
causes what comes after it ("X can lead to Y", "X causes Y", "X can result in Y"), and *backward*, where
what comes after it causes what comes before ("Y can result from X", "Y is caused by X", "Y is attributed
to X"). Phrases are matched on normalised text with the project's light stemming, so "leads to", "leading
to" and "led to" are one phrase, and "cause" is not read as a verb where it is a noun ("the root cause",
"a cause of").

Each causal phrase of a text splits it in two: the content words before the phrase are one side and those
after it the other. Inside a relative clause ("conditions that can lead to Y are: X") the phrase's subject
is the noun before "that" and what the sentence goes on to say after the clause (a list's item): the
clause's own words after the phrase are one side, and all the rest the other. In an object relative clause, whose
subject stands between the pronoun and the phrase and which ends with the phrase ("vascular damage that calcification
can trigger"), the subject is one side and all the rest (the noun before the pronoun, the object the clause lacks)
the other. A text with several phrases
("diseases that cause abnormal amounts of calcium lead to metastatic calcification", "X can lead to Y,
which may contribute to Z") has the sides of all of them: a word that is a cause of one phrase and an
effect of another (the "Y" of a chain) is both, and the gate reads nothing from it.

A claim is read as one text: a cloze with its deletions in place; a question with its answer where its
wh-word asks for it ("Sarcoidosis can result in which type?" - "Sarcoidosis can result in metastatic
type"), after the phrase when the question asks for the phrase's object ("Which condition can X result
in?", "What can X cause?"), and at the end when it asks with no such word ("when", "where", "how",
"why"). Where only the answer holds a phrase, the answer is read alone, unless a side of it has no content
word: the question's words then stand in the place of its pronoun ("It can result in Y", "Y can result from
it"), or before it.

A phrase with no content word before it heads its sentence's subject ("A result of X can be Y", "Due to X,
Y"): like a relative clause's, its object ends at a punctuation mark or a verb "be", and the rest is the
other side. Besides the sides, a reading keeps each phrase's links, (cause, effect) for each pair of words
on its two sides, so that a chain turned round at one link is seen though its middle is on both sides.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .textnorm import _TOKEN, AUXILIARIES, BE_FORMS, Vocabulary, content_keys, is_negation, stem

FORWARD = ("lead to", "led to", "cause", "result in", "trigger", "contribute to", "produce", "drive",
           "play a role in")
# "lead from" is no English phrase, but "lead" and "result" are one word to the gate (cards/synonyms.yaml): written
# for "result from", it is read so, and a claim cannot hide a cause turned round behind the wrong preposition.
BACKWARD = ("result from", "result of", "caused by", "triggered by", "produced by", "due to", "attributed to",
            "attributable to", "arise from", "arose from", "stem from", "stemmed from", "because of", "driven by",
            "lead from", "led from")
# A one-word phrase is a noun, not a verb, after these ("the root cause", "an underlying cause") ...
_BEFORE_A_NOUN = frozenset("the a an its their his her our your my this these those each every any no one main root "
                        "underlying common specific possible other different many major primary likely known".split())
# ... or before these ("the cause of", "a trigger for").
_AFTER_A_NOUN = frozenset({"of", "for"})
# Words that may stand between a relative pronoun and its verb: modals, auxiliaries, negations, adverbs.
_VERB_COMPANIONS = frozenset("can could may might will would shall should must do does did also often sometimes "
                             "usually typically not never".split())
_RELATIVE_PRONOUNS = frozenset({"that", "which", "who"})
# The pronouns of an object relative clause, and how many words its subject may have, a noun phrase with no
# verb "be" in it ("that [chronic kidney disease] can lead to", "which [kidney failure] is attributed to").
_OBJECT_PRONOUNS = frozenset({"that", "which"})
_SUBJECT_WORDS = 6
_BEFORE_THE_VERB = _VERB_COMPANIONS | BE_FORMS  # "that kidney failure is typically attributed to"
# Where a relative clause ends: a punctuation mark, or the verb of the sentence it is part of.
_CLAUSE_END = re.compile(r"[,;:()]|\b(?:is|are|was|were|be|include|includes|including)\b")
_PART_END = re.compile(r"[,;:.?!()]")
_WHAT = re.compile(r"\bwhat\b")
_WHICH = re.compile(r"\b(?:which|who|whom|whose)\b")
_PRONOUN = re.compile(r"\b(?:it|they|them|this|these)\b")
_AUXILIARIES = AUXILIARIES | frozenset("is are was were".split())  # and the finite forms of "be"


def _table() -> dict[str, list[tuple[tuple[str, ...], bool]]]:
    """Each phrase's stems, with whether it is forward, under its first stem, longest first."""
    table: dict[str, list[tuple[tuple[str, ...], bool]]] = {}
    for phrases, forward in ((FORWARD, True), (BACKWARD, False)):
        for phrase in phrases:
            stems = tuple(stem(word) for word in phrase.split())
            table.setdefault(stems[0], []).append((stems, forward))
    for options in table.values():
        options.sort(key=lambda option: -len(option[0]))
    return table


_PHRASES = _table()
# A text can hold a phrase only if one of its words starts with a phrase's first stem (the stemmer only takes
# endings off, and no first stem ends in the "y" it puts back): most sentences have none, and are not stemmed.
# A word starts where _TOKEN's does, after no letter or digit, which is not \b's "\w" ("_lead to").
_FIRST_STEMS = re.compile(r"(?<![^\W_])(?:" + "|".join(sorted(map(re.escape, _PHRASES), key=len, reverse=True)) + ")")


class CausalPhrase(NamedTuple):
    """A causal phrase as found in a normalised text."""

    start: int  # its offsets in the text
    end: int
    forward: bool  # what comes before it causes what comes after it
    relative: bool  # its verb is that of a relative clause ("conditions that can lead to ...")
    # Its verb is that of an object relative clause, its subject between the pronoun and it and its object the
    # noun before the pronoun ("vascular damage that calcification can trigger"): the offsets of the pronoun's
    # start and end; else None.
    object_of: tuple[int, int] | None = None

    def written(self, text: str) -> str:
        return text[self.start:self.end]


class CausalReading(NamedTuple):
    """A text's causal phrases, and the content words on each side of them."""

    phrase: str  # its causal phrases as written, joined by commas
    causes: frozenset[str]  # keys of the content words on its cause side
    effects: frozenset[str]  # and on its effect side
    links: frozenset[tuple[str, str]]  # (cause, effect) for each phrase and each key of its cause and effect sides

    @property
    def only_causes(self) -> frozenset[str]:
        return self.causes - self.effects

    @property
    def only_effects(self) -> frozenset[str]:
        return self.effects - self.causes


def find_phrases(text: str) -> list[CausalPhrase]:
    """The causal phrases of a normalised text, in order, each word in at most one."""
    if _FIRST_STEMS.search(text) is None:
        return []
    words = list(_TOKEN.finditer(text))
    stems = [stem(word.group()) for word in words]
    found: list[CausalPhrase] = []
    i = 0
    while i < len(stems):
        for phrase, forward in _PHRASES.get(stems[i], ()):
            if tuple(stems[i:i + len(phrase)]) == phrase and not _is_noun(words, i, len(phrase)):
                last = words[i + len(phrase) - 1]
                relative = _is_relative(words, i)
                found.append(CausalPhrase(words[i].start(), last.end(), forward, relative,
                                          None if relative else _object_relative(text, words, i, last.end())))
                i += len(phrase)
                break
        else:
            i += 1
    return found


def _is_noun(words: list[re.Match], i: int, length: int) -> bool:
    """A one-word phrase used as a noun: "the root cause", "a cause of"."""
    if length > 1:
        return False
    before = [w.group() for w in words[max(0, i - 2):i]]
    after = words[i + 1].group() if i + 1 < len(words) else ""
    if after in _AFTER_A_NOUN or (before and before[-1] in _BEFORE_A_NOUN):
        return True
    return len(before) == 2 and before[0] in _BEFORE_A_NOUN and before[1] not in _RELATIVE_PRONOUNS | _VERB_COMPANIONS


def _is_relative(words: list[re.Match], i: int) -> bool:
    """The word at i is the verb of a relative clause: "that", "which" or "who" comes right before it,
    but for modals, negations and adverbs ("that can lead to", "which may inadvertently contribute to")."""
    for word in reversed(words[:i]):
        token = word.group()
        if token in _VERB_COMPANIONS or token.endswith("ly") or is_negation(token):
            continue
        return token in _RELATIVE_PRONOUNS
    return False


def _object_relative(text: str, words: list[re.Match], i: int, end: int) -> tuple[int, int] | None:
    """The pronoun's offsets if the phrase that starts at word i and ends at `end` is the verb of an object relative
    clause: "that" or "which", then its subject (a few words, no verb "be" among them; a wh-word, where a question
    asks for it), modals and adverbs, the phrase, and its clause ends there, the object it lacks being the noun
    before the pronoun ("vascular damage that calcification can trigger."; "... that calcification can trigger is
    ..."). A phrase with words of its own after it has its object there ("the fact that acne can lead to
    scarring")."""
    if _TOKEN.search(text, end, _clause_end(text, end)) is not None:
        return None
    j = i
    while j > 0 and (words[j - 1].group() in _BEFORE_THE_VERB or words[j - 1].group().endswith("ly")
                     or is_negation(words[j - 1].group())):
        j -= 1
    for k in range(j - 1, max(j - 1 - _SUBJECT_WORDS, -1), -1):
        token = words[k].group()
        if token in _OBJECT_PRONOUNS:
            if k == j - 1 or _PART_END.search(text, words[k].end(), words[j].start()) is not None:
                return None  # no subject, or a punctuation mark inside it
            return words[k].start(), words[k].end()
        if token in BE_FORMS or token in _RELATIVE_PRONOUNS:
            return None  # a verb of its own: no subject
    return None


def read_text(text: str, vocabulary: Vocabulary) -> CausalReading | None:
    """The causes and effects of a normalised text, by all its causal phrases; None if it has none."""
    return _reading(text, find_phrases(text), vocabulary)


def _reading(text: str, phrases: list[CausalPhrase], vocabulary: Vocabulary) -> CausalReading | None:
    if not phrases:
        return None
    causes: set[str] = set()
    effects: set[str] = set()
    links: set[tuple[str, str]] = set()
    words = _without_phrases(text, phrases)
    for phrase in phrases:
        before, after = _sides(words, phrase, vocabulary)
        its_causes, its_effects = (before, after) if phrase.forward else (after, before)
        causes |= its_causes
        effects |= its_effects
        links.update((cause, effect) for cause in its_causes for effect in its_effects if cause != effect)
    return CausalReading(", ".join(phrase.written(text) for phrase in phrases), frozenset(causes), frozenset(effects),
                         frozenset(links))


def _without_phrases(text: str, phrases: list[CausalPhrase]) -> str:
    """The text with each causal phrase blanked out (the offsets kept), so that no side holds a phrase's words."""
    for phrase in phrases:
        text = text[:phrase.start] + " " * (phrase.end - phrase.start) + text[phrase.end:]
    return text


def _sides(text: str, phrase: CausalPhrase, vocabulary: Vocabulary) -> tuple[frozenset[str], frozenset[str]]:
    """The keys of the phrase's subject side and of its object side. A phrase with no content word before it
    heads its sentence's subject ("A result of X can be Y", "Due to X, Y"): its object ends where a relative
    clause's does, and what the sentence says after it is the other side."""
    if phrase.object_of is not None:  # "damage that calcification can trigger": the subject after the pronoun
        start, end = phrase.object_of
        rest = _clause_end(text, phrase.end)
        return _keys(text[end:phrase.start], vocabulary), _keys(text[:start] + " " + text[rest:], vocabulary)
    if phrase.relative or not _keys(text[:phrase.start], vocabulary):
        end = _clause_end(text, phrase.end)
        return _keys(text[:phrase.start] + " " + text[end:], vocabulary), _keys(text[phrase.end:end], vocabulary)
    return _keys(text[:phrase.start], vocabulary), _keys(text[phrase.end:], vocabulary)


def _clause_end(text: str, start: int) -> int:
    found = _CLAUSE_END.search(text, start)
    return found.start() if found else len(text)


def _keys(text: str, vocabulary: Vocabulary) -> frozenset[str]:
    return frozenset(content_keys(vocabulary.terms(text)))


def read_question(question: str, answer: str, vocabulary: Vocabulary) -> CausalReading | None:
    """The causes and effects of a question and its answer (both normalised), read as one statement."""
    answer = _PART_END.sub(" ", answer)
    phrases = find_phrases(question)
    if not phrases:
        return _answer_alone(_PART_END.sub(" ", question), answer, vocabulary)
    return read_text(_answered(question, answer, phrases, vocabulary), vocabulary)


def _answer_alone(question: str, answer: str, vocabulary: Vocabulary) -> CausalReading | None:
    """An answer that holds the claim's only causal phrase: read alone, unless a side of it has no content word
    ("It can result in Y", "Y can result from it"), whose words the question gives: in the place of its pronoun,
    or before it."""
    reading = read_text(answer, vocabulary)
    if reading is None or (reading.causes and reading.effects):
        return reading
    pronoun = _PRONOUN.search(answer)
    if pronoun is None:
        return read_text(question + " " + answer, vocabulary)
    return read_text(answer[:pronoun.start()] + question + answer[pronoun.end():], vocabulary)


def _answered(question: str, answer: str, phrases: list[CausalPhrase], vocabulary: Vocabulary) -> str:
    """The question, whose causal phrases are `phrases`, with the answer where its wh-word asks for it (see the
    module's docstring)."""
    ask = _WHAT.search(question) or _WHICH.search(question)
    if ask is None:
        return question + " " + answer
    phrase = next((p for p in phrases if _asks_for_object(question, ask, p, vocabulary)), None)
    if phrase is None:
        return question[:ask.start()] + answer + question[ask.end():]
    aux = next((m for m in _TOKEN.finditer(question, ask.end(), phrase.start) if m.group() in _AUXILIARIES), None)
    cut = aux.start() if aux else ask.end()
    return " ".join((question[:ask.start()], question[cut:phrase.end], answer, question[ask.end():cut],
                     question[phrase.end:]))


def _asks_for_object(question: str, ask: re.Match, phrase: CausalPhrase, vocabulary: Vocabulary) -> bool:
    """The wh-phrase comes before the causal phrase, and no content word comes after the phrase in its part of
    the question: "What can bumps near joints cause?", "Which condition can sarcoidosis result in?", "What can
    calcification, an abnormal event, lead to?"; but not where the wh-word is the subject of an object relative
    clause ("the risk of vascular damage that what can trigger?")."""
    if ask.end() > phrase.start:
        return False
    if phrase.object_of is not None and ask.start() >= phrase.object_of[1]:
        return False  # it asks for the subject of an object relative clause: "damage that what can trigger?"
    rest = _PART_END.search(question, phrase.end)
    return not _keys(question[phrase.end:rest.start() if rest else len(question)], vocabulary)
