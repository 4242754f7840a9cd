"""Shared fixtures: a throwaway PostgreSQL database per test session.

The server comes from ``--postgres-url`` or ``TEST_POSTGRES_URL``; it must allow creating
databases. Tests that need it skip, with the reason shown by ``-ra``, when it cannot be reached,
unless ``REQUIRE_POSTGRES=1`` (CI) turns that into a failure.
"""

from __future__ import annotations

import io
import logging
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--postgres-url",
        default=os.environ.get("TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL,
        help="a PostgreSQL server on which the tests may create databases "
        "(default: $TEST_POSTGRES_URL or %(default)s)",
    )


def _admin_engine(url: URL) -> Engine:
    """An AUTOCOMMIT engine on the maintenance database, or a skip (a failure if required)."""
    shown = url.render_as_string(hide_password=True)
    engine = create_engine(url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:
        engine.dispose()
        detail = str(error).splitlines()[0][:200]
        reason = f"PostgreSQL not reachable at {shown}: {detail}"
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{reason} (REQUIRE_POSTGRES=1)", pytrace=False)
        pytest.skip(reason)
    return engine


@pytest.fixture(scope="session")
def postgres_databases(request: pytest.FixtureRequest) -> Iterator[Callable[[], str]]:
    """Makes fresh, empty databases on the test server; all are dropped when the session ends."""
    from storage.database import normalise_url  # here, so unit tests never import storage

    url = normalise_url(request.config.getoption("--postgres-url"))
    admin = _admin_engine(url)
    created: list[str] = []

    def create() -> str:
        name = f"samverkan_test_{uuid.uuid4().hex[:12]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        created.append(name)
        return url.set(database=name).render_as_string(hide_password=False)

    yield create
    with admin.connect() as connection:
        for name in created:
            # FORCE: a connection leaked by a failed test must not keep the database alive.
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def postgres_url(postgres_databases: Callable[[], str]) -> str:
    """URL of an empty database that belongs to this test session alone."""
    return postgres_databases()


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    """Where a test may have the root logger write (``runtime.logs.configure``); the root
    logger's handlers and level are restored after it."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    written = io.StringIO()
    yield written
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a new, empty database: an SQLite file, or one on the PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    databases: Callable[[], str] = request.getfixturevalue("postgres_databases")
    return databases()
