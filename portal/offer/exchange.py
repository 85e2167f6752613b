"""The ``passerelle-offer/1`` format: its keys, the exchange form of stored objects (what
``export`` writes and ``import`` compares against) and its refs. Validation, which turns a raw
document into the same form, is ``validation.py``.

A stored object serialised with ``operator_dict``/``site_dict``/``course_dict`` has the shape of a
validated document (optional keys filled with their defaults, lists in canonical order, empty
strings as null), so "unchanged" is a plain dict comparison.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from portal.normalise import ref_key
from portal.offer.models import Course, Operator, Site

FORMAT = "passerelle-offer/1"

OPERATOR_KEYS = ("ref", "name", "kind", "website", "email", "phone", "description", "sites", "courses")
SITE_KEYS = ("ref", "name", "street", "postal_code", "locality", "lat", "lon",
             "wheelchair_accessible", "transit_note", "reception_languages")
COURSE_KEYS = (
    "ref", "site", "title", "kind", "level_min", "level_max", "level_note", "registration",
    "registration_note", "job_oriented", "sectors", "prepares_for", "description", "days",
    "parts_of_day", "hours_per_week", "cost_eur", "childcare", "audiences",
    "requires_job_seeker_registration", "requires_valid_residence_permit", "entry_test",
    "entry_mode", "entries", "active_from", "active_until", "confirmed_at", "status",
)
ENTRY_KEYS = ("start", "end", "registration_deadline", "status")

# Wallonia with a margin: catches swapped or mistyped coordinates.
LAT_RANGE = (49.2, 51.1)
LON_RANGE = (2.5, 6.7)


def json_number(value: float | None) -> float | int | None:
    """A number as JSON shows it best: 0 rather than 0.0."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def site_dict(site: Site) -> dict[str, Any]:
    """A site in exchange form."""
    return {
        "ref": site.ref, "name": site.name, "street": site.street,
        "postal_code": site.postal_code, "locality": site.locality,
        "lat": site.lat, "lon": site.lon,
        "wheelchair_accessible": site.wheelchair_accessible, "transit_note": site.transit_note,
        "reception_languages": site.reception_languages,
    }


def course_dict(course: Course) -> dict[str, Any]:
    """A course in exchange form (entries by start date)."""
    return {
        "ref": course.ref, "site": course.site.ref, "title": course.title, "kind": course.kind,
        "level_min": course.level_min_code, "level_max": course.level_max_code,
        "level_note": course.level_note, "registration": course.registration,
        "registration_note": course.registration_note, "job_oriented": course.job_oriented,
        "sectors": course.sectors, "prepares_for": course.prepares_for,
        "description": course.description, "days": course.days,
        "parts_of_day": course.parts_of_day, "hours_per_week": json_number(course.hours_per_week),
        "cost_eur": json_number(course.cost_eur), "childcare": course.childcare,
        "audiences": course.audiences,
        "requires_job_seeker_registration": course.requires_job_seeker_registration,
        "requires_valid_residence_permit": course.requires_valid_residence_permit,
        "entry_test": course.entry_test, "entry_mode": course.entry_mode,
        "entries": [
            {"start": _iso(e.start), "end": _iso(e.end),
             "registration_deadline": _iso(e.registration_deadline), "status": e.status}
            for e in sorted(course.entries, key=lambda e: (e.start, e.end or dt.date.max, e.status))
        ],
        "active_from": _iso(course.active_from), "active_until": _iso(course.active_until),
        "confirmed_at": _iso(course.confirmed_at), "status": course.status,
    }


def operator_dict(operator: Operator, *, with_children: bool = True) -> dict[str, Any]:
    """An operator in exchange form, with its sites and courses unless told otherwise."""
    data: dict[str, Any] = {
        "ref": operator.ref, "name": operator.name, "kind": operator.kind,
        "website": operator.website, "email": operator.email, "phone": operator.phone,
        "description": operator.description,
    }
    if with_children:
        data["sites"] = [site_dict(s) for s in sorted(operator.sites, key=lambda s: s.ref)]
        data["courses"] = [course_dict(c) for c in sorted(operator.courses, key=lambda c: c.ref)]
    return data


# -- refs -------------------------------------------------------------------------------------
def listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def refs_in(document: Any) -> tuple[list[str], list[str], list[str]]:
    """Operator, site and course refs of a raw document, read defensively (before validation: any
    part may have any type) and normalised as the format compares them."""
    operators: list[Any] = []
    sites: list[Any] = []
    courses: list[Any] = []
    for operator in listed(document.get("operators") if isinstance(document, dict) else None):
        if not isinstance(operator, dict):
            continue
        operators.append(operator.get("ref"))
        for key, found in (("sites", sites), ("courses", courses)):
            found.extend(item.get("ref") for item in listed(operator.get(key)) if isinstance(item, dict))
    return tuple([ref_key(r) for r in refs if isinstance(r, str)] for refs in (operators, sites, courses))
