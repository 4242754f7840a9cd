"""Whatever a person types, the core answers: a reply or silence, never a failure of its own.

The core turns an unexpected exception into the kind "something went wrong" refusal, so the
property checked is stronger than "does not raise": no input reaches that refusal.
"""

from __future__ import annotations

import logging

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain import Person
from bot.parser import VOCABULARY
from tests.chat import Chat, make_bot
from tests.fakes import FakeClock, FakeUnitOfWork

ANNA = Person("U1", "Anna")
BERIT = Person("U2", "Berit")
WORDS = sorted({word for word, _language, _name in VOCABULARY})

# Text as people type it (any characters, digits, dates, ids of questions and steps) after a
# command word, or alone.
argument = st.text(max_size=120) | st.from_regex(
    r"[0-9]{1,4}([./ -][0-9a-zåäö]{1,9}){0,3}( [\w åäö:]{0,30})?", fullmatch=True
)
typed = st.one_of(
    st.text(max_size=200),
    st.builds(lambda word, rest: f"{word} {rest}", st.sampled_from(WORDS), argument),
    st.sampled_from(WORDS),
)


class Failures(logging.Handler):
    """The core's own failures, as it logs them."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@settings(
    max_examples=400,
    derandomize=True,  # the same examples on every run: a failure belongs to its commit
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(texts=st.lists(typed, min_size=1, max_size=4), who=st.sampled_from([ANNA, BERIT]))
def test_no_input_makes_the_core_fail(texts: list[str], who: Person) -> None:
    uow = FakeUnitOfWork()
    chat = Chat(make_bot(uow, FakeClock()), uow)
    chat.say(ANNA, "starta Läxhjälp")
    failures = Failures()
    logger = logging.getLogger("bot")
    logger.addHandler(failures)
    try:
        for text in texts:
            replies = chat.say(who, text)
            assert isinstance(replies, list)
            assert all("Något gick fel hos mig" not in r.plain_text for r in replies)
    finally:
        logger.removeHandler(failures)
    assert failures.records == [], [r.getMessage() for r in failures.records]
