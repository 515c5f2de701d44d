"""Session 15b red-team of the rebuild's snapshot (the no-change probe's walk of the inputs is what a build starts
from, the walk at its end what it records), of `deckgen pull`, and of the user key.

The holes found: a folder listed while a file in it was away for a moment. The ledger (trust.reads_recorded) held
the bytes of every file a build read, the templates it looked for and did not find, and the card files it listed
(pipeline compares those with the snapshot), but not the documents it listed under sources/. A source that no
card being traced cites is listed, not read, for what lint calls the sources (a card may not name one): away
while that listing ran, the build passed a card that names it, its snapshots before and after matched, and the
stamp, the memo and the delta state vouched for it. Later builds shipped the card without the rule ever
running on it again, while `deckgen check` refuses it. So for the sources' names the delta state keeps, listed
after the build had checked its inputs; for a YAML file in a folder under cards/ (which refuses a build); and for
a changed card file that a delta rebuild, listing cards/, did not find: its new text was taken as built, unread.
Docstrings below that call something a HOLE describe it as it was found.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from deckgen import cli, delta_state, fastpath, pipeline, userkey
from deckgen.diagnostics import DeckgenFailure
from mini_project import make_project

# A second source whose author's name is words of the slate card's answer ("Thin flat sheets."): a card that
# says them names the source, which lint refuses (names-article).
NAMED_SOURCE = """\
---
title: "Notes"
publisher: deckgen tests
author: Thin Flat
language: en
---
## Pumice

Pumice floats on water.
"""


def _away_while_listed(monkeypatch, path: Path, parked: Path, module=pipeline, name: str = "document_paths") -> list:
    """`path` moved away while the build calls `module.name` to list a folder (by default sources/, for the sources'
    names: pipeline._source_names) and moved back as soon as that is done: the same file or folder, the same bytes,
    as an editor that moves the old file aside while it saves, or a `git stash` round trip, leaves it. The list
    returned gets an entry for each such call."""
    listing, calls = getattr(module, name), []

    def listed_while_away(*args, **options):
        os.rename(path, parked)
        calls.append(args)
        try:
            return listing(*args, **options)
        finally:
            os.rename(parked, path)

    monkeypatch.setattr(module, name, listed_while_away)
    return calls


def test_a_source_away_while_it_was_listed_is_not_vouched_for(tmp_path, monkeypatch):
    """HOLE (fixed): the build listed sources/ without notes.md, so lint did not know the name "Thin Flat" and
    passed the slate card, which says it; nothing read notes.md, the snapshots before and after matched, and
    the ledger held no listing. The stamp then answered the next `deckgen build`, the delta state was the next
    edit's base, and the memo let the next full build take the card as passed (a card's one-card rules are
    not run again on a card the memo remembers): three ways to ship a card `deckgen check` refuses."""
    project = make_project(tmp_path / "project")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    named = project / "sources" / "notes.md"
    named.write_text(NAMED_SOURCE, encoding="utf-8")
    with pytest.raises(DeckgenFailure) as refused:
        pipeline.check(project)
    assert any("names-article" in d.message for d in refused.value.diagnostics), refused.value.diagnostics

    _away_while_listed(monkeypatch, named, tmp_path / "parked.md")
    assert cli.main(["--project", str(project), "build"]) == 0, \
        "the build listed sources/ while notes.md was away (else this test shows nothing)"
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))

    assert named.read_text(encoding="utf-8") == NAMED_SOURCE
    assert fastpath.probe(project, drop_retired=False)[0] is None, \
        "the no-change stamp vouches for a build that listed sources/ without notes.md"
    assert delta_state.read(project, userkey.build_key(project)) is None, \
        "the delta state vouches for a build that listed sources/ without notes.md"
    with pytest.raises(DeckgenFailure) as next_build:
        pipeline.build(project)  # not --fresh: whatever the memo kept is used
    assert any("names-article" in d.message for d in next_build.value.diagnostics), next_build.value.diagnostics


def test_a_source_away_while_the_state_lists_it_after_the_build_is_not_recorded(tmp_path, monkeypatch):
    """HOLE (fixed): a build that traced no card (every one from the memo) and found no delta state to take the
    sources' names from listed sources/ for them only as it recorded its state — after it had checked that its
    inputs held. notes.md away while that listing ran: the state kept names without "Thin Flat", and the next
    edit, a delta rebuild, put the slate card's new answer, which names it, through lint with those names."""
    from deckgen import delta
    from mini_project import edit

    project = make_project(tmp_path / "project")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    named = project / "sources" / "notes.md"
    named.write_text(NAMED_SOURCE, encoding="utf-8")
    other = project / "cards" / "other.yaml"
    edit(other, "answer: Thin flat sheets.", "answer: Sheets.")
    edit(other, '"Slate splits into thin flat sheets."', '"Slate splits into ... sheets."')
    pipeline.build(project)
    (project / delta_state.PATH).unlink()  # gone (a rebuild that failed after forgetting it): the memo stays

    _away_while_listed(monkeypatch, named, tmp_path / "parked.md")
    pipeline.build(project)  # nothing to trace: the sources' names are listed for the state alone
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))

    edit(other, "answer: Sheets.", "answer: Thin flat sheets.")
    edit(other, '"Slate splits into ... sheets."', '"Slate splits into thin flat sheets."')
    with pytest.raises(DeckgenFailure):
        pipeline.check(project)
    assert delta.rebuild(project, 1_900_000_000) is None, \
        "a delta rebuild shipped a card that names a source, with the names a state listed while it was away"


def test_a_nested_card_file_away_while_cards_was_listed_is_not_vouched_for(tmp_path, monkeypatch):
    """HOLE (fixed): a YAML file in a folder under cards/ is refused (a build reads only cards/ itself: its cards
    would retire without a word). Such a folder away while the build looked through cards/ for one: the build
    passed, nothing read the file, the snapshots matched — and the stamp answered the next `deckgen build`, and
    the state let the next edit's delta rebuild (which lists only the files that changed) ship, while `deckgen
    check` refuses the project."""
    from deckgen import cards

    project = make_project(tmp_path / "project")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert cli.main(["--project", str(project), "build"]) == 0
    folder = project / "cards" / "old"
    folder.mkdir()
    os.rename(project / "cards" / "other.yaml", folder / "other.yaml")  # moved, not deleted: its cards would retire
    with pytest.raises(DeckgenFailure):
        pipeline.check(project)

    _away_while_listed(monkeypatch, folder, tmp_path / "parked", cards, "_nested_card_files")
    assert cli.main(["--project", str(project), "build"]) == 0, \
        "the build looked through cards/ while cards/old was away (else this test shows nothing)"
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert (folder / "other.yaml").exists()
    assert fastpath.probe(project, drop_retired=False)[0] is None, \
        "the no-change stamp vouches for a build that did not see the card file under cards/old/"
    assert delta_state.read(project, userkey.build_key(project)) is None, \
        "the delta state vouches for a build that did not see the card file under cards/old/"


def test_a_changed_card_file_away_while_a_delta_rebuild_listed_cards_is_not_vouched_for(tmp_path, monkeypatch):
    """HOLE (fixed): a delta rebuild lists cards/ and loads the changed files it finds there. The one changed file
    away while it listed (an editor that moves the old file aside as it saves the new one), another changed file
    there: nothing loaded the first, nothing read it, its cards were taken as unchanged — and the state and the
    stamp, recording the inputs as the snapshot found them, took its new text as built. Its cards kept their old rows,
    its new text never met the gate, and every later build (the stamp, the next delta rebuild) took it as done, while
    `deckgen check` refuses it."""
    from deckgen import delta
    from mini_project import edit

    project = make_project(tmp_path / "project")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert cli.main(["--project", str(project), "build"]) == 0
    other = project / "cards" / "other.yaml"
    edit(other, "answer: Soft and white.", "answer: Hard and black.")  # a claim its source does not make
    edit(project / "cards" / "igneous.yaml", "answer: From lava.", "answer: Lava.")  # a change that passes
    with pytest.raises(DeckgenFailure):
        pipeline.check(project)

    moved = _away_while_listed(monkeypatch, other, tmp_path / "parked.yaml", delta, "load_project")
    try:
        cli.main(["--project", str(project), "build"])  # refused now: the full build reads other.yaml
    finally:
        monkeypatch.undo()
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert moved, "no delta rebuild listed cards/ (else this test shows nothing)"
    assert "Hard and black." in other.read_text(encoding="utf-8")
    assert fastpath.probe(project, drop_retired=False)[0] is None, \
        "the no-change stamp vouches for cards/other.yaml's new text, which no build read"
    assert cli.main(["--project", str(project), "build"]) == 1, \
        "a later build took cards/other.yaml's new text as built, which the gate refuses"
