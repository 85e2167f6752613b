"""An operator's courses as a spreadsheet (CSV, XLSX), one course per row, and back.

Pure functions, no database: reading a file into rows, turning a row into a course of the
``passerelle-offer/1`` format and a course into a row, and saying the format's errors (JSON
paths such as ``operators[0].courses[3].level_min``) as "row 5, column level_min". The import
itself stays the exchange format's (``portal.offer.services.import_offer``).

Cells: lists are joined with ", "; booleans are "yes"/"no" (oui/non, true/false, 1/0 read too);
dates are ISO or DD/MM/YYYY (or real date cells); every entry of a fixed course is in the one
``entries`` column: ``START[..END] [deadline=DATE] [open|waiting_list|full]``, separated by ";".
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import warnings
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from flask_babel import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from portal.offer import codes
from portal.offer.exchange import COURSE_KEYS, json_number
from portal.workspace.courses import _plain_words
from portal.workspace.form_errors import plain_message

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
CODE_COLUMNS = {
    "kind": codes.COURSE_KINDS, "level_min": codes.LEVELS, "level_max": codes.LEVELS,
    "registration": codes.REGISTRATION_MODES, "entry_mode": codes.ENTRY_MODES, "status": codes.COURSE_STATUSES,
}
LIST_COLUMNS = {
    "sectors": codes.SECTORS, "prepares_for": codes.PREPARES_FOR, "days": codes.DAYS,
    "parts_of_day": codes.PARTS_OF_DAY, "audiences": codes.AUDIENCES,
}
BOOLEAN_COLUMNS = ("job_oriented", "childcare", "requires_job_seeker_registration",
                   "requires_valid_residence_permit", "entry_test")
NUMBER_COLUMNS = ("hours_per_week", "cost_eur")
DATE_COLUMNS = ("active_from", "active_until", "confirmed_at")
YES = frozenset(("yes", "oui", "true", "vrai", "1"))
NO = frozenset(("no", "non", "false", "faux", "0"))

_DATE = r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4}"
_ENTRY = re.compile(rf"^(?P<start>{_DATE})(?:\s*\.\.\s*(?P<end>{_DATE}))?"
                    rf"(?:\s+deadline\s*=\s*(?P<deadline>{_DATE}))?(?:\s+(?P<status>[\w-]+))?$", re.IGNORECASE)
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
# A cell starting like a formula is written with a leading "'" in CSV (spreadsheets would run it).
_FORMULA_START = re.compile(r"^'*[=+\-@\t\r]")
_GUARDED = re.compile(r"^'+[=+\-@\t\r]")


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


def parse_date(text: str) -> str:
    """An ISO date from "2027-01-11" or "11/01/2027"; ValueError otherwise."""
    match = _DMY.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        return dt.date(year, month, day).isoformat()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(text)
    return dt.date.fromisoformat(text).isoformat()


def parse_entries(text: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The entries of an ``entries`` cell, and a message per part that is not an entry."""
    entries, problems = [], []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        match = _ENTRY.match(part)
        try:
            if match is None:
                raise ValueError(part)
            start, end, deadline, status = match.group("start", "end", "deadline", "status")
            entries.append({
                "start": parse_date(start), "end": parse_date(end) if end else None,
                "registration_deadline": parse_date(deadline) if deadline else None,
                "status": status.lower().replace("-", "_") if status else "open",
            })
        except ValueError:
            problems.append(_("“%(part)s” is not an entry: write START or START..END, then optionally "
                              "deadline=DATE and open, waiting_list or full; separate entries with “;”.",
                              part=part))
    return entries, problems


def entries_text(entries: list[dict[str, Any]]) -> str:
    """The ``entries`` cell of a course's entries (status "open" left out)."""
    parts = []
    for entry in entries:
        text = entry["start"] + (f"..{entry['end']}" if entry.get("end") else "")
        if entry.get("registration_deadline"):
            text += f" deadline={entry['registration_deadline']}"
        if entry.get("status") and entry["status"] != "open":
            text += f" {entry['status']}"
        parts.append(text)
    return "; ".join(parts)


def cell_value(column: str, value: Any) -> tuple[Any, list[str]]:
    """The exchange value of one cell, and what is wrong with it (messages)."""
    text = cell_text(value)
    if column in LIST_COLUMNS:
        canonical = {code.lower(): code for code in LIST_COLUMNS[column]}
        items = [item.strip() for item in re.split(r"[,;]", text) if item.strip()]
        return [canonical.get(item.lower(), item) for item in items], []
    if column in BOOLEAN_COLUMNS:
        if text == "":
            return None, []
        if text.lower() in YES or text.lower() in NO:
            return text.lower() in YES, []
        return None, [_("“%(value)s” is not yes or no.", value=text)]
    if column in NUMBER_COLUMNS:
        if text == "":
            return None, []
        try:
            number = float(text.replace(",", ".").replace("\u202f", "").replace(" ", ""))
            if number != number or number in (float("inf"), float("-inf")):
                raise ValueError(text)
        except ValueError:
            return None, [_("“%(value)s” is not a number.", value=text)]
        return json_number(number), []
    if column in DATE_COLUMNS:
        if text == "":
            return None, []
        try:
            return parse_date(text), []
        except ValueError:
            return None, [_("“%(value)s” is not a date (YYYY-MM-DD or DD/MM/YYYY).", value=text)]
    if column == "entries":
        return parse_entries(text)
    if column in CODE_COLUMNS:
        canonical = {code.lower(): code for code in CODE_COLUMNS[column]}
        return (canonical.get(text.lower(), text) if text else None), []
    return (text or None), []


Courses = list[dict[str, Any]]


def courses_from_sheet(sheet: Sheet, stored: Mapping[str, dict[str, Any]],
                       make_ref: Callable[[str, set[str]], str]) -> tuple[Courses, list[int], list[Problem]]:
    """The courses of the rows (exchange form), the row number of each, and the cells' problems.

    A column left out of the file keeps each stored course's value (``stored``: this operator's
    courses by ref); a row without ref gets ``make_ref(title, refs of the file)``: unique in the file too."""
    courses, numbers, problems = [], [], []
    taken = {cell_text(row.get("ref")) for _number, row in sheet.rows} - {""}
    for number, row in sheet.rows:
        if "" in row:
            problems.append(Problem(_("There is a value in column %(letter)s, which has no name in the first row.",
                                      letter=row[""]), row=number))
        course: dict[str, Any] = {}
        for column in sheet.columns:
            if column in READ_ONLY_COLUMNS:
                continue
            value, messages = cell_value(column, row.get(column))
            course[column] = value
            problems += [Problem(message, row=number, column=column) for message in messages]
        if not course.get("ref"):
            course["ref"] = _fresh_ref(course.get("title") or "", make_ref, taken)
        kept = stored.get(course["ref"])
        if kept is not None:
            for key in COURSE_KEYS:
                if key not in sheet.columns and key != "confirmed_at":  # not given: confirmed if changed
                    course[key] = kept[key]
        courses.append(course)
        numbers.append(number)
    return courses, numbers, problems


def _fresh_ref(title: str, make_ref: Callable[[str, set[str]], str], taken: set[str]) -> str:
    """A new ref for a row without one: not stored yet and not given to another row of the file."""
    ref = make_ref(title, taken)
    taken.add(ref)
    return ref


def course_row(course: dict[str, Any], site_address: str = "") -> dict[str, Any]:
    """A course (exchange form) as the cells of its row: dates as dates, numbers as numbers."""
    row: dict[str, Any] = {}
    for column in COLUMNS:
        if column == "site_address":
            row[column] = site_address or None
        elif column in LIST_COLUMNS:
            row[column] = ", ".join(course[column]) or None
        elif column in BOOLEAN_COLUMNS:
            row[column] = "yes" if course[column] else "no"
        elif column in DATE_COLUMNS:
            row[column] = dt.date.fromisoformat(course[column]) if course[column] else None
        elif column == "entries":
            row[column] = entries_text(course["entries"]) or None
        else:
            row[column] = course[column]
    return row


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


# -- errors of the exchange format, said for the file ----------------------------------------
_COURSE_PATH = re.compile(r"^operators\[0\]\.courses\[(\d+)\](?:\.(\w+)(?:\[(\d+)\])?(?:\.(\w+))?)?$")
_COURSE_IN_MESSAGE = re.compile(r"operators\[0\]\.courses\[(\d+)\]")
_ENTRY_FIELDS = {"start": "start", "end": "end", "registration_deadline": "deadline", "status": "status"}


def sheet_problems(errors: list[str], row_numbers: list[int],
                   courses: list[dict[str, Any]] | None = None) -> list[Problem]:
    """The exchange format's errors of a one-operator document built from rows, by row and column
    (``courses``, the document's courses, name the entry an error is about)."""
    def row_of(index: int) -> int | None:
        return row_numbers[index] if index < len(row_numbers) else None

    problems = []
    for error in errors:
        path, _sep, message = error.partition(": ")
        message = _COURSE_IN_MESSAGE.sub(
            lambda m: _("row %(row)s", row=row_of(int(m.group(1)))), plain_message(message, _plain_words()))
        match = _COURSE_PATH.match(path)
        if match is None or row_of(int(match.group(1))) is None:
            problems.append(Problem(message, path=path))
            continue
        index, column, item, sub = match.groups()
        if column == "entries" and item is not None:
            message = _entry_message(message, int(item), sub, courses[int(index)] if courses else None)
        problems.append(Problem(message, row=row_of(int(index)), column=column))
    return problems


def _entry_message(message: str, item: int, sub: str | None, course: dict[str, Any] | None) -> str:
    """"entry “2027-03-01..2027-02-01”, end: …" (or "entry 2, …" when the entry cannot be shown)."""
    entries = course.get("entries") if course else None
    entry = entries[item] if isinstance(entries, list) and item < len(entries) else None
    if isinstance(entry, dict) and isinstance(entry.get("start"), str):
        which = "“" + entries_text([entry]) + "”"
    else:
        which = str(item + 1)
    if sub:
        return _("entry %(entry)s, %(field)s: %(message)s", entry=which, field=_ENTRY_FIELDS.get(sub, sub),
                 message=message)
    return _("entry %(entry)s: %(message)s", entry=which, message=message)


def json_problems(errors: list[str]) -> list[Problem]:
    """The exchange format's errors of a JSON file, by JSON path."""
    return [Problem(message, path=path) for path, _sep, message in (e.partition(": ") for e in errors)]
