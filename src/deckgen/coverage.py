"""`deckgen coverage`: which sentences of each source no card cites yet — the author's to-do list."""

from __future__ import annotations

import re

from .pipeline import Checked


def coverage(checked: Checked) -> list[dict]:
    """Per document: cited and uncited sentences, with a percentage.

    Headings are not statements and are left out. So are sentences in another script than the deck's
    (the half-translated passages of a source): they cannot back an English card, so they are listed
    apart as not citable instead of counting as gaps.
    """
    cited: dict[str, set[int]] = {doc_id: set() for doc_id in checked.corpus.docs}
    for trace in checked.traces:  # check() found every quote already; reuse what it matched
        for citation in trace.supports + trace.context:
            cited[citation.doc.id].update(unit.index for unit in citation.quoted)
    report = []
    for doc_id, doc in sorted(checked.corpus.docs.items()):
        foreign = [u for u in doc.units if u.citable and _FOREIGN_SCRIPT.search(u.text) and u.index not in cited[doc_id]]
        units = [u for u in doc.units if u.citable and u not in foreign]
        uncited = [u for u in units if u.index not in cited[doc_id]]
        covered = len(units) - len(uncited)
        report.append({
            "doc": doc_id,
            "title": doc.title,
            "sentences": len(units),
            "cited": covered,
            "percent": round(100 * covered / len(units), 1) if units else 100.0,
            "uncited": [{"line": u.line, "text": u.text} for u in uncited],
            "not_citable": [{"line": u.line, "text": u.text} for u in foreign],
        })
    return report


_FOREIGN_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u3000-\u303f\uff00-\uffef]")


def format_coverage(report: list[dict]) -> str:
    lines = []
    for doc in report:
        lines.append(f"{doc['doc']}: {doc['cited']}/{doc['sentences']} sentences cited ({doc['percent']:.1f}%)")
        for item in doc["uncited"]:
            lines.append(f"  sources/{doc['doc']}.md:{item['line']}: {item['text']}")
        if doc["not_citable"]:
            lines.append(f"  ({len(doc['not_citable'])} sentences in another script are not citable and not counted)")
    return "\n".join(lines)
