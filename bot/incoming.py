"""What an adapter hands the core: one message from one person in one channel."""

from __future__ import annotations

from dataclasses import dataclass

from bot.commands import Command
from bot.domain import ChannelRef, Person
from model_content import Language


@dataclass(frozen=True)
class Incoming:
    """A message addressed to the bot, or a reply to one of its question cards.

    ``text`` is the command text without the platform's addressing (no ``/samverkan``, no
    ``@bot``). ``reply_to`` is the platform reference of the message this one replies to (a
    Slack thread's parent ``ts``, a Telegram ``reply_to_message``), ``message_ref`` this message's
    own reference, so that an edit (``edited=True``) updates the answer it gave and a deletion
    (``deleted=True``, the text then empty) withdraws it.
    ``mentions`` are the people the platform says the text mentions, in order.
    ``addressed`` is False for a message the bot merely saw (a reply in some thread): it counts
    as an answer if it replies to a question card, and is otherwise left alone.
    ``event_id`` is the platform's id for the delivery that carried the message, if it has one:
    a delivery handled once is never handled again, however often it arrives. ``final`` says
    this is the last time it is handed over: a store that fails now is told to the person
    (nothing was saved) instead of raised for another try.

    An adapter that knows what the person meant says so, rather than writing text for the
    parser: ``answers`` is the question id the text answers (a form made for that question),
    ``order`` the command a platform gesture stands for (a deep link that joins by an
    invitation), and ``language`` the person's own language where the platform tells it.
    """

    channel: ChannelRef
    author: Person
    text: str
    message_ref: str | None = None
    reply_to: str | None = None
    edited: bool = False
    deleted: bool = False
    mentions: tuple[Person, ...] = ()
    addressed: bool = True
    event_id: str | None = None
    final: bool = False
    answers: str | None = None
    order: Command | None = None
    language: Language | None = None
