"""A full disk during an import (issue 13, item 4): the import is refused whole, with a message that
says so, through the command line and the workspace's upload; the database is left as it was and
whole; once there is room again, the same import goes through. SQLite's ``max_page_count`` plays
the full disk (a database that may not grow); PostgreSQL's full disk gives the same error class
(53), read by the same ``is_disk_full``."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import event, func, select, text

from portal.extensions import db
from portal.offer.models import Course
from portal.offer.services import export_offer
from tests import factories as f
from tests.bulk.helpers import IMPORT_A, make_bulk_people, upload
from tests.conftest import make_app
from tests.people import signed_in_client


def big_document() -> dict:
    """Operator A's offer with 300 more courses, each with a long description: far more pages
    than the database may grow by."""
    courses = [f.course(f"big-{number}", "site-a", description=f"Cours {number}. " + "Lecture et écriture. " * 40)
               for number in range(300)]
    return f.document(f.operator("op-a", sites=[f.site("site-a", "5000", "Namur")], courses=courses))


@pytest.fixture()
def full_app(tmp_path):
    """An application on a SQLite file holding the people's offer, which may grow by 20 pages only."""
    app = make_app(f"sqlite:///{tmp_path / 'full.db'}")
    with app.app_context():
        db.create_all()
        people = make_bulk_people()
        pages = db.session.execute(text("PRAGMA page_count")).scalar_one()
        db.session.remove()

        def limit(dbapi_connection, _record) -> None:
            if not limit.room:
                dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 20}")

        limit.room = False

        event.listen(db.engine, "connect", limit)
        db.engine.dispose()  # every connection from now on has the limit
        yield app, people, limit
        event.remove(db.engine, "connect", limit)
        db.session.remove()
        db.engine.dispose()


def _state() -> tuple[int, dict, str]:
    db.session.expire_all()
    return (db.session.scalar(select(func.count()).select_from(Course)), export_offer(),
            db.session.execute(text("PRAGMA integrity_check")).scalar_one())


def test_the_command_line_import_is_refused_whole_and_goes_through_once_there_is_room(full_app, tmp_path):
    app, _people, limit = full_app
    path = tmp_path / "big.json"
    path.write_text(json.dumps(big_document()), encoding="utf-8")
    before = _state()
    result = app.test_cli_runner().invoke(args=["offer", "import", str(path)])
    assert result.exit_code == 1
    assert "Import refused: the database's disk is full; nothing was changed." in result.output
    assert _state() == before and before[2] == "ok"
    limit.room = True  # room again, for the connections made from now on
    db.session.remove()
    db.engine.dispose()
    again = app.test_cli_runner().invoke(args=["offer", "import", str(path)])
    assert again.exit_code == 0, again.output
    assert _state()[0] == before[0] + 300


def test_an_upload_is_refused_whole_with_a_503_that_says_why(full_app):
    app, people, _limit = full_app
    operator = signed_in_client(app, people["operator A"])
    before = _state()
    response = upload(operator, IMPORT_A, "offre.json", json.dumps(big_document()))
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert "The server has no room left to save. Nothing was saved: try again later." in response.get_data(as_text=True)
    assert _state() == before
    # The workspace still answers (reading needs no room).
    assert operator.get("/espace/organismes/op-a").status_code == 200
