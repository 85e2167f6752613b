"""Every table of the cadastre's pages as CSV and XLSX (issue 12, item 6), through HTTP: each link
of a page answers with its table, with the page's words and the page's numbers; the workbook holds
every table, numbers as numbers and shares as percentages; operator-written text never runs as a
formula; a wrong area, table or question is a clear error."""
from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest

from portal.accounts.services import create_user
from portal.demand.models import SearchCount
from portal.extensions import db
from tests import factories as f
from tests.cadastre.helpers import column_headers, figures, numbers
from tests.cadastre.test_calendar import offer  # noqa: F401  (the calendar's fixture: Namur and Liège)
from tests.conftest import TODAY
from tests.html import parse
from tests.people import PASSWORD, signed_in_client, with_second_factor

# The public page's tables: the file's name → the table's id on the page.
PAGE_TABLES = {"courses": "table-courses", "operators": "table-operators", "states": "table-states",
               "hours": "table-shares", "areas": "table-areas"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # Excel reads the accents
    return list(csv.reader(io.StringIO(text[1:])))


def counts(rows: list[list[str]], columns: list[str]) -> dict[str, list[int]]:
    """The counts of a CSV table by its first cell (the shares' column left out)."""
    shares = {index for index, name in enumerate(columns) if name == "Share"}
    return {row[0]: [int(cell) for index, cell in enumerate(row[1:], start=1) if index not in shares and cell]
            for row in rows}


def test_each_table_of_the_public_page_downloads_with_its_numbers(client, offer):  # noqa: F811
    html = client.get("/cadastre?lang=en&area=Namur").get_data(as_text=True)
    for name, table_id in PAGE_TABLES.items():
        rows = csv_rows(client.get(f"/cadastre/tableaux/{name}.csv?lang=en&area=Namur"))
        assert rows[0] == column_headers(html, table_id), name
        page = {header: cells for header, cells in numbers(html, table_id).items()}
        assert counts(rows[1:], rows[0]) == page, name
    courses = numbers(html, "table-courses")
    assert courses["All kinds"][-1] == 2  # the visible courses of Namur: the file says the same


def test_the_calendar_and_the_pressure_files_hold_the_page_s_cells(client, offer):  # noqa: F811
    html = client.get("/cadastre?lang=en&area=Namur").get_data(as_text=True)
    calendar = csv_rows(client.get("/cadastre/tableaux/calendar.csv?lang=en&area=Namur"))
    assert calendar[0][:3] == ["Kind of course", "Level", "Nov 26"] and calendar[0][-1] == "Start within 30 days"
    page_rows = [cells for cells in figures(html, "table-calendar").values() if cells]
    assert [row[2:14] for row in calendar[1:]] == [cells[:12] for cells in page_rows]
    fle_a1 = next(row for row in calendar if row[0] == "Learn French (FLE)" and row[1] == "A1")
    assert fle_a1[2:] == ["0", "1", "1", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0.0959"]  # 35/365
    pressure = csv_rows(client.get("/cadastre/tableaux/pressure.csv?lang=en&area=Namur"))
    assert pressure[0] == ["Kind of course", "Level", "Courses", "Full or with a waiting list", "Share"]
    grid = [int(cell.split()[0]) for cells in figures(html, "table-pressure").values() for cell in cells]
    assert [int(row[3]) for row in pressure[1:]] == grid
    assert ["Learn French (FLE)", "A2", "1", "1", "1"] in pressure


def test_the_searches_that_found_nothing_download_as_the_page_shows_them(client, app_context):
    db.session.add_all([SearchCount(day=TODAY, nis_code="92094", kinds="fle", level="B1", band="none", count=7),
                        SearchCount(day=TODAY, nis_code="92094", kinds="fle", level="B2", band="none", count=2)])
    db.session.commit()
    html = client.get("/cadastre?lang=en").get_data(as_text=True)
    rows = csv_rows(client.get("/cadastre/tableaux/demand.csv?lang=en"))
    assert rows == [["Month", "Place searched", "NIS code", "Kind of course", "Level", "Searches"],
                    ["November 2026", "Namur", "92094", "Learn French (FLE)", "B1", "7"]]  # 2 < 5: hidden
    assert figures(html, "table-demand")["November 2026"] == ["Namur", "Learn French (FLE)", "B1", "7"]


def test_every_download_link_of_the_pages_answers(client, offer):  # noqa: F811
    for page in ("/cadastre?area=Namur&lang=de", "/cadastre/ecarts?kind=fle&area=Namur&km=5&lang=de"):
        links = [a["href"] for a in parse(client.get(page).get_data(as_text=True)).select(".downloads a")]
        assert links and all("lang=de" in link for link in links)
        for link in links:
            response = client.get(link)
            assert response.status_code == 200, link
            assert response.mimetype in ("text/csv", XLSX), link
    actions = parse(client.get("/cadastre?area=Namur").get_data(as_text=True)).select(".page-actions a")
    assert [a["href"] for a in actions] == ["/cadastre/tableaux.xlsx?area=Namur", "/cadastre/rapport?area=Namur"]


def test_the_workbook_holds_every_table_with_numbers_and_percentages(client, offer):  # noqa: F811
    response = client.get("/cadastre/tableaux.xlsx?lang=en&area=Namur")
    assert response.status_code == 200 and response.mimetype == XLSX
    assert response.headers["Content-Disposition"] == \
        f'attachment; filename="passerelle-cadastre-namur-{TODAY.isoformat()}.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["courses", "operators", "states", "pressure", "hours", "calendar", "demand", "areas"]
    sheet = book["states"]
    assert sheet["A1"].value == "Courses by what a person can do now, Namur"
    assert "CC BY 4.0" in sheet["A2"].value and "November 27, 2026" in sheet["A2"].value
    assert [cell.value for cell in sheet[4]] == ["What a person can do now", "Courses", "Share"]
    joinable = sheet[5]
    assert joinable[0].value == "Open for registration" and joinable[1].value == 2
    assert joinable[2].value == 1.0 and joinable[2].number_format == "0.0%"
    assert sheet.freeze_panes == "B5"


@pytest.fixture()
def coordinator(app, app_context):
    f.load(f.document(f.operator("op-formula", name='=HYPERLINK("http://evil.example","Click")',
                                 sites=[f.site("s-namur", "5000", "Namur")],
                                 courses=[f.course("c-namur", site_ref="s-namur", kind="fle", level_min="A1",
                                                           level_max="A1")])))
    with_second_factor(create_user("coord-namur@example.org", PASSWORD, "coordinator", bassin="Namur"))
    return signed_in_client(app, "coord-namur@example.org")


def test_the_coordinators_tables_download_and_no_name_runs_as_a_formula(coordinator):
    rows = csv_rows(coordinator.get("/espace/cadastre/tableaux/operator-freshness.csv?lang=en&area=Namur"))
    assert rows[0][:4] == ["Operator", "Reference", "Kind of organisation", "Published courses"]
    assert rows[1][:4] == ["'=HYPERLINK(\"http://evil.example\",\"Click\")", "op-formula",
                           "Non-profit association (ASBL)", "1"]
    book = openpyxl.load_workbook(io.BytesIO(coordinator.get("/espace/cadastre/tableaux.xlsx?lang=en&area=Namur").data))
    assert book.sheetnames[-2:] == ["operator-freshness", "referrals"]
    name = book["operator-freshness"]["A5"]
    assert name.value.startswith("=HYPERLINK") and name.data_type == "s"  # text, never a formula
    referrals = csv_rows(coordinator.get("/espace/cadastre/tableaux/referrals.csv?lang=en&area=Namur"))
    assert referrals[0][:4] == ["Course", "Reference", "Operator", "Referrals"] and referrals[1:] == []
    # Another bassin's operators are not on this coordinator's page, so not in its files either.
    assert coordinator.get("/espace/cadastre/tableaux/operator-freshness.csv?area=Li%C3%A8ge").status_code == 404
    assert "operator-freshness" not in openpyxl.load_workbook(io.BytesIO(
        coordinator.get("/espace/cadastre/tableaux.xlsx?area=Li%C3%A8ge").data)).sheetnames


def test_the_gap_table_downloads_as_the_page_lists_it(client, offer):  # noqa: F811
    query = "kind=fle&area=Namur&km=5&lang=en"
    html = client.get(f"/cadastre/ecarts?{query}").get_data(as_text=True)
    page_rows = parse(html).select("#table-gaps tbody tr")
    rows = csv_rows(client.get(f"/cadastre/ecarts/tableau.csv?{query}"))
    assert rows[0] == ["Commune", "NIS code", "Population", "Distance to the nearest course (km)", "Nearest course",
                       "When it starts", "Next session"]
    assert [row[0] for row in rows[1:]] == [row.one("th").text for row in page_rows]
    assert [float(row[3]) for row in rows[1:]] == [float(re.sub(r" km$", "", row.select("td")[1].text))
                                                   for row in page_rows]
    assert [row[4] for row in rows[1:]] == [row.select("td")[2].text for row in page_rows]
    assert {tuple(row[4:]) for row in rows[1:]} == {("fixed-fle", "2026-12-07", "Waiting list"),
                                                    ("fixed-liege", "2027-05-03", "")}
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/cadastre/ecarts/tableau.xlsx?{query}").data))
    assert book["gaps"]["A1"].value.startswith("FLE: the communes more than 5 km")


@pytest.mark.parametrize(("path", "status", "said"), [
    ("/cadastre/tableaux/courses.csv?lang=en&area=nowhere", 400, "“nowhere” is not an area of the cadastre"),
    ("/cadastre/tableaux.xlsx?lang=en&area=nowhere", 400, "“nowhere” is not an area of the cadastre"),
    ("/cadastre/tableaux/nope.csv?lang=en", 404, ""),
    ("/cadastre/tableaux/courses.pdf?lang=en", 404, ""),
    ("/cadastre/tableaux/operator-freshness.csv?lang=en", 404, ""),  # not a public table
    ("/cadastre/ecarts/tableau.csv?lang=en&kind=zz&km=20", 400, "“zz” is not valid"),
    ("/cadastre/ecarts/tableau.csv?lang=en&kind=fle&km=-2", 400, "Give a distance in km, 0 or more."),
    ("/cadastre/ecarts/tableau.xlsx?lang=en", 400, "Choose a kind of course."),
])
def test_a_wrong_download_is_a_clear_error(client, path, status, said):
    response = client.get(path)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert said in response.get_data(as_text=True).replace("&#34;", '"').replace("&#39;", "'")
