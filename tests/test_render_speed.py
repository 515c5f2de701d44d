"""Rendering a note's Sources field the fast way writes exactly what the general way writes.

* templates/fields/sources.html defines the macro `sources(citations)`, which the renderer calls
  from Python (Template.module) instead of rendering the template with a new context for every note;
  the citations are NamedTuples rather than dicts. The general way, as every note was rendered before:
  the macro's body as a template of its own, through Template.render, with the citations as dicts. A
  sources.html without the macro still renders, that way.
* The quoted words' place in their sentence is found without str.translate when the sentence is ASCII.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deckgen import pipeline, render
from deckgen.diagnostics import Location
from deckgen.model import DeckSettings
from deckgen.textnorm import ONE_FOR_ONE, normalize
from helpers import REPO, copy_templates

MACRO_START = "[% macro sources(citations) %]"
MACRO_END = "[% endmacro %]"
SETTINGS = DeckSettings("Test deck", "", "test.apkg", Location("cards/deck.yaml"))


def _templates(target: Path, sources_html: str) -> Path:
    """A project root whose templates are the repository's, with this fields/sources.html."""
    copy_templates(target)
    (target / "templates" / render.SOURCES_FIELD_TEMPLATE).write_text(sources_html, encoding="utf-8")
    return target


def _without_the_macro(text: str) -> str:
    """sources.html as it was before the macro: the same loop, at the template's top level."""
    assert text.count(MACRO_START) == 1 and text.count(MACRO_END) == 1, "the macro's first and last lines changed"
    return text.replace(MACRO_START, "").replace(MACRO_END, "")


@pytest.fixture(scope="module")
def roots(tmp_path_factory) -> dict[str, Path]:
    text = (render.DEFAULT_TEMPLATES / render.SOURCES_FIELD_TEMPLATE).read_text(encoding="utf-8")
    base = tmp_path_factory.mktemp("render-speed")
    return {"macro": _templates(base / "macro", text), "loop": _templates(base / "loop", _without_the_macro(text))}


@pytest.fixture(scope="module")
def renderers(roots) -> dict[str, render.Renderer]:
    made = {}
    for way, root in roots.items():
        renderer = render.Renderer(root, SETTINGS)
        renderer.check_field_templates()
        assert not renderer.diagnostics, renderer.diagnostics
        made[way] = renderer
    assert made["macro"]._sources_macro is not None, "the repository's sources.html is rendered the slow way"
    assert made["loop"]._sources_macro is None
    return made


def _as_before(roots, supports) -> str:
    """The Sources field the way every note was rendered before: Template.render, citations as dicts."""
    env = render.environment(roots["loop"] / "templates", autoescape=True)
    citations = [{"quote": s.ref.quote,
                  "parts": [{"text": p.text, "quoted": p.quoted, "context": p.context}
                            for p in render.quote_in_context(s)],
                  "title": s.doc.title, "publisher": s.doc.publisher, "date": s.doc.date, "doc": s.doc.id,
                  "machine_translated": s.doc.machine_translated, "repeats_card": False,
                  "table": render.quoted_row(s, render.quote_in_context(s))}
                 for s in supports]
    return env.get_template(render.SOURCES_FIELD_TEMPLATE).render(citations=citations).strip()


def _support(sentence: str, quote: str, title: str, publisher: str, date: str) -> SimpleNamespace:
    """What the renderer reads of a trace.Support."""
    unit = SimpleNamespace(text=sentence, index=0, lead=None)
    return SimpleNamespace(ref=SimpleNamespace(quote=quote), units=(unit,), quoted=(unit,), extra_units=(),
                           doc=SimpleNamespace(title=title, publisher=publisher, date=date, id="doc",
                                               machine_translated="no", set_aside=()))


_TRICKY = "ab <>&\"'*_ é\u00e9\u2019\u201c\u2014\u00a0\u2026.…\u00df\u0130{}:"
_TEXT = st.text(alphabet=st.sampled_from(_TRICKY), max_size=20) | st.text(max_size=12)


@st.composite
def _citation(draw) -> SimpleNamespace:
    sentence = draw(_TEXT)
    normal = normalize(sentence)
    start = draw(st.integers(0, len(normal)))
    end = draw(st.integers(start, len(normal)))
    cut = draw(st.integers(start, end))
    quote = draw(st.sampled_from([normal[start:end], normal[start:cut] + " ... " + normal[cut:end], sentence,
                                  draw(_TEXT)]))
    return _support(sentence, quote, draw(_TEXT), draw(_TEXT), draw(st.sampled_from(["", "2024-01-02"]) | _TEXT))


@settings(max_examples=300, deadline=None)
@given(st.lists(_citation(), min_size=0, max_size=4))
def test_the_macro_renders_what_the_template_rendered_for_each_note(renderers, roots, supports):
    expected = _as_before(roots, supports)
    assert renderers["macro"].citations(tuple(supports)) == expected
    assert renderers["loop"].citations(tuple(supports)) == expected


def test_every_note_of_the_real_deck_has_the_sources_it_had(renderers, roots):
    checked = pipeline.check(REPO)
    assert checked.traces
    for trace in checked.traces:
        supports = trace.supports + trace.context
        assert renderers["macro"].citations(supports) == _as_before(roots, supports), trace.card.id


def test_card_text_in_a_citation_arrives_escaped_as_plain_text(renderers):
    hostile = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
    field = renderers["macro"].citations((_support(hostile, hostile, hostile, hostile, hostile),))
    assert type(field) is str  # not Markup, whose methods would escape what is added to the field
    assert "<script" not in field and "<img" not in field
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;" in field
    assert field.count('<figure class="citation">') == 1


def test_several_citations_are_one_block_each_in_order(renderers):
    supports = tuple(_support(f"Sentence {n} is *here*.", f"sentence {n}", f"Title {n}", "Pub", "") for n in range(3))
    field = renderers["macro"].citations(supports)
    assert field.count('<figure class="citation">') == 3
    assert field.index("Title 0") < field.index("Title 1") < field.index("Title 2")
    assert '<mark class="quoted">Sentence 0</mark> is *here*.' in field


def test_white_space_around_the_blocks_is_trimmed_both_ways(tmp_path, roots):
    text = (roots["macro"] / "templates" / render.SOURCES_FIELD_TEMPLATE).read_text(encoding="utf-8")
    spaced = text.replace(MACRO_START, MACRO_START + "\n  ").replace(MACRO_END, "\n\n" + MACRO_END)
    fields = []
    for way, sources_html in (("macro", spaced), ("loop", _without_the_macro(spaced))):
        renderer = render.Renderer(_templates(tmp_path / way, sources_html), SETTINGS)
        fields.append(renderer.citations((_support("A b.", "a b", "T", "P", "2020"),) * 2))
    assert fields[0] == fields[1] and fields[0].startswith("<figure") and fields[0].endswith("</figure>")


@pytest.mark.parametrize("way", ["macro", "loop"])
def test_an_error_in_the_field_template_points_at_its_line(tmp_path, roots, way):
    text = (roots[way] / "templates" / render.SOURCES_FIELD_TEMPLATE).read_text(encoding="utf-8")
    root = _templates(tmp_path, text.replace("[[ citation.title ]]", "[[ citation.title ]][[ citation.no_such_key ]]"))
    renderer = render.Renderer(root, SETTINGS)
    renderer.check_field_templates()
    line = text[:text.index("[[ citation.title ]]")].count("\n") + 1  # where the template says the title
    assert [d.location for d in renderer.diagnostics] == [Location("templates/fields/sources.html", line)]
    assert "no attribute 'no_such_key'" in renderer.diagnostics[0].message


def test_a_syntax_error_in_the_macro_is_reported(tmp_path, roots):
    text = (roots["macro"] / "templates" / render.SOURCES_FIELD_TEMPLATE).read_text(encoding="utf-8")
    renderer = render.Renderer(_templates(tmp_path, text.replace(MACRO_END, "")), SETTINGS)
    renderer.check_field_templates()
    assert len(renderer.diagnostics) == 1 and "syntax error" in renderer.diagnostics[0].message
    with pytest.raises(jinja2.TemplateError):
        renderer.citations(())


def test_one_for_one_maps_only_characters_outside_ascii():
    assert all(code > 127 for code in ONE_FOR_ONE)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(_TRICKY + "ABC\t\n"), max_size=30) | st.text(max_size=30))
def test_the_aligned_form_skips_translate_only_where_it_changes_nothing(text):
    assert render._one_for_one_lower(text) == text.translate(ONE_FOR_ONE).lower()
