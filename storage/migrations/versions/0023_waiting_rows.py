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


def _only_empty(column: str) -> dict[str, sa.TextClause]:
    condition = sa.text(f"{column} IS NULL")
    return {"postgresql_where": condition, "sqlite_where": condition}


def upgrade() -> None:
    op.create_index("ix_outbox_waiting", "outbox", ["due_slot", "id"], **_only_empty("sent_at"))
    op.create_index(
        "ix_inbox_waiting", "inbox", ["received_at", "event_id"], **_only_empty("handled_at")
    )


def downgrade() -> None:
    op.drop_index("ix_inbox_waiting", table_name="inbox")
    op.drop_index("ix_outbox_waiting", table_name="outbox")
