"""The nudge clock: every tick it asks the core which nudges fell due and puts them in the
outbox.

*What* is due is decided by :func:`bot.schedule.due_nudges`, *that* it is written once by the
outbox's unique key, so several clocks may look at the same window. Only the leader
(:class:`engine.ports.Leader`) ticks, so that the processes do not all compute the same nudges
every minute; on SQLite there is one process, always leading.

After downtime the first tick looks back ``catch_up`` (7 days): nudges that fell due meanwhile
and are not in the outbox yet are sent once; those more than ``max_lateness`` (2 hours) late
are folded into one per collaboration and kind (:func:`bot.schedule.collapse_late`).
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.calendar import WorkingCalendar
from bot.domain import ChannelRef
from bot.map import ModelMap
from bot.ports import Clock
from bot.schedule import Nudge, NudgeKind, collapse_late, due_nudges
from engine import metrics
from engine.ports import Collaborations, Leader, Outbox


@dataclass
class NudgeClock:
    """Enqueues the nudges that fell due since its last tick, while it leads."""

    outbox: Outbox
    collaborations: Collaborations
    leader: Leader
    calendar: WorkingCalendar
    clock: Clock
    model: ModelMap
    max_lateness: timedelta = timedelta(hours=2)
    # On the first tick (and after a restart) look back this far; the outbox drops repeats.
    catch_up: timedelta = timedelta(days=7)
    last_tick: datetime | None = None

    def tick(self) -> int:
        """Enqueue what is due in ``(last tick, now]``; returns how many rows were new.

        Returns 0 without looking while another process leads. Nudges already handled are
        left out before late ones are folded, so a summary counts only what was missed and a
        process that looks back again does not summarise the same nudges twice. Blocks: run
        it in a worker thread.
        """
        started = time.monotonic()
        held = self.leader.held()
        metrics.leading(held)
        if not held:
            return 0
        now = self.clock.now()
        since = self.last_tick or now - self.catch_up
        handled = _Handled(self.outbox.recorded_keys(since))
        items: list[tuple[ChannelRef, Nudge]] = []
        for collaboration in self.collaborations.load_all():
            due = due_nudges(collaboration, now, self.calendar, since, self.model)
            new = [nudge for nudge in due if not handled(nudge)]
            for nudge in collapse_late(new, now, self.max_lateness):
                params = {**nudge.params, "language": collaboration.language}
                items.append((collaboration.channel, dataclasses.replace(nudge, params=params)))
        added = self.outbox.enqueue(items, now)
        self.last_tick = now
        metrics.ticked(time.monotonic() - started, added)
        return added


class _Handled:
    """Whether a nudge is already taken care of by the outbox's rows: written itself, or, for
    a nudge of one instant, older than a row of its collaboration and kind — the clock writes
    them in order, so an older one was folded into a summary (or belongs to an earlier
    schedule)."""

    INSTANT_KINDS = frozenset({NudgeKind.CHECKIN, NudgeKind.REVIEW, NudgeKind.EVALUATION})

    def __init__(self, keys: set[tuple[str, str, str]]) -> None:
        self.keys = keys
        self.latest: dict[tuple[str, str], datetime] = {}
        for collaboration_id, kind, slot in keys:
            if kind in self.INSTANT_KINDS:
                at = datetime.fromisoformat(slot)
                previous = self.latest.get((collaboration_id, kind), at)
                self.latest[(collaboration_id, kind)] = max(at, previous)

    def __call__(self, nudge: Nudge) -> bool:
        if nudge.key in self.keys:
            return True
        if nudge.kind not in self.INSTANT_KINDS:
            return False
        latest = self.latest.get((nudge.collaboration_id, nudge.kind.value))
        return latest is not None and nudge.due_at <= latest
