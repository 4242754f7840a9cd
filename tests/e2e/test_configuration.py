"""``samverkan serve`` started with each kind of bad configuration, as a person would: one line
per problem, in the language of ``BOT_LANGUAGE``, naming the variable with an example of a
right value; no traceback; the exit status that says what kind of problem it was."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from runtime.cli import CONFIGURATION, DATABASE
from standins.serving import free_port

PROJECT = Path(__file__).resolve().parents[2]


def serve(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    """``samverkan serve`` in an empty folder (no ``.env``) with only ``variables`` set."""
    env = {key: value for key, value in os.environ.items() if key in ("PATH", "HOME", "LANG")}
    env |= {"PYTHONPATH": str(PROJECT), "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}"}
    return subprocess.run(
        [sys.executable, "-m", "runtime.cli", "serve"],
        env=env | variables,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def lines(done: subprocess.CompletedProcess[str]) -> list[str]:
    assert "Traceback" not in done.stderr + done.stdout
    return [line for line in done.stderr.splitlines() if line.strip()]


# (variables, the line that names the problem: its start and the example it gives)
BAD_SETTINGS = [
    ({"PORT": "tretusen"}, 'PORT: värdet "tretusen" går inte att använda', "t.ex. PORT=3000"),
    ({"BOT_LANGUAGE": "fi"}, 'BOT_LANGUAGE: värdet "fi"', "t.ex. BOT_LANGUAGE=sv"),
    ({"BOT_TIMEZONE": "Europe/Stockhlom"}, "BOT_TIMEZONE:", "t.ex. BOT_TIMEZONE=Europe/Stockholm"),
    ({"WORKER_PROCESSES": "-1"}, "WORKER_PROCESSES:", "ett heltal 0–16"),
    ({"LOG_FORMAT": "xml"}, 'LOG_FORMAT: värdet "xml"', "t.ex. LOG_FORMAT=json"),
    ({"DATABASE_URL": "mysql://db/bot"}, "DATABASE_URL:", "t.ex. DATABASE_URL=postgresql+psycopg"),
    (
        {
            "TELEGRAM_BOT_TOKEN": "1:x",
            "TELEGRAM_WEBHOOK_URL": "https://bot.example.se/telegram/webhook",
        },
        "TELEGRAM_WEBHOOK_SECRET: saknas, men behövs när TELEGRAM_WEBHOOK_URL är satt",
        "TELEGRAM_WEBHOOK_SECRET=",
    ),
    (
        {
            "TELEGRAM_WEBHOOK_URL": "http://bot.example.se/telegram/webhook",
            "TELEGRAM_WEBHOOK_SECRET": "ok",
        },
        "TELEGRAM_WEBHOOK_URL:",
        "en https-adress",
    ),
    (
        {"TELEGRAM_WEBHOOK_URL": "https://b.se/telegram/webhook", "TELEGRAM_WEBHOOK_SECRET": "å ä"},
        "TELEGRAM_WEBHOOK_SECRET: värdet går inte att använda",  # a secret is never shown
        "A–Z, a–z, 0–9, _ och -",
    ),
    (
        {"SLACK_BOT_TOKEN": "xoxb-1"},
        "SLACK_SIGNING_SECRET: saknas, men behövs när SLACK_BOT_TOKEN är satt",
        "SLACK_SIGNING_SECRET=",
    ),
    ({"SLACK_API_URL": "slack.com/api"}, "SLACK_API_URL:", "t.ex. SLACK_API_URL=https://"),
]


@pytest.mark.parametrize(("variables", "names", "example"), BAD_SETTINGS)
def test_a_bad_setting_is_one_line_that_names_it(
    tmp_path: Path, variables: dict[str, str], names: str, example: str
) -> None:
    done = serve(tmp_path, **variables)
    assert done.returncode == CONFIGURATION
    [line] = lines(done)
    assert line.startswith(names), line
    assert example in line
    assert not (tmp_path / "bot.db").exists()  # nothing was started


def test_every_problem_at_once_in_english(tmp_path: Path) -> None:
    done = serve(
        tmp_path,
        BOT_LANGUAGE="en",
        PORT="x",
        BOT_TIMEZONE="Mars/Olympus",
        TELEGRAM_BOT_TOKEN="1:x",
        TELEGRAM_WEBHOOK_URL="https://bot.example.se/telegram/webhook",
    )
    assert done.returncode == CONFIGURATION
    assert lines(done) == [
        'PORT: the value "x" cannot be used. Use a port number 1–65535, e.g. PORT=3000',
        'BOT_TIMEZONE: the value "Mars/Olympus" cannot be used. Use an IANA time zone name, '
        "e.g. BOT_TIMEZONE=Europe/Stockholm",
        "TELEGRAM_WEBHOOK_SECRET: is missing, but needed when TELEGRAM_WEBHOOK_URL is set. "
        "Use 1–256 characters: A–Z, a–z, 0–9, _ and -, "
        "e.g. TELEGRAM_WEBHOOK_SECRET=byt-mot-en-lang-slumpad-text",
    ]


def test_a_secret_is_never_repeated(tmp_path: Path) -> None:
    done = serve(
        tmp_path,
        TELEGRAM_WEBHOOK_URL="https://bot.example.se/telegram/webhook",
        TELEGRAM_WEBHOOK_SECRET="hemligt värde!",
    )
    assert done.returncode == CONFIGURATION
    assert "hemligt" not in done.stderr


def test_a_database_that_does_not_answer_is_named_with_what_to_check(tmp_path: Path) -> None:
    port = free_port()  # nothing listens here
    url = f"postgresql+psycopg://samverkan:topphemligt@127.0.0.1:{port}/samverkan"
    done = serve(tmp_path, DATABASE_URL=url)
    assert done.returncode == DATABASE
    [line] = [each for each in lines(done) if each.startswith("DATABASE_URL")]
    assert f"PostgreSQL på 127.0.0.1:{port} (databas samverkan) svarar inte" in line
    assert "Kontrollera att servern körs" in line
    assert "topphemligt" not in done.stderr


def test_an_sqlite_file_in_a_missing_folder(tmp_path: Path) -> None:
    missing = tmp_path / "finns-inte" / "bot.db"
    done = serve(tmp_path, DATABASE_URL=f"sqlite:///{missing}", BOT_LANGUAGE="en")
    assert done.returncode == DATABASE
    [line] = [each for each in lines(done) if each.startswith("DATABASE_URL")]
    assert f"the SQLite file {missing} cannot be opened" in line
    assert "Check that its folder exists" in line
