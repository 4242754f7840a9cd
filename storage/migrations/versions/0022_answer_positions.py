"""Where a collaboration's next new answer goes, kept on its row: saving an answer then needs
no query for the highest position stored (the row is read, locked, with every message).

Existing rows continue after their highest stored answer.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | Sequence[str] | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN, never batch mode (see 0002).
    op.add_column(
        "collaboration",
        sa.Column("next_answer_position", sa.Integer(), nullable=False, server_default="0"),
    )
    op.execute(
        "UPDATE collaboration SET next_answer_position = COALESCE("
        "(SELECT MAX(answer.position) + 1 FROM answer"
        " WHERE answer.collaboration_id = collaboration.id), 0)"
    )


def downgrade() -> None:
    op.drop_column("collaboration", "next_answer_position")
