"""The gap table (api.md, ``GET /api/v1/cadastre/gaps``): how far each Walloon commune is from the
nearest course of some kinds and a level.

Courses considered: the search's own conditions (visible, kind, level; ``search.queries``) and the
rule of a next entry (``Course.next_start`` once the daily job ran, else ``next_entry_sql``, as
the search's "soonest first" does). They are reduced to their distinct site coordinates, each with
its lowest course ref (courses at one point are at one distance from everything); a grid over
those points (``cadastre.nearest``) finds each commune's nearest course. A commune's point is the
gazetteer's, as for ``near=<NIS>``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.sql.elements import ColumnElement

from portal.cadastre.kept import kept
from portal.cadastre.nearest import NearestPoints, Point
from portal.extensions import db
from portal.geo.gazetteer import Commune, Gazetteer
from portal.offer.derived import next_starts_are_current
from portal.offer.models import NO_NEXT_START, Course, Site
from portal.offer.sql_rules import next_entry_sql
from portal.search.filters import CourseFilters
from portal.search.queries import course_conditions


@dataclass(frozen=True)
class GapQuery:
    """A validated request for the gap table (``cadastre.gap_parameters``)."""

    kinds: tuple[str, ...]
    level: str | None = None
    bassin: str | None = None
    min_km: float | None = None


@dataclass(frozen=True)
class CommuneGap:
    commune: Commune
    nearest_km: float | None  # None only when no course is considered
    nearest_course: str | None


@dataclass(frozen=True)
class GapTable:
    query: GapQuery
    courses_considered: int
    communes: list[CommuneGap]  # farthest first, then by NIS code

    @property
    def population(self) -> int:
        """The population of the listed communes."""
        return sum(gap.commune.population for gap in self.communes)

    def beyond(self, min_km: float | None) -> GapTable:
        """The same table keeping the communes farther than ``min_km`` (all when None; every
        commune when no course is considered), as ``gap_table`` with that ``min_km`` gives it."""
        kept = [gap for gap in self.communes
                if min_km is None or gap.nearest_km is None or gap.nearest_km > min_km]
        return GapTable(replace(self.query, min_km=min_km), self.courses_considered, kept)


def has_next_entry(today: dt.date) -> ColumnElement[bool]:
    """SQL: the course has a next entry (rules.next_entry) on ``today``."""
    if next_starts_are_current(today):
        return Course.next_start != NO_NEXT_START
    return next_entry_sql(today).is_not(None)


def considered_points(query: GapQuery, today: dt.date) -> tuple[list[Point], int]:
    """The distinct points of the courses considered (each with its lowest ref), and their number."""
    filters = CourseFilters(today=today, kinds=query.kinds, level=query.level)
    # By site first (SQLite reads the courses in site order from an index, without sorting them),
    # then by point: sites may share one.
    by_site = (select(Course.site_id, func.min(Course.ref).label("ref"), func.count().label("courses"))
               .where(*course_conditions(filters), has_next_entry(today))
               .group_by(Course.site_id).subquery())
    # The connection's result streams its rows (the session's would buffer 10,000 row objects and
    # bring the garbage collector's next full pass sooner).
    rows = db.session.connection().execute(
        select(Site.lat, Site.lon, func.min(by_site.c.ref), func.sum(by_site.c.courses))
        .join(by_site, Site.id == by_site.c.site_id).group_by(Site.lat, Site.lon))
    points, considered = [], 0
    for lat, lon, ref, courses in rows:
        points.append(Point(lat, lon, ref))
        considered += int(courses)  # PostgreSQL's sum of counts is a numeric
    return points, considered


def gap_table(query: GapQuery, gazetteer: Gazetteer, today: dt.date) -> GapTable:
    """Each commune (of the bassin, when given) with its nearest course, farther than ``min_km``
    when given; every commune with nulls when no course is considered."""
    points, considered = considered_points(query, today)
    communes = [c for c in gazetteer.communes.values() if query.bassin is None or c.bassin_efe == query.bassin]
    index = NearestPoints(points)
    gaps = []
    for commune in communes:
        nearest = index.nearest(commune.lat, commune.lon)
        gaps.append(CommuneGap(commune, None, None) if nearest is None
                    else CommuneGap(commune, nearest.distance_km, nearest.ref))
    gaps.sort(key=lambda gap: gap.commune.nis_code)
    gaps.sort(key=lambda gap: gap.nearest_km or 0.0, reverse=True)
    return GapTable(query, considered, gaps).beyond(query.min_km)


def kept_gap_table(query: GapQuery, gazetteer: Gazetteer, today: dt.date) -> GapTable:
    """``gap_table(query)``, every commune computed once and kept like the coverage figures
    (``kept``: the page, its map's script and its report ask for the same table), then
    narrowed to ``min_km``. Only tables without ``min_km`` are kept, so the kept tables are bounded
    by the kinds × levels × areas there are."""
    every = replace(query, min_km=None)
    key = f"{','.join(every.kinds)}|{every.level}|{every.bassin}"
    return kept("gaps", key, today, lambda: gap_table(every, gazetteer, today)).beyond(query.min_km)
