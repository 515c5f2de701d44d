"""locktext.LockText reads deck.lock by the piece: its tables' places from the file's ends and by bisection, each
edited card's entry by bisection over its table's key lines, the "fields" table in blocks for its digest.

* Every card of a lock written by lock.serialize is found, with the very entry and fields it holds, at the place
  a search of the whole text finds it — with ids that are prefixes of one another, that JSON escapes, that are not
  ASCII, and fields longer than a read's window; and again with a window of 16 bytes, so that most key lines
  and closing lines are split across reads.
* A card not in the lock is None, wherever its id would sort.
* The lock spliced with new entries is byte for byte what lock.serialize writes for the lock with those entries.
* A lock not laid out as deckgen writes it (indented otherwise, cut short, its keys out of order) gives None, or
  the right entry: never another card's.
"""

from __future__ import annotations

import json
import os
import random
from dataclasses import replace
from pathlib import Path

import pytest

from deckgen import locktext
from deckgen.lock import Lock, LockedCard, LockedNoteType, serialize
from deckgen.locktext import LockText, Splice


def _ids() -> list[str]:
    ids = ["a", "a-b", "a-b-c", "ab", "b", 'quote"d', "back\\slash", "caf\u00e9", "z\u00fcrich-1", "\u65e5\u672c"]
    ids += [f"card-{n:04d}" for n in range(0, 600, 3)] + [f"card-{n}" for n in range(7, 90, 11)]
    return ids


def _lock() -> Lock:
    rng = random.Random(7)
    cards = {}
    for number, card_id in enumerate(_ids()):
        long = "x" * rng.choice([10, 100, 20_000])  # some fields longer than a read's window
        fields = (f"Question {number}?", f"Answer\nwith a line break {number}", long, card_id)
        cards[card_id] = LockedCard(f"guid{number:06d}", "qa", f"Deck::Part {number % 3}",
                                    ("tag-a", f"tag-{number}"), fields, f"{number:016x}", 1_700_000_000 + number)
    note_types = {"qa": LockedNoteType(1234, 1, ("Front", "Back", "Extra", "CardId"), "ab" * 8, 1_700_000_000)}
    return Lock("test-deck", note_types, cards, id_base=1_700_000_000)


@pytest.fixture
def written(tmp_path) -> tuple[Lock, Path]:
    lock = _lock()
    path = tmp_path / "deck.lock"
    path.write_bytes(serialize(lock).encode("utf-8", "surrogatepass"))
    return lock, path


def _open(path: Path) -> int:
    return os.open(path, os.O_RDONLY)


def _searched(text: bytes, card_id: str, opener: bytes, closing: bytes, start: int) -> tuple[int, int]:
    """Where a search of the whole text finds a card's value (as delta.py did before it read by the piece)."""
    key = b"\n  " + json.dumps(card_id, ensure_ascii=False).encode("utf-8", "surrogatepass") + b": " + opener
    at = text.index(key, start)
    return at + len(key) - 1, text.index(closing, at + len(key)) + len(closing)


@pytest.mark.parametrize("window", [locktext._WINDOW, 16])
def test_every_card_is_found_with_its_entry_where_a_search_finds_it(written, monkeypatch, window):
    lock, path = written
    monkeypatch.setattr(locktext, "_WINDOW", window)
    text = path.read_bytes()
    source = _open(path)
    try:
        found = LockText.find(source)
        assert found is not None
        fields_at = text.index(b'\n "fields": {')
        assert (found.cards_end, found.fields_start) == (fields_at, fields_at + len(b'\n "fields": '))
        end_marker = b'\n },\n "fields_digest": '
        assert text[found.fields_end - 3:found.fields_end - 3 + len(end_marker)] == end_marker
        assert (found.namespace, found.note_types, found.id_base) == (lock.namespace, lock.note_types, lock.id_base)
        for card_id, card in lock.cards.items():
            assert found.entry(card_id) == card, card_id
            assert found._spans(card_id) == (_searched(text, card_id, b"{", b"\n  }", 0),
                                             _searched(text, card_id, b"[", b"\n  ]", fields_at)), card_id
    finally:
        os.close(source)


def test_a_card_not_in_the_lock_is_none_wherever_it_would_sort(written):
    lock, path = written
    source = _open(path)
    try:
        found = LockText.find(source)
        for card_id in ("", "0", "a-", "a-b-c-d", "card-0001", "card-9999", "zzz", "\uffff"):
            assert card_id not in lock.cards
            assert found.entry(card_id) is None, card_id
    finally:
        os.close(source)


def test_the_spliced_lock_is_what_serialize_writes(written, tmp_path):
    lock, path = written
    changed = {"a": replace(lock.cards["a"], tags=("tag-a", "high-yield"), hash="f" * 16),
               "card-0300": replace(lock.cards["card-0300"], fields=("New question?", "New", "", "card-0300"),
                                    digests="", modified=1_800_000_000),
               "\u65e5\u672c": replace(lock.cards["\u65e5\u672c"], deck="Deck::Other")}
    source, target = _open(path), tmp_path / "spliced"
    try:
        with open(target, "wb", buffering=0) as out:
            LockText.find(source).write_spliced([Splice(k, v) for k, v in changed.items()], out.fileno())
    finally:
        os.close(source)
    expected = replace(lock, cards={**lock.cards, **changed})
    assert target.read_bytes() == serialize(expected).encode("utf-8", "surrogatepass")


def test_a_lock_in_another_layout_is_none_or_right_never_another_cards(written, tmp_path):
    lock, path = written
    text = path.read_bytes()
    data = json.loads(text)
    others = {
        "indented by two": json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False).encode() + b"\n",
        "cut short": text[:len(text) // 2],
        "cut in its small tables": text[:-40],
        "keys out of order": json.dumps({**data, "cards": dict(reversed(list(data["cards"].items())))}, indent=1,
                                        ensure_ascii=False).encode() + b"\n",
    }
    for name, other in others.items():
        target = tmp_path / name
        target.write_bytes(other)
        source = _open(target)
        try:
            found = LockText.find(source)
            if found is None:
                continue
            for card_id, card in lock.cards.items():
                assert found.entry(card_id) in (None, card), (name, card_id)
        finally:
            os.close(source)


def _reshaped(text: bytes, card_id: str, table_opener: bytes, new_value: bytes) -> bytes:
    """The lock with one card's value in one table replaced, its key line kept."""
    key = b"\n  " + json.dumps(card_id, ensure_ascii=False).encode() + b": "
    start = text.index(key + table_opener)
    close = b"\n  }" if table_opener == b"{" else b"\n  ]"
    end = text.index(close, start) + len(close)
    return text[:start] + key + new_value + text[end:]


def test_a_cards_entry_made_a_list_puts_the_tables_boundary_in_doubt(written, tmp_path):
    """The first line of "fields" is found as the first key whose value opens with "[": the last "cards" entry
    made a list would be taken for it, and is refused by the "fields" key that must come just before."""
    lock, path = written
    target = tmp_path / "odd"
    target.write_bytes(_reshaped(path.read_bytes(), max(lock.cards), b"{", b"[\n   1\n  ]"))
    source = _open(target)
    try:
        assert LockText.find(source) is None
    finally:
        os.close(source)


def test_a_fields_entry_made_an_object_is_no_entry(written, tmp_path):
    """A card's "fields" value must open with "[": an object there is not read as its fields (its keys would be)."""
    lock, path = written
    target = tmp_path / "odd"
    target.write_bytes(_reshaped(path.read_bytes(), "card-0300", b"[", b'{\n   "a": 1\n  }'))
    source = _open(target)
    try:
        found = LockText.find(source)
        assert found is not None and found.entry("card-0300") is None
        assert found.entry("card-0303") == lock.cards["card-0303"]
    finally:
        os.close(source)
