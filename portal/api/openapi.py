"""The OpenAPI 3.1 description of the public API, served at /api/v1/openapi.json."""
from __future__ import annotations

from typing import Any

from portal.offer import codes, rules
from portal.search.filters import (
    DEFAULT_PER_PAGE,
    LANGUAGE_CODES,
    MAX_PER_PAGE,
    MAX_Q_LENGTH,
    MAX_Q_WORDS,
    SORTS,
)
from portal.urls import public_url_for


def _codes(values: tuple[str, ...]) -> dict[str, Any]:
    return {"type": "string", "enum": list(values)}


# Query parameters as the parser reads them (portal.search.filters): spaces around a value are
# ignored, and an empty value is the same as no parameter. (Codes hold only letters, digits, "_"
# and "-": nothing to escape in a pattern.)
def _any_case(code: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in code)


def _one_code(values: tuple[str, ...], any_case: bool = False) -> dict[str, Any]:
    alternatives = "|".join(_any_case(v) if any_case else v for v in values)
    return {"type": "string", "pattern": rf"^\s*(?:(?:{alternatives})\s*)?$"}


def _comma_list(values: tuple[str, ...]) -> dict[str, Any]:
    item = rf"(?:(?:{'|'.join(values)})\s*)?"
    return {"type": "string", "pattern": rf"^\s*{item}(?:,\s*{item})*$"}


def _or_empty(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "string", "maxLength": 0}]}


_FLAG = _one_code(("1", "true", "on", "yes", "0", "false", "off", "no"), any_case=True)
_DATE = _or_empty({"type": "string", "format": "date"})

SEARCH_PARAMETERS: list[tuple[str, dict[str, Any], str]] = [
    ("kind", _comma_list(codes.COURSE_KINDS), "Course kinds, comma-separated for several."),
    ("level", _one_code(codes.LEVELS, any_case=True), "Courses whose level range contains this level."),
    ("near", {"type": "string"}, "Reference point: `lat,lon`, a 4-digit postal code (`B-5000` too), a 5-digit "
     "commune NIS code (or a commune or locality name, in French, German, Dutch or English, or a main town in "
     "Arabic, Cyrillic or Ge'ez letters). A place we do not know is a 400 `unknown_place`, with close names "
     "in `choices` when there are some (`Charleroy` → `Charleroi`); so is a place outside Wallonia "
     "(Brussels, Flanders, another country), with a message saying so."),
    ("radius_km", _or_empty({"type": "number", "exclusiveMinimum": 0, "maximum": 1000}),
     "With `near`: courses at most this far (inclusive, on the distance rounded to 0.1 km). A decimal "
     "comma is read too (`2,5`). Needs a non-empty `near`: without one it is a 400 naming `radius_km`."),
    ("start_from", _DATE, "Courses one can start on or after this day (default today)."),
    ("start_until", _DATE, "Courses one can start on or before this day. Before `start_from` (or today "
     "when `start_from` is not given) it is a 400 naming `start_until`."),
    ("part_of_day", _comma_list(codes.PARTS_OF_DAY), "Any of these parts of the day."),
    ("day", _comma_list(codes.DAYS), "Any of these days."),
    ("free", _FLAG, "`1`: free courses only (also `true`, `on`, `yes`; `0`, `false`, `off`, `no`: no filter)."),
    ("childcare", _FLAG, "`1`: courses with childcare only."),
    ("job_oriented", _FLAG, "`1`: job-oriented courses only."),
    ("sector", _one_code(codes.SECTORS), "Courses oriented towards this sector."),
    ("audience", _one_code(codes.AUDIENCES), "Courses open to this audience (courses for `all` always are)."),
    ("bassin", {"type": "string"}, "A bassin EFE name, as in the gazetteer (accents and case ignored); "
     "another name is a 400 naming `bassin`."),
    ("q", {"type": "string", "maxLength": MAX_Q_LENGTH, "pattern": rf"^\s*(?:\S+\s*){{0,{MAX_Q_WORDS}}}$"},
     f"Every word must occur (accent- and case-insensitive) in the title, description, operator name or "
     f"locality. At most {MAX_Q_WORDS} words (as separated by spaces once accents are removed) and "
     f"{MAX_Q_LENGTH} characters."),
    ("sort", _one_code(SORTS), "`distance` (default with `near`; needs a non-empty `near`, else a 400 naming "
     "`sort`), `next_entry` (default otherwise), `title`."),
    ("page", _or_empty({"type": "integer", "minimum": 1, "maximum": 100000, "default": 1}), "1-based page."),
    ("per_page", _or_empty({"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE}),
     "Page size."),
    ("lang", {"type": "string", "enum": [*LANGUAGE_CODES, ""]},
     "Language of messages (else Accept-Language, else French). Messages are in French or English for now: "
     "the other languages answer in French. Another value is a 400 naming `lang`."),
]

_SEARCH = {name: (schema, text) for name, schema, text in SEARCH_PARAMETERS}
# The gap table's parameters (portal.cadastre.gap_parameters): kind is required, hence at least
# one code in the list; level, bassin and lang as in the search.
_KIND = "|".join(codes.COURSE_KINDS)
GAP_PARAMETERS: list[tuple[str, dict[str, Any], str]] = [
    ("kind", {"type": "string", "pattern": rf"^\s*(?:,\s*)*(?:{_KIND})\s*(?:,\s*(?:(?:{_KIND})\s*)?)*$"},
     "Required: the kinds of the courses considered, comma-separated for several (the parameter may also be "
     "repeated)."),
    ("level", _SEARCH["level"][0], "Courses whose level range contains this level."),
    ("bassin", _SEARCH["bassin"][0], "Only the communes of this area are listed (courses anywhere count): a "
     "bassin EFE name or `Communauté germanophone`, as in the gazetteer (accents and case ignored); another "
     "name is a 400 naming `bassin`."),
    ("min_km", _or_empty({"type": "number", "minimum": 0}),
     "Only the communes whose nearest course is farther than this, strictly, on the distance rounded to "
     "0.1 km. A decimal comma is read too (`2,5`); a number too large to be finite (`1e400`) is a 400 "
     "naming `min_km`. Ignored when no course is considered (every commune is then listed)."),
    ("lang", *_SEARCH["lang"]),
]
_NULLABLE_NUMBER = {"type": ["number", "null"]}
_GAP_TABLE = {
    "type": "object",
    "required": ["kind", "level", "bassin", "min_km", "courses_considered", "communes", "population"],
    "properties": {
        "kind": {"type": "array", "items": _codes(codes.COURSE_KINDS)},
        "level": {"type": ["string", "null"], "enum": [*codes.LEVELS, None]},
        "bassin": {"type": ["string", "null"]}, "min_km": _NULLABLE_NUMBER,
        "courses_considered": {"type": "integer"},
        "communes": {"type": "array", "maxItems": 261, "items": {
            "type": "object",
            "required": ["nis_code", "name", "bassin", "population", "nearest_km", "nearest_course"],
            "properties": {"nis_code": {"type": "string"}, "name": {"type": "string"},
                           "bassin": {"type": "string"}, "population": {"type": "integer"},
                           "nearest_km": _NULLABLE_NUMBER, "nearest_course": {"type": ["string", "null"]}}}},
        "population": {"type": "integer"},
    },
}


def _gap_paths(bad_request: dict[str, Any], unavailable: dict[str, Any]) -> dict[str, Any]:
    parameters = [{"name": name, "in": "query", "required": name == "kind", "schema": schema, "description": text}
                  for name, schema, text in GAP_PARAMETERS]
    errors = {"400": bad_request, "503": unavailable}
    return {
        "/cadastre/gaps": {"get": {
            "summary": "Distance from every commune to its nearest course of some kinds and a level",
            "operationId": "gapTable", "parameters": parameters,
            "responses": {"200": {"description": "Communes farthest first, then by NIS code.", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/GapTable"}}}}, **errors}}},
        "/cadastre/gaps.csv": {"get": {
            "summary": "The gap table as CSV", "operationId": "gapTableCSV", "parameters": parameters,
            "responses": {"200": {"description": "UTF-8 without BOM; header nis_code,name,bassin,population,"
                                                 "nearest_km,nearest_course; null as an empty cell.",
                                  "content": {"text/csv": {"schema": {"type": "string"}}}}, **errors}}},
    }


_ITEM_REF = {"$ref": "#/components/schemas/CourseItem"}
_NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
_COURSE_ITEM = {
    "type": "object",
    "required": ["ref", "url", "title", "kind", "level_min", "level_max", "operator", "site",
                 "distance_km", "entry_mode", "next_entry", "next_entry_status", "next_entry_deadline",
                 "entries_state", "parts_of_day",
                 "days", "cost_eur", "childcare", "job_oriented", "sectors", "confirmed_at", "stale"],
    "properties": {
        "ref": {"type": "string"}, "url": {"type": "string", "format": "uri"},
        "title": {"type": "string"}, "kind": _codes(codes.COURSE_KINDS),
        "level_min": _codes(codes.LEVELS), "level_max": _codes(codes.LEVELS),
        "operator": {"type": "object", "properties": {"ref": {"type": "string"}, "name": {"type": "string"}}},
        "site": {"type": "object", "properties": {
            "ref": {"type": "string"}, "locality": {"type": "string"}, "postal_code": {"type": "string"},
            "nis_code": {"type": "string"}, "bassin_efe": {"type": "string"},
            "lat": {"type": "number"}, "lon": {"type": "number"},
            "reception_languages": {"type": "array", "items": {"type": "string", "pattern": "^[a-z]{2}$"},
                                    "description": "The languages the site's reception desk speaks: ISO 639-1 "
                                                   "codes, as the operator listed them (French goes without "
                                                   "saying: listed only when listed)."}}},
        "distance_km": {"type": ["number", "null"]},
        "entry_mode": _codes(codes.ENTRY_MODES),
        "next_entry": _NULLABLE_DATE,
        "next_entry_status": {"type": ["string", "null"], "enum": ["open", "waiting_list", None]},
        "next_entry_deadline": _NULLABLE_DATE,
        "entries_state": {**_codes(rules.ENTRIES_STATES), "description": (
            "What a person can do now: `joinable` (there is a next entry), `registration_closed` (the "
            "deadlines of every upcoming entry not full have passed), `full`, or `none`.")},
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
        "code": {"type": "string", "enum": ["invalid_parameter", "unknown_place", "not_found",
                                             "method_not_allowed", "unavailable"]},
        "parameter": {"type": "string"}, "message": {"type": "string"},
        "choices": {"type": "array", "items": {"type": "string"}}}}},
}


def openapi_document() -> dict[str, Any]:
    """The API description; parameters come from the same lists the parser uses."""
    parameters = [{"name": name, "in": "query", "required": False, "schema": schema, "description": text}
                  for name, schema, text in SEARCH_PARAMETERS]
    error_body = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    bad_request = {"description": "A bad parameter, named in the body.", "content": error_body}
    unavailable = {"description": "The database is unreachable, or the query ran past the service's time "
                                  "limit: try again after Retry-After seconds.",
                   "headers": {"Retry-After": {"schema": {"type": "integer"}}}, "content": error_body}
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
                    "400": bad_request, "503": unavailable}}},
            "/courses.geojson": {"get": {
                "summary": "Search courses as GeoJSON", "operationId": "searchCoursesGeoJSON",
                "parameters": parameters,
                "responses": {
                    "200": {"description": "A FeatureCollection of Point features; properties as CourseItem.",
                            "content": {"application/geo+json": {"schema": {"type": "object"}}}},
                    "400": bad_request, "503": unavailable}}},
            "/courses/{ref}": {"get": {
                "summary": "One visible course", "operationId": "getCourse",
                "parameters": [{"name": "ref", "in": "path", "required": True, "schema": {"type": "string"}},
                               parameters[-1]],
                "responses": {
                    "200": {"description": "The course in exchange form plus the search fields.",
                            "content": {"application/json": {"schema": {"type": "object"}}}},
                    "400": bad_request,
                    "404": {"description": "Unknown or not visible.", "content": error_body},
                    "503": unavailable}}},
            **_gap_paths(bad_request, unavailable),
        },
        "components": {"schemas": {"CourseItem": _COURSE_ITEM, "GapTable": _GAP_TABLE, "Error": _ERROR}},
    }
