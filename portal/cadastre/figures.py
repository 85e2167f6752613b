"""The figures of one area, gathered once for its page, its downloads (``tables``) and its printed
report: the public ones, and for the coordinators' page the operators and the referrals too."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

from portal.cadastre.areas import Area, all_areas
from portal.cadastre.calendar import EntryCalendar
from portal.cadastre.coverage import AreaTotal, Coverage, kept_area_totals, kept_calendar, kept_coverage
from portal.cadastre.operators import OperatorFreshness, operator_freshness
from portal.cadastre.referrals import CourseReferrals, referrals_by_course
from portal.demand.queries import PUBLIC_MINIMUM, UnmetRow, unmet_demand


@dataclass(frozen=True)
class AreaFigures:
    area: Area
    today: dt.date
    coverage: Coverage
    calendar: EntryCalendar
    unmet: list[UnmetRow]
    unmet_minimum: int  # places and months with fewer searches are not shown
    totals: list[AreaTotal]
    # The coordinators' page: the operators (None: not theirs to see) and the referrals.
    operators: list[OperatorFreshness] | None = None
    referrals: list[CourseReferrals] | None = None

    def context(self) -> dict[str, Any]:
        """The figures as a template's variables (``coverage``, ``calendar``…)."""
        return {field.name: getattr(self, field.name) for field in fields(self)}


def public_figures(area: Area, today: dt.date) -> AreaFigures:
    """What ``/cadastre`` shows of ``area``: no operator, demand counts of at least PUBLIC_MINIMUM."""
    return AreaFigures(area, today, kept_coverage(area, today), kept_calendar(area, today),
                       unmet_demand(today, bassin=area.bassin_efe, minimum=PUBLIC_MINIMUM), PUBLIC_MINIMUM,
                       kept_area_totals(all_areas(), today))


def coordinator_figures(area: Area, today: dt.date, operators: bool) -> AreaFigures:
    """What ``/espace/cadastre`` shows: every demand count, the referrals per course, and the
    operators' freshness when ``operators`` (the permission ``view_cadastre_operators``)."""
    return AreaFigures(area, today, kept_coverage(area, today), kept_calendar(area, today),
                       unmet_demand(today, bassin=area.bassin_efe), 1, kept_area_totals(all_areas(), today),
                       operators=operator_freshness(area, today) if operators else None,
                       referrals=referrals_by_course(area))
