"""The nudge clock's bookmark per collaboration: up to when it enqueued what was due, and when
to look again, indexed, so that a tick reads only the collaborations due by now.

Existing rows get NULL for both: the clock looks at each once, back as far as it catches up
after a restart, and plans from there.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN, never batch mode (see 0002).
    op.add_column(
        "collaboration", sa.Column("nudged_until", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column(
        "collaboration", sa.Column("next_nudge_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.create_index("ix_collaboration_next_nudge_at", "collaboration", ["next_nudge_at"])


def downgrade() -> None:
    op.drop_index("ix_collaboration_next_nudge_at", table_name="collaboration")
    op.drop_column("collaboration", "next_nudge_at")
    op.drop_column("collaboration", "nudged_until")
