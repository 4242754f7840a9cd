"""A store that fails for a while: an event with an id is handed back, a terminal line is told."""

from __future__ import annotations

from types import TracebackType

import pytest

from bot.domain import ChannelRef, Person
from bot.incoming import Incoming
from bot.ports import StorageUnavailableError
from bot.replies import Message
from tests.chat import make_bot
from tests.fakes import FakeClock, FakeUnitOfWork


class CutUnitOfWork(FakeUnitOfWork):
    """A fake whose commit fails ``cuts`` times the way a lost connection does, and whose
    ``with`` block raises that as the port says."""

    def __init__(self, cuts: int) -> None:
        super().__init__()
        self.cuts = cuts

    def commit(self) -> None:
        if self.cuts:
            self.cuts -= 1
            raise ConnectionResetError("connection lost")
        super().commit()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        super().__exit__(exc_type, exc, tb)
        if isinstance(exc, ConnectionResetError):
            raise StorageUnavailableError("connection lost") from exc


CHANNEL = ChannelRef("test", "W1", "C1")
ANNA = Person("U1", "Anna")


def test_an_event_the_store_could_not_take_is_raised_for_its_platform_to_try_again() -> None:
    uow = CutUnitOfWork(cuts=1)
    bot = make_bot(uow, FakeClock())
    incoming = Incoming(CHANNEL, ANNA, "starta Läxhjälp", event_id="Ev1")

    with pytest.raises(StorageUnavailableError):
        bot.handle(incoming)
    assert uow.collaborations.get_by_channel(CHANNEL) is None  # nothing half-written

    replies = bot.handle(incoming)  # the platform hands it over again
    assert uow.collaborations.get_by_channel(CHANNEL) is not None
    assert "Läxhjälp" in " ".join(r.plain_text for r in replies if isinstance(r, Message))


def test_the_last_time_an_event_is_handed_over_the_person_is_told_that_nothing_was_saved() -> None:
    uow = CutUnitOfWork(cuts=1)
    bot = make_bot(uow, FakeClock())

    final = Incoming(CHANNEL, ANNA, "starta Läxhjälp", event_id="Ev1", final=True)
    [told] = bot.handle(final)

    assert isinstance(told, Message) and told.private
    assert told.plain_text.startswith("Något gick fel hos mig, och inget sparades.")
    assert uow.collaborations.get_by_channel(CHANNEL) is None


def test_talk_not_addressed_to_the_bot_is_given_up_in_silence() -> None:
    uow = CutUnitOfWork(cuts=1)
    bot = make_bot(uow, FakeClock())
    talk = Incoming(CHANNEL, ANNA, "Bra möte!", event_id="Ev1", addressed=False, final=True)

    assert bot.handle(talk) == []


def test_a_message_without_an_id_is_told_that_nothing_was_saved() -> None:
    uow = CutUnitOfWork(cuts=1)
    bot = make_bot(uow, FakeClock())

    replies = bot.handle(Incoming(CHANNEL, ANNA, "starta Läxhjälp"))

    assert [r.plain_text for r in replies if isinstance(r, Message)] == [
        "Något gick fel hos mig, och inget sparades. Försök gärna igen om en stund."
    ]
    assert uow.collaborations.get_by_channel(CHANNEL) is None
