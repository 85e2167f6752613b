"""Referral pages (workspace): the form from a course, the list of referrals (a worker's service's,
an operator's inbox), one referral, the operator's answer, the worker's deletion. Parse, authorise
(permissions), call one function, render."""
from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_login import current_user
from markupsafe import Markup

from portal.extensions import limiter
from portal.forms import ConfirmForm
from portal.i18n import BY_CODE, DEFAULT, page_language
from portal.offer import rules
from portal.permissions import course_for, may, referral_for, referrals_seen_by, require, signed_in
from portal.referrals import bp
from portal.referrals.codes import CLOSE_AFTER_DAYS, DELETE_AFTER_DAYS, REMIND_AFTER_WORKING_DAYS
from portal.referrals.forms import AnswerForm, ReferralForm
from portal.referrals.presenters import language_names
from portal.referrals.queries import (
    SHARED_INTAKE,
    answer_due_on,
    entry_choices,
    referrals_of,
    why_not_referable,
)
from portal.referrals.services import NotReferable, answer_referral, delete_referral, send_referral


def _render(template: str, **context: Any) -> str:
    """A referral page, with what its parts use: the permission question, the words of languages,
    the answer day, the sessions an operator may accept for, the delays."""
    return render_template(template, may=may, language_names=language_names, answer_due_on=answer_due_on,
                           entry_choices=entry_choices, DELETE_AFTER_DAYS=DELETE_AFTER_DAYS,
                           CLOSE_AFTER_DAYS=CLOSE_AFTER_DAYS, REMIND_AFTER_WORKING_DAYS=REMIND_AFTER_WORKING_DAYS,
                           **context)


def consent_notice(code: str, course: Any, service: Any, element_id: str = "consent-notice") -> Markup:
    """The notice the worker reads to the person, in the person's language (one of the public
    languages), whatever the language of the page."""
    language = BY_CODE.get(code, DEFAULT)
    with force_locale(language.locale):
        return Markup(render_template("components/referral_notice.html", language=language, course=course,
                                      service=service, keep_days=DELETE_AFTER_DAYS, element_id=element_id))


def _person_language(form: ReferralForm) -> str:
    code = form.person_language.data
    return code if code in BY_CODE else DEFAULT.code


@bp.route("/cours/<ref>/orienter", methods=["GET", "POST"])
@limiter.limit("60 per hour", methods=["POST"])
@signed_in
def new(ref: str):
    course = course_for(ref, "refer_to_course")
    if not rules.is_visible(course, rules.today()):
        abort(404)
    why_not = why_not_referable(course)
    if why_not is not None:  # whom to call instead of the form
        return _render("referrals/who_to_call.html", course=course, shared_intake=why_not == SHARED_INTAKE), \
            200 if request.method == "GET" else 409
    # The notice's language comes from the URL (a small form above asks for it), then from the form.
    form = ReferralForm(person_language=request.args.get("person_language", DEFAULT.code))
    if form.validate_on_submit():
        try:
            referral = send_referral(course, current_user, form.person())
        except NotReferable:  # the operator's last account was disabled meanwhile
            return redirect(url_for("referrals.new", ref=course.ref))
        return redirect(url_for("referrals.detail", referral_id=referral.id, sent=1))
    status = 400 if request.method == "POST" else 200
    code = _person_language(form)
    # The worker may not read the person's language: the same notice in the page's, to follow it.
    here = page_language().code
    notice_here = None if here == code else consent_notice(here, course, current_user.service, "consent-notice-here")
    return _render("referrals/new.html", course=course, form=form, notice_language=BY_CODE[code],
                   notice=consent_notice(code, course, current_user.service), notice_here=notice_here), status


@bp.get("/orientations")
@signed_in
def inbox():
    require("list_referrals")
    return _render("referrals/inbox.html", referrals=referrals_of(referrals_seen_by(current_user)),
                           today=rules.today(), action_form=ConfirmForm(), answer_form=AnswerForm(formdata=None),
                           answered=request.args.get("answered", type=int), deleted=request.args.get("deleted"),
                           welcome=request.args.get("welcome"))


def _detail(referral: Any, status: int = 200, answer_form: AnswerForm | None = None):
    return _render("referrals/detail.html", referral=referral, today=rules.today(),
                           action_form=ConfirmForm(), answer_form=answer_form or AnswerForm(formdata=None),
                           sent=request.args.get("sent")), status


@bp.get("/orientations/<int:referral_id>")
@signed_in
def detail(referral_id: int):
    return _detail(referral_for(referral_id, "view_referral"))


@bp.post("/orientations/<int:referral_id>/reponse")
@signed_in
def answer(referral_id: int):
    referral = referral_for(referral_id, "answer_referral")
    form = AnswerForm()
    if not form.validate_on_submit():
        return _detail(referral, 400, form)
    answer_referral(referral, form.answer.data, current_user, entry_start=form.entry_start.data,
                    reason=(form.reason.data or "").strip() or None)
    return redirect(url_for("referrals.inbox", answered=referral.id, _anchor=f"referral-{referral.id}"))


@bp.post("/orientations/<int:referral_id>/supprimer")
@signed_in
def delete(referral_id: int):
    referral = referral_for(referral_id, "delete_referral")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    delete_referral(referral)
    return redirect(url_for("referrals.inbox", deleted=1))
