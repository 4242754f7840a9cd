"""The collaboration aggregate: who takes part, where the process stands, what was said and decided.

Plain dataclasses with behaviour; storage maps them to tables and adapters never see them.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from bot.cadence import Cadence
from bot.errors import EmptyTextError, TextTooLongError

MAX_TEXT_LENGTH = 40_000


def new_id() -> str:
    return uuid.uuid4().hex


class Role(StrEnum):
    COORDINATOR = "coordinator"
    PARTNER = "partner"


class Sector(StrEnum):
    PUBLIC = "public"
    CIVIL_SOCIETY = "civil_society"
    TARGET_GROUP = "target_group"
    OTHER = "other"


class StepStatus(StrEnum):
    NOT_STARTED = "not_started"
    ACTIVE = "active"
    DONE = "done"
    SKIPPED = "skipped"

    @property
    def finished(self) -> bool:
        return self in (StepStatus.DONE, StepStatus.SKIPPED)


@dataclass(frozen=True)
class ChannelRef:
    """Where a collaboration lives: one channel of one workspace on one platform."""

    platform: str
    workspace: str
    channel: str

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.workspace}:{self.channel}"


@dataclass(frozen=True)
class Person:
    """Someone who wrote in a channel, as the platform names them."""

    user_id: str
    display_name: str


@dataclass
class Member:
    user_id: str
    display_name: str
    role: Role = Role.PARTNER
    organisation: str | None = None
    sector: Sector | None = None
    joined_at: datetime | None = None
    paused_until: date | None = None

    @property
    def is_coordinator(self) -> bool:
        return self.role is Role.COORDINATOR


@dataclass
class StepState:
    step_id: str
    status: StepStatus = StepStatus.NOT_STARTED
    changed_at: datetime | None = None
    changed_by: str | None = None


@dataclass(frozen=True)
class AnswerVersion:
    """An earlier wording of an answer, kept when the answer is edited."""

    text: str
    at: datetime


@dataclass
class Answer:
    id: str
    question_id: str
    step_id: str
    author_id: str
    author_name: str
    organisation: str | None
    text: str
    created_at: datetime
    updated_at: datetime
    cycle: int = 1
    source_ref: str | None = None
    history: list[AnswerVersion] = field(default_factory=list)

    def revise(self, text: str, at: datetime) -> None:
        self.history.append(AnswerVersion(self.text, self.updated_at))
        self.text = text
        self.updated_at = at


@dataclass
class Decision:
    id: str
    number: int
    text: str
    author_id: str
    author_name: str
    created_at: datetime
    step_id: str | None = None
    review_on: date | None = None
    confirmed_by: str | None = None
    confirmed_at: datetime | None = None

    @property
    def confirmed(self) -> bool:
        return self.confirmed_by is not None


@dataclass
class RoleAssignment:
    """A named responsibility ("kontaktperson", "sammankallande") held by a member."""

    user_id: str
    title: str
    assigned_by: str
    assigned_at: datetime


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor_id: str
    action: str
    detail: str = ""


@dataclass(frozen=True)
class PostedCard:
    """A question card the bot posted; a reply to it (thread, reply-to) answers its question."""

    message_ref: str
    question_id: str
    posted_at: datetime


def validate_text(text: str) -> str:
    """Return the text stripped; raise if it is empty or longer than :data:`MAX_TEXT_LENGTH`."""
    stripped = text.strip()
    if not stripped:
        raise EmptyTextError()
    if len(stripped) > MAX_TEXT_LENGTH:
        raise TextTooLongError(len(stripped), MAX_TEXT_LENGTH)
    return stripped


@dataclass
class Collaboration:
    id: str
    channel: ChannelRef
    name: str
    language: str
    timezone: str
    created_at: datetime
    created_by: str
    cycle: int = 1
    focus_step_id: str | None = None
    last_question_id: str | None = None
    members: dict[str, Member] = field(default_factory=dict)
    steps: dict[str, StepState] = field(default_factory=dict)
    answers: list[Answer] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    roles: list[RoleAssignment] = field(default_factory=list)
    # The audit trail is only ever appended to: ``audit`` holds the entries recorded since the
    # aggregate was loaded (a repository may leave the stored ones out), and ``recorded_before``
    # the latest time of each action stored before that.
    audit: list[AuditEntry] = field(default_factory=list)
    recorded_before: dict[str, datetime] = field(default_factory=dict)
    cards: list[PostedCard] = field(default_factory=list)
    checkin: Cadence | None = None
    evaluation_on: date | None = None
    reminders_paused: bool = False
    # Reminders to organisations that have not answered the current question round, and after
    # how many working days they go out (a note to the coordinators follows after twice that).
    nonresponder_reminders: bool = True
    nonresponder_days: int = 3
    # July as a month without working days for this collaboration's nudges, as many
    # associations rest then.
    quiet_july: bool = False

    # -- people -------------------------------------------------------------------------------
    def member(self, person: Person, now: datetime) -> Member:
        """The member record of ``person``, created as a partner on first contact."""
        found = self.members.get(person.user_id)
        if found is None:
            found = Member(person.user_id, person.display_name, joined_at=now)
            self.members[person.user_id] = found
        elif person.display_name and found.display_name != person.display_name:
            found.display_name = person.display_name
        return found

    @property
    def coordinators(self) -> list[Member]:
        return [m for m in self.members.values() if m.is_coordinator]

    def record(self, now: datetime, actor: str, action: str, detail: str = "") -> None:
        self.audit.append(AuditEntry(now, actor, action, detail))

    def last_recorded(self, actions: Collection[str]) -> datetime | None:
        """When any of ``actions`` was last recorded, or ``None`` if never."""
        times = [e.at for e in self.audit if e.action in actions]
        times += [at for action, at in self.recorded_before.items() if action in actions]
        return max(times, default=None)

    # -- steps --------------------------------------------------------------------------------
    def step_state(self, step_id: str) -> StepState:
        state = self.steps.get(step_id)
        if state is None:
            state = self.steps[step_id] = StepState(step_id)
        return state

    def set_step_status(self, step_id: str, status: StepStatus, actor: str, now: datetime) -> None:
        state = self.step_state(step_id)
        if state.status is status:
            return
        before = state.status
        state.status, state.changed_at, state.changed_by = status, now, actor
        self.record(now, actor, "step_status", f"{step_id}: {before.value} -> {status.value}")

    def focus(self, step_id: str, actor: str, now: datetime) -> None:
        if self.focus_step_id != step_id:
            self.focus_step_id = step_id
            self.record(now, actor, "focus", step_id)
        if self.step_state(step_id).status is not StepStatus.ACTIVE:
            self.set_step_status(step_id, StepStatus.ACTIVE, actor, now)

    # -- answers ------------------------------------------------------------------------------
    def answers_to(self, question_id: str, cycle: int | None = None) -> list[Answer]:
        wanted = self.cycle if cycle is None else cycle
        return [a for a in self.answers if a.question_id == question_id and a.cycle == wanted]

    def answer_by_source(self, source_ref: str) -> Answer | None:
        return next((a for a in self.answers if a.source_ref == source_ref), None)

    def card_question(self, message_ref: str) -> str | None:
        return next((c.question_id for c in self.cards if c.message_ref == message_ref), None)

    # -- decisions ----------------------------------------------------------------------------
    def next_decision_number(self) -> int:
        return max((d.number for d in self.decisions), default=0) + 1

    def decision(self, number: int) -> Decision | None:
        return next((d for d in self.decisions if d.number == number), None)
