"""Reminders: who was reminded, when, of which courses, why (going stale, registrations closed) and
at which confirmation, so that no reminder is sent twice for the same course and reason."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import utc_now
from portal.extensions import db
from portal.offer.models import Course, Operator


class Reminder(db.Model):
    __tablename__ = "reminder"

    id: Mapped[int] = mapped_column(primary_key=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operator.id", ondelete="CASCADE"), index=True)
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)
    recipients: Mapped[str] = mapped_column(Text)  # e-mail addresses, comma-separated

    operator: Mapped[Operator] = relationship()
    courses: Mapped[list[ReminderCourse]] = relationship(back_populates="reminder", cascade="all, delete-orphan")


class ReminderCourse(db.Model):
    __tablename__ = "reminder_course"
    __table_args__ = (Index("ix_reminder_course_course", "course_id", "confirmed_at"),)

    reminder_id: Mapped[int] = mapped_column(ForeignKey("reminder.id", ondelete="CASCADE"), primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), primary_key=True)
    # The course's confirmation date when the reminder went out: confirming it again makes a
    # later reminder possible, an unchanged one never gets a second.
    confirmed_at: Mapped[dt.date] = mapped_column(Date)
    # Why: "stale" (not confirmed for long) or "registration_closed" (no upcoming session open).
    reason: Mapped[str] = mapped_column(String(20), default="stale", server_default="stale")

    reminder: Mapped[Reminder] = relationship(back_populates="courses")
    course: Mapped[Course] = relationship()
