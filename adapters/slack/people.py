"""Display names of Slack users, from ``users.info``, remembered for the process's lifetime."""

from __future__ import annotations

import dataclasses
import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain import Person
from bot.incoming import Incoming

log = logging.getLogger(__name__)


class SlackPeople:
    """Names people whose payload carried only a user id; the id stays when Slack says no."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client
        self.names: dict[str, str] = {}

    async def named(self, incoming: Incoming) -> Incoming:
        """``incoming`` with its author's display name filled in where it was only the id."""
        author = incoming.author
        if author.display_name != author.user_id:
            return incoming
        name = await self.name(author.user_id)
        return dataclasses.replace(incoming, author=Person(author.user_id, name))

    async def name(self, user_id: str) -> str:
        if user_id not in self.names:
            self.names[user_id] = await self._lookup(user_id)
        return self.names[user_id]

    async def _lookup(self, user_id: str) -> str:
        try:
            response = await self.client.users_info(user=user_id)
        except SlackApiError as error:
            log.warning("users.info failed for %s: %s", user_id, error.response.get("error"))
            return user_id
        user = response.get("user") or {}
        profile = user.get("profile") or {}
        return str(
            profile.get("display_name") or profile.get("real_name") or user.get("name") or user_id
        )
