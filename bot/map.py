"""Look-ups over the model: which phase a step is in, the order of steps, names to ids."""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass

from bot.errors import UnknownStepError
from model_content import Model, Phase, Question, QuestionGroup, Step


def fold(text: str) -> str:
    """Lower-case, trimmed, with punctuation at the ends removed: for matching typed words."""
    return unicodedata.normalize("NFC", text).strip().strip(".,!?:;\"'").casefold()


@dataclass(frozen=True)
class QuestionPlace:
    """Where a question stands: in a step, or (``step`` None) asked for the whole phase."""

    question: Question
    group: QuestionGroup
    step: Step | None
    phase: Phase
    index: int  # 1-based within the step or the phase's own questions
    total: int

    @property
    def owner_id(self) -> str:
        return self.step.id if self.step else self.phase.id


class ModelMap:
    """The model with the indexes the core needs; built once per process."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.phases = tuple(sorted(model.phases, key=lambda p: p.order))
        self._phase_of = {s.id: p for p in self.phases for s in p.steps}
        self._steps = {s.id: s for p in self.phases for s in p.steps}
        self._questions: dict[str, QuestionPlace] = {}
        for phase in self.phases:
            self._index(phase, None, phase.question_groups)
            for step in phase.steps:
                self._index(phase, step, step.question_groups)
        self._names = self._name_index()

    def _index(self, phase: Phase, step: Step | None, groups: tuple[QuestionGroup, ...]) -> None:
        total = sum(len(g.questions) for g in groups)
        index = 0
        for group in groups:
            for question in group.questions:
                index += 1
                place = QuestionPlace(question, group, step, phase, index, total)
                self._questions[question.id] = place

    def _name_index(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for step in self._steps.values():
            for name in (step.id, step.title.sv, step.title.en, *step.aliases):
                names.setdefault(fold(name), step.id)
        return names

    @property
    def steps(self) -> tuple[Step, ...]:
        return tuple(self._steps.values())

    @property
    def process_phases(self) -> tuple[Phase, ...]:
        """The three phases of the process, without the preconditions."""
        return tuple(p for p in self.phases if not p.is_preconditions)

    @property
    def first_step(self) -> Step:
        return self.phases[0].steps[0]

    def has_step(self, step_id: str) -> bool:
        return step_id in self._steps

    def step(self, step_id: str) -> Step:
        return self._steps[step_id]

    def phase_of(self, step_id: str) -> Phase:
        return self._phase_of[step_id]

    def question(self, question_id: str) -> QuestionPlace | None:
        return self._questions.get(question_id)

    def question_at(self, owner: str, number: int) -> QuestionPlace | None:
        """Question ``number`` (1-based) of the step or phase called exactly ``owner`` (id or
        title, either language), or ``None`` when there is no such step, phase or number."""
        key = fold(owner)
        questions: tuple[Question, ...] = ()
        if key in self._names:
            questions = self._steps[self._names[key]].questions
        else:
            for phase in self.phases:
                if key in (fold(phase.id), fold(phase.title.sv), fold(phase.title.en)):
                    questions = phase.questions
        if not 1 <= number <= len(questions):
            return None
        return self._questions[questions[number - 1].id]

    def questions_in_focus(self, step: Step) -> tuple[Question, ...]:
        """The questions met while ``step`` is in focus: its own, then its phase's shared ones."""
        return step.questions + self.phase_of(step.id).questions

    def find_step(self, name: str) -> Step:
        """The step called ``name`` (id, title or alias, either language).

        Raises :class:`UnknownStepError` with the closest names as suggestions.
        """
        key = fold(name)
        if key in self._names:
            return self._steps[self._names[key]]
        prefixed = [sid for n, sid in self._names.items() if len(key) >= 3 and n.startswith(key)]
        if len(set(prefixed)) == 1:
            return self._steps[prefixed[0]]
        close = difflib.get_close_matches(key, list(self._names), n=6, cutoff=0.5)
        suggestions = list(dict.fromkeys(self._names[c] for c in close))[:3]
        if not suggestions:
            suggestions = list(dict.fromkeys(prefixed))[:3]
        raise UnknownStepError(name, suggestions)
