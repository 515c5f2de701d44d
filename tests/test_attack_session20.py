"""Session 20's attacks on the one-card rebuild that patches its package by the write-ahead log's pages, makes the
CRC-32 from the old one (crcmath), keeps publish's frame in the state, skips the sync where there is a boot id,
works in threads (background.InThread), and keeps the replaced deck.lock in build/ until the next build.

* crcmath's table of x^(2^k) stopped at k = 63, counted in bits: a change followed by 2^61 bytes or more (a
  64-bit offset reaches 2^64) was an IndexError, not the CRC-32 its note promises. Fixed: enough powers for any
  64-bit offset in bits.
* The frame of a package whose central directory starts 4 GiB or more in was wrong: the end record says
  0xFFFFFFFF there (zipfile puts the offset in the zip64 end record), so the central directory's CRC-32 was
  taken to be at 0xFFFFFFFF + 16, inside the data, and four zero bytes were put into the tail instead (at its
  start, for a database a page over 4 GiB). Such a package never matched its frame and was published anew by
  every rebuild; for a few sizes just under 4 GiB (none a whole number of pages) the frame would have put the
  CRC-32 at a wrong place of the tail. Fixed: the offset is read from the zip64 end record when the end record
  gives none; then a sparse package of a database 4 GiB and two pages long is patched, both its CRC-32s zlib's
  (checked by hand, not kept as a test: it reads 8 GiB).
* Held (tested): many rebuilds editing several cards of a file at once, fields long enough for overflow pages and
  shrinking again, a card removed and put back (full, incremental builds in between): every rebuild's package is
  publish's of the kept database, byte for byte, and its rows a fresh build's; databases of other page sizes; a
  change more than 4 GiB into the data; a FIFO planted at the kept lock's name; many rebuilds in one process
  (`deckgen watch`): one kept lock at most, no thread or descriptor left; the rename of deck.lock failing; the copy
  of deck.lock failing while the digest thread reads it; a patching rebuild killed mid-patch and between the link
  and the rename; the boot id unreadable, empty or padded.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path

import pytest

from deckgen import crcmath, delta, delta_state, fastpath, inplace, locktext, pipeline
from deckgen.package import publish
from mini_project import IGNEOUS_YAML, OTHER_YAML, apkg, apply, edit, make_project, remove_card, rows

NOW = 1_700_000_000
KEPT_LOCK = Path("build") / ".deckgen-replaced.lock"


def _join_threads() -> None:
    """The threads a build left running (closing the old lock, freeing the kept one) finished."""
    for thread in threading.enumerate():
        if thread is not threading.current_thread():
            thread.join()


# --- crcmath: far from the end ---------------------------------------------------------------------------------
def _zeros_crc_difference(old: bytes, new: bytes, zeros: int) -> int:
    """zlib's CRC-32 of old + zeros, xor that of new + zeros (their difference), over every byte."""
    chunk, a, b = bytes(1 << 24), zlib.crc32(old), zlib.crc32(new)
    for _ in range(zeros >> 24):
        a, b = zlib.crc32(chunk, a), zlib.crc32(chunk, b)
    rest = bytes(zeros & ((1 << 24) - 1))
    return zlib.crc32(rest, a) ^ zlib.crc32(rest, b)


def test_a_change_more_than_4_gib_into_the_message_is_zlib_s():
    """Only what follows a change counts (its zeros multiply by x^(8 z)): here 9 bytes after 8 GiB."""
    size, offset = (1 << 33) + 10, 1 << 33
    assert crcmath.updated(0x1234, size, [(offset, b"a", b"b")]) == 0x1234 ^ _zeros_crc_difference(b"a", b"b", 9)


def test_the_crc_of_a_change_followed_by_2_to_the_62_bytes_is_made():
    """Failed before the fix with IndexError (checked: the table held x^(2^k) for k <= 63, and 2^62 bytes are
    2^65 bits). x's order modulo CRC-32's polynomial divides 2^32 - 1 (asserted below through zlib: 2^32 - 1
    zeros after a change change nothing), and 2^62 = 2^30 (mod 2^32 - 1): so the difference a change makes
    followed by 2^62 zero bytes is the one it makes followed by 2^30, which zlib makes over every byte."""
    assert crcmath.updated(0, 1 << 32, [(0, b"a", b"b")]) == zlib.crc32(b"a") ^ zlib.crc32(b"b")
    expected = _zeros_crc_difference(b"a", b"b", 1 << 30)
    assert crcmath.updated(0, (1 << 62) + 1, [(0, b"a", b"b")]) == expected
    # the most a 64-bit offset reaches: 2^64 - 1 zeros, = 0 (mod 2^32 - 1), as if none followed
    assert crcmath.updated(0, 1 << 64, [(0, b"a", b"b")]) == zlib.crc32(b"a") ^ zlib.crc32(b"b")


# --- the frame of a package of 4 GiB or more -------------------------------------------------------------------
def test_the_frame_of_a_database_over_4_gib_is_publishs_layout(tmp_path):
    """Failed before the fix (checked): crc_at[1] was 0xFFFFFFFF + 16 and the tail began with four zero bytes
    (b"\\0\\0\\0\\0PK\\x03\\x04"). A sparse database: publish's code reads its 4 GiB of zeros (some seconds)."""
    database = tmp_path / "big.anki2"
    with open(database, "wb") as handle:
        handle.truncate((1 << 32) + 4096)
    frame = inplace.frame_of(database)
    tail_start = len(frame.head) + frame.size
    assert frame.tail.startswith(b"PK\x03\x04"), "the media entry's local header right after the data"
    central = frame.crc_at[1] - tail_start - 16  # a central directory header's CRC-32 is its 17th to 20th bytes
    assert 0 <= central and frame.tail[central:central + 4] == b"PK\x01\x02"
    assert frame.tail[central + 16:central + 20] == bytes(4), "left as zeros, as the local header's"
    assert frame.crc_at[0] == 14 and frame.head[14:18] == bytes(4)


# --- held: many rebuilds of several cards with long fields, compared byte for byte -------------------------------
_QUOTED = {  # each card's extra is made of the words of its quote (a rebuild checks them, as a full build does)
    "granite-minerals": "granite made of quartz and feldspar", "basalt-origin": "basalt cools from lava",
    "obsidian-glass": "obsidian is a volcanic glass", "marble-origin": "marble forms when limestone is heated under",
    "slate-sheets": "slate splits into thin flat sheets", "chalk-kind": "chalk is a soft white limestone"}


def _extra(rng: random.Random, card_id: str) -> str:
    """Up to 4,900 characters (the limit is 5,000): from one page to overflow pages, shrinking again."""
    words = _QUOTED[card_id].split()
    text = " ".join(rng.choice(words) for _ in range(rng.choice([1, 3, 60, 700, 1500])))
    return text[:4900].rsplit(" ", 1)[0] if len(text) > 4900 else text


def _with_extras(yaml: str, extras: list[str]) -> str:
    lines, cards = [], iter(extras)
    for line in yaml.split("\n"):
        lines.append(line)
        if line.startswith(("    answer:", "    cloze:")):
            lines.append(f"    extra: {next(cards)}")
    return "\n".join(lines)


def _write_cards(project: Path, extras: dict[str, str], without_slate: bool) -> None:
    ids = list(_QUOTED)
    (project / "cards" / "igneous.yaml").write_text(_with_extras(IGNEOUS_YAML, [extras[i] for i in ids[:3]]),
                                                    encoding="utf-8")
    (project / "cards" / "other.yaml").write_text(_with_extras(OTHER_YAML, [extras[i] for i in ids[3:]]),
                                                  encoding="utf-8")
    if without_slate:  # a card removed (retired), then put back: full builds, incremental ones, in between
        remove_card(project / "cards" / "other.yaml", "slate-sheets")


@pytest.mark.parametrize("seed", [3, 11])
def test_rebuilds_of_several_long_cards_ship_publish_s_bytes_and_a_fresh_build_s_rows(tmp_path, monkeypatch, seed):
    rng = random.Random(seed)
    rebuilt, fresh = make_project(tmp_path / "rebuilt"), make_project(tmp_path / "fresh")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    extras, without_slate = {card_id: _extra(rng, card_id) for card_id in _QUOTED}, False
    patches: list[tuple[bool, bool]] = []  # (patched, with the frame the state kept)
    patch = inplace.patch

    def counted(database, package, recorded, pages=None, frame=None, **options):
        result = patch(database, package, recorded, pages, frame, **options)
        patches.append((result is not None, frame is not None))
        return result

    monkeypatch.setattr(inplace, "patch", counted)
    for step in range(12):
        for card_id in rng.sample(list(_QUOTED), rng.randint(1, 6)):
            extras[card_id] = _extra(rng, card_id)
        if step and rng.random() < 0.2:
            without_slate = not without_slate
        for project in (rebuilt, fresh):
            _write_cards(project, extras, without_slate)
        built = delta.build(rebuilt, now=NOW + 100 * step)
        pipeline.build(fresh, now=NOW + 100 * step, fresh=True)
        assert rows(apkg(rebuilt), scratch) == rows(apkg(fresh), scratch), step
        if built.project is None:  # a rebuild: its package is publish's of the database it keeps
            publish(rebuilt / delta_state.DATABASE, scratch / "published.apkg", 1, stored=True)
            assert apkg(rebuilt).read_bytes() == (scratch / "published.apkg").read_bytes(), step
    assert (True, True) in patches, "a package patched with the frame the state kept"
    _join_threads()


@pytest.mark.parametrize("page_size", [512, 8192, 65536])
def test_a_database_of_another_page_size_is_patched_by_its_write_ahead_log_s_pages(tmp_path, page_size):
    """As _replace_rows changes the database: rows replaced, grown into overflow pages and shrunk (freed pages),
    through a write-ahead log whose pages patch compares; the package is then publish's, byte for byte."""
    rng = random.Random(page_size)
    database, package = tmp_path / "collection.anki2", tmp_path / "deck.apkg"
    connection = sqlite3.connect(database)
    connection.execute(f"PRAGMA page_size = {page_size}")
    connection.execute("create table t (id integer primary key, x blob)")
    connection.executemany("insert into t values (?, ?)", [(i, rng.randbytes(rng.choice([10, 3000, 70000])))
                                                           for i in range(60)])
    connection.commit()
    connection.close()
    publish(database, package, 1, stored=True)
    frame = None
    for _ in range(4):
        size = database.stat().st_size
        connection = sqlite3.connect(database)
        connection.execute("PRAGMA locking_mode = EXCLUSIVE")
        assert connection.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal"
        connection.execute("PRAGMA wal_autocheckpoint = 0")
        for i in rng.sample(range(60), 5):
            connection.execute("update t set x = ? where id = ?", (rng.randbytes(rng.choice([5, 2000, 20000])), i))
        connection.commit()
        pages = inplace.pages_in_wal(tmp_path / "collection.anki2-wal")
        assert connection.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
        connection.close()
        assert pages is not None and pages.size == page_size
        result = inplace.patch(database, package, list(delta_state.stat_of(package)), pages, frame, sync=False)
        if database.stat().st_size == size:  # the same size: patched (else published anew, as a rebuild does)
            assert result is not None
            frame = result
        else:
            assert result is None
            publish(database, package, 1, stored=True)
            frame = inplace.frame_of(database)
        publish(database, tmp_path / "fresh.apkg", 1, stored=True)
        assert package.read_bytes() == (tmp_path / "fresh.apkg").read_bytes()


# --- held: the kept lock, threads and descriptors ---------------------------------------------------------------
def _descriptors() -> set[str]:
    found = set()
    for name in os.listdir("/proc/self/fd"):
        try:
            found.add(os.readlink(f"/proc/self/fd/{name}"))
        except OSError:  # the listing's own descriptor, closed by now
            pass
    return found


def test_many_rebuilds_in_one_process_keep_one_lock_and_leave_no_thread_or_descriptor(tmp_path):
    """As `deckgen watch` builds again and again: each rebuild frees the lock the last one kept."""
    project = make_project(tmp_path / "project")
    delta.build(project, now=NOW)
    _join_threads()
    descriptors, threads = _descriptors(), threading.active_count()
    old, new = "answer: Soft and white.", "answer: Soft, white."
    for number in range(1, 13):
        apply(project, ("cards/other.yaml", old, new))
        old, new = new, old
        before = os.stat(project / "deck.lock").st_ino
        assert delta.build(project, now=NOW + 100 * number).project is None, "a delta rebuild"
        assert os.stat(project / KEPT_LOCK).st_ino == before
        assert [p.name for p in (project / "build").glob(".deckgen-replaced*")] == [KEPT_LOCK.name]
        assert not [p for p in (project / "build").glob(".deckgen-*") if p.is_dir()]
        assert not list(project.glob(".deck.lock.*"))
    _join_threads()
    assert threading.active_count() == threads
    assert _descriptors() == descriptors


def test_a_fifo_planted_at_the_kept_lock_s_name_neither_hangs_nor_stays(tmp_path):
    project = make_project(tmp_path / "project")
    delta.build(project, now=NOW)
    os.mkfifo(project / KEPT_LOCK)
    before = os.stat(project / "deck.lock").st_ino
    apply(project, ("cards/other.yaml", "answer: Soft and white.", "answer: Soft, white."))
    assert delta.build(project, now=NOW + 100).project is None, "a delta rebuild all the same"
    assert os.stat(project / KEPT_LOCK).st_ino == before, "the FIFO's name removed, the old lock kept there"


def test_a_rename_of_deck_lock_that_fails_hands_over_and_leaves_nothing_behind(tmp_path, monkeypatch):
    """The rename in its thread raises: the staged lock is removed, nothing vouches for the patched package, and
    the full build that follows ships what a fresh build ships."""
    project, fresh = make_project(tmp_path / "project"), make_project(tmp_path / "fresh")
    (tmp_path / "scratch").mkdir()
    for number, step in enumerate([("cards/other.yaml", "answer: Soft and white.", "answer: Soft, white."),
                                   ("cards/other.yaml", "answer: Limestone.", "answer: Limestone, heated.")]):
        if number:
            apply(project, step)
            apply(fresh, step)
        delta.build(project, now=NOW + 100 * number)
        pipeline.build(fresh, now=NOW + 100 * number, fresh=True)
    replace, failed = os.replace, []

    def failing(source, target, *args, **kwargs):
        if Path(target).name == "deck.lock" and not failed:
            failed.append(source)
            raise OSError(5, "injected")
        return replace(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "replace", failing)
    step = ("cards/other.yaml", "answer: Thin flat sheets.", "answer: Thin, flat sheets.")
    apply(project, step)
    apply(fresh, step)
    assert delta.build(project, now=NOW + 300).project is not None, "handed over to a full build"
    pipeline.build(fresh, now=NOW + 300, fresh=True)
    _join_threads()
    assert failed and not Path(failed[0]).exists() and not list(project.glob(".deck.lock.*"))
    assert not (project / KEPT_LOCK).exists(), "a full build keeps none"
    assert (project / "deck.lock").read_bytes() == (fresh / "deck.lock").read_bytes()
    assert rows(apkg(project), tmp_path / "scratch") == rows(apkg(fresh), tmp_path / "scratch")


def test_a_copy_of_deck_lock_that_fails_waits_for_the_digest_thread_and_hands_over(tmp_path, monkeypatch):
    """The main thread's copy raises while the "fields" digest is made in another thread from the same
    descriptor: that thread has ended before the old lock is closed, and no descriptor or staged lock is left."""
    project = make_project(tmp_path / "project")
    delta.build(project, now=NOW)
    _join_threads()
    descriptors = _descriptors()
    reading: list[bool] = []
    digest = locktext._digest

    def slow_digest(*args):
        time.sleep(0.05)  # still reading when the copy fails
        reading.append(True)
        digest(*args)
        reading.append(False)

    monkeypatch.setattr(locktext, "_digest", slow_digest)
    monkeypatch.setattr(locktext, "_copy_range", lambda *args: (_ for _ in ()).throw(OSError(28, "injected")))
    close = delta._OldLock.release
    seen: list[list[bool]] = []
    monkeypatch.setattr(delta._OldLock, "release", lambda self: seen.append(list(reading)) or close(self))
    apply(project, ("cards/other.yaml", "answer: Soft and white.", "answer: Soft, white."))
    assert delta.build(project, now=NOW + 100).project is not None, "handed over to a full build"
    _join_threads()
    assert seen and seen[0] and seen[0][-1] is False, "the digest thread had finished before the lock was closed"
    assert not list(project.glob(".deck.lock.*")) and _descriptors() == descriptors


# --- held: a patching rebuild killed -------------------------------------------------------------------------------
_KILLED_AFTER = """\
import os, signal, sys
calls, limit, name = [0], int(sys.argv[1]), sys.argv[2]
real = getattr(os, name)
def killing(*args, **kwargs):
    result = real(*args, **kwargs)
    calls[0] += 1
    if calls[0] == limit:
        os.kill(os.getpid(), signal.SIGKILL)
    return result
setattr(os, name, killing)
from deckgen.cli import main
sys.argv = ["deckgen"] + sys.argv[3:]
sys.exit(main())
"""


def _deckgen(project: Path, *arguments: str, killed_after: tuple[str, int] | None = None):
    command = [sys.executable, "-m", "deckgen"] if killed_after is None else \
        [sys.executable, "-c", _KILLED_AFTER, str(killed_after[1]), killed_after[0]]
    return subprocess.run([*command, "--project", str(project), *arguments], capture_output=True, text=True,
                          timeout=120, env={k: v for k, v in os.environ.items() if k != "DECKGEN_DEBUG"})


@pytest.mark.parametrize("killed_after", [("pwrite", 1), ("link", 1)], ids=["mid-patch", "between-link-and-rename"])
def test_a_patching_rebuild_killed_is_made_whole_by_the_next_build(tmp_path, killed_after):
    """The first pwrite leaves a package part old, part new; the link leaves deck.lock linked at the kept name
    and not yet replaced. The next build is a full one, and leaves the deck, deck.lock and build/ in agreement."""
    import json
    import zipfile

    project = make_project(tmp_path / "project")
    assert _deckgen(project, "build").returncode == 0
    edit(project / "cards" / "other.yaml", "answer: Soft and white.", "answer: Soft white.")
    assert _deckgen(project, "build").returncode == 0  # publishes the package stored: the next one patches it
    edit(project / "cards" / "other.yaml", "answer: Limestone.", "answer: Limestone, heated.")
    assert _deckgen(project, "build", killed_after=killed_after).returncode == -signal.SIGKILL
    assert _deckgen(project, "build").returncode == 0
    lock = json.loads((project / "deck.lock").read_text(encoding="utf-8"))
    assert "Limestone, heated." in lock["fields"]["marble-origin"][1]
    with zipfile.ZipFile(apkg(project)) as archive:
        assert archive.testzip() is None
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    shipped = rows(apkg(project), scratch)
    assert sorted((guid, mod) for _, guid, _, mod, *_ in shipped["notes"]) == \
        sorted((entry["guid"], entry["modified"]) for entry in lock["cards"].values())
    assert not (project / KEPT_LOCK).exists() and os.stat(project / "deck.lock").st_nlink == 1


# --- held: the boot id ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("content, expected", [(None, ""), (b"", ""), (b"\n", ""), (b"  1234-abcd \n", "1234-abcd"),
                                               (b"\xff\xfe" * 40, "\ufffd" * 64)])
def test_the_boot_id_unreadable_empty_or_garbage(monkeypatch, tmp_path, content, expected):
    """Unreadable or empty: "" (the patched package is synced); anything else is this boot's, read as it is."""
    import builtins

    real_open = builtins.open

    def opening(path, *args, **kwargs):
        if str(path) == "/proc/sys/kernel/random/boot_id":
            if content is None:
                raise PermissionError(13, "unreadable")
            (tmp_path / "boot_id").write_bytes(content)
            return real_open(tmp_path / "boot_id", *args, **kwargs)
        return real_open(path, *args, **kwargs)

    fastpath.boot_id.cache_clear()
    monkeypatch.setattr(builtins, "open", opening)
    try:
        assert fastpath.boot_id() == expected
    finally:
        monkeypatch.undo()
        fastpath.boot_id.cache_clear()
