"""A PostgreSQL database that loses its connection when an event is claimed, as a database
restart or a failover does: for the tests of what the platforms do meanwhile."""

from __future__ import annotations

from sqlalchemy import Engine, text

# A trigger that ends its own connection, as a database restart or a failover does, the
# first ``cuts`` times an event is claimed. A sequence counts them: unlike a row, it is not
# rolled back with the transaction the cut ends.
CONNECTION_CUT = """
CREATE TABLE fault (cuts integer NOT NULL);
INSERT INTO fault VALUES (0);
CREATE SEQUENCE fault_claims;
CREATE FUNCTION cut_connection() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF nextval('fault_claims') <= (SELECT cuts FROM fault) THEN
        PERFORM pg_terminate_backend(pg_backend_pid());
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER cut_connection BEFORE INSERT ON processed_event
    FOR EACH ROW EXECUTE FUNCTION cut_connection();
"""


def cut_next(database: Engine, times: int) -> None:
    """Cut the connection of the next ``times`` claims of an event."""
    with database.begin() as connection:
        connection.execute(text("UPDATE fault SET cuts = :n"), {"n": times})
        connection.execute(text("SELECT setval('fault_claims', 1, false)"))


def claims(database: Engine) -> int:
    """How many times an event was claimed since :func:`cut_next`."""
    with database.connect() as connection:
        return int(connection.execute(text("SELECT last_value FROM fault_claims")).scalar_one())
