"""HTTP tests of the phone-first pages (issue 10, part 5): a search lands on its results with the
form folded, the "Show N courses" button's words and count, "Back to the search" (the exact
search, never another site), the course page's essentials at the top, sessions as cards, the
map's messages, and the first load's weight in French, Arabic and Tigrinya.

What only a browser shows (the stale list, 200 % text, tiles that fail) is in
tests/browser/test_phone.py."""
from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from portal.search.filters import PARAMETERS
from tests import factories as f
from tests.html import Node, parse
from tests.search.test_pages import (
    api,
    card_refs,
    fetch,
    first_load_assets,
    fixed,
    full_page_offer,
    get,
    load_offer,
    query_of,
)

RESULTS = {"near": "5000", "radius_km": "25", "level": "A2"}


def fold(doc: Node) -> Node:
    return doc.one("details.search-fold")


# -- landing on the results ------------------------------------------------------------------------
def test_a_search_lands_on_its_results_with_the_form_folded(client):
    load_offer()
    _, doc = get(client, "/", {**RESULTS, "lang": "en"})
    form = doc.one("form.search-form")
    action = urlsplit(form["action"])
    assert (action.path, action.fragment) == ("/", "results")  # a GET form keeps the action's fragment
    results = doc.one("section#results")
    assert results.one("h2#results-title")
    # The form is folded (no "open": nothing to do for a phone) and says what is chosen.
    details = fold(doc)
    assert not details.has("open") and details.has("data-open-wide")
    assert form in list(details.iter())
    summary = details.select("summary")[0].text
    assert summary.startswith("Change the search")
    chips = [chip.select("span")[0].text for chip in doc.select("ul.chips a.chip")]
    assert len(chips) == 3 and " · ".join(chips) in summary
    # Every link that changes the list lands on the list too.
    assert all(a["href"].endswith("#results") for a in doc.select("ul.chips a.chip"))
    assert doc.one("form.sort-form")["action"] == form["action"]
    # Without JavaScript the button is a plain search button.
    assert form.one("button[type=submit][data-show-count]").text == "Search"


def test_the_fold_says_when_nothing_is_chosen(client):
    load_offer()
    _, doc = get(client, "/", {"sort": "title", "lang": "en"})
    assert "No filter: every course" in fold(doc).select("summary")[0].text


@pytest.mark.parametrize("params, status", [({}, 200), ({"near": "Mont"}, 400), ({"level": "Z9"}, 400)])
def test_a_first_visit_or_an_error_shows_the_form_unfolded(client, params, status):
    load_offer()
    _, doc = get(client, "/", params, status=status)
    assert doc.select("details.search-fold") == []
    assert doc.one("form.search-form input#near")


def test_the_pages_of_a_list_land_on_the_list(client):
    load_offer()
    _, doc = get(client, "/", {"per_page": "3"})
    links = [a["href"] for a in doc.select("nav.pagination a")]
    assert links and all(link.endswith("#results") for link in links)


# -- "Show N courses" ------------------------------------------------------------------------------
def count_labels(doc: Node) -> dict[str, str]:
    return json.loads(doc.one("form.search-form")["data-count-labels"])


@pytest.mark.parametrize("lang, expected", [
    ("en", {"one": "Show {n} course", "other": "Show {n} courses"}),
    ("fr", {"one": "Voir {n} cours", "many": "Voir {n} cours", "other": "Voir {n} cours"}),
])
def test_the_count_button_has_its_words_in_every_plural_form(client, lang, expected):
    load_offer()
    _, doc = get(client, "/", {**RESULTS, "lang": lang})
    assert count_labels(doc) == expected
    assert doc.one("form.search-form")["data-count-url"] == "/api/v1/courses"


def test_arabic_has_its_six_plural_forms(client):
    load_offer()
    _, doc = get(client, "/", {**RESULTS, "lang": "ar"})
    labels = count_labels(doc)
    assert set(labels) == {"zero", "one", "two", "few", "many", "other"}
    assert all("{n}" in text or category in ("one", "two", "zero") for category, text in labels.items())


def test_the_count_is_the_apis_total_for_the_same_choices(client):
    """What search.js asks: the form's fields, one item per page."""
    load_offer()
    _, doc = get(client, "/", RESULTS)
    data = api(client, {**RESULTS, "per_page": "1", "lang": "fr"})
    assert len(data["items"]) == 1
    assert str(data["total"]) in doc.one("#results-title").text


def test_the_list_has_an_empty_live_line_for_out_of_date_results(client):
    load_offer()
    _, doc = get(client, "/", {**RESULTS, "lang": "en"})
    note = doc.one("section#results [data-stale-note]")
    assert note["aria-live"] == "polite" and note.text == ""
    assert note["data-text"].startswith("These results are for your previous choices.")


# -- back to the search ----------------------------------------------------------------------------
def back_href(doc: Node) -> str:
    return doc.one("p.back a[data-back]")["href"]


def test_a_course_opened_from_a_search_leads_back_to_that_search(client):
    load_offer()
    params = [("near", "5000"), ("radius_km", "25"), ("kind", "fle"), ("kind", "alpha_fr"), ("page", "1")]
    _, doc = get(client, "/", params + [("lang", "en"), ("q", "")])
    href = doc.select("section#results article.card h3 a")[0]["href"]
    assert dict(query_of(href)) == {"back": urlencode(params), "lang": "en"}
    _, course = get(client, urlsplit(href).path, urlsplit(href).query)
    link = back_href(course)
    assert link == "/?lang=en&" + urlencode(params) + "#results"
    # Followed, it is the same list.
    _, again = get(client, "/", urlsplit(link).query)
    assert card_refs(again) == card_refs(doc)
    # The operator's other courses and the print view keep it; the print view's way back too.
    others = [a["href"] for a in course.select("section.others article.card h3 a")]
    assert others and all(dict(query_of(h)).get("back") == urlencode(params) for h in others)
    printed = course.one("header.course-header p.actions a")["href"]
    assert urlsplit(printed).path.endswith("/imprimer")
    assert dict(query_of(printed))["back"] == urlencode(params)
    _, sheet = get(client, urlsplit(printed).path, urlsplit(printed).query)
    to_course = sheet.one("p.print-actions a")["href"]
    assert dict(query_of(to_course))["back"] == urlencode(params)


def test_the_back_link_takes_the_language_of_the_course_page(client):
    load_offer()
    _, doc = get(client, "/cours/nam-fle", {"back": "near=5000&level=A2", "lang": "ar"})
    assert back_href(doc) == "/?lang=ar&near=5000&level=A2#results"
    _, doc = get(client, "/cours/nam-fle", {"back": "near=5000&level=A2&lang=ar"})
    assert back_href(doc) == "/?near=5000&level=A2#results"  # a French page: no language


def test_without_a_search_the_back_link_is_the_search_page(client):
    load_offer()
    _, doc = get(client, "/cours/nam-fle")
    assert back_href(doc) == "/"
    _, doc = get(client, "/", {"lang": "en"})  # a first visit has no parameter to carry
    assert all("back=" not in a["href"] for a in doc.select("article.card h3 a"))


HOSTILE = [
    "https://evil.example/?near=5000",
    "//evil.example/",
    "/\\evil.example",
    "javascript:alert(1)",
    "near=5000#@evil.example",
    "next=https://evil.example&url=//evil.example",
    "near=5000\r\nLocation: https://evil.example",
    "near=" + "5" * 2100,
    "&".join(f"day=mon{n}" for n in range(80)),
    "lang=ar",
    "%",
    "",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_the_back_link_never_leaves_the_search(client, value):
    load_offer()
    response, doc = get(client, "/cours/nam-fle", {"back": value})
    link = back_href(doc)
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("", "", "/"), link
    assert {name for name, _ in parse_qsl(parts.query)} <= set(PARAMETERS)
    assert "\n" not in link and "\r" not in link  # what remains is a value of a search parameter
    assert "evil" not in response.headers.get("Location", "")
    # Whatever was given, what remains is a search: its list, or its errors beside the fields.
    assert client.get("/", query_string=parts.query).status_code in (200, 400)


def test_a_back_value_keeps_only_the_search_parameters(client):
    load_offer()
    _, doc = get(client, "/cours/nam-fle", {"back": "near=5000&next=https://evil.example&level=A2&q="})
    assert back_href(doc) == "/?near=5000&level=A2#results"


# -- the course page's essentials --------------------------------------------------------------------
def order_of(doc: Node, *nodes: Node) -> list[int]:
    everything = list(doc.iter())
    return [everything.index(node) for node in nodes]


def test_call_address_and_registration_come_first_on_the_course_page(client):
    f.load(f.document(f.operator(courses=[f.course(
        "c-top", registration="shared_intake", registration_note="Venir le lundi à 9 h.")])))
    _, doc = get(client, "/cours/c-top", {"lang": "en"})
    top = doc.one("header.course-header .essentials")
    call = top.one("a.button-call")
    assert call["href"] == "tel:+3281000000"
    assert call.text == "Call +32 81 00 00 00"
    place = top.one(".essential-place")
    assert place.one("p[lang=fr]").text == "Centre, Rue de Fer 1, 5000 Namur"
    app_link, web_link = place.select("p.map-links a")
    panel = doc.one("[data-map-panel][data-single]")
    lat, lon = f"{float(panel['data-lat']):.6f}", f"{float(panel['data-lon']):.6f}"
    assert app_link["href"] == f"geo:{lat},{lon}?q={lat},{lon}(Centre)"  # the phone's own map app
    web = urlsplit(web_link["href"])
    assert (web.scheme, web.netloc, web.fragment) == ("https", "www.openstreetmap.org", f"map=17/{lat}/{lon}")
    assert dict(parse_qsl(web.query)) == {"mlat": lat, "mlon": lon}
    assert set(web_link["rel"].split()) == {"noopener", "noreferrer"}  # the course page is not told
    register = top.one(".essential-register")
    assert "shared intake desk" in register.text
    assert register.one("p.note[lang=fr]").text == "Venir le lundi à 9 h."
    # Before the long details, and said once: the contact section keeps the operator's details.
    grid = doc.one(".course-grid")
    assert order_of(doc, top, grid) == sorted(order_of(doc, top, grid))
    assert "shared intake desk" not in doc.one("section[aria-labelledby=contact]").text
    assert doc.one("h2#contact").text == "Contact"


def test_no_call_button_without_a_phone_number(client):
    f.load(f.document(f.operator(phone=None, courses=[f.course("c-nophone")])))
    _, doc = get(client, "/cours/c-nophone")
    assert doc.select("a.button-call") == []
    assert doc.one(".essentials .essential-place")


def test_sessions_are_stacked_cards(client):
    f.load_courses(fixed("c-dates", (10, "open"), (40, "waiting_list"), (70, "full")))
    _, doc = get(client, "/cours/c-dates", {"lang": "en"})
    assert doc.select("table") == []
    cards = doc.select("ul.entry-cards li.entry-card")
    assert [card.one("p.entry-state").text for card in cards] == ["Open", "Waiting list", "Full"]
    assert [sorted(card.classes) for card in cards] == [
        ["entry-card", "entry-open"], ["entry-card", "entry-waiting_list"], ["entry-card", "entry-full"]]
    first = cards[0]
    assert [dt.text for dt in first.select("dl.entry-dates dt")] == ["Start"]
    assert first.one("dl.entry-dates dd").text == "December 7, 2026"


# -- the map's messages and legend -------------------------------------------------------------------
def test_the_map_has_its_messages_and_its_clusters_in_the_legend(client):
    load_offer()
    _, doc = get(client, "/", RESULTS)
    assets = json.loads(doc.one("[data-map-panel]")["data-assets"])
    assert assets["messages"]["tiles_error"] == "La carte ne peut pas s'afficher. La liste montre tous les cours."
    assert "legend-cluster" in {c for li in doc.select("[data-map-legend] li span") for c in li.classes}
    _, course = get(client, "/cours/nam-fle")
    assets = json.loads(course.one("[data-map-panel][data-single]")["data-assets"])
    assert assets["messages"]["tiles_error_single"].startswith("La carte ne peut pas s'afficher.")


# -- icons drawn once ----------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/", "/?near=5000&radius_km=25", "/cours/nam-fle", "/cours/nam-fle/imprimer",
                                  "/embed?bassin=Namur", "/nulle-part"])
def test_every_icon_is_drawn_once_and_found(client, path):
    load_offer()
    response = client.get(path)
    doc = parse(response.get_data(as_text=True))
    used = {use["href"] for use in doc.select("svg.icon use")}
    symbols = [symbol["id"] for symbol in doc.select("svg.icon-sprite symbol")]
    assert used == {"#" + name for name in symbols}
    assert used or path == "/nulle-part"
    assert len(symbols) == len(set(symbols))
    # The shapes are in the sprite only, once per icon.
    assert all(any(node.tag == "symbol" for node in shape.ancestors()) for shape in doc.select("body path"))


# -- page weight -------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["fr", "ar", "ti"])
@pytest.mark.parametrize("name, params", [("home", {}), ("results", RESULTS)])
def test_first_load_weight_in_each_script(client, record_property, lang, name, params):
    """The first load of the search page and of a list of 20 cards, in Latin, Arabic and Ge'ez
    letters: at most 150 KB and 15 requests (the map's files come only when it is shown)."""
    full_page_offer()
    response = client.get("/", query_string={**params, "lang": lang})
    assert response.status_code == 200
    body = response.get_data()
    doc = parse(body.decode())
    assert len(card_refs(doc)) == 20
    assets = first_load_assets(doc)
    total = len(body)
    for url in assets:
        status, size, _ = fetch(client, url)
        assert status == 200, url
        total += size
    requests = 1 + len(assets)
    record_property("first_load", {"page": name, "lang": lang, "bytes": total, "requests": requests})
    print(f"first load of {name} ({lang}): {total / 1024:.1f} KB in {requests} requests (HTML {len(body)} B)")
    assert total <= 150 * 1024
    assert requests <= 15
    assert not any("leaflet" in url.lower() for url in assets)
