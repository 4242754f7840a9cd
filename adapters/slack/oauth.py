"""Installing the app in many workspaces over OAuth (``SLACK_CLIENT_ID``, ``SLACK_CLIENT_SECRET``).

``GET /slack/install`` hands out a link to Slack's consent page with a one-time ``state``;
Slack sends the person back to ``GET /slack/oauth_redirect`` with a code, which bolt exchanges
(``oauth.v2.access``) for the workspace's bot token. Installations and states live in our own
database (tables of :mod:`storage.slack_installations`, created by migration 0003), read and
written by slack_sdk's SQLAlchemy stores on our engine. Those stores are synchronous, so bolt's
``AsyncApp`` reaches them through small wrappers that run each call in a worker thread.

Every request is then answered with the token of the workspace it came from: bolt's authorize
finds the workspace's bot and hands the listeners a client carrying its token.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine, and_, select

from runtime.settings import Settings
from storage import slack_bots, slack_installations, slack_oauth_states

log = logging.getLogger(__name__)

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_SECONDS = 600  # how long an install link stays valid
MANIFEST = Path(__file__).resolve().parent / "manifest.yaml"


def oauth_enabled(settings: Settings) -> bool:
    """Whether the app is installed per workspace over OAuth rather than with one bot token."""
    return bool(settings.slack_client_id and settings.slack_client_secret)


def bot_scopes(manifest: Path = MANIFEST) -> list[str]:
    """The bot scopes the app manifest asks for: the install link asks for the same."""
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    return [str(scope) for scope in data["oauth_config"]["scopes"]["bot"]]


class SqlInstallationStore(SQLAlchemyInstallationStore):
    """slack_sdk's installation store on our migrated tables; it never creates tables."""

    def __init__(self, client_id: str, engine: Engine) -> None:
        super().__init__(client_id, engine, logger=log)
        self.installations = slack_installations
        self.bots = slack_bots

    def create_tables(self) -> None:
        raise NotImplementedError("the tables are created by the migrations (0003)")


class SqlOAuthStateStore(SQLAlchemyOAuthStateStore):
    """slack_sdk's state store on our migrated table; a state is consumed at most once.

    The library reads the state and then deletes it: two callbacks racing with the same state
    could both pass on PostgreSQL. Here one ``DELETE`` decides, and expired states go with it.
    """

    def __init__(self, engine: Engine, expiration_seconds: int = STATE_SECONDS) -> None:
        super().__init__(expiration_seconds, engine, logger=log)
        self.oauth_states = slack_oauth_states

    def create_tables(self) -> None:
        raise NotImplementedError("the tables are created by the migrations (0003)")

    def consume(self, state: str) -> bool:
        now = datetime.now(UTC).replace(tzinfo=None)  # the column holds naive UTC
        table = self.oauth_states
        with self.engine.begin() as connection:
            connection.execute(table.delete().where(table.c.expire_at <= now))
            deleted = connection.execute(
                table.delete()
                .where(and_(table.c.state == state, table.c.expire_at > now))
                .returning(table.c.id)
            )
            return deleted.first() is not None


class ThreadedInstallationStore(AsyncInstallationStore):
    """Bolt's async interface over a synchronous installation store (one thread per call)."""

    def __init__(self, store: SQLAlchemyInstallationStore) -> None:
        self.store = store

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        await asyncio.to_thread(self.store.save, installation)

    async def async_save_bot(self, bot: Bot) -> None:
        await asyncio.to_thread(self.store.save_bot, bot)

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        return await asyncio.to_thread(
            self.store.find_bot,
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        return await asyncio.to_thread(
            self.store.find_installation,
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            is_enterprise_install=is_enterprise_install,
        )

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await asyncio.to_thread(self.store.delete_bot, enterprise_id=enterprise_id, team_id=team_id)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        await asyncio.to_thread(
            self.store.delete_installation,
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
        )


class ThreadedOAuthStateStore(AsyncOAuthStateStore):
    """Bolt's async interface over a synchronous OAuth state store."""

    def __init__(self, store: SQLAlchemyOAuthStateStore) -> None:
        self.store = store

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        return await asyncio.to_thread(self.store.issue)

    async def async_consume(self, state: str) -> bool:
        return await asyncio.to_thread(self.store.consume, state)


def oauth_settings(settings: Settings, engine: Engine) -> AsyncOAuthSettings:
    """Bolt's OAuth settings: our paths, the manifest's scopes, the stores in our database.

    Raises ``ValueError`` when the client id or secret is missing.
    """
    if not (settings.slack_client_id and settings.slack_client_secret):
        raise ValueError("OAuth needs SLACK_CLIENT_ID and SLACK_CLIENT_SECRET")
    store = SqlInstallationStore(settings.slack_client_id, engine)
    return AsyncOAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret.get_secret_value(),
        scopes=bot_scopes(),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        installation_store=ThreadedInstallationStore(store),
        # Only bot tokens are asked for: a workspace is authorised by its newest bot row.
        installation_store_bot_only=True,
        state_store=ThreadedOAuthStateStore(SqlOAuthStateStore(engine)),
        state_expiration_seconds=STATE_SECONDS,
        logger=log,
    )


def installed_bot_token(engine: Engine, client_id: str) -> Callable[[str], str | None]:
    """``bot_token(team_id)``: the bot token a workspace installed last, or ``None``.

    Looked up by team alone: a workspace of an Enterprise Grid organisation has its bot saved
    with the organisation's id, which a channel (platform, team, channel) does not carry.
    """
    c = slack_bots.c
    newest = (
        select(c.bot_token)
        .where(c.client_id == client_id, c.bot_token.is_not(None))
        .order_by(c.installed_at.desc(), c.id.desc())
        .limit(1)
    )

    def bot_token(team_id: str) -> str | None:
        with engine.connect() as connection:
            token = connection.execute(newest.where(c.team_id == team_id)).scalar_one_or_none()
        return str(token) if token is not None else None

    return bot_token
