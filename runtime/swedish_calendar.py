"""Swedish working days: weekends, public holidays and the de facto days off.

``holidays`` (country SE) lists the public holidays under "public" and midsommarafton, julafton and
nyårsafton under "de_facto"; both count as days off here.
"""

from __future__ import annotations

from datetime import date

import holidays

_CATEGORIES = ("public", "de_facto")


class SwedishCalendar:
    """Implements :class:`bot.calendar.WorkingCalendar` for Sweden.

    With ``quiet_july`` the whole of July is treated as closed, as many associations are.
    """

    def __init__(self, *, quiet_july: bool = False) -> None:
        self.quiet_july = quiet_july
        # expand=True (the default) adds each year on first lookup.
        self._holidays = holidays.country_holidays("SE", categories=_CATEGORIES)
        # Each day's answer, once asked: the clock asks about the same weeks for every
        # collaboration, and a lookup in ``holidays`` first converts its key.
        self._answers: dict[date, bool] = {}

    def is_working_day(self, day: date) -> bool:
        known = self._answers.get(day)
        if known is None:
            known = self._answers[day] = self._decide(day)
        return known

    def _decide(self, day: date) -> bool:
        if day.weekday() >= 5:
            return False
        if self.quiet_july and day.month == 7:
            return False
        return day not in self._holidays
