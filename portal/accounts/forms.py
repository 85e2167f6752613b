from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length, Regexp


class LoginForm(FlaskForm):
    email = StringField(_l("E-mail address"), validators=[
        DataRequired(message=_l("Give your e-mail address.")),
        Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("This is not an e-mail address.")),
        Length(max=200)])
    password = PasswordField(_l("Password"), validators=[
        DataRequired(message=_l("Give your password.")), Length(max=200)])


class ConfirmForm(FlaskForm):
    """A button that changes something: only its CSRF token."""
