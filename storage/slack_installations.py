"""Slack installations over OAuth: the workspaces that installed the app, and pending OAuth states.

The rows are read and written by slack_sdk's SQLAlchemy stores (``adapters.slack.oauth``), so the
tables have exactly the columns those stores use; a test compares them with the library's own
definition. Unlike our other tables the datetimes are naive UTC (``TIMESTAMP WITHOUT TIME
ZONE``): the stores bind naive UTC values and compare with them, and a zone-aware column would
read them in the session's time zone. The tables are created by migration 0003 only, never by
the library.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, Column, DateTime, Index, Integer, String, Table, UniqueConstraint
from sqlmodel import SQLModel

import storage.tables  # noqa: F401  (the naming convention must be in place first)

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
