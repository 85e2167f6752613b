"""The public pages: search (list first, map as enhancement), course page, print view, embed."""
from __future__ import annotations

import dataclasses
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from portal.demand.recorder import note_search
from portal.geo.gazetteer import get_gazetteer
from portal.offer import codes, rules
from portal.permissions import public
from portal.search import forms, places
from portal.search.back import back_link, back_value, checked_back
from portal.search.filters import PARAMETERS, InvalidFilters, parse_filters
from portal.search.presenters import (
    chips_for,
    count_button_labels,
    course_json_ld,
    entry_rows,
    json_for_script,
    map_links,
)
from portal.search.queries import describe, find_visible_course, other_courses_nearby, search_courses
from portal.security import allow_framing
from portal.urls import public_url_for

bp = Blueprint("search", __name__)

# Page-only parameters: the language, the selection (portal.selection) and the guided route's
# short-lived marker (portal.guide.note); the rest are the API's.
PAGE_PARAMETERS = ("lang", "sel", "guide")
# Dropped by every link of the page: a changed search is no longer the guided route's.
SHORT_LIVED = ("page", "guide")


def _page_url(args: MultiDict, **changes: str | None) -> str:
    """This search with some parameters changed (None removes one); page resets unless given."""
    items = [(k, v) for k, v in args.items(multi=True) if k not in changes and k not in SHORT_LIVED and v != ""]
    for key, value in changes.items():
        if value is not None:
            items.append((key, value))
    endpoint = request.endpoint or "search.index"
    # The language and the selection are among the items already: url_for must not add them again.
    return url_for(endpoint, lang=None, sel=None) + ("?" + urlencode(items) if items else "")


def _geojson_url(args: MultiDict) -> str:
    """The map's data: this search's parameters (the language included), without paging."""
    items = [(k, v) for k, v in args.items(multi=True)
             if (k in PARAMETERS or k == "lang") and k not in ("page", "per_page")]
    return url_for("api.courses_geojson", lang=None) + ("?" + urlencode(items) if items else "")


def page_arguments(args: MultiDict) -> MultiDict:
    """The form always sends a distance (15 km preselected) and may keep "nearest first": without
    a place both mean nothing, so the page drops them instead of showing an error. The API keeps
    refusing them."""
    if (args.get("near") or "").strip():
        return args
    return MultiDict([(k, v) for k, v in args.items(multi=True)
                      if k != "radius_km" and not (k == "sort" and v == "distance")])


def _run_search(args: MultiDict):
    today = rules.today()
    args = page_arguments(args)
    first_visit = not any(name in args for name in PARAMETERS)
    values = forms.FormValues(args, first_visit)
    errors = {}
    results = nearest = None
    try:
        filters = parse_filters(args, get_gazetteer(), today, extra_parameters=PAGE_PARAMETERS)
    except InvalidFilters as exc:
        errors = {error.parameter: error for error in exc.errors}
        filters = None
    if filters is not None:
        results = search_courses(filters)
        if results.total == 0 and filters.place is not None and filters.radius_km is not None:
            # Rural users: never a dead end. Offer the nearest courses beyond the radius.
            nearest = search_courses(dataclasses.replace(filters, radius_km=None, sort="distance",
                                                         page=1, per_page=5))
    return today, values, filters, results, nearest, errors


def _render_search(template: str, **extra):
    today, values, filters, results, nearest, errors = _run_search(request.args)
    if not values.first_visit:
        note_search(filters, results, nearest)  # the unmet demand's anonymous count
    status = 400 if errors else 200
    return render_template(
        template, today=today, values=values, filters=filters, results=results, nearest=nearest,
        errors=errors, chips=chips_for(filters, request.args, _page_url) if filters else [],
        page_url=lambda **changes: _page_url(request.args, **changes),
        start_choices=forms.start_choices(today, values.get("start_until")),
        bassins=get_gazetteer().bassins, forms=forms, codes=codes,
        geojson_url=_geojson_url(request.args),
        back=back_value(page_arguments(request.args).items(multi=True)),
        count_url=url_for("api.courses", lang=None), count_labels=count_button_labels(),
        **extra,
    ), status


@bp.get("/")
@public
def index():
    return _render_search("search/index.html")


@bp.get("/lieu-proche")
@public
def position():
    """"Use my position": the nearest locality of a position, as JSON (nothing is stored; the
    position is used to 0.01°). A bad coordinate is a 400 naming it, like the API's errors."""
    lat = places.coordinate(request.args.get("lat"), 90)
    lon = places.coordinate(request.args.get("lon"), 180)
    for name, value in (("lat", lat), ("lon", lon)):
        if value is None:
            return jsonify({"error": {"code": "invalid_parameter", "parameter": name, "message": _(
                "Latitude must be between -90 and 90, longitude between -180 and 180.")}}), 400
    answer = places.position_answer(get_gazetteer(), lat, lon, lambda near: url_for("search.index", near=near))
    response = jsonify(answer)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/embed")
@public
def embed():
    body, status = _render_search("search/embed.html", full_url=public_url_for(
        "search.index", lang=None) + ("?" + request.query_string.decode() if request.query_string else ""))
    response = Response(body, status=status)
    # Bassins, CRI and operators show this page in an iframe on their own sites (security.py:
    # the surface "embed").
    allow_framing()
    return response


def _course_context(ref: str) -> dict:
    today = rules.today()
    found = find_visible_course(ref, today)
    if found is None:
        abort(404)
    hit = describe(found, today)
    course_url = public_url_for("search.course", ref=ref)
    back = checked_back(request.args.get("back"))
    return {
        "hit": hit, "course": found, "today": today, "forms": forms,
        "entries": entry_rows(found, today),
        "others": other_courses_nearby(found, today),
        "course_url": course_url, "json_ld": json_for_script(course_json_ld(hit, course_url)),
        "back": back, "back_url": back_link(back), "map_links": map_links(found.site, found.operator),
    }


@bp.get("/cours/<ref>")
@public
def course(ref: str):
    return render_template("search/course.html", **_course_context(ref))


@bp.get("/cours/<ref>/imprimer")
@public
def course_print(ref: str):
    return render_template("search/course_print.html", **_course_context(ref))
