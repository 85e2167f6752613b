"""Workspace pages: parse, authorise (permissions), call one function, render."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user

from portal.accounts.forms import ConfirmForm
from portal.offer import rules
from portal.permissions import may, operator_for, signed_in
from portal.workspace import bp
from portal.workspace.queries import operator_offer, operators_overview
from portal.workspace.reminders import last_reminders
from portal.workspace.services import confirm_all


@bp.get("/")
@signed_in
def dashboard():
    if current_user.role == "operator" and current_user.operator is not None:
        return redirect(url_for("workspace.operator", ref=current_user.operator.ref))
    if not may(current_user, "list_operators"):
        abort(403)
    bassin = current_user.bassin_efe if current_user.role == "coordinator" else None
    overviews = operators_overview(bassin, rules.today())
    return render_template("workspace/operators.html", bassin=bassin, overviews=overviews,
                           reminded=last_reminders([o.operator.id for o in overviews]))


@bp.get("/organismes/<ref>")
@signed_in
def operator(ref: str):
    found = operator_for(ref, "view_operator")
    today = rules.today()
    confirmed = request.args.get("confirmed", type=int)
    message = None if confirmed is None else ngettext(
        "%(num)s course confirmed today.", "%(num)s courses confirmed today.", confirmed)
    return render_template("workspace/operator.html", operator=found, today=today,
                           rows=operator_offer(found, today), confirm_form=ConfirmForm(),
                           may_confirm=may(current_user, "confirm_operator", found), confirmed=message,
                           reminded=last_reminders([found.id]).get(found.id))


@bp.post("/organismes/<ref>/tout-est-correct")
@signed_in
def confirm(ref: str):
    found = operator_for(ref, "confirm_operator")
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    count = confirm_all(found, rules.today())
    return redirect(url_for("workspace.operator", ref=found.ref, confirmed=count))
