"""The composition root: the one place that picks concrete classes and the platforms, and wires
them together."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from adapters.slack import SlackOAuthStores, SlackSettings, slack_platform
from adapters.slack.oauth import STATE_SECONDS
from adapters.telegram import telegram_platform
from bot.map import ModelMap
from bot.service import Samverkansbot
from engine.clock import SystemClock
from engine.inbox_worker import InboxWorker
from engine.platform import Platform, Surroundings
from engine.scheduler import Stores
from model_content.loader import default_model
from runtime.settings import Settings
from runtime.swedish_calendar import SwedishCalendar
from storage.buttons import SqlButtonStore
from storage.database import make_engine, make_session_factory, upgrade
from storage.due import SqlCollaborations
from storage.inbox import SqlInbox
from storage.leader import SqlLeader
from storage.outbox import SqlOutbox
from storage.retention import SqlDormancy
from storage.slack_installations import SqlInstallationStore, SqlOAuthStateStore
from storage.uow import SqlUnitOfWork

log = logging.getLogger(__name__)


@dataclass
class App:
    """One process's assembly: the database, the core, the engine's stores and the platforms.

    ``worker`` handles the inbox where it is started; the platforms keep what they receive
    through it in every process.
    """

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    bot: Samverkansbot
    stores: Stores
    worker: InboxWorker
    platforms: list[Platform]

    def close(self) -> None:
        self.engine.dispose()


def build(settings: Settings | None = None, *, poll_seconds: float = 1.0) -> App:
    """Connect to the database, bring its schema up to date, and assemble the bot and every
    configured platform. ``poll_seconds``: how often the inbox worker looks for events that
    no request of this process woke it for."""
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
    inbox, buttons = SqlInbox(engine), SqlButtonStore(sessions)
    stores = Stores(
        SqlOutbox(sessions),
        inbox,
        SqlLeader(engine),
        SqlCollaborations(sessions),
        SqlDormancy(sessions),
        buttons,
    )
    worker = InboxWorker(inbox, poll_seconds=poll_seconds)
    surroundings = Surroundings(bot, worker.keep, buttons)
    platforms = _platforms(settings, surroundings, engine)
    log.info("database ready: %s", engine.url.render_as_string(hide_password=True))
    return App(settings, engine, sessions, bot, stores, worker, platforms)


def _platforms(settings: Settings, surroundings: Surroundings, engine: Engine) -> list[Platform]:
    """Every configured platform, made by its own factory from its own section of the
    settings: the one place that chooses platforms. A new platform is one more ``if`` here."""
    platforms: list[Platform] = []
    if (slack := settings.slack()) is not None:
        platforms.append(slack_platform(slack, surroundings, _slack_oauth(slack, engine)))
    if (telegram := settings.telegram()) is not None:
        platforms.append(telegram_platform(telegram, surroundings))
    return platforms


def _slack_oauth(slack: SlackSettings, engine: Engine) -> SlackOAuthStores | None:
    """With a client id and secret, workspaces install the app over OAuth: their tokens and
    the pending install states are kept in our database."""
    if not slack.oauth or slack.client_id is None:
        return None
    states = SqlOAuthStateStore(engine, STATE_SECONDS)  # as long as the install link is valid
    return SlackOAuthStores(SqlInstallationStore(slack.client_id, engine), states)
