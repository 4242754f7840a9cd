"""Handlers of questions and answers: a question card, an answer, an answer changed or withdrawn.

What a person wrote is stored as they wrote it. Where the start of an answer may name a question
or be part of the answer, the bot files it where it can only mean one thing and says which
question that is, quoting it.
"""

from __future__ import annotations

from bot import commands as c
from bot import guidance
from bot.context import Context
from bot.domain import Answer, Member, new_id, validate_text
from bot.errors import UnknownQuestionError, UnknownStepError, UsageError
from bot.map import QuestionPlace
from bot.replies import Action, Message, QuestionCard, Reaction, Reply, Section, answer_action
from model_content import Question


def _say(*lines: str, actions: tuple[Action, ...] = ()) -> list[Reply]:
    return [Message((Section(None, lines),), actions=actions)]


def resolve_question(ctx: Context, ref: str) -> QuestionPlace:
    """A question by its number in the focus step, by its step (or phase) and number anywhere
    in the model (``Målgrupp 2``), or by its id. Raises :class:`UnknownQuestionError`."""
    if ref.isdigit():
        in_focus = ctx.model.questions_in_focus(ctx.focus_step())
        if not 1 <= int(ref) <= len(in_focus):
            raise UnknownQuestionError(ref)
        ref = in_focus[int(ref) - 1].id
    place = ctx.model.question(ref)
    owner, _, number = ref.rpartition(" ")
    if place is None and owner and number.isdigit():
        place = ctx.model.question_at(owner, int(number))
    if place is None:
        raise UnknownQuestionError(ref)
    return place


def _owner_title(ctx: Context, place: QuestionPlace) -> str:
    return ctx.step_title(place.step) if place.step else ctx.loc(place.phase.title)


def _quoted(ctx: Context, place: QuestionPlace) -> str:
    text = ctx.loc(place.question.text)
    return f"“{text}”" if ctx.language == "en" else f"”{text}”"


def ask_question(cmd: c.AskQuestion, ctx: Context) -> list[Reply]:
    step = ctx.focus_step()
    if cmd.question:
        question: Question | None = resolve_question(ctx, cmd.question).question
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
    ref = ctx.question_ref(place)
    typed = ctx.command("answer", f"{ref}:")
    actions = [answer_action(ctx.t("card_answer"), question.id, typed)]
    if following is not None and following.id != question.id:
        after = ctx.model.question(following.id)
        assert after is not None
        actions.append(Action(ctx.t("card_skip"), ctx.command("ask", ctx.question_ref(after))))
    actions.append(Action(ctx.t("card_tips"), ctx.command("tips", ctx.step_title(step))))
    return QuestionCard(
        collaboration_id=ctx.collab.id,
        question_id=question.id,
        step_title=_owner_title(ctx, place),
        heading=ctx.loc(place.group.heading) if place.group.heading else None,
        question=ctx.loc(question.text),
        position=f"{place.index}/{place.total}",
        hint=ctx.t("card_hint"),
        typed_hint=ctx.t("card_hint_typed", command=typed),
        actions=tuple(actions),
    )


def _target(cmd: c.SubmitAnswer, ctx: Context) -> tuple[QuestionPlace, str, str | None]:
    """Where an answer goes, its text, and the number it began with if that number could have
    named another question (the reply then says how to file it there instead)."""
    last = ctx.collab.last_question_id
    if cmd.written is None:
        ref = cmd.question or last
        if ref is None:
            raise UsageError("no_question_asked")
        return resolve_question(ctx, ref), cmd.text, None
    assert cmd.question is not None  # a possible reference comes with what was written
    if cmd.question.isdigit():
        if last is not None:  # a question is open: the number is part of its answer
            return resolve_question(ctx, last), cmd.written, cmd.question
        return resolve_question(ctx, cmd.question), cmd.text, None
    try:
        return resolve_question(ctx, cmd.question), cmd.text, None
    except (UnknownQuestionError, UnknownStepError):
        if last is None:
            raise
        return resolve_question(ctx, last), cmd.written, None


def submit_answer(cmd: c.SubmitAnswer, ctx: Context) -> list[Reply]:
    collab = ctx.collab
    place, written, number = _target(cmd, ctx)
    text = validate_text(written)
    answer = _new_answer(ctx, ctx.actor, place, text, cmd.source_ref or cmd.message_ref)
    collab.answers.append(answer)
    collab.record(ctx.now, ctx.actor.user_id, "answer", place.question.id)
    if cmd.source_ref is not None:
        return [Reaction()]  # a reply to a card or a form: the question is the one it answers
    saved = ctx.t(
        "answer_saved",
        name=ctx.actor.display_name,
        position=place.index,
        step=_owner_title(ctx, place),
        question=_quoted(ctx, place),
    )
    lines = [saved]
    if number is not None:
        lines.append(ctx.t("answer_number_kept", number=number, command=ctx.command("withdraw")))
    return _say(*lines, actions=(Action(ctx.t("card_skip"), ctx.command("ask")),))


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


def answer_checkin(cmd: c.AnswerCheckin, ctx: Context) -> list[Reply]:
    text = validate_text(cmd.text)
    for number, question_id in enumerate(cmd.questions, start=1):
        place = resolve_question(ctx, question_id)
        ref = _nth_source(cmd.source_ref, number)
        ctx.collab.answers.append(_new_answer(ctx, ctx.actor, place, text, ref))
        ctx.collab.record(ctx.now, ctx.actor.user_id, "answer", question_id)
    return [Reaction()]


def _nth_source(ref: str | None, number: int) -> str | None:
    return ref if ref is None or number == 1 else f"{ref}/{number}"


# A check-in asks at most this many questions; an edit of a reply to it revises each answer.
_MAX_ASKED = 4


def _answers_of(ctx: Context, source_ref: str) -> list[Answer]:
    """The answers the message ``source_ref`` gave (a check-in's reply gives several)."""
    found = []
    for number in range(1, _MAX_ASKED + 1):
        answer = ctx.collab.answer_by_source(_nth_source(source_ref, number) or "")
        if answer is None:
            break
        found.append(answer)
    return found


def _edited_text(cmd: c.ReviseAnswer, ctx: Context, answer: Answer) -> str:
    """What an edited message now answers: a typed answer's text after its command word and
    question (all it says after the word, if its start no longer names the answer's question),
    else the whole message."""
    typed = cmd.typed
    if typed is None or answer.source_ref != cmd.source_ref:
        return cmd.text
    if typed.written is not None and typed.question is not None:
        try:
            named = resolve_question(ctx, typed.question).question.id
        except (UnknownQuestionError, UnknownStepError):
            named = None
        if named != answer.question_id:
            return typed.written
    return typed.text


def revise_answer(cmd: c.ReviseAnswer, ctx: Context) -> list[Reply]:
    revised = False
    # An edit of a message that was not an answer changes nothing.
    for answer in _answers_of(ctx, cmd.source_ref):
        if answer.author_id != ctx.actor.user_id:  # only its author edits a message
            continue
        text = validate_text(_edited_text(cmd, ctx, answer))
        if answer.withdrawn or text == answer.text:
            continue
        answer.revise(text, ctx.now)
        ctx.collab.record(ctx.now, ctx.actor.user_id, "answer_revised", answer.question_id)
        revised = True
    return [Reaction()] if revised else []


def withdraw_deleted_answer(cmd: c.WithdrawDeletedAnswer, ctx: Context) -> list[Reply]:
    """Withdraw what a message deleted on the platform answered; the message is gone, so
    nothing is said."""
    for answer in _answers_of(ctx, cmd.source_ref):
        if answer.withdrawn or answer.author_id != ctx.actor.user_id:
            continue
        answer.withdraw(ctx.now)
        ctx.collab.record(ctx.now, ctx.actor.user_id, "answer_withdrawn", answer.question_id)
    return []


def _own_latest(ctx: Context, question: str | None) -> tuple[Answer, QuestionPlace]:
    """The person's latest answer of this round (to ``question``, if named)."""
    collab = ctx.collab
    wanted = resolve_question(ctx, question).question.id if question else None
    own = [
        a
        for a in collab.answers.in_cycle(collab.cycle)
        if a.author_id == ctx.actor.user_id and wanted in (None, a.question_id)
    ]
    if not own:
        raise UsageError("no_own_answer")
    answer = max(own, key=lambda a: a.created_at)
    place = ctx.model.question(answer.question_id)
    if place is None:
        raise UsageError("no_own_answer")
    return answer, place


def revise_own_answer(cmd: c.ReviseOwnAnswer, ctx: Context) -> list[Reply]:
    answer, place = _own_latest(ctx, cmd.question)
    text = validate_text(cmd.text)
    if text != answer.text:
        answer.revise(text, ctx.now)
        ctx.collab.record(ctx.now, ctx.actor.user_id, "answer_revised", answer.question_id)
    position, step = place.index, _owner_title(ctx, place)
    return _say(ctx.t("own_answer_revised", position=position, step=step))


def withdraw_own_answer(cmd: c.WithdrawOwnAnswer, ctx: Context) -> list[Reply]:
    answer, place = _own_latest(ctx, cmd.question)
    answer.withdraw(ctx.now)
    ctx.collab.record(ctx.now, ctx.actor.user_id, "answer_withdrawn", answer.question_id)
    position, step = place.index, _owner_title(ctx, place)
    return _say(ctx.t("own_answer_withdrawn", position=position, step=step, text=answer.text))
