"""No personal data in the log when the database fails, on SQLite and PostgreSQL: neither the
statement's parameters nor the database's own account of the failing row (PostgreSQL's
"Failing row contains (…)") reach a log line above DEBUG; the error's type and where it
happened do."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from bot.domain import ChannelRef, Person
from bot.incoming import Incoming
from bot.map import ModelMap
from bot.service import Samverkansbot
from model_content.loader import default_model
from runtime.logs import configure
from storage import SqlUnitOfWork, make_session_factory
from tests.fakes import FakeClock

CHANNEL = ChannelRef("slack", "T1", "C1")
NAME = "Agnes Hemligsdotter"
ORGANISATION = "Hemlighetsföreningen"
ANSWER = "Vårt svar om Storgatan 12"


@pytest.fixture
def refusing(engine: Engine) -> Iterator[Engine]:
    """``engine``'s database refusing every new answer, as a constraint the rows break would."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(
                text("ALTER TABLE answer ADD CONSTRAINT no_answers CHECK (false) NOT VALID")
            )
        else:
            connection.execute(
                text(
                    "CREATE TRIGGER no_answers BEFORE INSERT ON answer "
                    "BEGIN SELECT RAISE(ABORT, 'no answers'); END"
                )
            )
    yield engine
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("ALTER TABLE answer DROP CONSTRAINT no_answers"))
        else:
            connection.execute(text("DROP TRIGGER no_answers"))


def _conversation(engine: Engine) -> list[str]:
    sessions = make_session_factory(engine)
    bot = Samverkansbot(lambda: SqlUnitOfWork(sessions), FakeClock(), ModelMap(default_model()))
    person = Person("U-agnes", NAME)
    said = []
    for line in (
        "starta Samverkan kring Storgatan",
        f"gå med {ORGANISATION} civilsamhälle",
        f"svara 1: {ANSWER}",
    ):
        replies = bot.handle(Incoming(CHANNEL, person, line, message_ref=line))
        said.append("\n".join(reply.plain_text for reply in replies))
    return said


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_a_database_error_logs_where_it_failed_and_no_one_s_data(
    refusing: Engine, stream: io.StringIO, log_format: str
) -> None:
    configure(log_format, "INFO", stream=stream)
    said = _conversation(refusing)
    assert "inget sparades" in said[-1]  # the answer was refused, kindly
    log = stream.getvalue()
    assert "failed to handle a message" in log
    assert "Traceback" in log and "sqlalchemy.exc.IntegrityError" in log
    for personal in (NAME, ORGANISATION, ANSWER, "Storgatan", "U-agnes"):
        assert personal not in log


def test_at_debug_the_error_is_logged_in_full_but_never_the_statement_s_parameters(
    refusing: Engine, stream: io.StringIO
) -> None:
    configure("text", "DEBUG", stream=stream)
    _conversation(refusing)
    log = stream.getvalue()
    assert "INSERT INTO answer" in log  # the error's text, statement and all
    assert "parameters hidden" in log
    if refusing.dialect.name == "sqlite":  # PostgreSQL's own account names the failing row
        assert ANSWER not in log
