"""The Swedish working calendar (the holidays library is pure: no I/O) under the schedule rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.cadence import Cadence
from bot.schedule import checkins_between, next_checkin
from runtime.swedish_calendar import SwedishCalendar

CLOSED = [date(2026, 12, 24), date(2026, 12, 25), date(2027, 1, 1), date(2027, 6, 25)]


@pytest.mark.parametrize("day", [*CLOSED, date(2026, 12, 31), date(2027, 6, 6)])
def test_holidays_and_de_facto_days_off_are_not_working_days(day: date) -> None:
    assert not SwedishCalendar().is_working_day(day)


@pytest.mark.parametrize("day", [date(2026, 11, 28), date(2026, 11, 29)])
def test_weekends_are_not_working_days(day: date) -> None:
    assert not SwedishCalendar().is_working_day(day)


def test_an_ordinary_weekday_is_a_working_day_unless_july_is_quiet() -> None:
    assert SwedishCalendar().is_working_day(date(2027, 7, 6))
    assert SwedishCalendar().is_working_day(date(2026, 11, 24))
    assert not SwedishCalendar(quiet_july=True).is_working_day(date(2027, 7, 6))


@pytest.mark.parametrize("weekday", range(7))
def test_no_checkin_falls_on_a_closed_day_or_a_weekend(weekday: int) -> None:
    cadence = Cadence(weekday, time(9, 0), 1, "Europe/Stockholm", date(2026, 10, 1))
    since, until = datetime(2026, 10, 1, tzinfo=UTC), datetime(2027, 10, 1, tzinfo=UTC)
    local = [
        i.astimezone(cadence.zone())
        for i in checkins_between(cadence, since, until, SwedishCalendar())
    ]
    assert len(local) >= 45
    assert not {moment.date() for moment in local} & set(CLOSED)
    assert all(moment.weekday() < 5 and moment.time() == time(9, 0) for moment in local)


def test_a_thursday_checkin_on_christmas_eve_moves_to_the_next_working_day() -> None:
    cadence = Cadence(3, time(9, 0), 1, "Europe/Stockholm", date(2026, 10, 1))
    after = datetime(2026, 12, 18, tzinfo=UTC)
    assert next_checkin(cadence, after, SwedishCalendar()) == datetime(2026, 12, 28, 8, tzinfo=UTC)


def test_a_midsummer_eve_checkin_moves_past_the_weekend() -> None:
    cadence = Cadence(4, time(10, 0), 1, "Europe/Stockholm", date(2027, 1, 1))
    after = datetime(2027, 6, 20, tzinfo=UTC)
    assert next_checkin(cadence, after, SwedishCalendar()) == datetime(2027, 6, 28, 8, tzinfo=UTC)
