"""Hostile and broken input: one clear located message, exit 1, no traceback, nothing lost.

Every case starts from a copy of the mini project that was built once, breaks one thing the way an
author (or an attacker) could, runs `deckgen build` as a subprocess, and checks that the previous
deck and deck.lock are byte-identical afterwards.
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from helpers import sha256
from mini_project import OUTPUT, apkg, edit

OTHER = "cards/other.yaml"
DEFAULT_TEMPLATES = Path(__file__).resolve().parents[1] / "src" / "deckgen" / "default_templates"


def _line_of(template: str, text: str) -> str:
    """templates/<template>:<line of `text` in deckgen's default template>, where an error it causes is shown."""
    source = (DEFAULT_TEMPLATES / template).read_text(encoding="utf-8")
    return f"templates/{template}:{source[:source.index(text)].count(chr(10)) + 1}"


TITLE_LINE = _line_of("fields/sources.html", "[[ citation.title ]]")
LOCATED = re.compile(r"^(?P<path>[\w./-]+):(?P<line>\d+)(?::(?P<col>\d+))?: \S", re.M)


@pytest.fixture(scope="module")
def built_once(tmp_path_factory) -> Path:
    from mini_project import make_project

    project = make_project(tmp_path_factory.mktemp("base") / "project")
    _built(project)  # the deck every refused build below must leave as it is
    return project


@pytest.fixture
def project(built_once, tmp_path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(built_once, copy)
    return copy


def _run(project: Path, *args: str, preexec: Callable[[], None] | None = None,
         timeout: float = 120) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DECKGEN_DEBUG"}
    return subprocess.run([sys.executable, "-m", "deckgen", "--project", str(project), *args], capture_output=True,
                          text=True, timeout=timeout, env=env, preexec_fn=preexec)


def _built(project: Path, *args: str, preexec: Callable[[], None] | None = None) -> subprocess.CompletedProcess:
    """A build that succeeds, and whose package the real Anki backend imports: every note deck.lock records."""
    result = _run(project, "build", *args, preexec=preexec)
    assert result.returncode == 0, result.stdout + result.stderr
    _imports_into_anki(project, next((project / "build").glob("*.apkg")))
    return result


def _imports_into_anki(project: Path, package: Path) -> None:
    import json

    from helpers import import_apkg, open_collection

    lock = json.loads((project / "deck.lock").read_text(encoding="utf-8"))
    notes = len(lock["cards"]) + len(lock.get("retired", {}))
    folder = project.parent / "anki-import"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    col = open_collection(folder / "collection.anki2")
    try:
        log = import_apkg(col, package)
        assert len(log.new) == notes and col.note_count() == notes, (notes, log)
        assert col.card_count() >= notes, "every note makes at least one card"
    finally:
        col.close()
        shutil.rmtree(folder, ignore_errors=True)


@dataclass(frozen=True)
class Snapshot:
    deck: bytes
    lock: bytes

    @classmethod
    def of(cls, project: Path) -> "Snapshot":
        return cls(apkg(project).read_bytes(), (project / "deck.lock").read_bytes())


def _refused(project: Path, before: Snapshot, *, preexec: Callable[[], None] | None = None,
             args: tuple[str, ...] = ("build",)) -> str:
    """Run the build; assert it failed cleanly with one problem and kept deck and lock; return stderr."""
    result = _run(project, *args, preexec=preexec)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output and "internal error" not in output, output
    assert result.stderr.rstrip().endswith("deckgen: 1 problem; nothing was written"), result.stderr
    assert Snapshot.of(project) == before, "the previous deck and deck.lock must be byte-identical"
    return result.stderr


def _where(stderr: str) -> str:
    """The location of the (single) diagnostic, as printed: path, path:line or path:line:col."""
    found = LOCATED.search(stderr)
    if found:
        return found.group(0)[:-3]
    return stderr.split(": ", 1)[0]


# --- content errors: each is (mutation, expected location, expected words) -------------------------
def _write(relative: str, data: str | bytes) -> Callable[[Path], None]:
    def mutate(project: Path) -> None:
        path = project / relative
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return mutate


def _replace(relative: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda project: edit(project / relative, old, new)


QUESTION = "    question: What is heated under pressure to form marble?\n"  # line 5 of cards/other.yaml
ANSWER = "    answer: Limestone.\n"  # line 6

BOMB = "deck: Other\ntags:\n  - &a0 [" + ", ".join(["lol"] * 9) + "]\n" + "".join(
    f"  - &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 12)) + "cards: *a11\n"

UNCLOSED = ("deck: Other\ncards:\n  - id: x\n    question: \"What is heated under pressure?\n"
            "    answer: Limestone.\n")

CASES = {
    "yaml-syntax-unclosed-quote": (_write(OTHER, UNCLOSED), f"{OTHER}:6:1",
                                   ["YAML syntax error", "quoted scalar that starts at line 4, column 15"]),
    "yaml-syntax-bad-indentation": (_replace(OTHER, ANSWER, "   answer: Limestone.\n"), f"{OTHER}:6:4",
                                    ["YAML syntax error"]),
    "tab-indentation": (_replace(OTHER, ANSWER, "\tanswer: Limestone.\n"), f"{OTHER}:6:1",
                        ["tab", "indent with spaces"]),
    "misspelt-key": (_replace(OTHER, ANSWER, "    anwser: Limestone.\n"), f"{OTHER}:6:5",
                     ["unknown key 'anwser'", "did you mean 'answer'?"]),
    "misspelt-source-key": (_replace(OTHER, '        quote: "Marble forms', '        qoute: "Marble forms'),
                            f"{OTHER}:9:9", ["unknown key 'qoute'", "did you mean 'quote'?"]),
    "missing-field": (_replace(OTHER, ANSWER, ""), f"{OTHER}:4:5", ["card is missing 'answer'"]),
    "source-without-publisher": (_replace("sources/rock-guide.md", "publisher: deckgen tests\n", ""),
                                 "sources/rock-guide.md:2:1",
                                 ["front matter is missing 'publisher'", "hint: add 'publisher: ...'"]),
    "no-card-files": (lambda project: [path.unlink() for path in (project / "cards").glob("*.yaml")
                                       if path.name not in ("deck.yaml", "synonyms.yaml", "vocabulary.yaml")],
                      "cards", ["no card files", "hint: write one: 'deck:'"]),
    "no-question-answer-or-cloze": (_replace(OTHER, QUESTION + ANSWER, ""), f"{OTHER}:4:5",
                                    ["card has neither 'question' and 'answer' nor 'cloze'"]),
    "cloze-beside-a-question": (_replace(OTHER, ANSWER, "    cloze: \"{{c1::Limestone}} forms marble.\"\n"),
                                f"{OTHER}:5:5", ["a card with 'cloze' cannot also have 'question'"]),
    "field-of-wrong-type": (_replace(OTHER, ANSWER, "    answer: [Limestone, chalk]\n"), f"{OTHER}:6:13",
                            ["'answer' must be text, found a list"]),
    "sources-of-wrong-type": (_replace(OTHER, "    sources:\n      - doc: rock-guide\n        quote: \"Marble",
                                       "    sources: rock-guide\n    extra: \"Marble"), f"{OTHER}:7:14",
                              ["'sources' must be a list", "hint: each entry of the list is a mapping: '  - doc: ...' "
                               "on a line of its own, then 'quote: \"...\"' under 'doc'"]),
    "tags-of-wrong-type": (_replace(OTHER, "tags: [rocks::other]\n", "tags: rocks::other\n"), f"{OTHER}:2:7",
                           ["'tags' must be a list", "hint: write one item as a list too: [rocks::other]"]),
    "tag-with-a-capital-of-another-script": (_replace(OTHER, "tags: [rocks::other]\n", "tags: [rocks::Важно]\n"),
                                             f"{OTHER}:2:8", ["tag 'rocks::Важно' is not valid",
                                                              "lowercase words of letters (of any script)"]),
    "sources-as-a-mapping": (_replace(OTHER, "    sources:\n      - doc: rock-guide\n        quote: \"Marble",
                                      "    sources:\n      doc: rock-guide\n      quote: \"Marble"), f"{OTHER}:8:7",
                             ["'sources' must be a list, found a mapping", "start each entry of the list with '- '"]),
    "card-file-without-deck": (_replace(OTHER, "deck: Other\n", ""), f"{OTHER}:1:1",
                               ["card file is missing 'deck'", "hint: add e.g. 'deck: Other'"]),
    "duplicate-id-across-files": (_replace(OTHER, "  - id: marble-origin\n", "  - id: granite-minerals\n"),
                                  f"{OTHER}:4:9",
                                  ["duplicate card id 'granite-minerals'", "cards/igneous.yaml:4:9"]),
    "unknown-source-document": (_replace(OTHER, "      - doc: rock-guide\n        quote: \"Marble",
                                         "      - doc: rock-giude\n        quote: \"Marble"), f"{OTHER}:8:14",
                                ["unknown source document 'rock-giude'", "did you mean 'rock-guide'?"]),
    "quote-not-in-source": (_replace(OTHER, "limestone is heated under", "limestone is cooled under"),
                            f"{OTHER}:9:16", ["quote not found in rock-guide", "heated"]),
    # Each card citing it was told its document is unknown too (one message per citation).
    "source-name-not-a-doc-id": (lambda p: (p / "sources/rock-guide.md").rename(p / "sources/Rock-Guide.md"),
                                 "sources/Rock-Guide.md", ["not a valid doc id", "e.g. rock-guide.md"]),
    "deck-settings-incomplete": (_replace("cards/deck.yaml", "output: mini-stones.apkg\n", ""),
                                 "cards/deck.yaml:1:1", ["deck.yaml is missing 'output'",
                                                         "hint: add 'output: <name>.apkg'"]),
    "invalid-utf8": (lambda p: (p / OTHER).write_bytes((p / OTHER).read_bytes().replace(b"form marble?",
                                                                                        b"form marbl\xe9?")),
                     f"{OTHER}:5:{len(QUESTION.split('marble')[0]) + len('marbl') + 1}", ["invalid UTF-8"]),
    "byte-order-mark": (lambda p: (p / OTHER).write_bytes(b"\xef\xbb\xbf" + (p / OTHER).read_bytes()),
                        f"{OTHER}:1:1", ["byte order mark"]),
    "control-character": (_replace(OTHER, ANSWER, "    answer: Lime\x07stone.\n"), f"{OTHER}:6:17",
                          ["control character U+0007"]),
    "field-too-long": (_replace(OTHER, QUESTION + ANSWER, "    cloze: \"" + "{{c1::" * 1000 + "\"\n"), f"{OTHER}:5:12",
                       ["'cloze' is 6,000 characters long, over the 5,000 limit"]),
    "empty-file": (_write(OTHER, ""), f"{OTHER}:1:1", ["file is empty", "hint: write its content"]),
    # Copied to templates/ but not to the default's path: never read, the change it holds showed nowhere.
    "template-at-another-path": (lambda p: (p / "templates/qa/back.html").rename(p / "templates/back.html"),
                                 "templates/back.html", ["no template uses this file: deckgen's default of that name "
                                                         "is cloze/back.html and qa/back.html"]),
    # Not read, and not a word said: the build shipped the default back of the card.
    "template-with-another-extension": (lambda p: (p / "templates/qa/back.html").rename(p / "templates/qa/back.htm"),
                                        "templates/qa/back.htm", ["no template uses this file: deckgen's template of "
                                                                  "a name like it is qa/back.html",
                                                                  "rename it templates/qa/back.html"]),
    "file-no-template-reads": (_write("templates/README.md", "My templates.\n"), "templates/README.md",
                               ["no template uses this file: deckgen reads a file under templates/ only at a default "
                                "template's path or where another template names it", "the defaults: card.css, "]),
    # These three had no hint (nor 'file is empty', nor a missing key of deck.yaml).
    "no-cards-in-the-list": (_write(OTHER, "deck: Other\ncards: []\n"), f"{OTHER}:2:8",
                             ["'cards' is an empty list", "hint: add a card under it, or delete the file"]),
    "citation-without-doc": (_replace(OTHER, '      - doc: rock-guide\n        quote: "Marble',
                                      '      - quote: "Marble'), f"{OTHER}:8:9",
                             ["source is missing 'doc'", "hint: a citation is '- doc: "]),
    "extra-not-text": (_replace(OTHER, ANSWER, ANSWER + "    extra: [a, b]\n"), f"{OTHER}:7:12",
                       ["'extra' must be text, found a list", "hint: write it as one line of text"]),
    # Pasted from a web page, it split the word: 'answer word "limes" is not in the quoted passage', and more.
    "invisible-character": (_replace(OTHER, ANSWER, "    answer: Limes\u00adtone.\n"), f"{OTHER}:6:18",
                            ["invisible character U+00AD (SOFT HYPHEN)", "splits the word it is in: delete it"]),
    "invisible-character-in-a-source": (_replace("sources/rock-guide.md", "Chalk is a soft", "Chalk is a so\u200bft"),
                                        "sources/rock-guide.md:12:14", ["invisible character U+200B"]),
    # Its hint was "check the indentation and quoting around this position".
    "colon-in-a-plain-value": (_replace(OTHER, QUESTION, "    question: Marble: what is heated to form it?\n"),
                               f"{OTHER}:5:21", ["mapping values are not allowed", "hint: a ': ' inside a value "
                                                 "starts another key: put the whole value in quotes"]),
    # A file's tags are shown where they are written (they were at the file's first key).
    "file-tag-outside-the-root": (_replace(OTHER, "tags: [rocks::other]\n", "tags: [rocks::other, minerals]\n"),
                                  f"{OTHER}:2:7", ["tag-root: the file's tag 'minerals' is outside"]),
    "file-tags-overlapping": (_replace(OTHER, "tags: [rocks::other]\n", "tags: [rocks, rocks::other]\n"),
                              f"{OTHER}:2:7", ["overlapping-tags: the file's tags 'rocks' and 'rocks::other'"]),
    # Two subdecks Anki takes for one name: it imported one of them as "Igneous_" (checked in its backend).
    "subdecks-differing-in-case": (_replace(OTHER, "deck: Other\n", "deck: igneous\n"), f"{OTHER}:1:7",
                                   ["subdeck 'igneous' differs from 'Igneous' of cards/igneous.yaml only in case"]),
    "parent-decks-differing-in-case": (_replace(OTHER, "deck: Other\n", "deck: igneous::Other\n"), f"{OTHER}:1:7",
                                       ["subdeck 'igneous' differs from 'Igneous'"]),
    # The gate read the outer deletion's start as words: 'cloze word "c1" is not in the quoted passage', and more.
    "nested-cloze-deletion": (_replace("cards/igneous.yaml", "{{c1::volcanic glass}}", "{{c1::volcanic {{c2::glass}}}}"),
                              "cards/igneous.yaml:19:12",
                              ["the deletion {{c2::… at character 30 is inside another deletion"]),
    # A settings file named .yml, as a card file may be, was read as a card file: refused key by key, and the
    # deck as having no settings.
    "settings-file-named-yml": (lambda p: (p / "cards/deck.yaml").rename(p / "cards/deck.yml"), "cards/deck.yml",
                                ["must be named deck.yaml, not deck.yml", "rename it cards/deck.yaml"]),
    "settings-file-twice": (lambda p: (p / "cards/deck.yml").write_bytes((p / "cards/deck.yaml").read_bytes()),
                            "cards/deck.yml", ["not read: cards/deck.yaml is read instead"]),
    "vocabulary-file-named-yml": (_write("cards/vocabulary.yml", "kinds: {}\nframe: []\n"), "cards/vocabulary.yml",
                                  ["must be named vocabulary.yaml"]),
    # Its cards were left out without a word: the build retired them.
    "card-file-in-a-folder": (lambda p: os.renames(p / OTHER, p / "cards/metamorphic/other.yaml"),
                              "cards/metamorphic/other.yaml",
                              ["a card file in a folder under cards/ is not read", "deckgen reads only cards/*.yaml"]),
    "comments-only-file": (_write(OTHER, "# nothing yet\n\n"), f"{OTHER}:1:1", ["file is empty"]),
    "huge-file": (_write(OTHER, "deck: Other\ncards:\n" + "  - id: x\n    question: What?\n" * 400_000), OTHER,
                  ["bytes, over the", "limit"]),
    "python-tag-in-a-field": (lambda p: edit(p / OTHER, QUESTION, f'    question: !!python/object/apply:os.system '
                                                                  f'["touch {p / "PWNED"}"]\n'),
                              f"{OTHER}:5:15", ["YAML tag", "python/object/apply:os.system", "not allowed"]),
    "python-tag-on-the-document": (lambda p: (p / OTHER).write_text(
        f'!!python/object/new:subprocess.check_call [["touch", "{p / "PWNED"}"]]\n', encoding="utf-8"),
        f"{OTHER}:1:1", ["YAML tag", "python/object/new:subprocess.check_call"]),
    "alias-bomb": (_write(OTHER, BOMB), f"{OTHER}:4:10", ["YAML alias '*a0' is not supported"]),
    "jinja-syntax-error": (_replace("templates/qa/back.html", '<div class="deckgen">\n',
                                    '<div class="deckgen">\n[% if %]\n'), "templates/qa/back.html:2",
                           ["template syntax error"]),
    "jinja-undefined-variable": (_replace("templates/qa/front.html", "{{Question}}</div>",
                                          "{{Question}} [[ no_such_variable ]]</div>"), "templates/qa/front.html:2",
                                 ["'no_such_variable' is undefined"]),
    "jinja-undefined-in-field-template": (_replace("templates/fields/sources.html", "[[ citation.title ]]",
                                                   "[[ citation.title ]][[ citation.no_such_key ]]"),
                                          TITLE_LINE, ["no attribute 'no_such_key'"]),
    "jinja-runtime-error": (_replace("templates/qa/front.html", "{{Question}}</div>",
                                     "{{Question}} [[ 1 // 0 ]]</div>"), "templates/qa/front.html:2",
                            ["template error", "modulo by zero"]),
    "jinja-runtime-error-in-field-template": (_replace("templates/fields/sources.html", "[[ citation.title ]]",
                                                       "[[ citation.title + 1 ]]"),
                                              TITLE_LINE,
                                              ["template error", "can only concatenate"]),
    # Runs cleanly on the blank citation the up-front check renders, and fails on real notes only.
    "jinja-runtime-error-on-real-notes-only": (_replace("templates/fields/sources.html", "[[ citation.title ]]",
                                                        "[[ citation.title ]][% if citation.quote %]"
                                                        "[[ citation.quote + 1 ]][% endif %]"),
                                               TITLE_LINE,
                                               ["template error", "can only concatenate"]),
    # A key written twice: its first value was judged too ("'sources' is empty"), a second message for one slip.
    "duplicate-key-whose-first-value-is-wrong": (_replace(OTHER, ANSWER, ANSWER + "    sources: []\n"),
                                                 f"{OTHER}:8:5", ["duplicate key 'sources' in a card: it is "
                                                                  "already at line 7, column 5", "keep one of them"]),
    "duplicate-key-in-a-cloze-card": (_replace("cards/igneous.yaml", '    cloze: "Obsidian',
                                               '    question: What?\n    question: Which?\n    cloze: "Obsidian'),
                                      "cards/igneous.yaml:20:5", ["duplicate key 'question' in a card: it is already "
                                                                  "at line 19, column 5"]),
    "duplicate-key-in-front-matter": (_replace("sources/rock-guide.md", 'title: "A Short', 'title:\ntitle: "A Short'),
                                      "sources/rock-guide.md:3:1", ["duplicate key 'title' in front matter: it is "
                                                                    "already at line 2, column 1"]),
    "duplicate-key-in-a-note-type": (_replace("templates/notetypes.yaml", "  css: card.css\ncloze:",
                                              "  css: card.css\n  css: card.css\ncloze:"),
                                     "templates/notetypes.yaml:20:3", ["duplicate key 'css' in note type 'qa': it is "
                                                                       "already at line 19, column 3"]),
    "duplicate-key-in-a-card-template": (_replace("templates/notetypes.yaml", "      back: qa/back.html\n",
                                                  "      back: qa/back.html\n      back: qa/back.html\n"),
                                         "templates/notetypes.yaml:19:7", ["duplicate key 'back' in a card template"]),
    # It was also 'front matter is missing 'title'' at the front matter's first line.
    "empty-front-matter-value": (_replace("sources/rock-guide.md", 'title: "A Short Guide to Rocks"', "title:"),
                                 "sources/rock-guide.md:2:7", ["'title' is empty"]),
    "corrupt-lock-file": (lambda p: (p / "deck.lock").write_bytes((p / "deck.lock").read_bytes()[:200]),
                          None, ["cannot read the lock file", "restore it"]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_input_is_one_located_error_and_nothing_is_lost(project, name):
    mutate, where, words = CASES[name]
    mutate(project)
    stderr = _refused(project, Snapshot.of(project))
    if where is None:  # the lock file: JSON errors give a line and a column
        assert re.match(r"deck\.lock:\d+:\d+: ", stderr), stderr
    else:
        assert _where(stderr) == where, stderr
    for word in words:
        assert word in stderr, stderr
    assert not (project / "PWNED").exists(), "a YAML tag ran code"


@pytest.mark.parametrize("from_inside", [True, False], ids=["run-in-the-project", "with---project"])
@pytest.mark.parametrize("old, new, where, words", [
    ('<div class="deckgen">\n', '<div class="deckgen">\n[% if %]\n', "templates/qa/back.html:2",
     "template syntax error"),
    ('[% include "partials/back_matter.html" %]', '[% include "partials/backmater.html" %]',
     "templates/qa/back.html:5", "template 'partials/backmater.html' not found under templates/"),
], ids=["syntax-error", "missing-include"])
def test_a_template_error_is_shown_at_the_project_template(project, from_inside, old, new, where, words):
    """Run in the project folder, a template's syntax error was shown at 'templates/templates/qa/back.html'; and
    a template that an include names and that does not exist was shown at the default notetypes.yaml's line
    naming qa/back.html, not at the include."""
    edit(project / "templates/qa/back.html", old, new)
    before = Snapshot.of(project)
    if from_inside:
        env = {k: v for k, v in os.environ.items() if k != "DECKGEN_DEBUG"}
        result = subprocess.run([sys.executable, "-m", "deckgen", "build"], cwd=project, capture_output=True,
                                text=True, timeout=120, env=env)
        stderr = result.stderr
        assert result.returncode == 1 and stderr.rstrip().endswith("deckgen: 1 problem; nothing was written"), stderr
        assert Snapshot.of(project) == before
    else:
        stderr = _refused(project, before)
    assert stderr.startswith(f"{where}: {words}"), stderr


@pytest.mark.parametrize("name", [".notes.html", "qa/back.html~", "qa/.back.html.swp", ".git/config"])
def test_hidden_and_editor_files_under_templates_are_not_refused(project, name):
    """An editor's swap or backup file beside a template, or a hidden file, is no template written at a wrong
    name: refusing it would stop every build while the template is open in an editor."""
    (project / "templates" / name).parent.mkdir(parents=True, exist_ok=True)
    (project / "templates" / name).write_text("x\n", encoding="utf-8")
    result = _run(project, "check")
    assert result.returncode == 0, result.stderr


def test_a_citation_of_a_source_saved_under_another_extension_names_the_file(project):
    """sources/rock-guide.txt (or .markdown) is not read: each citation said 'unknown source document' and 'known: '
    the other documents, never the file the author wrote."""
    (project / "sources" / "rock-guide.md").rename(project / "sources" / "rock-guide.txt")
    result = _run(project, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("cards/igneous.yaml:8:14: unknown source document 'rock-guide'\n    hint: "
                                    "sources/rock-guide.txt is not read: a source is a Markdown file, "
                                    "sources/<doc-id>.md; rename it sources/rock-guide.md\n"), result.stderr


def test_a_citation_with_no_document_in_sources_says_where_to_put_it(project):
    """The example's source deleted before one of the author's own is written: each citation's hint was
    'known: ' and nothing."""
    (project / "sources" / "rock-guide.md").unlink()
    result = _run(project, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("cards/igneous.yaml:8:14: unknown source document 'rock-guide'\n    hint: "
                                    "sources/ holds no document: put the cited one in sources/rock-guide.md\n"), \
        result.stderr
    assert "known: \n" not in result.stderr


def test_alias_bomb_is_refused_without_expanding(project):
    """Under a 512 MiB address-space limit: expanding the 9**12 references would need far more."""
    (project / OTHER).write_text(BOMB, encoding="utf-8")

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (512 * 2**20, 512 * 2**20))

    stderr = _refused(project, Snapshot.of(project), preexec=limit_memory)
    assert "YAML alias '*a0' is not supported" in stderr


def test_errors_in_several_files_are_reported_together(project):
    before = Snapshot.of(project)
    edit(project / OTHER, ANSWER, "    anwser: Limestone.\n")
    edit(project / "cards" / "igneous.yaml", "      - doc: rock-guide\n        quote: \"Granite",
         "      - doc: rock-giude\n        quote: \"Granite")
    result = _run(project, "build")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert [m.group("path") for m in LOCATED.finditer(result.stderr)] == ["cards/igneous.yaml", OTHER]
    assert "deckgen: 2 problems; nothing was written" in result.stderr
    assert Snapshot.of(project) == before


# --- failures while writing ----------------------------------------------------------------------------
def _edit_a_card(project: Path, text: str = "Limestone, heated") -> None:
    """A valid edit: the next build really has a new deck and a new lock to write."""
    edit(project / OTHER, ANSWER, f"    answer: {text}.\n")


def _without_permission_override() -> None:
    """In the child: as root, drop the capabilities that let root write where permissions say no."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def test_unwritable_build_folder(project):
    _edit_a_card(project)
    before = Snapshot.of(project)
    build = project / "build"
    build.chmod(0o555)
    try:
        stderr = _refused(project, before, preexec=_without_permission_override)
    finally:
        build.chmod(0o755)
    assert stderr.startswith(f"build/{OUTPUT}: cannot write: Permission denied"), stderr
    assert not list(project.glob(".deck.lock.*")), "no staged lock left behind"
    _built(project)
    assert Snapshot.of(project) != before


def test_deck_write_failing_midway_keeps_deck_and_lock(project):
    """The file-size limit makes writing the new deck fail after part of it is on disk."""
    _edit_a_card(project)
    before = Snapshot.of(project)
    limit = 4 * len(before.lock)  # the staged lock fits; the new deck's database does not

    def limit_file_size() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write with EFBIG instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    stderr = _refused(project, before, preexec=limit_file_size)
    assert stderr.startswith(f"build/{OUTPUT}: cannot write: "), stderr
    assert not [p for p in (project / "build").iterdir() if p.name.startswith(".deckgen-") and p.is_dir()]
    assert not list(project.glob(".deck.lock.*")), "the staged lock is removed when the deck fails"
    _built(project)
    assert Snapshot.of(project) != before


def _scratch(build: Path) -> list[Path]:
    try:
        return [p for p in build.iterdir() if p.name.startswith(".deckgen-") and p.is_dir()]
    except FileNotFoundError:
        return []


def test_build_killed_while_writing_the_new_deck(project):
    """SIGKILL a build while its new deck is being written beside the old one: the old one stays whole."""
    _edit_a_card(project)
    before = Snapshot.of(project)
    build = project / "build"
    caught = None
    for attempt in range(30):
        process = subprocess.Popen([sys.executable, "-m", "deckgen", "--project", str(project), "build"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:
            scratch = _scratch(build)
            if scratch and (scratch[0] / "collection.anki2").exists():
                process.send_signal(signal.SIGSTOP)  # frozen: what we see now is what the kill interrupts
                if apkg(project).read_bytes() == before.deck and (scratch[0] / "collection.anki2").exists():
                    caught = scratch[0]
                    process.kill()
                else:
                    process.send_signal(signal.SIGCONT)
                break
        process.wait(timeout=60)
        if caught is not None:
            break
        # The build got past the replacement before it could be frozen: start again from the old deck.
        apkg(project).write_bytes(before.deck)
        (project / "deck.lock").write_bytes(before.lock)
    assert caught is not None, "never caught a build while it wrote the new deck"
    assert process.returncode == -signal.SIGKILL

    assert Snapshot.of(project) == before
    with zipfile.ZipFile(apkg(project)) as archive:
        assert archive.testzip() is None and "collection.anki2" in archive.namelist()
    assert caught.exists(), "the killed build's half-written scratch copy is what was interrupted"

    _built(project)
    assert Snapshot.of(project) != before
    assert not _scratch(build), "the next build clears what the killed one left"


def test_two_builds_at_once(project):
    _edit_a_card(project)
    before = Snapshot.of(project)
    with open(project / "build" / ".deckgen-build.lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # what a running build holds
        stderr = _refused(project, before)
        fcntl.flock(held, fcntl.LOCK_UN)
    assert stderr.startswith(f"build/{OUTPUT}: another deckgen build of this project is running"), stderr
    _built(project)
    assert Snapshot.of(project) != before


def test_json_failure_report_is_located_too(project):
    edit(project / OTHER, ANSWER, "\tanswer: Limestone.\n")
    result = _run(project, "build", "--json")
    assert result.returncode == 1
    import json

    data = json.loads(result.stdout)
    assert data["ok"] is False
    assert [(d["path"], d["line"], d["col"]) for d in data["diagnostics"]] == [(OTHER, 6, 1)]


def test_a_duplicate_id_is_an_error_at_the_second_card_and_a_note_at_the_first(project):
    """As a compiler reports a name defined twice: the error where the id is given again, then a located note
    where it was first given, on a line of its own that an editor's jump-to-error reaches; one problem."""
    edit(project / OTHER, "  - id: marble-origin\n", "  - id: granite-minerals\n")
    lines = _refused(project, Snapshot.of(project)).splitlines()
    error = lines.index(f"{OTHER}:4:9: duplicate card id 'granite-minerals'")
    assert lines[error + 2] == "cards/igneous.yaml:4:9: note: 'granite-minerals' is first defined here", lines
    import json

    (diagnostic,) = json.loads(_run(project, "check", "--json").stdout)["diagnostics"]
    assert diagnostic["related"] == [{"path": "cards/igneous.yaml", "line": 4, "col": 9,
                                      "message": "'granite-minerals' is first defined here"}]


def test_a_duplicate_question_is_an_error_at_the_second_card_and_a_note_at_the_first(project):
    """The same for two cards asking one question: the second is refused, and a located note names the first."""
    edit(project / OTHER, "cards:\n", "cards:\n  - id: granite-made-of\n    question: Of what is granite made?\n"
         "    answer: Quartz and feldspar.\n    sources:\n      - doc: rock-guide\n"
         "        quote: \"Granite is ... made of quartz and feldspar.\"\n")
    lines = _refused(project, Snapshot.of(project)).splitlines()
    error = lines.index(f"{OTHER}:5:15: duplicate-question: another card asks the same question")
    assert lines[error + 2] == ("cards/igneous.yaml:5:15: note: the same question is first asked here, by "
                                "'granite-minerals'"), lines


def test_real_deck_copy_reports_a_misspelt_key(tmp_path):
    """The same on a copy of the repository's own deck (built first)."""
    from helpers import copy_project

    real = copy_project(tmp_path / "real")
    _built(real)
    outputs = list((real / "build").glob("*.apkg"))
    assert len(outputs) == 1
    before = (sha256(outputs[0]), sha256(real / "deck.lock"))
    path = sorted(p for p in (real / "cards").glob("*.yaml") if p.name not in ("deck.yaml", "synonyms.yaml"))[0]
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith("    answer:"))
    lines[number] = lines[number].replace("answer:", "anwser:", 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    result = _run(real, "build")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"cards/{path.name}:{number + 1}:5: unknown key 'anwser' in a card\n"
                                    f"    hint: did you mean 'answer'?")
    assert (sha256(outputs[0]), sha256(real / "deck.lock")) == before


def test_tags_of_any_script_reach_anki_composed_and_found_by_a_search(project):
    """A tag is letters of any script: "важно" and "टैग::भाग" were refused as not a-z. One written decomposed (NFD:
    "е" and U+0308) ships composed, as Anki keeps it, so a search for the composed tag finds the note."""
    import json

    from helpers import import_apkg, open_collection

    decomposed = "вс\u0435\u0308"  # "всё" written decomposed
    edit(project / OTHER, "tags: [rocks::other]\n", f"tags: [rocks::other, rocks::важно, rocks::टैग::भाग, rocks::{decomposed}]\n")
    _built(project)
    lock = json.loads((project / "deck.lock").read_text(encoding="utf-8"))
    assert "rocks::всё" in lock["cards"]["marble-origin"]["tags"], "deck.lock records the tag as Anki keeps it"
    col = open_collection(project.parent / "collection.anki2")
    try:
        import_apkg(col, apkg(project))
        other = {col.get_note(n)["CardId"] for n in col.find_notes("deck:*::Other")}
        for search in ("tag:rocks::важно", "tag:rocks::टैग::भाग", "tag:rocks::всё"):
            found = {col.get_note(n)["CardId"] for n in col.find_notes(search)}
            assert found == other and found, (search, found)
        tags = {tag for n in col.find_notes("deck:*::Other") for tag in col.get_note(n).tags}
        assert "rocks::всё" in tags and f"rocks::{decomposed}" not in tags, tags
    finally:
        col.close()


@pytest.mark.parametrize("line", [
    "|" + "-" * 100_000 + "x",  # not a table's rule: each '-' was tried as its first (84 s, by the growth measured)
    "A " + "[^" * 80_000,  # no footnote reference: each "[^" was read to the line's end (24 s at 40,000)
    "A" + " " * 200_000 + "x [^a]",  # a reference looked for from each space before it (14 s at 80,000)
], ids=["table-rule", "footnote-opens", "spaces-before-footnote"])
def test_a_source_line_built_to_be_slow_to_read_is_read_in_linear_time(project, line):
    """A source document is a pull request's file, read with no time limit: no pattern of sources.py is tried from
    each of a line's characters to its end."""
    path = project / "sources" / "rock-guide.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + line + "\n", encoding="utf-8")
    start = time.monotonic()
    result = _run(project, "check", timeout=60)
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - start < 20


def test_fields_of_unclosed_formulas_are_rendered_in_linear_time(project):
    """A field of 2,500 '\\(' and no '\\)' (5,000 characters, within the limit) was read by markup's formula pattern
    from each '\\(' to the field's end, outside any template call: 0.3 s a card (answer and extra), and 240 such
    cards in 12 files of 200 KB over 60 s a check."""
    unclosed = "\\(" * 2_490
    source = project / "sources" / "rock-guide.md"
    sentences = " ".join(f"Rock {i} is pumice." for i in range(240))
    source.write_text(source.read_text(encoding="utf-8") + f"\n{sentences}\n", encoding="utf-8")
    for file in range(12):
        cards = "".join(f"  - id: hostile-{i}\n    question: What is rock {i}?\n    answer: 'Pumice. {unclosed}'\n"
                        f"    extra: '{unclosed}'\n    sources: [{{doc: rock-guide, quote: \"Rock {i} is pumice.\"}}]\n"
                        for i in range(file * 20, file * 20 + 20))
        (project / "cards" / f"hostile-{file}.yaml").write_text(f"deck: Hostile\ncards:\n{cards}", encoding="utf-8")
    start = time.monotonic()
    result = _run(project, "check", timeout=60)
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - start < 30


def test_a_vanished_cards_unclosed_tags_in_deck_lock_are_read_in_linear_time(project):
    """deck.lock is a pull request's file too: a vanished card's field of 250,000 '<' (250 KB, its digests and hash
    made to match) was read by rename detection's tag pattern from each '<' to the field's end (14 s at 100,000)."""
    from dataclasses import replace

    from deckgen import lock
    from deckgen.render import field_digests

    read, problems = lock.read_lock(project / "deck.lock", "deck.lock", "Mini Stones")
    assert read is not None and not problems
    cards = {card_id: read.with_fields(card_id, card)[0] for card_id, card in read.cards.items()}
    card = cards["slate-sheets"]
    fields = ("<" * 250_000,) + card.fields[1:]
    digests = field_digests(fields)
    note_hash = lock.content_hash(card.note_type, card.deck, digests, card.tags)
    cards["slate-sheets"] = replace(card, fields=fields, digests=digests,
                                    hash=lock._card_hash(note_hash, read.note_types[card.note_type].id))
    (project / "deck.lock").write_text(lock.serialize(replace(read, cards=cards)), encoding="utf-8")
    edit(project / OTHER, "id: slate-sheets", "id: slate-flat-sheets")
    start = time.monotonic()
    result = _run(project, "check", timeout=60)
    assert result.returncode == 1 and "card id changed without renamed_from?" in result.stderr, result.stderr
    assert time.monotonic() - start < 20
