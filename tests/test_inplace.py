"""A rebuild's package patched in place (src/deckgen/inplace.py): the same bytes as a publish of the database,
only where the package is the one recorded and laid out as publish writes it; otherwise nothing written."""

from __future__ import annotations

import os
import random
import zipfile
from pathlib import Path

import pytest

from deckgen import delta, delta_state, fastpath, inplace, pipeline
from deckgen.package import publish
from helpers import import_apkg, open_collection
from mini_project import apkg, apply, make_project, rows

NOW = 1_700_000_000
PAGE = 4096


def recorded(package: Path) -> list[int]:
    return list(delta_state.stat_of(package))


def database(path: Path, size: int, seed: int = 1) -> Path:
    path.write_bytes(random.Random(seed).randbytes(size))
    return path


def overwrite(path: Path, changes: dict[int, bytes]) -> None:
    with open(path, "r+b") as handle:
        for offset, data in changes.items():
            handle.seek(offset)
            handle.write(data)


def patched(*arguments) -> inplace.Frame:
    """inplace.patch's result, which must be a patch."""
    result = inplace.patch(*arguments)
    assert result is not None
    return result


@pytest.fixture
def stored(tmp_path) -> tuple[Path, Path]:
    """A database of a little over 2 MiB (three blocks, the last one partial), and its stored package."""
    db = database(tmp_path / "collection.anki2", 2 * (1 << 20) + 5 * PAGE + 123)
    package = tmp_path / "deck.apkg"
    publish(db, package, 1, stored=True)
    return db, package


@pytest.mark.parametrize("changes", [
    {0: b"\x00" * 10},  # the database's first page
    {PAGE * 3 + 17: b"changed", (1 << 20) + 1: b"x", (1 << 20) + PAGE * 40: b"yy"},  # pages in two blocks
    {2 * (1 << 20) + 5 * PAGE + 120: b"end"},  # the last, partial page
    {PAGE * 7 - 2: b"over a page's end"},  # one change across two pages
    {},  # nothing changed: nothing written, the package as it was
])
def test_a_patched_package_is_what_publish_writes(stored, tmp_path, changes):
    db, package = stored
    overwrite(db, changes)
    before = os.stat(package)
    patched(db, package, recorded(package))
    assert os.stat(package).st_ino == before.st_ino, "patched in place, not replaced"
    publish(db, tmp_path / "fresh.apkg", 1, stored=True)
    assert package.read_bytes() == (tmp_path / "fresh.apkg").read_bytes()
    with zipfile.ZipFile(package) as archive:
        assert archive.testzip() is None  # every entry's CRC-32 checks
        assert archive.read(inplace.DATABASE_ENTRY) == db.read_bytes()


def test_each_header_s_crc_is_written_where_it_is_not_the_new_one(stored, tmp_path):
    """The local header's CRC-32 and the central directory's are each set to the new one: here the central one alone
    is stale (the database unchanged), and the package ends as publish writes it."""
    db, package = stored
    with zipfile.ZipFile(package) as archive:
        crc = archive.getinfo(inplace.DATABASE_ENTRY).CRC.to_bytes(4, "little")
    data = package.read_bytes()
    central = data.rindex(crc)  # the central directory's copy, after the data
    assert central > len(data) - 200
    package.write_bytes(data[:central] + bytes(4) + data[central + 4:])
    patched(db, package, recorded(package))
    publish(db, tmp_path / "fresh.apkg", 1, stored=True)
    assert package.read_bytes() == (tmp_path / "fresh.apkg").read_bytes()


def test_only_the_pages_that_differ_are_written(stored, monkeypatch):
    db, package = stored
    overwrite(db, {PAGE * 3 + 17: b"changed", (1 << 20) + PAGE * 40: b"yy"})
    written: list[tuple[int, int]] = []
    pwrite = os.pwrite
    monkeypatch.setattr(os, "pwrite", lambda fd, data, offset: written.append((offset, len(data))) or pwrite(fd, data, offset))
    patched(db, package, recorded(package))
    pages = sorted(size for _, size in written if size == PAGE)
    crcs = [size for _, size in written if size == 4]
    assert pages == [PAGE, PAGE] and crcs == [4, 4], written  # two pages, and the CRC in both headers


def test_given_the_pages_that_changed_only_those_are_read_and_the_crc_is_made_from_them(stored, tmp_path, monkeypatch):
    """With a list of pages (the rebuild's write-ahead log) the other pages are not read, and with the frame an
    earlier patch found for this size the database is not read whole for its CRC-32 either."""
    db, package = stored
    frame = patched(db, package, recorded(package))  # nothing changed yet: the frame, made by publish's code
    assert frame.size == db.stat().st_size
    overwrite(db, {PAGE * 3 + 17: b"changed", (1 << 20) + PAGE * 40: b"yy", 2 * (1 << 20) + 5 * PAGE + 120: b"end"})
    pages = inplace.Pages(PAGE, frozenset({1, 4, 5, 256 + 41, 512 + 6}))  # page 5: listed, not changed
    monkeypatch.setattr(inplace, "_published_around", lambda *args: pytest.fail("the database read whole"))
    read: list[int] = []
    pread = os.pread
    monkeypatch.setattr(os, "pread", lambda fd, size, offset: read.append(size) or pread(fd, size, offset))
    assert patched(db, package, recorded(package), pages, frame) == frame
    # each listed page read from both files (the last one, partial, is 123 bytes long in the package), and the frame
    assert max(read) <= PAGE and len([size for size in read if size in (PAGE, 123)]) == 2 * len(pages.numbers)
    monkeypatch.undo()
    publish(db, tmp_path / "fresh.apkg", 1, stored=True)
    assert package.read_bytes() == (tmp_path / "fresh.apkg").read_bytes()
    with zipfile.ZipFile(package) as archive:
        assert archive.testzip() is None


def test_a_frame_kept_for_another_size_is_made_again(stored, tmp_path):
    db, package = stored
    frame = patched(db, package, recorded(package))
    other = frame._replace(size=frame.size + PAGE)
    overwrite(db, {PAGE: b"x"})
    assert patched(db, package, recorded(package), inplace.Pages(PAGE, frozenset({2})), other) == frame
    publish(db, tmp_path / "fresh.apkg", 1, stored=True)
    assert package.read_bytes() == (tmp_path / "fresh.apkg").read_bytes()


def test_a_package_that_is_not_the_frame_kept_is_not_patched(stored):
    db, package = stored
    frame = patched(db, package, recorded(package))
    for wrong in (frame._replace(tail=frame.tail[:-1] + b"x"), frame._replace(head=b"Q" + frame.head[1:])):
        content = package.read_bytes()
        overwrite(db, {PAGE: b"a change it must not write"})
        assert inplace.patch(db, package, recorded(package), inplace.Pages(PAGE, frozenset({2})), wrong) is None
        assert package.read_bytes() == content


def test_a_frame_read_back_from_the_state_is_the_one_written_or_none():
    frame = inplace.Frame(10, b"head", b"tail", (1, 20))
    assert inplace.Frame.from_json(frame.to_json()) == frame
    for bad in (None, {}, [], {**frame.to_json(), "head": "zz"}, {**frame.to_json(), "crc_at": [1]},
                {**frame.to_json(), "crc_at": [1, "2"]}):
        assert inplace.Frame.from_json(bad) is None


def test_pages_in_wal_reads_a_write_ahead_log_and_nothing_else(tmp_path):
    import sqlite3
    db = tmp_path / "x.db"
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA locking_mode = EXCLUSIVE")
    assert connection.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal"
    connection.execute("create table t (x)")
    connection.execute("insert into t values (randomblob(20000))")  # pages 2 to 7 or so
    connection.commit()
    pages = inplace.pages_in_wal(tmp_path / "x.db-wal")
    assert pages is not None and pages.size == connection.execute("PRAGMA page_size").fetchone()[0]
    count = connection.execute("PRAGMA page_count").fetchone()[0]
    assert pages.numbers == frozenset(range(1, count + 1))  # a new database: every page is new
    connection.close()
    for not_a_log in (b"", b"SQLite format 3\x00" + bytes(100), b"\x37\x7f\x06\x82" + bytes(4) + (1000).to_bytes(4, "big")
                      + bytes(20)):
        (tmp_path / "other-wal").write_bytes(not_a_log)
        assert inplace.pages_in_wal(tmp_path / "other-wal") is None


def unchanged_after(db: Path, package: Path, stats: list[int] | None) -> bool:
    """patch refused: False, and the package's bytes as they were."""
    content = package.read_bytes()
    overwrite(db, {PAGE: b"a change it must not write"})
    return inplace.patch(db, package, stats) is None and package.read_bytes() == content


def test_a_package_other_than_the_recorded_one_is_not_patched(stored):
    db, package = stored
    stats = recorded(package)
    assert unchanged_after(db, package, [*stats[:4], stats[4] + 1])  # its change time is not the recorded one
    assert unchanged_after(db, package, None)  # the state records no package


def test_a_package_with_another_link_is_not_written_through(stored, tmp_path):
    db, package = stored
    os.link(package, tmp_path / "elsewhere.apkg")  # a link planted in build/ to another file, or one the user made
    assert unchanged_after(db, package, recorded(package))


def test_a_symlink_at_the_package_is_not_followed(stored, tmp_path):
    db, package = stored
    target = tmp_path / "target.apkg"
    os.replace(package, target)
    package.symlink_to(target)
    assert unchanged_after(db, package, recorded(target))  # the recorded file, reached through a link


def test_a_compressed_package_is_published_anew(stored, tmp_path):
    db, package = stored
    publish(db, package, 1)  # a fresh build's package: the database deflated
    assert unchanged_after(db, package, recorded(package))


def test_a_database_of_another_size_is_published_anew(stored):
    db, package = stored
    with open(db, "ab") as handle:
        handle.write(b"\x00" * PAGE)  # SQLite added a page
    assert unchanged_after(db, package, recorded(package))


def test_a_package_laid_out_otherwise_is_not_patched(stored, tmp_path):
    db, package = stored
    with zipfile.ZipFile(package, "a") as archive:
        archive.writestr("extra", b"an entry publish does not write")
    assert unchanged_after(db, package, recorded(package))
    other = tmp_path / "other.apkg"
    with zipfile.ZipFile(other, "w") as archive:  # the same entries, the other way round
        archive.writestr("media", b"{}")
        archive.write(db, inplace.DATABASE_ENTRY)
    assert unchanged_after(db, other, recorded(other))
    other.write_bytes(b"not a zip at all" * 1000)
    assert unchanged_after(db, other, recorded(other))


# --- in a rebuild ----------------------------------------------------------------------------------
EDITS = [  # each keeps every card valid, and a rebuild takes it
    ("cards/other.yaml", "answer: Limestone.", "answer: Limestone.\n    tags: [high-yield]"),
    ("cards/other.yaml", "answer: Soft and white.", "answer: Soft, white."),
    ("cards/other.yaml", "answer: Thin flat sheets.", "answer: Thin, flat sheets."),
]


def test_rebuilds_after_the_first_patch_the_package_and_write_what_a_fresh_build_writes(tmp_path, monkeypatch):
    rebuilt, fresh = make_project(tmp_path / "rebuilt"), make_project(tmp_path / "fresh")
    delta.build(rebuilt, now=NOW)
    pipeline.build(fresh, now=NOW, fresh=True)
    (tmp_path / "scratch").mkdir()
    results: list[inplace.Frame | None] = []
    patch = inplace.patch
    monkeypatch.setattr(inplace, "patch", lambda *args, **kw: results.append(patch(*args, **kw)) or results[-1])
    made: list[int] = []
    published_around = inplace._published_around
    monkeypatch.setattr(inplace, "_published_around", lambda *args: made.append(1) or published_around(*args))
    inodes = []
    for number, step in enumerate(EDITS, start=1):
        apply(rebuilt, step)
        apply(fresh, step)
        assert delta.build(rebuilt, now=NOW + 100 * number).project is None, "a delta rebuild"
        pipeline.build(fresh, now=NOW + 100 * number, fresh=True)
        assert rows(apkg(rebuilt), tmp_path / "scratch") == rows(apkg(fresh), tmp_path / "scratch")
        inodes.append(os.stat(apkg(rebuilt)).st_ino)
        with zipfile.ZipFile(apkg(rebuilt)) as archive:
            assert archive.testzip() is None
        kept = rebuilt / delta_state.DATABASE
        publish(kept, tmp_path / "scratch" / "published.apkg", 1, stored=True)
        assert apkg(rebuilt).read_bytes() == (tmp_path / "scratch" / "published.apkg").read_bytes()
        assert kept.read_bytes()[18:20] == b"\x01\x01", "the database's header says: a rollback journal, no log"
        assert not list((rebuilt / "build").glob("**/*-wal")) and not list((rebuilt / "build").glob(".deckgen-*/"))
    # the first rebuild finds a fresh build's compressed package and publishes it stored; the others patch it
    assert [result is not None for result in results] == [False, True, True] and inodes[1] == inodes[0] == inodes[2]
    # the rebuild that publishes makes publish's frame, reading the database whole; the state keeps it for the next
    assert len(made) == 1 and results[1] == results[2]


def test_anki_imports_a_patched_package(tmp_path):
    project = make_project(tmp_path / "project")
    delta.build(project, now=NOW)
    (tmp_path / "learner").mkdir()
    learner = open_collection(tmp_path / "learner" / "collection.anki2")
    import_apkg(learner, apkg(project))
    for number, step in enumerate(EDITS[:2], start=1):
        apply(project, step)
        assert delta.build(project, now=NOW + 100 * number).project is None
    log = import_apkg(learner, apkg(project))  # the second rebuild's package: patched in place
    assert sorted(note.fields[-1] for note in log.updated) == ["chalk-kind", "marble-origin"]
    assert not log.new and not log.conflicting
    [chalk] = learner.find_notes("CardId:chalk-kind")
    assert learner.get_note(chalk)["Answer"] == "Soft, white."
    learner.close()


def test_a_deck_the_user_kept_by_a_hard_link_is_left_as_it_was(tmp_path):
    project = make_project(tmp_path / "project")
    delta.build(project, now=NOW)
    apply(project, EDITS[0])
    delta.build(project, now=NOW + 100)
    os.link(apkg(project), tmp_path / "kept.apkg")  # the user keeps this build's deck by a hard link
    kept = (tmp_path / "kept.apkg").read_bytes()
    apply(project, EDITS[1])
    # the link changed the package's change time: no longer the one recorded, so a full build, which publishes
    assert delta.build(project, now=NOW + 200).project is not None
    assert (tmp_path / "kept.apkg").read_bytes() == kept


def test_anki_refuses_a_package_left_part_old_part_new(tmp_path):
    """A rebuild killed while it patches the package leaves pages of the old database beside the new CRC-32, or new
    pages beside the old one: Anki's importer checks the entry's CRC-32 and refuses the package, rather than import
    a mixture (the README says so). One page of the database changed, its CRC-32 not, stands for either."""
    project = make_project(tmp_path / "project")
    delta.build(project, now=NOW)
    apply(project, EDITS[0])
    delta.build(project, now=NOW + 100)  # a stored package, as a rebuild leaves it
    with zipfile.ZipFile(apkg(project)) as archive:
        entry = archive.getinfo(inplace.DATABASE_ENTRY)
        assert entry.compress_type == zipfile.ZIP_STORED
    start = entry.header_offset + 30 + len(entry.filename) + len(entry.extra)
    with open(apkg(project), "r+b") as package:  # the database's second page, part old, part new
        package.seek(start + PAGE + 100)
        old = package.read(1)
        package.seek(start + PAGE + 100)
        package.write(bytes([old[0] ^ 0xFF]))
    (tmp_path / "learner").mkdir()
    learner = open_collection(tmp_path / "learner" / "collection.anki2")
    with pytest.raises(Exception, match="(?i)checksum|crc"):
        import_apkg(learner, apkg(project))
    assert learner.note_count() == 0
    learner.close()


# --- packages of the recorded file's stats, not laid out byte for byte as publish writes ------------------
def _rewritten(package: Path, change=lambda entry: None, media: bytes | None = None) -> None:
    """The package zipped again, each entry changed by `change`, the media entry's content `media` if given."""
    with zipfile.ZipFile(package) as archive:
        entries = [(entry, archive.read(entry)) for entry in archive.infolist()]
    with zipfile.ZipFile(package, "w") as archive:
        for entry, data in entries:
            change(entry)
            archive.writestr(entry, media if media is not None and entry.filename == "media" else data)


def _local_date(package: Path) -> None:
    data = bytearray(package.read_bytes())
    data[10:14] = b"\x21\x00\x21\x00"  # the local header's time and date, not the central directory's
    package.write_bytes(bytes(data))


@pytest.mark.parametrize("alter", [
    lambda package: _rewritten(package, media=b'{"0": "a.png"}'),  # another media entry
    _local_date,
    lambda package: _rewritten(package, lambda entry: setattr(entry, "comment", b"c")),  # an entry's comment
    lambda package: _rewritten(package, lambda entry: setattr(entry, "extra", b"\xfe\xca\x00\x00")),
    lambda package: package.write_bytes(package.read_bytes() + b"more"),  # bytes after publish's last one
], ids=["media", "local-date", "entry-comment", "extra-field", "trailing-bytes"])
def test_a_package_not_byte_for_byte_publishs_is_not_patched(stored, alter):
    """The checks on the entries' names, place and sizes let these through: patched, they kept bytes publish does
    not write (not the same zip, though the same rows)."""
    db, package = stored
    alter(package)
    assert unchanged_after(db, package, recorded(package))


# --- a power cut: a new boot ------------------------------------------------------------------------
def _another_boot(monkeypatch, boot: str) -> None:
    monkeypatch.setattr(fastpath, "boot_id", lambda: boot)


def test_a_rebuild_s_state_from_another_boot_vouches_for_nothing(tmp_path, monkeypatch):
    """Pages patched in place may not have reached the disk before a power cut, while the package's new times did:
    after a restart, a build is a full one, which writes the package anew (and the stamp is no match either)."""
    project = make_project(tmp_path / "project")
    delta.build(project, now=NOW)
    for number, step in enumerate(EDITS[:2], start=1):
        apply(project, step)
        assert delta.build(project, now=NOW + 100 * number).project is None, "a delta rebuild"
    fastpath.record(project, fastpath.snapshot(project), {"output": str(apkg(project))}, drop_retired=False)
    assert fastpath.probe(project, drop_retired=False)[0] is not None, "this boot: nothing changed"
    _another_boot(monkeypatch, "another-boot")
    assert fastpath.probe(project, drop_retired=False)[0] is None, "the stamp of another boot"
    inode = os.stat(apkg(project)).st_ino
    apply(project, EDITS[2])
    assert delta.build(project, now=NOW + 300).project is not None, "a full build"
    assert os.stat(apkg(project)).st_ino != inode, "the package written anew"
    apply(project, EDITS[2][:1] + (EDITS[2][2], EDITS[2][1]))
    assert delta.build(project, now=NOW + 400).project is None, "its state is this boot's: rebuilds again"


@pytest.mark.parametrize("boot, synced", [("a-boot", False), ("", True)])
def test_the_patched_pages_are_synced_only_where_there_is_no_boot_id(tmp_path, monkeypatch, boot, synced):
    _another_boot(monkeypatch, boot)
    project = make_project(tmp_path / "project")
    delta.build(project, now=NOW)
    for number, step in enumerate(EDITS[:2], start=1):  # the first rebuild publishes, and its publish syncs
        apply(project, step)
        assert delta.build(project, now=NOW + 100 * number).project is None
    syncs: list[int] = []
    monkeypatch.setattr(inplace, "_sync_data", syncs.append)
    apply(project, EDITS[2])
    assert delta.build(project, now=NOW + 300).project is None
    assert len(syncs) == (1 if synced else 0)
