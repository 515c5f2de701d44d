"""A source's `set_aside` passages: what it gets wrong, garbles or only says as a truism is recorded in
its front matter, no card may quote it (the gate), and coverage counts it apart from the gaps."""

from __future__ import annotations

import json

import pytest

from helpers import copy_project, run_cli, sha256

FACE = "sources/calcium-deposits-on-face.md"
WRONG = "Skin injury or infection is the most common cause of calcium deposits."
TEACHES_WRONG = """
  - id: set-aside-test-card
    question: What is the most common cause of calcium deposits?
    answer: Skin injury or infection.
    sources:
      - doc: calcium-deposits-on-face
        quote: "Skin injury or infection is the most common cause of calcium deposits."
"""


def _append(project, relative: str, text: str) -> None:
    with open(project / relative, "a", encoding="utf-8") as handle:
        handle.write(text)


def _set_aside_line(project, relative: str, quote: str) -> int:
    lines = (project / relative).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if quote in line and "quote:" in line)


def _with_entry(project, relative: str, entry: str):
    """The source with one more set_aside entry, as its last one; the entry's first line number."""
    path = project / relative
    text = path.read_text(encoding="utf-8")
    head, _, body = text[4:].partition("\n---\n")
    path.write_text("---\n" + head + "\n" + entry.rstrip("\n") + "\n---\n" + body, encoding="utf-8")
    return head.count("\n") + 3


def test_a_card_quoting_a_set_aside_passage_is_refused_and_nothing_is_written(tmp_path):
    project = copy_project(tmp_path / "project")
    assert run_cli(project, "build").returncode == 0
    built = {path.name: sha256(path) for path in (project / "build").glob("*.apkg")}
    _append(project, "cards/causes.yaml", TEACHES_WRONG)
    result = run_cli(project, "build")
    assert result.returncode == 1
    lines = (project / "cards" / "causes.yaml").read_text(encoding="utf-8").splitlines()
    quote_line = len(lines)  # the card's quote is the file's last line
    assert (f"cards/causes.yaml:{quote_line}:16: quote includes a passage that {FACE} sets aside as wrong: "
            "The commonest is dystrophic calcinosis") in result.stderr
    problems = json.loads(run_cli(project, "check", "--json").stdout)["diagnostics"]
    assert [p["code"] for p in problems] == ["quote-set-aside"], problems
    assert "Traceback" not in result.stderr
    assert {path.name: sha256(path) for path in (project / "build").glob("*.apkg")} == built


def test_skipping_the_set_aside_part_with_an_ellipsis_is_allowed(tmp_path):
    """Only the set-aside words are barred: the rest of the sentence stays citable. (The card was a yes/no
    question, refused by lint and the gate whatever the set-aside rule did: only the absence of one wording
    was checked, so a rule that barred the whole sentence, said otherwise, passed.)"""
    project = copy_project(tmp_path / "project")
    sentence = "Milia is completely harmless and is not caused by any medical problems."
    assert sentence in (project / FACE).read_text(encoding="utf-8"), "the sentence whose end is set aside"
    assert '  - quote: "and is not caused by any medical problems"\n    why: wrong\n' in \
        (project / FACE).read_text(encoding="utf-8")
    _append(project, "cards/milia.yaml", """
  - id: set-aside-test-card
    question: What is completely harmless?
    answer: Milia.
    sources:
      - doc: calcium-deposits-on-face
        quote: "Milia is completely harmless ... "
""")
    result = run_cli(project, "check")
    assert result.returncode == 0, result.stderr
    assert "sets aside" not in result.stderr


def test_coverage_counts_set_aside_sentences_apart_with_their_reason(tmp_path):
    report = json.loads(run_cli(copy_project(tmp_path / "project"), "coverage", "--json").stdout)
    face = next(doc for doc in report["documents"] if doc["doc"] == "calcium-deposits-on-face")
    assert WRONG in [item["text"] for item in face["set_aside"]]
    assert WRONG not in [item["text"] for item in face["uncited"]]
    assert {item["why"] for item in face["set_aside"]} <= {"wrong", "mistranslated", "garbled", "unclear", "truism"}
    assert face["teachable"] == face["sentences"] - len(face["set_aside"])
    assert face["teachable_percent"] == round(100 * face["cited"] / face["teachable"], 1)
    text = run_cli(copy_project(tmp_path / "again"), "coverage").stdout
    assert f"  {FACE}:" in text and f"set aside (wrong): {WRONG}" in text


@pytest.mark.parametrize("entry, message, column", [
    ('  - quote: "the most common cause of calcium dust"\n    why: wrong\n    note: x\n',
     "set-aside quote not found in calcium-deposits-on-face", 12),
    ('  - quote: "calcium deposits"\n    why: wrong\n    note: x\n',
     "set-aside quote occurs more than once in calcium-deposits-on-face", 12),
    ('  - quote: "Skin injury or infection"\n    why: dubious\n    note: x\n',
     "'why' must be one of wrong, mistranslated, garbled, unclear, truism, not 'dubious'", 10),
    ('  - quote: "Skin injury or infection"\n    why: wrong\n',
     "a set_aside entry is missing 'note'", 5),
])
def test_a_bad_set_aside_entry_is_a_located_error(tmp_path, entry, message, column):
    project = copy_project(tmp_path / "project")
    line = _with_entry(project, FACE, entry)
    result = run_cli(project, "check")
    assert result.returncode == 1
    wanted = line + (1 if "'why'" in message else 0)
    assert f"{FACE}:{wanted}:{column}: {message}" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_every_set_aside_passage_of_the_deck_is_refused_when_quoted():
    """Mutants: for each passage the deck's sources set aside, a card quoting it (as it is, or inside a
    longer quote reaching into the words around it) must be refused, whatever it claims."""
    from deckgen.diagnostics import Location
    from deckgen.model import Card, CardKind, SourceRef
    from deckgen.sources import load_corpus
    from deckgen.textnorm import Vocabulary
    from deckgen.trace import Gate
    from helpers import REPO

    corpus, problems = load_corpus(REPO)
    assert not problems
    gate = Gate(corpus, Vocabulary())
    where = Location("cards/t.yaml", 3, 5)
    checked = 0
    for doc in corpus.docs.values():
        for entry in doc.set_aside:
            passage = doc.norm[entry.start:entry.end]
            unit = doc.unit_at(entry.start)
            around = doc.norm[max(unit.start, entry.start - 20):min(unit.end, entry.end + 20)]
            for quote in (passage, around):
                card = Card("t", CardKind.QA, "T", "What?", passage, "", "", (),
                            (SourceRef(doc.id, quote, where),), "", where)
                codes = [d.code for d in gate.trace(card).diagnostics]
                assert codes == ["quote-set-aside"], (doc.id, quote, codes)
                checked += 1
    print(f"\nset-aside mutants: {checked} quotes of {checked // 2} set-aside passages, all refused")
    assert checked >= 2 * 20


def test_no_citation_shows_a_set_aside_passage_around_its_quote():
    """A quote may stop short of a set-aside clause of its sentence; the back shows the sentence around the
    quote, so the clause is cut out there ("[…]"), never shown, dimmed or not."""
    from deckgen.pipeline import check
    from deckgen.render import CUT_MARK, quote_in_context
    from deckgen.textnorm import normalize

    from helpers import REPO

    checked, cut = check(REPO), []
    for trace in checked.traces:
        for citation in trace.supports + trace.context:
            shown = "".join(part.text for part in quote_in_context(citation))
            doc = citation.doc
            for entry in doc.set_aside:
                for unit in citation.quoted:
                    start, end = max(entry.start, unit.start), min(entry.end, unit.end)
                    if start < end:
                        assert doc.norm[start:end] not in normalize(shown), (trace.card.id, shown)
                        assert CUT_MARK in shown
                        cut.append(trace.card.id)
    assert {"milia-harmless", "hydroxyapatite-compound-type", "metastatic-cause-kidney-failure"} <= set(cut)


def test_the_wrong_clause_never_reaches_anki(tmp_path):
    """Built, imported with Anki's importer and rendered by Anki: the milia card's back keeps the sound part
    of its sentence and not the part its source sets aside as wrong (secondary milia have medical causes)."""
    from helpers import import_apkg, notes_by_card_id, open_collection

    project = copy_project(tmp_path / "project")
    result = run_cli(project, "build", "--fresh")
    assert result.returncode == 0, result.stderr
    col = open_collection(tmp_path / "collection.anki2")
    try:
        import_apkg(col, project / "build" / "calcinosis-cutis.apkg")
        note = notes_by_card_id(col)["milia-harmless"]
        answer = col.get_card(note.card_ids()[0]).answer()
    finally:
        col.close()
    assert "Milia is completely harmless" in answer
    assert "[…]" in answer
    assert "not caused by any medical" not in answer
