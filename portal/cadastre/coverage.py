"""The coverage of the offer (issue 12, item 1): in an area, the visible courses and their operators
by kind × level (a course counts once in each level of its range), what a person can do now
(``states.py``), and how many courses are in the evening, on Saturday, with childcare, free or
job-oriented. Only visible courses count (domain.md: published, confirmed within 365 days).

Everything is an SQL aggregate over the courses of the area, or the rules of offer/rules.py on the
few columns they read (``states.py``): no course is loaded as an object, so the page stays cheap
at 100,000 courses.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Integer, Select, and_, case, distinct, func, literal_column, select, union_all
from sqlalchemy.sql.elements import ColumnElement

from portal.cadastre.areas import Area
from portal.cadastre.states import Scope, StateCounts, entries_states
from portal.extensions import db
from portal.offer import codes
from portal.offer.models import Course, Site
from portal.offer.sql_rules import visible_condition

# What a share of the offer is counted for (labels.COVERAGE_SHARES gives their words).
SHARES: tuple[str, ...] = ("evening", "saturday", "childcare", "free", "job_oriented")


def _share_conditions() -> dict[str, ColumnElement[bool]]:
    return {
        "evening": Course.parts_of_day_mask.bitwise_and(codes.to_mask(["evening"], codes.PARTS_OF_DAY)) != 0,
        "saturday": Course.days_mask.bitwise_and(codes.to_mask(["sat"], codes.DAYS)) != 0,
        "childcare": Course.childcare.is_(True),
        "free": Course.cost_eur == 0,
        "job_oriented": Course.job_oriented.is_(True),
    }


@dataclass(frozen=True)
class Cell:
    """Courses, and the operators giving them, in one cell of a table."""

    courses: int = 0
    operators: int = 0


@dataclass(frozen=True)
class Coverage:
    area: Area
    on: dt.date
    total: Cell  # every visible course of the area, and their operators
    by_kind: dict[str, Cell]  # kind → courses of that kind (each once) and their operators
    by_kind_level: dict[tuple[str, str], Cell]  # (kind, level) → courses whose range holds the level
    by_level: dict[str, Cell]  # level → courses of any kind whose range holds it
    shares: dict[str, int]  # SHARES → courses
    states: StateCounts

    def cell(self, kind: str, level: str) -> Cell:
        return self.by_kind_level.get((kind, level), Cell())

    def kind(self, kind: str) -> Cell:
        return self.by_kind.get(kind, Cell())

    def level(self, level: str) -> Cell:
        return self.by_level.get(level, Cell())

    def share(self, courses: int) -> float | None:
        """``courses`` as a share of the area's visible courses (None when it has none)."""
        return courses / self.total.courses if self.total.courses else None


def area_scope(area: Area, on: dt.date) -> Scope:
    """A function narrowing a SELECT on courses to the visible courses of ``area`` on day ``on``."""
    def scope(statement: Select) -> Select:
        statement = statement.where(visible_condition(on))
        if area.bassin_efe is None:
            return statement
        return statement.join(Site, Site.id == Course.site_id).where(Site.bassin_efe == area.bassin_efe)
    return scope


def coverage(area: Area, on: dt.date) -> Coverage:
    """The coverage figures of ``area`` on day ``on``."""
    scope = area_scope(area, on)
    conditions = _share_conditions()
    sums = [func.coalesce(func.sum(case((conditions[name], 1), else_=0)), 0) for name in SHARES]
    total = db.session.execute(scope(select(
        func.count(), func.count(distinct(Course.operator_id)), *sums).select_from(Course))).one()
    by_kind = {kind: Cell(courses, operators) for kind, courses, operators in db.session.execute(scope(
        select(Course.kind, func.count(), func.count(distinct(Course.operator_id)))
        .select_from(Course).group_by(Course.kind)))}
    by_level = {level: cell for (level,), cell in _by_levels(scope).items()}
    return Coverage(area=area, on=on, total=Cell(total[0], total[1]), by_kind=by_kind,
                    by_kind_level=_by_levels(scope, Course.kind), by_level=by_level,
                    shares=dict(zip(SHARES, total[2:], strict=True)), states=entries_states(scope, on))


def _by_levels(scope: Scope, *group_by: ColumnElement) -> dict[tuple, Cell]:
    """Courses and operators per level (and ``group_by``), each course in every level of its range:
    {(*group values, level): Cell}."""
    level = union_all(*(select(literal_column(str(rank), Integer).label("rank"))
                        for rank in range(len(codes.LEVELS)))).subquery("level")
    rows = db.session.execute(scope(
        select(*group_by, level.c.rank, func.count(), func.count(distinct(Course.operator_id)))
        .select_from(Course)
        .join(level, and_(Course.level_min <= level.c.rank, level.c.rank <= Course.level_max))
        .group_by(*group_by, level.c.rank)))
    return {(*row[:-3], codes.LEVELS[row[-3]]): Cell(row[-2], row[-1]) for row in rows}


@dataclass(frozen=True)
class AreaTotal:
    area: Area
    total: Cell


def area_totals(areas: list[Area], on: dt.date) -> list[AreaTotal]:
    """Visible courses and their operators in each area (Wallonia: all, each operator once)."""
    per_bassin = {bassin: Cell(courses, operators) for bassin, courses, operators in db.session.execute(
        select(Site.bassin_efe, func.count(), func.count(distinct(Course.operator_id)))
        .select_from(Course).join(Site, Site.id == Course.site_id)
        .where(visible_condition(on)).group_by(Site.bassin_efe))}
    whole = db.session.execute(select(func.count(), func.count(distinct(Course.operator_id)))
                               .where(visible_condition(on))).one()
    return [AreaTotal(area, Cell(*whole) if area.bassin_efe is None else per_bassin.get(area.bassin_efe, Cell()))
            for area in areas]
