"""The people of the role × route matrices and signing them in through the real sign-in page."""
from __future__ import annotations

from portal.accounts.services import create_user
from tests import factories as f

PASSWORD = "correct horse battery"
LOGIN = "login"  # expected "status": redirected to the sign-in page


def make_people() -> dict[str, str | None]:
    """Operator A (a site in Namur), operator B (Liège), a Namur coordinator and an admin."""
    f.load(f.document(
        f.operator("op-a", sites=[f.site("site-a", "5000", "Namur")], courses=[f.course("course-a", "site-a")]),
        f.operator("op-b", name="Opérateur B (test)",
                   sites=[f.site("site-b", "4000", "Liège")], courses=[f.course("course-b", "site-b")]),
    ))
    create_user("a@example.org", PASSWORD, "operator", operator_ref="op-a")
    create_user("b@example.org", PASSWORD, "operator", operator_ref="op-b")
    create_user("coord@example.org", PASSWORD, "coordinator", bassin="Namur")
    create_user("admin@example.org", PASSWORD, "admin")
    return {"anonymous": None, "operator A": "a@example.org", "operator B": "b@example.org",
            "coordinator": "coord@example.org", "admin": "admin@example.org"}


def sign_in(client, email: str, password: str = PASSWORD):
    """Sign ``client`` in through /connexion; returns the last response."""
    response = client.post("/connexion", data={"email": email, "password": password})
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
