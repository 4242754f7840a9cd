"""Neutral replies that adapters render: Block Kit, Telegram HTML, terminal text.

Every string here is plain text. Formatting is structure (a heading, a bullet list), never
markup inside a string, so renderers escape every string and user text can never become markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from bot.document import Document, Picture


@dataclass(frozen=True)
class Action:
    """A button. Pressing it sends ``command`` to the core as if the person had typed it.

    An answer button (``answers`` set) instead asks the adapter to collect free text (a modal,
    a reply) as the answer to question ``answers``: the adapter hands the core that text with
    the question id, and never reads the id out of ``command``, which is only what a person
    without buttons would type.
    """

    label: str
    command: str
    style: str = "default"  # "primary" marks the main action
    answers: str | None = None


def answer_action(label: str, question_id: str, command: str) -> Action:
    """The button that answers ``question_id`` (a question card's, a check-in's); ``command``
    is what a person without buttons types before their answer."""
    return Action(label, command, "primary", answers=question_id)


@dataclass(frozen=True)
class Section:
    heading: str | None = None
    lines: tuple[str, ...] = ()
    bullets: bool = False
    # Lines carry text a person wrote or the model's own words: render them literally, with no
    # command marks (`…`) interpreted. Everything is escaped either way.
    verbatim: bool = False


@dataclass(frozen=True)
class Invite:
    """An invitation code a platform may turn into a link that opens a private chat with the bot
    (Telegram: ``https://t.me/<bot>?start=<code>``).

    ``manual`` is one of the message's sections: how to use the code by typing it. A renderer
    that can make a link shows the link and ``link_hint`` in its place; any other renderer just
    renders the message's sections, ``manual`` among them.
    """

    code: str
    manual: Section
    link_hint: str


@dataclass(frozen=True)
class Message:
    sections: tuple[Section, ...]
    actions: tuple[Action, ...] = ()
    private: bool = False  # only for the person who asked (Slack ephemeral, console alike)
    title: str | None = None
    invite: Invite | None = None
    # The questions this message asks (a check-in's): a reply to it answers them, as a reply
    # to a question card answers its question. A platform that posts it says so to the core.
    asks: tuple[str, ...] = ()

    @property
    def plain_text(self) -> str:
        """The message as plain text: for notifications, logs of tests, the terminal."""
        parts: list[str] = [self.title] if self.title else []
        for section in self.sections:
            if section.heading:
                parts.append(section.heading)
            prefix = "• " if section.bullets else ""
            parts.extend(prefix + line for line in section.lines)
        return "\n".join(parts)


@dataclass(frozen=True)
class QuestionCard:
    """One question of the model, posted so that replies to it are recorded as answers."""

    collaboration_id: str
    question_id: str
    step_title: str
    heading: str | None
    question: str
    position: str  # "2/7"
    hint: str
    actions: tuple[Action, ...] = field(default_factory=tuple)
    # How to answer where there are no threads or replies (a terminal): the command to type.
    typed_hint: str = ""

    @property
    def plain_text(self) -> str:
        lines = [f"{self.step_title} ({self.position})"]
        if self.heading:
            lines.append(self.heading)
        lines += [self.question, self.hint]
        return "\n".join(lines)


@dataclass(frozen=True)
class DocumentReply:
    """A document to send as a file: the core's content, rendered at the edge to ``format``
    (``pdf`` or ``md``) under ``filename``; a private one to the person who asked alone."""

    document: Document
    format: Literal["pdf", "md"]
    filename: str
    caption: str = ""
    # For the person who asked alone: sent to them privately (a Slack direct message, their
    # Telegram chat with the bot), never to the channel.
    private: bool = False

    @property
    def plain_text(self) -> str:
        return self.caption


@dataclass(frozen=True)
class PictureReply:
    """A picture (the model's map, a chart), to send as an image (PNG) with its text
    alternative."""

    picture: Picture
    filename: str
    caption: str = ""

    @property
    def plain_text(self) -> str:
        return f"{self.caption}\n{self.picture.alt_text}" if self.caption else self.picture.alt_text


@dataclass(frozen=True)
class Reaction:
    """Acknowledge the person's message without posting anything (Slack reaction, Telegram)."""

    emoji: str = "white_check_mark"

    @property
    def plain_text(self) -> str:
        return "✓"


FileReply = DocumentReply | PictureReply  # a reply that travels as a file
Reply = Message | QuestionCard | DocumentReply | PictureReply | Reaction


@dataclass(frozen=True)
class Answer:
    """The replies to an event, and how many of their messages went out before (an event
    handled again: those are not sent twice)."""

    replies: list[Reply]
    sent: int = 0
