"""A deck's identity in Anki: the namespace its new GUIDs, its note-type ids and its deck ids come from.

Anki tells one deck's notes from another's only by these numbers and strings, so two decks made with
deckgen must never share them, even when they have cards with the same id. `deckgen init` gives each
new project a namespace of its own (the title's words and 8 random hex digits), written in
cards/deck.yaml as `namespace:`; deck.lock records the namespace it was built with, and a build whose
deck.yaml names another is refused (it would make every learner's Anki see a second deck).

* a new card's GUID: genanki.guid_for(namespace, card id); once made it lives in deck.lock;
* a note type's id: stable_id(namespace, "notetype", key, version) (lock.py);
* a deck's id: stable_id(namespace, "deck", deck name) (package.py);
* the package's note and card ids: counted from deck.lock's id_base, which a deck's first build takes from
  its latest change time less a part of a day made from the namespace (lock.first_id_base).

deck.yaml without a namespace while deck.lock's cards have GUIDs of its namespace is refused (scoped_lock).

A project from before `init` (no `namespace` in deck.yaml) keeps what it always had: the namespace
deck.lock holds (made from the title at its first build) for ids, and genanki.guid_for("deckgen", id)
for new GUIDs, shared by every such project.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from .diagnostics import Diagnostic
from .model import DeckSettings

if TYPE_CHECKING:
    from .lock import Lock

LEGACY_GUID_NAMESPACE = "deckgen"  # what a new card's GUID was made from before namespaces
NAMESPACE_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_NAMESPACE = 64
SUFFIX_BYTES = 4  # 8 hex digits: two inits of one title collide with a chance of 1 in 4 billion
NAMESPACE_HINT = ("the namespace is the deck's identity in Anki, made once by deckgen init; "
                  "lowercase letters, digits and single '-' between them")


def namespace_problem(namespace: str) -> str | None:
    """Why `namespace` cannot be a deck's namespace, or None."""
    if not NAMESPACE_PATTERN.match(namespace) or len(namespace) > MAX_NAMESPACE:
        return f"namespace {namespace!r} must be at most {MAX_NAMESPACE} lowercase letters, digits and '-'"
    if namespace == LEGACY_GUID_NAMESPACE:
        return f"namespace '{LEGACY_GUID_NAMESPACE}' is reserved (the GUIDs of decks made before namespaces)"
    return None


# Latin letters that Unicode does not decompose into a base letter and a mark.
_LATIN_LETTERS = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "þ": "th",
                                "ł": "l", "ı": "i"})


def slug(text: str, limit: int) -> str:
    """`text` as lowercase ASCII words joined by '-', at most `limit` characters ("" when it has none):
    accents taken off ("Pâte levée" -> "pate-levee"), any other character a separator."""
    import unicodedata  # only init and a few hints make slugs: not loaded by every build

    folded = unicodedata.normalize("NFKD", text.lower().translate(_LATIN_LETTERS))
    ascii_text = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:limit].strip("-")


def new_namespace(title: str) -> str:
    """A fresh namespace for a new deck: the title's words, then random hex digits."""
    import secrets  # only `init` makes a namespace: not loaded by every build

    return f"{slug(title, 40) or 'deck'}-{secrets.token_hex(SUFFIX_BYTES)}"


def guid_namespace(settings: DeckSettings) -> str:
    """What a new card's GUID is made from."""
    return settings.namespace or LEGACY_GUID_NAMESPACE


def scoped_lock(lock: Lock, settings: DeckSettings, lock_found: bool) -> tuple[Lock, list[Diagnostic]]:
    """The lock under deck.yaml's namespace: taken as is by a first build, checked against deck.lock's after."""
    declared = settings.namespace
    if not declared and lock_found and built_with_namespace(lock):
        return lock, [Diagnostic(
            settings.location,
            f"deck.yaml names no namespace, but deck.lock was built with namespace '{lock.namespace}'",
            f"without it, new cards get the GUIDs every deck without a namespace shares, and could update another "
            f"deck's notes in a learner's Anki; put back 'namespace: {lock.namespace}'")]
    if not declared or declared == lock.namespace:
        return lock, []
    if not lock_found:
        return replace(lock, namespace=declared), []
    return lock, [Diagnostic(
        settings.namespace_location or settings.location,
        f"namespace '{declared}' is not the namespace deck.lock was built with ('{lock.namespace}')",
        f"the namespace is the deck's identity in every learner's Anki: another one would make a second deck "
        f"beside the first; put back 'namespace: {lock.namespace}'")]


def built_with_namespace(lock: Lock) -> bool:
    """Whether deck.lock's cards got their GUIDs from its namespace: the deck was built with `namespace:` in
    deck.yaml (a deck from before namespaces has only GUIDs of LEGACY_GUID_NAMESPACE, its lock's namespace
    made from its title). Read only when deck.yaml names none. A title such as "Deckgen" makes the lock's
    namespace the legacy GUIDs' own: its GUIDs say nothing then (and 'deckgen' cannot be put in deck.yaml)."""
    from .genanki_import import genanki

    return lock.namespace != LEGACY_GUID_NAMESPACE and any(card.guid == genanki.guid_for(lock.namespace, card_id)
               for table in (lock.cards, lock.retired) for card_id, card in table.items())
