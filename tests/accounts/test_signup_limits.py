"""Sign-up requests are capped per bassin and per day (SIGNUP_DAILY_LIMIT): each one e-mails the
bassin's coordinators, whose inboxes must not be flooded. The answer beyond the cap is the same
for every address, and nothing typed is lost."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from portal.accounts.models import SignupRequest
from portal.extensions import db
from tests.accounts.test_onboarding import SIGNUP
from tests.people import mails, make_people


@pytest.fixture()
def people(app_context, app, monkeypatch):
    monkeypatch.setitem(app.config, "SIGNUP_DAILY_LIMIT", 2)
    return make_people()


def ask(app, email: str, postal_code: str = "5030"):
    return app.test_client().post("/inscription", data=dict(SIGNUP, email=email, postal_code=postal_code))


def test_beyond_the_daily_cap_of_a_bassin_requests_wait_for_tomorrow(app, people):
    assert [ask(app, f"org{n}@example.org").status_code for n in range(2)] == [200, 200]
    refused = ask(app, "org3@example.org")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429 and "renvoyez-la demain" in page
    assert 'value="org3@example.org"' in page and "Alpha Gembloux (test)" in page  # nothing typed is lost
    # An address with an account gets the very same answer (nothing tells them apart).
    known = ask(app, "org3@example.org".replace("org3", "a"))
    assert known.status_code == 429
    assert known.get_data(as_text=True).replace("a@example.org", "org3@example.org") == page
    assert db.session.scalar(select(func.count(SignupRequest.id))) == 2
    assert len(mails()) == 2  # the coordinator got two notices, not more
    # Another bassin has its own cap; the next day, the bassin takes requests again.
    assert ask(app, "liege@example.org", "4000").status_code == 200
    for request in db.session.scalars(select(SignupRequest)):
        request.created_at -= dt.timedelta(days=1, minutes=1)
    db.session.commit()
    assert ask(app, "org3@example.org").status_code == 200
