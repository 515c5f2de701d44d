"""The baseline: a bare genanki script that writes the same notes as `deckgen build`, and nothing else.

    python benchmarks/bare_genanki.py PROJECT_DIR OUTPUT.apkg

It reads the same card files (PyYAML with libyaml's C loader), makes one genanki note per card
with the same fields (Question, Answer, Extra, Sources, CardId / Text, Extra, Sources, CardId),
tags, GUIDs and one subdeck per card file, and writes the package. No validation, no tracing, no
templates, no lock: the unavoidable work of turning the notes into an .apkg, which `deckgen build`
is measured against.
"""

from __future__ import annotations

import html
import sys
from collections.abc import Iterator
from pathlib import Path

import genanki
import yaml

try:
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as Loader  # type: ignore[assignment]

QA_FIELDS = ("Question", "Answer", "Extra", "Sources", "CardId")
CLOZE_FIELDS = ("Text", "Extra", "Sources", "CardId")
# Anki's field references only; no markup of our own.
QA_MODEL = genanki.Model(1607392319, "Bare Q&A", fields=[{"name": f} for f in QA_FIELDS],
                         templates=[{"name": "Card 1", "qfmt": "{{Question}}",
                                     "afmt": "{{FrontSide}}\n{{Answer}}\n{{Extra}}\n{{Sources}}"}])
CLOZE_MODEL = genanki.Model(1607392320, "Bare Cloze", fields=[{"name": f} for f in CLOZE_FIELDS],
                            templates=[{"name": "Cloze", "qfmt": "{{cloze:Text}}",
                                        "afmt": "{{cloze:Text}}\n{{Extra}}\n{{Sources}}"}],
                            model_type=genanki.Model.CLOZE)


def card_files(project: Path) -> Iterator[tuple[int, dict]]:
    """Each topic file's number (its place among cards/*.yaml, for a deck id) and its data."""
    for number, path in enumerate(sorted((project / "cards").glob("*.yaml"))):
        if path.name not in ("deck.yaml", "synonyms.yaml", "vocabulary.yaml"):  # deckgen's cards.SPECIAL_FILES
            yield number, yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)


def note_parts(card: dict, file_tags: list[str], sources: str) -> tuple[genanki.Model, list[str], list[str]]:
    """A card's model, fields (Sources given, everything else escaped) and tags."""
    extra = html.escape(card.get("extra", ""))
    tags = file_tags + card.get("tags", []) + [f"source::{s['doc']}" for s in card["sources"]]
    if "cloze" in card:
        return CLOZE_MODEL, [html.escape(card["cloze"]), extra, sources, card["id"]], tags
    return QA_MODEL, [html.escape(card["question"]), html.escape(card["answer"]), extra, sources, card["id"]], tags


def main(project: Path, output: Path) -> int:
    settings = yaml.load((project / "cards" / "deck.yaml").read_text(encoding="utf-8"), Loader=Loader)
    decks = []
    for number, data in card_files(project):
        deck = genanki.Deck(2059400110 + number, f"{settings['title']}::{data['deck']}")
        for card in data["cards"]:
            sources = "\n".join(html.escape(s["quote"]) for s in card["sources"])
            model, fields, tags = note_parts(card, list(data.get("tags", [])), sources)
            deck.add_note(genanki.Note(model=model, fields=fields, tags=tags, guid=genanki.guid_for(card["id"])))
        decks.append(deck)
    genanki.Package(decks).write_to_file(str(output))
    return 0

if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
