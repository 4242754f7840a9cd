"""``samverkan check`` as a person runs it, against the stand-in Slack Web API and Telegram Bot
API: with good tokens everything is ✓ and the status is 0; with a revoked token that platform's
line says why, names the variable to check, and the status is 1. No token is ever printed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from standins.slack_api import FakeSlack
from standins.telegram_api import BotApiStandIn
from storage.database import newest_revision

PROJECT = Path(__file__).resolve().parents[2]
SLACK_TOKEN = "xoxb-check-token"
TELEGRAM_TOKEN = "4242:check-token"
WEBHOOK = "https://bot.example.se/telegram/webhook"


def check(
    tmp_path: Path, slack_url: str, telegram: BotApiStandIn, **extra: str
) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key in ("PATH", "HOME", "LANG")}
    env |= {
        "PYTHONPATH": str(PROJECT),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
        "SLACK_BOT_TOKEN": SLACK_TOKEN,
        "SLACK_SIGNING_SECRET": "check-signing-secret",
        "SLACK_API_URL": slack_url,
        "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_API_URL": telegram.url,
        "TELEGRAM_WEBHOOK_URL": WEBHOOK,
        "TELEGRAM_WEBHOOK_SECRET": "check-secret",
    }
    done = subprocess.run(
        [sys.executable, "-m", "runtime.cli", "check"],
        env=env | extra,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    output = done.stdout + done.stderr
    assert "Traceback" not in output
    assert SLACK_TOKEN not in output and TELEGRAM_TOKEN not in output
    return done


def test_good_tokens_pass_every_check(
    tmp_path: Path, slack_api: tuple[FakeSlack, str], telegram_api: BotApiStandIn
) -> None:
    slack, url = slack_api
    telegram_api.webhook_url = WEBHOOK
    done = check(tmp_path, url, telegram_api)
    assert done.returncode == 0, done.stdout
    assert done.stdout.splitlines() == [
        f"✓ Databas sqlite:///{tmp_path / 'bot.db'}: filen skapas, med schemat "
        f"{newest_revision()}, när boten startar",
        done.stdout.splitlines()[1],  # the time of day: checked below
        "✓ Slack auth.test: Test / samverkan",
        "✓ Telegram getMe: @SamverkanBot",
        f"✓ Telegram getWebhookInfo: {WEBHOOK}, 0 väntar",
    ]
    assert done.stdout.splitlines()[1].startswith("✓ Tidszon Europe/Stockholm: klockan är ")
    assert "(tidszonsdata: tzdata)" in done.stdout
    [auth] = slack.calls_to("auth.test")
    assert auth.headers["Authorization"] == f"Bearer {SLACK_TOKEN}"
    assert [call.method for call in telegram_api.calls] == ["getMe", "getWebhookInfo"]
    assert not (tmp_path / "bot.db").exists()  # checking changed nothing


def test_revoked_tokens_are_named_with_what_to_check(
    tmp_path: Path, slack_api: tuple[FakeSlack, str], telegram_api: BotApiStandIn
) -> None:
    slack, url = slack_api
    slack.revoked.add(SLACK_TOKEN)
    telegram_api.revoked.add(TELEGRAM_TOKEN)
    done = check(tmp_path, url, telegram_api, BOT_LANGUAGE="en")
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert "✗ Slack auth.test: token_revoked – check SLACK_BOT_TOKEN" in lines
    [telegram] = [line for line in lines if line.startswith("✗ Telegram getMe:")]
    assert telegram.endswith("– check TELEGRAM_BOT_TOKEN")
    assert "rejected" in telegram or "Unauthorized" in telegram
    assert lines[0].startswith("✓ Database ")  # what works is still said


def test_a_webhook_elsewhere_and_telegrams_last_error_are_told(
    tmp_path: Path, slack_api: tuple[FakeSlack, str], telegram_api: BotApiStandIn
) -> None:
    _, url = slack_api
    telegram_api.webhook_url = "https://old.example.se/telegram/webhook"
    done = check(tmp_path, url, telegram_api, BOT_LANGUAGE="en")
    assert done.returncode == 0
    assert (
        "✓ Telegram getWebhookInfo: https://old.example.se/telegram/webhook; set to "
        "TELEGRAM_WEBHOOK_URL at start, 0 waiting"
    ) in done.stdout.splitlines()


def test_a_database_that_does_not_answer_fails_the_check(
    tmp_path: Path, slack_api: tuple[FakeSlack, str], telegram_api: BotApiStandIn
) -> None:
    _, url = slack_api
    missing = tmp_path / "no-such-folder" / "bot.db"
    done = check(tmp_path, url, telegram_api, DATABASE_URL=f"sqlite:///{missing}")
    assert done.returncode == 1
    assert done.stdout.splitlines()[0].startswith(f"✗ DATABASE_URL: SQLite-filen {missing}")
    assert "✓ Slack auth.test: Test / samverkan" in done.stdout
