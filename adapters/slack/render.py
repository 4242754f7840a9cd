"""Renders the core's neutral replies as Block Kit messages.

Every string is escaped for mrkdwn, so user text such as ``<!channel>`` or ``<@U1>`` shows as
typed and never pings. Content is split, never truncated: into sections of at most
``SECTION_LIMIT`` characters and into several messages of at most ``BLOCKS_PER_MESSAGE`` blocks.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from bot.replies import Action, FileReply, Message, QuestionCard, Reaction, Reply, Section

Block = dict[str, Any]

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


@dataclass(frozen=True)
class SlackMessage:
    """One ``chat.postMessage``: the notification fallback ``text`` and the ``blocks``."""

    text: str
    blocks: list[Block] = field(default_factory=list)


def escape(text: str) -> str:
    """``text`` with the three characters mrkdwn gives meaning to replaced by entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render(reply: Reply) -> list[SlackMessage]:
    """The messages that show ``reply``; none for a reaction, which is not a message."""
    match reply:
        case Message():
            return render_message(reply)
        case QuestionCard():
            return render_card(reply)
        case FileReply():
            return render_file(reply)
        case Reaction():
            return []
    raise TypeError(f"cannot render {type(reply).__name__}")


def render_message(message: Message) -> list[SlackMessage]:
    blocks: list[Block] = []
    if message.title:
        blocks += _text_blocks([_bold(message.title)])
    for section in message.sections:
        blocks += _text_blocks(_section_lines(section))
    blocks += action_blocks(message.actions)
    return paginate(blocks)


def render_card(card: QuestionCard) -> list[SlackMessage]:
    lines = [f"{_bold(card.step_title)} ({escape(card.position)})"]
    if card.heading:
        lines.append(escape(card.heading))
    lines.append(_bold(card.question))
    blocks = _text_blocks(lines)
    blocks.append(
        {"type": "context", "elements": [{"type": "mrkdwn", "text": _chunk_one(card.hint)}]}
    )
    blocks += action_blocks(card.actions)
    return paginate(blocks)


def render_file(file: FileReply) -> list[SlackMessage]:
    """An export shown as messages: the caption, then the content line by line."""
    heading = file.caption or file.filename
    section = Section(heading, tuple(file.content.splitlines()), verbatim=True)
    return paginate(_text_blocks(_section_lines(section)))


def action_blocks(actions: Iterable[Action]) -> list[Block]:
    """Buttons in actions blocks of at most 25; ``value`` is the command the button sends."""
    buttons = [_button(n, action) for n, action in enumerate(actions)]
    return [
        {"type": "actions", "elements": buttons[i : i + BUTTONS_PER_BLOCK]}
        for i in range(0, len(buttons), BUTTONS_PER_BLOCK)
    ]


def _button(number: int, action: Action) -> Block:
    kind = "answer" if action.kind == "answer" else "cmd"
    button: Block = {
        "type": "button",
        "action_id": f"{ACTION_PREFIX}{kind}_{number}",
        "text": {"type": "plain_text", "text": _shorten(action.label, BUTTON_TEXT_LIMIT)},
        "value": action.command[:BUTTON_VALUE_LIMIT],
    }
    if action.style in ("primary", "danger"):
        button["style"] = action.style
    return button


def _section_lines(section: Section) -> list[str]:
    lines = [_bold(section.heading)] if section.heading else []
    prefix = "• " if section.bullets else ""
    lines += [prefix + escape(line) for line in section.lines]
    return lines


def _bold(text: str) -> str:
    return f"*{escape(text.strip())}*" if text.strip() else ""


def _shorten(text: str, limit: int) -> str:
    """Labels only (never content): a button's text must fit its limit."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _text_blocks(lines: list[str]) -> list[Block]:
    """Escaped lines as mrkdwn sections of at most ``SECTION_LIMIT`` characters each."""
    return [_section_block(chunk) for chunk in chunk_lines(lines, SECTION_LIMIT)]


def _section_block(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _chunk_one(text: str) -> str:
    return next(iter(chunk_lines([escape(text)], SECTION_LIMIT)), " ")


def chunk_lines(lines: Iterable[str], limit: int) -> Iterator[str]:
    """Join ``lines`` into texts of at most ``limit`` characters, breaking between lines.

    A paragraph break (empty line) is preferred; a line longer than ``limit`` is cut at a space,
    or hard if it has none, but never inside an ``&…;`` entity. No character is lost.
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
        length = _block_size(block)
        if not pages or len(pages[-1]) >= BLOCKS_PER_MESSAGE or size + length > CHARS_PER_MESSAGE:
            pages.append([])
            size = 0
        pages[-1].append(block)
        size += length
    return [SlackMessage(fallback(page), page) for page in pages]


def _block_size(block: Block) -> int:
    if block["type"] == "actions":
        return sum(len(b["text"]["text"]) + len(b["value"]) for b in block["elements"])
    if block["type"] == "context":
        return sum(len(e["text"]) for e in block["elements"])
    return len(block["text"]["text"])


def fallback(blocks: list[Block]) -> str:
    """The notification text of a message: its escaped section texts, shortened."""
    texts = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    text = "\n".join(texts).replace("*", "")
    if len(text) > FALLBACK_LIMIT:
        text = next(chunk_lines(text.split("\n"), FALLBACK_LIMIT - 1)) + "…"
    return text or " "
