"""What the open data holds: the visible courses (domain.md), their operators and the sites they
are given at — nothing else of the database (no draft, archived or expired course, no empty site,
no account).

Operators save while the files are written (a build of 100,000 courses takes 20 s). On PostgreSQL
the build reads one snapshot (``read_snapshot``: a REPEATABLE READ transaction, which holds no
writer off). SQLite has no such cheap snapshot (a read transaction there would hold every writer
off for the whole build), so ``courses_in_order`` leaves out what changed under it: a course deleted
since the first query, or moved to a site or operator the files do not list — the next build has
it. Either way the files agree with themselves: every course's site and operator are in them."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from portal.extensions import db
from portal.offer.models import Course, Operator, Site
from portal.offer.sql_rules import visible_condition

# Courses loaded at once: a few MB of objects, whatever the size of the offer.
CHUNK = 1000


@dataclass
class VisibleOffer:
    """The operators and sites of the visible courses, loaded once (the courses refer to them),
    and the courses' ids in the files' order: by operator ref, then course ref."""

    operators: dict[int, Operator] = field(default_factory=dict)
    sites_of: dict[int, list[Site]] = field(default_factory=dict)  # by operator id, by ref
    course_ids: list[int] = field(default_factory=list)

    @property
    def sites(self) -> int:
        return sum(len(sites) for sites in self.sites_of.values())


@contextmanager
def read_snapshot() -> Iterator[None]:
    """Every read inside sees the database as it was at the first one (PostgreSQL; SQLite: as it is)."""
    if db.engine.dialect.name != "postgresql":
        yield
        return
    db.session.commit()  # a new transaction, so that its isolation can be chosen
    db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    try:
        yield
    finally:
        db.session.rollback()  # it only read; the connection goes back with its usual isolation


def visible_offer(today: dt.date) -> VisibleOffer:
    """The visible offer's operators, sites and course ids (three queries)."""
    offer = VisibleOffer()
    offer.course_ids = list(db.session.scalars(
        select(Course.id).join(Course.operator).where(visible_condition(today)).order_by(Operator.ref, Course.ref)))
    offer.operators = {operator.id: operator for operator in db.session.scalars(
        select(Operator).where(Operator.id.in_(select(Course.operator_id).where(visible_condition(today)))))}
    for site in db.session.scalars(select(Site).where(Site.id.in_(select(Course.site_id).where(
            visible_condition(today)))).order_by(Site.ref)):
        offer.sites_of.setdefault(site.operator_id, []).append(site)
    return offer


def courses_in_order(offer: VisibleOffer) -> Iterator[Course]:
    """The offer's courses in its order, with their entries, ``CHUNK`` at a time; their site and
    operator are those ``visible_offer`` loaded (set, not looked up course by course)."""
    sites = {site.id: site for sites in offer.sites_of.values() for site in sites}
    for start in range(0, len(offer.course_ids), CHUNK):
        chunk = offer.course_ids[start:start + CHUNK]
        by_id = {course.id: course for course in db.session.scalars(
            select(Course).where(Course.id.in_(chunk)).options(selectinload(Course.entries)))}
        for course_id in chunk:
            course = by_id.get(course_id)
            site = sites.get(course.site_id) if course is not None else None
            if site is None or site.operator_id != course.operator_id or course.operator_id not in offer.operators:
                continue  # changed since the first query (SQLite): in the next build
            set_committed_value(course, "site", site)
            set_committed_value(course, "operator", offer.operators[course.operator_id])
            yield course
