"""What a log line is about: the platform, the collaboration and the event being worked on.

Set with one call where it becomes known (:func:`about`); it holds for the rest of the asyncio
task (each task has its own copy) and is added to every log record by the runtime's formatter
(``LOG_FORMAT=json``). Ids only: never a name, a text or a token.
"""

from __future__ import annotations

from contextvars import ContextVar

PLATFORM: ContextVar[str | None] = ContextVar("platform", default=None)
COLLABORATION_ID: ContextVar[str | None] = ContextVar("collaboration_id", default=None)
EVENT_ID: ContextVar[str | None] = ContextVar("event_id", default=None)


def about(
    *, platform: str | None = None, collaboration_id: str | None = None, event_id: str | None = None
) -> None:
    """From now on, in this task, log lines are about these (``None`` clears one)."""
    PLATFORM.set(platform)
    COLLABORATION_ID.set(collaboration_id)
    EVENT_ID.set(event_id)


def current() -> dict[str, str]:
    """The ids known here, by field name; those unknown are left out."""
    known = {
        "platform": PLATFORM.get(),
        "collaboration_id": COLLABORATION_ID.get(),
        "event_id": EVENT_ID.get(),
    }
    return {name: value for name, value in known.items() if value is not None}
