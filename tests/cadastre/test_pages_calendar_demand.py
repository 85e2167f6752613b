"""The cadastre's pages show the entry calendar and the searches that found nothing near: the public
page hides small counts of searches, the coordinators' page shows them all."""
from __future__ import annotations

from portal.demand.models import SearchCount
from portal.extensions import db
from tests.cadastre.helpers import column_headers, figures
from tests.cadastre.test_calendar import offer  # noqa: F401  (the calendar's fixture)
from tests.conftest import TODAY
from tests.html import parse
from tests.people import make_people, signed_in_client

NAMUR, ARLON = "92094", "81001"


def test_the_public_page_shows_the_calendar_of_its_area(client, offer):  # noqa: F811
    html = client.get("/cadastre?lang=en&area=Namur").get_data(as_text=True)
    headers = column_headers(html, "table-calendar")
    assert headers[1] == "Nov 26" and headers[12] == "Oct 27" and headers[-1] == "Start within 30 days"
    rows = figures(html, "table-calendar")
    fle_a1 = next(cells for header, cells in rows.items() if header.startswith("A1") and "FLE" in header)
    assert fle_a1 == ["0", "1", "1", "0", "0", "0", "0", "0", "0", "0", "0", "0", "10%"]  # 35 days of 365
    empty = parse(html).by_id("table-calendar").select("td.empty")
    assert len(empty) == 24 * 12 - 2 * 2 - 3  # fle A1 and A2 in December and January, alpha in Feb–Apr


def test_the_pressure_counts_full_and_waiting_list_courses_in_each_level(client, offer):  # noqa: F811
    html = client.get("/cadastre?lang=en&area=Namur").get_data(as_text=True)
    rows = figures(html, "table-pressure")
    # The FLE course's next session (7 December: the 30 November one's deadline passed) has a
    # waiting list: it counts in A1 and A2; the rolling Alpha course is open.
    fle = next(cells for header, cells in rows.items() if "FLE" in header)
    assert fle == ["0", "1 (100%)", "1 (100%)", "0", "0", "0"]
    alpha = next(cells for header, cells in rows.items() if header.startswith("Learn French and learn to read"))
    assert alpha == ["0 (0%)", "0", "0", "0", "0", "0"]


def add_counts(*rows) -> None:
    db.session.add_all(SearchCount(day=day, nis_code=nis, kinds=kinds, level=level, band=band, count=count)
                       for day, nis, kinds, level, band, count in rows)
    db.session.commit()


def test_the_public_page_hides_fewer_than_five_searches(client, app_context):
    add_counts((TODAY, NAMUR, "fle", "B1", "far", 3), (TODAY, NAMUR, "fle", "B1", "none", 4),
               (TODAY, ARLON, "fle", "B2", "none", 4), (TODAY, NAMUR, "fle", "A1", "10", 40))
    html = client.get("/cadastre?lang=en").get_data(as_text=True)
    assert figures(html, "table-demand") == {
        "Month": [], "November 2026": ["Namur", "Learn French (FLE)", "B1", "7"]}
    assert "fewer than 5" in parse(html).by_id("demand-title").parent.text
    # Another area: only the searches from its communes.
    html = client.get("/cadastre?lang=en&area=Luxembourg").get_data(as_text=True)
    assert parse(html).by_id("table-demand") is None and "No such searches" in html


def test_the_coordinators_page_shows_every_count(app, app_context):
    people = make_people()
    add_counts((TODAY, NAMUR, "fle", "B1", "far", 3), (TODAY, ARLON, "", "", "none", 1))
    response = signed_in_client(app, people["coordinator"]).get("/espace/cadastre?lang=en&area=wallonia")
    rows = figures(response.get_data(as_text=True), "table-demand")
    shown = (["Namur", "Learn French (FLE)", "B1", "3"], ["Arlon", "Every kind", "Any level", "1"])
    assert rows["November 2026"] in shown
    assert len(parse(response.get_data(as_text=True)).by_id("table-demand").select("tbody tr")) == 2
