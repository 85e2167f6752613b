"""The selection lives in the URL (``sel``): added and removed by plain links on cards and course
pages, kept by every link between public pages like the language, bounded, cleaned of unknown
courses, never sent to the API nor put into shared absolute links."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from portal.selection.refs import MAX_COURSES, Selection, parse_refs
from tests import factories as f
from tests.html import parse


@pytest.fixture()
def offer(app_context):
    f.load(f.document(f.operator(courses=[
        f.course("alpha", title="Alpha du matin"),
        f.course("beta", title="Bêta du soir"),
        f.course("gamma", title="Gamma du samedi"),
        f.course("hidden", title="Brouillon", status="draft"),
    ])))


def _args(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_refs_are_trimmed_lowered_checked_once_and_at_most_twelve():
    given = [" Alpha ,beta", "alpha", "not a ref", "bad/ref", "", "-x", "gamma"]
    assert parse_refs(given) == ("alpha", "beta", "gamma")
    many = ",".join(f"ref-{n}" for n in range(40))
    assert parse_refs([many]) == tuple(f"ref-{n}" for n in range(MAX_COURSES))
    # Only the first items of a long list are even read (the cost of a URL is bounded).
    assert parse_refs([",".join(["bad ref"] * 100 + ["late"])]) == ()


def test_adding_removing_and_moving_keep_the_list_inside_its_bounds():
    selection = Selection(("a", "b", "c"))
    assert selection.with_added("d") == ("a", "b", "c", "d")
    assert selection.with_added("b") == ("a", "b", "c")
    assert selection.without("b") == ("a", "c")
    assert selection.moved("c", -1) == ("a", "c", "b")
    assert selection.moved("a", -1) == ("a", "b", "c")
    assert selection.moved("a", 1) == ("b", "a", "c")
    assert selection.moved("zzz", 1) == ("a", "b", "c")
    full = Selection(tuple(f"r{n}" for n in range(MAX_COURSES)))
    assert full.full and full.with_added("new") == full.refs


def test_every_card_adds_its_course_to_this_search_without_javascript(client, offer):
    page = parse(client.get("/?near=5000&level=A1").get_data(as_text=True))
    link = page.one("#course-alpha a.selection-add")
    url = urlsplit(link["href"])
    assert url.path == "/" and url.fragment == "course-alpha"
    assert parse_qs(url.query) == {"near": ["5000"], "level": ["A1"], "sel": ["alpha"]}
    assert link.get("rel") == "nofollow"

    page = parse(client.get(link["href"]).get_data(as_text=True))
    assert page.one("#course-alpha .selection-in")
    assert [a.text for a in page.select("#selection .selection-list li a[lang=fr]")] == ["Alpha du matin"]
    # The next card adds after the first one.
    assert _args(page.one("#course-beta a.selection-add")["href"])["sel"] == ["alpha,beta"]


def test_the_list_beside_the_results_removes_and_reorders(client, offer):
    page = parse(client.get("/?near=5000&sel=alpha,beta,gamma").get_data(as_text=True))
    items = page.select("#selection .selection-list li")
    assert [item.one("a[lang=fr]").text for item in items] == ["Alpha du matin", "Bêta du soir", "Gamma du samedi"]
    links = {a.text: a["href"] for a in items[1].select(".selection-moves a")}
    assert [_args(href)["sel"] for href in links.values()] == [["beta,alpha,gamma"], ["alpha,gamma,beta"],
                                                                ["alpha,gamma"]]
    assert all(urlsplit(href).fragment == "selection" and _args(href)["near"] == ["5000"] for href in links.values())
    # First and last items cannot move further.
    assert len(items[0].select(".selection-moves a")) == 2 and len(items[2].select(".selection-moves a")) == 2
    sheet = page.one("#selection a.button")["href"]
    assert urlsplit(sheet).path == "/selection" and _args(sheet)["sel"] == ["alpha,beta,gamma"]


def test_the_course_page_adds_and_removes_too(client, offer):
    page = parse(client.get("/cours/beta?sel=alpha").get_data(as_text=True))
    add = page.one(".course-header a.selection-add")["href"]
    assert urlsplit(add).path == "/cours/beta" and _args(add)["sel"] == ["alpha,beta"]
    page = parse(client.get(add).get_data(as_text=True))
    remove = page.one(".course-header .selection-toggle a[rel=nofollow]")["href"]
    assert _args(remove)["sel"] == ["alpha"]


def test_every_link_between_public_pages_keeps_the_selection(client, offer):
    html = client.get("/?near=5000&sel=alpha,beta&lang=ar").get_data(as_text=True)
    page = parse(html)
    course = page.one("#course-gamma .card-title a")["href"]
    shown = {key: value for key, value in _args(course).items() if key != "back"}  # back=: the search to return to
    assert shown == {"sel": ["alpha,beta"], "lang": ["ar"]}
    # The search form and the sort form send it; the chips keep it once.
    assert page.one("form.search-form input[name=sel]")["value"] == "alpha,beta"
    chip = page.one(".chips a")["href"]
    assert _args(chip)["sel"] == ["alpha,beta"]
    # The language switcher keeps it: the selection survives a change of language.
    uk = next(a["href"] for a in page.select(".language-switcher a") if a["lang"] == "uk")
    assert _args(uk)["sel"] == ["alpha,beta"] and _args(uk)["lang"] == ["uk"]
    back = parse(client.get(course).get_data(as_text=True)).one(".back a")["href"]
    assert _args(back)["sel"] == ["alpha,beta"]


def test_unknown_and_hidden_courses_are_dropped_from_every_link(client, offer):
    page = parse(client.get("/?near=5000&sel=nope,alpha,hidden,Alpha,beta").get_data(as_text=True))
    assert _args(page.one("#course-gamma .card-title a")["href"])["sel"] == ["alpha,beta"]
    assert len(page.select("#selection .selection-list li")) == 2


def test_a_full_selection_offers_no_more_adding(client, offer, app_context):
    f.load_courses(*[f.course(f"more-{n}", title=f"Cours {n}") for n in range(MAX_COURSES)])
    refs = ",".join(f"more-{n}" for n in range(MAX_COURSES))
    page = parse(client.get(f"/?near=5000&per_page=50&sel={refs}").get_data(as_text=True))
    assert page.select("a.selection-add") == []
    assert page.select("#course-alpha .selection-toggle .detail")


def test_the_selection_stays_out_of_the_api_and_of_shared_links(client, offer):
    html = client.get("/?near=5000&sel=alpha").get_data(as_text=True)
    geojson = parse(html).one("[data-map-panel]")["data-geojson"]
    assert "sel" not in _args(geojson)
    assert client.get(geojson).status_code == 200
    course = client.get("/cours/alpha?sel=alpha,beta").get_data(as_text=True)
    assert "https://passerelle.test/cours/alpha\"" in course  # JSON-LD: the course's own address
    assert "sel=" not in parse(course).one("script[type=application/ld+json]").raw_text
    # The API still refuses what it does not know.
    assert client.get("/api/v1/courses?sel=alpha").status_code == 400


def test_the_embedded_search_has_no_selection(client, offer):
    page = parse(client.get("/embed?near=5000&sel=alpha").get_data(as_text=True))
    assert page.select(".selection-toggle") == [] and page.select("#selection") == []
