"""Many people writing at once: every answer and decision is kept, numbered without gaps.

A handled message reads the collaboration and then writes it; only if that is one isolated
transaction do simultaneous decisions get distinct numbers and all survive."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.domain import ChannelRef, Person
from bot.incoming import Incoming
from bot.map import ModelMap
from bot.replies import Message
from bot.service import Samverkansbot
from model_content.loader import default_model
from storage import SqlUnitOfWork, make_engine, make_session_factory, upgrade
from tests.fakes import FakeClock

CHANNEL = ChannelRef("test", "W1", "C1")
PEOPLE = [Person(f"U{n}", f"Person {n}") for n in range(8)]
ANSWERS_EACH = 5


def answer_many(bot: Samverkansbot, person: Person) -> list[str]:
    # Only someone who has said whom they represent records decisions.
    said = [r.plain_text for r in bot.handle(Incoming(CHANNEL, person, "gå med Förening annan"))]
    for n in range(ANSWERS_EACH):
        for text in (f"svara status.1 svar {n}", f"beslut Beslut {n} av {person.display_name}"):
            incoming = Incoming(CHANNEL, person, text)
            said += [r.plain_text for r in bot.handle(incoming) if isinstance(r, Message)]
    return said


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_simultaneous_answers_are_all_kept(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'many.db'}"
    else:
        url = request.getfixturevalue("postgres_databases")()
    engine = make_engine(url)
    try:
        upgrade(engine)
        sessions = make_session_factory(engine)
        bot = Samverkansbot(lambda: SqlUnitOfWork(sessions), FakeClock(), ModelMap(default_model()))
        bot.handle(Incoming(CHANNEL, PEOPLE[0], "starta Många röster"))
        with ThreadPoolExecutor(max_workers=len(PEOPLE)) as pool:
            replies = [
                text for said in pool.map(lambda p: answer_many(bot, p), PEOPLE) for text in said
            ]
        assert all("sparat" in text or "Välkommen" in text for text in replies), replies
        with SqlUnitOfWork(sessions) as uow:
            collab = uow.collaborations.get_by_channel(CHANNEL)
            assert collab is not None
            assert len(collab.answers) == len(PEOPLE) * ANSWERS_EACH
            assert len(collab.members) == len(PEOPLE)
            numbers = sorted(d.number for d in collab.decisions)
            assert numbers == list(range(1, len(PEOPLE) * ANSWERS_EACH + 1))
    finally:
        engine.dispose()
