"""The one way out to Telegram: replies and nudges alike, with one retry policy.

:func:`call` is the policy for every Bot API request the adapter makes. It retries what may
pass on a second try (time-outs, connection failures and 5xx) with a growing back-off, waits a
short flood limit (a 429's ``retry_after`` of at most :data:`LONGEST_WAIT` seconds) in place
where its caller may wait, and otherwise raises the typed errors of :mod:`engine.platform`: a
longer flood limit is a :class:`RetryLaterError`, a chat the bot can no longer write to an
:class:`UnreachableError`, anything else a :class:`SendError`. Pacing many chats is the
engine's job, not this module's.

The replies to an event (:meth:`TelegramSender.answer`) wait out longer flood limits as well,
within :data:`REPLY_PATIENCE` seconds of the first, and go on with the rest: the person is
waiting for them. Past that the event is tried again later, and only the messages that did not
go out are sent then (:class:`engine.platform.Progress`). A nudge (:meth:`TelegramSender.send`)
raises at a 429 before any part of it went out and goes back to the outbox for the wait: tried
again in place, it would go out past the pacing that keeps a fan-out within Telegram's 30 a
second.
"""

from __future__ import annotations

import asyncio
import functools
import io
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from PIL import Image
from telegram import Bot, InputFile, ReactionTypeEmoji, ReplyParameters
from telegram import Message as TelegramMessage
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from adapters.telegram.render import Outgoing, Renderer, escape
from adapters.telegram.translate import PLATFORM
from bot.domain import ChannelRef
from bot.replies import (
    DocumentReply,
    FileReply,
    Message,
    PictureReply,
    QuestionCard,
    Reaction,
    Reply,
)
from bot.texts import text
from documents import Attachment, attachment
from engine import metrics
from engine.platform import (
    Progress,
    RetryLaterError,
    SendError,
    Surroundings,
    Target,
    UnreachableError,
    recorded,
)

log = logging.getLogger(__name__)

T = TypeVar("T")
ATTEMPTS = 4
FIRST_DELAY = 0.5  # seconds before the second attempt; doubled for each next one
LONGEST_WAIT = 5.0  # seconds of a 429's retry_after waited here; longer, the caller waits
# Seconds from the first reply of an event within which its replies still wait out a flood
# limit: the last request then has 20 more for its own retries before the platform's
# PROCESS_TIMEOUT (40 s) cuts the handling off, which could send the message in flight twice.
# Beyond it the event goes back to the inbox until Telegram's retry_after.
REPLY_PATIENCE = 20.0
# Telegram accepts only a fixed set of reaction emoji; a thumbs-up is always among them.
REACTION = "👍"
MAX_CAPTION = 1024
# What the Bot API takes in a request: a document up to 50 MB, a photo up to 10 MB.
MAX_DOCUMENT_BYTES = 50_000_000
MAX_PHOTO_BYTES = 10_000_000
# Telegram's answer (HTTP 413) to a request with a file larger than it takes.
_TOO_LARGE = "request entity too large"
# Telegram has no typed answer for a chat that is gone: a 400 with this description.
_CHAT_NOT_FOUND = "chat not found"


class FileTooLargeError(SendError):
    """Telegram refused a file as larger than it takes (HTTP 413)."""


async def call(
    request: Callable[[], Awaitable[T]], posts: bool = False, longest_wait: float = LONGEST_WAIT
) -> T:
    """``request()``'s result, under the adapter's one retry policy (see the module); a 429
    asking to wait longer than ``longest_wait`` seconds is raised.

    ``posts``: the request posts a message. The Bot API has no idempotency key, so when such
    a request times out Telegram may have posted it all the same: it is tried again, and
    counted as possibly sent."""
    delay = FIRST_DELAY
    for attempt in range(1, ATTEMPTS + 1):
        last = attempt == ATTEMPTS
        try:
            return await request()
        except RetryAfter as error:
            wait = seconds_to_wait(error)
            metrics.rate_limited(PLATFORM, wait)
            if wait > longest_wait or last:
                raise RetryLaterError(str(error), wait) from error
            log.info("telegram asks to wait %.1f s (attempt %d)", wait, attempt)
            await asyncio.sleep(wait)
        except Forbidden as error:  # removed from the group, or blocked by the person
            raise UnreachableError(str(error)) from error
        except BadRequest as error:  # a NetworkError too, but the request itself is wrong
            if _CHAT_NOT_FOUND in str(error).casefold():
                raise UnreachableError(str(error)) from error
            raise SendError(str(error)) from error
        except NetworkError as error:  # time-outs, connection failures, 5xx
            if _TOO_LARGE in str(error).casefold():  # a 413 will never pass
                raise FileTooLargeError(str(error)) from error
            if posts and isinstance(error, TimedOut):
                metrics.possibly_sent(PLATFORM)
                log.warning("telegram timed out on a message, which may have been posted")
            if last:
                raise SendError(str(error)) from error
            log.warning("telegram call failed (%s), attempt %d; retrying", error, attempt)
            await asyncio.sleep(delay)
            delay *= 2
        except ChatMigrated as error:  # the group became a supergroup with a new chat id
            # The collaboration moves along with it (the migration update); what was bound for
            # the old chat id can never arrive there.
            raise UnreachableError(str(error)) from error
        except TelegramError as error:  # an invalid token, a conflict
            raise SendError(str(error)) from error
    raise AssertionError("unreachable")


def seconds_to_wait(error: RetryAfter) -> float:
    """A 429's ``retry_after`` in seconds (PTB gives an int, or a timedelta if asked to)."""
    retry_after: int | timedelta = error.retry_after
    if isinstance(retry_after, timedelta):
        return retry_after.total_seconds()
    return float(retry_after)


@dataclass
class _Patience:
    """Until when (the event loop's clock) one sending may wait out flood limits in place:
    every second counts, the retries inside :func:`call` too. A nudge has none of its own
    until part of it went out (``begun``): it cannot go back to the outbox whole then without
    repeating that part, so it waits a short flood limit in place from there on."""

    ends: float
    begun: Progress | None = None

    @classmethod
    def of(cls, seconds: float) -> _Patience:
        return cls(asyncio.get_running_loop().time() + seconds)

    def take(self, seconds: float) -> bool:
        """Whether a wait of ``seconds`` still ends in time."""
        return asyncio.get_running_loop().time() + seconds <= self.ends

    def in_place(self) -> float:
        """The longest flood limit :func:`call` may wait out itself now: none once patience
        is spent, unless part of a nudge went out (else the outbox waits, and delivery paces
        the next try)."""
        if self.begun is not None and self.begun.done > 0:
            return LONGEST_WAIT
        return min(LONGEST_WAIT, max(0.0, self.ends - asyncio.get_running_loop().time()))


class TelegramSender:
    """Sends neutral replies to a chat: rendered, their buttons' tokens remembered first,
    question cards recorded with the core once posted."""

    def __init__(self, bot: Bot, surroundings: Surroundings, renderer: Renderer) -> None:
        self.bot = bot
        self.surroundings = surroundings
        self.renderer = renderer

    async def send(self, target: Target, replies: Sequence[Reply]) -> None:
        """Every reply in order (see :class:`engine.platform.Sender`); a flood limit is the
        caller's to wait out, unless part of the replies went out already."""
        progress = Progress()
        patience = _Patience(asyncio.get_running_loop().time(), begun=progress)
        await self._send_all(target, replies, patience, progress)

    async def answer(
        self, target: Target, replies: Sequence[Reply], progress: Progress | None = None
    ) -> None:
        """The replies to an event, in order: as :meth:`send`, but flood limits are waited out
        in place within :data:`REPLY_PATIENCE` seconds, and what is left then goes out. A
        longer wait raises :class:`RetryLaterError`; the event is tried again later, and
        ``progress`` sees to it that only what was not sent goes out then."""
        progress = progress or Progress()
        await self._send_all(target, replies, _Patience.of(REPLY_PATIENCE), progress)
        await progress.finish()

    async def _send_all(
        self, target: Target, replies: Sequence[Reply], patience: _Patience, progress: Progress
    ) -> None:
        for reply in replies:
            await self._send_one(target, reply, patience, progress)

    async def _call(
        self, request: Callable[[], Awaitable[T]], patience: _Patience, posts: bool = False
    ) -> T:
        """:func:`call`, its flood limits waited out here while ``patience`` lasts. One request
        is repeated, never the messages sent before it."""
        while True:
            try:
                return await call(request, posts, patience.in_place())
            except RetryLaterError as error:
                if not patience.take(error.retry_after):
                    raise
                log.info("telegram asks to wait %.1f s; the replies wait", error.retry_after)
                await asyncio.sleep(error.retry_after)

    async def _send_one(
        self, target: Target, reply: Reply, patience: _Patience, progress: Progress
    ) -> None:
        chat_id = int(target.channel.channel)
        match reply:
            case Reaction():
                if target.message_ref is not None:
                    message_id = int(target.message_ref)
                    react = functools.partial(self._react, chat_id, message_id, patience)
                    await progress.once(react, repeatable=True)
            case DocumentReply(private=True):
                await progress.once(lambda: self._privately(target, reply, patience))
            case DocumentReply() | PictureReply():
                await progress.once(lambda: self._file(target, reply, patience))
            case QuestionCard():
                messages = self.renderer.render(reply)
                for message_id in await self._texts(
                    chat_id, messages, target, patience, progress=progress
                ):
                    await self._card_posted(target, message_id, reply.question_id)
            case Message():
                # Telegram has no messages only one person sees: a private reply answers the
                # person's own message so that it is clear whom it is for.
                answered = target.message_ref if reply.private else None
                messages = self.renderer.render(reply)
                sent = await self._texts(chat_id, messages, target, patience, answered, progress)
                for message_id in sent if reply.asks else []:  # a check-in: replies answer
                    for question_id in reply.asks:
                        await self._card_posted(target, message_id, question_id)

    async def _card_posted(self, target: Target, message_id: int, question_id: str) -> None:
        core = self.surroundings.core
        await recorded(core.card_posted, target.channel, str(message_id), question_id)

    async def _react(self, chat_id: int, message_id: int, patience: _Patience) -> None:
        reaction = [ReactionTypeEmoji(REACTION)]
        await self._call(
            lambda: self.bot.set_message_reaction(chat_id, message_id, reaction), patience
        )

    async def _texts(
        self,
        chat_id: int,
        messages: list[Outgoing],
        target: Target,
        patience: _Patience,
        answered: str | None = None,
        progress: Progress | None = None,
    ) -> list[int]:
        """The ids of the messages sent now (``progress`` skips those sent before)."""
        # A group cannot show a message to some members only: a note for some arrives silently.
        quiet = True if target.only_for else None
        reply = (
            ReplyParameters(int(answered), allow_sending_without_reply=True) if answered else None
        )
        progress = progress or Progress()
        sent: list[int] = []
        for outgoing in messages:

            async def one(outgoing: Outgoing = outgoing) -> TelegramMessage:
                await self._remember(outgoing.tokens)
                return await self._call(
                    lambda: self.bot.send_message(
                        chat_id,
                        outgoing.text,
                        parse_mode=ParseMode.HTML,
                        reply_markup=outgoing.keyboard,
                        reply_parameters=reply,
                        disable_notification=quiet,
                    ),
                    patience,
                    posts=True,
                )

            message = await progress.once(one)
            if message is not None:
                sent.append(message.message_id)
        return sent

    async def _remember(self, tokens: tuple[tuple[str, str], ...]) -> None:
        """Keeps the message's tokens before it is sent: a press may come at once, and to any
        process."""
        if not tokens:
            return
        buttons = self.surroundings.buttons
        now = datetime.now(UTC)

        def remember() -> None:
            for token, command in tokens:
                buttons.remember(token, command, now)

        await asyncio.to_thread(remember)

    async def _file(self, target: Target, reply: FileReply, patience: _Patience) -> None:
        """The file rendered (in a worker thread): a picture as a photo with its text
        alternative, else as a document. A photo Telegram will not take as one (too large,
        too wide) goes as a document; a file too large for Telegram at all becomes a note
        saying so, with the way to get it another way."""
        chat_id = int(target.channel.channel)
        file = await asyncio.to_thread(attachment, reply)
        if file.image and fits_as_photo(file):
            try:
                await self._photo(chat_id, file, patience)
                return
            except SendError as error:
                if not _photo_refused(error):
                    raise
                log.info("telegram would not take a picture as a photo (%s)", error)
                log.debug("the picture Telegram would not take: %s", file.filename)
        if len(file.data) > MAX_DOCUMENT_BYTES:
            await self._too_large(target, file, patience)
            return
        try:
            await self._document(chat_id, file, patience)
        except FileTooLargeError:
            await self._too_large(target, file, patience)

    async def _privately(self, target: Target, reply: DocumentReply, patience: _Patience) -> None:
        """A file for the person who asked alone, in their private chat with the bot (its id
        is theirs). Telegram lets a bot write there only once the person has: if they have
        not, a note answering their message says how."""
        if target.person is None:
            log.error("a private file in %s has no one to go to", target.channel.key)
            return
        channel = ChannelRef(target.channel.platform, target.channel.workspace, target.person)
        try:
            await self._file(Target(channel, person=target.person), reply, patience)
        except UnreachableError as error:
            log.info("telegram will not take a private file yet: %s", error)
            language = await asyncio.to_thread(self.surroundings.core.language_in, target.channel)
            note = [Outgoing(escape(text("private_file_refused", language)))]
            chat_id = int(target.channel.channel)
            await self._texts(chat_id, note, target, patience, target.message_ref)

    async def _photo(self, chat_id: int, file: Attachment, patience: _Patience) -> None:
        caption = _caption(file.caption, file.alt_text)
        photo = InputFile(file.data, filename=file.filename)
        await self._call(
            lambda: self.bot.send_photo(chat_id, photo, caption=caption, parse_mode=ParseMode.HTML),
            patience,
            posts=True,
        )

    async def _document(self, chat_id: int, file: Attachment, patience: _Patience) -> None:
        caption = _caption(file.caption, file.alt_text)
        document = InputFile(file.data, filename=file.filename)
        await self._call(
            lambda: self.bot.send_document(
                chat_id, document, caption=caption, parse_mode=ParseMode.HTML
            ),
            patience,
            posts=True,
        )

    async def _too_large(self, target: Target, file: Attachment, patience: _Patience) -> None:
        language = await asyncio.to_thread(self.surroundings.core.language_in, target.channel)
        megabytes = f"{len(file.data) / 1_000_000:.1f}"
        note = text("file_too_large", language, name=file.filename, size=megabytes)
        await self._texts(int(target.channel.channel), [Outgoing(escape(note))], target, patience)


def fits_as_photo(file: Attachment) -> bool:
    """Whether Telegram takes ``file`` as a photo: at most 10 MB, width and height at most
    10,000 together, neither more than 20 times the other (Bot API, sendPhoto)."""
    if len(file.data) > MAX_PHOTO_BYTES:
        return False
    width, height = Image.open(io.BytesIO(file.data)).size
    return width + height <= 10_000 and max(width, height) <= 20 * min(width, height)


def _photo_refused(error: SendError) -> bool:
    # PTB gives Telegram's reason with its case changed ("Photo_save_file_invalid").
    said = str(error).casefold()
    return any(reason in said for reason in ("photo_invalid_dimensions", "photo_save_file"))


def _caption(caption: str, alt_text: str) -> str | None:
    """The caption as Telegram HTML, with the picture's text alternative when both fit."""
    if alt_text:
        both = escape(f"{caption}\n\n{alt_text}" if caption else alt_text)
        if len(both) <= MAX_CAPTION:
            return both
    short = escape(caption)
    return short if short and len(short) <= MAX_CAPTION else None
