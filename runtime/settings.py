"""Typed configuration from environment variables and a ``.env`` file; empty counts as unset.

The one place that reads the environment. Each platform gets its own section of it
(:meth:`Settings.slack`, :meth:`Settings.telegram`), or ``None`` when it is not configured.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, ValidationError, create_model, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from adapters.slack import SlackSettings
from adapters.telegram import TelegramSettings
from runtime.configuration import Problem, field_problems, value_problems

_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class ConfigurationError(Exception):
    """The settings cannot be used; ``problems``: one per variable."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(", ".join(problem.variable for problem in problems))
        self.problems = problems


def load() -> Settings:
    """The settings of the environment and ``.env``, every variable checked.

    Raises :class:`ConfigurationError` with every problem found."""
    try:
        settings = Settings()
    except ValidationError as error:
        refused = field_problems(error)
        names = {problem.variable.lower() for problem in refused}
        raw = {name: value for name, value in _Raw().model_dump().items() if name not in names}
        raise ConfigurationError(refused + value_problems(raw)) from None
    problems = settings.problems()
    if problems:
        raise ConfigurationError(problems)
    return settings


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
    slack_api_timeout: int = Field(30, ge=1)
    telegram_bot_token: SecretStr | None = None
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    bot_timezone: str = "Europe/Stockholm"
    bot_language: Literal["sv", "en"] = "sv"
    # `samverkan serve` hands the events it keeps to this many worker processes (0: handles them
    # itself), so that acknowledging never waits for handling.
    worker_processes: int = Field(1, ge=0, le=16)
    # Retention: a collaboration unused this many months is announced to its coordinators,
    # and deleted with everything in it this many days after the notice unless it is used.
    retention_months: int = Field(24, ge=1, le=240)
    retention_grace_days: int = Field(30, ge=1, le=365)

    log_format: Literal["text", "json"] = "text"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @field_validator("log_format", "log_level", "bot_language", mode="before")
    @classmethod
    def _any_case(cls, value: object) -> object:
        """``JSON`` or ``info`` do as well as ``json`` and ``INFO``."""
        if not isinstance(value, str):
            return value
        return value.strip().upper() if value.strip().upper() in _LEVELS else value.strip().lower()

    def problems(self) -> list[Problem]:
        """What the types allow but the bot cannot use (see :func:`value_problems`)."""
        values = {
            name: _plain(value) if isinstance(value, SecretStr) else value for name, value in self
        }
        return value_problems(values)

    def secrets(self) -> list[str]:
        """Every secret's value, for the logs to hide."""
        return [value.get_secret_value() for _, value in self if isinstance(value, SecretStr)]

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
            timeout=self.slack_api_timeout,
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


# Every variable as the text it was given, to check the others when one cannot be read.
_Raw = create_model(  # type: ignore[call-overload]
    "_Raw",
    __base__=BaseSettings,
    __config__=None,
    **{name: (str | None, None) for name in Settings.model_fields},
)
_Raw.model_config = Settings.model_config
