"""A whole collaboration in each language, every button pressed: no reply carries the other
language's command words or an internal id of the model."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest

from bot.domain import Person
from bot.map import ModelMap
from bot.parser import VOCABULARY, command_word
from bot.replies import Action, DocumentReply, Message, QuestionCard, Reply
from bot.texts import text as bot_text
from documents.markdown import render_markdown
from model_content import Language
from model_content.loader import default_model
from tests.chat import Chat, make_bot
from tests.fakes import FakeClock, FakeUnitOfWork

MODEL = ModelMap(default_model())
QUESTION_IDS = {q.id for p in MODEL.phases for q in p.questions} | {
    q.id for s in MODEL.steps for q in s.questions
}
QUESTION_ID = re.compile(r"(?<![\w/.-])[a-z_]+\.\d+(?![\w/.-])")
COMMAND_MARK = re.compile(r"`([^`]+)`")
COORDINATOR = Person("U-anna", "Anna")
PARTNER = Person("U-omar", "Omar")
NEWCOMER = Person("U-lina", "Lina")

# What each person types, in order, in each language; buttons are pressed along the way.
WALKS: dict[str, list[tuple[Person, str]]] = {
    "sv": [
        (COORDINATOR, "starta Läxhjälp i Rosengård"),
        (COORDINATOR, "gå med Malmö stad offentlig"),
        (PARTNER, "gå med Fritidsbanken civilsamhälle"),
        (PARTNER, "nästta"),
        (PARTNER, "gå till nånstans"),
        (COORDINATOR, "gå till genomför"),
        (PARTNER, "nästa"),
        (PARTNER, "fråga"),
        (PARTNER, "svara 3 kvällar i veckan har vi lokaler"),
        (PARTNER, "ändra svar 3 kvällar i veckan"),
        (PARTNER, "svara 2: Vi behöver fler ledare"),
        (PARTNER, "ta tillbaka svar"),
        (PARTNER, "beslut Vi lånar ut utrustning, följ upp 1 mars 2099"),
        (COORDINATOR, "nästa"),
        (PARTNER, "beslut Vi ses, följ upp 2020-01-01"),
        (PARTNER, "beslut Vi ses, följ upp i vår"),
        (NEWCOMER, "beslut Jag har inte gått med"),
        (COORDINATOR, "besluten"),
        (COORDINATOR, "roll @Omar kontaktperson"),
        (COORDINATOR, "roller"),
        (COORDINATOR, "parter"),
        (COORDINATOR, "bjud in Röda korset civilsamhälle"),
        (COORDINATOR, "avstämning varje lördag 10:00"),
        (COORDINATOR, "utvärdering 1 juni 2099"),
        (PARTNER, "paus till 1 januari 2099"),
        (PARTNER, "påminnelser"),
        (PARTNER, "paus slut"),
        (COORDINATOR, "påminnelser"),
        (PARTNER, "klar"),
        (COORDINATOR, "klar"),
        (COORDINATOR, "hoppa över"),
        (PARTNER, "sammanfatta"),
        (PARTNER, "tips"),
        (PARTNER, "metod"),
        (PARTNER, "princip"),
        (PARTNER, "status"),
        (PARTNER, "hjälp"),
        (PARTNER, "exportera"),
        (COORDINATOR, "roll @Anna deltagare"),
        (COORDINATOR, "lämna"),
        (PARTNER, "lämna"),
        (COORDINATOR, "ta bort @Omar"),
        (COORDINATOR, "börja om"),
        (COORDINATOR, "ändra beslut 1 Vi lånar ut utrustning varje vecka"),
        (COORDINATOR, "ta tillbaka beslut 2 behövs inte"),
        (COORDINATOR, "gå med Malmö stad offentlig"),
    ],
    "en": [
        (COORDINATOR, "start Homework help"),
        (COORDINATOR, "join Malmo city public"),
        (PARTNER, "join Leisure Bank civil society"),
        (PARTNER, "nextt"),
        (PARTNER, "goto nowhere"),
        (COORDINATOR, "goto carry out"),
        (PARTNER, "next"),
        (PARTNER, "ask"),
        (PARTNER, "answer 3 evenings a week we have rooms"),
        (PARTNER, "edit answer 3 evenings a week"),
        (PARTNER, "answer 2: We need more leaders"),
        (PARTNER, "withdraw answer"),
        (PARTNER, "decision We lend equipment, review March 1, 2099"),
        (COORDINATOR, "next"),
        (PARTNER, "decision We meet, review 2020-01-01"),
        (PARTNER, "decision We meet, review in spring"),
        (NEWCOMER, "decision I have not joined"),
        (COORDINATOR, "decisions"),
        (COORDINATOR, "role @Omar contact person"),
        (COORDINATOR, "roles"),
        (COORDINATOR, "members"),
        (COORDINATOR, "invite Red Cross civil society"),
        (COORDINATOR, "checkin every saturday 10:00"),
        (COORDINATOR, "evaluation June 1, 2099"),
        (PARTNER, "pause until 1 January 2099"),
        (PARTNER, "reminders"),
        (PARTNER, "pause end"),
        (COORDINATOR, "reminders"),
        (PARTNER, "done"),
        (COORDINATOR, "done"),
        (COORDINATOR, "skip"),
        (PARTNER, "summary"),
        (PARTNER, "tips"),
        (PARTNER, "methods"),
        (PARTNER, "principles"),
        (PARTNER, "status"),
        (PARTNER, "help"),
        (PARTNER, "export"),
        (COORDINATOR, "role @Anna participant"),
        (COORDINATOR, "leave"),
        (PARTNER, "leave"),
        (COORDINATOR, "remove @Omar"),
        (COORDINATOR, "restart"),
        (COORDINATOR, "amend decision 1 We lend equipment every week"),
        (COORDINATOR, "withdraw decision 2 not needed"),
        (COORDINATOR, "join Malmo city public"),
    ],
}


@dataclass
class Walk:
    chat: Chat
    said: list[str] = field(default_factory=list)  # every reply's text, buttons included
    commands: list[str] = field(default_factory=list)  # every command a person may type
    pressed: set[str] = field(default_factory=set)
    own_words: list[str] = field(default_factory=list)  # the bot's words, not the model's

    def say(self, who: Person, text: str) -> None:
        """``who`` types ``text``; each new button in the replies is then pressed, by the
        coordinator, who may press them all."""
        replies = self.chat.say(who, text)
        for reply in replies:
            self._note(reply)
        for action in self._buttons(replies):
            self.press(COORDINATOR, action)

    def _note(self, reply: Reply) -> None:
        self.said.append(reply.plain_text)
        if isinstance(reply, DocumentReply):
            self.said.append(render_markdown(reply.document))
        actions: tuple[Action, ...] = ()
        if isinstance(reply, Message | QuestionCard):
            actions = reply.actions
        if isinstance(reply, QuestionCard):
            self.said.append(reply.typed_hint)
            self.own_words += [reply.hint, reply.typed_hint]
        if isinstance(reply, Message):
            for section in reply.sections:
                if not section.verbatim:
                    self.own_words += [section.heading or "", *section.lines]
        for action in actions:
            self.said.append(action.label)
            self.own_words.append(action.label)
            self.commands.append(action.command)
        self.commands += COMMAND_MARK.findall(reply.plain_text)

    @staticmethod
    def _buttons(replies: list[Reply]) -> tuple[Action, ...]:
        return tuple(a for r in replies if isinstance(r, Message | QuestionCard) for a in r.actions)

    def press(self, who: Person, action: Action) -> None:
        """A button as a person without buttons would use it: type its command."""
        if action.command in self.pressed:
            return
        self.pressed.add(action.command)
        typed = f"{action.command} Ett svar" if action.answers else action.command
        replies = self.chat.say(who, typed)
        for reply in replies:
            self._note(reply)
        for following in self._buttons(replies):
            self.press(COORDINATOR, following)


def _walk(language: str) -> Walk:
    uow = FakeUnitOfWork()
    walk = Walk(Chat(make_bot(uow, FakeClock(), language), uow))
    for who, text in WALKS[language]:
        walk.say(who, text)
    return walk


def _word(name: str, language: str) -> str:
    return command_word(name, language)


def _words(language: str) -> set[str]:
    return {word for word, lang, _ in VOCABULARY if lang == language}


def _leading_word(command: str) -> str | None:
    folded = command.casefold().lstrip("/")
    for word, _, _ in VOCABULARY:  # longest first
        if folded == word or folded.startswith(word + " "):
            return word
    return None


def _internal_ids(language: str) -> set[str]:
    """The model's ids that are no word a person of ``language`` would see."""
    lang: Language = "en" if language == "en" else "sv"
    names = [s.title.get(lang) for s in MODEL.steps] + [p.title.get(lang) for p in MODEL.phases]
    titles = {word.casefold() for name in names for word in re.split(r"\W+", name)}
    ids = {s.id for s in MODEL.steps} | {p.id for p in MODEL.phases}
    return {i for i in ids if i not in titles}


@pytest.fixture(scope="module", params=["sv", "en"])
def walked(request: pytest.FixtureRequest) -> tuple[str, Walk]:
    return request.param, _walk(request.param)


def test_the_walk_pressed_buttons_and_reached_far(walked: tuple[str, Walk]) -> None:
    language, walk = walked
    assert len(walk.pressed) >= 15
    yes = "yes" if language == "en" else "ja"
    assert {
        f"{_word('restart', language)} {yes}",
        f"{_word('confirm', language)} 1",
    } <= walk.pressed
    assert walk.chat.stored.cycle == 2  # the new round was asked for and confirmed by button
    assert len(walk.chat.stored.decisions) >= 2
    failed = bot_text("internal_error", language)
    assert not [said for said in walk.said if failed in said]


def test_the_check_would_find_a_swedish_command_in_english() -> None:
    foreign = _words("sv") - _words("en")
    assert _leading_word("nästa") in foreign and _leading_word("bekräfta 8") in foreign
    assert _leading_word("status") not in foreign and _leading_word("next") not in foreign


def test_no_reply_carries_the_other_languages_command_words(walked: tuple[str, Walk]) -> None:
    language, walk = walked
    own, other = _words(language), _words("sv" if language == "en" else "en")
    foreign = other - own
    wrong = sorted({c for c in walk.commands if _leading_word(c) in foreign})
    assert wrong == []


def test_no_reply_carries_an_internal_id(walked: tuple[str, Walk]) -> None:
    language, walk = walked
    ids = _internal_ids(language)
    for text in walk.said + walk.commands:
        assert not set(QUESTION_ID.findall(text)) & QUESTION_IDS, text
        found = {w for w in re.findall(r"[a-z_]+", text) if "_" in w and w in ids}
        assert not found, text
    for command in walk.commands:
        words = set(command.casefold().split())
        assert not words & ids - _words(language), command


def test_english_replies_have_no_swedish_words_of_the_bot(walked: tuple[str, Walk]) -> None:
    language, walk = walked
    if language != "en":
        return
    source = MODEL.model.source.en
    assert len(walk.own_words) > 100
    for text in walk.own_words:
        mine = text.replace(source, "")
        assert not re.search(r"[åäöÅÄÖ]", mine), text
