"""Indexes for reading answers and audit times on demand instead of loading them all.

An aggregate no longer reads every answer of its collaboration: it reads those of one
question, the one a message gave, or the highest position; and when an action was last
recorded, per action. Each of these is found through an index.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 15:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    "ix_answer_question": ("answer", ["collaboration_id", "question_id", "cycle"]),
    "ix_answer_source": ("answer", ["collaboration_id", "source_ref"]),
    "ix_answer_position": ("answer", ["collaboration_id", "position"]),
    "ix_audit_entry_action": ("audit_entry", ["collaboration_id", "action", "at"]),
}


def upgrade() -> None:
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, (table, _) in INDEXES.items():
        op.drop_index(name, table_name=table)
