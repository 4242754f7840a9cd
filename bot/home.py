"""A person's own overview (Slack's App Home): the collaborations they take part in.

Read-only. Each collaboration is described in its own language; only collaborations the
person is a member of are ever listed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.document import ModelPicture
from bot.domain import ChannelRef, Collaboration, Member
from bot.map import ModelMap
from bot.picture import map_lines, picture_of
from bot.replies import Message, Section
from bot.texts import SECTOR_NAMES, pick, text
from model_content import Language, Question, Step

MAX_LISTED = 5
MAX_DECISION_CHARS = 200  # an overview: the whole text is in the channel and the export


@dataclass(frozen=True)
class HomeEntry:
    """One collaboration of the person: where it lives and what to show about it.

    ``map`` is the section of ``message`` that gives the map in text, and ``picture`` the same
    map to draw: a platform that can show the picture shows it in the section's place.
    """

    channel: ChannelRef
    message: Message
    picture: ModelPicture | None = None
    map: Section | None = None


@dataclass(frozen=True)
class Home:
    """The overview: a title, one entry per collaboration, or ``empty`` when there is none."""

    title: str
    entries: tuple[HomeEntry, ...]
    language: Language
    empty: Message | None = None

    def more(self, count: int) -> str:
        """The line that stands for ``count`` entries there was no room to show."""
        return text("home_more", self.language, count=count)


def build_home(
    collaborations: Iterable[Collaboration], user_id: str, model: ModelMap, language: Language
) -> Home:
    """The overview of ``user_id`` over ``collaborations``; those they are not in are left out."""
    entries = tuple(
        _home_entry(c, c.members[user_id], model) for c in collaborations if user_id in c.members
    )
    title = text("home_title", language)
    if entries:
        return Home(title, entries, language)
    empty = Message((Section(None, (text("home_empty", language),)),))
    return Home(title, (), language, empty)


def _home_entry(collab: Collaboration, member: Member, model: ModelMap) -> HomeEntry:
    lang: Language = "en" if collab.language == "en" else "sv"
    message, map_section = _entry(collab, member, model, lang)
    return HomeEntry(collab.channel, message, picture_of(collab, model, lang), map_section)


def _entry(
    collab: Collaboration, member: Member, model: ModelMap, lang: Language
) -> tuple[Message, Section]:
    step = model.step(collab.focus_step_id) if collab.focus_step_id else None
    if step is None:
        where = text("home_finished", lang)
    else:
        phase = model.phase_of(step.id)
        where = text("home_where", lang, phase=phase.title.get(lang), step=step.title.get(lang))
    you = text("home_you", lang, role=_role(collab, member, lang))
    sections = [Section(None, (where, you), verbatim=True)]
    map_heading = text("home_map", lang, cycle=collab.cycle)
    map_section = Section(map_heading, map_lines(collab, model, lang), verbatim=True)
    sections.append(map_section)
    questions = _unanswered(collab, member, model, step) if step else []
    if questions:
        who = member.organisation or text("home_you_short", lang)
        heading = text("home_open_questions", lang, who=who, count=len(questions))
        lines = tuple(q.text.get(lang) for q in questions[:MAX_LISTED])
        sections.append(Section(heading, lines, bullets=True, verbatim=True))
    sections += _decisions(collab, member, lang)
    if len(sections) == 2:
        sections.append(Section(None, (text("home_nothing_open", lang),)))
    return Message(tuple(sections), title=collab.name), map_section


def _role(collab: Collaboration, member: Member, lang: Language) -> str:
    parts = [text("home_coordinator" if member.is_coordinator else "home_partner", lang)]
    if member.organisation:
        sector = f" ({pick(SECTOR_NAMES, member.sector.value, lang)})" if member.sector else ""
        parts.append(member.organisation + sector)
    parts += [r.title for r in collab.roles if r.user_id == member.user_id]
    return " · ".join(parts)


def _unanswered(
    collab: Collaboration, member: Member, model: ModelMap, step: Step
) -> list[Question]:
    """The focus step's questions that nobody of the member's organisation has answered
    (the member themselves, if they have named no organisation)."""

    def theirs(question: Question) -> bool:
        for answer in collab.answers_to(question.id):
            if member.organisation and answer.organisation == member.organisation:
                return True
            if answer.author_id == member.user_id:
                return True
        return False

    return [q for q in model.questions_in_focus(step) if not theirs(q)]


def _decisions(collab: Collaboration, member: Member, lang: Language) -> list[Section]:
    waiting = [d for d in collab.decisions if not d.confirmed]
    if not waiting:
        return []
    lines = tuple(f"{d.number}. {_short(d.text)}" for d in waiting[:MAX_LISTED])
    heading = text("home_unconfirmed", lang, count=len(waiting))
    sections = [Section(heading, lines, bullets=True, verbatim=True)]
    if member.is_coordinator:
        sections.append(Section(None, (text("home_confirm_hint", lang),)))
    return sections


def _short(value: str) -> str:
    line = " ".join(value.split())
    return line if len(line) <= MAX_DECISION_CHARS else line[: MAX_DECISION_CHARS - 1] + "…"
