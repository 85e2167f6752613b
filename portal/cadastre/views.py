"""The cadastre's public page: the coverage of the offer in Wallonia or one area, in French, Dutch,
German and English (the workspace's languages: this blueprint is not among i18n's public ones).
The coordinators' page with the operators is portal/workspace/cadastre."""
from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_babel import gettext as _

from portal.cadastre.areas import WHOLE_REGION, Area, all_areas, asked_area
from portal.cadastre.exports import download, file_name
from portal.cadastre.figures import public_figures
from portal.cadastre.gap_map import BANDS, COLOURS, map_script
from portal.cadastre.gap_page import read_form, with_next_entries
from portal.cadastre.gaps import kept_gap_table
from portal.cadastre.referrals import COLUMNS as REFERRAL_COLUMNS
from portal.cadastre.report import MAP_LABEL, read_report_form, report_gaps
from portal.cadastre.tables import area_tables, gaps_table
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
    return render_template("cadastre/summary.html", areas=areas, **public_figures(area, today).context())


class Refused(Exception):
    """A download whose parameters are wrong: a 400 page that says which and why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@bp.errorhandler(Refused)
def refused(exc: Refused):
    return render_template("errors/error.html", heading=_("This file cannot be made"), message=exc.message), 400


def _asked_area() -> Area:
    """The area of a download's ``area`` (Wallonia when none); an unknown one is refused."""
    area = asked_area(request.args.get("area"), WHOLE_REGION)
    if area is None:
        raise Refused(_("“%(value)s” is not an area of the cadastre. Choose one in the list.",
                        value=request.args.get("area")))
    return area


def report_page(base: str, action: str, figures_of) -> tuple[str, int]:
    """The report of the request's area and gap question; ``figures_of(area, today)`` gives the
    figures (the public ones or the coordinators')."""
    today = rules.today()
    form = read_report_form(request.args, get_gazetteer(), today)
    context = {"base": base, "action": action, "form": form, "areas": all_areas(), "bands": BANDS,
               "map_label": MAP_LABEL, "referral_columns": REFERRAL_COLUMNS,
               "portal_url": current_app.config["PUBLIC_URL"]}
    if form.area is None:
        return render_template("cadastre/report.html", area=None, coverage=None, gaps=None, today=today,
                               **context), 400
    return render_template("cadastre/report.html", gaps=report_gaps(form, get_gazetteer(), today),
                           **context, **figures_of(form.area, today).context()), 400 if form.errors else 200


@bp.get("/cadastre/rapport")
@public
def report():
    """The public figures of one area on a few A4 pages, with the gap map."""
    return report_page("base.html", "cadastre.report", public_figures)


@bp.get("/cadastre/tableaux/<name>.<any(csv, xlsx):fmt>")
@public
def table_file(name: str, fmt: str):
    """One table of the area's page as CSV or XLSX."""
    area, today = _asked_area(), rules.today()
    tables = area_tables(public_figures(area, today))
    if name not in tables:
        abort(404)
    return download([tables[name]], fmt, file_name(name, area.key, today.isoformat()), today)


@bp.get("/cadastre/tableaux.xlsx")
@public
def tables_file():
    """Every table of the area's page in one workbook."""
    area, today = _asked_area(), rules.today()
    tables = area_tables(public_figures(area, today))
    return download(list(tables.values()), "xlsx", file_name("cadastre", area.key, today.isoformat()), today)


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
        table = kept_gap_table(form.query, get_gazetteer(), today)
        rows = with_next_entries(table.communes, today)
    map_args = {**request.args.to_dict(), "km": None}
    file_args = {name: form.values[name] or None for name in ("kind", "level", "area", "km")}
    return render_template("cadastre/gaps.html", form=form, areas=all_areas(), table=table, rows=rows,
                           today=today, map_args=map_args, bands=BANDS, colours=COLOURS, file_args=file_args,
                           # What was asked: the form's valid question, and the table's.
                           asked=form.query, gap=table.query if table else None), 400 if form.errors else 200


@bp.get("/cadastre/ecarts/carte.js")
@public
def gap_map_script():
    """The choropleth's script, for the page's parameters (every commune of the area)."""
    form, today = _gap_form()
    if form.query is None:
        abort(400)
    table = kept_gap_table(replace(form.query, min_km=None), get_gazetteer(), today)
    return Response(map_script(table.communes), mimetype="text/javascript")


@bp.get("/cadastre/ecarts/tableau.<any(csv, xlsx):fmt>")
@public
def gap_table_file(fmt: str):
    """The gap page's table (the communes beyond the distance) as CSV or XLSX."""
    form, today = _gap_form()
    if form.query is None:
        raise Refused(" ".join(form.errors.values()) or _("Choose a kind of course."))
    table = kept_gap_table(form.query, get_gazetteer(), today)
    rows = with_next_entries(table.communes, today)
    what = gaps_table(rows, table.query, str(form.area.name))
    return download([what], fmt, file_name("gaps", *table.query.kinds, table.query.level or "", form.area.key,
                                           today.isoformat()), today)
