"""Wrong answers made from right ones, to measure the traceability gate's false-pass rate."""

from __future__ import annotations

import re
from dataclasses import dataclass

SUBTYPES = ("dystrophic", "metastatic", "iatrogenic", "idiopathic")
DRUGS = ("amlodipine", "diltiazem", "verapamil", "warfarin", "colchicine", "prednisone", "triamcinolone",
         "cortisone", "aluminum hydroxide", "edta")
POLARITY_FLIPS = {"normal": "abnormal", "abnormal": "normal", "high": "low", "low": "high", "excess": "deficient",
                  "harmless": "harmful", "harmful": "harmless", "more": "less", "less": "more",
                  "increase": "decrease", "decrease": "increase", "healthy": "damaged", "common": "rare",
                  "increases": "decreases", "higher": "lower", "lower": "higher"}
NEGATION = re.compile(r"\b(not|no|never|without)\s+|n't\b", re.I)
UNSUPPORTED_CLAUSES = (", mostly in children", ", caused by a virus", ", but only in winter")
_WORD = re.compile(r"[A-Za-z][A-Za-z-]{3,}")


@dataclass(frozen=True)
class Mutant:
    kind: str
    text: str


def mutate(answer: str, quote_text: str, donors: list[str]) -> list[Mutant]:
    """All wrong variants of `answer`; `quote_text` is what the card cites, `donors` other answers' words."""
    mutants: list[Mutant] = []
    lower = answer.lower()

    for subtype in SUBTYPES:
        if re.search(rf"\b{subtype}\b", lower):
            for other in SUBTYPES:
                if other != subtype and other not in lower:
                    mutants.append(Mutant("subtype", _replace_word(answer, subtype, other)))
    for drug in DRUGS:
        if re.search(rf"\b{drug}\b", lower):
            for other in DRUGS:
                if other != drug and other not in lower:
                    mutants.append(Mutant("drug", _replace_word(answer, drug, other)))
    for word, flipped in POLARITY_FLIPS.items():
        if re.search(rf"\b{word}\b", lower):
            mutants.append(Mutant("polarity", _replace_word(answer, word, flipped)))
    if NEGATION.search(answer):
        mutants.append(Mutant("drop-negation", NEGATION.sub(lambda m: "" if m.group(1) else "", answer, count=1)))
    else:
        mutants.append(Mutant("add-negation", "Not " + answer[:1].lower() + answer[1:]))
        verb = re.search(r"\b(is|are|can|does|do|will|may)\b", answer)
        if verb:
            mutants.append(Mutant("add-negation", answer[:verb.end()] + " not" + answer[verb.end():]))
    for number in re.finditer(r"\d+", answer):
        for changed in (int(number.group()) + 1, int(number.group()) * 10):
            mutants.append(Mutant("number", answer[:number.start()] + str(changed) + answer[number.end():]))
    quoted = quote_text.lower()
    for clause in UNSUPPORTED_CLAUSES:
        mutants.append(Mutant("unsupported-clause", answer.rstrip(". ") + clause + "."))
    words = _WORD.findall(answer)
    if words:
        target = max(words, key=len)
        for donor in donors:
            if donor.lower() not in quoted and donor.lower() not in lower:
                mutants.append(Mutant("spliced-word", _replace_word(answer, target, donor)))
                break
    return [m for m in mutants if m.text.strip().lower() != lower.strip()]


def _replace_word(text: str, old: str, new: str) -> str:
    def keep_case(match: re.Match) -> str:
        found = match.group(0)
        return new[:1].upper() + new[1:] if found[:1].isupper() else new

    return re.sub(rf"\b{re.escape(old)}\b", keep_case, text, count=1, flags=re.I)
