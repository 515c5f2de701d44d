"""Attacks on the delta rebuild's handling of renamed_from and `new: true` (commit 8966e07): sequences of
edits where a card keeps a renamed_from or `new: true` after its build, each built by `delta.build` in one
twin and by a --fresh full build in the other. After every step both twins must agree: the same refusal
(or none), the same rows in the package's database, byte-identical deck.locks, and every GUID once."""

from __future__ import annotations

import errno
import json

import pytest

from deckgen import delta, pipeline
from deckgen.diagnostics import DeckgenFailure
from mini_project import apkg, apply, rows
from test_delta import NOW, twins  # noqa: F401  (the fixture)

RENAME_BASALT = ("cards/igneous.yaml", "  - id: basalt-origin\n",
                 "  - id: basalt-from-lava\n    renamed_from: basalt-origin\n")
EDIT_BASALT = ("cards/igneous.yaml", "answer: From lava.", "answer: From *lava*.")
EDIT_GRANITE = ("cards/igneous.yaml", "answer: Quartz and feldspar.", "answer: Quartz, feldspar.")
EDIT_CHALK = ("cards/other.yaml", "answer: Soft and white.", "answer: Soft, white.")
EDIT_MARBLE = ("cards/other.yaml", "answer: Limestone.", "answer: Limestone.\n    tags: [high-yield]")
EDIT_SLATE = ("cards/other.yaml", "answer: Thin flat sheets.", "answer: Thin, flat sheets.")
REMOVE_SLATE = ("REMOVE", "cards/other.yaml", "slate-sheets")
TOO_LATE = "renamed-from-too-late"
SLATE_CARD = ("  - id: slate-sheets\n    question: Into what does slate split?\n    answer: Thin flat sheets.\n"
              "    sources:\n      - doc: rock-guide\n        quote: \"Slate splits into thin flat sheets.\"\n\n")


def _outcome(project, number, build):
    try:
        return build(project, now=NOW + 100 * number), None
    except DeckgenFailure as failure:
        return None, sorted(d.code for d in failure.diagnostics)


def _guids(project):
    lock = json.loads((project / "deck.lock").read_text(encoding="utf-8"))
    return [e["guid"] for e in lock["cards"].values()] + [e["guid"] for e in lock["retired"].values()]


def run(twins, steps):  # noqa: F811
    """Each step applied to both twins and built; the kinds of build taken by the delta twin ("delta",
    "full", or the refusal's codes)."""
    rebuilt, fresh, scratch = twins
    taken = []
    for number, step in enumerate(steps, start=1):
        apply(rebuilt, step)
        apply(fresh, step)
        built, refused = _outcome(rebuilt, number, delta.build)
        _, refused_fresh = _outcome(fresh, number, lambda p, now: pipeline.build(p, now=now, fresh=True))
        assert refused == refused_fresh, f"step {number} {step}: delta {refused} vs fresh {refused_fresh}"
        taken.append(refused or ("delta" if built.project is None else "full"))
        if refused:
            continue
        assert rows(apkg(rebuilt), scratch) == rows(apkg(fresh), scratch), f"rows after step {number}: {step}"
        assert (rebuilt / "deck.lock").read_bytes() == (fresh / "deck.lock").read_bytes(), f"lock after {number}"
        guids = _guids(rebuilt)
        assert len(guids) == len(set(guids)), f"a GUID twice after step {number}"
    return taken


def test_a_chain_of_renames(twins):  # noqa: F811
    steps = [RENAME_BASALT, EDIT_BASALT, EDIT_GRANITE,
             ("cards/igneous.yaml", "  - id: basalt-from-lava\n    renamed_from: basalt-origin\n",
              "  - id: basalt-lava\n    renamed_from: basalt-from-lava\n"),
             ("cards/igneous.yaml", "answer: From *lava*.", "answer: From lava."), EDIT_GRANITE[::1][:1]
             + (EDIT_GRANITE[2], EDIT_GRANITE[1])]
    assert run(twins, steps) == ["full", "delta", "delta", "full", "delta", "delta"]


def test_renamed_from_a_retired_card_on_a_card_already_built(twins):  # noqa: F811
    """chalk-kind, already in the lock with a note of its own, declares renamed_from the retired slate-sheets:
    it cannot take slate-sheets' note over (the plan kept chalk-kind's own GUID without a word), so both refuse
    it (renamed-from-too-late); withdrawn, chalk-kind keeps its GUID and slate-sheets stays retired."""
    rebuilt, _, _ = twins
    guid_before = json.loads((rebuilt / "deck.lock").read_text())["cards"]["chalk-kind"]["guid"]
    steps = [REMOVE_SLATE,
             ("cards/other.yaml", "  - id: chalk-kind\n", "  - id: chalk-kind\n    renamed_from: slate-sheets\n"),
             EDIT_CHALK, EDIT_MARBLE,
             ("cards/other.yaml", "    renamed_from: slate-sheets\n", "")]
    assert run(twins, steps) == ["full", [TOO_LATE], [TOO_LATE], [TOO_LATE], "delta"]
    lock = json.loads((rebuilt / "deck.lock").read_text())
    assert lock["cards"]["chalk-kind"]["guid"] == guid_before and "slate-sheets" in lock["retired"]


def test_a_renamed_cards_old_id_comes_back_in_another_file(twins):  # noqa: F811
    back = ("cards/other.yaml", "cards:\n", "cards:\n  - id: basalt-origin\n    question: What cools from lava?\n"
            "    answer: Basalt.\n    sources:\n      - doc: rock-guide\n        quote: \"Basalt cools ... from lava\"\n\n")
    steps = [RENAME_BASALT, EDIT_BASALT, back, EDIT_BASALT[:1] + (EDIT_BASALT[2], EDIT_BASALT[1]),
             (back[0], back[2], back[1]), EDIT_CHALK, EDIT_BASALT]
    taken = run(twins, steps)
    assert taken[:2] == ["full", "delta"] and "renamed-from-live" in taken[2], taken
    assert taken[5:] == ["delta", "delta"], taken


def test_two_cards_claim_one_renamed_from_across_files(twins):  # noqa: F811
    """basalt-from-lava took basalt-origin's note, so basalt-origin is no longer in the lock: chalk-kind, built
    with a note of its own, naming it names no card, and both refuse it (renamed-from-unknown)."""
    steps = [RENAME_BASALT,
             ("cards/other.yaml", "  - id: chalk-kind\n", "  - id: chalk-kind\n    renamed_from: basalt-origin\n"),
             EDIT_CHALK, EDIT_BASALT, EDIT_GRANITE]
    taken = run(twins, steps)
    assert taken == ["full"] + [["renamed-from-unknown"]] * 4, taken


def test_a_new_card_takes_a_retired_id_a_built_card_still_names(twins):  # noqa: F811
    """granite-minerals (built) names the retired slate-sheets, refused (renamed-from-too-late); a new card then
    takes slate-sheets over by renamed_from: granite's file comes first, and its claim is still the one refused."""
    take_over = ("cards/other.yaml", "  - id: chalk-kind\n",
                 "  - id: slate-split\n    renamed_from: slate-sheets\n    question: How does slate split?\n"
                 "    answer: Into thin flat sheets.\n    sources:\n      - doc: rock-guide\n"
                 "        quote: \"Slate splits into thin flat sheets.\"\n\n  - id: chalk-kind\n")
    steps = [REMOVE_SLATE,
             ("cards/igneous.yaml", "  - id: granite-minerals\n",
              "  - id: granite-minerals\n    renamed_from: slate-sheets\n"),
             take_over, EDIT_GRANITE, EDIT_CHALK,
             ("cards/other.yaml", "answer: Into thin flat sheets.", "answer: Into thin, flat sheets.")]
    assert run(twins, steps) == ["full"] + [[TOO_LATE]] * 5


def test_new_true_toggled(twins):  # noqa: F811
    steps = [("cards/igneous.yaml", "  - id: granite-minerals\n", "  - id: granite-minerals\n    new: true\n"),
             EDIT_GRANITE, EDIT_BASALT,
             ("cards/igneous.yaml", "    new: true\n", "    new: false\n"),
             EDIT_GRANITE[:1] + (EDIT_GRANITE[2], EDIT_GRANITE[1]),
             ("cards/igneous.yaml", "    new: false\n", ""), EDIT_GRANITE]
    assert run(twins, steps) == ["full", "delta", "delta", "full", "delta", "delta", "delta"]


def test_retired_and_brought_back_then_edited(twins):  # noqa: F811
    steps = [REMOVE_SLATE, ("cards/other.yaml", "  - id: chalk-kind\n", SLATE_CARD + "  - id: chalk-kind\n"),
             EDIT_SLATE, EDIT_CHALK]
    assert run(twins, steps) == ["full", "full", "delta", "delta"]


def test_renamed_to_a_retired_id_then_edited(twins):  # noqa: F811
    """basalt-origin renamed onto the id of the retired slate-sheets' neighbour, then the lock's first and
    last live entries (alphabetically) edited together with the renamed one."""
    steps = [RENAME_BASALT, REMOVE_SLATE, ("cards/other.yaml", "  - id: chalk-kind\n",
                                           SLATE_CARD + "  - id: chalk-kind\n"),
             EDIT_BASALT, EDIT_SLATE, EDIT_CHALK, EDIT_MARBLE, EDIT_GRANITE]
    # A rename declared, a card removed and one added go to the full pipeline (delta._edited); each edit in place
    # after them, the renamed card's included, is a rebuild: else this compared two full builds, whatever a rebuild
    # does with a renamed entry.
    assert run(twins, steps) == ["full", "full", "full", "delta", "delta", "delta", "delta", "delta"]


@pytest.mark.parametrize("sendfile", ["kernel", "cannot"])
def test_every_entry_at_once_first_and_last_of_each_table(twins, monkeypatch, sendfile):  # noqa: F811
    if sendfile == "cannot":
        def cannot(*args):
            raise OSError(errno.EINVAL, "not here")
        monkeypatch.setattr(delta.os, "sendfile", cannot)
    rebuilt, fresh, _ = twins
    cloze = ("cards/igneous.yaml", 'cloze: "Obsidian is a {{c1::volcanic glass}}."',
             'cloze: "Obsidian is {{c1::volcanic glass}}."')
    for project in (rebuilt, fresh):
        for step in (EDIT_BASALT, EDIT_GRANITE, cloze, EDIT_CHALK, EDIT_MARBLE):
            apply(project, step)
    assert run(twins, [EDIT_SLATE]) == ["delta"]


def test_a_short_sendfile_is_finished(twins, monkeypatch):  # noqa: F811
    real = delta.os.sendfile

    def short(out, source, offset, count):
        return real(out, source, offset, min(count, 7))

    monkeypatch.setattr(delta.os, "sendfile", short)
    assert run(twins, [EDIT_BASALT, EDIT_SLATE]) == ["delta", "delta"]


def test_a_rename_declared_new_too_then_requoted(twins):  # noqa: F811
    steps = [("cards/igneous.yaml", "  - id: basalt-origin\n",
              "  - id: basalt-from-lava\n    renamed_from: basalt-origin\n    new: true\n"),
             EDIT_BASALT,
             ("cards/igneous.yaml", "renamed_from: basalt-origin\n    new: true\n",
              "renamed_from: \"basalt-origin\"\n    new: 'true'\n"),
             EDIT_GRANITE]
    assert run(twins, steps) == ["full", "delta", "delta", "delta"]


def test_a_new_card_earlier_in_the_deck_claims_what_a_built_card_names(twins):  # noqa: F811
    """chalk-kind (built, other.yaml) names the retired slate-sheets: refused (renamed-from-too-late); a new
    card in igneous.yaml, planned first, takes slate-sheets over: the plan refuses chalk-kind's claim then as
    taken (renamed-from-taken), in both."""
    claim = ("cards/igneous.yaml", "  - id: granite-minerals\n",
             "  - id: slate-split\n    renamed_from: slate-sheets\n    question: How does slate split?\n"
             "    answer: Into thin flat sheets.\n    sources:\n      - doc: rock-guide\n"
             "        quote: \"Slate splits into thin flat sheets.\"\n\n  - id: granite-minerals\n")
    steps = [REMOVE_SLATE,
             ("cards/other.yaml", "  - id: chalk-kind\n", "  - id: chalk-kind\n    renamed_from: slate-sheets\n"),
             claim, (claim[0], claim[2], claim[1]), EDIT_CHALK, EDIT_GRANITE]
    taken = run(twins, steps)
    assert taken == ["full", [TOO_LATE], ["renamed-from-taken"], [TOO_LATE], [TOO_LATE], [TOO_LATE]], taken
