"""Configuration a person can fix: every environment variable with its meaning and an example,
and each problem with the settings as one line in Swedish or English, naming the variable,
what was wrong and a value that would do.

The same table gives ``samverkan --help`` its list of variables and is held to
``.env.example`` by a test.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.exc import ArgumentError

from storage.database import normalise_url

Language = Literal["sv", "en"]


@dataclass(frozen=True)
class Variable:
    """One environment variable: what it does and what a right value is, in both languages,
    and an example; ``secret``: its value is never shown back."""

    name: str
    sv: str
    en: str
    right_sv: str
    right_en: str
    example: str
    secret: bool = False


VARIABLES: tuple[Variable, ...] = (
    Variable(
        "DATABASE_URL",
        "databasen: en SQLite-fil eller PostgreSQL",
        "the database: an SQLite file or PostgreSQL",
        "en SQLite-fil eller en PostgreSQL-adress",
        "an SQLite file or a PostgreSQL address",
        "postgresql+psycopg://samverkan:lösenord@db:5432/samverkan",
    ),
    Variable(
        "PORT",
        "HTTP-porten för Slack, Telegram, /healthz och /metrics",
        "the HTTP port for Slack, Telegram, /healthz and /metrics",
        "ett portnummer 1–65535",
        "a port number 1–65535",
        "3000",
    ),
    Variable(
        "SLACK_BOT_TOKEN",
        "Slack: appens bot-token (en arbetsyta)",
        "Slack: the app's bot token (one workspace)",
        "appens Bot User OAuth Token",
        "the app's Bot User OAuth Token",
        "xoxb-…",
        secret=True,
    ),
    Variable(
        "SLACK_SIGNING_SECRET",
        "Slack: appens Signing Secret, kontrollerar varje anrop",
        "Slack: the app's Signing Secret, checks every request",
        "appens Signing Secret",
        "the app's Signing Secret",
        "8f7e…",
        secret=True,
    ),
    Variable(
        "SLACK_APP_TOKEN",
        "Slack: Socket Mode i stället för HTTP",
        "Slack: Socket Mode instead of HTTP",
        "en app-token med connections:write",
        "an app-level token with connections:write",
        "xapp-…",
        secret=True,
    ),
    Variable(
        "SLACK_CLIENT_ID",
        "Slack: installation i flera arbetsytor (OAuth)",
        "Slack: installs in several workspaces (OAuth)",
        "appens Client ID",
        "the app's Client ID",
        "1234567890.1234567890",
    ),
    Variable(
        "SLACK_CLIENT_SECRET",
        "Slack: appens Client Secret, med SLACK_CLIENT_ID",
        "Slack: the app's Client Secret, with SLACK_CLIENT_ID",
        "appens Client Secret",
        "the app's Client Secret",
        "3c2b…",
        secret=True,
    ),
    Variable(
        "SLACK_API_URL",
        "Slacks Web API (proxy, tester)",
        "Slack's Web API (proxies, tests)",
        "en http- eller https-adress som slutar med /",
        "an http or https address ending in /",
        "https://slack.com/api/",
    ),
    Variable(
        "SLACK_API_TIMEOUT",
        "Sekunder ett anrop till Slack får ta innan det ges upp och görs om",
        "Seconds a call to Slack may take before it is given up and tried again",
        "ett heltal sekunder, minst 1",
        "a whole number of seconds, at least 1",
        "30",
    ),
    Variable(
        "TELEGRAM_BOT_TOKEN",
        "Telegram: botens token från @BotFather",
        "Telegram: the bot's token from @BotFather",
        "token från @BotFather",
        "the token from @BotFather",
        "123456789:AA…",
        secret=True,
    ),
    Variable(
        "TELEGRAM_WEBHOOK_URL",
        "Telegram: webhook i stället för long polling",
        "Telegram: a webhook instead of long polling",
        "en https-adress som slutar på /telegram/webhook",
        "an https address ending in /telegram/webhook",
        "https://samverkan.example.se/telegram/webhook",
    ),
    Variable(
        "TELEGRAM_WEBHOOK_SECRET",
        "Telegram: hemlighet som webhooken kontrolleras med",
        "Telegram: the secret the webhook is checked with",
        "1–256 tecken: A–Z, a–z, 0–9, _ och -",
        "1–256 characters: A–Z, a–z, 0–9, _ and -",
        "byt-mot-en-lang-slumpad-text",
        secret=True,
    ),
    Variable(
        "TELEGRAM_API_URL",
        "Telegrams Bot API (token läggs till)",
        "Telegram's Bot API (the token is appended)",
        "en http- eller https-adress",
        "an http or https address",
        "https://api.telegram.org/bot",
    ),
    Variable(
        "BOT_TIMEZONE",
        "tidszon för nya samverkansprocesser",
        "time zone of new collaborations",
        "ett IANA-tidszonsnamn",
        "an IANA time zone name",
        "Europe/Stockholm",
    ),
    Variable(
        "BOT_LANGUAGE",
        "språk för svar och för de här meddelandena",
        "language of replies and of these messages",
        "sv eller en",
        "sv or en",
        "sv",
    ),
    Variable(
        "WORKER_PROCESSES",
        "hur många arbetsprocesser serve startar (0: allt i en process)",
        "how many worker processes serve starts (0: everything in one)",
        "ett heltal 0–16",
        "a whole number 0–16",
        "2",
    ),
    Variable(
        "RETENTION_MONTHS",
        "månader utan användning innan en samverkan aviseras och sedan raderas",
        "months unused before a collaboration is announced and then deleted",
        "ett heltal 1–240",
        "a whole number 1–240",
        "24",
    ),
    Variable(
        "RETENTION_GRACE_DAYS",
        "dagar mellan aviseringen till samordnarna och raderingen",
        "days between the notice to the coordinators and the deletion",
        "ett heltal 1–365",
        "a whole number 1–365",
        "30",
    ),
    Variable(
        "LOG_FORMAT",
        "loggar som text eller en JSON-rad per händelse",
        "logs as text or one JSON object per line",
        "text eller json",
        "text or json",
        "json",
    ),
    Variable(
        "LOG_LEVEL",
        "hur mycket som loggas",
        "how much is logged",
        "DEBUG, INFO, WARNING eller ERROR",
        "DEBUG, INFO, WARNING or ERROR",
        "INFO",
    ),
    Variable(
        "PROMETHEUS_MULTIPROC_DIR",
        "mapp där processerna delar sina mätvärden (annars en tillfällig)",
        "folder where the processes share their metrics (else a temporary one)",
        "en mapp som boten får skriva i",
        "a folder the bot may write to",
        "/tmp/samverkan-metrics",
    ),
)
BY_NAME = {variable.name: variable for variable in VARIABLES}


@dataclass(frozen=True)
class Problem:
    """What is wrong with one variable: ``kind`` is ``invalid`` (the value cannot be used),
    ``missing`` (needed by another one, named in ``needed_by``)."""

    variable: str
    kind: Literal["invalid", "missing"]
    given: str | None = None
    needed_by: str | None = None


_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


def field_problems(error: ValidationError) -> list[Problem]:
    """One problem per variable pydantic refused."""
    problems: dict[str, Problem] = {}
    for each in error.errors():
        if not each["loc"]:
            continue
        name = str(each["loc"][0]).upper()
        given = each.get("input")
        shown = given if isinstance(given, str | int) else None
        problems.setdefault(name, Problem(name, "invalid", None if shown is None else str(shown)))
    return list(problems.values())


def value_problems(values: dict[str, Any]) -> list[Problem]:
    """Problems pydantic's types do not see: URLs, the time zone, variables that need
    another one. ``values`` by lower-case name, secrets as plain strings."""
    return _unusable(values) + _missing(values)


_CHECKS: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("database_url", lambda value: _database_url(value)),
    ("bot_timezone", lambda value: _timezone(value)),
    ("slack_api_url", lambda value: _http_url(value)),
    ("telegram_api_url", lambda value: _http_url(value)),
    ("telegram_webhook_url", lambda value: _https_url(value)),
    ("telegram_webhook_secret", lambda value: bool(_WEBHOOK_SECRET.fullmatch(value))),
)


def _unusable(values: dict[str, Any]) -> list[Problem]:
    return [
        Problem(name.upper(), "invalid", values[name])
        for name, usable in _CHECKS
        if values.get(name) is not None and not usable(values[name])
    ]


def _missing(values: dict[str, Any]) -> list[Problem]:
    """Variables that another one, set, needs: (needed, needed by)."""
    needs = [
        ("telegram_webhook_secret", "telegram_webhook_url"),
        ("slack_client_secret", "slack_client_id"),
        ("slack_client_id", "slack_client_secret"),
    ]
    if not values.get("slack_app_token"):  # over HTTP, Slack signs every request
        needs += [("slack_signing_secret", "slack_bot_token")]
        if not values.get("slack_bot_token"):
            needs += [("slack_signing_secret", "slack_client_id")]
    return [
        Problem(needed.upper(), "missing", needed_by=by.upper())
        for needed, by in needs
        if values.get(by) and not values.get(needed)
    ]


# (missing, a value shown, a value not shown, what would do) in each language.
_PHRASES: dict[Language, tuple[str, str, str, str]] = {
    "sv": (
        "saknas, men behövs när {needed_by} är satt",
        'värdet "{given}" går inte att använda',
        "värdet går inte att använda",
        "Ange {right}, t.ex. {example}",
    ),
    "en": (
        "is missing, but needed when {needed_by} is set",
        'the value "{given}" cannot be used',
        "the value cannot be used",
        "Use {right}, e.g. {example}",
    ),
}


def describe(problem: Problem, language: Language) -> str:
    """One line: the variable, what was wrong, and an example of a right value. A secret's
    value is never repeated; another is shown as given, cut at 80 characters."""
    missing, shown, hidden, would_do = _PHRASES[language]
    variable = BY_NAME[problem.variable]
    if problem.kind == "missing":
        wrong = missing.format(needed_by=problem.needed_by)
    elif problem.given is not None and not variable.secret:
        wrong = shown.format(given=problem.given[:80])
    else:
        wrong = hidden
    right = variable.right_sv if language == "sv" else variable.right_en
    example = f"{variable.name}={variable.example}"
    return f"{variable.name}: {wrong}. {would_do.format(right=right, example=example)}"


class _LanguageOnly(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_ignore_empty=True, extra="ignore", case_sensitive=False
    )
    bot_language: str = "sv"


def language() -> Language:
    """The language to speak of the configuration in: ``BOT_LANGUAGE`` when it is one we
    speak, else Swedish."""
    try:
        chosen = _LanguageOnly().bot_language.strip().lower()
    except ValidationError:
        return "sv"
    return "en" if chosen == "en" else "sv"


def _database_url(value: str) -> bool:
    try:
        url = normalise_url(value)
    except ArgumentError:
        return False
    return url.get_backend_name() in ("sqlite", "postgresql")


def _timezone(value: str) -> bool:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _http_url(value: str) -> bool:
    return bool(re.fullmatch(r"https?://[^\s/]+(/\S*)?", value))


def _https_url(value: str) -> bool:
    return bool(re.fullmatch(r"https://[^\s/]+(/\S*)?", value))
