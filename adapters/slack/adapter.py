"""The adapter's one path: ``Incoming`` → the core (in a worker thread) → replies posted."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.inbox import DELIVERY
from adapters.slack.people import SlackPeople
from adapters.slack.sender import Origin, SlackSender
from bot.incoming import Incoming
from runtime.bootstrap import App


class SlackAdapter:
    """Translates Slack requests for the core and posts the core's replies back."""

    def __init__(self, app: App, client: AsyncWebClient) -> None:
        self.app = app
        self.client = client  # the app's own; with OAuth it has no token
        self.names: dict[str, str] = {}  # display names by user id, for the process's lifetime

    async def run(self, incoming: Incoming, origin: Origin, client: AsyncWebClient) -> None:
        """Hand ``incoming`` to the core and post what it answers with ``client``.

        ``client`` is the request's own (bolt's ``client`` argument): it carries the token of
        the workspace the request came from. The core does database I/O, so it runs in a worker
        thread, off the event loop. Talk in threads reaches the core as not addressed to the
        bot, and it answers nothing to it.
        """
        people = SlackPeople(client)
        people.names = self.names
        incoming = replace(await people.named(incoming), event_id=DELIVERY.get())
        replies = await asyncio.to_thread(self.app.bot.handle, incoming)
        await SlackSender(client, self.app.bot).send(origin, replies)
