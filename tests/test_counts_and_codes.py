"""What deckgen says about a build and its problems: counts as Anki counts them, and stable codes.

* "built N notes (M cards in Anki)": M is what Anki's backend makes of the package (one card per cloze
  number), and every count has its right plural ("1 subdeck").
* Every JSON diagnostic carries a stable `code` (README, "Diagnostic codes"): the gate's, the YAML
  reader's, the lock's and the rename check's problems have their own, and no problem is coded "error".
"""

from __future__ import annotations

import ast
import json
import re

import pytest

from deckgen.diagnostics import FILE_CODES
from helpers import REPO, import_apkg, open_collection, run_cli
from mini_project import CARD_IDS, apkg, edit, make_project

MANY_DELETIONS = """
  - id: granite-quartz-feldspar-cloze
    cloze: "Granite is an {{c1::igneous}} rock made of {{c2::quartz}} and {{c2::feldspar}}."
    sources:
      - doc: rock-guide
        quote: "Granite is an igneous rock made of quartz and feldspar."
"""


def _json(result) -> dict:
    return json.loads(result.stdout)


def test_build_counts_notes_and_the_cards_anki_makes(tmp_path):
    project = make_project(tmp_path / "project")
    with open(project / "cards" / "igneous.yaml", "a", encoding="utf-8") as handle:
        handle.write(MANY_DELETIONS)  # one note, two cards (c1, and c2 twice)
    result = run_cli(project, "build", "--json", "--drop-retired")
    assert result.returncode == 0, result.stderr
    built = _json(result)
    col = open_collection(tmp_path / "collection.anki2")
    import_apkg(col, apkg(project))
    assert built["notes"] == col.note_count() == len(CARD_IDS) + 1
    assert built["cards"] == col.card_count() == len(CARD_IDS) + 2
    col.close()
    text = run_cli(project, "build", "--fresh").stdout
    assert text.startswith(f"built {len(CARD_IDS) + 1} notes ({len(CARD_IDS) + 2} cards in Anki) in 2 subdecks\n")
    check = run_cli(project, "check")
    assert check.stdout.startswith(f"ok: {len(CARD_IDS) + 1} notes ({len(CARD_IDS) + 2} cards in Anki) checked")
    assert _json(run_cli(project, "check", "--json"))["cards"] == len(CARD_IDS) + 2


def test_one_of_each_is_singular(tmp_path):
    project = make_project(tmp_path / "project")
    (project / "cards" / "other.yaml").unlink()
    text = project / "cards" / "igneous.yaml"
    lines = text.read_text(encoding="utf-8").split("\n")
    text.write_text("\n".join(lines[:lines.index("  - id: basalt-origin")]) + "\n", encoding="utf-8")
    result = run_cli(project, "build")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("built 1 note (1 card in Anki) in 1 subdeck\n"), result.stdout
    assert "Mini Stones::Igneous     1 note\n" in result.stdout


BROKEN = {
    "quote-not-found": ("    answer: Quartz and feldspar.\n", "    answer: Quartz and feldspar.\n",
                        '        quote: "Granite is ... made of quartz and feldspar."\n',
                        '        quote: "Granite is made of pure gold."\n'),
    "answer-word-missing": ("    answer: Quartz and feldspar.\n", "    answer: Quartz and mica.\n", None, None),
    "question-word-missing": ("    question: Of what is granite made?\n",
                              "    question: Of what is pink granite made?\n", None, None),
    "quote-says-more": ('        quote: "Basalt cools ... from lava"\n',
                        '        quote: "Basalt cools quickly from lava"\n', None, None),
    "yaml-syntax": ("    answer: Quartz and feldspar.\n", '    answer: "Quartz and feldspar.\n', None, None),
    "unknown-key": ("    answer: Quartz and feldspar.\n", "    answer: Quartz and feldspar.\n    anwser: x\n",
                    None, None),
    "missing-key": ("    answer: Quartz and feldspar.\n", "", None, None),
}


@pytest.mark.parametrize("code", sorted(BROKEN))
def test_each_problem_has_its_code(tmp_path, code):
    project = make_project(tmp_path / "project")
    old, new, old2, new2 = BROKEN[code]
    edit(project / "cards" / "igneous.yaml", old, new)
    if old2 is not None:
        edit(project / "cards" / "igneous.yaml", old2, new2)
    for command in ("check", "build"):
        result = run_cli(project, command, "--json")
        assert result.returncode == 1, result.stdout
        codes = [d["code"] for d in _json(result)["diagnostics"]]
        assert code in codes, (command, codes)
        assert "error" not in codes


def test_lock_and_rename_problems_have_codes(tmp_path):
    project = make_project(tmp_path / "project")
    assert run_cli(project, "build").returncode == 0
    edit(project / "cards" / "other.yaml", "  - id: marble-origin\n", "  - id: marble-from-limestone\n")
    codes = [d["code"] for d in _json(run_cli(project, "check", "--json"))["diagnostics"]]
    assert codes == ["suspected-rename"]
    edit(project / "cards" / "other.yaml", "  - id: marble-from-limestone\n",
         "  - id: marble-from-limestone\n    renamed_from: marble-orign\n")
    assert [d["code"] for d in _json(run_cli(project, "build", "--json"))["diagnostics"]] == ["renamed-from-unknown"]
    (project / "deck.lock").write_text("{", encoding="utf-8")
    assert [d["code"] for d in _json(run_cli(project, "check", "--json"))["diagnostics"]] == ["lock-invalid"]


def _codes_in_source() -> set[str]:
    """Every code deckgen's code gives: the `code` argument, when written as a string, of each call that
    makes a diagnostic (Diagnostic, trace's Reason and _out_of_place, a YAML reader's error, lint's _error: the
    rule)."""
    position = {"Diagnostic": 3, "Reason": 3, "_out_of_place": 4, "error": 3, "_error": 2}
    codes = set()
    for path in (REPO / "src" / "deckgen").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name not in position:
                continue
            given = [k.value for k in node.keywords if k.arg in ("code", "rule")]
            given += node.args[position[name]:position[name] + 1]
            given += [part for arg in given if isinstance(arg, ast.IfExp) for part in (arg.body, arg.orelse)]
            codes |= {arg.value for arg in given if isinstance(arg, ast.Constant) and isinstance(arg.value, str)}
    return codes


def test_the_readme_lists_every_code():
    readme = REPO.joinpath("README.md").read_text(encoding="utf-8")
    section = readme.split("### Diagnostic codes", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"`([a-z0-9]+(?:-[a-z0-9]+)*)`", section))
    used = _codes_in_source() - {""}
    used |= {f"{label}-word-missing" for label in ("answer", "question", "cloze", "extra")}  # an f-string
    used |= {code for _, code in FILE_CODES} | {"project-error", "invalid-value"}  # defaults
    assert "error" not in used
    assert used - listed == set(), "codes missing from the README"
    assert listed - used == set(), "codes in the README that deckgen does not give"
