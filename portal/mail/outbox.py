"""Delivering the outbox (a scheduled job, every few minutes) and purging it (daily).

A message is claimed before it is sent (a lease on its next attempt), so two runs at once never
send it twice. A failure is retried later, each time after a longer wait, and given up (status
``failed``, logged as an error) after MAX_ATTEMPTS: while the mail server is down nothing is lost."""
from __future__ import annotations

import datetime as dt
import json
import logging
import smtplib
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from flask import current_app
from sqlalchemy import delete, func, or_, select, update

from portal.db import as_naive_utc
from portal.extensions import db
from portal.mail.models import DISCARDED, FAILED, PENDING, SENT, OutboxMessage

log = logging.getLogger("passerelle.mail")

# Minutes to wait after the 1st, 2nd, … failed attempt (then a day each time).
BACKOFF_MINUTES = (1, 5, 15, 60, 180, 360, 720, 1440)
MAX_ATTEMPTS = 10  # about four days of tries
BATCH = 200  # messages per run at most: a run stays short, the next one goes on
LEASE = dt.timedelta(minutes=10)  # a claimed message is not claimed again before this
KEEP_SENT = dt.timedelta(days=30)  # delivered and failed messages are kept this long (for questions)
KEEP_DISCARDED = dt.timedelta(days=1)
# The message is refused, not the connection: the next messages may still go.
MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


def backoff(attempts: int) -> dt.timedelta:
    """How long to wait after ``attempts`` failed attempts."""
    return dt.timedelta(minutes=BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1])




class _Sender:
    """One SMTP connection for a run, opened at the first message; or the log without MAIL_SERVER."""

    def __init__(self) -> None:
        self.config = current_app.config
        self.smtp: smtplib.SMTP | None = None

    def send(self, message: OutboxMessage) -> None:
        email = EmailMessage()
        email["From"] = self.config["MAIL_FROM"]
        email["To"] = message.recipients
        email["Subject"] = message.subject
        email["Date"] = format_datetime(message.created_at.replace(tzinfo=dt.UTC))
        email["Message-ID"] = make_msgid(domain="passerelle")
        for name, value in json.loads(message.headers or "{}").items():
            email[name] = value
        email.set_content(message.body)
        if not self.config.get("MAIL_SERVER"):
            log.warning("No MAIL_SERVER: e-mail not sent, here it is.\nFrom: %s\nTo: %s\nSubject: %s\n\n%s",
                        email["From"], email["To"], message.subject, message.body)
            return
        if self.smtp is None:
            smtp = smtplib.SMTP(self.config["MAIL_SERVER"], int(self.config["MAIL_PORT"]), timeout=30)
            try:
                if self.config.get("MAIL_USE_TLS"):
                    smtp.starttls()
                if self.config.get("MAIL_USERNAME"):
                    smtp.login(self.config["MAIL_USERNAME"], self.config["MAIL_PASSWORD"])
            except BaseException:
                smtp.close()
                raise
            self.smtp = smtp
        self.smtp.send_message(email)

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None


def deliver_outbox(now: dt.datetime | None = None) -> str:
    """Send the messages that are due; returns a one-line summary for the job log."""
    now = as_naive_utc(now)
    due = list(db.session.scalars(
        select(OutboxMessage.id).where(OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(BATCH)))
    sent = retried = gave_up = 0
    stopped = None
    sender = _Sender()
    try:
        for message_id in due:
            claimed = db.session.execute(update(OutboxMessage).where(
                OutboxMessage.id == message_id, OutboxMessage.status == PENDING,
                OutboxMessage.next_attempt_at <= now).values(next_attempt_at=now + LEASE))
            db.session.commit()
            if claimed.rowcount != 1:
                continue  # another run took it
            message = db.session.get(OutboxMessage, message_id)
            try:
                sender.send(message)
            except (smtplib.SMTPException, OSError) as error:
                if _record_failure(message, error, now):
                    gave_up += 1
                else:
                    retried += 1
                if not isinstance(error, MESSAGE_ERRORS):
                    sender.close()
                    stopped = f"{type(error).__name__}: {error}"
                    break  # the server is unreachable: the others wait for the next run, untouched
                continue
            message.status, message.sent_at, message.next_attempt_at = SENT, now, None
            message.attempts, message.last_error = message.attempts + 1, None
            if message.holds_link:
                # A reset, invitation or alert link lives in the recipient's mailbox only.
                message.body, message.headers = "", None
            db.session.commit()
            sent += 1
    finally:
        sender.close()
    waiting = db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.status == PENDING))
    summary = f"outbox: {sent} sent, {retried} to retry, {gave_up} failed, {waiting} waiting"
    return f"{summary} (stopped: {stopped})" if stopped else summary


def _record_failure(message: OutboxMessage, error: Exception, now: dt.datetime) -> bool:
    """Count a failed attempt; True when it was the last one (the message is given up)."""
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:1000]
    if message.attempts < MAX_ATTEMPTS:
        message.next_attempt_at = now + backoff(message.attempts)
        db.session.commit()
        log.warning("E-mail %s to %s not sent (attempt %s, next at %s): %s", message.id, message.recipients,
                    message.attempts, message.next_attempt_at, message.last_error)
        return False
    message.status, message.next_attempt_at = FAILED, None
    if message.holds_link:
        message.body, message.headers = "", None
    db.session.commit()
    log.error("E-mail %s to %s given up after %s attempts: %s (subject: %s)", message.id, message.recipients,
              message.attempts, message.last_error, message.subject)
    return True


def purge_outbox(now: dt.datetime | None = None) -> str:
    """Delete the discarded twins after a day, delivered and failed messages after 30 days."""
    now = as_naive_utc(now)
    result = db.session.execute(delete(OutboxMessage).where(or_(
        (OutboxMessage.status == DISCARDED) & (OutboxMessage.created_at < now - KEEP_DISCARDED),
        (OutboxMessage.status == SENT) & (OutboxMessage.sent_at < now - KEEP_SENT),
        (OutboxMessage.status == FAILED) & (OutboxMessage.created_at < now - KEEP_SENT),
    )))
    db.session.commit()
    return f"outbox purge: {result.rowcount} message(s) deleted"
