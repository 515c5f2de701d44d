"""decode_text()'s shortcut computes exactly what the general code computes.

It looks for bidirectional control characters only in a text that is not ASCII (str.isascii() does not
read the text): every one of them is outside ASCII.
"""

from __future__ import annotations

import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from deckgen.trust import BIDI
from deckgen.yamlnodes import INVISIBLE, decode_text


def test_every_bidirectional_control_character_is_outside_ascii():
    every_char = "".join(map(chr, range(sys.maxunicode + 1)))
    found = BIDI.findall(every_char)
    assert found and all(not char.isascii() for char in found)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab \n:-\u00e9\u2019\u202a\u202e\u2066\u2069\u200f\x00"), max_size=20)
       | st.text(max_size=20))
def test_decode_text_finds_every_bidirectional_control_character(text):
    decoded, problems = decode_text("x", text.encode("utf-8"))
    expected = BIDI.search(text) if "\x00" not in text else None
    if expected is not None:
        assert decoded is None and problems[0].code == "bidi-character"
        assert f"U+{ord(expected.group()):04X}" in problems[0].message
        assert problems[0].location.line == text.count("\n", 0, expected.start()) + 1
    elif decoded is not None:
        assert decoded == text and not problems


def test_every_invisible_character_is_outside_ascii_and_is_found():
    assert not any(char.isascii() for char in INVISIBLE.pattern.strip("[]").encode().decode("unicode_escape"))
    for text in ("a\u00adb", "x\n\u200by", "\u00e9\u2060", "ab\ufeff"):
        decoded, problems = decode_text("x", text.encode())
        assert decoded is None and problems[0].code == "invisible-character", text


def test_ascii_and_non_ascii_texts_decode_alike():
    for text in ("plain: text\n", "caf\u00e9: text\n", "a\u202eb", "\u00e9\u2066x", "x\n\u2069"):
        decoded, problems = decode_text("x", text.encode())
        assert (decoded is None) == bool(BIDI.search(text))
        if decoded is None:
            assert problems[0].code == "bidi-character"
