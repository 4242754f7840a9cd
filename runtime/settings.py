"""Typed configuration from environment variables and a ``.env`` file; empty counts as unset.

The one place that reads the environment. Each platform gets its own section of it
(:meth:`Settings.slack`, :meth:`Settings.telegram`), or ``None`` when it is not configured.
"""

from __future__ import annotations

from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from adapters.slack import SlackSettings
from adapters.telegram import TelegramSettings


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_ignore_empty=True, extra="ignore", case_sensitive=False
    )

    database_url: str = "sqlite:///./samverkan.db"
    port: int = Field(3000, ge=1, le=65535)
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    telegram_bot_token: SecretStr | None = None
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    bot_timezone: str = "Europe/Stockholm"
    bot_language: Literal["sv", "en"] = "sv"
    # `samverkan serve` hands the events it keeps to this many worker processes (0: handles them
    # itself), so that acknowledging never waits for handling.
    worker_processes: int = Field(1, ge=0, le=16)

    @field_validator("bot_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        """A zone of the IANA database, e.g. Europe/Stockholm: check-ins are held in it."""
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"BOT_TIMEZONE={value!r} är ingen känd tidszon; skriv t.ex. Europe/Stockholm"
                f" (not a known time zone; e.g. Europe/Stockholm)"
            ) from exc
        return value

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.telegram_webhook_url and not self.telegram_webhook_secret:
            raise ValueError("TELEGRAM_WEBHOOK_SECRET is required with TELEGRAM_WEBHOOK_URL")
        return self

    def slack(self) -> SlackSettings | None:
        """Slack's section: over HTTP (a signing secret with a bot token or OAuth), or over
        Socket Mode (an app token); ``None`` when neither is configured."""
        section = SlackSettings(
            bot_token=_plain(self.slack_bot_token),
            signing_secret=_plain(self.slack_signing_secret),
            app_token=_plain(self.slack_app_token),
            client_id=self.slack_client_id,
            client_secret=_plain(self.slack_client_secret),
            api_url=self.slack_api_url,
        )
        return section if section.over_http or section.app_token else None

    def telegram(self) -> TelegramSettings | None:
        """Telegram's section, or ``None`` without a bot token."""
        if self.telegram_bot_token is None:
            return None
        return TelegramSettings(
            bot_token=self.telegram_bot_token.get_secret_value(),
            api_url=self.telegram_api_url,
            webhook_url=self.telegram_webhook_url,
            webhook_secret=_plain(self.telegram_webhook_secret),
        )

    @property
    def any_platform(self) -> bool:
        return self.slack() is not None or self.telegram() is not None


def _plain(secret: SecretStr | None) -> str | None:
    return secret.get_secret_value() if secret is not None else None
