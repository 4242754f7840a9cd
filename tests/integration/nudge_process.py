"""One bot process for the delivery tests: the real scheduler on a shared database.

It runs what ``samverkan serve`` runs for nudges — ``start_scheduler`` with APScheduler, the
leader lock, the outbox delivery and the platforms' own senders over HTTP — with two differences for
the test: the clock is a file the test rewrites (:class:`FileClock`), and the jobs run every
``--every`` seconds instead of every minute. After each tick it led, it writes the instant it
looked up to into ``--progress``, so the test knows when it may move the clock on.

    python -m tests.integration.nudge_process --database URL --clock FILE --progress FILE \
        --name w1 --slack-api URL --telegram-api URL

Stops on SIGTERM. The Slack token is ``xoxb-<name>`` and the Telegram token ``1:<name>``, so
the stand-in servers can tell the processes apart.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import signal
import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from apscheduler.events import EVENT_JOB_EXECUTED, JobExecutionEvent

from engine.scheduler import EngineScheduler, Timing, start_scheduler
from runtime.bootstrap import App, build
from runtime.settings import Settings


class FileClock:
    """The simulated instant: an ISO 8601 timestamp in a file the test replaces atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def now(self) -> datetime:
        return datetime.fromisoformat(self.path.read_text().strip())


def write_atomically(path: Path, content: str) -> None:
    """Replace ``path``'s content so that a reader sees the old or the new, never a part."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    temporary.write_text(content)
    os.replace(temporary, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    for option in ("--database", "--clock", "--progress", "--name", "--slack-api"):
        parser.add_argument(option, required=True)
    parser.add_argument("--telegram-api", required=True)
    parser.add_argument("--every", type=float, default=0.1)
    parser.add_argument("--catch-up-minutes", type=float, default=1.0)
    parser.add_argument("--max-lateness-hours", type=float, default=2.0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format=f"{args.name} %(levelname)s %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)

    settings = Settings(
        database_url=args.database,
        slack_bot_token=f"xoxb-{args.name}",
        slack_signing_secret="not-used-here",  # no request reaches this process
        slack_api_url=args.slack_api,
        telegram_bot_token=f"1:{args.name}",
        telegram_api_url=args.telegram_api,
    )
    app = build(settings)
    every = timedelta(seconds=args.every)
    timing = Timing(
        tick_every=every,
        deliver_every=every,
        catch_up=timedelta(minutes=args.catch_up_minutes),
        max_lateness=timedelta(hours=args.max_lateness_hours),
    )
    try:
        asyncio.run(_run(app, FileClock(Path(args.clock)), timing, Path(args.progress)))
    finally:
        app.close()
    return 0


async def _run(app: App, clock: FileClock, timing: Timing, progress: Path) -> None:
    """The platforms' senders and the scheduler, as in ``samverkan work``, until SIGTERM."""
    async with contextlib.AsyncExitStack() as stack:
        for platform in app.platforms:
            await stack.enter_async_context(platform.handling())
        senders = {platform.name: platform for platform in app.platforms}
        scheduler = start_scheduler(
            app.stores, senders, app.bot.model, app.bot.calendar, clock=clock, timing=timing
        )
        stack.push_async_callback(scheduler.stop)
        scheduler.add_listener(_progress_writer(scheduler, progress), EVENT_JOB_EXECUTED)
        stopped = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopped.set)
        await stopped.wait()


def _progress_writer(scheduler: EngineScheduler, progress: Path) -> Any:
    """After each tick this process led, the instant it looked up to, into ``progress``."""
    nudges = scheduler.nudges
    ticks = {"count": 0, "added": 0}
    seen: list[datetime | None] = [None]

    def after_job(event: JobExecutionEvent) -> None:
        if event.job_id != "enqueue" or nudges.last_tick in (None, seen[0]):
            return  # not the leader: it did not tick
        seen[0] = nudges.last_tick
        ticks["count"] += 1
        ticks["added"] += int(event.retval or 0)
        report: dict[str, Any] = {"last_tick": nudges.last_tick.isoformat(), **ticks}
        write_atomically(progress, json.dumps(report))

    return after_job


if __name__ == "__main__":
    raise SystemExit(main())
