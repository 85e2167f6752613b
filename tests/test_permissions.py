"""One place decides who may do what: every route is marked, and the role × route matrix holds."""
from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from sqlalchemy import select

import portal
from portal.extensions import db
from portal.offer.models import Operator
from portal.permissions import (
    ADMIN,
    COORDINATOR,
    LOADERS,
    OPERATOR,
    PUBLIC,
    SIGNED_IN,
    SOCIAL_WORKER,
    UnknownAction,
    may,
    operators_seen_by,
    rules,
    scope,
)
from tests.people import LOGIN, check_matrix, make_people, over_matrix, signed_in_client
from tests.referrals.helpers import REFERRAL_A, REFERRAL_B, make_matrix_referrals

# The public pages besides the search, its API and files: "use my position", signing in, asking for an account
# (an organisation, or a social worker's service), answering an invitation, resetting a password; the guided
# route; a selection's sheet, short link and calendar; asking for an alert, confirming and stopping it, the feed;
# the cadastre's figures, the open data page and its files.
PUBLIC_PAGES = {"/", "/embed", "/lieu-proche", "/healthz", "/favicon.ico", "/connexion", "/connexion/code",
                "/inscription", "/inscription/orientation", "/invitation/<token>", "/mot-de-passe-oublie",
                "/mot-de-passe/<token>", "/trouver", "/trouver/<slug>", "/trouver/resultats",
                "/selection", "/selection/lien-court", "/selection/partager/<code>", "/selection/calendrier.ics",
                "/s/<code>", "/alerte", "/alerte/confirmer/<token>", "/alerte/arreter/<token>", "/flux.atom",
                "/cadastre", "/cadastre/ecarts", "/cadastre/ecarts/carte.js", "/cadastre/rapport",
                "/cadastre/tableaux/<name>.<any(csv, xlsx):fmt>", "/cadastre/tableaux.xlsx",
                "/cadastre/ecarts/tableau.<any(csv, xlsx):fmt>", "/donnees-ouvertes",
                "/donnees-ouvertes/<filename>"}
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
    people = make_people()
    make_matrix_referrals()
    return people


WORKERS = ("worker A", "worker A2", "worker B")
NOT_WORKERS = ("operator A", "operator B", "coordinator", "admin")
NOBODY = 2**31 - 1  # an id no referral has

# (method, path) → expected status per person; LOGIN = redirected to the sign-in page.
_OPERATORS_MATRIX = {
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
    # The cadastre's figures: coordinators and admins, any area (the operators of an area only for its
    # bassin's coordinators and the admins: tests/workspace/test_cadastre.py); an unknown area is a 400.
    ("GET", "/espace/cadastre"): {"anonymous": LOGIN, "operator A": 403, "operator B": 403, "coordinator": 200,
                                  "admin": 200},
    ("GET", "/espace/cadastre?area=Li%C3%A8ge"): {"anonymous": LOGIN, "operator A": 403, "operator B": 403,
                                                  "coordinator": 200, "admin": 200},
    ("GET", "/espace/cadastre?area=nowhere"): {"anonymous": LOGIN, "operator A": 403, "operator B": 403,
                                               "coordinator": 400, "admin": 400},
    # Its tables as files and its report: the same; the operators' table only where the page shows it
    # (the Namur coordinator's bassin, any area for the admins), else it is not among the page's (404).
    **{("GET", path): {"anonymous": LOGIN, "operator A": 403, "operator B": 403, "coordinator": 200, "admin": 200}
       for path in ("/espace/cadastre/tableaux/courses.csv?area=Li%C3%A8ge", "/espace/cadastre/tableaux.xlsx",
                    "/espace/cadastre/rapport?area=Li%C3%A8ge", "/espace/cadastre/tableaux/referrals.xlsx",
                    "/espace/cadastre/tableaux/operator-freshness.csv?area=Namur")},
    ("GET", "/espace/cadastre/tableaux/operator-freshness.csv?area=Li%C3%A8ge"): {
        "anonymous": LOGIN, "operator A": 403, "operator B": 403, "coordinator": 404, "admin": 200},
    ("GET", "/espace/cadastre/tableaux/courses.csv?area=nowhere"): {
        "anonymous": LOGIN, "operator A": 403, "operator B": 403, "coordinator": 400, "admin": 400},
    # A colleague's access (the team page): 404 for everyone when the account does not exist.
    ("POST", f"/espace/comptes/{2**31 - 1}/retirer"): {"anonymous": LOGIN, "operator A": 404, "operator B": 404,
                                                      "coordinator": 404, "admin": 404},
}
# Social workers have nothing to do with operators' pages and the admins' pages.
_WORKERS_THERE = {"/espace/": 302, "/espace/organismes/nope": 404, "/espace/cours/nope/modifier": 404,
                  f"/espace/comptes/{2**31 - 1}/retirer": 404}
MATRIX = {
    **{key: {**row, **dict.fromkeys(WORKERS, _WORKERS_THERE.get(key[1], 403))}
       for key, row in _OPERATORS_MATRIX.items()},
    # The gap page and its map's script: public; a bad parameter is a 400 for everyone.
    **{("GET", path): {"anonymous": 200, **dict.fromkeys(NOT_WORKERS + WORKERS, 200)}
       for path in ("/cadastre/ecarts?kind=fle&area=Namur", "/cadastre/ecarts/carte.js?kind=fle&area=Namur")},
    ("GET", "/cadastre/ecarts?kind=fle&km=-1"): {"anonymous": 400, **dict.fromkeys(NOT_WORKERS + WORKERS, 400)},
    # The public figures' files and report: public, and the same for everyone.
    **{("GET", path): {"anonymous": 200, **dict.fromkeys(NOT_WORKERS + WORKERS, 200)}
       for path in ("/cadastre/tableaux/courses.csv?area=Namur", "/cadastre/tableaux.xlsx",
                    "/cadastre/rapport?area=Namur", "/cadastre/ecarts/tableau.xlsx?kind=fle&area=Namur")},
    ("GET", "/cadastre/tableaux/operator-freshness.csv"): {"anonymous": 404,
                                                           **dict.fromkeys(NOT_WORKERS + WORKERS, 404)},
    # Referrals: the workers of the sending service and the course's operator; never coordinators
    # nor admins (they hold personal data).
    ("GET", "/espace/orientations"): {"anonymous": LOGIN, "operator A": 200, "operator B": 200, "coordinator": 403,
                                      "admin": 403, **dict.fromkeys(WORKERS, 200)},
    ("GET", f"/espace/orientations/{REFERRAL_A}"): {"anonymous": LOGIN, "operator A": 200, "operator B": 403,
                                                    "coordinator": 403, "admin": 403, "worker A": 200,
                                                    "worker A2": 200, "worker B": 403},
    ("GET", f"/espace/orientations/{REFERRAL_B}"): {"anonymous": LOGIN, "operator A": 403, "operator B": 200,
                                                    "coordinator": 403, "admin": 403, "worker A": 403,
                                                    "worker A2": 403, "worker B": 200},
    ("GET", f"/espace/orientations/{NOBODY}"): {"anonymous": LOGIN, **dict.fromkeys(NOT_WORKERS + WORKERS, 404)},
    # An empty answer is refused (400) once the loader let the operator in.
    ("POST", f"/espace/orientations/{REFERRAL_A}/reponse"): {"anonymous": LOGIN, "operator A": 400,
                                                             **dict.fromkeys(NOT_WORKERS[1:] + WORKERS, 403)},
    ("POST", f"/espace/orientations/{NOBODY}/reponse"): {"anonymous": LOGIN,
                                                         **dict.fromkeys(NOT_WORKERS + WORKERS, 404)},
    ("POST", f"/espace/orientations/{REFERRAL_A}/supprimer"): {"anonymous": LOGIN, "worker A": 302,
                                                               "worker A2": 302, "worker B": 403,
                                                               **dict.fromkeys(NOT_WORKERS, 403)},
    ("GET", "/espace/cours/course-a/orienter"): {"anonymous": LOGIN, **dict.fromkeys(NOT_WORKERS, 403),
                                                 **dict.fromkeys(WORKERS, 200)},
    ("POST", "/espace/cours/course-b/orienter"): {"anonymous": LOGIN, **dict.fromkeys(NOT_WORKERS, 403),
                                                  **dict.fromkeys(WORKERS, 400)},
    ("GET", "/espace/cours/nope/orienter"): {"anonymous": LOGIN, **dict.fromkeys(NOT_WORKERS + WORKERS, 404)},
}
# Every role × route matrix of the tests (tests/loader_guard.py watches each request they make).
MATRICES = ("tests.test_permissions", "tests.accounts.test_onboarding", "tests.workspace.test_sites",
            "tests.bulk.test_bulk", "tests.workspace.test_history", "tests.workspace.test_operator_profile")


@over_matrix(MATRIX)
def test_role_route_matrix(app, people, method, path, person, expected):
    check_matrix(app, method, path, people[person], expected)


def test_every_route_naming_an_object_is_in_a_matrix(app):
    """Each signed-in route with an id, a ref or a bassin in its URL is requested by some matrix."""
    adapter = app.url_map.bind("passerelle.test")
    requested = {adapter.match(path.split("?")[0], method=method)[0]
                 for module in MATRICES for method, path in importlib.import_module(module).MATRIX}
    naming = {rule.endpoint for rule in app.url_map.iter_rules()
              if rule.arguments and getattr(app.view_functions[rule.endpoint], "access", None) == SIGNED_IN}
    assert naming and naming - requested == set()


def test_operator_is_sent_to_its_own_page(app, people):
    response = signed_in_client(app, people["operator A"]).get("/espace/")
    assert response.headers["Location"].endswith("/espace/organismes/op-a")


def test_coordinator_sees_only_operators_of_its_bassin(app, people):
    page = signed_in_client(app, people["coordinator"]).get("/espace/").get_data(as_text=True)
    assert "/espace/organismes/op-a" in page and "/espace/organismes/op-b" not in page
    page = signed_in_client(app, people["admin"]).get("/espace/").get_data(as_text=True)
    assert "/espace/organismes/op-a" in page and "/espace/organismes/op-b" in page


# -- the table of `may` ---------------------------------------------------------------------------
def test_an_unknown_action_fails_loudly(app_context, people):
    admin = _user(people["admin"])
    with pytest.raises(UnknownAction):
        may(admin, "edit_cours", _operator("op-a"))
    with pytest.raises(UnknownAction):
        may(None, "no_such_action")  # even for nobody: the typo is the bug
    with pytest.raises(UnknownAction):
        scope(admin, "no_such_action")


def test_a_target_of_another_type_fails_loudly(app_context, people):
    admin = _user(people["admin"])
    with pytest.raises(TypeError, match="edit_course"):
        may(admin, "edit_course", _operator("op-a"))
    with pytest.raises(TypeError, match="list_operators"):
        may(admin, "list_operators", _operator("op-a"))
    with pytest.raises(TypeError, match="view_operator"):
        may(admin, "view_operator")


def test_the_table_speaks_of_the_roles_of_accounts():
    from portal.accounts.models import ROLES

    assert {OPERATOR, COORDINATOR, ADMIN, SOCIAL_WORKER} == set(ROLES)
    assert {role for rule in rules().values() for role in rule.by_role} <= set(ROLES)


ACTION_USES = (
    re.compile(r"""\bmay\(\s*current_user,\s*["'](\w+)["']"""),
    re.compile(r"""\brequire\(\s*["'](\w+)["']"""),
    re.compile(r"\b(?:" + "|".join(loader.__name__ for loader in LOADERS) + r""")\(\s*\w+,\s*["'](\w+)["']\)"""),
    re.compile(r"""\b(?:scope|bassins_of)\(\s*\w+,\s*["'](\w+)["']\)"""),
)


def test_every_action_is_used_and_every_action_used_is_in_the_table():
    """Read the code and the templates: each action string they pass is a row, each row is used."""
    root = Path(portal.__file__).parent
    used: dict[str, set[str]] = {}
    for path in [*root.rglob("*.py"), *root.rglob("*.html")]:
        text = path.read_text(encoding="utf-8")
        for pattern in ACTION_USES:
            for action in pattern.findall(text):
                used.setdefault(action, set()).add(str(path.relative_to(root)))
    assert set(used) - set(rules()) == set()  # a typo would be a 500 on the page that runs it
    assert set(rules()) - set(used) == set()  # no row that nothing asks


def _user(email):
    from portal.accounts.models import User

    return db.session.scalar(select(User).where(User.email == email)) if email else None


def _operator(ref):
    return db.session.scalar(select(Operator).where(Operator.ref == ref))


def test_scopes_agree_with_their_predicates(app_context, people):
    """A list page shows exactly the rows whose page the person may open."""
    from portal.accounts.models import Invitation, SignupRequest, User
    from portal.offer.models import Course, Site
    from portal.referrals.models import Referral

    for bassin, postal_code in (("Namur", "5000"), ("Liège", "4000")):
        db.session.add(SignupRequest(organisation=f"Asbl {bassin}", kind="asbl", postal_code=postal_code,
                                     locality=bassin, bassin_efe=bassin, contact_name="Ann",
                                     email=f"{postal_code}@example.org"))
    db.session.add(Operator(ref="op-home", name="Signed up in Namur, no site yet", kind="asbl",
                            home_bassin="Namur"))
    db.session.commit()
    compared = set()
    for action, rule in rules().items():
        if rule.target not in (Operator, Course, Site, SignupRequest, Invitation, User, Referral):
            continue
        for person, email in people.items():
            user = _user(email)
            try:
                condition = scope(user, action)
            except UnknownAction:  # a grant without a SQL twin: nothing lists it
                continue
            listed = set(db.session.scalars(select(rule.target.id).where(condition)))
            allowed = {row.id for row in db.session.scalars(select(rule.target)) if may(user, action, row)}
            assert listed == allowed, (person, action)
            compared.add(action)
    assert {"view_operator", "decide_signup", "view_account", "view_referral"} <= compared
    assert {o.ref for o in db.session.scalars(select(Operator).where(operators_seen_by(_user(
        people["coordinator"]))))} == {"op-a", "op-home"}


def test_a_role_no_row_names_is_refused_everything(app_context, people):
    """A new role gets nothing until rows name it."""
    from portal.accounts.models import Invitation, SignupRequest, User
    from portal.cadastre.areas import Area
    from portal.offer.models import Course, Site
    from portal.referrals.models import Referral

    newcomer = _user(people["worker A"])
    newcomer.role, newcomer.operator_id = "volunteer", _operator("op-a").id  # never committed
    samples = {None: None, str: "Namur", Operator: _operator("op-a"), User: newcomer,
               Course: db.session.scalar(select(Course)), Site: db.session.scalar(select(Site)),
               SignupRequest: SignupRequest(bassin_efe="Namur"),
               Invitation: Invitation(operator_id=newcomer.operator_id),
               Referral: db.session.get(Referral, REFERRAL_A), Area: Area("Namur", "Namur")}
    assert [action for action, rule in rules().items() if may(newcomer, action, samples[rule.target])] == []
    assert db.session.scalars(select(Operator).where(operators_seen_by(newcomer))).all() == []
    db.session.rollback()
