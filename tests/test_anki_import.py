"""The built deck, imported by the real Anki backend (the `anki` package), is what the YAML says."""

from __future__ import annotations

import html
import re
from collections import Counter

import pytest
import yaml

from helpers import REPO, copy_project, import_apkg, open_collection, read_yaml_cards, run_cli

CLOZE_NUMBER = re.compile(r"\{\{c(\d+)::")
CLOZE_DELETION = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}")


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    # The deck as its YAML says, without the notes of retired cards (test_lifecycle imports those).
    project = copy_project(tmp_path_factory.mktemp("deck") / "project")
    result = run_cli(project, "build", "--drop-retired")
    assert result.returncode == 0, result.stderr
    settings, cards = read_yaml_cards(project)
    col = open_collection(tmp_path_factory.mktemp("anki") / "collection.anki2")
    log = import_apkg(col, project / "build" / settings["output"])
    yield settings, cards, col, log
    col.close()


def test_every_note_is_new_on_first_import(imported):
    _, cards, _, log = imported
    assert len(log.new) == len(cards)
    assert not log.conflicting and not log.duplicate and not log.updated


def test_note_and_card_counts(imported):
    _, cards, col, _ = imported
    expected_cards = sum(len(set(CLOZE_NUMBER.findall(c.cloze))) if c.kind == "cloze" else 1 for c in cards)
    assert col.note_count() == len(cards)
    assert col.card_count() == expected_cards


def test_subdecks(imported):
    settings, cards, col, _ = imported
    names = {d.name for d in col.decks.all_names_and_ids()} - {"Default"}
    assert names == {settings["title"]} | {c.deck for c in cards}
    per_deck = Counter(c.deck for c in cards)
    for deck, count in per_deck.items():
        assert len(col.find_notes(f'"deck:{deck}"')) == count, deck


def test_deck_description_says_what_it_is(imported):
    settings, _, col, _ = imported
    parent = col.decks.by_name(settings["title"])
    assert parent["desc"] == settings["description"]
    assert "not medical advice" in parent["desc"]


def test_tags_fields_and_rendered_cards(imported):
    _, cards, col, _ = imported
    by_id = {c.id: c for c in cards}
    titles = _titles()
    seen = set()
    for note_id in col.find_notes(""):
        note = col.get_note(note_id)
        card = by_id[note["CardId"]]
        seen.add(card.id)
        assert set(card.tags) <= set(note.tags)
        assert {f"source::{doc}" for doc in card.docs} & set(note.tags)
        assert all(" " not in tag for tag in note.tags)
        assert note.cards()[0].did == col.decks.id_for_name(card.deck)
        for anki_card in note.cards():
            question, answer = anki_card.question(), anki_card.answer()
            assert "<style>" in question
            if card.kind == "qa":
                assert html.unescape(note["Question"]) == card.question.strip()
                assert html.unescape(note["Answer"]) == card.answer.strip()
                assert card.question.strip() in html.unescape(question)
                assert card.answer.strip() not in html.unescape(_body(question))
                assert card.answer.strip() in html.unescape(answer)
            else:
                # what the front shows as text: the asked deletion hidden, as "[...]" ("cloze" is no test: the
                # template's own class="cloze-text" holds it whatever the front shows)
                shown = html.unescape(re.sub(r"<[^>]+>", "", _body(question)))
                asked = [m.group(2) for m in CLOZE_DELETION.finditer(card.cloze)
                         if int(m.group(1)) == anki_card.ord + 1]
                assert asked and "[...]" in shown, (card.id, shown)
                assert not [text for text in asked if text in shown], (card.id, shown)
                assert 'class="cloze"' in answer
            # the back shows every cited passage, verbatim: marked inside the sentence that carries the claim,
            # or shown as context (a quoted sentence beside it); a cloze's citation that would repeat the
            # card word for word is its source's caption alone
            marked = [_plain(m) for m in re.findall(r'<mark class="quoted">(.*?)</mark>', answer, flags=re.S)]
            quotes = [_plain(re.sub(r"<[^>]+>", "", b))
                      for b in re.findall(r'<blockquote class="citation-quote">(.*?)</blockquote>', answer, flags=re.S)]
            briefs = re.findall(r'<figure class="citation citation-brief">(.*?)</figure>', answer, flags=re.S)
            assert card.kind == "cloze" or not briefs, card.id
            for quote, doc in zip(card.quotes, card.docs):
                pieces = [_plain(p) for p in re.split(r"\s*(?:\.\.\.|…)\s*", quote) if p.strip()]
                # each piece marked, or in a quote shown with a mark in it (a piece may lie wholly in a context
                # sentence that the quote cuts with ' ... ', as eswt-what-it-is's does)
                shown = all(piece in marked or any(piece in q and any(m in q for m in marked) for q in quotes)
                            for piece in pieces)
                assert shown or any(titles[doc] in html.unescape(b) for b in briefs), (card.id, quote, marked)
    assert seen == set(by_id)


def test_cloze_cards_one_card_per_deletion(imported):
    _, cards, col, _ = imported
    clozes = [c for c in cards if c.kind == "cloze"]
    assert clozes, "the deck should use cloze cards where they help"
    notes = {col.get_note(n)["CardId"]: col.get_note(n) for n in col.find_notes("note:*Cloze*")}
    for card in clozes:
        deletions = set(CLOZE_NUMBER.findall(card.cloze))
        assert sorted(c.ord + 1 for c in notes[card.id].cards()) == sorted(int(d) for d in deletions)


def test_semantic_fields_are_searchable(imported):
    _, cards, col, _ = imported
    qa = next(c for c in cards if c.kind == "qa" and re.search(r"[a-z]{6,}", c.answer))
    word = re.search(r"[A-Za-z]{6,}", qa.answer).group(0)
    found = {col.get_note(n)["CardId"] for n in col.find_notes(f"Answer:*{word}*")}
    assert qa.id in found


def _titles() -> dict[str, str]:
    """Each source's title, from its front matter read with PyYAML."""
    return {path.stem: yaml.safe_load(path.read_text(encoding="utf-8").split("\n---", 1)[0].lstrip("-\n"))["title"]
            for path in (REPO / "sources").glob("*.md")}


def _plain(text: str) -> str:
    """Compare text as a reader would: entities decoded, curly quotes straightened, spaces folded."""
    text = html.unescape(text).translate(str.maketrans("‘’“”–—", "''\"\"--"))
    return " ".join(text.lower().split())


def _body(rendered: str) -> str:
    return re.sub(r"<style>.*?</style>", "", rendered, flags=re.S)
