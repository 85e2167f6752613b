"""Services (a CPAS, a Forem office, an association) whose social workers have accounts, the
referrals they send, and the anonymous counts left when a referral is deleted.

A referral holds a little personal data (a first name, a phone or an e-mail, languages, what the
worker knows of the level and constraints) and the person's recorded consent. Only the workers of
the service and the operator's users read it (``portal.permissions``); it is deleted
``DELETE_AFTER_DAYS`` after its last event, leaving a ``ReferralCount``."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import utc_now
from portal.extensions import db
from portal.offer.models import Course, Operator


class Service(db.Model):
    """A service whose social workers orient people ("accompagnateurs"): its workers share its referrals."""

    __tablename__ = "service"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))  # codes.SERVICE_KINDS
    postal_code: Mapped[str] = mapped_column(String(4))
    locality: Mapped[str] = mapped_column(String(120))
    bassin_efe: Mapped[str] = mapped_column(String(60), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)


class Referral(db.Model):
    __tablename__ = "referral"
    __table_args__ = (Index("ix_referral_status_sent_at", "status", "sent_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    # Who answers: the course's operator when it was sent.
    operator_id: Mapped[int] = mapped_column(ForeignKey("operator.id", ondelete="CASCADE"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    # The person: what the operator needs to call them back, nothing more.
    first_name: Mapped[str] = mapped_column(String(60))
    phone: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(200))
    languages: Mapped[str] = mapped_column(String(100), default="")  # portal.i18n codes, comma-separated
    other_languages: Mapped[str | None] = mapped_column(String(100))
    level_note: Mapped[str | None] = mapped_column(Text)
    constraints_note: Mapped[str | None] = mapped_column(Text)
    # The consent: the worker read the notice (of this version, in this language) and the person agreed.
    consent_language: Mapped[str] = mapped_column(String(5))
    notice_version: Mapped[int] = mapped_column(Integer)
    consent_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # Where it stands (codes.STATUSES) and when each thing happened (UTC).
    status: Mapped[str] = mapped_column(String(20), default="sent")
    entry_start: Mapped[dt.date | None] = mapped_column(Date)  # "accepted for the entry of …"
    reason: Mapped[str | None] = mapped_column(Text)  # "not suitable": why, as the operator wrote it
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime)
    first_answer_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    reminded_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_event_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)

    course: Mapped[Course] = relationship()
    operator: Mapped[Operator] = relationship()
    service: Mapped[Service] = relationship()
    worker = relationship("User", foreign_keys=[worker_id])
    answered_by = relationship("User", foreign_keys=[answered_by_id])

    @property
    def language_codes(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]

    @property
    def deleted_after(self) -> dt.datetime:
        """When the purge deletes it (if nothing happens meanwhile)."""
        from portal.referrals.codes import DELETE_AFTER_DAYS

        return self.last_event_at + dt.timedelta(days=DELETE_AFTER_DAYS)


class ReferralCount(db.Model):
    """What stays of deleted referrals for the cadastre: how many, per course, month of sending,
    outcome and answer time (working days until the first answer; none without one). Nothing of
    the person, the worker or the service."""

    __tablename__ = "referral_count"
    __table_args__ = (Index("ix_referral_count_key", "course_id", "month", "outcome"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("course.id", ondelete="SET NULL"))
    month: Mapped[str] = mapped_column(String(7))  # "2026-11", in Wallonia's time
    outcome: Mapped[str] = mapped_column(String(20))  # codes.OUTCOMES
    answer_working_days: Mapped[int | None] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(Integer, default=0)

    course: Mapped[Course | None] = relationship()
