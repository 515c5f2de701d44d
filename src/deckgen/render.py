"""Stage 5 — render note types and notes through the Jinja templates in templates/.

A template is looked up in the project's templates/ first, then among deckgen's default templates
(DEFAULT_TEMPLATES, shipped inside the package): a project overrides the defaults file by file, and a
project without templates/ builds with the defaults alone.

Every template uses [[ ... ]] / [% ... %] / [# ... #] as Jinja delimiters so that Anki's own
{{Field}}, {{#Field}} and {{cloze:Field}} syntax passes through untouched. Undefined variables are
errors (StrictUndefined) and every template error names the template file and line.
"""

from __future__ import annotations

import bisect
import difflib
import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, NamedTuple

import jinja2
import yaml
from jinja2.loaders import split_template_path
from jinja2.runtime import Macro

from .diagnostics import Diagnostic, Location, display_path, is_editor_file
from .markup import to_html
from .model import Card, CardKind, DeckSettings
from .cards import CLOZE_PATTERN
from .textnorm import ONE_FOR_ONE, as_anki_keeps, char_pattern, normalize, quote_pieces, tokens, word_spans
from .memorylimit import message as memory_message, template_memory
from .sandbox import TemplateSandbox
from .tables import is_row, shown_cells
from .templatecode import CompiledTemplates
from .trust import (AV_HINT, CLOZE_NUMBER, CONTROL_HINT, MATH_HINT, NAME_HINT, NO_SCRIPTS_HINT, cloze_av_problem,
                    control_problem, math_html_problem, neutralise_av, read_input, record_read,
                    rendered_markup_problems, shown_name_problem, stored_html_problems)
from .trace import Support
from .sources import Unit
from .written import normal_with_origin
from .yamlnodes import NodeReader, compose, decode_text

NOTETYPES_FILE = "notetypes.yaml"
DEFAULT_TEMPLATES = Path(__file__).resolve().parent / "default_templates"
SOURCES_FIELD_TEMPLATE = "fields/sources.html"
RETIRED_NOTICE_TEMPLATE = "fields/retired_notice.html"
REMOVED_DECK_DESCRIPTION_TEMPLATE = "decks/removed_description.txt"  # the description of DeckSettings.removed_deck
SOURCES_MACRO = "sources"  # [% macro sources(citations) %] in SOURCES_FIELD_TEMPLATE
KNOWN_FIELDS = ("Question", "Answer", "Text", "Extra", "Sources", "CardId")
_CARD_KEYS = {"Question": "question", "Answer": "answer", "Text": "cloze", "Extra": "extra"}  # field -> card key
REQUIRED_FIELDS = {"qa": ("Question", "Answer", "Sources", "CardId"), "cloze": ("Text", "Sources", "CardId")}
NOTETYPE_KEYS = ("name", "version", "fields", "sort_field", "templates", "css")
CARD_TEMPLATE_KEYS = ("name", "front", "back")
# A cloze's citation whose quoted sentences match the cloze's own words this closely (difflib's ratio of
# the two word sequences) would only repeat the card on its back: it is shown as its source's caption.
# A cloze made from its sentence, a word or two changed, scores above it; one drawn from a longer passage,
# or worded differently, below (in the deck: 1.00 against 0.73 and less).
REPEAT_RATIO = 0.8
_WORD = re.compile(r"\w+")


class CardTemplate(NamedTuple):
    name: str
    front: str  # Anki qfmt, after Jinja
    back: str  # Anki afmt, after Jinja


class NoteType(NamedTuple):
    key: str  # "qa" or "cloze"
    name: str
    version: int
    fields: tuple[str, ...]
    sort_field: int
    templates: tuple[CardTemplate, ...]
    css: str
    location: Location

    @property
    def content_hash(self) -> str:
        payload = json.dumps([self.name, self.version, self.fields, self.sort_field,
                              [(t.name, t.front, t.back) for t in self.templates], self.css])
        return hashlib.sha256(payload.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Note:
    card: Card
    note_type: str
    deck: str  # full deck name, "Calcinosis Cutis::Types"
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    # field_digests(fields) and content_hash(...) of this note, what deck.lock holds of it: made from the
    # note when not given (the memo gives them with a note it decoded once, see memo._DecodedEntries)
    digests: str = field(default="", compare=False)
    content_hash: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.digests:
            object.__setattr__(self, "digests", field_digests(self.fields))
        if not self.content_hash:
            object.__setattr__(self, "content_hash", content_hash(self.note_type, self.deck, self.digests, self.tags))


def field_digests(fields: tuple[str, ...]) -> str:
    """Each field's sha256, its first 16 hex digits, joined by spaces: what deck.lock keeps of a live card's
    fields besides their text (which it reads only when a step needs it), so that it can tell which field
    changed and check stored text against the entry."""
    return " ".join([hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:16] for value in fields])


def content_hash(note_type: str, deck: str, digests: str, tags: tuple[str, ...]) -> str:
    """sha256 of json.dumps([note_type, deck, digests, tags]), its first 16 hex digits: a note's content,
    computable from a lean deck.lock entry (its field digests rather than its fields)."""
    payload = json.dumps([note_type, deck, digests, list(tags)])
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


class ProjectTemplates(jinja2.BaseLoader):
    """The project's templates/, each file read as every input is (trust.read_input): a symlink out of the
    project, a FIFO, a device or a folder where a template is looked for is refused by name, where Jinja's
    FileSystemLoader would follow the link, or pass over the rest to the default of the same name."""

    def __init__(self, templates_dir: Path):
        self.templates_dir = templates_dir

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = self.templates_dir.joinpath(*split_template_path(template))
        root = self.templates_dir.parent
        if not os.path.lexists(path):  # (a dangling link or FIFO for a folder on the way: template_problems)
            record_read(Path(os.path.relpath(path, root)).as_posix(), None)  # the build used the default
            raise jinja2.TemplateNotFound(template)  # the default of that name, if there is one
        try:
            text = read_input(path, root).decode("utf-8")
            changed_at = os.stat(path).st_mtime_ns
        except OSError as exc:
            raise jinja2.TemplateError(f"cannot read {display_path(path, root)}: {exc.strerror}") from None

        def unchanged() -> bool:
            try:
                return os.stat(path).st_mtime_ns == changed_at
            except OSError:
                return False
        return text, str(path), unchanged


def environment(templates_dir: Path, *, autoescape: bool,
                compiled: CompiledTemplates | None = None) -> jinja2.Environment:
    """Jinja's sandbox: templates are project input, not trusted code (see sandbox.py).

    Each name is looked up under `templates_dir` (ProjectTemplates), then among the defaults
    (DEFAULT_TEMPLATES). `compiled`: where the templates' compiled code is kept between builds
    (templatecode.py), or None to compile every template."""
    return TemplateSandbox(
        bytecode_cache=compiled,
        records=(Citation, QuotePart, QuotedRow),
        loader=jinja2.ChoiceLoader([ProjectTemplates(templates_dir),
                                    jinja2.FileSystemLoader(str(DEFAULT_TEMPLATES))]),
        undefined=jinja2.StrictUndefined,
        autoescape=autoescape,
        block_start_string="[%", block_end_string="%]",
        variable_start_string="[[", variable_end_string="]]",
        comment_start_string="[#", comment_end_string="#]",
        keep_trailing_newline=True,
    )


class Renderer:
    """Holds the compiled templates for one build; each template is compiled once."""

    def __init__(self, root: Path, settings: DeckSettings, *, keep_compiled: bool = False):
        """`keep_compiled`: a build's renderer, which takes the templates' compiled code from build/ and
        leaves it there for the next build (templatecode.py); `check` and `--fresh` compile every template."""
        template_memory.reset()  # a build's renderer: what the templates of earlier ones kept is let go with them
        self.root = root
        self.templates_dir = root / "templates"
        self.settings = settings
        self.layout_env, self.field_env = (
            environment(self.templates_dir, autoescape=escapes,
                        compiled=CompiledTemplates.for_build(root, autoescape=escapes) if keep_compiled else None)
            for escapes in (False, True))
        self.diagnostics: list[Diagnostic] = []
        self._sources_template: jinja2.Template | None = None
        self._sources_macro: Callable[[list[Citation]], str] | None = None  # see _load_sources_field
        self._clean_tags: set[str] = set()  # tags of rendered Sources fields found clean (trust.rendered_markup_problems)
        self._reported: set[str] = set()  # what a rendered Sources field was found to hold, reported once
        self._out_of_memory = False  # whether the Sources field's template ran out of its memory, reported once

    # --- note types ---------------------------------------------------------------------------
    def note_types(self) -> dict[str, NoteType]:
        path = self.templates_dir / NOTETYPES_FILE
        own = os.path.lexists(path)  # else the default note types
        if not own:
            record_read(Path(os.path.relpath(path, self.root)).as_posix(), None)
        shown = display_path(path, self.root) if own else DEFAULT_SHOWN + NOTETYPES_FILE
        try:
            raw = read_input(path, self.root) if own else default_template_bytes(NOTETYPES_FILE)
        except OSError as exc:
            self.diagnostics.append(Diagnostic(Location(shown), f"cannot read note types: {exc.strerror}"))
            return {}
        text, problems = decode_text(shown, raw)
        node, more = compose(shown, text) if text is not None else (None, [])
        self.diagnostics.extend(problems + more)
        if node is None:
            return {}
        reader = NodeReader(shown, self.diagnostics)
        result = {}
        for key, (key_node, value) in reader.mapping(node, NOTETYPES_FILE, ("qa", "cloze")).items():
            note_type = self._note_type(reader, key, value)
            if note_type is not None:
                result[key] = note_type
        for key in ("qa", "cloze"):
            if key not in result and not self.diagnostics:
                reader.error(node, f"{NOTETYPES_FILE} is missing the '{key}' note type")
        return result

    def _note_type(self, reader: NodeReader, key: str, node: yaml.Node) -> NoteType | None:
        keys = reader.mapping(node, f"note type '{key}'", NOTETYPE_KEYS)
        missing = [k for k in NOTETYPE_KEYS if k not in keys]
        for name in missing:
            if not reader.reported(node, name):  # written twice: that is its one message
                reader.error(node, f"note type '{key}' is missing '{name}'")
        if missing:
            return None
        name = self.layout_text(reader.text(keys["name"][1], "'name'"), reader.loc(keys["name"][1]))
        name = _shown_name(reader, keys["name"][1], f"the name of note type '{key}'", name)
        version_text = reader.text(keys["version"][1], "'version'")
        if version_text is None or not version_text.isdigit() or int(version_text) < 1:
            reader.error(keys["version"][1], "'version' must be a whole number from 1 up")
            return None
        fields = [f for f, _ in reader.text_list(keys["fields"][1], "'fields'")]
        for field_name, field_node in zip(fields, reader_nodes(keys["fields"][1])):
            if field_name not in KNOWN_FIELDS:
                reader.error(field_node, f"unknown field '{field_name}'", "known fields: " + ", ".join(KNOWN_FIELDS))
        for required in REQUIRED_FIELDS[key]:
            if required not in fields:
                reader.error(keys["fields"][1], f"note type '{key}' needs the field '{required}'")
        sort_field = reader.text(keys["sort_field"][1], "'sort_field'")
        if sort_field not in fields:
            reader.error(keys["sort_field"][1], f"sort_field '{sort_field}' is not one of the fields")
            return None
        templates = []
        for entry in reader.sequence(keys["templates"][1], "'templates'"):
            tkeys = reader.mapping(entry, "a card template", CARD_TEMPLATE_KEYS)
            if set(tkeys) != set(CARD_TEMPLATE_KEYS):
                if any(k not in tkeys and not reader.reported(entry, k) for k in CARD_TEMPLATE_KEYS):
                    reader.error(entry, "a card template needs name, front and back")
                continue
            front = self.layout(reader.text(tkeys["front"][1], "'front'") or "", reader.loc(tkeys["front"][1]))
            back = self.layout(reader.text(tkeys["back"][1], "'back'") or "", reader.loc(tkeys["back"][1]))
            template_name = reader.text(tkeys["name"][1], "'name'") or "Card"
            _shown_name(reader, tkeys["name"][1], "the name of a card template", template_name)
            templates.append(CardTemplate(template_name, front, back))
        css = self.layout(reader.text(keys["css"][1], "'css'") or "", reader.loc(keys["css"][1]))
        if not templates or name is None:
            return None
        return NoteType(key, name, int(version_text), tuple(fields), fields.index(sort_field),
                        tuple(templates), css, reader.loc(node))

    def layout_text(self, text: str | None, at: Location) -> str | None:
        """A value of notetypes.yaml (a note type's name) rendered as a template with the deck settings."""
        if text is None or "[" not in text:
            return text
        try:
            return self.layout_env.from_string(text).render(deck=self.settings)
        except Exception as exc:  # a Jinja error, or the template's own code failing
            self.diagnostics.append(Diagnostic(at, f"template error: {_error_message(exc)}",
                                               "deckgen templates use [[ var ]], [% tag %] and [# comment #]"))
            return None

    def layout(self, template_name: str, referenced_at: Location) -> str:
        """Render a note-type template (front, back or stylesheet) with the deck settings."""
        return self._render(self.layout_env, template_name, {"deck": self.settings}, referenced_at)

    # --- notes --------------------------------------------------------------------------------
    def note(self, card: Card, supports: tuple[Support, ...], note_type: NoteType) -> Note:
        values = {
            "Question": to_html(card.question),
            "Answer": to_html(card.answer),
            "Text": to_html(card.cloze),
            "Extra": to_html(card.extra) if card.extra else "",
            "Sources": self.citations(supports, cloze_words(card)),
            "CardId": card.id,
        }
        docs = sorted({s.doc.id for s in supports})
        tags = card.tags + tuple(f"source::{doc}" for doc in docs if f"source::{doc}" not in card.tags)
        fields = tuple(as_anki_keeps(neutralise_av(values[f])) for f in note_type.fields)  # [sound:…] as text
        self._field_problems(card, dict(zip(note_type.fields, fields)))
        return Note(card, note_type.key, as_anki_keeps(f"{self.settings.title}::{card.deck}"), fields, tags)

    def _field_problems(self, card: Card, fields: dict[str, str]) -> None:
        """A field holding what would not show as the text deckgen checked: a control character (U+001F ends a
        field in Anki), or a MathJax command that Anki's MathJax would turn into HTML (trust.math_html_problem).
        Located at the card's key, or for the Sources field at the card (its text is its sources')."""
        for name, value in fields.items():
            for problem, hint in ((control_problem(value), CONTROL_HINT),
                                  (("\\" in value or "&" in value) and math_html_problem(value), MATH_HINT),
                                  (cloze_av_problem(value), AV_HINT)):
                if problem:
                    where = card.locate(_CARD_KEYS[name]) if name in _CARD_KEYS else card.location
                    cited = " (in the text it cites, from its source)" if name == "Sources" else ""
                    self.diagnostics.append(Diagnostic(where, f"the {name} field holds {problem}{cited}", hint))

    def citations(self, supports: tuple[Support, ...], card_words: tuple[str, ...] = ()) -> str:
        """The Sources field: all of the note's citations through fields/sources.html at once.

        `card_words` are a cloze's own words (cloze_words): a citation that only repeats them is marked.
        The quoted sentences beyond the one that carries the claim are marked as context (quote_in_context).
        """
        if self._sources_template is None:
            self._load_sources_field()
        cited = [citation(s, card_words) for s in supports]
        try:
            html = self._sources(cited)
        except Exception as exc:  # the template's own code failed on this note's values (say, [[ date + 1 ]])
            if isinstance(exc, MemoryError):  # reported once: the notes after it ran out where each happened to be
                if self._out_of_memory:
                    return ""
                self._out_of_memory = True
            found = template_diagnostic(exc, self.root, SOURCES_FIELD_TEMPLATE)
            if not found.location.line:  # raised at none of its lines: shown at the macro
                found = found._replace(location=self._sources_location())
            self.diagnostics.append(found)
            return ""
        problems = rendered_markup_problems(html, self._clean_tags)
        for problem in problems:  # each once: every note may render it
            if problem not in self._reported:
                self._reported.add(problem)
                self.diagnostics.append(Diagnostic(self._sources_location(), f"the Sources field, as rendered, "
                                                   f"has {problem}", NO_SCRIPTS_HINT))
        return "" if problems else html

    def _sources_location(self) -> Location:
        """Where fields/sources.html defines the macro that renders the field (its first line if it has none)."""
        template = self._sources_template
        text = Path(template.filename).read_text(encoding="utf-8", errors="replace") if template and \
            template.filename else ""
        line = next((n for n, code in enumerate(text.split("\n"), start=1) if f"macro {SOURCES_MACRO}(" in code), 1)
        return Location(_shown(SOURCES_FIELD_TEMPLATE, self.root), line)

    def check_field_templates(self) -> None:
        """Compile the field templates up front so their errors are reported with the rest.

        Any exception from running a template is the template's error, not deckgen's: it is reported
        at the template's line like a Jinja error.
        """
        try:
            self._load_sources_field()
            self._sources([Citation("", [], "", "", "", "", "no", False)] * 3)  # 3: the folded ones too
        except Exception as exc:
            self.diagnostics.append(template_diagnostic(exc, self.root, SOURCES_FIELD_TEMPLATE))
            self._sources_template = self._sources_macro = None

    def retired_notice(self, date: str, search: str) -> str:
        """The notice a retired card carries (fields/retired_notice.html), for the day it was retired.

        It ships inside a stored field, so it must hold only what deckgen's own markup writes: anything
        else is a located error at the template, found here rather than when the lock is next read.
        """
        try:
            html = self.field_env.get_template(RETIRED_NOTICE_TEMPLATE).render(date=date, search=search).strip()
        except Exception as exc:
            self.diagnostics.append(template_diagnostic(exc, self.root, RETIRED_NOTICE_TEMPLATE))
            return ""
        problems = stored_html_problems(html)
        for problem in problems:
            self.diagnostics.append(Diagnostic(
                Location(_shown(RETIRED_NOTICE_TEMPLATE, self.root)), f"the retired-card notice holds {problem}",
                "use only deckgen's own markup (p, div, span, strong, em, code…, no attribute but class)",
                "retired-notice-markup"))
        return "" if problems else html

    def removed_deck_description(self) -> str:
        """The description of the deck the retired notes ship in (decks/removed_description.txt), rendered
        with the deck settings as `deck`. Plain text, as deck.yaml's description: the package escapes all of
        it (package.empty_deck), so the template, like the title it quotes, adds no markup. A template that
        fails is a located error, and the description is then empty."""
        try:
            return self.layout_env.get_template(REMOVED_DECK_DESCRIPTION_TEMPLATE).render(deck=self.settings).strip()
        except Exception as exc:
            self.diagnostics.append(template_diagnostic(exc, self.root, REMOVED_DECK_DESCRIPTION_TEMPLATE))
            return ""

    def _load_sources_field(self) -> None:
        """Compile fields/sources.html and take its macro from the template's module, to call from Python.

        Jinja documents calling a template's macros this way. Template.render would build a new
        context for every note, copying the template's globals (a ChainMap, iterated in Python) each
        time: that was half the cost of a note's Sources field. The macro is called in one context.
        A `sources` that is no macro (`[% set sources = "…".format %]`) is never called from Python: that
        call is none the sandbox checks (with Jinja before 3.1.5, an unsandboxed str.format read this
        user's build key into the deck), and what it returns is not escaped; the template is rendered.
        """
        template = self.field_env.get_template(SOURCES_FIELD_TEMPLATE)
        try:  # `citations` for a sources.html from before the macro, which loops over it at its top level
            module = template.make_module({"citations": []})
        except Exception:
            self.field_env.handle_exception()
        macro = getattr(module, SOURCES_MACRO, None)  # only a macro: anything else is no call the sandbox checks
        self._sources_template, self._sources_macro = template, (macro if isinstance(macro, Macro) else None)

    def _sources(self, citations: list[Citation]) -> str:
        assert self._sources_template is not None
        if self._sources_macro is None:  # a sources.html without the macro: the general, slower way
            return self._sources_template.render(citations=citations).strip()
        try:
            with template_memory:
                rendered = template_memory.kept(self._sources_macro(citations))
        except Exception:
            self.field_env.handle_exception()  # as Template.render does: the error then points into the template
        return str(rendered).strip()  # the macro returns Markup, whose methods escape their arguments

    def _render(self, env: jinja2.Environment, name: str, context: dict, referenced_at: Location) -> str:
        try:
            return env.get_template(name).render(**context)
        except jinja2.TemplateNotFound as exc:
            # A template it includes is missing: shown at the include, not where the note type names `name`.
            included_at = _template_frame(exc, self.root) if exc.name != name else None
            where = Location(_shown(included_at[0], self.root), included_at[1]) if included_at else referenced_at
            self.diagnostics.append(Diagnostic(where, f"template '{exc.name}' not found under templates/",
                                                "nor among deckgen's default templates"))
        except Exception as exc:  # a Jinja error, an unreadable file, or the template's own code failing
            self.diagnostics.append(template_diagnostic(exc, self.root, name))
        return ""


def _shown_name(reader: NodeReader, node: yaml.Node, what: str, name: str | None) -> str | None:
    """`name`, a note type's or card template's as rendered, or None (and a located error) when Anki, which
    shows it in a card as HTML ({{Type}}, {{Card}}), would show what no check reads (trust.shown_name_problem):
    its text is the note types file's, maybe written on several lines or put together by Jinja."""
    problem = shown_name_problem(name) if name is not None else None
    if problem is None:
        return name
    reader.error(node, f"{what} holds {problem}, as rendered", NAME_HINT)
    return None


class QuotePart(NamedTuple):
    """A run of a citation's sentences, quoted or not. A NamedTuple, cheaper to make than a frozen dataclass.

    `context` marks a run of a quoted sentence that does not carry the claim (Support.quoted beyond
    Support.units): shown dimmed, its words not marked, so the highlight shows the supporting sentence.
    """

    text: str
    quoted: bool
    context: bool = False


class QuotedRow(NamedTuple):
    """A citation of a table row as the back shows it, a small table: the header's cells and the row's, each a
    QuotePart (`quoted` where the quote takes a word of the cell; a cell's text as written, its '|'s left out)."""

    header: list[QuotePart]
    row: list[QuotePart]


class Citation(NamedTuple):
    """One citation as templates/fields/sources.html shows it.

    Not a dict: for `citation.title` Jinja tries the attribute first, and on a dict that fails with
    an exception before the key is looked up, for every attribute of every citation.
    """

    quote: str
    parts: list[QuotePart]
    title: str
    publisher: str
    date: str
    doc: str
    machine_translated: str  # "fully", "partly" or "no" (the source's front matter)
    repeats_card: bool  # the quoted sentences are (nearly) the cloze itself: show the caption alone
    table: QuotedRow | None = None  # a quote of one table row: shown as the table's header and that row


def citation(support: Support, card_words: tuple[str, ...] = ()) -> Citation:
    doc = support.doc
    parts = quote_in_context(support)
    return Citation(support.ref.quote, parts, doc.title, doc.publisher, doc.date,
                    doc.id, doc.machine_translated, repeats(card_words, support), quoted_row(support, parts))


def quoted_row(support: Support, parts: list[QuotePart]) -> QuotedRow | None:
    """The table row a citation quotes, with its table's header, each cell marked where the parts (the quoted
    units as quote_in_context gave them) mark a word of it; None unless the quote touches one table row (and
    perhaps its header) alone, and the parts are those units' text unchanged (not the quote alone, nothing cut
    out of them: a cell must show nothing the gate keeps out of quotes)."""
    units = support.quoted
    if not units or not is_row(units[0]):  # the usual case, decided at once
        return None
    row = units[-1]  # and its header, the row's lead-in, before it if the quote takes a word of it
    header = support.doc.unit(row.lead) if row.lead is not None else None
    if header is None or not is_row(header) or not all(unit.index in (header.index, row.index) for unit in units):
        return None
    sentence = " ".join(unit.text for unit in units)
    if "".join(part.text for part in parts) != sentence:
        return None
    marked = _marked_letters(parts)
    at = {unit.index: sum(len(before.text) + 1 for before in units[:position]) for position, unit in enumerate(units)}
    return QuotedRow(_row_cells(header, at.get(header.index), marked), _row_cells(row, at[row.index], marked))


def _marked_letters(parts: list[QuotePart]) -> set[int]:
    """Where the quoted parts' letters and digits are, in the text the parts make together."""
    marked: set[int] = set()
    position = 0
    for part in parts:
        if part.quoted and not part.context:
            marked.update(position + offset for offset, char in enumerate(part.text) if char.isalnum())
        position += len(part.text)
    return marked


def _row_cells(unit: Unit, at: int | None, marked: set[int]) -> list[QuotePart]:
    """A table row's cells as shown, each quoted if one of its letters is marked (the row starting at `at` in the
    parts' text; None: it is not among them, and none of its cells is quoted)."""
    text = unit.text
    return [QuotePart(text[start:end].replace("\\|", "|"),
                      at is not None and any(at + offset in marked for offset in range(start, end)))
            for start, end in shown_cells(text)]


def cloze_words(card: Card) -> tuple[str, ...]:
    """A cloze's words with every deletion revealed (hints left out), normalised; () for a Q&A card."""
    if card.kind is not CardKind.CLOZE:
        return ()
    return tuple(_WORD.findall(normalize(CLOZE_PATTERN.sub(lambda m: m.group(2), card.cloze))))


def repeats(card_words: tuple[str, ...], support: Support) -> bool:
    """Whether the sentences a citation quotes say (nearly) word for word what the card says."""
    if not card_words:
        return False
    quoted_words = _WORD.findall(normalize(" ".join(unit.text for unit in support.quoted)))
    return difflib.SequenceMatcher(None, card_words, quoted_words, autojunk=False).ratio() >= REPEAT_RATIO


Spans = list[tuple[int, int]]


def quote_in_context(support: Support) -> list[QuotePart]:
    """The sentence a citation comes from, as written, with the quoted words marked.

    A tight quote ("amlodipine (Norvasc)") reads better inside its sentence. Each quoted piece is
    found again in the original text, allowing only the differences normalisation removes (case,
    runs of white space, curly quotes and dashes); if any piece cannot be placed, the citation falls
    back to the quote alone, so nothing unverified is ever shown as quoted. When the quote spans more
    sentences than the one that carries the claim, only that one's words are marked (see QuotePart).
    """
    sentence = " ".join(unit.text for unit in support.quoted)
    spans = _spans_aligned(sentence, support.ref.quote)
    if spans is None:
        spans = _spans_by_pattern(sentence, support.ref.quote)
    if spans is None:
        spans = _spans_mapped(sentence, support.ref.quote)
    if spans is None:
        return _quote_alone(support.ref.quote)
    hidden = _set_aside_spans(support, sentence)
    if hidden is None:
        return _quote_alone(support.ref.quote)
    parts = _parts(sentence, spans)
    supporting = _statement(support)
    if not all(unit.index in supporting for unit in support.quoted):
        parts = _outside_support_as_context(parts, support, supporting)
    return _without(parts, hidden) if hidden else parts


def _set_aside_spans(support: Support, sentence: str) -> Spans | None:
    """Where the passages the source sets aside lie in the shown sentences, or None if one cannot be placed.

    The gate keeps them out of every quote, but the rest of a quoted sentence is shown around the quote,
    and it may hold one ("Milia is completely harmless" is quoted; "and is not caused by any medical
    problems", which is wrong, is not). Only the part inside the shown sentences is looked for.
    """
    doc = support.doc
    spans: Spans = []
    offset = 0  # where each unit's text starts in `sentence` (the units joined by single spaces)
    for unit in support.quoted:
        for entry in doc.set_aside:
            start, end = max(entry.start, unit.start), min(entry.end, unit.end)
            if start < end:
                found = _piece_pattern(doc.norm[start:end]).search(sentence, offset, offset + len(unit.text))
                if found is None:
                    return None
                spans.append(found.span())
        offset += len(unit.text) + 1
    return sorted(spans)


def _without(parts: list[QuotePart], hidden: Spans) -> list[QuotePart]:
    """The parts with the hidden spans cut out, "[…]" where a cut begins (the gate keeps them off quoted
    parts, so only plain and context parts lose words)."""
    result: list[QuotePart] = []
    position = 0
    for part in parts:
        end = position + len(part.text)
        kept, at = [], position
        for start, stop in hidden:
            if start < end and position < stop:
                kept.append(part.text[at - position:max(start, at) - position])
                if start >= position:
                    kept.append(CUT_MARK)
                at = min(stop, end)
        kept.append(part.text[at - position:])
        text = "".join(kept)
        if text:
            result.append(part._replace(text=text))
        position = end
    return result


def _statement(support: Support) -> set[int]:
    """The indexes of the units that carry the claim: Support.units, and with a list item its lead-in
    and the lead-in's other quoted items ("Conditions that lead to X are: - acne" is one statement);
    and the sentence of the quote that backs the card's extra, which the back shows too."""
    indexes = {unit.index for unit in support.units + support.extra_units}
    leads = indexes | {unit.lead for unit in support.units if unit.lead is not None}
    return leads | {unit.index for unit in support.quoted if unit.lead in leads}


def _parts(sentence: str, spans: Spans) -> list[QuotePart]:
    """The sentence cut at the spans' ends, each span quoted."""
    parts: list[QuotePart] = []
    position = 0
    for start, end in spans:
        if start > position:
            parts.append(QuotePart(sentence[position:start], False))
        parts.append(QuotePart(sentence[start:end], True))
        position = end
    if position < len(sentence):
        parts.append(QuotePart(sentence[position:], False))
    return parts


def _outside_support_as_context(parts: list[QuotePart], support: Support, supporting: set[int]) -> list[QuotePart]:
    """The parts cut where each quoted unit starts, those of a unit that does not carry the claim made context.

    The units' texts are joined by single spaces in the parts (see quote_in_context); each such space
    becomes a plain part of its own, so no mark or context run reaches over it.
    """
    starts, offset = [], 0
    for unit in support.quoted:
        starts.append(offset)
        offset += len(unit.text) + 1
    spaces = {start - 1 for start in starts[1:]}
    cuts = sorted(spaces | set(starts[1:]))
    result: list[QuotePart] = []
    position = 0
    for part in parts:
        end = position + len(part.text)
        begin = position
        for cut in [c for c in cuts if position < c < end] + [end]:
            text = part.text[begin - position:cut - position]
            if begin in spaces:
                result.append(QuotePart(text, False))
            elif support.quoted[bisect.bisect_right(starts, begin) - 1].index in supporting:
                result.append(QuotePart(text, part.quoted))
            elif result and result[-1].context:  # one run of context per stretch of other sentences
                result[-1] = QuotePart(result[-1].text + text, False, True)
            else:
                result.append(QuotePart(text, False, True))
            begin = cut
        position = end
    return result


def _spans_aligned(sentence: str, quote: str) -> Spans | None:
    """The pieces' spans found with str.find, when the sentence's normal form lines up with it.

    When normalisation only changes characters one for one (case, curly quotes, dashes), position i
    of the normal form is position i of the sentence, and no pattern is needed. Otherwise (runs of
    white space, characters NFKC rewrites) this gives up and _spans_by_pattern decides.
    """
    aligned = _one_for_one_lower(sentence)
    if len(aligned) != len(sentence) or normalize(sentence) != aligned:
        return None

    def find(piece: str, position: int) -> tuple[int, int] | None:
        start = aligned.find(piece, position)
        return None if start < 0 else (start, start + len(piece))

    return _spans_in_order(sentence, quote, find)


def _one_for_one_lower(text: str) -> str:
    """text.translate(ONE_FOR_ONE).lower(); translate looks up every character in a dict, and
    ONE_FOR_ONE only maps characters outside ASCII, so ASCII text (most sentences) skips it."""
    return text.lower() if text.isascii() else text.translate(ONE_FOR_ONE).lower()


def _spans_by_pattern(sentence: str, quote: str) -> Spans | None:
    """The general way: each piece as a pattern tolerant of case, white space and punctuation variants."""
    def search(piece: str, position: int) -> tuple[int, int] | None:
        found = _piece_pattern(piece).search(sentence, position)
        return None if found is None else found.span()

    return _spans_in_order(sentence, quote, search)


def _spans_mapped(sentence: str, quote: str) -> Spans | None:
    """The pieces' spans found in the sentence's normal form made character by character, each of its characters
    mapped back to the one of the sentence it comes from: for the characters NFKC rewrites ("µ", "²", "⁻⁶"), which
    neither str.find nor a piece's pattern finds in the sentence as written. None where the normal forms made so
    and made of the whole sentence differ (a combining sequence NFKC composes)."""
    text, origin = normal_with_origin(sentence)
    if text != normalize(sentence):
        return None

    def find(piece: str, position: int) -> tuple[int, int] | None:
        start = text.find(piece, bisect.bisect_left(origin, position))
        return None if start < 0 else (origin[start], origin[start + len(piece) - 1] + 1)

    return _spans_in_order(sentence, quote, find)


Locate = Callable[[str, int], "tuple[int, int] | None"]  # a piece's first span in the sentence from a position on


def _spans_in_order(sentence: str, quote: str, locate: Locate) -> Spans | None:
    """Where each piece of the quote is, each found after the one before; None if one is not found. A piece is
    placed where it cuts no word of the sentence in two if it can be, and a last piece of punctuation alone (the
    "." of "about 37 °C ... .") where it last occurs, which is where the sentence ends: not at the point of the
    "98.6" before it, nor of an "e.g.". Where that leaves a later piece nowhere to go, each piece is placed as early
    as it can be, as the gate places it."""
    pieces = quote_pieces(quote)
    edges = _WordEdges(sentence)
    return _placed_in_order(pieces, locate, edges) or _placed_in_order(pieces, locate, None)


def _placed_in_order(pieces: tuple[str, ...], locate: Locate, edges: _WordEdges | None) -> Spans | None:
    """The pieces' spans, each found after the one before; where `edges` is given, the first that cuts no word, or
    for a last piece without a word, the last. None if a piece is not found."""
    spans: Spans = []
    position = 0
    for index, piece in enumerate(pieces):
        span = first = locate(piece, position)
        if edges is not None and index == len(pieces) - 1 and not tokens(piece):
            while span is not None:
                first, span = span, locate(piece, span[0] + 1)
            span = first
        while edges is not None and span is not None and edges.cuts(span):
            span = locate(piece, span[0] + 1)
        span = span or first
        if span is None:
            return None
        spans.append(span)
        position = span[1]
    return spans


class _WordEdges:
    """Where the words of a sentence as written start and end (textnorm's words: "98.6" is one, its point inside
    it), read only when a span's edge falls between two characters that are not white space."""

    def __init__(self, sentence: str):
        self.sentence = sentence
        self._spans: list[tuple[int, int]] | None = None

    def cuts(self, span: tuple[int, int]) -> bool:
        """Whether either end of the span lies inside a word."""
        return any(self._inside(edge) for edge in span)

    def _inside(self, edge: int) -> bool:
        text = self.sentence
        if not 0 < edge < len(text) or text[edge - 1].isspace() or text[edge].isspace():
            return False
        if self._spans is None:
            self._spans = word_spans(text)
        at = bisect.bisect_right(self._spans, (edge, len(text) + 1)) - 1
        return at >= 0 and self._spans[at][0] < edge < self._spans[at][1]


CUT_MARK = "[\u2026]"  # shown where words of a quoted sentence that its source sets aside were cut
_SKIP = re.compile(r"\s*(?:\.\.\.|\u2026)\s*")


def _quote_alone(quote: str) -> list[QuotePart]:
    """The quote as the card gives it, each piece marked, the skipped words shown as an ellipsis."""
    parts: list[QuotePart] = []
    for piece in _SKIP.split(quote.strip()):
        if piece:
            if parts:
                parts.append(QuotePart(" … ", False))
            parts.append(QuotePart(piece, True))
    return parts


def _piece_pattern(piece: str) -> re.Pattern[str]:
    words = []
    for word in piece.split():
        words.append("".join(char_pattern(ch) for ch in word))
    return re.compile(r"\s+".join(words), re.IGNORECASE)


DEFAULT_SHOWN = "(deckgen's default templates)/"  # how a default template's path is shown in a message


def default_template_bytes(name: str) -> bytes:
    """A file of deckgen's default templates (package data, not project input)."""
    return (DEFAULT_TEMPLATES / name).read_bytes()


def reader_nodes(node: yaml.Node) -> list[yaml.Node]:
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def template_diagnostic(exc: BaseException, root: Path, fallback: str) -> Diagnostic:
    """Point at the template file and line where Jinja failed."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        # The file as the loader gave it: a project's is under `root`, relative to the cwd when the project is
        # the current folder (it was then taken as a name under templates/: "templates/templates/qa/back.html").
        name = str(Path(exc.filename).absolute()) if exc.filename else exc.name or fallback
        return Diagnostic(Location(_shown(name, root), exc.lineno or 0), f"template syntax error: {exc.message}",
                          "deckgen templates use [[ var ]], [% tag %] and [# comment #]; {{...}} is left to Anki")
    filename, line = _template_frame(exc, root) or (fallback, 1 if isinstance(exc, MemoryError) else 0)  # 1: what
    # the template returned was too much to keep (memorylimit's `kept`), raised when its call had ended
    message = _error_message(exc)
    hint = "every variable a template uses must be defined" if isinstance(exc, jinja2.UndefinedError) else ""
    return Diagnostic(Location(_shown(filename, root), line), f"template error: {message}", hint)


def _error_message(exc: BaseException) -> str:
    if isinstance(exc, MemoryError):  # Python's says nothing
        return memory_message()
    return exc.message if isinstance(exc, jinja2.TemplateError) and exc.message else str(exc)


def _template_frame(exc: BaseException, root: Path) -> tuple[str, int] | None:
    """The template file (an absolute path) and line that `exc` was raised in, the innermost; None if none."""
    found = None
    tb = sys.exc_info()[2] if exc is sys.exc_info()[1] else exc.__traceback__
    while tb is not None:  # Jinja rewrites template frames to the template's own file and line
        code_file = tb.tb_frame.f_code.co_filename
        if code_file.startswith((str(root / "templates"), str(DEFAULT_TEMPLATES))):
            found = str(Path(code_file).absolute()), tb.tb_lineno  # relative to the cwd when --project is
        tb = tb.tb_next
    return found


def _shown(name: str, root: Path) -> str:
    """A template's path as a message shows it: under the project's templates/, or among the defaults."""
    path = Path(name)
    if path.is_absolute() and path.is_relative_to(DEFAULT_TEMPLATES):
        return DEFAULT_SHOWN + path.relative_to(DEFAULT_TEMPLATES).as_posix()
    if not path.is_absolute():
        if not os.path.lexists(root / "templates" / name) and (DEFAULT_TEMPLATES / name).is_file():
            return DEFAULT_SHOWN + name
        path = root / "templates" / name
    return display_path(path, root)


def unread_templates(root: Path) -> list[Diagnostic]:
    """Files under templates/ that no build reads: at none of the defaults' paths, and named by no other template
    ("templates/back.html" for templates/qa/back.html, "templates/qa/back.htm", a README): a change made in one
    showed nowhere, without a word. Hidden files and editors' backups are passed over (a template may still
    include one: it is then read, and checked, as any template is)."""
    folder = root / "templates"
    defaults = _default_template_names()
    texts = _project_template_texts(folder, root)
    return [_unread(folder / name, root, name, defaults) for name in texts
            if name not in defaults and not any(is_editor_file(part) for part in name.split("/"))
            and not _named_by_another(name, texts)]


def _default_template_names() -> list[str]:
    return sorted(path.relative_to(DEFAULT_TEMPLATES).as_posix() for path in DEFAULT_TEMPLATES.rglob("*")
                  if path.is_file())


def _project_template_texts(folder: Path, root: Path) -> dict[str, str]:
    """The text of every file under templates/, by its path there; one that cannot be read (a FIFO, a symlink out
    of the project) is left out: trust.template_problems reports it as such."""
    texts: dict[str, str] = {}
    for parent, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = Path(parent) / name
            try:
                texts[path.relative_to(folder).as_posix()] = read_input(path, root).decode("utf-8", errors="replace")
            except OSError:
                continue
    return texts


def _named_by_another(name: str, texts: dict[str, str]) -> bool:
    # the whole path: "back.html" is not named by "qa/back.html", nor "qa/back.htm" by "qa/back.html"
    named = re.compile(r"(?<![\w./-])" + re.escape(name) + r"(?![\w./-])")
    return any(named.search(text) for other, text in texts.items() if other != name)


def _unread(path: Path, root: Path, name: str, defaults: list[str]) -> Diagnostic:
    """The one message for a file under templates/ that nothing reads: the default's path it was meant for."""
    shown = display_path(path, root)
    base = name.rsplit("/", 1)[-1]
    same = [default for default in defaults if default.rsplit("/", 1)[-1] == base]
    if same:
        return Diagnostic(Location(shown), f"no template uses this file: deckgen's default of that name is "
                          f"{' and '.join(same)}", f"an override goes at the default's own path (templates/{same[0]}), "
                          "or is named by a template that uses it")
    close = difflib.get_close_matches(name, defaults, n=1, cutoff=0.75)
    if close:
        return Diagnostic(Location(shown), f"no template uses this file: deckgen's template of a name like it is "
                          f"{close[0]}", f"to override that default, rename it templates/{close[0]} (the name "
                          "exactly as the default's); any other file under templates/ is read only where a template "
                          "names it ([% include \"...\" %])")
    return Diagnostic(Location(shown), "no template uses this file: deckgen reads a file under templates/ only at a "
                      "default template's path or where another template names it",
                      "the defaults: " + ", ".join(defaults) + "; name it in a template ([% include \"...\" %]), "
                      "or move it out of templates/")


def kind_key(card: Card) -> str:
    return "cloze" if card.kind is CardKind.CLOZE else "qa"


def anki_cards(card: Card, note_type: NoteType) -> int:
    """How many cards Anki makes of the card's note: one per cloze number, or one per card template."""
    if card.kind is CardKind.CLOZE:
        return len(set(CLOZE_NUMBER.findall(card.cloze)))
    return len(note_type.templates)
