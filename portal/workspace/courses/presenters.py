"""A course said in words, field by field, as the labels catalogue names fields and values (the
course is stored, and its changes recorded, in the exchange format's words): its history, and the
two versions of an edit that met another save."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from flask_babel import format_date, format_decimal
from flask_babel import gettext as _

from portal import labels
from portal.offer.exchange import json_number
from portal.offer.history import CourseChange


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


def _date(value: str | None) -> str:
    return format_date(dt.date.fromisoformat(value), "medium") if value else ""


def _entry(entry: dict[str, Any]) -> str:
    text = _date(entry.get("start"))
    if entry.get("end"):
        text += " – " + _date(entry["end"])
    if entry.get("registration_deadline"):
        text += " " + _("(register before %(date)s)", date=_date(entry["registration_deadline"]))
    status = entry.get("status")
    if status and status != "open":
        found = labels.ENTRY_STATUSES.get(status)
        text += ", " + (str(found.in_sentence) if found is not None else str(status))
    return text


_DATE_FIELDS = ("confirmed_at", "active_from", "active_until")


_NO_PLACES: Mapping[str, str] = MappingProxyType({})


def show(name: str, value: Any, places: Mapping[str, str] = _NO_PLACES) -> str:
    """A stored value (exchange format) as people read it; ``places`` names sites by their ref."""
    if value in (None, "", []):
        return "—"
    if name == "entries":
        return "; ".join(_entry(entry) for entry in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if name in _DATE_FIELDS:
        return _date(value)
    if isinstance(value, int | float):
        return format_decimal(json_number(value))  # 9.0 and 9 are the same number: "9"
    items = value if isinstance(value, list) else [value]
    return ", ".join(_item(name, item, places) for item in items)


def _item(name: str, value: Any, places: Mapping[str, str]) -> str:
    """A code in the catalogue's words, a site by its name, anything else as it is."""
    if name == "site":
        return places.get(value, str(value))
    table = labels.FIELD_VALUES.get(name)
    return labels.label(table, value) if table is not None else str(value)


def field_changes(change: CourseChange) -> list[FieldChange]:
    return [FieldChange(labels.label(labels.COURSE_FIELDS, name), show(name, before), show(name, after))
            for name, (before, after) in (change.changes or {}).items()]


@dataclass(frozen=True)
class ConflictRow:
    label: str
    mine: str  # what this form sent
    saved: str  # what was saved meanwhile
    differs: bool


# Not shown side by side: the ref never differs; the confirmation date is the save's own.
_NOT_COMPARED = ("ref", "confirmed_at")


def conflict_rows(mine: dict[str, Any], saved: dict[str, Any], places: Mapping[str, str]) -> list[ConflictRow]:
    """Each field of the course with both versions in words, the ones that differ marked;
    ``places`` names the operator's sites by their ref."""
    rows = []
    for name, value in saved.items():
        if name in _NOT_COMPARED:
            continue
        before, after = show(name, mine.get(name), places), show(name, value, places)
        rows.append(ConflictRow(labels.label(labels.COURSE_FIELDS, name), before, after, before != after))
    return rows
