"""A collaboration's small child tables in one statement: each comes back as one JSON array.

Every message reads its collaboration whole, so this is the hot path of the worker: one round
trip to the database for the children instead of one per table. The child rows are made into
the same mapped objects a query would have loaded (persistent in the session, with no changes
pending), so saving compares against them as it does against rows read one table at a time.

JSON carries numbers and strings only: a timestamp comes back as ISO 8601 text (with its
offset on PostgreSQL; without one on SQLite, which stores UTC), a date as ``YYYY-MM-DD``. The
columns' Python types say how to read each back; the child tables hold no other kinds.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    DateTime,
    Integer,
    String,
    bindparam,
    func,
    literal_column,
)
from sqlalchemy.orm import Mapper, class_mapper, make_transient_to_detached
from sqlalchemy.orm.attributes import instance_state, set_committed_value
from sqlalchemy.types import TypeDecorator, TypeEngine
from sqlmodel import Session, SQLModel, select

Decode = Callable[[Any], Any]


@cache
def children(dialect: str, tables: tuple[type[SQLModel], ...]) -> Any:
    """The statement (built once) for the rows of ``tables`` that belong to the collaboration
    ``:collaboration_id``: one JSON array per table, in one row.

    Read after the collaboration's row is locked, never in the statement that locks it: on
    PostgreSQL a statement that waited for the lock sees the locked row as the other
    transaction left it, but the rest of what it reads as it was before the wait.
    """
    return select(*(_array_of(dialect, table).label(_name(table)) for table in tables))


def _array_of(dialect: str, table: type[SQLModel]) -> ColumnElement[Any]:
    """The rows of ``table`` that belong to ``:collaboration_id``, as a JSON array."""
    columns = list(table.__table__.columns)  # type: ignore[attr-defined]
    pairs: list[ColumnElement[Any]] = []
    for column in columns:  # JSON keys are our own column names: written out, never bound
        pairs += [literal_column(f"'{column.name}'"), column]
    if dialect == "postgresql":
        array = func.json_agg(func.json_build_object(*pairs))
    elif dialect == "sqlite":
        array = func.json_group_array(func.json_object(*pairs))
    else:
        raise NotImplementedError(f"storage supports PostgreSQL and SQLite, not {dialect}")
    parent = table.collaboration_id == bindparam("collaboration_id")  # type: ignore[attr-defined]
    return select(array).where(parent).scalar_subquery()


def _name(table: type[SQLModel]) -> str:
    return f"children_{table.__tablename__}"


def children_of(
    session: Session,
    found: Any,
    children: Mapping[type[SQLModel], tuple[Any, ...]],
) -> dict[type[SQLModel], list[Any]]:
    """The child rows in the row :func:`children` read, by table, each table in its
    ``children`` order, attached to ``session`` as if a query had loaded them (one the session
    held already is brought to what was read)."""
    by_table: dict[type[SQLModel], list[Any]] = {}
    for table, order in children.items():
        raw = getattr(found, _name(table))
        values = json.loads(raw) if isinstance(raw, str) else raw or []
        decode = _decoders(table)
        rows = [
            attached(session, table, {k: decode[k](v) for k, v in r.items()}, fresh=True)
            for r in values
        ]
        if order:
            names = [column.key for column in order]
            rows.sort(key=lambda row: tuple(getattr(row, name) for name in names))
        by_table[table] = rows
    return by_table


def attached(
    session: Session, table: type[SQLModel], values: dict[str, Any], *, fresh: bool = False
) -> Any:
    """The mapped object of ``values``, persistent in ``session`` with nothing to flush: the
    one the session holds already, if it read that row before (with ``fresh``, brought to
    ``values``, as a query with ``populate_existing`` would). Made as a query's loading
    makes it (a new instance, its values set without events), a sixth of the cost of
    calling the model."""
    mapper = _mapper(table)
    key = mapper.identity_key_from_primary_key(tuple(values[c.name] for c in mapper.primary_key))
    held = session.identity_map.get(key)
    if held is not None:
        if fresh:
            for name, value in values.items():
                set_committed_value(held, name, value)
        return held
    row = mapper.class_manager.new_instance()
    instance_state(row).dict.update(values)
    make_transient_to_detached(row)
    session.add(row)
    return row


@cache
def _mapper(table: type[SQLModel]) -> Mapper[Any]:
    return class_mapper(table)


@cache
def _decoders(table: type[SQLModel]) -> dict[str, Decode]:
    return {c.name: _decoder(c.type) for c in table.__table__.columns}  # type: ignore[attr-defined]


def _decoder(kind: TypeEngine[Any]) -> Decode:
    stored = kind.impl_instance if isinstance(kind, TypeDecorator) else kind
    if isinstance(stored, DateTime):
        return _instant
    if isinstance(stored, Date):
        return lambda value: None if value is None else date.fromisoformat(value)
    if isinstance(stored, (Integer, String)):
        return lambda value: value
    raise NotImplementedError(f"a child table's column of type {kind!r}")


def _instant(value: str | None) -> datetime | None:
    if value is None:
        return None
    instant = datetime.fromisoformat(value)
    # SQLite keeps UTC without an offset (storage.tables.UtcDateTime)
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)
