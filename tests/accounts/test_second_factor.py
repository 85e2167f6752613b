"""The second factor (TOTP): optional for operators, required for coordinators and admins; a code
works once."""
from __future__ import annotations

import re

import pyotp
import pytest
from sqlalchemy import select

from portal.accounts import second_factor
from portal.accounts.models import User
from portal.accounts.services import create_user
from portal.extensions import db
from tests.people import PASSWORD, TOTP_SECRET, with_second_factor


@pytest.fixture()
def users(app_context):
    from tests import factories as f

    f.load(f.document(f.operator("op-a")))
    create_user("a@example.org", PASSWORD, "operator", operator_ref="op-a")
    create_user("coord@example.org", PASSWORD, "coordinator", bassin="Namur")


def user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def test_code_is_accepted_once_and_within_a_step_of_drift():
    now = 1_800_000_000.0
    totp = pyotp.TOTP(TOTP_SECRET)
    code = totp.at(now)
    step = second_factor.accepted_step(TOTP_SECRET, code, None, now=now)
    assert step == int(now // 30)
    assert second_factor.accepted_step(TOTP_SECRET, code, step, now=now) is None  # replay
    assert second_factor.accepted_step(TOTP_SECRET, totp.at(now - 30), None, now=now) == step - 1
    assert second_factor.accepted_step(TOTP_SECRET, totp.at(now - 90), None, now=now) is None
    assert second_factor.accepted_step(TOTP_SECRET, "12345", None, now=now) is None
    assert second_factor.accepted_step(TOTP_SECRET, code[:3] + " " + code[3:], None, now=now) == step


def test_coordinator_must_set_up_the_second_factor_before_anything_else(app, users):
    client = app.test_client()
    response = client.post("/connexion", data={"email": "coord@example.org", "password": PASSWORD})
    assert "/compte/double-authentification" in response.headers["Location"]
    assert "/compte/double-authentification" in client.get("/espace/").headers["Location"]
    page = client.get("/compte/double-authentification").get_data(as_text=True)
    assert "<svg" in page and "qr-code" in page
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    response = client.post("/compte/double-authentification", data={"code": "000000"})
    assert response.status_code == 400 and 'id="error-code"' in response.get_data(as_text=True)
    response = client.post("/compte/double-authentification", data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert user("coord@example.org").totp_secret == secret
    assert client.get("/espace/").status_code == 200
    # A coordinator cannot turn it off.
    assert client.post("/compte/double-authentification/desactiver").status_code == 403


def test_sign_in_with_a_second_factor_asks_for_the_code(app, users):
    with_second_factor(user("a@example.org"))
    client = app.test_client()
    response = client.post("/connexion?next=/espace/organismes/op-a",
                           data={"email": "a@example.org", "password": PASSWORD})
    assert "/connexion/code" in response.headers["Location"]
    assert "/connexion" in client.get("/espace/").headers["Location"]  # not signed in yet
    response = client.post(response.headers["Location"], data={"code": "123456"})
    assert response.status_code == 400
    code = pyotp.TOTP(TOTP_SECRET).now()
    response = client.post("/connexion/code?next=/espace/organismes/op-a", data={"code": code})
    assert response.status_code == 302 and response.headers["Location"].endswith("/espace/organismes/op-a")
    # The same code does not open a second session.
    other = app.test_client()
    other.post("/connexion", data={"email": "a@example.org", "password": PASSWORD})
    assert other.post("/connexion/code", data={"code": code}).status_code == 400


def test_five_wrong_codes_lock_the_codes_of_the_account_for_a_while(app, users):
    with_second_factor(user("a@example.org"))
    client = app.test_client()
    client.post("/connexion", data={"email": "a@example.org", "password": PASSWORD})
    saved_cookie = client.get_cookie("session", domain="passerelle.test").value
    for _ in range(4):
        assert client.post("/connexion/code", data={"code": "000000"}).status_code == 400
    response = client.post("/connexion/code", data={"code": "000000"})
    assert response.status_code == 302 and "locked=1" in response.headers["Location"]
    assert client.get("/connexion/code").status_code == 302
    # Replaying the cookie from before the wrong codes does not help: the account counts.
    client.set_cookie("session", saved_cookie, domain="passerelle.test")
    response = client.post("/connexion/code", data={"code": pyotp.TOTP(TOTP_SECRET).now()})
    assert response.status_code == 400 and "15 minutes" in response.get_data(as_text=True)
    assert "/connexion" in client.get("/espace/").headers["Location"]
    # After the lock, the right code works again.
    account = user("a@example.org")
    account.totp_locked_until = None
    db.session.commit()
    client.post("/connexion", data={"email": "a@example.org", "password": PASSWORD})
    assert client.post("/connexion/code", data={"code": pyotp.TOTP(TOTP_SECRET).now()}).status_code == 302


def test_code_page_without_a_password_first_goes_to_sign_in(app, users):
    assert "/connexion" in app.test_client().get("/connexion/code").headers["Location"]


def test_operator_may_turn_it_on_and_off(app, users):
    client = app.test_client()
    client.post("/connexion", data={"email": "a@example.org", "password": PASSWORD})
    page = client.get("/compte/double-authentification").get_data(as_text=True)
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    client.post("/compte/double-authentification", data={"code": pyotp.TOTP(secret).now()})
    assert user("a@example.org").totp_secret == secret
    assert client.post("/compte/double-authentification/desactiver").status_code == 400  # no password
    response = client.post("/compte/double-authentification/desactiver", data={"off-current": "wrong password!"})
    assert response.status_code == 400 and 'id="error-off-current"' in response.get_data(as_text=True)
    assert user("a@example.org").totp_secret == secret
    # Replacing it asks for the password too.
    page = client.get("/compte/double-authentification").get_data(as_text=True)
    other = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    response = client.post("/compte/double-authentification", data={"code": pyotp.TOTP(other).now()})
    assert response.status_code == 400 and user("a@example.org").totp_secret == secret
    response = client.post("/compte/double-authentification/desactiver", data={"off-current": PASSWORD})
    assert response.status_code == 302
    assert user("a@example.org").totp_secret is None
