"""Renders the core's neutral replies as Block Kit messages.

Text goes into ``rich_text`` blocks, whose text elements Slack shows exactly as given: a
person's ``*stars*``, ``_underscores_``, backticks or ``<!channel>`` never format and never
ping. Our own formatting is structure (a bold heading, a bullet list, a `command` in code
style), never markup inside a string. The notification ``text`` is escaped for mrkdwn.

Content is split, never truncated: into blocks of at most ``SECTION_LIMIT`` characters and
into several messages of at most ``BLOCKS_PER_MESSAGE`` blocks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from bot.replies import (
    Action,
    DocumentReply,
    Message,
    PictureReply,
    QuestionCard,
    Reaction,
    Reply,
    Section,
)

Block = dict[str, Any]
Element = dict[str, Any]

SECTION_LIMIT = 3000
BLOCKS_PER_MESSAGE = 50
# Slack rejects messages with ``msg_blocks_too_long`` around 13k characters of blocks, below
# every documented limit (bolt-js #2509), so a message also ends before this many characters.
CHARS_PER_MESSAGE = 11_000
BUTTON_TEXT_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000
BUTTONS_PER_BLOCK = 25
FALLBACK_LIMIT = 3000
ACTION_PREFIX = "samverkan_"
_COMMAND_MARK = re.compile(r"`([^`\n]+)`")


@dataclass(frozen=True)
class SlackMessage:
    """One ``chat.postMessage``: the notification fallback ``text`` and the ``blocks``."""

    text: str
    blocks: list[Block] = field(default_factory=list)


@dataclass(frozen=True)
class Paragraph:
    """One line of a rich text block: styled text elements, shown as a bullet or not."""

    elements: tuple[Element, ...]
    bullet: bool = False

    @property
    def size(self) -> int:
        return sum(len(e.get("text", "")) for e in self.elements)


def escape(text: str) -> str:
    """``text`` with the three characters mrkdwn gives meaning to replaced by entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render(reply: Reply) -> list[SlackMessage]:
    """The messages that show ``reply``; none for a reaction, which is not a message.

    A file shows as its caption; the sender uploads the file itself.
    """
    match reply:
        case Message():
            return paginate(message_blocks(reply))
        case QuestionCard():
            return render_card(reply)
        case DocumentReply() | PictureReply():
            return paginate(text_blocks([plain(reply.caption)])) if reply.caption else []
        case Reaction():
            return []
    raise TypeError(f"cannot render {type(reply).__name__}")


def message_blocks(message: Message) -> list[Block]:
    """The blocks of ``message``, not yet split into messages."""
    blocks: list[Block] = []
    if message.title and message.title.strip():
        blocks += text_blocks([bold(message.title)])
    for section in message.sections:
        blocks += text_blocks(section_paragraphs(section))
    blocks += action_blocks(message.actions)
    return blocks


def render_card(card: QuestionCard) -> list[SlackMessage]:
    first = Paragraph((*bold(card.step_title).elements, _text(f" ({card.position})")))
    paragraphs = [first]
    if card.heading:
        paragraphs.append(plain(card.heading))
    paragraphs.append(bold(card.question))
    blocks = text_blocks(paragraphs)
    hint = next(iter(chunk_lines([escape(card.hint)], SECTION_LIMIT)), " ")
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": hint}]})
    blocks += action_blocks(card.actions)
    return paginate(blocks)


def action_blocks(actions: Iterable[Action]) -> list[Block]:
    """Buttons in actions blocks of at most 25."""
    buttons = [_button(n, action) for n, action in enumerate(actions)]
    return [
        {"type": "actions", "elements": buttons[i : i + BUTTONS_PER_BLOCK]}
        for i in range(0, len(buttons), BUTTONS_PER_BLOCK)
    ]


def _button(number: int, action: Action) -> Block:
    """A command button's ``value`` is its command; an answer button's, the question id."""
    kind = "answer" if action.answers else "cmd"
    button: Block = {
        "type": "button",
        "action_id": f"{ACTION_PREFIX}{kind}_{number}",
        "text": {"type": "plain_text", "text": shorten(action.label, BUTTON_TEXT_LIMIT)},
        "value": (action.answers or action.command)[:BUTTON_VALUE_LIMIT],
    }
    if action.style in ("primary", "danger"):
        button["style"] = action.style
    return button


def shorten(text: str, limit: int) -> str:
    """Labels only (never content): a button's or a header's text must fit its limit."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# -- rich text ------------------------------------------------------------------------------------


def _text(text: str, **style: bool) -> Element:
    element: Element = {"type": "text", "text": text}
    if style:
        element["style"] = style
    return element


def plain(text: str, bullet: bool = False) -> Paragraph:
    """A paragraph shown exactly as ``text`` reads."""
    return Paragraph((_text(text),) if text else (), bullet)


def bold(text: str) -> Paragraph:
    return Paragraph((_text(text.strip(), bold=True),) if text.strip() else ())


def ours(text: str, bullet: bool = False) -> Paragraph:
    """A paragraph of the bot's own words: its `command words` are shown in code style."""
    parts = _COMMAND_MARK.split(text)
    # split() alternates plain text and the insides of `…` marks.
    elements = tuple(
        _text(part, code=True) if index % 2 else _text(part)
        for index, part in enumerate(parts)
        if part
    )
    return Paragraph(elements, bullet)


def section_paragraphs(section: Section) -> list[Paragraph]:
    """The heading in bold, then a paragraph per line; verbatim lines are shown as written."""
    paragraphs = [bold(section.heading)] if section.heading and section.heading.strip() else []
    line = plain if section.verbatim else ours
    paragraphs += [line(text, section.bullets) for text in section.lines]
    return paragraphs


def text_blocks(paragraphs: Iterable[Paragraph], limit: int = SECTION_LIMIT) -> list[Block]:
    """``paragraphs`` as rich text blocks of at most ``limit`` characters of text each."""
    blocks: list[list[Paragraph]] = []
    size = 0
    for paragraph in paragraphs:
        for piece in _split_paragraph(paragraph, limit):
            if not blocks or size + piece.size + 1 > limit:
                blocks.append([])
                size = 0
            blocks[-1].append(piece)
            size += piece.size + 1
    return [_rich_text(group) for group in blocks if any(p.size for p in group)]


def _split_paragraph(paragraph: Paragraph, limit: int) -> Iterator[Paragraph]:
    """``paragraph`` as pieces of at most ``limit`` characters, cut at spaces where possible."""
    if paragraph.size <= limit:
        yield paragraph
        return
    current: list[Element] = []
    size = 0
    for element in paragraph.elements:
        if "text" not in element:  # a channel or user reference: never split
            current.append(element)
            continue
        for text in _split_long(element["text"], limit):
            if current and size + len(text) > limit:
                yield Paragraph(tuple(current), paragraph.bullet)
                current, size = [], 0
            current.append({**element, "text": text})
            size += len(text)
    if current:
        yield Paragraph(tuple(current), paragraph.bullet)


def _rich_text(paragraphs: list[Paragraph]) -> Block:
    """One rich text block: runs of plain paragraphs as sections, runs of bullets as lists."""
    elements: list[Element] = []
    for paragraph in paragraphs:
        previous = elements[-1] if elements else None
        if paragraph.bullet:
            item = {"type": "rich_text_section", "elements": list(paragraph.elements or [])}
            if not item["elements"]:
                item["elements"] = [_text(" ")]
            if previous and previous["type"] == "rich_text_list":
                previous["elements"].append(item)
            else:
                elements.append({"type": "rich_text_list", "style": "bullet", "elements": [item]})
        elif previous and previous["type"] == "rich_text_section":
            previous["elements"] += [_text("\n"), *paragraph.elements]
        else:
            elements.append({"type": "rich_text_section", "elements": list(paragraph.elements)})
    for element in elements:
        if element["type"] == "rich_text_section" and not element["elements"]:
            element["elements"] = [_text(" ")]
    return {"type": "rich_text", "elements": elements}


def rich_text_plain(block: Block) -> str:
    """What a rich text block shows, as plain text (bullets as "• ")."""
    lines: list[str] = []
    for element in block["elements"]:
        if element["type"] == "rich_text_list":
            lines += ["• " + _inline(item) for item in element["elements"]]
        else:
            lines.append(_inline(element))
    return "\n".join(lines)


def _text_size(elements: list[Element]) -> int:
    """The characters of the text elements under ``elements``, however deeply nested."""
    return sum(len(e.get("text", "")) + _text_size(e.get("elements", [])) for e in elements)


def _inline(section: Element) -> str:
    return "".join(str(e.get("text", "")) for e in section["elements"])


# -- splitting ------------------------------------------------------------------------------------


def chunk_lines(lines: Iterable[str], limit: int) -> Iterator[str]:
    """Join ``lines`` into texts of at most ``limit`` characters, breaking between lines.

    A line longer than ``limit`` is cut at a space, or hard if it has none, but never inside
    an ``&…;`` entity. No character is lost.
    """
    current: list[str] = []
    size = 0
    for line in lines:
        for piece in _split_long(line, limit):
            if current and size + 1 + len(piece) > limit:
                yield _join(current)
                current, size = [], 0
            size += len(piece) + (1 if current else 0)
            current.append(piece)
    if current and _join(current).strip():
        yield _join(current)


def _join(lines: list[str]) -> str:
    text = "\n".join(lines).strip("\n")
    return text or " "


def _split_long(line: str, limit: int) -> Iterator[str]:
    while len(line) > limit:
        cut = line.rfind(" ", limit // 2, limit)
        if cut <= 0:
            cut = _safe_cut(line, limit)
        yield line[:cut]
        line = line[cut:].lstrip(" ") if line[cut : cut + 1] == " " else line[cut:]
    yield line


def _safe_cut(line: str, limit: int) -> int:
    """A hard cut at ``limit`` moved back so that it does not split an entity like ``&amp;``."""
    amp = line.rfind("&", max(0, limit - 5), limit)
    if amp != -1 and line.find(";", amp, amp + 6) >= limit:
        return amp
    return limit


def paginate(blocks: list[Block]) -> list[SlackMessage]:
    """``blocks`` as messages of at most 50 blocks and ``CHARS_PER_MESSAGE`` characters."""
    pages: list[list[Block]] = []
    size = 0
    for block in blocks:
        length = block_size(block)
        if not pages or len(pages[-1]) >= BLOCKS_PER_MESSAGE or size + length > CHARS_PER_MESSAGE:
            pages.append([])
            size = 0
        pages[-1].append(block)
        size += length
    return [SlackMessage(fallback(page), page) for page in pages]


def block_size(block: Block) -> int:
    """The characters of text a block carries, as Slack counts them towards its limits."""
    if block["type"] == "actions":
        return sum(len(b["text"]["text"]) + len(b["value"]) for b in block["elements"])
    if block["type"] == "context":
        return sum(len(e["text"]) for e in block["elements"])
    if block["type"] == "rich_text":
        return _text_size(block["elements"])
    if block["type"] in ("divider",):
        return 0
    return len(block["text"]["text"])


def fallback(blocks: list[Block]) -> str:
    """The notification text of a message: what its text blocks show, escaped, shortened.

    Escaped, a person's ``<!channel>`` or ``<@U…>`` cannot ping from a notification either.
    """
    texts = [rich_text_plain(b) for b in blocks if b["type"] == "rich_text"]
    text = escape("\n".join(texts))
    if len(text) > FALLBACK_LIMIT:
        text = next(chunk_lines(text.split("\n"), FALLBACK_LIMIT - 1)) + "…"
    return text.strip() or " "
