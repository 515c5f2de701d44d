"""Stage 3 — the traceability gate: what a card claims is what one quoted passage says.

A card's *claim* is its question and its answer together; for a cloze, the whole text, hints
included (the deletions are its answer, the rest its question). For a card to pass, one of its
citations must satisfy all of:

1. the quote occurs in the named document (after normalisation; ' ... ' may skip words inside
   one sentence, or from a list's lead-in into one of its items), and includes no passage that the
   document's front matter sets aside (`set_aside`: wrong, mistranslated, garbled, unclear, a truism);
2. one *support* — one quoted sentence, or one quoted list item with its lead-in — carries the whole
   claim, each part checked against the quoted part of that support:
   a. every content word of the answer is in it (up to light stemming and the project's synonyms);
   b. every content word of the question is in it, except the project's frame words, and except a
      decisive term of the project's lexicon that the support's section heading names while naming
      no sibling of it ("calcium deposits" under "How to treat calcium deposits on the skin"), and
      except, on a card tagged evidence::claim, the words that word it as a claim ("It is claimed
      that ..."), which only weaken what the passage states, and except the name of a kind of the
      lexicon ("which mineral?") when the answer names a term of that kind ("phosphorus");
   c. the claim says everything the quoted part says: each of its content words is in the question
      or the answer. A quote is cut to the claim with ' ... ', and so the answer must be what the
      rest of the passage leaves open, not merely a phrase of the same sentence;
   d. negations and polarity words agree between the claim and the whole supporting sentence, so a
      ' ... ' cannot skip a "not" or an "excess"; so do modal hedges ("may reappear" is not "will"), what
      a comparison is made with ("than X"), where the sentence joins two clauses by a contrast
      ("X, but Y"), which clause each part of the claim takes its words from, and, where both say a
      causal phrase ("lead to", "result from", "attributed to": see causal.py), which words are causes
      and which effects — the claim may not make one word a cause and another an effect where the
      sentence has them the other way round, so "Y can result from X" may be asked as "X can result
      in Y", never as "Y can result in X"; two words that the sentence joins by "or" the claim does not
      join by "and", nor the other way round ("damaged or inflamed" is not "damaged and inflamed"); and
      the claim puts no word right beside another in the place of the sentence's neighbour of it, which
      it says elsewhere ("a natural magnesium antagonist" - "calcium" from "magnesium ... acts as a
      natural calcium antagonist"); nor joins a word by a preposition, a determiner or a modal to another word
      than the sentence does at the same anchor ("what is designed to bind to EDTA?" - "ionic calcium" from
      "EDTA, which is designed to bind to ionic calcium"), nor moves a word across such a link ("the vascular
      progression of calcification" from "the progression of vascular calcification"); nor puts right after "if",
      "before", "after", "until", "during", "even when", "because", "so that" or ", so" a word the sentence has only
      outside the clause it opens, nor on one side of "called" or "such as" a word the sentence has only on the
      other, nor turns a verb the sentence says in the active into the passive with its subject and object left where
      they stood, nor swaps the verb of a relative clause with its sentence's verb, nor asks for a verb's subject or
      object with the two turned round ("what directly inhibits adequate magnesium levels?" from "... directly
      inhibiting the precipitation of hydroxyapatite crystals"), nor asks "what kind of N is X?" of the kind X the
      sentence gives its answer in an apposition ("colchicine (Colcrys), an anti-inflammatory medication") (sides.py);
3. the extra, if the card has one, has every content word in the quoted part of one support of one
   of the card's citations, and agrees with its negations; and every citation carries the claim or
   the extra, so that nothing shown on the back of the card is there for show.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, NamedTuple

from .cards import CLOZE_PATTERN
from .causal import CausalReading, read_question, read_text
from .cuts import Cut, claimed_cuts, quote_cuts
from .diagnostics import Diagnostic
from .model import Card, CardKind, SourceRef
from .quotations import misquoted, quotations, said_quotations, within_quotation
from .sides import (AGENT_WORDS, ASKS_A_VERB, KIND_WORDS, LIMIT_WORDS, NARROWING, active_turned, answered_when,
                    answered_why, clause_object_pronoun, clause_subject_pronoun, condition_bindings, has_trigger,
                    kind_turned, limit_bindings, list_items, passive_neighbours, passive_turned, pronouns_certain,
                    pronouns_named, ObjectPronoun, relative_head_traded, relative_turned, Turned, statement,
                    that_turned, turned, when_turned)
from .sources import Corpus, SourceDoc, Unit, UnitKind, document_paths, load_document, without_inline_notes
from .splices import PREPOSITIONS, followers, spliced
from .tables import table_problem
from .textnorm import (AUXILIARIES, BE_FORMS, CONJUNCTIONS, DETERMINERS, HEDGES, HOW_WORDS, OBLIGATIONS, LINK_WORDS,
                       MODALS, NUMBER_MARKS, RELATIONS, WORD_CHAR, Coordinated, KindTerm, Link, Term, Vocabulary,
                       claim_parts, clauses, compared_with, content_keys, coordinated_pairs, fold_case, hedge_bindings,
                       is_claim_word, is_number, is_saying, links, negated_keys, neighbour_pairs, normalize,
                       polarity_bindings, qualifier_bindings, quote_pieces, run_keys, shared_links, stem,
                       tagged_as_claim)
from .written import card_texts, in_authors_characters


@dataclass(slots=True)  # made once per citation of every card: not frozen, which is slower to make
class QuoteMatch:
    doc: SourceDoc
    spans: tuple[tuple[int, int], ...]  # offsets in doc.norm of each quoted piece
    units: tuple[Unit, ...]  # every unit the quote touches, in document order

    def quoted_text(self, units: tuple[Unit, ...]) -> str:
        """The part of the given units that the quote actually covers."""
        parts = []
        for unit in units:
            for start, end in self.spans:
                lo, hi = max(start, unit.start), min(end, unit.end)
                if lo < hi:
                    parts.append(self.doc.norm[lo:hi])
        return " ".join(parts)


def _placed(doc: SourceDoc, pieces: tuple[str, ...], start: int, end: int | None = None
            ) -> tuple[tuple[int, int], ...] | str:
    """Where the pieces of a quote are in the document's normalised text (up to `end`), the first from `start`
    on and each after the one before, each as early as it can be; or the first piece not found."""
    spans = []
    position = start
    for piece in pieces:
        found = doc.norm.find(piece, position, len(doc.norm) if end is None else end)
        if found < 0:
            return piece
        spans.append((found, found + len(piece)))
        position = found + len(piece)
    return tuple(spans)


def _crossing(doc: SourceDoc, spans: tuple[tuple[int, int], ...]) -> bool:
    """Whether a ' ... ' between two spans skips from one sentence into another (other than from a list's
    lead-in into one of its items)."""
    for (_, end), (start, _) in zip(spans, spans[1:]):
        before, after = doc.unit_at(end - 1), doc.unit_at(start)
        if before.index != after.index and after.lead != before.index:
            return True
    return False


def _within_sentences(doc: SourceDoc, pieces: tuple[str, ...], spans: tuple[tuple[int, int], ...]
                      ) -> tuple[tuple[int, int], ...]:
    """The earliest placement of the quote's pieces whose ' ... ' skip no sentence boundary, the first piece
    tried in each later sentence that holds it: a quote's first words may also be in an earlier sentence ("The
    train ... platform seven"; "Plural ... das Gleis" under the header of a second table that repeats the first
    one's). The earliest placement (`spans`) when there is none. A try looks no further than the section (a
    lead-in's items are in its section), so that each part of the document is searched about once."""
    if len(spans) < 2 or not _crossing(doc, spans):
        return spans
    unit = doc.unit_at(spans[0][0])
    while unit.index + 1 < len(doc.rows):
        first = doc.norm.find(pieces[0], doc.unit(unit.index + 1).start)
        if first < 0:
            break
        unit = doc.unit_at(first)
        later = _placed(doc, pieces, first, doc.section_end(unit))
        if not isinstance(later, str) and not _crossing(doc, later):
            return later
    return spans


def _gap_splice_reasons(passage: Passage) -> list[Reason]:
    """A quote whose " ... " skips from a word's function words to the same words at another place of the sentence
    (rule 2d, Gate._gap_splice): "the cook adds salt to the ... tea"."""
    if passage.gap_spliced is None:
        return []
    return [Reason("quote", f"the ' ... ' of the quote skips from \"{passage.gap_spliced}\" to the same words at "
                            "another place of the sentence: it joins what @doc says at the one to what it says at the "
                            "other", "quote one place, or skip only words the card does not claim", "clauses-spliced")]


_CUT_SAYS = {
    "modifier": ("the quote's cut leaves out \"{left_out}\", which @doc's sentence says of \"{kept}\" in one phrase "
                 "with it: the card claims of any \"{kept}\" what the sentence says only of that one",
                 "quote the whole phrase, and say it on the card"),
    "setting": ("the quote starts after \"{left_out}\", which opens @doc's sentence and says where or when the rest of "
                "it holds: the card claims it without that", "quote the phrase, and say it on the card"),
    "preposition": ("the ' ... ' of the quote skips \"{left_out}\", and so reads \"{kept}\" without the word that "
                    "says how @doc's sentence joins it to the rest",
                    "quote the preposition with the words after it, and say it on the card, or skip them both"),
    "relative-head": ("the ' ... ' of the quote skips \"{left_out}\", the words that the clause at \"{kept}\" of "
                      "@doc's sentence is about: the card gives the clause to a word before the ' ... '",
                      "quote the words the clause is about, or skip the whole clause"),
    "relative-subject": ("the ' ... ' of the quote skips \"{left_out}\", the subject of the clause that \"{kept}\" "
                         "opens in @doc's sentence: the card reads the clause's verb with another subject",
                         "quote the clause's subject, or skip the whole clause"),
    "name": ("the ' ... ' of the quote skips \"{left_out}\", the name that @doc's sentence gives after \"{kept}\", "
             "and the card names it", "quote the name the sentence gives"),
}


def _cut_reason(cut: Cut) -> Reason:
    """Why a quote that cuts a phrase of its sentence (cuts.py) does not carry the claim."""
    message, hint = _CUT_SAYS[cut.kind]
    return Reason("quote", message.format(left_out=cut.left_out, kept=cut.kept), hint, "quote-cuts-phrase")


def _function_words(terms: list[Term], step: int) -> list[str]:
    """The words of the run of stop-words and determiners ("each") that ends the terms (step -1) or starts them (step
    1), as written."""
    ordered = terms if step > 0 else terms[::-1]
    run = []
    for term in ordered:
        if term.content and term.raw not in DETERMINERS:
            break
        run.append(term.raw)
    return run if step > 0 else run[::-1]


def _units_touched(doc: SourceDoc, spans: tuple[tuple[int, int], ...]) -> tuple[Unit, ...]:
    """The units that any of the spans overlaps, each once, in document order."""
    if len(spans) == 1:
        return tuple(doc.units_between(*spans[0]))
    seen: dict[int, Unit] = {}
    for start, end in spans:
        for unit in doc.units_between(start, end):
            seen[unit.index] = unit
    return tuple(seen[i] for i in sorted(seen))


class Part(NamedTuple):
    """One part of a card's claim as the gate reads it."""

    field: str  # the card key it is written under: "question", "answer", "cloze" or "extra"
    label: str  # how a message names it: "question", "answer", "cloze" or "extra"
    terms: list[Term]
    keys: set[str]  # its content words' keys
    negated: set[str]  # keys of the content words it negates
    text: str  # normalised


def _part(vocabulary: Vocabulary, field: str, label: str, text: str) -> Part:
    text = normalize(text)
    terms = vocabulary.terms(text)
    return Part(field, label, terms, content_keys(terms), negated_keys(terms), text)


class Claim(NamedTuple):
    """What one support must carry: the question and the answer of a card, read once per card."""

    question: Part
    answer: Part
    keys: frozenset[str]  # every content word's key, question and answer together
    negated: frozenset[str]
    stated: frozenset[str]  # every word as written (normalised), for the polarity words it uses
    question_kinds: tuple[KindTerm, ...]  # decisive terms the question names
    # Keys of question words no passage is asked for (rule 2b): on a card tagged evidence::claim, the
    # words that word it as a claim ("It is claimed that ..."), which only weaken what the passage
    # states; a kind's name ("which mineral?") when the answer names a term of that kind; and the word
    # that makes one question word with "how" ("how many", "how long": HOW_WORDS). Still words of the claim:
    # a passage that says one says nothing the card does not.
    unasked: frozenset[str]
    hedged: bool  # it says "may", "might", "can" or "could" somewhere (rule 2d)
    compared: str | None  # the key of what it compares with ("than X"), in its reading order (rule 2d)
    # The keys of each part of it (the question cut at commas and contrast words, the answer read with the
    # part that asks for it), decisive terms and frame words aside: each part must keep within one clause of
    # a sentence that joins two (rule 2d). None until a candidate support is such a sentence: Gate.trace reads
    # them then (most sentences are one clause, and cutting the claim into parts is a third of reading it).
    parts: tuple[tuple[str, ...], ...] | None
    # Its causal phrases ("can result in") and the keys on each side of them, read as one statement: the
    # question with its answer in place, or the cloze with its deletions; None without one (rule 2d).
    causal: CausalReading | None
    # It as one statement, normalised: the answer in the place of the question's wh-word, or a cloze with its
    # deletions in place; read for the words it joins by "and" and by "or" only if it says one of them and a
    # candidate support the other (rule 2d). None if it says neither.
    statement: str | None
    # Each two content words it puts side by side, no stop-word between them, in the question or in the answer,
    # or in a cloze with its deletions in place, punctuation aside (rule 2d); and those texts, normalised, read again
    # for their punctuation where it may decide.
    neighbours: set[tuple[str, str]]
    texts: tuple[str, ...]
    in_order: list[Term]  # its terms as it reads: the question then its answer, or the cloze filled in
    # "How many N ...?" answered with a number: the number's keys and the keys of N (with the word before it,
    # after "many"): the sentence must count N with that number (rule 2d). None for any other card.
    counted: tuple[frozenset[str], tuple[str, ...]] | None = None
    # What it puts in „…“ or «…», normalised, by card key: the sentence says it as written (rule 2d, quotations.py).
    quotations: tuple[tuple[str, str], ...] = ()
    # "How much N ...?" (or "how many N ...?") answered with a number: the number's keys and the keys of N, the words
    # after "much" past prepositions ("how many mg of caffeine": mg, caffeine), as for counted (rule 2d).
    measured: tuple[frozenset[str], tuple[str, ...]] | None = None
    # A question's negation said on its auxiliary before the subject ("why doesn't the chain slip?"): the keys of
    # the run of content words after it, the first of which negated_keys reads as negated (_inverted_negation).
    inverted: tuple[str, ...] = ()
    # Each limit it says right before a number ("about 70"), as (the limit's word, the number's key): sides.limit_bindings
    # of its texts (the question and the answer apart, or the cloze with its deletions in place).
    limits: frozenset[tuple[str, str]] = frozenset()
    # Whether each of its parts (see parts) says a negation ("not", "cannot", "n't"); read with parts.
    parts_negating: tuple[bool, ...] = ()
    # A question that asks two comparisons or more, each ending a part of it ("what are workers smaller than, and what
    # are drones larger than?"), its answers given in order, apart by ";": (the two keys before each "than", the first
    # key of its answer: "workers", "smaller", "queen") (rule 2d; _asked_comparisons). Empty for any other claim.
    asked_comparisons: tuple[tuple[str, str, str], ...] = ()


def read_claim(card: Card, vocabulary: Vocabulary) -> Claim:
    if card.kind is CardKind.QA:
        question, answer = _asked_without(*_asked_not_to_do(_part(vocabulary, "question", "question", card.question),
                                                             _part(vocabulary, "answer", "answer", card.answer)))
    else:
        rest, deletions = _cloze_split(card.cloze)
        question = _part(vocabulary, "cloze", "cloze", rest)
        answer = _part(vocabulary, "cloze", "cloze", " ; ".join(deletions))
    terms = question.terms + answer.terms
    stated = frozenset(t.raw for t in terms)
    if card.kind is CardKind.QA:
        in_order = terms  # the claim's terms as it reads: the question then its answer, or the cloze filled in
        neighbours = neighbour_pairs(question.terms + _APART + answer.terms)
        texts = (question.text, answer.text)
    else:
        texts = (_cloze_text(card),)
        in_order = vocabulary.terms(texts[0])
        neighbours = neighbour_pairs(in_order)
    # A cloze's negations are read with its deletions in place: "have no {{c1::symptoms}} until ..." negates
    # "symptoms", as its sentence does, not "until", the first content word of its rest after "no".
    negated = question.negated | answer.negated if card.kind is CardKind.QA else negated_keys(in_order)
    return Claim(question, answer, frozenset(question.keys | answer.keys), frozenset(negated),
                 stated, tuple(vocabulary.kind_terms(question.terms)),
                 _unasked(card, question, answer, vocabulary), not HEDGES.isdisjoint(stated),
                 _compared(card, question, answer, in_order), None, _causal(card, vocabulary),
                 None if stated.isdisjoint(CONJUNCTIONS) else _as_said(card, question, answer), neighbours, texts,
                 in_order, _counted(question, answer) if card.kind is CardKind.QA and "how many" in question.text
                 else _deleted_count(card, vocabulary) if card.kind is not CardKind.QA else None, quotations(card),
                 _measured(question, answer) if card.kind is CardKind.QA and "how m" in question.text else None,
                 _inverted_negation(question.terms) if card.kind is CardKind.QA else (),
                 frozenset((word.raw, key) for text in texts for word, key, _ in limit_bindings(text, vocabulary)),
                 asked_comparisons=_asked_comparisons(card, question, vocabulary) if card.kind is CardKind.QA else ())


# A "than" that ends a part of a question: the comparison it asks for is the answer's.
_THAN_ASKED = re.compile(r"\bthan\s*(?:[,;?]|$)")


def _asked_comparisons(card: Card, question: Part, vocabulary: Vocabulary) -> tuple[tuple[str, str, str], ...]:
    """See Claim.asked_comparisons: a question whose every "than" ends a part of it, two or more, two content words
    before each, and an answer of as many pieces apart by ";", each with a content word."""
    asked = len(_THAN_ASKED.findall(question.text))
    if asked < 2 or question.text.count("than") != asked:
        return ()
    pieces = [vocabulary.terms(piece) for piece in normalize(card.answer).split(";")]
    firsts = [next((term.key for term in piece if term.content), None) for piece in pieces if piece]
    befores = [_two_before(question.terms, at) for at, term in enumerate(question.terms) if term.raw == "than"]
    if len(firsts) != asked or len(befores) != asked or None in firsts or None in befores:
        return ()
    return tuple((*before, first) for before, first in zip(befores, firsts))


def _two_before(terms: list[Term], at: int) -> tuple[str, str] | None:
    """The keys of the two content words before the "than" at `at`, in order ("workers", "smaller"), if it has two."""
    before = [term.key for term in reversed(terms[:at]) if term.content][:2]
    return (before[1], before[0]) if len(before) == 2 else None


def _clause_of(part_terms: list[list[Term]], pronoun: ObjectPronoun) -> dict[str, int]:
    """See Passage.clause_of, from the terms of the sentence's clauses; empty for a sentence of one clause (most
    sentences: no terms given). A later clause that opens with a pronoun of its first's subject's number says that
    subject too (sides.clause_subject_pronoun: "the jib is not trimmed in a tack, but it is trimmed after the tack"), and
    one that ends with a pronoun of its first's object's number after its verb says that object (sides.
    clause_object_pronoun: "rain lowers the salt content of a pool, while evaporation raises it")."""
    where: dict[str, set[int]] = {}
    subject = clause_subject_pronoun(part_terms)
    for index, terms in enumerate(part_terms):
        stood_for = (({subject[0]} if index in subject[1] else set())
                     | (pronoun.heads | pronoun.rest if index in pronoun.clauses else set()))
        for key in content_keys(terms) | stood_for:
            where.setdefault(key, set()).add(index)
    return {key: found.pop() for key, found in where.items() if len(found) == 1}


def _clause_negated(part_terms: list[list[Term]]) -> tuple[frozenset[str], ...]:
    """See Passage.clause_negated, from the terms of the sentence's clauses; empty for a sentence of one clause."""
    return tuple(frozenset(negated_keys(terms)) for terms in part_terms)


def _compared_triples(terms: list[Term]) -> list[tuple[str, str, str]]:
    """(_two_before, the key of the first content word after it) of each "than" of the terms: "workers are smaller
    than the queen" gives ("workers", "smaller", "queen")."""
    triples = []
    for at, term in enumerate(terms):
        before = _two_before(terms, at) if term.raw == "than" else None
        after = compared_with(terms[at:]) if before else None
        if before and after:
            triples.append((*before, after))
    return triples


_DO = frozenset({"do", "does", "did"})


def _asked_not_to_do(question: Part, answer: Part) -> tuple[Part, Part]:
    """The question and its answer, a negation of "what ... not do ...?" put on the answer's first content word, the
    verb that "do" stands for: "what should riders not do under heavy load?" - "shift" negates "shift", as "riders
    should not shift under heavy load" does, not "under", the first content word after "not do"."""
    terms = question.terms
    at = next((i for i in range(len(terms) - 1) if terms[i].negation and terms[i + 1].raw in _DO), None)
    if at is None or not any(term.raw == "what" for term in terms[:at]):
        return question, answer
    verb = next((term.key for term in answer.terms if term.content), None)
    if verb is None:
        return question, answer
    return (question._replace(negated=negated_keys(terms[:at] + terms[at + 1:])),
            answer._replace(negated=answer.negated | {verb}))


def _asked_without(question: Part, answer: Part) -> tuple[Part, Part]:
    """The question and its answer, the "without" of "without what ...?" put on the answer's first content word, what
    it asks for: "a driver may not enter a single line without what?" - "the token" negates "token", as "... without
    the token" does, and "without what may a driver not enter ...?" does not negate "driver", the first content word
    after it in the question."""
    terms = question.terms
    at = next((i for i in range(len(terms) - 1) if terms[i].raw == "without" and terms[i + 1].raw in _WH_ASKED), None)
    asked = next((term.key for term in answer.terms if term.content), None)
    if at is None or asked is None:
        return question, answer
    return (question._replace(negated=negated_keys(terms[:at] + terms[at + 1:])),
            answer._replace(negated=answer.negated | {asked}))


_WH_ASKED = frozenset({"what", "which", "whom", "who"})


# The words that open a question asked about a verb, before an auxiliary and its subject.
_ASKING = frozenset("what which who whom why how where when".split())


def _inverted_negation(terms: list[Term]) -> tuple[str, ...]:
    """The keys of the run of content words after a question's first negation where it is an auxiliary's ("doesn't",
    "can't", "cannot") said right after the wh-word, its subject between it and its verb: "why doesn't the chain
    slip?" (or "unless the pedals are turning, what can't the derailleur move?") negates "slip", as "the chain does
    not slip" does, though "chain" is the first content word after it. () for any other question."""
    at = next((i for i, term in enumerate(terms) if term.negation), None)
    if at is None or not at or terms[at - 1].raw not in _ASKING or not (
            terms[at].raw.endswith("n't") or terms[at].raw == "cannot"):
        return ()
    run: list[str] = []
    for term in terms[at + 1:]:
        if term.content:
            run.append(term.key)
        elif run:
            break
    return tuple(run)


# A question that asks what a comparison is made with: "than what", "than which ...", "than how much": its answer is.
_ASKS_COMPARED = re.compile(r"\bthan (?:what|which|how (?:many|much))\b")
_THAN = [Term("than", "than", False)]
# What may stand between the answer's place in a sentence and the words on either side of it: "a glucose of 7.0 mmol/L".
_BETWEEN_ANSWER = LINK_WORDS | DETERMINERS


def _compared(card: Card, question: Part, answer: Part, in_order: list[Term]) -> str | None:
    """See Claim.compared: with a question that asks for it ("no more than how much paracetamol?" - "4 g"), the
    answer's first content word, not the word after "than" that asks."""
    if card.kind is CardKind.QA and "than" in question.text and _ASKS_COMPARED.search(question.text):
        return compared_with(_THAN + answer.terms)
    return compared_with(in_order)


def _causal(card: Card, vocabulary: Vocabulary) -> CausalReading | None:
    """See Claim.causal."""
    if card.kind is CardKind.QA:
        return read_question(normalize(card.question), normalize(card.answer), vocabulary)
    return read_text(_cloze_text(card, hints=True), vocabulary)


_ASKS = re.compile(r"\b(?:what|which|who|whom|whose|where|when|how|why)\b")
_APART = [Term("", "", False)]  # between a question's terms and its answer's: no word is the neighbour of both
_ASKS_FOR_A_THING = re.compile(r"\b(?:what|which|who|whom|whose)\b")


def _as_said(card: Card, question: Part, answer: Part) -> str:
    """The claim as one normalised statement: a question with its answer in the place of its wh-word ("what" or
    "which" before "where" or "how"), or after it if it has none; a cloze with its deletions in place."""
    if card.kind is not CardKind.QA:
        return _cloze_text(card)
    ask = _ASKS_FOR_A_THING.search(question.text) or _ASKS.search(question.text)
    if ask is None:
        return question.text + " " + answer.text
    return question.text[:ask.start()] + " " + answer.text + " " + question.text[ask.end():]




def _said_in(sentence: str, span: str) -> bool:
    """The sentence says the words of `span` as they stand there, a whole word at each end."""
    if span not in sentence:
        return False
    start = sentence.find(span)
    while start >= 0:
        end = start + len(span)
        if (not start or not sentence[start - 1].isalnum()) and (end == len(sentence) or not sentence[end].isalnum()):
            return True
        start = sentence.find(span, start + 1)
    return False


def _around_answer(terms: list[Term], answered: set[str], placed: set[str]) -> tuple[set[str], set[str]]:
    """The sentence's content words right before a word of the answer and right after one, with nothing between them
    but punctuation, prepositions and determiners: "glucose" and "points" around "7.0 mmol/L or more" in "a glucose of
    7.0 mmol/L or more points to diabetes", but not "milia" before "keratin" in "milia form when keratin gets ...".
    Also those around each run of the words in `placed` (the answer's, and what a "how many" question counts) that
    holds one only the answer says (`answered`), though the question says the others too: "closes [the lower paddles]
    before" for "what does the keeper close before he opens the upper paddles?" - "the lower paddles"; "hold [two
    narrow boats] side by side" for "how many narrow boats can broad locks hold side by side?" - "two"."""
    before, after = set(), set()
    previous = None  # the last content word, while only linking words follow it
    for term in terms:
        if term.content:
            if previous is not None and (term.key in answered) != (previous in answered):
                (before if term.key in answered else after).add(previous if term.key in answered else term.key)
            previous = term.key
        elif term.raw not in _BETWEEN_ANSWER:
            previous = None
    for first, run, last in _placed_runs(terms, placed):
        if not run.isdisjoint(answered):
            before |= {first} - {None}
            after |= {last} - {None}
    return before, after


def _fronted_relation(claim: Claim) -> set[str]:
    """The key of the word of order or place that leads a question before its "what" or "which" ("under what should
    riders not shift unless ...?"), or before its "how many" or "how much" ("over how many pulleys ...?"), which the
    question moved to its front with the phrase the answer completes: in the sentence it stands right before the
    answer ("shift under heavy load unless", "runs over two pulleys before"). Empty for any other claim."""
    terms = claim.question.terms
    if claim.question.field != "question" or len(terms) < 3 or terms[0].raw not in RELATIONS:
        return set()
    if terms[1].raw == "how" and terms[2].raw in ("many", "much"):  # "over how many pulleys ...?" - "two"
        return {terms[0].key}
    return {terms[0].key} if terms[1].raw in ("what", "which") else set()


def _fronted_nouns(claim: Claim) -> set[str]:
    """The keys of the run of content words right after the "what" of a fronted relation (_fronted_relation): the
    rest of the phrase the answer completes, which the sentence may say after the answer ("under what load ...?" -
    "heavy": "under heavy load"). Read only as a run with the answer's words, never as the answer's own."""
    terms = claim.question.terms
    if not _fronted_relation(claim):
        return set()
    end = next((at for at in range(2, len(terms)) if not terms[at].content), len(terms))
    return {term.key for term in terms[2:end]}


def _placed_runs(terms: list[Term], placed: set[str]) -> list[tuple[str | None, set[str], str | None]]:
    """Each run of content words in `placed` (linking words between them), as (the content word right before it, its
    keys, the content word right after it), nothing but linking words between; None for a side with none."""
    runs = []
    previous, run = None, None  # the last content word while only linking words follow it; (before, keys)
    for term in terms:
        if term.content and term.key in placed:
            run = run or (previous, set())
            run[1].add(term.key)
        elif term.content or term.raw not in _BETWEEN_ANSWER:
            if run is not None:
                runs.append((run[0], run[1], term.key if term.content else None))
            run = None
            previous = term.key if term.content else None
    if run is not None:
        runs.append((run[0], run[1], None))
    return runs


def _number_moved(claimed: set[str], ends: set[str], quoted: set[str]) -> str | None:
    """A number of the quoted passage that the claim puts at a link's end where the sentence has other numbers and not
    it: the number is what the words of a quantity say, and a unit both ends share ("hours") does not make it the
    sentence's there."""
    numbers = {key for key in claimed if is_number(key)}
    theirs = {key for key in ends if is_number(key)}
    if not numbers or not theirs or not numbers.isdisjoint(theirs):
        return None
    moved = sorted(numbers & quoted)
    return moved[0] if moved else None


def _statement(claim: Claim) -> str:
    """The claim as one normalised statement for the side and voice rules: a cloze with its deletions in place, a
    question with its answer where its wh-word asks for it (sides.statement)."""
    if claim.question.field == "cloze":
        return claim.texts[0]
    return statement(claim.question.text, claim.answer.text)


def _linked_terms(claim: Claim) -> tuple[list[Term], ...]:
    """The terms whose links ("an inhibitor of calcification", "bind to ionic calcium", "skin cells can absorb") the
    claim says: a cloze's with its deletions in place; a question's with its answer, which goes in the place of its
    "what" or "which" ("What is designed to bind to EDTA?" - "ionic calcium ..."; "lumps of which colour" - "white":
    "lumps of white colour"), but after a link word that ends the question or that the question starts with,
    with the content words after a "which", which name what the answer is ("Which condition can X result from?" -
    "Sarcoidosis": "can x result from condition sarcoidosis"; "For what is X an approved treatment?": "is x an
    approved treatment for ..."); after the verb that ends a question inverted about its modal, the wh-phrase asking
    for the verb's object ("what will a nodule leak?" - "...": "a nodule will leak ..."); a question without "what"
    or "which" and its answer apart. Where the wh-word opens a clause after a comma, the words before the comma are
    terms of their own ("before the loaf is baked, what does the baker weigh?" - "the dough": "before the loaf is
    baked" and "the dough does the baker weigh", no "baked the dough")."""
    if claim.question.field == "cloze":
        return (claim.in_order,)
    terms = claim.question.terms
    if _THINGS_ASKED.isdisjoint(claim.stated):
        return terms, claim.answer.terms
    for ask, term in enumerate(terms):
        if term.raw in _THINGS_ASKED:
            break
    else:  # the answer's word
        return terms, claim.answer.terms
    if ask and _ASKED_AFTER_A_COMMA.match(claim.question.text):  # "before X is baked, what does Y weigh?"
        return (terms[:ask],) + _asked_from(terms[ask:], 0, term, claim.answer.terms)
    return _asked_from(terms, ask, term, claim.answer.terms)


def _asked_from(terms: list[Term], ask: int, term: Term, answer: list[Term]) -> tuple[list[Term], ...]:
    """_linked_terms of a question whose wh-word (`term`) is at `ask`."""
    fronted = ask == 1 and terms[0].raw in LINK_WORDS  # "For what is X an approved treatment?"
    rest = ask + 1
    if term.raw in ("which", "what"):  # "At what clinic pressure ...?": the words after it name what the answer is
        while rest < len(terms) and terms[rest].content:
            rest += 1
    if not fronted and terms[-1].raw not in LINK_WORDS:
        inverted = _inverted_about_modal(terms, rest)
        if inverted is not None:  # "what will X leak?": "X will leak <answer>"
            return (terms[:ask] + inverted + terms[ask + 1:rest] + answer,)
        return (terms[:ask] + answer + terms[ask + 1:],)  # in the wh-word's place, before its noun
    said = terms[ask + 1:rest] + answer
    if fronted:  # says "X is ... treatment for <answer>"
        return (terms[rest:] + terms[:1] + said,)
    return (terms[:ask] + terms[rest:] + said,)  # the question ends with it: "... designed to bind to <answer>"


_THINGS_ASKED = frozenset({"what", "which", "who", "whom", "whose"})
# A question whose first wh-word opens a clause after a comma ("before the loaf is baked, what does the baker
# weigh?", "in most colonies, what do the workers feed?"): the answer takes its place there, no link to the words
# before the comma.
_ASKED_AFTER_A_COMMA = re.compile(r"(?:(?!\b(?:what|which|who|whom|whose)\b)[^,])*,\s*(?:what|which|who|whom|whose)\b")
_RELATIVE = frozenset({"who", "that", "which"})


# Verbs of a clause of its own: a question whose words after the modal hold one ends with another verb than the
# modal's ("which individuals may X slow ..., studies have suggested?").
_VERBS_OF_A_CLAUSE = BE_FORMS | frozenset("have has had do does did".split()) | MODALS


def _inverted_about_modal(terms: list[Term], rest: int) -> list[Term] | None:
    """A question's words after its wh-phrase (which ends before `rest`) in a statement's order, where they are a
    modal, a subject that starts with a determiner and the verb that ends the question, the wh-phrase asking for its
    object: "what will a nodule leak?" gives "a nodule will leak", to which the answer is added. None for any other
    question."""
    if (rest + 2 >= len(terms) or terms[rest].raw not in MODALS or terms[rest + 1].raw not in DETERMINERS
            or not terms[-1].content):
        return None  # "what may recommend surgery?" asks for the subject: a verb, not a determiner, after the modal
    subject = terms[rest + 1:-1]
    if not any(term.content for term in subject) or any(term.raw in _VERBS_OF_A_CLAUSE for term in subject):
        return None
    return subject + [terms[rest], terms[-1]]


def _with_parts(claim: Claim, card: Card, vocabulary: Vocabulary) -> Claim:
    """The claim with its parts read (Claim.parts, Claim.parts_negating)."""
    terms = [vocabulary.terms(text) for text in _part_texts(card)]
    return claim._replace(parts=tuple(_plain_keys(part, vocabulary) for part in terms),
                          parts_negating=tuple(any(term.negation for term in part) for part in terms))


def _part_texts(card: Card) -> list[str]:
    """See Claim.parts. The answer joins the last part of the question with a question word ("..., but
    what do some people notice?"), or its last part."""
    if card.kind is CardKind.QA:
        texts = claim_parts(normalize(card.question)) or [""]
        asking = max((i for i, text in enumerate(texts) if _ASKS.search(text)), default=len(texts) - 1)
        texts[asking] += " " + normalize(card.answer)
        return texts
    return claim_parts(_cloze_text(card))


def _plain_keys(terms: list[Term], vocabulary: Vocabulary) -> tuple[str, ...]:
    """The keys of the content words, each once in order, but for decisive terms (which a pronoun of the
    other clause may stand for: "While EDTA chelation is approved ..., its use ...") and frame words."""
    decisive = {key for term in vocabulary.kind_terms(terms) for key in term.keys}
    return tuple(dict.fromkeys(t.key for t in terms if t.content and t.key not in decisive
                               and t.key not in vocabulary.frame))


def _cloze_text(card: Card, hints: bool = False) -> str:
    """A cloze as it reads with its deletions filled in, normalised; with `hints`, each deletion's hint after
    it, as the front shows it in the deletion's place ("{{c1::X::can result in}} Y" claims "X can result in Y").
    A deletion inside a word ("die Z{{c1::ü}}ge") fills it in without a space on the side it is glued to."""
    cloze = card.cloze

    def filled(m: re.Match) -> str:
        before = "" if _glued_start(cloze, m, 0) < m.start() or _signed(cloze, m, 0) else " "
        after = "" if _glued_end(cloze, m) > m.end() or re.compile(_DASHED).match(cloze, m.end()) else " "
        return before + m.group(2) + after + (" " + (m.group(3) or "") + " " if hints and m.group(3) else "")
    return normalize(CLOZE_PATTERN.sub(filled, cloze))


# Cloze cards' patterns, compiled when used (see textnorm). The letters of a word that a cloze deletion is glued
# to, after it:
_GLUED_AFTER = WORD_CHAR + "+"
# A dash right before a digit ("{{c1::60}}–100", "−{{c1::273.15}}"): a range's or a sign, which a space put beside the
# deletion made a sign (the range "60–100" read "60 -100", the negative number "−273.15" read "273.15").
_DASHED = r"[-\u2010-\u2015\u2212](?=\d)"


def _glued_start(cloze: str, m: re.Match, stop: int) -> int:
    """Where the word a deletion is part of starts, at or after `stop`: a number's, through its decimal point or
    separator ("7.{{c1::35}}" hides "7.35")."""
    start = _glued_from(cloze, m.start(), stop)
    if m.group(2)[:1].isdigit():
        while start - 2 >= max(stop, 0) and cloze[start - 1] in NUMBER_MARKS and cloze[start - 2].isdigit():
            start = _glued_from(cloze, start - 1, stop)
    return start


def _glued_end(cloze: str, m: re.Match) -> int:
    """Where the word a deletion is part of ends: a number's, through its decimal point or separator
    ("{{c1::1}},000" hides "1,000")."""
    after = re.compile(_GLUED_AFTER).match(cloze, m.end())
    end = after.end() if after else m.end()
    if (cloze[end - 1] if end > m.end() else m.group(2)[-1:]).isdigit():
        while end + 1 < len(cloze) and cloze[end] in NUMBER_MARKS and cloze[end + 1].isdigit():
            end = re.compile(_GLUED_AFTER).match(cloze, end + 1).end()
    return end


_RANGE = re.compile(r"\d\s*-\s*\d")  # a text that may hold a range ("94-98"), normalised: its dash is "-"


def _signed(cloze: str, m: re.Match, stop: int) -> bool:
    """Whether the deletion is a number whose sign stands right before it, at or after `stop`, after white space or
    an opening bracket ("is −{{c1::273}}"; not a range's dash after a number or a deletion: "{{c1::1}}–{{c2::5}}")."""
    sign = m.start() - 1
    return (sign >= stop and m.group(2)[:1].isdigit()
            and re.compile(_DASHED).match(cloze[sign] + m.group(2)[:1]) is not None
            and (sign == 0 or cloze[sign - 1].isspace() or cloze[sign - 1] in "([^"))


# A comparison sign before a deleted number, a space or none between, after white space, an opening bracket or nothing.
_COMPARED = r"(?:(?<=[\s(\[])|^)[<>\u2264\u2265]\s?$"  # compiled when used (textnorm)


def _compared_from(cloze: str, m: re.Match, stop: int) -> int:
    """Where the comparison sign right before the deletion `m` starts, at or after `stop`, where the deletion is a number
    ("of ≥ {{c1::140/90}} mmHg"); else where the deletion starts. The sign is a word only before a number (textnorm), so
    it is read with the number it compares: left in the rest, it would be no word, and the card would not say it."""
    if not m.group(2)[:1].isdigit():
        return m.start()
    found = re.compile(_COMPARED).search(cloze[stop:m.start()])
    return stop + found.start() if found else m.start()


def _glued_from(cloze: str, start: int, stop: int) -> int:
    """Where the letters of a word that end right before `start` begin, looking back no further than `stop`:
    `start` if none ("Z{{c1::ü}}ge": the "Z")."""
    while start > max(stop, 0) and re.compile(WORD_CHAR).match(cloze, start - 1):
        start -= 1
    return start


def _cloze_split(cloze: str) -> tuple[str, list[str]]:
    """A cloze's rest, each deletion's place holding its hint, and its deletions, as the gate reads them: a
    deletion inside a word is the whole word ("die Z{{c1::ü}}ge" hides "Züge", which the passage must say, not
    "ü" beside the words "z" and "ge"), its other letters not part of the rest."""
    rest: list[str] = []
    deletions: list[str] = []
    position = 0
    for m in CLOZE_PATTERN.finditer(cloze):
        start, end = _glued_start(cloze, m, position), _glued_end(cloze, m)
        if start == m.start() and _signed(cloze, m, position):
            start -= 1  # the number's sign goes with it
        elif start == m.start():
            start = _compared_from(cloze, m, position)  # and so does a comparison sign before it ("≥ {{c1::140/90}}")
        rest += [cloze[position:start], " " + (m.group(3) or "") + " "]
        deletions.append(cloze[start:m.start()] + m.group(2) + cloze[m.end():end])
        position = end
        if re.compile(_DASHED).match(cloze, end):  # a range's dash ("{{c1::60}}–100"): no sign of the number after it
            rest.append(cloze[end] + " ")
            position = end + 1
    rest.append(cloze[position:])
    return "".join(rest), deletions


def _unasked(card: Card, question: Part, answer: Part, vocabulary: Vocabulary) -> frozenset[str]:
    """See Claim.unasked."""
    asked = _how_words(question, answer) | _what_happens(question) if card.kind is CardKind.QA else frozenset()
    hedged = tagged_as_claim(card.tags)
    named = vocabulary.kind_names.keys() & question.keys
    if not hedged and not named:
        return asked
    answered = {term.kind for term in vocabulary.kind_terms(answer.terms)} if named else set()
    return asked | frozenset(t.key for t in question.terms
                             if (hedged and is_claim_word(t.raw)) or vocabulary.kind_names.get(t.key) in answered)


def _how_words(question: Part, answer: Part) -> frozenset[str]:
    """The keys of a question's words that are part of its question word: "many" of "how many" (HOW_WORDS), and the
    word after "how" that the answer says in its comparative or superlative ("how warm ...?" - "much warmer than the
    open sea"): the answer gives the degree the question asks for, in the passage's own word."""
    if "how " not in question.text:
        return frozenset()
    terms = question.terms
    said = {term.raw for term in answer.terms if term.content}
    return frozenset(term.key for before, term in zip(terms, terms[1:])
                     if before.raw == "how" and (term.raw in HOW_WORDS or not said.isdisjoint(_degrees(term.raw))
                                                 or _in_units_of(term.raw, answer)))


def _in_units_of(word: str, answer: Part) -> bool:
    """Whether the answer gives a number in a unit of the measure that "how <word>" asks for: "how far ...?" -
    "8.6 light-years", "how long ...?" - "about 20 to 30 minutes" (a length or a time), "how heavy ...?" - "40 kg".
    The measure is then the unit's, which the passage says. "How often", "how old" and "how soon" are not read so:
    each asks for one reading of a time ("every week", an age, a delay) that a unit does not tell apart."""
    units = _MEASURE_UNITS.get(word)
    return units is not None and any(is_number(term.raw) for term in answer.terms) and \
        units.search(answer.text) is not None


_LENGTH = (r"mm|cm|m|km|(?:milli|centi|kilo)?met(?:re|er)s?|inch(?:es)?|foot|feet|ft|yards?|(?:nautical )?miles?"
           r"|light[- ]years?")
_TIME = r"seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centur(?:y|ies)|millenni(?:um|a)"
_SPEED = rf"mph|kph|km/h|knots?|(?:{_LENGTH}) (?:per|an|a) (?:second|minute|hour)"
# The units each "how <word>" asks for a number in (_in_units_of).
_MEASURE_UNITS = {word: re.compile(rf"(?<![\w-])(?:{units})(?![\w-])") for words, units in (
    (("far", "tall", "high", "deep", "wide", "thick"), _LENGTH),
    (("long",), f"{_LENGTH}|{_TIME}"),
    (("heavy",), r"mg|g|kg|(?:milli|kilo)?grams?|tonnes?|tons?|pounds?|lbs?|ounces?|oz"),
    (("hot", "cold", "warm"), r"degrees?|°c|°f|celsius|fahrenheit|kelvin|k"),
    (("fast",), _SPEED)) for word in words}


def _what_happens(question: Part) -> frozenset[str]:
    """The key of "happen" where it makes one question word with the "what" that opens the question, past modals
    and auxiliaries ("what happens to ...?", "what can happen to ...?"): it asks for an event, which the answer
    names in the passage's words. Not a frame word: a passage's or an answer's "happen" is still a word to claim,
    and so is the question's elsewhere ("when does a crab happen to ...?")."""
    terms = question.terms
    if not terms or terms[0].raw != "what":
        return frozenset()
    at = next((at for at, term in enumerate(terms[1:], start=1) if term.raw not in AUXILIARIES), len(terms))
    return frozenset({terms[at].key}) if at < len(terms) and terms[at].key == _HAPPEN else frozenset()


_HAPPEN = stem("happen")


def _degrees(word: str) -> set[str]:
    """The regular comparative and superlative of an adjective: "warm" "warmer", "warmest"; "large" "larger";
    "hot" "hotter"; "dry" "drier". ("good" "better" and the like are not read.)"""
    stems = {word[:-1] if word.endswith("e") else word}
    if word.endswith("y"):
        stems.add(word[:-1] + "i")
    if len(word) > 2 and word[-1] not in "aeiouwy" and word[-2] in "aeiou" and word[-3] not in "aeiou":
        stems.add(word + word[-1])
    return {stem + ending for stem in stems for ending in ("er", "est")}


# The words after "how many" read as what it counts: a noun and a word before it ("how many Russian letters").
# No more: with no auxiliary after them ("how many scripts retained letters?") the next word is the verb, and the
# one after it may be what the sentence counts.
_COUNTED_WORDS = 2


def _counted(question: Part, answer: Part) -> tuple[frozenset[str], tuple[str, ...]] | None:
    """See Claim.counted: for "how many Russian letters ...?", the answer's numbers and (russian, letter)."""
    terms = question.terms
    at = _how(terms, {"many"})
    if at is None:
        return None
    counted = []
    for term in terms[at + 2:at + 2 + _COUNTED_WORDS]:
        if not term.content:
            break
        counted.append(term.key)
    numbers = _numbers(answer)
    return (numbers, tuple(counted)) if counted and numbers else None


def _deleted_count(card: Card, vocabulary: Vocabulary) -> tuple[frozenset[str], tuple[str, ...]] | None:
    """See Claim.counted: for a cloze that deletes "one" alone right before a content word ("only {{c1::one}} train
    may ..."), ({one}, (train,)), read as "how many trains ...?" - "one" is (a stop-word for its use as a pronoun, the
    number is checked so). None for any other cloze."""
    for found in CLOZE_PATTERN.finditer(card.cloze):
        if fold_case(found.group(2).strip()) != "one":
            continue
        after = vocabulary.terms(normalize(card.cloze[found.end():]))
        if after and after[0].content:
            return frozenset({stem("one")}), (after[0].key,)
    return None


def _measured(question: Part, answer: Part) -> tuple[frozenset[str], tuple[str, ...]] | None:
    """See Claim.measured: for "how much of drug B ...?", the answer's numbers and (drug, b), the run of content words
    after "much" (or "many": "how many mg of caffeine ...?"), past a preposition and determiners."""
    terms = question.terms
    at = _how(terms, HOW_WORDS)
    if at is None or (terms[at + 1].raw == "many" and not _of_something(terms, at + 2)):
        return None  # "how many hours ...?" is the count rule's (count-mismatch); "how many mg of caffeine" is an amount
    measured = [term.key for term in _measured_after(terms, at + 1)]
    numbers = _numbers(answer)
    return (numbers, tuple(measured)) if measured and numbers else None


def _how(terms: list[Term], words: frozenset[str] | set[str]) -> int | None:
    """The offset of the first "how" that one of `words` follows ("how many", "how much"); None if there is none."""
    return next((i for i, (before, term) in enumerate(zip(terms, terms[1:]))
                 if before.raw == "how" and term.raw in words), None)


def _numbers(part: Part) -> frozenset[str]:
    """The keys of the numbers of a part of the claim (an answer's "500", "4.184")."""
    return frozenset(term.key for term in part.terms if is_number(term.raw))


def _of_something(terms: list[Term], at: int) -> bool:
    """Whether the words from `at` are a unit of something: a content word, then a preposition ("mg of caffeine")."""
    return at + 1 < len(terms) and terms[at].content and terms[at + 1].raw in LINK_WORDS


def _measured_after(terms: list[Term], at: int) -> list[Term]:
    """The content words after `at`, past prepositions and determiners ("mg of paracetamol"), up to any other word
    or a number: what an amount at `at` is of."""
    run = []
    for term in terms[at + 1:]:
        if is_number(term.raw) or not (term.content or term.raw in _BETWEEN_ANSWER):
            break
        if term.content:
            run.append(term)
    return run


@dataclass(slots=True)  # made once per candidate support of every citation: not frozen, which is slower to make
class Passage:
    """A candidate support: the quoted part of one sentence (or list item with its lead-in)."""

    units: tuple[Unit, ...]
    terms: list[Term]  # of the quoted part
    keys: set[str]  # its content words' keys
    negated: set[str]  # keys negated in the whole sentence, quoted or not
    bindings: list[tuple[str, str]]  # the whole sentence's polarity bindings, sorted
    hedges: list[tuple[str, str]]  # the whole sentence's hedges ("may", "can") and the words they qualify, sorted
    # the quoted stretch's qualifiers ("almost", "often"), as written and by key, and the keys of their words, sorted
    qualifiers: list[tuple[str, str, str, bool]]  # ... and whether they are someone's word ("some say ...")
    compared: str | None  # the key of what the quoted part compares with ("than X"), if it compares
    clause_of: dict[str, int]  # in a sentence of two clauses or more, the clause of each key said in only one
    # In a sentence of two clauses or more, the keys each clause negates, read alone; empty for one clause.
    clause_negated: tuple[frozenset[str], ...]
    sentence: str  # the whole sentence (a list item with its whole lead-in), normalised, read for cause and effect
    whole: list[Term]  # its terms
    heading: str  # the heading of its section (the document's title before the first heading)
    # the function words a " ... " of the quote in it skips from to the same words at another place ("to the")
    gap_spliced: str | None = None
    # the object of the first clause that a pronoun of a later one stands for (sides.clause_object_pronoun)
    pronoun: ObjectPronoun = ObjectPronoun()
    quote: QuoteMatch | None = None  # the quote it is part of, read for where it is cut (cuts.py) once all else holds


class Reason(NamedTuple):
    """Why a passage does not carry a claim: the card key to point at, and what is wrong."""

    field: str  # a card key, or "quote" for the citation's quote
    message: str  # with "@doc" where the document's id goes
    hint: str
    code: str  # the diagnostic's code (README, "Diagnostic codes")
    word: str = ""  # of a missing word: the word as the card has it, quoted, with its nearest passage word if any


class Support(NamedTuple):
    """A citation that passed: the source, the quoted passage, and the sentence that carries the claim."""

    ref: SourceRef
    doc: SourceDoc
    units: tuple[Unit, ...]  # the supporting sentence (or list item with its lead-in)
    quoted: tuple[Unit, ...]  # every sentence or list item the quote touches, for display
    extra_units: tuple[Unit, ...] = ()  # the sentence of this quote that backs the card's extra, if not `units`


class TraceResult(NamedTuple):
    card: Card
    supports: tuple[Support, ...]  # citations that carry the card's claim
    context: tuple[Support, ...]  # further citations, that carry its `extra`
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return bool(self.supports)


_AND = re.compile(r"\band\b")
_OR = re.compile(r"\bor\b")
_BRACKET = re.compile(r"\s*\([^()]*\)")  # a bracket and what it holds: "phosphorus (hyperphosphatemia)"
_REWORD = "quote the sentence that states it, or reword the card to its terms"
_LINK_HINT = ("keep each word on its side of the words that join it to the next, as the passage has them: "
              "\"X of Y\" is not \"Y of X\", nor \"X can absorb Y\" \"Y can absorb X\"")
_CUT = "quote only what the card claims: skip the rest of the sentence with ' ... '"


class Gate:
    def __init__(self, corpus: Corpus, vocabulary: Vocabulary):
        self.corpus = corpus
        self.vocabulary = vocabulary

    def trace(self, card: Card) -> TraceResult:
        """Every citation must be found (rule 1) and carry the claim or the extra; one must carry the claim."""
        claim = read_claim(card, self.vocabulary)
        problems = _empty_parts(card, claim, self.vocabulary)
        extra = _part(self.vocabulary, "extra", "extra", card.extra) if card.extra else None
        found: list[tuple[SourceRef, QuoteMatch, list[Passage]]] = []
        for ref in card.sources:
            match, missing = self.find_quote(ref)
            problems += missing
            if match is not None:
                found.append((ref, match, self.passages(match)))
        if problems:
            return TraceResult(card, (), (), self._as_written(card, problems))
        if any(passage.clause_of for _, _, passages in found for passage in passages):
            claim = _with_parts(claim, card, self.vocabulary)

        supports: list[Support] = []
        context: list[Support] = []
        extra_carried = extra is None
        idle: list[SourceRef] = []
        for ref, match, passages in found:
            carrier = next((p for p in passages if not self.reasons(claim, p, explain=False)), None)
            extra_carrier = None if extra is None else next((p for p in passages if not _extra_reasons(extra, p)),
                                                             None)
            extra_carried = extra_carried or extra_carrier is not None
            if carrier is not None:
                backs_extra = extra_carrier.units if extra_carrier is not None and extra_carrier is not carrier else ()
                supports.append(Support(ref, match.doc, carrier.units, match.units, backs_extra))
            elif extra_carrier is not None:
                context.append(Support(ref, match.doc, extra_carrier.units, match.units))
            else:
                idle.append(ref)
        if not supports:  # what the citation that came nearest lacks; the others' reasons would only add noise
            ref, doc, reasons = min(((ref, match.doc, self._told_where_said(claim, match, passages,
                                                                             self._best_reasons(claim, passages)))
                                     for ref, match, passages in found), key=lambda entry: len(entry[2]))
            problems += [self._diagnostic(card, ref, doc, reason) for reason in _grouped(reasons)]
        elif not extra_carried:
            doc, reasons = min(((match.doc, _best_extra_reasons(extra, passages)) for _, match, passages in found),
                               key=lambda entry: len(entry[1]))
            problems += [self._diagnostic(card, None, doc, reason) for reason in _grouped(reasons)]
        else:
            problems += [Diagnostic(ref.location, f"this citation of {ref.doc} carries neither the card's claim "
                                                  "nor its extra", "remove it, or quote the sentence that says it",
                                    "citation-unused")
                         for ref in idle]
        if problems:
            return TraceResult(card, (), (), self._as_written(card, problems))
        return TraceResult(card, tuple(supports), tuple(context), ())

    # --- rule 1: the quote is in the document --------------------------------------------------
    def find_quote(self, ref: SourceRef) -> tuple[QuoteMatch | None, list[Diagnostic]]:
        doc = self.corpus.docs.get(ref.doc)
        if doc is None and ref.doc in self.corpus.unreadable:
            shown = self.corpus.misnamed.get(ref.doc, f"sources/{ref.doc}.md")
            return None, [Diagnostic(ref.doc_location, f"source document '{ref.doc}' cannot be read: "
                                     f"{shown} has a problem of its own (deckgen check names it)",
                                     "this card is checked against it once that is fixed", "source-unreadable")]
        if doc is None:
            from difflib import get_close_matches  # only for an unknown document

            close = get_close_matches(ref.doc, list(self.corpus.docs), n=1)
            misnamed = self.corpus.misnamed.get(ref.doc)
            hint = (f"{misnamed} is not read: a source is a Markdown file, sources/<doc-id>.md; rename it "
                    f"sources/{ref.doc}.md" if misnamed else
                    f"did you mean '{close[0]}'?" if close else "known: " + ", ".join(sorted(self.corpus.docs))
                    if self.corpus.docs else f"sources/ holds no document: put the cited one in sources/{ref.doc}.md")
            return None, [Diagnostic(ref.doc_location, f"unknown source document '{ref.doc}'", hint, "unknown-source")]
        pieces = quote_pieces(ref.quote)
        if not pieces:
            return None, [Diagnostic(ref.quote_location, "quote is empty", "", "quote-empty")]
        spans = _placed(doc, pieces, 0)
        if isinstance(spans, str):
            return None, [_not_found(doc, ref, spans)]
        quoted = _within_sentences(doc, pieces, spans)
        match = QuoteMatch(doc, quoted, _units_touched(doc, quoted))
        headings = [u for u in match.units if u.kind is UnitKind.HEADING]
        if headings:
            return None, [Diagnostic(ref.quote_location, f"quote includes the heading \"{headings[0].text}\"",
                                     "quote article sentences only; headings are not statements", "quote-has-heading")]
        set_aside = next(filter(None, (doc.set_aside_in(*span) for span in spans)), None) if doc.set_aside else None
        if set_aside is not None:
            return None, [Diagnostic(ref.quote_location,
                                     f"quote includes a passage that {doc.path} sets aside as {set_aside.why}: "
                                     f"{set_aside.note}", "a card may not teach it: quote another passage, "
                                     "or skip that part with ' ... '", "quote-set-aside")]
        if _crossing(doc, quoted):
            return None, [Diagnostic(ref.quote_location,
                                     "the ' ... ' in this quote skips across a sentence boundary",
                                     "quote within one sentence, or from a list's lead-in into one item",
                                     "quote-crosses-sentences")]
        table = table_problem(doc, match.units, quoted, ref.quote_location)
        return (None, [table]) if table is not None else (match, [])

    def _gap_splice(self, doc: SourceDoc, spans: tuple[tuple[int, int], ...], units: tuple[Unit, ...]) -> str | None:
        """The function words of a ' ... ' of one sentence that the words it skips end with too (or start with, where
        they start the next piece), their place in the sentence moved to the other's: "the cook adds salt to the ...
        tea" from "the cook adds salt to the soup, and the cook adds sugar to the tea" joins "salt to the" to the
        other "to the"'s "tea"; "guards check ... each wasp" from "guards check each bee that lands, and guards chase
        away each wasp" joins "check" to the other "each". Not where the rest of what it skips ends with "and" or
        "or": the two places are items of one list ("to the soup and to the tea"). None if there is no such gap."""
        for (_, end), (start, after) in zip(spans, spans[1:]):
            unit = doc.unit_at(end - 1)
            if unit.index != doc.unit_at(start).index or unit not in units:
                continue  # from a list's lead-in into one of its items, or in another sentence than the passage's
            skipped = self.vocabulary.terms(doc.norm[end:start])
            tail = _function_words(self.vocabulary.terms(doc.norm[unit.start:end]), -1)
            head = _function_words(self.vocabulary.terms(doc.norm[start:after]), 1)
            for words, said, rest in ((tail, skipped[len(skipped) - len(tail):], skipped[:len(skipped) - len(tail)]),
                                      (head, skipped[:len(head)], skipped[len(head):])):
                if (words and len(words) < len(skipped) and [term.raw for term in said] == words
                        and any(term.content and term.raw not in DETERMINERS for term in rest)
                        and rest[-1].raw not in CONJUNCTIONS):
                    return " ".join(words)
        return None

    # --- rule 2: one support carries the claim ---------------------------------------------------
    def passages(self, match: QuoteMatch) -> list[Passage]:
        """Each candidate support of a found quote: each quoted unit alone, and each quoted list item
        with its (quoted) lead-in."""
        units = match.units
        candidates: list[tuple[Unit, ...]] = [(u,) for u in units]
        if len(units) > 1:
            by_index = {u.index: u for u in units}
            candidates += [(by_index[u.lead], u) for u in units if u.lead is not None and u.lead in by_index]
        return [self._passage(match, candidate) for candidate in candidates]

    def _passage(self, match: QuoteMatch, units: tuple[Unit, ...]) -> Passage:
        doc = match.doc
        terms = self.vocabulary.terms(match.quoted_text(units))
        sentence = " ".join([doc.norm_of(u) for u in units])
        whole = self.vocabulary.terms(sentence)
        heading = doc.heading_of(units[0])
        parts = clauses(sentence)
        part_terms = [self.vocabulary.terms(part) for part in parts] if len(parts) > 1 else []  # each clause read once
        negated = (negated_keys(whole) if len(parts) < 2 or len(units) > 1
                   else self._negated(match, units[0], parts, part_terms))
        pronoun = clause_object_pronoun(part_terms)
        return Passage(units, terms, content_keys(terms), negated, sorted(polarity_bindings(whole)),
                       sorted(hedge_bindings(whole)), self._qualifiers(match, units), compared_with(terms),
                       _clause_of(part_terms, pronoun), _clause_negated(part_terms), sentence,
                       whole, heading.text if heading else doc.title,
                       self._gap_splice(doc, match.spans, units) if len(match.spans) > 1 else None, pronoun, match)

    def _negated(self, match: QuoteMatch, unit: Unit, parts: list[str], part_terms: list[list[Term]]) -> set[str]:
        """The keys that a negation applies to in the clauses of a sentence of two or more (textnorm.clauses) that the
        quote reaches into, each clause read alone: "drones do not sting, but workers sting intruders" quoted "...
        workers sting intruders" negates nothing, and so does not forbid "what do workers sting?"; quoted "drones ...
        sting intruders", it negates "sting"."""
        negated: set[str] = set()
        start = unit.start
        for part, terms in zip(parts, part_terms):
            start = match.doc.norm.find(part, start)
            end = start + len(part)
            if any(lo < end and hi > start for lo, hi in match.spans):
                negated |= negated_keys(terms)
            start = end
        return negated

    def _qualifiers(self, match: QuoteMatch, units: tuple[Unit, ...]) -> list[tuple[str, str, str, bool]]:
        """The qualifiers ("almost", "often") of the quoted stretch of the units, from its first piece to the end of its
        last, and those before it that qualify a word of it, each as written and by key, with the words they qualify
        (textnorm.qualifier_bindings), sorted: those a " ... " skips, and those before it in its clause ("... all of
        its other bees" for "almost all of its other bees", "... the drones die" for "in most colonies the drones
        die"), but not those of the sentence's other clauses ("some" of "..., but some microcalcification patterns may
        be ...")."""
        norm = match.doc.norm
        bindings = set()
        for unit in units:
            inside = [(max(start, unit.start), min(end, unit.end)) for start, end in match.spans
                      if start < unit.end and end > unit.start]
            if inside:
                before = norm[unit.start:inside[0][0]]
                terms, gaps = self.vocabulary.terms_and_gaps(before + norm[inside[0][0]:inside[-1][1]])
                bindings |= qualifier_bindings(terms, gaps, len(self.vocabulary.terms(before)))
                sentence = norm[unit.start:unit.end]
                bindings |= condition_bindings(sentence, self.vocabulary) | limit_bindings(sentence, self.vocabulary)
        return sorted((qualifier.raw, qualifier.key, key, reported) for qualifier, key, reported in bindings)

    def reasons(self, claim: Claim, passage: Passage, explain: bool = True) -> list[Reason]:
        """Why `passage` does not carry the claim (rules 2a-2d); empty if it does."""
        frame = self.vocabulary.frame
        keys = passage.keys
        reasons = [_missing(claim.answer, term, passage, explain)
                   for term in _absent(claim.answer, keys, frame)]
        unsupported = _absent(claim.question, keys, frame | claim.unasked if claim.unasked else frame)
        if unsupported:
            named = self._named_by_heading(claim, passage)
            reasons += [_missing(claim.question, term, passage, explain)
                        for term in unsupported if term.key not in named]
        unclaimed = keys - claim.keys - frame
        if unclaimed:
            words = [t.raw for t in _unique(passage.terms) if t.key in unclaimed]
            reasons.append(Reason("quote", f"the quoted passage from @doc also says {_listed(words)}, "
                                           "which the card does not", _CUT, "quote-says-more"))
        if reasons:
            return reasons
        reasons = _misquotations(claim, passage) + _disagreements(claim, passage) + self._cause_reasons(claim, passage)
        if reasons:
            return reasons
        return (self._conjunction_reasons(claim, passage) or self._neighbour_reasons(claim, passage)
                or _adverb_moved_reasons(claim, passage) or self._range_reasons(claim, passage)
                or _count_reasons(claim, passage) or _amount_reasons(claim, passage)
                or self._link_reasons(claim, passage)
                or self._side_reasons(claim, passage) or self._voice_reasons(claim, passage)
                or self._relative_reasons(claim, passage) or self._that_reasons(claim, passage)
                or self._active_reasons(claim, passage)
                or self._kind_reasons(claim, passage) or self._splice_reasons(claim, passage)
                or _gap_splice_reasons(passage) or self._cut_reasons(claim, passage))

    def _cut_reasons(self, claim: Claim, passage: Passage) -> list[Reason]:
        """A quote whose start or ' ... ' cuts a phrase of the sentence (rule 2d, cuts.py): "The ... moraine" of "The
        terminal moraine", "till is not sorted by size, ... the sand" of "…, unlike the sand"."""
        match = passage.quote
        if match is None or (len(match.spans) < 2 and match.spans[0][0] == passage.units[0].start):
            return []
        cuts = claimed_cuts(quote_cuts(match.doc.norm, match.spans, passage.units, self.vocabulary), claim.stated)
        return [_cut_reason(cuts[0])] if cuts else []

    def _voice_reasons(self, claim: Claim, passage: Passage) -> list[Reason]:
        """A verb the claim puts in the passive where the whole supporting sentence has it in the active, its subject
        and object left where they stood (rule 2d, sides.passive_turned): "adequate magnesium levels are directly
        inhibited by the precipitation of which crystals?" from "adequate magnesium levels ... directly inhibiting
        the precipitation of hydroxyapatite crystals". Read only where the claim says "by" (or "through", "via")."""
        if AGENT_WORDS.isdisjoint(claim.stated):
            return []
        key = passive_turned(_statement(claim), passage.whole, self.vocabulary)
        return _out_of_place(claim, key, "puts \"{word}\" on the other side of a verb and its \"by\" than the quoted "
                                         "passage from @doc has it: what does it is now what it is done to, or the "
                                         "other way round",
                             "in the passive, what the passage puts after the verb comes before it and what does it "
                             "after \"by\": \"X inhibits Y\" is \"Y is inhibited by X\"", "passive-turned-round")

    def _active_reasons(self, claim: Claim, passage: Passage) -> list[Reason]:
        """A question that asks for an active verb's subject or object with the two turned round against the whole
        supporting sentence (rule 2d, sides.active_turned): "what directly inhibits adequate magnesium levels?" - "the
        precipitation of hydroxyapatite crystals", from "... directly inhibiting the precipitation of hydroxyapatite
        crystals"; "what do arteries and heart valves affect?" - "vascular calcification", from "vascular
        calcification, which affects arteries and heart valves". Read only for a question that starts with its
        wh-word, or ends with "what" ("arteries and heart valves affect what?")."""
        if claim.question.field == "cloze" or (claim.question.text.split(" ", 1)[0] not in ASKS_A_VERB
                                               and not claim.question.text.rstrip("?!. ").endswith(" what")):
            return []
        key = active_turned(claim.question.terms, claim.answer.terms, passage.whole)
        return _out_of_place(claim, key, "puts \"{word}\" on the other side of a verb than the quoted passage from "
                                         "@doc does: what does it is now what it is done to, or the other way round",
                             "keep the verb's subject before it and its object after it, as the passage has them: "
                             "\"what inhibits Y?\" asks for what the passage puts before \"inhibits Y\"",
                             "verb-turned-round")

    def _kind_reasons(self, claim: Claim, passage: Passage) -> list[Reason]:
        """"What kind of N is X?" asked of an X that names N and that the whole supporting sentence gives as the kind
        of the answer, right after it (rule 2d, sides.kind_turned): "what kind of medication is an anti-inflammatory
        medication?" - "colchicine", from "colchicine (Colcrys), an anti-inflammatory medication". Read only where the
        question starts with "what kind of" (or "type", "sort", "form")."""
        if claim.question.field == "cloze" or KIND_WORDS.isdisjoint(claim.stated):
            return []
        terms, gaps = self.vocabulary.terms_and_gaps(passage.sentence)
        key = kind_turned(claim.question.text, claim.answer.text, terms, gaps, self.vocabulary)
        return _out_of_place(claim, key, "asks what kind \"{word}\" is, where the quoted passage from @doc gives it "
                                         "as the kind of the answer: the member is now the kind",
                             "ask for the kind of the member: \"what kind of medication is colchicine?\" - \"an "
                             "anti-inflammatory medication\"", "kind-turned-round", claim.question.terms)

    def _relative_reasons(self, claim: Claim, passage: Passage) -> list[Reason]:
        """The verb of a relative clause and the verb of its sentence swapped (rule 2d, sides.relative_turned):
        "people who release more calcium in their urine get calcium oxalate stones" from "people who get calcium
        oxalate stones release more calcium in their urine". Read only where the claim says "who", "that" or
        "which"."""
        if _RELATIVE.isdisjoint(claim.stated):
            return []
        key = relative_turned(_statement(claim), passage.sentence, self.vocabulary)
        if key is None and claim.question.field != "cloze":  # "what does yeast that releases X ferment?" - "sugar":
            # in a statement's order, so the question's verb is followed by its answer as the sentence's is
            declarative = _declarative(claim, followers(passage.whole))
            key = relative_turned(declarative, passage.sentence, self.vocabulary)
        return _out_of_place(claim, key, "puts \"{word}\" in a relative clause (\"who …\", \"that …\") where the "
                                         "quoted passage from @doc has it as the verb of the sentence, and another "
                                         "verb in that clause",
                             "keep the verb of the relative clause in it and the sentence's own verb outside it, as "
                             "the passage has them: \"people who get X release Y\" is not \"people who release Y get "
                             "X\"", "relative-turned-round") or self._relative_head_reasons(claim, passage)

    def _that_reasons(self, claim: Claim, passage: Passage) -> list[Reason]:
        """The two sides of the sentence's "that" traded (rule 2d, sides.that_turned): "what warns that the next
        signal shows a single yellow aspect?" - "red", from "a single yellow aspect warns that the next signal shows
        red". Read only where the claim says "that"."""
        if "that" not in claim.stated:
            return []
        key = that_turned(_statement(claim), passage.sentence, self.vocabulary)
        if key is None and any(term.raw == "that" for term in claim.answer.terms):
            # "what do axle counters count?" - "the sections that ...": the question, then the answer's clause
            key = that_turned(claim.question.text + " " + claim.answer.text, passage.sentence, self.vocabulary)
        return _out_of_place(claim, key, "puts \"{word}\" before \"that\", where the quoted passage from @doc has it "
                                         "after its \"that\", and a word it has before \"that\" after it",
                             "keep each word on the side of \"that\" the passage puts it: \"X warns that the signal "
                             "shows Y\" is not \"Y warns that the signal shows X\"", "that-turned-round")

    def _relative_head_reasons(self, claim: Claim, passage: Passage) -> list[Reason]:
        """The noun of a relative clause traded with another noun of its sentence (sides.relative_head_traded):
        "signallers who pass a red signal ... report it to the driver" from "drivers who pass a red signal ... report
        it to the signaller"."""
        key = relative_head_traded(_statement(claim), passage.sentence, self.vocabulary)
        return _out_of_place(claim, key, "gives \"{word}\" the relative clause (\"who …\") that the quoted passage "
                                         "from @doc gives to another noun, and puts that noun where it has \"{word}\"",
                             "keep the relative clause on the noun the passage gives it to: \"drivers who pass X "
                             "report to the signaller\" is not \"signallers who pass X report to the driver\"",
                             "relative-turned-round")

    def _splice_reasons(self, claim: Claim, passage: Passage) -> list[Reason]:
        """Words the claim puts on the two sides of a word that the whole supporting sentence says more than once,
        where the sentence has the one side's at one place of it and the other side's at another, and never both
        (rule 2d, splices.py): "what does the length of each waggle run show?" - "the direction of the flowers", from
        "the angle of the dance shows the direction of the flowers, and the length of each waggle run shows how far
        away they are". Read only where the sentence says a word of the claim more than once."""
        ignored = claim.answer.keys - _which_head(claim)
        if not _says_twice(passage.whole, (claim.keys - ignored) | (claim.stated & PREPOSITIONS)):
            return []  # a word the answer says too is left out: a name ("iatrogenic calcification") says a
            # word of the question again ("which type of calcification ...?"), which is no second place
        whole, gaps = self.vocabulary.terms_and_gaps(passage.sentence)
        text = claim.texts[0] if claim.question.field == "cloze" else _declarative(claim, followers(whole))
        if ignored != claim.answer.keys:  # "young workers [workers] gather nectar": the answer names the noun
            head = next(term.raw for term in reversed(claim.answer.terms) if term.content)
            text = re.sub(rf"\b{re.escape(head)} {re.escape(head)}\b", head, text)
        claimed = self.vocabulary.terms_and_gaps(text)
        found = spliced(*claimed, whole, gaps, ignored=ignored)
        named = pronouns_named(whole) if found is not None else None
        if named is not None:  # "they were built in Europe": "locks were built in Europe", "locks" no word said twice
            found = found if spliced(*claimed, named[0], gaps, ignored=ignored | {named[1]}) else None
        if found is None:
            return []
        one = " ".join([term.raw for term in whole[found.left.reach:found.left_at + 1]])
        other = " ".join([term.raw for term in whole[found.right_at:found.right.reach + 1]])
        word = whole[found.left_at].raw
        return [Reason(_field_of(claim, found.key), f"joins \"{one}\" to \"{other}\": the quoted passage from @doc "
                                                    f"says \"{word}\" more than once, and says each of these at another "
                                                    "place of it",
                       f"keep together what the passage says around one \"{word}\"; quote and ask about that place",
                       "clauses-spliced")]

    def _side_reasons(self, claim: Claim, passage: Passage) -> list[Reason]:
        """A word the claim puts on the other side of an ordering word ("if", "before", "until", "during", "even
        when") or a naming word ("called", "such as") than the whole supporting sentence has it (rule 2d, see
        sides.py): "if your vitamin D levels will be monitored, what do you have?" - "calcium deposits", from "if
        you have calcium deposits, your ... vitamin D levels will be monitored"; "what is idiopathic calcinosis
        called?" - "calcification", from "this is called idiopathic calcification". Read only where the claim
        says such a word."""
        why = (answered_why(claim.question.text, claim.answer.text, claim.answer.terms)
               if claim.question.field != "cloze" else None)
        when = answered_when(claim.question.text, claim.answer.text) if claim.question.field != "cloze" else None
        if when is not None and (found := when_turned(when, passage.sentence, self.vocabulary)) is not None:
            return [_reason_crossed(claim, found, _raw(claim.question.terms + claim.answer.terms, found.key))]
        if why is None and not has_trigger(claim.stated):
            return []
        found = turned(why or _statement(claim), passage.sentence, passage.whole, self.vocabulary)
        if found is None or (found.said == "so that" and "because" not in claim.stated):
            return []  # "why ...?" - "their legs can keep ...": a bare answer may give the purpose as the reason
        terms = claim.question.terms + claim.answer.terms
        word = _raw(terms, found.key)
        if why is not None and found.word == "because" and found.key in claim.answer.keys:
            return [_reason_not_given(claim, found, word)]
        if found.naming:
            return [Reason(_field_of(claim, found.key), f"puts \"{word}\" on the other side of \"{found.word}\" "
                                                        "than the quoted passage from @doc does",
                           f"keep the name (or the example) on the side of \"{found.word}\" where the passage has "
                           "it: \"X is called Y\" is not \"Y is called X\", nor \"X, such as Y\" \"Y, such as X\"",
                           "naming-turned-round")]
        if found.said:
            return [_reason_turned(claim, found, word)]
        return [_reason_crossed(claim, found, word)]

    def _link_reasons(self, claim: Claim, passage: Passage) -> list[Reason]:
        """A link of the claim that the whole supporting sentence does not make, at an anchor where it makes one -
        the same word before the same preposition or determiner ("bind to", "an inhibitor of", "fragment the"), or
        the same verb after a modal ("can absorb") - whose other end holds words of the quoted passage but none of
        the sentence's there, while the claim says one of the sentence's elsewhere (a word the heading alone gives is
        no swap): "What is designed to bind to EDTA?" - "ionic calcium", from "EDTA, which
        is designed to bind to ionic calcium"; "the amount of calcium that calcium blockers can absorb" - "skin
        cells"; or that puts on one side of it a word the sentence has only on the other ("slow the vascular
        progression of calcification" from "slow the progression of vascular calcification") (rule 2d); at an anchor
        where the sentence makes no link by its preposition, one of the sentence's links turned round
        (_stray_link_reasons). Punctuation aside; the sentence is read only for a link of the claim that it does not
        say word for word."""
        sentence = passage.sentence
        new = [(terms, link) for terms in _linked_terms(claim) for link in links(terms)
               if not _said_in(sentence, " ".join([term.raw for term in terms[link.start:link.end + 1]]))]
        if not new:  # every link of the claim is one of the sentence's, word for word (most claims)
            return []
        whole = passage.whole
        said = links(whole)
        said += shared_links(whole, said)  # "to the clew ..., and to the cleats": "sheets to cleats" too
        anchors = {(link.anchor, link.word) for link in said}
        stray = [(terms, link) for terms, link in new if (link.anchor, link.word) not in anchors]
        if stray and (reasons := _stray_link_reasons(claim, stray, said, whole)):
            return reasons
        new = [(terms, link) for terms, link in new if (link.anchor, link.word) in anchors]
        if not new:  # the sentence has no link where the claim has a new one
            return []
        made = {(link.anchor, link.word, link.other) for link in said}
        claim_terms = claim.question.terms + claim.answer.terms
        claimed = {(link.anchor, link.word, link.other) for terms in _linked_terms(claim) for link in links(terms)}
        for terms, link in new:
            if (link.anchor, link.word, link.other) in made:
                continue
            theirs = [other for other in said if other.anchor == link.anchor and other.word == link.word]
            if not theirs:
                continue
            written = " ".join([t.raw for t in terms[link.start:link.end + 1]])
            crossing = _crossing_link(link, said, claimed)
            if crossing is not None:
                return [Reason(_field_of(claim, link.other), f"says \"{written}\", where the quoted passage from @doc "
                                                             f"says \"{_said(whole, theirs[0])}\" and "
                                                             f"\"{_said(whole, crossing)}\"", _LINK_HINT, "link-swapped")]
            before = set().union(*(run_keys(whole, other.start, -1) for other in theirs))
            after = set().union(*(run_keys(whole, other.end, 1) for other in theirs))
            claimed_before, claimed_after = run_keys(terms, link.start, -1), run_keys(terms, link.end, 1)
            claimed, ends = (claimed_before, before) if link.anchored_after else (claimed_after, after)
            if not link.anchored_after and self._list_reordered(terms, link.end, passage, theirs):
                continue  # "before the bun, the roll, and the loaf" for "before the loaf, the roll, and the bun"
            if not link.anchored_after and _answer_between(claim, terms, link, ends, whole):
                continue  # "when do the drones die in most colonies?" - "in autumn": "die in autumn in most colonies"
            if not link.anchored_after and _answer_fills(claim, terms, link, whole):
                continue  # "what did the fitter check every week?" - "the grease": "checked the grease every week"
            near = ends  # "the chain" of "oil the chain under heavy rain", a word of place after it
            if not link.anchored_after and terms[link.end].raw not in RELATIONS:
                near = _before_a_relation(whole, theirs, ends)
            if claimed.isdisjoint(near) and not claimed.isdisjoint(passage.keys) and not near.isdisjoint(claim.keys):
                moved = link.other  # words of the quoted passage put in the place of others it has there
            elif numbers := _number_moved(claimed, ends, passage.keys):
                moved = numbers  # "a half-life of 12 hours" where the sentence says "of 6 hours" and "in 12 hours"
            else:
                crossed = (((claimed_before - claimed_after) & (after - before))
                           | ((claimed_after - claimed_before) & (before - after)))
                if not crossed:
                    continue
                moved = min(crossed, key=lambda key: _raw(claim_terms, key))
            theirs_written = _said(whole, theirs[0])
            return [Reason(_field_of(claim, moved), f"says \"{written}\", where the quoted passage from @doc says "
                                                    f"\"{theirs_written}\": \"{_raw(claim_terms, moved)}\" is not "
                                                    "where the passage has it", _LINK_HINT, "link-swapped")]
        return []

    def _list_reordered(self, terms: list[Term], at: int, passage: Passage, theirs: list[Link]) -> bool:
        """The claim's words from `at` on are the items of a list of the whole supporting sentence, all of them and no
        other, in another order, where the sentence's links (`theirs`) end at an item of that list: "before the bun,
        the roll, and the loaf" for "before the loaf, the roll, and the bun". The claim's items are read through
        determiners, "and" and "or" up to a word that is none of the list's."""
        lists = [items for items in list_items(*self.vocabulary.terms_and_gaps(passage.sentence))
                 if terms[at].key in items and any(passage.whole[link.end].key in items for link in theirs)]
        if not lists:
            return False
        said: set[str] = set()
        for term in terms[at:]:
            if term.content and term.key in lists[0]:
                said.add(term.key)
            elif term.content or (term.raw not in DETERMINERS and term.raw not in CONJUNCTIONS):
                break
        return said == lists[0]

    def _conjunction_reasons(self, claim: Claim, passage: Passage) -> list[Reason]:
        """Two words that the whole supporting sentence joins by "or" and the claim by "and", or the other way
        round, and never the claim's way (rule 2d): "damaged or inflamed" is not "damaged and inflamed", nor "blood
        sugar and blood pressure" "blood sugar or blood pressure". The sentence is read only if it says the other
        word than one the claim joins by."""
        if claim.statement is None:
            return []
        if not (("and" in claim.stated and _OR.search(passage.sentence))
                or ("or" in claim.stated and _AND.search(passage.sentence))):
            return []
        by_and, by_or = coordinated_pairs(self.vocabulary.terms(claim.statement))
        said = coordinated_pairs(passage.whole)
        if "(" in passage.sentence:  # "phosphorus (hyperphosphatemia) and calcium" joins phosphorus and calcium too
            glossed = coordinated_pairs(self.vocabulary.terms(_BRACKET.sub("", passage.sentence)))
            said = Coordinated(said.by_and | glossed.by_and, said.by_or | glossed.by_or)
        for pairs, claimed_word, said_pairs, said_word, other in ((by_and, "and", said.by_or, "or", said.by_and),
                                                                  (by_or, "or", said.by_and, "and", said.by_or)):
            turned = _unordered(said_pairs) - _unordered(other)
            pair = min((pair for pair in pairs if frozenset(pair) in turned), default=None)
            if pair is not None:
                terms = claim.question.terms + claim.answer.terms
                return [Reason(_field_of(claim, pair[1]), f"joins \"{_raw(terms, pair[0])}\" and "
                                                          f"\"{_raw(terms, pair[1])}\" by \"{claimed_word}\", where "
                                                          f"the quoted passage from @doc joins them by \"{said_word}\"",
                               "keep the passage's \"and\" or \"or\": \"X or Y\" says either, \"X and Y\" both",
                               "conjunction-mismatch")]
        return []

    def _neighbour_reasons(self, claim: Claim, passage: Passage) -> list[Reason]:
        """A word of the claim put right before a word of the whole supporting sentence in the place of its
        neighbour there, which the claim says elsewhere (rule 2d): "a natural magnesium antagonist" - "calcium" from
        "magnesium ... acts as a natural calcium antagonist". Or put right after one, in the place of a word that
        the claim keeps beside none of its neighbours of the sentence: "associated with increased smoking" from
        "smoking is associated with increased calcifications" (where "arthroscopic procedures involve removing"
        keeps "arthroscopic procedures" of "involve arthroscopic procedures to remove"). Not where the answer stands
        between the two words in the sentence ("what do some people notice before ...?" - "itching or redness"), nor
        where a passive brings its agent beside the word after the active's object ("mild itching or redness is
        noticed by some people before ..."; sides.passive_neighbours),
        nor for a word put between the two ("some breast microcalcification patterns"), nor for two words that the
        sentence joins by "and" or "or" ("phosphorus and calcium levels")."""
        said = neighbour_pairs(passage.whole)  # punctuation aside, which is read only where it may decide
        claimed, words, keys = claim.neighbours, claim.keys, passage.keys
        new = claimed - said
        named = pronouns_named(passage.whole) if new else None
        if named is not None:  # a pronoun of the sentence read as its subject: "so it suits" says "chainring suits"
            new -= neighbour_pairs(named[0])
        sentence = self.vocabulary.terms_and_gaps(passage.sentence) if new and named is not None else None
        certain = pronouns_certain(*sentence) if sentence is not None else None
        if certain is not None:  # "so they need" says "gears need": a word put in "gears"'s place is a swap
            said = said | neighbour_pairs(certain)
        if not new:
            return []
        new = [pair for pair in new if pair[0] in keys and pair[1] in keys]
        if not new:
            return []
        # the sentence's neighbours that the claim says apart, those its pronoun makes ("they need": "gears need")
        # among them: the only places a word of it can have been taken from
        broken = [pair for pair in said - claimed if pair[0] in words and pair[1] in words]
        if not broken:
            return []
        found = _moved_words(sorted(new), broken)
        if not found:
            return []
        counted = set(claim.counted[1]) if claim.counted else set()
        fronted = _fronted_relation(claim)
        before_answer, after_answer = _around_answer(passage.whole, claim.answer.keys - claim.question.keys | fronted,
                                                     claim.answer.keys | counted | fronted | _fronted_nouns(claim))
        kept = {word for pair in said & claimed for word in pair}  # words the claim keeps beside a neighbour
        sentence = sentence or self.vocabulary.terms_and_gaps(passage.sentence)
        clean = neighbour_pairs(*sentence)  # no punctuation between them
        if certain is not None:
            clean |= neighbour_pairs(certain, sentence[1])
        clean_claimed = set().union(*(neighbour_pairs(*self.vocabulary.terms_and_gaps(text))
                                      for text in claim.texts))
        met = (passive_neighbours(_statement(claim), certain or passage.whole, self.vocabulary)
               if not AGENT_WORDS.isdisjoint(claim.stated) else set())  # "they" read as its subject where certain
        for first, second, moved in found:
            if first in before_answer and second in after_answer:
                continue  # neighbours in the question where the answer stands between them in the sentence
            if (first, second) in met:
                continue  # the agent of a passive beside what the sentence has after the verb's object
            if _adverb_before_its_verb(first, second, claimed, said, passage.whole):
                continue  # "lactic bacteria slowly sour" for "lactic bacteria sour the rye dough slowly"
            moved = [(newcomer, other, pair) for newcomer, other, pair in moved
                     if pair in clean and not (newcomer == second and other in kept)
                     and not _inserted(newcomer, other, pair, claimed) and not _coordinated(passage, newcomer, other)]
            if moved and (first, second) in clean_claimed:
                terms = claim.question.terms + claim.answer.terms
                said_first, said_second = (_raw(passage.whole, key) for key in moved[0][2])
                return [Reason(_field_of(claim, first), f"puts \"{_raw(terms, first)}\" beside "
                                                        f"\"{_raw(terms, second)}\", where the quoted passage from "
                                                        f"@doc says \"{said_first} {said_second}\"",
                               "keep each word beside the word the passage puts it beside", "neighbour-swapped")]
        return []

    def _range_reasons(self, claim: Claim, passage: Passage) -> list[Reason]:
        """A range whose ends the claim gives the other way round ("98–94 %" for "94–98 %"): two numbers joined by a
        dash are neighbours in their order (rule 2d)."""
        claimed = set().union(*(self._ranges(text) for text in claim.texts if "-" in text and _RANGE.search(text)))
        if not claimed:
            return []
        said = self._ranges(passage.sentence)
        for first, second in sorted(claimed - said):
            if (second, first) in said:
                terms = claim.question.terms + claim.answer.terms
                return [Reason(_field_of(claim, first), f"gives the range \"{_raw(terms, first)}-{_raw(terms, second)}\", "
                                                        "where the quoted passage from @doc says "
                                                        f"\"{_raw(passage.whole, second)}-{_raw(passage.whole, first)}\"",
                               "keep each word beside the word the passage puts it beside", "neighbour-swapped")]
        return []

    def _ranges(self, text: str) -> set[tuple[str, str]]:  # read only where _RANGE finds one
        """The (first, second) numbers of each range of the text: two numbers with a dash between them ("94-98")."""
        terms, gaps = self.vocabulary.terms_and_gaps(text)
        return {(one.key, other.key) for one, other, gap in zip(terms, terms[1:], gaps)
                if gap.strip() == "-" and is_number(one.raw) and is_number(other.raw)}

    def _cause_reasons(self, claim: Claim, passage: Passage) -> list[Reason]:
        """Cause and effect turned round (rule 2d): a word the claim makes only a cause where the whole supporting
        sentence makes it an effect, and one the claim makes only an effect where the sentence makes it a cause,
        one of the two at least being only that in the sentence (the other may be a chain's middle). Not one word
        alone, which may be the cause's and the effect's at once ("tumors in the skin" lead to calcinosis
        "cutis"). The sentence is read whole, as for negations: a quote may skip the "that" of "Conditions that
        can lead to X are: ... acne". Nor, by its links, a cause and an effect of one of the claim's phrases that
        one of the sentence's has the other way round, and none the claim's way (a chain turned round at a link)."""
        if claim.causal is None:
            return []
        said = read_text(passage.sentence, self.vocabulary)
        if said is None:
            return []
        claimed = claim.causal
        terms = _unique(claim.question.terms + claim.answer.terms)  # in the claim's reading order
        causes = [t for t in terms if t.key in claimed.only_causes and t.key in said.effects]
        effects = [t for t in terms if t.key in claimed.only_effects and t.key in said.causes]
        outright = [t for t in causes if t.key in said.only_effects] + [t for t in effects if t.key in said.only_causes]
        if not causes or not effects or not outright:
            causes, effects = _link_turned_round(claimed, said, terms)
            if not causes:
                return []
        return [Reason(claim.question.field, f"turns cause and effect round: it makes \"{causes[0].raw}\" a cause "
                                             f"and \"{effects[0].raw}\" an effect (\"{claimed.phrase}\"), where "
                                             f"the quoted passage from @doc has it the other way round "
                                             f"(\"{said.phrase}\")",
                       "say what causes what as the passage does: \"Y can result from X\" may be asked as "
                       "\"X can result in Y\", never as \"Y can result in X\"", "cause-effect-reversed")]

    def _named_by_heading(self, claim: Claim, passage: Passage) -> set[str]:
        """Keys of the question's decisive terms that the passage's section heading names, while neither
        the heading nor the quoted passage names a sibling of them."""
        if not claim.question_kinds:
            return set()
        named = self.vocabulary.kind_terms(self.vocabulary.terms(normalize(passage.heading)))
        quoted = self.vocabulary.kind_terms(passage.terms)
        keys: set[str] = set()
        for term in claim.question_kinds:
            in_heading = {t.keys for t in named if t.kind == term.kind}
            in_passage = {t.keys for t in quoted if t.kind == term.kind}
            if in_heading == {term.keys} and in_passage <= {term.keys}:
                keys.update(term.keys)
        return keys

    def _told_where_said(self, claim: Claim, match: QuoteMatch, passages: list[Passage],
                         reasons: list[Reason]) -> list[Reason]:
        """The reasons, the hint of the word-missing ones of a field saying where the quote's own document says a word
        of them that the author may not see the gate's reason for: another sentence of the quote (one sentence must
        carry the whole claim, rule 2), or the lead-in of a quoted list item or table row left out of the quote.
        "Is not in the quoted passage" alone reads as a slip when the author sees the word on the page."""
        in_quote = self._claim_words_in(claim, set().union(*(p.keys for p in passages))) if len(passages) > 1 else set()
        leads = [match.doc.unit(unit.lead) for unit in match.units
                 if unit.lead is not None and unit.lead not in {u.index for u in match.units}]
        lead_keys = {term.key for lead in leads for term in self.vocabulary.terms(normalize(lead.text)) if term.content}
        in_lead = self._claim_words_in(claim, lead_keys)
        elsewhere: dict[tuple[str, str], tuple[list[str], str]] = {}
        for reason in reasons:
            word = reason.word.split("\"")[1] if reason.code.endswith("-word-missing") and reason.word else ""
            where = "lead" if word in in_lead else "quote" if word in in_quote else ""
            if where:
                said, _ = elsewhere.setdefault((reason.field, reason.code), ([], where))
                said.append(f"\"{word}\"")
        hints = {group: (f"the quote's other sentence says {_listed_words(said)}, but one sentence must carry the "
                         "whole claim: ask about what one sentence says, and quote it") if where == "quote" else
                        (f"{_listed_words(said)} {'is' if len(said) == 1 else 'are'} in the lead-in of the quoted "
                         "item, which the quote leaves out: quote it too, with ' ... ' between "
                         f"(\"{_shorten(leads[0].text.strip('| '), 60)} ... <the item>\")")
                 for group, (said, where) in elsewhere.items()}
        return [reason._replace(hint=hints[group]) if (group := (reason.field, reason.code)) in hints else reason
                for reason in reasons]

    @staticmethod
    def _claim_words_in(claim: Claim, keys: set[str]) -> set[str]:
        """The claim's content words (as written) whose keys are among `keys`."""
        return {term.raw for part in (claim.question, claim.answer) for term in part.terms
                if term.content and term.key in keys}

    def _best_reasons(self, claim: Claim, passages: list[Passage]) -> list[Reason]:
        """The reasons of the candidate support that comes nearest to carrying the claim: of two as near, the
        list item read with its lead-in rather than either alone."""
        ranked = [(self.reasons(claim, p), len(p.units)) for p in passages]
        return min(ranked, key=lambda entry: (len(entry[0]), -entry[1]), default=([], 0))[0]

    def _diagnostic(self, card: Card, ref: SourceRef | None, doc: SourceDoc, reason: Reason) -> Diagnostic:
        location = ref.quote_location if reason.field == "quote" and ref is not None else card.locate(reason.field)
        return Diagnostic(location, reason.message.replace("@doc", doc.id), reason.hint, reason.code)

    def _as_written(self, card: Card, problems: list[Diagnostic]) -> tuple[Diagnostic, ...]:
        """The card's problems, the words they quote in the characters the card or its source has them in."""
        docs = [self.corpus.docs[ref.doc] for ref in card.sources if ref.doc in self.corpus.docs]
        return tuple(in_authors_characters(problem, card_texts(card), docs) for problem in problems)


NOTHING_TO_CHECK_HINT = ("it holds only words the gate skips (\"the\", \"what\", \"no\"...), so no passage can "
                         "back it: answer with the quoted passage's own words")


def _out_of_place(claim: Claim, key: str | None, message: str, hint: str, code: str,
                  terms: list[Term] | None = None) -> list[Reason]:
    """The reason of a word-order rule that found the word of `key` out of place, put as the card writes it where
    `message` says "{word}", at the field that says it; none for no key."""
    if key is None:
        return []
    word = _raw(claim.question.terms + claim.answer.terms if terms is None else terms, key)
    return [Reason(_field_of(claim, key), message.replace("{word}", word), hint, code)]


def _which_head(claim: Claim) -> set[str]:
    """The key of the noun right after a question's "which" where the answer ends with it ("which workers gather
    nectar?" - "young workers"): the answer names no kind there, but which of the sentence's places of the noun it
    means; empty for any other claim ("which type of calcification?" - "iatrogenic calcification" says the question's
    "calcification" again as a name's)."""
    terms, answer = claim.question.terms, [term for term in claim.answer.terms if term.content]
    at = next((i for i, term in enumerate(terms) if term.raw == "which"), None)
    if at is None or at + 1 >= len(terms) or not terms[at + 1].content or not answer:
        return set()
    return {answer[-1].key} if answer[-1].key == terms[at + 1].key and len(answer) > 1 else set()


def _before_a_relation(whole: list[Term], theirs: list[Link], ends: set[str]) -> set[str]:
    """The sentence's far ends of its links `theirs` (`ends`) cut before a word of order or place (RELATIONS), which
    opens a phrase of its own: "oil the chain under heavy rain" links "oil" to "chain", not to "rain", so "oil the
    rain" moves "rain" of the phrase of "under" to the place of "chain". Not read where the claim's own far end
    starts with such a word ("shift to before a climb", the answer moved to the question's front)."""
    cut = set()
    for link in theirs:
        at = link.end
        while at < len(whole) and whole[at].raw not in RELATIONS and (whole[at].key in ends or not whole[at].content):
            cut |= {whole[at].key} & ends  # through the stop-words of a list ("the chain and the cassette")
            at += 1
    return cut or ends


def _answer_between(claim: Claim, terms: list[Term], link: Link, ends: set[str], whole: list[Term]) -> bool:
    """A question read apart from its answer (one that asks "when", "where", "how"...) that moves to its end the phrase
    that opens the sentence, whose answer opens with the link word of that phrase's new link, the sentence's far ends
    of it being the answer's words alone: the answer stands right after the anchor, before the phrase moved ("when do
    the drones die in most colonies?" - "in autumn", for "in most colonies the drones die in autumn"). Not a phrase
    of the sentence's middle ("when do workers rest in the morning?" - "in the hive", for "workers forage in the
    morning and rest in the hive")."""
    answer = claim.answer.terms
    if not (terms is claim.question.terms and ends and answer and answer[0].raw == link.word
            and ends <= claim.answer.keys - claim.question.keys and whole and whole[0].raw == link.word):
        return False
    first = next((term for term in whole[1:] if term.raw not in DETERMINERS), None)
    return first is not None and first.key == terms[link.end].key


def _answer_fills(claim: Claim, terms: list[Term], link: Link, whole: list[Term]) -> bool:
    """A link of a question that joins its verb to a phrase after the object it asks for, where the sentence has the
    answer's words alone between the two, and the link's own words right before the far end: "what did the fitter
    check every week?" - "the grease on the points", for "the fitter checked the grease on the points every week"."""
    answered = claim.answer.keys - claim.question.keys
    said = [term.raw for term in terms[link.start + 1:link.end]]
    for at in [at for at, term in enumerate(whole) if term.key == link.anchor]:
        end = next((end for end in range(at + 1, len(whole)) if whole[end].key == link.other), None)
        if end is None or [term.raw for term in whole[end - len(said):end]] != said:
            continue
        between = {term.key for term in whole[at + 1:end - len(said)] if term.content}
        if between and between <= answered:
            return True
    return False


def _stray_link_reasons(claim: Claim, stray: list[tuple[list[Term], Link]], said: list[Link],
                        whole: list[Term]) -> list[Reason]:
    """A link of the claim by a preposition at an anchor where the whole supporting sentence makes none by it (so the
    link rule does not read it) that turns one of the sentence's links round: "no chambers between its pound" for "no
    pound between its chambers", where "chambers" ends the sentence (rule 2d's link-swapped). Not by "with", which may
    join two things either way ("mix the water with the flour"), nor by determiners alone (a verb and its object are
    the other rules'), nor by a modal."""
    for terms, link in stray:
        if not link.word or link.anchored_after or link.word == "with":
            continue
        turned = (link.other, link.word, link.anchor)
        said_so = next((other for other in said if (other.anchor, other.word, other.other) == turned), None)
        if said_so is not None:
            written = " ".join([t.raw for t in terms[link.start:link.end + 1]])
            return [Reason(_field_of(claim, link.other), f"says \"{written}\", where the quoted passage from @doc says "
                                                         f"\"{_said(whole, said_so)}\"", _LINK_HINT, "link-swapped")]
    return []


def _crossing_link(link: Link, said: list[Link], claimed: set[tuple[str, str, str]]) -> Link | None:
    """A link of the sentence that gives the claim's link's far end, by the same preposition or modal, to another
    anchor, which the claim does not link to it, where the sentence gives the claim's anchor another far end (the
    caller has found that one): "the length of the dance" for "the angle of the dance ... the length of each waggle
    run". None if there is none. Links by determiners alone ("shows the direction") are not read: a verb and its
    object are the other rules'."""
    if not link.word:
        return None
    for other in said:
        if (other.word == link.word and other.other == link.other and other.anchor != link.anchor
                and (other.anchor, other.word, other.other) not in claimed):
            return other
    return None


def _said(terms: list[Term], link: Link) -> str:
    """A link's words as the text has them."""
    return " ".join([term.raw for term in terms[link.start:link.end + 1]])


def _says_twice(terms: list[Term], keys: frozenset[str]) -> bool:
    """The terms say one of the keys more than once."""
    seen: set[str] = set()
    for term in terms:
        if term.key in keys:
            if term.key in seen:
                return True
            seen.add(term.key)
    return False


# "What does X show?" (or "do", "did", a modal), its subject a pronoun or a phrase that starts with a determiner and
# ends with the question's verb, or a pronoun and a verb that more words may follow: "X show <answer>", "you must
# receive <answer> to ...".
_INVERTING = r"(do|does|did|can|could|may|might|must|will|would|should)"  # what a question is inverted about
_INVERTED = rf"(?:what|which \w+) {_INVERTING}"
_ASKED_OF_A_PHRASE = re.compile(rf"^{_INVERTED} ((?:a|an|the|this|these|those|its|their) .+) (\w+)$")
_ASKED_OF_A_PRONOUN = re.compile(rf"^{_INVERTED} (you|we|they|he|she|it|i) (\w+)(.*)$")
_ASKED = re.compile(rf"^{_INVERTED} (.+)$")
# "What does X do?" (or "can", "should"...; with more words after "do": "what does X do to the pound below?"): "do"
# stands for the verb phrase its answer gives ("leaks to the pound below"), which a subject pronoun may open ("it leaks
# ..."), so the statement is "X leaks to the pound below", its auxiliary left out ("what can X do?" - "leak ..." is "X
# leak ...").
_ASKED_TO_DO = re.compile(rf"^what {_INVERTING} (.+?) do((?: .+)?)$")
_ANSWER_SUBJECT = re.compile(r"^(?:it|they|he|she) (?=\w)")
# "How many N does X V ...?": N (a few words), the auxiliary, and the rest
_COUNTED = re.compile(rf"^how (?:many|much) ((?:\w+ ){{0,2}}?\w+) {_INVERTING} (.+)$")


def _declarative(claim: Claim, follows: frozenset[tuple[str, str]] = frozenset()) -> str:
    """A question and its answer as one statement in a statement's order: "what must you receive to ...?" - "Y" is
    "you must receive Y to ..." (a pronoun subject's next word is its verb); "what does X show?" - "Y" is "X show Y",
    the verb being the last word after the subject's first that the sentence puts right before the answer's first
    content word (`follows`, splices.followers: "what does the cook add to the tea?" - "salt" is "the cook add salt to
    the tea" where the sentence says "adds salt"; the last, as a verb of the subject's own relative clause comes
    before it: "what can any medicine that increases the level ... increase?"), failing that the question's last word
    after a phrase that starts with a determiner; "how many N does X V ...?" - "4" is "X V 4 N ..." where the sentence
    puts the number after that verb; "what does X do?" - "leaks to the pound below" is "X leaks to the pound below" (and
    "what can X do?" - "leak ..." "X leak ..."); a question that asks twice with one wh-word, its answer in two pieces,
    as each piece after its part (_asked_twice); any other question as sides.statement puts it."""
    question = claim.question.text.rstrip("?!. ")
    answer = claim.answer.text.rstrip(".!?;: ")
    twice = _asked_twice(question, answer)
    if twice is not None:
        return twice
    first = next((term.key for term in claim.answer.terms if term.content), None)
    keys = {term.raw: term.key for term in claim.question.terms}
    counted = _COUNTED.match(question)
    if counted is not None and first is not None:
        things, auxiliary, rest = counted.groups()
        said = _said_in_order(rest.split(), auxiliary, [answer, things], keys, first, follows)
        if said is not None:
            return said
    asked = _ASKED_TO_DO.match(question)
    if asked is not None:
        _, subject, rest = asked.groups()  # no modal: "that loses water can" would read as an object relative
        # clause ("the amount that skin cells can absorb")
        return " ".join([subject, _ANSWER_SUBJECT.sub("", answer)]) + rest
    asked = _ASKED_OF_A_PRONOUN.match(question)
    if asked is not None:
        auxiliary, subject, verb, rest = asked.groups()
        return " ".join([subject, *_kept(auxiliary), verb, answer]) + rest
    asked = _ASKED.match(question)
    if asked is not None and first is not None:
        said = _said_in_order(asked.group(2).split(), asked.group(1), [answer], keys, first, follows)
        if said is not None:
            return said
    asked = _ASKED_OF_A_PHRASE.match(question)
    if asked is not None:
        auxiliary, subject, verb = asked.groups()
        return " ".join([subject, *_kept(auxiliary), verb, answer])
    return _statement(claim)


# A question that asks twice with one wh-word, "W X and W Y" ("where do trains run on the left and where on the
# right?"), and an answer of two pieces apart by ";" or ", and".
_ASKED_TWICE = re.compile(r"^(where|when|who|what|which|how) (.+?),? and \1 (.+)$")
_TWO_PIECES = re.compile(r"; |, and ")


def _asked_twice(question: str, answer: str) -> str | None:
    """A question (normalised, its mark aside) that asks twice with one wh-word, and its answer of two pieces, as one
    statement, each piece after its part of the question: "where do trains run on the left and where on the right?" -
    "in Britain, and in most of continental Europe" is "do trains run on the left in britain, and on the right in most
    of continental europe". None for any other question, or an answer of another number of pieces."""
    asked = _ASKED_TWICE.match(question)
    pieces = _TWO_PIECES.split(answer) if asked is not None else []
    if len(pieces) != 2:
        return None
    return f"{asked.group(2)} {pieces[0]}, and {asked.group(3)} {pieces[1]}"


def _said_in_order(words: list[str], auxiliary: str, asked: list[str], keys: dict[str, str], first: str,
                   follows: frozenset[tuple[str, str]]) -> str | None:
    """The words of a question after its auxiliary, with what it asks for put right after its verb: the last of the
    words after the first whose key the sentence puts right before `first` (see _declarative); None if none is."""
    verb = next((at for at in range(len(words) - 1, 0, -1) if (keys.get(words[at]), first) in follows), None)
    if verb is None:
        return None
    subject = words[:verb] + _kept(auxiliary)
    return " ".join(subject + [words[verb]] + asked + words[verb + 1:])


def _kept(auxiliary: str) -> list[str]:
    """The auxiliary a question is inverted about, as its statement keeps it: a modal ("you must receive"), but no
    "do" ("X show")."""
    return [] if auxiliary.startswith("d") else [auxiliary]


def _empty_parts(card: Card, claim: Claim, vocabulary: Vocabulary) -> list[Diagnostic]:
    """An answer, or a cloze deletion, with no content word: nothing the gate could check."""
    if card.kind is CardKind.QA:  # "how many ...?" - "one": the count rule reads its number, a stop-word
        return [] if claim.answer.keys or claim.counted else [
            Diagnostic(card.locate("answer"), "answer has no content word to check", NOTHING_TO_CHECK_HINT,
                       "nothing-to-check")]
    counted = claim.counted[0] if claim.counted else frozenset()  # "only {{c1::one}} train": the count rule reads it
    return [Diagnostic(card.locate("cloze"), f"deletion c{m.group(1)} has no content word to check",
                       NOTHING_TO_CHECK_HINT, "nothing-to-check")
            for m in CLOZE_PATTERN.finditer(card.cloze)
            if not content_keys(terms := vocabulary.terms(normalize(m.group(2))))
            and not (counted and {term.key for term in terms} <= counted)
            and not within_quotation(card.cloze, *m.span())]


def _absent(part: Part, keys: set[str], frame: frozenset[str]) -> list[Term]:
    """The content words of a claim's part that are neither in `keys` nor frame words, each once."""
    if part.keys <= keys:
        return []
    return [t for t in _unique(part.terms) if t.content and t.key not in keys and t.key not in frame]


def _unique(terms: list[Term]) -> list[Term]:
    """The terms with each key once, in order."""
    seen: dict[str, Term] = {}
    for term in terms:
        seen.setdefault(term.key, term)
    return list(seen.values())


def _link_turned_round(claimed: CausalReading, said: CausalReading,
                       terms: list[Term]) -> tuple[list[Term], list[Term]]:
    """A cause and an effect of one phrase of the claim that one phrase of the sentence has the other way round,
    and none the claim's way, as ([cause], [effect]), the first in the claim's reading order; else ([], []). This
    reads a chain, whose middle is both a cause and an effect ("X can lead to Y, which may contribute to Z" asked as
    "Y can lead to X, which ..."), where the sides alone leave it unread."""
    order = {t.key: t for t in terms}
    turned = [(order[cause], order[effect]) for cause, effect in claimed.links
              if cause in order and effect in order and (effect, cause) in said.links
              and (cause, effect) not in said.links]
    if not turned:
        return [], []
    position = {t.key: i for i, t in enumerate(terms)}
    cause, effect = min(turned, key=lambda link: (position[link[0].key], position[link[1].key]))
    return [cause], [effect]


def _misquotations(claim: Claim, passage: Passage) -> list[Reason]:
    """Rule 2d: what the claim puts in „…“ or «…» the whole supporting sentence says as written, stop-words and all
    (one of its own quotations, where it has any)."""
    if not claim.quotations:
        return []
    return [Reason(key, f"quotes \"{text}\", which the quoted passage from @doc does not say as written",
                   "a text in „…“ or «…» is a quotation: write it word for word as the passage does, the whole of "
                   "one of its own quotations where it has any (elsewhere the gate skips English stop-words such as "
                   "\"in\")",
                   "quotation-not-verbatim")
            for key, text in misquoted(claim.quotations, passage.sentence,
                                       said_quotations(tuple(u.text for u in passage.units)))]


def _count_reasons(claim: Claim, passage: Passage) -> list[Reason]:
    """"How many N?" answered with a number that the whole supporting sentence puts before other words than N
    (rule 2d): "How many Russian alphabets did the reform remove letters from? Four." where the sentence says "removed
    four letters from the Russian alphabet". The words a number counts are the run of content words after it (past
    "of the"): "four Cyrillic letters", "four of the letters". A sentence that counts N with it, or says the number
    before no word, carries the claim; one that does not say it at all, where the number is "one" (a stop-word, so no
    other rule asks for it), does not."""
    if claim.counted is None:
        return []
    numbers, counted = claim.counted
    whole = passage.whole
    counts = [_counted_after(whole, at) for at, term in enumerate(whole) if term.key in numbers]
    if not counts:  # a number that no other rule asks the passage for: "one", a stop-word for its use as a pronoun
        return [_missing(claim.answer, term, passage, True) for term in claim.answer.terms
                if term.key in numbers and not term.content]
    if any(not run or not set(counted).isdisjoint(t.key for t in run) for run in counts):
        return []
    number = _raw(claim.answer.terms, min(numbers))
    noun = _raw(claim.question.terms, counted[-1])
    said = " ".join(t.raw for t in counts[0])
    field = claim.question.field  # a cloze's "{{c1::one}} block" counts in its own field
    claimed = f"says \"{number} {noun}\"" if field == "cloze" else f"asks how many \"{noun}\", answered \"{number}\""
    return [Reason(field, f"{claimed}, where the quoted passage from @doc says \"{number} {said}\"",
                   "count with the number what the passage counts with it", "count-mismatch")]


def _amount_reasons(claim: Claim, passage: Passage) -> list[Reason]:
    """"How much N?" answered with an amount that the whole supporting sentence gives of something else, while it
    gives another amount of N (rule 2d): "How much caffeine does each tablet hold? 500 mg." where the sentence says
    "500 mg of paracetamol and 65 mg of caffeine". What an amount is of is the run of content words after its number,
    past prepositions ("mg of paracetamol"); a sentence that names N elsewhere ("adrenaline is given as 1 mg") says
    nothing against the claim."""
    if claim.measured is None:
        return []
    numbers, measured = claim.measured
    whole = passage.whole
    wanted = set(measured)
    runs = [(term, {t.key for t in _measured_after(whole, at)}) for at, term in enumerate(whole) if is_number(term.raw)]
    if any(term.key in numbers and wanted <= run for term, run in runs):
        return []
    other = next((term for term, run in runs if term.key not in numbers and wanted <= run), None)
    if other is None:
        return []
    number = _raw(claim.answer.terms, min(numbers))
    noun = " ".join(_raw(claim.question.terms, key) for key in measured)
    how = "many" if "how many" in claim.question.text else "much"
    return [Reason("question", f"asks how {how} \"{noun}\", answered \"{number}\", where the quoted passage from @doc "
                               f"gives \"{other.raw}\" of \"{noun}\"",
                   "ask how much of what the passage measures with that amount", "amount-mismatch")]


def _counted_after(terms: list[Term], at: int) -> list[Term]:
    """The content words a number at `at` counts: the run of them after it, past the words between ("of the")."""
    rest = terms[at + 1:]
    start = next((i for i, term in enumerate(rest) if term.content and not is_number(term.raw)), len(rest))
    run = []
    for term in rest[start:]:
        if not term.content:
            break
        run.append(term)
    return run


def _negated_as_said(claim: Claim, passage: Passage) -> frozenset[str]:
    """The keys the claim negates, a question's negation before its subject (Claim.inverted) put on the first word
    of its run that the passage negates, where the passage does not negate the subject."""
    run = claim.inverted
    if not run or run[0] in passage.negated:
        return claim.negated
    put = next((key for key in run[1:] if key in passage.negated), None)
    return claim.negated if put is None else (claim.negated - {run[0]}) | {put}


def _disagreements(claim: Claim, passage: Passage) -> list[Reason]:
    """Rule 2d: negations, polarity words and hedges of the whole supporting sentence agree with the claim,
    and so does what its quoted part compares with."""
    reasons: list[Reason] = []
    terms = claim.question.terms + claim.answer.terms
    negated = _negated_as_said(claim, passage)
    for key in sorted(negated - passage.negated):
        reasons.append(Reason(_field_of(claim, key), f"negates \"{_raw(terms, key)}\" but the quoted passage from "
                                                     "@doc does not", _REWORD, "negation-mismatch"))
    for key in sorted((passage.negated & claim.keys) - negated):
        reasons.append(Reason(_field_of(claim, key), "drops the negation that the quoted passage from @doc puts on "
                                                     f"\"{_raw(terms, key)}\"", _REWORD, "negation-mismatch"))
    reasons = reasons or _clause_negation_reasons(claim, passage, terms)
    for polar, neighbour in passage.bindings:
        if neighbour in claim.keys and polar not in claim.stated and not _other_half(claim, passage, neighbour):
            reasons.append(Reason(_field_of(claim, neighbour), f"leaves out \"{polar}\", which the quoted passage "
                                                               f"from @doc says of \"{_raw(terms, neighbour)}\"",
                                  _polarity_hint(polar, _raw(terms, neighbour)), "polarity-missing"))
    return (reasons + _hedge_reasons(claim, passage, terms) + _obligation_reasons(claim, passage, terms)
            + _qualifier_reasons(claim, passage, terms)
            + _limit_moved_reasons(claim, passage, terms)
            + (_comparison_reasons(claim, passage, terms) or _chosen_side_reasons(claim, passage))
            + _clause_reasons(claim, passage, terms))


def _other_half(claim: Claim, passage: Passage, neighbour: str) -> bool:
    """Whether the claim states another polarity word the sentence puts on the same word: of "two high tides and two
    low tides", a card about the high tides leaves out "low" as it should (the quote's ' ... ' skips that half)."""
    return any(word == neighbour and polar in claim.stated for polar, word in passage.bindings)


def _polarity_hint(polar: str, word: str) -> str:
    return (f"the card must say \"{polar}\" too where it speaks of \"{word}\" (a question about one half of what "
            f"the passage says can name its word in the question), or quote a passage that does not put \"{polar}\" "
            f"on \"{word}\"")


def _hedge_reasons(claim: Claim, passage: Passage, terms: list[Term]) -> list[Reason]:
    """A word of the claim that the sentence hedges ("may reappear") while the claim hedges nothing; or that the
    sentence says only might be so ("may", "might", "could": "magnesium may slow the progression") while the claim
    hedges with "can" alone, which says it is so at least at times ("magnesium can slow the progression")."""
    if not claim.hedged:
        return [Reason(_field_of(claim, key), f"states \"{_raw(terms, key)}\" as certain, where the quoted passage "
                                              f"from @doc says \"{hedge}\"", _REWORD, "hedge-missing")
                for hedge, key in passage.hedges if key in claim.keys]
    hedged = _sharing([(hedge, key) for hedge, key in passage.hedges if key in claim.keys], claim.in_order)
    said = [term.raw for term in claim.in_order if term.raw in HEDGES]
    # (a hedge said only in a deletion's hint is not in the claim's reading order: not counted, nor needed)
    if len(said) < len(hedged) and HEDGES & claim.stated <= set(said):
        return _hedges_short(claim, hedged, terms)
    tentative = [(hedge, key) for hedge, key in hedged if hedge in _TENTATIVE]
    if len([raw for raw in said if raw in _TENTATIVE]) >= len(tentative):
        return []
    return [Reason(_field_of(claim, key), f"says \"can\" of \"{_raw(terms, key)}\", where the quoted passage from "
                                          f"@doc says \"{hedge}\"", _TENTATIVE_HINT, "hedge-missing")
            for hedge, key in tentative[:1]]


def _sharing(hedged: list[tuple[str, str]], claimed: list[Term]) -> list[tuple[str, str]]:
    """The hedged words that need a hedge of their own in the claim: not one that the claim says right after "and" or
    "or", which shares the hedge of the word it is joined to ("a wave may stop the boat and turn its bow" for "... may
    stop the boat and may turn its bow")."""
    joined = {term.key for before, term in zip(claimed, claimed[1:]) if before.raw in ("and", "or")}
    return [(hedge, key) for hedge, key in hedged if key not in joined]


def _hedges_short(claim: Claim, hedged: list[tuple[str, str]], terms: list[Term]) -> list[Reason]:
    """The claim says fewer hedges than the sentence hedges words it claims ("the boom hits the crew, and a loose
    sheet could catch a foot" from "the boom might hit the crew, and a loose sheet could catch a foot"): one of its
    clauses states as certain what the sentence hedges. Told at the first such word the claim does not hedge."""
    bound = {key for _, key in hedge_bindings(claim.in_order)}
    hedge, key = next(((hedge, key) for hedge, key in hedged if key not in bound), hedged[-1])
    return [Reason(_field_of(claim, key), f"states \"{_raw(terms, key)}\" as certain, where the quoted passage "
                                          f"from @doc says \"{hedge}\"", _REWORD, "hedge-missing")]


def _obligation_reasons(claim: Claim, passage: Passage, terms: list[Term]) -> list[Reason]:
    """A hedged claim ("may report", "can be closed") of words the sentence puts "must" or "should" on ("must
    report"), where the claim says fewer of those than the sentence puts on its words: a duty made a permission or a
    possibility. Counted, not bound, as a question puts its modal before the subject ("to whom might drivers report
    it?"). Not a word the claim negates: "may not" for "must not" forbids as the sentence does, and a negation said
    on one side only is the negation rule's. A claim with no modal at all states the duty as what is done."""
    hedges = [term.raw for term in claim.in_order if term.raw in HEDGES]
    if not hedges:
        return []
    duties = sorted((key, duty) for duty, key in hedge_bindings(passage.whole, OBLIGATIONS)
                    if key in claim.keys and key not in claim.negated)
    if sum(term.raw in OBLIGATIONS for term in claim.in_order) >= len(duties):
        return []
    bound = {key for _, key in hedge_bindings(claim.in_order, OBLIGATIONS)}
    key, duty = next(((key, duty) for key, duty in duties if key not in bound), duties[-1])
    return [Reason(_field_of(claim, key), f"says \"{hedges[0]}\" where the quoted passage from @doc says \"{duty}\" of "
                                          f"\"{_raw(terms, key)}\"", _DUTY_HINT, "obligation-hedged")]


_DUTY_HINT = ("say \"must\" (or \"should\") as the passage does: \"X may do Y\" allows X to do Y, or says X might; "
              "\"X must do Y\" requires it")


# Hedges that say a thing might be so, not that it is at times: "can" claims more than any of them.
_TENTATIVE = frozenset({"may", "might", "could"})
_TENTATIVE_HINT = ("say \"may\" (or \"might\", \"could\") as the passage does: \"X can slow Y\" says that X does slow "
                   "Y, at least at times; \"X may slow Y\" that it might")


def _qualifier_reasons(claim: Claim, passage: Passage, terms: list[Term]) -> list[Reason]:
    """A word of the claim that the sentence qualifies ("almost all of its other bees", "often not cancerous") where
    the claim leaves the qualifier out: what holds of almost all, or often, is claimed of all, or always. A claim says
    it in the passage's word or in one of its synonyms (cards/synonyms.yaml: "frequently" for "often"). One reason for
    each qualifier left out, at the first word it qualifies ("in most colonies" qualifies a whole clause)."""
    if not passage.qualifiers:
        return []
    reasons: dict[str, Reason] = {}
    reports = any(map(is_saying, claim.stated))  # "it is claimed that ...": words what some say as said
    for qualifier, qualifier_key, key, reported in passage.qualifiers:
        if key in claim.keys and qualifier not in claim.stated and qualifier_key not in claim.keys and not (
                reported and reports):
            reasons.setdefault(qualifier, Reason(_field_of(claim, key), f"leaves out \"{qualifier}\", which the quoted "
                                                 f"passage from @doc says of \"{_raw(terms, key)}\"",
                                                 _CONDITION if qualifier in NARROWING
                                                 else _LIMIT if qualifier in LIMIT_WORDS else _QUALIFY,
                                                 "qualifier-missing"))
    return list(reasons.values())


def _limit_moved_reasons(claim: Claim, passage: Passage, terms: list[Term]) -> list[Reason]:
    """A limit of the sentence's number that the claim says, but right before another number of the sentence: "at
    least 7 feet" for "a narrow lock is 7 feet wide, and a broad lock is at least 14 feet wide" says the limit, and
    puts it on the wrong number. Not a number right after "and" or "or", which may share the limit of the one before
    ("about 90 turns a minute on flat roads and 70 on climbs")."""
    reasons = []
    shared = {term.key for before, term in zip(passage.whole, passage.whole[1:]) if before.raw in ("and", "or")}
    for limit, _, key, _ in passage.qualifiers:
        if limit in LIMIT_WORDS and key in claim.keys and (limit, key) not in claim.limits:
            moved = sorted(other for word, other in claim.limits
                           if word == limit and other in passage.keys and other not in shared)
            if moved:
                reasons.append(Reason(_field_of(claim, moved[0]), f"puts \"{limit}\" before \"{_raw(terms, moved[0])}\", "
                                      f"where the quoted passage from @doc says it before \"{_raw(terms, key)}\"",
                                      _LIMIT, "qualifier-missing"))
    return reasons


_QUALIFY = "say it as the passage does: what it says of \"almost all\" or \"often\" is not said of all or always"
_CONDITION = "say the condition or the exception as the passage does: what holds \"unless\" or \"except\" does not always"
_LIMIT = "say the limit on the number as the passage does: \"at least 14\" is not \"14\", nor \"about 37\" exactly \"37\""


def _clause_reasons(claim: Claim, passage: Passage, terms: list[Term]) -> list[Reason]:
    """A part of the claim that joins what one clause of the sentence says with what another says
    ("the use for heavy metal poisoning remains controversial" from "While it is approved for heavy metal
    poisoning, its use for reversing calcification remains controversial")."""
    if not passage.clause_of:
        return []
    assert claim.parts is not None, "Gate.trace reads a claim's parts when a candidate support has two clauses"
    for part in claim.parts:
        said: dict[int, str] = {}  # a key of the part from each clause
        for key in part:
            if key in passage.clause_of:
                said.setdefault(passage.clause_of[key], key)
            elif key in passage.pronoun.rest and not passage.pronoun.heads & set(part):
                said.setdefault(0, key)  # "of a pool" without "salt content": no pronoun stands for it alone
        if len(said) > 1:
            first, second = (said[clause] for clause in sorted(said)[:2])
            return [Reason(claim.question.field, f"joins \"{_raw(terms, first)}\" and \"{_raw(terms, second)}\", "
                                                 "which the quoted sentence from @doc says in different clauses",
                           "ask what one clause says, with the words of that clause", "clause-mixed")]
    return []


def _clause_negation_reasons(claim: Claim, passage: Passage, terms: list[Term]) -> list[Reason]:
    """A word that both clauses of the sentence say, negated in one of them only ("a sailing boat cannot sail
    straight into the wind, but it can sail at an angle to it"), negated by the claim in the part that takes its
    words from the other ("... can sail straight into the wind, but it cannot sail at an angle to it"): the key-level
    reading of negations sees "sail" negated in both. A part read from a clause that negates the word says a negation;
    one read from a clause that negates nothing says none. One reason, at the first such part."""
    split = _negated_in_one_clause(passage)
    if not split or claim.parts is None:
        return []
    for part, negating in zip(claim.parts, claim.parts_negating):
        clause = _clause_of_part(part, passage)
        key = next((key for key in part if key in split), None)
        if clause is None or key is None:
            continue
        if key in passage.clause_negated[clause] and not negating:
            return [Reason(_field_of(claim, key), "drops the negation that the quoted passage from @doc puts on "
                                                  f"\"{_raw(terms, key)}\" in that clause", _REWORD,
                           "negation-mismatch")]
        if negating and not passage.clause_negated[clause]:
            return [Reason(_field_of(claim, key), f"negates \"{_raw(terms, key)}\" in a clause of the quoted "
                                                  "passage from @doc that negates nothing", _REWORD,
                           "negation-mismatch")]
    return []


def _negated_in_one_clause(passage: Passage) -> set[str]:
    """The keys that the sentence's clauses negate in some but not all of those that say them."""
    if not passage.clause_negated:
        return set()
    negated = set().union(*passage.clause_negated)
    return {key for key in negated if key not in passage.clause_of
            and not all(key in clause for clause in passage.clause_negated)}


def _clause_of_part(part: tuple[str, ...], passage: Passage) -> int | None:
    """The one clause of the sentence that the part's own words (those said in one clause only) come from, or None."""
    found = {passage.clause_of[key] for key in part if key in passage.clause_of}
    return found.pop() if len(found) == 1 else None


def _comparison_reasons(claim: Claim, passage: Passage, terms: list[Term]) -> list[Reason]:
    """A comparison made with something other than the passage's ("more common than milia"). Where the quoted part or
    the claim (a cloze, or a question that does not ask "than what?") compares more than once, each comparison of the
    claim is one of the quoted part's, by the word before "than" and the first after it: "the queen lives longer than a
    drone and is larger than a worker" for "the queen is larger than a worker and lives longer than a drone", but not
    "... longer than a worker and is larger than a drone"."""
    if passage.compared is None or claim.compared is None:
        return []
    claimed, said = claim.compared, passage.compared
    asks_compared = claim.question.field != "cloze" and _ASKS_COMPARED.search(claim.question.text)
    if claim.asked_comparisons:  # "what are workers smaller than, and what are drones larger than?" - "X; Y"
        return _asked_comparison_reasons(claim, passage, terms)
    if _says_than_twice(passage.terms) or _says_than_twice(claim.in_order):
        pairs, theirs = _claimed_comparisons(claim, bool(asks_compared)), _comparisons(passage.terms)
        wrong = [pair for pair in pairs if pair not in theirs]
        if not wrong:
            return []
        claimed = wrong[0][1]
        said = next((after for before, after in theirs if before == wrong[0][0]), passage.compared)
    if claimed == said:
        return []
    return [Reason(_field_of(claim, claimed), f"compares with \"{_raw(terms, claimed)}\", where the "
                                              f"quoted passage from @doc compares with "
                                              f"\"{_raw(passage.terms, said)}\"",
                   _REWORD, "comparison-mismatch")]


def _chosen_side_reasons(claim: Claim, passage: Passage) -> list[Reason]:
    """A question that names the sentence's comparison without its "than" ("which moves faster, a glacier's surface
    or its base?", or no choice at all: "which part of a glacier moves faster?") answered with what the sentence
    compares with: "its base" for "the surface of a glacier moves faster than its base". The sentence says the one
    before "than" is the faster; the answer's words that the sentence has only after it name the other. Read where
    one "than" of the sentence has right before it a content word the question says ("faster", "distance" of "a
    longer braking distance than"), and not where the question says "more", "less" or "fewer" that the sentence does
    not say before that "than" (a question may ask the comparison the other way round)."""
    if claim.question.field == "cloze" or _than_places(claim.question.terms):
        return []
    whole, asked = passage.whole, content_keys(claim.question.terms)
    places = _than_places(whole)
    named = [at for at, (before, _) in zip(places, _comparisons(whole)) if before in asked]
    if len(named) != 1:
        return []
    at = named[0]
    ends = [place for place in places if place > at]
    before = content_keys(whole[:at])
    after = content_keys(whole[at + 1:ends[0] if ends else len(whole)])
    if any(term.raw in _COMPARATIVE_MARKS and term.raw not in {t.raw for t in whole[max(0, at - 3):at]}
           for term in claim.question.terms):
        return []
    named_only_after = content_keys(claim.answer.terms) - (before & after)
    if not named_only_after or not named_only_after <= after - before:
        return []
    word = _raw(claim.answer.terms, min(named_only_after))
    return [Reason(claim.answer.field, f"answers with \"{word}\", which the quoted passage from @doc says after "
                                       "\"than\", as what it compares with, not as the one its comparison is said of",
                   "answer with what the passage says before \"than\", or ask \"than what?\"", "comparison-mismatch")]


# Words that set a comparison's direction: a question that says one the sentence does not may ask it the other way.
_COMPARATIVE_MARKS = frozenset({"more", "less", "fewer", "most", "least"})


def _asked_comparison_reasons(claim: Claim, passage: Passage, terms: list[Term]) -> list[Reason]:
    """Each comparison a question asks in a part of its own, with its answer's piece (Claim.asked_comparisons), is one
    of the quoted part's, its subject, its comparative and what it compares with: "what are drones smaller than, and
    what are workers larger than?" - "the queen; workers" is refused for "workers are smaller than the queen, and
    drones are larger than workers"."""
    triples = _compared_triples(passage.terms)
    wrong = next((triple for triple in claim.asked_comparisons if triple not in triples), None)
    if wrong is None:
        return []
    said = next((triple for triple in triples if triple[1] == wrong[1]), None)
    said_so = (f"compares \"{_raw(passage.terms, said[0])}\" by it with \"{_raw(passage.terms, said[2])}\""
               if said else f"compares nothing by \"{_raw(terms, wrong[1])}\"")
    return [Reason(_field_of(claim, wrong[2]), f"compares \"{_raw(terms, wrong[0])}\" by \"{_raw(terms, wrong[1])}\" "
                                               f"with \"{_raw(terms, wrong[2])}\", where the quoted passage from @doc "
                                               f"{said_so}", _REWORD, "comparison-mismatch")]


def _claimed_comparisons(claim: Claim, asks: bool) -> list[tuple[str, str]]:
    """The claim's comparisons (see _comparisons); in a question that asks "than what?", the one that asks compares
    with the answer's first content word: "a catamaran is wider than a monohull but lighter than what?" - "a keelboat"
    makes (wider, monohull) and (lighter, keelboat)."""
    if not asks:
        return _comparisons(claim.in_order)
    terms = claim.question.terms
    answered = compared_with(_THAN + claim.answer.terms) or ""
    asked = [at for at, term in enumerate(terms[:-1]) if term.raw == "than" and terms[at + 1].raw in _ASKING_THAN]
    return [(before, answered if at in asked else after)
            for at, (before, after) in zip(_than_places(terms), _comparisons(terms))]


# The word after "than" that asks for what is compared with ("than what?", "than which?", "than how many?").
_ASKING_THAN = frozenset({"what", "which", "how"})


def _than_places(terms: list[Term]) -> list[int]:
    return [at for at, term in enumerate(terms) if term.raw == "than"]


def _says_than_twice(terms: list[Term]) -> bool:
    return len(_than_places(terms)) > 1


def _comparisons(terms: list[Term]) -> list[tuple[str, str]]:
    """(the key of the content word before "than", the key of the first after it) of each "than" of the terms: "larger
    than a worker" gives (larger, worker); "" for a side with no content word."""
    found = []
    for at, term in enumerate(terms):
        if term.raw == "than":
            before = next((t.key for t in reversed(terms[:at]) if t.content), "")
            found.append((before, next((t.key for t in terms[at + 1:] if t.content), "")))
    return found


def _coordinated(passage: Passage, one: str, other: str) -> bool:
    """The whole supporting sentence joins the two words by "and" or "or"."""
    pair = frozenset((one, other))
    said = coordinated_pairs(passage.whole)
    return pair in _unordered(said.by_and) or pair in _unordered(said.by_or)


def _inserted(newcomer: str, other: str, pair: tuple[str, str], claimed: set[tuple[str, str]]) -> bool:
    """The claim puts the newcomer between the two words of the sentence's pair rather than in the place of one:
    "some breast microcalcification patterns" from "some microcalcification patterns"."""
    return (other, newcomer) in claimed if pair[0] == other else (newcomer, other) in claimed


def _adverb_before_its_verb(first: str, adverb: str, claimed: set[tuple[str, str]], said: set[tuple[str, str]],
                            whole: list[Term]) -> bool:
    """The claim puts an adverb in "-ly" between two words that the sentence puts side by side, a subject and its verb,
    where the sentence has it right after the verb's object (its determiners or preposition before it): "what do lactic
    bacteria slowly sour?" for "lactic bacteria sour the rye dough slowly". The adverb says how the verb is done
    wherever it stands."""
    verbs = {verb for one, verb in claimed if one == adverb and (first, verb) in said}
    if not verbs or not _raw(whole, adverb).endswith("ly"):
        return False
    for at, term in enumerate(whole):
        if term.key in verbs:
            end = at + 1
            while end < len(whole) and whole[end].raw in _WITHIN_A_PREDICATE:
                end += 1  # "sour the rye dough slowly", "pulls on the sheet quickly"
            start = end
            while end < len(whole) and whole[end].content and whole[end].key != adverb:
                end += 1
            if start < end < len(whole) and whole[end].key == adverb:
                return True
    return False


def _adverb_moved_reasons(claim: Claim, passage: Passage) -> list[Reason]:
    """An adverb in "-ly" that the sentence says after a verb's object ("hauls the sheet quickly and cleats it
    firmly") put right before another word of the sentence than that verb ("hauls the sheet and quickly cleats it"),
    where the claim says the verb: the adverb says how the other verb is done. Right before its own verb it passes
    ("lactic bacteria slowly sour" for "... sour the rye dough slowly", _adverb_before_its_verb). Not read for an
    adverb the sentence says right before a content word anywhere ("daily checks", an adjective)."""
    said = neighbour_pairs(passage.whole)
    for adverb, word in zip(claim.in_order, claim.in_order[1:]):
        if not (adverb.content and word.content and adverb.raw.endswith("ly")) or (adverb.key, word.key) in said:
            continue
        if (adverb.key, word.key) not in claim.neighbours:
            continue  # the question's last word and its answer's first: "..., because it turns the wheel slowly?"
        verbs = _adverb_of(adverb.key, passage.whole)
        if verbs and word.key in passage.keys and word.key not in verbs and not verbs.isdisjoint(claim.keys):
            terms = claim.question.terms + claim.answer.terms
            return [Reason(_field_of(claim, word.key), f"puts \"{adverb.raw}\" before \"{_raw(terms, word.key)}\", "
                                                       "where the quoted passage from @doc says it of another verb",
                           "keep the adverb with the verb the passage says it of", "neighbour-swapped")]
    return []


def _adverb_of(adverb: str, whole: list[Term]) -> frozenset[str]:
    """The keys the sentence may say the adverb of, where it says it after a verb's object and before no content word:
    the content words of its stretch right before it, through determiners, prepositions and object pronouns, back to
    any other word ("the crew hauls the sheet quickly": "crew", "hauls", "sheet"; "pulls on the sheet quickly"); empty
    where it says it right before a content word, or not at all."""
    found: set[str] = set()
    for at, term in enumerate(whole):
        if term.key != adverb:
            continue
        if at + 1 < len(whole) and whole[at + 1].content:
            return frozenset()
        start = at
        while start > 0 and (whole[start - 1].content or whole[start - 1].raw in _WITHIN_A_PREDICATE):
            start -= 1
            if whole[start].content:
                found.add(whole[start].key)
    return frozenset(found)


# Words that may stand between a verb and an adverb said after its object: "pulls on the sheet quickly", "ties it off".
_WITHIN_A_PREDICATE = DETERMINERS | LINK_WORDS | frozenset("it them him her us you me".split())


def _moved_words(new: list[tuple[str, str]], broken: list[tuple[str, str]]) -> list[tuple[str, str, list]]:
    """For each two neighbours of the claim that the sentence does not put side by side, the words of the claim
    that may have been moved there, as (newcomer, the word whose place it takes, the sentence's pair it breaks):
    the first in the place of the word before the second, or the second in the place of the word after the
    first; only pairs with some."""
    found = []
    for first, second in new:
        moved = [(first, other, (other, second)) for other, one in broken if one == second and other != first]
        moved += [(second, other, (first, other)) for one, other in broken if one == first and other != second]
        if moved:
            found.append((first, second, moved))
    return found


def _unordered(pairs: frozenset[tuple[str, str]]) -> set[frozenset[str]]:
    return {frozenset(pair) for pair in pairs}


def _field_of(claim: Claim, key: str) -> str:
    return claim.answer.field if key in claim.answer.keys or key in claim.answer.negated else claim.question.field


# --- rule 3: the extra ------------------------------------------------------------------------------
def _extra_reasons(extra: Part, passage: Passage, explain: bool = False) -> list[Reason]:
    """Why `passage` does not back the extra: a word it lacks, or a negation that disagrees."""
    reasons = [_missing(extra, term, passage, explain) for term in _absent(extra, passage.keys, frozenset())]
    if reasons:
        return reasons
    disagree = (extra.negated - passage.negated) | ((passage.negated & extra.keys) - extra.negated)
    return [Reason("extra", f"extra disagrees with the quoted passage from @doc on the negation of "
                            f"\"{_raw(extra.terms, key)}\"", "quote the sentence the extra comes from, or drop it",
                   "negation-mismatch")
            for key in sorted(disagree)]


def _best_extra_reasons(extra: Part, passages: list[Passage]) -> list[Reason]:
    return min((_extra_reasons(extra, p, explain=True) for p in passages), key=len, default=[])


def _missing(part: Part, term: Term, passage: Passage, explain: bool) -> Reason:
    """A word of the claim (or extra) that the passage lacks, with the nearest passage word if `explain`."""
    near = None
    if explain:
        near = _nearest_word(term.raw, {t.raw for t in passage.terms if t.content})
    nearest = f" (nearest: \"{near}\")" if near else ""
    hint = "cite the sentence the extra comes from, or drop the extra" if part.label == "extra" else _REWORD
    return Reason(part.field, f"{part.label} word \"{term.raw}\" is not in the quoted passage from @doc{nearest}",
                  hint, f"{part.label}-word-missing", f"\"{term.raw}\"{nearest}")


def _nearest_word(word: str, candidates: set[str]) -> str | None:
    """The passage word `word` may be a misspelling or another form of, compared without case: a word of three
    letters or fewer may be one letter off ("IM" for "IV"), a longer one must keep 70% of its letters in order
    ("dead" for "died", "Massen" for "Maßen"); two letters changed in five ("whelk", "shell") or four ("long",
    "zone") is another word, and naming it would only mislead."""
    from difflib import SequenceMatcher  # only for a word the passage lacks

    cutoff = 0.5 if len(word) <= 3 else 0.7
    scored = [(SequenceMatcher(None, word.casefold(), other.casefold()).ratio(), other) for other in candidates]
    best = max(((score, other) for score, other in scored if score >= cutoff), key=lambda e: (e[0], e[1]),
               default=None)
    return None if best is None else best[1]


def _grouped(reasons: list[Reason]) -> list[Reason]:
    """The reasons, those of the words one field lacks put together in one, at the place of the first, which
    names every word: a card that says three words its quote lacks gets one message, not three with one hint."""
    grouped: list[Reason] = []
    seen: set[tuple[str, str]] = set()
    for reason in reasons:
        if not reason.word:
            grouped.append(reason)
        elif (reason.field, reason.code) not in seen:
            seen.add((reason.field, reason.code))
            same = [r.word for r in reasons if r.word and (r.field, r.code) == (reason.field, reason.code)]
            grouped.append(reason if len(same) == 1 else reason._replace(message=_words_missing(reason.code, same)))
    return grouped


def _listed_words(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _words_missing(code: str, words: list[str]) -> str:
    return f"{code.removesuffix('-word-missing')} words {_listed_words(words)} are not in the quoted passage from @doc"


_EMPHASIS = re.compile(r"[*_]+")
def _not_found(doc: SourceDoc, ref: SourceRef, piece: str) -> Diagnostic:
    """A quote (its piece `piece`, normalised) that is not in the document, with the sentence it is nearest to, and
    why where that is known: the source marks emphasis the quote left out, or the quote keeps a note ("^[...]"),
    which is no part of its sentence."""
    noteless = normalize(without_inline_notes(ref.quote)) if "^[" in ref.quote else ""
    hint = (f"nearest passage: \"{nearest_passage(doc, noteless)}\"; {_NOTE_HINT}" if noteless else
            f"nearest passage: \"{nearest_passage(doc, piece)}\"" + _EMPHASIS_HINT * _found_without_emphasis(doc, piece))
    return Diagnostic(ref.quote_location, f"quote not found in {doc.id}: \"{_shorten(piece)}\"", hint, "quote-not-found")


_NOTE_HINT = ("a note (^[...]) is no part of its sentence: quote the sentence without it, or the note's text on its "
              "own")
_EMPHASIS_HINT = ("; the source marks emphasis there (*word*, **word**, _word_): a quote keeps the markers as the "
                  "source writes them")


def _found_without_emphasis(doc: SourceDoc, piece: str) -> bool:
    """Whether a quote that was not found is in the document once its emphasis markers are taken out: the author
    quoted the text as it reads, the source as written has '*' or '_' in it (only computed on failure)."""
    return "*" not in piece and "_" not in piece and piece in _EMPHASIS.sub("", doc.norm)


def nearest_passage(doc: SourceDoc, piece: str) -> str:
    """The document sentence closest to a quote that was not found (only computed on failure)."""
    from rapidfuzz import fuzz, process

    choices = [doc.norm_of(u) for u in doc.units if u.citable]
    best = process.extractOne(piece, choices, scorer=fuzz.partial_ratio)
    return _shorten(best[0]) if best else ""


def _listed(words: list[str]) -> str:
    shown = ", ".join(f"\"{w}\"" for w in words[:4])
    return shown + (f" and {len(words) - 4} more" if len(words) > 4 else "")


def _raw(terms: list[Term], key: str) -> str:
    return next((t.raw for t in terms if t.key == key), key)


def _shorten(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- the stage: cards traced document by document ----------------------------------------------
class SourceProblem(Exception):
    """A source document is missing or cannot be read: `check` says which, and why."""


def traces_by_document(root: Path, cards: list[Card], vocabulary: Vocabulary, *,
                        every_document: bool) -> Iterator[TraceResult]:
    """Trace `cards`, ordered by the documents they cite, with only the documents in use in memory.

    With `every_document`, the documents no card cites are read too (and let go), so that a problem
    in any of them is found; otherwise the caller knows that every document is as a successful
    build found it.
    """
    paths = document_paths(root)
    cited = [sorted({ref.doc for ref in card.sources}) for card in cards]
    remaining = Counter(doc for docs in cited for doc in docs)
    if any(doc not in paths for doc in remaining):
        raise SourceProblem()
    loaded: dict[str, SourceDoc] = {}
    gate = Gate(Corpus(loaded), vocabulary)
    for index in sorted(range(len(cards)), key=lambda i: cited[i]):
        for doc in cited[index]:
            if doc not in loaded:
                loaded[doc] = _read_document(root, paths[doc])
        yield gate.trace(cards[index])
        for doc in cited[index]:
            remaining[doc] -= 1
            if not remaining[doc]:
                del loaded[doc]
    if every_document:
        for doc, path in paths.items():
            if doc not in remaining:
                _read_document(root, path)


def _read_document(root: Path, path: Path) -> SourceDoc:
    problems: list[Diagnostic] = []
    doc = load_document(root, path, problems)
    if doc is None or problems:
        raise SourceProblem()
    return doc


def _reason_crossed(claim: Claim, found: Turned, word: str) -> Reason:
    """A word the claim puts in the clause that an ordering word opens, where the passage has it on the other side."""
    return Reason(_field_of(claim, found.key), f"puts \"{word}\" in the clause that \"{found.word}\" opens, where the "
                                               f"quoted passage from @doc has it on the other side of \"{found.word}\"",
                  f"keep on each side of \"{found.word}\" what the passage puts there: \"X before Y\" is not "
                  "\"Y before X\", nor \"if X, Y\" \"if Y, X\"", "order-turned-round")


def _reason_not_given(claim: Claim, found: Turned, word: str) -> Reason:
    """A "why" question answered with a word that the passage does not give as the reason: it has the word in its
    clause of result (its "so" opens it), or outside the clause of reason its "because" opens."""
    where = _where_said(found.said) if found.said else "outside the clause of reason that \"because\" opens"
    return Reason(claim.answer.field, f"answers \"why\" with \"{word}\", where the quoted passage from @doc has it "
                                      f"{where}",
                  "give as the answer to \"why\" the reason the passage gives: \"X, so Y\" (or \"Y because X\") "
                  "answers \"why Y?\" with X, not \"why X?\" with Y", "order-turned-round")


_CLAUSE_KINDS = {"because": "reason", "so": "result", "so that": "purpose"}


def _where_said(said: str) -> str:
    """Where the passage has a word that the claim's clause of reason (or result) holds: in its clause of result or of
    purpose (or reason), or, for "if", in the main clause that follows from its condition."""
    if said == "if":
        return "outside the condition that \"if\" opens, as what follows from it"
    return f"in the clause of {_CLAUSE_KINDS[said]} that \"{said}\" opens"


def _reason_turned(claim: Claim, found: Turned, word: str) -> Reason:
    """A claim's clause of reason (or of result) that holds a word the passage says only in its clause of result (or
    of reason), the passage saying "so" where the claim says "because", or the other way round."""
    return Reason(_field_of(claim, found.key),
                  f"puts \"{word}\" in the clause of {_CLAUSE_KINDS[found.word]} that \"{found.word}\" opens, where "
                  f"the quoted passage from @doc has it {_where_said(found.said)}",
                  "keep the reason a reason and the result a result: \"X, so Y\" says \"Y because X\", not \"X because "
                  "Y\"", "order-turned-round")
