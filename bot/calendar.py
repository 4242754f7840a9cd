"""Which days are working days: a port the core asks, and a plain weekend-only implementation.

The Swedish holiday calendar lives in the runtime (it needs the ``holidays`` library); the core
only knows the question it may ask.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Protocol

_DAY = timedelta(days=1)
# No calendar has a year without working days; the bound only stops a broken calendar looping.
_MAX_SEARCH_DAYS = 366


class WorkingCalendar(Protocol):
    def is_working_day(self, day: date) -> bool:
        """True when people are expected at work on ``day`` (not a weekend, not a holiday)."""
        ...


class WeekendCalendar:
    """Every weekday is a working day except the ``closed`` dates given."""

    def __init__(self, closed: Iterable[date] = ()) -> None:
        self.closed = frozenset(closed)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.closed


class QuietJuly:
    """``calendar`` with the whole of July closed: a collaboration that rests over the summer
    gets no check-ins or reminders then, and counts no working days."""

    def __init__(self, calendar: WorkingCalendar) -> None:
        self.calendar = calendar

    def is_working_day(self, day: date) -> bool:
        return day.month != 7 and self.calendar.is_working_day(day)


def rests_on(day: date, calendar: WorkingCalendar) -> bool:
    """Whether ``day`` falls in a rest the collaboration chose (its quiet July): a check-in
    due then is left out, not moved to the first day after, as a holiday's is."""
    return isinstance(calendar, QuietJuly) and day.month == 7


def calendar_of(quiet_july: bool, calendar: WorkingCalendar) -> WorkingCalendar:
    """The working days of a collaboration: ``calendar``, without July if it rests then."""
    return QuietJuly(calendar) if quiet_july else calendar


class NoWorkingDayError(ValueError):
    """The calendar has no working day within a year of the date asked about."""


def next_working_day(day: date, calendar: WorkingCalendar) -> date:
    """``day`` itself when it is a working day, else the first working day after it."""
    return _walk(day, _DAY, calendar)


def previous_working_day(day: date, calendar: WorkingCalendar) -> date:
    """``day`` itself when it is a working day, else the last working day before it."""
    return _walk(day, -_DAY, calendar)


def working_days_before(day: date, count: int, calendar: WorkingCalendar) -> date:
    """The working day ``count`` working days before ``day`` (``day`` itself is not counted)."""
    current = day
    for _ in range(count):
        current = previous_working_day(current - _DAY, calendar)
    return current


def _walk(day: date, step: timedelta, calendar: WorkingCalendar) -> date:
    current = day
    for _ in range(_MAX_SEARCH_DAYS):
        if calendar.is_working_day(current):
            return current
        current += step
    raise NoWorkingDayError(day.isoformat())
