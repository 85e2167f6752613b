"""The public pages: search (list and map), course page, embeddable search."""
from __future__ import annotations

from flask import Blueprint, abort, render_template

from portal.offer import rules
from portal.search.queries import describe, find_visible_course

bp = Blueprint("search", __name__)


@bp.get("/cours/<ref>")
def course(ref: str):
    today = rules.today()
    found = find_visible_course(ref, today)
    if found is None:
        abort(404)
    return render_template("search/course.html", hit=describe(found, today))
