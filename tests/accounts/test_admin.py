"""Admins disable and enable accounts and reset a lost second factor, from the command line or
the page /espace/comptes (with a confirmation step); every change is recorded and ends the
sessions of the account."""
from __future__ import annotations

import pyotp
import pytest
from sqlalchemy import select

from portal.accounts.models import AccountEvent, User
from portal.accounts.services import create_user
from portal.extensions import db
from tests.conftest import make_app
from tests.people import LOGIN, PASSWORD, TOTP_SECRET, check_matrix, make_people, sign_in, signed_in_client


@pytest.fixture()
def people(app_context):
    return make_people()


def account(email: str) -> User:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def events() -> list[tuple[str, str, str, str]]:
    return [(e.action, e.target_email, e.source, e.actor_name)
            for e in db.session.scalars(select(AccountEvent).order_by(AccountEvent.id))]


def cli(app, *args):
    return app.test_cli_runner().invoke(args=["users", *args])


def can_sign_in(app, email: str) -> bool:
    response = app.test_client().post("/connexion", data={"email": email, "password": PASSWORD})
    return response.status_code == 302


# -- the command line --------------------------------------------------------------------------
def test_users_list_shows_every_account(app, people):
    result = cli(app, "list")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["e-mail", "role", "operator", "/", "bassin", "second", "factor", "active",
                                "last", "sign-in"]
    assert [line.split()[:5] for line in lines[1:]] == [
        ["admin@example.org", "admin", "-", "yes", "yes"],
        ["coord@example.org", "coordinator", "Namur", "yes", "yes"],
        ["a@example.org", "operator", "op-a", "no", "yes"],
        ["b@example.org", "operator", "op-b", "no", "yes"],
        ["worker-a2@example.org", "social_worker", "svc-namur", "yes", "yes"],
        ["worker-a@example.org", "social_worker", "svc-namur", "yes", "yes"],
        ["worker-b@example.org", "social_worker", "svc-liege", "yes", "yes"]]
    assert all(line.endswith("never") for line in lines[1:])


def test_disable_and_enable_from_the_command_line(app, people):
    session = signed_in_client(app, "coord@example.org")
    result = cli(app, "disable", "Coord@Example.org")
    assert result.exit_code == 0 and "Disabled coord@example.org; its sessions ended." in result.output
    assert not account("coord@example.org").active
    assert "/connexion" in session.get("/espace/").headers["Location"]
    assert not can_sign_in(app, "coord@example.org")
    assert "already disabled" in cli(app, "disable", "coord@example.org").output
    result = cli(app, "enable", "coord@example.org")
    assert result.exit_code == 0 and "Enabled coord@example.org." in result.output
    assert can_sign_in(app, "coord@example.org")
    [(action, target, source, actor), enabled] = events()  # "already disabled" records nothing
    assert (action, target, source) == ("disabled", "coord@example.org", "cli")
    assert actor.startswith("command line") and enabled[0] == "enabled"


def test_reset_second_factor_from_the_command_line(app, people):
    session = signed_in_client(app, "admin@example.org")
    result = cli(app, "reset-second-factor", "admin@example.org")
    assert result.exit_code == 0 and "sets up a new one at the next sign-in" in result.output
    admin = account("admin@example.org")
    assert (admin.totp_secret, admin.totp_setup_required) == (None, True)
    assert "/connexion" in session.get("/espace/").headers["Location"]
    # The password alone now leads to setting up a new second factor, nothing else.
    client = app.test_client()
    response = client.post("/connexion", data={"email": "admin@example.org", "password": PASSWORD})
    assert "/compte/double-authentification" in response.headers["Location"]
    assert "/compte/double-authentification" in client.get("/espace/").headers["Location"]
    assert events()[0][:3] == ("second_factor_reset", "admin@example.org", "cli")


def test_unknown_addresses_and_the_last_admin_are_refused(app, people):
    result = cli(app, "disable", "nobody@example.org")
    assert result.exit_code == 1 and "no account has the e-mail 'nobody@example.org'" in result.output
    result = cli(app, "disable", "admin@example.org")
    assert result.exit_code == 1 and "last active admin" in result.output
    assert account("admin@example.org").active
    with_another = create_user("admin2@example.org", PASSWORD, "admin")
    assert cli(app, "disable", "admin@example.org").exit_code == 0
    assert cli(app, "disable", with_another.email).exit_code == 1  # now it is the last one
    assert events() == [("disabled", "admin@example.org", "cli", events()[0][3])]


# -- the admin page ----------------------------------------------------------------------------
def test_the_page_lists_every_account(app, people):
    signed_in_client(app, "a@example.org")  # a sign-in to show
    page = signed_in_client(app, "admin@example.org").get("/espace/comptes")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    for email in ("admin@example.org", "coord@example.org", "a@example.org", "b@example.org"):
        assert f'<th scope="row">{email}</th>' in text
    assert "Opérateur A (test)" in text and "Namur" in text and "jamais" not in text.split("a@example.org")[1][:400]
    assert "Désactiver" in text and "Réinitialiser la double authentification" in text


def test_disabling_asks_for_a_confirmation_then_ends_the_sessions(app, people):
    target = account("b@example.org")
    victim_session = signed_in_client(app, "b@example.org")
    admin = signed_in_client(app, "admin@example.org")
    confirm = admin.post(f"/espace/comptes/{target.id}/desactiver")
    page = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "Désactiver b@example.org ?" in page and 'name="confirmed" value="1"' in page
    assert account("b@example.org").active  # nothing done before the confirmation
    response = admin.post(f"/espace/comptes/{target.id}/desactiver", data={"confirmed": "1"})
    assert response.status_code == 302 and "done=disabled" in response.headers["Location"]
    assert not account("b@example.org").active
    assert "/connexion" in victim_session.get("/espace/organismes/op-b").headers["Location"]
    listing = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "b@example.org est désactivé" in listing and "admin@example.org" in listing.split("<h2>")[1]
    assert events() == [("disabled", "b@example.org", "web", "admin@example.org")]
    response = admin.post(f"/espace/comptes/{target.id}/activer", data={"confirmed": "1"})
    assert response.status_code == 302 and account("b@example.org").active and can_sign_in(app, "b@example.org")


def test_an_admin_cannot_disable_themselves(app, people):
    admin = signed_in_client(app, "admin@example.org")
    me = account("admin@example.org")
    assert f"/espace/comptes/{me.id}/desactiver" not in admin.get("/espace/comptes").get_data(as_text=True)
    response = admin.post(f"/espace/comptes/{me.id}/desactiver", data={"confirmed": "1"})
    assert response.status_code == 400 and "votre propre compte" in response.get_data(as_text=True)
    assert account("admin@example.org").active and events() == []


def test_resetting_an_operators_second_factor_makes_them_set_up_a_new_one(app, people):
    operator = account("a@example.org")
    operator.totp_secret = TOTP_SECRET
    db.session.commit()
    admin = signed_in_client(app, "admin@example.org")
    assert admin.post(f"/espace/comptes/{operator.id}/second-facteur").status_code == 200  # the confirmation
    assert account("a@example.org").totp_secret == TOTP_SECRET
    response = admin.post(f"/espace/comptes/{operator.id}/second-facteur", data={"confirmed": "1"})
    assert response.status_code == 302
    client = app.test_client()
    response = client.post("/connexion", data={"email": "a@example.org", "password": PASSWORD})
    assert "/compte/double-authentification" in response.headers["Location"]
    page = client.get("/compte/double-authentification").get_data(as_text=True)
    assert "Un administrateur a réinitialisé votre double authentification" in page
    secret = account("a@example.org").pending_totp_secret
    response = client.post("/compte/double-authentification?next=/espace/organismes/op-a",
                           data={"code": pyotp.TOTP(secret).now()})
    assert response.headers["Location"] == "/espace/organismes/op-a"
    assert (account("a@example.org").totp_secret, account("a@example.org").totp_setup_required) == (secret, False)
    assert events()[0][:2] == ("second_factor_reset", "a@example.org")


def test_a_colleague_removing_access_is_recorded(app, people):
    colleague = create_user("leaving@example.org", PASSWORD, "operator", operator_ref="op-a")
    signed_in_client(app, "a@example.org").post(f"/espace/comptes/{colleague.id}/retirer")
    assert events() == [("access_removed", "leaving@example.org", "web", "a@example.org")]


ACTIONS = ("desactiver", "activer", "second-facteur")


@pytest.mark.parametrize("action", ACTIONS)
def test_account_actions_matrix(app, people, action):
    """Admins only: everyone else gets 403 (whatever the id) and nothing changes."""
    target_id = account("b@example.org").id
    path = f"/espace/comptes/{target_id}/{action}"
    for who, expected in (("anonymous", LOGIN), ("operator A", 403), ("operator B", 403), ("coordinator", 403)):
        check_matrix(app, "POST", path, people[who], expected)
        response = signed_in_client(app, people[who]).post(path, data={"confirmed": "1"})
        assert response.status_code in (302, 403) and account("b@example.org").active
    check_matrix(app, "POST", path, people["admin"], 200)  # the confirmation page
    check_matrix(app, "POST", f"/espace/comptes/{2**31 - 1}/{action}", people["admin"], 404)
    assert events() == []


def test_account_actions_need_the_csrf_token(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'csrf.db'}", WTF_CSRF_ENABLED=True)
    with app.app_context():
        db.create_all()
        people = make_people()
        assert people["admin"] == "admin@example.org"
        client = app.test_client()
        page = client.get("/connexion").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        response = client.post("/connexion", data={"email": "admin@example.org", "password": PASSWORD,
                                                   "csrf_token": token})
        target = account("b@example.org")
        user = account("admin@example.org")
        user.totp_last_step = None
        db.session.commit()
        response = client.post(response.headers["Location"],
                               data={"code": pyotp.TOTP(TOTP_SECRET).now(), "csrf_token": token})
        assert response.status_code == 302
        response = client.post(f"/espace/comptes/{target.id}/desactiver", data={"confirmed": "1"})
        assert response.status_code == 400 and account("b@example.org").active
        page = client.get("/espace/comptes").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        confirm = client.post(f"/espace/comptes/{target.id}/desactiver", data={"csrf_token": token})
        assert confirm.status_code == 200 and 'name="csrf_token"' in confirm.get_data(as_text=True)
        response = client.post(f"/espace/comptes/{target.id}/desactiver", data={"confirmed": "1", "csrf_token": token})
        assert response.status_code == 302 and not account("b@example.org").active
        db.session.remove()
        db.engine.dispose()


def test_signed_in_helper_still_works_for_admins(app, people):
    assert sign_in(app.test_client(), "admin@example.org").status_code == 302
