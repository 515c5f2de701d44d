"""Retired notes ship in a top-level deck of their own, "TITLE (removed cards)" (package.deck_order).

tests/test_lifecycle.py follows learners through it in real Anki (one who had the card keeps it where it was;
one new to the deck gets it outside the deck they study; a card brought back). Here: the deck's name and
description whatever the title, the description a project's template (decks/removed_description.txt) writes
instead, escaped as the default is, and a broken one refused; the incremental package through retirements, a
card brought back and a changed description template; a title that would make a deck another deck's removed
deck, refused; and what build and status say of the retired notes, naming the deck they ship in.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile

import pytest

from deckgen import pipeline
from helpers import import_apkg, open_collection, run_cli
from mini_project import TITLE, apkg, edit, make_project, remove_card, rows
from test_init import deckgen
from test_incremental import stored
from test_lifecycle import decks_by_card_id

NOW = 1_700_000_000
REMOVED = f"{TITLE} (removed cards)"
DESCRIPTION_TEMPLATE = ("templates", "decks", "removed_description.txt")

ODD_TITLES = ['Rocks "Q" (v2)', "R&D >bold {title} 100%", "Ünïcode – rocks", "[sound:x.mp3] rocks", "a*b_c"]
# (A title holding '<' is refused: Anki shows a deck's name in a card as HTML.)
# Each odd title as the removed deck's description shows it: text, escaped as before the description was a
# template (html.escape without quotes, then Anki's [sound:] bracket as an entity).
ESCAPED_TITLES = {'Rocks "Q" (v2)': 'Rocks "Q" (v2)', "R&D >bold {title} 100%":
                  "R&amp;D &gt;bold {title} 100%", "Ünïcode – rocks": "Ünïcode – rocks",
                  "[sound:x.mp3] rocks": "&#91;sound:x.mp3] rocks", "a*b_c": "a*b_c"}
# The default description (decks/removed_description.txt), word for word as the Python string it replaced.
DEFAULT_DESCRIPTION = ("Cards removed from {title}; each says so on both sides. They ship so that a learner who "
                       "studied them sees that notice. This deck is not part of {title}: study {title} itself. "
                       "Deleting this deck lasts only until the next update of {title} brings the removed cards "
                       "back; to keep them out of the way, suspend them instead (in the browser, this deck's "
                       "cards, then Suspend).")


def _titled(project, title: str):
    deck_yaml = project / "cards" / "deck.yaml"
    escaped = title.replace("'", "''")
    deck_yaml.write_text(deck_yaml.read_text(encoding="utf-8").replace(f"title: {TITLE}", f"title: '{escaped}'"),
                         encoding="utf-8")
    return project


def _built_with_a_card_retired(project) -> None:
    pipeline.build(project, now=NOW)
    remove_card(project / "cards" / "other.yaml", "slate-sheets")
    pipeline.build(project, now=NOW + 100)


def _learner_importing(project, folder):
    """A new learner's collection with the project's package imported (the caller closes it)."""
    folder.mkdir()
    col = open_collection(folder / "collection.anki2")
    import_apkg(col, apkg(project))
    return col


@pytest.mark.parametrize("title", ODD_TITLES)
def test_an_odd_title_gives_a_removed_deck_beside_the_deck(tmp_path, title):
    project = _titled(make_project(tmp_path / "project"), title)
    _built_with_a_card_retired(project)
    col = _learner_importing(project, tmp_path / "learner")
    try:
        decks = decks_by_card_id(col)
        assert decks.pop("slate-sheets") == f"{title} (removed cards)"
        assert all(deck == title or deck.startswith(f"{title}::") for deck in decks.values()), decks
        description = col.decks.by_name(f"{title} (removed cards)")["desc"]
    finally:
        col.close()
    assert "[sound:" not in description and "<b>" not in description, "the title is text in the description"
    assert "Suspend" in description, "it says what to do with the deck"
    assert description == DEFAULT_DESCRIPTION.replace("{title}", ESCAPED_TITLES[title])


def _describe(project, text: str) -> None:
    """The project's own decks/removed_description.txt (make_project copies the defaults into templates/)."""
    project.joinpath(*DESCRIPTION_TEMPLATE).write_text(text, encoding="utf-8")


def _descriptions(package, scratch) -> dict[str, str]:
    """Each deck of a package by name, with its description, from the package's `col` row."""
    database = scratch / "descriptions.anki2"
    with zipfile.ZipFile(package) as archive:
        database.write_bytes(archive.read("collection.anki2"))
    connection = sqlite3.connect(database)
    try:
        (decks,) = connection.execute("select decks from col").fetchone()
    finally:
        connection.close()
        database.unlink()
    return {deck["name"]: deck["desc"] for deck in json.loads(decks).values()}


TRANSLATED = ("[# a project's translation #]Cartes retirées de « [[ deck.title ]] » <i>ici</i> & [sound:y.mp3]\n"
              "dans [[ deck.removed_deck ]] : suspendez-les.\n")


def test_a_projects_template_describes_the_removed_deck_escaped_as_text(tmp_path):
    """decks/removed_description.txt, overridden: its text is the removed deck's description in Anki, the
    title and the template's own markup escaped alike; the deck's own description is deck.yaml's."""
    title = "R&D >bold {title} 100%"
    project = _titled(make_project(tmp_path / "project"), title)
    _describe(project, TRANSLATED)
    _built_with_a_card_retired(project)
    col = _learner_importing(project, tmp_path / "learner")
    try:
        removed = col.decks.by_name(f"{title} (removed cards)")["desc"]
        own = col.decks.by_name(title)["desc"]
    finally:
        col.close()
    escaped = ESCAPED_TITLES[title]
    assert removed == (f"Cartes retirées de « {escaped} » &lt;i&gt;ici&lt;/i&gt; &amp; &#91;sound:y.mp3]\n"
                       f"dans {escaped} (removed cards) : suspendez-les.")
    assert own == "A tiny test deck about rocks."


def test_without_the_template_in_templates_the_default_describes_the_removed_deck(tmp_path):
    project = make_project(tmp_path / "project")
    project.joinpath(*DESCRIPTION_TEMPLATE).unlink()
    _built_with_a_card_retired(project)
    assert _descriptions(apkg(project), tmp_path)[REMOVED] == DEFAULT_DESCRIPTION.replace("{title}", TITLE)


@pytest.mark.parametrize("template, line, message", [
    ("Removed from [[ deck.nope ]].\n", 1, "template error: "),
    ("[# a comment #]\nRemoved from [[ deck.title ]\n", 2, "template syntax error: "),
])
def test_a_broken_description_template_is_a_located_error_and_nothing_is_written(tmp_path, template, line, message):
    project = make_project(tmp_path / "project")
    pipeline.build(project, now=NOW)
    remove_card(project / "cards" / "other.yaml", "slate-sheets")
    deck, lock = apkg(project).read_bytes(), (project / "deck.lock").read_bytes()
    _describe(project, template)
    for command in ("check", "build", "status"):
        result = run_cli(project, command)
        assert result.returncode == 1, (command, result.stdout)
        assert result.stderr.startswith(f"templates/decks/removed_description.txt:{line}: {message}"), result.stderr
    assert apkg(project).read_bytes() == deck and (project / "deck.lock").read_bytes() == lock


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
        lambda p: _describe(p, "Removed from [[ deck.title ]]: leave them be.\n"),  # a template, not an input
    ]
    pipeline.build(reusing, now=NOW)
    pipeline.build(fresh, now=NOW, fresh=True)
    for number, step in enumerate(steps, start=1):
        step(reusing)
        step(fresh)
        pipeline.build(reusing, now=NOW + 100 * number)
        pipeline.build(fresh, now=NOW + 100 * number, fresh=True)
        assert rows(apkg(reusing), scratch) == rows(apkg(fresh), scratch), f"after step {number}"
        # and it was an incremental package (its database stored): no step changes a note type, which alone
        # writes every note (test_incremental); without this, a deck with retired notes written from scratch
        # every time compared two fresh builds
        assert stored(apkg(reusing)), f"step {number}: the previous rows were not used"
    assert _descriptions(apkg(reusing), scratch)[REMOVED] == f"Removed from {TITLE}: leave them be."


def test_a_title_that_names_a_removed_deck_is_refused(tmp_path):
    """Anki finds decks by name: this deck's notes would go into another deck's removed deck."""
    project = _titled(make_project(tmp_path / "project"), "Rocks (removed cards)")
    result = run_cli(project, "check")
    assert result.returncode == 1
    assert result.stderr.startswith("cards/deck.yaml:1:8: title must not end with '(removed cards)'"), result.stderr
    result = deckgen(tmp_path, "init", "deck", "--title", "Rocks (removed cards)")  # in tmp_path: DIR is relative
    assert result.returncode == 2 and "--title: the title may not end with '(removed cards)'" in result.stderr
    assert not (tmp_path / "deck").exists()


def test_build_and_status_name_the_deck_the_retired_notes_ship_in(tmp_path):
    """Through every way a build reports: a full build, one with nothing changed (the stamped summary), a
    rebuild of an edited card (delta.py), and --json."""
    project = _titled(make_project(tmp_path / "project"), "Rocks 'n' stones")
    removed = "Rocks 'n' stones (removed cards)"
    # one note is not "each" of them, nor "them"
    shipped = (f"still ships in the deck '{removed}', showing its removal notice (search "
               f"tag:deckgen::retired in Anki; ")

    def build(*args: str) -> list[str]:
        result = run_cli(project, "build", *args)
        assert result.returncode == 0, result.stderr
        return result.stdout.splitlines()

    assert not any("retired note" in line for line in build())
    remove_card(project / "cards" / "other.yaml", "slate-sheets")
    status = run_cli(project, "status")
    assert status.returncode == 0, status.stderr
    assert status.stdout.splitlines()[-2:] == [f"1 retired card {shipped}build --drop-retired stops shipping it):",
                                               "  slate-sheets"]
    line = f"  1 retired note {shipped}--drop-retired stops shipping it)"
    assert line in build(), "a full build"
    assert line in build(), "nothing changed: the stamped summary"
    edit(project / "cards" / "other.yaml", "answer: Soft and white.", "answer: Soft, white.")
    assert line in build(), "an edited card: a rebuild of it alone"

    remove_card(project / "cards" / "igneous.yaml", "obsidian-glass")
    two = f"2 retired notes still ship in the deck '{removed}', each showing"
    assert any(text.startswith(f"  {two}") and text.endswith("stops shipping them)") for text in build())
    built = json.loads(run_cli(project, "build", "--json").stdout)
    assert built["removed_deck"] == removed and built["retired_in_deck"] == ["obsidian-glass", "slate-sheets"]
    status = json.loads(run_cli(project, "status", "--json").stdout)
    assert status["removed_deck"] == removed
    assert not any("retired note" in text for text in build("--drop-retired"))
