"""The lint list rule's shortcut counts as the full split does.

`lint._list_items` counts an answer's separators first and skips the split when there are too few
for a long list; Hypothesis writes answers of separators, conjunctions and bullets, and the count
must be the full split's wherever the rule reports it.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st


# --- lint: the list rule's shortcut --------------------------------------------------------------
LIST_PIECES = st.sampled_from([",", ";", " and ", " or ", "\n", "\n- ", "\n* ", " ", "", "sand", "order", "AND",
                                "é", "-", "\t", "x", "x y"])
# words and separators in turn, so that a long list has non-empty items
LIST_TEXT = st.one_of(
    st.lists(st.tuples(st.sampled_from(["x", "a b", "", " "]), LIST_PIECES), max_size=12).map(
        lambda pairs: "".join(word + piece for word, piece in pairs)),
    st.tuples(LIST_PIECES, st.integers(0, 8)).map(lambda sep_n: sep_n[0].join(["x"] * sep_n[1])),  # 'x, x, x'
)


def _list_items_in_full(answer: str) -> int:
    """lint._list_items without the separator count that lets most answers skip the split."""
    from deckgen.lint import _BULLET, _CONJUNCTION, _ITEM_SEPARATOR, _SHORT_ITEM_WORDS, word_count

    if "\n" in answer and _BULLET.search("\n" + answer):
        return len(_BULLET.findall("\n" + answer))
    parts = [part.strip() for part in _ITEM_SEPARATOR.split(answer) if part.strip()]
    if len(parts) <= 1:
        return sum(1 for part in _CONJUNCTION.split(answer) if part.strip(" .,;"))
    joined = _CONJUNCTION.search(parts[-1])
    if joined and joined.start() > 0 and word_count(parts[-1][:joined.start()]) <= _SHORT_ITEM_WORDS:
        return len(parts) + 1
    return len(parts)


@settings(max_examples=500, deadline=None)
@given(LIST_TEXT)
def test_the_list_rule_counts_as_the_full_split(answer: str) -> None:
    from deckgen.lint import MAX_LIST_ITEMS, _list_items

    full = _list_items_in_full(answer)
    if full > MAX_LIST_ITEMS:  # the count the diagnostic shows
        assert _list_items(answer) == full
    else:
        assert _list_items(answer) <= MAX_LIST_ITEMS
