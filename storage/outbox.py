"""The outbox of nudges on SQL: the clock enqueues, delivery claims, sends and marks.

Implements :class:`engine.ports.Outbox`. Each nudge is written once
(``UNIQUE(collaboration_id, kind, due_slot)`` with ``ON CONFLICT DO NOTHING``), so clocks in
several processes may enqueue the same window. Claims use ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, so concurrent workers never take the same row; on SQLite (one process) the write
transaction alone serialises them. A claim is a lease: a row claimed longer than ``lease`` ago
and never marked sent is claimed again.

Rows sent long ago are removed by :meth:`SqlOutbox.prune_sent`; keep them longer than the clock
looks back after a restart, or a nudge whose row is gone would be written, and sent, again.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection, Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, col, select

from bot.domain import ChannelRef
from bot.ports import StorageUnavailableError
from bot.schedule import Nudge
from engine.ports import OutboxItem
from storage import leases
from storage.database import insert_unless_present
from storage.tables import OutboxRow
from storage.uow import passing

_KEY = ["collaboration_id", "kind", "due_slot"]


class SqlOutbox:
    """The outbox in the database of ``session_factory``; every method commits on its own."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.sessions = session_factory

    def enqueue(self, nudges: Iterable[tuple[ChannelRef, Nudge]], now: datetime) -> int:
        """Write each nudge (to be said in its channel) unless its key is already there.
        Returns how many rows were inserted."""
        with self.sessions() as session:
            inserted = insert_nudges(session, nudges, now)
            session.commit()
        return inserted

    def claim(
        self,
        worker_id: str,
        limit: int,
        now: datetime,
        lease: timedelta,
        platforms: Collection[str] | None = None,
    ) -> list[OutboxItem]:
        """Take up to ``limit`` unsent rows that are available and not under a live lease,
        oldest due slot first, of ``platforms`` only when given; the rows count one more
        attempt each."""
        only = None if platforms is None else col(OutboxRow.platform).in_(sorted(platforms))
        with self.sessions() as session:
            order = (col(OutboxRow.due_slot), col(OutboxRow.id))
            rows = leases.take(
                session, OutboxRow, OutboxRow.sent_at, order, worker_id, limit, now, lease, only
            )
            items = [_item(row) for row in rows]
            session.commit()
        return items

    def mark_sent(self, item_id: str, now: datetime) -> None:
        """Record that the row was delivered; it is never claimed again. A failure that may
        pass (:func:`storage.uow.passing`) is raised as
        :class:`~bot.ports.StorageUnavailableError`, for the caller to try again."""
        try:
            self._update(item_id, sent_at=now, outcome="sent")
        except Exception as error:
            if passing(error):
                raise StorageUnavailableError(type(error).__name__) from error
            raise

    def give_up(self, item_id: str, now: datetime, *, worker_id: str | None = None) -> None:
        """Record that the row cannot be delivered (its channel is gone for the bot); it is
        never claimed again, and pruned like a sent one. ``worker_id`` as for
        :meth:`release`."""
        self._update(item_id, worker_id, sent_at=now, outcome="undeliverable")

    def release(
        self, item_id: str, now: datetime, backoff: timedelta, *, worker_id: str | None = None
    ) -> None:
        """Give a failed row back, to be claimed again no sooner than ``now + backoff``.

        With ``worker_id`` only while that worker still holds the claim: a row whose lease ran
        out and that another worker took meanwhile is left to that worker.
        """
        self._update(
            item_id, worker_id, claimed_at=None, claimed_by=None, available_at=now + backoff
        )

    def postpone(self, item_id: str, until: datetime, *, worker_id: str | None = None) -> None:
        """Give a claimed row back unsent and untried, to be claimed again from ``until``:
        pacing held it back, so the claim does not count as an attempt. ``worker_id`` as for
        :meth:`release`."""
        self._update(
            item_id,
            worker_id,
            claimed_at=None,
            claimed_by=None,
            available_at=until,
            attempts=OutboxRow.attempts - 1,
        )

    def recorded_keys(self, since: datetime) -> set[tuple[str, str, str]]:
        """The keys (collaboration, kind, due slot) of every row due after ``since``, sent or
        not."""
        with self.sessions() as session:
            query = select(OutboxRow.collaboration_id, OutboxRow.kind, OutboxRow.due_slot).where(
                col(OutboxRow.due_slot) > since.astimezone(UTC).isoformat()
            )
            return {(row[0], row[1], row[2]) for row in session.exec(query).all()}

    def prune_sent(self, before: datetime) -> int:
        """Remove rows sent (or given up) before ``before``; returns how many. Unsent rows
        are always kept."""
        with self.sessions() as session:
            statement = delete(OutboxRow).where(col(OutboxRow.sent_at) < before)
            removed: int = session.exec(statement).rowcount
            session.commit()
        return removed

    def _update(self, item_id: str, worker_id: str | None = None, **values: object) -> None:
        statement = update(OutboxRow).where(col(OutboxRow.id) == item_id)
        if worker_id is not None:
            statement = statement.where(col(OutboxRow.claimed_by) == worker_id)
        with self.sessions() as session:
            session.execute(statement.values(**values))
            session.commit()


def insert_nudges(
    session: Session, nudges: Iterable[tuple[ChannelRef, Nudge]], now: datetime
) -> int:
    """Write each nudge unless its key is there, many rows a statement, in the session's
    transaction (the caller commits); returns how many rows were new."""
    rows: dict[tuple[str, str, str], dict[str, object]] = {}
    for channel, nudge in nudges:
        rows.setdefault(nudge.key, _values(channel, nudge, now))  # a key once per statement
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    statement = insert_unless_present(dialect, OutboxRow, None, _KEY)
    return len(session.connection().execute(statement, list(rows.values())).all())


def _values(channel: ChannelRef, nudge: Nudge, now: datetime) -> dict[str, object]:
    return {
        "id": uuid.uuid4().hex,
        "collaboration_id": nudge.collaboration_id,
        "kind": nudge.kind.value,
        "due_slot": nudge.due_slot,
        "platform": channel.platform,
        "workspace": channel.workspace,
        "channel": channel.channel,
        "payload": json.dumps(dict(nudge.params), ensure_ascii=False, sort_keys=True),
        "created_at": now,
        "available_at": now,
        "attempts": 0,
    }


def _item(row: OutboxRow) -> OutboxItem:
    channel = ChannelRef(row.platform, row.workspace, row.channel)
    params = json.loads(row.payload)
    return OutboxItem(
        row.id, row.collaboration_id, row.kind, row.due_slot, channel, params, row.attempts
    )
