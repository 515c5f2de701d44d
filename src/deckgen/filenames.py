"""File names a deck's package may have: letters of any script, safe on Windows, macOS, Linux and Android.

`deckgen init` makes the output file name from the title (`file_stem`), and `cards/deck.yaml`'s `output` is
checked against the same rules (`output_problem`). A name keeps every letter, combining mark and digit of any
script, in Unicode's composed form (NFC), lowercased; anything else (white space, punctuation, symbols) is the
'-' between two words, so nothing that Windows or Android's FAT file systems refuse (`<>:"/\\|?*`, control
characters), nor a name ending in '.' or ' ', is ever made. Windows also refuses a file named as a device
(CON, NUL, COM1…) whatever its extension: such a name gets "-deck" after it.
"""

from __future__ import annotations

import unicodedata

EXTENSION = ".apkg"
_WINDOWS_DEVICES = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(10)),
                              *(f"LPT{n}" for n in range(10))})
_PUNCTUATION_KEPT = "._-"  # what a name written in deck.yaml may hold besides letters, marks and digits
OUTPUT_HINT = ("letters and digits of any script, '.', '_' and '-', starting with a letter or digit, "
               "ending in .apkg; it is written under build/")


def _is_word_character(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LMN"  # letters, combining marks, digits and numbers


def file_stem(text: str, limit: int) -> str:
    """`text` as a file name's stem: its words of any script, lowercased, joined by '-', at most `limit`
    characters ("" when it has none): "Cyrillic: Азбука" -> "cyrillic-азбука"."""
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).lower())
    words = "".join(ch if _is_word_character(ch) else " " for ch in folded).split()
    words = [kept for word in words if (kept := _without_leading_marks(word))]
    stem = _cut("-".join(words), limit).strip("-")
    return f"{stem}-deck" if stem.upper() in _WINDOWS_DEVICES else stem


def _without_leading_marks(word: str) -> str:
    """A combining mark with no letter before it (after a separator) marks nothing: left out."""
    start = 0
    while start < len(word) and unicodedata.category(word[start])[0] == "M":
        start += 1
    return word[start:]


def _cut(stem: str, limit: int) -> str:
    """At most `limit` characters, never between a letter and a combining mark of it."""
    if len(stem) <= limit:
        return stem
    end = limit
    while end > 0 and unicodedata.category(stem[end])[0] == "M":
        end -= 1
    return stem[:end]


def output_problem(name: str) -> str | None:
    """Why `name` cannot be deck.yaml's output (a file written under build/), or None."""
    stem = name[: -len(EXTENSION)] if name.endswith(EXTENSION) else ""
    if not stem or unicodedata.category(stem[0])[0] not in "LN" \
            or any(not _is_word_character(ch) and ch not in _PUNCTUATION_KEPT for ch in stem):
        return f"output '{name}' must be a plain file name ending in .apkg"
    if stem.split(".", 1)[0].upper() in _WINDOWS_DEVICES:
        return f"output '{name}' is a name Windows keeps for a device, whatever its extension"
    return None
