"""Retention: when each collaboration was last in use (indexed, so that the daily run reads
only those untouched for the retention period), and when its coordinators were told that it
will be deleted.

Existing rows count as last used at their latest audit entry, or their start.

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-07 10:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN, never batch mode (see 0002).
    op.add_column(
        "collaboration", sa.Column("active_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column(
        "collaboration",
        sa.Column("retention_notice_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.execute(
        "UPDATE collaboration SET active_at = COALESCE("
        "(SELECT MAX(audit_entry.at) FROM audit_entry"
        " WHERE audit_entry.collaboration_id = collaboration.id), created_at)"
    )
    op.create_index("ix_collaboration_active_at", "collaboration", ["active_at"])


def downgrade() -> None:
    op.drop_index("ix_collaboration_active_at", table_name="collaboration")
    op.drop_column("collaboration", "retention_notice_at")
    op.drop_column("collaboration", "active_at")
