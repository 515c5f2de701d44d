"""Shared test plumbing: project copies, the CLI as a subprocess, and the real Anki backend."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from deckgen.diagnostics import Location
from deckgen.model import Card, CardKind, Lexicon, SourceRef
from deckgen.sources import load_corpus
from deckgen.textnorm import Vocabulary
from deckgen.trace import Gate

REPO = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("cards", "sources")
DEFAULT_TEMPLATES = REPO / "src" / "deckgen" / "default_templates"


def copy_project(target: Path, *, with_lock: bool = True) -> Path:
    """The calcinosis project, its templates/ holding every template a build reads (see copy_templates)."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        shutil.copytree(REPO / part, target / part)
    copy_templates(target)
    if with_lock and (REPO / "deck.lock").exists():
        shutil.copy2(REPO / "deck.lock", target / "deck.lock")
    return target


def copy_templates(target: Path) -> Path:
    """target/templates: deckgen's default templates with the repository's own templates/ (if any) over
    them, so that a test can edit any template. The deck built is the same as with the defaults left in
    the package (tests/test_identity.py compares the two)."""
    shutil.copytree(DEFAULT_TEMPLATES, target / "templates", dirs_exist_ok=True)
    if (REPO / "templates").is_dir():
        shutil.copytree(REPO / "templates", target / "templates", dirs_exist_ok=True)
    return target / "templates"


def run_cli(project: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run `python -m deckgen --project PROJECT ARGS` exactly as a user would, capturing its output."""
    env = dict(os.environ)
    env.pop("DECKGEN_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "deckgen", "--project", str(project), *args],
                          capture_output=True, text=True, timeout=timeout, env=env)


def lock_fields_digest(lock: dict, *, ensure_ascii: bool = False) -> str:
    """deck.lock's "fields_digest", computed here from its definition (lock.write_lock): the sha256 of the
    "fields" table's text as the json module writes it at depth 1, its first 16 hex digits (`ensure_ascii`:
    of a lock written with every character outside ASCII escaped)."""
    table = json.dumps(lock["fields"], indent=1, sort_keys=True, ensure_ascii=ensure_ascii).replace("\n", "\n ")
    return hashlib.sha256(table.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class YamlCard:
    """A card as read straight from the YAML with PyYAML — independent of deckgen's own loader."""

    id: str
    deck: str
    kind: str
    question: str
    answer: str
    cloze: str
    tags: tuple[str, ...]
    docs: tuple[str, ...]
    quotes: tuple[str, ...]


def read_yaml_cards(project: Path) -> tuple[dict, list[YamlCard]]:
    settings = yaml.safe_load((project / "cards" / "deck.yaml").read_text(encoding="utf-8"))
    cards = []
    for path in sorted((project / "cards").glob("*.yaml")):
        if path.name in ("deck.yaml", "synonyms.yaml", "vocabulary.yaml"):
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        file_tags = tuple(data.get("tags", []))
        for entry in data["cards"]:
            tags = file_tags + tuple(t for t in entry.get("tags", []) if t not in file_tags)
            cards.append(YamlCard(
                id=entry["id"], deck=f"{settings['title']}::{data['deck']}",
                kind="cloze" if "cloze" in entry else "qa",
                question=str(entry.get("question", "")), answer=str(entry.get("answer", "")),
                cloze=str(entry.get("cloze", "")), tags=tags,
                docs=tuple(s["doc"] for s in entry["sources"]), quotes=tuple(s["quote"] for s in entry["sources"]),
            ))
    return settings, cards


# --- the real Anki backend -----------------------------------------------------------------------
def open_collection(path: Path):
    from anki.collection import Collection

    return Collection(str(path))


def import_apkg(col, apkg: Path):
    """Import with Anki's default options (update notes and note types only if newer)."""
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    request = ImportAnkiPackageRequest(package_path=str(apkg), options=ImportAnkiPackageOptions())
    return col.import_anki_package(request).log


def review_all(col, rating_name: str = "GOOD") -> None:
    """Answer every card once, through the real v3 scheduler."""
    from anki.scheduler.v3 import CardAnswer

    rating = getattr(CardAnswer, rating_name)
    for card_id in col.find_cards(""):
        card = col.get_card(card_id)
        card.start_timer()
        states = col._backend.get_scheduling_states(card_id)
        col.sched.answer_card(col.sched.build_answer(card=card, states=states, rating=rating))


def scheduling_by_card_id(col) -> dict[tuple[str, int], tuple]:
    """(deckgen card id, card ordinal) -> the scheduling state Anki keeps for it."""
    rows = col.db.all("select n.mid, n.flds, c.ord, c.type, c.queue, c.due, c.ivl, c.factor, c.reps, c.lapses, "
                      "c.id from cards c join notes n on n.id = c.nid")
    result = {}
    for model_id, fields, ordinal, *state in rows:
        names = [f["name"] for f in col.models.get(model_id)["flds"]]
        card_id = fields.split("\x1f")[names.index("CardId")]
        result[(card_id, ordinal)] = tuple(state)
    return result


def notes_by_card_id(col) -> dict:
    result = {}
    for note_id in col.find_notes(""):
        note = col.get_note(note_id)
        result[note["CardId"]] = note
    return result


def gate_over(folder: Path, title: str, text: str, synonyms: tuple[tuple[str, ...], ...] = ()) -> Gate:
    """A gate over one document, "doc", holding `text` under the title `title`, written into `folder`/sources."""
    (folder / "sources").mkdir()
    (folder / "sources" / "doc.md").write_text(
        f"---\ntitle: {title}\npublisher: Test Press\nlanguage: en\n---\n{text}", encoding="utf-8")
    corpus, problems = load_corpus(folder)
    assert not problems
    return Gate(corpus, Vocabulary(synonyms, Lexicon()))


_WHERE = Location("cards/t.yaml", 3, 5)  # where a probe card of the attack files stands


def qa_card(quote: str, question: str, answer: str, doc: str = "doc") -> Card:
    """A question-and-answer card citing `quote` of the document `doc` (gate_over's, by default)."""
    return Card("t", CardKind.QA, "T", question, answer, "", "", (), (SourceRef(doc, quote, _WHERE),), "", _WHERE)


def cloze_card(quote: str, text: str) -> Card:
    """A cloze card citing `quote` of the document "doc" (gate_over's)."""
    return Card("t", CardKind.CLOZE, "T", "", "", text, "", (), (SourceRef("doc", quote, _WHERE),), "", _WHERE)


def diagnostic_codes(gate: Gate, card: Card) -> list[str]:
    """The codes of what `gate` says of `card`, in order (none: it passes)."""
    return [d.code for d in gate.trace(card).diagnostics]


def assert_refused(gate: Gate, card: Card) -> None:
    """`gate` refuses `card`, whatever it says."""
    assert not gate.trace(card).ok, "accepted"


def known_limit(reason: str):
    """What the gate cannot yet read: a test expected to fail, by its assertion, until it can (a strict xfail, so
    that a test the gate comes to pass is turned into a plain one)."""
    import pytest

    return pytest.mark.xfail(strict=True, raises=AssertionError, reason=reason)


def assert_passes(gate: Gate, card: Card) -> None:
    """`gate` accepts `card`; else the assertion shows what it said."""
    result = gate.trace(card)
    assert result.ok, "\n".join(d.render() for d in result.diagnostics)


def card_label(card: Card) -> str:
    """A probe card as one line, for a test's id: its cloze, or its question and answer."""
    return card.cloze or f"{card.question} - {card.answer}"
