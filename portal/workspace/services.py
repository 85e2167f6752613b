"""Writes of the workspace."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, update

from portal.extensions import db
from portal.offer import history
from portal.offer.models import Course, Operator


def confirm_all(operator: Operator, today: dt.date, actor: Any = None) -> int:
    """"Everything is still correct": every course of the operator not archived is confirmed
    today (and that is written in each course's history). Returns how many courses were confirmed."""
    mine = (Course.operator_id == operator.id, Course.status != "archived")
    older = db.session.execute(select(Course.id, Course.confirmed_at).where(*mine, Course.confirmed_at != today))
    history.record([(course_id, "confirmed", {"confirmed_at": [confirmed.isoformat(), today.isoformat()]})
                    for course_id, confirmed in older], actor=actor, source="confirm")
    result = db.session.execute(update(Course).where(*mine).values(confirmed_at=today))
    db.session.commit()
    return result.rowcount or 0
