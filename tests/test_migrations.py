"""Migrations are code: one head, upgrade from empty equals the models, downgrade works.
Runs on a fresh SQLite file and on a fresh PostgreSQL database beside TEST_DATABASE_URL."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from portal.config import BASE_DIR
from portal.extensions import db
from tests.conftest import make_app

MIGRATIONS = str(BASE_DIR / "migrations")


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


def _insert(connection, name: str, rows: list[dict]) -> None:
    import sqlalchemy as sa

    table = sa.table(name, *(sa.column(key) for key in rows[0]))
    connection.execute(sa.insert(table), rows)


def _refs(connection, name: str) -> dict[int, str]:
    return {row_id: ref for row_id, ref in connection.execute(text(f"SELECT id, ref FROM {name} ORDER BY id"))}


def test_ref_normalisation_resolves_look_alikes_then_checks_every_ref(empty_database_url, capsys):
    """Refs that differ only by case or spaces ("DEMO-X" beside "demo-x"): the one already in lower
    case keeps its ref, the others get a suffix in the order of their ids; then the database
    refuses any ref not in normal form."""
    import datetime as dt

    from sqlalchemy.exc import IntegrityError

    app = make_app(empty_database_url)
    with app.app_context():
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config(MIGRATIONS))
        before = script.get_revision("0009_ref_normalisation").down_revision
        upgrade(directory=MIGRATIONS, revision=before)
        long_upper, long_lower = "X" * 120, "x" * 120
        with db.engine.begin() as connection:
            _insert(connection, "operator", [
                {"id": i, "ref": ref, "name": "Op", "kind": "asbl", "description": description}
                for i, ref, description in ((1, "DEMO-X", "Un\r\nDeux"), (2, "demo-x", None),
                                            (3, " Demo-X ", None), (4, "OP-Y ", "a\rb"),
                                            (5, long_upper, None), (6, long_lower, None))])
            _insert(connection, "site", [
                {"id": i, "ref": ref, "operator_id": 1, "postal_code": "5000", "locality": "Namur", "nis_code": "92094",
                 "commune": "Namur", "bassin_efe": "Namur", "lat": 50.46, "lon": 4.87, "coordinates_given": False,
                 "wheelchair_accessible": False} for i, ref in ((1, "Site-A"), (2, "site-a"))])
            _insert(connection, "course", [
                {"id": i, "ref": ref, "operator_id": 1, "site_id": 1, "title": "Cours", "title_key": "cours",
                 "kind": "fle", "level_min": 1, "level_max": 2, "registration": "direct", "job_oriented": False,
                 "sectors_mask": 0, "prepares_for_mask": 0, "description": "Ligne 1\r\nLigne 2", "days_mask": 0,
                 "parts_of_day_mask": 0, "cost_eur": 0, "childcare": False, "audiences_mask": 0,
                 "requires_job_seeker_registration": False, "requires_valid_residence_permit": False,
                 "entry_test": False, "entry_mode": "rolling", "confirmed_at": dt.date(2026, 11, 1),
                 "status": "published", "next_start": dt.date(9999, 12, 31), "version": 1}
                for i, ref in ((1, "C-1"), (2, "c-1 "))])
        capsys.readouterr()
        upgrade(directory=MIGRATIONS, revision="0009_ref_normalisation")
        printed = capsys.readouterr().out
        with db.engine.begin() as connection:
            assert _refs(connection, "operator") == {1: "demo-x-2", 2: "demo-x", 3: "demo-x-3", 4: "op-y",
                                                     5: "x" * 118 + "-2", 6: long_lower}
            assert _refs(connection, "site") == {1: "site-a-2", 2: "site-a"}
            assert _refs(connection, "course") == {1: "c-1", 2: "c-1-2"}
            texts = connection.execute(text("SELECT description FROM operator WHERE id IN (1, 4) ORDER BY id"))
            assert texts.scalars().all() == ["Un\nDeux", "a\nb"]
            course_text = connection.execute(text("SELECT description FROM course WHERE id = 1")).scalar()
            assert course_text == "Ligne 1\nLigne 2"
        assert "operator 1: ref 'DEMO-X' -> 'demo-x-2' ('demo-x' is another operator's ref)" in printed
        assert "course 1: ref 'C-1' -> 'c-1'" in printed
        for name, ref in (("operator", "OP-Z"), ("site", " site-z"), ("course", "C-Z")):
            with pytest.raises(IntegrityError), db.engine.begin() as connection:
                connection.execute(text(f"UPDATE {name} SET ref = :ref WHERE id = 1"), {"ref": ref})
        downgrade(directory=MIGRATIONS, revision=before)
        with db.engine.begin() as connection:
            connection.execute(text("UPDATE operator SET ref = 'OP-Z' WHERE id = 1"))  # no check any more
        db.engine.dispose()


def test_course_text_migration_writes_the_line_the_import_writes(empty_database_url):
    """0010_course_text fills the new table for the courses already there, as the import would."""
    from sqlalchemy import select

    from portal.offer.models import CourseText
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
        downgrade(directory=MIGRATIONS, revision=script.get_revision("0010_course_text").down_revision)
        upgrade(directory=MIGRATIONS, revision="0010_course_text")
        assert dict(db.session.execute(select(CourseText.course_id, CourseText.words)).all()) == imported
        db.session.remove()
        db.engine.dispose()


def test_offer_generation_triggers_come_and_go_with_their_migration(empty_database_url):
    """0017: after upgrade every committed change of a watched table gives a new generation;
    after downgrade the triggers are gone with the table (writes still work)."""
    from portal.offer.generation import current_generation
    from tests import factories as f

    app = make_app(empty_database_url)
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        assert current_generation() is None
        f.load(f.document(f.operator("op-a", courses=[f.course(
            "c1", entry_mode="fixed", entries=[{"start": "2026-12-07", "status": "open"}])])))
        seen = {current_generation()}
        for statement in ("UPDATE course SET title = 'Autre'", "UPDATE entry SET status = 'full'",
                          "UPDATE site SET lat = 50.1", "UPDATE operator SET name = 'B'",
                          "INSERT INTO search_state (id, next_start_on) VALUES (99, NULL)"):
            db.session.execute(text(statement))
            db.session.commit()
            seen.add(current_generation())
        assert None not in seen and len(seen) == 6
        db.session.remove()
        downgrade(directory=MIGRATIONS, revision="0016_word_index_keys")
        with db.engine.begin() as connection:
            assert "offer_generation" not in inspect(connection).get_table_names()
            connection.execute(text("UPDATE course SET title = 'Encore'"))
        upgrade(directory=MIGRATIONS)
        db.session.remove()
        db.engine.dispose()
