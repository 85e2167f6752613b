"""The cadastre's public page: the coverage of the offer in Wallonia or one area, in French, Dutch,
German and English (the workspace's languages: this blueprint is not among i18n's public ones).
The coordinators' page with the operators is portal/workspace/cadastre."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from portal.cadastre.areas import WHOLE_REGION, all_areas, asked_area
from portal.cadastre.coverage import kept_area_totals, kept_calendar, kept_coverage
from portal.demand.queries import PUBLIC_MINIMUM, unmet_demand
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
