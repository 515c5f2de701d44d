"""A retired card says so, on both sides, in the learner's real Anki collection (issue 15).

A card deleted from the YAML keeps shipping (Anki never deletes notes on import), tagged deckgen::retired;
its front field (Question or Text) starts with the notice of fields/retired_notice.html, styled by card.css,
and its modification time is newer, so that the next import updates the note the learner already has.
A card retired by an older deckgen, without the notice, gets it on the next build, dated the day it was
retired. The review history is untouched throughout.
"""

from __future__ import annotations

import hashlib
import json
import re
import time

from helpers import import_apkg, lock_fields_digest, notes_by_card_id, run_cli
from mini_project import apkg, remove_card
from test_lifecycle import RETIRED, _build, _lock, studied  # noqa: F401  (studied: the fixture)

NOTICE = re.compile(r'<div class="retired-notice"><strong>Removed from this deck on (\d{4}-\d{2}-\d{2})</strong>'
                    r" — suspend or delete it\. In the browser, <code>tag:deckgen::retired</code> finds every "
                    r"removed card\.</div>")


def _day(seconds: int) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(seconds))


def _assert_says_retired(note, day: str, original: str) -> None:
    """Every card of the note shows the notice, then the card as it was, on the question and the answer."""
    assert RETIRED in note.tags
    css = note.note_type()["css"]
    assert ".retired-notice" in css
    for card in note.cards():
        for side in (card.question(), card.answer()):
            found = NOTICE.search(side)
            assert found, side
            assert found.group(1) == day
            assert original in side[found.end():]


def test_a_card_retired_now_says_so_on_both_sides_after_a_reimport(studied):
    project, learner = studied
    before = notes_by_card_id(learner.col)
    mod_before = {card_id: note.mod for card_id, note in before.items()}
    remove_card(project / "cards" / "other.yaml", "slate-sheets")
    remove_card(project / "cards" / "igneous.yaml", "obsidian-glass")  # a cloze: the notice is in Text
    result = json.loads(_build(project, "--json").stdout)
    assert sorted(result["retired"]) == ["obsidian-glass", "slate-sheets"]
    lock = _lock(project)
    log = import_apkg(learner.col, apkg(project))
    assert not log.conflicting and not log.new
    after = notes_by_card_id(learner.col)
    for card_id, original in (("slate-sheets", "Into what does slate split?"),
                              ("obsidian-glass", "Obsidian is a")):
        entry = lock["retired"][card_id]
        assert after[card_id].mod == entry["modified"] > mod_before[card_id]  # updated by the import
        _assert_says_retired(after[card_id], _day(entry["modified"]), original)
    # the live cards do not carry it
    assert not any(NOTICE.search(note.fields[0]) for card_id, note in after.items()
                   if card_id not in ("slate-sheets", "obsidian-glass"))
    learner.assert_history_intact()

    # deckgen status lists the retired cards still shipped, as text and as JSON; a rebuild changes nothing
    status = run_cli(project, "status")
    assert status.returncode == 0, status.stderr
    assert "obsidian-glass" in status.stdout and "slate-sheets" in status.stdout
    data = json.loads(run_cli(project, "status", "--json").stdout)
    assert data["retired_in_deck"] == ["obsidian-glass", "slate-sheets"] and data["retired"] == []
    lock_bytes = (project / "deck.lock").read_bytes()
    _build(project, "--fresh")
    assert (project / "deck.lock").read_bytes() == lock_bytes


def test_a_card_retired_without_a_notice_gets_one_dated_when_it_was_retired(studied):
    """deck.lock as a deckgen before the notice wrote it: the retired entry is its last live content, tagged."""
    project, learner = studied
    lock = _lock(project)
    live = {key: value for key, value in lock["cards"].pop("slate-sheets").items() if key != "digests"}
    live["fields"] = lock["fields"].pop("slate-sheets")  # a retired entry holds its fields
    lock["fields_digest"] = lock_fields_digest(lock)
    # retired three days after it was last built (the clock of that build ahead): the notice is dated then, not today
    retired_at = live["modified"] + 3 * 86400
    old_style = dict(live, tags=live["tags"] + [RETIRED], modified=retired_at,
                     hash=hashlib.sha256(json.dumps([live["hash"], RETIRED]).encode()).hexdigest()[:16])
    lock["retired"]["slate-sheets"] = old_style
    (project / "deck.lock").write_text(json.dumps(lock, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                                       encoding="utf-8")
    remove_card(project / "cards" / "other.yaml", "slate-sheets")

    status = json.loads(run_cli(project, "status", "--json").stdout)
    assert status["retired_in_deck"] == ["slate-sheets"] and status["notice_added"] == ["slate-sheets"]
    result = json.loads(_build(project, "--json").stdout)
    assert result["notice_added"] == ["slate-sheets"] and result["retired"] == []
    entry = _lock(project)["retired"]["slate-sheets"]
    assert entry["modified"] > retired_at and entry["fields"][1:] == live["fields"][1:]
    assert NOTICE.match(entry["fields"][0]).group(1) == _day(retired_at)

    import_apkg(learner.col, apkg(project))
    _assert_says_retired(notes_by_card_id(learner.col)["slate-sheets"], _day(retired_at),
                         "Into what does slate split?")
    learner.assert_history_intact()
    # once given, the notice stays as it is: the next build changes nothing
    assert json.loads(_build(project, "--json").stdout)["notice_added"] == []


def test_a_notice_template_with_markup_deckgen_never_writes_is_a_located_error(studied):
    project, _ = studied
    custom = project / "templates" / "fields" / "retired_notice.html"
    custom.parent.mkdir(parents=True, exist_ok=True)
    custom.write_text('<span style="font-weight: bold">Removed on [[ date ]]</span>\n', encoding="utf-8")
    lock_bytes = (project / "deck.lock").read_bytes()
    remove_card(project / "cards" / "other.yaml", "slate-sheets")
    for command in ("check", "build"):
        result = run_cli(project, command)
        assert result.returncode == 1, result.stdout
        assert re.search(r"^templates/fields/retired_notice\.html(:\d+)?: the retired-card notice holds",
                         result.stderr, re.M), result.stderr
    assert (project / "deck.lock").read_bytes() == lock_bytes


def test_a_hand_edited_notice_in_deck_lock_does_not_ship(studied):
    """The notice is in the stored fields, so the trust boundary's rules for them apply to it too."""
    project, _ = studied
    remove_card(project / "cards" / "other.yaml", "slate-sheets")
    _build(project)
    text = (project / "deck.lock").read_text(encoding="utf-8")
    edited = text.replace("<strong>Removed from this deck",
                          "<strong><img src=x onerror=alert(1)>Removed from this deck")
    assert edited != text
    (project / "deck.lock").write_text(edited, encoding="utf-8")
    result = run_cli(project, "build")
    assert result.returncode == 1 and "deck.lock:" in result.stderr and "slate-sheets" in result.stderr
