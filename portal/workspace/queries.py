"""Reads of the workspace: an operator's offer with its freshness, the operators a user sees."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.offer import rules
from portal.offer.models import Course, Operator


@dataclass(frozen=True)
class CourseFreshness:
    course: Course
    freshness: str  # rules.freshness
    days: int  # since the last confirmation
    entries_state: str  # rules.entries_state: "registration_closed" asks the operator for the next session

    @property
    def needs_next_session(self) -> bool:
        """Published, and registrations closed for every upcoming session."""
        return self.course.status == "published" and self.entries_state == "registration_closed"


@dataclass(frozen=True)
class OperatorOverview:
    operator: Operator
    counts: Counter  # freshness → number of courses (archived ones left out)


def operator_offer(operator: Operator, today: dt.date) -> list[CourseFreshness]:
    """The operator's courses (archived last), oldest confirmation first within each status."""
    courses = db.session.scalars(
        select(Course).where(Course.operator_id == operator.id)
        .options(selectinload(Course.site), selectinload(Course.entries))
    ).all()
    order = {"published": 0, "draft": 1, "archived": 2}
    rows = [CourseFreshness(c, rules.freshness(c, today), (today - c.confirmed_at).days, rules.entries_state(c, today))
            for c in courses]
    return sorted(rows, key=lambda row: (order[row.course.status], -row.days, row.course.title_key))


def freshness_counts(rows: list[CourseFreshness]) -> Counter:
    """How many courses (archived ones left out) are in each freshness state."""
    return Counter(row.freshness for row in rows if row.course.status != "archived")


def operators_overview(seen: ColumnElement[bool], today: dt.date) -> list[OperatorOverview]:
    """The operators of a scope (``permissions.operators_seen_by``), with their courses' freshness."""
    query = select(Operator).where(seen).order_by(Operator.name).options(selectinload(Operator.courses))
    return [
        OperatorOverview(operator, Counter(rules.freshness(c, today) for c in operator.courses
                                           if c.status != "archived"))
        for operator in db.session.scalars(query)
    ]
