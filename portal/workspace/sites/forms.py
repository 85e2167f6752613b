"""The site form: shapes only; a Walloon postal code and coordinates inside Wallonia are the
exchange format's rules."""
from __future__ import annotations

import re
from typing import Any

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length, Regexp, ValidationError

from portal.forms import CheckboxList
from portal.geo.gazetteer import get_gazetteer
from portal.language_names import language_choices
from portal.normalise import blank_to_none
from portal.offer.codes import MAX_RECEPTION_LANGUAGES, PORTAL_LANGUAGES, split_language_codes
from portal.offer.exchange import site_dict
from portal.offer.models import Site
from portal.workspace.sites.queries import address_point

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
    # The portal's languages as checkboxes (choices named in the page's language: see site_form),
    # any other ISO 639-1 code typed.
    reception_languages = CheckboxList(_l("Languages spoken at the reception"), choices=[])
    other_languages = StringField(_l("Other languages"), validators=[Length(max=200)],
                                  render_kw={"autocomplete": "off", "spellcheck": "false"})

    def validate_other_languages(self, field) -> None:
        _known, unknown = split_language_codes(field.data or "")
        if unknown:
            raise ValidationError(_("“%(words)s”: write language codes of two letters (ISO 639-1), for example "
                                     "pl es (fa for Dari).", words=" ".join(unknown)[:60]))
        if len(self.languages()) > MAX_RECEPTION_LANGUAGES:
            raise ValidationError(_("At most %(max)s languages.", max=MAX_RECEPTION_LANGUAGES))

    def languages(self) -> list[str]:
        """The languages ticked (in the portal's order), then the codes typed, each once."""
        ticked = [code for code in PORTAL_LANGUAGES if code in (self.reception_languages.data or [])]
        typed, _unknown = split_language_codes(self.other_languages.data or "")
        return ticked + [code for code in typed if code not in ticked]

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


def site_form(site: Site | None = None) -> SiteForm:
    """The site form: what was typed (POST), else the stored site. Coordinates the gazetteer chose
    stay empty, so that a new address moves the site."""
    if request.method == "POST":
        form = SiteForm(formdata=request.form)
    else:
        data = site_dict(site) if site is not None else {}
        if site is not None and not site.coordinates_given:
            data["lat"] = data["lon"] = None
        spoken = data.get("reception_languages", [])
        data["reception_languages"] = [code for code in spoken if code in PORTAL_LANGUAGES]
        data["other_languages"] = " ".join(code for code in spoken if code not in PORTAL_LANGUAGES)
        form = SiteForm(formdata=None, data=data)
    form.reception_languages.choices = language_choices(PORTAL_LANGUAGES)
    return form


def site_data(form: SiteForm, ref: str) -> dict[str, Any]:
    """The form as a site of the exchange format (the locality in the gazetteer's spelling when
    it knows it)."""
    postal_code = (form.postal_code.data or "").strip()
    locality = blank_to_none(form.locality.data)
    point = address_point(get_gazetteer(), postal_code, locality)
    if point is not None and point.locality:
        locality = point.locality
    lat, lon = form.coordinates()
    return {"ref": ref, "name": blank_to_none(form.name.data), "street": blank_to_none(form.street.data),
            "postal_code": postal_code, "locality": locality, "lat": lat, "lon": lon,
            "wheelchair_accessible": bool(form.wheelchair_accessible.data),
            "transit_note": blank_to_none(form.transit_note.data), "reception_languages": form.languages()}
