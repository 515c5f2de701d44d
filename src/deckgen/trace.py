"""Stage 3 — the traceability gate: every answer provably backed by a quoted passage.

For a card to pass, one of its citations must satisfy all four rules:

1. the quote occurs in the named document (after normalisation; ' ... ' may skip words inside
   one sentence, or from a list's lead-in into one of its items);
2. every content word of the answer (each deletion of a cloze) occurs in the quoted part of one
   sentence (a *support*), up to light stemming and the project's explicit synonyms;
3. decisive terms agree between answer and support: negations, polarity words (normal/abnormal,
   high/low, excess ...), and calcinosis subtype names;
4. the quote is about the question: a content word of the question occurs in the quoted sentences.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .cards import CLOZE_PATTERN
from .diagnostics import Diagnostic, Location
from .model import Card, CardKind, SourceRef
from .sources import Corpus, SourceDoc, Unit, UnitKind
from .textnorm import (POLARITY, SUBTYPES, Term, Vocabulary, content_keys, negated_keys, normalize,
                       polarity_bindings, quote_pieces)


@dataclass(frozen=True)
class QuoteMatch:
    doc: SourceDoc
    spans: tuple[tuple[int, int], ...]  # offsets in doc.norm of each quoted piece

    @cached_property
    def units(self) -> list[Unit]:
        seen: dict[int, Unit] = {}
        for start, end in self.spans:
            for unit in self.doc.units_between(start, end):
                seen[unit.index] = unit
        return [seen[i] for i in sorted(seen)]

    def quoted_text(self, units: tuple[Unit, ...]) -> str:
        """The part of the given units that the quote actually covers."""
        parts = []
        for unit in units:
            for start, end in self.spans:
                lo, hi = max(start, unit.start), min(end, unit.end)
                if lo < hi:
                    parts.append(self.doc.norm[lo:hi])
        return " ".join(parts)


@dataclass(frozen=True)
class Claim:
    """What one citation must support: an answer (or a cloze deletion) and the question around it."""

    answer: str
    question: str
    location: Location
    label: str  # "answer" or "deletion c1"


@dataclass(frozen=True)
class Support:
    """A citation that passed: the source, the quoted passage, and the sentence that carries the claim."""

    ref: SourceRef
    doc: SourceDoc
    units: tuple[Unit, ...]  # the supporting sentence
    quoted: tuple[Unit, ...]  # every sentence or list item the quote touches, for display


@dataclass(frozen=True)
class TraceResult:
    card: Card
    supports: tuple[Support, ...]  # citations that carry the card
    context: tuple[Support, ...]  # further citations, found verbatim, that back its `extra`
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return bool(self.supports)


class Gate:
    def __init__(self, corpus: Corpus, vocabulary: Vocabulary):
        self.corpus = corpus
        self.vocabulary = vocabulary

    def trace(self, card: Card) -> TraceResult:
        """Every citation must be found (rule 1); at least one must support the card (rules 2-4)."""
        claims = claims_of(card)
        supports: list[Support] = []
        context: list[Support] = []  # found, but backing only the `extra`
        missing: list[Diagnostic] = []
        unsupported: list[tuple[QuoteMatch, SourceRef]] = []
        for ref in card.sources:
            match, problems = self.find_quote(ref)
            if match is None:
                missing.extend(problems)
                continue
            units, _ = self.check_citation(match, claims, ref, explain=False)
            if units is None:
                unsupported.append((match, ref))
                context.append(Support(ref, match.doc, tuple(match.units), tuple(match.units)))
            else:
                supports.append(Support(ref, match.doc, units, tuple(match.units)))
        # why a citation does not support the card (with fuzzy "nearest" words) only when none does
        diagnostics = missing + ([] if supports else
                                 [d for match, ref in unsupported for d in self.check_citation(match, claims, ref)[1]])
        if diagnostics:
            return TraceResult(card, (), (), tuple(diagnostics))
        return TraceResult(card, tuple(supports), tuple(context), ())

    # --- rule 1: the quote is in the document --------------------------------------------------
    def find_quote(self, ref: SourceRef) -> tuple[QuoteMatch | None, list[Diagnostic]]:
        doc = self.corpus.docs.get(ref.doc)
        if doc is None:
            from difflib import get_close_matches  # only for an unknown document

            close = get_close_matches(ref.doc, list(self.corpus.docs), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "known: " + ", ".join(sorted(self.corpus.docs))
            return None, [Diagnostic(ref.doc_location, f"unknown source document '{ref.doc}'", hint)]
        pieces = quote_pieces(ref.quote)
        if not pieces:
            return None, [Diagnostic(ref.quote_location, "quote is empty")]
        spans: list[tuple[int, int]] = []
        position = 0
        for piece in pieces:
            found = doc.norm.find(piece, position)
            if found < 0:
                return None, [Diagnostic(ref.quote_location,
                                         f"quote not found in {doc.id}: \"{_shorten(piece)}\"",
                                         f"nearest passage: \"{nearest_passage(doc, piece)}\"")]
            spans.append((found, found + len(piece)))
            position = found + len(piece)
        match = QuoteMatch(doc, tuple(spans))
        headings = [u for u in match.units if u.kind is UnitKind.HEADING]
        if headings:
            return None, [Diagnostic(ref.quote_location, f"quote includes the heading \"{headings[0].text}\"",
                                     "quote article sentences only; headings are not statements")]
        for (_, end), (start, _) in zip(spans, spans[1:]):
            before, after = doc.unit_at(end - 1), doc.unit_at(start)
            if before.index != after.index and after.lead != before.index:
                return None, [Diagnostic(ref.quote_location,
                                         "the ' ... ' in this quote skips across a sentence boundary",
                                         "quote within one sentence, or from a list's lead-in into one item")]
        return match, []

    # --- rules 2-4: the quote supports every claim -----------------------------------------------
    def check_citation(self, match: QuoteMatch, claims: list[Claim], ref: SourceRef, *, explain: bool = True
                       ) -> tuple[tuple[Unit, ...] | None, list[Diagnostic]]:
        """The support for every claim, or why not (`explain=False` leaves out the fuzzy 'nearest' words)."""
        candidates = _candidate_sentences(match)
        context_text = " ".join(match.doc.norm_of(u) for u in match.units)
        context_terms = self.vocabulary.terms(context_text)
        problems: list[Diagnostic] = []
        best: tuple[Unit, ...] | None = None
        for claim in claims:
            answer_terms = self.vocabulary.terms(normalize(claim.answer))
            question_terms = self.vocabulary.terms(normalize(claim.question))
            if not content_keys(answer_terms):
                problems.append(Diagnostic(claim.location, f"{claim.label} has no content word to check"))
                continue
            reasons_by_candidate = []
            for units in candidates:
                text = match.quoted_text(units)
                support = context_terms if text == context_text else self.vocabulary.terms(text)
                reasons = self._disagreements(answer_terms, question_terms, support, text, explain)
                if not reasons:
                    best = best or units
                    break
                reasons_by_candidate.append(reasons)
            else:
                reasons = min(reasons_by_candidate, key=len) if reasons_by_candidate else ["has no quoted sentence in @doc"]
                for reason in reasons:
                    problems.append(Diagnostic(claim.location, f"{claim.label} {reason.replace('@doc', match.doc.id)}",
                                               "quote the sentence that states it, or reword to its terms"))
                continue
            question_keys = content_keys(question_terms)
            if question_keys and not question_keys & content_keys(context_terms):
                problems.append(Diagnostic(claim.location,
                                           f"the quote from {match.doc.id} is not about the question: "
                                           "no content word of the question occurs in the quoted sentences",
                                           "cite the passage that answers this question"))
            elif not self._item_is_about_card(match, question_keys | content_keys(answer_terms)):
                problems.append(Diagnostic(claim.location,
                                           f"the list item quoted from {match.doc.id} is not the one this card is "
                                           "about: neither question nor answer shares a word with it",
                                           "quote the item the card asks about, or only the lead-in sentence"))
        if problems:
            return None, problems
        return best, []

    def _item_is_about_card(self, match: QuoteMatch, card_keys: set[str]) -> bool:
        """A quote that reaches into a list must quote the item the card is about.

        Otherwise "Acne leads to which type?" could cite the lead-in of the metastatic list with
        another item ("including: ... sarcoidosis") and pass on the lead-in alone.
        """
        items = tuple(u for u in match.units if u.kind is UnitKind.ITEM)
        if not items:
            return True
        return bool(card_keys & content_keys(self.vocabulary.terms(match.quoted_text(items))))

    @staticmethod
    def _disagreements(answer: list[Term], question: list[Term], support: list[Term], text: str,
                       explain: bool = True) -> list[str]:
        reasons: list[str] = []
        support_keys = content_keys(support)
        for term in answer:
            if term.content and term.key not in support_keys:
                from difflib import get_close_matches  # only for a word the passage lacks

                near = get_close_matches(term.raw, sorted({t.raw for t in support if t.content}), n=1,
                                         cutoff=0.5) if explain else []
                nearest = f" (nearest: \"{near[0]}\")" if near else ""
                reasons.append(f"word \"{term.raw}\" is not in the quoted passage from @doc{nearest}")
        if reasons:
            return reasons
        answer_keys = content_keys(answer)
        answer_negated, support_negated = negated_keys(answer), negated_keys(support)
        for key in sorted(answer_negated - support_negated):
            reasons.append(f"negates \"{_raw(answer, key)}\" but the quoted passage from @doc does not")
        for key in sorted((support_negated & answer_keys) - answer_negated):
            reasons.append(f"drops the negation that the quoted passage from @doc puts on \"{_raw(answer, key)}\"")
        answer_polar = {t.raw for t in answer + question if t.raw in POLARITY}
        for polar, neighbour in sorted(polarity_bindings(support)):
            if neighbour in answer_keys and polar not in answer_polar:
                reasons.append(f"leaves out \"{polar}\", which the quoted passage from @doc says of "
                               f"\"{_raw(answer, neighbour)}\"")
        stated = {t.raw for t in answer + question} & SUBTYPES
        for subtype in sorted({t.raw for t in support} & SUBTYPES - stated):
            reasons.append(f"the quoted passage from @doc is about {subtype} calcinosis, which the card does not name")
        return reasons


def claims_of(card: Card) -> list[Claim]:
    if card.kind is CardKind.QA:
        return [Claim(card.answer, card.question, card.locate("answer"), "answer")]
    claims = []
    for deletion in CLOZE_PATTERN.finditer(card.cloze):
        rest = card.cloze[:deletion.start()] + " " + card.cloze[deletion.end():]
        rest = CLOZE_PATTERN.sub(lambda m: m.group(2), rest)
        claims.append(Claim(deletion.group(2), rest, card.locate("cloze"), f"deletion c{deletion.group(1)}"))
    return claims


def _candidate_sentences(match: QuoteMatch) -> list[tuple[Unit, ...]]:
    """Each quoted unit alone, and each quoted list item joined with its (quoted) lead-in."""
    units = match.units
    by_index = {u.index: u for u in units}
    candidates: list[tuple[Unit, ...]] = [(u,) for u in units]
    for unit in units:
        if unit.lead is not None and unit.lead in by_index:
            candidates.append((by_index[unit.lead], unit))
    return candidates


def nearest_passage(doc: SourceDoc, piece: str) -> str:
    """The document sentence closest to a quote that was not found (only computed on failure)."""
    from rapidfuzz import fuzz, process

    choices = [doc.norm_of(u) for u in doc.units if u.citable]
    best = process.extractOne(piece, choices, scorer=fuzz.partial_ratio)
    return _shorten(best[0]) if best else ""


def _raw(terms: list[Term], key: str) -> str:
    return next((t.raw for t in terms if t.key == key), key)


def _shorten(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
