"""Writes to accounts: creating users, checking passwords (argon2id)."""
from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from portal.accounts.models import ROLES, User, utc_now
from portal.extensions import db
from portal.normalise import ref_key
from portal.offer.models import Operator

# argon2-cffi's defaults follow RFC 9106's second recommendation (argon2id, 64 MiB, t=3).
_hasher = PasswordHasher()
# Verified when the e-mail is unknown, so that the answer takes as long either way.
_DUMMY_HASH = _hasher.hash("not a password of anyone")
MIN_PASSWORD_LENGTH = 12
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AccountError(ValueError):
    """A user that cannot be created as asked; the message says why."""


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


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(email: str, password: str, role: str, *, operator_ref: str | None = None,
                bassin: str | None = None) -> User:
    """A new active user; raises AccountError with a clear message when the request is wrong."""
    email = normalise_email(email)
    if not _EMAIL.match(email):
        raise AccountError(f"{email!r} is not an e-mail address")
    if db.session.scalar(select(func.count(User.id)).where(User.email == email)):
        raise AccountError(f"a user with e-mail {email!r} already exists")
    if role not in ROLES:
        raise AccountError(f"{role!r} is not a role (one of: {', '.join(ROLES)})")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    operator = None
    if role == "operator":
        operator = db.session.scalar(select(Operator).where(Operator.ref == ref_key(operator_ref or "")))
        if operator is None:
            raise AccountError(f"an operator user needs an existing operator ref (got {operator_ref!r})")
    elif operator_ref:
        raise AccountError("only operator users belong to an operator")
    if role == "coordinator":
        from portal.geo.gazetteer import get_gazetteer

        bassin = get_gazetteer().bassin(bassin or "")
        if bassin is None:
            raise AccountError("a coordinator needs a bassin EFE (one of: "
                               f"{', '.join(get_gazetteer().bassins)})")
    elif bassin:
        raise AccountError("only coordinators belong to a bassin")
    user = User(email=email, password_hash=hash_password(password), role=role,
                operator=operator, bassin_efe=bassin)
    db.session.add(user)
    db.session.commit()
    return user
