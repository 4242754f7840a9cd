"""The shared button tokens, remembered, recalled and pruned: one contract on the fake, SQLite
and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from engine.ports import ButtonStore
from storage import make_session_factory
from storage.buttons import SqlButtonStore
from tests.fakes import FakeButtonStore
from tests.integration.conftest import SQL_BACKENDS

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


@pytest.fixture(params=["fake", *SQL_BACKENDS])
def buttons(request: pytest.FixtureRequest) -> ButtonStore:
    if request.param == "fake":
        return FakeButtonStore()
    engine: Engine = request.getfixturevalue(f"{request.param}_engine")
    return SqlButtonStore(make_session_factory(engine))


def test_a_remembered_token_is_recalled(buttons: ButtonStore) -> None:
    buttons.remember("~abc", "beslut " + "å" * 60, NOW)
    assert buttons.recall("~abc") == "beslut " + "å" * 60


def test_an_unknown_token_is_none(buttons: ButtonStore) -> None:
    assert buttons.recall("~nothing") is None


def test_remembering_again_is_harmless_and_keeps_the_first(buttons: ButtonStore) -> None:
    buttons.remember("~abc", "nästa", NOW)
    buttons.remember("~abc", "nästa", NOW)
    buttons.remember("~abc", "något annat", NOW)
    assert buttons.recall("~abc") == "nästa"


def test_pruning_forgets_the_tokens_last_remembered_before_a_time(buttons: ButtonStore) -> None:
    buttons.remember("~old", "tips", NOW - timedelta(days=2))
    buttons.remember("~now", "nästa", NOW)
    assert buttons.prune(NOW - timedelta(days=1)) == 1
    assert buttons.recall("~old") is None
    assert buttons.recall("~now") == "nästa"
    assert buttons.prune(NOW) == 0  # the bound itself is kept


def test_a_token_remembered_again_is_kept_from_its_latest_remembering(
    buttons: ButtonStore,
) -> None:
    buttons.remember("~abc", "nästa", NOW - timedelta(days=10))
    buttons.remember("~abc", "nästa", NOW)
    buttons.remember("~abc", "nästa", NOW - timedelta(days=5))  # an older message sent late
    assert buttons.prune(NOW - timedelta(seconds=1)) == 0
    assert buttons.recall("~abc") == "nästa"
    assert buttons.prune(NOW + timedelta(seconds=1)) == 1


@pytest.mark.parametrize("backend", SQL_BACKENDS)
def test_another_store_on_the_same_database_recalls_it(
    backend: str, request: pytest.FixtureRequest
) -> None:
    # What one process remembered, another (started afterwards) recalls.
    engine: Engine = request.getfixturevalue(f"{backend}_engine")
    SqlButtonStore(make_session_factory(engine)).remember("~abc", "tips", NOW)
    assert SqlButtonStore(make_session_factory(engine)).recall("~abc") == "tips"


@pytest.mark.parametrize("backend", SQL_BACKENDS)
def test_processes_remembering_the_same_token_at_once_all_succeed(
    backend: str, request: pytest.FixtureRequest
) -> None:
    engine: Engine = request.getfixturevalue(f"{backend}_engine")
    errors: list[BaseException] = []

    def remember() -> None:
        try:
            SqlButtonStore(make_session_factory(engine)).remember("~same", "nästa", NOW)
        except BaseException as error:  # reported below, on the test's thread
            errors.append(error)

    threads = [threading.Thread(target=remember) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert SqlButtonStore(make_session_factory(engine)).recall("~same") == "nästa"
