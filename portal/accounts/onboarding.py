"""How people get an account: an organisation's sign-up request validated by a coordinator of its
bassin (or an admin), invitations of colleagues, password resets. Links are signed tokens
(``tokens.py``); every e-mail goes through ``portal.mail``."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from flask import current_app, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.exc import IntegrityError

from portal.accounts.models import Invitation, SignupRequest, User
from portal.accounts.services import AccountError, hash_password, normalise_email
from portal.accounts.tokens import INVITATION, PASSWORD_RESET, TokenError, make_token, read_token
from portal.db import utc_now
from portal.extensions import db
from portal.mail import discard_mail, mail_context, send_mail
from portal.normalise import fold_name, slug
from portal.offer.models import Operator
from portal.offer.refs import unique_ref


# -- sign-up requests --------------------------------------------------------------------------
def email_in_use(email: str) -> bool:
    """An account or a pending request already has this e-mail."""
    email = normalise_email(email)
    users = db.session.scalar(select(func.count(User.id)).where(User.email == email))
    pending = db.session.scalar(select(func.count(SignupRequest.id)).where(
        SignupRequest.email == email, SignupRequest.status == "pending"))
    return bool(users or pending)


def request_signup(**fields: Any) -> SignupRequest:
    """Record a sign-up request and tell the coordinators of its bassin (admins when it has none)."""
    email = normalise_email(fields.pop("email"))
    request = SignupRequest(**fields, email=email)
    db.session.add(request)
    db.session.commit()
    from portal.accounts.services import recipients_by_language

    # One notice per language of the reviewers; nobody to tell: written all the same, never sent.
    for language, reviewers in (recipients_by_language(reviewers_of(request.bassin_efe)) or {"fr": []}).items():
        subject, body = _reviewers_notice(request, language)
        send_mail(reviewers, subject, body)
    return request


def _reviewers_notice(request: SignupRequest, language: str = "fr") -> tuple[str, str]:
    with mail_context(language):
        subject = (_("Passerelle: %(name)s asks for a social worker's account", name=request.organisation)
                   if request.for_social_worker
                   else _("Passerelle: %(name)s asks to publish its courses", name=request.organisation))
        body = render_template("accounts/email/signup_received.txt", request=request,
                               link=url_for("workspace.signups", _external=True))
    return subject, body


def signups_today(bassin: str) -> int:
    """Sign-up requests of a bassin in the last 24 hours (capped by SIGNUP_DAILY_LIMIT)."""
    return db.session.scalar(select(func.count(SignupRequest.id)).where(
        SignupRequest.bassin_efe == bassin, SignupRequest.created_at > utc_now() - dt.timedelta(days=1)))


class SignupsFull(Exception):
    """The bassin received SIGNUP_DAILY_LIMIT requests in the last 24 hours: come back tomorrow."""


def ask_for_account(fields: dict[str, Any]) -> None:
    """An organisation asks for an account: a request its coordinators decide, or, when the
    address has an account or a request already, a word to its owner; the same answer either way
    (no one learns which addresses have accounts). Raises SignupsFull past the bassin's daily cap."""
    if signups_today(fields["bassin_efe"]) >= current_app.config["SIGNUP_DAILY_LIMIT"]:
        raise SignupsFull()
    if email_in_use(fields["email"]):
        tell_address_in_use(**fields)
    else:
        request_signup(**fields)


def tell_address_in_use(**fields: Any) -> None:
    """Someone asked for an account with an address that has one (or a request): tell its owner.
    The coordinators' notice that a new request sends is written too, as a twin never sent, so
    that both answers take the same work and time."""
    email = normalise_email(fields.pop("email"))
    with mail_context():
        subject = _("Passerelle: you already have an account or a request")
        body = render_template("accounts/email/address_in_use.txt", organisation=fields["organisation"],
                               login=url_for("accounts.login", _external=True),
                               forgot=url_for("accounts.forgot_password", _external=True))
    send_mail([email], subject, body)
    twin = SignupRequest(**fields, email=email, created_at=utc_now())  # never added to the database
    subject, body = _reviewers_notice(twin)
    discard_mail(subject, body)


def reviewers_of(bassin: str) -> list[str]:
    """Who validates sign-ups of a bassin: its coordinators, else the admins."""
    coordinators = list(db.session.scalars(select(User.email).where(
        User.role == "coordinator", User.bassin_efe == bassin, User.active.is_(True)).order_by(User.email)))
    return coordinators or list(db.session.scalars(select(User.email).where(
        User.role == "admin", User.active.is_(True)).order_by(User.email)))


def pending_signups(reviewed: ColumnElement[bool]) -> list[SignupRequest]:
    """Requests of a scope (``permissions.signups_reviewed_by``) still waiting, oldest first."""
    query = select(SignupRequest).where(reviewed, SignupRequest.status == "pending")
    return list(db.session.scalars(query.order_by(SignupRequest.created_at, SignupRequest.id)))


def decided_signups(reviewed: ColumnElement[bool], limit: int = 20) -> list[SignupRequest]:
    """The latest decided requests of a scope (``permissions.signups_reviewed_by``), newest first."""
    query = select(SignupRequest).where(reviewed, SignupRequest.status != "pending")
    return list(db.session.scalars(query.order_by(SignupRequest.decided_at.desc()).limit(limit)))


def operator_ref_for(name: str) -> str:
    """A readable operator ref not used yet."""
    return unique_ref(Operator, slug(name) or "operateur")


def service_for_signup(request: SignupRequest) -> Any:
    """The service a social worker's request joins: the one of the same name (ignoring case,
    accents and hyphens) at the same postal code; None when the validation makes a new one."""
    from portal.referrals.models import Service

    same_place = db.session.scalars(select(Service).where(Service.postal_code == request.postal_code))
    return next((service for service in same_place if fold_name(service.name) == fold_name(request.organisation)),
                None)


def _join_or_make_service(request: SignupRequest) -> Any:
    from portal.referrals.models import Service

    service = service_for_signup(request)
    if service is None:
        service = Service(ref=unique_ref(Service, slug(request.organisation) or "service"), name=request.organisation,
                          kind=request.kind, postal_code=request.postal_code, locality=request.locality,
                          bassin_efe=request.bassin_efe)
        db.session.add(service)
    return service


def approve_signup(request: SignupRequest, decider: User) -> Invitation:
    """Create the operator (nothing public yet: it has no course) and invite the requester; for a
    social worker, join (or make) their service and invite them as its worker."""
    # Decide once, even when two people (or a double click) validate at the same moment.
    claimed = db.session.execute(update(SignupRequest).where(
        SignupRequest.id == request.id, SignupRequest.status == "pending").values(status="approved"))
    if claimed.rowcount != 1:
        db.session.rollback()
        raise AccountError("this request was already decided")
    request.status, request.decided_at, request.decided_by = "approved", utc_now(), decider
    if request.for_social_worker:
        request.service = _join_or_make_service(request)
        invitation = _new_invitation(None, request.email, decider, service=request.service)
    else:
        request.operator = Operator(ref=operator_ref_for(request.organisation), name=request.organisation,
                                    kind=request.kind, website=request.website,
                                    phone=request.phone,  # the sign-in e-mail stays private
                                    home_bassin=request.bassin_efe)
        db.session.add(request.operator)
        invitation = _new_invitation(request.operator, request.email, decider)
    db.session.commit()
    send_invitation(invitation, welcome=True)
    return invitation


def reject_signup(request: SignupRequest, decider: User, note: str) -> None:
    claimed = db.session.execute(update(SignupRequest).where(
        SignupRequest.id == request.id, SignupRequest.status == "pending").values(status="rejected"))
    if claimed.rowcount != 1:
        db.session.rollback()
        raise AccountError("this request was already decided")
    request.status, request.decided_at, request.decided_by = "rejected", utc_now(), decider
    request.decision_note = note.strip() or None
    db.session.commit()
    with mail_context():
        subject = _("Passerelle: your request for %(name)s", name=request.organisation)
        body = render_template("accounts/email/signup_rejected.txt", request=request)
    send_mail([request.email], subject, body)


# -- invitations -------------------------------------------------------------------------------
def _new_invitation(operator: Operator | None, email: str, inviter: User | None, service: Any = None) -> Invitation:
    now = utc_now()
    invitation = Invitation(email=normalise_email(email), operator=operator, service=service, invited_by=inviter,
                            created_at=now,
                            expires_at=now + dt.timedelta(days=current_app.config["INVITATION_DAYS"]))
    db.session.add(invitation)
    db.session.flush()
    return invitation


def invite(operator: Operator, email: str, inviter: User) -> Invitation:
    """Invite a colleague to the operator; the e-mailed link expires after INVITATION_DAYS."""
    email = normalise_email(email)
    if db.session.scalar(select(func.count(User.id)).where(User.email == email)):
        raise AccountError(_("An account already uses this e-mail address."))
    now = utc_now()
    for earlier in db.session.scalars(select(Invitation).where(
            Invitation.email == email, Invitation.operator_id == operator.id,
            Invitation.accepted_at.is_(None), Invitation.cancelled_at.is_(None))):
        earlier.cancelled_at = now  # one valid link at a time
    invitation = _new_invitation(operator, email, inviter)
    db.session.commit()
    send_invitation(invitation)
    return invitation


def send_invitation(invitation: Invitation, welcome: bool = False) -> None:
    token = make_token(INVITATION, {"i": invitation.id, "e": invitation.email})
    with mail_context():
        link = url_for("accounts.accept_invitation", token=token, _external=True)
        if invitation.service is not None:
            subject = _("Passerelle: your account for %(name)s is validated, choose your password",
                        name=invitation.service.name)
        elif welcome:
            subject = _("Passerelle: %(name)s is validated, choose your password", name=invitation.operator.name)
        else:
            subject = _("Passerelle: you are invited to keep the courses of %(name)s", name=invitation.operator.name)
        body = render_template("accounts/email/invitation.txt", invitation=invitation, link=link, welcome=welcome)
    send_mail([invitation.email], subject, body, holds_link=True)


def invitations_of(operator: Operator) -> list[Invitation]:
    """The operator's invitations not yet accepted (pending, expired or cancelled), newest first."""
    return list(db.session.scalars(select(Invitation).where(
        Invitation.operator_id == operator.id, Invitation.accepted_at.is_(None), Invitation.cancelled_at.is_(None))
        .order_by(Invitation.created_at.desc())))


def invitation_from_link(token: str) -> Invitation:
    """The pending invitation of a link; raises TokenError (expired=True when too old or used)."""
    max_age = current_app.config["INVITATION_DAYS"] * 86400
    payload = read_token(INVITATION, token, max_age)
    invitation = db.session.get(Invitation, payload.get("i")) if isinstance(payload, dict) else None
    if invitation is None or invitation.email != payload.get("e"):
        raise TokenError(expired=False)
    if invitation.state(utc_now()) != "pending":
        raise TokenError(expired=True)
    return invitation


def accept_invitation(invitation: Invitation, password: str) -> User:
    """The invited person's account, created with their password."""
    from portal.accounts.services import create_user

    # Accept once, even on a double click: the second request finds it taken.
    claimed = db.session.execute(update(Invitation).where(
        Invitation.id == invitation.id, Invitation.accepted_at.is_(None)).values(accepted_at=utc_now()))
    if claimed.rowcount != 1:
        db.session.rollback()
        raise AccountError("this invitation was already used")
    try:
        if invitation.service is not None:
            return create_user(invitation.email, password, "social_worker", service_ref=invitation.service.ref)
        return create_user(invitation.email, password, "operator", operator_ref=invitation.operator.ref)
    except IntegrityError as exc:  # the same e-mail created at the same moment
        db.session.rollback()
        raise AccountError("an account already uses this e-mail address") from exc


# -- passwords ---------------------------------------------------------------------------------
def send_password_reset(email: str) -> None:
    """E-mail a reset link if an active account has this e-mail; say nothing either way. Both
    ways write the same message to the outbox (for an unknown address, a twin never sent), so the
    answer takes the same work and time."""
    email = normalise_email(email)
    user = db.session.scalar(select(User).where(User.email == email, User.active.is_(True)))
    payload = {"u": user.id, "s": user.password_stamp} if user else {"u": 0, "s": "0" * 16}
    token = make_token(PASSWORD_RESET, payload)
    with mail_context(user.language if user else "fr"):
        link = url_for("accounts.reset_password", token=token, _external=True)
        subject = _("Passerelle: choose a new password")
        body = render_template("accounts/email/password_reset.txt", user=user or SimpleNamespace(email=email),
                               link=link, minutes=current_app.config["PASSWORD_RESET_MINUTES"])
    if user is None:
        discard_mail(subject, body, holds_link=True)
    else:
        send_mail([user.email], subject, body, holds_link=True)


def user_for_reset(token: str) -> User:
    payload = read_token(PASSWORD_RESET, token, current_app.config["PASSWORD_RESET_MINUTES"] * 60)
    user = db.session.get(User, payload.get("u")) if isinstance(payload, dict) else None
    if user is None or not user.active:
        raise TokenError(expired=False)
    if payload.get("s") != user.password_stamp:
        raise TokenError(expired=True)  # already used (the password changed since)
    return user


def set_password(user: User, password: str) -> None:
    from portal.accounts.services import MIN_PASSWORD_LENGTH

    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    user.password_hash = hash_password(password)
    # Every session made before ends (the password stamp changes too; the generation also covers
    # a password set to the same value).
    user.session_generation = User.session_generation + 1
    db.session.commit()


def team_of(operator: Operator) -> list[User]:
    return list(db.session.scalars(select(User).where(User.operator_id == operator.id).order_by(User.email)))

