"""Workspace pages of sites (the places where courses happen): parse, authorise, call one function,
render. The position is a pin on a small map (static/js/site-map.js) over plain latitude and
longitude fields that work without JavaScript."""
from __future__ import annotations

from flask import jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.extensions import db
from portal.geo.gazetteer import get_gazetteer
from portal.offer import rules
from portal.offer.models import Operator, Site
from portal.offer.services import WriteConflict
from portal.permissions import operator_for, signed_in, site_for
from portal.workspace import bp
from portal.workspace.sites.forms import SiteForm, site_data, site_form
from portal.workspace.sites.queries import address_point, courses_at
from portal.workspace.sites.services import SiteErrors, new_site_ref, save_site


def _render(operator: Operator, form: SiteForm, site: Site | None = None, errors: SiteErrors | None = None,
            status: int = 200):
    point = address_point(get_gazetteer(), form.postal_code.data, form.locality.data)
    typed_locality = (form.locality.data or "").strip()
    return render_template(
        "workspace/sites/form.html", operator=operator, form=form, site=site, errors=errors or SiteErrors(),
        address=point, courses=courses_at(site) if site is not None else 0,
        unknown_locality=typed_locality if point is not None and typed_locality and not point.locality else None,
    ), status


def _save(operator: Operator, form: SiteForm, site: Site | None = None):
    data = site_data(form, "")
    if site is None:
        point = address_point(get_gazetteer(), data["postal_code"], data["locality"])
        locality = data["locality"] or (point.main_locality if point else None)
        data["ref"] = new_site_ref(operator, locality, data["name"])
    else:
        data["ref"] = site.ref
    try:
        saved = save_site(operator, data, rules.today(), actor=current_user)
    except SiteErrors as errors:
        db.session.rollback()
        return _render(operator, form, site, errors=errors, status=400)
    except WriteConflict:  # another place saved under the same ref at the same moment
        return _render(operator, form, site, status=409, errors=SiteErrors(other=[
            _("Another place with this name was saved at the same moment: yours was not. Save again.")]))
    return redirect(url_for("workspace.site_edit", ref=saved.ref, saved=1))


@bp.route("/organismes/<ref>/lieux/nouveau", methods=["GET", "POST"])
@signed_in
def site_new(ref: str):
    operator = operator_for(ref, "create_site")
    form = site_form()
    if request.method == "POST":
        if not form.validate_on_submit():
            return _render(operator, form, status=400)
        return _save(operator, form)
    return _render(operator, form)


@bp.route("/lieux/<ref>/modifier", methods=["GET", "POST"])
@signed_in
def site_edit(ref: str):
    site = site_for(ref, "edit_site")
    form = site_form(site)
    if request.method == "POST":
        if not form.validate_on_submit():
            return _render(site.operator, form, site, status=400)
        return _save(site.operator, form, site)
    return _render(site.operator, form, site)


@bp.get("/lieux/position")
@signed_in
def site_position():
    """Where the gazetteer places a postal code (and locality): the pin's "address" position."""
    point = address_point(get_gazetteer(), request.args.get("postal_code"), request.args.get("locality"))
    if point is None:
        return jsonify({"error": "unknown_postal_code",
                        "message": _("This is not a postal code in Wallonia.")}), 404
    return jsonify(point.as_json())
