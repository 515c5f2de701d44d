"""Character classes written for the regex compiler's sake, checked code point by code point against the sets they
stand for, stated here independently of how the class is written."""

from __future__ import annotations

import re
import unicodedata

from deckgen import textnorm
from deckgen.yamlnodes import _NOT_PRINTABLE

EVERY_CODE_POINT = range(0x110000)


def _yaml_printable(code: int) -> bool:
    """YAML 1.1's c-printable: tab, line feed, carriage return, and the printable ranges of the specification."""
    return (code in (0x09, 0x0A, 0x0D, 0x85) or 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xD7FF
            or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF)


def test_the_characters_yaml_refuses_are_exactly_those_outside_c_printable():
    wrong = [hex(code) for code in EVERY_CODE_POINT
             if (re.compile(_NOT_PRINTABLE).match(chr(code)) is not None) == _yaml_printable(code)]
    assert wrong == []


def test_the_marks_a_word_may_hold_are_exactly_the_combining_marks_of_the_listed_blocks():
    marks = re.compile("[" + textnorm._marks() + "]")
    expected = {code for first, last in textnorm._MARK_BLOCKS for code in range(first, last + 1)
                if unicodedata.category(chr(code)).startswith("M")}
    found = {code for code in EVERY_CODE_POINT if marks.match(chr(code))}
    assert found == expected
    assert len(expected) > 800  # the blocks hold marks of many scripts, not a handful
