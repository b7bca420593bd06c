"""Text for the large demo: sentences filled from the vocabulary with Zipf-like choices,
grouped into Markdown blocks, each block rendered once and reused.

A body is a few blocks joined by blank lines, and its HTML is their rendered HTML joined
by newlines: what render_markdown makes of the whole body (every block is a paragraph, a
list or a heading, which Markdown renders independently of its neighbours). Rendering
each of 150,000 posts would take minutes; rendering a pool of a few thousand blocks
takes seconds, and picking two or three of them per post still makes nearly every body
different."""

import bisect
import itertools
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from wwc_community.core import large_demo_phrases as phrases
from wwc_community.core.large_demo_words import SHARED_WORDS, TOPIC_WORDS
from wwc_community.core.markup import render_markdown

SLOT = re.compile(r"\{(\w+)\}")
TOPICS = tuple(TOPIC_WORDS)


class ZipfChoice:
    """Pick from `items`, the item of rank r (from 1) with weight 1 / r ** exponent."""

    def __init__(self, items: Sequence, exponent: float = 1.0):
        self.items = tuple(items)
        weights = (1 / rank**exponent for rank in range(1, len(self.items) + 1))
        self.cumulative = list(itertools.accumulate(weights))

    def __call__(self, rng: random.Random):
        point = rng.random() * self.cumulative[-1]
        return self.items[bisect.bisect(self.cumulative, point)]


@dataclass(frozen=True)
class Text:
    """Markdown source and its rendered, sanitised HTML."""

    source: str
    html: str


def joined(blocks: Sequence[Text]) -> Text:
    """Blocks as one body: sources apart by a blank line, HTML by a newline."""
    return Text("\n\n".join(b.source for b in blocks), "\n".join(b.html for b in blocks))


class Renderer:
    """render_markdown with a memory: each distinct text is rendered once."""

    def __init__(self):
        self.rendered: dict[str, Text] = {}

    def __call__(self, source: str) -> Text:
        text = self.rendered.get(source)
        if text is None:
            text = self.rendered[source] = Text(source, str(render_markdown(source)))
        return text


class Writer:
    """Fills templates with words of a topic; the same seed writes the same text."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.render = Renderer()
        self.shared = {slot: ZipfChoice(words) for slot, words in SHARED_WORDS.items()}
        self.topical = {
            topic: {slot: ZipfChoice(words) for slot, words in slots.items()}
            for topic, slots in TOPIC_WORDS.items()
        }
        self.numbers: dict[str, Callable[[], str]] = {
            "n": lambda: str(rng.randint(2, 12)),
            "days": lambda: str(rng.randint(5, 120)),
            "pct": lambda: str(rng.randint(5, 65)),
            "weeks": lambda: str(rng.randint(2, 12)),
            "months": lambda: str(rng.randint(2, 24)),
            "count": lambda: f"{rng.randint(2, 400) * 10:,}",
            "size": lambda: rng.choice(phrases.PRACTICE_SIZES),
        }
        self._templates: dict[int, ZipfChoice] = {}

    def fill(self, template: str, topic: str) -> str:
        """The template with every slot filled, its first letter capitalised."""
        topical = self.topical[topic]

        def word(match: re.Match) -> str:
            name = match.group(1)
            if name in self.numbers:
                return self.numbers[name]()
            choose = topical.get(name) or self.shared[name]
            return choose(self.rng)

        text = SLOT.sub(word, template)
        return text[:1].upper() + text[1:]

    def pick(self, templates: Sequence[str], topic: str) -> str:
        """One template of `templates` (Zipf-weighted), filled."""
        choose = self._templates.get(id(templates))
        if choose is None:
            choose = self._templates[id(templates)] = ZipfChoice(templates, 0.8)
        return self.fill(choose(self.rng), topic)

    def sentences(self, topic: str, *groups: Sequence[str]) -> str:
        return " ".join(self.pick(group, topic) for group in groups)

    def steps(self, topic: str) -> str:
        """A Markdown list of three or four steps, bulleted or numbered."""
        count = self.rng.randint(3, 4)
        items = self.rng.sample(phrases.ANSWER_STEPS, count)
        numbered = self.rng.random() < 0.4
        return "\n".join(
            f"{f'{number}.' if numbered else '-'} {self.fill(item, topic)}"
            for number, item in enumerate(items, start=1)
        )


class Pool:
    """Rendered blocks of one kind per topic, made up front and picked at random."""

    def __init__(self, writer: Writer, size: int, make: Callable[[str], str]):
        self.rng = writer.rng
        self.blocks = {topic: [writer.render(make(topic)) for _ in range(size)] for topic in TOPICS}

    def __call__(self, topic: str) -> Text:
        return self.rng.choice(self.blocks[topic])


class DemoText:
    """Every pool the large demo draws its bodies from; `size` is the number of answer
    paragraphs per topic, and the other pools are sized from it."""

    def __init__(self, writer: Writer, size: int):
        w, rng = writer, writer.rng
        self.writer = writer
        small = max(size // 8, 6)
        self.question_intro = Pool(
            w,
            max(size // 3, 8),
            lambda t: w.sentences(t, phrases.QUESTION_CONTEXT, phrases.QUESTION_PROBLEM),
        )
        self.question_ask = Pool(w, small, lambda t: w.sentences(t, phrases.QUESTION_ASK))
        self.answer_paragraph = Pool(w, size, lambda t: self._answer_paragraph(t))
        self.answer_steps = Pool(w, small, w.steps)
        self.comment = Pool(w, max(size // 4, 8), lambda t: w.pick(phrases.COMMENTS, t))
        self.bio = Pool(w, small, lambda t: w.sentences(t, *[phrases.BIOS] * rng.randint(1, 2)))
        self.adaptation_change = Pool(
            w, small, lambda t: w.sentences(t, phrases.ADAPTATION_CHANGES)
        )
        self.adaptation_outcome = Pool(
            w, small, lambda t: w.sentences(t, phrases.ADAPTATION_OUTCOMES)
        )
        self.event_paragraph = Pool(w, small, lambda t: w.sentences(t, phrases.EVENT_DESCRIPTIONS))
        self.headings = {name: w.render(f"## {name}") for name in phrases.PRACTICE_SECTIONS}

    def _answer_paragraph(self, topic: str) -> str:
        rng, w = self.writer.rng, self.writer
        groups = [phrases.ANSWER_OPENING, phrases.ANSWER_DETAIL]
        groups.append(rng.choice((phrases.ANSWER_DETAIL, phrases.ANSWER_ADVICE)))
        if rng.random() < 0.3:
            groups.append(phrases.ANSWER_CAVEAT)
        if rng.random() < 0.08:
            groups.append(phrases.ANSWER_EMPHASIS)
        return w.sentences(topic, *groups[rng.randint(0, 1) :])

    # Bodies --------------------------------------------------------------------------

    def question(self, topic: str) -> Text:
        blocks = [self.question_intro(topic)]
        if self.writer.rng.random() < 0.3:
            blocks.append(self.question_intro(topic))
        blocks.append(self.question_ask(topic))
        return joined(blocks)

    def answer(self, topic: str) -> Text:
        rng = self.writer.rng
        blocks = [self.answer_paragraph(topic)]
        if rng.random() < 0.5:
            blocks.append(
                self.answer_steps(topic) if rng.random() < 0.3 else self.answer_paragraph(topic)
            )
        if rng.random() < 0.15:
            blocks.append(self.answer_paragraph(topic))
        return joined(blocks)

    def practice_body(self, topic: str) -> Text:
        blocks = []
        for heading in self.headings.values():
            blocks += [heading, self.answer_paragraph(topic)]
            if self.writer.rng.random() < 0.3:
                blocks.append(self.answer_steps(topic))
        return joined(blocks)

    def event_description(self, topic: str) -> Text:
        return joined([self.event_paragraph(topic), self.event_paragraph(topic)])

    @property
    def rendered(self) -> int:
        """How many distinct texts were rendered."""
        return len(self.writer.render.rendered)
