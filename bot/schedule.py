"""When a nudge is due: pure functions of the collaboration, a working calendar and the time.

Like a trigger's ``next()``, nothing here reads a clock or a database; the runtime's clock asks
:func:`due_nudges` every minute for the window since its last run and hands the result to the
outbox, which writes each :attr:`Nudge.key` once.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.cadence import Cadence
from bot.calendar import (
    WorkingCalendar,
    calendar_of,
    next_working_day,
    previous_working_day,
    rests_on,
    working_days_before,
)
from bot.domain import Collaboration
from bot.guidance import open_questions_of
from bot.map import ModelMap
from bot.nonresponders import (
    Round,
    checkins_counted_since,
    current_round,
    organisation_key,
    silent_organisations,
    working_days_after,
)

REMINDER_LEADS = (14, 2)  # working days before a review or evaluation date, then on the day
DEFAULT_REMINDER_TIME = time(9, 0)
# A holiday shift moves a slot at most a few weeks (a quiet July: five); look back that far.
_LOOK_BACK_WEEKS = 6
_MAX_WEEKS = 60


class NudgeKind(StrEnum):
    CHECKIN = "checkin"
    REVIEW = "review"
    EVALUATION = "evaluation"
    # Said once per question round: to each organisation that has not answered, then one note
    # to the coordinators. Their due slot names the round, not an instant (see Nudge).
    NONRESPONDER = "nonresponder"
    COORDINATOR_NOTE = "coordinator_note"
    # To the coordinators of a collaboration untouched for long: it will be deleted unless it
    # is used again (bot.retention); written by the retention run, not the clock.
    RETENTION = "retention"

    @property
    def per_round(self) -> bool:
        return self in (NudgeKind.NONRESPONDER, NudgeKind.COORDINATOR_NOTE)


@dataclass(frozen=True)
class Nudge:
    """Something to say in a collaboration's channel at ``due_slot`` (ISO 8601, UTC).

    For a round's nudges the slot is the round's start followed by ``#`` and what makes it one
    of a kind (the round's kind, the organisation), so that a round reminds each organisation
    once even if the number of days is changed in between.
    """

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
        return datetime.fromisoformat(self.due_slot.split("#", 1)[0])


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
        if not cadence.falls_in_week_of(scheduled) or rests_on(scheduled, calendar):
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
    :func:`checkin_questions`) in its ``questions`` parameter, and only check-ins that ask
    questions start a round of reminders to organisations that have not answered.
    """
    if collaboration.reminders_paused:
        return []
    calendar = calendar_of(collaboration.quiet_july, calendar)
    nudges: list[Nudge] = []
    # Only what is planned is asked when it was planned: each is a look-up in the audit trail.
    if collaboration.checkin is not None:
        after = _scheduled_since(collaboration, since, {"checkin", "reminders"})
        nudges += _checkin_nudges(collaboration, after, now, calendar, model)
    if any(d.review_on is not None for d in collaboration.decisions):
        after = _scheduled_since(collaboration, since, {"reminders"})
        nudges += _review_nudges(collaboration, after, now, calendar)
    if collaboration.evaluation_on is not None:
        after = _scheduled_since(collaboration, since, {"evaluation", "reminders"})
        nudges += _evaluation_nudges(collaboration, after, now, calendar)
    if collaboration.nonresponder_reminders:
        after = _scheduled_since(collaboration, since, {"reminders"})
        nudges += _round_nudges(collaboration, after, now, calendar, model)
    return sorted(nudges, key=lambda nudge: (nudge.due_slot, nudge.kind.value))


def _scheduled_since(collaboration: Collaboration, since: datetime, actions: set[str]) -> datetime:
    """``since``, or when one of ``actions`` (setting what a nudge is for, turning reminders
    on) was last recorded if that is later: a nudge is never due from before what it reminds
    of was planned."""
    times = [since, collaboration.created_at]
    recorded = collaboration.last_recorded(actions)
    if recorded is not None:
        times.append(recorded)
    return max(times)


def checkin_questions(
    collaboration: Collaboration,
    model: ModelMap,
    instant: datetime,
    answered_by: datetime | None = None,
) -> tuple[str, ...]:
    """The questions a check-in asks, as ids.

    During the implementation phase: two of Genomför's and Utveckla's questions, rotating week
    by week, so that the dialogue goes on while the work is done. Earlier: the first two open
    questions of the focus step (counting only answers given by ``answered_by``, if given).
    Nothing when no step of the model is in focus.
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
    open_ = open_questions_of(collaboration, step.questions, answered_by)
    return tuple(q.id for q in open_[:2])


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
        if decision.review_on is None or decision.withdrawn:
            continue
        after = max(since, decision.created_at)  # never from before the decision was made
        for instant in _reminder_instants(collaboration, decision.review_on, after, now, calendar):
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
    kind (with ``missed`` = how many it stands for); timely nudges and a round's nudges (each
    said once anyway) pass unchanged.

    After downtime the channel hears one "you missed 3 check-ins" rather than three.
    """
    timely = [n for n in nudges if n.kind.per_round or now - n.due_at <= max_lateness]
    late: dict[tuple[str, NudgeKind], list[Nudge]] = defaultdict(list)
    for nudge in nudges:
        if not nudge.kind.per_round and now - nudge.due_at > max_lateness:
            late[(nudge.collaboration_id, nudge.kind)].append(nudge)
    folded = [
        replace(max(group, key=lambda n: n.due_at), params=_missed(group))
        for group in late.values()
    ]
    return sorted([*folded, *timely], key=lambda nudge: (nudge.due_slot, nudge.kind.value))


def _missed(group: list[Nudge]) -> dict[str, str]:
    latest = max(group, key=lambda n: n.due_at)
    return {**latest.params, "missed": str(len(group))}


# -- reminders to organisations that have not answered ------------------------------------------
def _round_nudges(
    collaboration: Collaboration,
    since: datetime,
    now: datetime,
    calendar: WorkingCalendar,
    model: ModelMap | None,
) -> list[Nudge]:
    """N working days into the current round, a reminder to each organisation that has not
    answered; N more, one note to the coordinators naming the organisations still silent."""
    if not collaboration.nonresponder_reminders:
        return []
    round_ = current_round(collaboration, now, last_checkin(collaboration, now, calendar, model))
    if round_ is None:
        return []
    first, second = round_reminders(collaboration, round_, calendar)
    nudges = []
    if since < first <= now:
        nudges += _reminders_to_silent(collaboration, round_, first, model)
    if since < second <= now:
        nudges += _note_to_coordinators(collaboration, round_, second)
    return nudges


def round_reminders(
    collaboration: Collaboration, round_: Round, calendar: WorkingCalendar
) -> tuple[datetime, datetime]:
    """When a round's organisations are reminded and when the coordinators hear of the silent
    ones: N and 2N working days after the day it started, at the reminder time."""
    zone = ZoneInfo(collaboration.timezone)
    start_day = round_.started_at.astimezone(zone).date()
    days = collaboration.nonresponder_days
    at = reminder_time(collaboration)
    return (
        local_instant(working_days_after(start_day, days, calendar), at, collaboration.timezone),
        local_instant(
            working_days_after(start_day, 2 * days, calendar), at, collaboration.timezone
        ),
    )


def last_checkin(
    collaboration: Collaboration,
    now: datetime,
    calendar: WorkingCalendar,
    model: ModelMap | None,
) -> datetime | None:
    """The last check-in said by ``now`` that asked questions, if it starts a round."""
    cadence = collaboration.checkin
    if cadence is None:
        return None
    since = now - timedelta(weeks=cadence.every_weeks + _LOOK_BACK_WEEKS)
    counted = checkins_counted_since(collaboration)
    if counted is not None:
        since = max(since, counted)
    instants = list(checkins_between(cadence, since, now, calendar))
    if not instants:
        return None
    if model is not None and not _asked_at(collaboration, model, instants[-1]):
        return None
    return instants[-1]


def _asked_at(collaboration: Collaboration, model: ModelMap, instant: datetime) -> tuple[str, ...]:
    """The questions the check-in at ``instant`` asked: answers given since do not count."""
    return checkin_questions(collaboration, model, instant, answered_by=instant)


def _reminders_to_silent(
    collaboration: Collaboration, round_: Round, at: datetime, model: ModelMap | None
) -> list[Nudge]:
    local = at.astimezone(ZoneInfo(collaboration.timezone))
    base = _round_params(collaboration, round_)
    if round_.question_id is not None:
        base["questions"] = round_.question_id
    elif model is not None:
        base["questions"] = " ".join(_asked_at(collaboration, model, round_.started_at))
    return [
        Nudge(
            collaboration.id,
            NudgeKind.NONRESPONDER,
            f"{round_.key}#{_digest(organisation_key(organisation))}",
            {**base, "organisation": organisation},
        )
        for organisation in silent_organisations(collaboration, round_, local.date())
    ]


def _note_to_coordinators(collaboration: Collaboration, round_: Round, at: datetime) -> list[Nudge]:
    local = at.astimezone(ZoneInfo(collaboration.timezone))
    silent = silent_organisations(collaboration, round_, local.date())
    if not silent:
        return []
    params = {
        **_round_params(collaboration, round_),
        "organisations": ", ".join(silent),
        # Platform user ids, for platforms that can show the note to them alone.
        "coordinators": " ".join(m.user_id for m in collaboration.coordinators),
    }
    return [Nudge(collaboration.id, NudgeKind.COORDINATOR_NOTE, round_.key, params)]


def _round_params(collaboration: Collaboration, round_: Round) -> dict[str, str]:
    started = round_.started_at.astimezone(ZoneInfo(collaboration.timezone))
    return {"round": round_.kind.value, "since": started.date().isoformat()}


def _digest(text: str) -> str:
    """A short, stable stand-in for an organisation's name in a due slot."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
