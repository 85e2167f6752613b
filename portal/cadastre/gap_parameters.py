"""Parse the gap table's query parameters (api.md) once into a ``GapQuery``.

``kind``, ``level`` and ``bassin`` go through the search's own parser (the same codes, spaces,
cases, repeats and errors); ``min_km`` is read here; any other parameter is unknown, ``lang``
aside (the API checks it). Every problem names its parameter.
"""
from __future__ import annotations

import datetime as dt
import math
import re

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from portal.cadastre.gaps import GapQuery
from portal.geo.gazetteer import Gazetteer
from portal.normalise import western_digits
from portal.offer import codes
from portal.search.filters import FilterError, InvalidFilters, parse_filters, query_values

GAP_PARAMETERS = ("kind", "level", "bassin", "min_km")
# Not read here: the API's language of messages.
OTHER_PARAMETERS = ("lang",)
# A decimal number, a comma for the point as the search's radius_km takes it ("2,5"), an exponent.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def parse_gap_query(args: object, gazetteer: Gazetteer, today: dt.date) -> GapQuery:
    """Validate query parameters (a werkzeug MultiDict) into a GapQuery. Raises InvalidFilters
    with one error per bad parameter."""
    errors = [FilterError(name, _("Unknown parameter “%(name)s”.", name=name))
              for name in args.keys()  # type: ignore[attr-defined]
              if name not in GAP_PARAMETERS + OTHER_PARAMETERS]
    try:
        filters = parse_filters(_only(args, ("kind", "level", "bassin")), gazetteer, today)
    except InvalidFilters as exc:
        errors += exc.errors
        filters = None
    if filters is not None and not filters.kinds:
        errors.append(FilterError("kind", _("Choose at least one kind of course: %(choices)s.",
                                            choices=", ".join(codes.COURSE_KINDS))))
    min_km = _min_km(args, errors)
    if errors:
        raise InvalidFilters(errors)
    assert filters is not None
    return GapQuery(kinds=filters.kinds, level=filters.level, bassin=filters.bassin, min_km=min_km)


def _only(args: object, names: tuple[str, ...]) -> MultiDict:
    """The parameters ``names`` of ``args``, every value kept (repeats are the parser's to judge)."""
    return MultiDict([(name, value) for name, value in args.items(multi=True)  # type: ignore[attr-defined]
                      if name in names])


def _min_km(args: object, errors: list[FilterError]) -> float | None:
    """A finite number ≥ 0, or None when not given (an empty value is not given)."""
    given = [western_digits(value).strip() for value in query_values(args, "min_km")]
    if len(given) > 1:
        errors.append(FilterError("min_km", _("Give this parameter only once.")))
        return None
    if not given or not given[0]:
        return None
    value = float(given[0].replace(",", ".")) if _NUMBER.fullmatch(given[0]) else math.nan
    if not math.isfinite(value) or value < 0:
        errors.append(FilterError("min_km", _("Give a distance in km, 0 or more.")))
        return None
    return value
