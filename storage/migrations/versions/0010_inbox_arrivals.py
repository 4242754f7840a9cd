"""An index on when inbox events were received.

Workers hold handling back while events arrive faster than they can be handled, and tell so
by counting the events received in the last second; the index makes that count cheap.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 16:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_inbox_received_at", "inbox", ["received_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_inbox_received_at", table_name="inbox")
