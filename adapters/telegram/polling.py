"""Long polling into the inbox, for a bot without a webhook.

Telegram keeps an update until ``getUpdates`` is called with an offset past it. The loop keeps
every fetched update in the inbox and only then asks for the next ones, which confirms them: an
update fetched and lost in a crash is fetched again, and one kept but not handled is handled
from the inbox after a restart. PTB's ``Updater`` is not used: it would hand updates to the
handlers directly, past the inbox.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Bot
from telegram.error import RetryAfter

from adapters.telegram.sender import FIRST_DELAY, seconds_to_wait
from adapters.telegram.translate import ALLOWED_UPDATES, PLATFORM
from engine import metrics
from engine.platform import Keep
from engine.ports import KeptEvent

log = logging.getLogger(__name__)

POLL_SECONDS = 30  # how long Telegram holds a getUpdates open while there is nothing new
LONGEST_DELAY = 30.0  # seconds between attempts while Telegram or the inbox keeps failing


async def poll(bot: Bot, keep: Keep, *, poll_seconds: int = POLL_SECONDS) -> None:
    """Fetches updates and keeps them, until cancelled. Never raises otherwise: a failure
    (Telegram, the network, the database) is logged and tried again after a back-off."""
    offset: int | None = None
    delay = FIRST_DELAY
    while True:
        try:
            offset = await _fetch_and_keep(bot, keep, offset, poll_seconds)
        except RetryAfter as error:
            metrics.rate_limited(PLATFORM, seconds_to_wait(error))
            await asyncio.sleep(seconds_to_wait(error))
            continue
        except Exception:
            # Another poller with the same token (409), Telegram or the database down.
            log.warning("long polling failed; again in %.1f s", delay, exc_info=True)
            await asyncio.sleep(delay)
            delay = min(delay * 2, LONGEST_DELAY)
            continue
        delay = FIRST_DELAY


async def _fetch_and_keep(
    bot: Bot, keep: Keep, offset: int | None, poll_seconds: int
) -> int | None:
    """The offset that confirms what this call fetched, once all of it is kept."""
    updates = await bot.get_updates(
        offset=offset, timeout=poll_seconds, allowed_updates=ALLOWED_UPDATES
    )
    for update in updates:
        await keep(KeptEvent(PLATFORM, str(update.update_id), update.to_json()))
    return updates[-1].update_id + 1 if updates else offset
