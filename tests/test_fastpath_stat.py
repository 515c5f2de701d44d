"""The stamp's per-file digests: a no-change probe reads no file it has read before, and its digest is the
one that reading every file gives; what could hide a change from a file's stat (an edit that keeps the size
and puts the modification time back, a stat taken within 2 s of a change, a stamp edited in build/) means
the file is read.

Files of a project made by a test are all "racy" for 2 s after they were written. Where a test needs them
settled sooner it moves fastpath's clock ahead (`_settle`); test_an_edit_that_keeps_size_and_mtime_is_rebuilt
waits the 2 s instead and runs only the CLI.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from deckgen import fastpath, userkey
from helpers import run_cli
from mini_project import apkg, edit, make_project

EDITED = "cards/other.yaml"
SAME_LENGTH_EDIT = ("answer: Soft and white.", "answer: White and soft.")


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """The mini project after a real build (so with a stamp); this process knows nothing of its files yet."""
    monkeypatch.setattr(fastpath, "_KNOWN", {})
    project = make_project(tmp_path / "project")
    _build(project)
    return project


def _build(project: Path, *args: str) -> dict:
    result = run_cli(project, "build", "--json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _written(path: Path) -> tuple[int, int]:
    """Which file is at `path`: a real build puts a new one there (a new inode), a skipped build does not."""
    info = path.stat()
    return info.st_ino, info.st_mtime_ns


def _stamp(project: Path) -> dict:
    return json.loads((project / fastpath.STAMP).read_text(encoding="utf-8"))


def _write_stamp(project: Path, stamp: dict, *, sign: bool) -> None:
    """Write `stamp` into build/: with a new MAC of this user's key (`sign`), or with the MAC it has."""
    if sign:
        body = {name: value for name, value in stamp.items() if name != "mac"}
        stamp = {**body, "mac": fastpath._mac(userkey.build_key(project), body)}
    (project / fastpath.STAMP).write_text(json.dumps(stamp), encoding="utf-8")


def _new_process(monkeypatch) -> None:
    """What this process knows of the files forgotten: the next digest starts from the stamp alone."""
    monkeypatch.setattr(fastpath, "_KNOWN", {})


def _settle(project: Path, monkeypatch) -> None:
    """fastpath's clock 3 × RACY_NS ahead, and a no-change probe: it reads the files the build's stamp calls
    racy, finds them settled and writes the stamp again, now vouching for every file. Every input is touched
    first, so that the stamp calls each racy even where the build took more than RACY_NS (a busy machine): the
    probe would otherwise find nothing to read, and keep the stamp's own time."""
    for folder in fastpath.INPUT_DIRS:
        for path in (project / folder).rglob("*"):
            if path.is_file():
                os.utime(path)
    now = time.time_ns() + 3 * fastpath.RACY_NS
    monkeypatch.setattr(fastpath, "_wall_ns", lambda: now)
    summary, _ = fastpath.probe(project, drop_retired=False)
    assert summary is not None, "nothing changed since the build"
    assert _stamp(project)["taken_at_ns"] == now, "the probe recorded the files it read, settled"
    _new_process(monkeypatch)


def _reads(project: Path, monkeypatch) -> list[str]:
    """The project's files read from now on (names in the project), counted at the one reading function."""
    reads: list[str] = []
    real = fastpath._hash_file

    def counting(path):
        if Path(path).is_relative_to(project):
            reads.append(Path(path).relative_to(project).as_posix())
        return real(path)

    monkeypatch.setattr(fastpath, "_hash_file", counting)
    return reads


def _digests(project: Path) -> tuple:
    """Every digest fastpath makes of the project's files: the snapshot's entries, the memo's context."""
    snapshot = fastpath.snapshot(project)
    return (snapshot and snapshot.entries,
            fastpath.digest_of(project, ("sources", "templates"), ("cards/deck.yaml", "cards/synonyms.yaml")))


def _without_stamp(project: Path, monkeypatch) -> tuple:
    """The digests made by reading every file: the stamp moved aside meanwhile, and nothing known."""
    stamp = project / fastpath.STAMP
    aside = stamp.rename(stamp.with_name("aside.json"))
    _new_process(monkeypatch)
    try:
        return _digests(project)
    finally:
        aside.rename(stamp)
        _new_process(monkeypatch)


def test_digests_from_the_stamp_are_the_digests_of_every_file_read(project, monkeypatch):
    _settle(project, monkeypatch)
    reads = _reads(project, monkeypatch)
    full = _without_stamp(project, monkeypatch)
    assert {"cards/other.yaml", "sources/rock-guide.md"} <= set(reads)
    assert None not in full

    reads.clear()
    cached = _digests(project)
    assert reads == [], "every file came from the stamp"
    assert cached == full

    # After an edit, the edited file alone is read, and the digests are again those of reading everything.
    edit(project / EDITED, *SAME_LENGTH_EDIT)
    _new_process(monkeypatch)
    reads.clear()
    edited = _digests(project)
    assert reads == [EDITED]
    assert edited == _without_stamp(project, monkeypatch)
    assert edited[0] != full[0] and edited[1:] == full[1:]


def test_a_no_change_probe_reads_no_file_it_read_before(project, monkeypatch):
    _settle(project, monkeypatch)
    reads = _reads(project, monkeypatch)
    summary, inputs = fastpath.probe(project, drop_retired=False)
    assert summary is not None and inputs is not None
    assert reads == [], "nothing changed: no file is read, deck.lock and the output neither"

    _new_process(monkeypatch)
    edit(project / EDITED, *SAME_LENGTH_EDIT)
    summary, _ = fastpath.probe(project, drop_retired=False)
    assert summary is None, "the edit is found"
    assert reads == [EDITED], "a one-card edit costs the reading of its file"


def test_an_edit_that_keeps_size_and_mtime_is_rebuilt(project):
    """Only the CLI, on the real clock: the files settle, a no-change build records that, then an edit keeps
    the size and os.utime puts the modification time back. The change time still differs: a real build."""
    time.sleep(fastpath.RACY_NS / 1e9 + 0.2)
    _build(project)  # nothing changed: reads what was racy, and writes the stamp again
    stamp = _stamp(project)
    path = project / EDITED
    before = path.stat()
    recorded = stamp["files"][EDITED]
    assert recorded[:5] == list(fastpath._stat_of(before))
    assert stamp["taken_at_ns"] - max(recorded[1], recorded[2]) >= fastpath.RACY_NS, \
        "the premise: the stamp vouches for the file, so only its stat can tell of the edit"

    edit(path, *SAME_LENGTH_EDIT)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino, after.st_dev) == \
        (before.st_size, before.st_mtime_ns, before.st_ino, before.st_dev)
    assert after.st_ctime_ns != before.st_ctime_ns

    output = _written(apkg(project))
    summary = _build(project)
    assert _written(apkg(project)) != output, "a real build, not 'nothing changed'"
    assert [card["id"] for card in summary["changed"]] == ["chalk-kind"]


def test_a_file_changed_within_2_s_of_the_stamp_is_read_even_when_its_stat_matches(project, monkeypatch):
    """The stamp, signed with this user's key, records the file's present stat with a wrong digest: the
    digest shows through only when the file last changed at least RACY_NS before the stats were taken."""
    full = fastpath.snapshot(project).entries
    path = project / EDITED
    stamp = _stamp(project)
    wrong = stamp["files"]["cards/igneous.yaml"][5]

    def snapshot_with(taken_at: int) -> dict[str, str]:
        info = path.stat()
        stamp["files"][EDITED] = [*fastpath._stat_of(info), wrong]
        stamp["taken_at_ns"] = taken_at
        _write_stamp(project, stamp, sign=True)
        _new_process(monkeypatch)
        return fastpath.snapshot(project).entries

    info = path.stat()
    changed = max(info.st_mtime_ns, info.st_ctime_ns)
    assert snapshot_with(changed + fastpath.RACY_NS - 1) == full, "changed within 2 s: read"
    assert snapshot_with(changed + fastpath.RACY_NS) != full, "the control: settled, the recorded digest is used"

    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns - 3600 * 10**9))  # an old mtime, a new ctime
    info = path.stat()
    assert snapshot_with(info.st_ctime_ns + fastpath.RACY_NS - 1) == full, "a recent change time alone: read"
    assert snapshot_with(info.st_ctime_ns + fastpath.RACY_NS) != full

    soon = time.time_ns() + 5 * fastpath.RACY_NS
    os.utime(path, ns=(info.st_atime_ns, soon))  # a modification time set ahead, the change time now
    info = path.stat()
    assert snapshot_with(soon + 1) == full, "a modification time within 2 s alone: read"
    assert snapshot_with(soon + fastpath.RACY_NS) != full


def test_a_stamp_edited_in_build_cannot_hide_a_changed_file(project, monkeypatch):
    """A card edited, and the stamp's entry for it given the file's new stat with its old digest: unsigned,
    the stamp is not used and `deckgen build` rebuilds. The control: signed with this user's key, the same
    stamp would have hidden the edit."""
    _settle(project, monkeypatch)  # the stamp's time is ahead: any stat it records counts as settled
    path = project / EDITED
    forged = _stamp(project)
    edit(path, *SAME_LENGTH_EDIT)
    forged["files"][EDITED][:5] = fastpath._stat_of(path.stat())
    output = _written(apkg(project))

    _write_stamp(project, forged, sign=True)
    assert _build(project)["changed"] == [] and _written(apkg(project)) == output, \
        "the control: a stamp this user's key signed is believed"

    _write_stamp(project, forged, sign=False)  # the MAC of the stamp before the edit
    summary = _build(project)
    assert _written(apkg(project)) != output and [card["id"] for card in summary["changed"]] == ["chalk-kind"]

    stamp = _stamp(project)
    damaged = {**stamp, "files": {**stamp["files"], EDITED: stamp["files"][EDITED][:5]}}
    _write_stamp(project, damaged, sign=True)
    _new_process(monkeypatch)
    reads = _reads(project, monkeypatch)
    assert fastpath.snapshot(project) is not None and EDITED in reads, "a damaged entry: no stamp"


def test_deckgens_own_files_are_digested_once_per_process(project, monkeypatch):
    fastpath.installation()
    package = Path(fastpath.__file__).resolve().parent
    reads = _reads(package, monkeypatch)
    for _ in range(3):
        fastpath.snapshot(project)
        fastpath.digest_of(project, ())
    assert reads == [], "deckgen's code and templates are read once, not once per digest"


# --- deckgen's own files: by their stats once settled -------------------------------------------------
@pytest.fixture
def own_package(tmp_path, monkeypatch) -> Path:
    """A copy of deckgen's package that fastpath takes for its own (its files just written: racy)."""
    import shutil

    package = tmp_path / "deckgen"
    shutil.copytree(Path(fastpath.__file__).resolve().parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(fastpath, "__file__", str(package / "fastpath.py"))
    return package


def _later(monkeypatch, seconds: float) -> None:
    now = time.time_ns() + int(seconds * 1e9)
    monkeypatch.setattr(fastpath.time, "time_ns", lambda: now)


def test_deckgens_own_files_are_read_only_while_their_stats_are_racy(own_package, monkeypatch):
    reads = _reads(own_package, monkeypatch)
    fastpath.installation.__wrapped__()
    assert "fastpath.py" in reads and "default_templates/card.css" in reads, "just written: read"
    reads.clear()
    _later(monkeypatch, 3)
    fastpath.installation.__wrapped__()
    assert reads == [], "settled: taken by their stats"


def test_a_file_of_deckgens_own_rewritten_with_its_size_and_time_kept_is_another_installation(own_package,
                                                                                              monkeypatch):
    """The change time, which a write sets and no tool sets back, tells it: Python's own check of cached bytecode
    (size and modification time) would run the old code's .pyc here."""
    _later(monkeypatch, 3)
    before = fastpath.installation.__wrapped__()
    module = own_package / "lint.py"
    info = module.stat()
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace("MAX_MEDIAN_ANSWER_WORDS = ", "MAX_MEDIAN_ANSWER_WORDS= "), encoding="utf-8")
    with module.open("a", encoding="utf-8") as padded:
        padded.write(" ")  # the same size again
    os.utime(module, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert module.stat().st_size == info.st_size and module.stat().st_mtime_ns == info.st_mtime_ns
    _later(monkeypatch, 6)
    assert fastpath.installation.__wrapped__() != before
