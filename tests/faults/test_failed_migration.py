"""A failed migration (issue 13, item 4) leaves the previous schema usable: an upgrade whose new
migration creates a table, adds a column, then fails is rolled back whole — on PostgreSQL (DDL in a
transaction) and on SQLite (migrations/env.py runs it in one real transaction) — the database stays
at the previous revision with its data, the portal serves and imports on it, and the upgrade can be
run again once the migration is fixed."""
from __future__ import annotations

import shutil

import pytest
from flask_migrate import upgrade
from sqlalchemy import inspect, text

from portal.config import BASE_DIR
from portal.extensions import db
from portal.geo.gazetteer import get_gazetteer
from portal.offer.services import export_offer, import_offer
from tests import factories as f
from tests.conftest import TODAY, make_app

MIGRATIONS = BASE_DIR / "migrations"
BROKEN = '''"""A migration that fails half-way (tests/faults/test_failed_migration.py)."""
import sqlalchemy as sa
from alembic import op

revision = "0099_broken"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("broken_new", sa.Column("id", sa.Integer, primary_key=True))
    op.add_column("operator", sa.Column("broken_flag", sa.Boolean, nullable=True))
    op.execute("UPDATE operator SET name = 'changed by a broken migration'")
    op.execute({failure!r})


def downgrade():
    pass
'''


def with_migration(tmp_path, failure: str):
    """A copy of the migrations with one more at the head; its folder."""
    directory = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, directory, ignore=shutil.ignore_patterns("__pycache__"))
    head = sorted(path.stem for path in (MIGRATIONS / "versions").glob("0*.py"))[-1]
    (directory / "versions" / "0099_broken.py").write_text(BROKEN.format(head=head, failure=failure))
    return directory, head


def revision() -> str:
    return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar_one()


def test_a_failed_upgrade_leaves_the_previous_schema_whole_and_usable(empty_database_url, tmp_path):
    app = make_app(empty_database_url)
    with app.app_context():
        upgrade(directory=str(MIGRATIONS))
        import_offer(f.document(f.operator("op-a", sites=[f.site("site-a", "5000", "Namur")],
                                           courses=[f.course("c1", "site-a")])), get_gazetteer(), TODAY)
        before = export_offer()
        db.session.remove()
        directory, head = with_migration(tmp_path, "SELECT * FROM no_such_table")
        with pytest.raises(Exception, match="no_such_table"):
            upgrade(directory=str(directory))
        db.session.remove()
        db.engine.dispose()
        assert revision() == head
        inspector = inspect(db.engine)
        assert "broken_new" not in inspector.get_table_names()
        assert "broken_flag" not in {column["name"] for column in inspector.get_columns("operator")}
        assert export_offer() == before  # the data too: the UPDATE went with the rest
        # The portal works on it: the search finds the course, an import writes.
        client = app.test_client()
        assert "c1" in [item["ref"] for item in client.get("/api/v1/courses").get_json()["items"]]
        import_offer(f.document(f.operator("op-a", sites=[f.site("site-a", "5000", "Namur")],
                                           courses=[f.course("c1", "site-a"), f.course("c2", "site-a")])),
                     get_gazetteer(), TODAY)
        # Fixed, the migration goes through.
        fixed, _head = with_migration(tmp_path / "fixed", "SELECT 1")
        upgrade(directory=str(fixed))
        db.session.remove()
        assert revision() == "0099_broken"
        db.session.remove()
        db.engine.dispose()
