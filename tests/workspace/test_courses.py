"""Editing a course in the workspace: same rules as the import, errors beside the fields, the
public search updated at once, concurrent saves refused with both versions shown."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.accounts.services import create_user
from portal.extensions import db
from portal.offer.models import Course
from tests import factories as f
from tests.conftest import TODAY

PASSWORD = "correct horse battery"
FORM = {"title": "Conversation du soir", "site": "site-namur", "kind": "fle", "level_min": "A2",
        "level_max": "B1", "cost_eur": "0", "entry_mode": "fixed", "status": "published",
        "registration": "direct", "days": ["tue", "thu"], "parts_of_day": ["evening"],
        "entries-0-start": "2027-01-12", "entries-0-status": "open"}


@pytest.fixture()
def operator_client(app, app_context):
    f.load(f.document(f.operator("op-a", courses=[f.course("c1", title="Français oral débutant")]),
                      f.operator("op-b", name="Opérateur B (test)", sites=[f.site("site-b", "4000", "Liège")])))
    create_user("a@example.org", PASSWORD, "operator", operator_ref="op-a")
    client = app.test_client()
    assert client.post("/connexion", data={"email": "a@example.org", "password": PASSWORD}).status_code == 302
    return client


def errors_of(page: str) -> dict[str, str]:
    return dict(re.findall(r'<p class="field-error" id="error-([\w-]+)">([^<]*)</p>', page))


def test_new_course_is_published_and_searchable_at_once(operator_client):
    response = operator_client.post("/espace/organismes/op-a/cours/nouveau", data=FORM)
    assert response.status_code == 302
    ref = re.search(r"/espace/cours/([^/]+)/modifier", response.headers["Location"]).group(1)
    assert ref == "op-a-conversation-du-soir"
    item = operator_client.get(f"/api/v1/courses/{ref}").get_json()
    assert item["title"] == "Conversation du soir" and item["days"] == ["tue", "thu"]
    assert item["next_entry"] == "2027-01-12" and item["confirmed_at"] == TODAY.isoformat()
    found = operator_client.get("/api/v1/courses?q=conversation&part_of_day=evening").get_json()
    assert [i["ref"] for i in found["items"]] == [ref]


def test_bad_input_is_shown_beside_each_field_and_kept(operator_client):
    data = dict(FORM, title="", level_min="B2", level_max="A1", cost_eur="-3",
                **{"entries-0-start": "2027-03-01", "entries-0-end": "2027-02-01"})
    response = operator_client.post("/espace/organismes/op-a/cours/nouveau", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    errors = errors_of(page)
    assert set(errors) >= {"title", "cost_eur"}
    assert 'value="2027-02-01"' in page and 'value="2027-03-01"' in page  # what was typed is kept
    # Once the form's own checks pass, the offer's rules (the import's) speak, beside their fields.
    response = operator_client.post("/espace/organismes/op-a/cours/nouveau",
                                    data=dict(data, title="Titre", cost_eur="0"))
    errors = errors_of(response.get_data(as_text=True))
    assert response.status_code == 400
    assert set(errors) == {"level_min", "entries-0-end"}
    assert db.session.scalar(select(Course).where(Course.title == "Titre")) is None  # nothing saved


def test_edit_updates_the_public_course_and_adds_an_entry_in_two_clicks(operator_client):
    page = operator_client.get("/espace/cours/c1/modifier").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    data = dict(FORM, title="Français oral, niveau 1", version=version, entry_mode="fixed",
                **{"entries-0-start": "2027-02-01"})
    response = operator_client.post("/espace/cours/c1/modifier", data=data)
    assert response.status_code == 302
    item = operator_client.get("/api/v1/courses/c1").get_json()
    assert item["title"] == "Français oral, niveau 1"
    assert [e["start"] for e in item["entries"]] == ["2027-02-01"]


def test_second_concurrent_save_is_refused_with_both_versions(operator_client):
    page = operator_client.get("/espace/cours/c1/modifier").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    first = operator_client.post("/espace/cours/c1/modifier",
                                 data=dict(FORM, title="Version de Anne", version=version))
    assert first.status_code == 302
    second = operator_client.post("/espace/cours/c1/modifier",
                                  data=dict(FORM, title="Version de Bilal", version=version))
    page = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "Version de Anne" in page and 'value="Version de Bilal"' in page  # theirs and yours
    assert operator_client.get("/api/v1/courses/c1").get_json()["title"] == "Version de Anne"


def test_duplicate_makes_a_draft_copy_and_archive_hides_the_course(operator_client):
    response = operator_client.post("/espace/cours/c1/dupliquer")
    assert response.status_code == 302 and "copied=1" in response.headers["Location"]
    copy = db.session.scalar(select(Course).where(Course.title == "Français oral débutant (copie)"))
    assert copy is not None and copy.status == "draft"
    assert operator_client.post("/espace/cours/c1/archiver").status_code == 302
    assert operator_client.get("/api/v1/courses/c1").status_code == 404
    assert db.session.scalar(select(Course.status).where(Course.ref == "c1")) == "archived"


def test_another_operators_course_is_never_editable(operator_client, app):
    f.load(f.document(f.operator("op-b", name="Opérateur B (test)", sites=[f.site("site-b", "4000", "Liège")],
                                 courses=[f.course("b1", "site-b")])))
    assert operator_client.get("/espace/cours/b1/modifier").status_code == 403
    assert operator_client.post("/espace/cours/b1/modifier", data=FORM).status_code == 403
    assert operator_client.post("/espace/cours/b1/archiver").status_code == 403
    assert operator_client.get("/espace/organismes/op-b/cours/nouveau").status_code == 403
    assert operator_client.get("/espace/cours/nope/modifier").status_code == 404
    assert db.session.scalar(select(Course.status).where(Course.ref == "b1")) == "published"
