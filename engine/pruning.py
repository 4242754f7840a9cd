"""Pruning: what the engine keeps only for a while is removed daily.

Outbox rows sent more than ``keep_sent`` (30 days) ago go, so long as the clock never looks
back that far (:class:`engine.scheduler.Timing` makes sure), or a pruned nudge would be found
again and sent twice. Inbox events handled, and the core's claims on events made, more than
``keep_events`` (7 days) ago go: platforms stop redelivering after minutes to a day.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from bot.ports import Clock
from engine.ports import Inbox, Outbox

log = logging.getLogger(__name__)


@dataclass
class Pruning:
    """Removes what is no longer needed: long-sent outbox rows, old inbound event claims and
    the keys of long-handled inbox events."""

    outbox: Outbox
    inbox: Inbox
    clock: Clock
    keep_sent: timedelta = timedelta(days=30)
    keep_events: timedelta = timedelta(days=7)

    def run(self) -> tuple[int, int]:
        """Returns how many outbox rows and how many inbound events were removed. Blocks: run
        it in a worker thread."""
        now = self.clock.now()
        rows = self.outbox.prune_sent(now - self.keep_sent)
        events = self.inbox.prune(now - self.keep_events)
        log.info("pruned %d sent nudges and %d event claims", rows, events)
        return rows, events
