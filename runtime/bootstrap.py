"""The composition root: the one place that picks concrete classes and wires them together."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from bot.map import ModelMap
from bot.service import Samverkansbot
from model_content.loader import default_model
from runtime.calendar import SwedishCalendar
from runtime.clock import SystemClock
from runtime.settings import Settings
from storage.database import make_engine, make_session_factory, upgrade
from storage.uow import SqlUnitOfWork

log = logging.getLogger(__name__)


@dataclass
class App:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    bot: Samverkansbot

    def close(self) -> None:
        self.engine.dispose()


def build(settings: Settings | None = None) -> App:
    """Connect to the database, bring its schema up to date, and assemble the bot."""
    settings = settings or Settings()
    engine = make_engine(settings.database_url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    bot = Samverkansbot(
        lambda: SqlUnitOfWork(sessions),
        SystemClock(),
        ModelMap(default_model()),
        language=settings.bot_language,
        timezone=settings.bot_timezone,
        calendar=SwedishCalendar(),
    )
    log.info("database ready: %s", engine.url.render_as_string(hide_password=True))
    return App(settings, engine, sessions, bot)
