"""The course pages of the workspace: add, edit, duplicate, archive a course; its history."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.extensions import db
from portal.forms import ConfirmForm
from portal.offer import rules
from portal.offer.exchange import course_dict
from portal.offer.history import changes_of
from portal.offer.models import Course
from portal.permissions import course_for, may, operator_for, signed_in
from portal.search.queries import describe
from portal.workspace import bp
from portal.workspace.courses.forms import course_data, course_form, new_site_data
from portal.workspace.courses.presenters import conflict_rows, field_changes
from portal.workspace.courses.services import (
    CourseErrors,
    EditConflict,
    RefsTaken,
    copy_of,
    create_course,
    save_course,
)


def _render_course_form(operator, form, course=None, errors=None, conflict=None, status=200):
    preview = describe(course, rules.today()) if course is not None else None
    return render_template("workspace/courses/form.html", operator=operator, form=form, course=course,
                           errors=errors or CourseErrors(), conflict=conflict, preview=preview,
                           today=rules.today(), action_form=ConfirmForm()), status


def _render_conflict(operator, form, mine, ref):
    """Someone saved the course meanwhile: both versions side by side, the form keeping ``mine``."""
    current = db.session.scalar(select(Course).where(Course.ref == ref))
    places = {choice.value: choice.label for choice in form.site.choices}
    rows = conflict_rows(mine, course_dict(current), places)
    return _render_course_form(operator, form, current, conflict=rows, status=409)


def _save(operator, form, course=None):
    ref = course.ref if course is not None else None
    data, rows = course_data(form, ref)
    version = (form.version.data or "").strip()
    expected = int(version) if course is not None and version.isascii() and version.isdigit() else None
    try:
        if course is None:
            saved = create_course(operator, data, rules.today(), actor=current_user, entry_rows=rows,
                                  new_site=new_site_data(form))
        else:
            saved = save_course(operator, data, rules.today(), actor=current_user, expected_version=expected,
                                entry_rows=rows)
    except RefsTaken as errors:
        db.session.rollback()
        return _render_course_form(operator, form, course, errors=errors, status=409)
    except EditConflict:
        db.session.rollback()
        return _render_conflict(operator, form, data, ref)
    except CourseErrors as errors:
        db.session.rollback()
        return _render_course_form(operator, form, course, errors=errors, status=400)
    return redirect(url_for("workspace.course_edit", ref=saved.ref, saved=1))


@bp.route("/organismes/<ref>/cours/nouveau", methods=["GET", "POST"])
@signed_in
def course_new(ref: str):
    operator = operator_for(ref, "create_course")
    form = course_form(operator, formdata=request.form if request.method == "POST" else None)
    if request.method == "POST":
        if not form.validate_on_submit():
            return _render_course_form(operator, form, status=400)
        return _save(operator, form)
    return _render_course_form(operator, form)


@bp.route("/cours/<ref>/modifier", methods=["GET", "POST"])
@signed_in
def course_edit(ref: str):
    course = course_for(ref, "edit_course")
    form = course_form(course.operator, course, formdata=request.form if request.method == "POST" else None)
    if request.method == "POST":
        if not form.validate_on_submit():
            return _render_course_form(course.operator, form, course, status=400)
        return _save(course.operator, form, course)
    return _render_course_form(course.operator, form, course)


@bp.post("/cours/<ref>/dupliquer")
@signed_in
def course_duplicate(ref: str):
    course = course_for(ref, "edit_course")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        copy = create_course(course.operator, copy_of(course, rules.today()), rules.today(), actor=current_user,
                             ref_title=course.title)
    except RefsTaken:  # other copies took every ref tried at the same moment: nothing was saved
        db.session.rollback()
        abort(409)
    return redirect(url_for("workspace.course_edit", ref=copy.ref, copied=1))


@bp.post("/cours/<ref>/archiver")
@signed_in
def course_archive(ref: str):
    course = course_for(ref, "edit_course")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    save_course(course.operator, dict(course_dict(course), status="archived"), rules.today(), actor=current_user)
    return redirect(url_for("workspace.operator", ref=course.operator.ref))


@bp.get("/cours/<ref>/historique")
@signed_in
def course_history(ref: str):
    course = course_for(ref, "view_course")
    changes = [(change, field_changes(change)) for change in changes_of(course.id)]
    return render_template("workspace/courses/history.html", course=course, changes=changes,
                           may_edit=may(current_user, "edit_course", course))
