"""Reads of the site pages: where the gazetteer puts an address, an operator's sites with their
courses."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from portal.extensions import db
from portal.geo.gazetteer import Gazetteer
from portal.normalise import fold
from portal.offer.models import Course, Operator, Site


@dataclass(frozen=True)
class SiteRow:
    """A site on its operator's page."""

    site: Site
    courses: int  # not archived


@dataclass(frozen=True)
class AddressPoint:
    """Where the gazetteer puts an address: the locality's point, else the postal code's."""

    postal_code: str
    commune: str
    bassin_efe: str
    localities: tuple[str, ...]
    main_locality: str  # what the import chooses when no locality is given
    locality: str | None  # the gazetteer's spelling of the locality asked, when it knows it
    lat: float
    lon: float

    def as_json(self) -> dict[str, Any]:
        return {"postal_code": self.postal_code, "commune": self.commune, "bassin_efe": self.bassin_efe,
                "localities": list(self.localities), "main_locality": self.main_locality,
                "locality": self.locality,
                "lat": round(self.lat, 6), "lon": round(self.lon, 6)}


def address_point(gazetteer: Gazetteer, postal_code: str | None, locality: str | None) -> AddressPoint | None:
    """The gazetteer's place for a postal code (and locality), or None for an unknown postal code."""
    entry = gazetteer.postal_code(postal_code or "")
    if entry is None:
        return None
    known = gazetteer.locality(entry.code, locality)
    lat, lon = gazetteer.site_point(entry.code, known.name if known else None)
    return AddressPoint(entry.code, entry.commune, entry.bassin_efe, tuple(loc.name for loc in entry.localities),
                        entry.main_locality.name, known.name if known else None, lat, lon)


def site_rows(operator: Operator) -> list[SiteRow]:
    """The operator's sites by name and place, with how many courses (not archived) each holds."""
    counts = dict(db.session.execute(
        select(Course.site_id, func.count(Course.id))
        .where(Course.operator_id == operator.id, Course.status != "archived").group_by(Course.site_id)
    ).all())
    sites = db.session.scalars(select(Site).where(Site.operator_id == operator.id)).all()
    rows = [SiteRow(site, counts.get(site.id, 0)) for site in sites]
    return sorted(rows, key=lambda row: (fold(row.site.locality), fold(row.site.name), row.site.ref))


def courses_at(site: Site) -> int:
    """How many courses (not archived) are given at ``site``."""
    return db.session.scalar(select(func.count(Course.id)).where(Course.site_id == site.id,
                                                                  Course.status != "archived")) or 0
