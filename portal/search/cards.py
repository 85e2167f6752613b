"""Light copies of courses for the API's search answers: what a result of api.md shows, made from
the in-memory snapshot of the offer (``portal.search.snapshot``) instead of ORM objects read from
the database (loading those was a third of an API search).

A ``CourseCard`` has the attributes of ``Course`` that the rules (``portal.offer.rules``) and the
serializers (``portal.api.serializers``) read, so both take either. Cards are kept by the
in-memory index of their generation (``portal.search.memory``): a changed offer drops them all.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from portal.offer.models import CourseCodes


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
