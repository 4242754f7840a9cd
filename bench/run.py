"""Ack-latency and throughput benchmark: our webhooks vs bare slack-bolt / python-telegram-bot.

    python -m bench.run [--slack] [--telegram] [--database-url URL] [--rates 25,50,100,200]
                        [--seconds 5]

Everything runs on 127.0.0.1. Each server under test is a process of its own: ours is
``samverkan serve`` as deployed (webhooks, inbox worker, scheduler), the bare ones are
:mod:`bench.bare`. The stand-in Slack Web API and Telegram Bot API (:mod:`standins`, which the
tests use too) run in processes of their own (:mod:`bench.standin_processes`); this one
generates the load. Latency is counted from each request's planned send time. The open-loop
rates run for each app in turn; the closed-loop maximum runs :data:`MAX_ROUNDS` times for each,
the apps taking turns, and the medians are compared. Every run is on a freshly started server,
and starts once its processes are idle: ours answers ``/healthz`` before its worker process has
finished starting, and that start is not what is measured. A benchmark reports: a missed target
is printed as MISS, never an error; the exit code is non-zero only if the harness fails.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import aiohttp
import httpx
import psutil
from sqlalchemy import create_engine, text

from bench.bare import SLACK_SECRET, TG_TOKEN
from bench.standin_processes import StandIn
from standins.serving import free_port
from standins.telegram_api import ME
from storage.database import normalise_url

TG_SECRET = "bench-webhook-secret"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
CHAT_ID = -1001234567890
ANN = {"id": 111, "is_bot": False, "first_name": "Ann", "last_name": "Berg"}

CONCURRENCY = 256  # open loop: at most this many requests in flight
# Closed loop: enough senders to keep a server busy. Slack does not wait for one event's ack
# before it sends the next; with few in flight, a server that waits for its database to
# commit would sit idle between requests, and the maximum would measure that wait.
CLOSED_SENDERS = 64
MAX_CLOSED = 50_000  # closed loop: at most this many requests per run
REQUEST_TIMEOUT = 10.0
QUIET_WINDOW = 0.25  # seconds; a server is idle when its processes use < QUIET_SHARE of a core
QUIET_SHARE = 0.05
QUIET_LIMIT = 30.0  # seconds to wait for that at most
DRAIN = 15.0  # open loop: seconds allowed after the last send before stragglers count as errors
DRAIN_LIMIT = 300.0  # seconds the worker gets to handle a run's events before the next run
CLOSED_DRAIN_LIMIT = 20.0  # the same after a maximum run, which keeps thousands
P99_TARGET_MS = 100.0
P99_TARGET_RATE = 100
RATIO_TARGET = 0.7
# Closed-loop runs per app for the throughput ratio, taken in turns (bare, ours, ours, bare,
# ...), so that drift in the machine's speed falls on both alike; their medians are compared.
MAX_ROUNDS = 5

BODIES = [
    "Vi träffas varannan tisdag i föreningslokalen, alla är välkomna.",
    "Kommunen kan bidra med lokal men inte med personal just nu.",
    "Jag tror vi behöver fler ledare innan vi öppnar för nya grupper.",
    "Förslag: en gemensam kalender för alla aktiviteter i området <3 & mer",
    "Vi har testat drop-in på lördagar, det funkade bra för de yngre.",
]


# --- load generation ------------------------------------------------------------------------


@dataclass
class Result:
    platform: str
    app: str
    mode: str  # "open" or "closed"
    rate: int  # target rate (0 for closed loop)
    sent: int = 0
    ok: int = 0
    errors: int = 0
    elapsed: float = 0.0
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests only

    @property
    def throughput(self) -> float:
        return self.ok / self.elapsed if self.elapsed else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# Sends request ``i`` and returns the HTTP status. The load goes out through aiohttp: httpx
# spends about ten times its CPU on a request, and with it the generator, not the server under
# test, runs out of CPU first.
Send = Callable[[aiohttp.ClientSession, int], Awaitable[int]]


async def _one(
    client: aiohttp.ClientSession, send: Send, i: int, result: Result, t0: float
) -> None:
    """One request; latency counts from ``t0`` (the intended send time, for the open loop)."""
    try:
        status = await send(client, i)
    except Exception:
        result.errors += 1
        return
    if status == 200:
        result.ok += 1
        result.latencies.append(time.perf_counter() - t0)
    else:
        result.errors += 1


def _session(connections: int) -> aiohttp.ClientSession:
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=connections), timeout=timeout)


async def _status(response: aiohttp.ClientResponse) -> int:
    async with response:
        await response.read()
        return response.status


async def open_loop(send: Send, rate: int, seconds: float, result: Result) -> Result:
    """``rate`` requests per second for ``seconds``, on schedule whatever the answers take."""
    total = max(1, int(rate * seconds))
    gate = asyncio.Semaphore(CONCURRENCY)
    async with _session(CONCURRENCY) as client:

        async def guarded(i: int, due: float) -> None:
            async with gate:
                await _one(client, send, i, result, due)

        start = time.perf_counter()
        tasks = []
        for i in range(total):
            due = start + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(guarded(i, due)))
            result.sent += 1
        _, pending = await asyncio.wait(tasks, timeout=DRAIN)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        result.errors += len(pending)
        result.elapsed = time.perf_counter() - start
    return result


async def closed_loop(send: Send, seconds: float, result: Result) -> Result:
    """``CLOSED_SENDERS`` senders, each sending its next request as soon as one is answered."""
    counter = iter(range(MAX_CLOSED))
    async with _session(CLOSED_SENDERS) as client:
        start = time.perf_counter()
        end = start + seconds

        async def sender() -> None:
            for i in counter:
                if time.perf_counter() >= end:
                    return
                result.sent += 1
                await _one(client, send, i, result, time.perf_counter())

        await asyncio.gather(*(sender() for _ in range(CLOSED_SENDERS)))
        result.elapsed = time.perf_counter() - start
    return result


async def settle(count: Callable[[], int], limit: float = 15.0) -> None:
    """Waits (bounded) until background work stops producing outbound API calls."""
    end = time.monotonic() + limit
    last, quiet = -1, 0
    while time.monotonic() < end and quiet < 5:
        now = count()
        quiet = quiet + 1 if now == last else 0
        last = now
        await asyncio.sleep(0.1)


# --- Slack ----------------------------------------------------------------------------------


def sign(body: str) -> dict[str, str]:
    ts = str(int(time.time()))
    digest = hmac.new(SLACK_SECRET.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest.hexdigest()}"}


def slash(text: str) -> str:
    return urlencode(
        {
            "token": "verification_token",
            "team_id": "T111",
            "team_domain": "bench",
            "channel_id": "C111",
            "channel_name": "bench",
            "user_id": "W111",
            "user_name": "bench",
            "command": "/samverkan",
            "text": text,
            "response_url": "https://hooks.slack.com/commands/T111/111/xxxxx",
            "trigger_id": f"{secrets.randbelow(10**10)}.111.{secrets.token_hex(8)}",
        }
    )


class SlackTraffic:
    """Signed thread replies to a question card, each with its own event_id and ts."""

    def __init__(self, url: str, thread_ts: str, run: str) -> None:
        self.url = url
        self.thread_ts = thread_ts
        self.run = run

    async def send(self, client: aiohttp.ClientSession, i: int) -> int:
        event = {
            "type": "message",
            "team": "T111",
            "channel": "C111",
            "user": f"W{200 + i % 50}",
            "text": f"{BODIES[i % len(BODIES)]} (#{i})",
            "ts": f"1800000000.{i:06d}",
            "thread_ts": self.thread_ts,
            "event_ts": f"1800000000.{i:06d}",
            "channel_type": "channel",
        }
        envelope = {
            "token": "verification_token",
            "team_id": "T111",
            "api_app_id": "A111",
            "event": event,
            "type": "event_callback",
            "event_id": f"Ev{self.run}{i:07d}",
            "event_time": int(time.time()),
            "authed_users": ["UBOT"],
        }
        body = json.dumps(envelope, ensure_ascii=False)
        headers = {"Content-Type": "application/json", **sign(body)}
        return await _status(await client.post(self.url, data=body.encode(), headers=headers))


async def slack_prepare(url: str, api: StandIn) -> str:
    """Starts a collaboration and asks a question; returns the question card's ts."""
    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT) as client:
        for text in ("starta Bench", "fråga"):
            before = api.count("chat.postMessage")
            body = slash(text)
            headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}
            response = await client.post(url, content=body, headers=headers)
            if response.status_code != 200:
                raise RuntimeError(f"/samverkan {text}: {response.status_code} {response.text}")
            await asyncio.to_thread(api.wait_for, "chat.postMessage", before + 1)
    return f"1700000000.{api.count('chat.postMessage'):06d}"


# --- Telegram -------------------------------------------------------------------------------


class TelegramTraffic:
    """Replies to the bot's question card in the group; every 10th a /status in a private chat."""

    def __init__(self, url: str, card: dict[str, Any], first_update: int) -> None:
        self.url = url
        self.card = card
        self.first_update = first_update

    def update(self, i: int) -> dict[str, Any]:
        uid = self.first_update + i
        message: dict[str, Any] = {
            "message_id": 100_000 + uid,
            "from": {**ANN, "id": 200 + i % 50},
            "chat": {"id": CHAT_ID, "title": "Team", "type": "supergroup"},
            "date": int(time.time()),
        }
        if i % 10 == 9:
            user = {**ANN, "id": 300 + i % 50}
            message["from"] = user
            message["chat"] = {"id": user["id"], "first_name": "Ann", "type": "private"}
            message["text"] = "/status"
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": 7}]
        else:
            message["text"] = f"{BODIES[i % len(BODIES)]} (#{i})"
            message["reply_to_message"] = self.card
        return {"update_id": uid, "message": message}

    async def send(self, client: aiohttp.ClientSession, i: int) -> int:
        headers = {SECRET_HEADER: TG_SECRET}
        return await _status(await client.post(self.url, json=self.update(i), headers=headers))


async def telegram_prepare(url: str, api: StandIn) -> dict[str, Any]:
    """Starts a collaboration and asks a question in the group; returns the card as a message."""
    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT) as client:
        for uid, text in ((1, "/start Bench"), (2, "/ask")):
            command = text.split(" ", 1)[0]
            update = {
                "update_id": uid,
                "message": {
                    "message_id": uid,
                    "from": ANN,
                    "chat": {"id": CHAT_ID, "title": "Team", "type": "supergroup"},
                    "date": int(time.time()),
                    "text": text,
                    "entities": [{"type": "bot_command", "offset": 0, "length": len(command)}],
                },
            }
            before = api.count("sendMessage")
            response = await client.post(url, json=update, headers={SECRET_HEADER: TG_SECRET})
            if response.status_code != 200:
                raise RuntimeError(f"{text}: {response.status_code} {response.text}")
            # The 200 means kept, not handled: wait for the reply.
            await asyncio.to_thread(api.wait_for, "sendMessage", before + 1)
    card = api.last("sendMessage") or {}
    return {
        "message_id": api.next_message_id(),
        "from": ME,
        "chat": {"id": CHAT_ID, "type": "supergroup", "title": "Team"},
        "date": int(time.time()),
        "text": str(card.get("text", "")),
    }


# --- orchestration --------------------------------------------------------------------------


@contextlib.contextmanager
def database(url: str | None) -> Iterator[str]:
    """SQLite in a temporary directory, or a fresh PostgreSQL database dropped afterwards."""
    if not url:
        with tempfile.TemporaryDirectory(prefix="samverkan-bench-") as tmp:
            yield f"sqlite:///{tmp}/bench.db"
        return
    import psycopg
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"samverkan_bench_{secrets.token_hex(4)}"
    conninfo = base.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


Serve = Callable[[], contextlib.AbstractContextManager[int]]  # a fresh server; yields its port
Traffic = Callable[[int, int], Send]  # (port, first id) -> a sender


@dataclass
class Contender:
    """An app under test: how to serve it and send it traffic, and, for ours, its inbox:
    what it kept and has not handled yet (and how long to wait for that)."""

    label: str
    serve: Serve
    traffic: Traffic
    inbox: Inbox | None = None
    drain_limit: float = DRAIN_LIMIT


async def measure(
    platform: str,
    app: Contender,
    rates: list[int],
    seconds: float,
    outbound: Callable[[], int],
    ids: Iterator[int],
) -> list[Result]:
    """One run per rate (0: the closed loop), each on a fresh server; the database and its
    collaboration stay. Every run takes its first id from ``ids``, so none is taken for a
    redelivery.

    Ours acknowledges before it handles: after each run its worker is given time to handle
    what was kept, and how fast it handled is printed; what is left then is dropped, so no
    run starts with the last one's work still going on."""
    results = []
    for rate in rates:
        with app.serve() as port:
            send = app.traffic(port, next(ids))
            inbox = app.inbox
            before = await asyncio.to_thread(inbox.count) if inbox is not None else 0
            mode = "open" if rate else "closed"
            result = Result(platform, app.label, mode, rate)
            if rate:
                await open_loop(send, rate, seconds, result)
            else:
                await closed_loop(send, seconds, result)
            results.append(result)
            print_row(result)
            if inbox is not None:
                limit = app.drain_limit if rate else min(app.drain_limit, CLOSED_DRAIN_LIMIT)
                await drain(inbox, result, before, limit)
            await settle(outbound)
    return results


async def compare(
    platform: str,
    apps: list[Contender],
    rates: list[int],
    seconds: float,
    outbound: Callable[[], int],
) -> list[Result]:
    """The open-loop rates for each app, then :data:`MAX_ROUNDS` closed-loop runs of each,
    the apps taking turns in an order that reverses every round."""
    ids = iter(range(100_000, 100_000_000, 100_000))
    results: list[Result] = []
    for app in apps:
        results += await measure(platform, app, rates, seconds, outbound, ids)
    for round_ in range(MAX_ROUNDS):
        for app in apps if round_ % 2 else apps[::-1]:
            results += await measure(platform, app, [0], seconds, outbound, ids)
    return results


async def drain(inbox: Inbox, result: Result, before: int, limit: float = DRAIN_LIMIT) -> None:
    """Waits (bounded) until the worker has handled what the run kept (and the ``before``
    events left by earlier runs); prints how fast, and drops what is left."""
    start = time.perf_counter()
    left = await asyncio.to_thread(inbox.count)
    while left and time.perf_counter() - start < limit:
        await asyncio.sleep(0.5)
        left = await asyncio.to_thread(inbox.count)
    took = time.perf_counter() - start + result.elapsed
    handled = before + result.ok - left
    dropped = await asyncio.to_thread(inbox.drop) if left else 0
    print(
        f"{'':<9} {'':<5} {'':>9} handled {handled} in {took:.1f} s "
        f"({handled / took:.1f}/s){'' if not dropped else f', {dropped} left and dropped'}",
        flush=True,
    )


def print_header() -> None:
    print(
        f"{'platform':<9} {'app':<5} {'target/s':>9} {'sent':>6} {'acks/s':>8} "
        f"{'p50 ms':>8} {'p99 ms':>8} {'errors':>6}",
        flush=True,
    )


def print_row(r: Result) -> None:
    rate = f"{r.rate}" if r.mode == "open" else f"max({CLOSED_SENDERS})"
    print(
        f"{r.platform:<9} {r.app:<5} {rate:>9} {r.sent:>6} {r.throughput:>8.1f} "
        f"{r.pct(0.50):>8.1f} {r.pct(0.99):>8.1f} {r.errors:>6}",
        flush=True,
    )


def _each(throughputs: list[float]) -> str:
    return ", ".join(f"{value:.0f}" for value in throughputs)


def verdict(platform: str, results: list[Result]) -> None:
    ours = [r for r in results if r.app == "ours"]
    bare = [r for r in results if r.app == "bare"]
    at_target = next((r for r in ours if r.mode == "open" and r.rate == P99_TARGET_RATE), None)
    max_ours = [r.throughput for r in ours if r.mode == "closed"]
    max_bare = [r.throughput for r in bare if r.mode == "closed"]
    print(f"{platform}: target: p99 ≤ {P99_TARGET_MS:.0f} ms at {P99_TARGET_RATE}/s, ", end="")
    print(f"throughput ≥ {RATIO_TARGET}× bare")
    if at_target is None:
        print(f"  p99 at {P99_TARGET_RATE}/s: not measured (rate not in --rates)")
    else:
        p99 = at_target.pct(0.99)
        word = "PASS" if p99 <= P99_TARGET_MS and at_target.errors == 0 else "MISS"
        print(f"  p99 at {P99_TARGET_RATE}/s: {p99:.1f} ms, errors {at_target.errors}  {word}")
    if max_ours and max_bare and statistics.median(max_bare):
        ours_median, bare_median = statistics.median(max_ours), statistics.median(max_bare)
        ratio = ours_median / bare_median
        word = "PASS" if ratio >= RATIO_TARGET else "MISS"
        print(
            f"  max throughput, median of {len(max_ours)} runs each: ours {ours_median:.1f}/s "
            f"({_each(max_ours)}), bare {bare_median:.1f}/s ({_each(max_bare)}), "
            f"ratio ours/bare {ratio:.2f}  {word}"
        )
    print(flush=True)


@contextlib.contextmanager
def serve_process(argv: list[str], env: dict[str, str], port: int) -> Iterator[int]:
    """Runs a server in its own process until the block ends; yields its port once
    ``/healthz`` answers. Stopped with SIGTERM (a graceful uvicorn shutdown), killed if stuck."""
    process = subprocess.Popen(argv, env={**os.environ, **env}, stdout=subprocess.DEVNULL)
    try:
        end = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{argv} exited with {process.returncode}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            if time.monotonic() > end:
                raise RuntimeError(f"{argv} did not start")
            time.sleep(0.1)
        wait_until_idle(process.pid)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def wait_until_idle(pid: int) -> None:
    """Waits (bounded) until process ``pid`` and its children use almost no CPU for two
    :data:`QUIET_WINDOW` in a row."""

    def used() -> float:
        root = psutil.Process(pid)
        total = 0.0
        for each in (root, *root.children(recursive=True)):
            with contextlib.suppress(psutil.NoSuchProcess):
                times = each.cpu_times()
                total += times.user + times.system
        return total

    end = time.monotonic() + QUIET_LIMIT
    quiet, before = 0, used()
    while quiet < 2 and time.monotonic() < end:
        time.sleep(QUIET_WINDOW)
        now = used()
        quiet = quiet + 1 if now - before < QUIET_SHARE * QUIET_WINDOW else 0
        before = now


def serve_ours(env: dict[str, str]) -> contextlib.AbstractContextManager[int]:
    """``samverkan serve``: the app as deployed, the inbox worker and the scheduler included."""
    port = free_port()
    argv = [sys.executable, "-m", "runtime.cli", "serve"]
    return serve_process(argv, {**env, "PORT": str(port)}, port)


def serve_bare(factory: str, api_url: str) -> contextlib.AbstractContextManager[int]:
    port = free_port()
    argv = [sys.executable, "-m", "uvicorn", "--factory", f"bench.bare:{factory}"]
    argv += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    return serve_process(argv, {"BENCH_API_URL": api_url}, port)


class Inbox:
    """The events ours has kept and not yet handled, in the benchmark's database."""

    def __init__(self, db: str) -> None:
        self.engine = create_engine(normalise_url(db))

    def count(self) -> int:
        with self.engine.connect() as connection:
            query = text("SELECT count(*) FROM inbox WHERE handled_at IS NULL")
            return int(connection.execute(query).scalar_one())

    def drop(self) -> int:
        with self.engine.begin() as connection:
            return connection.execute(text("DELETE FROM inbox WHERE handled_at IS NULL")).rowcount


async def run_slack(db: str, rates: list[int], seconds: float) -> list[Result]:
    results: list[Result] = []
    with StandIn("slack") as api:
        env = {
            "DATABASE_URL": db,
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": SLACK_SECRET,
            "SLACK_API_URL": api.url,
        }
        with serve_ours(env) as port:
            card_ts = await slack_prepare(f"http://127.0.0.1:{port}/slack/events", api)

        def traffic(port: int, first: int) -> Send:
            url = f"http://127.0.0.1:{port}/slack/events"
            return lambda client, i: SlackTraffic(url, card_ts, "").send(client, first + i)

        apps = [
            Contender("ours", lambda: serve_ours(env), traffic, Inbox(db)),
            Contender("bare", lambda: serve_bare("slack", api.url), traffic),
        ]
        results += await compare("slack", apps, rates, seconds, api.count)
    return results


async def run_telegram(db: str, rates: list[int], seconds: float) -> list[Result]:
    results: list[Result] = []
    with StandIn("telegram") as api:
        api_url = api.url
        env = {
            "DATABASE_URL": db,
            "TELEGRAM_BOT_TOKEN": TG_TOKEN,
            "TELEGRAM_WEBHOOK_URL": "https://example.org/telegram/webhook",
            "TELEGRAM_WEBHOOK_SECRET": TG_SECRET,
            "TELEGRAM_API_URL": api_url,
        }
        with serve_ours(env) as port:
            card = await telegram_prepare(f"http://127.0.0.1:{port}/telegram/webhook", api)
        base = iter(range(10_000_000, 100_000_000, 10_000_000))

        def traffic_from(start: int) -> Traffic:
            def traffic(port: int, first: int) -> Send:
                url = f"http://127.0.0.1:{port}/telegram/webhook"
                return TelegramTraffic(url, card, start + first).send

            return traffic

        # Replies in one group wait for its flood limit (20 a minute), so the backlog is only
        # looked at, not waited for.
        apps = [
            Contender("ours", lambda: serve_ours(env), traffic_from(next(base)), Inbox(db), 10.0),
            Contender("bare", lambda: serve_bare("telegram", api_url), traffic_from(next(base))),
        ]
        results += await compare("telegram", apps, rates, seconds, api.count)
    return results


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--slack", action="store_true", help="benchmark Slack (default: both)")
    parser.add_argument("--telegram", action="store_true", help="benchmark Telegram")
    parser.add_argument("--database-url", help="PostgreSQL server URL (default: temp SQLite)")
    parser.add_argument("--rates", default="25,50,100,200", help="open-loop rates, per second")
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each run")
    args = parser.parse_args(argv)
    args.rates = [int(r) for r in args.rates.split(",") if r.strip()]
    if not args.rates or min(args.rates) <= 0 or not 0 < args.seconds <= 600:
        parser.error("rates must be positive; seconds in (0, 600]")
    if not args.slack and not args.telegram:
        args.slack = args.telegram = True
    return args


async def main_async(args: argparse.Namespace) -> None:
    with database(args.database_url) as db:
        print(f"database: {db.split('@')[-1]}  rates: {args.rates}/s  seconds: {args.seconds}")
        print(f"open loop (≤{CONCURRENCY} in flight); max = closed loop, {CLOSED_SENDERS} senders")
        print_header()
        results: dict[str, list[Result]] = {}
        if args.slack:
            results["slack"] = await run_slack(db, args.rates, args.seconds)
        if args.telegram:
            results["telegram"] = await run_telegram(db, args.rates, args.seconds)
        print()
        for platform, each in results.items():
            verdict(platform, each)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    logging.basicConfig(level=logging.WARNING)
    # PTB 22.8 warns in RetryAfter.__init__ (a 429) unless this opts in to timedelta values.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    try:
        asyncio.run(main_async(args))
    except KeyboardInterrupt:
        return 130
    except Exception:
        logging.exception("benchmark harness failed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
