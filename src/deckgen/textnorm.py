"""Text normalisation and the small vocabulary model the traceability gate reasons with.

Everything here is deliberately simple and inspectable: NFKC + case-fold + unified punctuation
for matching quotes, a short stop-word list, a light suffix stemmer, and an explicit synonym
table from the project (cards/synonyms.yaml). No fuzzy thresholds.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple

from .model import Lexicon

# Curly quotes, dashes and no-break spaces: each becomes one plain character.
ONE_FOR_ONE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ",
})


@lru_cache(maxsize=None)
def char_pattern(char: str) -> str:
    """A regex matching `char` or any character that normalize() turns into it (curly quotes, dashes)."""
    variants = [char] + [chr(code) for code, target in ONE_FOR_ONE.items() if target == char]
    return "[" + "".join(re.escape(v) for v in variants) + "]" if len(variants) > 1 else re.escape(char)


# Patterns compiled when used. A pattern that a rebuild after one card's edit mostly does not need (a rule that few
# cards reach, cloze cards', markup's, the template checks') is kept as its text, marked "compiled when used", and
# compiled where it is used, by re.compile, which keeps what it compiled for the rest of the process (re's own cache).
# Compiling every pattern as its module was imported was a tenth of the real deck's one-card rebuild; these are the
# costliest of those that rebuild never used. Patterns a card's check uses every time stay compiled at import.
_LIST_MARKER = r"(?m)^[ \t]*(?:[-*+\u2022]|#{1,6}|\d+[.)])[ \t]+"  # compiled when used
# What a list marker can start with, besides a decimal digit (\d): most texts start with neither, and
# are then known to have no marker without running the pattern.
_MARKER_STARTS = " \t-*+\u2022#"
_SPACE = re.compile(r"\s+")
# The blocks that hold combining marks (accents NFC cannot compose, as a stress mark on a Cyrillic vowel; Hebrew
# and Arabic vowel points; the vowel signs of Indic, Thai and Tibetan scripts, ...): what a word may hold besides
# letters and digits. Looked up here rather than written out: the category of each code point in these blocks.
_MARK_BLOCKS = ((0x0300, 0x036F), (0x0483, 0x0489), (0x0591, 0x05C7), (0x0610, 0x061A), (0x064B, 0x065F),
                (0x0670, 0x0670), (0x06D6, 0x06ED), (0x0711, 0x0711), (0x0730, 0x074A), (0x07A6, 0x07B0),
                (0x0900, 0x0DFF), (0x0E31, 0x0ECD), (0x0F18, 0x0FC6), (0x102B, 0x109D), (0x1712, 0x1734),
                (0x17B4, 0x17D3), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20F0), (0x302A, 0x302F),
                (0x3099, 0x309A), (0xFE20, 0xFE2F))


def _marks() -> str:
    """A character class body of every combining mark (Unicode category M) in _MARK_BLOCKS: its characters as
    written (none of them is special in a class), each run of consecutive ones as a range ("\u0300-\u036f"), which
    the regex compiler reads in a fraction of the time of the 842 characters one by one (every word pattern holds
    the class, so it is compiled on every start)."""
    category = unicodedata.category
    marks = [code for first, last in _MARK_BLOCKS for code in range(first, last + 1) if category(chr(code))[0] == "M"]
    runs: list[list[int]] = []
    for code in marks:
        if runs and runs[-1][1] == code - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return "".join(chr(first) if first == last else f"{chr(first)}-{chr(last)}" for first, last in runs)


# A word: letters and digits of any script ("karadžić", "ж", "1918") with the combining marks inside it ("вода́",
# "काम"), an apostrophe's ending kept ("don't"); on ASCII text, [a-z0-9] after lower(). A word of another script
# was no word at all: an answer "Ж" had nothing to check, and "Ш" could stand where the quote said "Ж".
_MARKS = _marks()
WORD_CHAR = r"(?:[^\W_]|[" + _MARKS + r"])"  # what a word is made of: a letter or digit, or a mark
# A number is one word, its decimal point, thousands separators, fraction or ratio mark and sign with it: "0.5" is not
# "5.0", "4.184" not "4,184", "140/90" not "90/140", "-273.15" not "273.15" ("10^-3" not "10^3"). A "-" is a sign
# only before a digit and after no letter or digit: "5-7" is a range, "mg-kg" a hyphen. Split into digit runs, as
# every other word is split at its punctuation, "5.0 mg" passed where a quote said "0.5 mg", and "35.7" where it
# said "7.35".
# Each alternative starts with a character to match, before any look-around: at the many places where no word starts,
# the pattern fails at once (with the look-arounds first it tokenised a third slower than one without numbers).
NUMBER_MARKS = ".,/:"  # what stands inside a number between its digits ("7.35", "1,000", "140/90", "1:1000")
_IN_NUMBER = rf"[{re.escape(NUMBER_MARKS)}](?<=\d[{re.escape(NUMBER_MARKS)}])(?=\d)"
_SIGN = r"-(?<![^\W_]-)(?=\d)"
# A comparison sign before a number is a word of its own: "< 140/90" is not "> 140/90", nor "≥ 140/90"; and so is a
# "≤" or "≥" that ends a text, as in a group of cards/synonyms.yaml ("- [≥, at least]"), but not a "<" or ">", which
# ends text that shows markup as typed ("<img src=x>").
_COMPARISON = r"[<>](?=\s?-?\d)|[\u2264\u2265](?=\s?-?\d|\Z)"
# A degree sign goes with the unit letter after it: "°c" is a unit, "c" (coulomb) another, and "37 °f" is not "37 °c".
_DEGREE = r"\u00b0(?=[^\W\d_])"
# A percent or per-mille sign is a word of its own: "500 %" is not "500 mg", nor "25 ‰" "25 %".
_PER = r"[%\u2030\u2031]"
_WORD_REST = r"(?:[" + _MARKS + r"]+[^\W_]*|'[^\W_]+|" + _IN_NUMBER + r"[^\W_]+)*"
_TOKEN = re.compile(r"[^\W_]+" + _WORD_REST + "|" + _SIGN + r"[^\W_]+" + _WORD_REST + "|" + _DEGREE + r"[^\W_]+"
                    + _WORD_REST + "|" + _COMPARISON + "|" + _PER)
_WORD_AND_GAP = re.compile("(" + _TOKEN.pattern + ")")  # split, it gives the words and what is between them
ELLIPSIS = re.compile(r"\s*\.\.\.\s*")


def normalize(text: str) -> str:
    """The form in which quotes are compared with documents."""
    if text.isascii():  # NFKC and ONE_FOR_ONE leave ASCII as it is, and casefold() is lower() on it
        text = text.lower()
    else:
        text = fold_case(unicodedata.normalize("NFKC", text).translate(ONE_FOR_ONE))
    if "\n" in text:
        text = re.compile(_LIST_MARKER).sub("", text)
    else:  # one line: a list marker can only start it
        text = _without_marker(text)
    return " ".join(text.split())  # str.split() splits exactly where _SPACE (\s+) matches


def fold_case(text: str) -> str:
    """text.casefold(), but "ß" (and the capital "ẞ") stays "ß": casefold() makes it "ss", and then "Maßen" (in
    moderation) and "Massen" (in masses) are one word. A letter of its own, compared as written, as "ž" is."""
    if "ß" not in text and "ẞ" not in text:
        return text.casefold()
    return "ß".join(part.casefold() for part in text.replace("ẞ", "ß").split("ß"))


def as_anki_keeps(text: str) -> str:
    """Text in Unicode's composed form (NFC), as Anki keeps every field and deck name it imports: a card file saved
    decomposed (NFD: "Е" and U+0308 for "Ё") shipped so, and every such note came back from Anki as edited."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _without_marker(line: str) -> str:
    """One line of text without the list marker it may start with."""
    first = line[:1]
    if first and (first in _MARKER_STARTS or first.isdecimal()):
        marker = re.compile(_LIST_MARKER).match(line)
        if marker:
            return line[marker.end():]
    return line


def tokens(text: str) -> list[str]:
    """The words of a normalised text."""
    return _TOKEN.findall(text)


def word_spans(text: str) -> list[tuple[int, int]]:
    """Where each of a text's words (as tokens() reads them) starts and ends in it."""
    return [found.span() for found in _TOKEN.finditer(text)]


@lru_cache(maxsize=1024)
def quote_pieces(quote: str) -> tuple[str, ...]:
    """A quote split at ' ... ' (or '…', which NFKC turns into '...') into the pieces that must be found.

    Cached: the gate finds each quote's pieces in its document, and rendering finds them again in the
    sentences it shows (a tuple, so that no caller can change what the next one gets). A build renders
    each card right after tracing it, so a small cache serves it; a large one would hold every quote of
    a large deck in memory to the end.
    """
    text = normalize(quote)
    if "..." not in text:  # nothing to split at: one piece, or none
        return (text,) if text else ()
    return tuple([piece for piece in ELLIPSIS.split(text) if piece])


# Words of order in time or place: content words, not stop-words, so that a claim states them exactly
# when its passage does ("itching before the bumps appear" is not "after" them, nor "when" they do).
RELATIONS = frozenset({"before", "after", "until", "during", "above", "below", "under", "over"})

# "one" is a stop-word for its use as a pronoun ("one of the options", "was one"); as the answer to "how many ...?" the
# count rule reads it (trace._count_reasons).
STOPWORDS = frozenset("""
a about above after again against also am an and are as at be because been before being below
between both but by could did do does doing down during for from further had has have having he her
here hers herself him himself his how i if in into is it its itself just me my myself of off on once
or other our ours ourselves out over own same she should so such than that the their theirs them
themselves then there these they this those through to too under until up very was we were what when where
which while who whom why will with would you your yours yourself yourselves can may might must shall one one's
called known also e g etc eg ie i.e like such including
include includes whose yet thus therefore however although though via per name named type kind form forms
""".split()) - RELATIONS

# The word after "how" that makes one question word with it ("how many", "how much"): it asks for a number or an
# amount, which the answer gives from the passage, and claims nothing of its own that a passage must say. Not
# "long", "often", "far", "old" or "soon": each asks for one measure (a duration, a frequency...), so swapping them
# changes the claim ("How often did the reform remove letters? Four." where the passage says it removed four
# letters once); a card asks "for how many years ...?" instead, or quotes a passage that says the word.
HOW_WORDS = frozenset({"many", "much"})
# Words that say a number, besides numbers written in digits ("4", "1,000"): what "how many ...?" is answered with.
NUMBER_WORDS = frozenset("""
    one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen
    eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion dozen
    """.split())


def is_number(word: str) -> bool:
    """Whether a word (normalised) says a number: written in digits of any script, or a number word."""
    return word in NUMBER_WORDS or any(char.isdigit() for char in word)


NEGATIONS = frozenset({"not", "no", "never", "without", "none", "nor", "neither", "cannot", "nothing"})
POLARITY = frozenset({"normal", "abnormal", "high", "low", "excess", "excessive", "increase", "decrease",
                      "more", "less", "higher", "lower", "healthy", "unhealthy", "harmless", "harmful"})
# Modal hedges: what a passage says "may" or "can" happen, a claim may not state as certain (or as "will").
HEDGES = frozenset({"may", "might", "can", "could"})
# Modals of obligation: what a passage says "must" (or "should") be done, a claim may not make a permission or a
# possibility with one of HEDGES ("must report" is not "may report").
OBLIGATIONS = frozenset({"must", "should"})
# Words that narrow what a statement covers - how many, how often, how far, how sure: what a passage says of "almost
# all" or "often", a claim may not state of all or always. The " ... " of a quote cannot skip one.
QUALIFIERS = frozenset("""
    almost nearly mostly largely partly partially somewhat slightly relatively fairly
    sometimes often usually generally typically commonly frequently occasionally rarely seldom
    some most many several few
    probably possibly likely unlikely perhaps
    """.split())
# The word a comparison is made with: "more common than <the first content word after it>".
COMPARED_WITH = "than"


# A card tagged CLAIM_TAG presents a statement of weak or no evidence as someone's claim: someone
# claims, suggests, advocates or believes it, or it is said or reported. CLAIM_WORDS are the starts of
# the words that word it so (lint requires one on such a card; the gate asks no passage for them there,
# since they only weaken what the passage states); matched on normalised text.
CLAIM_TAG = "evidence::claim"
CLAIM_WORDS = ("claim", "suggest", "advocat", "believ", "said", "reported", "purport", "supposed", "alleged")
CLAIM_WORDING = re.compile(r"\b(?:" + "|".join(CLAIM_WORDS) + r")")


def tagged_as_claim(tags: tuple[str, ...]) -> bool:
    return any(tag == CLAIM_TAG or tag.startswith(CLAIM_TAG + "::") for tag in tags)


def is_claim_word(token: str) -> bool:
    return token.startswith(CLAIM_WORDS)


def is_negation(token: str) -> bool:
    return token in NEGATIONS or token.endswith("n't")


# A thousands separator: "1,000" and "1000" are one number ("1,5", a decimal comma, is not "15").
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def stem(word: str) -> str:
    """A light English stemmer: plurals, -ed, -ing and a final -e; enough to equate inflections. A number stays as it
    is written, its thousands separators aside."""
    if word[:1].isdigit() or word[:1] == "-":
        return _THOUSANDS.sub("", word) if "," in word else word
    if word.endswith("'s"):
        word = word[:-2]
    if word in ("one", "ones"):  # stemmed as other words, "one" would be "on", the preposition
        return "one"
    if word.isdigit() or len(word) < 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "xes", "ches", "shes", "zes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("ing") and len(word) > 5:
        word = word[:-3]
    elif word.endswith("ied") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("ed") and not word.endswith("eed") and len(word) > 3:
        word = word[:-2]
    if word.endswith("e") and len(word) >= 3:
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and (word[-1] in _UNDOUBLED or (
            word[-1] == "l" and len(_VOWEL_GROUPS.findall(word)) > 1)):
        word = word[:-1]  # "stopped", "controlled": the consonant doubled before -ed or -ing
    return word


# Consonants that a stem does not end with twice: few English words do ("butt", "purr"), and the doubling of -ed and
# -ing ("stopped", "planning") is undone so. An "ll" is undone after two syllables or more ("controlled",
# "signalled"; "install" with "installed"), not after one: "fill" and "filled" stay apart from "file".
_UNDOUBLED = frozenset("bdgmnprt")
_VOWEL_GROUPS = re.compile("[aeiouy]+")


# Inflected stop-words ("types", "forms", "others") are stop-words too; not a form in -ing, which inflects no stop-word
# but the verb whose participle one is ("calling" of "calling-on" is not the naming word "called").
STOP_STEMS = frozenset(stem(word) for word in STOPWORDS if len(word) > 3)


@dataclass(frozen=True, slots=True)  # slots: the gate reads terms' attributes in all its loops, quicker so
class Term:
    """One word (or a whole synonym phrase) of a text, as the gate sees it."""

    raw: str  # the words as written (normalised)
    key: str  # what is compared: a stem, or the canonical name of a synonym group
    content: bool  # not a stop-word and not a negation
    # Worked out when the term is made, which is once per distinct word (terms are shared):
    negation: bool = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "negation", is_negation(self.raw))


class _WordTerms(dict):
    """Each distinct word's own term, made (and stemmed) the first time the word is looked up.

    It also collects `phrase_starts`, the words whose key begins a synonym phrase, so that a text
    with none of them (most texts) is known to need no phrase folding at a glance.
    """

    def __init__(self, phrases: dict[str, list[tuple[tuple[str, ...], str]]]):
        super().__init__()
        self._phrases = phrases
        self.phrase_starts: set[str] = set()

    def __missing__(self, word: str) -> Term:
        key = stem(word)
        term = self[word] = Term(word, key, word not in STOPWORDS and (key not in STOP_STEMS or word.endswith("ing"))
                                 and not is_negation(word))
        if term.key in self._phrases:
            self.phrase_starts.add(word)
        return term


class Vocabulary:
    """Turns normalised text into terms, folding the project's synonym phrases into one key each,
    and knows the project's lexicon: which term sequences are decisive terms of which kind, and
    which words are frame words."""

    def __init__(self, synonym_groups: tuple[tuple[str, ...], ...] = (), lexicon: Lexicon = Lexicon()):
        self._phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for group in synonym_groups:
            canonical = "=" + "_".join(stem(w) for w in _TOKEN.findall(normalize(group[0])))
            for term in group:
                stems = tuple(stem(w) for w in _TOKEN.findall(normalize(term)))
                if stems:
                    self._phrases.setdefault(stems[0], []).append((stems, canonical))
        for options in self._phrases.values():
            options.sort(key=lambda option: -len(option[0]))
        self._words = _WordTerms(self._phrases)
        self.frame: frozenset[str] = frozenset(stem(word) for word in lexicon.frame)
        # Each decisive term as the keys its words become, longest first, with its kind.
        kind_terms = {tuple(t.key for t in self.terms(normalize(term)) if t.content): kind
                      for kind, terms in lexicon.kinds for term in terms}
        self._kind_terms = sorted(((keys, kind) for keys, kind in kind_terms.items() if keys),
                                  key=lambda entry: -len(entry[0]))
        self._kind_starts = frozenset(keys[0] for keys, _ in self._kind_terms)
        # Each kind by its name's key ("minerals" -> mineral): a question may ask "which mineral?"
        # of an answer that names a term of that kind.
        self.kind_names: dict[str, str] = {stem(kind): kind for kind, _ in lexicon.kinds}

    def kind_terms(self, terms: list[Term]) -> list[KindTerm]:
        """The decisive terms of the lexicon among `terms` (content words only), longest match first."""
        keys = [t.key for t in terms if t.content]
        found: list[KindTerm] = []
        if self._kind_starts.isdisjoint(keys):
            return found
        i = 0
        while i < len(keys):
            for term_keys, kind in self._kind_terms if keys[i] in self._kind_starts else ():
                if tuple(keys[i:i + len(term_keys)]) == term_keys:
                    found.append(KindTerm(kind, term_keys))
                    i += len(term_keys)
                    break
            else:
                i += 1
        return found

    def terms(self, normalized_text: str) -> list[Term]:
        return self._terms_of(tokens(normalized_text))

    def terms_and_gaps(self, normalized_text: str) -> tuple[list[Term], list[str]]:
        """The terms of the text, and what follows each in it up to the next word: " ", ", ", "-"... (Slower than
        terms: for the few texts whose punctuation matters.)"""
        parts = _WORD_AND_GAP.split(normalized_text)  # what precedes the first word, then each word and what follows
        words, gaps = parts[1::2], parts[2::2]
        terms = self._terms_of(words)
        if len(terms) != len(words):  # a synonym phrase of several words is one term: what follows its last word
            gaps = [gaps[end - 1] for end in accumulate(term.raw.count(" ") + 1 for term in terms)]
        return terms, gaps

    def _terms_of(self, words: list[str]) -> list[Term]:
        terms = list(map(self._words.__getitem__, words))
        if self._words.phrase_starts.isdisjoint(words):
            return terms
        return self._fold_phrases(terms)

    def _fold_phrases(self, words: list[Term]) -> list[Term]:
        """The words with each synonym phrase among them (longest first) made into one term."""
        phrases = self._phrases
        terms: list[Term] = []
        i = 0
        while i < len(words):
            for phrase, canonical in phrases.get(words[i].key, ()):
                if tuple(t.key for t in words[i:i + len(phrase)]) == phrase:
                    terms.append(Term(" ".join(t.raw for t in words[i:i + len(phrase)]), canonical, True))
                    i += len(phrase)
                    break
            else:
                terms.append(words[i])
                i += 1
        return terms


class KindTerm(NamedTuple):
    """A decisive term of the lexicon as found in a text: its kind and its words' keys."""

    kind: str
    keys: tuple[str, ...]


# Opposites no synonym group may join: a few pairs of general English, and negating prefixes.
ANTONYMS = frozenset(frozenset(pair) for pair in (
    ("high", "low"), ("higher", "lower"), ("increase", "decrease"), ("increased", "decreased"), ("more", "less"),
    ("excess", "deficiency"), ("harmless", "harmful"), ("benign", "malignant"), ("hard", "soft"),
    ("common", "rare"), ("acute", "chronic"), ("hot", "cold"), ("above", "below"), ("inside", "outside"),
    ("before", "after"), ("early", "late"), ("present", "absent"), ("positive", "negative"), ("raise", "lower"),
    ("healthy", "unhealthy"), ("safe", "unsafe"), ("with", "without"), ("first", "last"),
))
NEGATING_PREFIXES = ("non-", "non", "un", "in", "im", "il", "ir", "dis", "ab", "anti", "a")
_OPPOSED_PREFIXES = (("hyper", "hypo"),)


def opposition(first: str, second: str) -> str | None:
    """Why two terms of a synonym group are opposites rather than paraphrases, or None.

    One is the other with a negating prefix ("normal"/"abnormal", "healthy"/"unhealthy"), or with a
    negation word before it ("not painful"), or their words differ by a known antonym pair or by
    hyper-/hypo-.
    """
    a, b = normalize(first), normalize(second)
    for x, y in ((a, b), (b, a)):
        for prefix in NEGATING_PREFIXES:
            if len(y) > 2 and x == prefix + y:
                return f"'{x}' is '{y}' with the negating prefix '{prefix}'"
        words = x.split()
        if len(words) > 1 and is_negation(words[0]) and " ".join(words[1:]) == y:
            return f"'{x}' is the negation of '{y}'"
    words_a, words_b = a.split(), b.split()
    if len(words_a) == len(words_b):
        differing = [(u, v) for u, v in zip(words_a, words_b) if u != v]
        if len(differing) == 1:
            u, v = differing[0]
            if frozenset((u, v)) in ANTONYMS:
                return f"'{u}' and '{v}' are opposites"
            for p, q in _OPPOSED_PREFIXES:
                if (u.startswith(p) and v == q + u[len(p):]) or (v.startswith(p) and u == q + v[len(p):]):
                    return f"'{u}' and '{v}' are opposites ({p}- and {q}-)"
    return None


# A sentence that joins two clauses by a contrast ("While X, Y", "X, but Y", "X; Y") says two things, and
# a claim keeps each of its own parts within one of them (see clauses, claim_parts).
_CONTRASTS = r"(?:but|while|whereas|although|though|yet)\b"
_LEADING_CONTRAST = re.compile(r"(?:while|whereas|although|though)\b[^,;]*[,;]")
_CONTRAST = re.compile(r"[,;]\s*" + _CONTRASTS + "|;")
_PART_BREAK = re.compile(r"[,;]|\b" + _CONTRASTS)


def clauses(sentence: str) -> list[str]:
    """A normalised sentence cut where a contrast joins two clauses: after a leading "while X," and
    before a ", but" (", whereas", ", although"...) or at a ";". A sentence without one is one clause."""
    lead = _LEADING_CONTRAST.match(sentence)
    cuts = [lead.end()] if lead else []
    cuts += [found.start() for found in _CONTRAST.finditer(sentence, cuts[0] if cuts else 0)]
    bounds = [0, *cuts, len(sentence)]
    return [sentence[start:end] for start, end in zip(bounds, bounds[1:]) if sentence[start:end].strip()]


def claim_parts(text: str) -> list[str]:
    """A normalised question or cloze cut at every comma, semicolon and contrast word: its parts, each
    of which must keep within one clause of a sentence that joins two."""
    return [part for part in _PART_BREAK.split(text) if part.strip()]


def content_keys(terms: list[Term]) -> set[str]:
    return {t.key for t in terms if t.content}


def negated_keys(terms: list[Term]) -> set[str]:
    """Keys of the content words a negation applies to: the first content word after it."""
    negated = set()
    pending = False  # a negation is waiting for its content word
    for term in terms:
        if pending and term.content:
            negated.add(term.key)
            pending = False
        if term.negation:
            pending = True
    return negated


def hedge_bindings(terms: list[Term], modals: frozenset[str] = HEDGES) -> set[tuple[str, str]]:
    """(hedge, the key of the word it qualifies) pairs: a hedge applies, as a negation does, to the
    first content word after it ("may reappear", "can be performed"). Other modals (OBLIGATIONS) bind alike."""
    bindings = set()
    hedge = None  # a hedge waiting for its content word
    for term in terms:
        if hedge is not None and term.content:
            bindings.add((hedge, term.key))
            hedge = None
        if term.raw in modals:
            hedge = term.raw
    return bindings


# What ends a clause for a qualifier: a punctuation mark after a word, or a word that joins two clauses.
_CLAUSE_JOINERS = frozenset({"and", "or", "but", "yet"})


def qualifier_bindings(terms: list[Term], gaps: list[str], quoted: int = 0) -> set[tuple[Term, str, bool]]:
    """(qualifier, the key of the word it qualifies, whether it is someone's word) of the qualifiers, `gaps` being what
    follows each term, from terms[quoted] on and of those before it that qualify a word from there on: a qualifier
    (QUALIFIERS) applies to the first content word after it in its clause ("often not cancerous", "almost all of its
    other bees"); one that ends its clause ("visit the garden often, and ...", "usually, if not always, ...") to the
    content word before it, and one that opens its clause and is set apart by a comma ("Usually, the swarm ...") to
    the first after the comma. One in a phrase that opens its clause ("In most colonies the drones ...", "In some
    cases, surgery ...") applies to every word of the clause after it (but not "for some reason", "in some way": one
    unnamed, not a part), and so does one of someone who says or believes ("some say smoke calms the bees", "many
    keepers believe that ..."): what they say is theirs. None applies across a clause's end to another clause. Not a
    qualifier: one right before "of", which picks members of a set rather than narrowing what is said of them ("some
    of those options are: …" says each one listed is an option), nor "most" after "the" or before another qualifier,
    which makes a superlative ("the most common cause", "most commonly found")."""
    bindings = set()
    for at, term in enumerate(terms):
        if QUALIFIERS.isdisjoint(term.raw.split()) or _picks_or_ranks(terms, at):
            continue  # (a synonym phrase of the deck that says one, "in most cases", is one)
        words = _qualified(terms, gaps, at)
        if at >= quoted or any(word >= quoted for word, _ in words):
            bindings.update((term, terms[word].key, reported) for word, reported in words)
    return bindings


# Verbs of saying beside CLAIM_WORDS: after a qualifier and its noun, what follows them is what some (or many) say.
_SAYING = frozenset("say says think thinks feel feels".split())
# Nouns after which "some" is "a certain", not "a part of": "for some reason", "in some way" narrow nothing.
_SOME_ONE = frozenset("reason way manner point time".split())
# Prepositions that open a phrase which, with a qualifier, narrows its whole clause ("in most colonies").
_PHRASE_OPENERS = frozenset({"in", "for", "among", "on"})


def _qualified(terms: list[Term], gaps: list[str], at: int) -> list[tuple[int, bool]]:
    """The indexes of the words the qualifier terms[at] applies to (see qualifier_bindings), each with whether it is
    what someone says or believes (after "some say", "many keepers believe")."""
    word = _clause_word(terms, gaps, at, 1)
    if word is None:
        word = _clause_word(terms, gaps, at, -1)
    if word is None and at + 1 < len(terms) and gaps[at].strip() == ",":
        word = _past_comma(terms, gaps, at)
    if word is None:
        return []
    if _in_opening_phrase(terms, gaps, at) and word > at and not (terms[at].raw == "some"
                                                                   and terms[word].raw in _SOME_ONE):
        return [(i, False) for i in _rest_of_clause(terms, gaps, word)]
    if word > at:
        words = _rest_of_clause(terms, gaps, word)
        saying = next((n for n, i in enumerate(words[:2]) if is_saying(terms[i].raw)), None)
        if saying is not None:  # the one who says, and the verb, are the passage's own; what follows is theirs
            return [(i, n > saying) for n, i in enumerate(words)]
    return [(word, False)]


def _in_opening_phrase(terms: list[Term], gaps: list[str], at: int) -> bool:
    """The qualifier terms[at] follows a preposition that opens its clause ("In most colonies ..."), or is a synonym
    phrase that starts with one ("in most cases")."""
    if terms[at].raw.split()[0] in _PHRASE_OPENERS:
        return _opens_clause(terms, gaps, at)
    return at > 0 and terms[at - 1].raw in _PHRASE_OPENERS and _opens_clause(terms, gaps, at - 1)


def is_saying(word: str) -> bool:
    """A verb of saying or believing (CLAIM_WORDS, "say", "think"): what follows it is someone's word."""
    return word in _SAYING or is_claim_word(word)


def _rest_of_clause(terms: list[Term], gaps: list[str], at: int) -> list[int]:
    """The indexes of the content words from terms[at] to the end of its clause, past the comma that may end the
    phrase's run of content words ("In most healthy colonies, the drones ...")."""
    words = [at]
    while True:
        after = _clause_word(terms, gaps, words[-1], 1)
        in_phrase = words[-1] - at == len(words) - 1  # no other word yet between the phrase's content words
        if after is None and in_phrase and words[-1] + 1 < len(terms) and gaps[words[-1]].strip() == ",":
            after = _past_comma(terms, gaps, words[-1])
        if after is None:
            return words
        words.append(after)


def _past_comma(terms: list[Term], gaps: list[str], at: int) -> int | None:
    """The first content word after the comma that follows terms[at], in the clause that comma opens (none where a
    joining word follows it: ", and ..." opens another clause)."""
    if terms[at + 1].raw in _CLAUSE_JOINERS:
        return None
    return at + 1 if terms[at + 1].content else _clause_word(terms, gaps, at + 1, 1)


def _opens_clause(terms: list[Term], gaps: list[str], at: int) -> bool:
    """terms[at] is the first word of its clause: of the text, or after a punctuation mark or a joining word."""
    return at == 0 or bool(gaps[at - 1].strip(" -")) or terms[at - 1].raw in _CLAUSE_JOINERS


def _picks_or_ranks(terms: list[Term], at: int) -> bool:
    """A qualifier right before "of" ("some of those"), or "most" right after "the" ("the most common") or right before
    another qualifier ("most commonly found", "most often")."""
    after = terms[at + 1].raw if at + 1 < len(terms) else None
    if after == "of":
        return True
    return terms[at].raw == "most" and ((at > 0 and terms[at - 1].raw == "the") or after in QUALIFIERS)


def _clause_word(terms: list[Term], gaps: list[str], at: int, step: int) -> int | None:
    """The index of the first content word from terms[at] outward (step 1: after it, -1: before it) before the clause
    ends."""
    i = at
    while 0 <= i + step < len(terms):
        if gaps[min(i, i + step)].strip(" -") or terms[i + step].raw in _CLAUSE_JOINERS:
            return None
        i += step
        if terms[i].content:
            return i
    return None


def compared_with(terms: list[Term]) -> str | None:
    """The key of the first content word after "than": what a comparison is made with, or None."""
    after = False
    for term in terms:
        if after and term.content:
            return term.key
        after = after or term.raw == COMPARED_WITH
    return None


def polarity_bindings(terms: list[Term]) -> set[tuple[str, str]]:
    """(polarity word, the word it qualifies) pairs.

    A polarity word qualifies the content word right after it ("excess phosphorus", "abnormal
    amounts") or, as a predicate, the content word at most one word before it ("levels are normal").
    """
    bindings = set()
    for i, term in enumerate(terms):
        if term.raw not in POLARITY:
            continue
        if i + 1 < len(terms) and terms[i + 1].content and terms[i + 1].raw not in POLARITY:
            bindings.add((term.raw, terms[i + 1].key))
        for other in reversed(terms[max(0, i - 2):i]):
            if other.content and other.raw not in POLARITY:
                bindings.add((term.raw, other.key))
                break
    return bindings


# The two words that join alternatives and conjuncts: "damaged or inflamed" says either, "calcium and phosphorus"
# both, and a claim keeps the passage's word between the same two words (see coordinated_pairs).
CONJUNCTIONS = ("and", "or")


class Coordinated(NamedTuple):
    """The pairs of content words a text joins by "and" and those it joins by "or", each pair (the key before
    the word, the key after it)."""

    by_and: frozenset[tuple[str, str]]
    by_or: frozenset[tuple[str, str]]


def coordinated_pairs(terms: list[Term]) -> Coordinated:
    """The content word before each "and" or "or" of `terms` and the first content word after it, as a pair of
    keys ("damaged or inflamed, or has become malignant": damaged-inflamed and inflamed-become by "or"). Stop-words
    between them are skipped ("ionic calcium and other metals": calcium-metals), and so is punctuation, which the
    terms do not hold; "and/or" joins its two words by both."""
    found: dict[str, set[tuple[str, str]]] = {"and": set(), "or": set()}
    last: str | None = None  # the key of the last content word
    pending: list[tuple[str, str]] = []  # (conjunction, the key before it), waiting for the content word after it
    for term in terms:
        if term.raw in found and last is not None:
            pending.append((term.raw, last))
        elif term.content:
            for conjunction, before in pending:
                if before != term.key:
                    found[conjunction].add((before, term.key))
            pending = []
            last = term.key
    return Coordinated(frozenset(found["and"]), frozenset(found["or"]))


# What may stand between two neighbours: a space or a hyphen ("high-energy acoustic"), no punctuation mark.
BETWEEN_NEIGHBOURS = (" ", "-")


def neighbour_pairs(terms: list[Term], gaps: list[str] | None = None) -> set[tuple[str, str]]:
    """(key, key) of each two content words of a text with no stop-word between them: a modifier and its noun
    ("calcium antagonist", "increased calcifications"). With the text's `gaps` (Vocabulary.terms_and_gaps), only
    those with no punctuation mark between them either ("fingers, around" are none)."""
    if gaps is None:
        return {(first.key, second.key) for first, second in zip(terms, terms[1:])
                if first.content and second.content and first.key != second.key}
    return {(first.key, second.key) for first, second, gap in zip(terms, terms[1:], gaps)
            if gap in BETWEEN_NEIGHBOURS and first.content and second.content and first.key != second.key}


# Words that link two content words into one phrase: a preposition ("an inhibitor of calcification", "bind to ionic
# calcium"), with the determiners that may follow it, or determiners alone ("fragment the calcium crystals"), whose
# phrase is anchored at its head, the word before them, and a modal ("skin cells can absorb"), whose phrase is anchored
# at its verb, the word after it. A claim gives an anchor the other end the sentence gives it, and keeps each word on
# its side (see links).
LINK_WORDS = frozenset("of to in into on with by from for at about against between through via as".split())
DETERMINERS = frozenset("a an the its their his her our your my this these those each every".split())
MODALS = frozenset("can could may might must will would should".split())
# The forms of the verb "be"; and the verbs that may stand before a clause's verb: the modals, "shall", and the forms
# of "do" and "have".
BE_FORMS = frozenset("is are was were be been being".split())
AUXILIARIES = MODALS | frozenset("shall do does did has have had".split())
_JOINED_BY = frozenset({"and", "or", "other"}) | DETERMINERS  # what may stand inside a list: "X and other Y"
_LINKING = LINK_WORDS | DETERMINERS | MODALS | {"such"}
# Stop-words that name what a phrase is about, which may anchor a link ("a type of calcium phosphate").
_KINDS = frozenset("type types kind kinds form forms".split())


class Link(NamedTuple):
    """A content word, a link word or determiners (or both, in that order) and a content word, at offsets `start` and
    `end` of a text's terms ("progression of vascular", "bind to ionic", "cells can absorb"): the key of its anchor (the
    word before the link word, or the verb after a modal), the link word ("" for determiners alone; a modal, with the
    link word after its verb, is "can": "can result from" is not "can lead to", and "may absorb" is "can absorb"), and
    the key of the word at its other end."""

    start: int
    end: int
    anchor: str
    word: str
    other: str

    @property
    def anchored_after(self) -> bool:
        return self.word.startswith("can")


def links(terms: list[Term]) -> list[Link]:
    """The links of a text's terms, punctuation aside (see LINK_WORDS)."""
    found = []
    last = len(terms) - 1
    for i in [i for i, term in enumerate(terms) if term.raw in _LINKING]:
        if not 0 < i < last or not (terms[i - 1].content or terms[i - 1].raw in _KINDS):
            continue  # no content word before it (or a determiner after a link word: "bind to the")
        word, term = terms[i].raw, terms[i - 1]
        i -= 1
        j = i + 1
        if word == "such":  # "blockers, such as diltiazem"
            if terms[j + 1].raw != "as":
                continue
            word, j = "as", j + 1
        if word in LINK_WORDS or word in MODALS:
            j += 1
        else:
            word = ""
        while word not in MODALS and j <= last and terms[j].raw in DETERMINERS:
            j += 1
        if j > last or not terms[j].content:
            continue
        if word in MODALS:
            after = terms[j + 1].raw if j < last else ""
            found.append(Link(i, j, terms[j].key, "can " + after if after in LINK_WORDS else "can", term.key))
        else:
            found.append(Link(i, j, term.key, word, terms[j].key))
    return found


def shared_links(terms: list[Term], found: list[Link]) -> list[Link]:
    """The links a text's terms make through a link word that "and" or "or" leads, with no anchor of its own, to the
    anchor of the last link before it by the same word (`found`, links(terms)): "ties the sheets to the clew with a
    bowline, and to the cleats with a hitch" also links "sheets to cleats". Each spans from that anchor to its new far
    end."""
    shared = []
    for at in range(1, len(terms) - 1):
        if terms[at].raw not in LINK_WORDS or terms[at - 1].raw not in CONJUNCTIONS:
            continue
        end = at + 1
        while end < len(terms) and terms[end].raw in DETERMINERS:
            end += 1
        earlier = [link for link in found if link.word == terms[at].raw and link.end < at]
        if earlier and end < len(terms) and terms[end].content:
            shared.append(Link(earlier[-1].start, end, earlier[-1].anchor, terms[at].raw, terms[end].key))
    return shared


def run_keys(terms: list[Term], start: int, step: int) -> frozenset[str]:
    """The keys of the run of content words from `start` on (step 1) or back (step -1), with no stop-word inside it,
    across "and" and "or" (with the determiners and "other" beside them) to the run they join it to: one end of a link
    ("ionic calcium and other metals")."""
    keys = set()
    k, end = start, len(terms)
    while 0 <= k < end:
        if terms[k].content:
            keys.add(terms[k].key)
            k += step
            continue
        j, joined = k, False
        while 0 <= j < end and terms[j].raw in _JOINED_BY:
            joined = joined or terms[j].raw in CONJUNCTIONS
            j += step
        if not joined or not 0 <= j < end or not terms[j].content:
            break
        k = j
    return frozenset(keys)
