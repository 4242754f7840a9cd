"""The unit of work on SQL: one session, one transaction per ``with`` block."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from types import TracebackType
from typing import Any

from sqlalchemy import exc as db
from sqlalchemy import update
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, col

from bot.ports import (
    CollaborationRepository,
    InvitationRepository,
    PersonalData,
    StorageUnavailableError,
)
from bot.replies import Answer, Reply
from storage.database import compiled_once, insert_unless_present
from storage.invitations import SqlInvitationRepository
from storage.people import SqlPersonalData
from storage.replies import decode_replies, encode_replies
from storage.repository import SqlCollaborationRepository
from storage.tables import ProcessedEventRow


class SqlUnitOfWork:
    """Implements :class:`bot.ports.UnitOfWork`; reusable, each ``with`` opens a fresh session.

    Nothing is durable until :meth:`commit`. Leaving the block, normally or by an exception,
    rolls back whatever was not committed and closes the session; the exception propagates,
    as :class:`~bot.ports.StorageUnavailableError` when it is one that may pass
    (:func:`passing`).
    ``collaborations``, ``invitations`` and ``people`` exist only inside the block.
    """

    collaborations: CollaborationRepository
    invitations: InvitationRepository
    people: PersonalData

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory
        self._session: Session | None = None

    def __enter__(self) -> SqlUnitOfWork:
        if self._session is not None:
            raise RuntimeError("this unit of work is already in use; it does not nest")
        self._session = self._session_factory()
        self._repository = SqlCollaborationRepository(self._session)
        self.collaborations = self._repository
        self.invitations = SqlInvitationRepository(self._session)
        self.people = SqlPersonalData(self._session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self._active()
        try:
            self.rollback()
        except db.DBAPIError:
            if exc is None or not passing(exc):
                raise
            # The connection is gone with the transaction: there is nothing to roll back.
        finally:
            session.close()
            self._session = None
            del self.collaborations, self._repository, self.invitations, self.people
        if exc is not None and passing(exc):
            raise StorageUnavailableError(type(exc).__name__) from exc

    def commit(self) -> None:
        """Make every saved change durable; raises the database's error if a constraint fails."""
        self._active().commit()
        self._repository.forget()

    def rollback(self) -> None:
        """Discard every change since the last commit, including aggregates handed out."""
        self._active().rollback()
        self._repository.forget()

    def claim_event(
        self, platform: str, event_id: str, replies: list[Reply] | None = None
    ) -> list[Reply] | None:
        """Claim the event in this transaction, with its ``replies``. On PostgreSQL a
        concurrent claim of the same event waits for this one's outcome; on SQLite the write
        lock serialises them."""
        session = self._active()
        row = {
            "platform": platform,
            "event_id": event_id,
            "received_at": datetime.now(UTC),
            "replies": encode_replies(replies) if replies else None,
            "replies_sent": 0,
        }
        statement = _claim_statement(session.get_bind().dialect.name)
        # On the session's connection, not through the ORM: the claim goes first, so a lost
        # one waits for the other's outcome before anything of this try is flushed.
        if session.connection().execute(statement, row).first() is not None:
            return None
        earlier = self.handled_before(platform, event_id)
        return earlier.replies if earlier is not None else []

    def handled_before(self, platform: str, event_id: str) -> Answer | None:
        row = self._active().get(ProcessedEventRow, (platform, event_id), populate_existing=True)
        if row is None:
            return None
        if not row.replies:
            return Answer([])
        return Answer(decode_replies(row.replies), row.replies_sent)

    def record_sent(self, platform: str, event_id: str, sent: int | None) -> None:
        values = {"replies": None} if sent is None else {"replies_sent": sent}
        self._active().execute(
            update(ProcessedEventRow)
            .where(col(ProcessedEventRow.platform) == platform)
            .where(col(ProcessedEventRow.event_id) == event_id)
            .values(**values)
        )

    def _active(self) -> Session:
        if self._session is None:
            raise RuntimeError("use the unit of work inside a `with` block")
        return self._session


# Statements of every message, built once (see storage.repository).
@cache
def _claim_statement(dialect: str) -> Any:
    claim = insert_unless_present(dialect, ProcessedEventRow, None, ["platform", "event_id"])
    return compiled_once(claim, dialect)


def passing(error: BaseException) -> bool:
    """Whether the database's ``error`` may pass: a connection lost or refused, a deadlock or
    a serialization failure, a lock or pool timeout (SQLite's "database is locked" included).
    Constraint violations and errors in a statement do not (SQLite calls a missing table an
    operational error too: only its lock and busy errors pass)."""
    if isinstance(error, db.DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, db.OperationalError) and type(error.orig).__module__ == "sqlite3":
        return any(word in str(error.orig) for word in ("locked", "busy"))
    return isinstance(error, (db.OperationalError, db.InterfaceError, db.TimeoutError))
