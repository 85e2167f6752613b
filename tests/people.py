"""The people of the role × route matrices and signing them in through the real sign-in page."""
from __future__ import annotations

import pyotp
from sqlalchemy import select

from portal.accounts.models import User
from portal.accounts.services import create_user
from portal.extensions import db
from tests import factories as f

PASSWORD = "correct horse battery"
# The second factor of the coordinators and admins of the tests.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
LOGIN = "login"  # expected "status": redirected to the sign-in page


def make_people() -> dict[str, str | None]:
    """Operator A (a site in Namur), operator B (Liège), a Namur coordinator, an admin, and social
    workers: two of a Namur service (worker A and its colleague A2), one of a Liège service (worker B)."""
    f.load(f.document(
        f.operator("op-a", sites=[f.site("site-a", "5000", "Namur")], courses=[f.course("course-a", "site-a")]),
        f.operator("op-b", name="Opérateur B (test)",
                   sites=[f.site("site-b", "4000", "Liège")], courses=[f.course("course-b", "site-b")]),
    ))
    create_user("a@example.org", PASSWORD, "operator", operator_ref="op-a")
    create_user("b@example.org", PASSWORD, "operator", operator_ref="op-b")
    with_second_factor(create_user("coord@example.org", PASSWORD, "coordinator", bassin="Namur"))
    with_second_factor(create_user("admin@example.org", PASSWORD, "admin"))
    make_service("svc-namur", "CPAS de Namur (test)", "5000")
    make_service("svc-liege", "Service d'insertion de Liège (test)", "4000", kind="association")
    for email, service in (("worker-a@example.org", "svc-namur"), ("worker-a2@example.org", "svc-namur"),
                           ("worker-b@example.org", "svc-liege")):
        with_second_factor(create_user(email, PASSWORD, "social_worker", service_ref=service))
    return {"anonymous": None, "operator A": "a@example.org", "operator B": "b@example.org",
            "coordinator": "coord@example.org", "admin": "admin@example.org",
            "worker A": "worker-a@example.org", "worker A2": "worker-a2@example.org",
            "worker B": "worker-b@example.org"}


def make_service(ref: str, name: str, postal_code: str, kind: str = "cpas"):
    """A service of social workers at a Walloon postal code."""
    from portal.geo.gazetteer import get_gazetteer
    from portal.referrals.models import Service

    postal = get_gazetteer().postal_code(postal_code)
    service = Service(ref=ref, name=name, kind=kind, postal_code=postal_code, locality=postal.main_locality.name,
                      bassin_efe=postal.bassin_efe)
    db.session.add(service)
    db.session.commit()
    return service


def with_second_factor(user: User, secret: str = TOTP_SECRET) -> User:
    """Give ``user`` a second factor (as if set up on the account page)."""
    user.totp_secret = secret
    db.session.commit()
    return user


def sign_in(client, email: str, password: str = PASSWORD, next: str | None = None):
    """Sign ``client`` in through /connexion (and its code step when the user has a second
    factor); returns the last response."""
    from urllib.parse import quote

    path = f"/connexion?next={quote(next, safe='')}" if next else "/connexion"
    response = client.post(path, data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    if "/connexion/code" in response.headers["Location"]:
        user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
        user.totp_last_step = None  # the same code may serve several test clients in one 30 s step
        db.session.commit()
        response = client.post(response.headers["Location"], data={"code": pyotp.TOTP(user.totp_secret).now()})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


def signed_in_client(app, email: str | None):
    client = app.test_client()
    if email:
        sign_in(client, email)
    return client


def check_matrix(app, method: str, path: str, email: str | None, expected) -> None:
    """One cell of a role × route matrix: LOGIN or the expected status code."""
    response = signed_in_client(app, email).open(path, method=method)
    if expected == LOGIN:
        assert response.status_code == 302 and "/connexion" in response.headers["Location"]
    else:
        assert response.status_code == expected, (method, path, email, response.status_code)


def mails() -> list[dict[str, str]]:
    """The e-mails written to the outbox to be sent (oldest first): to, subject, body. The
    delivery job sends them later (tests/test_mail.py)."""
    from portal.mail.models import DISCARDED, OutboxMessage

    return [{"to": message.recipients, "subject": message.subject, "body": message.body}
            for message in db.session.scalars(select(OutboxMessage).where(OutboxMessage.status != DISCARDED)
                                              .order_by(OutboxMessage.id))]


def link_in(body: str) -> str:
    """The path of the first link of our site in an e-mail body."""
    import re

    return re.search(r"https://passerelle\.test(/\S+)", body).group(1)


def over_matrix(matrix: dict):
    """Parametrize a test over every cell of a role × route matrix {(method, path): {person: expected}}."""
    import pytest

    cases = [(method, path, person, expected) for (method, path), row in matrix.items()
             for person, expected in row.items()]
    return pytest.mark.parametrize(("method", "path", "person", "expected"), cases,
                                   ids=[f"{m} {p} as {who}" for m, p, who, _ in cases])
