"""Spreadsheet and JSON files as they come and go: reading an uploaded file (CSV, XLSX, JSON) into
rows with its limits (size, rows, unpacked size), and writing rows as CSV or XLSX. What the cells
mean is ``bulk.py``'s."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from flask_babel import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from portal.offer.exchange import COURSE_KEYS

MAX_BYTES = 5 * 1024 * 1024
# What an .xlsx may unpack to (a real workbook of 5,000 courses unpacks to a few MB).
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_ROWS = 5000
# Lines read at most, blank ones included (a sheet's gaps are read as blank rows).
MAX_LINES = 2 * MAX_ROWS + 1
FORMATS = ("csv", "xlsx", "json")
# Shown to help people fill the file, ignored on import (the site column decides).
READ_ONLY_COLUMNS = ("site_address",)
COLUMNS = (*COURSE_KEYS[:2], *READ_ONLY_COLUMNS, *COURSE_KEYS[2:])
REQUIRED_COLUMNS = ("site", "title", "kind", "level_min", "level_max", "entry_mode")
# A cell starting like a formula is written with a leading "'" in CSV (spreadsheets would run it).
_FORMULA_START = re.compile(r"^'*[=+\-@\t\r]")
_GUARDED = re.compile(r"^'+[=+\-@\t\r]")
# -- files ------------------------------------------------------------------------------------
def file_format(filename: str, data: bytes) -> str:
    """csv, xlsx or json, from the extension (from the content when there is none)."""
    if len(data) > MAX_BYTES:
        raise FileRefused(Problem(_("The file is larger than %(size)s MB.", size=MAX_BYTES // (1024 * 1024))))
    if not data.strip():
        raise FileRefused(Problem(_("The file is empty.")))
    name = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in FORMATS:
        return extension
    if extension == "":
        if data.startswith(b"PK\x03\x04"):
            return "xlsx"
        return "json" if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") else "csv"
    if extension in ("xls", "ods"):
        raise FileRefused(Problem(_("A .%(extension)s file cannot be read: save it as .xlsx (Excel workbook) "
                                    "or .csv, then import it.", extension=extension)))
    raise FileRefused(Problem(_("Only .csv, .xlsx and .json files can be imported, not .%(extension)s.",
                                extension=extension)))
# -- cells ↔ course ---------------------------------------------------------------------------
def cell_text(value: Any) -> str:
    """A cell as text: dates as ISO, whole numbers without ".0", empty cells as ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass(frozen=True)
class Problem:
    """One error of an imported file: where (row and column, or JSON path, or the whole file) and what."""

    message: str
    row: int | None = None
    column: str | None = None
    path: str | None = None

    def sort_key(self) -> tuple[int, int, str]:
        column = COLUMNS.index(self.column) if self.column in COLUMNS else -1
        return (self.row or 0, column, self.path or "")


class FileRefused(Exception):
    """The file cannot be read as a whole (format, size, header): ``problems`` says why."""

    def __init__(self, *problems: Problem):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = list(problems)


@dataclass
class Sheet:
    """The rows of a spreadsheet: column names (lower case) and the non-empty rows by number."""

    columns: list[str]
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


def read_json(data: bytes) -> Any:
    """The parsed JSON document of an uploaded file."""
    try:
        text = data.decode("utf-8-sig")
        if "\x00" in text or "\\u0000" in text:
            raise FileRefused(Problem(_("The file holds a NUL character (\\u0000), which no text may hold.")))
        return json.loads(text)
    except UnicodeDecodeError as exc:
        raise FileRefused(Problem(_("The file is not UTF-8 text."))) from exc
    except json.JSONDecodeError as exc:
        raise FileRefused(Problem(_("The file is not valid JSON (line %(line)s, column %(column)s: %(error)s).",
                                    line=exc.lineno, column=exc.colno, error=exc.msg))) from exc
    except ValueError as exc:  # e.g. a number of more than 4,300 digits
        raise FileRefused(Problem(_("The file is not valid JSON."))) from exc
    except RecursionError as exc:
        raise FileRefused(Problem(_("The file is not valid JSON."))) from exc


def read_csv(data: bytes) -> Sheet:
    """A CSV file (UTF-8 with or without BOM, else Windows-1252; comma, semicolon or tab) as a Sheet."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")  # what Excel writes for "CSV (séparateur: point-virgule)"
        except UnicodeDecodeError:
            raise FileRefused(Problem(_("The file is not text (UTF-8)."))) from None
    if "\x00" in text:
        raise FileRefused(Problem(_("The file is not a CSV text file.")))
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[Any]]] = []
    try:
        _collect(records, ([_unguard(cell) for cell in record] for record in reader))
    except csv.Error as exc:
        raise FileRefused(Problem(_("Row %(row)s cannot be read: %(error)s", row=len(records) + 1,
                                    error=str(exc)))) from exc
    return sheet_of(records)


def read_xlsx(data: bytes) -> Sheet:
    """The first worksheet of an Excel workbook as a Sheet (values of formulas, date cells as dates)."""
    try:
        # A workbook is a zip: refuse one that would unpack to far more than any real course list.
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise FileRefused(Problem(_("The file cannot be read as an Excel workbook (.xlsx)."))) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileRefused(Problem(_("The file is larger than %(size)s MB.", size=MAX_UNPACKED_BYTES // (1024 * 1024))))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # styles and extensions it does not know: irrelevant here
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a damaged or foreign file can fail in many ways inside openpyxl
        raise FileRefused(Problem(_("The file cannot be read as an Excel workbook (.xlsx)."))) from exc
    records: list[tuple[int, list[Any]]] = []
    try:
        if not workbook.worksheets:
            raise FileRefused(Problem(_("The workbook has no worksheet.")))
        _collect(records, (list(values) for values in
                           workbook.worksheets[0].iter_rows(values_only=True, max_col=len(COLUMNS) + 50,
                                                            max_row=MAX_LINES + 1)))
    except FileRefused:
        raise
    except Exception as exc:  # damaged worksheet XML
        raise FileRefused(Problem(_("The file cannot be read as an Excel workbook (.xlsx)."))) from exc
    finally:
        workbook.close()
    return sheet_of(records)


def _collect(records: list[tuple[int, list[Any]]], rows: Iterable[list[Any]]) -> None:
    """Number the non-blank rows into ``records``; stop one row past the limit (header +
    MAX_ROWS), and refuse a file whose blank lines alone would take long to read."""
    for number, cells in enumerate(rows, start=1):
        if number > MAX_LINES:
            raise FileRefused(Problem(_("The file has more than %(max)s rows: split it.", max=MAX_ROWS)))
        if _blank(cells):
            continue
        records.append((number, cells))
        if len(records) > MAX_ROWS + 1:
            return


def _blank(cells: Iterable[Any]) -> bool:
    return all(cell_text(cell) == "" for cell in cells)


def sheet_of(records: list[tuple[int, list[Any]]]) -> Sheet:
    """Header (the first non-empty row) and data rows, checked: known columns, once each, the
    required ones present, at most MAX_ROWS rows. Raises FileRefused."""
    filled = [(number, cells) for number, cells in records if not _blank(cells)]
    if not filled:
        raise FileRefused(Problem(_("The file is empty.")))
    (header_row, header), data = filled[0], filled[1:]
    names = [cell_text(cell).lstrip("\ufeff").strip().lower() for cell in header]
    problems, seen = [], set()
    for name in names:
        if name and name not in COLUMNS:
            problems.append(Problem(_("Unknown column “%(column)s”. The columns are: %(columns)s.",
                                      column=name, columns=", ".join(COLUMNS)), column=name))
        elif name and name in seen:
            problems.append(Problem(_("The column “%(column)s” appears twice.", column=name), column=name))
        seen.add(name)
    for name in REQUIRED_COLUMNS:
        if name not in seen:
            problems.append(Problem(_("The column “%(column)s” is missing (row %(row)s holds the column names).",
                                      column=name, row=header_row)))
    if len(data) > MAX_ROWS:
        problems.append(Problem(_("The file has more than %(max)s rows: split it.", max=MAX_ROWS)))
    if problems:
        raise FileRefused(*problems)
    if not data:
        raise FileRefused(Problem(_("The file has no course: only the row of column names.")))
    sheet = Sheet(columns=[name for name in names if name])
    for number, cells in data:
        row: dict[str, Any] = {}
        for index, cell in enumerate(cells):
            name = names[index] if index < len(names) else ""
            if name:
                row[name] = cell
            elif cell_text(cell):
                row.setdefault("", get_column_letter(index + 1))
        sheet.rows.append((number, row))
    return sheet


def csv_bytes(rows: list[dict[str, Any]]) -> bytes:
    """Rows as CSV: UTF-8 with a BOM (so that Excel reads the accents), comma-separated."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_guard(cell_text(row[column])) for column in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(rows: list[dict[str, Any]], title: str) -> bytes:
    """Rows as an Excel workbook: bold frozen header, date cells, text never read as a formula."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "courses"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, row in enumerate(rows, start=2):
        for index, column in enumerate(COLUMNS, start=1):
            value = row[column]
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = sheet.cell(row=number, column=index, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # "=…" stays text
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 30 if column in ("title", "entries") else 16
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _guard(text: str) -> str:
    return "'" + text if _FORMULA_START.match(text) else text


def _unguard(text: str) -> str:
    return text[1:] if _GUARDED.match(text) else text
