"""Users of the private areas. The public never has an account."""
from __future__ import annotations

import datetime as dt

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import utc_now
from portal.extensions import db
from portal.offer.models import Operator

# Social workers ("accompagnateurs") belong to a service and read the personal data of referrals.
ROLES: tuple[str, ...] = ("operator", "coordinator", "admin", "social_worker")
SECOND_FACTOR_REQUIRED: tuple[str, ...] = ("coordinator", "admin", "social_worker")
# What a sign-up request asks for: an operator (to publish courses) or a social worker's account.
ACCOUNT_KINDS: tuple[str, ...] = ("operator", "social_worker")


def normalise_email(email: str) -> str:
    """An e-mail address as accounts store and compare it: trimmed, in lower case."""
    return email.strip().lower()


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)  # stored lower-case
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    # An operator user belongs to one operator; a coordinator to one bassin EFE; a social worker to
    # one service.
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operator.id"), index=True)
    bassin_efe: Mapped[str | None] = mapped_column(String(60))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # Second factor (TOTP, RFC 6238): the shared secret, and the last time step accepted, so that
    # a code is never accepted twice.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    # Wrong codes in a row, and until when codes are refused after too many (kept here, not in the
    # session cookie, so that a replayed cookie does not reset the count).
    totp_failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    totp_locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # The key shown while the second factor is being set up: kept here, not in the session cookie
    # (signed, not encrypted: anyone holding the cookie could read it).
    pending_totp_secret: Mapped[str | None] = mapped_column(String(64))
    # An admin reset the second factor: the user sets one up again at the next sign-in.
    totp_setup_required: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Part of every session's id: bumped at sign-out, password change, disabling and second-factor
    # reset, it ends every session made before, even a copied cookie.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The workspace's language (a code of portal.i18n.WORKSPACE_CODES), chosen on the account page;
    # the e-mails to this account are written in it too.
    language: Mapped[str] = mapped_column(String(5), default="fr", server_default="fr")

    operator: Mapped[Operator | None] = relationship()
    service = relationship("Service")

    def get_id(self) -> str:
        """What the session keeps: the id, a stamp of the password hash (changing or resetting
        the password signs out every other session) and the session generation (signing out
        ends the session on the server, not only in the browser)."""
        return f"{self.id}:{self.password_stamp}:{self.session_generation}"

    @property
    def password_stamp(self) -> str:
        import hashlib

        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]

    @classmethod
    def from_session_id(cls, session_id: str) -> User | None:
        user_id, stamp, generation = (session_id.split(":") + ["", ""])[:3]
        valid = user_id.isascii() and user_id.isdigit() and len(user_id) < 10
        user = db.session.get(cls, int(user_id)) if valid else None
        if user is None or stamp != user.password_stamp or generation != str(user.session_generation):
            return None
        return user

    @property
    def needs_second_factor(self) -> bool:
        """Coordinators and admins must use a second factor, and so must a user whose second
        factor an admin reset (until they set up a new one); others may."""
        return self.role in SECOND_FACTOR_REQUIRED or bool(self.totp_setup_required)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active


class SignupRequest(db.Model):
    """An organisation asks to publish its courses. Nothing of it exists in the offer until a
    coordinator of its bassin (or an admin) validates it; then its operator is created and the
    requester is invited to choose a password."""

    __tablename__ = "signup_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    postal_code: Mapped[str] = mapped_column(String(4))
    locality: Mapped[str] = mapped_column(String(120))
    bassin_efe: Mapped[str] = mapped_column(String(60), index=True)
    website: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(50))
    contact_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(200), index=True)  # lower-case
    message: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending, approved, rejected
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    decision_note: Mapped[str | None] = mapped_column(Text)
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operator.id", ondelete="SET NULL"))
    # "operator" (publish courses) or "social_worker" (orient people: ``organisation`` and ``kind``
    # are then the service's); validating the latter makes or joins the service.
    account: Mapped[str] = mapped_column(String(20), default="operator", server_default="operator")
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id", ondelete="SET NULL"))

    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    operator: Mapped[Operator | None] = relationship()
    service = relationship("Service")

    @property
    def for_social_worker(self) -> bool:
        """Asks for a social worker's account (not for an operator)."""
        return self.account == "social_worker"


class Invitation(db.Model):
    """An e-mail invited to become a user of an operator (or a social worker of a service); the
    link in the e-mail expires."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(200), index=True)  # lower-case
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operator.id", ondelete="CASCADE"), index=True)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    accepted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    operator: Mapped[Operator | None] = relationship()
    service = relationship("Service")
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])

    def state(self, now: dt.datetime) -> str:
        """pending, accepted, cancelled or expired."""
        if self.accepted_at:
            return "accepted"
        if self.cancelled_at:
            return "cancelled"
        return "expired" if now >= self.expires_at else "pending"


class SignInCounter(db.Model):
    """Wrong passwords given for one e-mail address, whether or not an account has it (so that
    the delays tell nothing about which addresses exist). The address is kept as a keyed hash."""

    __tablename__ = "sign_in_counter"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_failure_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)
    blocked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)


class AccountEvent(db.Model):
    """Who did what to which account, when and how (the admin page or the command line)."""

    __tablename__ = "account_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now, index=True)
    action: Mapped[str] = mapped_column(String(30))  # disabled, enabled, second_factor_reset, access_removed
    source: Mapped[str] = mapped_column(String(10))  # web, cli
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    actor_name: Mapped[str] = mapped_column(String(200))  # its e-mail, or "command line (system user)"
    target_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    target_email: Mapped[str] = mapped_column(String(200))

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    target: Mapped[User | None] = relationship(foreign_keys=[target_id])
