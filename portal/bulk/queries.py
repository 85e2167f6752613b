"""Bulk exports: an operator's courses (as a document and as spreadsheet rows) and a bassin's
cadastre, in the exchange format."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.bulk import sheet
from portal.extensions import db
from portal.offer.exchange import FORMAT, course_dict, operator_dict, site_dict
from portal.offer.models import Course, Operator, Site


def _with_offer(query):
    return query.options(
        selectinload(Operator.sites),
        selectinload(Operator.courses).selectinload(Course.entries),
        selectinload(Operator.courses).selectinload(Course.site),
    )


def operator_document(operator: Operator) -> dict[str, Any]:
    """One operator with all its sites and courses, as a ``passerelle-offer/1`` document."""
    loaded = db.session.scalars(_with_offer(select(Operator).where(Operator.id == operator.id))).one()
    return {"format": FORMAT, "operators": [operator_dict(loaded)]}


def bassin_document(bassin: str) -> dict[str, Any]:
    """The operators with a site in ``bassin``, with their sites and courses there."""
    operators = db.session.scalars(_with_offer(
        select(Operator).where(Operator.id.in_(select(Site.operator_id).where(Site.bassin_efe == bassin)))
        .order_by(Operator.ref))).all()
    document: dict[str, Any] = {"format": FORMAT, "operators": []}
    for operator in operators:
        data = operator_dict(operator, with_children=False)
        data["sites"] = [site_dict(s) for s in sorted(operator.sites, key=lambda s: s.ref) if s.bassin_efe == bassin]
        data["courses"] = [course_dict(c) for c in sorted(operator.courses, key=lambda c: c.ref)
                           if c.site.bassin_efe == bassin]
        document["operators"].append(data)
    return document


def site_address(site: Site) -> str:
    """A site as people name it: "Centre — Rue de Fer 1, 5000 Namur"."""
    where = ", ".join(part for part in (site.street, f"{site.postal_code} {site.locality}") if part)
    return f"{site.name} — {where}" if site.name else where


def operator_rows(operator: Operator) -> list[dict[str, Any]]:
    """The operator's courses as spreadsheet rows, by ref."""
    document = operator_document(operator)
    places = {site.ref: (site_address(site), site.reception_languages) for site in operator.sites}
    versions = {course.ref: course.version for course in operator.courses}
    return [sheet.course_row(course, *places.get(course["site"], ("", [])), version=versions.get(course["ref"]))
            for course in document["operators"][0]["courses"]]
