"""The platform port: what a chat platform (Slack, Telegram, the terminal) offers the house,
and the narrow part of the core it is given.

A platform folder exports one factory that takes its own settings section and a
:class:`Surroundings`, and returns a :class:`Platform`. The composition root calls the factories
and hands the list to the serving and the worker processes; nothing else chooses platforms.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Protocol

from starlette.routing import BaseRoute

from bot.domain import ChannelRef
from bot.home import Home
from bot.incoming import Incoming
from bot.replies import Reply
from engine.ports import ButtonStore, KeptEvent
from model_content import Language


class Core(Protocol):
    """What a platform needs of the core: handle a message, and a few facts about channels."""

    language: Language  # the installation's default language

    def handle(self, incoming: Incoming) -> list[Reply]:
        """The replies to ``incoming``; never raises (failures become a kind reply)."""
        ...

    def card_posted(self, channel: ChannelRef, message_ref: str, question_id: str) -> None:
        """Remember that ``message_ref`` is a card for ``question_id``, so replies answer it."""
        ...

    def move_channel(self, old: ChannelRef, new: ChannelRef) -> bool: ...

    def home(self, platform: str, workspace: str, user_id: str) -> Home: ...

    def language_in(self, channel: ChannelRef) -> Language: ...


# Keeps a verified event in the inbox and wakes a worker; ``False`` when it was kept before.
Keep = Callable[[KeptEvent], Awaitable[bool]]


@dataclass(frozen=True)
class Surroundings:
    """What the house gives a platform: the core, the inbox to keep events in, and the shared
    store of button tokens. The core's calls do database work: call them in a worker thread
    (``asyncio.to_thread``), never on the event loop."""

    core: Core
    keep: Keep
    buttons: ButtonStore


@dataclass(frozen=True)
class Target:
    """Where replies go: the channel, and what they answer.

    ``person`` asked (a private reply is for them); ``message_ref`` is the message answered
    (a reaction marks it; Telegram answers it); ``thread_ref`` the thread to answer in (Slack);
    ``respond_url`` the platform's own address for answering this request where the bot cannot
    post (a Slack slash command in a channel the bot is not in); ``only_for`` the people a
    message is for alone (the note to the coordinators: ephemeral in Slack, silent in Telegram).
    """

    channel: ChannelRef
    person: str | None = None
    message_ref: str | None = None
    thread_ref: str | None = None
    respond_url: str | None = None
    only_for: tuple[str, ...] = ()


class SendError(Exception):
    """A platform did not take a message. The base class: retry with back-off."""


class RetryLaterError(SendError):
    """The platform asked us to wait (a 429): try again after ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class UnreachableError(SendError):
    """The channel is out of the bot's reach for good (removed, archived, uninstalled): no
    retry will change that."""


class Sender(Protocol):
    async def send(self, target: Target, replies: Sequence[Reply]) -> None:
        """Send ``replies`` in order to ``target``, with the platform's one retry policy.

        Raises :class:`RetryLaterError`, :class:`UnreachableError` or another
        :class:`SendError` when a message could not be sent after that policy's retries."""
        ...


class Platform(Sender, Protocol):
    """One chat platform, as the serving and the worker processes see it.

    The serving process mounts ``routes()`` (verify → keep in the inbox → acknowledge) and
    enters ``receiving()`` (what else brings events: setting the webhook, long polling, Socket
    Mode). Every process that handles events or sends enters ``handling()`` (clients opened
    and closed), and the inbox worker calls ``handle`` for each kept event of this platform.
    """

    name: str

    def routes(self) -> Sequence[BaseRoute]: ...

    def receiving(self) -> AbstractAsyncContextManager[None]: ...

    def handling(self) -> AbstractAsyncContextManager[None]: ...

    def chat_of(self, event: KeptEvent) -> str:
        """The conversation ``event`` belongs to: events of one chat are handled in order."""
        ...

    async def handle(self, event: KeptEvent) -> None:
        """Handle a kept event to the end (replies sent); raise to have it tried again."""
        ...
