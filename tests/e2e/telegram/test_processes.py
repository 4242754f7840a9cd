"""``samverkan serve`` as real processes against the Bot API stand-in: what one process did is
there for the next one, through the database."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from adapters.telegram.handlers import EXPIRED_HINT
from adapters.telegram.webhook import SECRET_HEADER
from standins.serving import free_port
from standins.telegram_api import BotApiStandIn
from tests.e2e.telegram.conftest import ANN, CHAT_ID, SECRET

WEBHOOK = "https://example.org/telegram/webhook"
STARTED = "Fritid för alla"


def start(
    standin: BotApiStandIn, tmp_path: Path, *, webhook: bool, workers: int = 0
) -> tuple[subprocess.Popen[bytes], int]:
    """``samverkan serve`` on the database file of ``tmp_path``, started; with its port."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("SLACK_")}
    env |= {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "TELEGRAM_BOT_TOKEN": "123:ABC",
        "TELEGRAM_API_URL": standin.url,
        "PORT": str(port),
        "WORKER_PROCESSES": str(workers),
    }
    if webhook:
        env |= {"TELEGRAM_WEBHOOK_URL": WEBHOOK, "TELEGRAM_WEBHOOK_SECRET": SECRET}
    else:
        env.pop("TELEGRAM_WEBHOOK_URL", None)
    with (tmp_path / f"serve-{port}.log").open("wb") as log:
        argv = [sys.executable, "-m", "runtime.cli", "serve"]
        return subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT), port


@contextlib.contextmanager
def serve(
    standin: BotApiStandIn, tmp_path: Path, *, webhook: bool, workers: int = 0
) -> Iterator[str]:
    """A started ``samverkan serve``, once it answers ``/healthz``; yields its webhook URL.
    Stopped with SIGTERM at the end."""
    process, port = start(standin, tmp_path, webhook=webhook, workers=workers)
    try:
        deadline = time.monotonic() + 60
        while not _healthy(port):
            assert process.poll() is None, f"serve exited with {process.returncode}"
            assert time.monotonic() < deadline, "serve did not start"
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/telegram/webhook"
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _healthy(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def post(url: str, update: dict[str, Any]) -> None:
    response = httpx.post(url, json=update, headers={SECRET_HEADER: SECRET}, timeout=30)
    assert response.status_code == 200, response.text


def command(update_id: int, text: str) -> dict[str, Any]:
    entities = [{"type": "bot_command", "offset": 0, "length": len(text.split(" ", 1)[0])}]
    message = {
        "message_id": update_id - 900000 + 40,
        "from": ANN,
        "chat": {"id": CHAT_ID, "title": "Team", "type": "supergroup"},
        "date": 1767225600,
        "text": text,
        "entities": entities,
    }
    return {"update_id": update_id, "message": message}


def texts(standin: BotApiStandIn) -> list[str]:
    return [str(call.params["text"]) for call in standin.called("sendMessage")]


def test_a_button_rendered_by_one_process_works_in_another_started_afterwards(
    standin: BotApiStandIn, tmp_path: Path
) -> None:
    with serve(standin, tmp_path, webhook=True) as url:
        post(url, command(900001, f"/start {STARTED}"))
        post(url, command(900002, "/reminders"))
        plan = standin.wait_for(
            lambda: [c for c in standin.called("sendMessage") if "reply_markup" in c.params][1:]
        )[-1]
    keyboard = plan.params["reply_markup"]["inline_keyboard"]
    [weekly] = [b for row in keyboard for b in row if b["text"] == "Avstämning tisdagar 09:00"]

    # Another process, whose events are handled in a worker process of its own.
    with serve(standin, tmp_path, webhook=True, workers=1) as url:
        before = len(texts(standin))
        press = {
            "id": "q-weekly",
            "from": ANN,
            "chat_instance": "-1",
            "data": weekly["callback_data"],
            "message": {
                "message_id": 7000,
                "from": {"id": 999, "is_bot": True, "first_name": "Samverkan"},
                "chat": {"id": CHAT_ID, "type": "supergroup", "title": "Team"},
                "date": 1767225600,
                "text": str(plan.params["text"]),
            },
        }
        post(url, {"update_id": 900003, "callback_query": press})
        [answered] = standin.wait_for(lambda: standin.called("answerCallbackQuery"))
        assert answered.params.get("text") != EXPIRED_HINT
        standin.wait_for(lambda: len(texts(standin)) > before)
        assert "09:00" in texts(standin)[-1]


def test_an_update_fetched_by_a_process_killed_at_once_is_handled_once_after_a_restart(
    standin: BotApiStandIn, tmp_path: Path
) -> None:
    with standin.lock:
        standin.pending.append(command(900001, f"/start {STARTED}"))
    first: list[subprocess.Popen[bytes]] = []

    def kill_at_once() -> None:
        # The update's bytes are on their way to the process: it dies before it can act.
        if first and first[0].poll() is None:
            os.kill(first[0].pid, signal.SIGKILL)

    standin.after_handing_out = kill_at_once
    process, _ = start(standin, tmp_path, webhook=False)
    first.append(process)
    try:
        assert process.wait(60) == -signal.SIGKILL
    finally:
        stop(process)
    assert standin.handed_out == [900001]
    assert not standin.called("sendMessage")

    standin.after_handing_out = None
    with serve(standin, tmp_path, webhook=False):
        standin.wait_for(lambda: any(STARTED in text for text in texts(standin)), deadline=30)
        # The next getUpdates confirms it: Telegram forgets it, and nothing comes twice.
        standin.wait_for(lambda: not standin.pending, deadline=30)
        time.sleep(1.0)
    assert standin.handed_out.count(900001) == 2  # fetched by both processes
    assert len([text for text in texts(standin) if STARTED in text]) == 1
