"""Alerts and the log of what each one told.

An alert stores the address, the search and its language only (and when it was asked, confirmed
and ends). ``AlertNotice`` is one entry of a course that an alert has met: either already
joinable when the alert was asked (``sent`` False: the person saw it in the results) or mailed
(``sent`` True, with when). An entry is never mailed twice by the same alert."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db


class Alert(db.Model):
    __tablename__ = "alert"
    __table_args__ = (Index("ix_alert_email_created", "email", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))  # trimmed, lower case
    # The search's parameters as validated (portal.search.filters), without page and language.
    query: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(5))  # a public language code (portal.i18n)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)  # UTC, naive
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # None: not confirmed yet
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class AlertNotice(db.Model):
    """An entry an alert met. Once the alert ends, what it sent stays (without the alert, hence
    without the address) until the purge, as the log of what was sent."""

    __tablename__ = "alert_notice"
    __table_args__ = (
        UniqueConstraint("alert_id", "course_id", "entry_key", name="uq_alert_notice_entry"),
        Index("ix_alert_notice_noted_at", "noted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alert.id", ondelete="SET NULL"))
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    # Which entry: its start date for a fixed entry ("2027-01-11"); "rolling:<first day>" for a
    # course one can start any day (its active period).
    entry_key: Mapped[str] = mapped_column(String(40))
    entry_start: Mapped[dt.date] = mapped_column(Date)  # the first day one can start, as mailed
    noted_at: Mapped[dt.datetime] = mapped_column(DateTime)
    sent: Mapped[bool] = mapped_column(Boolean, default=False)
