"""The outbox's rows still to send and the inbox's events still to handle, indexed in the
order a claim takes them: a claim then reads a batch's worth of rows, not every row sent or
handled before it that is not yet pruned.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | Sequence[str] | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _waiting(name: str, table: str, columns: list[str], done: str) -> None:
    """An index of ``columns`` over the rows whose ``done`` column is empty."""
    condition = sa.text(f"{done} IS NULL")
    op.create_index(name, table, columns, postgresql_where=condition, sqlite_where=condition)


def upgrade() -> None:
    _waiting("ix_outbox_waiting", "outbox", ["due_slot", "id"], "sent_at")
    _waiting("ix_inbox_waiting", "inbox", ["received_at", "event_id"], "handled_at")


def downgrade() -> None:
    op.drop_index("ix_inbox_waiting", table_name="inbox")
    op.drop_index("ix_outbox_waiting", table_name="outbox")
