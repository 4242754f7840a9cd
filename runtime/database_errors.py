"""A database that cannot be reached, said in one line a person can act on: which host and
port (or which file), the driver's own reason, and what to check."""

from __future__ import annotations

from sqlalchemy.exc import ArgumentError

from runtime.configuration import Language
from storage.database import normalise_url


def unreachable(database_url: str, error: BaseException, language: Language) -> str:
    """The line for ``error``, raised on connecting to ``database_url``; no password shown."""
    try:
        url = normalise_url(database_url)
    except ArgumentError:
        return "DATABASE_URL: " + ("ogiltig adress" if language == "sv" else "not a valid address")
    reason = _reason(error)
    if url.password:
        reason = reason.replace(str(url.password), "***")
    if url.get_backend_name() == "sqlite":
        path = url.database or ":memory:"
        if language == "sv":
            return (
                f"DATABASE_URL: SQLite-filen {path} kan inte öppnas ({reason}). Kontrollera att "
                "mappen finns och att boten får skriva i den, t.ex. DATABASE_URL=sqlite:////data/samverkan.db"
            )
        return (
            f"DATABASE_URL: the SQLite file {path} cannot be opened ({reason}). Check that its "
            "folder exists and the bot may write to it, e.g. DATABASE_URL=sqlite:////data/samverkan.db"
        )
    where = f"{url.host or 'localhost'}:{url.port or 5432}"
    name = url.database or ""
    if language == "sv":
        return (
            f"DATABASE_URL: PostgreSQL på {where} (databas {name}) svarar inte: {reason}. "
            "Kontrollera att servern körs, att värd och port stämmer, att brandväggen släpper "
            "igenom, och användare, lösenord och databasnamn"
        )
    return (
        f"DATABASE_URL: PostgreSQL at {where} (database {name}) does not answer: {reason}. "
        "Check that the server runs, that host and port are right, that no firewall is in the "
        "way, and the user, password and database name"
    )


def _reason(error: BaseException) -> str:
    """The driver's first line: SQLAlchemy's wrapper adds the statement and a link."""
    original = getattr(error, "orig", None) or error
    lines = [line.strip() for line in str(original).splitlines() if line.strip()]
    return lines[0] if lines else type(original).__name__
