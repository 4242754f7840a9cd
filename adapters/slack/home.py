"""The App Home tab: the person's collaborations (see :mod:`bot.home`) as a Home view."""

from __future__ import annotations

import dataclasses
from typing import Any

from adapters.slack.render import (
    Block,
    Paragraph,
    bold,
    message_blocks,
    ours,
    shorten,
    text_blocks,
)
from bot.home import Home, HomeEntry

HOME_BLOCKS = 100  # Slack's limit for a Home tab
HEADER_LIMIT = 150


def home_view(home: Home) -> dict[str, Any]:
    """The view for ``views.publish``: a header, then each collaboration while room lasts.

    Collaborations that do not fit in the 100 blocks are counted in a last line.
    """
    header = {"type": "header", "text": {"type": "plain_text", "text": _header(home.title)}}
    blocks: list[Block] = [header]
    if home.empty is not None:
        return {"type": "home", "blocks": blocks + message_blocks(home.empty)}
    for shown, entry in enumerate(home.entries):
        part = [{"type": "divider"}, *entry_blocks(entry)]
        if len(blocks) + len(part) > HOME_BLOCKS - 1:
            blocks += text_blocks([ours(home.more(len(home.entries) - shown))])
            break
        blocks += part
    return {"type": "home", "blocks": blocks}


def entry_blocks(entry: HomeEntry) -> list[Block]:
    """One collaboration: its name in bold with a link to its channel, then what is open."""
    message = entry.message
    name = bold(message.title or "")
    link = {"type": "channel", "channel_id": entry.channel.channel}
    title = Paragraph((*name.elements, {"type": "text", "text": " · "}, link))
    body = message_blocks(dataclasses.replace(message, title=None))
    return text_blocks([title]) + body


def _header(title: str) -> str:
    return shorten(" ".join(title.split()), HEADER_LIMIT) or " "
