"""Response hygiene (issue 8, 2.17): private pages and exports are never stored by a cache; a 405
says which methods the address answers."""
from __future__ import annotations

import pytest

from tests import factories as f
from tests.people import make_people, signed_in_client

PRIVATE_PAGES = [
    "/espace/", "/espace/organismes/op-a", "/espace/organismes/op-a/equipe",
    "/espace/organismes/op-a/cours/nouveau", "/espace/cours/course-a/modifier",
    "/espace/cours/course-a/historique", "/espace/organismes/op-a/import",
    "/espace/organismes/op-a/export.csv", "/espace/organismes/op-a/export.xlsx",
    "/espace/organismes/op-a/export.json", "/compte/", "/compte/double-authentification",
]
ACCOUNT_PAGES = ["/connexion", "/inscription", "/mot-de-passe-oublie", "/mot-de-passe/not-a-token",
                 "/invitation/not-a-token"]
PUBLIC_PAGES = ["/", "/?q=cours", "/embed", "/cours/course-a", "/cours/course-a/imprimer",
                "/api/v1/courses", "/api/v1/courses/course-a", "/api/v1/courses.geojson",
                "/api/v1/openapi.json", "/healthz"]


def test_private_pages_and_exports_are_never_stored(app, client):
    people = make_people()
    operator = signed_in_client(app, people["operator A"])
    for path in PRIVATE_PAGES:
        response = operator.get(path)
        assert response.status_code == (302 if path == "/espace/" else 200), (path, response.status_code)
        assert response.headers.get("Cache-Control") == "no-store", path
    # Also what is answered without an account: the sign-in redirect, the account pages.
    response = client.get("/espace/")
    assert response.status_code == 302 and response.headers["Cache-Control"] == "no-store"
    for path in ACCOUNT_PAGES:
        response = client.get(path)
        assert response.status_code in (200, 410), (path, response.status_code)
        assert response.headers.get("Cache-Control") == "no-store", path
    # A form sent back (wrong password) too.
    response = client.post("/connexion", data={"email": "a@example.org", "password": "wrong"})
    assert response.headers.get("Cache-Control") == "no-store"


def test_public_pages_keep_their_caching(app, client):
    make_people()
    for path in PUBLIC_PAGES:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        assert "no-store" not in response.headers.get("Cache-Control", ""), path


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("POST", "/", {"GET", "HEAD", "OPTIONS"}),
    ("DELETE", "/cours/c1", {"GET", "HEAD", "OPTIONS"}),
    ("PUT", "/healthz", {"GET", "HEAD", "OPTIONS"}),
    ("GET", "/deconnexion", {"POST", "OPTIONS"}),
    ("POST", "/api/v1/courses", {"GET", "HEAD", "OPTIONS"}),
    ("DELETE", "/api/v1/courses/c1", {"GET", "HEAD", "OPTIONS"}),
    ("PATCH", "/api/v1/courses.geojson", {"GET", "HEAD", "OPTIONS"}),
])
def test_405_says_which_methods_are_allowed(client, method, path, allowed):
    f.load_courses(f.course("c1"))
    response = client.open(path, method=method)
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) == allowed
    if path.startswith("/api/"):
        assert response.get_json()["error"]["code"] == "method_not_allowed"
    else:
        assert response.mimetype == "text/html"
