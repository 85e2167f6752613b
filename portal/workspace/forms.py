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
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.accounts.forms import OPERATOR_KIND_LABELS
from portal.offer import codes
from portal.search import forms as labels

BLANK_ENTRY_ROWS = 2


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class EntryForm(Form):
    start = DateField(_l("Start"), validators=[Optional()])
    end = DateField(_l("End"), validators=[Optional()])
    registration_deadline = DateField(_l("Register before"), validators=[Optional()])
    status = SelectField(_l("Places"), choices=choices([("open", _l("Open")), ("waiting_list", _l("Waiting list")),
                                                 ("full", _l("Full"))]), default="open")


class CourseForm(FlaskForm):
    version = HiddenField()
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("Give a title.")), Length(max=200)])
    site = SelectField(_l("Place"), validators=[DataRequired(message=_l("Choose a place."))])
    kind = SelectField(_l("Kind of course"), choices=choices(list(labels.KIND_LABELS.items())))
    level_min = SelectField(_l("Lowest level"), choices=choices([(lv, lv) for lv in codes.LEVELS]))
    level_max = SelectField(_l("Highest level"), choices=choices([(lv, lv) for lv in codes.LEVELS]))
    level_note = StringField(_l("Level, in your words (optional)"), validators=[Length(max=1000)])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])
    days = CheckboxList(_l("Days"), choices=choices(list(labels.DAY_LABELS.items())))
    parts_of_day = CheckboxList(_l("Part of the day"), choices=choices(list(labels.PART_OF_DAY_LABELS.items())))
    hours_per_week = DecimalField(_l("Hours a week"), places=1, validators=[Optional(), NumberRange(0, 60)])
    cost_eur = DecimalField(_l("Cost in euros (0 = free)"), places=2, default=0,
                            validators=[InputRequired(message=_l("Give a cost (0 when free).")),
                                        NumberRange(0, 100000)])
    childcare = BooleanField(_l("Childcare"))
    audiences = CheckboxList(_l("The course is for"), choices=choices(list(labels.AUDIENCE_LABELS.items())))
    requires_job_seeker_registration = BooleanField(_l("Forem registration needed"))
    requires_valid_residence_permit = BooleanField(_l("Residence permit needed"))
    entry_test = BooleanField(_l("Entry test"))
    job_oriented = BooleanField(_l("Towards a job"))
    sectors = CheckboxList(_l("Job sector"), choices=choices(list(labels.SECTOR_LABELS.items())))
    prepares_for = CheckboxList(_l("Prepares for"), choices=choices(list(labels.PREPARES_FOR_LABELS.items())))
    registration = SelectField(_l("How to register"), choices=choices([
        ("direct", _l("Contact the operator")), ("shared_intake", _l("Shared intake desk of the area"))]))
    registration_note = StringField(_l("Where and how to register (optional)"), validators=[Length(max=1000)])
    entry_mode = SelectField(_l("Entries"), choices=choices([("fixed", _l("Fixed start dates")),
                                                     ("rolling", _l("Start any day (rolling entry)"))]))
    active_from = DateField(_l("Rolling entry: from"), validators=[Optional()])
    active_until = DateField(_l("Rolling entry: until"), validators=[Optional()])
    entries = FieldList(FormField(EntryForm), min_entries=BLANK_ENTRY_ROWS)
    status = SelectField(_l("Status"), choices=choices([("published", _l("Published")), ("draft", _l("Draft")),
                                                ("archived", _l("Archived"))]))


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
    kind = SelectField(_l("Kind of organisation"),
                       choices=[SelectChoice(code, label) for code, label in OPERATOR_KIND_LABELS.items()])
    email = StringField(_l("E-mail for the public (optional)"), validators=[Optional(), Length(max=200)])
    phone = StringField(_l("Phone for the public (optional)"), validators=[Optional(), Length(max=50)])
    website = StringField(_l("Website (optional)"), validators=[Optional(), Length(max=300)])
    description = TextAreaField(_l("About the organisation (optional)"), validators=[Optional(), Length(max=5000)])
