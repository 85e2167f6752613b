"""The report of one area to print (issue 12, item 6), through HTTP: the gap question's answer, its
map drawn as SVG (every commune of the area, coloured by its band, named in a title), the table of
the communes beyond the distance, then every table of the area's page; no kind chosen means every
kind; the coordinators' report adds the operators and the referrals; errors stay beside their field
with what was typed. The A4 print is checked in tests/browser/test_cadastre.py."""
from __future__ import annotations

from portal.accounts.services import create_user
from portal.cadastre.gap_map import COLOURS
from portal.geo.gazetteer import get_gazetteer
from tests.cadastre.test_calendar import offer  # noqa: F401  (the calendar's fixture: Namur and Liège)
from tests.html import parse
from tests.people import PASSWORD, signed_in_client, with_second_factor

NAMUR_COMMUNES = sorted(c.name for c in get_gazetteer().communes.values() if c.bassin_efe == "Namur")


def test_the_report_draws_every_commune_of_the_area_and_lists_those_beyond(client, offer):  # noqa: F811
    response = client.get("/cadastre/rapport?lang=en&area=Namur&kind=fle&level=A1&km=10")
    assert response.status_code == 200
    doc = parse(response.get_data(as_text=True))
    assert doc.one("h1").text == "Report: Namur"
    svg = doc.one("svg.gap-svg")
    assert svg["role"] == "img" and svg["aria-labelledby"] == "report-map-title"
    paths = svg.select("path")
    assert sorted(path.one("title").text.split(":")[0] for path in paths) == NAMUR_COMMUNES
    assert {path["fill"] for path in paths} <= set(COLOURS)
    namur = next(path for path in paths if path.one("title").text.startswith("Namur:"))
    assert namur["fill"] == COLOURS[0] and "0 km to the nearest course" in namur.one("title").text
    listed = [row.one("th").text for row in doc.select("#table-gaps tbody tr")]
    assert listed and "Namur" not in listed
    assert doc.one("p.answer").text.endswith("more than 10 km from any FLE A1 course.")
    # Then the page's tables, without links to files (paper).
    for table in ("table-courses", "table-operators", "table-states", "table-pressure", "table-shares",
                  "table-calendar", "table-areas"):
        assert doc.by_id(table) is not None, table
    assert doc.select(".downloads") == [] and doc.by_id("table-operator-freshness") is None


def test_no_kind_chosen_means_every_kind(client, offer):  # noqa: F811
    doc = parse(client.get("/cadastre/rapport?lang=en&area=Namur").get_data(as_text=True))
    assert doc.one("select#kind option[selected]").text == "Every kind"
    assert doc.one("input#km")["value"] == "20"
    assert "any Alpha FR / Alpha NF / FLE / RAN course" in doc.one("p.answer").text


def test_a_wrong_question_is_said_beside_its_field_with_what_was_typed(client, offer):  # noqa: F811
    response = client.get("/cadastre/rapport?lang=en&area=Namur&kind=fle&km=far")
    assert response.status_code == 400
    doc = parse(response.get_data(as_text=True))
    assert doc.one("input#km")["value"] == "far" and doc.one("input#km")["aria-invalid"] == "true"
    assert doc.one("#km-error").text == "Give a distance in km, 0 or more."
    assert doc.select("svg.gap-svg") == [] and doc.by_id("table-courses") is not None  # the figures stay
    unknown = client.get("/cadastre/rapport?lang=en&area=Atlantis")
    assert unknown.status_code == 400
    assert "“Atlantis” is not an area of the cadastre" in parse(unknown.get_data(as_text=True)).one("#area-error").text


def test_the_coordinators_report_adds_the_operators_and_the_referrals(app, offer):  # noqa: F811
    with_second_factor(create_user("coord-namur@example.org", PASSWORD, "coordinator", bassin="Namur"))
    client = signed_in_client(app, "coord-namur@example.org")
    page = parse(client.get("/espace/cadastre?lang=en&area=Namur").get_data(as_text=True))
    assert [a["href"] for a in page.select(".page-actions a")] == [
        "/espace/cadastre/tableaux.xlsx?area=Namur&lang=en", "/espace/cadastre/rapport?area=Namur&lang=en"]
    doc = parse(client.get("/espace/cadastre/rapport?lang=en&area=Namur&kind=fle&km=20").get_data(as_text=True))
    assert doc.by_id("table-operator-freshness") is not None
    assert doc.by_id("referrals-title") is not None
    assert doc.one("form.gap-form")["action"] == "/espace/cadastre/rapport"


def test_the_gap_page_links_to_the_report_of_its_question(client, offer):  # noqa: F811
    doc = parse(client.get("/cadastre/ecarts?lang=nl&kind=fle&level=A1&area=Namur&km=10").get_data(as_text=True))
    link = doc.one(".page-actions a")
    assert link.text == "Een rapport om af te drukken"
    assert link["href"] == "/cadastre/rapport?kind=fle&level=A1&area=Namur&km=10&lang=nl"
    assert client.get(link["href"]).status_code == 200
