"""The searches that bench/datasette.py times, and their Datasette twins: one canned query per
kind of search, in SQL written by hand from the portal's rules (portal/offer/sql_rules.py,
portal/search/queries.py), run by Datasette on the same offer in SQLite.

A timed search is the portal's query string (``/api/v1/courses?…&per_page=20``) and, when it has
one, its twin: the canned query's name and parameters (Datasette passes every parameter to SQLite
as text, hence the CASTs). Places are resolved by the portal's own gazetteer on the client side
(Datasette has none) and passed as lat/lon with the bounding box of the radius, as a client of
Datasette would send them.
"""
from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field
from urllib.parse import urlencode

from bench.search import TITLE_WORDS, TODAY
from portal.geo.distance import KM_PER_DEGREE_LAT, bounding_box
from portal.geo.gazetteer import get_gazetteer
from portal.normalise import fold
from portal.offer import codes
from portal.offer.rules import VISIBLE_DAYS

PER_PAGE = 20
KINDS_OF_SEARCH = (
    "level+near+radius+dates",
    "kind+level+near+radius+evening",
    "near, nearest first",
    "text",
    "bassin+level(+days)",
    "next entry(+kind/part), p1-5",
)
TEXT = "text"
# The bench's title words, folded as q is (free text has no twin: it is timed on the portal only).
TEXT_WORDS = sorted({word for title in TITLE_WORDS for word in fold(title).split()})

# -- the canned queries -------------------------------------------------------------------------
# rules.is_visible: published and confirmed within VISIBLE_DAYS of today.
VISIBLE = f"c.status = 'published' AND c.confirmed_at >= date(:today, '-{VISIBLE_DAYS} days')"
# Level match on the ranks the portal stores (0 = alpha … 5 = C1).
LEVEL = "c.level_min <= CAST(:level AS INTEGER) AND c.level_max >= CAST(:level AS INTEGER)"
# rules.can_start_between with rules.is_joinable: a joinable entry (not full, registration
# deadline today or later when it has one) starting in the window, or a rolling course whose
# active period overlaps it.
CAN_START = """(
    (c.entry_mode = 'fixed' AND EXISTS (
        SELECT 1 FROM entry e
        WHERE e.course_id = c.id AND e.status != 'full'
          AND (e.registration_deadline IS NULL OR e.registration_deadline >= :today)
          AND e.start >= :start_from AND e.start <= :start_until))
    OR (c.entry_mode = 'rolling'
        AND (c.active_until IS NULL OR c.active_until >= :start_from)
        AND (c.active_from IS NULL OR c.active_from <= :start_until)))"""
# Exact great-circle distance (haversine, geopy's mean Earth radius), rounded to 0.1 km as shown.
DISTANCE = """round(6371.009 * 2 * asin(sqrt(
    power(sin((radians(s.lat) - radians(CAST(:lat AS REAL))) / 2), 2)
    + cos(radians(CAST(:lat AS REAL))) * cos(radians(s.lat))
      * power(sin((radians(s.lon) - radians(CAST(:lon AS REAL))) / 2), 2))), 1)"""
BOX = ("s.lat BETWEEN CAST(:min_lat AS REAL) AND CAST(:max_lat AS REAL) "
       "AND s.lon BETWEEN CAST(:min_lon AS REAL) AND CAST(:max_lon AS REAL)")
KINDS = "c.kind IN (:kind_a, :kind_b)"
PARTS = "(c.parts_of_day_mask & CAST(:parts_mask AS INTEGER)) != 0"
DAYS = "(c.days_mask & CAST(:days_mask AS INTEGER)) != 0"
SOME_KINDS = "c.kind IN (SELECT value FROM json_each(:kinds))"
# Ties broken by title (its folded sort key), then ref, as the API says. The soonest-start sort
# reads Course.next_start, which the daily job (run by the bench after the import) keeps true.
BY_DISTANCE = "ORDER BY distance_km, c.title_key, c.ref"
BY_NEXT_START = "ORDER BY c.next_start, c.title_key, c.ref"


def _within_radius(*conditions: str) -> str:
    where = " AND ".join((VISIBLE, *conditions, BOX, f"{DISTANCE} <= CAST(:radius AS REAL)"))
    return (f"SELECT c.ref, {DISTANCE} AS distance_km, count(*) OVER () AS total\n"
            f"FROM course c JOIN site s ON s.id = c.site_id\nWHERE {where}\n{BY_DISTANCE}\nLIMIT {PER_PAGE}")


def _nearest() -> str:
    """Nearest first without a radius, as the portal finds it: the smallest of its growing
    circles (10 km × 2.5ⁿ) that holds a page, else every match sorted (a last circle holding
    every place). The circles are tried in order and the first that holds a page is kept."""
    radii = [10.0 * 2.5 ** n for n in range(6)] + [100000.0]
    margin = f"((r + 0.1) / {KM_PER_DEGREE_LAT!r})"
    lon_margin = f"{margin} / cos(radians(min(89.9, abs(CAST(:lat AS REAL)) + {margin})))"
    box = (f"s.lat BETWEEN CAST(:lat AS REAL) - {margin} AND CAST(:lat AS REAL) + {margin} "
           f"AND s.lon BETWEEN CAST(:lon AS REAL) - {lon_margin} AND CAST(:lon AS REAL) + {lon_margin}")
    values = ", ".join(f"({r!r})" for r in radii)
    return (f"WITH radii(r) AS (VALUES {values}),\n"
            f"circle AS (SELECT r FROM radii WHERE r = {radii[-1]!r} OR (SELECT count(*) FROM (\n"
            f"  SELECT 1 FROM course c JOIN site s ON s.id = c.site_id\n"
            f"  WHERE {VISIBLE} AND {LEVEL} AND {box} AND {DISTANCE} <= r LIMIT {PER_PAGE})) >= {PER_PAGE} LIMIT 1)\n"
            f"SELECT c.ref, {DISTANCE} AS distance_km,\n"
            f"  (SELECT count(*) FROM course c WHERE {VISIBLE} AND {LEVEL}) AS total\n"
            f"FROM circle, course c JOIN site s ON s.id = c.site_id\n"
            f"WHERE {VISIBLE} AND {LEVEL} AND {box} AND {DISTANCE} <= r\n{BY_DISTANCE}\nLIMIT {PER_PAGE}")


def _bassin(*conditions: str) -> str:
    where = " AND ".join((VISIBLE, LEVEL, "s.bassin_efe = :bassin", *conditions))
    return (f"SELECT c.ref, NULL AS distance_km, count(*) OVER () AS total\n"
            f"FROM course c JOIN site s ON s.id = c.site_id\nWHERE {where}\n{BY_NEXT_START}\nLIMIT {PER_PAGE}")


def _soonest(*conditions: str) -> str:
    """The total counted apart (once), so that the page walks the next_start index (as the
    portal does from 1,000 matches on) instead of sorting every match."""
    where = " AND ".join((VISIBLE, *conditions))
    return (f"SELECT c.ref, NULL AS distance_km, (SELECT count(*) FROM course c WHERE {where}) AS total\n"
            f"FROM course c INDEXED BY ix_course_next_start\nWHERE {where}\n{BY_NEXT_START}\n"
            f"LIMIT {PER_PAGE} OFFSET CAST(:offset AS INTEGER)")


# One query per combination of filters, as the portal builds its SQL from the filters given.
CANNED_QUERIES = {
    "radius_dates": _within_radius(LEVEL, CAN_START),
    "radius_kinds_parts": _within_radius(KINDS, LEVEL, PARTS),
    "nearest": _nearest(),
    **{name: _bassin(*conditions) for name, conditions in (("bassin", ()), ("bassin_days", (DAYS,)))},
    **{name: _soonest(*conditions) for name, conditions in (
        ("soonest", ()), ("soonest_kinds", (SOME_KINDS,)), ("soonest_parts", (PARTS,)),
        ("soonest_kinds_parts", (SOME_KINDS, PARTS)))},
}


def metadata(database: str) -> dict:
    """Datasette's metadata: the canned queries of ``database``."""
    return {"title": "Passerelle bench twin",
            "databases": {database: {"queries": {name: {"sql": sql} for name, sql in CANNED_QUERIES.items()}}}}


# -- the timed searches -------------------------------------------------------------------------
@dataclass(frozen=True)
class Search:
    kind: str
    query: str  # the portal's query string
    twin: tuple[str, dict[str, str]] | None = None  # canned query and its parameters
    params: dict = field(default_factory=dict, compare=False)

    @property
    def portal_path(self) -> str:
        return f"/api/v1/courses?{self.query}"

    def twin_path(self, database: str) -> str | None:
        if self.twin is None:
            return None
        name, params = self.twin
        return f"/{database}/{name}.json?" + urlencode({**params, "_shape": "array"})


def _place_params(lat: float, lon: float, radius_km: float | None = None) -> dict[str, str]:
    params = {"lat": repr(lat), "lon": repr(lon)}
    if radius_km is not None:
        box = bounding_box(lat, lon, radius_km)
        params.update(radius=repr(radius_km), min_lat=repr(box.min_lat), max_lat=repr(box.max_lat),
                      min_lon=repr(box.min_lon), max_lon=repr(box.max_lon))
    return params


class SearchMaker:
    """bench/search.py's search_mix, each kind varied (random places, radii of 5–60 km, dates,
    pages, extra filters) so that no two searches of a whole benchmark are the same."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.seen: set[str] = set()
        gazetteer = get_gazetteer()
        self.gazetteer = gazetteer
        self.postal_codes = sorted(gazetteer.postal_codes)
        self.communes = sorted({c.name for c in gazetteer.communes.values()})
        self.localities = [loc for code in self.postal_codes for loc in gazetteer.postal_codes[code].localities]
        self.today = TODAY.isoformat()

    def searches(self, count: int) -> list[Search]:
        made = []
        while len(made) < count:
            kind = KINDS_OF_SEARCH[len(made) % len(KINDS_OF_SEARCH)]
            for _ in range(1000):
                search = self._one(kind)
                if search.query not in self.seen:
                    break
            else:
                raise SystemExit(f"Could not make another distinct search of kind {kind!r}")
            self.seen.add(search.query)
            made.append(search)
        return made

    def _one(self, kind: str) -> Search:
        level = self.rng.choice(codes.LEVELS)
        radius = round(self.rng.uniform(5, 60), 1)
        make = {
            "level+near+radius+dates": self._dates_within_radius,
            "kind+level+near+radius+evening": self._evening_within_radius,
            "near, nearest first": self._nearest_first,
            TEXT: self._text,
            "bassin+level(+days)": self._bassin,
            "next entry(+kind/part), p1-5": self._soonest,
        }[kind]
        return make(kind, level, radius)

    def _dates_within_radius(self, kind: str, level: str, radius: float) -> Search:
        code = self.rng.choice(self.postal_codes)
        until = (TODAY + dt.timedelta(days=self.rng.randint(30, 180))).isoformat()
        place = self.gazetteer.resolve(code)
        return Search(kind, urlencode({"level": level, "near": code, "radius_km": radius,
                                       "start_until": until, "per_page": PER_PAGE}),
                      ("radius_dates", {"today": self.today, "level": _rank(level), "start_from": self.today,
                                        "start_until": until, **_place_params(place.lat, place.lon, radius)}))

    def _evening_within_radius(self, kind: str, level: str, radius: float) -> Search:
        name = self.rng.choice(self.communes)
        place = self.gazetteer.resolve(name)
        return Search(kind, urlencode({"kind": "fle,alpha_nf", "level": level, "near": name, "radius_km": radius,
                                       "part_of_day": "evening", "per_page": PER_PAGE}),
                      ("radius_kinds_parts", {"today": self.today, "level": _rank(level), "kind_a": "fle",
                                              "kind_b": "alpha_nf",
                                              "parts_mask": str(codes.to_mask(["evening"], codes.PARTS_OF_DAY)),
                                              **_place_params(place.lat, place.lon, radius)}))

    def _nearest_first(self, kind: str, level: str, radius: float) -> Search:
        locality = self.rng.choice(self.localities)
        lat = round(locality.lat + self.rng.uniform(-0.02, 0.02), 5)
        lon = round(locality.lon + self.rng.uniform(-0.02, 0.02), 5)
        return Search(kind, urlencode({"near": f"{lat},{lon}", "level": level, "per_page": PER_PAGE}),
                      ("nearest", {"today": self.today, "level": _rank(level), **_place_params(lat, lon)}))

    def _text(self, kind: str, level: str, radius: float) -> Search:
        words = self.rng.sample(TEXT_WORDS, self.rng.randint(1, 3))
        return Search(kind, urlencode({"q": " ".join(words), "per_page": PER_PAGE}))

    def _bassin(self, kind: str, level: str, radius: float) -> Search:
        rng = self.rng
        bassin = rng.choice(self.gazetteer.bassins)
        days = rng.sample(codes.DAYS[:6], rng.randint(1, 3)) if rng.random() < 0.75 else []
        query = {"bassin": bassin, "level": level, "per_page": PER_PAGE}
        if days:
            query["day"] = ",".join(days)
        return Search(kind, urlencode(query),
                      ("bassin_days" if days else "bassin",
                       {"today": self.today, "level": _rank(level), "bassin": bassin,
                        **({"days_mask": str(codes.to_mask(days, codes.DAYS))} if days else {})}))

    def _soonest(self, kind: str, level: str, radius: float) -> Search:
        rng = self.rng
        page = rng.randint(1, 5)
        kinds = rng.sample(codes.COURSE_KINDS, rng.randint(1, 3)) if rng.random() < 0.5 else []
        parts = rng.sample(codes.PARTS_OF_DAY, rng.randint(1, 2)) if rng.random() < 0.5 else []
        query = {"page": page, "per_page": PER_PAGE}
        if kinds:
            query["kind"] = ",".join(kinds)
        if parts:
            query["part_of_day"] = ",".join(parts)
        return Search(kind, urlencode(query),
                      ("soonest" + ("_kinds" if kinds else "") + ("_parts" if parts else ""),
                       {"today": self.today, "offset": str((page - 1) * PER_PAGE),
                        **({"kinds": json.dumps(kinds)} if kinds else {}),
                        **({"parts_mask": str(codes.to_mask(parts, codes.PARTS_OF_DAY))} if parts else {})}))


def _rank(level: str) -> str:
    return str(codes.level_rank(level))
