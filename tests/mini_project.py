"""A small, self-contained deckgen project for lifecycle, hostile-input, markup and watch tests.

Its cards and its one source document are written here, so these tests do not move when the real
deck's cards are edited; its templates are the repository's own (copied), so the real note types,
Jinja templates and stylesheet are what get exercised.
"""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

from helpers import copy_templates

TITLE = "Mini Stones"
OUTPUT = "mini-stones.apkg"

DECK_YAML = f"""\
title: {TITLE}
description: A tiny test deck about rocks.
output: {OUTPUT}
"""

SOURCE_MD = """\
---
title: "A Short Guide to Rocks"
publisher: deckgen tests
language: en
---
## Rocks

Granite is an igneous rock made of quartz and feldspar.
Marble forms when limestone is heated under pressure.
Basalt cools quickly from lava at the surface.
Slate splits into thin flat sheets.
Chalk is a soft white limestone.
Obsidian is a volcanic glass.
Pumice floats on water.
"""

IGNEOUS_YAML = """\
deck: Igneous
tags: [rocks::igneous]
cards:
  - id: granite-minerals
    question: Of what is granite made?
    answer: Quartz and feldspar.
    sources:
      - doc: rock-guide
        quote: "Granite is ... made of quartz and feldspar."

  - id: basalt-origin
    question: From what does basalt cool?
    answer: From lava.
    sources:
      - doc: rock-guide
        quote: "Basalt cools ... from lava"

  - id: obsidian-glass
    cloze: "Obsidian is a {{c1::volcanic glass}}."
    sources:
      - doc: rock-guide
        quote: "Obsidian is a volcanic glass."
"""

OTHER_YAML = """\
deck: Other
tags: [rocks::other]
cards:
  - id: marble-origin
    question: What is heated under pressure to form marble?
    answer: Limestone.
    sources:
      - doc: rock-guide
        quote: "Marble forms when limestone is heated under pressure."

  - id: slate-sheets
    question: Into what does slate split?
    answer: Thin flat sheets.
    sources:
      - doc: rock-guide
        quote: "Slate splits into thin flat sheets."

  - id: chalk-kind
    question: What kind of limestone is chalk?
    answer: Soft and white.
    sources:
      - doc: rock-guide
        quote: "Chalk is a soft white limestone."
"""

CARD_FILES = {"igneous.yaml": IGNEOUS_YAML, "other.yaml": OTHER_YAML}
CARD_IDS = ("granite-minerals", "basalt-origin", "obsidian-glass", "marble-origin", "slate-sheets", "chalk-kind")


def make_project(target: Path) -> Path:
    """Write the mini project under `target` (which must not exist yet) and return it."""
    (target / "cards").mkdir(parents=True)
    (target / "sources").mkdir()
    copy_templates(target)
    (target / "cards" / "deck.yaml").write_text(DECK_YAML, encoding="utf-8")
    for name, text in CARD_FILES.items():
        (target / "cards" / name).write_text(text, encoding="utf-8")
    (target / "sources" / "rock-guide.md").write_text(SOURCE_MD, encoding="utf-8")
    return target


def apkg(project: Path) -> Path:
    return project / "build" / OUTPUT


def edit(path: Path, old: str, new: str) -> None:
    """Replace exactly one occurrence of `old` in a file (fails loudly if it is not there once)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def remove_card(path: Path, card_id: str) -> None:
    """Delete one card entry (from its `- id:` line to the next card or the end) from a card file."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start = lines.index(f"  - id: {card_id}")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("  - id: ")), len(lines))
    path.write_text("\n".join(lines[:start] + lines[end:]), encoding="utf-8")


TABLES = ("col", "notes", "cards", "revlog", "graves")


def rows(package: Path, scratch: Path) -> dict[str, list]:
    """Every row of every table of a package's database, and its schema."""
    database = scratch / f"{package.parent.parent.name}.anki2"
    with zipfile.ZipFile(package) as archive:
        database.write_bytes(archive.read("collection.anki2"))
    connection = sqlite3.connect(database)
    try:
        found = {table: connection.execute(f"select * from {table} order by 1").fetchall() for table in TABLES}
        found["schema"] = connection.execute("select type, name, sql from sqlite_master order by name").fetchall()
        return found
    finally:
        connection.close()
        database.unlink()


def apply(project: Path, step: tuple[str, str, str]) -> bool:
    """Make one edit; True for --drop-retired."""
    kind, first, second = step
    if kind == "DROP":
        return True
    if kind == "REMOVE":
        remove_card(project / first, second)
    elif kind == "APPEND":
        with open(project / first, "a", encoding="utf-8") as appended:
            appended.write(second)
    else:
        edit(project / kind, first, second)
    return False
