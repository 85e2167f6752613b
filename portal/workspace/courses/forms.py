"""The course form: its fields (named as the history names them), filled from a stored course, and
read back as a course of the exchange format, whose validation is the import's (one set of rules for
the form and the files); the form checks shapes only."""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal import labels
from portal.forms import CheckboxList
from portal.labels import choices
from portal.normalise import blank_to_none
from portal.offer.exchange import course_dict
from portal.offer.models import Course, Operator

BLANK_ENTRY_ROWS = 2
COURSE = labels.COURSE_FIELDS  # a course's fields are named as its history names them
ENTRY = labels.ENTRY_FIELDS


class EntryForm(Form):
    start = DateField(ENTRY["start"].short, validators=[Optional()])
    end = DateField(ENTRY["end"].short, validators=[Optional()])
    registration_deadline = DateField(ENTRY["registration_deadline"].short, validators=[Optional()])
    status = SelectField(ENTRY["status"].short, choices=choices(labels.ENTRY_STATUSES), default="open")


class CourseForm(FlaskForm):
    version = HiddenField()
    title = StringField(COURSE["title"].short, validators=[DataRequired(message=_l("Give a title.")),
                                                           Length(max=200)])
    site = SelectField(COURSE["site"].short, validators=[DataRequired(message=_l("Choose a place."))])
    kind = SelectField(COURSE["kind"].short, choices=choices(labels.KINDS))
    level_min = SelectField(COURSE["level_min"].short, choices=choices(labels.LEVELS))
    level_max = SelectField(COURSE["level_max"].short, choices=choices(labels.LEVELS))
    level_note = StringField(COURSE["level_note"].short, validators=[Length(max=1000)])
    description = TextAreaField(COURSE["description"].short, validators=[Length(max=5000)])
    days = CheckboxList(COURSE["days"].short, choices=choices(labels.DAYS))
    parts_of_day = CheckboxList(COURSE["parts_of_day"].short, choices=choices(labels.PARTS_OF_DAY))
    hours_per_week = DecimalField(COURSE["hours_per_week"].short, places=1,
                                  validators=[Optional(), NumberRange(0, 60)])
    cost_eur = DecimalField(COURSE["cost_eur"].short, places=2, default=0,
                            validators=[InputRequired(message=_l("Give a cost (0 when free).")),
                                        NumberRange(0, 100000)])
    childcare = BooleanField(COURSE["childcare"].short)
    audiences = CheckboxList(COURSE["audiences"].short, choices=choices(labels.AUDIENCES))
    requires_job_seeker_registration = BooleanField(COURSE["requires_job_seeker_registration"].short)
    requires_valid_residence_permit = BooleanField(COURSE["requires_valid_residence_permit"].short)
    entry_test = BooleanField(COURSE["entry_test"].short)
    job_oriented = BooleanField(COURSE["job_oriented"].short)
    sectors = CheckboxList(COURSE["sectors"].short, choices=choices(labels.SECTORS))
    prepares_for = CheckboxList(COURSE["prepares_for"].short, choices=choices(labels.PREPARES_FOR))
    registration = SelectField(COURSE["registration"].short, choices=choices(labels.REGISTRATION_MODES))
    registration_note = StringField(COURSE["registration_note"].short, validators=[Length(max=1000)])
    entry_mode = SelectField(COURSE["entry_mode"].short, choices=choices(labels.ENTRY_MODES))
    active_from = DateField(COURSE["active_from"].short, validators=[Optional()])
    active_until = DateField(COURSE["active_until"].short, validators=[Optional()])
    entries = FieldList(FormField(EntryForm), min_entries=BLANK_ENTRY_ROWS)
    # Published first: the form's default.
    status = SelectField(COURSE["status"].short,
                         choices=choices(labels.COURSE_STATUSES, only=("published", "draft", "archived")))
    # The first place, when the operator has none yet: asked here instead of a choice of sites.
    new_site_street = StringField(_l("Street and number"), validators=[Length(max=200)])
    new_site_postal_code = StringField(_l("Postal code"), validators=[Length(max=10)],
                                       render_kw={"inputmode": "numeric", "autocomplete": "off", "size": "6"})
    new_site_locality = StringField(_l("Locality"), validators=[Length(max=120)])

    def asks_for_a_site(self) -> bool:
        """The operator has no site yet: the form asks for the place instead of a choice."""
        return not self.site.choices


# What a new course starts from.
# Published, as the exchange format's default and the welcome text say: "not public yet" is a choice.
NEW_COURSE: dict[str, Any] = {"status": "published", "entry_mode": "fixed", "cost_eur": 0, "audiences": ["all"]}
ENTRY_DATES = ("start", "end", "registration_deadline")


def course_form(operator: Operator, course: Course | None = None, formdata: Any = None) -> CourseForm:
    """The course form, filled from the stored course (or a new one), with blank entry rows; the
    operator's sites to choose from."""
    form = CourseForm(formdata=formdata, data=_form_data(course))
    form.site.choices = [
        SelectChoice(site.ref, f"{site.name or site.street or ''} — {site.postal_code} {site.locality}".strip(" —"))
        for site in operator.sites]
    if form.asks_for_a_site():
        form.site.validators = []
        form.site.validate_choice = False
    return form


def new_site_data(form: CourseForm) -> dict[str, Any] | None:
    """The place typed in the form (exchange form, without ref), when the form asks for one."""
    if not form.asks_for_a_site():
        return None
    return {"name": None, "street": blank_to_none(form.new_site_street.data),
            "postal_code": blank_to_none(form.new_site_postal_code.data),
            "locality": blank_to_none(form.new_site_locality.data), "lat": None, "lon": None,
            "wheelchair_accessible": False, "transit_note": None}


def _form_data(course: Course | None) -> dict[str, Any]:
    if course is None:
        data = dict(NEW_COURSE, entries=[])
    else:
        data = dict(course_dict(course), version=course.version)
    rows = [_as_dates(dict(entry), ENTRY_DATES) for entry in data["entries"]]
    data["entries"] = rows + [{} for _ in range(BLANK_ENTRY_ROWS)]
    return _as_dates(data, ("active_from", "active_until"))


def _as_dates(values: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    for key in keys:
        if values.get(key):
            values[key] = dt.date.fromisoformat(values[key])
    return values


def course_data(form: CourseForm, ref: str | None) -> tuple[dict[str, Any], list[int]]:
    """The form as a course of the exchange format, and the form rows of the entries kept."""
    entries, rows = _entries(form)
    data = {name: _value(form[name]) for name in _PLAIN_FIELDS}
    data.update(
        ref=ref, title=(form.title.data or "").strip(), entries=entries,
        hours_per_week=_number(form.hours_per_week.data), cost_eur=_number(form.cost_eur.data) or 0.0,
        active_from=_iso(form.active_from.data), active_until=_iso(form.active_until.data),
    )
    # The chosen mode decides: the fields of the other one (hidden on the page) are left out.
    if data["entry_mode"] == "rolling":
        data["entries"], rows = [], []
    else:
        data["active_from"] = data["active_until"] = None
    return {key: data[key] for key in _EXCHANGE_ORDER}, rows


# Fields read as they are (texts blank → None, lists empty → []).
_PLAIN_FIELDS = ("site", "kind", "level_min", "level_max", "level_note", "registration", "registration_note",
                 "job_oriented", "sectors", "prepares_for", "description", "days", "parts_of_day", "childcare",
                 "audiences", "requires_job_seeker_registration", "requires_valid_residence_permit", "entry_test",
                 "entry_mode", "status")
_EXCHANGE_ORDER = ("ref", "site", "title", "kind", "level_min", "level_max", "level_note", "registration",
                   "registration_note", "job_oriented", "sectors", "prepares_for", "description", "days",
                   "parts_of_day", "hours_per_week", "cost_eur", "childcare", "audiences",
                   "requires_job_seeker_registration", "requires_valid_residence_permit", "entry_test",
                   "entry_mode", "entries", "active_from", "active_until", "status")


def _entries(form: CourseForm) -> tuple[list[dict[str, Any]], list[int]]:
    """The entry rows with a date (blank rows are left out), and their numbers in the form."""
    entries, rows = [], []
    for index, row in enumerate(form.entries.entries):
        if any(row.form[key].data for key in ENTRY_DATES):
            entries.append({key: _iso(row.form[key].data) for key in ENTRY_DATES} | {"status": row.form.status.data})
            rows.append(index)
    return entries, rows


def _value(field: Any) -> Any:
    if isinstance(field, CheckboxList):
        return field.data or []
    return blank_to_none(field.data) if isinstance(field.data, str) else field.data


def _number(value: Any) -> float | None:
    return float(value) if value is not None else None


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None
