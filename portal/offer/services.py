"""Writes to the offer: the all-or-nothing import of a ``passerelle-offer/1`` document."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.geo.gazetteer import Gazetteer
from portal.offer import codes, history
from portal.offer.derived import index_courses, refresh_derived
from portal.offer.exchange import course_dict, operator_dict, refs_in, site_dict
from portal.offer.models import Course, Entry, Operator, Site
from portal.offer.validation import MAX_PROBLEMS, StoredOwners, ValidatedOffer, validate_document

Progress = Callable[[int, int], None]


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportSummary:
    operators: Counts = field(default_factory=Counts)
    sites: Counts = field(default_factory=Counts)
    courses: Counts = field(default_factory=Counts)

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {name: vars(getattr(self, name)) for name in ("operators", "sites", "courses")}


class WriteConflict(Exception):
    """Another save took one of the document's new refs at the same moment (between this
    import's checks and its writes): nothing was written; importing again sees it."""


@dataclass(frozen=True)
class NewerChange:
    """A course of the document whose stored copy changed after the document was made."""

    path: str  # "operators[0].courses[3]"
    ref: str
    course_id: int
    confirmed_at: dt.date


class NewerChanges(Exception):
    """The document would undo newer changes (``changes``): nothing was written."""

    def __init__(self, changes: list[NewerChange]):
        super().__init__(f"{len(changes)} course(s) changed since the document was made")
        self.changes = changes


def _chunks(items: list[str], size: int = 500) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _load_by_ref(model: type, refs: list[str], *options: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for chunk in _chunks(refs):
        for obj in db.session.scalars(select(model).where(model.ref.in_(chunk)).options(*options)):
            found[obj.ref] = obj
    return found


def import_offer(document: Any, gazetteer: Gazetteer, today: dt.date,
                 progress: Progress | None = None, *, actor: Any = None, source: str = "cli",
                 check_only: bool = False, max_errors: int = MAX_PROBLEMS, keep_newer: bool = False,
                 versions: Mapping[str, int] | None = None, new_courses: Collection[str] = ()) -> ImportSummary:
    """Validate then upsert a whole document by ref, in one transaction: all or nothing.
    Raises OfferDocumentError listing its errors with their JSON paths (at most ``max_errors``).
    Every course created or changed is recorded in its history (``actor``: the user, ``source``:
    see history.SOURCES). ``check_only`` validates and counts, then rolls back. ``keep_newer``
    raises NewerChanges rather than overwrite a course changed since the document was made (see
    ``newer_changes``; ``versions``: the course versions the document was made from, by ref).
    Raises WriteConflict when another save takes a new ref at the same moment (``new_courses``:
    refs chosen as new, which another save may have taken since)."""
    stored = _StoredOffer.load(document, new_courses)
    offer = validate_document(document, gazetteer, stored.owners(), max_errors=max_errors)
    if keep_newer:
        newer = newer_changes(offer, stored.courses, versions or {})
        if newer:
            raise NewerChanges(newer)
    run = _ImportRun(stored, gazetteer, today, progress, total=sum(len(o["courses"]) for o in offer.operators))
    try:
        with db.session.no_autoflush:
            for data in offer.operators:
                run.write_operator(data)
            run.finish(actor, source)
        if check_only:
            db.session.rollback()
        else:
            db.session.commit()
    except IntegrityError as exc:  # validation saw every stored ref: a ref taken meanwhile
        db.session.rollback()
        raise WriteConflict() from exc
    except Exception:
        db.session.rollback()
        raise
    return run.summary


@dataclass
class _StoredOffer:
    """What the database already holds of a document's refs."""

    operators: dict[str, Operator]
    sites: dict[str, Site]
    courses: dict[str, Course]

    @classmethod
    def load(cls, document: Any, new_courses: Collection[str]) -> _StoredOffer:
        """Raises WriteConflict when a ref chosen as new was taken since."""
        operator_refs, site_refs, course_refs = refs_in(document)
        stored = cls(
            _load_by_ref(Operator, operator_refs, selectinload(Operator.sites)),
            _load_by_ref(Site, site_refs, selectinload(Site.operator)),
            _load_by_ref(Course, course_refs, selectinload(Course.entries), selectinload(Course.site),
                         selectinload(Course.operator)))
        if any(ref in stored.courses for ref in new_courses):  # taken since it was chosen: not ours to update
            db.session.rollback()
            raise WriteConflict()
        return stored

    def owners(self) -> StoredOwners:
        return StoredOwners(
            site_owner={ref: site.operator.ref for ref, site in self.sites.items()},
            course_owner={ref: course.operator.ref for ref, course in self.courses.items()},
            sites_of={ref: {s.ref for s in operator.sites} for ref, operator in self.operators.items()},
        )


class _ImportRun:
    """The writes of one valid document: counts, progress, and what the derived data and the
    history must hear of."""

    def __init__(self, stored: _StoredOffer, gazetteer: Gazetteer, today: dt.date, progress: Progress | None,
                 total: int) -> None:
        self.stored, self.gazetteer, self.today = stored, gazetteer, today
        self.progress, self.total, self.done = progress, total, 0
        self.summary = ImportSummary()
        self.to_index: list[Course] = []
        self.changed: list[tuple[Course, dict[str, Any] | None]] = []

    def write_operator(self, data: dict[str, Any]) -> None:
        operator, renamed = _upsert_operator(data, self.stored.operators.get(data["ref"]), self.summary)
        moved_sites = set()
        for site_data in data["sites"]:
            site, moved = _upsert_site(site_data, operator, self.stored.sites.get(site_data["ref"]),
                                       self.gazetteer, self.summary)
            self.stored.sites[site.ref] = site
            if moved:
                moved_sites.add(site.ref)
        own_sites = {site.ref: site for site in operator.sites}
        for course_data in data["courses"]:
            self._write_course(course_data, operator, own_sites[course_data["site"]])
        if renamed or moved_sites:
            # The operator's name and the sites' localities are words of its courses.
            for course in operator.courses:
                if renamed or course.site.ref in moved_sites:
                    refresh_derived(course, self.today)
                    self.to_index.append(course)

    def _write_course(self, data: dict[str, Any], operator: Operator, site: Site) -> None:
        course, changed, before = _upsert_course(data, operator, site, self.stored.courses.get(data["ref"]),
                                                 self.today, self.summary)
        if changed:
            self.to_index.append(course)
            self.changed.append((course, before))
        self.done += 1
        if self.progress and (self.done % 1000 == 0 or self.done == self.total):
            self.progress(self.done, self.total)

    def finish(self, actor: Any, source: str) -> None:
        """Flush, then the word index and the history of what changed."""
        db.session.flush()
        index_courses(self.to_index)
        history.record([history.change_row(course.id, before, course_dict(course) if before else None)
                        for course, before in self.changed], actor=actor, source=source)


def newer_changes(offer: ValidatedOffer, courses: Mapping[str, Course],
                  versions: Mapping[str, int]) -> list[NewerChange]:
    """The courses of a (valid) document that importing it would change although their stored
    copy is newer than the document's: the document names the version it was made from and the
    stored course has another, or the document's ``confirmed_at`` is older than the stored one
    (every change confirms the course). A course the document leaves as it is never conflicts."""
    found = []
    for o_index, data in enumerate(offer.operators):
        for c_index, course_data in enumerate(data["courses"]):
            course = courses.get(course_data["ref"])
            if course is None:
                continue
            current = course_dict(course)
            if _incoming(course_data, current) == current:
                continue
            version = versions.get(course_data["ref"])
            made_on = course_data["confirmed_at"]
            if (version is not None and version != course.version) or (
                    made_on is not None and current["confirmed_at"] > made_on):
                found.append(NewerChange(f"operators[{o_index}].courses[{c_index}]", course.ref, course.id,
                                         course.confirmed_at))
    return found


def _incoming(data: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """A course of the document as it would be stored over ``current`` (without a confirmation
    date, an unchanged course keeps its own)."""
    return dict(data, confirmed_at=data["confirmed_at"] or current["confirmed_at"])


def _upsert_operator(data: dict, operator: Operator | None, summary: ImportSummary) -> tuple[Operator, bool]:
    fields = {k: v for k, v in data.items() if k not in ("sites", "courses")}
    if operator is None:
        operator = Operator(**fields)
        db.session.add(operator)
        summary.operators.created += 1
        return operator, False
    if operator_dict(operator, with_children=False) == fields:
        summary.operators.unchanged += 1
        return operator, False
    renamed = operator.name != fields["name"]
    for key, value in fields.items():
        setattr(operator, key, value)
    summary.operators.updated += 1
    return operator, renamed


def _upsert_site(data: dict, operator: Operator, site: Site | None, gazetteer: Gazetteer,
                 summary: ImportSummary) -> tuple[Site, bool]:
    if site is not None:
        current = site_dict(site)
        if data["lat"] is None and not site.coordinates_given:
            current["lat"] = current["lon"] = None
        if current == data:
            summary.sites.unchanged += 1
            return site, False
        summary.sites.updated += 1
        moved = site.locality != data["locality"]
    else:
        site = Site(operator=operator)
        db.session.add(site)
        summary.sites.created += 1
        moved = False
    postal = gazetteer.postal_code(data["postal_code"])
    for key in ("ref", "name", "street", "postal_code", "locality", "wheelchair_accessible", "transit_note",
                "reception_languages"):
        setattr(site, key, data[key])
    site.nis_code, site.commune, site.bassin_efe = postal.nis_code, postal.commune, postal.bassin_efe
    if data["lat"] is not None:
        site.lat, site.lon, site.coordinates_given = data["lat"], data["lon"], True
    else:
        lat, lon = gazetteer.site_point(data["postal_code"], data["locality"])
        site.lat, site.lon, site.coordinates_given = round(lat, 6), round(lon, 6), False
    return site, moved


def _upsert_course(data: dict, operator: Operator, site: Site, course: Course | None,
                   today: dt.date, summary: ImportSummary) -> tuple[Course, bool, dict | None]:
    """The course written, whether it changed, and what it was before (None if new)."""
    current = None
    if course is not None:
        current = course_dict(course)
        if _incoming(data, current) == current:
            summary.courses.unchanged += 1
            return course, False, current
        summary.courses.updated += 1
        course.entries.clear()
    else:
        course = Course(operator=operator)
        db.session.add(course)
        summary.courses.created += 1
    course.site = site
    for key in ("ref", "title", "kind", "level_note", "registration", "registration_note",
                "job_oriented", "description", "hours_per_week", "cost_eur", "childcare",
                "requires_job_seeker_registration", "requires_valid_residence_permit",
                "entry_test", "entry_mode", "status"):
        setattr(course, key, data[key])
    course.level_min = codes.level_rank(data["level_min"])
    course.level_max = codes.level_rank(data["level_max"])
    course.sectors_mask = codes.to_mask(data["sectors"], codes.SECTORS)
    course.prepares_for_mask = codes.to_mask(data["prepares_for"], codes.PREPARES_FOR)
    course.days_mask = codes.to_mask(data["days"], codes.DAYS)
    course.parts_of_day_mask = codes.to_mask(data["parts_of_day"], codes.PARTS_OF_DAY)
    course.audiences_mask = codes.to_mask(data["audiences"], codes.AUDIENCES)
    course.active_from = _date(data["active_from"])
    course.active_until = _date(data["active_until"])
    course.confirmed_at = _date(data["confirmed_at"]) or today
    for entry in data["entries"]:
        course.entries.append(Entry(
            start=_date(entry["start"]), end=_date(entry["end"]),
            registration_deadline=_date(entry["registration_deadline"]), status=entry["status"],
        ))
    refresh_derived(course, today)
    return course, True, current


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def export_offer() -> dict[str, Any]:
    """The whole offer as a ``passerelle-offer/1`` document (operators, sites, courses by ref)."""
    operators = db.session.scalars(
        select(Operator).order_by(Operator.ref).options(
            selectinload(Operator.sites),
            selectinload(Operator.courses).selectinload(Course.entries),
            selectinload(Operator.courses).selectinload(Course.site),
        )
    ).all()
    return {"format": "passerelle-offer/1", "operators": [operator_dict(o) for o in operators]}
