"""Writes of the workspace."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from portal.extensions import db
from portal.offer.models import Course, Operator


def confirm_all(operator: Operator, today: dt.date) -> int:
    """"Everything is still correct": every course of the operator not archived is confirmed
    today. Returns how many courses were confirmed."""
    result = db.session.execute(
        update(Course).where(Course.operator_id == operator.id, Course.status != "archived")
        .values(confirmed_at=today)
    )
    db.session.commit()
    return result.rowcount or 0
