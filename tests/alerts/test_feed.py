"""The Atom feed of any search (feedgen), and the way in from the results page."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from tests import factories as f
from tests.alerts.conftest import namur_offer
from tests.html import parse

ATOM = "{http://www.w3.org/2005/Atom}"


def feed_of(response) -> ET.Element:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/atom+xml"
    return ET.fromstring(response.data)


def test_the_feed_lists_the_searchs_courses_with_their_next_start(client, offer):
    root = feed_of(client.get("/flux.atom?near=5000&radius_km=15&level=A2"))
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}title") == "Passerelle : Près de 5000 Namur · Jusqu'à 15\xa0km · Niveau A2"
    assert root.findtext(f"{ATOM}id") == "https://passerelle.test/flux.atom?near=5000&radius_km=15&level=A2"
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links == {"self": "https://passerelle.test/flux.atom?near=5000&radius_km=15&level=A2",
                     "alternate": "https://passerelle.test/?near=5000&radius_km=15&level=A2"}
    assert root.findtext(f"{ATOM}updated").startswith("2026-11-27T00:00:00+01:00")
    assert root.find(f"{ATOM}author").findtext(f"{ATOM}name") == "Passerelle"
    entries = root.findall(f"{ATOM}entry")
    by_title = {entry.findtext(f"{ATOM}title"): entry for entry in entries}
    assert set(by_title) == {"Français oral A2 — Namur", "Français écrit A2 — Namur"}  # not B2, not Liège
    entry = by_title["Français oral A2 — Namur"]
    assert entry.findtext(f"{ATOM}id") == "https://passerelle.test/cours/open-namur#2027-01-11"
    assert entry.find(f"{ATOM}link").get("href") == "https://passerelle.test/cours/open-namur"
    assert entry.findtext(f"{ATOM}updated").startswith("2026-11-01T00:00:00+01:00")
    summary = entry.findtext(f"{ATOM}summary")
    assert "Opérateur A (test) — Namur (5000)" in summary
    assert "Le prochain groupe commence le 11 janvier 2027" in summary
    assert "Inscription avant le 4 janvier 2027" in summary
    assert entry.find(f"{ATOM}category").get("term") == "fle"
    full = by_title["Français écrit A2 — Namur"]
    assert full.findtext(f"{ATOM}id") == "https://passerelle.test/cours/full-namur#none"
    assert "Complet" in full.findtext(f"{ATOM}summary")


def test_a_new_session_is_a_new_feed_entry_and_a_rolling_course_keeps_its_id(client, offer):
    ids = {entry.findtext(f"{ATOM}id") for entry in feed_of(client.get("/flux.atom?level=A2")).iter(f"{ATOM}entry")}
    assert "https://passerelle.test/cours/liege#rolling:-" in ids
    f.load(namur_offer(**{"full-namur": f.course("full-namur", title="Français écrit A2", entry_mode="fixed",
                                                 entries=[{"start": "2027-02-01"}])}))
    again = {entry.findtext(f"{ATOM}id") for entry in feed_of(client.get("/flux.atom?level=A2")).iter(f"{ATOM}entry")}
    assert again - ids == {"https://passerelle.test/cours/full-namur#2027-02-01"}


def test_the_feed_speaks_the_asked_language_and_keeps_it_in_its_links(client, offer):
    root = feed_of(client.get("/flux.atom?level=A2&near=5000&lang=en"))
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert root.findtext(f"{ATOM}title") == "Passerelle: Near 5000 Namur · Level A2"
    hrefs = [entry.find(f"{ATOM}link").get("href") for entry in root.iter(f"{ATOM}entry")]
    assert hrefs and all(href.endswith("?lang=en") for href in hrefs)
    summaries = {entry.findtext(f"{ATOM}title"): entry.findtext(f"{ATOM}summary")
                 for entry in root.iter(f"{ATOM}entry")}
    assert "The next group starts on January 11, 2027" in summaries["Français oral A2 — Namur"]


def test_the_feed_of_every_course_and_its_size(client, offer):
    root = feed_of(client.get("/flux.atom"))
    assert root.findtext(f"{ATOM}title") == "Passerelle : tous les cours"
    assert len(root.findall(f"{ATOM}entry")) == 4
    assert len(feed_of(client.get("/flux.atom?per_page=2")).findall(f"{ATOM}entry")) == 2


def test_a_bad_parameter_is_a_400_naming_it(client, offer):
    for query, parameter in (("level=Z9", "level"), ("lang=xx", "lang"), ("near=nowhere-at-all", "near"),
                             ("per_page=1000", "per_page"), ("what=1", "what")):
        response = client.get(f"/flux.atom?{query}")
        assert response.status_code == 400, query
        assert response.mimetype == "text/plain" and response.get_data(as_text=True).startswith(f"{parameter}: ")


def test_the_results_page_offers_the_alert_and_the_feed(client, offer):
    response = client.get("/?near=5000&radius_km=15&level=A2&page=1&lang=en")
    page = parse(response.get_data(as_text=True))
    offer_box = page.one(".results .alert-offer")
    alert, feed = offer_box.select("a")
    assert alert["href"] == "/alerte?near=5000&radius_km=15&level=A2&lang=en"
    assert alert.text == "Tell me by e-mail when a course like this opens"
    assert feed["href"] == "/flux.atom?near=5000&radius_km=15&level=A2&lang=en"
    head = page.one("link[type=application/atom+xml]")
    assert head["rel"] == "alternate" and head["href"] == feed["href"]
    # Also when nothing was found (that is when it matters most); not before any search.
    html = client.get("/?level=C1&near=6830&radius_km=5").get_data(as_text=True)
    none = parse(html)
    assert none.select(".alert-offer a")[0]["href"] == "/alerte?level=C1&near=6830&radius_km=5"
    # Offered once, before what the page says instead (the nearest courses further away).
    assert len(none.select(".alert-offer")) == 1
    assert html.index('class="alert-offer"') < html.index('<p class="notice">')
    assert parse(client.get("/").get_data(as_text=True)).select(".alert-offer") == []
    # The embedded search opens it on the portal, outside the frame.
    embedded = parse(client.get("/embed?level=A2").get_data(as_text=True))
    assert [link["target"] for link in embedded.select(".alert-offer a")] == ["_blank", "_blank"]
