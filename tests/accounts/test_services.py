"""The account decisions the views call (portal/accounts/services.py), without a request: the code
step of a sign-in and its lock, turning the second factor on and off, cancelling an invitation,
removing a colleague."""
from __future__ import annotations

import datetime as dt

import pyotp
import pytest
from sqlalchemy import select

from portal.accounts import services
from portal.accounts.admin import AdminRefusal
from portal.accounts.models import AccountEvent, Invitation, User
from portal.accounts.sign_in import MAX_CODE_TRIES
from portal.db import utc_now
from portal.extensions import db
from portal.offer.models import Operator
from tests import factories as f
from tests.people import PASSWORD, TOTP_SECRET, with_second_factor


@pytest.fixture()
def people(app_context):
    f.load(f.document(f.operator("op-a")))
    services.create_user("a@example.org", PASSWORD, "operator", operator_ref="op-a")
    services.create_user("a2@example.org", PASSWORD, "operator", operator_ref="op-a")
    with_second_factor(services.create_user("coord@example.org", PASSWORD, "coordinator", bassin="Namur"))


def user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def test_a_sign_in_code_is_accepted_once(people):
    coordinator = user("coord@example.org")
    code = pyotp.TOTP(TOTP_SECRET).now()
    assert services.check_sign_in_code(coordinator, code) == services.CODE_ACCEPTED
    assert services.check_sign_in_code(coordinator, code) == services.CODE_WRONG  # a replay counts as wrong
    assert user("coord@example.org").totp_failures == 1


def test_wrong_sign_in_codes_lock_codes_even_the_right_one(people):
    coordinator = user("coord@example.org")
    outcomes = [services.check_sign_in_code(coordinator, "000000") for _ in range(MAX_CODE_TRIES)]
    assert outcomes == [services.CODE_WRONG] * (MAX_CODE_TRIES - 1) + [services.CODES_LOCKED]
    assert services.check_sign_in_code(coordinator, pyotp.TOTP(TOTP_SECRET).now()) != services.CODE_ACCEPTED


def test_turning_the_second_factor_on_takes_a_code_of_the_new_key(people):
    operator = user("a@example.org")
    key = services.second_factor_key(operator, new=True)
    assert services.second_factor_key(operator, new=False) == key  # the same key until it is shown again
    with pytest.raises(services.SecondFactorRefusal) as refused:
        services.turn_on_second_factor(operator, "000000", None)
    assert refused.value.wrong_code and not refused.value.wrong_password
    services.turn_on_second_factor(operator, pyotp.TOTP(key).now(), None)
    operator = user("a@example.org")
    assert operator.totp_secret == key and operator.pending_totp_secret is None


def test_replacing_a_working_second_factor_takes_the_password(people):
    coordinator = user("coord@example.org")
    key = services.second_factor_key(coordinator, new=True)
    with pytest.raises(services.SecondFactorRefusal) as refused:
        services.turn_on_second_factor(coordinator, pyotp.TOTP(key).now(), "not the password")
    assert refused.value.wrong_password and not refused.value.wrong_code
    assert user("coord@example.org").totp_secret == TOTP_SECRET
    services.turn_on_second_factor(coordinator, pyotp.TOTP(key).now(), PASSWORD)
    assert user("coord@example.org").totp_secret == key


def test_turning_the_second_factor_off_takes_the_password(people):
    operator = with_second_factor(user("a@example.org"))
    assert not services.turn_off_second_factor(operator, "not the password")
    assert user("a@example.org").totp_secret == TOTP_SECRET
    assert services.turn_off_second_factor(operator, PASSWORD)
    assert user("a@example.org").totp_secret is None


def _invitation(**fields) -> Invitation:
    operator = db.session.scalar(select(Operator).where(Operator.ref == "op-a"))
    invitation = Invitation(email="c@example.org", operator=operator, created_at=utc_now(),
                            expires_at=utc_now() + dt.timedelta(days=7), **fields)
    db.session.add(invitation)
    db.session.commit()
    return invitation


def test_cancelling_an_invitation_once(people):
    invitation = _invitation()
    assert services.cancel_invitation(invitation)
    assert invitation.state(utc_now()) == "cancelled"
    assert not services.cancel_invitation(invitation)  # a double click changes nothing
    accepted = _invitation(accepted_at=utc_now())
    assert not services.cancel_invitation(accepted)
    assert accepted.state(utc_now()) == "accepted"


def test_removing_a_colleague_disables_their_account_and_records_it(people):
    me, colleague = user("a@example.org"), user("a2@example.org")
    with pytest.raises(AdminRefusal):
        services.remove_colleague(me, actor=me)  # not oneself
    assert services.remove_colleague(colleague, actor=me)
    assert not user("a2@example.org").active
    event = db.session.scalar(select(AccountEvent))
    assert (event.action, event.actor_name, event.target_email) == ("access_removed", "a@example.org",
                                                                   "a2@example.org")
    assert not services.remove_colleague(colleague, actor=me)  # already gone
