"""An incremental package (incremental.py) holds exactly the rows a fresh build holds, and Anki takes it.

* Through a series of edits — a tag, a wording, an added cloze with two deletions, a cloze given a
  second deletion, a removed card (retired), a renamed card, a renamed subdeck, a changed stylesheet,
  --drop-retired — a project rebuilt incrementally and its twin built with --fresh at the same times
  have databases with the same rows in every table (and the same schema); the incremental builds did
  reuse rows (their database is stored, not deflated), and a change to a note type writes every note.
* The real Anki backend imports the incremental package, updating the edited note in a learner's
  collection, and a new collection made from it holds what one made from the fresh build holds.
* build/.deckgen-package is not trusted: a changed row signed with this user's key shows that rows are
  copied (and is copied only where its digest matches), while one not signed with it, or damaged, is
  not used — the build writes every note, and the result is still a fresh build's rows.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from deckgen import incremental, pipeline, userkey
from helpers import import_apkg, open_collection
from mini_project import apkg, apply, edit, make_project, remove_card, rows

NOW = 1_700_000_000

EDITS = [  # (file, old, new): each keeps every card valid
    ("cards/other.yaml", "answer: Limestone.", "answer: Limestone.\n    tags: [high-yield]"),
    ("cards/other.yaml", "answer: Soft and white.", "answer: Soft, white."),
    ("cards/igneous.yaml", 'quote: "Obsidian is a volcanic glass."',
     'quote: "Obsidian is a volcanic glass."\n'
     '  - id: pumice-floats\n    cloze: "{{c1::Pumice}} floats on {{c2::water}}."\n'
     '    sources:\n      - doc: rock-guide\n        quote: "Pumice floats on water."'),
    ("cards/igneous.yaml", 'cloze: "Obsidian is a {{c1::volcanic glass}}."',
     'cloze: "{{c2::Obsidian}} is a {{c1::volcanic glass}}."'),
    ("REMOVE", "cards/other.yaml", "slate-sheets"),
    ("cards/igneous.yaml", "  - id: basalt-origin\n", "  - id: basalt-from-lava\n    renamed_from: basalt-origin\n"),
    ("cards/other.yaml", "deck: Other", "deck: Other Rocks"),
    ("APPEND", "templates/card.css", "\n/* a comment */\n"),
    ("cards/igneous.yaml", "answer: Quartz and feldspar.", "answer: Feldspar and quartz."),
    ("DROP", "", ""),
]


def stored(package: Path) -> bool:
    """Whether the package's database is stored uncompressed: an incremental build wrote it."""
    with zipfile.ZipFile(package) as archive:
        return archive.getinfo("collection.anki2").compress_type == zipfile.ZIP_STORED


def test_an_incremental_package_holds_the_rows_of_a_fresh_build(tmp_path):
    reusing = make_project(tmp_path / "reusing")
    fresh = make_project(tmp_path / "fresh")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    pipeline.build(reusing, now=NOW)
    pipeline.build(fresh, now=NOW, fresh=True)
    assert rows(apkg(reusing), scratch) == rows(apkg(fresh), scratch)
    for step_number, step in enumerate(EDITS, start=1):
        drop = apply(reusing, step)
        apply(fresh, step)
        now = NOW + 100 * step_number
        pipeline.build(reusing, now=now, drop_retired=drop)
        pipeline.build(fresh, now=now, drop_retired=drop, fresh=True)
        assert rows(apkg(reusing), scratch) == rows(apkg(fresh), scratch), f"after edit {step_number}: {step}"
        assert (reusing / "deck.lock").read_bytes() == (fresh / "deck.lock").read_bytes()
        assert not stored(apkg(fresh)), "--fresh writes every note"
        # A changed note type writes every note (the recorded rows were made with the old one).
        assert stored(apkg(reusing)) == (step[0] != "APPEND"), f"after edit {step_number}: {step}"


def test_anki_imports_the_incremental_package(tmp_path):
    reusing = make_project(tmp_path / "reusing")
    fresh = make_project(tmp_path / "fresh")
    pipeline.build(reusing, now=NOW)
    pipeline.build(fresh, now=NOW, fresh=True)
    (tmp_path / "learner").mkdir()
    learner = open_collection(tmp_path / "learner" / "collection.anki2")
    first = import_apkg(learner, apkg(reusing))
    assert len(first.new) == 6

    for project in (reusing, fresh):
        edit(project / "cards" / "other.yaml", "answer: Soft and white.", "answer: Soft, white.")
        remove_card(project / "cards" / "other.yaml", "slate-sheets")
    pipeline.build(reusing, now=NOW + 100)
    pipeline.build(fresh, now=NOW + 100, fresh=True)
    assert stored(apkg(reusing))

    log = import_apkg(learner, apkg(reusing))
    assert sorted(note.fields[-1] for note in log.updated) == ["chalk-kind", "slate-sheets"], \
        "the edited card and the retired one are updated in place"
    assert not log.new and not log.conflicting
    answers = {learner.get_note(n)["CardId"]: learner.get_note(n) for n in learner.find_notes("")}
    assert answers["chalk-kind"]["Answer"] == "Soft, white."
    assert "deckgen::retired" in answers["slate-sheets"].tags
    learner.close()

    imported = {}
    for name, project in (("reusing", reusing), ("fresh", fresh)):
        (tmp_path / f"new-{name}").mkdir()
        col = open_collection(tmp_path / f"new-{name}" / "collection.anki2")
        import_apkg(col, apkg(project))
        imported[name] = sorted(
            (note.guid, note.mid, tuple(note.fields), tuple(sorted(note.tags)),
             tuple(sorted((card.ord, col.decks.name(card.did), card.due) for card in note.cards())))
            for note in (col.get_note(n) for n in col.find_notes("")))
        col.close()
    assert imported["reusing"] == imported["fresh"] and len(imported["fresh"]) == 6


# --- build/.deckgen-package is not trusted ------------------------------------------------------------
PLANTED = "PLANTED-IN-THE-PACKAGE"


def _resign(project: Path, change) -> None:
    """Rewrite the recorded database with `change(connection)` and sign it with this user's key."""
    path = project / incremental.SIDECAR
    data = path.read_bytes()
    header_end = data.index(b"\n") + 1
    header = json.loads(data[:header_end])
    rows_end = header_end
    for _ in range(header["notes"]):
        rows_end = data.index(b"\n", rows_end) + 1
    database = project / "recorded.anki2"
    database.write_bytes(data[rows_end:rows_end + header["bytes"]])
    connection = sqlite3.connect(database)
    change(connection)
    connection.commit()
    connection.close()
    body = database.read_bytes()
    database.unlink()
    header["bytes"] = len(body)
    signed = json.dumps(header).encode() + b"\n" + data[header_end:rows_end] + body
    mac = userkey.mac(userkey.build_key(project))
    mac.update(signed)
    path.write_bytes(signed + f"mac {mac.hexdigest()}\n".encode())


def _plant(connection: sqlite3.Connection) -> None:
    connection.execute("update notes set flds = replace(flds, 'Limestone.', ?)", (PLANTED,))


def _shipped_text(project: Path, scratch: Path) -> str:
    return repr(rows(apkg(project), scratch)["notes"])


@pytest.fixture
def built(tmp_path) -> Path:
    project = make_project(tmp_path / "project")
    pipeline.build(project, now=NOW)
    (tmp_path / "scratch").mkdir()
    return project


def test_a_row_signed_with_this_users_key_is_copied_only_while_its_digest_matches(built, tmp_path):
    _resign(built, _plant)
    edit(built / "cards" / "other.yaml", "answer: Soft and white.", "answer: Soft, white.")
    pipeline.build(built, now=NOW + 100)
    assert PLANTED in _shipped_text(built, tmp_path / "scratch"), "unchanged notes are copied, not written"

    _resign(built, _plant)
    edit(built / "cards" / "other.yaml", "answer: Limestone.", "answer: Limestone.\n    tags: [high-yield]")
    pipeline.build(built, now=NOW + 200)
    assert PLANTED not in _shipped_text(built, tmp_path / "scratch"), "a changed note is written again"


def test_fresh_uses_nothing_recorded(built, tmp_path):
    _resign(built, _plant)
    edit(built / "cards" / "other.yaml", "answer: Soft and white.", "answer: Soft, white.")
    pipeline.build(built, now=NOW + 100, fresh=True)
    assert PLANTED not in _shipped_text(built, tmp_path / "scratch") and not stored(apkg(built))


def _damage_byte(project: Path) -> None:
    path = project / incremental.SIDECAR
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 1
    path.write_bytes(bytes(data))


def _other_key(project: Path) -> None:
    path = project / incremental.SIDECAR
    body = path.read_bytes().rsplit(b"mac ", 1)[0]
    mac = userkey.mac(b"k" * userkey.KEY_BYTES)
    mac.update(body)
    path.write_bytes(body + f"mac {mac.hexdigest()}\n".encode())


def _planted_unsigned(project: Path) -> None:
    _resign(project, _plant)
    _other_key(project)


@pytest.mark.parametrize("damage", [_damage_byte, _other_key, _planted_unsigned,
                                    lambda p: (p / incremental.SIDECAR).write_bytes(b""),
                                    lambda p: (p / incremental.SIDECAR).write_bytes(b"{}\nmac 00\n")])
def test_a_recorded_package_this_user_did_not_sign_is_not_used(built, tmp_path, damage):
    damage(built)
    twin = make_project(tmp_path / "twin")
    pipeline.build(twin, now=NOW, fresh=True)
    for project in (built, twin):
        edit(project / "cards" / "other.yaml", "answer: Soft and white.", "answer: Soft, white.")
    pipeline.build(built, now=NOW + 100)
    pipeline.build(twin, now=NOW + 100, fresh=True)
    assert not stored(apkg(built)), "every note written"
    assert rows(apkg(built), tmp_path / "scratch") == rows(apkg(twin), tmp_path / "scratch")
    assert (built / incremental.SIDECAR).exists(), "the build records a good one for the next"


def test_without_a_key_nothing_is_recorded(built, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(built / "cache"))  # a key inside the project is no key
    monkeypatch.setattr(userkey, "_cached", {})
    edit(built / "cards" / "other.yaml", "answer: Soft and white.", "answer: Soft, white.")
    pipeline.build(built, now=NOW + 100)
    assert not stored(apkg(built)) and not (built / incremental.SIDECAR).exists()


def test_a_rebuild_that_changes_no_row_leaves_the_package_as_it_was(built):
    """A comment in a card file: a real build (its input changed), with every row as it was — the package
    keeps its bytes, compressed as the last build wrote it."""
    before = apkg(built).read_bytes()
    edit(built / "cards" / "other.yaml", "deck: Other", "# a comment\ndeck: Other")
    pipeline.build(built, now=NOW + 100)
    assert apkg(built).read_bytes() == before and not stored(apkg(built))


def test_the_database_written_note_by_note_is_what_genanki_writes_of_the_whole_package(tmp_path):
    """package.write_deck makes each genanki note just before writing it; its database is, byte for byte,
    what genanki's own Package.write_to_db writes of the same decks and notes (retired ones included)."""
    import itertools
    import warnings
    from dataclasses import replace

    from deckgen.genanki_import import genanki
    from deckgen.lock import LOCK_FILE, read_lock
    from deckgen.package import deck_order, empty_deck, models_for, note_for, open_database, write_deck

    project = make_project(tmp_path / "project")
    pipeline.build(project, now=1_700_000_000)
    remove_card(project / "cards" / "other.yaml", "chalk-kind")  # one retired note too
    pipeline.build(project, now=1_700_000_001)
    checked = pipeline.check(project)
    lock, problems = read_lock(project / LOCK_FILE, LOCK_FILE, checked.project.settings.title)
    assert lock is not None and not problems and lock.retired
    lock = replace(lock, cards={card_id: lock.with_fields(card_id, card)[0] for card_id, card in lock.cards.items()})
    settings, order, id_base = checked.project.settings, [note.card.id for note in checked.notes], 1_700_000_001

    described = checked.removed_description
    write_deck(tmp_path / "ours.anki2", settings, checked.note_types, lock, deck_order(settings, lock, order), id_base,
               removed_description=described)
    models, decks = models_for(checked.note_types, lock), []
    for name, slots in deck_order(settings, lock, order).items():
        deck = empty_deck(settings, lock, name, removed_description=described)
        for slot in slots:
            deck.add_note(note_for(slot, models))
        decks.append(deck)
    connection = open_database(tmp_path / "genanki.anki2")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        genanki.Package(decks).write_to_db(connection.cursor(), id_base, itertools.count(id_base * 1000))
    connection.commit()
    connection.close()
    assert (tmp_path / "ours.anki2").read_bytes() == (tmp_path / "genanki.anki2").read_bytes()


@pytest.mark.parametrize("content", [b"not a zip", None], ids=["not-a-zip", "no-collection"])
def test_a_package_that_cannot_be_read_is_not_called_uncompressed(tmp_path, content):
    """The build summary's "not compressed" note reads the package's zip; a package that is not one, or holds no
    collection, says nothing of it (no note, and no traceback from the rebuild that prints it)."""
    from deckgen.package import is_compressed

    path = tmp_path / "deck.apkg"
    if content is None:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("media", "{}")
    else:
        path.write_bytes(content)
    assert is_compressed(path)
