"""Bolt listeners: each turns one kind of Slack request into an ``Incoming`` for the core and
sends what the core answers.

The core does database I/O, so it is called in a worker thread, off the event loop. The
delivery's id comes with the request (:func:`adapters.slack.kept.delivery_of`). Talk in the
channel and its threads (``message.channels``, ``message.groups``) reaches the core as not
addressed to the bot: it answers nothing to it, and counts it for `balans`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import modal, translate
from adapters.slack.home import home_view
from adapters.slack.home_maps import HomeMaps
from adapters.slack.kept import DELIVERY_ID_KEY, FINAL_KEY, delivery_of
from adapters.slack.people import SlackPeople
from adapters.slack.policy import reason
from adapters.slack.sender import SlackSender
from bot.domain import Person
from bot.incoming import Incoming
from bot.ports import StorageUnavailableError
from engine.platform import Core, Progress, Target

log = logging.getLogger(__name__)

COMMAND = "/samverkan"
BUTTON = re.compile(r"^samverkan_cmd_\d+$")
ANSWER_BUTTON = re.compile(r"^samverkan_answer_\d+$")
Body = dict[str, Any]


class Listeners:
    """The listeners of every bolt app of the platform (receiving over Socket Mode, or
    handling what the inbox kept)."""

    def __init__(self, core: Core, sender: SlackSender) -> None:
        self.core = core
        self.sender = sender
        self.people = SlackPeople()
        self.maps = HomeMaps()

    def register(self, bolt: AsyncApp) -> None:
        bolt.command(COMMAND)(self.on_command)
        bolt.event("app_mention")(self.on_mention)
        bolt.event("message")(self.on_message)
        bolt.event("app_home_opened")(self.on_home)
        bolt.action(BUTTON)(self.on_button)
        bolt.action(ANSWER_BUTTON)(self.on_answer_button)
        bolt.view(modal.CALLBACK_ID)(self.on_answer)

    async def run(
        self, incoming: Incoming, target: Target, body: Body, context: Any, client: AsyncWebClient
    ) -> None:
        """Hand ``incoming`` to the core and send what it answers.

        ``client`` is the request's own (bolt's ``client`` argument), carrying the token of
        the workspace the request came from: it names the author when the payload did not.
        """
        incoming = await self.people.named(incoming, client)
        final = bool(context.get(FINAL_KEY))
        incoming = dataclasses.replace(incoming, event_id=delivery_of(context, body), final=final)
        try:
            answer = await asyncio.to_thread(self.core.answer, incoming)
        except StorageUnavailableError:
            if context.get(DELIVERY_ID_KEY):
                raise  # kept in the inbox, which hands it over again
            # Socket Mode acknowledged it already and keeps nothing: one more try now, as a
            # message without an id, which the core answers with a kind refusal if it fails.
            incoming = dataclasses.replace(incoming, event_id=None)
            answer = await asyncio.to_thread(self.core.answer, incoming)
        kept = bool(context.get(DELIVERY_ID_KEY))  # handed over by the inbox
        progress = Progress.of(self.core, incoming, answer, kept=kept)
        await self.sender.answer(target, answer.replies, progress)

    async def on_command(self, ack: Any, body: Body, context: Any, client: AsyncWebClient) -> None:
        await ack()
        incoming = translate.from_command(body)
        target = Target(
            incoming.channel, person=body["user_id"], respond_url=body.get("response_url")
        )
        await self.run(incoming, target, body, context, client)

    async def on_mention(
        self, body: Body, event: Body, context: Any, client: AsyncWebClient
    ) -> None:
        incoming = translate.from_mention(body["team_id"], event, context.bot_user_id)
        await self.run(incoming, _event_target(incoming, event), body, context, client)

    async def on_message(
        self, body: Body, event: Body, context: Any, client: AsyncWebClient
    ) -> None:
        incoming = _message_incoming(body["team_id"], event, context.bot_user_id)
        if incoming is not None:
            await self.run(incoming, _event_target(incoming, event), body, context, client)

    async def on_home(self, body: Body, event: Body, client: AsyncWebClient) -> None:
        """The person's own collaborations, read afresh each time they open the tab, each with
        its map as an image (uploaded once per map's content)."""
        if event.get("tab") != "home":
            return
        user, workspace = event["user"], body["team_id"]
        home = await asyncio.to_thread(self.core.home, translate.PLATFORM, workspace, user)
        images, fresh = await self.maps.files(client, workspace, home)
        try:
            await client.views_publish(user_id=user, view=home_view(home, images))
        except SlackApiError as error:
            if not images or reason(error) != "invalid_blocks":
                raise
            # Slack does not show a file: one just uploaded may not be ready yet, one kept
            # may have been deleted (it is uploaded afresh next time). The maps in text now.
            log.info("Slack did not show the Home tab's maps: %s", error.response.get("errors"))
            self.maps.forget(workspace, set(images.values()) - fresh)
            await client.views_publish(user_id=user, view=home_view(home))

    async def on_button(
        self, ack: Any, body: Body, action: Body, context: Any, client: AsyncWebClient
    ) -> None:
        """A pressed button: its value is the command the core wrote for it."""
        await ack()
        incoming = translate.from_button(body, str(action.get("value") or ""))
        target = Target(incoming.channel, person=body["user"]["id"])
        await self.run(incoming, target, body, context, client)

    async def on_answer_button(
        self, ack: Any, body: Body, action: Body, client: AsyncWebClient
    ) -> None:
        await ack()  # then open the modal at once: a trigger_id is valid for 3 seconds only
        channel = translate.button_channel(body)
        target = modal.AnswerTarget(
            str(action.get("value") or ""),
            channel.workspace,
            channel.channel,
            body.get("container", {}).get("message_ts"),
        )
        language = await asyncio.to_thread(self.core.language_in, channel)
        view = modal.answer_view(target, language)
        await client.views_open(trigger_id=body["trigger_id"], view=view)

    async def on_answer(
        self, ack: Any, body: Body, view: Body, context: Any, client: AsyncWebClient
    ) -> None:
        """The modal's submission: its text answers the question the modal was opened for."""
        await ack()
        target = modal.AnswerTarget.from_metadata(view.get("private_metadata") or "{}")
        text = modal.submitted_text(view).strip()
        if not text or not target.question_id:
            return
        user = body["user"]
        author = Person(user["id"], user.get("name") or user["id"])
        channel = translate.channel_ref(target.team_id, target.channel_id)
        incoming = Incoming(channel, author, text, answers=target.question_id)
        where = Target(channel, person=author.user_id, thread_ref=target.thread_ts)
        await self.run(incoming, where, body, context, client)


def _message_incoming(team_id: str, event: Body, bot_user_id: str | None) -> Incoming | None:
    if event.get("subtype") == "message_changed":
        return translate.from_edit(team_id, event, bot_user_id)
    if event.get("subtype") == "message_deleted":
        return translate.from_deletion(team_id, event)
    if event.get("bot_id") or not event.get("user"):
        return None
    if bot_user_id and f"<@{bot_user_id}" in (event.get("text") or ""):
        return None  # the app_mention listener gets this one
    return translate.from_channel_message(team_id, event)


def _event_target(incoming: Incoming, event: Body) -> Target:
    return Target(
        incoming.channel,
        person=incoming.author.user_id,
        message_ref=incoming.message_ref,
        thread_ref=event.get("thread_ts"),
    )
