"""How an outbox row ended: sent, or given up because its channel cannot be reached.

A nudge to a channel the bot was removed from, or to a workspace that uninstalled the app, is
no longer retried: the row is done with, ``outcome`` "undeliverable". Rows sent before get
"sent".

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN, never batch mode (see 0002).
    op.add_column("outbox", sa.Column("outcome", sa.String(), nullable=True))
    op.execute("UPDATE outbox SET outcome = 'sent' WHERE sent_at IS NOT NULL")


def downgrade() -> None:
    op.drop_column("outbox", "outcome")
