"""The typed records that flow between the pipeline's stages.

NamedTuples rather than frozen dataclasses: Python writes and compiles a frozen dataclass's methods every time
it imports its module, and a rebuild after one edit is mostly Python importing deckgen (README, Performance).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from enum import Enum
from typing import NamedTuple

from .diagnostics import Location


class CardKind(str, Enum):
    QA = "qa"
    CLOZE = "cloze"


# What the removed-cards deck's name adds to the title. Anki finds decks by name, so no deck's title may end
# so (cards.py, init.py): its notes would go into another deck's removed-cards deck. Not a template, as the
# deck's description is (decks/removed_description.txt): that refusal holds only while every deckgen deck
# adds the same words, and init checks a title before its project has any templates.
REMOVED_DECK_SUFFIX = " (removed cards)"


class DeckSettings(NamedTuple):
    title: str
    description: str
    output: str
    location: Location
    # The deck's identity in Anki (see identity.py): "" for a project from before `deckgen init`.
    namespace: str = ""
    namespace_location: Location | None = None  # where deck.yaml gives it

    @property
    def removed_deck(self) -> str:
        """The top-level deck the retired notes ship in, beside the deck (package.deck_order)."""
        return self.title + REMOVED_DECK_SUFFIX


# A card's keys, in the order its field_offsets records where each one's value is written.
CARD_FIELDS = ("id", "question", "answer", "cloze", "extra", "tags", "sources", "renamed_from", "new")
# A card file's keys whose places its field_offsets records, in that order.
FILE_FIELDS = ("deck", "tags")


def _below(location: Location, lines: int, column: int) -> Location:
    return Location(location.path, location.line + lines, column)


def _located(location: Location, offsets: tuple[int, ...], key: int) -> Location:
    """Where the value of the `key`-th key is written, by `offsets` ((lines below `location`, column) for each key,
    -1 for a key not written); `location` itself without them."""
    at = 2 * key
    if at < len(offsets) and offsets[at] >= 0:
        return _below(location, offsets[at], offsets[at + 1])
    return location


class SourceRef(NamedTuple):
    """One citation on a card: a document id and a quoted passage from it."""

    doc: str
    quote: str
    location: Location  # where the citation entry starts
    # Where `doc:` and `quote:` are written: lines below `location` and column, for each. Small numbers
    # rather than two more Locations, since a large deck has tens of thousands of citations.
    # Without them, both are taken to be at `location`.
    key_offsets: tuple[int, ...] = ()

    @property
    def doc_location(self) -> Location:
        return _below(self.location, *self.key_offsets[0:2]) if self.key_offsets else self.location

    @property
    def quote_location(self) -> Location:
        return _below(self.location, *self.key_offsets[2:4]) if self.key_offsets else self.location


class Card(NamedTuple):
    id: str
    kind: CardKind
    deck: str  # subdeck name, e.g. "Types"
    question: str  # QA only ("" for cloze)
    answer: str  # QA only ("" for cloze)
    cloze: str  # cloze only ("" for QA)
    extra: str
    tags: tuple[str, ...]  # file tags + card tags, in order, without duplicates
    sources: tuple[SourceRef, ...]
    renamed_from: str
    location: Location  # the card's `- id:` entry
    # Where each of CARD_FIELDS is written, as (lines below `location`, column) pairs, -1 when absent.
    field_offsets: tuple[int, ...] = ()
    # `new: true`: the author says this card is new, though it looks like a card that left the deck
    # (lock.py would otherwise refuse it as a rename without renamed_from).
    is_new: bool = False

    def locate(self, field_name: str) -> Location:
        """Where the value of one of the card's keys is written (the card's entry if it has none)."""
        return _located(self.location, self.field_offsets, CARD_FIELDS.index(field_name))


class CardFile(NamedTuple):
    path: str
    deck: str
    tags: tuple[str, ...]
    cards: tuple[Card, ...]
    location: Location  # the file's top-level mapping
    # Where the values of `deck:` and `tags:` are written, as Card.field_offsets records a card's keys.
    field_offsets: tuple[int, ...] = ()

    def locate(self, key: str) -> Location:
        """Where the value of the file's `deck` or `tags` is written (the file's mapping if it has none)."""
        return _located(self.location, self.field_offsets, FILE_FIELDS.index(key))


class Lexicon(NamedTuple):
    """The deck's decisive terms by kind and its frame words (cards/vocabulary.yaml).

    Terms of one kind are siblings ("dystrophic" and "metastatic", two drugs, two body sites): the
    gate lets such a term in a question rest on a section heading only while the heading names no
    sibling, and the mutation tests swap siblings. Frame words are the few words a card may use that
    claim nothing of their own ("term", "condition"): the gate does not ask a passage for them.
    """

    kinds: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (kind, its terms), in file order
    frame: tuple[str, ...] = ()


class Project(NamedTuple):
    """Everything the author wrote under cards/: deck settings, topic files, synonyms, vocabulary."""

    settings: DeckSettings
    files: tuple[CardFile, ...]
    synonyms: tuple[tuple[str, ...], ...]
    lexicon: Lexicon = Lexicon()

    @property
    def cards(self) -> tuple[Card, ...]:
        return tuple(card for f in self.files for card in f.cards)


def shared_offsets(offsets: tuple[int, ...]) -> tuple[int, ...]:
    """One object for each distinct tuple of a card's or a source's offsets (as sys.intern is for strings):
    cards written alike have the same offsets, so a large deck holds a few hundred such tuples rather than
    one per card and source (2.5 MiB at 10,000 cards)."""
    return _SHARED_OFFSETS.setdefault(offsets, offsets)


_SHARED_OFFSETS: dict[tuple[int, ...], tuple[int, ...]] = {}


def shared_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """One object for each distinct tuple of tags, each tag one string (sys.intern): a large deck has a
    few dozen tags, in a few dozen combinations, rather than a tuple and its strings per card and note
    (2 MiB of a one-card rebuild at 10,000 cards, where the memo gives every card and note)."""
    tags = tuple(sys.intern(tag) for tag in tags)
    return _SHARED_TAGS.setdefault(tags, tags)


_SHARED_TAGS: dict[tuple[str, ...], tuple[str, ...]] = {}
