"""Initial schema: the collaboration aggregate and processed_event.

Hand-checked against storage/tables.py; tests/integration/test_migrations.py proves that
an upgraded empty database matches SQLModel.metadata on SQLite and PostgreSQL.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 09:42:50.379674
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "collaboration",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("platform", sa.String(), nullable=False),
        sa.Column("workspace", sa.String(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("language", sa.String(), nullable=False),
        sa.Column("timezone", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("cycle", sa.Integer(), nullable=False),
        sa.Column("focus_step_id", sa.String(), nullable=True),
        sa.Column("last_question_id", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collaboration")),
        sa.UniqueConstraint(
            "platform",
            "workspace",
            "channel",
            name=op.f("uq_collaboration_platform_workspace_channel"),
        ),
    )
    op.create_table(
        "member",
        sa.Column("collaboration_id", sa.String(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("display_name", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("organisation", sa.String(), nullable=True),
        sa.Column("sector", sa.String(), nullable=True),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paused_until", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["collaboration_id"],
            ["collaboration.id"],
            name=op.f("fk_member_collaboration_id_collaboration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("collaboration_id", "user_id", name=op.f("pk_member")),
    )
    op.create_table(
        "step_state",
        sa.Column("collaboration_id", sa.String(), nullable=False),
        sa.Column("step_id", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("changed_by", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["collaboration_id"],
            ["collaboration.id"],
            name=op.f("fk_step_state_collaboration_id_collaboration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("collaboration_id", "step_id", name=op.f("pk_step_state")),
    )
    op.create_table(
        "answer",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("collaboration_id", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(), nullable=False),
        sa.Column("step_id", sa.String(), nullable=False),
        sa.Column("author_id", sa.String(), nullable=False),
        sa.Column("author_name", sa.String(), nullable=False),
        sa.Column("organisation", sa.String(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cycle", sa.Integer(), nullable=False),
        sa.Column("source_ref", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["collaboration_id"],
            ["collaboration.id"],
            name=op.f("fk_answer_collaboration_id_collaboration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answer")),
    )
    op.create_index(op.f("ix_answer_collaboration_id"), "answer", ["collaboration_id"])
    op.create_table(
        "answer_version",
        sa.Column("answer_id", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["answer.id"],
            name=op.f("fk_answer_version_answer_id_answer"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("answer_id", "position", name=op.f("pk_answer_version")),
    )
    op.create_table(
        "decision",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("collaboration_id", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author_id", sa.String(), nullable=False),
        sa.Column("author_name", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("step_id", sa.String(), nullable=True),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("confirmed_by", sa.String(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["collaboration_id"],
            ["collaboration.id"],
            name=op.f("fk_decision_collaboration_id_collaboration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision")),
        sa.UniqueConstraint(
            "collaboration_id", "number", name=op.f("uq_decision_collaboration_id_number")
        ),
    )
    op.create_table(
        "role_assignment",
        sa.Column("collaboration_id", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("assigned_by", sa.String(), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["collaboration_id"],
            ["collaboration.id"],
            name=op.f("fk_role_assignment_collaboration_id_collaboration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("collaboration_id", "position", name=op.f("pk_role_assignment")),
    )
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collaboration_id", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["collaboration_id"],
            ["collaboration.id"],
            name=op.f("fk_audit_entry_collaboration_id_collaboration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    op.create_index(op.f("ix_audit_entry_collaboration_id"), "audit_entry", ["collaboration_id"])
    op.create_table(
        "posted_card",
        sa.Column("collaboration_id", sa.String(), nullable=False),
        sa.Column("message_ref", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["collaboration_id"],
            ["collaboration.id"],
            name=op.f("fk_posted_card_collaboration_id_collaboration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("collaboration_id", "message_ref", name=op.f("pk_posted_card")),
    )
    op.create_table(
        "processed_event",
        sa.Column("platform", sa.String(), nullable=False),
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("platform", "event_id", name=op.f("pk_processed_event")),
    )
    op.create_index(op.f("ix_processed_event_received_at"), "processed_event", ["received_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_processed_event_received_at"), table_name="processed_event")
    op.drop_table("processed_event")
    op.drop_table("posted_card")
    op.drop_index(op.f("ix_audit_entry_collaboration_id"), table_name="audit_entry")
    op.drop_table("audit_entry")
    op.drop_table("role_assignment")
    op.drop_table("decision")
    op.drop_table("answer_version")
    op.drop_index(op.f("ix_answer_collaboration_id"), table_name="answer")
    op.drop_table("answer")
    op.drop_table("step_state")
    op.drop_table("member")
    op.drop_table("collaboration")
