"""The selection's dates as an iCalendar file (RFC 5545): each joinable entry's start and its
registration deadline, as all-day events, written in the person's language."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import icalendar
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from portal.i18n import Language
from portal.offer import rules
from portal.offer.models import Course
from portal.selection.sheet import course_url


@dataclass(frozen=True)
class CourseDate:
    day: dt.date
    what: str  # "start" or "deadline"


def course_dates(course: Course, today: dt.date) -> Iterator[CourseDate]:
    """The days worth a calendar entry, from today on: a fixed course's joinable entries (their
    start and registration deadline); a rolling course's first day when it is still ahead."""
    if course.entry_mode == "rolling":
        if course.active_from is not None and course.active_from > today and (
                course.active_until is None or course.active_from <= course.active_until):
            yield CourseDate(course.active_from, "start")
        return
    for entry in course.entries:
        if entry.start < today or not rules.is_joinable(entry, today):
            continue
        if entry.registration_deadline is not None:
            yield CourseDate(entry.registration_deadline, "deadline")
        yield CourseDate(entry.start, "start")


def _summary(course: Course, date: CourseDate) -> str:
    if date.what == "deadline":
        return _("Last day to register: %(title)s", title=course.title)
    if course.entry_mode == "rolling":
        return _("You can start from this day: %(title)s", title=course.title)
    return _("The course starts: %(title)s", title=course.title)


def _description(course: Course, url: str) -> str:
    lines = [course.operator.name]
    if course.operator.phone:
        lines.append(_("Phone:") + " " + course.operator.phone)
    lines.append(url)
    return "\n".join(lines)


def _location(course: Course) -> str:
    site = course.site
    return ", ".join(part for part in (site.name, site.street, f"{site.postal_code} {site.locality}") if part)


def selection_calendar(courses: Sequence[Course], person: Language, today: dt.date, now: dt.datetime) -> bytes:
    """The calendar of ``courses`` (their order kept), its words in the person's language."""
    host = urlsplit(current_app.config["PUBLIC_URL"]).hostname or "passerelle"
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Passerelle//selection//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    with force_locale(person.locale):
        calendar.add("x-wr-calname", _("French courses chosen for you"))
        for course in courses:
            url = course_url(course, person)
            for date in course_dates(course, today):
                event = icalendar.Event()
                event.add("uid", f"{course.ref}-{date.what}-{date.day.isoformat()}@{host}")
                event.add("dtstamp", now.replace(tzinfo=dt.UTC))
                event.add("dtstart", date.day)
                event.add("dtend", date.day + dt.timedelta(days=1))
                event.add("summary", _summary(course, date))
                event.add("description", _description(course, url))
                event.add("location", _location(course))
                event.add("url", url)
                event.add("transp", "TRANSPARENT")
                calendar.add_component(event)
    return calendar.to_ical()
