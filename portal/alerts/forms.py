"""The alert form: an e-mail address (the search is the page's URL, the language the page's)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Regexp

from portal.normalise import EMAIL


def _trimmed(value: str | None) -> str | None:
    return value.strip() if value else value


class AlertForm(FlaskForm):
    class Meta:
        # No session, hence no cookie, on public pages: a forged request could only ask for a
        # confirmation e-mail, which anyone can do from the page itself (and the limits count).
        csrf = False

    email = StringField(_l("Your e-mail address"), filters=[_trimmed], validators=[
        DataRequired(message=_l("Give your e-mail address.")),
        Regexp(EMAIL, message=_l("This is not an e-mail address.")), Length(max=254)])
