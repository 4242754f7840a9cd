"""The check-in cadence: a weekday, a wall-clock time, every N weeks, in one time zone.

Parsed from what people write after ``avstämning`` / ``checkin``::

    varje tisdag 09:00        varannan måndag 10:00
    every tuesday 09:00       every 2 weeks mon 10:00       every other monday 10:00
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from bot.errors import SamverkanError

WEEKDAYS: dict[str, int] = {
    "måndag": 0, "mån": 0, "monday": 0, "mon": 0,
    "tisdag": 1, "tis": 1, "tuesday": 1, "tue": 1, "tues": 1,
    "onsdag": 2, "ons": 2, "wednesday": 2, "wed": 2,
    "torsdag": 3, "tors": 3, "tor": 3, "thursday": 3, "thu": 3, "thurs": 3,
    "fredag": 4, "fre": 4, "friday": 4, "fri": 4,
    "lördag": 5, "lör": 5, "saturday": 5, "sat": 5,
    "söndag": 6, "sön": 6, "sunday": 6, "sun": 6,
}  # fmt: skip

_EVERY_OTHER = {"varannan", "other"}
_WEEK_WORDS = {"vecka", "veckor", "veckan", "week", "weeks"}
_NUMBER_WORDS = {
    "två": 2, "andra": 2, "tre": 3, "tredje": 3, "fyra": 4, "fjärde": 4,
    "two": 2, "second": 2, "three": 3, "third": 3, "four": 4, "fourth": 4,
}  # fmt: skip
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")
MAX_EVERY_WEEKS = 8


class CadenceFormatError(SamverkanError, ValueError):
    """The text does not describe a weekly check-in (weekday, HH:MM, optionally every N weeks)."""


@dataclass(frozen=True)
class Cadence:
    """A check-in every ``every_weeks`` weeks on ``weekday`` (0 = Monday) at ``at`` local time.

    ``anchor`` is a date in a week the check-in falls in; with ``every_weeks`` > 1 it decides
    which weeks those are.
    """

    weekday: int
    at: time
    every_weeks: int
    timezone: str
    anchor: date

    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def falls_in_week_of(self, day: date) -> bool:
        """True when the check-in is held in the (Monday-based) week that contains ``day``."""
        weeks = (_monday(day) - _monday(self.anchor)).days // 7
        return weeks % self.every_weeks == 0


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def parse_cadence(text: str, timezone: str, today: date) -> Cadence:
    """Read a cadence; the first check-in week is the one of ``today``.

    Raises :class:`CadenceFormatError` when a weekday or the time is missing or unreadable.
    """
    words = [w.strip(",") for w in text.lower().split()]
    weekday: int | None = None
    at: time | None = None
    every = 1
    for index, word in enumerate(words):
        if word in WEEKDAYS:
            weekday = WEEKDAYS[word]
        elif match := _TIME.match(word):
            at = _time(int(match[1]), int(match[2]), text)
        elif word in _EVERY_OTHER:
            every = 2
        elif word in _WEEK_WORDS and index > 0:
            every = _count(words[index - 1], every)
    if weekday is None or at is None or not 1 <= every <= MAX_EVERY_WEEKS:
        raise CadenceFormatError(text)
    return Cadence(weekday, at, every, timezone, today)


def _time(hour: int, minute: int, text: str) -> time:
    if hour > 23 or minute > 59:
        raise CadenceFormatError(text)
    return time(hour, minute)


def _count(word: str, default: int) -> int:
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word, default)
