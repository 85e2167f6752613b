"""Parse search parameters once into a frozen ``CourseFilters`` shared by the API and the pages.

Every problem names its parameter; unknown places have their own code (api.md, "Errors").
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import gettext as _

from portal.geo.gazetteer import AmbiguousPlace, Gazetteer, InvalidCoordinates, Place, UnknownPlace
from portal.normalise import fold
from portal.offer import codes

SORTS = ("distance", "next_entry", "title")
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
# q: words as separated by spaces once accents are removed (api.md).
MAX_Q_LENGTH = 200
MAX_Q_WORDS = 10
LIST_PARAMETERS = ("kind", "part_of_day", "day")
SINGLE_PARAMETERS = (
    "level", "near", "radius_km", "start_from", "start_until", "free", "childcare",
    "job_oriented", "sector", "audience", "bassin", "q", "sort", "page", "per_page",
)
PARAMETERS = LIST_PARAMETERS + SINGLE_PARAMETERS
# api.md's `lang`: the language of messages and labels. Those not translated yet answer in French.
LANGUAGE_CODES = ("fr", "nl", "de", "en", "ar", "fa-AF", "ps", "ti", "uk", "ru", "tr")
_TRUE = ("1", "true", "on", "yes")
_FALSE = ("0", "false", "off", "no", "")


@dataclass(frozen=True)
class FilterError:
    parameter: str
    message: str
    code: str = "invalid_parameter"  # or "unknown_place"
    choices: tuple[str, ...] = ()


class InvalidFilters(ValueError):
    def __init__(self, errors: list[FilterError]):
        super().__init__(errors[0].message)
        self.errors = errors

    @property
    def first(self) -> FilterError:
        return self.errors[0]


@dataclass(frozen=True)
class CourseFilters:
    """A validated search. Empty filters mean "no restriction"."""

    today: dt.date
    kinds: tuple[str, ...] = ()
    level: str | None = None
    place: Place | None = None
    radius_km: float | None = None
    start_from: dt.date | None = None
    start_until: dt.date | None = None
    parts_of_day: tuple[str, ...] = ()
    days: tuple[str, ...] = ()
    free: bool = False
    childcare: bool = False
    job_oriented: bool = False
    sector: str | None = None
    audience: str | None = None
    bassin: str | None = None
    words: tuple[str, ...] = ()
    q: str = ""
    sort: str = "next_entry"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    # The query parameters as given (validated), to build links to other pages and sorts.
    args: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @property
    def start_window(self) -> tuple[dt.date, dt.date | None] | None:
        """[from, until] of "can start", or None when neither bound is given."""
        if self.start_from is None and self.start_until is None:
            return None
        return (self.start_from or self.today, self.start_until)

    @property
    def level_rank(self) -> int | None:
        return codes.level_rank(self.level) if self.level else None


def language_error(args: object) -> FilterError | None:
    """The error of a ``lang`` parameter (given twice, or not a language of api.md), if any.
    Empty means "not given", as for the other parameters."""
    given = args.getlist("lang")  # type: ignore[attr-defined]
    if len(given) > 1:
        return FilterError("lang", _("Give this parameter only once."))
    if given and given[0] and given[0] not in LANGUAGE_CODES:
        return FilterError("lang", _("“%(value)s” is not valid. Choose among: %(choices)s.",
                                     value=given[0], choices=", ".join(LANGUAGE_CODES)))
    return None


def parse_filters(args: Mapping[str, str] | object, gazetteer: Gazetteer, today: dt.date,
                  *, extra_parameters: tuple[str, ...] = ()) -> CourseFilters:
    """Validate query parameters (a werkzeug MultiDict or a plain mapping) into CourseFilters.
    Raises InvalidFilters with one error per bad parameter, in parameter order."""
    errors: list[FilterError] = []
    values: dict[str, str] = {}
    getlist = getattr(args, "getlist", None)
    for name in args.keys():  # type: ignore[attr-defined]
        given = getlist(name) if getlist else [args[name]]  # type: ignore[index]
        if name in extra_parameters:
            continue
        if name not in PARAMETERS:
            errors.append(FilterError(name, _("Unknown parameter “%(name)s”.", name=name)))
            continue
        if any("\x00" in value for value in given):
            errors.append(FilterError(name, _("This value contains a forbidden character.")))
            continue
        if name in LIST_PARAMETERS:
            values[name] = ",".join(v for v in given if v.strip())
        elif len(given) > 1:
            errors.append(FilterError(name, _("Give this parameter only once.")))
        else:
            values[name] = given[0].strip()

    def code_list(name: str, choices: tuple[str, ...]) -> tuple[str, ...]:
        raw = values.get(name, "")
        items = [item.strip() for item in raw.split(",") if item.strip()]
        bad = [item for item in items if item not in choices]
        if bad:
            errors.append(FilterError(name, _("“%(value)s” is not valid. Choose among: %(choices)s.",
                                              value=bad[0], choices=", ".join(choices))))
            return ()
        return tuple(c for c in choices if c in items)

    def one_code(name: str, choices: tuple[str, ...]) -> str | None:
        raw = values.get(name, "")
        if not raw:
            return None
        if raw not in choices:
            errors.append(FilterError(name, _("“%(value)s” is not valid. Choose among: %(choices)s.",
                                              value=raw, choices=", ".join(choices))))
            return None
        return raw

    def flag(name: str) -> bool:
        raw = values.get(name, "").lower()
        if raw in _TRUE:
            return True
        if raw not in _FALSE:
            errors.append(FilterError(name, _("Use 1 to apply this filter.")))
        return False

    def date(name: str) -> dt.date | None:
        raw = values.get(name, "")
        if not raw:
            return None
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
                raise ValueError
            return dt.date.fromisoformat(raw)
        except ValueError:
            errors.append(FilterError(name, _("“%(value)s” is not a date. Use YYYY-MM-DD.", value=raw)))
            return None

    def integer(name: str, default: int, maximum: int) -> int:
        raw = values.get(name, "")
        if not raw:
            return default
        if not re.fullmatch(r"[0-9]{1,9}", raw) or not 1 <= int(raw) <= maximum:
            errors.append(FilterError(name, _("Give a whole number from 1 to %(maximum)s.", maximum=maximum)))
            return default
        return int(raw)

    kinds = code_list("kind", codes.COURSE_KINDS)
    level = None
    if values.get("level"):
        level = next((lv for lv in codes.LEVELS if lv.lower() == values["level"].lower()), None)
        if level is None:
            errors.append(FilterError("level", _("“%(value)s” is not a level. Choose among: %(choices)s.",
                                                 value=values["level"], choices=", ".join(codes.LEVELS))))
    place = None
    if values.get("near"):
        try:
            place = gazetteer.resolve(values["near"])
        except InvalidCoordinates:
            errors.append(FilterError(
                "near", _("Latitude must be between -90 and 90, longitude between -180 and 180.")))
        except AmbiguousPlace as exc:
            errors.append(FilterError("near", _("Several places are called “%(value)s”. Choose one: %(choices)s.",
                                                value=values["near"], choices=", ".join(exc.choices)),
                                      code="unknown_place", choices=tuple(exc.choices)))
        except UnknownPlace:
            errors.append(FilterError("near", _("We do not know the place “%(value)s” in Wallonia. "
                                                "Give a postal code or a commune.", value=values["near"]),
                                      code="unknown_place"))
    radius_km = None
    if values.get("radius_km"):
        try:
            radius_km = float(values["radius_km"].replace(",", "."))
            if not math.isfinite(radius_km) or radius_km <= 0 or radius_km > 1000:
                raise ValueError
        except ValueError:
            radius_km = None
            errors.append(FilterError("radius_km", _("Give a distance in km, above 0 and at most 1000.")))
        if radius_km is not None and not values.get("near"):
            errors.append(FilterError("radius_km", _("A distance needs a place (near).")))
    start_from, start_until = date("start_from"), date("start_until")
    if start_until is not None and start_until < (start_from or today):
        errors.append(FilterError("start_until", _("This date is before the start of the period.")))
    parts_of_day = code_list("part_of_day", codes.PARTS_OF_DAY)
    days = code_list("day", codes.DAYS)
    free, childcare, job_oriented = flag("free"), flag("childcare"), flag("job_oriented")
    sector = one_code("sector", codes.SECTORS)
    audience = one_code("audience", codes.AUDIENCES)
    bassin = None
    if values.get("bassin"):
        bassin = gazetteer.bassin(values["bassin"])
        if bassin is None:
            errors.append(FilterError("bassin", _("“%(value)s” is not a bassin. Choose among: %(choices)s.",
                                                  value=values["bassin"], choices=", ".join(gazetteer.bassins))))
    q = values.get("q", "")
    if len(q) > MAX_Q_LENGTH:
        errors.append(FilterError("q", _("The text is too long (200 characters at most).")))
        q = ""
    words = tuple(fold(q).split())
    if len(words) > MAX_Q_WORDS:
        errors.append(FilterError("q", _("Give at most %(count)s words.", count=MAX_Q_WORDS)))
        words = ()
    words = tuple(dict.fromkeys(words))
    sort = values.get("sort") or ("distance" if values.get("near") else "next_entry")
    if sort not in SORTS:
        errors.append(FilterError("sort", _("“%(value)s” is not valid. Choose among: %(choices)s.",
                                            value=sort, choices=", ".join(SORTS))))
        sort = "next_entry"
    elif sort == "distance" and not values.get("near"):
        errors.append(FilterError("sort", _("Sorting by distance needs a place (near).")))
    page = integer("page", 1, 100000)
    per_page = integer("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    if errors:
        raise InvalidFilters(errors)
    return CourseFilters(
        today=today, kinds=kinds, level=level, place=place, radius_km=radius_km,
        start_from=start_from, start_until=start_until, parts_of_day=parts_of_day, days=days,
        free=free, childcare=childcare, job_oriented=job_oriented, sector=sector,
        audience=audience, bassin=bassin, words=words, q=q, sort=sort, page=page,
        per_page=per_page, args=tuple((k, v) for k, v in values.items() if v),
    )
