"""Renders the core's neutral replies as terminal text."""

from __future__ import annotations

import re
import textwrap

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

# Terminal control sequences in user text could move the cursor or recolour the screen.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
WIDTH = 88


def clean(text: str) -> str:
    """User or model text made safe for a terminal: no control characters but line breaks."""
    return _CONTROL.sub("", text)


def _wrap(text: str, indent: str = "", first: str = "") -> list[str]:
    lines: list[str] = []
    for paragraph in clean(text).split("\n"):
        wrapped = textwrap.wrap(
            paragraph,
            WIDTH,
            initial_indent=first or indent,
            subsequent_indent=indent,
            break_long_words=False,
        )
        lines += wrapped or [""]
        first = ""
    return lines


def _section(section: Section) -> list[str]:
    lines = [clean(section.heading).upper()] if section.heading else []
    for line in section.lines:
        lines += _wrap(line, "  ", "• ") if section.bullets else _wrap(line)
    return lines


def render(reply: Reply) -> str:
    """The reply as lines for a terminal."""
    match reply:
        case Message():
            return _message(reply)
        case QuestionCard():
            return _card(reply)
        case DocumentReply() | PictureReply():
            return clean(reply.caption)
        case Reaction():
            return "✓"
    raise TypeError(f"cannot render {type(reply).__name__}")


def _actions(actions: tuple[Action, ...]) -> str:
    """Buttons as the words that do the same: a terminal has nothing to click."""
    shown = []
    for action in actions:
        typed = f"{action.command} <text>" if action.answers else action.command
        shown.append(f"[{clean(action.label)}: {clean(typed)}]")
    return "  ".join(shown)


def _message(message: Message) -> str:
    blocks = ["\n".join(_section(s)) for s in message.sections]
    text = "\n\n".join(b for b in blocks if b)
    if message.actions:
        text += "\n" + _actions(message.actions)
    return text


def _card(card: QuestionCard) -> str:
    bar = "─" * min(WIDTH, 60)
    lines = [bar, f"{clean(card.step_title)} · {card.position}"]
    if card.heading:
        lines.append(clean(card.heading))
    lines += _wrap(card.question, "  ", "❓ ")
    lines.append(clean(card.typed_hint or card.hint))  # no threads here: say what to type
    lines.append(_actions(card.actions))
    lines.append(bar)
    return "\n".join(lines)
