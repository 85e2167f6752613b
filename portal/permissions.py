"""Who may do what, in one place. Private areas deny by default.

- ``may(user, action, target)`` reads the table ``rules()``: each action names the type of its
  target and, for each role, the small predicate that grants it (a role not named is refused). An
  action not in the table, or a target of another type, raises: a typo is a failing test, not a
  silent 403. A new role is a new key in the rows it is given; a new scope is a new row.
- Loaders (``LOADERS``: ``operator_for``, ``signup_for``, …) turn what a URL names into the object:
  404 when it does not exist, 403 when the current user may not do the action to it. Views load
  what their URL names only through them (tests/loader_guard.py checks it while the tests run).
- Scopes (``operators_seen_by``, …) are the same grants as SQL conditions, for list pages: a
  grant that lists carries ``where``, and a test checks that it agrees with its predicate.

Every view is marked ``@public`` (anyone, no account) or ``@signed_in`` (an active user; the view
then loads its object through a loader or asks ``require``). A test walks the URL map and fails on
any view without a mark.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache, wraps
from typing import Any

from flask import abort, redirect, request, url_for
from flask_login import current_user, logout_user
from sqlalchemy import ColumnElement, false, or_, select, true

from portal.extensions import db
from portal.normalise import ref_key
from portal.offer.models import Course, Operator, Site

PUBLIC = "public"
SIGNED_IN = "signed_in"
# The roles of accounts (portal.accounts.models.ROLES; a test checks they are the same).
OPERATOR, COORDINATOR, ADMIN, SOCIAL_WORKER = "operator", "coordinator", "admin", "social_worker"
MAX_ID = 2**31 - 1  # what an INTEGER column holds: larger ids do not exist


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


# -- the predicates: (user, target) → bool, the user being active and of the row's role ----------
def always(user: Any, target: Any) -> bool:
    return True


def own_operator(user: Any, operator: Operator) -> bool:
    return user.operator_id is not None and user.operator_id == operator.id


def of_own_operator(user: Any, thing: Any) -> bool:
    """A course, site, invitation or colleague of the user's own operator."""
    return user.operator_id is not None and user.operator_id == thing.operator_id


def of_own_service(user: Any, thing: Any) -> bool:
    """A referral of the social worker's own service (any of its workers sent it)."""
    return user.service_id is not None and user.service_id == thing.service_id


def operator_bassins(operator: Operator) -> set[str]:
    """The bassins EFE where an operator has a site (and the one it signed up in)."""
    found = set(db.session.scalars(select(Site.bassin_efe).where(Site.operator_id == operator.id)))
    return found | {operator.home_bassin} if operator.home_bassin else found


def operator_in_own_bassin(user: Any, operator: Operator) -> bool:
    return user.bassin_efe in operator_bassins(operator)


def course_in_own_bassin(user: Any, course: Course) -> bool:
    return user.bassin_efe == course.site.bassin_efe or operator_in_own_bassin(user, course.operator)


def own_bassin(user: Any, thing: Any) -> bool:
    """The user's bassin itself (a name), a sign-up request made in it, or the cadastre's area of it."""
    bassin = thing if isinstance(thing, str) else thing.bassin_efe
    return user.bassin_efe is not None and user.bassin_efe == bassin


def own_optional_second_factor(user: Any, account: Any) -> bool:
    """One's own account, when its second factor is not required (coordinators and admins keep it)."""
    return account.id == user.id and not account.needs_second_factor


# -- the same grants as SQL conditions (the rows a list page shows) ------------------------------
def everything(user: Any) -> ColumnElement[bool]:
    return true()


def own_operator_rows(user: Any) -> ColumnElement[bool]:
    return Operator.id == user.operator_id


def operators_in_own_bassin(user: Any) -> ColumnElement[bool]:
    bassin = user.bassin_efe
    return or_(Operator.id.in_(select(Site.operator_id).where(Site.bassin_efe == bassin)),
               Operator.home_bassin == bassin)


def signups_in_own_bassin(user: Any) -> ColumnElement[bool]:
    from portal.accounts.models import SignupRequest

    return SignupRequest.bassin_efe == user.bassin_efe


def referrals_of_own_service(user: Any) -> ColumnElement[bool]:
    from portal.referrals.models import Referral

    return Referral.service_id == user.service_id


def referrals_of_own_operator(user: Any) -> ColumnElement[bool]:
    from portal.referrals.models import Referral

    return Referral.operator_id == user.operator_id


# -- the table ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Grant:
    """What grants an action to one role: the predicate, and for actions that list their targets
    the same rule as a SQL condition on the target's model."""

    allows: Callable[[Any, Any], bool]
    where: Callable[[Any], ColumnElement[bool]] | None = None


@dataclass(frozen=True)
class Rule:
    target: type | tuple[type, ...] | None  # None: the action has no target
    by_role: Mapping[str, Grant]


# The grants the table is made of (a new one is a predicate, and its SQL twin if it lists).
ALWAYS = Grant(always, where=everything)
OWN_OPERATOR = Grant(own_operator, where=own_operator_rows)
OF_OWN_OPERATOR = Grant(of_own_operator)
OPERATOR_IN_OWN_BASSIN = Grant(operator_in_own_bassin, where=operators_in_own_bassin)
COURSE_IN_OWN_BASSIN = Grant(course_in_own_bassin)
OWN_BASSIN = Grant(own_bassin)
SIGNUP_IN_OWN_BASSIN = Grant(own_bassin, where=signups_in_own_bassin)
OWN_OPTIONAL_SECOND_FACTOR = Grant(own_optional_second_factor)
REFERRAL_OF_OWN_SERVICE = Grant(of_own_service, where=referrals_of_own_service)
REFERRAL_OF_OWN_OPERATOR = Grant(of_own_operator, where=referrals_of_own_operator)


class UnknownAction(LookupError):
    """``may`` was asked about an action that is not in the table (a typo, or a missing row)."""


@cache
def rules() -> dict[str, Rule]:
    """Every action: the type of its target, and the grant of each role allowed to do it."""
    # Imported here: the accounts package imports this module for its views' marks.
    from portal.accounts.models import Invitation, SignupRequest, User
    from portal.cadastre.areas import Area
    from portal.referrals.models import Referral

    return {
        # The operators' area: the list, an operator's page and team, the course history, exports.
        "list_operators": Rule(None, {COORDINATOR: ALWAYS, ADMIN: ALWAYS}),
        "view_operator": Rule(Operator, {OPERATOR: OWN_OPERATOR, COORDINATOR: OPERATOR_IN_OWN_BASSIN, ADMIN: ALWAYS}),
        "view_course": Rule(Course, {OPERATOR: OF_OWN_OPERATOR, COORDINATOR: COURSE_IN_OWN_BASSIN, ADMIN: ALWAYS}),
        "export_courses": Rule(Operator, {OPERATOR: OWN_OPERATOR, COORDINATOR: OPERATOR_IN_OWN_BASSIN,
                                          ADMIN: ALWAYS}),
        # An operator's own offer: only the operator itself (or an admin) vouches for it and writes it.
        "edit_operator": Rule(Operator, {OPERATOR: OWN_OPERATOR, ADMIN: ALWAYS}),
        "confirm_courses": Rule(Operator, {OPERATOR: OWN_OPERATOR, ADMIN: ALWAYS}),
        "create_course": Rule(Operator, {OPERATOR: OWN_OPERATOR, ADMIN: ALWAYS}),
        "create_site": Rule(Operator, {OPERATOR: OWN_OPERATOR, ADMIN: ALWAYS}),
        "import_courses": Rule(Operator, {OPERATOR: OWN_OPERATOR, ADMIN: ALWAYS}),
        "edit_course": Rule(Course, {OPERATOR: OF_OWN_OPERATOR, ADMIN: ALWAYS}),
        "edit_site": Rule(Site, {OPERATOR: OF_OWN_OPERATOR, ADMIN: ALWAYS}),
        # An operator's team.
        "invite_colleague": Rule(Operator, {OPERATOR: OWN_OPERATOR, ADMIN: ALWAYS}),
        "cancel_invitation": Rule(Invitation, {OPERATOR: OF_OWN_OPERATOR, ADMIN: ALWAYS}),
        "remove_colleague": Rule(User, {OPERATOR: OF_OWN_OPERATOR, ADMIN: ALWAYS}),
        # A bassin's whole cadastre (the target is the bassin's name): its coordinators and the admins.
        "import_cadastre": Rule(str, {COORDINATOR: OWN_BASSIN, ADMIN: ALWAYS}),
        "export_cadastre": Rule(str, {COORDINATOR: OWN_BASSIN, ADMIN: ALWAYS}),
        # The cadastre's figures in the workspace: any area's aggregates for coordinators and admins;
        # the operators of an area and their freshness for its bassin's coordinators and the admins.
        "view_cadastre": Rule(None, {COORDINATOR: ALWAYS, ADMIN: ALWAYS}),
        "view_cadastre_operators": Rule(Area, {COORDINATOR: OWN_BASSIN, ADMIN: ALWAYS}),
        # Sign-up requests: the coordinators of its bassin, and the admins.
        "list_signups": Rule(None, {COORDINATOR: ALWAYS, ADMIN: ALWAYS}),
        "decide_signup": Rule(SignupRequest, {COORDINATOR: SIGNUP_IN_OWN_BASSIN, ADMIN: ALWAYS}),
        # Accounts, from the admins' page: every account, admins only.
        "list_accounts": Rule(None, {ADMIN: ALWAYS}),
        "view_account": Rule(User, {ADMIN: ALWAYS}),
        "disable_account": Rule(User, {ADMIN: ALWAYS}),
        "enable_account": Rule(User, {ADMIN: ALWAYS}),
        "reset_second_factor": Rule(User, {ADMIN: ALWAYS}),
        # One's own account (the predicate knows which roles must keep a second factor).
        "turn_off_second_factor": Rule(User, {OPERATOR: OWN_OPTIONAL_SECOND_FACTOR,
                                              COORDINATOR: OWN_OPTIONAL_SECOND_FACTOR,
                                              ADMIN: OWN_OPTIONAL_SECOND_FACTOR}),
        # Referrals hold personal data: the workers of the sending service and the course's operator
        # read them; coordinators and admins never do.
        "refer_to_course": Rule(Course, {SOCIAL_WORKER: ALWAYS}),
        "list_referrals": Rule(None, {SOCIAL_WORKER: ALWAYS, OPERATOR: ALWAYS}),
        "view_referral": Rule(Referral, {SOCIAL_WORKER: REFERRAL_OF_OWN_SERVICE, OPERATOR: REFERRAL_OF_OWN_OPERATOR}),
        "answer_referral": Rule(Referral, {OPERATOR: REFERRAL_OF_OWN_OPERATOR}),
        "delete_referral": Rule(Referral, {SOCIAL_WORKER: REFERRAL_OF_OWN_SERVICE}),
    }


def _rule(action: str, target: Any) -> Rule:
    """The action's row; raises on an unknown action or a target of another type."""
    rule = rules().get(action)
    if rule is None:
        raise UnknownAction(f"no permission rule for the action {action!r}")
    if rule.target is None and target is not None or rule.target is not None and not isinstance(target, rule.target):
        expected = "no target" if rule.target is None else f"a {getattr(rule.target, '__name__', rule.target)}"
        raise TypeError(f"the action {action!r} takes {expected}, not {type(target).__name__}")
    return rule


def _role_grant(user: Any, rule: Rule) -> Grant | None:
    """The grant of the user's role; None for anonymous and disabled users and roles not named."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return rule.by_role.get(user.role)


def may(user: Any, action: str, target: Any = None) -> bool:
    """May ``user`` do ``action`` (to ``target``)? Anonymous and disabled users: no."""
    grant = _role_grant(user, _rule(action, target))
    return grant is not None and grant.allows(user, target)


def require(action: str, target: Any = None) -> None:
    """403 unless the current user may do ``action`` (to ``target``)."""
    if not may(current_user, action, target):
        abort(403)


# -- loaders: what a URL names, for the current user (404 when missing, 403 when not allowed) ----
def _loaded(found: Any, action: str) -> Any:
    if found is None:
        abort(404)
    require(action, found)
    return found


def _by_ref(model: type, ref: str) -> Any:
    return db.session.scalar(select(model).where(model.ref == ref_key(ref)))


def _by_id(model: type, key: int) -> Any:
    return db.session.get(model, key) if 0 < key <= MAX_ID else None


def operator_for(ref: str, action: str) -> Operator:
    """The operator of that ref, if the current user may ``action`` it (else 404/403)."""
    return _loaded(_by_ref(Operator, ref), action)


def course_for(ref: str, action: str) -> Course:
    """The course of that ref, if the current user may ``action`` it (else 404/403)."""
    return _loaded(_by_ref(Course, ref), action)


def site_for(ref: str, action: str) -> Site:
    """The site of that ref, if the current user may ``action`` it (else 404/403)."""
    return _loaded(_by_ref(Site, ref), action)


def signup_for(request_id: int, action: str) -> Any:
    """The sign-up request of that id, if the current user may ``action`` it (else 404/403)."""
    from portal.accounts.models import SignupRequest

    return _loaded(_by_id(SignupRequest, request_id), action)


def invitation_for(invitation_id: int, action: str) -> Any:
    """The invitation of that id, if the current user may ``action`` it (else 404/403)."""
    from portal.accounts.models import Invitation

    return _loaded(_by_id(Invitation, invitation_id), action)


def colleague_for(user_id: int, action: str) -> Any:
    """The account of that id if it is an operator's user (else 404) and the current user may
    ``action`` it (else 403)."""
    from portal.accounts.models import User

    found = _by_id(User, user_id)
    return _loaded(found if found is not None and found.role == OPERATOR and found.operator_id else None, action)


def account_for(user_id: int, action: str) -> Any:
    """The account of that id, for the admins' page: 403 for others whatever the id (the page is
    theirs, and says nothing of which ids exist), then 404 when it does not exist."""
    from portal.accounts.models import User

    require("list_accounts")
    return _loaded(_by_id(User, user_id), action)


def bassin_for(name: str, action: str) -> str:
    """The gazetteer's name of that bassin, if the current user may ``action`` it (else 404/403)."""
    from portal.geo.gazetteer import get_gazetteer

    return _loaded(get_gazetteer().bassin(name), action)


def referral_for(referral_id: int, action: str) -> Any:
    """The referral of that id, if the current user may ``action`` it (else 404/403)."""
    from portal.referrals.models import Referral

    return _loaded(_by_id(Referral, referral_id), action)


LOADERS = (operator_for, course_for, site_for, signup_for, invitation_for, colleague_for, account_for, bassin_for,
           referral_for)


# -- scopes: the rows of a list page, as a SQL condition ------------------------------------------
def scope(user: Any, action: str) -> ColumnElement[bool]:
    """The targets ``user`` may ``action``, as a condition on the target's model (nothing for
    roles without a grant); the action's grants must carry ``where``."""
    rule = rules().get(action)
    if rule is None or not isinstance(rule.target, type):
        raise UnknownAction(f"no scope for the action {action!r}")
    grant = _role_grant(user, rule)
    if grant is None:
        return false()
    if grant.where is None:
        raise UnknownAction(f"the action {action!r} has no SQL condition for the role {user.role!r}")
    return grant.where(user)


def operators_seen_by(user: Any) -> ColumnElement[bool]:
    """The operators ``user`` sees: its own, those of its bassin (coordinators), all (admins)."""
    return scope(user, "view_operator")


def signups_reviewed_by(user: Any) -> ColumnElement[bool]:
    """The sign-up requests ``user`` decides: its bassin's (coordinators), all (admins)."""
    return scope(user, "decide_signup")


def accounts_managed_by(user: Any) -> ColumnElement[bool]:
    """The accounts ``user`` manages from the admins' page: all for admins, none for others."""
    return scope(user, "view_account")


def referrals_seen_by(user: Any) -> ColumnElement[bool]:
    """The referrals ``user`` reads: its service's (social workers), its operator's (operators)."""
    return scope(user, "view_referral")


def bassins_of(user: Any, action: str) -> list[str]:
    """The bassins whose cadastre ``user`` may ``action`` (import_cadastre, export_cadastre)."""
    from portal.geo.gazetteer import get_gazetteer

    return [bassin for bassin in get_gazetteer().bassins if may(user, action, bassin)]
