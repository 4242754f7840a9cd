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
    """Names people whose payload carried only a user id; the id stays when Slack says no.

    ``client`` is the request's own: it carries the token of the workspace asked.
    """

    def __init__(self) -> None:
        self.names: dict[tuple[str, str], str] = {}  # by (workspace, user id)

    async def named(self, incoming: Incoming, client: AsyncWebClient) -> Incoming:
        """``incoming`` with its author's display name filled in where it was only the id."""
        author = incoming.author
        if author.display_name != author.user_id:
            return incoming
        name = await self.name(incoming.channel.workspace, author.user_id, client)
        return dataclasses.replace(incoming, author=Person(author.user_id, name))

    async def name(self, workspace: str, user_id: str, client: AsyncWebClient) -> str:
        key = (workspace, user_id)
        if key not in self.names:
            self.names[key] = await _lookup(user_id, client)
        return self.names[key]


async def _lookup(user_id: str, client: AsyncWebClient) -> str:
    try:
        response = await client.users_info(user=user_id)
    except SlackApiError as error:
        log.warning("users.info failed for %s: %s", user_id, error.response.get("error"))
        return user_id
    user = response.get("user") or {}
    profile = user.get("profile") or {}
    return str(
        profile.get("display_name") or profile.get("real_name") or user.get("name") or user_id
    )
