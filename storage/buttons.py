"""The shared button tokens (:class:`engine.ports.ButtonStore`) on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, col

from storage.tables import ButtonRow


class SqlButtonStore:
    """Tokens in the ``button`` table; the first command kept under a token stays, and
    ``remembered_at`` is the latest time a message carried it."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._sessions = session_factory

    def remember(self, token: str, command: str, now: datetime) -> None:
        """Keep ``command`` under ``token``, or keep the token from ``now`` if it is kept
        already from before. Commits on its own; two processes remembering the same token at
        once both succeed."""
        row = {"token": token, "command": command, "remembered_at": now}
        with self._sessions() as session:
            session.execute(_remembering(session.get_bind().dialect.name, row))
            session.commit()

    def recall(self, token: str) -> str | None:
        with self._sessions() as session:
            row = session.get(ButtonRow, token)
            return None if row is None else row.command

    def prune(self, before: datetime) -> int:
        """Forget the tokens last remembered before ``before``; returns how many."""
        with self._sessions() as session:
            statement = delete(ButtonRow).where(col(ButtonRow.remembered_at) < before)
            removed: int = session.exec(statement).rowcount
            session.commit()
        return removed


def _remembering(dialect: str, row: dict[str, object]) -> Any:
    """``INSERT … ON CONFLICT (token) DO UPDATE`` of ``remembered_at`` alone, and only to a
    later time: the command under a token never changes."""
    if dialect == "postgresql":
        statement: Any = postgresql.insert(ButtonRow).values(row)
    elif dialect == "sqlite":
        statement = sqlite.insert(ButtonRow).values(row)
    else:
        raise NotImplementedError(f"storage supports PostgreSQL and SQLite, not {dialect}")
    later = statement.excluded.remembered_at
    return statement.on_conflict_do_update(
        index_elements=["token"],
        set_={"remembered_at": later},
        where=col(ButtonRow.remembered_at) < later,
    )
