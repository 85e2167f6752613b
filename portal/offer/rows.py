"""A course's rows as the import writes them: its columns from its exchange form, the Core insert of
new courses and the Core update of changed ones, with their entries and words (the ORM's unit of
work cost more than the rest of a large import)."""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy.orm.exc import StaleDataError

from portal.db import insert_rows, update_rows
from portal.extensions import db
from portal.offer import codes, history
from portal.offer.derived import derived_columns, index_words, line_of, reindex_words
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


def course_row(data: dict[str, Any], today: dt.date) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A course's columns with its derived ones (without its operator and site), and its entries."""
    columns = course_columns(data, today)
    entries = entry_columns(data)
    derived = derived_columns(SimpleNamespace(**columns, entries=[SimpleNamespace(**e) for e in entries]), today)
    return dict(columns, **derived), entries


@dataclass
class NewCourse:
    data: dict[str, Any]
    operator: Operator
    site: Site


@dataclass
class ChangedCourse:
    data: dict[str, Any]  # as the document has it
    course: Course  # as loaded: its version is the one the update expects
    operator: Operator
    site: Site
    before: dict[str, Any]  # its exchange form before the import


class _Words:
    """The index words of courses (derived.words_of), an operator's name and a site's locality
    folded once for all their courses."""

    def __init__(self) -> None:
        self.shared: dict[tuple[int, int], list[str]] = {}

    def of(self, operator: Operator, site: Site, columns: dict[str, Any]) -> list[str]:
        key = (id(operator), id(site))
        if key not in self.shared:
            self.shared[key] = line_of(operator.name, site.locality)
        return list(dict.fromkeys(self.shared[key] + line_of(columns["title"], columns["description"])))


@functools.cache
def _written() -> list[str]:
    """What update_courses writes of a loaded Course, by attribute name: expiring these spares the
    ORM the walk through related objects that a whole expire makes. (Asked when first needed: the
    mappers are configured by then, which importing this module must not do.)"""
    return [column.key for column in Course.__mapper__.column_attrs if column.key != "id"] + ["site", "entries"]


def insert_courses(new: list[NewCourse], today: dt.date) -> list[int]:
    """Insert new courses (their operators and sites flushed) with their entries and words, by
    Core statements: the ORM's unit of work costs more than the rest of the import. Returns their
    ids, in order."""
    course_table, entry_table = Course.__table__, Entry.__table__
    rows, entries, words, words_of = [], [], [], _Words()
    for course in new:
        columns, course_entries = course_row(course.data, today)
        rows.append(dict(columns, operator_id=course.operator.id, site_id=course.site.id, version=1))
        entries.append(course_entries)
        words.append(words_of.of(course.operator, course.site, columns))
    ids = insert_rows(db.session.connection(), course_table, rows, ids_by="ref")
    entry_rows = [dict(entry, course_id=course_id) for course_id, listed_entries in zip(ids, entries, strict=True)
                  for entry in listed_entries]
    insert_rows(db.session.connection(), entry_table, entry_rows)
    index_words(dict(zip(ids, words, strict=True)))
    return ids


def update_courses(changed: list[ChangedCourse], today: dt.date) -> list[tuple[int, str, dict[str, Any]]]:
    """Update changed courses (their sites flushed) by Core statements, as the ORM did: a row is
    written only if its version is still the one loaded, which is then incremented (another save
    since raises StaleDataError, the ORM's own error); its entries replaced when they changed, its
    words re-indexed. Returns their history rows (history.change_row). The loaded Course objects
    are expired, their replaced entries forgotten: nothing stale stays in the session."""
    if not changed:
        return []
    rows, entries, words, words_of, changes = [], [], {}, _Words(), []
    replaced: set[int] = set()
    for item in changed:
        course_id = item.course.id
        columns, course_entries = course_row(item.data, today)
        rows.append(dict(columns, site_id=item.site.id, stored_id=course_id, stored_version=item.course.version))
        after = dict(item.data, confirmed_at=columns["confirmed_at"].isoformat())
        if after["entries"] != item.before["entries"]:
            replaced.add(course_id)
            entries += [dict(entry, course_id=course_id) for entry in course_entries]
        words[course_id] = words_of.of(item.operator, item.site, columns)
        changes.append(history.change_row(course_id, item.before, after))
    _update_versioned(rows)
    _replace_entries(sorted(replaced), entries)
    reindex_words(words)
    for item in changed:
        if item.course.id in replaced:
            for entry in item.course.entries:
                db.session.expunge(entry)
        db.session.expire(item.course, _written())
    return changes


def _update_versioned(rows: list[dict[str, Any]]) -> None:
    matched = update_rows(db.session.connection(), Course.__table__, rows, where=("id", "version"),
                          increment="version")
    if matched != len(rows):
        raise StaleDataError(f"UPDATE statement on table 'course' expected to update {len(rows)} row(s); "
                             f"{matched} were matched.")


def _replace_entries(course_ids: list[int], entries: list[dict[str, Any]]) -> None:
    table = Entry.__table__
    for start in range(0, len(course_ids), 500):
        db.session.execute(table.delete().where(table.c.course_id.in_(course_ids[start:start + 500])))
    insert_rows(db.session.connection(), table, entries)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
