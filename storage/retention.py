"""Retention on SQL: the collaborations untouched for long, found by the index on
``collaboration.active_at``, told once, and deleted whole.

Implements :class:`engine.ports.Dormancy`. Announcing locks the rows it reads (``FOR UPDATE
SKIP LOCKED`` on PostgreSQL; SQLite's one writer serialises anyway) and writes the notices
with the time they were given in one transaction. Deleting states its conditions in the
``DELETE`` itself, so that a collaboration used while it runs is kept; its child rows go by
their foreign keys (``ON DELETE CASCADE``), its outbox rows by its id.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, or_, update
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, col, select

from bot.domain import ChannelRef, Role
from bot.schedule import Nudge
from engine.ports import Dormant
from storage.outbox import insert_nudges
from storage.tables import CollaborationRow, MemberRow, OutboxRow

_IDS_PER_QUERY = 500
_COLLABORATION: Any = CollaborationRow.metadata.tables["collaboration"]
_OUTBOX: Any = OutboxRow.metadata.tables["outbox"]


class SqlDormancy:
    """Implements :class:`engine.ports.Dormancy`."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.sessions = session_factory

    def announce(
        self,
        idle_since: datetime,
        now: datetime,
        notice: Callable[[Dormant], Nudge],
        limit: int,
    ) -> int:
        table = _COLLABORATION
        active, told = _used(table), table.c.retention_notice_at
        unused = or_(  # by the index on active_at; a row never used since the start by that
            table.c.active_at < idle_since,
            and_(table.c.active_at.is_(None), table.c.created_at < idle_since),
        )
        query = (
            select(CollaborationRow)
            .where(unused)
            .where(or_(told.is_(None), told < active))
            .order_by(active, table.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        with self.sessions() as session:
            roots = list(session.exec(query).all())
            if not roots:
                return 0
            ids = [root.id for root in roots]
            coordinators = _coordinators(session, ids)
            nudges = [
                (
                    ChannelRef(root.platform, root.workspace, root.channel),
                    notice(_dormant(root, tuple(coordinators[root.id]))),
                )
                for root in roots
            ]
            insert_nudges(session, nudges, now)
            session.connection().execute(
                update(table).where(table.c.id.in_(ids)).values(retention_notice_at=now)
            )
            session.commit()
            return len(roots)

    def erase(self, told_before: datetime) -> int:
        table = _COLLABORATION
        told = table.c.retention_notice_at
        gone = (
            delete(table)
            .where(told.is_not(None), told <= told_before, _used(table) <= told)
            .returning(table.c.id)
        )
        with self.sessions() as session:
            ids = [row[0] for row in session.connection().execute(gone)]
            for start in range(0, len(ids), _IDS_PER_QUERY):
                chunk = ids[start : start + _IDS_PER_QUERY]
                session.connection().execute(
                    delete(_OUTBOX).where(_OUTBOX.c.collaboration_id.in_(chunk))
                )
            session.commit()
            return len(ids)


def _used(table: Any) -> Any:
    """When a collaboration was last used: a message handled there, else its start."""
    return func.coalesce(table.c.active_at, table.c.created_at)


def _coordinators(session: Session, ids: list[str]) -> defaultdict[str, list[str]]:
    query = (
        select(MemberRow.collaboration_id, MemberRow.user_id)
        .where(col(MemberRow.collaboration_id).in_(ids))
        .where(MemberRow.role == Role.COORDINATOR.value)
        .order_by(col(MemberRow.collaboration_id), col(MemberRow.user_id))
    )
    found: defaultdict[str, list[str]] = defaultdict(list)
    for collaboration_id, user_id in session.exec(query):
        found[collaboration_id].append(user_id)
    return found


def _dormant(root: CollaborationRow, coordinators: tuple[str, ...]) -> Dormant:
    return Dormant(
        root.id,
        ChannelRef(root.platform, root.workspace, root.channel),
        root.name,
        root.language,
        coordinators,
        root.active_at or root.created_at,
    )
