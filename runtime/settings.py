"""Typed configuration from environment variables and a ``.env`` file; empty counts as unset."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


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
    # `samverkan serve` hands webhook events to this many worker processes (0: handles them
    # itself), so that acknowledging never waits for handling.
    worker_processes: int = Field(1, ge=0, le=16)

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.telegram_webhook_url and not self.telegram_webhook_secret:
            raise ValueError("TELEGRAM_WEBHOOK_SECRET is required with TELEGRAM_WEBHOOK_URL")
        return self

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_bot_token or self.slack_app_token or self.slack_client_id)

    @property
    def slack_over_http(self) -> bool:
        """Slack's events reach ``/slack/events``: signed, for one workspace or over OAuth."""
        oauth = bool(self.slack_client_id and self.slack_client_secret)
        return bool(self.slack_signing_secret and (self.slack_bot_token or oauth))

    @property
    def telegram_enabled(self) -> bool:
        return self.telegram_bot_token is not None

    @property
    def any_platform(self) -> bool:
        return self.slack_enabled or self.telegram_enabled
