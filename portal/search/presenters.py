"""What the pages show, computed once per request from search hits: filter chips, entry rows,
schema.org JSON-LD. Rules come from ``offer.rules``; nothing here decides what matches."""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from flask_babel import format_date, get_locale, ngettext
from flask_babel import gettext as _

from portal import labels
from portal.offer import rules
from portal.offer.models import Course, Entry, Operator, Site
from portal.search.filters import CourseFilters, query_values
from portal.search.queries import CourseHit


@dataclass(frozen=True)
class Chip:
    label: str
    remove_url: str


def chips_for(filters: CourseFilters, args: Mapping[str, str],
              page_url: Callable[..., str]) -> list[Chip]:
    """One removable chip per active filter value (removing it keeps the rest of the search), in
    the order of the form."""
    chips = _Chips(args, page_url)
    _words_and_place(chips, filters, args)
    _what_and_when(chips, filters)
    _conditions(chips, filters)
    return chips.chips


def _words_and_place(chips: _Chips, filters: CourseFilters, args: Mapping[str, str]) -> None:
    if filters.q:
        chips.add(_("Words: %(q)s", q=filters.q), "q")
    if filters.place is not None:
        # Without a place, a distance and "nearest first" mean nothing: they go with it.
        chips.add_removing(_("Near %(place)s", place=filters.place.label), "near", "radius_km",
                           *(("sort",) if args.get("sort") == "distance" else ()))
    if filters.radius_km is not None:
        chips.add(_("Within %(km)s km", km=f"{filters.radius_km:g}"), "radius_km")


def _what_and_when(chips: _Chips, filters: CourseFilters) -> None:
    chips.add_each(filters.kinds, labels.KINDS, "kind")
    if filters.level:
        chips.add(_("Level %(level)s", level=labels.label(labels.LEVELS, filters.level)), "level")
    if filters.start_from:
        chips.add(_("Start from %(date)s", date=format_date(filters.start_from, "long")), "start_from")
    if filters.start_until:
        chips.add(_("Start by %(date)s", date=format_date(filters.start_until, "long")), "start_until")
    chips.add_each(filters.parts_of_day, labels.PARTS_OF_DAY, "part_of_day")
    chips.add_each(filters.days, labels.DAYS, "day")


def _conditions(chips: _Chips, filters: CourseFilters) -> None:
    for name, given, words in (("free", filters.free, _("Free")), ("childcare", filters.childcare, _("Childcare")),
                               ("job_oriented", filters.job_oriented, _("Towards a job"))):
        if given:
            chips.add(words, name)
    if filters.sector:
        chips.add(labels.label(labels.SECTORS, filters.sector), "sector")
    if filters.audience:
        chips.add(_("For: %(who)s", who=labels.label(labels.AUDIENCES, filters.audience)), "audience")
    if filters.bassin:
        chips.add(_("Region: %(bassin)s", bassin=filters.bassin), "bassin")


class _Chips:
    def __init__(self, args: Mapping[str, str], page_url: Callable[..., str]) -> None:
        self.args, self.page_url = args, page_url
        self.chips: list[Chip] = []

    def add(self, label: str, name: str) -> None:
        self.add_removing(label, name)

    def add_removing(self, label: str, *names: str) -> None:
        """A chip whose link removes these parameters."""
        self.chips.append(Chip(label, self.page_url(self.args, **dict.fromkeys(names))))

    def add_each(self, values: tuple[str, ...], table: labels.Table, name: str) -> None:
        """A chip per value of a list parameter; removing one keeps the others."""
        for value in values:
            remaining = [v for v in _values(self.args, name) if v != value]
            self.chips.append(Chip(labels.label(table, value),
                                   self.page_url(self.args, **{name: ",".join(remaining) or None})))


def _values(args: Mapping[str, str], name: str) -> list[str]:
    """The items of a list parameter, however they were given ("a,b", or the parameter twice)."""
    return [item.strip() for value in query_values(args, name) for item in (value or "").split(",") if item.strip()]


@dataclass(frozen=True)
class EntryRow:
    start: dt.date
    end: dt.date | None
    registration_deadline: dt.date | None
    status: str
    started: bool
    state: str  # rules.entry_state: what a person can do about it


def entry_rows(course: Course, today: dt.date) -> list[EntryRow]:
    """Entries not yet over, by start date (the course page lists all of them)."""
    rows = []
    for entry in sorted(course.entries, key=lambda e: e.start):
        if _is_over(entry, today):
            continue
        rows.append(EntryRow(entry.start, entry.end, entry.registration_deadline, entry.status,
                             started=entry.start < today, state=rules.entry_state(entry, today)))
    return rows


def _is_over(entry: Entry, today: dt.date) -> bool:
    return (entry.end or entry.start) < today


def course_json_ld(hit: CourseHit, url: str) -> dict[str, Any]:
    """schema.org Course with its CourseInstances (one per upcoming entry, or the active period)."""
    course = hit.course
    site = course.site
    location = {
        "@type": "Place", "name": site.name or course.operator.name,
        "address": {"@type": "PostalAddress", "streetAddress": site.street, "postalCode": site.postal_code,
                    "addressLocality": site.locality, "addressCountry": "BE"},
        "geo": {"@type": "GeoCoordinates", "latitude": site.lat, "longitude": site.lon},
    }
    instances = []
    if course.entry_mode == "rolling":
        instance = {"@type": "CourseInstance", "courseMode": "onsite", "location": location}
        if course.active_from:
            instance["startDate"] = course.active_from.isoformat()
        if course.active_until:
            instance["endDate"] = course.active_until.isoformat()
        instances.append(instance)
    else:
        for row in entry_rows(course, rules.today()):
            instance = {"@type": "CourseInstance", "courseMode": "onsite", "location": location,
                        "startDate": row.start.isoformat()}
            if row.end:
                instance["endDate"] = row.end.isoformat()
            instances.append(instance)
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "Course", "@id": url, "url": url,
        "name": course.title, "description": course.description or course.title,
        "inLanguage": "fr", "educationalLevel": f"{course.level_min_code}–{course.level_max_code}",
        "provider": {"@type": "Organization", "name": course.operator.name,
                     **({"url": course.operator.website} if course.operator.website else {})},
        "isAccessibleForFree": course.cost_eur == 0,
        "offers": {"@type": "Offer", "price": course.cost_eur, "priceCurrency": "EUR", "category": "Paid"
                   if course.cost_eur else "Free"},
        "hasCourseInstance": instances,
    }
    return data


# Inside <script>, "<!--", "<script" and "</script" change how the HTML parser reads the rest of the
# page (a title "Cours <!--<script>" hid everything after it): JSON's own escapes keep them out.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def json_for_script(data: Any) -> str:
    """JSON to put inside a ``<script>`` element as it is: no ``<``, ``>`` or ``&`` left."""
    return json.dumps(data, ensure_ascii=False).translate(_SCRIPT_SAFE)


def count_button_labels() -> dict[str, str]:
    """"Show N courses" in each plural category of the page's language, as CLDR (and the
    browser's ``Intl.PluralRules``) names them, "{n}" standing for the number: search.js picks
    the one for the count it gets."""
    plural_form = get_locale().plural_form
    found: dict[str, str] = {}
    # Arabic's six categories all occur below 103; French's "many" is for millions.
    for n in (*range(200), 1_000, 1_000_000):
        category = plural_form(n)
        if category not in found:
            found[category] = ngettext("Show %(count)s course", "Show %(count)s courses", n, count="{n}")
    return found


@dataclass(frozen=True)
class MapLinks:
    app: str  # geo: URI, opened by the phone's own map application
    web: str  # the same place on openstreetmap.org, for devices without one


OPENSTREETMAP = "https://www.openstreetmap.org/"


def map_links(site: Site, operator: Operator) -> MapLinks:
    """Links that open the course's place in a map, never loaded by the page itself (no third
    party learns of a visit unless the person follows one)."""
    lat, lon = f"{site.lat:.6f}", f"{site.lon:.6f}"
    label = quote(site.name or operator.name, safe="")
    return MapLinks(app=f"geo:{lat},{lon}?q={lat},{lon}({label})",
                    web=f"{OPENSTREETMAP}?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}")
