"""Bulk imports: an operator's courses (CSV, XLSX, JSON) and a bassin's cadastre (JSON). Every
write goes through the exchange format's all-or-nothing import."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from portal import labels
from portal.bulk import files, sheet, site_columns
from portal.bulk.files import FileRefused, Problem
from portal.bulk.sheet import SheetCourses
from portal.extensions import db
from portal.geo.gazetteer import get_gazetteer
from portal.normalise import ref_key
from portal.offer.exchange import FORMAT, course_dict, operator_dict, refs_in
from portal.offer.history import CourseChange
from portal.offer.models import Course, Operator, Site
from portal.offer.services import ImportSummary, NewerChange, NewerChanges, WriteConflict, import_offer
from portal.offer.validation import MAX_PROBLEMS, OfferDocumentError
from portal.permissions import operator_bassins
from portal.workspace.courses.services import new_ref


@dataclass
class BulkOutcome:
    """What an import did: its problems (then nothing was written; ``stopped``: there were more,
    ``conflict``: the file would undo newer changes or met another save), else its counts."""

    problems: list[Problem] = field(default_factory=list)
    summary: ImportSummary | None = None
    checked_only: bool = False
    stopped: bool = False
    conflict: bool = False


# -- imports ----------------------------------------------------------------------------------
def import_operator_file(operator: Operator, filename: str, data: bytes, today: dt.date, *,
                         actor: Any = None, check_only: bool = False, overwrite: bool = False) -> BulkOutcome:
    """Import an operator's courses from a CSV, XLSX or ``passerelle-offer/1`` JSON file: all or
    nothing, every problem by row and column (or JSON path). ``check_only`` writes nothing;
    ``actor`` is the user, for the courses' history; without ``overwrite``, a file that would undo
    changes made since it was exported is refused."""
    try:
        kind = files.file_format(filename, data)
        content = files.read_upload(kind, data)
    except FileRefused as refused:
        return BulkOutcome(refused.problems)
    if kind == "json":
        return _run(content, today, _other_operators(content, operator), None, check_only=check_only,
                    actor=actor, source="file", overwrite=overwrite)
    stored = {course.ref: course_dict(course) for course in _courses_of(operator)}
    found = sheet.courses_from_sheet(content, stored, lambda title, taken: new_ref(operator, title, taken))
    sites, site_problems = site_columns.sites_of_rows(found.site_cells, {site.ref: site for site in operator.sites})
    document = {"format": FORMAT, "operators": [
        {**operator_dict(operator, with_children=False), "sites": sites, "courses": found.courses}]}
    return _run(document, today, found.problems + site_problems, found, check_only=check_only, actor=actor,
                source="file", overwrite=overwrite)


def import_bassin_file(bassin: str, filename: str, data: bytes, today: dt.date, *,
                       actor: Any = None, check_only: bool = False, overwrite: bool = False) -> BulkOutcome:
    """Import a bassin's cadastre from a ``passerelle-offer/1`` JSON file: every site in the bassin,
    operators new or already there; all or nothing. ``check_only`` writes nothing; without
    ``overwrite``, a file that would undo newer changes is refused."""
    try:
        if files.file_format(filename, data) != "json":
            raise FileRefused(Problem(_("A bassin's cadastre is imported from a passerelle-offer/1 JSON file "
                                        "(.json).")))
        document = files.read_upload("json", data)
    except FileRefused as refused:
        return BulkOutcome(refused.problems)
    return _run(document, today, _outside_bassin(document, bassin), None, check_only=check_only, actor=actor,
                source="bassin", overwrite=overwrite)


def _run(document: Any, today: dt.date, problems: list[Problem], rows: SheetCourses | None, *, check_only: bool,
         actor: Any, source: str, overwrite: bool) -> BulkOutcome:
    """Import ``document`` (or only check it, when asked or when ``problems`` were already found),
    adding the import's own problems, by row (``rows``: the sheet's courses) or by JSON path; at
    most MAX_PROBLEMS of them."""
    if _course_count(document) > files.MAX_ROWS:
        return BulkOutcome([Problem(_("The file has more than %(max)s courses: split it.", max=files.MAX_ROWS))])
    problems = problems[:MAX_PROBLEMS]
    if len(problems) == MAX_PROBLEMS or (rows is not None and rows.stopped):
        return BulkOutcome(sorted(problems, key=Problem.sort_key), stopped=True)
    versions, made_refs = (rows.versions, rows.made_refs) if rows is not None else (None, ())
    try:
        # With problems already found, the import still runs (rolled back) to list its own too.
        summary = import_offer(document, get_gazetteer(), today, actor=actor, source=source,
                               check_only=check_only or bool(problems), max_errors=MAX_PROBLEMS - len(problems),
                               keep_newer=not overwrite, versions=versions, new_courses=made_refs)
    except (OfferDocumentError, NewerChanges) as exc:
        return _refused(exc, problems, rows)
    except (WriteConflict, StaleDataError):
        db.session.rollback()
        return BulkOutcome([Problem(_("Someone saved some of the same courses at the same moment: nothing was "
                                      "saved from this file. Look at your courses, then import it again."))],
                           conflict=True)
    if problems:
        return BulkOutcome(sorted(problems, key=Problem.sort_key))
    return BulkOutcome([], summary, check_only)


def _refused(exc: OfferDocumentError | NewerChanges, problems: list[Problem], rows: SheetCourses | None) -> BulkOutcome:
    """The import's own problems after the file's: the format's errors, or the courses changed
    since the file was made (a conflict when they are the only reason)."""
    if isinstance(exc, OfferDocumentError):
        found = sheet.json_problems(exc.errors) if rows is None else sheet.sheet_problems(exc.errors, rows.numbers,
                                                                                        rows.courses)
        return BulkOutcome(sorted(problems + found, key=Problem.sort_key), stopped=exc.stopped)
    newer = exc.changes[:MAX_PROBLEMS - len(problems)]
    return BulkOutcome(sorted(problems + _newer_problems(newer, rows), key=Problem.sort_key),
                       stopped=len(newer) < len(exc.changes), conflict=not problems)


def _newer_problems(changes: list[NewerChange], rows: SheetCourses | None) -> list[Problem]:
    """Each course the file would undo newer changes of: when it changed, by whom and how (as its
    history says), by row (``rows``) or JSON path."""
    last = _last_changes([change.course_id for change in changes])
    problems = []
    for change in changes:
        record = last.get(change.course_id)
        advice = _("Importing the file would undo that change: download a new export and make your changes in it, "
                   "or tick “Overwrite the newer changes”.")
        if record is None:
            message = _("The course “%(ref)s” was confirmed on %(date)s, after this file was made.", ref=change.ref,
                        date=format_date(change.confirmed_at, "long"))
        elif record.user_email:
            message = _("The course “%(ref)s” was changed on %(when)s by %(who)s (%(how)s), after this file was "
                        "made.", ref=change.ref, when=format_datetime(record.at, "long"), who=record.user_email,
                        how=labels.label(labels.CHANGE_SOURCES, record.source))
        else:
            message = _("The course “%(ref)s” was changed on %(when)s (%(how)s), after this file was made.",
                        ref=change.ref, when=format_datetime(record.at, "long"),
                        how=labels.label(labels.CHANGE_SOURCES, record.source))
        index = int(change.path.rsplit("[", 1)[1].rstrip("]"))
        if rows is not None and index < len(rows.numbers):
            problems.append(Problem(f"{message} {advice}", row=rows.numbers[index], column="ref"))
        else:
            problems.append(Problem(f"{message} {advice}", path=change.path))
    return problems


def _last_changes(course_ids: list[int]) -> dict[int, CourseChange]:
    """The latest recorded change of each of these courses."""
    found: dict[int, CourseChange] = {}
    for start in range(0, len(course_ids), 500):
        latest = (select(func.max(CourseChange.id)).where(CourseChange.course_id.in_(course_ids[start:start + 500]))
                  .group_by(CourseChange.course_id))
        found.update((change.course_id, change) for change in
                     db.session.scalars(select(CourseChange).where(CourseChange.id.in_(latest))))
    return found


def _course_count(document: Any) -> int:
    return len(refs_in(document)[2])


def _courses_of(operator: Operator) -> list[Course]:
    return list(db.session.scalars(select(Course).where(Course.operator_id == operator.id).options(
        selectinload(Course.entries), selectinload(Course.site))))


def _operators_in(document: Any) -> Iterable[tuple[int, dict[str, Any]]]:
    operators = document.get("operators") if isinstance(document, dict) else None
    for index, operator in enumerate(operators if isinstance(operators, list) else []):
        if isinstance(operator, dict):
            yield index, operator


def _items(operator: dict[str, Any], key: str) -> Iterable[tuple[int, dict[str, Any]]]:
    items = operator.get(key)
    for index, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict):
            yield index, item


def _other_operators(document: Any, operator: Operator) -> list[Problem]:
    """A file imported into an operator's workspace holds that operator only."""
    problems, found = [], False
    for index, data in _operators_in(document):
        if _ref(data.get("ref")) == operator.ref:
            found = True
        else:
            problems.append(Problem(_("This file is for the operator “%(other)s”: only “%(ref)s” can be imported "
                                      "here.", other=sheet.quoted(str(data.get("ref"))), ref=operator.ref),
                                    path=f"operators[{index}].ref"))
    if not found and not problems and isinstance(document, dict) and isinstance(document.get("operators"), list):
        problems.append(Problem(_("The file holds no operator “%(ref)s”.", ref=operator.ref), path="operators"))
    return problems


def _ref(value: Any) -> str | None:
    return ref_key(value) if isinstance(value, str) else None


def _by_ref(model: type, refs: Iterable[str], *options: Any) -> dict[str, Any]:
    refs, found = sorted(set(refs)), {}
    for start in range(0, len(refs), 500):
        query = select(model).where(model.ref.in_(refs[start:start + 500])).options(*options)
        found.update((obj.ref, obj) for obj in db.session.scalars(query))
    return found


def _outside_bassin(document: Any, bassin: str) -> list[Problem]:
    """What a bassin's import may not touch: sites elsewhere, operators present only elsewhere."""
    boundary = _BassinBoundary(document, bassin)
    problems = []
    for o_index, operator in _operators_in(document):
        path = f"operators[{o_index}]"
        problems += boundary.operator_problems(operator, path)
        for s_index, site in _items(operator, "sites"):
            problems += boundary.site_problems(site, f"{path}.sites[{s_index}]")
        own = {_ref(site.get("ref")) for _i, site in _items(operator, "sites")}
        for c_index, course in _items(operator, "courses"):
            problems += boundary.course_problems(course, own, f"{path}.courses[{c_index}]")
    return problems


class _BassinBoundary:
    """The stored operators, sites and courses a bassin's document names, and what of them lies
    outside the bassin."""

    def __init__(self, document: Any, bassin: str) -> None:
        self.bassin, self.gazetteer = bassin, get_gazetteer()
        operator_refs, site_refs, course_refs = refs_in(document)
        course_sites = [_ref(c.get("site")) for _i, o in _operators_in(document) for _j, c in _items(o, "courses")]
        self.operators = _by_ref(Operator, operator_refs)
        self.sites = _by_ref(Site, site_refs + [ref for ref in course_sites if ref])
        self.courses = _by_ref(Course, course_refs, selectinload(Course.site))

    def operator_problems(self, operator: dict[str, Any], path: str) -> list[Problem]:
        stored = self.operators.get(_ref(operator.get("ref")))
        if stored is None:
            return []
        bassins = operator_bassins(stored)
        if self.bassin not in bassins:
            return [Problem(_("The operator “%(ref)s” has no site in the bassin %(bassin)s: only its own users or an "
                              "admin can change it.", ref=stored.ref, bassin=self.bassin), path=f"{path}.ref")]
        elsewhere = ", ".join(sorted(bassins - {self.bassin}))
        if not elsewhere:
            return []
        # Its name and contact are shown in other bassins too: they are not this bassin's to change.
        current = operator_dict(stored, with_children=False)
        return [Problem(_("The operator “%(ref)s” also gives courses in %(other)s: only its own users or an admin "
                          "can change its %(field)s.", ref=stored.ref, other=elsewhere, field=key),
                        path=f"{path}.{key}")
                for key in sorted(set(current) - {"ref"}) if operator.get(key) != current[key]]

    def site_problems(self, site: dict[str, Any], path: str) -> list[Problem]:
        problems = []
        postal = (self.gazetteer.postal_code(site["postal_code"]) if isinstance(site.get("postal_code"), str)
                  else None)
        if postal is not None and postal.bassin_efe != self.bassin:
            problems.append(Problem(_("%(code)s is in the bassin %(other)s, not in %(bassin)s.", code=postal.code,
                                      other=postal.bassin_efe, bassin=self.bassin), path=f"{path}.postal_code"))
        found = self.sites.get(_ref(site.get("ref")))
        if found is not None and found.bassin_efe != self.bassin:
            problems.append(Problem(_("The site “%(ref)s” is in the bassin %(other)s.", ref=found.ref,
                                      other=found.bassin_efe), path=f"{path}.ref"))
        return problems

    def course_problems(self, course: dict[str, Any], own_sites: set[str | None], path: str) -> list[Problem]:
        problems = []
        found = self.sites.get(_ref(course.get("site")))
        if _ref(course.get("site")) not in own_sites and found is not None and found.bassin_efe != self.bassin:
            problems.append(Problem(_("The site “%(ref)s” is in the bassin %(other)s.", ref=found.ref,
                                      other=found.bassin_efe), path=f"{path}.site"))
        kept = self.courses.get(_ref(course.get("ref")))
        if kept is not None and kept.site.bassin_efe != self.bassin:
            problems.append(Problem(_("The course “%(ref)s” is given in the bassin %(other)s.", ref=kept.ref,
                                      other=kept.site.bassin_efe), path=f"{path}.ref"))
        return problems
