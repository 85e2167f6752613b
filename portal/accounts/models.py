"""Users of the private areas. The public never has an account."""
from __future__ import annotations

import datetime as dt

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.offer.models import Operator

ROLES: tuple[str, ...] = ("operator", "coordinator", "admin")


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

    operator: Mapped[Operator | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active
