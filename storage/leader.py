"""Which process runs the nudge clock: the holder of a PostgreSQL advisory lock.

Implements :class:`engine.ports.Leader`. Every process delivers (claims are ``SKIP LOCKED``),
but only one enqueues, so that the clocks of several processes do not all compute the same
nudges every minute. The lock is session-level (``pg_try_advisory_lock``) on a connection of
its own, held from one tick to the next; when the holder dies its connection closes, the server
frees the lock, and the next process to tick takes it over. Session-level advisory locks need a
direct connection: a pooler in transaction mode (pgbouncer) would hand the lock's session to
others.

On SQLite (one process by design) every process is the leader.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

log = logging.getLogger(__name__)

# An arbitrary 64-bit key naming the lock; every process of one installation uses the same.
NUDGE_CLOCK_LOCK = 0x53414D5645524B  # "SAMVERK"


class SqlLeader:
    """``held()`` is true while this process holds the lock; it tries to take it when not."""

    def __init__(self, engine: Engine, key: int = NUDGE_CLOCK_LOCK) -> None:
        self.engine = engine
        self.key = key
        self._connection: Connection | None = None
        self._guard = threading.Lock()

    @property
    def needed(self) -> bool:
        """Whether there is a lock to hold: on SQLite there is one process, always leading."""
        return self.engine.dialect.name == "postgresql"

    def held(self) -> bool:
        """Whether this process is the leader now; takes the lock if it is free."""
        if not self.needed:
            return True
        with self._guard:
            if self._connection is not None and self._alive(self._connection):
                return True
            self._connection = self._try_take()
            return self._connection is not None

    def release(self) -> None:
        """Let another process lead: the lock is given back at once (closing the connection
        would free it too, but only once the server has noticed)."""
        with self._guard:
            if self._connection is not None:
                try:
                    unlock = text("SELECT pg_advisory_unlock(:key)")
                    self._connection.execute(unlock, {"key": self.key})
                except DBAPIError:
                    log.warning("could not give the leader lock back; closing", exc_info=True)
                self._close(self._connection)
                self._connection = None

    def _try_take(self) -> Connection | None:
        try:
            connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        except DBAPIError:
            log.warning("no connection for the leader lock; not ticking", exc_info=True)
            return None
        try:
            statement = text("SELECT pg_try_advisory_lock(:key)")
            taken = bool(connection.execute(statement, {"key": self.key}).scalar())
        except DBAPIError:
            log.warning("could not ask for the leader lock", exc_info=True)
            taken = False
        if not taken:
            connection.close()  # holds no lock: back to the pool
            return None
        log.info("this process now runs the nudge clock")
        return connection

    def _alive(self, connection: Connection) -> bool:
        try:
            connection.execute(text("SELECT 1"))
        except DBAPIError:
            log.warning("lost the leader lock's connection", exc_info=True)
            self._close(connection)
            self._connection = None
            return False
        return True

    @staticmethod
    def _close(connection: Connection) -> None:
        try:
            connection.invalidate()  # never back to the pool: it may still hold the lock
            connection.close()
        except DBAPIError:
            pass
