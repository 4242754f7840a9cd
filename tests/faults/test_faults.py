"""The fault suite: answers over Slack and Telegram to ``samverkan serve`` (real processes, on
PostgreSQL) while a share of the platforms' API calls fail and the database's connections are
killed every few seconds. Every answer is stored once, every reply and reaction arrives, a
message shows twice only where a call hung past its time-out (no one can know whether it went
out), and nothing is left in the inbox.

``make faults`` runs it at full size (300 answers); ``make test`` at the size of
``FAULTS_ANSWERS`` (see the Makefile). The figures are printed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.pool import NullPool

from adapters.telegram.webhook import SECRET_HEADER
from standins.faults import RandomFaults
from standins.serving import free_port
from standins.slack_api import FakeSlack, FakeSlackServer
from standins.telegram_api import ME, BotApiStandIn, serving_standin
from tests.e2e.slack.conftest import sign, trigger_id

# Some 90 s alone on two cores; more while the machine is shared.
pytestmark = [pytest.mark.faults, pytest.mark.postgres, pytest.mark.timeout(600)]

ANSWERS = int(os.environ.get("FAULTS_ANSWERS", "300"))  # over both platforms
CHANNELS = 6  # a platform's channels (chats): events of one are handled in order
SHARE = 0.2  # of the API calls that fail
SEED = 12
KILL_EVERY = 3.0  # seconds between killing the app's database connections
SLACK_TIMEOUT = 2  # seconds (SLACK_API_TIMEOUT); a hang lasts longer
SLACK_HANG = 3.0
TELEGRAM_HANG = 6.0  # past python-telegram-bot's 5 s read time-out
SETTLED_WITHIN = 300.0  # seconds
REDELIVERIES = 5  # times a platform sends a request the app answered with a 5xx
OBSERVER = "faults-observer"  # the application_name of the suite's own connections
SECRET = "secret"
TELEGRAM_SECRET = "s3cret"
SLACK_FAULTY = {"chat.postMessage", "chat.postEphemeral", "reactions.add", "users.info"}
TELEGRAM_FAULTY = {"sendMessage", "setMessageReaction", "answerCallbackQuery"}
POSTS = {"slack": "chat.postMessage", "telegram": "sendMessage"}


@dataclass
class Killer:
    """Kills the app's connections to its database every ``KILL_EVERY`` seconds."""

    database: Engine
    name: str
    kills: int = 0
    killed: int = 0
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self.stop.wait(KILL_EVERY):
            with self.database.connect() as connection:
                killed = connection.execute(
                    text(
                        "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) "
                        "FROM pg_stat_activity WHERE datname = :name "
                        "AND application_name <> :observer AND pid <> pg_backend_pid()"
                    ),
                    {"name": self.name, "observer": OBSERVER},
                ).scalar_one()
            self.kills += 1
            self.killed += int(killed)


@dataclass
class Run:
    """The served app, the stand-ins it talks to, and the suite's view of its database."""

    http: httpx.Client
    port: int
    slack: FakeSlack
    telegram: BotApiStandIn
    database: Engine
    update_id: int = 100000
    message_id: int = 100
    slack_ts: int = 0
    redelivered: int = 0  # requests sent again after the app answered 5xx

    # -- playing the platforms --------------------------------------------------------------

    def slack_command(self, channel: str, words: str) -> None:
        form = {
            "token": "t",
            "team_id": "T111",
            "team_domain": "test",
            "channel_id": channel,
            "channel_name": channel.lower(),
            "user_id": "W0",
            "user_name": "samordnare",
            "command": "/samverkan",
            "text": words,
            "response_url": f"{self.slack.base_url}response/{channel}",
            "trigger_id": trigger_id(),
        }
        self._slack(urlencode(form), "application/x-www-form-urlencoded")

    def slack_answer(self, channel: str, card: str, person: int, words: str) -> str:
        self.slack_ts += 1
        ts = f"1800000000.{self.slack_ts:06d}"
        event = {
            "type": "message",
            "team": "T111",
            "channel": channel,
            "user": f"W{person}",
            "text": words,
            "ts": ts,
            "thread_ts": card,
        }
        envelope = {
            "token": "t",
            "team_id": "T111",
            "api_app_id": "A111",
            "event": event,
            "type": "event_callback",
            "event_id": f"Ev{self.slack_ts:08d}",
            "event_time": int(time.time()),
            "authed_users": ["UBOT"],
        }
        self._slack(json.dumps(envelope), "application/json")
        return ts

    def _slack(self, body: str, content_type: str) -> None:
        self._deliver(
            lambda: self.http.post(
                f"{self._base}/slack/events",
                content=body,
                headers={"Content-Type": content_type, **sign(body, secret=SECRET)},
            )
        )

    def _deliver(self, request: Callable[[], httpx.Response]) -> None:
        """Sends as the platforms do: a 5xx (the database gone as the event was to be kept)
        is sent again a moment later."""
        for _ in range(REDELIVERIES):
            response = request()
            if response.status_code < 500:
                assert response.status_code == 200, response.text
                return
            self.redelivered += 1
            time.sleep(1.0)
        raise AssertionError(f"the app answered {response.status_code} {REDELIVERIES} times")

    def telegram_say(self, chat: int, person: int, words: str, card: int | None = None) -> int:
        self.update_id += 1
        self.message_id += 1
        message: dict[str, Any] = {
            "message_id": self.message_id,
            "from": {"id": person, "is_bot": False, "first_name": f"Person {person}"},
            "chat": {"id": chat, "title": f"Grupp {chat}", "type": "supergroup"},
            "date": int(time.time()),
            "text": words,
        }
        if words.startswith("/"):
            length = len(words.split(" ", 1)[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        if card is not None:
            message["reply_to_message"] = {
                "message_id": card,
                "from": {**ME},
                "chat": message["chat"],
                "date": int(time.time()),
                "text": "❓",
            }
        update = {"update_id": self.update_id, "message": message}
        self._deliver(
            lambda: self.http.post(
                f"{self._base}/telegram/webhook",
                json=update,
                headers={SECRET_HEADER: TELEGRAM_SECRET},
            )
        )
        return self.message_id

    @property
    def _base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- reading the outcome ----------------------------------------------------------------

    def scalar(self, sql: str, **params: Any) -> Any:
        with self.database.connect() as connection:
            return connection.execute(text(sql), params).scalar_one()

    def card(self, platform: str, channel: str) -> str | None:
        """The message ref of the question card posted in ``channel``, once it is known."""
        with self.database.connect() as connection:
            return connection.execute(
                text(
                    "SELECT p.message_ref FROM posted_card p JOIN collaboration c "
                    "ON c.id = p.collaboration_id WHERE c.platform = :platform "
                    "AND c.channel = :channel"
                ),
                {"platform": platform, "channel": channel},
            ).scalar()

    def card_in(self, platform: str, channel: str) -> str:
        found: str = self.until(lambda: self.card(platform, channel))
        return found

    def until(self, ready: Callable[[], Any], seconds: float = 60.0) -> Any:
        """What ``ready()`` gives once it is truthy, asked five times a second (each time on
        a connection of its own)."""
        return self.telegram.wait_for(ready, seconds, every=0.2)

    def metric(self, name: str, platform: str) -> float:
        body = self.http.get(f"{self._base}/metrics").text
        prefix = f'{name}{{platform="{platform}"}} '
        values = [
            float(line[len(prefix) :]) for line in body.splitlines() if line.startswith(prefix)
        ]
        return sum(values)


def _observer(url: str) -> Engine:
    return create_engine(url, poolclass=NullPool, connect_args={"application_name": OBSERVER})


@pytest.fixture
def run(postgres_databases: Callable[[], str], tmp_path: Path) -> Iterator[Run]:
    url = postgres_databases()
    database = _observer(url)
    port = free_port()
    with FakeSlackServer() as slack, serving_standin() as telegram:
        api_url = slack.base_url
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TELEGRAM_"))}
        env |= {
            "DATABASE_URL": url,
            "PORT": str(port),
            "WORKER_PROCESSES": "1",
            "SLACK_BOT_TOKEN": "xoxb-faults",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": api_url,
            "SLACK_API_TIMEOUT": str(SLACK_TIMEOUT),
            "TELEGRAM_BOT_TOKEN": "123:ABC",
            "TELEGRAM_API_URL": telegram.url,
            "TELEGRAM_WEBHOOK_URL": "https://example.org/telegram/webhook",
            "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
            "PTB_TIMEDELTA": "1",
        }
        argv = [sys.executable, "-m", "runtime.cli", "serve"]
        with (tmp_path / "serve.log").open("wb") as log:
            server = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            with httpx.Client(timeout=30) as http:
                started = Run(http, port, slack, telegram, database)
                started.until(lambda: _healthy(http, port))
                yield started
        finally:
            server.terminate()
            server.wait(30)
            database.dispose()


def _healthy(http: httpx.Client, port: int) -> bool:
    try:
        return http.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def test_answers_under_failing_platforms_and_a_killed_database(
    run: Run, capsys: pytest.CaptureFixture[str]
) -> None:
    slack_channels = [f"CF{n}" for n in range(CHANNELS)]
    telegram_chats = [-100900 - n for n in range(CHANNELS)]
    # Started and asked while nothing fails: the faults are for the answers.
    for channel in slack_channels:
        run.slack_command(channel, f"starta Samverkan {channel}")
        run.slack_command(channel, "fråga")
    for chat in telegram_chats:
        run.telegram_say(chat, 1, f"/start Samverkan {chat}")
        run.telegram_say(chat, 1, "/ask")
    slack_cards = {c: run.card_in("slack", c) for c in slack_channels}
    telegram_cards = {c: int(run.card_in("telegram", str(c))) for c in telegram_chats}

    slack_faults = run.slack.fail_at_random(SLACK_FAULTY, SHARE, SEED, SLACK_HANG)
    telegram_faults = run.telegram.fail_at_random(TELEGRAM_FAULTY, SHARE, SEED + 1, TELEGRAM_HANG)
    killer = Killer(run.database, run.database.url.database or "")
    killing = threading.Thread(target=killer.run, daemon=True)
    killing.start()
    started = time.monotonic()

    def summarise() -> None:
        """A reply of several messages in every channel, under the same faults."""
        for channel in slack_channels:
            run.slack_command(channel, "sammanfatta")
        for chat in telegram_chats:
            run.telegram_say(chat, 1, "/summary")

    halfway = {platform: 0 for platform in POSTS}  # messages posted in the first half
    slack_answers: list[tuple[str, str]] = []  # (channel, ts)
    telegram_answers: list[tuple[str, str]] = []  # (chat, message id)
    try:
        for n in range(ANSWERS):
            if n == ANSWERS // 2:
                summarise()
                # Both summaries begin alike: a message is a copy only within its own half.
                halfway = settle(run, SETTLED_WITHIN)
            person = 1000 + n
            # Long enough that a summary is a reply of several messages.
            words = f"Svar nummer {n}: " + "lokaler och tider " * 40
            if n % 2 == 0:
                channel = slack_channels[n // 2 % CHANNELS]
                ts = run.slack_answer(channel, slack_cards[channel], person, words)
                slack_answers.append((channel, ts))
            else:
                chat = telegram_chats[n // 2 % CHANNELS]
                sent = run.telegram_say(chat, person, words, card=telegram_cards[chat])
                telegram_answers.append((str(chat), str(sent)))
        summarise()
        settle(run, SETTLED_WITHIN)
    finally:
        killer.stop.set()
        killing.join(10)
    settled = time.monotonic() - started

    stored = run.scalar("SELECT count(*) FROM answer")
    distinct = run.scalar("SELECT count(DISTINCT (collaboration_id, source_ref)) FROM answer")
    outcomes = run.scalar("SELECT count(*) FROM inbox WHERE outcome <> 'handled'")
    kept = run.scalar("SELECT count(*) FROM processed_event WHERE replies IS NOT NULL")
    slack_reacted = {
        (c.body["channel"], c.body["timestamp"]) for c in _done(run.slack, "reactions.add")
    }
    telegram_reacted = {
        (str(c.params["chat_id"]), str(c.params["message_id"]))
        for c in run.telegram.called("setMessageReaction")
    }
    summaries = {
        "slack": {c.body["channel"] for c in _done(run.slack, "chat.postMessage")
                  if "Sammanfattning" in json.dumps(c.body, ensure_ascii=False)},
        "telegram": {str(c.params["chat_id"]) for c in run.telegram.called("sendMessage")
                     if "Sammanfattning" in str(c.params["text"])},
    }  # fmt: skip
    posted = {
        "slack": [(c.body["channel"], json.dumps(c.body["blocks"]))
                  for c in _done(run.slack, "chat.postMessage")],
        "telegram": [(str(c.params["chat_id"]), str(c.params["text"]))
                     for c in run.telegram.called("sendMessage")],
    }  # fmt: skip
    copies = {
        platform: _copies(messages[: halfway[platform]]) + _copies(messages[halfway[platform] :])
        for platform, messages in posted.items()
    }
    possibly = {p: run.metric("samverkan_messages_possibly_sent_total", p) for p in POSTS}
    faults = {"slack": slack_faults, "telegram": telegram_faults}

    with capsys.disabled():  # the figures, shown whether the suite passes or fails
        _print_figures(
            ANSWERS, settled, stored, killer, faults, copies, possibly, run, outcomes, kept
        )
    assert stored == ANSWERS and distinct == ANSWERS  # every answer stored, once
    assert outcomes == 0  # every event handled, none given up
    assert kept == 0  # nothing kept of replies that all went out
    assert set(slack_answers) <= slack_reacted  # every answer's reaction arrived
    assert set(telegram_answers) <= telegram_reacted
    assert summaries == {
        "slack": set(slack_channels),
        "telegram": {str(c) for c in telegram_chats},
    }  # every reply arrived
    for platform in POSTS:  # a message twice only where a hang made it unknowable
        assert copies[platform] <= possibly[platform]
    assert killer.killed > 0 and slack_faults.counts["hang"] > 0  # the faults did happen


def settle(run: Run, seconds: float) -> dict[str, int]:
    """Waits until the inbox is empty and a call that hung meanwhile is answered; how many
    messages each platform has posted by then."""
    run.until(
        lambda: run.scalar("SELECT count(*) FROM inbox WHERE handled_at IS NULL") == 0, seconds
    )
    time.sleep(max(SLACK_HANG, TELEGRAM_HANG))
    return {
        "slack": len(_done(run.slack, "chat.postMessage")),
        "telegram": len(run.telegram.called("sendMessage")),
    }


def _done(slack: FakeSlack, method: str) -> list[Any]:
    with slack.lock:
        return [c for c in slack.done if c.method == method]


def _copies(messages: list[tuple[str, str]]) -> int:
    """How many messages showed more than once in their channel (the extra copies)."""
    return sum(count - 1 for count in Counter(messages).values())


def _print_figures(
    answers: int,
    settled: float,
    stored: int,
    killer: Killer,
    faults: dict[str, RandomFaults],
    copies: dict[str, int],
    possibly: dict[str, float],
    run: Run,
    outcomes: int,
    kept: int,
) -> None:
    retries = run.scalar("SELECT coalesce(sum(attempts - 1), 0) FROM inbox")
    lines = [
        f"fault suite: {answers} answers over Slack and Telegram, {SHARE:.0%} of API calls "
        f"failing (seed {SEED}), database connections killed every {KILL_EVERY:g} s",
        f"  settled in {settled:.1f} s; answers stored {stored}; events handled again "
        f"{retries}; not handled {outcomes}; replies still kept {kept}",
        f"  database: {killer.kills} kills, {killer.killed} connections ended; requests "
        f"answered 5xx and sent again {run.redelivered}",
    ]
    for platform, drawn in faults.items():
        kinds = ", ".join(f"{kind} {count}" for kind, count in drawn.counts.items())
        lines.append(
            f"  {platform}: faults {kinds}; messages shown twice {copies[platform]}, "
            f"counted as possibly sent {possibly[platform]:g}"
        )
    print("\n" + "\n".join(lines))
