"""Deck-scoped identity, in Anki's own backend.

Two projects made by `deckgen init` have the same card ids (both hold the example cards): in one
collection they must stay two decks, each with all its notes, with the default import options and with
*Merge note types* on. And the calcinosis deck, built with the default templates and its namespace in
deck.yaml, keeps every GUID, note-type id and deck id it had before either existed.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from deckgen.identity import LEGACY_GUID_NAMESPACE
from helpers import REPO, copy_project, open_collection, run_cli
from test_init import EXAMPLE_CARDS, deckgen, deck_yaml, init, package_tables

# The ids of the calcinosis deck as built before namespaces and default templates (commit 7cdc95d's
# build of the committed deck.lock): learners' collections hold these.
CALCINOSIS_NOTE_TYPES = {"Calcinosis Cutis Cloze (deckgen)": 1245856279, "Calcinosis Cutis Q&A (deckgen)": 1329968226}
# The first edition's "Calcinosis Cutis::Types" (2114684155) held only retired notes after the subdecks were
# numbered; retired notes now ship in the removed-cards deck, so it is in no package.
CALCINOSIS_DECKS = {"Calcinosis Cutis": 1723005456, "Calcinosis Cutis::1 Types": 2008837399,
                    "Calcinosis Cutis::5 Treatments": 1519662033}


def import_with(col, apkg: Path, *, merge_notetypes: bool):
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    options = ImportAnkiPackageOptions(merge_notetypes=merge_notetypes)
    return col.import_anki_package(ImportAnkiPackageRequest(package_path=str(apkg), options=options)).log


def notes_by_deck(col) -> dict[str, set[tuple[str, str]]]:
    """deck name -> {(guid, CardId)} of the notes whose cards are in it."""
    result: dict[str, set[tuple[str, str]]] = {}
    for card_id in col.find_cards(""):
        card = col.get_card(card_id)
        note = card.note()
        result.setdefault(col.decks.name(card.did), set()).add((note.guid, note["CardId"]))
    return result


def collection(tmp_path: Path) -> Path:
    (tmp_path / "anki").mkdir()
    return tmp_path / "anki" / "collection.anki2"


def built(project: Path) -> Path:
    result = deckgen(project, "build")
    assert result.returncode == 0, result.stderr
    return project / "build" / deck_yaml(project)["output"]


def two_decks(tmp_path: Path, first_title: str, second_title: str) -> tuple[Path, Path]:
    return built(init(tmp_path, "first", "--title", first_title)), built(init(tmp_path, "second", "--title", second_title))


@pytest.mark.parametrize("merge_notetypes", [False, True], ids=["default-options", "merge-note-types"])
def test_two_init_projects_with_the_same_card_ids_import_side_by_side(tmp_path, merge_notetypes):
    first, second = two_decks(tmp_path, "Bees", "Pollinators")
    col = open_collection(collection(tmp_path))
    try:
        for apkg in (first, second, first, second):  # and again: each re-import matches its own notes only
            log = import_with(col, apkg, merge_notetypes=merge_notetypes)
            assert not log.conflicting
        assert col.note_count() == 4
        decks = notes_by_deck(col)
        assert {card for _, card in decks["Bees::01 Honey bees"]} == EXAMPLE_CARDS
        assert {card for _, card in decks["Pollinators::01 Honey bees"]} == EXAMPLE_CARDS
        assert not decks["Bees::01 Honey bees"] & decks["Pollinators::01 Honey bees"], "no note is in both decks"
        names = sorted(col.models.get(m.id)["name"] for m in col.models.all_names_and_ids())
        assert {"Bees Q&A (deckgen)", "Pollinators Q&A (deckgen)"} <= set(names)
    finally:
        col.close()


def test_two_init_projects_of_the_same_title_keep_all_their_notes(tmp_path):
    first, second = two_decks(tmp_path, "Bees", "Bees")
    col = open_collection(collection(tmp_path))
    try:
        for apkg in (first, second):
            assert not import_with(col, apkg, merge_notetypes=True).conflicting
        assert col.note_count() == 4, "one deck by name, but four notes"
    finally:
        col.close()


def test_two_decks_built_in_the_same_second_share_no_note_or_card_id(tmp_path):
    """Ids count from the deck's id_base, a time in seconds: two decks first built in one second (a script
    that makes and builds both) would number their notes and cards alike. A deck with a namespace counts
    from a time made from it; Anki would give clashing ids new ones on import, but no deck should need that."""
    import sqlite3
    import zipfile

    from deckgen import pipeline

    now = 1_800_000_000
    ids = []
    for name in ("bees", "pollinators"):
        project = init(tmp_path, name)
        pipeline.build(project, now=now, fresh=True)
        apkg = project / "build" / deck_yaml(project)["output"]
        with zipfile.ZipFile(apkg) as archive:
            archive.extract("collection.anki2", tmp_path / name / "unpacked")
        with sqlite3.connect(tmp_path / name / "unpacked" / "collection.anki2") as db:
            ids.append({("note", i) for (i,) in db.execute("select id from notes")} |
                       {("card", i) for (i,) in db.execute("select id from cards")})
        lock = json.loads((project / "deck.lock").read_text(encoding="utf-8"))
        assert now - 86_400 < lock["id_base"] <= now
    assert len(ids[0]) == len(ids[1]) == 4 and not ids[0] & ids[1]


def test_a_lock_from_before_id_base_keeps_the_ids_its_packages_had(tmp_path):
    """A deck.lock written before id_base was recorded (init decks had namespaces already) numbered its
    package's notes and cards from the latest change time: the build that records id_base keeps that
    number, and the spread that parts two new decks is for a first build only."""
    project = init(tmp_path, "bees")
    built(project)
    lock = json.loads((project / "deck.lock").read_text(encoding="utf-8"))
    latest = max(entry["modified"] for table in ("cards", "note_types") for entry in lock[table].values())
    del lock["id_base"]
    (project / "deck.lock").write_text(json.dumps(lock, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                                       encoding="utf-8")
    result = deckgen(project, "build", "--fresh")
    assert result.returncode == 0, result.stderr
    assert json.loads((project / "deck.lock").read_text(encoding="utf-8"))["id_base"] == latest


def test_pull_reads_only_its_own_decks_notes_from_a_collection_holding_both(tmp_path):
    """Two decks with the same card ids in one collection: the learner deletes the first deck's note of a card
    and edits the second deck's note of the same id. `pull` in the first project reports its note missing, and
    not the other deck's edit as its own (which --apply would write into the first deck's cards)."""
    first, second = two_decks(tmp_path, "Bees", "Pollinators")
    col = open_collection(collection(tmp_path))
    for apkg in (first, second):
        import_with(col, apkg, merge_notetypes=False)
    notes = {col.get_note(nid).note_type()["name"]: col.get_note(nid)
             for nid in col.find_notes('"CardId:bees-waggle-dance"')}
    col.remove_notes([notes["Bees Q&A (deckgen)"].id])
    other = notes["Pollinators Q&A (deckgen)"]
    other["Answer"] = "<b>The</b> waggle dance."
    col.update_note(other)
    export = tmp_path / "collection.colpkg"
    col.export_collection_package(str(export), include_media=False, legacy=False)  # closes the collection
    project = first.parent.parent
    result = deckgen(project, "pull", str(export), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["edited"] == [] and report["missing"] == ["bees-waggle-dance"]
    cards = (project / "cards" / "bees.yaml").read_text(encoding="utf-8")
    assert deckgen(project, "pull", str(export), "--apply").returncode == 0
    assert (project / "cards" / "bees.yaml").read_text(encoding="utf-8") == cards


def test_without_a_namespace_the_same_card_ids_collide(tmp_path):
    """The control: what namespaces prevent. Two projects without one (as before `init`) share GUIDs,
    and the second deck's notes do not arrive as notes of their own."""
    projects = [init(tmp_path, "first", "--title", "Bees"), init(tmp_path, "second", "--title", "Pollinators")]
    for project in projects:
        deck = project / "cards" / "deck.yaml"
        deck.write_text("".join(line for line in deck.read_text(encoding="utf-8").splitlines(keepends=True)
                                if not line.startswith("namespace:")), encoding="utf-8")
    first, second = built(projects[0]), built(projects[1])
    col = open_collection(collection(tmp_path))
    try:
        import_with(col, first, merge_notetypes=False)
        import_with(col, second, merge_notetypes=False)
        assert col.note_count() == 2
    finally:
        col.close()


def test_new_cards_get_guids_of_their_namespace(tmp_path):
    import genanki

    project = init(tmp_path, "bees")
    built(project)
    lock = json.loads((project / "deck.lock").read_text(encoding="utf-8"))
    namespace = deck_yaml(project)["namespace"]
    assert {card_id: entry["guid"] for card_id, entry in lock["cards"].items()} == {
        card_id: genanki.guid_for(namespace, card_id) for card_id in EXAMPLE_CARDS}
    assert namespace != LEGACY_GUID_NAMESPACE


def test_a_changed_namespace_is_refused_at_its_line(tmp_path):
    project = init(tmp_path, "bees")
    built(project)
    deck = project / "cards" / "deck.yaml"
    text = deck.read_text(encoding="utf-8")
    namespace = deck_yaml(project)["namespace"]
    deck.write_text(text.replace(f"namespace: {namespace}", "namespace: bees-elsewhere"), encoding="utf-8")
    line = text[:text.index("namespace: ")].count("\n") + 1
    for command in ("check", "build"):
        result = deckgen(project, command)
        assert result.returncode == 1
        assert result.stderr.startswith(f"cards/deck.yaml:{line}:12: namespace 'bees-elsewhere' is not the "
                                        f"namespace deck.lock was built with ('{namespace}')")
        assert f"put back 'namespace: {namespace}'" in result.stderr


def test_a_deleted_namespace_is_refused_once_the_lock_holds_its_guids(tmp_path):
    """Without `namespace:`, a project falls back to the GUIDs every deck without one shares: for a deck built
    with a namespace, a new card would then get the GUID of another deck's card of the same id (the
    calcinosis deck's older cards have such GUIDs), and Anki would take it for that note."""
    project = init(tmp_path, "bees")
    built(project)
    deck = project / "cards" / "deck.yaml"
    namespace = deck_yaml(project)["namespace"]
    deck.write_text("".join(line for line in deck.read_text(encoding="utf-8").splitlines(keepends=True)
                            if not line.startswith("namespace:")), encoding="utf-8")
    lock = (project / "deck.lock").read_bytes()
    for command in ("check", "build"):
        result = deckgen(project, command)
        assert result.returncode == 1, result.stdout
        assert result.stderr.startswith(f"cards/deck.yaml:2:1: deck.yaml names no namespace, but deck.lock was "
                                        f"built with namespace '{namespace}'"), result.stderr
        assert f"put back 'namespace: {namespace}'" in result.stderr and "Traceback" not in result.stderr
    assert (project / "deck.lock").read_bytes() == lock


def test_a_deck_from_before_namespaces_titled_deckgen_keeps_building(tmp_path):
    """A deck without `namespace:` whose title is "Deckgen" records the namespace 'deckgen' in deck.lock, the
    one its legacy GUIDs are made from: those GUIDs do not mean a namespace was deleted (and 'deckgen' is
    reserved, so the author could not put one back)."""
    project = init(tmp_path, "bees")
    deck = project / "cards" / "deck.yaml"
    deck.write_text("".join(line.replace(line.split(":", 1)[1], " Deckgen\n") if line.startswith("title:") else line
                            for line in deck.read_text(encoding="utf-8").splitlines(keepends=True)
                            if not line.startswith("namespace:")), encoding="utf-8")
    built(project)
    assert json.loads((project / "deck.lock").read_text(encoding="utf-8"))["namespace"] == LEGACY_GUID_NAMESPACE
    for command in ("check", "status", ("build", "--fresh")):
        result = deckgen(project, *((command,) if isinstance(command, str) else command))
        assert result.returncode == 0, result.stderr
        assert "names no namespace" not in result.stderr


def _calcinosis_as_committed(target: Path) -> Path:
    """The repository's project as it is: cards, sources, deck.lock, and templates/ only if it has one."""
    for part in ("cards", "sources", "templates"):
        if (REPO / part).is_dir():
            shutil.copytree(REPO / part, target / part)
    shutil.copy2(REPO / "deck.lock", target / "deck.lock")
    return target


def test_the_calcinosis_deck_keeps_every_guid_and_id(tmp_path):
    project = _calcinosis_as_committed(tmp_path / "as-committed")
    committed = json.loads((REPO / "deck.lock").read_text(encoding="utf-8"))
    result = run_cli(project, "build", "--fresh")
    assert result.returncode == 0, result.stderr
    lock = json.loads((project / "deck.lock").read_text(encoding="utf-8"))
    assert lock["namespace"] == committed["namespace"] == "calcinosis-cutis"
    for table in ("cards", "retired"):
        assert {k: v["guid"] for k, v in lock[table].items()} == {k: v["guid"] for k, v in committed[table].items()}
    assert {k: (v["id"], v["fields"]) for k, v in lock["note_types"].items()} == {
        k: (v["id"], v["fields"]) for k, v in committed["note_types"].items()}

    apkg = project / "build" / "calcinosis-cutis.apkg"
    models, decks, notes = package_tables(apkg, tmp_path)
    assert {m["name"]: int(i) for i, m in models.items()} == CALCINOSIS_NOTE_TYPES
    assert {d["name"]: int(i) for i, d in decks.items() if d["name"] in CALCINOSIS_DECKS} == CALCINOSIS_DECKS
    shipped = {entry["guid"] for table in ("cards", "retired") for entry in committed[table].values()}
    assert {guid for guid, _ in notes} == shipped


def test_the_default_templates_build_the_deck_its_own_copy_of_them_builds(tmp_path):
    """Byte for byte: the project with no templates/ and the same project with every default template
    copied into its templates/ (as the tests' copy_project makes it), built at one time."""
    from deckgen import pipeline

    bare = _calcinosis_as_committed(tmp_path / "bare")
    full = copy_project(tmp_path / "full")
    now = int(time.time())
    for project in (bare, full):
        pipeline.build(project, now=now, fresh=True)
    assert (bare / "deck.lock").read_bytes() == (full / "deck.lock").read_bytes()
    assert (bare / "build" / "calcinosis-cutis.apkg").read_bytes() == (full / "build" / "calcinosis-cutis.apkg").read_bytes()
