"""Each platform gets its own section of the settings, or none when it is not configured; the
sections never show a secret."""

from __future__ import annotations

from typing import TypedDict, Unpack

import pytest

from runtime.settings import Settings


@pytest.fixture(autouse=True)
def no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_CLIENT_ID",
                 "SLACK_CLIENT_SECRET", "TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_URL",
                 "TELEGRAM_WEBHOOK_SECRET"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)


class PlatformValues(TypedDict, total=False):
    """The platforms' settings these tests give, as the environment would: as text."""

    slack_bot_token: str
    slack_signing_secret: str
    slack_app_token: str
    slack_client_id: str
    slack_client_secret: str
    telegram_bot_token: str
    telegram_webhook_url: str
    telegram_webhook_secret: str


def settings(**values: Unpack[PlatformValues]) -> Settings:
    # No `.env` file: only the values given count (the fixture above clears the environment).
    return Settings(_env_file=None, **values)


def test_no_platform_without_its_secrets() -> None:
    bare = settings()
    assert bare.slack() is None and bare.telegram() is None and not bare.any_platform
    # A bot token alone cannot check Slack's signatures, so Slack stays off.
    assert settings(slack_bot_token="xoxb-1").slack() is None


def test_slack_over_http_with_one_token_or_over_oauth() -> None:
    one = settings(slack_bot_token="xoxb-1", slack_signing_secret="s").slack()
    assert one is not None and one.over_http and not one.oauth
    oauth = settings(
        slack_signing_secret="s", slack_client_id="1.2", slack_client_secret="c"
    ).slack()
    assert oauth is not None and oauth.over_http and oauth.oauth


def test_slack_over_socket_mode_alone() -> None:
    socket = settings(slack_app_token="xapp-1").slack()
    assert socket is not None and not socket.over_http and socket.app_token == "xapp-1"


def test_telegram_with_a_token_and_its_webhook() -> None:
    section = settings(
        telegram_bot_token="1:ABC",
        telegram_webhook_url="https://example.org/telegram/webhook",
        telegram_webhook_secret="w",
    ).telegram()
    assert section is not None and section.bot_token == "1:ABC"
    assert section.webhook_url == "https://example.org/telegram/webhook"


def test_no_section_shows_a_secret() -> None:
    chosen = settings(
        slack_bot_token="xoxb-secret", slack_signing_secret="sign-secret",
        slack_client_id="1.2", slack_client_secret="client-secret",
        slack_app_token="xapp-secret", telegram_bot_token="1:tg-secret",
        telegram_webhook_url="https://example.org/hook", telegram_webhook_secret="hook-secret",
    )  # fmt: skip
    shown = repr(chosen.slack()) + repr(chosen.telegram()) + repr(chosen)
    for secret in ("xoxb-secret", "sign-secret", "client-secret", "xapp-secret", "tg-secret",
                   "hook-secret"):  # fmt: skip
        assert secret not in shown
