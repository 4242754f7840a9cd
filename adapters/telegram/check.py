"""``samverkan check`` for Telegram: does the bot token work (``getMe``), and where does
Telegram send the updates (``getWebhookInfo``)?"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Bot
from telegram.error import TelegramError

from adapters.telegram.platform import TelegramSettings

CHECK_SECONDS = 10.0


@dataclass(frozen=True)
class TelegramCheck:
    """``ok``: Telegram knows the token; ``detail``: the bot's username, or Telegram's reason;
    ``webhook``: the URL Telegram sends updates to (``""``: none, long polling);
    ``pending``: updates waiting; ``last_error``: Telegram's last failure to deliver."""

    ok: bool
    detail: str
    webhook: str | None = None
    pending: int = 0
    last_error: str | None = None


async def check_bot(settings: TelegramSettings) -> TelegramCheck:
    """Asks ``getMe`` and ``getWebhookInfo`` once each; changes nothing."""
    bot = Bot(settings.bot_token, base_url=settings.api_url)
    try:
        async with bot:  # getMe
            info = await bot.get_webhook_info(
                read_timeout=CHECK_SECONDS, connect_timeout=CHECK_SECONDS
            )
            username = bot.username
    except TelegramError as error:  # PTB names the token in some: never shown
        return TelegramCheck(False, str(error).replace(settings.bot_token, "***"))
    return TelegramCheck(
        True,
        f"@{username}",
        webhook=info.url,
        pending=info.pending_update_count,
        last_error=info.last_error_message,
    )
