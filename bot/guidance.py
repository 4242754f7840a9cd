"""Deterministic guidance from state: where the process stands and what to take up next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain import Collaboration, StepStatus
from bot.map import ModelMap
from model_content import Language, Phase, Question, Step


@dataclass(frozen=True)
class Suggestion:
    """The step to take after another one, and why (a key of bot.texts)."""

    step: Step | None
    reason: str


def is_finished(collaboration: Collaboration, step_id: str) -> bool:
    state = collaboration.steps.get(step_id)
    return state is not None and state.status.finished


def current_phase(collaboration: Collaboration, model: ModelMap) -> Phase | None:
    """The earliest process phase with a step not yet done or skipped; None when all are."""
    for phase in model.process_phases:
        if any(not is_finished(collaboration, s.id) for s in phase.steps):
            return phase
    return None


def _unfinished_after(collaboration: Collaboration, phase: Phase, step_id: str) -> Step | None:
    steps = list(phase.steps)
    start = next((i for i, s in enumerate(steps) if s.id == step_id), -1)
    for step in steps[start + 1 :] + steps[: max(start, 0)]:
        if step.id != step_id and not is_finished(collaboration, step.id):
            return step
    return None


def suggest_after(collaboration: Collaboration, model: ModelMap, step_id: str) -> Suggestion:
    """The step suggested once ``step_id`` is finished."""
    phase = model.phase_of(step_id)
    sibling = _unfinished_after(collaboration, phase, step_id)
    if phase.is_preconditions:
        if sibling is not None:
            return Suggestion(sibling, "after_preconditions")
        target = current_phase(collaboration, model)
        if target is None:
            return Suggestion(None, "after_cycle")
        first = _unfinished_after(collaboration, target, "")
        return Suggestion(first, "after_next_phase")
    if sibling is not None:
        return Suggestion(sibling, "after_same_phase")
    for later in model.process_phases:
        if later.order > phase.order:
            first = _unfinished_after(collaboration, later, "")
            if first is not None:
                return Suggestion(first, "after_next_phase")
    return Suggestion(None, "after_cycle")


def open_questions(collaboration: Collaboration, step: Step) -> list[Question]:
    return open_questions_of(collaboration, step.questions)


def open_questions_of(
    collaboration: Collaboration,
    questions: tuple[Question, ...],
    answered_by: datetime | None = None,
) -> list[Question]:
    """The ``questions`` without an answer in this cycle (given by ``answered_by``, if given)."""

    def answered(question: Question) -> bool:
        answers = collaboration.answers_to(question.id)
        return any(answered_by is None or a.created_at <= answered_by for a in answers)

    return [q for q in questions if not answered(q)]


def answered_count(collaboration: Collaboration, step: Step) -> int:
    return len(step.questions) - len(open_questions(collaboration, step))


def next_open_question(
    collaboration: Collaboration, questions: tuple[Question, ...], after: str | None = None
) -> Question | None:
    """The first of ``questions`` without an answer, starting after ``after``, wrapping around."""
    start = next((i + 1 for i, q in enumerate(questions) if q.id == after), 0)
    ordered = questions[start:] + questions[:start]
    return next((q for q in ordered if not collaboration.answers_to(q.id)), None)


def tip_for(collaboration: Collaboration, step: Step) -> str | None:
    """One of the step's tips, rotating as answers come in so that advice does not repeat."""
    if not step.tips:
        return None
    index = (answered_count(collaboration, step) + collaboration.cycle - 1) % len(step.tips)
    return step.tips[index].get(_language(collaboration))


def _language(collaboration: Collaboration) -> Language:
    return "en" if collaboration.language == "en" else "sv"


def locked_by(collaboration: Collaboration, model: ModelMap, step_id: str) -> list[Step]:
    """Unfinished steps of earlier phases that keep ``step_id`` from being focused."""
    phase = model.phase_of(step_id)
    if phase.is_preconditions:
        return []
    current = current_phase(collaboration, model)
    if current is None or phase.order <= current.order:
        return []
    return [s for s in current.steps if not is_finished(collaboration, s.id)]


def status_icon(status: StepStatus) -> str:
    return {"not_started": "○", "active": "◐", "done": "●", "skipped": "–"}[status.value]
