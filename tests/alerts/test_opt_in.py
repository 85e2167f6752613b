"""Asking for an alert, confirming it from the e-mail (double opt-in) and stopping it in one click,
through the pages, with a fixed clock and the outbox as the captured mail."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import inspect as sa_inspect

from portal.alerts.models import Alert, AlertNotice
from portal.alerts.services import months_later
from portal.db import utc_now
from portal.extensions import db
from portal.mail.outbox import deliver_outbox
from tests.alerts.conftest import NOW
from tests.alerts.helpers import alerts, ask, ask_and_confirm, headers_of, links_of, notices, outbox
from tests.html import parse


def test_the_page_shows_the_search_in_words_and_the_form(client, offer):
    response = client.get("/alerte?near=5000&radius_km=15&level=A2&lang=en")
    assert response.status_code == 200
    page = parse(response.get_data(as_text=True))
    assert page.one("h1").text == "Get an e-mail when a course opens"
    assert [chip.text for chip in page.select(".alert-search .chip")] == ["Near 5000 Namur", "Within 15 km",
                                                                          "Level A2"]
    assert page.one("form input[name=email]").get("type") == "email"
    assert "The e-mails are in English." in page.text
    assert "Les e-mails sont en français." in parse(client.get("/alerte?level=A2").get_data(as_text=True)).text
    assert page.one(".back a")["href"] == "/?level=A2&near=5000&radius_km=15&lang=en"
    assert "Set-Cookie" not in response.headers  # public pages set no cookie, even with a form


def test_asking_writes_a_confirmation_mail_and_starts_nothing(client, offer, clock):
    response = ask(client, " Person@Example.org ")
    assert response.status_code == 200
    assert parse(response.get_data(as_text=True)).one("h1").text == "Regardez dans votre boîte e-mail"
    (message,) = outbox()
    assert message.recipients == "person@example.org" and message.holds_link
    assert message.subject == "Passerelle : confirmez votre alerte par e-mail"
    assert "Près de 5000 Namur · Jusqu'à 15\xa0km · Niveau A2" in message.body
    confirm, stop = links_of(message.body)
    assert confirm.startswith("/alerte/confirmer/") and stop.startswith("/alerte/arreter/")
    assert headers_of(message) == {"List-Unsubscribe": f"<https://passerelle.test{stop}>",
                                   "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    (alert,) = alerts()
    assert (alert.email, alert.query, alert.language) == ("person@example.org", "level=A2&near=5000&radius_km=15",
                                                          "fr")
    assert alert.created_at == NOW and alert.confirmed_at is None and alert.expires_at is None
    # What the person saw is known: only what opens later will be mailed.
    assert notices() == [(alert.id, "open-namur", "2027-01-11", False)]


def test_an_alert_stores_the_address_the_search_and_its_language_only():
    columns = {column.key for column in sa_inspect(Alert).columns}
    assert columns == {"id", "email", "query", "language", "created_at", "confirmed_at", "expires_at"}
    # Its log names courses and entries, never a person.
    assert {column.key for column in sa_inspect(AlertNotice).columns} == {
        "id", "alert_id", "course_id", "entry_key", "entry_start", "noted_at", "sent"}


def test_the_link_shows_a_button_and_only_the_button_starts_the_alert(client, offer, clock):
    ask(client)
    confirm = links_of(outbox()[0].body)[0]
    page = parse(client.get(confirm).get_data(as_text=True))
    assert page.one("h1").text == "Démarrer l'alerte ?"
    assert page.one("form")["method"] == "post" and page.one("form button").text == "Démarrer l'alerte"
    assert alerts()[0].confirmed_at is None  # a program that opens links starts nothing

    clock.advance(hours=3)
    response = client.post(confirm)
    assert response.status_code == 200
    page = parse(response.get_data(as_text=True))
    assert page.one("h1").text == "Votre alerte est active"
    assert "L'alerte s'arrête le 27 mai 2027." in page.text
    (alert,) = alerts()
    assert alert.confirmed_at == NOW + dt.timedelta(hours=3)
    assert alert.expires_at == dt.datetime(2027, 5, 27, 11, 0)
    # Opening the link again says so; nothing changes.
    assert "Votre alerte est active" in client.get(confirm).get_data(as_text=True)
    assert client.post(confirm).status_code == 200 and alerts()[0].confirmed_at == NOW + dt.timedelta(hours=3)


def test_one_click_stops_the_alert_and_forgets_the_address(client, offer, clock):
    alert = ask_and_confirm(client)
    stop = links_of(outbox()[0].body)[1]
    response = client.get(stop)
    assert response.status_code == 200
    page = parse(response.get_data(as_text=True))
    assert page.one("h1").text == "L'alerte est arrêtée"
    assert page.select(".alert-page a")[0]["href"] == "/alerte?level=A2&near=5000&radius_km=15"  # ask again
    assert alerts() == [] and notices() == []
    assert db.session.get(Alert, alert.id) is None
    # Twice: the same answer, never an error.
    assert client.get(stop).status_code == 200
    # The confirmation link of a stopped alert no longer works.
    assert client.get(links_of(outbox()[0].body)[0]).status_code == 404


def test_a_mail_program_stops_the_alert_with_a_post(client, offer, clock):
    """RFC 8058: the mail program POSTs "List-Unsubscribe=One-Click" to the List-Unsubscribe address."""
    ask_and_confirm(client)
    target = headers_of(outbox()[0])["List-Unsubscribe"].strip("<>").removeprefix("https://passerelle.test")
    response = client.post(target, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and alerts() == []


def test_the_confirmation_mail_also_cancels_in_one_click(client, offer, clock):
    ask(client)
    assert client.get(links_of(outbox()[0].body)[1]).status_code == 200
    assert alerts() == []


def test_mails_and_pages_speak_the_visitors_language(client, offer, clock):
    response = client.post("/alerte?near=5000&level=A2&lang=en", data={"email": "en@example.org"})
    assert parse(response.get_data(as_text=True)).one("h1").text == "Look in your mailbox"
    (message,) = outbox()
    assert message.subject == "Passerelle: confirm your e-mail alert"
    assert "Near 5000 Namur · Level A2" in message.body
    confirm, stop = links_of(message.body)
    assert confirm.endswith("?lang=en") and stop.endswith("?lang=en")
    assert alerts()[0].language == "en"
    assert parse(client.get(confirm).get_data(as_text=True)).one("h1").text == "Start the alert?"
    client.post("/alerte?near=5000&lang=ar", data={"email": "ar@example.org"})
    assert alerts()[1].language == "ar" and links_of(outbox()[1].body)[0].endswith("?lang=ar")


def test_the_same_search_asked_again_renews_the_alert(client, offer, clock):
    first = ask_and_confirm(client)
    clock.advance(days=150)
    # The same search written another way is the same alert.
    assert ask(client, search="radius_km=15&level=a2&near=5000&sort=title").status_code == 200
    assert alerts()[1].query == first.query
    response = client.post(links_of(outbox()[1].body)[0])
    assert "Vous aviez déjà cette alerte : elle continue." in parse(response.get_data(as_text=True)).text
    (alert,) = alerts()
    assert alert.id == first.id
    assert alert.confirmed_at == NOW + dt.timedelta(days=150)
    assert alert.expires_at == months_later(NOW + dt.timedelta(days=150), 6)
    # The first alert's links still work; the second's confirmation is gone with it.
    assert client.get(links_of(outbox()[1].body)[0]).status_code == 404


def test_an_unconfirmed_link_expires_after_two_days(client, offer, clock):
    ask(client)
    confirm = links_of(outbox()[0].body)[0]
    clock.advance(hours=49)
    response = client.get(confirm)
    assert response.status_code == 404
    assert "trop ancien" in parse(response.get_data(as_text=True)).one("main").text
    assert client.post(confirm).status_code == 404 and alerts()[0].confirmed_at is None


def test_broken_links_are_refused(client, offer, clock):
    ask(client)
    confirm, stop = links_of(outbox()[0].body)
    assert client.get("/alerte/confirmer/%00").status_code == 400
    for broken in (confirm[:-12] + "x" * 12, stop[:-12] + "x" * 12, "/alerte/arreter/nothing"):
        response = client.get(broken)
        assert response.status_code == 404, broken
        assert "incomplet" in response.get_data(as_text=True)
    # A stop link is not a confirmation link (each purpose signs its own).
    token = stop.split("/")[-1].split("?")[0]
    assert client.get(f"/alerte/confirmer/{token}").status_code == 404
    assert alerts()[0].confirmed_at is None


def test_a_bad_address_is_said_beside_the_field_and_kept(client, offer):
    response = ask(client, "not an address")
    assert response.status_code == 400
    page = parse(response.get_data(as_text=True))
    assert page.one("#error-email").text.endswith("Ce n'est pas une adresse e-mail.")
    assert page.one("input[name=email]")["value"] == "not an address"
    assert ask(client, "").status_code == 400
    assert ask(client, "x" * 250 + "@example.org").status_code == 400
    assert outbox() == [] and alerts() == []


def test_a_bad_search_is_refused_before_anything_is_written(client, offer):
    response = client.post("/alerte?level=Z9&near=nowhere-at-all", data={"email": "person@example.org"})
    assert response.status_code == 400
    text = parse(response.get_data(as_text=True)).one(".error-summary").text
    assert "Z9" in text and "nowhere-at-all" in text
    assert client.get("/alerte?unknown=1").status_code == 400
    assert outbox() == [] and alerts() == []


def test_months_later_keeps_the_day_or_takes_the_last_of_a_short_month():
    assert months_later(dt.datetime(2026, 8, 31, 10), 6) == dt.datetime(2027, 2, 28, 10)
    assert months_later(dt.datetime(2026, 11, 27), 6) == dt.datetime(2027, 5, 27)
    assert months_later(dt.datetime(2027, 7, 15), 6) == dt.datetime(2028, 1, 15)



def test_the_delivered_mail_carries_the_one_click_stop_and_then_forgets_it(app, client, offer, clock, smtp):
    ask(client)
    message = outbox()[0]
    stop = links_of(message.body)[1]
    assert deliver_outbox(utc_now() + dt.timedelta(seconds=1)).startswith("outbox: 1 sent")
    (sent,) = smtp.sent
    assert sent["List-Unsubscribe"] == f"<https://passerelle.test{stop}>"
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert stop in sent.get_content()
    # Its links live in the person's mailbox only.
    (kept,) = outbox()
    assert (kept.status, kept.body, kept.headers) == ("sent", "", None)
