"""Wrong claims made from right cards, to measure the claim-level gate: each class changes what the card
claims as a whole (its question, its answer against its question, its quote, its hints), where
mutants.py changes the words of an answer.

Every generator takes a real card and returns (class, card) pairs; the test traces each one and
requires the gate to reject it, unless it is listed as an equivalent mutant (a true claim) in
equivalent_mutants.yaml with the reason it is true.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from deckgen.cards import CLOZE_PATTERN
from deckgen.model import Card, CardKind, Lexicon, SourceRef
from deckgen.sources import Corpus, Unit, UnitKind
from deckgen.textnorm import Vocabulary, content_keys, normalize
from deckgen.trace import Gate

CLASSES = ("question-term", "answer-swap", "splice", "false-premise", "hint")
SUPERLATIVES = ("only", "most", "first")
NUMBERS = ("three", "12")


@dataclass(frozen=True)
class ClaimMutant:
    kind: str
    card: Card

    @property
    def text(self) -> str:
        """What the mutant changed, as one line: its question and answer, or its cloze, and its quotes."""
        claim = self.card.cloze or f"{self.card.question} -> {self.card.answer}"
        return claim + " | " + " / ".join(ref.quote for ref in self.card.sources)


class Mutator:
    def __init__(self, gate: Gate, lexicon: Lexicon, synonyms: tuple[tuple[str, ...], ...], cards: tuple[Card, ...]):
        self.gate = gate
        self.vocabulary: Vocabulary = gate.vocabulary
        self.cards = cards
        corpus: Corpus = gate.corpus
        text = " ".join(doc.norm for doc in corpus.docs.values())
        # Each kind's terms that occur in the sources, and every way of writing each term (its synonyms).
        self.siblings = {kind: [t for t in terms if re.search(rf"\b{re.escape(t)}\b", text)]
                         for kind, terms in lexicon.kinds}
        self.spellings: dict[str, tuple[str, ...]] = {}
        for _, terms in lexicon.kinds:
            for term in terms:
                group = next((g for g in synonyms if term in g), (term,))
                self.spellings[term] = tuple(sorted(set(group) | {term}, key=len, reverse=True))

    def all(self, card: Card) -> list[ClaimMutant]:
        """Every mutant of the card that claims something else, each once: one that reads the same to the
        gate (the same words in all, up to stemming and synonyms, and the same quotes) is no mutant."""
        mutants = (self.question_terms(card) + self.answer_swaps(card) + self.splices(card)
                   + self.false_premises(card) + self.hints(card))
        same = self._claim_keys(card)
        unique = {(m.kind, m.text): m for m in mutants
                  if self._claim_keys(m.card) != same or m.card.sources != card.sources}
        return list(unique.values())

    def _claim_keys(self, card: Card) -> frozenset[str]:
        """The words of the whole claim, as the gate compares them: question, answer, cloze and hints."""
        hints = " ".join(m.group(3) or "" for m in CLOZE_PATTERN.finditer(card.cloze))
        return frozenset(self._keys(" ".join((card.question, card.answer, card.cloze, hints))))

    # --- question-term swap: a decisive term of the question replaced by a sibling ------------------
    def question_terms(self, card: Card) -> list[ClaimMutant]:
        mutants = []
        text = _question_text(card)
        for kind, siblings in self.siblings.items():
            for term in siblings:
                spelled = next((s for s in self.spellings[term] if _has_word(text, s)), None)
                if spelled is None:
                    continue
                for other in siblings:
                    if other != term and not any(_has_word(text, s) for s in self.spellings[other]):
                        mutants.append(ClaimMutant("question-term", _with_question(card, _replace_word(text, spelled, other))))
        return mutants

    # --- answer swap: another card's answer whose words all occur in this card's quotes -----------------
    def answer_swaps(self, card: Card) -> list[ClaimMutant]:
        if card.kind is not CardKind.QA:
            return []
        quoted = set().union(*(self._keys(ref.quote) for ref in card.sources))
        own = self._keys(card.answer)
        return [ClaimMutant("answer-swap", replace(card, answer=other.answer))
                for other in self.cards
                if other.kind is CardKind.QA and other.id != card.id
                and (keys := self._keys(other.answer)) and keys <= quoted and keys != own]

    # --- splice: the answer taken from a neighbouring sentence of the same paragraph, quoted with it ---
    def splices(self, card: Card) -> list[ClaimMutant]:
        mutants = []
        for position, ref in enumerate(card.sources):
            match, _ = self.gate.find_quote(ref)
            if match is None:
                continue
            first, last = match.units[0], match.units[-1]
            doc = match.doc
            if match.spans[-1][1] == last.end and last.index + 1 < len(doc.rows):
                after = doc.unit(last.index + 1)
                if _same_paragraph(last, after):
                    mutants.append(self._spliced(card, position, ref.quote + " " + after.text, after))
            if match.spans[0][0] == first.start and first.index > 0:
                before = doc.unit(first.index - 1)
                if _same_paragraph(before, first):
                    mutants.append(self._spliced(card, position, before.text + " " + ref.quote, before))
        return mutants

    def _spliced(self, card: Card, position: int, quote: str, neighbour: Unit) -> ClaimMutant:
        sources = list(card.sources)
        sources[position] = replace(sources[position], quote=quote)
        said = neighbour.text.rstrip(".:;!? ")
        if card.kind is CardKind.QA:
            return ClaimMutant("splice", replace(card, answer=said, sources=tuple(sources)))
        first = next(CLOZE_PATTERN.finditer(card.cloze))
        cloze = card.cloze[:first.start(2)] + said + card.cloze[first.end(2):]
        return ClaimMutant("splice", replace(card, cloze=cloze, sources=tuple(sources)))

    # --- false premise: a decisive term the passage does not support added to the question ------------
    def false_premises(self, card: Card) -> list[ClaimMutant]:
        said = self._keys(" ".join(self._passage_text(ref) for ref in card.sources)) | self._keys(_question_text(card))
        added = [next((t for t in terms if not self._keys(t) <= said), None) for terms in self.siblings.values()]
        added += [word for word in SUPERLATIVES + NUMBERS if not self._keys(word) <= said]
        mutants = []
        for term in filter(None, added):
            if card.kind is CardKind.QA:
                question = card.question.rstrip("?. ") + f" in {term}?"
                mutants.append(ClaimMutant("false-premise", replace(card, question=question)))
            else:
                mutants.append(ClaimMutant("false-premise", replace(card, cloze=card.cloze.rstrip(". ") + f" in {term}.")))
        return mutants

    # --- hint: a cloze hint with words the passage does not support -----------------------------------
    def hints(self, card: Card) -> list[ClaimMutant]:
        if card.kind is not CardKind.CLOZE:
            return []
        said = self._keys(" ".join(self._passage_text(ref) for ref in card.sources))
        unsupported = [next((t for t in terms if not self._keys(t) <= said), None) for terms in self.siblings.values()]
        mutants = []
        for deletion in CLOZE_PATTERN.finditer(card.cloze):
            for hint in filter(None, unsupported):
                end = deletion.end(3) if deletion.group(3) is not None else deletion.end(2)
                hinted = card.cloze[:deletion.end(2)] + "::" + hint + card.cloze[end:]
                mutants.append(ClaimMutant("hint", replace(card, cloze=hinted)))
        return mutants

    def _keys(self, text: str) -> set[str]:
        return content_keys(self.vocabulary.terms(normalize(text)))

    def _passage_text(self, ref: SourceRef) -> str:
        """Every sentence the quote touches, in full, with its section's heading."""
        match, _ = self.gate.find_quote(ref)
        if match is None:
            return ""
        heading = match.doc.heading_of(match.units[0])
        return " ".join([match.doc.norm_of(u) for u in match.units] + [normalize(heading.text if heading else match.doc.title)])


def _question_text(card: Card) -> str:
    """What a mutant may change outside the answer: the question, or the cloze text around its deletions."""
    if card.kind is CardKind.QA:
        return card.question
    return CLOZE_PATTERN.sub(lambda m: "\x00" + "\x01" * (len(m.group(0)) - 1), card.cloze)


def _with_question(card: Card, text: str) -> Card:
    if card.kind is CardKind.QA:
        return replace(card, question=text)
    # `text` is the cloze with each deletion masked (see _question_text): put the deletions back
    deletions = [m.group(0) for m in CLOZE_PATTERN.finditer(card.cloze)]
    parts = re.split("\x00\x01*", text)
    return replace(card, cloze="".join(part + deletion for part, deletion in zip(parts, deletions + [""])))


def _has_word(text: str, word: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", normalize(text)) is not None


def _replace_word(text: str, old: str, new: str) -> str:
    return re.sub(rf"(?<![\w-]){re.escape(old)}(?![\w-])", new, text, count=1, flags=re.I)


def _same_paragraph(first: Unit, second: Unit) -> bool:
    """Two neighbouring sentences written on one line of the source: one paragraph."""
    return first.kind is UnitKind.SENTENCE and second.kind is UnitKind.SENTENCE and first.line == second.line
