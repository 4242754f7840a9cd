"""Scale benchmark: what the nudge clock and an idle ``samverkan serve`` cost as the number of
collaborations grows.

    python -m bench.scale [--database-url URL] [--sizes 100,1000,10000] [--idle-seconds 180]
                          [--parts clock,idle,fanout,worker] [--worker-events 4000]
                          [--worker-runs 3] [--readme README.md]

For each size N a fresh PostgreSQL database is filled in bulk (not through the chat) with N
collaborations, each with a weekly check-in, an evaluation date, a decision with a review date,
a coordinator and three partners who answered once; every 45th has its check-in within the
hour after the start, the others on other days. Then, with the clock read from a fixed instant:

- the first tick after the upgrade (no collaboration planned yet: each is looked at once);
- a steady tick a minute later: time and SQL queries;
- the first tick after one hour of downtime (a new process, so it catches up);
- ``samverkan serve`` (one worker process, Slack to the stand-in Web API) started on the
  database and left idle for ``--idle-seconds``: CPU used by it and its worker process, as a
  share of one core, and the worker's resident memory;
- a fan-out (``--parts fanout``, or ``fanout-telegram``, ``fanout-slack``): N check-ins due in
  the same minute, each to a Telegram group or a Slack channel of its own, sent by ``serve``
  with two worker processes to the stand-in API with its rate limits on: first to last
  message, as a share of the limit that binds, 429s, calls before their Retry-After had
  passed, messages sent twice and lost.
- Slack answers handled a second by ``serve`` with one and with two worker processes:
  ``--worker-events`` thread replies to the question card of each collaboration, spread over
  all N channels in 50 workspaces (no platform limit binds), kept in the inbox at once as the
  receiving side keeps them; timed from keeping until every answer is stored and its ✅ reaction
  seen at the stand-in Web API, with the CPU that ``serve`` and its workers used an answer.
  ``--worker-runs`` runs each, taking turns; the median is shown.

The table is printed and, with ``--readme``, written between the markers in the README's speed
section. A missed target is printed as MISS, never an error.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as wall
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import psutil
from sqlalchemy import Engine, delete, event, func, insert, select, text

from bench.run import database, wait_until_idle
from bench.standin_processes import StandIn
from bot.cadence import Cadence
from bot.domain import (
    Answer,
    AuditEntry,
    ChannelRef,
    Collaboration,
    Decision,
    Member,
    PostedCard,
    Role,
    Sector,
)
from bot.map import ModelMap
from engine.nudge_clock import NudgeClock
from model_content.loader import default_model
from runtime.swedish_calendar import SwedishCalendar
from standins.serving import free_port
from storage import mapping
from storage.database import make_engine, make_session_factory, upgrade
from storage.due import SqlCollaborations
from storage.inbox import ARRIVALS
from storage.tables import (
    AnswerRow,
    AuditEntryRow,
    CollaborationRow,
    DecisionRow,
    InboxRow,
    MemberRow,
    OutboxRow,
    PostedCardRow,
)

STOCKHOLM = "Europe/Stockholm"
MODEL = ModelMap(default_model())
CHUNK = 2000  # rows per bulk insert
SOON_EVERY = 45  # every 45th collaboration has its check-in within the hour after the start
MARKERS = ("<!-- bench-scale -->", "<!-- /bench-scale -->")
TELEGRAM_LIMIT = 30.0  # messages a second, over all chats
CARD_TS = "1700000000.000001"  # the question card each Slack collaboration posted
WORKER_EVENTS = 4000  # Slack answers kept for the worker processes to handle
WORKER_TARGET = 300.0  # answers a second
WORKER_RUNS = 3
TARGETS = {"steady_ms": 100.0, "downtime_s": 2.0, "rss_mb": 150.0, "idle_share": 0.02}


class FixedClock:
    """The instant the benchmark says it is."""

    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current


@dataclass
class Fanout:
    """A fan-out to one platform's stand-in: first to last message, and what it took."""

    size: int
    seconds: float = 0.0
    sent: int = 0  # messages the stand-in took
    chats: int = 0  # distinct chats (channels) they went to
    floods: int = 0  # calls answered 429
    early: int = 0  # calls to a chat before the Retry-After it was given had passed

    @property
    def per_second(self) -> float:
        return (self.size - 1) / self.seconds if self.seconds else 0.0


@dataclass
class Row:
    """One size's measurements."""

    size: int
    fill_s: float = 0.0
    first_s: float = 0.0
    first_queries: int = 0
    steady_ms: float = 0.0
    steady_queries: int = 0
    downtime_s: float = 0.0
    downtime_queries: int = 0
    downtime_added: int = 0
    idle_share: float = 0.0
    idle_seconds: float = 0.0
    rss_mb: float = 0.0
    fanouts: dict[str, Fanout] = field(default_factory=dict)  # by platform
    # Slack answers handled a second, and ms of CPU each took in serve and its workers, by one
    # and by two worker processes: one entry a run.
    worker_rates: dict[int, list[float]] = field(default_factory=dict)
    worker_cpu_ms: dict[int, list[float]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


# -- filling ----------------------------------------------------------------------------------


def collaboration(
    number: int, start: datetime, channel: ChannelRef | None = None, due: datetime | None = None
) -> Collaboration:
    """The ``number``-th collaboration: check-in, evaluation, a decision to review, three
    partners who answered the focus step's first question once. With ``due`` its check-in is
    then, and the clock has planned it."""
    local = start.astimezone(ZoneInfo(STOCKHOLM))
    if due is not None:
        at_due = due.astimezone(ZoneInfo(STOCKHOLM))
        weekday, at = at_due.weekday(), at_due.time()
    elif number % SOON_EVERY == 0:  # today, half an hour after the start
        soon = (local + timedelta(minutes=30)).replace(second=0, microsecond=0)
        weekday, at = soon.weekday(), soon.time()
    else:  # another weekday, between 08:00 and 16:00
        weekday = (local.weekday() + 1 + number % 4) % 5
        at = wall(8 + number % 9, 0)
    created = start - timedelta(days=30)
    step = MODEL.first_step
    made = Collaboration(
        id=f"bench{number:07d}",
        channel=channel or ChannelRef("slack", f"T{number % 50:03d}", f"C{number:07d}"),
        name=f"Samverkan {number}",
        language="sv",
        timezone=STOCKHOLM,
        created_at=created,
        created_by="U-anna",
        focus_step_id=step.id,
    )
    made.checkin = Cadence(weekday, at, 1, STOCKHOLM, created.date())
    made.evaluation_on = start.date() + timedelta(days=120 + number % 60)
    made.decisions = [
        Decision(f"d{number}", 1, "Vi ses varje vecka.", "U-anna", "Anna", created,
                 review_on=start.date() + timedelta(days=60 + number % 30)),
    ]  # fmt: skip
    made.members = {"U-anna": Member("U-anna", "Anna", Role.COORDINATOR, "Kommunen", Sector.PUBLIC)}
    question = step.questions[0].id
    for partner in range(3):
        user = f"U-p{partner}"
        organisation = f"Förening {partner}"
        made.members[user] = Member(user, f"Partner {partner}", Role.PARTNER, organisation,
                                    Sector.CIVIL_SOCIETY, created)  # fmt: skip
        at_ = start - timedelta(days=10, hours=partner)
        made.answers.append(Answer(f"a{number}-{partner}", question, step.id, user,
                                   f"Partner {partner}", organisation, "Ja", at_, at_))  # fmt: skip
    made.audit = [
        AuditEntry(created, "U-anna", "started"),
        AuditEntry(created, "U-anna", "checkin"),
    ]
    if due is not None:
        made.nudged_until, made.next_nudge_at = start, due
    else:
        made.cards = [PostedCard(CARD_TS, question, created)]
    return made


def fill(
    engine: Engine, size: int, start: datetime, due: datetime | None = None, platform: str = ""
) -> None:
    """``size`` collaborations and their rows, a few thousand rows a statement; with ``due``
    each has its check-in then; on ``platform`` "telegram" each is in a Telegram group of its
    own, else in a Slack channel of its own."""
    tables: dict[Any, list[dict[str, Any]]] = {
        CollaborationRow: [], MemberRow: [], DecisionRow: [], AnswerRow: [], AuditEntryRow: [],
        PostedCardRow: [],
    }  # fmt: skip
    for number in range(size):
        group = None
        if platform == "telegram":
            group = ChannelRef("telegram", "telegram", str(-1_000_000_000 - number))
        made = collaboration(number, start, group, due) if due else collaboration(number, start)
        values = mapping.collaboration_values(made)
        tables[CollaborationRow].append({**values, "next_answer_position": len(made.answers)})
        tables[MemberRow] += [mapping.member_values(made.id, m) for m in made.members.values()]
        tables[DecisionRow] += [
            mapping.decision_values(made.id, i, d) for i, d in enumerate(made.decisions)
        ]
        tables[AnswerRow] += [
            mapping.answer_values(made.id, i, a) for i, a in enumerate(made.answers)
        ]
        tables[PostedCardRow] += [
            mapping.card_values(made.id, i, c) for i, c in enumerate(made.cards)
        ]
        tables[AuditEntryRow] += [mapping.audit_values(made.id, e) for e in made.audit]
    with engine.begin() as connection:
        for table, rows in tables.items():
            for first in range(0, len(rows), CHUNK):
                connection.execute(insert(table), rows[first : first + CHUNK])


# -- the clock ----------------------------------------------------------------------------------


@contextlib.contextmanager
def counted(engine: Engine) -> Iterator[list[int]]:
    """How many statements ``engine`` ran within the block, in ``[0]``."""
    seen = [0]

    def count(*_args: Any) -> None:
        seen[0] += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def timed_tick(engine: Engine, ticker: NudgeClock) -> tuple[float, int, int]:
    """Seconds, statements and new outbox rows of one tick."""
    with counted(engine) as seen:
        began = time.perf_counter()
        added = ticker.tick()
        took = time.perf_counter() - began
    return took, seen[0], added


def measure_clock(url: str, row: Row, start: datetime) -> None:
    engine = make_engine(url)
    try:
        sessions = make_session_factory(engine)
        calendar = SwedishCalendar()
        clock = FixedClock(start)

        def process() -> NudgeClock:
            return NudgeClock(SqlCollaborations(sessions), _Leading(), calendar, clock, MODEL)

        ticker = process()
        row.first_s, row.first_queries, _ = timed_tick(engine, ticker)
        steady = []
        for _ in range(5):
            clock.current += timedelta(minutes=1)
            took, row.steady_queries, _ = timed_tick(engine, ticker)
            steady.append(took)
        row.steady_ms = statistics.median(steady) * 1000
        # Down for an hour: a new process looks back at what fell due meanwhile.
        clock.current += timedelta(hours=1)
        row.downtime_s, row.downtime_queries, row.downtime_added = timed_tick(engine, process())
        with engine.begin() as connection:  # what the ticks enqueued is not for the idle serve
            connection.execute(delete(OutboxRow))
    finally:
        engine.dispose()


def planned(engine: Engine, start: datetime) -> None:
    """Every collaboration planned, as the core plans each one it writes (``fill`` leaves that
    to the clock's first tick, which is measured on its own): a ``serve`` started afterwards
    handles what it is measured on, not that tick. The tick also catches up each one's
    check-in of the past week; those rows are deleted, not sent."""
    sessions = make_session_factory(engine)
    clock = FixedClock(start)
    NudgeClock(SqlCollaborations(sessions), _Leading(), SwedishCalendar(), clock, MODEL).tick()
    with engine.begin() as connection:
        connection.execute(delete(OutboxRow))


class _Leading:
    """One process alone on the database leads."""

    def held(self) -> bool:
        return True

    def release(self) -> None:
        pass


# -- an idle serve ------------------------------------------------------------------------------


def cpu_seconds(processes: list[psutil.Process]) -> float:
    total = 0.0
    for each in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            times = each.cpu_times()
            total += times.user + times.system
    return total


def measure_idle(url: str, row: Row, seconds: float) -> None:
    with StandIn("slack") as api:
        env = {
            "DATABASE_URL": url,
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": "bench-secret",
            "SLACK_API_URL": api.url,
            "WORKER_PROCESSES": "1",
        }
        with serving(env) as server:
            family = [server, *server.children(recursive=True)]
            before, began = cpu_seconds(family), time.monotonic()
            time.sleep(seconds)
            used, took = cpu_seconds(family) - before, time.monotonic() - began
            row.idle_share, row.idle_seconds = used / took, took
            workers = [p for p in family[1:] if "work" in p.cmdline()]
            row.rss_mb = max((p.memory_info().rss for p in workers), default=0) / 2**20
            if not workers:
                row.notes.append("no worker process found")


@contextlib.contextmanager
def serving(env: dict[str, str]) -> Iterator[psutil.Process]:
    """``samverkan serve`` until the block ends, once it answers and is idle."""
    port = free_port()
    argv = [sys.executable, "-m", "runtime.cli", "serve"]
    process = subprocess.Popen(argv, env={**os.environ, **env, "PORT": str(port)})
    try:
        end = time.monotonic() + 60
        while True:
            if process.poll() is not None or time.monotonic() > end:
                raise RuntimeError("samverkan serve did not start")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            time.sleep(0.2)
        wait_until_idle(process.pid)
        yield psutil.Process(process.pid)
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


# -- a fan-out ---------------------------------------------------------------------------------


FANOUT_SETTINGS = {  # how ``serve`` reaches each stand-in, and the method that posts
    "telegram": ("sendMessage", {"TELEGRAM_BOT_TOKEN": "1:bench"}, "TELEGRAM_API_URL"),
    "slack": (
        "chat.postMessage",
        {"SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": "bench-secret"},
        "SLACK_API_URL",
    ),
}


def measure_fanout(base_url: str, row: Row, platform: str) -> None:
    """``row.size`` check-ins due in the same minute, each to a chat (channel) of its own on
    ``platform``, through ``serve`` with two worker processes to the stand-in API with its
    rate limits on."""
    method, settings, api_setting = FANOUT_SETTINGS[platform]
    start = datetime.now(UTC).replace(microsecond=0)
    due = (start + timedelta(seconds=90)).replace(second=0)
    made = row.fanouts[platform] = Fanout(row.size)
    with database(base_url) as url, StandIn(platform, limits=True) as api:
        upgrade(url)
        engine = make_engine(url)
        fill(engine, row.size, start, due, platform)
        engine.dispose()
        env = {"DATABASE_URL": url, api_setting: api.url, "WORKER_PROCESSES": "2", **settings}
        with serving(env):
            first = last = None
            limit = time.monotonic() + 180 + row.size / TELEGRAM_LIMIT * 2
            while time.monotonic() < limit:
                sent = api.count(method)
                now = time.monotonic()
                if sent and first is None:
                    first = now
                if sent >= row.size:
                    last = now
                    break
                time.sleep(0.25)
            made.sent, made.chats = api.count(method), api.chats(method)
            made.floods, made.early = api.floods(), api.early()
            if first is not None and last is not None and last > first:
                made.seconds = last - first


# -- the worker ----------------------------------------------------------------------------------


def answer_events(size: int, count: int, now: datetime) -> list[dict[str, Any]]:
    """``count`` inbox rows: signed-and-kept Slack thread replies to the question card, each
    from one of three partners, spread over the ``size`` collaborations' channels (in 50
    workspaces) round-robin, as the receiving side keeps them."""
    rows = []
    for i in range(count):
        number = i % size
        envelope = {
            "token": "verification_token",
            "team_id": f"T{number % 50:03d}",
            "api_app_id": "A111",
            "type": "event_callback",
            "event_id": f"EvBench{i:08d}",
            "event_time": int(now.timestamp()),
            "event": {
                "type": "message",
                "team": f"T{number % 50:03d}",
                "channel": f"C{number:07d}",
                "user": f"U-p{i % 3}",
                # As Slack sends a person's message: with the profile, whose name the member
                # already has (the answers' own, not a change of name each time).
                "user_profile": {
                    "display_name": f"Partner {i % 3}",
                    "real_name": f"Partner {i % 3}",
                },
                "text": f"Svar nummer {i}: vi kan bidra med lokal på tisdagar.",
                "ts": f"1800000000.{i:06d}",
                "thread_ts": CARD_TS,
                "event_ts": f"1800000000.{i:06d}",
                "channel_type": "channel",
            },
        }
        kept = {"body": json.dumps(envelope), "content_type": "application/json"}
        rows.append({
            "platform": "slack", "event_id": envelope["event_id"], "payload": json.dumps(kept),
            "received_at": now, "available_at": now, "attempts": 0,
        })  # fmt: skip
    return rows


def measure_worker(base_url: str, row: Row, processes: int, events: int) -> None:
    """``events`` Slack answers over ``row.size`` channels kept at once, handled by ``serve``
    with ``processes`` worker processes: answers a second from keeping to the last answer
    stored and its reaction seen at the stand-in Web API."""
    start = datetime.now(UTC).replace(microsecond=0)
    with database(base_url) as url, StandIn("slack") as api:
        upgrade(url)
        engine = make_engine(url)
        fill(engine, row.size, start)
        planned(engine, start)
        env = {
            "DATABASE_URL": url,
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": "bench-secret",
            "SLACK_API_URL": api.url,
            "WORKER_PROCESSES": str(processes),
        }
        try:
            with serving(env) as server:
                family = [server, *server.children(recursive=True)]
                rows = answer_events(row.size, events, datetime.now(UTC))
                used = cpu_seconds(family)
                began = time.monotonic()
                with engine.begin() as connection:
                    for first in range(0, len(rows), CHUNK):
                        connection.execute(insert(InboxRow), rows[first : first + CHUNK])
                    connection.execute(text(f"NOTIFY {ARRIVALS}"))
                limit = began + 60 + events / 10
                while time.monotonic() < limit:
                    if api.count("reactions.add") >= events and _answers(engine) >= events:
                        break
                    time.sleep(0.1)
                took = time.monotonic() - began
                used = cpu_seconds(family) - used
                done = min(api.count("reactions.add"), _answers(engine))
                if done < events:
                    row.notes.append(f"{processes} worker(s): {done} of {events} handled")
                row.worker_rates.setdefault(processes, []).append(done / took)
                row.worker_cpu_ms.setdefault(processes, []).append(1000 * used / max(done, 1))
        finally:
            engine.dispose()


def _answers(engine: Engine) -> int:
    """Answers stored beyond the three each collaboration was filled with."""
    with engine.connect() as connection:
        total = connection.execute(select(func.count()).select_from(AnswerRow)).scalar_one()
        filled = connection.execute(select(func.count()).select_from(CollaborationRow)).scalar_one()
    return int(total) - 3 * int(filled)


# -- report -------------------------------------------------------------------------------------


def verdict(value: float, target: float) -> str:
    return "" if value < target else " MISS"


def noun_count(n: int, one: str, many: str) -> str:
    """``1 query``, ``12 queries``: a count with its noun."""
    return f"{n:,} {one if n == 1 else many}"


def fanout_cell(made: Fanout | None, limit: float | None) -> str:
    """Time, speed against the ``limit`` (messages a second over all chats; ``None``: none
    binds a message to each channel), and what the stand-in refused and took."""
    if made is None:
        return "not measured"
    if limit is None:
        speed = f"{made.per_second:.0f} a second, no limit binding"
    else:
        share = made.per_second / limit
        speed = f"{share:.0%} of {limit:.0f}/s{'' if share >= 0.9 else ' MISS'}"
    waited = "each waited out" if not made.early else f"{made.early} too soon MISS"
    return (
        f"{made.seconds:.0f} s, {speed}; {noun_count(made.floods, '429', '429s')}"
        f"{f' ({waited})' if made.floods else ''}, "
        f"{made.sent - made.chats} twice, {made.size - made.chats} lost"
    )


def table(rows: list[Row]) -> str:
    def line(label: str, cells: list[str]) -> str:
        return f"| {label} | " + " | ".join(cells) + " |"

    lines = [
        line("collaborations", [f"{r.size:,}" for r in rows]),
        "|---|" + "---|" * len(rows),
        line("filling in bulk", [f"{r.fill_s:.1f} s" for r in rows]),
        line("first tick after the upgrade (none planned)",
             [f"{r.first_s:.2f} s, {noun_count(r.first_queries, 'query', 'queries')}"
              for r in rows]),
        line("steady tick (median of 5)",
             [f"{r.steady_ms:.1f} ms{verdict(r.steady_ms, TARGETS['steady_ms'])}, "
              f"{noun_count(r.steady_queries, 'query', 'queries')}" for r in rows]),
        line("first tick after one hour down",
             [f"{r.downtime_s:.2f} s{verdict(r.downtime_s, TARGETS['downtime_s'])}, "
              f"{noun_count(r.downtime_queries, 'query', 'queries')}, "
              f"{noun_count(r.downtime_added, 'nudge', 'nudges')}" for r in rows]),
        line("idle `serve` + worker, share of a core",
             [f"{r.idle_share:.2%} over {r.idle_seconds:.0f} s"
              f"{verdict(r.idle_share, TARGETS['idle_share'])}" for r in rows]),
        line("fan-out to Telegram, a group each, 2 worker processes (first to last message)",
             [fanout_cell(r.fanouts.get("telegram"), TELEGRAM_LIMIT) for r in rows]),
        line("fan-out to Slack, a channel each, 2 worker processes (first to last message)",
             [fanout_cell(r.fanouts.get("slack"), None) for r in rows]),
        line("Slack answers handled a second, 1 worker process (median)",
             [_rate(r, 1) for r in rows]),
        line("Slack answers handled a second, 2 worker processes (median)",
             [_rate(r, 2) for r in rows]),
        line("worker resident memory",
             [f"{r.rss_mb:.0f} MB{verdict(r.rss_mb, TARGETS['rss_mb'])}" for r in rows]),
    ]  # fmt: skip
    return "\n".join(lines)


def _rate(row: Row, processes: int) -> str:
    rates = row.worker_rates.get(processes)
    if not rates:
        return "–"
    median = statistics.median(rates)
    cpu = statistics.median(row.worker_cpu_ms[processes])
    return (
        f"{median:.0f}/s{'' if median >= WORKER_TARGET else ' MISS'} (runs: "
        f"{', '.join(f'{r:.0f}' for r in rates)}), {cpu:.1f} ms of CPU an answer"
    )


def write_readme(path: Path, text: str) -> None:
    content = path.read_text()
    begin, end = MARKERS
    pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.DOTALL)
    if not pattern.search(content):
        print(f"{path}: no {begin} … {end} markers; not written", file=sys.stderr)
        return
    path.write_text(pattern.sub(lambda _: f"{begin}\n{text}\n{end}", content))


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1/test"
        ),
    )
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--idle-seconds", type=float, default=180.0)
    parser.add_argument("--readme", type=Path)
    parser.add_argument("--parts", default="clock,idle,fanout,worker")
    parser.add_argument("--worker-events", type=int, default=WORKER_EVENTS)
    parser.add_argument("--worker-runs", type=int, default=WORKER_RUNS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        row = Row(size)
        start = datetime.now(UTC).replace(microsecond=0)
        with database(args.database_url) as url:
            upgrade(url)
            engine = make_engine(url)
            began = time.perf_counter()
            fill(engine, size, start)
            row.fill_s = time.perf_counter() - began
            engine.dispose()
            if "clock" in args.parts:
                measure_clock(url, row, start)
            if "idle" in args.parts:
                measure_idle(url, row, args.idle_seconds)
        for platform in FANOUT_SETTINGS:
            if f"fanout-{platform}" in args.parts or "fanout" in args.parts.split(","):
                measure_fanout(args.database_url, row, platform)
        if "worker" in args.parts:
            for _ in range(args.worker_runs):
                for processes in (1, 2):
                    measure_worker(args.database_url, row, processes, args.worker_events)
        rows.append(row)
        print(f"{size:,} collaborations: {row}", flush=True)
    text = table(rows)
    print(text)
    if args.readme:
        write_readme(args.readme, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
