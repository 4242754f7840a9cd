"""A quiet July per collaboration: set by its coordinator, no nudges then, no working days."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from bot import commands as c
from bot.cadence import Cadence
from bot.calendar import QuietJuly, WeekendCalendar, working_days_before
from bot.parser import parse
from bot.schedule import NudgeKind, due_nudges
from tests.chat import ANNA, OMAR, Chat, make_bot
from tests.fakes import FakeClock, FakeUnitOfWork


def started() -> Chat:
    uow = FakeUnitOfWork()
    chat = Chat(make_bot(uow, FakeClock()), uow)
    chat.say(ANNA, "starta Läxhjälp")
    return chat


def test_the_words_in_both_languages() -> None:
    assert parse("påminnelser juli av").command == c.SetQuietJuly(quiet=True)
    assert parse("reminders july on").command == c.SetQuietJuly(quiet=False)


def test_a_coordinator_makes_july_quiet_and_sees_it_a_partner_may_not() -> None:
    chat = started()
    assert "Juli blir tyst" in chat.text(ANNA, "påminnelser juli av")
    assert chat.stored.quiet_july
    assert "Juli är tyst" in chat.text(ANNA, "påminnelser")
    refused = chat.message(OMAR, "påminnelser juli på")
    assert refused.private and chat.stored.quiet_july
    chat.say(ANNA, "påminnelser juli på")
    assert not chat.stored.quiet_july
    assert "Juli är tyst" not in chat.text(ANNA, "påminnelser")


def test_no_nudge_falls_in_a_quiet_july_and_the_next_comes_in_august() -> None:
    chat = started()
    collab = chat.stored
    collab.checkin = Cadence(1, time(9, 0), 1, collab.timezone, date(2027, 6, 1))
    collab.evaluation_on = date(2027, 8, 10)
    since, now = datetime(2027, 6, 28, tzinfo=UTC), datetime(2027, 8, 4, tzinfo=UTC)
    loud = due_nudges(collab, now, WeekendCalendar(), since)
    assert any(n.due_at.month == 7 for n in loud)
    collab.quiet_july = True
    quiet = due_nudges(collab, now, WeekendCalendar(), since)
    assert [n.due_at.month for n in quiet if n.kind is NudgeKind.CHECKIN] == [6, 8]
    assert all(n.due_at.month != 7 for n in quiet)
    # The evaluation's reminder 14 working days ahead would fall on 21 July: in a quiet July
    # it counts back past July, to 21 June, before this window.
    later = datetime(2027, 8, 11, tzinfo=UTC)
    evaluation = [
        n.due_at.date() for n in due_nudges(collab, later, WeekendCalendar(), since)
        if n.kind is NudgeKind.EVALUATION
    ]  # fmt: skip
    assert evaluation == [date(2027, 8, 6), date(2027, 8, 10)]
    collab.quiet_july = False
    evaluation = [
        n.due_at.date() for n in due_nudges(collab, later, WeekendCalendar(), since)
        if n.kind is NudgeKind.EVALUATION
    ]  # fmt: skip
    assert evaluation == [date(2027, 7, 21), date(2027, 8, 6), date(2027, 8, 10)]


def test_july_counts_no_working_days() -> None:
    calendar = QuietJuly(WeekendCalendar())
    assert working_days_before(date(2027, 8, 2), 1, calendar) == date(2027, 6, 30)
    assert calendar.is_working_day(date(2027, 6, 30))
    assert not calendar.is_working_day(date(2027, 7, 14))
