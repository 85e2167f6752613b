"""Users of the private areas. The public never has an account."""
from __future__ import annotations

import datetime as dt

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.offer.models import Operator

ROLES: tuple[str, ...] = ("operator", "coordinator", "admin")
SECOND_FACTOR_REQUIRED: tuple[str, ...] = ("coordinator", "admin")


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)  # stored lower-case
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    # An operator user belongs to one operator; a coordinator to one bassin EFE.
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operator.id"), index=True)
    bassin_efe: Mapped[str | None] = mapped_column(String(60))
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

    operator: Mapped[Operator | None] = relationship()

    def get_id(self) -> str:
        """What the session keeps: the id and a stamp of the password hash, so that changing the
        password (or resetting it) signs out every other session."""
        return f"{self.id}:{self.password_stamp}"

    @property
    def password_stamp(self) -> str:
        import hashlib

        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]

    @classmethod
    def from_session_id(cls, session_id: str) -> User | None:
        user_id, _sep, stamp = session_id.partition(":")
        valid = user_id.isascii() and user_id.isdigit() and len(user_id) < 10
        user = db.session.get(cls, int(user_id)) if valid else None
        return user if user is not None and stamp == user.password_stamp else None

    @property
    def needs_second_factor(self) -> bool:
        """Coordinators and admins must use a second factor; others may."""
        return self.role in SECOND_FACTOR_REQUIRED

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

    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    operator: Mapped[Operator | None] = relationship()


class Invitation(db.Model):
    """An e-mail invited to become a user of an operator; the link in the e-mail expires."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(200), index=True)  # lower-case
    operator_id: Mapped[int] = mapped_column(ForeignKey("operator.id", ondelete="CASCADE"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    accepted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    operator: Mapped[Operator] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])

    def state(self, now: dt.datetime) -> str:
        """pending, accepted, cancelled or expired."""
        if self.accepted_at:
            return "accepted"
        if self.cancelled_at:
            return "cancelled"
        return "expired" if now >= self.expires_at else "pending"
