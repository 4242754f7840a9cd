"""Orders about the clock: check-in cadence, evaluation date, reminders on and off, pauses."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot import commands as c
from bot.cadence import CadenceFormatError, parse_cadence
from bot.calendar import WorkingCalendar
from bot.context import Context
from bot.errors import UsageError
from bot.replies import Message, Reply, Section
from bot.schedule import next_checkin, reminders_for

# How many upcoming reminder days to list per date, so the reply stays short.
_SHOWN_REMINDERS = 3


def _say(*lines: str) -> list[Reply]:
    return [Message((Section(None, lines),))]


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
    when = _local(ctx, next_checkin(cadence, ctx.now, ctx.calendar))
    return _say(ctx.t("checkin_set", when=when))


def set_evaluation(cmd: c.SetEvaluation, ctx: Context) -> list[Reply]:
    ctx.collab.evaluation_on = cmd.on
    ctx.collab.record(ctx.now, ctx.actor.user_id, "evaluation", cmd.on.isoformat())
    return _say(ctx.t("evaluation_set", date=cmd.on.isoformat()))


def pause_reminders(cmd: c.PauseReminders, ctx: Context) -> list[Reply]:
    ctx.collab.reminders_paused = cmd.paused
    ctx.collab.record(ctx.now, ctx.actor.user_id, "reminders", "off" if cmd.paused else "on")
    return _say(ctx.t("reminders_off" if cmd.paused else "reminders_on"))


def pause_member(cmd: c.PauseMember, ctx: Context) -> list[Reply]:
    ctx.actor.paused_until = cmd.until
    ctx.collab.record(ctx.now, ctx.actor.user_id, "pause", cmd.until.isoformat())
    return _say(ctx.t("member_paused", name=ctx.actor.display_name, date=cmd.until.isoformat()))


def show_reminders(cmd: c.ShowReminders, ctx: Context) -> list[Reply]:
    collab, calendar = ctx.collab, ctx.calendar
    if collab.reminders_paused:
        return _say(ctx.t("reminders_are_off"))
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
    return _say(*(lines or [ctx.t("reminders_nothing")]))


def _upcoming(day: date, today: date, calendar: WorkingCalendar) -> str:
    days = [d for d in reminders_for(day, calendar) if d >= today][:_SHOWN_REMINDERS]
    return ", ".join(d.isoformat() for d in days) or day.isoformat()
