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
    rows, keys = [], set()
    for platform, event_id, payload in events:
        if (platform, event_id) not in keys:
            keys.add((platform, event_id))
            rows.append(
                {
                    "platform": platform,
                    "event_id": event_id,
                    "payload": payload,
                    "received_at": now,
                    "available_at": now,
                    "attempts": 0,
                }
            )
    engine: Engine = session_factory.kw["bind"]
    with engine.begin() as connection:
        inserted = connection.execute(_store_statement(engine.dialect.name).values(rows))
        return {(row.platform, row.event_id) for row in inserted}


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
