"""A NUL character anywhere in a request is a clear 400, never a 500 (PostgreSQL refuses it)."""
from __future__ import annotations

import pytest

from tests.people import make_people, signed_in_client


@pytest.fixture()
def people(app_context):
    return make_people()


@pytest.mark.parametrize(("method", "path", "data"), [
    ("POST", "/connexion", {"email": "a\x00@example.org", "password": "x"}),
    ("POST", "/mot-de-passe-oublie", {"email": "a\x00@example.org"}),
    ("POST", "/inscription", {"organisation": "A\x00B", "email": "x@example.org"}),
    ("GET", "/espace/organismes/op-a%00", None),
    ("GET", "/espace/cours/course-a%00/historique", None),
    ("GET", "/espace/lieux/site-a%00/modifier", None),
    ("POST", "/espace/organismes/op-a/equipe", {"email": "c\x00@example.org"}),
    ("GET", "/?q=a%00b", None),
    ("GET", "/cours/course-a%00", None),
])
def test_nul_character_is_a_400(app, people, method, path, data):
    response = signed_in_client(app, people["operator A"]).open(path, method=method, data=data)
    assert response.status_code == 400


def test_api_names_the_parameter(client):
    response = client.get("/api/v1/courses?q=a%00b")
    assert response.status_code == 400
    assert response.get_json()["error"]["parameter"] == "q"
    assert client.get("/api/v1/courses/x%00y").status_code == 404  # no such course
