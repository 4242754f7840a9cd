"""Handlers of the orders that change a collaboration. Each returns the replies to send."""

from __future__ import annotations

from bot import commands as c
from bot import guidance, views
from bot.context import Context
from bot.domain import Collaboration, Decision, Role, StepStatus, new_id, validate_text
from bot.errors import (
    AlreadyStartedError,
    NotCoordinatorError,
    NotJoinedError,
    StepLockedError,
    UnknownDecisionError,
)
from bot.replies import Action, Message, Reply, Section
from model_content import Step

MAX_NAME_LENGTH = 200


def _say(*lines: str, actions: tuple[Action, ...] = ()) -> list[Reply]:
    return [Message((Section(None, lines),), actions=actions)]


def start_collaboration(cmd: c.StartCollaboration, ctx: Context) -> list[Reply]:
    if ctx.collaboration is not None:
        raise AlreadyStartedError(ctx.collaboration.name)
    name = validate_text(cmd.name, MAX_NAME_LENGTH)
    collab = Collaboration(
        id=new_id(),
        channel=ctx.incoming.channel,
        name=name,
        # The configured language, not the word's: Telegram's commands are always English.
        language=ctx.default_language,
        timezone=ctx.default_timezone,
        created_at=ctx.now,
        created_by=ctx.person.user_id,
    )
    member = collab.member(ctx.person, ctx.now)
    member.role = Role.COORDINATOR
    collab.record(ctx.now, ctx.person.user_id, "started", name)
    first = ctx.model.first_step
    collab.focus(first.id, ctx.person.user_id, ctx.now)
    ctx.uow.collaborations.add(collab)
    ctx.collaboration, ctx.member, ctx.language = collab, member, ctx.default_language
    started = ctx.t("started", name=name, step=ctx.step_title(first))
    next_ = Action(ctx.t("action_next"), ctx.command("next"), style="primary")
    return _say(started, actions=(next_,))


def focus_step(cmd: c.FocusStep, ctx: Context) -> list[Reply]:
    step = ctx.model.find_step(cmd.step)
    blocking = guidance.locked_by(ctx.collab, ctx.model, step.id)
    if blocking:
        raise StepLockedError(step.id, [s.id for s in blocking])
    ctx.collab.focus(step.id, ctx.actor.user_id, ctx.now)
    return _focused(ctx, step)


def _focused(ctx: Context, step: Step, *before: str) -> list[Reply]:
    line = ctx.t("focused", step=ctx.step_title(step), key=ctx.loc(step.key_question))
    intro = Section(None, (ctx.loc(step.intro),), verbatim=True)
    hint = Section(None, (ctx.t("focus_hint"),))
    sections = (Section(None, (*before, line)), intro, hint)
    return [Message(sections, actions=views.next_actions(ctx))]


def complete_step(cmd: c.CompleteStep, ctx: Context) -> list[Reply]:
    return _close_focus(ctx, StepStatus.DONE, "completed")


def skip_step(cmd: c.SkipStep, ctx: Context) -> list[Reply]:
    return _close_focus(ctx, StepStatus.SKIPPED, "skipped")


def _close_focus(ctx: Context, status: StepStatus, said: str) -> list[Reply]:
    step = ctx.focus_step()
    collab = ctx.collab
    collab.set_step_status(step.id, status, ctx.actor.user_id, ctx.now)
    closed = ctx.t(said, step=ctx.step_title(step))
    suggestion = guidance.suggest_after(collab, ctx.model, step.id)
    if suggestion.step is None:
        collab.focus_step_id = None
        collab.record(ctx.now, ctx.actor.user_id, "focus", "")
        return _say(closed, ctx.t("all_finished"))
    collab.focus(suggestion.step.id, ctx.actor.user_id, ctx.now)
    return _focused(ctx, suggestion.step, closed)


def restart_cycle(cmd: c.RestartCycle, ctx: Context) -> list[Reply]:
    """A new round, once asked and confirmed; not while the round has barely begun."""
    collab = ctx.collab
    done = [s for s in ctx.model.steps if guidance.is_finished(collab, s.id)]
    if not done and not collab.answers.in_cycle(collab.cycle):
        return _say(ctx.t("restart_nothing", cycle=collab.cycle))
    if not cmd.confirmed:
        question = ctx.t("restart_question", cycle=collab.cycle, next=collab.cycle + 1)
        confirm = ctx.command("restart", "yes" if ctx.language == "en" else "ja")
        hint = ctx.t("confirm_hint", command=confirm)
        label = ctx.t("action_restart", cycle=collab.cycle + 1)
        return [Message((Section(None, (question, hint)),), (Action(label, confirm, "danger"),))]
    collab.cycle += 1
    collab.record(ctx.now, ctx.actor.user_id, "restart", str(collab.cycle))
    for step in ctx.model.steps:
        collab.set_step_status(step.id, StepStatus.NOT_STARTED, ctx.actor.user_id, ctx.now)
    first = ctx.model.process_phases[0].steps[0]
    collab.last_question_id = None
    collab.focus(first.id, ctx.actor.user_id, ctx.now)
    return _focused(ctx, first, ctx.t("restarted", cycle=collab.cycle))


# -- decisions, roles, members --------------------------------------------------------------------
def record_decision(cmd: c.RecordDecision, ctx: Context) -> list[Reply]:
    collab, actor = ctx.collab, ctx.actor
    if not actor.organisation and not actor.is_coordinator:
        raise NotJoinedError()
    ctx.not_past(cmd.review_on)
    decision = Decision(
        id=new_id(),
        number=collab.next_decision_number(),
        text=validate_text(cmd.text),
        author_id=actor.user_id,
        author_name=actor.display_name,
        created_at=ctx.now,
        step_id=collab.focus_step_id,
        review_on=cmd.review_on,
    )
    if actor.is_coordinator:
        decision.confirmed_by, decision.confirmed_at = actor.user_id, ctx.now
    collab.decisions.append(decision)
    collab.record(ctx.now, actor.user_id, "decision", str(decision.number))
    lines = [ctx.t("decision_recorded", number=decision.number)]
    if decision.review_on:
        lines.append(ctx.t("decision_review", date=decision.review_on.isoformat()))
    if decision.confirmed:
        return _say(*lines)
    names = ctx.names([m.user_id for m in collab.coordinators])
    lines.append(ctx.t("decision_needs_confirmation", names=names, number=decision.number))
    confirm = Action(ctx.t("action_confirm"), ctx.command("confirm", decision.number), "primary")
    return _say(*lines, actions=(confirm,))


def _changeable(ctx: Context, number: int) -> Decision:
    """Decision ``number``, if the actor may change it (its author or a coordinator)."""
    decision = ctx.collab.decision(number)
    if decision is None or decision.withdrawn:
        raise UnknownDecisionError(number)
    if decision.author_id != ctx.actor.user_id and not ctx.actor.is_coordinator:
        raise NotCoordinatorError([m.display_name for m in ctx.collab.coordinators])
    return decision


def withdraw_decision(cmd: c.WithdrawDecision, ctx: Context) -> list[Reply]:
    decision = _changeable(ctx, cmd.number)
    reason = validate_text(cmd.reason, MAX_NAME_LENGTH)
    decision.withdrawn_at, decision.withdrawn_reason = ctx.now, reason
    ctx.collab.record(ctx.now, ctx.actor.user_id, "decision_withdrawn", f"{cmd.number}: {reason}")
    return _say(ctx.t("decision_withdrawn", number=cmd.number, reason=reason))


def amend_decision(cmd: c.AmendDecision, ctx: Context) -> list[Reply]:
    """The new wording becomes a decision of its own; the old one is withdrawn, naming it."""
    old = _changeable(ctx, cmd.number)
    review = old.review_on if old.review_on and old.review_on >= ctx.today else None
    replies = record_decision(c.RecordDecision(cmd.text, review), ctx)
    new = ctx.collab.decisions[-1]
    reason = ctx.t("decision_amended_reason", number=new.number)
    old.withdrawn_at, old.withdrawn_reason = ctx.now, reason
    ctx.collab.record(
        ctx.now, ctx.actor.user_id, "decision_amended", f"{old.number} -> {new.number}"
    )
    said = ctx.t("decision_amended", old=old.number, number=new.number)
    return [*_say(said), *replies]


def confirm_decision(cmd: c.ConfirmDecision, ctx: Context) -> list[Reply]:
    decision = ctx.collab.decision(cmd.number)
    if decision is None or decision.withdrawn:
        raise UnknownDecisionError(cmd.number)
    if not decision.confirmed:
        decision.confirmed_by, decision.confirmed_at = ctx.actor.user_id, ctx.now
        ctx.collab.record(ctx.now, ctx.actor.user_id, "decision_confirmed", str(cmd.number))
    return _say(ctx.t("decision_confirmed", number=cmd.number, name=ctx.actor.display_name))


def set_language(cmd: c.SetLanguage, ctx: Context) -> list[Reply]:
    ctx.collab.language = cmd.language
    ctx.language = "en" if cmd.language == "en" else "sv"
    ctx.collab.record(ctx.now, ctx.actor.user_id, "language", cmd.language)
    return _say(ctx.t("language_set"))
