"""Pacing of outgoing nudges: how long until a channel may hear the next one.

The platforms' published limits, per bot token:

- Slack ``chat.postMessage``: about one message per second per channel;
- Telegram: about one message per second per chat, 20 per minute per group (a chat id starting
  with ``-``) and 30 per second overall.

A platform counts a message when it arrives, somewhere between the moment we started sending
it and the moment its answer came back. A message therefore stays in a limit's window from its
start until ``per`` after its answer (:class:`Send`), and one still without an answer stays in
for as long as it takes: the next message may start only once the one ``count`` places before
it was answered ``per`` ago. However the arrivals fall, no window of ``per`` then holds more
than ``count`` of them, while a send answered in a few milliseconds costs a few milliseconds a
window, not a fixed margin. Telegram's messages over all chats also start at least
:data:`TELEGRAM_SPACING` apart (counted from their start), rather than 30 at once.

:class:`Pacer` keeps these windows in memory, so it paces one process; several processes on one
token can together exceed a limit for a moment, and then the platform's 429 with its
Retry-After is honoured (:meth:`Pacer.hold`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from bot.domain import ChannelRef
from bot.ports import Clock


class Scope(StrEnum):
    CHANNEL = "channel"  # counted per channel (chat)
    GROUP = "group"  # per channel, for Telegram groups only
    PLATFORM = "platform"  # counted over every channel of the platform


@dataclass(frozen=True)
class Limit:
    """At most ``count`` messages in any window of length ``per``, counted per ``scope``; a
    message counts until ``per`` after its answer, or after its start when ``from_start`` (a
    spacing of our own, not the platform's limit)."""

    count: int
    per: timedelta
    scope: Scope
    from_start: bool = False


SECOND = timedelta(seconds=1)
TELEGRAM_SPACING = timedelta(milliseconds=25)
PLATFORM_LIMITS: Mapping[str, Sequence[Limit]] = {
    "slack": (Limit(1, SECOND, Scope.CHANNEL),),
    "telegram": (
        Limit(1, SECOND, Scope.CHANNEL),
        Limit(20, timedelta(minutes=1), Scope.GROUP),
        Limit(30, SECOND, Scope.PLATFORM),
        Limit(1, TELEGRAM_SPACING, Scope.PLATFORM, from_start=True),
    ),
}

_Key = tuple[int, str, str, str]


class Delay(NamedTuple):
    """How long a message must wait; when not ``known``, at least that long."""

    wait: timedelta
    known: bool = True


@dataclass(eq=False)
class Send:
    """One message on its way: when it started, and when its answer came back (or ``None``)."""

    started: datetime
    answered: datetime | None = None

    def counted_until(self, limit: Limit) -> datetime | None:
        """When this message leaves ``limit``'s window; ``None`` while that is not known."""
        end = self.started if limit.from_start else self.answered
        return None if end is None else end + limit.per


@dataclass
class Pacer:
    """Remembers the messages each window holds; answers how long the next one must wait."""

    clock: Clock
    limits: Mapping[str, Sequence[Limit]] = field(default_factory=lambda: PLATFORM_LIMITS)
    _sent: dict[_Key, list[Send]] = field(default_factory=lambda: defaultdict(list))
    _held: dict[ChannelRef, datetime] = field(default_factory=dict)

    def delay(self, channel: ChannelRef) -> Delay:
        """How long until a message to ``channel`` keeps every limit; zero when it may go now.
        While a message it waits on has no answer yet, the wait is the shortest it can be, and
        not ``known``: ask again after it."""
        now = self.clock.now()
        wait, known = max(self._held.get(channel, now) - now, timedelta(0)), True
        for limit, key in self._windows(channel):
            ends = self._ends(key, limit, now)
            if len(ends) >= limit.count:
                # The window has room once all but count - 1 have left it (unknown: last).
                end = sorted(ends, key=lambda e: (e is None, e))[-limit.count]
                if end is None:
                    wait, known = max(wait, limit.per), False
                else:
                    wait = max(wait, end - now)
        return Delay(wait, known)

    def record(self, channel: ChannelRef) -> Send:
        """Count a message to ``channel`` as starting now (a refused attempt counts too); mark
        the :class:`Send` returned :meth:`answered` once the platform has answered."""
        send = Send(self.clock.now())
        for _, key in self._windows(channel):
            self._sent[key].append(send)
        return send

    def answered(self, send: Send) -> None:
        """The platform answered ``send`` (whatever it said): it is counted that long. Only
        the first answer counts; a send that ended later (cancelled) keeps it."""
        if send.answered is None:
            send.answered = self.clock.now()

    def hold(self, channel: ChannelRef, until: datetime) -> None:
        """Send nothing to ``channel`` before ``until`` (the platform asked us to wait)."""
        self._held[channel] = max(until, self._held.get(channel, until))

    @property
    def windows(self) -> int:
        """How many windows are kept (one a limit and channel, or a limit over a platform)."""
        return len(self._sent)

    def forget_past(self) -> None:
        """Drop the windows and holds that no longer delay anything, so that memory follows the
        channels sent to lately, not every channel ever sent to."""
        now = self.clock.now()
        for key in list(self._sent):
            index, platform = key[0], key[1]
            if not self._ends(key, self.limits[platform][index], now):
                del self._sent[key]
        self._held = {channel: until for channel, until in self._held.items() if until > now}

    def _ends(self, key: _Key, limit: Limit, now: datetime) -> list[datetime | None]:
        """When each message still in the window ``key`` leaves it (``None``: not known yet);
        those gone are dropped."""
        kept, ends = [], []
        for send in self._sent[key]:
            end = send.counted_until(limit)
            if end is None or end > now:
                kept.append(send)
                ends.append(end)
        self._sent[key] = kept
        return ends

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
