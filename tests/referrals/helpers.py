"""Referrals for the tests: made directly (fixed ids for the role × route matrices) or through the
real form."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from portal.accounts.models import User
from portal.extensions import db
from portal.offer.models import Course
from portal.referrals.models import Referral

# Ids far above the tests' sequences, so that the matrices can name them in their paths.
REFERRAL_A, REFERRAL_B = 900001, 900002
SENT_AT = dt.datetime(2026, 11, 20, 9, 30)  # a Friday, 10:30 in Brussels
PERSON = {"first_name": "Awa", "phone": "0470 12 34 56", "email": "", "languages": ["ar", "fr"],
          "other_languages": "wolof", "level_note": "Parle bien, lit un peu.",
          "constraints_note": "Pas le mercredi (enfants).", "consent": "y", "person_language": "ar"}


def user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def make_referral(course_ref: str, worker_email: str, *, referral_id: int | None = None,
                  sent_at: dt.datetime = SENT_AT, **fields) -> Referral:
    """A referral as the form would record it (no e-mail written), with the given fields."""
    course = db.session.scalar(select(Course).where(Course.ref == course_ref))
    worker = user(worker_email)
    values = dict(first_name="Awa", phone="0470 12 34 56", languages="ar,fr", consent_language="ar",
                  notice_version=1, consent_at=sent_at, status="sent", sent_at=sent_at, last_event_at=sent_at)
    values.update(fields)
    referral = Referral(id=referral_id, course=course, operator_id=course.operator_id,
                        service_id=worker.service_id, worker_id=worker.id, **values)
    db.session.add(referral)
    db.session.commit()
    return referral


def make_matrix_referrals() -> None:
    """Worker A (Namur service) → course-a of operator A; worker B (Liège service) → course-b of operator B."""
    make_referral("course-a", "worker-a@example.org", referral_id=REFERRAL_A)
    make_referral("course-b", "worker-b@example.org", referral_id=REFERRAL_B)
