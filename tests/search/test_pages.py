"""HTTP tests of the public HTML pages: search (``/``), course page, print view, embed.

The pages take the API's query parameters (api.md), so the cards of a page must be exactly the
API's items for the same query, in the same order. Translations are being written in parallel:
the tests assert on structure and data; sentences are only read on English pages (``lang=en``),
whose text is the source text. "Today" is fixed at 2026-11-27 by the test configuration.
"""
from __future__ import annotations

import datetime as dt
import html as html_lib
import json
import re
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from portal.offer import codes
from tests import factories as f
from tests.html import Node, check, fill, form_fields, parse

API = "/api/v1/courses"
TODAY = dt.date(2026, 11, 27)
HOST = "passerelle.test"

NAMUR = f.site("site-namur", "5000", "Namur")
JAMBES = f.site("site-jambes", "5100", "Jambes")  # ~4.5 km from "5000"
GEMBLOUX = f.site("site-gembloux", "5030", "Gembloux")  # ~17 km: beyond the default 15 km
LIEGE = f.site("site-liege", "4000", "Liège")  # ~51 km
CHARLEROI = f.site("site-charleroi", "6000", "Charleroi")  # ~32 km
ARLON = f.site("site-arlon", "6700", "Arlon")  # ~108 km
EUPEN = f.site("site-eupen", "4700", "Eupen")  # ~83 km
OPERATOR_SITES = {"https://a.example.org", "https://b.example.org"}


# -- the offer ---------------------------------------------------------------------------------
def days(n: int) -> str:
    return (TODAY + dt.timedelta(days=n)).isoformat()


def fixed(ref: str, *entries: tuple[int, str], **overrides) -> dict:
    return f.course(ref, entry_mode="fixed",
                    entries=[{"start": days(offset), "status": status} for offset, status in entries],
                    **overrides)


def rolling(ref: str, active_from: str | None = None, active_until: str | None = None, **overrides) -> dict:
    return f.course(ref, entry_mode="rolling", active_from=active_from, active_until=active_until, **overrides)


def load_offer() -> None:
    """Two operators, sites from 0 to 108 km of Namur, every kind of course and of start."""
    op_a = f.operator(
        "op-a", "Lire et Écrire Namur (test)", sites=[NAMUR, JAMBES, GEMBLOUX],
        website="https://a.example.org", email="info@a.example.org", phone="+32 81 00 00 00",
        courses=[
            rolling("nam-fle", title="FLE au quotidien", kind="fle", level_min="A1", level_max="A2",
                    days=["mon", "thu"], parts_of_day=["morning"]),
            fixed("nam-alpha", (10, "open"), title="Alpha du soir", kind="alpha_fr", level_min="alpha",
                  level_max="alpha", days=["tue"], parts_of_day=["evening"], childcare=True),
            fixed("nam-ran", (40, "waiting_list"), title="Remise à niveau vers l'emploi", kind="ran",
                  level_min="B1", level_max="C1", cost_eur=35, job_oriented=True, sectors=["care"],
                  audiences=["women"], days=["wed", "fri"], parts_of_day=["afternoon"]),
            rolling("jam-fle", active_from=days(20), site_ref="site-jambes", title="Conversation FLE",
                    kind="fle", level_min="A1", level_max="B1", days=["mon"], parts_of_day=["evening"],
                    confirmed_at="2026-03-01"),
            fixed("gem-alpha-nf", (60, "open"), site_ref="site-gembloux", title="Alpha pour non-francophones",
                  kind="alpha_nf", level_min="alpha", level_max="A1", requires_job_seeker_registration=True,
                  requires_valid_residence_permit=True, entry_test=True, audiences=["job_seekers"],
                  days=["sat"], parts_of_day=["afternoon"]),
            fixed("nam-full", (30, "full"), title="Groupe complet", kind="fle"),
            f.course("nam-draft", title="Brouillon", status="draft"),
            f.course("nam-archived", title="Archivé", status="archived"),
            f.course("nam-old", title="Trop ancien", confirmed_at="2025-10-01"),
        ])
    op_b = f.operator(
        "op-b", "CPAS de Liège (test)", sites=[LIEGE, CHARLEROI, ARLON, EUPEN],
        website="https://b.example.org", email="cours@b.example.org", phone="04 220 00 00",
        courses=[
            rolling("lie-fle", site_ref="site-liege", title="FLE intermédiaire", level_min="A2",
                    level_max="B2", childcare=True),
            fixed("lie-ran", (5, "open"), site_ref="site-liege", title="RAN construction", kind="ran",
                  level_min="B1", level_max="B2", cost_eur=120, job_oriented=True, sectors=["construction"],
                  parts_of_day=["evening"]),
            rolling("arl-fle", active_until=days(100), site_ref="site-arlon", title="FLE Arlon",
                    level_min="A1", level_max="A1"),
            fixed("eup-alpha", (200, "open"), site_ref="site-eupen", title="Alpha Eupen", kind="alpha_fr",
                  level_min="alpha", level_max="A1"),
            fixed("cha-fle", (15, "open"), (45, "open"), site_ref="site-charleroi", title="FLE Charleroi"),
        ])
    summary = f.load(f.document(op_a, op_b))
    assert summary is not None


VISIBLE = {"nam-fle", "nam-alpha", "nam-ran", "jam-fle", "gem-alpha-nf", "nam-full", "lie-fle", "lie-ran",
           "arl-fle", "eup-alpha", "cha-fle"}


# -- helpers -----------------------------------------------------------------------------------
def get(client, path: str, params=None, status: int = 200) -> tuple[object, Node]:
    response = client.get(path, query_string=params)
    doc = parse(response.get_data(as_text=True))
    if response.status_code != status:
        errors = [node.text for node in doc.select(".field-error")] or [n.text for n in doc.select("h1")]
        raise AssertionError(f"{path}?{urlencode(pairs(params))}: {response.status_code} "
                             f"(expected {status}) {errors}")
    assert response.mimetype == "text/html"
    return response, doc


def api(client, params=None) -> dict:
    params = [(k, v) for k, v in pairs(params) if k != "lang"]
    response = client.get(API, query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def api_refs(client, params=None) -> list[str]:
    return [item["ref"] for item in api(client, params)["items"]]


def expected_cards(client, params=None) -> list[str]:
    """The API's items for the query, or, when a radius leaves none, its five nearest beyond it."""
    data = api(client, params)
    query = dict(pairs(params))
    if data["total"] == 0 and query.get("near") and query.get("radius_km"):
        query.pop("radius_km")
        query.update(sort="distance", page="1", per_page="5")
        return api_refs(client, query)
    return [item["ref"] for item in data["items"]]


def pairs(params) -> list[tuple[str, str]]:
    if params is None:
        return []
    if isinstance(params, str):
        return parse_qsl(params, keep_blank_values=True)
    if isinstance(params, dict):
        return list(params.items())
    return list(params)


def card_refs(doc: Node) -> list[str]:
    return [card["data-ref"] for card in doc.select("section.results article.card")]


def card(doc: Node, ref: str) -> Node:
    return doc.one(f"article.card[data-ref={ref}]")


def heading(doc: Node) -> str:
    return doc.one("#results-title").text


def follow(client, href: str, status: int = 200) -> tuple[object, Node]:
    parts = urlsplit(href)
    assert parts.netloc in ("", HOST), href
    return get(client, parts.path, parts.query, status=status)


def query_of(href: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(href).query, keep_blank_values=True)


def filter_items(query: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """The (name, value) items of a query, list parameters split, empty values dropped."""
    items = set()
    for name, value in query:
        for item in value.split(",") if name in ("kind", "part_of_day", "day") else [value]:
            if item.strip():
                items.add((name, item.strip()))
    return items


def submit(client, form: Node, status: int = 200) -> tuple[list[tuple[str, str]], Node]:
    """What a browser without JavaScript does: GET the form's action with its fields."""
    fields = form_fields(form)
    action = form.get("action") or "/"
    assert (form.get("method") or "get").lower() == "get"
    _, doc = get(client, urlsplit(action).path, fields, status=status)
    return fields, doc


def selected_value(select: Node) -> str:
    chosen = [option for option in select.select("option") if option.has("selected")]
    assert len(chosen) == 1, chosen
    return chosen[0].get("value")


def html_lang(doc: Node) -> str:
    return doc.one("html").get("lang")


# -- the search page ---------------------------------------------------------------------------
def test_search_page_is_in_french_by_default(client):
    load_offer()
    response, doc = get(client, "/")
    assert doc.get("doctype").lower() == "doctype html"
    assert html_lang(doc) == "fr"
    assert doc.one("title").text
    assert doc.one("h1").text
    assert doc.one("main#main")
    form = doc.one("form.search-form")
    # The results are where a submitted search lands (a phone shows them first).
    assert (form.get("method"), form.get("action")) == ("get", "/#results")
    assert doc.one("label[for=near]") and doc.one("input#near[name=near]")


def test_search_page_in_english_on_request(client):
    load_offer()
    _, doc = get(client, "/", {"lang": "en", "near": "5000"})
    assert html_lang(doc) == "en"
    assert doc.one("h1").text == "Find a French course"
    # The language stays when the form is submitted and in the links of the page.
    assert ("lang", "en") in form_fields(doc.one("form.search-form"))
    for chip in doc.select("a.chip"):
        assert ("lang", "en") in query_of(chip["href"])


def test_first_visit_preselects_15_km(client):
    load_offer()
    _, doc = get(client, "/")
    assert selected_value(doc.one("select#radius_km")) == "15"
    assert {o["value"] for o in doc.select("select#radius_km option")} >= {"5", "10", "15", "25", "50", ""}
    # Nothing is filtered yet: a first visit lists the API's default search.
    assert card_refs(doc) == api_refs(client)


def test_a_url_without_radius_means_any_distance(client):
    load_offer()
    _, doc = get(client, "/", {"near": "5000"})
    assert selected_value(doc.one("select#radius_km")) == ""
    refs = card_refs(doc)
    assert refs == api_refs(client, {"near": "5000"})
    assert {"gem-alpha-nf", "lie-fle", "arl-fle"} <= set(refs)  # beyond 15 km

    _, doc = get(client, "/", {"near": "5000", "radius_km": "15"})
    assert selected_value(doc.one("select#radius_km")) == "15"
    assert card_refs(doc) == api_refs(client, {"near": "5000", "radius_km": "15"})
    assert "gem-alpha-nf" not in card_refs(doc)

    _, doc = get(client, "/", {"near": "5000", "radius_km": "20"})  # not one of the choices
    assert selected_value(doc.one("select#radius_km")) == "20"
    assert "gem-alpha-nf" in card_refs(doc)


def test_level_and_kind_choices_are_explained(client):
    _, doc = get(client, "/")
    level_hints = []
    for level in codes.LEVELS:
        radio = doc.one(f"input[type=radio][name=level][value={level}]")
        hint = radio.closest("label").select_one(".hint")
        assert hint is not None and hint.text, level
        level_hints.append(hint.text)
    assert len(set(level_hints)) == len(codes.LEVELS)
    unknown = doc.one("input[type=radio][name=level][value=]")  # "I do not know": all levels
    assert unknown.has("checked")
    kind_hints = []
    for kind in codes.COURSE_KINDS:
        box = doc.one(f"input[type=checkbox][name=kind][value={kind}]")
        hint = box.closest("label").select_one(".hint")
        assert hint is not None and hint.text, kind
        kind_hints.append(hint.text)
    assert len(set(kind_hints)) == len(codes.COURSE_KINDS)


def test_i_can_start_options_are_dates(client):
    load_offer()
    _, doc = get(client, "/")
    values = [option["value"] for option in doc.select("select#start_until option")]
    assert values[0] == ""  # any time
    dates = [dt.date.fromisoformat(value) for value in values[1:]]
    assert len(dates) >= 2 and all(TODAY < day for day in dates) and dates == sorted(set(dates))
    for value in values[1:]:
        _, page = get(client, "/", {"start_until": value})
        assert selected_value(page.one("select#start_until")) == value
        assert card_refs(page) == api_refs(client, {"start_until": value})
    # A date from a shared link that is not one of the choices stays selected.
    _, page = get(client, "/", {"start_until": "2027-03-15"})
    assert selected_value(page.one("select#start_until")) == "2027-03-15"
    assert card_refs(page) == api_refs(client, {"start_until": "2027-03-15"})


@pytest.mark.parametrize("near", ["5000", "Namur", "92094", "Liege", "liège", "4000 Liège", "50.47,4.87"])
def test_place_by_postal_code_or_commune_name(client, near):
    load_offer()
    _, doc = get(client, "/", {"near": near, "radius_km": "25"})
    assert doc.select_one("#error-near") is None
    assert doc.one("input#near")["value"] == near
    refs = card_refs(doc)
    assert refs and refs == api_refs(client, {"near": near, "radius_km": "25"})


def test_ambiguous_place_is_an_error_beside_the_field_with_choices(client):
    load_offer()
    _, doc = get(client, "/", {"near": "Mont", "radius_km": "25"}, status=400)
    assert html_lang(doc) == "fr"
    field = doc.one("input#near")
    assert field["value"] == "Mont"  # what was typed is kept
    error = doc.one("#error-near")
    assert "Mont" in error.text
    assert field.closest(".field").contains(error)  # beside the field…
    assert "error-near" in (field.get("aria-describedby") or "").split()  # …and announced with it
    assert field.get("aria-invalid") == "true"
    choices = [link.text.strip() for link in doc.select(".field-near .choices a")]
    assert choices == ["5530 Mont", "6661 Mont"]
    assert card_refs(doc) == []
    summary = doc.one(".error-summary")
    assert summary.get("role") == "alert" and summary.select_one("a[href=#near]")
    for choice in choices:  # every choice offered is a place the search knows
        _, page = get(client, "/", {"near": choice, "radius_km": "25"})
        assert page.select("#error-near") == []
        assert card_refs(page) == expected_cards(client, {"near": choice, "radius_km": "25"})


def test_picking_one_of_the_offered_places_searches_there(client):
    """Without JavaScript: follow the "5530 Mont" choice offered beside the field."""
    load_offer()
    _, doc = get(client, "/", {"near": "Mont", "radius_km": "25", "level": "A2"}, status=400)
    links = {a.text.strip(): a["href"] for a in doc.select(".field-near .choices a")}
    assert set(links) == {"5530 Mont", "6661 Mont"}
    response = client.get(links["5530 Mont"])
    assert response.status_code == 200
    page = parse(response.get_data(as_text=True))
    assert card_refs(page) == expected_cards(client, {"near": "5530 Mont", "radius_km": "25", "level": "A2"})


@pytest.mark.parametrize("params, name, control, named", [
    ({"near": "5000", "level": "B3", "kind": "fle"}, "level", "input[name=level]", "B3"),
    ({"near": "5000", "kind": "fle,xyz"}, "kind", "input[name=kind]", "xyz"),
    ({"near": "Atlantide"}, "near", "input#near", "Atlantide"),
    ({"near": "5000", "radius_km": "-3"}, "radius_km", "select#radius_km", None),
    ({"start_from": "2026-02-30"}, "start_from", "input#start_from", "2026-02-30"),
    ({"near": "5000", "bassin": "Atlantide"}, "bassin", "select#bassin", "Atlantide"),
    ({"q": "un deux trois quatre cinq six sept huit neuf dix onze"}, "q", "input#q", "10"),
])
def test_bad_value_is_an_error_beside_its_field_and_the_input_is_kept(client, params, name, control, named):
    load_offer()
    _, doc = get(client, "/", params, status=400)
    error = doc.one(f"#error-{name}")
    assert error.text and (named is None or named in error.text)  # the message names the bad value
    controls = doc.select(control)
    assert controls and all(c.closest(".field").contains(error) for c in controls)
    assert card_refs(doc) == []
    assert len(doc.select(".error-summary li")) == 1
    # Everything typed is kept, the bad value included where the control can hold it.
    if "near" in params:
        assert doc.one("input#near")["value"] == params["near"]
    if name in ("near", "start_from", "q"):
        assert doc.one(f"input#{name}")["value"] == params[name]
    if name == "radius_km":
        assert selected_value(doc.one("select#radius_km")) == params[name]
    if "kind" in params and name != "kind":
        assert doc.one("input[name=kind][value=fle]").has("checked")
    # And the same query is refused by the API on the same parameter.
    response = client.get(API, query_string=params)
    assert response.status_code == 400 and response.get_json()["error"]["parameter"] == name


def test_level_error_keeps_the_rest_of_the_search(client):
    load_offer()
    _, doc = get(client, "/", {"near": "5000", "radius_km": "25", "level": "B3", "kind": "fle,ran",
                               "free": "1", "q": "français"}, status=400)
    assert "B3" in doc.one("#error-level").text
    assert doc.one("input#near")["value"] == "5000"
    assert selected_value(doc.one("select#radius_km")) == "25"
    assert [b["value"] for b in doc.select("input[name=kind]") if b.has("checked")] == ["fle", "ran"]
    assert doc.one("input[name=free]").has("checked")
    assert doc.one("input#q")["value"] == "français"
    assert not [r for r in doc.select("input[name=level]") if r.has("checked") and r["value"] in codes.LEVELS]


# -- every search is a link --------------------------------------------------------------------
def test_submitting_the_first_visit_form_with_a_place_is_the_api_query(client):
    load_offer()
    _, doc = get(client, "/")
    form = doc.one("form.search-form")
    fill(form, "near", "5000")
    check(form, "level", "A1")
    check(form, "kind", "fle")
    fields, page = submit(client, form)
    assert ("near", "5000") in fields and ("radius_km", "15") in fields  # the preselected distance
    assert card_refs(page) == api_refs(client, fields)
    assert card_refs(page)
    # The page of the submitted form is itself a link: same URL, same page.
    _, again = get(client, "/", urlencode(fields))
    assert card_refs(again) == card_refs(page)


def test_submitting_the_first_visit_form_without_a_place(client):
    """A first visitor who only picks a level and presses Search must get results, not an error
    about the preselected distance (the form sends radius_km=15 with an empty place)."""
    load_offer()
    _, doc = get(client, "/")
    form = doc.one("form.search-form")
    check(form, "level", "A1")
    fields, page = submit(client, form)  # expected 200; got 400 "A distance needs a place (near)"
    assert card_refs(page) == api_refs(client, [(k, v) for k, v in fields if k != "radius_km"])


QUERIES = [
    {},
    {"near": "5000"},
    {"near": "5000", "radius_km": "25"},
    {"near": "5000", "radius_km": "5", "sort": "title"},
    {"kind": "fle,ran"},
    {"kind": "alpha_fr"},
    {"level": "A1"},
    {"level": "b1"},
    {"start_from": days(1), "start_until": days(31)},
    {"part_of_day": "evening,afternoon"},
    {"day": "mon"},
    {"free": "1"},
    {"childcare": "1"},
    {"job_oriented": "1", "sector": "care"},
    {"audience": "women"},
    {"bassin": "Namur"},
    {"bassin": "liege"},
    {"q": "fle"},
    {"q": "alpha eupen"},
    {"sort": "title"},
    {"near": "4000", "sort": "next_entry"},
    {"per_page": "3", "page": "2"},
    {"per_page": "3", "page": "9"},
]


@pytest.mark.parametrize("params", QUERIES, ids=lambda p: urlencode(p) or "none")
def test_cards_are_the_api_results_in_the_same_order(client, params):
    load_offer()
    _, doc = get(client, "/", params)
    data = api(client, params)
    assert card_refs(doc) == [item["ref"] for item in data["items"]]
    assert set(card_refs(doc)) <= VISIBLE
    if data["total"]:
        assert re.search(rf"(?<!\d){data['total']}(?!\d)", heading(doc)), heading(doc)
    # Each card links to its course page, which links back to this search.
    for ref in card_refs(doc):
        link = card(doc, ref).one("h3.card-title a")
        assert urlsplit(link["href"]).path == f"/cours/{ref}"
        assert query_of(link["href"]) == ([("back", urlencode(pairs(params)))] if params else [])


def test_result_count_heading(client):
    load_offer()
    _, doc = get(client, "/", {"lang": "en"})
    assert heading(doc) == f"{len(VISIBLE)} courses found"
    _, doc = get(client, "/", {"lang": "en", "q": "Eupen"})
    assert heading(doc) == "1 course found"
    _, doc = get(client, "/", {"lang": "en", "q": "nulle part"})
    assert heading(doc) == "No course found"
    assert card_refs(doc) == []


# -- chips ---------------------------------------------------------------------------------------
CHIP_QUERY = [
    ("near", "5000"), ("radius_km", "25"), ("kind", "fle,ran"), ("level", "A1"), ("start_from", days(1)),
    ("start_until", days(200)), ("part_of_day", "morning,evening"), ("day", "mon"), ("free", "1"),
    ("childcare", "1"), ("job_oriented", "1"), ("sector", "care"), ("audience", "women"),
    ("bassin", "Namur"), ("q", "français"), ("sort", "title"), ("lang", "en"),
]


def test_one_chip_per_active_filter_and_each_removes_only_that_filter(client):
    load_offer()
    _, doc = get(client, "/", CHIP_QUERY)
    chips = doc.select("ul.chips a.chip")
    original = filter_items(CHIP_QUERY)
    wanted = {item for item in original if item[0] not in ("sort", "lang")}
    assert len(chips) == len(wanted) == 17
    removed = []
    for chip in chips:
        assert chip.text
        link = filter_items(query_of(chip["href"]))
        assert urlsplit(chip["href"]).path == "/"
        assert link <= original, chip["href"]  # nothing added
        gone = original - link
        assert ("sort", "title") not in gone and ("lang", "en") not in gone
        # Removing the place may also drop the distance, which needs a place.
        if ("near", "5000") in gone:
            gone -= {("radius_km", "25")}
        assert len(gone) == 1, (chip.text, chip["href"])
        removed += gone
    assert sorted(removed) == sorted(wanted)


def test_every_chip_link_is_a_valid_search(client):
    """Removing a filter must lead to a search, never to an error page. Removing the place now
    keeps radius_km and gets 400 "A distance needs a place (near)"."""
    load_offer()
    refused = []
    for path in ("/", "/embed"):
        _, doc = get(client, path, [("near", "5000"), ("radius_km", "25"), ("kind", "fle,ran"), ("free", "1")])
        chips = doc.select("ul.chips a.chip")
        assert len(chips) == 5
        for chip in chips:
            response = client.get(chip["href"])
            if response.status_code != 200:
                refused.append((chip.text, chip["href"], response.status_code))
                continue
            assert card_refs(parse(response.get_data(as_text=True))) == expected_cards(client, query_of(chip["href"]))
    assert refused == []


def test_no_chips_without_filters(client):
    load_offer()
    _, doc = get(client, "/")
    assert doc.select("a.chip") == []
    _, doc = get(client, "/", {"sort": "title"})
    assert doc.select("a.chip") == []


# -- sort and pages --------------------------------------------------------------------------------
def test_sort_choices_and_submitting_a_sort(client):
    load_offer()
    _, doc = get(client, "/", {"near": "5000", "kind": "fle"})
    select = doc.one("form.sort-form select#sort")
    assert [o["value"] for o in select.select("option")] == ["distance", "next_entry", "title"]
    assert selected_value(select) == "distance"
    form = doc.one("form.sort-form")
    fill(form, "sort", "title")
    fields, page = submit(client, form)
    assert ("near", "5000") in fields and ("kind", "fle") in fields and ("sort", "title") in fields
    assert card_refs(page) == api_refs(client, {"near": "5000", "kind": "fle", "sort": "title"})
    assert selected_value(page.one("select#sort")) == "title"
    # The search form keeps the chosen sort too.
    assert ("sort", "title") in form_fields(page.one("form.search-form"))

    _, doc = get(client, "/")  # no place: no "nearest first"
    select = doc.one("select#sort")
    assert [o["value"] for o in select.select("option")] == ["next_entry", "title"]
    assert selected_value(select) == "next_entry"


def test_pagination_links_show_the_api_pages(client):
    f.load_courses(*[f.course(f"c{n:02d}", title=f"Cours {n:02d}") for n in range(1, 24)])
    _, page1 = get(client, "/", {"sort": "title", "lang": "en"})
    assert card_refs(page1) == api_refs(client, {"sort": "title"}) == [f"c{n:02d}" for n in range(1, 21)]
    assert "23" in heading(page1)
    nav = page1.one("nav.pagination")
    assert nav.select("a[rel=prev]") == []
    next_link = nav.one("a[rel=next]")["href"]
    assert ("sort", "title") in query_of(next_link) and ("lang", "en") in query_of(next_link)

    _, page2 = follow(client, next_link)
    assert card_refs(page2) == api_refs(client, {"sort": "title", "page": "2"}) == ["c21", "c22", "c23"]
    assert "23" in heading(page2)
    nav = page2.one("nav.pagination")
    assert nav.select("a[rel=next]") == []
    assert nav.one("[aria-current=page]").text
    _, back = follow(client, nav.one("a[rel=prev]")["href"])
    assert card_refs(back) == card_refs(page1)


def test_no_pagination_on_a_single_page(client):
    load_offer()
    _, doc = get(client, "/")
    assert doc.select("nav.pagination") == []


def test_no_course_within_the_radius_shows_the_nearest_beyond_it(client):
    load_offer()
    params = {"near": "6000", "radius_km": "5", "kind": "alpha_fr,ran"}  # nothing within 5 km of Charleroi
    assert api(client, params)["total"] == 0
    _, doc = get(client, "/", params)
    nearest = api_refs(client, {"near": "6000", "kind": "alpha_fr,ran", "sort": "distance", "per_page": "5"})
    assert nearest and card_refs(doc) == nearest
    assert doc.select_one("section.results .notice")
    assert doc.select("nav.pagination") == []
    # None at all: no cards, but a hint to widen the search.
    _, doc = get(client, "/", {"near": "6000", "radius_km": "5", "q": "nulle part"})
    assert card_refs(doc) == [] and doc.select_one("section.results .notice")


# -- what a card says ----------------------------------------------------------------------------
def test_card_facts(client):
    load_offer()
    _, doc = get(client, "/")
    # Cost, childcare, conditions: structure in any language.
    assert "fact-good" in card(doc, "nam-fle").select("ul.facts li")[0].classes  # free
    assert "fact-cost" in card(doc, "nam-ran").select("ul.facts li")[0].classes
    assert "35" in card(doc, "nam-ran").select("ul.facts li")[0].text
    assert len(card(doc, "nam-alpha").select("ul.facts li")) == 2  # cost + childcare
    assert len(card(doc, "nam-fle").select("ul.facts li")) == 1
    assert len(card(doc, "gem-alpha-nf").select("li.fact-condition")) == 3
    assert card(doc, "nam-fle").select("li.fact-condition") == []
    # How soon one can start.
    assert card(doc, "nam-ran")["data-availability"] == "waiting_list"
    assert card(doc, "nam-alpha")["data-availability"] == "soon"
    assert card(doc, "eup-alpha")["data-availability"] == "later"
    assert card(doc, "nam-full")["data-availability"] == "full"


def test_card_texts_in_english(client):
    load_offer()
    _, doc = get(client, "/", {"lang": "en", "near": "5000"})
    assert "Free" in card(doc, "nam-fle").one("ul.facts").text
    assert "35 €" in card(doc, "nam-ran").one("ul.facts").text
    assert "Childcare" in card(doc, "nam-alpha").one("ul.facts").text
    conditions = card(doc, "gem-alpha-nf").one("ul.facts").text
    assert "Forem" in conditions and "Residence permit" in conditions and "Level test first" in conditions
    assert "waiting list" in card(doc, "nam-ran").one("p.when").text
    assert "January 6, 2027" in card(doc, "nam-ran").one("p.when").text  # today + 40 days
    assert "Start any time" in card(doc, "nam-fle").one("p.when").text
    assert "December 17, 2026" in card(doc, "jam-fle").one("p.when").text  # rolling from today + 20
    assert "Full — call for the next session: +32 81 00 00 00" in card(doc, "nam-full").one("p.when").text
    assert "Towards a job" in card(doc, "nam-ran").one("p.badges").text
    assert "km" in card(doc, "jam-fle").one("p.where").text


def test_stale_course_says_not_confirmed_since(client):
    load_offer()
    _, doc = get(client, "/")
    stale = card(doc, "jam-fle").one("p.stale")
    assert "2026" in stale.text and "1" in stale.text
    assert all(card(doc, ref).select("p.stale") == [] for ref in VISIBLE - {"jam-fle"})
    assert [item["ref"] for item in api(client)["items"] if item["stale"]] == ["jam-fle"]
    _, doc = get(client, "/", {"lang": "en"})
    assert "This information is from March 1, 2026" in card(doc, "jam-fle").one("p.stale").text


# -- course page, print view, errors ----------------------------------------------------------------
def test_course_page(client):
    load_offer()
    _, doc = get(client, "/cours/nam-ran")
    assert html_lang(doc) == "fr"
    assert doc.one("h1").text == "Remise à niveau vers l'emploi"
    assert "Remise à niveau vers l'emploi" in doc.one("title").text
    links = [a["href"] for a in doc.select("a[href]")]
    assert "tel:+3281000000" in links
    assert "mailto:info@a.example.org" in links
    assert "https://a.example.org" in links
    assert "/cours/nam-ran/imprimer" in links
    # Entries, conditions and the operator's other courses.
    assert doc.select("ul.entry-cards li.entry-card.entry-waiting_list")
    other_refs = [c["data-ref"] for c in doc.select("section.others article.card")]
    assert other_refs and set(other_refs) <= VISIBLE and "nam-ran" not in other_refs
    assert all(ref in {"nam-fle", "nam-alpha", "jam-fle", "gem-alpha-nf", "nam-full"} for ref in other_refs)


def json_ld(doc: Node) -> dict:
    scripts = doc.select("script[type=application/ld+json]")
    assert len(scripts) == 1
    return json.loads(scripts[0].raw_text)


def test_course_page_json_ld(client):
    load_offer()
    _, doc = get(client, "/cours/cha-fle")
    data = json_ld(doc)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Course"
    assert data["name"] == "FLE Charleroi"
    assert data["url"] == f"https://{HOST}/cours/cha-fle"
    assert data["provider"]["name"] == "CPAS de Liège (test)"
    instances = data["hasCourseInstance"]
    assert [i["@type"] for i in instances] == ["CourseInstance", "CourseInstance"]
    assert [i["startDate"] for i in instances] == [days(15), days(45)]
    assert instances[0]["location"]["address"]["postalCode"] == "6000"
    _, doc = get(client, "/cours/nam-fle")  # rolling: the active period, one instance
    data = json_ld(doc)
    assert data["@type"] == "Course" and len(data["hasCourseInstance"]) == 1
    assert data["isAccessibleForFree"] is True


def test_json_ld_cannot_be_broken_out_of(client):
    title = 'FLE </script><script>alert(1)</script> & "co"'
    f.load_courses(f.course("tricky", title=title, description="<b>x</b>"))
    _, doc = get(client, "/cours/tricky")
    assert json_ld(doc)["name"] == title
    assert doc.one("h1").text == title
    assert [s for s in doc.select("script") if not s.get("src") and s.get("type") != "application/ld+json"] == []


@pytest.mark.parametrize("title", ["Cours <!--<script>", "Cours <script> & <!-- -->", "a </SCRIPT > b"])
def test_json_ld_holds_no_markup_characters(client, title):
    """In a script element, "<!--<script>" makes the browser read the rest of the page as script
    (browser test: tests/browser/test_search.py). JSON escapes keep <, > and & out of the block."""
    f.load_courses(f.course("tricky", title=title))
    response, doc = get(client, "/cours/tricky")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.get_data(as_text=True),
                      re.S).group(1)
    assert not set("<>&") & set(block)
    assert json.loads(block)["name"] == title
    assert doc.one("h1").text == title


@pytest.mark.parametrize("ref", ["inconnu", "nam-draft", "nam-archived", "nam-old", "nam-fle-"])
@pytest.mark.parametrize("suffix", ["", "/imprimer"])
def test_course_not_shown_is_an_accessible_404(client, ref, suffix):
    load_offer()
    response, doc = get(client, f"/cours/{ref}{suffix}", status=404)
    assert html_lang(doc) == "fr"
    assert doc.one("h1").text
    assert doc.one("title").text
    assert doc.select_one("main a[href=/]")  # a way back to the search
    assert "Set-Cookie" not in response.headers
    assert client.get(f"{API}/{ref}").status_code == 404


@pytest.mark.parametrize("suffix", ["", "/imprimer"])
def test_a_ref_is_found_whatever_its_case_and_surrounding_spaces(client, suffix):
    """The exchange format compares refs without regard to case or surrounding spaces."""
    load_offer()
    _, doc = get(client, f"/cours/NAM-FLE%20{suffix}")
    assert doc.one("h1").text == "FLE au quotidien"
    assert client.get(f"{API}/%20Nam-Fle").get_json()["ref"] == "nam-fle"


def test_unknown_page_is_an_html_404_in_the_language_asked(client):
    _, doc = get(client, "/nulle-part", {"lang": "en"}, status=404)
    assert html_lang(doc) == "en"
    assert doc.one("h1").text == "Page not found"


def test_print_view(client):
    load_offer()
    _, doc = get(client, "/cours/gem-alpha-nf/imprimer")
    assert html_lang(doc) == "fr"
    assert doc.one("h1").text == "Alpha pour non-francophones"
    assert doc.select("header.site-header") == [] and doc.select("footer.site-footer") == []
    assert doc.select_one("a[href=/cours/gem-alpha-nf]")
    text = doc.one("main").text
    assert "+32 81 00 00 00" in text and "info@a.example.org" in text and "5030" in text
    assert f"https://{HOST}/cours/gem-alpha-nf" in text


# -- embed -----------------------------------------------------------------------------------------
def test_embed(client):
    load_offer()
    response, doc = get(client, "/embed", {"bassin": "Namur"})
    assert html_lang(doc) == "fr"
    assert doc.select("header.site-header") == []
    assert card_refs(doc) == api_refs(client, {"bassin": "Namur"})
    # Every page link leaves the iframe (a phone number is dialled, not opened).
    assert all(a.get("target") == "_blank" for a in doc.select("article.card a") if not a["href"].startswith("tel:"))
    assert doc.one("form.search-form").get("action") == "/embed#results"
    back = [a["href"] for a in doc.select("a[href]") if urlsplit(a["href"]).netloc == HOST]
    assert back == [f"https://{HOST}/?bassin=Namur"]  # the full portal, same query
    _, full = follow(client, back[0])
    assert card_refs(full) == card_refs(doc)
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors *" in csp and "'unsafe-inline'" not in csp
    assert "X-Frame-Options" not in response.headers  # got SAMEORIGIN from add_security_headers


def test_embed_keeps_the_whole_query_in_its_links(client):
    load_offer()
    params = [("bassin", "Namur"), ("kind", "fle,alpha_fr"), ("lang", "en")]
    _, doc = get(client, "/embed", params)
    back = [a["href"] for a in doc.select("a[href]") if urlsplit(a["href"]).netloc == HOST]
    assert len(back) == 1 and sorted(query_of(back[0])) == sorted(params)
    for chip in doc.select("a.chip"):
        assert urlsplit(chip["href"]).path == "/embed"


# -- security --------------------------------------------------------------------------------------
PUBLIC_PAGES = [
    ("/", 200), ("/?near=5000&radius_km=25&kind=fle", 200), ("/?near=Mont", 400), ("/?lang=en", 200),
    ("/?near=6000&radius_km=5&kind=alpha_fr", 200), ("/cours/nam-ran", 200), ("/cours/nam-ran/imprimer", 200),
    ("/embed?bassin=Namur", 200), ("/cours/nam-draft", 404), ("/nulle-part", 404),
]
URL = re.compile(r"https?://[^\s\"'<>()]+", re.IGNORECASE)


def _allowed_external_urls(app) -> set[str]:
    """Hosts of the page's own links to elsewhere: the map tiles and their attribution (config),
    and the operators' websites."""
    hosts = {urlsplit(site).netloc for site in OPERATOR_SITES}
    for setting in ("TILE_URL", "TILE_ATTRIBUTION"):
        hosts.update(urlsplit(url).netloc for url in URL.findall(html_lib.unescape(app.config[setting])))
    return hosts


def external_urls(body: str, doc: Node) -> set[str]:
    """http(s) URLs in the page (attributes unescaped), except inside JSON-LD (vocabulary ids)."""
    for script in doc.select("script[type=application/ld+json]"):
        body = body.replace(script.raw_text, "")
    return {url for url in URL.findall(html_lib.unescape(body)) if urlsplit(url).netloc != HOST}


@pytest.mark.parametrize("path, status", PUBLIC_PAGES)
def test_public_pages_are_safe(app, client, path, status):
    load_offer()
    response = client.get(path)
    body = response.get_data(as_text=True)
    assert response.status_code == status
    assert "Set-Cookie" not in response.headers
    csp = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert "script-src 'self'" in csp
    doc = parse(body)
    inline = [s for s in doc.select("script") if not s.get("src") and s.get("type") != "application/ld+json"]
    assert inline == []
    # What the CSP would block anyway must not be there: inline handlers and styles.
    assert [n for n in doc.iter() if any(name.startswith("on") for name in n.attrs)] == []
    assert doc.select("style") == [] and doc.select("[style]") == []
    allowed = _allowed_external_urls(app)
    assert {url for url in external_urls(body, doc) if urlsplit(url).netloc not in allowed} == set()


def test_csp_of_the_search_page(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert response.headers.get("X-Content-Type-Options") == "nosniff"


def test_an_external_tile_server_is_the_only_other_host(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "TILE_URL", "https://tiles.example.net/{z}/{x}/{y}.png")
    load_offer()
    for path in ("/", "/embed"):
        response = client.get(path, query_string={"near": "5000"})
        body = response.get_data(as_text=True)
        doc = parse(body)
        if path == "/":
            assert doc.one("[data-tiles]")["data-tiles"] == "https://tiles.example.net/{z}/{x}/{y}.png"
        assert "img-src 'self' data: https://tiles.example.net" in response.headers["Content-Security-Policy"]
        hosts = {urlsplit(url).netloc for url in external_urls(body, doc)}
        assert hosts <= _allowed_external_urls(app)


# -- static files and page weight ----------------------------------------------------------------------
def fetch(client, url: str) -> tuple[int, int, str]:
    """(status, size in bytes, mimetype) of a same-host resource."""
    parts = urlsplit(url)
    assert parts.netloc in ("", HOST), url
    with client.get(parts.path, query_string=parts.query) as response:
        return response.status_code, len(response.get_data()), response.mimetype


def test_favicon_and_vendor_files(client):
    status, size, _ = fetch(client, "/favicon.ico")
    assert status == 200 and size > 0
    status, size, mimetype = fetch(client, "/vendor/leaflet/leaflet.js")
    assert status == 200 and size > 10_000 and "javascript" in mimetype
    assert fetch(client, "/vendor/markercluster/leaflet.markercluster.js")[0] == 200
    assert fetch(client, "/vendor/nope/x.js")[0] == 404
    assert fetch(client, "/vendor/leaflet/nope.js")[0] == 404


def first_load_assets(doc: Node) -> list[str]:
    """What a browser fetches for the page: stylesheets, scripts, images, icons (each once)."""
    urls = [link["href"] for link in doc.select("link[href]")
            if {"stylesheet", "icon"} & set((link.get("rel") or "").lower().split())]
    urls += [node["src"] for node in doc.select("script[src]")]
    urls += [node["src"] for node in doc.select("img[src]")]
    return list(dict.fromkeys(urls))


def full_page_offer() -> None:
    """More matches than one page holds, with every fact a card can show: the heaviest first page."""
    courses = [fixed(f"full-{n:02d}", (n, "open"), (n + 90, "waiting_list"),
                     title=f"Français langue étrangère pour le travail, groupe {n:02d}",
                     kind=codes.COURSE_KINDS[n % 4], level_min="A1", level_max="B2", childcare=True,
                     job_oriented=True, sectors=["care"], requires_job_seeker_registration=True,
                     requires_valid_residence_permit=True, entry_test=True, cost_eur=25,
                     days=list(codes.DAYS[:5]), parts_of_day=list(codes.PARTS_OF_DAY),
                     confirmed_at="2026-03-01")
               for n in range(1, 31)]
    f.load_courses(*courses)


def test_page_weight_of_the_first_load(client, record_property):
    full_page_offer()
    response = client.get("/")
    assert response.status_code == 200
    html_bytes = len(response.get_data())
    doc = parse(response.get_data(as_text=True))
    assert len(card_refs(doc)) == 20
    assets = first_load_assets(doc)
    total = html_bytes
    for url in assets:
        status, size, _ = fetch(client, url)
        assert status == 200, url
        total += size
    requests = 1 + len(assets)
    record_property("first_load", {"bytes": total, "requests": requests, "html": html_bytes, "assets": assets})
    print(f"first load of /: {total} bytes in {requests} requests (HTML {html_bytes} B)")
    assert total <= 150 * 1024
    assert requests <= 15

    # The map is an enhancement: its files are named in data-assets, fetched only when shown.
    panel = doc.one("[data-map-panel]")
    map_assets = json.loads(panel["data-assets"])
    map_urls = map_assets["css"] + map_assets["js"]
    assert any("leaflet" in url for url in map_urls)
    assert not set(map_urls) & set(assets)
    assert not any("leaflet" in url.lower() or "markercluster" in url.lower() for url in assets)
    map_total = 0
    for url in map_urls:
        status, size, _ = fetch(client, url)
        assert status == 200, url
        map_total += size
    record_property("map_assets", {"bytes": map_total, "requests": len(map_urls)})
    print(f"map assets: {map_total} bytes in {len(map_urls)} requests")
    assert map_total <= 350 * 1024


def test_public_pages_show_organisations_the_way_in(client):
    """An organisation that gives courses finds how to list them from any public page."""
    for path in ("/", "/embed", "/nulle-part"):
        response = client.get(path)
        doc = parse(response.get_data(as_text=True))
        links = {a["href"]: a.text for a in doc.select("footer a[href]")}
        if path == "/embed":
            assert "/inscription" not in links  # the embedded search has no site chrome
            continue
        assert links.get("/inscription") == "Publiez vos cours sur Passerelle : c'est gratuit"
        assert "/connexion" in links
