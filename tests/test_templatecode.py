"""The templates' compiled code kept in build/ (templatecode.py) only ever saves compiling, never changes a deck.

* A rebuild compiles no template an earlier build compiled from the same text, and ships what a build that
  compiles every template ships (the same deck.lock, whose entries hold each field's digest); `check` and
  `build --fresh` compile every template.
* An entry is code that runs, so one that this user's deckgen did not make for exactly this template, this
  environment and this installation is not run. Each test plants code that renders a marker, signed as an
  attacker (or a stale build) could sign it, and the control signs it as deckgen does: the marker then
  ships, so each refusal is shown to be the MAC's doing.
* A template edited since is compiled again; an entry of another kind (a FIFO) is not waited on.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import zipfile
from pathlib import Path
from unittest import mock

import jinja2
import pytest

from deckgen import fastpath, pipeline, render, templatecode, userkey
from deckgen.render import SOURCES_FIELD_TEMPLATE
from helpers import run_cli
from mini_project import apkg, edit, make_project

NOW = 1_700_000_000
MARKER = "PLANTED-TEMPLATE-CODE"
CARDS = Path("cards") / "other.yaml"


@pytest.fixture
def project(tmp_path) -> Path:
    root = make_project(tmp_path / "project")
    pipeline.build(root, now=NOW)
    return root


@pytest.fixture
def compiled_names(monkeypatch) -> list[str]:
    """The names of the template files Jinja compiles from here on (from_string templates have none)."""
    names: list[str] = []
    real_compile = jinja2.Environment.compile

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        if name is not None:
            names.append(name)
        return real_compile(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", compile)
    return names


def _edit_a_card(project: Path, answer: str = "answer: Soft, white.") -> None:
    edit(project / CARDS, "answer: Soft and white.", answer)


def _shipped_text(project: Path) -> str:
    database = project / "unzipped.anki2"
    with zipfile.ZipFile(apkg(project)) as package:
        database.write_bytes(package.read("collection.anki2"))
    connection = sqlite3.connect(database)
    try:
        return "\n".join(row[0] for row in connection.execute("SELECT flds FROM notes"))
    finally:
        connection.close()


def test_a_rebuild_compiles_no_template_and_ships_what_compiling_ships(project, tmp_path, compiled_names):
    twin = shutil.copytree(project, tmp_path / "twin")
    _edit_a_card(project)
    _edit_a_card(twin)
    pipeline.build(project, now=NOW + 60)
    assert compiled_names == [], "the templates' code was compiled by the first build, from the same text"

    pipeline.build(twin, now=NOW + 60, fresh=True)
    assert SOURCES_FIELD_TEMPLATE in compiled_names, "--fresh compiles every template"
    assert (project / "deck.lock").read_bytes() == (twin / "deck.lock").read_bytes()


def test_check_compiles_every_template(project, compiled_names):
    pipeline.check(project)
    assert SOURCES_FIELD_TEMPLATE in compiled_names


def test_a_delta_rebuild_compiles_no_template(project, compiled_names):
    result = run_cli(project, "build")
    assert result.returncode == 0, result.stderr  # a build through the CLI: records the delta state
    _edit_a_card(project)
    from deckgen import delta

    built = delta.rebuild(project, NOW + 60, None)
    assert built is not None, "a one-card edit is a delta rebuild"
    assert compiled_names == []


# --- planted code -----------------------------------------------------------------------------------
def _plant(project: Path, *, key: bytes, autoescape: bool = True, installation: str | None = None) -> Path:
    """Code rendering MARKER as fields/sources.html's, at the name of that template's entry for the escaping
    environment, with the MAC deckgen makes with `key`, for an environment that escapes or not, in an
    installation (fastpath.installation) other than this one, e.g. before deckgen or a package was upgraded."""
    root_cache = templatecode.CompiledTemplates(project / "build", userkey.build_key(project), autoescape=True)
    this_installation = fastpath.installation()
    with mock.patch.object(fastpath, "installation", lambda: installation or this_installation):
        signing = templatecode.CompiledTemplates(project / "build", key, autoescape=autoescape)
    env = render.environment(project / "templates", autoescape=True)
    source, filename, _ = env.loader.get_source(env, SOURCES_FIELD_TEMPLATE)
    bucket = root_cache.get_bucket(env, SOURCES_FIELD_TEMPLATE, filename, source)
    planted = f'[% macro sources(citations) %]{MARKER}[% endmacro %]'
    bucket.code = env.compile(planted, SOURCES_FIELD_TEMPLATE, filename)
    path, _ = root_cache._entry(bucket)
    _, identity = signing._entry(bucket)
    code = bucket.bytecode_to_string()
    path.write_bytes(signing._mac(identity, code) + code)
    return path


PLANTS = {
    "another key": dict(key=b"k" * 32),
    "another installation": dict(installation="deckgen 0.0, other packages"),
    "the environment that does not escape": dict(autoescape=False),
}


@pytest.mark.parametrize("how", PLANTS)
def test_planted_code_is_not_run(project, compiled_names, how):
    _plant(project, **{"key": userkey.build_key(project), **PLANTS[how]})
    compiled_names.clear()  # _plant compiled the planted code
    _edit_a_card(project)
    pipeline.build(project, now=NOW + 60)
    assert MARKER not in _shipped_text(project)
    assert SOURCES_FIELD_TEMPLATE in compiled_names, "an entry that does not authenticate: the template is compiled"


def test_control_code_signed_as_deckgen_signs_it_is_run(project, compiled_names):
    _plant(project, key=userkey.build_key(project))
    compiled_names.clear()
    _edit_a_card(project)
    pipeline.build(project, now=NOW + 60)
    assert MARKER in _shipped_text(project), "the plant works: the tests above fail if the MAC is not checked"
    assert SOURCES_FIELD_TEMPLATE not in compiled_names


def test_an_edited_template_is_compiled_again(project, compiled_names):
    edit(project / "templates" / SOURCES_FIELD_TEMPLATE, "[% macro sources(citations) %]",
         "[% macro sources(citations) %]EDITED-TEMPLATE ")
    _edit_a_card(project)
    pipeline.build(project, now=NOW + 60)
    assert SOURCES_FIELD_TEMPLATE in compiled_names
    assert "EDITED-TEMPLATE" in _shipped_text(project)


def test_an_entry_made_a_fifo_is_not_waited_on(project):
    path = _plant(project, key=userkey.build_key(project))
    path.unlink()
    os.mkfifo(path)
    _edit_a_card(project)
    result = run_cli(project, "build", timeout=60)
    assert result.returncode == 0, result.stderr
    assert MARKER not in _shipped_text(project)


def test_no_key_no_entries(project, monkeypatch):
    monkeypatch.setattr(userkey, "build_key", lambda root: None)
    for entry in (project / "build").glob(f"{templatecode.ENTRY_PREFIX}*"):
        entry.unlink()
    _edit_a_card(project)
    pipeline.build(project, now=NOW + 60)
    assert not list((project / "build").glob(f"{templatecode.ENTRY_PREFIX}*"))


def test_a_moved_project_writes_its_entries_over_its_old_ones(project, compiled_names):
    """The code Jinja compiles names the template's file, so an entry made before the move is not run after it
    (its MAC covers the path): the templates are compiled, and kept under the same names, not beside them."""
    for later in (60, 120):
        pipeline.build(project, now=NOW + later)
    before = sorted(path.name for path in (project / "build").glob(f"{templatecode.ENTRY_PREFIX}*"))
    moved = project.parent / "moved"
    os.rename(project, moved)
    compiled_names.clear()
    pipeline.build(moved, now=NOW + 180)
    assert compiled_names, "an entry made for the old path was run"
    assert sorted(path.name for path in (moved / "build").glob(f"{templatecode.ENTRY_PREFIX}*")) == before
    compiled_names.clear()
    pipeline.build(moved, now=NOW + 240)
    assert compiled_names == []
