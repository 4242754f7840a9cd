"""The contract of CollaborationRepository + UnitOfWork, run on the fake, SQLite and PostgreSQL.

If the fake passes where SQL fails (or the reverse), core tests written against the fake would
prove nothing about production; this suite keeps them honest.
"""

from __future__ import annotations

import copy
from datetime import UTC, date, time

import pytest

from bot.cadence import Cadence
from bot.domain import (
    Answer,
    AnswerVersion,
    ChannelRef,
    Collaboration,
    Member,
    MessageKey,
    Person,
    PostedCard,
    Role,
    RoleAssignment,
    Sector,
    StepStatus,
    new_id,
)
from bot.ports import UnitOfWork
from tests.fakes import as_loaded
from tests.integration.builders import CHANNEL, at, collaboration, datetimes


class Boom(Exception):
    pass


def store(uow: UnitOfWork, *aggregates: Collaboration) -> None:
    with uow:
        for aggregate in aggregates:
            uow.collaborations.add(aggregate)
        uow.commit()


def test_an_added_collaboration_reads_back_equal(uow: UnitOfWork) -> None:
    original = collaboration()
    expected = copy.deepcopy(original)
    store(uow, original)

    with uow:
        loaded = uow.collaborations.get_by_channel(CHANNEL)
        assert loaded is not None
        assert loaded is not original
        assert loaded == as_loaded(expected)
        assert loaded.answers[0].history == expected.answers[0].history != []
        assert all(value.utcoffset() is not None for value in datetimes(loaded))


def test_saved_changes_read_back_after_commit(uow: UnitOfWork) -> None:
    store(uow, collaboration())

    with uow:
        c = uow.collaborations.get_by_channel(CHANNEL)
        assert c is not None
        c.member(Person("U-sara", "Sara"), at(20)).sector = Sector.TARGET_GROUP
        c.members["U-omar"].role = Role.COORDINATOR
        c.members["U-omar"].paused_until = None
        c.focus("1.3", "U-anna", at(20))
        c.answers[1].revise("Biblioteket och fritidsgården har lokaler.", at(21))
        c.decisions[1].confirmed_by, c.decisions[1].confirmed_at = "U-anna", at(22)
        c.decisions[1].review_on = date(2027, 6, 1)
        c.decisions[0].withdrawn_at, c.decisions[0].withdrawn_reason = at(24), "ersatt av beslut 2"
        c.answers[0].withdraw(at(25))
        c.cycle, c.last_question_id = 3, None
        c.cards.append(PostedCard("ts-3", "1.3.q1", at(23)))
        uow.collaborations.save(c)
        expected = copy.deepcopy(c)
        uow.commit()

    with uow:
        loaded = uow.collaborations.get_by_channel(CHANNEL)
        assert loaded == as_loaded(expected)
        assert loaded is not None and loaded.decisions[0].withdrawn_reason == "ersatt av beslut 2"
        assert loaded.answers[0].withdrawn_at == at(25)  # kept for the record, stored as such


def test_members_roles_and_cards_may_shrink(uow: UnitOfWork) -> None:
    store(uow, collaboration())

    with uow:
        c = uow.collaborations.get_by_channel(CHANNEL)
        assert c is not None
        del c.members["U-lea"]
        c.roles = [RoleAssignment("U-lea", "dokumenterar", "U-anna", at(30))]
        c.cards = c.cards[1:]
        uow.collaborations.save(c)
        uow.commit()

    with uow:
        c = uow.collaborations.get_by_channel(CHANNEL)
    assert c is not None
    assert set(c.members) == {"U-anna", "U-omar"}
    assert c.roles == [RoleAssignment("U-lea", "dokumenterar", "U-anna", at(30))]
    assert [card.message_ref for card in c.cards] == ["ts-1"]


def test_revising_an_answer_keeps_every_earlier_version_in_order(uow: UnitOfWork) -> None:
    store(uow, collaboration())
    for hour, wording in ((40, "andra"), (41, "tredje")):
        with uow:
            c = uow.collaborations.get_by_channel(CHANNEL)
            assert c is not None
            c.answers[0].revise(wording, at(hour))
            uow.collaborations.save(c)
            uow.commit()

    with uow:
        c = uow.collaborations.get_by_channel(CHANNEL)
        assert c is not None
        answer = c.answers[0]
    assert answer.text == "tredje"
    assert answer.updated_at == at(41)
    assert answer.history == [
        AnswerVersion("Fler unga ska klara skolan.", at(4)),
        AnswerVersion("Fler unga i Gottsunda ska klara gymnasiet.", at(5)),
        AnswerVersion("andra", at(40)),
    ]


def test_an_answer_given_and_saved_is_read_once_before_the_commit(uow: UnitOfWork) -> None:
    store(uow, collaboration())
    with uow:
        c = uow.collaborations.get_by_channel(CHANNEL)
        assert c is not None
        given = Answer(
            new_id(), "1.2.q1", "1.2", "U-sara", "Sara", None, "Kyrkan har lokaler.", at(30),
            at(30), 2, "ts-30",
        )  # fmt: skip
        c.answers.append(given)
        uow.collaborations.save(c)
        texts = [a.text for a in c.answers_to("1.2.q1")]
        assert texts == ["Biblioteket har lokaler.", "Kyrkan har lokaler."]
        assert c.answer_by_source("ts-30") is given
        assert [a.text for a in c.answers][-1:] == ["Kyrkan har lokaler."]
        assert len(c.answers) == 3


def test_uncommitted_changes_vanish_when_the_unit_of_work_ends(uow: UnitOfWork) -> None:
    store(uow, collaboration())
    with uow:
        c = uow.collaborations.get_by_channel(CHANNEL)
        assert c is not None
        c.name = "Nytt namn"
        c.record(at(50), "U-anna", "rename")
        uow.collaborations.save(c)
        uow.collaborations.add(collaboration(ChannelRef("slack", "T-uppsala", "C-other")))

    with uow:
        c = uow.collaborations.get_by_channel(CHANNEL)
        other = uow.collaborations.get_by_channel(ChannelRef("slack", "T-uppsala", "C-other"))
        trail = uow.collaborations.audit_trail(c.id) if c else []
    assert c is not None
    assert c.name == "Läxhjälp i Gottsunda"
    assert [entry.action for entry in trail] == ["start", "focus", "answer"]
    assert other is None


def test_an_exception_inside_the_block_writes_nothing(uow: UnitOfWork) -> None:
    with pytest.raises(Boom), uow:
        uow.collaborations.add(collaboration())
        raise Boom()

    with uow:
        assert uow.collaborations.get_by_channel(CHANNEL) is None


def test_rollback_discards_what_was_saved_since_the_last_commit(uow: UnitOfWork) -> None:
    with uow:
        uow.collaborations.add(collaboration())
        uow.commit()
        c = uow.collaborations.get_by_channel(CHANNEL)
        assert c is not None
        c.set_step_status("1.3", StepStatus.DONE, "U-anna", at(60))
        uow.collaborations.save(c)
        uow.rollback()

        again = uow.collaborations.get_by_channel(CHANNEL)
        assert again is not None
        assert again.steps["1.3"].status is StepStatus.NOT_STARTED
        assert len(uow.collaborations.audit_trail(again.id)) == 3


def test_one_channel_never_sees_another_channels_collaboration(uow: UnitOfWork) -> None:
    neighbours = [
        ChannelRef("slack", "T-uppsala", "C-other"),
        ChannelRef("slack", "T-other", CHANNEL.channel),
        ChannelRef("telegram", CHANNEL.workspace, CHANNEL.channel),
    ]
    ours = collaboration()
    theirs = [collaboration(channel, name=f"Granne {i}") for i, channel in enumerate(neighbours)]
    store(uow, *theirs, ours)

    with uow:
        found = uow.collaborations.get_by_channel(CHANNEL)
        elsewhere = [uow.collaborations.get_by_channel(channel) for channel in neighbours]
        nowhere = uow.collaborations.get_by_channel(ChannelRef("slack", "T-uppsala", "C-none"))
    assert found is not None
    assert found.id == ours.id
    assert [c.id if c else None for c in elsewhere] == [c.id for c in theirs]
    assert nowhere is None


def test_one_unit_of_work_hands_out_one_object_per_channel(uow: UnitOfWork) -> None:
    store(uow, collaboration())
    with uow:
        first = uow.collaborations.get_by_channel(CHANNEL)
        assert first is not None
        first.members["U-new"] = Member("U-new", "Ny", joined_at=at(70).astimezone(UTC))
        assert uow.collaborations.get_by_channel(CHANNEL) is first


def test_a_collaboration_moved_to_another_channel_is_found_only_there(uow: UnitOfWork) -> None:
    store(uow, collaboration())
    new = ChannelRef(CHANNEL.platform, CHANNEL.workspace, "C-supergroup")
    with uow:
        loaded = uow.collaborations.get_by_channel(CHANNEL)
        assert loaded is not None
        loaded.channel = new
        uow.collaborations.save(loaded)
        uow.commit()
    with uow:
        assert uow.collaborations.get_by_channel(CHANNEL) is None
        moved = uow.collaborations.get_by_channel(new)
        assert moved is not None and moved.channel == new


def test_the_schedule_reads_back_after_add_and_after_save(uow: UnitOfWork) -> None:
    original = collaboration()
    original.checkin = Cadence(1, time(9, 0), 2, original.timezone, date(2026, 11, 23))
    original.evaluation_on = date(2027, 6, 1)
    original.quiet_july = True
    expected = copy.deepcopy(original)
    store(uow, original)

    with uow:
        c = uow.collaborations.get_by_channel(CHANNEL)
        assert c == as_loaded(expected)
        assert c is not None
        c.checkin, c.evaluation_on, c.reminders_paused = None, None, True
        c.quiet_july = False
        uow.collaborations.save(c)
        expected = copy.deepcopy(c)
        uow.commit()

    with uow:
        assert uow.collaborations.get_by_channel(CHANNEL) == expected


def test_the_case_number_reads_back_and_can_be_removed(uow: UnitOfWork) -> None:
    original = collaboration()
    original.case_number = "KS 2026/123"
    store(uow, original)
    with uow:
        c = uow.collaborations.get_by_channel(CHANNEL)
        assert c is not None and c.case_number == "KS 2026/123"
        c.case_number = None
        uow.collaborations.save(c)
        uow.commit()
    with uow:
        c = uow.collaborations.get_by_channel(CHANNEL)
        assert c is not None and c.case_number is None


def test_message_counts_read_back_and_grow(uow: UnitOfWork) -> None:
    original = collaboration()
    original.focus_step_id = None
    original.count_message("U-omar")  # before any step was in focus
    store(uow, original)
    with uow:
        c = uow.collaborations.get_by_channel(CHANNEL)
        assert c is not None and c.message_counts == {MessageKey(c.cycle, "", "U-omar"): 1}
        c.focus("1.3", "U-anna", at(20))
        c.count_message("U-omar")
        c.count_message("U-omar")
        c.count_message("U-anna")
        uow.collaborations.save(c)
        uow.commit()
    with uow:
        c = uow.collaborations.get_by_channel(CHANNEL)
        assert c is not None
        assert c.message_counts == {
            MessageKey(c.cycle, "", "U-omar"): 1,
            MessageKey(c.cycle, "1.3", "U-omar"): 2,
            MessageKey(c.cycle, "1.3", "U-anna"): 1,
        }
