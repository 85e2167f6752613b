"""An operator's public details (name, kind, contact, description), edited by the operator itself
through the import like everything else, so the same rules hold."""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from portal.accounts.forms import OPERATOR_KIND_LABELS
from portal.geo.gazetteer import get_gazetteer
from portal.offer.exchange import FORMAT, OfferDocumentError, operator_dict
from portal.offer.models import Operator
from portal.offer.services import import_offer
from portal.workspace.form_errors import form_errors


class OperatorForm(FlaskForm):
    name = StringField(_l("Name of the organisation"), validators=[
        DataRequired(message=_l("Give the name of your organisation.")), Length(max=200)])
    kind = SelectField(_l("Kind of organisation"),
                       choices=[SelectChoice(code, label) for code, label in OPERATOR_KIND_LABELS.items()])
    email = StringField(_l("E-mail for the public (optional)"), validators=[Optional(), Length(max=200)])
    phone = StringField(_l("Phone for the public (optional)"), validators=[Optional(), Length(max=50)])
    website = StringField(_l("Website (optional)"), validators=[Optional(), Length(max=300)])
    description = TextAreaField(_l("About the organisation (optional)"), validators=[Optional(), Length(max=5000)])


def _plain_words() -> tuple[tuple[str, str], ...]:
    return (
        ("is not a web address", _("Write the whole address, starting with https://")),
        ("is not an e-mail address", _("This is not an e-mail address.")),
    )


def save_operator(operator: Operator, form: OperatorForm, today: dt.date, *, actor: Any = None) -> None:
    """Write the form's details over the operator's; raises FormErrors beside the fields."""
    text = lambda value: (value or "").strip() or None  # noqa: E731
    data = dict(operator_dict(operator, with_children=False), name=(form.name.data or "").strip(),
                kind=form.kind.data, email=text(form.email.data), phone=text(form.phone.data),
                website=text(form.website.data), description=text(form.description.data))
    document = {"format": FORMAT, "operators": [{**data, "sites": [], "courses": []}]}
    try:
        import_offer(document, get_gazetteer(), today, actor=actor, source="form")
    except OfferDocumentError as exc:
        raise form_errors(exc.errors, "operators[0]", known=_plain_words()) from exc
