"""What every form of the site shares: the button that only changes something (ConfirmForm), the
list of checkboxes, and the exchange format's errors (a JSON path and English words, written for
files) put back beside a form's fields in words its users read: the course, site and organisation
forms write through the import, so they get their errors from it."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


class ConfirmForm(FlaskForm):
    """A button that changes something: only its CSRF token."""


class CheckboxList(SelectMultipleField):
    """Several choices as checkboxes (a list, usable without JavaScript)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


@dataclass
class FormErrors(Exception):
    """Errors keyed by form field name ("title", "entries-1-start"); ``other`` has the rest."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    other: list[str] = field(default_factory=list)


_ROW = re.compile(r"^(\w+)\[(\d+)\]\.(\w+)$")


def _general() -> tuple[tuple[str, str], ...]:
    return (
        ("is required", _("This is required.")),
        ("is longer than", _("This is too long.")),
    )


def plain_message(message: str, known: Iterable[tuple[str, str]] = ()) -> str:
    """The first plain sentence whose fragment occurs in ``message`` (the form's own ones first),
    else the message itself."""
    return next((plain for fragment, plain in (*known, *_general()) if fragment in message), message)


def form_errors(errors: list[str], prefix: str, *, known: Iterable[tuple[str, str]] = (),
                rows: dict[str, list[int]] | None = None, into: type[FormErrors] = FormErrors) -> FormErrors:
    """Each "path: message" of the import whose path starts with ``prefix`` (the one object the form
    wrote, e.g. "operators[0].sites[0]") goes to the field it names; a list item
    ("entries[1].start") goes to its form row ("entries-<row>-start") through ``rows`` (the form
    rows of the list's items); anything else goes to ``other``."""
    known = tuple(known)
    head = re.compile("^" + re.escape(prefix) + r"\.?")
    result = into()
    for error in errors:
        path, _sep, message = error.partition(": ")
        message = plain_message(message, known)
        name = _field_of(head.sub("", path, count=1), rows or {}) if head.match(path) else None
        if name is None:
            result.other.append(message or error)
        else:
            result.fields.setdefault(name, []).append(message)
    return result


def _field_of(path: str, rows: dict[str, list[int]]) -> str | None:
    """The form field of a path inside the object ("title", "entries[1].start" → "entries-4-start"
    when the list's item 1 is form row 4), or None when no field shows it."""
    item = _ROW.match(path)
    if item and int(item.group(2)) < len(rows.get(item.group(1), [])):
        return f"{item.group(1)}-{rows[item.group(1)][int(item.group(2))]}-{item.group(3)}"
    if path and "[" not in path and "." not in path:
        return path
    return None
