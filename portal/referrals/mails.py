"""The e-mails of referrals. None holds personal data: they say that something waits, for which
course, and link to the workspace, where the person's data is read after signing in."""
from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from portal.accounts.models import User
from portal.accounts.services import recipients_by_language
from portal.extensions import db
from portal.mail import mail_context, send_mail
from portal.referrals.models import Referral
from portal.referrals.queries import operator_recipients


def tell_operator(referral: Referral, reminder: bool) -> None:
    """A new referral waits (or, ``reminder``, still waits) for the operator's answer."""
    for language, recipients in (recipients_by_language(operator_recipients(referral.operator_id))
                                 or {"fr": []}).items():
        with mail_context(language):
            link = url_for("referrals.detail", referral_id=referral.id, _external=True)
            body = render_template("referrals/email/to_operator.txt", referral=referral, link=link, reminder=reminder)
            subject = (_("Passerelle: a referral waits for your answer") if reminder
                       else _("Passerelle: a new referral — sign in to read it"))
        send_mail(recipients, subject, body)


def worker_recipients(referral: Referral) -> list[str]:
    """The worker who sent it; when that account is no longer active, the service's active workers."""
    if referral.worker is not None and referral.worker.active:
        return [referral.worker.email]
    return list(db.session.scalars(select(User.email).where(
        User.service_id == referral.service_id, User.active.is_(True)).order_by(User.email)))


def tell_worker(referral: Referral) -> None:
    """The status of a referral changed."""
    for language, recipients in (recipients_by_language(worker_recipients(referral)) or {"fr": []}).items():
        with mail_context(language):
            link = url_for("referrals.detail", referral_id=referral.id, _external=True)
            body = render_template("referrals/email/to_worker.txt", referral=referral, link=link)
            subject = _("Passerelle: news of your referral no. %(number)s", number=referral.id)
        send_mail(recipients, subject, body)
