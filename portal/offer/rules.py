"""The rules of domain.md as plain functions, used by the search, the API and the pages.

The search query applies the same rules in SQL (``portal.search.queries``); tests check that
both agree.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from portal.offer.models import Course

VISIBLE_DAYS = 365
STALE_DAYS = 180


def today() -> dt.date:
    """Today, or the date fixed by the ``PASSERELLE_TODAY`` setting (demonstrations, tests)."""
    from flask import current_app, has_app_context

    if has_app_context():
        fixed = current_app.config.get("PASSERELLE_TODAY")
        if fixed:
            return fixed if isinstance(fixed, dt.date) else dt.date.fromisoformat(fixed)
    return dt.date.today()


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


@dataclass(frozen=True)
class NextEntry:
    start: dt.date
    status: str  # "open" or "waiting_list"


def next_entry(course: Course, on: dt.date) -> NextEntry | None:
    """Fixed: the earliest start ≥ today among entries not full; rolling: max(today, active_from)
    if that day is within the active period."""
    if course.entry_mode == "rolling":
        start = max(on, course.active_from) if course.active_from else on
        if course.active_until is not None and start > course.active_until:
            return None
        return NextEntry(start, "open")
    best: NextEntry | None = None
    for entry in course.entries:
        if entry.status == "full" or entry.start < on:
            continue
        if best is None or entry.start < best.start or (
            entry.start == best.start and entry.status == "open"
        ):
            best = NextEntry(entry.start, entry.status)
    return best


def can_start_between(course: Course, start_from: dt.date, start_until: dt.date | None) -> bool:
    """Fixed: an entry not full starts in [from, until]; rolling: the active period overlaps it."""
    if course.entry_mode == "rolling":
        if start_until is not None and course.active_from is not None and course.active_from > start_until:
            return False
        return course.active_until is None or course.active_until >= start_from
    return any(
        entry.status != "full"
        and entry.start >= start_from
        and (start_until is None or entry.start <= start_until)
        for entry in course.entries
    )


SOON_DAYS = 31


def soon_until(on: dt.date) -> dt.date:
    """Last day of "can start within a month"."""
    return on + dt.timedelta(days=SOON_DAYS)


def availability(following: NextEntry | None, on: dt.date) -> str:
    """How soon one can start: "soon" (an open entry within a month), "waiting_list" (the next
    entry only has a waiting list) or "later" (a later entry, or none known)."""
    if following is None:
        return "later"
    if following.status == "waiting_list":
        return "waiting_list"
    return "soon" if following.start <= soon_until(on) else "later"


AGEING_DAYS = 150


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
