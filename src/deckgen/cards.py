"""Stage 1 — load the author's YAML (cards/) into located, typed records."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Callable, Collection

import yaml

from .diagnostics import Diagnostic, Location, Related, display_path, is_editor_file
from .fastpath import NESTED_CARD_FILES_LISTED
from .filenames import OUTPUT_HINT, output_problem
from .identity import NAMESPACE_HINT, namespace_problem, slug
from .model import (CARD_FIELDS, FILE_FIELDS, REMOVED_DECK_SUFFIX, Card, CardFile, CardKind, DeckSettings, Lexicon,
                    Project, SourceRef, shared_offsets)
from .textnorm import POLARITY, RELATIONS, WORD_CHAR, as_anki_keeps, is_negation, normalize, opposition
from .trust import NAME_HINT, math_html_problem, read_input, record_listing
from .written import quoted_as_written
from .yamlnodes import NodeReader, compose, decode_text

DECK_FILE = "deck.yaml"
SYNONYMS_FILE = "synonyms.yaml"
VOCABULARY_FILE = "vocabulary.yaml"
SPECIAL_FILES = {DECK_FILE, SYNONYMS_FILE, VOCABULARY_FILE}
# The same files named .yml, as a card file may be: never read as card files (a deck.yml was refused key by key
# as a card file, and the deck as having no settings), but read in place of the .yaml and refused by name.
SPECIAL_YML = {name[:-len(".yaml")] + ".yml": name for name in SPECIAL_FILES}
RESERVED_TAG_ROOT = "deckgen"  # deckgen::retired: a retired card (lock.RETIRED_TAG)

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ID_SUGGESTION = 80  # the length of an id an invalid one's hint suggests, at most
# A tag: letters and digits of any script (with their combining marks, as in words) and '-', nested with '::';
# lowercase, as Anki finds tags without regard to case. "важно", "टैग::भाग" as well as "bees::castes".
_TAG_PART = rf"[^\W_](?:{WORD_CHAR}|-)*"
TAG_PATTERN = re.compile(f"{_TAG_PART}(?:::{_TAG_PART})*")
CLOZE_PATTERN = re.compile(r"\{\{c(\d+)::((?:(?!::|\}\}|\{\{).)+?)(?:::((?:(?!\}\}|\{\{).)*?))?\}\}", re.S)

DECK_KEYS = ("title", "description", "output")
DECK_KEY_HINTS = {  # what to write for a key deck.yaml lacks
    "title": "add 'title: ...', the name of the deck in Anki",
    "description": "add 'description: ...', shown by Anki under the deck's name",
    "output": "add 'output: <name>.apkg', the file the build writes under build/",
}
OPTIONAL_DECK_KEYS = ("namespace",)
VOCABULARY_KEYS = ("kinds", "frame")
FILE_KEYS = ("deck", "tags", "cards")
# Anki puts a deck's name into a card as it is, as HTML ({{Deck}}, {{Subdeck}}, and the title in {{Type}}): a '<'
# there would be a tag no check saw (`deck: "<img src=x onerror=…>"`).
DECK_NAME_HINT = "Anki shows a deck's name in a card as HTML ({{Deck}}, {{Subdeck}}): write it without '<'"
MAX_FIELD_CHARS = 5_000  # the longest field of the calcinosis deck is 229 characters
SOURCE_KEYS = ("doc", "quote")


# Given a topic file's path (as shown) and text, the CardFile an earlier build read from exactly that, if any.
ReadBefore = Callable[[str, str], "CardFile | None"]


def is_card_file(name: str) -> bool:
    """Whether a file of that name directly in cards/ holds cards (not the deck's settings or vocabulary)."""
    return (name.endswith((".yaml", ".yml")) and name not in SPECIAL_FILES and name not in SPECIAL_YML
            and not is_editor_file(name))


def load_project(root: Path, read_before: ReadBefore | None = None, only: Collection[str] | None = None
                 ) -> tuple[Project | None, list[Diagnostic]]:
    """Read cards/deck.yaml, cards/synonyms.yaml and every other cards/*.yaml topic file.

    `read_before` (a build's memo) may supply a topic file's cards instead of its YAML being read.
    `only`: read just these topic files (as display paths; a delta rebuild's changed files).
    """
    cards_dir = root / "cards"
    diagnostics: list[Diagnostic] = []
    if not cards_dir.is_dir():
        nothing = not os.path.isdir(root / "sources") and not os.path.lexists(root / "deck.lock")
        return None, [Diagnostic(Location(display_path(cards_dir, root)), "no cards/ folder",
                                 f"{os.path.abspath(root)} is no deckgen project: run deckgen in "
                                 "one (or a folder inside it), pass --project DIR, or make one with 'deckgen init DIR'"
                                 if nothing else "run deckgen from the project root, or pass --project")]
    settings = _load_settings(root, _special_file(root, cards_dir, DECK_FILE, diagnostics), diagnostics)
    synonyms = _load_synonyms(root, _special_file(root, cards_dir, SYNONYMS_FILE, diagnostics), diagnostics)
    lexicon = _load_lexicon(root, _special_file(root, cards_dir, VOCABULARY_FILE, diagnostics), diagnostics)
    files = []
    topic_paths = sorted(p for pattern in ("*.yaml", "*.yml") for p in cards_dir.glob(pattern) if is_card_file(p.name))
    if only is not None:
        topic_paths = [path for path in topic_paths if display_path(path, root) in only]
    if not topic_paths:
        diagnostics.append(Diagnostic(Location(display_path(cards_dir, root)), "no card files (cards/<topic>.yaml)",
                                      "write one: 'deck:' (its subdeck) and 'cards:', a list of cards, each with "
                                      "id, question and answer (or cloze) and sources (README: The card format)"))
    if only is None:
        diagnostics += [_not_read(root, path) for path in _nested_card_files(cards_dir)]
    for path in topic_paths:
        card_file = _load_card_file(root, path, diagnostics, read_before)
        if card_file is not None:
            files.append(card_file)
    _check_unique_ids(files, diagnostics)
    _check_deck_names(files, diagnostics)
    if settings is None:
        return None, diagnostics
    return Project(settings, tuple(files), synonyms, lexicon), diagnostics


_DELETION_MARK = re.compile(r"\{\{c\d+::|\}\}")


def _nested_deletion(cloze: str) -> re.Match[str] | None:
    """The first deletion that opens inside another ("{{c1::Kar{{c2::amzin}}}}"), or None: the gate would read
    the outer one's start as words of the text ("c1", "kar")."""
    depth = 0
    for mark in _DELETION_MARK.finditer(cloze) if "{{" in cloze else ():
        if mark.group() == "}}":
            depth = max(0, depth - 1)
        elif depth:
            return mark
        else:
            depth = 1
    return None


def _special_file(root: Path, cards_dir: Path, name: str, diagnostics: list[Diagnostic]) -> Path:
    """cards/<name>, or the same file named .yml when there is no <name>: read, so that nothing else is reported
    of it, and refused by its name."""
    path, yml = cards_dir / name, cards_dir / (name[:-len(".yaml")] + ".yml")
    if not os.path.lexists(yml):
        return path
    shown = display_path(yml, root)
    if os.path.lexists(path):
        diagnostics.append(Diagnostic(Location(shown), f"not read: {display_path(path, root)} is read instead",
                                      "keep one of the two files, named " + name))
        return path
    diagnostics.append(Diagnostic(Location(shown), f"must be named {name}, not {yml.name}",
                                  f"rename it {display_path(path, root)}: deckgen reads it by that name only"))
    return yml


def _nested_card_files(cards_dir: Path) -> list[Path]:
    """The YAML files in folders under cards/ (not hidden ones): a build reads only cards/ itself, so their cards
    would leave the deck without a word, retired with their reviews."""
    found = []
    with os.scandir(cards_dir) as entries:  # the folders only: cards/ itself may hold thousands of files
        folders = sorted(entry.path for entry in entries if entry.is_dir() and not is_editor_file(entry.name))
    for folder in folders:
        for parent, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if not is_editor_file(d))
            found += [Path(parent, name) for name in sorted(files) if name.endswith((".yaml", ".yml"))
                      and not is_editor_file(name)]
    record_listing(NESTED_CARD_FILES_LISTED, (f"cards/{path.relative_to(cards_dir).as_posix()}" for path in found))
    return found


def _not_read(root: Path, path: Path) -> Diagnostic:
    return Diagnostic(Location(display_path(path, root)), "a card file in a folder under cards/ is not read",
                      "move it into cards/ itself (its 'deck:' line names its subdeck), or keep it outside cards/: "
                      "deckgen reads only cards/*.yaml")


def _read(root: Path, path: Path, diagnostics: list[Diagnostic]) -> tuple[str, yaml.Node | None]:
    shown, text = _read_text(root, path, diagnostics)
    if text is None:
        return shown, None
    node, problems = compose(shown, text)
    diagnostics.extend(problems)
    return shown, node


def _read_text(root: Path, path: Path, diagnostics: list[Diagnostic]) -> tuple[str, str | None]:
    shown = display_path(path, root)
    try:
        raw = read_input(path, root)  # a regular file inside the project, or OSError
    except OSError as exc:
        diagnostics.append(Diagnostic(Location(shown), f"cannot read file: {exc.strerror}"))
        return shown, None
    text, problems = decode_text(shown, raw)
    diagnostics.extend(problems)
    return shown, text


def _load_settings(root: Path, path: Path, diagnostics: list[Diagnostic]) -> DeckSettings | None:
    if not path.exists():
        diagnostics.append(Diagnostic(Location(display_path(path, root)), "missing deck settings file",
                                      "create cards/deck.yaml with title, description and output"))
        return None
    shown, node = _read(root, path, diagnostics)
    if node is None:
        return None
    reader = NodeReader(shown, diagnostics)
    keys = reader.mapping(node, "deck.yaml", DECK_KEYS + OPTIONAL_DECK_KEYS)
    values: dict[str, str] = {}
    for key in DECK_KEYS:
        if key not in keys:
            reader.missing(node, key, f"deck.yaml is missing '{key}'", DECK_KEY_HINTS[key])
            continue
        value = reader.text(keys[key][1], f"'{key}'")
        if value is not None:
            values[key] = value
    output = values.get("output")
    output_wrong = output_problem(output) if output is not None else None
    if output_wrong:
        reader.error(keys["output"][1], output_wrong, OUTPUT_HINT)
    if len(values) < len(DECK_KEYS) or output_wrong:
        return None
    if "::" in values["title"]:
        reader.error(keys["title"][1], "title must not contain '::' (it is the parent deck)")
        return None
    if "<" in values["title"]:
        reader.error(keys["title"][1], "title must not contain '<'", DECK_NAME_HINT)
        return None
    if math := math_html_problem(values["title"]):
        reader.error(keys["title"][1], f"title holds {math}", NAME_HINT)
        return None
    if values["title"].endswith(REMOVED_DECK_SUFFIX):
        reader.error(keys["title"][1], f"title must not end with '{REMOVED_DECK_SUFFIX.strip()}'",
                     "that is the name of the deck another deck's retired cards ship in")
        return None
    namespace = ""
    if "namespace" in keys:
        namespace = reader.text(keys["namespace"][1], "'namespace'") or ""
        problem = namespace_problem(namespace)
        if problem:
            reader.error(keys["namespace"][1], problem, NAMESPACE_HINT)
            return None
    return DeckSettings(as_anki_keeps(values["title"]), values["description"], values["output"], reader.loc(node),
                        namespace, reader.loc(keys["namespace"][1]) if namespace else None)


def _load_synonyms(root: Path, path: Path, diagnostics: list[Diagnostic]) -> tuple[tuple[str, ...], ...]:
    if not path.exists():
        return ()
    shown, node = _read(root, path, diagnostics)
    if node is None:
        return ()
    reader = NodeReader(shown, diagnostics)
    groups = []
    for group_node in reader.sequence(node, "synonyms.yaml"):
        written = tuple(term for term, _ in reader.text_list(group_node, "a synonym group"))
        terms = tuple(term.lower() for term in written)
        if len(terms) < 2:
            reader.error(group_node, "a synonym group needs at least two terms")
            continue
        opposed = [why for i, a in enumerate(terms) for b in terms[i + 1:] if (why := opposition(a, b))]
        if opposed:  # the words it names as the file writes them (opposition names their normal forms)
            why = quoted_as_written(opposed[0], written, mark="'")
            reader.error(group_node, f"a synonym group may not join opposites: {why}",
                         "a synonym group says its terms mean the same; list opposites in no group")
            continue
        groups.append(terms)
    return tuple(groups)


def _load_lexicon(root: Path, path: Path, diagnostics: list[Diagnostic]) -> Lexicon:
    """cards/vocabulary.yaml: `kinds` (kind name -> its decisive terms) and `frame` (words that claim nothing)."""
    if not path.exists():
        return Lexicon()
    shown, node = _read(root, path, diagnostics)
    if node is None:
        return Lexicon()
    reader = NodeReader(shown, diagnostics)
    keys = reader.mapping(node, "vocabulary.yaml", VOCABULARY_KEYS)
    kinds: list[tuple[str, tuple[str, ...]]] = []
    kind_of: dict[str, str] = {}
    for kind, (kind_node, terms_node) in reader.mapping(keys["kinds"][1], "'kinds'", None).items() \
            if "kinds" in keys else ():
        terms = []
        for written, term_node in reader.text_list(terms_node, f"kind '{kind}'"):
            term = normalize(written)
            if term in kind_of:
                reader.error(term_node, f"'{written}' is already a term of kind '{kind_of[term]}'",
                             "a term belongs to one kind")
                continue
            kind_of[term] = kind
            terms.append(term)
        if terms:
            kinds.append((kind, tuple(terms)))
    frame = []
    kind_words = {word for term in kind_of for word in term.split()}
    for written, word_node in reader.text_list(keys["frame"][1], "'frame'") if "frame" in keys else ():
        word = normalize(written)
        if len(word.split()) != 1:
            reader.error(word_node, f"frame word '{written}' must be one word")
        elif is_negation(word) or word in POLARITY or word in RELATIONS or word in kind_words:
            reader.error(word_node, f"'{written}' cannot be a frame word: it is a negation, a polarity word, a word "
                                    "of order or part of a decisive term",
                         "frame words are the few words that claim nothing")
        else:
            frame.append(word)
    return Lexicon(tuple(kinds), tuple(frame))


def _load_card_file(root: Path, path: Path, diagnostics: list[Diagnostic],
                    read_before: ReadBefore | None) -> CardFile | None:
    shown, text = _read_text(root, path, diagnostics)
    if text is None:
        return None
    if read_before is not None and (known := read_before(shown, text)) is not None:
        return known
    node, problems = compose(shown, text)
    diagnostics.extend(problems)
    if node is None:
        return None
    reader = NodeReader(shown, diagnostics)
    keys = reader.mapping(node, "a card file", FILE_KEYS)
    if not keys and not isinstance(node, yaml.MappingNode):
        return None
    deck = None
    if "deck" not in keys:
        reader.missing(node, "deck", "card file is missing 'deck' (the subdeck name)",
                       f"add e.g. 'deck: {_subdeck_from(path.stem)}'")
    else:
        deck = reader.text(keys["deck"][1], "'deck'")
        if deck is not None and any(not part.strip() for part in deck.split("::")):
            reader.error(keys["deck"][1], f"deck name '{deck}' has an empty part")
            deck = None
        elif deck is not None and "<" in deck:
            reader.error(keys["deck"][1], f"deck name '{deck}' must not contain '<'", DECK_NAME_HINT)
            deck = None
        elif deck is not None and (math := math_html_problem(deck)):
            reader.error(keys["deck"][1], f"deck name '{deck}' holds {math}", NAME_HINT)
            deck = None
    file_tags = _tags(reader, keys["tags"][1]) if "tags" in keys else ()
    if "cards" not in keys:
        reader.missing(node, "cards", "card file is missing 'cards' (the list of cards)")
        return None
    entries = reader.sequence(keys["cards"][1], "'cards'",
                              "'  - id: ...' on a line of its own, then question, answer and sources under 'id'")
    if not entries and isinstance(keys["cards"][1], yaml.SequenceNode):
        reader.error(keys["cards"][1], "'cards' is an empty list", "add a card under it, or delete the file")
    cards = []
    for entry in entries:
        card = _load_card(reader, entry, deck or "", file_tags)
        if card is not None:
            cards.append(card)
    if deck is None:
        return None
    return CardFile(shown, deck, file_tags, tuple(cards), reader.loc(node),
                    _offsets(node, [keys[name][1] if name in keys else None for name in FILE_FIELDS]))


def _tags(reader: NodeReader, node: yaml.Node) -> tuple[str, ...]:
    tags = []
    for written, tag_node in reader.text_list(node, "'tags'"):
        tag = as_anki_keeps(written)  # composed (NFC), as Anki keeps a tag it imports
        if not TAG_PATTERN.fullmatch(tag) or tag != tag.lower():
            reader.error(tag_node, f"tag '{written}' is not valid",
                         "use lowercase words of letters (of any script), digits and '-', nested with '::' "
                         "(e.g. bees::castes), no spaces")
        elif tag.split("::", 1)[0] == RESERVED_TAG_ROOT:
            reader.error(tag_node, f"tag '{tag}' is deckgen's own",
                         f"tags under '{RESERVED_TAG_ROOT}::' are given by deckgen (deckgen::retired marks a card "
                         "that left the deck): choose another tag")
        else:
            tags.append(tag)
    return tuple(dict.fromkeys(tags))  # each once, in order: linear, however many tags


def _load_card(reader: NodeReader, node: yaml.Node, deck: str, file_tags: tuple[str, ...]) -> Card | None:
    errors_before = len(reader.diagnostics)  # before the keys: a misspelt key also keeps the card out
    keys = reader.mapping(node, "a card", CARD_FIELDS)
    if not keys:
        return None

    card_id = _identifier(reader, keys, "id", node, required=True)
    renamed_from = _identifier(reader, keys, "renamed_from", node, required=False) or ""
    is_new = _new_flag(reader, keys["new"][1]) if "new" in keys else False
    fields = {name: _bounded(reader, keys, name, reader.text(keys[name][1], f"'{name}'")) if name in keys else ""
              for name in ("question", "answer", "cloze")}
    extra = _bounded(reader, keys, "extra", reader.text(keys["extra"][1], "'extra'", allow_empty=True)) \
        if "extra" in keys else ""

    kind = CardKind.CLOZE if "cloze" in keys else CardKind.QA
    if kind is CardKind.CLOZE:
        for name in ("question", "answer"):
            if name in keys:
                reader.error(keys[name][0], f"a card with 'cloze' cannot also have '{name}'",
                             "a card is question+answer, or cloze: keep one of them")
        if fields["cloze"] and not CLOZE_PATTERN.search(fields["cloze"]):
            reader.error(keys["cloze"][1], "cloze text has no deletion", "mark deletions like {{c1::text}}")
        nested = _nested_deletion(fields["cloze"])
        if nested is not None:
            reader.error(keys["cloze"][1], f"the deletion {nested.group()}… at character {nested.start() + 1} is "
                         "inside another deletion", "deckgen checks no nested deletions: put them side by side, or "
                         "make two cards")
    else:
        absent = [name for name in ("question", "answer")
                  if name not in keys and not reader.reported(node, name) and not reader.reported(node, "cloze")]
        if len(absent) == 2:  # one problem, not two: nothing says what kind of card it is
            reader.missing(node, "question", "card has neither 'question' and 'answer' nor 'cloze'",
                           "a card needs question and answer, or cloze")
        for name in absent if len(absent) == 1 else ():
            reader.missing(node, name, f"card is missing '{name}'", "a card needs question and answer, or cloze")

    tags = list(file_tags)
    if "tags" in keys:
        tags = list(dict.fromkeys(tags + list(_tags(reader, keys["tags"][1]))))

    sources: list[SourceRef] = []
    if "sources" not in keys:
        reader.missing(node, "sources", "card is missing 'sources'",
                       "cite at least one passage: sources: [{doc: ..., quote: ...}]")
    else:
        entries = reader.sequence(keys["sources"][1], "'sources'",
                                  "'  - doc: ...' on a line of its own, then 'quote: \"...\"' under 'doc'")
        if not entries and isinstance(keys["sources"][1], yaml.SequenceNode):
            reader.error(keys["sources"][1], "'sources' is empty", "cite at least one passage")
        for entry in entries:
            ref = _source_ref(reader, entry)
            if ref is not None:
                sources.append(ref)

    if len(reader.diagnostics) > errors_before or card_id is None:
        return None
    return Card(
        id=card_id, kind=kind, deck=deck,
        question=fields["question"], answer=fields["answer"], cloze=fields["cloze"], extra=extra,
        tags=tuple(tags), sources=tuple(sources), renamed_from=renamed_from,
        location=reader.loc(node),
        field_offsets=_offsets(node, [keys[name][1] if name in keys else None for name in CARD_FIELDS]),
        is_new=is_new,
    )


NEW_VALUES = {"true": True, "false": False}


def _new_flag(reader: NodeReader, node: yaml.Node) -> bool:
    """`new: true` (or false): whether a card that looks like a deleted one is really new."""
    value = reader.text(node, "'new'")
    if value is not None and value not in NEW_VALUES:
        reader.error(node, f"'new' must be true or false, not '{value}'",
                     "write 'new: true' on a card that looks like one that left the deck but is not it")
    return NEW_VALUES.get(value or "", False)


def _offsets(entry: yaml.Node, values: list[yaml.Node | None]) -> tuple[int, ...]:
    """(lines below the entry's start, column) of each key's value node; (-1, -1) for a missing key."""
    top = entry.start_mark.line
    offsets: list[int] = []
    for value in values:
        offsets += (-1, -1) if value is None else (value.start_mark.line - top, value.start_mark.column + 1)
    return shared_offsets(tuple(offsets))


def _subdeck_from(stem: str) -> str:
    """A subdeck name for a card file that gives none, from its name: "yeast-basics" -> "Yeast basics"."""
    words = " ".join(re.split(r"[-_\s]+", stem)).strip()
    return (words[:1].upper() + words[1:]) or "Topic"


def _identifier(reader: NodeReader, keys: dict, name: str, node: yaml.Node, *, required: bool) -> str | None:
    if name not in keys:
        if required:
            reader.missing(node, name, f"card is missing '{name}'",
                           "give every card a stable id: lowercase words joined by '-', like 'bees-waggle-dance'")
        return None
    value = reader.text(keys[name][1], f"'{name}'")
    if value is not None and not ID_PATTERN.match(value):
        suggestion = slug(value, MAX_ID_SUGGESTION) if name == "id" else ""
        reader.error(keys[name][1], f"{name} '{value}' is not valid",
                     "use lowercase a-z, 0-9 and single '-' between words"
                     + (f": '{suggestion}'" if suggestion else ""))
        return None
    return value


def _source_ref(reader: NodeReader, node: yaml.Node) -> SourceRef | None:
    keys = reader.mapping(node, "a source", SOURCE_KEYS)
    if not keys:
        return None
    values = {}
    for name in SOURCE_KEYS:
        if name not in keys:
            reader.missing(node, name, f"source is missing '{name}'",
                           "a citation is '- doc: <its file in sources/, without .md>' and, under it, 'quote: \"...\"'")
            continue
        value = reader.text(keys[name][1], f"'{name}'")
        values[name] = _bounded(reader, keys, name, value) or None if name == "quote" else value
    if values.get("doc") is None or values.get("quote") is None:
        return None
    offsets = _offsets(node, [keys["doc"][1], keys["quote"][1]])
    return SourceRef(sys.intern(values["doc"]), values["quote"], reader.loc(node), offsets)  # one string per document


def _bounded(reader: NodeReader, keys: dict, name: str, value: str | None) -> str:
    """A card's text, refused past MAX_FIELD_CHARS: one fact per card, and no input that makes checking slow."""
    if value is not None and len(value) > MAX_FIELD_CHARS:
        reader.error(keys[name][1], f"'{name}' is {len(value):,} characters long, over the {MAX_FIELD_CHARS:,} limit",
                     "a card holds one fact; split it into several cards")
        return ""
    return value or ""


def _check_deck_names(files: list[CardFile], diagnostics: list[Diagnostic]) -> None:
    """Subdecks whose names differ only in case ("8 Serbian", "8 serbian"; or a parent of one, "A::x" and
    "a::y"): Anki's deck names ignore case, so it took them for one name and imported one as "8 Serbian_"."""
    first_seen: dict[str, tuple[str, CardFile]] = {}
    for card_file in files:
        parts = as_anki_keeps(card_file.deck).split("::")
        for end in range(1, len(parts) + 1):
            name = "::".join(parts[:end])
            earlier, where = first_seen.setdefault(name.casefold(), (name, card_file))
            if earlier != name:
                diagnostics.append(Diagnostic(card_file.locate("deck"), f"subdeck '{name}' differs from '{earlier}' of "
                                              f"{where.path} only in case: Anki takes them for one deck name and "
                                              "imports one of them with '_' appended",
                                              f"write it '{earlier}', as {where.path} does, or name another subdeck"))
                break


def _check_unique_ids(files: list[CardFile], diagnostics: list[Diagnostic]) -> None:
    first_seen: dict[str, Card] = {}
    for card in (c for f in files for c in f.cards):
        earlier = first_seen.setdefault(card.id, card)
        if earlier is not card:
            first = Related(earlier.locate("id"), f"'{card.id}' is first defined here")
            diagnostics.append(Diagnostic(card.locate("id"), f"duplicate card id '{card.id}'",
                                          "ids must be unique across the deck: the card built with this id keeps it, "
                                          "the other takes a new one", related=(first,)))
