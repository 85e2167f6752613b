"""Sending reminders (the daily job ``reminders``, or ``flask offer remind``): e-mail the users of
each operator whose published courses were not confirmed for more than rules.AGEING_DAYS, or whose
upcoming sessions all closed their registrations ("add the next session"); once per course,
reason and confirmation; every reminder recorded."""
from __future__ import annotations

import datetime as dt

from flask import render_template, url_for
from flask_babel import gettext as _

from portal.accounts.services import recipients_by_language
from portal.extensions import db
from portal.mail import mail_context, send_mail
from portal.offer import rules
from portal.offer.models import Course
from portal.reminders.models import Reminder, ReminderCourse
from portal.reminders.queries import PlannedReminder, plan_reminders


def reminder_message(plan: PlannedReminder, today: dt.date, language: str = "fr") -> tuple[str, str]:
    """Subject and body, in ``language`` (a workspace language: the recipients' accounts')."""
    with mail_context(language):
        link = url_for("accounts.login", next=url_for("workspace.operator", ref=plan.operator.ref),
                       _external=True)
        body = render_template("reminders/email.txt", plan=plan, today=today, link=link,
                               hidden_on=lambda course: course.confirmed_at + dt.timedelta(days=rules.VISIBLE_DAYS + 1),
                               last_deadline=_last_missed_deadline)
        if plan.courses:
            return _("Passerelle: are your courses still up to date?"), body
        return _("Passerelle: add the next session of your courses"), body


def _last_missed_deadline(course: Course, today: dt.date) -> dt.date | None:
    missed = [entry.registration_deadline for entry in course.entries
              if entry.start >= today and entry.registration_deadline and entry.registration_deadline < today]
    return max(missed) if missed else None


def send_reminder(plan: PlannedReminder, today: dt.date) -> Reminder:
    """E-mail one operator's users and record it (who, when, which courses at which confirmation)."""
    for language, recipients in recipients_by_language(plan.recipients).items():
        subject, body = reminder_message(plan, today, language)
        send_mail(recipients, subject, body)
    reminder = Reminder(operator=plan.operator, recipients=", ".join(plan.recipients),
                        courses=[ReminderCourse(course=c, confirmed_at=c.confirmed_at, reason="stale")
                                 for c in plan.courses]
                        + [ReminderCourse(course=c, confirmed_at=c.confirmed_at, reason="registration_closed")
                           for c in plan.closed])
    db.session.add(reminder)
    db.session.commit()
    return reminder


def send_due_reminders(today: dt.date) -> str:
    """Send every reminder due today (the daily job); one line saying what was done."""
    plans = plan_reminders(today)
    sent = [plan for plan in plans if plan.recipients]
    for plan in sent:
        send_reminder(plan, today)
    unreachable = len(plans) - len(sent)
    return (f"{len(sent)} reminder(s) sent"
            + (f"; {unreachable} operator(s) with no active account to write to" if unreachable else ""))
