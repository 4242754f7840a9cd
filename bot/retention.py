"""Retention: a collaboration untouched for the retention period is announced to its
coordinators, and deleted with everything in it after a grace period unless it is used again.

Pure: the notice as a nudge, which the outbox delivers like any other. The engine decides when
(:mod:`engine.retention`); storage finds the collaborations and deletes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from bot.schedule import Nudge, NudgeKind


def retention_notice(
    collaboration_id: str,
    name: str,
    language: str,
    coordinators: Sequence[str],
    active_at: datetime,
    now: datetime,
    erase_at: datetime,
) -> Nudge:
    """The notice, due ``now``, that the collaboration last used at ``active_at`` will be
    deleted at ``erase_at``; for the ``coordinators`` (their platform ids) where the platform
    can say something to some people only, else in the channel. Its slot is the notice's time,
    so that a collaboration used again and then left again is told again."""
    params = {
        "language": "en" if language == "en" else "sv",
        "name": name,
        "since": active_at.astimezone(UTC).date().isoformat(),
        "date": erase_at.astimezone(UTC).date().isoformat(),
        "coordinators": " ".join(coordinators),
    }
    return Nudge(collaboration_id, NudgeKind.RETENTION, now.astimezone(UTC).isoformat(), params)
