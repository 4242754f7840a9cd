"""Retention: collaborations nobody has used for the retention period (24 months unless
configured) are announced to their coordinators through the outbox, then deleted with
everything in it once the grace period (30 days) has passed without their being used again.

Any handled message in the channel counts as use: a command, an answer, a button. Runs daily
beside the pruning, in the process that leads (as the nudge clock does), so that one process
writes the notices.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.ports import Clock
from bot.retention import retention_notice
from bot.schedule import Nudge
from engine.ports import Dormancy, Dormant, Leader

log = logging.getLogger(__name__)

DAYS_A_MONTH = 365.25 / 12


def months(count: int) -> timedelta:
    """``count`` months as a span of whole days, rounded up (24 months: 731 days)."""
    return timedelta(days=math.ceil(count * DAYS_A_MONTH))


KEEP_IDLE = months(24)  # unless configured (RETENTION_MONTHS)
GRACE = timedelta(days=30)  # unless configured (RETENTION_GRACE_DAYS)


@dataclass
class Retention:
    """Announces unused collaborations, and deletes those announced ``grace`` ago and unused
    since."""

    dormancy: Dormancy
    leader: Leader
    clock: Clock
    keep_idle: timedelta = KEEP_IDLE
    grace: timedelta = GRACE
    batch: int = 100

    def run(self) -> tuple[int, int]:
        """Returns how many collaborations were announced and how many deleted; nothing while
        another process leads. Blocks: run it in a worker thread."""
        if not self.leader.held():
            return 0, 0
        now = self.clock.now()
        erased = self.dormancy.erase(now - self.grace)
        told = 0
        while True:
            count = self.dormancy.announce(now - self.keep_idle, now, self._notice(now), self.batch)
            told += count
            if count < self.batch:
                break
        log.info("retention: %d collaborations announced, %d deleted", told, erased)
        return told, erased

    def _notice(self, now: datetime) -> Callable[[Dormant], Nudge]:
        def notice(dormant: Dormant) -> Nudge:
            return retention_notice(
                dormant.collaboration_id,
                dormant.name,
                dormant.language,
                dormant.coordinators,
                dormant.active_at,
                now,
                now + self.grace,
            )

        return notice
