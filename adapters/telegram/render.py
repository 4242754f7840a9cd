"""Renders the core's neutral replies as Telegram HTML messages with inline keyboards.

Every string is escaped, so a person's ``<fler>`` or ``&`` can never become markup. Long replies
are split at paragraph boundaries (then lines, then words) into messages Telegram accepts; nothing
is ever cut off. Rendering is pure: a button whose command does not fit ``callback_data`` gets a
token, and the message says which, for the sender to remember in the shared button store.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.replies import (
    Action,
    DocumentReply,
    Invite,
    Message,
    PictureReply,
    QuestionCard,
    Reaction,
    Reply,
    Section,
)

MAX_TEXT = 4096  # Telegram's limit per message
MAX_CALLBACK_BYTES = 64  # callback_data, in UTF-8 bytes
BUTTONS_PER_ROW = 3
TOKEN_PREFIX = "~"
ANSWER_PREFIX = "!"
_COMMAND_MARK = re.compile(r"`([^`\n]+)`")


@dataclass(frozen=True)
class Outgoing:
    """One Telegram message: HTML text (``parse_mode="HTML"``) and its keyboard, if any.

    ``tokens`` are the (token, command) pairs its buttons use: remembered before it is sent.
    """

    text: str
    keyboard: InlineKeyboardMarkup | None = None
    tokens: tuple[tuple[str, str], ...] = ()


def text_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units), which is never less than ``len``."""
    return len(text.encode("utf-16-le")) // 2


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def _line(text: str, verbatim: bool) -> str:
    """One escaped line; outside verbatim text, `command words` become <code>."""
    if verbatim:
        return escape(text)
    parts = _COMMAND_MARK.split(text)
    # split() alternates plain text and the insides of `…` marks.
    return "".join(
        f"<code>{escape(part)}</code>" if index % 2 else escape(part)
        for index, part in enumerate(parts)
    )


def _section(section: Section) -> list[str]:
    """The section as paragraphs of HTML: its heading with its first line, then one per line."""
    prefix = "• " if section.bullets else ""
    lines = [prefix + _line(line, section.verbatim) for line in section.lines]
    if section.heading:
        heading = f"<b>{escape(section.heading)}</b>"
        lines = [heading + ("\n" + lines[0] if lines else ""), *lines[1:]]
    if section.bullets or len(lines) <= 1:
        return ["\n".join(lines)] if lines else []
    return lines


def button_data(command: str) -> str:
    """The ``callback_data`` of a button for ``command``: the command itself when it fits (and
    cannot be mistaken for a token or an answer button), else its token.

    A token is derived from the command, so every process makes the same one for it.
    """
    fits = len(command.encode("utf-8")) <= MAX_CALLBACK_BYTES
    if fits and command[:1] not in (TOKEN_PREFIX, ANSWER_PREFIX):
        return command
    return TOKEN_PREFIX + hashlib.sha256(command.encode("utf-8")).hexdigest()[:24]


def is_token(data: str) -> bool:
    return data.startswith(TOKEN_PREFIX)


def invite_link(username: str, code: str) -> str:
    """The deep link that opens a private chat with the bot and sends ``/start <code>``."""
    return f"https://t.me/{username}?start={code}"


class Renderer:
    """Turns replies into :class:`Outgoing` messages.

    ``username`` gives the bot's username (from getMe) for invitation links, or ``None`` while
    it is unknown; without it an invitation is shown as its code, as on any other channel.
    """

    def __init__(self, username: Callable[[], str | None] = lambda: None) -> None:
        self.username = username

    def render(self, reply: Reply) -> list[Outgoing]:
        """The messages to send for ``reply``; empty for a reaction (the adapter reacts)."""
        match reply:
            case Message():
                return self._message(reply)
            case QuestionCard():
                return self._card(reply)
            case DocumentReply() | PictureReply():
                return [Outgoing(text) for text in split([escape(reply.caption)])]
            case Reaction():
                return []
        raise TypeError(f"cannot render {type(reply).__name__}")

    def _message(self, message: Message) -> list[Outgoing]:
        paragraphs = [f"<b>{escape(message.title)}</b>"] if message.title else []
        invite = message.invite
        username = self.username() if invite is not None else None
        for section in message.sections:
            if invite is not None and username and section == invite.manual:
                paragraphs += _invite(invite, username)
            else:
                paragraphs += _section(section)
        return _with_keyboard(split(paragraphs), message.actions)

    def _card(self, card: QuestionCard) -> list[Outgoing]:
        paragraphs = [f"<b>{escape(card.step_title)}</b> · {escape(card.position)}"]
        if card.heading:
            paragraphs.append(f"<i>{escape(card.heading)}</i>")
        paragraphs += [f"❓ {escape(card.question)}", f"<i>{escape(card.hint)}</i>"]
        return _with_keyboard(split(paragraphs), card.actions)


def _invite(invite: Invite, username: str) -> list[str]:
    link = invite_link(username, invite.code)
    anchor = f'<a href="{html.escape(link, quote=True)}">{escape(link)}</a>'
    return [anchor, escape(invite.link_hint)]


def _with_keyboard(texts: list[str], actions: tuple[Action, ...]) -> list[Outgoing]:
    """The keyboard goes under the last message, where the person finishes reading."""
    if not texts:
        return []
    last = Outgoing(texts[-1], *keyboard(actions)) if actions else Outgoing(texts[-1])
    return [Outgoing(text) for text in texts[:-1]] + [last]


def keyboard(
    actions: tuple[Action, ...],
) -> tuple[InlineKeyboardMarkup, tuple[tuple[str, str], ...]]:
    """The inline keyboard for ``actions``, and the (token, command) pairs its buttons use."""
    buttons = [InlineKeyboardButton(a.label, callback_data=_data(a)) for a in actions]
    rows = [buttons[i : i + BUTTONS_PER_ROW] for i in range(0, len(buttons), BUTTONS_PER_ROW)]
    tokens = {
        str(button.callback_data): action.command
        for button, action in zip(buttons, actions, strict=True)
        if is_token(str(button.callback_data))
    }
    return InlineKeyboardMarkup(rows), tuple(tokens.items())


def _data(action: Action) -> str:
    # An "answer" button cannot open a text box on Telegram; the adapter tells the person to
    # reply to the card instead of sending the command.
    if action.answers:
        data = ANSWER_PREFIX + action.command
        return data if len(data.encode("utf-8")) <= MAX_CALLBACK_BYTES else ANSWER_PREFIX
    return button_data(action.command)


def split(paragraphs: list[str], limit: int = MAX_TEXT) -> list[str]:
    """Paragraphs packed into as few texts of at most ``limit`` as possible, in order.

    A paragraph is kept whole when it fits; a longer one is cut at line breaks, then at spaces,
    never inside an HTML tag or entity.
    """
    texts: list[str] = []
    current = ""
    for piece in _pieces(paragraphs, limit):
        candidate = f"{current}\n\n{piece}" if current else piece
        if text_length(candidate) <= limit:
            current = candidate
            continue
        texts.append(current)
        current = piece
    return [*texts, current] if current else texts


def _pieces(paragraphs: list[str], limit: int) -> list[str]:
    pieces: list[str] = []
    for paragraph in paragraphs:
        if text_length(paragraph) <= limit:
            pieces.append(paragraph)
            continue
        pieces += _pack(paragraph.split("\n"), "\n", limit)
    return pieces


def _pack(parts: list[str], joiner: str, limit: int) -> list[str]:
    """Greedy packing of ``parts`` joined by ``joiner``; breaks too-long parts further."""
    packed: list[str] = []
    current = ""
    for part in parts:
        if text_length(part) > limit:
            packed += [current] if current else []
            current = ""
            packed += (
                _pack(_WORD_BREAK.split(part), " ", limit) if joiner == "\n" else _hard(part, limit)
            )
            continue
        candidate = f"{current}{joiner}{part}" if current else part
        if text_length(candidate) <= limit:
            current = candidate
        else:
            packed.append(current)
            current = part
    return [*packed, current] if current else packed


# A space outside any tag pair: the next tag after it is not a closing one.
_WORD_BREAK = re.compile(r" (?![^<]*</(?:b|i|code)>)")
_ATOM = re.compile(r"<[^>]*>|&[a-z#0-9]+;|.", re.DOTALL)


def _hard(word: str, limit: int) -> list[str]:
    """A word longer than a message, cut between characters but never inside a tag or entity.

    Tags of a word this long only come from ``<code>`` marks; a cut may leave one open, so cut
    pieces drop their tags and keep the text.
    """
    atoms = [a for a in _ATOM.findall(word) if not a.startswith("<")]
    pieces: list[str] = []
    current = ""
    for atom in atoms:
        if text_length(current + atom) > limit:
            pieces.append(current)
            current = ""
        current += atom
    return [*pieces, current] if current else pieces
