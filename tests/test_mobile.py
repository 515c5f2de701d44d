"""Every card of the built deck, front and back, read on a phone in light and night mode — in two real engines:
Chromium (AnkiDroid's web view) and WebKit (AnkiMobile's), each test once per engine.

The HTML is exactly what the real Anki backend renders (`card.question()`, `card.answer()`), loaded into a
page that carries the body classes AnkiDroid and AnkiMobile add, at each engine's two phone sizes (Chromium:
360×740 and 390×844 at device scale 3; WebKit: 375×667 and 390×844). Each render is measured once in the page
(tests/js/measure.js); the tests below judge the measurements.
"""

from __future__ import annotations

import colorsys
import dataclasses
import difflib
import json
import os
import re
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from browser import ENGINES, MODES, CardSide, Engine, Phone, card_sides, engine as launch, phone_page, script
from helpers import copy_project, import_apkg, open_collection, read_yaml_cards, run_cli
from mini_project import make_project
from test_table_citation import make_table_project

# Screenshots and a summary for a person to look at: in a temporary folder, never in the project
# (DECKGEN_TEST_ARTIFACTS names a folder to keep them in instead).
ARTIFACTS = Path(os.environ.get("DECKGEN_TEST_ARTIFACTS") or tempfile.gettempdir()) / "deckgen-test-artifacts" / "mobile"
MIN_TEXT_PX = 12  # nothing visible smaller than this
MIN_BODY_TEXT_PX = 16  # everything but secondary captions (figcaption, small)
MIN_LINE_HEIGHT = 1.4  # times the font size
MIN_CONTRAST = 4.5  # WCAG AA for normal text
MIN_TAP_TARGET_PX = 44
NIGHT_MAX_LUMINANCE, LIGHT_MIN_LUMINANCE = 0.1, 0.6  # the background behind every text, per mode
NIGHT_CLASSES = ("nightMode", "night_mode")
CLOZE_NUMBER = re.compile(r"\{\{c(\d+)::")
CLOZE_DELETION = re.compile(r"\{\{c\d+::(.*?)(?:::[^}]*)?\}\}")
MAX_CITATIONS_SHOWN = 2
REPEAT_RATIO = 0.8  # a shown quote this close, word for word, to the revealed cloze repeats the card
LINK_BLUE_HUES = (190, 260)  # degrees: the hue range of link blue (#0000ee, #0b57d0, #9cc3ff, ...)
# Values that set no colour of their own: they follow the text colour or show what is behind.
NO_OWN_COLOUR = {"currentcolor", "transparent", "inherit", "initial", "unset", "revert", "revert-layer", "none"}


@dataclass(frozen=True)
class Render:
    engine: str
    phone: Phone
    mode: str
    side: CardSide
    measured: dict
    requests: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.side.name} on {self.phone.name} ({self.mode}, {self.engine})"


# --- fixtures --------------------------------------------------------------------------------------
def _built_sides(project: Path, anki_dir: Path) -> list[CardSide]:
    result = run_cli(project, "build")
    assert result.returncode == 0, result.stderr
    settings, _ = read_yaml_cards(project)
    col = open_collection(anki_dir / "collection.anki2")
    try:
        import_apkg(col, project / "build" / settings["output"])
        return card_sides(col)
    finally:
        col.close()


def _render_all(engine: Engine, sides: list[CardSide], phones: tuple[Phone, ...] | None = None,
                modes=MODES) -> list[Render]:
    """One page per (phone, mode); the content is set per card side and measured in one evaluate."""
    measure = script("measure.js")
    renders = []
    for phone in phones or engine.phones:
        for mode in modes:
            page = engine.page(phone)
            for side in sides:
                before = len(page.requests.urls)
                page.show(phone_page(side, phone, mode))
                measured = page.evaluate(measure)
                renders.append(Render(engine.name, phone, mode, side, measured, tuple(page.requests.urls[before:])))
            page.close()
    return renders


@pytest.fixture(scope="module")
def deck(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("mobile") / "project")
    return project, _built_sides(project, tmp_path_factory.mktemp("anki"))


@pytest.fixture(scope="module", params=ENGINES)
def engine(request):
    """Each engine in turn; one that cannot be started is an error, never a skip."""
    with launch(request.param) as launched:
        yield launched


@pytest.fixture(scope="module")
def renders(deck, engine):
    _, sides = deck
    started = time.perf_counter()
    renders = _render_all(engine, sides)
    seconds = time.perf_counter() - started
    _keep_screenshots(engine, sides)
    _keep_summary(engine, renders, seconds)
    return renders


def _keep_screenshots(engine: Engine, sides: list[CardSide]) -> None:
    """A few screenshots under ARTIFACTS for a person to look at: the longest back, a cloze back, a front."""
    backs = [s for s in sides if s.side == "back"]
    chosen = [max(backs, key=lambda s: len(s.html)),
              next(s for s in backs if 'class="cloze"' in s.html),
              next(s for s in sides if s.side == "front")]
    folder = ARTIFACTS / engine.name
    folder.mkdir(parents=True, exist_ok=True)
    for phone in engine.phones:
        for mode in MODES:
            page = engine.page(phone)
            for side in chosen:
                page.show(phone_page(side, phone, mode))
                page.screenshot(folder / f"{side.name}-{phone.name}-{mode}.png")
            page.close()


def _keep_summary(engine: Engine, renders: list[Render], seconds: float) -> None:
    texts = [(r, t) for r in renders for t in r.measured["texts"]]
    summary = {
        "engine": engine.name,
        "seconds": round(seconds, 1),
        "renders": len(renders),
        "text_nodes": len(texts),
        "lowest_contrast": {mode: round(min(t["contrast"] for r, t in texts if r.mode == mode), 2) for mode in MODES},
        "smallest_text_px": min(t["fontSize"] for _, t in texts),
        "smallest_body_text_px": min(t["fontSize"] for _, t in texts if not t["secondary"]),
        "widest_page_minus_viewport_px": max(r.measured["scrollWidth"] - r.measured["viewportWidth"]
                                             for r in renders),
    }
    (ARTIFACTS / engine.name / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")


# --- the checks: each returns what is wrong with one render ---------------------------------------
def overflow_problems(r: Render) -> list[str]:
    m = r.measured
    problems = []
    if m["viewportWidth"] != r.phone.width:
        problems.append(f"layout viewport is {m['viewportWidth']} px wide, not the phone's {r.phone.width}")
    if m["scrollWidth"] > m["viewportWidth"]:
        problems.append(f"page is {m['scrollWidth']} px wide on a {m['viewportWidth']} px screen")
    for t in m["texts"]:
        if t["left"] < -0.5 or t["right"] > m["viewportWidth"] + 0.5:
            problems.append(f"text runs off the screen ({t['left']:.0f}..{t['right']:.0f} px): {t['where']}")
    return problems


def text_size_problems(r: Render) -> list[str]:
    problems = []
    for t in r.measured["texts"]:
        least = MIN_TEXT_PX if t["secondary"] else MIN_BODY_TEXT_PX
        if t["fontSize"] < least:
            problems.append(f"{t['fontSize']} px text (at least {least}): {t['where']}: {t['text']!r}")
    return problems


def line_height_problems(r: Render) -> list[str]:
    return [f"line height {t['lineHeight'] or 'normal'} × font size (at least {MIN_LINE_HEIGHT}): {t['where']}"
            for t in r.measured["texts"] if not t["secondary"] and (t["lineHeight"] or 0) < MIN_LINE_HEIGHT]


def contrast_problems(r: Render) -> list[str]:
    problems = [f"cannot compute: {u}" for u in r.measured["unknown"]]
    problems += [f"contrast {t['contrast']:.2f}:1 (at least {MIN_CONTRAST}): {t['where']}: {t['text']!r}"
                 for t in r.measured["texts"] if t["contrast"] < MIN_CONTRAST]
    return problems


def mode_problems(r: Render) -> list[str]:
    """Night mode must really be dark behind every text, light mode light."""
    problems = []
    for t in r.measured["texts"]:
        luminance = t["backgroundLuminance"]
        if r.mode == "night" and luminance > NIGHT_MAX_LUMINANCE:
            problems.append(f"light background (luminance {luminance:.2f}) in night mode: {t['where']}")
        if r.mode == "light" and luminance < LIGHT_MIN_LUMINANCE:
            problems.append(f"dark background (luminance {luminance:.2f}) in light mode: {t['where']}")
    return problems


def network_problems(r: Render) -> list[str]:
    return [f"requested {url}" for url in r.requests]


def markup_problems(r: Render) -> list[str]:
    m = r.measured
    problems = [f"inline colour: {element}" for element in m["inlineColours"]]
    problems += [f"control smaller than {MIN_TAP_TARGET_PX} px: {c['where']} ({c['width']:.0f}×{c['height']:.0f})"
                 for c in m["controls"] if min(c["width"], c["height"]) < MIN_TAP_TARGET_PX]
    return problems


def failures(renders: list[Render], check) -> list[str]:
    return [f"{r.label}: {problem}" for r in renders for problem in check(r)]


def _report(found: list[str]) -> str:
    return f"{len(found)} problems, first ones:\n" + "\n".join(found[:25])


# --- the deck as built ----------------------------------------------------------------------------
def test_every_card_side_is_rendered_in_every_phone_and_mode(deck, renders):
    project, sides = deck
    _, cards = read_yaml_cards(project)
    expected = sum(len(set(CLOZE_NUMBER.findall(c.cloze))) if c.kind == "cloze" else 1 for c in cards)
    assert sum(not s.retired for s in sides) == 2 * expected
    assert {s.card_id for s in sides if s.retired}.isdisjoint(c.id for c in cards)
    phones = {r.phone for r in renders}
    assert {(p.width, p.height) for p in phones} == ({(375, 667), (390, 844)} if renders[0].engine == "webkit"
                                                      else {(360, 740), (390, 844)})
    assert Counter((r.phone.name, r.mode) for r in renders) == {(p.name, m): len(sides) for p in phones for m in MODES}
    blank = [r.label for r in renders if not r.measured["texts"]]
    assert not blank, f"cards that show no text: {blank[:10]}"
    for r in renders:
        classes = r.measured["bodyClasses"].split()
        assert {"card", f"card{r.side.ordinal + 1}", "mobile", r.phone.platform} <= set(classes)
        assert (r.phone.night_class in classes) == (r.mode == "night")


def test_nothing_is_wider_than_the_phone(renders):
    found = failures(renders, overflow_problems)
    assert not found, _report(found)


def test_text_is_large_enough(renders):
    found = failures(renders, text_size_problems)
    assert not found, _report(found)


def test_body_text_has_comfortable_line_height(renders):
    found = failures(renders, line_height_problems)
    assert not found, _report(found)


def test_every_text_has_aa_contrast_in_both_modes(renders):
    found = failures(renders, contrast_problems)
    assert not found, _report(found)


def test_night_mode_is_dark_and_light_mode_is_light(renders):
    found = failures(renders, mode_problems)
    assert not found, _report(found)


def test_no_network_request_is_made(renders):
    found = failures(renders, network_problems)
    assert not found, _report(found)


def test_no_inline_colours_and_controls_are_tap_sized(renders):
    found = failures(renders, markup_problems)
    assert not found, _report(found)


def test_citations_and_extra_read_as_secondary(renders):
    """On a Q&A back the citation and the extra note are smaller than the answer, and still legible."""
    checked = 0
    for r in renders:
        texts = r.measured["texts"]
        answer = [t["fontSize"] for t in texts if ".answer" in t["where"]]
        secondary = [t for t in texts if ".citation" in t["where"] or ".extra" in t["where"]]
        if r.side.side != "back" or not answer:
            continue
        assert secondary, f"{r.label}: a Q&A back shows no citation"
        checked += 1
        for t in secondary:
            assert t["fontSize"] < min(answer), f"{r.label}: {t['where']} is as large as the answer"
            assert t["fontSize"] >= MIN_TEXT_PX and t["contrast"] >= MIN_CONTRAST, f"{r.label}: {t['where']}"
    assert checked > 0


def _same_card(r: Render) -> tuple:
    return (r.engine, r.phone, r.mode, r.side.card_id, r.side.ordinal)


def hierarchy_problems(back: Render, front: Render) -> list[str]:
    """On a Q&A back the answer leads: at least as heavy as the question and of higher contrast, while the
    question keeps the place, size and weight it had on the front, so nothing moves when the card turns."""
    question, answer, asked = back.measured["question"], back.measured["answer"], front.measured["question"]
    problems = []
    if answer["fontWeight"] < question["fontWeight"]:
        problems.append(f"the answer (weight {answer['fontWeight']:.0f}) is lighter than the question "
                        f"({question['fontWeight']:.0f})")
    if answer["contrast"] <= question["contrast"]:
        problems.append(f"the answer's contrast {answer['contrast']:.2f}:1 is no higher than the question's "
                        f"{question['contrast']:.2f}:1")
    for key in ("top", "height", "fontSize", "fontWeight"):
        if abs(question[key] - asked[key]) > 0.5:
            problems.append(f"the question's {key} changes when the card turns: {asked[key]} -> {question[key]}")
    return problems


def test_the_answer_leads_the_back_of_a_qa_card(renders):
    fronts = {_same_card(r): r for r in renders if r.side.side == "front"}
    backs = [r for r in renders if r.side.side == "back" and r.measured["answer"] is not None]
    assert len({r.side.card_id for r in backs}) > 1, "no Q&A back measured: the check proves nothing"
    found = [f"{r.label}: {p}" for r in backs for p in hierarchy_problems(r, fronts[_same_card(r)])]
    assert not found, _report(found)


# --- the back of the card serves the learner ----------------------------------------------------------
def _hue_and_saturation(rgb: list[float]) -> tuple[float, float]:
    hue, _, saturation = colorsys.rgb_to_hls(*(channel / 255 for channel in rgb[:3]))
    return hue * 360, saturation


def cloze_problems(r: Render) -> list[str]:
    """A revealed (or blanked) deletion must stand out from the text around it without looking like a link:
    no underline, no link-blue text, no pointer cursor."""
    problems = []
    for cloze in r.measured["clozes"]:
        own, around = cloze["own"], cloze["around"]
        hue, saturation = _hue_and_saturation(own["color"])
        if "underline" in own["textDecorationLine"]:
            problems.append(f"underlined like a link: {cloze['where']}")
        if LINK_BLUE_HUES[0] <= hue <= LINK_BLUE_HUES[1] and saturation >= 0.35:
            problems.append(f"link blue text (hue {hue:.0f}°, saturation {saturation:.2f}): {cloze['where']}")
        if own["cursor"] == "pointer":
            problems.append(f"pointer cursor: {cloze['where']}")
        if (own["color"][:3], own["background"], own["fontWeight"]) == (around["color"][:3], around["background"],
                                                                         around["fontWeight"]):
            problems.append(f"looks like the text around it (colour, background and weight): {cloze['where']}")
    return problems


def test_the_cloze_answer_stands_out_but_does_not_look_like_a_link(renders):
    cloze_renders = [r for r in renders if r.measured["clozes"]]
    assert {(r.side.side, r.mode) for r in cloze_renders} == {(side, mode) for side in ("front", "back") for mode in MODES}
    found = failures(renders, cloze_problems)
    assert not found, _report(found)


def test_the_cloze_answer_is_readable_under_both_night_mode_classes(deck, engine):
    """AnkiDroid's `night_mode` and AnkiMobile's `nightMode`, in this engine, on every cloze back."""
    _, sides = deck
    backs = [s for s in sides if s.side == "back" and 'class="cloze"' in s.html]
    phone = engine.phones[0]
    for night_class in ("night_mode", "nightMode"):
        renders = _render_all(engine, backs, phones=(dataclasses.replace(phone, night_class=night_class),),
                              modes=("night",))
        assert all(night_class in r.measured["bodyClasses"].split() for r in renders)
        clozes = [(r, t) for r in renders for t in r.measured["texts"] if ".cloze" in t["where"].split(" > ")[-1]]
        assert len({r.side.name for r, _ in clozes}) == len(backs), "a cloze back shows no revealed answer"
        low = [f"{r.label}: {t['contrast']:.2f}:1" for r, t in clozes if t["contrast"] < MIN_CONTRAST]
        light = [f"{r.label}: {t['backgroundLuminance']:.2f}" for r, t in clozes
                 if t["backgroundLuminance"] > NIGHT_MAX_LUMINANCE]
        assert not low and not light, (night_class, low[:5], light[:5])
        found = failures(renders, cloze_problems)
        assert not found, _report(found)


def _citation_counts(project: Path) -> dict[str, int]:
    """Each card's number of citations, read straight from the YAML."""
    _, cards = read_yaml_cards(project)
    return {card.id: len(card.docs) for card in cards}


def fold_problems(r: Render, cited: int) -> list[str]:
    """At most two citations shown; the others in one closed <details>; every citation present."""
    m = r.measured
    problems = []
    if m["citations"] != cited:
        problems.append(f"{m['citations']} citation blocks for the card's {cited} citations")
    if m["citationsShown"] != min(cited, MAX_CITATIONS_SHOWN):
        problems.append(f"{m['citationsShown']} citations shown of {cited}")
    folded = cited - MAX_CITATIONS_SHOWN
    expected = [{"open": False, "citations": folded}] if folded > 0 else []
    if [{"open": d["open"], "citations": d["citations"]} for d in m["details"]] != expected:
        problems.append(f"details {m['details']}, expected {expected}")
    return problems


def test_at_most_two_citations_are_shown_and_the_rest_are_folded(deck, renders):
    project, _ = deck
    cited = _citation_counts(project)
    backs = [r for r in renders if r.side.side == "back" and not r.side.retired]  # retired: their last fields
    found = [f"{r.label}: {p}" for r in backs for p in fold_problems(r, cited[r.side.card_id])]
    assert not found, _report(found)
    assert all(not r.measured["details"] and not r.measured["citations"] for r in renders if r.side.side == "front")


def test_a_cloze_back_does_not_repeat_the_card_as_its_citation(renders):
    """No quote shown on a cloze back is (nearly) the revealed cloze itself; each citation keeps its caption."""
    checked = briefed = 0
    for r in renders:
        m = r.measured
        if r.side.side != "back" or not m["clozes"] or r.side.retired:  # retired: the fields they last had
            continue
        checked += 1
        cloze_words = re.findall(r"\w+", m["clozeText"].lower())
        for quote in m["quotes"]:
            ratio = difflib.SequenceMatcher(None, cloze_words, re.findall(r"\w+", quote.lower()), autojunk=False).ratio()
            assert ratio < REPEAT_RATIO, f"{r.label}: the citation repeats the card ({ratio:.2f}): {quote!r}"
        assert len(m["captions"]) == m["citationsShown"], f"{r.label}: a citation lost its caption"
        briefed += len(m["quotes"]) < m["citationsShown"]
    assert checked and briefed, "no cloze back shows a caption alone: the check proves nothing on this deck"


# A small project of its own: one card with four citations, so the fold is there whatever the real deck cites.
FOUR_SOURCES = """\
---
title: "Granite notes"
publisher: deckgen tests
date: 2024-02-03
language: en
machine_translated: partly
---
Granite is made of quartz and feldspar.
Granite is made of feldspar and quartz.
Granite is made of quartz and of feldspar.
Granite is made of feldspar and of quartz.
"""
FOUR_CITATIONS = """\
deck: Folded
cards:
  - id: granite-four-sources
    question: What is granite made of?
    answer: Quartz and feldspar.
    sources:
      - doc: granite-notes
        quote: "Granite is made of quartz and feldspar."
      - doc: granite-notes
        quote: "Granite is made of feldspar and quartz."
      - doc: granite-notes
        quote: "Granite is made of quartz and of feldspar."
      - doc: granite-notes
        quote: "Granite is made of feldspar and of quartz."
"""


def test_the_folded_sources_open_with_a_tap_and_fit_the_screen(tmp_path, engine):
    project = make_project(tmp_path / "project")
    (project / "sources" / "granite-notes.md").write_text(FOUR_SOURCES, encoding="utf-8")
    (project / "cards" / "folded.yaml").write_text(FOUR_CITATIONS, encoding="utf-8")
    back = next(s for s in _built_sides(project, tmp_path) if s.card_id == "granite-four-sources" and s.side == "back")
    measure = script("measure.js")
    for phone in engine.phones:
        for mode in MODES:
            page = engine.page(phone)
            page.show(phone_page(back, phone, mode))
            closed = Render(engine.name, phone, mode, back, page.evaluate(measure), ())
            page.click("details.more-sources > summary")
            opened = Render(engine.name, phone, mode, back, page.evaluate(measure), ())
            page.close()
            assert fold_problems(closed, 4) == [], closed.label
            assert [d["summary"] for d in closed.measured["details"]] == ["2 more sources"], closed.label
            hidden_text = "feldspar and of quartz"
            assert not any(hidden_text in t["text"] for t in closed.measured["texts"]), closed.label
            assert opened.measured["details"][0]["open"] and opened.measured["citationsShown"] == 4, opened.label
            assert any(hidden_text in t["text"] for t in opened.measured["texts"]), opened.label
            assert sum("partly machine-translated" in c for c in opened.measured["captions"]) == 4, opened.label
            found = []
            for check in (overflow_problems, text_size_problems, contrast_problems, mode_problems, markup_problems):
                found += failures([closed, opened], check)
            assert not found, _report(found)


def test_a_quoted_table_row_reads_as_a_table_on_every_phone(tmp_path, engine):
    """A citation of a table row shows the table's header over the row, each cell under its header's, and
    reads as every card must: within the screen, large enough, with contrast, dark in night mode."""
    project = make_table_project(tmp_path / "project")
    backs = [s for s in _built_sides(project, tmp_path) if s.side == "back" and s.card_id in ("gleis-plural",
                                                                                              "notausgang")]
    assert len(backs) == 2
    renders = _render_all(engine, backs)
    found = []
    for check in (overflow_problems, text_size_problems, line_height_problems, contrast_problems, mode_problems,
                  markup_problems, network_problems):
        found += failures(renders, check)
    assert not found, _report(found)
    cells = script("table_cells.js")
    for phone in engine.phones:
        page = engine.page(phone)
        for back in backs:
            page.show(phone_page(back, phone, "light"))
            table = page.evaluate(cells)
            assert table is not None, back.name
            assert len(table["header"]) == len(table["row"]) > 1, table
            for th, td in zip(table["header"], table["row"]):
                assert abs(th["left"] - td["left"]) < 1 and th["bottom"] <= td["top"] + 0.5, (phone.name, th, td)
            assert "|" not in "".join(cell["text"] for cell in table["header"] + table["row"])
            edge = table["table"]["right"] + 0.5
            hidden = [cell["text"] for cell in table["header"] + table["row"] if cell["right"] > edge]
            assert not hidden, f"{back.name} on {phone.name}: cells that need a sideways scroll: {hidden}"
        page.close()


# --- the stylesheet ---------------------------------------------------------------------------------
def _selectors(selector_text: str) -> list[str]:
    """Split a selector list at its top-level commas."""
    parts, depth, current = [], 0, ""
    for char in selector_text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    return parts + [current.strip()]


def _night_forms(selector: str, night: str) -> set[str]:
    forms = {f".{night} {selector}", f".card.{night} {selector}", f".{night}{selector}"}
    if selector.startswith(".card"):
        forms.add(f".card.{night}{selector[len('.card'):]}")
    return forms


def colour_rule_problems(rules: list[dict]) -> list[str]:
    """Every colour a light rule sets must be set again by a rule for each night-mode class."""
    night_sets: dict[str, set[str]] = {}
    for rule in rules:
        for selector in _selectors(rule["selector"]):
            night_sets.setdefault(selector, set()).update(rule["colours"])
    problems = []
    for rule in rules:
        for selector in _selectors(rule["selector"]):
            if any(night in selector for night in NIGHT_CLASSES):
                continue
            for prop, value in rule["colours"].items():
                if value.strip().lower() in NO_OWN_COLOUR:
                    continue
                for night in NIGHT_CLASSES:
                    if not any(prop in night_sets.get(form, ()) for form in _night_forms(selector, night)):
                        problems.append(f"'{selector} {{ {prop} }}' has no night variant under .{night}")
    return problems


def _stylesheets(engine: Engine, sides: list[CardSide]) -> dict[str, dict]:
    """The card stylesheet(s) as the engine parses them, once per distinct <style> block."""
    distinct = {}
    for side in sides:
        style = side.html.split("</style>", 1)[0]
        distinct.setdefault(style, side)
    phone = engine.phones[0]
    page = engine.page(phone)
    parsed = {}
    for side in distinct.values():
        page.show(phone_page(side, phone, "light"))
        parsed[side.name] = page.evaluate(script("stylesheet.js"))
    page.close()
    return parsed


def test_every_colour_has_a_night_variant_and_the_stylesheet_is_self_contained(deck, engine):
    _, sides = deck
    sheets = _stylesheets(engine, sides)
    assert sheets
    for name, sheet in sheets.items():
        assert sheet["sheets"] == 1, name
        assert any(rule["colours"] for rule in sheet["rules"]), f"{name}: no colours found — the reader is broken"
        assert colour_rule_problems(sheet["rules"]) == [], name
        assert sheet["external"] == [], f"{name}: the stylesheet reaches outside the card"


def test_cards_hold_no_scripts_links_or_remote_media(deck):
    _, sides = deck
    outside = re.compile(r"<script|<link|<iframe|<object|<embed|\bsrc\s*=|@import|url\(", re.I)
    found = [f"{s.name}: {m.group(0)}" for s in sides for m in outside.finditer(s.html)]
    assert not found, found[:10]


# --- long words and URLs, in a small project of their own --------------------------------------------
LONG_WORD = "pneumonoultramicroscopicsilicovolcanoconiosisandmanymorelettersthatneverbreak"
LONG_URL = "https://example.org/guides/calcinosis-cutis/a-very-long-path-segment-without-any-break/index.html"
LONG_SOURCE = f"""\
---
title: "{LONG_WORD} and other long words"
publisher: Long Words Press
language: en
---
## Long words

The word {LONG_WORD} names a lung disease.
The word is explained at {LONG_URL} in full.
The guide lives at {LONG_URL} today.
"""
LONG_CARDS = f"""\
deck: Long Words
cards:
  - id: long-word
    question: Which word names a lung disease?
    answer: {LONG_WORD}
    extra: "It is explained at `{LONG_URL}` in full."
    sources:
      - doc: long-words
        quote: "The word {LONG_WORD} names a lung disease."
      - doc: long-words
        quote: "The word is explained at {LONG_URL} in full."

  - id: long-url-cloze
    cloze: "The guide lives at {{{{c1::{LONG_URL}}}}} today."
    sources:
      - doc: long-words
        quote: "The guide lives at {LONG_URL} today."
"""


def _long_words_project(target: Path, extra_css: str = "") -> Path:
    project = make_project(target)
    (project / "sources" / "long-words.md").write_text(LONG_SOURCE, encoding="utf-8")
    (project / "cards" / "long-words.yaml").write_text(LONG_CARDS, encoding="utf-8")
    css = project / "templates" / "card.css"
    css.write_text(css.read_text(encoding="utf-8") + extra_css, encoding="utf-8")
    return project


def test_long_words_and_urls_wrap_on_the_smallest_phone(tmp_path, engine):
    project = _long_words_project(tmp_path / "project")
    sides = [s for s in _built_sides(project, tmp_path) if s.card_id in ("long-word", "long-url-cloze")]
    assert len(sides) == 4
    assert all(LONG_WORD in s.html and LONG_URL in s.html for s in sides if s.side == "back")
    renders = _render_all(engine, sides, phones=engine.phones[:1])
    found = failures(renders, overflow_problems) + failures(renders, text_size_problems)
    assert not found, _report(found)

    unwrapped = _long_words_project(tmp_path / "unwrapped", script("no_wrap.css"))
    sides = [s for s in _built_sides(unwrapped, tmp_path / "unwrapped") if s.card_id == "long-word"]
    assert failures(_render_all(engine, sides, phones=engine.phones[:1]), overflow_problems), \
        "these words are too short to prove anything: without the wrapping rules they should overflow"


# --- the checks can fail ---------------------------------------------------------------------------
def test_the_checks_catch_a_broken_stylesheet(tmp_path, engine):
    """A copy of the project with tests/js/broken.css appended to its card.css (and the remote font of
    tests/js/remote.css put into the pages) fails every check above."""
    project = copy_project(tmp_path / "project")
    css = project / "templates" / "card.css"
    css.write_text(css.read_text(encoding="utf-8") + script("broken.css"), encoding="utf-8")
    sides = _built_sides(project, tmp_path)
    backs = [s for s in sides if s.side == "back"]
    live = [s for s in backs if not s.retired]  # a retired note's back starts with its notice: not the sample meant
    sample = [next(s for s in live if 'class="extra"' in s.html), next(s for s in live if 'class="cloze"' in s.html)]
    remote = f"<style>{script('remote.css')}</style>"
    sample = [dataclasses.replace(s, html=remote + s.html) for s in sample]
    renders = _render_all(engine, sample, phones=engine.phones[:1])

    light = [r for r in renders if r.mode == "light"]
    night = [r for r in renders if r.mode == "night"]
    assert any("px wide on a" in p for p in failures(renders, overflow_problems))
    assert any("10.0 px text" in p or "10 px text" in p for p in failures(renders, text_size_problems))
    assert any("14 px text" in p for p in failures(renders, text_size_problems))
    assert failures(renders, line_height_problems)
    assert any(".question" in p for p in failures(light, contrast_problems))
    assert any(".extra" in p for p in failures(night, contrast_problems))
    assert any(".extra" in p for p in failures(night, mode_problems))
    assert any("fonts.example.invalid" in p for p in failures(renders, network_problems))
    assert any(".cloze" in p and "underlined" in p for p in failures(renders, cloze_problems))
    assert any(".cloze" in p and "link blue" in p for p in failures(light, cloze_problems))
    sheet = _stylesheets(engine, sample)
    problems = [p for s in sheet.values() for p in colour_rule_problems(s["rules"])]
    assert "'.question { color }' has no night variant under .nightMode" in problems
    assert any("@font-face" in e for s in sheet.values() for e in s["external"])
