"""The collaboration aggregate on SQL: one query per table to load, a row-by-row diff to save."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import func
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, SQLModel, col, select

from bot.domain import AuditEntry, ChannelRef, Collaboration
from storage import mapping
from storage.tables import (
    AnswerRow,
    AnswerVersionRow,
    AuditEntryRow,
    CollaborationRow,
    DecisionRow,
    MemberRow,
    PostedCardRow,
    RoleAssignmentRow,
    StepStateRow,
)

Row = TypeVar("Row", bound=SQLModel)
Key = TypeVar("Key")


@dataclass
class _Rows:
    """The rows behind one aggregate, as this session last read or wrote them.

    Holding them here keeps them alive in the session's (weak) identity map, so :meth:`save`
    compares against them instead of selecting again.
    """

    root: CollaborationRow
    members: dict[str, MemberRow]
    steps: dict[str, StepStateRow]
    answers: dict[str, AnswerRow]
    version_counts: dict[str, int]
    decisions: dict[str, DecisionRow]
    roles: dict[int, RoleAssignmentRow]
    cards: dict[str, PostedCardRow]
    audit_count: int

    @classmethod
    def empty(cls, root: CollaborationRow) -> _Rows:
        return cls(root, {}, {}, {}, {}, {}, {}, {}, 0)


class SqlCollaborationRepository:
    """Implements :class:`bot.ports.CollaborationRepository` on a SQLModel session.

    Within one transaction each channel maps to one aggregate object: a second
    :meth:`get_by_channel` returns the object already handed out. The unit of work calls
    :meth:`forget` when the transaction ends, so the next read sees the database again.

    Answers, their earlier versions, decisions and audit entries are records: :meth:`save`
    inserts new ones and updates changed ones but never deletes a row, even if the aggregate
    no longer holds it. Members, step states, roles and cards are state and are mirrored
    exactly, deletions included.
    """

    def __init__(self, session: Session) -> None:
        self._session = session
        self._tracked: dict[str, tuple[Collaboration, _Rows]] = {}

    def get_by_channel(self, channel: ChannelRef) -> Collaboration | None:
        """The collaboration of ``channel`` or ``None``; never one of another channel.

        On PostgreSQL the collaboration row stays locked (``FOR UPDATE``) until the transaction
        ends, so two processes handling messages of one channel take turns instead of
        overwriting each other's changes. SQLite ignores the lock (one writer at a time anyway).
        """
        for collaboration, _ in self._tracked.values():
            if collaboration.channel == channel:
                return collaboration
        query = (
            select(CollaborationRow)
            .where(CollaborationRow.platform == channel.platform)
            .where(CollaborationRow.workspace == channel.workspace)
            .where(CollaborationRow.channel == channel.channel)
            .with_for_update()
        )
        root = self._session.exec(query).one_or_none()
        if root is None:
            return None
        collaboration, rows = _load(self._session, root)
        self._tracked[root.id] = (collaboration, rows)
        return collaboration

    def by_member(self, platform: str, workspace: str, user_id: str) -> list[Collaboration]:
        """The collaborations ``user_id`` is a member of in ``workspace``, by name.

        One query finds them (through the ``member`` table), then each aggregate is read as
        :meth:`get_by_channel` reads it, but without locks and without being tracked: the
        result is for reading only.
        """
        query = (
            select(CollaborationRow)
            .join(MemberRow, col(MemberRow.collaboration_id) == col(CollaborationRow.id))
            .where(MemberRow.user_id == user_id)
            .where(CollaborationRow.platform == platform)
            .where(CollaborationRow.workspace == workspace)
            .order_by(col(CollaborationRow.name), col(CollaborationRow.id))
        )
        roots = self._session.exec(query).all()
        return [_load(self._session, root)[0] for root in roots]

    def get(self, collaboration_id: str) -> Collaboration | None:
        """The collaboration with this id or ``None``, locked like :meth:`get_by_channel`."""
        tracked = self._tracked.get(collaboration_id)
        if tracked is not None:
            return tracked[0]
        root = self._session.get(CollaborationRow, collaboration_id, with_for_update=True)
        if root is None:
            return None
        collaboration, rows = _load(self._session, root)
        self._tracked[root.id] = (collaboration, rows)
        return collaboration

    def audit_trail(self, collaboration_id: str) -> list[AuditEntry]:
        """The whole stored audit trail of a collaboration, oldest first (the aggregate holds
        only what was recorded since it was loaded)."""
        query = (
            select(AuditEntryRow)
            .where(AuditEntryRow.collaboration_id == collaboration_id)
            .order_by(col(AuditEntryRow.id))
        )
        return [mapping.audit_from_row(row) for row in self._session.exec(query).all()]

    def add(self, collaboration: Collaboration) -> None:
        """Insert a new aggregate; raises ``sqlalchemy.exc.IntegrityError`` (here or on commit)
        if its id or channel is already taken."""
        root = CollaborationRow(**mapping.collaboration_values(collaboration))
        self._session.add(root)
        # Children reference the root, and rows without relationship() are not ordered by
        # foreign key when flushed, so the root goes first.
        self._session.flush()
        rows = _Rows.empty(root)
        self._tracked[collaboration.id] = (collaboration, rows)
        _write_children(self._session, collaboration, rows)

    def save(self, collaboration: Collaboration) -> None:
        """Bring the rows in line with ``collaboration``; only changed rows are written.

        An aggregate this repository did not hand out (another unit of work's, say) is first
        compared with the rows in the database; one that is not stored at all is added.
        """
        tracked = self._tracked.get(collaboration.id)
        if tracked is None or tracked[0] is not collaboration:
            rows = self._rows_of(collaboration.id)
            if rows is None:
                self.add(collaboration)
                return
            self._tracked[collaboration.id] = (collaboration, rows)
        else:
            rows = tracked[1]
        _assign(rows.root, mapping.collaboration_values(collaboration))
        _write_children(self._session, collaboration, rows)

    def forget(self) -> None:
        """Drop the aggregates handed out so far; called when the transaction ends."""
        self._tracked.clear()

    def _rows_of(self, collaboration_id: str) -> _Rows | None:
        root = self._session.get(CollaborationRow, collaboration_id, with_for_update=True)
        return None if root is None else _load(self._session, root)[1]


# -- loading --------------------------------------------------------------------------------------


def _children(session: Session, table: type[Row], collaboration_id: str, *order: Any) -> list[Row]:
    column = table.collaboration_id  # type: ignore[attr-defined]
    return list(session.exec(select(table).where(column == collaboration_id).order_by(*order)))


def _load(session: Session, root: CollaborationRow) -> tuple[Collaboration, _Rows]:
    """Read every child table of ``root``, one query each, into an aggregate and its rows."""
    cid = root.id
    rows = _Rows.empty(root)
    rows.members = {r.user_id: r for r in _children(session, MemberRow, cid)}
    rows.steps = {r.step_id: r for r in _children(session, StepStateRow, cid)}
    answers = _children(session, AnswerRow, cid, col(AnswerRow.position), col(AnswerRow.id))
    rows.answers = {r.id: r for r in answers}
    decisions = _children(session, DecisionRow, cid, col(DecisionRow.position), DecisionRow.number)
    rows.decisions = {r.id: r for r in decisions}
    roles = _children(session, RoleAssignmentRow, cid, col(RoleAssignmentRow.position))
    rows.roles = {r.position: r for r in roles}
    cards = _children(session, PostedCardRow, cid, col(PostedCardRow.position))
    rows.cards = {r.message_ref: r for r in cards}
    # The audit trail grows with every message and is only appended to: it is not loaded,
    # only when each action was last recorded (see Collaboration.recorded_before).
    latest = (
        select(AuditEntryRow.action, func.max(AuditEntryRow.at))
        .where(AuditEntryRow.collaboration_id == cid)
        .group_by(col(AuditEntryRow.action))
    )
    rows.audit_count = 0
    versions = _versions(session, cid)
    rows.version_counts = {answer_id: len(v) for answer_id, v in versions.items()}
    collaboration = _assemble(rows, versions, [])
    collaboration.recorded_before = {action: at for action, at in session.exec(latest).all()}
    return collaboration, rows


def _assemble(
    rows: _Rows, versions: dict[str, list[AnswerVersionRow]], audit: list[AuditEntry]
) -> Collaboration:
    """The aggregate of ``rows``; the dicts of rows are in the aggregate's list order."""
    c = mapping.collaboration_from_row(rows.root)
    c.members = {key: mapping.member_from_row(r) for key, r in rows.members.items()}
    c.steps = {key: mapping.step_from_row(r) for key, r in rows.steps.items()}
    c.answers = [mapping.answer_from_row(r, versions.get(r.id, [])) for r in rows.answers.values()]
    c.decisions = [mapping.decision_from_row(r) for r in rows.decisions.values()]
    c.roles = [mapping.role_from_row(r) for r in rows.roles.values()]
    c.audit = audit
    c.cards = [mapping.card_from_row(r) for r in rows.cards.values()]
    return c


def _versions(session: Session, collaboration_id: str) -> defaultdict[str, list[AnswerVersionRow]]:
    query = (
        select(AnswerVersionRow)
        .join(AnswerRow, col(AnswerRow.id) == col(AnswerVersionRow.answer_id))
        .where(AnswerRow.collaboration_id == collaboration_id)
        .order_by(col(AnswerVersionRow.answer_id), col(AnswerVersionRow.position))
    )
    versions: defaultdict[str, list[AnswerVersionRow]] = defaultdict(list)
    for row in session.exec(query):
        versions[row.answer_id].append(row)
    return versions


# -- saving ---------------------------------------------------------------------------------------


def _assign(row: SQLModel, values: dict[str, Any]) -> None:
    """Set only the attributes that differ, so unchanged rows stay clean and are not flushed."""
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)


def _sync(
    session: Session,
    rows: dict[Key, Row],
    wanted: Iterable[tuple[Key, dict[str, Any]]],
    make: Callable[..., Row],
    *,
    delete_missing: bool,
) -> bool:
    """Update ``rows`` to ``wanted`` (key, column values); return whether any row was inserted."""
    inserted = False
    seen: set[Key] = set()
    for key, values in wanted:
        seen.add(key)
        row = rows.get(key)
        if row is None:
            rows[key] = row = make(**values)
            session.add(row)
            inserted = True
        else:
            _assign(row, values)
    if delete_missing:
        for key in rows.keys() - seen:
            session.delete(rows.pop(key))
    return inserted


def _write_children(session: Session, c: Collaboration, rows: _Rows) -> None:
    cid = c.id
    members = ((m.user_id, mapping.member_values(cid, m)) for m in c.members.values())
    _sync(session, rows.members, members, MemberRow, delete_missing=True)
    steps = ((s.step_id, mapping.step_values(cid, s)) for s in c.steps.values())
    _sync(session, rows.steps, steps, StepStateRow, delete_missing=True)
    roles = ((i, mapping.role_values(cid, i, r)) for i, r in enumerate(c.roles))
    _sync(session, rows.roles, roles, RoleAssignmentRow, delete_missing=True)
    cards = ((k.message_ref, mapping.card_values(cid, i, k)) for i, k in enumerate(c.cards))
    _sync(session, rows.cards, cards, PostedCardRow, delete_missing=True)
    decisions = ((d.id, mapping.decision_values(cid, i, d)) for i, d in enumerate(c.decisions))
    _sync(session, rows.decisions, decisions, DecisionRow, delete_missing=False)
    answers = ((a.id, mapping.answer_values(cid, i, a)) for i, a in enumerate(c.answers))
    if _sync(session, rows.answers, answers, AnswerRow, delete_missing=False):
        session.flush()  # versions reference their answer; see the note in add()
    _append_versions(session, c, rows)
    _append_audit(session, c, rows)


def _append_versions(session: Session, c: Collaboration, rows: _Rows) -> None:
    """History is append-only: write the versions past those already stored."""
    for answer in c.answers:
        stored = rows.version_counts.get(answer.id, 0)
        for position in range(stored, len(answer.history)):
            session.add(mapping.version_row(answer.id, position, answer.history[position]))
        rows.version_counts[answer.id] = max(stored, len(answer.history))


def _append_audit(session: Session, c: Collaboration, rows: _Rows) -> None:
    """The audit trail is append-only: write the entries past those already stored."""
    session.add_all(mapping.audit_row(c.id, entry) for entry in c.audit[rows.audit_count :])
    rows.audit_count = max(rows.audit_count, len(c.audit))


def load_all(session_factory: sessionmaker[Session]) -> list[Collaboration]:
    """Every collaboration, read without locks (for the clock, which only reads them)."""
    with session_factory() as session:
        roots = session.exec(select(CollaborationRow).order_by(col(CollaborationRow.id))).all()
        return [_load(session, root)[0] for root in roots]
