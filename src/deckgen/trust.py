"""The trust boundary: what may reach a learner's Anki, checked where it enters the build.

A build trusts only what it reads and checks itself: the card YAML (through the gate and the
escaper), the sources and the templates. Everything else — deck.lock, build/ — is checked here
before any of it ships (see README, "Trust boundary"). The rules:

* Card and source text: Anki's media and text-to-speech syntax (`[sound:…]`, `[anki:tts…]`) is
  neutralised in every field, so it shows as typed; bidirectional override and isolate characters
  (U+202A–U+202E, U+2066–U+2069) are refused, since what they display differs from what the gate read.
* Cloze numbers: 1 to MAX_CLOZE. Anki numbers a cloze note's cards from its cloze numbers, and a
  number it cannot use (0, or one beyond its own limit) makes a note with no card or a deck it refuses.
* Templates and the stylesheet: no `<script>`, no event-handler attributes, no `javascript:` URLs,
  no remote `src`/`href`/`url()`/`@import` ("no scripts, no network").
* Stored HTML (the fields of a retired card in deck.lock): only the markup deckgen itself writes —
  a short list of tags, with no attribute but `class` — and the same text rules as card text.
"""

from __future__ import annotations

import contextlib
import errno
import html as html_module
import os
import re
import stat
import unicodedata
from hashlib import blake2b
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

from . import fastpath
from .diagnostics import Diagnostic, Location, display_path
from .newfile import file_kind

if TYPE_CHECKING:
    from .model import Card
    from .render import NoteType

# Anki makes card ordinal n-1 from cloze number n and caps ordinals at 499: with the installed Anki
# backend (26.9), c500 gives ordinal 499, c1000 and c65535 give 499 too (merged into c500's card), and
# from c65536 up the number wraps (c65536 gives ordinal 0, the card of c1). c0 makes no card at all.
# So c1..c500 are the numbers that each make their own card; tests/test_trust.py checks the bound.
MAX_CLOZE = 500
CLOZE_NUMBER = re.compile(r"\{\{c(\d+)::")
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
AV_TAG = re.compile(r"\[(?=(?:sound|anki):)", re.IGNORECASE)

# What deckgen's own markup and citation template write, and nothing else.
ALLOWED_TAGS = frozenset({"p", "em", "strong", "code", "ul", "ol", "li", "br", "figure", "blockquote", "mark",
                          "figcaption", "span", "div", "cite", "b", "i", "sub", "sup", "small", "details", "summary",
                          "table", "thead", "tbody", "tr", "th", "td"})  # the table: a quoted table row's citation
_CLASS_VALUE = re.compile(r"^[A-Za-z0-9 _-]*$")

_SCRIPT = re.compile(r"<\s*script\b", re.IGNORECASE)
# Elements that load a page, plugin or document of their own (a data: URL runs script there) or change where
# the card's URLs lead, in a card template: "no scripts, no network" cannot be checked inside what they load.
_EMBEDDING = r"(?i)<\s*(iframe|frame|object|embed|meta|base|link|form)\b"  # compiled when used (textnorm)
# A URL to another host where a browser reads one, in a reading of the text with white space and controls
# taken out and '\' read as '/' (a URL parser does both): "//" after any scheme, or a web scheme without its
# slashes (a page served over http, as Anki's is, reads "https:host" as another host); as any attribute's value
# (src, href, ping, SVG's values…), after url( or image-set(, or after a comma or semicolon (srcset's and
# image-set's later candidates, an animation's values), or any @import.
_REMOTE = re.compile(r"""(?:=|url\(|image-set\(|,|;)"""
                     r"""["']?(?:url\(["']?)?(?:(?:[a-z][a-z0-9+.-]*:)?//|(?:https?|ftps?|wss?):)|@import""",
                     re.IGNORECASE)
_URL_NOISE = re.compile(r"[\s\x00-\x1f]")
# An Anki field ({{Answer}}, {{Subdeck}}…) inside a tag or a <style> element: Anki puts the field's text there as
# it is, so a card's text or a deck's name becomes an attribute, a URL or CSS (`<img src="{{Subdeck}}">` with the
# subdeck "//host/p.gif") that no check of the template sees. Between tags, a field is the HTML deckgen wrote.
_STYLE_OPENING = r"(?i)<style\b"  # compiled when used (textnorm)
_STYLE_CLOSING = r"(?i)</style"  # likewise; not str.lower(), which makes some texts longer ("İ": two characters)
_CSS_ESCAPE = r"(?s)\\(?:([0-9a-fA-F]{1,6})[ \t\r\n\f]?|(.))"  # compiled when used (textnorm)


# MathJax commands that write HTML of their own: a link, a style, a class, id or data attribute, a MathML token's
# attributes, a box's CSS, or an extension loaded. Anki runs MathJax without its "safe" extension over every field
# (the DOM's text: entities decoded), so \href{javascript:…}{x} is a script link and \style{background:url(…)}{x}
# loads from another host, though the escaper passed them as typed: refused in every field as shipped.
_MATH_HTML = re.compile(r"\\(href|style|class|cssId|data|require|mmlToken|bbox)(?![A-Za-z])")
AV_HINT = ("Anki would play it (a sound file, or text-to-speech): write the cloze so that no '[sound:' or '[anki:' "
           "forms across it")
MATH_HINT = ("Anki's MathJax would write it into the card as HTML (a link, a style, attributes) that deckgen cannot "
             "check: write the formula without it")


# MathJax reads the DOM's text, not the HTML: a browser drops an end tag that closes nothing (`\hr</cite>ef` is the
# text `\href`) and a start tag out of place (`<td>` outside a table, `<body>`), and MathJax reads the text on
# both sides of a comment or a <wbr> as one string. So the MathJax rule also reads a field with every tag and
# comment (a bogus one too: `<!x>`, `<?x>`) taken out, which joins at least what a browser and MathJax join.
_COMMENT = r"<!--(?:-?>|.*?(?:--!?>|\Z))"  # a comment as a browser ends it: "<!-->", "--!>", or the text's end
_ANY_TAG = re.compile(r"<[^>]*>?")  # from a "<" to the next ">" (or the end)
_MARKUP = re.compile(_COMMENT + "|" + _ANY_TAG.pattern, re.S)


# Anki renders a cloze inside a formula as its bare text, without its hint (checked with Anki's backend):
# `\sty{{c1::le}}` is `\style` on the back, `\hr{{c2::ef}}` is `\href` on the other cards.
_CLOZE_MARKS = re.compile(r"\{\{c\d+::|::(?:(?!\}\}).)*?\}\}|\}\}", re.S)
_CLOZE_OPENING = re.compile(r"\{\{c\d+::")


def _without_cloze_marks(text: str) -> str:
    """`text` without its cloze marks (_CLOZE_MARKS). After its last "}}" no hint ends: only the openings are
    taken out there (a hint looked for from each "::" there to the text's end took quadratic time: 8,000 "::" in
    a Sources field, 16 KB, 9 s a note)."""
    last = text.rfind("}}")
    end = last + 2 if last >= 0 else 0
    return _CLOZE_MARKS.sub("", text[:end]) + _CLOZE_OPENING.sub("", text[end:])


def math_html_problem(field: str) -> str | None:
    """The first MathJax command in a field (as HTML) that writes HTML of its own, as a message; or None: in the
    field as written and in its text as MathJax may read it (_MARKUP; clozes as their bare text), entities
    decoded."""
    readings = [field, _MARKUP.sub("", field) if "<" in field else field]
    if "{{c" in field:
        readings += [_without_cloze_marks(reading) for reading in readings]
    for reading in dict.fromkeys(readings):
        found = _MATH_HTML.search(html_module.unescape(reading) if "&" in reading else reading)
        if found is not None:
            return f"the MathJax command \\{found.group(1)}"
    return None


NAME_HINT = ("Anki puts it into a card as HTML ({{Deck}}, {{Subdeck}}, {{Type}}, {{Card}}), where MathJax reads it "
             "too: write it without '<' and without MathJax's \\href, \\style, \\class, \\cssId, \\data, \\bbox, "
             "\\mmlToken and \\require")


def shown_name_problem(name: str) -> str | None:
    """Why a name that Anki puts into a card as HTML (a deck's, a note type's, a card template's) may not ship,
    as a message: a '<' (a tag no check reads) or a MathJax command that writes HTML; or None."""
    return "'<'" if "<" in name else math_html_problem(name)


# Anki's own syntax in a card template: a section's markers ({{#F}}, {{^F}}, {{/F}}) write nothing, so the text
# around them is one; a field ({{F}}, {{text:F}}, {{FrontSide}}) writes text the template does not show.
_ANKI_SECTION = re.compile(r"\{\{\s*[#^/]")  # the start of a section's {{…}}
_ANKI_FIELD = re.compile(r"\{\{")  # of any {{…}}


def _anki_braces(text: str, start: re.Pattern[str]) -> list[tuple[int, int]]:
    """Where Anki's {{…}} are in `text`, those that begin as `start` does: from a
    "{{" to the "}}" at its first "}". Every "{{" before one "}" ends there: that "}" is looked for once (a pattern
    tried from every "{{" to the next "}" took quadratic time: a template of 40,000 "{{", 17 s a check)."""
    spans: list[tuple[int, int]] = []
    at = 0
    while (opening := text.find("{{", at)) >= 0:
        close = text.find("}", opening + 2)
        if close < 0:
            break
        if text.startswith("}}", close):
            first = start.search(text, opening, close)  # `start` begins with "{{"
            if first is not None:
                spans.append((first.start(), close + 2))
                at = close + 2
                continue
        at = close + 1
    return spans


def _replaced(text: str, spans: list[tuple[int, int]], by: str) -> str:
    parts, at = [], 0
    for begin, end in spans:
        parts += [text[at:begin], by]
        at = end
    return "".join(parts) + text[at:]
# What may leave no break in the text MathJax reads: a comment (a bogus one too), an end tag (one that closes
# nothing is dropped), <wbr>, and a start tag that a browser drops outside its place (a table's, the page's).
# Any other start tag makes an element, where MathJax's text breaks. (Compiled when used: textnorm.)
_MAY_JOIN = ("(?si)" + _COMMENT + r"|<[!?/][^>]*>?|<(?:wbr|html|head|body|frameset|frame|caption|"
             r"colgroup|col|tbody|thead|tfoot|tr|td|th)(?![A-Za-z0-9])[^>]*>?")
# A TeX command the template starts and a field ends (`\hr{{Extra}}`, an Extra of `ef{…}`), or one a field
# ends and the template or the next field goes on with (`{{Extra}}ef{…}`): no check of the one or the other
# reads the command MathJax reads.
_COMMAND_AT_FIELD = re.compile(r"\\[A-Za-z]*\{\{|\}\}(?=[A-Za-z]|\{\{)")


def anki_filter_problems(text: str) -> list[str]:
    """Anki's `text:` filter in a card template's field ({{text:Question}}, {{text:cloze:Text}}): Anki takes the
    field's tags out and decodes its entities, so the text deckgen escaped (`&lt;img src=x onerror=…&gt;`, a
    card's or a source's) is markup in the card, and `&#91;sound:…]` is played (checked with Anki's backend)."""
    if "text" not in text:
        return []
    for inside in (text[begin:end] for begin, end in _anki_braces(text, _ANKI_FIELD)):
        if any(part.strip() == "text" for part in inside[2:-2].split(":")[:-1]):
            return ["Anki's text: filter (it decodes the field's escaped text into HTML, and Anki plays a "
                    "[sound:…] it makes)"]
    return []


def template_math_problems(text: str) -> list[str]:
    """A MathJax command that writes HTML in a card template's text as MathJax may read the card (Anki's
    sections taken out, each field a break, read as math_html_problem reads a field), or a TeX command that
    a field and the text next to it would make together."""
    if "\\" not in text and "&" not in text and "}}" not in text:
        return []
    text = _replaced(text, _anki_braces(text, _ANKI_SECTION), "")
    problems = []
    math = math_html_problem(_replaced(text, _anki_braces(text, _ANKI_FIELD), " "))
    if math:
        problems.append(math)
    joined = _ANY_TAG.sub(" ", re.compile(_MAY_JOIN).sub("", text)) if "<" in text else text
    if _COMMAND_AT_FIELD.search(html_module.unescape(joined) if "&" in joined else joined):
        problems.append("an Anki field next to a TeX command or a letter (MathJax would read a command made of "
                        "the template's text and the field's)")
    return problems


def cloze_av_problem(field: str) -> str | None:
    """Anki's media or text-to-speech syntax that a cloze puts together, as a message; or None. Anki renders a
    cloze inside a formula as its bare text (_CLOZE_MARKS), then plays what the card holds:
    `\\([sou{{c1::nd}}:x.mp3]\\)` plays x.mp3, which neutralise_av, reading the field as written, does not see."""
    if "{{c" not in field or "[" not in field or not AV_TAG.search(_without_cloze_marks(field)):
        return None
    return "Anki media or text-to-speech syntax that a cloze puts together ([sou{{c1::nd}}:…])"


def neutralise_av(html: str) -> str:
    """`[sound:x]` and `[anki:tts]…` as text Anki shows rather than plays: the bracket as an entity."""
    return AV_TAG.sub("&#91;", html) if "[" in html else html


def bidi_problem(text: str) -> str | None:
    """A message naming the first bidi control character in `text` and its position, or None."""
    found = BIDI.search(text)
    if found is None:
        return None
    char = found.group()
    return (f"bidirectional control character U+{ord(char):04X} ({unicodedata.name(char, 'unnamed')}) "
            f"at character {found.start() + 1}")


def cloze_problems(text: str) -> list[str]:
    problems = []
    for number in dict.fromkeys(CLOZE_NUMBER.findall(text)):
        value = int(number)
        if not 1 <= value <= MAX_CLOZE:
            problems.append(f"cloze number c{number} is outside 1..{MAX_CLOZE}")
    return problems


def active_content_problems(text: str) -> list[str]:
    """What breaks "no scripts, no network" in a template or stylesheet (after Jinja), in any way a browser may
    read the text (_readings): `java&#115;cript:`, `url("\\2f\\2f host")` and `@\\69mport` are what they decode to."""
    problems = []
    for reading in _readings(text):
        # Each tag from a "<" to the next ">", once: what a "<" inside it reads on to is within it. (A pattern
        # tried from every "<" to the next ">" took quadratic time: 16,000 "<a b='" in a template, 39 s.)
        tags = list(_ANY_TAG.finditer(reading)) if "<" in reading else []
        if _SCRIPT.search(reading):
            problems.append("a <script> element")
        if any(_TAG_HANDLER.search(tag.group()) for tag in tags):  # after a quoted value or '/', too
            problems.append("an event-handler attribute (on…=)")
        problems += [f"{'an' if m[0] in 'aeiouAEIOU' else 'a'} <{m.lower()}> element"
                     for m in re.compile(_EMBEDDING).findall(reading)]
        problems += _url_problems(reading)
        if any("{{" in tag.group() for tag in tags) or _field_in_style(reading, tags):
            problems.append("an Anki field inside a tag or <style> element (its text would be an attribute, a URL or "
                            "CSS)")
    return list(dict.fromkeys(problems))


def _field_in_style(reading: str, tags: list[re.Match[str]]) -> bool:
    """An Anki field in a <style> element's text: after a tag (`tags`: the reading's, _ANY_TAG's) that holds
    "<style", up to the next "</style". A text that one before it took in is not read again."""
    read_to = 0
    for tag in tags:
        if tag.end() > read_to and tag.group().endswith(">") and re.compile(_STYLE_OPENING).search(tag.group()):
            end = re.compile(_STYLE_CLOSING).search(reading, tag.end())
            read_to = len(reading) if end is None else end.start()
            if "{{" in reading[tag.end():read_to]:
                return True
    return False


def _readings(text: str) -> tuple[str, ...]:
    """The text as written, with its HTML entities decoded, and each of those with its CSS escapes decoded (a
    style attribute is both): a browser decodes the one in an attribute, the other in a stylesheet."""
    decoded = html_module.unescape(text) if "&" in text else text
    if "\\" not in decoded:  # nor in the text, then
        return tuple(dict.fromkeys((text, decoded)))
    return tuple(dict.fromkeys((text, decoded, _css_unescaped(text), _css_unescaped(decoded))))


def _css_unescaped(text: str) -> str:
    def char(found: re.Match[str]) -> str:
        if found.group(2) is not None:
            return found.group(2)
        code = int(found.group(1), 16)
        return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"

    return re.compile(_CSS_ESCAPE).sub(char, text)


def _url_problems(reading: str) -> list[str]:
    """A javascript: URL or a remote resource in one reading of a text, as a URL parser reads it."""
    bare = _URL_NOISE.sub("", reading).replace("\\", "/")
    problems = []
    if "javascript:" in bare.lower():
        problems.append("a javascript: URL")
    if _REMOTE.search(bare):
        problems.append("a remote resource (src/href/url() to another host, or @import)")
    return problems


# One tag of a rendered field: a quoted attribute value may hold ">" (a browser reads on to the closing quote).
_RENDERED_TAG = re.compile(r"""<[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>?""")
# One tag as a browser's tokenizer delimits it: a quote opens a value only right after '=' (and white space);
# anywhere else it is a character of a name or of an unquoted value (`<img src=x' onerror=f>` has an onerror);
# a value whose quote never closes runs to the end, as does a tag with no '>' ("close" then unmatched).
_BROWSER_TAG = re.compile(r"""</?[A-Za-z][^\t\n\f\r />]*(?:[\t\n\f\r /]*[^\t\n\f\r />][^\t\n\f\r />=]*"""
                          r"""(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:"[^"]*(?:"|\Z)|'[^']*(?:'|\Z)|[^\t\n\f\r >]*))?)*"""
                          r"""[\t\n\f\r /]*(?P<close>>)?""")
_TAG_HANDLER = re.compile(r"[\s/\"']on[a-z]+\s*=", re.IGNORECASE)
_ACTIVE_ELEMENT = re.compile(r"<\s*/?\s*(script|style|link|iframe|frame|object|embed|meta|base|form)\b", re.IGNORECASE)


def rendered_markup_problems(field: str, passed: set[str]) -> list[str]:
    """What breaks "no scripts, no network" in a field as a template rendered it, read tag by tag. The values
    a template writes are escaped, so a tag in the field is one the template wrote: in its text, which
    template_problems reads, or assembled where its text shows none (`[% set x %]<scr[% endset %][[ x ]]ipt>`,
    `|safe`, an `autoescape false` block). Each tag as a browser reads it (delimited as _tags reads it, entities
    decoded, white space and controls in a URL dropped), and none left open at the field's end: no element that runs
    code or loads a page or style (script, style, link, iframe, object, embed, meta, base, form), no on…= handler, no
    javascript: URL, no remote resource.
    `passed`: tags already found clean (a deck's fields repeat a handful), added to as tags pass."""
    tags, left_open = _tags(field)
    problems = [_LEFT_OPEN] if left_open else []
    for tag in tags - passed:
        read = html_module.unescape(tag)
        found = [f"a <{m.group(1).lower()}> element"] if (m := _ACTIVE_ELEMENT.match(read)) else []
        if _TAG_HANDLER.search(read):
            found.append("an event-handler attribute (on…=)")
        found += [problem for reading in _readings(read) for problem in _url_problems(reading)]
        if found:
            problems += dict.fromkeys(found)
        else:
            passed.add(tag)
    return list(dict.fromkeys(problems))


def _tags(field: str) -> tuple[set[str], bool]:
    """The field's tags in three readings, together a superset of what a browser reads: as a browser's
    tokenizer delimits them, with a quote anywhere taken to open a value (deckgen's reading before), and from
    each '<' to the next '>' (a tag inside what a browser reads as text, a comment's, is read as a tag too:
    `<!-- <a title=" --><script>` is a script, though the quote takes it into a tag in the other readings).
    And whether a tag or comment is left open at the field's end (_LEFT_OPEN)."""
    if "<" not in field:
        return set(), False
    tags = set(_RENDERED_TAG.findall(field)) | set(_ANY_TAG.findall(field))
    last = None
    for last in _BROWSER_TAG.finditer(field):
        tags.add(last.group())
    open_tag = last is not None and last.end() == len(field) and last.group("close") is None
    return tags, open_tag or _comment_left_open(field)


def _comment_left_open(field: str) -> bool:
    """A comment that no "-->" or "--!>" ends, begun at the field's last "<!--" (an earlier one's text holds that
    one's "<!-->" or "<!--->", which ends it). Not a regular expression: one tried from every "<!--" to the end
    took quadratic time (a Sources field of 20,000 "<!--" and a "-->", 80 KB, took 33 s)."""
    start = field.rfind("<!--")
    if start < 0 or field.startswith((">", "->"), start + 4):
        return False
    return "-->" not in field[start + 4:] and "--!>" not in field[start + 4:]


_LEFT_OPEN = ("a tag or comment left open at the field's end (a browser reads on into the card template's text: "
              "`<img src=x` and the template's ` onerror=…>` after the field)")


class _AllowList(HTMLParser):
    """The tags and text of stored HTML as written: entities are left as they are (deckgen writes a '<' of the
    text as "&lt;", and a '[' of Anki's media syntax as "&#91;"), so a '<' in the text is one that opens no tag
    the parser could read — most often a tag left open at the field's end, which a browser closes with the
    card template's next '>', reading its attributes (`<img src=x onerror=…` and the template's `</div>`)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"the tag <{tag}>")
        for name, value in attrs:
            if name != "class" or not _CLASS_VALUE.match(value or ""):
                self.problems.append(f"the attribute {name}= on <{tag}>")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"the tag </{tag}>")

    def handle_comment(self, data):
        self.problems.append("an HTML comment")

    def handle_pi(self, data):
        self.problems.append("a processing instruction")

    def handle_decl(self, decl):
        self.problems.append("a declaration")

    def unknown_decl(self, data):
        self.problems.append("a declaration")

    def handle_data(self, data):
        if "<" in data:
            self.problems.append("a '<' that opens no complete tag (an unclosed tag or comment)")
        if AV_TAG.search(data):
            self.problems.append("Anki media or text-to-speech syntax ([sound:…] / [anki:…])")


_PLAIN_TAG = r'<(/?)([a-z][a-z0-9]*)(?:\s+class="[A-Za-z0-9 _-]*")?\s*/?>'  # compiled when used (textnorm)


def _plainly_allowed(value: str) -> bool:
    """The usual case, decided without the HTML parser: every '<' opens an allowed tag written plainly
    (no attribute but a plain class), and no Anki media syntax anywhere. Otherwise the parser decides."""
    rest = re.compile(_PLAIN_TAG).sub(lambda m: "" if m.group(2) in ALLOWED_TAGS else "<", value)
    return "<" not in rest and not AV_TAG.search(value)


def stored_html_problems(value: str) -> list[str]:
    """Why a stored field (HTML deckgen wrote earlier, as deck.lock keeps it) may not ship; [] if it may."""
    problems: list[str] = []
    control = control_problem(value)
    if control:
        problems.append(f"holds {control}, which deckgen never writes")
    bidi = bidi_problem(value)
    if bidi:
        problems.append(bidi)
    problems += cloze_problems(value)
    math = math_html_problem(value)
    if math:
        problems.append(math)
    media = cloze_av_problem(value)
    if media:
        problems.append(media)
    if ("<" in value or "[" in value) and not _plainly_allowed(value):
        end = value.rfind(">") + 1  # no tag ends after the last '>': the text there is read as text (the parser
        # read from each '<' there to the end: quadratic time, a retired-card notice of 8,000 "<a b='" took 12 s)
        parser = _AllowList()
        try:
            parser.feed(value[:end])
            parser.close()
        except AssertionError:  # Python's parser before 3.13 stops at a marked section it does not know (`<![x[`)
            parser.handle_decl("")
        parser.handle_data(value[end:])
        problems += parser.problems
    return list(dict.fromkeys(problems))


# Characters no field deckgen renders holds: C0 controls but tab and line breaks, DEL, lone surrogates.
_STORED_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
CONTROL_HINT = ("delete it: no control character shows as text, and Anki reads U+001F as the end of a field (the "
                "note's other fields would shift) or of a deck name's part")


def control_problem(text: str) -> str | None:
    """The first character of `text` no field may hold (\\x1f is Anki's field separator; a lone surrogate cannot
    even be written out), with its place, as a message; or None."""
    control = _STORED_CONTROL.search(text)
    if control is None:
        return None
    return f"the character U+{ord(control.group()):04X} at character {control.start() + 1}"


# --- checks of this build's own input -------------------------------------------------------------------
_CARD_TEXT = ("question", "answer", "cloze", "extra")


def card_problems(cards: Iterable[Card]) -> list[Diagnostic]:
    """Cloze numbers Anki cannot use, and bidi control characters, in the cards' text."""
    problems = []
    for card in cards:
        for name in _CARD_TEXT:
            value = getattr(card, name)
            if not value:
                continue
            if name == "cloze":
                for found in CLOZE_NUMBER.finditer(value):
                    number = int(found.group(1))
                    if not 1 <= number <= MAX_CLOZE:
                        problems.append(Diagnostic(
                            card.locate(name), f"cloze number c{found.group(1)} at character {found.start() + 1} "
                            f"is outside 1..{MAX_CLOZE}",
                            "number deletions from c1; Anki makes no card for c0 and merges or refuses numbers "
                            f"above {MAX_CLOZE}"))
            bidi = bidi_problem(value)
            if bidi:
                problems.append(Diagnostic(card.locate(name), f"{name}: {bidi}", BIDI_HINT))
        for ref in card.sources:
            bidi = bidi_problem(ref.quote)
            if bidi:
                problems.append(Diagnostic(ref.quote_location, f"quote: {bidi}", BIDI_HINT))
    return problems


BIDI_HINT = ("it makes the text display differently from what the gate checks; delete it (an editor that shows "
             "invisible characters helps)")

def template_problems(root: Path, note_types: dict[str, NoteType]) -> list[Diagnostic]:
    """"No scripts, no network", enforced: the template files as written (located at the line), then
    the note types as Jinja rendered them (in case a template assembles what its text does not show).
    Every file under templates/ is read, whatever its name (a template can include any of them), but
    templates/preview/, deckgen's own preview page."""
    problems = []
    folder = root / "templates"
    found_in_files = False
    for parent, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not (Path(parent) == folder and d == "preview"))
        for name in sorted(files):
            path = Path(parent) / name
            try:  # every file under templates/ is input, used or not: a FIFO is refused, not passed over
                text = read_input(path, root).decode("utf-8", errors="replace")
            except OSError as exc:
                problems.append(Diagnostic(Location(display_path(path, root)), f"cannot read file: {exc.strerror}"))
                continue
            stylesheet = name.endswith(".css")  # MathJax reads a card's text, not its style
            for line_number, code in enumerate(_without_comments(text).split("\n"), start=1):
                card_text = [] if stylesheet else template_math_problems(code) + anki_filter_problems(code)
                for what in active_content_problems(code) + card_text:
                    found_in_files = True
                    problems.append(Diagnostic(Location(display_path(path, root), line_number), f"{what} in a "
                                               f"card template", NO_SCRIPTS_HINT))
    if not found_in_files:
        for key, note_type in sorted(note_types.items()):
            sides = [t.front for t in note_type.templates] + [t.back for t in note_type.templates]
            found = [p for part in sides + [note_type.css] for p in active_content_problems(part)]  # as shipped
            found += [p for side in sides for p in template_math_problems(side) + anki_filter_problems(side)]
            for what in dict.fromkeys(found):
                problems.append(Diagnostic(note_type.location, f"note type '{key}', as rendered, has {what}",
                                           NO_SCRIPTS_HINT))
    return problems


NO_SCRIPTS_HINT = ("cards must work offline and run no code: no <script>, on…= handlers or javascript: URLs, no "
                   "iframe, frame, object, embed, meta, base, link or form element, no src/href/url()/@import that "
                   "reaches another host (written with entities or CSS escapes too), no MathJax \\href, \\style, "
                   "\\class, \\cssId, \\data, \\bbox, \\mmlToken or \\require (Anki's MathJax writes them as "
                   "HTML), and Anki's {{fields}} only between tags, with a space between a field and a TeX command "
                   "or a letter, and without Anki's text: filter")
_COMMENTS = re.compile(r"\[#.*?#\]", re.S)


def _without_comments(text: str) -> str:
    """Jinja's comments blanked out, keeping their line breaks so that line numbers still hold: they never
    reach a card. A CSS or HTML comment does, and is checked like the rest: what a checker takes for a
    comment a browser may not (`<!-->` ends one at once, `--!>` too, and CSS ignores `<!--` and `-->`)."""
    return _COMMENTS.sub(lambda m: "\n" * m.group().count("\n"), text)


# --- input files ------------------------------------------------------------------------------------------
_LEDGERS: list[dict[str, str | None]] = []  # see reads_recorded


@contextlib.contextmanager
def reads_recorded() -> Iterator[dict[str, str | None]]:
    """While it is open: each input file read_input reads, by its name in the project, with the digest of the
    bytes read (fastpath's: blake2b, 32 bytes), and each it looked for and did not find (record_read). What
    a build records as the inputs it was made from is taken before it reads them; this is what it did read,
    for delta_state.record, fastpath.record and Memo.save to compare: a file changed and changed back while
    the build ran is the same file to a snapshot, not to this."""
    ledger: dict[str, str | None] = {}
    _LEDGERS.append(ledger)
    try:
        yield ledger
    finally:
        _LEDGERS[:] = [other for other in _LEDGERS if other is not ledger]  # by identity: two may be equal


def read_input(path: Path, root: Path) -> bytes:
    """The bytes of an input file under the project, refusing (with OSError, whose strerror says why)
    anything but a regular file inside the project: a FIFO or device would block or never end, and a
    symlink out of the project would make the deck depend on files nobody reviews."""
    data = _read_regular_file(path, root)
    if _LEDGERS:
        record_read(Path(os.path.relpath(path, root)).as_posix(), blake2b(data, digest_size=32).hexdigest())
    return data


def record_read(name: str, digest: str | None) -> None:
    """Put in every open ledger what the build found at `name`: the digest of its bytes, None when it looked
    for the file and found none (a template the project does not override), or a note that no digest of
    the inputs can match ("listed otherwise": a folder listed with other files than the snapshot holds)."""
    for ledger in _LEDGERS:  # found twice, differently: it changed while the build ran
        ledger[name] = digest if ledger.get(name, digest) == digest else "changed while read"


def record_listing(name: str, found: Iterable[str]) -> None:
    """Put in every open ledger what a listing of input files found (`name`: fastpath.DOCUMENTS_LISTED), by
    the names in the project it gave: a file away for a moment while it was listed is read by nothing, and
    the snapshots before and after hold it, so only this tells that the build did without it."""
    if _LEDGERS:
        record_read(name, fastpath.listing_digest(found))


def _read_regular_file(path: Path, root: Path) -> bytes:
    try:
        target = path.resolve(strict=True)
        target.relative_to(root.resolve())
    except ValueError:
        raise OSError(errno.EACCES, "a symlink to outside the project (only files inside it are read)") from None
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO opens at once, and is refused below
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, f"{file_kind(mode)}, not a regular file")
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)
