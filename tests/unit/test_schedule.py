"""When nudges are due: pure rules on a fake calendar and fixed instants, no clock read."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise

import pytest

from bot.cadence import Cadence, CadenceFormatError, parse_cadence
from bot.calendar import WeekendCalendar, working_days_before
from bot.domain import Answer, ChannelRef, Collaboration, Decision, Member
from bot.map import ModelMap
from bot.schedule import (
    NudgeKind,
    checkin_questions,
    collapse_late,
    due_nudges,
    next_checkin,
    reminders_for,
)
from model_content.loader import default_model

STOCKHOLM = "Europe/Stockholm"
WEEKDAYS_ONLY = WeekendCalendar()


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def tuesdays(every: int = 1, anchor: date = date(2026, 10, 1)) -> Cadence:
    return Cadence(1, time(9, 0), every, STOCKHOLM, anchor)


def collaboration(**fields: object) -> Collaboration:
    made = Collaboration(
        "c1", ChannelRef("console", "w", "ch"), "Läxhjälp", "sv", STOCKHOLM, utc(2026, 1, 1), "u1"
    )
    for name, value in fields.items():
        setattr(made, name, value)
    return made


@pytest.mark.parametrize(
    ("text", "weekday", "at", "every"),
    [
        ("varje tisdag 09:00", 1, time(9, 0), 1),
        ("varannan måndag 10:00", 0, time(10, 0), 2),
        ("every tuesday 09:00", 1, time(9, 0), 1),
        ("every 2 weeks mon 10:00", 0, time(10, 0), 2),
        ("every other Friday 8.30", 4, time(8, 30), 2),
        ("var tredje vecka, onsdag 13:15", 2, time(13, 15), 3),
    ],
)
def test_a_cadence_is_read_in_swedish_and_english(
    text: str, weekday: int, at: time, every: int
) -> None:
    cadence = parse_cadence(text, STOCKHOLM, date(2026, 11, 23))
    assert (cadence.weekday, cadence.at, cadence.every_weeks) == (weekday, at, every)
    assert cadence.timezone == STOCKHOLM


@pytest.mark.parametrize("text", ["varje 09:00", "every tuesday", "varje tisdag 25:00", ""])
def test_a_cadence_without_weekday_or_valid_time_is_refused(text: str) -> None:
    with pytest.raises(CadenceFormatError):
        parse_cadence(text, STOCKHOLM, date(2026, 11, 23))


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        # Last Sunday of October 2026 is the 25th: CEST (UTC+2) before, CET (UTC+1) after.
        (utc(2026, 10, 19), utc(2026, 10, 20, 7)),
        (utc(2026, 10, 20, 7), utc(2026, 10, 27, 8)),
        # Last Sunday of March 2027 is the 28th: CET before, CEST after.
        (utc(2027, 3, 22), utc(2027, 3, 23, 8)),
        (utc(2027, 3, 23, 8), utc(2027, 3, 30, 7)),
    ],
)
def test_a_checkin_stays_at_nine_local_across_daylight_saving(
    after: datetime, expected: datetime
) -> None:
    assert next_checkin(tuesdays(), after, WEEKDAYS_ONLY) == expected


def test_a_checkin_is_strictly_after_and_never_doubles_or_skips_over_a_year() -> None:
    seen = []
    current = utc(2026, 10, 1)
    for _ in range(53):
        current = next_checkin(tuesdays(), current, WEEKDAYS_ONLY)
        seen.append(current)
    local = [instant.astimezone(tuesdays().zone()) for instant in seen]
    assert all(moment.hour == 9 and moment.minute == 0 for moment in local)
    assert all(moment.weekday() == 1 for moment in local)
    assert all((b.date() - a.date()).days == 7 for a, b in pairwise(local))


def test_every_other_week_follows_the_anchor_week() -> None:
    cadence = tuesdays(every=2, anchor=date(2026, 11, 23))
    first = next_checkin(cadence, utc(2026, 11, 23), WEEKDAYS_ONLY)
    second = next_checkin(cadence, first, WEEKDAYS_ONLY)
    assert first == utc(2026, 11, 24, 8)
    assert second == utc(2026, 12, 8, 8)


def test_a_checkin_on_a_closed_day_moves_to_the_next_working_day() -> None:
    calendar = WeekendCalendar(closed=[date(2026, 12, 1)])
    assert next_checkin(tuesdays(), utc(2026, 11, 25), calendar) == utc(2026, 12, 2, 8)


def test_reminders_are_fourteen_and_two_working_days_before_and_on_the_day() -> None:
    # Friday 2026-12-18; working days only, no holidays in this fake calendar.
    assert reminders_for(date(2026, 12, 18), WEEKDAYS_ONLY) == [
        date(2026, 11, 30),
        date(2026, 12, 16),
        date(2026, 12, 18),
    ]


def test_a_reminder_due_on_a_weekend_is_given_the_working_day_before() -> None:
    assert reminders_for(date(2026, 12, 20), WEEKDAYS_ONLY)[-1] == date(2026, 12, 18)
    assert working_days_before(date(2026, 12, 21), 2, WEEKDAYS_ONLY) == date(2026, 12, 17)


def test_due_nudges_are_the_checkins_and_reminders_in_the_window() -> None:
    decision = Decision("d1", 3, "Ses i biblioteket", "u1", "Anna", utc(2026, 11, 1))
    decision.review_on = date(2026, 12, 18)
    made = collaboration(checkin=tuesdays(), evaluation_on=date(2026, 12, 18), decisions=[decision])
    nudges = due_nudges(made, utc(2026, 12, 18, 12), WEEKDAYS_ONLY, utc(2026, 12, 14))
    assert [(n.kind, n.due_slot) for n in nudges] == [
        (NudgeKind.CHECKIN, "2026-12-15T08:00:00+00:00"),
        (NudgeKind.EVALUATION, "2026-12-16T08:00:00+00:00"),
        (NudgeKind.REVIEW, "2026-12-16T08:00:00+00:00"),
        (NudgeKind.EVALUATION, "2026-12-18T08:00:00+00:00"),
        (NudgeKind.REVIEW, "2026-12-18T08:00:00+00:00"),
    ]
    assert nudges[2].params == {"decisions": "3:2026-12-18"}
    assert nudges[0].key == ("c1", "checkin", "2026-12-15T08:00:00+00:00")


def test_the_same_window_gives_the_same_nudges_and_paused_members_are_named() -> None:
    member = Member("u2", "Omar", paused_until=date(2026, 12, 31))
    made = collaboration(checkin=tuesdays(), members={"u2": member})
    window = (utc(2026, 12, 14), utc(2026, 12, 16))
    first = due_nudges(made, window[1], WEEKDAYS_ONLY, window[0])
    assert first == due_nudges(made, window[1], WEEKDAYS_ONLY, window[0])
    assert first[0].params == {"name": "Läxhjälp", "local": "2026-12-15 09:00", "paused": "Omar"}


def test_nothing_is_due_while_reminders_are_paused_or_outside_the_window() -> None:
    paused = collaboration(checkin=tuesdays(), reminders_paused=True)
    assert due_nudges(paused, utc(2027, 1, 1), WEEKDAYS_ONLY, utc(2026, 12, 1)) == []
    quiet = collaboration(checkin=tuesdays())
    assert due_nudges(quiet, utc(2026, 12, 15, 7), WEEKDAYS_ONLY, utc(2026, 12, 14)) == []


def test_late_nudges_are_folded_into_one_per_kind_and_timely_ones_kept() -> None:
    made = collaboration(checkin=tuesdays())
    now = utc(2026, 12, 29, 8, 30)
    nudges = due_nudges(made, now, WEEKDAYS_ONLY, utc(2026, 12, 1))
    assert len(nudges) == 5
    folded = collapse_late(nudges, now, timedelta(hours=1))
    assert [(n.due_slot, n.params.get("missed")) for n in folded] == [
        ("2026-12-22T08:00:00+00:00", "4"),
        ("2026-12-29T08:00:00+00:00", None),
    ]


class EveryDay:
    def is_working_day(self, day: date) -> bool:
        return True


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        # 02:30 does not exist on 2027-03-28 in Stockholm: it fires once, at 03:30 CEST.
        (utc(2027, 3, 27), utc(2027, 3, 28, 1, 30)),
        # 02:30 happens twice on 2026-10-25: it fires once, at the first (CEST) one.
        (utc(2026, 10, 24), utc(2026, 10, 25, 0, 30)),
    ],
)
def test_a_slot_in_a_daylight_saving_gap_or_overlap_fires_exactly_once(
    after: datetime, expected: datetime
) -> None:
    cadence = Cadence(6, time(2, 30), 1, STOCKHOLM, date(2026, 10, 1))
    first = next_checkin(cadence, after, EveryDay())
    assert first == expected
    assert (next_checkin(cadence, first, EveryDay()) - first).days >= 6


MODEL = ModelMap(default_model())


def test_during_implementation_check_ins_ask_genomfor_and_utveckla_in_turn() -> None:
    made = collaboration(checkin=tuesdays(), focus_step_id="develop")
    pool = [q.id for step in ("implement", "develop") for q in MODEL.step(step).questions]
    weeks = [utc(2027, 1, 5) + timedelta(weeks=n) for n in range(len(pool))]
    asked = [checkin_questions(made, MODEL, week) for week in weeks]
    assert all(len(questions) == 2 for questions in asked)
    assert len(set(asked)) > 1  # it rotates
    assert {q for questions in asked for q in questions} == set(pool)  # and reaches them all


def test_earlier_check_ins_ask_the_focus_steps_open_questions() -> None:
    made = collaboration(checkin=tuesdays(), focus_step_id="target_group")
    first, second, third = MODEL.step("target_group").questions[:3]
    assert checkin_questions(made, MODEL, utc(2027, 1, 5)) == (first.id, second.id)
    nudges = due_nudges(made, utc(2026, 12, 18, 12), WEEKDAYS_ONLY, utc(2026, 12, 14), MODEL)
    assert nudges[0].params["questions"] == f"{first.id} {second.id}"
    answered = Answer("a", first.id, "target_group", "u1", "Anna", None, "Ja", utc(2026, 1, 2),
                      utc(2026, 1, 2))  # fmt: skip
    made.answers.append(answered)
    assert checkin_questions(made, MODEL, utc(2027, 1, 5)) == (second.id, third.id)
    assert checkin_questions(collaboration(), MODEL, utc(2027, 1, 5)) == ()
