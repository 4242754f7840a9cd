"""Delivery guarantees with real processes on one real PostgreSQL.

Each bot process (:mod:`tests.integration.nudge_process`) runs the real scheduler — APScheduler,
the leader lock, the outbox, the Slack and Telegram senders — and sends over HTTP to a stand-in
of both platforms (:mod:`tests.integration.platforms`). The test owns the clock: it writes the
simulated instant to a file every process reads, and moves it on only once the leading process
has ticked up to it and every send of the instant is over.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time as wallclock
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, or_
from sqlmodel import col, select

from bot.cadence import Cadence
from bot.domain import ChannelRef, Collaboration, Member, Role, new_id
from engine.delivery import Delivery
from storage import SqlUnitOfWork, make_engine, make_session_factory, upgrade
from storage.tables import OutboxRow
from tests.integration.nudge_process import write_atomically
from tests.integration.platforms import Platforms, serve_platforms

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
DEADLINE = 40.0  # seconds to wait for anything asynchronous; generous, never asserted on


# -- the simulated clock and the processes ------------------------------------------------------


class World:
    """A database, a clock file, the platforms' stand-in, and the bot processes."""

    def __init__(self, url: str, folder: Path, start: datetime) -> None:
        self.url = url
        self.folder = folder
        self.clock_file = folder / "clock"
        self.now = start
        write_atomically(self.clock_file, start.isoformat())
        self.platforms = Platforms(clock=lambda: self.now)
        self.server = serve_platforms(self.platforms)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.ended: set[str] = set()  # stopped or killed on purpose
        self.engine = make_engine(url)
        self.sessions = make_session_factory(self.engine)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self, name: str, catch_up: timedelta = timedelta(minutes=1)) -> None:
        command = [
            sys.executable, "-m", "tests.integration.nudge_process",
            "--database", self.url, "--clock", str(self.clock_file),
            "--progress", str(self.progress_file(name)), "--name", name,
            "--slack-api", f"{self.base}/slack/", "--telegram-api", f"{self.base}/telegram/bot",
            "--max-lateness-hours", "4",  # more than the week's clock steps
            "--every", "0.05", "--catch-up-minutes", str(catch_up.total_seconds() / 60),
        ]  # fmt: skip
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        with (self.folder / f"{name}.log").open("ab") as log:  # the child keeps its own handle
            self.processes[name] = subprocess.Popen(
                command, cwd=ROOT, stdout=log, stderr=log, env=env
            )

    def progress_file(self, name: str) -> Path:
        return self.folder / f"{name}.progress"

    def progress(self, name: str) -> dict[str, Any]:
        try:
            return dict(json.loads(self.progress_file(name).read_text()))
        except FileNotFoundError:
            return {}

    def led(self) -> set[str]:
        """The processes that ever ticked (led)."""
        return {name for name in self.processes if self.progress(name).get("count")}

    def ticked_up_to(self, instant: datetime) -> bool:
        for name in self.processes:
            last = self.progress(name).get("last_tick")
            if last and datetime.fromisoformat(last) >= instant:
                return True
        return False

    def advance_to(self, instant: datetime) -> None:
        """Move the clock, then wait until the leader has ticked up to it."""
        self.now = instant
        write_atomically(self.clock_file, instant.isoformat())
        self.wait_for(lambda: self.ticked_up_to(instant), f"a tick at {instant}")

    def settle(self) -> None:
        """Wait until no row is being sent or waiting to be: every send at this instant is over.

        Simulated time runs thousands of times faster than real time; moving it on while a
        send is in flight would let that claim's lease end under it.
        """

        def settled() -> bool:
            with self.sessions() as session:
                busy = (
                    select(func.count())
                    .select_from(OutboxRow)
                    .where(col(OutboxRow.sent_at).is_(None))
                    .where(
                        or_(
                            col(OutboxRow.claimed_at).is_not(None),
                            col(OutboxRow.available_at) <= self.now,
                        )
                    )
                )
                return int(session.exec(busy).one()) == 0

        self.wait_for(settled, f"the sends at {self.now}")

    def unsent(self) -> int:
        with self.sessions() as session:
            query = (
                select(func.count()).select_from(OutboxRow).where(col(OutboxRow.sent_at).is_(None))
            )
            return int(session.exec(query).one())

    def rows(self) -> list[OutboxRow]:
        with self.sessions() as session:
            return list(session.exec(select(OutboxRow)).all())

    def wait_for(self, ready: Callable[[], object], what: str) -> None:
        deadline = wallclock.monotonic() + DEADLINE
        while not ready():
            self.check_alive()
            if wallclock.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; logs: {self.logs()}")
            wallclock.sleep(0.01)

    def check_alive(self) -> None:
        for name, process in self.processes.items():
            if name not in self.ended and process.poll() is not None:
                raise AssertionError(f"process {name} ended: {self.logs()}")

    def kill(self, name: str) -> None:
        process = self.processes[name]
        self.ended.add(name)
        process.send_signal(signal.SIGKILL)
        process.wait(DEADLINE)

    def stop(self) -> None:
        self.ended.update(self.processes)
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(DEADLINE)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}"
            for path in sorted(self.folder.glob("*.log"))
        )

    def close(self) -> None:
        self.stop()
        self.platforms.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.engine.dispose()


@pytest.fixture
def world_at(
    postgres_databases: Callable[[], str], tmp_path: Path
) -> Iterator[Callable[[datetime], World]]:
    """A fresh, migrated PostgreSQL database and a world around it, started at an instant."""
    made: list[World] = []

    def make(start: datetime) -> World:
        url = postgres_databases()
        upgrade(url)
        made.append(World(url, tmp_path, start))
        return made[-1]

    yield make
    for world in made:
        world.close()


def store(world: World, *collaborations: Collaboration) -> None:
    with SqlUnitOfWork(world.sessions) as uow:
        for made in collaborations:
            uow.collaborations.add(made)
        uow.commit()


def bare(channel: ChannelRef, name: str, checkin: Cadence | None = None) -> Collaboration:
    """A collaboration with a coordinator and no step in focus (so check-ins ask nothing)."""
    made = Collaboration(
        id=new_id(),
        channel=channel,
        name=name,
        language="sv",
        timezone="Europe/Stockholm",
        created_at=datetime(2026, 12, 1, tzinfo=UTC),
        created_by="U-anna",
    )
    made.members = {"U-anna": Member("U-anna", "Anna", Role.COORDINATOR)}
    made.checkin = checkin
    return made


def weekly(weekday: int, at: time, every: int = 1, anchor: date = date(2027, 1, 4)) -> Cadence:
    return Cadence(weekday, at, every, "Europe/Stockholm", anchor)


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 1, day, hour, minute, tzinfo=UTC)


# -- a simulated week, three processes ----------------------------------------------------------

MONDAY = utc(3, 23)  # Monday 4 January 2027, 00:00 in Stockholm
STEP = timedelta(hours=3)  # how far the clock moves at a time; under the processes' lateness
SLACK, TELEGRAM = "slack", "telegram"
IN_FLIGHT = Delivery.in_flight  # sends a process has under way at once, at most


def test_three_processes_over_a_week_send_every_nudge_exactly_once_and_on_time(
    world_at: Callable[[datetime], World],
) -> None:
    world = world_at(MONDAY)
    on_tuesdays = bare(ChannelRef(SLACK, "T1", "C-tue"), "Tisdagsgruppen", weekly(1, time(9)))
    on_tuesdays.evaluation_on = date(2027, 1, 8)
    every_other = bare(
        ChannelRef(TELEGRAM, "telegram", "-100222"),
        "Varannan måndag",
        weekly(0, time(13), every=2, anchor=date(2026, 12, 28)),  # not this week
    )
    every_other.evaluation_on = date(2027, 1, 11)
    store(
        world,
        bare(ChannelRef(SLACK, "T1", "C-mon"), "Måndagsgruppen", weekly(0, time(9))),
        bare(ChannelRef(SLACK, "T1", "C-wed"), "Onsdagsgruppen", weekly(2, time(10))),
        on_tuesdays,
        bare(ChannelRef(TELEGRAM, "telegram", "-100111"), "Fredagsgruppen",
             weekly(4, time(14, 30))),
        every_other,
    )  # fmt: skip
    expected = [  # (platform, channel, due, what the message says)
        (SLACK, "C-mon", utc(4, 8), "Måndagsgruppen"),
        (TELEGRAM, "-100111", utc(4, 13, 30), "Fredagsgruppen"),  # Friday 1 Jan is a holiday
        (SLACK, "C-tue", utc(5, 8), "Tisdagsgruppen"),
        (SLACK, "C-tue", utc(5, 8), "utvärderingen"),  # two working days before (6 Jan is off)
        (SLACK, "C-wed", utc(7, 9), "Onsdagsgruppen"),  # Wednesday 6 Jan is a holiday
        (TELEGRAM, "-100222", utc(7, 12), "utvärderingen"),  # two working days before the 11th
        (SLACK, "C-tue", utc(8, 8), "utvärderingen"),  # on the day
        (TELEGRAM, "-100111", utc(8, 13, 30), "Fredagsgruppen"),
    ]
    # The platforms stumble now and then; the senders and the outbox must get through.
    world.platforms.refuse = {SLACK: [429, 502], TELEGRAM: [429, 502]}
    for name in ("w1", "w2", "w3"):
        world.start(name)

    instant = MONDAY
    while instant < MONDAY + timedelta(days=7):
        world.settle()
        instant += STEP
        world.advance_to(instant)
    world.settle()
    world.stop()  # nothing can be sent after this

    posts = world.platforms.accepted()
    assert [(row.kind, row.due_slot) for row in world.rows() if row.sent_at is None] == []
    assert len(posts) == len(world.rows()) == len(expected)
    assert Counter((p.platform, p.channel) for p in posts) == Counter(
        (platform, channel) for platform, channel, _, _ in expected
    )
    for platform, channel, due, says in expected:
        matching = [
            p for p in posts
            if (p.platform, p.channel) == (platform, channel) and says in p.text
            # On time: at the first tick after it fell due, or the next if the platform failed.
            and due <= p.at <= due + 2 * STEP
        ]  # fmt: skip
        assert matching, f"{says} in {channel} at {due} not delivered on time: {posts}"
    assert "samlar" not in " ".join(p.text for p in posts)  # nothing was late
    assert sorted(status for _, status in world.platforms.refused) == [429, 429, 502, 502]
    assert len(world.led()) == 1  # one clock enqueued; the others only delivered


# -- a process killed in the middle of a fan-out ------------------------------------------------


def test_a_process_killed_mid_fan_out_loses_nothing_and_repeats_only_what_was_in_flight(
    world_at: Callable[[datetime], World],
) -> None:
    due = utc(4, 8)  # Monday 09:00 in Stockholm
    world = world_at(due - timedelta(minutes=1))
    channels = [f"C{n:02}" for n in range(12)]
    store(
        world,
        *(bare(ChannelRef(SLACK, "T1", c), f"Grupp {c}", weekly(0, time(9))) for c in channels),
    )
    world.platforms.hang = {"victim": 3}  # its posts after the third hang: the kill lands mid-batch
    world.start("victim")
    world.advance_to(due - timedelta(minutes=1))
    world.advance_to(due)
    # As many sends side by side as a process starts, and no more: each waits for its answer.
    world.wait_for(lambda: len(world.platforms.hanging) >= IN_FLIGHT, "the victim's sends")
    world.kill("victim")

    before = world.platforms.accepted()
    in_flight = {post.channel for post in world.platforms.hanging}
    assert len(in_flight) == IN_FLIGHT
    assert [p.sender for p in before] == ["victim"] * (3 + IN_FLIGHT)
    assert world.unsent() == len(channels) - 3  # the three answered were marked sent at once

    for name in ("w1", "w2", "victim-again"):  # the victim restarts; two more join
        world.start(name)
    # The dead process's claims hold until their lease (5 minutes) ends; then others take them.
    for minute in range(1, 7):
        world.advance_to(due + timedelta(minutes=minute))
    world.wait_for(lambda: world.unsent() == 0, "every row sent")
    world.stop()

    posts = world.platforms.accepted()
    received = Counter(p.channel for p in posts)
    assert set(received) == set(channels)  # nothing lost
    repeated = {channel for channel, count in received.items() if count > 1}
    assert repeated <= in_flight  # only the messages in flight at the kill, at most
    assert max(received.values()) <= 2
    assert all(p.at >= due + timedelta(minutes=5) for p in posts[len(before) :])  # after the lease


# -- downtime ----------------------------------------------------------------------------------


def test_after_three_weeks_down_a_restart_sends_what_is_due_once_and_sums_up_the_rest(
    world_at: Callable[[datetime], World],
) -> None:
    due = utc(4, 8)  # Monday 09:00 in Stockholm, and the three Mondays after
    world = world_at(due)
    channels = ["C1", "C2", "C3"]
    store(
        world,
        *(bare(ChannelRef(SLACK, "T1", c), f"Grupp {c}", weekly(0, time(9))) for c in channels),
    )
    world.start("before")
    world.advance_to(due)
    world.settle()
    world.stop()
    assert Counter(p.channel for p in world.platforms.accepted()) == dict.fromkeys(channels, 1)

    # Nobody runs for three weeks; the bot comes back half an hour after the third Monday.
    world.now = due + timedelta(weeks=3, minutes=30)
    write_atomically(world.clock_file, world.now.isoformat())
    world.start("after", catch_up=timedelta(weeks=4))  # looks back past the downtime
    world.wait_for(lambda: world.progress("after"), "the first tick after the restart")
    world.settle()
    world.stop()
    world.start("again", catch_up=timedelta(weeks=4))  # restarted once more: looks back again
    world.wait_for(lambda: world.progress("again"), "the first tick after the second restart")
    world.settle()
    world.stop()
    assert world.progress("after")["added"] == 2 * len(channels)
    assert world.progress("again")["added"] == 0

    after = [p for p in world.platforms.accepted() if p.sender != "before"]
    assert Counter(p.channel for p in after) == dict.fromkeys(channels, 2)
    for channel in channels:
        texts = sorted(p.text for p in after if p.channel == channel)
        summaries = [text for text in texts if "samlar" in text]
        assert len(summaries) == 1 and "samlar 2 påminnelser" in summaries[0], texts
    assert len(world.rows()) == 3 * 3 and world.unsent() == 0
