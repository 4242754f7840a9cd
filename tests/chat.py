"""A small harness that plays people in one channel against the core."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain import ChannelRef, Collaboration, Person
from bot.incoming import Incoming
from bot.map import ModelMap
from bot.replies import Message, QuestionCard, Reply
from bot.service import Samverkansbot
from model_content import Language
from model_content.loader import default_model
from tests.fakes import FakeClock, FakeUnitOfWork

ANNA = Person("U-anna", "Anna")
OMAR = Person("U-omar", "Omar")
LINA = Person("U-lina", "Lina")


def make_bot(uow: FakeUnitOfWork, clock: FakeClock, language: str = "sv") -> Samverkansbot:
    lang: Language = "en" if language == "en" else "sv"
    return Samverkansbot(lambda: uow, clock, ModelMap(default_model()), language=lang)


@dataclass
class Chat:
    bot: Samverkansbot
    uow: FakeUnitOfWork
    channel: ChannelRef = field(default_factory=lambda: ChannelRef("test", "W1", "C1"))
    sent: int = 0
    cards: list[tuple[str, QuestionCard]] = field(default_factory=list)

    def say(self, who: Person, text: str, **extra: object) -> list[Reply]:
        self.sent += 1
        ref = str(extra.pop("message_ref", f"m{self.sent}"))
        incoming = Incoming(self.channel, who, text, message_ref=ref, **extra)  # type: ignore[arg-type]
        replies = self.bot.handle(incoming)
        for reply in replies:
            if isinstance(reply, QuestionCard):
                self.sent += 1
                card_ref = f"card{self.sent}"
                self.bot.card_posted(self.channel, card_ref, reply.question_id)
                self.cards.append((card_ref, reply))
        return replies

    def text(self, who: Person, text: str, **extra: object) -> str:
        return "\n".join(r.plain_text for r in self.say(who, text, **extra))

    def message(self, who: Person, text: str) -> Message:
        replies = self.say(who, text)
        assert len(replies) == 1 and isinstance(replies[0], Message), replies
        return replies[0]

    @property
    def stored(self) -> Collaboration:
        collab = self.uow.collaborations.committed.get(self.channel)
        assert collab is not None, "no collaboration committed in this channel"
        return collab


def started_chat() -> Chat:
    """A chat on the fakes whose collaboration Anna started, and which Anna (Malmö stad,
    public sector) and Omar (Fritidsbanken, civil society) joined."""
    uow = FakeUnitOfWork()
    chat = Chat(make_bot(uow, FakeClock()), uow)
    chat.say(ANNA, "starta Läxhjälp")
    chat.say(ANNA, "gå med Malmö stad offentlig")
    chat.say(OMAR, "gå med Fritidsbanken civilsamhälle")
    return chat
