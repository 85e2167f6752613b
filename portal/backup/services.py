"""Backups of the whole database, not only the offer: accounts, history, referrals, counts.

- SQLite: the online backup API (``sqlite3.Connection.backup``), a consistent copy while the
  portal keeps serving and writing; a restore copies it back page by page.
- PostgreSQL: ``pg_dump --format=custom`` of the server's own major version (an older pg_dump
  cannot read a newer server: refused with what to install); a restore is ``pg_restore --clean
  --if-exists --single-transaction``: all of it or nothing.

A backup is written beside its place and renamed (``passerelle-<UTC time>.sqlite3|.pgdump``, mode
0600: it holds personal data), so a half-written file is never taken for a backup. Backups are
kept BACKUP_KEEP_DAYS (at most 90: the referrals' personal data must not outlive their own 90 days
for longer than that), and a restore runs the referral purge at once, so that a restored backup
brings back no referral whose time is over."""
from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import subprocess
from pathlib import Path

from flask import current_app
from sqlalchemy import text
from sqlalchemy.engine import make_url

from portal.extensions import db

MAX_KEEP_DAYS = 90
SUFFIXES = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}
_NAME = re.compile(r"passerelle-(\d{8}-\d{6})\.(sqlite3|pgdump)")


class BackupError(Exception):
    """A backup or a restore that cannot be done, and why (for the command line and the job log)."""


def backup_dir() -> Path:
    return Path(current_app.config["BACKUP_DIR"])


def keep_days() -> int:
    return max(1, min(int(current_app.config.get("BACKUP_KEEP_DAYS", MAX_KEEP_DAYS)), MAX_KEEP_DAYS))


def _dialect() -> str:
    return db.engine.dialect.name


def make_backup(directory: Path, now: dt.datetime) -> Path:
    """A backup of the whole database in ``directory``; its path."""
    directory.mkdir(parents=True, exist_ok=True)
    os.chmod(directory, 0o700)
    target = directory / f"passerelle-{now:%Y%m%d-%H%M%S}{SUFFIXES[_dialect()]}"
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    partial.touch(mode=0o600)
    try:
        if _dialect() == "sqlite":
            _sqlite_backup(partial)
        else:
            _pg_dump(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def _sqlite_backup(path: Path) -> None:
    source = db.engine.raw_connection()
    try:
        with sqlite3.connect(path) as target:
            source.driver_connection.backup(target)
        target.close()
    finally:
        source.close()


def _libpq() -> tuple[str, dict[str, str]]:
    """The database's address for libpq's tools, and their environment (the password there,
    never on a command line that ``ps`` shows)."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    environment = {**os.environ, "PGPASSWORD": url.password or os.environ.get("PGPASSWORD", "")}
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False), environment


def _major(version_text: str) -> int:
    found = re.search(r"(\d+)(?:\.\d+)?", version_text)
    if found is None:
        raise BackupError(f"cannot read a version in {version_text!r}")
    return int(found.group(1))


def _check_tool(tool: str) -> str:
    """The tool's command, refused when it is older than the server (it could not read it)."""
    command = current_app.config["PG_DUMP" if tool == "pg_dump" else "PG_RESTORE"]
    try:
        version = subprocess.run([command, "--version"], capture_output=True, text=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise BackupError(f"{command} does not run ({exc}): install the PostgreSQL client of the server's "
                          "version (Debian: postgresql-client)") from exc
    server = int(db.session.execute(text("SHOW server_version_num")).scalar_one()) // 10000
    if _major(version) < server:
        raise BackupError(f"{version.strip()} cannot read a PostgreSQL {server} server: install "
                          f"postgresql-client-{server} and set {tool.upper()} to its {tool}")
    return command


def _run(arguments: list[str], environment: dict[str, str]) -> None:
    seconds = current_app.config.get("BACKUP_TIMEOUT_SECONDS", 3600)
    try:
        subprocess.run(arguments, env=environment, capture_output=True, text=True, timeout=seconds, check=True)
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{arguments[0]} failed: {exc.stderr.strip()[-2000:]}") from exc
    except subprocess.TimeoutExpired as exc:
        raise BackupError(f"{arguments[0]} took more than {seconds} s") from exc


def _pg_dump(path: Path) -> None:
    address, environment = _libpq()
    _run([_check_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={path}",
          f"--dbname={address}"], environment)


def restore_backup(path: Path, now: dt.datetime) -> str:
    """Put the database back as it was in the backup at ``path`` (every table), then run the
    referral purge; one line saying what was done."""
    found = _NAME.fullmatch(path.name)
    if not path.is_file() or found is None:
        raise BackupError(f"{path} is not a backup of Passerelle (passerelle-<date>-<time>.sqlite3 or .pgdump)")
    if f".{found.group(2)}" != SUFFIXES[_dialect()]:
        raise BackupError(f"{path.name} is a backup of another kind of database than {_dialect()}")
    command = _check_tool("pg_restore") if _dialect() == "postgresql" else None
    db.session.remove()  # no transaction of ours holds a table the restore replaces
    if command is None:
        _sqlite_restore(path)
    else:
        address, environment = _libpq()
        _run([command, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
              f"--dbname={address}", str(path)], environment)
    db.engine.dispose()  # no connection keeps what was there before
    from portal.referrals.services import run_referral_purge

    return f"restored {path.name}; {run_referral_purge(now)}"


def _sqlite_restore(path: Path) -> None:
    target = db.engine.raw_connection()
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as source:
            source.backup(target.driver_connection)
        source.close()
    finally:
        target.close()


def backups(directory: Path) -> list[tuple[dt.datetime, Path]]:
    """The backups in ``directory``, oldest first, with their time (UTC)."""
    if not directory.is_dir():
        return []
    found = []
    for path in directory.iterdir():
        match = _NAME.fullmatch(path.name)
        if match:
            found.append((dt.datetime.strptime(match.group(1), "%Y%m%d-%H%M%S"), path))
    return sorted(found)


def prune_backups(directory: Path, now: dt.datetime) -> list[Path]:
    """Delete the backups older than ``keep_days()``; the deleted paths."""
    limit = now - dt.timedelta(days=keep_days())
    old = [path for made, path in backups(directory) if made < limit]
    for path in old:
        path.unlink(missing_ok=True)
    return old


def run_backup(now: dt.datetime) -> str:
    """The daily job: a backup, then the old ones deleted."""
    directory = backup_dir()
    path = make_backup(directory, now)
    deleted = prune_backups(directory, now)
    return (f"backup {path.name} ({path.stat().st_size / 1e6:.1f} MB); {len(deleted)} backup(s) older than "
            f"{keep_days()} days deleted")
