"""Sign-in and sign-out."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from portal.accounts import bp
from portal.accounts.forms import ConfirmForm, LoginForm
from portal.accounts.services import authenticate
from portal.extensions import limiter
from portal.permissions import public, signed_in


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("workspace.dashboard")


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit("10 per minute;50 per hour", methods=["POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        error = _("This e-mail address and password do not match an account.")
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/login.html", form=form, error=error,
                           signed_out=request.args.get("signed_out") == "1"), status


@bp.post("/deconnexion")
@signed_in
def logout():
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("workspace.dashboard"))
    logout_user()
    return redirect(url_for("accounts.login", signed_out=1))
