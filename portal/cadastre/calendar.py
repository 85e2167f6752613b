"""The entry calendar of the cadastre (issue 12, part 3): when one can start, per kind × level.

For the twelve months from this one: how many joinable entries start in each month (a rolling
course counts once in a month when it is active on at least one day of it from today on); the
share of the next 365 days on which a newcomer can start within 30 days; the months without any
entry. Only visible courses count; a course counts in each level of its range."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from portal.extensions import db
from portal.offer import codes, sql_rules
from portal.offer.models import Course, Entry, Site

MONTHS = 12
DAYS = 365  # the year of the share
WITHIN = dt.timedelta(days=30)  # "can start within 30 days"
Interval = tuple[dt.date, dt.date]  # both days included


@dataclass(frozen=True)
class CalendarRow:
    kind: str
    level: str
    per_month: tuple[int, ...]  # one count per month of EntryCalendar.months
    start_days: int  # days of the next 365 on which one can start within 30 days

    @property
    def start_share(self) -> float:
        return self.start_days / DAYS

    @property
    def empty_months(self) -> tuple[int, ...]:
        return tuple(index for index, count in enumerate(self.per_month) if count == 0)


@dataclass(frozen=True)
class EntryCalendar:
    today: dt.date
    months: tuple[dt.date, ...]  # first day of each month, this month first
    rows: tuple[CalendarRow, ...]  # every kind × level, in the codes' order


def months_from(today: dt.date, count: int = MONTHS) -> tuple[dt.date, ...]:
    first, months = today.replace(day=1), []
    for _ in range(count):
        months.append(first)
        first = (first + dt.timedelta(days=32)).replace(day=1)
    return tuple(months)


def month_end(first: dt.date) -> dt.date:
    return (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def levels_of(level_min: int, level_max: int) -> tuple[str, ...]:
    """The levels of a course's range (stored as ranks on the scale of codes.LEVELS)."""
    return codes.LEVELS[level_min:level_max + 1]


def days_covered(intervals: Iterable[Interval], first: dt.date, last: dt.date) -> int:
    """How many days of [first, last] fall in at least one interval."""
    covered, reached = 0, first - dt.timedelta(days=1)
    for start, end in sorted(intervals):
        start, end = max(start, reached + dt.timedelta(days=1)), min(end, last)
        if start <= end:
            covered += (end - start).days + 1
            reached = end
    return covered


class _Tally:
    """Counts per month and start intervals, per (kind, level)."""

    def __init__(self, today: dt.date, months: tuple[dt.date, ...]) -> None:
        self.today, self.months = today, months
        self.index = {(month.year, month.month): i for i, month in enumerate(months)}
        self.counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * len(months))
        self.intervals: dict[tuple[str, str], list[Interval]] = defaultdict(list)

    def fixed_entry(self, keys: tuple, start: dt.date, deadline: dt.date | None, status: str) -> None:
        if status == "full":
            return
        month = self.index.get((start.year, start.month))
        joinable_today = deadline is None or deadline >= self.today
        # One can start at this entry from 30 days before it, until its deadline.
        last_day = min(start, deadline) if deadline is not None else start
        for key in keys:
            if month is not None and joinable_today and start >= self.today:
                self.counts[key][month] += 1
            self.intervals[key].append((start - WITHIN, last_day))

    def rolling_course(self, keys: tuple, active_from: dt.date | None, active_until: dt.date | None) -> None:
        first = max(self.today, active_from or self.today)
        last = active_until or dt.date.max
        open_months = [i for i, month in enumerate(self.months) if month <= last and month_end(month) >= first]
        start = (active_from - WITHIN) if active_from is not None else dt.date.min
        for key in keys:
            for i in open_months:
                self.counts[key][i] += 1
            self.intervals[key].append((start, last))


def _courses(today: dt.date, bassin: str | None):
    query = (select(Course.id, Course.kind, Course.level_min, Course.level_max, Course.entry_mode,
                    Course.active_from, Course.active_until)
             .join(Site, Course.site_id == Site.id).where(sql_rules.visible_condition(today)))
    if bassin is not None:
        query = query.where(Site.bassin_efe == bassin)
    return db.session.execute(query)


def _entries(today: dt.date, last: dt.date, bassin: str | None):
    query = (select(Entry.course_id, Entry.start, Entry.registration_deadline, Entry.status)
             .join(Course, Entry.course_id == Course.id).join(Site, Course.site_id == Site.id)
             .where(sql_rules.visible_condition(today), Course.entry_mode == "fixed",
                    Entry.start >= today, Entry.start <= last))
    if bassin is not None:
        query = query.where(Site.bassin_efe == bassin)
    return db.session.execute(query)


def entry_calendar(today: dt.date, bassin: str | None = None) -> EntryCalendar:
    """The calendar of the courses of ``bassin`` (every bassin when None)."""
    months = months_from(today)
    tally = _Tally(today, months)
    fixed: dict[int, tuple] = {}
    for course in _courses(today, bassin):
        keys = tuple((course.kind, level) for level in levels_of(course.level_min, course.level_max))
        if course.entry_mode == "rolling":
            tally.rolling_course(keys, course.active_from, course.active_until)
        else:
            fixed[course.id] = keys
    last_day = today + dt.timedelta(days=DAYS - 1)
    for entry in _entries(today, max(month_end(months[-1]), last_day + WITHIN), bassin):
        if entry.course_id in fixed:
            tally.fixed_entry(fixed[entry.course_id], entry.start, entry.registration_deadline, entry.status)
    rows = tuple(
        CalendarRow(kind, level, tuple(tally.counts[(kind, level)]) if (kind, level) in tally.counts
                    else (0,) * len(months),
                    days_covered(tally.intervals.get((kind, level), ()), today, last_day))
        for kind in codes.COURSE_KINDS for level in codes.LEVELS)
    return EntryCalendar(today, months, rows)
