"""Retention on the in-memory fakes: a collaboration unused for the retention period is
announced to its coordinators through the outbox, in its language, and deleted after the grace
period unless used again; only the leading process runs it."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.domain import ChannelRef
from bot.map import ModelMap
from bot.replies import Message
from engine.delivery import Delivery
from engine.retention import Retention, months
from model_content.loader import default_model
from tests.chat import ANNA, LINA, OMAR, Chat, make_bot
from tests.fakes import (
    FakeClock,
    FakeDormancy,
    FakeLeader,
    FakeLeadership,
    FakeOutbox,
    FakeSender,
    FakeUnitOfWork,
)

CHANNEL = ChannelRef("slack", "T1", "C1")


class Setting:
    def __init__(self) -> None:
        self.clock = FakeClock()
        self.uow, self.outbox = FakeUnitOfWork(), FakeOutbox()
        self.chat = Chat(make_bot(self.uow, self.clock), self.uow, CHANNEL)
        self.leader = FakeLeader()
        self.retention = Retention(
            FakeDormancy(self.uow, self.outbox), self.leader, self.clock, batch=2
        )
        self.sender = FakeSender(self.clock)

    def deliver(self) -> list[Message]:
        model, clock = ModelMap(default_model()), self.clock
        delivery = Delivery(self.outbox, {"slack": self.sender}, clock, model, sleep=clock.sleep)
        asyncio.run(delivery.run())
        return [r for sent in self.sender.sent for r in sent.replies if isinstance(r, Message)]


@pytest.fixture
def setting() -> Setting:
    setting = Setting()
    setting.chat.say(ANNA, "starta Läxhjälp")
    setting.chat.say(ANNA, "roll @Lina samordnare", mentions=(LINA,))
    setting.chat.say(OMAR, "gå med Fritidsbanken civilsamhälle")
    return setting


def test_24_months_are_731_days() -> None:
    assert months(24) == timedelta(days=731)
    assert Retention(
        FakeDormancy(FakeUnitOfWork(), FakeOutbox()), FakeLeader(), FakeClock()
    ).keep_idle == timedelta(days=731)


def test_nothing_happens_before_the_retention_period_is_over(setting: Setting) -> None:
    setting.clock.advance(days=730)
    assert setting.retention.run() == (0, 0)
    assert setting.outbox.rows == {}


def test_the_coordinators_are_told_what_happens_and_how_to_keep_it(setting: Setting) -> None:
    setting.clock.advance(days=732)
    assert setting.retention.run() == (1, 0)
    [notice] = setting.deliver()
    [sent] = setting.sender.sent
    assert set(sent.target.only_for) == {ANNA.user_id, LINA.user_id}  # not Omar, a partner
    text = notice.plain_text
    assert "Läxhjälp" in text and "raderas" in text
    assert "2026-11-23" in text  # last used on the day it started
    assert (setting.clock.now() + timedelta(days=30)).date().isoformat() in text
    assert [(a.label, a.command) for a in notice.actions] == [("Behåll samverkan", "status")]


def test_the_notice_is_in_the_collaborations_language(setting: Setting) -> None:
    setting.chat.say(ANNA, "språk engelska")
    setting.clock.advance(days=732)
    setting.retention.run()
    [notice] = setting.deliver()
    assert "will be deleted" in notice.plain_text
    assert [a.command for a in notice.actions] == ["status"]


def test_an_unused_collaboration_is_deleted_after_the_grace_period(setting: Setting) -> None:
    setting.clock.advance(days=732)
    setting.retention.run()
    setting.clock.advance(days=29)
    assert setting.retention.run() == (0, 0)
    setting.clock.advance(days=1)
    assert setting.retention.run() == (0, 1)
    assert setting.uow.collaborations.committed == {}
    assert setting.outbox.rows == {}


def test_using_it_after_the_notice_keeps_it(setting: Setting) -> None:
    setting.clock.advance(days=732)
    setting.retention.run()
    setting.clock.advance(days=10)
    setting.chat.say(OMAR, "status")
    setting.clock.advance(days=30)
    assert setting.retention.run() == (0, 0)
    assert setting.chat.stored.name == "Läxhjälp"


def test_many_are_told_in_batches(setting: Setting) -> None:
    for number in range(2, 6):
        other = Chat(setting.chat.bot, setting.uow, ChannelRef("slack", "T1", f"C{number}"))
        other.say(ANNA, f"starta Samverkan {number}")
    setting.clock.advance(days=732)
    assert setting.retention.run() == (5, 0)  # in batches of two
    assert len(setting.outbox.rows) == 5


def test_only_the_leading_process_runs_it(setting: Setting) -> None:
    shared = FakeLeadership()
    FakeLeader(shared).held()
    setting.retention.leader = FakeLeader(shared)
    setting.clock.advance(days=800)
    assert setting.retention.run() == (0, 0)
    assert setting.outbox.rows == {}
