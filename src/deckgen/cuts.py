"""The gate's reading of where a quote is cut (README, "Sources and the traceability gate", rule 2d, cuts): a quote's
start or ' ... ' that falls inside a phrase of its sentence leaves out a word the sentence says of a word the quote
keeps, and the card then claims of the kept word what the sentence says only with the other.

- a modifier: the quote starts after the first word of its sentence and inside the phrase it opens ("glaciers lose
  ice by calving" of "Tidewater glaciers lose ice by calving"), or a ' ... ' skips words inside a phrase that "the"
  opens ("The ... moraine" of "The terminal moraine", "The oldest ... ice core" of "The oldest continuous ice core"):
  what the sentence says of one kind, or of one thing, is claimed of them all;
- a setting: the quote starts right after a phrase that opens its sentence with a preposition, no comma after it ("the
  Antarctic ice is more than 4 kilometres thick" of "In places the Antarctic ice …"): what holds in places, or at a
  time, is claimed to hold everywhere, or always;
- a preposition: a short ' ... ' (three words at most, no punctuation) ends with a preposition, and the words after
  it, its object, are read without it ("till is not sorted by size, ... the sand" of "…, unlike the sand"; "when ...
  its grains is squeezed out" of "when the air between its grains is squeezed out"), unless the claim says that
  preposition;
- a relative clause's head: a ' ... ' skips the noun that a "which" or "who" after it is about ("the centre ... which
  are slowed", of "the centre moves faster than its edges, which are slowed"), or ends with the "that" of a clause
  that has a subject of its own ("a cirque ... a glacier has carved" of "a cirque is a hollow that a glacier has
  carved"), or with any other "that" but where "be" and a noun come before it ("is a snail that", which makes the
  snail the word before the skip): the clause is given to a word before the ' ... ';
- a relative clause's subject: a ' ... ' right after "that", "which" or "who" skips the subject of the clause it opens
  ("a ridge of rock debris that ... has deposited", of "… that a glacier has deposited");
- a name: a ' ... ' right after "called" or "named" skips the name, where the card says such a word itself ("a sharp
  ridge called ... is left" answered with "a sharp ridge called a cirque").

A qualifier ("some", "most") left out is the qualifier rule's (README, qualifiers), not this one's. A skip that holds
a punctuation mark (an aside that commas set apart, list items) cuts no modifier and no preposition's object; nor does a
skip inside a phrase that "a" opens ("a ... shell" of "a single shell"), nor one of function words alone.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .sources import Unit
from .textnorm import DETERMINERS, QUALIFIERS, Term, Vocabulary

# The prepositions whose object a ' ... ' may not keep without them: each says how its object stands to the rest. Not
# "of", whose object is often what the words before it are made of or part of ("a ridge of rock debris": a card may
# say the moraine is rock debris); so not splices.PREPOSITIONS, the links a word makes.
_JOINING = frozenset("""to in on for with from at by into onto between unlike since without except despite
through across against among toward towards upon within via""".split())
_SHORT = 3  # the most words of a skip that ends with a preposition read as cutting inside one phrase
# The prepositions that open a phrase saying where or when the rest of the sentence holds ("in places", "during a
# surge", "after the ice withdrew").
_SETTINGS = frozenset("in at on during after before within throughout across under over near among until since".split())
_WHO = frozenset({"which", "who", "whom", "whose"})
_RELATIVES = _WHO | {"that"}
_NAMING = frozenset({"called", "named"})
# Words that stand for a subject named elsewhere: a quote that starts after one leaves out no word of a phrase.
_PRONOUNS = frozenset("i you he she it we they this these those there".split())
_CONTRACTED = re.compile(r"['’](?:re|ve|ll|d|m|s)$")
_WORD = re.compile(r"[\w'’-]+")
_IS_A = r"^ (?:is|are|was|were) [\w'’ -]+ that $"  # "is a snail that" (compiled when used: textnorm)
_PLAIN = re.compile(r"^ [\w'’ -]+ $")  # words and the spaces between them, and no punctuation
_PHRASE_TAIL = r"[\w'’ -]*$"  # a text's words after its last punctuation mark (compiled when used: textnorm)


class Cut(NamedTuple):
    """A place where the quote cuts a phrase: what it is, the word the quote keeps, and what it leaves out."""

    kind: str  # "modifier", "setting", "preposition", "relative-head", "relative-subject", "name"
    kept: str  # the quoted word next to the cut, as written (normalised)
    left_out: str  # the words of the sentence the cut leaves out, as written
    waived_by: str = ""  # a word the claim may say to take the cut's words as the sentence does (the preposition)
    only_with: frozenset[str] = frozenset()  # words of which the claim must say one for the cut to matter


def quote_cuts(norm: str, spans: tuple[tuple[int, int], ...], units: tuple[Unit, ...], vocabulary: Vocabulary
               ) -> list[Cut]:
    """Each place where the quote's start or a ' ... ' of it cuts a phrase of one of the units (`norm`: the document's
    normalised text, which the spans and the units' offsets are in)."""
    cuts: list[Cut] = []
    for unit in units:
        inside = [span for span in spans if span[0] < unit.end and span[1] > unit.start]
        if not inside:
            continue
        if inside[0] == spans[0] and spans[0][0] >= unit.start:
            before = norm[unit.start:inside[0][0]]
            cuts += _setting_cut(before) or _start_cut(before, norm[inside[0][0]:inside[0][1]], vocabulary)
        for (_, end), (after, after_end) in zip(inside, inside[1:]):
            cuts += _gap_cuts(norm[unit.start:end], norm[end:after], norm[after:after_end], vocabulary)
    return cuts


def _setting_cut(before: str) -> list[Cut]:
    """The phrase that opens the sentence, a preposition and the words after it with no comma, left out by a quote that
    starts right after it ("the Antarctic ice is more than 4 kilometres thick" of "In places the Antarctic ice …"): it
    says where or when the rest holds. Not one that holds a qualifier ("in most colonies"), which the qualifier rule
    reads."""
    words = before.split()
    if not words or words[0] not in _SETTINGS or not before.endswith(" ") or not _PLAIN.match(" " + before):
        return []
    if not QUALIFIERS.isdisjoint(words):
        return []
    return [Cut("setting", "", before.strip())]


def _start_cut(before: str, piece: str, vocabulary: Vocabulary) -> list[Cut]:
    """The sentence's first word, left out by a quote that starts right after it inside the phrase it opens: the quote's
    first two words are content words, as a phrase's last word and its verb are ("glaciers lose"); not where a
    preposition or a determiner follows the first ("measure a glacier's speed", the verb of a subject left out)."""
    if not before.endswith(" ") or len(before.split()) != 1 or not _WORD.fullmatch(before.strip()):
        return []
    word = before.strip()
    if word in _PRONOUNS or word in QUALIFIERS or _CONTRACTED.search(word):
        return []
    first = vocabulary.terms(" ".join(piece.split(" ", 2)[:2]))[:2]  # its first two words: all the rule reads
    if len(first) == 2 and all(term.content for term in first) and all(t.content for t in vocabulary.terms(word)):
        return [Cut("modifier", first[0].raw, word)]
    return []


def _gap_cuts(left: str, skipped: str, right: str, vocabulary: Vocabulary) -> list[Cut]:
    """What a ' ... ' that skips `skipped`, between the sentence up to it (`left`) and the next piece, cuts."""
    skipped_terms = vocabulary.terms(skipped)
    if not any(term.content for term in skipped_terms):
        return []
    left_words, skipped_words, right_words = _WORD.findall(left), _WORD.findall(skipped), _WORD.findall(right)
    if not left_words or not right_words:
        return []
    plain = bool(_PLAIN.match(skipped))
    said = skipped.strip()
    cuts = []
    if plain and _inside_the_phrase(left, skipped_terms, right, vocabulary):
        cuts.append(Cut("modifier", right_words[0], said))
    if plain and len(skipped_words) <= _SHORT and skipped_words[-1] in _JOINING:
        cuts.append(Cut("preposition", _to_content_word(right, vocabulary), said, waived_by=skipped_words[-1]))
    if right_words[0] in _WHO and skipped_terms[-1].content:
        cuts.append(Cut("relative-head", right_words[0], said))
    if skipped.endswith(" that ") and _gives_that_clause_away(skipped, right_words[0]):
        cuts.append(Cut("relative-head", "that", said))
    if left_words[-1] in _RELATIVES and not skipped.startswith(","):
        cuts.append(Cut("relative-subject", left_words[-1], said))
    if left_words[-1] in _NAMING:
        cuts.append(Cut("name", left_words[-1], said, only_with=_NAMING))
    return cuts


def _gives_that_clause_away(skipped: str, after: str) -> bool:
    """Whether a skip that ends with "that" gives the clause after it to the word before the skip: where the clause has
    a subject of its own (a determiner or a pronoun right after "that": "... that a glacier has carved"), always; else
    unless the skip only says, with "be", what the word before it is ("the dog whelk ... feeds on barnacles" of "the dog
    whelk is a snail that feeds on barnacles": the snail is the whelk)."""
    if after in DETERMINERS or after in _PRONOUNS:
        return True
    return not re.compile(_IS_A).match(skipped)


def _inside_the_phrase(left: str, skipped_terms: list[Term], right: str, vocabulary: Vocabulary) -> bool:
    """Whether the skip falls inside a phrase that "the" opens: "the" and content words before it, only content words
    skipped (no "-ly" adverb, which says how a verb acts, and no qualifier, "most", "some", which the qualifier rule
    reads), and a content word after it."""
    words = re.compile(_PHRASE_TAIL).search(left).group().split()
    opened = len(words) - 1 - words[::-1].index("the") if "the" in words else -1
    if opened < 0 or not all(term.content for term in vocabulary.terms(" ".join(words[opened + 1:]))):
        return False
    if not all(_a_modifier(term) for term in skipped_terms):
        return False
    after = vocabulary.terms(right)
    return bool(after) and after[0].content


def _to_content_word(text: str, vocabulary: Vocabulary) -> str:
    """The words of the text up to its first content word ("the sand"), as written."""
    words = []
    for term in vocabulary.terms(text):
        words.append(term.raw)
        if term.content:
            break
    return " ".join(words)


def _a_modifier(term: Term) -> bool:
    """Whether a skipped word may be a modifier of the word after it: a content word, no "-ly" adverb, no qualifier."""
    return term.content and not term.raw.endswith("ly") and term.raw not in QUALIFIERS


def claimed_cuts(cuts: list[Cut], stated: frozenset[str]) -> list[Cut]:
    """The cuts that matter to a claim that says the words `stated`: not a preposition's where the claim says it, and
    a name's only where the claim says "called" or "named"."""
    return [cut for cut in cuts if (not cut.waived_by or cut.waived_by not in stated)
            and (not cut.only_with or not cut.only_with.isdisjoint(stated))]
