"""Session 16's attacks on the templates' compiled code kept in build/ (templatecode.py) and on compiling templates.

* A project whose path holds bytes that are not UTF-8 (unpacked from an archive made elsewhere): `check` and
  `build --fresh` passed, and every other build failed at the first template, since Jinja's cache key encodes
  the template's file name as strict UTF-8. Fixed: CompiledTemplates makes its own key (templatecode.py).
* A template from a pull request that makes Jinja work for long while it compiles: Jinja evaluates a filter
  on constants when it compiles the template (constant folding), outside any template call, so the time limit
  (timelimit.py) never stopped it; `"ab "|center(N)|wordwrap(2)` costs time quadratic in N and little memory.
  Fixed: the time limit watches Jinja's compiling too (timelimit.py).
* Each installation (deckgen upgraded, a package changed, deckgen's own code edited) named its entries anew,
  and none was ever removed: build/ gained a file per template for good at each. Fixed: an entry's file is
  named by the template and the escaping; its MAC still covers the installation.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest

from deckgen import fastpath, pipeline, templatecode
from mini_project import apkg, make_project

NOW = 1_700_000_000


def _source_path() -> str:
    return str(Path(templatecode.__file__).resolve().parents[1])


def test_a_build_at_a_path_that_is_not_utf8_uses_the_kept_code(tmp_path):
    folder = Path(os.fsdecode(bytes(tmp_path)) + os.fsdecode(b"/proj-\xff"))
    try:
        folder.mkdir()
    except OSError:
        pytest.skip("this file system refuses names that are not UTF-8")
    root = make_project(folder / "project")
    pipeline.check(root)
    pipeline.build(root, now=NOW, fresh=True)
    pipeline.build(root, now=NOW + 60)  # was: template error, "'utf-8' codec can't encode character '\udcff'"
    pipeline.build(root, now=NOW + 120)  # with the entries the build before made
    assert apkg(root).exists()
    assert list((root / "build").glob(f"{templatecode.ENTRY_PREFIX}*"))


def _check_slow_template(root: Path, line: str) -> tuple[subprocess.CompletedProcess, float]:
    template = root / "templates" / "fields" / "sources.html"
    template.write_text(template.read_text() + line)
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "deckgen", "--project", str(root), "check"],
                            capture_output=True, text=True, timeout=300,
                            env={**os.environ, "PYTHONPATH": _source_path(), "DECKGEN_TEMPLATE_SECONDS": "1"})
    return result, time.monotonic() - started


# About 25 s to compile on this machine, four times as long for each doubling of 800,000, when it is folded.
SLOW = '"ab "|center(800000)|wordwrap(2)'


def test_a_template_slow_to_compile_is_stopped(tmp_path):
    result, elapsed = _check_slow_template(make_project(tmp_path / "project"),
                                           f"[% if false %][[ {SLOW} ]][% endif %]\n")
    assert elapsed < 10, (elapsed, result.stdout + result.stderr)  # was 25 s: a limit of 1 s did not stop it


def test_a_slow_constant_that_is_rendered_is_stopped_as_a_template_error(tmp_path):
    result, elapsed = _check_slow_template(make_project(tmp_path / "project"), f"[[ {SLOW} ]]\n")
    assert elapsed < 10, (elapsed, result.stdout + result.stderr)
    assert result.returncode != 0
    assert "sources.html" in result.stdout + result.stderr and "more than 1 s" in result.stdout + result.stderr


def test_another_installation_replaces_the_entries_it_cannot_use(tmp_path):
    root = make_project(tmp_path / "project")
    pipeline.build(root, now=NOW)
    first = sorted((root / "build").glob(f"{templatecode.ENTRY_PREFIX}*"))
    this_installation = fastpath.installation()
    for upgrade in range(3):
        with mock.patch.object(fastpath, "installation", lambda: f"{this_installation} upgrade {upgrade}"):
            pipeline.build(root, now=NOW + 60 * (upgrade + 1), fresh=False)
            pipeline.build(root, now=NOW + 60 * (upgrade + 1) + 30)  # its own entries, made by the build before
    assert sorted((root / "build").glob(f"{templatecode.ENTRY_PREFIX}*")) == first  # was 4 sets of files
