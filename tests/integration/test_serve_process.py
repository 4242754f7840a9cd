"""``samverkan serve`` as a process: its worker processes run in the idle scheduling class,
and when the server is stopped with SIGTERM it stops them first."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from standins.serving import free_port

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc")


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(each) for each in path.read_text().split()] if path.exists() else []


def test_idle_workers_are_stopped_before_the_server_exits(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "SLACK_BOT_TOKEN": "xoxb-serve-test",
        "SLACK_SIGNING_SECRET": "serve-test-secret",
        "PORT": str(port),
        "WORKER_PROCESSES": "2",
    }
    env.pop("SLACK_APP_TOKEN", None)
    argv = [sys.executable, "-m", "runtime.cli", "serve"]
    server = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        workers: list[int] = []
        while len(workers) < 2 or not _healthy(port):
            assert server.poll() is None, f"serve exited with {server.returncode}"
            assert time.monotonic() < deadline, "serve did not start with its workers"
            time.sleep(0.2)
            workers = children(server.pid)

        # Handling only ever takes CPU time the acknowledging server does not want (a worker
        # moves itself into the idle class once started).
        while {os.sched_getscheduler(pid) for pid in workers} != {os.SCHED_IDLE}:
            assert time.monotonic() < deadline, "the workers did not move to the idle class"
            time.sleep(0.2)

        server.send_signal(signal.SIGTERM)
        assert server.wait(30) == 0
        # Waited for by the server, so gone already, not orphaned and left to notice later.
        assert [pid for pid in workers if Path(f"/proc/{pid}").exists()] == []
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(10)


def _healthy(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False
