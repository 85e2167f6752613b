"""A course's history said in words: each change with its fields' labels and values as the
course form names them."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.offer.history import CourseChange
from portal.workspace.forms import CourseForm, EntryForm

EXTRA_LABELS = {"confirmed_at": _l("Last confirmed"), "ref": _l("Reference"), "entries": _l("Start dates")}
SOURCE_LABELS = {
    "form": _l("course form"), "file": _l("file import"), "bassin": _l("bassin import"),
    "confirm": _l("\u201ceverything is still correct\u201d"), "cli": _l("command-line import"),
    "demo": _l("demo data"),
}
ACTION_LABELS = {"created": _l("Created"), "updated": _l("Changed"), "confirmed": _l("Confirmed")}


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


def _unbound(name: str) -> Any:
    return getattr(CourseForm, name, None)


def label_of(name: str) -> str:
    field = _unbound(name)
    if name in EXTRA_LABELS:
        return str(EXTRA_LABELS[name])
    return str(field.args[0]) if field is not None and field.args else name


def _choice_label(name: str, value: Any, form: type = CourseForm) -> str:
    field = getattr(form, name, None)
    for choice in (field.kwargs.get("choices") or []) if field is not None else []:
        if choice.value == value:
            return str(choice.label)
    return str(value)


def _date(value: str | None) -> str:
    return format_date(dt.date.fromisoformat(value), "medium") if value else ""


def _entry(entry: dict[str, Any]) -> str:
    text = _date(entry.get("start"))
    if entry.get("end"):
        text += " – " + _date(entry["end"])
    if entry.get("registration_deadline"):
        text += " " + _("(register before %(date)s)", date=_date(entry["registration_deadline"]))
    if entry.get("status") and entry["status"] != "open":
        text += ", " + _choice_label("status", entry["status"], EntryForm).lower()
    return text


def show(name: str, value: Any) -> str:
    """A stored value (exchange format) as people read it."""
    if value is None or value == [] or value == "":
        return "—"
    if name == "entries":
        return "; ".join(_entry(entry) for entry in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(_choice_label(name, item) for item in value)
    if name in ("confirmed_at", "active_from", "active_until"):
        return _date(value)
    if name in ("kind", "registration", "entry_mode", "status"):
        return _choice_label(name, value)
    return str(value)


def field_changes(change: CourseChange) -> list[FieldChange]:
    return [FieldChange(label_of(name), show(name, before), show(name, after))
            for name, (before, after) in (change.changes or {}).items()]
