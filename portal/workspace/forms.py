"""The course form: what an operator edits. Validation of the offer itself is the exchange
format's (one set of rules for the form and the import); the form only checks shapes."""
from __future__ import annotations

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
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

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
