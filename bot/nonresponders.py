"""Who has not answered yet: the current question round and the organisations silent in it.

A *round* is what the channel was asked to answer last: a question card posted with ``fråga``, or
a check-in that asked the model's questions. An organisation has answered a card when anyone
representing it answered that question in the current cycle, and a check-in when anyone
representing it answered any question since the check-in. Reminders go to organisations, never
to persons, so nothing here returns a person's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from bot.calendar import WorkingCalendar, next_working_day
from bot.domain import Answer, Collaboration, Member

MIN_DAYS, MAX_DAYS = 1, 10


class RoundKind(StrEnum):
    CARD = "card"
    CHECKIN = "checkin"


@dataclass(frozen=True)
class Round:
    """A question round: since ``started_at`` the channel was asked to answer."""

    kind: RoundKind
    started_at: datetime
    question_id: str | None = None  # the card's question; a check-in accepts any answer

    @property
    def key(self) -> str:
        """Names the round across runs: its start (UTC, ISO 8601) and its kind."""
        return f"{self.started_at.astimezone(UTC).isoformat()}#{self.kind.value}"

    def counts(self, answer: Answer) -> bool:
        """True when ``answer`` answers this round (the cycle is checked by the caller)."""
        if self.kind is RoundKind.CARD:
            return answer.question_id == self.question_id
        return answer.created_at >= self.started_at


def current_round(
    collaboration: Collaboration, now: datetime, last_checkin: datetime | None
) -> Round | None:
    """The latest round started by ``now``: the last card posted since the focus last moved, or
    ``last_checkin`` (a check-in that asked questions), whichever is later; None without one."""
    rounds = []
    card = _current_card(collaboration, now)
    if card is not None:
        rounds.append(card)
    if last_checkin is not None and last_checkin <= now:
        rounds.append(Round(RoundKind.CHECKIN, last_checkin))
    return max(rounds, key=lambda r: r.started_at, default=None)


def _current_card(collaboration: Collaboration, now: datetime) -> Round | None:
    # A card belongs to the step in focus when it was posted: moving the focus (or starting a
    # new cycle) ends its round.
    moved = _last_audit(collaboration, {"focus", "restart"})
    cards = [
        card
        for card in collaboration.cards
        if card.posted_at <= now and (moved is None or card.posted_at >= moved)
    ]
    if not cards:
        return None
    latest = max(cards, key=lambda card: card.posted_at)
    return Round(RoundKind.CARD, latest.posted_at, latest.question_id)


def _last_audit(collaboration: Collaboration, actions: set[str]) -> datetime | None:
    return collaboration.last_recorded(actions)


def checkins_counted_since(collaboration: Collaboration) -> datetime | None:
    """Check-ins before this instant were never said (the cadence was set or changed, reminders
    were turned back on, or a new cycle began later), so they start no round."""
    return _last_audit(collaboration, {"checkin", "reminders", "restart"})


def organisation_key(name: str) -> str:
    """One organisation however its name was typed: case and spacing do not matter."""
    return " ".join(name.casefold().split())


def silent_organisations(collaboration: Collaboration, round_: Round, on: date) -> list[str]:
    """The organisations that have not answered ``round_``, as their members wrote them, sorted.

    Only organisations represented before the round started count. Members paused on ``on``
    do not count; an organisation whose every member is paused is left out.
    """
    groups: dict[str, list[Member]] = {}
    for member in collaboration.members.values():
        joined_before = member.joined_at is None or member.joined_at <= round_.started_at
        if member.organisation and joined_before:
            groups.setdefault(organisation_key(member.organisation), []).append(member)
    answered = _answered(collaboration, round_)
    silent = [
        members[0].organisation or key
        for key, members in groups.items()
        if key not in answered and any(not _paused(m, on) for m in members)
    ]
    return sorted(silent, key=organisation_key)


def _answered(collaboration: Collaboration, round_: Round) -> set[str]:
    """The keys of the organisations that answered: as recorded with the answer, and as the
    author's organisation is now (someone may have joined after answering)."""
    keys = set()
    cycle = collaboration.cycle
    if round_.question_id is not None:
        answers = collaboration.answers.to(round_.question_id, cycle)
    else:
        answers = collaboration.answers.in_cycle(cycle)
    for answer in answers:
        if not round_.counts(answer):
            continue
        author = collaboration.members.get(answer.author_id)
        for name in (answer.organisation, author.organisation if author else None):
            if name:
                keys.add(organisation_key(name))
    return keys


def _paused(member: Member, on: date) -> bool:
    return member.paused_until is not None and member.paused_until >= on


def working_days_after(day: date, count: int, calendar: WorkingCalendar) -> date:
    """The ``count``-th working day after ``day`` (``day`` itself is not counted)."""
    current = day
    for _ in range(count):
        current = next_working_day(current + timedelta(days=1), calendar)
    return current
