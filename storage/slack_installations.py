"""Slack installations over OAuth: the workspaces that installed the app, and pending OAuth states.

The rows are read and written by slack_sdk's SQLAlchemy stores, subclassed here
(:class:`SqlInstallationStore`, :class:`SqlOAuthStateStore`) so that they use our tables, so the
tables have exactly the columns those stores use; a test compares them with the library's own
definition. Unlike our other tables the datetimes are naive UTC (``TIMESTAMP WITHOUT TIME
ZONE``): the stores bind naive UTC values and compare with them, and a zone-aware column would
read them in the session's time zone. The tables are created by migration 0003 only, never by
the library.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Engine,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    and_,
    select,
)
from sqlmodel import SQLModel

import storage.tables  # noqa: F401  (the naming convention must be in place first)

log = logging.getLogger(__name__)

metadata = SQLModel.metadata


def _bot_columns() -> list[Column[Any]]:
    """The columns a bot token has both in an installation and in a bot row."""
    return [
        Column("bot_token", String(200)),
        Column("bot_id", String(32)),
        Column("bot_user_id", String(32)),
        Column("bot_scopes", String(1000)),
        Column("bot_refresh_token", String(200)),
        Column("bot_token_expires_at", DateTime),
    ]


# One row per installation event (a re-install adds a row; the newest one counts).
slack_installations = Table(
    "slack_installations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client_id", String(32), nullable=False),
    Column("app_id", String(32), nullable=False),
    Column("enterprise_id", String(32)),
    Column("enterprise_name", String(200)),
    Column("enterprise_url", String(200)),
    Column("team_id", String(32)),
    Column("team_name", String(200)),
    *_bot_columns(),
    Column("user_id", String(32), nullable=False),
    Column("user_token", String(200)),
    Column("user_scopes", String(1000)),
    Column("user_refresh_token", String(200)),
    Column("user_token_expires_at", DateTime),
    Column("incoming_webhook_url", String(200)),
    Column("incoming_webhook_channel", String(200)),
    Column("incoming_webhook_channel_id", String(200)),
    Column("incoming_webhook_configuration_url", String(200)),
    Column("is_enterprise_install", Boolean, nullable=False, default=False),
    Column("token_type", String(32)),
    Column("installed_at", DateTime, nullable=False),
    Index(
        "ix_slack_installations_team",
        "client_id",
        "enterprise_id",
        "team_id",
        "user_id",
        "installed_at",
    ),
)

# The bot token of each workspace, looked up for every request and every nudge.
slack_bots = Table(
    "slack_bots",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client_id", String(32), nullable=False),
    Column("app_id", String(32), nullable=False),
    Column("enterprise_id", String(32)),
    Column("enterprise_name", String(200)),
    Column("team_id", String(32)),
    Column("team_name", String(200)),
    *_bot_columns(),
    Column("is_enterprise_install", Boolean, nullable=False, default=False),
    Column("installed_at", DateTime, nullable=False),
    Index("ix_slack_bots_team", "client_id", "enterprise_id", "team_id", "installed_at"),
)

# An OAuth ``state`` handed out by /slack/install; consumed once by /slack/oauth_redirect.
slack_oauth_states = Table(
    "slack_oauth_states",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("state", String(200), nullable=False),
    Column("expire_at", DateTime, nullable=False),
    UniqueConstraint("state"),
)


class SqlInstallationStore(SQLAlchemyInstallationStore):
    """slack_sdk's installation store on our migrated tables; it never creates tables.

    It also finds the bot token a workspace installed last (:meth:`bot_token`), for sending.
    """

    def __init__(self, client_id: str, engine: Engine) -> None:
        super().__init__(client_id, engine, logger=log)
        self.installations = slack_installations
        self.bots = slack_bots

    def create_tables(self) -> None:
        raise NotImplementedError("the tables are created by the migrations (0003)")

    def bot_token(self, team_id: str) -> str | None:
        """The bot token workspace ``team_id`` installed last, or ``None`` (never installed,
        or uninstalled).

        Looked up by team alone: a workspace of an Enterprise Grid organisation has its bot
        saved with the organisation's id, which a channel (platform, team, channel) does not
        carry.
        """
        c = slack_bots.c
        newest = (
            select(c.bot_token)
            .where(c.client_id == self.client_id, c.team_id == team_id, c.bot_token.is_not(None))
            .order_by(c.installed_at.desc(), c.id.desc())
            .limit(1)
        )
        with self.engine.connect() as connection:
            token = connection.execute(newest).scalar_one_or_none()
        return str(token) if token is not None else None


class SqlOAuthStateStore(SQLAlchemyOAuthStateStore):
    """slack_sdk's state store on our migrated table; a state is consumed at most once, and
    the table never holds more than ``pending_limit`` states.

    The library reads the state and then deletes it: two callbacks racing with the same state
    could both pass on PostgreSQL. Here one ``DELETE`` decides, and expired states go with it.
    Anyone may ask ``/slack/install`` for a link, so issuing prunes too: expired states go, and
    past the limit the oldest pending ones (a person whose link went that way asks again).
    """

    def __init__(self, engine: Engine, expiration_seconds: int, pending_limit: int = 1000) -> None:
        super().__init__(expiration_seconds, engine, logger=log)
        self.oauth_states = slack_oauth_states
        self.pending_limit = pending_limit

    def issue(self, *args: Any, **kwargs: Any) -> str:
        state = str(uuid.uuid4())
        now = datetime.now(UTC).replace(tzinfo=None)  # the column holds naive UTC
        table = self.oauth_states
        with self.engine.begin() as connection:
            connection.execute(table.delete().where(table.c.expire_at <= now))
            newest_kept = (
                select(table.c.id).order_by(table.c.id.desc()).limit(self.pending_limit - 1)
            )
            connection.execute(table.delete().where(table.c.id.not_in(newest_kept)))
            expire_at = now + timedelta(seconds=self.expiration_seconds)
            connection.execute(table.insert().values(state=state, expire_at=expire_at))
        return state

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
