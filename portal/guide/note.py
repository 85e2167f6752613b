"""What the results page says to a person coming from the guided route: which courses it shows and
why, that the centre will test the level, and what was given up to find courses.

The guided route sends ``guide=<answers>`` with the search (``steps.marker``); the page's links drop it
(any change to the search is the person's own), the language switcher keeps it. Nothing is stored:
the sentence is read from the URL each time."""
from __future__ import annotations

from dataclasses import dataclass, field

from babel.lists import format_list
from flask import request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from portal import labels
from portal.guide.deduction import Deduction, deduce
from portal.guide.steps import QUESTIONS, Question, read_marker
from portal.guide.widening import RADII_KM
from portal.search.filters import CourseFilters


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str
    change_url: str


@dataclass
class GuideNote:
    shown: str  # "We show courses of level A1, within 10 km of 5000 Namur, in the evening…"
    kinds: list[labels.Label]  # the kinds shown, whose explanations say why
    level: labels.Label | None
    relaxed: list[str] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    nationality: bool = False
    again_url: str = ""


def guide_note(filters: CourseFilters | None) -> GuideNote | None:
    """The note of this results page, when its URL comes from the guided route."""
    values = read_marker(request.args.get("guide"))
    if values is None or filters is None or filters.place is None:
        return None
    found = deduce(values)
    with_place = {**values, "near": request.args.get("near", "")}
    return GuideNote(
        shown=_("We show courses %(what)s.", what=_list(_details(filters, values))),
        kinds=[labels.KINDS[kind] for kind in filters.kinds],
        level=labels.LEVELS[filters.level] if filters.level else None,
        relaxed=_relaxed(found, filters, values),
        answers=[Answer(question.title(values), _answer(question, with_place, filters),
                        url_for("guide.step", slug=question.slug, **with_place)) for question in QUESTIONS],
        nationality=values["goal"] == "nationality",
        again_url=url_for("guide.step", slug=QUESTIONS[0].slug),
    )


def _answer(question: Question, values: dict[str, str], filters: CourseFilters) -> str:
    if question.table is None:  # the place, as the search understood it
        return filters.place.label if filters.place else values[question.parameter]
    return str(question.table[values[question.parameter]])


def _list(items: list[str]) -> str:
    return format_list([item for item in items if item], locale=get_locale())


def _details(filters: CourseFilters, values: dict[str, str]) -> list[str]:
    place = filters.place.label if filters.place else ""
    details = [_("of level %(level)s", level=labels.label(labels.LEVELS, filters.level)) if filters.level else "",
               _("within %(km)s km of %(place)s", place=place, km=f"{filters.radius_km:g}")
               if filters.radius_km is not None else _("as near as possible to %(place)s", place=place)]
    if filters.parts_of_day or filters.days:
        details.append(str(labels.GUIDE_TIMES[values["time"]].in_sentence))
    if filters.childcare:
        details.append(_("with childcare"))
    if filters.job_oriented:
        details.append(_("towards a job"))
    return details


def _relaxed(found: Deduction, filters: CourseFilters, values: dict[str, str]) -> list[str]:
    """What was given up to find courses (see ``widening``)."""
    widest = RADII_KM[-1]
    relaxed = []
    if found.has_time and not (filters.parts_of_day or filters.days):
        relaxed.append(_("No course %(time)s within %(km)s km: we show courses at any time.",
                         time=labels.GUIDE_TIMES[values["time"]].in_sentence, km=widest))
    if found.childcare and not filters.childcare:
        relaxed.append(_("No course with childcare within %(km)s km: we also show courses without childcare.",
                         km=widest))
    if found.job_oriented and not filters.job_oriented:
        relaxed.append(_("No course towards a job within %(km)s km: we also show other courses.", km=widest))
    relaxed += _relaxed_search(found, filters)
    return relaxed


def _relaxed_search(found: Deduction, filters: CourseFilters) -> list[str]:
    relaxed = []
    if filters.radius_km is None:
        relaxed.append(_("No such course within %(km)s km: here are the nearest ones, further away.",
                         km=RADII_KM[-1]))
    elif filters.radius_km > RADII_KM[0]:
        relaxed.append(_("No such course within %(first)s km: we looked up to %(km)s km.",
                         first=RADII_KM[0], km=f"{filters.radius_km:g}"))
    if found.level and not filters.level:
        relaxed.append(_("No course at level %(level)s: we show every level.",
                         level=labels.label(labels.LEVELS, found.level)))
    if found.kinds and not filters.kinds:
        relaxed.append(_("No course of this kind: we show every kind of course."))
    return relaxed
