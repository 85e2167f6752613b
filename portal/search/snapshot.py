"""The published offer read into arrays (numpy) for the in-memory search (``portal.search.memory``),
with its sites and operators as small shared objects, so that a search answer's cards
(``portal.search.cards``) are made without reading the database again.

Per course ~100 bytes of arrays plus its ref and title; 100,000 courses take ~25 MB a worker.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select

from portal.extensions import db
from portal.offer import codes
from portal.offer.models import NO_NEXT_START, Course, CourseText, Entry, Operator, SearchState, Site
from portal.search.cards import CourseCard, EntryCard, OperatorCard, SiteCard

NONE = NO_NEXT_START.toordinal()  # "no next entry", "no end": after every real day
NEVER = dt.date.min.toordinal()  # "no start": before every real day
_NO_DAY = 0  # an optional day (an entry's end or deadline, an active period's bounds) not given
ENTRY_STATUSES = codes.ENTRY_STATUSES


def day_number(value: dt.date | None, missing: int) -> int:
    return value.toordinal() if value is not None else missing


def _date(value: int, missing: int) -> dt.date | None:
    return None if value == missing else dt.date.fromordinal(int(value))


@dataclass
class Courses:
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
    # What the cards show beside the arrays above.
    refs: list[str]
    titles: list[str]
    cost: np.ndarray
    prepares_for: np.ndarray
    site: np.ndarray  # index in Snapshot.sites
    operator: np.ndarray  # index in Snapshot.operators


@dataclass
class Entries:
    """The entries of the published courses, by course row: those of row r are first[r] to
    first[r + 1] - 1."""

    first: np.ndarray
    course: np.ndarray  # the row of its course in _Courses
    start: np.ndarray
    deadline: np.ndarray
    full: np.ndarray
    end: np.ndarray
    status: np.ndarray  # index in ENTRY_STATUSES


_COURSE_COLUMNS = (
    Course.id, Course.kind, Course.level_min, Course.level_max, Course.cost_eur, Course.childcare,
    Course.job_oriented, Course.sectors_mask, Course.parts_of_day_mask, Course.days_mask,
    Course.audiences_mask, Course.confirmed_at, Course.entry_mode, Course.active_from,
    Course.active_until, Course.next_start, Course.title_key, Course.ref,
    Site.lat, Site.lon, Site.bassin_efe,
    Course.title, Course.prepares_for_mask, Course.site_id, Course.operator_id,
)
_SITE_COLUMNS = (Site.id, Site.ref, Site.locality, Site.postal_code, Site.nis_code, Site.bassin_efe,
                 Site.lat, Site.lon, Site.reception_languages_text)
_PUBLISHED = Course.status == "published"


@dataclass
class Snapshot:
    courses: Courses
    entries: Entries
    sites: list[SiteCard]
    operators: list[OperatorCard]
    bassins: dict[str, int]
    next_start_on: dt.date | None
    # Each course's line of index words (CourseText): a word of q matches where it occurs in it.
    lines: list[str]

    @classmethod
    def read(cls) -> Snapshot:
        """The published offer as this session sees it (6 statements)."""
        site_rows = db.session.execute(
            select(*_SITE_COLUMNS).where(Site.id.in_(select(Course.site_id).where(_PUBLISHED)))).all()
        sites = {row[0]: index for index, row in enumerate(site_rows)}
        operator_rows = db.session.execute(
            select(Operator.id, Operator.ref, Operator.name)
            .where(Operator.id.in_(select(Course.operator_id).where(_PUBLISHED)))).all()
        operators = {row[0]: index for index, row in enumerate(operator_rows)}
        bassins: dict[str, int] = {}
        # Read and turned into arrays 10,000 rows at a time: the rows of 100,000 courses as Python
        # objects would take ~200 MB for a moment, and the worker would keep that memory.
        result = db.session.execute(select(*_COURSE_COLUMNS).join(Course.site).where(_PUBLISHED))
        courses = _courses([_columns(chunk, bassins, sites, operators) for chunk in result.partitions(10000)])
        entry_rows = db.session.execute(
            select(Entry.course_id, Entry.start, Entry.registration_deadline, Entry.status, Entry.end)
            .join(Course, Course.id == Entry.course_id).where(_PUBLISHED).order_by(Entry.start, Entry.id)
        ).partitions(20000)
        state = db.session.get(SearchState, 1)
        return cls(courses, _entries(entry_rows, courses.ids),
                   [SiteCard(*row[1:]) for row in site_rows], [OperatorCard(*row[1:]) for row in operator_rows],
                   bassins, state.next_start_on if state is not None else None, _lines(courses.ids))

    def card(self, row: int) -> CourseCard:
        """The card of the course of ``row``, made from the arrays (plain Python values)."""
        c, e = self.courses, self.entries
        entries = [EntryCard(dt.date.fromordinal(int(e.start[at])), _date(e.end[at], _NO_DAY),
                             _date(e.deadline[at], NONE), ENTRY_STATUSES[e.status[at]])
                   for at in range(e.first[row], e.first[row + 1])]
        return CourseCard(
            id=int(c.ids[row]), ref=c.refs[row], title=c.titles[row], kind=codes.COURSE_KINDS[c.kind[row]],
            level_min=int(c.level_min[row]), level_max=int(c.level_max[row]),
            entry_mode="rolling" if c.rolling[row] else "fixed",
            active_from=_date(c.active_from[row], NEVER), active_until=_date(c.active_until[row], NONE),
            confirmed_at=dt.date.fromordinal(int(c.confirmed[row])), status="published",
            cost_eur=float(c.cost[row]), childcare=bool(c.childcare[row]), job_oriented=bool(c.job_oriented[row]),
            sectors_mask=int(c.sectors[row]), prepares_for_mask=int(c.prepares_for[row]),
            days_mask=int(c.days[row]), parts_of_day_mask=int(c.parts_of_day[row]),
            audiences_mask=int(c.audiences[row]),
            operator=self.operators[c.operator[row]], site=self.sites[c.site[row]], entries=entries,
        )




def _columns(rows: list, bassins: dict[str, int], sites: dict[int, int], operators: dict[int, int]) -> dict:
    """The arrays (and lists) of ``Courses`` for these rows; title_keys for the rank."""
    (ids, kinds, level_min, level_max, cost, childcare, job, sectors, parts, days, audiences,
     confirmed, modes, active_from, active_until, next_start, title_keys, refs, lat, lon, bassin,
     titles, prepares_for, site_ids, operator_ids) = zip(*rows, strict=True)
    return dict(
        ids=np.array(ids, dtype=np.int64),
        kind=np.array([codes.COURSE_KINDS.index(kind) for kind in kinds], dtype=np.int8),
        level_min=np.array(level_min, dtype=np.int8), level_max=np.array(level_max, dtype=np.int8),
        free=np.array(cost, dtype=np.float64) == 0,
        childcare=np.array(childcare, dtype=bool), job_oriented=np.array(job, dtype=bool),
        sectors=np.array(sectors, dtype=np.int64), parts_of_day=np.array(parts, dtype=np.int64),
        days=np.array(days, dtype=np.int64), audiences=np.array(audiences, dtype=np.int64),
        confirmed=_days(confirmed, NONE), rolling=np.array(modes, dtype=object) == "rolling",
        active_from=_days(active_from, NEVER), active_until=_days(active_until, NONE),
        stored_next=_days(next_start, NONE),
        lat=np.array(lat, dtype=np.float64), lon=np.array(lon, dtype=np.float64),
        bassin=np.array([bassins.setdefault(name, len(bassins)) for name in bassin], dtype=np.int16),
        refs=list(refs), titles=list(titles), cost=np.array(cost, dtype=np.float64),
        prepares_for=np.array(prepares_for, dtype=np.int64),
        site=_positions(site_ids, sites), operator=_positions(operator_ids, operators),
        title_keys=list(title_keys),
    )


_LISTS = ("refs", "titles", "title_keys")


def _courses(chunks: list[dict]) -> Courses:
    """The chunks' columns end to end, and the rank of each course in (title_key, ref) order."""
    if not chunks:
        chunks = [{name: [] if name in _LISTS else np.array([]) for name in _LISTS + _ARRAYS}]
    columns = {name: [value for chunk in chunks for value in chunk[name]] if name in _LISTS
               else np.concatenate([chunk[name] for chunk in chunks]) for name in chunks[0]}
    title_keys = columns.pop("title_keys")
    # Code point order, as Python's and the databases' (bytes of UTF-8; SQLite, C collation).
    order = np.lexsort((np.array(columns["refs"], dtype=str), np.array(title_keys, dtype=str)))
    rank = np.empty(len(order), dtype=np.int32)
    rank[order] = np.arange(len(order), dtype=np.int32)
    return Courses(rank=rank, **columns)


_ARRAYS = ("ids", "kind", "level_min", "level_max", "free", "childcare", "job_oriented", "sectors",
           "parts_of_day", "days", "audiences", "confirmed", "rolling", "active_from", "active_until",
           "stored_next", "lat", "lon", "bassin", "cost", "prepares_for", "site", "operator")


def _lines(course_ids: np.ndarray) -> list[str]:
    position = {int(course_id): row for row, course_id in enumerate(course_ids)}
    lines = [""] * len(course_ids)
    for course_id, words in db.session.execute(
            select(CourseText.course_id, CourseText.words).join(Course, Course.id == CourseText.course_id)
            .where(_PUBLISHED)):
        lines[position[course_id]] = words
    return lines


def _days(values: tuple, missing: int) -> np.ndarray:
    """Dates (or None: ``missing``) as day numbers."""
    return np.array([day_number(value, missing) for value in values], dtype=np.int32)


def _positions(ids: tuple, position: dict[int, int]) -> np.ndarray:
    return np.array([position[row_id] for row_id in ids], dtype=np.int32)


def _entry_columns(rows: list, position: dict[int, int]) -> tuple[np.ndarray, ...]:
    """Course row, start, deadline, status and end of these entries."""
    return (np.array([position[row[0]] for row in rows], dtype=np.int64),
            np.array([row[1].toordinal() for row in rows], dtype=np.int32),
            np.array([day_number(row[2], NONE) for row in rows], dtype=np.int32),
            np.array([ENTRY_STATUSES.index(row[3]) for row in rows], dtype=np.int8),
            np.array([day_number(row[4], _NO_DAY) for row in rows], dtype=np.int32))


def _entries(chunks: Iterable[list], course_ids: np.ndarray) -> Entries:
    """The entries' arrays, read chunk by chunk (as the courses), ordered by course row."""
    position = {int(course_id): row for row, course_id in enumerate(course_ids)}
    parts = [_entry_columns(rows, position) for rows in chunks]
    course, start, deadline, status, end = (
        np.concatenate(column) if parts else np.zeros(0, dtype=dtype)
        for column, dtype in zip(zip(*parts, strict=True) if parts else [()] * 5,
                                 (np.int64, np.int32, np.int32, np.int8, np.int32), strict=True))
    order = np.argsort(course, kind="stable")
    status = status[order]
    return Entries(first=np.searchsorted(course[order], np.arange(len(course_ids) + 1)), course=course[order],
                   start=start[order], deadline=deadline[order], full=status == ENTRY_STATUSES.index("full"),
                   end=end[order], status=status)
