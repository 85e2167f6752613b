"""A course's history said in words: each change with its fields and values named as the labels
catalogue names them (the changes are stored in the exchange format's words)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _

from portal import labels
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


def show(name: str, value: Any) -> str:
    """A stored value (exchange format) as people read it."""
    if value in (None, "", []):
        return "—"
    if name == "entries":
        return "; ".join(_entry(entry) for entry in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if name in _DATE_FIELDS:
        return _date(value)
    items = value if isinstance(value, list) else [value]
    return ", ".join(_item(name, item) for item in items)


def _item(name: str, value: Any) -> str:
    """A code in the catalogue's words, anything else as it is."""
    table = labels.FIELD_VALUES.get(name)
    return labels.label(table, value) if table is not None else str(value)


def field_changes(change: CourseChange) -> list[FieldChange]:
    return [FieldChange(labels.label(labels.COURSE_FIELDS, name), show(name, before), show(name, after))
            for name, (before, after) in (change.changes or {}).items()]
