"""Writes of referrals: sending one, the operator's answers, the worker's deletion, and the
scheduled jobs' reminders, closings and deletions. Every e-mail goes through the outbox and holds
no personal data ("a new referral — sign in"); each deleted referral leaves an anonymous count."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, select, update

from portal.db import utc_now
from portal.extensions import db
from portal.offer.models import Course
from portal.referrals import mails
from portal.referrals.codes import ANSWERS, NO_ANSWER, NOTICE_VERSION, SENT, WITHDRAWN
from portal.referrals.models import Referral, ReferralCount
from portal.referrals.queries import due_closings, due_deletions, due_reminders, why_not_referable
from portal.referrals.workdays import local_date, working_days_between


class NotReferable(Exception):
    """The course takes no referral (shared intake desk, or no active account to read it)."""


@dataclass(frozen=True)
class Person:
    """What the worker sends of the person: only what the operator needs to call them back."""

    first_name: str
    phone: str | None
    email: str | None
    languages: tuple[str, ...]
    other_languages: str | None
    level_note: str | None
    constraints_note: str | None
    consent_language: str  # the language the notice was read in


def send_referral(course: Course, worker, person: Person, now: dt.datetime | None = None) -> Referral:
    """Record the referral (the person's consent with it) and tell the operator's users that one
    is waiting. Raises NotReferable when the course takes none."""
    if why_not_referable(course) is not None:
        raise NotReferable(course.ref)
    now = now or utc_now()
    referral = Referral(course=course, operator_id=course.operator_id, service_id=worker.service_id,
                        worker_id=worker.id, first_name=person.first_name, phone=person.phone, email=person.email,
                        languages=",".join(person.languages), other_languages=person.other_languages,
                        level_note=person.level_note, constraints_note=person.constraints_note,
                        consent_language=person.consent_language, notice_version=NOTICE_VERSION, consent_at=now,
                        status=SENT, sent_at=now, last_event_at=now)
    db.session.add(referral)
    db.session.commit()
    mails.tell_operator(referral, reminder=False)
    return referral


def answer_referral(referral: Referral, answer: str, user, *, entry_start: dt.date | None = None,
                    reason: str | None = None, now: dt.datetime | None = None) -> bool:
    """The operator's answer (ANSWERS; "accepted" with the entry's start, "not_suitable" with a
    reason); the worker is told. False when it changes nothing (a double click, a colleague gave
    the same answer)."""
    if answer not in ANSWERS:
        raise ValueError(f"not an answer: {answer!r}")
    entry_start = entry_start if answer == "accepted" else None
    reason = reason if answer == "not_suitable" else None
    now = now or utc_now()
    unchanged = and_(Referral.status == answer, Referral.entry_start.is_not_distinct_from(entry_start),
                     Referral.reason.is_not_distinct_from(reason))
    changed = db.session.execute(update(Referral).where(Referral.id == referral.id, ~unchanged).values(
        status=answer, entry_start=entry_start, reason=reason, answered_at=now, answered_by_id=user.id,
        last_event_at=now))
    if changed.rowcount != 1:
        db.session.rollback()
        return False
    db.session.execute(update(Referral).where(Referral.id == referral.id, Referral.first_answer_at.is_(None))
                       .values(first_answer_at=now))
    db.session.commit()
    db.session.refresh(referral)
    mails.tell_worker(referral)
    return True


def _count(referral: Referral, outcome: str) -> None:
    """Add the referral to the anonymous counts (course, month sent, outcome, answer time)."""
    month = local_date(referral.sent_at).strftime("%Y-%m")
    days = (working_days_between(local_date(referral.sent_at), local_date(referral.first_answer_at))
            if referral.first_answer_at else None)
    key = (ReferralCount.course_id == referral.course_id, ReferralCount.month == month,
           ReferralCount.outcome == outcome,
           ReferralCount.answer_working_days.is_(None) if days is None else ReferralCount.answer_working_days == days)
    row = db.session.scalar(select(ReferralCount).where(*key))
    if row is None:
        db.session.add(ReferralCount(course_id=referral.course_id, month=month, outcome=outcome,
                                     answer_working_days=days, count=1))
    else:
        row.count = ReferralCount.count + 1
    db.session.flush()


def forget(referral: Referral, outcome: str | None = None) -> None:
    """Delete the referral and the person's data with it, leaving its anonymous count."""
    _count(referral, outcome or referral.status)
    db.session.delete(referral)


def delete_referral(referral: Referral) -> None:
    """The worker deletes a referral now (the person asked, or it was a mistake); before any answer
    it counts as "withdrawn"."""
    forget(referral, WITHDRAWN if referral.status == SENT else referral.status)
    db.session.commit()


# -- the scheduled jobs -------------------------------------------------------------------------
def remind_operators(now: dt.datetime, dry_run: bool = False) -> list[Referral]:
    """Remind the operator once of each referral still without answer after its answer day."""
    due = due_reminders(now)
    if dry_run:
        return due
    for referral in due:
        claimed = db.session.execute(update(Referral).where(Referral.id == referral.id, Referral.status == SENT,
                                                            Referral.reminded_at.is_(None))
                                     .values(reminded_at=now, last_event_at=now))
        db.session.commit()
        if claimed.rowcount == 1:
            mails.tell_operator(referral, reminder=True)
    return due


def close_unanswered(now: dt.datetime, dry_run: bool = False) -> list[Referral]:
    """Close as "no answer" the referrals without answer after CLOSE_AFTER_DAYS; the worker is told."""
    due = due_closings(now)
    if dry_run:
        return due
    for referral in due:
        closed = db.session.execute(update(Referral).where(Referral.id == referral.id, Referral.status == SENT)
                                    .values(status=NO_ANSWER, closed_at=now, last_event_at=now))
        db.session.commit()
        if closed.rowcount == 1:
            db.session.refresh(referral)
            mails.tell_worker(referral)
    return due


def delete_old(now: dt.datetime, dry_run: bool = False) -> list[Referral]:
    """Delete the referrals DELETE_AFTER_DAYS after their last event, leaving their counts."""
    due = due_deletions(now)
    if dry_run:
        return due
    for referral in due:
        forget(referral)
    db.session.commit()
    return due


def run_referral_jobs(now: dt.datetime) -> str:
    """The daily job: reminders, then closings (one line saying what was done)."""
    reminded = remind_operators(now)
    closed = close_unanswered(now)
    return f"{len(reminded)} operator reminder(s); {len(closed)} referral(s) closed without answer"


def run_referral_purge(now: dt.datetime) -> str:
    deleted = delete_old(now)
    return f"{len(deleted)} referral(s) deleted, their anonymous counts kept"
