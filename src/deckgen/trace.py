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

from .cards import CLOZE_PATTERN
from .diagnostics import Diagnostic, Location
from .model import Card, CardKind, SourceRef
from .sources import Corpus, SourceDoc, Unit, UnitKind
from .textnorm import (POLARITY, SUBTYPES, Term, Vocabulary, any_decisive, content_keys, negated_keys, normalize,
                       polarity_bindings, quote_pieces)


@dataclass(slots=True)  # made once per citation of every card: not frozen, which is slower to make
class QuoteMatch:
    doc: SourceDoc
    spans: tuple[tuple[int, int], ...]  # offsets in doc.norm of each quoted piece
    units: tuple[Unit, ...]  # every unit the quote touches, in document order

    @property
    def whole(self) -> bool:
        """Whether the quote is its units, end to end, in one piece (most quotes are): the quoted
        part of those units is then all of them."""
        return len(self.spans) == 1 and self.spans[0] == (self.units[0].start, self.units[-1].end)

    def quoted_text(self, units: tuple[Unit, ...]) -> str:
        """The part of the given units that the quote actually covers."""
        parts = []
        for unit in units:
            for start, end in self.spans:
                lo, hi = max(start, unit.start), min(end, unit.end)
                if lo < hi:
                    parts.append(self.doc.norm[lo:hi])
        return " ".join(parts)


def _units_touched(doc: SourceDoc, spans: tuple[tuple[int, int], ...]) -> tuple[Unit, ...]:
    """The units that any of the spans overlaps, each once, in document order."""
    if len(spans) == 1:
        return tuple(doc.units_between(*spans[0]))
    seen: dict[int, Unit] = {}
    for start, end in spans:
        for unit in doc.units_between(start, end):
            seen[unit.index] = unit
    return tuple(seen[i] for i in sorted(seen))


@dataclass(slots=True)  # made once per claim of every card: not frozen, which is slower to make
class Claim:
    """What one citation must support: an answer (or a cloze deletion) and the question around it."""

    answer: str
    question: str
    card: Card
    field: str  # the card's key the claim is written under: "answer" or "cloze"
    label: str  # "answer" or "deletion c1"

    @property
    def location(self) -> Location:  # looked up only for a diagnostic
        return self.card.locate(self.field)


@dataclass(slots=True)  # made once per claim of every card: not frozen, which is slower to make
class ClaimTerms:
    """A claim as the gate compares it, read once per card however many citations it has."""

    claim: Claim
    answer: list[Term]
    question: list[Term]
    answer_keys: set[str]
    question_keys: set[str]
    answer_negated: set[str]

    def stated(self, words: frozenset[str]) -> set[str]:
        """Those of `words` that the answer or the question uses."""
        return words.intersection([t.raw for t in self.answer + self.question])


@dataclass(slots=True)  # made once per quoted sentence: not frozen, which is slower to make
class Passage:
    """The quoted part of a sentence, read for what rules 2-4 compare with the claim."""

    terms: list[Term]
    keys: set[str]  # its content words' keys
    negated: set[str]  # keys of the content words it negates
    bindings: list[tuple[str, str]]  # its polarity bindings, sorted
    subtypes: set[str]  # the calcinosis subtypes it names


def read_passage(terms: list[Term]) -> Passage:
    if not any_decisive(terms):  # most passages: nothing for rule 3 to compare
        return Passage(terms, content_keys(terms), set(), [], set())
    raws = [t.raw for t in terms]
    bindings = [] if POLARITY.isdisjoint(raws) else sorted(polarity_bindings(terms))  # none without a polarity word
    return Passage(terms, content_keys(terms), negated_keys(terms), bindings, SUBTYPES.intersection(raws))


class QuotedSentences:
    """One found quote's candidate supports, each read into a Passage at most once."""

    __slots__ = ("match", "vocabulary", "candidates", "items", "context_text", "context", "_passages")

    def __init__(self, match: QuoteMatch, vocabulary: Vocabulary):
        self.match = match
        self.vocabulary = vocabulary
        self.candidates = _candidate_sentences(match)
        self.items = tuple([u for u in match.units if u.kind is UnitKind.ITEM])  # the quoted list items
        self.context_text = " ".join([match.doc.norm_of(u) for u in match.units])
        self.context = read_passage(vocabulary.terms(self.context_text))  # every quoted sentence, in full
        self._passages: dict[int, Passage] = {}

    def passage(self, position: int) -> Passage:
        """The quoted part of candidate `position`."""
        passage = self._passages.get(position)
        if passage is None:
            candidate = self.candidates[position]
            if candidate == self.match.units and self.match.whole:  # quoted in full: the context itself
                self._passages[position] = self.context
                return self.context
            text = self.match.quoted_text(candidate)
            passage = self.context if text == self.context_text else read_passage(self.vocabulary.terms(text))
            self._passages[position] = passage
        return passage


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
        claims = [self.read_claim(claim) for claim in claims_of(card)]
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
                context.append(Support(ref, match.doc, match.units, match.units))
            else:
                supports.append(Support(ref, match.doc, units, match.units))
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
        quoted = tuple(spans)
        match = QuoteMatch(doc, quoted, _units_touched(doc, quoted))
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
    def read_claim(self, claim: Claim) -> ClaimTerms:
        answer = self.vocabulary.terms(normalize(claim.answer))
        question = self.vocabulary.terms(normalize(claim.question))
        return ClaimTerms(claim, answer, question, content_keys(answer), content_keys(question), negated_keys(answer))

    def check_citation(self, match: QuoteMatch, claims: list[ClaimTerms], ref: SourceRef, *, explain: bool = True
                       ) -> tuple[tuple[Unit, ...] | None, list[Diagnostic]]:
        """The support for every claim, or why not (`explain=False` leaves out the fuzzy 'nearest' words)."""
        sentences = QuotedSentences(match, self.vocabulary)
        problems: list[Diagnostic] = []
        best: tuple[Unit, ...] | None = None
        for read in claims:
            claim = read.claim
            if not read.answer_keys:
                problems.append(Diagnostic(claim.location, f"{claim.label} has no content word to check"))
                continue
            reasons_by_candidate = []
            for position, units in enumerate(sentences.candidates):
                reasons = _disagreements(read, sentences.passage(position), explain)
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
            if read.question_keys and read.question_keys.isdisjoint(sentences.context.keys):
                problems.append(Diagnostic(claim.location,
                                           f"the quote from {match.doc.id} is not about the question: "
                                           "no content word of the question occurs in the quoted sentences",
                                           "cite the passage that answers this question"))
            elif not self._item_is_about_card(sentences, read):
                problems.append(Diagnostic(claim.location,
                                           f"the list item quoted from {match.doc.id} is not the one this card is "
                                           "about: neither question nor answer shares a word with it",
                                           "quote the item the card asks about, or only the lead-in sentence"))
        if problems:
            return None, problems
        return best, []

    def _item_is_about_card(self, sentences: QuotedSentences, read: ClaimTerms) -> bool:
        """A quote that reaches into a list must quote the item the card is about.

        Otherwise "Acne leads to which type?" could cite the lead-in of the metastatic list with
        another item ("including: ... sarcoidosis") and pass on the lead-in alone.
        """
        if not sentences.items:
            return True
        item_keys = content_keys(self.vocabulary.terms(sentences.match.quoted_text(sentences.items)))
        return not (read.question_keys.isdisjoint(item_keys) and read.answer_keys.isdisjoint(item_keys))


def _disagreements(claim: ClaimTerms, support: Passage, explain: bool = True) -> list[str]:
    """Why `support` does not carry the claim (rules 2 and 3); empty if it does."""
    if not claim.answer_keys <= support.keys:  # some content word is missing
        missing = [term for term in claim.answer if term.content and term.key not in support.keys]
        return [_not_in_passage(term, support, explain) for term in missing]
    if not (claim.answer_negated or support.negated or support.bindings or support.subtypes):
        return []  # rule 3 finds nothing to compare: no negation, polarity word or subtype
    answer, answer_keys, answer_negated = claim.answer, claim.answer_keys, claim.answer_negated
    reasons: list[str] = []
    for key in sorted(answer_negated - support.negated):
        reasons.append(f"negates \"{_raw(answer, key)}\" but the quoted passage from @doc does not")
    for key in sorted((support.negated & answer_keys) - answer_negated):
        reasons.append(f"drops the negation that the quoted passage from @doc puts on \"{_raw(answer, key)}\"")
    if support.bindings:
        stated = claim.stated(POLARITY)
        for polar, neighbour in support.bindings:
            if neighbour in answer_keys and polar not in stated:
                reasons.append(f"leaves out \"{polar}\", which the quoted passage from @doc says of "
                               f"\"{_raw(answer, neighbour)}\"")
    if support.subtypes:
        for subtype in sorted(support.subtypes - claim.stated(SUBTYPES)):
            reasons.append(f"the quoted passage from @doc is about {subtype} calcinosis, which the card does not name")
    return reasons


def _not_in_passage(term: Term, support: Passage, explain: bool) -> str:
    """Rule 2's reason for an answer word the passage lacks, with the nearest passage word if `explain`."""
    near = []
    if explain:
        from difflib import get_close_matches  # only for a word the passage lacks

        near = get_close_matches(term.raw, sorted({t.raw for t in support.terms if t.content}), n=1, cutoff=0.5)
    nearest = f" (nearest: \"{near[0]}\")" if near else ""
    return f"word \"{term.raw}\" is not in the quoted passage from @doc{nearest}"


def claims_of(card: Card) -> list[Claim]:
    if card.kind is CardKind.QA:
        return [Claim(card.answer, card.question, card, "answer", "answer")]
    claims = []
    for deletion in CLOZE_PATTERN.finditer(card.cloze):
        rest = card.cloze[:deletion.start()] + " " + card.cloze[deletion.end():]
        rest = CLOZE_PATTERN.sub(lambda m: m.group(2), rest)
        claims.append(Claim(deletion.group(2), rest, card, "cloze", f"deletion c{deletion.group(1)}"))
    return claims


def _candidate_sentences(match: QuoteMatch) -> list[tuple[Unit, ...]]:
    """Each quoted unit alone, and each quoted list item joined with its (quoted) lead-in."""
    units = match.units
    if len(units) == 1:  # most quotes: the unit alone (a unit is never its own lead-in)
        return [units]
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
