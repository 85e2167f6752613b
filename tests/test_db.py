"""The SQLite database and the instance folder are private to the portal's user (issue 8, 2.17)."""
from __future__ import annotations

import os
import stat

import pytest
from sqlalchemy import text

import portal
from portal.extensions import db
from tests.conftest import make_app


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture()
def usual_umask():
    previous = os.umask(0o022)  # files world-readable unless created otherwise
    yield
    os.umask(previous)


@pytest.fixture()
def instance_dir(tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    monkeypatch.setattr(portal, "INSTANCE_DIR", instance)
    return instance


def test_a_new_database_and_instance_folder_are_private(usual_umask, instance_dir):
    app = make_app(f"sqlite:///{instance_dir / 'passerelle.db'}", SECRET_KEY="")
    with app.app_context():
        db.create_all()  # SQLite writes into the file created for it
        db.engine.dispose()
    assert mode(instance_dir) == 0o700
    assert mode(instance_dir / "passerelle.db") == 0o600
    assert mode(instance_dir / "secret_key") == 0o600
    assert (instance_dir / "passerelle.db").stat().st_size > 0


def test_existing_files_are_narrowed_at_start_up(usual_umask, instance_dir):
    instance_dir.mkdir(mode=0o755)
    database = instance_dir / "passerelle.db"
    database.write_bytes(b"")
    database.chmod(0o644)
    (instance_dir / "passerelle.db-wal").write_bytes(b"")
    (instance_dir / "passerelle.db-wal").chmod(0o666)
    make_app(f"sqlite:///{database}")
    assert mode(instance_dir) == 0o700
    assert mode(database) == 0o600
    assert mode(instance_dir / "passerelle.db-wal") == 0o600


def test_a_database_elsewhere_is_private_and_its_folder_untouched(usual_umask, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    make_app(f"sqlite:///{shared / 'passerelle.db'}")
    assert mode(shared / "passerelle.db") == 0o600
    assert mode(shared) == 0o755  # not the portal's folder: left as it is


def test_memory_and_unopenable_databases_start(tmp_path):
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("")
    make_app("sqlite://")
    make_app(f"sqlite:///{not_a_folder / 'passerelle.db'}")  # refused later, with a 503


def test_postgresql_sessions_plan_each_statement_for_its_values(app, app_context):
    """psycopg prepares a statement run 5 times on a connection; PostgreSQL would then be free to
    use a generic plan, blind to the values (a second 100k import in one process took 291 s
    instead of 49 s). The connections ask for a plan per run, and no parallel workers."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's settings")
    assert db.session.execute(text("SHOW plan_cache_mode")).scalar() == "force_custom_plan"
    assert db.session.execute(text("SHOW max_parallel_workers_per_gather")).scalar() == "0"
