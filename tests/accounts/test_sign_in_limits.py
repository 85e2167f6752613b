"""Wrong passwords are counted per account (per e-mail address), whatever the visitor's address:
after 10 in a row sign-in waits 1, 2, 4, 8, then at most 15 minutes, never for good; while it
waits, the right password gets the same answer as a wrong one. Counting is done by the database,
so requests sent at once are all counted."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from portal.accounts import sign_in
from portal.accounts.models import SignInCounter
from portal.accounts.services import create_user
from portal.extensions import db
from tests import factories as f
from tests.accounts.test_second_factor import at_once, postgresql_only  # noqa: F401 (a fixture)
from tests.conftest import make_app
from tests.people import PASSWORD

START = dt.datetime(2026, 11, 27, 9, 0)


class Clock:
    def __init__(self) -> None:
        self.moment = START

    def __call__(self) -> dt.datetime:
        return self.moment

    def forward(self, **delta) -> None:
        self.moment += dt.timedelta(**delta)


@pytest.fixture()
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(sign_in, "now", clock)
    return clock


@pytest.fixture()
def account(app_context):
    f.load(f.document(f.operator("op-a")))
    create_user("a@example.org", PASSWORD, "operator", operator_ref="op-a")
    return "a@example.org"


def attempt(client, email: str, password: str, visitor: str | None = None):
    headers = {"X-Forwarded-For": visitor} if visitor else {}
    return client.post("/connexion", data={"email": email, "password": password}, headers=headers)


def answer(response) -> tuple[int, str]:
    """What a visitor learns: the status and the page (the e-mail typed is echoed, never the password)."""
    return response.status_code, response.get_data(as_text=True)


def test_wrong_passwords_from_rotating_addresses_then_the_right_one_waits(tmp_path, clock):
    """80 wrong passwords, each from another visitor's address (the per-address limit never
    trips), then the right password: refused, with the same answer as a wrong one."""
    app = make_app(f"sqlite:///{tmp_path / 'rotating.db'}", RATELIMIT_ENABLED=True, PROXY_COUNT=1)
    from portal.extensions import limiter

    with app.app_context():
        db.create_all()
        limiter.reset()
        f.load(f.document(f.operator("op-a")))
        create_user("a@example.org", PASSWORD, "operator", operator_ref="op-a")
        client = app.test_client()
        statuses = [attempt(client, "a@example.org", f"wrong password {n}", f"198.51.100.{n}").status_code
                    for n in range(80)]
        assert statuses[:9] == [400] * 9 and statuses[9] == 400 and set(statuses[10:]) == {429}
        right = attempt(client, "a@example.org", PASSWORD, "198.51.100.200")
        wrong = attempt(client, "a@example.org", "wrong password!", "198.51.100.201")
        assert answer(right) == answer(wrong)
        assert right.status_code == 429 and right.headers["Retry-After"] == "60"
        assert "attendez 1 minute" in right.get_data(as_text=True)
        assert client.get("/espace/").status_code == 302  # not signed in
        # After the delay, the right password works at once.
        clock.forward(minutes=1)
        response = attempt(client, "a@example.org", PASSWORD, "198.51.100.202")
        assert response.status_code == 302 and "/espace/" in response.headers["Location"]
        db.session.remove()
        db.engine.dispose()


def test_the_delay_grows_up_to_fifteen_minutes_and_never_locks_for_good(app, account, clock):
    client = app.test_client()
    for _ in range(9):
        assert attempt(client, account, "wrong password!").status_code == 400
    waits = []
    for _ in range(7):
        response = attempt(client, account, "wrong password!")
        assert response.status_code == 400  # checked, wrong: it starts the next delay
        blocked = attempt(client, account, PASSWORD)
        assert blocked.status_code == 429
        waits.append(int(blocked.headers["Retry-After"]) // 60)
        clock.forward(minutes=waits[-1])
    assert waits == [1, 2, 4, 8, 15, 15, 15]
    assert attempt(client, account, PASSWORD).status_code == 302
    # Signed in: the count starts again from zero.
    counter = db.session.scalar(select(SignInCounter))
    assert (counter.failures, counter.blocked_until) == (0, None)


def test_failures_are_forgotten_after_a_quiet_quarter_hour(app, account, clock):
    client = app.test_client()
    for _ in range(9):
        attempt(client, account, "wrong password!")
    clock.forward(minutes=16)
    for _ in range(9):
        assert attempt(client, account, "wrong password!").status_code == 400
    assert attempt(client, account, PASSWORD).status_code == 302


def test_an_address_without_account_waits_the_same_way(app, account, clock):
    """The delays tell nothing about which addresses have an account."""
    client = app.test_client()
    known = [answer(attempt(client, account, "wrong password!")) for _ in range(11)]
    unknown = [answer(attempt(client, "nobody@example.org", "wrong password!")) for _ in range(11)]
    assert [(status, page.replace("nobody@example.org", account)) for status, page in unknown] == known
    assert [status for status, _page in known] == [400] * 10 + [429]


def test_wrong_passwords_sent_at_once_are_all_counted(app, account, postgresql_only):  # noqa: F811
    clients = [app.test_client() for _ in range(16)]
    responses = at_once([lambda c=c: attempt(c, account, "wrong password!") for c in clients])
    statuses = sorted(response.status_code for response in responses)
    # Ten were checked (the tenth started the delay), the others waited without being checked.
    assert statuses == [400] * 10 + [429] * 6
    db.session.expire_all()
    assert db.session.scalar(select(SignInCounter.failures)) == 10


def test_old_counters_are_purged(app, account, clock):
    attempt(app.test_client(), account, "wrong password!")
    assert sign_in.purge_counters(START + dt.timedelta(hours=23)) == "sign-in counters purge: 0 deleted"
    assert sign_in.purge_counters(START + dt.timedelta(days=1, minutes=1)) == "sign-in counters purge: 1 deleted"
