"""What the SQL repository promises beyond the shared contract: constraints, UTC, few queries,
records that are never deleted, and turn-taking between processes on PostgreSQL."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, delete, event
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import sessionmaker
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col

from bot.domain import Answer, Answers, Collaboration, Member, Person, Role, new_id
from storage import SqlCollaborationRepository, SqlUnitOfWork, make_session_factory
from storage.tables import AnswerRow, MemberRow
from tests.fakes import as_loaded
from tests.integration.builders import (
    CHANNEL,
    STOCKHOLM,
    at,
    collaboration,
    datetimes,
    wait_for_a_lock_wait,
)


def store(session_factory: sessionmaker[Session], aggregate: Collaboration) -> None:
    with SqlUnitOfWork(session_factory) as uow:
        uow.collaborations.add(aggregate)
        uow.commit()


def load(session_factory: sessionmaker[Session]) -> Collaboration:
    """The stored aggregate, copied whole so that it outlives its unit of work."""
    with SqlUnitOfWork(session_factory) as uow:
        found = uow.collaborations.get_by_channel(CHANNEL)
        assert found is not None
        return copy.deepcopy(found)


@contextmanager
def listening(target: Any, name: str, listener: Callable[..., None]) -> Iterator[None]:
    event.listen(target, name, listener)
    try:
        yield
    finally:
        event.remove(target, name, listener)


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """The statements the engine runs inside the block, as "VERB table"; transaction control
    (SQLite's ``BEGIN IMMEDIATE``) is no query and is left out."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        words = statement.split()
        verb = words[0]
        if verb == "BEGIN":
            return
        before_table = {"SELECT": "FROM", "INSERT": "INTO", "DELETE": "FROM"}.get(verb, verb)
        seen.append(f"{verb} {words[words.index(before_table) + 1]}")

    with listening(engine, "before_cursor_execute", record):
        yield seen


@contextmanager
def rows_loaded(table: type[Any]) -> Iterator[list[Any]]:
    """The rows of ``table`` that sessions read from the database inside the block."""
    loaded: list[Any] = []

    def record(_session: Any, instance: Any) -> None:
        if isinstance(instance, table):
            loaded.append(instance)

    with listening(OrmSession, "loaded_as_persistent", record):
        yield loaded


def test_a_second_collaboration_for_a_taken_channel_fails(
    session_factory: sessionmaker[Session],
) -> None:
    first = collaboration()
    store(session_factory, first)

    with pytest.raises(IntegrityError), SqlUnitOfWork(session_factory) as uow:
        uow.collaborations.add(collaboration(name="Dubblett"))
        uow.commit()

    assert load(session_factory).id == first.id


def test_datetimes_come_back_in_utc(session_factory: sessionmaker[Session]) -> None:
    store(session_factory, collaboration())
    loaded = load(session_factory)
    assert {value.tzinfo for value in datetimes(loaded)} == {UTC}
    assert loaded.members["U-omar"].joined_at == datetime(2026, 11, 23, 10, 30, tzinfo=UTC)


def test_a_naive_datetime_is_refused(session_factory: sessionmaker[Session]) -> None:
    c = collaboration()
    c.created_at = datetime(2026, 11, 23, 9, 0)
    with (
        pytest.raises(StatementError, match="naive datetime"),
        SqlUnitOfWork(session_factory) as uow,
    ):
        uow.collaborations.add(c)


def test_loading_reads_the_row_then_all_small_tables_in_one_statement_and_no_answers(
    engine: Engine,
) -> None:
    factory = make_session_factory(engine)
    made = collaboration()
    store(factory, made)
    read: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        read.append(statement)

    with factory() as session, listening(engine, "before_cursor_execute", record):
        loaded = SqlCollaborationRepository(session).get_by_channel(CHANNEL)
        assert loaded is not None
        assert not session.dirty and not session.new  # loaded, nothing to write
    # The row (locked), then the children: a statement that waited for the lock would read
    # them as they were before the wait (see test_handlers_of_one_channel_take_turns...).
    [row, children] = [s for s in read if not s.startswith("BEGIN")]
    assert "FROM collaboration" in row
    tables = {"member", "step_state", "decision", "role_assignment", "posted_card", "message_count"}
    assert {t for t in tables if f"FROM {t}" in children} == tables
    assert "FROM answer" not in row + children and "FROM audit_entry" not in row + children
    assert loaded.members == made.members and loaded.decisions == made.decisions
    assert loaded.roles == made.roles and loaded.cards == made.cards
    assert loaded.steps == made.steps


def test_a_new_answer_is_saved_without_asking_for_the_highest_position(engine: Engine) -> None:
    """Where a new answer goes is kept on the collaboration's row, read with every message."""
    factory = make_session_factory(engine)
    made = collaboration()
    store(factory, made)
    with SqlUnitOfWork(factory) as uow, statements(engine) as seen:
        c = uow.collaborations.get_by_channel(CHANNEL)
        assert c is not None
        c.answers.append(answer("ts-ny", "ett nytt svar"))
        c.answers.append(answer("ts-nyare", "ett nyare svar"))
        uow.collaborations.save(c)
        uow.commit()
    assert "SELECT answer" not in seen and seen.count("INSERT answer") >= 1
    stored = load(factory)
    assert [a.source_ref for a in stored.answers[-2:]] == ["ts-ny", "ts-nyare"]
    assert len(stored.answers) == len(made.answers) + 2


def test_an_answer_and_its_edit_read_no_other_answer(
    session_factory: sessionmaker[Session],
) -> None:
    made = collaboration()
    for n in range(300):
        made.answers.append(answer(f"ts-{n}", f"svar {n}"))
    store(session_factory, made)

    with SqlUnitOfWork(session_factory) as uow, rows_loaded(AnswerRow) as read_for_answer:
        c = uow.collaborations.get_by_channel(CHANNEL)
        assert c is not None
        c.answers.append(answer("ts-ny", "ett nytt svar"))
        uow.collaborations.save(c)
        uow.commit()
    with SqlUnitOfWork(session_factory) as uow, rows_loaded(AnswerRow) as read_for_edit:
        c = uow.collaborations.get_by_channel(CHANNEL)
        assert c is not None
        edited = c.answer_by_source("ts-150")
        assert edited is not None
        edited.revise("svar 150, ändrat", at(40))
        uow.collaborations.save(c)
        uow.commit()

    assert read_for_answer == []
    assert [row.source_ref for row in read_for_edit] == ["ts-150"]
    stored = load(session_factory)
    assert [a.source_ref for a in stored.answers[-3:]] == ["ts-298", "ts-299", "ts-ny"]
    assert len(stored.answers) == 2 + 300 + 1
    revised = stored.answer_by_source("ts-150")
    assert revised is not None and revised.text == "svar 150, ändrat"
    assert [v.text for v in revised.history] == ["svar 150"]


def answer(source_ref: str, text: str) -> Answer:
    return Answer(
        new_id(), "1.2.q1", "1.2", "U-omar", "Omar", "Fritidsbanken", text, at(6), at(6), 2,
        source_ref,
    )  # fmt: skip


@contextmanager
def held(engine: Engine) -> Iterator[tuple[Session, SqlCollaborationRepository, Collaboration]]:
    """A stored collaboration, read by a repository on a session that stays open."""
    factory = make_session_factory(engine)
    store(factory, collaboration())
    with factory() as session:
        repository = SqlCollaborationRepository(session)
        c = repository.get_by_channel(CHANNEL)
        assert c is not None
        yield session, repository, c


def test_saving_writes_only_what_changed_and_selects_nothing(engine: Engine) -> None:
    with held(engine) as (session, repository, c):
        with statements(engine) as unchanged:
            repository.save(c)
            session.flush()
        c.member(Person("U-omar", "Omar H."), at(10))
        c.record(at(10), "U-omar", "rename")
        with statements(engine) as changed:
            repository.save(c)
            session.flush()
    assert unchanged == []
    assert sorted(changed) == ["INSERT audit_entry", "UPDATE member"]


def test_a_change_to_a_row_gone_from_the_database_fails_as_the_orm_would(engine: Engine) -> None:
    with held(engine) as (session, repository, c):
        session.execute(delete(MemberRow).where(col(MemberRow.user_id) == "U-omar"))
        c.member(Person("U-omar", "Omar H."), at(10))
        with pytest.raises(StaleDataError, match="member"):
            repository.save(c)


def test_saving_an_aggregate_from_an_earlier_unit_of_work(
    session_factory: sessionmaker[Session],
) -> None:
    store(session_factory, collaboration())
    c = load(session_factory)
    c.answers[0].revise("senare", at(30))
    c.record(at(30), "U-omar", "edit")
    with SqlUnitOfWork(session_factory) as uow:
        uow.collaborations.save(c)
        uow.commit()
    assert load(session_factory) == as_loaded(c)


def test_answers_decisions_and_audit_are_never_deleted(
    session_factory: sessionmaker[Session],
) -> None:
    original = collaboration()
    store(session_factory, original)
    with SqlUnitOfWork(session_factory) as uow:
        c = uow.collaborations.get_by_channel(CHANNEL)
        assert c is not None
        c.answers, c.decisions, c.audit = Answers(c.answers[:1]), [], []
        uow.collaborations.save(c)
        uow.commit()

    loaded = load(session_factory)
    assert loaded.answers == original.answers
    assert loaded.decisions == original.decisions
    with SqlUnitOfWork(session_factory) as uow:
        assert uow.collaborations.audit_trail(original.id) == original.audit


@pytest.mark.postgres
def test_handlers_of_one_channel_take_turns_on_postgres(postgresql_engine: Engine) -> None:
    factory = make_session_factory(postgresql_engine)
    store(factory, collaboration())

    def second_handler() -> set[str]:
        with SqlUnitOfWork(factory) as uow:
            c = uow.collaborations.get_by_channel(CHANNEL)  # waits for the first handler
            assert c is not None
            seen = set(c.members)
            c.member(Person("U-second", "Andra"), at(2))
            uow.collaborations.save(c)
            uow.commit()
        return seen

    with SqlUnitOfWork(factory) as first, ThreadPoolExecutor(1) as pool:
        c = first.collaborations.get_by_channel(CHANNEL)
        assert c is not None
        c.member(Person("U-first", "Första"), at(1))
        first.collaborations.save(c)
        second = pool.submit(second_handler)
        wait_for_a_lock_wait(postgresql_engine, "the second handler")
        first.commit()
        seen_by_second = second.result(timeout=10)

    assert "U-first" in seen_by_second
    assert {"U-first", "U-second"} <= set(load(factory).members)


@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata"])
def test_the_small_tables_come_back_exactly_whatever_the_sessions_time_zone(
    engine: Engine, zone: str
) -> None:
    """The child tables travel as JSON (storage.one_read): instants to the microsecond,
    offsets, dates, missing values and any text come back as they were stored."""
    if engine.dialect.name == "postgresql":  # SQLite has no session time zone

        def in_zone(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute(f"SET TIME ZONE '{zone}'")

        event.listen(engine, "connect", in_zone)
        engine.dispose()  # new connections, in the zone
    try:
        made = collaboration()
        made.members["U-x"] = Member(
            "U-x",
            'Åsa "Ö" \\ Ng\n🙂',
            Role.PARTNER,
            None,
            None,
            datetime(2027, 3, 28, 1, 59, 59, 999_999, tzinfo=STOCKHOLM),
            paused_until=date(2027, 1, 1),
        )
        made.members["U-y"] = Member("U-y", "Y", joined_at=datetime(2026, 1, 1, 0, 0, 0, 1, UTC))
        factory = make_session_factory(engine)
        store(factory, made)
        loaded = load(factory)
    finally:
        if engine.dialect.name == "postgresql":
            event.remove(engine, "connect", in_zone)
            engine.dispose()
    assert loaded.members == made.members
    assert loaded.members["U-x"].joined_at == made.members["U-x"].joined_at
    assert {value.tzinfo for value in datetimes(loaded)} == {UTC}
    assert loaded.steps == made.steps and loaded.decisions == made.decisions
    assert loaded.roles == made.roles and loaded.cards == made.cards
