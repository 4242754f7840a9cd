"""The settings and buttons of the reminders to organisations that have not answered, through
the core's entry point on fakes; and how their nudges read in Swedish and English."""

from __future__ import annotations

import pytest

from bot import commands as c
from bot.errors import UsageError
from bot.map import ModelMap
from bot.nudges import nudge_reply
from bot.parser import parse
from model_content import Language
from model_content.loader import default_model
from tests.chat import ANNA, LINA, OMAR, Chat, make_bot
from tests.fakes import FakeClock, FakeUnitOfWork

MODEL = ModelMap(default_model())


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()  # Monday 2026-11-23 09:00 UTC


@pytest.fixture
def started(clock: FakeClock) -> Chat:
    uow = FakeUnitOfWork()
    chat = Chat(make_bot(uow, clock), uow)
    chat.say(ANNA, "starta Läxhjälp i Rosengård")
    chat.say(ANNA, "gå med Malmö stad offentlig")
    chat.say(OMAR, "gå med Fritidsbanken civilsamhälle")
    chat.say(LINA, "gå med Läxhjälpen civilsamhälle")
    return chat


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("påminnelser svar av", c.SetNonresponderReminders(enabled=False)),
        ("påminnelser svar på", c.SetNonresponderReminders(enabled=True)),
        ("reminders answers off", c.SetNonresponderReminders(enabled=False)),
        ("Reminders replies ON", c.SetNonresponderReminders(enabled=True)),
        ("påminnelser svar efter 5 arbetsdagar", c.SetNonresponderReminders(True, 5)),
        ("påminnelser svar 2 dagar", c.SetNonresponderReminders(True, 2)),
        ("reminders answers after 4 working days", c.SetNonresponderReminders(True, 4)),
        ("påminnelser av", c.PauseReminders(True)),
        ("reminders on", c.PauseReminders(False)),
        ("påminnelser", c.ShowReminders()),
    ],
)
def test_the_settings_are_read_in_swedish_and_english(text: str, command: c.Command) -> None:
    assert parse(text).command == command


@pytest.mark.parametrize("text", ["påminnelser svar", "påminnelser svar ibland", "reminders x"])
def test_an_unreadable_setting_explains_the_words(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse(text)
    assert caught.value.usage_key == "reminders"


def test_a_coordinator_turns_answer_reminders_off_and_on(started: Chat) -> None:
    assert "avstängda" in started.text(ANNA, "påminnelser svar av")
    assert not started.stored.nonresponder_reminders
    assert not started.stored.reminders_paused  # check-ins and other reminders go on
    assert "efter 3 arbetsdagar" in started.text(ANNA, "påminnelser svar på")
    assert started.stored.nonresponder_reminders
    assert started.stored.audit[-1].action == "nonresponder_reminders"


def test_a_coordinator_sets_the_number_of_working_days(started: Chat) -> None:
    started.say(ANNA, "påminnelser svar av")
    reply = started.text(ANNA, "påminnelser svar efter 5 dagar")
    assert "efter 5 arbetsdagar" in reply and "efter 10" in reply
    assert (started.stored.nonresponder_days, started.stored.nonresponder_reminders) == (5, True)


@pytest.mark.parametrize("days", ["0", "11"])
def test_the_number_of_days_is_kept_within_reason(started: Chat, days: str) -> None:
    reply = started.text(ANNA, f"påminnelser svar efter {days} dagar")
    assert "mellan 1 och 10" in reply
    assert started.stored.nonresponder_days == 3


def test_only_a_coordinator_changes_the_answer_reminders(started: Chat) -> None:
    assert "samordnare" in started.text(OMAR, "påminnelser svar av")
    assert "samordnare" in started.text(OMAR, "påminnelser svar efter 5 dagar")
    assert (started.stored.nonresponder_reminders, started.stored.nonresponder_days) == (True, 3)


def test_reminders_show_the_setting_and_give_a_coordinator_buttons(started: Chat) -> None:
    reply = started.message(ANNA, "påminnelser")
    assert "påminns efter 3 arbetsdagar" in reply.plain_text
    assert "`avstämning varje tisdag 09:00`" in reply.plain_text  # how to change the cadence
    assert [(a.command, a.style) for a in reply.actions] == [
        ("avstämning varje tisdag 09:00", "primary"),  # no check-in yet: one press sets it
        ("påminnelser svar av", "default"),
        ("påminnelser av", "danger"),
    ]
    assert started.message(OMAR, "påminnelser").actions == ()
    started.say(ANNA, reply.actions[0].command)
    assert started.stored.checkin is not None and started.stored.checkin.weekday == 1
    after = started.message(ANNA, "påminnelser")
    assert [a.command for a in after.actions] == ["påminnelser svar av", "påminnelser av"]


def test_the_buttons_follow_the_settings_and_pressing_one_does_what_it_says(
    started: Chat,
) -> None:
    for _ in range(2):
        reply = started.message(ANNA, "påminnelser")
        button = next(a for a in reply.actions if a.command.startswith("påminnelser svar"))
        started.say(ANNA, button.command)  # a button sends its command as typed
    assert started.stored.nonresponder_reminders  # off, then on again
    stop_all = started.message(ANNA, "påminnelser").actions[-1]
    started.say(ANNA, stop_all.command)
    assert started.stored.reminders_paused
    paused = started.message(ANNA, "påminnelser")
    assert "avstängda" in paused.plain_text
    assert [a.command for a in paused.actions] == ["påminnelser på"]
    started.say(ANNA, paused.actions[0].command)
    assert not started.stored.reminders_paused


def test_with_the_answer_reminders_off_the_button_turns_them_on(started: Chat) -> None:
    started.say(ANNA, "påminnelser svar av")
    reply = started.message(ANNA, "påminnelser")
    assert "Påminnelser till parter som inte har svarat är avstängda" in reply.plain_text
    assert "påminnelser svar på" in [a.command for a in reply.actions]


def test_reminders_say_when_the_silent_organisations_hear_next_without_naming_them(
    started: Chat, clock: FakeClock
) -> None:
    started.say(ANNA, "fråga")  # a card, posted Monday 2026-11-23
    clock.advance(hours=2)
    started.say(OMAR, "svara 1 Vi har lokaler")
    reply = started.message(LINA, "påminnelser")
    # Thursday, three working days later, at 09:00; Malmö stad and Läxhjälpen have not answered.
    assert "Nästa påminnelse om den senaste frågan: 2026-11-26 09:00" in reply.plain_text
    assert "inte svarat ännu: 2" in reply.plain_text
    assert "Läxhjälpen" not in reply.plain_text and "Malmö stad" not in reply.plain_text
    assert "Inget är inplanerat" not in reply.plain_text
    assert "antalet dagar med `påminnelser svar efter 3 dagar`" in reply.plain_text


def test_the_settings_reply_in_english(clock: FakeClock) -> None:
    uow = FakeUnitOfWork()
    chat = Chat(make_bot(uow, clock, language="en"), uow)
    chat.say(ANNA, "start Homework help")
    reply = chat.message(ANNA, "reminders")
    assert "reminded after 3 working days" in reply.plain_text
    assert [a.label for a in reply.actions] == [
        "Check-in Tuesdays 09:00",
        "Stop answer reminders",
        "Stop all reminders",
    ]
    assert "between 1 and 10" in chat.text(ANNA, "reminders answers after 12 days")


def render(kind: str, language: str, **params: str) -> str:
    """The nudge as its text reads."""
    return nudge_reply(kind, {**params, "language": language}, MODEL).plain_text


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("sv", "Vi har inte hört från Föreningen <X> om frågan från 2026-12-01 ännu"),
        ("en", "We haven't heard from Föreningen <X> on the question from 2026-12-01 yet"),
    ],
)
def test_a_reminder_to_an_organisation_shows_the_question_and_how_to_answer(
    language: Language, expected: str
) -> None:
    params = {"round": "card", "since": "2026-12-01", "questions": "problem.1"}
    shown = render("nonresponder", language, organisation="Föreningen <X>", **params)
    place = MODEL.question("problem.1")
    assert place is not None
    assert expected in shown
    assert f"– {place.question.text.get(language)}" in shown
    expected = "svara Problem- och behovsformulering 1:"
    assert (expected if language == "sv" else "answer Problem and needs formulation 1:") in shown
    assert "problem.1" not in shown


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("sv", "Till samordnarna: Fritidsbanken, Läxhjälpen har inte hört av sig sedan "
               "avstämningen 2026-12-01, trots en påminnelse."),
        ("en", "For the coordinators: Fritidsbanken, Läxhjälpen have not been in touch since the "
               "check-in on 2026-12-01, despite a reminder."),
    ],
)  # fmt: skip
def test_the_note_to_the_coordinators_is_one_short_line(language: str, expected: str) -> None:
    params = {
        "round": "checkin",
        "since": "2026-12-01",
        "organisations": "Fritidsbanken, Läxhjälpen",
    }
    shown = render("coordinator_note", language, **params)
    assert shown.startswith(expected)
    assert "\n" not in shown


def test_a_check_in_reminder_reads_in_both_languages() -> None:
    params = {"round": "checkin", "since": "2026-12-01", "organisation": "Fritidsbanken"}
    sv = render("nonresponder", "sv", **params)
    en = render("nonresponder", "en", **params)
    assert sv.startswith("Vi har inte hört från Fritidsbanken sedan avstämningen 2026-12-01")
    assert en.startswith("We haven't heard from Fritidsbanken since the check-in on 2026-12-01")
