"""Which side of an ordering, conditioning or naming word each content word is on, and what a passive or a relative
clause turns round (the gate's rule 2d).

Two kinds of word split a sentence into two sides that a claim may not swap:

* a word that opens a clause of order, condition, reason, purpose or result (ORDER_WORDS): "if", "unless", "before",
  "after", "until", "during", "because", "as long as", "so that", "so" (in the sentence only after a comma: "X, so Y";
  not "so long", "so far", "so much"...), "unlike" (which sets what follows it against the rest of its clause), "above"
  and "below" where a noun phrase follows them (one thing set on one side of another), and "when" after "even" or
  "only"; "provided that" is read as "if",
  "prior to" as "before". "X before Y" is not "Y before X", nor "if X, Y" "if Y, X", nor "X even when Y" "Y even when
  X", nor "X because Y" "Y because X"; and "X, so Y" says "Y because X", so a claim's "because" is read against a
  sentence's ", so", and its "so" against a sentence's "because" (`_reason_across`). Plain "when" is not
  one of them: "milia form when keratin gets trapped" may be asked as "when milia form, what gets trapped?", both
  happening at once; but a "when" question answered with "when ..." asks which is the occasion of which, and is read
  so (`when_turned`). The clause it opens, its *condition*, is what follows it: to the end of the sentence's clause
  where the word comes after the main clause ("X, even when Y"), and to the last comma where it leads ("If Y, ... ,
  X"), a comma between two items of a list aside. Of the sentence, only what is certainly outside the condition
  counts: all before the word where it follows the main clause; all after the last comma where it leads (a comma
  inside the condition - "if Y, Z, X" - leaves nothing certain but what follows the last one), but for the commas of
  a list ("if calcium, phosphorus, and ... are high, X"; "if punctured, X will leak a white, chalky, paste-like
  material", whose list no "and" ends), which end no clause. Of the claim, the run of
  content words right after the word counts, which is certainly inside its condition ("before [mild itching or
  redness] do some people notice ..."), and, where the word leads the claim and a comma ends its clause, all of that
  clause ("if [the dough is kneaded], ...").
* a naming word (NAMING): "called" ("named", "known as", "termed" and "referred to as" are read as it), "such as"
  ("like" is read as it), whose one side names what the other is or holds ("a type of calcification called
  iatrogenic calcification", "calcium channel blockers, such as diltiazem"). The claim may not put on one side of
  it a word that the sentence has only on the other, as the link rule reads a link's two ends (textnorm.run_keys),
  with the answer after a naming word that ends the question ("what is calcification called?" - "idiopathic
  calcinosis"; not one that a determiner follows, which starts the question's own name: "what is known as a
  batter?") and else in the place of its wh-word. The active "call" ("bakers call the final rise the proof") has what it
  names right after it and the name after the next determiner; the claim may not swap the two.

A claim is read as one statement (see `statement`), its punctuation kept where a side may end at a comma.

Four more readings of who does what to whom live here: a verb the claim puts in the passive where the sentence says
it in the active, its subject and object left where they stood (`passive_turned`); the verb of a subject relative
clause swapped with its sentence's verb (`relative_turned`), or its noun traded with another noun of the sentence
(`relative_head_traded`); the two sides of a "that" traded (`that_turned`); a question that asks for a verb's subject
or object with the two turned round (`active_turned`); and "what kind of N is X?" asked of the kind X of an
apposition, its member the answer (`kind_turned`).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .textnorm import (AUXILIARIES, BE_FORMS, DETERMINERS, LINK_WORDS, MODALS, NUMBER_WORDS, RELATIONS, STOPWORDS, Term,
                       Vocabulary, clauses, content_keys, coordinated_pairs, is_number, run_keys)

# Words of place that set one thing on one side of another ("built high above the tracks"), read as words of order
# where a noun phrase follows them.
_PLACES = frozenset({"above", "below"})
ORDER_WORDS = frozenset({"if", "unless", "before", "after", "until", "during", "because", "unlike"}) | _PLACES
NAMING = frozenset({"called", "such as"})
# Phrases of more than one word (or another word) that say an ordering or naming word, each read as the one it says:
# "prior to" is "before", "provided that" is "if", "named", "known as", "termed" and "referred to as" are "called",
# "like" is "such as".
_PHRASES = {("even", "when"): "even when", ("only", "when"): "only when", ("as", "long", "as"): "as long as",
            ("so", "long", "as"): "as long as",
            ("prior", "to"): "before", ("provided", "that"): "if", ("providing", "that"): "if",
            ("so", "that"): "so that",
            ("known", "as"): "called", ("such", "as"): "such as", ("like",): "such as",
            ("referred", "to", "as"): "called", ("termed",): "called", ("named",): "called"}
# The words any of them is made of, to tell at a glance that a text has none: most claims have none.
# Naming in the active, "bakers call the final rise the proof": what is named right after it, then its name.
_CALL = frozenset({"call", "calls"})
_CALL_OR_CALLED = re.compile(r"\bcall(?:s|ed)?\b")
TRIGGER_WORDS = ORDER_WORDS | {"called"} | {word for phrase in _PHRASES for word in phrase} | _CALL
_DETERMINERS_AND_LINKS = DETERMINERS | LINK_WORDS  # what a naming word's far end starts past ("such as in a ...")
_BEFORE_A_NAME = BE_FORMS | frozenset("also often usually sometimes commonly".split())  # "this is also called"
_WHAT = re.compile(r"\bwhat\b")
_WHICH = re.compile(r"\bwhich\b")
_WHO = re.compile(r"\b(?:who|whom)\b")
_UNTIL_WHEN = re.compile(r"(?<=\buntil )when\b")
# A naming word that no content word follows in its part of a question: its name is what the question asks for. A
# determiner or a quantifier after it starts the name the question gives ("what is known as a batter?" asks for what is
# so named), where another stop-word ends the part ("what is X called when ...?", "... called in medicine?").
_NAME_STARTS = DETERMINERS | frozenset("some any another other each every all both".split())
_STOPWORD = "|".join(map(re.escape, sorted(STOPWORDS - _NAME_STARTS)))
_NAMING_AT_END = (r"\b(?:called|named|termed|known as|referred to as)\b"  # compiled when used (textnorm)
                  r"(?=\W*$|\W*[,;]|\s+(?:" + _STOPWORD + r")\b)")
_FRONTING = LINK_WORDS | ORDER_WORDS | {"when"}  # words whose object a wh-word right after them asks for
_PUNCTUATION = re.compile(r"[^\s-]")  # a gap between two words that holds more than a space or a hyphen


class Turned(NamedTuple):
    """A word the claim puts on the other side of an ordering or naming word than the sentence does."""

    word: str  # the ordering or naming word ("before", "even when", "called")
    key: str  # the key of the word on the wrong side
    naming: bool
    said: str = ""  # the sentence's word where it says the other of a reason and a result (_DUAL): "so" for "because"


def statement(question: str, answer: str) -> str:
    """A question (normalised) as one statement with its answer: right after a naming word that its wh-word asks
    for, which no content word follows ("what is X called?", "what is X called when ...?" - "X is called <answer>
    when ..."), or after "above" or "below" that ends a question opened by "what" ("what were the tracks built
    above?" - "were the tracks built above <answer>"), else in the place of its "what" (or, with none, "which", "who"
    or "whom", or a "when" right after "until": "until when do the workers feed the drones?") ("before what do some
    people notice ...?" - "before <answer> do some people notice ..."; "after whom is the script named?"), set apart
    by a comma unless a preposition or an ordering word comes right before it, else after it."""
    answer = answer.rstrip(".!?;: ")
    question = question.rstrip("?!. ")
    # "what" first, then "which", then "who": a relative pronoun may come before ("those who ... for what?", "breast
    # tissue, which is often detected during what?")
    ask = _WHAT.search(question) or _WHICH.search(question) or _asking_who(question) or _asking_when(question)
    if ask is None:
        return question + " " + answer
    if ask.start() == 0 and question.rsplit(" ", 1)[-1] in _PLACES:  # "what were the tracks built high above?"
        return question[ask.end():].strip() + " " + answer
    before = question[:ask.start()].split()
    fronted = bool(before) and before[-1] in _FRONTING  # "after whom ...?": the answer goes after its preposition
    name = None if fronted else re.compile(_NAMING_AT_END).search(question, ask.end())
    if name is not None:
        return question[:ask.start()] + question[ask.end():name.end()] + " " + answer + question[name.end():]
    if before and not fronted:  # "if necessary what can be performed?": the answer is no part of the if-clause
        answer = ", " + answer
    return question[:ask.start()] + answer + question[ask.end():]


# What an answer to "why" may open with and still be read as the clause of "because" that it gives: a clause's subject
# ("it suits steep hills", "the chain stretches") or a phrase naming the reason ("steep hills"). Any other stop-word
# says how the answer gives its reason ("to climb", "so that ...", "since ...", "by shifting"), and is not read so.
_REASON_OPENS = DETERMINERS | frozenset("it they he she we you i there".split())


def answered_why(question: str, answer: str, answer_terms: list[Term]) -> str | None:
    """A "why" question (normalised) and its answer as one statement, the answer given as the question's reason:
    "why does the small chainring turn the wheel slowly?" - "it suits steep hills" says "... slowly because it suits
    steep hills". None where the question does not start with "why", or the answer opens with another stop-word than
    _REASON_OPENS ("because ...", "so that ...", "to ...": each says for itself which kind of clause it is)."""
    if not question.startswith("why ") or not answer_terms:
        return None
    first = answer_terms[0]
    if not (first.content or first.raw in _REASON_OPENS):
        return None
    return question.rstrip("?!. ") + " because " + answer.rstrip(".!?;: ")


def answered_when(question: str, answer: str) -> str | None:
    """A "when" question (normalised) answered with a clause of "when" as one statement, the answer's clause after the
    question's: "when does the train approach a caution signal?" - "when the horn sounds" says "does the train approach
    a caution signal when the horn sounds". None for any other question or answer."""
    if not question.startswith("when ") or not answer.startswith("when "):
        return None
    return question[len("when "):].rstrip("?!. ") + " " + answer.rstrip(".!?;: ")


def when_turned(claim: str, sentence: str, vocabulary: Vocabulary) -> Turned | None:
    """The first word that a claim read by answered_when (`claim`) puts in its clause of "when" where the sentence
    (normalised) has it only in the main clause outside its one clause of plain "when": "when does the train approach
    a caution signal?" - "when the horn sounds", for "the horn sounds when the train approaches a caution signal",
    gives the occasion of the horn as the train's. Plain "when" is read only so: where a card does not ask "when?",
    both clauses may be read as happening at once (see the module's docstring)."""
    terms, gaps = vocabulary.terms_and_gaps(claim)
    at = max((i for i, term in enumerate(terms) if term.raw == "when"), default=None)
    if at is None:
        return None
    found = _ordered_across("when", at, 1, terms, gaps, sentence, vocabulary)
    first = next((term.key for term in terms if term.key in found), None)
    return None if first is None else Turned("when", first, False)


def _asking_who(question: str) -> re.Match[str] | None:
    """The first "who" or "whom" of the question that asks (its first word, or after a preposition: "after whom ...?"),
    not one that opens a relative clause after a noun or a comma ("bakers, who bake bread, rise when?")."""
    for match in _WHO.finditer(question):
        before = question[:match.start()].rstrip()
        if not before or before.split()[-1] in _FRONTING:
            return match
    return None


def _asking_when(question: str) -> re.Match[str] | None:
    """The "when" of "until when", which asks for the clause of "until" ("until when does the water stay in the
    chamber?"); "when" alone asks for a time, and is no wh-word an answer stands for. "Before when" and "after when",
    rare, are not read so."""
    return _UNTIL_WHEN.search(question)


def has_trigger(words: frozenset[str]) -> bool:
    return not TRIGGER_WORDS.isdisjoint(words)


def turned(claim: str, sentence: str, sentence_terms: list[Term], vocabulary: Vocabulary) -> Turned | None:
    """The first word the claim (a statement, normalised) puts on the other side of an ordering or naming word
    than the whole supporting sentence (normalised, and its terms) does (see the module's docstring); None if it
    puts none so."""
    if _CALL_OR_CALLED.search(claim) and (key := _call_turned(claim, sentence_terms, vocabulary)):
        return Turned("call", key, True)
    said = {word for word, _, _ in _triggers(sentence_terms)}
    if not said:
        return None
    claim_terms, claim_gaps = vocabulary.terms_and_gaps(claim)
    claimed = [(word, at, length) for word, at, length in _triggers(claim_terms)
               if word in said or not said.isdisjoint(_DUAL.get(word, ()))]
    if not claimed:
        return None
    for word, at, length in claimed:
        dual = "" if word in said else next(d for d in _DUAL[word] if d in said)
        found = (_named_across(word, at, length, claim_terms, sentence_terms) if word in NAMING
                 else _ordered_across(dual, at, length, claim_terms, claim_gaps, sentence, vocabulary) if dual == "if"
                 else _reason_across(word, dual, at, claim_terms, claim_gaps, sentence, vocabulary) if dual
                 else _ordered_across(word, at, length, claim_terms, claim_gaps, sentence, vocabulary))
        if found:
            first = next(term.key for term in claim_terms if term.key in found)  # in the claim's reading order
            return Turned(word, first, word in NAMING, dual)
    return None


# A reason and a result said the other way: "X, so Y" says what "Y because X" says, its clause of result the other
# side of the clause of reason. A purpose is no reason either: "X so that Y" does not say "X because Y". And "if Y, X"
# may be claimed as "X because Y", its condition given as the reason, but not as "Y because X": a claim's "because" is
# read against the sentence's "if" as a claim's "if" is.
_DUAL = {"because": ("so", "so that", "if"), "so": ("because",)}


def _reason_across(word: str, dual: str, at: int, claim: list[Term], gaps: list[str], sentence: str,
                   vocabulary: Vocabulary) -> frozenset[str]:
    """The keys of the run right after the claim's "because" (or "so") at `at` that the sentence has only in the
    clause its one "so" after a comma (or "because") opens, and nowhere outside it: "a chain stretches as it wears, so
    mechanics measure it" says the chain's stretching is the reason, and "a chain stretches because mechanics measure
    it" gives the result as the reason. What the claim's clause names for a pronoun of the sentence's is not read."""
    sides = [side for side in map(lambda part: _sides(dual, part, vocabulary), clauses(sentence)) if side is not None]
    if len(sides) != 1 or sides[0] == ():
        return frozenset()
    outside, inside, _ = sides[0]
    listed = _listed(*vocabulary.terms_and_gaps(sentence)) | _listed(claim, gaps)
    return (_run_after(claim, gaps, at, listed) | _leading_clause(claim, gaps, at, listed)) & (inside - outside)


# Words after which "so" opens no clause of result: "so that" (a phrase of its own), "so long as", "so far", "so much".
_NO_RESULT = frozenset("that long far much many as too on".split())


def _triggers(terms: list[Term], plain_when: bool = False) -> list[tuple[str, int, int]]:
    """Each ordering or naming word of the terms ("even when", "such as"; a phrase of _PHRASES as the word it says),
    with the offset of its last word and its length in words; with `plain_when`, each "when" that no word before it
    makes part of a phrase ("even when", "only when", "until when") too."""
    found = []
    for i, term in enumerate(terms):
        if term.raw in _PLACES and not _has_object(terms, i):
            continue  # "the pound below": no word of place that a clause or a phrase follows
        if term.raw in ORDER_WORDS or term.raw == "called" or (
                term.raw == "so" and i + 1 < len(terms) and terms[i + 1].raw not in _NO_RESULT):
            found.append((term.raw, i, 1))
            continue
        for phrase, word in _PHRASES.items():
            start = i + 1 - len(phrase)
            if start >= 0 and tuple(t.raw for t in terms[start:i + 1]) == phrase:
                found.append((word, i, len(phrase)))
                break
        else:
            if plain_when and term.raw == "when" and not (i and terms[i - 1].raw == "until"):
                found.append(("when", i, 1))
    return found


def _has_object(terms: list[Term], at: int) -> bool:
    """A content word or a determiner follows the word at `at`: "above the tracks", not "the pound below"."""
    return at + 1 < len(terms) and (terms[at + 1].content or terms[at + 1].raw in DETERMINERS)


# --- naming words: the two ends, as a link's ----------------------------------------------------------------
def _named_across(word: str, at: int, length: int, claim: list[Term], sentence: list[Term]) -> frozenset[str]:
    """The keys the claim puts on one side of the naming word at `at` (`length` words long) that the sentence has
    only on the other side of each of its own, and not on the claim's side."""
    claimed_before, claimed_after = _ends(claim, at, length)
    ends = [_ends(sentence, i, n) for w, i, n in _triggers(sentence) if w == word]
    before = frozenset().union(*(b for b, _ in ends))
    after = frozenset().union(*(a for _, a in ends))
    crossed = ((claimed_before - claimed_after) & (after - before)) | ((claimed_after - claimed_before)
                                                                        & (before - after))
    return crossed


def _ends(terms: list[Term], at: int, length: int) -> tuple[frozenset[str], frozenset[str]]:
    """The keys of the run of content words before a naming word (whose last word is at `at`, `length` words
    long), past a verb "be" and an adverb ("this is called", "X, also known as"), and of the run after it, past
    determiners and prepositions ("called a ...", "such as in chronic inflammation")."""
    k = _back_past(terms, at - length, _BEFORE_A_NAME)
    j = _on_past(terms, at + 1, _DETERMINERS_AND_LINKS)
    return run_keys(terms, k, -1) if k >= 0 else frozenset(), run_keys(terms, j, 1)


def _call_turned(claim: str, sentence_terms: list[Term], vocabulary: Vocabulary) -> str | None:
    """The key of the first word the claim (a statement, normalised) puts as what "call" names where the sentence has
    it only as the name, or the other way round ("the final rise do bakers call the proof" for "bakers call the final
    rise the proof"); None if it puts none so, or either says "call" other than once."""
    said = _called(sentence_terms)
    claim_terms = vocabulary.terms(claim)
    claimed = _called(claim_terms) or _named_passively(claim_terms)
    if said is None or claimed is None:
        return None
    crossed = (claimed[0] & (said[1] - said[0])) | (claimed[1] & (said[0] - said[1]))
    return next((term.key for term in claim_terms if term.key in crossed), None)


def _called(terms: list[Term]) -> tuple[frozenset[str], frozenset[str]] | None:
    """(the keys of what the terms' one "call" names, of the name it gives): the run of content words after it, past
    determiners, and the run after the determiner that follows that run ("call [the final rise] the [proof]"); None if
    the terms say "call" other than once."""
    calls = [i for i, term in enumerate(terms) if term.raw in _CALL]
    if len(calls) != 1:
        return None
    start = end = _on_past(terms, calls[0] + 1, DETERMINERS)
    while end < len(terms) and terms[end].content:
        end += 1
    named = _keys(terms[start:end])
    if end == len(terms) or terms[end].raw not in DETERMINERS:
        return named, frozenset()
    return named, run_keys(terms, _on_past(terms, end, DETERMINERS), 1)


def _named_passively(terms: list[Term]) -> tuple[frozenset[str], frozenset[str]] | None:
    """(the keys of what the terms' one "called" names, of the name it gives) where a verb "be" comes before it, as the
    passive of "call": the run of content words right before it (past "be" and adverbs: "the final rise is also
    called", "is the final rise called") and the run after it, past determiners ("called the proof by bakers"); None
    if the terms say "called" other than once, or with no verb "be" before it ("bakers called it ...")."""
    called = [i for i, term in enumerate(terms) if term.raw == "called"]
    if len(called) != 1 or not any(term.raw in BE_FORMS for term in terms[:called[0]]):
        return None
    k = _back_past(terms, called[0] - 1, _BEFORE_A_NAME)
    named = run_keys(terms, k, -1) if k >= 0 else frozenset()
    return named, run_keys(terms, _on_past(terms, called[0] + 1, DETERMINERS), 1)


# --- ordering words: what the claim puts right after one, and where the sentence has it ----------------------
def _ordered_across(word: str, at: int, length: int, claim: list[Term], gaps: list[str], sentence: str,
                    vocabulary: Vocabulary) -> frozenset[str]:
    """The keys of the run right after the ordering word at `at` (`length` words long) of the claim that the sentence
    has certainly outside the clause its one such word opens, and nowhere inside it; none where the sentence has the
    word in more than one place. A comma of a list that the sentence or the claim makes ends no clause of the claim
    ("if the flour, the water, and the dough are cold, ..."). Where the sentence's clause says a pronoun that may
    stand for the words moved into the claim's clause, agreeing with them in number ("so that it does not strike the
    gates": "the boat"), they are read only with a word of the sentence's clause moved out of the claim's: "so that
    the boat does not strike the gates, the crew holds it with ropes" names what "it" stands for; "the water beneath
    the boat rises because the boat rises" swaps "because the water beneath it rises" round."""
    sides = [side for side in map(lambda part: _sides(word, part, vocabulary), clauses(sentence)) if side is not None]
    if len(sides) != 1 or sides[0] == ():
        return frozenset()
    outside, inside, pronouns = sides[0]
    listed = _listed(*vocabulary.terms_and_gaps(sentence)) | _listed(claim, gaps)
    moved_in = (_run_after(claim, gaps, at, listed) | _leading_clause(claim, gaps, at, listed)) & (outside - inside)
    if moved_in and _stood_for(moved_in, _claim_clause(claim, gaps, at, listed), pronouns):
        claimed_outside = _claim_outside(claim, gaps, at, length, listed)
        if claimed_outside is not None and claimed_outside.isdisjoint(inside - outside):
            return frozenset()
    return moved_in


def _claim_clause(terms: list[Term], gaps: list[str], at: int, listed: frozenset[tuple[str, str]]) -> list[Term]:
    """The terms of the clause that the claim's ordering word at `at` opens: to the comma that ends it where it leads
    the claim (_leading_end), else to the claim's end. What a pronoun of the sentence stands for is named there; the
    word said again outside it ("a rider who cross-chains ... because the chain runs ...") is no name for it."""
    end = _leading_end(terms, gaps, at, listed)
    return terms[at + 1:] if end is None else terms[at + 1:end + 1]


def _leading_clause(terms: list[Term], gaps: list[str], at: int, listed: frozenset[tuple[str, str]]) -> frozenset[str]:
    """The keys of the clause that the ordering word at `at` opens where it leads the claim (nothing but an aside
    before it) and a comma ends the clause, a comma between two items that the sentence lists (`listed`) aside: "if
    [the dough is kneaded], the baker adds ..."; none where the word does not lead, or no such comma follows."""
    end = _leading_end(terms, gaps, at, listed)
    return _keys(terms[at + 1:end + 1]) if end is not None else frozenset()


def _leading_end(terms: list[Term], gaps: list[str], at: int, listed: frozenset[tuple[str, str]]) -> int | None:
    """The offset of the last word of the clause that the ordering word at `at` opens where it leads the claim and a
    comma ends it (see _leading_clause); None where the word does not lead, or no such comma follows."""
    first = at - 1 if at and terms[at - 1].raw == "even" else at  # "even after"
    if any(term.content for term in terms[:first]) and not _aside_before(terms, gaps, first):
        return None
    return next((end for end in range(at + 1, len(terms) - 1)
                 if "," in gaps[end] and (terms[end].key, _next_item(terms, gaps, end)) not in listed), None)


def _claim_outside(terms: list[Term], gaps: list[str], at: int, length: int,
                   listed: frozenset[tuple[str, str]]) -> frozenset[str] | None:
    """The keys the claim has certainly outside the clause its ordering word at `at` (`length` words long) opens: all
    before the word where it follows its main clause, all after the comma that ends its clause where it leads; None
    where it leads and no comma ends its clause, which leaves its outside unknown."""
    first = at + 1 - length
    if first and terms[first - 1].raw == "even":
        first -= 1
    if any(term.content for term in terms[:first]) and not _aside_before(terms, gaps, first):
        return _keys(terms[:first])
    end = _leading_end(terms, gaps, at, listed)
    return _keys(terms[end + 1:]) if end is not None else None


def _sides(word: str, clause: str,
           vocabulary: Vocabulary) -> tuple[frozenset[str], frozenset[str], frozenset[bool]] | tuple[()] | None:
    """In one clause of the sentence: (the keys certainly outside the condition the ordering word opens, the keys
    that may be inside it, the numbers of the pronouns there: _referring); None if the clause does not say the word;
    () if it says it more than once. Another ordering word of the clause leaves each side as it is: all before a
    word that follows its main clause is outside it ("if Y, X before Z": "Y", "X" for "before"), and all after the
    last comma of a clause it leads ("if Y before Z, X": "X" for "if"), the commas between the items of a list aside
    (`_listed`); what is read as inside it only ever spares a word."""
    terms, gaps = vocabulary.terms_and_gaps(clause)
    mine = [(i, n) for w, i, n in _triggers(terms, word == "when")
            if w == word and (w != "so" or (i and "," in gaps[i - 1]))]
    if not mine:
        return None
    if len(mine) != 1:
        return ()
    at, length = mine[0]
    first = at + 1 - length
    if first and terms[first - 1].raw == "even":  # "even after"
        first -= 1
    return _split(terms, gaps, first, at)


def _split(terms: list[Term], gaps: list[str],
           first: int, at: int) -> tuple[frozenset[str], frozenset[str], frozenset[bool]]:
    """(the keys certainly outside the clause whose opening words run from `first` to `at`, the keys that may be
    inside it, the numbers of the pronouns there): see _sides."""
    if any(term.content for term in terms[:first]) and not _aside_before(terms, gaps, first):
        return _keys(terms[:first]), _keys(terms[at + 1:]), _referring(terms[at + 1:])  # "X, even when Y"
    listed = _listed(terms, gaps)  # a comma between two items of a list ends no clause
    commas = [i for i in range(at + 1, len(terms) - 1)
              if "," in gaps[i] and (terms[i].key, _next_item(terms, gaps, i)) not in listed]
    if not commas:
        return frozenset(), _keys(terms[at + 1:]), frozenset()
    inside = terms[at + 1:commas[-1] + 1]
    return _keys(terms[commas[-1] + 1:]), _keys(inside), _referring(inside)


# The third person's pronouns, by the number of what they stand for (True: plural), and the forms each reading takes:
# the pronouns of a clause (_referring), those that may stand for the sentence's subject later in it as a verb's subject
# ("so it suits") or object ("measure it every few months"), a subject's alone, an object's alone.
_PRONOUN_PLURAL = {"it": False, "its": False, "he": False, "him": False, "his": False, "she": False, "her": False,
                   "they": True, "them": True, "their": True}
_SUBJECT_FORMS = frozenset({"it", "he", "she", "they"})
_NAMING_FORMS = _SUBJECT_FORMS | {"him", "them"}
_OBJECT_FORMS = frozenset({"it", "them"})


def _pronoun_of(word: str, forms: frozenset[str], plural: bool) -> bool:
    """Whether `word` is a pronoun of `forms` of that number."""
    return word in forms and _PRONOUN_PLURAL[word] == plural


def pronouns_named(terms: list[Term]) -> tuple[list[Term], str] | None:
    """The sentence's terms with each of its pronouns after its subject read as that subject, where the two agree in
    number, and the subject's key; None where the sentence opens with no subject or has no such pronoun. "The small
    chainring turns the wheel slowly, so it suits steep hills" is read "... so chainring suits steep hills"; "a chain
    stretches as it wears, so mechanics measure it every few months" "... measure chain every few months". A pronoun
    is read as the subject alone, never as another word of its number ("the wheel suits" is not said)."""
    head = _opening_subject(terms)
    if head is None:
        return None
    subject, plural = terms[head], _plural(terms[head].raw)
    named = [subject if at > head and _pronoun_of(term.raw, _NAMING_FORMS, plural) else term
             for at, term in enumerate(terms)]
    return (named, subject.key) if named != terms else None


# The words that open a clause of contrast (textnorm.clauses), before the clause's own subject.
_CONTRAST_OPENERS = frozenset("but whereas although though while yet".split())


def clause_subject_pronoun(clauses: list[list[Term]]) -> tuple[str, frozenset[int]]:
    """The key of the subject that opens the first of a sentence's clauses of contrast (their terms), and the offsets
    of the later clauses whose subject is a pronoun of its number ("it", "he", "she"; "they"), right after the word of
    contrast: "the jib is not trimmed in a tack, but it is trimmed after the tack" says "jib" in both its clauses.
    ("", none) where the first clause opens with no subject."""
    head = _opening_subject(clauses[0]) if clauses else None
    if head is None:
        return "", frozenset()
    plural = _plural(clauses[0][head].raw)
    found = set()
    for index, terms in enumerate(clauses[1:], start=1):
        at = _on_past(terms, 0, _CONTRAST_OPENERS)
        if at < len(terms) and _pronoun_of(terms[at].raw, _SUBJECT_FORMS, plural):
            found.add(index)
    return clauses[0][head].key, frozenset(found)


class ObjectPronoun(NamedTuple):
    """What a pronoun object of a later clause of contrast stands for (see clause_object_pronoun): the keys of its first
    clause's object, those of the object's head (before any "of") apart, and the offsets of the clauses it is in."""

    heads: frozenset[str] = frozenset()
    rest: frozenset[str] = frozenset()
    clauses: frozenset[int] = frozenset()


def clause_object_pronoun(clauses: list[list[Term]]) -> ObjectPronoun:
    """The object of a sentence's first clause of contrast (their terms), where that clause is its subject, its verb (a
    modal or an auxiliary before it aside) and a plain noun phrase (content words, determiners and "of" alone), said again in the later clauses that end with a
    pronoun of the number of its head right after their own verb: "rain lowers the salt content of a pool, while
    evaporation raises it" says "salt content of a pool" in both its clauses. Nothing where there is no such clause."""
    head = _opening_subject(clauses[0]) if clauses else None
    verb = None if head is None else _on_past(clauses[0], head + 1, AUXILIARIES)
    if verb is None or verb >= len(clauses[0]) or not clauses[0][verb].content:
        return ObjectPronoun()
    phrase = clauses[0][verb + 1:]
    if not phrase or any(not term.content and term.raw not in DETERMINERS | {"of"} for term in phrase):
        return ObjectPronoun()
    cut = next((at for at, term in enumerate(phrase) if term.raw == "of"), len(phrase))
    heads = [term for term in phrase[:cut] if term.content]
    if not heads:
        return ObjectPronoun()
    plural = _plural(heads[-1].raw)
    found = {index for index, terms in enumerate(clauses[1:], start=1)
             if len(terms) > 1 and _pronoun_of(terms[-1].raw, _OBJECT_FORMS, plural) and terms[-2].content}
    head_keys = frozenset(term.key for term in heads)
    rest = frozenset(term.key for term in phrase[cut:] if term.content) - head_keys
    return ObjectPronoun(head_keys, rest, frozenset(found)) if found else ObjectPronoun()


def pronouns_certain(terms: list[Term], gaps: list[str]) -> list[Term] | None:
    """The sentence's terms (and its gaps) with each "they" that opens a clause of its own after its plural subject -
    after a comma or a word of _OPENS_A_CLAUSE - read as that subject, where the subject is the only plural content word
    before it (a word in "-s", not "-ss"): "hub gears are sealed inside the wheel, so they need little care" is read
    "... so gears need little care", "they" having no other word to stand for. None where none is. No other pronoun is
    read so: most words of a sentence may be what "it" stands for ("a rider who cross-chains wears the chain faster,
    because it runs at an angle"), and "them" in its subject's clause is not its subject ("keepers new to them often
    mistake them for queens")."""
    head = _opening_subject(terms)
    if head is None or not _plural(terms[head].raw):
        return None
    named = list(terms)
    for at in range(head + 1, len(terms)):
        if terms[at].content and _plural(terms[at].raw):
            break  # another word "they" may stand for, from here on
        if terms[at].raw == "they" and ("," in gaps[at - 1] or terms[at - 1].raw in _OPENS_A_CLAUSE):
            named[at] = terms[head]
    return named if named != terms else None


# Words after which "they" opens a clause of its own ("..., so they need", "because they are sealed").
_OPENS_A_CLAUSE = frozenset("so because and but or if when whenever unless until after before since while although "
                            "though as once".split())


def _opening_subject(terms: list[Term]) -> int | None:
    """The offset of the head of the noun phrase that opens the sentence, its determiners aside: the last word of its
    first run of content words where a form of "be" or an auxiliary follows the run ("hub gears are"), the word before
    the run's last (its verb: "the small chainring turns") where the run is longer, the run's one word else ("riders in
    the rain"); None where the sentence opens with another stop-word ("before a boat enters ...")."""
    start = _on_past(terms, 0, DETERMINERS)
    if start >= len(terms) or not terms[start].content:
        return None
    end = start
    while end + 1 < len(terms) and terms[end + 1].content:
        end += 1
    if end == start or (end + 1 < len(terms) and terms[end + 1].raw in BE_FORMS | AUXILIARIES):
        return end
    return end - 1


# Words that narrow what the rest of their sentence says to a condition or an exception: "unless", "except", and
# "only" before a word that opens a clause of condition or time ("only when the upper paddles are open").
_OPENS_ONE = frozenset({"unless", "except"})
NARROWING = _OPENS_ONE | {"only"}
_AFTER_ONLY = frozenset("if when whenever after before until during while once".split())
_NARROWS = re.compile(r"\b(?:unless|except|only)\b")


def condition_bindings(sentence: str, vocabulary: Vocabulary) -> set[tuple[Term, str, bool]]:
    """(the word that opens a condition or an exception, the key of a word it narrows, False) for each content word
    of the sentence (normalised) that its condition or exception narrows: the words certainly outside the clause it
    opens, as for an ordering word (`_sides`), and not inside it too. "The gates cannot be opened unless the water on
    both sides is level" narrows "gates" and "opened"; "most boats pass the flight in an hour, except in summer, ..."
    every word before "except"; "water flows into the chamber only when the upper paddles are open" every word before
    "only". Read as the qualifiers are (textnorm.qualifier_bindings), but over the whole sentence, as a negation is:
    a quote that stops before the condition leaves it out as surely as one that skips it with " ... "."""
    if not _NARROWS.search(sentence):
        return set()
    bindings = set()
    for clause in clauses(sentence):
        terms, gaps = vocabulary.terms_and_gaps(clause)
        for at, term in enumerate(terms):
            last = at + 1 if term.raw == "only" and at + 1 < len(terms) and terms[at + 1].raw in _AFTER_ONLY else at
            if term.raw in _OPENS_ONE or last > at:
                outside, inside, _ = _split(terms, gaps, at, last)
                bindings |= {(term, key, False) for key in outside - inside}
    return bindings


# Words that set a limit on the number right after them, each the word a claim must say with it: "about", "at least",
# "at most", "no more than", "up to", "over 5"... ("more than 3 months": "more"; "at least 14 feet": "least").
_LIMITS = frozenset("about approximately around roughly nearly almost over under above below".split())
_LIMIT_PAIRS = {("at", "least"): "least", ("at", "most"): "most", ("up", "to"): "up", ("more", "than"): "more",
                ("less", "than"): "less", ("fewer", "than"): "fewer"}
LIMIT_WORDS = _LIMITS | frozenset(_LIMIT_PAIRS.values())
# Words of a share or a multiple, limited as a number is ("about half of the water", "nearly twice as long").
_FRACTIONS = frozenset("half halves third thirds quarter quarters twice thrice double triple".split())
_LIMITED = re.compile(r"\b(?:" + "|".join(sorted(_LIMITS | {"least", "most", "to", "than"})) + r") (?:[\d−-]|(?:"
                      + "|".join(sorted(NUMBER_WORDS | _FRACTIONS)) + r")\b)")


def limit_bindings(sentence: str, vocabulary: Vocabulary) -> set[tuple[Term, str, bool]]:
    """(the word of a limit, the key of the number it limits, False) for each number of the sentence (normalised)
    right after a limit (LIMIT_WORDS: "at least 14 feet", "no more than four miles per hour", "about 37 °C"), or of a
    share or a multiple ("about half of the water", _FRACTIONS), read as
    a qualifier of the number over the whole sentence: "a broad lock is ... 14 feet wide" leaves out "at least". Not
    for a number the sentence also says with no limit before it."""
    if not _LIMITED.search(sentence):
        return set()
    terms = vocabulary.terms(sentence)
    limited, bare = {}, set()
    for at, term in enumerate(terms):
        if is_number(term.raw) or term.raw in _FRACTIONS:
            word = _limit_before(terms, at)
            if word is None:
                bare.add(term.key)
            else:
                limited.setdefault(term.key, word)
    return {(word, key, False) for key, word in limited.items() if key not in bare}


def _limit_before(terms: list[Term], at: int) -> Term | None:
    """The word of the limit right before the number at `at` ("least" of "at least"), if there is one."""
    if at and terms[at - 1].raw in _LIMITS:
        return terms[at - 1]
    word = _LIMIT_PAIRS.get(tuple(term.raw for term in terms[at - 2:at])) if at >= 2 else None
    return next((term for term in terms[at - 2:at] if term.raw == word), None) if word else None


def _referring(terms: list[Term]) -> frozenset[bool]:
    """The numbers of the pronouns of the terms (True: plural; _PRONOUN_PLURAL): pronouns that may stand for a word
    said on the other side of an ordering word ("after they have been made level"), a word in "-s" (not "-ss") for
    the plural ones."""
    return frozenset(_PRONOUN_PLURAL[term.raw] for term in terms if term.raw in _PRONOUN_PLURAL)


def _stood_for(keys: frozenset[str], claim: list[Term], pronouns: frozenset[bool]) -> bool:
    """A pronoun of one of the numbers `pronouns` may stand for each word of the claim's clause (`claim`) whose key is
    in `keys`."""
    return all(_plural(term.raw) in pronouns for term in claim if term.key in keys)


def _plural(word: str) -> bool:
    return word.endswith("s") and not word.endswith("ss")


# Words that, set apart by a comma, lead a sentence without being its main clause ("for example, if Y, X").
_ASIDES = frozenset("example instance however therefore thus also case fact general addition short".split())


def _aside_before(terms: list[Term], gaps: list[str], first: int) -> bool:
    """What comes before the word at `first` is an aside set apart by a comma ("for example, if ..."), not a main
    clause: its content words are all of _ASIDES."""
    return "," in gaps[first - 1] and all(term.raw in _ASIDES for term in terms[:first] if term.content)


def _run_after(terms: list[Term], gaps: list[str], at: int, listed: frozenset[tuple[str, str]]) -> frozenset[str]:
    """The keys of the run of content words right after the word at `at`, past the stop-words before its first
    ("if you have calcium deposits"), up to a stop-word other than "and" or "or", or a punctuation mark other than a
    comma between two words that the sentence lists with one between them (`listed`: "if your calcium, phosphorus,
    and vitamin D levels ...")."""
    keys = set()
    j = at + 1
    while j < len(terms) and not terms[j].content and not _PUNCTUATION.search(gaps[j]):
        j += 1  # "if you have calcium deposits": its subject and verb
    while j < len(terms):
        term = terms[j]
        if term.content:
            keys.add(term.key)
        elif term.raw not in ("and", "or"):
            break
        if _PUNCTUATION.search(gaps[j]) and (term.key, _next_item(terms, gaps, j)) not in listed:
            break
        j += 1
    return frozenset(keys)


def _listed(terms: list[Term], gaps: list[str]) -> frozenset[tuple[str, str]]:
    """(key, key) of each two content words with a comma between them, and maybe an "and" or "or" after it, that are
    items of a list: one that goes on, item after item (runs of content words, a comma after each; in a list of three
    items or more, each may start with a determiner: "the flour, the water, and the salt"), to an "and" or an "or"
    ("calcium, phosphorus, and vitamin D"; not "even after these procedures, calcium deposits may reappear", nor "if
    the dough is cold, the yeast and the bacteria ..."); or
    one with no "and", whose middle item is a run of content words alone between two commas, a content word on each
    side ("a white, chalky, paste-like material")."""
    joined = {(term.key, after) for i, term in enumerate(terms)
              if term.content and (after := _next_item(terms, gaps, i)) and _ends_a_list(terms, gaps, i)}
    return frozenset(joined | _unjoined(terms, gaps))


def list_items(terms: list[Term], gaps: list[str]) -> list[frozenset[str]]:
    """The keys that begin or end the items of each list of a text (`_listed`), a set for each list: "the loaf, the
    roll, and the bun" gives {loaf, roll, bun}."""
    found: list[set[str]] = []
    for pair in _listed(terms, gaps):
        joined = [items for items in found if not items.isdisjoint(pair)]
        merged = set(pair).union(*joined)
        found = [items for items in found if items not in joined] + [merged]
    return [frozenset(items) for items in found]


def _unjoined(terms: list[Term], gaps: list[str]) -> set[tuple[str, str]]:
    """(key, key) of the two content words at each comma of "A, B, C", B a run of content words with no other mark
    inside it and A and C content words: items of a list that no "and" ends ("white, chalky, paste-like")."""
    pairs = set()
    for i in range(len(terms) - 2):
        if not terms[i].content or gaps[i].strip() != ",":
            continue
        j = i + 1
        while j < len(terms) - 1 and terms[j].content and not _PUNCTUATION.search(gaps[j]):
            j += 1
        if terms[j].content and gaps[j].strip() == "," and j + 1 < len(terms) and terms[j + 1].content:
            pairs |= {(terms[i].key, terms[i + 1].key), (terms[j].key, terms[j + 1].key)}
    return pairs


def _ends_a_list(terms: list[Term], gaps: list[str], at: int) -> bool:
    """From the comma after the word at `at`, the items that follow reach an "and" or an "or"."""
    # "the flour, the water, and the salt": items led by a determiner, each of them, the first too
    determined = at + 1 < len(terms) and terms[at + 1].raw in DETERMINERS
    if determined and _led_by_a_determiner(terms, at) is None:
        return False
    k, commas = at + 1, 1 + (determined and _after_a_listed_item(terms, gaps, at))
    while k < len(terms):
        if terms[k].raw in ("and", "or"):
            return commas >= 2 or not determined  # not "if the dough is cold, the yeast and ..."
        if "," in gaps[k - 1] and (terms[k].raw in DETERMINERS) != determined:
            return False  # "your calcium, phosphorus, and ...": a list whose items are not all alike
        if not terms[k].content and not (determined and "," in gaps[k - 1]):
            return False
        if _PUNCTUATION.search(gaps[k]) and gaps[k].strip() != ",":
            return False
        commas += "," in gaps[k]
        k += 1
    return False


def _led_by_a_determiner(terms: list[Term], at: int) -> int | None:
    """The offset of the determiner right before the run of content words that ends at `at` ("the water"); None if
    another word, or none, comes before it."""
    k = at
    while k >= 0 and terms[k].content:
        k -= 1
    return k if k >= 0 and terms[k].raw in DETERMINERS else None


def _after_a_listed_item(terms: list[Term], gaps: list[str], at: int) -> bool:
    """The item that ends at `at`, led by a determiner, follows another so led and a comma ("the flour, [the
    water]")."""
    lead = _led_by_a_determiner(terms, at)
    return bool(lead) and "," in gaps[lead - 1] and _led_by_a_determiner(terms, lead - 1) is not None


def _next_item(terms: list[Term], gaps: list[str], at: int) -> str:
    """The key of the content word after the comma that follows the word at `at`, past an "and" or "or" and a
    determiner; "" if no comma alone follows it or no content word comes next."""
    if gaps[at].strip() != ",":
        return ""
    k = at + 1
    if k < len(terms) and terms[k].raw in ("and", "or") and not _PUNCTUATION.search(gaps[k]):
        k += 1
    if k < len(terms) and terms[k].raw in DETERMINERS:  # "the flour, the water"
        k += 1
    return terms[k].key if k < len(terms) and terms[k].content else ""


def _keys(terms: list[Term]) -> frozenset[str]:
    return frozenset(term.key for term in terms if term.content)


def _back_past(terms: list[Term], at: int, words: frozenset[str] = frozenset()) -> int:
    """The offset of the first word from `at` back that is neither one of `words` nor an adverb in "-ly" ("is
    directly inhibited"); -1 if there is none."""
    while at >= 0 and (terms[at].raw in words or terms[at].raw.endswith("ly")):
        at -= 1
    return at


def _on_past(terms: list[Term], at: int, words: frozenset[str]) -> int:
    """The offset of the first word from `at` on that is not one of `words`; len(terms) if there is none."""
    while at < len(terms) and terms[at].raw in words:
        at += 1
    return at


# --- voice: a verb made passive, its subject and object kept where they were --------------------------------------
# The words that bring in a passive's agent: "inhibited by X", and "killed through X", "leavened via X".
AGENT_WORDS = frozenset({"by", "through", "via"})


def passive_turned(claim: str, sentence_terms: list[Term], vocabulary: Vocabulary) -> str | None:
    """The key of a word the claim (a statement, normalised) makes the agent of a verb in the passive ("X is
    inhibited by Y": Y) that the sentence says in the active with that word only after it, as its object ("X ...
    inhibiting Y"), or makes the passive's subject (X) where the sentence has it only before the verb, as its
    subject: the verb made passive with its subject and object left where they stood. The agent may come first, set
    apart by a comma ("by Y, X are directly inhibited"), or a question asked with "by what" first ("by what are X
    directly inhibited?"), where it is read only if the sentence says the verb in the active wherever it says it, and
    turned round at each place. None if it makes none so."""
    claim_terms = vocabulary.terms(claim)
    for at, be, actives in _passives(claim_terms, sentence_terms):
        subject = frozenset().union(*(_before_verb(sentence_terms, i) for i in actives))
        obj = frozenset().union(*(_after(sentence_terms, i) for i in actives))
        agent = _after(claim_terms, at) - _shared_tail(claim_terms, at + 1, sentence_terms, actives)
        patient = run_keys(claim_terms, be - 1, -1) if be else frozenset()
        crossed = (agent & (obj - subject)) | (patient & (subject - obj))
        if crossed:
            return next(t.key for t in claim_terms if t.key in crossed)  # in the claim's reading order
    if claim_terms and claim_terms[0].raw in AGENT_WORDS:
        return _fronted_agent_turned(*vocabulary.terms_and_gaps(claim), sentence_terms)
    if claim_terms and claim_terms[0].raw in _ASKS_WHY_OR_HOW:
        return _asked_passive_turned(claim_terms, sentence_terms)
    return None


_ASKS_WHY_OR_HOW = frozenset("why how when where".split())


def _asked_passive_turned(terms: list[Term], sentence_terms: list[Term]) -> str | None:
    """passive_turned of a question asked with "why", "how", "when" or "where" and inverted about "be", its agent
    after the verb ("where is the heat killed by the yeast?" for "the heat kills the yeast near the crust"). None if the
    question is not so made or turns nothing round."""
    asked = _asked_passive(terms, sentence_terms)
    if asked is None:
        return None
    verb, agent, patient, _ = asked
    return _agent_turned(terms, terms[verb].key, agent, patient, sentence_terms)


def _asked_passive(terms: list[Term],
                   sentence_terms: list[Term]) -> tuple[int, frozenset[str], frozenset[str], list[int]] | None:
    """(the offset of its verb, its agent's keys, its patient's keys, the offsets of the sentence's verb in the
    active) of a question asked with "why", "how", "when" or "where" and inverted about "be", its patient the run of
    content words between "be" and the verb, its agent the run after the "by" right after the verb ("why is little
    care needed by hub gears?"), what it shares at its end with the sentence's object aside ("where is the yeast killed
    by the heat near the crust" for "the heat kills the yeast near the crust"); None if it is not so made."""
    if len(terms) < 5 or terms[0].raw not in _ASKS_WHY_OR_HOW or terms[1].raw not in BE_FORMS:
        return None
    start = _on_past(terms, 2, DETERMINERS)
    verb = start
    while verb < len(terms) and terms[verb].content:
        verb += 1
    verb -= 1
    if verb <= start or verb + 1 >= len(terms) or terms[verb + 1].raw not in AGENT_WORDS:
        return None
    actives = [i for i, said in enumerate(sentence_terms) if said.key == terms[verb].key and _active(sentence_terms, i)]
    agent = run_keys(terms, _on_past(terms, verb + 2, DETERMINERS), 1) - _shared_tail(terms, verb + 2, sentence_terms,
                                                                                      actives)
    patient = _keys(terms[start:verb])
    return verb, agent - patient, patient - agent, actives


def _asked_patient_beside_verb(terms: list[Term], sentence_terms: list[Term]) -> set[tuple[str, str]]:
    """(the patient's last word, the verb) of a question asked with "why", "how", "when" or "where" and inverted about
    "be" (_asked_passive) whose agent holds a word of the sentence's subject of the verb in the active, and which
    turns nothing round: "why is little care needed by hub gears?" for "hub gears need little care" brings "care" and
    "needed" side by side, as the passive does; and the agent beside what follows the sentence's object, which stays
    where it was ("where is the yeast killed by the heat near the crust" for "the heat kills the yeast near the
    crust"). None of a question whose agent is not the sentence's subject ("why is little care needed by the
    wheel?")."""
    asked = _asked_passive(terms, sentence_terms)
    if asked is None:
        return set()
    verb, agent, patient, actives = asked
    subjects = frozenset().union(*(_before_verb(sentence_terms, i) for i in actives))
    if agent.isdisjoint(subjects) or _agent_turned(terms, terms[verb].key, agent, patient, sentence_terms):
        return set()
    return _patient_beside_verb(terms, verb, sentence_terms) | _agent_beside(terms, verb + 1, actives, sentence_terms)


def _fronted_agent_turned(terms: list[Term], gaps: list[str], sentence_terms: list[Term]) -> str | None:
    """passive_turned of a claim that puts its passive's agent first, set apart by a comma, and the verb last in its
    clause ("by Y, X are directly inhibited"): the key of a word of Y that the sentence has only as the active verb's
    object, or of X that it has only as its subject; None if it turns none round, or the claim is not so made."""
    comma = next((i for i in range(len(terms) - 1) if "," in gaps[i]), None)
    if comma is None:
        return _asked_by_turned(terms, sentence_terms)
    be = next((i for i in range(comma + 1, len(terms)) if terms[i].raw in BE_FORMS), None)
    if be is None or be == comma + 1:
        return None
    verb = _past_adverbs(terms, be + 1)
    if verb >= len(terms) or not terms[verb].content:
        return None
    if verb + 1 < len(terms) and not _PUNCTUATION.search(gaps[verb]):
        return None  # not the verb of a passive whose agent comes first: that ends its clause ("..., X are inhibited.")
    # a word the claim says on both sides of the comma decides nothing ("by Kliment of Ohrid, the pupils at the Ohrid
    # school were taught")
    before, after = _keys(terms[:comma + 1]), _keys(terms[comma + 1:be])
    agent = run_keys(terms[:comma + 1], _on_past(terms, 1, DETERMINERS), 1) - after
    patient = run_keys(terms[comma + 1:be], be - comma - 2, -1) - before
    return _agent_turned(terms, terms[verb].key, agent, patient, sentence_terms)


def _asked_by_turned(terms: list[Term], sentence_terms: list[Term]) -> str | None:
    """passive_turned of a question asked with its agent word first, inverted about its verb "be" ("by what is the
    heat killed ...?", its answer in the place of "what": "by <answer> is the heat killed ..."): the agent the run
    before "be", the patient the run after it up to the verb, the first of its words in "-ed" or "-en" that the
    sentence says in the active. None if the question is not so made or turns nothing round."""
    inverted = _inverted_by(terms, sentence_terms)
    if inverted is None:
        return None
    be, start, verb = inverted
    agent = run_keys(terms[:be], _on_past(terms, 1, DETERMINERS), 1)
    patient = _keys(terms[start:verb]) - agent
    return _agent_turned(terms, terms[verb].key, agent - patient, patient, sentence_terms)


def _inverted_by(terms: list[Term], sentence_terms: list[Term]) -> tuple[int, int, int] | None:
    """(the offsets of its verb "be", of its patient's first word, of its verb) of a statement that starts with an agent
    word and is inverted about "be" ("by <answer> is the heat killed ..."): the verb the first word after the patient's
    first in "-ed" or "-en" that the sentence says in the active, the patient's words all content words; None if the
    statement is not so made. Its first word is an agent word."""
    be = next((i for i in range(2, len(terms)) if terms[i].raw in BE_FORMS), None)
    if be is None:
        return None
    start = _on_past(terms, be + 1, DETERMINERS)
    actives = _active_keys(sentence_terms)
    verb = next((k for k in range(start + 1, len(terms)) if terms[k].raw.endswith(("ed", "en"))
                 and terms[k].key in actives), None)  # a participle in "-ed" or "-en": "killed", "written"
    if verb is None or not all(terms[k].content for k in range(start, verb)):
        return None
    return be, start, verb


def _active_keys(terms: list[Term]) -> set[str]:
    return {term.key for i, term in enumerate(terms) if term.content and _active(terms, i)}


def _agent_turned(terms: list[Term], verb: str, agent: frozenset[str], patient: frozenset[str],
                  sentence_terms: list[Term]) -> str | None:
    """The first key of the claim's terms that its passive of `verb` puts in the agent (`agent`) where the sentence
    has it only as the active verb's object, or in the patient where it has it only as the subject, at each place the
    sentence says the verb, all of them in the active or in a passive with its agent ("the crumb is set by the heat":
    "the heat" its subject, "the crumb" its object); None if it puts none so."""
    places = [i for i, said in enumerate(sentence_terms) if said.key == verb]
    sides = [(_before_verb(sentence_terms, i), _after(sentence_terms, i)) if _active(sentence_terms, i)
             else _passive_sides(sentence_terms, i) for i in places]
    if not sides or None in sides:
        return None
    crossed: set[str] = set()
    for subject, obj in sides:  # turned round at each place the sentence says the verb
        here = (agent & (obj - subject)) | (patient & (subject - obj))
        if not here:
            return None
        crossed |= here
    return next((t.key for t in terms if t.key in crossed), None)


def passive_neighbours(claim: str, sentence_terms: list[Term], vocabulary: Vocabulary) -> set[tuple[str, str]]:
    """(a word of a passive's agent, the word right after it) for each verb the claim (a statement, normalised) puts in
    the passive that the sentence says in the active with that word of the agent in its subject and the other word
    right after a word of its object: the two words a passive brings side by side ("mild itching is noticed by some
    people before ..." for "some people notice mild itching before ..."); and (the patient's last word, the verb) of a
    passive question inverted about "be" that keeps the sentence's object as its patient ("by what is the yeast killed
    ...?" for "the heat kills the yeast"; "where is the yeast killed by the heat?", its agent the sentence's subject:
    _asked_patient_beside_verb)."""
    claim_terms = vocabulary.terms(claim)
    met = set()
    for at, _, actives in _passives(claim_terms, sentence_terms):
        met |= _agent_beside(claim_terms, at, actives, sentence_terms)
    if claim_terms and claim_terms[0].raw in _ASKS_WHY_OR_HOW:
        met |= _asked_patient_beside_verb(claim_terms, sentence_terms)
    if claim_terms and claim_terms[0].raw in AGENT_WORDS:
        inverted = _inverted_by(claim_terms, sentence_terms)
        if inverted is not None:
            met |= _patient_beside_verb(claim_terms, inverted[2], sentence_terms)
        else:
            met |= _patient_said_whole(claim_terms, sentence_terms)
    return met


def _agent_beside(claim_terms: list[Term], at: int, actives: list[int],
                  sentence_terms: list[Term]) -> set[tuple[str, str]]:
    """(a word of the agent after the claim's "by" at `at`, the word right after it) where the sentence has the first in
    the subject of its active verb (at `actives`) and the second right after a word of its object."""
    agent = _phrase(claim_terms, at + 1)
    met = set()
    for i in actives:
        subject = _before_verb(sentence_terms, i)
        after_object = {sentence_terms[m + 1].key for m in _phrase(sentence_terms, i + 1)
                        if m + 1 < len(sentence_terms) and sentence_terms[m + 1].content}
        met |= {(claim_terms[k].key, claim_terms[k + 1].key) for k in agent
                if k + 1 < len(claim_terms) and claim_terms[k].key in subject
                and claim_terms[k + 1].key in after_object}
    return met


def _patient_said_whole(claim_terms: list[Term], sentence_terms: list[Term]) -> set[tuple[str, str]]:
    """(the patient's last word, the verb) of a passive question inverted about "be" whose patient is a phrase with
    stop-words inside ("by what is the amount of calcium that skin cells can absorb reduced?"), where the sentence
    says the patient word for word right after the verb in the active ("calcium blockers reduce the amount of calcium
    that skin cells can absorb"): the verb is the question's last word, in "-ed" or "-en"."""
    be = next((i for i in range(2, len(claim_terms)) if claim_terms[i].raw in BE_FORMS), None)
    verb = len(claim_terms) - 1
    if be is None or verb - be < 3 or not claim_terms[verb].raw.endswith(("ed", "en")):
        return set()
    patient = [term.raw for term in claim_terms[_on_past(claim_terms, be + 1, DETERMINERS):verb]]
    for at, said in enumerate(sentence_terms):
        if said.key == claim_terms[verb].key and _active(sentence_terms, at):
            start = _on_past(sentence_terms, at + 1, DETERMINERS)
            if [term.raw for term in sentence_terms[start:start + len(patient)]] == patient:
                return {(claim_terms[verb - 1].key, claim_terms[verb].key)}
    return set()


def _patient_beside_verb(claim_terms: list[Term], verb: int, sentence_terms: list[Term]) -> set[tuple[str, str]]:
    """(the patient's last word, the verb) of a passive question inverted about "be" ("by what is the yeast killed
    ...?"), where the sentence has that word as the active verb's object ("the heat kills the yeast"): the question
    brings the two side by side."""
    pair = (claim_terms[verb - 1].key, claim_terms[verb].key)
    places = [i for i, said in enumerate(sentence_terms) if said.key == pair[1] and _active(sentence_terms, i)]
    return {pair} if any(pair[0] in _after(sentence_terms, i) for i in places) else set()


def _shared_tail(claim_terms: list[Term], start: int, sentence_terms: list[Term], actives: list[int]) -> set[str]:
    """The keys of the words that end both the claim's agent phrase (from `start`) and the sentence's object phrase
    after one of its active verbs, the same words in the same order, one word of each phrase left: what follows
    both, which stays where it was ("noticed by some people before" for "notice mild itching or redness before")."""
    claimed = [claim_terms[k].key for k in _phrase(claim_terms, start)]
    tail: set[str] = set()
    for i in actives:
        said = [sentence_terms[m].key for m in _phrase(sentence_terms, i + 1)]
        n = 0
        while n < min(len(claimed), len(said)) - 1 and claimed[-1 - n] == said[-1 - n]:
            n += 1
        tail |= set(claimed[len(claimed) - n:])
    return tail


def _passives(claim_terms: list[Term], sentence_terms: list[Term]) -> list[tuple[int, int, list[int]]]:
    """(the offset of its "by", of its verb "be", the offsets of the sentence's verb in the active) for each verb the
    claim puts in the passive ("is ... inhibited by") that the sentence says in the active."""
    found = []
    for at, term in enumerate(claim_terms):
        if term.raw not in AGENT_WORDS or at < 2 or not claim_terms[at - 1].content:
            continue
        be = _back_past(claim_terms, at - 2)
        if be < 0 or claim_terms[be].raw not in BE_FORMS:
            continue
        verb = claim_terms[at - 1].key
        actives = [i for i, said in enumerate(sentence_terms) if said.key == verb and _active(sentence_terms, i)]
        if actives:
            found.append((at, be, actives))
    return found


def _phrase(terms: list[Term], start: int) -> list[int]:
    """The offsets of the content words of the phrase from `start`, past determiners, through content words joined by
    "and" or "or" ("the yeast near", "mild itching or redness before")."""
    j = _on_past(terms, start, DETERMINERS)
    found = []
    while j < len(terms) and (terms[j].content or (found and terms[j].raw in ("and", "or")
                                                   and j + 1 < len(terms) and terms[j + 1].content)):
        if terms[j].content:
            found.append(j)
        j += 1
    return found


def _active(terms: list[Term], at: int) -> bool:
    """The verb at `at` is in the active: no "by" after it, no verb "be" before it (adverbs aside)."""
    if at + 1 < len(terms) and terms[at + 1].raw == "by":
        return False
    k = _back_past(terms, at - 1)
    return k < 0 or terms[k].raw not in BE_FORMS


def _before_verb(terms: list[Term], at: int) -> frozenset[str]:
    """The run of content words before a verb, past its adverbs: its subject ("magnesium levels directly inhibit")."""
    k = _back_past(terms, at - 1)
    return run_keys(terms, k, -1) if k >= 0 else frozenset()


def _after(terms: list[Term], at: int) -> frozenset[str]:
    """The run of content words after the word at `at`, past determiners: its object ("inhibit the precipitation")."""
    return run_keys(terms, _on_past(terms, at + 1, DETERMINERS), 1)


# --- relative clauses: the verb of a relative clause and the verb of its sentence ---------------------------------
# What may stand between a relative pronoun and its verb, besides AUXILIARIES; a verb "be" there makes no verb of the
# next word ("tissue that is damaged or inflamed"), and the clause is not read.
_ADVERBS = frozenset("often also sometimes always never not".split())


def relative_turned(claim: str, sentence: str, vocabulary: Vocabulary) -> str | None:
    """The key of the verb the claim (a statement, normalised) puts in a relative clause of a noun ("people who
    release ...") where the sentence's relative clause of that noun has another verb ("people who get ...") and the
    sentence says the claim's verb elsewhere, while the claim says the sentence's verb elsewhere: the two verbs
    swapped between the clause and its sentence. A subject relative clause only - "who", or "that" or "which" before
    a modal or an auxiliary ("conditions that can lead to ...") -, whose verb is its first content word; an object
    relative clause ("the formation that supersaturation can lead to") has its subject there. The sentence's "that"
    right before a word is read so only where the claim keeps the word after each verb (`_carried`): "diseases that
    cause abnormal amounts ... lead to a form ..." asked as "diseases that lead to a form ... cause abnormal amounts of
    what?". The sentence's clause set
    apart by a comma ("bakers, who rise early, bake bread") says its verb of every such noun, as the sentence's verb
    does, and the two may change places. None if none."""
    claim_terms = vocabulary.terms(claim)
    claimed = _relative_verbs(claim_terms, loose=True)
    if not claimed:
        return None
    sentence_terms, gaps = vocabulary.terms_and_gaps(sentence)
    said = _relative_verbs(sentence_terms, restrictive_in=gaps)
    doubtful = _relative_verbs(sentence_terms, loose=True, restrictive_in=gaps) - said
    said_keys = {term.key for term in sentence_terms}
    claim_keys = {term.key for term in claim_terms}
    joined = coordinated_pairs(sentence_terms)
    alternatives = {frozenset(pair) for pair in joined.by_and | joined.by_or}
    for antecedent, verb in claimed:
        theirs = {v for a, v in said if a == antecedent} | {
            v for a, v in doubtful if a == antecedent and (_carried((v, verb), claim_terms, sentence_terms)
                                                           or _without_object(v, verb, claim_terms, sentence_terms))}
        if not theirs or verb in theirs or verb not in said_keys:
            continue
        if any(frozenset((verb, v)) in alternatives for v in theirs):
            continue  # "who smoke or drink" as "who drink or smoke"
        if any(v in claim_keys and (antecedent, v) not in claimed for v in theirs):
            return verb
    return None


def relative_head_traded(claim: str, sentence: str, vocabulary: Vocabulary) -> str | None:
    """The key of the noun the claim (a statement, normalised) gives a subject relative clause ("signallers who pass
    a red signal") whose verb the sentence gives only to another noun ("drivers who pass a red signal ... report it
    to the signaller"), where the sentence says the claim's noun elsewhere and the claim says the sentence's: the two
    nouns traded, the clause moved from one to the other. "who" clauses of the claim, and the sentence's not set
    apart by a comma (`_relative_verbs`), of a content word ("those who get stones" for "people who get stones" is
    not read); none where the claim gives the verb to the sentence's noun too. None if none."""
    claim_terms = vocabulary.terms(claim)
    claimed = {(noun, verb) for noun, verb in _relative_verbs(claim_terms) if noun in content_keys(claim_terms)}
    if not claimed:
        return None
    sentence_terms, gaps = vocabulary.terms_and_gaps(sentence)
    said = {(noun, verb) for noun, verb in _relative_verbs(sentence_terms, restrictive_in=gaps)
            if noun in content_keys(sentence_terms)}
    said_keys = {term.key for term in sentence_terms}
    claim_keys = {term.key for term in claim_terms}
    for antecedent, verb in claimed:
        theirs = {a for a, v in said if v == verb}
        if not theirs or antecedent in theirs or antecedent not in said_keys:
            continue
        if any(a in claim_keys and (a, verb) not in claimed for a in theirs):
            return antecedent
    return None


def that_turned(claim: str, sentence: str, vocabulary: Vocabulary) -> str | None:
    """The key of the first word the claim (a statement, normalised) puts before its one "that" where the sentence has
    it only after its own one "that", where the claim also puts after it a word the sentence has only before it: the
    two sides of "that" traded, whether it opens a clause of what is said ("a single yellow aspect warns that the next
    signal shows red" claimed as "red warns that the next signal shows a single yellow aspect") or a relative clause
    ("count the wheels that enter a section" claimed as "count the sections that the wheels enter"). A word moved one
    way only ("what does a single yellow aspect warn that the next signal shows?" - "red") is not read so, nor a
    claim or sentence that says "that" other than once, nor a claim that keeps before "that" no word the sentence
    has only before it ("warns", "count"): a noun phrase turned from a subject relative clause into an object one
    says the same ("the crystal formation that supersaturation can lead to"). None if none."""
    claim_terms = vocabulary.terms(claim)
    claimed = _that_sides(claim_terms)
    if claimed is None:
        return None
    said = _that_sides(vocabulary.terms(sentence))
    if said is None:
        return None
    moved_before = claimed[0] & (said[1] - said[0])
    if not moved_before or claimed[1].isdisjoint(said[0] - said[1]) or claimed[0].isdisjoint(said[0] - said[1]):
        return None
    return next(term.key for term in claim_terms if term.key in moved_before)


def _that_sides(terms: list[Term]) -> tuple[frozenset[str], frozenset[str]] | None:
    """(the keys before the terms' one "that", the keys after it); None where they say "that" other than once."""
    at = [i for i, term in enumerate(terms) if term.raw == "that"]
    if len(at) != 1:
        return None
    return _keys(terms[:at[0]]), _keys(terms[at[0] + 1:])


def _carried(verbs: tuple[str, ...], claim_terms: list[Term], sentence_terms: list[Term]) -> bool:
    """Each of the verbs (keys) has the same content word after it, past stop-words, in the claim as in the sentence:
    the two swapped with their objects ("diseases that lead to a form ... cause abnormal amounts" for "diseases that
    cause abnormal amounts ... lead to a form"), which tells the sentence's "that" right before a verb from an object
    relative clause's ("the loaves that customers order ...")."""
    return all(_next_content(claim_terms, verb) == _next_content(sentence_terms, verb) != "" for verb in verbs)


def _without_object(said: str, claimed: str, claim_terms: list[Term], sentence_terms: list[Term]) -> bool:
    """The sentence's verb of the clause (`said`) has no object, the claim's verb (`claimed`) right after it ("a lock
    that leaks loses water"), and the claim keeps the word after its verb: "a lock that loses water leaks ..." swaps
    the two verbs, the sentence's "that" being a subject relative clause's."""
    return (_next_content(sentence_terms, said) == claimed
            and _next_content(claim_terms, claimed) == _next_content(sentence_terms, claimed) != "")


def _next_content(terms: list[Term], key: str) -> str:
    """The key of the first content word after the first word of the terms whose key is `key`; "" if none."""
    at = next((i for i, term in enumerate(terms) if term.key == key), len(terms))
    return next((term.key for term in terms[at + 1:] if term.content), "")


def _relative_verbs(terms: list[Term], loose: bool = False,
                    restrictive_in: list[str] | None = None) -> set[tuple[str, str]]:
    """(the antecedent's key, the verb's key) of each subject relative clause of the terms; `loose`, also of "that" or
    "which" right before a run of content words that no modal or auxiliary follows ("bakers that bake bread", "those
    that often mistake them"), which may still be an object relative clause's subject ("the bread that bakers bake";
    "the amount of calcium that skin cells can absorb" is not read): read so for a claim only, whose clause counts
    only where the sentence has a subject relative clause of the same noun and says the claim's verb elsewhere. With
    the text's gaps (`restrictive_in`), not of a pronoun after a comma: "bakers, who rise early, ..." is no clause that
    tells which bakers."""
    found = set()
    for at, term in enumerate(terms):
        if term.raw not in ("who", "that", "which") or not at:
            continue
        if restrictive_in is not None and "," in restrictive_in[at - 1]:
            continue
        if not (terms[at - 1].content or term.raw == "who" or (loose and terms[at - 1].raw == "those")):
            continue  # "who" may follow a pronoun: "those who develop them"
        j = at + 1
        while j < len(terms) and (terms[j].raw in AUXILIARIES or terms[j].raw in _ADVERBS
                                  or terms[j].raw.endswith("ly")):
            j += 1
        if j == len(terms) or not terms[j].content or terms[j].raw in BE_FORMS:
            continue
        if term.raw != "who" and j == at + 1 and not (loose and _no_verb_after(terms, j)):
            continue
        found.add((terms[at - 1].key, terms[j].key))
    return found


def _no_verb_after(terms: list[Term], at: int) -> bool:
    """The run of content words from `at` is followed by no modal or auxiliary, as an object relative clause's subject
    is ("that skin cells can absorb")."""
    j = at
    while j < len(terms) and terms[j].content:
        j += 1
    return j == len(terms) or (terms[j].raw not in AUXILIARIES and terms[j].raw not in BE_FORMS)


# --- an active verb asked with its subject and object turned round ------------------------------------------------
ASKS_A_VERB = frozenset({"what", "which", "who"})  # the first word of a question read about its verb
_DO = frozenset({"do", "does", "did"})


class Asked(NamedTuple):
    """A question read about one verb: the verb's key, the keys of its subject and of its object, the answer's among
    them on the side the question asks for."""

    verb: str
    subject: frozenset[str]
    object: frozenset[str]
    preposition: str = ""  # the object is this preposition's, after the verb's pronoun ("mistake them for")


def active_turned(question: list[Term], answer: list[Term], sentence_terms: list[Term]) -> str | None:
    """The key of a word the question and its answer (their terms) put as the subject of an active verb where the
    sentence has it only as that verb's object, or the other way round: "what directly inhibits adequate magnesium
    levels?" - "the precipitation of hydroxyapatite crystals", where the sentence says "... directly inhibiting the
    precipitation of hydroxyapatite crystals". Three shapes of question are read (see `_asked`): the subject asked,
    "what [adverbs] <verb> <object>?", the object asked with "do", "what do <subject> <verb>?", and the object asked
    in a statement's order, "<subject> <verb> what?". The sentence's
    verb in the active has its subject right before it (past adverbs and auxiliaries) and its object right after it;
    in the passive, its subject after "by" and its object before the verb "be". A sentence that says the verb more
    than once turns the claim round only where it does so at each. None if it turns none round."""
    asked = _asked(question, frozenset(content_keys(answer)), sentence_terms)
    if asked is None:
        return None
    subject, obj = asked.subject - asked.object, asked.object - asked.subject  # a word on both sides decides nothing
    crossed: set[str] = set()
    sides = (_said_sides(sentence_terms, asked.verb) if not asked.preposition
             else _said_preposition_sides(sentence_terms, asked.verb, asked.preposition))
    for said_subject, said_object in sides:
        here = (subject & (said_object - said_subject)) | (obj & (said_subject - said_object))
        if not here:
            return None
        crossed |= here
    if not crossed:
        return None
    return next(term.key for term in question + answer if term.key in crossed)


def _asked(terms: list[Term], answer: frozenset[str], sentence_terms: list[Term]) -> Asked | None:
    """The question (its terms) read about its verb, its answer (`answer`, keys) put on the side it asks for: "what
    [directly] inhibits Y?" (the subject asked: the verb is the first content word after the wh-word, past adverbs,
    or after "is said to"; its object the run after it), "which N directly inhibit Y?" (the verb after an adverb in
    "-ly" that follows the wh-word's noun), "what [N] do X [directly] affect?" (the object asked: the subject is the
    run after "do", the verb the last word of that run that is no adverb in "-ly", which ends the question or is
    followed by a word of order or a preposition's phrase that ends it), with a modal for "do" (see `_modal_asked`),
    and "X V what?" (see `_object_asked_last`). None for a question of another shape: a wh-word neither first nor
    last, a verb "be" ("what is inhibited by ...?"), "which N V ...?" with no adverb (its noun and its verb one run of
    words)."""
    if len(terms) >= 3 and terms[-1].raw == "what" and terms[0].raw not in ASKS_A_VERB:
        return _object_asked_last(terms, answer)
    if len(terms) < 3 or terms[0].raw not in ASKS_A_VERB:
        return None
    noun = 1
    while noun < len(terms) and terms[noun].content:
        noun += 1  # "which crystals does ..."
    if noun < len(terms) and terms[noun].raw in _DO:
        return (_complement_asked(terms, noun, answer | _keys(terms[1:noun]), sentence_terms)
                or _object_asked(terms, noun, answer | _keys(terms[1:noun]))
                or _preposition_asked(terms, noun, answer | _keys(terms[1:noun])))
    if noun < len(terms) and terms[noun].raw in MODALS:
        return _modal_asked(terms, noun, answer | _keys(terms[1:noun]), sentence_terms)
    verb = _past_adverbs(terms, 1)
    if verb == 1 and terms[0].raw == "which":  # "which crystals directly inhibit ...": the verb after the adverb
        adverb = next((k for k in range(2, noun - 1) if terms[k].raw.endswith("ly")), None)
        if adverb is None:
            return None  # "which drug inhibits ...": its noun and the verb are one run of content words
        return _subject_asked(terms, _past_adverbs(terms, adverb), answer | _keys(terms[1:adverb]))
    return _subject_asked(terms, _past_hearsay(terms, verb), answer)


def _object_asked_last(terms: list[Term], asked: frozenset[str]) -> Asked | None:
    """"X [can] [adverbs] V what?" (a statement's order, its last word "what"): X the subject, the run right before V
    past adverbs and auxiliaries, V the verb, the answer (`asked`) its object ("arteries and heart valves affect
    what?"). None if no content word comes right before "what" (past adverbs: "milia are completely what?"; "lead to
    what?" asks for a preposition's object), or none before V."""
    verb = _back_past(terms, len(terms) - 2)
    if verb < 1 or not terms[verb].content:
        return None
    subject = _run(terms, _back_past(terms, verb - 1, AUXILIARIES), -1)
    return Asked(terms[verb].key, subject, asked) if subject else None


def _subject_asked(terms: list[Term], verb: int, asked: frozenset[str]) -> Asked | None:
    """The question read with the answer (`asked`) the subject of the verb at `verb`, its object the run after it;
    None if no content word is there, or one that an agent word follows ("what treated by X ...": a participle)."""
    if verb >= len(terms) or not terms[verb].content:
        return None
    if verb + 1 < len(terms) and terms[verb + 1].raw in AGENT_WORDS:
        return None
    return Asked(terms[verb].key, asked, _run(terms, _on_past(terms, verb + 1, DETERMINERS), 1))


# Participles that with a verb "be" before them and "to" after report what is said: "what is said to reduce ...?"
_HEARSAY = frozenset("said thought believed reported known claimed".split())


def _past_hearsay(terms: list[Term], at: int) -> int:
    """The offset after "is said to" (a verb "be", a word of _HEARSAY, "to") from `at`, past adverbs; `at` if none."""
    if at + 3 < len(terms) and terms[at].raw in BE_FORMS and terms[at + 1].raw in _HEARSAY and terms[at + 2].raw == "to":
        return _past_adverbs(terms, at + 3)
    return at


def _modal_asked(terms: list[Term], modal: int, asked: frozenset[str], sentence_terms: list[Term]) -> Asked | None:
    """"what can X [also] V?" (the object asked, X the subject; V ends the question or a word of order follows it) or
    "what can [also] V Y?" (the subject asked), told apart by the sentence: read as the one whose verb - the last word
    of the run after the modal, or its first - the sentence says right after a modal or an auxiliary ("can also
    accumulate") and the other not; None if the sentence tells neither or both."""
    start = _past_adverbs(terms, _on_past(terms, modal + 1, _ADVERBS | DETERMINERS))
    if start >= len(terms) or not terms[start].content:
        return None
    end = _phrase_end(terms, start, _IN_A_SUBJECT | _ADVERBS)
    verb = _back_past(terms, end - 1)  # "what can the baker bake evenly?"
    last = verb if verb > start and _ends_a_verb_phrase(terms, end) else None
    said = {t.key for i, t in enumerate(sentence_terms) if _after_a_modal(sentence_terms, i)}
    as_object = last is not None and terms[last].key in said
    if as_object == (terms[start].key in said):
        return None
    if not as_object:
        return _subject_asked(terms, start, asked)
    subject = _keys([term for term in terms[start:last] if not term.raw.endswith("ly") and term.raw not in _ADVERBS])
    return Asked(terms[last].key, subject, asked) if subject else None


def _after_a_modal(terms: list[Term], at: int) -> bool:
    """The word at `at` comes right after a modal or an auxiliary, adverbs ("directly", "also", "often") between."""
    k = _back_past(terms, at - 1, _ADVERBS)
    return k >= 0 and terms[k].raw in AUXILIARIES and terms[at].content


def _past_adverbs(terms: list[Term], at: int) -> int:
    """The offset of the first word from `at` on that is no adverb in "-ly" ("directly"); len(terms) if none."""
    while at < len(terms) and terms[at].raw.endswith("ly"):
        at += 1
    return at


def _object_asked(terms: list[Term], do: int, asked: frozenset[str]) -> Asked | None:
    """"what do X [adverbs] V ...?": X the subject, V the verb, the answer (`asked`) its object. X is a noun phrase,
    through "of", "and", "or" and determiners ("the precipitation of hydroxyapatite crystals"), and through "in" where
    an adverb in "-ly" shows where the verb is ("... crystals in soft tissues directly inhibit"); V is the phrase's
    last content word, or the one after such an adverb, which ends the question or which a word of order in time or
    place follows ("what do some people notice before ...?"). None if X has no content word, or another word follows
    V: the answer may be the object of a preposition or of another verb ("what do X look different from?")."""
    start = do + 1
    end = _phrase_end(terms, start, _IN_A_SUBJECT)
    verb = _back_past(terms, end - 1) if end - start >= 2 else end - 1  # "what does the oven bake evenly?"
    adverbial = _phrase_end(terms, start, _IN_A_SUBJECT | {"in"})
    marked = [k for k in range(start + 1, adverbial) if terms[k - 1].raw.endswith("ly") and terms[k].content
              and not terms[k].raw.endswith("ly")]
    if marked:
        verb = marked[0]
    subject = _keys([term for term in terms[start:verb] if not term.raw.endswith("ly")])
    if verb < start or not terms[verb].content or not subject:
        return None
    if not _ends_a_verb_phrase(terms, _past_adverbs(terms, verb + 1)):
        return None  # "what do nouns ending in -ung have?", "what do X look different from?": another verb's object
    return Asked(terms[verb].key, subject, asked)


def _complement_asked(terms: list[Term], do: int, asked: frozenset[str], sentence_terms: list[Term]) -> Asked | None:
    """"what do X V C?", where the sentence says "V [the] Y C" (C a word that says what V makes of its object: "the
    balance beam pushes the gate open"): X the subject, V the verb, the answer (`asked`) its object, as for "what do X
    V?". Read only where the question's phrase after "do" ends with its two content words V C, the question ending
    there or as after a verb (_ends_a_verb_phrase: "... sweep clean after a flood?"), and the sentence has C three
    words after V, a determiner and a content word between, never right after it. None for any other question."""
    end = _phrase_end(terms, do + 1, _IN_A_SUBJECT)
    if end < do + 4 or not (terms[end - 1].content and terms[end - 2].content) or not _ends_a_verb_phrase(terms, end):
        return None
    verb, complement = terms[end - 2].key, terms[end - 1].key
    said = [sentence_terms[at + 1:at + 4] for at, term in enumerate(sentence_terms) if term.key == verb]
    if not said or not all(len(after) == 3 and after[0].raw in DETERMINERS and after[1].content
                           and after[2].key == complement for after in said):
        return None
    subject = _keys([term for term in terms[do + 1:end - 2] if not term.raw.endswith("ly")])
    return Asked(verb, subject, asked) if subject else None


# Pronouns that may stand for a verb's object between it and a preposition that ends a question ("mistake them for?").
_OBJECT_PRONOUNS = frozenset("it them him her us you me".split())


def _preposition_asked(terms: list[Term], do: int, asked: frozenset[str]) -> Asked | None:
    """"what do X [adverbs] V <pronoun> P?", P a preposition that ends the question: X the subject, V the verb, the
    answer (`asked`) the object of P ("what do those who develop them often mistake them for?" - "calcium deposits").
    None for a question of another shape."""
    if len(terms) < do + 5 or terms[-1].raw not in LINK_WORDS or terms[-2].raw not in _OBJECT_PRONOUNS:
        return None
    verb = len(terms) - 3
    if not terms[verb].content or terms[verb].raw.endswith("ly") or terms[verb].raw in _ADVERBS:
        return None
    subject = _keys([term for term in terms[do + 1:verb] if not term.raw.endswith("ly") and term.raw not in _ADVERBS])
    return Asked(terms[verb].key, subject, asked, terms[-1].raw) if subject else None


def _said_preposition_sides(terms: list[Term], verb: str,
                            preposition: str) -> list[tuple[frozenset[str], frozenset[str]]]:
    """The keys of the subject the sentence (its terms) gives the verb (`verb`, a key) in the active, the run before it
    past adverbs and auxiliaries, and of the object of the preposition that follows the verb's own object ("those who
    develop them often mistake them for calcium deposits": {develop}, {calcium, deposits}), at each place it says it;
    none if a place says it otherwise."""
    sides = []
    for at, term in enumerate(terms):
        if term.key != verb:
            continue
        link = _on_past(terms, at + 1, _OBJECT_PRONOUNS | DETERMINERS)
        while link < len(terms) and terms[link].content:
            link += 1
        if link >= len(terms) or terms[link].raw != preposition or not _active(terms, at):
            return []
        before = _back_past(terms, at - 1, AUXILIARIES | _ADVERBS)
        sides.append((_run(terms, before, -1), _run(terms, _on_past(terms, link + 1, DETERMINERS), 1)))
    return sides


def _ends_a_verb_phrase(terms: list[Term], at: int) -> bool:
    """The word at `at` may follow a verb whose object a question asks for: none (the question ends), a word of order
    in time or place ("... before the bumps appear?"), or a preposition whose phrase, content words past determiners,
    ends the question ("what can the baker shape by hand?", "what do most bakers cover with a cloth?"); not one that
    ends the question itself, whose object the answer may be ("what do X look different from?"), nor one whose phrase
    another verb follows ("what gender do nouns ending in -ung have?": the verb is "have")."""
    if at >= len(terms) or terms[at].raw in RELATIONS:
        return True
    after = _on_past(terms, at + 1, DETERMINERS)
    return (terms[at].raw in LINK_WORDS and after < len(terms)
            and all(term.content for term in terms[after:]))


# The stop-words that may stand inside a verb's subject asked about with "do" ("the precipitation of ... crystals").
_IN_A_SUBJECT = DETERMINERS | frozenset({"of", "and", "or"})


def _phrase_end(terms: list[Term], start: int, inside: frozenset[str]) -> int:
    """The offset after the last content word of the run from `start` of content words and words of `inside`, up to
    a word of order in time or place, or a determiner right after a content word, which opens another phrase ("what
    did the fitter check [every week]?")."""
    end = k = start
    while k < len(terms) and terms[k].raw not in RELATIONS and (terms[k].content or terms[k].raw in inside):
        if k > start and terms[k].raw in DETERMINERS and terms[k - 1].content:
            break
        k += 1
        if terms[k - 1].content:
            end = k
    return end


def _said_sides(terms: list[Term], verb: str) -> list[tuple[frozenset[str], frozenset[str]]]:
    """The keys of the subject and of the object the sentence (its terms) gives the verb (`verb`, a key) at each place
    it says it: in the active, the run before it (past adverbs and auxiliaries) and the run after it; in the passive
    ("is ... inhibited by X"), the run after its agent word and the run before its verb "be"."""
    sides = []
    for at, term in enumerate(terms):
        if term.key != verb:
            continue
        before = _back_past(terms, at - 1, AUXILIARIES)
        sides.append(_passive_sides(terms, at)
                     or (_run(terms, before, -1), _run(terms, _on_past(terms, at + 1, DETERMINERS), 1)))
    return sides


def _passive_sides(terms: list[Term], at: int) -> tuple[frozenset[str], frozenset[str]] | None:
    """(the keys of the subject, of the object) of the verb at `at` said in the passive with its agent ("is ...
    inhibited by X"): the run after its agent word and the run before its verb "be"; None if it is not so said."""
    before = _back_past(terms, at - 1, AUXILIARIES)
    if not (at + 1 < len(terms) and terms[at + 1].raw in AGENT_WORDS and before >= 0 and terms[before].raw in BE_FORMS):
        return None
    return (_run(terms, _on_past(terms, at + 2, DETERMINERS), 1), _run(terms, _back_past(terms, before - 1), -1))


def _run(terms: list[Term], start: int, step: int) -> frozenset[str]:
    """The keys of the run of content words from `start` on (step 1) or back (step -1), as textnorm.run_keys reads
    it, up to a word of order in time or place ("before", "under"), which is no part of a verb's subject or object."""
    if not 0 <= start < len(terms):
        return frozenset()
    if step > 0:
        end = next((k for k in range(start, len(terms)) if terms[k].raw in RELATIONS), len(terms))
        return run_keys(terms[:end], start, 1)
    first = next((k for k in range(start, -1, -1) if terms[k].raw in RELATIONS), -1)
    return run_keys(terms[first + 1:], start - first - 1, -1)


# --- an apposition turned round: "what kind of N is X?" for an X that is itself a kind of N --------------------------
KIND_WORDS = frozenset("kind kinds type types sort sorts form forms".split())  # "what kind of N is X?"
_APPOSITION_MARKS = re.compile(r"[,(]")
_NEAR = 4  # at most so many words from a member to its kind in "colchicine (Colcrys), an anti-inflammatory medication"


def kind_turned(question: str, answer: str, sentence_terms: list[Term], sentence_gaps: list[str],
                vocabulary: Vocabulary) -> str | None:
    """The key of the first word of the kind that a question "what kind of N is X?" (normalised) makes the member,
    where X itself names N ("an anti-inflammatory medication"), the answer says a word besides N ("colchicine"; "rye
    flour" for "what kind of flour is a whole-grain flour?"), and the sentence names the answer first and X right after
    it, set apart by a comma or a bracket, as its kind, said "a X" or "a kind of X" ("colchicine (Colcrys), an
    anti-inflammatory medication"; "rye flour, a kind of whole-grain flour"): the claim says the kind is the member.
    "What kind of protein is an inhibitor of calcification?" - "MGP" is not read (its X names no protein), nor a member
    named after its kind ("whole-grain flours, such as rye flour"). None if the question is not so made or turns
    nothing round."""
    terms = vocabulary.terms(question)
    if len(terms) < 5 or terms[0].raw not in ("what", "which") or terms[1].raw not in KIND_WORDS \
            or terms[2].raw != "of":
        return None
    be = next((i for i in range(3, len(terms)) if terms[i].raw in BE_FORMS), None)
    if be is None:
        return None
    kind, named = _keys(terms[3:be]), [term.key for term in terms[be + 1:] if term.content]
    answered = content_keys(vocabulary.terms(answer)) - kind  # "rye flour": its "flour" names the kind asked about
    if not kind or kind.isdisjoint(named) or not answered:
        return None
    first = named[0]
    for j, term in enumerate(sentence_terms):
        if term.key != first or not _opens_a_kind(sentence_terms, j):
            continue
        near = range(max(0, j - _NEAR - _said_a_kind(sentence_terms, j)), j)
        if any(sentence_terms[i].key in answered for i in near) and any(
                _APPOSITION_MARKS.search(sentence_gaps[i]) for i in near):
            return first
    return None


def _opens_a_kind(terms: list[Term], at: int) -> bool:
    """The word at `at` starts a kind said "a N" or "a kind of N" ("rye flour, a whole-grain flour"), not a member
    named after its kind ("whole-grain flours, such as rye flour")."""
    return bool(at) and terms[at - 1].raw in ("a", "an") or bool(_said_a_kind(terms, at))


def _said_a_kind(terms: list[Term], at: int) -> int:
    """2 where "kind of" (or "type of", ...) comes right before the word at `at` ("rye flour, a kind of whole-grain
    flour"), which puts the kind two words further from its member; else 0."""
    return 2 if at >= 2 and terms[at - 1].raw == "of" and terms[at - 2].raw in KIND_WORDS else 0
