"""The operators of an area and how fresh their data is: for the coordinators of the bassin and the
admins (``permissions``: ``view_cadastre_operators``), never on the public page."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from itertools import groupby

from sqlalchemy import func, select

from portal.cadastre.areas import Area
from portal.extensions import db
from portal.offer import rules
from portal.offer.models import Course, Operator, Site


@dataclass(frozen=True)
class OperatorFreshness:
    ref: str
    name: str
    kind: str
    counts: Counter  # rules.FRESHNESS → its published courses in the area
    last_confirmed: dt.date

    @property
    def courses(self) -> int:
        return sum(self.counts.values())

    @property
    def visible(self) -> int:
        """Published courses still in the public search (not hidden)."""
        return self.courses - self.counts["hidden"]


def operator_freshness(area: Area, on: dt.date) -> list[OperatorFreshness]:
    """Each operator with published courses in ``area``: how many are fresh, stale soon, stale or
    hidden (rules.freshness), and its latest confirmation there; by name."""
    query = (select(Operator.id, Operator.ref, Operator.name, Operator.kind, Course.confirmed_at, func.count())
             .join(Course, Course.operator_id == Operator.id)
             .where(Course.status == "published")
             .group_by(Operator.id, Operator.ref, Operator.name, Operator.kind, Course.confirmed_at)
             .order_by(Operator.name, Operator.id))
    if area.bassin_efe is not None:
        query = query.join(Site, Site.id == Course.site_id).where(Site.bassin_efe == area.bassin_efe)
    found = []
    for _operator_id, rows in groupby(db.session.execute(query), key=lambda row: row.id):
        rows = list(rows)
        counts: Counter = Counter()
        for row in rows:
            counts[rules.freshness(row, on)] += row[-1]  # type: ignore[arg-type]  # reads confirmed_at
        first = rows[0]
        found.append(OperatorFreshness(first.ref, first.name, first.kind, counts,
                                       max(row.confirmed_at for row in rows)))
    return found
