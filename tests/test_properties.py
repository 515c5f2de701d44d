"""Property-based tests: whatever is in a card file, the loader answers with diagnostics, never a crash.

Hypothesis writes generated files into a small project — random text, YAML-ish fragments, random
structures dumped as real YAML, random bytes, and random edits of a valid card file — and
`deckgen.cards.load_project` (then the whole read-only pipeline) must come back with a project or
located diagnostics, and must never raise.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deckgen.cards import FILE_KEYS, load_project
from deckgen.model import CARD_FIELDS
from deckgen.diagnostics import DeckgenFailure, Diagnostic
from deckgen.pipeline import check
from mini_project import DECK_YAML, OTHER_YAML, make_project

TARGETS = {"topic": "cards/fuzz.yaml", "deck": "cards/deck.yaml", "synonyms": "cards/synonyms.yaml"}
ORIGINAL = {"cards/deck.yaml": DECK_YAML}

# --- strategies ------------------------------------------------------------------------------------
KEYS = list(CARD_FIELDS + FILE_KEYS + ("doc", "quote", "title", "description", "output", "anwser", "qoute", "idd"))
FRAGMENTS = [
    "\n", "\n  ", "\n    ", "\n      ", "\t", " ", "- ", ": ", ":", "#", "'", '"', "\\", "[", "]", "{", "}", ",",
    "&a ", "*a", "&b [*a, *a]", "!!python/object/apply:os.system ['true']", "!!str ", "!!binary ", "!!set ",
    "? ", "|", ">-", "---", "...", "%YAML 1.1\n", "{{c1::", "}}", "::", "<script>", "\u00e9", "\u200b", "\ufeff",
    "\U0001f600", "\x85", "\x07", "\r\n", "~", "null", "yes", "0x1F", "1e3", "2020-01-01", "- id: a\n    ",
    "cards:\n  - ", "deck: X\n", "sources:\n      - doc: rock-guide\n        quote: ",
] + [f"{key}: " for key in KEYS]

yamlish = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=40).map("".join)

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30),
                    st.sampled_from(["rock-guide", "Granite is an igneous rock made of quartz and feldspar.",
                                     "{{c1::quartz}}", "Which minerals make up granite?", "Quartz and feldspar."]))
structures = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=5),
                               st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=6)), children,
                                               max_size=6)),
    max_leaves=30,
)
dumped = st.builds(lambda data, flow, uni: yaml.safe_dump(data, default_flow_style=flow, allow_unicode=uni),
                   structures, st.booleans(), st.booleans())


@st.composite
def edited_card_file(draw) -> str:
    """The mini project's valid card file with a few random deletions and insertions."""
    text = OTHER_YAML
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 12)))
        insert = draw(st.one_of(st.just(""), st.sampled_from(FRAGMENTS), st.text(max_size=4)))
        text = text[:start] + insert + text[end:]
    return text


texts = st.one_of(st.text(max_size=300), yamlish, dumped, edited_card_file())
encoded = texts.map(lambda t: t.encode("utf-8", "surrogatepass"))  # lone surrogates give invalid UTF-8
contents = st.one_of(encoded, encoded, encoded, st.binary(max_size=300),
                     encoded.map(lambda data: b"\xef\xbb\xbf" + data))  # a byte order mark

SETTINGS = dict(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow,
                                                                     HealthCheck.data_too_large])


# --- the project the files are written into ---------------------------------------------------------
@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("fuzz") / "project")
    (project / "cards" / "other.yaml").unlink()  # its cards are what cards/fuzz.yaml is edited from
    return project


def _install(project: Path, target: str, data: bytes) -> Path:
    for relative, text in ORIGINAL.items():
        (project / relative).write_text(text, encoding="utf-8")
    for relative in ("cards/fuzz.yaml", "cards/synonyms.yaml"):
        (project / relative).unlink(missing_ok=True)
    path = project / TARGETS[target]
    path.write_bytes(data)
    return path


YAML_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")  # YAML counts all of these as line breaks


def _assert_located(diagnostics: list[Diagnostic], path: Path, data: bytes) -> None:
    lines = len(YAML_BREAK.findall(data.decode("utf-8", "replace"))) + 1
    for diagnostic in diagnostics:
        assert isinstance(diagnostic, Diagnostic)
        assert diagnostic.message.strip()
        location = diagnostic.location
        assert location.line >= 0 and location.col >= 0
        if location.path == f"cards/{path.name}" and location.line:
            assert location.line <= lines + 1, diagnostic.render()


@settings(max_examples=300, **SETTINGS)
@given(target=st.sampled_from(["topic", "topic", "topic", "deck", "synonyms"]), data=contents)
def test_loader_returns_a_project_or_diagnostics_never_raises(workspace, target, data):
    path = _install(workspace, target, data)
    project, diagnostics = load_project(workspace)
    assert project is not None or diagnostics, "nothing loaded and nothing said"
    _assert_located(diagnostics, path, data)
    if project is not None and not diagnostics:
        assert all(card.id for card in project.cards)


@settings(max_examples=100, **SETTINGS)
@given(data=st.one_of(edited_card_file(), yamlish, dumped).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_whole_check_fails_only_with_diagnostics(workspace, data):
    """The later stages (traceability gate, lint, rendering) meet whatever the loader lets through."""
    path = _install(workspace, "topic", data)
    try:
        checked = check(workspace)
    except DeckgenFailure as failure:
        assert failure.diagnostics
        _assert_located(failure.diagnostics, path, data)
    else:
        assert len(checked.notes) == len(checked.project.cards)


def test_the_workspace_itself_is_valid(tmp_path):
    """The properties above start from a project that loads and checks cleanly."""
    project = make_project(tmp_path / "project")
    shutil.copy(project / "cards" / "other.yaml", project / "cards" / "fuzz.yaml")
    (project / "cards" / "other.yaml").unlink()
    loaded, diagnostics = load_project(project)
    assert loaded is not None and not diagnostics
    assert len(check(project).notes) == 6
