"""The public cadastre page (/cadastre) counted on a hand-built offer, through HTTP, on both
databases: kinds × levels (a course counts in each level of its range), only visible courses, what
a person can do now (the API's entries_state), the shares, the German-speaking Community as an
area of its own, and the page's form, errors and links. Today is 2026-11-27."""
from __future__ import annotations

import pytest

from portal.cadastre.areas import GERMAN_SPEAKING, all_areas, area_named
from tests import factories as f
from tests.cadastre.helpers import caption, column_headers, figures, numbers
from tests.html import parse

LEVELS = ["Alpha", "A1", "A2", "B1", "B2", "C1", "All levels"]
FLE, ALPHA_FR, ALPHA_NF, RAN = ("Learn French (FLE)", "Learn to read and write (I speak French)",
                                "Learn French and learn to read and write", "Brush up French and maths (RAN)")


@pytest.fixture()
def offer(app_context):
    fixed = {"entry_mode": "fixed"}
    f.load(f.document(
        f.operator("op-a", sites=[f.site("site-namur", "5000", "Namur"), f.site("site-eupen", "4700", "Eupen")],
                   courses=[
            # A1 to B1, rolling (joinable, open), with every condition the shares count.
            f.course("span", kind="fle", level_min="A1", level_max="B1", parts_of_day=["evening"], days=["sat"],
                     childcare=True, cost_eur=0, job_oriented=True),
            # Not visible: confirmed 391 days ago, a draft.
            f.course("too-old", kind="fle", level_min="A1", level_max="A1", confirmed_at="2025-11-01"),
            f.course("draft", kind="fle", level_min="A2", level_max="A2", status="draft"),
            # Stale (240 days) but visible.
            f.course("stale", kind="alpha_fr", level_min="alpha", level_max="alpha", confirmed_at="2026-04-01",
                     cost_eur=50),
            f.course("waiting", kind="fle", level_min="A2", level_max="A2", cost_eur=10, **fixed,
                     entries=[{"start": "2026-10-01"}, {"start": "2027-01-11", "status": "waiting_list"}]),
            f.course("closed", kind="ran", level_min="B1", level_max="B2", **fixed,
                     entries=[{"start": "2027-01-11", "registration_deadline": "2026-11-20"},
                              {"start": "2027-02-01", "status": "full"}]),
            f.course("full", kind="fle", level_min="A1", level_max="A1", **fixed,
                     entries=[{"start": "2027-01-11", "status": "full"}]),
            f.course("past", kind="alpha_nf", level_min="alpha", level_max="alpha", **fixed,
                     entries=[{"start": "2026-09-01"}]),
            f.course("ended", kind="fle", level_min="C1", level_max="C1", active_from="2026-01-01",
                     active_until="2026-10-01"),
            # The German-speaking Community (Eupen): no bassin EFE.
            f.course("eupen", "site-eupen", kind="alpha_nf", level_min="alpha", level_max="A1"),
        ]),
        f.operator("op-b", name="Opérateur B (test)", sites=[f.site("site-liege", "4000", "Liège")], courses=[
            # Its deadline is today: still joinable.
            f.course("liege", "site-liege", kind="ran", level_min="B2", level_max="C1", **fixed,
                     entries=[{"start": "2026-12-01", "registration_deadline": "2026-11-27"}]),
        ]),
    ))


def page(client, query: str = "") -> str:
    response = client.get(f"/cadastre?lang=en{query}")
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_a_course_counts_once_in_each_level_of_its_range_and_only_visible_courses_count(client, offer):
    html = page(client, "&area=Namur")
    assert column_headers(html, "table-courses") == ["Kind of course", *LEVELS]
    courses = numbers(html, "table-courses")
    # span (A1–B1) counts in A1, A2 and B1; too-old (fle A1) and the draft (fle A2) do not count.
    assert courses[FLE] == [0, 2, 2, 1, 0, 1, 4]
    assert courses[ALPHA_FR] == [1, 0, 0, 0, 0, 0, 1]
    assert courses[ALPHA_NF] == [1, 0, 0, 0, 0, 0, 1]
    assert courses[RAN] == [0, 0, 0, 1, 1, 0, 1]
    assert courses["All kinds"] == [2, 2, 2, 2, 1, 1, 7]
    operators = numbers(html, "table-operators")
    assert operators[FLE] == [0, 1, 1, 1, 0, 1, 1] and operators["All kinds"] == [1, 1, 1, 1, 1, 1, 1]
    assert caption(html, "table-courses").text == "Courses by kind and level, Namur"
    key = parse(html).one("dl.key-figures").text
    assert "Courses 7" in key and "Operators 1" in key and "Open for registration 3 (43%)" in key


def test_wallonia_adds_every_area_and_counts_each_operator_once(client, offer):
    html = page(client)  # Wallonia by default
    assert parse(html).one("select#area option[selected]")["value"] == "wallonia"
    courses = numbers(html, "table-courses")
    assert courses[RAN] == [0, 0, 0, 1, 2, 1, 2]  # closed (B1–B2) and liege (B2–C1)
    assert courses[ALPHA_NF] == [2, 1, 0, 0, 0, 0, 2]  # past, eupen (alpha–A1)
    assert courses["All kinds"][-1] == 9
    operators = numbers(html, "table-operators")
    assert operators[RAN] == [0, 0, 0, 1, 2, 1, 2] and operators["All kinds"][-1] == 2


def test_courses_by_what_a_person_can_do_now(client, offer):
    states = figures(page(client, "&area=Namur"), "table-states")
    assert states["Open for registration"] == ["3", "43%"]  # span and stale (rolling), waiting
    assert states["of which, next session: places open"] == ["2", "29%"]
    assert states["of which, next session: waiting list"] == ["1", "14%"]
    assert states["Registrations closed"] == ["1", "14%"]  # its deadline passed; the other session is full
    assert states["Full"] == ["1", "14%"]
    assert states["No start date known yet"] == ["2", "29%"]  # a session in the past; a rolling period over
    assert states["All courses"] == ["7", "100%"]
    wallonia = figures(page(client), "table-states")
    assert wallonia["Open for registration"][0] == "5"  # + eupen, + liege (deadline today)
    assert wallonia["of which, next session: places open"][0] == "4"


def test_shares_of_evening_saturday_childcare_free_and_job_oriented_courses(client, offer):
    shares = figures(page(client, "&area=Namur"), "table-shares")
    assert shares == {"When and how": [], "In the evening": ["1", "14%"], "On Saturday": ["1", "14%"],
                      "With childcare": ["1", "14%"], "Free": ["5", "71%"], "Towards a job": ["1", "14%"]}


def test_the_german_speaking_community_is_an_area_of_its_own_named_so(client, offer):
    areas = all_areas()
    assert [area.key for area in areas][0] == "wallonia" and areas[-1].bassin_efe == GERMAN_SPEAKING
    assert sum(area.is_bassin for area in areas) == 9 and len(areas) == 11
    html = page(client, "&area=communaute germanophone")  # any case, any accents
    name = "German-speaking Community (outside the bassins EFE)"
    assert parse(html).one("h1").text == f"The offer in figures: {name}"
    assert parse(html).one("select#area option[selected]").text == name
    assert numbers(html, "table-courses")[ALPHA_NF] == [1, 1, 0, 0, 0, 0, 1]
    assert numbers(html, "table-courses")["All kinds"][-1] == 1
    rows = numbers(html, "table-areas")
    assert rows[name] == [1, 1] and rows["Namur"] == [7, 1] and rows["Liège"] == [1, 1]
    assert rows["Wallonia"] == [9, 2] and rows["Luxembourg"] == [0, 0]
    french = client.get("/cadastre?area=Communauté germanophone").get_data(as_text=True)
    assert "Communauté germanophone (hors bassins EFE)" in parse(french).one("h1").text
    german = client.get("/cadastre?area=Communauté germanophone&lang=de").get_data(as_text=True)
    assert "Deutschsprachige Gemeinschaft (außerhalb der Bassins EFE)" in parse(german).one("h1").text
    # A bassin's name is a proper name: written in French in every language.
    namur = parse(page(client, "&area=namur")).one("h1 span")
    assert namur.text == "Namur" and namur["lang"] == "fr"


def test_every_cell_links_to_the_search_that_finds_those_courses(client, offer):
    html = page(client, "&area=Namur")
    table = parse(html).by_id("table-courses")
    links = {link.text: link["href"] for link in table.select("tbody tr a")}
    assert links  # only counts above zero are links
    assert all(link.text != "0" for link in table.select("a"))
    for row in table.select("tbody tr"):
        for cell in row.select("td"):
            link = cell.select_one("a")
            if link is None:
                continue
            query = link["href"].split("?", 1)[1]
            assert "bassin=Namur" in query and "lang=en" in query
            found = client.get(f"/api/v1/courses?{query.replace('lang=en', 'per_page=1')}").get_json()
            assert found["total"] == int(link.text), query


def test_the_selector_is_a_plain_form_and_an_unknown_area_is_said_beside_it(client, offer):
    html = page(client, "&area=Liège")
    form = parse(html).one("form.area-form")
    assert form["method"] == "get" and form["action"] == "/cadastre"
    assert form.one("input[name=lang]")["value"] == "en"
    assert [option["value"] for option in form.select("option")] == [area.key for area in all_areas()]
    response = client.get("/cadastre?area=Atlantis&lang=en")
    assert response.status_code == 400
    doc = parse(response.get_data(as_text=True))
    assert doc.one("#area-error").text == "“Atlantis” is not an area of the cadastre. Choose one in the list."
    assert doc.one("select#area")["aria-invalid"] == "true" and doc.by_id("table-courses") is None
    assert area_named(" WALLONIA ").bassin_efe is None and area_named("nowhere") is None


def test_an_area_without_courses_shows_zeros_and_dashes(client, app_context):
    html = page(client, "&area=Luxembourg")
    assert numbers(html, "table-courses")["All kinds"] == [0] * 7
    assert figures(html, "table-states")["All courses"] == ["0", "—"]


def test_tables_have_captions_and_headers(client, offer):
    doc = parse(page(client, "&area=Namur"))
    tables = doc.select("table")
    assert {table["id"] for table in tables} == {"table-courses", "table-operators", "table-states", "table-shares",
                                                 "table-pressure", "table-calendar", "table-areas"}
    for table in tables:
        assert table.one("caption").text
        assert all(th.get("scope") in ("col", "row", "rowgroup") for th in table.select("th"))
        assert all(row.select("th") for row in table.select("tbody tr"))  # each row has its header
        frame = table.parent
        assert frame.get("role") == "region" and frame["aria-labelledby"] == table.one("caption")["id"]
        assert frame["tabindex"] == "0"  # a frame that scrolls on a phone takes the keyboard's focus


def test_the_public_page_is_linked_from_every_public_page_and_speaks_four_languages(client, offer):
    footer = parse(client.get("/?lang=en").get_data(as_text=True)).one("footer.site-footer")
    assert any(link["href"] == "/cadastre?lang=en" for link in footer.select("a"))
    doc = parse(client.get("/cadastre?lang=nl").get_data(as_text=True))
    assert doc.one("html")["lang"] == "nl"
    assert [link.text for link in doc.select(".language-switcher a")] == ["Français", "Nederlands", "Deutsch",
                                                                          "English"]
    # A public language the page is not written in: the French page.
    assert parse(client.get("/cadastre?lang=ar").get_data(as_text=True)).one("html")["lang"] == "fr"
    response = client.get("/cadastre")
    assert "Set-Cookie" not in response.headers and "no-store" not in response.headers.get("Cache-Control", "")


def _cadastre_sources() -> list[str]:
    """The English sources of the cadastre's pages that a reader would notice (three words and more)."""
    from portal.translations.catalogues import TEMPLATE, load

    places = ("portal/templates/cadastre/", "portal/templates/workspace/cadastre.html", "portal/cadastre/")
    return sorted(message.id for message in load(TEMPLATE) if isinstance(message.id, str)
                  and any(location.startswith(places) for location, _line in message.locations)
                  and len(message.id.split()) >= 3 and "%" not in message.id)


@pytest.mark.parametrize("lang", ["fr", "nl", "de"])
def test_the_public_page_is_written_in_each_of_its_languages(client, offer, lang):
    for query in ("", "&area=Communauté germanophone", "&area=Atlantis"):
        text = parse(client.get(f"/cadastre?lang={lang}{query}").get_data(as_text=True)).text
        assert [source for source in _cadastre_sources() if source in text] == [], (lang, query)


def test_the_figures_are_kept_a_few_minutes_per_area_and_day(app, client, offer, monkeypatch):
    from portal.cadastre import kept as module

    monkeypatch.setitem(app.config, "CADASTRE_CACHE_SECONDS", 300)
    monkeypatch.setattr(module, "_KEPT", {})
    clock = [1000.0]
    monkeypatch.setattr(module.time, "monotonic", lambda: clock[0])

    def namur() -> int:
        return numbers(page(client, "&area=Namur"), "table-courses")["All kinds"][-1]

    assert namur() == 7
    f.load(f.document(f.operator("op-a", sites=[], courses=[f.course("new", "site-namur")])))
    clock[0] += 299
    assert namur() == 7  # kept
    assert numbers(page(client), "table-areas")["Namur"] == [7, 1]
    assert numbers(page(client, "&area=Liège"), "table-courses")["All kinds"][-1] == 1  # another area
    clock[0] += 2
    assert namur() == 8  # counted again after 300 s
    assert numbers(page(client), "table-areas")["Namur"] == [8, 1]
    assert "Counted from the live offer at" in page(client, "&area=Namur")


def test_shares_are_written_as_the_language_writes_percentages(app):
    from portal.templating import format_share

    with app.test_request_context("/?lang=en"):
        assert [format_share(value) for value in (None, 0, 0.004, 0.0099, 0.01, 0.4286, 1)] == [
            "—", "0%", "< 1%", "< 1%", "1%", "43%", "100%"]
    with app.test_request_context("/?lang=fr"):
        assert format_share(0.4286) == "43\xa0%"  # a no-break space, as CLDR writes it
