"""Catching up after a restart covers only what fell due after it was scheduled, for every kind
of nudge, and says how much it covers in correct grammar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.calendar import WeekendCalendar
from bot.map import ModelMap
from bot.nudges import nudge_reply
from bot.schedule import NudgeKind, due_nudges
from model_content.loader import default_model
from tests.chat import ANNA, Chat, make_bot
from tests.fakes import FakeClock, FakeUnitOfWork

MODEL = ModelMap(default_model())
WEDNESDAY = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # the Tuesday before: 1 December
CATCH_UP = timedelta(days=7)  # how far the nudge clock looks back after a restart


def _chat(clock: FakeClock) -> Chat:
    uow = FakeUnitOfWork()
    chat = Chat(make_bot(uow, clock), uow)
    chat.say(ANNA, "starta Läxhjälp")
    return chat


def _due(chat: Chat, now: datetime) -> list[NudgeKind]:
    nudges = due_nudges(chat.stored, now, WeekendCalendar(), now - CATCH_UP, MODEL)
    return [n.kind for n in nudges]


def test_a_check_in_booked_on_wednesday_does_not_catch_up_the_tuesday_before() -> None:
    clock = FakeClock(datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    chat = _chat(clock)  # the collaboration is older than the check-in
    clock.current = WEDNESDAY
    chat.say(ANNA, "avstämning varje tisdag 09:00")
    assert _due(chat, WEDNESDAY + timedelta(minutes=1)) == []
    next_tuesday = datetime(2026, 12, 8, 8, 1, tzinfo=UTC)  # 09:01 in Stockholm
    assert _due(chat, next_tuesday) == [NudgeKind.CHECKIN]


def test_an_evaluation_set_after_a_reminder_day_does_not_catch_that_day_up() -> None:
    clock = FakeClock(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    chat = _chat(clock)
    clock.current = WEDNESDAY
    # 2 working days before 4 December is 2 December at 09:00 (08:00 UTC): before it was set.
    chat.say(ANNA, "utvärdering 2026-12-04")
    assert chat.stored.evaluation_on == date(2026, 12, 4)
    assert _due(chat, WEDNESDAY + timedelta(minutes=1)) == []
    assert _due(chat, datetime(2026, 12, 4, 8, 1, tzinfo=UTC)) == [NudgeKind.EVALUATION]


def test_a_review_date_does_not_catch_up_reminders_from_before_the_decision() -> None:
    clock = FakeClock(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    chat = _chat(clock)
    clock.current = WEDNESDAY
    chat.say(ANNA, "beslut Vi hyr lokalen, följ upp 2026-12-04")
    assert _due(chat, WEDNESDAY + timedelta(minutes=1)) == []
    assert _due(chat, datetime(2026, 12, 4, 8, 1, tzinfo=UTC)) == [NudgeKind.REVIEW]


def test_reminders_turned_back_on_do_not_catch_up_what_fell_due_while_they_were_off() -> None:
    clock = FakeClock(datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    chat = _chat(clock)
    chat.say(ANNA, "avstämning varje tisdag 09:00")
    chat.say(ANNA, "påminnelser av")
    clock.current = WEDNESDAY
    chat.say(ANNA, "påminnelser på")
    assert _due(chat, WEDNESDAY + timedelta(minutes=1)) == []


def test_one_missed_reminder_is_said_in_the_singular() -> None:
    params = {"name": "Läxhjälp", "language": "sv"}
    one = nudge_reply("checkin", {**params, "missed": "1"}, MODEL).plain_text
    three = nudge_reply("checkin", {**params, "missed": "3"}, MODEL).plain_text
    assert "en påminnelse som inte kom fram" in one and "1 påminnelser" not in one
    assert "samlar 3 påminnelser" in three
    english = nudge_reply("checkin", {**params, "missed": "1", "language": "en"}, MODEL)
    assert "a reminder that was not delivered" in english.plain_text
