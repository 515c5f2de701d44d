"""What a delta rebuild (delta.py) starts from: the last build's inputs, outputs and the facts of each card.

Every build that ships a deck records, in build/.deckgen-delta:

* each input (every file and folder under cards/, sources/ and templates/) with its own content digest, as
  fastpath.snapshot gives it (taken from the no-change stamp where a file's stats show it cannot have
  changed, read otherwise: one reader and one rule for both; the no-change probe's walk, when the CLI made one);
* the outputs as that build left them (deck.lock, the package, and the package's database kept beside it
  as build/.deckgen-delta.anki2), by their stats;
* for each card file, its cards in order, each with what a rebuild needs without reading any other card:
  its digest (memo.card_digest), its duplicate-question key, its answer's length in words, its topic tags'
  roots, its note's id in the database and its number of Anki cards;
* what the rules about the whole deck need (every duplicate-question key, the answers' lengths, the tag
  roots, the sources' names), and what a build reports (subdecks, counts, retired cards, every card's id).

The header is one JSON line, followed by a MAC of it with this user's key (userkey.py): build/ is not trusted, and
a header that is not exactly what deckgen wrote is no state at all (a full build). What grows with the number of
cards is in another file, build/.deckgen-delta.lines, whose lines the header gives the place and digest of: each
card file's cards (one JSON line), every question key, every card's id. A line is read only when a rebuild needs
it, and used only if it has the digest the header gives it (else a full build); a rebuild appends the lines that
changed (the changed card file's, and the question keys' if a question changed) and writes a new header. So a
rebuild of one card file reads and writes what that file costs, and a header of what the project's files cost
(at 50,000 cards, 0.2 MB; the state was 7.5 MB when the header and every line were one MAC'd file, read and
written whole by every rebuild). A full build writes .lines anew, and so does a rebuild once the lines no header
points to any more would make up half of it.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from hashlib import blake2b
from hmac import compare_digest
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from . import fastpath, userkey
from .lint import duplicate_key, topic_roots, word_count
from .lock import LOCK_FILE
from .model import Card, CardKind
from .newfile import open_append, open_new, open_regular, unlink_quietly
from .textnorm import normalize

if TYPE_CHECKING:
    from .inplace import Frame

PATH = Path("build") / ".deckgen-delta"
LINES = Path("build") / ".deckgen-delta.lines"
DATABASE = Path("build") / ".deckgen-delta.anki2"
FORMAT = 5  # 2: each input by its content digest alone (fastpath keeps the stats); 3: renamed_from and new;
# 4: the note types as rendered (memo.note_type_to_json); 5: the card files' lines in LINES, by place and digest


class CardFacts(NamedTuple):
    """What the state keeps of one card."""

    card_id: str
    digest: str  # memo.card_digest: everything its note depends on
    question: str  # its duplicate-question key (lint), as a digest; "" for a cloze card
    words: int  # its answer's length in words; -1 for a cloze card
    roots: tuple[str, ...]  # the roots of its topic tags (lint's tag-root rule)
    note_id: int  # its note's id in the package's database
    anki_cards: int  # the cards Anki makes of it
    renamed_from: str  # as the card says (its digest leaves it out: the note does not depend on it)
    is_new: bool  # `new: true`, likewise

    def to_json(self) -> list:
        return [self.card_id, self.digest, self.question, self.words, list(self.roots), self.note_id,
                self.anki_cards, self.renamed_from, self.is_new]

    @staticmethod
    def from_json(entry: list) -> CardFacts:
        card_id, digest, question, words, roots, note_id, anki_cards, renamed_from, is_new = entry
        return CardFacts(card_id, digest, question, words, tuple(roots), note_id, anki_cards, renamed_from, is_new)


Stat = tuple[int, int, int, int, int]  # device, inode, size, modification and change times (ns)


def stat_of(path: Path) -> Stat | None:
    """A regular file's stat (symlinks followed, as a build follows them); None for anything else."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return _stat(info)


def _stat(info: os.stat_result) -> Stat:
    return info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


def question_key(normalised_question: str) -> str:
    """The duplicate-question key lint compares (the normalised question without its end), as a digest."""
    return blake2b(duplicate_key(normalised_question).encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


class Line(NamedTuple):
    """A card file's line as the header records it: its place in LINES and its digest."""

    offset: int
    length: int
    digest: str


def line_digest(line: bytes) -> str:
    return blake2b(line, digest_size=16).hexdigest()


def _read_line(path: Path, recorded: Line) -> bytes | None:
    """The line `recorded` says is in the file `path`, if it is there with its digest; else None."""
    return _read_lines(path, {None: recorded}).get(None)


def _read_lines(path: Path, recorded: dict) -> dict:
    """Each line `recorded` (a key's Line) says is in the file `path`, by the same key, for those there with
    their digest; the file opened once."""
    found = {}
    try:
        with open_regular(path) as lines:
            for key, line in recorded.items():
                data = os.pread(lines.fileno(), line.length, line.offset)
                if len(data) == line.length and compare_digest(line_digest(data), line.digest):
                    found[key] = data
    except OSError:
        return {}
    return found


class State(NamedTuple):
    """build/.deckgen-delta, its MAC checked; the lines are read from LINES when asked for."""

    header: dict
    lines: Path  # LINES under the project

    def deck_line(self, name: str) -> bytes | None:
        """The deck-wide line `name` ("questions", "card_ids"), if LINES holds it with its digest; else None."""
        return _read_line(self.lines, deck_lines(self)[name])

    def cards_of(self, name: str) -> list[CardFacts] | None:
        """The facts of the cards of `name`, as recorded; None when the state has no line for it, or LINES does
        not hold that line with the digest the header gives it."""
        recorded = file_lines(self).get(name)
        line = None if recorded is None else _read_line(self.lines, recorded)
        return None if line is None else [CardFacts.from_json(entry) for entry in json.loads(line)]

    def changed_inputs(self, snapshot: fastpath.Inputs) -> list[str] | None:
        """The input files whose contents differ from the recording's; None when the set of files differs."""
        recorded: dict[str, str] = self.header["inputs"]
        if list(snapshot.entries) != list(recorded):
            return None
        return [name for name, digest in snapshot.entries.items() if digest != recorded[name]]

    def outputs_match(self, root: Path) -> bool:
        """Whether deck.lock, the package and its database are exactly as recorded."""
        return all(list(stat_of(root / name) or ()) == recorded
                   for name, recorded in self.header["outputs"].items())

    def opened_as_recorded(self, name: str, descriptor: int) -> bool:
        """Whether the output `name`, opened by its name after outputs_match, is still the file recorded: another
        file may have been put in its place in between."""
        return list(_stat(os.fstat(descriptor))) == self.header["outputs"].get(name)


def read(root: Path, key: bytes | None) -> State | None:  # noqa: C901
    """The state, if there is one, deckgen wrote it with this user's key for this deckgen; else None."""
    if key is None:
        return None
    try:
        with open_regular(root / PATH) as recorded:  # a FIFO put there is refused, not waited on
            data = recorded.read()
    except OSError:
        return None
    cut = data.rfind(b"\nmac ")
    if cut < 0:
        return None
    mac = userkey.mac(key)
    mac.update(data[:cut + 1])
    if not compare_digest(data[cut + 5:].rstrip(b"\n"), mac.hexdigest().encode()):
        return None
    first = data.find(b"\n")
    try:
        header = json.loads(data[:first])
    except ValueError:
        return None
    if header.get("format") != FORMAT or header.get("environment") != _environment(root):
        return None
    return State(header, root / LINES)


def _environment(root: Path) -> str | None:
    """deckgen, its packages and Python (fastpath.digest_of), and this boot of the machine (fastpath.boot_id)."""
    installed = fastpath.digest_of(root, ())
    return None if installed is None else f"{installed} boot {fastpath.boot_id()}"


@dataclass
class Totals:
    """What the rules about the whole deck need, kept up to date card by card."""

    questions: array  # every Q&A card's question key (8 bytes), sorted
    words: Counter  # answer length -> number of Q&A cards
    roots: Counter  # topic tag root -> number of cards with it

    @staticmethod
    def of_cards(cards: Iterable[CardFacts]) -> Totals:
        """The totals of `cards`, read once (they may be made as they are read: none need be held)."""
        questions, words, roots = array("Q"), Counter(), Counter()
        for card in cards:
            if card.question:
                questions.append(int(card.question, 16))
            if card.words >= 0:
                words[card.words] += 1
            roots.update(card.roots)
        return Totals(array("Q", sorted(questions)), words, roots)

    @staticmethod
    def of(header: dict, questions_line: bytes) -> Totals:
        questions = array("Q", questions_line)  # big-endian, as questions_line wrote them
        if sys.byteorder == "little":
            questions.byteswap()
        return Totals(questions, Counter({int(k): v for k, v in header["words"].items()}), Counter(header["roots"]))

    def remove(self, card: CardFacts) -> None:
        if card.question:
            index = bisect_left(self.questions, int(card.question, 16))
            del self.questions[index]
        if card.words >= 0:
            self.words[card.words] -= 1
        self.roots.subtract(card.roots)

    def asked(self, question: str) -> bool:
        key = int(question, 16)
        index = bisect_left(self.questions, key)
        return index < len(self.questions) and self.questions[index] == key

    def add(self, card: CardFacts) -> None:
        if card.question:
            key = int(card.question, 16)
            self.questions.insert(bisect_left(self.questions, key), key)
        if card.words >= 0:
            self.words[card.words] += 1
        self.roots.update(card.roots)

    def median_words(self) -> float:
        counts = sorted((words, n) for words, n in self.words.items() if n > 0)
        total = sum(n for _, n in counts)
        if not total:
            return 0
        wanted = (total - 1) // 2, total // 2  # the middle one or two, as statistics.median takes them
        found, seen = [], 0
        for words, n in counts:
            while len(found) < 2 and seen + n > wanted[len(found)]:
                found.append(words)
            seen += n
        return (found[0] + found[1]) / 2

    def root_names(self) -> list[str]:
        return sorted(root for root, n in self.roots.items() if n > 0)

    def to_header(self) -> dict:
        return {"words": {str(k): v for k, v in sorted(self.words.items()) if v > 0},
                "roots": {k: v for k, v in sorted(self.roots.items()) if v > 0}}

    def questions_line(self) -> bytes:
        """The question keys, 8 bytes each, big-endian."""
        questions = array("Q", self.questions)
        if sys.byteorder == "little":
            questions.byteswap()
        return questions.tobytes()


def write(root: Path, key: bytes, header: dict, files: dict[str, bytes | Line], deck: dict[str, bytes | Line],
          previous: State | None = None) -> None:
    """Write the state: `header` (without "files" and "deck_lines", which this adds), each card file's line in
    the order given, and the deck-wide lines (Report.ids_line, Totals.questions_line): each as its bytes, or as
    a Line the state read holds in LINES (file_lines, deck_lines), which stays where it is — as does a line
    given as bytes that are the ones `previous` (the state a rebuild started from) records under its name (a
    comment edited, no question changed). Only a missed shortcut if it cannot be written."""
    recorded = {} if previous is None else {**{("files", n): line for n, line in file_lines(previous).items()},
                                            **{("deck_lines", n): line for n, line in deck_lines(previous).items()}}
    try:
        spans = _lines_written(root, {**{("files", n): line for n, line in files.items()},
                                      **{("deck_lines", n): line for n, line in deck.items()}}, recorded)
        path = root / PATH
        header = {**header, "format": FORMAT, "environment": _environment(root)}
        for table in ("files", "deck_lines"):
            header[table] = {name: list(span) for (kind, name), span in spans.items() if kind == table}
        data = json.dumps(header, separators=(",", ":")).encode() + b"\n"
        mac = userkey.mac(key)
        mac.update(data)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        try:
            with open_new(partial) as target:
                target.write(data + b"mac " + mac.hexdigest().encode() + b"\n")
            os.replace(partial, path)
        except OSError:
            unlink_quietly(partial)
            raise
    except OSError:
        forget(root)


def _lines_written(root: Path, files: dict[tuple[str, str], bytes | Line],
                   recorded: dict[tuple[str, str], Line]) -> dict[tuple[str, str], Line]:
    """Each file's line in LINES: the new ones appended to it, when the others are in it and they make up half
    of it at least; else LINES written anew, with every line (those kept read back, their digests checked). A
    new line with the digest of the one `recorded` under its name is that one, kept where it is."""
    path = root / LINES
    files = {name: recorded[name] if not isinstance(line, Line) and name in recorded
             and line_digest(line) == recorded[name].digest else line for name, line in files.items()}
    kept = sum(line.length + 1 for line in files.values() if isinstance(line, Line))
    new = sum(len(line) + 1 for line in files.values() if not isinstance(line, Line))
    if kept:
        appended = _appended(path, files, kept, new)
        if appended is not None:
            return appended
        kept_lines = {name: line for name, line in files.items() if isinstance(line, Line)}
        read_back = _read_lines(path, kept_lines)
        if len(read_back) != len(kept_lines):
            raise OSError("a line the state holds is not in its file")
        files = {name: read_back.get(name, line) for name, line in files.items()}
    spans, offset = {}, 0
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    try:
        with open_new(partial) as target:
            for name, line in files.items():
                target.write(line + b"\n")  # type: ignore[operator]
                spans[name] = Line(offset, len(line), line_digest(line))  # type: ignore[arg-type]
                offset += len(line) + 1  # type: ignore[arg-type]
        os.replace(partial, path)
    except OSError:
        unlink_quietly(partial)
        raise
    return spans


def _appended(path: Path, files: dict[tuple[str, str], bytes | Line], kept: int,
              new: int) -> dict[tuple[str, str], Line] | None:
    """The new lines appended to LINES, which holds the kept ones; None, with nothing written, when LINES is
    not a regular file of one link (newfile.open_append: a FIFO or a device is not even opened to write, a
    symlink is refused), or would be more than half lines no header points to."""
    try:
        target = open_append(path)
    except OSError:
        return None
    with target:
        info = os.fstat(target.fileno())
        if info.st_nlink != 1 or info.st_size + new > 2 * (kept + new):
            return None
        spans, offset, written = {}, info.st_size, bytearray()
        for name, line in files.items():
            if isinstance(line, Line):
                spans[name] = line
            else:
                spans[name] = Line(offset + len(written), len(line), line_digest(line))
                written += line + b"\n"
        target.write(written)
    return spans


def forget(root: Path) -> None:
    try:
        (root / PATH).unlink(missing_ok=True)
    except OSError:
        pass


def file_line(cards: list[CardFacts]) -> bytes:
    return json.dumps([card.to_json() for card in cards], separators=(",", ":"), ensure_ascii=False).encode()


def file_lines(state: State) -> dict[str, Line]:
    """Each card file's line as recorded, unread: where it is in LINES, and its digest."""
    return {name: Line(*span) for name, span in state.header["files"].items()}


def deck_lines(state: State) -> dict[str, Line]:
    """The deck-wide lines ("questions", "card_ids") as recorded, unread."""
    return {name: Line(*span) for name, span in state.header["deck_lines"].items()}


def outputs(root: Path, names: list[str]) -> dict[str, list] | None:
    """The outputs' stats, to recognise them next time; None when one is missing."""
    found = {name: stat_of(root / name) for name in names}
    if any(info is None for info in found.values()):
        return None
    return {name: list(info) for name, info in found.items()}  # type: ignore[arg-type]


def facts_of(card: Card, digest: str, note_id: int, anki_cards: int) -> CardFacts:
    """What the state keeps of `card` (its digest given: the memo has it), as lint sees it."""
    if card.kind is CardKind.QA:
        question, words = question_key(normalize(card.question)), word_count(card.answer)
    else:
        question, words = "", -1
    return CardFacts(card.id, digest, question, words, topic_roots(card.tags), note_id, anki_cards, card.renamed_from,
                     card.is_new)


class Report(NamedTuple):
    """What a build reports and a rebuild reports again: the deck's shape, unchanged by a rebuild."""

    subdecks: dict[str, int]
    notes: int
    anki_cards: int
    retired: tuple[str, ...]  # retired cards still in the deck
    card_ids: tuple[str, ...]  # every live card, sorted

    def to_header(self) -> dict:
        return {"subdecks": self.subdecks, "notes": self.notes, "anki_cards": self.anki_cards,
                "retired": list(self.retired)}

    def ids_line(self) -> bytes:
        return "\n".join(self.card_ids).encode("utf-8", "surrogatepass")

    @staticmethod
    def of(header: dict, ids_line: bytes) -> Report:
        ids = ids_line.decode("utf-8", "surrogatepass")
        return Report(header["subdecks"], header["notes"], header["anki_cards"], tuple(header["retired"]),
                      tuple(ids.split("\n")) if ids else ())


def held(root: Path, before: fastpath.Inputs | None, read: dict[str, str | None]) -> fastpath.Inputs | None:
    """The inputs as a build ends, if they are still what `before` (the snapshot taken before it read them)
    says, and are the very bytes it read (`read`, trust.reads_recorded); else None. If not, the build may have
    read a file as it was in between, and a state or memo vouching for `before` would ship that version after
    the file was changed back: nothing is recorded then (fastpath.record, given what this returns, stamps
    nothing either)."""
    now = fastpath.snapshot(root) if before is not None else None
    return now if now is not None and now.same(before) and fastpath.read_as_found(read, now.entries) else None


def record(root: Path, before: fastpath.Inputs | None, inputs_held: bool, files: dict[str, bytes | Line],
           totals: Totals, report: Report, source_names: list, note_types: dict[str, list], output: Path,
           previous: State | None = None, package_frame: Frame | None = None) -> None:
    """Record a build that shipped, if its inputs held (`held`): `before`, the snapshot taken before it read
    its inputs (a file changed since then is not the one its digest was taken of: fastpath reads it again),
    each card file's line (file_line, or a Line kept), the deck-wide totals, what it reports, and the outputs
    as it left them. `previous`: the state a rebuild started from, whose lines stay where they are when
    unchanged (write). `note_types`: as the build
    rendered them from the templates and settings `before` holds (memo.note_type_to_json), so that a rebuild,
    which changes neither, need not render them again. `output`: the package, relative to root.
    `package_frame`: what publish wrote around the package's database, as inplace.patch found it."""
    key = userkey.build_key(root)
    names = [LOCK_FILE, str(output), str(DATABASE)]
    found = outputs(root, names) if before is not None else None
    if key is None or found is None or not inputs_held:
        forget(root)
        return
    deck: dict[str, bytes | Line] = {"questions": totals.questions_line(), "card_ids": report.ids_line()}
    write(root, key, {"inputs": before.entries, "outputs": found, "output": output.name,
                      "source_names": source_names, "note_types": note_types,
                      **({"package_frame": package_frame.to_json()} if package_frame else {}),
                      **totals.to_header(), **report.to_header()}, files, deck, previous)


def sources_unchanged(previous: State | None, snapshot: fastpath.Inputs) -> bool:
    """Whether every file under sources/ is as `previous` recorded it (then so are the sources' names)."""
    if previous is None:
        return False
    recorded = {k: v for k, v in previous.header["inputs"].items() if k.startswith("sources/")}
    return recorded == {k: v for k, v in snapshot.entries.items() if k.startswith("sources/")}
