"""The forms of the account pages: sign-in and its code, the second factor, passwords, sign-up
requests, invitations and refusals."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from portal import labels
from portal.accounts.services import MIN_PASSWORD_LENGTH
from portal.i18n import LANGUAGES

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


def _email_field(label=None):
    return StringField(label or _l("E-mail address"), validators=[
        DataRequired(message=_l("Give your e-mail address.")),
        Regexp(EMAIL_PATTERN, message=_l("This is not an e-mail address.")), Length(max=200)])


def _new_password_fields():
    password = PasswordField(_l("New password"), description=_l("At least %(num)s characters.",
                                                                num=MIN_PASSWORD_LENGTH), validators=[
        DataRequired(message=_l("Choose a password.")),
        Length(min=MIN_PASSWORD_LENGTH, max=200,
               message=_l("The password needs at least %(num)s characters.", num=MIN_PASSWORD_LENGTH))])
    again = PasswordField(_l("The same password again"), validators=[
        DataRequired(message=_l("Type the password again.")),
        EqualTo("password", message=_l("The two passwords are not the same."))])
    return password, again


class LoginForm(FlaskForm):
    email = _email_field()
    password = PasswordField(_l("Password"), validators=[
        DataRequired(message=_l("Give your password.")), Length(max=200)])


class CodeForm(FlaskForm):
    code = StringField(_l("6-digit code"), validators=[
        DataRequired(message=_l("Give the code shown in your app.")),
        Regexp(r"^\s*\d{3}\s?\d{3}\s*$", message=_l("The code has 6 digits."))])


class SecondFactorForm(CodeForm):
    """Set up the second factor; replacing one asks for the password too."""

    current = PasswordField(_l("Your password"), validators=[Optional(), Length(max=200)])


class PasswordCheckForm(FlaskForm):
    current = PasswordField(_l("Your password"), validators=[
        DataRequired(message=_l("Give your password.")), Length(max=200)])


class SignupForm(FlaskForm):
    organisation = StringField(_l("Name of your organisation"), validators=[
        DataRequired(message=_l("Give the name of your organisation.")), Length(max=200)])
    kind = SelectField(_l("Kind of organisation"), choices=labels.choices(labels.OPERATOR_KINDS))
    postal_code = StringField(_l("Postal code of your main address"), validators=[
        DataRequired(message=_l("Give a postal code.")),
        Regexp(r"^\s*\d{4}\s*$", message=_l("A Belgian postal code has 4 digits."))])
    website = StringField(_l("Website (optional)"), validators=[
        Optional(), Length(max=300), Regexp(r"^https?://\S+\.\S+$", message=_l("Start with https://"))])
    phone = StringField(_l("Phone (optional)"), validators=[Optional(), Length(max=50)])
    contact_name = StringField(_l("Your name"), validators=[
        DataRequired(message=_l("Give your name.")), Length(max=200)])
    email = _email_field(_l("Your e-mail address"))
    message = TextAreaField(_l("Which courses do you give? (optional)"), validators=[Optional(), Length(max=3000)])


class WorkerSignupForm(FlaskForm):
    """A social worker asks for an account to send referrals for their service."""

    organisation = StringField(_l("Name of your service"), validators=[
        DataRequired(message=_l("Give the name of your service.")), Length(max=200)])
    kind = SelectField(_l("Kind of service"), choices=labels.choices(labels.SERVICE_KINDS))
    postal_code = StringField(_l("Postal code of your service"), validators=[
        DataRequired(message=_l("Give a postal code.")),
        Regexp(r"^\s*\d{4}\s*$", message=_l("A Belgian postal code has 4 digits."))])
    contact_name = StringField(_l("Your name"), validators=[
        DataRequired(message=_l("Give your name.")), Length(max=200)])
    email = _email_field(_l("Your work e-mail address"))
    phone = StringField(_l("Your work phone (optional)"), validators=[Optional(), Length(max=50)])
    message = TextAreaField(_l("Your job in the service (optional)"), validators=[Optional(), Length(max=3000)])


class PasswordChoiceForm(FlaskForm):
    password, password_again = _new_password_fields()


class ChangePasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[
        DataRequired(message=_l("Give your password.")), Length(max=200)])
    password, password_again = _new_password_fields()


class ForgotPasswordForm(FlaskForm):
    email = _email_field()


class InviteForm(FlaskForm):
    email = _email_field(_l("E-mail address of your colleague"))


class RejectForm(FlaskForm):
    note = TextAreaField(_l("Why? (sent to the requester)"), validators=[
        DataRequired(message=_l("Say why, in a few words.")), Length(max=2000)])



class LanguageForm(FlaskForm):
    """The workspace's language, kept on the account (each language named in itself)."""
    language = SelectField(_l("Language of the workspace"),
                           choices=[SelectChoice(language.code, language.name, render_kw={"lang": language.code})
                                    for language in LANGUAGES if language.workspace])
