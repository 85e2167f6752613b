"""The alert form cannot be used to mail strangers: limits per visitor address (counted like the
sign-in limits), per e-mail address in 24 hours, and alerts running per address."""
from __future__ import annotations

import pytest

from portal.extensions import db, limiter
from tests import factories as f
from tests.alerts.conftest import namur_offer
from tests.alerts.helpers import alerts, ask, ask_and_confirm, links_of, outbox
from tests.conftest import make_app
from tests.html import parse


def test_an_address_gets_three_confirmation_mails_a_day_and_the_answer_stays_the_same(client, offer, clock):
    pages = [ask(client, "stranger@example.org", f"level=A{n % 2 + 1}&near=500{n}") for n in range(4)]
    assert [page.status_code for page in pages] == [200] * 4
    assert len({parse(page.get_data(as_text=True)).one("main").text for page in pages}) == 1  # nothing tells
    assert len(outbox()) == 3 and len(alerts()) == 3
    # Another address is not held back by this one.
    assert ask(client, "other@example.org").status_code == 200 and len(outbox()) == 4
    # Once 24 hours have passed since the first, the address may be asked again.
    clock.advance(hours=23, minutes=59)
    ask(client, "Stranger@Example.org")
    assert len(outbox()) == 4
    clock.advance(minutes=2)
    ask(client, "stranger@example.org")
    assert len(outbox()) == 5


def test_an_address_runs_ten_alerts_at_most(app, client, offer, clock, monkeypatch):
    monkeypatch.setitem(app.config, "ALERT_MAX_PER_ADDRESS", 2)
    monkeypatch.setitem(app.config, "ALERT_ADDRESS_DAILY_LIMIT", 10)
    ask_and_confirm(client, search="level=A1")
    ask_and_confirm(client, search="level=A2")
    ask(client, search="level=B1")
    response = client.post(links_of(outbox()[-1].body)[0])
    assert response.status_code == 409
    page = parse(response.get_data(as_text=True))
    assert page.one("h1").text == "Trop d'alertes pour cette adresse"
    assert "Cette adresse a déjà 2 alertes." in page.text
    assert [alert.confirmed for alert in alerts()] == [True, True, False]
    # Stopping one makes room.
    client.get(links_of(outbox()[0].body)[1])
    assert client.post(links_of(outbox()[-1].body)[0]).status_code == 200
    assert [alert.query for alert in alerts() if alert.confirmed] == ["level=A2", "level=B1"]


@pytest.fixture()
def limited_app(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'alerts-limit.db'}", RATELIMIT_ENABLED=True, PROXY_COUNT=1,
                   ALERT_RATE_LIMIT="3 per hour")
    with app.app_context():
        db.create_all()
        f.load(namur_offer())
        limiter.reset()
        yield app
        db.session.remove()


def test_a_visitor_address_may_ask_a_few_alerts_an_hour(limited_app):
    client = limited_app.test_client()

    def asking(visitor: str, email: str) -> int:
        return client.post("/alerte?level=A2", data={"email": email},
                           headers={"X-Forwarded-For": visitor}).status_code

    assert [asking("203.0.113.1", f"person{n}@example.org") for n in range(4)] == [200, 200, 200, 429]
    assert len(outbox()) == 3
    assert client.get("/alerte?level=A2", headers={"X-Forwarded-For": "203.0.113.1"}).status_code == 200
    assert asking("203.0.113.2", "someone@example.org") == 200  # another visitor has its own count
