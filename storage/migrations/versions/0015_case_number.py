"""The registry's case number (diarienummer) of a collaboration's record.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN, never batch mode (see 0002).
    op.add_column("collaboration", sa.Column("case_number", sa.String(), nullable=True))


def downgrade() -> None:
    op.drop_column("collaboration", "case_number")
