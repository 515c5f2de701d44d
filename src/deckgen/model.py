"""The typed records that flow between the pipeline's stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from .diagnostics import Location


class CardKind(str, Enum):
    QA = "qa"
    CLOZE = "cloze"


@dataclass(frozen=True, slots=True)
class DeckSettings:
    title: str
    description: str
    output: str
    location: Location


@dataclass(frozen=True, slots=True)
class SourceRef:
    """One citation on a card: a document id and a quoted passage from it."""

    doc: str
    quote: str
    location: Location  # where the citation entry starts
    doc_location: Location  # where `doc:` is
    quote_location: Location  # where `quote:` is


@dataclass(frozen=True, slots=True)
class Card:
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
    field_locations: dict[str, Location] = field(default_factory=dict, compare=False, hash=False)

    def locate(self, field_name: str) -> Location:
        return self.field_locations.get(field_name, self.location)


@dataclass(frozen=True, slots=True)
class CardFile:
    path: str
    deck: str
    tags: tuple[str, ...]
    cards: tuple[Card, ...]
    location: Location


@dataclass(frozen=True, slots=True)
class Project:
    """Everything the author wrote under cards/: deck settings, topic files, synonyms."""

    settings: DeckSettings
    files: tuple[CardFile, ...]
    synonyms: tuple[tuple[str, ...], ...]

    @property
    def cards(self) -> tuple[Card, ...]:
        return tuple(card for f in self.files for card in f.cards)
