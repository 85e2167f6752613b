"""The OpenAPI 3.1 description of the public API, served at /api/v1/openapi.json."""
from __future__ import annotations

from typing import Any

from portal.offer import codes
from portal.search.filters import MAX_PER_PAGE, SORTS
from portal.urls import public_url_for


def _codes(values: tuple[str, ...]) -> dict[str, Any]:
    return {"type": "string", "enum": list(values)}


def _comma_list(values: tuple[str, ...]) -> dict[str, Any]:
    return {"type": "string", "pattern": "^(" + "|".join(values) + ")(,(" + "|".join(values) + "))*$"}


_FLAG = {"type": "string", "enum": ["1", "0"]}
_DATE = {"type": "string", "format": "date"}

SEARCH_PARAMETERS: list[tuple[str, dict[str, Any], str]] = [
    ("kind", _comma_list(codes.COURSE_KINDS), "Course kinds, comma-separated for several."),
    ("level", _codes(codes.LEVELS), "Courses whose level range contains this level."),
    ("near", {"type": "string"}, "Reference point: `lat,lon`, a 4-digit postal code, a 5-digit "
     "commune NIS code (or a commune or locality name)."),
    ("radius_km", {"type": "number", "exclusiveMinimum": 0, "maximum": 1000},
     "With `near`: courses at most this far (inclusive, on the distance rounded to 0.1 km)."),
    ("start_from", _DATE, "Courses one can start on or after this day (default today)."),
    ("start_until", _DATE, "Courses one can start on or before this day."),
    ("part_of_day", _comma_list(codes.PARTS_OF_DAY), "Any of these parts of the day."),
    ("day", _comma_list(codes.DAYS), "Any of these days."),
    ("free", _FLAG, "`1`: free courses only."),
    ("childcare", _FLAG, "`1`: courses with childcare only."),
    ("job_oriented", _FLAG, "`1`: job-oriented courses only."),
    ("sector", _codes(codes.SECTORS), "Courses oriented towards this sector."),
    ("audience", _codes(codes.AUDIENCES), "Courses open to this audience (courses for `all` always are)."),
    ("bassin", {"type": "string"}, "A bassin EFE name, as in the gazetteer."),
    ("q", {"type": "string", "maxLength": 200}, "Every word must occur (accent- and case-insensitive) "
     "in the title, description, operator name or locality."),
    ("sort", _codes(SORTS), "`distance` (default with `near`), `next_entry` (default otherwise), `title`."),
    ("page", {"type": "integer", "minimum": 1, "default": 1}, "1-based page."),
    ("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 20}, "Page size."),
    ("lang", _codes(("fr", "en")), "Language of error messages (else Accept-Language, else French)."),
]

_ITEM_REF = {"$ref": "#/components/schemas/CourseItem"}
_NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
_COURSE_ITEM = {
    "type": "object",
    "required": ["ref", "url", "title", "kind", "level_min", "level_max", "operator", "site",
                 "distance_km", "entry_mode", "next_entry", "next_entry_status", "parts_of_day",
                 "days", "cost_eur", "childcare", "job_oriented", "sectors", "confirmed_at", "stale"],
    "properties": {
        "ref": {"type": "string"}, "url": {"type": "string", "format": "uri"},
        "title": {"type": "string"}, "kind": _codes(codes.COURSE_KINDS),
        "level_min": _codes(codes.LEVELS), "level_max": _codes(codes.LEVELS),
        "operator": {"type": "object", "properties": {"ref": {"type": "string"}, "name": {"type": "string"}}},
        "site": {"type": "object", "properties": {
            "ref": {"type": "string"}, "locality": {"type": "string"}, "postal_code": {"type": "string"},
            "nis_code": {"type": "string"}, "bassin_efe": {"type": "string"},
            "lat": {"type": "number"}, "lon": {"type": "number"}}},
        "distance_km": {"type": ["number", "null"]},
        "entry_mode": _codes(codes.ENTRY_MODES),
        "next_entry": _NULLABLE_DATE,
        "next_entry_status": {"type": ["string", "null"], "enum": ["open", "waiting_list", None]},
        "parts_of_day": {"type": "array", "items": _codes(codes.PARTS_OF_DAY)},
        "days": {"type": "array", "items": _codes(codes.DAYS)},
        "cost_eur": {"type": "number"}, "childcare": {"type": "boolean"},
        "job_oriented": {"type": "boolean"},
        "sectors": {"type": "array", "items": _codes(codes.SECTORS)},
        "confirmed_at": {"type": "string", "format": "date"}, "stale": {"type": "boolean"},
    },
}
_ERROR = {
    "type": "object",
    "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "string", "enum": ["invalid_parameter", "unknown_place", "not_found"]},
        "parameter": {"type": "string"}, "message": {"type": "string"},
        "choices": {"type": "array", "items": {"type": "string"}}}}},
}


def openapi_document() -> dict[str, Any]:
    """The API description; parameters come from the same lists the parser uses."""
    parameters = [{"name": name, "in": "query", "required": False, "schema": schema, "description": text}
                  for name, schema, text in SEARCH_PARAMETERS]
    bad_request = {"description": "A bad parameter, named in the body.",
                   "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Passerelle public API", "version": "1",
                 "description": "Adult French courses (Alpha, FLE, RAN) in Wallonia. Read-only, "
                                "no authentication, CORS-open."},
        "servers": [{"url": public_url_for("api.courses").rsplit("/courses", 1)[0]}],
        "paths": {
            "/courses": {"get": {
                "summary": "Search courses", "operationId": "searchCourses", "parameters": parameters,
                "responses": {
                    "200": {"description": "One page of results.", "content": {"application/json": {
                        "schema": {"type": "object", "required": ["total", "page", "per_page", "items"],
                                   "properties": {"total": {"type": "integer"}, "page": {"type": "integer"},
                                                  "per_page": {"type": "integer"},
                                                  "items": {"type": "array", "items": _ITEM_REF}}}}}},
                    "400": bad_request}}},
            "/courses.geojson": {"get": {
                "summary": "Search courses as GeoJSON", "operationId": "searchCoursesGeoJSON",
                "parameters": parameters,
                "responses": {
                    "200": {"description": "A FeatureCollection of Point features; properties as CourseItem.",
                            "content": {"application/geo+json": {"schema": {"type": "object"}}}},
                    "400": bad_request}}},
            "/courses/{ref}": {"get": {
                "summary": "One visible course", "operationId": "getCourse",
                "parameters": [{"name": "ref", "in": "path", "required": True, "schema": {"type": "string"}},
                               parameters[-1]],
                "responses": {
                    "200": {"description": "The course in exchange form plus the search fields.",
                            "content": {"application/json": {"schema": {"type": "object"}}}},
                    "400": bad_request,
                    "404": {"description": "Unknown or not visible.",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}},
        },
        "components": {"schemas": {"CourseItem": _COURSE_ITEM, "Error": _ERROR}},
    }
