"""The organisation's details: a form of the workspace's own page."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal import labels
from portal.labels import choices


class OperatorForm(FlaskForm):
    name = StringField(_l("Name of the organisation"), validators=[
        DataRequired(message=_l("Give the name of your organisation.")), Length(max=200)])
    kind = SelectField(_l("Kind of organisation"), choices=choices(labels.OPERATOR_KINDS))
    email = StringField(_l("E-mail for the public (optional)"), validators=[Optional(), Length(max=200)])
    phone = StringField(_l("Phone for the public (optional)"), validators=[Optional(), Length(max=50)])
    website = StringField(_l("Website (optional)"), validators=[Optional(), Length(max=300)])
    description = TextAreaField(_l("About the organisation (optional)"), validators=[Optional(), Length(max=5000)])
