"""Slack payloads to the core's ``Incoming``: pure functions, no I/O."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bot.domain import ChannelRef, Person
from bot.incoming import Incoming

PLATFORM = "slack"
_USER_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")

Payload = Mapping[str, Any]


def channel_ref(team_id: str, channel_id: str) -> ChannelRef:
    return ChannelRef(platform=PLATFORM, workspace=team_id, channel=channel_id)


def unescape(text: str) -> str:
    """Slack's escaped message text back to what the person typed."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def mentions(text: str, bot_user_id: str | None) -> tuple[Person, ...]:
    """The people ``text`` mentions as ``<@U…>``, the bot left out, in order."""
    found = [(m.group(1), m.group(2) or m.group(1)) for m in _USER_MENTION.finditer(text)]
    return tuple(Person(uid, name) for uid, name in found if uid != bot_user_id)


def strip_mention(text: str, bot_user_id: str | None) -> str:
    """``text`` without the leading ``<@BOT>`` that addressed the bot."""
    if bot_user_id:
        text = re.sub(rf"^\s*<@{re.escape(bot_user_id)}(?:\|[^>]*)?>[\s:,]*", "", text)
    return text.strip()


def from_command(body: Payload) -> Incoming:
    """A ``/samverkan <text>`` slash command."""
    author = Person(body["user_id"], body.get("user_name") or body["user_id"])
    text = body.get("text") or ""
    return Incoming(
        channel_ref(body["team_id"], body["channel_id"]),
        author,
        unescape(text),
        mentions=mentions(text, None),
    )


def from_mention(team_id: str, event: Payload, bot_user_id: str | None) -> Incoming:
    """An ``app_mention``; inside a card's thread it is also an answer to that card."""
    text = event.get("text") or ""
    return Incoming(
        channel_ref(team_id, event["channel"]),
        _author(event),
        unescape(strip_mention(text, bot_user_id)),
        message_ref=event["ts"],
        reply_to=_thread_parent(event),
        mentions=mentions(text, bot_user_id),
    )


def from_channel_message(team_id: str, event: Payload) -> Incoming | None:
    """A plain ``message`` someone wrote in the channel, not addressed to the bot: in a card's
    thread a possible answer, else talk that the core only counts (who is heard). ``None`` for
    what a person did not write (joins, topic changes and other subtypes)."""
    parent = _thread_parent(event)
    if event.get("subtype"):
        return None
    return Incoming(
        channel_ref(team_id, event["channel"]),
        _author(event),
        unescape(event.get("text") or ""),
        message_ref=event["ts"],
        reply_to=parent,
        mentions=mentions(event.get("text") or "", None),
        addressed=False,
    )


def from_edit(team_id: str, event: Payload, bot_user_id: str | None = None) -> Incoming | None:
    """A ``message_changed`` event: the edited message, so that its answer is revised (a
    message that addressed the bot is read without the mention, as it was at first)."""
    message = event.get("message") or {}
    if not message.get("user") or message.get("bot_id") or not message.get("ts"):
        return None
    return Incoming(
        channel_ref(team_id, event["channel"]),
        _author(message),
        unescape(strip_mention(message.get("text") or "", bot_user_id)),
        message_ref=message["ts"],
        edited=True,
    )


def from_deletion(team_id: str, event: Payload) -> Incoming | None:
    """A ``message_deleted`` event: the message that is gone, so that its answer is
    withdrawn. Its author is the one of ``previous_message``; a bot's message is left alone."""
    before = event.get("previous_message") or {}
    deleted = event.get("deleted_ts") or before.get("ts")
    if not before.get("user") or before.get("bot_id") or not deleted:
        return None
    return Incoming(
        channel_ref(team_id, event["channel"]),
        _author(before),
        "",
        message_ref=str(deleted),
        deleted=True,
    )


def from_button(body: Payload, command: str) -> Incoming:
    """A pressed button of a message: the person 'types' the button's command."""
    user = body["user"]
    return Incoming(
        button_channel(body),
        Person(user["id"], user.get("name") or user.get("username") or user["id"]),
        command,
    )


def button_channel(body: Payload) -> ChannelRef:
    """The channel of the message whose button was pressed."""
    return channel_ref(_team_id(body), _channel_id(body))


def _team_id(body: Payload) -> str:
    team = body.get("team") or {}
    return str(team.get("id") or body["user"].get("team_id"))


def _channel_id(body: Payload) -> str:
    channel = body.get("channel") or {}
    return str(channel.get("id") or body.get("container", {}).get("channel_id"))


def _author(event: Payload) -> Person:
    user = str(event["user"])
    profile = event.get("user_profile") or {}
    name = profile.get("display_name") or profile.get("real_name") or user
    return Person(user, name)


def _thread_parent(event: Payload) -> str | None:
    thread = event.get("thread_ts")
    return str(thread) if thread and thread != event.get("ts") else None
