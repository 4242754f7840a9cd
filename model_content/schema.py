"""The schema every data file under ``model_content/data`` must satisfy.

Every text a person reads is a :class:`Localized` with both Swedish (the model's own words) and
English, so a missing translation fails at load time rather than in front of a user.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Language = Literal["sv", "en"]
LANGUAGES: tuple[Language, ...] = ("sv", "en")

_SLUG = r"^[a-z][a-z0-9_]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Localized(_Strict):
    """One text in every supported language."""

    sv: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, language: Language) -> str:
        return self.sv if language == "sv" else self.en

    @field_validator("sv", "en")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text is blank")
        return value.strip()


class Question(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_.]*$")
    text: Localized


class QuestionGroup(_Strict):
    heading: Localized | None = None
    questions: tuple[Question, ...] = Field(min_length=1)


class Method(_Strict):
    """A "Kom vidare" entry: a method or resource, with its links."""

    title: Localized
    text: Localized
    links: tuple[str, ...] = ()

    @field_validator("links")
    @classmethod
    def _links_are_urls(cls, links: tuple[str, ...]) -> tuple[str, ...]:
        for link in links:
            if not re.match(r"^https?://\S+$", link):
                raise ValueError(f"not a link: {link!r}")
        return links


class PrincipleNote(_Strict):
    """A "Ta stöd i principerna" note: how one principle applies in a phase."""

    principle: str = Field(pattern=_SLUG)
    text: Localized


class Step(_Strict):
    id: str = Field(pattern=_SLUG)
    title: Localized
    key_question: Localized
    aliases: tuple[str, ...] = ()
    intro: Localized
    question_groups: tuple[QuestionGroup, ...] = ()
    tips: tuple[Localized, ...] = ()
    methods: tuple[Method, ...] = ()

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for group in self.question_groups for q in group.questions)


class Phase(_Strict):
    """A phase of the model; the preconditions are a pseudo-phase worked on any time."""

    id: str = Field(pattern=_SLUG)
    order: int = Field(ge=0, le=3)
    title: Localized
    key_question: Localized | None = None
    intro: Localized
    is_preconditions: bool = False
    question_groups: tuple[QuestionGroup, ...] = ()
    tips: tuple[Localized, ...] = ()
    methods: tuple[Method, ...] = ()
    principle_notes: tuple[PrincipleNote, ...] = ()
    steps: tuple[Step, ...] = Field(min_length=1)

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for group in self.question_groups for q in group.questions)


class Principle(_Strict):
    id: str = Field(pattern=_SLUG)
    title: Localized
    description: Localized


class Participation(_Strict):
    """One of Koden's levels of participation (information, samråd, dialog, partnerskap)."""

    id: str = Field(pattern=_SLUG)
    title: Localized
    description: Localized


class Model(_Strict):
    source: Localized
    phases: tuple[Phase, ...]
    principles: tuple[Principle, ...] = Field(min_length=6, max_length=6)
    participation: tuple[Participation, ...] = Field(min_length=4, max_length=4)

    @model_validator(mode="after")
    def _consistent(self) -> Model:
        orders = [p.order for p in self.phases]
        if sorted(orders) != [0, 1, 2, 3]:
            raise ValueError(f"phases must have orders 0..3, got {orders}")
        _unique("step id", [s.id for p in self.phases for s in p.steps])
        question_ids = [q.id for p in self.phases for q in p.questions]
        question_ids += [q.id for p in self.phases for s in p.steps for q in s.questions]
        _unique("question id", question_ids)
        known = {p.id for p in self.principles}
        for phase in self.phases:
            for note in phase.principle_notes:
                if note.principle not in known:
                    raise ValueError(f"phase {phase.id}: unknown principle {note.principle!r}")
        return self


def _unique(what: str, values: list[str]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"duplicate {what}: {value!r}")
        seen.add(value)
