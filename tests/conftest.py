"""Fixtures: an app per database backend (SQLite always, PostgreSQL when TEST_DATABASE_URL is
set), a clean database per test, a fixed "today", and documents built by ``tests.factories``."""
from __future__ import annotations

import atexit
import datetime as dt
import functools
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError

from portal import create_app
from portal.config import TestConfig, _normalise_database_url
from portal.extensions import db

TODAY = dt.date(2026, 11, 27)


def _given_postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL", "")
    return _normalise_database_url(url) if url.startswith(("postgres", "postgresql")) else None


def _postgres_url() -> str | None:
    """TEST_DATABASE_URL; under pytest-xdist, a database of each worker's own beside it
    (``test_gw0``, ``test_gw1``…), created by ``_postgres_unavailable``."""
    url = _given_postgres_url()
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if url is None or not worker:
        return url
    given = make_url(url)
    return given.set(database=f"{given.database}_{worker}").render_as_string(hide_password=False)


@functools.cache
def _postgres_unavailable() -> str | None:
    """Why the PostgreSQL tests cannot run here, or None when they can (the worker's database
    created when it is missing)."""
    url = _postgres_url()
    if url is None:
        return ("TEST_DATABASE_URL is not set to a PostgreSQL database "
                "(./scripts/test sets it when a server answers on 127.0.0.1:5432)")
    try:
        if url != _given_postgres_url():
            name = make_url(url).database
            admin = create_engine(_given_postgres_url(), isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                if connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}) is None:
                    connection.execute(text(f'CREATE DATABASE "{name}"'))
            admin.dispose()
        engine = create_engine(url)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except OperationalError as exc:
        return f"PostgreSQL at TEST_DATABASE_URL does not answer: {exc.orig}"
    return None


@contextmanager
def fresh_postgres_database(suffix: str) -> Iterator[str]:
    """The address of a new, empty PostgreSQL database beside the test database, named after it
    (separate checkouts and pytest workers do not collide), dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = make_url(_postgres_url())
    name = f"{server.database}_{suffix}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request, tmp_path) -> Iterator[str]:
    """The address of an empty database on each backend, for tests that build a schema themselves
    (migrations); PostgreSQL's is named after the test module."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    reason = _postgres_unavailable()
    if reason:
        pytest.skip(reason)
    with fresh_postgres_database(request.module.__name__.rsplit(".", 1)[-1]) as url:
        yield url


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request) -> str:
    if request.param == "postgresql":
        reason = _postgres_unavailable()
        if reason:
            pytest.skip(reason)
    return request.param


@pytest.fixture(scope="session")
def app(backend):
    """One application per backend for the whole session; tables created once."""
    if backend == "postgresql":
        url = _postgres_url()
        tmp = None
    else:
        tmp = tempfile.NamedTemporaryFile(suffix=".db", delete=False)
        url = f"sqlite:///{tmp.name}"
    app = make_app(url)
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.drop_all()
        db.engine.dispose()
    if tmp is not None:
        os.unlink(tmp.name)


def make_app(url: str, **settings):
    """An application on database ``url`` with the test settings (today fixed)."""

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url
        PASSERELLE_TODAY = TODAY.isoformat()
        SERVER_NAME = "passerelle.test"

    # The open data files and backups of this application: never the instance folder's.
    settings.setdefault("OPEN_DATA_DIR", _temporary_directory("passerelle-open-data-"))
    settings.setdefault("BACKUP_DIR", _temporary_directory("passerelle-backups-"))
    # The machine's one import slot: each application its own (two test processes import at once).
    settings.setdefault("IMPORT_LOCK_FILE", str(Path(_temporary_directory("passerelle-lock-")) / "import.lock"))
    for name, value in settings.items():  # before create_app: extensions read them at init
        setattr(Config, name, value)
    app = create_app(Config)
    app.test_client_class = FreshRequestClient
    return app


def _temporary_directory(prefix: str) -> str:
    path = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


class FreshRequestClient(FlaskClient):
    """The test client, each request starting from an empty ``g`` as a real request does.

    The ``app_context`` fixture keeps one application context for the whole test and Flask
    reuses it for the client's requests: Flask-Login (the user) and Flask-Babel (the locale)
    cache in ``g``, so without this one request's user or language would leak into the next."""

    def open(self, *args, **kwargs):
        if has_app_context():
            g.__dict__.clear()
        return super().open(*args, **kwargs)


@pytest.fixture()
def app_context(app):
    with app.app_context():
        yield
        db.session.remove()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()


@pytest.fixture()
def client(app, app_context):
    return app.test_client()


@pytest.fixture()
def today() -> dt.date:
    return TODAY


@pytest.fixture(autouse=True)
def loader_guard():
    """Fails a test whose requests reach what their URL names without the permissions loaders
    (tests/loader_guard.py). A test that makes such requests on purpose empties ``violations``."""
    from tests.loader_guard import GUARD

    GUARD.install()
    GUARD.violations.clear()
    yield GUARD
    if GUARD.violations:
        pytest.fail("views reached objects named in their URL without the permissions loaders:\n"
                    + "\n".join(GUARD.violations), pytrace=False)


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch):
    """argon2id with small costs in tests (the real parameters are tested once, explicitly)."""
    from argon2 import PasswordHasher

    from portal.accounts import services

    monkeypatch.setattr(services, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
