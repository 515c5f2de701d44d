"""`deckgen coverage`: the author's list of source sentences no card cites yet."""

from __future__ import annotations

import json

from helpers import copy_project, run_cli

UNCITED = "soft tissues like breasts, muscles, fat"
NEW_CARD = """
  - id: coverage-test-card
    question: Breasts, muscles and fat are examples of which tissues in which calcifications can form?
    answer: Soft tissues.
    sources:
      - doc: types-of-calcification
        quote: "Calcifications can form in ... soft tissues like breasts, muscles, fat"
"""


def _report(project) -> dict:
    result = run_cli(project, "coverage", "--json")
    assert result.returncode == 0, result.stderr
    return {doc["doc"]: doc for doc in json.loads(result.stdout)["documents"]}


def test_coverage_lists_uncited_sentences_and_moves_them_when_cited(tmp_path):
    project = copy_project(tmp_path / "project")
    before = _report(project)["types-of-calcification"]
    assert UNCITED in [item["text"] for item in before["uncited"]]
    assert before["percent"] == round(100 * before["cited"] / before["sentences"], 1)

    with open(project / "cards" / "body.yaml", "a", encoding="utf-8") as handle:
        handle.write(NEW_CARD)
    after = _report(project)["types-of-calcification"]
    assert UNCITED not in [item["text"] for item in after["uncited"]]
    assert after["cited"] == before["cited"] + 1


def test_other_scripts_are_not_counted_as_gaps(tmp_path):
    report = _report(copy_project(tmp_path / "project"))["types-of-calcification"]
    assert report["not_citable"], "the half-translated source has Chinese passages"
    assert all(not any("\u4e00" <= ch <= "\u9fff" for ch in item["text"]) for item in report["uncited"])


def test_text_report_names_file_and_line(tmp_path):
    result = run_cli(copy_project(tmp_path / "project"), "coverage")
    assert result.returncode == 0
    assert "sources/calcium-deposits-on-face.md:" in result.stdout
    assert "sentences cited (" in result.stdout
