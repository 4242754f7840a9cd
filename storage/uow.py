"""The unit of work on SQL: one session, one transaction per ``with`` block."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from bot.ports import CollaborationRepository
from storage.repository import SqlCollaborationRepository


class SqlUnitOfWork:
    """Implements :class:`bot.ports.UnitOfWork`; reusable, each ``with`` opens a fresh session.

    Nothing is durable until :meth:`commit`. Leaving the block, normally or by an exception,
    rolls back whatever was not committed and closes the session; the exception propagates.
    ``collaborations`` exists only inside the block.
    """

    collaborations: CollaborationRepository

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory
        self._session: Session | None = None

    def __enter__(self) -> SqlUnitOfWork:
        if self._session is not None:
            raise RuntimeError("this unit of work is already in use; it does not nest")
        self._session = self._session_factory()
        self._repository = SqlCollaborationRepository(self._session)
        self.collaborations = self._repository
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
        finally:
            session.close()
            self._session = None
            del self.collaborations, self._repository

    def commit(self) -> None:
        """Make every saved change durable; raises the database's error if a constraint fails."""
        self._active().commit()
        self._repository.forget()

    def rollback(self) -> None:
        """Discard every change since the last commit, including aggregates handed out."""
        self._active().rollback()
        self._repository.forget()

    def _active(self) -> Session:
        if self._session is None:
            raise RuntimeError("use the unit of work inside a `with` block")
        return self._session
