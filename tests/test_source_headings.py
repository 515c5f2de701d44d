"""A unit's section heading is found by bisecting the document's heading indexes (listed once per document):
the nearest heading above it, as looking at each unit above it finds it.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from deckgen.sources import SourceDoc, Unit, UnitKind, _cut_units, load_corpus
from helpers import REPO


def _heading_in_full(doc: SourceDoc, unit: Unit) -> Unit | None:
    """The nearest heading above the unit, found by looking at each unit above it."""
    return next((doc.unit(index) for index in range(unit.index - 1, -1, -1)
                 if doc.rows[index][0] is UnitKind.HEADING), None)


def _doc(body: list[str]) -> SourceDoc:
    rows, starts, norm = _cut_units(body, 5)
    return SourceDoc("doc", "sources/doc.md", "T", "P", "", "", "en", "", tuple(rows), tuple(starts), norm)


_BODY_LINES = st.sampled_from(["# Head", "## Sub head", "A sentence. Another one.", "Lead:", "- item", "- item. More",
                               "", "Plain.", "### Deep"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_BODY_LINES, min_size=1, max_size=12))
def test_heading_of_every_unit_is_the_nearest_heading_above_it(body):
    doc = _doc(body)
    for unit in doc.units:
        assert doc.heading_of(unit) is _heading_in_full(doc, unit)


def test_heading_of_every_unit_of_the_real_sources():
    corpus, problems = load_corpus(REPO)
    assert corpus.docs and not problems
    for doc in corpus.docs.values():
        for unit in doc.units:
            assert doc.heading_of(unit) is _heading_in_full(doc, unit)
