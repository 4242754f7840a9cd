"""What is stored about one person, to hand to them or to erase (:class:`bot.ports.PersonalData`).

A person is their platform id within one workspace. Their id is found in the columns that
name a person (a member, an author, who confirmed, assigned or changed something), all of them
declared in :mod:`storage.person_columns`; their names in the text columns, where anyone may
have written them. Places outside any collaboration hold them too: the replies kept for an
event, nudges in the outbox, Telegram's button tokens, a Slack installation's installer.
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
from storage.person_columns import PERSON_COLUMNS, TEXT_COLUMNS, Erasing, PersonColumn
from storage.slack_installations import slack_installations
from storage.tables import (
    AnswerRow,
    AnswerVersionRow,
    AuditEntryRow,
    ButtonRow,
    CollaborationRow,
    OutboxRow,
    ProcessedEventRow,
)

# Columns a file for the person leaves out: keys that say nothing to them.
_HIDDEN = {"collaboration_id", "key", "position", "next_answer_position", "source_ref"}
# A name this short is not looked for in text: it would replace parts of other words.
_MIN_NAME = 3
_IDS_PER_QUERY = 500  # collaborations read at once, within any database's parameter limit


def _by_table() -> list[tuple[type[SQLModel], tuple[PersonColumn, ...]]]:
    """The person-columns grouped by table, each table where its first column stands."""
    tables: dict[type[SQLModel], tuple[PersonColumn, ...]] = {}
    for person_column in PERSON_COLUMNS:
        tables[person_column.table] = (*tables.get(person_column.table, ()), person_column)
    return list(tables.items())


class SqlPersonalData:
    """Implements :class:`bot.ports.PersonalData` on the unit of work's session."""

    def __init__(self, session: Session) -> None:
        self._session = session

    # -- what is stored -----------------------------------------------------------------------

    def about(self, platform: str, workspace: str, user_id: str) -> list[StoredAbout]:
        found: list[StoredAbout] = []
        for root in self._roots(self._involved(platform, workspace, user_id)):
            for table, person_columns in _by_table():
                holding = or_(*(c.id_of() == user_id for c in person_columns))
                rows = self._rows(table, person_columns[0].parent_of() == root.id, holding)
                found += self._told(root.name, person_columns[0], rows)
        return found

    def _told(self, name: str, first: PersonColumn, rows: list[Any]) -> list[StoredAbout]:
        """``rows`` of ``first``'s table as the person's file lists them (an answer followed
        by its earlier wordings)."""
        if first.order is not None:
            rows.sort(key=lambda row: getattr(row, str(first.order)))
        told: list[StoredAbout] = []
        for row in rows:
            told.append(StoredAbout(first.kind, name, _fields(row)))
            if first.table is AnswerRow:
                told += (StoredAbout("earlier_wording", name, _fields(version))
                         for version in self._versions([row.id]))  # fmt: skip
        return told

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
        touched = False
        for person_column in PERSON_COLUMNS:
            if person_column.erasing is Erasing.ANSWER:
                touched = self._erase_answers(root, e, scrub, pseudonym) or touched
            else:
                touched = self._erase_column(person_column, root.id, e, pseudonym) or touched
        self._session.flush()
        self._scrub_texts(root.id, scrub, needles)
        return touched

    def _erase_column(
        self, person_column: PersonColumn, cid: str, e: Erasure, pseudonym: str
    ) -> bool:
        """Drops the collaboration's rows that hold the person's id in ``person_column``, or
        gives them the pseudonym; whether there were any."""
        table, where = (
            person_column.table,
            (
                person_column.parent_of() == cid,
                person_column.id_of() == e.user_id,
            ),
        )
        if person_column.erasing is Erasing.DROP:
            statement: Any = delete(table).where(*where)
        else:
            named = {} if person_column.name is None else {person_column.name: pseudonym}
            statement = update(table).where(*where)
            statement = statement.values({person_column.column: e.pseudonym_id, **named})
        result = self._session.execute(statement.execution_options(synchronize_session=False))
        return _count(result) > 0

    def _erase_answers(
        self, root: CollaborationRow, e: Erasure, scrub: Callable[[str], str], pseudonym: str
    ) -> bool:
        """The person's answers get the pseudonym; their text stays (scrubbed) only where the
        collaboration keeps answers as the record, else it and its earlier wordings go."""
        mine = self._rows(AnswerRow, col(AnswerRow.collaboration_id) == root.id,
                          col(AnswerRow.author_id) == e.user_id)  # fmt: skip
        if not mine:
            return False
        removed = e.removed_text.get(root.language) or e.removed_text[e.language]
        if not root.keep_answers:
            self._session.execute(
                delete(AnswerVersionRow)
                .where(col(AnswerVersionRow.answer_id).in_([a.id for a in mine]))
                .execution_options(synchronize_session=False)
            )
        for answer in mine:
            answer.author_id, answer.author_name = e.pseudonym_id, pseudonym
            answer.text = scrub(answer.text) if root.keep_answers else removed
        return True

    def _scrub_texts(self, cid: str, scrub: Callable[[str], str], needles: list[str]) -> None:
        """What anyone wrote that names the person: answers (and their earlier wordings),
        decisions, reasons, the audit trail's details."""
        for table, columns in TEXT_COLUMNS:
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
        for person_column in PERSON_COLUMNS:
            if person_column.name is None:
                continue
            name = getattr(person_column.table, person_column.name)
            query = select(name).distinct().where(person_column.id_of() == e.user_id)
            query = self._in_workspace(query, person_column.table, e.platform, e.workspace)
            found.update(self._session.exec(query).all())
        return sorted({n.strip() for n in found if len(n.strip()) >= _MIN_NAME}, key=len)[::-1]

    def _involved(
        self, platform: str, workspace: str, user_id: str, needles: list[str] | None = None
    ) -> set[str]:
        """The collaborations of the workspace that hold the person's id in a column that
        names a person, or (with ``needles``) any of them in a text: one query a column (a
        table, for texts), however many collaborations the workspace has."""
        found: set[str] = set()

        def look(query: Any, table: Any) -> None:
            found.update(self._session.exec(self._in_workspace(query, table, platform, workspace)))

        for person_column in PERSON_COLUMNS:
            holding = person_column.id_of() == user_id
            look(select(person_column.parent_of()).distinct().where(holding), person_column.table)
        if not needles:
            return found
        for table, columns in TEXT_COLUMNS:
            named = or_(*(_any_contains(getattr(table, c), needles) for c in columns))
            look(select(table.collaboration_id).distinct().where(named), table)
        versions = (
            select(AnswerRow.collaboration_id)
            .distinct()
            .join(AnswerVersionRow, col(AnswerVersionRow.answer_id) == col(AnswerRow.id))
            .where(_any_contains(col(AnswerVersionRow.text), needles))
        )
        look(versions, AnswerRow)
        return found

    @staticmethod
    def _in_workspace(query: Any, table: Any, platform: str, workspace: str) -> Any:
        """``query`` on ``table`` limited to the collaborations of the workspace."""
        if table is not CollaborationRow:
            query = query.join(CollaborationRow, col(CollaborationRow.id) == table.collaboration_id)
        return query.where(
            CollaborationRow.platform == platform, CollaborationRow.workspace == workspace
        )

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

    def _rows(self, table: type[Any], *where: Any) -> list[Any]:
        return list(self._session.exec(select(table).where(*where)))

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
