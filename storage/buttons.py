"""The shared button tokens (:class:`engine.ports.ButtonStore`) on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from storage.database import insert_unless_present
from storage.tables import ButtonRow


class SqlButtonStore:
    """Tokens in the ``button`` table; the first command kept under a token stays."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._sessions = session_factory

    def remember(self, token: str, command: str, now: datetime) -> None:
        """Keep ``command`` under ``token`` unless the token is kept already. Commits on its
        own; two processes remembering the same token at once both succeed."""
        row = {"token": token, "command": command, "remembered_at": now}
        with self._sessions() as session:
            dialect = session.get_bind().dialect.name
            session.execute(insert_unless_present(dialect, ButtonRow, row, ["token"]))
            session.commit()

    def recall(self, token: str) -> str | None:
        with self._sessions() as session:
            row = session.get(ButtonRow, token)
            return None if row is None else row.command
