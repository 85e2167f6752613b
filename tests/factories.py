"""Builders of ``passerelle-offer/1`` documents: tests load offers through the real import.

``course(**overrides)`` gives a valid published course at site "site-namur" of operator "op-a";
``document(...)`` wraps operators; ``load(doc)`` imports it (today fixed by the app config).
"""
from __future__ import annotations

import copy
import itertools
from typing import Any

from portal.geo.gazetteer import get_gazetteer
from portal.offer import rules
from portal.offer.services import ImportSummary, import_offer

_counter = itertools.count(1)


def site(ref: str = "site-namur", postal_code: str = "5000", locality: str | None = "Namur",
         **overrides: Any) -> dict[str, Any]:
    data = {"ref": ref, "name": "Centre", "street": "Rue de Fer 1", "postal_code": postal_code,
            "locality": locality, "wheelchair_accessible": True, "transit_note": "Bus 4"}
    data.update(overrides)
    return data


def course(ref: str | None = None, site_ref: str = "site-namur", **overrides: Any) -> dict[str, Any]:
    data = {
        "ref": ref or f"course-{next(_counter)}", "site": site_ref,
        "title": "Français oral débutant", "kind": "fle", "level_min": "A1", "level_max": "A2",
        "level_note": None, "registration": "direct", "registration_note": None,
        "job_oriented": False, "sectors": [], "prepares_for": [], "description": "Parler au quotidien.",
        "days": ["mon", "thu"], "parts_of_day": ["morning"], "hours_per_week": 9, "cost_eur": 0,
        "childcare": False, "audiences": ["all"], "requires_job_seeker_registration": False,
        "requires_valid_residence_permit": False, "entry_test": False,
        "entry_mode": "rolling", "entries": [], "active_from": None, "active_until": None,
        "confirmed_at": "2026-11-01", "status": "published",
    }
    data.update(overrides)
    return data


def operator(ref: str = "op-a", name: str = "Opérateur A (test)", sites: list | None = None,
             courses: list | None = None, **overrides: Any) -> dict[str, Any]:
    data = {"ref": ref, "name": name, "kind": "asbl", "website": "https://a.example.org",
            "email": "info@a.example.org", "phone": "+32 81 00 00 00", "description": None,
            "sites": [site()] if sites is None else sites, "courses": courses or []}
    data.update(overrides)
    return data


def document(*operators: dict[str, Any]) -> dict[str, Any]:
    return {"format": "passerelle-offer/1", "operators": list(copy.deepcopy(operators))}


def load(doc: dict[str, Any]) -> ImportSummary:
    """Import ``doc`` through the real import (inside an app context)."""
    return import_offer(doc, get_gazetteer(), rules.today())


def load_courses(*courses: dict[str, Any], sites: list | None = None) -> ImportSummary:
    """Shortcut: one operator "op-a" with ``sites`` (default: Namur) and these courses."""
    return load(document(operator(sites=sites, courses=list(courses))))
