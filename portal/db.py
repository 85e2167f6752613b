"""Declarative base with a naming convention so that migrations name constraints the same
way on SQLite and PostgreSQL; SQLite index hints and file permissions; the time limit of statements."""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sqlite3
import stat
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import JSON, Column, Integer, MetaData, Table, bindparam, event, text
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> dt.datetime:
    """Now, as every DateTime column stores it: UTC without a time zone."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def as_naive_utc(moment: dt.datetime | None) -> dt.datetime:
    """A moment as DateTime columns store it (now when None; an aware one converted to UTC)."""
    if moment is None:
        return utc_now()
    return moment.astimezone(dt.UTC).replace(tzinfo=None) if moment.tzinfo else moment


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class SQLiteCompilerWithIndexHints(SQLiteCompiler):
    """SQLite understands ``INDEXED BY``; SQLAlchemy's SQLite compiler drops table hints, this one
    renders them (``select(...).with_hint(Course, "INDEXED BY ix", "sqlite")``)."""

    def get_from_hint_text(self, table, text):  # noqa: ANN001 - SQLAlchemy's signature
        return text


def insert_rows(connection: Connection, table: Table, rows: list[dict], *, ids_by: str | None = None) -> list[int]:
    """Insert many rows (dicts with the same keys) in the connection's transaction, as fast as the
    database takes them: COPY on PostgreSQL (psycopg's executemany sends one statement a row:
    25 s for the half-million words of 20,000 courses; a multi-row INSERT spends its time parsing
    its placeholders), executemany on SQLite. ``ids_by``: a unique column of the rows; the rows'
    ``id`` values are returned in their order (PostgreSQL: taken from its sequence beforehand)."""
    if not rows:
        return []
    if connection.dialect.name != "postgresql":
        return _sqlite_insert(connection, table, rows, ids_by)
    ids: list[int] = []
    if ids_by is not None:
        ids = list(connection.execute(
            text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"),
            {"table": table.name, "n": len(rows)}).scalars())
        rows = [dict(row, id=row_id) for row, row_id in zip(rows, ids, strict=True)]
    _copy(connection, table, rows)
    return ids


def update_rows(connection: Connection, table: Table, rows: list[dict], *, where: tuple[str, ...],
                increment: str | None = None) -> int:
    """Update many rows in the connection's transaction: each dict holds the same keys, the new
    values of columns, and ``stored_<column>`` for each column of ``where`` (the row is updated only
    if it still holds these values); ``increment``: a column set to itself + 1. Returns the number
    of rows updated. PostgreSQL: the rows are COPYed into a temporary table, then one UPDATE … FROM
    (psycopg's executemany sends a statement a row, each firing the table's statement triggers);
    SQLite: executemany."""
    if not rows:
        return 0
    values = [name for name in rows[0] if not name.startswith("stored_")]
    if connection.dialect.name == "postgresql":
        return _update_from_copy(connection, table, rows, values, where, increment)
    statement = table.update().where(*(table.c[name] == bindparam(f"stored_{name}") for name in where))
    if increment is not None:
        statement = statement.values({increment: table.c[increment] + 1})
    return connection.execute(statement, rows).rowcount


def _update_from_copy(connection: Connection, table: Table, rows: list[dict], values: list[str],
                      where: tuple[str, ...], increment: str | None) -> int:
    quote = connection.dialect.identifier_preparer.quote
    target, staged = quote(table.name), f"staged_{table.name}"
    # Created once a transaction (batches reuse it), without the table's constraints.
    connection.exec_driver_sql(f"CREATE TEMP TABLE IF NOT EXISTS {staged} ON COMMIT DROP AS "
                               f"SELECT * FROM {target} WITH NO DATA")
    connection.exec_driver_sql(f"TRUNCATE {staged}")
    staged_table = Table(staged, MetaData(), *(Column(name, table.c[name].type) for name in values + list(where)))
    _copy(connection, staged_table, [{**{name: row[name] for name in values},
                                      **{name: row[f"stored_{name}"] for name in where}} for row in rows])
    assignments = [f"{quote(name)} = s.{quote(name)}" for name in values]
    if increment is not None:
        assignments.append(f"{quote(increment)} = {target}.{quote(increment)} + 1")
    matched = " AND ".join(f"{target}.{quote(name)} = s.{quote(name)}" for name in where)
    return connection.exec_driver_sql(
        f"UPDATE {target} SET {', '.join(assignments)} FROM {staged} AS s WHERE {matched}").rowcount


def _sqlite_insert(connection: Connection, table: Table, rows: list[dict], ids_by: str | None) -> list[int]:
    columns = list(rows[0])
    if ids_by is None and _numbers_only(table, columns):  # the word index: no conversion to make
        quote = connection.dialect.identifier_preparer.quote
        connection.exec_driver_sql(
            f"INSERT INTO {quote(table.name)} ({', '.join(quote(name) for name in columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})", [tuple(row[name] for name in columns) for row in rows])
        return []
    if ids_by is None:
        connection.execute(table.insert(), rows)
        return []
    # RETURNING in the rows' order costs SQLite a statement a row: rows are matched by ``ids_by``.
    id_of = dict((key, row_id) for row_id, key in connection.execute(
        table.insert().returning(table.c.id, table.c[ids_by]), rows))
    return [id_of[row[ids_by]] for row in rows]


def _numbers_only(table: Table, columns: list[str]) -> bool:
    return all(isinstance(table.c[name].type, Integer) for name in columns)


def _copy(connection: Connection, table: Table, rows: list[dict]) -> None:
    columns = list(rows[0])
    quote = connection.dialect.identifier_preparer.quote
    statement = f"COPY {quote(table.name)} ({', '.join(quote(name) for name in columns)}) FROM STDIN"
    driver = connection.connection.driver_connection
    try:
        _write_copy(driver, statement, table, columns, rows)
    except connection.dialect.loaded_dbapi.Error as exc:  # as SQLAlchemy would raise it: IntegrityError, …
        raise DBAPIError.instance(statement, None, exc, connection.dialect.loaded_dbapi.Error,
                                  dialect=connection.dialect) from exc


def _write_copy(driver, statement: str, table: Table, columns: list[str], rows: list[dict]) -> None:  # noqa: ANN001
    as_json = [isinstance(table.c[name].type, JSON) for name in columns]
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        if _numbers_only(table, columns):
            # Numbers only (the word index: millions of rows): COPY's text format, written at once.
            for start in range(0, len(rows), 100_000):
                copy.write("".join("\t".join(str(int(row[name])) for name in columns) + "\n"
                                   for row in rows[start:start + 100_000]))
            return
        for row in rows:
            copy.write_row([json.dumps(row[name]) if encode else row[name]
                            for name, encode in zip(columns, as_json, strict=True)])


def use_index_hints(engine: Engine) -> None:
    """Let ``with_hint(..., "sqlite")`` reach SQLite on this engine (other databases: no-op)."""
    if engine.dialect.name == "sqlite":
        engine.dialect.statement_compiler = SQLiteCompilerWithIndexHints


# -- time limit of statements ------------------------------------------------------------------
_LIMIT_KEY = "passerelle_time_limit"


def limit_statement_time(engine: Engine, limit_ms: Callable[[], int | None]) -> None:
    """Abort a statement that runs longer than ``limit_ms()`` milliseconds (asked before each
    statement; None or 0: no limit). PostgreSQL: ``SET LOCAL statement_timeout`` for the
    transaction (it ends with it); SQLite: a progress handler that interrupts the statement."""
    if engine.dialect.name == "postgresql":
        event.listen(engine, "before_cursor_execute", _set_statement_timeout(limit_ms))
    elif engine.dialect.name == "sqlite":
        event.listen(engine, "before_cursor_execute", _set_deadline(limit_ms))
    for name in ("commit", "rollback", "rollback_savepoint"):
        event.listen(engine, name, _transaction_ended)
    event.listen(engine.pool, "checkin", _checked_in)


def is_time_limit(error: Exception) -> bool:
    """Was this database error a statement stopped by ``limit_statement_time``?"""
    orig = getattr(error, "orig", None)
    return getattr(orig, "sqlstate", None) == "57014" or (  # PostgreSQL: query_canceled
        isinstance(orig, sqlite3.OperationalError) and str(orig) == "interrupted")


def is_disk_full(error: Exception) -> bool:
    """Was this database error a full disk (or a database at its size limit)? PostgreSQL's class
    53 (insufficient resources: disk full, out of memory) or SQLite's "database or disk is full"."""
    orig = getattr(error, "orig", None)
    return str(getattr(orig, "sqlstate", "") or "").startswith("53") or (
        isinstance(orig, sqlite3.OperationalError) and "database or disk is full" in str(orig))


def _set_statement_timeout(limit_ms: Callable[[], int | None]):
    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        wanted = limit_ms() or None
        if conn.info.get(_LIMIT_KEY) != wanted:
            cursor.execute(f"SET LOCAL statement_timeout = {int(wanted)}" if wanted
                           else "SET LOCAL statement_timeout TO DEFAULT")
            conn.info[_LIMIT_KEY] = wanted
    return before_cursor_execute


class _Deadline:
    """When the running SQLite statement must stop (monotonic seconds), or None."""

    at: float | None = None

    def passed(self) -> int:
        return 1 if self.at is not None and time.monotonic() > self.at else 0


def _set_deadline(limit_ms: Callable[[], int | None]):
    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        wanted = limit_ms()
        deadline = conn.info.get(_LIMIT_KEY)
        if deadline is None:
            if not wanted:
                return
            deadline = conn.info[_LIMIT_KEY] = _Deadline()
            # Called every 10,000 virtual machine instructions (well under a millisecond).
            conn.connection.driver_connection.set_progress_handler(deadline.passed, 10_000)
        deadline.at = time.monotonic() + wanted / 1000 if wanted else None
    return before_cursor_execute


def _transaction_ended(conn, *args) -> None:  # noqa: ANN001
    if conn.invalidated:  # its database connection died (and went with what was set on it);
        return  # asking for its info would raise instead of letting the rollback end the transaction
    _clear(conn.info)


def _checked_in(dbapi_connection, connection_record) -> None:  # noqa: ANN001
    _clear(connection_record.info)


def _clear(info: dict) -> None:
    limit = info.get(_LIMIT_KEY)
    if isinstance(limit, _Deadline):
        limit.at = None  # the handler stays; the next statement sets its own deadline
    else:
        info.pop(_LIMIT_KEY, None)


# -- files of a SQLite database ------------------------------------------------------------------
log = logging.getLogger("passerelle")
# SQLite writes these beside the database, with the database file's permissions.
SQLITE_COMPANIONS = ("-journal", "-wal", "-shm")


def protect_sqlite_file(url: str, instance_dir: Path) -> None:
    """A SQLite database file readable by its owner only: created 0600 whatever the umask, and
    narrowed at start-up when found wider; the instance folder holding it 0700."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:") \
            or parsed.database.startswith("file:"):
        return
    path = Path(parsed.database).absolute()
    if path.parent == instance_dir.absolute():
        protect_instance_dir(instance_dir)
    try:
        if create_private_file(path):
            return
    except OSError:
        return  # a folder that cannot be written: the first query says so (a 503)
    for file in (path, *(path.with_name(path.name + suffix) for suffix in SQLITE_COMPANIONS)):
        _narrow(file, 0o600)


def protect_instance_dir(instance_dir: Path) -> None:
    """The instance folder (database, secret key) open to its owner only."""
    instance_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    _narrow(instance_dir, 0o700)


def create_private_file(path: Path) -> bool:
    """Create ``path`` empty and 0600 if it does not exist; True when it was created."""
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        return False
    return True


def _narrow(path: Path, mode: int) -> None:
    try:
        current = stat.S_IMODE(path.stat().st_mode)
        if current & ~mode:
            path.chmod(current & mode)
            log.warning("%s was readable by others (%o): now %o", path, current, current & mode)
    except FileNotFoundError:
        pass
    except OSError as exc:  # not ours: say so, do not stop
        log.warning("cannot narrow the permissions of %s: %s", path, exc)
