"""JSON that a person may edit by hand (deck.lock), read so that a key given twice in one object is an
error where the second one is, not the last one silently taken (Python's json keeps the last; another
reader may keep the first)."""

from __future__ import annotations

import json
import re

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"[ \t\n\r]*:?|[{}\[\]]')  # a string (a key: its ":" too), or a bracket


class DuplicateKey(ValueError):
    """A key given twice in one object (where, only when loads() located it)."""

    def __init__(self, key: str):
        super().__init__(f"the key {json.dumps(key, ensure_ascii=False)} is given twice in one object")
        self.key = key


def unique_object(pairs: list[tuple[str, object]], dict=dict, len=len) -> dict[str, object]:  # noqa: A002
    """json's object_pairs_hook: the object, or DuplicateKey (about 10% on json.loads of deck.lock)."""
    found = dict(pairs)
    if len(found) != len(pairs):
        raise DuplicateKey(first_repeated(pairs))
    return found


def first_repeated(pairs: list[tuple[str, object]]) -> str:
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            return key
        seen.add(key)
    raise AssertionError("no key is repeated")


def loads(text: str) -> object:
    """json.loads(text), a key given twice in one object being a json.JSONDecodeError at the second one
    (its lineno, colno and msg, as for any other JSON error)."""
    try:
        return json.loads(text, object_pairs_hook=unique_object)
    except DuplicateKey as exc:
        position = second_key(text, exc.key)
        raise json.JSONDecodeError(f"{exc}: remove one", text, position) from None


def second_key(text: str, key: str) -> int:
    """Where `key` is given the second time in one object of `text` (valid JSON): read token by token,
    each open object keeping the keys it has had."""
    objects: list[set[str] | None] = []
    for token in _TOKEN.finditer(text):
        piece = token.group()
        if piece in ("{", "["):
            objects.append(set() if piece == "{" else None)
        elif piece in ("}", "]"):
            objects.pop()
        elif piece.endswith(":") and objects and objects[-1] is not None:
            name = json.loads(piece[:piece.rindex('"') + 1])
            if name == key and name in objects[-1]:
                return token.start()
            objects[-1].add(name)
    return 0
