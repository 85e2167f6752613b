"""What the search says about a place it cannot use: a close name ("did you mean…?"), a place
outside Wallonia, a whole area; and where a visitor's position is ("use my position")."""
from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.geo.gazetteer import Gazetteer, OutsideWallonia, UnknownPlace
from portal.geo.position import NEAREST_OFFER_KM
from portal.templating import format_km

WALLONIA_ONLY = _l("Passerelle lists courses in Wallonia only.")
BRUSSELS_POINTER = _l("For French or literacy courses in Brussels, ask Lire et Écrire Bruxelles "
                      "or a welcome office for newcomers (BAPA).")
GIVE_A_WALLOON_PLACE = _l("Give a postal code or a commune in Wallonia.")
# The browser's position is used to the hundredth of a degree (about 1 km): enough to name the
# nearest locality, not enough to find a home.
POSITION_DECIMALS = 2
_COORDINATE = re.compile(r"^-?\d{1,3}(?:\.\d{1,12})?$")


def outside_message(exc: OutsideWallonia, value: str) -> str:
    """The plain answer for a place outside Wallonia, in the visitor's language."""
    if exc.area == "wide":
        return _("“%(value)s” is a large area. Give your postal code or your commune to see the courses "
                 "near you.", value=value)
    if exc.area == "foreign_postal_code":
        where = _("“%(value)s” is not a postal code in Belgium: Belgian postal codes have 4 digits.", value=value)
    elif exc.area == "brussels":
        where = _("“%(value)s” is in Brussels.", value=value)
        return " ".join((where, str(WALLONIA_ONLY), str(BRUSSELS_POINTER)))
    elif exc.area == "flanders":
        where = _("“%(value)s” is in Flanders.", value=value)
    else:
        where = _("“%(value)s” is not in Belgium.", value=value)
    return " ".join((where, str(WALLONIA_ONLY), str(GIVE_A_WALLOON_PLACE)))


def unknown_message(exc: UnknownPlace, value: str) -> str:
    """An unknown place, with the close names the gazetteer found (if any)."""
    if isinstance(exc, OutsideWallonia):
        return outside_message(exc, value)
    if exc.suggestions:
        return _("We do not know the place “%(value)s” in Wallonia. Did you mean: %(choices)s?",
                 value=value, choices=", ".join(exc.suggestions))
    return _("We do not know the place “%(value)s” in Wallonia. Give a postal code or a commune.", value=value)


def coordinate(raw: str | None, bound: int) -> float | None:
    """A latitude (bound 90) or longitude (bound 180) as sent by the page, rounded to
    POSITION_DECIMALS; None when it is not one."""
    text = (raw or "").strip()
    if not _COORDINATE.match(text) or abs(float(text)) > bound:
        return None
    return round(float(text), POSITION_DECIMALS)


def position_answer(gazetteer: Gazetteer, lat: float, lon: float, search_url) -> dict:
    """What "use my position" shows: the nearest locality as the search's ``near`` when the
    position is in Wallonia; otherwise a plain sentence, and the nearest Walloon locality when
    it is not far (``search_url(near)`` links to its search)."""
    where = gazetteer.whereabouts(lat, lon)
    if where.inside:
        return {"inside": True, "near": where.near,
                "message": _("Your position: near %(place)s. Searching…", place=where.near)}
    sentences = [_("Your position is outside Wallonia."), str(WALLONIA_ONLY)]
    if where.in_brussels:
        sentences.append(str(BRUSSELS_POINTER))
    answer: dict = {"inside": False, "near": None, "message": " ".join(sentences), "nearest": None}
    if where.distance_km <= NEAREST_OFFER_KM:
        answer["nearest"] = {
            "near": where.near, "distance_km": where.distance_km, "url": search_url(where.near),
            "text": _("Search near %(place)s, the nearest place in Wallonia (%(km)s km)",
                      place=where.near, km=format_km(where.distance_km)),
        }
    return answer
