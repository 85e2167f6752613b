"""The run-time check of tests/loader_guard.py really fails views that bypass the permissions
loaders: deliberately bad views on an application of their own (routes cannot be added to the
shared one once it has answered)."""
from __future__ import annotations

import pytest
from flask import Blueprint
from sqlalchemy import select

from portal import permissions
from portal.accounts.models import User
from portal.extensions import db
from portal.offer.models import Operator
from tests.conftest import make_app
from tests.people import make_people, signed_in_client

trial = Blueprint("trial", __name__, url_prefix="/espace/essai")


@trial.get("/select/<ref>")
@permissions.signed_in
def bypass_with_a_select(ref: str):
    operator = db.session.scalar(select(Operator).where(Operator.ref == ref))
    return operator.name if operator is not None and permissions.may(
        permissions.current_user, "view_operator", operator) else ("no", 403)


@trial.get("/get/<int:user_id>")
@permissions.signed_in
def bypass_with_session_get(user_id: int):
    return db.session.get(User, user_id).email


@trial.get("/nothing/<ref>")
@permissions.signed_in
def never_loads(ref: str):
    return "answered without looking"


@trial.get("/loader/<ref>")
@permissions.signed_in
def through_the_loader(ref: str):
    # The module's attribute, as views call the name they imported (the guard wraps both).
    operator = permissions.operator_for(ref, "view_operator")
    again = db.session.scalar(select(Operator).where(Operator.ref == ref))  # once allowed, reloading is fine
    return again.name if again is operator else "?"


@trial.get("/public/<ref>")
@permissions.public
def public_page(ref: str):
    return db.session.scalar(select(Operator.name).where(Operator.ref == ref)) or "none"


@pytest.fixture()
def trial_app(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'trial.db'}")
    app.register_blueprint(trial)
    with app.app_context():
        db.create_all()
        people = make_people()
        yield app, people
        db.session.remove()


def test_a_view_that_selects_its_object_itself_fails(trial_app, loader_guard):
    app, people = trial_app
    client = signed_in_client(app, people["operator A"])
    assert client.get("/espace/essai/select/op-a").status_code == 200  # the page itself works
    assert client.get("/espace/essai/select/OP-B").status_code == 403
    assert [v.split(":")[0] for v in loader_guard.violations] == [
        "GET /espace/essai/select/op-a (trial.bypass_with_a_select)",
        "GET /espace/essai/select/OP-B (trial.bypass_with_a_select)"]
    assert "SELECT Operator before any permissions loader" in loader_guard.violations[0]
    loader_guard.violations.clear()


def test_a_view_that_gets_its_object_by_id_fails_even_from_the_session(trial_app, loader_guard):
    """The user is in the session already (no SELECT is sent): Session.get is watched too."""
    app, people = trial_app
    admin = db.session.scalar(select(User).where(User.email == people["admin"]))
    client = signed_in_client(app, people["admin"])
    assert client.get(f"/espace/essai/get/{admin.id}").status_code == 200
    assert loader_guard.violations == [f"GET /espace/essai/get/{admin.id} (trial.bypass_with_session_get): "
                                       f"Session.get(User, {admin.id}) before any permissions loader"]
    loader_guard.violations.clear()


def test_a_view_that_answers_without_a_loader_fails(trial_app, loader_guard):
    app, people = trial_app
    assert signed_in_client(app, people["coordinator"]).get("/espace/essai/nothing/op-b").status_code == 200
    assert loader_guard.violations == ["GET /espace/essai/nothing/op-b (trial.never_loads): answered 200 "
                                       "without calling a permissions loader"]
    loader_guard.violations.clear()


def test_views_through_the_loaders_and_public_pages_pass(trial_app, loader_guard):
    app, people = trial_app
    client = signed_in_client(app, people["operator A"])
    assert client.get("/espace/essai/loader/op-a").get_data(as_text=True) == "Opérateur A (test)"
    assert client.get("/espace/essai/loader/op-b").status_code == 403
    assert client.get("/espace/essai/loader/nope").status_code == 404
    assert client.get("/espace/essai/public/op-b").status_code == 200
    assert app.test_client().get("/espace/essai/select/op-a").status_code == 302  # to sign in: not a view's load
    assert loader_guard.violations == []


def test_the_session_users_own_account_in_the_url_is_not_a_violation(trial_app, loader_guard):
    """The session's user is loaded by Flask-Login before the view; the view then uses the loader."""
    app, people = trial_app
    admin = db.session.scalar(select(User).where(User.email == people["admin"]))
    client = signed_in_client(app, people["admin"])
    db.session.expunge_all()  # the next request loads the session's user from the database
    response = client.post(f"/espace/comptes/{admin.id}/second-facteur")
    assert response.status_code == 200 and "confirm" in response.get_data(as_text=True)  # the confirmation step
    assert loader_guard.violations == []
