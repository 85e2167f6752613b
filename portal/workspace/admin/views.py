"""The admins' page of accounts (``/espace/comptes``): every account, disable or enable it,
reset a lost second factor, each after a confirmation step; the account events."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.accounts.admin import (
    AdminRefusal,
    all_accounts,
    disable_user,
    enable_user,
    recent_events,
    reset_second_factor,
)
from portal.accounts.models import User
from portal.forms import ConfirmForm
from portal.permissions import account_for, accounts_managed_by, require, signed_in
from portal.workspace import bp


def _render_accounts(error: str | None = None, status: int = 200):
    return render_template("workspace/admin/accounts.html", users=all_accounts(accounts_managed_by(current_user)),
                           events=recent_events(), action_form=ConfirmForm(), done=request.args.get("done"),
                           email=request.args.get("email"), error=error), status


def _confirmed(user: User, action: str):
    """None when this POST confirms the action; else the confirmation page (or a 400 without a
    valid CSRF token)."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    if request.form.get("confirmed") == "1":
        return None
    return render_template("workspace/account_confirm.html", user=user, action=action, action_form=form)


@bp.get("/comptes")
@signed_in
def accounts():
    require("list_accounts")
    return _render_accounts()


@bp.post("/comptes/<int:user_id>/desactiver")
@signed_in
def account_disable(user_id: int):
    user = account_for(user_id, "disable_account")
    page = _confirmed(user, "disable")
    if page is not None:
        return page
    try:
        disable_user(user, actor=current_user._get_current_object(), source="web")
    except AdminRefusal as refusal:
        message = (_("You cannot disable your own account. Another administrator can.") if refusal.reason == "self"
                   else _("This is the last active administrator: enable or create another one first."))
        return _render_accounts(error=message, status=400)
    return redirect(url_for("workspace.accounts", done="disabled", email=user.email))


@bp.post("/comptes/<int:user_id>/activer")
@signed_in
def account_enable(user_id: int):
    user = account_for(user_id, "enable_account")
    page = _confirmed(user, "enable")
    if page is not None:
        return page
    enable_user(user, actor=current_user._get_current_object(), source="web")
    return redirect(url_for("workspace.accounts", done="enabled", email=user.email))


@bp.post("/comptes/<int:user_id>/second-facteur")
@signed_in
def account_reset_second_factor(user_id: int):
    user = account_for(user_id, "reset_second_factor")
    page = _confirmed(user, "reset_second_factor")
    if page is not None:
        return page
    own = user.id == current_user.id
    reset_second_factor(user, actor=current_user._get_current_object(), source="web")
    if own:  # their own session ended with the others
        return redirect(url_for("accounts.login"))
    return redirect(url_for("workspace.accounts", done="second_factor_reset", email=user.email))
