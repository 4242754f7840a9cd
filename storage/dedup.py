"""Claims on inbound platform events, so a retried or twice-delivered event is handled once.

Slack retries an event it thinks was not acknowledged and Telegram may re-deliver an update;
with several processes behind one URL the check must hold across processes, so it rests on the
``processed_event`` primary key rather than on memory.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import sessionmaker
from sqlalchemy.sql.dml import ReturningInsert
from sqlmodel import Session, col

from storage.tables import ProcessedEventRow


def claim_event(
    session_factory: sessionmaker[Session], platform: str, event_id: str, now: datetime
) -> bool:
    """Record ``event_id`` of ``platform`` as taken; ``True`` for the first claim, else ``False``.

    Commits on its own. Of concurrent claims of one event exactly one gets ``True``: the insert
    is ``ON CONFLICT DO NOTHING``, so a loser waits for the winner's row (PostgreSQL) or the
    write lock (SQLite) and then inserts nothing, instead of failing.
    """
    row = {"platform": platform, "event_id": event_id, "received_at": now}
    with session_factory() as session:
        statement = _insert_unless_present(session.get_bind().dialect.name, row)
        inserted = session.exec(statement).first() is not None
        session.commit()
    return inserted


def _insert_unless_present(dialect: str, row: dict[str, object]) -> ReturningInsert[tuple[str]]:
    """``INSERT … ON CONFLICT DO NOTHING RETURNING event_id``: a row back means we inserted.

    RETURNING rather than rowcount: SQLAlchemy 2.0 with psycopg 3 reports rowcount -1 for it.
    """
    keys = ["platform", "event_id"]
    if dialect == "postgresql":
        pg = (
            postgresql.insert(ProcessedEventRow)
            .values(row)
            .on_conflict_do_nothing(index_elements=keys)
        )
        return pg.returning(col(ProcessedEventRow.event_id))
    if dialect == "sqlite":
        lite = (
            sqlite.insert(ProcessedEventRow).values(row).on_conflict_do_nothing(index_elements=keys)
        )
        return lite.returning(col(ProcessedEventRow.event_id))
    raise NotImplementedError(f"claim_event supports PostgreSQL and SQLite, not {dialect}")


def release_event(session_factory: sessionmaker[Session], platform: str, event_id: str) -> None:
    """Give up the claim on ``event_id``, so that a redelivery of an event whose handling
    failed is handled then instead of being taken for a duplicate."""
    with session_factory() as session:
        session.exec(
            delete(ProcessedEventRow).where(
                col(ProcessedEventRow.platform) == platform,
                col(ProcessedEventRow.event_id) == event_id,
            )
        )
        session.commit()


def prune_events(session_factory: sessionmaker[Session], before: datetime) -> int:
    """Forget claims received before ``before``; returns how many were removed.

    Platforms stop redelivering after minutes to hours, so old claims only take space. Keep well
    more than the longest redelivery window.
    """
    with session_factory() as session:
        statement = delete(ProcessedEventRow).where(col(ProcessedEventRow.received_at) < before)
        removed = session.exec(statement).rowcount
        session.commit()
    return removed
