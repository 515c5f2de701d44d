"""Session 7b red-team of f6204d7 and 079663f: templates read through trust.read_input (render.ProjectTemplates),
display_path naming a symlink by its own name, and the read ledger (trust.reads_recorded) checked by the
recorders (fastpath.read_as_found).

Each test documents an attack and that it is defended. Nine found holes on the code they were written
against (079663f), closed in the commit after it: a file or folder absent for a moment during a build (the
ledger records what a build looked for and did not find, and the card files it listed); a script or a remote
resource inside what a checker takes for a CSS or HTML comment (only Jinja's comments are left out of the
check, and the note types are checked as rendered, comments and all); a dangling link or a FIFO in place of
a template folder, and an unused FIFO under templates/ (refused by name); a file under a symlinked folder
named by where the link points (display_path names it by the way to it). Docstrings below that call
something a HOLE describe it as it was found.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from deckgen import pipeline, trust
from deckgen.diagnostics import DeckgenFailure
from mini_project import apkg, apply, make_project
from test_attack_session7 import shipped_models
from test_delta import IN_PLACE, NOW

REPO = Path(__file__).resolve().parent.parent


# --- helpers ---------------------------------------------------------------------------------------
def refusal(project: Path, **kwargs) -> list:
    """The diagnostics of a build that must be refused (nothing written), else fail."""
    before = sorted(p.name for p in (project / "build").iterdir()) if (project / "build").is_dir() else []
    with pytest.raises(DeckgenFailure) as failure:
        pipeline.build(project, now=NOW, fresh=True, **kwargs)
    after = sorted(p.name for p in (project / "build").iterdir()) if (project / "build").is_dir() else []
    assert after == before or not after, (before, after)
    return failure.value.diagnostics


def set_front(project: Path, extra: str) -> None:
    """Append `extra` to the qa front template."""
    front = project / "templates" / "qa" / "front.html"
    front.write_text(front.read_text(encoding="utf-8") + extra, encoding="utf-8")


def shipped_templates(project: Path) -> str:
    return json.dumps(shipped_models(apkg(project)))


CLI_PROBE = """\
import sys
from deckgen.cli import main
rc = main(sys.argv[1:])
print("PROBE", rc, "pipeline" if "deckgen.pipeline" in sys.modules else "no-pipeline",
      "genanki" if "genanki" in sys.modules else "no-genanki")
"""


def cli(cwd: Path, project: str, *args: str, env: dict) -> tuple[int, str, str]:
    """`deckgen --project PROJECT build` from `cwd`: (exit, 'pipeline'|'no-pipeline', 'genanki'|'no-genanki')."""
    environment = {k: v for k, v in os.environ.items() if k != "DECKGEN_DEBUG"}
    environment.update(env)
    environment["PYTHONPATH"] = str(REPO / "src") + os.pathsep + environment.get("PYTHONPATH", "")
    result = subprocess.run([sys.executable, "-c", CLI_PROBE, "--project", project, *args], cwd=cwd,
                            capture_output=True, text=True, timeout=120, env=environment)
    line = next((l for l in result.stdout.splitlines() if l.startswith("PROBE")), None)
    assert line is not None, result.stdout + result.stderr
    _, rc, pipeline_loaded, genanki_loaded = line.split()
    return int(rc), pipeline_loaded, genanki_loaded


def edit_one_answer(project: Path) -> None:
    apply(project, IN_PLACE[1])  # "answer: Soft and white." -> "answer: Soft, white."


# --- 1. templates through read_input ------------------------------------------------------------------
def test_a_template_symlinked_to_a_file_inside_the_project_still_builds(tmp_path):
    project = make_project(tmp_path / "project")
    shared = project / "shared"
    shared.mkdir()
    css = project / "templates" / "card.css"
    (shared / "card.css").write_text(css.read_text(encoding="utf-8") + "\n.inside-marker { color: red; }\n",
                                     encoding="utf-8")
    css.unlink()
    css.symlink_to(Path("..") / "shared" / "card.css")
    pipeline.build(project, now=NOW, fresh=True)
    assert "inside-marker" in shipped_templates(project)


def test_a_templates_folder_symlinked_inside_the_project_still_builds(tmp_path):
    project = make_project(tmp_path / "project")
    (project / "templates").rename(project / "shared-templates")
    (project / "templates").symlink_to("shared-templates")
    set_front(project, "<div class='inside-folder-marker'></div>\n")
    pipeline.build(project, now=NOW, fresh=True)
    assert "inside-folder-marker" in shipped_templates(project)


def test_a_templates_folder_symlinked_out_of_the_project_is_refused(tmp_path):
    project = make_project(tmp_path / "project")
    outside = tmp_path / "outside-templates"
    (project / "templates").rename(outside)
    (project / "templates").symlink_to(outside)
    diagnostics = refusal(project)
    assert any("symlink to outside the project" in d.message for d in diagnostics), diagnostics


def test_a_templates_folder_symlinked_out_of_the_project_is_named_relative_to_the_project(tmp_path):
    """README: diagnostics' paths are relative to the project (`--json`: "path relative to the project").
    display_path names a symlinked *file* by its own name, but a file under a symlinked *folder* resolves
    out of the project and falls back to str(path): the absolute path (or one relative to the cwd)."""
    project = make_project(tmp_path / "project")
    outside = tmp_path / "outside-templates"
    (project / "templates").rename(outside)
    (project / "templates").symlink_to(outside)
    diagnostics = refusal(project)
    paths = {d.location.path for d in diagnostics}
    assert all(not os.path.isabs(p) for p in paths), paths


def test_a_file_under_a_symlinked_folder_inside_the_project_is_named_by_its_own_name(tmp_path):
    """display_path's new rule, "a symlink is named by its own name, not by the file it points to", holds for a
    symlinked file but not for a file reached through a symlinked folder: templates/ -> shared-templates/
    names the author's templates/qa/front.html 'shared-templates/qa/front.html'."""
    project = make_project(tmp_path / "project")
    (project / "templates").rename(project / "shared-templates")
    (project / "templates").symlink_to("shared-templates")
    set_front(project, "[[ no_such_variable ]]\n")
    diagnostics = refusal(project)
    paths = {d.location.path for d in diagnostics}
    assert "templates/qa/front.html" in paths, paths


@pytest.mark.parametrize("name", ["card.css", "notetypes.yaml"])
def test_a_dangling_template_symlink_is_refused_by_name_not_defaulted(tmp_path, name):
    project = make_project(tmp_path / "project")
    path = project / "templates" / name
    path.unlink()
    path.symlink_to(tmp_path / f"nowhere-{name}")
    diagnostics = refusal(project)
    assert any(d.location.path == f"templates/{name}" for d in diagnostics), diagnostics


def test_a_fifo_overriding_a_default_partial_that_a_default_template_includes_is_refused(tmp_path):
    """qa/back.html (the project's copy) includes partials/back_matter.html; with the project's copy of the
    partial removed and a FIFO in its place, the default partial must not be used, nor the FIFO block."""
    project = make_project(tmp_path / "project")
    partial = project / "templates" / "partials" / "back_matter.html"
    partial.unlink()
    os.mkfifo(partial)
    diagnostics = refusal(project)
    assert any("partials/back_matter.html" in d.location.path or "partials/back_matter.html" in d.message
               for d in diagnostics), diagnostics


def test_a_folder_in_place_of_an_included_partial_is_refused(tmp_path):
    project = make_project(tmp_path / "project")
    partial = project / "templates" / "partials" / "back_matter.html"
    partial.unlink()
    partial.mkdir()
    diagnostics = refusal(project)
    assert any("partials/back_matter.html" in (d.location.path + d.message) for d in diagnostics), diagnostics


@pytest.mark.parametrize("name", ["../cards/igneous.yaml", "/etc/hostname", "partials/../../cards/deck.yaml",
                                  "..\\cards\\deck.yaml", "./../sources/rock-guide.md"])
def test_an_include_that_climbs_out_of_templates_is_not_found(tmp_path, name):
    project = make_project(tmp_path / "project")
    set_front(project, f'[% include "{name}" %]\n')
    diagnostics = refusal(project)
    assert any("not found" in d.message for d in diagnostics), diagnostics


def test_an_import_of_a_symlink_out_of_the_project_is_refused(tmp_path):
    project = make_project(tmp_path / "project")
    outside = tmp_path / "macros.html"
    outside.write_text("[% macro m() %]outside-macro[% endmacro %]\n", encoding="utf-8")
    (project / "templates" / "partials" / "m.html").symlink_to(outside)
    set_front(project, '[% from "partials/m.html" import m %][[ m() ]]\n')
    diagnostics = refusal(project)
    assert any("symlink to outside" in d.message for d in diagnostics), diagnostics


# --- the "no scripts" check of note-type templates: comments the browser does not see as comments --------
# trust.template_problems checks each template's text, and each note type as rendered, after
# _without_comments blanks /*…*/, <!--…--> and [#…#] everywhere. In an HTML card template, /*…*/ is text,
# not a comment; "<!-->" is a whole (empty) comment to a browser; "[#…#]" in rendered output is text.
@pytest.mark.parametrize("hidden", [
    "/* <script>alert('css-comment')</script> */",
    "<!--><script>alert('empty-comment')</script>-->",
    "<!-- --!><script>alert('bang-close')</script> -->",
    "[% raw %][#[% endraw %]<script>alert('jinja-comment')</script>[% raw %]#][% endraw %]",
    "/* <img src=x onerror=alert('handler')> */",
])
def test_a_script_hidden_in_what_a_checker_would_take_for_a_comment_is_refused(tmp_path, hidden):
    """README trust table: `<script>` and on…= handlers refused in the card templates. The check blanks
    "comments" by one regex for every file type; each of these strings runs a script in Anki's webview."""
    project = make_project(tmp_path / "project")
    set_front(project, hidden + "\n")
    try:
        pipeline.build(project, now=NOW, fresh=True)
    except DeckgenFailure as failure:
        assert any("script" in d.message or "handler" in d.message for d in failure.diagnostics)
        return
    shipped = shipped_templates(project)
    assert "<script>" not in shipped and "onerror" not in shipped, "a card template ships a script"


# --- 3. the ledger's names against fastpath's -----------------------------------------------------------
def test_ledger_names_are_the_names_a_snapshot_gives(tmp_path, monkeypatch):
    """Every name a build's ledger holds is one fastpath.snapshot lists, with the same digest,
    for a relative root, '.', a trailing slash, a root through a symlink and through '..'."""
    from deckgen import fastpath

    project = make_project(tmp_path / "project")
    (tmp_path / "link").symlink_to(project)
    (tmp_path / "elsewhere").mkdir()
    for cwd, root in [(tmp_path, "project"), (project, "."), (tmp_path, "project/"), (tmp_path, "link"),
                      (tmp_path / "elsewhere", "../link"), (tmp_path / "elsewhere", "../elsewhere/../project")]:
        monkeypatch.chdir(cwd)
        with trust.reads_recorded() as read:
            pipeline.build(Path(root), now=NOW, fresh=True)
        found = fastpath.snapshot(Path(root)).entries
        assert read and set(read) <= set(found), (root, set(read) - set(found))
        assert fastpath.read_as_found(read, found), root
        assert any(name.startswith("templates/") for name in read), sorted(read)


@pytest.mark.parametrize("how", ["relative", "symlink", "dot"])
def test_cli_with_a_relative_or_symlinked_project_still_hits_the_stamp_and_the_delta_rebuild(tmp_path, how):
    """The ledger must not make every build a full one: an unchanged build answers from the stamp (no
    pipeline, no genanki); a one-answer edit is a delta rebuild (no pipeline); both with --project relative,
    through a symlinked folder, and '.'."""
    project = make_project(tmp_path / "real" / "project")
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    if how == "relative":
        (tmp_path / "elsewhere").mkdir()
        cwd, given = tmp_path / "elsewhere", "../real/project/"
    elif how == "symlink":
        (tmp_path / "link").symlink_to(project)
        cwd, given = tmp_path, "link"
    else:
        cwd, given = project, "."
    assert cli(cwd, given, "build", env=env)[:2] == (0, "pipeline")
    assert (project / "build" / ".deckgen-delta").exists() and (project / "build" / ".deckgen-stamp.json").exists()
    assert cli(cwd, given, "build", env=env) == (0, "no-pipeline", "no-genanki"), "the no-change stamp"
    database = project / "build" / ".deckgen-delta.anki2"
    inode = database.stat().st_ino
    edit_one_answer(project)
    assert cli(cwd, given, "build", env=env)[:2] == (0, "no-pipeline"), "a delta rebuild"
    assert database.stat().st_ino == inode, "the delta rebuild updates its database in place"
    assert cli(cwd, given, "build", env=env) == (0, "no-pipeline", "no-genanki"), "the stamp again"


def test_a_template_included_only_by_another_template_is_in_the_ledger(tmp_path):
    """A partial read by Jinja through an include is read through read_input: it is in the ledger."""
    project = make_project(tmp_path / "project")
    with trust.reads_recorded() as read:
        pipeline.build(project, now=NOW, fresh=True)
    assert "templates/partials/back_matter.html" in read, sorted(read)
    assert "templates/notetypes.yaml" in read and "templates/card.css" in read


def test_an_unused_fifo_under_templates_is_refused(tmp_path):
    """fastpath's comment: a FIFO, a device, a folder — "no input (a real build says so)". A FIFO under
    templates/ that no template names is not refused by a build (template_problems passes over what is not a
    regular file; ProjectTemplates never looks for it), yet fastpath cannot digest it: no stamp, no delta state,
    every build a full one, and nothing says why. Either the build should refuse it by name, or it should not
    stop the build from being recorded."""
    project = make_project(tmp_path / "project")
    os.mkfifo(project / "templates" / "unused.pipe")
    try:
        pipeline.build(project, now=NOW, fresh=True)
    except DeckgenFailure as failure:
        assert any("unused.pipe" in d.location.path for d in failure.diagnostics), failure.diagnostics
        return
    assert (project / "build" / ".deckgen-delta").exists(), \
        "a build that succeeded with an unused FIFO under templates/ left no state: every next build is full"


# --- 3b. what the ledger cannot see: a file looked for and found absent -----------------------------------
def _absent_while_building(monkeypatch, path: Path, parked: Path, undone_before) -> None:
    """`path` moved away just after the build's snapshot and moved back (the same file, the same bytes) just
    before `undone_before` (module, attribute) runs: the build looked for it while it was not there. (The
    snapshot is fastpath.snapshot, which the no-change probe and the builds take theirs through.)"""
    from deckgen import fastpath

    real, done = fastpath.snapshot, []

    def snapshot(*args):
        taken = real(*args)
        if not done:
            done.append(True)
            os.rename(path, parked)
        return taken

    monkeypatch.setattr(fastpath, "snapshot", snapshot)
    module, attribute = undone_before
    step = getattr(module, attribute)

    def undo_then(*args, **kwargs):
        if parked.exists():
            os.rename(parked, path)
        return step(*args, **kwargs)

    monkeypatch.setattr(module, attribute, undo_then)


def test_a_template_override_absent_for_a_moment_during_a_build_is_not_vouched_for(tmp_path, monkeypatch):
    """The ledger holds the bytes of every file read_input read; a template ProjectTemplates looked for and did
    not find (os.path.lexists false: the default of that name is used) leaves no trace in it. templates/card.css
    (the project's own, differing from the default) moved away just after the build's snapshot and back before
    it ends (an editor that saves by delete-then-write, a `git checkout`/`git stash` round trip): the build
    ships the *default* stylesheet, the snapshots before and after match, the ledger agrees — and the state,
    memo and stamp vouch that this deck was built from the card.css on disk. The next card edit is a delta
    rebuild (note types from the state) and keeps shipping the default stylesheet; `deckgen build` with nothing
    changed answers from the stamp."""
    from deckgen import cli, delta, delta_state, fastpath, userkey

    project = make_project(tmp_path / "project")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    css = project / "templates" / "card.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.project-override { color: red; }\n", encoding="utf-8")
    assert cli.main(["--project", str(project), "build"]) == 0
    assert "project-override" in shipped_templates(project)
    apply(project, IN_PLACE[1])  # a card edit, so that the next build is a real one
    _absent_while_building(monkeypatch, css, tmp_path / "parked.css", (pipeline, "_stage_lock"))
    monkeypatch.setattr(delta, "rebuild", lambda *args: None)  # this one a full build (say, a template edit)
    assert cli.main(["--project", str(project), "build"]) == 0
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert css.exists() and "project-override" in css.read_text(encoding="utf-8")
    shipped_default = "project-override" not in shipped_templates(project)
    assert shipped_default, "the build looked for card.css while it was away (else this test shows nothing)"
    assert delta_state.read(project, userkey.build_key(project)) is None, \
        "a state vouches for a build that used the default stylesheet while templates/card.css overrides it"
    assert fastpath.probe(project, drop_retired=False)[0] is None, \
        "the no-change stamp vouches for a deck built with the default stylesheet"


def test_a_card_file_absent_for_a_moment_during_a_build_is_not_vouched_for(tmp_path, monkeypatch):
    """The same for a card file: cards/other.yaml away while the build globbed cards/ (its cards retire in the
    deck it ships) and back before the build ends. Nothing read it, so the ledger is silent; the snapshots
    match: the stamp says the deck, with other.yaml's cards retired, is what the files on disk build."""
    from deckgen import cli, delta, fastpath

    project = make_project(tmp_path / "project")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert cli.main(["--project", str(project), "build"]) == 0
    apply(project, IN_PLACE[2])  # an edit to cards/igneous.yaml
    other = project / "cards" / "other.yaml"
    _absent_while_building(monkeypatch, other, tmp_path / "parked.yaml", (pipeline, "_stage_lock"))
    monkeypatch.setattr(delta, "rebuild", lambda *args: None)
    assert cli.main(["--project", str(project), "build"]) == 0
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    lock = json.loads((project / "deck.lock").read_text(encoding="utf-8"))
    assert lock.get("retired"), "the build ran while cards/other.yaml was away (else this test shows nothing)"
    assert fastpath.probe(project, drop_retired=False)[0] is None, \
        "the no-change stamp vouches for a deck built without cards/other.yaml, which is on disk"


def test_a_template_override_absent_for_a_moment_does_not_reach_the_next_full_build(tmp_path, monkeypatch):
    """Defended: whatever the memo keeps of a build that ran while card.css was away, the next full build (not
    --fresh, the delta state removed) renders the stylesheet on disk."""
    from deckgen import delta_state

    project = make_project(tmp_path / "project")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    css = project / "templates" / "card.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.project-override { color: red; }\n", encoding="utf-8")
    pipeline.build(project, now=NOW)
    apply(project, IN_PLACE[1])
    _absent_while_building(monkeypatch, css, tmp_path / "parked.css", (pipeline, "_stage_lock"))
    pipeline.build(project, now=NOW + 50)
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert "project-override" not in shipped_templates(project), "the build ran while card.css was away"
    (project / delta_state.PATH).unlink(missing_ok=True)  # no delta rebuild: a full build, as after any other change
    apply(project, IN_PLACE[5])
    pipeline.build(project, now=NOW + 100)
    assert "project-override" in shipped_templates(project), \
        "a full build ships the default stylesheet, remembered by the memo, while templates/card.css overrides it"


def test_a_sources_field_override_absent_for_a_moment_is_not_remembered_by_the_memo(tmp_path, monkeypatch):
    """The memo keeps each note's rendered fields under the digest of the context (sources and templates on
    disk), taken when it opens. templates/fields/sources.html (the project's own: its figures get the class
    "override") moved away just after the memo opened and back before the build ends: the notes are rendered
    with the *default* sources.html, and the memo, saved under the context that holds the project's override,
    keeps them (the ledger has no entry: nothing read the file). The next full build (no delta state, not
    --fresh) takes the notes from the memo and ships the default's Sources fields."""
    from deckgen import delta_state, memo as memo_module
    from test_attack_session7 import shipped_fields

    project = make_project(tmp_path / "project")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    sources = project / "templates" / "fields" / "sources.html"
    sources.write_text(sources.read_text(encoding="utf-8").replace('<figure class="citation">',
                                                                   '<figure class="citation override">'),
                       encoding="utf-8")
    pipeline.build(project, now=NOW)

    def sources_fields():
        return [f[-2] for f in shipped_fields(apkg(project)).values() if "<blockquote" in f[-2]]

    assert sources_fields() and all("citation override" in f for f in sources_fields())
    apply(project, IN_PLACE[1])
    parked = tmp_path / "parked.html"
    opened = memo_module.Memo.open.__func__

    def open_then_move_away(cls, root, **kwargs):
        memo = opened(cls, root, **kwargs)
        os.rename(sources, parked)
        return memo

    monkeypatch.setattr(memo_module.Memo, "open", classmethod(open_then_move_away))
    stage = pipeline._stage_lock

    def move_back_then_stage(*args, **kwargs):
        os.rename(parked, sources)
        return stage(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_stage_lock", move_back_then_stage)
    pipeline.build(project, now=NOW + 50)
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    chalk = shipped_fields(apkg(project))["chalk-kind"][-2]  # the card edited: rendered by this build
    assert "<blockquote" in chalk and "citation override" not in chalk, "the build ran while sources.html was away"
    (project / delta_state.PATH).unlink(missing_ok=True)  # a full build
    apply(project, IN_PLACE[5])
    pipeline.build(project, now=NOW + 100)
    assert "citation override" in shipped_fields(apkg(project))["chalk-kind"][-2], \
        "a full build ships a Sources field rendered with the default template, remembered by the memo"


# --- 1b. what stands where a template's *folder* is looked for ------------------------------------------
@pytest.mark.parametrize("what", ["dangling symlink", "fifo"])
def test_something_in_place_of_a_template_folder_is_refused(tmp_path, what):
    """ProjectTemplates passes a name over to the default whenever os.path.lexists(path) is false, and it is
    false not only when nothing is there: templates/partials as a dangling symlink (a shared folder not checked
    out) or a FIFO makes lexists('templates/partials/back_matter.html') false (ENOENT through the link,
    ENOTDIR), and the build silently uses the default partial, where a dangling symlink or a FIFO at
    templates/partials/back_matter.html itself is refused by name. (As root, a folder without search
    permission could not be tried here; for any other user, EACCES makes lexists false the same way.)"""
    project = make_project(tmp_path / "project")
    partials = project / "templates" / "partials"
    for child in partials.iterdir():
        child.unlink()
    partials.rmdir()
    if what == "fifo":
        os.mkfifo(partials)
    else:
        partials.symlink_to(tmp_path / "shared-partials-not-checked-out")
    try:
        pipeline.build(project, now=NOW, fresh=True)
    except DeckgenFailure as failure:
        assert any("templates/partials" in d.location.path or "templates/partials:" in d.message
                   for d in failure.diagnostics), failure.diagnostics
        return
    pytest.fail(f"a build with a {what} at templates/partials used the default partials/back_matter.html")


# --- 3c. one project spelt several ways, one stamp --------------------------------------------------------
def test_the_stamp_and_delta_state_hold_across_spellings_of_the_project(tmp_path):
    project = make_project(tmp_path / "real" / "project")
    (tmp_path / "link").symlink_to(project)
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    assert cli(tmp_path, "link", "build", env=env)[:2] == (0, "pipeline")
    assert cli(project, ".", "build", env=env) == (0, "no-pipeline", "no-genanki")
    assert cli(tmp_path, str(project) + "/", "build", env=env) == (0, "no-pipeline", "no-genanki")
    apply(project, IN_PLACE[1])
    assert cli(tmp_path / "real", "../link/../project", "build", env=env)[:2] == (0, "no-pipeline")
    assert cli(tmp_path, "link", "build", env=env) == (0, "no-pipeline", "no-genanki")


def test_a_remote_resource_in_the_stylesheet_between_cdo_and_cdc_is_refused(tmp_path):
    """In CSS, "<!--" and "-->" are CDO/CDC tokens, ignored: what stands between them is live CSS, not a
    comment. _without_comments blanks <!--…--> in card.css as in HTML, so a url() to another host (a tracking
    pixel: "no network") passes both the file check and the check of the note type as rendered."""
    project = make_project(tmp_path / "project")
    css = project / "templates" / "card.css"
    css.write_text(css.read_text(encoding="utf-8")
                   + "\n<!-- .card { background: url(//tracker.example/pixel.png); } -->\n", encoding="utf-8")
    try:
        pipeline.build(project, now=NOW, fresh=True)
    except DeckgenFailure as failure:
        assert any("remote" in d.message for d in failure.diagnostics), failure.diagnostics
        return
    assert "tracker.example" not in shipped_templates(project), "the stylesheet ships a remote url()"


def test_a_template_override_that_appears_only_while_a_build_runs_records_nothing(tmp_path, monkeypatch):
    """The converse of the absence holes, defended: templates/partials/extra.html made after the snapshot, read
    by the build, deleted before it ends — the ledger names a file the inputs now lack: nothing recorded."""
    from deckgen import delta_state, fastpath, userkey

    project = make_project(tmp_path / "project")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    set_front(project, '[% include ["partials/extra.html", "partials/back_matter.html"] ignore missing %]\n')
    pipeline.build(project, now=NOW)
    apply(project, IN_PLACE[1])
    extra = project / "templates" / "partials" / "extra.html"
    real = fastpath.snapshot

    def snapshot(*args):
        taken = real(*args)
        if not extra.exists() and not hasattr(snapshot, "done"):
            snapshot.done = True
            extra.write_text("<div class='appeared'></div>\n", encoding="utf-8")
        return taken

    monkeypatch.setattr(fastpath, "snapshot", snapshot)
    stage = pipeline._stage_lock

    def remove_then_stage(*args, **kwargs):
        extra.unlink(missing_ok=True)
        return stage(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_stage_lock", remove_then_stage)
    pipeline.build(project, now=NOW + 50)
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert "appeared" in shipped_templates(project)
    assert delta_state.read(project, userkey.build_key(project)) is None
