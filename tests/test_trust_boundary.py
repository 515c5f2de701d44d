"""The trust boundary (issue 14): nothing reaches a learner's Anki that this build's gate and escaper
did not pass. Each test attacks a built project through the CLI, as a subprocess, and checks what
the build says (a located error, exit 1) and what it ships (read back from the package).

The project is written here, with quotes that say exactly what each card says, so these tests do
not move with the real deck or with the gate's rules.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from helpers import REPO, lock_fields_digest

TITLE = "Trust Test"
OUTPUT = "trust.apkg"
LOCATED = re.compile(r"^(?P<path>[\w./-]+):(?P<line>\d+)(?::(?P<col>\d+))?: \S", re.M)  # Jinja gives no column

DECK_YAML = f"title: {TITLE}\ndescription: A tiny deck.\noutput: {OUTPUT}\n"
SOURCE_MD = """\
---
title: "Rocks"
publisher: deckgen tests
language: en
---
## Rocks

Granite contains quartz.
Slate splits into sheets.
Obsidian is a volcanic glass.
Pumice floats on water.
"""
ROCKS_YAML = """\
deck: Rocks
cards:
  - id: granite-quartz
    question: What does granite contain?
    answer: Quartz.
    sources:
      - doc: rocks
        quote: "Granite contains quartz."
  - id: slate-sheets
    question: Into what does slate split?
    answer: Sheets.
    sources:
      - doc: rocks
        quote: "Slate splits into sheets."
  - id: obsidian-glass
    cloze: "Obsidian is a {{c1::volcanic glass}}."
    sources:
      - doc: rocks
        quote: "Obsidian is a volcanic glass."
"""


def make_project(target: Path) -> Path:
    (target / "cards").mkdir(parents=True)
    (target / "sources").mkdir()
    templates = REPO / "templates"
    if not templates.is_dir():  # the templates deckgen ships, wherever the package keeps them
        templates = REPO / "src" / "deckgen" / "default_templates"
    shutil.copytree(templates, target / "templates")
    (target / "cards" / "deck.yaml").write_text(DECK_YAML, encoding="utf-8")
    (target / "cards" / "rocks.yaml").write_text(ROCKS_YAML, encoding="utf-8")
    (target / "sources" / "rocks.md").write_text(SOURCE_MD, encoding="utf-8")
    return target


def run(project: Path, *args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "DECKGEN_DEBUG"}
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "deckgen", "--project", str(project), *args],
                          capture_output=True, text=True, timeout=timeout, env=environment)


@pytest.fixture(scope="module")
def key_home(tmp_path_factory) -> Path:
    """Every build of this module uses one cache folder (where the memo's key lives), not the user's."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def built_once(tmp_path_factory, key_home) -> Path:
    project = make_project(tmp_path_factory.mktemp("base") / "project")
    result = run(project, "build", env={"XDG_CACHE_HOME": str(key_home)})
    assert result.returncode == 0, result.stderr
    imports_into_anki(project)  # the deck every refused build must leave as it is
    return project


@pytest.fixture
def project(built_once, tmp_path, key_home, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(key_home))
    copy = tmp_path / "project"
    shutil.copytree(built_once, copy)
    return copy


def package_path(project: Path) -> Path:
    return project / "build" / OUTPUT


def shipped_col(project: Path, column: str) -> dict:
    """A JSON column of the package's col table ("models", "decks"), read straight from its SQLite database."""
    with zipfile.ZipFile(package_path(project)) as archive:
        (project.parent / "c.anki2").write_bytes(archive.read("collection.anki2"))
    connection = sqlite3.connect(project.parent / "c.anki2")
    try:
        return json.loads(connection.execute(f"select {column} from col").fetchone()[0])
    finally:
        connection.close()


def shipped(project: Path) -> dict[str, dict]:
    """What the package holds, read straight from its SQLite database: CardId -> guid, fields, tags."""
    with zipfile.ZipFile(package_path(project)) as archive:
        data = archive.read("collection.anki2")
    db = project.parent / "shipped.anki2"
    db.write_bytes(data)
    connection = sqlite3.connect(db)
    try:
        rows = connection.execute("select guid, flds, tags from notes").fetchall()
    finally:
        connection.close()
        db.unlink()
    notes = {}
    for guid, flds, tags in rows:
        fields = flds.split("\x1f")
        notes[fields[-1]] = {"guid": guid, "fields": fields, "tags": tags.split()}
    return notes


def lock(project: Path) -> dict:
    return json.loads((project / "deck.lock").read_text(encoding="utf-8"))


def write_lock(project: Path, data: dict) -> None:
    (project / "deck.lock").write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                                       encoding="utf-8")


def snapshot(project: Path) -> tuple[bytes, bytes]:
    return package_path(project).read_bytes(), (project / "deck.lock").read_bytes()


def refused(project: Path, *args: str, problems: int | None = 1) -> str:
    """The command fails cleanly: exit 1, located problems, no traceback, deck and lock untouched."""
    before = snapshot(project)
    result = run(project, *(args or ("build",)))
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output and "internal error" not in output, output
    assert LOCATED.search(result.stderr), result.stderr
    if problems is not None:
        noun = "problem" if problems == 1 else "problems"
        assert result.stderr.rstrip().endswith(f"deckgen: {problems} {noun}; nothing was written"), result.stderr
    assert snapshot(project) == before, "the previous deck and deck.lock must be byte-identical"
    return result.stderr


def built(project: Path, *args: str) -> subprocess.CompletedProcess:
    """A build that succeeds, and whose package the real Anki backend imports, every note of it."""
    result = run(project, "build", *args)
    assert result.returncode == 0, result.stdout + result.stderr
    imports_into_anki(project)
    return result


def imports_into_anki(project: Path) -> None:
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest  # test extras

    folder = project.parent / "anki-import"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    col = Collection(str(folder / "collection.anki2"))
    try:
        request = ImportAnkiPackageRequest(package_path=str(package_path(project)), options=ImportAnkiPackageOptions())
        log = col.import_anki_package(request).log
        recorded = lock(project)
        assert len(shipped(project)) == len(recorded["cards"]) + len(recorded.get("retired", {})), "as deck.lock says"
        assert len(log.new) == len(shipped(project)), log
        assert col.card_count() >= len(shipped(project)), "every note makes at least one card"
    finally:
        col.close()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (old, text)
    path.write_text(text.replace(old, new), encoding="utf-8")


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]  # as render.field_digests


def digests(fields: list[str]) -> str:
    """A live entry's "digests": each field's sha256, 16 hex digits, joined by spaces (see render.py)."""
    return " ".join(_sha(value) for value in fields)


def card_hash(entry: dict, type_id: int, *, retired: bool = False, fields: list[str] | None = None) -> str:
    """The hash deckgen gives a lock entry, computed here from its definition (see lock.py and render.py):
    of a retired entry's fields, or of a live entry's `fields` (kept in the lock's "fields" table)."""
    tags = [t for t in entry["tags"] if t != "deckgen::retired"] if retired else entry["tags"]
    stored = digests(entry["fields"] if fields is None else fields)
    note = _sha(json.dumps([entry["note_type"], entry["deck"], stored, tags]))
    value = _sha(json.dumps([note, type_id]))
    if retired:
        value = hashlib.sha256(json.dumps([value, "deckgen::retired"]).encode()).hexdigest()[:16]
    return value


def edit_live_fields(data: dict, card_id: str, index: int, value: str) -> None:
    """A live card's stored field changed, with every digest and hash that covers it made to match."""
    entry, fields = data["cards"][card_id], data["fields"][card_id]
    fields[index] = value
    entry["digests"] = digests(fields)
    entry["hash"] = card_hash(entry, data["note_types"][entry["note_type"]]["id"], fields=fields)
    data["fields_digest"] = lock_fields_digest(data)


# --- 1. deck.lock content never ships as it is ---------------------------------------------------------
def test_a_field_edited_in_the_lock_is_refused_by_build_check_and_status(project):
    built(project)  # a second build: the no-change fast path now has a stamp to answer from
    data = lock(project)
    data["fields"]["granite-quartz"][1] = "<script>alert(1)</script>"  # the card's digests and hash are kept
    write_lock(project, data)
    for command in ("build", "check", "status"):
        stderr = refused(project, command)
        assert "deck.lock:" in stderr and "'granite-quartz' does not match its hash" in stderr, stderr
        line = (project / "deck.lock").read_text(encoding="utf-8").splitlines()[int(stderr.split(":")[1]) - 1]
        assert line == '  "granite-quartz": [', (line, stderr)  # located at the card's entry in "fields"
    assert "<script>" not in json.dumps(shipped(project))


def test_a_field_edited_with_the_tables_digest_recomputed_is_refused_when_it_would_be_used(project):
    """The digest of the whole "fields" table made to match, the card's own digests not: the text is not
    read while the card is live (it never ships: the build renders the card), and the next lock holds
    the rendered text; it is refused when the card is deleted and its stored text would ship."""
    data = lock(project)
    data["fields"]["granite-quartz"][1] = "<script>alert(1)</script>"
    data["fields_digest"] = lock_fields_digest(data)
    write_lock(project, data)
    edited = (project / "deck.lock").read_bytes()
    built(project)
    assert "<script>" not in json.dumps(shipped(project)) and "<script>" not in json.dumps(lock(project))

    (project / "deck.lock").write_bytes(edited)
    (project / "cards" / "rocks.yaml").write_text(ROCKS_YAML.split("  - id: granite-quartz")[0] + "  - id: slate-sheets"
                                                  + ROCKS_YAML.split("  - id: slate-sheets")[1], encoding="utf-8")
    stderr = refused(project, problems=None)
    assert "deck.lock:" in stderr and "'granite-quartz' does not match its hash" in stderr, stderr


def test_a_lock_edit_with_a_recomputed_hash_ships_what_the_yaml_says(project):
    data = lock(project)
    edit_live_fields(data, "granite-quartz", 1, "<script>alert(1)</script>Feldspar.")
    write_lock(project, data)
    result = built(project, "--json")
    assert json.loads(result.stdout)["changed"][0]["id"] == "granite-quartz"
    note = shipped(project)["granite-quartz"]
    assert note["fields"][1] == "Quartz." and "script" not in json.dumps(shipped(project))
    assert lock(project)["fields"]["granite-quartz"][1] == "Quartz.", "the lock is rewritten from the YAML"


@pytest.mark.parametrize("key, value", [("deck", "Trust Test::Other"), ("tags", ["rocks::other"])])
def test_a_live_entry_edited_with_its_hash_kept_is_refused(project, key, value):
    """A live entry's hash covers its deck, tags, field digests and note type: one of them edited by hand, the hash
    kept, is refused (lock-edited). No test edited one so: with that check skipped (lock.plan_cards), the edit was
    taken in silence and deck.lock written anew."""
    data = lock(project)
    data["cards"]["granite-quartz"][key] = value
    write_lock(project, data)
    stderr = refused(project)
    assert stderr.startswith("deck.lock:") and "the content of 'granite-quartz' does not match its hash: deck.lock " \
        "was edited by hand" in stderr, stderr


def test_a_hand_added_retired_entry_is_refused(project):
    data = lock(project)
    live = {key: value for key, value in data["cards"]["slate-sheets"].items() if key != "digests"}
    forged = dict(live, guid="forged-guid",
                  tags=["deckgen::retired"], fields=["Q?", "A forged answer.", "", "", "forged-card"])
    data["retired"]["forged-card"] = forged
    write_lock(project, data)
    stderr = refused(project)
    assert "'forged-card' does not match its hash" in stderr


@pytest.mark.parametrize("field, value, says", [
    (1, "<script>alert(1)</script>", "the tag <script>"),
    (1, '<img src="https://evil.example/x.png">', "the tag <img>"),
    (1, '<em onclick="x()">A</em>', "the attribute onclick="),
    (1, "[sound:https://evil.example/x.mp3]", "Anki media"),
    (1, "A\u202eB", "U+202E"),
    (0, "{{c0::x}}", "c0"),
    (4, "some-other-card", "CardId"),
    # A tag left open at the field's end: the parser reads it as text, a browser as a tag that the card
    # template's next '>' closes, with its handler.
    (1, "Sheets.<img src=x onerror=alert(1) x=", "opens no complete tag"),
    (1, "Sheets.<!--", "opens no complete tag"),
    (1, "\\(\\href{javascript:alert(1)}{Sheets}\\)", "the MathJax command \\href"),  # see the MathJax test
    (1, "&#92;(&#92;style{background:url(https://evil.example/p.png)}{Sheets}&#92;)", "the MathJax command \\style"),
])
def test_a_retired_entry_ships_only_what_deckgen_writes(project, field, value, says):
    """Even with a hash made to match, a retired card's stored fields must be deckgen's own markup."""
    (project / "cards" / "rocks.yaml").write_text(ROCKS_YAML.split("  - id: slate-sheets")[0] + ROCKS_YAML.split(
        "        quote: \"Slate splits into sheets.\"\n")[1], encoding="utf-8")
    built(project)  # slate-sheets is retired now
    data = lock(project)
    entry = data["retired"]["slate-sheets"]
    assert "deckgen::retired" in entry["tags"]
    entry["fields"][field] = value
    entry["hash"] = card_hash(entry, data["note_types"]["qa"]["id"], retired=True)
    write_lock(project, data)
    stderr = refused(project, problems=None)
    assert "deck.lock:" in stderr and says in stderr and "--drop-retired" in stderr, stderr
    built(project, "--drop-retired")  # what the hint says: the entry is dropped, and nothing of it ships
    assert "slate-sheets" not in shipped(project) and "slate-sheets" not in lock(project)["retired"]


def test_a_retired_entrys_tags_hold_no_tag(project):
    """Found by an attack (with the deck-name one): Anki puts {{Tags}} into a card as HTML, and a retired entry's
    tags, hash made to match, may hold anything but white space: '<img/src=x/onerror=alert(1)>' shipped."""
    (project / "cards" / "rocks.yaml").write_text(_WITHOUT_SLATE, encoding="utf-8")
    built(project)  # slate-sheets is retired now
    data = lock(project)
    entry = data["retired"]["slate-sheets"]
    entry["tags"] = sorted(entry["tags"] + ["<img/src=x/onerror=alert(1)>"])
    entry["hash"] = card_hash(entry, data["note_types"]["qa"]["id"], retired=True)
    write_lock(project, data)
    stderr = refused(project, problems=None)
    assert "deck.lock:" in stderr and "holds '<'" in stderr and "--drop-retired" in stderr, stderr


def test_a_retired_entry_without_the_retired_tag_is_refused(project):
    """A retired entry's hash is made of its tags without deckgen::retired, so the tag taken out keeps the hash: the
    note would ship in the removed-cards deck where tag:deckgen::retired does not find it. No test took it out:
    with the check skipped (lock.shipping_problems) this module, test_lifecycle and the other retiring tests passed."""
    (project / "cards" / "rocks.yaml").write_text(_WITHOUT_SLATE, encoding="utf-8")
    built(project)  # slate-sheets is retired now
    data = lock(project)
    entry = data["retired"]["slate-sheets"]
    entry["tags"] = [tag for tag in entry["tags"] if tag != "deckgen::retired"]
    entry["hash"] = card_hash(entry, data["note_types"]["qa"]["id"], retired=True)  # made to match, as above
    write_lock(project, data)
    stderr = refused(project, problems=None)
    assert "retired card 'slate-sheets' lacks the tag deckgen::retired" in stderr and "--drop-retired" in stderr, stderr


@pytest.mark.parametrize("value, says", [
    ('<a href="javascript:alert(1)">Sheets</a>', "the tag <a>"),
    ("Sheets.<img src=x onerror=alert(1) x=", "opens no complete tag"),  # a tag left open: see above
])
def test_a_card_deleted_with_its_lock_entry_edited_does_not_ship_the_edit(project, value, says):
    """A pull request that deletes a card and edits its lock entry (hash recomputed): the retired note
    would ship the stored fields, so they are held to the same rules."""
    data = lock(project)
    edit_live_fields(data, "slate-sheets", 1, value)
    write_lock(project, data)
    (project / "cards" / "rocks.yaml").write_text(ROCKS_YAML.split("  - id: slate-sheets")[0] + ROCKS_YAML.split(
        "        quote: \"Slate splits into sheets.\"\n")[1], encoding="utf-8")
    stderr = refused(project, problems=None)
    assert says in stderr and "'slate-sheets'" in stderr, stderr


_WITHOUT_SLATE = ROCKS_YAML.split("  - id: slate-sheets")[0] + ROCKS_YAML.split(
    "        quote: \"Slate splits into sheets.\"\n")[1]


@pytest.mark.parametrize("deleted", [False, True])
def test_a_live_entry_tagged_retired_is_refused(project, deleted):
    """Found by an attack: a live entry given deckgen's retired tag (and every digest and hash made to
    match) was taken for an entry already retired when its card was deleted, and shipped its stored fields
    unchecked. deckgen writes that tag on retired entries only, so the lock is refused as it is read."""
    data = lock(project)
    data["cards"]["slate-sheets"]["tags"].append("deckgen::retired")
    edit_live_fields(data, "slate-sheets", 1, "<script>alert(1)</script>[sound:x.mp3]")
    write_lock(project, data)
    if deleted:
        (project / "cards" / "rocks.yaml").write_text(_WITHOUT_SLATE, encoding="utf-8")
    for command in ("build", "check", "status"):
        stderr = refused(project, command, problems=None)
        assert "'slate-sheets' is in \"cards\" but tagged deckgen::retired" in stderr, stderr
    assert "script" not in json.dumps(shipped(project))


@pytest.mark.parametrize("value, says", [
    ("Sheets\x1fforged-card", "U+001F"),  # Anki's field separator: the note would get a field more
    ("Sheets\x00", "U+0000"),
    ("Sheets\x1b[31m", "U+001B"),
    ("Sheets\ud800", "U+D800"),  # a lone surrogate could not even be written out (it was an internal error)
])
def test_a_stored_field_with_a_character_deckgen_never_writes_does_not_ship(project, value, says):
    """Found by an attack: control characters in a retiring card's stored field shipped (a \\x1f split the
    note's fields), and a lone surrogate ended the build in an internal error. With every digest and hash
    made to match, each is a located error now, and nothing is written."""
    data = lock(project)
    edit_live_fields(data, "slate-sheets", 1, value)
    data["fields_digest"] = lock_fields_digest(data, ensure_ascii=True)
    # deckgen's layout with every character outside ASCII escaped: "\ud800" can only be written so
    (project / "deck.lock").write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=True) + "\n",
                                       encoding="utf-8")
    (project / "cards" / "rocks.yaml").write_text(_WITHOUT_SLATE, encoding="utf-8")
    stderr = refused(project, problems=None)
    assert says in stderr and "'slate-sheets'" in stderr and "--drop-retired" in stderr, stderr
    assert not list(project.glob(".deck.lock*partial")), "nothing left behind"


def test_a_retired_card_still_ships_across_builds(project):
    """The legitimate case: a deleted card is retired, its entry read back and shipped again."""
    (project / "cards" / "rocks.yaml").write_text(ROCKS_YAML.split("  - id: slate-sheets")[0] + ROCKS_YAML.split(
        "        quote: \"Slate splits into sheets.\"\n")[1], encoding="utf-8")
    built(project)
    edit(project / "cards" / "deck.yaml", "A tiny deck.", "A tiny deck of rocks.")
    built(project)
    notes = shipped(project)
    assert "deckgen::retired" in notes["slate-sheets"]["tags"] and notes["slate-sheets"]["fields"][1] == "Sheets."


# --- 5 (lock part). A hand-edited lock of the wrong shape is a located error, not exit 70 ---------------
@pytest.mark.parametrize("change, says", [
    (lambda d: d["note_types"]["qa"].update(id=str(d["note_types"]["qa"]["id"])), "'id' of 'qa'"),
    (lambda d: d["note_types"]["qa"].update(id=d["note_types"]["qa"]["id"] + 1), "not the one deckgen gives it"),
    (lambda d: d["cards"]["granite-quartz"].update(modified="yesterday"), "'modified' of 'granite-quartz'"),
    (lambda d: d["cards"]["granite-quartz"].update(modified=True), "'modified' of 'granite-quartz'"),
    (lambda d: d["cards"]["granite-quartz"].update(modified=2**70), "'modified' of 'granite-quartz'"),
    (lambda d: d["cards"]["granite-quartz"].update(tags="calcinosis"), "'tags' of 'granite-quartz'"),
    (lambda d: d["cards"]["granite-quartz"].update(digests=[1, 2, 3, 4, 5]), "'digests' of 'granite-quartz'"),
    (lambda d: d["cards"]["granite-quartz"].update(digests="0123456789abcdef"), "'granite-quartz' has 1 fields"),
    (lambda d: d["fields"].update({"granite-quartz": [1, 2, 3, 4, 5]}), "fields of 'granite-quartz' must be a list of"),
    (lambda d: d.update(fields_digest="yesterday"), "'fields_digest' must be"),
    (lambda d: d["cards"]["granite-quartz"].update(guid=""), "GUID of 'granite-quartz'"),
    (lambda d: d["cards"]["granite-quartz"].update(note_type="basic"), "note type 'basic'"),
    (lambda d: d["cards"]["granite-quartz"].pop("hash"), "missing hash"),
    (lambda d: d.update(cards=[]), "'cards' must be a JSON object"),
    (lambda d: d.update(namespace=7), "'namespace'"),
    (lambda d: d.update(format="1"), "unsupported lock format"),
])
def test_a_lock_of_the_wrong_shape_is_a_located_error(project, change, says):
    data = lock(project)
    change(data)
    write_lock(project, data)
    stderr = refused(project)
    assert stderr.startswith("deck.lock:") and says in stderr, stderr


def test_a_lock_that_is_not_json_is_a_located_error(project):
    (project / "deck.lock").write_text('{"format": 1,\n "cards": {,}\n}\n', encoding="utf-8")
    stderr = refused(project)
    assert stderr.startswith("deck.lock:2:"), stderr


@pytest.mark.parametrize("nested", ["[" * 100_000 + "]" * 100_000, '{"format": 2, "x": ' + "{\"a\": " * 5_000 + "1"
                                    + "}" * 5_000 + "}"])
def test_a_lock_nested_too_deeply_is_a_located_error(project, nested):
    """Found by an attack: JSON nested deeper than Python's reader recurses was an internal error (exit 70)."""
    (project / "deck.lock").write_text(nested, encoding="utf-8")
    for command in ("build", "check", "status"):
        stderr = refused(project, command)
        assert stderr.startswith("deck.lock:1:1: cannot read the lock file: its JSON is nested deeper"), stderr


# --- 2. GUIDs unique ---------------------------------------------------------------------------------
def test_two_cards_with_the_same_renamed_from_are_refused(project):
    text = ROCKS_YAML.replace("  - id: granite-quartz\n", "  - id: granite-has-quartz\n    renamed_from: granite-quartz\n")
    text = text.replace("  - id: slate-sheets\n", "  - id: slate-splits\n    renamed_from: granite-quartz\n")
    (project / "cards" / "rocks.yaml").write_text(text, encoding="utf-8")
    stderr = refused(project)
    assert stderr.startswith("cards/rocks.yaml:11:19: renamed_from 'granite-quartz' is also claimed by card "
                             "'granite-has-quartz'"), stderr


def test_two_lock_entries_with_one_guid_are_refused(project):
    data = lock(project)
    data["cards"]["slate-sheets"]["guid"] = data["cards"]["granite-quartz"]["guid"]
    write_lock(project, data)
    stderr = refused(project)
    assert "'slate-sheets' has the same GUID as 'granite-quartz'" in stderr, stderr


def test_a_new_card_whose_guid_a_retired_card_has_is_refused(project):
    """A new card's GUID comes from its id; a retired entry already holding that GUID would be overwritten."""
    from deckgen.genanki_import import genanki

    (project / "cards" / "rocks.yaml").write_text(ROCKS_YAML.split("  - id: slate-sheets")[0] + ROCKS_YAML.split(
        "        quote: \"Slate splits into sheets.\"\n")[1], encoding="utf-8")
    built(project)
    data = lock(project)
    data["retired"]["slate-sheets"]["guid"] = genanki.guid_for("deckgen", "pumice-floats")
    write_lock(project, data)
    with open(project / "cards" / "rocks.yaml", "a", encoding="utf-8") as cards:
        cards.write('  - id: pumice-floats\n    question: On what does pumice float?\n    answer: Water.\n'
                    '    sources:\n      - doc: rocks\n        quote: "Pumice floats on water."\n')
    stderr = refused(project)
    assert "cards/rocks.yaml:" in stderr and "would ship with the same GUID" in stderr, stderr


# --- 3. The memo (and the no-change stamp) in build/ are not trusted -------------------------------------
MEMO = Path("build") / ".deckgen-memo.jsonl"


def _key(project: Path, cache: Path) -> bytes:
    """The build key kept under the cache folder `cache` (made there if there is none)."""
    from deckgen import userkey

    before = os.environ.get("XDG_CACHE_HOME")
    userkey._cached.clear()
    os.environ["XDG_CACHE_HOME"] = str(cache)
    try:
        key = userkey.build_key(project)
    finally:
        userkey._cached.clear()
        if before is None:
            del os.environ["XDG_CACHE_HOME"]
        else:
            os.environ["XDG_CACHE_HOME"] = before
    assert key is not None
    return key


def _sign(project: Path, text: str, cache: Path) -> str:
    """`text` with the MAC line deckgen writes, made with the key kept under `cache`."""
    from deckgen import userkey

    mac = userkey.mac(_key(project, cache))
    mac.update(text.encode())
    return text + f"mac {mac.hexdigest()}\n"


def _memo_lines(project: Path) -> tuple[list[str], str]:
    *lines, mac = (project / MEMO).read_text(encoding="utf-8").splitlines(keepends=True)
    assert mac.startswith("mac ")
    return lines, mac


def _wrong_answer_with_its_digest(project: Path) -> str:
    """Give granite-quartz an answer the gate rejects; return a memo line that would carry its note."""
    from deckgen.cards import load_project
    from deckgen.memo import card_digest

    edit(project / "cards" / "rocks.yaml", "answer: Quartz.", "answer: Gold.")
    cards = {card.id: card for card in load_project(project)[0].cards}
    card = cards["granite-quartz"]
    fields = ["What does granite contain?", "Gold.", "", "", "granite-quartz"]
    note = [("qa"), f"{TITLE}::Rocks", fields, ["source::rocks"]]
    return f"note {card_digest(card)} {json.dumps(note)}\n"


def test_a_line_appended_to_the_memo_does_not_ship_what_the_gate_rejects(project):
    forged = _wrong_answer_with_its_digest(project)
    with open(project / MEMO, "a", encoding="utf-8") as memo:
        memo.write(forged)
    stderr = refused(project, problems=None)
    assert "cards/rocks.yaml:5:13: answer word \"Gold\"" in stderr, stderr


def test_a_memo_signed_with_another_key_is_not_used(project, tmp_path):
    """build/ from a CI cache or a shared folder: its memo authenticates with someone else's key only."""
    forged = _wrong_answer_with_its_digest(project)
    lines, _ = _memo_lines(project)
    (project / MEMO).write_text(_sign(project, "".join(lines) + forged, tmp_path / "someone-else"), encoding="utf-8")
    stderr = refused(project, problems=None)
    assert "cards/rocks.yaml:5:13: answer word \"Gold\"" in stderr, stderr


def test_a_memo_signed_with_this_users_key_is_used_and_fresh_ignores_it(project, key_home):
    """The control for the two tests above: the same planted line, signed with this user's key, is
    reused (the memo saves work) — and `build --fresh` does not use it."""
    forged = _wrong_answer_with_its_digest(project)
    lines, _ = _memo_lines(project)
    (project / MEMO).write_text(_sign(project, "".join(lines) + forged, key_home), encoding="utf-8")
    refused(project, "build", "--fresh", problems=None)
    built(project)
    assert shipped(project)["granite-quartz"]["fields"][1] == "Gold.", "this user's memo is trusted (and used)"


def test_a_forged_no_change_stamp_does_not_pass_off_another_deck(project, tmp_path):
    """A build/ holding someone else's .apkg and a stamp that matches the inputs: `build` rebuilds."""
    from deckgen import fastpath

    built(project)  # the stamp exists now
    genuine = package_path(project).read_bytes()
    stamp_path = project / "build" / ".deckgen-stamp.json"
    stamp = json.loads(stamp_path.read_text(encoding="utf-8"))
    package_path(project).write_bytes(b"PK\x05\x06" + b"\0" * 18)  # another "deck"
    stamp.pop("mac")
    stamp["outputs"] = fastpath._outputs(project, package_path(project))  # the other deck's stats
    stamp["mac"] = fastpath._mac(_key(project, tmp_path / "someone-else"), stamp)
    stamp_path.write_text(json.dumps(stamp), encoding="utf-8")
    built(project)
    assert package_path(project).read_bytes() == genuine


def test_without_a_usable_key_every_build_is_a_full_one(project, tmp_path):
    """A cache folder that cannot be written: no key, so no memo or stamp is read or written."""
    readonly = tmp_path / "readonly-cache"
    readonly.mkdir(mode=0o500)
    forged = _wrong_answer_with_its_digest(project)
    with open(project / MEMO, "a", encoding="utf-8") as memo:
        memo.write(forged)
    result = run(project, "build", env={"XDG_CACHE_HOME": str(readonly)})
    assert result.returncode == 1 and "cards/rocks.yaml:5:" in result.stderr, result.stderr


# --- 4. Templates run in Jinja's sandbox, and cannot hang a build ----------------------------------------
def _append_to_template(project: Path, text: str) -> None:
    with open(project / "templates" / "qa" / "front.html", "a", encoding="utf-8") as template:
        template.write("\n" + text + "\n")


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_template_cannot_run_code_outside_the_sandbox(project, tmp_path, command):
    witness = tmp_path / "PWNED"
    _append_to_template(project, f'[[ cycler.__init__.__globals__.os.popen("touch {witness}").read() ]]')
    stderr = refused(project, command)
    assert not witness.exists(), "the template ran a shell command"
    assert stderr.startswith("templates/qa/front.html:") and "unsafe" in stderr, stderr


@pytest.mark.parametrize("loop", [
    "[% for i in range(100000) %][% for j in range(100000) %][% endfor %][% endfor %]",
    "[% macro f(n) %][% if n %][[ f(n - 1) ]][[ f(n - 1) ]][% endif %][% endmacro %][[ f(60) ]]",
])
def test_an_endless_template_loop_ends_in_a_located_error(project, loop):
    _append_to_template(project, loop)
    before = snapshot(project)
    result = run(project, "build", env={"DECKGEN_TEMPLATE_SECONDS": "1"}, timeout=60)
    assert result.returncode == 1, result.stderr
    assert re.match(r"templates/qa/front\.html:\d+: template error: the template ran for more than 1 s", result.stderr), \
        result.stderr
    assert "Traceback" not in result.stderr and snapshot(project) == before


@pytest.mark.parametrize("code, says", [
    ("[% for i in range(100000) %][% for j in range(100000) %][% endfor %][% endfor %]", "the template ran for more "
     "than 1 s"),  # `deckgen preview` ran without the time limit: it never ended
    ("[[ 1 / 0 ]]", "division by zero"),  # an internal error (exit 70), as was a template out of its memory
])
def test_a_preview_template_that_fails_is_a_located_error(project, code, says):
    with open(project / "templates" / "preview" / "card.html", "a", encoding="utf-8") as template:
        template.write("\n" + code + "\n")
    result = run(project, "preview", env={"DECKGEN_TEMPLATE_SECONDS": "1"}, timeout=60)
    assert result.returncode == 1, result.stderr
    assert re.match(rf"templates/preview/card\.html:\d+: template error: {says}", result.stderr), result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("expression, says", [('"x" * 100000000', "too large"), ("7 ** 100000000", "too large")])
def test_a_template_cannot_make_an_enormous_value(project, expression, says):
    _append_to_template(project, f"[[ {expression} ]]")
    stderr = refused(project)
    assert stderr.startswith("templates/qa/front.html:") and says in stderr, stderr



# The memory bound (memorylimit.py): a budget of 64 MB, and values of 400 MB asked for, so that a build without the
# bound makes them (and passes, with a peak far above the budget); each build runs under a hard limit of 4 GB, so
# that a broken bound cannot take this machine's memory.
_BUDGET_MB, _ASKED, _SAFETY = 64, 400_000_000, 4 << 30


# Linux counts in a process's peak (ru_maxrss) the memory of the process it was forked from, kept across exec: a
# child of this test run, which grows to hundreds of MB, would start there. So a small Python process forks the
# build, and reports the build's own peak.
_MEASURER = """
import os, resource, subprocess, sys
limit, out, err, command = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
with open(out, "wb") as stdout, open(err, "wb") as stderr:
    child = subprocess.Popen(command, stdout=stdout, stderr=stderr,
                             preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (limit, limit)))
    _, status, usage = os.wait4(child.pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss * 1024)
"""


def _run_measured(project: Path, *args: str) -> tuple[subprocess.CompletedProcess, int]:
    """A CLI run with the memory budget, and its peak resident memory in bytes (the build's own, from wait4)."""
    environment = {k: v for k, v in os.environ.items() if k != "DECKGEN_DEBUG"}
    environment["DECKGEN_TEMPLATE_MEMORY_MB"] = str(_BUDGET_MB)
    out, err = project.parent / "out.txt", project.parent / "err.txt"
    command = [sys.executable, "-m", "deckgen", "--project", str(project), *args]
    measured = subprocess.run([sys.executable, "-c", _MEASURER, str(_SAFETY), str(out), str(err), *command],
                              capture_output=True, text=True, env=environment, timeout=300, check=True)
    code, peak = (int(word) for word in measured.stdout.split())
    result = subprocess.CompletedProcess(command, code, out.read_text(encoding="utf-8"),
                                         err.read_text(encoding="utf-8"))
    return result, peak


@pytest.mark.parametrize("expression", [
    f'"x"|center({_ASKED})',  # a filter's width
    f'"x".ljust({_ASKED})',  # a method's
    f'"%0{_ASKED}d" % 1',  # string formatting
    f'"{{:>{_ASKED}}}".format(1)',
    f'("x" * 1000000)|replace("x", "y" * {_ASKED // 1000000})',
    '[% set s = namespace(text="x") %][% for i in range(40) %][% set s.text = s.text ~ s.text %][% endfor %]'
    '[[ s.text|length ]]',  # a string doubled in a loop
])
def test_a_template_cannot_take_more_memory_than_its_budget(project, expression):
    _append_to_template(project, expression if expression.startswith("[%") else f"[[ {expression} ]]")
    before = snapshot(project)
    result, peak = _run_measured(project, "build")
    assert result.returncode == 1, result.stderr
    assert re.match(rf"templates/qa/front\.html:\d+: template error: the template needed more than {_BUDGET_MB} MB of "
                    r"memory and was stopped", result.stderr), result.stderr
    assert "Traceback" not in result.stderr and snapshot(project) == before
    assert peak < 3 * _BUDGET_MB << 20, f"the build peaked at {peak >> 20} MB"


def test_a_value_folded_while_a_template_compiles_is_within_the_budget(project):
    """Jinja calls filters on constants as it compiles (constant folding), before any template runs: a branch never
    taken costs nothing then, and the build passes."""
    _append_to_template(project, f'[% if false %][[ "ab "|center({_ASKED}) ]][% endif %]')
    result, peak = _run_measured(project, "build", "--fresh")
    assert result.returncode == 0, result.stderr
    assert peak < 3 * _BUDGET_MB << 20, f"the build peaked at {peak >> 20} MB"


def test_the_sources_macro_called_from_python_is_within_the_budget(project):
    fields = project / "templates" / "fields"
    fields.mkdir(parents=True, exist_ok=True)
    (fields / "sources.html").write_text(
        "[% macro sources(citations) %][[ citations[0].title ]]\n"
        f'[[ "x"|center({_ASKED})|length ]][% endmacro %]\n', encoding="utf-8")
    result, peak = _run_measured(project, "build")
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("templates/fields/sources.html:2: template error: the template needed more than"), \
        result.stderr
    assert peak < 3 * _BUDGET_MB << 20, f"the build peaked at {peak >> 20} MB"


@pytest.mark.parametrize("sources", [
    '[[ citations[0].title.ljust(400000, "x") ]]',  # each note's field
    '[% set keep.values = keep.values + [citations[0].title.ljust(400000, "x")] %]',  # a namespace of the module
])
def test_what_each_template_call_keeps_counts_against_one_budget(tmp_path, sources):
    """300 notes, each keeping 400 KB (120 MB): measured afresh above what the calls before kept, the limit let each
    128 calls keep a budget more, and the build passed. Counted, the notes after the first 160 are stopped."""
    project = tmp_path / "project"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), "--cards", "300", "--out", str(project)],
                   check=True, capture_output=True)
    (project / "templates" / "fields").mkdir(parents=True)
    (project / "templates" / "fields" / "sources.html").write_text(
        "[% set keep = namespace(values=[]) %][% macro sources(citations) %][[ citations[0].title ]]\n"
        f"{sources}[% endmacro %]\n", encoding="utf-8")
    result, peak = _run_measured(project, "build")
    assert result.returncode == 1, result.stderr
    assert re.match(r"templates/fields/sources\.html:[12]: template error: the template needed more than 64 MB of "
                    r"memory and was stopped.*\ndeckgen: 1 problem; nothing was written", result.stderr), result.stderr
    assert peak < 3 * _BUDGET_MB << 20, f"the build peaked at {peak >> 20} MB"


def test_a_rendered_field_of_many_comment_openings_is_read_in_linear_time(project):
    """What deckgen does with a field a template rendered runs outside any template call, where no time limit stops
    it: reading whether a comment is left open at the field's end took quadratic time (80 KB: 33 s a note)."""
    fields = project / "templates" / "fields"
    fields.mkdir(parents=True, exist_ok=True)
    (fields / "sources.html").write_text(
        '[% macro sources(citations) %][[ citations[0].title ]][% autoescape false %]'
        '[[ ("<!" ~ "--") * 40000 ]]--[[ ">" ]][% endautoescape %][% endmacro %]\n', encoding="utf-8")
    started = time.monotonic()
    result = run(project, "check", timeout=60)
    assert result.returncode == 0 and time.monotonic() - started < 20, result.stderr


def test_a_preview_template_out_of_its_memory_is_a_located_error(project):
    with open(project / "templates" / "preview" / "card.html", "a", encoding="utf-8") as template:
        template.write(f'\n[[ "x"|center({_ASKED}) ]]\n')
    result, peak = _run_measured(project, "preview")
    assert result.returncode == 1, result.stderr
    assert re.match(rf"templates/preview/card\.html:\d+: template error: the template needed more than {_BUDGET_MB} MB",
                    result.stderr), result.stderr
    assert peak < 3 * _BUDGET_MB << 20, f"the preview peaked at {peak >> 20} MB"


def test_a_rendered_field_of_many_cloze_hint_marks_is_read_in_linear_time(project):
    """A cloze's hint was looked for from each "::" to the field's end: 8,000 of them after the last "}}", 9 s a note."""
    fields = project / "templates" / "fields"
    fields.mkdir(parents=True, exist_ok=True)
    (fields / "sources.html").write_text(
        '[% macro sources(citations) %][[ citations[0].title ]] {{c1::x}} \\(x\\) [[ "::" * 20000 ]][% endmacro %]\n',
        encoding="utf-8")
    started = time.monotonic()
    result = run(project, "check", timeout=60)
    assert result.returncode == 0 and time.monotonic() - started < 20, result.stderr


def test_a_template_of_many_unclosed_tags_is_read_in_linear_time(project):
    """Handlers and Anki fields in a tag were looked for from every "<" to the next ">": 16,000 "<a b='", 39 s."""
    _append_to_template(project, "<a b='" * 20000)
    started = time.monotonic()
    result = run(project, "check", timeout=60)
    assert result.returncode == 0 and time.monotonic() - started < 20, result.stderr


def test_a_template_of_many_unclosed_anki_fields_is_read_in_linear_time(project):
    """Anki's {{…}} were looked for from every "{{" to the next "}": 40,000 "{{" in a template, 17 s a check."""
    _append_to_template(project, "\\(x\\)" + "{{" * 60000)
    started = time.monotonic()
    result = run(project, "check", timeout=60)
    assert result.returncode == 0 and time.monotonic() - started < 20, result.stderr


@pytest.mark.parametrize("notice, says", [
    ("<a b='" * 20000, "a '<' that opens no complete tag"),  # Python's parser read from each '<' to the end: 8,000, 12 s
    ("<![x[ y ]]>", "a declaration"),  # Python's parser before 3.13 raised AssertionError: an internal error
])
def test_a_retired_notice_the_html_parser_cannot_read_is_refused_at_once(project, notice, says):
    fields = project / "templates" / "fields"
    fields.mkdir(parents=True, exist_ok=True)
    (fields / "retired_notice.html").write_text(f"<p>Retired [[ date ]]</p>{notice}\n", encoding="utf-8")
    started = time.monotonic()
    result = run(project, "build", timeout=60)
    assert result.returncode == 1 and time.monotonic() - started < 20, result.stderr
    assert result.stderr.startswith("templates/fields/retired_notice.html: the retired-card notice holds") and \
        says in result.stderr and "internal error" not in result.stderr, result.stderr


def test_the_memory_bound_is_put_back_after_each_template_call_and_a_lower_limit_stays():
    import resource

    from deckgen.memorylimit import _address_space, template_memory

    before = resource.getrlimit(resource.RLIMIT_AS)
    with template_memory:
        inside = resource.getrlimit(resource.RLIMIT_AS)
    assert resource.getrlimit(resource.RLIMIT_AS) == before
    assert inside[0] != resource.RLIM_INFINITY and inside[0] < _address_space() + (2 << 30), inside
    lower = _address_space() + (256 << 20)  # the budget is 1 GB: a lower limit set by the user
    resource.setrlimit(resource.RLIMIT_AS, (lower, before[1]))
    try:
        with template_memory:
            assert resource.getrlimit(resource.RLIMIT_AS)[0] == lower
        assert resource.getrlimit(resource.RLIMIT_AS)[0] == lower
    finally:
        resource.setrlimit(resource.RLIMIT_AS, before)


def test_each_renderer_starts_with_the_whole_budget(project, monkeypatch):
    """What one build's templates kept is let go with its renderer: a process that builds again and again (`deckgen
    watch`, a test run, a program using deckgen) never runs out of a budget that counted every build before."""
    from deckgen.memorylimit import template_memory
    from deckgen.diagnostics import Location
    from deckgen.model import DeckSettings
    from deckgen.render import Renderer

    monkeypatch.setattr(template_memory, "grown", 1 << 40)
    Renderer(project, DeckSettings(TITLE, "A tiny deck.", OUTPUT, Location("cards/deck.yaml")))
    assert template_memory.grown == 0


@pytest.mark.parametrize("reach", [
    "citations[0]._asdict()",  # a method of the record, not one of its fields
    "citations[0].__class__.__mro__",
    "citations[0].index.__self__",
    "citations[0].parts.append(1)",  # a field's value is checked like any other object
    "citations[0].title.__class__",
])
def test_the_records_a_field_template_reads_open_only_their_fields(project, reach):
    """The sandbox reads the fields of Citation and QuotePart without its general checks (sandbox.py):
    anything else reached through them still takes those checks."""
    fields = project / "templates" / "fields"
    fields.mkdir(parents=True, exist_ok=True)
    (fields / "sources.html").write_text(
        "[% macro sources(citations) %][[ citations[0].title ]] [[ " + reach + " ]][% endmacro %]\n", encoding="utf-8")
    stderr = refused(project)
    assert stderr.startswith("templates/fields/sources.html:") and "unsafe" in stderr, stderr


# --- 5. Builds that Anki cannot import are refused --------------------------------------------------------
@pytest.mark.parametrize("number", ["0", "501", "2147483648"])
def test_a_cloze_number_anki_cannot_use_is_refused(project, number):
    edit(project / "cards" / "rocks.yaml", "{{c1::volcanic glass}}", f"{{{{c{number}::volcanic glass}}}}")
    for command in ("check", "build"):
        stderr = refused(project, command)
        assert stderr.startswith(f"cards/rocks.yaml:16:12: cloze number c{number} at character 15 is outside 1..500"), \
            stderr


def test_the_cloze_bound_is_where_anki_stops_making_cards(tmp_path):
    """MAX_CLOZE is checked against the real Anki backend: c500 is a card of its own, c501 is not."""
    pytest.importorskip("anki")
    from anki.collection import Collection

    from deckgen.trust import MAX_CLOZE

    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        ordinals = {}
        for number in (MAX_CLOZE - 1, MAX_CLOZE, MAX_CLOZE + 1):
            note = col.new_note(col.models.by_name("Cloze"))
            note["Text"] = f"{{{{c{number}::x}}}}"
            col.add_note(note, col.decks.id("Default"))
            ordinals[number] = [card.ord for card in note.cards()]
    finally:
        col.close()
    assert ordinals[MAX_CLOZE - 1] == [MAX_CLOZE - 2] and ordinals[MAX_CLOZE] == [MAX_CLOZE - 1]
    assert ordinals[MAX_CLOZE + 1] == ordinals[MAX_CLOZE], "above the bound, Anki merges numbers into one card"


# --- 6. Smaller items -------------------------------------------------------------------------------------
@pytest.mark.parametrize("where, text, located", [
    ("cards/rocks.yaml", ("deck: Rocks", 'deck: "Rocks::<img src=x onerror=alert(1)>"'), "cards/rocks.yaml:1:7: deck name"),
    ("cards/deck.yaml", (f"title: {TITLE}", "title: <img src=x onerror=alert(1)>"), "cards/deck.yaml:1:8: title"),
])
def test_a_deck_name_holds_no_tag(project, where, text, located):
    """Found by an attack (checked with Anki's backend): Anki puts {{Deck}} and {{Subdeck}} into the card as HTML,
    so a template showing the subdeck between tags ran the handler of a deck named '<img src=x onerror=…>'."""
    with open(project / "templates" / "qa" / "front.html", "a", encoding="utf-8") as template:
        template.write("\n<div class=\"subdeck\">{{Subdeck}}</div>\n")
    edit(project / where, *text)
    stderr = refused(project)
    assert stderr.startswith(located) and "must not contain '<'" in stderr, stderr


def test_the_deck_title_stays_inside_the_stylesheets_comment(project):
    """Found by an attack: card.css quotes the title in a comment, and took '*/' out of it once, so that
    '**//' made one: the rest of the title was CSS, here a claim no gate checked on every card's back."""
    edit(project / "cards" / "deck.yaml", f"title: {TITLE}",
         "title: \"Trust Test **// .answer:after { content: 'Granite is made of gold.' } /*\"")
    built(project)
    for model in shipped_col(project, "models").values():
        css = model["css"]
        assert css.startswith("/* ") and css.index("content:") < css.index("*/"), css[:200]


def test_raw_html_in_the_deck_description_is_escaped(project):
    edit(project / "cards" / "deck.yaml", "description: A tiny deck.",
         "description: 'A tiny deck. <img src=x onerror=alert(1)> [sound:x.mp3]'")
    built(project)
    decks = shipped_col(project, "decks")
    description = next(d["desc"] for d in decks.values() if d["name"] == TITLE)
    assert description == "A tiny deck. &lt;img src=x onerror=alert(1)&gt; &#91;sound:x.mp3]"


def test_anki_media_and_speech_syntax_in_source_text_is_shown_as_text(project):
    """The Sources field shows the cited sentence around the quote: Anki would play or speak what it holds.
    Every field of a note goes through the same neutralising step (render.Renderer.note)."""
    edit(project / "sources" / "rocks.md", "Pumice floats on water.",
         "Pumice floats on water [sound:pumice.mp3] [anki:tts lang=en_US]Hi[/anki:tts].")
    with open(project / "cards" / "rocks.yaml", "a", encoding="utf-8") as cards:
        cards.write('  - id: pumice-floats\n    question: On what does pumice float?\n    answer: Water.\n'
                    '    sources:\n      - doc: rocks\n        quote: "Pumice floats on water"\n')
    built(project)
    fields = " ".join(shipped(project)["pumice-floats"]["fields"])
    assert "[sound:" not in fields and "[anki:" not in fields, fields
    assert "&#91;sound:pumice.mp3]" in fields and "&#91;anki:tts lang=en_US]" in fields, fields


@pytest.mark.parametrize("where, text, located", [
    ("cards/rocks.yaml", ("answer: Quartz.", 'answer: "Qua\\x1frtz."'), "cards/rocks.yaml:5:13: 'answer' holds"),
    ("cards/rocks.yaml", ("deck: Rocks", 'deck: "Ro\\x1fcks"'), "cards/rocks.yaml:1:7: 'deck' holds"),
    ("cards/deck.yaml", ("A tiny deck.", '"A tiny\\x01 deck."'), "cards/deck.yaml:2:14: 'description' holds"),
    ("sources/rocks.md", ("Granite contains quartz.", "Granite \x1fcontains quartz."),
     "cards/rocks.yaml:3:5: the Sources field holds"),
])
def test_a_control_character_in_any_text_is_refused(project, where, text, located):
    """Found by an attack: a control character written as a YAML escape, or in a source's text, shipped. U+001F
    is Anki's field separator: the note had one field more than its note type, its Sources text in CardId."""
    edit(project / where, *text)
    stderr = refused(project)
    assert stderr.startswith(located) and "the character U+00" in stderr, stderr


@pytest.mark.parametrize("formula, command", [
    ("\\(\\href{javascript:alert(1)}{x}\\)", "\\href"),
    ("\\(\\style{background-image:url(https://evil.example/p.png)}{x}\\)", "\\style"),
    ("\\[\\bbox[background:url(https://evil.example/p.png)]{x}\\]", "\\bbox"),
])
def test_a_mathjax_command_that_writes_html_does_not_ship(project, formula, command):
    """Found by an attack: the escaper passes MathJax as typed, and Anki's MathJax (without its "safe" extension)
    turns \\href into a link, \\style and \\bbox into CSS: a javascript: URL or a remote load that no check
    saw, here from the sentence a card cites, beyond its quote. Refused in every field, located at the card."""
    edit(project / "sources" / "rocks.md", "Pumice floats on water.", f"Pumice floats on water {formula}.")
    with open(project / "cards" / "rocks.yaml", "a", encoding="utf-8") as cards:
        cards.write('  - id: pumice-floats\n    question: On what does pumice float?\n    answer: Water.\n'
                    '    sources:\n      - doc: rocks\n        quote: "Pumice floats on water"\n')
    stderr = refused(project)
    assert stderr.startswith("cards/rocks.yaml:20:5: the Sources field holds the MathJax command " + command), stderr


@pytest.mark.parametrize("where, text, located", [
    ("cards/rocks.yaml", ("answer: Quartz.", "answer: Qua\u202ertz."), "cards/rocks.yaml:5:16:"),
    ("sources/rocks.md", ("Slate splits", "Slate \u2066splits"), "sources/rocks.md:9:7:"),
])
def test_bidi_control_characters_are_refused(project, where, text, located):
    edit(project / where, *text)
    stderr = refused(project, problems=None)
    assert f"\n{located} bidirectional control character U+" in "\n" + stderr, stderr


@pytest.mark.parametrize("file, text, says", [
    ("qa/back.html", "<script>alert(1)</script>", "<script>"),
    ("qa/front.html", '<img src="https://tracker.example/p.gif">', "remote resource"),
    ("qa/front.html", '<div onclick="steal()">x</div>', "event-handler"),
    ("qa/front.html", '<a href="javascript:alert(1)">x</a>', "javascript:"),
    ("card.css", "@import url(https://fonts.example/x.css);", "remote resource"),
    ("card.css", ".card { background: url('http://evil.example/x.png'); }", "remote resource"),
    # Found by an attack: what a browser reads as one of these once it decodes the entities, escapes and
    # white space, or reads a URL as a URL parser does, or loads a page of its own (a data: URL runs script).
    ("qa/back.html", '<a href="java&#115;cript:alert(1)">x</a>', "javascript:"),
    ("qa/back.html", '<a href="jav\tascript:alert(1)">x</a>', "javascript:"),
    ("qa/back.html", '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>', "an <iframe> element"),
    ("qa/back.html", '<embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">', "an <embed> element"),
    ("qa/back.html", '<meta http-equiv="refresh" content="0;url=https://evil.example/">', "a <meta> element"),
    ("qa/front.html", '<img src="x"/onerror=alert(1)>', "event-handler"),
    ("qa/front.html", '<img src="https:&#47;&#47;tracker.example/p.gif">', "remote resource"),
    ("qa/front.html", '<img src="\\\\tracker.example/p.gif">', "remote resource"),
    ("qa/front.html", '<img src="https:tracker.example/p.gif">', "remote resource"),
    ("qa/front.html", '<img src="a.png" srcset="a.png 1x, https://tracker.example/p.gif 2x">', "remote resource"),
    ("qa/front.html", '<a href="#answer" ping="https://tracker.example/p">x</a>', "remote resource"),
    ("card.css", '.card { background: image-set("https://evil.example/x.png" 1x); }', "remote resource"),
    ("card.css", '.card { background: url("\\2f\\2f evil.example/x.png"); }', "remote resource"),
    ("card.css", '@\\69mport "https://evil.example/x.css";', "remote resource"),
    # An Anki field where its text is an attribute, a URL or CSS: a subdeck named "//evil.example/p.gif" or
    # "javascript:alert(1)" (deck names pass no gate) made a remote load or a script link of every card.
    ("qa/back.html", '<img src="{{Subdeck}}" alt=""><a href="{{Subdeck}}">more</a>', "an Anki field inside a tag"),
    ("qa/back.html", "<style>.card { background: url({{Subdeck}}); }</style>", "an Anki field inside a tag"),
    # The same after letters that lowercase to two characters: the style element's end was looked for in the
    # text lowercased, at the place of the text as written (session 17's linear scan), and found too soon.
    ("qa/back.html", "İ" * 20 + "</style><style>.card { color: red; background: url({{Subdeck}}); }</style>",
     "an Anki field inside a tag"),
])
def test_scripts_and_remote_resources_in_templates_are_refused(project, file, text, says):
    with open(project / "templates" / file, "a", encoding="utf-8") as template:
        template.write("\n" + text + "\n")
    line = (project / "templates" / file).read_text(encoding="utf-8").count("\n")
    stderr = refused(project, problems=None)
    assert stderr.startswith(f"templates/{file}:{line}: ") and says in stderr, stderr


@pytest.mark.parametrize("comment", ["/* <script>alert(1)</script> */", "<!--><script>alert(1)</script>-->"])
def test_a_script_in_a_css_or_html_comment_is_located_in_the_template_file(project, comment):
    """Only Jinja's [# #] comments never reach a card: what a checker might take for a CSS or HTML comment is
    checked like the rest of the file, and located at its line."""
    with open(project / "templates" / "qa" / "front.html", "a", encoding="utf-8") as template:
        template.write("\n" + comment + "\n")
    line = (project / "templates" / "qa" / "front.html").read_text(encoding="utf-8").count("\n")
    stderr = refused(project, problems=None)
    assert stderr.startswith(f"templates/qa/front.html:{line}: ") and "<script>" in stderr, stderr


@pytest.mark.parametrize("make, name, says", [
    (lambda path: os.mkfifo(path), "cards/pipe.yaml", "a FIFO (named pipe), not a regular file"),
    (lambda path: os.mkfifo(path), "sources/pipe.md", "a FIFO (named pipe), not a regular file"),
    (lambda path: path.symlink_to("/dev/zero"), "sources/zero.md", "a symlink to outside the project"),
    (lambda path: path.symlink_to("/etc/hostname"), "cards/outside.yaml", "a symlink to outside the project"),
    (lambda path: path.mkdir(), "cards/folder.yaml", "a folder, not a regular file"),
])
@pytest.mark.parametrize("command", ["check", "build"])
def test_only_regular_files_inside_the_project_are_read(project, make, name, says, command):
    built(project)  # with a stamp in build/, the no-change fast path must not open the file either
    make(project / name)
    before = snapshot(project)
    result = run(project, command, timeout=30)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{name}: cannot read file: {says}" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and snapshot(project) == before


@pytest.mark.parametrize("make, says", [
    (lambda path: os.mkfifo(path), "a FIFO (named pipe), not a regular file"),
    (lambda path: path.symlink_to("/etc/hostname"), "a symlink to outside the project"),
    (lambda path: path.mkdir(), "a folder, not a regular file"),
])
@pytest.mark.parametrize("command", ["check", "build"])
def test_only_regular_files_inside_the_project_are_read_as_templates(project, make, says, command):
    """templates/ is read as any input is: Jinja's own loader would follow the link out of the project, and
    pass over a FIFO or a folder to the default template of that name."""
    built(project)
    path = project / "templates" / "card.css"
    path.unlink()
    make(path)
    before = snapshot(project)
    result = run(project, command, timeout=30)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"cannot read templates/card.css: {says}" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and snapshot(project) == before


def test_yml_card_files_are_read(project):
    (project / "cards" / "more.yml").write_text(
        "deck: More\ncards:\n  - id: pumice-floats\n    question: On what does pumice float?\n    answer: Water.\n"
        "    sources:\n      - doc: rocks\n        quote: \"Pumice floats on water.\"\n", encoding="utf-8")
    result = built(project, "--json")
    assert json.loads(result.stdout)["added"] == ["pumice-floats"]
    (project / "cards" / "broken.yml").write_text("deck: [\n", encoding="utf-8")
    assert refused(project).startswith("cards/broken.yml:")


def test_editor_lock_backup_and_swap_files_are_ignored(project):
    (project / "cards" / ".#rocks.yaml").symlink_to("root@host.1234:1700000000")  # Emacs' lock: a dangling link
    (project / "cards" / "rocks.yaml~").write_text("deck: [\n", encoding="utf-8")
    (project / "cards" / ".rocks.yaml.swp").write_bytes(b"b0VIM 9.0\0\0\0")
    (project / "sources" / ".#rocks.md").symlink_to("root@host.1234:1700000000")
    (project / "sources" / "rocks.md~").write_text("not a source\n", encoding="utf-8")
    for command in ("check", "build"):
        result = run(project, command)
        assert result.returncode == 0, result.stderr
    imports_into_anki(project)


def test_a_read_only_project_folder_is_a_clear_error(project, tmp_path):
    """The project folder read-only (deck.lock cannot be staged beside it), build/ writable: exit 1, not 70.
    Made with bind mounts, so the test needs root (a plain chmod does not stop root)."""
    edit(project / "cards" / "rocks.yaml", "answer: Sheets.", "answer: Into sheets.")
    view, build_rw = tmp_path / "read-only-view", tmp_path / "build-rw"
    view.mkdir()
    shutil.copytree(project / "build", build_rw)
    mounted = []
    try:
        for command in (["mount", "--bind", str(project), str(view)], ["mount", "-o", "remount,bind,ro", str(view)],
                        ["mount", "--bind", str(build_rw), str(view / "build")]):
            if subprocess.run(command, capture_output=True).returncode != 0:
                pytest.skip("needs bind mounts (root)")
            mounted.append(command[-1])
        before = (view / "deck.lock").read_bytes()
        result = run(view, "build")
        assert result.returncode == 1, result.stdout + result.stderr
        assert result.stderr.startswith("deck.lock: cannot write: Read-only file system\n    hint: check that the "
                                        "project folder"), result.stderr
        assert (view / "deck.lock").read_bytes() == before
    finally:
        for target in reversed(sorted(set(mounted), key=len)):
            subprocess.run(["umount", target], capture_output=True)


def test_a_flood_of_problems_prints_the_first_200_and_a_count(project):
    lines = ["deck: Flood", "cards:"]
    for number in range(300):
        lines += [f"  - id: flood-{number}", "    question: Q?", "    answer: A.", "    sources: []"]
    (project / "cards" / "flood.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(project, "check")
    assert result.returncode == 1
    located = LOCATED.findall(result.stderr)
    assert len(located) == 200, len(located)
    total = int(re.search(r"deckgen: ([\d,]+) problems; nothing was written", result.stderr).group(1).replace(",", ""))
    assert total > 200 and f"... {total - 200:,} more not shown" in result.stderr, result.stderr[-300:]
    everything = json.loads(run(project, "check", "--json").stdout)["diagnostics"]
    assert len(everything) == total


def test_fifty_thousand_tags_on_one_card_take_linear_time(project):
    """Tags are de-duplicated in one pass (the check was quadratic: about 25 s for this card, now under 1 s)."""
    tags = ", ".join(f"rocks::t{number}" for number in range(50_000))
    edit(project / "cards" / "rocks.yaml", "    answer: Quartz.\n", f"    answer: Quartz.\n    tags: [{tags}, rocks::t7]\n")
    started = time.perf_counter()
    result = run(project, "check", timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    assert time.perf_counter() - started < 10, "a quadratic de-duplication takes about 25 s here"


def test_a_template_error_is_located_when_the_project_is_given_as_a_relative_path(project):
    _append_to_template(project, "[[ 1 // 0 ]]")
    environment = {k: v for k, v in os.environ.items() if k != "DECKGEN_DEBUG"}
    result = subprocess.run([sys.executable, "-m", "deckgen", "--project", project.name, "build"],
                            capture_output=True, text=True, cwd=project.parent, env=environment, timeout=120)
    assert result.returncode == 1
    assert re.match(r"templates/qa/front\.html:\d+: template error: ", result.stderr), result.stderr


def test_a_fields_table_left_open_is_a_json_error_where_it_is(project):
    """Found by an attack: with the line that closes "fields" deleted, the block-wise reader took the keys
    after it for part of the table and said "unsupported lock format None" at a line holding the format.
    The table is only taken as closed by a line at its own depth; else the lock is read whole, and the JSON
    error points where the JSON goes wrong."""
    lines = (project / "deck.lock").read_text(encoding="utf-8").split("\n")
    start = lines.index(' "fields": {')
    close = next(i for i in range(start, len(lines)) if lines[i].startswith(" }"))
    del lines[close]
    (project / "deck.lock").write_text("\n".join(lines), encoding="utf-8")
    stderr = refused(project)
    assert "cannot read the lock file" in stderr and "format" not in stderr, stderr
    assert abs(int(stderr.split(":")[1]) - (close + 1)) <= 1, (stderr, close + 1)


def test_unreadable_stored_fields_are_located_at_their_entry_not_within_it(project):
    """Found by an attack: a stored entry that is not JSON, read when its card retires, was reported with
    the JSON error's own "line 2 column 4", counted within the entry; the diagnostic's location is the
    entry's line in deck.lock, and the message no longer adds a second, wrong one."""
    text = (project / "deck.lock").read_text(encoding="utf-8")
    lines = text.split("\n")
    at = lines.index('  "slate-sheets": [')
    lines[at + 2] = lines[at + 2].rstrip(",") + " oops,"
    data_text = "\n".join(lines)
    start, end = data_text.index(' "fields": {') + len(' "fields": '), data_text.index('\n }', data_text.index(' "fields": {'))
    digest = hashlib.sha256(data_text[start:end + 3].encode()).hexdigest()[:16]
    data_text = re.sub(r'"fields_digest": "[0-9a-f]{16}"', f'"fields_digest": "{digest}"', data_text)
    (project / "deck.lock").write_text(data_text, encoding="utf-8")
    (project / "cards" / "rocks.yaml").write_text(_WITHOUT_SLATE, encoding="utf-8")
    stderr = refused(project, problems=None)
    assert f"deck.lock:{at + 1}:" in stderr and "cannot read the fields of 'slate-sheets'" in stderr, stderr
    assert "column" not in stderr, stderr


@pytest.mark.parametrize("name", ["partials/cite.inc", "partials/.cite.html"])
def test_a_file_a_template_includes_is_checked_whatever_its_name(project, name):
    """Jinja includes any file under templates/: one with another extension, or hidden, is read for scripts
    like a .html file (it was not, and its <script> reached every note's Sources field)."""
    (project / "templates" / name).write_text("<script>alert(1)</script>\n", encoding="utf-8")
    sources = project / "templates" / "fields" / "sources.html"
    sources.write_text(f'[% include "{name}" %]\n' + sources.read_text(encoding="utf-8"), encoding="utf-8")
    stderr = refused(project, problems=None)
    assert stderr.startswith(f"templates/{name}:1: ") and "<script>" in stderr, stderr


def test_deckgens_own_tags_are_refused_in_cards(project):
    """deckgen::retired marks a retired card; on a live card it made a lock every later build refused."""
    edit(project / "cards" / "rocks.yaml", "    answer: Quartz.\n", "    answer: Quartz.\n    tags: [deckgen::retired]\n")
    stderr = refused(project)
    assert re.match(r"cards/rocks\.yaml:\d+:\d+: tag 'deckgen::retired' is deckgen's own", stderr), stderr


@pytest.mark.parametrize("inserted, says", [
    ("[% set x %]<scr[% endset %][[ x ]]ipt>alert(1)</script>", "a <script> element"),
    ('[[ ("<img src=x onerr" ~ "or=alert(1)>")|safe ]]', "an event-handler attribute"),
    ("[% autoescape false %][[ \"<a href='java\" ~ \"script:alert(1)'>x</a>\" ]][% endautoescape %]",
     "a javascript: URL"),
    ('[[ ("<sty" ~ "le>@imp" ~ "ort url(/" ~ "/evil.example/x.css)</style>")|safe ]]', "a <style> element"),
    ("[[ (\"<img src=a.png srcset='a.png 1x, htt\" ~ \"ps://evil.example/b.png 2x'>\")|safe ]]", "a remote resource"),
    ("[[ (\"<img src='htt\" ~ \"ps:evil.example/p.gif'>\")|safe ]]", "a remote resource"),
    ('[% set b = "%c"|format(92) %][[ ("<span style=\'background:url(&quot;" ~ b ~ "2f" ~ b ~ "2f evil.example/x.png'
     '&quot;)\'>x</span>")|safe ]]', "a remote resource"),
])
def test_markup_a_field_template_assembles_is_checked_as_rendered(project, inserted, says):
    """The template files are read for scripts as written, but a template can assemble a tag that its text
    never shows (a set block, |safe, an autoescape block): each note's Sources field is read as rendered."""
    sources = project / "templates" / "fields" / "sources.html"
    text = sources.read_text(encoding="utf-8")
    assert text.count('<figure class="citation">') == 1
    sources.write_text(text.replace('<figure class="citation">', '<figure class="citation">' + inserted),
                       encoding="utf-8")
    stderr = refused(project, problems=None)
    assert re.match(r"templates/fields/sources\.html:\d+: the Sources field, as rendered, has ", stderr), stderr
    assert says in stderr, stderr


def test_a_read_ledger_holds_the_bytes_each_input_was_read_as(tmp_path):
    """trust.reads_recorded: what a build read, for the memo, the state and the stamp to compare with the
    inputs as the build ends. Ledgers nest (the CLI's holds a build's), each closed by identity, not by
    equality (two empty ledgers are equal); a file read twice with different bytes is marked as changed."""
    from hashlib import blake2b

    from deckgen.trust import read_input, reads_recorded

    path = tmp_path / "cards" / "a.yaml"
    path.parent.mkdir()
    path.write_text("x", encoding="utf-8")
    with reads_recorded() as outer:
        with reads_recorded() as inner:
            pass
        read_input(path, tmp_path)
        with reads_recorded() as again:
            read_input(path, tmp_path)
            path.write_text("y", encoding="utf-8")
            read_input(path, tmp_path)
    assert inner == {} and outer["cards/a.yaml"] == again["cards/a.yaml"] == "changed while read"
    with reads_recorded() as last:
        read_input(path, tmp_path)
    assert last == {"cards/a.yaml": blake2b(b"y", digest_size=32).hexdigest()}
