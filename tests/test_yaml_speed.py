"""The fast paths of card loading give exactly what the general code gives.

`cards._ordinary_card` builds a plainly written card directly and leaves anything unusual to
`cards._load_card`; `yamlnodes._Loader` shortcuts tag resolution. Hypothesis writes card files full of
odd scalars, wrong types, unknown and repeated keys, tags, block scalars, long fields and bad ids, and
each must load the same with and without the fast path: the same cards (offsets included) and the
same diagnostics in the same order.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deckgen import cards, yamlnodes
from deckgen.cards import MAX_FIELD_CHARS
from deckgen.model import CARD_FIELDS, CardFile
from deckgen.yamlnodes import NodeReader, compose

REPO = Path(__file__).resolve().parent.parent

# --- strategies: YAML text for one value, written as the value of a key indented by 4 ----------------
WORDS = st.sampled_from(["rock", "Granite", "is", "and", "or", "no", "yes", "~", "null", "Null", "true", "42",
                         "0x1F", "1e3", "2020-01-01", "-1", ".5", "on", "é", "a,b", "x; y", "<b>", "{{c1::rock}}",
                         "{{c2::hard::hint}}", "{{c1::}}", "calcite"])
# texts at and just over the length limit, once stripped
LONG = st.sampled_from([MAX_FIELD_CHARS - 1, MAX_FIELD_CHARS, MAX_FIELD_CHARS + 1]).map(lambda n: f"' {'w' * n} '")
SCALARS = st.one_of(
    st.sampled_from(["", "~", "null", "no", "yes", "42", "3.5", "1e3", "2020-01-01", "''", '""', "' '",
                     "!!str 42", "!!int 7", "! 42", "! no", "!!python/object:os.system x", "!!binary aGk=",
                     "!custom x", "\"quoted, text\"", "'single ''quote'''", "|\n      line one\n      line two",
                     ">\n      folded\n      text", "|-\n      kept", ">-\n      ", "{a: b}", "[a, b]", "[]", "{}",
                     "\n      - item"]),
    st.lists(WORDS, min_size=1, max_size=6).map(" ".join),
    st.lists(WORDS, min_size=1, max_size=6).map(lambda ws: '"' + " ".join(ws).replace('"', "") + '"'),
    LONG,
)
IDS = st.sampled_from(["rock-one", "rock-two", "r2", "Rock", "rock--two", "rock_two", "-rock", "a", "42", "no",
                       "'rock-one'", "\"rock-three\"", "", "~", "[rock]"])
TAG_VALUES = st.sampled_from(["rocks", "rocks::hard", "Rocks", "rock s", "a::", "-x", "rocks", "42", "~", "''",
                              "!!str rocks", "[x]"])
TAGS = st.one_of(
    st.lists(TAG_VALUES, max_size=4).map(lambda ts: "[" + ", ".join(ts) + "]"),
    st.lists(TAG_VALUES, min_size=1, max_size=3).map(lambda ts: "".join(f"\n      - {t}" for t in ts)),
    SCALARS,
)
SOURCE_KEYS = st.sampled_from(["doc", "quote", "doc", "quote", "qoute", "docs", "id"])
GOOD_TEXT = st.one_of(
    st.lists(st.sampled_from(["Granite", "rock", "is", "hard", "and", "no", "42", "é", "a,b"]), min_size=2,
             max_size=6).map(" ".join),
    st.sampled_from(["\"Granite, and so on.\"", "'It''s hard'", "|\n      line one\n      line two",
                     ">-\n      folded\n      text", "  spaced  ", "'" + "z" * MAX_FIELD_CHARS + "'"]),
)
GOOD_IDS = st.sampled_from(["rock-one", "rock-two", "r2", "'rock-three'"])
GOOD_TAGS = st.lists(st.sampled_from(["rocks", "rocks::hard", "x-1"]), max_size=3).map(
    lambda ts: "[" + ", ".join(ts) + "]")


def _citation(doc: str, quote: str, block: bool) -> str:
    """One citation, as a block mapping (its quote's own lines indented deeper) or a flow one."""
    if block:
        return f"\n      - doc: {doc}\n        quote: {quote.replace(chr(10) + '      ', chr(10) + '          ')}"
    return f"\n      - {{doc: {doc}, quote: '{quote.strip(chr(39))[:20]}'}}"


GOOD_SOURCES = st.lists(st.tuples(GOOD_IDS, GOOD_TEXT, st.booleans()), min_size=1, max_size=2).map(
    lambda refs: "".join(_citation(*ref) for ref in refs))


@st.composite
def source_entries(draw: Any) -> str:
    """A block list of citations, mostly well formed."""
    entries = []
    for _ in range(draw(st.integers(0, 3))):
        if draw(st.booleans()):
            keys = ["doc", "quote"]
        else:
            keys = draw(st.lists(SOURCE_KEYS, max_size=4))
        pairs = [f"{key}: {draw(st.one_of(SCALARS, IDS) if key == 'doc' else SCALARS)}" for key in keys]
        # a nested mapping at indent 8: its own multi-line values must sit deeper than that
        pairs = [pair.replace("\n      ", "\n          ") for pair in pairs]
        entries.append("\n      - " + ("\n        ".join(pairs) if pairs else "{}"))
    return "".join(entries) if entries else draw(st.sampled_from(["[]", "~", "", "rock", "{doc: a}"]))


def _odd_value(draw: Any, key: str) -> str:
    if key in ("id", "renamed_from"):
        return draw(IDS)
    if key == "tags":
        return draw(TAGS)
    if key == "sources":
        return draw(source_entries())
    return draw(st.one_of(SCALARS, LONG))


def _one_odd_source(draw: Any) -> str:
    """Plain citations but for one odd doc or quote."""
    doc, quote = draw(st.sampled_from([(IDS, GOOD_TEXT), (GOOD_IDS, SCALARS), (GOOD_IDS, LONG)]))
    deeper = "\n          "  # a block scalar's lines must sit deeper than the citation's keys
    odd = f"\n      - doc: {draw(doc).replace(chr(10) + '      ', deeper)}" \
          f"\n        quote: {draw(quote).replace(chr(10) + '      ', deeper)}"
    return draw(GOOD_SOURCES) + odd


def _good_value(draw: Any, key: str) -> str:
    if key in ("id", "renamed_from"):
        return draw(GOOD_IDS)
    if key == "new":
        return draw(st.sampled_from(["true", "false", "'true'", "\"false\"", "True", "yes", "~", "[true]"]))
    if key == "tags":
        return draw(GOOD_TAGS)
    if key == "sources":
        return draw(GOOD_SOURCES)
    if key == "cloze":
        return draw(st.sampled_from(["\"Granite is {{c1::hard}}.\"", "'{{c1::Rock}} and {{c2::stone::hint}}'",
                                     "|\n      Is {{c1::it}}\n      hard"]))
    return draw(GOOD_TEXT)


@st.composite
def card_entries(draw: Any) -> str:
    """One `- key: value` entry of a card list: plain, plain but for one thing, or anything."""
    mode = draw(st.sampled_from(["plain", "plain", "one odd thing", "one odd thing", "anything"]))
    if mode == "anything":
        keys = draw(st.lists(st.sampled_from(list(CARD_FIELDS) + ["anwser", "ids", "~"]), max_size=6))
        pairs = [f"{key}: {_odd_value(draw, key) if draw(st.booleans()) else _good_value(draw, key)}" for key in keys]
        if not pairs:
            return "\n  - " + draw(st.sampled_from(["~", "rock", "[]", "{}", "!!map {}", "!!str {id: a}"]))
        return "\n  - " + "\n    ".join(pairs)
    kind = draw(st.sampled_from(["qa", "cloze"]))
    keys = ["id"] + (["question", "answer"] if kind == "qa" else ["cloze"]) + ["sources"]
    keys += draw(st.lists(st.sampled_from(["tags", "extra", "renamed_from", "new"]), max_size=4, unique=True))
    keys = list(draw(st.permutations(keys)))
    values = [_good_value(draw, key) for key in keys]
    head = ""
    if mode == "one odd thing":
        odd = draw(st.sampled_from(["value", "value", "source", "key", "drop", "mapping tag"]))
        at = draw(st.integers(0, len(keys) - 1))
        if odd == "source":
            values[keys.index("sources")] = _one_odd_source(draw)
        elif odd == "value":
            values[at] = _odd_value(draw, keys[at])
        elif odd == "key":  # unknown, misspelt, repeated, of the other kind, not a str
            key = draw(st.sampled_from(["anwser", "qestion", "clozee", "id", "tags", "cloze", "answer", "question",
                                        "note", "null", "42", "!!str id", "'id'", "[a]", "? [a]\n    "]))
            keys.insert(at, key)
            values.insert(at, _good_value(draw, key))
        elif odd == "drop":
            del keys[at], values[at]
        else:
            head = draw(st.sampled_from(["!!map\n    ", "!!str\n    ", "!!omap\n    ", "!custom\n    "]))
    return "\n  - " + head + "\n    ".join(f"{key}: {value}" for key, value in zip(keys, values))


@st.composite
def card_files(draw: Any) -> str:
    head = draw(st.sampled_from(["deck: Rocks\n", "deck: Rocks::Hard\n", "deck: ~\n", ""]))
    tags = draw(st.sampled_from(["", "tags: [rocks]\n", "tags: [rocks, rocks::hard]\n", "tags: [Bad]\n"]))
    entries = draw(st.lists(card_entries(), min_size=1, max_size=5))
    return head + tags + "cards:" + "".join(entries) + "\n"


# --- comparing ------------------------------------------------------------------------------------
def _comparable(card_file: CardFile | None) -> Any:
    """A CardFile with the offsets that its own equality leaves out."""
    if card_file is None:
        return None
    return card_file, [(card, card.field_offsets, [s.key_offsets for s in card.sources]) for card in card_file.cards]


def _load_both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    """(fast, general) results of loading one card file: its CardFile and its diagnostics."""
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cards" / "fuzz.yaml"
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
        for fast in (True, False):
            with monkeypatch.context() as patch:
                if not fast:
                    patch.setattr(cards, "_ordinary_card", lambda *args: None)
                diagnostics: list = []
                card_file = cards._load_card_file(Path(tmp), path, diagnostics, None)
                results.append((_comparable(card_file), diagnostics))
    return results[0], results[1]


def _entries(text: str) -> list[yaml.Node]:
    node, _ = compose("cards/fuzz.yaml", text)
    if not isinstance(node, yaml.MappingNode):
        return []
    for key, value in node.value:
        if key.value == "cards" and isinstance(value, yaml.SequenceNode):
            return value.value
    return []


FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])


@FUZZ
@given(text=card_files())
def test_fast_and_general_loading_agree(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, general = _load_both(text, monkeypatch)
    assert fast == general


@FUZZ
@given(text=card_files())
def test_an_ordinary_card_is_what_the_general_code_reads(text: str) -> None:
    """Entry by entry: a card the fast path builds is the card `_load_card` builds, without diagnostics."""
    for entry in _entries(text):
        fast = cards._ordinary_card("cards/fuzz.yaml", entry, "Rocks", ("rocks",))
        if fast is None:
            continue
        reader = NodeReader("cards/fuzz.yaml", [])
        general = cards._load_card(reader, entry, "Rocks", ("rocks",))
        assert reader.diagnostics == []
        assert general is not None
        assert (general, general.field_offsets, [s.key_offsets for s in general.sources]) == \
            (fast, fast.field_offsets, [s.key_offsets for s in fast.sources])


@pytest.fixture(scope="module")
def synthetic_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small project from the benchmark's generator (benchmarks/generate.py), in the same card format."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import generate
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    return generate.generate(tmp_path_factory.mktemp("synthetic") / "project", 500)


@pytest.mark.parametrize("which", ["real", "synthetic"])
def test_every_plain_card_takes_the_fast_path(which: str, request: pytest.FixtureRequest) -> None:
    """The real deck's and the benchmark's cards are all plain, so the fast path must read each of them."""
    root = REPO if which == "real" else request.getfixturevalue("synthetic_project")
    paths = [path for path in sorted((root / "cards").glob("*.yaml")) if path.name not in cards.SPECIAL_FILES]
    assert paths
    for path in paths:
        text = path.read_text(encoding="utf-8")
        for entry in _entries(text):
            assert cards._ordinary_card(str(path), entry, "D", ()) is not None, (path, entry.start_mark)


# --- the loader's tag resolution ------------------------------------------------------------------
def _tree(node: yaml.Node) -> Any:
    """Everything of a node tree that deckgen reads: kinds, tags, values and marks."""
    children: Any = node.value
    if isinstance(node, yaml.MappingNode):
        children = [(_tree(k), _tree(v)) for k, v in node.value]
    elif isinstance(node, yaml.SequenceNode):
        children = [_tree(item) for item in node.value]
    return (type(node).__name__, node.tag, children, node.start_mark.line, node.start_mark.column,
            node.end_mark.line, node.end_mark.column, getattr(node, "style", None))


PLAIN_SCALARS = st.one_of(SCALARS, IDS, TAG_VALUES,
                          st.text(alphabet="abyYnNtTfFoO~0123456789.-+:<=!&* '\"", max_size=8))


@settings(max_examples=400, deadline=None)
@given(st.one_of(card_files(), st.lists(PLAIN_SCALARS, max_size=8).map(lambda vs: "".join(f"- {v}\n" for v in vs))))
def test_the_loader_resolves_tags_as_the_safe_loader_does(text: str) -> None:
    try:
        plain = yaml.compose(text, Loader=yamlnodes._SafeLoader)
    except yaml.YAMLError:
        with pytest.raises(yaml.YAMLError):
            yaml.compose(text, Loader=yamlnodes._Loader)
        return
    fast = yaml.compose(text, Loader=yamlnodes._Loader)
    assert (plain is None) == (fast is None)
    if plain is not None:
        assert _tree(plain) == _tree(fast)


@pytest.mark.parametrize("scalar", ["", "~", "null", "NULL", "no", "Yes", "on", "OFF", "42", "-1", "+1", ".5",
                                    "0x1F", "1_000", "1e3", ".inf", "2020-01-01", "<<", "=", "word", "'no'", "\"42\"",
                                    "! 42", "! no", "! ~", "!!str 42"])
def test_each_implicit_type_resolves_as_before(scalar: str) -> None:
    text = f"key: {scalar}\n"
    plain = yaml.compose(text, Loader=yamlnodes._SafeLoader)
    fast = yaml.compose(text, Loader=yamlnodes._Loader)
    assert _tree(plain) == _tree(fast)


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
