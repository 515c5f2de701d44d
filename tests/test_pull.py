"""`deckgen pull`, end to end with the real Anki backend: the deck is built and imported, studied until
Anki tags a card leech, edited in Anki, exported with Anki's own exporter (.colpkg, and .apkg with
scheduling), pulled, applied, rebuilt and imported again. Plus every kind of bad input."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from helpers import REPO, copy_project, import_apkg, open_collection, run_cli

from deckgen.cards import load_project
from deckgen.markup import to_html
from deckgen.model import Card, CardKind
from deckgen.pull import STRUGGLING_LAPSES
from deckgen.writeback import from_html


def _cards(project: Path) -> dict[str, Card]:
    loaded, problems = load_project(project)
    assert loaded is not None and not problems, problems
    return {card.id: card for card in loaded.cards}


def _output(project: Path) -> Path:
    loaded, _ = load_project(project)
    return project / "build" / loaded.settings.output


@dataclass(frozen=True)
class Studied:
    project: Path
    collection: Path
    colpkg: Path
    apkg: Path
    legacy_apkg: Path  # 'Support older Anki versions': collection.anki21, not zstd-compressed
    old_apkg_path: Path
    passing: str  # the card whose answer the learner emphasised (passes the gate)
    passing_answer: str  # the learner's HTML
    cloze: str  # the cloze card whose first word the learner put in italics (passes the gate)
    failing: str  # the card whose answer the learner changed to a claim its quote does not make
    leech: str
    struggling: str  # STRUGGLING_LAPSES lapses, no leech tag
    lapsed_once: str
    deleted: str
    scheduling: dict  # card id -> (reps, lapses) per note, as Anki has them
    revlog: int
    every_card: list  # CARD_STATE of every card


CARD_STATE = "select id, nid, did, ord, type, queue, due, ivl, factor, reps, lapses from cards order by id"


def _answer(col, card_id: int, rating_name: str) -> None:
    from anki.scheduler.v3 import CardAnswer

    card = col.get_card(card_id)
    card.start_timer()
    states = col._backend.get_scheduling_states(card_id)
    col.sched.answer_card(col.sched.build_answer(card=card, states=states, rating=getattr(CardAnswer, rating_name)))


def _lapse(col, card_id: int, times: int) -> None:
    """Answer honestly through the scheduler: Easy until the card is in review, then Again — one lapse each."""
    for _ in range(times):
        while col.get_card(card_id).type != 2 or col.get_card(card_id).queue != 2:
            _answer(col, card_id, "EASY")
        _answer(col, card_id, "AGAIN")


def _note_of(col, card_id: str):
    (note_id,) = col.find_notes(f'"CardId:{card_id}"')
    return col.get_note(note_id)


def _export(col, folder: Path) -> tuple[Path, Path, Path]:
    from anki.collection import ExportAnkiPackageOptions

    apkg, legacy = folder / "deck-with-scheduling.apkg", folder / "for-older-anki.apkg"
    for path, old_format in ((apkg, False), (legacy, True)):  # collection.anki21b, and collection.anki21
        options = ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True, with_media=False,
                                           legacy=old_format)
        col.export_anki_package(out_path=str(path), options=options, limit=None)
    colpkg = folder / "collection.colpkg"
    col.export_collection_package(str(colpkg), include_media=False, legacy=False)  # closes the collection
    col.reopen()
    return colpkg, apkg, legacy


@pytest.fixture(scope="module")
def studied(tmp_path_factory) -> Studied:
    project = copy_project(tmp_path_factory.mktemp("pull") / "project")
    result = run_cli(project, "build")
    assert result.returncode == 0, result.stderr
    cards = _cards(project)
    qa = [c for c in cards.values() if c.kind is CardKind.QA and " " in c.answer and c.answer.split()[0].isalpha()]
    passing, failing, leech, struggling, lapsed_once, deleted = (c.id for c in qa[:6])
    cloze = next(c.id for c in cards.values() if c.kind is CardKind.CLOZE and c.cloze.split()[0].isalpha())
    apkg_path = _output(project)
    old_apkg = apkg_path.with_name("first-build.apkg")
    shutil.copy2(apkg_path, old_apkg)

    folder = tmp_path_factory.mktemp("anki")
    col = open_collection(folder / "collection.anki2")
    import_apkg(col, apkg_path)
    for card_id, lapses in ((leech, 8), (struggling, STRUGGLING_LAPSES), (lapsed_once, 1)):
        _lapse(col, _note_of(col, card_id).cards()[0].id, lapses)
    assert "leech" in _note_of(col, leech).tags  # Anki's own default: 8 lapses
    assert "leech" not in _note_of(col, struggling).tags

    # In Anki's editor: bold the first word of one answer (`<b>`, and a non-breaking space after it) ...
    note = _note_of(col, passing)
    first, rest = qa[0].answer.split(" ", 1)
    learner_answer = f"<b>{first}</b>&nbsp;{rest}"
    note["Answer"] = learner_answer
    col.update_note(note)
    # ... and change another to a claim its quoted passage does not make.
    note = _note_of(col, failing)
    note["Answer"] = note["Answer"].rstrip(".") + ", like zebras."
    col.update_note(note)
    # ... and put the first word of a cloze in italics.
    note = _note_of(col, cloze)
    first, rest = note["Text"].split(" ", 1)
    note["Text"] = f"<i>{first}</i> {rest}"
    col.update_note(note)
    col.remove_notes([_note_of(col, deleted).id])

    scheduling = {card_id: tuple(map(sum, zip(*((c.reps, c.lapses) for c in _note_of(col, card_id).cards()))))
                  for card_id in (leech, struggling, lapsed_once)}
    revlog = col.db.scalar("select count() from revlog")
    every_card = col.db.all(CARD_STATE)
    colpkg, apkg, legacy_apkg = _export(col, folder)
    col.close()
    return Studied(project, folder / "collection.anki2", colpkg, apkg, legacy_apkg, old_apkg, passing, learner_answer, cloze, failing,
                   leech, struggling, lapsed_once, deleted, scheduling, revlog, every_card)


def _pull_json(project: Path, export: Path, *extra: str) -> dict:
    result = run_cli(project, "pull", str(export), "--json", *extra)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _line_of(project: Path, path: str, line: int) -> str:
    return (project / path).read_text(encoding="utf-8").splitlines()[line - 1]


@pytest.mark.parametrize("export", ["colpkg", "apkg", "legacy_apkg"])
def test_report(studied, export):
    report = _pull_json(studied.project, getattr(studied, export))
    assert sorted(report) == ["command", "edited", "missing", "ok", "retired_present", "struggling"]
    assert report["ok"] is True and report["command"] == "pull"

    edited = {e["id"]: e for e in report["edited"]}
    assert set(edited) == {studied.passing, studied.failing, studied.cloze}
    assert edited[studied.passing]["passes_gate"] is True and edited[studied.cloze]["passes_gate"] is True
    assert edited[studied.failing]["passes_gate"] is False
    for entry in edited.values():
        assert sorted(entry) == ["fields", "id", "line", "passes_gate", "path"]
        assert f"id: {entry['id']}" in _line_of(studied.project, entry["path"], entry["line"])
        (change,) = entry["fields"]
        assert change["field"] == ("Text" if entry["id"] == studied.cloze else "Answer")
        assert change["shipped"] != change["now"]
    assert edited[studied.passing]["fields"][0]["now"].startswith("**")  # <b> read back as **strong**
    assert edited[studied.failing]["fields"][0]["now"].endswith(", like zebras.")
    assert edited[studied.cloze]["fields"][0]["now"].startswith("*") and "{{c1::" in edited[studied.cloze]["fields"][0]["now"]

    struggling = report["struggling"]
    assert [s["id"] for s in struggling] == [studied.leech, studied.struggling]  # worst first
    for entry in struggling:
        assert sorted(entry) == ["id", "lapses", "leech", "line", "path", "reviews"]
        assert (entry["reviews"], entry["lapses"]) == studied.scheduling[entry["id"]]
        assert f"id: {entry['id']}" in _line_of(studied.project, entry["path"], entry["line"])
    assert [s["leech"] for s in struggling] == [True, False]

    assert report["missing"] == [studied.deleted]
    lock = json.loads((studied.project / "deck.lock").read_text(encoding="utf-8"))
    assert report["retired_present"] == sorted(lock["retired"])  # every retired card the deck shipped


def test_every_export_format_agrees(studied):
    assert zipfile.ZipFile(studied.legacy_apkg).read("meta") == b"\x08\x02"  # package version 2
    reports = [_pull_json(studied.project, path) for path in (studied.colpkg, studied.apkg, studied.legacy_apkg)]
    assert reports[0] == reports[1] == reports[2]


def test_text_report_names_the_places(studied):
    result = run_cli(studied.project, "pull", str(studied.colpkg))
    assert result.returncode == 0, result.stderr
    report = _pull_json(studied.project, studied.colpkg)
    for entry in report["edited"] + report["struggling"]:
        assert f"{entry['path']}:{entry['line']}  {entry['id']}" in result.stdout
    assert "zebras" in result.stdout and "is not in the quoted passage" in result.stdout
    lock = json.loads((studied.project / "deck.lock").read_text(encoding="utf-8"))
    first = result.stdout.splitlines()[0]
    assert f"({len(lock['cards'])} live notes in the last build)" in first, first  # it said "cards": notes they are


def test_own_package_has_no_edits(studied):
    """The deck's own .apkg, as built: every note as shipped, nothing reviewed."""
    report = _pull_json(studied.project, studied.old_apkg_path)
    assert report["edited"] == [] and report["struggling"] == [] and report["missing"] == []


def test_apply_leaves_a_field_the_author_changed_since_the_build(studied, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(studied.project, project)
    card = _cards(project)[studied.passing]
    path = project / card.location.path
    text = path.read_text(encoding="utf-8")
    line = card.locate("answer").line
    lines = text.splitlines(keepends=True)
    words = card.answer.split(" ")
    words[1] = f"*{words[1]}*"  # the author's own change, since the build: it passes the gate too
    authors = " ".join(words)
    lines[line - 1] = lines[line - 1].replace(card.answer, authors)
    path.write_text("".join(lines), encoding="utf-8")
    result = run_cli(project, "pull", str(studied.colpkg), "--apply")
    assert result.returncode == 0, result.stderr
    assert "the author changed 'answer' since the last build" in result.stdout
    assert _cards(project)[studied.passing].answer == authors  # not overwritten
    assert f"applied  {_cards(project)[studied.cloze].location.path}" in result.stdout  # the other edit is


def test_apply_rebuild_reimport(studied, tmp_path):
    project = studied.project
    cards_before = {p.name: p.read_text(encoding="utf-8") for p in (project / "cards").glob("*.yaml")}
    result = run_cli(project, "pull", str(studied.colpkg), "--apply")
    assert result.returncode == 0, result.stderr
    assert "applied" in result.stdout and "not applied" in result.stdout
    assert "zebras" in result.stdout

    # Exactly two lines changed: the passing card's answer and the cloze, in card markup.
    differing = []
    for name, before in cards_before.items():
        after = (project / "cards" / name).read_text(encoding="utf-8")
        assert len(before.splitlines()) == len(after.splitlines())
        differing += [b.strip() for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert sorted(line.split(":")[0] for line in differing) == ["answer", "cloze"]
    assert all("**" in line or "*" in line for line in differing)
    edited = _cards(project)[studied.passing]
    assert to_html(edited.answer) == to_html(from_html(studied.passing_answer))

    assert run_cli(project, "check").returncode == 0
    time.sleep(1.1)  # Anki updates a note only from a newer modification time (seconds)
    result = run_cli(project, "build")
    assert result.returncode == 0, result.stderr

    col = open_collection(studied.collection)
    try:
        log = import_apkg(col, _output(project))
        assert not log.conflicting
        note = _note_of(col, studied.passing)
        assert note["Answer"] == to_html(edited.answer)  # the learner's edit, now the deck's
        assert note["Answer"].startswith("<strong>")
        cloze = _note_of(col, studied.cloze)
        assert cloze["Text"] == to_html(_cards(project)[studied.cloze].cloze) and cloze["Text"].startswith("<em>")
        assert "zebras" in _note_of(col, studied.failing)["Answer"]  # the learner's own copy is left alone
        assert col.db.scalar("select count() from revlog") == studied.revlog
        after = {row[0]: row for row in col.db.all(CARD_STATE)}
        assert [after.get(row[0]) for row in studied.every_card] == studied.every_card  # every card as it was
        added = {row[1] for card_id, row in after.items() if card_id not in {r[0] for r in studied.every_card}}
        assert added == {_note_of(col, studied.deleted).id}  # only the deleted note, which the deck still ships
        for card_id, counts in studied.scheduling.items():
            assert tuple(map(sum, zip(*((c.reps, c.lapses) for c in _note_of(col, card_id).cards())))) == counts
        assert "leech" in _note_of(col, studied.leech).tags
    finally:
        col.close()

    # The export made before this build now says what the deck says, as card text: no edit, nothing outdated.
    report = _pull_json(project, studied.colpkg)
    assert [e["id"] for e in report["edited"]] == [studied.failing]
    assert "predate" not in run_cli(project, "pull", str(studied.colpkg)).stdout


def test_a_copy_of_an_earlier_build_is_not_an_edit(studied, tmp_path):
    """The author changes a card and builds; the learner's export predates that build: the difference is
    the author's change, not the learner's, and is not reported as an edit (nor applied backwards)."""
    project = tmp_path / "project"
    shutil.copytree(studied.project, project)
    card = _cards(project)[studied.leech]
    path = project / card.location.path
    words = card.answer.split(" ")
    words[0] = f"*{words[0]}*"
    text = path.read_text(encoding="utf-8")
    assert f"answer: {card.answer}\n" in text
    path.write_text(text.replace(f"answer: {card.answer}\n", f"answer: '{' '.join(words)}'\n"), encoding="utf-8")
    time.sleep(1.1)  # the build's time is later than the export's notes
    assert run_cli(project, "build").returncode == 0
    report = _pull_json(project, studied.colpkg)
    assert studied.leech not in [e["id"] for e in report["edited"]]
    result = run_cli(project, "pull", str(studied.colpkg))
    assert (f"  1 note predates the deck's last change to it and was not compared (the next import updates it): "
            f"{studied.leech}\n") in result.stdout, result.stdout  # it said '1 notes predate ... to them'


# --- inverse markup ------------------------------------------------------------------------------
def test_an_export_with_a_marked_section_anki_does_not_know_is_read(tmp_path):
    """A note's field holding `<![x[` (from another tool, or a shared export) stopped Python's HTML parser before
    3.13 with AssertionError: `deckgen pull` ended as an internal error (exit 70). It is read as a browser reads
    it, a comment that ends at the next '>'."""
    from mini_project import make_project

    project = make_project(tmp_path / "project")
    assert run_cli(project, "build").returncode == 0
    (tmp_path / "anki").mkdir()
    col = open_collection(tmp_path / "anki" / "collection.anki2")
    import_apkg(col, _output(project))
    note = col.get_note(col.find_notes('"CardId:chalk-kind"')[0])
    note["Answer"] = "Soft <![x[ and ]]>white."
    col.update_note(note)
    colpkg = tmp_path / "anki" / "collection.colpkg"
    col.export_collection_package(str(colpkg), include_media=False, legacy=False)  # closes the collection
    report = _pull_json(project, colpkg)
    [edited] = report["edited"]
    assert edited["id"] == "chalk-kind" and edited["fields"][0]["now"] == "Soft white."


def test_a_card_saved_decomposed_is_no_edit_once_anki_has_it(tmp_path):
    """Anki keeps every field it imports composed (NFC). A card file saved decomposed (NFD: "e" and U+0300 for "è",
    as some editors and tools write it) shipped so, and pull reported each such note as edited, its text the same to
    the eye (and --apply would have written that into the card file)."""
    import unicodedata

    from mini_project import OTHER_YAML, make_project, rows

    project = make_project(tmp_path / "project")
    source = project / "sources" / "rock-guide.md"
    source.write_text(source.read_text(encoding="utf-8") + "Pyroxène is a mineral of basalt.\n", encoding="utf-8")
    card = ('  - id: pyroxene-basalt\n    cloze: "{{c1::Pyroxène}} is a mineral of basalt."\n    sources:\n'
            '      - doc: rock-guide\n        quote: "Pyroxène is a mineral of basalt."\n')
    other = project / "cards" / "other.yaml"
    other.write_text(unicodedata.normalize("NFD", OTHER_YAML.rstrip("\n") + "\n" + card), encoding="utf-8")
    assert "e\u0300" in other.read_text(encoding="utf-8")
    settings = project / "cards" / "deck.yaml"  # the title too: the parent deck and its subdecks' names agree
    settings.write_text(settings.read_text(encoding="utf-8").replace("Mini Stones", "Mini Stone\u0300s"),
                        encoding="utf-8")
    result = run_cli(project, "build")
    assert result.returncode == 0, result.stderr
    decks = rows(_output(project), tmp_path)["col"][0][10]  # the package's decks (col.decks, JSON)
    assert sorted(deck["name"] for deck in json.loads(decks).values()) == [
        "Default", "Mini Stonès", "Mini Stonès::Igneous", "Mini Stonès::Other"]
    (tmp_path / "anki").mkdir()
    col = open_collection(tmp_path / "anki" / "collection.anki2")
    import_apkg(col, _output(project))
    assert col.get_note(col.find_notes('"CardId:pyroxene-basalt"')[0])["Text"].startswith("{{c1::Pyroxène}}")
    colpkg = tmp_path / "anki" / "collection.colpkg"
    col.export_collection_package(str(colpkg), include_media=False, legacy=False)  # closes the collection
    report = _pull_json(project, colpkg)
    assert report["edited"] == [], report["edited"]


def test_from_html_inverts_the_markup_of_every_card():
    texts = [t for c in _cards(REPO).values() for t in (c.question, c.answer, c.cloze, c.extra) if t]
    texts += ["a *b* and **c** and `d`", "lead:\n- one\n- two *x*", "one\n\ntwo", "1. a\n2. b", "x & y < z \"q\"",
              "a \\* b", "snake_case", "{{c1::calcium}} *phosphate*"]
    for text in texts:
        html = to_html(text)
        assert to_html(from_html(html)) == html, text


@pytest.mark.parametrize("html, text", [
    ("Calcium<br>phosphate", "Calcium\nphosphate"),
    ("<div>one</div><div>two&nbsp;three</div>", "one\n\ntwo three"),
    ('<b>bold</b> <i>it</i> <span style="color:red">red</span> <a href="x">link</a><img src="y.png">',
     "**bold** *it* red link"),
    ("x &lt;script&gt; &amp; 5*3", "x <script> & 5\\*3"),
    ("<script>alert(1)</script>plain", "plain"),
    # Characters that show as nothing, pasted into Anki's editor: written into the card file, they made --apply
    # fail as a whole (deckgen check refuses them), the learner's other edits with it.
    ("Latin&shy;printing, Cy\u200bril\u2060 and \ufeffЁ", "Latinprinting, Cyril and Ё"),
])
def test_from_html_reads_what_anki_writes(html, text):
    assert from_html(html) == text


@pytest.mark.parametrize("html, text", [
    # A marked section Python's parser before 3.13 does not know stopped it with AssertionError (pull's exit 70);
    # a browser reads it as a comment that ends at the next '>', as the parser reads <![CDATA[…]]>.
    ("one <![x[ two ]]> three", "one three"),
    ("one <![x[ two", "one <![x[ two"),  # after the last '>' (below)
    # After the last '>', no tag ends: the text there is read as text, entities decoded, as the parser read it.
    ("a <b>b</b> c <br", "a **b** c <br"),
    ("x &amp; y <a b='1 &amp; 2", "x & y <a b='1 & 2"),
])
def test_from_html_reads_broken_markup_without_stopping(html, text):
    assert " ".join(from_html(html).split()) == text


def test_from_html_reads_a_field_of_open_tags_in_linear_time():
    """Python's parser tried each '<' after a field's last '>' against all the text after it: a field of 96 KB
    of "<a b='" took 50 s (a 400 KB one would take about 14 minutes). Run apart, to be stopped if it hangs."""
    code = "from deckgen.writeback import from_html; print(len(from_html(\"x<a b='\" * 70_000)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 400_000


@pytest.mark.parametrize("unit", ["<!--a>", "<![CDATA[a>", "<![if a>"])
def test_from_html_reads_a_field_of_unended_comments_in_linear_time(unit):
    """At the end of its input the parser searched all the text after each '<!--' that has no end, then read on from
    the next '>': 200 KB of "<!--a>" took 16 s, 400 KB about a minute. A marked section with no end is searched for
    the same way, and left so (200 KB of "<![CDATA[a>" took 1.2 s): these two cases keep it within bounds."""
    code = f"from deckgen.writeback import from_html; print(len(from_html({unit!r} * ({400_000 // len(unit)}))))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=20)
    assert result.returncode == 0, result.stderr


# --- bad input -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("bad") / "project")
    assert run_cli(project, "build").returncode == 0
    return project


def _state(project: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(project.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(project)).encode() + path.read_bytes())
    return digest.hexdigest()


def _refused(project: Path, export: Path, message: str) -> None:
    before = _state(project)
    for extra in ((), ("--apply",)):
        result = run_cli(project, "pull", str(export), *extra)
        assert result.returncode == 1, (result.stdout, result.stderr)
        first = result.stderr.splitlines()[0]
        assert first.startswith(f"{export}: ") and message in first, result.stderr
        assert "Traceback" not in result.stderr and result.stdout == ""
    result = run_cli(project, "pull", str(export), "--json")
    data = json.loads(result.stdout)
    assert data["ok"] is False and data["command"] == "pull" and message in data["diagnostics"][0]["message"]
    assert _state(project) == before


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _legacy_collection(built: Path, tmp_path: Path, version: int) -> Path:
    """The deck's own package (a schema 11 collection) with its collection's version set to `version`."""
    apkg = next((built / "build").glob("*.apkg"))
    database = tmp_path / "collection.anki2"
    database.write_bytes(zipfile.ZipFile(apkg).read("collection.anki2"))
    with sqlite3.connect(database) as db:
        db.execute("update col set ver = ?", (version,))
    db.close()
    return _zip(tmp_path / f"version-{version}.apkg", {"collection.anki2": database.read_bytes()})


def _altered_collection(built: Path, tmp_path: Path, name: str, statement: str) -> Path:
    """The deck's own package (a schema 11 collection) changed by one SQL statement."""
    apkg = next((built / "build").glob("*.apkg"))
    database = tmp_path / f"{name}.anki2"
    database.write_bytes(zipfile.ZipFile(apkg).read("collection.anki2"))
    with sqlite3.connect(database) as db:
        db.execute(statement)
    db.close()
    return _zip(tmp_path / f"{name}.apkg", {"collection.anki2": database.read_bytes()})


@pytest.mark.parametrize("name, statement, says", [
    ("models-list", "update col set models = '[]'", "its note types are a JSON list, not an object"),
    ("models-string", "update col set models = '\"x\"'", "its note types are a JSON str, not an object"),
    ("infinite-time", "update notes set mod = 9e999", "cannot convert float infinity to integer"),
    ("infinite-lapses", "update cards set lapses = 9e999", "cannot convert float infinity to integer"),
    ("fields-blob", "update notes set flds = cast(flds as blob)", "are not text"),
    ("models-nested", "update col set models = '" + "[" * 100_000 + "]" * 100_000 + "'", "maximum recursion depth"),
])
def test_a_collection_of_the_wrong_shape(built, tmp_path, name, statement, says):
    """A collection no Anki writes (crafted, or another program's) is one located error, not an internal one
    (col.models not an object, a time or count of infinity) or a note read as the text of a blob."""
    export = _altered_collection(built, tmp_path, name, statement)
    _refused(built, export, "not an Anki export: its collection cannot be read")
    assert says in run_cli(built, "pull", str(export)).stderr


def test_not_a_zip(built, tmp_path):
    export = tmp_path / "notes.apkg"
    export.write_text("these are my notes\n")
    _refused(built, export, "not an Anki export: not a zip file")


def test_an_export_that_is_not_a_regular_file(built, tmp_path):
    """Found by an attack: a FIFO given as the export kept pull waiting for a writer for ever."""
    fifo = tmp_path / "pipe.colpkg"
    os.mkfifo(fifo)
    assert run_cli(built, "pull", str(fifo), timeout=20).returncode == 1  # before the fix: a TimeoutExpired
    _refused(built, fifo, "cannot read the export: not a regular file")
    _refused(built, tmp_path, "cannot read the export")  # a folder


def test_missing_file(built, tmp_path):
    _refused(built, tmp_path / "nowhere.colpkg", "cannot read the export")


def test_corrupt_zip(built, studied, tmp_path):
    data = studied.colpkg.read_bytes()
    truncated = tmp_path / "truncated.colpkg"
    truncated.write_bytes(data[: len(data) // 2])
    _refused(built, truncated, "corrupt zip file")
    flipped = tmp_path / "flipped.colpkg"
    middle = len(data) // 3
    flipped.write_bytes(data[:middle] + bytes(b ^ 0xFF for b in data[middle:middle + 64]) + data[middle + 64:])
    _refused(built, flipped, "corrupt")


def test_zip_that_is_not_an_export(built, tmp_path):
    _refused(built, _zip(tmp_path / "photos.apkg", {"photo.txt": b"not a collection"}), "not an Anki export")
    _refused(built, _zip(tmp_path / "garbage.apkg", {"collection.anki2": b"no database here" * 100}),
             "not an Anki export: its collection cannot be read")


def test_export_without_this_decks_notes(built, tmp_path):
    col = open_collection(tmp_path / "other.anki2")
    note = col.new_note(col.models.by_name("Basic"))
    note["Front"], note["Back"] = "Capital of France?", "Paris"
    col.add_note(note, col.decks.id_for_name("Default"))
    export = tmp_path / "other.colpkg"
    col.export_collection_package(str(export), include_media=False, legacy=False)
    col.close()
    _refused(built, export, "none of the 1 notes in this export is a note of")


def test_unsupported_versions(built, tmp_path):
    _refused(built, _zip(tmp_path / "future.colpkg", {"meta": b"\x08\x04", "collection.anki21b": b""}),
             "unsupported collection format: package version 4")
    _refused(built, _legacy_collection(built, tmp_path, 19), "unsupported collection version 19")
    _refused(built, _legacy_collection(built, tmp_path, 10), "unsupported collection version 10")


# --- writing back ---------------------------------------------------------------------------------
CARD_FILE = """\
deck: Rocks
# a comment the author keeps
cards:
  - id: granite   # why this card exists
    question: Of what is granite made?
    answer: "Quartz and feldspar."
    sources:
      - doc: rocks
        quote: "Granite is made of quartz and feldspar."

  - id: basalt
    question: From what does basalt cool?
    answer: From lava.
    extra: It cools quickly.
    sources: [{doc: rocks, quote: "Basalt cools quickly from lava."}]
"""


def test_write_edits_keeps_the_rest_of_the_file(tmp_path):
    from deckgen.writeback import Change, write_edits

    (tmp_path / "cards").mkdir()
    path = tmp_path / "cards" / "rocks.yaml"
    path.write_text(CARD_FILE, encoding="utf-8")
    written = write_edits(tmp_path, [
        Change("granite", "cards/rocks.yaml", "answer", "*Quartz* and feldspar."),
        Change("granite", "cards/rocks.yaml", "extra", "Both are minerals."),
        Change("basalt", "cards/rocks.yaml", "extra", ""),
        Change("basalt", "cards/rocks.yaml", "question", "From what: lava or ash?"),
    ], check=lambda: None)
    assert len(written.changes) == 4 and not written.refused
    assert path.read_text(encoding="utf-8") == CARD_FILE.replace(
        '    answer: "Quartz and feldspar."\n',
        '    answer: "*Quartz* and feldspar."\n    extra: Both are minerals.\n').replace(
        "    extra: It cools quickly.\n", "").replace(
        "    question: From what does basalt cool?", "    question: 'From what: lava or ash?'")


def test_write_edits_restores_the_files_when_check_fails(tmp_path):
    from deckgen.diagnostics import DeckgenFailure, Diagnostic, Location
    from deckgen.writeback import Change, write_edits

    (tmp_path / "cards").mkdir()
    path = tmp_path / "cards" / "rocks.yaml"
    path.write_text(CARD_FILE, encoding="utf-8")

    def failing_check() -> None:
        raise DeckgenFailure([Diagnostic(Location("cards/rocks.yaml", 6, 13), "no")])

    with pytest.raises(DeckgenFailure) as raised:
        write_edits(tmp_path, [Change("granite", "cards/rocks.yaml", "answer", "Mica.")], check=failing_check)
    assert "none was written" in str(raised.value)
    assert path.read_text(encoding="utf-8") == CARD_FILE
    assert sorted(p.name for p in (tmp_path / "cards").iterdir()) == ["rocks.yaml"]


def test_a_note_under_another_guid_is_matched_by_its_card_id():
    from deckgen.lock import Lock, LockedCard, LockedNoteType
    from deckgen.pull import ExportedNote, match_notes

    qa = LockedNoteType(1, 1, ("Question", "Answer", "Extra", "Sources", "CardId"), "0" * 16, 1)
    shipped = LockedCard("abc", "qa", "Rocks", (), ("Q", "A", "", "", "granite"), "0" * 16, 1)
    lock = Lock("rocks", {"qa": qa}, {"granite": shipped, "basalt": replace(shipped, guid="def")})

    def note(guid: str, card_id: str, names: tuple[str, ...] = qa.fields, type_id: int = 1) -> ExportedNote:
        return ExportedNote(guid, tuple(zip(names, ("Q", "A", "", "", card_id))), (), 1, 0, 0, type_id)

    active, retired = match_notes(lock, [note("zzz", "granite"), note("yyy", "basalt", ("Front", "Back", "a", "b", "c")),
                                         note("def", "granite")])
    assert {card_id: n.guid for card_id, n in active.items()} == {"granite": "zzz", "basalt": "def"}
    assert retired == {}
    # another deckgen deck's note (the same fields, a card of the same id, its own note type) is not this deck's
    active, _ = match_notes(lock, [note("xxx", "granite", type_id=2), note("def", "basalt")])
    assert set(active) == {"basalt"}


def _bomb(path: Path, member: str, inflated: int, *, zstd: bool = False, meta: bytes | None = None) -> Path:
    """A zip of a few KiB whose `member` inflates to `inflated` bytes of zeros: deflated in the zip, or (zstd)
    stored in it as a zstd frame, as Anki stores collection.anki21b; written a MiB at a time."""
    import zstandard

    zeros = bytes(1 << 20)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        if meta is not None:
            archive.writestr("meta", meta)
        if zstd:
            compressor = zstandard.ZstdCompressor().compressobj()
            frame = b"".join(compressor.compress(zeros) for _ in range(inflated >> 20)) + compressor.flush()
            archive.writestr(zipfile.ZipInfo(member), frame, compress_type=zipfile.ZIP_STORED)
        else:
            with archive.open(member, "w", force_zip64=True) as packed:
                for _ in range(inflated >> 20):
                    packed.write(zeros)
    assert path.stat().st_size < 1 << 20 < inflated
    return path


@pytest.mark.parametrize("kind", ["deflated", "zstd"])
def test_a_zip_bomb_is_refused_before_it_fills_the_disk(built, tmp_path, monkeypatch, kind):
    """Found by an attack: pull inflated the export's collection into a temporary file with no limit, so a
    zip of a few KiB that inflates to terabytes filled the disk (and the zstd layer of collection.anki21b
    inflates inside a stored entry, whatever size the zip gives it). The limit ($DECKGEN_EXPORT_MAX_MB,
    2048 by default) is set to 1 here so that the bomb is made in a moment: 64 MiB of zeros."""
    monkeypatch.setenv("DECKGEN_EXPORT_MAX_MB", "1")
    export = (_bomb(tmp_path / "bomb.apkg", "collection.anki2", 64 << 20) if kind == "deflated" else
              _bomb(tmp_path / "bomb.colpkg", "collection.anki21b", 64 << 20, zstd=True, meta=b"\x08\x03"))
    _refused(built, export, "its collection is larger than 1 MiB decompressed")


def test_a_meta_file_that_inflates_past_any_anki_s_is_refused(built, tmp_path):
    """The meta file is read into memory whole: one that inflates to 64 MiB is refused by its size."""
    _refused(built, _bomb(tmp_path / "meta.apkg", "meta", 64 << 20), "its meta file is larger than any Anki writes")


def test_a_zip_bomb_put_in_build_is_not_inflated_by_status(tmp_path, monkeypatch):
    """`deckgen status` reads build/'s own package (does it hold the notes deck.lock records?): one put there
    whose collection inflates past the limit is read as a package that cannot be read, which holds no notes.
    Here the deck's own collection followed by 64 MiB of zeros, which SQLite reads as the same database."""
    from mini_project import apkg, make_project

    project = make_project(tmp_path / "project")
    assert run_cli(project, "build").returncode == 0
    package = apkg(project)
    database = zipfile.ZipFile(package).read("collection.anki2")
    with zipfile.ZipFile(package, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("media", "{}")
        with archive.open("collection.anki2", "w", force_zip64=True) as packed:
            packed.write(database)
            for _ in range(64):
                packed.write(bytes(1 << 20))
    assert package.stat().st_size < 1 << 20
    monkeypatch.setenv("DECKGEN_EXPORT_MAX_MB", "1")
    result = run_cli(project, "status", "--json")
    assert json.loads(result.stdout)["deck_matches_lock"] is False, result.stderr
    monkeypatch.setenv("DECKGEN_EXPORT_MAX_MB", "100")  # within the limit, the same package is read
    assert json.loads(run_cli(project, "status", "--json").stdout)["deck_matches_lock"] is True
