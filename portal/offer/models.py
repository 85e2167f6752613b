"""Operator, Site, Course and Entry.

Lists of codes (days, sectors, audiences…) are stored as bit masks so that the search can
filter "any of" with one integer AND on SQLite and PostgreSQL alike; properties give lists.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.offer import codes

# Byte-order text on every database: PostgreSQL's locale collations ignore dashes and spaces,
# which would make sorts differ from SQLite's and keep indexes from serving ORDER BY.
SortableText = String(200).with_variant(String(200, collation="C"), "postgresql")
RefText = String(120).with_variant(String(120, collation="C"), "postgresql")
# "No next entry" sorts after every real date.
NO_NEXT_START = dt.date(9999, 12, 31)


def normalised_ref() -> CheckConstraint:
    """Refs are stored trimmed and in lower case (the exchange format compares them so): with the
    unique constraint on ref, no two refs differ only by case or spaces."""
    return CheckConstraint("ref = lower(trim(ref))", name="ref_normalised")


class Operator(db.Model):
    __tablename__ = "operator"
    __table_args__ = (normalised_ref(),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(RefText, unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    website: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))
    description: Mapped[str | None] = mapped_column(Text)
    # The bassin EFE of the sign-up request that created it (its coordinators validated it and
    # see it before it has a site). Not part of the exchange format.
    home_bassin: Mapped[str | None] = mapped_column(String(60))

    sites: Mapped[list[Site]] = relationship(
        back_populates="operator", order_by="Site.id", cascade="all, delete-orphan"
    )
    courses: Mapped[list[Course]] = relationship(
        back_populates="operator", order_by="Course.id", cascade="all, delete-orphan"
    )


class Site(db.Model):
    __tablename__ = "site"
    __table_args__ = (Index("ix_site_lat_lon", "lat", "lon"), normalised_ref())

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(RefText, unique=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operator.id"), index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    street: Mapped[str | None] = mapped_column(String(200))
    postal_code: Mapped[str] = mapped_column(String(4))
    locality: Mapped[str] = mapped_column(String(120))
    # From the gazetteer (the postal code decides the commune, hence the bassin).
    nis_code: Mapped[str] = mapped_column(String(5))
    commune: Mapped[str] = mapped_column(String(120))
    bassin_efe: Mapped[str] = mapped_column(String(60), index=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    # True when the operator gave lat/lon, False when the gazetteer placed the site.
    coordinates_given: Mapped[bool] = mapped_column(Boolean, default=False)
    wheelchair_accessible: Mapped[bool] = mapped_column(Boolean, default=False)
    transit_note: Mapped[str | None] = mapped_column(Text)
    # The languages the reception desk speaks: ISO 639-1 codes, comma-separated ("fr,ar,en").
    reception_languages_text: Mapped[str] = mapped_column("reception_languages", String(200), default="",
                                                          server_default="")

    operator: Mapped[Operator] = relationship(back_populates="sites")

    @property
    def reception_languages(self) -> list[str]:
        return [code for code in (self.reception_languages_text or "").split(",") if code]

    @reception_languages.setter
    def reception_languages(self, value: list[str]) -> None:
        self.reception_languages_text = ",".join(value)
    courses: Mapped[list[Course]] = relationship(back_populates="site")


class CourseCodes:
    """The code lists of a course, read from its masks and level ranks (Course, and the search's
    light copies of courses, portal.search.cards): level_min, level_max and the *_mask columns."""

    @property
    def level_min_code(self) -> str:
        return codes.LEVELS[self.level_min]

    @property
    def level_max_code(self) -> str:
        return codes.LEVELS[self.level_max]

    @property
    def sectors(self) -> list[str]:
        return codes.from_mask(self.sectors_mask, codes.SECTORS)

    @property
    def prepares_for(self) -> list[str]:
        return codes.from_mask(self.prepares_for_mask, codes.PREPARES_FOR)

    @property
    def days(self) -> list[str]:
        return codes.from_mask(self.days_mask, codes.DAYS)

    @property
    def parts_of_day(self) -> list[str]:
        return codes.from_mask(self.parts_of_day_mask, codes.PARTS_OF_DAY)

    @property
    def audiences(self) -> list[str]:
        return codes.from_mask(self.audiences_mask, codes.AUDIENCES)


class Course(CourseCodes, db.Model):
    __tablename__ = "course"
    __table_args__ = (
        # These cover the cheap filters (and the ids and sites that joins need), so that
        # counting matches reads an index only, on PostgreSQL as on SQLite.
        Index("ix_course_visible", "status", "confirmed_at", "level_min", "level_max", "kind", "site_id", "id"),
        Index("ix_course_kind_levels", "kind", "level_min", "level_max", "status", "confirmed_at", "site_id", "id"),
        Index("ix_course_site_visible", "site_id", "status", "confirmed_at", "level_min", "level_max", "kind", "id"),
        Index("ix_course_next_start", "next_start", "title_key", "ref"),
        Index("ix_course_title", "title_key", "ref"),
        normalised_ref(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(RefText, unique=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operator.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    title: Mapped[str] = mapped_column(String(200))
    # Lower-case, accent-free title: the sort key, the same on every database.
    title_key: Mapped[str] = mapped_column(SortableText)
    kind: Mapped[str] = mapped_column(String(10))
    # Ranks on codes.LEVELS (0 = alpha … 5 = C1), so that SQL compares them.
    level_min: Mapped[int] = mapped_column(SmallInteger)
    level_max: Mapped[int] = mapped_column(SmallInteger)
    level_note: Mapped[str | None] = mapped_column(Text)
    registration: Mapped[str] = mapped_column(String(20), default="direct")
    registration_note: Mapped[str | None] = mapped_column(Text)
    job_oriented: Mapped[bool] = mapped_column(Boolean, default=False)
    sectors_mask: Mapped[int] = mapped_column(Integer, default=0)
    prepares_for_mask: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str | None] = mapped_column(Text)
    days_mask: Mapped[int] = mapped_column(Integer, default=0)
    parts_of_day_mask: Mapped[int] = mapped_column(Integer, default=0)
    hours_per_week: Mapped[float | None] = mapped_column(Float)
    cost_eur: Mapped[float] = mapped_column(Float, default=0)
    childcare: Mapped[bool] = mapped_column(Boolean, default=False)
    audiences_mask: Mapped[int] = mapped_column(Integer, default=0)
    requires_job_seeker_registration: Mapped[bool] = mapped_column(Boolean, default=False)
    requires_valid_residence_permit: Mapped[bool] = mapped_column(Boolean, default=False)
    entry_test: Mapped[bool] = mapped_column(Boolean, default=False)
    entry_mode: Mapped[str] = mapped_column(String(10))
    active_from: Mapped[dt.date | None] = mapped_column(Date)
    active_until: Mapped[dt.date | None] = mapped_column(Date)
    confirmed_at: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="published")
    # rules.next_entry's date as of SearchState.next_start_on (NO_NEXT_START when none): lets
    # "soonest start first" use an index instead of computing every course's next entry.
    next_start: Mapped[dt.date] = mapped_column(Date, default=NO_NEXT_START)
    # Incremented by every ORM update: a form saved over a newer version is refused.
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    operator: Mapped[Operator] = relationship(back_populates="courses")
    site: Mapped[Site] = relationship(back_populates="courses")
    entries: Mapped[list[Entry]] = relationship(
        back_populates="course",
        order_by="(Entry.start, Entry.id)",
        cascade="all, delete-orphan",
    )


class SearchState(db.Model):
    """One row: the day for which every Course.next_start was computed."""

    __tablename__ = "search_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    next_start_on: Mapped[dt.date | None] = mapped_column(Date)


class Entry(db.Model):
    __tablename__ = "entry"
    __table_args__ = (
        Index("ix_entry_course_start", "course_id", "start"),
        Index("ix_entry_start", "start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"))
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date | None] = mapped_column(Date)
    registration_deadline: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(15), default="open")

    course: Mapped[Course] = relationship(back_populates="entries")


# -- derived data of courses: the word index behind q (see offer/derived.py) ---------------------
class SearchWord(db.Model):
    __tablename__ = "search_word"

    id: Mapped[int] = mapped_column(primary_key=True)
    word: Mapped[str] = mapped_column(String(200).with_variant(String(200, collation="C"), "postgresql"),
                                      unique=True)


class CourseWord(db.Model):
    """A word (SearchWord.id) of a course (Course.id). No foreign keys: checking them was 64 % of
    the time of writing the index on PostgreSQL (~25 rows a course), its only writer is
    ``derived.index_words``, and the portal deletes neither courses nor words."""

    __tablename__ = "course_word"
    __table_args__ = (Index("ix_course_word_course", "course_id"),)

    word_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    course_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class CourseText(db.Model):
    """A course's index words, space-separated: a word of ``q`` (which has no space) occurs in
    this line exactly when it occurs in one of the course's words."""

    __tablename__ = "course_text"

    course_id: Mapped[int] = mapped_column(Integer, ForeignKey("course.id", ondelete="CASCADE"),
                                           primary_key=True, autoincrement=False)
    # C collation: LIKE compares bytes (the words are folded already), which is also the fastest.
    words: Mapped[str] = mapped_column(Text().with_variant(Text(collation="C"), "postgresql"))


# -- the offer's generation: what tells each worker's search index that the offer changed -------
class OfferGeneration(db.Model):
    """One row (id 1) whose value changes with every committed change of the offer's searchable
    tables; written only by database triggers (``portal.offer.generation``)."""

    __tablename__ = "offer_generation"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    value: Mapped[int] = mapped_column(BigInteger)


class OfferChangeMark(db.Model):
    """PostgreSQL: a transaction that changed the offer, until it commits (then its deferred
    trigger bumps OfferGeneration and deletes the mark). Unused on SQLite."""

    __tablename__ = "offer_change_mark"

    txid: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)


# Its triggers come with create_all as with the migrations (it imports nothing from here).
from portal.offer import generation as _generation  # noqa: E402,F401
