"""A database that cannot answer (issue 8, 2.1 and 2.16): public queries have a time limit, and
a query past it or an unreachable database answers 503 with Retry-After, never a 500."""
from __future__ import annotations

import socket

import pytest
from flask import jsonify
from sqlalchemy import text

from portal.extensions import db
from portal.permissions import public
from tests import factories as f
from tests.conftest import make_app
from tests.people import PASSWORD, signed_in_client

SLOW = {  # about 1 s on either database
    "postgresql": "SELECT pg_sleep(1)",
    "sqlite": "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000000) "
              "SELECT count(*) FROM n",
}
A_LITTLE_SLOW = {  # about 0.3 s
    "postgresql": "SELECT pg_sleep(0.3)",
    "sqlite": "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000000) "
              "SELECT count(*) FROM n",
}


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture()
def limited_app(app, backend):
    """On the test database, an app whose public queries stop after 100 ms, with public and
    private slow routes."""
    app = make_app(app.config["SQLALCHEMY_DATABASE_URI"], PUBLIC_QUERY_TIMEOUT_MS=100, PROPAGATE_EXCEPTIONS=False)

    def slow():
        return jsonify(db.session.execute(text(SLOW[backend])).scalar())

    def a_little_slow():
        return jsonify(db.session.execute(text(A_LITTLE_SLOW[backend])).scalar())

    def setting():
        if backend == "postgresql":
            return jsonify(db.session.execute(text("SHOW statement_timeout")).scalar())
        return jsonify(None)

    def private_setting():
        return setting()

    app.add_url_rule("/lent", "slow_page", public(slow))
    app.add_url_rule("/api/v1/lent", "slow_api", slow)
    app.add_url_rule("/lent/prive", "slow_private", a_little_slow)  # not public: no limit
    app.add_url_rule("/reglage", "setting_public", public(setting))
    app.add_url_rule("/reglage/prive", "setting_private", private_setting)
    yield app
    with app.app_context():
        db.engine.dispose()


def test_a_public_page_past_the_time_limit_is_a_503_page(limited_app):
    response = limited_app.test_client().get("/lent")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "10"
    page = response.get_data(as_text=True)
    assert response.mimetype == "text/html" and '<html lang="fr"' in page and "<h1>" in page
    assert "Réessayez" in page or "réessayer" in page


def test_the_api_past_the_time_limit_is_a_json_503(limited_app):
    response = limited_app.test_client().get("/api/v1/lent")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "10"
    error = response.get_json()["error"]
    assert error["code"] == "unavailable" and error["message"]


def test_private_requests_have_no_time_limit(limited_app, backend):
    client = limited_app.test_client()
    assert client.get("/lent/prive").status_code == 200
    if backend == "postgresql":
        assert client.get("/reglage").get_json() == "100ms"
        assert client.get("/reglage/prive").get_json() == "0"
        assert client.get("/reglage").get_json() == "100ms"
    # The worker goes on serving after a stopped query.
    assert client.get("/lent").status_code == 503
    assert client.get("/lent/prive").status_code == 200


def unreachable_apps(tmp_path):
    not_a_directory = tmp_path / "a-file"
    not_a_directory.write_text("")
    return {
        "postgresql": make_app(f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/passerelle",
                               PROPAGATE_EXCEPTIONS=False),
        "sqlite": make_app(f"sqlite:///{not_a_directory / 'passerelle.db'}", PROPAGATE_EXCEPTIONS=False),
    }


@pytest.mark.parametrize("database", ["postgresql", "sqlite"])
def test_an_unreachable_database_gives_503s_and_healthz_says_so(tmp_path, database):
    client = unreachable_apps(tmp_path)[database].test_client()
    health = client.get("/healthz")
    assert (health.status_code, health.get_json()) == (503, {"status": "unavailable"})
    assert health.headers["Retry-After"] == "30"
    for path in ("/", "/?near=5000&q=cours", "/cours/c1", "/cours/c1/imprimer", "/embed"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert response.headers["Retry-After"] == "30"
        page = response.get_data(as_text=True)
        assert response.mimetype == "text/html" and '<html lang="fr"' in page, path
    for path in ("/api/v1/courses", "/api/v1/courses/c1", "/api/v1/courses.geojson"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert response.headers["Retry-After"] == "30"
        assert response.get_json()["error"]["code"] == "unavailable"
    # Sending a form that needs the database too.
    response = client.post("/connexion", data={"email": "a@example.org", "password": PASSWORD})
    assert response.status_code == 503


def test_signed_in_pages_are_503s_while_the_database_is_unreachable(app, client, tmp_path):
    """A session made while the database answered, replayed once it does not."""
    from tests.people import make_people

    people = make_people()
    signed_in = signed_in_client(app, people["operator A"])
    cookie = signed_in.get_cookie("session", domain="passerelle.test")
    down = unreachable_apps(tmp_path)["sqlite"]
    down.config["SECRET_KEY"] = app.config["SECRET_KEY"]
    client_down = down.test_client()
    client_down.set_cookie("session", cookie.value, domain=cookie.domain)
    for path in ("/espace/", "/espace/organismes/op-a", "/compte/", "/espace/organismes/op-a/export.csv"):
        response = client_down.get(path)
        assert response.status_code == 503, path
        assert response.headers["Retry-After"] == "30"


def test_the_real_search_runs_under_the_limit(limited_app, app_context):
    """The search page and the API answer normally under a limit they do not reach."""
    f.load_courses(f.course("c1", title="Français oral"))
    client = limited_app.test_client()
    assert client.get("/?q=francais").status_code == 200
    assert client.get("/api/v1/courses?q=francais").get_json()["total"] == 1


def test_a_transaction_whose_connection_died_rolls_back_cleanly(app, app_context):
    """The time limit's bookkeeping ends with each transaction. When the database connection died
    under it (the server crashed mid-import), reading the connection's info would raise, so the
    rollback that ends the transaction raised too (PendingRollbackError) and the session stayed
    unusable. Now the rollback ends it, and the next statement takes a new connection."""
    db.session.execute(text("SELECT 1"))
    db.session.connection().invalidate()
    db.session.rollback()
    assert db.session.execute(text("SELECT 1")).scalar() == 1
