"""When the nudge clock should next look at a collaboration: pure functions of its state, a
working calendar and the time.

:func:`bot.schedule.due_nudges` stays the single source of *what* is due; this module only
says *when to ask*. Every instant at which ``due_nudges`` can yield a nudge is one of the
candidates of :func:`next_nudge_at` (a check-in, a reminder of a review or of the evaluation,
a reminder of a question round), so asking at the earliest of them misses none. A candidate
that turns out to hold nothing (every organisation answered) only costs a look. Storage keeps
the answer with the collaboration, indexed, so the clock reads only the rows due by now.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import suppress
from datetime import date, datetime, timedelta

from bot.calendar import WorkingCalendar, calendar_of
from bot.domain import Collaboration
from bot.nonresponders import Round, RoundKind
from bot.schedule import (
    checkins_between,
    local_instant,
    next_checkin,
    reminder_time,
    reminders_for,
    round_reminders,
)

# Look at every collaboration at least this often, whatever its schedule says: a safety net
# that costs one look per collaboration a day.
HORIZON = timedelta(days=1)
# A check-in's round is reminded of within 2 × 10 working days; look back far enough for it.
_ROUND_LOOK_BACK = timedelta(weeks=6)


def next_nudge_at(
    collaboration: Collaboration, after: datetime, calendar: WorkingCalendar
) -> datetime:
    """The earliest instant after ``after`` at which a nudge of ``collaboration`` can fall due,
    and at the latest ``after + HORIZON``."""
    latest = after + HORIZON
    if collaboration.reminders_paused:
        return latest
    calendar = calendar_of(collaboration.quiet_july, calendar)
    later = [at for at in _candidates(collaboration, after, calendar) if at > after]
    return min([latest, *later])


def plan_nudges(collaboration: Collaboration, now: datetime, calendar: WorkingCalendar) -> None:
    """Bring the clock's bookmark up to date after ``collaboration`` changed at ``now``.

    A nudge that was due and that the clock has not yet looked at keeps its place: the next
    look is then counted from the clock's last one. A change that makes something due in the
    past (an evaluation date set 10 working days ahead, whose first reminder was 14 days
    before) takes effect from ``now``: nothing is said about the past.
    """
    pending = collaboration.next_nudge_at is not None and collaboration.next_nudge_at <= now
    if collaboration.nudged_until is not None:
        upcoming = next_nudge_at(collaboration, collaboration.nudged_until, calendar)
        if pending or upcoming > now:
            collaboration.next_nudge_at = upcoming
            return
    elif pending:
        return  # the clock has not looked yet; it looks back on its own
    collaboration.nudged_until = now
    collaboration.next_nudge_at = next_nudge_at(collaboration, now, calendar)


# What :func:`next_nudge_at` reads of a collaboration, besides its decisions' review days
# and its cards' times (tests/unit/test_nudge_plan.py checks that nothing else is read).
SCHEDULE_FIELDS = (
    "checkin",
    "evaluation_on",
    "nonresponder_days",
    "nonresponder_reminders",
    "quiet_july",
    "reminders_paused",
    "timezone",
)


def schedule_of(collaboration: Collaboration) -> tuple[object, ...] | None:
    """Everything the plan of ``collaboration`` follows from, with the plan itself; ``None``
    while it has none yet. While this stays the same, :func:`plan_nudges` would write back
    what is there: the next look is counted from the clock's last one, by the same rules."""
    if collaboration.nudged_until is None or collaboration.next_nudge_at is None:
        return None
    return (
        *(getattr(collaboration, name) for name in SCHEDULE_FIELDS),
        tuple(decision.review_on for decision in collaboration.decisions),
        tuple(card.posted_at for card in collaboration.cards),
        collaboration.nudged_until,
        collaboration.next_nudge_at,
    )


def replan(
    collaboration: Collaboration,
    before: tuple[object, ...] | None,
    now: datetime,
    calendar: WorkingCalendar,
) -> None:
    """:func:`plan_nudges`, unless nothing it follows from changed since ``before`` (what
    :func:`schedule_of` said then): an answer, the most common change, moves no nudge."""
    if before is None or schedule_of(collaboration) != before:
        plan_nudges(collaboration, now, calendar)


def nudged(collaboration: Collaboration, now: datetime, calendar: WorkingCalendar) -> None:
    """Record that the clock enqueued everything due by ``now``; it looks next when planned."""
    collaboration.nudged_until = now
    collaboration.next_nudge_at = next_nudge_at(collaboration, now, calendar)


def _candidates(
    collaboration: Collaboration, after: datetime, calendar: WorkingCalendar
) -> Iterator[datetime]:
    cadence = collaboration.checkin
    if cadence is not None:
        with suppress(RuntimeError):  # no check-in within a year; the horizon looks again
            yield next_checkin(cadence, after, calendar)
    days = [d.review_on for d in collaboration.decisions if d.review_on is not None]
    if collaboration.evaluation_on is not None:
        days.append(collaboration.evaluation_on)
    for day in set(days):
        yield from _reminders_of(collaboration, day, calendar)
    if collaboration.nonresponder_reminders:
        for started in _round_starts(collaboration, after, calendar):
            yield from round_reminders(collaboration, Round(RoundKind.CARD, started), calendar)


def _reminders_of(
    collaboration: Collaboration, day: date, calendar: WorkingCalendar
) -> Iterator[datetime]:
    at = reminder_time(collaboration)
    for remind_on in reminders_for(day, calendar):
        yield local_instant(remind_on, at, collaboration.timezone)


def _round_starts(
    collaboration: Collaboration, after: datetime, calendar: WorkingCalendar
) -> list[datetime]:
    """Where the current round may have started: the latest card, and the latest check-in by
    ``after`` (a later check-in is a candidate itself, and the clock plans again then). The
    round of :func:`bot.nonresponders.current_round` is one of them, or there is none."""
    starts = [max(card.posted_at for card in collaboration.cards)] if collaboration.cards else []
    cadence = collaboration.checkin
    if cadence is not None:
        since = after - timedelta(weeks=cadence.every_weeks) - _ROUND_LOOK_BACK
        with suppress(RuntimeError):  # no check-in within a year: none started a round
            starts += list(checkins_between(cadence, since, after, calendar))[-1:]
    return starts
