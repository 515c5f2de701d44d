"""A delta rebuild (delta.py) ships what a full build ships, takes only the edits it can, and trusts nothing.

* Through edits of card text in place — a tag, a wording, a cloze's text, a quote, an extra, two cards in
  two files at once, a whitespace-only change — a project rebuilt by `delta.build` and its twin built with
  --fresh at the same times have the same rows in every table of their databases and byte-identical
  deck.locks; every one of those rebuilds was a delta rebuild (it read no other card file), and the lock
  is rewritten only when a card's content changed.
* What it must not take hands over to the full pipeline, which gives the same result as its twin: a card
  added, removed or renamed, a deck renamed, a stylesheet or a source changed, a cloze given a deletion, a
  card's note type changed (refused, as a full build refuses it), a question duplicating one in another file
  (reported, as a full build reports it).
* build/ and deck.lock are not trusted: a state not signed with this user's key, a database or a deck.lock
  that is not the one recorded (even with the same bytes written again) means a full build; so do note
  types the state cannot give back (a rebuild takes them from it rather than rendering the templates).
* Anki's own importer takes a rebuilt package and updates the edited note in place; a card added at the
  top of a file, whose note takes an id an older note had, is imported as new beside it (ids now count
  from the lock's fixed id_base).
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import threading
import zipfile
from pathlib import Path

import pytest

from deckgen import cards as cards_module
from deckgen import delta, delta_state, pipeline, userkey
from deckgen.diagnostics import DeckgenFailure
from helpers import import_apkg, open_collection
from mini_project import apkg, apply, edit, make_project, remove_card, rows

NOW = 1_700_000_000

IN_PLACE = [  # (file, old, new): card text edited in place, each edit keeping every card valid
    ("cards/other.yaml", "answer: Limestone.", "answer: Limestone.\n    tags: [high-yield]"),
    ("cards/other.yaml", "answer: Soft and white.", "answer: Soft, white."),
    ("cards/igneous.yaml", 'cloze: "Obsidian is a {{c1::volcanic glass}}."',
     'cloze: "Obsidian is {{c1::volcanic glass}}."'),
    ("cards/igneous.yaml", 'quote: "Basalt cools ... from lava"', "quote: 'Basalt cools ... from lava'"),
    ("cards/igneous.yaml", 'answer: Quartz and feldspar.\n    sources:\n      - doc: rock-guide\n'
     '        quote: "Granite is ... made of quartz and feldspar."',
     'answer: Quartz and feldspar.\n    extra: Granite is an igneous rock.\n    sources:\n      - doc: rock-guide\n'
     '        quote: "Granite is ... made of quartz and feldspar."\n      - doc: rock-guide\n'
     '        quote: "Granite is an igneous rock"'),
    ("cards/other.yaml", "answer: Thin flat sheets.", "answer: Thin, flat sheets."),
    ("cards/other.yaml", "deck: Other\n", "deck: Other\n\n# a comment only\n"),
]

FULL = [  # edits a rebuild hands over to the full pipeline
    ("cards/igneous.yaml", 'quote: "Obsidian is a volcanic glass."',
     'quote: "Obsidian is a volcanic glass."\n'
     '  - id: pumice-floats\n    cloze: "{{c1::Pumice}} floats on {{c2::water}}."\n'
     '    sources:\n      - doc: rock-guide\n        quote: "Pumice floats on water."'),
    ("cards/igneous.yaml", 'cloze: "{{c1::Pumice}} floats on {{c2::water}}."',
     'cloze: "{{c1::Pumice}} {{c3::floats}} on {{c2::water}}."'),
    ("REMOVE", "cards/other.yaml", "slate-sheets"),
    ("cards/igneous.yaml", "  - id: basalt-origin\n", "  - id: basalt-from-lava\n    renamed_from: basalt-origin\n"),
    ("cards/other.yaml", "deck: Other", "deck: Other Rocks"),
    ("APPEND", "templates/card.css", "\n/* a comment */\n"),
    ("APPEND", "sources/rock-guide.md", "\nQuartz is hard.\n"),
]


@pytest.fixture
def twins(tmp_path):
    rebuilt, fresh = make_project(tmp_path / "rebuilt"), make_project(tmp_path / "fresh")
    delta.build(rebuilt, now=NOW)
    pipeline.build(fresh, now=NOW, fresh=True)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    return rebuilt, fresh, scratch


def parsed_files(monkeypatch) -> list[str]:
    """The card files whose YAML the build parses from now on."""
    parsed: list[str] = []
    compose = cards_module.compose

    def counting(shown, text):
        parsed.append(shown)
        return compose(shown, text)

    monkeypatch.setattr(cards_module, "compose", counting)
    return parsed


def forge_state(project: Path, files: dict[str, bytes]) -> None:
    """Write the state again, signed with this user's key, with some files' lines replaced: what no one
    without the key can do, to show what the rebuild checks beyond the MAC."""
    key = userkey.build_key(project)
    state = delta_state.read(project, key)
    header = {k: v for k, v in state.header.items() if k not in ("files", "deck_lines", "format", "environment")}
    delta_state.write(project, key, header, {**delta_state.file_lines(state), **files}, delta_state.deck_lines(state))


def refused_in_full(project: Path, now: int = NOW + 100) -> list[str]:
    """The rebuild hands the edit over, and the full pipeline refuses it: the codes it reports."""
    assert delta.rebuild(project, now) is None
    with pytest.raises(DeckgenFailure) as failure:
        delta.build(project, now=now)
    return [d.code for d in failure.value.diagnostics]


def test_a_rebuild_writes_what_a_fresh_build_writes(twins, monkeypatch):
    rebuilt, fresh, scratch = twins
    parsed = parsed_files(monkeypatch)
    for number, step in enumerate(IN_PLACE, start=1):
        apply(rebuilt, step)
        apply(fresh, step)
        lock_before = (rebuilt / "deck.lock").read_bytes()
        parsed.clear()
        built = delta.build(rebuilt, now=NOW + 100 * number)
        card_files = [name for name in parsed if Path(name).name not in ("deck.yaml", "synonyms.yaml",
                                                                         "vocabulary.yaml", "notetypes.yaml")]
        pipeline.build(fresh, now=NOW + 100 * number, fresh=True)
        assert built.project is None, f"edit {number} ({step}) was not taken by a delta rebuild"
        assert card_files == [step[0]], "a rebuild reads the changed card file alone"
        assert rows(apkg(rebuilt), scratch) == rows(apkg(fresh), scratch), f"after edit {number}: {step}"
        assert (rebuilt / "deck.lock").read_bytes() == (fresh / "deck.lock").read_bytes(), f"after edit {number}"
        assert built.lock_written == ((rebuilt / "deck.lock").read_bytes() != lock_before)
    assert not built.lock_written and not built.plan.changed, "a comment changes no card"


def test_a_rebuild_walks_the_inputs_once_before_and_once_after(twins, monkeypatch):
    """`deckgen build` after an edit lists the project's inputs twice: before it reads anything (the no-change
    probe's walk, which the rebuild starts from) and as it ends (which the state and the stamp both check).
    Each walk grows with the deck: at 50,000 cards a walk of its 1,200 files took about 20 ms, and a rebuild
    made four."""
    from deckgen import cli, fastpath

    rebuilt, _, _ = twins
    walked: list[str] = []
    real = fastpath._files

    def counting(folder, name, listed):
        walked.append(name)
        return real(folder, name, listed)

    apply(rebuilt, IN_PLACE[1])
    monkeypatch.setattr(fastpath, "_files", counting)
    assert cli.main(["--project", str(rebuilt), "build"]) == 0
    assert fastpath.probe(rebuilt, drop_retired=False)[0] is not None, "the rebuild was stamped"
    walked_by_build = walked[:-len(fastpath.INPUT_DIRS)]  # the probe just above walked once more
    assert walked_by_build == [*fastpath.INPUT_DIRS] * 2, walked_by_build
    assert delta_state.read(rebuilt, userkey.build_key(rebuilt)) is not None, "the rebuild recorded its state"


def test_two_files_edited_at_once(twins):
    rebuilt, fresh, scratch = twins
    for project in (rebuilt, fresh):
        apply(project, IN_PLACE[1])
        apply(project, IN_PLACE[4])
    built = delta.build(rebuilt, now=NOW + 100)
    pipeline.build(fresh, now=NOW + 100, fresh=True)
    assert built.project is None
    assert sorted(change.card_id for change in built.plan.changed) == ["chalk-kind", "granite-minerals"]
    assert len(built.plan.unchanged) == 4 and built.notes == 6
    assert rows(apkg(rebuilt), scratch) == rows(apkg(fresh), scratch)
    assert (rebuilt / "deck.lock").read_bytes() == (fresh / "deck.lock").read_bytes()


def test_a_system_that_cannot_copy_between_files_gets_the_same_lock(twins, monkeypatch):
    """deck.lock's unchanged runs are copied by the kernel (sendfile); where that is not possible
    (sendfile to a file is Linux's), they are written from the text read."""
    def cannot(*args):
        raise OSError(errno.ENOSYS, "not here")

    monkeypatch.setattr(delta.os, "sendfile", cannot)
    test_two_files_edited_at_once(twins)


def test_other_edits_go_through_the_full_pipeline(twins):
    rebuilt, fresh, scratch = twins
    for number, step in enumerate(FULL, start=1):
        apply(rebuilt, step)
        apply(fresh, step)
        built = delta.build(rebuilt, now=NOW + 100 * number)
        pipeline.build(fresh, now=NOW + 100 * number, fresh=True)
        assert built.project is not None, f"edit {number} ({step}) must go through the full pipeline"
        assert rows(apkg(rebuilt), scratch) == rows(apkg(fresh), scratch), f"after edit {number}: {step}"
        assert (rebuilt / "deck.lock").read_bytes() == (fresh / "deck.lock").read_bytes()
        tagged = "answer: Limestone.\n    tags: [high-yield]"
        for project in (rebuilt, fresh):
            edit(project / "cards" / "other.yaml", "answer: Limestone.", tagged)
        assert delta.build(rebuilt, now=NOW + 100 * number + 50).project is None, "and the next edit is a rebuild"
        pipeline.build(fresh, now=NOW + 100 * number + 50, fresh=True)
        assert rows(apkg(rebuilt), scratch) == rows(apkg(fresh), scratch)
        for project in (rebuilt, fresh):
            edit(project / "cards" / "other.yaml", tagged, "answer: Limestone.")


def test_a_changed_note_type_is_refused_as_a_full_build_refuses_it(twins):
    rebuilt, _, _ = twins
    edit(rebuilt / "cards" / "other.yaml", "    question: What kind of limestone is chalk?\n    answer: Soft and white.",
         '    cloze: "Chalk is a {{c1::soft white}} limestone."')
    assert "note-type-changed" in refused_in_full(rebuilt)


def test_an_edit_the_gate_refuses_is_reported_and_nothing_built_is_touched(twins):
    rebuilt, _, _ = twins
    before = {path: path.read_bytes() for path in (apkg(rebuilt), rebuilt / "deck.lock")}
    edit(rebuilt / "cards" / "other.yaml", "answer: Soft and white.", "answer: Hard and black.")
    with pytest.raises(DeckgenFailure) as failure:
        delta.build(rebuilt, now=NOW + 100)
    assert {d.location.path for d in failure.value.diagnostics} == {"cards/other.yaml"}
    assert any("not in the quoted passage" in d.message for d in failure.value.diagnostics)
    assert {path: path.read_bytes() for path in before} == before


@pytest.mark.parametrize("tamper", ["state", "state's lines", "state's question keys", "state's card ids", "database",
                                    "lock", "lock rewritten", "package"])
def test_build_is_not_trusted(twins, tamper):
    rebuilt, fresh, scratch = twins
    if tamper == "state":  # one byte of the header changed, the MAC left as it was
        path = rebuilt / delta_state.PATH
        data = bytearray(path.read_bytes())
        data[-200] ^= 1
        path.write_bytes(bytes(data))
    elif tamper == "state's lines":  # one byte of the edited file's line (a card's recorded digest) changed
        line = delta_state.file_lines(delta_state.read(rebuilt, userkey.build_key(rebuilt)))["cards/other.yaml"]
        path = rebuilt / delta_state.LINES
        data = bytearray(path.read_bytes())
        digest_at = data.index(b'"', data.index(b'"chalk-kind"', line.offset) + len(b'"chalk-kind"') + 1) + 1
        data[digest_at] ^= 1  # its first hex digit, another hex digit: the line still reads
        path.write_bytes(bytes(data))
    elif tamper in ("state's question keys", "state's card ids"):  # the last byte of a deck-wide line
        name = "questions" if tamper == "state's question keys" else "card_ids"
        line = delta_state.deck_lines(delta_state.read(rebuilt, userkey.build_key(rebuilt)))[name]
        path = rebuilt / delta_state.LINES
        data = bytearray(path.read_bytes())
        data[line.offset + line.length - 1] ^= 1
        path.write_bytes(bytes(data))
    elif tamper == "database":  # a row changed in the database a rebuild would start from
        connection = sqlite3.connect(rebuilt / delta_state.DATABASE)
        connection.execute("update notes set flds = replace(flds, 'Limestone', '<script>x</script>')")
        connection.commit()
        connection.close()
    elif tamper == "lock":
        edit(rebuilt / "deck.lock", f'"id_base": {NOW},', f'"id_base": {NOW + 1},')
    elif tamper == "lock rewritten":  # the very same bytes, written again: not the file the state recorded
        path = rebuilt / "deck.lock"
        data = path.read_bytes()
        path.unlink()
        path.write_bytes(data)
    else:
        shutil.copy(apkg(rebuilt), apkg(rebuilt).with_suffix(".copy"))
        os.replace(apkg(rebuilt).with_suffix(".copy"), apkg(rebuilt))
    for project in (rebuilt, fresh):
        apply(project, IN_PLACE[1])
    assert delta.rebuild(rebuilt, NOW + 100) is None
    if tamper != "lock":
        delta.build(rebuilt, now=NOW + 100)
        pipeline.build(fresh, now=NOW + 100, fresh=True)
        assert rows(apkg(rebuilt), scratch) == rows(apkg(fresh), scratch)


def test_a_rebuild_appends_the_changed_files_line_and_keeps_the_others_where_they_are(twins):
    """At 50,000 cards the state was 7.5 MB, read and written whole by every rebuild. Now a rebuild reads the
    changed file's line alone and appends its new one to build/.deckgen-delta.lines; the header points to it."""
    rebuilt, _, _ = twins
    key = userkey.build_key(rebuilt)
    before = delta_state.file_lines(delta_state.read(rebuilt, key))
    lines_before = (rebuilt / delta_state.LINES).read_bytes()
    apply(rebuilt, IN_PLACE[1])
    assert delta.rebuild(rebuilt, NOW + 100) is not None
    after = delta_state.file_lines(delta_state.read(rebuilt, key))
    lines_after = (rebuilt / delta_state.LINES).read_bytes()
    assert lines_after.startswith(lines_before), "appended to, not written anew"
    assert after["cards/other.yaml"].offset == len(lines_before)
    assert len(lines_after) == len(lines_before) + after["cards/other.yaml"].length + 1
    assert {name: line for name, line in after.items() if name != "cards/other.yaml"} == \
        {name: line for name, line in before.items() if name != "cards/other.yaml"}


def test_an_edit_that_changes_no_card_appends_nothing(twins):
    """A comment added: the file's line is the one recorded, and stays where it is (it was appended again,
    and such edits filled the lines file with copies)."""
    rebuilt, _, _ = twins
    lines_before = (rebuilt / delta_state.LINES).read_bytes()
    apply(rebuilt, ("cards/other.yaml", "deck: Other\n", "deck: Other\n\n# a comment only\n"))
    assert delta.rebuild(rebuilt, NOW + 100) is not None
    assert (rebuilt / delta_state.LINES).read_bytes() == lines_before


def test_a_question_changed_appends_the_question_keys_too(twins):
    """The deck's question keys are one line, kept where it is while no question changes (the test above); a
    question reworded appends the new keys, and the next rebuild checks a duplicate against them."""
    rebuilt, fresh, scratch = twins
    key = userkey.build_key(rebuilt)
    before = delta_state.deck_lines(delta_state.read(rebuilt, key))
    lines_before = (rebuilt / delta_state.LINES).read_bytes()
    reworded = ("cards/other.yaml", "question: Into what does slate split?", "question: Slate splits into what?")
    for project in (rebuilt, fresh):
        apply(project, reworded)
    assert delta.rebuild(rebuilt, NOW + 100) is not None
    after = delta_state.deck_lines(delta_state.read(rebuilt, key))
    assert after["card_ids"] == before["card_ids"]
    assert after["questions"].offset >= len(lines_before) and after["questions"] != before["questions"]
    pipeline.build(fresh, now=NOW + 100, fresh=True)
    assert rows(apkg(rebuilt), scratch) == rows(apkg(fresh), scratch)


def test_the_lines_are_written_anew_before_most_of_them_are_dead(twins):
    """Lines no header points to any more are never more than half the file: a rebuild that would make them so
    writes it anew, with the live lines alone, and the rebuilds after it go on from there."""
    rebuilt, fresh, scratch = twins
    path = rebuilt / delta_state.LINES
    key = userkey.build_key(rebuilt)
    sizes = []
    for number in range(1, 9):
        step = IN_PLACE[1] if number % 2 else (IN_PLACE[1][0], IN_PLACE[1][2], IN_PLACE[1][1])  # and back
        for project in (rebuilt, fresh):
            apply(project, step)
        assert delta.rebuild(rebuilt, NOW + 100 * number) is not None, f"rebuild {number}"
        pipeline.build(fresh, now=NOW + 100 * number, fresh=True)
        state = delta_state.read(rebuilt, key)
        live = sum(line.length + 1 for lines in (delta_state.file_lines(state), delta_state.deck_lines(state))
                   for line in lines.values())
        sizes.append(path.stat().st_size)
        assert live <= sizes[-1] <= 2 * live, (number, live, sizes)
    assert any(later < earlier for earlier, later in zip(sizes, sizes[1:])), f"never written anew: {sizes}"
    assert rows(apkg(rebuilt), scratch) == rows(apkg(fresh), scratch)


@pytest.mark.parametrize("kind", ["hard link", "symlink"])
def test_lines_linked_elsewhere_are_not_appended_through(twins, tmp_path, kind):
    """build/.deckgen-delta.lines given a second name (a hard link), or made a symlink to a file elsewhere: a
    rebuild writes it anew beside that file, which keeps its bytes."""
    rebuilt, fresh, scratch = twins
    path = rebuilt / delta_state.LINES
    elsewhere = tmp_path / "elsewhere"
    if kind == "hard link":
        os.link(path, elsewhere)
    else:
        shutil.copy(path, elsewhere)
        path.unlink()
        path.symlink_to(elsewhere)
    kept = elsewhere.read_bytes()
    for project in (rebuilt, fresh):
        apply(project, IN_PLACE[1])
    assert delta.rebuild(rebuilt, NOW + 100) is not None, "the lines read back through the link"
    assert elsewhere.read_bytes() == kept
    assert not path.is_symlink() and path.stat().st_nlink == 1
    pipeline.build(fresh, now=NOW + 100, fresh=True)
    assert rows(apkg(rebuilt), scratch) == rows(apkg(fresh), scratch)


def test_a_lock_put_in_place_after_its_check_is_not_spliced(twins, monkeypatch):
    """A race: deck.lock is recognised by its stats, then opened by its name. Another file put in its place in
    between (here the same bytes, written anew when the rebuild opens it) is not the lock the state vouches for."""
    rebuilt, _, _ = twins
    apply(rebuilt, IN_PLACE[1])
    real_open = delta.open_regular  # how delta.py opens deck.lock (a FIFO put there is refused, not waited on)

    def swapping_open(path, *args, **kwargs):
        if Path(path).name == "deck.lock":
            copy = Path(path).with_name("deck.lock.swap")
            copy.write_bytes(Path(path).read_bytes())
            os.replace(copy, path)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(delta, "open_regular", swapping_open)
    assert delta.rebuild(rebuilt, NOW + 100) is None


def test_note_types_the_state_cannot_give_back_mean_a_full_build(twins):
    """A rebuild takes the note types the last build rendered from the state (the templates and settings
    are as recorded); a recording it cannot read back, even one signed with the key, is a full build."""
    rebuilt, fresh, scratch = twins
    key = userkey.build_key(rebuilt)
    state = delta_state.read(rebuilt, key)
    assert set(state.header["note_types"]) == {"qa", "cloze"}
    header = {k: v for k, v in state.header.items() if k not in ("files", "deck_lines", "format", "environment")}
    delta_state.write(rebuilt, key, {**header, "note_types": {"qa": ["not", "a", "note type"]}},
                      delta_state.file_lines(state), delta_state.deck_lines(state))
    for project in (rebuilt, fresh):
        apply(project, IN_PLACE[1])
    assert delta.rebuild(rebuilt, NOW + 100) is None
    assert delta.build(rebuilt, now=NOW + 100).project is not None
    pipeline.build(fresh, now=NOW + 100, fresh=True)
    assert rows(apkg(rebuilt), scratch) == rows(apkg(fresh), scratch)


def test_anki_updates_the_rebuilt_note_in_place(twins, tmp_path):
    rebuilt, _, _ = twins
    (tmp_path / "learner").mkdir()
    learner = open_collection(tmp_path / "learner" / "collection.anki2")
    assert len(import_apkg(learner, apkg(rebuilt)).new) == 6
    apply(rebuilt, IN_PLACE[1])
    assert delta.build(rebuilt, now=NOW + 100).project is None
    log = import_apkg(learner, apkg(rebuilt))
    assert [note.fields[-1] for note in log.updated] == ["chalk-kind"]
    assert not log.new and not log.conflicting
    [chalk] = learner.find_notes("CardId:chalk-kind")
    assert learner.get_note(chalk)["Answer"] == "Soft, white."
    learner.close()


def test_a_new_note_taking_an_old_notes_id_is_imported_beside_it(twins, tmp_path):
    """Ids count from the lock's id_base, which no longer moves: a card added at the top of a file takes
    the id the file's first note had. Anki's importer matches notes by GUID, so the note is added as new
    and the one that had its id is updated, not replaced."""
    rebuilt, _, scratch = twins
    (tmp_path / "learner").mkdir()
    learner = open_collection(tmp_path / "learner" / "collection.anki2")
    import_apkg(learner, apkg(rebuilt))
    before = rows(apkg(rebuilt), scratch)["notes"]
    edit(rebuilt / "cards" / "igneous.yaml", "cards:\n",
         "cards:\n  - id: pumice-floats\n    question: On what does pumice float?\n    answer: Water.\n"
         "    sources:\n      - doc: rock-guide\n        quote: \"Pumice floats on water.\"\n\n")
    delta.build(rebuilt, now=NOW + 100)
    after = rows(apkg(rebuilt), scratch)["notes"]
    taken = {note[0]: note[1] for note in before}
    assert any(note[0] in taken and taken[note[0]] != note[1] for note in after), \
        "the new note has an id an old note had (else this test shows nothing)"
    log = import_apkg(learner, apkg(rebuilt))
    assert [note.fields[-1] for note in log.new] == ["pumice-floats"]
    assert not log.conflicting
    assert learner.note_count() == 7
    ids = {learner.get_note(n)["CardId"] for n in learner.find_notes("")}
    assert "granite-minerals" in ids and "pumice-floats" in ids
    learner.close()


def test_a_lock_with_a_bad_id_base_is_refused(twins):
    rebuilt, _, _ = twins
    edit(rebuilt / "deck.lock", f'"id_base": {NOW},', '"id_base": "soon",')
    with pytest.raises(DeckgenFailure) as failure:
        pipeline.build(rebuilt, now=NOW + 100)
    [problem] = failure.value.diagnostics
    assert "'id_base' must be a whole number" in problem.message and problem.location.line > 1


def test_a_rule_about_one_card_is_applied_to_an_edited_card(twins):
    rebuilt, _, _ = twins
    edit(rebuilt / "cards" / "other.yaml", "What kind of limestone is chalk?", "What kind of limestone is chalk")
    assert refused_in_full(rebuilt) == ["question-mark-missing"]


def test_a_question_asked_in_another_file_is_a_duplicate(twins):
    rebuilt, _, _ = twins
    edit(rebuilt / "cards" / "other.yaml",
         "question: What is heated under pressure to form marble?\n    answer: Limestone.\n"
         "    sources:\n      - doc: rock-guide\n        quote: \"Marble forms when limestone is heated under pressure.\"",
         "question: From what does basalt cool?\n    answer: From lava.\n"
         "    sources:\n      - doc: rock-guide\n        quote: \"Basalt cools ... from lava\"")
    assert refused_in_full(rebuilt) == ["duplicate-question"]


def test_a_file_tag_under_another_root_than_the_other_files(twins):
    rebuilt, _, _ = twins
    edit(rebuilt / "cards" / "other.yaml", "tags: [rocks::other]", "tags: [stones::other]")
    assert set(refused_in_full(rebuilt)) == {"tag-root"}


LONG = {  # a card id -> a long answer's card, each sentence of the source quoted whole
    "granite-minerals": ("What is gneiss?", "A banded rock that forms when granite is squeezed under great heat deep "
                         "underground.", "Gneiss is a banded rock that forms when granite is squeezed under great heat "
                         "deep underground."),
    "basalt-origin": ("What is schist?", "A flaky rock that forms when mudstone is pressed under great heat over long "
                      "ages.", "Schist is a flaky rock that forms when mudstone is pressed under great heat over "
                      "long ages."),
    "marble-origin": ("What is quartzite?", "A hard rock that forms when sandstone is baked under great heat over "
                      "long ages.", "Quartzite is a hard rock that forms when sandstone is baked under great heat "
                      "over long ages."),
}


def long_answer(project: Path, card_id: str) -> None:
    """Give a Q&A card a question whose answer is 14 or more words (its id, file and place kept)."""
    question, answer, quote = LONG[card_id]
    path = next(p for p in (project / "cards").glob("*.yaml") if f"- id: {card_id}\n" in p.read_text())
    lines = path.read_text(encoding="utf-8").split("\n")
    start = lines.index(f"  - id: {card_id}")
    lines[start + 1:start + 6] = [f"    question: {question}", f"    answer: {answer}", "    sources:",
                                  "      - doc: rock-guide", f"        quote: \"{quote}\""]
    path.write_text("\n".join(lines), encoding="utf-8")


def test_the_median_answer_is_the_whole_decks(tmp_path):
    """Two long answers in one file, then a third in another: that file's median is short, the deck's is not."""
    project = make_project(tmp_path / "project")
    with open(project / "sources" / "rock-guide.md", "a", encoding="utf-8") as source:
        source.write("".join(quote + "\n" for _, _, quote in LONG.values()))
    delta.build(project, now=NOW)
    long_answer(project, "granite-minerals")
    long_answer(project, "basalt-origin")
    delta.build(project, now=NOW + 100)  # this file's median is long, the deck's is not: a full build takes it
    long_answer(project, "marble-origin")
    assert refused_in_full(project, NOW + 200) == ["median-answer-too-long"]


def test_a_note_is_replaced_only_where_the_database_holds_it(twins):
    """The state says where each note's rows are; a rebuild checks the database holds that note there
    (its GUID and deck) before replacing them. Forged here: the state, signed again with this user's key,
    gives chalk-kind the note id of slate-sheets."""
    rebuilt, fresh, scratch = twins
    cards = delta_state.read(rebuilt, userkey.build_key(rebuilt)).cards_of("cards/other.yaml")
    ids = {card.card_id: card.note_id for card in cards}
    forged = [card._replace(note_id=ids["slate-sheets"]) if card.card_id == "chalk-kind" else card for card in cards]
    forge_state(rebuilt, {"cards/other.yaml": delta_state.file_line(forged)})
    for project in (rebuilt, fresh):
        apply(project, IN_PLACE[1])
    assert delta.rebuild(rebuilt, NOW + 100) is None
    delta.build(rebuilt, now=NOW + 100)
    pipeline.build(fresh, now=NOW + 100, fresh=True)
    assert rows(apkg(rebuilt), scratch) == rows(apkg(fresh), scratch)


def test_a_dropped_cloze_deletion_is_refused_as_a_full_build_refuses_it(twins):
    """Renumbering a cloze's only deletion keeps the number of Anki cards: the rebuild must still refuse
    what the plan refuses (learners' c1 would become an empty card)."""
    rebuilt, _, _ = twins
    edit(rebuilt / "cards" / "igneous.yaml", "{{c1::volcanic glass}}", "{{c2::volcanic glass}}")
    assert refused_in_full(rebuilt) == ["cloze-number-dropped"]


def test_renamed_from_is_the_plans_to_check(twins):
    """A card's digest leaves out renamed_from and `new`: one declared goes through the full pipeline,
    which refuses renamed_from naming a card still in the deck."""
    rebuilt, _, _ = twins
    edit(rebuilt / "cards" / "igneous.yaml", "  - id: granite-minerals\n",
         "  - id: granite-minerals\n    renamed_from: basalt-origin\n")
    assert refused_in_full(rebuilt) == ["renamed-from-live"]


def test_a_rename_already_built_is_no_bar_to_a_rebuild(twins):
    """renamed_from stays in the card once its rename is built. Unchanged, what the plan checks of it holds
    still (a rebuild keeps every id, so the old one is still out of the deck), and an edit in its file is
    a rebuild. Withdrawn, or `new` declared, it is the plan's again."""
    rebuilt, fresh, scratch = twins
    steps = [("cards/igneous.yaml", "  - id: basalt-origin\n",
              "  - id: basalt-from-lava\n    renamed_from: basalt-origin\n"),  # full: the rename
             ("cards/igneous.yaml", "answer: From lava.", "answer: From *lava*."),  # the renamed card
             ("cards/igneous.yaml", "answer: Quartz and feldspar.", "answer: Quartz, feldspar."),  # beside it
             ("cards/igneous.yaml", "    renamed_from: basalt-origin\n", ""),  # full: withdrawn
             ("cards/igneous.yaml", "  - id: granite-minerals\n", "  - id: granite-minerals\n    new: true\n")]
    for number, step in enumerate(steps, start=1):
        apply(rebuilt, step)
        apply(fresh, step)
        built = delta.build(rebuilt, now=NOW + 100 * number)
        pipeline.build(fresh, now=NOW + 100 * number, fresh=True)
        assert (built.project is None) == (number in (2, 3)), f"edit {number} ({step})"
        assert rows(apkg(rebuilt), scratch) == rows(apkg(fresh), scratch), f"after edit {number}: {step}"
        assert (rebuilt / "deck.lock").read_bytes() == (fresh / "deck.lock").read_bytes(), f"after edit {number}"


def test_a_journal_put_beside_the_database_is_never_replayed(twins):
    """SQLite replays a "-journal" file beside a database as a crashed transaction. One planted in build/
    (pages of the database with a handler in a note) must not reach the package: the rebuild changes the
    database in a folder of its own, where no journal can be waiting."""
    rebuilt, fresh, scratch = twins
    database = rebuilt / delta_state.DATABASE
    # The journal of a transaction against a copy whose notes carry the handler: what it holds are those
    # pages before the transaction, which a replay writes back into whatever file it lies beside.
    attacked = scratch / "attacked.anki2"
    shutil.copy(database, attacked)
    connection = sqlite3.connect(attacked)
    connection.execute("update notes set flds = replace(flds, 'Limestone', "
                       "'<img src=x onerror=\"alert(1)\">') where flds like '%Limestone%'")
    connection.commit()
    connection.close()
    connection = sqlite3.connect(attacked, isolation_level=None)
    connection.execute("PRAGMA synchronous = OFF")  # the journal's header then counts its records to its end
    connection.execute("PRAGMA journal_mode = DELETE")
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("update notes set flds = flds || 'zz'")
    connection.execute("update cards set mod = mod + 1")
    journal = attacked.with_name(attacked.name + "-journal")
    assert journal.exists(), "a journal is on disk while the transaction is open"
    shutil.copy(journal, database.with_name(database.name + "-journal"))
    connection.execute("ROLLBACK")
    connection.close()
    for project in (rebuilt, fresh):
        apply(project, IN_PLACE[1])
    built = delta.build(rebuilt, now=NOW + 100)
    pipeline.build(fresh, now=NOW + 100, fresh=True)
    assert built.project is None
    assert rows(apkg(rebuilt), scratch) == rows(apkg(fresh), scratch)
    assert b"onerror" not in zipfile.ZipFile(apkg(rebuilt)).read("collection.anki2")


def test_a_hidden_template_file_is_an_input(twins):
    """A template can include any file under templates/, a hidden one too: changing it is a change of the
    templates (a full build, which checks them), not of a card alone."""
    rebuilt, _, _ = twins
    partial = rebuilt / "templates" / "partials" / ".cite.html"
    partial.write_text("harmless\n", encoding="utf-8")
    delta.build(rebuilt, now=NOW + 50)
    partial.write_text("<script>alert(1)</script>\n", encoding="utf-8")
    apply(rebuilt, IN_PLACE[1])
    assert delta.rebuild(rebuilt, NOW + 100) is None


def test_the_sources_names_survive_a_full_build_that_traced_nothing(twins):
    """A card removed: the full build traces no card (the memo gives every note), so lint never read the
    sources' names; the state keeps the recorded ones, which a rebuild's lint needs (names-article)."""
    rebuilt, _, _ = twins
    key = userkey.build_key(rebuilt)
    names = delta_state.read(rebuilt, key).header["source_names"]
    assert ["a", "short", "guide", "to", "rocks"] in names
    remove_card(rebuilt / "cards" / "other.yaml", "slate-sheets")
    built = delta.build(rebuilt, now=NOW + 100)
    assert built.project is not None and built.plan.retired
    assert delta_state.read(rebuilt, key).header["source_names"] == names


# --- deck.lock's old file, kept in build/ until the next build frees it ------------------------------------------
def _kept(project: Path) -> Path:
    return project / "build" / ".deckgen-replaced.lock"


def test_the_lock_a_rebuild_replaced_is_kept_until_the_next_build_frees_it(tmp_path):
    """Its blocks are freed in a thread of the next build (workspace.remove_leftovers), not as this one exits."""
    project = make_project(tmp_path / "project")
    delta.build(project, now=NOW)
    for number, step in enumerate(IN_PLACE[:3], start=1):
        before = os.stat(project / "deck.lock")
        old = (project / "deck.lock").read_bytes()
        apply(project, step)
        assert delta.build(project, now=NOW + 100 * number).project is None, "a delta rebuild"
        kept = os.stat(_kept(project))
        assert kept.st_ino == before.st_ino and kept.st_nlink == 1 and _kept(project).read_bytes() == old
        assert os.stat(project / "deck.lock").st_ino != before.st_ino
    pipeline.build(project, now=NOW + 1000, fresh=True)  # a full build frees it too (in a thread), and keeps none
    for thread in threading.enumerate():
        if thread is not threading.current_thread():
            thread.join()
    assert not _kept(project).exists()


@pytest.mark.parametrize("planted", ["folder", "symlink", "hard link"])
def test_a_file_planted_at_the_kept_lock_s_name_is_not_written_through(tmp_path, planted):
    project = make_project(tmp_path / "project")
    delta.build(project, now=NOW)
    victim = tmp_path / "victim.txt"
    victim.write_text("the user's own\n", encoding="utf-8")
    if planted == "folder":
        _kept(project).mkdir()
        (_kept(project) / "inside").write_text("x", encoding="utf-8")
    elif planted == "symlink":
        _kept(project).symlink_to(victim)
    else:
        os.link(victim, _kept(project))
    apply(project, IN_PLACE[0])
    assert delta.build(project, now=NOW + 100).project is None, "a delta rebuild all the same"
    assert victim.read_text(encoding="utf-8") == "the user's own\n"
    # a folder there is one of build/'s scratch folders (.deckgen-*), removed as a killed build's; the others are
    # names removed, and the old lock linked there
    assert _kept(project).is_file() and not _kept(project).is_symlink()
    assert os.stat(_kept(project)).st_ino != os.stat(victim).st_ino
