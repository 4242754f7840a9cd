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
    """An answer. ``question`` names its question (a number in the focus step, a step and a
    number, an id); ``None`` means the question asked last.

    ``written`` is set when the start of what the person wrote only perhaps names a question
    (``svara 3 kvällar i veckan …``): it is everything they wrote after the command word, which
    is the answer if that start names no question, or if a question is open already.
    """

    text: str
    question: str | None = None
    source_ref: str | None = None
    written: str | None = None
    # The message the answer was typed in (not a reply to a card), so that editing or deleting
    # that message on the platform changes the answer; it is answered in words, not a reaction.
    message_ref: str | None = None


@dataclass(frozen=True)
class ReviseOwnAnswer:
    """Put ``text`` in place of the person's latest answer (to ``question``, if named)."""

    text: str
    question: str | None = None


@dataclass(frozen=True)
class WithdrawOwnAnswer:
    """Withdraw the person's latest answer in this round (to ``question``, if named)."""

    question: str | None = None


@dataclass(frozen=True)
class AnswerCheckin:
    """A reply to a check-in that asked several questions: one answer to each, the first
    recorded from ``source_ref``, the n-th from ``source_ref/n``."""

    text: str
    questions: tuple[str, ...]
    source_ref: str | None = None


@dataclass(frozen=True)
class CountMessage:
    """A message written in the channel that is neither an answer nor an order: counted for
    `balans` (who is heard), never kept. No one types it; the core gives it to such talk."""


@dataclass(frozen=True)
class ReviseAnswer:
    """The message ``source_ref`` was edited to ``text``: the answers it gave now say that.
    ``typed`` is the edited text read as a command, when the message was a typed answer."""

    source_ref: str
    text: str
    typed: SubmitAnswer | None = None


@dataclass(frozen=True)
class WithdrawDeletedAnswer:
    """The message ``source_ref`` was deleted on the platform: the answers it gave are
    withdrawn (kept for the record, as with ``ångra``)."""

    source_ref: str


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
class ListDecisions:
    pass


@dataclass(frozen=True)
class AmendDecision:
    """Put a new wording in place of decision ``number``: the old one stays, withdrawn."""

    number: int
    text: str


@dataclass(frozen=True)
class WithdrawDecision:
    number: int
    reason: str


@dataclass(frozen=True)
class ListRoles:
    pass


@dataclass(frozen=True)
class ListMembers:
    pass


@dataclass(frozen=True)
class LeaveCollaboration:
    confirmed: bool = False


@dataclass(frozen=True)
class RemoveMember:
    person: str
    confirmed: bool = False


@dataclass(frozen=True)
class AssignRole:
    person: str
    title: str


@dataclass(frozen=True)
class JoinOrganisation:
    organisation: str
    sector: Sector
    confirmed: bool = False  # a switch from another organisation was confirmed


@dataclass(frozen=True)
class InviteRepresentative:
    organisation: str
    sector: Sector | None = None


@dataclass(frozen=True)
class RedeemInvitation:
    code: str
    confirmed: bool = False  # a switch from another organisation was confirmed


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
    confirmed: bool = False


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


@dataclass(frozen=True)
class EndPause:
    pass


# -- the partners' data rights --------------------------------------------------------------------


@dataclass(frozen=True)
class ShowMyData:
    """Everything stored about the person in this workspace, as a file for them alone."""


@dataclass(frozen=True)
class ForgetMe:
    """Replace the person's name and id by a pseudonym in every collaboration of the workspace;
    their answers' text goes unless a collaboration keeps answers as its record."""

    confirmed: bool = False
    # The confirming button names the person who asked: anyone else who presses it is told
    # that it is not theirs (in a Telegram group every member sees it).
    asked_by: str | None = None


@dataclass(frozen=True)
class SetKeepAnswers:
    """Whether the answers of someone who asks to be forgotten stay, as the record."""

    keep: bool


Command = (
    StartCollaboration
    | ShowNext
    | ShowStatus
    | AskQuestion
    | SubmitAnswer
    | ReviseAnswer
    | WithdrawDeletedAnswer
    | AnswerCheckin
    | CountMessage
    | ReviseOwnAnswer
    | WithdrawOwnAnswer
    | Summarize
    | FocusStep
    | CompleteStep
    | SkipStep
    | RecordDecision
    | ConfirmDecision
    | ListDecisions
    | AmendDecision
    | WithdrawDecision
    | ListRoles
    | ListMembers
    | LeaveCollaboration
    | RemoveMember
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
    | EndPause
    | ShowMyData
    | ForgetMe
    | SetKeepAnswers
)

# Orders that change the process; only coordinators may give them.
COORDINATOR_ONLY = (
    FocusStep,
    CompleteStep,
    SkipStep,
    ConfirmDecision,
    AssignRole,
    RemoveMember,
    InviteRepresentative,
    SetLanguage,
    SetCaseNumber,
    RestartCycle,
    SetCheckin,
    SetEvaluation,
    PauseReminders,
    SetNonresponderReminders,
    SetQuietJuly,
    SetKeepAnswers,
)
