"""JSON shapes of api.md, built from search hits."""
from __future__ import annotations

from typing import Any

from portal.offer.exchange import course_dict, json_number, site_dict
from portal.search.queries import CourseHit
from portal.urls import public_url_for


def site_json(site: Any) -> dict[str, Any]:
    return {"ref": site.ref, "locality": site.locality, "postal_code": site.postal_code,
            "nis_code": site.nis_code, "bassin_efe": site.bassin_efe, "lat": site.lat, "lon": site.lon,
            "reception_languages": site.reception_languages}


def course_item(hit: CourseHit) -> dict[str, Any]:
    """One search result, exactly the fields of api.md."""
    course = hit.course
    shown = getattr(course, "shown", None)  # a card's own fields, computed once (search.cards)
    if shown is None:
        shown = _own_fields(course)
        if hasattr(course, "shown"):
            course.shown = shown
    head, tail = shown
    following = hit.next_entry
    return {
        **head,
        "distance_km": hit.distance_km,
        "entry_mode": course.entry_mode,
        "next_entry": following.start.isoformat() if following else None,
        "next_entry_status": following.status if following else None,
        "next_entry_deadline": (following.registration_deadline.isoformat()
                                if following and following.registration_deadline else None),
        "entries_state": hit.entries_state,
        **tail,
        "stale": hit.stale,
    }


def _own_fields(course: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields of a result that depend on the course alone: those before distance_km, and
    those after entries_state (api.md's order)."""
    head = {
        "ref": course.ref,
        "url": public_url_for("search.course", ref=course.ref),
        "title": course.title, "kind": course.kind,
        "level_min": course.level_min_code, "level_max": course.level_max_code,
        "operator": {"ref": course.operator.ref, "name": course.operator.name},
        "site": site_json(course.site),
    }
    tail = {
        "parts_of_day": course.parts_of_day, "days": course.days,
        "cost_eur": json_number(course.cost_eur),
        "childcare": course.childcare, "job_oriented": course.job_oriented,
        "sectors": course.sectors,
        "confirmed_at": course.confirmed_at.isoformat(),
    }
    return head, tail


def course_detail(hit: CourseHit) -> dict[str, Any]:
    """One course: the exchange form plus the search fields; operator and site in full."""
    course = hit.course
    detail = course_dict(course)
    detail.update(course_item(hit))
    operator = course.operator
    detail["operator"] = {"ref": operator.ref, "name": operator.name, "kind": operator.kind,
                          "website": operator.website, "email": operator.email,
                          "phone": operator.phone, "description": operator.description}
    detail["site"] = {**site_dict(course.site), "nis_code": course.site.nis_code,
                      "commune": course.site.commune, "bassin_efe": course.site.bassin_efe}
    return detail


def geojson_feature(hit: CourseHit) -> dict[str, Any]:
    """A search result as a GeoJSON Point feature (lon, lat order)."""
    site = hit.course.site
    return {"type": "Feature", "id": hit.course.ref,
            "geometry": {"type": "Point", "coordinates": [site.lon, site.lat]},
            "properties": course_item(hit)}
