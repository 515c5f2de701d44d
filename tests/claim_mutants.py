"""Wrong claims made from right cards, to measure the claim-level gate: each class changes what the card
claims as a whole (its question, its answer against its question, its quote, its hints, which side of a causal
verb its words are on), where mutants.py changes the words of an answer.

Every generator takes a real card and returns (class, card) pairs; the test traces each one and
requires the gate to reject it, unless it is listed as an equivalent mutant (a true claim) in
equivalent_mutants.yaml with the reason it is true. HAND_MUTANTS are written by hand from real cards:
false claims the gate must refuse and honest rewordings it must accept. (The real cards' false claims it still accepted,
KNOWN_HOLES, are gone since gate round 8 refused the last; what it cannot yet read is kept as strict xfails in the
attack files, on documents of their own.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from deckgen.causal import find_phrases
from deckgen.cards import CLOZE_PATTERN
from deckgen.model import Card, CardKind, Lexicon, SourceRef
from deckgen.sources import Corpus, Unit, UnitKind
from deckgen.textnorm import Vocabulary, content_keys, normalize
from deckgen.trace import Gate, read_claim

CLASSES = ("question-term", "answer-swap", "splice", "false-premise", "hint", "hedge", "relation", "cause")
SUPERLATIVES = ("only", "most", "first")
NUMBERS = ("three", "12")
HEDGE = re.compile(r"\b(may|might|can|could)\b", re.I)
# Each word of order in time or place, and its opposite.
OPPOSITE_RELATIONS = {"before": "after", "after": "before", "until": "after", "during": "after", "above": "below",
                      "below": "above", "under": "above", "over": "under"}
# What stays with a causal phrase when the words on its two sides swap places: modals, auxiliaries, adverbs.
VERB_WORDS = frozenset("can could may might will would do does did is are was were be been often also typically "
                       "usually".split())
RELATIVE_PRONOUNS = ("that", "which", "who")
PART_BREAK = re.compile(r"[,;:?.!]")


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
                   + self.false_premises(card) + self.hints(card) + self.hedges(card) + self.relations(card)
                   + self.causes(card))
        same = self._claim_keys(card)
        unique = {(m.kind, m.text): m for m in mutants
                  if self._claim_keys(m.card) != same or m.card.sources != card.sources}
        return list(unique.values())

    def _claim_keys(self, card: Card) -> frozenset[str]:
        """The words of the whole claim, as the gate compares them: question, answer, cloze and hints, its
        hedges (stop-words, which the gate reads apart), and which words it makes only causes or only effects."""
        hints = " ".join(m.group(3) or "" for m in CLOZE_PATTERN.finditer(card.cloze))
        text = " ".join((card.question, card.answer, card.cloze, hints))
        causal = read_claim(card, self.vocabulary).causal
        sides = set()
        if causal is not None:
            sides = {"<" + key for key in causal.only_causes} | {">" + key for key in causal.only_effects}
        return frozenset(self._keys(text) | {"~" + hedge.lower() for hedge in HEDGE.findall(text)} | sides)

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
        return [ClaimMutant("answer-swap", card._replace(answer=other.answer))
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
        sources[position] = sources[position]._replace(quote=quote)
        said = neighbour.text.rstrip(".:;!? ")
        if card.kind is CardKind.QA:
            return ClaimMutant("splice", card._replace(answer=said, sources=tuple(sources)))
        first = next(CLOZE_PATTERN.finditer(card.cloze))
        cloze = card.cloze[:first.start(2)] + said + card.cloze[first.end(2):]
        return ClaimMutant("splice", card._replace(cloze=cloze, sources=tuple(sources)))

    # --- false premise: a decisive term the passage does not support added to the question ------------
    def false_premises(self, card: Card) -> list[ClaimMutant]:
        said = self._keys(" ".join(self._passage_text(ref) for ref in card.sources)) | self._keys(_question_text(card))
        added = [next((t for t in terms if not self._keys(t) <= said), None) for terms in self.siblings.values()]
        added += [word for word in SUPERLATIVES + NUMBERS if not self._keys(word) <= said]
        mutants = []
        for term in filter(None, added):
            if card.kind is CardKind.QA:
                question = card.question.rstrip("?. ") + f" in {term}?"
                mutants.append(ClaimMutant("false-premise", card._replace(question=question)))
            else:
                mutants.append(ClaimMutant("false-premise", card._replace(cloze=card.cloze.rstrip(". ") + f" in {term}.")))
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
                mutants.append(ClaimMutant("hint", card._replace(cloze=hinted)))
        return mutants

    # --- hedge: what the passage says "may" or "can" happen, stated as what "will" ----------------------
    def hedges(self, card: Card) -> list[ClaimMutant]:
        """The question's (or cloze's) hedges made "will", where a quoted sentence hedges: "Even after
        procedures, what may calcium deposits do?" becomes "... what will calcium deposits do?"."""
        if not any(HEDGE.search(self._passage_text(ref)) for ref in card.sources):
            return []
        text = _question_text(card)
        return [ClaimMutant("hedge", _with_question(card, HEDGE.sub("will", text)))] if HEDGE.search(text) else []

    # --- relation: a word of order in time or place turned round, or left out ---------------------------
    def relations(self, card: Card) -> list[ClaimMutant]:
        """"... notice before the bumps appear?" becomes "... notice after the bumps appear?" and
        "... notice the bumps appear?"."""
        text = _question_text(card)
        mutants = []
        for word, opposite in OPPOSITE_RELATIONS.items():
            if _has_word(text, word):
                mutants.append(ClaimMutant("relation", _with_question(card, _replace_word(text, word, opposite))))
                mutants.append(ClaimMutant("relation", _with_question(card, _replace_word(text, word, ""))))
        return mutants

    # --- cause: cause and effect turned round -----------------------------------------------------------
    def causes(self, card: Card) -> list[ClaimMutant]:
        """In the part of the question (or cloze) that holds its one causal phrase, what comes before the phrase
        and what comes after it swap places, the modals and adverbs before it staying with it: "Kidney failure
        can result in which type of calcinosis?" becomes "Which type of calcinosis can result in kidney
        failure?". A relative clause's pronoun goes ("... vascular damage that can trigger calcification"
        becomes "... calcification can trigger ... vascular damage")."""
        text = normalize(_question_text(card))
        phrases = find_phrases(text)
        if len(phrases) != 1:
            return []
        phrase = phrases[0]
        start = max((m.end() for m in PART_BREAK.finditer(text, 0, phrase.start)), default=0)
        after = PART_BREAK.search(text, phrase.end)
        end = after.start() if after else len(text)
        subject, verb = text[start:phrase.start].split(), [phrase.written(text)]
        while subject and (subject[-1] in VERB_WORDS or subject[-1].endswith("ly")):
            verb.insert(0, subject.pop())
        if subject and subject[-1] in RELATIVE_PRONOUNS:
            subject.pop()
        obj = text[phrase.end:end].split()
        if not subject or not obj:  # nothing to swap with: "..., leading to calcification of the skin"
            return []
        turned = text[:start] + " ".join(obj + verb + subject) + text[end:]
        return [ClaimMutant("cause", _with_question(card, turned[:1].upper() + turned[1:]))]

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
        return card._replace(question=text)
    # `text` is the cloze with each deletion masked (see _question_text): put the deletions back
    deletions = [m.group(0) for m in CLOZE_PATTERN.finditer(card.cloze)]
    parts = re.split("\x00\x01*", text)
    return card._replace(cloze="".join(part + deletion for part, deletion in zip(parts, deletions + [""])))


def _has_word(text: str, word: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", normalize(text)) is not None


def _replace_word(text: str, old: str, new: str) -> str:
    return re.sub(rf"(?<![\w-]){re.escape(old)}(?![\w-])", new, text, count=1, flags=re.I)


def _same_paragraph(first: Unit, second: Unit) -> bool:
    """Two neighbouring sentences written on one line of the source: one paragraph."""
    return first.kind is UnitKind.SENTENCE and second.kind is UnitKind.SENTENCE and first.line == second.line


# --- written by hand: claims of real cards turned false with the words of their quotes, and honest
# rewordings of them, from an attack on the gate (README, "What the gate guarantees")
@dataclass(frozen=True)
class HandMutant:
    card: str  # the id of the real card it is made from
    kind: str  # what it changes
    true: bool  # an honest rewording, which the gate must accept; else a false claim, which it must refuse
    question: str = ""
    answer: str = ""
    cloze: str = ""
    quote: tuple[str, str] | None = None  # (doc, quote) in place of the card's citations (and its extra)

    def apply(self, card: Card) -> Card:
        changed = card._replace(question=self.question or card.question, answer=self.answer or card.answer,
                          cloze=self.cloze or card.cloze)
        if self.quote is None:
            return changed
        return changed._replace(extra="", sources=(SourceRef(self.quote[0], self.quote[1], card.location),))


_ITCHING = ("Most people have no symptoms until calcium deposits form, but what do some people notice before the "
            "bumps appear?")
_EDTA = ("calcification-overview", "While EDTA chelation is an approved treatment for heavy metal poisoning, its "
                                   "use for reversing vascular calcification remains controversial.")
_MICRO = ("types-of-calcification", "Microcalcifications are often not cancerous, but some microcalcification "
                                    "patterns may be signs of early breast cancer.")
_DYSTROPHIC_LEAD_IN = "Conditions that can lead to dystrophic calcinosis cutis are: ... "
_METASTATIC_LEAD_IN = ("calcium-deposits-in-skin", "Metastatic calcinosis can result from any medical condition ... "
                                                   "including: ... sarcoidosis")
_HEEL = "Repeated drawing of blood from an infant's heel."
_RELEASE = "When the skin is damaged and its cells die, what do they release, leading to calcification of the skin?"
_PROTEINS = ("calcium-deposits-on-face", "when the skin is damaged ... the cells die, they release proteins that bind to "
                                        "phosphates, leading to calcification of the skin.")
_CCB_OPTION = ("calcium-deposits-in-skin", "options are: ... calcium channel blockers, such as ... diltiazem")
_EDTA_BINDS = ("calcification-overview", "(EDTA), which is designed to bind to ionic calcium and other metals.")
_FACTORS = ("types-of-calcification",
            "Many factors play a role in calcification, including: ... persistent inflammation")
_VITAMIN_D = ("calcification-overview", "However, excessive Vitamin D intake can lead to high blood calcium "
                                        "levels, which may inadvertently contribute to metastatic calcification.")
_MAMMOGRAMS = ("calcification-overview", "breast tissue, which is often detected during mammograms.")
_UNTIL = ("calcium-deposits-on-face", "most people have no symptoms until calcium deposits form.")
_BEFORE = ("calcium-deposits-on-face", "Some people notice mild itching or redness before the bumps appear")
_PROCEDURES = ("calcium-deposits-on-face", "However, even after these procedures, calcium deposits may reappear.")
_VALVE = ("types-of-calcification", "you may need surgery to open or replace the valve if the calcium buildup is severe "
                                   "enough to affect the valve's function.")
_NECROTIC = ("calcification-overview", "Dystrophic calcification occurs in damaged, degenerated, or necrotic tissue ... "
                                       "even when the body's mineral levels are normal.")
_SUCH_AS_IN = ("calcification-overview", "Dystrophic calcification occurs in damaged, degenerated, or necrotic tissue, "
                                         "such as in chronic inflammation or injury sites")
_ANTACIDS = ("calcium-deposits-in-skin", "Some of those options are: ... antacids containing aluminum hydroxide, such as "
                                         "Gaviscon Extra Relief Formula and Acid Gone Antacid")
_MAGNESIUM_SLOWS = ("calcification-overview", "magnesium supplementation may slow the progression of vascular calcification")
_SURGERY = ("types-of-calcification", "If the pain doesn't go away, your doctor may recommend surgery.")
_NODULE = ("calcium-deposits-in-skin", "If punctured, this type of nodule will leak a white, chalky, paste-like material.")
_MISTAKE = ("calcium-deposits-on-face", "those who develop them often mistake them for calcium deposits")
_KIDNEY_STONES = ("types-of-calcification", "People who get calcium oxalate stones release more calcium in their urine "
                                            "than those who don't.")
_MONITORED = ("calcium-deposits-on-face", "If you have calcium deposits, your calcium, phosphorus, and vitamin D levels "
                                           "will be monitored.")
_KIDNEY_TESTS = ("types-of-calcification", "For example, if you have kidney stones, these tests can determine your "
                                         "overall kidney function.")
_ORGANS = ("calcification-overview", "Organs like the kidneys and lungs can also accumulate mineral deposits")
_TENDONS = ("calcification-overview", "Soft tissue calcification is commonly observed in tendons, leading to conditions "
                                      "like calcific tendinopathy")
_VASCULAR = ("calcification-overview", "Vascular calcification, which affects arteries and heart valves")
_BLOCKERS = ("calcium-deposits-on-face", "Calcium blockers reduce the amount of calcium that skin cells can absorb.")
_MAGNESIUM = ("calcification-overview", "Adequate magnesium levels ... directly inhibiting the precipitation of "
                                       "hydroxyapatite crystals in soft tissues.")
_DISEASES = ("calcium-deposits-on-face", "Diseases that cause abnormal amounts of calcium or phosphorus lead to a form of "
                                         "calcium deposits called metastatic calcification of the skin .")
_SHOCKWAVES = ("calcification-overview", "the shockwaves ... fragment the calcium crystals in tendons")
_RECEIVE = ("calcium-deposits-on-face", "You must receive the correct diagnosis to receive the correct treatment.")
_ANY_MEDICINE = ("calcium-deposits-on-face", "Any medicine that increases the level of calcium or phosphorus in the body can "
                                            "increase the chance that calcium deposits will form.")
_TREATING = ("calcium-deposits-on-face", "Treating any underlying disease that causes calcium deposits by default also "
                                        "helps treat calcium deposits.")
_DIFFERENT = ("calcium-deposits-on-face", "calcium and milia deposits develop in different ways and have different causes.")

_LUMPS = ("calcium-deposits-on-face", "These lumps usually develop slowly over time.")
_ITCHING_ALONE = ("calcium-deposits-on-face", "Some people notice mild itching or redness before the bumps appear")
_MICRO_OFTEN = ("types-of-calcification", "Microcalcifications are often not cancerous")
_HEEL_TYPICALLY = ("calcium-deposits-in-skin", "Iatrogenic calcinosis are typically attributed to ... repeated drawing of "
                                              "blood from an infant's heel.")

# The quote of a card retired in deck review 6, whose mutants were moved onto live cards with it; and the clause of
# chelation-edta-approved-use its mutants were written for (the card quotes the whole sentence since that review).
_ANTAGONIST = ("calcification-overview", "Magnesium is ... mineral that acts as a natural calcium antagonist")
_EDTA_APPROVED = ("calcification-overview", "While EDTA chelation is an approved treatment for heavy metal poisoning")

HAND_MUTANTS = (
    # words of order in time or place
    HandMutant("signs-early-itching-redness", "relation before -> after", False, _ITCHING.replace("before", "after")),
    HandMutant("signs-early-itching-redness", "relation 'before' -> 'when'", False, _ITCHING.replace("before", "when")),
    HandMutant("signs-early-itching-redness", "relation until -> after", False, _ITCHING.replace("until", "after")),
    HandMutant("tx-recurrence-after-procedures", "relation after -> before", False,
               "Even before procedures, what may calcium deposits do?"),
    HandMutant("milia-cause-keratin", "relation under -> above", False,
               "Milia are small cysts that form when what gets trapped above the surface of the skin?"),
    # hedges
    HandMutant("tx-recurrence-after-procedures", "hedge may -> do", False,
               "Even after procedures, what do calcium deposits do?"),
    HandMutant("tx-recurrence-after-procedures", "hedge may -> will", False,
               "Even after procedures, what will calcium deposits do?"),
    HandMutant("breast-calc-micro-patterns", "hedge 'may be' -> 'are'", False,
               "What are some microcalcification patterns signs of?"),
    HandMutant("diagnosis-biopsy", "hedge can -> must", False,
               "If necessary, what must be performed to accurately diagnose calcium deposits?"),
    HandMutant("signs-joint-stiffness", "hedge 'can cause' -> 'cause'", False,
               "Calcium deposit bumps arising near joints cause what?"),
    HandMutant("prevent-magnesium-vascular-ckd", "hedge 'may slow' -> 'slows'", False,
               "Studies have suggested that magnesium supplementation slows the progression of vascular calcification "
               "especially in which individuals?"),
    # "can" says a thing is so at least at times; "may", "might" and "could" that it might be
    HandMutant("tx-recurrence-after-procedures", "hedge may -> can", False,
               "Even after procedures, what can calcium deposits do?"),
    HandMutant("breast-calc-micro-patterns", "hedge 'may be' -> 'can be'", False,
               "What can some breast microcalcification patterns be signs of?"),
    HandMutant("prevent-magnesium-vascular-ckd", "hedge 'may slow' -> 'can slow'", False,
               "Studies have suggested that magnesium supplementation can slow the progression of vascular "
               "calcification especially in which individuals?"),
    HandMutant("tx-recurrence-after-procedures", "hedge kept: may -> might", True,
               "Even after procedures, what might calcium deposits do?"),
    HandMutant("breast-calc-micro-patterns", "hedge kept: 'may be' -> 'could be'", True,
               "What could some breast microcalcification patterns be signs of?"),
    HandMutant("diagnosis-biopsy", "hedge kept: can -> may, a weaker claim", True,
               "If necessary, what may be performed to accurately diagnose calcium deposits?"),
    # comparisons
    HandMutant("milia-frequency-vs-calcium-deposits", "comparison turned round", False,
               "Especially where are calcium deposits much more common than milia?"),
    # two clauses of one sentence
    HandMutant("signs-early-itching-redness", "clause: some/most swapped between clauses", False,
               "Some people have no symptoms until calcium deposits form, but what do most people notice before the "
               "bumps appear?"),
    HandMutant("chelation-edta-approved-use", "clause: answer from the other clause", False,
               "EDTA chelation's use for heavy metal poisoning remains controversial, while for what is it an approved "
               "treatment?", "Reversing vascular calcification.", quote=_EDTA),
    HandMutant("breast-calc-micro-patterns", "clause: 'some' and 'often' moved across clauses", False,
               "Some microcalcification patterns are often not cancerous, but what may microcalcifications be signs "
               "of?", "Early breast cancer.", quote=_MICRO),
    # cause and effect turned round: what the passage makes the cause made the effect
    HandMutant("metastatic-cause-kidney-failure", "cause: turned round", False,
               "Metastatic calcinosis can result in which condition?", "Kidney failure."),
    HandMutant("metastatic-cause-sarcoidosis", "cause: turned round", False,
               "Metastatic calcinosis can result in which condition?", "Sarcoidosis."),
    HandMutant("metastatic-cause-sarcoidosis", "cause: turned round, asked for the object", False,
               "What can metastatic calcinosis result in?", "Sarcoidosis."),
    HandMutant("metastatic-cause-sarcoidosis", "cause: 'result from' kept, the sides swapped", False,
               "Sarcoidosis can result from which type of calcinosis?", "Metastatic calcinosis."),
    HandMutant("dystrophic-cause-acne", "cause: turned round", False,
               "Dystrophic calcinosis cutis can lead to which condition?", "Acne."),
    HandMutant("dystrophic-cause-acne", "cause: turned round, asked for the object", False,
               "Which condition can dystrophic calcinosis cutis lead to?", "Acne."),
    HandMutant("dystrophic-cause-acne", "cause: the item made the effect of the lead-in's relative clause", False,
               "Conditions that can lead to acne include what?", "Dystrophic calcinosis cutis.",
               quote=("calcium-deposits-in-skin", _DYSTROPHIC_LEAD_IN + "acne")),
    HandMutant("iatrogenic-cause-infant-heel", "cause: turned round", False,
               "Repeated drawing of blood from an infant's heel is typically attributed to which type of calcinosis?",
               "Iatrogenic calcinosis."),
    HandMutant("prevent-blood-sugar-pressure", "cause: turned round", False,
               "Strict control of what reduces the risk of calcification that can trigger vascular damage?"),
    HandMutant("which-type-abnormal-calcium-phosphorus", "cause: turned round", False,
               "Which type of calcium deposits in the skin lead to diseases that cause abnormal amounts of calcium or "
               "phosphorus?", quote=_DISEASES),
    HandMutant("which-type-medications-procedures", "cause: turned round, in the passive", False,
               "Certain medications and medical procedures can be caused by which type of calcification of the skin?"),
    HandMutant("signs-joint-stiffness", "cause: turned round", False,
               "What can joint stiffness cause?", "Bumps arising near joints."),
    HandMutant("prevent-urine-supersaturation-cloze", "cause: turned round", False,
               cloze="Crystal formation can lead to {{c1::supersaturation}} of urine."),
    # from the attack of session 8 (attack8): forms of a causal claim the rule did not read
    HandMutant("metastatic-cause-sarcoidosis", "cause: turned round, 'a result of' heading the subject", False,
               "A result of metastatic calcinosis can be which condition?", "Sarcoidosis."),
    HandMutant("prevent-urine-supersaturation-cloze", "cause: turned round, 'a result of' heading the subject", False,
               cloze="A result of {{c1::crystal formation}} can be supersaturation of urine."),
    HandMutant("prevent-urine-supersaturation-cloze", "cause: turned round by the deletion's hint", False,
               cloze="{{c1::Crystal formation::can lead to}} supersaturation of urine."),
    HandMutant("metastatic-cause-sarcoidosis", "cause: turned round in the answer, its subject a pronoun", False,
               "What about metastatic calcinosis?", "It can result in sarcoidosis."),
    HandMutant("metastatic-cause-sarcoidosis", "cause: turned round in the answer, its object a pronoun", False,
               "What about sarcoidosis?", "Metastatic calcinosis can lead to it."),
    HandMutant("metastatic-cause-excess-vitamin-d", "cause: a chain's first link turned round", False,
               "High blood calcium levels can lead to excessive vitamin D intake, which may inadvertently "
               "contribute to what?", "Metastatic calcification.", quote=_VITAMIN_D),
    HandMutant("metastatic-cause-excess-vitamin-d", "cause: a chain's second link turned round", False,
               "Excessive vitamin D intake can lead to metastatic calcification, which may inadvertently contribute to "
               "what?", "High blood calcium levels.", quote=_VITAMIN_D),
    HandMutant("which-type-abnormal-calcium-phosphorus", "cause: the relative clause's object and the effect swapped",
               False, "Diseases that cause which type of calcium deposits in the skin lead to abnormal amounts of "
                      "calcium or phosphorus?", quote=_DISEASES),
    HandMutant("metastatic-cause-sarcoidosis", "cause: turned round, the verb glued to a '_' the pre-check missed",
               False, "Metastatic calcinosis can _result in which condition?", "Sarcoidosis."),
    # honest rewordings
    HandMutant("metastatic-cause-sarcoidosis", "cause kept: 'a result of' heading the subject", True,
               "A result of sarcoidosis can be which type of calcinosis?", "Metastatic calcinosis."),
    HandMutant("prevent-urine-supersaturation-cloze", "cause kept: 'a result of' heading the subject", True,
               cloze="A result of {{c1::supersaturation}} of urine can be crystal formation."),
    HandMutant("prevent-urine-supersaturation-cloze", "cause kept: the verb as the deletion's hint", True,
               cloze="{{c1::Supersaturation of urine::can lead to}} crystal formation."),
    HandMutant("metastatic-cause-sarcoidosis", "cause kept: in the answer, its subject a pronoun", True,
               "What about sarcoidosis?", "It can lead to metastatic calcinosis."),
    HandMutant("metastatic-cause-sarcoidosis", "cause kept: in the answer, its object a pronoun", True,
               "What about sarcoidosis?", "Metastatic calcinosis can result from it."),
    HandMutant("metastatic-cause-excess-vitamin-d", "cause kept: a chain, its middle asked", True,
               "Excessive vitamin D intake can lead to what, which may inadvertently contribute to metastatic "
               "calcification?", "High blood calcium levels.", quote=_VITAMIN_D),
    HandMutant("breast-calc-micro-patterns", "reordered", True,
               "Some microcalcification patterns may be signs of what?"),
    HandMutant("tx-recurrence-after-procedures", "reordered", True,
               "What may calcium deposits do even after procedures?"),
    HandMutant("tx-recurrence-after-procedures", "may -> might", True,
               "Even after procedures, what might calcium deposits do?"),
    HandMutant("signs-early-itching-redness", "clauses reordered", True,
               "What do some people notice before the bumps appear, though most people have no symptoms until calcium "
               "deposits form?"),
    HandMutant("milia-frequency-vs-calcium-deposits", "where-phrase moved", True,
               "Milia are much more common than calcium deposits especially where?"),
    HandMutant("milia-frequency-vs-calcium-deposits", "what it is compared with asked", True,
               "Especially on the face, milia are much more common than what?", "Calcium deposits."),
    HandMutant("kidney-stone-urine-calcium-cloze", "people/those swapped", True,
               cloze="Those who get calcium oxalate stones release {{c1::more calcium in their urine}} than people who "
                     "don't."),
    HandMutant("diagnosis-biopsy", "if-clause moved", True,
               "What can be performed, if necessary, to accurately diagnose calcium deposits?"),
    HandMutant("signs-joint-stiffness", "what can ... cause", True,
               "What can calcium deposit bumps arising near joints cause?"),
    HandMutant("milia-cause-keratin", "when-clause first", True,
               "When milia, small cysts, form, what gets trapped under the surface of the skin?"),
    HandMutant("chelation-edta-approved-use", "whole sentence quoted", True,
               "EDTA chelation is an approved treatment for what, though its use for reversing vascular calcification "
               "remains controversial?", "Heavy metal poisoning.", quote=_EDTA),
    HandMutant("chelation-edta-approved-use", "the other clause's pronoun resolved", True,
               "The use of EDTA chelation for reversing vascular calcification remains what?", "Controversial.",
               quote=("calcification-overview", "While EDTA chelation ... its use for reversing vascular calcification "
                                                "remains controversial.")),
    HandMutant("breast-calc-micro-patterns", "whole sentence, each clause kept", True,
               "Microcalcifications are often not cancerous, but what may some microcalcification patterns be signs "
               "of?", "Early breast cancer.", quote=_MICRO),
    HandMutant("metastatic-cause-kidney-failure", "the source's direction", True,
               "Which type of calcinosis can result from kidney failure?"),
    # honest rewordings of causal cards: the passage's direction, active or passive, asked from either side
    HandMutant("metastatic-cause-sarcoidosis", "cause kept: the source's direction, asked for the cause", True,
               "Metastatic calcinosis can result from which condition?", "Sarcoidosis."),
    HandMutant("metastatic-cause-sarcoidosis", "cause kept: the source's direction, the object asked first", True,
               "Which condition can metastatic calcinosis result from?", "Sarcoidosis."),
    HandMutant("metastatic-cause-sarcoidosis", "cause kept: the whole lead-in quoted", True,
               "Metastatic calcinosis can result from any medical condition including which?", "Sarcoidosis.",
               quote=_METASTATIC_LEAD_IN),
    HandMutant("dystrophic-cause-acne", "cause kept: the lead-in's relative clause", True,
               "Conditions that can lead to dystrophic calcinosis cutis include what?", "Acne.",
               quote=("calcium-deposits-in-skin", _DYSTROPHIC_LEAD_IN + "acne")),
    HandMutant("dystrophic-cause-acne", "cause kept: which condition can lead to", True,
               "Which condition can lead to dystrophic calcinosis cutis?", "Acne."),
    HandMutant("dystrophic-cause-acne", "cause kept: what can acne lead to", True,
               "What can acne lead to?", "Dystrophic calcinosis cutis."),
    HandMutant("dystrophic-cause-skin-infections", "cause kept: the lead-in's relative clause", True,
               "Conditions that can lead to which type of calcinosis cutis include skin infections?", "Dystrophic.",
               quote=("calcium-deposits-in-skin", _DYSTROPHIC_LEAD_IN + "skin infections")),
    HandMutant("iatrogenic-cause-infant-heel", "cause kept: 'attributed to', the cause asked", True,
               "Iatrogenic calcinosis is typically attributed to what?", _HEEL),
    HandMutant("iatrogenic-cause-infant-heel", "cause kept: 'attributed to', the object asked first", True,
               "What is iatrogenic calcinosis typically attributed to?", _HEEL),
    HandMutant("which-type-abnormal-calcium-phosphorus", "cause kept: two causal verbs, the object asked first", True,
               "Which type of calcium deposits in the skin do diseases that cause abnormal amounts of calcium or "
               "phosphorus lead to?", quote=_DISEASES),
    HandMutant("which-type-medications-procedures", "cause kept: the passive, 'caused by'", True,
               "Which type of calcification of the skin can be caused by certain medications and medical procedures?"),
    HandMutant("prevent-blood-sugar-pressure", "cause kept: the relative clause kept, in the passive", True,
               "The risk of vascular damage that can trigger calcification is reduced by strict control of what?"),
    HandMutant("body-calc-tissue-hardening", "cause kept: what can ..., an abnormal event, lead to", True,
               "What can calcification, an abnormal event, lead to?"),
    HandMutant("signs-joint-stiffness", "cause kept: what can cause", True,
               "What can cause joint stiffness?", "Bumps arising near joints."),
    HandMutant("prevent-urine-supersaturation-cloze", "cause kept: the effect deleted", True,
               cloze="Supersaturation of urine can lead to {{c1::crystal formation}}."),
    # from the attack of round 4 (gate4): words joined by "and" where the sentence says "or", or the other way round
    HandMutant("which-type-damaged-inflamed-malignant-tissue", "conjunction: 'or' made 'and' throughout", False,
               "Which type of calcinosis can occur in tissue that is damaged and inflamed, and has become malignant "
               "and died?"),
    HandMutant("which-type-damaged-inflamed-malignant-tissue", "conjunction: one 'or' made 'and'", False,
               "Which type of calcinosis can occur in tissue that is damaged and inflamed, or has become malignant or "
               "died?"),
    HandMutant("signs-colour-white-yellowish", "conjunction: 'or' made 'and' in the answer", False,
               answer="White and yellowish."),
    HandMutant("surgical-wide-excision-when", "conjunction: 'or' made 'and' in the answer", False,
               answer="Large and recurrent deposits."),
    HandMutant("which-type-abnormal-calcium-phosphorus", "conjunction: 'or' made 'and' in the question", False,
               "Diseases that cause abnormal amounts of calcium and phosphorus lead to which type of calcium deposits "
               "in the skin?", quote=_DISEASES),
    HandMutant("body-calc-vascular-sites", "conjunction: 'and' made 'or', the answer in the wh-word's place", False,
               "Vascular calcification affects the arteries or which site in the heart?"),
    HandMutant("prevent-blood-sugar-pressure", "conjunction: 'and' made 'or' in the answer", False,
               answer="Blood sugar or blood pressure."),
    HandMutant("chelation-risk-hypocalcemia", "conjunction: 'and' made 'or', a stop-word between", False,
               "What is EDTA designed to bind to?", "Ionic calcium or other metals.", quote=_EDTA_BINDS),
    HandMutant("which-type-normal-levels-no-condition", "conjunction: 'and' made 'or' in the question", False,
               "When calcium or phosphorus levels are normal and there are no underlying medical conditions, what is "
               "calcification called?"),
    # a word put beside another in the place of its neighbour in the sentence, which the claim says elsewhere
    HandMutant("prevent-magnesium-hydroxyapatite",
               "neighbour: the modifier swapped with the answer (moved from prevent-magnesium-antagonist, retired)",
               False, "Which mineral acts as a natural magnesium antagonist?", "Calcium.", quote=_ANTAGONIST),
    HandMutant("prevent-magnesium-hydroxyapatite", "neighbour: the modifier swapped with the answer's", False,
               "Adequate hydroxyapatite levels directly inhibit the precipitation of which crystals in soft tissues?",
               "Magnesium crystals."),
    HandMutant("body-calc-smoking-sites", "neighbour: 'increased' moved to the other noun", False,
               "Where are calcifications associated with increased smoking?"),
    HandMutant("chelation-risk-hypocalcemia", "neighbour: subject and object swapped, the verb's neighbour", False,
               "Which risk does hypocalcemia carry?", "Systemic chelation."),
    HandMutant("milia-cause-keratin", "neighbour: subject and object swapped, the verb's neighbour", False,
               "What are small cysts that form when milia get trapped under the surface of the skin?",
               "Small pieces of keratin."),
    # causal verbs the table had not read
    HandMutant("dystrophic-cause-panniculitis", "cause: 'play a role in' turned round", False,
               "Calcification plays a role in many factors, including which?", "Persistent inflammation.",
               quote=_FACTORS),
    HandMutant("metastatic-cause-sarcoidosis", "cause: 'lead from', read as 'result from'", False,
               "Sarcoidosis can lead from which type of calcinosis?", "Metastatic calcinosis."),
    # classes the gate already refused, kept so that it goes on refusing them
    HandMutant("kidney-stone-calcium-oxalate", "quantifier most -> all", False, "What are all kidney stones made of?"),
    HandMutant("body-calc-adults-over-60-vessels", "quantifier most -> few", False,
               cloze="Few adults older than 60 have calcium deposits in their {{c1::blood vessels}}."),
    HandMutant("body-calc-xray-incidental", "quantifier often -> rarely", False,
               "Calcifications are rarely detected when what is being done for other reasons?"),
    HandMutant("body-calc-adults-over-60-vessels", "number 60 -> 50", False,
               cloze="Most adults older than 50 have calcium deposits in their {{c1::blood vessels}}."),
    HandMutant("body-calcium-99-percent", "the other sentence's number", False, answer="About 1 percent."),
    HandMutant("diagnosis-vitamin-d-monitored", "sequence: 'if' -> 'before'", False,
               "Before you have calcium deposits, the levels of which vitamin will be monitored?"),
    HandMutant("kidney-stone-urine-calcium-cloze", "negation moved to the other clause", False,
               cloze="People who don't get calcium oxalate stones release {{c1::more calcium in their urine}} than "
                     "those who do."),
    HandMutant("breast-calc-micro-patterns", "negation moved from 'cancerous' to 'often'", False,
               "Microcalcifications are not often cancerous, but what may some microcalcification patterns be signs "
               "of?", "Early breast cancer.", quote=_MICRO),
    HandMutant("body-calc-smoking-sites", "association made a cause", False,
               "Smoking causes increased calcifications where?"),
    # honest rewordings of the same cards
    HandMutant("prevent-magnesium-hydroxyapatite",
               "neighbour kept: antagonist of which mineral (moved from prevent-magnesium-antagonist, retired)", True,
               "Magnesium acts as a natural antagonist of which mineral?", "Calcium.", quote=_ANTAGONIST),
    HandMutant("prevent-magnesium-hydroxyapatite",
               "neighbour kept: the modifier asked (moved from prevent-magnesium-antagonist, retired)", True,
               "Magnesium is a mineral that acts as a natural what?", "Calcium antagonist.", quote=_ANTAGONIST),
    HandMutant("prevent-urine-supersaturation-cloze",
               "neighbour kept: a cloze (moved from prevent-magnesium-antagonist, retired)", True,
               cloze="{{c1::Magnesium}} is a mineral that acts as a natural calcium antagonist.",
               quote=("calcification-overview", "Magnesium is ... mineral that acts as a natural calcium antagonist")),
    HandMutant("prevent-magnesium-hydroxyapatite", "neighbour kept: the object fronted", True,
               "The precipitation of which crystals in soft tissues do adequate magnesium levels directly inhibit?",
               "Hydroxyapatite crystals."),
    HandMutant("prevent-magnesium-hydroxyapatite", "neighbour kept: the subject asked", True,
               "What directly inhibits the precipitation of hydroxyapatite crystals in soft tissues?",
               "Adequate magnesium levels."),
    HandMutant("body-calc-smoking-sites", "neighbour kept: the place first", True,
               "In the heart and major arteries, smoking is associated with increased what?", "Calcifications."),
    HandMutant("body-calc-smoking-sites", "neighbour kept: the subject asked", True,
               "What is associated with increased calcifications in the heart and major arteries?", "Smoking."),
    HandMutant("chelation-risk-hypocalcemia", "neighbour kept: which chelation", True,
               "Which chelation carries risks, such as hypocalcemia?", "Systemic chelation."),
    HandMutant("milia-cause-keratin", "neighbour kept: what are milia", True,
               "What are small cysts that form when a small piece of keratin gets trapped under the surface of the "
               "skin?", "Milia."),
    HandMutant("surgical-toothpaste-material", "neighbour kept: the verb after its subject, a comma before", True,
               "For soft tissue deposits, arthroscopic procedures may involve removing what kind of material from a "
               "tendon or joint?"),
    HandMutant("which-type-normal-levels-no-condition", "neighbour kept: two words joined by 'and' swapped", True,
               "When phosphorus and calcium levels are normal and there are no underlying medical conditions, what is "
               "calcification called?"),
    HandMutant("which-type-damaged-inflamed-malignant-tissue", "conjunction kept: the alternatives reordered", True,
               "Which type of calcinosis can occur in tissue that is inflamed or damaged, or has died or become "
               "malignant?"),
    HandMutant("prevent-blood-sugar-pressure", "conjunction kept: one of the two asked", True,
               "Strict control of blood sugar and what reduces the risk of vascular damage that can trigger "
               "calcification?", "Blood pressure."),
    HandMutant("body-calc-vascular-sites", "conjunction kept: both asked", True,
               "Vascular calcification affects which sites?", "Arteries and heart valves.",
               quote=("calcification-overview", "Vascular calcification, which affects arteries and heart valves")),
    HandMutant("chelation-risk-hypocalcemia", "conjunction kept: and other what", True,
               "EDTA is designed to bind to ionic calcium and other what?", "Metals.", quote=_EDTA_BINDS),
    HandMutant("surgical-wide-excision-when", "conjunction kept: 'or' in the question", True,
               "For large or recurrent deposits in which tissues is wide surgical excision sometimes necessary?",
               "The skin and subcutaneous tissue."),
    HandMutant("dystrophic-cause-panniculitis", "cause kept: 'play a role in'", True,
               "Many factors play a role in calcification, including which?", "Persistent inflammation.",
               quote=_FACTORS),
    HandMutant("metastatic-cause-sarcoidosis", "cause kept: 'lead from' the passage's way", True,
               "Metastatic calcinosis can lead from which condition?", "Sarcoidosis."),
    HandMutant("signs-primary-symptom-firm-pimple-like", "neighbour: a modifier moved to another noun", False,
               "What is the symptom of calcinosis cutis (calcinosis in the primary skin)?"),
    HandMutant("kidney-stone-calcium-oxalate", "neighbour: the answer's word and the question's swapped", False,
               "What are most oxalate stones made of?", "Calcium kidney."),
    HandMutant("diagnosis-vitamin-d-monitored", "neighbour kept: a possessive where the answer stood", True,
               "If you have calcium deposits, which vitamin's levels will be monitored?"),
    HandMutant("milia-cause-keratin", "neighbour kept: the place first, the subject an apposition", True,
               "Under the surface of the skin, what gets trapped when milia, small cysts, form?"),
    HandMutant("chelation-edta-approved-use", "neighbour kept: the answer's modifiers asked", True,
               "EDTA chelation is an approved treatment for which poisoning?", "Heavy metal poisoning.",
               quote=_EDTA_APPROVED),
    HandMutant("prevent-magnesium-vascular-ckd", "neighbour kept: the modifier asked", True,
               "Studies have suggested that magnesium supplementation may slow the progression of which calcification, "
               "especially in individuals with chronic kidney disease?", "Vascular calcification."),
    HandMutant("tx-iontophoresis-name", "neighbour kept: the modifier kept, its noun asked", True,
               "Iontophoresis delivers medications directly to calcium deposits by using a weak what?",
               "Electrical current."),
    HandMutant("iatrogenic-cause-infant-heel", "neighbour kept: 'an infant's heel' as 'the heel of an infant'", True,
               "Which type of calcinosis is typically attributed to repeated drawing of blood from the heel of an "
               "infant?"),
    # from the attack of round 5 (gate5): who does what to whom, read from the words that join two words (a preposition,
    # a determiner, a modal) - false claims the link rule refuses, each word keeping every neighbour it has
    HandMutant("chelation-risk-hypocalcemia", "link: subject and object of 'bind to' swapped", False,
               "What is designed to bind to EDTA?", "Ionic calcium and other metals.", quote=_EDTA_BINDS),
    HandMutant("chelation-risk-hypocalcemia", "link: subject and object of 'bind to' swapped, the object asked", False,
               "What are ionic calcium and other metals designed to bind to?", "EDTA.", quote=_EDTA_BINDS),
    HandMutant("prevent-mgp-inhibitor", "link: 'an inhibitor of' turned round", False,
               "Calcification is an inhibitor of which Gla protein?", "Matrix Gla Protein (MGP)."),
    HandMutant("prevent-mgp-inhibitor", "link: 'an inhibitor of' turned round, the object asked", False,
               "What is calcification an inhibitor of?", "Matrix Gla Protein (MGP)."),
    HandMutant("dystrophic-mechanism-proteins", "link: a relative clause's subject and object swapped", False,
               _RELEASE, "Phosphates that bind to proteins.", quote=_PROTEINS),
    HandMutant("eswt-mechanism", "link: subject and object of 'fragment' swapped", False,
               "The calcium crystals fragment the shockwaves in tendons, allowing the body to do what with the smaller "
               "particles?", "Resorb them."),
    HandMutant("eswt-mechanism", "link: the object of 'fragment' and the place swapped", False,
               "Shockwaves fragment the tendons in calcium crystals, allowing the body to do what with the smaller "
               "particles?", "Resorb them."),
    HandMutant("prevent-magnesium-vascular-ckd", "link: a modifier moved across 'of' to another noun", False,
               "Studies have suggested that magnesium supplementation may slow the vascular progression of "
               "calcification especially in which individuals?"),
    HandMutant("ccb-mechanism-skin-cells", "link: the subject of 'can absorb' swapped with the subject", False,
               "What is said to reduce the amount of calcium that calcium blockers can absorb?", "Skin cells."),
    HandMutant("ccb-mechanism-skin-cells", "link: the subject of 'can absorb' swapped, it asked", False,
               "Skin cells are said to reduce the amount of calcium that what can absorb?", "Calcium blockers."),
    HandMutant("milia-cause-keratin", "link: the objects of two 'of's swapped", False,
               "Milia are small cysts that form when what gets trapped under the surface of keratin?",
               "A small piece of the skin."),
    # ... and honest rewordings of the same cards, which it accepts: the object asked (after the preposition it is
    # the object of, or in the wh-word's place), the answer a participle, the place or a phrase moved
    HandMutant("chelation-risk-hypocalcemia", "link kept: what EDTA is designed to bind to", True,
               "What is EDTA designed to bind to?", "Ionic calcium and other metals.", quote=_EDTA_BINDS),
    HandMutant("chelation-risk-hypocalcemia", "link kept: to what, the preposition first", True,
               "To what is EDTA designed to bind?", "Ionic calcium and other metals.", quote=_EDTA_BINDS),
    HandMutant("prevent-mgp-inhibitor", "link kept: what MGP is an inhibitor of", True,
               "What is Matrix Gla Protein (MGP) an inhibitor of?", "Calcification."),
    HandMutant("prevent-mgp-inhibitor", "link kept: an inhibitor of what", True,
               "Matrix Gla Protein (MGP) is an inhibitor of what?", "Calcification."),
    HandMutant("dystrophic-mechanism-proteins", "link kept: a participle for the relative clause", True,
               _RELEASE, "Proteins binding to phosphates.", quote=_PROTEINS),
    HandMutant("eswt-mechanism", "link kept: the object of 'fragment' asked", True,
               "Shockwaves fragment what in tendons, allowing the body to resorb the smaller particles?",
               "The calcium crystals."),
    HandMutant("eswt-mechanism", "link kept: the place first", True,
               "In tendons, shockwaves fragment the calcium crystals, allowing the body to do what with the smaller "
               "particles?", "Resorb them."),
    HandMutant("ccb-mechanism-skin-cells", "link kept: the subject of 'can absorb' asked", True,
               "Calcium blockers are said to reduce the amount of calcium that what can absorb?", "Skin cells."),
    HandMutant("ccb-mechanism-skin-cells", "link kept: the object of 'amount of' asked", True,
               "Calcium blockers are said to reduce the amount of what that skin cells can absorb?", "Calcium."),
    HandMutant("prevent-magnesium-vascular-ckd", "link kept: the individuals asked first", True,
               "Especially in which individuals may magnesium supplementation slow the progression of vascular "
               "calcification, studies have suggested?"),
    HandMutant("milia-cause-keratin", "link kept: a small piece of what", True,
               "Milia are small cysts that form when a small piece of what gets trapped under the surface of the skin?",
               "Keratin."),
    HandMutant("tx-iontophoresis-name", "link kept: the means first", True,
               "Using a weak electrical current, what can deliver medications directly to calcium deposits?",
               "Iontophoresis."),
    HandMutant("body-calcium-99-percent", "link kept: 'your body's calcium' as 'the calcium of your body'", True,
               "What percent of the calcium of your body is in your teeth and bones?"),
    # from the second pass of round 5: a link's ends turned round where the anchor is "as" ("appears as"), a "type
    # of", a preposition the question starts with or ends with, or a modal; each refused by the link rule alone
    HandMutant("kidney-stone-calcium-oxalate", "link: 'made of' turned round, the object asked", False,
               "What is calcium oxalate made of?", "Most kidney stones."),
    HandMutant("body-calcium-99-percent", "link: 'percent of' given the place, the place the whole", False,
               "What percent of your teeth and bones is in your body's calcium?", "About 99 percent."),
    HandMutant("hydroxyapatite-compound-type", "link: 'a type of' turned round", False,
               "Calcium phosphate is a type of which mineral?", "Hydroxyapatite."),
    HandMutant("chelation-edta-approved-use", "link: 'treatment for' turned round, the preposition first", False,
               "For what is heavy metal poisoning an approved treatment?", "EDTA chelation.", quote=_EDTA_APPROVED),
    HandMutant("metastatic-healthy-tissue", "link: 'happens in' turned round, the preposition first", False,
               "In what kind of calcification does otherwise healthy tissue happen?", "Metastatic calcification."),
    HandMutant("signs-colour-white-yellowish", "link: 'appears as' turned round", False,
               "Lumps of which colour often appear as calcinosis in the skin?", "White or yellowish."),
    HandMutant("signs-common-site-fingertips", "link: the objects of 'tips of' and 'around' swapped (moved from "
               "signs-common-site-knees, retired)", False,
               "On the skin, calcium deposits are most commonly found on the tips of the knees, on the shins and "
               "around which sites?", "The elbows and fingers."),
    HandMutant("which-type-damaged-inflamed-malignant-tissue", "link: 'occur in' turned round", False,
               "Which tissue can occur in dystrophic calcinosis that is damaged or inflamed, or has become malignant "
               "or died?", "Tissue."),
    HandMutant("calcinosis-definition-cloze", "link: the objects of 'amounts of' and 'the body's' swapped", False,
               cloze="Calcification (calcinosis) occurs when abnormal amounts of {{c1::soft tissue}} are deposited in "
                     "the body's {{c2::calcium phosphate}}."),
    HandMutant("eswt-mechanism", "link: subject and object of 'to resorb' swapped", False,
               "Shockwaves fragment the calcium crystals in tendons, allowing the smaller particles to do what with "
               "the body?", "Resorb it."),
    HandMutant("hydroxyapatite-compound-type", "link kept: what hydroxyapatite is a type of", True,
               "Which mineral is hydroxyapatite a type of?", "Calcium phosphate."),
    HandMutant("signs-colour-white-yellowish", "link kept: what it appears as, the preposition last", True,
               "Lumps of which colour does calcinosis in the skin often appear as?", "White or yellowish."),
    HandMutant("signs-colour-white-yellowish", "link kept: appears as what", True,
               "Calcinosis in the skin often appears as what?", "White or yellowish lumps."),
    HandMutant("which-type-damaged-inflamed-malignant-tissue", "link kept: the tissue first", True,
               "In tissue that is damaged or inflamed, or has become malignant or died, which type of calcinosis can "
               "occur?"),
    HandMutant("calcinosis-definition-cloze", "link kept: the when-clause first", True,
               cloze="When abnormal amounts of {{c1::calcium phosphate}} are deposited in the body's "
                     "{{c2::soft tissue}}, calcification (calcinosis) occurs."),
    HandMutant("metastatic-healthy-tissue", "link kept: happens in what kind of tissue", True,
               "Metastatic calcification happens in what kind of tissue?", "Otherwise healthy tissue."),
    HandMutant("chelation-edta-approved-use", "link kept: a treatment for what", True,
               "EDTA chelation is an approved treatment for what?", "Heavy metal poisoning.", quote=_EDTA_APPROVED),
    HandMutant("kidney-stone-calcium-oxalate", "link kept: made of what", True,
               "Most kidney stones are made of what?", "Calcium oxalate."),
    HandMutant("ccb-mechanism-skin-cells", "link kept: such as which drug (moved from ccb-option-for-calcinosis-cutis, "
               "retired)", True,
               "Calcium channel blockers, such as which drug, are said to be an option for calcinosis cutis?",
               "Diltiazem.", quote=_CCB_OPTION),
    # a causal verb in an object relative clause, its subject between "that" and it: read as such, cause and effect
    # turned round are refused
    HandMutant("prevent-blood-sugar-pressure", "cause: turned round in an object relative clause", False,
               "Strict control of blood sugar and blood pressure reduces the risk of what?",
               "Vascular damage that calcification can trigger."),
    HandMutant("prevent-blood-sugar-pressure", "cause: turned round in an object relative clause, its subject asked",
               False, "Strict control of blood sugar and blood pressure reduces the risk of vascular damage that what "
                      "can trigger?", "Calcification."),
    HandMutant("prevent-urine-supersaturation-cloze", "cause: turned round in an object relative clause", False,
               cloze="The {{c1::supersaturation}} of urine that crystal formation can lead to."),
    HandMutant("signs-joint-stiffness", "cause: turned round in an object relative clause, its subject asked", False,
               "Bumps arising near joints are ones that what can cause?", "Joint stiffness."),
    HandMutant("prevent-blood-sugar-pressure", "cause kept: the subject relative clause in the answer", True,
               "Strict control of blood sugar and blood pressure reduces the risk of what?",
               "Vascular damage that can trigger calcification."),
    HandMutant("prevent-blood-sugar-pressure", "cause kept: the relative clause's object asked", True,
               "Strict control of blood sugar and blood pressure reduces the risk of vascular damage that can trigger "
               "what?", "Calcification."),
    HandMutant("prevent-urine-supersaturation-cloze", "cause kept: an object relative clause", True,
               cloze="The {{c1::crystal formation}} that supersaturation of urine can lead to."),
    HandMutant("prevent-urine-supersaturation-cloze", "cause kept: an object relative clause with 'which'", True,
               cloze="The {{c1::crystal formation}} which the supersaturation of urine can lead to."),
    HandMutant("signs-joint-stiffness", "cause kept: an object relative clause, the antecedent asked", True,
               "What are ones that bumps arising near joints can cause?", "Joint stiffness."),
    HandMutant("metastatic-cause-kidney-failure", "cause kept: an object relative clause, the antecedent asked", True,
               "What is the type of calcinosis that kidney failure can result in?", "Metastatic calcinosis."),
    # from the holes of round 5, closed in round 6 (gate6): a word put on the other side of a word that opens a clause of
    # order or condition ("if", "before", "after", "until", "during", "even when") than the sentence has it, refused by
    # the order rule alone; or of a naming word ("called", "such as"), by the naming rule alone (sides.py)
    HandMutant("signs-early-itching-redness", "order: the sides of 'before' swapped", False,
               "Most people have no symptoms until calcium deposits form, but before what do some people notice the "
               "bumps appear?", "Mild itching or redness."),
    HandMutant("tx-recurrence-after-procedures", "order: the sides of 'after' swapped", False,
               "Even after calcium deposits reappear, what may there be?", "These procedures.", quote=_PROCEDURES),
    HandMutant("tx-recurrence-after-procedures", "order: the sides of 'after' swapped, the procedures asked", False,
               "Even after the calcium deposits, what may these procedures do?", "Reappear.", quote=_PROCEDURES),
    HandMutant("breast-calc-too-small-for-exam", "order: subject and object of 'found during' swapped", False,
               "A regular breast exam is too small to be found during what?", "Breast calcifications."),
    HandMutant("breast-calc-too-small-for-exam", "order: the sides of 'during' swapped, the subject asked", False,
               "What are too small to be found during breast calcifications?", "A regular breast exam."),
    HandMutant("body-calc-xray-incidental", "order: the sides of 'during' swapped", False,
               "Mammograms are often detected during what?", "Breast tissue.", quote=_MAMMOGRAMS),
    HandMutant("body-calc-xray-incidental", "order: the sides of 'during' swapped, 'during' first", False,
               "During what is mammograms often detected?", "Breast tissue.", quote=_MAMMOGRAMS),
    HandMutant("diagnosis-vitamin-d-monitored", "order: 'if': condition and consequence swapped", False,
               "If your vitamin D levels will be monitored, what do you have?", "Calcium deposits."),
    HandMutant("diagnosis-biopsy", "order: 'if': condition and consequence swapped", False,
               "If a biopsy can be performed to accurately diagnose calcium deposits, what is it?", "Necessary."),
    HandMutant("tx-recurrence-after-procedures", "order: 'if' after the main clause: condition and consequence swapped",
               False, "The calcium buildup may be severe enough to affect the valve's function if you need what?",
               "Surgery to open or replace the valve.", quote=_VALVE),
    HandMutant("prevent-urine-supersaturation-cloze", "order: 'if': condition and consequence swapped, a list after 'if'",
               False, cloze="If your calcium, phosphorus, and vitamin D levels will be monitored, you have {{c1::calcium "
                            "deposits}}.", quote=_MONITORED),
    HandMutant("diagnosis-vitamin-d-monitored", "order: 'if' last: condition and consequence swapped, a list after 'if'",
               False, "You have what if your calcium, phosphorus, and vitamin D levels will be monitored?",
               "Calcium deposits.", quote=_MONITORED),
    HandMutant("prevent-urine-supersaturation-cloze", "order: 'if' after an aside ('for example,'): condition and "
               "consequence swapped", False, cloze="For example, if these tests can determine your overall kidney "
                                                  "function, you have {{c1::kidney stones}}.", quote=_KIDNEY_TESTS),
    HandMutant("kidney-stone-calcium-oxalate", "order: 'if' after an aside ('for example,'): condition and consequence "
               "swapped", False, "For example, if these tests can determine your overall kidney function, what do you "
                                 "have?", "Kidney stones.", quote=_KIDNEY_TESTS),
    HandMutant("dystrophic-normal-calcium-phosphorus", "order: 'even when': the clauses swapped", False,
               "The body's mineral levels are normal even when what occurs?", "Dystrophic calcification."),
    HandMutant("dystrophic-normal-calcium-phosphorus", "order: 'even when': the clauses swapped, the levels asked",
               False, "The body's mineral levels are what even when dystrophic calcification occurs?", "Normal."),
    HandMutant("which-type-damaged-inflamed-malignant-tissue", "order: 'even when': the clauses swapped, the tissue "
               "asked", False, "The body's mineral levels are normal even when dystrophic calcification occurs in "
                               "which tissue?", "Damaged, degenerated, or necrotic tissue.", quote=_NECROTIC),
    HandMutant("ccb-mechanism-skin-cells", "naming: 'such as' turned round, the example made the kind (moved from "
               "ccb-option-for-calcinosis-cutis, retired)", False,
               "Which drugs, such as calcium channel blockers, are said to be an option for calcinosis cutis?",
               "Diltiazem.", quote=_CCB_OPTION),
    HandMutant("tx-antacid-aluminum-hydroxide", "naming: 'such as' turned round", False,
               "Gaviscon Extra Relief Formula and Acid Gone Antacid, such as antacids containing what, are some of the "
               "options for calcinosis cutis?", "Aluminum hydroxide.", quote=_ANTACIDS),
    HandMutant("tx-triamcinolone-examples", "naming: 'such as' turned round", False,
               "Which drug in acetonide or diacetate form, such as intralesional corticosteroids, is an option for "
               "calcinosis cutis?", "Triamcinolone."),
    HandMutant("prevent-urine-supersaturation-cloze", "naming: 'like' turned round, the examples made the kind", False,
               cloze="The kidneys and lungs, like organs, can also accumulate {{c1::mineral deposits}}.", quote=_ORGANS),
    HandMutant("prevent-urine-supersaturation-cloze", "naming: 'like' turned round, the condition made its cause", False,
               cloze="Calcific tendinopathy like {{c1::soft tissue calcification}} is commonly observed in tendons, "
                     "leading to conditions.", quote=_TENDONS),
    HandMutant("which-type-normal-levels-no-condition", "naming: 'called' turned round, the name made what is named",
               False, "When calcium and phosphorus levels are normal and there are no underlying medical conditions, "
                      "what is idiopathic calcinosis called?", "Calcification."),
    HandMutant("which-type-medications-procedures", "naming: 'called' turned round", False,
               "Certain medications and medical procedures can cause a type of iatrogenic calcinosis called what?",
               "Calcification of the skin."),
    HandMutant("which-type-medications-procedures", "naming: 'known as' for the sentence's 'called', turned round", False,
               "Certain medications and medical procedures can cause a type of iatrogenic calcification known as what?",
               "Calcification of the skin."),
    HandMutant("which-type-medications-procedures", "naming: 'named' for the sentence's 'called', turned round", False,
               "Certain medications and medical procedures can cause a type of iatrogenic calcification named what?",
               "Calcification of the skin."),
    HandMutant("which-type-abnormal-calcium-phosphorus", "naming: 'called' turned round", False,
               "Diseases that cause abnormal amounts of calcium or phosphorus lead to a form of metastatic calcinosis "
               "called what?", "Calcium deposits in the skin.", quote=_DISEASES),
    # a question inverted about its modal, whose wh-word asks for the object of the verb that ends it ("what will X
    # leak?"), read as "X will leak <answer>" by the link rule, which refuses its subject and object swapped
    HandMutant("signs-punctured-chalky-paste", "link: subject and object of 'will leak' swapped, the question inverted",
               False, "If punctured, what will a white, chalky, paste-like material leak?", "This type of nodule."),
    HandMutant("prevent-magnesium-vascular-ckd", "link: subject and object of 'may slow' swapped, the question inverted",
               False, "What may the progression of vascular calcification slow?", "Magnesium supplementation.",
               quote=_MAGNESIUM_SLOWS),
    HandMutant("prevent-magnesium-vascular-ckd", "link: the question inverted about 'may', which asked", False,
               "Which supplementation may the progression of vascular calcification slow?", "Magnesium supplementation.",
               quote=_MAGNESIUM_SLOWS),
    HandMutant("prevent-magnesium-vascular-ckd", "link kept: the question inverted about 'may'", True,
               "What may magnesium supplementation slow?", "The progression of vascular calcification.",
               quote=_MAGNESIUM_SLOWS),
    HandMutant("prevent-magnesium-vascular-ckd", "link kept: the subject of 'may slow' asked", True,
               "What may slow the progression of vascular calcification?", "Magnesium supplementation.",
               quote=_MAGNESIUM_SLOWS),
    HandMutant("signs-punctured-chalky-paste", "link kept: the question inverted about 'will', the nodule named", True,
               "If punctured, what will this type of nodule leak?", "A white, chalky, paste-like material.", quote=_NODULE),
    HandMutant("signs-punctured-chalky-paste", "link kept: the subject of 'may recommend' asked, a verb after the modal",
               True, "If the pain doesn't go away, your what may recommend surgery?", "Doctor.", quote=_SURGERY),
    HandMutant("signs-punctured-chalky-paste", "link kept: the subject of 'will leak' asked", True,
               "If punctured, what will leak a white, chalky, paste-like material?", "This type of nodule.", quote=_NODULE),
    # a verb made passive with its subject and object left where they stood, refused by the voice rule alone
    HandMutant("prevent-magnesium-hydroxyapatite", "passive: a verb made passive, its subject and object turned round",
               False, "Adequate magnesium levels are directly inhibited by the precipitation of which crystals in soft "
                      "tissues?", "Hydroxyapatite crystals."),
    HandMutant("eswt-mechanism", "passive: 'fragment' made passive, its subject and object turned round", False,
               "Shockwaves are fragmented by the calcium crystals in tendons, allowing the body to do what with the "
               "smaller particles?", "Resorb them."),
    HandMutant("ccb-mechanism-skin-cells", "passive: 'reduce' made passive, the agent asked", False,
               "Calcium channel blockers are said to be reduced by what in skin cells?",
               "The amount of calcium they can absorb."),
    HandMutant("prevent-blood-sugar-pressure", "passive: 'reduces' made passive, the subject asked", False,
               "Strict control of what is reduced by the risk of vascular damage that can trigger calcification?",
               "Blood sugar and blood pressure."),
    HandMutant("prevent-magnesium-hydroxyapatite", "passive: made passive with 'through', its subject and object turned "
               "round", False, "Adequate magnesium levels are directly inhibited through the precipitation of which "
                              "crystals in soft tissues?", "Hydroxyapatite crystals."),
    HandMutant("eswt-mechanism", "passive: made passive with 'via', its subject and object turned round", False,
               "Shockwaves are fragmented via the calcium crystals in tendons, allowing the body to do what with the "
               "smaller particles?", "Resorb them."),
    HandMutant("prevent-magnesium-hydroxyapatite", "passive kept: made passive with 'through', the object made the "
               "subject", True, "The precipitation of which crystals in soft tissues is directly inhibited through "
                                "adequate magnesium levels?", "Hydroxyapatite crystals."),
    HandMutant("signs-early-itching-redness", "passive kept: the agent brought beside 'before'", True,
               "Mild itching or redness is noticed by some people before what?", "The bumps appear.", quote=_BEFORE),
    HandMutant("prevent-urine-supersaturation-cloze", "passive kept: the agent brought beside 'before', a cloze", True,
               cloze="{{c1::Mild itching or redness}} is noticed by some people before the bumps appear.",
               quote=_BEFORE),
    HandMutant("prevent-magnesium-hydroxyapatite", "passive kept: the object made the subject", True,
               "The precipitation of which crystals in soft tissues is directly inhibited by adequate magnesium levels?",
               "Hydroxyapatite crystals."),
    HandMutant("eswt-mechanism", "passive kept: the object made the subject", True,
               "The calcium crystals in tendons are fragmented by shockwaves, allowing the body to do what with the "
               "smaller particles?", "Resorb them."),
    HandMutant("ccb-mechanism-skin-cells", "passive kept: the agent asked", True,
               "What in skin cells is said to be reduced by calcium channel blockers?",
               "The amount of calcium they can absorb."),
    HandMutant("prevent-blood-sugar-pressure", "passive kept: the agent asked", True,
               "The risk of vascular damage that can trigger calcification is reduced by strict control of what?",
               "Blood sugar and blood pressure."),
    HandMutant("prevent-urine-supersaturation-cloze", "passive: turned round with its 'by' phrase put first", False,
               cloze="By the precipitation of hydroxyapatite crystals in soft tissues, adequate magnesium levels are "
                     "directly {{c1::inhibited}}.", quote=_MAGNESIUM),
    HandMutant("prevent-urine-supersaturation-cloze", "passive: turned round with its 'by' phrase put first, the "
               "patient deleted", False,
               cloze="By the calcium crystals in tendons, the {{c1::shockwaves}} are fragmented.", quote=_SHOCKWAVES),
    HandMutant("prevent-urine-supersaturation-cloze", "passive: turned round with its 'through' phrase put first",
               False, cloze="Through the amount of calcium that skin cells can absorb, {{c1::calcium blockers}} are "
                            "reduced.", quote=_BLOCKERS),
    HandMutant("prevent-magnesium-hydroxyapatite", "passive: asked with 'by what' first, its subject and object turned "
               "round", False, "By what are adequate magnesium levels directly inhibited?",
               "The precipitation of hydroxyapatite crystals in soft tissues.", quote=_MAGNESIUM),
    HandMutant("eswt-mechanism", "passive: asked with 'by what' first, turned round", False,
               "By what are the shockwaves fragmented?", "The calcium crystals in tendons.", quote=_SHOCKWAVES),
    HandMutant("ccb-mechanism-skin-cells", "passive: asked with 'by what' first, turned round", False,
               "By what are calcium blockers reduced?", "The amount of calcium that skin cells can absorb.",
               quote=_BLOCKERS),
    HandMutant("eswt-mechanism", "passive kept: asked with 'by what' first", True,
               "By what are the calcium crystals in tendons fragmented?", "The shockwaves.", quote=_SHOCKWAVES),
    HandMutant("prevent-magnesium-hydroxyapatite", "passive kept: asked with 'by what' first, a patient with 'of' and "
               "'in'", True, "By what is the precipitation of hydroxyapatite crystals in soft tissues directly "
                             "inhibited?", "Adequate magnesium levels.", quote=_MAGNESIUM),
    HandMutant("prevent-urine-supersaturation-cloze", "passive kept: its 'by' phrase put first", True,
               cloze="By adequate magnesium levels, the precipitation of hydroxyapatite crystals in soft tissues is "
                     "directly {{c1::inhibited}}.", quote=_MAGNESIUM),
    HandMutant("prevent-urine-supersaturation-cloze", "passive kept: its 'via' phrase put first, the patient deleted",
               True, cloze="Via the shockwaves, the {{c1::calcium crystals}} in tendons are fragmented.",
               quote=_SHOCKWAVES),
    HandMutant("prevent-urine-supersaturation-cloze", "passive kept: its 'by' phrase put first, a relative clause in "
               "the patient", True,
               cloze="By calcium blockers, the amount of calcium that skin cells can absorb is {{c1::reduced}}.",
               quote=_BLOCKERS),
    # a patient said word for word after the active verb brings its last word beside the passive's verb
    HandMutant("ccb-mechanism-skin-cells", "passive kept: asked with 'by what' first, a relative clause in the "
               "patient", True, "By what is the amount of calcium that skin cells can absorb reduced?",
               "Calcium blockers.", quote=_BLOCKERS),
    HandMutant("ccb-mechanism-skin-cells", "patient: the subject of 'can absorb' swapped in a passive asked with "
               "'by what' first", False, "By what is the amount of calcium that calcium blockers can absorb reduced?",
               "Skin cells.", quote=_BLOCKERS),
    # the verb of a subject relative clause swapped with its sentence's verb, refused by the relative rule alone
    HandMutant("kidney-stone-urine-calcium-cloze", "relative: the two verbs of a relative clause and its sentence "
               "swapped", False, cloze="People who release more calcium in their urine get {{c1::calcium oxalate "
                                       "stones}} than those who don't."),
    HandMutant("kidney-stone-urine-calcium-cloze", "relative: the two verbs swapped, 'that' for 'who'", False,
               cloze="People that release more calcium in their urine get {{c1::calcium oxalate stones}} than those who "
                     "don't."),
    HandMutant("milia-frequency-vs-calcium-deposits", "relative: the two verbs swapped, 'that' for 'who'", False,
               "Those that often mistake them for what develop them?", "Calcium deposits.", quote=_MISTAKE),
    HandMutant("prevent-urine-supersaturation-cloze", "relative: the two verbs swapped, the relative clause deleted",
               False, cloze="People who {{c1::release more calcium in their urine}} get calcium oxalate stones than "
                            "those who don't.", quote=_KIDNEY_STONES),
    HandMutant("milia-frequency-vs-calcium-deposits", "relative: the two verbs swapped", False,
               "Those who often mistake them for what develop them?", "Calcium deposits.", quote=_MISTAKE),
    HandMutant("prevent-urine-supersaturation-cloze", "relative: the two verbs swapped, a cloze", False,
               cloze="Those who often mistake them for {{c1::calcium deposits}} develop them.", quote=_MISTAKE),
    HandMutant("which-type-abnormal-calcium-phosphorus", "relative: the verb of the sentence's 'that' clause (no modal) "
               "and the sentence's verb swapped", False,
               "Diseases that lead to a form of calcium deposits called metastatic calcification of the skin cause "
               "abnormal amounts of what?", "Calcium or phosphorus.", quote=_DISEASES),
    HandMutant("which-type-abnormal-calcium-phosphorus", "relative: the two verbs swapped, 'that' with no modal, the "
               "name asked", False, "Diseases that lead to a form of calcium deposits called what cause abnormal "
                                    "amounts of calcium or phosphorus?", "Metastatic calcification of the skin.",
               quote=_DISEASES),
    HandMutant("prevent-urine-supersaturation-cloze", "relative: the two verbs swapped, 'that' with no modal, a cloze",
               False, cloze="Diseases that lead to a form of calcium deposits called metastatic calcification of the "
                            "skin cause {{c1::abnormal amounts of calcium or phosphorus}}.", quote=_DISEASES),
    HandMutant("which-type-abnormal-calcium-phosphorus", "relative kept: 'that' with no modal, its object asked", True,
               "Diseases that cause abnormal amounts of what lead to a form of calcium deposits called metastatic "
               "calcification of the skin?", "Calcium or phosphorus.", quote=_DISEASES),
    HandMutant("prevent-urine-supersaturation-cloze", "relative kept: 'that' with no modal, a cloze", True,
               cloze="Diseases that cause {{c1::abnormal amounts of calcium or phosphorus}} lead to a form of calcium "
                     "deposits called metastatic calcification of the skin.", quote=_DISEASES),
    HandMutant("kidney-stone-urine-calcium-cloze", "relative kept: the relative clause's object deleted", True,
               cloze="People who get {{c1::calcium oxalate stones}} release more calcium in their urine than those who "
                     "don't."),
    HandMutant("milia-frequency-vs-calcium-deposits", "relative kept: what people who get the stones release", True,
               "People who get calcium oxalate stones release more of what in their urine than those who don't?",
               "Calcium.", quote=_KIDNEY_STONES),
    HandMutant("kidney-stone-urine-calcium-cloze", "relative kept: 'that' for 'who'", True,
               cloze="People that get {{c1::calcium oxalate stones}} release more calcium in their urine than those who "
                     "don't."),
    HandMutant("milia-frequency-vs-calcium-deposits", "relative kept: what they mistake them for", True,
               "What do those who develop them often mistake them for?", "Calcium deposits.", quote=_MISTAKE),
    HandMutant("prevent-urine-supersaturation-cloze", "relative kept: a cloze", True,
               cloze="Those who develop them often mistake them for {{c1::calcium deposits}}.", quote=_MISTAKE),
    # an active verb's subject and object turned round in a question that asks for one of them, refused by the verb
    # rule alone (from the attack of round 6)
    HandMutant("prevent-magnesium-hydroxyapatite", "active: the subject and object swapped, the sentence's verb a "
               "participle far from its subject", False, "What directly inhibits adequate magnesium levels?",
               "The precipitation of hydroxyapatite crystals in soft tissues."),
    HandMutant("body-calc-vascular-sites", "active: the subject and object swapped in a question asked with 'do', the "
               "sentence's verb in a relative clause", False, "What do arteries and heart valves affect?",
               "Vascular calcification.", quote=_VASCULAR),
    HandMutant("prevent-magnesium-hydroxyapatite", "active: the subject and object swapped in a question asked with "
               "'does', the subject a phrase with 'of' and 'in'", False,
               "What does the precipitation of hydroxyapatite crystals in soft tissues directly inhibit?",
               "Adequate magnesium levels."),
    HandMutant("ccb-mechanism-skin-cells", "active: the subject and object swapped, the subject asked", False,
               "What reduces calcium blockers?", "The amount of calcium that skin cells can absorb.", quote=_BLOCKERS),
    HandMutant("ccb-mechanism-skin-cells", "active: the subject asked after 'is said to'", False,
               "What is said to reduce calcium channel blockers?", "The amount of calcium that skin cells can absorb."),
    HandMutant("metastatic-healthy-tissue", "active: the object asked after a modal ('what can X accumulate?')", False,
               "What can mineral deposits also accumulate?", "Organs like the kidneys and lungs.", quote=_ORGANS),
    HandMutant("metastatic-healthy-tissue", "active: the subject asked after a modal ('what can accumulate X?')",
               False, "What can also accumulate organs like the kidneys and lungs?", "Mineral deposits.", quote=_ORGANS),
    HandMutant("prevent-magnesium-hydroxyapatite", "active: the subject asked with 'which' and a noun", False,
               "Which crystals directly inhibit adequate magnesium levels?",
               "The precipitation of hydroxyapatite crystals in soft tissues."),
    # a known hole until gate round 8: the object of a preposition after the verb's pronoun ("mistake them for")
    HandMutant("milia-frequency-vs-calcium-deposits", "active: the subject made the object of a preposition", False,
               "What do calcium deposits often mistake them for?", "Those who develop them.", quote=_MISTAKE),
    HandMutant("metastatic-healthy-tissue", "active kept: the object asked after a modal", True,
               "What can organs like the kidneys and lungs also accumulate?", "Mineral deposits.", quote=_ORGANS),
    HandMutant("metastatic-healthy-tissue", "active kept: the subject asked after a modal", True,
               "What can also accumulate mineral deposits?", "Organs like the kidneys and lungs.", quote=_ORGANS),
    HandMutant("prevent-magnesium-hydroxyapatite", "active kept: the subject asked with 'which' and a noun", True,
               "Which levels directly inhibit the precipitation of hydroxyapatite crystals in soft tissues?",
               "Adequate magnesium levels."),
    HandMutant("ccb-mechanism-skin-cells", "active kept: the subject asked after 'is said to'", True,
               "What is said to reduce the amount of calcium that skin cells can absorb?", "Calcium channel blockers."),
    HandMutant("prevent-magnesium-hydroxyapatite", "active kept: the object asked with 'do'", True,
               "What do adequate magnesium levels directly inhibit?",
               "The precipitation of hydroxyapatite crystals in soft tissues."),
    HandMutant("prevent-magnesium-hydroxyapatite", "active kept: the subject asked", True,
               "What directly inhibits the precipitation of hydroxyapatite crystals in soft tissues?",
               "Adequate magnesium levels."),
    HandMutant("body-calc-vascular-sites", "active kept: the object asked with 'does'", True,
               "What does vascular calcification affect?", "Arteries and heart valves.", quote=_VASCULAR),
    HandMutant("body-calc-vascular-sites", "active kept: the subject asked, the sentence's verb in a relative clause",
               True, "What affects arteries and heart valves?", "Vascular calcification.", quote=_VASCULAR),
    HandMutant("ccb-mechanism-skin-cells", "active kept: the object asked with 'do'", True,
               "What do calcium blockers reduce?", "The amount of calcium that skin cells can absorb.", quote=_BLOCKERS),
    HandMutant("signs-early-itching-redness", "active kept: the subject asked with 'who', a word of order after the "
               "object", True, "Who notices mild itching or redness before the bumps appear?", "Some people.",
               quote=_BEFORE),
    HandMutant("signs-punctured-chalky-paste", "order: 'if' leading, turned round where commas of an unjoined list "
               "stand in the consequence ('a white, chalky, paste-like material')", False,
               "If a white, chalky, paste-like material is punctured, what will leak?", "This type of nodule.",
               quote=_NODULE),
    HandMutant("diagnosis-vitamin-d-monitored", "order: 'if' leading, its clause's first run on both sides, a word "
               "further on turned round", False, "If your calcium deposits will be monitored, which levels do you have?",
               "Calcium, phosphorus, and vitamin D levels.", quote=_MONITORED),
    HandMutant("tx-recurrence-after-procedures", "order: 'if' leading, its subject kept, its verb and object turned "
               "round", False, "If the calcium buildup may need surgery to open or replace the valve, what is it severe "
                               "enough to affect?", "The valve's function.", quote=_VALVE),
    HandMutant("diagnosis-vitamin-d-monitored", "order kept: 'if' leading, the list of the consequence asked", True,
               "If you have calcium deposits, which levels will be monitored?",
               "Calcium, phosphorus, and vitamin D levels.", quote=_MONITORED),
    HandMutant("tx-recurrence-after-procedures", "order kept: 'if' leading, read to its comma", True,
               "If the calcium buildup is severe enough to affect the valve's function, what may you need?",
               "Surgery to open or replace the valve.", quote=_VALVE),
    HandMutant("prevent-urine-supersaturation-cloze", "order: 'if' leading, turned round about an unjoined list, the "
               "list deleted", False,
               cloze="If {{c1::a white, chalky, paste-like material}} is punctured, this type of nodule will leak.",
               quote=_NODULE),
    HandMutant("prevent-urine-supersaturation-cloze", "order: 'if' leading, turned round about an unjoined list cut "
               "short", False,
               cloze="If a chalky, paste-like material is punctured, this type of {{c1::nodule}} will leak a white one.",
               quote=_NODULE),
    HandMutant("prevent-urine-supersaturation-cloze", "order kept: 'if' leading, an unjoined list in the consequence, a "
               "cloze", True,
               cloze="If punctured, this type of nodule will leak a white, chalky, {{c1::paste-like}} material.",
               quote=_NODULE),
    HandMutant("signs-punctured-chalky-paste", "order kept: the 'if' clause last, an unjoined list asked", True,
               "What will this type of nodule leak if punctured?", "A white, chalky, paste-like material.",
               quote=_NODULE),
    # an apposition turned round ("what kind of N is X?" for an X that names N and is the answer's kind), refused by
    # the kind rule alone (from the attack of round 5)
    HandMutant("tx-colchicine-drug-kind", "kind: an apposition turned round, the kind made the member", False,
               "What kind of medication is an anti-inflammatory medication, an option for calcinosis cutis?",
               "Colchicine."),
    HandMutant("tx-colchicine-drug-kind", "kind: an apposition turned round, asked with 'type'", False,
               "What type of medication is an anti-inflammatory medication, an option for calcinosis cutis?",
               "Colchicine."),
    HandMutant("prevent-mgp-inhibitor", "kind: an apposition turned round, the member's name in brackets", False,
               "What kind of inhibitor is an inhibitor of calcification?", "Matrix Gla Protein (MGP)."),
    HandMutant("tx-colchicine-drug-kind", "kind kept: the kind of the member asked", True,
               "What kind of medication is colchicine, an option for calcinosis cutis?",
               "An anti-inflammatory medication."),
    HandMutant("prevent-mgp-inhibitor", "kind kept: 'what kind of N is X?' asked for a member, X naming no N", True,
               "What kind of protein is an inhibitor of calcification?", "Matrix Gla Protein (MGP)."),
    HandMutant("prevent-mgp-inhibitor", "kind kept: 'which kind of Gla protein'", True,
               "Which kind of Gla protein is an inhibitor of calcification?", "Matrix Gla Protein (MGP)."),
    # ... and honest rewordings of the same kinds, which they accept: either side asked, the clause first or last
    HandMutant("signs-early-itching-redness", "order kept: 'before' first", True,
               "Before the bumps appear, what do some people notice?", quote=_BEFORE),
    HandMutant("signs-early-itching-redness", "order kept: until what", True,
               "Most people have no symptoms until what?", "Calcium deposits form.", quote=_UNTIL),
    HandMutant("tx-recurrence-after-procedures", "order kept: 'after' last", True,
               "What may calcium deposits do even after these procedures?", "Reappear.", quote=_PROCEDURES),
    HandMutant("breast-calc-too-small-for-exam", "order kept: 'during', the subject asked", True,
               "What are too small to be found during a regular breast exam?", "Breast calcifications."),
    HandMutant("breast-calc-too-small-for-exam", "order kept: 'during' first", True,
               "During a regular breast exam, what are too small to be found?", "Breast calcifications."),
    HandMutant("body-calc-xray-incidental", "order kept: detected during what", True,
               "Breast tissue is often detected during what?", "Mammograms.", quote=_MAMMOGRAMS),
    HandMutant("diagnosis-biopsy", "order kept: 'if' last", True,
               "What can be performed to accurately diagnose calcium deposits if necessary?", "A biopsy."),
    HandMutant("prevent-urine-supersaturation-cloze", "order kept: the 'if' clause last, a cloze", True,
               cloze="Your calcium, phosphorus, and vitamin D levels will be monitored if you have {{c1::calcium "
                     "deposits}}.", quote=_MONITORED),
    HandMutant("kidney-stone-calcium-oxalate", "order kept: 'if' after an aside ('for example,')", True,
               "For example, if you have kidney stones, what can these tests determine?", "Your overall kidney function.",
               quote=_KIDNEY_TESTS),
    HandMutant("diagnosis-vitamin-d-monitored", "order kept: the 'if' clause last", True,
               "The levels of which vitamin will be monitored if you have calcium deposits?", "Vitamin D."),
    HandMutant("tx-recurrence-after-procedures", "order kept: 'if' first", True,
               "If the calcium buildup is severe enough to affect the valve's function, you may need surgery to do "
               "what?", "Open or replace the valve.", quote=_VALVE),
    HandMutant("diagnosis-biopsy", "order kept: no comma after the if-clause, the answer without an article", True,
               "If necessary what can be performed to accurately diagnose calcium deposits?", "Biopsy."),
    HandMutant("diagnosis-vitamin-d-monitored", "order kept: no comma after the if-clause", True,
               "If you have calcium deposits which vitamin's levels will be monitored?", "Vitamin D."),
    HandMutant("tx-recurrence-after-procedures", "order kept: no comma after 'even after procedures'", True,
               "Even after procedures what may calcium deposits do?", "Reappear."),
    HandMutant("dystrophic-normal-calcium-phosphorus", "order kept: 'even when' first", True,
               "Even when the body's mineral levels are what does dystrophic calcification occur?", "Normal."),
    HandMutant("which-type-damaged-inflamed-malignant-tissue", "order kept: 'even when', the tissue asked", True,
               "Dystrophic calcification occurs in which tissue even when the body's mineral levels are normal?",
               "Damaged, degenerated, or necrotic tissue.", quote=_NECROTIC),
    HandMutant("metastatic-healthy-tissue", "naming kept: like which", True,
               "Organs like which can also accumulate mineral deposits?", "The kidneys and lungs.", quote=_ORGANS),
    HandMutant("chelation-risk-hypocalcemia", "naming kept: such as what", True,
               "Systemic chelation carries risks, such as what?", "Hypocalcemia."),
    HandMutant("tx-triamcinolone-examples", "naming kept: such as which drug", True,
               "Intralesional corticosteroids, such as which drug in acetonide or diacetate form, are an option for "
               "calcinosis cutis?", "Triamcinolone."),
    HandMutant("tx-antacid-aluminum-hydroxide", "naming kept: such as what", True,
               "Antacids containing aluminum hydroxide, such as what, are some of the options for calcinosis cutis?",
               "Gaviscon Extra Relief Formula and Acid Gone Antacid.", quote=_ANTACIDS),
    HandMutant("which-type-damaged-inflamed-malignant-tissue", "naming kept: such as in what", True,
               "Dystrophic calcification occurs in damaged, degenerated, or necrotic tissue, such as in what?",
               "Chronic inflammation or injury sites.", quote=_SUCH_AS_IN),
    HandMutant("which-type-medications-procedures", "naming kept: called what", True,
               "Certain medications and medical procedures can cause a type of calcification called what?",
               "Iatrogenic calcification of the skin."),
    HandMutant("which-type-medications-procedures", "naming kept: 'known as' for the sentence's 'called'", True,
               "Certain medications and medical procedures can cause a type of calcification known as what?",
               "Iatrogenic calcification of the skin."),
    HandMutant("which-type-abnormal-calcium-phosphorus", "naming kept: called what", True,
               "Diseases that cause abnormal amounts of calcium or phosphorus lead to a form of calcium deposits called "
               "what?", "Metastatic calcification of the skin.", quote=_DISEASES),
    HandMutant("which-type-normal-levels-no-condition", "naming kept: called what, the when-clause last", True,
               "What is calcification called when calcium and phosphorus levels are normal and there are no underlying "
               "medical conditions?", "Idiopathic calcinosis."),
    # round 7: a word the sentence says twice, the claim's words on its two sides taken from its two places
    HandMutant("milia-frequency-vs-calcium-deposits", "spliced: the objects of the two 'receive's swapped", False,
               "What must you receive to receive the correct diagnosis?", "The correct treatment.", quote=_RECEIVE),
    HandMutant("calcinosis-definition-cloze", "spliced: the objects of the two 'receive's swapped, a cloze",
               False, cloze="You must receive the correct {{c1::treatment}} to receive the correct diagnosis.",
               quote=_RECEIVE),
    HandMutant("metastatic-cause-milk-alkali-syndrome", "spliced: the objects of the two 'increase's swapped", False,
               "Any medicine that increases the chance that calcium deposits will form can increase what in the body?",
               "The level of calcium or phosphorus.", quote=_ANY_MEDICINE),
    HandMutant("tx-recurrence-after-procedures", "spliced: the objects of 'treating' and 'treat' swapped", False,
               "Treating calcium deposits by default also helps treat what?",
               "Any underlying disease that causes calcium deposits.", quote=_TREATING),
    HandMutant("calcinosis-definition-cloze", "spliced: the nouns after the two 'different's swapped", False,
               cloze="Calcium and milia deposits develop in different {{c1::causes}} and have different ways.",
               quote=_DIFFERENT),
    HandMutant("milia-frequency-vs-calcium-deposits", "spliced kept: each 'receive' with its own object", True,
               "What must you receive to receive the correct treatment?", "The correct diagnosis.", quote=_RECEIVE),
    HandMutant("calcinosis-definition-cloze", "spliced kept: the purpose clause put first", True,
               cloze="To receive the correct treatment, you must receive the correct {{c1::diagnosis}}.",
               quote=_RECEIVE),
    HandMutant("metastatic-cause-milk-alkali-syndrome", "spliced kept: the relative clause's object asked", True,
               "Any medicine that increases what in the body can increase the chance that calcium deposits will form?",
               "The level of calcium or phosphorus.", quote=_ANY_MEDICINE),
    HandMutant("tx-recurrence-after-procedures", "spliced kept: what treating helps treat", True,
               "Treating what by default also helps treat calcium deposits?",
               "Any underlying disease that causes calcium deposits.", quote=_TREATING),
    HandMutant("calcinosis-definition-cloze", "spliced kept: each 'different' with its own noun", True,
               cloze="Calcium and milia deposits develop in different ways and have different {{c1::causes}}.",
               quote=_DIFFERENT),
    # round 7: a qualifier of the quoted stretch ("usually", "some", "often", "typically") that the claim leaves out,
    # mostly by a " ... " that skips it
    HandMutant("signs-develop-slowly", "qualifier: 'usually' skipped", False,
               "Over time, how do calcium deposit lumps develop?", "Slowly.",
               quote=("calcium-deposits-on-face", "These lumps ... develop slowly over time.")),
    HandMutant("signs-early-itching-redness", "qualifier: 'some' skipped", False,
               "What do people notice before the bumps appear?", "Mild itching or redness.",
               quote=("calcium-deposits-on-face", "... people notice mild itching or redness before the bumps appear")),
    HandMutant("iatrogenic-cause-infant-heel", "qualifier: 'typically' skipped", False,
               "Which type of calcinosis is attributed to repeated drawing of blood from an infant's heel?",
               "Iatrogenic calcinosis.",
               quote=("calcium-deposits-in-skin", "Iatrogenic calcinosis are ... attributed to ... repeated drawing of "
                                                 "blood from an infant's heel.")),
    HandMutant("signs-develop-slowly", "qualifier: 'often' skipped", False, "Microcalcifications are what?",
               "Not cancerous.", quote=("types-of-calcification", "Microcalcifications are ... not cancerous")),
    HandMutant("signs-develop-slowly", "qualifier kept: 'usually'", True,
               "Over time, how do calcium deposit lumps usually develop?", "Slowly.", quote=_LUMPS),
    HandMutant("signs-early-itching-redness", "qualifier kept: 'some', the other clause's 'most' not quoted", True,
               "What do some people notice before the bumps appear?", "Mild itching or redness.", quote=_ITCHING_ALONE),
    HandMutant("iatrogenic-cause-infant-heel", "qualifier kept: 'typically'", True,
               "Which type of calcinosis is typically attributed to repeated drawing of blood from an infant's heel?",
               "Iatrogenic calcinosis.", quote=_HEEL_TYPICALLY),
    HandMutant("signs-develop-slowly", "qualifier kept: 'often', the other clause's 'some' not quoted", True,
               "Microcalcifications are often what?", "Not cancerous.", quote=_MICRO_OFTEN),
)
