"""The back of the card serves the learner (issue 13, rule 8), as the Sources field is rendered.

* at most two citations shown, the rest folded into a "more sources" <details>;
* a cloze whose citation is (nearly) the cloze itself shows that citation's caption alone;
* each caption says what its seed allows: title, publisher, date, and whether it is machine-translated;
* where a quote spans more sentences than the one that carries the claim, only that one's words are marked.

How these look and open on a phone, in Chromium and WebKit, is tests/test_mobile.py's part.
"""

from __future__ import annotations

import html
import re
from types import SimpleNamespace

import pytest

from deckgen import pipeline, render
from deckgen.diagnostics import Location
from deckgen.model import CardKind, DeckSettings
from deckgen.sources import UnitKind, load_corpus
from helpers import REPO, run_cli
from mini_project import make_project

SETTINGS = DeckSettings("Test deck", "", "test.apkg", Location("cards/deck.yaml"))
CAPTION = re.compile(r'<figcaption class="citation-source">(.*?)</figcaption>', re.S)
MARK = re.compile(r'<mark class="quoted">(.*?)</mark>', re.S)
CONTEXT = re.compile(r'<span class="citation-context">(.*?)</span>', re.S)


@pytest.fixture(scope="module")
def renderer() -> render.Renderer:
    made = render.Renderer(REPO, SETTINGS)
    made.check_field_templates()
    assert not made.diagnostics, made.diagnostics
    return made


def _unit(index: int, text: str) -> SimpleNamespace:
    return SimpleNamespace(index=index, text=text, lead=None, kind=UnitKind.SENTENCE)


def _support(quote: str, units: tuple, quoted: tuple, title: str = "T", machine_translated: str = "no",
             extra_units: tuple = ()):
    """What the renderer reads of a trace.Support."""
    doc = SimpleNamespace(title=title, publisher="P", date="2020-01-02", id="doc", machine_translated=machine_translated,
                          set_aside=())
    return SimpleNamespace(ref=SimpleNamespace(quote=quote), units=units, quoted=quoted, doc=doc,
                           extra_units=extra_units)


def _one_sentence(text: str, title: str = "T") -> SimpleNamespace:
    unit = _unit(0, text)
    return _support(text, (unit,), (unit,), title)


def _cloze(text: str) -> SimpleNamespace:
    return SimpleNamespace(kind=CardKind.CLOZE, cloze=text)


# --- at most two citations shown ------------------------------------------------------------------
@pytest.mark.parametrize("count", [1, 2, 3, 5])
def test_citations_beyond_the_second_fold_into_one_details(renderer, count):
    supports = tuple(_one_sentence(f"Sentence number {n} is here.", f"Title {n}") for n in range(count))
    field = renderer.citations(supports)
    shown, _, folded = field.partition('<details class="more-sources">')
    assert shown.count('<figure class="citation">') == min(count, 2)
    assert folded.count('<figure class="citation">') == max(count - 2, 0)
    assert field.count("<details") == (count > 2) and "<script" not in field and " open" not in field
    if count > 2:
        summary = re.search(r"<summary>(.*?)</summary>", folded).group(1)
        assert summary == f"{count - 2} more source{'s' if count > 3 else ''}"
    titles = [field.index(f"Title {n}") for n in range(count)]
    assert titles == sorted(titles), "the citations keep their order"


# --- a cloze back does not repeat the card ----------------------------------------------------------
def test_a_cloze_citation_that_is_the_cloze_shows_its_caption_alone(renderer):
    sentence = "Obsidian is a volcanic glass that forms when lava cools fast."
    support = _one_sentence(sentence)
    repeated = renderer.citations((support,), render.cloze_words(_cloze("Obsidian is a {{c1::volcanic glass}} "
                                                                        "that forms when {{c2::lava::hot rock}} "
                                                                        "cools fast.")))
    assert "<blockquote" not in repeated and "volcanic glass" not in repeated
    assert CAPTION.findall(repeated) == ["Source: T · P, 2020-01-02"]
    nearly = renderer.citations((support,), render.cloze_words(_cloze("Obsidian is a {{c1::volcanic glass}} "
                                                                      "formed when lava cools fast.")))
    assert "<blockquote" not in nearly, "a near repeat (one word changed) is a repeat too"


def test_a_citation_that_says_more_than_the_cloze_or_backs_a_question_is_shown(renderer):
    support = _one_sentence("Obsidian, a volcanic glass, was used for blades and mirrors in many old cultures.")
    other = renderer.citations((support,), render.cloze_words(_cloze("Obsidian is a {{c1::volcanic glass}}.")))
    assert '<mark class="quoted">' in other and "Source:" not in other
    qa_card = SimpleNamespace(kind=CardKind.QA, cloze="")
    same = _one_sentence("Obsidian is a volcanic glass.")
    assert render.cloze_words(qa_card) == ()
    assert '<mark class="quoted">' in renderer.citations((same,), render.cloze_words(qa_card))


# --- captions ---------------------------------------------------------------------------------------
# What the seeds' README (/work/shared/seeds/README.md) says of each document.
SEEDS = {
    "calcium-deposits-in-skin": ("Healthline", "2018-05-31", ""),
    "calcium-deposits-on-face": ("unattributed", "", "machine-translated"),
    "calcification-overview": ("unattributed", "", ""),
    "types-of-calcification": ("unattributed", "", "partly machine-translated"),
}


def test_each_source_caption_says_what_its_seed_allows(renderer):
    corpus, problems = load_corpus(REPO)
    assert not problems and set(corpus.docs) == set(SEEDS)
    for doc_id, (publisher, date, translated) in SEEDS.items():
        doc = corpus.docs[doc_id]
        unit = next(u for u in doc.units if u.citable)
        support = SimpleNamespace(ref=SimpleNamespace(quote=unit.text), units=(unit,), quoted=(unit,), doc=doc,
                                  extra_units=())
        caption = html.unescape(CAPTION.findall(renderer.citations((support,)))[0])
        assert caption.startswith(doc.title + " · ") and publisher in caption, caption
        assert (date in caption) if date else not re.search(r"\d{4}", caption), caption
        if translated:
            assert caption.endswith(" · " + translated), caption
        else:
            assert "machine" not in caption, caption


def test_a_wrong_machine_translated_value_is_a_located_error(tmp_path):
    project = make_project(tmp_path / "project")
    source = project / "sources" / "rock-guide.md"
    text = source.read_text(encoding="utf-8").replace("language: en\n", "language: en\nmachine_translated: maybe\n", 1)
    source.write_text(text, encoding="utf-8")
    line = text.splitlines().index("machine_translated: maybe") + 1
    result = run_cli(project, "check")
    assert result.returncode == 1
    assert f"sources/rock-guide.md:{line}:21: 'machine_translated' must be one of fully, partly, no" in result.stderr


# --- the sentence that carries the claim is the one highlighted ---------------------------------------
def test_only_the_supporting_sentence_is_marked(renderer):
    first, second = _unit(4, "Some deposits are harmless."), _unit(5, "They follow an injury.")
    quote = "Some deposits are harmless. They follow an injury."
    field = renderer.citations((_support(quote, (second,), (first, second)),))
    assert CONTEXT.findall(field) == ["Some deposits are harmless."]
    assert MARK.findall(field) == ["They follow an injury."]
    field = renderer.citations((_support(quote, (first,), (first, second)),))
    assert MARK.findall(field) == ["Some deposits are harmless."] and CONTEXT.findall(field) == ["They follow an injury."]
    both = renderer.citations((_support(quote, (first, second), (first, second)),))
    assert MARK.findall(both) == ["Some deposits are harmless. They follow an injury."]
    assert not CONTEXT.findall(both)
    # The sentence that backs the card's extra is shown marked too, not as context.
    with_extra = renderer.citations((_support(quote, (first,), (first, second), extra_units=(second,)),))
    assert MARK.findall(with_extra) == ["Some deposits are harmless. They follow an injury."]
    assert not CONTEXT.findall(with_extra)


def test_in_the_real_deck_marks_fall_only_in_the_supporting_sentence(renderer):
    """Every card, Q&A or cloze, whose quote spans sentences beyond the supporting one (none of them list
    items, where lead-in and item are one statement): marks only in it, the others as context. The gate
    checks a whole cloze, every deletion at once, against one support, so a cloze is no exception."""
    checked = 0
    for trace in pipeline.check(REPO).traces:
        for support in trace.supports:
            plain = all(u.kind is UnitKind.SENTENCE and u.lead is None for u in support.quoted)
            supporting = {u.index for u in support.units + support.extra_units}
            others = [u for u in support.quoted if u.index not in supporting]
            if not plain or not others or any(u.lead in supporting for u in support.quoted):
                continue
            field = html.unescape(renderer.citations((support,)))
            carrying = " ".join(u.text for u in support.units + support.extra_units)
            assert MARK.findall(field) and all(mark in carrying for mark in MARK.findall(field)), trace.card.id
            shown = CONTEXT.findall(field)
            assert len(shown) == len(others), trace.card.id
            for unit, text in zip(others, shown):  # each in full, but for what its quote leaves out (' ... ')
                pieces = [piece.strip() for piece in text.split("[…]")]
                assert unit.text.startswith(pieces[0]) and unit.text.endswith(pieces[-1]), (trace.card.id, text)
                assert _in_order(pieces, unit.text), (trace.card.id, text)
            checked += 1
    assert checked, "no card quotes beyond its supporting sentence: this test proves nothing on this deck"


def _in_order(pieces: list[str], text: str) -> bool:
    position = 0
    for piece in pieces:
        found = text.find(piece, position)
        if found < 0:
            return False
        position = found + len(piece)
    return True


def test_a_set_aside_clause_is_cut_where_it_is_even_when_its_words_come_earlier_too():
    """The cut is looked for in the sentence that holds the set-aside clause: the same words quoted in an
    earlier sentence stay, marked."""
    first, second = "Milia are harmless.", "Milia are harmless and have no cause."
    norm = f"{first} {second}".lower()
    units = (SimpleNamespace(index=0, text=first, lead=None, kind=UnitKind.SENTENCE, start=0, end=len(first)),
             SimpleNamespace(index=1, text=second, lead=None, kind=UnitKind.SENTENCE, start=len(first) + 1,
                             end=len(norm)))
    clause = norm.index("harmless", len(first))  # set aside in the second sentence only
    support = _support("Milia are harmless. Milia are", units, units)
    support.doc.norm = norm
    support.doc.set_aside = (SimpleNamespace(start=clause, end=clause + len("harmless")),)
    parts = render.quote_in_context(support)
    shown = "".join(part.text for part in parts)
    assert shown == "Milia are harmless. Milia are […] and have no cause."
    assert parts[0].quoted and parts[0].text.startswith("Milia are harmless."), "the quoted words stay marked"
