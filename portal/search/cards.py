"""Light copies of courses for the API's search answers: what a result of api.md shows, read with
two Core statements instead of ORM objects (loading ORM objects was a third of an API search).

A ``CourseCard`` has the attributes of ``Course`` that the rules (``portal.offer.rules``) and the
serializers (``portal.api.serializers``) read, so both take either. Cards are kept by the
in-memory index of their generation (``portal.search.memory``): a changed offer drops them all.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from portal.extensions import db
from portal.offer.models import Course, CourseCodes, Entry, Operator, Site


@dataclass(slots=True)
class OperatorCard:
    ref: str
    name: str


@dataclass(slots=True)
class SiteCard:
    ref: str
    locality: str
    postal_code: str
    nis_code: str
    bassin_efe: str
    lat: float
    lon: float
    reception_languages_text: str

    @property
    def reception_languages(self) -> list[str]:
        return [code for code in (self.reception_languages_text or "").split(",") if code]


@dataclass(slots=True)
class EntryCard:
    start: dt.date
    end: dt.date | None
    registration_deadline: dt.date | None
    status: str


@dataclass(slots=True)
class CourseCard(CourseCodes):
    id: int
    ref: str
    title: str
    kind: str
    level_min: int
    level_max: int
    entry_mode: str
    active_from: dt.date | None
    active_until: dt.date | None
    confirmed_at: dt.date
    status: str
    cost_eur: float
    childcare: bool
    job_oriented: bool
    sectors_mask: int
    prepares_for_mask: int
    days_mask: int
    parts_of_day_mask: int
    audiences_mask: int
    operator: OperatorCard
    site: SiteCard
    entries: list[EntryCard] = field(default_factory=list)
    # What the serializers computed once from the card's own fields (portal.api.serializers).
    shown: Any = None


_COURSE = (Course.id, Course.ref, Course.title, Course.kind, Course.level_min, Course.level_max,
           Course.entry_mode, Course.active_from, Course.active_until, Course.confirmed_at, Course.status,
           Course.cost_eur, Course.childcare, Course.job_oriented, Course.sectors_mask,
           Course.prepares_for_mask, Course.days_mask, Course.parts_of_day_mask, Course.audiences_mask)
_SITE = (Site.ref, Site.locality, Site.postal_code, Site.nis_code, Site.bassin_efe, Site.lat, Site.lon,
         Site.reception_languages_text)
_OPERATOR = (Operator.ref, Operator.name)


def load_cards(ids: Iterable[int]) -> dict[int, CourseCard]:
    """The cards of the courses ``ids`` (those that exist), by id."""
    wanted = list(ids)
    if not wanted:
        return {}
    rows = db.session.execute(
        select(*_COURSE, *_SITE, *_OPERATOR).join(Course.site).join(Course.operator).where(Course.id.in_(wanted))
    ).all()
    n_course, n_site = len(_COURSE), len(_SITE)
    cards = {
        row[0]: CourseCard(*row[:n_course], operator=OperatorCard(*row[n_course + n_site:]),
                           site=SiteCard(*row[n_course:n_course + n_site]))
        for row in rows
    }
    entries = db.session.execute(
        select(Entry.course_id, Entry.start, Entry.end, Entry.registration_deadline, Entry.status)
        .where(Entry.course_id.in_(wanted)).order_by(Entry.start, Entry.id)
    ).all()
    for course_id, *values in entries:
        cards[course_id].entries.append(EntryCard(*values))
    return cards
