"""The platform port: what a chat platform (Slack, Telegram, the terminal) offers the house,
and the narrow part of the core it is given.

A platform folder exports one factory that takes its own settings section and a
:class:`Surroundings`, and returns a :class:`Platform`. The composition root calls the factories
and hands the list to the serving and the worker processes; nothing else chooses platforms.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Protocol, TypeVar

from starlette.routing import BaseRoute

from bot.domain import ChannelRef
from bot.home import Home
from bot.incoming import Incoming
from bot.ports import StorageUnavailableError
from bot.replies import Answer, Reply
from engine.ports import ButtonStore, KeptEvent
from model_content import Language

log = logging.getLogger(__name__)
T = TypeVar("T")
# How often, and how far apart, a record of progress is tried again in place when the store
# fails for a moment (a lost connection): a message sent and not recorded would go out twice.
RECORD_ATTEMPTS = 6
RECORD_DELAY = 0.25  # seconds before the second attempt; doubled for each next one


class Core(Protocol):
    """What a platform needs of the core: handle a message, and a few facts about channels."""

    language: Language  # the installation's default language

    def handle(self, incoming: Incoming) -> list[Reply]:
        """The replies to ``incoming``; never raises (failures become a kind reply)."""
        ...

    def answer(self, incoming: Incoming) -> Answer:
        """As :meth:`handle`, with how many of the replies' messages went out before."""
        ...

    def replies_sent(self, platform: str, event_id: str, sent: int | None) -> None:
        """Record that the first ``sent`` messages of the event's replies went out (``None``:
        all of them)."""
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


class Progress:
    """How far the replies to one event have gone out, counted in messages (a reaction, a
    file, each message a reply is rendered as) in the order they are sent.

    The sender passes every message through :meth:`once`: one sent before (the event handled
    again) is skipped, one sent now is recorded with the core before the next goes out, and
    :meth:`finish` records that all went out, so the replies are no longer kept. A message
    is sent once, unless the platform timed out on it (see the README). Without an event id
    (the terminal, a message Socket Mode could not keep) nothing is recorded.

    An event the inbox handed over (``kept``) is finished there, and finishing it lets its
    kept replies go too (:meth:`engine.ports.Inbox.claim`). So when every message since the
    last record may go out again harmlessly (``repeatable``: a reaction, which a platform
    keeps once however often it is added), :meth:`finish` leaves the record to the inbox and
    the most common answer, a ✅ alone, costs no transaction of its own.
    """

    def __init__(
        self,
        core: Core | None = None,
        platform: str = "",
        event_id: str = "",
        done: int = 0,
        *,
        kept: bool = False,
    ) -> None:
        self.core = core if event_id else None
        self.platform = platform
        self.event_id = event_id
        self.done = done  # every message before this one went out (or was given up)
        self.kept = kept
        self._next = 0
        self._recorded: int | None = done
        self._repeatable = True  # every message sent since the last record may go out again

    @classmethod
    def of(cls, core: Core, incoming: Incoming, answer: Answer, *, kept: bool = False) -> Progress:
        """The progress of the replies the core gave for ``incoming`` (``kept``: an event the
        inbox handed over); one that records nothing when there is nothing to send (nothing
        was kept either)."""
        if not answer.replies or incoming.event_id is None:
            return cls()
        return cls(core, incoming.channel.platform, incoming.event_id, answer.sent, kept=kept)

    def mark(self) -> int:
        """Where the next message stands: :meth:`rewind` to it to send a reply again."""
        return self._next

    def rewind(self, mark: int) -> None:
        self._next = mark

    async def once(self, send: Callable[[], Awaitable[T]], *, repeatable: bool = False) -> T | None:
        """``send()``'s result, or ``None`` when this message went out before.
        ``repeatable``: sending it twice does no harm (a reaction)."""
        position = self._next
        self._next += 1
        if position < self.done:
            return None
        await self._record(self.done)
        result = await send()
        self.done = position + 1
        self._repeatable = self._repeatable and repeatable
        return result

    async def finish(self) -> None:
        """All messages went out: the event's replies are no longer kept (the inbox lets them
        go when it finishes a ``kept`` event whose unrecorded messages are repeatable)."""
        if self.kept and self._repeatable:
            return
        await self._record(None)

    async def _record(self, sent: int | None) -> None:
        if self.core is None or sent == self._recorded:
            return
        await recorded(self.core.replies_sent, self.platform, self.event_id, sent)
        self._recorded = sent
        self._repeatable = True


async def recorded(write: Callable[..., T], *args: object) -> T:
    """``write(*args)`` in a worker thread, tried again in place while the store fails for a
    moment: what it records is about a message already sent, which must not go out twice
    because the event was handed back for a lost connection."""
    delay = RECORD_DELAY
    for attempt in range(1, RECORD_ATTEMPTS + 1):
        try:
            return await asyncio.to_thread(write, *args)
        except StorageUnavailableError:
            if attempt == RECORD_ATTEMPTS:
                raise
            log.warning("a record of what was sent failed (attempt %d); trying again", attempt)
            await asyncio.sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")


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
