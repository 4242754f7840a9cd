"""The App Home tab: the person's collaborations (see :mod:`bot.home`) as a Home view, each
with its map as an image where Slack has the file (:mod:`adapters.slack.home_maps`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
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
IMAGE_ALT_LIMIT = 2000  # an image block's alt_text
IMAGE_TITLE_LIMIT = 2000


def home_view(home: Home, images: Mapping[int, str] | None = None) -> dict[str, Any]:
    """The view for ``views.publish``: a header, then each collaboration while room lasts.

    ``images`` are the Slack files of the entries' maps, by the entry's number: an entry with
    one shows its map as that image, the others in text. Collaborations that do not fit in the
    100 blocks are counted in a last line.
    """
    images = images or {}
    header = {"type": "header", "text": {"type": "plain_text", "text": _header(home.title)}}
    blocks: list[Block] = [header]
    if home.empty is not None:
        return {"type": "home", "blocks": blocks + message_blocks(home.empty)}
    for shown, entry in enumerate(home.entries):
        part = [{"type": "divider"}, *entry_blocks(entry, images.get(shown))]
        if len(blocks) + len(part) > HOME_BLOCKS - 1:
            blocks += text_blocks([ours(home.more(len(home.entries) - shown))])
            break
        blocks += part
    return {"type": "home", "blocks": blocks}


def entry_blocks(entry: HomeEntry, image: str | None = None) -> list[Block]:
    """One collaboration: its name in bold with a link to its channel, then what is open; the
    map as the Slack file ``image`` where there is one, else in text."""
    message = dataclasses.replace(entry.message, title=None)
    name = bold(entry.message.title or "")
    link = {"type": "channel", "channel_id": entry.channel.channel}
    title = Paragraph((*name.elements, {"type": "text", "text": " · "}, link))
    sections = message.sections
    if image is None or entry.picture is None or entry.map not in sections:
        return text_blocks([title]) + message_blocks(message)
    at = sections.index(entry.map)
    before = dataclasses.replace(message, sections=sections[:at], actions=())
    after = dataclasses.replace(message, sections=sections[at + 1 :])
    picture = image_block(image, entry.picture.alt_text, entry.map.heading)
    return text_blocks([title]) + message_blocks(before) + [picture] + message_blocks(after)


def image_block(file_id: str, alt_text: str, title: str | None) -> Block:
    """An image block showing the Slack file ``file_id``, described for screen readers."""
    block: Block = {
        "type": "image",
        "slack_file": {"id": file_id},
        "alt_text": shorten(alt_text, IMAGE_ALT_LIMIT) or " ",
    }
    if title:
        block["title"] = {"type": "plain_text", "text": shorten(title, IMAGE_TITLE_LIMIT)}
    return block


def _header(title: str) -> str:
    return shorten(" ".join(title.split()), HEADER_LIMIT) or " "
