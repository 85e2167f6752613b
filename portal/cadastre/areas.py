"""The areas the cadastre counts in: Wallonia, each of the nine bassins EFE, and the German-speaking
Community — the tenth value of the gazetteer's bassin column, which no Instance Bassin EFE covers,
so it is shown as an area of its own under its own name."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from portal.geo.gazetteer import get_gazetteer

# The gazetteer's bassin_efe of the nine communes of the German-speaking Community.
GERMAN_SPEAKING = "Communauté germanophone"
# What the URL says for the whole region (``?area=wallonia``); a bassin is named as in the gazetteer.
WALLONIA = "wallonia"


@dataclass(frozen=True)
class Area:
    """Wallonia (``bassin_efe`` None) or one value of the gazetteer's bassin column."""

    key: str  # the URL's value: "wallonia" or the gazetteer's name
    bassin_efe: str | None  # None: all of Wallonia

    @property
    def name(self) -> str | LazyString:
        """How pages name the area: a bassin by its own name (French, as written), the others in
        the page's language."""
        if self.bassin_efe is None:
            return _l("Wallonia")
        if self.bassin_efe == GERMAN_SPEAKING:
            return _l("German-speaking Community (outside the bassins EFE)")
        return self.bassin_efe

    @property
    def is_bassin(self) -> bool:
        """One of the nine Instances Bassins EFE (not Wallonia, not the German-speaking Community)."""
        return self.bassin_efe is not None and self.bassin_efe != GERMAN_SPEAKING

    @property
    def written_in_french(self) -> bool:
        """Its name is a bassin's proper name, shown as written (``lang="fr"``)."""
        return self.is_bassin


WHOLE_REGION = Area(WALLONIA, None)


def all_areas() -> list[Area]:
    """Wallonia, the nine bassins in alphabetical order, then the German-speaking Community."""
    names = get_gazetteer().bassins
    bassins = [Area(name, name) for name in names if name != GERMAN_SPEAKING]
    return [WHOLE_REGION, *bassins, *([Area(GERMAN_SPEAKING, GERMAN_SPEAKING)] if GERMAN_SPEAKING in names else [])]


def area_named(value: str) -> Area | None:
    """The area a URL names: "wallonia", or a bassin's name in any case and accents; None if unknown."""
    if value.strip().lower() == WALLONIA:
        return WHOLE_REGION
    name = get_gazetteer().bassin(value)
    return Area(name, name) if name is not None else None


def asked_area(value: str | None, default: Area) -> Area | None:
    """The area of the URL's ``area`` (``default`` when it is missing or empty); None when unknown."""
    if value is None or not value.strip():
        return default
    return area_named(value)
