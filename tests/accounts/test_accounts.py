"""Accounts: argon2id passwords, sign-in with errors beside the fields, rate limit, CSRF, cookies."""
from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from portal.accounts import services
from portal.accounts.services import AccountError, create_user
from tests import factories as f
from tests.conftest import make_app
from tests.people import sign_in, with_second_factor

PASSWORD = "correct horse battery"


def test_default_hasher_is_argon2id_with_rfc_9106_costs():
    encoded = PasswordHasher().hash("x" * 12)
    assert encoded.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert services.PasswordHasher is PasswordHasher


def test_stored_password_is_an_argon2id_hash_not_the_password(app_context):
    f.load_courses()
    user = create_user("Ana@Example.org ", PASSWORD, "operator", operator_ref="op-a")
    assert user.email == "ana@example.org"
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"email": "nope", "role": "admin"}, "not an e-mail"),
    ({"email": "a@example.org", "role": "king"}, "not a role"),
    ({"email": "a@example.org", "role": "admin", "password": "short"}, "at least 12"),
    ({"email": "a@example.org", "role": "operator"}, "operator ref"),
    ({"email": "a@example.org", "role": "operator", "operator_ref": "nope"}, "operator ref"),
    ({"email": "a@example.org", "role": "coordinator"}, "bassin"),
    ({"email": "a@example.org", "role": "coordinator", "bassin": "Atlantide"}, "bassin"),
    ({"email": "a@example.org", "role": "admin", "bassin": "Namur"}, "only coordinators"),
])
def test_create_user_refuses_bad_requests(app_context, kwargs, message):
    kwargs = dict(kwargs)  # the parameters are shared by both database runs
    password = kwargs.pop("password", PASSWORD)
    with pytest.raises(AccountError, match=message):
        create_user(password=password, **kwargs)


def test_duplicate_email_is_refused(app_context):
    create_user("a@example.org", PASSWORD, "admin")
    with pytest.raises(AccountError, match="already exists"):
        create_user("A@example.org", PASSWORD, "admin")


def test_coordinator_bassin_is_matched_like_the_gazetteer(app_context):
    assert create_user("c@example.org", PASSWORD, "coordinator", bassin="hainaut sud").bassin_efe == "Hainaut Sud"


def test_sign_in_and_out(client):
    with_second_factor(create_user("admin@example.org", PASSWORD, "admin"))
    page = client.get("/connexion")
    assert page.status_code == 200 and 'autocomplete="current-password"' in page.get_data(as_text=True)
    response = sign_in(client, "ADMIN@example.org")
    assert response.status_code == 302 and response.headers["Location"].endswith("/espace/")
    assert client.get("/espace/").status_code == 200
    out = client.post("/deconnexion")
    assert out.status_code == 302 and "signed_out=1" in out.headers["Location"]
    assert client.get("/espace/").status_code == 302  # signed out: back to the sign-in page


def test_wrong_password_keeps_the_email_and_says_so(client):
    create_user("admin@example.org", PASSWORD, "admin")
    response = client.post("/connexion", data={"email": "admin@example.org", "password": "wrong password!"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="admin@example.org"' in page and 'role="alert"' in page
    assert PASSWORD not in page and "wrong password!" not in page  # passwords are never echoed


def test_missing_fields_are_errors_beside_them(client):
    response = client.post("/connexion", data={"email": "not-an-email", "password": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="error-email"' in page and 'id="error-password"' in page
    assert 'value="not-an-email"' in page


def test_inactive_user_cannot_sign_in(client):
    user = create_user("admin@example.org", PASSWORD, "admin")
    user.active = False
    from portal.extensions import db

    db.session.commit()
    assert client.post("/connexion", data={"email": "admin@example.org", "password": PASSWORD}).status_code == 400


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/espace/"])
def test_next_is_only_ever_a_path_of_this_site(client, target):
    with_second_factor(create_user("admin@example.org", PASSWORD, "admin"))
    response = sign_in(client, "admin@example.org", next=target)
    assert response.headers["Location"].endswith("/espace/")


@pytest.fixture()
def strict_app(tmp_path):
    """CSRF and the rate limit switched on, as in production."""
    app = make_app(f"sqlite:///{tmp_path / 'strict.db'}", WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=True,
                   SESSION_COOKIE_SECURE=True)
    from portal.extensions import db, limiter

    with app.app_context():
        db.create_all()
        create_user("admin@example.org", PASSWORD, "admin")
        limiter.reset()
    return app


def test_sign_in_without_csrf_token_is_refused(strict_app):
    client = strict_app.test_client()
    response = client.post("/connexion", data={"email": "admin@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/espace/").status_code == 302  # not signed in


def test_sign_in_is_rate_limited(tmp_path):
    """Every attempt that reaches the password check counts (without a CSRF token none does)."""
    app = make_app(f"sqlite:///{tmp_path / 'limit.db'}", RATELIMIT_ENABLED=True)
    from portal.extensions import db, limiter

    with app.app_context():
        db.create_all()
        limiter.reset()
    client = app.test_client()
    statuses = [client.post("/connexion", data={"email": "x@example.org", "password": "nope"}).status_code
                for _ in range(11)]
    assert statuses[:10] == [400] * 10
    assert statuses[10] == 429


def test_session_cookie_is_secure_httponly_samesite_and_only_after_sign_in(strict_app):
    client = strict_app.test_client()
    assert "Set-Cookie" not in client.get("/").headers  # the public gets no cookie
    https = "https://passerelle.test"
    page = client.get("/connexion", base_url=https).get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/connexion", data={"email": "admin@example.org", "password": PASSWORD,
                                               "csrf_token": token},
                           base_url=https, headers={"Referer": f"{https}/connexion"})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert response.status_code == 302
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_behind_a_proxy_each_visitor_has_its_own_limit(tmp_path):
    """With PROXY_COUNT=1, the limit counts X-Forwarded-For (the visitor), not the proxy's address."""
    app = make_app(f"sqlite:///{tmp_path / 'proxy.db'}", RATELIMIT_ENABLED=True, PROXY_COUNT=1)
    from portal.extensions import db, limiter

    with app.app_context():
        db.create_all()
        limiter.reset()
    client = app.test_client()

    def attempt(visitor: str, email: str) -> int:
        return client.post("/connexion", data={"email": email, "password": "nope"},
                           headers={"X-Forwarded-For": visitor}).status_code

    # (One address per attempt: the delay of each account's sign-in is another test.)
    assert [attempt("203.0.113.1", f"x{n}@example.org") for n in range(11)][-1] == 429
    assert attempt("203.0.113.2", "y@example.org") == 400  # another visitor is not locked out by the first
