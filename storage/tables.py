"""The tables behind the collaboration aggregate, and ``processed_event`` for inbound deduplication.

Rows are persistence shapes only; :mod:`storage.mapping` turns them into :mod:`bot.domain`
dataclasses and back. Enums are stored as their string values, so a new enum member needs no
migration. Every datetime column is ``TIMESTAMP WITH TIME ZONE`` and reads back as an aware UTC
datetime on every backend (see :class:`UtcDateTime`).

Define new tables in this module (or import it first): the naming convention below must be in
place before a table is declared, or its constraints get database-chosen names that Alembic's
SQLite batch mode cannot drop later.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import DateTime, Dialect, Index, Text, UniqueConstraint, text
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """``DateTime(timezone=True)`` that only accepts aware datetimes and returns them in UTC.

    Binding a naive datetime raises ``ValueError``: PostgreSQL would read it in the session's time
    zone and SQLite would store it as is, so the same value would mean different instants on the
    two backends. Values are converted to UTC before binding because SQLite drops the offset.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: store aware datetimes only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:  # SQLite: the bind side stored UTC
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _parent_key(primary_key: bool = False) -> Any:
    """A child's reference to its collaboration; rows go when the collaboration row goes."""
    return Field(
        foreign_key="collaboration.id",
        ondelete="CASCADE",
        primary_key=primary_key,
        index=not primary_key,
    )


class CollaborationRow(SQLModel, table=True):
    __tablename__ = "collaboration"
    # One collaboration per channel: the channel is how every incoming message finds its aggregate.
    # The nudge clock reads only the rows whose next nudge is due, by this index.
    __table_args__ = (
        UniqueConstraint("platform", "workspace", "channel"),
        Index("ix_collaboration_next_nudge_at", "next_nudge_at"),
    )

    id: str = Field(primary_key=True)
    platform: str
    workspace: str
    channel: str
    name: str
    language: str
    timezone: str
    created_at: datetime = Field(sa_type=UtcDateTime)
    created_by: str
    cycle: int
    focus_step_id: str | None = None
    last_question_id: str | None = None
    # The check-in cadence (all four set or none); its time zone is the collaboration's.
    checkin_weekday: int | None = None
    checkin_time: str | None = None  # "HH:MM", local wall-clock time
    checkin_every_weeks: int | None = None
    checkin_anchor: date | None = None
    evaluation_on: date | None = None
    reminders_paused: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    nonresponder_reminders: bool = Field(default=True, sa_column_kwargs={"server_default": "1"})
    nonresponder_days: int = Field(default=3, sa_column_kwargs={"server_default": "3"})
    quiet_july: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    case_number: str | None = None  # the registry's diarienummer, set by a coordinator
    # The answers of someone who asks to be forgotten stay as the record (their name does not).
    keep_answers: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    # The clock's bookmark: everything due by ``nudged_until`` is in the outbox; look again at
    # ``next_nudge_at`` (NULL: at once).
    nudged_until: datetime | None = Field(default=None, sa_type=UtcDateTime)
    next_nudge_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # Retention (storage.retention): when the channel was last in use, and when the
    # coordinators were told the collaboration will be deleted unless it is used again.
    active_at: datetime | None = Field(default=None, sa_type=UtcDateTime, index=True)
    retention_notice_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # Where the next new answer goes (one past the highest position stored): kept here, on the
    # row every message reads and locks, so that saving an answer asks for no maximum.
    next_answer_position: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class MemberRow(SQLModel, table=True):
    __tablename__ = "member"

    collaboration_id: str = _parent_key(primary_key=True)
    # Indexed on its own too: a person's collaborations (the App Home) are found by it.
    user_id: str = Field(primary_key=True, index=True)
    display_name: str
    role: str
    organisation: str | None = None
    sector: str | None = None
    joined_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    paused_until: date | None = None


class StepStateRow(SQLModel, table=True):
    __tablename__ = "step_state"

    collaboration_id: str = _parent_key(primary_key=True)
    step_id: str = Field(primary_key=True)
    status: str
    changed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    changed_by: str | None = None


class AnswerRow(SQLModel, table=True):
    __tablename__ = "answer"
    # An aggregate reads its answers on demand: those of one question, the one a message
    # gave, all of them in order. Each is found by an index, however many there are.
    __table_args__ = (
        Index("ix_answer_question", "collaboration_id", "question_id", "cycle"),
        Index("ix_answer_source", "collaboration_id", "source_ref"),
        Index("ix_answer_position", "collaboration_id", "position"),
    )

    id: str = Field(primary_key=True)
    collaboration_id: str = _parent_key()
    # The aggregate keeps answers in a list; position restores that order exactly.
    position: int
    question_id: str
    step_id: str
    author_id: str
    author_name: str
    organisation: str | None = None
    text: str = Field(sa_type=Text)
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)
    cycle: int
    source_ref: str | None = None
    withdrawn_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class AnswerVersionRow(SQLModel, table=True):
    """An earlier wording of an answer; append-only, ``position`` 0 is the first wording."""

    __tablename__ = "answer_version"

    answer_id: str = Field(foreign_key="answer.id", ondelete="CASCADE", primary_key=True)
    position: int = Field(primary_key=True)
    text: str = Field(sa_type=Text)
    at: datetime = Field(sa_type=UtcDateTime)


class DecisionRow(SQLModel, table=True):
    __tablename__ = "decision"
    # Numbers are how people refer to decisions ("bekräfta 3"); two replicas must not both hand
    # out the same one. The constraint's index also serves the per-collaboration load.
    __table_args__ = (UniqueConstraint("collaboration_id", "number"),)

    id: str = Field(primary_key=True)
    collaboration_id: str = Field(foreign_key="collaboration.id", ondelete="CASCADE")
    position: int
    number: int
    text: str = Field(sa_type=Text)
    author_id: str
    author_name: str
    created_at: datetime = Field(sa_type=UtcDateTime)
    step_id: str | None = None
    review_on: date | None = None
    confirmed_by: str | None = None
    confirmed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    withdrawn_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    withdrawn_reason: str | None = Field(default=None, sa_type=Text)


class RoleAssignmentRow(SQLModel, table=True):
    """One slot of the aggregate's role list; roles have no identity of their own in the domain."""

    __tablename__ = "role_assignment"

    collaboration_id: str = _parent_key(primary_key=True)
    position: int = Field(primary_key=True)
    user_id: str
    title: str
    assigned_by: str
    assigned_at: datetime = Field(sa_type=UtcDateTime)


class AuditEntryRow(SQLModel, table=True):
    """Append-only; the autoincrement id keeps the order in which entries were recorded."""

    __tablename__ = "audit_entry"
    # When an action was last recorded is read per action, from the end of this index.
    __table_args__ = (Index("ix_audit_entry_action", "collaboration_id", "action", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    collaboration_id: str = _parent_key()
    at: datetime = Field(sa_type=UtcDateTime)
    actor_id: str
    action: str
    detail: str = Field(default="", sa_type=Text)


class PostedCardRow(SQLModel, table=True):
    __tablename__ = "posted_card"

    collaboration_id: str = _parent_key(primary_key=True)
    message_ref: str = Field(primary_key=True)
    position: int
    question_id: str
    posted_at: datetime = Field(sa_type=UtcDateTime)


class MessageCountRow(SQLModel, table=True):
    """How many messages one person wrote in a collaboration's channel in one round and step
    (``step_id`` "" before any step was in focus); the messages themselves are never stored."""

    __tablename__ = "message_count"

    collaboration_id: str = _parent_key(primary_key=True)
    cycle: int = Field(primary_key=True)
    step_id: str = Field(primary_key=True)
    user_id: str = Field(primary_key=True)
    count: int


class ProcessedEventRow(SQLModel, table=True):
    """An inbound platform event already handled (Slack ``event_id``, Telegram ``update_id``).

    The primary key makes a claim atomic across processes; ``received_at`` is indexed so old
    claims can be pruned cheaply (:func:`storage.dedup.prune_events`).
    """

    __tablename__ = "processed_event"

    platform: str = Field(primary_key=True)
    event_id: str = Field(primary_key=True)
    received_at: datetime = Field(sa_type=UtcDateTime, index=True)
    replies: str | None = Field(default=None, sa_type=Text)  # JSON, see storage.replies
    # How many messages of ``replies`` have gone out (each message is sent once); ``replies``
    # is emptied once they all have.
    replies_sent: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


def waiting(done: str) -> dict[str, Any]:
    """An index's condition, on each database: only rows whose ``done`` column is empty."""
    condition = text(f"{done} IS NULL")
    return {"postgresql_where": condition, "sqlite_where": condition}


class OutboxRow(SQLModel, table=True):
    """A nudge to send; the unique key makes the clock's repeated enqueues write it once."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("collaboration_id", "kind", "due_slot"),
        # The rows still to send, in the order a claim takes them: a claim reads a batch's
        # worth of them, however many were sent before.
        Index("ix_outbox_waiting", "due_slot", "id", **waiting("sent_at")),
    )

    id: str = Field(primary_key=True)
    collaboration_id: str
    kind: str
    due_slot: str
    platform: str
    workspace: str
    channel: str
    payload: str = Field(sa_type=Text)  # JSON object of the nudge's text fields
    created_at: datetime = Field(sa_type=UtcDateTime)
    # Not before this instant: a released row waits out its back-off.
    available_at: datetime = Field(sa_type=UtcDateTime, index=True)
    claimed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    claimed_by: str | None = None
    # When the row was done with: sent, or given up because its channel cannot be reached.
    sent_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    attempts: int = 0
    outcome: str | None = None  # "sent" or "undeliverable", once done with


class InboxRow(SQLModel, table=True):
    """A platform event stored on receipt, before the platform is answered; a worker handles it.

    The primary key is the platform's own id for the event (Slack ``event_id``, Telegram
    ``update_id``), so a redelivery finds its row and is not stored twice. A handled row keeps
    its key (and drops its payload) until pruned, to recognise late redeliveries.
    """

    __tablename__ = "inbox"
    # The events still to handle, oldest first: a claim reads a batch's worth of them, however
    # many handled ones are kept until pruned.
    __table_args__ = (
        Index("ix_inbox_waiting", "received_at", "event_id", **waiting("handled_at")),
    )

    platform: str = Field(primary_key=True)
    event_id: str = Field(primary_key=True)
    payload: str = Field(sa_type=Text)  # what the platform sent, as received
    received_at: datetime = Field(sa_type=UtcDateTime, index=True)
    # Not before this instant: a released row waits out its back-off.
    available_at: datetime = Field(sa_type=UtcDateTime, index=True)
    claimed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    claimed_by: str | None = None
    attempts: int = 0
    handled_at: datetime | None = Field(default=None, sa_type=UtcDateTime, index=True)
    outcome: str | None = None  # "handled", or "failed" after the last attempt


class InvitationRow(SQLModel, table=True):
    """An invitation to one representative; ``key`` is the SHA-256 of the code, never the code.

    ``platform`` and ``workspace`` are the collaboration's at the time of the invitation: a code
    is redeemed where its collaboration's people are. The rows go with their collaboration.
    """

    __tablename__ = "invitation"

    key: str = Field(primary_key=True)
    collaboration_id: str = _parent_key()
    platform: str
    workspace: str
    organisation: str
    sector: str | None = None
    created_by: str
    created_at: datetime = Field(sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime)
    redeemed_by: str | None = None
    redeemed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class ButtonRow(SQLModel, table=True):
    """What a Telegram button does, under the short token its ``callback_data`` carries.

    A token is derived from its command, so a row's command, once written, never changes;
    every process reads the same rows, and a button works after a restart and on any worker.
    ``remembered_at`` is when a message last carried the token: pruning goes by it
    (:mod:`engine.pruning`).
    """

    __tablename__ = "button"

    token: str = Field(primary_key=True)
    command: str = Field(sa_type=Text)
    remembered_at: datetime = Field(sa_type=UtcDateTime)
