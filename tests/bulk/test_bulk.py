"""Bulk import and export in the workspace: an operator's courses as CSV, XLSX and JSON (one
course per row, all or nothing, every error by row and column, export → import changes
nothing), a coordinator's bassin cadastre, and who may do what (role × route)."""
from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pytest
from sqlalchemy import select

from portal.bulk import files as bulk_files
from portal.bulk import sheet as bulk
from portal.extensions import db
from portal.geo.gazetteer import get_gazetteer
from portal.offer.history import CourseChange
from portal.offer.models import Course
from portal.offer.services import export_offer
from portal.offer.validation import validate_document
from tests import factories as f
from tests.bulk.helpers import (
    BASSIN_IMPORT,
    ENTRIES,
    HEADER,
    IMPORT_A,
    course_count,
    csv_rows,
    history_count,
    problems_of,
    stored,
    upload,
)
from tests.conftest import TODAY
from tests.html import parse
from tests.people import LOGIN, check_matrix, over_matrix, signed_in_client


def api(client, ref: str) -> dict:
    response = client.get(f"/api/v1/courses/{ref}")
    assert response.status_code == 200, ref
    return response.get_json()


# -- export -----------------------------------------------------------------------------------
def test_csv_export_is_one_row_per_course_in_excel_friendly_utf8(operator_a):
    response = operator_a.get("/espace/organismes/op-a/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == f'attachment; filename="op-a-cours-{TODAY}.csv"'
    content = response.data
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8-sig").split("\r\n", 1)[0] == ",".join(bulk_files.COLUMNS)
    rows = {row["ref"]: row for row in csv_rows(content)}
    assert set(rows) == {"course-a", "course-fixed"}
    fixed = rows["course-fixed"]
    assert fixed["entries"] == "2027-01-11..2027-06-30; 2027-02-01 deadline=2027-01-25 full"
    assert (fixed["sectors"], fixed["job_oriented"], fixed["childcare"]) == ("care, cleaning", "yes", "no")
    assert (fixed["hours_per_week"], fixed["cost_eur"], fixed["status"]) == ("4.5", "0", "draft")
    assert fixed["title"] == "'=Soir (formule)"  # a spreadsheet must not run it as a formula
    assert fixed["site_address"] == "Centre — Rue de Fer 1, 5000 Namur"
    assert rows["course-a"]["entries"] == "" and rows["course-a"]["entry_mode"] == "rolling"


def test_xlsx_export_has_date_cells_and_keeps_formulas_as_text(operator_a):
    response = operator_a.get("/espace/organismes/op-a/export.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header == list(bulk_files.COLUMNS)
    rows = {row[0].value: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)}
    fixed = rows["course-fixed"]
    assert fixed["title"].value == "=Soir (formule)" and fixed["title"].data_type == "s"
    assert fixed["confirmed_at"].value == dt.datetime(2026, 11, 1)
    assert fixed["hours_per_week"].value == 4.5
    assert fixed["entries"].value == "2027-01-11..2027-06-30; 2027-02-01 deadline=2027-01-25 full"


def test_json_export_is_the_operator_alone_in_the_exchange_format(operator_a):
    response = operator_a.get("/espace/organismes/op-a/export.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = json.loads(response.data)
    assert [o["ref"] for o in document["operators"]] == ["op-a"]
    assert [s["ref"] for s in document["operators"][0]["sites"]] == ["site-a"]
    assert [c["ref"] for c in document["operators"][0]["courses"]] == ["course-a", "course-fixed"]
    validate_document(document, get_gazetteer())  # raises if it were not a valid document


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_export_then_import_changes_nothing(operator_a, fmt):
    before, changes = export_offer(), history_count()
    exported = operator_a.get(f"/espace/organismes/op-a/export.{fmt}").data
    response = upload(operator_a, IMPORT_A, f"cours.{fmt}", exported)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert "courses=0-0-2" in response.headers["Location"]
    db.session.expire_all()
    assert export_offer() == before and history_count() == changes
    page = parse(operator_a.get(response.headers["Location"]).get_data(as_text=True))
    assert page.one(".import-summary[role=status]")
    again = operator_a.get(f"/espace/organismes/op-a/export.{fmt}").data
    if fmt != "xlsx":  # a workbook's zip holds timestamps
        assert again == exported


# -- import: good files -----------------------------------------------------------------------
def test_csv_updates_by_ref_adds_rows_without_ref_and_keeps_columns_left_out(operator_a):
    content = "\n".join([
        HEADER,
        "course-a,site-a,Français oral du matin,fle,A1,A2,rolling,,\"mon, tue\",no,",
        ",site-a,Conversation du soir,FLE,a2,b1,fixed,11/01/2027..30/06/2027; 2027-03-01 waiting_list,wed,oui,3",
        ",site-a,Conversation du soir,fle,A2,B1,fixed,2027-09-06,wed,non,3",
    ])
    response = upload(operator_a, IMPORT_A, "cours.csv", content)
    assert response.status_code == 302, problems_of(response)
    assert "courses=2-1-0" in response.headers["Location"]
    updated = api(operator_a, "course-a")
    assert updated["title"] == "Français oral du matin" and updated["days"] == ["mon", "tue"]
    assert updated["description"] == "Parler au quotidien."  # no description column: kept
    assert updated["hours_per_week"] is None  # an empty cell empties
    assert stored("course-fixed")["title"] == "=Soir (formule)"  # not in the file: as it was
    first, second = stored("op-a-conversation-du-soir"), stored("op-a-conversation-du-soir-2")
    assert (first["kind"], first["level_min"], first["level_max"], first["job_oriented"]) == ("fle", "A2", "B1", True)
    assert first["entries"] == [
        {"start": "2027-01-11", "end": "2027-06-30", "registration_deadline": None, "status": "open"},
        {"start": "2027-03-01", "end": None, "registration_deadline": None, "status": "waiting_list"}]
    assert first["confirmed_at"] == TODAY.isoformat() and second["entries"][0]["start"] == "2027-09-06"
    assert api(operator_a, "op-a-conversation-du-soir")["next_entry"] == "2027-01-11"


def test_semicolon_csv_from_excel_in_windows_1252_with_french_dates(operator_a):
    content = "\r\n".join([
        HEADER.replace(",", ";") + ";confirmed_at;active_from",
        "course-a;site-a;Français écrit;fle;A1;A2;rolling;;mon;non;;15/11/2026;04/01/2027",
        ";site-a;Cours d'été;alpha_fr;alpha;A1;fixed;06/07/2027..27/08/2027 deadline=30/06/2027;mon, tue;OUI;4,5;;",
    ])
    response = upload(operator_a, IMPORT_A, "cours.csv", content.encode("cp1252"))
    assert response.status_code == 302, problems_of(response)
    course = stored("course-a")
    assert (course["title"], course["confirmed_at"], course["active_from"]) == ("Français écrit", "2026-11-15",
                                                                              "2027-01-04")
    new = stored("op-a-cours-d-ete")
    assert new["entries"] == [{"start": "2027-07-06", "end": "2027-08-27", "registration_deadline": "2027-06-30",
                               "status": "open"}]
    assert (new["job_oriented"], new["hours_per_week"], new["title"]) == (True, 4.5, "Cours d'été")


def test_xlsx_with_real_date_number_and_boolean_cells(operator_a):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Ref", "Site", "Title", "Kind", "Level_min", "Level_max", "Entry_mode", "Entries",
                  "Childcare", "Cost_eur", "Confirmed_at", "site_address"])
    sheet.append(["course-a", "site-a", "Alpha du jeudi", "alpha_nf", "alpha", "A1", "fixed",
                  dt.datetime(2027, 2, 4), True, 25, dt.datetime(2026, 11, 20), "ignored: read only"])
    sheet.append([None, None, None, None, None, None, None, None, None, None, None, None])  # an empty row: skipped
    sheet.append([None, "site-a", "Remise à niveau", "ran", "A2", "B1", "rolling", None, "non", 12.5,
                  "20/11/2026", None])
    content = io.BytesIO()
    workbook.save(content)
    response = upload(operator_a, IMPORT_A, "Cours.XLSX", content.getvalue())
    assert response.status_code == 302, problems_of(response)
    course = stored("course-a")
    assert course["entries"] == [{"start": "2027-02-04", "end": None, "registration_deadline": None,
                                  "status": "open"}]
    assert (course["childcare"], course["cost_eur"], course["confirmed_at"]) == (True, 25, "2026-11-20")
    assert course["title"] == "Alpha du jeudi" and course["description"] == "Parler au quotidien."
    assert stored("op-a-remise-a-niveau")["cost_eur"] == 12.5


def test_json_of_the_operator_may_add_a_site_and_its_courses(operator_a):
    document = f.document(f.operator("op-a", sites=[f.site("site-a", "5000", "Namur"),
                                                    f.site("site-jambes", "5100", "Jambes")],
                                     courses=[f.course("course-jambes", "site-jambes", title="FLE à Jambes")]))
    response = upload(operator_a, IMPORT_A, "offre.json", json.dumps(document))
    assert response.status_code == 302, problems_of(response)
    assert "sites=1-0-1" in response.headers["Location"] and "courses=1-0-0" in response.headers["Location"]
    assert api(operator_a, "course-jambes")["title"] == "FLE à Jambes"


# -- import: bad files ------------------------------------------------------------------------
def test_bad_rows_are_all_listed_by_row_and_column_and_nothing_is_written(operator_a):
    content = "\n".join([
        HEADER,
        "course-a,site-a,Titre changé,fle,B3,A2,rolling,,mon,no,",  # row 2: B3 is no level
        ",site-a,Sans erreur ici,fle,A1,A2,rolling,,mon,no,",  # row 3: good, yet not written
        ",site-a,,fle,B2,A1,fixed,2027-13-01; 2027-03-01..2027-02-01,mun,maybe,abc",  # row 4: seven errors
        ",site-b,Chez B,fle,A1,A2,rolling,,,,",  # row 5: another operator's site
        "course-fixed,site-a,Double,fle,A1,A2,rolling,,,,",  # row 6: rolling with... no entries: fine
        "course-fixed,site-a,Double,fle,A1,A2,rolling,,,,",  # row 7: same ref twice
    ])
    before, count = export_offer(), course_count()
    response = upload(operator_a, IMPORT_A, "cours.csv", content)
    assert response.status_code == 400
    found = problems_of(response)
    where = [(row, column) for row, column, _text in found]
    assert where == [("2", "level_min"), ("4", "title"), ("4", "level_min"), ("4", "job_oriented"),
                     ("4", "days"), ("4", "hours_per_week"), ("4", "entries"), ("4", "entries"),
                     ("5", "site"), ("7", "ref")]
    text = {(row, column): message for row, column, message in found}
    assert "Row 2, column level_min:" in text[("2", "level_min")] and "'B3' is not a level" in text[("2", "level_min")]
    assert "“maybe” is not yes or no" in text[("4", "job_oriented")]
    assert "“abc” is not a number" in text[("4", "hours_per_week")]
    assert "'mun' is not a day" in text[("4", "days")]
    assert [m for r, c, m in found if (r, c) == ("4", "entries")][0].endswith(
        "“2027-13-01” is not an entry: write START or START..END, then optionally deadline=DATE and open, "
        "waiting_list or full; separate entries with “;”.")
    assert [m for r, c, m in found if (r, c) == ("4", "entries")][1] == (
        "Row 4, column entries: entry “2027-03-01..2027-02-01”, end: The end is before the start.")
    assert "'site-b' is not one of the sites of operator 'op-a'" in text[("5", "site")]
    assert "duplicate course ref 'course-fixed' (also at row 6)" in text[("7", "ref")]
    assert response.get_data(as_text=True).count('name="file"') == 1  # the form is still there
    db.session.expire_all()
    assert export_offer() == before and course_count() == count


def test_a_course_ref_of_another_operator_is_refused(operator_a):
    content = HEADER + "\ncourse-b,site-a,Pris à B,fle,A1,A2,rolling,,,,"
    response = upload(operator_a, IMPORT_A, "cours.csv", content)
    assert response.status_code == 400
    assert problems_of(response) == [("2", "ref", "Row 2, column ref: course 'course-b' belongs to operator 'op-b'")]
    assert stored("course-b")["title"] == "Français oral débutant"


def test_json_of_another_operator_is_refused(operator_a):
    document = f.document(f.operator("op-a", sites=[f.site("site-a", "5000", "Namur")]),
                          f.operator("op-c", name="Opérateur C", sites=[f.site("site-c", "5000", "Namur")]))
    before = export_offer()
    response = upload(operator_a, IMPORT_A, "offre.json", json.dumps(document))
    assert response.status_code == 400
    assert problems_of(response) == [(None, "operators[1].ref", "operators[1].ref: This file is for the operator "
                                                               "“op-c”: only “op-a” can be imported here.")]
    db.session.expire_all()
    assert export_offer() == before


ROWS_LIMIT = HEADER + "\n" + "\n".join(",site-a,Cours,fle,A1,A2,rolling,,,," for _ in range(bulk_files.MAX_ROWS + 1))


@pytest.mark.parametrize(("name", "content", "message"), [
    ("cours.csv", HEADER + ",salle\n,site-a,T,fle,A1,A2,rolling,,,,,5",
     "Column salle: Unknown column “salle”. The columns are: ref, site, site_address, reception_languages, title"),
    ("cours.csv", "ref,site,title\nx,site-a,T", "The column “kind” is missing (row 1 holds the column names)."),
    ("cours.csv", "", "The file is empty."),
    ("cours.csv", "\ufeff\r\n\r\n", "The file is empty."),
    ("cours.csv", HEADER + "\n", "The file has no course: only the row of column names."),
    ("cours.csv", "title,title,site,kind,level_min,level_max,entry_mode\n", "The column “title” appears twice."),
    ("cours.pdf", "%PDF-1.4", "Only .csv, .xlsx and .json files can be imported, not .pdf."),
    ("cours.xls", "\xd0\xcf\x11\xe0", "A .xls file cannot be read: save it as .xlsx (Excel workbook) or .csv"),
    ("cours.xlsx", "not a zip at all", "The file cannot be read as an Excel workbook (.xlsx)."),
    ("cours.json", "{\"format\": ", "The file is not valid JSON (line 1, column 12"),
    ("cours.json", "[]", "$: must be an object"),
    ("cours.csv", b"x" * (bulk_files.MAX_BYTES + 1), "The file is larger than 5 MB."),
    ("cours.csv", ROWS_LIMIT, "The file has more than 5000 rows: split it."),
    ("cours.csv", HEADER + "\n,site-a,T,fle,A1,A2,rolling,,,,,oops", "There is a value in column L, which has no name"),
], ids=["unknown column", "missing column", "empty", "blank lines", "header only", "twice", "pdf", "xls",
        "damaged xlsx", "bad json", "json not an object", "too big", "too many rows", "unnamed column"])
def test_file_level_problems_are_listed_and_nothing_is_written(operator_a, name, content, message):
    before = export_offer()
    response = upload(operator_a, IMPORT_A, name, content)
    assert response.status_code == 400
    texts = [text for _row, _column, text in problems_of(response)]
    assert any(message in text for text in texts), texts
    db.session.expire_all()
    assert export_offer() == before


def test_no_file_is_a_form_error(operator_a):
    response = operator_a.post(f"{IMPORT_A}?lang=en", data={}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert problems_of(response) == [(None, None, "Choose a file to import.")]


def test_check_only_validates_counts_and_writes_nothing(operator_a):
    before, changes = export_offer(), history_count()
    content = HEADER + "\ncourse-a,site-a,Nouveau titre,fle,A1,A2,rolling,,,,\n,site-a,Nouveau,fle,A1,A2,rolling,,,,"
    response = upload(operator_a, IMPORT_A, "cours.csv", content, check_only=True)
    assert response.status_code == 200
    page = parse(response.get_data(as_text=True))
    summary = page.one(".import-summary[role=status]")
    assert "Nothing was saved" in summary.text
    assert [cell.text for cell in summary.select("tbody tr")[0].select("td")] == ["1", "1", "0"]
    assert page.one("input[name=check_only]").has("checked")  # the form is kept
    db.session.expire_all()
    assert export_offer() == before and history_count() == changes
    bad = upload(operator_a, IMPORT_A, "cours.csv", HEADER + "\ncourse-a,site-a,T,fle,Z9,A2,rolling,,,,",
                 check_only=True)
    assert bad.status_code == 400 and [c for _r, c, _t in problems_of(bad)] == ["level_min"]


def test_an_import_is_recorded_in_the_courses_history(operator_a):
    content = HEADER + "\ncourse-a,site-a,Nouveau titre,fle,A1,A2,rolling,,,,"
    assert upload(operator_a, IMPORT_A, "cours.csv", content).status_code == 302
    change = db.session.scalar(select(CourseChange).order_by(CourseChange.id.desc()))
    assert (change.source, change.user_email, change.action) == ("file", "a@example.org", "updated")
    assert change.changes["title"] == ["Français oral débutant", "Nouveau titre"]


# -- a bassin's cadastre ----------------------------------------------------------------------
def test_coordinator_imports_the_bassin_and_exports_it(coordinator, app, people):
    document = f.document(
        f.operator("op-a", sites=[f.site("site-a", "5000", "Namur")],
                   courses=[f.course("course-a", "site-a", title="Mis à jour par la coordination")]),
        f.operator("op-new", name="Nouvel organisme", sites=[f.site("site-new", "5500", "Dinant")],
                   courses=[f.course("course-new", "site-new")]))
    response = upload(coordinator, BASSIN_IMPORT, "cadastre.json", json.dumps(document))
    assert response.status_code == 302, problems_of(response)
    location = response.headers["Location"]
    assert "operators=1-0-1" in location and "sites=1-0-1" in location and "courses=1-1-0" in location
    assert stored("course-a")["title"] == "Mis à jour par la coordination"
    page = parse(coordinator.get(location).get_data(as_text=True))
    assert len(page.one(".import-summary").select("tbody tr")) == 3
    change = db.session.scalar(select(CourseChange).where(CourseChange.source == "bassin").limit(1))
    assert change is not None and change.user_email == "coord@example.org"

    exported = coordinator.get("/espace/bassins/Namur/export.json")
    assert exported.status_code == 200
    assert exported.headers["Content-Disposition"] == f'attachment; filename="cadastre-namur-{TODAY}.json"'
    cadastre = json.loads(exported.data)
    assert [o["ref"] for o in cadastre["operators"]] == ["op-a", "op-new"]  # op-b is in Liège
    validate_document(cadastre, get_gazetteer())
    before = export_offer()
    again = upload(coordinator, BASSIN_IMPORT, "cadastre.json", exported.data)
    assert again.status_code == 302 and "courses=0-0-3" in again.headers["Location"]
    db.session.expire_all()
    assert export_offer() == before


def test_bassin_import_refuses_sites_and_operators_of_other_bassins(coordinator):
    document = f.document(
        f.operator("op-a", sites=[f.site("site-a", "5000", "Namur"), f.site("site-liege", "4020", "Liège")],
                   courses=[f.course("course-a", "site-a", title="Changé")]),
        f.operator("op-b", name="Opérateur B (test)", sites=[f.site("site-b2", "5000", "Namur")]),
        f.operator("op-c", name="Ailleurs", sites=[f.site("site-c", "6000", "Charleroi")],
                   courses=[f.course("course-c", "site-c", level_min="C1", level_max="A1")]))
    before = export_offer()
    response = upload(coordinator, BASSIN_IMPORT, "cadastre.json", json.dumps(document))
    assert response.status_code == 400
    found = {column: text for _row, column, text in problems_of(response)}
    assert set(found) == {"operators[0].sites[1].postal_code", "operators[1].ref",
                          "operators[2].sites[0].postal_code", "operators[2].courses[0].level_min"}
    assert found["operators[0].sites[1].postal_code"].endswith("4020 is in the bassin Liège, not in Namur.")
    assert "The operator “op-b” has no site in the bassin Namur" in found["operators[1].ref"]
    db.session.expire_all()
    assert export_offer() == before


def test_bassin_import_takes_only_json_and_names_the_bassin_loosely(app, people, coordinator):
    response = upload(coordinator, BASSIN_IMPORT, "cadastre.csv", HEADER)
    assert response.status_code == 400
    assert "passerelle-offer/1 JSON file" in problems_of(response)[0][2]
    assert coordinator.get("/espace/bassins/namur/import").status_code == 200
    admin = signed_in_client(app, people["admin"])
    page = admin.get("/espace/bassins/li%C3%A8ge/import?lang=en").get_data(as_text=True)
    assert "Cadastre of the bassin Liège" in page


# -- links ------------------------------------------------------------------------------------
def test_links_are_shown_to_those_allowed(app, people, operator_a, coordinator):
    page = parse(operator_a.get("/espace/organismes/op-a").get_data(as_text=True))
    links = {a["href"] for a in page.select(".bulk-links a")}
    assert IMPORT_A in links and "/espace/organismes/op-a/export.xlsx" in links
    page = parse(coordinator.get("/espace/organismes/op-a").get_data(as_text=True))
    links = {a["href"] for a in page.select(".bulk-links a")}
    assert IMPORT_A not in links and "/espace/organismes/op-a/export.csv" in links
    page = parse(coordinator.get("/espace/").get_data(as_text=True))
    assert {a["href"] for a in page.select(".bulk-links a")} == {"/espace/bassins/Namur/export.json", BASSIN_IMPORT}
    admin = signed_in_client(app, people["admin"])
    page = parse(admin.get("/espace/").get_data(as_text=True))
    assert "/espace/bassins/Li%C3%A8ge/import" in {a["href"] for a in page.select(".bulk-links a")}
    import_page = parse(operator_a.get(IMPORT_A).get_data(as_text=True))
    form = import_page.one("form.import-form")
    assert form["enctype"] == "multipart/form-data"
    file_input = form.one("input[type=file]")
    assert import_page.one(f"label[for={file_input['id']}]")
    assert "/espace/organismes/op-a/export.xlsx" in {a["href"] for a in import_page.select("a")}
    assert {row.select_one("code").text for row in import_page.select("table.columns-help tbody tr")} >= {
        "ref", "site", "entries", "confirmed_at"}


# -- who may do what --------------------------------------------------------------------------
EVERYONE_404 = {"anonymous": LOGIN, "operator A": 404, "operator B": 404, "coordinator": 404, "admin": 404}
MATRIX = {
    ("GET", "/espace/organismes/op-a/import"): {"anonymous": LOGIN, "operator A": 200, "operator B": 403,
                                                "coordinator": 403, "admin": 200},
    ("POST", "/espace/organismes/op-a/import"): {"anonymous": LOGIN, "operator A": 400, "operator B": 403,
                                                 "coordinator": 403, "admin": 400},
    ("GET", "/espace/organismes/op-b/import"): {"anonymous": LOGIN, "operator A": 403, "operator B": 200,
                                                "coordinator": 403, "admin": 200},
    ("GET", "/espace/organismes/nope/import"): EVERYONE_404,
    ("GET", "/espace/organismes/op-a/export.csv"): {"anonymous": LOGIN, "operator A": 200, "operator B": 403,
                                                    "coordinator": 200, "admin": 200},
    ("GET", "/espace/organismes/op-a/export.xlsx"): {"anonymous": LOGIN, "operator A": 200, "operator B": 403,
                                                     "coordinator": 200, "admin": 200},
    ("GET", "/espace/organismes/op-a/export.json"): {"anonymous": LOGIN, "operator A": 200, "operator B": 403,
                                                     "coordinator": 200, "admin": 200},
    ("GET", "/espace/organismes/op-b/export.csv"): {"anonymous": LOGIN, "operator A": 403, "operator B": 200,
                                                    "coordinator": 403, "admin": 200},
    ("GET", "/espace/organismes/op-a/export.pdf"): EVERYONE_404,
    ("GET", "/espace/organismes/nope/export.csv"): EVERYONE_404,
    ("GET", "/espace/bassins/Namur/import"): {"anonymous": LOGIN, "operator A": 403, "operator B": 403,
                                              "coordinator": 200, "admin": 200},
    ("POST", "/espace/bassins/Namur/import"): {"anonymous": LOGIN, "operator A": 403, "operator B": 403,
                                               "coordinator": 400, "admin": 400},
    ("GET", "/espace/bassins/Li%C3%A8ge/import"): {"anonymous": LOGIN, "operator A": 403, "operator B": 403,
                                                   "coordinator": 403, "admin": 200},
    ("GET", "/espace/bassins/Nulle-part/import"): EVERYONE_404,
    ("GET", "/espace/bassins/Namur/export.json"): {"anonymous": LOGIN, "operator A": 403, "operator B": 403,
                                                   "coordinator": 200, "admin": 200},
    ("GET", "/espace/bassins/Li%C3%A8ge/export.json"): {"anonymous": LOGIN, "operator A": 403, "operator B": 403,
                                                        "coordinator": 403, "admin": 200},
    ("GET", "/espace/bassins/Nulle-part/export.json"): EVERYONE_404,
}


@over_matrix(MATRIX)
def test_role_route_matrix(app, people, method, path, person, expected):
    check_matrix(app, method, path, people[person], expected)


# -- bulk.py, unit ----------------------------------------------------------------------------
def test_entries_cell_round_trip_and_forms():
    text = "2027-01-11..2027-06-30; 2027-02-01 deadline=2027-01-25 full"
    entries, problems = bulk.parse_entries(text)
    assert problems == [] and entries == ENTRIES
    assert bulk.entries_text(entries) == text
    entries, problems = bulk.parse_entries(" 1/2/2027 .. 30/6/2027 Deadline = 25/1/2027 WAITING-LIST ;; ")
    assert problems == [] and entries == [{"start": "2027-02-01", "end": "2027-06-30",
                                           "registration_deadline": "2027-01-25", "status": "waiting_list"}]
    assert [len(bulk.parse_entries(bad)[1]) for bad in ("2027-02-30", "soon", "2027-01-11 -> 2027-02-01")] == [1, 1, 1]


@pytest.mark.parametrize(("column", "cell", "value"), [
    ("childcare", "Oui", True), ("childcare", "FALSE", False), ("childcare", 1, True), ("childcare", True, True),
    ("childcare", "", None), ("cost_eur", "4,5", 4.5), ("cost_eur", 12.0, 12), ("hours_per_week", " 9 ", 9),
    ("confirmed_at", "02/11/2026", "2026-11-02"), ("confirmed_at", dt.datetime(2026, 11, 2), "2026-11-02"),
    ("days", "Mon, tue;THU", ["mon", "tue", "thu"]), ("days", "", []), ("level_min", "a1", "A1"),
    ("kind", "FLE", "fle"), ("title", "  Titre  ", "Titre"), ("ref", 123, "123"), ("description", "", None),
])
def test_cell_values(column, cell, value):
    assert bulk.cell_value(column, cell) == (value, [])


@pytest.mark.parametrize(("column", "cell"), [("childcare", "maybe"), ("cost_eur", "gratuit"),
                                              ("cost_eur", "nan"), ("confirmed_at", "31/02/2027"),
                                              ("active_from", "2027-1-5")])
def test_bad_cells_say_why(column, cell):
    value, problems = bulk.cell_value(column, cell)
    assert value is None and len(problems) == 1 and cell in problems[0]


def test_csv_reading_sniffs_the_separator_and_guards_formulas():
    rows = [bulk.course_row(dict(f.course("c1", title=title), entries=[]), "") for title in ("=1+1", "'=x", "'a")]
    content = bulk_files.csv_bytes(rows)
    sheet = bulk_files.read_upload("csv", content)
    assert sheet.columns == list(bulk_files.COLUMNS)
    assert [row["title"] for _number, row in sheet.rows] == ["=1+1", "'=x", "'a"]
    sheet = bulk_files.read_upload("csv", b"site;title;kind;level_min;level_max;entry_mode\r\n"
                                          b"s;a, b;fle;A1;A1;rolling\r\n")
    assert sheet.rows == [(2, {"site": "s", "title": "a, b", "kind": "fle", "level_min": "A1", "level_max": "A1",
                               "entry_mode": "rolling"})]


def test_file_format_by_extension_then_content():
    assert bulk_files.file_format("a.CSV", b"x") == "csv"
    assert bulk_files.file_format("C:\\Users\\a\\cours.xlsx", b"x") == "xlsx"
    assert bulk_files.file_format("cours", b"PK\x03\x04...") == "xlsx"
    assert bulk_files.file_format("cours", b"\xef\xbb\xbf {}") == "json"
    assert bulk_files.file_format("cours", b"ref,site") == "csv"
    with pytest.raises(bulk_files.FileRefused):
        bulk_files.file_format("cours.ods", b"x")


def test_exchange_errors_are_said_by_row_and_column():
    errors = ["operators[0].courses[0].level_min: 'B3' is not a level (one of: alpha, A1, A2, B1, B2, C1)",
              "operators[0].courses[1].entries[1].registration_deadline: '2027' is not an ISO date (YYYY-MM-DD)",
              "operators[0].courses[1].sectors[0]: 'x' is not a sector",
              "operators[0].courses[2].ref: duplicate course ref 'r' (also at operators[0].courses[0])",
              "operators[0].courses[2].title: is required",
              "operators[0].name: is required"]
    found = bulk.sheet_problems(errors, [2, 5, 9])
    assert [(p.row, p.column, p.path) for p in found] == [
        (2, "level_min", None), (5, "entries", None), (5, "sectors", None), (9, "ref", None), (9, "title", None),
        (None, None, "operators[0].name")]
    assert found[1].message == "entry 2, deadline: '2027' is not an ISO date (YYYY-MM-DD)"
    assert found[3].message == "duplicate course ref 'r' (also at row 2)"
    assert found[4].message == "This is required."


def test_rows_without_ref_get_refs_unique_in_the_file_too():
    sheet = bulk_files.Sheet(columns=["ref", "title"], rows=[(2, {"ref": "", "title": "Cours"}),
                                                       (3, {"ref": None, "title": "Cours"}),
                                                       (4, {"ref": "op-cours-2", "title": "Autre"})])
    def make_ref(title, taken):  # like new_ref, without the database
        base = ref = "op-" + title.lower().replace(" ", "-")
        number = 2
        while ref in taken:
            ref, number = f"{base}-{number}", number + 1
        return ref

    found = bulk.courses_from_sheet(sheet, {}, make_ref)
    assert [c["ref"] for c in found.courses] == ["op-cours", "op-cours-3", "op-cours-2"]
    assert found.numbers == [2, 3, 4] and found.problems == []


def test_columns_left_out_keep_the_stored_value_but_not_the_confirmation():
    kept = f.course("c1", description="Gardée", confirmed_at="2026-01-01")
    sheet = bulk_files.Sheet(columns=["ref", "title"], rows=[(2, {"ref": "c1", "title": "Nouveau"})])
    [course] = bulk.courses_from_sheet(sheet, {"c1": kept}, lambda title, taken: "x").courses
    assert "confirmed_at" not in course  # the import confirms the course today if it changes
    assert course == {key: value for key, value in dict(kept, title="Nouveau").items() if key != "confirmed_at"}


def test_an_xlsx_that_unpacks_to_gigabytes_is_refused_before_reading():
    """A zip bomb: small on the wire, huge once unpacked."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"<a>" + b" " * (bulk_files.MAX_UNPACKED_BYTES + 10) + b"</a>")
    data = buffer.getvalue()
    assert len(data) < bulk_files.MAX_BYTES
    with pytest.raises(bulk_files.FileRefused) as refused:
        bulk_files.read_upload("xlsx", data)
    assert "larger than" in refused.value.problems[0].message


def test_gaps_and_blank_lines_count_towards_the_row_limit():
    """A sheet whose only row sits at row 1,000,000 (or a CSV of blank lines) is refused quickly."""
    import time

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.cell(row=1_000_000, column=1, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    started = time.perf_counter()
    with pytest.raises(bulk_files.FileRefused) as refused:
        bulk_files.read_upload("xlsx", buffer.getvalue())
    assert "more than 5000 rows" in refused.value.problems[0].message
    with pytest.raises(bulk_files.FileRefused):
        bulk_files.read_upload("csv", ("\n" * (bulk_files.MAX_LINES + 5)).encode())
    assert time.perf_counter() - started < 10


def test_two_new_rows_with_the_same_long_title_get_two_refs(operator_a):
    title = "Français oral pour la vie de tous les jours et le travail au niveau débutant complet"
    rows = [f",site-a,{title} (groupe {n}),fle,A1,A2,rolling,,,," for n in (1, 2)]
    response = upload(operator_a, IMPORT_A, "cours.csv", "\n".join([HEADER, *rows]))
    assert response.status_code == 302
    refs = db.session.scalars(select(Course.ref).where(Course.title.like("Français oral pour la vie%"))).all()
    assert len(set(refs)) == 2 and all(len(ref) <= 120 for ref in refs)


def test_bassin_import_may_not_change_an_operator_shown_in_other_bassins(coordinator):
    f.load(f.document(f.operator("op-x", name="Opérateur X", sites=[f.site("site-x1", "5000", "Namur"),
                                                                   f.site("site-x2", "4000", "Liège")])))
    before = export_offer()
    document = f.document(f.operator("op-x", name="Opérateur X voir https://evil.example",
                                     sites=[f.site("site-x1", "5000", "Namur")]))
    document["operators"][0]["website"] = "https://evil.example"
    response = upload(coordinator, BASSIN_IMPORT, "cadastre.json", json.dumps(document))
    assert response.status_code == 400
    paths = {column for _row, column, _text in problems_of(response)}
    assert {"operators[0].name", "operators[0].website"} <= paths
    db.session.expire_all()
    assert export_offer() == before


@pytest.mark.parametrize("content", ['{"format": "passerelle-offer/1", "operators": [{"ref": "x\\u0000y"}]}',
                                     '{"n": ' + "9" * 5000 + "}"])
def test_json_with_a_nul_or_a_huge_number_is_refused_with_a_message(content):
    with pytest.raises(bulk_files.FileRefused) as refused:
        bulk_files.read_upload("json", content.encode())
    assert refused.value.problems[0].message
