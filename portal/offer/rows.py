"""A course's rows as the import writes them: its columns from its exchange form (the ORM's updates
and the Core inserts share them), and the Core insert of new courses with their entries and words
(the ORM's unit of work cost more than the rest of a large import)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from portal.db import insert_rows
from portal.extensions import db
from portal.offer import codes
from portal.offer.derived import derived_columns, index_words, line_of
from portal.offer.models import Course, Entry, Operator, Site

_COPIED = ("ref", "title", "kind", "level_note", "registration", "registration_note", "job_oriented", "description",
           "hours_per_week", "cost_eur", "childcare", "requires_job_seeker_registration",
           "requires_valid_residence_permit", "entry_test", "entry_mode", "status")


def course_columns(data: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """A course's own columns from its exchange form (without its operator, site and entries)."""
    columns = {key: data[key] for key in _COPIED}
    columns.update(
        level_min=codes.level_rank(data["level_min"]), level_max=codes.level_rank(data["level_max"]),
        sectors_mask=codes.to_mask(data["sectors"], codes.SECTORS),
        prepares_for_mask=codes.to_mask(data["prepares_for"], codes.PREPARES_FOR),
        days_mask=codes.to_mask(data["days"], codes.DAYS),
        parts_of_day_mask=codes.to_mask(data["parts_of_day"], codes.PARTS_OF_DAY),
        audiences_mask=codes.to_mask(data["audiences"], codes.AUDIENCES),
        active_from=_date(data["active_from"]), active_until=_date(data["active_until"]),
        confirmed_at=_date(data["confirmed_at"]) or today,
    )
    return columns


def entry_columns(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"start": _date(entry["start"]), "end": _date(entry["end"]),
             "registration_deadline": _date(entry["registration_deadline"]), "status": entry["status"]}
            for entry in data["entries"]]


@dataclass
class NewCourse:
    data: dict[str, Any]
    operator: Operator
    site: Site


def insert_courses(new: list[NewCourse], today: dt.date) -> list[int]:
    """Insert new courses (their operators and sites flushed) with their entries and words, by
    Core statements: the ORM's unit of work costs more than the rest of the import. Returns their
    ids, in order."""
    course_table, entry_table = Course.__table__, Entry.__table__
    rows, entries, words = [], [], []
    shared: dict[tuple[int, int], list[str]] = {}  # the words of an operator's name and a site's locality
    for course in new:
        columns = course_columns(course.data, today)
        course_entries = entry_columns(course.data)
        derived = derived_columns(SimpleNamespace(**columns, entries=[SimpleNamespace(**e) for e in course_entries]),
                                  today)
        rows.append(dict(columns, **derived, operator_id=course.operator.id, site_id=course.site.id, version=1))
        entries.append(course_entries)
        key = (id(course.operator), id(course.site))
        if key not in shared:
            shared[key] = line_of(course.operator.name, course.site.locality)
        words.append(list(dict.fromkeys(shared[key] + line_of(columns["title"], columns["description"]))))
    ids = insert_rows(db.session.connection(), course_table, rows, ids_by="ref")
    entry_rows = [dict(entry, course_id=course_id) for course_id, listed_entries in zip(ids, entries, strict=True)
                  for entry in listed_entries]
    insert_rows(db.session.connection(), entry_table, entry_rows)
    index_words(dict(zip(ids, words, strict=True)))
    return ids


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
