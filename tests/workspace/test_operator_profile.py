"""The operator edits its public details; the public API shows them at once; bad input stays
beside its field and nothing is saved."""
from __future__ import annotations

import re

import pytest

from tests.people import LOGIN, check_matrix, make_people, over_matrix, signed_in_client

DETAILS = {"name": "Opérateur A renommé", "kind": "cpas", "email": "accueil@example.org",
           "phone": "081 11 22 33", "website": "https://a.example.org", "description": "Cours du soir."}


@pytest.fixture()
def people(app_context):
    return make_people()


def errors_of(page: str) -> dict[str, str]:
    return dict(re.findall(r'<p class="field-error" id="error-([\w-]+)">([^<]*)</p>', page))


def test_operator_edits_its_public_details(app, people):
    client = signed_in_client(app, people["operator A"])
    assert client.get("/espace/organismes/op-a/profil").status_code == 200
    response = client.post("/espace/organismes/op-a/profil", data=DETAILS)
    assert response.status_code == 302 and "profile=1" in response.headers["Location"]
    operator = client.get("/api/v1/courses/course-a").get_json()["operator"]
    assert operator["name"] == "Opérateur A renommé" and operator["email"] == "accueil@example.org"
    assert client.get("/api/v1/courses?q=renomme").get_json()["total"] == 1  # the words follow the name


def test_bad_details_are_shown_beside_their_fields_and_nothing_is_saved(app, people):
    client = signed_in_client(app, people["operator A"])
    response = client.post("/espace/organismes/op-a/profil",
                           data=dict(DETAILS, name="", email="not an e-mail", website="a.example.org"))
    assert response.status_code == 400 and set(errors_of(response.get_data(as_text=True))) == {"name"}
    response = client.post("/espace/organismes/op-a/profil",
                           data=dict(DETAILS, email="not an e-mail", website="a.example.org"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and set(errors_of(page)) == {"email", "website"}
    assert 'value="not an e-mail"' in page
    assert client.get("/api/v1/courses/course-a").get_json()["operator"]["name"] != DETAILS["name"]


MATRIX = {
    ("GET", "/espace/organismes/op-a/profil"): {"anonymous": LOGIN, "operator A": 200, "operator B": 403,
                                               "coordinator": 403, "admin": 200},
    # An empty post keeps the stored details: saved unchanged.
    ("POST", "/espace/organismes/op-a/profil"): {"anonymous": LOGIN, "operator A": 302, "operator B": 403,
                                                "coordinator": 403, "admin": 302},
    ("GET", "/espace/organismes/nope/profil"): {"anonymous": LOGIN, "operator A": 404, "operator B": 404,
                                               "coordinator": 404, "admin": 404},
}


@over_matrix(MATRIX)
def test_profile_role_route_matrix(app, people, method, path, person, expected):
    check_matrix(app, method, path, people[person], expected)
