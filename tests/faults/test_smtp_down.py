"""The mail server down for an hour (issue 13, item 4): e-mails written meanwhile by the portal's
own flows (password resets, a sign-up request, alerts' confirmations) wait in the outbox while the
job ``outbox`` runs every 5 minutes; none is given up, none is lost, and once the server answers
again every one is delivered, exactly once."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from portal.extensions import db
from portal.jobs.services import run_jobs
from portal.mail.models import DISCARDED, FAILED, PENDING, SENT, OutboxMessage
from tests.accounts.test_onboarding import SIGNUP
from tests.mail.test_outbox import smtp  # noqa: F401  (the fake mail server)
from tests.people import make_people


def statuses() -> list[str]:
    db.session.expire_all()
    return [message.status for message in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


def test_an_hour_without_the_mail_server_loses_no_e_mail(app, client, app_context, smtp):  # noqa: F811
    people = make_people()
    smtp.down = True
    for email in (people["operator A"], people["coordinator"], people["admin"], "nobody@example.org"):
        assert client.post("/mot-de-passe-oublie", data={"email": email}).status_code in (200, 302)
    assert client.post("/inscription", data=SIGNUP).status_code in (200, 302)
    written = [status for status in statuses() if status == PENDING]  # an unknown address: a discarded row
    assert len(written) == 4 and statuses().count(DISCARDED) == 1
    start = db.session.scalar(select(OutboxMessage.created_at).order_by(OutboxMessage.id))
    for minutes in range(0, 61, 5):  # the scheduler's call every 5 minutes, for an hour
        [outcome] = run_jobs(start + dt.timedelta(minutes=minutes, seconds=1), only=["outbox"])
        assert outcome.status in ("ok", "failed"), outcome.summary
        assert statuses().count(PENDING) == 4, minutes  # nothing sent, nothing given up
    assert smtp.sent == []
    smtp.down = False
    for minutes in range(65, 200, 5):
        run_jobs(start + dt.timedelta(minutes=minutes, seconds=1), only=["outbox"])
    assert statuses().count(SENT) == 4 and FAILED not in statuses() and PENDING not in statuses()
    recipients = sorted(message["To"] for message in smtp.sent)
    assert len(recipients) == len(written)  # each exactly once
    assert len(set(map(str, (m["Message-ID"] for m in smtp.sent)))) == len(written)
