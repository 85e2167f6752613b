"""What a person can do now about each course of an area, counted: the API's ``entries_state``
(joinable, registration closed, full, none) and, among joinable courses, whether the next entry is
open or has a waiting list.

The rule is not written again here: each course goes through ``rules.next_entry`` and
``rules.entries_state``, as the API's items do. Only what those functions read is loaded — the
entry mode, the active period, and the entries starting today or later (they look at no other) —
and courses that cannot differ are told once: rolling courses with the same active period, and
fixed courses without an upcoming entry.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from sqlalchemy import Select, func, select

from portal.extensions import db
from portal.offer import rules
from portal.offer.models import Course, Entry

# Narrows a SELECT on courses to the visible courses of an area (portal.cadastre.coverage).
Scope = Callable[[Select], Select]


@dataclass(frozen=True)
class CourseDates:
    """What ``rules.next_entry`` and ``rules.entries_state`` read of a course."""

    entry_mode: str
    active_from: dt.date | None = None
    active_until: dt.date | None = None
    entries: tuple[Any, ...] = ()  # rows with start, status, registration_deadline


@dataclass
class StateCounts:
    """Courses per ``rules.ENTRIES_STATES``, and the joinable ones per status of their next entry."""

    states: Counter = field(default_factory=Counter)
    next_entry: Counter = field(default_factory=Counter)  # "open" / "waiting_list"

    def add(self, dates: CourseDates, on: dt.date, courses: int = 1) -> None:
        """Tell ``courses`` courses with these dates, through the rules."""
        following = rules.next_entry(dates, on)  # type: ignore[arg-type]  # reads only CourseDates' fields
        self.states[rules.entries_state(dates, on, following)] += courses  # type: ignore[arg-type]
        if following is not None:
            self.next_entry[following.status] += courses


def entries_states(scope: Scope, on: dt.date) -> StateCounts:
    """The courses of ``scope`` per entries_state, and the joinable ones per next entry's status."""
    counts = StateCounts()
    for active_from, active_until, courses in db.session.execute(scope(
            select(Course.active_from, Course.active_until, func.count())
            .where(Course.entry_mode == "rolling")
            .group_by(Course.active_from, Course.active_until))):
        counts.add(CourseDates("rolling", active_from, active_until), on, courses)
    fixed = db.session.scalar(scope(select(func.count()).select_from(Course).where(Course.entry_mode == "fixed")))
    with_entries = 0
    for entries in _upcoming_entries(scope, on):
        counts.add(CourseDates("fixed", entries=entries), on)
        with_entries += 1
    if fixed - with_entries:
        counts.add(CourseDates("fixed"), on, fixed - with_entries)
    return counts


def _upcoming_entries(scope: Scope, on: dt.date) -> Iterable[tuple[Any, ...]]:
    """Each fixed course's entries starting on ``on`` or later (courses without any left out)."""
    rows = db.session.execute(scope(
        select(Entry.course_id, Entry.start, Entry.status, Entry.registration_deadline)
        .join(Course, Course.id == Entry.course_id)
        .where(Course.entry_mode == "fixed", Entry.start >= on)
        .order_by(Entry.course_id)))
    for _course_id, entries in groupby(rows, key=lambda row: row.course_id):
        yield tuple(entries)
