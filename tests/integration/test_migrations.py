"""The migrations build exactly the schema the tables declare, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from storage import make_engine, upgrade
from storage.database import MIGRATIONS, alembic_config

TABLES = {
    "collaboration", "member", "step_state", "answer", "answer_version", "decision",
    "role_assignment", "audit_entry", "posted_card", "processed_event", "outbox", "inbox",
    "invitation", "button",
    "message_count",
    "slack_installations", "slack_bots", "slack_oauth_states",
}  # fmt: skip


# A collaboration row as the migrations before 0017 know it, for tests of what a migration
# makes of existing rows.
COLLABORATION = text(
    "INSERT INTO collaboration (id, platform, workspace, channel, name, language, timezone,"
    " created_at, created_by, cycle)"
    " VALUES (:id, 'slack', 'T1', :id, 'Namn', 'sv', 'Europe/Stockholm', :at, 'U1', 1)"
)


def differences(url: str) -> list[object]:
    """What autogenerate would still change after upgrading the empty database at ``url``."""
    upgrade(url)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, SQLModel.metadata))
    finally:
        engine.dispose()


def test_the_tables_are_the_expected_ones() -> None:
    assert set(SQLModel.metadata.tables) == TABLES


def test_sqlite_after_upgrade_matches_the_tables(tmp_path: Path) -> None:
    assert differences(f"sqlite:///{tmp_path / 'fresh.db'}") == []


@pytest.mark.postgres
def test_postgres_after_upgrade_matches_the_tables(
    postgres_databases: Callable[[], str],
) -> None:
    assert differences(postgres_databases()) == []


def test_upgrade_twice_is_harmless_and_downgrade_removes_everything(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        upgrade(engine)
        upgrade(engine)
        assert set(inspect(engine).get_table_names()) == TABLES | {"alembic_version"}
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
        assert inspect(engine).get_table_names() == ["alembic_version"]
    finally:
        engine.dispose()


def test_0011_marks_the_nudges_sent_before_it_as_sent(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    insert = text(
        "INSERT INTO outbox (id, collaboration_id, kind, due_slot, platform, workspace, channel,"
        " payload, created_at, available_at, sent_at, attempts)"
        " VALUES (:id, 'c1', 'checkin', :id, 'slack', 'T1', 'C1', '{}', :at, :at, :sent, 1)"
    )
    try:
        upgrade(engine, "0010")
        with engine.begin() as connection:
            for row, sent in (("sent", "2026-11-02 08:00:00"), ("waiting", None)):
                connection.execute(insert, {"id": row, "at": "2026-11-02 08:00:00", "sent": sent})
        upgrade(engine)
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT id, outcome FROM outbox ORDER BY id")).all()
        assert [tuple(row) for row in rows] == [("sent", "sent"), ("waiting", None)]
    finally:
        engine.dispose()


def test_migrations_import_neither_sqlmodel_nor_our_modules() -> None:
    # A migration must keep running after the code it was generated from has changed.
    for script in (MIGRATIONS / "versions").glob("*.py"):
        source = script.read_text(encoding="utf-8")
        assert "sqlmodel" not in source, script.name
        assert "import storage" not in source and "from storage" not in source, script.name


def test_0017_counts_a_collaboration_as_last_used_at_its_latest_audit_entry(
    empty_database: str,
) -> None:
    engine = make_engine(empty_database)
    audit = text(
        "INSERT INTO audit_entry (collaboration_id, at, actor_id, action, detail)"
        " VALUES ('used', :at, 'U1', 'answer', '')"
    )
    try:
        upgrade(engine, "0015")
        with engine.begin() as connection:
            for row in ("used", "quiet"):
                connection.execute(COLLABORATION, {"id": row, "at": "2025-01-02 08:00:00"})
            for at in ("2025-03-04 09:00:00", "2025-05-06 10:00:00", "2025-04-05 11:00:00"):
                connection.execute(audit, {"at": at})
        upgrade(engine)
        with engine.connect() as connection:
            query = text("SELECT id, active_at FROM collaboration ORDER BY id")
            found = {row[0]: str(row[1])[:16] for row in connection.execute(query)}
        assert found == {"quiet": "2025-01-02 08:00", "used": "2025-05-06 10:00"}
    finally:
        engine.dispose()


def test_0022_continues_each_collaborations_answers_after_its_highest_position(
    empty_database: str,
) -> None:
    engine = make_engine(empty_database)
    answer = text(
        "INSERT INTO answer (id, collaboration_id, position, question_id, step_id, cycle,"
        " author_id, author_name, text, created_at, updated_at)"
        " VALUES (:id, 'answered', :position, 'status.1', 'status', 1, 'U1', 'Anna', 'svar',"
        " :at, :at)"
    )
    try:
        upgrade(engine, "0021")
        with engine.begin() as connection:
            for row in ("answered", "quiet"):
                connection.execute(COLLABORATION, {"id": row, "at": "2025-01-02 08:00:00"})
            for number, position in enumerate((0, 7, 3)):
                values = {"id": f"a{number}", "position": position, "at": "2025-01-03 08:00:00"}
                connection.execute(answer, values)
        upgrade(engine)
        with engine.connect() as connection:
            query = text("SELECT id, next_answer_position FROM collaboration ORDER BY id")
            found = {row[0]: row[1] for row in connection.execute(query)}
        assert found == {"answered": 8, "quiet": 0}
    finally:
        engine.dispose()
