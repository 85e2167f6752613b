"""Outgoing e-mail. ``send_mail`` only writes the message to the outbox (``models.py``); the
scheduled job ``deliver_outbox`` (``outbox.py``) sends it through SMTP when MAIL_SERVER is set,
else writes it to the log (development, demonstrations, tests). No other way out."""
from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from flask import current_app
from flask_babel import force_locale

from portal.db import utc_now
from portal.extensions import db
from portal.mail.models import DISCARDED, PENDING, OutboxMessage


def send_mail(to: list[str], subject: str, body: str, *, holds_link: bool = False,
              headers: Mapping[str, str] | None = None) -> OutboxMessage:
    """Put a plain-text message to ``to`` in the outbox (committed: it is never lost); the next
    delivery run sends it. ``holds_link``: the body holds a private link (password reset,
    invitation) and is blanked once delivered. ``headers``: extra header lines (List-Unsubscribe).
    Without recipients the row is written all the same (so the work is the same) but never sent."""
    now = utc_now()
    subject = " ".join(subject.split())  # one line, whatever names it holds
    message = OutboxMessage(recipients=", ".join(to), subject=subject,
                            body=body if to else "", holds_link=holds_link, status=PENDING if to else DISCARDED,
                            created_at=now, attempts=0, next_attempt_at=now if to else None,
                            headers=json.dumps(dict(headers)) if headers else None)
    db.session.add(message)
    db.session.commit()
    return message


def discard_mail(subject: str, body: str, *, holds_link: bool = False) -> OutboxMessage:
    """The twin of a message that has nobody to go to (a password reset for an unknown address):
    written like a real one so that both answers take the same work, never sent, purged later."""
    return send_mail([], subject, body, holds_link=holds_link)


@contextmanager
def mail_context(language: str = "fr") -> Iterator[None]:
    """Write an e-mail in ``language`` (a workspace language code: the recipient's account's, else
    French), with links to the public address (``url_for(..., _external=True)`` gives PUBLIC_URL
    links, also from the command line)."""
    from portal.i18n import BY_CODE, DEFAULT

    locale = BY_CODE.get(language, DEFAULT).locale
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]), force_locale(locale):
        yield
