"""The inbox: platform events written on receipt, answered at once, handled by a worker.

A webhook stores what the platform sent (:func:`store`) and only then answers 200, so an
acknowledged event survives a crash; the primary key (platform, event id) makes a redelivery,
on whichever process it lands, a no-op. Workers :func:`claim` rows under a lease (``FOR UPDATE
SKIP LOCKED`` on PostgreSQL, so two processes never take the same row), then :func:`finish` or
:func:`release` them. A row whose worker died is claimed again when its lease runs out; the
core's own transaction records the event too, so its effect is never applied twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

import psycopg
from sqlalchemy import Engine, delete, func, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, col, select

from storage import leases
from storage.tables import InboxRow


@dataclass(frozen=True)
class InboxItem:
    """A claimed event, detached from the session."""

    platform: str
    event_id: str
    payload: str
    attempts: int


def store(
    session_factory: sessionmaker[Session],
    platform: str,
    event_id: str,
    payload: str,
    now: datetime,
) -> bool:
    """Keep the event; ``True`` when it is new, ``False`` for a redelivery. Commits on its own."""
    return (platform, event_id) in store_many(session_factory, [(platform, event_id, payload)], now)


def store_many(
    session_factory: sessionmaker[Session],
    events: list[tuple[str, str, str]],
    now: datetime,
) -> set[tuple[str, str]]:
    """Keep each ``(platform, event id, payload)`` in one transaction; returns the keys that
    were new (a redelivery, or a repeat within ``events``, is not).

    On the acknowledging path, so it is one statement on a plain connection, without an ORM
    session, and several requests arriving together share it (and its commit).
    """
    rows = [
        {
            "platform": platform,
            "event_id": event_id,
            "payload": payload,
            "received_at": now,
            "available_at": now,
            "attempts": 0,
        }
        for platform, event_id, payload in _first_of_each(events)
    ]
    engine: Engine = session_factory.kw["bind"]
    with engine.begin() as connection:
        inserted = connection.execute(_store_statement(engine.dialect.name).values(rows))
        return {(row.platform, row.event_id) for row in inserted}


def _first_of_each(events: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """``events`` without repeats of a (platform, event id): the first of each is kept."""
    first: dict[tuple[str, str], tuple[str, str, str]] = {}
    for event in events:
        first.setdefault(event[:2], event)
    return list(first.values())


class AsyncKeeper:
    """:func:`store_many` for PostgreSQL on the event loop, over one asyncio psycopg connection.

    The acknowledging path then takes no thread hop and builds no SQL: a batch is one
    ``INSERT … VALUES (…), (…) ON CONFLICT DO NOTHING RETURNING`` in autocommit, so one round
    trip keeps it (a single statement is its own transaction), prepared once per batch size.
    A broken connection fails its batch (the platform is answered 500 and sends it again) and
    is opened anew for the next one.
    """

    APPLICATION_NAME = "samverkan-inbox-keep"  # how it shows in pg_stat_activity

    def __init__(self, engine: Engine) -> None:
        url = engine.url.set(drivername="postgresql")
        self._conninfo = url.render_as_string(hide_password=False)
        self._connection: psycopg.AsyncConnection[Any] | None = None

    async def store_many(
        self, events: list[tuple[str, str, str]], now: datetime
    ) -> set[tuple[str, str]]:
        """As :func:`store_many`."""
        rows = _first_of_each(events)
        params = [value for row in rows for value in (*row, now, now)]
        connection = await self._connect()
        try:
            cursor = await connection.execute(_values_sql(len(rows)), params)
            return {(platform, event_id) for platform, event_id in await cursor.fetchall()}
        except psycopg.OperationalError:
            await self.close()
            raise

    async def close(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            await connection.close()

    async def _connect(self) -> psycopg.AsyncConnection[Any]:
        if self._connection is None or self._connection.closed:
            self._connection = await psycopg.AsyncConnection.connect(
                self._conninfo, autocommit=True, application_name=self.APPLICATION_NAME
            )
        return self._connection


@cache
def _values_sql(rows: int) -> str:
    values = ", ".join(["(%s, %s, %s, %s, %s, 0)"] * rows)
    return (
        "INSERT INTO inbox (platform, event_id, payload, received_at, available_at, attempts) "
        f"VALUES {values} ON CONFLICT (platform, event_id) DO NOTHING "
        "RETURNING platform, event_id"
    )


@cache
def _store_statement(dialect: str) -> Any:
    table = InboxRow.__table__  # type: ignore[attr-defined]
    keys = ["platform", "event_id"]
    if dialect == "postgresql":
        pg = postgresql.insert(table).on_conflict_do_nothing(index_elements=keys)
        return pg.returning(table.c.platform, table.c.event_id)
    if dialect == "sqlite":
        lite = sqlite.insert(table).on_conflict_do_nothing(index_elements=keys)
        return lite.returning(table.c.platform, table.c.event_id)
    raise NotImplementedError(f"the inbox supports PostgreSQL and SQLite, not {dialect}")


def claim(
    session_factory: sessionmaker[Session],
    worker_id: str,
    limit: int,
    now: datetime,
    lease: timedelta,
) -> list[InboxItem]:
    """Take up to ``limit`` unhandled, available events not under a live lease, oldest first.

    Commits on its own; each taken row counts one more attempt.
    """
    with session_factory() as session:
        order = (col(InboxRow.received_at), col(InboxRow.event_id))
        rows = leases.take(
            session, InboxRow, InboxRow.handled_at, order, worker_id, limit, now, lease
        )
        items = [InboxItem(r.platform, r.event_id, r.payload, r.attempts) for r in rows]
        session.commit()
    return items


def finish(
    session_factory: sessionmaker[Session],
    item: InboxItem,
    now: datetime,
    outcome: str = "handled",
) -> None:
    """Mark the event done (``outcome`` "handled" or "failed"); its payload is let go, its key
    kept until :func:`prune`, so a late redelivery is still recognised."""
    _update(session_factory, item, handled_at=now, outcome=outcome, payload="")


def release(
    session_factory: sessionmaker[Session], item: InboxItem, now: datetime, backoff: timedelta
) -> None:
    """Give a failed event back, to be claimed again no sooner than ``now + backoff``."""
    _update(session_factory, item, claimed_at=None, claimed_by=None, available_at=now + backoff)


def arrived_since(session_factory: sessionmaker[Session], since: datetime, at_most: int) -> int:
    """How many events were received after ``since``, counted up to ``at_most``: enough to
    tell a burst, without counting every row of a large one."""
    with session_factory() as session:
        recent = (
            select(InboxRow.event_id)
            .where(col(InboxRow.received_at) > since)
            .limit(at_most)
            .subquery()
        )
        return session.exec(select(func.count()).select_from(recent)).one()


def pending(session_factory: sessionmaker[Session]) -> int:
    """How many events wait to be handled (claimed or not)."""
    with session_factory() as session:
        query = select(func.count()).select_from(InboxRow).where(col(InboxRow.handled_at).is_(None))
        return session.exec(query).one()


def prune(session_factory: sessionmaker[Session], before: datetime) -> int:
    """Forget events handled before ``before``; returns how many were removed.

    Platforms stop redelivering after minutes (Slack) to a day (Telegram); keep well more.
    """
    with session_factory() as session:
        statement = delete(InboxRow).where(col(InboxRow.handled_at) < before)
        removed = session.exec(statement).rowcount
        session.commit()
    return removed


def _update(session_factory: sessionmaker[Session], item: InboxItem, **values: object) -> None:
    with session_factory() as session:
        session.execute(
            update(InboxRow)
            .where(col(InboxRow.platform) == item.platform)
            .where(col(InboxRow.event_id) == item.event_id)
            .values(**values)
        )
        session.commit()
