"""Neutral documents and pictures: what a file holds, never how it looks.

The core builds these in the collaboration's language; the rendering ring turns them into a
PDF, Markdown or a PNG. Every string is plain text (a person's words or the model's, quoted as
written): renderers place it, never read markup out of it. Each block carries a ``kind`` so
that a kept reply can be read back from JSON into the right class.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

TileState = Literal["done", "skipped", "focus", "started", "untouched"]
TILE_STATES: tuple[TileState, ...] = ("done", "skipped", "focus", "started", "untouched")
# Each state's mark, beside its colour on the picture and alone in text.
TILE_SYMBOLS: dict[TileState, str] = {
    "done": "✓",
    "skipped": "–",
    "focus": "●",
    "started": "◐",
    "untouched": "○",
}


@dataclass(frozen=True)
class Tile:
    """One step on the model's map: its state and how many of its questions have answers."""

    step_id: str
    title: str
    state: TileState
    answered: int
    questions: int
    note: str  # the answered questions in words: "2 av 5 besvarade"


@dataclass(frozen=True)
class TileRow:
    """The preconditions, or one phase, with its steps in the model's order."""

    title: str
    tiles: tuple[Tile, ...]


@dataclass(frozen=True)
class ModelPicture:
    """The model as MUCF draws it (the preconditions, then three phases of three steps), with
    where one collaboration stands: the labels to print and a text alternative for those who
    cannot see the picture."""

    title: str
    subtitle: str  # the round, e.g. "Omgång 2"
    rows: tuple[TileRow, ...]
    legend: tuple[tuple[TileState, str], ...]  # each state and its name
    alt_text: str
    credit: str
    kind: Literal["map"] = "map"


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: its label and a count for each of the chart's series."""

    label: str
    counts: tuple[int, ...]


@dataclass(frozen=True)
class BalanceChart:
    """Who is heard, as stacked bars: the answers of each bar by sector, in ``series`` order."""

    title: str
    series: tuple[str, ...]  # the sectors' names
    bars: tuple[Bar, ...]  # overall first, then each step with answers
    alt_text: str
    kind: Literal["balance"] = "balance"


Picture = ModelPicture | BalanceChart


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1 a part of the document, 2 a phase, 3 a step
    kind: Literal["heading"] = "heading"


@dataclass(frozen=True)
class Paragraph:
    text: str
    quiet: bool = False  # a note in smaller type (a step's state, "no answers yet")
    kind: Literal["paragraph"] = "paragraph"


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True)
class Facts:
    """Labelled facts, as on a cover page: "Diarienummer: KS 2026/123"."""

    rows: tuple[Fact, ...]
    kind: Literal["facts"] = "facts"


@dataclass(frozen=True)
class Items:
    """A bulleted list."""

    items: tuple[str, ...]
    kind: Literal["items"] = "items"


@dataclass(frozen=True)
class QuestionBlock:
    """One of the model's questions, quoted verbatim."""

    text: str
    kind: Literal["question"] = "question"


@dataclass(frozen=True)
class Version:
    byline: str  # who and when, e.g. "Omar, Fritidsbanken, 2026-03-02"
    text: str


@dataclass(frozen=True)
class AnswerBlock:
    """An answer under its question, with the wordings it had before it was edited."""

    byline: str
    text: str
    earlier_label: str = ""
    earlier: tuple[Version, ...] = ()
    kind: Literal["answer"] = "answer"


@dataclass(frozen=True)
class Figure:
    picture: ModelPicture
    kind: Literal["figure"] = "figure"


@dataclass(frozen=True)
class PageBreak:
    kind: Literal["page_break"] = "page_break"


Block = Heading | Paragraph | Facts | Items | QuestionBlock | AnswerBlock | Figure | PageBreak


@dataclass(frozen=True)
class Document:
    """A document to file: its blocks in order, and what every page carries.

    ``page_label`` holds ``{page}`` and ``{pages}``; ``credit`` is printed on every page.
    """

    title: str
    language: str
    subject: str
    author: str
    credit: str
    page_label: str
    blocks: tuple[Block, ...]
