"""The lock stage's shortcuts compute exactly what the straightforward code computes.

* `write_lock` formats each card entry in one go (`_card_entry`, `_live_entry`) instead of through the
  generic recursive writer, and hashes the "fields" table as it writes it; the text must stay
  json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) plus a newline, for any strings, empty
  lists and tables, retired cards, and entries of unusual types in a hand-edited lock (those take the
  generic writer), with "fields_digest" the sha256 of the "fields" table's text.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from deckgen.lock import Lock, LockedCard, LockedNoteType, read_lock, serialize, write_lock
from helpers import REPO

# Every code point, lone surrogates included, weighted towards what JSON has to escape.
_TRICKY = st.sampled_from(['"', "\\", "\n", "\r", "\t", "\x00", "\x1f", "\x7f", "/", "é", "·", "\u2028",
                           "😀", "\ud83d", "\udca9", " ", "  ", "a"])
_TEXT = st.lists(_TRICKY | st.characters(blacklist_categories=()), max_size=8).map("".join)
_STRINGS = st.lists(_TEXT, max_size=4).map(tuple)
_TIME = st.integers(min_value=0, max_value=2**40)


def _cards(strings: st.SearchStrategy[tuple]) -> st.SearchStrategy[LockedCard]:
    return st.builds(LockedCard, guid=_TEXT, note_type=_TEXT, deck=_TEXT, tags=strings, fields=strings,
                     hash=_TEXT, modified=_TIME)


_CARD = _cards(_STRINGS)
_RETIRED = st.builds(lambda card: LockedCard(card.guid, card.note_type, card.deck,
                                             card.tags + ("deckgen::retired",), card.fields, card.hash,
                                             card.modified), _CARD)
_NOTE_TYPE = st.builds(LockedNoteType, id=_TIME, version=_TIME, fields=_STRINGS, hash=_TEXT, modified=_TIME)
_LOCK = st.builds(Lock, namespace=_TEXT, note_types=st.dictionaries(_TEXT, _NOTE_TYPE, max_size=2),
                  cards=st.dictionaries(_TEXT, _CARD, max_size=5), retired=st.dictionaries(_TEXT, _RETIRED, max_size=3))

# What a hand-edited lock may hold where a string or an int belongs: read_lock does not check.
_ODD = st.none() | st.booleans() | st.integers() | _TEXT | st.lists(st.integers() | _TEXT, max_size=2)
_ODD_CARD = st.builds(LockedCard, guid=_ODD, note_type=_ODD, deck=_ODD,
                      tags=st.lists(_ODD, max_size=3).map(tuple), fields=st.lists(_ODD, max_size=3).map(tuple),
                      hash=_ODD, modified=st.booleans() | _TIME | st.none(),
                      digests=st.integers().filter(bool) | st.lists(_TEXT, min_size=1, max_size=2) | _TEXT.filter(bool))


def _straightforward(lock: Lock) -> str:
    """The lock as the json module writes it: what write_lock's text is defined to be."""
    def card(c: LockedCard) -> dict:
        return {"guid": c.guid, "note_type": c.note_type, "deck": c.deck, "tags": list(c.tags),
                "fields": list(c.fields), "hash": c.hash, "modified": c.modified}

    def live(c: LockedCard) -> dict:
        return {"guid": c.guid, "note_type": c.note_type, "deck": c.deck, "tags": list(c.tags),
                "digests": c.digests, "hash": c.hash, "modified": c.modified}

    fields = {k: list(v.fields) for k, v in lock.cards.items()}
    table = json.dumps(fields, indent=1, sort_keys=True, ensure_ascii=False).replace("\n", "\n ")  # at depth 1
    data = {
        "format": 2,
        "namespace": lock.namespace,
        "note_types": {k: {"id": v.id, "version": v.version, "fields": list(v.fields), "hash": v.hash,
                           "modified": v.modified} for k, v in lock.note_types.items()},
        "cards": {k: live(v) for k, v in lock.cards.items()},
        "fields": fields,
        "fields_digest": hashlib.sha256(table.encode("utf-8", "surrogatepass")).hexdigest()[:16],
        "retired": {k: card(v) for k, v in lock.retired.items()},
        **({"id_base": lock.id_base} if lock.id_base else {}),
    }
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


@settings(max_examples=500, deadline=None)
@given(_LOCK)
def test_the_lock_is_written_as_the_json_module_writes_it(lock):
    assert serialize(lock) == _straightforward(lock)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_TEXT, _ODD_CARD, min_size=1, max_size=3))
def test_cards_of_unusual_types_are_written_as_the_json_module_writes_them(cards):
    lock = Lock("deck", cards=cards, retired=cards)
    assert serialize(lock) == _straightforward(lock)


@given(st.sampled_from([True, False, None]), _CARD)
def test_a_modification_time_that_is_not_an_int_is_written_as_the_json_module_writes_it(modified, card):
    lock = Lock("deck", cards={"a": LockedCard(card.guid, card.note_type, card.deck, card.tags, card.fields,
                                               card.hash, modified)})
    assert serialize(lock) == _straightforward(lock)


def test_empty_tables_and_lists_are_written_as_the_json_module_writes_them():
    card = LockedCard("g", "qa", "Deck", (), (), "0123456789abcdef", 1)
    for lock in (Lock("deck"), Lock("deck", cards={"a": card}), Lock("deck", retired={"a": card})):
        assert serialize(lock) == _straightforward(lock)


def test_write_lock_hands_over_the_same_text_in_pieces():
    card = LockedCard("g", "qa", "Deck", ("t",), ("a\nb", ""), "0123456789abcdef", 1)
    lock = Lock("deck", cards={"b": card, "a": card}, retired={"c": card})
    pieces: list[str] = []
    write_lock(lock, pieces.append)
    assert len(pieces) > 1 and "".join(pieces) == _straightforward(lock)


def test_the_committed_lock_is_written_back_byte_for_byte(tmp_path):
    text = (REPO / "deck.lock").read_text(encoding="utf-8")
    lock, problems = read_lock(REPO / "deck.lock", "deck.lock", "Calcinosis Cutis")
    assert lock is not None and not problems and lock.cards
    assert all(card.fields is None for card in lock.cards.values()), "a live card's fields are not read with the lock"
    cards = {card_id: lock.with_fields(card_id, card) for card_id, card in lock.cards.items()}
    assert all(card is not None and not unread for card, unread in cards.values()), "each is found and matches"
    lock = replace(lock, cards={card_id: card for card_id, (card, _) in cards.items()})
    assert serialize(lock) == _straightforward(lock) == text

