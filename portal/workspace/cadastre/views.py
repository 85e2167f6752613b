"""The coordinators' cadastre: any area's coverage (their own bassin first), and for the areas they
answer for (``view_cadastre_operators``) the operators and how fresh their data is; each table also
as CSV or XLSX, and all of them in one workbook."""
from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from portal.cadastre.areas import WHOLE_REGION, Area, all_areas, area_named, asked_area
from portal.cadastre.exports import download, file_name
from portal.cadastre.figures import AreaFigures, coordinator_figures
from portal.cadastre.referrals import COLUMNS as REFERRAL_COLUMNS
from portal.cadastre.tables import area_tables
from portal.cadastre.views import Refused, refused, report_page
from portal.offer import rules
from portal.permissions import may, require, signed_in
from portal.workspace import bp

bp.register_error_handler(Refused, refused)


def _own_area() -> Area | None:
    return area_named(current_user.bassin_efe) if current_user.bassin_efe else None


def _figures(area: Area) -> AreaFigures:
    return coordinator_figures(area, rules.today(), may(current_user, "view_cadastre_operators", area))


@bp.get("/cadastre")
@signed_in
def cadastre():
    require("view_cadastre")
    areas = all_areas()
    own = _own_area()
    area = asked_area(request.args.get("area"), own or WHOLE_REGION)
    today = rules.today()
    if area is None:
        return render_template("workspace/cadastre.html", areas=areas, area=None, coverage=None, totals=None,
                               operators=None, asked=request.args.get("area"), today=today), 400
    return render_template("workspace/cadastre.html", areas=areas, own=own, referral_columns=REFERRAL_COLUMNS,
                           **_figures(area).context())


@bp.get("/cadastre/rapport")
@signed_in
def cadastre_report():
    """The coordinators' figures of one area on a few A4 pages, with the gap map."""
    require("view_cadastre")
    return report_page("workspace/base.html", "workspace.cadastre_report",
                       lambda area, today: _figures(area))


def _asked_area() -> Area:
    area = asked_area(request.args.get("area"), _own_area() or WHOLE_REGION)
    if area is None:
        raise Refused(_("“%(value)s” is not an area of the cadastre. Choose one in the list.",
                        value=request.args.get("area")))
    return area


@bp.get("/cadastre/tableaux/<name>.<any(csv, xlsx):fmt>")
@signed_in
def cadastre_table_file(name: str, fmt: str):
    """One table of the coordinators' page (the operators' only where the page shows them)."""
    require("view_cadastre")
    area = _asked_area()
    figures = _figures(area)
    tables = area_tables(figures)
    if name not in tables:
        abort(404)
    return download([tables[name]], fmt, file_name(name, area.key, figures.today.isoformat()), figures.today)


@bp.get("/cadastre/tableaux.xlsx")
@signed_in
def cadastre_tables_file():
    """Every table of the coordinators' page in one workbook."""
    require("view_cadastre")
    area = _asked_area()
    figures = _figures(area)
    return download(list(area_tables(figures).values()), "xlsx",
                    file_name("cadastre", area.key, figures.today.isoformat()), figures.today)
