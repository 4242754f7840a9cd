"""The figures ``/metrics`` reads from the database at a scrape, on SQLite and PostgreSQL: what
waits in the inbox and the outbox and for how long, collaborations and members per platform."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from bot.domain import ChannelRef
from bot.schedule import Nudge, NudgeKind
from engine.metrics import FiguresCollector
from engine.ports import KeptEvent
from storage import SqlInbox, SqlOutbox, SqlUnitOfWork, make_session_factory
from storage.figures import figures_reader
from tests.integration.builders import collaboration

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def test_an_empty_database_has_no_figures(engine: Engine) -> None:
    figures = figures_reader(engine, lambda: NOW)()
    assert figures.inbox_depth == {} and figures.outbox_depth == {}
    assert figures.collaborations == {} and figures.members == {}


def test_the_figures_per_platform(engine: Engine) -> None:
    sessions = make_session_factory(engine)
    with SqlUnitOfWork(sessions) as uow:
        uow.collaborations.add(collaboration())  # on Slack, with its members
        uow.collaborations.add(collaboration(ChannelRef("telegram", "telegram", "-100")))
        uow.commit()
    inbox = SqlInbox(engine)
    events = [KeptEvent("slack", f"Ev{n}", "{}") for n in range(3)]
    inbox.keep_now(events, NOW - timedelta(minutes=5))
    inbox.keep_now([KeptEvent("telegram", "1", "{}")], NOW - timedelta(seconds=30))
    [handled] = inbox.claim("w", 1, NOW, timedelta(minutes=2))
    inbox.finish(handled, NOW)
    outbox = SqlOutbox(sessions)
    due = (NOW - timedelta(hours=1)).isoformat()
    later = (NOW + timedelta(days=1)).isoformat()
    channel = ChannelRef("slack", "T1", "C1")
    rows = [
        (channel, Nudge("c1", NudgeKind.EVALUATION, due)),
        (channel, Nudge("c1", NudgeKind.REVIEW, later)),
    ]
    outbox.enqueue(rows, NOW - timedelta(hours=1))

    figures = figures_reader(engine, lambda: NOW)()

    assert figures.inbox_depth == {"slack": 2, "telegram": 1}
    assert figures.oldest_event_seconds == {"slack": 300.0, "telegram": 30.0}
    assert figures.outbox_depth == {"slack": 2}
    # Both rows were written an hour ago, available since; the oldest has waited that long.
    assert figures.oldest_nudge_seconds == {"slack": 3600.0}
    assert figures.collaborations == {"slack": 1, "telegram": 1}
    members = len(collaboration().members)
    assert figures.members == {"slack": members, "telegram": members}

    collected = {
        (metric.name, sample.labels.get("platform")): sample.value
        for metric in FiguresCollector(lambda: figures, "1.2.3", "3.11.9").collect()
        for sample in metric.samples
    }
    assert collected[("samverkan_inbox_depth", "slack")] == 2
    assert collected[("samverkan_outbox_oldest_due_seconds", "slack")] == 3600.0
    assert collected[("samverkan_build_info", None)] == 1
