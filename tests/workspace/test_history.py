"""Every change to a course is recorded (who, when, how, what) and shown to the operator and the
coordinators of its bassin."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.offer.history import CourseChange, changes_of, diff
from portal.offer.models import Course
from tests import factories as f
from tests.conftest import TODAY
from tests.people import LOGIN, check_matrix, make_people, over_matrix, signed_in_client
from tests.workspace.test_courses import FORM


@pytest.fixture()
def people(app_context):
    return make_people()


def course_id(ref: str) -> int:
    from portal.extensions import db

    return db.session.scalar(select(Course.id).where(Course.ref == ref))


def test_diff_lists_only_changed_fields():
    assert diff({"a": 1, "b": [1], "c": None}, {"a": 1, "b": [2], "d": "x"}) == {
        "b": [[1], [2]], "d": [None, "x"]}


def test_import_records_creations_and_changes_with_the_source(app_context):
    f.load(f.document(f.operator("op-a", courses=[f.course("c1", title="Avant")])))
    [created] = changes_of(course_id("c1"))
    assert (created.action, created.source, created.changes, created.user_email) == ("created", "cli", {}, None)
    f.load(f.document(f.operator("op-a", courses=[f.course("c1", title="Après")])))
    latest = changes_of(course_id("c1"))[0]
    assert latest.action == "updated" and latest.changes == {"title": ["Avant", "Après"]}
    f.load(f.document(f.operator("op-a", courses=[f.course("c1", title="Après")])))  # unchanged
    assert len(changes_of(course_id("c1"))) == 2


def test_form_save_and_confirmation_are_recorded_with_the_user(app, people):
    client = signed_in_client(app, people["operator A"])
    page = client.get("/espace/cours/course-a/modifier").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    data = dict(FORM, site="site-a", title="Nouveau titre", version=version, days=["mon"],
                **{"entries-0-start": "2027-02-01", "entries-0-status": "full"})
    assert client.post("/espace/cours/course-a/modifier", data=data).status_code == 302
    change = changes_of(course_id("course-a"))[0]
    assert change.user_email == "a@example.org" and change.source == "form" and change.action == "updated"
    assert change.changes["title"][1] == "Nouveau titre" and change.changes["days"][1] == ["mon"]

    from portal.extensions import db
    db.session.execute(Course.__table__.update().values(confirmed_at=TODAY.replace(year=2026, month=1)))
    db.session.commit()
    assert client.post("/espace/organismes/op-a/tout-est-correct").status_code == 302
    confirmation = changes_of(course_id("course-a"))[0]
    assert confirmation.action == "confirmed" and confirmation.source == "confirm"
    assert confirmation.changes["confirmed_at"][1] == TODAY.isoformat()

    # The history page says it in words, newest first.
    page = client.get("/espace/cours/course-a/historique").get_data(as_text=True)
    assert page.index("Confirmé") < page.index("Modifié") < page.index("Créé")
    assert "Nouveau titre" in page and "a@example.org" in page and "lundi" in page
    assert "complet" in page  # the entry's status, in words


def test_coordinator_of_the_bassin_sees_the_history(app, people):
    page = signed_in_client(app, people["coordinator"]).get("/espace/cours/course-a/historique")
    assert page.status_code == 200 and "Créé" in page.get_data(as_text=True)


def test_history_rows_go_with_their_course(app_context):
    f.load(f.document(f.operator("op-a", courses=[f.course("c1")])))
    from portal.extensions import db
    assert db.session.scalar(select(CourseChange.course_id)) == course_id("c1")


MATRIX = {
    ("GET", "/espace/cours/course-a/historique"): {"anonymous": LOGIN, "operator A": 200, "operator B": 403,
                                                   "coordinator": 200, "admin": 200},
    ("GET", "/espace/cours/course-b/historique"): {"anonymous": LOGIN, "operator A": 403, "operator B": 200,
                                                   "coordinator": 403, "admin": 200},
    ("GET", "/espace/cours/nope/historique"): {"anonymous": LOGIN, "operator A": 404, "operator B": 404,
                                               "coordinator": 404, "admin": 404},
}


@over_matrix(MATRIX)
def test_history_role_route_matrix(app, people, method, path, person, expected):
    check_matrix(app, method, path, people[person], expected)
