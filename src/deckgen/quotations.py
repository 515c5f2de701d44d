"""The gate's verbatim quotations: what a card puts between typographic quotation marks („…“, «…», »…«, ‚…‘,
‹…›) it quotes, and the supporting sentence must say it as written, every word of it.

The gate reads English: its stop-words ("in", "an", "was", "so", "die"…) are skipped when a claim is compared with
its passage, so in a German phrase they could be changed at will ("„Ich wohne an Berlin.“ means 'I live in
Berlin'" passed on "„Ich wohne in Berlin.“"). A quotation closes that for the text a card marks as quoted, in any
language, without a stop-word list of each. Straight quotes ("…") are left alone: English prose uses them for
words used as words, scare quotes and titles, not only for text said verbatim.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .cards import CLOZE_PATTERN
from .model import Card, CardKind
from .textnorm import normalize

# An opening mark, the shortest text without a line break, and the mark that closes it in German, French, Swiss,
# Scandinavian and other usage. "“" opens English quotations but closes German ones; an English card's curly quotes
# are straight quotes to the gate (see the module's docstring), so it is no opening mark here.
_QUOTATION = re.compile(r"\u201e([^\u201c\u201d\n]+?)[\u201c\u201d]"  # „…“ (or „…”)
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
                 for key, text in texts if _may_quote(text) for found in _QUOTATION.finditer(text))


def within_quotation(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] (a cloze's deletion) lies inside one of the text's quotations, which the gate checks
    word for word: a deletion of stop-words alone ("„Ich wohne {{c1::in}} Berlin.“") is checked there."""
    return _may_quote(text) and any(found.start() < start and end < found.end() for found in _QUOTATION.finditer(text))


def _may_quote(text: str) -> bool:
    return "\u201e" in text or "\u00ab" in text or "\u00bb" in text or "\u201a" in text or "\u2039" in text


def misquoted(quoted: tuple[tuple[str, str], ...], sentence: str) -> list[tuple[str, str]]:
    """The quotations (see quotations()) that the (normalised) sentence does not say as written, as whole words."""
    return [(key, text) for key, text in quoted if text and not _as_written(text).search(sentence)]


@lru_cache(maxsize=4096)
def _as_written(text: str) -> re.Pattern[str]:
    """`text` in a sentence, not part of a longer word at either end."""
    return re.compile(r"(?<!\w)" + re.escape(text) + r"(?!\w)")
