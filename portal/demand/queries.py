"""What the cadastre shows of the counted searches: where and for what people searched and found
no course within 25 km (band "far" or "none"), by month."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from portal.demand.models import SearchCount
from portal.extensions import db
from portal.geo.gazetteer import get_gazetteer

UNMET_BANDS = ("far", "none")
PUBLIC_MINIMUM = 5  # public pages hide smaller counts: a handful of searches could point to someone
MAX_ROWS = 500


@dataclass(frozen=True)
class UnmetRow:
    month: str  # "2026-11"
    nis_code: str
    commune: str  # "" when the search had no reference point in Wallonia
    bassin: str
    kinds: tuple[str, ...]
    level: str
    searches: int

    @property
    def month_start(self) -> dt.date:
        year, month = self.month.split("-")
        return dt.date(int(year), int(month), 1)


def _month(column):
    if db.engine.dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def unmet_demand(today: dt.date, *, bassin: str | None = None, minimum: int = 1,
                 months: int = 12) -> list[UnmetRow]:
    """The last ``months`` months' searches that found nothing within 25 km, per month, commune,
    kinds and level, largest first; only counts ≥ ``minimum``; ``bassin``: its communes only."""
    gazetteer = get_gazetteer()
    since = (today.replace(day=1) - dt.timedelta(days=31 * (months - 1))).replace(day=1)
    month = _month(SearchCount.day).label("month")
    searches = func.sum(SearchCount.count).label("searches")
    query = (select(month, SearchCount.nis_code, SearchCount.kinds, SearchCount.level, searches)
             .where(SearchCount.day >= since, SearchCount.band.in_(UNMET_BANDS))
             .group_by(month, SearchCount.nis_code, SearchCount.kinds, SearchCount.level)
             .having(func.sum(SearchCount.count) >= minimum)
             .order_by(month.desc(), searches.desc(), SearchCount.nis_code, SearchCount.kinds, SearchCount.level))
    if bassin is not None:
        codes = [commune.nis_code for commune in gazetteer.communes.values() if commune.bassin_efe == bassin]
        query = query.where(SearchCount.nis_code.in_(codes))
    rows = []
    for row in db.session.execute(query.limit(MAX_ROWS)):
        commune = gazetteer.commune(row.nis_code) if row.nis_code else None
        rows.append(UnmetRow(row.month, row.nis_code, commune.name if commune else "",
                             commune.bassin_efe if commune else "", tuple(filter(None, row.kinds.split(","))),
                             row.level, int(row.searches)))
    return rows
