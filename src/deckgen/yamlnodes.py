"""Safe, located YAML reading.

Files are *composed* into a node tree (never constructed into Python objects), so no YAML tag
can run code and every value keeps its line and column. Aliases are refused before a tree is
built, which stops alias bombs before they expand, so every node of a tree is met once. The C
parser from libyaml is used when present.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable

import yaml

from .diagnostics import Diagnostic, Location
from .trust import BIDI, BIDI_HINT, CONTROL_HINT, control_problem

try:  # libyaml's parser is several times faster and keeps the same marks
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

MAX_FILE_BYTES = 8 * 1024 * 1024
# Characters that show as nothing inside a word, pasted with text from a web page or a PDF: a soft hyphen, a zero-width
# space, a word joiner, a zero-width no-break space. Each splits the word the gate reads where the author sees one
# ("Karam\u00adzin": "karam" and "zin"), and a quote holding one is not found in a document that has none.
INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")
EMPTY_HINT = "write its value after the key, or leave the key out where it may be left out"
EMPTY_FILE_HINT = "write its content (README: The card format), or delete the file"
INVISIBLE_HINT = ("it shows as nothing, but splits the word it is in: delete it (an editor that shows invisible "
                  "characters helps)")

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}
_NULL = "tag:yaml.org,2002:null"


def location_of(path: str, node: yaml.Node) -> Location:
    mark = node.start_mark
    return Location(path, mark.line + 1, mark.column + 1)


def decode_text(path: str, raw: bytes) -> tuple[str | None, list[Diagnostic]]:
    """Bytes to text, refusing what an author would not mean to write."""
    if len(raw) > MAX_FILE_BYTES:
        return None, [Diagnostic(Location(path), f"file is {len(raw):,} bytes, over the {MAX_FILE_BYTES:,}-byte limit",
                                 "split it into several files", "file-too-large")]
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, [Diagnostic(Location(path, 1, 1), "file starts with a UTF-8 byte order mark (BOM)",
                                 "save the file as UTF-8 without BOM", "file-encoding")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [Diagnostic(Location(path, line, col), f"invalid UTF-8 (byte 0x{raw[exc.start]:02x})",
                                 "save the file as UTF-8", "file-encoding")]
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return None, [Diagnostic(Location(path, line), "file contains a NUL character", "is this a binary file?",
                                      "file-encoding")]
    # Every bidirectional control and invisible character is outside ASCII, and str.isascii() answers without
    # reading the text. What such text displays differs from what deckgen reads and checks.
    if text.isascii():
        return text, []
    bidi = BIDI.search(text)
    if bidi is not None:
        return None, [Diagnostic(_located(path, text, bidi), f"bidirectional control character {_named(bidi)}",
                                 BIDI_HINT, "bidi-character")]
    invisible = INVISIBLE.search(text)
    if invisible is not None:
        return None, [Diagnostic(_located(path, text, invisible), f"invisible character {_named(invisible)}",
                                 INVISIBLE_HINT, "invisible-character")]
    return text, []


def _located(path: str, text: str, found: re.Match[str]) -> Location:
    line = text.count("\n", 0, found.start()) + 1
    return Location(path, line, found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1)


def _named(found: re.Match[str]) -> str:
    return f"U+{ord(found.group()):04X} ({unicodedata.name(found.group(), 'unnamed')})"


def compose(path: str, text: str) -> tuple[yaml.Node | None, list[Diagnostic]]:
    """Parse one YAML document into nodes; syntax errors become located diagnostics.

    An alias (``*name``) is refused where it is written, before any node graph that could expand it
    exists ("billion laughs"): the event stream is read first, without building anything. Only texts
    that could hold an alias pay for that read: one with both a '*' and an '&', since an alias needs
    an anchor, and, when composing fails, one with a '*' (an alias without its anchor).
    """
    if not text.strip():
        return None, [Diagnostic(Location(path, 1, 1), "file is empty", EMPTY_FILE_HINT, "file-empty")]
    try:
        if "*" in text and "&" in text:
            _refuse_aliases(text)
        try:
            node = yaml.compose(text, Loader=_SafeLoader)
        except yaml.YAMLError:
            if "*" in text:
                _refuse_aliases(text)  # an alias before the error is what the author should hear about
            raise
    except _AliasFound as found:
        alias = found.event
        return None, [Diagnostic(location_of(path, alias), f"YAML alias '*{alias.anchor}' is not supported",
                                 "anchors (&name) and aliases (*name) are not supported: write the value out "
                                 "in full; to start a text with * or &, put it in quotes", "yaml-alias")]
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_error(path, text, exc)]
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow; it carries a byte offset only
        return None, [_reader_error(path, text, exc)]
    except yaml.YAMLError as exc:
        return None, [Diagnostic(Location(path), f"YAML error: {exc}", "", "yaml-syntax")]
    if node is None:
        return None, [Diagnostic(Location(path, 1, 1), "file is empty", EMPTY_FILE_HINT, "file-empty")]
    return node, []


class _AliasFound(Exception):
    def __init__(self, event: yaml.AliasEvent):
        super().__init__(event.anchor)
        self.event = event


def _refuse_aliases(text: str) -> None:
    """Read the events up to the first alias, and raise _AliasFound there (or the YAML error met first)."""
    for event in yaml.parse(text, Loader=_SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise _AliasFound(event)


def _syntax_error(path: str, text: str, exc: yaml.MarkedYAMLError) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    loc = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
    problem = exc.problem or "YAML syntax error"
    message = f"YAML syntax error: {problem}"
    tab = "\t" in problem or "'\\t'" in problem or _tab_at(text, mark)
    if exc.context and exc.context_mark and exc.context_mark is not mark and not tab:
        context = exc.context_mark
        message += f" ({exc.context} that starts at line {context.line + 1}, column {context.column + 1})"
    if tab:
        hint = "indent with spaces; YAML does not allow tabs for indentation"
    elif exc.context == "while scanning a quoted scalar" and exc.context_mark:
        hint = (f"close the quote opened at line {exc.context_mark.line + 1}, column {exc.context_mark.column + 1}; "
                f"a quote inside the text is written \\\" (or '' inside single quotes)")
    elif exc.context and ("alias" in exc.context or "anchor" in exc.context):
        hint = "a value starting with * or & is read as a YAML alias or anchor: put the text in quotes"
    elif "expected a single document" in problem or "but found another document" in problem:
        hint = "keep one YAML document per file (no '---' separators)"
    elif "mapping values are not allowed" in problem and _colon_in_value(text, mark):
        hint = "a ': ' inside a value starts another key: put the whole value in quotes (question: \"A: b?\")"
    else:
        hint = "check the indentation and quoting around this position"
    return Diagnostic(loc, message, hint, "yaml-syntax")


# Characters YAML 1.1 refuses in a stream: those outside its c-printable set (tab, line feed, carriage return,
# \x20-\x7e, \x85, \xa0-\ud7ff, \ue000-\ufffd, \U00010000-\U0010ffff), written as the set itself: the same class
# written as the negation of c-printable took the regex compiler some 6 ms on every start.
# (Compiled when used: see textnorm.)
_NOT_PRINTABLE = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"


def _reader_error(path: str, text: str, exc: yaml.reader.ReaderError) -> Diagnostic:
    found = re.compile(_NOT_PRINTABLE).search(text)
    if found is None:
        return Diagnostic(Location(path), f"YAML error: {exc.reason}", "", "yaml-syntax")
    line = text.count("\n", 0, found.start()) + 1
    col = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    return Diagnostic(Location(path, line, col), f"control character U+{ord(found.group()):04X} is not allowed",
                      "delete it; YAML files are plain text", "control-character")


def _colon_in_value(text: str, mark: yaml.Mark | None) -> bool:
    """Whether the ':' YAML stopped at follows a key's value on its line ("question: Serbian: which letter?")."""
    if mark is None:
        return False
    lines = text.split("\n")
    return 0 <= mark.line < len(lines) and ": " in lines[mark.line][: mark.column].lstrip(" -")


def _tab_at(text: str, mark: yaml.Mark | None) -> bool:
    if mark is None:
        return False
    lines = text.split("\n")
    return 0 <= mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]


@dataclass
class NodeReader:
    """Walks a composed tree for one file, collecting diagnostics instead of raising."""

    path: str
    diagnostics: list[Diagnostic]

    def __post_init__(self) -> None:
        # mapping node -> known keys already reported in it: offered for a misspelt key, or written twice
        self._reported: dict[int, set[str]] = {}

    def reported(self, node: yaml.Node, key: str) -> bool:
        """Whether `key` is missing from this mapping because a problem with it was already reported: a
        misspelling of it, or the key written twice (neither of whose values is read)."""
        return key in self._reported.get(id(node), set())

    def loc(self, node: yaml.Node) -> Location:
        return location_of(self.path, node)

    def error(self, node: yaml.Node | Location, message: str, hint: str = "", code: str = "invalid-value") -> None:
        loc = node if isinstance(node, Location) else self.loc(node)
        self.diagnostics.append(Diagnostic(loc, message, hint, code))

    def missing(self, node: yaml.Node, key: str, message: str, hint: str = "") -> None:
        """Report a missing key, unless a problem with it in the same mapping was already reported."""
        if not self.reported(node, key):
            self.error(node, message, hint, "missing-key")

    def _admit(self, node: yaml.Node) -> bool:
        """Every tag plain: anything else is refused. (No node is shared: `compose` refuses aliases.)"""
        if node.tag not in _PLAIN_TAGS:
            shown = node.tag.replace("tag:yaml.org,2002:", "!!", 1)  # as the author wrote it
            self.error(node, f"YAML tag '{shown}' is not allowed", "deckgen reads plain text, lists and mappings only",
                       "yaml-tag")
            return False
        return True

    def mapping(self, node: yaml.Node, what: str, known: Iterable[str] | None
                ) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """Key -> (key node, value node). Unknown keys (unless `known` is None: any key) are reported with a
        suggestion; a key written twice is reported once, at its second place, naming the first, and left
        out of the result, so that neither value is read and judged: its one problem is the one message."""
        if not self._admit(node):
            return {}
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"{what} must be a mapping of keys to values, found {describe(node)}", "", "wrong-type")
            return {}
        known = None if known is None else list(known)
        result: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        first: dict[str, yaml.Node] = {}  # each known key's first key node
        for key_node, value_node in node.value:
            if not self._admit(key_node):
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(key_node, f"{what} has a key that is not plain text", "", "wrong-type")
                continue
            key = key_node.value
            if key in first:
                self._duplicate(node, key_node, first[key], what)
                result.pop(key, None)
            elif known is not None and key not in known:
                from difflib import get_close_matches  # only for an unknown key

                close = get_close_matches(key, known, n=1, cutoff=0.6)
                hint = f"did you mean '{close[0]}'?" if close else "known keys: " + ", ".join(known)
                if close:
                    self._reported.setdefault(id(node), set()).add(close[0])
                self.error(key_node, f"unknown key '{key}' in {what}", hint, "unknown-key")
            else:
                first[key] = key_node
                result[key] = (key_node, value_node)
        return result

    def _duplicate(self, node: yaml.Node, key_node: yaml.Node, first: yaml.Node, what: str) -> None:
        mark = first.start_mark
        self._reported.setdefault(id(node), set()).add(key_node.value)
        self.error(key_node, f"duplicate key '{key_node.value}' in {what}: it is already at line {mark.line + 1}, "
                             f"column {mark.column + 1}",
                   "keep one of them: deckgen reads neither while both are there", "duplicate-key")

    def sequence(self, node: yaml.Node, what: str, entry: str = "") -> list[yaml.Node]:
        """`entry`: for a list of mappings, how one entry is written (the hint for one value in its place)."""
        if not self._admit(node):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, f"{what} must be a list, found {describe(node)}", _list_hint(node, entry), "wrong-type")
            return []
        return list(node.value)

    def text(self, node: yaml.Node, what: str, *, allow_empty: bool = False) -> str | None:
        """A scalar read as the text the author typed (so `answer: no` stays 'no')."""
        if not self._admit(node):
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, f"{what} must be text, found {describe(node)}",
                       "write it as one line of text after the key, or as a block under '|'", "wrong-type")
            return None
        if node.tag == _NULL and not node.value.strip():
            if not allow_empty:
                self.error(node, f"{what} is empty", EMPTY_HINT, "empty-value")
            return None if not allow_empty else ""
        value = node.value.strip()
        if not value and not allow_empty:
            self.error(node, f"{what} is empty", EMPTY_HINT, "empty-value")
            return None
        control = control_problem(value)  # written as an escape ("\x1f"): the file itself cannot hold one
        if control is not None:
            self.error(node, f"{what} holds {control}", CONTROL_HINT, "control-character")
            return None
        return value

    def text_list(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node]]:
        items = []
        for item in self.sequence(node, what):
            value = self.text(item, f"an entry of {what}")
            if value is not None:
                items.append((value, item))
        return items


def _list_hint(node: yaml.Node, entry: str = "") -> str:
    """How to write as a list what was written as one value or one mapping (`entry`: a list of mappings')."""
    if isinstance(node, yaml.MappingNode):
        return "start each entry of the list with '- ' (indented under the key), as in 'sources:' / '  - doc: ...'"
    if entry:  # a value where a list of mappings belongs: "[rock-guide]" would be a list of a value
        return f"each entry of the list is a mapping: {entry}"
    if isinstance(node, yaml.ScalarNode) and node.tag != _NULL and "\n" not in node.value and len(node.value) <= 40:
        return f"write one item as a list too: [{node.value}]"
    return ""


def describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == _NULL:
        return "nothing"
    return f"the {node.tag.rsplit(':', 1)[-1]} '{node.value[:40]}'"
