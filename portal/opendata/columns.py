"""The columns of the open data CSV, one row per visible course: each column's name, what it
means (shown on the open data page) and how a course fills it. Codes stay codes (as in the API and
the exchange format); lists are separated by ", "; booleans are "yes"/"no"; dates are ISO."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from portal.bulk.sheet import entries_text
from portal.offer.exchange import json_number
from portal.offer.models import Course
from portal.search.queries import CourseHit


@dataclass(frozen=True)
class Row:
    """What one CSV row is made of: the course's search facts, its exchange form, its page."""

    hit: CourseHit
    exchange: dict[str, Any]
    url: str

    @property
    def course(self) -> Course:
        return self.hit.course


@dataclass(frozen=True)
class Column:
    name: str
    meaning: Any  # a lazy string
    value: Callable[[Row], Any]


def _exchange(key: str) -> Callable[[Row], Any]:
    return lambda row: row.exchange[key]


def _listed(key: str) -> Callable[[Row], Any]:
    return lambda row: ", ".join(row.exchange[key])


def _next_entry(row: Row) -> Any:
    return row.hit.next_entry.start if row.hit.next_entry else None


def _next_entry_status(row: Row) -> Any:
    return row.hit.next_entry.status if row.hit.next_entry else None


def _next_entry_deadline(row: Row) -> Any:
    return row.hit.next_entry.registration_deadline if row.hit.next_entry else None


COURSE_COLUMNS: tuple[Column, ...] = (
    Column("ref", _l("The course's reference (stable: the same course keeps it)."), _exchange("ref")),
    Column("title", _l("The title, as the organisation writes it."), _exchange("title")),
    Column("kind", _l("The kind of course: alpha_fr (reading and writing, for French speakers), alpha_nf (reading "
                      "and writing, for others), fle (French as a foreign language), ran (brush up)."),
           _exchange("kind")),
    Column("level_min", _l("The lowest level the course takes: alpha, A1, A2, B1, B2, C1."), _exchange("level_min")),
    Column("level_max", _l("The highest level the course takes."), _exchange("level_max")),
    Column("level_note", _l("The organisation's note on the level (its own scale, its test)."),
           _exchange("level_note")),
    Column("entry_mode", _l("fixed: groups start on given dates (column entries); rolling: one may start any day "
                            "between active_from and active_until."), _exchange("entry_mode")),
    Column("next_entry", _l("The next day one can start, when registrations are open (else empty)."), _next_entry),
    Column("next_entry_status", _l("That start's status: open or waiting_list."), _next_entry_status),
    Column("next_entry_deadline", _l("The last day to register for that start, if any."), _next_entry_deadline),
    Column("entries_state", _l("What one can do now: joinable, registration_closed, full or none."),
           lambda row: row.hit.entries_state),
    Column("entries", _l("Every start of a fixed course: START..END, deadline=DATE, then waiting_list or full "
                         "when so; separated by “;”."), lambda row: entries_text(row.exchange["entries"])),
    Column("active_from", _l("A rolling course: the first day (empty: already running)."), _exchange("active_from")),
    Column("active_until", _l("A rolling course: the last day (empty: no end given)."), _exchange("active_until")),
    Column("days", _l("The days of the week: mon, tue, wed, thu, fri, sat, sun."), _listed("days")),
    Column("parts_of_day", _l("The parts of the day: morning, afternoon, evening."), _listed("parts_of_day")),
    Column("hours_per_week", _l("Hours of course a week."), _exchange("hours_per_week")),
    Column("cost_eur", _l("The cost in euros (0: free)."), _exchange("cost_eur")),
    Column("childcare", _l("Childcare during the course: yes or no."), _exchange("childcare")),
    Column("job_oriented", _l("Towards a job: yes or no."), _exchange("job_oriented")),
    Column("sectors", _l("The job sectors the course prepares for (codes)."), _listed("sectors")),
    Column("prepares_for", _l("What the course prepares for (codes: tests, exams, citizenship…)."),
           _listed("prepares_for")),
    Column("audiences", _l("Who may register (codes; all: everyone)."), _listed("audiences")),
    Column("requires_job_seeker_registration", _l("Registration as a job seeker at the Forem is required: yes or no."),
           _exchange("requires_job_seeker_registration")),
    Column("requires_valid_residence_permit", _l("A valid residence permit is required: yes or no."),
           _exchange("requires_valid_residence_permit")),
    Column("entry_test", _l("The organisation tests the level before the course: yes or no."),
           _exchange("entry_test")),
    Column("registration", _l("How to register: direct (with the organisation) or shared_intake (at a shared "
                              "desk of the area)."), _exchange("registration")),
    Column("registration_note", _l("The organisation's note on registering."), _exchange("registration_note")),
    Column("description", _l("The description, as the organisation writes it."), _exchange("description")),
    Column("confirmed_at", _l("The day the organisation last confirmed or changed the course."),
           _exchange("confirmed_at")),
    Column("stale", _l("yes when not confirmed for more than 180 days."), lambda row: row.hit.stale),
)

OPERATOR_COLUMNS: tuple[Column, ...] = (
    Column("operator_ref", _l("The organisation's reference."), lambda row: row.course.operator.ref),
    Column("operator_name", _l("The organisation's name."), lambda row: row.course.operator.name),
    Column("operator_kind", _l("The kind of organisation (asbl, cisp, promotion_sociale, lire_et_ecrire, cpas, cri, "
                               "forem, commune, other)."), lambda row: row.course.operator.kind),
    Column("operator_email", _l("The organisation's public e-mail address."), lambda row: row.course.operator.email),
    Column("operator_phone", _l("The organisation's public phone number."), lambda row: row.course.operator.phone),
    Column("operator_website", _l("The organisation's website."), lambda row: row.course.operator.website),
)

SITE_COLUMNS: tuple[Column, ...] = (
    Column("site_ref", _l("The place's reference."), lambda row: row.course.site.ref),
    Column("site_name", _l("The place's name."), lambda row: row.course.site.name),
    Column("street", _l("Street and number."), lambda row: row.course.site.street),
    Column("postal_code", _l("Postal code."), lambda row: row.course.site.postal_code),
    Column("locality", _l("Locality."), lambda row: row.course.site.locality),
    Column("commune", _l("The commune (its French name)."), lambda row: row.course.site.commune),
    Column("nis_code", _l("The commune's NIS code (Statbel)."), lambda row: row.course.site.nis_code),
    Column("bassin_efe", _l("The bassin EFE of the commune (or the German-speaking Community)."),
           lambda row: row.course.site.bassin_efe),
    Column("lat", _l("Latitude (WGS 84)."), lambda row: json_number(row.course.site.lat)),
    Column("lon", _l("Longitude (WGS 84)."), lambda row: json_number(row.course.site.lon)),
    Column("wheelchair_accessible", _l("The place is wheelchair accessible: yes or no."),
           lambda row: row.course.site.wheelchair_accessible),
    Column("transit_note", _l("How to get there by public transport."), lambda row: row.course.site.transit_note),
    Column("reception_languages", _l("The languages spoken at the reception desk (ISO 639-1 codes)."),
           lambda row: ", ".join(row.course.site.reception_languages)),
    Column("url", _l("The course's page on Passerelle."), lambda row: row.url),
)

COLUMNS: tuple[Column, ...] = COURSE_COLUMNS + OPERATOR_COLUMNS + SITE_COLUMNS
HEADER: tuple[str, ...] = tuple(column.name for column in COLUMNS)
# What the portal writes itself (codes, dates, numbers ≥ 0, yes/no, the gazetteer's names, its own
# addresses) never starts like a formula; every other cell (what people wrote) is guarded.
UNGUARDED = frozenset((
    "kind", "level_min", "level_max", "entry_mode", "next_entry", "next_entry_status", "next_entry_deadline",
    "entries_state", "entries", "active_from", "active_until", "days", "parts_of_day", "hours_per_week", "cost_eur",
    "childcare", "job_oriented", "sectors", "prepares_for", "audiences", "requires_job_seeker_registration",
    "requires_valid_residence_permit", "entry_test", "registration", "confirmed_at", "stale", "operator_kind",
    "postal_code", "commune", "nis_code", "bassin_efe", "lat", "lon", "wheelchair_accessible", "reception_languages",
    "url"))
GUARDED: tuple[bool, ...] = tuple(column.name not in UNGUARDED for column in COLUMNS)

