"""`deckgen init`: a new project that builds at once, and the default templates it builds with.

Every command runs as a subprocess, as a user types it.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest
import yaml

from deckgen.render import DEFAULT_TEMPLATES

EXAMPLE_CARDS = {"bees-waggle-dance", "bees-colony-queen"}


def deckgen(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DECKGEN_DEBUG"}
    return subprocess.run([sys.executable, "-m", "deckgen", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env=env)


def init(tmp_path: Path, name: str, *args: str) -> Path:
    result = deckgen(tmp_path, "init", name, *args)
    assert result.returncode == 0, result.stderr
    return tmp_path / name


def deck_yaml(project: Path) -> dict:
    return yaml.safe_load((project / "cards" / "deck.yaml").read_text(encoding="utf-8"))


def package_tables(apkg: Path, tmp_path: Path) -> tuple[dict, dict, list[tuple[str, str]]]:
    """(note types by id, decks by id, [(guid, fields)]) as written into the .apkg."""
    with zipfile.ZipFile(apkg) as archive:
        archive.extract("collection.anki2", tmp_path / apkg.stem)
    connection = sqlite3.connect(tmp_path / apkg.stem / "collection.anki2")
    try:
        models, decks = connection.execute("select models, decks from col").fetchone()
        notes = connection.execute("select guid, flds from notes order by guid").fetchall()
    finally:
        connection.close()
    return json.loads(models), json.loads(decks), notes


def test_init_makes_a_project_that_builds_at_once(tmp_path):
    result = deckgen(tmp_path, "init", "bees", "--title", "Honey Bees")
    assert result.returncode == 0, result.stderr
    project = tmp_path / "bees"
    assert "deckgen build" in result.stdout
    for name in ("cards/deck.yaml", "cards/bees.yaml", "cards/synonyms.yaml", "cards/vocabulary.yaml",
                 "sources/honey-bees.md", ".gitignore"):
        assert (project / name).is_file(), name
    assert not (project / "templates").exists(), "a new project builds with the default templates"
    settings = deck_yaml(project)
    assert settings["title"] == "Honey Bees" and settings["output"] == "honey-bees.apkg"
    assert settings["namespace"].startswith("honey-bees-")

    built = deckgen(project, "build")  # inside the project, no --project: as the README says
    assert built.returncode == 0, built.stderr
    assert "2 added" in built.stdout
    # a first build makes its note types; it changes none (a template edit says "changed": test_watch)
    assert "  note types added: cloze, qa" in built.stdout.splitlines() and "changed:" not in built.stdout
    lock = json.loads((project / "deck.lock").read_text(encoding="utf-8"))
    assert lock["namespace"] == settings["namespace"], "deck.lock records the namespace deck.yaml gives"
    assert set(lock["cards"]) == EXAMPLE_CARDS
    checked = deckgen(project, "check", "--json")
    assert checked.returncode == 0 and json.loads(checked.stdout)["ok"]

    models, decks, notes = package_tables(project / "build" / "honey-bees.apkg", tmp_path)
    assert sorted(m["name"] for m in models.values()) == ["Honey Bees Cloze (deckgen)", "Honey Bees Q&A (deckgen)"]
    assert "Honey Bees::01 Honey bees" in {d["name"] for d in decks.values()}, "numbered, as the README advises"
    assert len(notes) == 2


def test_the_example_cards_are_held_to_the_gate(tmp_path):
    """The example passes the gate because its cards say what the source says: an answer the source does
    not give, or a quote cut short, is refused like any other card."""
    project = init(tmp_path, "bees")
    cards = project / "cards" / "bees.yaml"
    text = cards.read_text(encoding="utf-8")
    for wrong in (text.replace("answer: The waggle dance.", "answer: The round dance."),
                  text.replace('quote: "A honey bee colony has one queen."', 'quote: "A honey bee colony"')):
        assert wrong != text
        cards.write_text(wrong, encoding="utf-8")
        result = deckgen(project, "check")
        assert result.returncode == 1, result.stdout
        assert "cards/bees.yaml:" in result.stderr
    cards.write_text(text, encoding="utf-8")
    assert deckgen(project, "check").returncode == 0


def _with_card(cards: Path, text: str, card: str) -> None:
    cards.write_text(text + card, encoding="utf-8")


def test_what_the_example_says_a_card_needs_is_what_check_does(tmp_path):
    """The example's comments teach what a new author's first cards meet most (a tide-pool deck's first check:
    a quote that says more than its card, a pronoun whose noun is in the sentence before, a question that names
    its answer's kind): each thing they say passes or is refused as they say it."""
    project = init(tmp_path, "bees")
    cards = project / "cards" / "bees.yaml"
    text = cards.read_text(encoding="utf-8")
    assert "\n  # - id: bees-workers-gather-food\n" in text, "the third card is commented out: two cards ship"
    lines = text.splitlines(keepends=True)
    start = next(n for n, line in enumerate(lines) if "the six lines below" in line) + 1
    lines[start:start + 6] = [line.replace("# ", "", 1) for line in lines[start:start + 6]]
    cards.write_text("".join(lines), encoding="utf-8")
    result = deckgen(project, "check")
    assert result.returncode == 0 and "3 notes" in result.stdout, result.stderr  # " ... " cuts the quote

    whose = ("  - id: bees-colony-workers\n    question: What are almost all the other bees of a honey bee colony?\n"
             "    answer: Workers.\n    sources:\n      - doc: honey-bees\n"
             "        quote: \"Almost all of its other bees are workers\"\n")
    assert "\"Almost all of its other bees are workers\" does not say whose" in text
    _with_card(cards, text, whose)
    result = deckgen(project, "check")
    assert result.returncode == 1 and 'question words "honey" and "colony" are not in the quoted passage' \
        in result.stderr, result.stderr  # "its" brings in neither from the sentence before

    caste = ("  - id: bees-caste-one\n    question: Of which caste does a honey bee colony have one?\n"
             "    answer: The queen.\n    sources:\n      - doc: honey-bees\n"
             "        quote: \"A honey bee colony has one queen.\"\n")
    _with_card(cards, text, caste)
    result = deckgen(project, "check")
    assert result.returncode == 1 and 'question word "caste" is not in the quoted passage' in result.stderr
    vocabulary = project / "cards" / "vocabulary.yaml"
    example = next(line for line in vocabulary.read_text(encoding="utf-8").splitlines() if "caste: [" in line)
    vocabulary.write_text(f"kinds:\n  {example.lstrip('# ').strip()}\nframe: []\n", encoding="utf-8")
    result = deckgen(project, "check")
    assert result.returncode == 0, result.stderr  # the kind named in vocabulary.yaml's own example


def test_the_title_defaults_to_the_folder_name_and_each_init_gets_its_own_namespace(tmp_path):
    first, second = init(tmp_path, "rock-types"), init(tmp_path, "rock_types")
    assert deck_yaml(first)["title"] == deck_yaml(second)["title"] == "Rock Types"
    assert deck_yaml(first)["namespace"] != deck_yaml(second)["namespace"]


def test_a_title_with_yaml_syntax_in_it_is_written_as_typed(tmp_path):
    title = 'Rocks: "igneous" & #1 {sedimentary} $HOME'
    project = init(tmp_path, "rocks", "--title", title)
    assert deck_yaml(project)["title"] == title
    built = deckgen(project, "build")
    assert built.returncode == 0, built.stderr
    models, _, _ = package_tables(project / "build" / deck_yaml(project)["output"], tmp_path)
    assert f"{title} Q&A (deckgen)" in {m["name"] for m in models.values()}


def test_init_refuses_a_folder_that_is_not_empty_and_writes_nothing(tmp_path):
    target = tmp_path / "notes"
    target.mkdir()
    (target / "todo.txt").write_text("mine\n", encoding="utf-8")
    result = deckgen(tmp_path, "init", "notes")
    assert result.returncode == 2
    assert result.stderr.startswith("notes: is not empty (it holds todo.txt)")
    assert "hint:" in result.stderr
    assert sorted(p.name for p in target.iterdir()) == ["todo.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes"], "no temporary folder left behind"


def test_init_refuses_a_file_and_a_bad_title(tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert deckgen(tmp_path, "init", "file").returncode == 2
    result = deckgen(tmp_path, "init", "deck", "--title", "A::B")
    assert result.returncode == 2 and "--title: the title may not contain '::'" in result.stderr
    assert not (tmp_path / "deck").exists()


def test_init_fills_an_empty_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    project = init(tmp_path, "empty")
    assert deckgen(project, "build").returncode == 0


def test_init_fills_a_folder_that_holds_only_a_git_repository(tmp_path):
    """`git init` first, then `deckgen init .`: the repository is no reason to refuse, and is left as it was."""
    target = tmp_path / "deck"
    (target / ".git").mkdir(parents=True)
    (target / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    result = deckgen(target, "init", ".", "--title", "Sourdough")
    assert result.returncode == 0, result.stderr
    assert (target / ".git" / "HEAD").read_text(encoding="utf-8") == "ref: refs/heads/main\n"
    assert "next: deckgen build   # writes build/sourdough.apkg" in result.stdout.splitlines(), "no 'cd .'"
    assert deckgen(target, "build").returncode == 0


def test_init_fills_an_existing_folder_whose_parent_it_cannot_write(tmp_path):
    """`git init` in a folder under one this user may not write (/workspace under /), then `deckgen init .`:
    the example was staged beside the folder, so init failed. The refusal is simulated (root writes anywhere)."""
    target = tmp_path / "locked" / "deck"
    (target / ".git").mkdir(parents=True)
    script = ("import os, sys\n"
              "from deckgen.cli import main\n"
              "real = os.mkdir\n"
              "def mkdir(path, *args, **kwargs):\n"
              "    if os.path.dirname(os.path.abspath(path)) == os.path.abspath('..'):\n"
              "        raise PermissionError(13, 'Permission denied', os.fspath(path))\n"
              "    return real(path, *args, **kwargs)\n"
              "os.mkdir = mkdir\n"
              "sys.exit(main(['init', '.', '--title', 'Bees']))\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=target, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in target.iterdir()) == [".git", ".gitignore", "cards", "sources"]
    assert sorted(p.name for p in (tmp_path / "locked").iterdir()) == ["deck"]
    assert deckgen(target, "build").returncode == 0


def test_a_title_with_accents_or_in_another_script_makes_a_readable_file_name_and_namespace(tmp_path):
    """The file name keeps the title's letters of any script, composed (NFC): "Cyrillic: Азбука" made
    cyrillic.apkg, and a title all in another script the folder's name. The namespace stays ASCII."""
    project = init(tmp_path, "levain", "--title", "Pâte à pain levée, Straße")
    settings = deck_yaml(project)
    assert settings["output"] == "pâte-à-pain-levée-straße.apkg", "accents kept, punctuation the '-' between words"
    assert settings["namespace"].startswith("pate-a-pain-levee-strasse-")
    mixed = init(tmp_path, "azbuka", "--title", "Cyrillic: Азбука")
    assert deck_yaml(mixed)["output"] == "cyrillic-азбука.apkg"
    assert deck_yaml(mixed)["namespace"].startswith("cyrillic-")
    other = init(tmp_path, "brot", "--title", "Как поднимается хлеб")
    assert deck_yaml(other)["output"] == "как-поднимается-хлеб.apkg"
    assert deck_yaml(other)["namespace"].startswith("brot-"), "a title with no latin letter: the folder's name"
    decomposed = init(tmp_path, "nfd", "--title", unicodedata.normalize("NFD", "Ёлка и во\u0301да"))
    assert deck_yaml(decomposed)["output"] == unicodedata.normalize("NFC", "ёлка-и-во\u0301да.apkg")
    for made in (project, mixed, other, decomposed):
        built = deckgen(made, "build")
        assert built.returncode == 0, built.stderr
        assert (made / "build" / deck_yaml(made)["output"]).is_file()


@pytest.mark.parametrize("title, output", [
    ('Q: "Why?" / a|b * c\\d', "q-why-a-b-c-d.apkg"),  # each refused by Windows or Android's FAT
    ("Con", "con-deck.apkg"),  # a device's name on Windows, whatever the extension
    ("日本語の文字 ２０２６", "日本語の文字-２０２６.apkg"),
    ("العربية", "العربية.apkg"),
    ("Ελληνικά: Αλφάβητο", "ελληνικά-αλφάβητο.apkg"),
    ("!!!", "bees.apkg"),  # no letter: the folder's name
])
def test_the_file_name_drops_only_what_a_file_system_refuses(tmp_path, title, output):
    assert deck_yaml(init(tmp_path, "bees", "--title", title))["output"] == output


@pytest.mark.parametrize("output, accepted", [
    ("cyrillic-азбука.apkg", True), ("ёлка_2.apkg", True), ("во\u0301да.apkg", True), ("x.apkg", True),
    ("a b.apkg", False), ("a:b.apkg", False), ("-x.apkg", False), (".x.apkg", False), ("x.txt", False),
    ("con.apkg", False), ("nul.old.apkg", False),
])
def test_deck_yaml_takes_an_output_name_of_any_script(tmp_path, output, accepted):
    project = init(tmp_path, "bees")
    deck = project / "cards" / "deck.yaml"
    text = deck.read_text(encoding="utf-8")
    deck.write_text(text.replace("output: bees.apkg", f"output: \"{output}\""), encoding="utf-8")
    result = deckgen(project, "check")
    assert (result.returncode == 0) == accepted, result.stderr
    if not accepted:
        line = deck.read_text(encoding="utf-8").splitlines().index(f'output: "{output}"') + 1
        assert result.stderr.startswith(f"cards/deck.yaml:{line}:9: output '{output}' "), result.stderr
        assert "hint: letters and digits of any script" in result.stderr


def test_a_folder_above_that_cannot_be_read_is_no_project(tmp_path):
    """The lookup upward meets a cards/ folder of another user's that this one may not enter: the command
    goes on as in a folder with no project above (its located errors), not an internal error. The refusal is
    simulated (the tests may run as root, whom no permission stops)."""
    (tmp_path / "outer" / "cards").mkdir(parents=True)
    (tmp_path / "outer" / "here").mkdir()
    script = ("import os, sys\n"
              "from deckgen.cli import main\n"
              "real = os.stat\n"
              "def stat(path, *args, **kwargs):\n"
              "    if os.fspath(path).endswith('/outer/cards/deck.yaml'):\n"
              "        raise PermissionError(13, 'Permission denied', os.fspath(path))\n"
              "    return real(path, *args, **kwargs)\n"
              "os.stat = stat\n"
              "sys.exit(main(['check']))\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path / "outer" / "here", capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 1 and "no cards/ folder" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


@pytest.mark.parametrize("command", ["check", "build", "status", "coverage"])
def test_a_folder_that_is_no_project_is_one_message(tmp_path, command):
    """Run where there is no project (nor one above), or with --project naming an empty folder: 'no cards/ folder'
    and 'no sources/ folder', two problems of one cause, and a hint to run from the project root."""
    (tmp_path / "empty").mkdir()
    for result in (deckgen(tmp_path, command), deckgen(tmp_path, command, "--project", "empty")):
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        shown = tmp_path if "--project" not in result.args else tmp_path / "empty"
        assert result.stderr == (f"cards: no cards/ folder\n    hint: {shown} is no deckgen project: run deckgen in one "
                                 f"(or a folder inside it), pass --project DIR, or make one with 'deckgen init DIR'\n"
                                 "deckgen: 1 problem; nothing was written\n")


def test_init_says_how_to_go_on_with_a_folder_name_a_shell_can_take(tmp_path):
    result = deckgen(tmp_path, "init", "my bread deck")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "next: cd 'my bread deck' && deckgen build   # writes build/my-bread-deck.apkg" in lines
    at = next(at for at, line in enumerate(lines) if line.startswith("then: "))
    then = " ".join(line.strip() for line in lines[at:])  # a paragraph of short lines (one was 250 characters)
    assert "cards/bees.yaml" in then and "sources/honey-bees.md" in then and "deckgen build --drop-retired" in then
    assert all(len(line) <= 100 for line in lines[at:]), lines[at:]


def test_commands_find_the_project_from_a_folder_inside_it_and_take_project_after_the_command(tmp_path):
    project = init(tmp_path, "bees")
    inside = deckgen(project / "cards", "build")
    assert inside.returncode == 0, inside.stderr
    assert inside.stderr.startswith(f"deckgen: the project is {project.resolve()}")
    assert (project / "build" / "bees.apkg").is_file() and not (project / "cards" / "build").exists()
    after = deckgen(tmp_path, "check", "--project", "bees")
    assert after.returncode == 0, after.stderr
    assert after.stdout.startswith("ok: 2 notes")
    nowhere = deckgen(tmp_path, "check")  # no project here nor above: the located errors, as before
    (project / "moved").mkdir()  # a project inside it whose cards/ is missing: its own problem, not a build above
    (project / "moved" / "deck.lock").write_bytes((project / "deck.lock").read_bytes())
    lock = (project / "deck.lock").read_bytes()
    missing = deckgen(project / "moved", "build")
    assert missing.returncode == 1 and "no cards/ folder" in missing.stderr, missing.stderr
    assert "the project is" not in missing.stderr and (project / "deck.lock").read_bytes() == lock
    assert nowhere.returncode == 1 and "no cards/ folder" in nowhere.stderr and "Traceback" not in nowhere.stderr
    gone = subprocess.run(["sh", "-c", 'mkdir gone && cd gone && rmdir ../gone && exec "$0" -m deckgen check',
                           sys.executable], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert gone.returncode == 2 and "the current folder no longer exists" in gone.stderr, gone.stderr
    for target in ("bees2", str(tmp_path / "bees3")):  # init too (it was an internal error), and made nothing
        made = subprocess.run(["sh", "-c", 'mkdir gone && cd gone && rmdir ../gone && exec "$0" -m deckgen init "$1"',
                               sys.executable, target], cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert made.returncode == 2 and "the current folder no longer exists" in made.stderr, made.stderr
        assert "internal error" not in made.stderr and not (tmp_path / "bees3").exists()
    version = deckgen(tmp_path, "--version")
    assert version.returncode == 0 and version.stdout.startswith("deckgen ") and len(version.stdout.split()) == 2
    (project / "drafts").mkdir()
    nested = deckgen(project / "drafts", "init", "nested")  # a new project: no project is looked for above
    assert nested.returncode == 0 and "the project is" not in nested.stderr, nested.stderr
    assert (project / "drafts" / "nested" / "cards" / "deck.yaml").is_file()
    ignored = deckgen(tmp_path, "--project", "bees", "init", "other")  # would make ./other, not bees/other
    assert ignored.returncode == 2 and "without --project" in ignored.stderr
    assert not (tmp_path / "other").exists() and not (project / "other").exists()


def test_a_bad_card_id_or_source_name_is_answered_with_the_name_to_use(tmp_path):
    """The hints speak of the author's own deck: the name to use, made from the one typed, not an example
    taken from another deck (the calcinosis deck's ids and file names were given before)."""
    project = init(tmp_path, "bees")
    cards = project / "cards" / "bees.yaml"
    cards.write_text(cards.read_text(encoding="utf-8").replace("id: bees-colony-queen", "id: Bees_Colony_Queen"),
                     encoding="utf-8")
    (project / "sources" / "honey-bees.md").rename(project / "sources" / "Honey Bées.md")
    result = deckgen(project, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "hint: use lowercase a-z, 0-9 and single '-' between words: 'bees-colony-queen'" in result.stderr
    assert "hint: name it with lowercase a-z, 0-9 and '-', e.g. honey-bees.md" in result.stderr
    assert "calci" not in result.stderr


def test_a_project_template_overrides_the_default_of_the_same_name_only(tmp_path):
    project = init(tmp_path, "bees", "--title", "Bees")
    (project / "templates").mkdir()
    (project / "templates" / "card.css").write_text(".card { color: teal; }\n", encoding="utf-8")
    assert deckgen(project, "build").returncode == 0
    models, _, _ = package_tables(project / "build" / "bees.apkg", tmp_path)
    qa = next(m for m in models.values() if m["name"] == "Bees Q&A (deckgen)")
    assert qa["css"] == ".card { color: teal; }\n"
    default_front = (DEFAULT_TEMPLATES / "qa" / "front.html").read_text(encoding="utf-8")
    assert qa["tmpls"][0]["qfmt"] == default_front, "the other templates are still the defaults"


def test_a_project_without_templates_names_a_missing_template_clearly(tmp_path):
    project = init(tmp_path, "bees")
    (project / "templates").mkdir()
    notetypes = (DEFAULT_TEMPLATES / "notetypes.yaml").read_text(encoding="utf-8")
    (project / "templates" / "notetypes.yaml").write_text(notetypes.replace("qa/back.html", "qa/nowhere.html"),
                                                          encoding="utf-8")
    result = deckgen(project, "check")
    assert result.returncode == 1
    assert "templates/notetypes.yaml:" in result.stderr and "'qa/nowhere.html' not found" in result.stderr


def test_a_title_cannot_leave_the_stylesheet_comment_it_is_named_in(tmp_path):
    """The default card.css names the deck in its first comment; a title holding '*/' must not end that
    comment (a title holding '<', which could end the <style> element Anki puts it in, is refused)."""
    title = "Rocks */ .card { display: none } **// b"
    project = init(tmp_path, "rocks", "--title", title)
    assert deckgen(project, "build").returncode == 0
    models, _, _ = package_tables(project / "build" / deck_yaml(project)["output"], tmp_path)
    css = next(iter(models.values()))["css"]
    first_comment = css[:css.index("*/") + 2]
    assert first_comment.startswith("/* Rocks / .card { display: none } // b")  # every '*' taken out
    assert ".card { display: none }" not in css[len(first_comment):]
    result = deckgen(tmp_path, "init", "tags", "--title", "Rocks </style><b>bold</b>")
    assert result.returncode == 2 and "may not contain '<'" in result.stderr, result.stderr  # a usage error


def test_the_no_change_stamp_depends_on_the_default_templates(tmp_path, monkeypatch):
    """A deckgen whose default templates changed (an update, an edited checkout) must not answer a build
    from the stamp of the last one: the defaults are part of what fastpath digests as deckgen itself."""
    from deckgen import fastpath

    package = tmp_path / "deckgen"
    shutil.copytree(DEFAULT_TEMPLATES.parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(fastpath, "__file__", str(package / "fastpath.py"))
    before = fastpath.installation.__wrapped__()
    css = package / "default_templates" / "card.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* changed */\n", encoding="utf-8")
    assert fastpath.installation.__wrapped__() != before
