"""The one sending path to Slack: the core's replies to an event, and nudges, alike.

Every message is rendered as Block Kit (:mod:`adapters.slack.render`) and posted with the
policy's client (:mod:`adapters.slack.policy`), carrying the one bot token or, over OAuth, the
token of the channel's workspace.

A slash command may come from a channel the bot has not joined; Slack then refuses
``chat.postMessage`` with ``not_in_channel``. Such replies go through the command's
``response_url`` instead, with a short hint to invite the bot.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import logging
from collections.abc import AsyncIterator, Sequence

from aiohttp import ClientError, ClientSession
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.slack.oauth import Installations
from adapters.slack.policy import (
    connections,
    raise_port_error,
    reason,
    refusal,
    retry_handlers,
    web_client,
)
from adapters.slack.render import SlackMessage, ours, paginate, plain, render, text_blocks
from adapters.slack.translate import PLATFORM
from bot.domain import ChannelRef
from bot.replies import DocumentReply, FileReply, Message, QuestionCard, Reaction, Reply
from bot.texts import text
from documents import Attachment, attachment
from engine import metrics
from engine.platform import Core, Progress, RetryLaterError, Target, UnreachableError, recorded

log = logging.getLogger(__name__)

# What chat.postMessage answers in a channel the bot is not a member of (a private channel
# it was never invited to is "channel_not_found").
NOT_JOINED = frozenset({"not_in_channel", "channel_not_found"})
# For how many seconds after the replies to an event start going out a longer rate limit is
# still waited out (a nudge instead goes back to the outbox for the wait). The inbox gives an
# event's handling half its 2-minute lease, 60 s; past that the event is cancelled and handled
# again, and the message in flight may go out twice. 30 s, plus the client's own in-place
# retries of the post after the wait (3 × up to 5 s), leaves room within that for the core and
# the other replies.
REPLY_PATIENCE = 30.0
# Why Slack may refuse a file a workspace does not take (files.getUploadURLExternal).
FILE_REFUSED = frozenset(
    {"file_upload_size_restricted", "file_uploads_disabled", "file_uploads_except_images_disabled"}
)
MAX_ALT_TEXT = 1000  # characters Slack takes as an image's alt_txt
# Why Slack may not open a person's direct message with the bot (conversations.open).
DIRECT_REFUSED = frozenset({"missing_scope", "user_not_found", "user_disabled", "not_allowed"})
# Slack's own failures, which it may answer with HTTP 200 too (chat.postMessage's errors): a
# reply they refuse is tried again with the event, not given up.
SLACK_FAILING = frozenset({"fatal", "internal_error", "service_unavailable", "request_timeout"})
# What chat.postEphemeral answers for someone no longer in the channel.
NOT_THERE = frozenset({"user_not_in_channel", "user_not_found"})


class SlackSender:
    """Posts replies in order; a card's ``ts`` is reported to the core so that thread replies
    answer it.

    ``installations`` (OAuth) names each workspace's bot token; without it every message goes
    out with ``bot_token``.
    """

    def __init__(
        self,
        core: Core,
        api_url: str,
        bot_token: str | None = None,
        installations: Installations | None = None,
        timeout: int = 30,
    ) -> None:
        self.core = core
        self.api_url = api_url
        self.installations = installations
        self.timeout = timeout
        self.bot_token = bot_token
        self.client = web_client(bot_token, api_url, timeout)
        # While connected: a pool of connections, usable on the loop that opened it only.
        self._pool: tuple[asyncio.AbstractEventLoop, ClientSession, AsyncWebClient] | None = None

    @contextlib.asynccontextmanager
    async def connected(self) -> AsyncIterator[None]:
        """Calls made meanwhile on this event loop share a pool of kept-open connections,
        instead of a new connection (and TLS handshake) for every reaction and message."""
        session = connections(self.timeout)
        pooled = web_client(self.bot_token, self.api_url, self.timeout, session)
        self._pool = (asyncio.get_running_loop(), session, pooled)
        try:
            yield
        finally:
            self._pool = None
            await session.close()

    async def send(self, target: Target, replies: Sequence[Reply]) -> None:
        """Post ``replies`` in order; raise the port's error for the first one Slack does not
        take (:class:`~engine.platform.RetryLaterError`, :class:`UnreachableError`,
        :class:`SendError`)."""
        await self._post_all(target, replies, keep_going=False, progress=Progress())

    async def answer(
        self, target: Target, replies: Sequence[Reply], progress: Progress | None = None
    ) -> None:
        """Post the replies to an event: as :meth:`send`, but a reply Slack refuses for good
        (a bad request, a channel out of reach) is logged and the rest still go out. A Slack
        that fails (no answer, a 5xx after the policy's retries) or asks to wait longer than
        the person can raises, so that the event is handled again; ``progress`` sees to it
        that only the messages not yet posted go out then."""
        progress = progress or Progress()
        await self._post_all(target, replies, keep_going=True, progress=progress)
        await progress.finish()

    async def _post_all(
        self, target: Target, replies: Sequence[Reply], keep_going: bool, progress: Progress
    ) -> None:
        client = await self._client(target.channel.workspace)
        loop = asyncio.get_running_loop()
        patience_ends = loop.time() + REPLY_PATIENCE
        pending = list(replies)
        while pending:
            reply = pending.pop(0)
            mark = progress.mark()
            try:
                await self._post_one(client, target, reply, progress)
            except SlackApiError as error:
                if reason(error) in NOT_JOINED and target.respond_url is not None:
                    progress.rewind(mark)
                    await self._respond_all(target, [reply, *pending], progress)
                    return
                refused = refusal(error, target.channel.key)
                if not keep_going:
                    raise refused from error
                if isinstance(refused, RetryLaterError):
                    if loop.time() + refused.retry_after > patience_ends:
                        raise refused from error  # the event waits in the inbox instead
                    # The person is waiting for this answer: wait out the limit, then go on.
                    await asyncio.sleep(refused.retry_after)
                    pending.insert(0, reply)
                    progress.rewind(mark)  # its messages posted already are not posted again
                    continue
                if error.response.status_code >= 500 or reason(error) in SLACK_FAILING:
                    raise refused from error  # Slack failing: the event is tried again
                log.error("Slack refused a reply in %s: %s", target.channel.key, reason(error))
            except (ClientError, TimeoutError) as error:
                raise_port_error(error, target.channel.key)

    async def _client(self, workspace: str) -> AsyncWebClient:
        """The client carrying the token for ``workspace``: looked up over OAuth (in a worker
        thread: it reads the database)."""
        pool = self._pool if self._pool and self._pool[0] is asyncio.get_running_loop() else None
        if self.installations is None:
            return self.client if pool is None else pool[2]
        token = await asyncio.to_thread(self.installations.bot_token, workspace)
        if token is None:
            raise UnreachableError(f"Slack workspace {workspace} has no installation")
        return web_client(token, self.api_url, self.timeout, pool[1] if pool else None)

    async def _post_one(
        self, client: AsyncWebClient, target: Target, reply: Reply, progress: Progress
    ) -> None:
        """Each message of ``reply`` that ``progress`` has not seen posted."""
        if isinstance(reply, Reaction):
            await progress.once(lambda: _react(client, target, reply.emoji), repeatable=True)
            return
        if isinstance(reply, DocumentReply) and reply.private:
            await progress.once(lambda: self._privately(client, target, reply))
            return
        messages = render(reply)
        readers = _readers(target, reply)
        if readers is not None:
            for message in messages:
                for user in readers:
                    await progress.once(
                        lambda user=user, message=message: _ephemeral(  # type: ignore[misc]
                            client, target, user, message
                        )
                    )
            return
        # A card always starts its own thread, so that replies to it can be told apart.
        thread = None if isinstance(reply, QuestionCard) else target.thread_ref
        refs = [
            await progress.once(
                lambda message=message: _post(client, target, message, thread)  # type: ignore[misc]
            )
            for message in messages
        ]
        first = refs[0] if refs else None  # None too when it was posted before
        if isinstance(reply, QuestionCard) and first is not None:
            await recorded(self.core.card_posted, target.channel, first, reply.question_id)
        if isinstance(reply, Message) and first is not None:  # a check-in: a reply answers
            for question_id in reply.asks:
                await recorded(self.core.card_posted, target.channel, first, question_id)
        if isinstance(reply, FileReply):
            await progress.once(lambda: self._file(client, target, reply, thread))

    async def _file(
        self, client: AsyncWebClient, target: Target, reply: FileReply, thread: str | None
    ) -> None:
        """The file, rendered in a worker thread and uploaded; if the workspace does not take
        it (too large, uploads turned off), a note in the channel says so instead."""
        file = await asyncio.to_thread(attachment, reply)
        try:
            await _upload(client, target, file, thread)
        except SlackApiError as error:
            if reason(error) not in FILE_REFUSED:
                raise
            # The file's name holds the collaboration's: it is logged at DEBUG only.
            log.warning("Slack refused a %s file: %s", file.mime_type, reason(error))
            log.debug("the file Slack refused: %s", file.filename)
            language = await asyncio.to_thread(self.core.language_in, target.channel)
            size = f"{len(file.data) / 1_000_000:.1f}"
            note = text("file_too_large", language, name=file.filename, size=size)
            for message in paginate(text_blocks([plain(note)])):
                await _post(client, target, message, thread)

    async def _privately(
        self, client: AsyncWebClient, target: Target, reply: DocumentReply
    ) -> None:
        """A file for the person who asked alone: in their direct message with the bot
        (conversations.open), wherever they asked."""
        if target.person is None:
            log.error("a private file in %s has no one to go to", target.channel.key)
            return
        try:
            opened = await client.conversations_open(users=target.person)
        except SlackApiError as error:
            if reason(error) not in DIRECT_REFUSED:
                raise
            # An installation from before the app asked for im:write: the person is told.
            log.error("Slack would not open a direct message: %s", reason(error))
            language = await asyncio.to_thread(self.core.language_in, target.channel)
            [note] = paginate(text_blocks([plain(text("private_file_failed", language))]))
            await _ephemeral(client, target, target.person, note)
            return
        channel = str(opened["channel"]["id"])
        direct = ChannelRef(target.channel.platform, target.channel.workspace, channel)
        there = Target(direct, person=target.person)
        await self._post_one(client, there, dataclasses.replace(reply, private=False), Progress())

    async def _respond_all(self, target: Target, replies: list[Reply], progress: Progress) -> None:
        """``replies`` through the command's response_url, then the hint to invite the bot.

        Public replies are posted in the channel, private ones to the person only; a file
        cannot be uploaded where the bot is not, so only its caption is shown.
        """
        assert target.respond_url is not None
        hook = AsyncWebhookClient(target.respond_url, retry_handlers=retry_handlers())
        for reply in replies:
            if isinstance(reply, DocumentReply) and reply.private:  # a direct message reaches
                client = await self._client(target.channel.workspace)
                await progress.once(functools.partial(self._privately, client, target, reply))
                continue
            kind = "ephemeral" if isinstance(reply, Message) and reply.private else "in_channel"
            for message in render(reply):
                await progress.once(
                    lambda message=message, kind=kind: _respond(hook, message, kind)  # type: ignore[misc]
                )
        language = await asyncio.to_thread(self.core.language_in, target.channel)
        [hint] = paginate(text_blocks([ours(text("invite_hint", language))]))
        await progress.once(lambda: _respond(hook, hint, "ephemeral"))


def _readers(target: Target, reply: Reply) -> tuple[str, ...] | None:
    """The people who alone see ``reply`` (ephemeral), or ``None`` for the whole channel."""
    if not isinstance(reply, Message):
        return None
    if target.only_for:
        return target.only_for
    if reply.private:
        return (target.person,) if target.person else ()
    return None


async def _post(
    client: AsyncWebClient, target: Target, message: SlackMessage, thread: str | None
) -> str:
    async with _possibly_sent():
        response = await client.chat_postMessage(
            channel=target.channel.channel,
            text=message.text,
            blocks=message.blocks,
            thread_ts=thread,
            unfurl_links=False,
        )
    return str(response["ts"])


@contextlib.asynccontextmanager
async def _possibly_sent() -> AsyncIterator[None]:
    """Counts a message whose request timed out: Slack may have posted it all the same, and
    chat.postMessage takes no idempotency key, so trying it again may post it twice."""
    try:
        yield
    except TimeoutError:
        metrics.possibly_sent(PLATFORM)
        log.warning("Slack timed out on a message, which may have been posted")
        raise


async def _ephemeral(
    client: AsyncWebClient, target: Target, user: str, message: SlackMessage
) -> None:
    try:
        async with _possibly_sent():
            await client.chat_postEphemeral(
                channel=target.channel.channel,
                user=user,
                text=message.text,
                blocks=message.blocks,
                thread_ts=target.thread_ref,
            )
    except SlackApiError as error:
        if reason(error) not in NOT_THERE:
            raise
        # Someone who left the channel is no longer among those to tell.


async def _upload(
    client: AsyncWebClient, target: Target, file: Attachment, thread: str | None
) -> None:
    """The file itself, in the channel (files.getUploadURLExternal → upload → complete); an
    image with its text alternative for screen readers."""
    alt = _shortened(file.alt_text, MAX_ALT_TEXT) if file.image and file.alt_text else None
    await client.files_upload_v2(
        channel=target.channel.channel,
        content=file.data,
        filename=file.filename,
        title=file.filename,
        alt_txt=alt,
        thread_ts=thread,
    )


def _shortened(text: str, limit: int) -> str:
    """``text`` cut at a word to at most ``limit`` characters, an ellipsis marking the cut."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


async def _react(client: AsyncWebClient, target: Target, emoji: str) -> None:
    if target.message_ref is None:
        return
    try:
        await client.reactions_add(
            channel=target.channel.channel, timestamp=target.message_ref, name=emoji
        )
    except SlackApiError as error:
        if reason(error) != "already_reacted":
            raise


async def _respond(hook: AsyncWebhookClient, message: SlackMessage, kind: str) -> None:
    response = await hook.send(text=message.text, blocks=message.blocks, response_type=kind)
    if response.status_code != 200:
        log.error("response_url refused a reply: %s", response.body)
