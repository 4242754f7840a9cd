"""What a handler gets to work with for one message."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.calendar import WeekendCalendar, WorkingCalendar
from bot.domain import Collaboration, Member, Person
from bot.errors import NoCollaborationError, NoFocusStepError
from bot.incoming import Incoming
from bot.map import ModelMap
from bot.ports import UnitOfWork
from bot.texts import text
from model_content import Language, Localized, Step


@dataclass
class Context:
    incoming: Incoming
    person: Person
    now: datetime
    model: ModelMap
    uow: UnitOfWork
    language: Language
    default_language: Language
    default_timezone: str
    collaboration: Collaboration | None = None
    member: Member | None = None
    calendar: WorkingCalendar = field(default_factory=WeekendCalendar)

    def t(self, key: str, /, **fields: object) -> str:
        return text(key, self.language, **fields)

    def loc(self, value: Localized) -> str:
        return value.get(self.language)

    @property
    def collab(self) -> Collaboration:
        """The channel's collaboration; raises :class:`NoCollaborationError` if there is none."""
        if self.collaboration is None:
            raise NoCollaborationError()
        return self.collaboration

    @property
    def actor(self) -> Member:
        if self.member is None:
            raise NoCollaborationError()
        return self.member

    def focus_step(self) -> Step:
        focus = self.collab.focus_step_id
        if focus is None:
            raise NoFocusStepError()
        return self.model.step(focus)

    def step_or_focus(self, name: str | None) -> Step:
        return self.model.find_step(name) if name else self.focus_step()

    def step_title(self, step: Step) -> str:
        return self.loc(step.title)

    def names(self, user_ids: list[str]) -> str:
        members = self.collab.members
        return ", ".join(members[u].display_name for u in user_ids if u in members)
