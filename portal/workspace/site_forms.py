"""The site form: a place where an operator's courses happen. The offer's rules (a Walloon postal
code, coordinates inside Wallonia) are the exchange format's; the form only checks shapes."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length, Regexp, ValidationError

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
