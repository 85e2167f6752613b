"""Writes of an operator's page: "everything is still correct", the organisation's details."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from sqlalchemy import select, update

from portal.extensions import db
from portal.forms import form_errors
from portal.geo.gazetteer import get_gazetteer
from portal.normalise import blank_to_none
from portal.offer import history
from portal.offer.exchange import FORMAT, operator_dict
from portal.offer.models import Course, Operator
from portal.offer.services import import_offer
from portal.offer.validation import OfferDocumentError

if TYPE_CHECKING:
    from portal.workspace.forms import OperatorForm


def confirm_all(operator: Operator, today: dt.date, actor: Any = None) -> int:
    """"Everything is still correct": every course of the operator not archived is confirmed
    today (and that is written in each course's history). Returns how many courses were confirmed."""
    mine = (Course.operator_id == operator.id, Course.status != "archived")
    older = db.session.execute(select(Course.id, Course.confirmed_at).where(*mine, Course.confirmed_at != today))
    history.record([(course_id, "confirmed", {"confirmed_at": [confirmed.isoformat(), today.isoformat()]})
                    for course_id, confirmed in older], actor=actor, source="confirm")
    result = db.session.execute(update(Course).where(*mine).values(confirmed_at=today))
    db.session.commit()
    return result.rowcount or 0


def _operator_plain_words() -> tuple[tuple[str, str], ...]:
    return (
        ("is not a web address", _("Write the whole address, starting with https://")),
        ("is not an e-mail address", _("This is not an e-mail address.")),
    )


def save_operator(operator: Operator, form: OperatorForm, today: dt.date, *, actor: Any = None) -> None:
    """Write the form's details over the operator's; raises FormErrors beside the fields."""
    data = dict(operator_dict(operator, with_children=False), name=(form.name.data or "").strip(),
                kind=form.kind.data, email=blank_to_none(form.email.data), phone=blank_to_none(form.phone.data),
                website=blank_to_none(form.website.data), description=blank_to_none(form.description.data))
    document = {"format": FORMAT, "operators": [{**data, "sites": [], "courses": []}]}
    try:
        import_offer(document, get_gazetteer(), today, actor=actor, source="form")
    except OfferDocumentError as exc:
        raise form_errors(exc.errors, "operators[0]", known=_operator_plain_words()) from exc
