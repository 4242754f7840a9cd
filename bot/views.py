"""Read-only replies: what comes next, status, summaries, the model's tips, methods, principles."""

from __future__ import annotations

from bot import guidance
from bot.context import Context
from bot.domain import Collaboration, Decision, Sector, StepStatus
from bot.help import help_lines
from bot.member_handlers import members_section
from bot.replies import Action, Message, Section
from bot.texts import SECTOR_PHRASES, STATUS_NAMES, pick
from model_content import Phase, Step

MAX_LISTED_QUESTIONS = 3


def next_actions(ctx: Context) -> tuple[Action, ...]:
    actions = [Action(ctx.t("action_ask"), ctx.command("ask"), style="primary")]
    if ctx.member is not None and ctx.member.is_coordinator:
        actions.append(Action(ctx.t("action_done"), ctx.command("done")))
    return tuple(actions)


def _support_actions(ctx: Context) -> tuple[Action, ...]:
    """What `nästa` leaves out to stay short, one press away."""
    return (
        Action(ctx.t("action_tips"), ctx.command("tips")),
        Action(ctx.t("action_principles"), ctx.command("principles")),
        Action(ctx.t("action_methods"), ctx.command("methods")),
    )


def show_next(ctx: Context) -> Message:
    collab = ctx.collab
    if collab.focus_step_id is None:
        return _finished(ctx)
    step = ctx.focus_step()
    phase = ctx.model.phase_of(step.id)
    sections = [_now_section(ctx, phase, step)]
    shared = guidance.open_questions_of(collab, phase.questions)
    if shared:
        count = ctx.t("phase_questions_count", count=len(shared), command=ctx.command("ask"))
        sections.append(Section(None, (count,)))
    sections.append(_after_section(ctx, step))
    sections += _waiting_decisions(ctx)
    # The step's tips and the phase's principles are a button away: a phone screen is short.
    return Message(tuple(sections), actions=next_actions(ctx) + _support_actions(ctx))


def _waiting_decisions(ctx: Context) -> list[Section]:
    """For a coordinator: the decisions that wait for their confirmation."""
    if ctx.member is None or not ctx.member.is_coordinator:
        return []
    waiting = [d.number for d in ctx.collab.decisions if not d.confirmed and not d.withdrawn]
    if not waiting:
        return []
    numbers = ", ".join(str(n) for n in waiting)
    command = ctx.command("confirm", waiting[0])
    return [Section(None, (ctx.t("decisions_waiting", numbers=numbers, command=command),))]


def _now_section(ctx: Context, phase: Phase, step: Step) -> Section:
    heading = ctx.t(
        "now_heading",
        phase=ctx.loc(phase.title),
        step=ctx.step_title(step),
        cycle=ctx.collab.cycle,
    )
    open_qs = guidance.open_questions(ctx.collab, step)
    lines = [ctx.loc(step.key_question)]
    if not open_qs:
        lines.append(ctx.t("no_open_questions"))
        return Section(heading, tuple(lines))
    lines.append(ctx.t("open_questions", count=len(open_qs), total=len(step.questions)) + ":")
    lines += [f"– {ctx.loc(q.text)}" for q in open_qs[:MAX_LISTED_QUESTIONS]]
    if len(open_qs) > MAX_LISTED_QUESTIONS:
        lines.append(ctx.t("more_questions", count=len(open_qs) - MAX_LISTED_QUESTIONS))
    return Section(heading, tuple(lines))


def _after_section(ctx: Context, step: Step) -> Section:
    suggestion = guidance.suggest_after(ctx.collab, ctx.model, step.id)
    if suggestion.step is None:
        return Section(ctx.t("after_heading"), (ctx.t("after_cycle"),))
    after = suggestion.step
    line = ctx.t(
        "after_next_phase" if suggestion.reason == "after_next_phase" else "after_same_phase",
        step=ctx.step_title(after),
        key=ctx.loc(after.key_question),
        phase=ctx.loc(ctx.model.phase_of(after.id).title),
    )
    lines = [line]
    if ctx.model.phase_of(step.id).is_preconditions:
        lines.append(ctx.t("after_preconditions"))
    return Section(ctx.t("after_heading"), tuple(lines))


def _principle_notes(ctx: Context, phase: Phase) -> tuple[str, ...]:
    """The phase's "Ta stöd i principerna" notes, each led by its principle's name."""
    titles = {p.id: ctx.loc(p.title) for p in ctx.model.model.principles}
    return tuple(f"{titles[n.principle]}: {ctx.loc(n.text)}" for n in phase.principle_notes)


def _finished(ctx: Context) -> Message:
    evaluate = ctx.model.process_phases[-1].steps[-1]
    lines = (ctx.t("all_finished"), ctx.loc(evaluate.key_question))
    return Message((Section(ctx.t("finished_heading"), lines),))


def show_status(ctx: Context) -> Message:
    collab = ctx.collab
    sections = [Section(ctx.t("status_heading", name=collab.name, cycle=collab.cycle))]
    for phase in ctx.model.phases:
        lines = tuple(_step_line(ctx, step) for step in phase.steps)
        sections.append(Section(ctx.loc(phase.title), lines))
    sections.append(members_section(ctx))
    standing = [d for d in collab.decisions if not d.withdrawn]
    unconfirmed = sum(1 for d in standing if not d.confirmed)
    notes = [ctx.t("decisions_line", count=len(standing), unconfirmed=unconfirmed)]
    notes += _balance_notes(ctx, collab)
    sections.append(Section(None, tuple(notes)))
    return Message(tuple(sections), actions=(Action(ctx.t("action_next"), ctx.command("next")),))


def _step_line(ctx: Context, step: Step) -> str:
    state = ctx.collab.steps.get(step.id)
    status = state.status if state else StepStatus.NOT_STARTED
    focus = " ◀" if ctx.collab.focus_step_id == step.id else ""
    line = ctx.t(
        "step_line",
        icon=guidance.status_icon(status),
        step=ctx.step_title(step),
        answered=guidance.answered_count(ctx.collab, step),
        total=len(step.questions),
    )
    return f"{line} · {pick(STATUS_NAMES, status.value, ctx.language)}{focus}"


def _balance_notes(ctx: Context, collab: Collaboration) -> list[str]:
    """Warnings about a known failure mode: one side only."""
    notes = []
    sectors = {m.sector for m in collab.members.values() if m.sector}
    if sectors:
        for needed in (Sector.PUBLIC, Sector.CIVIL_SOCIETY):
            if needed not in sectors:
                sector = pick(SECTOR_PHRASES, needed.value, ctx.language)
                notes.append(ctx.t("balance_missing", sector=sector))
    return notes  # who is heard: bot.balance, for the coordinators


def show_summary(ctx: Context, step_name: str | None) -> Message:
    step = ctx.step_or_focus(step_name)
    heading = ctx.t("summary_heading", step=ctx.step_title(step), cycle=ctx.collab.cycle)
    sections = [Section(heading)]
    for number, question in enumerate(ctx.model.questions_in_focus(step), start=1):
        answers = ctx.collab.answers_to(question.id)
        lines = tuple(
            ctx.t(
                "answer_line",
                name=a.author_name,
                organisation=a.organisation or ctx.t("no_organisation"),
                text=a.text,
            )
            for a in answers
        ) or (ctx.t("no_answer_yet"),)
        heading = f"{number}. {ctx.loc(question.text)}"
        sections.append(Section(heading, lines, bullets=True, verbatim=True))
    sections.append(Section(None, (ctx.t("summary_hint"),)))
    return Message(tuple(sections))


def show_tips(ctx: Context, step_name: str | None) -> Message:
    step = ctx.step_or_focus(step_name)
    phase = ctx.model.phase_of(step.id)
    tips = tuple(ctx.loc(t) for t in (*step.tips, *phase.tips))
    heading = ctx.t("tips_heading", step=ctx.step_title(step))
    return Message((Section(heading, tips, bullets=True, verbatim=True), _source(ctx)))


def show_methods(ctx: Context, step_name: str | None) -> Message:
    step = ctx.step_or_focus(step_name)
    methods = step.methods or ctx.model.phase_of(step.id).methods
    heading = ctx.t("methods_heading", step=ctx.step_title(step))
    if not methods:
        return Message((Section(heading, (ctx.t("no_methods"),)),))
    sections = [Section(heading)]
    for method in methods:
        lines = (ctx.loc(method.text), *method.links)
        sections.append(Section(ctx.loc(method.title), lines, verbatim=True))
    sections.append(_source(ctx))
    return Message(tuple(sections))


def show_principles(ctx: Context) -> Message:
    principles = ctx.model.model.principles
    lines = tuple(f"{ctx.loc(p.title)}: {ctx.loc(p.description)}" for p in principles)
    sections = [Section(ctx.t("principles_all"), lines, bullets=True, verbatim=True)]
    if ctx.collaboration is not None and ctx.collaboration.focus_step_id:
        phase = ctx.model.phase_of(ctx.collaboration.focus_step_id)
        notes = _principle_notes(ctx, phase)
        if notes:
            heading = f"{ctx.t('principles_heading')} – {ctx.loc(phase.title)}"
            sections.append(Section(heading, notes, bullets=True, verbatim=True))
    sections.append(_source(ctx))
    return Message(tuple(sections))


def _source(ctx: Context) -> Section:
    return Section(None, (ctx.t("source", source=ctx.loc(ctx.model.model.source)),))


def show_help(ctx: Context) -> Message:
    lines = help_lines(
        ctx.language, ctx.t("help_intro"), ctx.t("help_everyone"), ctx.t("help_coordinators")
    )
    return Message((Section(None, lines),))


def list_decisions(ctx: Context) -> Message:
    """Every decision with its state (open, confirmed, withdrawn) and review date."""
    decisions = ctx.collab.decisions
    if not decisions:
        return Message((Section(None, (ctx.t("no_decisions"),)),))
    lines = tuple(_decision_line(ctx, d) for d in sorted(decisions, key=lambda d: d.number))
    return Message((Section(ctx.t("decisions_heading"), lines, bullets=True, verbatim=True),))


def _decision_line(ctx: Context, decision: Decision) -> str:
    if decision.withdrawn:
        state = ctx.t("decision_state_withdrawn")
    elif decision.confirmed:
        state = ctx.t("decision_state_confirmed")
    else:
        state = ctx.t("decision_state_open")
    line = f"{decision.number}. {decision.text} ({state}"
    if decision.review_on is not None:
        line += ", " + ctx.t("export_review", date=decision.review_on.isoformat())
    return line + ")"
