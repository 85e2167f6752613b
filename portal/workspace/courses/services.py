"""Writing one course from the workspace form: the same validation and the same write path as
the import (``passerelle-offer/1``), so that a course is never valid in one and not the other."""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from portal.extensions import db
from portal.forms import FormErrors, form_errors
from portal.geo.gazetteer import get_gazetteer
from portal.normalise import slug
from portal.offer.exchange import FORMAT, course_dict, operator_dict
from portal.offer.models import Course, Operator
from portal.offer.refs import unique_ref
from portal.offer.services import WriteConflict, import_offer
from portal.offer.validation import OfferDocumentError
from portal.workspace.sites.services import new_site_ref

# New refs tried when other saves take them at the same moment (each try sees the earlier ones).
REF_ATTEMPTS = 3


class EditConflict(Exception):
    """Someone saved the course since this form was opened."""


class CourseErrors(FormErrors):
    """The course form's errors, keyed by field name ("title", "entries-1-start")."""


class RefsTaken(CourseErrors):
    """Every new ref tried was taken by other saves at the same moment."""


def new_ref(operator: Operator, title: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A readable ref not used yet (nor in ``taken``): operator ref + title words (+ a number)."""
    return unique_ref(Course, f"{operator.ref}-{slug(title) or 'cours'}"[:110], taken)


def save_course(operator: Operator, data: dict[str, Any], today: dt.date, *, actor: Any = None,
                expected_version: int | None = None, entry_rows: list[int] | None = None,
                new: bool = False, new_site: dict[str, Any] | None = None) -> Course:
    """Create or update the course ``data`` (exchange form, ref included) of ``operator``; saving
    confirms it today; ``new_site`` (exchange form, ref included) is written with it, all or
    nothing. Raises CourseErrors, or EditConflict when ``expected_version`` is stale, or
    WriteConflict when the course is ``new`` and its ref was taken meanwhile."""
    course = db.session.scalar(select(Course).where(Course.ref == data["ref"]))
    if course is not None and expected_version is not None and course.version != expected_version:
        raise EditConflict()
    course_data = dict(data, confirmed_at=today.isoformat())
    document = {"format": FORMAT, "operators": [
        {**operator_dict(operator, with_children=False), "sites": [new_site] if new_site else [],
         "courses": [course_data]}]}
    try:
        import_offer(document, get_gazetteer(), today, actor=actor, source="form",
                     new_courses=(data["ref"],) if new else ())
    except OfferDocumentError as exc:
        raise _field_errors(exc.errors, entry_rows or []) from exc
    except StaleDataError as exc:
        db.session.rollback()
        raise EditConflict() from exc
    return db.session.scalar(select(Course).where(Course.ref == data["ref"]))


def create_course(operator: Operator, data: dict[str, Any], today: dt.date, *, actor: Any = None,
                  entry_rows: list[int] | None = None, ref_title: str | None = None,
                  new_site: dict[str, Any] | None = None) -> Course:
    """Save ``data`` (exchange form, without ref) as a new course of ``operator`` under a new ref
    made from ``ref_title`` (else its title), at ``new_site`` (exchange form, without ref) when the
    operator had no site yet. Two saves of the same title at the same moment both succeed: the one
    whose ref was taken meanwhile takes the next. Raises CourseErrors (also when every ref tried was
    taken)."""
    for _attempt in range(REF_ATTEMPTS):
        ref = new_ref(operator, ref_title if ref_title is not None else data.get("title") or "")
        site = None
        if new_site is not None:
            site = dict(new_site, ref=new_site_ref(operator, new_site.get("locality"), new_site.get("name")))
            data = dict(data, site=site["ref"])
        try:
            return save_course(operator, dict(data, ref=ref), today, actor=actor, entry_rows=entry_rows, new=True,
                               new_site=site)
        except WriteConflict:
            continue
    raise RefsTaken(other=[_("Other courses with this title were saved at the same moment: yours was not. "
                             "Save again.")])


def course_plain_words() -> tuple[tuple[str, str], ...]:
    """The exchange format's messages (English, for files) said for the form's users."""
    return (
        ("is above level_max", _("The lowest level is above the highest level.")),
        ("is before start", _("The end is before the start.")),
        ("is before active_from", _("This date is before the first day.")),
        ("a rolling course has no entries",
         _("A rolling entry has no start dates: clear them or choose fixed dates.")),
        ("only a rolling course has an active period",
         _("Fixed start dates have no rolling period: clear these dates.")),
    )


def _field_errors(errors: list[str], entry_rows: list[int]) -> CourseErrors:
    """The import's errors beside the form's fields: the course's, and the new place's (its fields
    are new_site_street, new_site_postal_code…)."""
    site_path = "operators[0].sites[0]"
    site_errors = [error for error in errors if error.startswith(site_path)]
    found = form_errors([error for error in errors if not error.startswith(site_path)], "operators[0].courses[0]",
                        known=course_plain_words(), rows={"entries": entry_rows}, into=CourseErrors)
    for name, messages in form_errors(site_errors, site_path).fields.items():
        found.fields.setdefault(f"new_site_{name}", []).extend(messages)
    return found


def copy_of(course: Course, today: dt.date) -> dict[str, Any]:
    """A draft copy of ``course`` (without ref: ``create_course`` gives it one)."""
    data = {key: value for key, value in course_dict(course).items() if key != "ref"}
    data.update(title=f"{course.title} (copie)"[:200], status="draft", confirmed_at=today.isoformat())
    return data
