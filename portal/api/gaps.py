"""The cadastre's gap table in the public API (api.md): JSON and CSV, the same rows."""
from __future__ import annotations

import csv
import io
from typing import Any

from flask import Response, jsonify, request

from portal.api import bp
from portal.api.errors import filter_error_response
from portal.cadastre.gap_parameters import parse_gap_query
from portal.cadastre.gaps import CommuneGap, GapTable, gap_table
from portal.geo.gazetteer import get_gazetteer
from portal.offer import rules
from portal.offer.exchange import json_number
from portal.permissions import public
from portal.search.filters import InvalidFilters, language_error

CSV_COLUMNS = ("nis_code", "name", "bassin", "population", "nearest_km", "nearest_course")


def _table() -> tuple[GapTable | None, Any]:
    """The gap table of the request's parameters, or the error response of the first bad one."""
    error = language_error(request.args)
    if error:
        return None, filter_error_response(error)
    today = rules.today()
    try:
        query = parse_gap_query(request.args, get_gazetteer(), today)
    except InvalidFilters as exc:
        return None, filter_error_response(exc.first)
    return gap_table(query, get_gazetteer(), today), None


def commune_row(gap: CommuneGap) -> dict[str, Any]:
    """One commune as api.md lists it."""
    commune = gap.commune
    return {"nis_code": commune.nis_code, "name": commune.name, "bassin": commune.bassin_efe,
            "population": commune.population, "nearest_km": gap.nearest_km, "nearest_course": gap.nearest_course}


@bp.get("/cadastre/gaps")
@public
def gaps():
    table, error = _table()
    if error:
        return error
    query = table.query
    return jsonify({
        "kind": list(query.kinds), "level": query.level, "bassin": query.bassin,
        "min_km": json_number(query.min_km), "courses_considered": table.courses_considered,
        "communes": [commune_row(gap) for gap in table.communes], "population": table.population,
    })


@bp.get("/cadastre/gaps.csv")
@public
def gaps_csv():
    table, error = _table()
    if error:
        return error
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    # csv writes None as an empty cell.
    writer.writerows(commune_row(gap) for gap in table.communes)
    name = "-".join(["gaps", *table.query.kinds, *filter(None, [table.query.level])])
    return Response(out.getvalue().encode("utf-8"), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{name}.csv"'})
