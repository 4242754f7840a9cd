"""Backends for the storage tests: the in-memory fake, SQLite files and PostgreSQL.

``uow`` runs a test on all three (the contract every implementation of the ports keeps);
``engine`` and ``session_factory`` on the two SQL backends only. Every test starts on an empty,
fully migrated schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, SQLModel

from storage import SqlUnitOfWork, make_engine, make_session_factory, upgrade
from tests.fakes import FakeUnitOfWork

SQL_BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    """A migrated SQLite file of this test alone."""
    engine = make_engine(f"sqlite:///{tmp_path / 'samverkan.db'}")
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def migrated_postgres(postgres_url: str) -> Iterator[Engine]:
    """The session's PostgreSQL database, migrated once."""
    engine = make_engine(postgres_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def postgresql_engine(migrated_postgres: Engine) -> Engine:
    """The session's PostgreSQL database with every table emptied before the test.

    Emptying before rather than after means a test that crashed halfway cannot leak rows into
    the next one.
    """
    tables = ", ".join(f'"{table.name}"' for table in SQLModel.metadata.sorted_tables)
    with migrated_postgres.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    return migrated_postgres


@pytest.fixture(params=SQL_BACKENDS)
def engine(request: pytest.FixtureRequest) -> Engine:
    engine: Engine = request.getfixturevalue(f"{request.param}_engine")
    return engine


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture(params=["fake", *SQL_BACKENDS])
def uow(request: pytest.FixtureRequest) -> FakeUnitOfWork | SqlUnitOfWork:
    """One unit of work, entered once per transaction like a message handler would."""
    if request.param == "fake":
        return FakeUnitOfWork()
    engine = request.getfixturevalue(f"{request.param}_engine")
    return SqlUnitOfWork(make_session_factory(engine))
