"""Absolute links come from PUBLIC_URL, never from the request's Host header (issue 8, 2.15)."""
from __future__ import annotations

import json
import re

import pytest

from portal.urls import check_public_url, public_url_for
from tests import factories as f

FORGED = "evil.example"


@pytest.fixture()
def forged_host_client(app, client, monkeypatch):
    """The test client of a portal that, like production, has no SERVER_NAME: every request
    carries a Host header the visitor chose."""
    monkeypatch.setitem(app.config, "SERVER_NAME", None)
    f.load_courses(f.course("c-namur", title="FLE à Namur"))

    def get(path: str):
        response = client.get(path, headers={"Host": FORGED, "X-Forwarded-Host": FORGED})
        assert response.status_code == 200, (path, response.status_code)
        return response.get_data(as_text=True)

    return get


def test_public_pages_link_to_public_url_whatever_the_host(forged_host_client):
    course = forged_host_client("/cours/c-namur")
    json_ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', course, re.S).group(1))
    assert json_ld["url"] == json_ld["@id"] == "https://passerelle.test/cours/c-namur"
    assert "https://passerelle.test/cours/c-namur" in forged_host_client("/cours/c-namur/imprimer")
    assert 'href="https://passerelle.test/?bassin=Namur"' in forged_host_client("/embed?bassin=Namur")
    for path in ("/cours/c-namur", "/cours/c-namur/imprimer", "/embed?bassin=Namur", "/?q=namur"):
        assert FORGED not in forged_host_client(path), path


def test_the_api_links_to_public_url_whatever_the_host(forged_host_client):
    items = json.loads(forged_host_client("/api/v1/courses"))["items"]
    assert [item["url"] for item in items] == ["https://passerelle.test/cours/c-namur"]
    detail = json.loads(forged_host_client("/api/v1/courses/c-namur"))
    assert detail["url"] == "https://passerelle.test/cours/c-namur"
    features = json.loads(forged_host_client("/api/v1/courses.geojson"))["features"]
    assert features[0]["properties"]["url"] == "https://passerelle.test/cours/c-namur"
    openapi = json.loads(forged_host_client("/api/v1/openapi.json"))
    assert openapi["servers"] == [{"url": "https://passerelle.test/api/v1"}]
    for path in ("/api/v1/courses", "/api/v1/courses/c-namur", "/api/v1/courses.geojson", "/api/v1/openapi.json"):
        assert FORGED not in forged_host_client(path), path


@pytest.mark.parametrize(("public_url", "expected"), [
    ("https://passerelle.example.org", "https://passerelle.example.org/cours/x%20y"),
    ("https://passerelle.example.org/", "https://passerelle.example.org/cours/x%20y"),
    ("http://127.0.0.1:5000", "http://127.0.0.1:5000/cours/x%20y"),
    ("https://example.org/passerelle", "https://example.org/passerelle/cours/x%20y"),
    ("https://example.org/passerelle/", "https://example.org/passerelle/cours/x%20y"),
])
def test_public_url_keeps_scheme_host_and_path_prefix(app, public_url, expected, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", public_url)
    with app.test_request_context("/", headers={"Host": FORGED}):
        assert public_url_for("search.course", ref="x y") == expected


@pytest.mark.parametrize("public_url", ["passerelle.example.org", "ftp://example.org", "https://", "/chemin",
                                        "https://example.org/?a=1"])
def test_a_public_url_that_is_not_an_absolute_address_stops_the_start(app, public_url, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", public_url)
    with pytest.raises(ValueError, match="PUBLIC_URL"):
        check_public_url(app)


def test_production_refuses_to_start_without_its_address_or_key(tmp_path):
    from portal.urls import MissingSetting
    from tests.conftest import make_app

    url = f"sqlite:///{tmp_path / 'prod.db'}"
    with pytest.raises(MissingSetting, match="PUBLIC_URL"):
        make_app(url, ENVIRONMENT="production", PUBLIC_URL="")
    with pytest.raises(MissingSetting, match="SECRET_KEY"):
        make_app(url, ENVIRONMENT="production", SECRET_KEY="", PUBLIC_URL="https://passerelle.example.org")
    app = make_app(url, ENVIRONMENT="production", PUBLIC_URL="https://passerelle.example.org")
    assert app.config["PUBLIC_URL"] == "https://passerelle.example.org"


def test_a_development_copy_without_an_address_links_to_the_local_server(tmp_path):
    from tests.conftest import make_app

    app = make_app(f"sqlite:///{tmp_path / 'dev.db'}", PUBLIC_URL="")
    assert app.config["PUBLIC_URL"] == "http://127.0.0.1:5000"
