"""The inbox on SQL: platform events written on receipt, answered at once, handled by a worker.

Implements :class:`engine.ports.Inbox`. A platform's route keeps what it was sent
(:meth:`SqlInbox.keep`) and only then acknowledges, so an acknowledged event survives a crash;
the primary key (platform, event id) makes a redelivery, on whichever process it lands, a
no-op. Workers :meth:`~SqlInbox.claim` rows under a lease (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, so two processes never take the same row), then :meth:`~SqlInbox.finish` or
:meth:`~SqlInbox.release` them. A row whose worker died is claimed again when its lease runs
out; the core's own transaction records the event too (:mod:`storage.dedup`), so its effect is
never applied twice.

On PostgreSQL keeping also sends ``NOTIFY samverkan_inbox``, and a worker's
:meth:`~SqlInbox.arrivals` listens for it, so an idle worker need not poll often.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from functools import cache
from typing import Any

import psycopg
from sqlalchemy import Connection, Engine, delete, func, text, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select

from engine.ports import InboxItem, KeptEvent
from storage import leases
from storage.database import make_session_factory
from storage.dedup import prune_events
from storage.tables import InboxRow, ProcessedEventRow

ARRIVALS = "samverkan_inbox"  # the channel of PostgreSQL's NOTIFY when events were kept
_LISTEN_RETRY_SECONDS = 5.0
log = logging.getLogger(__name__)


class SqlInbox:
    """The inbox in ``engine``'s database.

    Keeping is on the acknowledging path, never on the event loop's default threads (they are
    busy with the core's database work): on PostgreSQL it is the event loop's own asyncio
    connection (:class:`AsyncKeeper`); SQLite has no async driver here, so there a thread of
    its own does it. The other methods block, for a worker thread.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions = make_session_factory(engine)
        self._postgres = engine.dialect.name == "postgresql"
        self._keeper = AsyncKeeper(engine) if self._postgres else None
        self._receiving: ThreadPoolExecutor | None = None

    async def keep(self, events: Sequence[KeptEvent], now: datetime) -> set[tuple[str, str]]:
        """Keep each event in one go; returns the (platform, event id) keys that were new (a
        redelivery, or a repeat within ``events``, is not)."""
        if self._keeper is not None:
            return await self._keeper.keep(events, now)
        if self._receiving is None:
            self._receiving = ThreadPoolExecutor(max_workers=1, thread_name_prefix="inbox-keep")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._receiving, self.keep_now, events, now)

    def keep_now(self, events: Sequence[KeptEvent], now: datetime) -> set[tuple[str, str]]:
        """As :meth:`keep`, blocking: one statement on a plain connection, without an ORM
        session, committed on its own."""
        rows = [
            {
                "platform": event.platform,
                "event_id": event.event_id,
                "payload": event.payload,
                "received_at": now,
                "available_at": now,
                "attempts": 0,
            }
            for event in _first_of_each(events)
        ]
        with self.engine.begin() as connection:
            inserted = connection.execute(_keep_statement(self.engine.dialect.name).values(rows))
            new = {(row.platform, row.event_id) for row in inserted}
            if new and self._postgres:
                connection.execute(text(f"NOTIFY {ARRIVALS}"))  # sent on commit
            return new

    def claim(
        self,
        worker_id: str,
        limit: int,
        now: datetime,
        lease: timedelta,
        *,
        handled: Sequence[InboxItem] = (),
    ) -> list[InboxItem]:
        """Finish ``handled`` (those ``worker_id`` still holds) with one statement, then take
        up to ``limit`` unhandled, available events not under a live lease, oldest first; one
        transaction, committed on its own. Each taken row counts one more attempt."""
        with self.sessions() as session:
            if handled:
                _finish(session.connection(), handled, worker_id, now, "handled")
            rows = []
            if limit > 0:
                order = (col(InboxRow.received_at), col(InboxRow.event_id))
                rows = leases.take(
                    session, InboxRow, InboxRow.handled_at, order, worker_id, limit, now, lease
                )
            items = [
                InboxItem(r.platform, r.event_id, r.payload, r.attempts, r.received_at)
                for r in rows
            ]
            session.commit()
        return items

    def finish(
        self,
        item: InboxItem,
        now: datetime,
        outcome: str = "handled",
        *,
        worker_id: str | None = None,
    ) -> None:
        """Mark the event done (``outcome`` "handled" or "failed"); its payload is let go, its
        key kept until :meth:`prune`, so a late redelivery is still recognised. ``worker_id``
        as for :meth:`release`."""
        with self.sessions() as session:
            _finish(session.connection(), [item], worker_id, now, outcome)
            session.commit()

    def release(
        self, item: InboxItem, now: datetime, backoff: timedelta, *, worker_id: str | None = None
    ) -> None:
        """Give a failed event back, to be claimed again no sooner than ``now + backoff``; with
        ``worker_id`` only while that worker still holds the claim."""
        values = {"claimed_at": None, "claimed_by": None, "available_at": now + backoff}
        self._update(item, worker_id, **values)

    def arrived_since(self, since: datetime, at_most: int) -> int:
        """How many events were received after ``since``, counted up to ``at_most``: enough
        to tell a burst, without counting every row of a large one."""
        with self.sessions() as session:
            recent = (
                select(InboxRow.event_id)
                .where(col(InboxRow.received_at) > since)
                .limit(at_most)
                .subquery()
            )
            return session.exec(select(func.count()).select_from(recent)).one()

    def pending(self) -> int:
        """How many events wait to be handled (claimed or not)."""
        with self.sessions() as session:
            unhandled = col(InboxRow.handled_at).is_(None)
            return session.exec(select(func.count()).select_from(InboxRow).where(unhandled)).one()

    def prune(self, before: datetime) -> int:
        """Forget events handled, and the core's event claims made, before ``before``; returns
        how many were removed.

        Platforms stop redelivering after minutes (Slack) to a day (Telegram); keep well more.
        """
        with self.sessions() as session:
            statement = delete(InboxRow).where(col(InboxRow.handled_at) < before)
            removed: int = session.exec(statement).rowcount
            session.commit()
        return removed + prune_events(self.sessions, before)

    async def arrivals(self, wake: Callable[[], None]) -> None:
        """Call ``wake`` whenever any process kept new events, until cancelled (PostgreSQL's
        LISTEN on a connection of its own, opened again after a failure); returns at once on
        SQLite, where the worker polls."""
        if self._keeper is None:
            return
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    self._keeper.conninfo, autocommit=True, application_name="samverkan-listen"
                ) as connection:
                    await connection.execute(f"LISTEN {ARRIVALS}")
                    wake()  # whatever was kept while no one listened
                    async for _ in connection.notifies():
                        wake()
            except psycopg.OperationalError:
                log.warning("listening for kept events failed; again in a moment", exc_info=True)
                await asyncio.sleep(_LISTEN_RETRY_SECONDS)

    async def close(self) -> None:
        """Let go of the connection and the thread kept for keeping; a later :meth:`keep`
        opens them again."""
        if self._receiving is not None:
            receiving, self._receiving = self._receiving, None
            receiving.shutdown(wait=False)
        if self._keeper is not None:
            await self._keeper.close()

    def _update(self, item: InboxItem, worker_id: str | None, **values: object) -> None:
        with self.sessions() as session:
            session.execute(_of(item, worker_id).values(**values))
            session.commit()


def _of(item: InboxItem, worker_id: str | None) -> Any:
    """An update of ``item``'s row (only while ``worker_id`` holds it, when given)."""
    statement = (
        update(InboxRow)
        .where(col(InboxRow.platform) == item.platform)
        .where(col(InboxRow.event_id) == item.event_id)
    )
    if worker_id is not None:
        statement = statement.where(col(InboxRow.claimed_by) == worker_id)
    return statement


def _first_of_each(events: Sequence[KeptEvent]) -> list[KeptEvent]:
    """``events`` without repeats of a (platform, event id): the first of each is kept."""
    first: dict[tuple[str, str], KeptEvent] = {}
    for event in events:
        first.setdefault((event.platform, event.event_id), event)
    return list(first.values())


class AsyncKeeper:
    """:meth:`SqlInbox.keep` for PostgreSQL on the event loop, over one asyncio psycopg
    connection.

    The acknowledging path then takes no thread hop and builds no SQL: a batch is one
    ``INSERT … VALUES (…), (…) ON CONFLICT DO NOTHING RETURNING`` in autocommit, so one round
    trip keeps it (a single statement is its own transaction), prepared once per batch size.
    A broken connection fails its batch (the platform is answered 500 and sends it again) and
    is opened anew for the next one.
    """

    APPLICATION_NAME = "samverkan-inbox-keep"  # how it shows in pg_stat_activity

    def __init__(self, engine: Engine) -> None:
        url = engine.url.set(drivername="postgresql")
        self.conninfo = url.render_as_string(hide_password=False)
        self._connection: psycopg.AsyncConnection[Any] | None = None

    async def keep(self, events: Sequence[KeptEvent], now: datetime) -> set[tuple[str, str]]:
        """As :meth:`SqlInbox.keep`."""
        rows = _first_of_each(events)
        params = [
            value for row in rows for value in (row.platform, row.event_id, row.payload, now, now)
        ]
        connection = await self._connect()
        try:
            cursor = await connection.execute(_values_sql(len(rows)), params)
            new = {(platform, event_id) for platform, event_id in await cursor.fetchall()}
            if new:
                await connection.execute(f"NOTIFY {ARRIVALS}")
            return new
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
                self.conninfo, autocommit=True, application_name=self.APPLICATION_NAME
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
def _keep_statement(dialect: str) -> Any:
    table = InboxRow.__table__  # type: ignore[attr-defined]
    keys = ["platform", "event_id"]
    if dialect == "postgresql":
        pg = postgresql.insert(table).on_conflict_do_nothing(index_elements=keys)
        return pg.returning(table.c.platform, table.c.event_id)
    if dialect == "sqlite":
        lite = sqlite.insert(table).on_conflict_do_nothing(index_elements=keys)
        return lite.returning(table.c.platform, table.c.event_id)
    raise NotImplementedError(f"the inbox supports PostgreSQL and SQLite, not {dialect}")


def _finish(
    connection: Connection,
    items: Sequence[InboxItem],
    worker_id: str | None,
    now: datetime,
    outcome: str,
) -> None:
    """Mark ``items`` done (those ``worker_id`` still holds, when given), as plain statements.
    The events handled let go of the replies the core kept for them: nothing will send them
    again (:class:`engine.platform.Progress` leaves this to the inbox when what is left to
    record could go out twice harmlessly)."""
    event = tuple_(col(InboxRow.platform), col(InboxRow.event_id))
    done = update(InboxRow).where(event.in_([(i.platform, i.event_id) for i in items]))
    if worker_id is not None:
        done = done.where(col(InboxRow.claimed_by) == worker_id)
    done = done.values(handled_at=now, outcome=outcome, payload="")
    finished = connection.execute(done.returning(col(InboxRow.platform), col(InboxRow.event_id)))
    keys = [tuple(key) for key in finished]
    if keys and outcome == "handled":
        claim = tuple_(col(ProcessedEventRow.platform), col(ProcessedEventRow.event_id))
        kept = col(ProcessedEventRow.replies).is_not(None)
        let_go = update(ProcessedEventRow).where(claim.in_(keys)).where(kept)
        connection.execute(let_go.values(replies=None))
