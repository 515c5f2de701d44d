"""Retired notes ship in a top-level deck of their own, "TITLE (removed cards)" (package.deck_order).

tests/test_lifecycle.py follows learners through it in real Anki (one who had the card keeps it where it was;
one new to the deck gets it outside the deck they study; a card brought back). Here: the deck's name and
description whatever the title, the incremental package through retirements and a card brought back, and a
title that would make a deck another deck's removed deck, refused.
"""

from __future__ import annotations

import pytest

from deckgen import pipeline
from helpers import import_apkg, open_collection, run_cli
from mini_project import TITLE, apkg, edit, make_project, remove_card, rows
from test_lifecycle import decks_by_card_id

NOW = 1_700_000_000

ODD_TITLES = ['Rocks "Q" (v2)', "R&D <b>bold</b> {title} 100%", "Ünïcode – rocks", "[sound:x.mp3] rocks", "a*b_c"]


def _titled(project, title: str):
    deck_yaml = project / "cards" / "deck.yaml"
    escaped = title.replace("'", "''")
    deck_yaml.write_text(deck_yaml.read_text(encoding="utf-8").replace(f"title: {TITLE}", f"title: '{escaped}'"),
                         encoding="utf-8")
    return project


@pytest.mark.parametrize("title", ODD_TITLES)
def test_an_odd_title_gives_a_removed_deck_beside_the_deck(tmp_path, title):
    project = _titled(make_project(tmp_path / "project"), title)
    pipeline.build(project, now=NOW)
    remove_card(project / "cards" / "other.yaml", "slate-sheets")
    pipeline.build(project, now=NOW + 100)
    (tmp_path / "learner").mkdir()
    col = open_collection(tmp_path / "learner" / "collection.anki2")
    try:
        import_apkg(col, apkg(project))
        decks = decks_by_card_id(col)
        assert decks.pop("slate-sheets") == f"{title} (removed cards)"
        assert all(deck == title or deck.startswith(f"{title}::") for deck in decks.values()), decks
        description = col.decks.by_name(f"{title} (removed cards)")["desc"]
    finally:
        col.close()
    assert "[sound:" not in description and "<b>" not in description, "the title is text in the description"
    assert "Suspend" in description, "it says what to do with the deck"


def test_the_incremental_package_holds_a_fresh_builds_rows_through_retirements(tmp_path):
    reusing, fresh = make_project(tmp_path / "reusing"), make_project(tmp_path / "fresh")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    originals = {p: (p / "cards" / "other.yaml").read_text(encoding="utf-8") for p in (reusing, fresh)}
    steps = [
        lambda p: remove_card(p / "cards" / "other.yaml", "slate-sheets"),
        lambda p: remove_card(p / "cards" / "igneous.yaml", "obsidian-glass"),
        lambda p: (p / "cards" / "other.yaml").write_text(originals[p], encoding="utf-8"),  # slate back
        lambda p: edit(p / "cards" / "deck.yaml", "description: A tiny", "description: A small"),
    ]
    pipeline.build(reusing, now=NOW)
    pipeline.build(fresh, now=NOW, fresh=True)
    for number, step in enumerate(steps, start=1):
        step(reusing)
        step(fresh)
        pipeline.build(reusing, now=NOW + 100 * number)
        pipeline.build(fresh, now=NOW + 100 * number, fresh=True)
        assert rows(apkg(reusing), scratch) == rows(apkg(fresh), scratch), f"after step {number}"


def test_a_title_that_names_a_removed_deck_is_refused(tmp_path):
    """Anki finds decks by name: this deck's notes would go into another deck's removed deck."""
    project = _titled(make_project(tmp_path / "project"), "Rocks (removed cards)")
    result = run_cli(project, "check")
    assert result.returncode == 1
    assert result.stderr.startswith("cards/deck.yaml:1:8: title must not end with '(removed cards)'"), result.stderr
    result = run_cli(tmp_path, "init", "deck", "--title", "Rocks (removed cards)")
    assert result.returncode == 2 and "--title: the title may not end with '(removed cards)'" in result.stderr
    assert not (tmp_path / "deck").exists()
