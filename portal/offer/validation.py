"""Validation of a ``passerelle-offer/1`` document: every error with its JSON path (at most
``MAX_PROBLEMS``: see ``checker.py``), the document normalised into exchange form (``exchange.py``)
when it is valid."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from portal.geo.gazetteer import Gazetteer
from portal.normalise import EMAIL
from portal.offer import codes
from portal.offer.checker import MAX_PROBLEMS, Checker, ValidationStopped, shown
from portal.offer.exchange import (
    COURSE_KEYS,
    ENTRY_KEYS,
    FORMAT,
    LAT_RANGE,
    LON_RANGE,
    OPERATOR_KEYS,
    SITE_KEYS,
    listed,
)

_WEBSITE = re.compile(r"^https?://[^\s]+\.[^\s]+$", re.IGNORECASE)


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
    operators: set[str] = field(default_factory=set)  # the operator refs stored


class OfferDocumentError(ValueError):
    """A document that cannot be imported; ``errors`` lists its problems with their paths, every
    one of them unless ``stopped``: validation stopped at MAX_PROBLEMS."""

    def __init__(self, errors: list[str], *, stopped: bool = False):
        super().__init__(f"{len(errors)} error(s)" + (" (validation stopped)" if stopped else ""))
        self.errors = errors
        self.stopped = stopped


# -- the document ----------------------------------------------------------------------------
def validate_document(document: Any, gazetteer: Gazetteer, stored: StoredOwners | None = None, *,
                      max_errors: int = MAX_PROBLEMS) -> ValidatedOffer:
    """Check a whole document against the format and the refs already ``stored``; raise
    OfferDocumentError with its errors (validation stops at ``max_errors``), else return the
    document normalised."""
    validator = DocumentValidator(gazetteer, stored, max_errors=max_errors)
    offer = ValidatedOffer()
    try:
        if validator.root(document):
            for index, raw_operator in enumerate(document["operators"]):
                operator = validator.operator(raw_operator, index)
                if operator is not None:
                    offer.operators.append(operator)
    except ValidationStopped:
        raise validator.failure(stopped=True) from None
    if validator.errors:
        raise validator.failure()
    return offer


class DocumentValidator:
    """Validates a document a part at a time, as the import reads it: its top level, then each
    operator in turn (``operator`` returns it normalised, or None). Each check may raise
    ValidationStopped (``max_errors`` reached)."""

    def __init__(self, gazetteer: Gazetteer, stored: StoredOwners | None = None, *,
                 max_errors: int = MAX_PROBLEMS) -> None:
        self.check = Checker(max_errors)
        self.gazetteer = gazetteer
        self.stored = stored or StoredOwners()
        self.seen = _SeenRefs(self.check)

    @property
    def errors(self) -> list[str]:
        return self.check.errors

    def failure(self, *, stopped: bool = False) -> OfferDocumentError:
        return OfferDocumentError(self.check.errors, stopped=stopped)

    def root(self, document: Any) -> bool:
        """Check the top level (its ``operators`` need only be a list); True when the operators
        can be read."""
        root = self.check.obj(document, "$", ("format", "operators"))
        if root is None:
            return False
        if root.get("format") != FORMAT:
            self.check.error("format", f"must be {FORMAT!r}")
        if not isinstance(root.get("operators"), list):
            self.check.error("operators", "must be a list")
            return False
        return True

    def operator(self, raw_operator: Any, index: int) -> dict[str, Any] | None:
        return _validate_operator(self.check, raw_operator, f"operators[{index}]", self.gazetteer, self.stored,
                                  self.seen)


class _SeenRefs:
    """The refs met so far in the document, by kind: a second one is an error."""

    def __init__(self, check: Checker) -> None:
        self.check = check
        self.paths: dict[str, dict[str, str]] = {"operator": {}, "site": {}, "course": {}}

    def add(self, kind: str, ref: str | None, path: str) -> None:
        if ref is None:
            return
        if ref in self.paths[kind]:
            self.check.error(f"{path}.ref", f"duplicate {kind} ref {ref!r} (also at {self.paths[kind][ref]})")
        else:
            self.paths[kind][ref] = path


def _validate_operator(check: Checker, raw_operator: Any, path: str, gazetteer: Gazetteer, stored: StoredOwners,
                       seen: _SeenRefs) -> dict[str, Any] | None:
    raw = check.obj(raw_operator, path, OPERATOR_KEYS)
    if raw is None:
        return None
    operator = {
        "ref": check.ref(raw, "ref", path),
        "name": check.text(raw, "name", path, required=True),
        "kind": check.code(raw, "kind", path, codes.OPERATOR_KINDS, "an operator kind"),
        "website": check.text(raw, "website", path, max_length=300),
        "email": check.text(raw, "email", path),
        "phone": check.text(raw, "phone", path, max_length=50),
        "description": check.text(raw, "description", path, max_length=5000),
        "sites": [], "courses": [],
    }
    seen.add("operator", operator["ref"], path)
    if operator["website"] and not _WEBSITE.match(operator["website"]):
        check.error(f"{path}.website", f"{shown(operator['website'])} is not a web address (http:// or https://)")
    if operator["email"] and not EMAIL.match(operator["email"]):
        check.error(f"{path}.email", f"{shown(operator['email'])} is not an e-mail address")
    for key in ("sites", "courses"):
        if raw.get(key) is not None and not isinstance(raw.get(key), list):
            check.error(f"{path}.{key}", "must be a list")
    operator["sites"] = _validate_sites(check, raw, operator["ref"], path, gazetteer, stored, seen)
    operator["courses"] = _validate_courses(check, raw, operator, path, stored, seen)
    return operator


def _validate_sites(check: Checker, raw: dict[str, Any], operator_ref: str | None, path: str,
                    gazetteer: Gazetteer, stored: StoredOwners, seen: _SeenRefs) -> list[dict[str, Any]]:
    sites = []
    for s_index, raw_site in enumerate(listed(raw.get("sites"))):
        s_path = f"{path}.sites[{s_index}]"
        site = _validate_site(check, raw_site, s_path, gazetteer)
        if site is None:
            continue
        seen.add("site", site["ref"], s_path)
        sites.append(site)
        owner = stored.site_owner.get(site["ref"])
        if owner is not None and owner != operator_ref:
            check.error(f"{s_path}.ref", f"site {site['ref']!r} belongs to operator {owner!r}")
    return sites


def _validate_courses(check: Checker, raw: dict[str, Any], operator: dict[str, Any], path: str,
                      stored: StoredOwners, seen: _SeenRefs) -> list[dict[str, Any]]:
    own_sites = {s["ref"] for s in operator["sites"]} | stored.sites_of.get(operator["ref"], set())
    named = repr(operator["ref"]) if operator["ref"] else shown(raw.get("ref"))
    courses = []
    for c_index, raw_course in enumerate(listed(raw.get("courses"))):
        c_path = f"{path}.courses[{c_index}]"
        course = _validate_course(check, raw_course, c_path)
        if course is None:
            continue
        seen.add("course", course["ref"], c_path)
        courses.append(course)
        owner = stored.course_owner.get(course["ref"])
        if owner is not None and owner != operator["ref"]:
            check.error(f"{c_path}.ref", f"course {course['ref']!r} belongs to operator {owner!r}")
        if course["site"] is not None and course["site"] not in own_sites:
            check.error(f"{c_path}.site", f"{course['site']!r} is not one of the sites of operator {named}")
    return courses


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
        "reception_languages": check.languages(raw, "reception_languages", path),
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
    _check_levels_and_period(check, course, path)
    course["entries"] = _validate_entries(check, raw.get("entries"), path)
    _check_entry_mode(check, course, path)
    return course


def _validate_entries(check: Checker, raw_entries: Any, path: str) -> list[dict[str, Any]]:
    if raw_entries is not None and not isinstance(raw_entries, list):
        check.error(f"{path}.entries", "must be a list")
        return []
    entries = [_validate_entry(check, raw_entry, f"{path}.entries[{e_index}]")
               for e_index, raw_entry in enumerate(raw_entries or [])]
    return sorted((e for e in entries if e is not None),
                  key=lambda e: (e["start"] or "", e["end"] or "9999", e["status"] or ""))


def _validate_entry(check: Checker, raw_entry: Any, path: str) -> dict[str, Any] | None:
    raw = check.obj(raw_entry, path, ENTRY_KEYS)
    if raw is None:
        return None
    entry = {
        "start": check.date(raw, "start", path, required=True),
        "end": check.date(raw, "end", path),
        "registration_deadline": check.date(raw, "registration_deadline", path),
        "status": check.code(raw, "status", path, codes.ENTRY_STATUSES, "an entry status", default="open"),
    }
    if entry["start"] and entry["end"] and entry["end"] < entry["start"]:
        check.error(f"{path}.end", "is before start")
    return entry


def _check_levels_and_period(check: Checker, course: dict[str, Any], path: str) -> None:
    low, high = course["level_min"], course["level_max"]
    if low and high and codes.level_rank(low) > codes.level_rank(high):
        check.error(f"{path}.level_min", f"{low!r} is above level_max {high!r}")
    if course["active_from"] and course["active_until"] and course["active_from"] > course["active_until"]:
        check.error(f"{path}.active_until", "is before active_from")


def _check_entry_mode(check: Checker, course: dict[str, Any], path: str) -> None:
    """Fixed entries, or a rolling period: not both."""
    if course["entry_mode"] == "rolling" and course["entries"]:
        check.error(f"{path}.entries", "a rolling course has no entries (use active_from/active_until)")
    if course["entry_mode"] == "fixed":
        for key in ("active_from", "active_until"):
            if course[key] is not None:
                check.error(f"{path}.{key}", "only a rolling course has an active period (use entries)")
