"""The offer's generation: a number that changes when a change of the searchable offer commits.

Each worker keeps the visible offer in memory for the search (``portal.search.memory``) and reads
this one number before a search to know whether its copy is still the database's. Database
triggers write it, so no writer can forget it (forms, imports, jobs, COPY, a hand-made UPDATE):
- SQLite: a row trigger on each watched table. Writers are serialised by SQLite already.
- PostgreSQL: a statement trigger marks the transaction once (``offer_change_mark``); the mark's
  deferred trigger bumps the number when the transaction commits. The row ``offer_generation`` is
  thus locked only for the commit, never for the length of a long import.
Every change sets a new random number (not +1): a number set by a transaction that was rolled
back (SQLite writes it inside the transaction) or by a database emptied and refilled (the tests)
never comes back for another offer.
"""
from __future__ import annotations

import os
import threading

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine

from portal.extensions import db

# The tables whose rows decide what the search finds and how it sorts (course_text: the words of q).
WATCHED_TABLES = ("operator", "site", "course", "entry", "search_state", "course_text")
_SQLITE_BUMP = ("INSERT INTO offer_generation (id, value) VALUES (1, random()) "
                "ON CONFLICT (id) DO UPDATE SET value = excluded.value;")

_POSTGRESQL_FUNCTIONS = (
    """CREATE OR REPLACE FUNCTION passerelle_offer_touched() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF current_setting('passerelle.offer_touched', true) IS DISTINCT FROM txid_current()::text THEN
            PERFORM set_config('passerelle.offer_touched', txid_current()::text, true);
            INSERT INTO offer_change_mark (txid) VALUES (txid_current()) ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION passerelle_offer_committed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM offer_change_mark WHERE txid = NEW.txid;
        INSERT INTO offer_generation (id, value)
            VALUES (1, floor((random() - 0.5) * 18446744073709549568)::bigint)
            ON CONFLICT (id) DO UPDATE SET value = excluded.value;
        RETURN NULL;
    END $$""",
)


def trigger_statements(dialect: str) -> list[str]:
    """The DDL that creates the triggers (idempotent), for the migration and for create_all."""
    if dialect == "postgresql":
        statements = list(_POSTGRESQL_FUNCTIONS)
        statements += [
            "DROP TRIGGER IF EXISTS offer_change_mark_committed ON offer_change_mark",
            "CREATE CONSTRAINT TRIGGER offer_change_mark_committed AFTER INSERT ON offer_change_mark "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION passerelle_offer_committed()",
        ]
        for table in WATCHED_TABLES:
            statements += [
                f"DROP TRIGGER IF EXISTS offer_touched ON {table}",
                f"CREATE TRIGGER offer_touched AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION passerelle_offer_touched()",
            ]
        return statements
    return [
        f"CREATE TRIGGER IF NOT EXISTS offer_{event_name.lower()}_{table} AFTER {event_name} ON {table} "
        f"BEGIN {_SQLITE_BUMP} END"
        for table in WATCHED_TABLES for event_name in ("INSERT", "UPDATE", "DELETE")
    ]


def drop_statements(dialect: str) -> list[str]:
    """The DDL that removes the triggers (the migration's downgrade)."""
    if dialect == "postgresql":
        return [f"DROP TRIGGER IF EXISTS offer_touched ON {table}" for table in WATCHED_TABLES] + [
            "DROP TRIGGER IF EXISTS offer_change_mark_committed ON offer_change_mark",
            "DROP FUNCTION IF EXISTS passerelle_offer_touched()",
            "DROP FUNCTION IF EXISTS passerelle_offer_committed()",
        ]
    return [f"DROP TRIGGER IF EXISTS offer_{event_name.lower()}_{table}"
            for table in WATCHED_TABLES for event_name in ("INSERT", "UPDATE", "DELETE")]


@event.listens_for(db.metadata, "after_create")
def _create_triggers(target, connection: Connection, **kw) -> None:
    """``create_all`` (tests, scripts that skip migrations) gets the migration's triggers too."""
    if {"offer_generation", "offer_change_mark", *WATCHED_TABLES} <= set(target.tables):
        for statement in trigger_statements(connection.dialect.name):
            connection.execute(text(statement))


_READ = "SELECT value FROM offer_generation WHERE id = 1"
# PostgreSQL bumps the number at commit: a transaction that changed the offer sees its changes
# under the old number. (On SQLite such a transaction sees its own new number.)
_READ_POSTGRESQL = (
    "SELECT (SELECT value FROM offer_generation WHERE id = 1), "
    "coalesce(current_setting('passerelle.offer_touched', true) = txid_current_if_assigned()::text, false)"
)


def current_generation() -> int | None:
    """The offer's generation as this session sees it; None when no change was ever recorded."""
    # exec_driver_sql: read before every search, compiling the text cost more than running it.
    return db.session.connection().exec_driver_sql(_READ).scalar()


def generation_to_keep() -> int | None:
    """The generation under which what this session reads of the offer may be kept for others
    (0: no change recorded since the triggers exist); None when nothing read now may be kept:
    this transaction has changed the offer and not committed yet (PostgreSQL).

    A session that has not begun a transaction holds nothing of its own: the committed number
    is read on this thread's own connection (one statement, no pool checkout, no ping, no
    BEGIN/ROLLBACK; an API search then touches the database with nothing else)."""
    if not db.session().in_transaction():
        committed = _committed_generation(db.engine)
        if committed is not _UNKNOWN:
            return committed or 0
    if db.session.get_bind().dialect.name != "postgresql":
        return current_generation() or 0
    value, touched = db.session.connection().exec_driver_sql(_READ_POSTGRESQL).one()
    return None if touched else value or 0


# -- the committed number, read on a connection of its own -------------------------------------
_UNKNOWN = object()
_READERS = threading.local()


class _Reader:
    """One connection per process, thread and engine, out of the pool, in autocommit: each read
    sees the last commit. SQLite: a file database only (``:memory:`` is one connection's own);
    the result is read to its end, so no read lock outlives the statement."""

    def __init__(self, engine: Engine) -> None:
        self.engine, self.pid = engine, os.getpid()
        proxied = engine.raw_connection()
        self.connection = proxied.driver_connection
        proxied.detach()
        try:
            if engine.dialect.name == "postgresql":
                self.connection.rollback()
                self.connection.autocommit = True
                self.connection.execute("SET statement_timeout = 2000")
            else:
                self.connection.isolation_level = None
        except Exception:
            self.close()
            raise

    def read(self) -> int | None:
        rows = self.connection.execute(_READ).fetchall()
        return rows[0][0] if rows else None

    def close(self) -> None:
        try:
            self.connection.close()
        except Exception:  # noqa: BLE001 - a broken connection is being thrown away
            pass

    def __del__(self) -> None:
        """A thread that ends drops its reader: its connection is closed with it (never in a
        forked child: the connection is the parent's)."""
        if self.pid == os.getpid():
            self.close()


@event.listens_for(Engine, "engine_disposed")
def _forget_reader(engine: Engine) -> None:
    """An engine disposed of (its connections closed): this thread's reader of it goes too."""
    reader = getattr(_READERS, "reader", None)
    if reader is not None and reader.engine is engine:
        reader.close()
        _READERS.reader = None


def _readable(engine: Engine) -> bool:
    if engine.dialect.name == "postgresql":
        return True
    return engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:")


def _committed_generation(engine: Engine):
    """The committed generation (None: never set), or _UNKNOWN when it cannot be read this way
    (the caller then asks its session, which reports a database that is down as usual)."""
    if not _readable(engine):
        return _UNKNOWN
    reader = getattr(_READERS, "reader", None)
    try:
        if reader is None or reader.engine is not engine or reader.pid != os.getpid():
            if reader is not None and reader.pid == os.getpid():
                reader.close()
            reader = _READERS.reader = _Reader(engine)
        return reader.read()
    except Exception:  # noqa: BLE001 - any failure: forget this connection, let the session try
        if reader is not None:
            reader.close()
        _READERS.reader = None
        return _UNKNOWN
