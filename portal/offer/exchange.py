"""The ``passerelle-offer/1`` document: validation (every error with its JSON path) and the
exchange form of stored objects (what ``export`` writes and ``import`` compares against).

Validation turns a raw document into *normalised* dicts in exchange form: optional keys filled
with their defaults, lists in canonical order, empty strings as null. A stored object serialised
with ``operator_dict``/``site_dict``/``course_dict`` has the same shape, so "unchanged" is a plain
dict comparison.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from portal.geo.gazetteer import Gazetteer
from portal.normalise import ref_key
from portal.offer import codes
from portal.offer.models import Course, Operator, Site
from portal.offer.validation import MAX_PROBLEMS, Checker, ValidationStopped, json_number, shown

FORMAT = "passerelle-offer/1"

OPERATOR_KEYS = ("ref", "name", "kind", "website", "email", "phone", "description", "sites", "courses")
SITE_KEYS = ("ref", "name", "street", "postal_code", "locality", "lat", "lon",
             "wheelchair_accessible", "transit_note")
COURSE_KEYS = (
    "ref", "site", "title", "kind", "level_min", "level_max", "level_note", "registration",
    "registration_note", "job_oriented", "sectors", "prepares_for", "description", "days",
    "parts_of_day", "hours_per_week", "cost_eur", "childcare", "audiences",
    "requires_job_seeker_registration", "requires_valid_residence_permit", "entry_test",
    "entry_mode", "entries", "active_from", "active_until", "confirmed_at", "status",
)
ENTRY_KEYS = ("start", "end", "registration_deadline", "status")

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_WEBSITE = re.compile(r"^https?://[^\s]+\.[^\s]+$", re.IGNORECASE)
# Wallonia with a margin: catches swapped or mistyped coordinates.
LAT_RANGE = (49.2, 51.1)
LON_RANGE = (2.5, 6.7)


@dataclass
class ValidatedOffer:
    """A valid document, normalised: operators with their sites and courses."""

    operators: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class StoredOwners:
    """Which operator owns each site and course ref already in the database."""

    site_owner: dict[str, str] = field(default_factory=dict)
    course_owner: dict[str, str] = field(default_factory=dict)
    sites_of: dict[str, set[str]] = field(default_factory=dict)


class OfferDocumentError(ValueError):
    """A document that cannot be imported; ``errors`` lists its problems with their paths, every
    one of them unless ``stopped``: validation stopped at MAX_PROBLEMS."""

    def __init__(self, errors: list[str], *, stopped: bool = False):
        super().__init__(f"{len(errors)} error(s)" + (" (validation stopped)" if stopped else ""))
        self.errors = errors
        self.stopped = stopped


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


# -- exchange form of stored objects -----------------------------------------------------------
def site_dict(site: Site) -> dict[str, Any]:
    """A site in exchange form."""
    return {
        "ref": site.ref, "name": site.name, "street": site.street,
        "postal_code": site.postal_code, "locality": site.locality,
        "lat": site.lat, "lon": site.lon,
        "wheelchair_accessible": site.wheelchair_accessible, "transit_note": site.transit_note,
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


# -- validation ------------------------------------------------------------------------------
def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def refs_in(document: Any) -> tuple[list[str], list[str], list[str]]:
    """Operator, site and course refs of a raw document, read defensively (before validation: any
    part may have any type) and normalised as the format compares them."""
    operators: list[Any] = []
    sites: list[Any] = []
    courses: list[Any] = []
    for operator in _listed(document.get("operators") if isinstance(document, dict) else None):
        if not isinstance(operator, dict):
            continue
        operators.append(operator.get("ref"))
        for key, found in (("sites", sites), ("courses", courses)):
            found.extend(item.get("ref") for item in _listed(operator.get(key)) if isinstance(item, dict))
    return tuple([ref_key(r) for r in refs if isinstance(r, str)] for refs in (operators, sites, courses))


def validate_document(document: Any, gazetteer: Gazetteer, stored: StoredOwners | None = None, *,
                      max_errors: int = MAX_PROBLEMS) -> ValidatedOffer:
    """Check a whole document against the format and the refs already ``stored``; raise
    OfferDocumentError with its errors (validation stops at ``max_errors``), else return the
    document normalised."""
    check = Checker(max_errors)
    try:
        offer = _validate(check, document, gazetteer, stored or StoredOwners())
    except ValidationStopped:
        raise OfferDocumentError(check.errors, stopped=True) from None
    if check.errors:
        raise OfferDocumentError(check.errors)
    return offer


def _validate(check: Checker, document: Any, gazetteer: Gazetteer, stored: StoredOwners) -> ValidatedOffer:
    offer = ValidatedOffer()
    root = check.obj(document, "$", ("format", "operators"))
    if root is None:
        return offer
    if root.get("format") != FORMAT:
        check.error("format", f"must be {FORMAT!r}")
    operators = root.get("operators")
    if not isinstance(operators, list):
        check.error("operators", "must be a list")
        return offer
    seen: dict[str, dict[str, str]] = {"operator": {}, "site": {}, "course": {}}

    def unique(kind: str, ref: str | None, path: str) -> None:
        if ref is None:
            return
        if ref in seen[kind]:
            check.error(f"{path}.ref", f"duplicate {kind} ref {ref!r} (also at {seen[kind][ref]})")
        else:
            seen[kind][ref] = path

    for o_index, raw_operator in enumerate(operators):
        o_path = f"operators[{o_index}]"
        raw = check.obj(raw_operator, o_path, OPERATOR_KEYS)
        if raw is None:
            continue
        operator = {
            "ref": check.ref(raw, "ref", o_path),
            "name": check.text(raw, "name", o_path, required=True),
            "kind": check.code(raw, "kind", o_path, codes.OPERATOR_KINDS, "an operator kind"),
            "website": check.text(raw, "website", o_path, max_length=300),
            "email": check.text(raw, "email", o_path),
            "phone": check.text(raw, "phone", o_path, max_length=50),
            "description": check.text(raw, "description", o_path, max_length=5000),
            "sites": [], "courses": [],
        }
        unique("operator", operator["ref"], o_path)
        if operator["website"] and not _WEBSITE.match(operator["website"]):
            check.error(f"{o_path}.website", f"{shown(operator['website'])} is not a web address "
                        "(http:// or https://)")
        if operator["email"] and not _EMAIL.match(operator["email"]):
            check.error(f"{o_path}.email", f"{shown(operator['email'])} is not an e-mail address")
        for key in ("sites", "courses"):
            if raw.get(key) is not None and not isinstance(raw.get(key), list):
                check.error(f"{o_path}.{key}", "must be a list")
        for s_index, raw_site in enumerate(_listed(raw.get("sites"))):
            s_path = f"{o_path}.sites[{s_index}]"
            site = _validate_site(check, raw_site, s_path, gazetteer)
            if site is None:
                continue
            unique("site", site["ref"], s_path)
            operator["sites"].append(site)
            owner = stored.site_owner.get(site["ref"])
            if owner is not None and owner != operator["ref"]:
                check.error(f"{s_path}.ref", f"site {site['ref']!r} belongs to operator {owner!r}")
        own_sites = {s["ref"] for s in operator["sites"]} | stored.sites_of.get(operator["ref"], set())
        for c_index, raw_course in enumerate(_listed(raw.get("courses"))):
            c_path = f"{o_path}.courses[{c_index}]"
            course = _validate_course(check, raw_course, c_path)
            if course is None:
                continue
            unique("course", course["ref"], c_path)
            operator["courses"].append(course)
            owner = stored.course_owner.get(course["ref"])
            if owner is not None and owner != operator["ref"]:
                check.error(f"{c_path}.ref", f"course {course['ref']!r} belongs to operator {owner!r}")
            if course["site"] is not None and course["site"] not in own_sites:
                named = repr(operator["ref"]) if operator["ref"] else shown(raw.get("ref"))
                check.error(f"{c_path}.site", f"{course['site']!r} is not one of the sites of operator {named}")
        offer.operators.append(operator)
    return offer


def _validate_site(check: Checker, raw_site: Any, path: str, gazetteer: Gazetteer) -> dict | None:
    raw = check.obj(raw_site, path, SITE_KEYS)
    if raw is None:
        return None
    site = {
        "ref": check.ref(raw, "ref", path),
        "name": check.text(raw, "name", path),
        "street": check.text(raw, "street", path),
        "postal_code": None,
        "locality": check.text(raw, "locality", path, max_length=120),
        "lat": None, "lon": None,
        "wheelchair_accessible": check.boolean(raw, "wheelchair_accessible", path),
        "transit_note": check.text(raw, "transit_note", path, max_length=1000),
    }
    postal_code = raw.get("postal_code")
    if postal_code is None:
        check.error(f"{path}.postal_code", "is required")
    elif not isinstance(postal_code, str) or gazetteer.postal_code(postal_code) is None:
        check.error(f"{path}.postal_code", f"{shown(postal_code)} is not a Walloon postal code")
    else:
        site["postal_code"] = postal_code.strip()
        if site["locality"] is None:
            site["locality"] = gazetteer.postal_code(postal_code).main_locality.name
    has_lat, has_lon = raw.get("lat") is not None, raw.get("lon") is not None
    if has_lat != has_lon:
        check.error(f"{path}.{'lon' if has_lat else 'lat'}", "lat and lon go together: give both or neither")
    elif has_lat:
        site["lat"] = check.number(raw, "lat", path, minimum=LAT_RANGE[0], maximum=LAT_RANGE[1], default=None)
        site["lon"] = check.number(raw, "lon", path, minimum=LON_RANGE[0], maximum=LON_RANGE[1], default=None)
    return site


def _validate_course(check: Checker, raw_course: Any, path: str) -> dict | None:
    raw = check.obj(raw_course, path, COURSE_KEYS)
    if raw is None:
        return None
    course: dict[str, Any] = {
        "ref": check.ref(raw, "ref", path),
        "site": check.ref(raw, "site", path),
        "title": check.text(raw, "title", path, required=True),
        "kind": check.code(raw, "kind", path, codes.COURSE_KINDS, "a course kind"),
        "level_min": check.code(raw, "level_min", path, codes.LEVELS, "a level"),
        "level_max": check.code(raw, "level_max", path, codes.LEVELS, "a level"),
        "level_note": check.text(raw, "level_note", path, max_length=1000),
        "registration": check.code(raw, "registration", path, codes.REGISTRATION_MODES,
                                   "a registration mode", default="direct"),
        "registration_note": check.text(raw, "registration_note", path, max_length=1000),
        "job_oriented": check.boolean(raw, "job_oriented", path),
        "sectors": check.codes(raw, "sectors", path, codes.SECTORS, "a sector"),
        "prepares_for": check.codes(raw, "prepares_for", path, codes.PREPARES_FOR, "a prepares_for code"),
        "description": check.text(raw, "description", path, max_length=5000),
        "days": check.codes(raw, "days", path, codes.DAYS, "a day"),
        "parts_of_day": check.codes(raw, "parts_of_day", path, codes.PARTS_OF_DAY, "a part of day"),
        "hours_per_week": check.number(raw, "hours_per_week", path, minimum=0, maximum=60, default=None),
        "cost_eur": check.number(raw, "cost_eur", path, minimum=0, maximum=100000, default=0),
        "childcare": check.boolean(raw, "childcare", path),
        "audiences": check.codes(raw, "audiences", path, codes.AUDIENCES, "an audience"),
        "requires_job_seeker_registration": check.boolean(raw, "requires_job_seeker_registration", path),
        "requires_valid_residence_permit": check.boolean(raw, "requires_valid_residence_permit", path),
        "entry_test": check.boolean(raw, "entry_test", path),
        "entry_mode": check.code(raw, "entry_mode", path, codes.ENTRY_MODES, "an entry mode"),
        "entries": [],
        "active_from": check.date(raw, "active_from", path),
        "active_until": check.date(raw, "active_until", path),
        "confirmed_at": check.date(raw, "confirmed_at", path),
        "status": check.code(raw, "status", path, codes.COURSE_STATUSES, "a course status",
                             default="published"),
    }
    if course["level_min"] and course["level_max"] and (
        codes.level_rank(course["level_min"]) > codes.level_rank(course["level_max"])
    ):
        check.error(f"{path}.level_min", f"{course['level_min']!r} is above level_max {course['level_max']!r}")
    if course["active_from"] and course["active_until"] and course["active_from"] > course["active_until"]:
        check.error(f"{path}.active_until", "is before active_from")
    raw_entries = raw.get("entries")
    if raw_entries is not None and not isinstance(raw_entries, list):
        check.error(f"{path}.entries", "must be a list")
        raw_entries = []
    for e_index, raw_entry in enumerate(raw_entries or []):
        e_path = f"{path}.entries[{e_index}]"
        entry_raw = check.obj(raw_entry, e_path, ENTRY_KEYS)
        if entry_raw is None:
            continue
        entry = {
            "start": check.date(entry_raw, "start", e_path, required=True),
            "end": check.date(entry_raw, "end", e_path),
            "registration_deadline": check.date(entry_raw, "registration_deadline", e_path),
            "status": check.code(entry_raw, "status", e_path, codes.ENTRY_STATUSES,
                                 "an entry status", default="open"),
        }
        if entry["start"] and entry["end"] and entry["end"] < entry["start"]:
            check.error(f"{e_path}.end", "is before start")
        course["entries"].append(entry)
    course["entries"].sort(key=lambda e: (e["start"] or "", e["end"] or "9999", e["status"] or ""))
    if course["entry_mode"] == "rolling" and course["entries"]:
        check.error(f"{path}.entries", "a rolling course has no entries (use active_from/active_until)")
    if course["entry_mode"] == "fixed":
        for key in ("active_from", "active_until"):
            if course[key] is not None:
                check.error(f"{path}.{key}", "only a rolling course has an active period (use entries)")
    return course
