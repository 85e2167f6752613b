"""One place decides who may do what: every route is marked, and the role × route matrix holds."""
from __future__ import annotations

import pytest

from portal.permissions import PUBLIC, SIGNED_IN
from tests.people import LOGIN, check_matrix, make_people, over_matrix, signed_in_client

# The public pages besides the search, its API and files: signing in, asking for an account,
# answering an invitation, resetting a password.
PUBLIC_PAGES = {"/", "/embed", "/healthz", "/favicon.ico", "/connexion", "/connexion/code", "/inscription",
                "/invitation/<token>", "/mot-de-passe-oublie", "/mot-de-passe/<token>"}
# Endpoints that serve files, not views of ours.
NOT_VIEWS = {"static"}


def test_every_route_is_marked_public_or_signed_in(app):
    unmarked = sorted(endpoint for endpoint, view in app.view_functions.items()
                      if endpoint not in NOT_VIEWS and getattr(view, "access", None) not in (PUBLIC, SIGNED_IN))
    assert unmarked == []


def test_private_routes_are_the_workspace_and_sign_out(app):
    private = {rule.rule for rule in app.url_map.iter_rules()
               if getattr(app.view_functions[rule.endpoint], "access", None) == SIGNED_IN}
    assert private and all(path.startswith(("/espace/", "/compte/")) or path == "/deconnexion" for path in private)
    public_prefixes = ("/api/", "/cours/", "/vendor/", "/static/")
    public = {rule.rule for rule in app.url_map.iter_rules()
              if getattr(app.view_functions[rule.endpoint], "access", None) == PUBLIC}
    assert all(path.startswith(public_prefixes) or path in PUBLIC_PAGES
               for path in public)


@pytest.fixture()
def people(app_context):
    return make_people()


# (method, path) → expected status per person; LOGIN = redirected to the sign-in page.
MATRIX = {
    ("GET", "/espace/"): {"anonymous": LOGIN, "operator A": 302, "operator B": 302, "coordinator": 200, "admin": 200},
    ("GET", "/espace/organismes/op-a"): {"anonymous": LOGIN, "operator A": 200, "operator B": 403,
                                        "coordinator": 200, "admin": 200},
    ("GET", "/espace/organismes/op-b"): {"anonymous": LOGIN, "operator A": 403, "operator B": 200,
                                        "coordinator": 403, "admin": 200},
    ("GET", "/espace/organismes/nope"): {"anonymous": LOGIN, "operator A": 404, "operator B": 404,
                                        "coordinator": 404, "admin": 404},
    ("POST", "/espace/organismes/op-a/tout-est-correct"): {"anonymous": LOGIN, "operator A": 302, "operator B": 403,
                                                           "coordinator": 403, "admin": 302},
    ("POST", "/espace/organismes/op-b/tout-est-correct"): {"anonymous": LOGIN, "operator A": 403, "operator B": 302,
                                                           "coordinator": 403, "admin": 302},
    ("GET", "/espace/organismes/op-a/cours/nouveau"): {"anonymous": LOGIN, "operator A": 200, "operator B": 403,
                                                       "coordinator": 403, "admin": 200},
    ("GET", "/espace/cours/course-a/modifier"): {"anonymous": LOGIN, "operator A": 200, "operator B": 403,
                                                 "coordinator": 403, "admin": 200},
    ("GET", "/espace/cours/nope/modifier"): {"anonymous": LOGIN, "operator A": 404, "operator B": 404,
                                             "coordinator": 404, "admin": 404},
    ("POST", "/espace/cours/course-b/dupliquer"): {"anonymous": LOGIN, "operator A": 403, "operator B": 302,
                                                   "coordinator": 403, "admin": 302},
    ("POST", "/espace/cours/course-b/archiver"): {"anonymous": LOGIN, "operator A": 403, "operator B": 302,
                                                  "coordinator": 403, "admin": 302},
    # The admins' page of accounts: admins only, whatever the account (404 for an admin when none;
    # the largest id, never reached by the tests' sequences).
    ("GET", "/espace/comptes"): {"anonymous": LOGIN, "operator A": 403, "operator B": 403, "coordinator": 403,
                                 "admin": 200},
    **{("POST", f"/espace/comptes/{2**31 - 1}/{action}"): {"anonymous": LOGIN, "operator A": 403,
                                                          "operator B": 403, "coordinator": 403, "admin": 404}
       for action in ("desactiver", "activer", "second-facteur")},
}


@over_matrix(MATRIX)
def test_role_route_matrix(app, people, method, path, person, expected):
    check_matrix(app, method, path, people[person], expected)


def test_operator_is_sent_to_its_own_page(app, people):
    response = signed_in_client(app, people["operator A"]).get("/espace/")
    assert response.headers["Location"].endswith("/espace/organismes/op-a")


def test_coordinator_sees_only_operators_of_its_bassin(app, people):
    page = signed_in_client(app, people["coordinator"]).get("/espace/").get_data(as_text=True)
    assert "/espace/organismes/op-a" in page and "/espace/organismes/op-b" not in page
    page = signed_in_client(app, people["admin"]).get("/espace/").get_data(as_text=True)
    assert "/espace/organismes/op-a" in page and "/espace/organismes/op-b" in page
