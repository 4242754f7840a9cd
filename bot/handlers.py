"""Handlers of the orders that change a collaboration. Each returns the replies to send."""

from __future__ import annotations

from bot import commands as c
from bot import guidance, views
from bot.context import Context
from bot.domain import (
    Answer,
    Collaboration,
    Decision,
    Member,
    Role,
    RoleAssignment,
    StepStatus,
    new_id,
    validate_text,
)
from bot.errors import (
    AlreadyStartedError,
    StepLockedError,
    UnknownDecisionError,
    UnknownPersonError,
    UnknownQuestionError,
    UsageError,
)
from bot.map import QuestionPlace, fold
from bot.replies import Action, Message, QuestionCard, Reaction, Reply, Section, answer_action
from bot.texts import SECTOR_NAMES, pick
from model_content import Question, Step

COORDINATOR_TITLES = {"samordnare", "processledare", "coordinator", "process leader"}
MAX_NAME_LENGTH = 200


def _say(*lines: str, actions: tuple[Action, ...] = ()) -> list[Reply]:
    return [Message((Section(None, lines),), actions=actions)]


def start_collaboration(cmd: c.StartCollaboration, ctx: Context) -> list[Reply]:
    if ctx.collaboration is not None:
        raise AlreadyStartedError(ctx.collaboration.name)
    name = validate_text(cmd.name)[:MAX_NAME_LENGTH]
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
    return _say(started, actions=(Action(ctx.t("action_next"), "nästa", style="primary"),))


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
    collab = ctx.collab
    collab.cycle += 1
    collab.record(ctx.now, ctx.actor.user_id, "restart", str(collab.cycle))
    for step in ctx.model.steps:
        collab.set_step_status(step.id, StepStatus.NOT_STARTED, ctx.actor.user_id, ctx.now)
    first = ctx.model.process_phases[0].steps[0]
    collab.last_question_id = None
    collab.focus(first.id, ctx.actor.user_id, ctx.now)
    return _focused(ctx, first, ctx.t("restarted", cycle=collab.cycle))


# -- questions and answers ------------------------------------------------------------------------
def _resolve_question(ctx: Context, ref: str) -> QuestionPlace:
    """A question by its number in the focus step, or by its id anywhere in the model."""
    if ref.isdigit():
        in_focus = ctx.model.questions_in_focus(ctx.focus_step())
        if not 1 <= int(ref) <= len(in_focus):
            raise UnknownQuestionError(ref)
        ref = in_focus[int(ref) - 1].id
    place = ctx.model.question(ref)
    if place is None:
        raise UnknownQuestionError(ref)
    return place


def _owner_title(ctx: Context, place: QuestionPlace) -> str:
    return ctx.step_title(place.step) if place.step else ctx.loc(place.phase.title)


def ask_question(cmd: c.AskQuestion, ctx: Context) -> list[Reply]:
    step = ctx.focus_step()
    if cmd.question:
        question: Question | None = _resolve_question(ctx, cmd.question).question
    else:
        question = guidance.next_open_question(ctx.collab, ctx.model.questions_in_focus(step))
    if question is None:
        return _say(ctx.t("all_answered", step=ctx.step_title(step)))
    ctx.collab.last_question_id = question.id
    return [question_card(ctx, question)]


def question_card(ctx: Context, question: Question) -> QuestionCard:
    place = ctx.model.question(question.id)
    assert place is not None  # every question handed in comes from the model
    step = place.step or ctx.focus_step()
    in_focus = ctx.model.questions_in_focus(step)
    following = guidance.next_open_question(ctx.collab, in_focus, after=question.id)
    actions = [answer_action(ctx.t("card_answer"), question.id)]
    if following is not None and following.id != question.id:
        actions.append(Action(ctx.t("card_skip"), f"fråga {following.id}"))
    actions.append(Action(ctx.t("card_tips"), f"tips {step.id}"))
    return QuestionCard(
        collaboration_id=ctx.collab.id,
        question_id=question.id,
        step_title=_owner_title(ctx, place),
        heading=ctx.loc(place.group.heading) if place.group.heading else None,
        question=ctx.loc(question.text),
        position=f"{place.index}/{place.total}",
        hint=ctx.t("card_hint"),
        actions=tuple(actions),
    )


def submit_answer(cmd: c.SubmitAnswer, ctx: Context) -> list[Reply]:
    collab = ctx.collab
    ref = cmd.question or collab.last_question_id
    if ref is None:
        raise UsageError("no_question_asked")
    place = _resolve_question(ctx, ref)
    text = validate_text(cmd.text)
    answer = _new_answer(ctx, ctx.actor, place, text, cmd.source_ref)
    collab.answers.append(answer)
    collab.record(ctx.now, ctx.actor.user_id, "answer", place.question.id)
    if cmd.source_ref is not None:
        return [Reaction()]
    saved = ctx.t(
        "answer_saved",
        name=ctx.actor.display_name,
        position=place.index,
        step=_owner_title(ctx, place),
    )
    return _say(saved, actions=(Action(ctx.t("card_skip"), "fråga"),))


def _new_answer(
    ctx: Context, member: Member, place: QuestionPlace, text: str, ref: str | None
) -> Answer:
    return Answer(
        id=new_id(),
        question_id=place.question.id,
        step_id=place.owner_id,
        author_id=member.user_id,
        author_name=member.display_name,
        organisation=member.organisation,
        text=text,
        created_at=ctx.now,
        updated_at=ctx.now,
        cycle=ctx.collab.cycle,
        source_ref=ref,
    )


def revise_answer(cmd: c.ReviseAnswer, ctx: Context) -> list[Reply]:
    answer = ctx.collab.answer_by_source(cmd.source_ref)
    if answer is None:
        return []  # an edit of a message that was not an answer changes nothing
    text = validate_text(cmd.text)
    if text == answer.text:
        return []
    answer.revise(text, ctx.now)
    ctx.collab.record(ctx.now, ctx.actor.user_id, "answer_revised", answer.question_id)
    return [Reaction()]


# -- decisions, roles, members --------------------------------------------------------------------
def record_decision(cmd: c.RecordDecision, ctx: Context) -> list[Reply]:
    collab, actor = ctx.collab, ctx.actor
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
    confirm = Action(ctx.t("action_confirm"), f"bekräfta {decision.number}", "primary")
    return _say(*lines, actions=(confirm,))


def confirm_decision(cmd: c.ConfirmDecision, ctx: Context) -> list[Reply]:
    decision = ctx.collab.decision(cmd.number)
    if decision is None:
        raise UnknownDecisionError(cmd.number)
    if not decision.confirmed:
        decision.confirmed_by, decision.confirmed_at = ctx.actor.user_id, ctx.now
        ctx.collab.record(ctx.now, ctx.actor.user_id, "decision_confirmed", str(cmd.number))
    return _say(ctx.t("decision_confirmed", number=cmd.number, name=ctx.actor.display_name))


def _resolve_person(ctx: Context, ref: str) -> Member:
    wanted = fold(ref.lstrip("@"))
    for person in ctx.incoming.mentions:
        if wanted in (fold(person.user_id), fold(person.display_name)):
            return ctx.collab.member(person, ctx.now)
    for member in ctx.collab.members.values():
        if wanted in (fold(member.user_id), fold(member.display_name)):
            return member
    if len(ctx.incoming.mentions) == 1:
        return ctx.collab.member(ctx.incoming.mentions[0], ctx.now)
    raise UnknownPersonError(ref)


def assign_role(cmd: c.AssignRole, ctx: Context) -> list[Reply]:
    member = _resolve_person(ctx, cmd.person)
    title = validate_text(cmd.title)[:MAX_NAME_LENGTH]
    collab = ctx.collab
    same = (member.user_id, title)
    collab.roles = [r for r in collab.roles if (r.user_id, r.title) != same]
    collab.roles.append(RoleAssignment(member.user_id, title, ctx.actor.user_id, ctx.now))
    collab.record(ctx.now, ctx.actor.user_id, "role", f"{member.user_id}: {title}")
    if fold(title) in COORDINATOR_TITLES:
        member.role = Role.COORDINATOR
        return _say(ctx.t("coordinator_set", name=member.display_name))
    return _say(ctx.t("role_set", name=member.display_name, title=title))


def join_organisation(cmd: c.JoinOrganisation, ctx: Context) -> list[Reply]:
    member = ctx.actor
    member.organisation = validate_text(cmd.organisation)[:MAX_NAME_LENGTH]
    member.sector = cmd.sector
    ctx.collab.record(ctx.now, member.user_id, "join", f"{member.organisation} ({cmd.sector})")
    sector = pick(SECTOR_NAMES, cmd.sector.value, ctx.language)
    joined = ctx.t(
        "joined", name=member.display_name, organisation=member.organisation, sector=sector
    )
    return _say(joined, actions=(Action(ctx.t("action_next"), "nästa"),))


def set_language(cmd: c.SetLanguage, ctx: Context) -> list[Reply]:
    ctx.collab.language = cmd.language
    ctx.language = "en" if cmd.language == "en" else "sv"
    ctx.collab.record(ctx.now, ctx.actor.user_id, "language", cmd.language)
    return _say(ctx.t("language_set"))
