"""The core's one entry point: an incoming message in, replies out, in one transaction."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot import answer_handlers as answers
from bot import balance, data_rights, export, handlers, picture, views
from bot import commands as c
from bot import errors as e
from bot import invitation_handlers as invitations
from bot import member_handlers as members
from bot import scheduling_handlers as scheduling
from bot.calendar import WeekendCalendar, WorkingCalendar, calendar_of
from bot.context import Context
from bot.domain import ChannelRef, PostedCard
from bot.home import Home, build_home
from bot.incoming import Incoming
from bot.map import ModelMap
from bot.nudge_plan import plan_nudges, replan, schedule_of
from bot.parser import parse
from bot.ports import Clock, StorageUnavailableError, UnitOfWork
from bot.refusals import refusal_lines
from bot.replies import Answer, Message, Reply, Section
from model_content import Language

log = logging.getLogger(__name__)

Handler = Callable[[Any, Context], list[Reply]]

HANDLERS: dict[type, Handler] = {
    c.StartCollaboration: handlers.start_collaboration,
    c.ShowNext: lambda cmd, ctx: [views.show_next(ctx)],
    c.ShowStatus: lambda cmd, ctx: [views.show_status(ctx), *balance.notes_for_coordinator(ctx)],
    c.AskQuestion: answers.ask_question,
    c.SubmitAnswer: answers.submit_answer,
    c.ReviseAnswer: answers.revise_answer,
    c.WithdrawDeletedAnswer: answers.withdraw_deleted_answer,
    c.ReviseOwnAnswer: answers.revise_own_answer,
    c.AnswerCheckin: answers.answer_checkin,
    c.WithdrawOwnAnswer: answers.withdraw_own_answer,
    c.CountMessage: lambda cmd, ctx: balance.count_message(ctx),
    c.Summarize: lambda cmd, ctx: [views.show_summary(ctx, cmd.step)],
    c.FocusStep: handlers.focus_step,
    c.CompleteStep: handlers.complete_step,
    c.SkipStep: handlers.skip_step,
    c.RecordDecision: handlers.record_decision,
    c.ConfirmDecision: handlers.confirm_decision,
    c.AmendDecision: handlers.amend_decision,
    c.WithdrawDecision: handlers.withdraw_decision,
    c.ListDecisions: lambda cmd, ctx: [views.list_decisions(ctx)],
    c.AssignRole: members.assign_role,
    c.JoinOrganisation: members.join_organisation,
    c.LeaveCollaboration: members.leave_collaboration,
    c.RemoveMember: members.remove_member,
    c.ListRoles: members.list_roles,
    c.ListMembers: members.list_members,
    c.InviteRepresentative: invitations.invite_representative,
    c.RedeemInvitation: invitations.redeem_invitation,
    c.ShowWelcome: invitations.show_welcome,
    c.ShowTips: lambda cmd, ctx: [views.show_tips(ctx, cmd.step)],
    c.ShowMethods: lambda cmd, ctx: [views.show_methods(ctx, cmd.step)],
    c.ShowPrinciples: lambda cmd, ctx: [views.show_principles(ctx)],
    c.ShowHelp: lambda cmd, ctx: [views.show_help(ctx)],
    c.ExportRecord: export.export_record,
    c.ShowMap: lambda cmd, ctx: picture.show_map(ctx),
    c.ShowBalance: lambda cmd, ctx: balance.show_balance(ctx),
    c.SetCaseNumber: export.set_case_number,
    c.SetLanguage: handlers.set_language,
    c.RestartCycle: handlers.restart_cycle,
    c.SetCheckin: scheduling.set_checkin,
    c.SetEvaluation: scheduling.set_evaluation,
    c.ShowReminders: scheduling.show_reminders,
    c.PauseReminders: scheduling.pause_reminders,
    c.SetNonresponderReminders: scheduling.set_nonresponder_reminders,
    c.PauseMember: scheduling.pause_member,
    c.EndPause: scheduling.end_pause,
    c.SetQuietJuly: scheduling.set_quiet_july,
    # the partners' data rights
    c.ShowMyData: data_rights.show_my_data,
    c.ForgetMe: data_rights.forget_me,
    c.SetKeepAnswers: data_rights.set_keep_answers,
}

# Orders that make sense in a channel without a collaboration.
WITHOUT_COLLABORATION = (
    c.StartCollaboration,
    c.ShowHelp,
    c.ShowPrinciples,
    c.RedeemInvitation,  # the invitation names its collaboration; a private chat has none
    c.ShowWelcome,
    c.ShowMyData,  # a person's data rights reach every collaboration of the workspace
    c.ForgetMe,
)


class Samverkansbot:
    """Handles one incoming message at a time; everything it changes is committed or nothing."""

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        clock: Clock,
        model: ModelMap,
        language: Language = "sv",
        timezone: str = "Europe/Stockholm",
        calendar: WorkingCalendar | None = None,
    ) -> None:
        # Without a calendar only weekends are days off; the runtime passes the Swedish one.
        self.calendar: WorkingCalendar = calendar or WeekendCalendar()
        self.uow_factory = uow_factory
        self.clock = clock
        self.model = model
        self.language: Language = language
        self.timezone = timezone

    def handle(self, incoming: Incoming) -> list[Reply]:
        """The replies to ``incoming`` (see :meth:`answer`)."""
        return self.answer(incoming).replies

    def answer(self, incoming: Incoming) -> Answer:
        """The replies to ``incoming``; failures become a kind, private reply, in the person's
        own language where their platform told it.

        An event with an id is claimed at the end of its transaction, with its replies. One
        handled before (handed over again after a crash, or taken by a second worker while
        the first was still at it) loses the claim: what it did again is rolled back and the
        replies of the first time are sent instead, and so they are when handling it again
        fails or is refused.

        One failure is raised instead: :class:`StorageUnavailableError` for an event with an
        id, which its platform keeps and hands over again (nothing of this try was kept, so
        trying again is safe and likely to work). Only when it is handed over for the last
        time (``incoming.final``), or has no id (the terminal), is the person told that
        nothing was saved; a message not addressed to the bot is then given up in silence.
        """
        language: Language = self.language
        event = (incoming.channel.platform, incoming.event_id or "")
        failed = Answer([])  # handled before: this try is rolled back, the first one's replies go
        try:
            with self.uow_factory() as uow:
                ctx = self._context(incoming, uow)
                language = ctx.language  # a command that cannot be read is refused in it
                command = self._interpret(ctx)
                language = ctx.language
                if command is None:
                    return Answer([])
                replies = self._dispatch(command, ctx)
                language = ctx.language  # the replies' own: a failure to store them says so in it
                lost = bool(incoming.event_id) and uow.claim_event(*event, replies) is not None
                if not lost:
                    uow.commit()
                    return Answer(replies)
        except e.SamverkanError as error:
            failed = Answer([refusal(error, incoming.language or language, self.model)])
        except StorageUnavailableError:
            if incoming.event_id and not incoming.final:
                raise
            log.exception("the store failed while handling a message in %s", incoming.channel.key)
            if incoming.addressed:
                failed = Answer([refusal(None, incoming.language or language, self.model)])
        except Exception:
            log.exception("failed to handle a message in %s", incoming.channel.key)
            failed = Answer([refusal(None, incoming.language or language, self.model)])
        return self._handled_before(incoming) or failed

    def _handled_before(self, incoming: Incoming) -> Answer | None:
        """The kept replies of ``incoming``'s event, with how many went out, when a committed
        transaction handled it; ``None`` when none did, when it has no id, or when the store
        cannot tell now."""
        if not incoming.event_id:
            return None
        event = (incoming.channel.platform, incoming.event_id)
        try:
            with self.uow_factory() as uow:
                earlier = uow.handled_before(*event)
        except Exception:
            log.warning("could not look up whether event %s was handled before", event)
            return None
        if earlier is not None:
            log.info("event %s was handled before; its replies again", event)
        return earlier

    def replies_sent(self, platform: str, event_id: str, sent: int | None) -> None:
        """Record that the first ``sent`` messages of the event's replies went out, or with
        ``None`` that all did: the replies are then no longer kept."""
        with self.uow_factory() as uow:
            uow.record_sent(platform, event_id, sent)
            uow.commit()

    def card_posted(self, channel: ChannelRef, message_ref: str, question_id: str) -> None:
        """Remember that ``message_ref`` is a card for ``question_id``, so replies answer it."""
        with self.uow_factory() as uow:
            collab = uow.collaborations.get_by_channel(channel)
            if collab is None or self.model.question(question_id) is None:
                return
            now = self.clock.now()
            collab.cards.append(PostedCard(message_ref, question_id, now))
            plan_nudges(collab, now, self.calendar)  # a card starts a round of reminders
            uow.collaborations.save(collab)
            uow.commit()

    def move_channel(self, old: ChannelRef, new: ChannelRef) -> bool:
        """Rebind the collaboration of ``old`` to ``new`` (a Telegram group that became a
        supergroup gets a new chat id). False when ``old`` has none or ``new`` already has one."""
        with self.uow_factory() as uow:
            collab = uow.collaborations.get_by_channel(old)
            if collab is None or uow.collaborations.get_by_channel(new) is not None:
                return False
            collab.channel = new
            collab.record(self.clock.now(), "platform", "channel_moved", f"{old.key} -> {new.key}")
            uow.collaborations.save(collab)
            uow.commit()
            return True

    def home(self, platform: str, workspace: str, user_id: str) -> Home:
        """The person's overview: the collaborations they are a member of (never another's)."""
        with self.uow_factory() as uow:
            found = uow.collaborations.by_member(platform, workspace, user_id)
            return build_home(found, user_id, self.model, self.language)

    def language_in(self, channel: ChannelRef) -> Language:
        """The language replies in ``channel`` use: its collaboration's, else the default."""
        with self.uow_factory() as uow:
            collab = uow.collaborations.get_by_channel(channel)
        if collab is None:
            return self.language
        return "en" if collab.language == "en" else "sv"

    def _context(self, incoming: Incoming, uow: UnitOfWork) -> Context:
        collab = uow.collaborations.get_by_channel(incoming.channel)
        now: datetime = self.clock.now()
        language: Language = self.language
        if collab is not None:
            language = "en" if collab.language == "en" else "sv"
        ctx = Context(
            incoming, incoming.author, now, self.model, uow, language, self.language, self.timezone
        )
        ctx.calendar = self.calendar
        if collab is not None:
            ctx.calendar = calendar_of(collab.quiet_july, self.calendar)
            ctx.collaboration = collab
        return ctx

    def _interpret(self, ctx: Context) -> c.Command | None:
        incoming, collab = ctx.incoming, ctx.collaboration
        if incoming.order is not None:
            if collab is None and incoming.language is not None:
                ctx.language = incoming.language
            return incoming.order
        if incoming.answers is not None:
            return c.SubmitAnswer(incoming.text, incoming.answers, incoming.message_ref)
        if incoming.edited or incoming.deleted:
            # Only a message that gave an answer matters: a change to any other leaves no
            # trace (its author is not made a member, the collaboration not counted as used).
            ref = incoming.message_ref
            if collab is None or ref is None or collab.answer_by_source(ref) is None:
                return None
            if incoming.deleted:
                return c.WithdrawDeletedAnswer(ref)
            return c.ReviseAnswer(ref, incoming.text, _typed(incoming.text))
        if collab is not None and incoming.reply_to:
            asked = collab.card_questions(incoming.reply_to)
            if len(asked) > 1:  # a check-in's questions: the reply answers each of them
                return c.AnswerCheckin(incoming.text, tuple(asked), incoming.message_ref)
            if asked:
                return c.SubmitAnswer(incoming.text, asked[0], incoming.message_ref)
        if not incoming.addressed:
            # Talk among the partners, not meant for the bot: counted (who is heard), not read.
            return None if collab is None else c.CountMessage()
        parsed = parse(incoming.text)
        if collab is None:
            ctx.language = parsed.language  # no collaboration yet: answer in the words used
        if isinstance(parsed.command, c.SubmitAnswer) and incoming.message_ref is not None:
            return dataclasses.replace(parsed.command, message_ref=incoming.message_ref)
        return parsed.command

    def _dispatch(self, command: c.Command, ctx: Context) -> list[Reply]:
        if ctx.collaboration is not None and not isinstance(command, c.CountMessage):
            # Whoever orders or answers is a member from now on; talk alone makes no one one.
            ctx.member = ctx.collaboration.member(ctx.person, ctx.now)
        if ctx.collaboration is None and not isinstance(command, WITHOUT_COLLABORATION):
            raise e.NoCollaborationError()
        if isinstance(command, c.COORDINATOR_ONLY) and not ctx.actor.is_coordinator:
            raise e.NotCoordinatorError([m.display_name for m in ctx.collab.coordinators])
        before = schedule_of(ctx.collaboration) if ctx.collaboration is not None else None
        replies = HANDLERS[type(command)](command, ctx)
        # ``ctx.member`` may have left; the aggregate is saved all the same.
        if ctx.collaboration is not None:
            if not isinstance(command, c.CountMessage):
                ctx.collaboration.active_at = ctx.now  # in use: kept from retention's deletion
            replan(ctx.collaboration, before, ctx.now, self.calendar)
            ctx.uow.collaborations.save(ctx.collaboration)
        return replies


def _typed(text: str) -> c.SubmitAnswer | None:
    """``text`` read as a typed answer (``svara 2: …``), or ``None`` when it is not one."""
    try:
        command = parse(text).command
    except e.SamverkanError:
        return None
    return command if isinstance(command, c.SubmitAnswer) else None


def refusal(error: e.SamverkanError | None, language: Language, model: ModelMap) -> Message:
    """A kind, private reply that says what went wrong and what the person can do instead."""

    def step_title(step_id: str) -> str:
        return model.step(step_id).title.get(language) if model.has_step(step_id) else step_id

    return Message((Section(None, refusal_lines(error, language, step_title)),), private=True)
