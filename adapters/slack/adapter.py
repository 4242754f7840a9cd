"""The adapter's one path: ``Incoming`` → the core (in a worker thread) → replies posted."""

from __future__ import annotations

import asyncio

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.people import SlackPeople
from adapters.slack.sender import Origin, SlackSender
from adapters.slack.translate import PLATFORM
from bot.incoming import Incoming
from runtime.bootstrap import App
from storage import claim_event


class SlackAdapter:
    """Translates Slack requests for the core and posts the core's replies back."""

    def __init__(self, app: App, client: AsyncWebClient) -> None:
        self.app = app
        self.client = client
        self.sender = SlackSender(client, app.bot)
        self.people = SlackPeople(client)

    async def run(self, incoming: Incoming, origin: Origin) -> None:
        """Hand ``incoming`` to the core and post what it answers.

        The core does database I/O, so it runs in a worker thread, off the event loop. Talk in
        threads reaches the core as not addressed to the bot, and it answers nothing to it.
        """
        incoming = await self.people.named(incoming)
        replies = await asyncio.to_thread(self.app.bot.handle, incoming)
        await self.sender.send(origin, replies)

    async def is_new_event(self, event_id: str) -> bool:
        """``True`` the first time any process sees ``event_id`` (the claim is in the database)."""
        now = self.app.bot.clock.now()
        return await asyncio.to_thread(claim_event, self.app.sessions, PLATFORM, event_id, now)
