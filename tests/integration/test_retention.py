"""Retention's port (:class:`engine.ports.Dormancy`) on the fake, SQLite and PostgreSQL: an
unused collaboration is told once, and deleted whole when told long enough ago and unused
since; a collaboration used again is kept, and told again after another unused spell."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlmodel import SQLModel

from bot.domain import ChannelRef
from bot.retention import retention_notice
from bot.schedule import Nudge, NudgeKind
from engine.ports import Dormancy, Dormant, Outbox, OutboxItem
from storage import SqlUnitOfWork, make_session_factory
from storage.outbox import SqlOutbox
from storage.retention import SqlDormancy
from tests.chat import ANNA, OMAR, Chat, make_bot
from tests.fakes import FakeClock, FakeDormancy, FakeOutbox, FakeUnitOfWork
from tests.integration.conftest import SQL_BACKENDS

OLD = ChannelRef("slack", "T1", "C-old")
NEW = ChannelRef("slack", "T1", "C-new")
IDLE = timedelta(days=731)


@dataclass
class Store:
    uow: FakeUnitOfWork | SqlUnitOfWork
    outbox: Outbox
    dormancy: Dormancy
    clock: FakeClock
    rows_of: Callable[[str], dict[str, int]]  # what is stored of a collaboration, by table

    def chat(self, channel: ChannelRef) -> Chat:
        return Chat(make_bot(self.uow, self.clock), self.uow, channel)  # type: ignore[arg-type]

    def notices(self) -> list[OutboxItem]:
        items = self.outbox.claim("test", 50, self.clock.now(), timedelta(seconds=1))
        return [item for item in items if item.kind == NudgeKind.RETENTION.value]

    def id_of(self, channel: ChannelRef) -> str:
        with self.uow as uow:
            found = uow.collaborations.get_by_channel(channel)
            assert found is not None
            return found.id

    def announce(self) -> int:
        now = self.clock.now()
        return self.dormancy.announce(now - IDLE, now, _notice(now), 10)


def _notice(now: datetime) -> Callable[[Dormant], Nudge]:
    def notice(d: Dormant) -> Nudge:
        erase_at = now + timedelta(days=30)
        return retention_notice(
            d.collaboration_id, d.name, d.language, d.coordinators, d.active_at, now, erase_at
        )

    return notice


@pytest.fixture(params=["fake", *SQL_BACKENDS])
def store(request: pytest.FixtureRequest) -> Store:
    clock = FakeClock()
    if request.param == "fake":
        uow, outbox = FakeUnitOfWork(), FakeOutbox()
        dormancy = FakeDormancy(uow, outbox)

        def fake_rows(collaboration_id: str) -> dict[str, int]:
            committed = uow.collaborations.committed.values()
            invitations = uow.invitations.committed.values()
            return {
                "collaboration": sum(c.id == collaboration_id for c in committed),
                "invitation": sum(i.collaboration_id == collaboration_id for i in invitations),
                "outbox": sum(r.collaboration_id == collaboration_id for r in outbox.rows.values()),
            }

        return Store(uow, outbox, dormancy, clock, fake_rows)
    sessions = make_session_factory(request.getfixturevalue(f"{request.param}_engine"))

    def sql_rows(collaboration_id: str) -> dict[str, int]:
        counts = {}
        with sessions() as session:
            for table in SQLModel.metadata.sorted_tables:
                key = table.c.get("collaboration_id")
                if table.name == "collaboration":
                    key = table.c.id
                if key is not None:
                    found = select(func.count()).select_from(table).where(key == collaboration_id)
                    counts[table.name] = session.execute(found).scalar_one()
            # Versions hang on their answer: none of the other collaboration's answers has any.
            versions = SQLModel.metadata.tables["answer_version"]
            every = select(func.count()).select_from(versions)
            counts["answer_version"] = session.execute(every).scalar_one()
        return counts

    return Store(
        SqlUnitOfWork(sessions), SqlOutbox(sessions), SqlDormancy(sessions), clock, sql_rows
    )


def test_an_unused_collaboration_is_told_once_for_its_coordinators(store: Store) -> None:
    old = store.chat(OLD)
    old.say(ANNA, "starta Läxhjälp")
    old.say(OMAR, "gå med Fritidsbanken civilsamhälle")
    started = store.clock.now()
    store.clock.advance(days=400)
    store.chat(NEW).say(ANNA, "starta Fritid för alla")
    store.clock.advance(days=400)
    assert store.announce() == 1
    [notice] = store.notices()
    assert notice.collaboration_id == store.id_of(OLD)
    assert notice.channel == OLD
    assert notice.params["coordinators"] == ANNA.user_id
    assert notice.params["since"] == started.date().isoformat()
    assert notice.params["name"] == "Läxhjälp"
    assert store.announce() == 0  # told already


def test_a_collaboration_told_and_unused_since_is_deleted_with_everything_in_it(
    store: Store,
) -> None:
    old = store.chat(OLD)
    old.say(ANNA, "starta Läxhjälp")
    old.say(ANNA, "gå med Malmö stad offentlig")
    old.say(OMAR, "gå med Fritidsbanken civilsamhälle")
    old.say(OMAR, "svara 1: Vi har lokaler")
    old.say(OMAR, "ändra svar Vi har två lokaler")
    old.say(ANNA, "beslut Vi ses varje tisdag")
    old.say(ANNA, "roll @Omar kontaktperson", mentions=(OMAR,))
    old.say(ANNA, "bjud in Föreningen Gemenskap civilsamhälle")
    old_id = store.id_of(OLD)
    store.clock.advance(days=400)
    store.chat(NEW).say(ANNA, "starta Fritid för alla")
    store.clock.advance(days=400)
    before = store.rows_of(old_id)
    assert before["collaboration"] == 1 and before["invitation"] == 1
    if "answer" in before:  # on SQL, every table it has rows in
        everything = ("member", "answer", "answer_version", "decision", "role_assignment")
        assert all(before[table] > 0 for table in everything), before
        assert before["audit_entry"] > 0
    store.announce()
    told = store.clock.now()
    assert store.rows_of(old_id)["outbox"] == 1
    assert store.dormancy.erase(told - timedelta(seconds=1)) == 0  # told too recently
    store.clock.advance(days=30)
    assert store.dormancy.erase(told) == 1
    assert set(store.rows_of(old_id).values()) == {0}
    with store.uow as uow:
        assert uow.collaborations.get_by_channel(OLD) is None
        assert uow.collaborations.get_by_channel(NEW) is not None
    assert store.dormancy.erase(told) == 0


def test_a_collaboration_used_after_the_notice_is_kept_and_told_again_later(
    store: Store,
) -> None:
    old = store.chat(OLD)
    old.say(ANNA, "starta Läxhjälp")
    store.clock.advance(days=800)
    assert store.announce() == 1
    told = store.clock.now()
    store.clock.advance(days=1)
    old.say(OMAR, "status")  # any use keeps it
    store.clock.advance(days=40)
    assert store.dormancy.erase(told) == 0
    assert store.dormancy.erase(store.clock.now()) == 0
    assert store.announce() == 0  # used 40 days ago
    store.clock.advance(days=800)
    assert store.announce() == 1
    assert len(store.notices()) == 2
