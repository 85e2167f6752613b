"""Writes to accounts: creating users, checking passwords (argon2id), the second factor of an
account and of a sign-in, an operator's team (cancelling an invitation, removing a colleague)."""
from __future__ import annotations

from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, update

from portal.accounts import second_factor as totp
from portal.accounts import sign_in
from portal.accounts.admin import disable_user
from portal.accounts.models import ROLES, Invitation, User, normalise_email
from portal.db import utc_now
from portal.extensions import db
from portal.normalise import EMAIL, ref_key
from portal.offer.models import Operator

# argon2-cffi's defaults follow RFC 9106's second recommendation (argon2id, 64 MiB, t=3).
_hasher = PasswordHasher()
# Verified when the e-mail is unknown, so that the answer takes as long either way.
_DUMMY_HASH = _hasher.hash("not a password of anyone")
MIN_PASSWORD_LENGTH = 12


class AccountError(ValueError):
    """A user that cannot be created as asked; the message says why."""


class SecondFactorRefusal(ValueError):
    """The second factor was not turned on: the code does not prove the app has the key, or (when
    replacing a working one) the password is wrong, or both."""

    def __init__(self, wrong_code: bool, wrong_password: bool) -> None:
        super().__init__("wrong code" if wrong_code else "wrong password")
        self.wrong_code, self.wrong_password = wrong_code, wrong_password


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher.hash(password)


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, else None (same work either way)."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utc_now()
    db.session.commit()
    return user


def verify_password(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _operator_of(role: str, operator_ref: str | None) -> Operator | None:
    """The operator an operator user belongs to (only they do)."""
    if role != "operator":
        if operator_ref:
            raise AccountError("only operator users belong to an operator")
        return None
    operator = db.session.scalar(select(Operator).where(Operator.ref == ref_key(operator_ref or "")))
    if operator is None:
        raise AccountError(f"an operator user needs an existing operator ref (got {operator_ref!r})")
    return operator


def _bassin_of(role: str, bassin: str | None) -> str | None:
    """The bassin a coordinator belongs to (only they do), in the gazetteer's spelling."""
    from portal.geo.gazetteer import get_gazetteer

    if role != "coordinator":
        if bassin:
            raise AccountError("only coordinators belong to a bassin")
        return None
    found = get_gazetteer().bassin(bassin or "")
    if found is None:
        raise AccountError(f"a coordinator needs a bassin EFE (one of: {', '.join(get_gazetteer().bassins)})")
    return found


def _service_of(role: str, service_ref: str | None) -> Any:
    """The service a social worker belongs to (only they do)."""
    from portal.referrals.models import Service

    if role != "social_worker":
        if service_ref:
            raise AccountError("only social workers belong to a service")
        return None
    service = db.session.scalar(select(Service).where(Service.ref == ref_key(service_ref or "")))
    if service is None:
        raise AccountError(f"a social worker needs an existing service ref (got {service_ref!r})")
    return service


def create_user(email: str, password: str, role: str, *, operator_ref: str | None = None,
                bassin: str | None = None, service_ref: str | None = None) -> User:
    """A new active user; raises AccountError with a clear message when the request is wrong."""
    email = normalise_email(email)
    if not EMAIL.match(email):
        raise AccountError(f"{email!r} is not an e-mail address")
    if db.session.scalar(select(func.count(User.id)).where(User.email == email)):
        raise AccountError(f"a user with e-mail {email!r} already exists")
    if role not in ROLES:
        raise AccountError(f"{role!r} is not a role (one of: {', '.join(ROLES)})")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    operator = _operator_of(role, operator_ref)
    bassin = _bassin_of(role, bassin)
    service = _service_of(role, service_ref)
    user = User(email=email, password_hash=hash_password(password), role=role,
                operator=operator, bassin_efe=bassin, service=service)
    db.session.add(user)
    db.session.commit()
    return user


# -- the second factor of a sign-in --------------------------------------------------------------
CODE_ACCEPTED, CODE_WRONG, CODES_LOCKED = "accepted", "wrong", "locked"


def check_sign_in_code(user: User, code: str) -> str:
    """The code step of a sign-in (once the password was right): CODE_ACCEPTED when ``code`` is
    valid, newer than the last one accepted and codes are not locked; of two requests with the same
    code, the database lets one only claim it. Else the wrong code is counted on the account (not in
    the session cookie, which a replay would reset): CODE_WRONG, or CODES_LOCKED when that one
    locked codes for ``sign_in.CODE_LOCK_MINUTES``."""
    step = totp.accepted_step(user.totp_secret, code, user.totp_last_step)
    if step is not None and sign_in.claim_code_step(user, step):
        return CODE_ACCEPTED
    return CODES_LOCKED if sign_in.count_wrong_code(user) else CODE_WRONG


# -- the second factor of an account -------------------------------------------------------------
def second_factor_key(user: User, new: bool) -> str:
    """The key being set up, kept on the account (a session cookie is signed, but readable): a new
    one when ``new`` (each time the page is shown) or when none waits."""
    if new or not user.pending_totp_secret:
        user.pending_totp_secret = totp.new_secret()
        db.session.commit()
    return user.pending_totp_secret


def turn_on_second_factor(user: User, code: str, password: str | None) -> None:
    """Turn on the key being set up once ``code`` proves the app has it; replacing a working one
    also takes the password (a session alone may not change it). Raises SecondFactorRefusal."""
    wrong_password = bool(user.totp_secret) and not verify_password(user, password or "")
    step = totp.accepted_step(user.pending_totp_secret or "", code, None)
    if step is None or wrong_password:
        raise SecondFactorRefusal(wrong_code=step is None, wrong_password=wrong_password)
    user.totp_secret, user.totp_last_step, user.totp_failures = user.pending_totp_secret, step, 0
    user.pending_totp_secret, user.totp_setup_required = None, False
    db.session.commit()


def turn_off_second_factor(user: User, password: str) -> bool:
    """Turn off a second factor (where it is not required: ``permissions``) when ``password`` is
    right; False when it is not."""
    if not verify_password(user, password):
        return False
    user.totp_secret = user.totp_last_step = None
    db.session.commit()
    return True


# -- an operator's team ----------------------------------------------------------------------------
def cancel_invitation(invitation: Invitation) -> bool:
    """Cancel an invitation not answered yet: its link stops working. False when it was accepted or
    cancelled meanwhile (decided in the database, as accepting it is)."""
    cancelled = db.session.execute(update(Invitation).where(
        Invitation.id == invitation.id, Invitation.accepted_at.is_(None), Invitation.cancelled_at.is_(None))
        .values(cancelled_at=utc_now()))
    db.session.commit()
    return cancelled.rowcount == 1


def remove_colleague(colleague: User, actor: User) -> bool:
    """A colleague leaves: their account is disabled (their sessions end; their changes stay in the
    history), recorded as "access removed". False when it already was; raises
    ``admin.AdminRefusal("self")`` for one's own account (another colleague or an admin does it)."""
    return disable_user(colleague, actor=actor, source="web", action="access_removed")


def set_language(user: User, code: str) -> None:
    """The workspace speaks ``code`` (one of portal.i18n.WORKSPACE_CODES) to ``user``."""
    from portal.i18n import WORKSPACE_CODES

    if code not in WORKSPACE_CODES:
        raise ValueError(f"not a workspace language: {code!r}")
    user.language = code
    db.session.commit()


def recipients_by_language(emails: list[str]) -> dict[str, list[str]]:
    """The addresses grouped by their account's language (French for an address without account),
    so that each group gets the e-mail in its language; in the order given."""
    languages = dict(db.session.execute(select(User.email, User.language).where(User.email.in_(emails))).all()) \
        if emails else {}
    groups: dict[str, list[str]] = {}
    for email in emails:
        groups.setdefault(languages.get(email) or "fr", []).append(email)
    return groups
