"""`deckgen status`: what the next build changes against deck.lock, without writing anything."""

from __future__ import annotations

import difflib
import re
import textwrap
import time
from typing import TYPE_CHECKING

from .diagnostics import plural, still_shipped

if TYPE_CHECKING:  # annotations only: a build's summary imports this module for its wording (moved_note), and
    from .lock import LockedCard, Plan  # must not load the lock's stack with it

_TAG = re.compile(r"<[^>]+>")
_BLOCK_TAG = re.compile(r"</?(?:br|p|div|li|ul|ol|figure|figcaption|blockquote|details|summary)\b[^>]*>", re.I)
_FIGURE = re.compile(r"<figure\b.*?</figure>", re.I | re.S)
_CAPTION = re.compile(r"<figcaption\b.*?</figcaption>", re.I | re.S)
_MARK = re.compile(r"<(/?)mark\b[^>]*>", re.I)
_CELL_END = re.compile(r"</t[dh]>(?=\s*<t[dh]\b)", re.I)


def describe_plan(plan: Plan, removed_deck: str) -> dict:
    """What `plan` changes, and where the retired notes it ships go (`removed_deck`, DeckSettings.removed_deck)."""
    fields = {key: nt.fields for key, nt in plan.lock.note_types.items()}
    return {
        "added": [c.card_id for c in plan.added],
        "changed": [{"id": c.card_id, "fields": _field_diffs(c.old, c.new, fields)} for c in plan.changed],
        "renamed": [{"from": c.renamed_from, "to": c.card_id,  # and what else changed: CardId always does
                     "fields": [d for d in _field_diffs(c.old, c.new, fields) if d["field"] != "CardId"]}
                    for c in plan.renamed],
        "revived": [{"id": c.card_id, "retired_at": c.old.modified, "fields": _field_diffs(c.old, c.new, fields)}
                    for c in plan.revived],
        "suspected_renames": [{"from": old, "to": new} for old, new in plan.suspected_renames],
        "retired": [c.card_id for c in plan.retired],
        "retired_in_deck": list(plan.retired_in_deck),
        "removed_deck": removed_deck,
        "notice_added": list(plan.noticed),
        "dropped": list(plan.dropped),
        "note_types_changed": list(plan.note_types_changed),
        "note_types_added": list(plan.note_types_added),
        "unchanged": len(plan.unchanged),
    }


def _field_diffs(old: LockedCard | None, new: LockedCard | None, names: dict[str, tuple[str, ...]]) -> list[dict]:
    if old is None or new is None:
        return []
    diffs = []
    for name, before, after in zip(names.get(new.note_type, ()), old.fields, new.fields):
        if before != after:
            diffs.append({"field": name, **_readable(name, before, after)})
    if old.tags != new.tags:
        diffs.append({"field": "tags", "before": " ".join(old.tags), "after": " ".join(new.tags)})
    if old.deck != new.deck:
        diffs.append({"field": "deck", "before": old.deck, "after": new.deck})
    return diffs


def _readable(name: str, before: str, after: str) -> dict[str, str]:
    """A changed field as text without tags; a change of markup alone ("*gas*") as its HTML. The Sources field:
    one line per citation, its quoted words in [brackets], without the captions unless they alone changed."""
    if name == "Sources":
        for captions in (False, True):
            shown = {"before": _citations(before, captions), "after": _citations(after, captions)}
            if shown["before"] != shown["after"]:
                return shown
    elif _plain(before) != _plain(after):
        return {"before": _plain(before), "after": _plain(after)}
    return {"before": before, "after": after}


def _citations(html: str, captions: bool) -> str:
    """The citations of a Sources field, one a line: the quote's sentence, its quoted words in [brackets], the
    cells of a quoted table row apart by " | ", and with `captions`, its caption after " — "; a field of no
    <figure> (a project's own template) as plain text."""
    figures = _FIGURE.findall(html) or [html]
    lines = []
    for figure in figures:
        caption = _CAPTION.search(figure)
        text = _plain(_CELL_END.sub(" | ", _MARK.sub(lambda m: "]" if m.group(1) else "[", _CAPTION.sub("", figure))))
        if captions and caption:
            text = f"{text} — {_plain(caption.group(0))}" if text else _plain(caption.group(0))
        lines.append(text)
    return "\n".join(lines)


def _plain(html: str) -> str:
    """The text of a field: a block's tags part words, an inline tag ("<em>") is taken out."""
    return " ".join(_TAG.sub("", _BLOCK_TAG.sub(" ", html)).split())


def format_status(status: dict) -> str:
    lines = []
    for card_id in status["added"]:
        lines.append(f"+ {card_id}")
    for change in status["changed"]:
        lines.append(f"~ {change['id']}")
        lines += _diff_lines(change["fields"])
    for rename in status["renamed"]:
        lines.append(f"> {rename['from']} -> {rename['to']}")
        lines += _diff_lines(rename["fields"])
    for revived in status.get("revived", []):
        lines.append(f"< {revived['id']} (brought back: retired {_day(revived['retired_at'])}; the learner's note "
                     f"returns with its reviews; if this is a new fact, give it a new id)")
        lines += _diff_lines(revived["fields"])
    for rename in status["suspected_renames"]:
        lines.append(f"? {rename['from']} -> {rename['to']}: looks alike (same passages, similar question and "
                     f"answer); add 'renamed_from: {rename['from']}' to keep the note and its reviews, or 'new: true' "
                     f"if it is new (build refuses it as is)")
    for card_id in status["retired"]:
        lines.append(f"- {card_id} (retired: ships in the deck '{status['removed_deck']}' with its removal notice, "
                     f"tagged deckgen::retired)")
    for card_id in status.get("notice_added", []):
        lines.append(f"! {card_id} (retired earlier: now says so on both sides, dated when it was retired)")
    for card_id in status["dropped"]:
        lines.append(f"x {card_id} (dropped)")
    for key in status.get("note_types_added", []):
        lines.append(f"* note type {key} added")
    for key in status["note_types_changed"]:
        lines.append(f"* note type {key} changed")
    if not lines:
        lines.append(f"nothing to build: {plural(status['unchanged'], 'card')} unchanged")
    else:
        lines.append(f"({plural(status['unchanged'], 'card')} unchanged)")
    retired = _retired_in_deck(status["retired_in_deck"], status["removed_deck"])
    return "\n".join(lines + moved_note(status) + retired)


def _day(seconds: int) -> str:
    """The UTC day of a lock entry's modification time (when a retired card was retired)."""
    return time.strftime("%Y-%m-%d", time.gmtime(seconds))


def _diff_lines(diffs: list[dict]) -> list[str]:
    """For each field that changed, its lines that went ("-") and came ("+"): none of a side that was empty (an
    extra added), and of a field of several lines (the citations) only those that changed."""
    return [f"    {diff['field']}: {line}" for diff in diffs
            for line in difflib.ndiff(diff["before"].splitlines(), diff["after"].splitlines()) if line[:1] in "-+"]


def moved_note(status: dict) -> list[str]:
    """That the cards moving to another subdeck stay where a learner has them (README: Renaming a subdeck)."""
    ids = [change.get("id") or change["to"] for change in status["changed"] + status["renamed"]
           + status.get("revived", []) if any(diff["field"] == "deck" for diff in change["fields"])]
    if not ids:
        return []
    moved = len(ids)
    named = ", ".join(ids[:_NAMED_MOVES]) + (f" and {moved - _NAMED_MOVES:,} more" if moved > _NAMED_MOVES else "")
    return [f"{plural(moved, 'card')} {'moves' if moved == 1 else 'move'} to another subdeck ({named}): a learner who "
            f"has {'it keeps it' if moved == 1 else 'them keeps them'} in the old one (Anki moves no card on import; "
            f"in Anki: Browse, Change Deck)"]


_NAMED_MOVES = 3  # the cards a note of moved cards names; `deckgen status` lists each


def _retired_in_deck(card_ids: list[str], removed_deck: str) -> list[str]:
    """The retired cards every build still ships (each with its removal notice), to delete in Anki."""
    if not card_ids:
        return []
    return [f"{still_shipped(len(card_ids), 'retired card', removed_deck, 'build --drop-retired')}:",
            *textwrap.wrap(", ".join(card_ids), width=100, initial_indent="  ", subsequent_indent="  ",
                           break_on_hyphens=False)]

