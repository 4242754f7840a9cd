"""The maps of the App Home tab as images: each map uploaded to Slack once, as a file of the
bot's own that no channel shows, and shown in the Home view by its file id.

Slack's image blocks show a public ``image_url`` or a ``slack_file`` (a file uploaded to Slack
that the bot may see). The bot has no public address for pictures, so each map is uploaded
with the external upload flow (``files.getUploadURLExternal`` → upload →
``files.completeUploadExternal``) without a channel: the file stays private to the bot, and
Slack shows it in the views the bot publishes. The file ids are kept per workspace and per
map's content (a hash of everything the map shows), so opening the Home tab again uploads
nothing until a collaboration moves on; the most recently used ``KEPT`` are kept, in memory
(a restarted process uploads each map once more).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections import OrderedDict
from collections.abc import Collection

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.policy import reason
from adapters.slack.render import shorten
from bot.document import ModelPicture
from bot.home import Home
from bot.replies import PictureReply
from documents import attachment

log = logging.getLogger(__name__)

KEPT = 1000  # file ids kept, the most recently used
MAPS_PER_HOME = 10  # entries shown with their map as an image; the rest show it in text
UPLOAD_ALT_LIMIT = 1000  # characters Slack takes as an uploaded image's alt_txt


def content_key(picture: ModelPicture) -> str:
    """The same for two maps that show the same, whatever the moment they were drawn."""
    return hashlib.sha256(repr(picture).encode("utf-8")).hexdigest()


class HomeMaps:
    """The file id of each map shown in a Home tab, uploading a map Slack does not have yet."""

    def __init__(self, kept: int = KEPT) -> None:
        self._kept = kept
        self._files: OrderedDict[tuple[str, str], str] = OrderedDict()

    async def files(
        self, client: AsyncWebClient, workspace: str, home: Home
    ) -> tuple[dict[int, str], set[str]]:
        """The file id of each entry's map by the entry's number (an entry whose map could
        not be uploaded is left out: it shows the map in text), and which of them were
        uploaded just now."""
        found: dict[int, str] = {}
        fresh: set[str] = set()
        for number, entry in enumerate(home.entries[:MAPS_PER_HOME]):
            if entry.picture is None:
                continue
            key = (workspace, content_key(entry.picture))
            file_id = self._files.get(key)
            if file_id is None:
                file_id = await _upload(client, entry.picture, key[1])
                if file_id is None:
                    continue
                fresh.add(file_id)
            self._files[key] = file_id
            self._files.move_to_end(key)
            found[number] = file_id
        while len(self._files) > self._kept:
            self._files.popitem(last=False)
        return found, fresh

    def forget(self, workspace: str, file_ids: Collection[str]) -> None:
        """Slack no longer shows these files (deleted, say): upload their maps afresh."""
        for key in [k for k, v in self._files.items() if k[0] == workspace and v in file_ids]:
            del self._files[key]


async def _upload(client: AsyncWebClient, picture: ModelPicture, key: str) -> str | None:
    """The map drawn (in a worker thread) and uploaded to no channel; its file id, or
    ``None`` when Slack does not take it (the Home tab then shows the map in text)."""
    file = await asyncio.to_thread(attachment, PictureReply(picture, f"map-{key[:16]}.png"))
    try:
        response = await client.files_upload_v2(
            content=file.data,
            filename=file.filename,
            title=picture.title,
            alt_txt=shorten(picture.alt_text, UPLOAD_ALT_LIMIT),
        )
    except SlackApiError as error:
        log.warning("Slack did not take a map for the Home tab: %s", reason(error))
        return None
    except (ClientError, TimeoutError) as error:
        log.warning("Slack could not be reached with a map for the Home tab: %r", error)
        return None
    files = response.get("files") or []
    return str(files[0]["id"]) if files else None
