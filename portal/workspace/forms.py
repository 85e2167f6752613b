"""The workspace's forms: a course, a site, the organisation's details. Validation of the offer
itself is the exchange format's (one set of rules for the forms and the import); forms check shapes."""
from __future__ import annotations

import re

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
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from portal import labels
from portal.forms import CheckboxList
from portal.labels import choices

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


# -- the site form: shapes only; a Walloon postal code and coordinates inside Wallonia are the
# exchange format's rules.
_NUMBER = re.compile(r"^[+-]?\d{1,3}(?:[.,]\d+)?$")
# "50.4669, 4.8675" as map sites copy it (dots only, so that "50,4669" stays one number).
_PAIR = re.compile(r"^([+-]?\d{1,3}\.\d+)\s*[,;]\s*([+-]?\d{1,3}\.\d+)$")
_DECIMAL = {"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false"}


def coordinate(text: str | None) -> float | None:
    """A latitude or longitude as typed ("50.4669" or "50,4669"); None when empty. ValueError else."""
    text = (text or "").strip()
    if not text:
        return None
    if not _NUMBER.match(text):
        raise ValueError(text)
    return float(text.replace(",", "."))


class SiteForm(FlaskForm):
    name = StringField(_l("Name of the place (optional)"), validators=[Length(max=200)])
    street = StringField(_l("Street and number"), validators=[Length(max=200)])
    postal_code = StringField(
        _l("Postal code"),
        validators=[DataRequired(message=_l("Give the postal code.")),
                    Regexp(r"^\s*\d{4}\s*$", message=_l("A postal code has 4 digits, for example 5000."))],
        render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": "4", "size": "6"})
    locality = StringField(_l("Locality"), validators=[Length(max=120)],
                           render_kw={"list": "localities", "autocomplete": "off"})
    wheelchair_accessible = BooleanField(_l("Wheelchair accessible"))
    transit_note = StringField(_l("Public transport (optional)"), validators=[Length(max=1000)])
    lat = StringField(_l("Latitude"), render_kw=_DECIMAL)
    lon = StringField(_l("Longitude"), render_kw=_DECIMAL)

    def validate_lat(self, field) -> None:
        pasted = _PAIR.match((field.data or "").strip())
        if pasted and not (self.lon.data or "").strip():
            field.data, self.lon.data = pasted.groups()
        self._check_coordinate(field)

    def validate_lon(self, field) -> None:
        self._check_coordinate(field)

    @staticmethod
    def _check_coordinate(field) -> None:
        try:
            coordinate(field.data)
        except ValueError:
            raise ValidationError(_l("Write a number, for example 50.4669 (a comma works too).")) from None

    def coordinates(self) -> tuple[float | None, float | None]:
        """The latitude and longitude typed (or placed with the pin), None when empty."""
        return coordinate(self.lat.data), coordinate(self.lon.data)


class OperatorForm(FlaskForm):
    name = StringField(_l("Name of the organisation"), validators=[
        DataRequired(message=_l("Give the name of your organisation.")), Length(max=200)])
    kind = SelectField(_l("Kind of organisation"), choices=choices(labels.OPERATOR_KINDS))
    email = StringField(_l("E-mail for the public (optional)"), validators=[Optional(), Length(max=200)])
    phone = StringField(_l("Phone for the public (optional)"), validators=[Optional(), Length(max=50)])
    website = StringField(_l("Website (optional)"), validators=[Optional(), Length(max=300)])
    description = TextAreaField(_l("About the organisation (optional)"), validators=[Optional(), Length(max=5000)])
