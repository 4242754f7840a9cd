"""Everything the core refuses, under one base. Each error is turned into a kind reply."""

from __future__ import annotations


class SamverkanError(Exception):
    """Base of every error the core raises on purpose."""


class EmptyTextError(SamverkanError, ValueError):
    """An answer, decision or name was empty or only whitespace."""


class TextTooLongError(SamverkanError, ValueError):
    def __init__(self, length: int, limit: int) -> None:
        super().__init__(f"text of {length} characters exceeds {limit}")
        self.length = length
        self.limit = limit


class NoCollaborationError(SamverkanError, LookupError):
    """The channel has no collaboration yet."""


class AlreadyStartedError(SamverkanError):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class UnknownStepError(SamverkanError, LookupError):
    def __init__(self, given: str, suggestions: list[str]) -> None:
        super().__init__(given)
        self.given = given
        self.suggestions = suggestions


class UnknownQuestionError(SamverkanError, LookupError):
    def __init__(self, given: str) -> None:
        super().__init__(given)
        self.given = given


class UnknownPersonError(SamverkanError, LookupError):
    def __init__(self, given: str) -> None:
        super().__init__(given)
        self.given = given


class UnknownDecisionError(SamverkanError, LookupError):
    def __init__(self, number: int) -> None:
        super().__init__(str(number))
        self.number = number


class NotCoordinatorError(SamverkanError, PermissionError):
    def __init__(self, coordinators: list[str]) -> None:
        super().__init__(", ".join(coordinators))
        self.coordinators = coordinators


class StepLockedError(SamverkanError):
    """A step of a later phase was chosen while an earlier phase still has open steps."""

    def __init__(self, step_id: str, open_steps: list[str]) -> None:
        super().__init__(step_id)
        self.step_id = step_id
        self.open_steps = open_steps


class NoFocusStepError(SamverkanError):
    """A command needs a focus step and there is none."""


class UsageError(SamverkanError, ValueError):
    """A command was given without what it needs; ``usage_key`` names the help text."""

    def __init__(self, usage_key: str, unknown: str | None = None) -> None:
        super().__init__(usage_key)
        self.usage_key = usage_key
        self.unknown = unknown


class UnknownCommandError(SamverkanError, LookupError):
    def __init__(self, given: str, suggestions: list[str]) -> None:
        super().__init__(given)
        self.given = given
        self.suggestions = suggestions


class InvitationNotUsableError(SamverkanError, LookupError):
    """An invitation code that is unknown here, expired or already used; ``reason`` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class LastCoordinatorError(SamverkanError):
    """The only coordinator would leave, be removed or stop coordinating: someone must
    coordinate, so another is named first."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class NotJoinedError(SamverkanError):
    """Something only a member who has said whom they represent may do."""


class PastDateError(SamverkanError, ValueError):
    """A date that must lie ahead lies in the past."""

    def __init__(self, given: str, today: str) -> None:
        super().__init__(given)
        self.given = given
        self.today = today
