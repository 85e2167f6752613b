"""The coordinators' cadastre: any area's coverage (their own bassin first), and for the areas they
answer for (``view_cadastre_operators``) the operators and how fresh their data is."""
from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from portal.cadastre.areas import WHOLE_REGION, all_areas, area_named, asked_area
from portal.cadastre.coverage import kept_area_totals, kept_calendar, kept_coverage
from portal.cadastre.operators import operator_freshness
from portal.cadastre.referrals import COLUMNS as REFERRAL_COLUMNS
from portal.cadastre.referrals import referrals_by_course
from portal.demand.queries import unmet_demand
from portal.offer import rules
from portal.permissions import may, require, signed_in
from portal.workspace import bp


@bp.get("/cadastre")
@signed_in
def cadastre():
    require("view_cadastre")
    areas = all_areas()
    own = area_named(current_user.bassin_efe) if current_user.bassin_efe else None
    area = asked_area(request.args.get("area"), own or WHOLE_REGION)
    today = rules.today()
    if area is None:
        return render_template("workspace/cadastre.html", areas=areas, area=None, coverage=None, totals=None,
                               operators=None, asked=request.args.get("area"), today=today), 400
    details = may(current_user, "view_cadastre_operators", area)
    return render_template("workspace/cadastre.html", areas=areas, area=area, coverage=kept_coverage(area, today),
                           totals=kept_area_totals(areas, today), today=today, own=own,
                           calendar=kept_calendar(area, today), unmet=unmet_demand(today, bassin=area.bassin_efe),
                           unmet_minimum=1,
                           operators=operator_freshness(area, today) if details else None,
                           referrals=referrals_by_course(area), referral_columns=REFERRAL_COLUMNS)
