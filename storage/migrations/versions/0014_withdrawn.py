"""A withdrawn answer or decision is kept for the record: when it was withdrawn, and for a
decision why.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN, never batch mode (see 0002).
    op.add_column("answer", sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("decision", sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("decision", sa.Column("withdrawn_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("decision", "withdrawn_reason")
    op.drop_column("decision", "withdrawn_at")
    op.drop_column("answer", "withdrawn_at")
