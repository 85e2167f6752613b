"""Spreadsheet and JSON files as they come and go: reading an uploaded file (CSV, XLSX, JSON)
into rows with its limits (size, rows, columns, unpacked size; the reading itself is done by
``reader`` in a child process), and writing rows as CSV or XLSX. What the cells mean is
``bulk.py``'s."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from flask_babel import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from portal.bulk.limits import read_in_child
from portal.bulk.reader import cell_text
from portal.offer.exchange import COURSE_KEYS

MAX_BYTES = 5 * 1024 * 1024
# What an .xlsx may unpack to (a real workbook of 5,000 courses unpacks to a few MB).
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_ROWS = 5000
# Lines read at most, blank ones included (a sheet's gaps are read as blank rows).
MAX_LINES = 2 * MAX_ROWS + 1
# Columns read at most: a file has about 30; a value further right refuses the file.
MAX_COLUMNS = 100
FORMATS = ("csv", "xlsx", "json")
# Shown to help people fill the file, ignored on import (the site column decides).
READ_ONLY_COLUMNS = ("site_address",)
# About the row's place, not its course: every row of a place says the same (bulk/site_columns.py).
SITE_COLUMNS = ("reception_languages",)
# The version of each course the export was made from: an import refuses to undo newer changes.
VERSION_COLUMN = "version"
COLUMNS = (*COURSE_KEYS[:2], *READ_ONLY_COLUMNS, *SITE_COLUMNS, *COURSE_KEYS[2:], VERSION_COLUMN)
REQUIRED_COLUMNS = ("site", "title", "kind", "level_min", "level_max", "entry_mode")
_LIMITS = {"max_rows": MAX_ROWS, "max_lines": MAX_LINES, "max_columns": MAX_COLUMNS,
           "max_unpacked_bytes": MAX_UNPACKED_BYTES}
# A spreadsheet runs a cell starting with one of these as a formula. A CSV opened with another
# separator (";" is the usual one in Belgium), or a line break inside a cell, starts a new cell
# anywhere: every piece of text after a separator or line end (and optional spaces) that starts
# like a formula is written behind a "'", and the "'" is taken away again on import.
_GUARD = re.compile(r"(?:^|(?<=[;,\t\r\n]))( *)(?='*[=+\-@\t\r])")
_UNGUARD = re.compile(r"(?:^|(?<=[;,\t\r\n]))( *)'(?='*[=+\-@\t\r])")


@dataclass(frozen=True)
class Problem:
    """One error of an imported file: where (row and column, or JSON path, or the whole file) and what."""

    message: str
    row: int | None = None
    column: str | None = None
    path: str | None = None

    def sort_key(self) -> tuple[int, int, list[Any]]:
        column = COLUMNS.index(self.column) if self.column in COLUMNS else -1
        # Paths in the document's order: operators[2] before operators[10].
        path = [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", self.path or "")]
        return (self.row or 0, column, path)


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


def read_upload(kind: str, data: bytes) -> Sheet | Any:
    """An uploaded file of format ``kind`` (see ``file_format``): a Sheet for CSV and XLSX, the
    parsed document for JSON. Read in a child process (``limits.read_in_child``); raises
    FileRefused."""
    answer = read_in_child(kind, data, _LIMITS)
    if "refused" in answer:
        raise FileRefused(_refusal(answer))
    if kind == "json":
        return answer["document"]
    rows = answer["rows"]
    if kind == "csv":
        rows = [(number, [unguard(cell) for cell in cells]) for number, cells in rows]
    return sheet_of(rows)


def _refusal(answer: dict[str, Any]) -> Problem:
    """The child's reason for refusing a file, said to people."""
    code = answer["refused"]
    if code == "too_many_rows":
        return Problem(_("The file has more than %(max)s rows: split it.", max=answer["max"]))
    if code == "too_many_columns":
        return Problem(_("Row %(row)s has a value past column %(max)s: a file of courses has about 30 columns. "
                         "Delete the columns that are not in the list below.", row=answer["row"],
                         max=answer["max"]))
    if code == "too_many":
        what = {"operators": _("The file has more than %(max)s operators: split it.", max=answer["max"]),
                "sites": _("The file has more than %(max)s places: split it.", max=answer["max"])}
        return Problem(what.get(answer["what"]) or _("The file has more than %(max)s courses: split it.",
                                                     max=answer["max"]))
    if code == "xlsx_too_large":
        return Problem(_("The file is larger than %(size)s MB.", size=answer["max"] // (1024 * 1024)))
    if code == "csv_row":
        return Problem(_("Row %(row)s cannot be read: %(error)s", row=answer["row"], error=answer["error"]))
    if code == "json_syntax":
        return Problem(_("The file is not valid JSON (line %(line)s, column %(column)s: %(error)s).",
                         line=answer["line"], column=answer["column"], error=answer["error"]))
    messages = {
        "not_utf8": _("The file is not UTF-8 text."),
        "json_nul": _("The file holds a NUL character (\\u0000), which no text may hold."),
        "json_invalid": _("The file is not valid JSON."),
        "csv_not_text": _("The file is not text (UTF-8)."),
        "csv_binary": _("The file is not a CSV text file."),
        "xlsx_damaged": _("The file cannot be read as an Excel workbook (.xlsx)."),
        "xlsx_no_sheet": _("The workbook has no worksheet."),
    }
    return Problem(messages.get(code) or _(
        "The file is too complex to read: reading it would take more memory or time than any list of courses. "
        "Save it again from your spreadsheet as a plain .xlsx or .csv file holding only your courses, then "
        "import it."))


def sheet_of(records: list[tuple[int, list[str]]]) -> Sheet:
    """Header (the first row) and data rows of a file's non-blank rows (texts), checked: known
    columns, once each, the required ones present, at most MAX_ROWS rows. Raises FileRefused."""
    if not records:
        raise FileRefused(Problem(_("The file is empty.")))
    (header_row, header), data = records[0], records[1:]
    names = [cell.lstrip("\ufeff").strip().lower() for cell in header]
    problems = _header_problems(names, header_row)
    if len(data) > MAX_ROWS:
        problems.append(Problem(_("The file has more than %(max)s rows: split it.", max=MAX_ROWS)))
    if problems:
        raise FileRefused(*problems)
    if not data:
        raise FileRefused(Problem(_("The file has no course: only the row of column names.")))
    sheet = Sheet(columns=[name for name in names if name])
    sheet.rows = [(number, _named_cells(names, cells)) for number, cells in data]
    return sheet


def _header_problems(names: list[str], header_row: int) -> list[Problem]:
    """Unknown columns (each named once, however often it comes), columns given twice, required
    columns missing."""
    problems, seen, unknown = [], set(), set()
    for name in names:
        if name and name not in COLUMNS:
            if name not in unknown:
                problems.append(Problem(_("Unknown column “%(column)s”. The columns are: %(columns)s.",
                                          column=name, columns=", ".join(COLUMNS)), column=name))
            unknown.add(name)
        elif name and name in seen:
            problems.append(Problem(_("The column “%(column)s” appears twice.", column=name), column=name))
        seen.add(name)
    problems += [Problem(_("The column “%(column)s” is missing (row %(row)s holds the column names).",
                           column=name, row=header_row)) for name in REQUIRED_COLUMNS if name not in seen]
    return problems


def _named_cells(names: list[str], cells: list[str]) -> dict[str, Any]:
    """A row's cells by column name; a value under a column without a name is kept under "" (its
    letter), so that the row can say so."""
    row: dict[str, Any] = {}
    for index, cell in enumerate(cells):
        name = names[index] if index < len(names) else ""
        if name:
            row[name] = cell
        elif cell:
            row.setdefault("", get_column_letter(index + 1))
    return row


def csv_bytes(rows: list[dict[str, Any]]) -> bytes:
    """Rows as CSV: UTF-8 with a BOM (so that Excel reads the accents), comma-separated."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([guard(cell_text(row[column])) for column in COLUMNS])
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


def guard(text: str) -> str:
    """``text`` as a CSV cell that no spreadsheet runs as a formula, however it splits it."""
    return _GUARD.sub(r"\1'", text)


def unguard(text: str) -> str:
    """The text of a cell written by ``guard`` (other text as it is)."""
    return _UNGUARD.sub(r"\1", text)
