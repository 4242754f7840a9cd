"""The collaborations due for the nudge clock, on SQL: found by the index on ``next_nudge_at``.

Implements :class:`engine.ports.Collaborations`. A batch is one transaction: its rows are
locked (``FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite's one writer serialises anyway), read
with one query per child table for the whole batch, and committed with the nudges and each
row's new bookmark. A message handled meanwhile in one of the batch's collaborations waits for
the commit, so the bookmark it plans from is the clock's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, or_, update
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, col, select

from bot.domain import ChannelRef, Collaboration
from bot.schedule import Nudge
from storage.outbox import insert_nudges
from storage.repository import load_many
from storage.tables import CollaborationRow, OutboxRow

_IDS_PER_QUERY = 500
_TABLE: Any = CollaborationRow.metadata.tables["collaboration"]
_SET_BOOKMARK = (
    update(_TABLE)
    .where(_TABLE.c.id == bindparam("row_id"))
    .values(nudged_until=bindparam("until"), next_nudge_at=bindparam("next"))
)


class SqlDueCollaborations:
    """Implements :class:`engine.ports.DueCollaborations` in an open session."""

    def __init__(self, session: Session, collaborations: Sequence[Collaboration]) -> None:
        self._session = session
        self.collaborations = collaborations

    def recorded_keys(self, since: datetime) -> set[tuple[str, str, str]]:
        """The keys of these collaborations' outbox rows due after ``since``."""
        after = since.astimezone(UTC).isoformat()
        ids = [c.id for c in self.collaborations]
        keys: set[tuple[str, str, str]] = set()
        for start in range(0, len(ids), _IDS_PER_QUERY):
            query = (
                select(OutboxRow.collaboration_id, OutboxRow.kind, OutboxRow.due_slot)
                .where(col(OutboxRow.collaboration_id).in_(ids[start : start + _IDS_PER_QUERY]))
                .where(col(OutboxRow.due_slot) > after)
            )
            keys.update((row[0], row[1], row[2]) for row in self._session.exec(query))
        return keys

    def commit(self, nudges: Iterable[tuple[ChannelRef, Nudge]], now: datetime) -> int:
        """Write the nudges and every collaboration's bookmark, and commit."""
        inserted = insert_nudges(self._session, nudges, now)
        bookmarks = [
            {"row_id": c.id, "until": c.nudged_until, "next": c.next_nudge_at}
            for c in self.collaborations
        ]
        if bookmarks:  # one statement, executed for each row
            self._session.connection().execute(_SET_BOOKMARK, bookmarks)
        self._session.commit()
        return inserted


class SqlCollaborations:
    """Implements :class:`engine.ports.Collaborations`: what the nudge clock reads."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.sessions = session_factory

    @contextmanager
    def due(self, now: datetime, limit: int) -> Iterator[SqlDueCollaborations]:
        """Up to ``limit`` collaborations due by ``now`` (or never planned), the longest
        waiting first, locked until the block ends; leaving it without a commit writes
        nothing."""
        next_at = col(CollaborationRow.next_nudge_at)
        query = (
            select(CollaborationRow)
            .where(or_(next_at.is_(None), next_at <= now))
            .order_by(next_at.asc().nulls_first(), col(CollaborationRow.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        with self.sessions() as session:
            roots = list(session.exec(query).all())
            yield SqlDueCollaborations(session, load_many(session, roots))
            session.rollback()
