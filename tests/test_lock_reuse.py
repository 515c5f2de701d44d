"""What `deckgen watch` keeps of deck.lock from one build to the next (lock.LockReuse) may only save work.

* Builds that keep it write the same deck.lock and the same deck, byte for byte, as builds that read and
  write every entry, through edits, a retired card, a renamed one and a card brought back.
* A rebuild parses only the entries whose text changed since the last read.
* An entry is taken from what was kept only when its text, the lock's namespace and its note types are
  what they were: an entry edited by hand, or read under other note types, is checked again, with the
  same diagnostics as a build that keeps nothing.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from deckgen import pipeline
from deckgen.diagnostics import DeckgenFailure
from deckgen.lock import LOCK_FILE, LockReuse
from mini_project import CARD_IDS, OTHER_YAML, apkg, edit, make_project, remove_card

NOW = 1_700_000_000


@pytest.fixture
def project(tmp_path) -> Path:
    root = make_project(tmp_path / "project")
    pipeline.build(root, now=NOW)
    return root


def _twin(project: Path, tmp_path: Path) -> Path:
    twin = tmp_path / "twin"
    shutil.copytree(project, twin)
    return twin


def _failure(root: Path, now: int, reuse: LockReuse | None) -> list[str]:
    with pytest.raises(DeckgenFailure) as failure:
        pipeline.build(root, now=now, reuse=reuse)
    return [diagnostic.render() for diagnostic in failure.value.diagnostics]


EDITS = [
    lambda root: edit(root / "cards" / "other.yaml", "answer: Soft and white.", "answer: Soft, white."),
    lambda root: remove_card(root / "cards" / "other.yaml", "chalk-kind"),  # retired
    lambda root: edit(root / "cards" / "igneous.yaml", "  - id: basalt-origin",
                      "  - id: basalt-beginnings\n    renamed_from: basalt-origin"),
    lambda root: (root / "cards" / "other.yaml").write_text(OTHER_YAML, encoding="utf-8"),  # chalk comes back
]


def test_builds_that_keep_the_lock_write_what_builds_that_read_it_all_write(project, tmp_path):
    twin, reuse = _twin(project, tmp_path), LockReuse()
    pipeline.build(project, now=NOW + 1, reuse=reuse)
    pipeline.build(twin, now=NOW + 1)
    for n, change in enumerate(EDITS, start=2):
        change(project)
        change(twin)
        pipeline.build(project, now=NOW + n, reuse=reuse)
        pipeline.build(twin, now=NOW + n)
        assert (project / LOCK_FILE).read_bytes() == (twin / LOCK_FILE).read_bytes(), f"after edit {n - 1}"
        assert apkg(project).read_bytes() == apkg(twin).read_bytes(), f"after edit {n - 1}"
    lock = json.loads((project / LOCK_FILE).read_text(encoding="utf-8"))
    assert "chalk-kind" in lock["cards"] and "chalk-kind" not in lock["retired"]  # it came back
    assert "basalt-beginnings" in lock["cards"] and "basalt-origin" not in lock["cards"]


def test_a_rebuild_parses_only_the_entries_whose_text_changed(project):
    reuse = LockReuse()
    pipeline.build(project, now=NOW + 1, reuse=reuse)
    assert reuse.parsed == len(CARD_IDS)  # nothing read before
    pipeline.build(project, now=NOW + 2, reuse=reuse)
    assert reuse.parsed == 0
    edit(project / "cards" / "other.yaml", "answer: Soft and white.", "answer: Soft, white.")
    pipeline.build(project, now=NOW + 3, reuse=reuse)
    assert reuse.parsed == 0  # the lock read still is the one before the edit
    pipeline.build(project, now=NOW + 4, reuse=reuse)
    assert reuse.parsed == 1  # the edited card's entry, written by the build before


def test_fresh_keeps_nothing(project):
    reuse = LockReuse()
    pipeline.build(project, now=NOW + 1, reuse=reuse)
    pipeline.build(project, now=NOW + 2, reuse=reuse, fresh=True)
    pipeline.build(project, now=NOW + 3, reuse=reuse)
    assert reuse.parsed == len(CARD_IDS)


def _edit_lock(root: Path, change) -> None:
    data = json.loads((root / LOCK_FILE).read_text(encoding="utf-8"))
    change(data)
    (root / LOCK_FILE).write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                                  encoding="utf-8")


@pytest.mark.parametrize("change", [
    pytest.param(lambda data: data["cards"]["slate-sheets"].update(modified=0), id="entry-edited"),
    pytest.param(lambda data: data["cards"]["slate-sheets"].update(tags=["deckgen::retired"]), id="entry-tagged"),
    pytest.param(lambda data: data["note_types"]["qa"]["fields"].append("Mnemonic"), id="note-type-edited"),
])
def test_a_lock_edited_by_hand_is_refused_as_a_build_that_keeps_nothing_refuses_it(project, tmp_path, change):
    twin, reuse = _twin(project, tmp_path), LockReuse()
    pipeline.build(project, now=NOW + 1, reuse=reuse)  # every entry kept as read
    pipeline.build(twin, now=NOW + 1)
    _edit_lock(project, change)
    _edit_lock(twin, change)
    expected = _failure(twin, NOW + 2, None)
    assert expected and _failure(project, NOW + 2, reuse) == expected


@pytest.mark.parametrize("name, value", [("deck", "Rocks::Other"), ("digests", "0" * 16 + " " + "1" * 16),
                                         ("guid", "Zq9!x"), ("hash", "f" * 16), ("modified", NOW + 9),
                                         ("note_type", "cloze"), ("tags", ("rocks::other",)),
                                         ("fields", ("Other", "Fields"))])
def test_a_card_that_differs_in_anything_is_written_anew(project, name, value):
    """What the writer keeps is keyed by everything an entry's text is made of: a lock that differs from the
    one written before in any one value of one card is written as a lock written from nothing is."""
    from dataclasses import replace

    from deckgen.lock import read_lock, serialize, write_lock

    lock, problems = read_lock(project / LOCK_FILE, LOCK_FILE, "Rocks")
    assert lock is not None and not problems
    cards = {card_id: lock.with_fields(card_id, card)[0] for card_id, card in lock.cards.items()}
    before = replace(lock, cards=cards)
    after = replace(lock, cards={**cards, "slate-sheets": replace(cards["slate-sheets"], **{name: value})})
    reuse = LockReuse()
    for written in (before, after):
        reuse.next_build()
        out: list[str] = []
        write_lock(written, out.append, reuse)
        assert "".join(out) == serialize(written)


def test_a_notes_lock_hash_is_kept_by_its_hash_and_its_note_types_id():
    from deckgen.lock import _card_hash

    reuse = LockReuse()
    for note_hash, type_id in [("0123456789abcdef", 1 << 30), ("0123456789abcdef", (1 << 30) + 1),
                               ("fedcba9876543210", 1 << 30)]:
        reuse.next_build()
        assert reuse.card_hash(note_hash, type_id) == _card_hash(note_hash, type_id)
