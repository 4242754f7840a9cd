"""Slack installations and OAuth states in our tables, through slack_sdk's stores, on SQLite and
PostgreSQL; a workspace's bot token found for sending; and migration 0003 up and down."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic import command
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine, MetaData, Table, func, inspect, select

from adapters.slack import Installations
from storage import make_engine, slack_bots, slack_installations, slack_oauth_states, upgrade
from storage.database import alembic_config
from storage.slack_installations import SqlInstallationStore, SqlOAuthStateStore

OURS = ("slack_installations", "slack_bots", "slack_oauth_states")


def _shape(table: Table) -> list[tuple[object, ...]]:
    return [
        (c.name, type(c.type).__name__, getattr(c.type, "length", None), c.nullable, c.primary_key)
        for c in table.columns
    ]


def test_our_tables_have_the_columns_the_library_stores_use() -> None:
    library = MetaData()
    build = SQLAlchemyInstallationStore.build_installations_table
    assert _shape(slack_installations) == _shape(build(library, "slack_installations"))
    bots = SQLAlchemyInstallationStore.build_bots_table(library, "slack_bots")
    assert _shape(slack_bots) == _shape(bots)
    states = SQLAlchemyOAuthStateStore.build_oauth_states_table(library, "slack_oauth_states")
    assert _shape(slack_oauth_states) == _shape(states)


def _installation(team: str, token: str, installed_at: float) -> Installation:
    return Installation(
        app_id="A111",
        team_id=team,
        team_name=f"Team {team}",
        bot_token=token,
        bot_id="B111",
        bot_user_id="UBOT",
        bot_scopes="commands,chat:write",
        user_id="U0INSTALLER",
        token_type="bot",
        installed_at=installed_at,
    )


def test_the_newest_installation_of_a_workspace_counts_until_it_is_deleted(
    engine: Engine,
) -> None:
    store = SqlInstallationStore("111.222", engine)
    store.save(_installation("T1", "xoxb-old", time.time() - 60))
    store.save(_installation("T1", "xoxb-new", time.time()))
    store.save(_installation("T2", "xoxb-two", time.time()))
    installations: Installations = store  # what the Slack platform is given
    bot_token = installations.bot_token

    assert (bot_token("T1"), bot_token("T2"), bot_token("T9")) == ("xoxb-new", "xoxb-two", None)
    found = store.find_installation(enterprise_id=None, team_id="T1")
    assert found is not None and found.bot_token == "xoxb-new"
    assert SqlInstallationStore("another-app", engine).bot_token("T1") is None

    store.delete_all(enterprise_id=None, team_id="T1")

    assert (bot_token("T1"), bot_token("T2")) == (None, "xoxb-two")
    assert store.find_installation(enterprise_id=None, team_id="T1") is None


def test_a_workspace_of_an_enterprise_organisation_is_found_by_its_team(engine: Engine) -> None:
    store = SqlInstallationStore("111.222", engine)
    installation = _installation("T3", "xoxb-grid", time.time())
    installation.enterprise_id = "E1"
    store.save(installation)

    assert store.bot_token("T3") == "xoxb-grid"


def test_the_stores_never_create_tables(engine: Engine) -> None:
    with pytest.raises(NotImplementedError):
        SqlInstallationStore("111.222", engine).create_tables()
    with pytest.raises(NotImplementedError):
        SqlOAuthStateStore(engine, 600).create_tables()


def test_a_state_is_good_once_and_only_until_it_expires(engine: Engine) -> None:
    states = SqlOAuthStateStore(engine, 600)
    state = states.issue()
    expired = SqlOAuthStateStore(engine, expiration_seconds=-1).issue()

    assert states.consume("never-issued") is False
    assert states.consume(expired) is False
    assert states.consume(state) is True
    assert states.consume(state) is False
    with engine.connect() as connection:
        left = connection.execute(select(func.count()).select_from(slack_oauth_states))
        assert left.scalar_one() == 0  # the expired state went with the first consume


def _pending(engine: Engine) -> int:
    with engine.connect() as connection:
        rows = connection.execute(select(func.count()).select_from(slack_oauth_states))
        return int(rows.scalar_one())


def test_install_links_asked_for_without_end_keep_the_table_small(engine: Engine) -> None:
    # Anyone may call /slack/install; each call issues a state.
    SqlOAuthStateStore(engine, expiration_seconds=-1).issue()
    SqlOAuthStateStore(engine, expiration_seconds=-1).issue()
    states = SqlOAuthStateStore(engine, 600, pending_limit=5)
    issued = [states.issue() for _ in range(8)]

    assert _pending(engine) == 5  # the expired ones went first, then the oldest pending
    assert [states.consume(state) for state in issued] == [False] * 3 + [True] * 5
    assert _pending(engine) == 0


def _race(states: SqlOAuthStateStore, state: str) -> list[bool]:
    """Two threads consume ``state`` at the same moment; what each was told."""
    start = threading.Barrier(2)
    results: list[bool] = []

    def consume() -> None:
        start.wait()
        results.append(states.consume(state))

    threads = [threading.Thread(target=consume) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_of_two_callbacks_racing_with_one_state_exactly_one_wins(engine: Engine) -> None:
    # slack_sdk's own consume reads, then deletes: on PostgreSQL both racers would win.
    states = SqlOAuthStateStore(engine, 600)
    for _ in range(5):
        assert sorted(_race(states, states.issue())) == [False, True]


def _downgrade(engine: Engine, revision: str) -> None:
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def _up_and_down(engine: Engine) -> None:
    upgrade(engine, "0003")
    tables = set(inspect(engine).get_table_names())
    assert set(OURS) <= tables
    _downgrade(engine, "0002")
    after = set(inspect(engine).get_table_names())
    assert after == tables - set(OURS)
    upgrade(engine, "0003")
    store = SqlInstallationStore("111.222", engine)
    store.save(_installation("T1", "xoxb-one", time.time()))
    assert store.bot_token("T1") == "xoxb-one"


def test_migration_0003_up_and_down_on_sqlite(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    try:
        _up_and_down(engine)
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_migration_0003_up_and_down_on_postgres(postgres_databases: Callable[[], str]) -> None:
    engine = make_engine(postgres_databases())
    try:
        _up_and_down(engine)
    finally:
        engine.dispose()
