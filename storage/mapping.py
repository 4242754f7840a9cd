"""Translation between the aggregate's dataclasses and table rows, with no session in sight.

``*_values`` functions give the column values a domain object should have in its row (the
repository inserts or updates with them); ``*_from_row`` functions build the domain object back.
Enums travel as their string values.
"""

from __future__ import annotations

from datetime import time
from typing import Any

from bot.cadence import Cadence
from bot.domain import (
    Answer,
    AnswerVersion,
    AuditEntry,
    ChannelRef,
    Collaboration,
    Decision,
    Member,
    MessageKey,
    PostedCard,
    Role,
    RoleAssignment,
    Sector,
    StepState,
    StepStatus,
)
from storage.tables import (
    AnswerRow,
    AnswerVersionRow,
    AuditEntryRow,
    CollaborationRow,
    DecisionRow,
    MemberRow,
    MessageCountRow,
    PostedCardRow,
    RoleAssignmentRow,
    StepStateRow,
)

Values = dict[str, Any]


def collaboration_values(c: Collaboration) -> Values:
    return {
        "id": c.id,
        "platform": c.channel.platform,
        "workspace": c.channel.workspace,
        "channel": c.channel.channel,
        "name": c.name,
        "language": c.language,
        "timezone": c.timezone,
        "created_at": c.created_at,
        "created_by": c.created_by,
        "cycle": c.cycle,
        "focus_step_id": c.focus_step_id,
        "last_question_id": c.last_question_id,
        **_cadence_values(c.checkin),
        "evaluation_on": c.evaluation_on,
        "reminders_paused": c.reminders_paused,
        "nonresponder_reminders": c.nonresponder_reminders,
        "nonresponder_days": c.nonresponder_days,
        "quiet_july": c.quiet_july,
        "case_number": c.case_number,
        "keep_answers": c.keep_answers,
        "nudged_until": c.nudged_until,
        "next_nudge_at": c.next_nudge_at,
        "active_at": c.active_at,
    }


def _cadence_values(cadence: Cadence | None) -> Values:
    if cadence is None:
        return dict.fromkeys(
            ("checkin_weekday", "checkin_time", "checkin_every_weeks", "checkin_anchor")
        )
    return {
        "checkin_weekday": cadence.weekday,
        "checkin_time": cadence.at.strftime("%H:%M"),
        "checkin_every_weeks": cadence.every_weeks,
        "checkin_anchor": cadence.anchor,
    }


def _cadence_from_row(row: CollaborationRow) -> Cadence | None:
    if row.checkin_weekday is None or row.checkin_time is None or row.checkin_anchor is None:
        return None
    at = time.fromisoformat(row.checkin_time)
    every = row.checkin_every_weeks or 1
    return Cadence(row.checkin_weekday, at, every, row.timezone, row.checkin_anchor)


def collaboration_from_row(row: CollaborationRow) -> Collaboration:
    """The aggregate root with empty child collections; the repository fills them."""
    return Collaboration(
        id=row.id,
        channel=ChannelRef(row.platform, row.workspace, row.channel),
        name=row.name,
        language=row.language,
        timezone=row.timezone,
        created_at=row.created_at,
        created_by=row.created_by,
        cycle=row.cycle,
        focus_step_id=row.focus_step_id,
        last_question_id=row.last_question_id,
        checkin=_cadence_from_row(row),
        evaluation_on=row.evaluation_on,
        reminders_paused=row.reminders_paused,
        nonresponder_reminders=row.nonresponder_reminders,
        nonresponder_days=row.nonresponder_days,
        quiet_july=row.quiet_july,
        case_number=row.case_number,
        keep_answers=row.keep_answers,
        nudged_until=row.nudged_until,
        next_nudge_at=row.next_nudge_at,
        active_at=row.active_at,
    )


def member_values(collaboration_id: str, m: Member) -> Values:
    return {
        "collaboration_id": collaboration_id,
        "user_id": m.user_id,
        "display_name": m.display_name,
        "role": m.role.value,
        "organisation": m.organisation,
        "sector": None if m.sector is None else m.sector.value,
        "joined_at": m.joined_at,
        "paused_until": m.paused_until,
    }


def member_from_row(row: MemberRow) -> Member:
    return Member(
        user_id=row.user_id,
        display_name=row.display_name,
        role=Role(row.role),
        organisation=row.organisation,
        sector=None if row.sector is None else Sector(row.sector),
        joined_at=row.joined_at,
        paused_until=row.paused_until,
    )


def step_values(collaboration_id: str, s: StepState) -> Values:
    return {
        "collaboration_id": collaboration_id,
        "step_id": s.step_id,
        "status": s.status.value,
        "changed_at": s.changed_at,
        "changed_by": s.changed_by,
    }


def step_from_row(row: StepStateRow) -> StepState:
    return StepState(row.step_id, StepStatus(row.status), row.changed_at, row.changed_by)


def answer_values(collaboration_id: str, position: int, a: Answer) -> Values:
    return {
        "id": a.id,
        "collaboration_id": collaboration_id,
        "position": position,
        "question_id": a.question_id,
        "step_id": a.step_id,
        "author_id": a.author_id,
        "author_name": a.author_name,
        "organisation": a.organisation,
        "text": a.text,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
        "cycle": a.cycle,
        "source_ref": a.source_ref,
        "withdrawn_at": a.withdrawn_at,
    }


def answer_from_row(row: AnswerRow, versions: list[AnswerVersionRow]) -> Answer:
    """``versions`` must be in position order."""
    return Answer(
        id=row.id,
        question_id=row.question_id,
        step_id=row.step_id,
        author_id=row.author_id,
        author_name=row.author_name,
        organisation=row.organisation,
        text=row.text,
        created_at=row.created_at,
        updated_at=row.updated_at,
        cycle=row.cycle,
        source_ref=row.source_ref,
        history=[AnswerVersion(v.text, v.at) for v in versions],
        withdrawn_at=row.withdrawn_at,
    )


def version_row(answer_id: str, position: int, v: AnswerVersion) -> AnswerVersionRow:
    return AnswerVersionRow(answer_id=answer_id, position=position, text=v.text, at=v.at)


def decision_values(collaboration_id: str, position: int, d: Decision) -> Values:
    return {
        "id": d.id,
        "collaboration_id": collaboration_id,
        "position": position,
        "number": d.number,
        "text": d.text,
        "author_id": d.author_id,
        "author_name": d.author_name,
        "created_at": d.created_at,
        "step_id": d.step_id,
        "review_on": d.review_on,
        "confirmed_by": d.confirmed_by,
        "confirmed_at": d.confirmed_at,
        "withdrawn_at": d.withdrawn_at,
        "withdrawn_reason": d.withdrawn_reason,
    }


def decision_from_row(row: DecisionRow) -> Decision:
    return Decision(
        id=row.id,
        number=row.number,
        text=row.text,
        author_id=row.author_id,
        author_name=row.author_name,
        created_at=row.created_at,
        step_id=row.step_id,
        review_on=row.review_on,
        confirmed_by=row.confirmed_by,
        confirmed_at=row.confirmed_at,
        withdrawn_at=row.withdrawn_at,
        withdrawn_reason=row.withdrawn_reason,
    )


def role_values(collaboration_id: str, position: int, r: RoleAssignment) -> Values:
    return {
        "collaboration_id": collaboration_id,
        "position": position,
        "user_id": r.user_id,
        "title": r.title,
        "assigned_by": r.assigned_by,
        "assigned_at": r.assigned_at,
    }


def role_from_row(row: RoleAssignmentRow) -> RoleAssignment:
    return RoleAssignment(row.user_id, row.title, row.assigned_by, row.assigned_at)


def audit_values(collaboration_id: str, e: AuditEntry) -> dict[str, Any]:
    return {
        "collaboration_id": collaboration_id,
        "at": e.at,
        "actor_id": e.actor_id,
        "action": e.action,
        "detail": e.detail,
    }


def audit_from_row(row: AuditEntryRow) -> AuditEntry:
    return AuditEntry(row.at, row.actor_id, row.action, row.detail)


def card_values(collaboration_id: str, position: int, c: PostedCard) -> Values:
    return {
        "collaboration_id": collaboration_id,
        "message_ref": c.message_ref,
        "position": position,
        "question_id": c.question_id,
        "posted_at": c.posted_at,
    }


def card_from_row(row: PostedCardRow) -> PostedCard:
    return PostedCard(row.message_ref, row.question_id, row.posted_at)


def message_count_values(collaboration_id: str, key: MessageKey, count: int) -> Values:
    return {
        "collaboration_id": collaboration_id,
        "cycle": key.cycle,
        "step_id": key.step_id,
        "user_id": key.user_id,
        "count": count,
    }


def message_count_from_row(row: MessageCountRow) -> tuple[MessageKey, int]:
    return MessageKey(row.cycle, row.step_id, row.user_id), row.count
