"""No raw HTML, script, event handler or javascript: URL reaches a card — checked in real Anki.

Anki cards are HTML pages that run scripts, so everything an author (or a source document) types is
text: only the small documented markup (*emphasis*, **strong**, `code`, '- ' lists) becomes markup.
The deck is built by the CLI, imported by the real `anki` package, and every side of every card as
Anki renders it is parsed for elements, attributes and URLs.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

from deckgen.markup import to_html
from helpers import import_apkg, notes_by_card_id, open_collection, run_cli
from mini_project import apkg, make_project

# A source document that itself carries hostile markup: quotes from it end up on the back of cards.
HOSTILE_SOURCE = """\
---
title: "Web risks <b onmouseover=alert('title')>bold</b>"
publisher: "<script>alert('publisher')</script>"
language: en
---
An attacker writes <img src=x onerror=alert(1)> in a page after <script>alert('question')</script>.
A link like [click](javascript:alert(2)) runs a script.
The tag <script>alert(3)</script> runs code like <img src=y onerror=alert('hint')>.
An SVG such as <svg/onload=alert(4)> runs code on load.
Payloads also hide in [click](javascript:alert('extra')) <a href="javascript:alert(5)">x</a> <javascript:alert(6)> ![i](javascript:alert(7)) &lt;script&gt;alert(8)&lt;/script&gt;.
Markup that is allowed: strong words and code <b>.
"""

HOSTILE_CARDS = """\
deck: Risks
cards:
  - id: attacker-writes
    question: "<script>alert('question')</script> What does an attacker write in a page after it?"
    answer: "<img src=x onerror=alert(1)>"
    extra: "[click](javascript:alert('extra')) <a href=\\"javascript:alert(5)\\">x</a> <javascript:alert(6)> ![i](javascript:alert(7)) &lt;script&gt;alert(8)&lt;/script&gt;"
    sources:
      - doc: web-risks
        quote: "An attacker writes <img src=x onerror=alert(1)> in a page after <script>alert('question')</script>."
      - doc: web-risks
        quote: 'Payloads also hide in [click](javascript:alert(''extra'')) <a href="javascript:alert(5)">x</a> <javascript:alert(6)> ![i](javascript:alert(7)) &lt;script&gt;alert(8)&lt;/script&gt;.'

  - id: link-runs
    question: Which link runs a script?
    answer: "[click](javascript:alert(2))"
    sources:
      - doc: web-risks
        quote: "A link like [click](javascript:alert(2)) runs a script."

  - id: tag-runs-cloze
    cloze: "The tag {{c1::<script>alert(3)</script>::<img src=y onerror=alert('hint')>}} runs code."
    sources:
      - doc: web-risks
        quote: "The tag <script>alert(3)</script> runs code like <img src=y onerror=alert('hint')>."

  - id: svg-on-load
    question: What runs code on load?
    answer: "An SVG such as <svg/onload=alert(4)>"
    extra: |-
      Markup that *is* allowed:
      - **strong** words
      - `code <b>`
    sources:
      - doc: web-risks
        quote: "An SVG such as <svg/onload=alert(4)> runs code on load."
      - doc: web-risks
        quote: "Markup that is allowed: strong words and code <b>."
"""

# What the payloads must show as: visible text, exactly as typed.
VISIBLE = {
    "attacker-writes": ["<script>alert('question')</script>", "<img src=x onerror=alert(1)>",
                        "[click](javascript:alert('extra'))", '<a href="javascript:alert(5)">x</a>',
                        "<javascript:alert(6)>", "![i](javascript:alert(7))", "&lt;script&gt;alert(8)&lt;/script&gt;"],
    "link-runs": ["[click](javascript:alert(2))"],
    "tag-runs-cloze": ["<script>alert(3)</script>"],
    "svg-on-load": ["<svg/onload=alert(4)>"],
}
DANGEROUS_ELEMENTS = {"script", "img", "svg", "a", "iframe", "object", "embed", "link", "meta", "base", "form",
                      "input", "button", "video", "audio", "source", "math", "b"}


class Elements(HTMLParser):
    """Every start tag with its attributes, and the visible text, of one rendered card side."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []
        self._in_style = False
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self._in_style = tag == "style"

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if not self._in_style:
            self.text.append(data)

    @property
    def visible(self) -> str:
        return "".join(self.text)


def assert_inert(page: str, where: str) -> Elements:
    parsed = Elements(page)
    for tag, attrs in parsed.tags:
        assert tag not in DANGEROUS_ELEMENTS, f"{where}: <{tag}> reached the card"
        for name, value in attrs:
            assert not name.startswith("on"), f"{where}: event handler {name} on <{tag}>"
            squeezed = re.sub(r"[\s\x00-\x1f]", "", html.unescape(value or "")).lower()
            assert "javascript:" not in squeezed, f"{where}: javascript: URL in {name} of <{tag}>"
    return parsed


@pytest.fixture(scope="module")
def hostile_deck(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("hostile") / "project")
    (project / "sources" / "web-risks.md").write_text(HOSTILE_SOURCE, encoding="utf-8")
    (project / "cards" / "risks.yaml").write_text(HOSTILE_CARDS, encoding="utf-8")
    result = run_cli(project, "build")
    assert result.returncode == 0, result.stderr
    folder = tmp_path_factory.mktemp("anki")
    col = open_collection(folder / "collection.anki2")
    log = import_apkg(col, apkg(project))
    assert not log.conflicting
    yield col
    col.close()


def test_every_rendered_side_of_every_card_is_inert(hostile_deck):
    col = hostile_deck
    sides = 0
    for card_id in col.find_cards(""):
        card = col.get_card(card_id)
        for side, page in (("front", card.question()), ("back", card.answer())):
            assert_inert(page, f"{card.note()['CardId']} {side}")
            sides += 1
    assert sides == 2 * col.card_count() and col.card_count() >= 10


def test_payloads_arrive_as_visible_text(hostile_deck):
    col = hostile_deck
    notes = notes_by_card_id(col)
    for card_id, payloads in VISIBLE.items():
        backs = " ".join(Elements(card.answer()).visible for card in notes[card_id].cards())
        for payload in payloads:
            assert payload in backs, f"{card_id}: {payload!r} is not shown as typed"


def test_hostile_source_quotes_and_titles_are_text_on_the_back(hostile_deck):
    col = hostile_deck
    back = Elements(notes_by_card_id(col)["attacker-writes"].cards()[0].answer()).visible
    assert "Web risks <b onmouseover=alert('title')>bold</b>" in back
    assert "<script>alert('publisher')</script>" in back
    assert "An attacker writes <img src=x onerror=alert(1)> in a page after" in back


def test_cloze_hint_is_text_on_the_front(hostile_deck):
    col = hostile_deck
    front = notes_by_card_id(col)["tag-runs-cloze"].cards()[0].question()
    parsed = assert_inert(front, "cloze front")
    assert "<img src=y onerror=alert('hint')>" in parsed.visible


def test_the_documented_markup_does_render(hostile_deck):
    col = hostile_deck
    back = notes_by_card_id(col)["svg-on-load"].cards()[0].answer()
    parsed = Elements(back)
    tags = [tag for tag, _ in parsed.tags]
    assert {"em", "strong", "code", "ul", "li"} <= set(tags)
    assert "code <b>" in parsed.visible


@pytest.mark.parametrize("text", [
    "<script>alert(1)</script>", "<SCRIPT SRC=//x.test/x.js></SCRIPT>", "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "<javascript:alert(1)>", "![x](javascript:alert(1))",
    "<a href='jav&#x09;ascript:alert(1)'>x</a>", "&#60;script&#62;alert(1)&#60;/script&#62;",
    "<svg/onload=alert(1)>", "<iframe srcdoc='<script>alert(1)</script>'>", "- item <b onclick=alert(1)>x</b>",
    "*<img src=x onerror=alert(1)>*", "`<script>`", "line one\n\n<div onmouseover=alert(1)>two</div>",
    "{{c1::<script>alert(1)</script>::<img src=x onerror=alert(1)>}}", "<style>body{display:none}</style>",
    "\u003cscript\u003ealert(1)\u003c/script\u003e", "<!-- <script>alert(1)</script> -->",
])
def test_markup_renders_no_active_content(text):
    rendered = to_html(text)
    parsed = assert_inert(rendered, repr(text))
    assert not {tag for tag, _ in parsed.tags} - {"em", "strong", "code", "ul", "ol", "li", "p", "br"}


# --- MathJax: \( … \) and \[ … \] reach Anki as typed ------------------------------------------------
MATH_SOURCE = """\
---
title: "Energy Notes"
publisher: deckgen tests
language: en
---
## Energy

The equation \\(E = mc^2\\) relates energy and mass.
The sum \\[a*b*c + x_1 * y_1 < z\\] is written on its own line.
"""

MATH_CARDS = r"""deck: Math
cards:
  - id: energy-mass
    question: What does the equation \(E = mc^2\) relate?
    answer: Energy and *mass*.
    sources:
      - doc: physics
        quote: "The equation \\(E = mc^2\\) relates energy and mass."
  - id: energy-cloze
    cloze: "The equation {{c1::\\(E = mc^2\\)}} relates energy and mass."
    sources:
      - doc: physics
        quote: "The equation \\(E = mc^2\\) relates energy and mass."
  - id: display-sum
    question: "How is the sum \\[a*b*c + x_1 * y_1 < z\\] written?"
    answer: On its own line.
    sources:
      - doc: physics
        quote: "The sum \\[a*b*c + x_1 * y_1 < z\\] is written on its own line."
"""


@pytest.mark.parametrize(("text", "expected"), [
    (r"Euler: \(e^{i\pi}+1=0\) is *nice*", r"Euler: \(e^{i\pi}+1=0\) is <em>nice</em>"),
    (r"\[a*b*c < d\]", r"\[a*b*c &lt; d\]"),
    (r"a \(x_1 * y_2\) and **b**", r"a \(x_1 * y_2\) and <strong>b</strong>"),
    ("one\n- \\(x_1\\)\n- \\[y\n+ z\\]", "<p>one</p>\n<ul>\n<li>\\(x_1\\)</li>\n<li>\\[y\n+ z\\]</li>\n</ul>"),
    (r"{{c1::\(x^2\)}} squared", r"{{c1::\(x^2\)}} squared"),
    (r"\(<script>alert(1)</script>\)", r"\(&lt;script&gt;alert(1)&lt;/script&gt;\)"),
    (r"not math: \* and \( alone", r"not math: * and ( alone"),  # markdown's escapes, outside formulas, as before
])
def test_math_delimiters_and_content_pass_through(text, expected):
    assert to_html(text) == expected


@pytest.fixture(scope="module")
def math_deck(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("math") / "project")
    (project / "sources" / "physics.md").write_text(MATH_SOURCE, encoding="utf-8")
    (project / "cards" / "math.yaml").write_text(MATH_CARDS, encoding="utf-8")
    result = run_cli(project, "build")
    assert result.returncode == 0, result.stderr
    col = open_collection(tmp_path_factory.mktemp("anki-math") / "collection.anki2")
    import_apkg(col, apkg(project))
    yield notes_by_card_id(col)
    col.close()


def test_math_reaches_anki_intact(math_deck):
    """Anki's own renderer (the backend behind card.question()/answer()) hands the formulas to MathJax as typed."""
    qa = math_deck["energy-mass"].cards()[0]
    for side in (qa.question(), qa.answer()):
        assert r"What does the equation \(E = mc^2\) relate?" in side
    assert "Energy and <em>mass</em>." in qa.answer()
    display = math_deck["display-sum"].cards()[0]
    assert r"How is the sum \[a*b*c + x_1 * y_1 &lt; z\] written?" in display.question()
    assert "<em>" not in display.question()
    cloze = math_deck["energy-cloze"].cards()[0]
    assert r"\(E = mc^2\)" not in re.sub(r'data-cloze="[^"]*"', "", cloze.question())  # hidden on the front
    assert r'<span class="cloze" data-ordinal="1">\(E = mc^2\)</span>' in cloze.answer()
