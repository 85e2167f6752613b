"""Workspace pages: parse, authorise (permissions), call one function, render."""
from __future__ import annotations

import datetime as dt

from flask import abort, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from portal.accounts.onboarding import pending_signups
from portal.extensions import db
from portal.forms import ConfirmForm, FormErrors
from portal.offer import rules
from portal.offer.exchange import course_dict
from portal.offer.history import changes_of
from portal.offer.models import Course
from portal.permissions import (
    bassins_of,
    course_for,
    may,
    operator_for,
    operators_seen_by,
    require,
    signed_in,
    signups_reviewed_by,
)
from portal.reminders.queries import last_reminders
from portal.search.queries import describe
from portal.workspace import bp
from portal.workspace.courses import (
    CourseErrors,
    EditConflict,
    RefsTaken,
    copy_of,
    create_course,
    save_course,
)
from portal.workspace.forms import BLANK_ENTRY_ROWS, CourseForm, OperatorForm
from portal.workspace.history import field_changes
from portal.workspace.queries import freshness_counts, operator_offer, operators_overview
from portal.workspace.services import confirm_all, save_operator
from portal.workspace.sites import site_rows


@bp.get("/")
@signed_in
def dashboard():
    if current_user.operator is not None:  # an operator's user: its own page is its home
        return redirect(url_for("workspace.operator", ref=current_user.operator.ref))
    require("list_operators")
    overviews = operators_overview(operators_seen_by(current_user), rules.today())
    return render_template("workspace/operators.html", bassin=current_user.bassin_efe, overviews=overviews,
                           reminded=last_reminders([o.operator.id for o in overviews]),
                           cadastre_bassins=bassins_of(current_user, "import_cadastre"),
                           pending_signups=pending_signups(signups_reviewed_by(current_user)))


@bp.get("/organismes/<ref>")
@signed_in
def operator(ref: str):
    found = operator_for(ref, "view_operator")
    today = rules.today()
    confirmed = request.args.get("confirmed", type=int)
    message = None if confirmed is None else ngettext(
        "%(num)s course confirmed today.", "%(num)s courses confirmed today.", confirmed)
    rows = operator_offer(found, today)
    return render_template("workspace/operator.html", operator=found, today=today, rows=rows,
                           freshness=freshness_counts(rows), sites=site_rows(found),
                           closed=[row.course for row in rows if row.needs_next_session], confirm_form=ConfirmForm(),
                           may_confirm=may(current_user, "confirm_courses", found), confirmed=message,
                           reminded=last_reminders([found.id]).get(found.id))


@bp.post("/organismes/<ref>/tout-est-correct")
@signed_in
def confirm(ref: str):
    found = operator_for(ref, "confirm_courses")
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    count = confirm_all(found, rules.today(), actor=current_user)
    return redirect(url_for("workspace.operator", ref=found.ref, confirmed=count))


# -- courses -----------------------------------------------------------------------------------
def _form_for(operator, course=None, formdata=None) -> CourseForm:
    """The course form, filled from the stored course (or defaults), with blank entry rows."""
    data = course_dict(course) if course is not None else {
        "status": "draft", "entry_mode": "fixed", "cost_eur": 0, "audiences": ["all"], "entries": []}
    if course is not None:
        data["version"] = course.version
    rows = [dict(entry) for entry in data.get("entries", [])] + [{} for _ in range(BLANK_ENTRY_ROWS)]
    for row in rows:
        for key in ("start", "end", "registration_deadline"):
            if row.get(key):
                row[key] = dt.date.fromisoformat(row[key])
    for key in ("active_from", "active_until"):
        if data.get(key):
            data[key] = dt.date.fromisoformat(data[key])
    data["entries"] = rows
    form = CourseForm(formdata=formdata, data=data)
    form.site.choices = [
        SelectChoice(site.ref, f"{site.name or site.street or ''} — {site.postal_code} {site.locality}".strip(" —"))
        for site in operator.sites]
    return form


def _exchange_data(form: CourseForm, ref: str | None) -> tuple[dict, list[int]]:
    """The form as a course of the exchange format, and the form rows of the entries kept."""
    entries, rows = [], []
    for index, row in enumerate(form.entries.entries):
        if row.form.start.data or row.form.end.data or row.form.registration_deadline.data:
            entries.append({key: (row.form[key].data.isoformat() if row.form[key].data else None)
                            for key in ("start", "end", "registration_deadline")} | {"status": row.form.status.data})
            rows.append(index)
    text = lambda value: (value or "").strip() or None  # noqa: E731
    iso = lambda value: value.isoformat() if value else None  # noqa: E731
    data = {
        "ref": ref, "site": form.site.data, "title": (form.title.data or "").strip(), "kind": form.kind.data,
        "level_min": form.level_min.data, "level_max": form.level_max.data, "level_note": text(form.level_note.data),
        "registration": form.registration.data, "registration_note": text(form.registration_note.data),
        "job_oriented": form.job_oriented.data, "sectors": form.sectors.data or [],
        "prepares_for": form.prepares_for.data or [], "description": text(form.description.data),
        "days": form.days.data or [], "parts_of_day": form.parts_of_day.data or [],
        "hours_per_week": float(form.hours_per_week.data) if form.hours_per_week.data is not None else None,
        "cost_eur": float(form.cost_eur.data or 0), "childcare": form.childcare.data,
        "audiences": form.audiences.data or [],
        "requires_job_seeker_registration": form.requires_job_seeker_registration.data,
        "requires_valid_residence_permit": form.requires_valid_residence_permit.data,
        "entry_test": form.entry_test.data, "entry_mode": form.entry_mode.data, "entries": entries,
        "active_from": iso(form.active_from.data), "active_until": iso(form.active_until.data),
        "status": form.status.data,
    }
    return data, rows


def _render_course_form(operator, form, course=None, errors=None, conflict=None, status=200):
    preview = describe(course, rules.today()) if course is not None else None
    return render_template("workspace/course_form.html", operator=operator, form=form, course=course,
                           errors=errors or CourseErrors(), conflict=conflict, preview=preview,
                           today=rules.today(), action_form=ConfirmForm()), status


def _save(operator, form, course=None):
    ref = course.ref if course is not None else None
    data, rows = _exchange_data(form, ref)
    version = (form.version.data or "").strip()
    expected = int(version) if course is not None and version.isascii() and version.isdigit() else None
    try:
        if course is None:
            saved = create_course(operator, data, rules.today(), actor=current_user, entry_rows=rows)
        else:
            saved = save_course(operator, data, rules.today(), actor=current_user, expected_version=expected,
                                entry_rows=rows)
    except RefsTaken as errors:
        db.session.rollback()
        return _render_course_form(operator, form, course, errors=errors, status=409)
    except EditConflict:
        db.session.rollback()
        current = db.session.scalar(select(Course).where(Course.ref == ref))
        return _render_course_form(operator, form, current, conflict=course_dict(current), status=409)
    except CourseErrors as errors:
        db.session.rollback()
        return _render_course_form(operator, form, course, errors=errors, status=400)
    return redirect(url_for("workspace.course_edit", ref=saved.ref, saved=1))


@bp.route("/organismes/<ref>/cours/nouveau", methods=["GET", "POST"])
@signed_in
def course_new(ref: str):
    operator = operator_for(ref, "create_course")
    form = _form_for(operator, formdata=request.form if request.method == "POST" else None)
    if request.method == "POST":
        if not form.validate_on_submit():
            return _render_course_form(operator, form, status=400)
        return _save(operator, form)
    return _render_course_form(operator, form)


@bp.route("/cours/<ref>/modifier", methods=["GET", "POST"])
@signed_in
def course_edit(ref: str):
    course = course_for(ref, "edit_course")
    form = _form_for(course.operator, course, formdata=request.form if request.method == "POST" else None)
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
    return render_template("workspace/course_history.html", course=course, changes=changes,
                           may_edit=may(current_user, "edit_course", course))


@bp.route("/organismes/<ref>/profil", methods=["GET", "POST"])
@signed_in
def operator_profile(ref: str):
    found = operator_for(ref, "edit_operator")
    form = OperatorForm(obj=found)
    errors = FormErrors()
    if form.validate_on_submit():
        try:
            save_operator(found, form, rules.today(), actor=current_user)
        except FormErrors as failed:
            db.session.rollback()
            errors = failed
        else:
            return redirect(url_for("workspace.operator", ref=found.ref, profile=1))
    status = 400 if request.method == "POST" else 200
    return render_template("workspace/operator_form.html", operator=found, form=form, errors=errors), status
