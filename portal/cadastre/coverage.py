"""The coverage of the offer (issue 12, item 1): in an area, the visible courses and their operators
by kind × level (a course counts once in each level of its range), what a person can do now
(``states.py``), and how many courses are in the evening, on Saturday, with childcare, free or
job-oriented. Only visible courses count (domain.md: published, confirmed within 365 days).

One pass over the area's visible courses: two queries (the few columns the figures need, and the
fixed courses' upcoming entries), no course loaded as an object; the entries' rule is
offer/rules.py's own (``states.py``). Operators are counted as bit masks of the cells where they
give a course, so that each counts once per cell, kind, level and area.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache

from sqlalchemy import Select, distinct, func, select

from portal.cadastre.areas import Area
from portal.cadastre.calendar import EntryCalendar, entry_calendar
from portal.cadastre.kept import kept
from portal.cadastre.states import EntryDates, Scope, StateCounts, upcoming_entries
from portal.extensions import db
from portal.offer import codes
from portal.offer.models import Course, Site
from portal.offer.sql_rules import visible_condition

# What a share of the offer is counted for (labels.COVERAGE_SHARES gives their words).
SHARES: tuple[str, ...] = ("evening", "saturday", "childcare", "free", "job_oriented")
_EVENING = codes.to_mask(["evening"], codes.PARTS_OF_DAY)
_SATURDAY = codes.to_mask(["sat"], codes.DAYS)
# What one pass reads of each visible course.
_COLUMNS = (Course.id, Course.kind, Course.level_min, Course.level_max, Course.operator_id, Course.entry_mode,
            Course.active_from, Course.active_until, Course.parts_of_day_mask, Course.days_mask, Course.childcare,
            Course.cost_eur, Course.job_oriented)


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
    # (kind, level) → courses whose range holds the level that are full or whose next session has a
    # waiting list (issue 12, item 4: the pressure)
    pressure: dict[tuple[str, str], int]
    counted_at: dt.datetime  # UTC (pages show it in Wallonia's time)

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
    """The coverage figures of ``area`` on day ``on``: one pass over its visible courses."""
    scope = area_scope(area, on)
    tally = _Tally(on, upcoming_entries(scope, on))
    # All of Wallonia reads most rows: a plain scan of the table beats the visibility index (SQLite).
    courses = select(*_COLUMNS).with_hint(Course, "NOT INDEXED", "sqlite") if area.bassin_efe is None \
        else select(*_COLUMNS)
    # Rows, no ORM objects; all read before counting, so that a public request's time limit (on
    # each statement) measures the database's work only.
    for row in db.session.connection().execute(scope(courses)).all():
        tally.add(*row)
    return tally.coverage(area)


def kept_coverage(area: Area, on: dt.date) -> Coverage:
    """``coverage(area, on)``, kept a few minutes (``CADASTRE_CACHE_SECONDS``)."""
    return kept("coverage", area.key, on, lambda: coverage(area, on))


def kept_calendar(area: Area, on: dt.date) -> EntryCalendar:
    """The area's entry calendar (portal.cadastre.calendar), kept like its coverage."""
    return kept("calendar", area.key, on, lambda: entry_calendar(on, area.bassin_efe))


def kept_area_totals(areas: list[Area], on: dt.date) -> list[AreaTotal]:
    """``area_totals(areas, on)``, kept a few minutes (``CADASTRE_CACHE_SECONDS``)."""
    return kept("totals", "", on, lambda: area_totals(areas, on))


# A (kind, level) cell is one bit: an operator's cells are the OR of its courses' ranges.
_CELLS = [(kind, level) for kind in codes.COURSE_KINDS for level in codes.LEVELS]


@cache
def _cells(kind: str, level_min: int, level_max: int) -> int:
    base = codes.COURSE_KINDS.index(kind) * len(codes.LEVELS)
    return sum(1 << (base + rank) for rank in range(level_min, level_max + 1))


class _Tally:
    """The counts of one pass over the visible courses of an area."""

    def __init__(self, on: dt.date, upcoming: dict[int, list[EntryDates]]):
        self.upcoming = upcoming
        self.ranges: Counter = Counter()  # (kind, level_min, level_max) → courses
        self.operator_cells: defaultdict[int, int] = defaultdict(int)  # operator → its cells (bits)
        self.shares: Counter = Counter()
        self.states = StateCounts(on)
        self.pressed: Counter = Counter()  # (kind, level_min, level_max) → full or waiting-list courses

    def add(self, course_id: int, kind: str, level_min: int, level_max: int, operator_id: int, entry_mode: str,
            active_from: dt.date | None, active_until: dt.date | None, parts_of_day: int, days: int,
            childcare: bool, cost_eur: float, job_oriented: bool) -> None:
        self.ranges[kind, level_min, level_max] += 1
        if kind in codes.COURSE_KINDS:  # the import refuses other kinds; old data stays countable
            self.operator_cells[operator_id] |= _cells(kind, level_min, level_max)
        shares = self.shares
        if parts_of_day & _EVENING:
            shares["evening"] += 1
        if days & _SATURDAY:
            shares["saturday"] += 1
        if childcare:
            shares["childcare"] += 1
        if cost_eur == 0:
            shares["free"] += 1
        if job_oriented:
            shares["job_oriented"] += 1
        if self.states.add(entry_mode, active_from, active_until, self.upcoming.get(course_id, ())):
            self.pressed[kind, level_min, level_max] += 1

    def coverage(self, area: Area) -> Coverage:
        courses: Counter = Counter()  # (kind, level), (None, level), (kind, None), (None, None) → courses
        for (kind, level_min, level_max), count in self.ranges.items():
            courses[kind, None] += count
            courses[None, None] += count
            for rank in range(level_min, level_max + 1):
                courses[kind, codes.LEVELS[rank]] += count
                courses[None, codes.LEVELS[rank]] += count
        operators = self._operators()

        def cell(kind: str | None, level: str | None) -> Cell:
            return Cell(courses[kind, level], operators[kind, level])

        return Coverage(
            area=area, on=self.states.on, total=cell(None, None),
            by_kind={kind: cell(kind, None) for kind in codes.COURSE_KINDS},
            by_kind_level={(kind, level): cell(kind, level) for kind, level in _CELLS},
            by_level={level: cell(None, level) for level in codes.LEVELS},
            shares={name: self.shares[name] for name in SHARES}, states=self.states,
            pressure=self._pressure(), counted_at=dt.datetime.now(dt.UTC))

    def _pressure(self) -> dict[tuple[str, str], int]:
        pressure: Counter = Counter()
        for (kind, level_min, level_max), count in self.pressed.items():
            for rank in range(level_min, level_max + 1):
                pressure[kind, codes.LEVELS[rank]] += count
        return {cell: pressure[cell] for cell in _CELLS}

    def _operators(self) -> Counter:
        """Operators per cell, per kind, per level and in all: each once where it has a course."""
        operators: Counter = Counter({(None, None): len(self.operator_cells)})
        for bits in self.operator_cells.values():
            kinds, levels = set(), set()
            for index, (kind, level) in enumerate(_CELLS):
                if bits >> index & 1:
                    operators[kind, level] += 1
                    kinds.add(kind)
                    levels.add(level)
            for kind in kinds:
                operators[kind, None] += 1
            for level in levels:
                operators[None, level] += 1
        return operators


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
