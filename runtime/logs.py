"""The logs: plain text by default, or with ``LOG_FORMAT=json`` one JSON object per line
(python-json-logger) with ``timestamp``, ``level``, ``logger``, ``message`` and, where known,
``platform``, ``collaboration_id`` and ``event_id`` (:mod:`engine.log_context`).

Never a token or a secret: the configured secrets are replaced by ``***`` in every line, and
httpx, which names the Telegram token in each request's URL, logs only its warnings.

No personal data above DEBUG: our code logs no name, title, organisation or message text at
INFO or above, statements' parameters are never logged (``hide_parameters``), and an error's
traceback names each error by its type alone unless ``LOG_LEVEL=DEBUG``. An error's text can
hold the data that failed: PostgreSQL's "Failing row contains (…)", a library's repr of a
request.
"""

from __future__ import annotations

import copy
import logging
import sys
import traceback
from collections.abc import Iterable
from typing import TextIO

from pythonjsonlogger.json import JsonFormatter

from engine import log_context

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
_JSON_FIELDS = ["asctime", "levelname", "name", "message"]
_RENAMED = {"asctime": "timestamp", "levelname": "level", "name": "logger"}
# Libraries whose INFO lines could carry a token or a person's text (httpx logs every
# request's URL, bolt a refused request's body; refusals are counted in /metrics), or say
# nothing an operator needs (alembic's plugins at every start, APScheduler's every job run).
_QUIET = (
    "httpx",
    "httpcore",
    "slack_bolt.RequestVerification",
    "alembic.runtime.plugins",
    "apscheduler",
)
HIDDEN = "***"


class _Quiet(logging.Filter):
    """Lets through only warnings and errors of the libraries in ``_QUIET`` (a filter on the
    handler: slack-bolt sets its loggers' levels to the root's whenever an app is made)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            return True
        return not any(record.name == name or record.name.startswith(f"{name}.") for name in _QUIET)


class _Context(logging.Filter):
    """Adds what the line is about (platform, collaboration, event) to the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, value in log_context.current().items():
            setattr(record, name, value)
        return True


class _Redacting(logging.Formatter):
    """Formats with ``inner`` and hides every secret's value in the result; an error's text
    only with ``errors_in_full`` (``LOG_LEVEL=DEBUG``)."""

    def __init__(
        self, inner: logging.Formatter, secrets: Iterable[str], errors_in_full: bool = False
    ) -> None:
        super().__init__()
        self.inner = inner
        self.secrets = sorted({each for each in secrets if each}, key=len, reverse=True)
        self.errors_in_full = errors_in_full

    def format(self, record: logging.LogRecord) -> str:
        error = record.exc_info[1] if isinstance(record.exc_info, tuple) else None
        if error is not None and not self.errors_in_full:
            record = copy.copy(record)  # the other handlers see the record as it was
            record.exc_text = without_text(error)
            record.exc_info = None
        line = self.inner.format(record)
        for secret in self.secrets:
            line = line.replace(secret, HIDDEN)
        return line


def without_text(error: BaseException) -> str:
    """The traceback of ``error`` and of the errors that led to it, each error named by its
    type alone, not its text."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    parts: list[str] = []
    for each in reversed(chain):
        if parts:
            parts.append("\nwhich led to:\n\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(each.__traceback__))
        kind = type(each)
        parts.append(f"{kind.__module__}.{kind.__qualname__} (its text: LOG_LEVEL=DEBUG)\n")
    return "".join(parts).rstrip("\n")


def configure(
    log_format: str, level: str, secrets: Iterable[str] = (), stream: TextIO | None = None
) -> None:
    """Send every log line of the process to ``stream`` (standard error) in ``log_format``
    (``text`` or ``json``) from ``level`` up, with ``secrets`` hidden."""
    inner: logging.Formatter
    if log_format == "json":
        inner = JsonFormatter(
            _JSON_FIELDS,
            rename_fields=_RENAMED,
            json_ensure_ascii=False,
            datefmt="%Y-%m-%dT%H:%M:%S%z",
        )
    else:
        inner = logging.Formatter(TEXT_FORMAT)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(_Redacting(inner, secrets, errors_in_full=level == "DEBUG"))
    handler.addFilter(_Quiet())
    handler.addFilter(_Context())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # uvicorn's loggers carry handlers of their own; through ours they get the same format.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
