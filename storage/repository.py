"""The collaboration aggregate on SQL: its row (locked) and then its small tables in one query
to load, answers and audit times read on demand, a row-by-row diff to save."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import and_, bindparam, func, insert, or_, update
from sqlalchemy.orm import class_mapper
from sqlalchemy.orm.attributes import instance_state, set_committed_value
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, SQLModel, col, select

from bot.domain import (
    Answer,
    Answers,
    AuditEntry,
    ChannelRef,
    Collaboration,
    MessageKey,
    SentNudge,
)
from storage import mapping, one_read
from storage.tables import (
    AnswerRow,
    AnswerVersionRow,
    AuditEntryRow,
    CollaborationRow,
    DecisionRow,
    MemberRow,
    MessageCountRow,
    OutboxRow,
    PostedCardRow,
    RoleAssignmentRow,
    StepStateRow,
)

Row = TypeVar("Row", bound=SQLModel)
Key = TypeVar("Key")

# Answer rows read at once by id, within any database's limit of parameters per statement.
_IDS_PER_QUERY = 500


@dataclass
class _Rows:
    """The rows behind one aggregate, as this session last read or wrote them.

    Holding them here keeps them alive in the session's (weak) identity map, so :meth:`save`
    compares against them instead of selecting again. ``answers`` holds only the answer rows
    read or written so far; the next new answer goes where ``root`` says
    (``next_answer_position``).
    """

    root: CollaborationRow
    members: dict[str, MemberRow]
    steps: dict[str, StepStateRow]
    answers: dict[str, AnswerRow]
    version_counts: dict[str, int]
    decisions: dict[str, DecisionRow]
    roles: dict[int, RoleAssignmentRow]
    cards: dict[str, PostedCardRow]
    message_counts: dict[MessageKey, MessageCountRow]
    audit_count: int

    @classmethod
    def empty(cls, root: CollaborationRow) -> _Rows:
        return cls(root, {}, {}, {}, {}, {}, {}, {}, {}, 0)


class _Reader:
    """The session an aggregate reads more through, on demand: the unit of work's own, until
    its transaction ends."""

    def __init__(self, session: Session) -> None:
        self._session: Session | None = session

    def close(self) -> None:
        self._session = None

    @contextmanager
    def __call__(self) -> Iterator[Session]:
        if self._session is None:
            raise RuntimeError("an aggregate was read after its unit of work ended")
        yield self._session


class _StoredAnswers:
    """Implements :class:`bot.domain.AnswerSource` for one collaboration. Every answer row it
    reads is kept in ``rows``, with how many earlier versions it has, for saving to compare."""

    def __init__(self, reader: _Reader, rows: _Rows) -> None:
        self._reader = reader
        self._rows = rows
        self._collaboration_id = rows.root.id

    def all(self) -> list[Answer]:
        return self._read()

    def matching(self, question_id: str | None, cycle: int | None) -> list[Answer]:
        where = []
        if question_id is not None:
            where.append(col(AnswerRow.question_id) == question_id)
        if cycle is not None:
            where.append(col(AnswerRow.cycle) == cycle)
        return self._read(*where)

    def by_source(self, source_ref: str) -> Answer | None:
        return next(iter(self._read(col(AnswerRow.source_ref) == source_ref)), None)

    def _read(self, *where: Any) -> list[Answer]:
        conditions = (col(AnswerRow.collaboration_id) == self._collaboration_id, *where)
        versions: defaultdict[str, list[AnswerVersionRow]] = defaultdict(list)
        with self._reader() as session:
            query = select(AnswerRow).where(*conditions)
            found = session.exec(query.order_by(col(AnswerRow.position), col(AnswerRow.id))).all()
            if found:
                earlier = (
                    select(AnswerVersionRow)
                    .join(AnswerRow, col(AnswerRow.id) == col(AnswerVersionRow.answer_id))
                    .where(*conditions)
                    .order_by(col(AnswerVersionRow.answer_id), col(AnswerVersionRow.position))
                )
                for version in session.exec(earlier):
                    versions[version.answer_id].append(version)
        for row in found:
            self._rows.answers.setdefault(row.id, row)
            self._rows.version_counts.setdefault(row.id, len(versions[row.id]))
        return [mapping.answer_from_row(row, versions[row.id]) for row in found]


class _LatestRecords(Mapping[str, datetime]):
    """When each action was last recorded in a collaboration's stored audit trail, read per
    action on demand (the trail itself is never loaded with the aggregate)."""

    def __init__(self, reader: _Reader, collaboration_id: str) -> None:
        self._reader = reader
        self._collaboration_id = collaboration_id
        self._known: dict[str, datetime | None] = {}
        self._complete = False

    def __getitem__(self, action: str) -> datetime:
        if action not in self._known and not self._complete:
            query = (
                select(func.max(AuditEntryRow.at))
                .where(AuditEntryRow.collaboration_id == self._collaboration_id)
                .where(AuditEntryRow.action == action)
            )
            with self._reader() as session:
                self._known[action] = session.exec(query).one()
        at = self._known.get(action)
        if at is None:
            raise KeyError(action)
        return at

    def __iter__(self) -> Iterator[str]:
        return iter(self._everything())

    def __len__(self) -> int:
        return len(self._everything())

    def __deepcopy__(self, memo: dict[int, object]) -> dict[str, datetime]:
        # A copy is a plain dict: it outlives the session this one reads through.
        return dict(self._everything())

    def _everything(self) -> dict[str, datetime]:
        if not self._complete:
            query = (
                select(AuditEntryRow.action, func.max(AuditEntryRow.at))
                .where(AuditEntryRow.collaboration_id == self._collaboration_id)
                .group_by(col(AuditEntryRow.action))
            )
            with self._reader() as session:
                self._known = dict(session.exec(query).all())
            self._complete = True
        return {action: at for action, at in self._known.items() if at is not None}


class SqlCollaborationRepository:
    """Implements :class:`bot.ports.CollaborationRepository` on a SQLModel session.

    Within one transaction each channel maps to one aggregate object: a second
    :meth:`get_by_channel` returns the object already handed out. The unit of work calls
    :meth:`forget` when the transaction ends, so the next read sees the database again.

    Answers, their earlier versions, decisions and audit entries are records: :meth:`save`
    inserts new ones and updates changed ones but never deletes a row, even if the aggregate
    no longer holds it. Members, step states, roles and cards are state and are mirrored
    exactly, deletions included.

    Answers and the times of audit entries are read on demand, through this session, until
    the transaction ends; an aggregate used after that raises ``RuntimeError``.
    """

    def __init__(self, session: Session) -> None:
        self._session = session
        self._tracked: dict[str, tuple[Collaboration, _Rows]] = {}
        self._reader = _Reader(session)

    def get_by_channel(self, channel: ChannelRef) -> Collaboration | None:
        """The collaboration of ``channel`` or ``None``; never one of another channel.

        On PostgreSQL the collaboration row stays locked (``FOR UPDATE``) until the transaction
        ends, so two processes handling messages of one channel take turns instead of
        overwriting each other's changes. SQLite ignores the lock (one writer at a time anyway).
        """
        for collaboration, _ in self._tracked.values():
            if collaboration.channel == channel:
                return collaboration
        where = {"platform": channel.platform, "workspace": channel.workspace}
        where["channel"] = channel.channel
        self._session.flush()  # as a query would: what is pending is read as stored
        found = self._session.connection().execute(_BY_CHANNEL, where).one_or_none()
        if found is None:
            return None
        # The row as the lock found it, even when this session read it before without the
        # lock (where the next answer goes is kept on it).
        root = one_read.attached(self._session, CollaborationRow, found._asdict(), fresh=True)
        collaboration, rows = _load(self._session, root, self._reader)
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
        return [_load(self._session, root, self._reader)[0] for root in roots]

    def get(self, collaboration_id: str) -> Collaboration | None:
        """The collaboration with this id or ``None``, locked like :meth:`get_by_channel`."""
        tracked = self._tracked.get(collaboration_id)
        if tracked is not None:
            return tracked[0]
        root = self._session.get(
            CollaborationRow, collaboration_id, with_for_update=True, populate_existing=True
        )
        if root is None:
            return None
        collaboration, rows = _load(self._session, root, self._reader)
        self._tracked[root.id] = (collaboration, rows)
        return collaboration

    def nudges_sent(self, collaboration_id: str) -> list[SentNudge]:
        """The outbox rows of the collaboration that were delivered, oldest first."""
        query = (
            select(OutboxRow.kind, OutboxRow.sent_at)
            .where(OutboxRow.collaboration_id == collaboration_id, OutboxRow.outcome == "sent")
            .order_by(col(OutboxRow.sent_at), col(OutboxRow.id))
        )
        return [
            SentNudge(kind, sent_at) for kind, sent_at in self._session.exec(query).all() if sent_at
        ]

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
        _write(self._session, collaboration, rows)

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
            _read_answer_rows(self._session, rows, [a.id for a in collaboration.answers.touched()])
            self._tracked[collaboration.id] = (collaboration, rows)
        else:
            rows = tracked[1]
        _write(self._session, collaboration, rows)

    def forget(self) -> None:
        """Drop the aggregates handed out so far; called when the transaction ends."""
        self._tracked.clear()
        self._reader.close()
        self._reader = _Reader(self._session)

    def _rows_of(self, collaboration_id: str) -> _Rows | None:
        root = self._session.get(
            CollaborationRow, collaboration_id, with_for_update=True, populate_existing=True
        )
        return None if root is None else _load(self._session, root, self._reader)[1]


# -- loading --------------------------------------------------------------------------------------


# Statements read with every message are built once: building one, and working out the key
# under which SQLAlchemy keeps its compiled form, costs about as much as running it.
# The row is read as a plain row and made a mapped one by hand (storage.one_read), at a fraction
# of the cost of the ORM's loading.
_BY_CHANNEL = (
    select(CollaborationRow.__table__)  # type: ignore[attr-defined]
    .where(CollaborationRow.platform == bindparam("platform"))
    .where(CollaborationRow.workspace == bindparam("workspace"))
    .where(CollaborationRow.channel == bindparam("channel"))
    .with_for_update()
)


# The small child tables read with the aggregate, each in the order the aggregate keeps.
_CHILD_ORDER: dict[type[SQLModel], tuple[Any, ...]] = {
    MemberRow: (),
    StepStateRow: (),
    DecisionRow: (col(DecisionRow.position), DecisionRow.number),
    RoleAssignmentRow: (col(RoleAssignmentRow.position),),
    PostedCardRow: (col(PostedCardRow.position),),
    MessageCountRow: (),
}


def _load(session: Session, root: CollaborationRow, reader: _Reader) -> tuple[Collaboration, _Rows]:
    """Read the small child tables of ``root``, in one query, into an aggregate and its rows.

    Answers and the audit trail grow with every message, so neither is read here: the
    aggregate reads the answers it is asked about, and when an action was last recorded,
    through ``reader`` (see :class:`bot.domain.Answers` and ``Collaboration.recorded_before``).
    """
    statement = one_read.children(session.get_bind().dialect.name, tuple(_CHILD_ORDER))
    # Plain rows of JSON, on the session's connection: no ORM entity is read here (what was
    # pending was flushed before ``root`` was read).
    found = session.connection().execute(statement, {"collaboration_id": root.id}).one()
    return _assemble(root, one_read.children_of(session, found, _CHILD_ORDER), reader)


def _assemble(
    root: CollaborationRow, children: Mapping[type[SQLModel], list[Any]], reader: _Reader
) -> tuple[Collaboration, _Rows]:
    """The aggregate of ``root`` and its child rows (by table), and the rows behind it."""
    cid = root.id
    rows = _Rows.empty(root)
    rows.members = {r.user_id: r for r in children[MemberRow]}
    rows.steps = {r.step_id: r for r in children[StepStateRow]}
    rows.decisions = {r.id: r for r in children[DecisionRow]}
    rows.roles = {r.position: r for r in children[RoleAssignmentRow]}
    rows.cards = {r.message_ref: r for r in children[PostedCardRow]}
    rows.message_counts = {
        mapping.message_count_from_row(r)[0]: r for r in children[MessageCountRow]
    }
    c = mapping.collaboration_from_row(rows.root)
    c.members = {key: mapping.member_from_row(r) for key, r in rows.members.items()}
    c.steps = {key: mapping.step_from_row(r) for key, r in rows.steps.items()}
    c.answers = Answers(source=_StoredAnswers(reader, rows))
    c.decisions = [mapping.decision_from_row(r) for r in rows.decisions.values()]
    c.roles = [mapping.role_from_row(r) for r in rows.roles.values()]
    c.cards = [mapping.card_from_row(r) for r in rows.cards.values()]
    c.message_counts = dict(mapping.message_count_from_row(r) for r in rows.message_counts.values())
    c.recorded_before = _LatestRecords(reader, cid)
    return c, rows


def _read_answer_rows(session: Session, rows: _Rows, ids: list[str]) -> None:
    """Add the stored rows of the answers ``ids`` to ``rows``, with their version counts (for
    saving an aggregate this session did not hand out)."""
    for start in range(0, len(ids), _IDS_PER_QUERY):
        chunk = ids[start : start + _IDS_PER_QUERY]
        query = (
            select(AnswerRow)
            .where(AnswerRow.collaboration_id == rows.root.id)
            .where(col(AnswerRow.id).in_(chunk))
        )
        rows.answers.update((row.id, row) for row in session.exec(query))
        counts = (
            select(AnswerVersionRow.answer_id, func.count())
            .where(col(AnswerVersionRow.answer_id).in_(chunk))
            .group_by(col(AnswerVersionRow.answer_id))
        )
        rows.version_counts.update(dict(session.exec(counts).all()))


# -- saving ---------------------------------------------------------------------------------------


def _assign(session: Session, row: SQLModel, values: dict[str, Any]) -> None:
    """Bring ``row`` to ``values``, writing only the columns that differ: at once, as one plain
    UPDATE (the ORM's flush of a row costs more than the statement), after which the row holds
    them as stored. A row not stored yet only takes them, for its insert."""
    changed = {name: value for name, value in values.items() if getattr(row, name) != value}
    if not changed:
        return
    state = instance_state(row)
    if state.key is None:
        for name, value in changed.items():
            setattr(row, name, value)
        return
    table = type(row)
    key = dict(zip(_key_names(table), state.key[1], strict=True))
    written = session.connection().execute(_update_statement(table), {**changed, **key})
    if written.rowcount != 1:  # as the ORM's flush would
        raise StaleDataError(f"{row.__tablename__} row {state.key[1]} was not found to update")
    for name, value in changed.items():
        set_committed_value(row, name, value)


@cache
def _key_names(table: type[SQLModel]) -> tuple[str, ...]:
    """The names under which ``table``'s UPDATE takes its primary key (never a column's)."""
    return tuple(f"key_{column.name}" for column in class_mapper(table).primary_key)


@cache
def _update_statement(table: type[SQLModel]) -> Any:
    """``UPDATE table SET … WHERE`` its primary key: the columns set are those given when it is
    executed (compiled once for each set of them)."""
    keys = zip(class_mapper(table).primary_key, _key_names(table), strict=True)
    where = [column == bindparam(name) for column, name in keys]
    return update(table.__table__).where(*where)  # type: ignore[attr-defined]


def _sync(
    session: Session,
    rows: dict[Key, Row],
    wanted: Iterable[tuple[Key, dict[str, Any]]],
    make: Callable[..., Row],
    *,
    delete_missing: bool,
) -> None:
    """Update ``rows`` to ``wanted`` (key, column values)."""
    seen: set[Key] = set()
    for key, values in wanted:
        seen.add(key)
        row = rows.get(key)
        if row is None:
            rows[key] = row = make(**values)
            session.add(row)
        else:
            _assign(session, row, values)
    if delete_missing:
        for key in rows.keys() - seen:
            session.delete(rows.pop(key))


def _write(session: Session, c: Collaboration, rows: _Rows) -> None:
    """Bring the rows in line with ``c``; only changed rows are written."""
    cid = c.id
    members = ((m.user_id, mapping.member_values(cid, m)) for m in c.members.values())
    _sync(session, rows.members, members, MemberRow, delete_missing=True)
    steps = ((s.step_id, mapping.step_values(cid, s)) for s in c.steps.values())
    _sync(session, rows.steps, steps, StepStateRow, delete_missing=True)
    roles = ((i, mapping.role_values(cid, i, r)) for i, r in enumerate(c.roles))
    _sync(session, rows.roles, roles, RoleAssignmentRow, delete_missing=True)
    cards = ((k.message_ref, mapping.card_values(cid, i, k)) for i, k in enumerate(c.cards))
    _sync(session, rows.cards, cards, PostedCardRow, delete_missing=True)
    counts = (
        (key, mapping.message_count_values(cid, key, n)) for key, n in c.message_counts.items()
    )
    _sync(session, rows.message_counts, counts, MessageCountRow, delete_missing=True)
    decisions = ((d.id, mapping.decision_values(cid, i, d)) for i, d in enumerate(c.decisions))
    _sync(session, rows.decisions, decisions, DecisionRow, delete_missing=False)
    answers = c.answers.touched()
    added = _write_answers(session, cid, answers, rows)
    values = mapping.collaboration_values(c)
    # Where the next new answer goes: the root row, locked for this transaction, keeps it.
    values["next_answer_position"] = rows.root.next_answer_position + added
    _assign(session, rows.root, values)
    _append_versions(session, answers, rows)
    _append_audit(session, c, rows)


def _write_answers(session: Session, cid: str, answers: list[Answer], rows: _Rows) -> int:
    """Insert the new ones of ``answers`` after the stored ones (at once, as plain rows), update
    the changed ones; return how many were inserted. Answers not read since loading are not
    looked at."""
    new: list[dict[str, Any]] = []
    for answer in answers:
        row = rows.answers.get(answer.id)
        if row is None:
            position = rows.root.next_answer_position + len(new)
            new.append(mapping.answer_values(cid, position, answer))
        else:
            _assign(session, row, mapping.answer_values(cid, row.position, answer))
    if new:
        session.connection().execute(_INSERT_ANSWER, new)
        for values in new:
            rows.answers[values["id"]] = one_read.attached(session, AnswerRow, values)
    return len(new)


def _append_versions(session: Session, answers: list[Answer], rows: _Rows) -> None:
    """History is append-only: write the versions past those already stored."""
    for answer in answers:
        stored = rows.version_counts.get(answer.id, 0)
        for position in range(stored, len(answer.history)):
            session.add(mapping.version_row(answer.id, position, answer.history[position]))
        rows.version_counts[answer.id] = max(stored, len(answer.history))


def _append_audit(session: Session, c: Collaboration, rows: _Rows) -> None:
    """The audit trail is append-only: write the entries past those already stored, at once
    and as plain rows (nothing reads an entry back as a mapped object, and the ORM's flush of
    one costs more than the statement)."""
    new = [mapping.audit_values(c.id, entry) for entry in c.audit[rows.audit_count :]]
    if new:
        session.connection().execute(_INSERT_AUDIT, new)
    rows.audit_count = max(rows.audit_count, len(c.audit))


_INSERT_AUDIT = insert(AuditEntryRow)
_INSERT_ANSWER = insert(AnswerRow)


def load_many(session: Session, roots: list[CollaborationRow]) -> list[Collaboration]:
    """The aggregates of ``roots``, their small child tables read with one query each for all
    of them (not per collaboration), untracked: for the clock, which writes only its bookmark.
    What they read on demand, they read through ``session`` while it is open."""
    reader = _Reader(session)
    ids = [root.id for root in roots]
    children: dict[type[SQLModel], defaultdict[str, list[Any]]] = {}
    for table, order in _CHILD_ORDER.items():
        grouped: defaultdict[str, list[Any]] = defaultdict(list)
        for start in range(0, len(ids), _IDS_PER_QUERY):
            chunk = ids[start : start + _IDS_PER_QUERY]
            column = col(table.collaboration_id)  # type: ignore[attr-defined]
            found: list[Any] = list(
                session.exec(select(table).where(column.in_(chunk)).order_by(*order))
            )
            for row in found:
                grouped[row.collaboration_id].append(row)
        children[table] = grouped
    latest = _latest_records(session, ids)
    answers = _answers_in_cycle(session, roots)
    loaded = []
    for root in roots:
        collaboration, rows = _assemble(
            root, {t: found[root.id] for t, found in children.items()}, reader
        )
        collaboration.recorded_before = latest[root.id]
        source = _CycleRead(_StoredAnswers(reader, rows), root.cycle, answers[root.id])
        collaboration.answers = Answers(source=source)
        loaded.append(collaboration)
    return loaded


class _CycleRead:
    """Implements :class:`bot.domain.AnswerSource` with the answers of the current cycle read
    already (for a batch at once); anything else is read on demand from ``rest``."""

    def __init__(self, rest: _StoredAnswers, cycle: int, answers: list[Answer]) -> None:
        self._rest, self._cycle, self._answers = rest, cycle, answers

    def all(self) -> list[Answer]:
        return self._rest.all()

    def matching(self, question_id: str | None, cycle: int | None) -> list[Answer]:
        if cycle != self._cycle:
            return self._rest.matching(question_id, cycle)
        return [a for a in self._answers if question_id in (None, a.question_id)]

    def by_source(self, source_ref: str) -> Answer | None:
        return self._rest.by_source(source_ref)


def _answers_in_cycle(
    session: Session, roots: list[CollaborationRow]
) -> defaultdict[str, list[Answer]]:
    """The answers of each root's current cycle, with their earlier versions: two queries a
    chunk of collaborations."""
    found: defaultdict[str, list[Answer]] = defaultdict(list)
    for start in range(0, len(roots), _IDS_PER_QUERY):
        chunk = roots[start : start + _IDS_PER_QUERY]
        current = or_(*(and_(col(AnswerRow.collaboration_id) == r.id,
                             col(AnswerRow.cycle) == r.cycle) for r in chunk))  # fmt: skip
        query = select(AnswerRow).where(current)
        rows = session.exec(query.order_by(col(AnswerRow.position), col(AnswerRow.id))).all()
        versions: defaultdict[str, list[AnswerVersionRow]] = defaultdict(list)
        if rows:
            earlier = (
                select(AnswerVersionRow)
                .join(AnswerRow, col(AnswerRow.id) == col(AnswerVersionRow.answer_id))
                .where(current)
                .order_by(col(AnswerVersionRow.answer_id), col(AnswerVersionRow.position))
            )
            for version in session.exec(earlier):
                versions[version.answer_id].append(version)
        for row in rows:
            found[row.collaboration_id].append(mapping.answer_from_row(row, versions[row.id]))
    return found


def _latest_records(session: Session, ids: list[str]) -> defaultdict[str, dict[str, datetime]]:
    """When each action was last recorded, per collaboration of ``ids``: one query a chunk."""
    latest: defaultdict[str, dict[str, datetime]] = defaultdict(dict)
    for start in range(0, len(ids), _IDS_PER_QUERY):
        query = (
            select(AuditEntryRow.collaboration_id, AuditEntryRow.action, func.max(AuditEntryRow.at))
            .where(col(AuditEntryRow.collaboration_id).in_(ids[start : start + _IDS_PER_QUERY]))
            .group_by(col(AuditEntryRow.collaboration_id), col(AuditEntryRow.action))
        )
        for collaboration_id, action, at in session.exec(query):
            latest[collaboration_id][action] = at
    return latest
