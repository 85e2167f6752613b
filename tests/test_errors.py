"""Errors: an accessible HTML page for people, JSON for the API, never a stack trace."""
from __future__ import annotations

import re

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


# -- every error page speaks the visitor's language --------------------------------------------
@pytest.fixture()
def erring_app(tmp_path):
    """A route per error, raised as early as a view can (before it touches anything)."""
    from flask import abort
    from flask_wtf.csrf import CSRFError

    app = make_app(f"sqlite:///{tmp_path / 'errors.db'}", PROPAGATE_EXCEPTIONS=False, MAX_CONTENT_LENGTH=1000)

    def fail(status: int):
        if status == 0:
            raise CSRFError("The CSRF token has expired.")
        if status == 500:
            raise RuntimeError("a bug")
        abort(status)

    app.add_url_rule("/fail/<int:status>", "fail", fail, methods=["GET", "POST"])
    with app.app_context():
        from portal.extensions import db

        db.create_all()
    return app


FRENCH = {
    0: "Ce formulaire a expiré", 400: "Cette demande n'est pas valable", 403: "Vous ne pouvez pas ouvrir cette page",
    404: "Page introuvable", 405: "Cette action n'est pas possible ici", 413: "Ce fichier est trop grand",
    429: "Trop d'essais", 500: "Un problème est survenu", 503: "Le service est occupé",
}
ENGLISH = {
    0: "This form has expired", 400: "This request is not valid", 403: "You may not open this page",
    404: "Page not found", 405: "This action is not possible here", 413: "This file is too large",
    429: "Too many tries", 500: "Something went wrong", 503: "The service is busy",
}
# What werkzeug says of each status: never shown to people.
WERKZEUG = ("You don't have the permission", "The browser (or proxy) sent a request", "The data value transmitted",
            "Too Many Requests", "The server is temporarily unable", "The CSRF token")


@pytest.mark.parametrize("status", sorted(FRENCH))
@pytest.mark.parametrize("language, words", [("fr", FRENCH), ("en", ENGLISH), ("ar", None), ("uk", None)])
def test_every_error_page_speaks_the_visitors_language(erring_app, status, language, words):
    client = erring_app.test_client()
    response = client.get(f"/fail/{status}?lang={language}")
    page = response.get_data(as_text=True)
    assert response.status_code == (status or 400)
    assert f'<html lang="{language}"' in page
    if words is not None:
        assert f"<h1>{words[status]}</h1>".replace("'", "&#39;") in page
    else:  # in the language's own letters
        heading = re.search(r"<h1>([^<]+)</h1>", page).group(1)
        assert re.search("[\u0600-\u06ff]" if language == "ar" else "[\u0400-\u04ff]", heading), heading
    assert not any(phrase in page for phrase in WERKZEUG), page
    # The browser's language is offered, not imposed: without `lang`, French.
    if language == "fr":
        offered = client.get(f"/fail/{status}", headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert '<html lang="fr"' in offered


@pytest.mark.parametrize("language, heading", [("fr", "Ce fichier est trop grand"), ("en", "This file is too large")])
def test_a_request_too_large_and_a_bad_character_speak_the_visitors_language(erring_app, language, heading):
    client = erring_app.test_client()
    too_large = client.post(f"/fail/404?lang={language}", data={"text": "x" * 5000})
    assert too_large.status_code == 413 and heading in too_large.get_data(as_text=True)
    nul = client.get(f"/?q=%00&lang={language}")
    assert nul.status_code == 400 and ("Cette demande" if language == "fr" else "This request") in nul.get_data(
        as_text=True)
