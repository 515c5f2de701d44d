"""Card text is plain text with a small markup: *emphasis*, **strong** and '- ' lists.

It is rendered by markdown-it-py with every other rule off and raw HTML disabled, so whatever an
author types — `<script>`, `onerror=`, `javascript:` links — arrives in the card as visible, escaped
text and never as markup. Anki cloze markers ({{c1::...}}) pass through untouched.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

# Text without any of these characters has no markup: markdown-it would only escape its & < > and ",
# so it is escaped here instead, without running (or importing) markdown-it. All other text goes through it.
_MARKUP = re.compile(r"[*_`\\\r\n\x00]")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # "zero" enables only paragraphs and text; html=False escapes any tag the author writes.
    return MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False}).enable(
        ["emphasis", "list", "escape", "backticks"])


def to_html(text: str) -> str:
    """Render one field. Single-line text stays inline; text with line breaks becomes blocks."""
    text = text.strip()
    if not _MARKUP.search(text):
        return html.escape(text, quote=False).replace('"', "&quot;")  # what markdown-it's escapeHtml does
    if "\n" not in text:
        return _parser().renderInline(text)
    return _parser().render(text).strip()
