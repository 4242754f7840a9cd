"""A reply for the person alone speaks their language where their platform told it; what the
whole channel reads stays in the collaboration's."""

from __future__ import annotations

from bot.domain import ChannelRef, Person
from bot.incoming import Incoming
from bot.replies import Message, Reply
from tests.chat import make_bot
from tests.fakes import FakeClock, FakeUnitOfWork

CHANNEL = ChannelRef("test", "W1", "C1")
ANNA = Person("U1", "Anna")
JOHN = Person("U2", "John")


def _said(replies: list[Reply]) -> str:
    return "\n".join(r.plain_text for r in replies if isinstance(r, Message))


def test_a_refusal_speaks_the_persons_language_in_a_swedish_collaboration() -> None:
    bot = make_bot(FakeUnitOfWork(), FakeClock())
    bot.handle(Incoming(CHANNEL, ANNA, "starta Läxhjälp", event_id="e1"))

    english = bot.handle(Incoming(CHANNEL, JOHN, "klar", event_id="e2", language="en"))
    unknown = bot.handle(Incoming(CHANNEL, JOHN, "klar", event_id="e3"))

    assert "Only a coordinator can do this" in _said(english)
    assert all(isinstance(r, Message) and r.private for r in english)
    assert "Det här kan bara en samordnare göra" in _said(unknown)


def test_what_the_channel_reads_stays_in_the_collaborations_language() -> None:
    bot = make_bot(FakeUnitOfWork(), FakeClock())
    bot.handle(Incoming(CHANNEL, ANNA, "starta Läxhjälp", event_id="e1"))

    shared = bot.handle(Incoming(CHANNEL, JOHN, "status", event_id="e2", language="en"))

    assert shared and not any(isinstance(r, Message) and r.private for r in shared)
    assert "Läxhjälp" in _said(shared) and "Only" not in _said(shared)
