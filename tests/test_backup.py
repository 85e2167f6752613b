"""Backups (issue 13, item 8): a backup restored into an empty database gives every table back equal
(its row count and a hash of its rows), on SQLite and PostgreSQL, through the command line; a
restore deletes the referrals whose 90 days are over; backups are kept at most 90 days; the daily
job makes one; a wrong file is refused with its reason, and the database is left as it was."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import select, update

from portal.backup.services import backups, make_backup, prune_backups
from portal.demand.models import SearchCount
from portal.extensions import db
from portal.referrals.models import Referral, ReferralCount
from tests.conftest import TODAY, fresh_postgres_database, make_app
from tests.people import make_people
from tests.referrals.helpers import REFERRAL_A, make_matrix_referrals

NOW = dt.datetime(2026, 11, 27, 3, 30)


def table_digests() -> dict[str, tuple[int, str]]:
    """Each table: its row count and a hash of its rows in primary-key order."""
    digests = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
        digests[table.name] = (len(rows), hashlib.sha256(repr([tuple(row) for row in rows]).encode()).hexdigest())
    return digests


def fill() -> None:
    """Something in most tables: operators and their offer, accounts, referrals and their counts,
    searches counted."""
    make_people()
    make_matrix_referrals()
    db.session.add(SearchCount(day=TODAY, nis_code="92094", kinds="fle", level="B1", band="none", count=3))
    db.session.add(ReferralCount(course_id=None, month="2026-10", outcome="accepted", answer_working_days=2,
                                 count=2))
    db.session.commit()


@pytest.fixture()
def empty_database(backend, tmp_path):
    """The address of an empty database of the same kind, dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    with fresh_postgres_database("restore") as url:
        yield url


def test_a_backup_restored_into_an_empty_database_gives_every_table_back(app, app_context, empty_database):
    fill()
    before = table_digests()
    assert sum(1 for count, _hash in before.values() if count) >= 8, before
    result = app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    [(made, path)] = backups(Path(app.config["BACKUP_DIR"]))
    assert result.output.startswith(f"backup {path.name} (")
    assert "0 backup(s) older than 90 days deleted" in result.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # it holds personal data

    restored = make_app(empty_database, BACKUP_DIR=app.config["BACKUP_DIR"])
    with restored.app_context():
        refused = restored.test_cli_runner().invoke(args=["restore", str(path)], input="n\n")
        assert refused.exit_code == 1 and "Aborted" in refused.output
        outcome = restored.test_cli_runner().invoke(args=["restore", str(path), "--yes"])
        assert outcome.exit_code == 0, outcome.output
        assert outcome.output == f"restored {path.name}; 0 referral(s) deleted, their anonymous counts kept\n"
        assert table_digests() == before
        db.session.remove()
        db.engine.dispose()


def test_a_restore_deletes_the_referrals_whose_time_is_over(app, app_context, tmp_path):
    fill()
    long_ago = NOW - dt.timedelta(days=200)
    db.session.execute(update(Referral).where(Referral.id == REFERRAL_A).values(last_event_at=long_ago))
    db.session.commit()
    path = make_backup(tmp_path, NOW)
    outcome = app.test_cli_runner().invoke(args=["restore", str(path), "--yes"])
    assert outcome.exit_code == 0, outcome.output
    assert "1 referral(s) deleted, their anonymous counts kept" in outcome.output
    assert db.session.get(Referral, REFERRAL_A) is None
    assert db.session.scalar(select(Referral.id).where(Referral.id != REFERRAL_A)) is not None


def test_backups_are_kept_at_most_90_days(app, app_context, tmp_path, monkeypatch):
    for days in (0, 30, 89, 91, 400):
        (tmp_path / f"passerelle-{NOW - dt.timedelta(days=days):%Y%m%d-%H%M%S}.sqlite3").write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("not a backup")
    monkeypatch.setitem(app.config, "BACKUP_KEEP_DAYS", 365)  # asked for more: still 90
    deleted = prune_backups(tmp_path, NOW)
    assert sorted(path.name for path in deleted) == ["passerelle-20251023-033000.sqlite3",
                                                      "passerelle-20260828-033000.sqlite3"]
    assert len(backups(tmp_path)) == 3 and (tmp_path / "notes.txt").exists()
    monkeypatch.setitem(app.config, "BACKUP_KEEP_DAYS", 7)
    assert len(prune_backups(tmp_path, NOW)) == 2 and len(backups(tmp_path)) == 1


def test_the_daily_job_backs_up(app, app_context):
    from portal.jobs.services import run_jobs

    [outcome] = run_jobs(only=["backup"], force=True)
    assert outcome.status == "ok", outcome.summary
    assert len(backups(Path(app.config["BACKUP_DIR"]))) >= 1


def test_a_wrong_file_is_refused_and_the_database_left_as_it_was(app, app_context, tmp_path, backend):
    fill()
    before = table_digests()
    other = "pgdump" if backend == "sqlite" else "sqlite3"
    cases = {tmp_path / "dump.sql": "is not a backup of Passerelle",
             tmp_path / f"passerelle-20261127-033000.{other}": "a backup of another kind of database",
             tmp_path / "passerelle-20261127-033001.sqlite3.part": "is not a backup of Passerelle"}
    for path, said in cases.items():
        path.write_bytes(b"not a database")
        outcome = app.test_cli_runner().invoke(args=["restore", str(path), "--yes"])
        assert outcome.exit_code == 1 and said in outcome.output, (path, outcome.output)
    assert table_digests() == before


def test_an_older_pg_dump_than_the_server_is_refused(app, app_context, backend, tmp_path, monkeypatch):
    if backend != "postgresql":
        pytest.skip("pg_dump is PostgreSQL's")
    tool = tmp_path / "pg_dump"
    tool.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n")
    tool.chmod(0o755)
    monkeypatch.setitem(app.config, "PG_DUMP", str(tool))
    monkeypatch.setitem(app.config, "BACKUP_DIR", str(tmp_path / "backups"))
    outcome = app.test_cli_runner().invoke(args=["backup"])
    assert outcome.exit_code == 1 and "cannot read a PostgreSQL" in outcome.output
    assert "install postgresql-client-" in outcome.output
    assert os.listdir(tmp_path / "backups") == []  # nothing half-written left
