"""The inbox: platform events stored on receipt and handled after the acknowledgement.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("processed_event", sa.Column("replies", sa.Text(), nullable=True))
    op.create_table(
        "inbox",
        sa.Column("platform", sa.String(), nullable=False),
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("available_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_by", sa.String(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("platform", "event_id", name=op.f("pk_inbox")),
    )
    op.create_index(op.f("ix_inbox_available_at"), "inbox", ["available_at"], unique=False)
    op.create_index(op.f("ix_inbox_handled_at"), "inbox", ["handled_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_inbox_handled_at"), table_name="inbox")
    op.drop_index(op.f("ix_inbox_available_at"), table_name="inbox")
    op.drop_table("inbox")
    op.drop_column("processed_event", "replies")
