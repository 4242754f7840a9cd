"""``/metrics`` of a real ``samverkan serve`` with two worker processes on PostgreSQL, against
the stand-in Slack and Telegram APIs: events received, refused and handled, nudges sent, given
back and given up, a 429 with its Retry-After, and the database's figures — every process's
counts added up, read back with prometheus-client's own parser."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.domain import ChannelRef
from bot.schedule import Nudge, NudgeKind
from standins.serving import free_port
from standins.slack_api import FakeSlack
from standins.telegram_api import BotApiStandIn
from storage import SqlOutbox, make_engine, make_session_factory, upgrade
from tests.e2e.slack.conftest import sign

pytestmark = pytest.mark.postgres

TELEGRAM_SECRET = "metrics-secret"
SLACK_SECRET = "metrics-signing-secret"
KICKED_CHAT = "-1009"  # the bot was removed from this group: its nudge is undeliverable
GROUP = "-1001"

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def nudges_due(database_url: str) -> None:
    """Four evaluation reminders due an hour ago: two to Slack channels, one to a Telegram
    group and one to a group the bot was removed from."""
    engine = make_engine(database_url)
    upgrade(engine)
    now = datetime.now(UTC)
    slot = (now - timedelta(hours=1)).isoformat()
    params = {"evaluation_on": "2027-03-01", "language": "sv"}
    channels = [
        ChannelRef("slack", "T111", "C1"),
        ChannelRef("slack", "T111", "C2"),
        ChannelRef("telegram", "telegram", GROUP),
        ChannelRef("telegram", "telegram", KICKED_CHAT),
    ]
    rows = [
        (channel, Nudge(f"c{n}", NudgeKind.EVALUATION, slot, params))
        for n, channel in enumerate(channels)
    ]
    assert SqlOutbox(make_session_factory(engine)).enqueue(rows, now) == 4
    engine.dispose()


@contextlib.contextmanager
def serving(env: dict[str, str], log: Path) -> Iterator[str]:
    """``samverkan serve`` with ``env``, once healthy; yields its base URL. SIGTERM at the end."""
    port = free_port()
    argv = [sys.executable, "-m", "runtime.cli", "serve"]
    with log.open("wb") as output:
        process = subprocess.Popen(
            argv, env=env | {"PORT": str(port)}, stdout=output, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _healthy(base), "serve to answer /healthz", process, log)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until(
    ready: Callable[[], Any], what: str, process: subprocess.Popen[bytes], log: Path
) -> None:
    deadline = time.monotonic() + 60
    while not ready():
        assert process.poll() is None, f"serve exited: {log.read_text()}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}: {log.read_text()}"
        time.sleep(0.2)


def _healthy(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def scrape(base: str) -> Samples:
    """Every sample of ``/metrics``, parsed by prometheus-client, by name and labels."""
    response = httpx.get(f"{base}/metrics", timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    samples: Samples = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def counted(base: str, name: str, total: float, log: Path) -> Samples:
    """The samples of ``/metrics`` once the samples of ``name`` add up to ``total``."""
    deadline = time.monotonic() + 60
    while True:
        samples = scrape(base)
        if sum(v for (each, _), v in samples.items() if each == name) >= total:
            return samples
        assert time.monotonic() < deadline, f"{name} never reached {total}: {log.read_text()}"
        time.sleep(0.2)


def finished(base: str, log: Path) -> Samples:
    """The samples of ``/metrics`` once the inbox holds nothing unfinished: a worker finishes
    what it handled with its next claim, a moment after counting it handled."""
    deadline = time.monotonic() + 30
    while True:
        samples = scrape(base)
        if sum(v for (each, _), v in samples.items() if each == "samverkan_inbox_depth") == 0:
            return samples
        assert time.monotonic() < deadline, f"the inbox never emptied: {log.read_text()}"
        time.sleep(0.2)


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def slack_mention(event_id: str, text: str) -> str:
    event = {
        "type": "app_mention",
        "user": "W111",
        "text": f"<@UBOT> {text}",
        "ts": "1700000001.000100",
        "channel": "C111",
        "team": "T111",
        "event_ts": "1700000001.000100",
    }
    envelope = {
        "token": "verification_token",
        "team_id": "T111",
        "api_app_id": "A111",
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authed_users": ["UBOT"],
    }
    return json.dumps(envelope)


def telegram_command(update_id: int, text: str) -> dict[str, Any]:
    message = {
        "message_id": update_id,
        "from": {"id": 111, "is_bot": False, "first_name": "Ann"},
        "chat": {"id": int(GROUP), "title": "Team", "type": "supergroup"},
        "date": int(time.time()),
        "text": text,
        "entities": [{"type": "bot_command", "offset": 0, "length": text.index(" ")}],
    }
    return {"update_id": update_id, "message": message}


def test_metrics_add_up_the_worker_processes(
    postgres_databases: Callable[[], str],
    slack_api: tuple[FakeSlack, str],
    telegram_api: BotApiStandIn,
    tmp_path: Path,
) -> None:
    database_url = postgres_databases()
    nudges_due(database_url)
    slack, slack_url = slack_api
    # Slack's first post (a nudge) meets a rate limit longer than is waited in place.
    slack.fail_next("chat.postMessage", 429, retry_after=600)
    telegram_api.kicked_from.add(KICKED_CHAT)
    env = {key: value for key, value in os.environ.items() if not key.startswith("SLACK_")}
    env |= {
        "DATABASE_URL": database_url,
        "WORKER_PROCESSES": "2",
        "SLACK_BOT_TOKEN": "xoxb-metrics",
        "SLACK_SIGNING_SECRET": SLACK_SECRET,
        "SLACK_API_URL": slack_url,
        "TELEGRAM_BOT_TOKEN": "123:metrics",
        "TELEGRAM_API_URL": telegram_api.url,
        "TELEGRAM_WEBHOOK_URL": "https://example.org/telegram/webhook",
        "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    engine = make_engine(database_url)
    log = tmp_path / "serve.log"
    try:
        with serving(env, log) as base, httpx.Client(base_url=base, timeout=30) as http:

            def slack_post(body: str, secret: str = SLACK_SECRET) -> int:
                headers = {"Content-Type": "application/json", **sign(body, secret=secret)}
                return http.post("/slack/events", content=body, headers=headers).status_code

            def telegram_post(update: dict[str, Any], secret: str) -> int:
                headers = {"X-Telegram-Bot-Api-Secret-Token": secret}
                return http.post("/telegram/webhook", json=update, headers=headers).status_code

            # The worker processes deliver what is due as soon as they start.
            counted(base, "samverkan_nudges_total", 4, log)

            mention = slack_mention("EvMetrics1", "starta Fritid för alla")
            assert slack_post(mention) == 200
            assert slack_post(mention) == 200  # Slack's retry of the same event
            assert slack_post(mention, secret="not-the-secret") == 401
            assert telegram_post(telegram_command(7001, "/start Läxhjälp"), TELEGRAM_SECRET) == 200
            assert telegram_post(telegram_command(7002, "/start Läxhjälp"), "wrong") == 403
            counted(base, "samverkan_events_handled_total", 2, log)
            samples = finished(base, log)
    finally:
        engine.dispose()

    received = "samverkan_events_received_total"
    assert value(samples, received, platform="slack", kept="new") == 1
    assert value(samples, received, platform="slack", kept="repeat") == 1
    assert value(samples, received, platform="telegram", kept="new") == 1
    refused = "samverkan_events_refused_total"
    assert value(samples, refused, platform="slack", reason="bad_signature") == 1
    assert value(samples, refused, platform="telegram", reason="bad_secret") == 1
    handled = "samverkan_events_handled_total"
    assert value(samples, handled, platform="slack", outcome="handled") == 1
    assert value(samples, handled, platform="telegram", outcome="handled") == 1
    latency = "samverkan_event_handling_seconds_count"
    assert value(samples, latency, platform="slack") == 1
    assert value(samples, latency, platform="telegram") == 1
    assert value(samples, "samverkan_event_handling_seconds_sum", platform="slack") > 0

    nudges = "samverkan_nudges_total"
    assert value(samples, nudges, platform="slack", outcome="sent") == 1
    assert value(samples, nudges, platform="slack", outcome="retry") == 1
    assert value(samples, nudges, platform="telegram", outcome="sent") == 1
    assert value(samples, nudges, platform="telegram", outcome="undeliverable") == 1
    assert value(samples, "samverkan_rate_limited_total", platform="slack") == 1
    assert value(samples, "samverkan_retry_after_seconds_sum", platform="slack") == 600

    # The database's figures: the Slack nudge given back waits in the outbox.
    assert value(samples, "samverkan_outbox_depth", platform="slack") == 1
    assert value(samples, "samverkan_outbox_depth", platform="telegram") == 0
    assert value(samples, "samverkan_collaborations", platform="slack") == 1
    assert value(samples, "samverkan_collaborations", platform="telegram") == 1
    assert value(samples, "samverkan_members", platform="slack") == 1
    assert value(samples, "samverkan_inbox_depth", platform="slack") == 0

    # One of the two worker processes leads the clock on PostgreSQL (and ticked); the other
    # and the serving process say 0, each under its pid.
    leading = [v for (name, _), v in samples.items() if name == "samverkan_clock_leading"]
    assert sorted(leading) == [0.0, 0.0, 1.0]
    assert value(samples, "samverkan_clock_tick_seconds_count") >= 1
    info = [labels for (name, labels), _ in samples.items() if name == "samverkan_build_info"]
    assert info and dict(info[0])["version"] == "0.1.0"
    # Nothing of a person, a channel or a token among the labels.
    label_values = {v for _, labels in samples for _, v in labels}
    for private in ("C1", "C111", GROUP, "W111", "xoxb-metrics", "123:metrics", "Fritid"):
        assert not any(private in each for each in label_values)

    # The logs of all three processes: one JSON object a line, with no token, no secret and
    # no text a person wrote.
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert {"timestamp", "level", "logger", "message"} <= set(records[0])
    for private in (
        "xoxb-metrics",
        "123:metrics",
        SLACK_SECRET,
        TELEGRAM_SECRET,
        "Fritid",
        "Läxhjälp",
    ):
        assert private not in log.read_text()
    about_events = [r for r in records if r.get("event_id")]
    assert all(r["platform"] in ("slack", "telegram") for r in about_events)
