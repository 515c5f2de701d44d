"""`deckgen coverage`: which sentences of each source no card cites yet — the author's to-do list."""

from __future__ import annotations

import re

from .pipeline import Checked


def coverage(checked: Checked) -> list[dict]:
    """Per document: cited and uncited sentences, with a percentage.

    Headings are not statements and are left out. So are sentences in another script than the deck's
    (the half-translated passages of a source): they cannot back an English card, so they are listed
    apart as not citable instead of counting as gaps. A sentence the source's front matter sets aside
    (wrong, mistranslated, garbled, unclear or a truism), which no card may quote, is counted but listed apart
    with its reason, and the share of the rest that is cited is given too: what is left to card.
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
        why = {u.index: doc.set_aside_in(u.start, u.end) for u in uncited}
        set_aside = [(u, why[u.index]) for u in uncited if why[u.index] is not None]
        left = [u for u in uncited if why[u.index] is None]
        teachable = len(units) - len(set_aside)
        report.append({
            "doc": doc_id,
            "title": doc.title,
            "sentences": len(units),
            "cited": covered,
            "percent": _percent(covered, len(units)),
            "teachable": teachable,
            "teachable_percent": _percent(covered, teachable),
            "uncited": [{"line": u.line, "text": u.text} for u in left],
            "set_aside": [{"line": u.line, "text": u.text, "why": entry.why, "note": entry.note}
                          for u, entry in set_aside],
            "not_citable": [{"line": u.line, "text": u.text} for u in foreign],
        })
    return report


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 100.0


_FOREIGN_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u3000-\u303f\uff00-\uffef]")


def format_coverage(report: list[dict]) -> str:
    lines = []
    for doc in report:
        head = f"{doc['doc']}: {doc['cited']}/{doc['sentences']} sentences cited ({doc['percent']:.1f}%)"
        if doc["set_aside"]:
            head += (f"; {len(doc['set_aside'])} set aside, so {doc['cited']}/{doc['teachable']} of the teachable "
                     f"({doc['teachable_percent']:.1f}%)")
        lines.append(head)
        for item in doc["uncited"]:
            lines.append(f"  sources/{doc['doc']}.md:{item['line']}: {item['text']}")
        for item in doc["set_aside"]:
            lines.append(f"  sources/{doc['doc']}.md:{item['line']}: set aside ({item['why']}): {item['text']}")
        if doc["not_citable"]:
            lines.append(f"  ({len(doc['not_citable'])} sentences in another script are not citable and not counted)")
    return "\n".join(lines)
