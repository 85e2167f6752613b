"""The guided route (``/trouver``): one question per screen, answered with big buttons (GET forms:
every answer stays in the URL), ending on the normal results page with the filters it deduced.

Nothing about the person is kept or counted: the answers live in the URL only."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for

from portal.guide.deduction import deduce
from portal.guide.steps import BY_SLUG, QUESTIONS, Answers, Question, marker, read_answers
from portal.guide.widening import widen
from portal.offer import rules
from portal.permissions import public

bp = Blueprint("guide", __name__)


def _step_url(question: Question, values: dict[str, str]) -> str:
    return url_for("guide.step", slug=question.slug, **values)


def _next_url(index: int, **values: str | None) -> str:
    """The screen after question ``index`` (the results at the end), with these answers. A form's
    action takes none: its fields are the query, the language among them."""
    if index + 1 < len(QUESTIONS):
        return url_for("guide.step", slug=QUESTIONS[index + 1].slug, **values)
    return url_for("guide.results", **values)


def _stop_at(answers: Answers, before: int):
    """A screen past a question without a valid answer: that question again, with its error beside
    it (400) when it was answered wrongly, or simply asked (a redirect) when it was skipped."""
    blocking = answers.blocking(before)
    if blocking is None:
        return None
    index, wrong = blocking
    if wrong:
        return _render(index, answers), 400
    return redirect(_step_url(QUESTIONS[index], answers.values))


def _render(index: int, answers: Answers) -> str:
    question = QUESTIONS[index]
    error = answers.errors.get(question.parameter)
    return render_template(
        "guide/step.html", question=question, number=index + 1, count=len(QUESTIONS),
        title=question.title(answers.values), answers=answers, error=error,
        chosen=answers.values.get(question.parameter), typed=answers.typed.get(question.parameter, ""),
        kept=answers.without(question.parameter), action=_next_url(index, lang=None),
        back_url=_step_url(QUESTIONS[index - 1], answers.values) if index else url_for("search.index"),
        # An ambiguous place: each of its choices answers the question.
        choice_url=lambda value: _next_url(index, **{**answers.values, question.parameter: value}),
    )


@bp.get("/trouver", defaults={"slug": QUESTIONS[0].slug})
@bp.get("/trouver/<slug>")
@public
def step(slug: str):
    question = BY_SLUG.get(slug)
    if question is None:
        abort(404)
    index = QUESTIONS.index(question)
    answers = read_answers(request.args, rules.today())
    return _stop_at(answers, index) or (_render(index, answers), 400 if question.parameter in answers.errors else 200)


@bp.get("/trouver/resultats")
@public
def results():
    """The end: the deduced search, widened until it finds courses, on the normal results page."""
    answers = read_answers(request.args, rules.today())
    stopped = _stop_at(answers, len(QUESTIONS))
    if stopped is not None:
        return stopped
    args = widen(deduce(answers.values), answers.values["near"], rules.today())
    return redirect(url_for("search.index", **dict(args), guide=marker(answers.values)), 303)
