"""When a nudge is due: pure functions of the collaboration, a working calendar and the time.

Like a trigger's ``next()``, nothing here reads a clock or a database; the runtime's clock asks
:func:`due_nudges` every minute for the window since its last run and hands the result to the
outbox, which writes each :attr:`Nudge.key` once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.cadence import Cadence
from bot.calendar import (
    WorkingCalendar,
    next_working_day,
    previous_working_day,
    working_days_before,
)
from bot.domain import Collaboration
from bot.guidance import open_questions_of
from bot.map import ModelMap

REMINDER_LEADS = (14, 2)  # working days before a review or evaluation date, then on the day
DEFAULT_REMINDER_TIME = time(9, 0)
# A holiday shift moves a slot at most a few weeks (a quiet July: five); look back that far.
_LOOK_BACK_WEEKS = 6
_MAX_WEEKS = 60


class NudgeKind(StrEnum):
    CHECKIN = "checkin"
    REVIEW = "review"
    EVALUATION = "evaluation"


@dataclass(frozen=True)
class Nudge:
    """Something to say in a collaboration's channel at ``due_slot`` (ISO 8601, UTC)."""

    collaboration_id: str
    kind: NudgeKind
    due_slot: str
    params: Mapping[str, str] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str, str]:
        """Identifies the nudge across runs: the outbox stores each key once."""
        return (self.collaboration_id, self.kind.value, self.due_slot)

    @property
    def due_at(self) -> datetime:
        return datetime.fromisoformat(self.due_slot)


def local_instant(day: date, at: time, timezone: str) -> datetime:
    """``at`` wall-clock time on ``day`` in ``timezone``, as an aware UTC datetime."""
    return datetime.combine(day, at, tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def next_checkin(cadence: Cadence, after: datetime, calendar: WorkingCalendar) -> datetime:
    """The first check-in strictly after ``after`` (aware), as an aware UTC datetime.

    A check-in whose day is not a working day moves to the next working day, same local time.
    Raises ``RuntimeError`` only if no check-in falls within a year (a calendar with no workdays).
    """
    local_day = after.astimezone(ZoneInfo(cadence.timezone)).date()
    monday = local_day - timedelta(days=local_day.weekday(), weeks=_LOOK_BACK_WEEKS)
    for week in range(_MAX_WEEKS):
        scheduled = monday + timedelta(weeks=week, days=cadence.weekday)
        if not cadence.falls_in_week_of(scheduled):
            continue
        slot = next_working_day(scheduled, calendar)
        instant = local_instant(slot, cadence.at, cadence.timezone)
        if instant > after:
            return instant
    raise RuntimeError(f"no check-in within {_MAX_WEEKS} weeks of {after.isoformat()}")


def checkins_between(
    cadence: Cadence, since: datetime, until: datetime, calendar: WorkingCalendar
) -> Iterator[datetime]:
    """Every check-in instant in the window ``(since, until]``, in order."""
    current = next_checkin(cadence, since, calendar)
    while current <= until:
        yield current
        current = next_checkin(cadence, current, calendar)


def reminders_for(day: date, calendar: WorkingCalendar) -> list[date]:
    """The days to remind of ``day``: 14 and 2 working days before, and on the day.

    "On the day" is the last working day on or before ``day`` when ``day`` itself is not one.
    """
    leads = [working_days_before(day, lead, calendar) for lead in REMINDER_LEADS]
    return sorted({*leads, previous_working_day(day, calendar)})


def due_nudges(
    collaboration: Collaboration,
    now: datetime,
    calendar: WorkingCalendar,
    since: datetime,
    model: ModelMap | None = None,
) -> list[Nudge]:
    """The nudges due in ``(since, now]``, oldest first; none while reminders are paused.

    With ``model`` a check-in carries the ids of the questions it asks (see
    :func:`checkin_questions`) in its ``questions`` parameter.
    """
    if collaboration.reminders_paused:
        return []
    nudges = [
        *_checkin_nudges(collaboration, since, now, calendar, model),
        *_review_nudges(collaboration, since, now, calendar),
        *_evaluation_nudges(collaboration, since, now, calendar),
    ]
    return sorted(nudges, key=lambda nudge: (nudge.due_slot, nudge.kind.value))


def checkin_questions(
    collaboration: Collaboration, model: ModelMap, instant: datetime
) -> tuple[str, ...]:
    """The questions a check-in asks, as ids.

    During the implementation phase: two of Genomför's and Utveckla's questions, rotating week
    by week, so that the dialogue goes on while the work is done. Earlier: the first two open
    questions of the focus step. Nothing when no step of the model is in focus.
    """
    focus = collaboration.focus_step_id
    if focus is None or not model.has_step(focus):
        return ()
    phase = model.phase_of(focus)
    if phase.order == model.phases[-1].order:
        pool = [q.id for step in phase.steps[:2] for q in step.questions]
        start = (instant.isocalendar().week * 2) % len(pool)
        return tuple((pool + pool)[start : start + 2])
    step = model.step(focus)
    return tuple(q.id for q in open_questions_of(collaboration, step.questions)[:2])


def _checkin_nudges(
    collaboration: Collaboration,
    since: datetime,
    now: datetime,
    calendar: WorkingCalendar,
    model: ModelMap | None,
) -> list[Nudge]:
    cadence = collaboration.checkin
    if cadence is None:
        return []
    nudges = []
    for instant in checkins_between(cadence, since, now, calendar):
        local = instant.astimezone(ZoneInfo(collaboration.timezone))
        params = {"name": collaboration.name, "local": local.strftime("%Y-%m-%d %H:%M")}
        paused = _paused_members(collaboration, local.date())
        if paused:
            params["paused"] = ", ".join(paused)
        questions = checkin_questions(collaboration, model, instant) if model else ()
        if questions:
            params["questions"] = " ".join(questions)
        nudges.append(_nudge(collaboration, NudgeKind.CHECKIN, instant, params))
    return nudges


def _paused_members(collaboration: Collaboration, day: date) -> list[str]:
    return sorted(
        member.display_name
        for member in collaboration.members.values()
        if member.paused_until is not None and member.paused_until >= day
    )


def _review_nudges(
    collaboration: Collaboration, since: datetime, now: datetime, calendar: WorkingCalendar
) -> list[Nudge]:
    # Decisions reminded of at the same instant share one nudge, so the key stays unique.
    by_instant: dict[datetime, list[str]] = defaultdict(list)
    for decision in collaboration.decisions:
        if decision.review_on is None:
            continue
        for instant in _reminder_instants(collaboration, decision.review_on, since, now, calendar):
            by_instant[instant].append(f"{decision.number}:{decision.review_on.isoformat()}")
    return [
        _nudge(collaboration, NudgeKind.REVIEW, instant, {"decisions": " ".join(items)})
        for instant, items in sorted(by_instant.items())
    ]


def _evaluation_nudges(
    collaboration: Collaboration, since: datetime, now: datetime, calendar: WorkingCalendar
) -> list[Nudge]:
    day = collaboration.evaluation_on
    if day is None:
        return []
    params = {"evaluation_on": day.isoformat()}
    return [
        _nudge(collaboration, NudgeKind.EVALUATION, instant, params)
        for instant in _reminder_instants(collaboration, day, since, now, calendar)
    ]


def reminder_time(collaboration: Collaboration) -> time:
    """Reminders go out at the check-in time, or 09:00 local without a check-in."""
    cadence = collaboration.checkin
    return cadence.at if cadence is not None else DEFAULT_REMINDER_TIME


def _reminder_instants(
    collaboration: Collaboration,
    day: date,
    since: datetime,
    now: datetime,
    calendar: WorkingCalendar,
) -> list[datetime]:
    at = reminder_time(collaboration)
    instants = (
        local_instant(remind_on, at, collaboration.timezone)
        for remind_on in reminders_for(day, calendar)
    )
    return [instant for instant in instants if since < instant <= now]


def _nudge(
    collaboration: Collaboration, kind: NudgeKind, instant: datetime, params: dict[str, str]
) -> Nudge:
    return Nudge(collaboration.id, kind, instant.astimezone(UTC).isoformat(), params)


def collapse_late(nudges: list[Nudge], now: datetime, max_lateness: timedelta) -> list[Nudge]:
    """Nudges more than ``max_lateness`` late, folded into the latest one per collaboration and
    kind (with ``missed`` = how many it stands for); timely nudges pass unchanged.

    After downtime the channel hears one "you missed 3 check-ins" rather than three.
    """
    timely = [nudge for nudge in nudges if now - nudge.due_at <= max_lateness]
    late: dict[tuple[str, NudgeKind], list[Nudge]] = defaultdict(list)
    for nudge in nudges:
        if now - nudge.due_at > max_lateness:
            late[(nudge.collaboration_id, nudge.kind)].append(nudge)
    folded = [
        replace(max(group, key=lambda n: n.due_at), params=_missed(group))
        for group in late.values()
    ]
    return sorted([*folded, *timely], key=lambda nudge: (nudge.due_slot, nudge.kind.value))


def _missed(group: list[Nudge]) -> dict[str, str]:
    latest = max(group, key=lambda n: n.due_at)
    return {**latest.params, "missed": str(len(group))}
