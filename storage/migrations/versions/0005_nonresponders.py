"""Reminders to organisations that have not answered, and their settings.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN, never batch mode (see 0002). Existing collaborations get the defaults:
    # reminders to organisations that have not answered are on, after three working days.
    op.add_column(
        "collaboration",
        sa.Column("nonresponder_reminders", sa.Boolean(), nullable=False, server_default="1"),
    )
    op.add_column(
        "collaboration",
        sa.Column("nonresponder_days", sa.Integer(), nullable=False, server_default="3"),
    )


def downgrade() -> None:
    op.drop_column("collaboration", "nonresponder_days")
    op.drop_column("collaboration", "nonresponder_reminders")
