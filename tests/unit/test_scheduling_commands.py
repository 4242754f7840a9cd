"""Check-ins, evaluation and reminders through the core's entry point, on fakes."""

from __future__ import annotations

from datetime import date, time

import pytest

from tests.chat import ANNA, OMAR, Chat, make_bot
from tests.fakes import FakeClock, FakeUnitOfWork


@pytest.fixture
def started() -> Chat:
    uow = FakeUnitOfWork()
    chat = Chat(make_bot(uow, FakeClock()), uow)  # Monday 2026-11-23 09:00 UTC
    chat.say(ANNA, "starta Läxhjälp i Rosengård")
    chat.say(OMAR, "gå med Fritidsbanken civilsamhälle")
    return chat


def test_a_coordinator_sets_a_checkin_and_hears_when_the_next_one_is(started: Chat) -> None:
    reply = started.text(ANNA, "avstämning varje tisdag 09:00")
    assert "2026-11-24 09:00 (Europe/Stockholm)" in reply
    cadence = started.stored.checkin
    assert cadence is not None
    assert (cadence.weekday, cadence.at, cadence.every_weeks) == (1, time(9, 0), 1)


def test_the_checkin_is_set_in_english_too(started: Chat) -> None:
    # It is 10:00 in Stockholm on Monday now: this week's slot is past, the next is two weeks on.
    reply = started.text(ANNA, "checkin every 2 weeks mon 10:00")
    assert "2026-12-07 10:00" in reply
    assert started.stored.checkin is not None


def test_an_unreadable_cadence_explains_how_to_write_it(started: Chat) -> None:
    assert "avstämning varje tisdag 09:00" in started.text(ANNA, "avstämning ibland")
    assert started.stored.checkin is None


def test_only_a_coordinator_sets_the_checkin_the_evaluation_and_turns_reminders_off(
    started: Chat,
) -> None:
    for order in ("avstämning varje tisdag 09:00", "utvärdering 2027-06-01", "påminnelser av"):
        assert "samordnare" in started.text(OMAR, order)
    stored = started.stored
    assert (stored.checkin, stored.evaluation_on, stored.reminders_paused) == (None, None, False)


def test_reminders_list_the_next_checkin_and_the_evaluation_reminders(started: Chat) -> None:
    started.say(ANNA, "avstämning varje tisdag 09:00")
    started.say(ANNA, "utvärdering 2027-06-01")
    assert started.stored.evaluation_on == date(2027, 6, 1)
    reply = started.text(OMAR, "påminnelser")
    assert "Nästa avstämning: 2026-11-24 09:00" in reply
    assert "utvärderingen (2027-06-01)" in reply


def test_reminders_can_be_turned_off_and_on(started: Chat) -> None:
    started.say(ANNA, "avstämning varje tisdag 09:00")
    started.say(ANNA, "reminders off")
    assert started.stored.reminders_paused
    assert "avstängda" in started.text(OMAR, "påminnelser")
    started.say(ANNA, "påminnelser på")
    assert not started.stored.reminders_paused


def test_without_anything_scheduled_reminders_say_how_to_plan(started: Chat) -> None:
    assert "Inget är inplanerat" in started.text(OMAR, "påminnelser")


def test_a_member_pauses_until_a_date(started: Chat) -> None:
    assert "2027-01-10" in started.text(OMAR, "paus till 2027-01-10")
    assert started.stored.members[OMAR.user_id].paused_until == date(2027, 1, 10)


def test_a_bad_date_is_explained(started: Chat) -> None:
    said = started.text(OMAR, "paus till 2027-13-45")
    assert "inget datum jag kan läsa" in said and "inget sparades" in said
    assert "utvärdering <datum>" in started.text(ANNA, "utvärdering")


def test_reminders_list_a_decisions_review_reminders_in_english(started: Chat) -> None:
    started.say(ANNA, "språk en")
    started.say(OMAR, "decision Meet in the library review 2026-12-18")
    reply = started.text(OMAR, "reminders")
    assert "Reminder to review decision 1 (2026-12-18): 2026-11-30, 2026-12-16, 2026-12-18" in reply


def test_help_names_the_reminder_commands(started: Chat) -> None:
    assert "`påminnelser`" in started.text(OMAR, "hjälp")
