"""Fast paths must be exact: they skip work, never change a result.

* `deckgen build` with nothing changed reports the last build's summary without loading the pipeline;
  any change to any input, to deck.lock, to the flags or to the output file means a real build.
  A real build is told apart from a skipped one from the outside: it always replaces build/<output>
  with a new file (a new inode), while a skipped build leaves the file alone.
* The shortcuts inside the pipeline (plain text without markdown-it, terms made once per word, unit
  lookup by bisection, quoted words placed with str.find, a note's hash without json.dumps, genanki
  loaded without asyncio) compute exactly what the general code computes. The lock writer's are
  compared with the json module in tests/test_lock_speed.py.
"""

from __future__ import annotations

import bisect
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deckgen import fastpath, pipeline, render
from deckgen import markup
from deckgen.markup import _parser, to_html
from deckgen.sources import load_corpus
from deckgen.textnorm import _TOKEN, STOP_STEMS, STOPWORDS, Term, Vocabulary, is_negation, normalize, stem
from helpers import REPO, run_cli
from mini_project import apkg, edit, make_project, remove_card

HEAVY = ("genanki", "jinja2", "yaml", "markdown_it", "deckgen.pipeline", "dataclasses")  # see fastpath.Inputs


def _build(project: Path, *args: str) -> subprocess.CompletedProcess:
    result = run_cli(project, "build", *args)
    assert result.returncode == 0, result.stderr
    return result


def _written(path: Path) -> tuple[int, int] | None:
    """Identity of the file now at `path`: a real build puts a new file there, a skipped one does not."""
    if not path.exists():
        return None
    stat = path.stat()
    return stat.st_ino, stat.st_mtime_ns


def _without_time(text: str) -> str:
    return re.sub(r"in \d+\.\d+ s", "in _ s", text)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The mini project after one real build (and so with a stamp)."""
    project = make_project(tmp_path_factory.mktemp("fastpath") / "built")
    _build(project)
    assert (project / fastpath.STAMP).exists()
    return project


@pytest.fixture
def project(built, tmp_path) -> Path:
    """A fresh copy of the built project, built once more: a copy's deck.lock and output are other files
    (other inodes and change times) than those the stamp recorded, so its first build is a real one."""
    copy = Path(shutil.copytree(built, tmp_path / "project"))
    _build(copy)
    return copy


def test_nothing_changed_is_skipped_and_reports_what_a_real_rebuild_reports(project):
    output = apkg(project)
    before = _written(output)
    skipped = _build(project, "--json")
    skipped_text = _build(project)
    assert _written(output) == before, "nothing changed: the deck is not rewritten"

    (project / fastpath.STAMP).unlink()
    real = _build(project, "--json")
    assert _written(output) != before, "without a stamp the build is a real one"
    (project / fastpath.STAMP).unlink()
    before_real_text = _written(output)
    real_text = _build(project)
    assert _written(output) != before_real_text

    skipped_json, real_json = json.loads(skipped.stdout), json.loads(real.stdout)
    del skipped_json["seconds"], real_json["seconds"]
    assert skipped_json == real_json
    assert real_json["cards"] == 6 and real_json["added"] == [] and real_json["lock_written"] is False
    assert _without_time(skipped_text.stdout) == _without_time(real_text.stdout)
    assert skipped.stderr == "" and skipped_text.stderr == ""


def test_nothing_changed_loads_none_of_the_pipeline(project):
    code = ("import sys; from deckgen.cli import main; status = main(['--project', sys.argv[1], 'build']); "
            f"print('LOADED', [m for m in {HEAVY!r} if m in sys.modules]); sys.exit(status)")
    result = subprocess.run([sys.executable, "-c", code, str(project)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "LOADED []" in result.stdout

    edit(project / "cards" / "other.yaml", "answer: Limestone.", "answer: Limestone, heated.")
    result = subprocess.run([sys.executable, "-c", code, str(project)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "LOADED []" not in result.stdout, "a changed card needs the real pipeline"


def test_nothing_changed_with_retired_notes_loads_none_of_the_pipeline(project):
    """A deck that ships retired notes says so in every build's summary, a no-change one too; the wording came from
    status.py, which loaded the lock and, through it, the whole pipeline (the real deck's no-change build took 0.25 s
    against 0.06 s)."""
    remove_card(project / "cards" / "other.yaml", "chalk-kind")
    assert "retired note still ships" in _build(project).stdout
    code = ("import sys; from deckgen.cli import main; status = main(['--project', sys.argv[1], 'build']); "
            f"print('LOADED', [m for m in {HEAVY!r} if m in sys.modules]); sys.exit(status)")
    result = subprocess.run([sys.executable, "-c", code, str(project)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "retired note still ships" in result.stdout and "LOADED []" in result.stdout, result.stdout


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _rename(path: Path, name: str) -> None:
    path.rename(path.with_name(name))


CHANGES = {
    "card edited": lambda p: edit(p / "cards" / "other.yaml", "answer: Soft and white.", "answer: White and soft."),
    "card file comment": lambda p: _append(p / "cards" / "igneous.yaml", "# a comment\n"),
    "card file renamed": lambda p: _rename(p / "cards" / "igneous.yaml", "fiery.yaml"),
    "card file removed": lambda p: (p / "cards" / "other.yaml").unlink(),
    "file added to cards/": lambda p: (p / "cards" / "notes.txt").write_text("to do\n", encoding="utf-8"),
    "deck settings edited": lambda p: edit(p / "cards" / "deck.yaml", "A tiny test deck", "A small test deck"),
    "synonyms added": lambda p: (p / "cards" / "synonyms.yaml").write_text("- [rock, stone]\n", encoding="utf-8"),
    "source edited": lambda p: _append(p / "sources" / "rock-guide.md", "Flint is hard.\n"),
    "source added": lambda p: shutil.copy(p / "sources" / "rock-guide.md", p / "sources" / "rock-guide-2.md"),
    "source removed": lambda p: (p / "sources" / "rock-guide.md").rename(p / "rock-guide.md.bak"),
    "stylesheet edited": lambda p: _append(p / "templates" / "card.css", "\n/* edited */\n"),
    "unread file added to templates/": lambda p: (p / "templates" / "partials" / "unused.html").write_text(
        "x\n", encoding="utf-8"),
    "hidden file added to templates/": lambda p: (p / "templates" / "partials" / ".x.html").write_text("x\n",
                                                                                                    encoding="utf-8"),
    "note types commented": lambda p: _append(p / "templates" / "notetypes.yaml", "# edited\n"),
    "deck.lock edited": lambda p: _append(p / "deck.lock", "\n"),
    "deck.lock removed": lambda p: (p / "deck.lock").unlink(),
    "output removed": lambda p: apkg(p).unlink(),
    "output modified": lambda p: _flip_middle_byte(apkg(p)),
    "output truncated": lambda p: apkg(p).write_bytes(b""),
    "stamp damaged": lambda p: (p / fastpath.STAMP).write_text("{not json", encoding="utf-8"),
    "stamp names another output": lambda p: _point_stamp_elsewhere(p),
}


def _flip_middle_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def _point_stamp_elsewhere(project: Path) -> None:
    """A stamp edited to vouch for a copy of the deck while the real output is gone."""
    shutil.copy(apkg(project), project / "build" / "copy.apkg")
    apkg(project).unlink()
    stamp = project / fastpath.STAMP
    text = stamp.read_text(encoding="utf-8")
    assert text.count('"mini-stones.apkg"') == 1
    stamp.write_text(text.replace('"mini-stones.apkg"', '"copy.apkg"'), encoding="utf-8")


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_any_change_means_a_real_build(project, change):
    output = apkg(project)
    stamp_before = (project / fastpath.STAMP).read_text(encoding="utf-8")
    CHANGES[change](project)
    before = _written(output)
    result = run_cli(project, "build")
    refused = {"source removed": "rock-guide",  # the cards cite it: the real build finds that, and writes nothing
               # refused by name (a file no template reads), where it was built as if it were not there
               "unread file added to templates/": "templates/partials/unused.html: no template uses this file"}
    if change in refused:
        assert result.returncode == 1 and refused[change] in result.stderr and _written(output) == before
        assert not (project / fastpath.STAMP).exists()
        return
    assert result.returncode == 0, result.stderr
    after = _written(output)
    if change == "card file comment":  # a real build (a delta rebuild: delta.py) finds no card changed
        assert after == before and "0 changed" in result.stdout, result.stdout
        assert stamp_before != (project / fastpath.STAMP).read_text(encoding="utf-8"), "stamped again"
    else:
        assert after is not None and after != before, f"{change}: expected a real build"
    _build(project)
    assert _written(output) == after, f"{change}: the next build, with nothing changed, is skipped again"


def test_touching_files_without_changing_them_is_still_nothing_changed(project):
    """Inputs are recognised by their contents. deck.lock, which the build writes, by its stats (see
    fastpath.py): written again, even with the same bytes, it means a real build."""
    before = _written(apkg(project))
    for path in [*project.glob("cards/*.yaml"), *project.glob("sources/*.md")]:
        path.write_bytes(path.read_bytes())
    _build(project)
    assert _written(apkg(project)) == before
    (project / "deck.lock").write_bytes((project / "deck.lock").read_bytes())
    _build(project)
    assert _written(apkg(project)) != before


def test_the_drop_retired_flag_is_an_input(project):
    before = _written(apkg(project))
    _build(project, "--drop-retired")
    dropped = _written(apkg(project))
    assert dropped != before
    _build(project, "--drop-retired")
    assert _written(apkg(project)) == dropped
    _build(project)
    assert _written(apkg(project)) != dropped


def test_a_failed_build_leaves_no_stamp_behind(project):
    card_file = project / "cards" / "other.yaml"
    good = card_file.read_text(encoding="utf-8")
    edit(card_file, "answer: Limestone.", "answer: Basalt.")
    result = run_cli(project, "build")
    assert result.returncode == 1 and "Basalt" in result.stderr
    card_file.write_text(good, encoding="utf-8")  # back to the inputs of the last good build
    before = _written(apkg(project))
    _build(project)
    assert _written(apkg(project)) != before, "no stamp survived the failed build: this build is a real one"


def test_no_stamp_when_an_input_changes_while_the_build_reads_it(project):
    summary = json.loads(_build(project, "--json").stdout)  # skipped; its summary names the output
    inputs_at_start = fastpath.snapshot(project)
    edit(project / "cards" / "other.yaml", "answer: Soft and white.", "answer: White and soft.")
    fastpath.record(project, inputs_at_start, summary, drop_retired=False)
    assert not (project / fastpath.STAMP).exists()

    fastpath.record(project, fastpath.snapshot(project), summary, drop_retired=False)
    assert (project / fastpath.STAMP).exists(), "with inputs unchanged during the build, the stamp is recorded"


# --- shortcuts inside the pipeline compute what the general code computes ---------------------------
def _markdown_it(text: str) -> str:
    """to_html as it was before the plain-text shortcut: every field through markdown-it."""
    text = text.strip()
    return _parser().renderInline(text) if "\n" not in text else _parser().render(text).strip()


_MARKUP_CHARS = "*_`\\&<>\"\r\n\x00 -#+.!()[]{}:~^|=@"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(_MARKUP_CHARS + "ab1 é’—\t\u00a0\u2028"), max_size=30)
       | st.text(max_size=40))
def test_plain_text_shortcut_renders_what_markdown_it_renders(text):
    """The shortcut is in markup._render; to_html keeps \\( … \\) math as typed on purpose, around it
    (test_markup.py tests that in Anki's renderer), so the comparison is with _render."""
    assert markup._render(text.strip()) == _markdown_it(text)
    if not markup._MATH.search(text):
        assert to_html(text) == _markdown_it(text)


def test_plain_text_shortcut_on_every_card_of_the_real_deck():
    texts = [value for path in (REPO / "cards").glob("*.yaml")
             for value in re.findall(r"(?m)^\s+(?:question|answer|extra|cloze): (.+)$", path.read_text("utf-8"))]
    assert len(texts) > 100
    assert all(to_html(text) == _markdown_it(text) for text in texts)


# Simple *emphasis* (markup._simple_emphasis): lines of pieces that sit around and inside emphasis — words,
# digits, accented and non-Latin letters, the spaces and punctuation CommonMark's flanking rules look at,
# HTML's special characters, stray and doubled asterisks — so that they include what it must hand over.
_AROUND = ["word", "Two", "9", "é", "Ωμέγα", " ", "  ", "\u00a0", "\t", ".", ",", ";", ":", "!", "?", ")", "(",
           "-", "'", '"', "<b>", "</em>", "&", "&amp;", "&copy;", "<", ">", "[x](y)", "*", "**", "***", "~", "]"]
_INSIDE = ["word", "Two", "9", "é", " ", "<", ">", ".", "-", "&", "(", "!", '"', "'", "<script>", "&lt;"]
_EMPHASISED = st.lists(st.sampled_from(_INSIDE), min_size=1, max_size=4).map(lambda parts: "*" + "".join(parts) + "*")
_SPACED = st.tuples(st.sampled_from(["", " ", " ", "  "]), st.sampled_from(_AROUND) | _EMPHASISED).map("".join)


@settings(max_examples=3000, deadline=None)
@given(st.lists(_SPACED, max_size=10).map("".join))
def test_simple_emphasis_renders_what_markdown_it_renders(text):
    rendered = markup._simple_emphasis(text.strip())
    if rendered is not None:
        assert rendered == _markdown_it(text)


def test_simple_emphasis_is_what_authors_write():
    for text in ("It is *dystrophic* calcinosis.", "*Milia* are not calcium.", "Both *a* and *b c*, then (x).",
                 "The *5 mm* nodule: *rare*!", "A *b<c>d* tag & *x &amp; y*?"):
        assert "<em>" in (markup._simple_emphasis(text) or ""), text
        assert to_html(text) == _markdown_it(text), text
    for text in ("**strong**", "a * b", "*a *b* c*", "snake_case *x*", "*x*y", "x*y*", "*a.*", "`*x*`",
                 "\\*x*", "*x*\nnext line", "\u00a0*x*", "*é*"):
        assert markup._simple_emphasis(text) is None, text


SYNONYMS = (("ckd", "chronic kidney disease"), ("calcium channel blockers", "calcium blockers"), ("skin", "skins"))
_WORDS = ["calcium", "channel", "blockers", "blocker", "chronic", "kidney", "disease", "ckd", "skin", "skins",
          "not", "no", "don't", "the", "of", "deposits", "deposit", "formed", "forming", "studies", "it's"]


def _terms_in_full(vocabulary: Vocabulary, normalized_text: str) -> list[Term]:
    """Vocabulary.terms as it was before terms were made once per word: every word stemmed every time."""
    words = _TOKEN.findall(normalized_text)
    stems = [stem(w) for w in words]
    terms, i = [], 0
    while i < len(words):
        for phrase, canonical in vocabulary._phrases.get(stems[i], ()):
            if tuple(stems[i:i + len(phrase)]) == phrase:
                terms.append(Term(" ".join(words[i:i + len(phrase)]), canonical, True))
                i += len(phrase)
                break
        else:
            terms.append(Term(words[i], stems[i], words[i] not in STOPWORDS
                              and (stems[i] not in STOP_STEMS or words[i].endswith("ing"))  # gate13: "calling"
                              and not is_negation(words[i])))
            i += 1
    return terms


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_WORDS), max_size=12).map(" ".join), min_size=1, max_size=4),
       st.booleans())
def test_terms_made_once_per_word_are_the_terms_made_every_time(texts, with_synonyms):
    vocabulary = Vocabulary(SYNONYMS if with_synonyms else ())
    for text in texts + texts:  # the second time round, every word's term comes from the cache
        terms = vocabulary.terms(normalize(text))
        assert terms == _terms_in_full(vocabulary, normalize(text))
        assert [t.negation for t in terms] == [is_negation(t.raw) for t in terms]


def test_unit_lookup_by_bisection_matches_a_scan_of_every_unit():
    corpus, problems = load_corpus(REPO)
    assert corpus.docs and not problems
    for doc in corpus.docs.values():
        starts = [u.start for u in doc.units]
        edges = sorted({0, len(doc.norm)} | {u.start for u in doc.units} | {u.end for u in doc.units})
        probes = edges + [e + 1 for e in edges] + [max(0, e - 1) for e in edges]
        for offset in probes:
            assert doc.unit_at(offset) is doc.units[max(0, bisect.bisect_right(starts, offset) - 1)]
        for start in probes[::3]:
            for end in probes[::7]:
                assert doc.units_between(start, end) == [u for u in doc.units if u.start < end and start < u.end]


_SENTENCE_CHARS = "abcAB \t\n\u00a0\u2019'\u201c\"\u2014-.\u00e9\u00c9\uff21\u00df\u0130\ufb01"


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=st.sampled_from(_SENTENCE_CHARS), min_size=1, max_size=30) | st.text(min_size=1, max_size=30),
       st.data())
def test_quoted_words_placed_by_find_are_placed_by_the_pattern(sentence, data):
    """Where the citation display uses str.find on an aligned normal form, the tolerant pattern agrees."""
    normal = normalize(sentence)
    start = data.draw(st.integers(0, len(normal)))
    end = data.draw(st.integers(start, len(normal)))
    cut = data.draw(st.integers(start, end))
    quote = normal[start:cut] + " ... " + normal[cut:end] if data.draw(st.booleans()) else normal[start:end]
    aligned = render._spans_aligned(sentence, quote)
    if aligned is not None:
        assert aligned == render._spans_by_pattern(sentence, quote)


def test_every_citation_of_the_real_deck_is_placed_by_find():
    checked = pipeline.check(REPO)
    supports = [s for t in checked.traces for s in t.supports + t.context]
    assert len(supports) >= len(checked.traces)
    for support in supports:
        sentence = " ".join(unit.text for unit in support.quoted)
        spans = render._spans_aligned(sentence, support.ref.quote)
        assert spans is not None and spans == render._spans_by_pattern(sentence, support.ref.quote), support.ref


_BUILD_AT_A_FIXED_TIME = """
import sys
from pathlib import Path
if sys.argv[2] == "real":
    import cached_property  # genanki then imports the real package, as a plain `import genanki` would
from deckgen import pipeline
import genanki.note
pipeline.build(Path(sys.argv[1]), now=1_700_000_000)
print(type(genanki.note.Note.__dict__["cards"]).__module__, "asyncio" in sys.modules)
"""


def test_genanki_with_the_stand_in_writes_what_it_writes_with_cached_property(tmp_path):
    written = {}
    for way in ("stand-in", "real"):
        project = make_project(tmp_path / way)
        done = subprocess.run([sys.executable, "-c", _BUILD_AT_A_FIXED_TIME, str(project), way],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        written[way] = (done.stdout.split(), apkg(project).read_bytes(), (project / "deck.lock").read_text())
    assert written["stand-in"][0] == ["functools", "False"], "genanki got functools' cached_property, no asyncio"
    assert written["real"][0] == ["cached_property", "True"]
    assert written["stand-in"][1:] == written["real"][1:]



def test_a_copied_or_rewritten_output_or_lock_is_not_the_stamped_one(project, tmp_path):
    """deck.lock and the output are recognised by their stats: the same bytes written again (or the
    project copied elsewhere) mean a real build, never a stamped summary for files it did not write."""
    for path in (apkg(project), project / "deck.lock"):
        before = _written(apkg(project))
        data = path.read_bytes()
        path.unlink()
        path.write_bytes(data)
        _build(project)
        assert _written(apkg(project)) != before, f"{path.name} written again: a real build"
    copy = Path(shutil.copytree(project, tmp_path / "copy"))
    before = _written(apkg(copy))
    _build(copy)
    assert _written(apkg(copy)) != before, "a copied project: a real build"
    before = _written(apkg(copy))
    _build(copy)
    assert _written(apkg(copy)) == before, "and then nothing changed"
