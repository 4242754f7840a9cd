"""The inbox worker on the in-memory inbox: per-chat order, bursts, back-off, a platform's
request to wait, giving up, and keeping arrivals together."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from engine.inbox_worker import InboxWorker
from engine.platform import RetryLaterError
from engine.ports import KeptEvent
from tests.fakes import (
    FakeClock,
    FakeHandler,
    FakeInbox,
    handle_three_chats,
    keep_together,
    run_until,
)

NOW = datetime(2026, 12, 15, 8, tzinfo=UTC)


def kept(inbox: FakeInbox, event_id: str, payload: str, at: datetime) -> None:
    asyncio.run(inbox.keep([KeptEvent("test", event_id, payload)], at))


def test_the_worker_handles_each_chat_in_order_and_chats_side_by_side() -> None:
    inbox = FakeInbox()
    recorder = handle_three_chats(inbox, NOW)
    for chat in ("a", "b", "c"):
        mine = [p for p in recorder.handled if p.startswith(chat)]
        assert mine == [f"{chat}:{n}" for n in range(10)]
    assert not recorder.overlap
    assert recorder.most_at_once > 1  # chats side by side
    assert inbox.pending() == 0


def test_the_worker_finishes_what_it_handled_with_its_next_claim_not_one_by_one() -> None:
    inbox = FakeInbox()
    handle_three_chats(inbox, NOW)
    assert inbox.pending() == 0
    assert {row.outcome for row in inbox.rows.values()} == {"handled"}
    assert inbox.finishes == 0  # each finished with a claim, the last ones on stopping


def test_during_a_burst_the_worker_takes_one_event_at_a_time_and_the_rest_after_it() -> None:
    clock, inbox, recorder = FakeClock(NOW), FakeInbox(), FakeHandler()
    # 60 chats, so that nothing but the burst keeps the worker from taking several at once.
    for number in range(60):
        received = NOW - timedelta(milliseconds=10 * number)  # all within the last second
        kept(inbox, str(number), f"c{number}:x", received)
    worker = InboxWorker(inbox, clock=clock, poll_seconds=0.02, burst_rate=50, burst_pace=0.005)
    worker.register(recorder)

    async def run() -> tuple[int, int]:
        await worker.start()
        try:
            async with asyncio.timeout(30):
                while len(recorder.handled) < 10:
                    await asyncio.sleep(0.01)
                during = recorder.most_at_once
                clock.current = NOW + timedelta(seconds=2)  # nothing arrived since: it is over
                while len(recorder.handled) < 60:
                    await asyncio.sleep(0.01)
        finally:
            await worker.stop()
        return during, recorder.most_at_once

    during, after = asyncio.run(run())
    assert during == 1
    assert after > 1  # several at once, as many as there are free places
    assert inbox.pending() == 0


def test_a_failing_event_is_tried_again_after_its_backoff() -> None:
    clock, inbox, recorder = FakeClock(NOW), FakeInbox(), FakeHandler(fail_first=2)
    kept(inbox, "1", "a:1", NOW)
    # The clock runs fast here; a day's lease keeps the claim from running out meanwhile.
    worker = InboxWorker(
        inbox, clock=clock, poll_seconds=0.02, backoff=timedelta(seconds=10),
        lease=timedelta(days=1),
    )  # fmt: skip
    worker.register(recorder)

    def advance() -> bool:
        clock.current += timedelta(seconds=15)  # past each back-off (10 s, then 20 s)
        return recorder.handled == ["a:1"]

    asyncio.run(run_until(worker, advance))
    assert inbox.pending() == 0
    assert inbox.rows[("test", "1")].attempts == 3


def test_a_platform_that_asks_to_wait_gets_the_event_back_after_that_wait() -> None:
    clock, inbox = FakeClock(NOW), FakeInbox()
    recorder = FakeHandler(fail_first=1, failure=RetryLaterError("429", retry_after=90))
    kept(inbox, "1", "a:1", NOW)
    worker = InboxWorker(
        inbox, clock=clock, poll_seconds=0.02, backoff=timedelta(seconds=5), lease=timedelta(days=1)
    )
    worker.register(recorder)

    async def run() -> datetime:
        await worker.start()
        try:
            async with asyncio.timeout(30):
                row = inbox.rows[("test", "1")]
                while row.attempts < 1 or row.claimed_by is not None:
                    await asyncio.sleep(0.01)
                released_until = row.available_at
                clock.current = NOW + timedelta(seconds=89)
                worker.wake()
                await asyncio.sleep(0.1)
                assert recorder.handled == []  # not before the wait the platform named
                clock.current = NOW + timedelta(seconds=90)
                while recorder.handled != ["a:1"]:
                    worker.wake()
                    await asyncio.sleep(0.01)
        finally:
            await worker.stop()
        return released_until

    assert asyncio.run(run()) == NOW + timedelta(seconds=90)  # not the 5 s back-off
    assert inbox.pending() == 0


def test_an_event_that_keeps_failing_is_given_up_after_the_last_attempt() -> None:
    clock, inbox, recorder = FakeClock(NOW), FakeInbox(), FakeHandler(fail_first=100)
    kept(inbox, "1", "a:1", NOW)
    worker = InboxWorker(
        inbox, clock=clock, poll_seconds=0.02, max_attempts=3,
        backoff=timedelta(seconds=1), lease=timedelta(days=1),
    )  # fmt: skip
    worker.register(recorder)

    def advance() -> bool:
        clock.current += timedelta(minutes=1)
        return inbox.pending() == 0

    asyncio.run(run_until(worker, advance))
    assert recorder.handled == [] and recorder.fail_first == 97
    assert inbox.rows[("test", "1")].outcome == "failed"
    assert recorder.finals == [False, False, True]  # the last time says so: the person is told


def test_an_event_of_a_platform_without_a_handler_is_left_for_another_process() -> None:
    clock, inbox, recorder = FakeClock(NOW), FakeInbox(), FakeHandler()
    asyncio.run(inbox.keep([KeptEvent("elsewhere", "1", "a:1")], NOW))
    kept(inbox, "2", "a:2", NOW)
    worker = InboxWorker(inbox, clock=clock, poll_seconds=0.02)
    worker.register(recorder)
    asyncio.run(run_until(worker, lambda: recorder.handled == ["a:2"]))
    row = inbox.rows[("elsewhere", "1")]
    assert row.handled_at is None and row.claimed_by == worker.worker_id  # its lease runs out


def test_events_arriving_together_are_kept_in_one_go_and_once_each() -> None:
    inbox = FakeInbox()
    kept, again = keep_together(InboxWorker(inbox))
    assert kept == [True] * 5 + [False] * 7
    assert again is False
    assert inbox.keeps == 2  # the twelve together, then the retry
    assert inbox.closed == 1  # stopping lets go of what keeping holds open


def test_a_batch_that_cannot_be_kept_fails_its_requests_only() -> None:
    inbox = FakeInbox()
    worker = InboxWorker(inbox)

    async def arrive() -> tuple[BaseException | None, bool]:
        inbox.refuse_keep = ConnectionError("the database went away")
        try:
            await worker.keep(KeptEvent("slack", "Ev-lost", "{}"))
            failed = None
        except ConnectionError as error:
            failed = error
        after = await worker.keep(KeptEvent("slack", "Ev-after", "{}"))
        await worker.stop()
        return failed, after

    failed, after = asyncio.run(arrive())
    assert isinstance(failed, ConnectionError) and after is True
    assert set(inbox.rows) == {("slack", "Ev-after")}


class SlowInbox(FakeInbox):
    """Keeps only once the test lets it: requests pile up meanwhile."""

    def __init__(self) -> None:
        super().__init__()
        self.go_on = asyncio.Event()

    async def keep(self, events: Sequence[KeptEvent], now: datetime) -> set[tuple[str, str]]:
        await self.go_on.wait()
        return await super().keep(events, now)


def test_a_caller_that_gives_up_while_its_event_is_kept_harms_no_other() -> None:
    inbox = SlowInbox()
    worker = InboxWorker(inbox)

    async def arrive() -> tuple[bool, bool]:
        first = asyncio.create_task(worker.keep(KeptEvent("telegram", "1", "{}")))
        await asyncio.sleep(0)  # the keeping starts with the first, and waits
        rest = [asyncio.create_task(worker.keep(KeptEvent("telegram", n, "{}"))) for n in "23"]
        await asyncio.sleep(0)
        rest[0].cancel()  # e.g. long polling stopped while its update was being kept
        inbox.go_on.set()
        async with asyncio.timeout(10):  # an answer lost with the cancelled one never comes
            kept = await first, await rest[1]
        await worker.stop()
        return kept

    assert asyncio.run(arrive()) == (True, True)
    assert sorted(item.event_id for item in inbox.claim("w", 10, NOW, timedelta(minutes=2))) == [
        "1",
        "2",
        "3",
    ]


class SlowFirst(FakeHandler):
    """The chat's first event takes longer than half the lease (on the test's clock)."""

    def __init__(self, clock: FakeClock, lease: timedelta) -> None:
        super().__init__()
        self.clock, self.lease = clock, lease

    async def handle(self, event: KeptEvent) -> None:
        if not self.handled:
            self.clock.advance(seconds=self.lease.total_seconds() * 0.6)
        await super().handle(event)


def test_an_event_that_waited_for_its_chat_past_half_the_lease_is_given_back() -> None:
    clock, inbox = FakeClock(NOW), FakeInbox()
    lease = timedelta(minutes=2)
    handler = SlowFirst(clock, lease)
    for number in range(2):
        kept(inbox, str(number), f"a:{number}", NOW + timedelta(microseconds=number))
    clock.current = NOW + timedelta(seconds=1)
    worker = InboxWorker(inbox, clock=clock, lease=lease, poll_seconds=0.05)
    worker.register(handler)

    def waiting() -> list[Any]:
        return [row for row in inbox.rows.values() if row.handled_at is None]

    asyncio.run(run_until(worker, lambda: len(waiting()) == 1 and not waiting()[0].claimed_by))
    # The second was claimed with the first; by its turn another process may have taken it.
    assert handler.handled == ["a:0"]
    [row] = waiting()
    assert row.claimed_by is None and row.attempts == 1
