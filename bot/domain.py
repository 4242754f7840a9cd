"""The collaboration aggregate: who takes part, where the process stands, what was said and decided.

Plain dataclasses with behaviour; storage maps them to tables and adapters never see them.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import NamedTuple, Protocol, overload

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
    # Withdrawn by its author: kept for the record (the export shows it), counted nowhere else.
    withdrawn_at: datetime | None = None

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def withdraw(self, at: datetime) -> None:
        self.withdrawn_at = at

    def revise(self, text: str, at: datetime) -> None:
        self.history.append(AnswerVersion(self.text, self.updated_at))
        self.text = text
        self.updated_at = at


class AnswerSource(Protocol):
    """Where the stored answers of one collaboration are read from, on demand (a repository's).
    Each method returns answers in the order they were given."""

    def all(self) -> list[Answer]: ...

    def matching(self, question_id: str | None, cycle: int | None) -> list[Answer]:
        """The answers to ``question_id`` in ``cycle``; ``None`` leaves that condition out."""
        ...

    def by_source(self, source_ref: str) -> Answer | None:
        """The answer recorded from the message ``source_ref``."""
        ...


class Answers(Sequence[Answer]):
    """The answers of a collaboration, in the order they were given.

    Without a source, all of them are in memory. With one, a stored answer is read only when it
    is asked for: all of them when the sequence is used as a whole, else those of one question
    or cycle, or the one a message gave. Recording or editing one answer thus reads none of the
    others, however many there are. A stored answer is one object however it was reached, so a
    change made through any path is the one that is saved.
    """

    def __init__(self, answers: Iterable[Answer] = (), source: AnswerSource | None = None) -> None:
        self._source = source
        self._all: list[Answer] | None = None if source else list(answers)
        self._new: list[Answer] = list(answers) if source else []  # given since reading
        self._read: dict[str, Answer] = {}  # stored answers read so far, by id
        self._matched: dict[tuple[str | None, int | None], list[Answer]] = {}

    def append(self, answer: Answer) -> None:
        (self._new if self._all is None else self._all).append(answer)

    def to(self, question_id: str, cycle: int) -> list[Answer]:
        """The answers to ``question_id`` in ``cycle`` that stand (none withdrawn)."""
        return [a for a in self._where(question_id, cycle) if not a.withdrawn]

    def in_cycle(self, cycle: int) -> list[Answer]:
        """The answers of ``cycle`` that stand (none withdrawn)."""
        return [a for a in self._where(None, cycle) if not a.withdrawn]

    def by_source(self, source_ref: str) -> Answer | None:
        if self._all is not None:
            return next((a for a in self._all if a.source_ref == source_ref), None)
        known = [*self._read.values(), *self._new]
        found = next((a for a in known if a.source_ref == source_ref), None)
        if found is None and self._source is not None:
            stored = self._source.by_source(source_ref)
            found = None if stored is None else self._adopt(stored)
        return found

    def touched(self) -> list[Answer]:
        """The answers that may differ from the stored ones, for a repository to save: every
        answer once all were read, else those read so far and then those given since, the
        latter in the order they were given."""
        if self._all is not None:
            return list(self._all)
        return [*self._read.values(), *self._new]

    def _where(self, question_id: str | None, cycle: int | None) -> list[Answer]:
        def wanted(answer: Answer) -> bool:
            return (question_id is None or answer.question_id == question_id) and (
                cycle is None or answer.cycle == cycle
            )

        if self._all is not None:
            return [a for a in self._all if wanted(a)]
        key = (question_id, cycle)
        if key not in self._matched and self._source is not None:
            stored = self._source.matching(question_id, cycle)
            self._matched[key] = [self._adopt(a) for a in stored]
        return self._with_new(self._matched.get(key, []), wanted)

    def _everything(self) -> list[Answer]:
        if self._all is None:
            stored = self._source.all() if self._source is not None else []
            self._all = self._with_new([self._adopt(a) for a in stored], lambda a: True)
            self._new = []
        return self._all

    def _with_new(self, stored: list[Answer], wanted: Callable[[Answer], bool]) -> list[Answer]:
        # An answer given since reading may be stored already (saved, not yet committed).
        ids = {a.id for a in stored}
        return stored + [a for a in self._new if wanted(a) and a.id not in ids]

    def _adopt(self, answer: Answer) -> Answer:
        given = next((a for a in self._new if a.id == answer.id), None)
        return given or self._read.setdefault(answer.id, answer)

    @overload
    def __getitem__(self, index: int) -> Answer: ...

    @overload
    def __getitem__(self, index: slice) -> list[Answer]: ...

    def __getitem__(self, index: int | slice) -> Answer | list[Answer]:
        return self._everything()[index]

    def __len__(self) -> int:
        return len(self._everything())

    def __iter__(self) -> Iterator[Answer]:
        return iter(self._everything())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Answers | list):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __deepcopy__(self, memo: dict[int, object]) -> Answers:
        """A copy holds every answer in memory, with no source: it outlives the original's."""
        return Answers(copy.deepcopy(list(self), memo))

    def __repr__(self) -> str:
        if self._all is None:
            return f"Answers(<{len(self._read)} read>, new={self._new!r})"
        return f"Answers({self._all!r})"


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
    # Withdrawn by its author or a coordinator: kept for the record, with the reason given.
    withdrawn_at: datetime | None = None
    withdrawn_reason: str | None = None

    @property
    def confirmed(self) -> bool:
        return self.confirmed_by is not None

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


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
class SentNudge:
    """A check-in or reminder that went out to the collaboration's channel."""

    kind: str  # a NudgeKind's value: "checkin", "review", "evaluation", …
    sent_at: datetime


@dataclass(frozen=True)
class PostedCard:
    """A question card the bot posted; a reply to it (thread, reply-to) answers its question."""

    message_ref: str
    question_id: str
    posted_at: datetime


class MessageKey(NamedTuple):
    """Whose messages were counted, in which round and which step ("" when none was in focus)."""

    cycle: int
    step_id: str
    user_id: str


def validate_text(text: str, limit: int = MAX_TEXT_LENGTH) -> str:
    """Return the text stripped; raise if it is empty or longer than ``limit``: a text is
    stored whole or refused, never cut."""
    stripped = text.strip()
    if not stripped:
        raise EmptyTextError()
    if len(stripped) > limit:
        raise TextTooLongError(len(stripped), limit)
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
    answers: Answers = field(default_factory=Answers)
    decisions: list[Decision] = field(default_factory=list)
    roles: list[RoleAssignment] = field(default_factory=list)
    # The audit trail is only ever appended to: ``audit`` holds the entries recorded since the
    # aggregate was loaded (a repository may leave the stored ones out), and ``recorded_before``
    # the latest time of each action stored before that.
    audit: list[AuditEntry] = field(default_factory=list)
    recorded_before: Mapping[str, datetime] = field(default_factory=dict)
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
    # The registry's case number (diarienummer) the record is filed under, if any.
    case_number: str | None = None
    # Whether the answers of someone who asks to be forgotten stay, as the organisation's
    # record, under a pseudonym (else their text goes too). Members are told when they join.
    keep_answers: bool = False
    # The nudge clock's bookmark (see :func:`bot.schedule.plan_nudges`): every nudge due by
    # ``nudged_until`` is in the outbox, and none falls due before ``next_nudge_at``. ``None``:
    # not planned yet, so the clock looks at once (back as far as it catches up).
    nudged_until: datetime | None = None
    next_nudge_at: datetime | None = None
    # Messages written in the channel that were neither answers nor orders to the bot, counted
    # by round, the step in focus when each was written ("" before any) and author. Their text
    # is never kept: `balans` needs only who is heard, and how often.
    message_counts: dict[MessageKey, int] = field(default_factory=dict)
    # When a message in the channel was last handled: a collaboration untouched for the
    # retention period is announced to its coordinators and then deleted (engine.retention).
    active_at: datetime | None = None

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

    def count_message(self, user_id: str) -> None:
        """One more message from ``user_id`` in this round and the step now in focus."""
        key = MessageKey(self.cycle, self.focus_step_id or "", user_id)
        self.message_counts[key] = self.message_counts.get(key, 0) + 1

    def record(self, now: datetime, actor: str, action: str, detail: str = "") -> None:
        self.audit.append(AuditEntry(now, actor, action, detail))

    def last_recorded(self, actions: Collection[str]) -> datetime | None:
        """When any of ``actions`` was last recorded, or ``None`` if never."""
        times = [e.at for e in self.audit if e.action in actions]
        times += [at for action in actions if (at := self.recorded_before.get(action)) is not None]
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
        return self.answers.to(question_id, wanted)

    def answer_by_source(self, source_ref: str) -> Answer | None:
        return self.answers.by_source(source_ref)

    def card_question(self, message_ref: str) -> str | None:
        return next((c.question_id for c in self.cards if c.message_ref == message_ref), None)

    def card_questions(self, message_ref: str) -> list[str]:
        """Every question the message ``message_ref`` asked (a card one, a check-in several)."""
        return [c.question_id for c in self.cards if c.message_ref == message_ref]

    # -- decisions ----------------------------------------------------------------------------
    def next_decision_number(self) -> int:
        return max((d.number for d in self.decisions), default=0) + 1

    def decision(self, number: int) -> Decision | None:
        return next((d for d in self.decisions if d.number == number), None)
