"""The words for every refusal: what went wrong, and what the person can do instead."""

from __future__ import annotations

from collections.abc import Callable

from bot import errors as e
from bot.parser import command_word
from bot.texts import text


def refusal_lines(
    error: e.SamverkanError | None,
    language: str,
    step_title: Callable[[str], str] = str,
) -> tuple[str, ...]:
    """The refusal's lines in ``language``; ``step_title`` names a step by its id, so that no
    id of the model ever reaches the person."""

    def t(key: str, /, **fields: object) -> str:
        return text(key, language, **fields)

    def options(values: list[str]) -> str:
        return ", ".join(f"`{v}`" for v in values)

    def steps(ids: list[str]) -> str:
        return ", ".join(
            f"”{step_title(i)}”" if language == "sv" else f"“{step_title(i)}”" for i in ids
        )

    match error:
        case e.UnknownCommandError(given=given, suggestions=suggestions):
            lines = [t("unknown_command", given=given[:80])]
            if suggestions:
                words = [command_word(name, language) for name in suggestions]
                lines.append(t("did_you_mean", options=options(words)))
            return (*lines, t("help_hint"))
        case e.UnknownStepError(given=given, suggestions=suggestions):
            lines = [t("unknown_step", given=given[:80])]
            if suggestions:
                lines.append(t("did_you_mean", options=steps(suggestions)))
            return (*lines, t("steps_hint"))
        case e.NotCoordinatorError(coordinators=names):
            return (t("not_coordinator", names=", ".join(names) or "–"),)
        case e.StepLockedError(step_id=step_id, open_steps=open_steps):
            return (t("step_locked", step=step_title(step_id), open=steps(open_steps)),)
        case e.TextTooLongError(length=length, limit=limit):
            return (t("text_too_long", length=length, limit=limit),)
        case e.UsageError(usage_key=key, unknown=unknown) if key == "no_question_asked":
            return (t("no_question_asked"),)
        case e.UsageError(usage_key=key, unknown=unknown):
            return (t(f"usage_{key}", unknown=unknown or ""),)
        case e.AlreadyStartedError(name=name):
            return (t("already_started", name=name),)
        case e.UnknownQuestionError(given=given):
            return (t("unknown_question", given=given[:80]),)
        case e.UnknownPersonError(given=given):
            return (t("unknown_person", given=given[:80]),)
        case e.UnknownDecisionError(number=number):
            return (t("unknown_decision", number=number),)
        case e.InvitationNotUsableError(reason=reason):
            return (t(f"invitation_{reason}"),)
        case e.EmptyTextError():
            return (t("empty_text"),)
        case e.NoCollaborationError():
            return (t("no_collaboration"),)
        case e.NoFocusStepError():
            return (t("no_focus"),)
        case e.LastCoordinatorError(name=name):
            return (t("last_coordinator", name=name),)
        case e.NotJoinedError():
            return (t("not_joined_yet"),)
        case e.PastDateError(given=given, today=today):
            return (t("past_date", given=given, today=today),)
    return (t("internal_error"),)
