"""Session 14b's attack on the trust boundary: MathJax commands that write HTML, reaching a card where the
MathJax rule did not read them; and tags of the Sources field that a browser delimits otherwise than the check
did (the second part, below).

The rule (README, "Trust boundary": \\href, \\style, \\class… refused in every field as shipped) read each field
as its HTML is written, and no card template at all. But Anki's MathJax reads the card as the browser built it:
the whole card, template text and fields together, as DOM text, in which a browser drops an end tag that closes
nothing (`\\hr</cite>ef` is the text `\\href`, checked with Chromium's parser below) and MathJax reads the text
on both sides of a comment or a <wbr> as one string. So a card template, the retired-card notice, the Sources
field template and a retired entry's stored fields each shipped a \\style that loads from another host or an
\\href to another host or to javascript:, every build (the first three from files a pull request changes).
Each test builds a project through the CLI (test_trust_boundary's) and expects a located refusal.
"""

from __future__ import annotations

import contextlib
import subprocess

import pytest

from deckgen.trust import (anki_filter_problems, cloze_av_problem, math_html_problem, neutralise_av, stored_html_problems,
                           template_math_problems)
from test_trust_boundary import (ROCKS_YAML, built, built_once, card_hash, edit, key_home,  # noqa: F401 (fixtures)
                                 lock, project, refused, shipped, write_lock)

STYLE = "\\(\\style{background-image:url(//evil.example/p.gif)}{x}\\)"
CHROMIUM = "/usr/bin/chromium"


@pytest.mark.parametrize("template, added, says", [
    # MathJax's own macros build the URL, so that no check of the template's text sees url( before //.
    ("qa/front.html", "\\(\\newcommand{\\s}[1]{\\style{background:u#1(//evil.example/p.gif)}{x}}\\s{rl}\\)",
     "templates/qa/front.html:2: the MathJax command \\style in a card template"),
    ("qa/front.html", "\\(\\href{https://evil.example/}{Tap for the answer}\\)",
     "templates/qa/front.html:2: the MathJax command \\href in a card template"),
    # A command split by markup a browser drops, or by Anki's own section markers (which write nothing).
    ("qa/front.html", "\\(\\hr</cite>ef{https://evil.example/}{x}\\)", "the MathJax command \\href"),
    ("qa/front.html", "\\(\\hr{{#CardId}}{{/CardId}}ef{https://evil.example/}{x}\\)", "the MathJax command \\href"),
    # The template starts a command that the card's text ends, or the other way round.
    ("qa/back.html", "\\(\\hr{{Extra}}\\)", "an Anki field next to a TeX command"),
    ("qa/back.html", "\\({{Extra}}ef{https://evil.example/}{x}\\)", "an Anki field next to a TeX command"),
])
def test_a_mathjax_command_in_a_card_template_is_refused(project, template, added, says):
    edit(project / "templates" / template, '<div class="deckgen">\n', f'<div class="deckgen">\n{added}\n')
    stderr = refused(project, problems=None)
    assert says in stderr, stderr


def test_a_mathjax_command_a_card_template_assembles_is_refused_as_rendered(project):
    """Jinja puts the command together: the note type as rendered is read with the same rule."""
    edit(project / "templates" / "qa" / "front.html", '<div class="deckgen">\n',
         '<div class="deckgen">\n\\(\\[[ "hr" ]]ef{https://evil.example/}{x}\\)\n')
    stderr = refused(project)
    assert "note type 'qa', as rendered, has the MathJax command \\href" in stderr, stderr


def test_a_mathjax_command_split_in_the_retired_notice_is_refused(project):
    """The notice ships in a stored field of every card retired from now on; its check read `\\sty</cite>le`."""
    edit(project / "templates" / "fields" / "retired_notice.html", "finds every removed card.</div>",
         "finds every removed card.\\(\\sty</cite>le{background-image:ur</cite>l(//evil.example/p.gif)}{x}\\)</div>")
    stderr = refused(project)
    assert "templates/fields/retired_notice.html:6: the MathJax command \\style" in stderr, stderr


def test_a_mathjax_command_a_sources_template_writes_across_markup_is_refused(project):
    """`<wbr>` and a comment pass the Sources field's tag check; MathJax reads across them. The template
    assembles the command (so its own text shows none), and the field as rendered is refused."""
    edit(project / "templates" / "fields" / "sources.html", "[% macro sources(citations) %]",
         '[% macro sources(citations) %]\\(\\[[ "hr" ]]<wbr>ef{https://evil.example/}{x}\\)')
    stderr = refused(project, problems=None)
    assert "the Sources field holds the MathJax command \\href" in stderr, stderr


@pytest.mark.parametrize("value", [
    "\\(\\hr</span>ef{javascript:alert(1)}{Sheets}\\)",
    "\\(\\sty<!-- -->le{background:url(https://evil.example/p.png)}{Sheets}\\)",
    "\\(\\hr<td>ef{https://evil.example/}{Sheets}\\)",  # a start tag out of place is dropped too
])
def test_a_retired_entry_with_a_mathjax_command_split_by_markup_is_refused(project, value):
    """A hand-made retired entry, its hash recomputed: the MathJax rule now reads its text as MathJax may."""
    (project / "cards" / "rocks.yaml").write_text(ROCKS_YAML.split("  - id: slate-sheets")[0] + ROCKS_YAML.split(
        "        quote: \"Slate splits into sheets.\"\n")[1], encoding="utf-8")
    built(project)  # slate-sheets is retired now
    data = lock(project)
    entry = data["retired"]["slate-sheets"]
    entry["fields"][1] = value
    entry["hash"] = card_hash(entry, data["note_types"]["qa"]["id"], retired=True)
    write_lock(project, data)
    stderr = refused(project, problems=None)
    assert "deck.lock:" in stderr and "the MathJax command" in stderr, stderr


def test_what_a_browser_drops_is_what_the_rule_joins():
    """Chromium's HTML parser: a stray end tag and an out-of-place start tag leave one text node, `\\href`."""
    page = ('<div>\\hr</cite>ef</div><div>\\hr<td>ef</div><script>document.title = [...document.querySelectorAll('
            '"div")].map(d => d.childNodes.length + d.textContent).join("|")</script>')
    dumped = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                             "data:text/html," + page.replace("#", "%23")], capture_output=True, text=True,
                            timeout=60).stdout
    assert "<title>1\\href|1\\href</title>" in dumped, dumped
    for field in ("\\hr</cite>ef", "\\hr<td>ef"):
        assert math_html_problem(field) == "the MathJax command \\href"


@pytest.mark.parametrize("text", [
    '<div class="question">{{Question}}</div>',
    "\\(x^2\\) {{Answer}} \\[\\frac{1}{2}\\]",
    "{{#Extra}}<div>{{Extra}}</div>{{/Extra}}",
    "{{Question}}<i>included</i>",  # a start tag makes an element: MathJax reads a new string
    '<p>Use \\(\\alpha\\) and <span class="x">{{text:Question}}</span></p>',
])
def test_what_the_rule_still_lets_through(text):
    assert template_math_problems(text) == []
    assert stored_html_problems("<p>\\(\\alpha + \\beta\\)</p><em>Sheets</em>") == []


@pytest.mark.parametrize("text", [
    "\\(\\hr{{Extra}}\\)", "\\({{Extra}}ef{x}{y}\\)", "{{Question}}{{Extra}}", "{{Question}}</i>x", "{{Question}}<td>x",
    "{{Question}}<!-- -->x", "\\hr<wbr>{{Extra}}", "{{Extra}}&#101;f", "\\{{Extra}}",
])
def test_a_field_joined_to_a_command_or_a_letter_is_found(text):
    assert template_math_problems(text) == ["an Anki field next to a TeX command or a letter (MathJax would read a "
                                            "command made of the template's text and the field's)"]


# --- the Sources field's tags, delimited as a browser delimits them ---------------------------------------
# rendered_markup_problems read a tag as running from '<' to a '>' outside quotes, any quote opening a value. A
# browser opens a value with a quote only right after '=': in `<img src=x' onerror=…>` the quote is part of the
# value x', and onerror is an attribute, which that reading took for text after a tag `<img src=x`.
START, END = "[% macro sources(citations) %]", "[% endif %][% endmacro %]"


@pytest.mark.parametrize("anchor, assembled, says", [
    (START, "(\"<img src=x' on\" ~ \"error=alert(1)//>\")|safe", "an event-handler attribute"),
    (END, "('<img src=y\" on' ~ 'error=alert(1)//>')|safe", "an event-handler attribute"),  # no '"' after it
    # A comment ends at -->; the quote in it took the <script> after it (up to the field's next '"') into one
    # long "tag", whose element was read only at its start.
    (START, "('<!-- <a title=\" --><scr' ~ 'ipt>alert(1)</scr' ~ 'ipt>')|safe", "a <script> element"),
])
def test_a_tag_the_sources_template_assembles_is_read_as_a_browser_reads_it(project, anchor, assembled, says):
    edit(project / "templates" / "fields" / "sources.html", anchor,
         f"{anchor}[[ {assembled} ]]" if anchor == START else f"[% endif %][[ {assembled} ]][% endmacro %]")
    stderr = refused(project)
    assert f"templates/fields/sources.html:30: the Sources field, as rendered, has {says}" in stderr, stderr


def test_a_sources_field_may_not_leave_a_tag_open_for_the_card_template_to_finish(project):
    """The field ends inside `<img src=x`; the card template goes on ` onerror=…>` after {{Sources}}: neither
    part held a handler, the card does."""
    edit(project / "templates" / "fields" / "sources.html", END, "[% endif %][[ '<img src=x'|safe ]][% endmacro %]")
    edit(project / "templates" / "partials" / "back_matter.html", "{{Sources}}</div>",
         "{{Sources}} onerror=alert(1)//></div>")
    stderr = refused(project)
    assert "the Sources field, as rendered, has a tag or comment left open at the field's end" in stderr, stderr


def test_a_quote_opens_a_value_only_after_an_equals_sign():
    """Chromium runs both handlers: what the tests above refuse is script in a card."""
    page = ("<img src=x' onerror=window.a=1//><img src=y\" onerror=window.b=1//><!-- <a title=\" -->"
            "<script>window.c=1</script><script>setTimeout(() => document.title = [window.a, window.b, window.c]"
            ".join(), 300)</script>")
    dumped = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=2000",
                             "--dump-dom", "data:text/html," + page.replace("#", "%23")], capture_output=True,
                            text=True, timeout=60).stdout
    assert "<title>1,1,1</title>" in dumped, dumped


# --- names Anki shows in a card as HTML: {{Type}}, {{Card}}, {{Deck}}, {{Subdeck}} ------------------------------
# A note type's name and a card template's were read only as lines of notetypes.yaml: a YAML value folded over
# two lines, or a name Jinja puts together, shipped <img src=x onerror=…> to every card whose template shows
# {{Card}} or {{Type}} (checked with Anki's backend). A deck's name was checked for '<', not for MathJax.
SHOWS_NAMES = ('<div class="question">{{Question}}</div>',
               '<div class="question">{{Question}}</div> <div>{{Type}} {{Card}}</div> <div>\\( {{Subdeck}} \\)</div>')


@pytest.mark.parametrize("old, new, says", [
    ("- name: Question → Answer", "- name: >-\n        Q <img src=x\n        onerror=alert(1)>",
     "templates/notetypes.yaml:16:13: the name of a card template holds '<', as rendered"),
    ('name: "[[ deck.title ]] Q&A (deckgen)"', "name: \"[[ deck.title ]] [[ '<img src=x on' ~ 'error=alert(1)>' ]]\"",
     "templates/notetypes.yaml:11:9: the name of note type 'qa' holds '<', as rendered"),
    ('name: "[[ deck.title ]] Q&A (deckgen)"', "name: \"[[ deck.title ]] \\\\[[ 'st' ]]yle{color:red}{x}\"",
     "templates/notetypes.yaml:11:9: the name of note type 'qa' holds the MathJax command \\style, as rendered"),
])
def test_a_note_type_or_card_template_name_is_checked_as_rendered(project, old, new, says):
    edit(project / "templates" / "qa" / "front.html", *SHOWS_NAMES)
    edit(project / "templates" / "notetypes.yaml", old, new)
    stderr = refused(project)
    assert stderr.startswith(says), stderr


@pytest.mark.parametrize("file, old, new, says", [
    ("rocks.yaml", "deck: Rocks", "deck: '\\style{background:url(//evil.example/p.gif)}{x}'",
     "cards/rocks.yaml:1:7: deck name '\\style{background:url(//evil.example/p.gif)}{x}' holds the MathJax command "
     "\\style"),
    ("deck.yaml", "title: Trust Test", "title: 'Trust \\href{https://evil.example/}{Test}'",
     "cards/deck.yaml:1:8: title holds the MathJax command \\href"),
])
def test_a_deck_name_with_a_mathjax_command_is_refused(project, file, old, new, says):
    edit(project / "templates" / "qa" / "front.html", *SHOWS_NAMES)
    edit(project / "cards" / file, old, new)
    stderr = refused(project, problems=None)
    assert stderr.startswith(says), stderr


# --- fields/sources.html's macro, called from Python ----------------------------------------------------------
def test_a_sources_that_is_no_macro_is_never_called_from_python(project):
    """deckgen took `sources` from the template's module and called it from Python if it was callable: a
    bound str.format was called outside the sandbox's call checks and its result never escaped (the source's
    title shipped as markup); with Jinja 3.1.4, which the project allowed, that format was the unsandboxed one,
    and `{0[0]._make.__func__.__globals__[_sys].modules[deckgen.userkey]._cached}` put this user's build key
    into the deck. Only a macro is called; anything else is the template, rendered (here: an empty field)."""
    edit(project / "sources" / "rocks.md", 'title: "Rocks"', 'title: "Rocks <u>under</u>"')
    (project / "templates" / "fields" / "sources.html").write_text(
        '[% set sources = "MARK {0[0].title}".format %]\n', encoding="utf-8")
    built(project)
    fields = [field for note in shipped(project).values() for field in note["fields"]]
    assert not any("MARK" in field or "<u>" in field for field in fields), fields


# --- a cloze inside a formula ---------------------------------------------------------------------------------
PUMICE = ('  - id: pumice-style\n'
          "    cloze: 'Pumice floats on {{c1::water}} \\(\\sty{{c1::le}}{background:url(//evil.example/p.gif)}{x}\\).'\n"
          '    sources:\n      - doc: rocks\n'
          '        quote: "Pumice floats on water in style: background url evil example p gif x."\n')


def test_a_mathjax_command_a_cloze_splits_is_refused(project):
    """Anki renders a cloze inside a formula as its bare text: `\\sty{{c1::le}}` is `\\style` on the back (and
    `\\hr{{c2::ef}}` is `\\href` on every other card). The source has the card's words, so the gate passes it;
    the field as written held no command. From the card's YAML alone, a remote load on every review."""
    edit(project / "sources" / "rocks.md", "Pumice floats on water.",
         "Pumice floats on water in style: background url evil example p gif x.")
    with open(project / "cards" / "rocks.yaml", "a", encoding="utf-8") as cards:
        cards.write(PUMICE)
    stderr = refused(project)
    assert stderr.startswith("cards/rocks.yaml:21:12: the Text field holds the MathJax command \\style"), stderr


@contextlib.contextmanager
def _anki_cloze(tmp_path, text: str):
    """A note of Anki's own Cloze type with `text`, added to a new collection through Anki's backend."""
    from anki.collection import Collection  # test extras

    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        note = col.new_note(col.models.by_name("Cloze"))
        note["Text"] = text
        col.add_note(note, col.decks.id("Default"))
        yield note
    finally:
        col.close()


def test_anki_renders_a_cloze_inside_a_formula_as_bare_text(tmp_path):
    with _anki_cloze(tmp_path, "\\(\\sty{{c1::le}}{color:red}{x}\\) \\(\\hr{{c2::ef}}{a}{b}\\)") as note:
        first, second = note.cards()
        assert "\\style{color:red}" in first.answer() and "\\href{a}" in first.question(), first.answer()
        assert "\\href{a}" in second.answer() and "\\style{color:red}" in second.question()
    assert math_html_problem(note["Text"]) == "the MathJax command \\style"
    assert math_html_problem("\\(\\hr{{c1::ef::a hint}}{a}{b}\\)") == "the MathJax command \\href"  # no hint


def test_anki_media_syntax_a_cloze_puts_together_is_refused(project):
    """The same rendering plays `\\([sou{{c1::nd}}:pumice.mp3]\\)` (checked below with Anki's backend): the
    escaper showed `[sound:…]` as text only where the field, as written, holds it whole."""
    edit(project / "sources" / "rocks.md", "Pumice floats on water.", "Pumice floats on water: sound pumice mp3.")
    with open(project / "cards" / "rocks.yaml", "a", encoding="utf-8") as cards:
        cards.write(PUMICE.replace("pumice-style", "pumice-sound").replace(
            "\\(\\sty{{c1::le}}{background:url(//evil.example/p.gif)}{x}\\)", "\\([sou{{c1::nd}}:pumice.mp3]\\)").replace(
            "water in style: background url evil example p gif x.", "water: sound pumice mp3."))
    stderr = refused(project)
    assert stderr.startswith("cards/rocks.yaml:21:12: the Text field holds Anki media or text-to-speech syntax that "
                             "a cloze puts together"), stderr


def test_anki_plays_media_syntax_a_cloze_puts_together(tmp_path):
    with _anki_cloze(tmp_path, "\\([sou{{c1::nd}}:pumice.mp3]\\)") as note:
        assert [tag.filename for tag in note.cards()[0].answer_av_tags()] == ["pumice.mp3"]
    assert cloze_av_problem(note["Text"]) and cloze_av_problem(neutralise_av("[sound:x.mp3] {{c1::y}}")) is None


# --- a retired entry's tags, which {{Tags}} shows -----------------------------------------------------------------
@pytest.mark.parametrize("tag, says", [
    ("[sound:pumice.mp3]", "Anki media"),
    ("\\style{background:url(//evil.example/p.gif)}{x}", "the MathJax command \\style"),
])
def test_a_retired_entry_s_tag_that_anki_would_play_or_mathjax_would_write_is_refused(project, tag, says):
    """A retired entry's tags were checked for '<' alone: a hand-made one, its hash recomputed, shipped a tag
    that a template showing {{Tags}} played (Anki plays what the card holds) or made into a remote load."""
    edit(project / "templates" / "qa" / "front.html", '<div class="question">{{Question}}</div>',
         '<div class="question">{{Question}}</div> <div>\\( {{Tags}} \\)</div>')
    (project / "cards" / "rocks.yaml").write_text(ROCKS_YAML.split("  - id: slate-sheets")[0] + ROCKS_YAML.split(
        "        quote: \"Slate splits into sheets.\"\n")[1], encoding="utf-8")
    built(project)  # slate-sheets is retired now
    data = lock(project)
    entry = data["retired"]["slate-sheets"]
    entry["tags"] = [tag] + entry["tags"]
    entry["hash"] = card_hash(entry, data["note_types"]["qa"]["id"], retired=True)
    write_lock(project, data)
    stderr = refused(project, problems=None)
    assert "deck.lock:" in stderr and f"a tag of retired card 'slate-sheets' holds {says}" in stderr, stderr


# --- Anki's text: filter ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("field", ["{{text:Question}}", "{{ text:Question }}", "{{text:hint:Extra}}"])
def test_anki_s_text_filter_is_refused_in_a_card_template(project, field):
    """{{text:Question}} takes the field's tags out and decodes its entities: what the escaper wrote as text
    (`&lt;img src=x onerror=…&gt;`, from a card or a cited source) is a tag in the card."""
    edit(project / "templates" / "qa" / "front.html", "{{Question}}", field)
    stderr = refused(project)
    assert stderr.startswith("templates/qa/front.html:2: Anki's text: filter"), stderr


def test_anki_s_text_filter_decodes_what_deckgen_escaped(tmp_path):
    from anki.collection import Collection  # test extras

    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        basic = col.models.by_name("Basic")
        basic["tmpls"][0]["qfmt"] = "{{text:Front}}"
        col.models.update_dict(basic)
        note = col.new_note(col.models.by_name("Basic"))
        note["Front"] = "&lt;img src=x onerror=f()&gt; &#91;sound:x.mp3]"
        col.add_note(note, col.decks.id("Default"))
        card = note.cards()[0]
        assert "<img src=x onerror=f()>" in card.question() and card.question_av_tags(), card.question()
    finally:
        col.close()
    assert anki_filter_problems("<p>{{text:Front}}</p>") and not anki_filter_problems("<p>{{Text}} {{text}}</p>")
