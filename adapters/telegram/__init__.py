"""Telegram: one bot token, its updates kept in the inbox, its chats sent to with one policy.

The composition root calls :func:`telegram_platform` with :class:`TelegramSettings` and the
house's :class:`engine.platform.Surroundings`; nothing else here is used from outside.
"""

from adapters.telegram.platform import TelegramPlatform, TelegramSettings, telegram_platform

__all__ = ["TelegramPlatform", "TelegramSettings", "telegram_platform"]
