"""Query the word index (``SearchWord``/``CourseWord``/``CourseText``, kept by ``offer.derived``).

A word of ``q`` has no spaces, so it occurs in a text exactly when it occurs inside one of the
text's space-separated words: matching it against the vocabulary is the same rule, faster.

The cost of ``q`` must stay bounded whatever the words (issue 8; at most 10 words): ``match_words``
looks each word up in the vocabulary and counts its courses (up to a bound), then starts from the
rarest word when one is rare enough: its courses are read from the index and the other words
checked on their lines only (``CourseText``). When every word is common, it reads each course's
line once, rarest words checked first. Either way it lists the matching courses when they are few,
so that the count and the page do not search again; when they are many, a page walks the sort
index and stops early. The cost is then at most one pass over the lines of every course, each
checked for at most 10 words."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, false, func, select
from sqlalchemy.sql.elements import ColumnElement

from portal.extensions import db
from portal.offer.models import Course, CourseText, CourseWord, SearchWord

# A word of q matching more vocabulary words than this is common: it is only checked course by course.
MAX_LISTED_WORDS = 200
# The rarest word drives the search when the index holds fewer course rows than this for it; and
# when at most this many courses hold every word, they are listed (the count and the page read the list).
MAX_LISTED_COURSES = 5000


@dataclass(frozen=True)
class TextMatch:
    """The courses in which every word of q occurs, as conditions on ``Course``."""

    # For a query that reads every match (a count): a set the database computes once.
    condition: ColumnElement[bool]
    # For a walk along a sort index that stops after a page: checked course by course.
    per_course: ColumnElement[bool]
    # The matching courses, when they were few enough to list (else None).
    listed: tuple[int, ...] | None = None


def match_words(words: Sequence[str]) -> TextMatch:
    """Every word (folded, without spaces) occurs in the course's title, description, operator
    name or locality. Two short lookups per word, then at most one pass over the courses."""
    looked_up = _look_up_all(words)
    if looked_up is None:
        return _listed(())
    rarest, others = looked_up[0], looked_up[1:]
    checks = [_contains(w.word) for w in others]
    if rarest.rows <= MAX_LISTED_COURSES:
        return _listed(_courses_with_rarest(rarest, checks))
    # Every word is common: one pass over the courses' lines of words, which stops early when the
    # words are everywhere.
    checks.insert(0, _contains(rarest.word))
    matching = select(CourseText.course_id).where(*checks)
    listed = tuple(db.session.scalars(matching.limit(MAX_LISTED_COURSES + 1)))
    if len(listed) <= MAX_LISTED_COURSES:
        return _listed(listed)
    return _too_many_to_list(looked_up, checks, matching)


def _look_up_all(words: Sequence[str]) -> list[_Word] | None:
    """Each word looked up, rarest first (then longest): most courses fail on the first check.
    None when a word occurs in no course."""
    # A word inside another word of q says nothing more: where "metier" occurs, "met" does too.
    words = [word for word in words if not any(word != other and word in other for other in words)]
    looked_up = []
    for word in words:
        found = _look_up(word, read_courses=len(words) == 1)
        if found is None:
            return None
        looked_up.append(found)
    return sorted(looked_up, key=lambda w: (w.rows, -len(w.word), w.word))


def _courses_with_rarest(rarest: _Word, checks: list[ColumnElement[bool]]) -> tuple[int, ...]:
    """Few courses hold the rarest word: the other words are checked on them only."""
    if rarest.courses is not None:
        return rarest.courses
    with_rarest = select(CourseWord.course_id).where(CourseWord.word_id.in_(rarest.vocabulary))
    return tuple(db.session.scalars(
        select(CourseText.course_id).where(CourseText.course_id.in_(with_rarest), *checks)))


def _too_many_to_list(looked_up: list[_Word], checks: list[ColumnElement[bool]], matching: Any) -> TextMatch:
    """A count reads every line once (or, for one or two words with few vocabulary words, their
    rows of the index, which is faster); a page walks the sort index and checks the courses it
    meets (a correlated subquery is never turned into a join)."""
    per_course = func.coalesce(select(and_(*checks)).where(CourseText.course_id == Course.id).scalar_subquery(),
                               false())
    if len(looked_up) <= 2 and all(w.vocabulary for w in looked_up):
        return TextMatch(and_(*(Course.id.in_(select(CourseWord.course_id).where(CourseWord.word_id.in_(w.vocabulary)))
                                for w in looked_up)), per_course)
    return TextMatch(Course.id.in_(matching), per_course)


@dataclass(frozen=True)
class _Word:
    word: str
    vocabulary: tuple[int, ...]  # empty: more than MAX_LISTED_WORDS
    rows: int  # its course rows in the index, counted up to MAX_LISTED_COURSES + 1
    courses: tuple[int, ...] | None = None  # read when asked and at most MAX_LISTED_COURSES rows


def _listed(ids: tuple[int, ...]) -> TextMatch:
    # Written into the statement (integers only): thousands of bound parameters cost more to
    # send and plan than the numbers themselves.
    condition = Course.id.in_(bindparam("listed_courses", ids, expanding=True, literal_execute=True)) \
        if ids else false()
    return TextMatch(condition, condition, ids)


def _look_up(word: str, read_courses: bool = False) -> _Word | None:
    """The vocabulary words holding ``word`` and how many course rows they have (counted up to
    a bound; the courses themselves read only when asked), or None when no course has it."""
    vocabulary = tuple(db.session.scalars(
        select(SearchWord.id).where(SearchWord.word.contains(word, autoescape=True)).limit(MAX_LISTED_WORDS + 1)))
    if not vocabulary:
        return None
    if len(vocabulary) > MAX_LISTED_WORDS:
        return _Word(word, (), MAX_LISTED_COURSES + 1)
    limited = select(CourseWord.course_id).where(CourseWord.word_id.in_(vocabulary)).limit(MAX_LISTED_COURSES + 1)
    if read_courses:
        rows = list(db.session.scalars(limited))
        courses = tuple(sorted(set(rows))) if len(rows) <= MAX_LISTED_COURSES else None
        return _Word(word, vocabulary, len(rows), courses) if rows else None
    rows = db.session.scalar(select(func.count()).select_from(limited.subquery()))
    return _Word(word, vocabulary, rows) if rows else None


def _contains(word: str) -> ColumnElement[bool]:
    return CourseText.words.contains(word, autoescape=True)
