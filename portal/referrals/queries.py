"""Reads of referrals: whether a course takes referrals (or whom to call instead), the referrals a
user reads, the answers an operator may give, and what the scheduled jobs find due."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_login import current_user
from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.extensions import db
from portal.offer import rules
from portal.offer.models import Course, Operator
from portal.referrals.codes import CLOSE_AFTER_DAYS, DELETE_AFTER_DAYS, REMIND_AFTER_WORKING_DAYS, SENT
from portal.referrals.models import Referral
from portal.referrals.workdays import add_working_days, local_date

# Why a course shows whom to call instead of the referral form.
SHARED_INTAKE, NO_ACCOUNT = "shared_intake", "no_account"


def operator_recipients(operator_id: int) -> list[str]:
    """The e-mail addresses of the operator's active accounts."""
    return list(db.session.scalars(select(User.email).where(
        User.operator_id == operator_id, User.active.is_(True)).order_by(User.email)))


def why_not_referable(course: Course) -> str | None:
    """None when the course takes referrals; else SHARED_INTAKE (registrations go through a shared
    intake desk) or NO_ACCOUNT (its operator has no active account to read them)."""
    if course.registration == "shared_intake":
        return SHARED_INTAKE
    return None if operator_recipients(course.operator_id) else NO_ACCOUNT


def referral_entry(course: Course) -> str | None:
    """The referral form's address for a signed-in social worker on a course page; else None."""
    from portal.permissions import may

    return url_for("referrals.new", ref=course.ref) if may(current_user, "refer_to_course", course) else None


def referrals_of(seen: ColumnElement[bool]) -> list[Referral]:
    """The referrals of a scope (``permissions.referrals_seen_by``): those waiting for an answer
    first (oldest first), then the others, most recent news first."""
    waiting = case((Referral.status == SENT, 0), else_=1)
    query = (select(Referral).where(seen)
             .options(selectinload(Referral.course).selectinload(Course.site), selectinload(Referral.operator),
                      selectinload(Referral.service), selectinload(Referral.worker))
             .order_by(waiting, case((Referral.status == SENT, Referral.sent_at), else_=None),
                       Referral.last_event_at.desc(), Referral.id.desc()))
    return list(db.session.scalars(query))


def waiting_count(operator: Operator) -> int:
    """Referrals to the operator that wait for an answer."""
    return db.session.scalar(select(func.count(Referral.id)).where(
        Referral.operator_id == operator.id, Referral.status == SENT)) or 0


@dataclass(frozen=True)
class EntryChoice:
    start: dt.date
    state: str  # rules.ENTRY_STATES


def entry_choices(course: Course, today: dt.date) -> list[EntryChoice]:
    """The sessions an operator may accept a person for: the fixed entries not started long ago
    (a month back) and not past, soonest first."""
    if course.entry_mode != "fixed":
        return []
    since = today - dt.timedelta(days=31)
    return [EntryChoice(entry.start, rules.entry_state(entry, today))
            for entry in sorted(course.entries, key=lambda entry: entry.start) if entry.start >= since]


# -- what the scheduled jobs find due -------------------------------------------------------------
def answer_due_on(sent_at: dt.datetime) -> dt.date:
    """The last day the operator has to answer: the 5th working day after the day it was sent."""
    return add_working_days(local_date(sent_at), REMIND_AFTER_WORKING_DAYS)


def due_reminders(now: dt.datetime) -> list[Referral]:
    """Referrals still without answer once their answer day has passed, never reminded yet."""
    today = local_date(now)
    # Five working days are at least five calendar days: the database keeps the few that may be due.
    query = select(Referral).where(Referral.status == SENT, Referral.reminded_at.is_(None),
                                   Referral.sent_at <= now - dt.timedelta(days=REMIND_AFTER_WORKING_DAYS))
    return [referral for referral in db.session.scalars(query.order_by(Referral.sent_at, Referral.id))
            if today > answer_due_on(referral.sent_at)]


def due_closings(now: dt.datetime) -> list[Referral]:
    """Referrals without any answer CLOSE_AFTER_DAYS after they were sent."""
    return list(db.session.scalars(select(Referral).where(
        Referral.status == SENT, Referral.sent_at <= now - dt.timedelta(days=CLOSE_AFTER_DAYS))
        .order_by(Referral.sent_at, Referral.id)))


def due_deletions(now: dt.datetime) -> list[Referral]:
    """Referrals whose last event is DELETE_AFTER_DAYS old or older."""
    return list(db.session.scalars(select(Referral).where(
        Referral.last_event_at <= now - dt.timedelta(days=DELETE_AFTER_DAYS))
        .order_by(Referral.last_event_at, Referral.id)))


def counts_overview() -> list[dict[str, Any]]:
    """The anonymous counts (for the cadastre and the command line), by month, course and outcome."""
    from portal.referrals.models import ReferralCount

    rows = db.session.execute(select(ReferralCount, Course.ref).outerjoin(Course, ReferralCount.course_id == Course.id)
                              .order_by(ReferralCount.month, Course.ref, ReferralCount.outcome,
                                        ReferralCount.answer_working_days))
    return [{"month": count.month, "course": ref, "outcome": count.outcome,
             "answer_working_days": count.answer_working_days, "count": count.count} for count, ref in rows]
