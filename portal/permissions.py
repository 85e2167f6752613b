"""Who may do what, in one place. Private areas deny by default.

Every view is marked: ``@public`` (anyone, no account) or ``@signed_in`` (an active user; the
view then asks ``may`` or loads its object through ``operator_for``). A test walks the URL map
and fails on any view without a mark.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, redirect, request, url_for
from flask_login import current_user, logout_user
from sqlalchemy import select

from portal.extensions import db
from portal.normalise import ref_key
from portal.offer.models import Course, Operator, Site

PUBLIC = "public"
SIGNED_IN = "signed_in"


def public(view: Callable) -> Callable:
    """Mark a view as open to everyone (public search, API, health check)."""
    view.access = PUBLIC  # type: ignore[attr-defined]
    return view


def signed_in(view: Callable) -> Callable:
    """Only for signed-in, active users; others are sent to the sign-in page. Coordinators and
    admins without their required second factor are sent to set it up first."""
    return _signed_in(view, second_factor=True)


def signed_in_setup(view: Callable) -> Callable:
    """Signed-in users, even before they set up a required second factor (that page, sign-out)."""
    return _signed_in(view, second_factor=False)


def _signed_in(view: Callable, second_factor: bool) -> Callable:
    from portal.extensions import login_manager

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated or not current_user.is_active:
            logout_user()  # an account disabled meanwhile ends its sessions
            return login_manager.unauthorized()
        if second_factor and current_user.needs_second_factor and not current_user.totp_secret:
            return redirect(url_for("accounts.second_factor", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    wrapper.access = SIGNED_IN  # type: ignore[attr-defined]
    return wrapper


def operator_bassins(operator: Operator) -> set[str]:
    """The bassins EFE where an operator has a site (and the one it signed up in)."""
    found = set(db.session.scalars(select(Site.bassin_efe).where(Site.operator_id == operator.id)))
    return found | {operator.home_bassin} if operator.home_bassin else found


def may(user: Any, action: str, target: Any = None) -> bool:
    """May ``user`` do ``action`` (to ``target``)? Unknown actions and anonymous users: no."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    role = user.role
    if action == "list_operators":
        return role in ("coordinator", "admin")
    if action == "view_operator" and isinstance(target, Operator):
        if role == "admin":
            return True
        if role == "coordinator":
            return user.bassin_efe in operator_bassins(target)
        return role == "operator" and user.operator_id == target.id
    if action == "export_operator" and isinstance(target, Operator):
        return may(user, "view_operator", target)
    if action in OPERATOR_WRITES and isinstance(target, Operator):
        # Only the operator itself (or an admin) vouches for and writes its offer.
        return role == "admin" or (role == "operator" and user.operator_id == target.id)
    if action in ("edit_course", "edit_site") and isinstance(target, (Course, Site)):
        return role == "admin" or (role == "operator" and user.operator_id == target.operator_id)
    if action == "view_course" and isinstance(target, Course):
        if role == "coordinator":
            return user.bassin_efe == target.site.bassin_efe or user.bassin_efe in operator_bassins(target.operator)
        return may(user, "edit_course", target)
    if action == "import_bassin" and isinstance(target, str):
        # A bassin's whole cadastre: its coordinators and the admins.
        return role == "admin" or (role == "coordinator" and user.bassin_efe == target)
    if action == "review_signups":
        return role in ("coordinator", "admin")
    if action == "manage_accounts":
        # Disable, enable, reset a second factor, for any account: admins only.
        return role == "admin"
    if action == "decide_signup":
        from portal.accounts.models import SignupRequest  # here: accounts' views import this module

        return isinstance(target, SignupRequest) and (
            role == "admin" or (role == "coordinator" and user.bassin_efe == target.bassin_efe))
    return False


# What an operator (or an admin) does to its own offer and team.
OPERATOR_WRITES = ("confirm_operator", "create_course", "create_site", "import_operator", "invite_colleague",
                   "edit_operator")


def _load_for(model: type, ref: str, action: str) -> Any:
    """The object of that ref if the current user may ``action`` it: 404 when it does not exist,
    403 when it is not theirs."""
    found = db.session.scalar(select(model).where(model.ref == ref_key(ref)))
    if found is None:
        abort(404)
    if not may(current_user, action, found):
        abort(403)
    return found


def operator_for(ref: str, action: str) -> Operator:
    """The operator of that ref, if the current user may ``action`` it (else 404/403)."""
    return _load_for(Operator, ref, action)


def course_for(ref: str, action: str) -> Course:
    """The course of that ref, if the current user may ``action`` it (else 404/403)."""
    return _load_for(Course, ref, action)


def site_for(ref: str, action: str) -> Site:
    """The site of that ref, if the current user may ``action`` it (else 404/403)."""
    return _load_for(Site, ref, action)
