"""The guided route never ends on nothing: the deduced search is tried within 10, 25 and 50 km; when
none of these finds a course, it gives up one wish and tries the distances again, then two, then all
three: "towards a job" first (a preference), then the time, then childcare (what makes a course
possible to follow); then the nearest courses at any distance, then any level, then any kind.

Each try is the search's own road: ``parse_filters``, then ``count_courses`` (and ``search_courses``
for the nearest course). The three distances of one set of wishes take one count, at 50 km: when it
finds courses, the nearest one says which distance is the first to find it (the same answer as
counting at 10, then 25, then 50 km). At most 11 counts, when nothing is found anywhere."""
from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, replace

from werkzeug.datastructures import MultiDict

from portal.geo.gazetteer import get_gazetteer
from portal.guide.deduction import Deduction
from portal.search.filters import CourseFilters, parse_filters
from portal.search.queries import count_courses, search_courses

RADII_KM: tuple[int, ...] = (10, 25, 50)
# What may be given up once no distance finds a course: one wish, then two, then all, in this order.
RELAXABLE: tuple[str, ...] = ("job", "time", "childcare")


@dataclass(frozen=True)
class Attempt:
    dropped: frozenset[str]  # among RELAXABLE, "level" and "kinds"
    radius_km: int | None  # None: the nearest courses, however far


def _applies(found: Deduction, name: str) -> bool:
    return {"time": found.has_time, "childcare": found.childcare, "job": found.job_oriented,
            "level": found.level is not None, "kinds": bool(found.kinds)}[name]


def attempts(found: Deduction) -> Iterator[Attempt]:
    """The searches to try, in order (only the relaxations that change something)."""
    applied = [name for name in RELAXABLE if _applies(found, name)]
    for size in range(len(applied) + 1):
        for given_up in itertools.combinations(applied, size):
            for radius in RADII_KM:
                yield Attempt(frozenset(given_up), radius)
    dropped = frozenset(applied)
    yield Attempt(dropped, None)
    for name in ("level", "kinds"):
        if _applies(found, name):
            dropped |= {name}
            yield Attempt(dropped, None)


def search_arguments(found: Deduction, near: str, attempt: Attempt) -> list[tuple[str, str]]:
    """The search's query parameters (api.md) of one attempt."""
    kept = {name for name in (*RELAXABLE, "level", "kinds") if name not in attempt.dropped and _applies(found, name)}
    wished = [
        ("radius_km", str(attempt.radius_km), attempt.radius_km is not None),
        ("kind", ",".join(found.kinds), "kinds" in kept),
        ("level", str(found.level), "level" in kept),
        ("part_of_day", ",".join(found.parts_of_day), "time" in kept and bool(found.parts_of_day)),
        ("day", ",".join(found.days), "time" in kept and bool(found.days)),
        ("childcare", "1", "childcare" in kept),
        ("job_oriented", "1", "job" in kept),
    ]
    return [("near", near), *((name, value) for name, value, wanted in wished if wanted)]


def widen(found: Deduction, near: str, today: dt.date) -> list[tuple[str, str]]:
    """The first of ``attempts`` that finds a course (the last one when none does)."""
    args: list[tuple[str, str]] = []
    groups = itertools.groupby(attempts(found), key=lambda attempt: (attempt.dropped, attempt.radius_km is None))
    for (dropped, anywhere), _same in groups:
        if anywhere:
            args = search_arguments(found, near, Attempt(dropped, None))
            if count_courses(_filters(args, today)) > 0:
                return args
            continue
        args = search_arguments(found, near, Attempt(dropped, RADII_KM[-1]))
        widest = _filters(args, today)
        if count_courses(widest) == 0:
            continue
        nearest = search_courses(replace(widest, sort="distance", per_page=1)).hits[0].distance_km or 0.0
        return search_arguments(found, near, Attempt(dropped, next(km for km in RADII_KM if km >= nearest)))
    return args


def _filters(args: list[tuple[str, str]], today: dt.date) -> CourseFilters:
    return parse_filters(MultiDict(args), get_gazetteer(), today)
