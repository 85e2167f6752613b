"""What the pages show, computed once per request from search hits: filter chips, entry rows,
schema.org JSON-LD. Rules come from ``offer.rules``; nothing here decides what matches."""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _

from portal import labels
from portal.offer import rules
from portal.offer.models import Course, Entry
from portal.search.filters import CourseFilters
from portal.search.queries import CourseHit


@dataclass(frozen=True)
class Chip:
    label: str
    remove_url: str


def chips_for(filters: CourseFilters, args: Mapping[str, str],
              page_url: Callable[..., str]) -> list[Chip]:
    """One removable chip per active filter value (removing it keeps the rest of the search)."""
    chips: list[Chip] = []

    def without(name: str, value: str | None = None) -> str:
        if value is None:
            return page_url(args, **{name: None})
        remaining = [v for v in _values(args, name) if v != value]
        return page_url(args, **{name: ",".join(remaining) if remaining else None})

    if filters.q:
        chips.append(Chip(_("Words: %(q)s", q=filters.q), without("q")))
    if filters.place is not None:
        # Without a place, a distance and "nearest first" mean nothing: they go with it.
        gone = {"near": None, "radius_km": None}
        if args.get("sort") == "distance":
            gone["sort"] = None
        chips.append(Chip(_("Near %(place)s", place=filters.place.label), page_url(args, **gone)))
    if filters.radius_km is not None:
        chips.append(Chip(_("Within %(km)s km", km=f"{filters.radius_km:g}"), without("radius_km")))
    for kind in filters.kinds:
        chips.append(Chip(labels.label(labels.KINDS, kind), without("kind", kind)))
    if filters.level:
        chips.append(Chip(_("Level %(level)s", level=labels.label(labels.LEVELS, filters.level)), without("level")))
    if filters.start_from:
        chips.append(Chip(_("Start from %(date)s", date=format_date(filters.start_from, "long")),
                          without("start_from")))
    if filters.start_until:
        chips.append(Chip(_("Start by %(date)s", date=format_date(filters.start_until, "long")),
                          without("start_until")))
    for part in filters.parts_of_day:
        chips.append(Chip(labels.label(labels.PARTS_OF_DAY, part), without("part_of_day", part)))
    for day in filters.days:
        chips.append(Chip(labels.label(labels.DAYS, day), without("day", day)))
    if filters.free:
        chips.append(Chip(_("Free"), without("free")))
    if filters.childcare:
        chips.append(Chip(_("Childcare"), without("childcare")))
    if filters.job_oriented:
        chips.append(Chip(_("Towards a job"), without("job_oriented")))
    if filters.sector:
        chips.append(Chip(labels.label(labels.SECTORS, filters.sector), without("sector")))
    if filters.audience:
        chips.append(Chip(_("For: %(who)s", who=labels.label(labels.AUDIENCES, filters.audience)), without("audience")))
    if filters.bassin:
        chips.append(Chip(_("Area: %(bassin)s", bassin=filters.bassin), without("bassin")))
    return chips


def _values(args: Mapping[str, str], name: str) -> list[str]:
    getlist = getattr(args, "getlist", None)
    raw = getlist(name) if getlist else [args.get(name, "")]
    return [item.strip() for value in raw for item in (value or "").split(",") if item.strip()]


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
