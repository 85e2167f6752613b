"""What a course's own fields determine and the search reads: the title's sort key, the next
start (true for the day of SearchState, refreshed daily by the ``derived_dates`` job) and the word
index behind ``q`` (SearchWord, CourseWord, CourseText). Written by the one write path
(``services.import_offer``) and the jobs; the search only reads them."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update

from portal.db import insert_rows
from portal.extensions import db
from portal.normalise import fold
from portal.offer import rules
from portal.offer.models import NO_NEXT_START, Course, CourseText, CourseWord, SearchState, SearchWord
from portal.offer.sql_rules import next_entry_sql


def derived_columns(course: Any, today: dt.date) -> dict[str, Any]:
    """The columns derived from a course's own fields (``course``: a Course, or anything with its
    attributes and entries, as the import's rows of new courses)."""
    following = rules.next_entry(course, today)
    return {"title_key": fold(course.title)[:200], "next_start": following.start if following else NO_NEXT_START}


def refresh_derived(course: Course, today: dt.date) -> None:
    """Recompute the columns derived from a course's own fields and its operator and site."""
    for key, value in derived_columns(course, today).items():
        setattr(course, key, value)


def refresh_next_starts(today: dt.date) -> int:
    """Make every Course.next_start true for ``today`` in one UPDATE (the daily job of
    ``portal.jobs``; never inside a visitor's search). Returns the number of courses."""
    result = db.session.execute(
        update(Course).values(next_start=func.coalesce(next_entry_sql(today), NO_NEXT_START))
    )
    state = db.session.get(SearchState, 1)
    if state is None:
        db.session.add(SearchState(id=1, next_start_on=today))
    else:
        state.next_start_on = today
    db.session.commit()
    return result.rowcount or 0


def next_starts_are_current(today: dt.date) -> bool:
    """True when every Course.next_start was computed for ``today`` (the daily job ran)."""
    state = db.session.get(SearchState, 1)
    return state is not None and state.next_start_on == today



# -- the word index ---------------------------------------------------------------------------
def words_of(course: Course) -> list[str]:
    """The folded words of the course's operator name, locality, title and description, each
    once, in order of appearance. The short fields that many courses share come first, and in a
    text the frequent words come early: a common word of q is found after a few characters."""
    return line_of(course.operator.name, course.site.locality, course.title, course.description)


def line_of(*texts: str | None) -> list[str]:
    words: dict[str, None] = {}
    for text in texts:
        words.update((word[:200], None) for word in fold(text).split())
    return list(words)


def index_courses(courses: Iterable[Course]) -> None:
    """Replace the index entries of these (flushed) courses."""
    index_words({course.id: words_of(course) for course in courses})


def index_words(wanted: dict[int, list[str]]) -> None:
    """Replace the index entries of courses by id: their words as ``words_of`` gives them."""
    if not wanted:
        return
    vocabulary = _word_ids(set().union(*wanted.values()))
    ids = list(wanted)
    # Core statements: the ORM's bulk paths would look through the session for every row.
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        db.session.execute(CourseWord.__table__.delete().where(CourseWord.__table__.c.course_id.in_(chunk)))
        db.session.execute(CourseText.__table__.delete().where(CourseText.__table__.c.course_id.in_(chunk)))
    # In the primary key's order: PostgreSQL's index takes them faster.
    rows = sorted(({"word_id": vocabulary[word], "course_id": course_id}
                   for course_id, words in wanted.items() for word in words),
                  key=lambda row: (row["word_id"], row["course_id"]))
    insert_rows(db.session.connection(), CourseWord.__table__, rows)
    insert_rows(db.session.connection(), CourseText.__table__,
                [{"course_id": course_id, "words": " ".join(words)} for course_id, words in wanted.items()])


def reindex_words(wanted: dict[int, list[str]]) -> None:
    """``index_words`` for courses indexed already, writing only what changed: the words a course
    lost or gained, its line when it differs (a changed course keeps most of its words)."""
    stored = _stored_lines(list(wanted))
    index_words({course_id: words for course_id, words in wanted.items() if course_id not in stored})
    lines = {course_id: " ".join(words) for course_id, words in wanted.items()
             if course_id in stored and stored[course_id] != " ".join(words)}
    lost, gained = [], []
    for course_id in lines:
        before, after = set(stored[course_id].split()), set(wanted[course_id])
        lost += [(course_id, word) for word in before - after]
        gained += [(course_id, word) for word in after - before]
    _rewrite_words(lines, lost, gained)


def _rewrite_words(lines: dict[int, str], lost: list[tuple[int, str]], gained: list[tuple[int, str]]) -> None:
    """Courses' new index lines, and the (course id, word) pairs they lost and gained."""
    vocabulary = _word_ids({word for _, word in lost + gained})
    table = CourseWord.__table__
    if lost:
        db.session.execute(table.delete().where(table.c.word_id == bindparam("lost_word"),
                                                table.c.course_id == bindparam("lost_course")),
                           [{"lost_word": vocabulary[word], "lost_course": course_id} for course_id, word in lost])
    insert_rows(db.session.connection(), table, sorted(
        ({"word_id": vocabulary[word], "course_id": course_id} for course_id, word in gained),
        key=lambda row: (row["word_id"], row["course_id"])))
    changed = list(lines)
    for start in range(0, len(changed), 500):
        db.session.execute(CourseText.__table__.delete().where(
            CourseText.__table__.c.course_id.in_(changed[start:start + 500])))
    insert_rows(db.session.connection(), CourseText.__table__,
                [{"course_id": course_id, "words": line} for course_id, line in lines.items()])


def _stored_lines(course_ids: list[int]) -> dict[int, str]:
    """The index lines (CourseText) of these courses, by id (a course without one has none)."""
    lines: dict[int, str] = {}
    for start in range(0, len(course_ids), 500):
        lines.update(db.session.execute(select(CourseText.course_id, CourseText.words)
                                        .where(CourseText.course_id.in_(course_ids[start:start + 500]))).all())
    return lines


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
