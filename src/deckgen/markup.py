"""Card text is plain text with a small markup: *emphasis*, **strong** and '- ' lists.

It is rendered by markdown-it-py with every other rule off and raw HTML disabled, so whatever an
author types — `<script>`, `onerror=`, `javascript:` links — arrives in the card as visible, escaped
text and never as markup. Anki cloze markers ({{c1::...}}) pass through untouched, and so does
MathJax: `\\( … \\)` (inline) and `\\[ … \\]` (display) reach Anki as typed, their content only
HTML-escaped, never read as markup (a `*` or `_` in a formula is not emphasis, and markdown's
backslash escapes do not eat the delimiters).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

    from markdown_it import MarkdownIt

# Text without any of these characters has no markup: markdown-it would only escape its & < > and ",
# so it is escaped here instead, without running (or importing) markdown-it.
_MARKUP = re.compile(r"[*_`\\\r\n\x00]")
# The markup authors use most, one line of words with *emphasis* in it, is rendered here too, because
# importing markdown-it is an eighth of a rebuild after such an edit (benchmarks/results.md, "Issue 16 —
# session 7"). Only where CommonMark cannot read it otherwise: an opening '*' at the start or after a
# space and before a letter or digit, a closing '*' after a letter or digit and before a space, common
# punctuation or the end, no '*' between, and none of _ ` \ or a line break anywhere in the text.
# tests/test_fastpath.py compares the two renderings; any other text goes to markdown-it.
_OTHER_MARKUP = re.compile(r"[_`\\\r\n\x00]")
_EMPHASIS = re.compile(r"(?:^|(?<= ))\*([A-Za-z0-9](?:[^*]*[A-Za-z0-9])?)\*(?=$|[ .,;:!?)])")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # "zero" enables only paragraphs and text; html=False escapes any tag the author writes.
    return MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False}).enable(
        ["emphasis", "list", "escape", "backticks"])


# MathJax as Anki reads it: \( inline \) and \[ display \], shortest match, on one or more lines.
_MATH = re.compile(r"\\\(.*?\\\)|\\\[.*?\\\]", re.DOTALL)
_MATH_OPEN = re.compile(r"\\[(\[]")
_MATH_CLOSE = {"(": "\\)", "[": "\\]"}
# What stands for a formula while the rest of the text is rendered: private-use characters, which no
# markup rule reads, around the formula's number. Text that already holds them is rendered as it is.
_SLOT_OPEN, _SLOT_CLOSE = "\ue000", "\ue001"
_SLOT = re.compile(f"{_SLOT_OPEN}(\\d+){_SLOT_CLOSE}")


def to_html(text: str) -> str:
    """Render one field. Single-line text stays inline; text with line breaks becomes blocks."""
    text = text.strip()
    if "\\" in text and _SLOT_OPEN not in text and next(_formulas(text), None):
        return _with_math(text)
    return _render(text)


def _formulas(text: str) -> Iterator[tuple[int, int]]:
    """Where _MATH finds its formulas, in turn, as (start, end). A '\\(' that no '\\)' follows (or '\\[', '\\]') is
    looked for once: none after it is closed either, and it is not read again from each to the text's end (the
    pattern did: 40 fields of 2,500 '\\(', 5,000 characters each, took 11 s a check)."""
    unclosed, position = set(), 0
    while opening := _MATH_OPEN.search(text, position):
        kind = opening[0][1]
        close = -1 if kind in unclosed else text.find(_MATH_CLOSE[kind], opening.end())
        if close < 0:
            unclosed.add(kind)
            position = opening.start() + 1
        else:
            yield opening.start(), close + 2
            position = close + 2


def _with_math(text: str) -> str:
    """Render text around its formulas, each formula put back afterwards as typed (HTML-escaped)."""
    formulas: list[str] = []
    held, position = [], 0
    for start, end in _formulas(text):
        held.append(f"{text[position:start]}{_SLOT_OPEN}{len(formulas)}{_SLOT_CLOSE}")
        formulas.append(text[start:end])
        position = end
    rendered = _render("".join(held) + text[position:])
    return _SLOT.sub(lambda found: _escape(formulas[int(found.group(1))]), rendered)


def _render(text: str) -> str:
    if not _MARKUP.search(text):
        return _escape(text)
    if "\n" not in text:
        return _simple_emphasis(text) or _parser().renderInline(text)
    return _parser().render(text).strip()


def _simple_emphasis(text: str) -> str | None:
    """One line whose only markup is simple *emphasis* (_EMPHASIS), rendered as markdown-it renders it;
    None for any other text."""
    if _OTHER_MARKUP.search(text):
        return None
    rendered, position = [], 0
    for span in _EMPHASIS.finditer(text):
        before = text[position:span.start()]
        if "*" in before:  # a '*' that is not part of simple emphasis
            return None
        rendered.append(f"{_escape(before)}<em>{_escape(span.group(1))}</em>")
        position = span.end()
    rest = text[position:]
    return None if "*" in rest else "".join(rendered) + _escape(rest)


def _escape(text: str) -> str:
    """What markdown-it's escapeHtml does (and html.escape(text, quote=False) plus '"')."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
