"""The gate's reading of a quoted Markdown table row (sources.py makes each row a unit, an item whose lead-in is the
table's header row): a row is a record of cells, keyed by its first, and the header names what each cell is.

A quote of a row takes whole cells ("der Zug", not "Zug"), the row's first among them, and a cell under each header
word it takes: otherwise a word of one cell answers for another. "Zug | ... | die" made "die" (of the plural "die
Züge") the article of "Zug"; "die Züge | the train" glossed the plural with the singular's meaning; "Plural ... das
Gleis | neuter" made "neuter" the plural. Cells are told apart by their '|' (an escaped '\\|' in a cell counts as one).
"""

from __future__ import annotations

import re

from .diagnostics import Diagnostic, Location
from .sources import SourceDoc, Unit

Spans = tuple[tuple[int, int], ...]
# A '|' that parts two cells of a row as Markdown shows it: not an escaped '\|', which is the cell's own text.
_CELL_BORDER = re.compile(r"(?<!\\)\|")


def table_problem(doc: SourceDoc, units: tuple[Unit, ...], spans: Spans, at: Location) -> Diagnostic | None:
    """What is wrong with how a quote (at `at`) takes the table rows it touches (its units), if anything."""
    by_index = {unit.index: unit for unit in units}
    headers = {unit.lead for unit in units if unit.lead is not None and is_row(unit)}
    for unit in filter(is_row, units):
        cut = _cut_cell(doc, unit, spans)
        if cut is not None:
            return Diagnostic(at, f"the quote cuts the cell \"{cut}\" of a table row",
                              "quote whole cells of a row: a cell's words belong together", "cell-cut")
        if unit.index in headers:
            continue
        taken = _columns(doc, unit, spans)
        if 1 not in taken:
            return Diagnostic(at, f"the quote takes cells of the table row \"{_cell(unit, 1)}\" but not its first",
                              "quote the row's first cell too: it names what the row's other cells are about",
                              "row-key-not-quoted")
        header = by_index.get(unit.lead) if unit.lead is not None else None
        missing = _columns(doc, header, spans) - taken if header is not None else set()
        if missing:
            return Diagnostic(at, f"the quote takes \"{_cell(header, min(missing))}\" from the table's header, but "
                              "nothing of the row's cell in that column",
                              "quote the row's cell under that header too, or leave the header's word out",
                              "column-not-quoted")
    return None


def is_row(unit: Unit) -> bool:
    """Whether the unit is a table row (a header row too), or the first sentence of one."""
    return unit.text.startswith("|")


def shown_cells(text: str) -> list[tuple[int, int]]:
    """Where each cell of a table row (its text as written) lies, as Markdown shows the row: the start and end of
    the cell's text, the spaces around it left out. An escaped '\\|' is text of its cell here (the gate's reading
    above takes it for a border); a last cell with no closing '|' counts, an empty cell too."""
    borders = [found.start() for found in _CELL_BORDER.finditer(text)]
    if text[borders[-1] + 1:].strip() if borders else text.strip():
        borders.append(len(text))
    spans = []
    for start, end in zip(borders, borders[1:]):
        cell = text[start + 1:end]
        first = start + 1 + len(cell) - len(cell.lstrip())
        spans.append((first, max(first, start + 1 + len(cell.rstrip()))))
    return spans


def _cell(unit: Unit, column: int) -> str:
    """The text of a row's cell, as written: column n lies after its n-th '|'."""
    cells = unit.text.split("|")
    return cells[column].strip() if column < len(cells) else ""


def _columns(doc: SourceDoc, unit: Unit, spans: Spans) -> set[int]:
    """The columns of a table row (a unit) that the spans take a word from."""
    columns: set[int] = set()
    for start, end in _within(unit, spans):
        first = doc.norm.count("|", unit.start, start)
        columns.update(first + offset for offset, cell in enumerate(doc.norm[start:end].split("|"))
                       if any(char.isalnum() for char in cell))
    return columns


def _cut_cell(doc: SourceDoc, unit: Unit, spans: Spans) -> str | None:
    """The first cell of the row that a span starts or ends inside of (not at its edge), as written."""
    norm = doc.norm
    for start, end in _within(unit, spans):
        while start < end and norm[start] in " |":
            start += 1
        while end > start and norm[end - 1] in " |":
            end -= 1
        if start == end:
            continue
        before = norm[norm.rfind("|", unit.start, start) + 1:start]
        after_pipe = norm.find("|", end, unit.end)
        after = norm[end:unit.end if after_pipe < 0 else after_pipe]
        if before.strip():
            return _cell(unit, norm.count("|", unit.start, start))
        if after.strip():
            return _cell(unit, norm.count("|", unit.start, end))
    return None


def _within(unit: Unit, spans: Spans) -> list[tuple[int, int]]:
    """The parts of the spans inside the unit."""
    return [(max(start, unit.start), min(end, unit.end))
            for start, end in spans if start < unit.end and unit.start < end]
