"""A lower bound: the bare genanki script plus the least that the issue's own requirements add.

    python benchmarks/floor_genanki.py PROJECT_DIR OUTPUT.apkg

bare_genanki.py writes the notes and nothing else. This script adds, each in the cheapest way
this stack offers, the four things a source-checked, templated, re-importable deck cannot do
without, and nothing more:

1. read every source document once and normalise it (NFKC, case fold, one space per blank run);
2. check that every quote, normalised the same way, occurs in its document: its pieces between
   elisions ("...") found in order by substring search (no sentence index, no check that the
   answer's words are in the quote, no fuzzy hints);
3. render each note's Sources field through one Jinja template compiled once (autoescaped);
4. write a lock: each card's GUID, content hash and modification time, as compact JSON.

It reads the YAML like the bare script (no line numbers, so no located errors), reports nothing
but a count of unmatched quotes, and keeps no memo. No real tool should be this thin; it is here so
that the benchmark shows how much of deckgen's overhead any implementation of these requirements
would pay, and how much is deckgen's own.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import unicodedata
from pathlib import Path

import genanki
import jinja2
import yaml

from bare_genanki import Loader, card_files, note_parts

BLANKS = re.compile(r"\s+")
ELISION = re.compile(r"\s*(?:\.\.\.|\u2026)\s*")
SOURCES_FIELD = jinja2.Environment(autoescape=True).from_string(
    "{% for quote in quotes %}<blockquote>{{ quote }}</blockquote>{{ title }}{% endfor %}")


def normalised(text: str) -> str:
    return BLANKS.sub(" ", unicodedata.normalize("NFKC", text).casefold())


def found(quote: str, document: str) -> bool:
    start = 0
    for piece in ELISION.split(normalised(quote)):
        start = document.find(piece, start)
        if start < 0:
            return False
        start += len(piece)
    return True


def main(project: Path, output: Path) -> int:
    documents = {path.stem: normalised(path.read_text(encoding="utf-8")) for path in (project / "sources").glob("*.md")}
    settings = yaml.load((project / "cards" / "deck.yaml").read_text(encoding="utf-8"), Loader=Loader)
    decks, lock, unmatched = [], {}, 0
    for number, data in card_files(project):
        deck = genanki.Deck(2059400110 + number, f"{settings['title']}::{data['deck']}")
        for card in data["cards"]:
            quotes = [s["quote"] for s in card["sources"]]
            unmatched += sum(not found(s["quote"], documents.get(s["doc"], "")) for s in card["sources"])
            sources = SOURCES_FIELD.render(quotes=quotes, title=card["sources"][0]["doc"])
            model, fields, tags = note_parts(card, list(data.get("tags", [])), sources)
            guid = genanki.guid_for(card["id"])
            lock[card["id"]] = {"guid": guid, "modified": 1_700_000_000,
                                "hash": hashlib.sha256("\x1f".join(fields).encode()).hexdigest()[:16]}
            deck.add_note(genanki.Note(model=model, fields=fields, tags=tags, guid=guid))
        decks.append(deck)
    (output.parent / f"{output.stem}.lock").write_text(json.dumps(lock, ensure_ascii=False), encoding="utf-8")
    genanki.Package(decks).write_to_file(str(output))
    return 1 if unmatched else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
