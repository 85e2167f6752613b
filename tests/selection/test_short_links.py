"""Short links: made on request (rate-limited), random, holding course refs and a language only,
shown as a large QR code with the texts to send, working six months, then deleted by a job."""
from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from sqlalchemy import inspect, select

from portal.extensions import db, limiter
from portal.jobs.schedule import job_named
from portal.selection.models import ShortLink
from portal.selection.services import ALPHABET, CODE_LENGTH, LIFETIME, purge_short_links, short_link_for
from tests import factories as f
from tests.conftest import make_app
from tests.html import parse


@pytest.fixture()
def offer(app_context):
    f.load(f.document(f.operator(courses=[f.course("alpha", title="Alpha du matin"),
                                          f.course("beta", title="Bêta du soir")])))


def _make(client, query: str = "sel=alpha,beta", person: str = "ar"):
    return client.post(f"/selection/lien-court?{query}", data={"person": person})


def test_a_short_link_is_made_for_the_selection_and_the_persons_language(client, offer):
    response = _make(client)
    assert response.status_code == 303
    assert "Set-Cookie" not in response.headers  # a public page: no session, no cookie
    code = urlsplit(response.headers["Location"]).path.rsplit("/", 1)[1]
    assert len(code) == CODE_LENGTH and set(code) <= set(ALPHABET)
    link = db.session.scalar(select(ShortLink))
    assert (link.code, link.refs, link.language) == (code, "alpha,beta", "ar")
    # What it stores: the refs, the language, when; nothing about anyone.
    assert {column["name"] for column in inspect(db.engine).get_columns("short_link")} == {
        "id", "code", "refs", "language", "created_at", "expires_at"}
    assert link.expires_at - link.created_at == LIFETIME


def test_the_share_page_shows_the_code_the_address_and_the_texts_to_send(client, offer):
    share = _make(client).headers["Location"]
    page = parse(client.get(share).get_data(as_text=True))
    code = urlsplit(share).path.rsplit("/", 1)[1]
    url = f"https://passerelle.test/s/{code}"
    assert page.one(".share-url a").text == url
    assert page.one(".share-qr [role=img]")["aria-label"].endswith(url)
    assert page.one(".share-qr svg")
    hrefs = [a["href"] for a in page.select(".share-actions a")]
    mailto = next(href for href in hrefs if href.startswith("mailto:?subject="))
    sms = next(href for href in hrefs if href.startswith("sms:?body="))
    assert url in unquote(mailto) and url in unquote(sms)
    body = parse_qs(urlsplit(sms).query)["body"][0]
    assert body.endswith(url) and "\n" in body
    ics = next(href for href in hrefs if "/calendrier.ics?" in href)
    assert parse_qs(urlsplit(ics).query) == {"sel": ["alpha,beta"], "person": ["ar"]}
    assert [li.text for li in page.select(".share-courses li")] == ["Alpha du matin — Namur", "Bêta du soir — Namur"]


def test_the_short_link_opens_the_sheet_in_the_persons_language(client, offer):
    code = urlsplit(_make(client, person="uk").headers["Location"]).path.rsplit("/", 1)[1]
    response = client.get(f"/s/{code.upper()}")  # typed from the screen in capitals: still found
    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert target.path == "/selection"
    assert parse_qs(target.query) == {"sel": ["alpha,beta"], "lang": ["uk"], "person": ["uk"]}
    french = urlsplit(client.get(f"/s/{urlsplit(_make(client, person='fr').headers['Location']).path[-12:]}")
                      .headers["Location"])
    assert parse_qs(french.query) == {"sel": ["alpha,beta"], "person": ["fr"]}


def test_asking_again_gives_the_same_link_for_six_more_months(app_context, offer):
    now = dt.datetime(2026, 11, 27, 10, 0)
    first = short_link_for(["alpha", "beta"], "ar", now)
    later = now + dt.timedelta(days=30)
    again = short_link_for(["alpha", "beta"], "ar", later)
    assert again.code == first.code and again.expires_at == later + LIFETIME
    assert short_link_for(["beta", "alpha"], "ar", later).code != first.code  # another order, another list
    assert short_link_for(["alpha", "beta"], "uk", later).code != first.code
    assert db.session.query(ShortLink).count() == 3


def test_unknown_and_expired_links_say_so(client, offer):
    assert client.get("/s/aaaaaaaaaaaa").status_code == 404
    assert client.get("/s/not-a-code!").status_code == 404
    link = short_link_for(["alpha"], "ar", dt.datetime(2025, 1, 1))
    response = client.get(f"/s/{link.code}")
    assert response.status_code == 410
    assert "six mois" in response.get_data(as_text=True) or "six months" in response.get_data(as_text=True)
    assert client.get(f"/selection/partager/{link.code}").status_code == 410


def test_bad_requests_for_a_link(client, offer):
    assert _make(client, person="xx").status_code == 400
    empty = _make(client, query="sel=gone")
    assert empty.status_code == 303 and urlsplit(empty.headers["Location"]).path == "/selection"
    assert db.session.query(ShortLink).count() == 0
    assert client.get("/selection/lien-court").status_code == 405


def test_the_job_deletes_exactly_the_links_whose_six_months_are_over(app_context):
    now = dt.datetime(2026, 11, 27, 3, 15)
    due = short_link_for(["a"], "fr", now - LIFETIME - dt.timedelta(seconds=1))
    on_the_minute = short_link_for(["b"], "fr", now - LIFETIME)
    kept = short_link_for(["c"], "fr", now - LIFETIME + dt.timedelta(minutes=1))
    codes = {due.code, on_the_minute.code}
    assert purge_short_links(now, dry_run=True) == "2 expired short link(s) would be deleted"
    assert db.session.query(ShortLink).count() == 3
    assert job_named("short_links").run(now) == "2 expired short link(s) deleted"
    assert [link.code for link in db.session.scalars(select(ShortLink))] == [kept.code]
    assert kept.code not in codes


def test_making_links_is_rate_limited_per_visitor(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'links.db'}", RATELIMIT_ENABLED=True, SHORT_LINK_RATE_LIMIT="2 per hour")
    with app.app_context():
        db.create_all()
        limiter.reset()
        f.load_courses(f.course("alpha"))
        client = app.test_client()
        statuses = [client.post("/selection/lien-court?sel=alpha", data={"person": "ar"}).status_code
                    for _ in range(3)]
        other = client.post("/selection/lien-court?sel=alpha", data={"person": "ar"},
                            environ_base={"REMOTE_ADDR": "192.0.2.9"}).status_code
        assert statuses == [303, 303, 429] and other == 303
        db.session.remove()
        db.drop_all()
