"""The history of every course: who changed it, when, how (form, file, confirmation) and what.

Written by the one write path (``import_offer``) and by "everything is still correct", so that
no change escapes it; read by the workspace's history page.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, select
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import insert_rows, utc_now
from portal.extensions import db

# How a change was made (shown to people in words by the workspace).
SOURCES: tuple[str, ...] = ("form", "file", "bassin", "confirm", "cli", "demo")
ACTIONS: tuple[str, ...] = ("created", "updated", "confirmed")




class CourseChange(db.Model):
    __tablename__ = "course_change"
    __table_args__ = (Index("ix_course_change_course_at", "course_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)  # UTC
    # The account that made the change (kept by e-mail too: accounts may be deleted).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    user_email: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(10))
    action: Mapped[str] = mapped_column(String(10))
    # {field: [before, after]} in the exchange format's words; empty for a creation.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields of two exchange-format courses that differ, as {field: [before, after]}."""
    return {key: [before.get(key), after.get(key)] for key in sorted(set(before) | set(after))
            if before.get(key) != after.get(key)}


def change_row(course_id: int, before: dict[str, Any] | None,
               after: dict[str, Any] | None) -> tuple[int, str, dict[str, list[Any]]]:
    """(course id, action, changes) for a course created (``before`` None) or updated; an update
    that only moves the confirmation date is a confirmation."""
    if before is None or after is None:
        return course_id, "created", {}
    fields = diff(before, after)
    return course_id, "confirmed" if set(fields) == {"confirmed_at"} else "updated", fields


def record(changes: list[tuple[int, str, dict[str, Any]]], *, actor: Any = None, source: str,
           at: dt.datetime | None = None) -> None:
    """Add (course id, action, changed fields) rows in one statement, in the current transaction."""
    if not changes:
        return
    at = at or utc_now()
    user_id = getattr(actor, "id", None)
    email = getattr(actor, "email", None)
    rows = [{"course_id": course_id, "at": at, "user_id": user_id, "user_email": email, "source": source,
             "action": action, "changes": fields} for course_id, action, fields in changes]
    insert_rows(db.session.connection(), CourseChange.__table__, rows)


def changes_of(course_id: int, limit: int = 200) -> list[CourseChange]:
    """The course's changes, newest first."""
    return list(db.session.scalars(
        select(CourseChange).where(CourseChange.course_id == course_id)
        .order_by(CourseChange.at.desc(), CourseChange.id.desc()).limit(limit)))
