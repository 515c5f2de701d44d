"""Rule 2d, spliced clauses: a claim that joins what a sentence says around one of its words to what it says around
the same word in another place.

A sentence that says a word twice says two things with it: "the angle of the dance shows the direction of the
flowers, and the length of each waggle run shows how far away they are". A quote cut with " ... " can keep the
words of both and drop the rest, and a card can then join the two ends: "What does the length of each waggle run
show?" - "The direction of the flowers". Every word of it is quoted, every two neighbours are the sentence's, and
yet no "shows" of the sentence has the length before it and the direction after it. The same holds for a cloze or
a question that swaps what follows the two ("you must receive the correct treatment to receive the correct
diagnosis", from "... the correct diagnosis to receive the correct treatment").

So for each word that the sentence says more than once, the claim's words on each side of it are read as the
sentence's are: up to two words outward, determiners, auxiliaries and the forms of "be" passed over, ending at a
punctuation mark (and, at the start of the text, the start, which agrees with a word that opens a clause: "and",
"that"...). Each side of the claim agrees with one place of the
sentence's when they agree as far as both go. A claim whose two sides each agree with a place of the word in the
sentence that has words on that side, but never with the same place, is spliced (a place with none on one side, a
punctuation mark right beside it, agrees with any words there, but is no evidence of where they were taken from). A side that agrees with no place of it is reworded, which the
other rules read: this rule says nothing of it.
"""

from __future__ import annotations

from typing import NamedTuple

from .textnorm import AUXILIARIES, BE_FORMS, BETWEEN_NEIGHBOURS, DETERMINERS, Term

# Words passed over on the way out from the word: they say nothing of which place of it the claim means.
_PASSED_OVER = DETERMINERS | AUXILIARIES | BE_FORMS
_REACH = 2  # words read on each side
# Prepositions read as words said twice too ("adds salt to the soup, and ... adds sugar to the tea"), but only after a
# word of their own, at the places of the sentence that follow one: a place right after "and" repeats the one before
# it ("the article of a feminine noun, and of every noun in the plural").
PREPOSITIONS = frozenset("to in on of for with from at by into".split())
_START = "^"  # the start of the text, read as a word
# Words that open a clause, after which the clause's subject stands as it would at the start of a text: a claim that
# starts with a subject the sentence says twice ("the queen lays eggs") may take it from "..., and the queen lays eggs"
# or "bread that the baker sells" as well as from the sentence's start.
_CLAUSE_OPENERS = frozenset("and but or nor so yet that which who whom whose".split())


class Side(NamedTuple):
    """The words on one side of a word, outward from it (content words by key, others as written), and the offset
    of the farthest term read (for the message)."""

    words: tuple[str, ...]
    reach: int


class Splice(NamedTuple):
    key: str  # the word said more than once
    left: Side  # the sentence's place whose left side the claim's left side agrees with
    right: Side  # and the place whose right side agrees with the claim's right side
    left_at: int  # the offsets of the two places of the word in the sentence's terms
    right_at: int


def spliced(claim: list[Term], claim_gaps: list[str], sentence: list[Term], gaps: list[str], *,
            ignored: set[str] | frozenset[str] = frozenset()) -> Splice | None:
    """The first word of the claim, but for the `ignored` keys, that joins two places of the sentence (see the
    module's text); None if none does. `gaps` are what follows each term (Vocabulary.terms_and_gaps)."""
    counts: dict[str, int] = {}
    for term in sentence:
        if term.content or term.raw in PREPOSITIONS:
            counts[term.key] = counts.get(term.key, 0) + 1
    repeated = {key for key, count in counts.items() if count > 1} - ignored
    for at, term in enumerate(claim):
        if not (term.content or term.raw in PREPOSITIONS) or term.key not in repeated:
            continue
        left, right = side(claim, claim_gaps, at, -1), side(claim, claim_gaps, at, 1)
        if not left.words or not right.words:
            continue
        places = [(i, side(sentence, gaps, i, -1), side(sentence, gaps, i, 1))
                  for i, said in enumerate(sentence) if said.key == term.key]
        if not term.content:  # a preposition: read only after a word of its own, at places of the sentence so said
            if left.words[0] == _START or left.words[0] in _CLAUSE_OPENERS:
                continue
            places = [place for place in places if place[1].words and place[1].words[0] != _START
                      and place[1].words[0] not in _CLAUSE_OPENERS]
        if any(_agree(left, theirs_left) and _agree(right, theirs_right) for _, theirs_left, theirs_right in places):
            continue
        on_left = [(i, theirs) for i, theirs, _ in places if theirs.words and _agree(left, theirs)]
        on_right = [(i, theirs) for i, _, theirs in places if theirs.words and _agree(right, theirs)]
        if on_left and on_right:
            return Splice(term.key, on_left[0][1], on_right[0][1], on_left[0][0], on_right[0][0])
    return None


def side(terms: list[Term], gaps: list[str], at: int, step: int) -> Side:
    """Up to _REACH words on one side of terms[at] (step -1: before it, 1: after it), outward, passing over
    determiners, auxiliaries and "be", and ending at a punctuation mark; the start of the text is a word."""
    words: list[str] = []
    i = at
    while len(words) < _REACH:
        if i + step < 0:
            words.append(_START)
            break
        if i + step >= len(terms) or gaps[min(i, i + step)] not in BETWEEN_NEIGHBOURS:
            break
        i += step
        term = terms[i]
        if not term.content and term.raw in _PASSED_OVER:
            continue
        words.append(term.key if term.content else term.raw)
    return Side(tuple(words), i)


def _agree(claimed: Side, said: Side) -> bool:
    """The two sides say the same words as far as both go; the start of the claim agrees with the start of a clause
    of the sentence too."""
    return all(mine == theirs or (mine == _START and theirs in _CLAUSE_OPENERS)
               for mine, theirs in zip(claimed.words, said.words))


def followers(terms: list[Term]) -> frozenset[tuple[str, str]]:
    """(key, key) of each two content words of a text with nothing but determiners between them ("shows the
    direction"): where a question asked with "do" or a modal puts the verb its answer follows."""
    pairs = set()
    last = None  # the key of the last content word, while only determiners follow it
    for term in terms:
        if term.content:
            if last is not None:
                pairs.add((last, term.key))
            last = term.key
        elif term.raw not in DETERMINERS:
            last = None
    return frozenset(pairs)

