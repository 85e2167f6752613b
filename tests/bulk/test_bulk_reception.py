"""The ``reception_languages`` column of the spreadsheets: the languages of the row's place, written
"fr ar en" by the export, read back by the import (every row of a place saying the same), and the
place changed through the exchange format's import."""
from __future__ import annotations

import csv
import io
import json

import openpyxl
from sqlalchemy import select

from portal.bulk import files as bulk_files
from portal.extensions import db
from portal.offer.models import Site
from portal.offer.services import export_offer
from tests.bulk.helpers import IMPORT_A, csv_rows, history_count, problems_of, upload


def set_languages(languages: list[str]) -> None:
    site = db.session.scalars(select(Site).where(Site.ref == "site-a")).one()
    site.reception_languages = languages
    db.session.commit()


def site_a() -> Site:
    db.session.expire_all()
    return db.session.scalars(select(Site).where(Site.ref == "site-a")).one()


def csv_with(rows: list[dict[str, str]], columns=bulk_files.COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([[row.get(column, "") for column in columns] for row in rows])
    return out.getvalue().encode("utf-8")


def exported_rows(client) -> list[dict[str, str]]:
    return csv_rows(client.get("/espace/organismes/op-a/export.csv").data)


def test_export_writes_the_place_languages_on_every_row(operator_a):
    set_languages(["fr", "ar", "en"])
    rows = exported_rows(operator_a)
    assert list(rows[0])[:5] == ["ref", "site", "site_address", "reception_languages", "title"]
    assert {row["ref"]: row["reception_languages"] for row in rows} == {"course-a": "fr ar en",
                                                                       "course-fixed": "fr ar en"}
    sheet = openpyxl.load_workbook(io.BytesIO(operator_a.get("/espace/organismes/op-a/export.xlsx").data)).active
    header = [cell.value for cell in sheet[1]]
    assert [row[header.index("reception_languages")].value for row in sheet.iter_rows(min_row=2)] == [
        "fr ar en", "fr ar en"]
    document = json.loads(operator_a.get("/espace/organismes/op-a/export.json").data)
    assert document["operators"][0]["sites"][0]["reception_languages"] == ["fr", "ar", "en"]


def test_export_then_import_with_languages_changes_nothing(operator_a):
    set_languages(["uk", "ru"])
    before, changes = export_offer(), history_count()
    exported = operator_a.get("/espace/organismes/op-a/export.csv").data
    response = upload(operator_a, IMPORT_A, "cours.csv", exported)
    assert response.status_code == 302, problems_of(response)
    assert "sites=0-0-0" in response.headers["Location"] and "courses=0-0-2" in response.headers["Location"]
    db.session.expire_all()
    assert export_offer() == before and history_count() == changes
    assert operator_a.get("/espace/organismes/op-a/export.csv").data == exported


def test_import_changes_the_place_languages(operator_a):
    rows = exported_rows(operator_a)
    for row, cell in zip(rows, ["AR, fr ti", "ti ar fr"], strict=True):  # the same codes, any order or case
        row["reception_languages"] = cell
    response = upload(operator_a, IMPORT_A, "cours.csv", csv_with(rows))
    assert response.status_code == 302, problems_of(response)
    assert "sites=0-1-0" in response.headers["Location"] and "courses=0-0-2" in response.headers["Location"]
    site = site_a()
    assert site.reception_languages == ["ar", "fr", "ti"]  # the first row's order
    assert site.coordinates_given is False  # still placed by the gazetteer
    api = operator_a.get("/api/v1/courses/course-a").get_json()
    assert api["site"]["reception_languages"] == ["ar", "fr", "ti"]


def test_an_empty_cell_means_no_language_and_a_missing_column_keeps_them(operator_a):
    set_languages(["ar"])
    rows = exported_rows(operator_a)
    columns = [column for column in bulk_files.COLUMNS if column != "reception_languages"]
    assert upload(operator_a, IMPORT_A, "cours.csv", csv_with(rows, columns)).status_code == 302
    assert site_a().reception_languages == ["ar"]
    for row in rows:
        row["reception_languages"] = ""
    assert upload(operator_a, IMPORT_A, "cours.csv", csv_with(rows)).status_code == 302
    assert site_a().reception_languages == []


def test_a_bad_code_is_shown_by_row_and_column_and_nothing_is_written(operator_a):
    set_languages(["ar"])
    before = export_offer()
    rows = exported_rows(operator_a)
    rows[0]["reception_languages"] = "fr fa-AF"
    rows[1]["reception_languages"] = "fr dari"
    response = upload(operator_a, IMPORT_A, "cours.csv", csv_with(rows))
    assert response.status_code == 400
    problems = problems_of(response)
    assert [(row, column) for row, column, _text in problems] == [("2", "reception_languages"),
                                                                  ("3", "reception_languages")]
    assert "“fa-af” is not a language code" in problems[0][2] and "“dari”" in problems[1][2]
    db.session.expire_all()
    assert export_offer() == before


def test_rows_of_one_place_must_agree(operator_a):
    rows = exported_rows(operator_a)
    rows[0]["reception_languages"], rows[1]["reception_languages"] = "fr ar", "fr"
    response = upload(operator_a, IMPORT_A, "cours.csv", csv_with(rows))
    assert response.status_code == 400
    [(row, column, text)] = problems_of(response)
    assert (row, column) == ("3", "reception_languages")
    assert "Row 2 gives other languages for the place “site-a” (fr ar)" in text
    assert site_a().reception_languages == []


def test_more_than_twenty_languages_is_a_problem(operator_a):
    rows = exported_rows(operator_a)
    many = "fr nl de en ar fa ps ti uk ru tr es it pt pl ro bg sq ku so am"
    for row in rows:
        row["reception_languages"] = many
    [(_row, column, text), _second] = problems_of(upload(operator_a, IMPORT_A, "cours.csv", csv_with(rows)))
    assert column == "reception_languages" and "At most 20 languages" in text


def test_xlsx_import_reads_the_column(operator_a):
    workbook = openpyxl.load_workbook(io.BytesIO(operator_a.get("/espace/organismes/op-a/export.xlsx").data))
    sheet = workbook.active
    column = [cell.value for cell in sheet[1]].index("reception_languages") + 1
    for number in (2, 3):
        sheet.cell(row=number, column=column, value="tr de")
    out = io.BytesIO()
    workbook.save(out)
    response = upload(operator_a, IMPORT_A, "cours.xlsx", out.getvalue())
    assert response.status_code == 302, problems_of(response)
    assert site_a().reception_languages == ["tr", "de"]


def test_a_json_file_carries_the_languages_as_the_exchange_format(operator_a):
    document = json.loads(operator_a.get("/espace/organismes/op-a/export.json").data)
    document["operators"][0]["sites"][0]["reception_languages"] = ["ps", "fa"]
    response = upload(operator_a, IMPORT_A, "offre.json", json.dumps(document))
    assert response.status_code == 302, problems_of(response)
    assert site_a().reception_languages == ["ps", "fa"]
    document["operators"][0]["sites"][0]["reception_languages"] = ["dari"]
    [(_row, path, _text)] = problems_of(upload(operator_a, IMPORT_A, "offre.json", json.dumps(document)))
    assert path == "operators[0].sites[0].reception_languages[0]"


def test_the_import_page_explains_the_column(operator_a):
    page = operator_a.get(IMPORT_A + "?lang=en").get_data(as_text=True)
    assert "<code>reception_languages</code>" in page and "fr ar en" in page

