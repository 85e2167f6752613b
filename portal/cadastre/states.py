"""What a person can do now about each course of an area, counted: the API's ``entries_state``
(joinable, registration closed, full, none) and, among joinable courses, whether the next entry is
open or has a waiting list.

The rule is not written again here: each course goes through ``rules.next_entry`` and
``rules.entries_state``, as the API's items do. Only what those functions read is loaded — the
entry mode, the active period, and the entries starting today or later (they look at no other) —
and an outcome that depends on nothing else is asked once: rolling courses with the same active
period, fixed courses without an upcoming entry.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import Select, select

from portal.extensions import db
from portal.offer import rules
from portal.offer.models import Course, Entry

# Narrows a SELECT on courses to the visible courses of an area (portal.cadastre.coverage).
Scope = Callable[[Select], Select]


class EntryDates(NamedTuple):
    """What the rules read of an entry (a plain tuple: the rules read its fields often)."""

    start: dt.date
    status: str
    registration_deadline: dt.date | None


class CourseDates(NamedTuple):
    """What ``rules.next_entry`` and ``rules.entries_state`` read of a course (a tuple: one is made
    per course)."""

    entry_mode: str
    active_from: dt.date | None = None
    active_until: dt.date | None = None
    entries: Sequence[EntryDates] = ()  # its entries starting on the day counted or later


def outcome(dates: CourseDates, on: dt.date) -> tuple[str, str | None]:
    """The course's entries_state, and its next entry's status (None without a next entry)."""
    following = rules.next_entry(dates, on)  # type: ignore[arg-type]  # reads only CourseDates' fields
    return rules.entries_state(dates, on, following), (following.status if following else None)  # type: ignore[arg-type]


@dataclass
class StateCounts:
    """Courses per ``rules.ENTRIES_STATES``, and the joinable ones per status of their next entry."""

    on: dt.date
    states: Counter = field(default_factory=Counter)
    next_entry: Counter = field(default_factory=Counter)  # "open" / "waiting_list"
    _known: dict[tuple, tuple[str, str | None]] = field(default_factory=dict)

    def add(self, entry_mode: str, active_from: dt.date | None, active_until: dt.date | None,
            upcoming: Sequence[EntryDates]) -> bool:
        """Count one course: its entry mode, active period and upcoming entries. True when the
        course is under pressure: full, or its next session has a waiting list."""
        if entry_mode == "fixed" and upcoming:
            state, status = outcome(CourseDates(entry_mode, entries=upcoming), self.on)
        else:  # the rules read nothing else of these
            key = (entry_mode, active_from, active_until)
            if key not in self._known:
                self._known[key] = outcome(CourseDates(entry_mode, active_from, active_until), self.on)
            state, status = self._known[key]
        self.states[state] += 1
        if status is not None:
            self.next_entry[status] += 1
        return state == "full" or status == "waiting_list"


def upcoming_entries(scope: Scope, on: dt.date) -> dict[int, list[EntryDates]]:
    """Each fixed course's entries starting on ``on`` or later, by course id (courses without any
    left out)."""
    found: defaultdict[int, list[EntryDates]] = defaultdict(list)
    rows = db.session.connection().execute(scope(
        select(Entry.course_id, Entry.start, Entry.status, Entry.registration_deadline)
        .join(Course, Course.id == Entry.course_id)
        .where(Course.entry_mode == "fixed", Entry.start >= on))).all()  # read whole: see coverage.coverage
    for course_id, start, status, deadline in rows:
        found[course_id].append(EntryDates(start, status, deadline))
    return found
