"""Reads of the alerts: the search an alert stands for, and the joinable entries it finds.

The courses come from the public search itself (``parse_filters`` and ``search_courses``, the one
road of the pages, the API and the map); which of their entries one can join comes from the
domain's rule (``rules.is_joinable``, ``rules.next_entry``). Nothing here decides what matches."""
from __future__ import annotations

import dataclasses
import datetime as dt
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from portal.alerts.models import Alert, AlertNotice
from portal.extensions import db
from portal.geo.gazetteer import get_gazetteer
from portal.offer import rules
from portal.offer.models import Course
from portal.search.filters import MAX_PER_PAGE, PARAMETERS, CourseFilters, InvalidFilters, parse_filters
from portal.search.presenters import chips_for
from portal.search.queries import search_courses

# An alert reads at most this many courses of its search per run, soonest start first: an alert
# is for a person's search (a place, a level…), and a broader one still hears of the soonest.
MAX_COURSES = 300
# Not part of what an alert is about: the order and the page of the results.
NOT_STORED = ("sort", "page", "per_page")


@dataclasses.dataclass(frozen=True)
class Match:
    """A joinable entry of a course that an alert's search finds."""

    course: Course
    key: str  # AlertNotice.entry_key
    start: dt.date  # the first day one can start
    status: str  # "open" or "waiting_list"
    deadline: dt.date | None = None

    @property
    def rolling(self) -> bool:
        return self.key.startswith("rolling:")


def search_of(query: str, today: dt.date) -> CourseFilters:
    """The validated search of a stored query (raises InvalidFilters when it no longer is one)."""
    return parse_filters(MultiDict(parse_qsl(query)), get_gazetteer(), today)


def query_of(filters: CourseFilters) -> str:
    """What an alert stores of a search: its validated parameters without order and page, in one
    spelling (the API's order of parameters, codes as the API writes them), so that the same
    search asked twice is the same alert."""
    canonical = {
        "kind": ",".join(filters.kinds), "part_of_day": ",".join(filters.parts_of_day), "day": ",".join(filters.days),
        "level": filters.level, "bassin": filters.bassin, "free": "1" if filters.free else "",
        "childcare": "1" if filters.childcare else "", "job_oriented": "1" if filters.job_oriented else "",
        "radius_km": f"{filters.radius_km:g}" if filters.radius_km is not None else "",
    }
    items = []
    for name, value in sorted(filters.args, key=lambda item: PARAMETERS.index(item[0])):
        value = canonical.get(name, value)
        if name not in NOT_STORED and value:
            items.append((name, value))
    return urlencode(items)


def describe(filters: CourseFilters) -> list[str]:
    """The search in words, one item per filter (the chips of the results page, in the current
    language); empty for a search without filters."""
    return [chip.label for chip in chips_for(filters, MultiDict(filters.args), lambda args, **changes: "")]


def words_of(query: str) -> list[str]:
    """An alert's search in words (nothing when it is no longer a valid search)."""
    try:
        return describe(search_of(query, rules.today()))
    except InvalidFilters:
        return []


def joinable_matches(filters: CourseFilters) -> list[Match]:
    """Every joinable entry (as of ``filters.today``) of the courses the search finds, soonest
    start first, for MAX_COURSES courses at most; one per course and start day."""
    matches: dict[tuple[int, str], Match] = {}
    search = dataclasses.replace(filters, sort="next_entry", per_page=MAX_PER_PAGE)
    for page in range(1, MAX_COURSES // MAX_PER_PAGE + 1):
        results = search_courses(dataclasses.replace(search, page=page))
        for hit in results.hits:
            for match in entries_of(hit.course, filters):
                matches.setdefault((match.course.id, match.key), match)
        if page >= results.pages:
            break
    return list(matches.values())


def entry_key(course: Course, start: dt.date) -> str:
    """How an alert (and the feed) names an entry: its start day; for a course one can start any
    day, its active period's first day (the day one starts moves every day, the period does not)."""
    if course.entry_mode == "rolling":
        return f"rolling:{course.active_from.isoformat() if course.active_from else '-'}"
    return start.isoformat()


def entries_of(course: Course, filters: CourseFilters) -> list[Match]:
    """The course's entries one can join today that start in the search's window (if it has one)."""
    today = filters.today
    if course.entry_mode == "rolling":
        following = rules.next_entry(course, today)
        if following is None:
            return []
        return [Match(course, entry_key(course, following.start), following.start, following.status)]
    window = filters.start_window
    return [Match(course, entry_key(course, entry.start), entry.start, entry.status, entry.registration_deadline)
            for entry in course.entries
            if entry.start >= today and rules.is_joinable(entry, today)
            and (window is None or (window[0] <= entry.start and (window[1] is None or entry.start <= window[1])))]


def known_entries(alert: Alert) -> set[tuple[int, str]]:
    """(course id, entry key) of every entry the alert already met."""
    return {(course_id, key) for course_id, key in db.session.execute(
        select(AlertNotice.course_id, AlertNotice.entry_key).where(AlertNotice.alert_id == alert.id))}


def asked_since(email: str, since: dt.datetime) -> int:
    """Alerts asked for this address since then (each one sent a confirmation e-mail)."""
    return db.session.scalar(select(func.count(Alert.id)).where(Alert.email == email, Alert.created_at >= since)) or 0


def confirmed_alerts_of(email: str) -> int:
    return db.session.scalar(select(func.count(Alert.id)).where(
        Alert.email == email, Alert.confirmed_at.is_not(None))) or 0


def same_alert(alert: Alert) -> Alert | None:
    """Another confirmed alert of the same address for the same search in the same language."""
    return db.session.scalar(select(Alert).where(
        Alert.email == alert.email, Alert.query == alert.query, Alert.language == alert.language,
        Alert.confirmed_at.is_not(None), Alert.id != alert.id).limit(1))


def alerts_to_run(now: dt.datetime) -> list[int]:
    """The ids of the confirmed alerts still running."""
    return list(db.session.scalars(select(Alert.id).where(Alert.confirmed_at.is_not(None), Alert.expires_at > now)
                                   .order_by(Alert.id)))
