"""Delivery on SQL with a controllable clock: pacing per platform limits, 429 and 5xx from the
stand-in platform servers, catch-up after downtime, pruning, and the leader lock."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from time import monotonic, sleep

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, col, select

from bot.cadence import Cadence
from bot.calendar import WeekendCalendar
from bot.domain import ChannelRef
from bot.map import ModelMap
from bot.schedule import Nudge, NudgeKind
from model_content.loader import default_model
from runtime.leader import LeaderLock
from runtime.scheduler import Delivery, NudgeClock, Pruning, Timing
from runtime.server import nudge_sender
from runtime.settings import Settings
from storage import SqlUnitOfWork, inbox, make_engine, make_session_factory
from storage.outbox import OutboxItem, claim, enqueue, mark_sent, postpone, release
from storage.tables import OutboxRow, ProcessedEventRow
from tests.e2e.slack.fake_slack import FakeSlack, FakeSlackServer
from tests.e2e.telegram.standin import BotApiStandIn, make_server
from tests.fakes import FakeClock
from tests.integration.builders import collaboration
from tests.integration.platforms import Platforms, serve_platforms

MODEL = ModelMap(default_model())
NOW = datetime(2027, 1, 12, 8, tzinfo=UTC)  # a Tuesday, 09:00 in Stockholm


class Recorder:
    """A sender that notes when (on the test's clock) each nudge went to which channel."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.sent: list[tuple[datetime, str, str]] = []

    def __call__(self, item: OutboxItem, message: str) -> None:
        self.sent.append((self.clock.now(), item.channel.channel, message))


def many(channel: ChannelRef, count: int) -> list[tuple[ChannelRef, Nudge]]:
    """``count`` distinct nudges for ``channel``, as the clock would enqueue them."""
    return [
        (
            channel,
            Nudge(
                f"collab-{channel.channel}",
                NudgeKind.CHECKIN,
                (NOW - timedelta(minutes=n)).isoformat(),
                {"name": "Läxhjälp"},
            ),
        )
        for n in range(count)
    ]


def delivery(
    session_factory: sessionmaker[Session], sender: object, clock: FakeClock, **options: object
) -> Delivery:
    return Delivery(
        session_factory,
        sender,  # type: ignore[arg-type]
        clock,
        MODEL,
        sleep=lambda seconds: clock.advance(seconds=seconds),
        **options,  # type: ignore[arg-type]
    )


def most_in_any_window(instants: list[datetime], window: timedelta) -> int:
    return max(sum(1 for t in instants if start <= t < start + window) for start in instants)


def unsent(session_factory: sessionmaker[Session]) -> list[OutboxRow]:
    with session_factory() as session:
        return list(session.exec(select(OutboxRow).where(col(OutboxRow.sent_at).is_(None))).all())


# -- pacing ------------------------------------------------------------------------------------


def test_slack_hears_at_most_one_nudge_per_second_per_channel(
    session_factory: sessionmaker[Session],
) -> None:
    clock = FakeClock(NOW)
    one, other = ChannelRef("slack", "T1", "C1"), ChannelRef("slack", "T1", "C2")
    enqueue(session_factory, [*many(one, 3), *many(other, 2)], NOW)
    sender = Recorder(clock)
    assert delivery(session_factory, sender, clock).run() == 5
    for channel in ("C1", "C2"):
        times = [at for at, to, _ in sender.sent if to == channel]
        assert all(later - earlier >= timedelta(seconds=1) for earlier, later in pairwise(times))
    assert most_in_any_window([at for at, _, _ in sender.sent], timedelta(seconds=1)) == 2


def test_a_claim_near_the_end_of_its_lease_is_given_back_unsent(
    session_factory: sessionmaker[Session],
) -> None:
    clock = FakeClock(NOW)
    channel = ChannelRef("slack", "T1", "C1")
    enqueue(session_factory, many(channel, 3), NOW)
    sender = Recorder(clock)
    worker = delivery(session_factory, sender, clock, lease=timedelta(seconds=2))
    assert worker.run() == 2  # the third would go out a whole lease after the claim
    [row] = unsent(session_factory)
    assert row.claimed_by is None and row.attempts == 0


def test_a_worker_whose_lease_ran_out_cannot_give_back_the_next_workers_claim(
    session_factory: sessionmaker[Session],
) -> None:
    enqueue(session_factory, many(ChannelRef("slack", "T1", "C1"), 1), NOW)
    [first] = claim(session_factory, "slow", 1, NOW, timedelta(minutes=5))
    later = NOW + timedelta(minutes=6)
    assert len(claim(session_factory, "next", 1, later, timedelta(minutes=5))) == 1
    release(session_factory, first.id, later, timedelta(minutes=1), worker_id="slow")
    postpone(session_factory, first.id, later, worker_id="slow")
    with session_factory() as session:
        row = session.exec(select(OutboxRow)).one()
    assert (row.claimed_by, row.attempts, row.available_at) == ("next", 2, NOW)


def test_a_telegram_group_hears_at_most_twenty_a_minute_and_the_rest_waits_its_turn(
    session_factory: sessionmaker[Session],
) -> None:
    clock = FakeClock(NOW)
    group = ChannelRef("telegram", "telegram", "-100123")
    enqueue(session_factory, many(group, 25), NOW)
    sender = Recorder(clock)
    worker = delivery(session_factory, sender, clock, batch=30)
    assert worker.run() == 20  # the other five are postponed, not slept on
    assert len(unsent(session_factory)) == 5
    assert worker.run() == 0  # not yet their turn
    clock.advance(seconds=45)
    assert worker.run() == 5
    times = [at for at, _, _ in sender.sent]
    assert most_in_any_window(times, timedelta(minutes=1)) == 20
    assert most_in_any_window(times, timedelta(seconds=1)) == 1
    assert unsent(session_factory) == []
    with session_factory() as session:  # postponing is not a failed attempt
        assert {row.attempts for row in session.exec(select(OutboxRow)).all()} == {1}


def test_telegram_as_a_whole_gets_at_most_thirty_a_second(
    session_factory: sessionmaker[Session],
) -> None:
    clock = FakeClock(NOW)
    chats = [ChannelRef("telegram", "telegram", str(1000 + n)) for n in range(40)]
    enqueue(session_factory, [item for chat in chats for item in many(chat, 1)], NOW)
    sender = Recorder(clock)
    assert delivery(session_factory, sender, clock, batch=50).run() == 40
    assert most_in_any_window([at for at, _, _ in sender.sent], timedelta(seconds=1)) == 30


# -- 429 and 5xx from the stand-ins -------------------------------------------------------------


@pytest.fixture
def telegram_api() -> Iterator[tuple[BotApiStandIn, str]]:
    standin = BotApiStandIn()
    server = make_server(standin)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield standin, f"http://127.0.0.1:{server.server_address[1]}/bot"
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture
def slack_api() -> Iterator[tuple[FakeSlack, str]]:
    server = FakeSlackServer()
    with server as fake:
        yield fake, server.url


@pytest.fixture
def sqlite_sessions(sqlite_engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(sqlite_engine)


def test_telegram_flooding_longer_than_the_sender_waits_releases_the_row_until_retry_after(
    sqlite_sessions: sessionmaker[Session], telegram_api: tuple[BotApiStandIn, str]
) -> None:
    standin, api_url = telegram_api
    clock = FakeClock(NOW)
    group = ChannelRef("telegram", "telegram", "-100123")
    enqueue(sqlite_sessions, many(group, 1), NOW)
    send = nudge_sender(Settings(telegram_bot_token="123:ABC", telegram_api_url=api_url))
    standin.flood_next = 4  # every attempt of the sender's own is refused
    worker = delivery(sqlite_sessions, send, clock)
    assert worker.run() == 0
    [row] = unsent(sqlite_sessions)
    assert row.available_at == NOW + timedelta(seconds=1)  # retry_after, not the back-off
    assert worker.pacer.delay(group) == timedelta(seconds=1)  # the chat is held as well
    clock.advance(seconds=1)
    standin.break_next = 1  # one 502, which the sender retries by itself
    assert worker.run() == 1
    assert len(standin.called("sendMessage")) == 1
    assert unsent(sqlite_sessions) == []


def test_slack_rate_limits_and_server_errors_lose_nothing_and_send_nothing_twice(
    sqlite_sessions: sessionmaker[Session], slack_api: tuple[FakeSlack, str]
) -> None:
    fake, api_url = slack_api
    clock = FakeClock(NOW)
    channel = ChannelRef("slack", "T1", "C1")
    enqueue(sqlite_sessions, many(channel, 1), NOW)
    send = nudge_sender(Settings(slack_bot_token="xoxb-test", slack_api_url=api_url))
    worker = delivery(sqlite_sessions, send, clock)

    fake.fail_next("chat.postMessage", 429, times=4)  # more than the client retries
    assert worker.run() == 0
    [row] = unsent(sqlite_sessions)
    assert row.available_at == NOW + timedelta(seconds=1)  # Slack's Retry-After
    clock.advance(seconds=1)
    fake.fail_next("chat.postMessage", 500, times=4)
    assert worker.run() == 0
    [row] = unsent(sqlite_sessions)
    assert row.available_at == clock.now() + timedelta(minutes=2)  # second attempt's back-off
    clock.advance(minutes=2)
    assert worker.run() == 1
    assert worker.run() == 0
    calls = fake.calls_to("chat.postMessage")
    assert len(calls) == 4 + 4 + 1  # each refused call, then one that was accepted
    assert unsent(sqlite_sessions) == []


def outcomes(session_factory: sessionmaker[Session]) -> list[str | None]:
    with session_factory() as session:
        return list(session.exec(select(OutboxRow.outcome)).all())


def test_a_nudge_to_a_slack_channel_the_bot_was_removed_from_is_given_up(
    sqlite_sessions: sessionmaker[Session], slack_api: tuple[FakeSlack, str]
) -> None:
    fake, api_url = slack_api
    clock = FakeClock(NOW)
    fake.not_joined.add("C1")
    enqueue(sqlite_sessions, many(ChannelRef("slack", "T1", "C1"), 1), NOW)
    enqueue(sqlite_sessions, many(ChannelRef("slack", "T1", "C2"), 1), NOW)
    send = nudge_sender(Settings(slack_bot_token="xoxb-test", slack_api_url=api_url))
    worker = delivery(sqlite_sessions, send, clock)

    assert worker.run() == 1  # C2's
    assert unsent(sqlite_sessions) == []
    assert sorted(outcomes(sqlite_sessions)) == ["sent", "undeliverable"]
    clock.advance(hours=7)  # past the longest back-off
    assert worker.run() == 0
    posts = [call.body["channel"] for call in fake.calls_to("chat.postMessage")]
    assert sorted(posts) == ["C1", "C2"]  # C1 was tried once, never again


def test_a_nudge_to_a_telegram_group_the_bot_was_removed_from_is_given_up(
    sqlite_sessions: sessionmaker[Session], telegram_api: tuple[BotApiStandIn, str]
) -> None:
    standin, api_url = telegram_api
    clock = FakeClock(NOW)
    standin.kicked_from.add("-100123")
    enqueue(sqlite_sessions, many(ChannelRef("telegram", "telegram", "-100123"), 1), NOW)
    send = nudge_sender(Settings(telegram_bot_token="123:ABC", telegram_api_url=api_url))
    worker = delivery(sqlite_sessions, send, clock)

    assert worker.run() == 0
    assert unsent(sqlite_sessions) == []
    assert outcomes(sqlite_sessions) == ["undeliverable"]


# -- catch-up after downtime --------------------------------------------------------------------


def test_nudges_due_while_down_are_sent_once_and_old_ones_are_summarised(
    session_factory: sessionmaker[Session],
) -> None:
    made = collaboration()
    made.checkin = Cadence(1, time(9, 0), 1, made.timezone, date(2026, 11, 2))  # Tuesdays 09:00
    made.decisions = []
    with SqlUnitOfWork(session_factory) as uow:
        uow.collaborations.add(made)
        uow.commit()
    calendar = WeekendCalendar()
    clock = FakeClock(NOW - timedelta(weeks=4))
    before = NudgeClock(session_factory, calendar, clock, MODEL, catch_up=timedelta(minutes=1))
    sender = Recorder(clock)
    assert before.tick() == 1  # the check-in of four weeks ago, on time
    assert delivery(session_factory, sender, clock).run() == 1

    clock.advance(weeks=4, minutes=30)  # down for three check-ins; back half an hour after a fourth
    after = NudgeClock(session_factory, calendar, clock, MODEL, catch_up=timedelta(days=35))
    assert after.tick() == 2  # one summary of the three missed, and the timely one
    worker = delivery(session_factory, sender, clock)
    assert worker.run() == 2
    assert (
        NudgeClock(session_factory, calendar, clock, MODEL, catch_up=timedelta(days=35)).tick() == 0
    )
    assert worker.run() == 0

    messages = [message for _, _, message in sender.sent[1:]]
    assert len(messages) == 2
    summary = [m for m in messages if "samlar" in m]
    assert len(summary) == 1 and "samlar 3 påminnelser" in summary[0]  # the first one was sent


# -- pruning -----------------------------------------------------------------------------------


def test_pruning_removes_long_sent_nudges_and_old_event_claims_only(
    session_factory: sessionmaker[Session],
) -> None:
    clock = FakeClock(NOW)
    channel = ChannelRef("slack", "T1", "C1")
    enqueue(session_factory, many(channel, 4), NOW - timedelta(days=60))
    old, recent, unsent_long, _ = claim(
        session_factory, "w", 10, NOW - timedelta(days=60), timedelta(minutes=5)
    )
    mark_sent(session_factory, old.id, NOW - timedelta(days=31))
    mark_sent(session_factory, recent.id, NOW - timedelta(days=29))
    with session_factory() as session:
        for event_id, days in (("Ev-old", 8), ("Ev-new", 6)):
            received = NOW - timedelta(days=days)
            session.add(
                ProcessedEventRow(platform="slack", event_id=event_id, received_at=received)
            )
        session.commit()
    for update_id, days in (("1", 8), ("2", 6)):
        inbox.store(session_factory, "telegram", update_id, "{}", NOW - timedelta(days=days))
        [kept_event] = inbox.claim(session_factory, "w", 1, NOW, timedelta(minutes=5))
        inbox.finish(session_factory, kept_event, NOW - timedelta(days=days))

    assert Pruning(session_factory, clock).run() == (1, 2)  # a claim and an inbox key
    with session_factory() as session:
        kept = {row.id for row in session.exec(select(OutboxRow)).all()}
        events = {row.event_id for row in session.exec(select(ProcessedEventRow)).all()}
    assert old.id not in kept and {recent.id, unsent_long.id} <= kept and len(kept) == 3
    assert events == {"Ev-new"}
    assert Pruning(session_factory, clock).run() == (0, 0)


def test_sent_nudges_are_kept_longer_than_the_clock_looks_back() -> None:
    with pytest.raises(ValueError):
        Timing(catch_up=timedelta(days=40))


# -- the leader lock ---------------------------------------------------------------------------


@pytest.mark.postgres
def test_only_one_process_at_a_time_holds_the_clock_on_postgres(
    postgresql_engine: Engine, postgres_url: str
) -> None:
    other_engine = make_engine(postgres_url)
    try:
        first, second = LeaderLock(postgresql_engine), LeaderLock(other_engine)
        assert first.held() and not second.held()
        assert first.held()  # still: it is kept from one tick to the next

        factory = make_session_factory(other_engine)
        follower = NudgeClock(factory, WeekendCalendar(), FakeClock(NOW), MODEL, leader=second)
        assert follower.tick() == 0 and follower.last_tick is None  # it did not even look

        first.release()
        assert second.held() and not first.held()

        # The leader's connection dies (a crash, a restart of the server): the lock is free.
        with postgresql_engine.connect() as connection:
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks "
                    "WHERE locktype = 'advisory' AND granted AND database = "
                    "(SELECT oid FROM pg_database WHERE datname = current_database())"
                )
            )
        deadline = monotonic() + 30  # the server ends the backend after answering
        while not first.held():
            assert monotonic() < deadline, "the lock was not freed"
            sleep(0.05)
        assert not second.held()
        first.release()
        second.release()
    finally:
        other_engine.dispose()


def test_on_sqlite_the_one_process_always_leads(sqlite_engine: Engine) -> None:
    lock = LeaderLock(sqlite_engine)
    assert not lock.needed and lock.held() and LeaderLock(sqlite_engine).held()


def test_a_long_retry_after_is_waited_out_by_the_outbox_not_by_the_sender(
    sqlite_sessions: sessionmaker[Session],
) -> None:
    clock = FakeClock(NOW)
    platforms = Platforms(clock=clock.now, retry_after=30)
    server = serve_platforms(platforms)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        settings = Settings(
            slack_bot_token="xoxb-w", slack_api_url=f"{base}/slack/",
            telegram_bot_token="1:w", telegram_api_url=f"{base}/telegram/bot",
        )  # fmt: skip
        group, channel = ChannelRef("telegram", "telegram", "-1001"), ChannelRef("slack", "T", "C")
        enqueue(sqlite_sessions, [*many(group, 1), *many(channel, 1)], NOW)
        platforms.refuse = {"telegram": [429], "slack": [429]}
        worker = delivery(sqlite_sessions, nudge_sender(settings), clock)
        assert worker.run() == 0
        # Asked once each, then given back for 30 s, unsent; no one slept on it.
        assert len(platforms.refused) == 2 and platforms.accepted() == []
        assert {row.available_at for row in unsent(sqlite_sessions)} == {
            NOW + timedelta(seconds=30)
        }
        clock.advance(seconds=29)
        assert worker.run() == 0
        clock.advance(seconds=1)
        assert worker.run() == 2
        assert sorted(post.channel for post in platforms.accepted()) == ["-1001", "C"]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
