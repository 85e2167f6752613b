"""Counting public searches (see the package): which requests count, their key, the buffer.

The buffer is a counter per process (a lock for threaded servers), written when it holds
``DEMAND_FLUSH_EVERY`` searches or is ``DEMAND_FLUSH_SECONDS`` old, by one upsert per key (the
counts of several processes add up). It is bounded by construction: a key is a day, one of 262
communes, a few kinds, a level and a band."""
from __future__ import annotations

import atexit
import dataclasses
import re
import threading
import time
from collections import Counter
from urllib.parse import parse_qsl, urlsplit

from flask import Flask, current_app, request
from sqlalchemy.dialects import postgresql, sqlite

from portal.demand.models import SearchCount
from portal.extensions import db
from portal.geo.gazetteer import Place, get_gazetteer
from portal.offer import rules
from portal.search.filters import CourseFilters
from portal.search.queries import SearchResults, search_courses

Key = tuple  # (day, nis_code, kinds, level, band)
BANDS = ("10", "25", "far", "none", "")
# Known robots and tools, and requests without a user agent (every browser sends one). The user
# agent is looked at here and never kept.
ROBOT = re.compile(r"bot|crawl|spider|slurp|archiver|preview|facebookexternalhit|headless|lighthouse|"
                   r"curl|wget|python|httpx|java/|go-http|okhttp|scrapy|libwww|monitor|uptime|check", re.I)
# What does not make another search of the same one: the selection, the page, the order, the language.
NOT_A_NEW_SEARCH = frozenset({"sel", "page", "sort", "lang", "back"})


def is_robot(user_agent: str | None) -> bool:
    return not user_agent or bool(ROBOT.search(user_agent))


def _search_of(query: str) -> frozenset:
    return frozenset((k, v) for k, v in parse_qsl(query, keep_blank_values=False) if k not in NOT_A_NEW_SEARCH)


def is_counted(filters: CourseFilters | None) -> bool:
    """Is this request a first page of a new public search by a person?"""
    if filters is None or filters.page != 1 or request.method != "GET":
        return False
    if is_robot(request.headers.get("User-Agent")):
        return False
    if request.headers.get("Sec-Purpose", request.headers.get("Purpose", "")).startswith("prefetch"):
        return False
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path == request.path:
        # The same search shown again (a course added to the selection, another language or order).
        return _search_of(referrer.query) != _search_of(request.query_string.decode("utf-8", "replace"))
    return True


def band_of(distance_km: float | None) -> str:
    if distance_km is None:
        return "none"
    return "10" if distance_km <= 10 else "25" if distance_km <= 25 else "far"


def nearest_band(filters: CourseFilters, results: SearchResults, nearest: SearchResults | None) -> str:
    """The band of the nearest course matching the search (whatever its radius)."""
    if results.total == 0:
        hits = nearest.hits if nearest is not None else []
        return band_of(hits[0].distance_km if hits and filters.place is not None else None)
    if filters.place is None:
        return ""
    return band_of(_nearest_match_km(filters, results))


def _nearest_match_km(filters: CourseFilters, results: SearchResults) -> float | None:
    """How far the nearest match is, for a search that found some: read from the page when it
    tells (sorted by distance, or all within 10 km), else one query for the nearest."""
    if filters.sort == "distance":
        return results.hits[0].distance_km
    if filters.radius_km is not None and filters.radius_km <= 10:
        return filters.radius_km
    closest = search_courses(dataclasses.replace(filters, radius_km=None, sort="distance", page=1, per_page=1))
    return closest.hits[0].distance_km if closest.hits else None


def commune_of(place: Place | None) -> str:
    if place is None:
        return ""
    if place.nis_code:
        return place.nis_code
    where = get_gazetteer().whereabouts(place.lat, place.lon)  # "use my position": its commune
    return where.locality.nis_code if where.inside else ""


def key_of(filters: CourseFilters, band: str) -> Key:
    return (rules.today(), commune_of(filters.place), ",".join(sorted(filters.kinds)), filters.level or "", band)


class Buffer:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: Counter = Counter()
        self.since = time.monotonic()

    def add(self, key: Key) -> bool:
        """Count a search; True when the buffer is due to be written."""
        config = current_app.config
        with self.lock:
            self.counts[key] += 1
            return (sum(self.counts.values()) >= config["DEMAND_FLUSH_EVERY"]
                    or time.monotonic() - self.since >= config["DEMAND_FLUSH_SECONDS"])

    def take(self) -> Counter:
        with self.lock:
            counts, self.counts, self.since = self.counts, Counter(), time.monotonic()
        return counts


def buffer_of(app: Flask) -> Buffer:
    return app.extensions.setdefault("search_counts", Buffer())


def note_search(filters: CourseFilters | None, results: SearchResults | None,
                nearest: SearchResults | None) -> None:
    """Count this request when it is a person's new search (see ``is_counted``)."""
    if results is None or not current_app.config["DEMAND_COUNTING"] or not is_counted(filters):
        return
    assert filters is not None
    if buffer_of(current_app._get_current_object()).add(key_of(filters, nearest_band(filters, results, nearest))):
        flush()


def flush() -> int:
    """Write the buffered counts (one upsert per key); how many searches were written."""
    counts = buffer_of(current_app._get_current_object()).take()
    if not counts:
        return 0
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    for (day, nis_code, kinds, level, band), number in sorted(counts.items()):
        statement = dialect.insert(SearchCount).values(day=day, nis_code=nis_code, kinds=kinds, level=level,
                                                       band=band, count=number)
        db.session.execute(statement.on_conflict_do_update(
            index_elements=["day", "nis_code", "kinds", "level", "band"],
            set_={"count": SearchCount.count + number}))
    db.session.commit()
    return sum(counts.values())


def register_demand(app: Flask) -> None:
    """Write what a worker still holds when it stops (gunicorn's graceful stop, a restart)."""
    if app.config["DEMAND_COUNTING"]:
        atexit.register(_flush_at_exit, app)


def _flush_at_exit(app: Flask) -> None:
    try:
        with app.app_context():
            flush()
    except Exception:  # the process is ending: a count lost is logged, never a crash
        app.logger.exception("search counts not written at exit")
