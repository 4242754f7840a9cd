"""The orders a person can give the bot. The parser turns text into one of these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.domain import Sector


@dataclass(frozen=True)
class StartCollaboration:
    name: str


@dataclass(frozen=True)
class ShowNext:
    pass


@dataclass(frozen=True)
class ShowStatus:
    pass


@dataclass(frozen=True)
class AskQuestion:
    question: str | None = None  # a number within the focus step or a question id


@dataclass(frozen=True)
class SubmitAnswer:
    text: str
    question: str | None = None  # None: the question asked last
    source_ref: str | None = None


@dataclass(frozen=True)
class ReviseAnswer:
    source_ref: str
    text: str


@dataclass(frozen=True)
class Summarize:
    step: str | None = None


@dataclass(frozen=True)
class FocusStep:
    step: str


@dataclass(frozen=True)
class CompleteStep:
    pass


@dataclass(frozen=True)
class SkipStep:
    pass


@dataclass(frozen=True)
class RecordDecision:
    text: str
    review_on: date | None = None


@dataclass(frozen=True)
class ConfirmDecision:
    number: int


@dataclass(frozen=True)
class AssignRole:
    person: str
    title: str


@dataclass(frozen=True)
class JoinOrganisation:
    organisation: str
    sector: Sector


@dataclass(frozen=True)
class InviteRepresentative:
    organisation: str
    sector: Sector | None = None


@dataclass(frozen=True)
class RedeemInvitation:
    code: str


@dataclass(frozen=True)
class ShowWelcome:
    """The greeting of a private chat with the bot: what it is and how to be invited."""


@dataclass(frozen=True)
class ShowTips:
    step: str | None = None


@dataclass(frozen=True)
class ShowMethods:
    step: str | None = None


@dataclass(frozen=True)
class ShowPrinciples:
    pass


@dataclass(frozen=True)
class ShowHelp:
    pass


@dataclass(frozen=True)
class ExportRecord:
    """The record as files: ``pdf`` and/or ``md``, in that order."""

    formats: tuple[str, ...] = ("pdf", "md")


@dataclass(frozen=True)
class ShowBalance:
    """Who is being heard: answers by sector and organisation."""


@dataclass(frozen=True)
class ShowMap:
    """The model's map as a picture."""


@dataclass(frozen=True)
class SetCaseNumber:
    """The registry's case number (diarienummer) for the record; empty removes it."""

    number: str


@dataclass(frozen=True)
class SetLanguage:
    language: str


@dataclass(frozen=True)
class RestartCycle:
    pass


@dataclass(frozen=True)
class SetCheckin:
    """Hold a check-in on a weekly cadence; ``text`` is read in the collaboration's time zone."""

    text: str


@dataclass(frozen=True)
class SetEvaluation:
    on: date


@dataclass(frozen=True)
class ShowReminders:
    pass


@dataclass(frozen=True)
class PauseReminders:
    paused: bool


@dataclass(frozen=True)
class SetQuietJuly:
    """Rest in July (no check-ins or reminders, no working days counted) or not."""

    quiet: bool


@dataclass(frozen=True)
class SetNonresponderReminders:
    """Turn the reminders to organisations that have not answered on or off, or (``days``) set
    after how many working days they go out; ``None`` leaves a setting as it is."""

    enabled: bool | None = None
    days: int | None = None


@dataclass(frozen=True)
class PauseMember:
    until: date


Command = (
    StartCollaboration
    | ShowNext
    | ShowStatus
    | AskQuestion
    | SubmitAnswer
    | ReviseAnswer
    | Summarize
    | FocusStep
    | CompleteStep
    | SkipStep
    | RecordDecision
    | ConfirmDecision
    | AssignRole
    | JoinOrganisation
    | InviteRepresentative
    | RedeemInvitation
    | ShowWelcome
    | ShowTips
    | ShowMethods
    | ShowPrinciples
    | ShowHelp
    | ExportRecord
    | ShowMap
    | ShowBalance
    | SetCaseNumber
    | SetLanguage
    | RestartCycle
    | SetCheckin
    | SetEvaluation
    | ShowReminders
    | PauseReminders
    | SetNonresponderReminders
    | SetQuietJuly
    | PauseMember
)

# Orders that change the process; only coordinators may give them.
COORDINATOR_ONLY = (
    FocusStep,
    CompleteStep,
    SkipStep,
    ConfirmDecision,
    AssignRole,
    InviteRepresentative,
    SetLanguage,
    SetCaseNumber,
    RestartCycle,
    SetCheckin,
    SetEvaluation,
    PauseReminders,
    SetNonresponderReminders,
    SetQuietJuly,
)
