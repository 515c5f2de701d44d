"""The build memo (build/.deckgen-memo.jsonl) may only ever save work, never change a result.

* After an edit, a build parses the edited card files only and traces and renders the edited cards
  only; with nothing changed, none. A build from scratch, which traces every card document by
  document, makes the notes and reports the problems a full check makes.
* Builds that reuse notes write the same deck and the same deck.lock, byte for byte, as builds that
  trace every card, through a series of edits to cards, sources, templates, synonyms and settings.
* A remembered note is used only in the context it was made in: a change to any source, template,
  the deck settings or the synonyms discards the memo (shown with a planted note that would
  otherwise come out in the lock).
* A damaged memo, or a damaged entry in it, only costs the shortcut; a failed build leaves the memo
  as it was, and an edited card that now fails the gate is reported.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from deckgen import pipeline
from deckgen.diagnostics import DeckgenFailure
from deckgen.memo import MEMO, Memo
from helpers import REPO, copy_templates, run_cli
from mini_project import CARD_IDS, apkg, edit, make_project

NOW = 1_700_000_000
PLANTED = "PLANTED-IN-THE-MEMO"


@pytest.fixture
def project(tmp_path) -> Path:
    root = make_project(tmp_path / "project")
    pipeline.build(root, now=NOW)
    return root


def _compile(root: Path) -> tuple[pipeline.Compiled, Memo]:
    memo = Memo.open(root)
    return pipeline.compile_deck(root, memo), memo


def test_a_rebuild_traces_only_the_edited_card(project):
    compiled, memo = _compile(project)
    assert (compiled.traced, memo.reused) == ((), len(CARD_IDS)), "nothing changed: no card traced"

    edit(project / "cards" / "other.yaml", "answer: Soft and white.", "answer: Soft, white.")
    compiled, memo = _compile(project)
    assert compiled.traced == ("chalk-kind",)
    assert memo.reused == len(CARD_IDS) - 1
    full = pipeline.check(project)
    assert compiled.notes == full.notes and compiled.note_types == full.note_types


def test_a_citation_of_an_unknown_document_gets_the_full_report(project):
    (project / "sources" / "gem-notes.md").write_text(
        '---\ntitle: "Gem Notes"\npublisher: deckgen tests\nlanguage: en\n---\nRuby is a red corundum.\n',
        encoding="utf-8")
    with open(project / "cards" / "other.yaml", "a", encoding="utf-8") as cards:
        cards.write('\n  - id: ruby-colour\n    question: Ruby is what kind of corundum?\n    answer: Red.\n'
                    '    sources:\n      - doc: gem-notes\n        quote: "Ruby is a red corundum."\n')
    pipeline.build(project, now=NOW + 1)

    edit(project / "cards" / "other.yaml", "doc: gem-notes", "doc: gem-note")
    with pytest.raises(DeckgenFailure) as failure:
        _compile(project)
    assert any("did you mean 'gem-notes'" in d.hint for d in failure.value.diagnostics), \
        "a citation of an unknown document is checked against every document"


def test_a_build_document_by_document_makes_the_notes_a_full_check_makes(tmp_path):
    """The real deck, whose cards cite four documents in every mix, compiled from scratch."""
    root = tmp_path / "deck"
    for part in ("cards", "sources"):
        shutil.copytree(REPO / part, root / part)
    copy_templates(root)
    memo = Memo.open(root)
    assert not memo.valid
    compiled = pipeline.compile_deck(root, memo)
    checked = pipeline.check(root)
    assert compiled.notes == checked.notes and compiled.note_types == checked.note_types
    assert compiled.traced == checked.traced == tuple(card.id for card in checked.project.cards)


@pytest.mark.parametrize("name, old, new", [
    ("cards/other.yaml", "answer: Limestone.", "answer: Basalt."),  # fails the gate
    ("cards/other.yaml", "quote: \"Slate splits into thin flat sheets.\"", "quote: \"Slate splits into sheets.\""),
    ("cards/igneous.yaml", "question: From what does basalt cool?", "question: Does basalt cool?"),  # lint
    ("sources/rock-guide.md", "title:", "titel:"),  # the document itself is broken
])
def test_a_failing_build_reports_what_a_full_check_reports(project, name, old, new):
    edit(project / name, old, new)
    with pytest.raises(DeckgenFailure) as full:
        pipeline.check(project)
    with pytest.raises(DeckgenFailure) as compiled:
        _compile(project)
    assert compiled.value.diagnostics == full.value.diagnostics


def test_a_broken_document_no_card_cites_fails_a_build_from_scratch(project):
    (project / "sources" / "unused.md").write_text("no front matter here\n", encoding="utf-8")
    (project / MEMO).unlink()
    with pytest.raises(DeckgenFailure) as failure:
        pipeline.build(project, now=NOW + 1)
    assert any(d.location.path == "sources/unused.md" for d in failure.value.diagnostics)


def test_a_rebuild_parses_only_the_edited_file_and_reads_the_others_as_they_were(project):
    edit(project / "cards" / "other.yaml", "answer: Soft and white.", "answer: Soft, white.")
    compiled, memo = _compile(project)
    assert memo.files_reused == 1, "igneous.yaml is unchanged; other.yaml was edited"
    full = pipeline.check(project)
    assert compiled.project == full.project
    assert [(c.field_offsets, [s.key_offsets for s in c.sources]) for c in compiled.project.cards] == \
        [(c.field_offsets, [s.key_offsets for s in c.sources]) for c in full.project.cards], "same places, too"


def test_a_planted_card_shows_that_files_are_reused(project):
    memo = _MemoFile(project)
    card_file = memo.entry("file", lambda f: f[0] == "cards/other.yaml")
    card = next(c for c in card_file[4] if c[0] == "marble-origin")
    # A question the gate still accepts (it compares case-folded words), so that only the memo can
    # have put it in the deck: the card file says "What is heated under pressure to form marble?".
    planted = "WHAT IS HEATED UNDER PRESSURE TO FORM MARBLE?"
    card[3] = planted
    memo.save()
    pipeline.build(project, now=NOW + 1)
    assert planted in (project / "deck.lock").read_text(encoding="utf-8")


def test_check_without_a_memo_traces_every_card(project):
    checked = pipeline.check(project)
    assert len(checked.traces) == len(CARD_IDS) and checked.corpus is not None


EDITS = [  # (file, old, new): each keeps every card valid
    ("cards/other.yaml", "answer: Soft and white.", "answer: Soft, white."),
    ("cards/igneous.yaml", "answer: From lava.", "answer: From *lava*."),
    ("sources/rock-guide.md", 'title: "A Short Guide to Rocks"', 'title: "A Field Guide to Rocks"'),
    ("templates/fields/sources.html", "<figure class=\"citation\">", "<figure class=\"citation cited\">"),
    ("cards/deck.yaml", "output:", "# a comment\noutput:"),
    ("cards/other.yaml", "quote: \"Chalk is a soft white limestone.\"", "quote: \"chalk is a soft white limestone\""),
    ("cards/igneous.yaml", "answer: Quartz and feldspar.", "answer: Feldspar and quartz."),
]


def test_builds_that_reuse_notes_write_what_builds_that_trace_everything_write(tmp_path):
    reusing = make_project(tmp_path / "reusing")
    tracing = make_project(tmp_path / "tracing")
    for step, (name, old, new) in enumerate([(None, None, None)] + EDITS):
        if name is not None:
            edit(reusing / name, old, new)
            edit(tracing / name, old, new)
        (tracing / MEMO).unlink(missing_ok=True)
        now = NOW + 100 * step
        pipeline.build(reusing, now=now)
        pipeline.build(tracing, now=now)
        assert apkg(reusing).read_bytes() == apkg(tracing).read_bytes(), f"after edit {step}: {name}"
        assert (reusing / "deck.lock").read_text() == (tracing / "deck.lock").read_text(), f"after edit {step}"
    assert (reusing / MEMO).exists() and (tracing / MEMO).exists()


class _MemoFile:
    """The memo's lines, to change on purpose: a header, then `file`/`note` entries of JSON, then the MAC.

    save() signs the changed memo with this user's key, as deckgen itself would: these tests show what
    a memo that authenticates is used for (tests/test_trust_boundary.py: one that does not is not used).
    """

    def __init__(self, root: Path):
        self.root = root
        self.path = root / MEMO
        first, *rest, mac = self.path.read_text(encoding="utf-8").splitlines()
        assert mac.startswith("mac ")
        self.header = json.loads(first)
        self.entries = [(kind, digest, json.loads(entry)) for kind, digest, entry in (r.split(" ", 2) for r in rest)]

    def entry(self, kind: str, test) -> list:
        return next(value for k, _, value in self.entries if k == kind and test(value))

    def save(self) -> None:
        from deckgen import userkey

        lines = [json.dumps(self.header)] + [f"{k} {d} {json.dumps(v)}" for k, d, v in self.entries]
        text = "\n".join(lines) + "\n"
        mac = userkey.mac(userkey.build_key(self.root))
        mac.update(text.encode())
        self.path.write_text(text + f"mac {mac.hexdigest()}\n", encoding="utf-8")


def _plant(root: Path) -> None:
    """Change one remembered note, so that its reuse shows in the lock."""
    memo = _MemoFile(root)
    memo.entry("note", lambda note: "Limestone." in note[2][1])[2][1] = PLANTED
    memo.save()


def test_a_planted_note_shows_that_notes_are_reused(project):
    _plant(project)
    pipeline.build(project, now=NOW + 1)
    assert PLANTED in (project / "deck.lock").read_text(encoding="utf-8")


@pytest.mark.parametrize("name, old, new", [
    ("sources/rock-guide.md", "Pumice floats on water.", "Pumice floats on water.\nGneiss is banded."),
    ("templates/card.css", "}", "}\n", ),
    ("templates/notetypes.yaml", "\n", "\n# a comment\n"),
    ("cards/deck.yaml", "description: A tiny test deck about rocks.", "description: A small test deck about rocks."),
])
def test_a_change_to_the_context_discards_the_memo(project, name, old, new):
    _plant(project)
    text = (project / name).read_text(encoding="utf-8")
    (project / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    pipeline.build(project, now=NOW + 1)
    assert PLANTED not in (project / "deck.lock").read_text(encoding="utf-8")


def test_new_synonyms_discard_the_memo(project):
    _plant(project)
    (project / "cards" / "synonyms.yaml").write_text("- [lava, magma]\n", encoding="utf-8")
    pipeline.build(project, now=NOW + 1)
    assert PLANTED not in (project / "deck.lock").read_text(encoding="utf-8")


@pytest.mark.parametrize("damage", ["", "{", "[]", '{"format": 4}', '{"format": 4, "context": "x", "note_types": {}}',
                                    "BAD_NOTE_TYPE", "OLD_FORMAT", "BAD_LINE"])
def test_a_damaged_memo_means_every_card_is_traced(project, damage):
    if damage.isupper():
        memo = _MemoFile(project)
        if damage == "BAD_NOTE_TYPE":
            memo.header["note_types"]["qa"][3] = "0"  # the sort field's index as text
        elif damage == "OLD_FORMAT":
            memo.header["format"] = 3
        memo.save()
        if damage == "BAD_LINE":
            with open(memo.path, "a", encoding="utf-8") as lines:
                lines.write("a line of no known kind\n")
    else:
        (project / MEMO).write_text(damage, encoding="utf-8")
    compiled, reused = _compile(project)
    assert len(compiled.traced) == len(CARD_IDS) and reused.reused == 0 and reused.files_reused == 0
    pipeline.build(project, now=NOW + 1)
    assert _MemoFile(project).entries, "the next build writes a good memo"


@pytest.mark.parametrize("kind", ["file", "note"])
def test_a_damaged_entry_means_only_its_file_or_card_is_read_again(project, kind):
    memo = _MemoFile(project)
    if kind == "file":
        memo.entry("file", lambda f: f[0] == "cards/other.yaml")[4][0][1] = "flashcard"  # no such kind of card
    else:
        memo.entry("note", lambda note: "Limestone." in note[2][1])[2] = "not a list of fields"
    memo.save()
    compiled, reused = _compile(project)
    full = pipeline.check(project)
    assert compiled.project == full.project and compiled.notes == full.notes
    if kind == "file":
        assert reused.files_reused == 1 and reused.reused == len(CARD_IDS)
    else:
        assert reused.files_reused == 2 and compiled.traced == ("marble-origin",)


def test_an_edit_that_fails_the_gate_is_reported_and_the_memo_kept(project):
    before = (project / MEMO).read_bytes()
    edit(project / "cards" / "other.yaml", "answer: Limestone.", "answer: Basalt.")
    with pytest.raises(DeckgenFailure) as failure:
        pipeline.build(project, now=NOW + 1)
    assert any("basalt" in d.message.lower() for d in failure.value.diagnostics)
    assert (project / MEMO).read_bytes() == before


def test_no_memo_is_recorded_when_the_context_changes_during_the_build(project):
    edit(project / "cards" / "other.yaml", "answer: Soft and white.", "answer: Soft, white.")
    checked, memo = _compile(project)  # a build's memo, taken as it starts; one card traced
    edit(project / "sources" / "rock-guide.md", "Pumice floats on water.", "Pumice floats on water.\nGneiss is banded.")
    memo.save(checked.project.files, checked.note_types, checked.notes)
    assert not (project / MEMO).exists(), "notes checked against the old source are not recorded for the new one"

    checked, memo = _compile(project)
    memo.save(checked.project.files, checked.note_types, checked.notes)
    assert (project / MEMO).exists(), "with the context unchanged during the build, the memo is recorded"
    assert _compile(project)[1].reused == len(CARD_IDS)


def test_a_killed_builds_partial_memo_is_cleaned_up(project):
    partial = project / "build" / ".deckgen-memo.jsonl.12345.partial"
    partial.write_text("{", encoding="utf-8")
    edit(project / "cards" / "other.yaml", "answer: Soft and white.", "answer: Soft, white.")
    result = run_cli(project, "build")
    assert result.returncode == 0, result.stderr
    assert not partial.exists()


def test_a_build_that_traced_nothing_leaves_the_memo_as_it_is(project):
    before = (project / MEMO).stat()
    pipeline.build(project, now=NOW + 1)
    after = (project / MEMO).stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_every_part_of_a_cards_content_changes_its_digest(project):
    """A note is reused by its card's digest: two cards differing anywhere, even by text moved from one
    field to the next or a NUL (a YAML escape can write one), must never share it."""

    from deckgen.memo import card_digest
    from deckgen.model import CardKind, SourceRef

    card = next(c for c in _compile(project)[0].project.cards if c.sources)
    ref = card.sources[0]
    variants = [
        card,
        card._replace(id=card.id + "-x"),
        card._replace(kind=CardKind.CLOZE if card.kind is CardKind.QA else CardKind.QA),
        card._replace(deck=card.deck + "::Sub"),
        card._replace(question="a\0b", answer="c"),
        card._replace(question="a", answer="b\0c"),
        card._replace(question=card.question + " ", answer=card.answer),
        card._replace(cloze="x"),
        card._replace(extra="y"),
        card._replace(tags=card.tags + ("t",)),
        card._replace(tags=("a::b",)), card._replace(tags=("a", "b")),
        card._replace(sources=(ref._replace(doc=ref.doc + "2"),)),
        card._replace(sources=(ref._replace(quote=ref.quote + "."),)),
        card._replace(sources=card.sources + (ref,)),
        card._replace(sources=(SourceRef(ref.doc, ref.quote + ref.doc, ref.location, ref.key_offsets),)),
    ]
    digests = [card_digest(v) for v in variants]
    assert len(set(digests)) == len(variants)
    moved = card._replace(location=card.location._replace(line=card.location.line + 7))
    assert card_digest(moved) == card_digest(card), "where a card is written is not its content"


def test_a_rebuild_appends_only_what_it_traced(project):
    """After an edit the memo is not written again: the edited file's and card's entries are added at its
    end, under a new MAC of all before it, and the next build reuses every entry, old and new."""
    before = (project / MEMO).read_bytes()
    edit(project / "cards" / "other.yaml", "answer: Soft and white.", "answer: Soft, white.")
    pipeline.build(project, now=NOW + 1)
    after = (project / MEMO).read_bytes()
    assert after.startswith(before) and after.count(b"\nfile ") == before.count(b"\nfile ") + 1
    assert after.count(b"\nnote ") == before.count(b"\nnote ") + 1
    compiled, memo = _compile(project)
    assert (compiled.traced, memo.reused, memo.files_reused) == ((), len(CARD_IDS), 2)

    (project / MEMO).write_bytes(after[:-5])  # an append cut short: the MAC does not check out
    compiled, memo = _compile(project)
    assert len(compiled.traced) == len(CARD_IDS) and not memo.valid


def test_a_memo_mostly_of_stale_entries_is_written_anew(project, monkeypatch):
    from deckgen import memo as memo_module

    monkeypatch.setattr(memo_module, "_SLACK", 0)  # at most twice the entries in use (8 here)
    original = (project / MEMO).read_bytes()
    answers = ["Soft and white.", "Soft, white.", "Soft white.", "White and soft.", "White, soft.", "White; soft."]
    for step, (old, new) in enumerate(zip(answers, answers[1:]), start=1):  # each adds a file and a note: 2 entries
        edit(project / "cards" / "other.yaml", f"answer: {old}", f"answer: {new}")
        pipeline.build(project, now=NOW + step)
        text = (project / MEMO).read_bytes()
        assert text.startswith(original) == (step < 5), f"written anew once 8 + 2 × {step} entries exceed 16"
    assert text.count(b"\nmac ") == 1, "one MAC line: the last"
    compiled, memo = _compile(project)
    assert (compiled.traced, memo.reused) == ((), len(CARD_IDS))


def test_one_process_building_again_decodes_each_entry_once(project):
    """`deckgen watch` builds again in the same process: what the memo's entries decode to is kept from one
    build to the next (the cards are the very objects of the build before), and only the edited file is
    new. The deck is still exactly what a full check makes."""
    first, _ = _compile(project)
    again, memo = _compile(project)
    assert memo.files_reused == 2 and all(a is b for a, b in zip(again.project.cards, first.project.cards))

    edit(project / "cards" / "other.yaml", "answer: Soft and white.", "answer: Soft, white.")
    pipeline.build(project, now=NOW + 1)
    edited, memo = _compile(project)
    by_id = {card.id: card for card in again.project.cards}
    kept = [card.id for card in edited.project.cards if card is by_id[card.id]]
    assert kept and all(card.location.path == "cards/igneous.yaml" for card in
                        (c for c in edited.project.cards if c.id in kept))
    assert not any(card.location.path == "cards/other.yaml" for card in edited.project.cards if card.id in kept)
    full = pipeline.check(project)
    assert edited.notes == full.notes and edited.project == full.project


def test_what_one_process_keeps_is_one_builds_worth(project):
    from deckgen import memo as memo_module

    answers = ["Soft and white.", "Soft, white.", "White and soft.", "Soft and white."]
    for n, (old, new) in enumerate(zip(answers, answers[1:])):
        edit(project / "cards" / "other.yaml", f"answer: {old}", f"answer: {new}")
        pipeline.build(project, now=NOW + 1 + n)
    _compile(project)
    kept = memo_module._DECODED._now  # the entries and card digests of the last build only
    assert len(kept) <= 2 + 2 * len(CARD_IDS)
    assert not any("Soft, white." in repr(value) for value in kept.values()), "an earlier build's entry"
    assert all(isinstance(key, (bytes, int)) for key in kept), "an entry's text kept"  # digests and card ids
    assert len(memo_module._DECODED._now_cards) == len(CARD_IDS)  # the cards whose digests are kept, each once


def test_entries_come_from_the_memo_as_its_mac_was_checked(project):
    """The memo's entries are read back, one at a time, from a private copy made as its MAC was checked,
    not from build/: a memo changed afterwards (here re-signed, with a planted note) changes nothing
    this build uses, and the copy leaves no file behind."""
    before = sorted(path.name for path in (project / "build").iterdir())
    memo = Memo.open(project)
    _plant(project)  # the same file, rewritten
    compiled = pipeline.compile_deck(project, memo)
    assert memo.reused == len(CARD_IDS) and not compiled.traced
    assert compiled.notes == pipeline.check(project).notes
    assert not any(PLANTED in field for note in compiled.notes for field in note.fields)
    del memo
    assert sorted(path.name for path in (project / "build").iterdir()) == before


def test_a_remembered_card_file_knows_where_its_keys_are_written(project):
    """A card file taken from the memo is the file as read, down to where its `deck:` and `tags:` are written
    (what a problem with them is shown at), as its cards' keys are: a memo without them gave the file's first key."""
    from deckgen.cards import load_project

    fresh, _ = load_project(project)
    memo = Memo.open(project)
    remembered, _ = load_project(project, read_before=memo.card_file)
    assert memo.files_reused == len(fresh.files) == 2
    for was_read, was_kept in zip(fresh.files, remembered.files):
        assert [was_kept.locate(key) for key in ("deck", "tags")] == [was_read.locate(key) for key in ("deck", "tags")]
        assert was_read.locate("tags") != was_read.location, "the tags are not on the file's first line"
