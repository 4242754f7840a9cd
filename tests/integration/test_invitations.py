"""The invitation repository: its contract on the fake, SQLite and PostgreSQL, and the race for
a single-use code on the two SQL backends."""

from __future__ import annotations

import copy
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from bot.domain import Sector
from bot.invitations import VALID_FOR, Invitation, key_of, new_code
from bot.ports import UnitOfWork
from storage import SqlUnitOfWork, make_session_factory
from tests.integration.builders import CHANNEL, T0, at, collaboration, wait_for_a_lock_wait


def invitation(collaboration_id: str, sector: Sector | None = Sector.CIVIL_SOCIETY) -> Invitation:
    return Invitation(
        key=key_of(new_code()),
        collaboration_id=collaboration_id,
        platform=CHANNEL.platform,
        workspace=CHANNEL.workspace,
        organisation="Föreningen Gemenskap",
        sector=sector,
        created_by="U-anna",
        created_at=T0,
        expires_at=T0 + VALID_FOR,
    )


def stored(uow: UnitOfWork, sector: Sector | None = Sector.CIVIL_SOCIETY) -> Invitation:
    """A committed invitation to a committed collaboration."""
    c = collaboration()
    made = invitation(c.id, sector)
    with uow:
        uow.collaborations.add(c)
        uow.invitations.add(copy.deepcopy(made))
        uow.commit()
    return made


@pytest.mark.parametrize("sector", [Sector.CIVIL_SOCIETY, None])
def test_an_invitation_reads_back_equal(uow: UnitOfWork, sector: Sector | None) -> None:
    made = stored(uow, sector)
    with uow:
        assert uow.invitations.get(made.key) == made
        assert uow.invitations.get(key_of("not a code")) is None


def test_redeeming_marks_it_used_by_that_person(uow: UnitOfWork) -> None:
    made = stored(uow)
    with uow:
        won = uow.invitations.redeem(made.key, "slack", "T-uppsala", "U-omar", at(1))
        uow.commit()
    assert won is not None and (won.redeemed_by, won.redeemed_at) == ("U-omar", at(1))
    with uow:
        again = uow.invitations.redeem(made.key, "slack", "T-uppsala", "U-lina", at(2))
        found = uow.invitations.get(made.key)
    assert again is None
    assert found is not None and (found.redeemed_by, found.redeemed_at) == ("U-omar", at(1))


def test_an_expired_invitation_cannot_be_redeemed(uow: UnitOfWork) -> None:
    made = stored(uow)
    with uow:
        late = made.expires_at + timedelta(microseconds=1)
        assert uow.invitations.redeem(made.key, "slack", "T-uppsala", "U-omar", late) is None
        found = uow.invitations.get(made.key)
    assert found is not None and found.redeemed_by is None


@pytest.mark.parametrize(("platform", "workspace"), [("telegram", "T-uppsala"), ("slack", "T2")])
def test_an_invitation_is_redeemed_only_where_it_was_made(
    uow: UnitOfWork, platform: str, workspace: str
) -> None:
    made = stored(uow)
    with uow:
        assert uow.invitations.redeem(made.key, platform, workspace, "U-omar", at(1)) is None


def test_a_redemption_not_committed_leaves_the_invitation_unused(uow: UnitOfWork) -> None:
    made = stored(uow)
    with uow:
        assert uow.invitations.redeem(made.key, "slack", "T-uppsala", "U-omar", at(1))
    with uow:
        found = uow.invitations.get(made.key)
    assert found is not None and found.redeemed_by is None


def test_a_collaboration_is_found_by_its_id(uow: UnitOfWork) -> None:
    made = stored(uow)
    with uow:
        by_id = uow.collaborations.get(made.collaboration_id)
        assert by_id is not None and by_id.channel == CHANNEL
        assert uow.collaborations.get_by_channel(CHANNEL) is by_id
        assert uow.collaborations.get("no such id") is None


def _redeem(factory: sessionmaker[Session], key: str, user_id: str) -> bool:
    with SqlUnitOfWork(factory) as uow:
        won = uow.invitations.redeem(key, "slack", "T-uppsala", user_id, at(1)) is not None
        uow.commit()
    return won


def test_of_many_racing_for_one_code_exactly_one_wins(engine: Engine) -> None:
    factory = make_session_factory(engine)
    made = stored(SqlUnitOfWork(factory))
    people = [f"U-{n}" for n in range(8)]
    start = threading.Barrier(len(people))

    def race(user_id: str) -> bool:
        start.wait()
        return _redeem(factory, made.key, user_id)

    with ThreadPoolExecutor(len(people)) as pool:
        results = dict(zip(people, pool.map(race, people), strict=True))

    winners = [person for person, won in results.items() if won]
    assert len(winners) == 1
    with SqlUnitOfWork(factory) as uow:
        found = uow.invitations.get(made.key)
    assert found is not None and found.redeemed_by == winners[0]


@pytest.mark.postgres
def test_a_redemption_waiting_for_a_competing_one_loses(postgresql_engine: Engine) -> None:
    factory = make_session_factory(postgresql_engine)
    made = stored(SqlUnitOfWork(factory))
    with SqlUnitOfWork(factory) as first, ThreadPoolExecutor(1) as pool:
        assert first.invitations.redeem(made.key, "slack", "T-uppsala", "U-first", at(1))
        second = pool.submit(_redeem, factory, made.key, "U-second")
        wait_for_a_lock_wait(postgresql_engine, "the second redemption")
        first.commit()
        assert second.result(timeout=10) is False
    with SqlUnitOfWork(factory) as uow:
        found = uow.invitations.get(made.key)
    assert found is not None and found.redeemed_by == "U-first"
