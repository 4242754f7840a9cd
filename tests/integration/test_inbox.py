"""The inbox's contract on the fake, SQLite and PostgreSQL; the event claim with its kept
replies; and the inbox worker on the SQL inbox."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from psycopg import OperationalError
from sqlalchemy import Engine, event, insert, text

from bot.document import (
    AnswerBlock,
    BalanceChart,
    Bar,
    Document,
    Fact,
    Facts,
    Figure,
    Heading,
    Items,
    ModelPicture,
    PageBreak,
    Paragraph,
    QuestionBlock,
    Tile,
    TileRow,
    Version,
)
from bot.replies import (
    Action,
    Answer,
    DocumentReply,
    Message,
    PictureReply,
    QuestionCard,
    Reaction,
    Reply,
    Section,
)
from engine.inbox_worker import InboxWorker
from engine.ports import Inbox, KeptEvent
from storage import SqlUnitOfWork
from storage.database import make_session_factory
from storage.inbox import AsyncKeeper, SqlInbox
from storage.tables import InboxRow
from tests.fakes import (
    FakeInbox,
    FakeUnitOfWork,
    handle_three_chats,
    keep_together,
)
from tests.integration.conftest import SQL_BACKENDS

NOW = datetime(2026, 12, 15, 8, tzinfo=UTC)
LEASE = timedelta(minutes=2)


@pytest.fixture(params=["fake", *SQL_BACKENDS])
def inbox(request: pytest.FixtureRequest) -> Inbox:
    if request.param == "fake":
        return FakeInbox()
    return SqlInbox(request.getfixturevalue(f"{request.param}_engine"))


@pytest.fixture(params=SQL_BACKENDS)
def sql_inbox(request: pytest.FixtureRequest) -> SqlInbox:
    return SqlInbox(request.getfixturevalue(f"{request.param}_engine"))


def keep(inbox: Inbox, platform: str, event_id: str, payload: str, now: datetime) -> bool:
    """Keep one event, as a platform's route would; ``True`` when it is new."""

    async def kept() -> set[tuple[str, str]]:
        try:
            return await inbox.keep([KeptEvent(platform, event_id, payload)], now)
        finally:
            await inbox.close()  # each asyncio.run is a loop of its own

    return (platform, event_id) in asyncio.run(kept())


# -- the contract -------------------------------------------------------------------------------


def test_an_event_is_stored_once(inbox: Inbox) -> None:
    assert keep(inbox, "slack", "Ev1", '{"a": 1}', NOW) is True
    assert keep(inbox, "slack", "Ev1", '{"a": 2}', NOW) is False
    assert keep(inbox, "telegram", "Ev1", "{}", NOW) is True
    [first, second] = inbox.claim("w1", 10, NOW, LEASE)
    assert (first.platform, first.event_id, first.payload, first.attempts) == (
        "slack",
        "Ev1",
        '{"a": 1}',
        1,
    )
    assert second.platform == "telegram"


def test_events_kept_together_are_new_once_each(inbox: Inbox) -> None:
    events = [KeptEvent("slack", f"Ev{i % 3}", f"payload {i}") for i in range(5)]

    async def kept() -> set[tuple[str, str]]:
        try:
            return await inbox.keep(events, NOW)
        finally:
            await inbox.close()

    assert asyncio.run(kept()) == {("slack", "Ev0"), ("slack", "Ev1"), ("slack", "Ev2")}
    stored = inbox.claim("w", 10, NOW, LEASE)
    assert sorted((item.event_id, item.payload) for item in stored) == [
        (f"Ev{i}", f"payload {i}") for i in range(3)
    ]


def test_a_claimed_event_waits_for_its_lease(inbox: Inbox) -> None:
    keep(inbox, "slack", "Ev1", "{}", NOW)
    assert len(inbox.claim("w1", 10, NOW, LEASE)) == 1
    assert inbox.claim("w2", 10, NOW + LEASE / 2, LEASE) == []
    [again] = inbox.claim("w2", 10, NOW + LEASE * 2, LEASE)
    assert again.attempts == 2  # the first worker died; another takes it


def test_a_worker_whose_lease_ran_out_leaves_the_event_to_the_next(inbox: Inbox) -> None:
    keep(inbox, "slack", "Ev1", "{}", NOW)
    [late] = inbox.claim("w1", 10, NOW, LEASE)
    [taken] = inbox.claim("w2", 10, NOW + LEASE * 2, LEASE)
    inbox.release(late, NOW + LEASE * 2, timedelta(0), worker_id="w1")
    inbox.finish(late, NOW + LEASE * 2, "failed", worker_id="w1")
    assert inbox.pending() == 1  # neither the late release nor the late finish took effect
    assert inbox.claim("w3", 10, NOW + LEASE * 2, LEASE) == []  # still w2's
    inbox.finish(taken, NOW + LEASE * 2, worker_id="w2")
    assert inbox.pending() == 0


def test_a_claim_finishes_the_events_its_worker_handled_and_takes_the_next(
    inbox: Inbox,
) -> None:
    for number in range(5):
        keep(inbox, "slack", f"Ev{number}", "{}", NOW + timedelta(microseconds=number))
    first = inbox.claim("w1", 3, NOW + timedelta(seconds=1), LEASE)
    later = NOW + timedelta(seconds=2)
    second = inbox.claim("w1", 3, later, LEASE, handled=first)
    assert [item.event_id for item in second] == ["Ev3", "Ev4"]  # not the handled ones again
    assert inbox.pending() == 2
    # Once the leases ran out, only the two never finished are taken again.
    again = inbox.claim("w2", 10, NOW + LEASE * 2, LEASE)
    assert [item.event_id for item in again] == ["Ev3", "Ev4"]
    assert keep(inbox, "slack", "Ev0", "{}", NOW) is False  # its key kept, as finish() keeps it
    assert inbox.prune(later + timedelta(microseconds=1)) == 3  # handled at the claim's instant
    assert inbox.prune(later) == 0


def test_a_claim_finishes_only_what_its_worker_still_holds(inbox: Inbox) -> None:
    keep(inbox, "slack", "Ev1", "{}", NOW)
    [late] = inbox.claim("w1", 10, NOW, LEASE)
    [taken] = inbox.claim("w2", 10, NOW + LEASE * 2, LEASE)  # w1's lease ran out
    assert inbox.claim("w1", 10, NOW + LEASE * 2, LEASE, handled=[late]) == []
    assert inbox.pending() == 1  # still w2's to finish
    assert inbox.claim("w2", 0, NOW + LEASE * 2, LEASE, handled=[taken]) == []
    assert inbox.pending() == 0


def test_finished_events_are_kept_as_keys_until_pruned(inbox: Inbox) -> None:
    keep(inbox, "slack", "Ev1", "{}", NOW)
    [item] = inbox.claim("w1", 10, NOW, LEASE)
    assert inbox.pending() == 1
    inbox.finish(item, NOW)
    assert inbox.pending() == 0
    assert inbox.claim("w1", 10, NOW + LEASE * 2, LEASE) == []
    assert keep(inbox, "slack", "Ev1", "{}", NOW) is False  # a late redelivery
    assert inbox.prune(NOW + timedelta(days=1)) == 1
    assert keep(inbox, "slack", "Ev1", "{}", NOW) is True


def test_pruning_forgets_only_events_handled_before_the_instant(inbox: Inbox) -> None:
    for event_id, days in (("old", 8), ("new", 6), ("waiting", 9)):
        keep(inbox, "telegram", event_id, "{}", NOW - timedelta(days=days))
    for item in inbox.claim("w", 10, NOW, LEASE):
        if item.event_id != "waiting":
            days = 8 if item.event_id == "old" else 6
            inbox.finish(item, NOW - timedelta(days=days), "failed" if days == 8 else "handled")
    assert inbox.prune(NOW - timedelta(days=7)) == 1
    assert keep(inbox, "telegram", "old", "{}", NOW) is True
    assert keep(inbox, "telegram", "new", "{}", NOW) is False
    assert inbox.pending() == 2  # the one never handled, and "old" kept anew


def test_a_released_event_comes_back_after_its_backoff(inbox: Inbox) -> None:
    keep(inbox, "telegram", "7", "{}", NOW)
    [item] = inbox.claim("w1", 10, NOW, LEASE)
    inbox.release(item, NOW, timedelta(seconds=30))
    assert inbox.claim("w1", 10, NOW + timedelta(seconds=29), LEASE) == []
    assert len(inbox.claim("w1", 10, NOW + timedelta(seconds=30), LEASE)) == 1


def test_arrivals_are_counted_after_an_instant_up_to_a_limit(inbox: Inbox) -> None:
    for second in range(5):
        keep(inbox, "slack", f"Ev{second}", "{}", NOW + timedelta(seconds=second))
    assert inbox.arrived_since(NOW + timedelta(seconds=1), 10) == 3
    assert inbox.arrived_since(NOW + timedelta(seconds=1), 2) == 2
    assert inbox.arrived_since(NOW + timedelta(seconds=4), 10) == 0


def test_concurrent_workers_never_take_the_same_event(inbox: Inbox) -> None:
    for number in range(40):
        keep(inbox, "telegram", str(number), "{}", NOW)
    taken: list[str] = []
    lock = threading.Lock()

    def work(name: str) -> None:
        while items := inbox.claim(name, 3, NOW, LEASE):
            with lock:
                taken.extend(item.event_id for item in items)

    threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken, key=int) == [str(n) for n in range(40)]


def test_events_arriving_together_at_the_worker_are_kept_once_each(inbox: Inbox) -> None:
    kept, again = keep_together(InboxWorker(inbox))
    assert kept == [True] * 5 + [False] * 7
    assert again is False
    # Kept at the worker's own (real) time.
    stored = inbox.claim("w", 20, datetime.now(UTC) + timedelta(minutes=1), LEASE)
    assert sorted((item.event_id, item.payload) for item in stored) == [
        (f"Ev{i}", f"payload {i}") for i in range(5)
    ]


# -- the core's claim on an event, with the replies it kept --------------------------------------

PICTURE = ModelPicture(
    "Fritid",
    "Omgång 1",
    (TileRow("Fas", (Tile("status", "Status", "focus", 1, 3, "1 av 3"),)),),
    (("focus", "i fokus"),),
    "Karta över Fritid",
    "MUCF",
)
CHART = BalanceChart(
    "Vilka hörs", ("offentlig", "målgrupp"), (Bar("Alla steg", (2, 1)),), "Staplar"
)
# Every kind of block, each read back into its own class.
DOCUMENT = Document(
    "Fritid",
    "sv",
    "Dokumentation",
    "Samverkansboten",
    "MUCF",
    "Sida {page} av {pages}",
    (
        Heading("Fritid", 1),
        Paragraph("Läge: klart.", quiet=True),
        Facts((Fact("Diarienummer", "KS 2026/123"),)),
        Items(("Fritidsbanken (civilsamhälle): Omar",)),
        QuestionBlock("Vad vill vi uppnå?"),
        AnswerBlock("Omar · 2026-03-02", "Mer", "Tidigare", (Version("2026-03-01", "Mindre"),)),
        Figure(PICTURE),
        PageBreak(),
    ),
)

REPLIES: list[Reply] = [
    Message(
        (Section("Rubrik <b>", ("rad & ett", "två"), bullets=True, verbatim=True),),
        (Action("Nästa", "nästa", "primary"),),
        private=True,
        title="Titel",
    ),
    QuestionCard("c1", "q1", "Steg", None, "Vad?", "1/3", "Svara i tråden", ()),
    DocumentReply(DOCUMENT, "pdf", "samverkan.pdf", caption="Export"),
    PictureReply(PICTURE, "karta.png", caption="Kartan"),
    PictureReply(CHART, "balans.png"),
    Reaction(),
]


def test_a_claimed_event_gives_back_the_replies_it_kept(
    uow: FakeUnitOfWork | SqlUnitOfWork,
) -> None:
    with uow:
        assert uow.claim_event("slack", "Ev9", REPLIES) is None
        uow.commit()
    with uow:
        assert uow.claim_event("slack", "Ev9") == REPLIES
        assert uow.handled_before("slack", "Ev9") == Answer(REPLIES)
        assert uow.claim_event("telegram", "Ev9") is None  # another platform's id
    with uow:
        assert uow.handled_before("telegram", "Ev9") is None  # that claim was rolled back
        assert uow.claim_event("telegram", "Ev9") is None


# -- the SQL inbox -----------------------------------------------------------------------------


def test_the_worker_handles_kept_events_from_the_sql_inbox_in_order(sql_inbox: SqlInbox) -> None:
    recorder = handle_three_chats(sql_inbox, NOW)
    for chat in ("a", "b", "c"):
        mine = [p for p in recorder.handled if p.startswith(chat)]
        assert mine == [f"{chat}:{n}" for n in range(10)]
    assert not recorder.overlap
    assert sql_inbox.pending() == 0


@pytest.mark.postgres
def test_a_lost_database_connection_fails_one_batch_and_is_opened_anew(
    postgresql_engine: Engine,
) -> None:
    inbox = SqlInbox(postgresql_engine)
    worker = InboxWorker(inbox)
    cut = text(  # this test's database only: other tests may run beside it on the server
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        " WHERE application_name = :name AND datname = current_database()"
    ).bindparams(name=AsyncKeeper.APPLICATION_NAME)

    async def arrive() -> tuple[bool, BaseException | None, bool]:
        first = await worker.keep(KeptEvent("slack", "Ev-before", "{}"))
        with postgresql_engine.begin() as connection:
            assert connection.execute(cut).scalars().all() == [True]
        try:
            await worker.keep(KeptEvent("slack", "Ev-lost", "{}"))
            failed = None
        except Exception as error:
            failed = error
        after = await worker.keep(KeptEvent("slack", "Ev-after", "{}"))
        await worker.stop()
        return first, failed, after

    first, failed, after = asyncio.run(arrive())

    assert first is True and after is True
    assert isinstance(failed, OperationalError)  # answered 500: the platform sends it again
    stored = inbox.claim("w", 10, datetime.now(UTC) + timedelta(minutes=1), LEASE)
    assert sorted(item.event_id for item in stored) == ["Ev-after", "Ev-before"]


@pytest.mark.postgres
def test_a_claim_walks_the_waiting_rows_in_order_when_a_burst_outran_the_statistics(
    postgresql_engine: Engine,
) -> None:
    # The statistics say the inbox is empty; then a burst arrives and half of it is handled.
    with postgresql_engine.begin() as connection:
        connection.execute(text("ANALYZE inbox"))
    rows = [
        {
            "platform": "slack",
            "event_id": f"Ev{n:05d}",
            "payload": "{}",
            "received_at": NOW + timedelta(milliseconds=n),
            "available_at": NOW,
            "attempts": 0,
            "handled_at": NOW if n < 3000 else None,
        }
        for n in range(6000)
    ]
    with postgresql_engine.begin() as connection:
        connection.execute(insert(InboxRow), rows)
    plans: list[str] = []

    def explain(connection: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.startswith("WITH chosen"):  # the claim, as it is about to run
            found = cursor.connection.execute("EXPLAIN " + statement, parameters)
            plans.append("\n".join(line for (line,) in found))

    event.listen(postgresql_engine, "before_cursor_execute", explain)
    try:
        items = SqlInbox(postgresql_engine).claim("w", 8, NOW + timedelta(minutes=1), LEASE)
    finally:
        event.remove(postgresql_engine, "before_cursor_execute", explain)

    assert [item.event_id for item in items] == [f"Ev{n:05d}" for n in range(3000, 3008)]
    [plan] = plans
    assert "Index Scan using ix_inbox_waiting" in plan
    assert "Sort" not in plan  # not every waiting row read and sorted for eight


def test_a_listening_worker_hears_of_events_another_process_kept(sql_inbox: SqlInbox) -> None:
    other = SqlInbox(sql_inbox.engine)  # another process's inbox on the same database

    async def scenario() -> int:
        woken = asyncio.Event()
        calls = [0]

        def wake() -> None:
            calls[0] += 1
            woken.set()

        listening = asyncio.create_task(sql_inbox.arrivals(wake))
        if sql_inbox.engine.dialect.name != "postgresql":
            await asyncio.wait_for(listening, 5)  # nothing to listen to: it returns
            return calls[0]
        await asyncio.wait_for(woken.wait(), 10)  # once on listening, for what came before
        woken.clear()
        await other.keep([KeptEvent("slack", "Ev-listened", "{}")], NOW)
        await asyncio.wait_for(woken.wait(), 10)
        listening.cancel()
        await other.close()
        return calls[0]

    calls = asyncio.run(scenario())
    assert calls == (2 if sql_inbox.engine.dialect.name == "postgresql" else 0)


def test_the_progress_of_kept_replies_is_recorded_and_they_are_dropped_once_sent(
    uow: FakeUnitOfWork | SqlUnitOfWork,
) -> None:
    with uow:
        assert uow.claim_event("slack", "Ev10", REPLIES) is None
        uow.commit()
    with uow:
        uow.record_sent("slack", "Ev10", 3)
        uow.commit()
    with uow:
        assert uow.handled_before("slack", "Ev10") == Answer(REPLIES, 3)
    with uow:
        uow.record_sent("slack", "Ev10", None)  # all sent
        uow.commit()
    with uow:
        assert uow.handled_before("slack", "Ev10") == Answer([])  # handled, nothing kept


def test_an_event_finished_as_handled_lets_go_of_the_replies_the_core_kept(
    sql_inbox: SqlInbox,
) -> None:
    """The inbox finishes handled events, with the next claim or on its own; either way the
    replies the core kept for them are let go, and a failed event's are not."""
    uow = SqlUnitOfWork(make_session_factory(sql_inbox.engine))
    for event_id in ("Ev20", "Ev21", "Ev22"):
        with uow:
            assert uow.claim_event("slack", event_id, REPLIES) is None
            uow.commit()
        assert keep(sql_inbox, "slack", event_id, "{}", NOW)
    first, second, third = sql_inbox.claim("w1", 3, NOW, LEASE)
    sql_inbox.claim("w1", 0, NOW, LEASE, handled=[first])
    sql_inbox.finish(second, NOW, worker_id="w1")
    sql_inbox.finish(third, NOW, "failed", worker_id="w1")
    with uow:
        assert uow.claim_event("slack", "Ev20") == []  # handled: nothing kept to send
        assert uow.claim_event("slack", "Ev21") == []
        assert uow.claim_event("slack", "Ev22") == REPLIES
