"""Routes of the public API: parse the parameters, call the search, render JSON."""
from __future__ import annotations

from flask import Response, jsonify, request
from flask_babel import gettext as _

from portal.api import bp
from portal.api.errors import api_error, filter_error_response
from portal.api.openapi import openapi_document
from portal.api.serializers import course_detail, course_item, geojson_feature
from portal.geo.gazetteer import get_gazetteer
from portal.offer import rules
from portal.permissions import public
from portal.search.filters import FilterError, InvalidFilters, language_error, parse_filters
from portal.search.queries import describe, find_visible_course, search_courses

# `lang` chooses the language of messages (api.md's codes); it is not a filter.
EXTRA_PARAMETERS = ("lang",)


@bp.after_request
def open_cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _search():
    error = language_error(request.args)
    if error:
        return None, filter_error_response(error)
    try:
        filters = parse_filters(request.args, get_gazetteer(), rules.today(),
                                extra_parameters=EXTRA_PARAMETERS)
    except InvalidFilters as exc:
        return None, filter_error_response(exc.first)
    return search_courses(filters, cards=True), None


@bp.get("/courses")
@public
def courses():
    results, error = _search()
    if error:
        return error
    return jsonify({
        "total": results.total, "page": results.filters.page, "per_page": results.filters.per_page,
        "items": [course_item(hit) for hit in results.hits],
    })


@bp.get("/courses.geojson")
@public
def courses_geojson():
    results, error = _search()
    if error:
        return error
    response = jsonify({
        "type": "FeatureCollection",
        "total": results.total, "page": results.filters.page, "per_page": results.filters.per_page,
        "features": [geojson_feature(hit) for hit in results.hits],
    })
    response.mimetype = "application/geo+json"
    return response


@bp.get("/courses/<ref>")
@public
def course(ref: str):
    unknown = set(request.args) - set(EXTRA_PARAMETERS)
    if unknown:
        name = sorted(unknown)[0]
        return filter_error_response(FilterError(name, _("Unknown parameter “%(name)s”.", name=name)))
    error = language_error(request.args)
    if error:
        return filter_error_response(error)
    today = rules.today()
    found = find_visible_course(ref, today)
    if found is None:
        return api_error(404, "not_found", _("No visible course has this reference."))
    return jsonify(course_detail(describe(found, today)))


@bp.get("/openapi.json")
@public
def openapi():
    return jsonify(openapi_document())
