"""Notes an earlier build already checked and rendered, reused while nothing they depend on changed.

Tracing a card against its sources and rendering its note are pure functions of the card's content
and of a *context*: the source documents, the templates, the deck settings, the synonyms and
deckgen itself (its code, the installed packages, the Python running them). After a successful
build, `deckgen build` records every note it made in build/.deckgen-memo.json, keyed by a digest of
its card's content, together with a digest of that context. The next build reuses a recorded note
for a card whose content digest is unchanged, if the context digest is unchanged too; any other
card is traced and rendered as usual, and any change to the context discards the whole memo.

So a rebuild after editing one card traces one card. The memo is never needed: a missing, damaged
or foreign memo only means every card is traced again, which is what `deckgen check` always does.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Collection

from . import fastpath
from .model import Card
from .render import Note

MEMO = Path("build") / ".deckgen-memo.json"
MEMO_FORMAT = 1
CONTEXT_FOLDERS = ("sources", "templates")
CONTEXT_FILES = ("cards/deck.yaml", "cards/synonyms.yaml")


class Memo:
    """The notes of the last successful build that are still valid in the present context."""

    def __init__(self, root: Path, context: str | None, notes: dict[str, list] | None):
        self.root = root
        self.context = context
        self.valid = notes is not None  # recorded by a successful build in this very context
        self._notes = notes or {}
        self._digests: dict[str, str] = {}  # card id -> content digest, worked out once per build
        self.reused = 0

    @classmethod
    def open(cls, root: Path) -> Memo:
        context = fastpath.digest_of(root, CONTEXT_FOLDERS, CONTEXT_FILES)
        return cls(root, context, _read(root / MEMO, context) if context is not None else None)

    def note(self, card: Card) -> Note | None:
        """The note an earlier build made from exactly this card, or None."""
        if not self.valid:
            return None
        digest = self._digests[card.id] = card_digest(card)
        entry = self._notes.pop(digest, None)  # each entry is used once: let it go as soon as it is
        if entry is None:
            return None
        self.reused += 1
        note_type, deck, fields, tags = entry
        return Note(card, note_type, deck, tuple(fields), tuple(tags))

    def save(self, notes: Collection[Note]) -> None:
        """Record this build's notes, unless the context changed while the build read it."""
        path = self.root / MEMO
        if self.valid and self.reused == len(notes) and not self._notes:
            return  # every note came from the memo and it holds no others: it is up to date
        if self.context is None or fastpath.digest_of(self.root, CONTEXT_FOLDERS, CONTEXT_FILES) != self.context:
            _forget(path)
            return
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        try:
            with open(partial, "w", encoding="utf-8") as memo:
                memo.write(f'{{"format": {MEMO_FORMAT}, "context": {json.dumps(self.context)}, "notes": {{')
                separator = ""
                for note in notes:  # one entry at a time: a large deck's memo is never held in memory
                    digest = self._digests.get(note.card.id) or card_digest(note.card)
                    entry = [note.note_type, note.deck, note.fields, note.tags]
                    memo.write(f"{separator}{json.dumps(digest)}: {json.dumps(entry, ensure_ascii=False)}")
                    separator = ", "
                memo.write("}}")
            os.replace(partial, path)
        except OSError:  # only a missed shortcut: the next build traces every card
            partial.unlink(missing_ok=True)
            _forget(path)


def card_digest(card: Card) -> str:
    """Everything about a card that its note depends on; not where it is written in the file."""
    content = [card.id, card.kind.value, card.deck, card.question, card.answer, card.cloze, card.extra,
               card.tags, [(s.doc, s.quote) for s in card.sources]]
    return fastpath.text_digest(json.dumps(content, ensure_ascii=False))


def _read(path: Path, context: str) -> dict[str, list] | None:
    """The recorded notes, if the memo was recorded in this context and is intact; else None."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != MEMO_FORMAT or data.get("context") != context:
        return None
    notes = data.get("notes")
    if not isinstance(notes, dict) or not all(_well_formed(entry) for entry in notes.values()):
        return None
    return notes


def _well_formed(entry: object) -> bool:
    return (isinstance(entry, list) and len(entry) == 4 and isinstance(entry[0], str) and isinstance(entry[1], str)
            and all(isinstance(part, list) and all(isinstance(s, str) for s in part) for part in entry[2:]))


def _forget(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass
