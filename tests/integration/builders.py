"""Aggregates for the storage tests, built straight from the domain dataclasses.

The example fills every field and every child collection, so a column the mapping forgets
shows up as an inequality after a round trip.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, text

from bot.domain import (
    Answer,
    Answers,
    AuditEntry,
    ChannelRef,
    Collaboration,
    Decision,
    Member,
    PostedCard,
    Role,
    RoleAssignment,
    Sector,
    StepState,
    StepStatus,
    new_id,
)

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
STOCKHOLM = ZoneInfo("Europe/Stockholm")
CHANNEL = ChannelRef("slack", "T-uppsala", "C-laxhjalp")


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def collaboration(
    channel: ChannelRef = CHANNEL, name: str = "Läxhjälp i Gottsunda"
) -> Collaboration:
    """A collaboration some way into phase 1, with at least one of everything."""
    c = Collaboration(
        id=new_id(),
        channel=channel,
        name=name,
        language="sv",
        timezone="Europe/Stockholm",
        created_at=T0,
        created_by="U-anna",
        cycle=2,
        focus_step_id="1.2",
        last_question_id="1.2.q1",
    )
    c.members = {
        "U-anna": Member(
            "U-anna", "Anna Lind", Role.COORDINATOR, "Uppsala kommun", Sector.PUBLIC, T0
        ),
        "U-omar": Member(
            "U-omar",
            "Omar Haddad",
            Role.PARTNER,
            "Fritidsbanken",
            Sector.CIVIL_SOCIETY,
            # Stored from another zone: must come back as the same instant.
            datetime(2026, 11, 23, 11, 30, tzinfo=STOCKHOLM),
            paused_until=date(2026, 12, 24),
        ),
        "U-lea": Member("U-lea", "Lea", joined_at=None),
    }
    c.steps = {
        "0.1": StepState("0.1", StepStatus.DONE, at(1), "U-anna"),
        "1.1": StepState("1.1", StepStatus.SKIPPED, at(2), "U-anna"),
        "1.2": StepState("1.2", StepStatus.ACTIVE, at(3), "U-anna"),
        "1.3": StepState("1.3"),
    }
    c.answers = Answers([_answer("1.1.q1", "U-omar", "Fler unga ska klara skolan.", 4, "ts-4")])
    c.answers[0].revise("Fler unga i Gottsunda ska klara gymnasiet.", at(5))
    c.answers.append(_answer("1.2.q1", "U-anna", "Biblioteket har lokaler.", 6, None))
    c.decisions = [
        Decision(
            id=new_id(),
            number=1,
            text="Vi träffas varannan tisdag.",
            author_id="U-anna",
            author_name="Anna Lind",
            created_at=at(7),
            step_id="1.2",
            review_on=date(2027, 3, 1),
            confirmed_by="U-anna",
            confirmed_at=at(7.5),
        ),
        Decision(new_id(), 2, "Fritidsbanken lånar ut utrustning.", "U-omar", "Omar", at(8)),
    ]
    c.roles = [
        RoleAssignment("U-omar", "kontaktperson", "U-anna", at(9)),
        RoleAssignment("U-anna", "sammankallande", "U-anna", at(9)),
    ]
    c.audit = [
        AuditEntry(T0, "U-anna", "start", "Läxhjälp i Gottsunda"),
        AuditEntry(T0, "U-anna", "focus", "1.2"),
        AuditEntry(at(4), "U-omar", "answer"),
    ]
    c.cards = [PostedCard("ts-2", "1.1.q1", at(2)), PostedCard("ts-1", "1.2.q1", at(2))]
    return c


def _answer(question: str, author: str, text: str, hour: float, source: str | None) -> Answer:
    return Answer(
        id=new_id(),
        question_id=question,
        step_id=question.rsplit(".", 1)[0],
        author_id=author,
        author_name=author.removeprefix("U-").title(),
        organisation="Fritidsbanken" if author == "U-omar" else None,
        text=text,
        created_at=at(hour),
        updated_at=at(hour),
        cycle=2,
        source_ref=source,
    )


def datetimes(value: Any) -> Iterator[datetime]:
    """Every datetime anywhere inside ``value`` (dataclasses, lists, dicts)."""
    if isinstance(value, datetime):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from datetimes(getattr(value, f.name))
    elif isinstance(value, dict):
        for item in value.values():
            yield from datetimes(item)
    elif isinstance(value, list):
        for item in value:
            yield from datetimes(item)


def wait_for_a_lock_wait(engine: Engine, what: str) -> None:
    """Block until some session of this database waits for a row lock (10 s at most)."""
    query = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    deadline = time.monotonic() + 10
    with engine.connect() as connection:
        while connection.execute(query).scalar_one() == 0:
            assert time.monotonic() < deadline, f"{what} never waited for the lock"
            connection.rollback()
            time.sleep(0.02)
