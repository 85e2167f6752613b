"""The rules of domain.md as plain functions, used by the search, the API and the pages.

The search query applies the same rules in SQL (``portal.search.queries``); tests check that
both agree.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from portal.offer.models import Course, Entry

VISIBLE_DAYS = 365
STALE_DAYS = 180


# "Today" is the date in Wallonia, whatever the server's clock zone.
BRUSSELS = ZoneInfo("Europe/Brussels")


def today() -> dt.date:
    """Today in Wallonia (Europe/Brussels), or the date fixed by the ``PASSERELLE_TODAY`` setting
    (demonstrations, tests)."""
    from flask import current_app, has_app_context

    if has_app_context():
        fixed = current_app.config.get("PASSERELLE_TODAY")
        if fixed:
            return fixed if isinstance(fixed, dt.date) else dt.date.fromisoformat(fixed)
    return _now(BRUSSELS).date()


def _now(zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.now(zone)


def visible_since(on: dt.date) -> dt.date:
    """Oldest confirmation date that still shows a course in public search on day ``on``."""
    return on - dt.timedelta(days=VISIBLE_DAYS)


def stale_before(on: dt.date) -> dt.date:
    """Courses confirmed before this day are shown as stale on day ``on``."""
    return on - dt.timedelta(days=STALE_DAYS)


def is_visible(course: Course, on: dt.date) -> bool:
    """Published and confirmed within the last 365 days."""
    return course.status == "published" and course.confirmed_at >= visible_since(on)


def is_stale(course: Course, on: dt.date) -> bool:
    """Confirmed more than 180 days ago."""
    return course.confirmed_at < stale_before(on)


def level_matches(level_rank: int, level_min: int, level_max: int) -> bool:
    """A learner at level L matches a course when level_min ≤ L ≤ level_max (ranks)."""
    return level_min <= level_rank <= level_max


def is_joinable(entry: Entry, on: dt.date) -> bool:
    """Not full, and its registration deadline (when it has one) is today or later."""
    return entry.status != "full" and (entry.registration_deadline is None or entry.registration_deadline >= on)


# What a person can do about one entry: its status, or "closed" when its deadline has passed.
ENTRY_STATES: tuple[str, ...] = ("open", "waiting_list", "full", "closed")


def entry_state(entry: Entry, on: dt.date) -> str:
    """"open", "waiting_list", "full", or "closed" (not full, but its deadline has passed)."""
    return entry.status if entry.status == "full" or is_joinable(entry, on) else "closed"


@dataclass(frozen=True)
class NextEntry:
    start: dt.date
    status: str  # "open" or "waiting_list"
    registration_deadline: dt.date | None = None


def _preference(entry: Entry) -> tuple:
    # The same start twice: open before waiting list, then no deadline, then the latest deadline.
    return (entry.start, entry.status != "open", entry.registration_deadline is not None,
            -(entry.registration_deadline or dt.date.max).toordinal())


def next_entry(course: Course, on: dt.date) -> NextEntry | None:
    """Fixed: the earliest start ≥ today among joinable entries; rolling: max(today, active_from)
    if that day is within the active period."""
    if course.entry_mode == "rolling":
        start = max(on, course.active_from) if course.active_from else on
        if course.active_until is not None and start > course.active_until:
            return None
        return NextEntry(start, "open")
    candidates = [entry for entry in course.entries if entry.start >= on and is_joinable(entry, on)]
    if not candidates:
        return None
    best = min(candidates, key=_preference)
    return NextEntry(best.start, best.status, best.registration_deadline)


ENTRIES_STATES: tuple[str, ...] = ("joinable", "registration_closed", "full", "none")


def entries_state(course: Course, on: dt.date, following: NextEntry | None = None) -> str:
    """What a person can do now (api.md): "joinable" with a next entry; else "registration_closed"
    when an upcoming entry (start ≥ today) only missed its deadline; else "full" when an upcoming
    entry is full; else "none". ``following``: next_entry(course, on), when already known."""
    following = following if following is not None else next_entry(course, on)
    if following is not None:
        return "joinable"
    if course.entry_mode == "rolling":
        return "none"
    upcoming = [entry for entry in course.entries if entry.start >= on]
    if any(entry.status != "full" for entry in upcoming):
        return "registration_closed"  # not full and not joinable: its deadline has passed
    return "full" if upcoming else "none"


def can_start_between(course: Course, start_from: dt.date, start_until: dt.date | None, on: dt.date) -> bool:
    """Fixed: a joinable entry (as of ``on``, today) starts in [from, until]; rolling: the active
    period overlaps it."""
    if course.entry_mode == "rolling":
        if start_until is not None and course.active_from is not None and course.active_from > start_until:
            return False
        return course.active_until is None or course.active_until >= start_from
    return any(
        is_joinable(entry, on)
        and entry.start >= start_from
        and (start_until is None or entry.start <= start_until)
        for entry in course.entries
    )


SOON_DAYS = 31


def soon_until(on: dt.date) -> dt.date:
    """Last day of "can start within a month"."""
    return on + dt.timedelta(days=SOON_DAYS)


AVAILABILITIES: tuple[str, ...] = ("soon", "waiting_list", "later", "closed", "full")


def availability(following: NextEntry | None, on: dt.date, state: str = "joinable") -> str:
    """How one can start, as the cards and the map show it: "soon" (an open entry within a
    month), "waiting_list" (the next entry only has a waiting list), "later" (a later entry, or
    none known), "closed" (registrations closed for every upcoming session) or "full"."""
    if state == "registration_closed":
        return "closed"
    if state == "full":
        return "full"
    if following is None:
        return "later"
    if following.status == "waiting_list":
        return "waiting_list"
    return "soon" if following.start <= soon_until(on) else "later"


AGEING_DAYS = 150
FRESHNESS: tuple[str, ...] = ("fresh", "ageing", "stale", "hidden")


def freshness(course: Course, on: dt.date) -> str:
    """"fresh", "ageing" (stale in less than a month), "stale" (shown with a warning) or
    "hidden" (no longer in public search) — how long since the operator confirmed it."""
    age = (on - course.confirmed_at).days
    if age > VISIBLE_DAYS:
        return "hidden"
    if age > STALE_DAYS:
        return "stale"
    if age > AGEING_DAYS:
        return "ageing"
    return "fresh"
