"""Reminders to organisations that have not answered: pure rules on fixed instants and a fake
clock that moves over working days, holidays and pauses."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.cadence import Cadence
from bot.calendar import WeekendCalendar
from bot.domain import Answer, AuditEntry, ChannelRef, Collaboration, Member, PostedCard, Role
from bot.map import ModelMap
from bot.nonresponders import RoundKind, current_round, silent_organisations, working_days_after
from bot.schedule import Nudge, NudgeKind, collapse_late, due_nudges
from model_content.loader import default_model
from runtime.swedish_calendar import SwedishCalendar
from tests.fakes import FakeClock

MODEL = ModelMap(default_model())
WEEKDAYS = WeekendCalendar()
SWEDEN = SwedishCalendar()
STOCKHOLM = "Europe/Stockholm"
JOINED = datetime(2026, 11, 2, 9, tzinfo=UTC)
# Tuesday 2026-12-01, 11:00 in Stockholm: a card for the focus step's first question.
CARD_AT = datetime(2026, 12, 1, 10, tzinfo=UTC)
QUESTION = "problem.1"


def utc(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def member(user_id: str, name: str, organisation: str | None, **fields: object) -> Member:
    made = Member(user_id, name, organisation=organisation, joined_at=JOINED)
    for key, value in fields.items():
        setattr(made, key, value)
    return made


def partners(card_at: datetime | None = CARD_AT) -> Collaboration:
    made = Collaboration(
        "c1", ChannelRef("test", "W1", "C1"), "Läxhjälp", "sv", STOCKHOLM, utc(2026, 11, 1), "u1"
    )
    made.focus_step_id = "problem"
    made.members = {
        m.user_id: m
        for m in (
            member("U-anna", "Anna", "Malmö stad", role=Role.COORDINATOR),
            member("U-omar", "Omar", "Fritidsbanken"),
            member("U-lina", "Lina", "Läxhjälpen"),
            member("U-sara", "Sara", "Läxhjälpen"),
            member("U-ture", "Ture", None),
        )
    }
    if card_at is not None:
        made.cards.append(PostedCard("card1", QUESTION, card_at))
    return made


def answer(made: Collaboration, user_id: str, question: str, at: datetime) -> None:
    author = made.members[user_id]
    made.answers.append(
        Answer(f"a{len(made.answers)}", question, "problem", user_id, author.display_name,
               author.organisation, "Svar", at, at)
    )  # fmt: skip


def reminded(nudges: list[Nudge]) -> list[str]:
    return sorted(n.params["organisation"] for n in nudges if n.kind is NudgeKind.NONRESPONDER)


def notes(nudges: list[Nudge]) -> list[Nudge]:
    return [n for n in nudges if n.kind is NudgeKind.COORDINATOR_NOTE]


def test_working_days_are_counted_after_the_day_and_skip_weekends_and_holidays() -> None:
    assert working_days_after(date(2026, 12, 1), 3, WEEKDAYS) == date(2026, 12, 4)
    assert working_days_after(date(2026, 12, 4), 3, WEEKDAYS) == date(2026, 12, 9)
    # Julafton and juldagen (24, 25) and the weekend are not counted.
    assert working_days_after(date(2026, 12, 22), 3, SWEDEN) == date(2026, 12, 29)


def test_the_silent_organisations_are_reminded_after_three_working_days() -> None:
    made = partners()
    answer(made, "U-omar", QUESTION, CARD_AT + timedelta(hours=1))
    # Friday 2026-12-04 09:00 in Stockholm is 08:00 UTC.
    due = utc(2026, 12, 4, 8)
    assert due_nudges(made, due - timedelta(seconds=1), WEEKDAYS, utc(2026, 12, 1), MODEL) == []
    nudges = due_nudges(made, due, WEEKDAYS, due - timedelta(minutes=1), MODEL)
    assert reminded(nudges) == ["Läxhjälpen", "Malmö stad"]
    [first] = [n for n in nudges if n.params["organisation"] == "Läxhjälpen"]
    assert first.params == {
        "round": "card",
        "since": "2026-12-01",
        "questions": QUESTION,
        "organisation": "Läxhjälpen",
    }
    assert len({n.key for n in nudges}) == 2  # one slot per organisation
    # Never a person: no member's name is in what the nudge carries.
    names = {m.display_name for m in made.members.values()}
    assert not any(name in value for n in nudges for value in n.params.values() for name in names)


def test_an_answer_from_anyone_of_the_organisation_counts_for_all_of_it() -> None:
    made = partners()
    answer(made, "U-sara", QUESTION, CARD_AT + timedelta(days=1))
    nudges = due_nudges(made, utc(2026, 12, 4, 8), WEEKDAYS, utc(2026, 12, 4, 7), MODEL)
    assert reminded(nudges) == ["Fritidsbanken", "Malmö stad"]


def test_an_answer_to_another_question_does_not_answer_the_card() -> None:
    made = partners()
    answer(made, "U-omar", "problem.2", CARD_AT + timedelta(hours=1))
    round_ = current_round(made, utc(2026, 12, 4, 8), None)
    assert round_ is not None and round_.kind is RoundKind.CARD
    assert "Fritidsbanken" in silent_organisations(made, round_, date(2026, 12, 4))


def test_paused_members_do_not_count_and_a_fully_paused_organisation_is_skipped() -> None:
    made = partners()
    made.members["U-lina"].paused_until = date(2026, 12, 31)
    made.members["U-omar"].paused_until = date(2026, 12, 31)
    nudges = due_nudges(made, utc(2026, 12, 4, 8), WEEKDAYS, utc(2026, 12, 4, 7), MODEL)
    # Läxhjälpen still has Sara; Fritidsbanken has nobody but Omar, who is paused.
    assert reminded(nudges) == ["Läxhjälpen", "Malmö stad"]
    made.members["U-sara"].paused_until = date(2026, 12, 4)
    nudges = due_nudges(made, utc(2026, 12, 4, 8), WEEKDAYS, utc(2026, 12, 4, 7), MODEL)
    assert reminded(nudges) == ["Malmö stad"]


def test_a_pause_that_ended_before_the_reminder_does_not_count() -> None:
    made = partners()
    for user_id in ("U-omar", "U-lina", "U-sara"):
        made.members[user_id].paused_until = date(2026, 12, 3)
    nudges = due_nudges(made, utc(2026, 12, 4, 8), WEEKDAYS, utc(2026, 12, 4, 7), MODEL)
    assert reminded(nudges) == ["Fritidsbanken", "Läxhjälpen", "Malmö stad"]


def test_an_organisation_that_joined_after_the_question_is_not_reminded() -> None:
    made = partners()
    made.members["U-nya"] = Member("U-nya", "Nils", organisation="Nya föreningen",
                                   joined_at=CARD_AT + timedelta(hours=2))  # fmt: skip
    nudges = due_nudges(made, utc(2026, 12, 4, 8), WEEKDAYS, utc(2026, 12, 4, 7), MODEL)
    assert "Nya föreningen" not in reminded(nudges)


def test_after_a_second_silence_the_coordinators_get_one_note_naming_organisations() -> None:
    made = partners()
    answer(made, "U-omar", QUESTION, CARD_AT + timedelta(hours=1))
    answer(made, "U-lina", QUESTION, utc(2026, 12, 7, 10))  # after the reminder
    # Six working days after Tuesday 2026-12-01 is Wednesday 2026-12-09.
    nudges = due_nudges(made, utc(2026, 12, 9, 8), WEEKDAYS, utc(2026, 12, 9, 7), MODEL)
    assert reminded(nudges) == []
    [note] = notes(nudges)
    assert note.params == {
        "round": "card",
        "since": "2026-12-01",
        "organisations": "Malmö stad",
        "coordinators": "U-anna",  # who alone sees it, where the platform allows
    }
    answer(made, "U-anna", QUESTION, utc(2026, 12, 8, 10))
    assert due_nudges(made, utc(2026, 12, 9, 8), WEEKDAYS, utc(2026, 12, 9, 7), MODEL) == []


def test_nothing_is_counted_on_christmas_eve_and_christmas_day() -> None:
    made = partners(card_at=utc(2026, 12, 22, 12))  # Tuesday before Christmas
    window = (utc(2026, 12, 22, 12), utc(2027, 1, 20))
    nudges = due_nudges(made, window[1], SWEDEN, window[0], MODEL)
    # Reminded on the third working day (23, 28, 29 December), the coordinators hear on the
    # sixth (30 December, 4 and 5 January: nyårsafton, nyårsdagen and a weekend between).
    assert {n.due_at for n in nudges} == {utc(2026, 12, 22, 12)}  # the slot names the round
    clock = FakeClock(window[0])
    said: dict[tuple[str, str, str], datetime] = {}
    while clock.now() < window[1]:
        since = clock.now()
        clock.advance(hours=1)
        for nudge in due_nudges(made, clock.now(), SWEDEN, since, MODEL):
            said.setdefault(nudge.key, clock.now())
    by_kind = {(k[1], at) for k, at in said.items()}
    assert by_kind == {
        ("nonresponder", utc(2026, 12, 29, 8)),
        ("coordinator_note", utc(2027, 1, 5, 8)),
    }
    assert len(said) == 4  # three organisations reminded once each, one note


def test_only_the_latest_round_is_reminded_of() -> None:
    made = partners()
    made.cards.append(PostedCard("card2", "problem.2", utc(2026, 12, 3, 10)))
    nudges = due_nudges(made, utc(2026, 12, 4, 8), WEEKDAYS, utc(2026, 12, 4, 7), MODEL)
    assert nudges == []  # the first card's round ended when the second card was posted
    nudges = due_nudges(made, utc(2026, 12, 8, 8), WEEKDAYS, utc(2026, 12, 8, 7), MODEL)
    assert {n.params["questions"] for n in nudges} == {"problem.2"}


def test_moving_the_focus_ends_a_cards_round() -> None:
    made = partners()
    made.audit.append(AuditEntry(utc(2026, 12, 2, 10), "U-anna", "focus", "target_group"))
    assert due_nudges(made, utc(2026, 12, 4, 8), WEEKDAYS, utc(2026, 12, 4, 7), MODEL) == []


def test_a_check_in_that_asks_questions_starts_a_round_any_answer_after_it_counts() -> None:
    made = partners(card_at=None)
    made.checkin = Cadence(1, time(9, 0), 1, STOCKHOLM, date(2026, 11, 2))
    checkin = utc(2026, 12, 1, 8)  # Tuesday 09:00 in Stockholm
    answer(made, "U-omar", "problem.3", checkin + timedelta(hours=3))
    answer(made, "U-lina", "problem.2", checkin - timedelta(hours=3))  # before: does not count
    nudges = due_nudges(made, utc(2026, 12, 4, 8), WEEKDAYS, utc(2026, 12, 4, 7), MODEL)
    assert reminded(nudges) == ["Läxhjälpen", "Malmö stad"]
    assert nudges[0].params["round"] == "checkin"
    # The check-in asked the questions open then (problem.2 had an answer), not those open now.
    assert nudges[0].params["questions"] == "problem.1 problem.3"


def test_check_ins_from_before_the_cadence_was_set_start_no_round() -> None:
    made = partners(card_at=None)
    made.checkin = Cadence(1, time(9, 0), 1, STOCKHOLM, date(2026, 12, 1))
    made.audit.append(AuditEntry(utc(2026, 12, 1, 9), "U-anna", "checkin", "varje tisdag 09:00"))
    assert due_nudges(made, utc(2026, 12, 4, 8), WEEKDAYS, utc(2026, 12, 4, 7), MODEL) == []


def test_the_settings_turn_the_reminders_off_and_change_the_days() -> None:
    made = partners()
    made.nonresponder_reminders = False
    assert due_nudges(made, utc(2026, 12, 4, 8), WEEKDAYS, utc(2026, 12, 4, 7), MODEL) == []
    made.nonresponder_reminders, made.reminders_paused = True, True
    assert due_nudges(made, utc(2026, 12, 4, 8), WEEKDAYS, utc(2026, 12, 4, 7), MODEL) == []
    made.reminders_paused, made.nonresponder_days = False, 5
    assert due_nudges(made, utc(2026, 12, 4, 8), WEEKDAYS, utc(2026, 12, 4, 7), MODEL) == []
    nudges = due_nudges(made, utc(2026, 12, 8, 8), WEEKDAYS, utc(2026, 12, 8, 7), MODEL)
    assert len(reminded(nudges)) == 3


@pytest.mark.parametrize("changed_to", [2, 4])
def test_changing_the_days_mid_round_never_reminds_an_organisation_twice(changed_to: int) -> None:
    made = partners()
    outbox: set[tuple[str, str, str]] = set()
    sent: list[tuple[str, str]] = []
    clock = FakeClock(CARD_AT)
    while clock.now() < utc(2026, 12, 31):
        since = clock.now()
        clock.advance(hours=2)
        if clock.now() >= utc(2026, 12, 4, 9):
            made.nonresponder_days = changed_to
        for nudge in due_nudges(made, clock.now(), WEEKDAYS, since, MODEL):
            if nudge.key not in outbox:  # what the outbox's unique key does
                outbox.add(nudge.key)
                sent.append((nudge.kind.value, nudge.params.get("organisation", "")))
    reminders = [org for kind, org in sent if kind == "nonresponder"]
    assert sorted(reminders) == ["Fritidsbanken", "Läxhjälpen", "Malmö stad"]
    assert [kind for kind, _ in sent].count("coordinator_note") == 1


def test_late_round_nudges_are_not_folded_into_one() -> None:
    made = partners()
    now = utc(2026, 12, 4, 20)
    nudges = due_nudges(made, now, WEEKDAYS, utc(2026, 12, 1), MODEL)
    assert len(nudges) == 3
    assert collapse_late(nudges, now, timedelta(hours=1)) == nudges
