"""Rows taken under a lease: the inbox's events and the outbox's nudges are claimed alike.

A claim is a lease, not a lock held open: the row records who took it and when, and a row
claimed longer than ``lease`` ago and never finished is free to take again (its worker died).
On PostgreSQL ``FOR UPDATE SKIP LOCKED`` keeps two concurrent claims off the same row; on
SQLite the write transaction alone serialises them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import or_, true
from sqlmodel import Session, SQLModel, col, select

Row = TypeVar("Row", bound=SQLModel)


def take(
    session: Session,
    table: type[Row],
    finished: Any,
    order: Sequence[Any],
    worker_id: str,
    limit: int,
    now: datetime,
    lease: timedelta,
    only: Any = None,
) -> list[Row]:
    """Up to ``limit`` rows of ``table`` not ``finished`` (a nullable column), available at
    ``now`` and under no live lease, in ``order``, and meeting the condition ``only`` when
    given; each is marked taken by ``worker_id`` and counts one more attempt. The caller
    commits."""
    claimed_at: Any = table.claimed_at  # type: ignore[attr-defined]
    available_at: Any = table.available_at  # type: ignore[attr-defined]
    query = (
        select(table)
        .where(col(finished).is_(None))
        .where(col(available_at) <= now)
        .where(or_(col(claimed_at).is_(None), col(claimed_at) < now - lease))
        .where(true() if only is None else only)
        .order_by(*order)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = list(session.exec(query).all())
    for row in rows:
        row.claimed_at, row.claimed_by = now, worker_id
        row.attempts += 1  # type: ignore[attr-defined]
        session.add(row)
    return rows
