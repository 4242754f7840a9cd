"""Where the processes of one ``samverkan serve`` keep their metrics (:mod:`engine.metrics`).

``samverkan serve`` and its worker processes share their counters through prometheus-client's
multiprocess mode: each process writes its own files in ``PROMETHEUS_MULTIPROC_DIR`` and the
serving process adds them up at a scrape (``/metrics``, :mod:`runtime.server`). The mode must be
chosen before ``prometheus_client`` is first imported, so the command line calls
:func:`share_between_processes` before it imports anything else of ours; this module imports
the standard library only.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"


def share_between_processes() -> Path | None:
    """Make this process and the worker processes it starts write their figures to one
    directory: ``$PROMETHEUS_MULTIPROC_DIR`` when set (emptied of a previous run's files), else
    a new temporary one, returned so that the caller removes it at the end.

    Does nothing (figures stay in this process's memory) when ``prometheus_client`` was
    imported already: then it is too late to choose.
    """
    if "prometheus_client" in sys.modules:
        return None
    forget_if_empty()
    given = os.environ.get(MULTIPROCESS_DIR)
    if given:
        directory = Path(given)
        directory.mkdir(parents=True, exist_ok=True)
        for stale in directory.glob("*.db"):  # a previous run's processes are gone
            stale.unlink()
        return None
    created = Path(tempfile.mkdtemp(prefix="samverkan-metrics-"))
    os.environ[MULTIPROCESS_DIR] = str(created)
    return created


def forget_if_empty() -> None:
    """An empty ``PROMETHEUS_MULTIPROC_DIR`` (an empty line in an env file) counts as unset, as
    every empty variable does; prometheus-client would take it for a directory."""
    if os.environ.get(MULTIPROCESS_DIR) == "":
        del os.environ[MULTIPROCESS_DIR]


def remove(directory: Path | None) -> None:
    """Remove what :func:`share_between_processes` created."""
    if directory is not None:
        shutil.rmtree(directory, ignore_errors=True)


def process_gone(pid: int) -> None:
    """A worker process exited: what it said live (whether it leads) no longer counts."""
    if os.environ.get(MULTIPROCESS_DIR):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]
