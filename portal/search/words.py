"""Maintain and query the word index (``SearchWord``/``CourseWord``).

A word of ``q`` has no spaces, so it occurs in a text exactly when it occurs inside one of the
text's space-separated words: matching it against the vocabulary is the same rule, faster."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, false, insert, select
from sqlalchemy.sql.elements import ColumnElement

from portal.extensions import db
from portal.normalise import fold
from portal.offer.models import Course
from portal.search.models import CourseWord, SearchWord


def words_of(course: Course) -> set[str]:
    """The folded words of the course's title, description, operator name and locality."""
    words: set[str] = set()
    for text in (course.title, course.description, course.operator.name, course.site.locality):
        words.update(word[:200] for word in fold(text).split())
    return words


def index_courses(courses: Iterable[Course]) -> None:
    """Replace the index entries of these (flushed) courses."""
    courses = list(courses)
    if not courses:
        return
    wanted = {course.id: words_of(course) for course in courses}
    vocabulary = _word_ids(set().union(*wanted.values()))
    ids = list(wanted)
    for start in range(0, len(ids), 500):
        db.session.execute(delete(CourseWord).where(CourseWord.course_id.in_(ids[start:start + 500])))
    rows = [{"word_id": vocabulary[word], "course_id": course_id}
            for course_id, words in wanted.items() for word in words]
    for start in range(0, len(rows), 20000):
        db.session.execute(insert(CourseWord), rows[start:start + 20000])


def _word_ids(words: set[str]) -> dict[str, int]:
    known: dict[str, int] = {}
    ordered = sorted(words)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start:start + 500]
        known.update(db.session.execute(
            select(SearchWord.word, SearchWord.id).where(SearchWord.word.in_(chunk))
        ).all())
    missing = [{"word": word} for word in ordered if word not in known]
    if missing:
        db.session.execute(insert(SearchWord), missing)
        return _word_ids(words)
    return known


# Above this many vocabulary matches, let the database join instead of listing ids.
MAX_LISTED_WORDS = 200


def contains_word_condition(word: str) -> ColumnElement[bool]:
    """Courses with ``word`` (already folded) inside one of their words.

    The vocabulary is read first, so that the database plans the main query knowing which words
    (common or rare) it is looking for."""
    matching_words = select(SearchWord.id).where(SearchWord.word.contains(word, autoescape=True))
    ids = list(db.session.scalars(matching_words.limit(MAX_LISTED_WORDS + 1)))
    if len(ids) > MAX_LISTED_WORDS:
        return Course.id.in_(select(CourseWord.course_id).where(CourseWord.word_id.in_(matching_words)))
    if not ids:
        return false()
    return Course.id.in_(select(CourseWord.course_id).where(CourseWord.word_id.in_(ids)))
