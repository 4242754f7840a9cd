"""Pacing of outgoing nudges: how long until a channel may hear the next one.

The platforms' published limits, per bot token:

- Slack ``chat.postMessage``: about one message per second per channel;
- Telegram: about one message per second per chat, 20 per minute per group (a chat id starting
  with ``-``) and 30 per second overall. Telegram counts the messages as they arrive: a send
  that leaves a little late and the next on time arrive closer together than they left. The
  30 are therefore counted over :data:`TELEGRAM_SECOND` (1.05 s: 28.6 a second, 95% of the
  limit), and the messages over all chats go at least :data:`TELEGRAM_SPACING` apart rather
  than 30 at once.

:class:`Pacer` keeps a sliding window per limit and key in memory, so it paces one process;
several processes on one token can together exceed a limit for a moment, and then the
platform's 429 with its Retry-After is honoured (:meth:`Pacer.hold`).
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain import ChannelRef
from bot.ports import Clock


class Scope(StrEnum):
    CHANNEL = "channel"  # counted per channel (chat)
    GROUP = "group"  # per channel, for Telegram groups only
    PLATFORM = "platform"  # counted over every channel of the platform


@dataclass(frozen=True)
class Limit:
    """At most ``count`` messages in any window of length ``per``, counted per ``scope``."""

    count: int
    per: timedelta
    scope: Scope


SECOND = timedelta(seconds=1)
TELEGRAM_SECOND = timedelta(milliseconds=1050)
TELEGRAM_SPACING = timedelta(milliseconds=25)
PLATFORM_LIMITS: Mapping[str, Sequence[Limit]] = {
    "slack": (Limit(1, SECOND, Scope.CHANNEL),),
    "telegram": (
        Limit(1, SECOND, Scope.CHANNEL),
        Limit(20, timedelta(minutes=1), Scope.GROUP),
        Limit(30, TELEGRAM_SECOND, Scope.PLATFORM),
        Limit(1, TELEGRAM_SPACING, Scope.PLATFORM),
    ),
}

_Key = tuple[int, str, str, str]


class Pacer:
    """Remembers when each channel was last sent to; answers how long the next one must wait."""

    def __init__(self, clock: Clock, limits: Mapping[str, Sequence[Limit]] = PLATFORM_LIMITS):
        self.clock = clock
        self.limits = limits
        self._sent: dict[_Key, deque[datetime]] = defaultdict(deque)
        self._held: dict[ChannelRef, datetime] = {}

    def delay(self, channel: ChannelRef) -> timedelta:
        """How long until a message to ``channel`` keeps every limit; zero when it may go now."""
        now = self.clock.now()
        wait = max(self._held.get(channel, now) - now, timedelta(0))
        for limit, key in self._windows(channel):
            window = self._sent[key]
            while window and window[0] <= now - limit.per:
                window.popleft()
            if len(window) >= limit.count:
                wait = max(wait, window[-limit.count] + limit.per - now)
        return wait

    def record(self, channel: ChannelRef) -> None:
        """Count a message to ``channel`` as sent now (a refused attempt counts too)."""
        now = self.clock.now()
        for _, key in self._windows(channel):
            self._sent[key].append(now)

    def hold(self, channel: ChannelRef, until: datetime) -> None:
        """Send nothing to ``channel`` before ``until`` (the platform asked us to wait)."""
        self._held[channel] = max(until, self._held.get(channel, until))

    def _windows(self, channel: ChannelRef) -> list[tuple[Limit, _Key]]:
        windows = []
        for index, limit in enumerate(self.limits.get(channel.platform, ())):
            if limit.scope is Scope.PLATFORM:
                key = (index, channel.platform, "", "")
            elif limit.scope is Scope.GROUP and not channel.channel.startswith("-"):
                continue
            else:
                key = (index, channel.platform, channel.workspace, channel.channel)
            windows.append((limit, key))
        return windows
