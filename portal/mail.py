"""Outgoing e-mail: through SMTP when MAIL_SERVER is set, else written to the log (development,
demonstrations, tests). No other way out."""
from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage

from flask import current_app
from flask_babel import force_locale

log = logging.getLogger("passerelle.mail")


def send_mail(to: list[str], subject: str, body: str) -> None:
    """Send a plain-text message to ``to``; raises on an SMTP failure."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = ", ".join(to)
    subject = " ".join(subject.split())  # one line, whatever names it holds
    message["Subject"] = subject
    message.set_content(body)
    if not config.get("MAIL_SERVER"):
        log.warning("No MAIL_SERVER: e-mail not sent, here it is.\nFrom: %s\nTo: %s\nSubject: %s\n\n%s",
                    message["From"], message["To"], subject, body)
        return
    with smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=30) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


@contextmanager
def mail_context() -> Iterator[None]:
    """Write an e-mail: in French (the operators' language), with links to the public address
    (``url_for(..., _external=True)`` gives PUBLIC_URL links, also from the command line)."""
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]), force_locale("fr"):
        yield
