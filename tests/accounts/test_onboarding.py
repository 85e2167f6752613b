"""From a sign-up request to a working account: validation by the bassin's coordinator,
invitations that expire, password resets that work once."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from portal.accounts.models import Invitation, SignupRequest, User
from portal.extensions import db
from portal.offer.models import Operator
from tests.people import (
    LOGIN,
    PASSWORD,
    check_matrix,
    link_in,
    mails,
    make_people,
    over_matrix,
    sign_in,
    signed_in_client,
)

NEW_PASSWORD = "a new long password"
SIGNUP = {"organisation": "Alpha Gembloux (test)", "kind": "asbl", "postal_code": "5030",
          "contact_name": "Awa Diallo", "email": "Awa@Example.org", "website": "https://alpha.example.org",
          "phone": "081 00 00 00", "message": "FLE le soir."}


@pytest.fixture()
def people(app_context):
    return make_people()


def errors_of(page: str) -> dict[str, str]:
    return dict(re.findall(r'<p class="field-error" id="error-([\w-]+)">([^<]*)</p>', page))


def test_signup_request_waits_for_the_bassin_coordinator_then_invites(app, people):
    client = app.test_client()
    response = client.post("/inscription", data=SIGNUP)
    assert response.status_code == 200 and "Namur" in response.get_data(as_text=True)  # 5030 Gembloux → Namur
    request = db.session.scalar(select(SignupRequest))
    assert (request.status, request.bassin_efe, request.email, request.locality) == (
        "pending", "Namur", "awa@example.org", "Gembloux")
    # Nothing public, no operator yet; the Namur coordinator was told.
    assert db.session.scalar(select(func.count(Operator.id)).where(Operator.name == SIGNUP["organisation"])) == 0
    [notice] = mails()
    assert notice["to"] == "coord@example.org" and "Alpha Gembloux" in notice["subject"]

    coordinator = signed_in_client(app, people["coordinator"])
    assert "1 demande d'inscription vous attend" in coordinator.get("/espace/").get_data(as_text=True)
    page = coordinator.get("/espace/demandes").get_data(as_text=True)
    assert "Alpha Gembloux (test)" in page and "awa@example.org" in page
    response = coordinator.post(f"/espace/demandes/{request.id}/valider")
    assert response.status_code == 302
    operator = db.session.scalar(select(Operator).where(Operator.name == SIGNUP["organisation"]))
    assert operator.ref == "alpha-gembloux-test" and operator.home_bassin == "Namur"
    assert operator.email is None and operator.courses == []  # the sign-in e-mail is not made public
    # The coordinator sees the new operator before it has a site.
    assert f"/espace/organismes/{operator.ref}" in coordinator.get("/espace/").get_data(as_text=True)

    invitation_mail = mails()[-1]
    assert invitation_mail["to"] == "awa@example.org" and "choisissez votre mot de passe" in invitation_mail["subject"]
    link = link_in(invitation_mail["body"])
    newcomer = app.test_client()
    assert newcomer.get(link).status_code == 200
    response = newcomer.post(link, data={"password": NEW_PASSWORD, "password_again": "different password!"})
    assert response.status_code == 400 and "password_again" in errors_of(response.get_data(as_text=True))
    response = newcomer.post(link, data={"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response.status_code == 302 and f"/espace/organismes/{operator.ref}" in response.headers["Location"]
    assert newcomer.get(f"/espace/organismes/{operator.ref}").status_code == 200
    # The link works once.
    assert app.test_client().get(link).status_code == 410


def test_signup_form_errors_are_beside_each_field_and_keep_what_was_typed(app, people):
    client = app.test_client()
    response = client.post("/inscription", data=dict(SIGNUP, organisation="", postal_code="1000",
                                                     email="not an e-mail", website="alpha.example"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert set(errors_of(page)) == {"organisation", "email", "website"}
    assert 'value="not an e-mail"' in page and "Awa Diallo" in page
    # Brussels is not in Wallonia.
    response = client.post("/inscription", data=dict(SIGNUP, postal_code="1000"))
    assert set(errors_of(response.get_data(as_text=True))) == {"postal_code"}
    assert db.session.scalar(select(func.count(SignupRequest.id))) == 0


def test_signup_with_an_address_that_has_an_account_looks_the_same_and_tells_its_owner(app, people):
    fresh = app.test_client().post("/inscription", data=dict(SIGNUP, email="new@example.org"))
    known = app.test_client().post("/inscription", data=dict(SIGNUP, email="A@example.org"))
    assert known.status_code == fresh.status_code == 200
    assert known.get_data(as_text=True).replace("a@example.org", "new@example.org") == \
        fresh.get_data(as_text=True).replace("a@example.org", "new@example.org")
    assert db.session.scalar(select(func.count(SignupRequest.id))) == 1  # only the new address's
    owner_mail = next(mail for mail in mails() if mail["to"] == "a@example.org")
    assert "/mot-de-passe-oublie" in owner_mail["body"]


def test_refusal_needs_a_reason_and_tells_the_requester(app, people):
    app.test_client().post("/inscription", data=SIGNUP)
    request = db.session.scalar(select(SignupRequest))
    coordinator = signed_in_client(app, people["coordinator"])
    response = coordinator.post(f"/espace/demandes/{request.id}/refuser", data={f"r{request.id}-note": ""})
    assert response.status_code == 400 and f"r{request.id}-note" in errors_of(response.get_data(as_text=True))
    response = coordinator.post(f"/espace/demandes/{request.id}/refuser",
                                data={f"r{request.id}-note": "Pas de cours en Wallonie."})
    assert response.status_code == 302
    assert db.session.get(SignupRequest, request.id).status == "rejected"
    refusal = mails()[-1]
    assert refusal["to"] == "awa@example.org" and "Pas de cours en Wallonie." in refusal["body"]
    assert db.session.scalar(select(func.count(Operator.id))) == 2  # none created


def test_requests_of_another_bassin_are_not_the_coordinators(app, people):
    app.test_client().post("/inscription", data=dict(SIGNUP, postal_code="4000", email="liege@example.org"))
    request = db.session.scalar(select(SignupRequest))
    coordinator = signed_in_client(app, people["coordinator"])
    assert "liege@example.org" not in coordinator.get("/espace/demandes").get_data(as_text=True)
    assert coordinator.post(f"/espace/demandes/{request.id}/valider").status_code == 403
    admin = signed_in_client(app, people["admin"])
    assert "liege@example.org" in admin.get("/espace/demandes").get_data(as_text=True)
    assert admin.post(f"/espace/demandes/{request.id}/valider").status_code == 302


def test_colleague_invitation_and_its_expiry(app, people):
    operator_a = signed_in_client(app, people["operator A"])
    response = operator_a.post("/espace/organismes/op-a/equipe", data={"email": "b@example.org"})
    assert response.status_code == 400 and "email" in errors_of(response.get_data(as_text=True))  # has an account
    response = operator_a.post("/espace/organismes/op-a/equipe", data={"email": "Colleague@Example.org"})
    assert response.status_code == 302
    assert "colleague@example.org" in operator_a.get("/espace/organismes/op-a/equipe").get_data(as_text=True)
    mail = mails()[-1]
    assert mail["to"] == "colleague@example.org" and "a@example.org" in mail["body"]
    link = link_in(mail["body"])

    # After INVITATION_DAYS the link no longer works, and the team page says it expired.
    invitation = db.session.scalar(select(Invitation))
    invitation.expires_at = dt.datetime(2020, 1, 1)
    db.session.commit()
    response = app.test_client().get(link)
    assert response.status_code == 410 and "trop ancien" in response.get_data(as_text=True)
    assert "expirée le" in operator_a.get("/espace/organismes/op-a/equipe").get_data(as_text=True)

    # A new invitation replaces it; accepting it makes an operator user of op-a only.
    operator_a.post("/espace/organismes/op-a/equipe", data={"email": "colleague@example.org"})
    link = link_in(mails()[-1]["body"])
    colleague = app.test_client()
    colleague.post(link, data={"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    user = db.session.scalar(select(User).where(User.email == "colleague@example.org"))
    assert user.role == "operator" and user.operator.ref == "op-a"
    assert colleague.get("/espace/organismes/op-b").status_code == 403


def test_tampered_invitation_link_is_refused(app, people):
    signed_in_client(app, people["operator A"]).post("/espace/organismes/op-a/equipe",
                                                     data={"email": "c@example.org"})
    link = link_in(mails()[-1]["body"])
    response = app.test_client().get(link[:-3] + "xyz")
    assert response.status_code == 410 and "incomplet" in response.get_data(as_text=True)


def test_password_reset_by_e_mail_link_works_once(app, people):
    client = app.test_client()
    response = client.post("/mot-de-passe-oublie", data={"email": "A@example.org"})
    assert response.status_code == 200
    response_unknown = client.post("/mot-de-passe-oublie", data={"email": "nobody@example.org"})
    # Same answer whether the account exists or not; only the account's owner gets a mail.
    assert response_unknown.status_code == 200
    [mail] = mails()
    assert mail["to"] == "a@example.org"
    link = link_in(mail["body"])
    response = client.post(link, data={"password": "short", "password_again": "short"})
    assert response.status_code == 400 and "password" in errors_of(response.get_data(as_text=True))
    response = client.post(link, data={"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response.status_code == 302 and "password=1" in response.headers["Location"]
    assert client.get(link).status_code == 410  # used
    assert client.post("/connexion", data={"email": "a@example.org", "password": PASSWORD}).status_code == 400
    sign_in(app.test_client(), "a@example.org", NEW_PASSWORD)


def test_password_reset_link_expires(app, people, monkeypatch):
    app.test_client().post("/mot-de-passe-oublie", data={"email": "a@example.org"})
    link = link_in(mails()[-1]["body"])
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MINUTES", -1)
    assert app.test_client().get(link).status_code == 410


def test_change_password_on_the_account_page(app, people):
    client = signed_in_client(app, people["operator A"])
    response = client.post("/compte/mot-de-passe", data={"current": "wrong password!!", "password": NEW_PASSWORD,
                                                         "password_again": NEW_PASSWORD})
    assert response.status_code == 400 and "current" in errors_of(response.get_data(as_text=True))
    response = client.post("/compte/mot-de-passe", data={"current": PASSWORD, "password": NEW_PASSWORD,
                                                         "password_again": NEW_PASSWORD})
    assert response.status_code == 302
    sign_in(app.test_client(), "a@example.org", NEW_PASSWORD)


EVERYONE = ("anonymous", "operator A", "operator B", "coordinator", "admin")
SIGNED_IN = EVERYONE[1:]
MATRIX = {
    ("GET", "/inscription"): dict.fromkeys(EVERYONE, 200),
    ("GET", "/mot-de-passe-oublie"): dict.fromkeys(EVERYONE, 200),
    ("GET", "/connexion/code"): dict.fromkeys(EVERYONE, LOGIN),  # nothing pending: back to the password
    ("GET", "/invitation/not-a-token"): dict.fromkeys(EVERYONE, 410),
    ("GET", "/mot-de-passe/not-a-token"): dict.fromkeys(EVERYONE, 410),
    ("GET", "/compte/"): {"anonymous": LOGIN, **dict.fromkeys(SIGNED_IN, 200)},
    ("POST", "/compte/mot-de-passe"): {"anonymous": LOGIN, **dict.fromkeys(SIGNED_IN, 400)},  # empty form
    ("GET", "/compte/double-authentification"): {"anonymous": LOGIN, **dict.fromkeys(SIGNED_IN, 200)},
    ("POST", "/compte/double-authentification"): {"anonymous": LOGIN, **dict.fromkeys(SIGNED_IN, 400)},
    ("POST", "/compte/double-authentification/desactiver"): {"anonymous": LOGIN, "operator A": 400,
                                                            "operator B": 400, "coordinator": 403, "admin": 403},
    ("POST", "/deconnexion"): {"anonymous": LOGIN, **dict.fromkeys(SIGNED_IN, LOGIN)},
    ("GET", "/espace/demandes"): {"anonymous": LOGIN, "operator A": 403, "operator B": 403, "coordinator": 200,
                                  "admin": 200},
    ("POST", "/espace/demandes/999/valider"): {"anonymous": LOGIN, **dict.fromkeys(SIGNED_IN, 404)},
    ("POST", "/espace/demandes/999/refuser"): {"anonymous": LOGIN, **dict.fromkeys(SIGNED_IN, 404)},
    ("GET", "/espace/organismes/op-a/equipe"): {"anonymous": LOGIN, "operator A": 200, "operator B": 403,
                                               "coordinator": 200, "admin": 200},
    ("POST", "/espace/organismes/op-a/equipe"): {"anonymous": LOGIN, "operator A": 400, "operator B": 403,
                                                "coordinator": 403, "admin": 400},
    ("GET", "/espace/organismes/op-b/equipe"): {"anonymous": LOGIN, "operator A": 403, "operator B": 200,
                                               "coordinator": 403, "admin": 200},
    ("GET", "/espace/organismes/nope/equipe"): {"anonymous": LOGIN, **dict.fromkeys(SIGNED_IN, 404)},
    ("POST", "/espace/invitations/999/annuler"): {"anonymous": LOGIN, **dict.fromkeys(SIGNED_IN, 404)},
}


@over_matrix(MATRIX)
def test_accounts_role_route_matrix(app, people, method, path, person, expected):
    check_matrix(app, method, path, people[person], expected)


def test_decide_a_request_matrix(app, people):
    """Validating: the coordinator of its bassin and admins; operators and other bassins: 403."""
    app.test_client().post("/inscription", data=SIGNUP)
    request_id = db.session.scalar(select(SignupRequest.id))
    for who, expected in (("anonymous", LOGIN), ("operator A", 403), ("operator B", 403)):
        check_matrix(app, "POST", f"/espace/demandes/{request_id}/valider", people[who], expected)
    assert db.session.get(SignupRequest, request_id).status == "pending"
    check_matrix(app, "POST", f"/espace/demandes/{request_id}/valider", people["coordinator"], 302)
    assert db.session.get(SignupRequest, request_id).status == "approved"


def test_cancel_an_invitation_matrix(app, people):
    signed_in_client(app, people["operator A"]).post("/espace/organismes/op-a/equipe", data={"email": "c@example.org"})
    invitation_id = db.session.scalar(select(Invitation.id))
    for who, expected in (("anonymous", LOGIN), ("operator B", 403), ("coordinator", 403)):
        check_matrix(app, "POST", f"/espace/invitations/{invitation_id}/annuler", people[who], expected)
    assert db.session.get(Invitation, invitation_id).cancelled_at is None
    check_matrix(app, "POST", f"/espace/invitations/{invitation_id}/annuler", people["operator A"], 302)
    assert db.session.get(Invitation, invitation_id).cancelled_at is not None


def test_invitation_to_an_e_mail_that_got_an_account_meanwhile_says_so(app, people):
    signed_in_client(app, people["operator A"]).post("/espace/organismes/op-a/equipe", data={"email": "c@example.org"})
    link = link_in(mails()[-1]["body"])
    from portal.accounts.services import create_user

    create_user("c@example.org", PASSWORD, "operator", operator_ref="op-b")
    response = app.test_client().post(link, data={"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response.status_code == 400 and "password" in errors_of(response.get_data(as_text=True))
    assert db.session.scalar(select(User).where(User.email == "c@example.org")).operator.ref == "op-b"


def test_a_new_password_signs_out_every_other_session(app, people):
    here, elsewhere = signed_in_client(app, people["operator A"]), signed_in_client(app, people["operator A"])
    assert elsewhere.get("/espace/organismes/op-a").status_code == 200
    response = here.post("/compte/mot-de-passe", data={"current": PASSWORD, "password": NEW_PASSWORD,
                                                       "password_again": NEW_PASSWORD})
    assert response.status_code == 302
    assert here.get("/espace/organismes/op-a").status_code == 200  # this session goes on
    assert "/connexion" in elsewhere.get("/espace/organismes/op-a").headers["Location"]
    # A reset by e-mail link does the same.
    app.test_client().post("/mot-de-passe-oublie", data={"email": "a@example.org"})
    app.test_client().post(link_in(mails()[-1]["body"]),
                           data={"password": "third long password", "password_again": "third long password"})
    assert "/connexion" in here.get("/espace/organismes/op-a").headers["Location"]


def test_newlines_in_a_name_never_reach_an_e_mail_header(app, people):
    response = app.test_client().post("/inscription", data=dict(SIGNUP, organisation="Evil\r\nBcc: x@example.org"))
    assert response.status_code == 200
    [notice] = mails()
    assert notice["subject"].startswith("Passerelle : Evil Bcc: x@example.org")  # one line: no new header
    assert notice["to"] == "coord@example.org"


def test_validating_twice_creates_one_operator_and_one_invitation(app, people):
    app.test_client().post("/inscription", data=SIGNUP)
    request_id = db.session.scalar(select(SignupRequest.id))
    coordinator, admin = signed_in_client(app, people["coordinator"]), signed_in_client(app, people["admin"])
    from portal.accounts.onboarding import approve_signup

    stale = db.session.get(SignupRequest, request_id)
    assert coordinator.post(f"/espace/demandes/{request_id}/valider").status_code == 302
    # A colleague's page was opened before: its click (or a double click) finds it decided.
    assert admin.post(f"/espace/demandes/{request_id}/valider").status_code == 302
    with pytest.raises(Exception, match="already decided"):  # the database decides, not the loaded object
        approve_signup(stale, db.session.get(User, 1))
    db.session.rollback()
    assert db.session.scalar(select(func.count(Operator.id)).where(Operator.name == SIGNUP["organisation"])) == 1
    assert db.session.scalar(select(func.count(Invitation.id))) == 1


def test_huge_ids_and_odd_versions_are_not_errors(app, people):
    admin = signed_in_client(app, people["admin"])
    assert admin.post("/espace/demandes/99999999999/valider").status_code == 404
    assert admin.post("/espace/invitations/99999999999999999999/annuler").status_code == 404
    operator = signed_in_client(app, people["operator A"])
    from tests.workspace.test_courses import FORM

    response = operator.post("/espace/cours/course-a/modifier", data=dict(FORM, site="site-a", version="²"))
    assert response.status_code in (302, 409)


def test_a_colleague_who_leaves_loses_access_at_once(app, people):
    from portal.accounts.services import create_user

    colleague = create_user("leaving@example.org", PASSWORD, "operator", operator_ref="op-a")
    leaving = signed_in_client(app, "leaving@example.org")
    assert leaving.get("/espace/organismes/op-a").status_code == 200
    operator_a = signed_in_client(app, people["operator A"])
    me = db.session.scalar(select(User).where(User.email == "a@example.org"))
    assert operator_a.post(f"/espace/comptes/{me.id}/retirer").status_code == 400  # not oneself
    response = operator_a.post(f"/espace/comptes/{colleague.id}/retirer")
    assert response.status_code == 302 and "removed=" in response.headers["Location"]
    assert "/connexion" in leaving.get("/espace/organismes/op-a").headers["Location"]
    assert app.test_client().post("/connexion", data={"email": "leaving@example.org",
                                                      "password": PASSWORD}).status_code == 400


def test_remove_access_matrix(app, people):
    from portal.accounts.services import create_user

    colleague_id = create_user("leaving@example.org", PASSWORD, "operator", operator_ref="op-a").id
    path = f"/espace/comptes/{colleague_id}/retirer"
    for who, expected in (("anonymous", LOGIN), ("operator B", 403), ("coordinator", 403)):
        check_matrix(app, "POST", path, people[who], expected)
        assert db.session.get(User, colleague_id).active
    check_matrix(app, "POST", path, people["admin"], 302)
    assert not db.session.get(User, colleague_id).active
    check_matrix(app, "POST", "/espace/comptes/999/retirer", people["admin"], 404)
    admin_id = db.session.scalar(select(User.id).where(User.email == "admin@example.org"))
    check_matrix(app, "POST", f"/espace/comptes/{admin_id}/retirer", people["admin"], 404)  # not an operator user
