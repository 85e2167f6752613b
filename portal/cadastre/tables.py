"""Every table of the cadastre's pages as plain rows (issue 12, item 6), for their CSV and XLSX
downloads: the figures the page shows (``figures.AreaFigures``), with the page's own words
(``labels`` and the captions' sentences), one row per row of the page. A test reads each page's
HTML table and its download and finds the same numbers."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _

from portal import labels
from portal.cadastre.coverage import Cell
from portal.cadastre.figures import AreaFigures
from portal.cadastre.gap_page import GapRow
from portal.cadastre.gaps import GapQuery
from portal.cadastre.referrals import COLUMNS as REFERRAL_COLUMNS
from portal.templating import format_km


@dataclass(frozen=True)
class Share:
    """A fraction written as a percentage (XLSX) or a decimal (CSV); None: no course to share."""

    value: float | None


@dataclass(frozen=True)
class Table:
    name: str  # the file's name: "courses", "calendar"…
    title: str  # the page's caption
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]  # str, int, float, Share, date or None (empty)


def _levels() -> list[str]:
    return [str(level) for level in labels.LEVELS.values()]


def _kind_level(figures: AreaFigures, what: str, title: str) -> Table:
    coverage = figures.coverage
    def count(cell: Cell) -> int:
        return getattr(cell, what)

    rows = [(str(kind), *(count(coverage.cell(kind.code, level)) for level in labels.LEVELS),
             count(coverage.kind(kind.code))) for kind in labels.KINDS.values()]
    rows.append((_("All kinds"), *(count(coverage.level(level)) for level in labels.LEVELS), count(coverage.total)))
    return Table(what, title, (_("Kind of course"), *_levels(), _("All levels")), rows)


def courses_table(figures: AreaFigures) -> Table:
    return _kind_level(figures, "courses", _("Courses by kind and level, %(area)s", area=figures.area.name))


def operators_table(figures: AreaFigures) -> Table:
    return _kind_level(figures, "operators", _("Operators by kind and level, %(area)s", area=figures.area.name))


def states_table(figures: AreaFigures) -> Table:
    coverage, rows = figures.coverage, []
    states = coverage.states
    for state in labels.ENTRIES_STATES.values():
        count = states.states[state.code]
        rows.append((str(state), count, Share(coverage.share(count))))
        if state.code == "joinable":
            for status in ("open", "waiting_list"):
                count = states.next_entry[status]
                rows.append((_("of which, next session: %(status)s",
                               status=labels.ENTRY_STATUSES[status].in_sentence), count, Share(coverage.share(count))))
    rows.append((_("All courses"), coverage.total.courses, Share(coverage.share(coverage.total.courses))))
    return Table("states", _("Courses by what a person can do now, %(area)s", area=figures.area.name),
                 (_("What a person can do now"), _("Courses"), _("Share")), rows)


def pressure_table(figures: AreaFigures) -> Table:
    """One row per kind × level (the page's cells: courses full or with a waiting list, and share)."""
    coverage, rows = figures.coverage, []
    for kind in labels.KINDS.values():
        for level in labels.LEVELS.values():
            pressed, courses = coverage.pressure[kind.code, level.code], coverage.cell(kind.code, level.code).courses
            rows.append((str(kind), str(level), courses, pressed, Share(pressed / courses if courses else None)))
    return Table("pressure", _("Courses full or with a waiting list, by kind and level, %(area)s",
                               area=figures.area.name),
                 (_("Kind of course"), _("Level"), _("Courses"), _("Full or with a waiting list"), _("Share")), rows)


def shares_table(figures: AreaFigures) -> Table:
    coverage = figures.coverage
    rows = [(str(feature), coverage.shares[feature.code], Share(coverage.share(coverage.shares[feature.code])))
            for feature in labels.COVERAGE_SHARES.values()]
    return Table("hours", _("Courses in the evening, on Saturday, with childcare, free or towards a job, %(area)s",
                            area=figures.area.name), (_("When and how"), _("Courses"), _("Share")), rows)


def calendar_table(figures: AreaFigures) -> Table:
    calendar = figures.calendar
    rows = [(labels.label(labels.KINDS, row.kind), labels.label(labels.LEVELS, row.level), *row.per_month,
             Share(row.start_share)) for row in calendar.rows]
    return Table("calendar", _("Sessions starting each month, by kind and level, %(area)s", area=figures.area.name),
                 (_("Kind of course"), _("Level"), *(format_date(month, "MMM yy") for month in calendar.months),
                  _("Start within 30 days")), rows)


def demand_table(figures: AreaFigures) -> Table:
    rows = [(format_date(row.month_start, "MMMM yyyy"), row.commune or _("No place given"), row.nis_code or None,
             ", ".join(labels.label(labels.KINDS, kind) for kind in row.kinds) or _("Every kind"),
             labels.label(labels.LEVELS, row.level) if row.level else _("Any level"), row.searches)
            for row in figures.unmet]
    return Table("demand", _("Searches without a course within 25 km, %(area)s", area=figures.area.name),
                 (_("Month"), _("Place searched"), _("NIS code"), _("Kind of course"), _("Level"), _("Searches")),
                 rows)


def areas_table(figures: AreaFigures) -> Table:
    return Table("areas", _("The offer in each area"), (_("Area"), _("Courses"), _("Operators")),
                 [(str(row.area.name), row.total.courses, row.total.operators) for row in figures.totals])


def operator_freshness_table(figures: AreaFigures) -> Table:
    freshness = list(labels.FRESHNESS.values())
    rows = [(row.name, row.ref, labels.label(labels.OPERATOR_KINDS, row.kind), row.courses,
             *(row.counts[state.code] for state in freshness), row.last_confirmed)
            for row in figures.operators or []]
    return Table("operator-freshness", _("Operators of %(area)s and the freshness of their courses",
                                         area=figures.area.name),
                 (_("Operator"), _("Reference"), _("Kind of organisation"), _("Published courses"),
                  *(str(state) for state in freshness), _("Last confirmed")), rows)


def _referral_column(code: str) -> str:
    return labels.label(labels.REFERRAL_OUTCOMES if code == "withdrawn" else labels.REFERRAL_STATUSES, code)


def referrals_table(figures: AreaFigures) -> Table:
    rows = [(row.title, row.ref, row.operator, row.total, *(row.counts[code] for code in REFERRAL_COLUMNS))
            for row in figures.referrals or []]
    return Table("referrals", _("Referrals by course and answer, %(area)s", area=figures.area.name),
                 (_("Course"), _("Reference"), _("Operator"), _("Referrals"),
                  *(_referral_column(code) for code in REFERRAL_COLUMNS)), rows)


# The page's tables, in its order; the coordinators' two only where their page shows them.
PUBLIC_TABLES: tuple[Callable[[AreaFigures], Table], ...] = (
    courses_table, operators_table, states_table, pressure_table, shares_table, calendar_table, demand_table,
    areas_table)


def area_tables(figures: AreaFigures) -> dict[str, Table]:
    """Every table of the area's page, by name, in the page's order."""
    built = [make(figures) for make in PUBLIC_TABLES]
    if figures.operators is not None:
        built.append(operator_freshness_table(figures))
    if figures.referrals is not None:
        built.append(referrals_table(figures))
    return {table.name: table for table in built}


def gaps_table(rows: Sequence[GapRow], query: GapQuery, area_name: str) -> Table:
    """The gap page's table: the communes beyond the distance, their nearest course and its start."""
    out = []
    for row in rows:
        gap, entry = row.gap, row.next_entry
        status = labels.ENTRY_STATUSES[entry.status].short if entry and entry.status != "open" else None
        out.append((gap.commune.name, gap.commune.nis_code, gap.commune.population, gap.nearest_km,
                    gap.nearest_course, entry.start if entry else None, str(status) if status else None))
    what = " ".join([*(str(labels.KINDS[kind].abbreviation) for kind in query.kinds),
                     *([str(labels.LEVELS[query.level])] if query.level else [])])
    return Table("gaps", _("%(what)s: the communes more than %(km)s km from the nearest course, %(area)s",
                           what=what, km=format_km(query.min_km or 0), area=area_name),
                 (_("Commune"), _("NIS code"), _("Population"), _("Distance to the nearest course (km)"),
                  _("Nearest course"), _("When it starts"), _("Next session")), out)


def cell_text(value: Any) -> str:
    """A cell as CSV text: numbers as Python writes them, shares as a decimal, dates ISO."""
    if value is None:
        return ""
    if isinstance(value, Share):
        return "" if value.value is None else f"{value.value:.4f}".rstrip("0").rstrip(".")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
