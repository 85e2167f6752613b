"""What a course's own fields determine and the search reads: the title's sort key, the next
start (true for the day of SearchState, refreshed daily by the ``derived_dates`` job) and the word
index behind ``q`` (SearchWord, CourseWord, CourseText). Written by the one write path
(``services.import_offer``) and the jobs; the search only reads them."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import delete, func, insert, select, update

from portal.extensions import db
from portal.normalise import fold
from portal.offer import rules
from portal.offer.models import NO_NEXT_START, Course, CourseText, CourseWord, SearchState, SearchWord
from portal.offer.sql_rules import next_entry_sql


def refresh_derived(course: Course, today: dt.date) -> None:
    """Recompute the columns derived from a course's own fields and its operator and site."""
    course.title_key = fold(course.title)[:200]
    following = rules.next_entry(course, today)
    course.next_start = following.start if following else NO_NEXT_START


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
    courses = list(courses)
    if not courses:
        return
    wanted = {course.id: words_of(course) for course in courses}
    vocabulary = _word_ids(set().union(*wanted.values()))
    ids = list(wanted)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        db.session.execute(delete(CourseWord).where(CourseWord.course_id.in_(chunk)))
        db.session.execute(delete(CourseText).where(CourseText.course_id.in_(chunk)))
    rows = [{"word_id": vocabulary[word], "course_id": course_id}
            for course_id, words in wanted.items() for word in words]
    for start in range(0, len(rows), 20000):
        db.session.execute(insert(CourseWord), rows[start:start + 20000])
    lines = [{"course_id": course_id, "words": " ".join(words)} for course_id, words in wanted.items()]
    for start in range(0, len(lines), 5000):
        db.session.execute(insert(CourseText), lines[start:start + 5000])


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
