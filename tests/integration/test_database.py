"""Engines: URL spelling, SQLite pragmas."""

from __future__ import annotations

import traceback
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from storage import make_engine, normalise_url
from storage.uow import passing


@pytest.mark.parametrize(
    "given",
    [
        "postgres://u:p@db.example:5432/samverkan",
        "postgresql://u:p@db.example:5432/samverkan",
        "postgresql+psycopg://u:p@db.example:5432/samverkan",
    ],
)
def test_postgres_urls_use_psycopg_3(given: str) -> None:
    url = normalise_url(given)
    assert url.drivername == "postgresql+psycopg"
    assert (url.host, url.port, url.database, url.password) == (
        "db.example", 5432, "samverkan", "p",
    )  # fmt: skip


def test_other_urls_are_left_alone() -> None:
    assert str(normalise_url("sqlite:///./samverkan.db")) == "sqlite:///./samverkan.db"


def pragma(engine: Engine, name: str) -> object:
    with engine.connect() as connection:
        return connection.execute(text(f"PRAGMA {name}")).scalar_one()


def test_a_sqlite_file_enforces_foreign_keys_and_uses_wal(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        assert pragma(engine, "foreign_keys") == 1
        assert pragma(engine, "journal_mode") == "wal"
    finally:
        engine.dispose()


def test_an_in_memory_sqlite_is_one_database_for_every_connection() -> None:
    engine = make_engine("sqlite://")
    try:
        assert pragma(engine, "foreign_keys") == 1
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE t (x INTEGER)"))
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM t")).scalar_one() == 0
    finally:
        engine.dispose()


def test_a_database_error_never_shows_the_statements_parameters(engine: Engine) -> None:
    # Parameters hold names and answers; errors end up in the log with their tracebacks.
    said = "Anna Andersson tycker att läxhjälpen behöver fler volontärer"
    with pytest.raises(DBAPIError) as raised, engine.connect() as connection:
        connection.execute(text("SELECT :said FROM no_such_table"), {"said": said})
    logged = "".join(traceback.format_exception(raised.value))
    assert "no_such_table" in logged  # the error itself is told
    assert said not in logged
    assert "Anna" not in logged


def _error_of(engine: Engine, statement: str) -> DBAPIError:
    with pytest.raises(DBAPIError) as raised, engine.connect() as connection:
        connection.execute(text(statement))
    return raised.value


def test_a_statement_in_error_is_not_an_error_that_passes(engine: Engine) -> None:
    assert not passing(_error_of(engine, "SELECT * FROM no_such_table"))


def test_a_lost_connection_passes(postgresql_engine: Engine) -> None:
    error = _error_of(postgresql_engine, "SELECT pg_terminate_backend(pg_backend_pid())")
    assert passing(error)


def test_a_locked_sqlite_database_passes(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/locked.db", connect_args={"timeout": 0})
    try:
        with engine.begin() as holder:
            holder.execute(text("CREATE TABLE t (x integer)"))
        with engine.begin() as writer:  # BEGIN IMMEDIATE: holds the write lock
            writer.execute(text("INSERT INTO t VALUES (1)"))
            with pytest.raises(DBAPIError) as raised, engine.begin() as other:
                other.execute(text("INSERT INTO t VALUES (2)"))
        assert passing(raised.value)
    finally:
        engine.dispose()
