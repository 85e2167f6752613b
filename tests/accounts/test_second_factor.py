"""The second factor (TOTP): optional for operators, required for coordinators and admins; a code
works once."""
from __future__ import annotations

import re
import threading

import pyotp
import pytest
from sqlalchemy import select

from portal.accounts import second_factor
from portal.accounts.models import User
from portal.accounts.services import create_user
from portal.accounts.sign_in import MAX_CODE_TRIES
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


# -- a time step is accepted once per account, the wrong codes all count (finding: races) -------
def at_code_step(app, count: int) -> list:
    """``count`` browsers that gave the right password of a@example.org and wait for the code."""
    clients = [app.test_client() for _ in range(count)]
    for client in clients:
        response = client.post("/connexion", data={"email": "a@example.org", "password": PASSWORD})
        assert "/connexion/code" in response.headers["Location"]
    return clients


def signed_in(response) -> bool:
    return response.status_code == 302 and "/connexion" not in response.headers["Location"]


def at_once(requests: list) -> list:
    """Send the requests from threads released together (each request has its own application
    context, so its own database session and connection, as in separate workers)."""
    barrier = threading.Barrier(len(requests))
    responses: list = [None] * len(requests)

    def send(index: int) -> None:
        barrier.wait()
        responses[index] = requests[index]()

    threads = [threading.Thread(target=send, args=(index,)) for index in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


@pytest.fixture()
def postgresql_only(backend):
    if backend != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL (SQLite runs one writer at a time)")


@pytest.mark.parametrize("attempt", range(4))
def test_one_code_sent_by_several_browsers_at_once_opens_one_session(app, users, postgresql_only, attempt):
    with_second_factor(user("a@example.org"))
    clients = at_code_step(app, 4)
    code = pyotp.TOTP(TOTP_SECRET).now()
    responses = at_once([lambda c=c: c.post("/connexion/code", data={"code": code}) for c in clients])
    assert sum(signed_in(response) for response in responses) == 1
    assert sum(c.get("/espace/organismes/op-a").status_code == 200 for c in clients) == 1


def test_wrong_codes_sent_at_once_are_all_counted(app, users, postgresql_only):
    with_second_factor(user("a@example.org"))
    clients = at_code_step(app, MAX_CODE_TRIES)
    at_once([lambda c=c: c.post("/connexion/code", data={"code": "000000"}) for c in clients])
    db.session.expire_all()
    assert user("a@example.org").totp_locked_until is not None  # exactly MAX_CODE_TRIES: locked
    fresh = at_code_step(app, 1)[0]
    response = fresh.post("/connexion/code", data={"code": pyotp.TOTP(TOTP_SECRET).now()})
    assert response.status_code == 400 and "15 minutes" in response.get_data(as_text=True)


def between_read_and_write(monkeypatch, app, other_request) -> None:
    """Deterministic race: the next code request runs ``other_request`` (in its own application
    context: another database session) after it read the account and before it writes."""
    original = second_factor.accepted_step
    pending = [other_request]

    def checked_meanwhile(*args, **kwargs):
        step = original(*args, **kwargs)
        if pending:
            with app.app_context():
                pending.pop()()
        return step

    monkeypatch.setattr(second_factor, "accepted_step", checked_meanwhile)


def test_a_code_used_meanwhile_by_another_request_is_refused(app, users, monkeypatch):
    with_second_factor(user("a@example.org"))
    first, second = at_code_step(app, 2)
    code = pyotp.TOTP(TOTP_SECRET).now()
    other: list = []
    between_read_and_write(monkeypatch, app, lambda: other.append(second.post("/connexion/code", data={"code": code})))
    response = first.post("/connexion/code", data={"code": code})
    assert signed_in(other[0])
    assert response.status_code == 400 and not signed_in(response)
    assert first.get("/espace/organismes/op-a").status_code == 302


def test_a_wrong_code_counted_meanwhile_is_not_lost(app, users, monkeypatch):
    with_second_factor(user("a@example.org"))
    first, second = at_code_step(app, 2)
    between_read_and_write(monkeypatch, app, lambda: second.post("/connexion/code", data={"code": "000000"}))
    first.post("/connexion/code", data={"code": "000000"})
    db.session.expire_all()
    assert user("a@example.org").totp_failures == 2


def test_the_key_being_set_up_is_not_in_the_session_cookie(app, users):
    client = app.test_client()
    client.post("/connexion", data={"email": "coord@example.org", "password": PASSWORD})
    page = client.get("/compte/double-authentification").get_data(as_text=True)
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    cookie = client.get_cookie("session", domain="passerelle.test").value
    content = app.session_interface.get_signing_serializer(app).loads(cookie)  # what anyone holding it reads
    assert secret not in repr(content) and "totp_setup" not in content
    assert user("coord@example.org").pending_totp_secret == secret
    # A wrong code keeps the same key; the right one turns it on and forgets the pending key.
    assert client.post("/compte/double-authentification", data={"code": "000000"}).status_code == 400
    assert user("coord@example.org").pending_totp_secret == secret
    assert client.post("/compte/double-authentification",
                       data={"code": pyotp.TOTP(secret).now()}).status_code == 302
    account = user("coord@example.org")
    assert (account.totp_secret, account.pending_totp_secret) == (secret, None)
