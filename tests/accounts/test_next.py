"""``next=`` is only ever a path of this site: control characters (CR/LF that would split the
redirect's header, tabs that browsers drop), backslashes (``/\\host`` is ``//host`` to a browser)
and other sites send to the dashboard, on every view that takes it — never a 500."""
from __future__ import annotations

from urllib.parse import quote

import pyotp
import pytest
from sqlalchemy import select

from portal.accounts.models import User
from portal.accounts.services import create_user
from portal.extensions import db
from tests import factories as f
from tests.people import PASSWORD, TOTP_SECRET, sign_in, with_second_factor

BAD_NEXT = [
    "/espace/\r\nSet-Cookie: evil=1",
    "/espace/\nx",
    "/\t/evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "/espace/\x7f",
    "/espace/\x1b[31m",
    "/espace/\u2028x",
    "javascript:alert(1)",
    "https://evil.example/",
    "//evil.example/",
    "espace/",
]


@pytest.fixture()
def users(app_context):
    f.load(f.document(f.operator("op-a")))
    create_user("a@example.org", PASSWORD, "operator", operator_ref="op-a")
    with_second_factor(create_user("admin@example.org", PASSWORD, "admin"))
    create_user("coord@example.org", PASSWORD, "coordinator", bassin="Namur")  # no second factor yet


def ends_on_dashboard(response) -> bool:
    return response.status_code == 302 and response.headers["Location"] in ("/espace/", "http://passerelle.test/espace/")


@pytest.mark.parametrize("target", BAD_NEXT)
def test_sign_in_with_a_bad_next_goes_to_the_dashboard(app, users, target):
    client = app.test_client()
    response = client.post(f"/connexion?next={quote(target, safe='')}",
                           data={"email": "a@example.org", "password": PASSWORD})
    assert ends_on_dashboard(response), response.headers.get("Location")
    # Already signed in: the sign-in page sends on at once.
    assert ends_on_dashboard(client.get(f"/connexion?next={quote(target, safe='')}"))


@pytest.mark.parametrize("target", BAD_NEXT)
def test_code_step_with_a_bad_next_goes_to_the_dashboard(app, users, target):
    client = app.test_client()
    response = client.post(f"/connexion?next={quote(target, safe='')}",
                           data={"email": "admin@example.org", "password": PASSWORD})
    assert response.status_code == 302 and "/connexion/code" in response.headers["Location"]
    assert "\n" not in response.headers["Location"] and "\r" not in response.headers["Location"]
    response = client.post(f"/connexion/code?next={quote(target, safe='')}",
                           data={"code": pyotp.TOTP(TOTP_SECRET).now()})
    assert ends_on_dashboard(response), response.headers.get("Location")


@pytest.mark.parametrize("target", BAD_NEXT)
def test_second_factor_set_up_with_a_bad_next_goes_to_the_dashboard(app, users, target):
    client = app.test_client()
    response = client.post(f"/connexion?next={quote(target, safe='')}",
                           data={"email": "coord@example.org", "password": PASSWORD})
    assert response.status_code == 302 and "/compte/double-authentification" in response.headers["Location"]
    setup = response.headers["Location"]
    assert "next=%2Fespace%2F" in setup or "next=/espace/" in setup  # the bad target is already gone
    client.get("/compte/double-authentification")
    secret = db.session.scalar(select(User).where(User.email == "coord@example.org")).pending_totp_secret
    response = client.post(f"/compte/double-authentification?next={quote(target, safe='')}",
                           data={"code": pyotp.TOTP(secret).now()})
    assert ends_on_dashboard(response), response.headers.get("Location")


@pytest.mark.parametrize("target", ["/espace/organismes/op-a", "/espace/organismes/op-a?x=1#y", "/compte/"])
def test_a_good_next_is_followed(app, users, target):
    response = sign_in(app.test_client(), "a@example.org", next=target)
    assert response.headers["Location"] == target
