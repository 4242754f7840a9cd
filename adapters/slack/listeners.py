"""Bolt listeners: each turns one kind of Slack request into an ``Incoming`` for the adapter."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import modal, translate
from adapters.slack.adapter import SlackAdapter
from adapters.slack.home import home_view
from adapters.slack.sender import Origin
from bot.domain import Person
from bot.incoming import Incoming

COMMAND = "/samverkan"
BUTTON = re.compile(r"^samverkan_cmd_\d+$")
ANSWER_BUTTON = re.compile(r"^samverkan_answer_\d+$")
Body = dict[str, Any]


class Listeners:
    def __init__(self, adapter: SlackAdapter) -> None:
        self.adapter = adapter

    def register(self, bolt: AsyncApp) -> None:
        bolt.command(COMMAND)(self.on_command)
        bolt.event("app_mention")(self.on_mention)
        bolt.event("message")(self.on_message)
        bolt.event("app_home_opened")(self.on_home)
        bolt.action(BUTTON)(self.on_button)
        bolt.action(ANSWER_BUTTON)(self.on_answer_button)
        bolt.view(modal.CALLBACK_ID)(self.on_answer)

    async def on_command(self, ack: Any, body: Body, client: AsyncWebClient, respond: Any) -> None:
        await ack()
        incoming = translate.from_command(body)
        origin = Origin(incoming.channel, body["user_id"], respond=respond)
        await self.adapter.run(incoming, origin, client)

    async def on_mention(
        self, body: Body, event: Body, context: Any, client: AsyncWebClient
    ) -> None:
        incoming = translate.from_mention(body["team_id"], event, context.bot_user_id)
        await self.adapter.run(incoming, _event_origin(incoming, event), client)

    async def on_message(
        self, body: Body, event: Body, context: Any, client: AsyncWebClient
    ) -> None:
        incoming = _message_incoming(body["team_id"], event, context.bot_user_id)
        if incoming is not None:
            origin = _event_origin(incoming, event)
            await self.adapter.run(incoming, origin, client)

    async def on_home(self, body: Body, event: Body, client: AsyncWebClient) -> None:
        """The person's own collaborations, read afresh each time they open the tab."""
        if event.get("tab") != "home":
            return
        bot, user = self.adapter.app.bot, event["user"]
        home = await asyncio.to_thread(bot.home, translate.PLATFORM, body["team_id"], user)
        await client.views_publish(user_id=user, view=home_view(home))

    async def on_button(self, ack: Any, body: Body, action: Body, client: AsyncWebClient) -> None:
        await ack()
        incoming = translate.from_button(body, str(action.get("value") or ""))
        await self.adapter.run(incoming, Origin(incoming.channel, body["user"]["id"]), client)

    async def on_answer_button(
        self, ack: Any, body: Body, action: Body, client: AsyncWebClient
    ) -> None:
        await ack()  # then open the modal at once: a trigger_id is valid for 3 seconds only
        channel = translate.button_channel(body)
        target = modal.AnswerTarget(
            modal.question_of(str(action.get("value") or "")),
            channel.workspace,
            channel.channel,
            body.get("container", {}).get("message_ts"),
        )
        language = await asyncio.to_thread(self.adapter.app.bot.language_in, channel)
        view = modal.answer_view(target, language)
        await client.views_open(trigger_id=body["trigger_id"], view=view)

    async def on_answer(self, ack: Any, body: Body, view: Body, client: AsyncWebClient) -> None:
        await ack()
        target = modal.AnswerTarget.from_metadata(view.get("private_metadata") or "{}")
        text = modal.submitted_text(view).strip()
        if not text or not target.question_id:
            return
        user = body["user"]
        author = Person(user["id"], user.get("name") or user["id"])
        channel = translate.channel_ref(target.team_id, target.channel_id)
        incoming = Incoming(channel, author, f"svara {target.question_id} {text}")
        origin = Origin(channel, author.user_id, thread_ts=target.thread_ts)
        await self.adapter.run(incoming, origin, client)


def _message_incoming(team_id: str, event: Body, bot_user_id: str | None) -> Incoming | None:
    if event.get("subtype") == "message_changed":
        return translate.from_edit(team_id, event)
    if event.get("bot_id") or not event.get("user"):
        return None
    if bot_user_id and f"<@{bot_user_id}" in (event.get("text") or ""):
        return None  # the app_mention listener gets this one
    return translate.from_thread_reply(team_id, event)


def _event_origin(incoming: Incoming, event: Body) -> Origin:
    return Origin(
        incoming.channel,
        incoming.author.user_id,
        message_ts=incoming.message_ref,
        thread_ts=event.get("thread_ts"),
    )
