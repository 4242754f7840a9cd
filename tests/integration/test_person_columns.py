"""Every column that holds a person's id is declared in :mod:`storage.person_columns`, which
finding a person, their file and erasing them all follow: a column missing there would keep a
person's id after `radera mig` and leave it out of `mina uppgifter`."""

from __future__ import annotations

import re

from sqlmodel import SQLModel

import storage  # noqa: F401  (every table of the product, on the metadata)
from storage.person_columns import PERSON_COLUMNS

# A column named so holds a person's platform id.
PERSON_ID = re.compile(r"(_by|user_id|author_id|actor_id|member_id|person_id)$")
# Columns named so that hold no person's id of a collaboration, each with the reason.
NOT_A_PERSON_IN_A_COLLABORATION = {
    ("outbox", "claimed_by"): "the worker process that leased the row",
    ("inbox", "claimed_by"): "the worker process that leased the row",
    ("slack_bots", "bot_user_id"): "the bot's own user",
    ("slack_installations", "bot_user_id"): "the bot's own user",
    # Outside any collaboration: erasure replaces it on its own (a Slack installation's
    # installer, see SqlPersonalData._erase_outside).
    ("slack_installations", "user_id"): "the installer of the Slack app",
}


def declared() -> set[tuple[str, str]]:
    return {(str(c.table.__tablename__), c.column) for c in PERSON_COLUMNS}


def test_every_column_that_holds_a_persons_id_is_declared() -> None:
    named = {
        (table.name, column.name)
        for table in SQLModel.metadata.sorted_tables
        for column in table.columns
        if PERSON_ID.search(column.name)
    }
    assert named - declared() - set(NOT_A_PERSON_IN_A_COLLABORATION) == set()
    # The exceptions name real columns, and none is declared after all.
    assert set(NOT_A_PERSON_IN_A_COLLABORATION) <= named - declared()


def test_every_declared_column_and_name_column_is_a_column_of_its_table() -> None:
    for person_column in PERSON_COLUMNS:
        columns = SQLModel.metadata.tables[str(person_column.table.__tablename__)].columns
        for name in (person_column.column, person_column.name, person_column.parent):
            assert name is None or name in columns, (person_column, name)
