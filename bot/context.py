"""What a handler gets to work with for one message."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.calendar import WeekendCalendar, WorkingCalendar
from bot.domain import Collaboration, Member, Person
from bot.errors import NoCollaborationError, NoFocusStepError, PastDateError
from bot.incoming import Incoming
from bot.map import ModelMap, QuestionPlace
from bot.parser import command_word
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

    @contextmanager
    def privately(self) -> Iterator[None]:
        """While a reply for the person alone is written: in their own language where their
        platform told it (:attr:`Incoming.language`), else the collaboration's."""
        shared = self.language
        self.language = self.incoming.language or shared
        try:
            yield
        finally:
            self.language = shared

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
        """The step named, else the focus step, else (every step finished) the last step."""
        if name:
            return self.model.find_step(name)
        if self.collab.focus_step_id is None:
            return self.model.process_phases[-1].steps[-1]
        return self.focus_step()

    @property
    def today(self) -> date:
        """Today in the collaboration's time zone (the default one without a collaboration)."""
        zone = self.collaboration.timezone if self.collaboration else self.default_timezone
        return self.now.astimezone(ZoneInfo(zone)).date()

    def not_past(self, day: date | None) -> None:
        """Raise :class:`PastDateError` for a day before today: nothing would come of it."""
        if day is not None and day < self.today:
            raise PastDateError(day.isoformat(), self.today.isoformat())

    def step_title(self, step: Step) -> str:
        return self.loc(step.title)

    def command(self, name: str, *arguments: object) -> str:
        """Command ``name`` as a person writes it in the reply's language: a button's command,
        which a person without buttons types."""
        return " ".join([command_word(name, self.language), *(str(a) for a in arguments)])

    def question_ref(self, place: QuestionPlace) -> str:
        """How a person names a question anywhere in the model: its step (or, for a question
        of a whole phase, its phase) and its number there, e.g. ``Målgrupp 2``."""
        owner = place.step.title if place.step else place.phase.title
        return f"{self.loc(owner)} {place.index}"

    def names(self, user_ids: list[str]) -> str:
        members = self.collab.members
        return ", ".join(members[u].display_name for u in user_ids if u in members)
