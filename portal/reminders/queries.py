"""Reads of the reminders: who should be reminded today, of which courses, and when each operator
was last reminded."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.extensions import db
from portal.offer import rules
from portal.offer.models import Course, Entry, Operator
from portal.offer.sql_rules import visible_condition
from portal.reminders.models import Reminder, ReminderCourse


@dataclass(frozen=True)
class PlannedReminder:
    operator: Operator
    recipients: list[str]  # empty: nobody to write to (no active account)
    courses: list[Course]  # going stale
    closed: list[Course] = field(default_factory=list)  # registrations closed for every upcoming session

    @property
    def all_courses(self) -> list[Course]:
        return self.courses + self.closed


def _not_reminded(reason: str):
    return ~exists().where(ReminderCourse.course_id == Course.id, ReminderCourse.reason == reason,
                           ReminderCourse.confirmed_at == Course.confirmed_at)


def plan_reminders(today: dt.date) -> list[PlannedReminder]:
    """Who should be reminded today, of which courses (none already reminded for that reason at
    this confirmation). A course going stale is named once, as going stale."""
    cutoff = today - dt.timedelta(days=rules.AGEING_DAYS)
    options = (selectinload(Course.operator), selectinload(Course.site), selectinload(Course.entries))
    order = (Course.operator_id, Course.confirmed_at, Course.title_key)
    stale = db.session.scalars(
        select(Course).where(Course.status == "published", Course.confirmed_at < cutoff, _not_reminded("stale"))
        .options(*options).order_by(*order)).all()
    # Candidates: an upcoming entry not full whose deadline passed; the rule decides the rest.
    missed_deadline = exists().where(Entry.course_id == Course.id, Entry.start >= today, Entry.status != "full",
                                     Entry.registration_deadline < today)
    candidates = db.session.scalars(
        select(Course).where(visible_condition(today), Course.entry_mode == "fixed", missed_deadline,
                             _not_reminded("registration_closed"))
        .options(*options).order_by(*order)).all()
    named = {course.id for course in stale}
    closed = [course for course in candidates
              if course.id not in named and rules.entries_state(course, today) == "registration_closed"]
    by_operator: dict[int, tuple[list[Course], list[Course]]] = {}
    for course in stale:
        by_operator.setdefault(course.operator_id, ([], []))[0].append(course)
    for course in closed:
        by_operator.setdefault(course.operator_id, ([], []))[1].append(course)
    plans = []
    for operator_id, (going_stale, all_closed) in by_operator.items():
        recipients = list(db.session.scalars(
            select(User.email).where(User.operator_id == operator_id, User.active.is_(True), User.role == "operator")
            .order_by(User.email)))
        operator = (going_stale or all_closed)[0].operator
        plans.append(PlannedReminder(operator, recipients, going_stale, all_closed))
    return sorted(plans, key=lambda plan: plan.operator.name)


def last_reminders(operator_ids: list[int]) -> dict[int, dt.datetime]:
    """When each of these operators was last reminded."""
    if not operator_ids:
        return {}
    rows = db.session.execute(
        select(Reminder.operator_id, func.max(Reminder.sent_at))
        .where(Reminder.operator_id.in_(operator_ids)).group_by(Reminder.operator_id))
    return dict(rows.all())
