"""The real clock, for the engine's jobs when they are given none."""

from __future__ import annotations

from datetime import UTC, datetime


class SystemClock:
    """Implements :class:`bot.ports.Clock` with the system's time."""

    def now(self) -> datetime:
        return datetime.now(UTC)
