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
from portal.i18n import CODES
from portal.normalise import fold, western_digits
from portal.offer import codes
from portal.search import places

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
# api.md's `lang`: the language of messages and labels (portal.i18n).
LANGUAGE_CODES = CODES
_TRUE = ("1", "true", "on", "yes")
_FALSE = ("0", "false", "off", "no", "")


@dataclass(frozen=True)
class FilterError:
    parameter: str
    message: str
    code: str = "invalid_parameter"  # or "unknown_place"
    choices: tuple[str, ...] = ()
    # What the choices are: "which" (several places bear the name) or "did_you_mean" (close names).
    choices_are: str = ""


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
    parser = _Parser(gazetteer, today)
    parser.collect(args, extra_parameters)
    kinds = parser.code_list("kind", codes.COURSE_KINDS)
    level = parser.level()
    place = parser.place()
    radius_km = parser.radius()
    start_from, start_until = parser.start_window()
    parts_of_day = parser.code_list("part_of_day", codes.PARTS_OF_DAY)
    days = parser.code_list("day", codes.DAYS)
    free, childcare, job_oriented = parser.flag("free"), parser.flag("childcare"), parser.flag("job_oriented")
    sector = parser.one_code("sector", codes.SECTORS)
    audience = parser.one_code("audience", codes.AUDIENCES)
    bassin = parser.bassin()
    q, words = parser.words()
    sort = parser.sort()
    page = parser.integer("page", 1, 100000)
    per_page = parser.integer("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    if parser.errors:
        raise InvalidFilters(parser.errors)
    return CourseFilters(
        today=today, kinds=kinds, level=level, place=place, radius_km=radius_km,
        start_from=start_from, start_until=start_until, parts_of_day=parts_of_day, days=days,
        free=free, childcare=childcare, job_oriented=job_oriented, sector=sector,
        audience=audience, bassin=bassin, words=words, q=q, sort=sort, page=page,
        per_page=per_page, args=tuple((k, v) for k, v in parser.values.items() if v),
    )


def query_values(args: Mapping[str, str] | object, name: str) -> list[str]:
    """Every value of a query parameter: a werkzeug MultiDict may hold several, a mapping one."""
    getlist = getattr(args, "getlist", None)
    if getlist is not None:
        return list(getlist(name))
    value = args.get(name)  # type: ignore[attr-defined]
    return [] if value is None else [value]


def _not_valid(value: str, choices: tuple[str, ...] | list[str]) -> str:
    return _("“%(value)s” is not valid. Choose among: %(choices)s.", value=value, choices=", ".join(choices))


class _Parser:
    """Reads one parameter at a time; each reader returns the value (or its "no restriction")
    and adds an error naming the parameter when the value is wrong."""

    def __init__(self, gazetteer: Gazetteer, today: dt.date) -> None:
        self.gazetteer, self.today = gazetteer, today
        self.errors: list[FilterError] = []
        self.values: dict[str, str] = {}

    def error(self, parameter: str, message: str, **extra: object) -> None:
        self.errors.append(FilterError(parameter, message, **extra))  # type: ignore[arg-type]

    def collect(self, args: Mapping[str, str] | object, extra_parameters: tuple[str, ...]) -> None:
        """Known parameters' raw values (lists joined by commas, single ones once, trimmed)."""
        for name in args.keys():  # type: ignore[attr-defined]
            if name in extra_parameters:
                continue
            given = [western_digits(value) for value in query_values(args, name)]
            self._collect_one(name, given)

    def _collect_one(self, name: str, given: list[str]) -> None:
        if name not in PARAMETERS:
            self.error(name, _("Unknown parameter “%(name)s”.", name=name))
        elif any("\x00" in value for value in given):
            self.error(name, _("This value contains a forbidden character."))
        elif name in LIST_PARAMETERS:
            self.values[name] = ",".join(v for v in given if v.strip())
        elif len(given) > 1:
            self.error(name, _("Give this parameter only once."))
        else:
            self.values[name] = given[0].strip()

    def code_list(self, name: str, choices: tuple[str, ...]) -> tuple[str, ...]:
        items = [item.strip() for item in self.values.get(name, "").split(",") if item.strip()]
        bad = [item for item in items if item not in choices]
        if bad:
            self.error(name, _not_valid(bad[0], choices))
            return ()
        return tuple(c for c in choices if c in items)

    def one_code(self, name: str, choices: tuple[str, ...]) -> str | None:
        raw = self.values.get(name, "")
        if raw and raw not in choices:
            self.error(name, _not_valid(raw, choices))
            return None
        return raw or None

    def flag(self, name: str) -> bool:
        raw = self.values.get(name, "").lower()
        if raw not in _TRUE and raw not in _FALSE:
            self.error(name, _("Use 1 to apply this filter."))
        return raw in _TRUE

    def date(self, name: str) -> dt.date | None:
        raw = self.values.get(name, "")
        if not raw:
            return None
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
                raise ValueError
            return dt.date.fromisoformat(raw)
        except ValueError:
            self.error(name, _("“%(value)s” is not a date. Use YYYY-MM-DD.", value=raw))
            return None

    def integer(self, name: str, default: int, maximum: int) -> int:
        raw = self.values.get(name, "")
        if not raw:
            return default
        if not re.fullmatch(r"[0-9]{1,9}", raw) or not 1 <= int(raw) <= maximum:
            self.error(name, _("Give a whole number from 1 to %(maximum)s.", maximum=maximum))
            return default
        return int(raw)

    def level(self) -> str | None:
        raw = self.values.get("level", "")
        if not raw:
            return None
        level = next((lv for lv in codes.LEVELS if lv.lower() == raw.lower()), None)
        if level is None:
            self.error("level", _("“%(value)s” is not a level. Choose among: %(choices)s.",
                                  value=raw, choices=", ".join(codes.LEVELS)))
        return level

    def place(self) -> Place | None:
        raw = self.values.get("near", "")
        if not raw:
            return None
        try:
            return self.gazetteer.resolve(raw)
        except InvalidCoordinates:
            self.error("near", _("Latitude must be between -90 and 90, longitude between -180 and 180."))
        except AmbiguousPlace as exc:
            self.error("near", _("Several places are called “%(value)s”. Choose one: %(choices)s.",
                                 value=raw, choices=", ".join(exc.choices)),
                       code="unknown_place", choices=tuple(exc.choices), choices_are="which")
        except UnknownPlace as exc:  # outside Wallonia too (places.outside_message)
            self.error("near", places.unknown_message(exc, raw), code="unknown_place",
                       choices=tuple(exc.suggestions), choices_are="did_you_mean" if exc.suggestions else "")
        return None

    def radius(self) -> float | None:
        raw = self.values.get("radius_km", "")
        if not raw:
            return None
        try:
            radius_km = float(raw.replace(",", "."))
            if not math.isfinite(radius_km) or radius_km <= 0 or radius_km > 1000:
                raise ValueError
        except ValueError:
            self.error("radius_km", _("Give a distance in km, above 0 and at most 1000."))
            return None
        if not self.values.get("near"):
            self.error("radius_km", _("A distance needs a place (near)."))
        return radius_km

    def start_window(self) -> tuple[dt.date | None, dt.date | None]:
        start_from, start_until = self.date("start_from"), self.date("start_until")
        if start_until is not None and start_until < (start_from or self.today):
            self.error("start_until", _("This date is before the start of the period."))
        return start_from, start_until

    def bassin(self) -> str | None:
        raw = self.values.get("bassin", "")
        if not raw:
            return None
        bassin = self.gazetteer.bassin(raw)
        if bassin is None:
            self.error("bassin", _("“%(value)s” is not a bassin. Choose among: %(choices)s.",
                                   value=raw, choices=", ".join(self.gazetteer.bassins)))
        return bassin

    def words(self) -> tuple[str, tuple[str, ...]]:
        """q as given, and its distinct folded words."""
        q = self.values.get("q", "")
        if len(q) > MAX_Q_LENGTH:
            self.error("q", _("The text is too long (200 characters at most)."))
            return "", ()
        words = tuple(fold(q).split())
        if len(words) > MAX_Q_WORDS:
            self.error("q", _("Give at most %(count)s words.", count=MAX_Q_WORDS))
            return q, ()
        return q, tuple(dict.fromkeys(words))

    def sort(self) -> str:
        near = self.values.get("near")
        sort = self.values.get("sort") or ("distance" if near else "next_entry")
        if sort not in SORTS:
            self.error("sort", _not_valid(sort, SORTS))
            return "next_entry"
        if sort == "distance" and not near:
            self.error("sort", _("Sorting by distance needs a place (near)."))
        return sort
