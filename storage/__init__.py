"""Storage: the core's ports on SQL (SQLite or PostgreSQL), the tables and their migrations.

Typical wiring (in the composition root)::

    engine = make_engine(settings.database_url)
    upgrade(engine)
    uow = SqlUnitOfWork(make_session_factory(engine))
"""

from storage.database import make_engine, make_session_factory, normalise_url, upgrade
from storage.dedup import prune_events
from storage.repository import SqlCollaborationRepository
from storage.slack_installations import slack_bots, slack_installations, slack_oauth_states
from storage.tables import UtcDateTime
from storage.uow import SqlUnitOfWork

__all__ = [
    "SqlCollaborationRepository",
    "SqlUnitOfWork",
    "UtcDateTime",
    "make_engine",
    "make_session_factory",
    "normalise_url",
    "prune_events",
    "slack_bots",
    "slack_installations",
    "slack_oauth_states",
    "upgrade",
]
