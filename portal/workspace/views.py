"""Workspace pages: parse, authorise (permissions), call one function, render."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user

from portal.accounts.onboarding import pending_signups
from portal.extensions import db
from portal.forms import ConfirmForm, FormErrors
from portal.offer import rules
from portal.permissions import (
    bassins_of,
    may,
    operator_for,
    operators_seen_by,
    require,
    signed_in,
    signups_reviewed_by,
)
from portal.reminders.queries import last_reminders
from portal.workspace import bp
from portal.workspace.forms import OperatorForm
from portal.workspace.queries import freshness_counts, operator_offer, operators_overview
from portal.workspace.services import confirm_all, save_operator
from portal.workspace.sites.queries import site_rows


@bp.get("/")
@signed_in
def dashboard():
    if current_user.operator is not None:  # an operator's user: its own page is its home
        return redirect(url_for("workspace.operator", ref=current_user.operator.ref))
    if current_user.service_id is not None:  # a social worker: the referrals of its service
        return redirect(url_for("referrals.inbox"))
    require("list_operators")
    overviews = operators_overview(operators_seen_by(current_user), rules.today())
    return render_template("workspace/operators.html", bassin=current_user.bassin_efe, overviews=overviews,
                           reminded=last_reminders([o.operator.id for o in overviews]),
                           cadastre_bassins=bassins_of(current_user, "import_cadastre"),
                           pending_signups=pending_signups(signups_reviewed_by(current_user)))


@bp.get("/organismes/<ref>")
@signed_in
def operator(ref: str):
    found = operator_for(ref, "view_operator")
    today = rules.today()
    confirmed = request.args.get("confirmed", type=int)
    message = None if confirmed is None else ngettext(
        "%(num)s course confirmed today.", "%(num)s courses confirmed today.", confirmed)
    rows = operator_offer(found, today)
    return render_template("workspace/operator.html", operator=found, today=today, rows=rows,
                           freshness=freshness_counts(rows), sites=site_rows(found),
                           closed=[row.course for row in rows if row.needs_next_session], confirm_form=ConfirmForm(),
                           may_confirm=may(current_user, "confirm_courses", found), confirmed=message,
                           reminded=last_reminders([found.id]).get(found.id),
                           own=current_user.operator_id == found.id)


@bp.post("/organismes/<ref>/tout-est-correct")
@signed_in
def confirm(ref: str):
    found = operator_for(ref, "confirm_courses")
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    count = confirm_all(found, rules.today(), actor=current_user)
    return redirect(url_for("workspace.operator", ref=found.ref, confirmed=count))


@bp.route("/organismes/<ref>/profil", methods=["GET", "POST"])
@signed_in
def operator_profile(ref: str):
    found = operator_for(ref, "edit_operator")
    form = OperatorForm(obj=found)
    errors = FormErrors()
    if form.validate_on_submit():
        try:
            save_operator(found, form, rules.today(), actor=current_user)
        except FormErrors as failed:
            db.session.rollback()
            errors = failed
        else:
            return redirect(url_for("workspace.operator", ref=found.ref, profile=1))
    status = 400 if request.method == "POST" else 200
    return render_template("workspace/operator_form.html", operator=found, form=form, errors=errors), status
