"""Signing out ends the session on the server: a copy of the cookie (same address, same browser)
opens nothing afterwards. Every session id carries the account's session generation."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.accounts.models import User
from portal.extensions import db
from tests.people import make_people, signed_in_client

PAGES = ("/espace/organismes/op-a", "/espace/organismes/op-a/export.csv", "/compte/")


@pytest.fixture()
def people(app_context):
    return make_people()


def session_cookie(client) -> str:
    return client.get_cookie("session", domain="passerelle.test").value


@pytest.mark.parametrize("person", ["operator A", "admin"])
def test_a_cookie_replayed_after_sign_out_opens_nothing(app, people, person):
    client = signed_in_client(app, people[person])
    for path in PAGES:
        assert client.get(path).status_code == 200, path
    copied = session_cookie(client)
    response = client.post("/deconnexion")
    assert response.status_code == 302 and "signed_out=1" in response.headers["Location"]
    client.set_cookie("session", copied, domain="passerelle.test")  # same browser, same address
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 302 and "/connexion" in response.headers["Location"], path


def test_signing_out_ends_the_other_sessions_of_the_account_too(app, people):
    here, elsewhere = signed_in_client(app, people["operator A"]), signed_in_client(app, people["operator A"])
    here.post("/deconnexion")
    assert "/connexion" in elsewhere.get("/espace/organismes/op-a").headers["Location"]
    # Signing in again works, and other accounts were not touched.
    assert signed_in_client(app, people["operator A"]).get("/espace/organismes/op-a").status_code == 200


def test_a_session_of_another_generation_is_refused(app, people):
    client = signed_in_client(app, people["operator B"])
    user = db.session.scalar(select(User).where(User.email == "b@example.org"))
    assert user.get_id().endswith(f":{user.session_generation}")
    user.session_generation += 1  # what sign-out, disabling or a second-factor reset do
    db.session.commit()
    assert "/connexion" in client.get("/espace/organismes/op-b").headers["Location"]
    assert User.from_session_id(f"{user.id}:{user.password_stamp}") is None  # ids from before this change
    assert User.from_session_id(user.get_id()) is user
