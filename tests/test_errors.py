"""Errors: an accessible HTML page for people, JSON for the API, never a stack trace."""
from __future__ import annotations

import pytest

from tests.conftest import make_app


@pytest.fixture()
def failing_app(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'errors.db'}", PROPAGATE_EXCEPTIONS=False)

    def explode():
        raise RuntimeError("a bug")

    app.add_url_rule("/explode", "explode", explode)
    app.add_url_rule("/api/v1/explode", "api_explode", explode)
    return app


def test_a_bug_gives_an_accessible_500_page(failing_app):
    response = failing_app.test_client().get("/explode")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert '<html lang="fr"' in page and "<h1>" in page and "<main" in page
    assert "RuntimeError" not in page and "Traceback" not in page
    assert 'href="/"' in page  # a way back to the search


def test_an_unknown_page_gives_an_accessible_404_page(failing_app):
    response = failing_app.test_client().get("/nulle-part")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert '<html lang="fr"' in page and "<h1>" in page and "<title>" in page


def test_api_errors_are_json(failing_app):
    client = failing_app.test_client()
    missing = client.get("/api/v1/nulle-part")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    wrong_method = client.post("/api/v1/courses")
    assert wrong_method.status_code == 405 and wrong_method.get_json()["error"]["code"] == "method_not_allowed"


def test_a_bug_under_the_api_is_a_json_500(failing_app):
    response = failing_app.test_client().get("/api/v1/explode")
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == "internal_error"
