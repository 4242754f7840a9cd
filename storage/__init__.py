"""Storage: the core's and the engine's ports on SQL (SQLite or PostgreSQL), the tables and
their migrations.

Typical wiring (in the composition root)::

    engine = make_engine(settings.database_url)
    upgrade(engine)
    uow = SqlUnitOfWork(make_session_factory(engine))
"""

from storage.buttons import SqlButtonStore
from storage.database import make_engine, make_session_factory, normalise_url, upgrade
from storage.due import SqlCollaborations
from storage.inbox import SqlInbox
from storage.leader import SqlLeader
from storage.outbox import SqlOutbox
from storage.repository import SqlCollaborationRepository
from storage.slack_installations import slack_bots, slack_installations, slack_oauth_states
from storage.tables import UtcDateTime
from storage.uow import SqlUnitOfWork

__all__ = [
    "SqlButtonStore",
    "SqlCollaborationRepository",
    "SqlCollaborations",
    "SqlInbox",
    "SqlLeader",
    "SqlOutbox",
    "SqlUnitOfWork",
    "UtcDateTime",
    "make_engine",
    "make_session_factory",
    "normalise_url",
    "slack_bots",
    "slack_installations",
    "slack_oauth_states",
    "upgrade",
]
