"""Reminders to organisations that have not answered, on SQLite and PostgreSQL: the settings are
stored, migration 0005 gives existing collaborations the defaults, and the clock puts each
organisation's reminder of a round into the outbox once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, text
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, select

from bot.calendar import WeekendCalendar
from bot.domain import Answer, ChannelRef, Collaboration, Member, PostedCard, Role, new_id
from bot.map import ModelMap
from engine.delivery import Delivery
from engine.nudge_clock import NudgeClock
from model_content.loader import default_model
from storage import SqlUnitOfWork, make_engine, upgrade
from storage.database import alembic_config
from storage.due import SqlCollaborations
from storage.outbox import SqlOutbox
from storage.tables import OutboxRow
from tests.fakes import FakeClock, FakeLeader, FakeSender, FakeUnitOfWork
from tests.integration.builders import CHANNEL, collaboration

MODEL = ModelMap(default_model())
PEOPLE = ("Anna", "Omar", "Lina", "Sara", "Per")
TERMINAL = ChannelRef("console", "local", "laxhjalp")  # delivered unpaced
CARD_AT = datetime(2026, 12, 1, 10, tzinfo=UTC)  # Tuesday


def test_the_settings_are_stored(uow: FakeUnitOfWork | SqlUnitOfWork) -> None:
    made = collaboration()
    made.nonresponder_reminders, made.nonresponder_days = False, 7
    with uow:
        uow.collaborations.add(made)
        uow.commit()
    with uow:
        found = uow.collaborations.get_by_channel(CHANNEL)
        assert found is not None
        assert (found.nonresponder_reminders, found.nonresponder_days) == (False, 7)
        found.nonresponder_reminders = True
        uow.collaborations.save(found)
        uow.commit()
    with uow:
        found = uow.collaborations.get_by_channel(CHANNEL)
        assert found is not None and found.nonresponder_reminders


ROW = (
    "INSERT INTO collaboration (id, platform, workspace, channel, name, language, timezone, "
    "created_at, created_by, cycle) VALUES ('c1', 'slack', 'T1', 'C1', 'Läxhjälp', 'sv', "
    "'Europe/Stockholm', '2026-11-01 09:00:00+00:00', 'U-anna', 1)"
)


def upgrade_with_a_collaboration(engine: Engine) -> None:
    upgrade(engine, "0004")
    with engine.begin() as connection:
        connection.execute(text(ROW))
    upgrade(engine, "0005")


def stored_settings(engine: Engine) -> tuple[bool, int]:
    # In SQL, not through the tables: they describe the latest revision, not 0005.
    query = text("SELECT nonresponder_reminders, nonresponder_days FROM collaboration")
    with engine.connect() as connection:
        reminders, days = connection.execute(query).one()
    return bool(reminders), int(days)


def test_sqlite_upgrade_to_0005_turns_the_reminders_on_after_three_days_and_back(
    tmp_path: Path,
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        upgrade_with_a_collaboration(engine)
        assert stored_settings(engine) == (True, 3)
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0004")
        with engine.connect() as connection:
            count = connection.execute(text("SELECT count(*) FROM collaboration")).scalar_one()
        assert count == 1
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_postgres_upgrade_to_0005_keeps_collaborations_with_the_defaults(
    postgres_databases: Callable[[], str],
) -> None:
    engine = make_engine(postgres_databases())
    try:
        upgrade_with_a_collaboration(engine)
        assert stored_settings(engine) == (True, 3)
    finally:
        engine.dispose()


def stored_with_a_card(session_factory: sessionmaker[Session]) -> None:
    """Four organisations: Fritidsbanken answers the card, Studieförbundet's one member is
    paused, Läxhjälpen's other member is not; Uppsala kommun and Läxhjälpen stay silent."""
    made = Collaboration(
        new_id(), TERMINAL, "Läxhjälp", "sv", "Europe/Stockholm", CARD_AT - timedelta(days=30),
        "U-anna", focus_step_id="problem",
    )  # fmt: skip
    joined = CARD_AT - timedelta(days=20)
    for user_id, organisation, paused in [
        ("U-anna", "Uppsala kommun", None),
        ("U-omar", "Fritidsbanken", None),
        ("U-lina", "Läxhjälpen", None),
        ("U-sara", "Läxhjälpen", date(2027, 1, 31)),
        ("U-per", "Studieförbundet", date(2027, 1, 31)),
    ]:
        made.members[user_id] = Member(
            user_id, user_id[2:].title(), organisation=organisation, joined_at=joined,
            paused_until=paused,
        )  # fmt: skip
    made.members["U-anna"].role = Role.COORDINATOR
    made.cards.append(PostedCard("card-9", "problem.1", CARD_AT))
    at = CARD_AT + timedelta(hours=2)
    made.answers.append(
        Answer(new_id(), "problem.1", "problem", "U-omar", "Omar", "Fritidsbanken", "Ja", at, at)
    )
    with SqlUnitOfWork(session_factory) as uow:
        uow.collaborations.add(made)
        uow.commit()


def rows(session_factory: sessionmaker[Session]) -> list[OutboxRow]:
    with session_factory() as session:
        return list(session.exec(select(OutboxRow)).all())


def test_each_silent_organisation_is_reminded_once_even_by_two_clocks(
    session_factory: sessionmaker[Session],
) -> None:
    stored_with_a_card(session_factory)
    silent = {"Uppsala kommun", "Läxhjälpen"}
    clock = FakeClock(CARD_AT)
    outbox, collaborations = SqlOutbox(session_factory), SqlCollaborations(session_factory)

    def nudge_clock() -> NudgeClock:
        return NudgeClock(collaborations, FakeLeader(), WeekendCalendar(), clock, MODEL)

    first, second = nudge_clock(), nudge_clock()  # two processes
    sender = FakeSender(clock)
    delivery = Delivery(outbox, {"console": sender}, clock, MODEL, sleep=clock.sleep)
    while clock.now() < CARD_AT + timedelta(days=14):
        clock.advance(hours=3)
        first.tick()
        second.tick()
        asyncio.run(delivery.run())
    reminders = [row for row in rows(session_factory) if row.kind == "nonresponder"]
    assert len(reminders) == len({row.due_slot for row in reminders}) == 2
    assert all(row.sent_at is not None for row in reminders)
    # The note to the coordinators is the one for them alone; the others are the reminders.
    said = [sent.text for sent in sender.sent if not sent.target.only_for]
    assert sorted(message.split(" om ")[0] for message in said) == sorted(
        f"Vi har inte hört från {name}" for name in silent
    )
    notes = [sent.text for sent in sender.sent if sent.target.only_for]
    assert len(notes) == 1 and notes[0].startswith("Till samordnarna: ")
    assert "Läxhjälpen, Uppsala kommun har ännu inte svarat" in notes[0]
    assert [sent.target.only_for for sent in sender.sent if sent.target.only_for] == [("U-anna",)]
    assert not any(name in sent.text for sent in sender.sent for name in PEOPLE)
