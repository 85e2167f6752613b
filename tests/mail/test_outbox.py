"""The outbox: requests only write messages; ``deliver_outbox`` sends them, retries with a
growing wait while the mail server is down, never loses one, and blanks private links once sent.
"Forgot password" and sign-up answer the same, whether the address has an account or not and
whether the mail server works or not."""
from __future__ import annotations

import datetime as dt
import logging
import smtplib

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.mail import send_mail
from portal.mail.models import DISCARDED, FAILED, PENDING, SENT, OutboxMessage
from portal.mail.outbox import MAX_ATTEMPTS, backoff, deliver_outbox, purge_outbox
from tests.accounts.test_onboarding import SIGNUP
from tests.people import link_in, make_people

NOW = dt.datetime(2026, 11, 27, 9, 0)


def soon() -> dt.datetime:
    """Just after now (UTC, naive like the database): messages written so far are due."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(seconds=1)


class FakeSMTP:
    """smtplib.SMTP as a test double: ``down`` refuses the connection; sent messages are kept."""

    down = False
    refuse: set[str] = set()
    sent: list = []
    connections = 0

    def __init__(self, host, port, timeout=None):
        if FakeSMTP.down:
            raise ConnectionRefusedError(111, "Connection refused")
        FakeSMTP.connections += 1

    def starttls(self):
        pass

    def login(self, username, password):
        pass

    def send_message(self, message):
        if message["To"] in FakeSMTP.refuse:
            raise smtplib.SMTPRecipientsRefused({message["To"]: (550, b"no such user")})
        FakeSMTP.sent.append(message)

    def quit(self):
        pass

    def close(self):
        pass


@pytest.fixture()
def smtp(app, monkeypatch):
    """A configured mail server answered by FakeSMTP (working until a test sets ``down``)."""
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    monkeypatch.setattr(FakeSMTP, "down", False)
    monkeypatch.setattr(FakeSMTP, "refuse", set())
    monkeypatch.setattr(FakeSMTP, "sent", [])
    monkeypatch.setattr(FakeSMTP, "connections", 0)
    return FakeSMTP


@pytest.fixture()
def people(app_context):
    return make_people()


def outbox() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_forgot_password_answers_the_same_for_every_address_while_smtp_is_down(app, people, smtp):
    smtp.down = True
    known = app.test_client().post("/mot-de-passe-oublie", data={"email": "a@example.org"})
    unknown = app.test_client().post("/mot-de-passe-oublie", data={"email": "zz@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert known.get_data(as_text=True) == unknown.get_data(as_text=True).replace("zz@example.org", "a@example.org")
    # One row each: the real message and its twin, never sent.
    messages = outbox()
    assert [(m.recipients, m.status, m.holds_link) for m in messages] == [
        ("a@example.org", PENDING, True), ("", DISCARDED, True)]
    assert messages[0].subject == messages[1].subject

    now = soon()
    # The mail server is down: the message waits, its attempt counted, nothing lost.
    assert deliver_outbox(now) == ("outbox: 0 sent, 1 to retry, 0 failed, 1 waiting "
                                   "(stopped: ConnectionRefusedError: [Errno 111] Connection refused)")
    message = db.session.get(OutboxMessage, messages[0].id)
    assert (message.status, message.attempts, message.next_attempt_at) == (PENDING, 1, now + dt.timedelta(minutes=1))
    assert "ConnectionRefusedError" in message.last_error and "/mot-de-passe/" in message.body
    assert deliver_outbox(now + dt.timedelta(seconds=30)) == "outbox: 0 sent, 0 to retry, 0 failed, 1 waiting"

    # Back up: the next run delivers it, and the link leaves our database.
    smtp.down = False
    assert deliver_outbox(now + dt.timedelta(minutes=1)) == "outbox: 1 sent, 0 to retry, 0 failed, 0 waiting"
    [sent] = smtp.sent
    assert sent["To"] == "a@example.org" and sent["Subject"] == message.subject
    link = link_in(sent.get_content())
    message = db.session.get(OutboxMessage, message.id)
    assert (message.status, message.attempts, message.body) == (SENT, 2, "")
    assert message.sent_at == now + dt.timedelta(minutes=1)
    # The delivered link works.
    assert app.test_client().get(link).status_code == 200
    assert deliver_outbox(now + dt.timedelta(hours=1)) == "outbox: 0 sent, 0 to retry, 0 failed, 0 waiting"
    assert len(smtp.sent) == 1


def test_sign_up_answers_the_same_for_every_address_while_smtp_is_down(app, people, smtp):
    now = soon()
    smtp.down = True
    fresh = app.test_client().post("/inscription", data=dict(SIGNUP, email="new@example.org"))
    known = app.test_client().post("/inscription", data=dict(SIGNUP, email="a@example.org"))
    assert fresh.status_code == known.status_code == 200
    assert fresh.get_data(as_text=True) == known.get_data(as_text=True)
    # Both write the coordinators' notice; the known address's is a twin never sent.
    assert [(m.recipients, m.status) for m in outbox()] == [("coord@example.org", PENDING),
                                                            ("a@example.org", PENDING), ("", DISCARDED)]
    smtp.down = False
    assert deliver_outbox(now).startswith("outbox: 2 sent")
    assert [m["To"] for m in smtp.sent] == ["coord@example.org", "a@example.org"]


def test_every_request_writes_one_row_known_address_or_not(app, people):
    """The same work either way (no SMTP in the request: the time no longer tells)."""
    for email in ("a@example.org", "nobody@example.org", "A@EXAMPLE.ORG", "b@example.org"):
        before = db.session.scalar(select(func.count(OutboxMessage.id)))
        assert app.test_client().post("/mot-de-passe-oublie", data={"email": email}).status_code == 200
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == before + 1


def test_a_sign_up_with_nobody_to_tell_still_writes_its_row(app, app_context):
    app.test_client().post("/inscription", data=SIGNUP)  # no coordinator, no admin yet
    assert [(m.recipients, m.status) for m in outbox()] == [("", DISCARDED)]


def test_the_wait_grows_up_to_a_day_then_the_message_is_given_up_and_logged(app, app_context, smtp, caplog):
    send_mail(["x@example.org"], "Sujet", "Bonjour https://passerelle.test/invitation/abc", holds_link=True)
    smtp.down = True
    now, waits = soon(), []
    with caplog.at_level(logging.WARNING, logger="passerelle.mail"):
        for _attempt in range(MAX_ATTEMPTS):
            summary = deliver_outbox(now)
            [message] = outbox()
            if message.status == FAILED:
                break
            assert "1 to retry" in summary
            waits.append(message.next_attempt_at - now)
            now = message.next_attempt_at
    assert [int(wait.total_seconds() // 60) for wait in waits] == [1, 5, 15, 60, 180, 360, 720, 1440, 1440]
    assert "1 failed, 0 waiting" in summary
    assert (message.status, message.attempts, message.body) == (FAILED, MAX_ATTEMPTS, "")
    assert any(r.levelno == logging.ERROR and "given up after 10 attempts" in r.getMessage() for r in caplog.records)
    assert backoff(1) == dt.timedelta(minutes=1) and backoff(99) == dt.timedelta(days=1)


def test_a_refused_recipient_does_not_hold_back_the_others(app, app_context, smtp):
    send_mail(["refused@example.org"], "Un", "Premier")
    send_mail(["ok@example.org"], "Deux", "Second")
    smtp.refuse = {"refused@example.org"}
    assert deliver_outbox(soon()) == "outbox: 1 sent, 1 to retry, 0 failed, 1 waiting"
    assert [m["To"] for m in smtp.sent] == ["ok@example.org"]
    assert smtp.connections == 1  # one connection for the run
    refused, sent = outbox()
    assert refused.status == PENDING and "550" in refused.last_error and refused.body == "Premier"
    assert sent.status == SENT and sent.body == "Second"  # no link: kept


def test_a_message_is_claimed_so_two_runs_send_it_once(app, app_context, smtp):
    now = soon()
    send_mail(["x@example.org"], "Sujet", "Corps")
    [message] = outbox()
    # A run that stopped after claiming it (its lease not over) keeps others from sending it.
    message.next_attempt_at = now + dt.timedelta(minutes=10)
    db.session.commit()
    assert deliver_outbox(now).startswith("outbox: 0 sent") and smtp.sent == []
    assert deliver_outbox(now + dt.timedelta(minutes=10)).startswith("outbox: 1 sent")
    assert deliver_outbox(now + dt.timedelta(minutes=20)).startswith("outbox: 0 sent")
    assert len(smtp.sent) == 1


def test_without_mail_server_delivery_writes_to_the_log(app, app_context, caplog):
    send_mail(["x@example.org"], "Sujet\r\nBcc: y@example.org", "Corps")
    with caplog.at_level(logging.WARNING, logger="passerelle.mail"):
        assert deliver_outbox(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)).startswith("outbox: 1 sent")
    [record] = caplog.records
    assert "To: x@example.org\nSubject: Sujet Bcc: y@example.org\n\nCorps" in record.getMessage()


def test_purge_keeps_what_is_recent_and_what_is_waiting(app, app_context):
    old, recent = NOW - dt.timedelta(days=31), NOW - dt.timedelta(hours=2)
    rows = [(SENT, old), (SENT, recent), (FAILED, old), (DISCARDED, NOW - dt.timedelta(days=2)),
            (DISCARDED, recent), (PENDING, old)]
    for status, when in rows:
        db.session.add(OutboxMessage(recipients="x@example.org", subject=status, body="", status=status,
                                     created_at=when, sent_at=when if status == SENT else None,
                                     next_attempt_at=when if status == PENDING else None))
    db.session.commit()
    assert purge_outbox(NOW) == "outbox purge: 3 message(s) deleted"
    assert sorted((m.status, m.created_at) for m in outbox()) == sorted(
        [(SENT, recent), (DISCARDED, recent), (PENDING, old)])


def test_the_command_line_delivers_and_purges_by_hand(app, app_context, caplog):
    send_mail(["x@example.org"], "Sujet", "Corps")
    with caplog.at_level(logging.WARNING, logger="passerelle.mail"):
        result = app.test_cli_runner().invoke(args=["mail", "deliver"])
    assert result.exit_code == 0 and result.output == "outbox: 1 sent, 0 to retry, 0 failed, 0 waiting\n"
    assert "To: x@example.org" in caplog.records[0].getMessage()
    result = app.test_cli_runner().invoke(args=["mail", "purge"])
    assert result.exit_code == 0 and result.output == "outbox purge: 0 message(s) deleted\n"
