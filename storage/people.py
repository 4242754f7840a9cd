"""What is stored about one person, to hand to them or to erase (:class:`bot.ports.PersonalData`).

A person is their platform id within one workspace. Their id is found in the columns that
name a person (a member, an author, who confirmed, assigned or changed something); their
names in the text columns, where anyone may have written them. Places outside any
collaboration hold them too: the replies kept for an event, nudges in the outbox, Telegram's
button tokens, a Slack installation's installer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, or_, update
from sqlmodel import Session, SQLModel, col, select

from bot.ports import Erasure, StoredAbout
from storage.slack_installations import slack_installations
from storage.tables import (
    AnswerRow,
    AnswerVersionRow,
    AuditEntryRow,
    ButtonRow,
    CollaborationRow,
    DecisionRow,
    InvitationRow,
    MemberRow,
    MessageCountRow,
    OutboxRow,
    ProcessedEventRow,
    RoleAssignmentRow,
    StepStateRow,
)

# Columns a file for the person leaves out: keys that say nothing to them.
_HIDDEN = {"collaboration_id", "key", "position", "source_ref"}
# A name this short is not looked for in text: it would replace parts of other words.
_MIN_NAME = 3
_IDS_PER_QUERY = 500  # collaborations read at once, within any database's parameter limit
# The columns that hold a person's id, and the texts anyone writes, of a collaboration's tables.
_PERSON_COLUMNS: tuple[tuple[Any, Any], ...] = (
    (MemberRow, col(MemberRow.user_id)),
    (AnswerRow, col(AnswerRow.author_id)),
    (DecisionRow, col(DecisionRow.author_id)),
    (DecisionRow, col(DecisionRow.confirmed_by)),
    (RoleAssignmentRow, col(RoleAssignmentRow.user_id)),
    (RoleAssignmentRow, col(RoleAssignmentRow.assigned_by)),
    (StepStateRow, col(StepStateRow.changed_by)),
    (AuditEntryRow, col(AuditEntryRow.actor_id)),
    (InvitationRow, col(InvitationRow.created_by)),
    (InvitationRow, col(InvitationRow.redeemed_by)),
    (MessageCountRow, col(MessageCountRow.user_id)),
)
_TEXT_COLUMNS: tuple[tuple[Any, Any], ...] = (
    (AnswerRow, col(AnswerRow.text)),
    (DecisionRow, col(DecisionRow.text)),
    (DecisionRow, col(DecisionRow.withdrawn_reason)),
    (AuditEntryRow, col(AuditEntryRow.detail)),
)


class SqlPersonalData:
    """Implements :class:`bot.ports.PersonalData` on the unit of work's session."""

    def __init__(self, session: Session) -> None:
        self._session = session

    # -- what is stored -----------------------------------------------------------------------

    def about(self, platform: str, workspace: str, user_id: str) -> list[StoredAbout]:
        found: list[StoredAbout] = []
        for root in self._roots(self._involved(platform, workspace, user_id)):
            cid, name = root.id, root.name

            def add(kind: str, rows: Iterable[SQLModel], name: str = name) -> None:
                found.extend(StoredAbout(kind, name, _fields(row)) for row in rows)

            if root.created_by == user_id:
                add("collaboration", [root])
            add("membership", self._rows(MemberRow, cid, col(MemberRow.user_id) == user_id))
            mine = self._rows(AnswerRow, cid, col(AnswerRow.author_id) == user_id)
            for answer in sorted(mine, key=lambda a: a.position):
                add("answer", [answer])
                add("earlier_wording", self._versions([answer.id]))
            decided = or_(
                col(DecisionRow.author_id) == user_id, col(DecisionRow.confirmed_by) == user_id
            )
            add("decision", self._rows(DecisionRow, cid, decided))
            roles = or_(
                col(RoleAssignmentRow.user_id) == user_id,
                col(RoleAssignmentRow.assigned_by) == user_id,
            )
            add("role", self._rows(RoleAssignmentRow, cid, roles))
            add("step", self._rows(StepStateRow, cid, col(StepStateRow.changed_by) == user_id))
            invited = or_(
                col(InvitationRow.created_by) == user_id, col(InvitationRow.redeemed_by) == user_id
            )
            add("invitation", self._rows(InvitationRow, cid, invited))
            wrote = col(MessageCountRow.user_id) == user_id
            add("message_count", self._rows(MessageCountRow, cid, wrote))
            audit: list[AuditEntryRow] = self._rows(
                AuditEntryRow, cid, col(AuditEntryRow.actor_id) == user_id
            )
            audit.sort(key=lambda entry: entry.id or 0)
            add("audit", audit)
        return found

    # -- erasure ------------------------------------------------------------------------------

    def erase(self, erasure: Erasure) -> int:
        e, session = erasure, self._session
        session.flush()
        names = self._names(e)
        involved = self._involved(e.platform, e.workspace, e.user_id, [*names, e.user_id])
        touched = 0
        for root in self._roots(involved, lock=True):
            pseudonym = e.pseudonym_name.get(root.language) or e.pseudonym_name[e.language]
            scrub = _scrubber(names, pseudonym, e.user_id, e.pseudonym_id)
            if self._erase_in(root, e, scrub, pseudonym, [*names, e.user_id]):
                touched += 1
                session.add(AuditEntryRow(
                    collaboration_id=root.id, at=e.at, actor_id=e.pseudonym_id, action="erased"
                ))  # fmt: skip
        scrub = _scrubber(names, e.pseudonym_name[e.language], e.user_id, e.pseudonym_id)
        self._erase_outside(e, names, scrub)
        session.flush()
        session.expire_all()  # the rows read before were changed behind the session's back
        return touched

    def _erase_in(
        self,
        root: CollaborationRow,
        e: Erasure,
        scrub: Callable[[str], str],
        pseudonym: str,
        needles: list[str],
    ) -> bool:
        """Forget the person in one collaboration; whether anything of theirs was there.
        ``needles`` are their names and id, found in text before any of it is changed."""
        cid, uid, pid = root.id, e.user_id, e.pseudonym_id
        touched = False

        def change(table: Any, column: Any, value: str, **more: Any) -> None:
            nonlocal touched
            statement = (
                update(table)
                .where(table.collaboration_id == cid)
                .where(column == uid)
                .values({column.key: value, **more})
                .execution_options(synchronize_session=False)
            )
            touched = _count(self._session.execute(statement)) > 0 or touched

        held: tuple[tuple[Any, Any], ...] = (
            (MemberRow, col(MemberRow.user_id)),
            (RoleAssignmentRow, col(RoleAssignmentRow.user_id)),
        )
        for table, column in held:
            gone = self._session.execute(
                delete(table)
                .where(table.collaboration_id == cid, column == uid)
                .execution_options(synchronize_session=False)
            )
            touched = _count(gone) > 0 or touched
        if root.created_by == uid:
            touched = True
            self._session.execute(
                update(CollaborationRow)
                .where(col(CollaborationRow.id) == cid)
                .values(created_by=pid)
                .execution_options(synchronize_session=False)
            )
        mine = self._rows(AnswerRow, cid, col(AnswerRow.author_id) == uid)
        if mine:
            touched = True
            removed = e.removed_text.get(root.language) or e.removed_text[e.language]
            answer_ids = [a.id for a in mine]
            if not root.keep_answers:
                self._session.execute(
                    delete(AnswerVersionRow)
                    .where(col(AnswerVersionRow.answer_id).in_(answer_ids))
                    .execution_options(synchronize_session=False)
                )
            for answer in mine:
                answer.author_id, answer.author_name = pid, pseudonym
                answer.text = scrub(answer.text) if root.keep_answers else removed
        change(DecisionRow, col(DecisionRow.author_id), pid, author_name=pseudonym)
        change(DecisionRow, col(DecisionRow.confirmed_by), pid)
        change(RoleAssignmentRow, col(RoleAssignmentRow.assigned_by), pid)
        change(StepStateRow, col(StepStateRow.changed_by), pid)
        change(AuditEntryRow, col(AuditEntryRow.actor_id), pid)
        change(InvitationRow, col(InvitationRow.created_by), pid)
        change(InvitationRow, col(InvitationRow.redeemed_by), pid)
        change(MessageCountRow, col(MessageCountRow.user_id), pid)  # the counts stay, unnamed
        self._session.flush()
        # What anyone wrote that names them: answers (and their earlier wordings), decisions,
        # reasons, the audit trail's details.
        texts: tuple[tuple[Any, tuple[str, ...]], ...] = (
            (AnswerRow, ("text",)),
            (DecisionRow, ("text", "withdrawn_reason")),
            (AuditEntryRow, ("detail",)),
        )
        for table, columns in texts:
            for row in self._mentioning(table, columns, cid, needles):
                for name in columns:
                    value = getattr(row, name)
                    if value:
                        setattr(row, name, scrub(value))
        versions = (
            select(AnswerVersionRow)
            .join(AnswerRow, col(AnswerRow.id) == col(AnswerVersionRow.answer_id))
            .where(col(AnswerRow.collaboration_id) == cid)
            .where(_any_contains(col(AnswerVersionRow.text), needles))
        )
        for version in self._session.exec(versions):
            version.text = scrub(version.text)
        return touched

    def _erase_outside(self, e: Erasure, names: list[str], scrub: Callable[[str], str]) -> None:
        """The places outside the collaborations: kept replies, nudges, buttons, installer."""
        needles = [*names, e.user_id]
        naming = _naming(needles)
        # Replies kept for resending that name them go whole: they may quote what they wrote
        # (a summary, an export, their own data), which their name alone does not cover.
        kept = select(ProcessedEventRow).where(
            col(ProcessedEventRow.platform) == e.platform,
            _any_contains(col(ProcessedEventRow.replies), needles),
        )
        for event in self._session.exec(kept):
            if naming(event.replies):
                event.replies = None
        nudges = select(OutboxRow).where(
            col(OutboxRow.platform) == e.platform,
            col(OutboxRow.workspace) == e.workspace,
            _any_contains(col(OutboxRow.payload), needles),
        )
        for nudge in self._session.exec(nudges):
            nudge.payload = _scrub_json(nudge.payload, scrub)
        buttons = select(ButtonRow).where(_any_contains(col(ButtonRow.command), needles))
        for button in self._session.exec(buttons):
            if naming(button.command):
                self._session.delete(button)
        if e.platform == "slack":
            self._session.execute(
                update(slack_installations)
                .where(slack_installations.c.team_id == e.workspace)
                .where(slack_installations.c.user_id == e.user_id)
                .values(user_id=e.pseudonym_id)
            )

    def _names(self, e: Erasure) -> list[str]:
        """Every name the person is stored under in the workspace, longest first."""
        found = set(e.names)
        for table, name, author in (
            (MemberRow, MemberRow.display_name, MemberRow.user_id),
            (AnswerRow, AnswerRow.author_name, AnswerRow.author_id),
            (DecisionRow, DecisionRow.author_name, DecisionRow.author_id),
        ):
            query = self._in_workspace(select(name).distinct(), table, e.platform, e.workspace)
            found.update(self._session.exec(query.where(col(author) == e.user_id)).all())
        return sorted({n.strip() for n in found if len(n.strip()) >= _MIN_NAME}, key=len)[::-1]

    def _involved(
        self, platform: str, workspace: str, user_id: str, needles: list[str] | None = None
    ) -> set[str]:
        """The collaborations of the workspace that hold the person's id in a column that
        names a person, or (with ``needles``) any of them in a text: one query a column,
        however many collaborations the workspace has."""
        found: set[str] = set()
        for table, column in _PERSON_COLUMNS:
            query = select(table.collaboration_id).distinct().where(column == user_id)
            found.update(self._session.exec(self._in_workspace(query, table, platform, workspace)))
        mine = select(CollaborationRow.id).where(
            CollaborationRow.platform == platform,
            CollaborationRow.workspace == workspace,
            CollaborationRow.created_by == user_id,
        )
        found.update(self._session.exec(mine))
        if not needles:
            return found
        for table, column in _TEXT_COLUMNS:
            query = select(table.collaboration_id).distinct().where(_any_contains(column, needles))
            found.update(self._session.exec(self._in_workspace(query, table, platform, workspace)))
        versions = (
            select(AnswerRow.collaboration_id)
            .distinct()
            .join(AnswerVersionRow, col(AnswerVersionRow.answer_id) == col(AnswerRow.id))
            .where(_any_contains(col(AnswerVersionRow.text), needles))
        )
        found.update(
            self._session.exec(self._in_workspace(versions, AnswerRow, platform, workspace))
        )
        return found

    @staticmethod
    def _in_workspace(query: Any, table: Any, platform: str, workspace: str) -> Any:
        return query.join(
            CollaborationRow, col(CollaborationRow.id) == table.collaboration_id
        ).where(CollaborationRow.platform == platform, CollaborationRow.workspace == workspace)

    def _mentioning(
        self, table: type[SQLModel], columns: tuple[str, ...], cid: str, needles: list[str]
    ) -> list[Any]:
        matches = [_any_contains(getattr(table, c), needles) for c in columns]
        query = select(table).where(table.collaboration_id == cid, or_(*matches))  # type: ignore[attr-defined]
        return list(self._session.exec(query))

    # -- reading ------------------------------------------------------------------------------

    def _roots(self, ids: set[str], lock: bool = False) -> list[CollaborationRow]:
        """The collaborations ``ids``, by name; with ``lock``, locked (``FOR UPDATE`` on
        PostgreSQL) as a message locks its own, so that none changes while the person is
        erased from it."""
        roots: list[CollaborationRow] = []
        ordered = sorted(ids)
        for start in range(0, len(ordered), _IDS_PER_QUERY):
            chunk = ordered[start : start + _IDS_PER_QUERY]
            query = select(CollaborationRow).where(col(CollaborationRow.id).in_(chunk))
            roots += self._session.exec(query.with_for_update() if lock else query)
        return sorted(roots, key=lambda root: (root.name, root.id))

    def _rows(self, table: type[Any], cid: str, *where: Any) -> list[Any]:
        query = select(table).where(table.collaboration_id == cid, *where)
        return list(self._session.exec(query))

    def _versions(self, answer_ids: list[str]) -> list[AnswerVersionRow]:
        query = (
            select(AnswerVersionRow)
            .where(col(AnswerVersionRow.answer_id).in_(answer_ids))
            .order_by(col(AnswerVersionRow.position))
        )
        return list(self._session.exec(query))


def _fields(row: SQLModel) -> tuple[tuple[str, str], ...]:
    """A row's columns as text, in the table's order; empty and internal ones left out."""
    values = row.model_dump()
    out = []
    for name in type(row).model_fields:
        value = values.get(name)
        if name in _HIDDEN or value is None or value == "":
            continue
        if isinstance(value, datetime | date):
            value = value.isoformat()
        out.append((name, str(value)))
    return tuple(out)


def _count(result: Any) -> int:
    """How many rows an UPDATE or DELETE matched."""
    return int(result.rowcount)


def _whole_word(needle: str, flags: int = 0) -> re.Pattern[str]:
    """``needle`` as a word of its own, or with the genitive's s ("Alis idé")."""
    return re.compile(rf"(?<!\w){re.escape(needle)}s?(?!\w)", flags)


def _naming(needles: Iterable[str]) -> Callable[[str | None], bool]:
    """Whether a text holds any of ``needles`` as a whole word, in any case: the check after
    the database's coarser ``_any_contains``, which finds them inside words too."""
    patterns = [_whole_word(n, re.IGNORECASE) for n in needles]
    return lambda text: text is not None and any(p.search(text) for p in patterns)


def _any_contains(column: Any, needles: Iterable[str]) -> Any:
    return or_(*(column.icontains(n, autoescape=True) for n in needles))


def _scrubber(
    names: list[str], pseudonym: str, user_id: str, pseudonym_id: str
) -> Callable[[str], str]:
    """Replaces the names (longest first, in any case) and the id, each as a whole word, in a
    text: a name is never replaced inside another word ("Ali" in "kvalitet"), only as itself
    or in the genitive ("Alis")."""
    patterns = [(_whole_word(n, re.IGNORECASE), pseudonym) for n in names]
    patterns.append((_whole_word(user_id), pseudonym_id))

    def scrub(text: str) -> str:
        for pattern, replacement in patterns:
            text = pattern.sub(replacement, text)
        return text

    return scrub


def _scrub_json(text: str, scrub: Callable[[str], str]) -> str:
    """Every string in a JSON document, keys left alone, scrubbed."""

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return scrub(value)
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value

    return json.dumps(walk(json.loads(text)), ensure_ascii=False)
