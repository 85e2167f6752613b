"""``search_courses``: the single query behind the API, the GeoJSON and the HTML list.

SQL does the cheap filters (visibility, kind, level, dates, bassin, text…) and a bounding-box
prefilter on the indexed site coordinates, then the exact great-circle cut and the sort. Without
a radius, "nearest first" grows a box until it holds the requested page instead of sorting
every row by distance.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import Numeric, cast, func, or_, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.sql.elements import ColumnElement

from portal.extensions import db
from portal.geo.distance import EARTH_RADIUS, bounding_box, distance_km
from portal.geo.gazetteer import Place
from portal.normalise import ref_key
from portal.offer import codes, rules
from portal.offer.derived import next_starts_are_current
from portal.offer.models import NO_NEXT_START, Course, Site
from portal.offer.sql_rules import can_start_condition, next_entry_sql, visible_condition
from portal.search.filters import CourseFilters
from portal.search.memory import offer_index
from portal.search.words import match_words

# From this many matches on, the first pages are read along the sort index (see search_courses).
WALK_ORDER_INDEX_FROM = 1000


@dataclass(frozen=True)
class CourseHit:
    course: Course
    distance_km: float | None
    next_entry: rules.NextEntry | None
    stale: bool
    entries_state: str = "none"  # rules.entries_state
    availability: str = "later"  # rules.availability, for the cards and the map


@dataclass(frozen=True)
class SearchResults:
    filters: CourseFilters
    total: int
    hits: list[CourseHit]

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.filters.per_page))


def great_circle_sql(place: Place) -> ColumnElement[float]:
    """geopy's great_circle formula in SQL, from ``place`` to each row's site, in km."""
    lat1 = math.radians(place.lat)
    sin_lat1, cos_lat1 = math.sin(lat1), math.cos(lat1)
    lat2 = func.radians(Site.lat)
    dlon = func.radians(Site.lon) - math.radians(place.lon)
    cos_lat2 = func.cos(lat2)
    sin_lat2 = func.sin(lat2)
    cos_dlon = func.cos(dlon)
    y1 = cos_lat2 * func.sin(dlon)
    y2 = cos_lat1 * sin_lat2 - sin_lat1 * cos_lat2 * cos_dlon
    x = sin_lat1 * sin_lat2 + cos_lat1 * cos_lat2 * cos_dlon
    return EARTH_RADIUS * func.atan2(func.sqrt(y1 * y1 + y2 * y2), x)


def rounded_km(distance: ColumnElement[float]) -> ColumnElement[Any]:
    """Distance rounded to 0.1 km as shown to users (the radius and the sort use this value)."""
    return func.round(cast(distance, Numeric), 1)


def _conditions(filters: CourseFilters, text: ColumnElement[bool] | None = None) -> list[ColumnElement[bool]]:
    """The filters as SQL conditions; ``text``: the condition of q (see ``match_words``)."""
    conditions = [visible_condition(filters.today), *_what(filters), *_when(filters), *_for_whom(filters)]
    if filters.bassin:
        conditions.append(Site.bassin_efe == filters.bassin)
    if text is not None:
        conditions.append(text)
    return conditions


def course_conditions(filters: CourseFilters) -> list[ColumnElement[bool]]:
    """The search's SQL conditions of ``filters`` without place and q (visibility, kind, level,
    dates…), for other reads of the same courses (the cadastre's gap table)."""
    return _conditions(filters)


def _what(filters: CourseFilters) -> list[ColumnElement[bool]]:
    """Kind, level, cost, childcare, job orientation."""
    conditions = []
    if filters.kinds:
        conditions.append(Course.kind.in_(filters.kinds))
    if filters.level_rank is not None:
        conditions += [Course.level_min <= filters.level_rank, Course.level_max >= filters.level_rank]
    if filters.free:
        conditions.append(Course.cost_eur == 0)
    if filters.childcare:
        conditions.append(Course.childcare.is_(True))
    if filters.job_oriented:
        conditions.append(Course.job_oriented.is_(True))
    if filters.sector:
        conditions.append(_any_of(Course.sectors_mask, [filters.sector], codes.SECTORS))
    return conditions


def _when(filters: CourseFilters) -> list[ColumnElement[bool]]:
    """Can start in the window, parts of the day, days."""
    conditions = []
    if filters.start_window is not None:
        conditions.append(can_start_condition(*filters.start_window, filters.today))
    if filters.parts_of_day:
        conditions.append(_any_of(Course.parts_of_day_mask, filters.parts_of_day, codes.PARTS_OF_DAY))
    if filters.days:
        conditions.append(_any_of(Course.days_mask, filters.days, codes.DAYS))
    return conditions


def _for_whom(filters: CourseFilters) -> list[ColumnElement[bool]]:
    if not filters.audience:
        return []
    # A course for "all" is open to everyone; so is one that names no audience.
    return [or_(_any_of(Course.audiences_mask, [filters.audience, "all"], codes.AUDIENCES),
                Course.audiences_mask == 0)]


def _any_of(mask_column: Any, values: Sequence[str], all_codes: tuple[str, ...]) -> ColumnElement[bool]:
    """The course's list (a bit mask) holds at least one of ``values``."""
    return mask_column.bitwise_and(codes.to_mask(list(values), all_codes)) != 0


def _within(place: Place, radius_km: float, distance: ColumnElement[float]) -> list[ColumnElement[bool]]:
    box = bounding_box(place.lat, place.lon, radius_km)
    return [
        Site.lat.between(box.min_lat, box.max_lat),
        Site.lon.between(box.min_lon, box.max_lon),
        rounded_km(distance) <= radius_km,
    ]


def count_courses(filters: CourseFilters, conditions: list | None = None) -> int:
    """How many visible courses match (the radius included, pagination ignored)."""
    if conditions is None and _in_memory(filters):
        return len(offer_index().matches(filters))
    if conditions is None:
        conditions = _conditions(filters, match_words(filters.words).condition if filters.words else None)
    conditions = list(conditions)
    if filters.place is not None and filters.radius_km is not None:
        conditions += _within(filters.place, filters.radius_km, great_circle_sql(filters.place))
    # count(*), not count(id): PostgreSQL can then answer from the covering indexes alone.
    query = select(func.count()).select_from(Course).where(*conditions)
    if _needs_site(filters):
        query = query.join(Course.site)
    return db.session.scalar(query) or 0


def _in_memory(filters: CourseFilters) -> bool:
    """The worker's in-memory index answers every search, unless SEARCH_MEMORY_INDEX is off
    (then the database does; the tests compare both roads)."""
    return current_app.config["SEARCH_MEMORY_INDEX"]


def _needs_site(filters: CourseFilters) -> bool:
    return filters.bassin is not None or (filters.place is not None and filters.radius_km is not None)


def search_courses(filters: CourseFilters, *, cards: bool = False) -> SearchResults:
    """One page of visible courses matching ``filters``, sorted, with distance and next entry.
    ``cards``: the hits may hold light copies of the courses (portal.search.cards: what the
    API shows) rather than ORM objects, when the in-memory index answers."""
    if _in_memory(filters):
        index = offer_index()
        rows = index.matches(filters)
        ids = index.page(filters, rows)
        if cards:
            hits = [describe(card, filters.today, filters.place) for card in index.cards_of(ids)]  # type: ignore[arg-type]
        else:
            hits = _hits(filters, ids)
        return SearchResults(filters, len(rows), hits)
    text = match_words(filters.words) if filters.words else None
    conditions = _conditions(filters, text.condition if text else None)
    order, walkable = _sort_order(filters)
    if filters.place is not None and filters.radius_km is not None:
        return _search_within_radius(filters, text, conditions, order)
    total = count_courses(filters, conditions)
    offset = (filters.page - 1) * filters.per_page
    ids = _page_ids(filters, text, conditions, order, walkable, total, offset) if offset < total else []
    return SearchResults(filters, total, _hits(filters, ids))


def _page_ids(filters: CourseFilters, text: Any, conditions: list, order: tuple, walkable: bool,
              total: int, offset: int) -> list[int]:
    """The ids of the page's courses, in order (without a radius)."""
    # When many courses hold every word of q (too many to list), a walk that stops after a page
    # or a box checks the words on the courses it meets rather than on every course again.
    per_course = _conditions(filters, text.per_course) if text is not None and text.listed is None else conditions
    if filters.sort == "distance" and filters.place is not None:
        return _nearest_ids(filters, per_course, total, offset)
    # Many matches: reading the sort index in order finds the first page after a few rows.
    walk = walkable and total >= WALK_ORDER_INDEX_FROM and offset < WALK_ORDER_INDEX_FROM
    return _sorted_ids(filters, per_course if walk else conditions, order, offset, walk)


_TIE_BREAK = (Course.title_key, Course.ref)


def _sort_order(filters: CourseFilters) -> tuple[tuple, bool]:
    """The ORDER BY of a title or "soonest start" sort, and whether an index serves it.

    Course.next_start is rules.next_entry as of the day the daily job last ran, "none" last. When
    the job has not run yet today, the rule is computed in the query instead: slower, never wrong
    (and no index to walk)."""
    if filters.sort != "next_entry":
        return _TIE_BREAK, True
    if next_starts_are_current(filters.today):
        return (Course.next_start, *_TIE_BREAK), True
    return (func.coalesce(next_entry_sql(filters.today), NO_NEXT_START), *_TIE_BREAK), False


def _search_within_radius(filters: CourseFilters, text: Any, conditions: list, order: tuple) -> SearchResults:
    """Within a radius every match is computed anyway: count and page in one query."""
    assert filters.place is not None and filters.radius_km is not None
    distance = great_circle_sql(filters.place)
    if filters.sort == "distance":
        order = (rounded_km(distance), *_TIE_BREAK)
    if text is not None and text.listed is None and db.engine.dialect.name == "sqlite":
        # SQLite computes "IN (subquery)" for every course before it joins; PostgreSQL plans
        # it as a join. Checked course by course, only the courses of the circle are read.
        conditions = _conditions(filters, text.per_course)
    rows = db.session.execute(
        select(Course.id, func.count().over()).join(Course.site)
        .where(*conditions, *_within(filters.place, filters.radius_km, distance))
        .order_by(*order).offset((filters.page - 1) * filters.per_page).limit(filters.per_page)
    ).all()
    total = rows[0][1] if rows else count_courses(filters, conditions)
    return SearchResults(filters, total, _hits(filters, [row[0] for row in rows]))


def _sorted_ids(filters: CourseFilters, conditions: list, order: tuple, offset: int, walk: bool) -> list[int]:
    query = select(Course.id).where(*conditions).order_by(*order).offset(offset).limit(filters.per_page)
    if _needs_site(filters):
        query = query.join(Course.site)
    if walk:
        # SQLite would otherwise sort every match. (PostgreSQL's planner sees this itself.)
        index = "ix_course_title" if filters.sort == "title" else "ix_course_next_start"
        query = query.with_hint(Course, f"INDEXED BY {index}", "sqlite")
    return list(db.session.scalars(query))


def _nearest_ids(filters: CourseFilters, conditions: list, total: int, offset: int) -> list[int]:
    assert filters.place is not None
    distance = great_circle_sql(filters.place)
    order = (rounded_km(distance), *_TIE_BREAK)
    needed = offset + filters.per_page
    base = select(Course.id).join(Course.site).where(*conditions).order_by(*order)
    # Grow a box around the place until the circle inside it holds the rows up to this page:
    # any row outside the circle is farther than every row inside it.
    radius = 10.0
    while needed < total and radius < 1200:
        rows = list(db.session.scalars(
            base.where(*_within(filters.place, radius, distance)).limit(needed)
        ))
        if len(rows) >= needed:
            return rows[offset:needed]
        radius *= 2.5
    return list(db.session.scalars(base.offset(offset).limit(filters.per_page)))


def _hits(filters: CourseFilters, ids: list[int]) -> list[CourseHit]:
    return _hits_for(ids, filters.today, filters.place)


def _hits_for(ids: list[int], today: dt.date, place: Place | None) -> list[CourseHit]:
    if not ids:
        return []
    # Site and operator (one each per course) come in the courses' own statement; the entries in
    # a second one. Each statement costs more in Python than in the database (bench/datasette.py).
    courses = db.session.scalars(
        select(Course).where(Course.id.in_(ids)).options(
            selectinload(Course.entries), joinedload(Course.site), joinedload(Course.operator),
        )
    ).all()
    by_id = {course.id: course for course in courses}
    return [describe(by_id[course_id], today, place) for course_id in ids]


def describe(course: Course, today: dt.date, place: Place | None = None) -> CourseHit:
    """A course with what its search card shows: distance, next entry, freshness."""
    distance = (distance_km(place.lat, place.lon, course.site.lat, course.site.lon)
                if place is not None else None)
    following = rules.next_entry(course, today)
    state = rules.entries_state(course, today, following)
    return CourseHit(course, distance, following, rules.is_stale(course, today), state,
                     rules.availability(following, today, state))


def find_visible_course(ref: str, today: dt.date) -> Course | None:
    """The course of that ref if public search may show it, else None."""
    if "\x00" in ref:
        return None
    return db.session.scalar(
        select(Course).join(Course.site)
        .where(Course.ref == ref_key(ref), visible_condition(today))
        .options(selectinload(Course.entries), selectinload(Course.site), selectinload(Course.operator))
    )


def other_courses_nearby(course: Course, today: dt.date, limit: int = 5) -> list[CourseHit]:
    """The operator's other visible courses, nearest to this course's site first."""
    site = course.site
    place = Place(site.lat, site.lon, site.locality)
    distance = great_circle_sql(place)
    ids = list(db.session.scalars(
        select(Course.id).join(Course.site)
        .where(visible_condition(today), Course.operator_id == course.operator_id, Course.id != course.id)
        .order_by(rounded_km(distance), Course.title_key, Course.ref).limit(limit)
    ))
    return _hits_for(ids, today, place)
