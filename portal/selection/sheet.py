"""The sheet a social worker hands to a person: the selected courses in French and in the
person's language, side by side, each with a QR code to its page in the person's language.

What operators wrote (titles, addresses, names, notes) is shown once, as written; what the portal
says about each course (kind, level, dates, hours, conditions, reception languages) is written out
in each language: the same template rendered once per language (``force_locale``)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import segno
from babel.lists import format_list
from flask import render_template
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from markupsafe import Markup

from portal import labels
from portal.i18n import BY_CODE, DEFAULT, Language
from portal.offer.models import Course
from portal.search.queries import CourseHit, describe
from portal.search.reception import reception_sentence
from portal.urls import public_url_for

# The URL parameter naming the person's language (the page's own language is ``lang``).
PERSON = "person"
# One A4 page holds this many courses (the print test checks it); more take more pages.
COURSES_PER_PAGE = 4


@dataclass(frozen=True)
class SheetCourse:
    number: int
    hit: CourseHit
    url: str  # the course's page in the person's language: what its QR code says
    qr: Markup
    columns: tuple[Markup, ...]  # what the portal says about it, in each language of the sheet


@dataclass(frozen=True)
class Sheet:
    languages: tuple[Language, ...]  # French, then the person's language when it is another
    courses: tuple[SheetCourse, ...]
    words: dict[str, dict[str, str]]  # language code → the sheet's own words in that language
    portal_url: str

    @property
    def person(self) -> Language:
        return self.languages[-1]


def person_language(raw: str | None, page: Language) -> tuple[Language, bool]:
    """The person's language: the URL's ``person`` when it is a public language, else the page's
    language; and whether a value was given that is not one."""
    if raw is None or raw.strip() == "":
        return page, False
    language = BY_CODE.get(raw.strip())
    return (language, False) if language is not None else (page, True)


def qr_svg(url: str) -> Markup:
    """A QR code of ``url`` as inline SVG, sized by the style sheet (hidden from screen readers:
    the page says in words what it opens)."""
    svg = segno.make(url, error="m").svg_inline(dark="#000000", light="#ffffff", omitsize=True,
                                                svgclass="qr-code")
    return Markup(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))


def course_url(course: Course, person: Language) -> str:
    """The course's public page in the person's language (no selection in it: it is shared)."""
    return public_url_for("search.course", ref=course.ref, lang=None if person is DEFAULT else person.code)


def sheet_words(language: Language, today: dt.date) -> dict[str, str]:
    """The sheet's own words in ``language``."""
    with force_locale(language.locale):
        return {
            "title": _("French courses chosen for you"),
            "date": _("Made on %(date)s", date=format_date(today, "long")),
            "call": _("Call"),
            "address": _("Where"),
            "scan": _("Scan a code with your phone: the course opens."),
            "note": _("Note"),
            "register": _("How to register"),
            "portal": _("All the courses:"),
        }


def _listed(items: Sequence[object], locale: str) -> str:
    """Words joined as ``locale`` writes a list ("lundi et jeudi", "الاثنين والخميس")."""
    return format_list([str(item) for item in items], locale=locale) if items else ""


def columns_of(hit: CourseHit, languages: Sequence[Language], today: dt.date) -> tuple[Markup, ...]:
    course = hit.course
    spoken = course.site.reception_languages
    # On paper, what the person needs to know about the reception: their own language is spoken
    # there (one short sentence, in both columns); else every language the reception speaks.
    person = languages[-1].code.split("-")[0]
    if person in spoken:
        spoken = [person]
    columns = []
    for language in languages:
        with force_locale(language.locale):
            lists = {
                "days": _listed([labels.DAYS[day] for day in course.days], language.locale),
                "parts": _listed([labels.PARTS_OF_DAY[part].in_sentence for part in course.parts_of_day],
                                 language.locale),
            }
            reception = reception_sentence(spoken, own=person)
            columns.append(Markup(render_template("selection/_facts.html", hit=hit, today=today, lists=lists,
                                                  reception=reception)))
    return tuple(columns)


def build_sheet(courses: Sequence[Course], person: Language, today: dt.date) -> Sheet:
    languages = (DEFAULT,) if person is DEFAULT else (DEFAULT, person)
    entries = []
    for number, course in enumerate(courses, start=1):
        hit = describe(course, today)
        url = course_url(course, person)
        entries.append(SheetCourse(number, hit, url, qr_svg(url), columns_of(hit, languages, today)))
    words = {language.code: sheet_words(language, today) for language in languages}
    return Sheet(languages, tuple(entries), words, public_url_for("search.index", lang=None))
