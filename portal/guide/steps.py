"""The guided route's questions, one per screen, and the answers read back from the URL.

Every answer travels in the query string (``speak``, ``read``, ``goal``, ``near``, ``time``,
``childcare``), like the search's filters: the browser's back button, a shared link and a reload all
give the same screen. ``near`` is the search's own parameter, checked by the search's own parser."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from portal import labels
from portal.geo.gazetteer import get_gazetteer
from portal.guide import deduction
from portal.search.filters import FilterError, InvalidFilters, parse_filters

# A place is a postal code, a commune or "lat,lon": more than this is no place (and costs nothing).
MAX_NEAR_LENGTH = 100


@dataclass(frozen=True)
class Question:
    slug: str  # the screen's URL: /trouver/<slug> (the first one is /trouver)
    parameter: str  # the answer's query parameter
    text: LazyString
    codes: tuple[str, ...] = ()  # the answers, as buttons; none: a place typed in a field
    table: labels.Table | None = None  # their words and pictograms
    text_if_speaks_french: LazyString | None = None

    def title(self, answers: Mapping[str, str]) -> str:
        """The question as asked: reading is asked about French for someone who speaks it well."""
        if self.text_if_speaks_french is not None and answers.get("speak") == "well":
            return str(self.text_if_speaks_french)
        return str(self.text)


QUESTIONS: tuple[Question, ...] = (
    Question("francais", "speak", _l("Do you speak French?"), deduction.SPEAK, labels.GUIDE_SPEAK),
    Question("lire", "read", _l("Can you read and write in your own language?"), deduction.READ, labels.GUIDE_READ,
             text_if_speaks_french=_l("Can you read and write in French?")),
    Question("pourquoi", "goal", _l("Why do you want to learn French?"), deduction.GOALS, labels.GUIDE_GOALS),
    Question("ou", "near", _l("Where do you live?")),
    Question("quand", "time", _l("When are you free for a course?"), deduction.TIMES, labels.GUIDE_TIMES),
    Question("enfants", "childcare", _l("Do you need childcare during the course?"), deduction.CHILDCARE,
             labels.GUIDE_CHILDCARE),
)
BY_SLUG: dict[str, Question] = {question.slug: question for question in QUESTIONS}
PARAMETERS: tuple[str, ...] = tuple(question.parameter for question in QUESTIONS)


@dataclass
class Answers:
    """The answers of a URL: the valid ones, and an error for each one given but wrong."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, FilterError] = field(default_factory=dict)
    typed: dict[str, str] = field(default_factory=dict)  # every answer as given (a wrong place is shown again)

    def blocking(self, before: int) -> tuple[int, bool] | None:
        """The first of the first ``before`` questions that is unanswered or wrongly answered:
        (its index, whether it was answered wrongly); None when they all have a valid answer."""
        for index, question in enumerate(QUESTIONS[:before]):
            if question.parameter in self.errors:
                return index, True
            if question.parameter not in self.values:
                return index, False
        return None

    def without(self, parameter: str) -> dict[str, str]:
        return {name: value for name, value in self.values.items() if name != parameter}


def read_answers(args: Mapping[str, str], today: dt.date) -> Answers:
    """Each question's answer from the query string (the first value when one is given twice)."""
    answers = Answers()
    for question in QUESTIONS:
        raw = args.get(question.parameter)
        if raw is None:
            continue
        raw = raw.strip()
        answers.typed[question.parameter] = raw
        error = _near_error(raw, today) if not question.codes else _choice_error(raw, question.codes)
        if error is None:
            answers.values[question.parameter] = raw
        else:
            answers.errors[question.parameter] = error
    return answers


def _choice_error(raw: str, codes: tuple[str, ...]) -> FilterError | None:
    return None if raw in codes else FilterError("choice", _("Choose one of the answers."))


def _near_error(raw: str, today: dt.date) -> FilterError | None:
    """The search's own check of a place (the same messages, and the choices of an ambiguous name)."""
    if not raw:
        return FilterError("near", _("Write your postal code or the name of your commune."))
    if len(raw) > MAX_NEAR_LENGTH:
        return FilterError("near", _("This is too long for a place. Write a postal code, for example 5000."))
    try:
        parse_filters(MultiDict([("near", raw)]), get_gazetteer(), today)
    except InvalidFilters as exc:
        return exc.first
    return None


def marker(values: Mapping[str, str]) -> str:
    """The answers the results page explains, in one short parameter: ``speak.read.goal.time.childcare``."""
    return ".".join(values.get(question.parameter, "") for question in QUESTIONS if question.codes)


def read_marker(text: str | None) -> dict[str, str] | None:
    """The answers of a marker, or None when it is not one (the results page then says nothing)."""
    chosen = [question for question in QUESTIONS if question.codes]
    parts = (text or "").split(".")
    if len(parts) != len(chosen):
        return None
    if any(part not in question.codes for part, question in zip(parts, chosen, strict=True)):
        return None
    return {question.parameter: part for part, question in zip(parts, chosen, strict=True)}
