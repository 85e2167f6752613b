"""Migrations are code: one head, upgrade from empty equals the models, downgrade works.
Runs on a fresh SQLite file and on a fresh PostgreSQL database beside TEST_DATABASE_URL."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from portal.config import BASE_DIR
from portal.extensions import db
from tests.conftest import _postgres_unavailable, _postgres_url, make_app

MIGRATIONS = str(BASE_DIR / "migrations")


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    reason = _postgres_unavailable()
    if reason:
        pytest.skip(reason)
    server = make_url(_postgres_url())
    # Beside the test database, named after it: separate checkouts with their own databases can
    # run at the same time.
    name = f"{server.database}_migrations"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_single_head():
    app = make_app("sqlite://")
    with app.app_context():
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config(MIGRATIONS))
        assert len(script.get_heads()) == 1


def test_upgrade_from_empty_equals_models_and_round_trips(empty_database_url):
    app = make_app(empty_database_url)
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"

        downgrade(directory=MIGRATIONS, revision="base")
        with db.engine.connect() as connection:
            assert set(inspect(connection).get_table_names()) <= {"alembic_version"}

        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            assert {"operator", "site", "course", "entry"} <= tables
        db.engine.dispose()


def test_course_text_migration_writes_the_line_the_import_writes(empty_database_url):
    """0008_course_text fills the new table for the courses already there, as the import would."""
    from sqlalchemy import select

    from portal.search.models import CourseText
    from tests import factories as f

    app = make_app(empty_database_url)
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        f.load(f.document(f.operator("op-a", "Lire et Écrire Namur", courses=[
            f.course("c1", title="Français oral débutant", description="Parler au quotidien, en français."),
            f.course("c2", title="Alpha du soir", description=None)])))
        imported = dict(db.session.execute(select(CourseText.course_id, CourseText.words)).all())
        assert imported and set(imported.values()) == {
            "lire et ecrire namur francais oral debutant parler au quotidien, en francais.",
            "lire et ecrire namur alpha du soir"}
        db.session.remove()
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config(MIGRATIONS))
        downgrade(directory=MIGRATIONS, revision=script.get_revision("0008_course_text").down_revision)
        upgrade(directory=MIGRATIONS, revision="0008_course_text")
        assert dict(db.session.execute(select(CourseText.course_id, CourseText.words)).all()) == imported
        db.session.remove()
        db.engine.dispose()
