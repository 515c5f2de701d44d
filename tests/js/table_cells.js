// The first quoted table row of a card page (table.citation-table), as laid out: each header and row cell's
// text and box, and the table's box. Evaluated as a function; it measures only — the tests decide what passes.
() => {
  const table = document.querySelector("table.citation-table");
  if (!table) return null;
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return { text: el.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom };
  };
  return {
    table: box(table),
    header: Array.from(table.querySelectorAll("thead th"), box),
    row: Array.from(table.querySelectorAll("tbody td"), box),
  };
}
