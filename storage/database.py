"""Engines, sessions and schema upgrades for SQLite and PostgreSQL (psycopg 3)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, TextualSelect, bindparam, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import StaticPool
from sqlalchemy.sql.dml import ReturningInsert
from sqlmodel import Session

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
CONNECT_SECONDS = 10

# Hosting platforms hand out DATABASE_URL as postgres:// or postgresql://; SQLAlchemy would pick
# psycopg2 for those, which we do not install.
_POSTGRES_SCHEMES = ("postgres://", "postgresql://")


def normalise_url(url: str | URL) -> URL:
    """``url`` as a SQLAlchemy URL, with bare PostgreSQL schemes rewritten to psycopg 3."""
    if isinstance(url, str):
        for scheme in _POSTGRES_SCHEMES:
            if url.startswith(scheme):
                url = "postgresql+psycopg://" + url.removeprefix(scheme)
    return make_url(url)


def make_engine(url: str | URL, **kwargs: Any) -> Engine:
    """An engine for ``url``; extra keyword arguments go to :func:`sqlalchemy.create_engine`.

    SQLite gets foreign keys enforced, WAL journaling for files (readers do not block the
    writer) and may be used from several threads; an in-memory database is one shared
    connection, so every session sees the same data. Every SQLite transaction begins
    ``IMMEDIATE``: a handled message reads and then writes, and two deferred transactions
    doing that at once would make one fail with "database is locked" instead of waiting.

    A statement's parameters never appear in an error's text (``hide_parameters``): they hold
    people's names and answers, and errors are logged.
    """
    sa_url = normalise_url(url)
    kwargs.setdefault("hide_parameters", True)
    if sa_url.get_backend_name() != "sqlite":
        # A server that does not answer is reported after this long, not waited for forever.
        connect_args = {"connect_timeout": CONNECT_SECONDS, **kwargs.pop("connect_args", {})}
        return create_engine(sa_url, pool_pre_ping=True, connect_args=connect_args, **kwargs)
    in_memory = _sqlite_in_memory(sa_url)
    if in_memory:
        kwargs.setdefault("poolclass", StaticPool)
    connect_args = {"check_same_thread": False, **kwargs.pop("connect_args", {})}
    engine = create_engine(sa_url, connect_args=connect_args, **kwargs)
    event.listen(engine, "connect", _sqlite_pragmas(wal=not in_memory))
    event.listen(engine, "begin", _begin_immediate)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions of :mod:`sqlmodel` flavour whose objects stay readable after commit.

    ``expire_on_commit=False`` because the repository compares the rows it loaded with the
    aggregate; expiring them would cost one SELECT per row on the next save.
    """
    return sessionmaker(engine, class_=Session, expire_on_commit=False)


def alembic_config() -> Config:
    """An Alembic configuration for the packaged migrations; no alembic.ini needed."""
    config = Config()
    # ConfigParser interpolation would read a % in the path as a placeholder.
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    config.set_main_option("path_separator", "os")
    return config


def upgrade(target: Engine | str | URL, revision: str = "head") -> None:
    """Migrate the database of ``target`` (an engine or a URL) to ``revision``, in one transaction
    where the backend allows transactional DDL (PostgreSQL does)."""
    engine = target if isinstance(target, Engine) else make_engine(target)
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        if engine is not target:
            engine.dispose()


def schema_revisions(engine: Engine) -> tuple[str | None, str | None]:
    """The database's schema revision (``None``: no schema yet) and the newest there is;
    connects, and raises what the driver raises when the database cannot be reached."""
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return current, newest_revision()


def newest_revision() -> str | None:
    """The revision :func:`upgrade` brings a database to."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _sqlite_in_memory(url: URL) -> bool:
    database = url.database or ""
    return (
        database in ("", ":memory:")
        or database.startswith("file::memory:")
        or url.query.get("mode") == "memory"
    )


def _begin_immediate(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_pragmas(*, wal: bool) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The driver's own implicit BEGIN is off, so that _begin_immediate decides how it begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            if wal:
                cursor.execute("PRAGMA journal_mode=WAL")
        finally:
            cursor.close()

    return on_connect


def insert_unless_present(
    dialect: str, table: Any, row: dict[str, object] | None, keys: list[str]
) -> ReturningInsert[tuple[Any]]:
    """``INSERT … ON CONFLICT (keys) DO NOTHING RETURNING keys[0]``: a row back means inserted.
    Without ``row`` the statement takes its values when executed: a list of rows is then sent
    in a few statements of many rows each (SQLAlchemy's "insertmanyvalues"), compiled once.

    RETURNING rather than rowcount: SQLAlchemy 2.0 with psycopg 3 reports rowcount -1 for it.
    """
    returned = getattr(table, keys[0])
    if dialect == "postgresql":
        pg = postgresql.insert(table)
        pg = (pg if row is None else pg.values(row)).on_conflict_do_nothing(index_elements=keys)
        return pg.returning(returned)
    if dialect == "sqlite":
        lite = sqlite.insert(table)
        lite = (lite if row is None else lite.values(row)).on_conflict_do_nothing(
            index_elements=keys
        )
        return lite.returning(returned)
    raise NotImplementedError(f"storage supports PostgreSQL and SQLite, not {dialect}")


def compiled_once(statement: Any, dialect: str) -> TextualSelect:
    """``statement`` as SQL text with the same typed parameters and returned columns,
    compiled once for ``dialect``; every parameter must then be given when it is executed
    (column defaults are not filled in).

    SQLAlchemy does not cache the compiled form of its dialects' own INSERT (the one with ON
    CONFLICT), and compiling it costs more than running it; a text statement is cached.
    """
    named = {"postgresql": postgresql.dialect, "sqlite": sqlite.dialect}[dialect]
    compiled = statement.compile(dialect=named(paramstyle="named"))
    typed = [bindparam(name, type_=bind.type) for name, bind in compiled.binds.items()]
    return text(compiled.string).bindparams(*typed).columns(*statement.exported_columns)
