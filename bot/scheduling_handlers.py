"""Orders about the clock: check-in cadence, evaluation date, reminders on and off, pauses."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot import commands as c
from bot.cadence import CadenceFormatError, parse_cadence
from bot.calendar import WorkingCalendar
from bot.context import Context
from bot.errors import UsageError
from bot.nonresponders import MAX_DAYS, MIN_DAYS, current_round, silent_organisations
from bot.replies import Action, Message, Reply, Section
from bot.schedule import last_checkin, next_checkin, reminders_for, round_reminders

# The weekly check-in one button sets, after the command word: in Swedish and in English.
WEEKLY_CHECKIN = ("varje tisdag 09:00", "every tuesday 09:00")
# How many upcoming reminder days to list per date, so the reply stays short.
_SHOWN_REMINDERS = 3


def _say(*lines: str, actions: tuple[Action, ...] = ()) -> list[Reply]:
    return [Message((Section(None, lines),), actions=actions)]


def _local(ctx: Context, instant: datetime) -> str:
    zone = ctx.collab.timezone
    return f"{instant.astimezone(ZoneInfo(zone)).strftime('%Y-%m-%d %H:%M')} ({zone})"


def set_checkin(cmd: c.SetCheckin, ctx: Context) -> list[Reply]:
    collab = ctx.collab
    today = ctx.now.astimezone(ZoneInfo(collab.timezone)).date()
    try:
        cadence = parse_cadence(cmd.text, collab.timezone, today)
    except CadenceFormatError as exc:
        raise UsageError("checkin", cmd.text) from exc
    collab.checkin = cadence
    collab.record(ctx.now, ctx.actor.user_id, "checkin", cmd.text)
    following = next_checkin(cadence, ctx.now, ctx.calendar)
    lines = [ctx.t("checkin_set", when=_local(ctx, following))]
    if following.astimezone(ZoneInfo(collab.timezone)).weekday() != cadence.weekday:
        lines.append(ctx.t("checkin_moved"))
    return _say(*lines)


def set_evaluation(cmd: c.SetEvaluation, ctx: Context) -> list[Reply]:
    ctx.not_past(cmd.on)
    ctx.collab.evaluation_on = cmd.on
    ctx.collab.record(ctx.now, ctx.actor.user_id, "evaluation", cmd.on.isoformat())
    return _say(ctx.t("evaluation_set", date=cmd.on.isoformat()))


def pause_reminders(cmd: c.PauseReminders, ctx: Context) -> list[Reply]:
    ctx.collab.reminders_paused = cmd.paused
    ctx.collab.record(ctx.now, ctx.actor.user_id, "reminders", "off" if cmd.paused else "on")
    return _say(ctx.t("reminders_off" if cmd.paused else "reminders_on"))


def set_nonresponder_reminders(cmd: c.SetNonresponderReminders, ctx: Context) -> list[Reply]:
    collab = ctx.collab
    if cmd.days is not None:
        if not MIN_DAYS <= cmd.days <= MAX_DAYS:
            raise UsageError("nonresponder_days", str(cmd.days))
        collab.nonresponder_days = cmd.days
    if cmd.enabled is not None:
        collab.nonresponder_reminders = cmd.enabled
    detail = f"{'on' if collab.nonresponder_reminders else 'off'}, {collab.nonresponder_days}"
    collab.record(ctx.now, ctx.actor.user_id, "nonresponder_reminders", detail)
    lines = [_nonresponder_setting(ctx)]
    if collab.reminders_paused:
        lines.append(ctx.t("reminders_are_off"))
    return _say(*lines, actions=_reminder_actions(ctx))


def set_quiet_july(cmd: c.SetQuietJuly, ctx: Context) -> list[Reply]:
    ctx.collab.quiet_july = cmd.quiet
    ctx.collab.record(ctx.now, ctx.actor.user_id, "quiet_july", "on" if cmd.quiet else "off")
    return _say(ctx.t("quiet_july_on" if cmd.quiet else "quiet_july_off"))


def pause_member(cmd: c.PauseMember, ctx: Context) -> list[Reply]:
    ctx.not_past(cmd.until)
    ctx.actor.paused_until = cmd.until
    ctx.collab.record(ctx.now, ctx.actor.user_id, "pause", cmd.until.isoformat())
    return _say(ctx.t("member_paused", name=ctx.actor.display_name, date=cmd.until.isoformat()))


def end_pause(cmd: c.EndPause, ctx: Context) -> list[Reply]:
    member = ctx.actor
    if member.paused_until is None or member.paused_until < ctx.today:
        return _say(ctx.t("not_paused"))
    member.paused_until = None
    ctx.collab.record(ctx.now, member.user_id, "pause", "")
    return _say(ctx.t("pause_ended", name=member.display_name))


def _own_pause(ctx: Context) -> list[str]:
    until = ctx.member.paused_until if ctx.member is not None else None
    if until is None or until < ctx.today:
        return []
    return [ctx.t("your_pause", date=until.isoformat(), command=ctx.command("unpause"))]


def show_reminders(cmd: c.ShowReminders, ctx: Context) -> list[Reply]:
    collab = ctx.collab
    if collab.reminders_paused:
        return _say(ctx.t("reminders_are_off"), *_own_pause(ctx), actions=_reminder_actions(ctx))
    upcoming = [*_scheduled(ctx), *_next_round_reminder(ctx)]
    lines = [*(upcoming or [ctx.t("reminders_nothing")]), *_own_pause(ctx)]
    lines.append(_nonresponder_setting(ctx))
    if collab.quiet_july:
        lines.append(ctx.t("quiet_july_note"))
    if upcoming:  # with nothing planned, "reminders_nothing" already says how to plan
        lines.append(ctx.t("reminders_change"))
    return _say(*lines, actions=_reminder_actions(ctx))


def _scheduled(ctx: Context) -> list[str]:
    collab, calendar = ctx.collab, ctx.calendar
    lines = []
    if collab.checkin is not None:
        when = _local(ctx, next_checkin(collab.checkin, ctx.now, calendar))
        lines.append(ctx.t("reminders_next_checkin", when=when))
    today = ctx.now.astimezone(ZoneInfo(collab.timezone)).date()
    for decision in collab.decisions:
        if decision.review_on is not None and decision.review_on >= today:
            days = _upcoming(decision.review_on, today, calendar)
            lines.append(
                ctx.t(
                    "reminders_review", number=decision.number, date=decision.review_on, days=days
                )
            )
    if collab.evaluation_on is not None and collab.evaluation_on >= today:
        days = _upcoming(collab.evaluation_on, today, calendar)
        lines.append(ctx.t("reminders_evaluation", date=collab.evaluation_on, days=days))
    return lines


def _nonresponder_setting(ctx: Context) -> str:
    collab = ctx.collab
    if not collab.nonresponder_reminders:
        return ctx.t("nonresponders_off")
    return ctx.t(
        "nonresponders_on", days=collab.nonresponder_days, twice=2 * collab.nonresponder_days
    )


def _next_round_reminder(ctx: Context) -> list[str]:
    """When the organisations that have not answered the current round hear from the bot next
    (how many, never which: the channel is no place to single anyone out)."""
    collab = ctx.collab
    if not collab.nonresponder_reminders:
        return []
    checkin = last_checkin(collab, ctx.now, ctx.calendar, ctx.model)
    round_ = current_round(collab, ctx.now, checkin)
    if round_ is None:
        return []
    first, _ = round_reminders(collab, round_, ctx.calendar)
    if first <= ctx.now:
        return []
    day = first.astimezone(ZoneInfo(collab.timezone)).date()
    count = len(silent_organisations(collab, round_, day))
    if count == 0:
        return []
    return [ctx.t("nonresponders_next", when=_local(ctx, first), count=count)]


def _reminder_actions(ctx: Context) -> tuple[Action, ...]:
    """Buttons to stop or resume; only for a coordinator, who alone may press them."""
    if ctx.member is None or not ctx.member.is_coordinator:
        return ()
    collab = ctx.collab
    on, off = ("on", "off") if ctx.language == "en" else ("på", "av")
    answer_word = "answers" if ctx.language == "en" else "svar"
    if collab.reminders_paused:
        return (Action(ctx.t("action_reminders_on"), ctx.command("reminders", on), "primary"),)
    if collab.nonresponder_reminders:
        command = ctx.command("reminders", answer_word, off)
        answers = Action(ctx.t("action_nonresponders_off"), command)
    else:
        command = ctx.command("reminders", answer_word, on)
        answers = Action(ctx.t("action_nonresponders_on"), command)
    stop = Action(ctx.t("action_reminders_off"), ctx.command("reminders", off), "danger")
    if collab.checkin is None:  # the common choice, one press away; any other by typing
        weekly_text = WEEKLY_CHECKIN[1] if ctx.language == "en" else WEEKLY_CHECKIN[0]
        command = ctx.command("checkin", weekly_text)
        weekly = Action(ctx.t("action_weekly_checkin"), command, "primary")
        return (weekly, answers, stop)
    return (answers, stop)


def _upcoming(day: date, today: date, calendar: WorkingCalendar) -> str:
    days = [d for d in reminders_for(day, calendar) if d >= today][:_SHOWN_REMINDERS]
    return ", ".join(d.isoformat() for d in days) or day.isoformat()
