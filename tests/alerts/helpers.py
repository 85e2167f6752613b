"""Asking for and confirming alerts through the pages, and reading the captured outbox."""
from __future__ import annotations

import json

from sqlalchemy import select

from portal.alerts.models import Alert, AlertNotice
from portal.extensions import db
from portal.mail.models import OutboxMessage
from tests.alerts.conftest import SEARCH
from tests.people import link_in


def outbox() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def headers_of(message: OutboxMessage) -> dict[str, str]:
    return json.loads(message.headers or "{}")


def links_of(body: str) -> list[str]:
    """Every path of our site in an e-mail body, in order."""
    import re

    return re.findall(r"https://passerelle\.test(/\S+)", body)


def ask(client, email: str = "person@example.org", search: str = SEARCH):
    return client.post(f"/alerte?{search}", data={"email": email})


def ask_and_confirm(client, email: str = "person@example.org", search: str = SEARCH) -> Alert:
    before = len(outbox())
    assert ask(client, email, search).status_code == 200
    message = outbox()[before]
    confirm = link_in(message.body)
    assert "/alerte/confirmer/" in confirm
    assert client.post(confirm).status_code == 200
    return db.session.scalars(select(Alert).order_by(Alert.id.desc())).first()


def alerts() -> list[Alert]:
    db.session.expire_all()
    return list(db.session.scalars(select(Alert).order_by(Alert.id)))


def notices() -> list[tuple[int | None, str, str, bool]]:
    """(alert id, course ref, entry key, sent) of the log, in order."""
    from portal.offer.models import Course

    db.session.expire_all()
    return [(alert_id, ref, key, sent) for alert_id, ref, key, sent in db.session.execute(
        select(AlertNotice.alert_id, Course.ref, AlertNotice.entry_key, AlertNotice.sent)
        .join(Course, Course.id == AlertNotice.course_id).order_by(AlertNotice.id))]
