"""The published offer in each worker's memory, as arrays: the search's filters and sorts without
SQL (``search_courses`` asks this index for a page of ids, then loads those courses).

The index holds every published course (visibility also depends on the day: checked per search)
with what the filters and sorts read: kind, levels, flags, masks, dates, its site's place and
bassin, its entries. It is rebuilt when the offer's generation (``portal.offer.generation``,
written by database triggers) differs from the one it was built at, so a search never sees an
older offer than SQL would. The same rules as ``queries`` and ``sql_rules``; the tests hold the
two roads equal on random offers and searches (tests/search/test_queries.py).
"""
from __future__ import annotations

import datetime as dt
import math
import threading
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import select

from portal.extensions import db
from portal.geo.distance import EARTH_RADIUS, bounding_box
from portal.offer import codes, rules
from portal.offer.generation import generation_to_keep
from portal.offer.models import NO_NEXT_START, Course, Entry, SearchState, Site
from portal.search.cards import CourseCard, load_cards
from portal.search.filters import CourseFilters

# Cards kept by an index (see cards_of); more are dropped and read again.
MAX_CARDS = 20000
_NONE = NO_NEXT_START.toordinal()  # "no next entry", "no end": after every real day
_NEVER = dt.date.min.toordinal()  # "no start": before every real day


def _day(value: dt.date | None, missing: int) -> int:
    return value.toordinal() if value is not None else missing


@dataclass
class _Courses:
    """One row a published course, in the order of ``ids``."""

    ids: np.ndarray
    kind: np.ndarray
    level_min: np.ndarray
    level_max: np.ndarray
    free: np.ndarray
    childcare: np.ndarray
    job_oriented: np.ndarray
    sectors: np.ndarray
    parts_of_day: np.ndarray
    days: np.ndarray
    audiences: np.ndarray
    confirmed: np.ndarray
    rolling: np.ndarray
    active_from: np.ndarray
    active_until: np.ndarray
    stored_next: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    bassin: np.ndarray
    # The position of each course in the order (title_key, ref): the tie-break of every sort.
    rank: np.ndarray


@dataclass
class _Entries:
    course: np.ndarray  # the row of its course in _Courses
    start: np.ndarray
    deadline: np.ndarray
    full: np.ndarray


_COURSE_COLUMNS = (
    Course.id, Course.kind, Course.level_min, Course.level_max, Course.cost_eur, Course.childcare,
    Course.job_oriented, Course.sectors_mask, Course.parts_of_day_mask, Course.days_mask,
    Course.audiences_mask, Course.confirmed_at, Course.entry_mode, Course.active_from,
    Course.active_until, Course.next_start, Course.title_key, Course.ref,
    Site.lat, Site.lon, Site.bassin_efe,
)


@dataclass
class OfferIndex:
    generation: int | None
    courses: _Courses
    entries: _Entries
    bassins: dict[str, int]
    next_start_on: dt.date | None
    _next_starts: dict[dt.date, np.ndarray] = field(default_factory=dict)
    _cards: dict[int, CourseCard] = field(default_factory=dict)

    @classmethod
    def load(cls, generation: int | None) -> OfferIndex:
        rows = db.session.execute(
            select(*_COURSE_COLUMNS).join(Course.site).where(Course.status == "published")
        ).all()
        bassins: dict[str, int] = {}
        courses = _courses(rows, bassins)
        entry_rows = db.session.execute(
            select(Entry.course_id, Entry.start, Entry.registration_deadline, Entry.status)
            .join(Course, Course.id == Entry.course_id).where(Course.status == "published")
        ).all()
        state = db.session.get(SearchState, 1)
        return cls(generation, courses, _entries(entry_rows, courses.ids), bassins,
                   state.next_start_on if state is not None else None)

    def cards_of(self, ids: list[int]) -> list[CourseCard]:
        """The cards of ``ids``, in order: those read before for this generation, the others
        read now (and kept, up to MAX_CARDS)."""
        missing = [course_id for course_id in ids if course_id not in self._cards]
        if missing:
            if len(self._cards) + len(missing) > MAX_CARDS:
                self._cards = {}
            self._cards.update(load_cards(missing))
        return [self._cards[course_id] for course_id in ids]

    # -- the search ------------------------------------------------------------------------
    def matches(self, filters: CourseFilters) -> np.ndarray:
        """The rows of the visible courses that match ``filters`` (q aside), radius included."""
        c = self.courses
        keep = c.confirmed >= rules.visible_since(filters.today).toordinal()
        keep &= self._what(filters)
        if filters.start_window is not None:
            keep &= self._can_start(*filters.start_window, filters.today)
        keep &= self._when_and_whom(filters)
        if filters.bassin:
            keep &= c.bassin == self.bassins.get(filters.bassin, -1)
        rows = np.flatnonzero(keep)
        if filters.place is not None and filters.radius_km is not None:
            rows = self._within(rows, filters)
        return rows

    def _what(self, filters: CourseFilters) -> np.ndarray:
        c = self.courses
        keep = np.ones(len(c.ids), dtype=bool)
        if filters.kinds:
            keep &= np.isin(c.kind, [codes.COURSE_KINDS.index(kind) for kind in filters.kinds])
        if filters.level_rank is not None:
            keep &= (c.level_min <= filters.level_rank) & (c.level_max >= filters.level_rank)
        for wanted, column in ((filters.free, c.free), (filters.childcare, c.childcare),
                               (filters.job_oriented, c.job_oriented)):
            if wanted:
                keep &= column
        if filters.sector:
            keep &= (c.sectors & codes.to_mask([filters.sector], codes.SECTORS)) != 0
        return keep

    def _when_and_whom(self, filters: CourseFilters) -> np.ndarray:
        c = self.courses
        keep = np.ones(len(c.ids), dtype=bool)
        if filters.parts_of_day:
            keep &= (c.parts_of_day & codes.to_mask(filters.parts_of_day, codes.PARTS_OF_DAY)) != 0
        if filters.days:
            keep &= (c.days & codes.to_mask(filters.days, codes.DAYS)) != 0
        if filters.audience:
            # A course for "all" is open to everyone; so is one that names no audience.
            wanted = codes.to_mask([filters.audience, "all"], codes.AUDIENCES)
            keep &= ((c.audiences & wanted) != 0) | (c.audiences == 0)
        return keep

    def _joinable(self, today: dt.date) -> np.ndarray:
        """rules.is_joinable of every entry."""
        return ~self.entries.full & (self.entries.deadline >= today.toordinal())

    def _can_start(self, start_from: dt.date, start_until: dt.date | None, today: dt.date) -> np.ndarray:
        """rules.can_start_between of every course."""
        c, e = self.courses, self.entries
        until = _day(start_until, _NONE)
        in_window = self._joinable(today) & (e.start >= start_from.toordinal()) & (e.start <= until)
        fixed = np.zeros(len(c.ids), dtype=bool)
        fixed[e.course[in_window]] = True
        rolling = (c.active_until >= start_from.toordinal()) & (c.active_from <= until)
        return np.where(c.rolling, rolling, fixed)

    def next_starts(self, today: dt.date) -> np.ndarray:
        """Course.next_start as the search sorts by it: stored when the daily job ran today,
        else rules.next_entry's date computed here (as the SQL road computes it in the query)."""
        if self.next_start_on == today:
            return self.courses.stored_next
        if today not in self._next_starts:
            self._next_starts = {today: self._compute_next_starts(today)}
        return self._next_starts[today]

    def _compute_next_starts(self, today: dt.date) -> np.ndarray:
        c, e = self.courses, self.entries
        day = today.toordinal()
        fixed = np.full(len(c.ids), _NONE, dtype=np.int32)
        usable = self._joinable(today) & (e.start >= day)
        np.minimum.at(fixed, e.course[usable], e.start[usable])
        rolling = np.maximum(c.active_from, day)
        rolling = np.where(rolling > c.active_until, _NONE, rolling)
        return np.where(c.rolling, rolling, fixed).astype(np.int32)

    def _within(self, rows: np.ndarray, filters: CourseFilters) -> np.ndarray:
        assert filters.place is not None and filters.radius_km is not None
        c = self.courses
        box = bounding_box(filters.place.lat, filters.place.lon, filters.radius_km)
        lat, lon = c.lat[rows], c.lon[rows]
        rows = rows[(lat >= box.min_lat) & (lat <= box.max_lat) & (lon >= box.min_lon) & (lon <= box.max_lon)]
        return rows[self.tenths_of_km(rows, filters) <= round(filters.radius_km * 10, 9)]

    def tenths_of_km(self, rows: np.ndarray, filters: CourseFilters) -> np.ndarray:
        """The distance from the searched place to each row's site in tenths of a km, rounded as
        shown (queries.great_circle_sql and rounded_km)."""
        assert filters.place is not None
        c = self.courses
        lat1, lon1 = math.radians(filters.place.lat), math.radians(filters.place.lon)
        lat2, dlon = np.radians(c.lat[rows]), np.radians(c.lon[rows]) - lon1
        sin_lat2, cos_lat2, cos_dlon = np.sin(lat2), np.cos(lat2), np.cos(dlon)
        y1 = cos_lat2 * np.sin(dlon)
        y2 = math.cos(lat1) * sin_lat2 - math.sin(lat1) * cos_lat2 * cos_dlon
        x = math.sin(lat1) * sin_lat2 + math.cos(lat1) * cos_lat2 * cos_dlon
        km = EARTH_RADIUS * np.arctan2(np.sqrt(y1 * y1 + y2 * y2), x)
        return np.floor(km * 10 + 0.5)

    def page(self, filters: CourseFilters, rows: np.ndarray) -> list[int]:
        """The ids of the page's courses among ``rows``, in the search's order."""
        offset = (filters.page - 1) * filters.per_page
        if offset >= len(rows):
            return []
        key = self._sort_key(filters, rows)
        end = min(offset + filters.per_page, len(rows))
        if end < len(rows):
            nearest = np.argpartition(key, end - 1)[:end]
            order = nearest[np.argsort(key[nearest], kind="stable")]
        else:
            order = np.argsort(key, kind="stable")
        return [int(course_id) for course_id in self.courses.ids[rows[order[offset:end]]]]

    def _sort_key(self, filters: CourseFilters, rows: np.ndarray) -> np.ndarray:
        """One int64 a row: the sort's first key, then the (title_key, ref) rank (unique)."""
        rank = self.courses.rank[rows].astype(np.int64)
        scale = len(self.courses.ids) + 1
        if filters.sort == "distance" and filters.place is not None:
            return self.tenths_of_km(rows, filters).astype(np.int64) * scale + rank
        if filters.sort == "next_entry":
            return self.next_starts(filters.today)[rows].astype(np.int64) * scale + rank
        return rank


def _courses(rows: list, bassins: dict[str, int]) -> _Courses:
    columns = list(zip(*rows)) if rows else [()] * len(_COURSE_COLUMNS)
    (ids, kinds, level_min, level_max, cost, childcare, job, sectors, parts, days, audiences,
     confirmed, modes, active_from, active_until, next_start, title_keys, refs, lat, lon, bassin) = columns
    order = sorted(range(len(rows)), key=lambda i: (title_keys[i], refs[i]))
    rank = np.empty(len(rows), dtype=np.int32)
    rank[order] = np.arange(len(rows), dtype=np.int32)
    return _Courses(
        ids=np.array(ids, dtype=np.int64),
        kind=np.array([codes.COURSE_KINDS.index(kind) for kind in kinds], dtype=np.int8),
        level_min=np.array(level_min, dtype=np.int8), level_max=np.array(level_max, dtype=np.int8),
        free=np.array([value == 0 for value in cost], dtype=bool),
        childcare=np.array(childcare, dtype=bool), job_oriented=np.array(job, dtype=bool),
        sectors=np.array(sectors, dtype=np.int64), parts_of_day=np.array(parts, dtype=np.int64),
        days=np.array(days, dtype=np.int64), audiences=np.array(audiences, dtype=np.int64),
        confirmed=np.array([day.toordinal() for day in confirmed], dtype=np.int32),
        rolling=np.array([mode == "rolling" for mode in modes], dtype=bool),
        active_from=np.array([_day(day, _NEVER) for day in active_from], dtype=np.int32),
        active_until=np.array([_day(day, _NONE) for day in active_until], dtype=np.int32),
        stored_next=np.array([_day(day, _NONE) for day in next_start], dtype=np.int32),
        lat=np.array(lat, dtype=np.float64), lon=np.array(lon, dtype=np.float64),
        bassin=np.array([bassins.setdefault(name, len(bassins)) for name in bassin], dtype=np.int16),
        rank=rank,
    )


def _entries(rows: list, course_ids: np.ndarray) -> _Entries:
    position = {int(course_id): row for row, course_id in enumerate(course_ids)}
    return _Entries(
        course=np.array([position[row[0]] for row in rows], dtype=np.int32),
        start=np.array([row[1].toordinal() for row in rows], dtype=np.int32),
        deadline=np.array([_day(row[2], _NONE) for row in rows], dtype=np.int32),
        full=np.array([row[3] == "full" for row in rows], dtype=bool),
    )


# -- one index per database and worker -------------------------------------------------------
_INDEXES: dict[str, OfferIndex] = {}
_LOCK = threading.Lock()


def offer_index() -> OfferIndex:
    """This database's index, as of its current generation (rebuilt when the offer changed)."""
    generation = generation_to_keep()
    key = f"{id(db.engine)}:{db.engine.url}"
    with _LOCK:
        index = _INDEXES.get(key)
        if index is None or generation is None or index.generation != generation:
            index = OfferIndex.load(generation)
            if generation is not None:
                _INDEXES[key] = index
        return index
