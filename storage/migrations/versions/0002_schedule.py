"""Schedule: check-in cadence, evaluation date, reminder switch; the outbox of nudges.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 10:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (
    "checkin_weekday",
    "checkin_time",
    "checkin_every_weeks",
    "checkin_anchor",
    "evaluation_on",
    "reminders_paused",
)


def upgrade() -> None:
    # Plain ADD COLUMN, never batch mode: on SQLite batch mode may copy and drop the table, and
    # dropping it cascades (foreign_keys=ON) to every child row.
    op.add_column("collaboration", sa.Column("checkin_weekday", sa.Integer(), nullable=True))
    op.add_column("collaboration", sa.Column("checkin_time", sa.String(), nullable=True))
    op.add_column("collaboration", sa.Column("checkin_every_weeks", sa.Integer(), nullable=True))
    op.add_column("collaboration", sa.Column("checkin_anchor", sa.Date(), nullable=True))
    op.add_column("collaboration", sa.Column("evaluation_on", sa.Date(), nullable=True))
    op.add_column(
        "collaboration",
        sa.Column("reminders_paused", sa.Boolean(), nullable=False, server_default="0"),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("collaboration_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("due_slot", sa.String(), nullable=False),
        sa.Column("platform", sa.String(), nullable=False),
        sa.Column("workspace", sa.String(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("available_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_by", sa.String(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint(
            "collaboration_id",
            "kind",
            "due_slot",
            name=op.f("uq_outbox_collaboration_id_kind_due_slot"),
        ),
    )
    op.create_index(op.f("ix_outbox_available_at"), "outbox", ["available_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_outbox_available_at"), table_name="outbox")
    op.drop_table("outbox")
    # SQLite >= 3.35 drops a column in place (see upgrade for why not batch mode).
    for column in reversed(_COLUMNS):
        op.drop_column("collaboration", column)
