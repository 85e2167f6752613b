"""The cadastre's public page: the coverage of the offer in Wallonia or one area, in French, Dutch,
German and English (the workspace's languages: this blueprint is not among i18n's public ones).
The coordinators' page with the operators is portal/workspace/cadastre."""
from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, Response, abort, render_template, request

from portal.cadastre.areas import WHOLE_REGION, all_areas, asked_area
from portal.cadastre.coverage import kept_area_totals, kept_calendar, kept_coverage
from portal.cadastre.gap_map import BANDS, COLOURS, map_script
from portal.cadastre.gap_page import read_form, with_next_entries
from portal.cadastre.gaps import gap_table
from portal.demand.queries import PUBLIC_MINIMUM, unmet_demand
from portal.geo.gazetteer import get_gazetteer
from portal.offer import rules
from portal.permissions import public

bp = Blueprint("cadastre", __name__)


@bp.get("/cadastre")
@public
def summary():
    areas = all_areas()
    area = asked_area(request.args.get("area"), WHOLE_REGION)
    today = rules.today()
    if area is None:  # an area the selector does not offer: said beside it
        return render_template("cadastre/summary.html", areas=areas, area=None, coverage=None, totals=None,
                               asked=request.args.get("area"), today=today), 400
    return render_template("cadastre/summary.html", areas=areas, area=area, coverage=kept_coverage(area, today),
                           totals=kept_area_totals(areas, today), today=today, calendar=kept_calendar(area, today),
                           unmet=unmet_demand(today, bassin=area.bassin_efe, minimum=PUBLIC_MINIMUM),
                           unmet_minimum=PUBLIC_MINIMUM)


def _gap_form():
    """The gap page's form and the request's date."""
    today = rules.today()
    return read_form(request.args, get_gazetteer(), today), today


@bp.get("/cadastre/ecarts")
@public
def gaps():
    form, today = _gap_form()
    rows = table = None
    if form.query is not None:
        table = gap_table(form.query, get_gazetteer(), today)
        rows = with_next_entries(table.communes, today)
    map_args = {**request.args.to_dict(), "km": None}
    return render_template("cadastre/gaps.html", form=form, areas=all_areas(), table=table, rows=rows,
                           today=today, map_args=map_args, bands=BANDS, colours=COLOURS,
                           # What was asked: the form's valid question, and the table's.
                           asked=form.query, gap=table.query if table else None), 400 if form.errors else 200


@bp.get("/cadastre/ecarts/carte.js")
@public
def gap_map_script():
    """The choropleth's script, for the page's parameters (every commune of the area)."""
    form, today = _gap_form()
    if form.query is None:
        abort(400)
    table = gap_table(replace(form.query, min_km=None), get_gazetteer(), today)
    return Response(map_script(table.communes), mimetype="text/javascript")
