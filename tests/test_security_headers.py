"""The security headers of every surface (issue 13, item 7), checked exactly: HTML pages (public,
private, errors) with a CSP without 'unsafe-inline', object-src and base-uri 'none', and no framing;
the embeddable search, which partner sites frame; what other sites fetch (API, open data, feed,
calendar file), CORS-open and CORP cross-origin; the site's assets; HSTS in production."""
from __future__ import annotations

import pytest

from portal.opendata.store import FILES
from tests import factories as f
from tests.conftest import make_app
from tests.people import make_people, signed_in_client

SECURITY_HEADERS = ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy",
                    "Cross-Origin-Opener-Policy", "Cross-Origin-Resource-Policy", "Permissions-Policy",
                    "Access-Control-Allow-Origin", "Strict-Transport-Security")
COMMON = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin",
          "Cross-Origin-Opener-Policy": "same-origin",
          "Permissions-Policy": "geolocation=(self), camera=(), microphone=(), payment=()"}
# The test configuration's tiles are the site's own (TILE_URL "/tiles-test/…"): no other host.
PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
PAGE = {**COMMON, "Content-Security-Policy": PAGE_CSP, "X-Frame-Options": "DENY",
        "Cross-Origin-Resource-Policy": "same-origin"}
EMBED = {**COMMON, "Content-Security-Policy": PAGE_CSP.replace("frame-ancestors 'none'", "frame-ancestors *"),
         "Cross-Origin-Resource-Policy": "cross-origin"}
OPEN = {**COMMON, "Content-Security-Policy": "default-src 'none'; base-uri 'none'; frame-ancestors 'none'",
        "X-Frame-Options": "DENY", "Cross-Origin-Resource-Policy": "cross-origin", "Access-Control-Allow-Origin": "*"}
ASSET = {**COMMON, "Content-Security-Policy": "default-src 'none'; base-uri 'none'; frame-ancestors 'none'",
         "X-Frame-Options": "DENY", "Cross-Origin-Resource-Policy": "same-origin"}

ANONYMOUS = {
    "/": PAGE, "/?near=5000&level=A1": PAGE, "/cours/course-a": PAGE, "/cours/course-a/imprimer": PAGE,
    "/trouver": PAGE, "/cadastre": PAGE, "/cadastre/ecarts?kind=fle": PAGE, "/donnees-ouvertes": PAGE,
    "/connexion": PAGE, "/selection?sel=course-a": PAGE, "/nowhere": PAGE, "/cours/nope": PAGE,
    "/?level=Z9": PAGE, "/embed": EMBED, "/embed?near=5000": EMBED,
    "/api/v1/courses": OPEN, "/api/v1/courses/course-a": OPEN, "/api/v1/courses?level=Z9": OPEN,
    "/api/v1/nowhere": OPEN, "/api/v1/courses.geojson": OPEN, "/api/v1/openapi.json": OPEN,
    "/api/v1/cadastre/gaps.csv?kind=fle": OPEN, "/flux.atom": OPEN, "/selection/calendrier.ics?sel=course-a": OPEN,
    **{f"/donnees-ouvertes/{file.filename}": OPEN for file in FILES},
    "/static/css/site.css": ASSET, "/favicon.ico": ASSET, "/cadastre/ecarts/carte.js?kind=fle": ASSET,
    "/vendor/leaflet/leaflet.js": ASSET,
}


def security_headers(response) -> dict[str, str]:
    return {name: response.headers[name] for name in SECURITY_HEADERS if name in response.headers}


@pytest.fixture()
def offer(app_context):
    f.load_courses(f.course("course-a"))


@pytest.mark.usefixtures("offer")
@pytest.mark.parametrize("path", list(ANONYMOUS))
def test_each_surface_has_exactly_its_headers(client, path):
    response = client.get(path)
    response.close()
    assert response.status_code in (200, 400, 404), (path, response.status_code)
    assert security_headers(response) == ANONYMOUS[path], path


def test_private_pages_have_the_page_headers_and_are_never_stored(app, app_context):
    people = make_people()
    operator = signed_in_client(app, people["operator A"])
    for path in ("/espace/organismes/op-a", "/espace/organismes/op-a/export.csv", "/compte/"):
        response = operator.get(path)
        assert response.status_code == 200, path
        expected = PAGE if response.mimetype == "text/html" else {
            **PAGE, "Content-Security-Policy": OPEN["Content-Security-Policy"]}
        assert security_headers(response) == expected, path
        assert response.headers["Cache-Control"] == "no-store"


def test_production_sends_hsts_on_every_surface(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'hsts.db'}", HSTS_SECONDS=63072000)
    from portal.extensions import db

    with app.app_context():
        db.create_all()
        client = app.test_client()
        for path in ("/", "/embed", "/api/v1/courses", "/static/css/site.css", "/nowhere"):
            response = client.get(path)
            response.close()
            assert response.headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains", path
        db.engine.dispose()


def test_hsts_is_two_years_in_production_and_off_elsewhere(monkeypatch):
    import importlib

    import portal.config

    monkeypatch.setenv("PASSERELLE_ENV", "production")
    monkeypatch.delenv("HSTS_SECONDS", raising=False)
    assert importlib.reload(portal.config).Config.HSTS_SECONDS == 63072000
    monkeypatch.setenv("PASSERELLE_ENV", "development")
    assert importlib.reload(portal.config).Config.HSTS_SECONDS == 0
    monkeypatch.undo()
    importlib.reload(portal.config)
