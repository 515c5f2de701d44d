"""`deckgen pull --apply`: learners' edits written back into the card YAML.

Two parts:

* `from_html`, the inverse of markup.py: a field as Anki stores it becomes card text again. The markup
  deckgen writes (<em>, <strong>, <code>, paragraphs, <ul>/<ol> lists) becomes *em*, **strong**,
  `code`, blank lines and '- ' / '1. ' items; what Anki's editor writes besides (<b>, <i>, <br>, <div>,
  &nbsp;) is read as the nearest of those; any other tag is dropped and its text kept; entities are
  decoded; characters that show as nothing (a soft hyphen, a zero-width space: yamlnodes.INVISIBLE), which
  deckgen check refuses in a card file, are dropped; characters that the markup would read as markup are
  escaped with a backslash. So
  `markup.to_html(from_html(field))` shows what the field showed, and `from_html(markup.to_html(text))`
  renders to the same HTML as `text` (tests/test_pull.py checks both on every card of the deck).
* `write_edits`, which sets those texts in the card files with ruamel.yaml's round-trip mode, so that
  comments, key order, quoting and line breaks stay as the author wrote them. A file that ruamel.yaml
  cannot reproduce byte for byte before any change is not rewritten at all: its edits are listed instead.
  The files are replaced all together or not at all, and restored if `deckgen check` then fails.
"""

from __future__ import annotations

import html
import io
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .diagnostics import DeckgenFailure, Diagnostic, Location
from .newfile import open_new, open_regular
from .workspace import in_the_way
from .yamlnodes import INVISIBLE

# --- Anki HTML -> card markup -----------------------------------------------------------------
_INLINE = {"em": "*", "i": "*", "strong": "**", "b": "**", "code": "`"}  # the tiny inverse mapping
_BLOCKS = frozenset({"p", "div", "ul", "ol", "li", "blockquote", "figure", "figcaption", "h1", "h2", "h3",
                     "h4", "h5", "h6", "table", "tr"})
_HIDDEN = frozenset({"script", "style", "head", "title"})  # their text is not shown: not kept either
_ESCAPED = re.compile(r"([\\`*]|(?<!\w)_|_(?!\w))")  # an '_' inside a word is no emphasis
_LINE_START = re.compile(r"^(\s*)([-+#>]|\d+[.)])(?=\s|$)", re.M)  # would start a list (or other block)
_SPACES = re.compile(r"[ \t\r\f\v\xa0]+")


class _Reader(HTMLParser):
    """Collects a field's text as blocks: each a paragraph, or one list item with its marker."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, list[str]]] = []  # (kind: "p" or "li", pieces)
        self.lists: list[list[int]] = []  # one counter per open list; -1 for a bulleted one
        self.hidden = 0
        self.code = 0
        # (rawdata, i): no comment ends after i in that text (the parser's text is a new string after each feed and
        # each pass: this counts only for the very string it was found in)
        self._no_comment_end: tuple[str, int] = ("", 0)

    def _piece(self, text: str) -> None:
        if not self.blocks or self.blocks[-1][0] == "end":
            self.blocks.append(("p", []))
        self.blocks[-1][1].append(text)

    def _close_block(self) -> None:
        if self.blocks and self.blocks[-1][0] != "end":
            self.blocks.append(("end", []))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _INLINE:
            self.code += tag == "code"
            self._piece(_INLINE[tag])
        elif tag == "br":
            self._piece("\n")
        elif tag in ("ul", "ol"):
            self._close_block()
            self.lists.append([0 if tag == "ol" else -1])
        elif tag == "li":
            self._close_block()
            marker = "- "
            if self.lists and self.lists[-1][0] >= 0:
                self.lists[-1][0] += 1
                marker = f"{self.lists[-1][0]}. "
            self.blocks.append(("li", [marker]))
        elif tag in _BLOCKS:
            self._close_block()

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _INLINE:
            self.code = max(0, self.code - (tag == "code"))
            self._piece(_INLINE[tag])
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self._close_block()
        elif tag in _BLOCKS:
            self._close_block()

    # At the end of its input, the parser tries each '<!--' with no end against all the text after it, then reads on
    # from the next '>': a field of 200 KB of "<!--a>" took 16 s. A search that found no end from one place finds
    # none from any later place in the same text, so it is not made again. (A marked section with no end, such as
    # '<![CDATA[', is searched for the same way, and left so: 200 KB of "<![CDATA[a>" took 1.2 s.)
    def parse_comment(self, i: int, report: int = 1) -> int:
        text, start = self._no_comment_end
        if text is self.rawdata and i >= start:
            return -1
        end = super().parse_comment(i, report)
        if end < 0:
            self._no_comment_end = (self.rawdata, i)
        return end

    def parse_marked_section(self, i: int, report: int = 1) -> int:
        """`<![…[`: Python's parser before 3.13 stops with AssertionError at a keyword it does not know
        (`<![x[`); a browser reads it as a comment that ends at the next '>', and so does this reader."""
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            end = self.rawdata.find(">", i)
            return -1 if end < 0 else end + 1

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        text = _SPACES.sub(" ", data)
        if not self.code:
            text = _ESCAPED.sub(r"\\\1", text)
        if text.strip() or (self.blocks and self.blocks[-1][0] != "end"):
            self._piece(text)

    def text(self) -> str:
        out: list[str] = []
        for kind, pieces in self.blocks:
            if kind == "end":
                continue
            body = "\n".join(line.strip() for line in "".join(pieces).split("\n")).strip()
            if not body or re.fullmatch(r"-|\d+\.", body):  # nothing, or an empty list item
                continue
            if kind == "p":
                body = _LINE_START.sub(r"\1\\\2", body)
            if out:
                out.append("\n" if kind == "li" else "\n\n")  # a list may follow a paragraph directly
            out.append(body)
        return "".join(out)


def from_html(field: str) -> str:
    """A field as Anki stores it, as card text (see the module's docstring).

    Only the field up to its last '>' goes through the parser: no tag ends after it, and Python's parser, at
    the end of its input, tried each '<' there against all the text after it (a field of 96 KB of "<a b='"
    took 50 s). The rest is text, its entities decoded, as the parser gives it."""
    end = field.rfind(">") + 1
    reader = _Reader()
    reader.feed(field[:end])
    reader.close()
    reader.handle_data(html.unescape(field[end:]))
    return INVISIBLE.sub("", reader.text())


# --- writing card files -----------------------------------------------------------------------
# Card keys by the note field a learner edits.
CARD_KEY = {"Question": "question", "Answer": "answer", "Text": "cloze", "Extra": "extra"}
_AFTER = ("answer", "cloze", "question")  # a new 'extra' goes after the first of these


@dataclass(frozen=True, slots=True)
class Change:
    """One card key to set to `text` ('' removes an optional 'extra')."""

    card_id: str
    path: str  # the card file, relative to the project
    key: str
    text: str


@dataclass(frozen=True, slots=True)
class Written:
    changes: tuple[Change, ...]  # set in the files
    refused: tuple[tuple[Change, Diagnostic], ...]  # a file whose formatting ruamel.yaml cannot keep


def write_edits(root: Path, changes: Iterable[Change], check: Callable[[], object]) -> Written:
    """Set each change in its card file; then `check()` (deckgen check), restoring every file if it fails."""
    by_file: dict[str, list[Change]] = {}
    for change in changes:
        by_file.setdefault(change.path, []).append(change)
    texts: dict[Path, tuple[str, str]] = {}  # file -> (before, after)
    done: list[Change] = []
    refused: list[tuple[Change, Diagnostic]] = []
    for shown, file_changes in sorted(by_file.items()):
        path = root / shown
        before = _read(path, shown)
        after, problem = _edited_text(before, shown, file_changes)
        if problem is not None:
            refused += [(change, problem) for change in file_changes]
            continue
        if after != before:
            texts[path] = (before, after)
        done += file_changes
    _replace_all(root, {path: after for path, (_, after) in texts.items()})
    try:
        check()
    except DeckgenFailure as failure:
        _replace_all(root, {path: before for path, (before, _) in texts.items()})
        raise DeckgenFailure(failure.diagnostics + [Diagnostic(
            Location("cards/"), "the edits made the project fail deckgen check, so none was written",
            "apply them by hand, or fix the problems above first")]) from None
    return Written(tuple(done), tuple(refused))


def _read(path: Path, shown: str) -> str:
    try:
        # a FIFO put there once the check read the file is refused, not waited on (open() waited for a writer)
        with io.TextIOWrapper(open_regular(path), encoding="utf-8", newline="") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise DeckgenFailure([Diagnostic(Location(shown), f"cannot read: {getattr(exc, 'strerror', None) or exc}")]) \
            from None


def _edited_text(text: str, shown: str, changes: list[Change]) -> tuple[str, Diagnostic | None]:
    yaml = _round_trip_yaml(text)
    if yaml is None:
        return text, Diagnostic(Location(shown), "ruamel.yaml cannot rewrite this file without changing its "
                                "formatting, so the edit was not written", "make it by hand")
    data = yaml.load(text)
    entries = {entry.get("id"): entry for entry in data.get("cards") or [] if hasattr(entry, "get")}
    for change in changes:
        entry = entries.get(change.card_id)
        if entry is None:
            return text, Diagnostic(Location(shown), f"no card '{change.card_id}' in this file any more",
                                    "pull again after the next build")
        _set(entry, change.key, change.text)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue(), None


def _round_trip_yaml(text: str) -> Any:
    """A ruamel.yaml round-trip reader and writer that reproduces `text` exactly, or None."""
    from ruamel.yaml import YAML

    for mapping, sequence, offset in ((2, 4, 2), (2, 2, 0), (4, 6, 4), (4, 4, 0), (2, 4, 0)):
        yaml = YAML(typ="rt")
        yaml.preserve_quotes = True
        yaml.width = 1 << 20  # never wrap a long line the author wrote on one line
        yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
        out = io.StringIO()
        yaml.dump(yaml.load(text), out)
        if out.getvalue() == text:
            return yaml
    return None


def _set(entry: Any, key: str, text: str) -> None:
    """One key of a card's mapping, written in the style its old value had."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, FoldedScalarString, LiteralScalarString, \
        SingleQuotedScalarString

    if not text:
        entry.pop(key, None)
        return
    old = entry.get(key)
    value: str = text
    if "\n" in text:
        value = LiteralScalarString(text)
    elif isinstance(old, (DoubleQuotedScalarString, SingleQuotedScalarString)):
        value = type(old)(text)
    elif isinstance(old, (FoldedScalarString, LiteralScalarString)):
        value = DoubleQuotedScalarString(text)
    if key in entry:
        entry[key] = value
        return
    keys = list(entry.keys())
    after = next((keys.index(k) for k in _AFTER if k in keys), len(keys) - 1)
    entry.insert(after + 1, key, value)


def _write_failure(root: Path, exc: OSError) -> Diagnostic:
    if isinstance(exc, FileExistsError) and exc.filename:  # a name made anew (newfile.open_new) is taken
        return Diagnostic(Location("cards/"), f"cannot write the card files: {in_the_way(root, exc)}",
                          "remove it and pull again; nothing was changed")
    return Diagnostic(Location("cards/"), f"cannot write the card files: {exc.strerror or exc}", "nothing was changed")


def _replace_all(root: Path, texts: dict[Path, str]) -> None:
    """Write every file next to itself, then rename each into place (or, on a failed write, none)."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, text in texts.items():
            partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
            with open_new(partial, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
            staged.append((partial, path))
    except OSError as exc:
        for partial, _ in staged:
            partial.unlink(missing_ok=True)
        raise DeckgenFailure([_write_failure(root, exc)]) from None
    for partial, path in staged:
        os.replace(partial, path)
