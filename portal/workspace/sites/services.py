"""Writing one site (a place where courses happen) from the workspace form: the same validation and
the same write path as the import (``passerelle-offer/1``). The gazetteer fills the commune, the
bassin and, unless the operator placed the pin, the coordinates."""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import select

from portal.extensions import db
from portal.forms import FormErrors, form_errors
from portal.geo.gazetteer import get_gazetteer
from portal.normalise import slug
from portal.offer.exchange import FORMAT, LAT_RANGE, LON_RANGE, operator_dict
from portal.offer.models import Operator, Site
from portal.offer.refs import unique_ref
from portal.offer.services import import_offer
from portal.offer.validation import OfferDocumentError


class SiteErrors(FormErrors):
    """The site form's errors, keyed by field name ("postal_code", "lat")."""


def new_site_ref(operator: Operator, locality: str | None, name: str | None) -> str:
    """A readable ref not used yet: operator ref + locality and name words (+ a number when taken)."""
    words = slug(f"{locality or ''} {name or ''}") or "lieu"
    return unique_ref(Site, f"{operator.ref}-{words}"[:110])


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
