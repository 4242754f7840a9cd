"""Delivery on the in-memory outbox with a controllable clock: pacing per platform limits,
what a platform's refusals do to a row (wait as asked, back off, give up), and what is sent."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

import pytest

from bot.domain import ChannelRef
from bot.map import ModelMap
from bot.ports import StorageUnavailableError
from bot.replies import Message, Reply
from bot.schedule import Nudge, NudgeKind
from engine.delivery import Delivery
from engine.pacing import TELEGRAM_SPACING, Delay, Pacer
from engine.platform import RetryLaterError, SendError, Target
from model_content.loader import default_model
from tests.fakes import FakeClock, FakeLeader, FakeLeadership, FakeOutbox, FakeSender

MODEL = ModelMap(default_model())
NOW = datetime(2027, 1, 12, 8, tzinfo=UTC)  # a Tuesday, 09:00 in Stockholm
SLACK = ChannelRef("slack", "T1", "C1")
GROUP = ChannelRef("telegram", "telegram", "-100123")


def many(
    channel: ChannelRef, count: int, kind: NudgeKind = NudgeKind.CHECKIN, **params: str
) -> list[tuple[ChannelRef, Nudge]]:
    """``count`` distinct nudges for ``channel``, as the clock would enqueue them."""
    return [
        (
            channel,
            Nudge(
                f"collab-{channel.workspace}-{channel.channel}",
                kind,
                (NOW - timedelta(minutes=n)).isoformat(),
                {"name": "Läxhjälp", **params},
            ),
        )
        for n in range(count)
    ]


def telegram_chats(outbox: FakeOutbox, count: int, *, groups: bool = False) -> None:
    """A nudge due in each of ``count`` Telegram chats (``groups``: group chats)."""
    ids = [-1000 - n if groups else 1000 + n for n in range(count)]
    chats = [ChannelRef("telegram", "telegram", str(chat_id)) for chat_id in ids]
    outbox.enqueue([item for chat in chats for item in many(chat, 1)], NOW)


def delivery(outbox: FakeOutbox, sender: FakeSender, clock: FakeClock, **options: Any) -> Delivery:
    """Delivery through ``sender`` for every platform; its pauses move the clock."""
    senders = {"slack": sender, "telegram": sender, "console": sender}
    return Delivery(outbox, senders, clock, MODEL, sleep=clock.sleep, **options)


def run(worker: Delivery) -> int:
    return asyncio.run(worker.run())


def most_in_any_window(instants: list[datetime], window: timedelta) -> int:
    return max(sum(1 for t in instants if start <= t < start + window) for start in instants)


def outcomes(outbox: FakeOutbox) -> list[str | None]:
    return sorted((row.outcome for row in outbox.rows.values()), key=str)


# -- pacing ------------------------------------------------------------------------------------


def test_slack_hears_at_most_one_nudge_per_second_per_channel() -> None:
    clock, outbox = FakeClock(NOW), FakeOutbox()
    other = ChannelRef("slack", "T1", "C2")
    outbox.enqueue([*many(SLACK, 3), *many(other, 2)], NOW)
    sender = FakeSender(clock)
    assert run(delivery(outbox, sender, clock)) == 5
    for channel in ("C1", "C2"):
        times = [sent.at for sent in sender.sent if sent.target.channel.channel == channel]
        assert all(later - earlier >= timedelta(seconds=1) for earlier, later in pairwise(times))
    assert most_in_any_window([sent.at for sent in sender.sent], timedelta(seconds=1)) == 2


def test_slack_paces_a_channel_within_its_own_workspace_only() -> None:
    clock, outbox = FakeClock(NOW), FakeOutbox()
    # Slack counts per app and workspace (each its own token): a channel id in another
    # workspace is another channel.
    outbox.enqueue([*many(SLACK, 1), *many(ChannelRef("slack", "T2", "C1"), 1)], NOW)
    sender = FakeSender(clock)
    assert run(delivery(outbox, sender, clock)) == 2
    assert [sent.at for sent in sender.sent] == [NOW, NOW]


def test_a_claim_near_the_end_of_its_lease_is_given_back_unsent() -> None:
    clock, outbox = FakeClock(NOW), FakeOutbox()
    outbox.enqueue(many(SLACK, 3), NOW)
    sender = FakeSender(clock)
    worker = delivery(outbox, sender, clock, lease=timedelta(seconds=2))
    assert run(worker) == 2  # the third would go out a whole lease after the claim
    [row] = outbox.unsent()
    assert row.claimed_by is None and row.attempts == 0


def test_a_telegram_group_hears_at_most_twenty_a_minute_and_the_rest_waits_its_turn() -> None:
    clock, outbox = FakeClock(NOW), FakeOutbox()
    outbox.enqueue(many(GROUP, 25), NOW)
    sender = FakeSender(clock)
    worker = delivery(outbox, sender, clock, batch=30)
    assert run(worker) == 20  # the other five are postponed, not slept on
    assert len(outbox.unsent()) == 5
    assert run(worker) == 0  # not yet their turn
    clock.advance(seconds=45)
    assert run(worker) == 5
    times = [sent.at for sent in sender.sent]
    assert most_in_any_window(times, timedelta(minutes=1)) == 20
    assert most_in_any_window(times, timedelta(seconds=1)) == 1
    assert outbox.unsent() == []
    # Postponing is not a failed attempt.
    assert {row.attempts for row in outbox.rows.values()} == {1}


def test_telegram_as_a_whole_gets_at_most_thirty_a_second_however_they_arrive() -> None:
    clock, outbox = FakeClock(NOW), FakeOutbox()
    telegram_chats(outbox, 40)
    sender = FakeSender(clock)
    sender.takes = timedelta(milliseconds=10)  # each arrives somewhere in its 10 ms
    assert run(delivery(outbox, sender, clock, batch=50)) == 40
    # Each starts a second after the one thirty before it was answered: wherever in their
    # sends the platform counts them, no second holds more than thirty.
    assert all(
        later.at >= earlier.answered + timedelta(seconds=1)
        for earlier, later in zip(sender.sent, sender.sent[30:], strict=False)
        if earlier.answered is not None
    )
    first_answered = sender.sent[0].answered
    assert first_answered is not None
    assert sender.sent[30].at == first_answered + timedelta(seconds=1)  # and no later
    times = [sent.at for sent in sender.sent]
    assert all(later - earlier >= TELEGRAM_SPACING for earlier, later in pairwise(times))


def test_a_fan_out_of_many_batches_goes_out_in_one_run_at_the_platforms_limit() -> None:
    clock, outbox = FakeClock(NOW), FakeOutbox()
    telegram_chats(outbox, 300)
    sender = FakeSender(clock)
    sender.takes = timedelta(milliseconds=20)
    assert run(delivery(outbox, sender, clock, batch=20)) == 300  # fifteen batches
    answers = [sent.answered for sent in sender.sent if sent.answered is not None]
    assert most_in_any_window(answers, timedelta(seconds=1)) <= 30
    times = [sent.at for sent in sender.sent]
    assert most_in_any_window(times, timedelta(seconds=1)) <= 30
    took = (times[-1] - times[0]).total_seconds()
    assert 299 / took >= 0.9 * 30  # at 90% of the limit or better
    assert outbox.unsent() == []


def test_the_next_batch_is_claimed_while_the_last_is_still_going_out() -> None:
    clock, outbox = FakeClock(NOW), FakeOutbox()
    telegram_chats(outbox, 50)
    sender = FakeSender(clock)
    sender.stalled = {"1019"}  # the first batch's last send gets no answer yet

    async def scenario() -> int:
        running = asyncio.create_task(delivery(outbox, sender, clock, batch=20).run())

        def all_claimed() -> bool:
            return all(row.attempts for row in outbox.rows.values())

        await until(all_claimed, "every batch claimed")
        assert "1019" in {row.channel.channel for row in outbox.unsent()}
        sender.resume.set()
        return await running

    assert asyncio.run(scenario()) == 50


def test_a_claim_ahead_that_fails_lets_the_sends_under_way_end_and_be_marked() -> None:
    clock, outbox = FakeClock(NOW), FakeOutbox()
    telegram_chats(outbox, 50)
    sender = FakeSender(clock)
    claims = []
    claim = outbox.claim

    def failing_second(*args: Any, **kwargs: Any) -> Any:
        claims.append(len(sender.sent))
        if len(claims) == 2:
            raise StorageUnavailableError("the database went away")
        return claim(*args, **kwargs)

    outbox.claim = failing_second  # type: ignore[method-assign]
    worker = delivery(outbox, sender, clock, batch=20)
    with pytest.raises(StorageUnavailableError):
        run(worker)
    assert len(sender.sent) == 20 and len(outbox.unsent()) == 30  # the first batch, all marked
    assert run(worker) == 30


def test_the_pacing_forgets_channels_once_they_no_longer_delay_anything() -> None:
    clock, outbox = FakeClock(NOW), FakeOutbox()
    telegram_chats(outbox, 50, groups=True)
    worker = delivery(outbox, FakeSender(clock), clock, batch=20)
    assert run(worker) == 50
    assert worker.pacer.windows > 50  # each group's minute is still running
    clock.advance(minutes=1)
    assert run(worker) == 0
    assert worker.pacer.windows == 0


def test_a_send_not_yet_answered_holds_its_place_until_a_second_after_its_answer() -> None:
    clock = FakeClock(NOW)
    pacer = Pacer(clock)
    first = pacer.record(GROUP)
    clock.advance(seconds=5)
    # At least a second: the answer is yet to come.
    assert pacer.delay(GROUP) == Delay(timedelta(seconds=1), known=False)
    pacer.answered(first)
    assert pacer.delay(GROUP) == Delay(timedelta(seconds=1))
    clock.advance(seconds=1)
    pacer.answered(first)  # its task ending later does not move its answer
    assert pacer.delay(GROUP) == Delay(timedelta(0))


def test_a_channel_waiting_on_a_send_that_hangs_is_left_for_later_not_waited_on() -> None:
    clock, outbox = FakeClock(NOW), FakeOutbox()
    others = [ChannelRef("slack", "T1", f"C{n}") for n in range(2, 7)]
    outbox.enqueue([*many(SLACK, 2), *(item for c in others for item in many(c, 1))], NOW)
    sender = FakeSender(clock)
    sender.stalled = {"C1"}  # the first to C1 gets no answer yet

    async def scenario() -> int:
        running = asyncio.create_task(delivery(outbox, sender, clock).run())
        await until(lambda: len(sender.sent) == 5, "the other channels' nudges sent")
        [later] = [row for row in outbox.unsent() if row.claimed_by is None]
        # Given back after the longest pause, not after half the lease of waiting in place.
        assert later.channel == SLACK
        assert NOW < later.available_at <= NOW + timedelta(seconds=4)
        sender.resume.set()
        return await running

    assert asyncio.run(scenario()) == 6


def test_a_run_ends_after_its_longest_time_and_leaves_the_rest_to_the_next() -> None:
    clock, outbox = FakeClock(NOW), FakeOutbox()
    telegram_chats(outbox, 300)
    sender = FakeSender(clock)
    worker = delivery(outbox, sender, clock, batch=20, max_run=timedelta(seconds=3))
    first = run(worker)
    assert 80 <= first <= 120  # three seconds at 30 a second, and the batch under way
    assert len(outbox.unsent()) == 300 - first  # waiting for the next run, not claimed
    assert {row.claimed_by for row in outbox.unsent()} == {None}


class StoppingSender(FakeSender):
    """Stops ``worker`` as the ``at``-th message goes out (a process told to stop mid-run)."""

    def __init__(self, clock: FakeClock, at: int) -> None:
        super().__init__(clock)
        self.at = at
        self.worker: Delivery | None = None

    async def send(self, target: Target, replies: Sequence[Reply]) -> None:
        if len(self.sent) + 1 == self.at and self.worker is not None:
            self.worker.stop()
        await super().send(target, replies)


def test_a_run_told_to_stop_ends_its_sends_and_gives_back_what_it_did_not_start() -> None:
    clock, outbox = FakeClock(NOW), FakeOutbox()
    channels = [ChannelRef("slack", "T1", f"C{n}") for n in range(50)]
    outbox.enqueue([item for channel in channels for item in many(channel, 1)], NOW)
    sender = StoppingSender(clock, at=12)  # the next batch was claimed as the 11th row began
    worker = sender.worker = delivery(outbox, sender, clock, batch=20)

    sent = run(worker)

    assert sent == len(sender.sent) == 12
    assert outcomes(outbox).count("sent") == sent
    left = outbox.unsent()
    assert len(left) == 50 - sent
    # Untried and free: the next process claims them at once, the batch claimed ahead too.
    assert {(row.claimed_by, row.attempts) for row in left} == {(None, 0)}
    assert run(worker) == 0  # a stopped delivery claims nothing more
    assert len(outbox.claim("next", 50, NOW, timedelta(minutes=5))) == 50 - sent


def test_a_run_told_to_stop_while_a_channel_waits_its_turn_gives_that_row_back_too() -> None:
    clock, outbox = FakeClock(NOW), FakeOutbox()
    outbox.enqueue(many(SLACK, 3), NOW)  # one a second in a Slack channel

    async def stopped_while_waiting(seconds: float) -> None:
        worker.stop()
        await clock.sleep(seconds)

    sender = FakeSender(clock)
    worker = Delivery(outbox, {"slack": sender}, clock, MODEL, sleep=stopped_while_waiting)

    assert run(worker) == len(sender.sent) == 1
    assert len(outbox.unsent()) == 2
    assert {(row.claimed_by, row.attempts) for row in outbox.unsent()} == {(None, 0)}


def test_only_the_leading_process_sends_to_telegram_and_every_one_to_slack() -> None:
    clock, outbox = FakeClock(NOW), FakeOutbox()
    outbox.enqueue([*many(GROUP, 1), *many(SLACK, 1)], NOW)
    shared = FakeLeadership()
    leading, following = FakeLeader(shared), FakeLeader(shared)
    assert leading.held()
    sender = FakeSender(clock)
    assert run(delivery(outbox, sender, clock, leader=following)) == 1
    assert [sent.target.channel for sent in sender.sent] == [SLACK]
    assert run(delivery(outbox, sender, clock, leader=leading)) == 1
    assert [sent.target.channel for sent in sender.sent] == [SLACK, GROUP]


# -- sends side by side ------------------------------------------------------------------------


async def until(ready: Callable[[], bool], what: str) -> None:
    """Let the event loop and its threads work until ``ready()``; fails after 10 s."""
    for _ in range(10_000):
        if ready():
            return
        await asyncio.sleep(0.001)
    raise AssertionError(f"never {what}")


def ten_channels(outbox: FakeOutbox) -> list[ChannelRef]:
    channels = [ChannelRef("slack", "T1", f"C{n}") for n in range(10)]
    outbox.enqueue([item for channel in channels for item in many(channel, 1)], NOW)
    return channels


def test_at_most_in_flight_sends_are_under_way_at_once() -> None:
    clock, outbox = FakeClock(NOW), FakeOutbox()
    channels = ten_channels(outbox)
    sender = FakeSender(clock)
    sender.stalled = {channel.channel for channel in channels}  # no answer comes back yet

    async def scenario() -> int:
        running = asyncio.create_task(delivery(outbox, sender, clock, in_flight=4).run())
        await until(lambda: sender.busy == 4, "four sends under way")
        for _ in range(20):  # room for a fifth to start, were it let
            await asyncio.sleep(0.001)
        assert sender.busy == 4 and sender.sent == []
        assert len(outbox.unsent()) == 10
        sender.resume.set()
        return await running

    assert asyncio.run(scenario()) == 10
    assert sender.most_busy == 4
    assert outbox.unsent() == []


def test_each_row_is_marked_sent_as_its_own_send_returns() -> None:
    clock, outbox = FakeClock(NOW), FakeOutbox()
    ten_channels(outbox)
    sender = FakeSender(clock)
    sender.stalled = {"C0"}  # the first send hangs; the others go on past it

    async def scenario() -> int:
        running = asyncio.create_task(delivery(outbox, sender, clock, in_flight=4).run())
        await until(lambda: len(outbox.unsent()) == 1, "nine rows marked sent")
        # Killed now, the process would repeat only the one still in flight.
        [waiting] = outbox.unsent()
        assert waiting.channel.channel == "C0" and sender.busy == 1
        sender.resume.set()
        return await running

    assert asyncio.run(scenario()) == 10
    assert outbox.unsent() == []


# -- refusals ----------------------------------------------------------------------------------


def test_a_platform_that_asks_to_wait_gets_the_row_back_then_and_the_chat_is_held() -> None:
    clock, outbox = FakeClock(NOW), FakeOutbox()
    outbox.enqueue(many(GROUP, 1), NOW)
    sender = FakeSender(clock)
    sender.refuse(RetryLaterError("flood", retry_after=1))
    worker = delivery(outbox, sender, clock)
    assert run(worker) == 0
    [row] = outbox.unsent()
    assert row.available_at == NOW + timedelta(seconds=1)  # retry_after, not the back-off
    assert worker.pacer.delay(GROUP).wait == timedelta(seconds=1)  # the chat is held as well
    clock.advance(seconds=1)
    assert run(worker) == 1
    assert len(sender.refused) == 1 and len(sender.sent) == 1
    assert outbox.unsent() == []


def test_rate_limits_and_server_errors_lose_nothing_and_send_nothing_twice() -> None:
    clock, outbox = FakeClock(NOW), FakeOutbox()
    outbox.enqueue(many(SLACK, 1), NOW)
    sender = FakeSender(clock)
    worker = delivery(outbox, sender, clock)

    sender.refuse(RetryLaterError("429", retry_after=1))
    assert run(worker) == 0
    [row] = outbox.unsent()
    assert row.available_at == NOW + timedelta(seconds=1)  # the platform's Retry-After
    clock.advance(seconds=1)
    sender.refuse(SendError("500"))
    assert run(worker) == 0
    [row] = outbox.unsent()
    assert row.available_at == clock.now() + timedelta(minutes=2)  # second attempt's back-off
    clock.advance(minutes=2)
    assert run(worker) == 1
    assert run(worker) == 0
    assert len(sender.refused) == 2 and len(sender.sent) == 1
    assert outbox.unsent() == []


def test_any_other_error_backs_off_doubling_up_to_six_hours() -> None:
    clock, outbox = FakeClock(NOW), FakeOutbox()
    outbox.enqueue(many(SLACK, 1), NOW)
    sender = FakeSender(clock)
    sender.down = ConnectionError("the platform is down")
    worker = delivery(outbox, sender, clock)
    waits = []
    for _ in range(12):
        assert run(worker) == 0
        [row] = outbox.unsent()
        waits.append(row.available_at - clock.now())
        clock.current = row.available_at
    minutes = [wait.total_seconds() / 60 for wait in waits]
    assert minutes == [1, 2, 4, 8, 16, 32, 64, 128, 256, 360, 360, 360]
    sender.down = None
    assert run(worker) == 1


def test_a_nudge_to_a_channel_out_of_reach_is_given_up() -> None:
    clock, outbox = FakeClock(NOW), FakeOutbox()
    sender = FakeSender(clock)
    sender.unreachable.add("C1")  # the bot was removed from it
    outbox.enqueue([*many(SLACK, 1), *many(ChannelRef("slack", "T1", "C2"), 1)], NOW)
    worker = delivery(outbox, sender, clock)

    assert run(worker) == 1  # C2's
    assert outbox.unsent() == []
    assert outcomes(outbox) == ["sent", "undeliverable"]
    clock.advance(hours=7)  # past the longest back-off
    assert run(worker) == 0
    tried = [target.channel.channel for target in sender.refused]
    assert tried == ["C1"]  # tried once, never again
    assert [sent.target.channel.channel for sent in sender.sent] == ["C2"]


def test_a_long_retry_after_is_waited_out_by_the_outbox_not_by_the_sender() -> None:
    clock, outbox = FakeClock(NOW), FakeOutbox()
    outbox.enqueue([*many(GROUP, 1), *many(ChannelRef("slack", "T", "C"), 1)], NOW)
    sender = FakeSender(clock)
    sender.refuse(RetryLaterError("429", 30), RetryLaterError("429", 30))
    worker = delivery(outbox, sender, clock)
    assert run(worker) == 0
    # Asked once each, then given back for 30 s, unsent; no one slept on it.
    assert len(sender.refused) == 2 and sender.sent == [] and clock.now() == NOW
    assert {row.available_at for row in outbox.unsent()} == {NOW + timedelta(seconds=30)}
    clock.advance(seconds=29)
    assert run(worker) == 0
    clock.advance(seconds=1)
    assert run(worker) == 2
    assert sorted(sent.target.channel.channel for sent in sender.sent) == ["-100123", "C"]


def test_a_platform_without_a_sender_is_left_to_a_process_that_has_one() -> None:
    clock, outbox = FakeClock(NOW), FakeOutbox()
    outbox.enqueue([*many(ChannelRef("matrix", "m", "room"), 1), *many(SLACK, 1)], NOW)
    sender = FakeSender(clock)
    worker = delivery(outbox, sender, clock)
    assert run(worker) == 1  # the Slack one
    [row] = outbox.unsent()
    assert row.channel.platform == "matrix"
    assert row.attempts == 0 and row.claimed_by is None and row.available_at == NOW
    assert [sent.target.channel for sent in sender.sent] == [SLACK]


# -- what is sent ------------------------------------------------------------------------------


def test_a_nudge_goes_to_its_channel_as_a_message_with_its_buttons() -> None:
    clock, outbox = FakeClock(NOW), FakeOutbox()
    outbox.enqueue(many(SLACK, 1, questions="implement.1", language="sv"), NOW)
    sender = FakeSender(clock)
    assert run(delivery(outbox, sender, clock)) == 1
    [sent] = sender.sent
    assert sent.target.channel == SLACK and sent.target.only_for == ()
    [message] = sent.replies
    assert isinstance(message, Message)
    assert "Dags för avstämning" in message.plain_text
    assert [(a.command, a.answers) for a in message.actions] == [
        ("svara Genomför 1:", "implement.1"),
        ("påminnelser", None),
    ]


def test_the_note_to_the_coordinators_is_for_them_alone() -> None:
    clock, outbox = FakeClock(NOW), FakeOutbox()
    note = many(
        SLACK, 1, NudgeKind.COORDINATOR_NOTE, round="card", since="2026-12-01",
        organisations="Fritidsbanken", coordinators="U-anna U-per",
    )  # fmt: skip
    reminder = many(
        ChannelRef("slack", "T1", "C2"), 1, NudgeKind.NONRESPONDER, round="card",
        since="2026-12-01", organisation="Fritidsbanken", coordinators="U-anna",
    )  # fmt: skip
    outbox.enqueue([*note, *reminder], NOW)
    sender = FakeSender(clock)
    assert run(delivery(outbox, sender, clock)) == 2
    only_for = {sent.target.channel.channel: sent.target.only_for for sent in sender.sent}
    assert only_for == {"C1": ("U-anna", "U-per"), "C2": ()}


def test_each_nudge_goes_through_the_sender_of_its_own_platform() -> None:
    clock, outbox = FakeClock(NOW), FakeOutbox()
    outbox.enqueue([*many(SLACK, 2), *many(GROUP, 1)], NOW)
    slack, telegram = FakeSender(clock), FakeSender(clock)

    async def sleep(seconds: float) -> None:
        clock.advance(seconds=seconds)

    senders = {"slack": slack, "telegram": telegram}
    assert run(Delivery(outbox, senders, clock, MODEL, sleep=sleep)) == 3
    assert [sent.target.channel for sent in slack.sent] == [SLACK, SLACK]
    assert [sent.target.channel for sent in telegram.sent] == [GROUP]


class BlinkingOutbox(FakeOutbox):
    """An outbox whose store fails once, for a moment, as a nudge is marked sent."""

    def __init__(self) -> None:
        super().__init__()
        self.blinks = 1

    def mark_sent(self, item_id: str, now: datetime) -> None:
        if self.blinks:
            self.blinks -= 1
            raise StorageUnavailableError("connection lost")
        super().mark_sent(item_id, now)


def test_a_nudge_sent_while_the_store_blinks_is_marked_sent_and_never_sent_again() -> None:
    clock, outbox = FakeClock(NOW), BlinkingOutbox()
    sender = FakeSender(clock)
    outbox.enqueue(many(SLACK, 1), NOW)

    assert run(delivery(outbox, sender, clock)) == 1
    clock.advance(minutes=10)  # past the lease: a row left claimed would be taken again
    assert run(delivery(outbox, sender, clock)) == 0
    assert len(sender.sent) == 1 and outcomes(outbox) == ["sent"]
