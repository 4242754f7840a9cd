"""Display names of Slack users, and their languages, from ``users.info``, remembered for the
process's lifetime."""

from __future__ import annotations

import dataclasses
import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain import Person
from bot.incoming import Incoming
from model_content import Language

log = logging.getLogger(__name__)


class SlackPeople:
    """Names people whose payload carried only a user id; the id stays when Slack says no.

    ``client`` is the request's own: it carries the token of the workspace asked.
    """

    def __init__(self) -> None:
        # By (workspace, user id): the name, and the language of their Slack where it is
        # Swedish or English.
        self.known: dict[tuple[str, str], tuple[str, Language | None]] = {}

    async def named(self, incoming: Incoming, client: AsyncWebClient) -> Incoming:
        """``incoming`` with its author's display name filled in where it was only the id, and
        with their language, which no payload carries: each person is looked up once."""
        author = incoming.author
        name, language = await self.lookup(incoming.channel.workspace, author.user_id, client)
        if author.display_name == author.user_id:
            author = Person(author.user_id, name)
        return dataclasses.replace(incoming, author=author, language=language)

    async def lookup(
        self, workspace: str, user_id: str, client: AsyncWebClient
    ) -> tuple[str, Language | None]:
        key = (workspace, user_id)
        if key not in self.known:
            self.known[key] = await _lookup(user_id, client)
        return self.known[key]


async def _lookup(user_id: str, client: AsyncWebClient) -> tuple[str, Language | None]:
    try:
        response = await client.users_info(user=user_id, include_locale=True)
    except SlackApiError as error:
        log.warning("users.info failed: %s", error.response.get("error"))
        log.debug("users.info failed for %s", user_id)
        return user_id, None
    user = response.get("user") or {}
    profile = user.get("profile") or {}
    name = profile.get("display_name") or profile.get("real_name") or user.get("name") or user_id
    return str(name), _language(str(user.get("locale") or ""))


def _language(locale: str) -> Language | None:
    """``sv`` or ``en`` for a Slack locale such as ``sv-SE`` or ``en-GB``, else ``None``."""
    code = locale.casefold().split("-")[0]
    if code == "sv":
        return "sv"
    return "en" if code == "en" else None
