"""Writes to the offer: the all-or-nothing import of a ``passerelle-offer/1`` document."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal.db import utc_now
from portal.extensions import db
from portal.geo.gazetteer import Gazetteer
from portal.offer import history
from portal.offer.checker import ValidationStopped
from portal.offer.derived import index_courses, refresh_derived
from portal.offer.exchange import course_dict, operator_dict, site_dict
from portal.offer.models import Course, Operator, Site
from portal.offer.rows import ChangedCourse, NewCourse, insert_courses, update_courses
from portal.offer.source import OfferSource, Outline, as_source
from portal.offer.validation import MAX_PROBLEMS, DocumentValidator, StoredOwners

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


# Courses written between two flushes: what an import holds in memory at once, whatever its size.
BATCH_COURSES = 2000


def _chunks(items: list[str], size: int = 500) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _load_by_ref(model: type, refs: list[str], *options: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for chunk in _chunks(refs):
        for obj in db.session.scalars(select(model).where(model.ref.in_(chunk)).options(*options)):
            found[obj.ref] = obj
    return found


def _pairs(query: Any, refs: list[str]) -> Iterable[tuple[str, str]]:
    for chunk in _chunks(refs):
        yield from db.session.execute(query(chunk)).all()


def import_offer(document: Any, gazetteer: Gazetteer, today: dt.date,
                 progress: Progress | None = None, *, actor: Any = None, source: str = "cli",
                 check_only: bool = False, max_errors: int = MAX_PROBLEMS, keep_newer: bool = False,
                 versions: Mapping[str, int] | None = None, new_courses: Collection[str] = ()) -> ImportSummary:
    """Validate then upsert a whole document by ref, in one transaction: all or nothing.
    ``document``: a parsed document, the path of a JSON file (read as a stream: memory stays that
    of BATCH_COURSES courses whatever the file's size) or an OfferSource.
    Raises OfferDocumentError listing its errors with their JSON paths (at most ``max_errors``).
    Every course created or changed is recorded in its history (``actor``: the user, ``source``:
    see history.SOURCES). ``check_only`` validates and counts, then rolls back. ``keep_newer``
    raises NewerChanges rather than overwrite a course changed since the document was made (see
    ``newer_changes``; ``versions``: the course versions the document was made from, by ref).
    Raises WriteConflict when another save takes a new ref at the same moment (``new_courses``:
    refs chosen as new, which another save may have taken since).

    The document is read twice: its outline (refs), then operator by operator, each validated
    against what the database held before the import, and written in batches while no error has
    been found; at the end, any error (or newer change) rolls every batch back."""
    reader = as_source(document)
    outline = reader.outline()
    owners = _stored_owners(outline, new_courses)
    validator = DocumentValidator(gazetteer, owners, max_errors=max_errors)
    run = _ImportRun(gazetteer, today, progress, total=outline.courses, actor=actor, source=source,
                     owners=owners, versions=(versions or {}) if keep_newer else None)
    try:
        with db.session.no_autoflush:
            _read(validator, reader, outline.root, run)
            if validator.errors:
                raise validator.failure()
            run.write_batch()
        if run.newer:
            raise NewerChanges(run.newer)
        if check_only:
            db.session.rollback()
        else:
            db.session.commit()
    except ValidationStopped:
        db.session.rollback()
        raise validator.failure(stopped=True) from None
    except IntegrityError as exc:  # validation saw every stored ref: a ref taken meanwhile
        db.session.rollback()
        raise WriteConflict() from exc
    except Exception:
        db.session.rollback()
        raise
    return run.summary


def _read(validator: DocumentValidator, reader: OfferSource, root: Any, run: _ImportRun) -> None:
    """Validate each operator as it is read; hand it to the run while the document is valid."""
    if not validator.root(root):
        return
    for index, raw_operator in enumerate(reader.operators()):
        operator = validator.operator(raw_operator, index)
        if operator is not None and not validator.errors:
            run.add(index, operator)


def _stored_owners(outline: Outline, new_courses: Collection[str]) -> StoredOwners:
    """Who owns the document's refs that the database already holds (before any write).
    Raises WriteConflict when a ref chosen as new was taken since."""
    owners = StoredOwners()
    owners.site_owner.update(_pairs(
        lambda refs: select(Site.ref, Operator.ref).join(Site.operator).where(Site.ref.in_(refs)),
        outline.site_refs))
    owners.course_owner.update(_pairs(
        lambda refs: select(Course.ref, Operator.ref).join(Course.operator).where(Course.ref.in_(refs)),
        outline.course_refs))
    if any(ref in owners.course_owner for ref in new_courses):  # taken since it was chosen: not ours to update
        db.session.rollback()
        raise WriteConflict()
    for operator_ref, site_ref in _pairs(
            lambda refs: select(Operator.ref, Site.ref).join(Operator.sites).where(Operator.ref.in_(refs)),
            outline.operator_refs):
        owners.sites_of.setdefault(operator_ref, set()).add(site_ref)
    owners.operators.update(ref for ref, _ in _pairs(
        lambda refs: select(Operator.ref, Operator.id).where(Operator.ref.in_(refs)), outline.operator_refs))
    return owners


@dataclass
class _StoredOffer:
    """What the database already holds of a batch's refs."""

    operators: dict[str, Operator]
    sites: dict[str, Site]
    courses: dict[str, Course]

    def known_to(self, owners: StoredOwners) -> bool:
        """False when another save created one of these refs since the import read who owns them
        (validated as new, it is not the import's to update)."""
        return (set(self.operators) <= owners.operators and set(self.sites) <= set(owners.site_owner)
                and set(self.courses) <= set(owners.course_owner))

    @classmethod
    def load(cls, operators: list[dict[str, Any]]) -> _StoredOffer:
        return cls(
            _load_by_ref(Operator, [o["ref"] for o in operators], selectinload(Operator.sites)),
            _load_by_ref(Site, [s["ref"] for o in operators for s in o["sites"]], selectinload(Site.operator)),
            # A course's site and operator are among those loaded above (a lazy load finds them
            # in the session without a query; selectinload's would cost more).
            _load_by_ref(Course, [c["ref"] for o in operators for c in o["courses"]], selectinload(Course.entries)))


class _ImportRun:
    """The writes of a valid document, a batch of operators at a time: counts, progress, and what
    the derived data and the history must hear of. With ``versions`` (keep_newer), a batch that
    would undo newer changes is not written, nor anything after it: ``newer`` lists them all."""

    def __init__(self, gazetteer: Gazetteer, today: dt.date, progress: Progress | None, total: int, *,
                 actor: Any, source: str, owners: StoredOwners, versions: Mapping[str, int] | None) -> None:
        self.gazetteer, self.today, self.owners = gazetteer, today, owners
        self.actor, self.source, self.at = actor, source, utc_now()  # one moment for the whole history
        self.progress, self.total, self.done = progress, total, 0
        self.versions = versions
        self.summary = ImportSummary()
        self.newer: list[NewerChange] = []
        self.batch: list[tuple[int, dict[str, Any]]] = []
        self.batch_courses = 0
        self.to_index: list[Course] = []
        self.changed: list[ChangedCourse] = []
        self.new: list[NewCourse] = []

    def add(self, index: int, operator: dict[str, Any]) -> None:
        self.batch.append((index, operator))
        self.batch_courses += len(operator["courses"])
        if self.batch_courses >= BATCH_COURSES:
            self.write_batch()

    def write_batch(self) -> None:
        """Write the operators gathered, flush, index their words; then forget them (what stays in
        the session is what it holds weakly: flushed objects nothing else refers to)."""
        if not self.batch:
            return
        stored = _StoredOffer.load([operator for _, operator in self.batch])
        if not stored.known_to(self.owners):
            raise WriteConflict()
        if self.versions is not None:
            self.newer += newer_changes(self.batch, stored.courses, self.versions)
        if not self.newer:
            for _, operator in self.batch:
                self.write_operator(operator, stored)
            db.session.flush()
            index_courses(self.to_index)
            changes = update_courses(self.changed, self.today)
            created = insert_courses(self.new, self.today)
            history.record(changes + [history.change_row(course_id, None, None) for course_id in created],
                           actor=self.actor, source=self.source, at=self.at)
        self.batch, self.batch_courses, self.to_index, self.changed, self.new = [], 0, [], [], []

    def write_operator(self, data: dict[str, Any], stored: _StoredOffer) -> None:
        operator, renamed = _upsert_operator(data, stored.operators.get(data["ref"]), self.summary)
        moved_sites = set()
        for site_data in data["sites"]:
            site, moved = _upsert_site(site_data, operator, stored.sites.get(site_data["ref"]),
                                       self.gazetteer, self.summary)
            stored.sites[site.ref] = site
            if moved:
                moved_sites.add(site.ref)
        own_sites = {site.ref: site for site in operator.sites}
        changed = {self._write_course(course_data, operator, own_sites[course_data["site"]], stored)
                   for course_data in data["courses"]}
        if renamed or moved_sites:
            self._refresh_words(operator, renamed, moved_sites, changed)

    def _refresh_words(self, operator: Operator, renamed: bool, moved_sites: set[str],
                       changed: set[str | None]) -> None:
        """The operator's name and the sites' localities are words of its courses: refresh those of
        its courses the document leaves as they are (update_courses writes the changed ones')."""
        for course in operator.courses:
            if course.ref not in changed and (renamed or course.site.ref in moved_sites):
                refresh_derived(course, self.today)
                self.to_index.append(course)

    def _write_course(self, data: dict[str, Any], operator: Operator, site: Site,
                      stored: _StoredOffer) -> str | None:
        """Count a course of the document as created, updated or unchanged, and keep it for the
        batch's writes when it must be written. Returns its ref when it is a changed stored course."""
        course, changed = stored.courses.get(data["ref"]), None
        if course is None:
            self.new.append(NewCourse(data, operator, site))
            self.summary.courses.created += 1
        else:
            before = course_dict(course)
            if _incoming(data, before) == before:
                self.summary.courses.unchanged += 1
            else:
                self.changed.append(ChangedCourse(data, course, operator, site, before))
                self.summary.courses.updated += 1
                changed = course.ref
        self.done += 1
        if self.progress and (self.done % 1000 == 0 or self.done == self.total):
            self.progress(self.done, self.total)
        return changed


def newer_changes(operators: Iterable[tuple[int, dict[str, Any]]], courses: Mapping[str, Course],
                  versions: Mapping[str, int]) -> list[NewerChange]:
    """The courses of (valid) operators (with their index in the document) that importing them
    would change although their stored copy is newer than the document's: the document names the
    version it was made from and the stored course has another, or the document's
    ``confirmed_at`` is older than the stored one (every change confirms the course). A course the
    document leaves as it is never conflicts."""
    found = []
    for o_index, data in operators:
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
