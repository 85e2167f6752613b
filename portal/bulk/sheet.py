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

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from portal.bulk.files import (
    COLUMNS,
    READ_ONLY_COLUMNS,
    SITE_COLUMNS,
    VERSION_COLUMN,
    Problem,
    Sheet,
    cell_text,
)
from portal.forms import plain_message
from portal.normalise import ref_key
from portal.offer import codes
from portal.offer.exchange import COURSE_KEYS, json_number
from portal.offer.validation import MAX_PROBLEMS
from portal.workspace.courses.services import course_plain_words

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


def quoted(text: str, limit: int = 60) -> str:
    """A cell's text as a message quotes it, cut short (a cell may hold pages)."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


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
                              part=quoted(part)))
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


Reading = tuple[Any, list[str]]  # the exchange value of a cell, and what is wrong with it


def cell_value(column: str, value: Any) -> Reading:
    """The exchange value of one cell, and what is wrong with it (messages)."""
    return _reader_for(column)(column, cell_text(value))


def _reader_for(column: str) -> Callable[[str, str], Reading]:
    for columns, reader in ((LIST_COLUMNS, _read_list), (BOOLEAN_COLUMNS, _read_boolean),
                            (NUMBER_COLUMNS, _read_number), (DATE_COLUMNS, _read_date),
                            (("entries",), _read_entries), (("ref", "site"), _read_ref),
                            (CODE_COLUMNS, _read_code)):
        if column in columns:
            return reader
    return _read_text


def _read_list(column: str, text: str) -> Reading:
    canonical = {code.lower(): code for code in LIST_COLUMNS[column]}
    items = [item.strip() for item in re.split(r"[,;]", text) if item.strip()]
    return [canonical.get(item.lower(), item) for item in items], []


def _read_boolean(column: str, text: str) -> Reading:
    if text == "":
        return None, []
    if text.lower() in YES or text.lower() in NO:
        return text.lower() in YES, []
    return None, [_("“%(value)s” is not yes or no.", value=quoted(text))]


def _read_number(column: str, text: str) -> Reading:
    if text == "":
        return None, []
    try:
        number = float(text.replace(",", ".").replace("\u202f", "").replace(" ", ""))
        if not math.isfinite(number):
            raise ValueError(text)
    except ValueError:
        return None, [_("“%(value)s” is not a number.", value=quoted(text))]
    return json_number(number), []


def _read_date(column: str, text: str) -> Reading:
    if text == "":
        return None, []
    try:
        return parse_date(text), []
    except ValueError:
        return None, [_("“%(value)s” is not a date (YYYY-MM-DD or DD/MM/YYYY).", value=quoted(text))]


def _read_entries(column: str, text: str) -> Reading:
    return parse_entries(text)


def _read_ref(column: str, text: str) -> Reading:
    return (ref_key(text) or None), []


def _read_code(column: str, text: str) -> Reading:
    canonical = {code.lower(): code for code in CODE_COLUMNS[column]}
    return (canonical.get(text.lower(), text) if text else None), []


def _read_text(column: str, text: str) -> Reading:
    return (text or None), []


@dataclass
class SheetCourses:
    """The courses of a sheet's rows (exchange form), the row number of each, the cells' problems
    (``stopped``: there were more), the course versions the rows were exported from, by ref, and
    the refs made for rows without one; ``site_cells``: each row's number, site ref and cells of the
    site columns, when the sheet has one."""

    courses: list[dict[str, Any]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    versions: dict[str, int] = field(default_factory=dict)
    stopped: bool = False
    made_refs: list[str] = field(default_factory=list)
    site_cells: list[tuple[int, str | None, dict[str, Any]]] = field(default_factory=list)


def courses_from_sheet(sheet: Sheet, stored: Mapping[str, dict[str, Any]],
                       make_ref: Callable[[str, set[str]], str], max_problems: int = MAX_PROBLEMS) -> SheetCourses:
    """The courses of the rows; stops at ``max_problems`` problems.

    A column left out of the file keeps each stored course's value (``stored``: this operator's
    courses by ref); a row without ref gets ``make_ref(title, refs of the file)``: unique in the file too."""
    found = SheetCourses()
    taken = {ref_key(cell_text(row.get("ref"))) for _number, row in sheet.rows} - {""}
    site_columns = [column for column in SITE_COLUMNS if column in sheet.columns]
    for number, row in sheet.rows:
        course = _row_course(sheet, number, row, found.problems)
        if site_columns:
            found.site_cells.append((number, course.get("site"), {column: row.get(column) for column in site_columns}))
        if not course.get("ref"):
            course["ref"] = _fresh_ref(course.get("title") or "", make_ref, taken)
            found.made_refs.append(course["ref"])
        _read_version(number, row, course["ref"], found)
        _keep_left_out(sheet, course, stored.get(course["ref"]))
        found.courses.append(course)
        found.numbers.append(number)
        if len(found.problems) >= max_problems:
            del found.problems[max_problems:]
            found.stopped = True
            break
    return found


def _keep_left_out(sheet: Sheet, course: dict[str, Any], kept: dict[str, Any] | None) -> None:
    """A column left out of the file keeps the stored course's value (confirmed_at: confirmed if changed)."""
    if kept is None:
        return
    for key in COURSE_KEYS:
        if key not in sheet.columns and key != "confirmed_at":
            course[key] = kept[key]


def _row_course(sheet: Sheet, number: int, row: dict[str, Any], problems: list[Problem]) -> dict[str, Any]:
    """The course of a row's cells (exchange form), adding the cells' problems to ``problems``."""
    if "" in row:
        problems.append(Problem(_("There is a value in column %(letter)s, which has no name in the first row.",
                                  letter=row[""]), row=number))
    course: dict[str, Any] = {}
    for column in sheet.columns:
        if column in READ_ONLY_COLUMNS or column in SITE_COLUMNS or column == VERSION_COLUMN:
            continue
        course[column], messages = cell_value(column, row.get(column))
        problems += [Problem(message, row=number, column=column) for message in messages]
    return course


def _read_version(number: int, row: dict[str, Any], ref: str, found: SheetCourses) -> None:
    """The course version the row was exported from, if the file has it."""
    version = cell_text(row.get(VERSION_COLUMN))
    if version.isascii() and version.isdigit():
        found.versions[ref] = int(version)
    elif version:
        found.problems.append(Problem(_("“%(value)s” is not a version number: keep the number the export wrote, or "
                                        "leave the cell empty.", value=quoted(version)), row=number,
                                      column=VERSION_COLUMN))


def _fresh_ref(title: str, make_ref: Callable[[str, set[str]], str], taken: set[str]) -> str:
    """A new ref for a row without one: not stored yet and not given to another row of the file."""
    ref = make_ref(title, taken)
    taken.add(ref)
    return ref


def course_row(course: dict[str, Any], site_address: str = "", reception_languages: list[str] | None = None,
               version: int | None = None) -> dict[str, Any]:
    """A course (exchange form) as the cells of its row: dates as dates, numbers as numbers; its
    place's reception languages as "fr ar en"."""
    special = {"site_address": site_address or None, VERSION_COLUMN: version,
               "reception_languages": " ".join(reception_languages or []) or None,
               "entries": entries_text(course["entries"]) or None}
    return {column: special[column] if column in special else _cell_of(column, course[column]) for column in COLUMNS}


def _cell_of(column: str, value: Any) -> Any:
    if column in LIST_COLUMNS:
        return ", ".join(value) or None
    if column in BOOLEAN_COLUMNS:
        return "yes" if value else "no"
    if column in DATE_COLUMNS:
        return dt.date.fromisoformat(value) if value else None
    return value


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
            lambda m: _("row %(row)s", row=row_of(int(m.group(1)))), plain_message(message, course_plain_words()))
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
