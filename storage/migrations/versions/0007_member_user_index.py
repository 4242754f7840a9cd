"""An index on member.user_id: a person's own collaborations (the App Home) are found by it.

The member table's primary key starts with collaboration_id, so without this index finding
one person's memberships reads the whole table.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 13:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(op.f("ix_member_user_id"), "member", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_member_user_id"), table_name="member")
