"""`deckgen coverage`: which sentences of each source no card cites yet — the author's to-do list."""

from __future__ import annotations

from .pipeline import Checked
from .trace import Gate
from .textnorm import Vocabulary


def coverage(checked: Checked) -> list[dict]:
    """Per document: cited and uncited sentences (headings excluded), with a percentage."""
    gate = Gate(checked.corpus, Vocabulary(checked.project.synonyms))
    cited: dict[str, set[int]] = {doc_id: set() for doc_id in checked.corpus.docs}
    for card in checked.project.cards:
        for ref in card.sources:
            match, _ = gate.find_quote(ref)
            if match is not None:
                cited[ref.doc].update(unit.index for unit in match.units)
    report = []
    for doc_id, doc in sorted(checked.corpus.docs.items()):
        units = [u for u in doc.units if u.citable]
        uncited = [u for u in units if u.index not in cited[doc_id]]
        covered = len(units) - len(uncited)
        report.append({
            "doc": doc_id,
            "title": doc.title,
            "sentences": len(units),
            "cited": covered,
            "percent": round(100 * covered / len(units), 1) if units else 100.0,
            "uncited": [{"line": u.line, "text": u.text} for u in uncited],
        })
    return report


def format_coverage(report: list[dict]) -> str:
    lines = []
    for doc in report:
        lines.append(f"{doc['doc']}: {doc['cited']}/{doc['sentences']} sentences cited ({doc['percent']:.1f}%)")
        for item in doc["uncited"]:
            lines.append(f"  sources/{doc['doc']}.md:{item['line']}: {item['text']}")
    return "\n".join(lines)
