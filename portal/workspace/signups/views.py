"""Sign-up requests of organisations: their bassin's coordinators (or the admins) validate or refuse them."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from portal.accounts.forms import RejectForm
from portal.accounts.onboarding import (
    approve_signup,
    decided_signups,
    pending_signups,
    reject_signup,
    service_for_signup,
)
from portal.accounts.services import AccountError
from portal.db import utc_now
from portal.forms import ConfirmForm
from portal.permissions import (
    require,
    signed_in,
    signup_for,
    signups_reviewed_by,
)
from portal.workspace import bp


def _render_signups(reject_forms=None, status=200):
    require("list_signups")
    reviewed = signups_reviewed_by(current_user)
    pending = pending_signups(reviewed)
    forms = reject_forms or {}
    for item in pending:
        forms.setdefault(item.id, RejectForm(formdata=None, prefix=f"r{item.id}"))
    return render_template("workspace/signups/list.html", bassin=current_user.bassin_efe, pending=pending,
                           decided=decided_signups(reviewed), reject_forms=forms, action_form=ConfirmForm(),
                           now=utc_now(), done=request.args.get("done"),
                           service_for_signup=service_for_signup), status


@bp.get("/demandes")
@signed_in
def signups():
    return _render_signups()


@bp.post("/demandes/<int:request_id>/valider")
@signed_in
def signup_approve(request_id: int):
    found = signup_for(request_id, "decide_signup")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if found.status != "pending":
        return redirect(url_for("workspace.signups"))
    try:
        approve_signup(found, current_user)
    except AccountError:  # decided meanwhile (a double click, a colleague)
        return redirect(url_for("workspace.signups"))
    return redirect(url_for("workspace.signups", done="approved"))


@bp.post("/demandes/<int:request_id>/refuser")
@signed_in
def signup_reject(request_id: int):
    found = signup_for(request_id, "decide_signup")
    form = RejectForm(prefix=f"r{request_id}")
    if found.status != "pending":
        return redirect(url_for("workspace.signups"))
    if not form.validate_on_submit():
        return _render_signups({request_id: form}, status=400)
    try:
        reject_signup(found, current_user, form.note.data)
    except AccountError:
        return redirect(url_for("workspace.signups"))
    return redirect(url_for("workspace.signups", done="rejected"))
