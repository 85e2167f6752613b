"""Freshness reminders (``flask offer remind``, run daily): e-mail the users of each operator whose
published courses were not confirmed for more than rules.AGEING_DAYS, once per course and
confirmation, and record every reminder."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.extensions import db
from portal.mail import send_mail
from portal.offer import rules
from portal.offer.models import Course, Operator
from portal.workspace.models import Reminder, ReminderCourse


@dataclass(frozen=True)
class PlannedReminder:
    operator: Operator
    recipients: list[str]  # empty: nobody to write to (no active account)
    courses: list[Course]


def plan_reminders(today: dt.date) -> list[PlannedReminder]:
    """Who should be reminded today, of which courses (none already reminded at this confirmation)."""
    cutoff = today - dt.timedelta(days=rules.AGEING_DAYS)
    already_reminded = exists().where(ReminderCourse.course_id == Course.id,
                                      ReminderCourse.confirmed_at == Course.confirmed_at)
    courses = db.session.scalars(
        select(Course).where(Course.status == "published", Course.confirmed_at < cutoff, ~already_reminded)
        .options(selectinload(Course.operator), selectinload(Course.site))
        .order_by(Course.operator_id, Course.confirmed_at, Course.title_key)
    ).all()
    by_operator: dict[int, list[Course]] = {}
    for course in courses:
        by_operator.setdefault(course.operator_id, []).append(course)
    plans = []
    for operator_id, operator_courses in by_operator.items():
        recipients = list(db.session.scalars(
            select(User.email).where(User.operator_id == operator_id, User.active.is_(True), User.role == "operator")
            .order_by(User.email)))
        plans.append(PlannedReminder(operator_courses[0].operator, recipients, operator_courses))
    return sorted(plans, key=lambda plan: plan.operator.name)


def reminder_message(plan: PlannedReminder, today: dt.date) -> tuple[str, str]:
    """Subject and body (in French, the operators' language)."""
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]), force_locale("fr"):
        link = url_for("accounts.login", next=url_for("workspace.operator", ref=plan.operator.ref),
                       _external=True)
        body = render_template("workspace/reminder_email.txt", plan=plan, today=today, link=link,
                               hidden_on=lambda course: course.confirmed_at + dt.timedelta(days=rules.VISIBLE_DAYS + 1))
        return _("Passerelle: are your courses still up to date?"), body


def send_reminder(plan: PlannedReminder, today: dt.date) -> Reminder:
    """E-mail one operator's users and record it (who, when, which courses at which confirmation)."""
    subject, body = reminder_message(plan, today)
    send_mail(plan.recipients, subject, body)
    reminder = Reminder(operator=plan.operator, recipients=", ".join(plan.recipients),
                        courses=[ReminderCourse(course=c, confirmed_at=c.confirmed_at) for c in plan.courses])
    db.session.add(reminder)
    db.session.commit()
    return reminder


def last_reminders(operator_ids: list[int]) -> dict[int, dt.datetime]:
    """When each of these operators was last reminded."""
    if not operator_ids:
        return {}
    rows = db.session.execute(
        select(Reminder.operator_id, func.max(Reminder.sent_at))
        .where(Reminder.operator_id.in_(operator_ids)).group_by(Reminder.operator_id))
    return dict(rows.all())
