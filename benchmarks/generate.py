"""Generate a synthetic deckgen project in the real card format, for benchmarks.

    python benchmarks/generate.py --cards 10000 --out build/bench/cards-10000

The project has N cards spread over card files (one subdeck each), citing source documents of
about 50 cards each (~20 KB of text per document, so several MB in all at 10,000 cards). Every
card is traceable under the claim-level gate (src/deckgen/trace.py), so the full gate runs and
passes: one quoted sentence (or a list's lead-in and one item) carries the question and the answer
together, and the quote says no more than the card, because it is cut to the card's words with
' ... ' or quotes only the run of the sentence that the card's words fill. The mix follows a real
deck: question/answer cards, cloze cards with one or two deletions, quotes with ' ... ', list items
under a lead-in, an `extra` backed by a second citation that quotes just its words, answers that use
a synonym from cards/synonyms.yaml, emphasis markup, card tags; and, through cards/vocabulary.yaml,
questions that use a frame word ("term") and questions that name a decisive term which only the
section heading names.

Words are pronounceable pseudo-words, never stop-words, negations, polarity words or the few words
in BANNED, so the gate's decisive-term rules see nothing to object to and the lint rules hold by
construction. Output is deterministic for a given (cards, seed).
"""

from __future__ import annotations

import argparse
import math
import random
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from deckgen.textnorm import NEGATIONS, POLARITY, STOP_STEMS, STOPWORDS, opposition, stem  # noqa: E402

GENERATOR_VERSION = 3  # bump when the output changes, so cached projects are regenerated
CARDS_PER_DOC = 50
CARDS_PER_FILE = 250
SENTENCES_PER_DOC = 170
TITLE = "Synthetic Bench"
OUTPUT = "synthetic-bench.apkg"
FRAME_WORD = "term"  # the synthetic deck's one frame word (cards/vocabulary.yaml)
# Words a pseudo-word must not be (nor share a stem with): the frame word, the real deck's subtype
# words, and words by which lint's names-article rule recognises a reference to a document.
BANNED = frozenset({FRAME_WORD, "example", "dystrophic", "metastatic", "iatrogenic", "idiopathic", "calciphylaxis",
                    "article", "source", "overview", "website", "webpage", "passage", "author", "per"})
TOPIC_KINDS = ("field", "region", "stage", "group")  # kinds of the synthetic lexicon's decisive terms
TOPICS_PER_KIND = 10

_ONSETS = "b d f g k l m n p r s t v z br dr gr kl pl st tr".split()
_VOWELS = "a e i o u".split()
_CODAS = ["", "", "", "n", "r", "l", "m"]
_FILLERS = ["of", "in", "with", "by", "for", "from", "on", "at", "into", "the"]
# Question openings made only of stop-words; the next one is tried when a question is already asked.
_OPENINGS = ["What does the", "What do the", "What is the", "Which", "What about the"]


@dataclass(frozen=True)
class Sentence:
    words: tuple[str, ...]  # content words, in order
    text: str  # as written in the document
    topic: str = ""  # the decisive term (of the lexicon) that its section heading names

    def span(self, first: int, last: int) -> str:
        """The text from content word `first` to content word `last` (inclusive), as written."""
        tokens = self.text.rstrip(".:").split(" ")
        at = [i for i, token in enumerate(tokens) if token.lower() in self.words]
        return " ".join(tokens[at[first]:at[last] + 1])


@dataclass(frozen=True)
class ListBlock:
    lead: Sentence  # ends in ':'
    items: tuple[Sentence, ...]  # written as '- item'


def pseudo_words(rng: random.Random, count: int) -> list[str]:
    """Distinct lowercase pseudo-words the gate treats as plain content words with distinct stems."""
    banned = STOPWORDS | NEGATIONS | POLARITY | BANNED
    banned_stems = STOP_STEMS | {stem(word) for word in banned}
    words: list[str] = []
    seen_words: set[str] = set()
    seen_stems: set[str] = set()
    while len(words) < count:
        syllables = rng.randint(2, 4)
        word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(syllables))
        key = stem(word)
        if word in banned or key in banned_stems or word in seen_words or key in seen_stems or word.endswith("s"):
            continue
        seen_words.add(word)
        seen_stems.add(key)
        words.append(word)
    return words


class Writer:
    """Builds documents and the cards that cite them."""

    def __init__(self, cards: int, seed: int):
        self.rng = random.Random(seed)
        self.total = cards
        topics = len(TOPIC_KINDS) * TOPICS_PER_KIND
        vocabulary = pseudo_words(self.rng, 4000 + 60 + topics)
        self.vocabulary = vocabulary[:4000]
        partners = vocabulary[4000:4060]
        # decisive terms of the lexicon, by kind: they occur only in section headings
        self.topics = vocabulary[4060:]
        self.kinds = {kind: self.topics[k * TOPICS_PER_KIND:(k + 1) * TOPICS_PER_KIND]
                      for k, kind in enumerate(TOPIC_KINDS)}
        # synonym groups: a vocabulary word and a partner word used only in answers (never opposites)
        self.synonyms = {self.vocabulary[i]: partners[i] for i in range(0, 60)
                         if opposition(self.vocabulary[i], partners[i]) is None}
        self.questions: set[str] = set()

    # --- documents ----------------------------------------------------------------------------
    def sentence(self, n_words: int, *, lead: bool = False, item: bool = False, topic: str = "") -> Sentence:
        words = tuple(self.rng.sample(self.vocabulary, n_words))
        parts: list[str] = []
        for i, word in enumerate(words):
            parts.append(word)
            if i in (1, 3, 6) and i < n_words - 1:
                parts.append(self.rng.choice(_FILLERS))
        text = " ".join(parts)
        if item:
            return Sentence(words, text, topic)
        text = text[0].upper() + text[1:] + (" are:" if lead else ".")
        return Sentence(words, text, topic)

    def document(self, doc_id: str, number: int) -> tuple[str, list[Sentence], list[tuple[ListBlock, int]]]:
        """The document text, its plain sentences, and its lists (with the index of each item)."""
        lines = ["---", f'title: "Synthetic Source {number}"', "publisher: deckgen benchmarks", "language: en",
                 f"date: 2024-{1 + number % 12:02d}-{1 + number % 28:02d}", "---", ""]
        sentences: list[Sentence] = []
        lists: list[tuple[ListBlock, int]] = []
        heading_every = 12
        topic = ""
        while len(sentences) < SENTENCES_PER_DOC:
            if len(sentences) % heading_every == 0:
                # a heading names one decisive term (and so no sibling of it) and two other words
                topic = self.rng.choice(self.topics)
                words = [topic] + self.rng.sample(self.vocabulary, 2)
                lines += [f"## {' '.join(words).title()}", ""]
            if self.rng.random() < 0.12:
                block = ListBlock(self.sentence(5, lead=True, topic=topic),
                                  tuple(self.sentence(self.rng.randint(4, 6), item=True) for _ in range(4)))
                lines.append(block.lead.text)
                lines += [f"- {item.text}" for item in block.items]
                lines.append("")
                lists += [(block, i) for i in range(len(block.items))]
                continue
            paragraph = [self.sentence(self.rng.randint(9, 13), topic=topic) for _ in range(self.rng.randint(3, 5))]
            sentences += paragraph
            lines += [" ".join(s.text for s in paragraph), ""]
        return "\n".join(lines), sentences, lists

    # --- cards --------------------------------------------------------------------------------
    def question(self, words: list[str], *, topic: str = "", frame: bool = False, item: str = "") -> str | None:
        """A question naming exactly `words` (and the heading's `topic`, the frame word, a list `item`),
        the rest stop-words; None if every wording of it is already asked."""
        named = " ".join(words[:2]) + (f" of {' '.join(words[2:])}" if words[2:] else "")
        tail = (f" with {item}" if item else "") + (f" in {topic}" if topic else "") + "?"
        for opening in _OPENINGS:
            if frame:
                opening = f"{opening} {FRAME_WORD} for the"
            text = f"{opening} {named}{tail}"
            if text not in self.questions:
                self.questions.add(text)
                return text
        return None

    def answer(self, words: list[str]) -> str:
        shown = [self.synonyms.get(w, w) if self.rng.random() < 0.5 else w for w in words]
        if len(shown) >= 3 and self.rng.random() < 0.2:
            shown[1] = f"*{shown[1]}*"
        text = " ".join(shown[:2]) + (f" {self.rng.choice(_FILLERS)} " + " ".join(shown[2:]) if shown[2:] else "")
        return text[0].upper() + text[1:] + "."

    def qa_card(self, card_id: str, doc_id: str, s: Sentence) -> dict | None:
        """The question names the first words of a run of the sentence, the answer the rest of the
        run, and the quote is the run: the whole sentence, or a part of it."""
        n = len(s.words)
        if self.rng.random() < 0.3:  # the whole sentence: four words asked, the rest answered
            first, asked, last = 0, 4, n - 1
        else:
            asked, answered = self.rng.randint(2, 4), self.rng.randint(2, 4)
            first = self.rng.randint(0, n - asked - answered)
            last = first + asked + answered - 1
        roll = self.rng.random()
        question = self.question(list(s.words[first:first + asked]), topic=s.topic if roll < 0.1 else "",
                                 frame=0.1 <= roll < 0.15)
        if question is None:
            return None
        quote = s.text if (first, last) == (0, n - 1) else s.span(first, last)
        return {"id": card_id, "question": question, "answer": self.answer(list(s.words[first + asked:last + 1])),
                "sources": [{"doc": doc_id, "quote": quote}]}

    def ellipsis_card(self, card_id: str, doc_id: str, s: Sentence) -> dict | None:
        """The question names the sentence's first words, the answer its last; ' ... ' skips the middle."""
        n, asked, answered = len(s.words), self.rng.randint(3, 4), self.rng.randint(2, 3)
        question = self.question(list(s.words[:asked]))
        if question is None:
            return None
        return {"id": card_id, "question": question, "answer": self.answer(list(s.words[n - answered:])),
                "sources": [{"doc": doc_id, "quote": f"{s.span(0, asked - 1)} ... {s.span(n - answered, n - 1)}"}]}

    def list_card(self, card_id: str, doc_id: str, block: ListBlock, item: int) -> dict | None:
        """The question names the lead-in's first words and the item's first word, the answer the
        item's next words; ' ... ' skips from the lead-in into the item."""
        lead, chosen = block.lead, block.items[item]
        answered = min(3, len(chosen.words) - 1)
        question = self.question(list(lead.words[:3]), item=chosen.words[0])
        if question is None:
            return None
        return {"id": card_id, "question": question, "answer": self.answer(list(chosen.words[1:1 + answered])),
                "sources": [{"doc": doc_id, "quote": f"{lead.span(0, 2)} ... {chosen.span(0, answered)}"}]}

    def cloze_card(self, card_id: str, doc_id: str, s: Sentence) -> dict:
        """The whole sentence, one or two of its words deleted, quoted whole."""
        tokens = s.text.rstrip(".").split(" ")
        positions = [i for i, t in enumerate(tokens) if t.lower() in s.words and i > 0]
        chosen = sorted(self.rng.sample(positions, 2 if len(positions) > 6 and self.rng.random() < 0.4 else 1))
        for number, i in enumerate(chosen, start=1):
            tokens[i] = f"{{{{c{number}::{tokens[i]}}}}}"
        return {"id": card_id, "cloze": " ".join(tokens) + ".", "sources": [{"doc": doc_id, "quote": s.text}]}

    def with_extra(self, card: dict, doc_id: str, other: Sentence) -> dict:
        """An `extra` note backed by a second citation, which quotes just the extra's words."""
        words = self.rng.randint(3, 5)
        quote = other.span(0, words - 1)
        return {**card, "extra": quote[0].upper() + quote[1:] + ".",
                "sources": card["sources"] + [{"doc": doc_id, "quote": quote}]}

    def cards_for(self, doc_id: str, doc_number: int, sentences: list[Sentence],
                  lists: list[tuple[ListBlock, int]], count: int) -> list[dict]:
        cards = []
        cited = self.rng.sample(range(len(sentences)), count)
        for n, index in enumerate(cited):
            s = sentences[index]
            card_id = f"d{doc_number:05d}-{n:02d}-{s.words[0]}"
            roll = self.rng.random()
            card = None
            if roll < 0.15:
                pass  # a cloze, below
            elif roll < 0.25:
                card = self.ellipsis_card(card_id, doc_id, s)
            elif roll < 0.30 and lists:
                block, item = lists.pop(self.rng.randrange(len(lists)))  # each item cited once
                card = self.list_card(card_id, doc_id, block, item)
            else:
                card = self.qa_card(card_id, doc_id, s)
            if card is None:  # a cloze, or a question already asked in every wording: a cloze has no question
                card = self.cloze_card(card_id, doc_id, s)
            if self.rng.random() < 0.05:
                card = self.with_extra(card, doc_id, sentences[(index + 1) % len(sentences)])
            if self.rng.random() < 0.1:
                card["tags"] = [f"bench::topic::{s.words[0]}"]  # under the deck's one tag root
            cards.append(card)
        return cards


# --- YAML output (written by hand: block style, the way authors write cards) ----------------------
def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def card_yaml(card: dict) -> list[str]:
    lines = [f"  - id: {card['id']}"]
    for key in ("question", "answer", "cloze", "extra"):
        if key in card:
            lines.append(f"    {key}: {_quoted(card[key])}")
    if "tags" in card:
        lines.append(f"    tags: [{', '.join(card['tags'])}]")
    lines.append("    sources:")
    for source in card["sources"]:
        lines += [f"      - doc: {source['doc']}", f"        quote: {_quoted(source['quote'])}"]
    lines.append("")
    return lines


def generate(out: Path, cards: int, seed: int = 1) -> Path:
    """Write the project to `out` (replacing it) and return `out`."""
    if out.exists():
        shutil.rmtree(out)
    (out / "cards").mkdir(parents=True)
    (out / "sources").mkdir()
    if (REPO / "templates").is_dir():  # else the generated project builds with deckgen's default templates
        shutil.copytree(REPO / "templates", out / "templates")
    writer = Writer(cards, seed)
    (out / "cards" / "deck.yaml").write_text(
        f"title: {TITLE}\ndescription: A synthetic deck of {cards} cards for deckgen's benchmarks.\n"
        f"output: {OUTPUT}\n", encoding="utf-8")
    synonyms = "".join(f"- [{word}, {partner}]\n" for word, partner in writer.synonyms.items())
    (out / "cards" / "synonyms.yaml").write_text(synonyms, encoding="utf-8")
    kinds = "".join(f"  {kind}: [{', '.join(terms)}]\n" for kind, terms in writer.kinds.items())
    (out / "cards" / "vocabulary.yaml").write_text(f"kinds:\n{kinds}frame: [{FRAME_WORD}]\n", encoding="utf-8")

    docs = math.ceil(cards / CARDS_PER_DOC)
    all_cards: list[tuple[int, dict]] = []
    for number in range(1, docs + 1):
        doc_id = f"source-{number:05d}"
        text, sentences, lists = writer.document(doc_id, number)
        (out / "sources" / f"{doc_id}.md").write_text(text, encoding="utf-8")
        count = min(CARDS_PER_DOC, cards - len(all_cards))
        all_cards += [(number, card) for card in writer.cards_for(doc_id, number, sentences, lists, count)]

    files = math.ceil(cards / CARDS_PER_FILE)
    for f in range(files):
        chunk = all_cards[f * CARDS_PER_FILE:(f + 1) * CARDS_PER_FILE]
        part = f // 10 + 1
        lines = [f"deck: Part {part}::Topic {f + 1}", f"tags: [bench::part-{part}]", "cards:"]
        for _, card in chunk:
            lines += card_yaml(card)
        (out / "cards" / f"topic-{f + 1:04d}.yaml").write_text("\n".join(lines), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=10_000, help="number of cards (default 10,000)")
    parser.add_argument("--out", type=Path, required=True, help="project folder to (re)create")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    generate(args.out, args.cards, args.seed)
    size = sum(p.stat().st_size for p in (args.out / "sources").glob("*.md"))
    print(f"{args.out}: {args.cards} cards, {len(list((args.out / 'sources').glob('*.md')))} source documents "
          f"({size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
