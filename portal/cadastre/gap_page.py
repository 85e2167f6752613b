"""The gap page (``/cadastre/ecarts``): its GET form read into a ``GapQuery`` by the API's own
parser (``cadastre.gap_parameters``), the gap table of ``cadastre.gaps``, and each listed
commune's nearest course with its next entry (``rules.next_entry``, as the course page says)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from portal.cadastre.areas import WHOLE_REGION, Area, asked_area
from portal.cadastre.gap_parameters import parse_gap_query
from portal.cadastre.gaps import CommuneGap, GapQuery
from portal.extensions import db
from portal.geo.gazetteer import Gazetteer
from portal.offer import rules
from portal.offer.models import Course
from portal.search.filters import InvalidFilters

DEFAULT_KM = "20"
# The form's fields, and the API parameter each one is checked as.
FORM_FIELDS = {"kind": "kind", "level": "level", "km": "min_km"}


@dataclass
class GapForm:
    """What was typed (kept as typed), the errors by field, and the query when all is valid."""

    values: dict[str, str]
    errors: dict[str, str]
    area: Area | None = None
    query: GapQuery | None = None

    @property
    def asked(self) -> bool:
        return bool(self.values["kind"] or self.errors)


def read_form(args: MultiDict, gazetteer: Gazetteer, today: dt.date) -> GapForm:
    """The form of ``args``; nothing asked yet when no field is given (the first visit)."""
    values = {name: args.get(name, "") for name in ("kind", "level", "area")}
    values["km"] = args.get("km", DEFAULT_KM)
    form = GapForm(values, {}, asked_area(values["area"], WHOLE_REGION))
    if not any(name in args for name in ("kind", "level", "area", "km")):
        return form
    form.errors.update(_missing(values, form.area))
    try:
        query = parse_gap_query(_parameters(values, form.area), gazetteer, today)
    except InvalidFilters as exc:
        by_parameter = {parameter: name for name, parameter in FORM_FIELDS.items()}
        for error in exc.errors:
            form.errors.setdefault(by_parameter.get(error.parameter, "area"), error.message)
        return form
    form.query = None if form.errors else query
    return form


def _missing(values: dict[str, str], area: Area | None) -> dict[str, str]:
    """The errors the API's parser cannot see: an empty kind or distance, an unknown area."""
    errors = {}
    if not values["kind"].strip():
        errors["kind"] = _("Choose a kind of course.")
    if not values["km"].strip():
        errors["km"] = _("Give a distance in km, 0 or more.")
    if area is None:
        errors["area"] = _("“%(value)s” is not an area of the cadastre. Choose one in the list.", value=values["area"])
    return errors


def _parameters(values: dict[str, str], area: Area | None) -> MultiDict:
    """The API's parameters of the form's values."""
    parameters = MultiDict([(FORM_FIELDS[name], values[name]) for name in FORM_FIELDS if values[name]])
    if area is not None and area.bassin_efe:
        parameters["bassin"] = area.bassin_efe
    return parameters


@dataclass(frozen=True)
class GapRow:
    gap: CommuneGap
    next_entry: rules.NextEntry | None


def with_next_entries(gaps: list[CommuneGap], today: dt.date) -> list[GapRow]:
    """Each commune with its nearest course's next entry (None when it has none or no course)."""
    refs = {gap.nearest_course for gap in gaps if gap.nearest_course}
    courses = db.session.scalars(select(Course).where(Course.ref.in_(refs))
                                 .options(selectinload(Course.entries))).all() if refs else []
    entries = {course.ref: rules.next_entry(course, today) for course in courses}
    return [GapRow(gap, entries.get(gap.nearest_course or "")) for gap in gaps]
