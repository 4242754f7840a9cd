"""When the clock looks at a collaboration: the bookmark misses no nudge that
:func:`bot.schedule.due_nudges` finds, over ten months of Swedish holidays, DST changes, a quiet
July, question rounds, reviews and evaluations; changes are planned from the clock's last look.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.cadence import Cadence
from bot.domain import Answer, ChannelRef, Collaboration, Decision, Member, PostedCard, Role
from bot.map import ModelMap
from bot.nudge_plan import (
    HORIZON,
    SCHEDULE_FIELDS,
    next_nudge_at,
    nudged,
    plan_nudges,
    replan,
    schedule_of,
)
from bot.schedule import Nudge, due_nudges
from model_content.loader import default_model
from runtime.swedish_calendar import SwedishCalendar

MODEL = ModelMap(default_model())
SWEDEN = SwedishCalendar()
STOCKHOLM = "Europe/Stockholm"
START = datetime(2026, 11, 2, 7, tzinfo=UTC)  # a Monday morning


def busy(**fields: object) -> Collaboration:
    """Partners of three organisations, a card, a check-in, decisions to review and an
    evaluation: every kind of nudge the clock knows."""
    made = Collaboration(
        "c1", ChannelRef("test", "W1", "C1"), "Läxhjälp", "sv", STOCKHOLM, START, "U-anna"
    )
    made.focus_step_id = "problem"
    made.members = {
        "U-anna": Member("U-anna", "Anna", Role.COORDINATOR, organisation="Malmö stad"),
        "U-omar": Member("U-omar", "Omar", organisation="Fritidsbanken"),
        "U-lina": Member("U-lina", "Lina", organisation="Läxhjälpen"),
    }
    made.cards.append(PostedCard("card1", "problem.1", START + timedelta(hours=2)))
    made.checkin = Cadence(1, time(9, 0), 2, STOCKHOLM, date(2026, 11, 3))  # every other Tuesday
    made.evaluation_on = date(2027, 6, 10)
    made.decisions = [
        Decision("d1", 1, "Lokal", "U-anna", "Anna", START, review_on=date(2027, 1, 7)),
        Decision("d2", 2, "Budget", "U-anna", "Anna", START, review_on=date(2027, 3, 30)),
    ]
    made.answers.append(
        Answer("a1", "problem.1", "problem", "U-omar", "Omar", "Fritidsbanken", "Ja",
               START + timedelta(hours=3), START + timedelta(hours=3))
    )  # fmt: skip
    made.quiet_july = True
    for name, value in fields.items():
        setattr(made, name, value)
    return made


STEP = timedelta(hours=4)  # the clock's tick, coarse so that a year runs quickly


def every_tick_for_ten_months(made: Collaboration) -> list[Nudge]:
    """What a clock that asks every collaboration at every tick finds (as it did before)."""
    found = []
    instant = START
    while instant < START + timedelta(days=300):
        found += due_nudges(made, instant + STEP, SWEDEN, instant, MODEL)
        instant += STEP
    return found


def by_bookmark_for_ten_months(made: Collaboration) -> tuple[list[Nudge], int]:
    """What a clock that asks only when the bookmark says finds; and how often it asked."""
    found, looks = [], 0
    made.nudged_until, made.next_nudge_at = START, next_nudge_at(made, START, SWEDEN)
    instant = START
    while instant < START + timedelta(days=300):
        instant += STEP
        assert made.next_nudge_at is not None and made.nudged_until is not None
        if made.next_nudge_at <= instant:
            found += due_nudges(made, instant, SWEDEN, made.nudged_until, MODEL)
            nudged(made, instant, SWEDEN)
            looks += 1
    return found, looks


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"nonresponder_days": 10},
        {"checkin": Cadence(4, time(14, 30), 1, STOCKHOLM, date(2026, 11, 6))},  # Fridays
        {"checkin": None},
        {"quiet_july": False, "cards": []},
    ],
    ids=["every-kind", "ten-days", "fridays", "no-checkin", "no-card"],
)
def test_asking_only_when_the_bookmark_says_finds_every_nudge_of_ten_months(
    fields: dict[str, object],
) -> None:
    expected = every_tick_for_ten_months(busy(**fields))
    found, looks = by_bookmark_for_ten_months(busy(**fields))
    assert [n.key for n in found] == [n.key for n in expected]
    assert len(expected) > 10  # check-ins, reviews, the evaluation, rounds
    assert looks < 300 + len(expected)  # about once a day, and when something is due


def test_the_next_look_is_the_next_check_in_across_a_change_to_summer_time() -> None:
    weekly = Cadence(1, time(9, 0), 1, STOCKHOLM, date(2026, 11, 3))
    made = busy(checkin=weekly, decisions=[], evaluation_on=None, nonresponder_reminders=False)
    after = datetime(2027, 3, 23, 9, tzinfo=UTC)  # Tuesday; the clocks go forward on the 28th
    assert next_nudge_at(made, after, SWEDEN) == after + HORIZON  # nothing sooner
    looked = datetime(2027, 3, 29, 12, tzinfo=UTC)
    assert next_nudge_at(made, looked, SWEDEN) == datetime(2027, 3, 30, 7, tzinfo=UTC)  # CEST


def test_paused_reminders_are_looked_at_only_once_a_day() -> None:
    made = busy(reminders_paused=True)
    assert next_nudge_at(made, START, SWEDEN) == START + HORIZON


def test_a_new_collaboration_is_planned_from_its_start() -> None:
    made = busy()
    made.nudged_until = made.next_nudge_at = None
    plan_nudges(made, START, SWEDEN)
    assert made.nudged_until == START
    assert made.next_nudge_at == next_nudge_at(made, START, SWEDEN)


def test_a_collaboration_never_looked_at_waits_for_the_clock() -> None:
    made = busy()
    made.next_nudge_at = START - timedelta(days=3)  # due since an upgrade; never looked at
    plan_nudges(made, START, SWEDEN)
    assert (made.nudged_until, made.next_nudge_at) == (None, START - timedelta(days=3))


def test_a_due_nudge_keeps_its_place_through_a_change() -> None:
    made = busy()
    due = datetime(2026, 11, 3, 8, tzinfo=UTC)  # the Tuesday check-in, 09:00
    made.nudged_until, made.next_nudge_at = due - timedelta(minutes=1), due
    made.members["U-new"] = Member("U-new", "Nora", organisation="Röda korset")
    plan_nudges(made, due + timedelta(seconds=20), SWEDEN)  # before the clock looked
    assert made.next_nudge_at == due
    assert made.nudged_until == due - timedelta(minutes=1)


def test_a_change_that_makes_something_due_in_the_past_counts_from_now() -> None:
    made = busy(evaluation_on=None, nonresponder_reminders=False)
    now = datetime(2026, 11, 20, 8, 10, tzinfo=UTC)  # Friday, 09:10 in Stockholm
    nudged(made, now - timedelta(minutes=20), SWEDEN)
    made.evaluation_on = date(2026, 11, 24)  # reminded two working days before: 09:00 today
    assert due_nudges(made, now, SWEDEN, now - timedelta(minutes=20), MODEL) != []
    plan_nudges(made, now, SWEDEN)
    assert made.nudged_until == now  # the reminder of ten minutes ago is not said
    assert made.next_nudge_at is not None and made.next_nudge_at > now
    assert due_nudges(made, made.next_nudge_at - timedelta(seconds=1), SWEDEN, now, MODEL) == []


def test_a_change_that_brings_a_nudge_forward_moves_the_next_look() -> None:
    made = busy(evaluation_on=None, nonresponder_reminders=False)
    now = datetime(2026, 11, 24, 10, tzinfo=UTC)
    nudged(made, now, SWEDEN)
    later = made.next_nudge_at
    made.evaluation_on = date(2026, 11, 27)  # two working days before: Wednesday the 25th
    plan_nudges(made, now + timedelta(minutes=5), SWEDEN)
    assert made.nudged_until == now  # nothing was skipped
    assert made.next_nudge_at == datetime(2026, 11, 25, 8, tzinfo=UTC)
    assert later is not None and made.next_nudge_at < later


def test_a_new_card_is_reminded_of_after_its_working_days() -> None:
    made = busy(checkin=None, decisions=[], evaluation_on=None, cards=[])
    now = datetime(2026, 11, 9, 10, tzinfo=UTC)  # Monday
    wednesday = now + 2 * HORIZON
    assert next_nudge_at(made, wednesday, SWEDEN) == wednesday + HORIZON  # nothing to say
    made.cards.append(PostedCard("card2", "problem.2", now))
    thursday_nine = datetime(2026, 11, 12, 8, tzinfo=UTC)  # three working days later
    assert next_nudge_at(made, wednesday, SWEDEN) == thursday_nine


def test_planning_changes_nothing_else() -> None:
    made = busy()
    before = replace(made)
    plan_nudges(made, START, SWEDEN)
    assert replace(made, nudged_until=None, next_nudge_at=None) == before


class Reading:
    """A collaboration that notes which of its attributes are read."""

    read: set[str]
    _inner: Collaboration

    def __init__(self, inner: Collaboration) -> None:
        object.__setattr__(self, "_inner", inner)
        object.__setattr__(self, "read", set())

    def __getattr__(self, name: str) -> object:
        self.read.add(name)
        return getattr(self._inner, name)


def test_the_plan_reads_only_what_schedule_of_holds() -> None:
    """If the plan came to read something new, an answer could leave it stale: it must then
    join ``SCHEDULE_FIELDS``."""
    for made in (busy(), busy(reminders_paused=True), busy(checkin=None, quiet_july=False)):
        reading = Reading(made)
        next_nudge_at(reading, START + timedelta(days=3), SWEDEN)  # type: ignore[arg-type]
        assert reading.read <= {*SCHEDULE_FIELDS, "decisions", "cards"}
        assert made.reminders_paused or "checkin" in reading.read  # it does see the reads


@pytest.mark.parametrize("hours", [0, 1, 30, 24 * 9, 24 * 40])
def test_an_unchanged_schedule_is_not_planned_again_and_would_plan_the_same(hours: int) -> None:
    """``replan`` skips planning when :func:`schedule_of` is unchanged; planning then would
    have written back what was there, at any later instant."""
    made = busy()
    plan_nudges(made, START, SWEDEN)
    for step in range(1, 6):  # the clock looks now and then, as it does
        nudged(made, START + timedelta(hours=hours + 20 * step), SWEDEN)
    before = schedule_of(made)
    later = START + timedelta(hours=hours + 150)
    planned = replace(made)
    plan_nudges(planned, later, SWEDEN)
    assert (planned.nudged_until, planned.next_nudge_at) == (made.nudged_until, made.next_nudge_at)

    made.answers.append(
        Answer("a2", "problem.1", "problem", "U-lina", "Lina", "Läxhjälpen", "Nej", later, later)
    )
    replan(made, before, later, SWEDEN)  # an answer: nothing it follows from changed
    assert schedule_of(made) == before
    made.evaluation_on = date(2027, 1, 4)  # this does: planned again
    replan(made, before, later, SWEDEN)
    assert schedule_of(made) != before and made.next_nudge_at is not None


def test_a_collaboration_without_a_plan_is_always_planned() -> None:
    made = busy()
    assert schedule_of(made) is None
    replan(made, schedule_of(made), START, SWEDEN)
    assert made.nudged_until == START and made.next_nudge_at is not None
