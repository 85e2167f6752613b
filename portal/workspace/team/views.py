"""An operator's team: its accounts, invitations of colleagues, a colleague who leaves."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from portal.accounts.admin import AdminRefusal
from portal.accounts.forms import InviteForm
from portal.accounts.onboarding import (
    invitations_of,
    invite,
    team_of,
)
from portal.accounts.services import AccountError, cancel_invitation, remove_colleague
from portal.db import utc_now
from portal.extensions import limiter
from portal.forms import ConfirmForm
from portal.permissions import (
    colleague_for,
    invitation_for,
    may,
    operator_for,
    require,
    signed_in,
)
from portal.workspace import bp


def _inviter() -> str:
    return f"invitations:{current_user.get_id()}"


@bp.route("/organismes/<ref>/equipe", methods=["GET", "POST"])
@limiter.limit("30 per hour", key_func=_inviter, methods=["POST"])  # no mass mailing from the portal
@signed_in
def team(ref: str):
    operator = operator_for(ref, "view_operator")
    may_invite = may(current_user, "invite_colleague", operator)
    form = InviteForm()
    status = 200
    if request.method == "POST":
        require("invite_colleague", operator)
        if form.validate_on_submit():
            try:
                invitation = invite(operator, form.email.data, current_user)
            except AccountError as error:
                form.email.errors.append(str(error))
            else:
                return redirect(url_for("workspace.team", ref=operator.ref, invited=invitation.email))
        status = 400
    users = team_of(operator)
    return render_template("workspace/team/team.html", operator=operator, users=users,
                           invitations=invitations_of(operator), form=form, may_invite=may_invite,
                           removable={user.id for user in users if may(current_user, "remove_colleague", user)},
                           action_form=ConfirmForm(), now=utc_now(), invited=request.args.get("invited"),
                           removed=request.args.get("removed")), status


@bp.post("/invitations/<int:invitation_id>/annuler")
@signed_in
def invitation_cancel(invitation_id: int):
    invitation = invitation_for(invitation_id, "cancel_invitation")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    cancel_invitation(invitation)  # already answered or cancelled: nothing to do
    return redirect(url_for("workspace.team", ref=invitation.operator.ref))


@bp.post("/comptes/<int:user_id>/retirer")
@signed_in
def user_remove(user_id: int):
    """A colleague leaves: their account of this operator is disabled (kept for the history)."""
    user = colleague_for(user_id, "remove_colleague")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        remove_colleague(user, actor=current_user._get_current_object())
    except AdminRefusal:
        abort(400)  # not oneself: another colleague or an admin does it
    return redirect(url_for("workspace.team", ref=user.operator.ref, removed=user.email))
