"""``samverkan check``: the configuration tried against the database, the time zone and the
platforms, without starting anything; one line for what works (✓) and what does not (✗), in
the language of ``BOT_LANGUAGE``."""

from __future__ import annotations

import asyncio
import importlib.util
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from adapters.slack.check import check_token
from adapters.telegram.check import check_bot
from runtime.configuration import Language
from runtime.database_errors import unreachable
from runtime.settings import Settings
from storage.database import make_engine, newest_revision, normalise_url, schema_revisions

Line = tuple[bool, str]


def check(settings: Settings, say: Callable[[str], None]) -> int:
    """Say one line per check; 0 when everything works, 1 when something does not."""
    language = settings.bot_language
    lines = [_database(settings, language), _timezone(settings, language)]
    lines += asyncio.run(_platforms(settings, language))
    for ok, text in lines:
        say(f"{'✓' if ok else '✗'} {text}")
    return 0 if all(ok for ok, _ in lines) else 1


def _database(settings: Settings, language: Language) -> Line:
    sv = language == "sv"
    url = normalise_url(settings.database_url)
    shown = url.render_as_string(hide_password=True)
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
        return _new_sqlite_file(settings.database_url, Path(url.database), shown, language)
    engine = make_engine(settings.database_url)
    try:
        current, head = schema_revisions(engine)
    except Exception as error:
        return False, unreachable(settings.database_url, error, language)
    finally:
        engine.dispose()
    if current == head:
        state = f"schemat är aktuellt ({head})" if sv else f"the schema is up to date ({head})"
    else:
        was = current or ("tomt" if sv else "empty")
        state = (
            f"schemat ({was}) uppgraderas till {head} när boten startar"
            if sv
            else f"the schema ({was}) is upgraded to {head} when the bot starts"
        )
    return True, f"{'Databas' if sv else 'Database'} {shown}: {state}"


def _new_sqlite_file(database_url: str, path: Path, shown: str, language: Language) -> Line:
    """An SQLite file not made yet: checked without making it (the bot makes it at start)."""
    folder = path.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        missing = "no such folder" if not folder.is_dir() else "the folder is not writable"
        return False, unreachable(database_url, OSError(missing), language)
    head = newest_revision()
    if language == "sv":
        return True, f"Databas {shown}: filen skapas, med schemat {head}, när boten startar"
    return True, f"Database {shown}: the file is made, with the schema {head}, when the bot starts"


def _timezone(settings: Settings, language: Language) -> Line:
    zone = ZoneInfo(settings.bot_timezone)  # checked when the settings were loaded
    now = datetime.now(UTC).astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
    source = "tzdata" if importlib.util.find_spec("tzdata") else "system"
    if language == "sv":
        return True, f"Tidszon {settings.bot_timezone}: klockan är {now} (tidszonsdata: {source})"
    return True, f"Time zone {settings.bot_timezone}: it is {now} (time zone data: {source})"


async def _platforms(settings: Settings, language: Language) -> list[Line]:
    sv = language == "sv"
    lines: list[Line] = []
    slack = settings.slack()
    if slack is not None and slack.bot_token:
        ok, detail = await check_token(slack)
        if ok:
            lines.append((True, f"Slack auth.test: {detail}"))
        else:
            hint = "kontrollera SLACK_BOT_TOKEN" if sv else "check SLACK_BOT_TOKEN"
            lines.append((False, f"Slack auth.test: {detail} – {hint}"))
    elif slack is not None:
        lines.append((True, "Slack: OAuth, en token per arbetsyta" if sv else "Slack: OAuth"))
    telegram = settings.telegram()
    if telegram is not None:
        bot = await check_bot(telegram)
        if not bot.ok:
            hint = "kontrollera TELEGRAM_BOT_TOKEN" if sv else "check TELEGRAM_BOT_TOKEN"
            lines.append((False, f"Telegram getMe: {bot.detail} – {hint}"))
        else:
            lines.append((True, f"Telegram getMe: {bot.detail}"))
            lines.append(_webhook(telegram.webhook_url, bot.webhook, bot.pending, sv))
            if bot.last_error:
                said = "Telegram säger" if sv else "Telegram says"
                lines.append((False, f"Telegram getWebhookInfo: {said} ”{bot.last_error}”"))
    if not lines:
        lines.append((True, "Ingen plattform är konfigurerad" if sv else "No platform configured"))
    return lines


def _webhook(wanted: str | None, actual: str | None, pending: int, sv: bool) -> Line:
    waiting = f"{pending} {'väntar' if sv else 'waiting'}"
    if not actual:
        text = "ingen webhook (long polling)" if sv else "no webhook (long polling)"
        # serve sets the webhook at start: a difference now is not a fault.
        return True, f"Telegram getWebhookInfo: {text}, {waiting}"
    if wanted and actual != wanted:
        text = (
            f"{actual}; sätts om till TELEGRAM_WEBHOOK_URL vid start"
            if sv
            else f"{actual}; set to TELEGRAM_WEBHOOK_URL at start"
        )
        return True, f"Telegram getWebhookInfo: {text}, {waiting}"
    return True, f"Telegram getWebhookInfo: {actual}, {waiting}"
