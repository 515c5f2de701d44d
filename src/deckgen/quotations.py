"""The gate's verbatim quotations: what a card puts between typographic quotation marks („…“, «…», »…«, ‚…‘,
‹…›) it quotes, and the supporting sentence must say it as written, every word of it: one of the sentence's own
quotations, whole, where it has any (a glossary's "„Einfach oder hin und zurück?“ means 'Single or return?'" glosses
the phrase, not „Einfach“), its words in a row where it has none.

The gate reads English: its stop-words ("in", "an", "was", "so"…) are skipped when a claim is compared with
its passage, so in a German phrase they could be changed at will ("„Ich wohne an Berlin.“ means 'I live in
Berlin'" passed on "„Ich wohne in Berlin.“"). A quotation closes that for the text a card marks as quoted, in any
language, without a stop-word list of each. Straight quotes ("…") are left alone: English prose uses them for
words used as words, scare quotes and titles, not only for text said verbatim.
"""

from __future__ import annotations

import re

from .cards import CLOZE_PATTERN
from .model import Card, CardKind
from .textnorm import normalize, tokens

# An opening mark, the shortest text without a line break, and the mark that closes it in German, French, Swiss,
# Scandinavian and other usage. "“" opens English quotations but closes German ones; an English card's curly quotes
# are straight quotes to the gate (see the module's docstring), so it is no opening mark here.
_QUOTATION = (r"\u201e([^\u201c\u201d\n]+?)[\u201c\u201d]"  # „…“ (or „…”); compiled when used (textnorm)
              r"|\u00ab\s*([^\u00bb\n]+?)\s*\u00bb"  # «…»
              r"|\u00bb([^\u00ab\n]+?)\u00ab"  # »…«
              r"|\u201a([^\u2018\u2019\n]+?)[\u2018\u2019]"  # ‚…‘
              r"|\u2039\s*([^\u203a\n]+?)\s*\u203a")  # ‹…›


def quotations(card: Card) -> tuple[tuple[str, str], ...]:
    """Each quotation on the card, normalised, with the card key it is written under: in its question and answer,
    or in its cloze with the deletions in place."""
    if card.kind is CardKind.QA:
        texts = (("question", card.question), ("answer", card.answer))
    else:
        texts = (("cloze", CLOZE_PATTERN.sub(lambda m: m.group(2), card.cloze)),)
    return tuple((key, normalize(next(filter(None, found.groups()))))
                 for key, text in texts if _may_quote(text) for found in re.compile(_QUOTATION).finditer(text))


def within_quotation(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] (a cloze's deletion) lies inside one of the text's quotations, which the gate checks
    word for word: a deletion of stop-words alone ("„Ich wohne {{c1::in}} Berlin.“") is checked there."""
    return _may_quote(text) and any(found.start() < start and end < found.end()
                                    for found in re.compile(_QUOTATION).finditer(text))


def _may_quote(text: str) -> bool:
    return "\u201e" in text or "\u00ab" in text or "\u00bb" in text or "\u201a" in text or "\u2039" in text


def said_quotations(texts: tuple[str, ...]) -> frozenset[tuple[str, ...]]:
    """The words of each quotation that texts as written (a supporting sentence's units) hold."""
    return frozenset(tuple(tokens(normalize(next(filter(None, found.groups())))))
                     for text in texts if _may_quote(text) for found in re.compile(_QUOTATION).finditer(text))


def misquoted(quoted: tuple[tuple[str, str], ...], sentence: str, quotations_said: frozenset[tuple[str, ...]]
              ) -> list[tuple[str, str]]:
    """The quotations (see quotations()) that the supporting sentence does not say as written: where it has
    quotations of its own, one of them word for word, the whole of it ("„Einfach“" is not "„Einfach oder hin und
    zurück?“", whose gloss is the whole phrase's); where it has none, its words in a row in the (normalised)
    sentence."""
    wrong = []
    for key, text in quoted:
        words = tuple(tokens(text))
        if words and not (words in quotations_said if quotations_said else _in_a_row(words, tokens(sentence))):
            wrong.append((key, text))
    return wrong


def _in_a_row(words: tuple[str, ...], sentence: list[str]) -> bool:
    """Whether the words occur one after another in the sentence's words."""
    size = len(words)
    return any(tuple(sentence[at:at + size]) == words for at, word in enumerate(sentence) if word == words[0])
