"""Card text is plain text with a small markup: *emphasis*, **strong** and '- ' lists.

It is rendered by markdown-it-py with every other rule off and raw HTML disabled, so whatever an
author types — `<script>`, `onerror=`, `javascript:` links — arrives in the card as visible, escaped
text and never as markup. Anki cloze markers ({{c1::...}}) pass through untouched.
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # "zero" enables only paragraphs and text; html=False escapes any tag the author writes.
    return MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False}).enable(
        ["emphasis", "list", "escape", "backticks"])


def to_html(text: str) -> str:
    """Render one field. Single-line text stays inline; text with line breaks becomes blocks."""
    if "\n" not in text.strip():
        return _parser().renderInline(text.strip())
    return _parser().render(text.strip()).strip()
