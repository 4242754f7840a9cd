"""The columns that hold a person's id, and the texts anyone writes, in a collaboration's tables.

:class:`storage.people.SqlPersonalData` finds a person, lists what is stored about them and
erases them by these declarations alone: a column that names a person is added here, or it is
missed by all three (a test walks the tables for columns named like one).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from sqlmodel import SQLModel

from storage.tables import (
    AnswerRow,
    AuditEntryRow,
    CollaborationRow,
    DecisionRow,
    InvitationRow,
    MemberRow,
    MessageCountRow,
    RoleAssignmentRow,
    StepStateRow,
)


class Erasing(Enum):
    """What forgetting a person does to a row that holds their id."""

    DROP = "drop"  # the row is theirs alone (a membership, a role they hold): it goes
    PSEUDONYM = "pseudonym"  # the id becomes the pseudonym's id, a name beside it the pseudonym
    ANSWER = "answer"  # as PSEUDONYM; the text stays only where answers are kept as the record


@dataclass(frozen=True)
class PersonColumn:
    """A column that holds a person's id, in a table of a collaboration's: where the person is
    found, what their file lists under ``kind``, and what erasing them does to the row."""

    table: type[SQLModel]
    column: str
    kind: str
    erasing: Erasing
    name: str | None = None  # the column beside it that holds the person's name
    order: str | None = None  # the column their file lists the rows by
    parent: str = "collaboration_id"  # the column that names the row's collaboration

    def id_of(self) -> Any:
        return getattr(self.table, self.column)

    def parent_of(self) -> Any:
        return getattr(self.table, self.parent)


# Every column of the collaborations' tables that holds a person's id, in the order a person's
# file lists them; finding, telling and erasing a person all follow this one table.
PERSON_COLUMNS: tuple[PersonColumn, ...] = (
    PersonColumn(CollaborationRow, "created_by", "collaboration", Erasing.PSEUDONYM, parent="id"),
    PersonColumn(MemberRow, "user_id", "membership", Erasing.DROP, name="display_name"),
    PersonColumn(
        AnswerRow, "author_id", "answer", Erasing.ANSWER, name="author_name", order="position"
    ),
    PersonColumn(DecisionRow, "author_id", "decision", Erasing.PSEUDONYM, name="author_name"),
    PersonColumn(DecisionRow, "confirmed_by", "decision", Erasing.PSEUDONYM),
    PersonColumn(RoleAssignmentRow, "user_id", "role", Erasing.DROP),
    PersonColumn(RoleAssignmentRow, "assigned_by", "role", Erasing.PSEUDONYM),
    PersonColumn(StepStateRow, "changed_by", "step", Erasing.PSEUDONYM),
    PersonColumn(InvitationRow, "created_by", "invitation", Erasing.PSEUDONYM),
    PersonColumn(InvitationRow, "redeemed_by", "invitation", Erasing.PSEUDONYM),
    # The counts stay, unnamed.
    PersonColumn(MessageCountRow, "user_id", "message_count", Erasing.PSEUDONYM),
    PersonColumn(AuditEntryRow, "actor_id", "audit", Erasing.PSEUDONYM, order="id"),
)
# The texts anyone writes in a collaboration's tables, where a person's name may stand (the
# earlier wordings of answers too, reached through their answer).
TEXT_COLUMNS: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (AnswerRow, ("text",)),
    (DecisionRow, ("text", "withdrawn_reason")),
    (AuditEntryRow, ("detail",)),
)
