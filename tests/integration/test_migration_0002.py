"""Upgrading a database that already holds collaborations to 0002 keeps every row."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, text

from bot.domain import ChannelRef
from storage import SqlUnitOfWork, make_engine, make_session_factory, upgrade
from storage.database import alembic_config

ROWS = [
    "INSERT INTO collaboration (id, platform, workspace, channel, name, language, timezone, "
    "created_at, created_by, cycle) VALUES ('c1', 'slack', 'T1', 'C1', 'Läxhjälp', 'sv', "
    "'Europe/Stockholm', '2026-11-01 09:00:00+00:00', 'U-anna', 1)",
    "INSERT INTO member (collaboration_id, user_id, display_name, role) "
    "VALUES ('c1', 'U-anna', 'Anna', 'coordinator')",
]


def upgraded_with_data(engine: Engine) -> None:
    upgrade(engine, "0001")
    with engine.begin() as connection:
        for row in ROWS:
            connection.execute(text(row))
    upgrade(engine)


def assert_intact(engine: Engine) -> None:
    with SqlUnitOfWork(make_session_factory(engine)) as uow:
        found = uow.collaborations.get_by_channel(ChannelRef("slack", "T1", "C1"))
    assert found is not None
    assert list(found.members) == ["U-anna"]
    assert (found.checkin, found.evaluation_on, found.reminders_paused) == (None, None, False)


def test_sqlite_keeps_collaborations_and_members(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        upgraded_with_data(engine)
        assert_intact(engine)
    finally:
        engine.dispose()


def test_sqlite_downgrade_to_0001_keeps_the_members(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        upgraded_with_data(engine)
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0001")
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM member")).scalar_one() == 1
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_postgres_keeps_collaborations_and_members(
    postgres_databases: Callable[[], str],
) -> None:
    engine = make_engine(postgres_databases())
    try:
        upgraded_with_data(engine)
        assert_intact(engine)
    finally:
        engine.dispose()
