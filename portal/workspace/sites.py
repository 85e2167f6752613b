"""Writing one site (a place where courses happen) from the workspace form: the same validation and
the same write path as the import (``passerelle-offer/1``). The gazetteer fills the commune, the
bassin and, unless the operator placed the pin, the coordinates."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.extensions import db
from portal.forms import FormErrors, form_errors
from portal.geo.gazetteer import Gazetteer, get_gazetteer
from portal.normalise import fold
from portal.offer.exchange import FORMAT, LAT_RANGE, LON_RANGE, operator_dict
from portal.offer.models import Course, Operator, Site
from portal.offer.services import import_offer
from portal.offer.validation import OfferDocumentError


class SiteErrors(FormErrors):
    """The site form's errors, keyed by field name ("postal_code", "lat")."""


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


def new_site_ref(operator: Operator, locality: str | None, name: str | None) -> str:
    """A readable ref not used yet: operator ref + locality and name words (+ a number when taken)."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(f"{locality or ''} {name or ''}")).strip("-")[:60] or "lieu"
    base = f"{operator.ref}-{slug}"[:110]
    ref, number = base, 2
    while db.session.scalar(select(func.count(Site.id)).where(Site.ref == ref)):
        ref, number = f"{base}-{number}", number + 1
    return ref


def save_site(operator: Operator, data: dict[str, Any], today: dt.date, *, actor: Any = None) -> Site:
    """Create or update the site ``data`` (exchange form, ref included) of ``operator`` through the
    import; its courses follow it in the public search at once. Raises SiteErrors."""
    document = {"format": FORMAT, "operators": [
        {**operator_dict(operator, with_children=False), "sites": [data], "courses": []}]}
    try:
        import_offer(document, get_gazetteer(), today, actor=actor, source="form")
    except OfferDocumentError as exc:
        raise form_errors(exc.errors, "operators[0].sites[0]", known=_plain_words(), into=SiteErrors) from exc
    return db.session.scalar(select(Site).where(Site.ref == data["ref"]))


def _plain_words() -> tuple[tuple[str, str], ...]:
    """The exchange format's messages about a site, said for the form's users."""
    number = lambda value: format_decimal(value, format="0.0###")  # noqa: E731
    return (
        ("is not a Walloon postal code", _("This is not a postal code in Wallonia.")),
        ("lat and lon go together",
         _("Give both the latitude and the longitude, or leave both empty to place the site from its address.")),
        (f"is not between {LAT_RANGE[0]:g} and {LAT_RANGE[1]:g}",
         _("This point is outside Wallonia: the latitude must be between %(low)s and %(high)s "
           "(Namur is at about %(namur)s).", low=number(LAT_RANGE[0]), high=number(LAT_RANGE[1]),
           namur=number(50.47))),
        (f"is not between {LON_RANGE[0]:g} and {LON_RANGE[1]:g}",
         _("This point is outside Wallonia: the longitude must be between %(low)s and %(high)s "
           "(Namur is at about %(namur)s).", low=number(LON_RANGE[0]), high=number(LON_RANGE[1]),
           namur=number(4.87))),
        ("is not a number", _("Write a number, for example %(example)s.", example=number(50.4669))),
    )


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
