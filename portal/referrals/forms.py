"""The referral form (what the worker sends of the person, and the consent) and the operator's
answers."""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from portal.accounts.forms import EMAIL_PATTERN
from portal.forms import CheckboxList
from portal.i18n import LANGUAGES
from portal.normalise import blank_to_none
from portal.referrals.codes import ANSWERS
from portal.referrals.services import Person

PHONE_PATTERN = r"^\s*\+?[0-9][0-9 ./()-]{5,28}\s*$"
NOTE_LENGTH = 500


def _languages() -> list[SelectChoice]:
    return [SelectChoice(language.code, language.name, render_kw={"lang": language.code}) for language in LANGUAGES]


class ReferralForm(FlaskForm):
    person_language = SelectField(_l("The person's language"), choices=_languages(), default="fr")
    first_name = StringField(_l("First name"), validators=[
        DataRequired(message=_l("Give the person's first name.")), Length(max=60)])
    phone = StringField(_l("Phone"), validators=[
        Optional(), Regexp(PHONE_PATTERN, message=_l("Write a phone number with its digits, e.g. 0470 12 34 56."))])
    email = StringField(_l("E-mail address"), validators=[
        Optional(), Length(max=200), Regexp(EMAIL_PATTERN, message=_l("This is not an e-mail address."))])
    languages = CheckboxList(_l("Languages the person speaks"), choices=_languages())
    other_languages = StringField(_l("Other languages (optional)"), validators=[Optional(), Length(max=100)])
    level_note = TextAreaField(_l("What you know of their level (optional)"),
                               validators=[Optional(), Length(max=NOTE_LENGTH)])
    constraints_note = TextAreaField(_l("Their constraints: hours, children, transport, papers (optional)"),
                                     validators=[Optional(), Length(max=NOTE_LENGTH)])
    consent = BooleanField(_l("I read this notice to the person and they agree."), validators=[
        DataRequired(message=_l("Without the person's agreement, nothing is sent."))])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not (self.phone.data or "").strip() and not (self.email.data or "").strip():
            self.phone.errors = [*self.phone.errors, _l("Give a phone number or an e-mail address.")]
            return False
        return valid

    def person(self) -> Person:
        return Person(first_name=self.first_name.data.strip(), phone=blank_to_none(self.phone.data),
                      email=blank_to_none((self.email.data or "").lower()),
                      languages=tuple(self.languages.data or ()),
                      other_languages=blank_to_none(self.other_languages.data),
                      level_note=blank_to_none(self.level_note.data),
                      constraints_note=blank_to_none(self.constraints_note.data),
                      consent_language=self.person_language.data)


class AnswerForm(FlaskForm):
    """One answer, sent by one button: the answer, the entry's start ("accepted") or the reason
    ("not suitable")."""

    answer = HiddenField(validators=[DataRequired()])
    entry_start = DateField(_l("First day"), validators=[Optional()])
    reason = TextAreaField(_l("Why? (the social worker reads it)"), validators=[Optional(), Length(max=NOTE_LENGTH)])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.answer.data not in ANSWERS:
            self.answer.errors = [*self.answer.errors, _l("Choose an answer.")]
            return False
        if self.answer.data == "accepted" and not self._plausible(self.entry_start.data):
            self.entry_start.errors = [*self.entry_start.errors, _l("Give the first day of the person's course.")]
            return False
        if self.answer.data == "not_suitable" and not (self.reason.data or "").strip():
            self.reason.errors = [*self.reason.errors, _l("Say why, in a few words.")]
            return False
        return valid

    @staticmethod
    def _plausible(day: dt.date | None) -> bool:
        from portal.offer import rules

        today = rules.today()
        return day is not None and today - dt.timedelta(days=366) <= day <= today + dt.timedelta(days=731)
