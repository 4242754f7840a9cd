"""Button tokens: what a Telegram button does, shared by every process and kept over restarts.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-24 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "button",
        sa.Column("token", sa.String(), nullable=False),
        sa.Column("command", sa.Text(), nullable=False),
        sa.Column("remembered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_button")),
    )


def downgrade() -> None:
    op.drop_table("button")
