"""The figures ``/metrics`` reads from the database at a scrape: counts and ages over indexed
columns, grouped by platform (see :class:`engine.metrics.Figures`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, select
from sqlmodel import col

from engine.metrics import Figures
from storage.tables import CollaborationRow, InboxRow, MemberRow, OutboxRow


def figures_reader(engine: Engine, now: Callable[[], datetime]) -> Callable[[], Figures]:
    """A function that reads the current :class:`Figures` from ``engine``'s database; each
    call is one connection and six grouped queries."""

    def read() -> Figures:
        moment = now()
        with engine.connect() as connection:
            inbox = _by_platform(
                connection,
                col(InboxRow.platform),
                col(InboxRow.handled_at).is_(None),
                func.count(),
                func.min(InboxRow.received_at),
            )
            unsent = col(OutboxRow.sent_at).is_(None)
            outbox = _by_platform(connection, col(OutboxRow.platform), unsent, func.count())
            due = unsent & (col(OutboxRow.available_at) <= moment)
            oldest_due = _by_platform(
                connection, col(OutboxRow.platform), due, func.min(OutboxRow.available_at)
            )
            platform = col(CollaborationRow.platform)
            collaborations = _by_platform(connection, platform, None, func.count())
            members = connection.execute(
                select(platform, func.count())
                .select_from(MemberRow)
                .join(CollaborationRow, col(MemberRow.collaboration_id) == CollaborationRow.id)
                .group_by(platform)
            ).all()
        return Figures(
            inbox_depth={name: count for name, (count, _) in inbox.items()},
            oldest_event_seconds={name: _age(moment, at) for name, (_, at) in inbox.items()},
            outbox_depth={name: count for name, (count,) in outbox.items()},
            oldest_nudge_seconds={name: _age(moment, at) for name, (at,) in oldest_due.items()},
            collaborations={name: count for name, (count,) in collaborations.items()},
            members={str(name): int(count) for name, count in members},
        )

    return read


def _by_platform(
    connection: Connection, platform: Any, where: Any, *figures: Any
) -> dict[str, tuple[Any, ...]]:
    """``figures`` (aggregates) of the rows meeting ``where``, per value of ``platform``."""
    query = select(platform, *figures).group_by(platform)
    if where is not None:
        query = query.where(where)
    return {str(row[0]): tuple(row[1:]) for row in connection.execute(query).all()}


def _age(now: datetime, since: datetime | None) -> float:
    """Seconds from ``since`` to ``now``; a plain column read back from SQLite is UTC."""
    if since is None:
        return 0.0
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return max((now - since).total_seconds(), 0.0)
