"""Claims on inbound platform events, kept by the core's own transaction
(:meth:`storage.uow.SqlUnitOfWork.claim_event`), so an event is handled once, on whichever
process it lands; here they are pruned when no platform would deliver the event again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, col

from storage.tables import ProcessedEventRow


def prune_events(session_factory: sessionmaker[Session], before: datetime) -> int:
    """Forget claims received before ``before``; returns how many were removed.

    Platforms stop redelivering after minutes to hours, so old claims only take space. Keep well
    more than the longest redelivery window.
    """
    with session_factory() as session:
        statement = delete(ProcessedEventRow).where(col(ProcessedEventRow.received_at) < before)
        removed = session.exec(statement).rowcount
        session.commit()
    return removed
