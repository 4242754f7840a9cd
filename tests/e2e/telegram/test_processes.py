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
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from adapters.telegram.handlers import EXPIRED_HINT
from adapters.telegram.webhook import SECRET_HEADER
from standins.serving import free_port
from standins.telegram_api import BotApiStandIn, Call
from storage import make_engine, make_session_factory
from storage.tables import InboxRow
from tests.e2e.telegram.conftest import ANN, CHAT_ID, SECRET, button_press

WEBHOOK = "https://example.org/telegram/webhook"
STARTED = "Fritid för alla"
DECISION = "Vi ses på biblioteket varje tisdag kväll, med fika efteråt"
LONG_COMMAND = f"beslut {DECISION}"  # more than the 64 bytes of callback_data


def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'serve.db'}"


def environment(standin: BotApiStandIn, tmp_path: Path) -> dict[str, str]:
    """A process's environment: the database file of ``tmp_path``, the bot at the stand-in."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("SLACK_")}
    env.pop("TELEGRAM_WEBHOOK_URL", None)
    return env | {
        "DATABASE_URL": database_url(tmp_path),
        "TELEGRAM_BOT_TOKEN": "123:ABC",
        "TELEGRAM_API_URL": standin.url,
    }


def start(
    standin: BotApiStandIn, tmp_path: Path, *, webhook: bool, workers: int = 0
) -> tuple[subprocess.Popen[bytes], int]:
    """``samverkan serve`` on the database file of ``tmp_path``, started; with its port."""
    port = free_port()
    env = environment(standin, tmp_path) | {"PORT": str(port), "WORKER_PROCESSES": str(workers)}
    if webhook:
        env |= {"TELEGRAM_WEBHOOK_URL": WEBHOOK, "TELEGRAM_WEBHOOK_SECRET": SECRET}
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


def send_once(standin: BotApiStandIn, tmp_path: Path, label: str, command: str) -> None:
    """A process of its own sends a message with a button for ``command`` to the chat, through
    the Telegram platform of the composition root (on the database of ``tmp_path``), and
    exits."""
    argv = [sys.executable, "-m", "tests.e2e.telegram.send_once", str(CHAT_ID)]
    output = tmp_path / "send-once.log"
    with output.open("wb") as log:
        done = subprocess.run(
            [*argv, "Beslut?", label, command],
            env=environment(standin, tmp_path),
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=60,
        )
    assert done.returncode == 0, output.read_text()


def press(url: str, update_id: int, data: str, sent: Call) -> None:
    """Presses the button with ``data`` under the message ``sent``, as Telegram tells it."""
    post(url, button_press(update_id, data, str(sent.params["text"])))


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
    # A button whose command does not fit callback_data: Telegram keeps only its token, and
    # the process that rendered it is gone before it is pressed. Only a token kept in the
    # database (not in that process's memory) tells the next process what it stands for.
    send_once(standin, tmp_path, "Ja", LONG_COMMAND)
    asked = standin.called("sendMessage")[-1]
    [[decide]] = asked.params["reply_markup"]["inline_keyboard"]
    assert decide["callback_data"].startswith("~") and len(decide["callback_data"].encode()) <= 64

    # Another process, whose events are handled in a worker process of its own.
    with serve(standin, tmp_path, webhook=True, workers=1) as url:
        before = len(texts(standin))
        press(url, 900003, decide["callback_data"], asked)
        [answered] = standin.wait_for(lambda: standin.called("answerCallbackQuery"))
        assert answered.params.get("text") not in EXPIRED_HINT.values()
        standin.wait_for(lambda: len(texts(standin)) > before)
        assert "Beslut 1" in texts(standin)[-1]  # the decision is kept

        before = len(texts(standin))
        press(url, 900004, weekly["callback_data"], plan)
        answered = standin.wait_for(lambda: standin.called("answerCallbackQuery")[1:])[-1]
        assert answered.params.get("text") not in EXPIRED_HINT.values()
        standin.wait_for(lambda: len(texts(standin)) > before)
        assert "09:00" in texts(standin)[-1]


def test_an_update_fetched_by_a_process_killed_at_once_is_handled_once_after_a_restart(
    standin: BotApiStandIn, tmp_path: Path
) -> None:
    """An update lost in a crash before it was kept, and so before it was confirmed, is fetched
    again (the next test kills the process later, once the update was confirmed)."""
    with standin.lock:
        standin.pending.append(command(900001, f"/start {STARTED}"))
    first: list[subprocess.Popen[bytes]] = []

    def kill_at_once() -> None:
        # The update's bytes are on their way to the process: it dies before it can act.
        if first and first[0].poll() is None:
            os.kill(first[0].pid, signal.SIGKILL)

    standin.after_handing_out = kill_at_once
    killed_while_polling(standin, tmp_path, first)
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


def test_an_update_confirmed_by_a_process_killed_while_handling_it_is_handled_after_a_restart(
    standin: BotApiStandIn, tmp_path: Path
) -> None:
    """The crash that matters: the update was fetched and confirmed to Telegram (a getUpdates
    with a higher offset), so Telegram hands it out no more, but it was not handled yet.

    Only an update kept before it is confirmed survives that. A design that confirms first
    loses it here: python-telegram-bot's Updater fetches the next updates while the handlers
    still work on these, which it holds in memory only; a loop that asks for the next updates
    before it keeps these has kept nothing yet. Either way, when the process dies the update is
    kept nowhere and Telegram has forgotten it, so no process ever replies and this test fails.
    """
    with standin.lock:
        standin.pending.append(command(900001, f"/start {STARTED}"))
    # Its reply hangs, longer than the test lasts: the process dies while handling the update.
    standin.hang_next, standin.hang_seconds = 1, 600.0
    first: list[subprocess.Popen[bytes]] = []

    def kill_when_confirmed(offset: int) -> None:
        if offset != 900002 or not first or first[0].poll() is not None:
            return
        # Telegram forgets the update as this request arrives. Killed before it is answered,
        # once the reply to the update is on its way (or after a while, if it never comes).
        end = time.monotonic() + 10
        while not standin.held and time.monotonic() < end:
            time.sleep(0.02)
        os.kill(first[0].pid, signal.SIGKILL)

    standin.asking_for_updates = kill_when_confirmed
    killed_while_polling(standin, tmp_path, first)
    standin.asking_for_updates = None
    standin.wait_for(lambda: not standin.pending)  # confirmed: Telegram hands it out no more
    assert standin.offsets[-1] == 900002 and standin.handed_out == [900001]
    assert len(standin.held) == 1 and not standin.called("sendMessage")  # no reply went out
    lease_runs_out(tmp_path, "900001")

    with serve(standin, tmp_path, webhook=False):
        standin.wait_for(lambda: any(STARTED in text for text in texts(standin)), deadline=30)
        time.sleep(1.0)
    assert standin.handed_out == [900001]  # the new process had it from the inbox
    assert len([text for text in texts(standin) if STARTED in text]) == 1


def killed_while_polling(
    standin: BotApiStandIn, tmp_path: Path, first: list[subprocess.Popen[bytes]]
) -> None:
    """Starts a long-polling ``serve`` (put into ``first``, where the stand-in's hook finds it
    to kill) and waits until it was killed."""
    process, _ = start(standin, tmp_path, webhook=False)
    first.append(process)
    try:
        assert process.wait(60) == -signal.SIGKILL
    finally:
        stop(process)


def lease_runs_out(tmp_path: Path, update_id: str) -> None:
    """The killed process's claim on the update, still unhandled, ages past any lease (two
    minutes, which the test does not wait for): another process may take it now."""
    engine = make_engine(database_url(tmp_path))
    try:
        with make_session_factory(engine)() as session:
            row = session.get(InboxRow, ("telegram", update_id))
            assert row is not None and row.handled_at is None and row.claimed_at is not None
            row.claimed_at -= timedelta(hours=1)
            session.add(row)
            session.commit()
    finally:
        engine.dispose()
