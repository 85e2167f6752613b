"""Sign-in (with the second factor), sign-out, sign-up requests, invitations, password resets
and the account page."""
from __future__ import annotations

import datetime as dt
import math
import time
import unicodedata
from typing import Any
from urllib.parse import urlsplit

from flask import redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user

from portal.accounts import bp, sign_in
from portal.accounts import second_factor as totp
from portal.accounts.forms import (
    ChangePasswordForm,
    CodeForm,
    ForgotPasswordForm,
    LanguageForm,
    LoginForm,
    PasswordCheckForm,
    PasswordChoiceForm,
    SecondFactorForm,
    SignupForm,
    WorkerSignupForm,
)
from portal.accounts.models import User
from portal.accounts.onboarding import (
    SignupsFull,
    accept_invitation,
    ask_for_account,
    invitation_from_link,
    send_password_reset,
    set_password,
    user_for_reset,
)
from portal.accounts.services import (
    CODE_ACCEPTED,
    CODES_LOCKED,
    AccountError,
    SecondFactorRefusal,
    authenticate,
    check_sign_in_code,
    second_factor_key,
    set_language,
    turn_off_second_factor,
    turn_on_second_factor,
    verify_password,
)
from portal.accounts.tokens import TokenError
from portal.extensions import db, limiter
from portal.forms import ConfirmForm
from portal.geo.gazetteer import PostalCode, get_gazetteer
from portal.normalise import blank_to_none
from portal.permissions import public, require, signed_in, signed_in_setup

# How long the code step of a sign-in waits for the code after the password.
PENDING_SECONDS = 300


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never an open redirect, never a broken header); else the dashboard."""
    return target if target and is_local_path(target) else url_for("workspace.dashboard")


def is_local_path(target: str) -> bool:
    """A path of this site: starts with one slash, holds no backslash (browsers read a backslash
    as a slash, so "/" + backslash + "host" is another site), no whitespace or control character
    (CR/LF would split the Location header; browsers drop tabs and newlines from addresses)."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    if any(char.isspace() or unicodedata.category(char)[0] in "CZ" for char in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def _next_arg() -> str | None:
    """The ``next`` of this request if it is a path of this site (passed on from step to step)."""
    target = request.args.get("next")
    return target if target and is_local_path(target) else None


def _finish_sign_in(user: User, next_url: str | None):
    session.pop("pending_sign_in", None)
    login_user(user)
    if user.needs_second_factor and not user.totp_secret:
        return redirect(url_for("accounts.second_factor", next=_safe_next(next_url)))
    return redirect(_safe_next(next_url))


def _minutes_until(moment: dt.datetime) -> int:
    return max(1, math.ceil((moment - sign_in.now()).total_seconds() / 60))


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit("10 per minute;50 per hour", methods=["POST"])
@public
def login():
    next_url = _next_arg()
    if current_user.is_authenticated:
        return redirect(_safe_next(next_url))
    form = LoginForm()
    error, status, headers = None, 400 if request.method == "POST" else 200, {}
    if form.validate_on_submit():
        waits_until = sign_in.begin_password_attempt(form.email.data)
        # While sign-in waits, the password is not even checked: the answer is the same either way.
        user = authenticate(form.email.data, form.password.data) if waits_until is None else None
        if user is not None:
            sign_in.forget_failures(form.email.data)
            if user.totp_secret:
                # The password is right; the second factor decides.
                session["pending_sign_in"] = {"user": user.id, "at": time.time()}
                return redirect(url_for("accounts.login_code", next=next_url))
            return _finish_sign_in(user, next_url)
        error = _("This e-mail address and password do not match an account.")
        delayed_until = waits_until or sign_in.waiting_until(form.email.data)
        if delayed_until is not None:
            minutes = _minutes_until(delayed_until)
            error = ngettext("Wrong e-mail address or password, or too many tries. For your safety, wait %(num)s "
                             "minute, then try again.",
                             "Wrong e-mail address or password, or too many tries. For your safety, wait %(num)s "
                             "minutes, then try again.", minutes)
        if waits_until is not None:
            status, headers = 429, {"Retry-After": str(math.ceil((waits_until - sign_in.now()).total_seconds()))}
    return render_template("accounts/login.html", form=form, error=error,
                           signed_out=request.args.get("signed_out") == "1", locked=request.args.get("locked") == "1",
                           password_changed=request.args.get("password") == "1"), status, headers


def _pending_sign_in() -> User | None:
    """The account whose password was right on this browser a moment ago, if it still waits for its code."""
    pending = session.get("pending_sign_in")
    user = db.session.get(User, pending["user"]) if pending else None
    if user is None or not user.active or not user.totp_secret or time.time() - pending["at"] > PENDING_SECONDS:
        return None
    return user


@bp.route("/connexion/code", methods=["GET", "POST"])
@limiter.limit("10 per minute;50 per hour", methods=["POST"])
@public
def login_code():
    next_url = _next_arg()
    user = _pending_sign_in()
    if user is None:
        session.pop("pending_sign_in", None)
        return redirect(url_for("accounts.login", next=next_url))
    form = CodeForm()
    locked = sign_in.codes_locked(user)
    if locked:
        form.code.errors = [_("Too many wrong codes. For your safety, wait %(num)s minutes, then sign in again.",
                              num=sign_in.CODE_LOCK_MINUTES)]
    elif form.validate_on_submit():
        outcome = check_sign_in_code(user, form.code.data)
        if outcome == CODE_ACCEPTED:
            return _finish_sign_in(user, next_url)
        if outcome == CODES_LOCKED:
            session.pop("pending_sign_in", None)
            return redirect(url_for("accounts.login", next=next_url, locked=1))
        form.code.errors.append(_("This code is not right, or it was already used. Wait for the next one."))
    status = 400 if request.method == "POST" or locked else 200
    return render_template("accounts/login_code.html", form=form), status


@bp.post("/deconnexion")
@signed_in_setup
def logout():
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("workspace.dashboard"))
    # On the server too: a copy of this session's cookie no longer opens anything.
    sign_in.end_sessions(current_user._get_current_object())
    logout_user()
    return redirect(url_for("accounts.login", signed_out=1))


# -- sign-up requests --------------------------------------------------------------------------
@bp.route("/inscription", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
@public
def signup():
    return _signup_page(SignupForm(), "accounts/signup.html", "operator")


@bp.route("/inscription/orientation", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
@public
def worker_signup():
    """A social worker asks for an account to send referrals ("accompagnateur")."""
    return _signup_page(WorkerSignupForm(), "accounts/worker_signup.html", "social_worker")


def _signup_page(form: SignupForm | WorkerSignupForm, template: str, account: str):
    if form.validate_on_submit():
        postal = get_gazetteer().postal_code(form.postal_code.data.strip())
        if postal is None:
            form.postal_code.errors.append(_("This postal code is not in Wallonia."))
        else:
            try:
                ask_for_account(_signup_fields(form, postal, account))
            except SignupsFull:
                # The coordinators' inboxes are protected; the answer is the same for every address.
                return render_template(template, form=form, busy=True), 429
            return render_template("accounts/signup_sent.html", bassin=postal.bassin_efe)
    status = 400 if request.method == "POST" else 200
    return render_template(template, form=form), status


def _signup_fields(form: SignupForm | WorkerSignupForm, postal: PostalCode, account: str) -> dict[str, Any]:
    website = form.website.data if isinstance(form, SignupForm) else None
    return dict(organisation=form.organisation.data.strip(), kind=form.kind.data, postal_code=postal.code,
                locality=postal.main_locality.name, bassin_efe=postal.bassin_efe, account=account,
                website=blank_to_none(website), phone=blank_to_none(form.phone.data),
                contact_name=form.contact_name.data.strip(), email=form.email.data,
                message=blank_to_none(form.message.data))


# -- invitations -------------------------------------------------------------------------------
@bp.route("/invitation/<token>", methods=["GET", "POST"], endpoint="accept_invitation")
@limiter.limit("20 per hour", methods=["POST"])
@public
def accept_invitation_view(token: str):
    try:
        invitation = invitation_from_link(token)
    except TokenError as error:
        return render_template("accounts/link_invalid.html", expired=error.expired, kind="invitation"), 410
    form = PasswordChoiceForm()
    if form.validate_on_submit():
        try:
            user = accept_invitation(invitation, form.password.data)
        except AccountError:
            # An account was made with this e-mail since the invitation: it signs in instead.
            db.session.rollback()
            form.password.errors.append(_("An account already uses this e-mail address. Sign in, or ask for a "
                                          "new password on the sign-in page."))
        else:
            logout_user()  # whoever was signed in on this browser: the new account takes over
            home = (url_for("workspace.operator", ref=invitation.operator.ref, welcome=1) if invitation.operator
                    else url_for("referrals.inbox", welcome=1))
            return _finish_sign_in(user, home)
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/invitation.html", form=form, invitation=invitation), status


# -- passwords ---------------------------------------------------------------------------------
@bp.route("/mot-de-passe-oublie", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
@public
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        send_password_reset(form.email.data)
        return render_template("accounts/forgot_sent.html", email=form.email.data.strip())
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/forgot.html", form=form), status


@bp.route("/mot-de-passe/<token>", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
@public
def reset_password(token: str):
    try:
        user = user_for_reset(token)
    except TokenError as error:
        return render_template("accounts/link_invalid.html", expired=error.expired, kind="reset"), 410
    form = PasswordChoiceForm()
    if form.validate_on_submit():
        set_password(user, form.password.data)
        if current_user.is_authenticated:
            logout_user()
        return redirect(url_for("accounts.login", password=1))
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/reset.html", form=form, user=user), status


# -- the account page --------------------------------------------------------------------------
@bp.get("/compte/")
@signed_in
def account():
    return _account_page(changed=request.args.get("changed"))


def _account_page(status: int = 200, **forms):
    """The account page, each form fresh unless given (a refused one keeps what was typed)."""
    forms.setdefault("password_form", ChangePasswordForm(formdata=None))
    forms.setdefault("off_form", PasswordCheckForm(formdata=None, prefix="off"))
    forms.setdefault("language_form", LanguageForm(formdata=None, language=current_user.language))
    forms.setdefault("changed", None)
    return render_template("accounts/account.html", action_form=ConfirmForm(), **forms), status


@bp.post("/compte/langue")
@signed_in
def change_language():
    form = LanguageForm()
    if not form.validate_on_submit():
        return _account_page(400, language_form=form)
    set_language(current_user, form.language.data)
    # The account's language from now on: the URL's own, if any, would hide the change.
    return redirect(url_for("accounts.account", changed="language", lang=None))


@bp.post("/compte/mot-de-passe")
@limiter.limit("10 per hour")
@signed_in
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if verify_password(current_user, form.current.data):
            set_password(current_user, form.password.data)
            # Other sessions end (their password stamp is old); this one goes on with the new stamp.
            login_user(current_user._get_current_object())
            return redirect(url_for("accounts.account", changed="password"))
        form.current.errors.append(_("This is not your current password."))
    return _account_page(400, password_form=form)


@bp.route("/compte/double-authentification", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
@signed_in_setup
def second_factor():
    """Set up (or replace) the second factor: scan the QR code, type a code to prove it works;
    replacing one also asks for the password (a session alone may not change it). The key being
    set up waits on the account, not in the session cookie (signed, but readable)."""
    user = current_user._get_current_object()
    secret = second_factor_key(user, new=request.method == "GET")
    form = SecondFactorForm()
    replacing = bool(user.totp_secret)
    if form.validate_on_submit():
        try:
            turn_on_second_factor(user, form.code.data, form.current.data)
        except SecondFactorRefusal as refusal:
            if refusal.wrong_password:
                form.current.errors.append(_("This is not your current password."))
            if refusal.wrong_code:
                form.code.errors.append(
                    _("This code is not right. Check the time of your phone and try the next code."))
        else:
            return redirect(_safe_next(request.args.get("next")) if request.args.get("next")
                            else url_for("accounts.account", changed="second_factor"))
    uri = totp.provisioning_uri(current_user.email, secret)
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/second_factor.html", form=form, secret=secret, replacing=replacing,
                           qr=totp.qr_svg(uri, _("QR code to scan with your authenticator app")),
                           required=current_user.needs_second_factor), status


@bp.post("/compte/double-authentification/desactiver")
@limiter.limit("10 per hour")
@signed_in
def second_factor_off():
    require("turn_off_second_factor", current_user._get_current_object())
    form = PasswordCheckForm(prefix="off")
    if form.validate_on_submit() and turn_off_second_factor(current_user._get_current_object(), form.current.data):
        return redirect(url_for("accounts.account", changed="second_factor_off"))
    if form.current.data:
        form.current.errors = [_("This is not your current password.")]
    return _account_page(400, off_form=form)
