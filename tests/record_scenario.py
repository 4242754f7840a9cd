"""One collaboration with something of everything a record holds, for the tests of the record,
its renderings and its map: two organisations, a case number, an edited answer, a confirmed
and an unconfirmed decision, a role, a check-in and an evaluation date."""

from __future__ import annotations

from bot.document import ModelPicture
from bot.replies import DocumentReply, PictureReply
from tests.chat import ANNA, OMAR, Chat, make_bot
from tests.fakes import FakeClock, FakeUnitOfWork

FIRST = "Vi erbjuder lokaler gratis. (idéburet offentligt partnerskap)"
EDITED = "Vi erbjuder lokaler gratis på kvällarna. (idéburet offentligt partnerskap)"
SECOND = "Kommunen står för fika, och föreningen för läxhjälpen: 2 kvällar i veckan!"
CONFIRMED = "Vi ses varje tisdag i Rosengårds bibliotek"
PROPOSED = "Vi ansöker om medel tillsammans"


def record_chat(language: str = "sv") -> Chat:
    """The scenario played through the core; Anna coordinates for Malmö stad, Omar answers
    for Fritidsbanken."""
    uow, clock = FakeUnitOfWork(), FakeClock()
    chat = Chat(make_bot(uow, clock, language), uow)
    chat.say(ANNA, "starta Läxhjälp i Rosengård")
    chat.say(ANNA, "gå med Malmö stad offentlig")
    chat.say(OMAR, "gå med Fritidsbanken civilsamhälle")
    chat.say(ANNA, "diarienummer KS 2026/123")
    chat.say(OMAR, "fråga")
    card = chat.cards[-1][0]
    chat.say(OMAR, FIRST, reply_to=card, message_ref="omar-1")
    clock.advance(days=1)
    chat.say(OMAR, EDITED, edited=True, message_ref="omar-1")
    chat.say(ANNA, "fråga")
    chat.say(ANNA, f"svara {SECOND}")
    chat.say(OMAR, f"beslut {CONFIRMED} följ upp 2027-01-10")
    chat.say(ANNA, "bekräfta 1")
    chat.say(OMAR, f"beslut {PROPOSED}")
    chat.say(ANNA, "roll @Omar kontaktperson")
    chat.say(ANNA, "avstämning varje tisdag 09:00")
    chat.say(ANNA, "utvärdering 2027-06-01")
    chat.say(ANNA, "klar")
    if language == "en":
        chat.say(ANNA, "language en")
    return chat


def export_of(chat: Chat, fmt: str = "pdf") -> DocumentReply:
    [reply] = chat.say(ANNA, f"exportera {fmt}")
    assert isinstance(reply, DocumentReply), reply
    return reply


def map_of(chat: Chat) -> PictureReply:
    [reply] = chat.say(ANNA, "karta")
    assert isinstance(reply, PictureReply), reply
    return reply


def map_picture(chat: Chat) -> ModelPicture:
    picture = map_of(chat).picture
    assert isinstance(picture, ModelPicture), picture
    return picture
