"""The collaboration's record as a document to file (diarieföra), in its own language.

A cover with the facts an archive asks for, the model's map and every step's state, every
question of the model quoted verbatim with the answers under it (who, for which organisation,
when, and what an edited answer said before), decisions with who proposed and confirmed them,
roles, check-ins and reminders, and on every page the credit to MUCF.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from bot.context import Context
from bot.document import (
    AnswerBlock,
    Block,
    Document,
    Fact,
    Facts,
    Figure,
    Heading,
    Items,
    PageBreak,
    Paragraph,
    QuestionBlock,
    Version,
)
from bot.domain import Answer, Collaboration, Decision, Member
from bot.picture import answered_in, answered_questions, local_now, model_picture, tile_state
from bot.schedule import next_checkin
from bot.texts import NUDGE_NAMES, SECTOR_NAMES, TILE_STATE_NAMES, pick
from model_content import Question, Step


def record_document(ctx: Context) -> Document:
    """The whole record of the collaboration in context."""
    list(ctx.collab.answers)  # every answer read in one go; what follows asks the memory
    blocks = [
        *_cover(ctx),
        *_map_part(ctx),
        PageBreak(),
        *_answers_part(ctx),
        *_decisions_part(ctx),
        *_roles_part(ctx),
        *_schedule_part(ctx),
    ]
    return Document(
        title=ctx.collab.name,
        language=ctx.language,
        subject=ctx.t("record_subtitle"),
        author=ctx.t("record_author"),
        credit=ctx.t("record_credit"),
        page_label=ctx.t("record_page", page="{page}", pages="{pages}"),
        blocks=tuple(blocks),
    )


# -- cover ----------------------------------------------------------------------------------------
def _cover(ctx: Context) -> list[Block]:
    collab = ctx.collab
    now = local_now(ctx)
    exported = ctx.t(
        "record_when", date=now.date().isoformat(), time=now.strftime("%H:%M"), zone=collab.timezone
    )
    start = collab.created_at.astimezone(now.tzinfo).date().isoformat()
    rows = [Fact(ctx.t("record_case_number"), collab.case_number)] if collab.case_number else []
    rows += [
        Fact(ctx.t("record_exported"), exported),
        Fact(ctx.t("record_period"), f"{start} – {now.date().isoformat()}"),
        Fact(ctx.t("record_rounds"), _rounds(ctx, collab.cycle)),
        Fact(ctx.t("record_coordinators"), _people(ctx, collab.coordinators)),
        Fact(ctx.t("record_evaluation"), _date_or_unset(ctx, collab.evaluation_on)),
    ]
    return [
        Heading(collab.name, 1),
        Paragraph(ctx.t("record_subtitle")),
        Facts(tuple(rows)),
        Heading(ctx.t("export_members"), 2),
        Items(_partners(ctx, collab)),
    ]


def _rounds(ctx: Context, cycle: int) -> str:
    return str(cycle) if cycle == 1 else ctx.t("record_rounds_many", cycle=cycle)


def _date_or_unset(ctx: Context, value: date | None) -> str:
    return ctx.t("record_not_set") if value is None else value.isoformat()


def _organisation(ctx: Context, member: Member | None) -> str:
    if member is None or not member.organisation:
        return ctx.t("no_organisation")
    return member.organisation


def _people(ctx: Context, members: Iterable[Member]) -> str:
    named = [f"{m.display_name} ({_organisation(ctx, m)})" for m in members]
    return ", ".join(named) or "–"


def _partners(ctx: Context, collab: Collaboration) -> tuple[str, ...]:
    """One line an organisation: its sector and its representatives."""
    by_org: dict[tuple[str, str], list[str]] = {}
    for member in collab.members.values():
        sector = pick(SECTOR_NAMES, member.sector.value, ctx.language) if member.sector else "–"
        by_org.setdefault((_organisation(ctx, member), sector), []).append(member.display_name)
    return tuple(
        f"{org} ({sector}): {', '.join(names)}" for (org, sector), names in sorted(by_org.items())
    )


# -- the map and each step's state ----------------------------------------------------------------
def _map_part(ctx: Context) -> list[Block]:
    lines = []
    answered = answered_questions(ctx.collab)
    for phase in ctx.model.phases:
        for step in phase.steps:
            lines.append(f"{ctx.loc(phase.title)} – {_step_state_line(ctx, step, answered)}")
    return [
        Heading(ctx.t("record_map_heading"), 2),
        Figure(model_picture(ctx)),
        Items(tuple(lines)),
    ]


def _step_state_line(ctx: Context, step: Step, answered_ids: set[str]) -> str:
    state = pick(TILE_STATE_NAMES, tile_state(ctx.collab, step.id), ctx.language)
    answered = answered_in(step, answered_ids)
    return f"{ctx.step_title(step)}: {state}, {answered}/{len(step.questions)}"


# -- questions and answers ------------------------------------------------------------------------
def _answers_part(ctx: Context) -> list[Block]:
    by_question: dict[str, list[Answer]] = {}
    for answer in ctx.collab.answers:  # every round, in the order given
        by_question.setdefault(answer.question_id, []).append(answer)
    blocks: list[Block] = [Heading(ctx.t("record_answers_heading"), 1)]
    answered_ids = answered_questions(ctx.collab)
    for phase in ctx.model.phases:
        blocks.append(Heading(ctx.loc(phase.title), 2))
        if phase.questions:
            blocks.append(Paragraph(ctx.t("record_phase_questions"), quiet=True))
            blocks += _questions(ctx, phase.questions, by_question)
        for step in phase.steps:
            state = pick(TILE_STATE_NAMES, tile_state(ctx.collab, step.id), ctx.language)
            answered = answered_in(step, answered_ids)
            line = ctx.t(
                "record_step_state", state=state, answered=answered, questions=len(step.questions)
            )
            blocks += [Heading(ctx.step_title(step), 3), Paragraph(line, quiet=True)]
            blocks += _questions(ctx, step.questions, by_question)
    return blocks


def _questions(
    ctx: Context, questions: tuple[Question, ...], by_question: dict[str, list[Answer]]
) -> list[Block]:
    blocks: list[Block] = []
    for question in questions:
        blocks.append(QuestionBlock(ctx.loc(question.text)))
        answers = by_question.get(question.id, [])
        if not answers:
            blocks.append(Paragraph(ctx.t("record_no_answers"), quiet=True))
        blocks += [_answer(ctx, answer) for answer in answers]
    return blocks


def _answer(ctx: Context, answer: Answer) -> AnswerBlock:
    earlier = tuple(
        Version(_day(ctx, version.at), version.text) for version in reversed(answer.history)
    )
    return AnswerBlock(
        byline=_byline(ctx, answer),
        text=answer.text,
        earlier_label=ctx.t("export_history") if earlier else "",
        earlier=earlier,
    )


def _byline(ctx: Context, answer: Answer) -> str:
    organisation = answer.organisation or ctx.t("no_organisation")
    line = ctx.t(
        "record_byline",
        name=answer.author_name,
        organisation=organisation,
        date=_day(ctx, answer.updated_at),
    )
    if ctx.collab.cycle > 1:
        line += " · " + ctx.t("record_round", cycle=answer.cycle)
    if answer.withdrawn_at is not None:
        line += " · " + ctx.t("export_answer_withdrawn", date=_day(ctx, answer.withdrawn_at))
    return line


def _day(ctx: Context, instant: datetime) -> str:
    return instant.astimezone(local_now(ctx).tzinfo).date().isoformat()


# -- decisions, roles, check-ins ------------------------------------------------------------------
def _decisions_part(ctx: Context) -> list[Block]:
    decisions = ctx.collab.decisions
    blocks: list[Block] = [Heading(ctx.t("export_decisions"), 1)]
    if not decisions:
        return [*blocks, Paragraph(ctx.t("record_no_decisions"), quiet=True)]
    for decision in decisions:
        heading = Heading(ctx.t("record_decision", number=decision.number), 3)
        blocks += [heading, Paragraph(decision.text), _decision_note(ctx, decision)]
    return blocks


def _name(ctx: Context, user_id: str, fallback: str = "") -> str:
    member = ctx.collab.members.get(user_id)
    if member is None:
        return fallback or user_id
    return f"{member.display_name} ({_organisation(ctx, member)})"


def _decision_note(ctx: Context, decision: Decision) -> Paragraph:
    parts = [
        ctx.t(
            "record_proposed",
            name=_name(ctx, decision.author_id, decision.author_name),
            date=_day(ctx, decision.created_at),
        )
    ]
    if decision.withdrawn_at is not None:
        withdrawn = _day(ctx, decision.withdrawn_at)
        reason = decision.withdrawn_reason or ""
        parts.append(ctx.t("export_withdrawn", date=withdrawn, reason=reason))
    elif decision.confirmed_by is not None and decision.confirmed_at is not None:
        name = _name(ctx, decision.confirmed_by)
        parts.append(ctx.t("record_confirmed", name=name, date=_day(ctx, decision.confirmed_at)))
    else:
        parts.append(ctx.t("export_unconfirmed"))
    if decision.review_on is not None:
        # What became of it: withdrawn (the reason says why, or which decision replaced it),
        # or still standing once the date has passed.
        passed = decision.review_on < local_now(ctx).date()
        if decision.withdrawn_at is not None:
            key = "record_review_withdrawn"
        else:
            key = "record_review_passed" if passed else "record_review_ahead"
        parts.append(ctx.t(key, date=decision.review_on.isoformat()))
    return Paragraph(" · ".join(parts), quiet=True)


def _roles_part(ctx: Context) -> list[Block]:
    roles = ctx.collab.roles
    blocks: list[Block] = [Heading(ctx.t("export_roles"), 1)]
    if not roles:
        return [*blocks, Paragraph(ctx.t("record_no_roles"), quiet=True)]
    lines = []
    for role in roles:
        member = ctx.collab.members.get(role.user_id)
        lines.append(
            ctx.t(
                "record_role",
                name=member.display_name if member else role.user_id,
                organisation=_organisation(ctx, member),
                role=role.title,
                date=_day(ctx, role.assigned_at),
            )
        )
    return [*blocks, Items(tuple(lines))]


def _schedule_part(ctx: Context) -> list[Block]:
    collab = ctx.collab
    lines = []
    if collab.checkin is not None:
        when = next_checkin(collab.checkin, ctx.now, ctx.calendar).astimezone(local_now(ctx).tzinfo)
        lines.append(ctx.t("record_checkin_next", when=when.strftime("%Y-%m-%d %H:%M")))
    else:
        lines.append(ctx.t("record_no_checkin"))
    if collab.evaluation_on is not None:
        lines.append(ctx.t("record_evaluation_on", date=collab.evaluation_on.isoformat()))
    else:
        lines.append(ctx.t("record_no_evaluation"))
    if collab.reminders_paused:
        lines.append(ctx.t("record_reminders_off"))
    return [
        Heading(ctx.t("record_schedule_heading"), 1),
        Items(tuple(lines)),
        *_sent_part(ctx),
    ]


def _nudge_name(ctx: Context, kind: str) -> str:
    return pick(NUDGE_NAMES, kind, ctx.language) if kind in NUDGE_NAMES else kind


def _sent_part(ctx: Context) -> list[Block]:
    """The check-ins and reminders that went out (the outbox keeps them 30 days)."""
    sent = ctx.uow.collaborations.nudges_sent(ctx.collab.id)
    blocks: list[Block] = [Heading(ctx.t("record_sent_heading"), 2)]
    if not sent:
        return [*blocks, Paragraph(ctx.t("record_none_sent"), quiet=True)]
    zone = local_now(ctx).tzinfo
    lines = tuple(
        f"{n.sent_at.astimezone(zone).strftime('%Y-%m-%d %H:%M')} · {_nudge_name(ctx, n.kind)}"
        for n in sent
    )
    return [*blocks, Paragraph(ctx.t("record_sent_kept"), quiet=True), Items(lines)]
