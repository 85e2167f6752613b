"""The cadastre's tables as files (issue 12, item 6): one table as CSV or XLSX, or every table of a
page in one workbook (a sheet each). The words are the page's, in its language; operator-written
text (names, titles) can never run as a spreadsheet formula (``bulk.files.guard`` in CSV, text
cells in XLSX). Every file says where its figures come from and when they were counted."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Sequence

import openpyxl
from flask import Response
from flask_babel import format_date
from flask_babel import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from portal.bulk.files import guard
from portal.cadastre.tables import Share, Table, cell_text

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def source_line(on: dt.date) -> str:
    """Where the figures come from, for the files (the page says it in its lead)."""
    return _("Passerelle: the Alpha, FLE and RAN courses that the public search shows on %(date)s. "
             "Licence CC BY 4.0.", date=format_date(on, "long"))


def csv_bytes(table: Table) -> bytes:
    """One table as CSV: UTF-8 with a BOM (Excel reads the accents), the header row first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([guard(cell_text(value)) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _sheet_title(name: str, taken: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", " ", name)[:31] or "table"
    while title in taken:
        title = f"{title[:28]}_{len(taken)}"
    taken.add(title)
    return title


def xlsx_bytes(tables: Sequence[Table], on: dt.date) -> bytes:
    """Tables as one workbook, a sheet each: the caption, the source, then the table with its
    header row frozen. Numbers are numbers, shares percentages, dates dates."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(table.name, taken))
        sheet.append([_text(table.title)])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([_text(source_line(on))])
        sheet.append([])
        sheet.append([_text(column) for column in table.columns])
        for cell in sheet[4]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_value(value) for value in row])
            for cell, value in zip(sheet[sheet.max_row], row, strict=True):
                _format(cell, value)
        sheet.freeze_panes = "B5"
        for index, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = 32 if index == 1 else max(10, len(column) + 2)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _value(value):
    if isinstance(value, Share):
        return value.value
    if isinstance(value, str):
        return _text(value)
    return value


def _format(cell, value) -> None:
    if isinstance(value, Share):
        cell.number_format = "0.0%"
    elif isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, str):
        cell.data_type = "s"  # "=…" stays text


def file_name(*parts: str) -> str:
    """An ASCII file name of ``parts``: "passerelle-courses-liege-2026-11-30"."""
    words = []
    for part in ("passerelle", *parts):
        ascii_text = unicodedata.normalize("NFKD", part).encode("ascii", "ignore").decode()
        words.append(re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-"))
    return "-".join(word for word in words if word)


def download(tables: Sequence[Table], fmt: str, name: str, on: dt.date) -> Response:
    """The response of a download: one table as CSV, or the tables as XLSX."""
    if fmt == "csv":
        body, mimetype = csv_bytes(tables[0]), "text/csv; charset=utf-8"
    else:
        body, mimetype = xlsx_bytes(tables, on), XLSX_TYPE
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{name}.{fmt}"'})
