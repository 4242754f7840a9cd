"""The nudge clock: every tick it asks the core which nudges fell due and puts them in the
outbox.

*What* is due is decided by :func:`bot.schedule.due_nudges`, *when to ask* by each
collaboration's bookmark (:mod:`bot.nudge_plan`): a tick reads only the collaborations whose
``next_nudge_at`` has come, by an index, so an idle minute costs one query however many
collaborations there are. For each it asks what fell due since its ``nudged_until``, and
writes the nudges with the new bookmark in one transaction, a batch of collaborations at a
time; the outbox's unique key writes each nudge once. Only the leader
(:class:`engine.ports.Leader`) ticks; on SQLite there is one process, always leading.

After downtime the collaborations whose next nudge fell due meanwhile are due, by the same
index: nudges not in the outbox yet are sent once (a process's first tick looks back at most
``catch_up``, 7 days);
those more than ``max_lateness`` (2 hours) late are folded into one per collaboration and kind
(:func:`bot.schedule.collapse_late`).
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.calendar import WorkingCalendar
from bot.domain import ChannelRef, Collaboration
from bot.map import ModelMap
from bot.nudge_plan import nudged
from bot.ports import Clock
from bot.schedule import Nudge, NudgeKind, collapse_late, due_nudges
from engine import metrics
from engine.ports import Collaborations, DueCollaborations, Leader


@dataclass
class NudgeClock:
    """Enqueues the nudges that fell due, while it leads."""

    collaborations: Collaborations
    leader: Leader
    calendar: WorkingCalendar
    clock: Clock
    model: ModelMap
    max_lateness: timedelta = timedelta(hours=2)
    # A collaboration not looked at yet (or after long downtime) is looked back at this far;
    # the outbox drops repeats.
    catch_up: timedelta = timedelta(days=7)
    # Collaborations handled in one transaction.
    batch: int = 500
    last_tick: datetime | None = None

    def tick(self) -> int:
        """Enqueue what is due by now; returns how many rows were new.

        Returns 0 without looking while another process leads. Blocks: run it in a worker
        thread.
        """
        started = time.monotonic()
        held = self.leader.held()
        metrics.leading(held)
        if not held:
            return 0
        now = self.clock.now()
        added = 0
        while True:
            with self.collaborations.due(now, self.batch) as due:
                added += due.commit(self._nudges(due, now), now)
            if len(due.collaborations) < self.batch:
                break
        self.last_tick = now
        metrics.ticked(time.monotonic() - started, added)
        return added

    def _nudges(self, due: DueCollaborations, now: datetime) -> list[tuple[ChannelRef, Nudge]]:
        """What ``due`` owe their channels by ``now``, and each one's bookmark moved to it.

        Nudges already handled are left out before late ones are folded, so a summary counts
        only what was missed and a collaboration looked back at again does not summarise the
        same nudges twice.
        """
        windows = {c.id: self._since(c, now) for c in due.collaborations}
        handled = _Handled(due.recorded_keys(min(windows.values(), default=now)))
        items: list[tuple[ChannelRef, Nudge]] = []
        for collaboration in due.collaborations:
            since = windows[collaboration.id]
            found = due_nudges(collaboration, now, self.calendar, since, self.model)
            new = [nudge for nudge in found if not handled(nudge)]
            for nudge in collapse_late(new, now, self.max_lateness):
                params = {**nudge.params, "language": collaboration.language}
                items.append((collaboration.channel, dataclasses.replace(nudge, params=params)))
            nudged(collaboration, now, self.calendar)
        return items

    def _since(self, collaboration: Collaboration, now: datetime) -> datetime:
        """Where to look from: the collaboration's bookmark, else this clock's last tick; on
        this process's first tick (after a restart) at most ``catch_up`` back."""
        since = collaboration.nudged_until or self.last_tick or now - self.catch_up
        return max(since, now - self.catch_up) if self.last_tick is None else since


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
