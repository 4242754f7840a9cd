"""Pruning: what the engine keeps only for a while is removed daily.

Outbox rows sent more than ``keep_sent`` (30 days) ago go, so long as the clock never looks
back that far (:class:`engine.scheduler.Timing` makes sure), or a pruned nudge would be found
again and sent twice. Inbox events handled, and the core's claims on events made, more than
``keep_events`` (7 days) ago go: platforms stop redelivering after minutes to a day.

Button tokens go when no message has carried them for ``keep_buttons``: as long as a
collaboration nobody uses is kept (the retention period and its grace, 24 months and 30 days
unless configured). A button stays on its message in the chat and may be pressed long after
it was posted (a question card's Tips, a check-in's buttons), so its token lives as long as a
collaboration can without anyone using it; each message that carries the token again keeps it
from then. A button pressed after its token went says it has expired, and the person types
the command instead.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from bot.ports import Clock
from engine.ports import ButtonStore, Inbox, Outbox
from engine.retention import GRACE, KEEP_IDLE

log = logging.getLogger(__name__)

# As long as retention keeps a collaboration nobody uses: its period and its grace.
KEEP_BUTTONS = KEEP_IDLE + GRACE


@dataclass
class Pruning:
    """Removes what is no longer needed: long-sent outbox rows, old inbound event claims, the
    keys of long-handled inbox events and button tokens no message carried for long."""

    outbox: Outbox
    inbox: Inbox
    buttons: ButtonStore
    clock: Clock
    keep_sent: timedelta = timedelta(days=30)
    keep_events: timedelta = timedelta(days=7)
    keep_buttons: timedelta = KEEP_BUTTONS

    def run(self) -> tuple[int, int, int]:
        """Returns how many outbox rows, inbound events and button tokens were removed.
        Blocks: run it in a worker thread."""
        now = self.clock.now()
        rows = self.outbox.prune_sent(now - self.keep_sent)
        events = self.inbox.prune(now - self.keep_events)
        buttons = self.buttons.prune(now - self.keep_buttons)
        log.info(
            "pruned %d sent nudges, %d event claims and %d button tokens", rows, events, buttons
        )
        return rows, events, buttons
