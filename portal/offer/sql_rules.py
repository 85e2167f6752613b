"""The rules of ``rules.py`` as SQL expressions, for the search query and bulk updates.
Tests check that both forms agree."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, case, exists, func, literal, or_, select
from sqlalchemy.sql.elements import ColumnElement

from portal.offer import rules
from portal.offer.models import Course, Entry


def visible_condition(today: dt.date) -> ColumnElement[bool]:
    """SQL form of rules.is_visible."""
    return and_(Course.status == "published", Course.confirmed_at >= rules.visible_since(today))


def joinable_condition(today: dt.date) -> ColumnElement[bool]:
    """SQL form of rules.is_joinable (on Entry rows)."""
    return and_(Entry.status != "full",
                or_(Entry.registration_deadline.is_(None), Entry.registration_deadline >= today))


def can_start_condition(start_from: dt.date, start_until: dt.date | None, today: dt.date) -> ColumnElement[bool]:
    """SQL form of rules.can_start_between."""
    entry_window = [Entry.course_id == Course.id, joinable_condition(today), Entry.start >= start_from]
    if start_until is not None:
        entry_window.append(Entry.start <= start_until)
    rolling = [or_(Course.active_until.is_(None), Course.active_until >= start_from)]
    if start_until is not None:
        rolling.append(or_(Course.active_from.is_(None), Course.active_from <= start_until))
    return or_(
        and_(Course.entry_mode == "fixed", exists().where(*entry_window)),
        and_(Course.entry_mode == "rolling", *rolling),
    )


def next_entry_sql(today: dt.date) -> ColumnElement[Any]:
    """SQL form of rules.next_entry (the date only), for sorting."""
    today_value = literal(today, type_=Course.confirmed_at.type)
    fixed = (
        select(func.min(Entry.start))
        .where(Entry.course_id == Course.id, joinable_condition(today), Entry.start >= today)
        .correlate(Course)
        .scalar_subquery()
    )
    rolling_start = case((Course.active_from > today, Course.active_from), else_=today_value)
    rolling = case(
        (and_(Course.active_until.is_not(None), rolling_start > Course.active_until), None),
        else_=rolling_start,
    )
    return case((Course.entry_mode == "rolling", rolling), else_=fixed)
