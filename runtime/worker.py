"""Worker processes: they handle what the platforms keep and run the scheduler, so the serving
process only acknowledges.

``samverkan serve`` starts ``WORKER_PROCESSES`` of them (``samverkan work``) and restarts one
that dies; more can run on other machines against the same PostgreSQL database. Each claims
events from the inbox (no two take the same one) and runs the same listeners and handlers the
serving process would.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from runtime import exposition
from runtime.bootstrap import App, build
from runtime.lifecycle import Duties, running
from runtime.settings import Settings
from storage import normalise_url

log = logging.getLogger(__name__)

# No request wakes a worker process: on SQLite it looks for new events this often; on
# PostgreSQL keeping an event notifies it, and it looks on its own only for events whose
# back-off ended (or a notification lost with a connection).
POLL_SECONDS = 0.1
LISTENING_POLL_SECONDS = 5.0
RESTART_DELAY = 2.0
PARENT_CHECK_SECONDS = 1.0
NICENESS = 19  # where the scheduler has no idle class
# Threads of a worker process's default pool, where the core and the inbox do their database
# work (the clock's jobs have threads of their own, engine.scheduler). Python runs one thread at
# a time, so two keep it busy (one runs while the other waits for the database); more only wait
# for each other and spend CPU handing over (measured in the README's speed section).
THREADS = 2


def work(settings: Settings) -> int:
    """Handle kept events until SIGTERM or SIGINT, or until the serving process that started
    this one is gone.

    Runs only on CPU time nothing else wants (Linux's idle scheduling class): acknowledging a
    platform is a matter of milliseconds and must never wait for a core busy handling events.
    What is kept waits in the inbox meanwhile, and is handled once the burst is over.
    """
    _yield_the_cpu()
    listening = normalise_url(settings.database_url).get_backend_name() == "postgresql"
    app = build(settings, poll_seconds=LISTENING_POLL_SECONDS if listening else POLL_SECONDS)
    try:
        asyncio.run(_work(app))
    finally:
        app.close()
    return 0


def _yield_the_cpu() -> None:
    if hasattr(os, "sched_setscheduler") and hasattr(os, "SCHED_IDLE"):
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    else:
        os.nice(NICENESS)


async def _work(app: App) -> None:
    loop = asyncio.get_running_loop()
    loop.set_default_executor(ThreadPoolExecutor(THREADS, thread_name_prefix="worker"))
    async with running(app, Duties(handle=True, schedule=True)):
        stopped = asyncio.Event()
        for each in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(each, stopped.set)
        log.info("worker %s started", app.worker.worker_id)
        parent = os.getppid()
        while not stopped.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopped.wait(), PARENT_CHECK_SECONDS)
            if os.getppid() != parent:
                log.warning("the process that started this worker is gone; stopping")
                break


class WorkerProcesses:
    """``count`` child processes running ``samverkan work``, restarted when one exits."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.children: list[subprocess.Popen[bytes]] = []
        self._stopping = threading.Event()
        self._watch: threading.Thread | None = None

    def start(self) -> None:
        if not self.count:
            return
        self.children = [self._spawn() for _ in range(self.count)]
        self._watch = threading.Thread(target=self._restart_the_dead, daemon=True)
        self._watch.start()

    def stop(self, grace_seconds: float = 15.0) -> None:
        self._stopping.set()
        if self._watch is not None:  # it may be starting a child just now: that one goes too
            self._watch.join()
        for child in self.children:
            if child.poll() is None:
                child.terminate()
        for child in self.children:
            try:
                child.wait(grace_seconds)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait(5)
            exposition.process_gone(child.pid)

    @staticmethod
    def _spawn() -> subprocess.Popen[bytes]:
        return subprocess.Popen([sys.executable, "-m", "runtime.cli", "work"])

    def _restart_the_dead(self) -> None:
        while not self._stopping.wait(RESTART_DELAY):
            for number, child in enumerate(self.children):
                if child.poll() is not None and not self._stopping.is_set():
                    log.warning("worker process exited with %s; starting another", child.returncode)
                    exposition.process_gone(child.pid)
                    self.children[number] = self._spawn()
