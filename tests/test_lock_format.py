"""deck.lock's format 1 (every card's fields in its entry, hashed as they are) is still read, and the next
build writes format 2 (a live card's entry holds its field digests; its fields are in the "fields" table,
read only when a step needs them) with the same GUIDs and modification times: the deck it builds is the
same, byte for byte.

Format 1 is made here from a format-2 lock by its own definition (the hashes computed in this file), so the
test does not lean on deckgen's conversion to check deckgen's conversion.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from helpers import copy_project, run_cli
from mini_project import apkg, make_project, remove_card

RETIRED = "deckgen::retired"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _format_1_hash(entry: dict, fields: list[str], type_id: int, retired: str | None) -> str:
    """A format-1 entry's hash: of json.dumps([note_type, deck, fields, tags]) and its note type id; a retired
    entry's marked retired ("noticed": with the removal notice in its fields)."""
    tags = [t for t in entry["tags"] if t != RETIRED]
    value = _sha(json.dumps([_sha(json.dumps([entry["note_type"], entry["deck"], fields, tags])), type_id]))
    if retired == "noticed":
        return _sha(json.dumps([value, RETIRED, "notice"]))
    if retired == "plain":
        return _sha(json.dumps([value, RETIRED]))
    return value


def as_format_1(lock: dict) -> dict:
    """A format-2 lock as deckgen wrote format 1: every card's fields in its entry, hashed as they are."""
    type_ids = {key: note_type["id"] for key, note_type in lock["note_types"].items()}
    cards = {}
    for card_id, entry in lock["cards"].items():
        fields = lock["fields"][card_id]
        cards[card_id] = {key: value for key, value in entry.items() if key != "digests"} | {
            "fields": fields, "hash": _format_1_hash(entry, fields, type_ids[entry["note_type"]], None)}
    retired = {card_id: entry | {"hash": _format_1_hash(entry, entry["fields"], type_ids[entry["note_type"]],
                                                        "noticed")}
               for card_id, entry in lock["retired"].items()}
    return {"format": 1, "namespace": lock["namespace"], "note_types": lock["note_types"], "cards": cards,
            "retired": retired}


def _write(project: Path, lock: dict) -> None:
    (project / "deck.lock").write_text(json.dumps(lock, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                                       encoding="utf-8")


def _build(project: Path, *args: str) -> None:
    result = run_cli(project, "build", *args)
    assert result.returncode == 0, result.stderr


def _format_2_project(tmp_path: Path) -> tuple[Path, bytes, bytes]:
    """A project built twice, one card retired between: its deck and its (format-2) lock."""
    project = make_project(tmp_path / "project")
    _build(project, "--fresh")
    remove_card(project / "cards" / "other.yaml", "slate-sheets")
    _build(project, "--fresh")
    return project, apkg(project).read_bytes(), (project / "deck.lock").read_bytes()


def test_a_format_1_lock_is_read_and_the_next_build_writes_format_2_and_the_same_deck(tmp_path):
    project, deck, lock_bytes = _format_2_project(tmp_path)
    lock = json.loads(lock_bytes)
    assert lock["format"] == 2 and lock["retired"] and "fields" not in lock["cards"]["chalk-kind"]
    old = as_format_1(lock)
    assert old["cards"]["chalk-kind"]["hash"] != lock["cards"]["chalk-kind"]["hash"], "the hashes differ by format"
    _write(project, old)

    status = json.loads(run_cli(project, "status", "--json").stdout)
    assert status["changed"] == status["added"] == status["retired"] == [] and status["unchanged"] == 5, status
    _build(project, "--fresh")
    assert apkg(project).read_bytes() == deck, "the same notes, GUIDs and modification times: the same bytes"
    assert (project / "deck.lock").read_bytes() == lock_bytes, "written as format 2, as a format-2 build wrote it"


def test_a_format_1_lock_with_a_field_edited_is_refused(tmp_path):
    """Its hash is checked the format-1 way before the entry is given a format-2 hash: an edit is not laundered."""
    project, deck, _ = _format_2_project(tmp_path)
    old = as_format_1(json.loads((project / "deck.lock").read_text(encoding="utf-8")))
    old["cards"]["chalk-kind"]["fields"][1] = "Hard and black."
    _write(project, old)
    result = run_cli(project, "build", "--fresh")
    assert result.returncode == 1, result.stdout
    assert result.stderr.startswith("deck.lock:") and "'chalk-kind' does not match its hash" in result.stderr, \
        result.stderr
    assert apkg(project).read_bytes() == deck


@pytest.mark.parametrize("damage", ["missing", "doubled"])
def test_a_comma_missing_or_doubled_where_a_block_ends_is_refused_as_anywhere_else(tmp_path, monkeypatch, damage):
    """Found by an attack: the block-wise reader stripped any commas where a block ended, so a lock the
    JSON reader refuses could be read when the damage fell on a block's end. With blocks of a few hundred
    bytes every separator is at some block's end; each damage is a located error, as read whole."""
    from deckgen import lock as lock_module

    project = copy_project(tmp_path / "project")
    built = run_cli(project, "build", "--fresh")
    assert built.returncode == 0, built.stderr
    path = project / "deck.lock"
    text = path.read_text(encoding="utf-8")
    separator = "\n  },\n  \""
    at = text.index(separator, text.index(' "cards": {') + 5000)
    broken = {"missing": "\n  }\n  \"", "doubled": "\n  },,\n  \""}[damage]
    path.write_text(text[:at] + broken + text[at + len(separator):], encoding="utf-8")
    for block in (300, 4096, 1 << 18):
        monkeypatch.setattr(lock_module, "_BLOCK", block)
        lock, problems = lock_module.read_lock(path, "deck.lock", "Calcinosis Cutis")
        assert lock is None and problems, (block, damage)
        line = text[:at].count("\n") + 2
        assert abs(problems[0].location.line - line) <= 1, (problems[0], line)


def _given_twice(text: str, damage: str) -> tuple[str, int, int]:
    """deck.lock with one key given twice, in deckgen's layout, and where the second one is (line, column)."""
    lines = text.split("\n")
    if damage == "top-level key":
        at = 1
        lines.insert(at, ' "namespace": "another-deck",')
        return "\n".join(lines), lines.index(' "namespace": ' + text.split(' "namespace": ')[1].split("\n")[0]) + 1, 2
    if damage == "key of an entry":
        at = lines.index('  "granite-minerals": {') + 1
        lines.insert(at, '   "modified": 1,')
        return "\n".join(lines), next(i for i in range(at + 1, len(lines)) if lines[i].startswith('   "modified"')) + 1, 4
    if damage == "card of the cards table":
        start = lines.index('  "granite-minerals": {')
        end = lines.index("  },", start)
        lines[end + 1:end + 1] = lines[start:end + 1]
        return "\n".join(lines), end + 2, 3
    assert damage == "card of the fields table"
    start = next(i for i, line in enumerate(lines) if line.startswith('  "granite-minerals": [')
                 and i > lines.index(' "fields": {'))
    end = lines.index("  ],", start)
    lines[end + 1:end + 1] = lines[start:end + 1]
    damaged = "\n".join(lines)  # with the "fields_digest" of the table as it now is: only the key tells
    table = damaged[damaged.index(' "fields": {') + 11:damaged.index("\n }", damaged.index(' "fields": {')) + 3]
    digest = hashlib.sha256(table.encode("utf-8")).hexdigest()[:16]
    old = damaged.split(' "fields_digest": "')[1][:16]
    return damaged.replace(f' "fields_digest": "{old}"', f' "fields_digest": "{digest}"'), end + 2, 3


@pytest.mark.parametrize("damage", ["top-level key", "key of an entry", "card of the cards table",
                                    "card of the fields table"])
def test_a_key_given_twice_in_deck_lock_is_refused_where_the_second_one_is(tmp_path, monkeypatch, damage):
    """JSON's reader keeps the last of two equal keys, silently (another reader may keep the first): a lock
    edited so is refused, located at the second, however it is read — whole, a block at a time (a card id
    twice in two blocks), or entry by entry as `deckgen watch` reads it (LockReuse)."""
    from deckgen import lock as lock_module

    project = make_project(tmp_path / "project")
    _build(project)
    path = project / "deck.lock"
    text, line, column = _given_twice(path.read_text(encoding="utf-8"), damage)
    path.write_text(text, encoding="utf-8")
    deck = apkg(project).read_bytes()
    for args in (("check",), ("build",), ("status",)):
        result = run_cli(project, *args)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert f"deck.lock:{line}:{column}:" in result.stderr and "twice" in result.stderr, result.stderr
    assert apkg(project).read_bytes() == deck and path.read_text(encoding="utf-8") == text
    for block in (300, 1 << 18):
        monkeypatch.setattr(lock_module, "_BLOCK", block)
        for reuse in (None, lock_module.LockReuse()):
            lock, problems = lock_module.read_lock(path, "deck.lock", "Mini Stones", reuse)
            assert lock is None and [(p.location.line, p.location.col) for p in problems] == [(line, column)], \
                (block, reuse, problems)


def test_the_fields_tables_keys_are_counted_across_the_reads_they_are_cut_by():
    """repeated() counts the table's keys reading the file a piece at a time (a mapping kept every page of the
    table resident: 5 MiB more peak for a fresh clone's build of 10,000 cards); a key cut by a piece's end counts once."""
    import io
    import random

    from deckgen.lock import _count_read

    class ShortReads(io.BytesIO):
        def read(self, size=-1):
            return super().read(min(size, 7))

    generator = random.Random(16)
    for needle in (b'\n  "', b"\n"):  # a key's line start; a line break (the line of a key given twice)
        for _ in range(300):
            data = bytes(generator.choice(b'\n "a') for _ in range(generator.randint(0, 2000)))
            start = generator.randint(0, len(data))
            end = generator.randint(start, len(data))
            assert _count_read(ShortReads(data), needle, start, end) == data[start:end].count(needle)
