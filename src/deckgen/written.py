"""Text as its author wrote it, found again from its normal form (textnorm.normalize).

The gate compares normal forms: NFKC, case-folded, white space collapsed. A message that quotes what it compared
would show "μg" (GREEK MU) for the "µg" (MICRO SIGN) the author typed, "m2" for "m²", "20" for full-width "２０",
"first" for "ﬁrst" and "iv" for "IV": not what is in the file, and not what the author can search for there. So the
words a message quotes are looked up again in the texts they come from (the card's fields and quotes, the source's
sentences), and shown in those texts' own characters. The render stage uses the same mapping to mark a quote in its
sentence as written (render._spans_mapped).
"""

from __future__ import annotations

import re
from itertools import chain
from typing import Iterable, Iterator

from .diagnostics import Diagnostic
from .model import Card
from .sources import SourceDoc
from .textnorm import normalize, word_spans

_QUOTED = re.compile(r"\"([^\"\n]+)\"")  # what a message puts between straight double quotes
_CUT = "\u2026"  # how a message ends a quoted text it shortened (trace._shorten)


def normal_with_origin(text: str) -> tuple[str, list[int]]:
    """The text's normal form made character by character, and for each of its characters the index of the text's
    character it comes from. It is normalize(text) unless NFKC composes a sequence of characters (a letter and a
    combining accent), which each character alone leaves apart."""
    normal: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for folded in normalize(char) or (" " if char.isspace() else ""):
            if folded == " " and (not normal or normal[-1] == " "):
                continue
            normal.append(folded)
            origin.append(index)
    while normal and normal[-1] == " ":
        normal.pop()
        origin.pop()
    return "".join(normal), origin


def written_forms(normal: str, text: str, *, whole_words: bool = True) -> Iterator[str]:
    """Each stretch of `text` whose normal form is `normal`, in the text's own characters: each that begins and
    (with `whole_words`) ends where no word is cut in two."""
    mapped, origin = normal_with_origin(text)
    start = mapped.find(normal) if normal else -1
    if start < 0:
        return
    cuts = _inside_words(mapped)
    while start >= 0:
        end = start + len(normal)
        if start not in cuts and (end not in cuts or not whole_words):
            yield text[origin[start]:origin[end - 1] + 1]
        start = mapped.find(normal, start + 1)


def _inside_words(text: str) -> set[int]:
    """The places inside the text's words (textnorm.tokens' words), where a stretch that starts or ends cuts one."""
    return {at for start, end in word_spans(text) for at in range(start + 1, end)}


def in_authors_characters(diagnostic: Diagnostic, texts: Iterable[str], docs: Iterable[SourceDoc] = ()
                          ) -> Diagnostic:
    """The diagnostic with each text its message and hint quote ("...") shown as its author wrote it (quoted_as_written):
    the words of the card's texts (`texts`), then of the documents' sentences."""
    texts, docs = tuple(texts), tuple(docs)
    return diagnostic._replace(message=quoted_as_written(diagnostic.message, texts, docs),
                               hint=quoted_as_written(diagnostic.hint, texts, docs))


def quoted_as_written(message: str, texts: tuple[str, ...], docs: tuple[SourceDoc, ...] = (), mark: str = "\""
                      ) -> str:
    """The message with each text it quotes between two `mark`s in normal form shown as its author wrote it.

    Such a text is the normal form of words of `texts` or of the documents' sentences: if one of them writes it so,
    it stays as it is; else it is shown as the first of them (the texts', then the documents') writes it: "μg" as
    "µg", "iv" as "IV". A quoted text that is not in normal form (an example a hint gives, "X of Y") is the message's
    own, and stays as it is too."""
    def written(found: re.Match[str]) -> str:
        quoted = found.group(1)
        cut = quoted.endswith(_CUT)  # shortened by the message: its last word may be cut
        normal = quoted[:-1] if cut else quoted
        if normalize(normal) != normal:
            return found.group(0)
        forms = chain(chain.from_iterable(written_forms(normal, text, whole_words=not cut) for text in texts),
                      chain.from_iterable(_in_document(normal, doc, cut) for doc in docs))
        first = None
        for form in forms:
            if form == normal:
                return found.group(0)
            first = first or form
        return found.group(0) if first is None else f"{mark}{first}{_CUT if cut else ''}{mark}"

    quoted = _QUOTED if mark == "\"" else re.compile(f"{re.escape(mark)}([^{re.escape(mark)}\n]+){re.escape(mark)}")
    return quoted.sub(written, message)


def card_texts(card: Card) -> tuple[str, ...]:
    """What the author wrote on a card, each field and each quote, as a message about it may quote it."""
    return (card.question, card.answer, card.cloze, card.extra) + tuple(ref.quote for ref in card.sources)


def _in_document(normal: str, doc: SourceDoc, cut: bool) -> Iterator[str]:
    """`normal` as the document's sentences write it, each place: found in the document's normal text first, then
    in the sentence there."""
    start = doc.norm.find(normal) if normal else -1
    while start >= 0:
        unit = doc.unit_at(start)
        if start + len(normal) <= unit.end:
            yield from written_forms(normal, unit.text, whole_words=not cut)
        start = doc.norm.find(normal, unit.end + 1)  # (written_forms gave every place in the sentence)
