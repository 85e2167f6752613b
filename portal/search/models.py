"""The word index behind ``q``: each distinct folded word of a course's title, description,
operator name and locality, so that "every word of q occurs as a substring" scans a small
vocabulary instead of every course's text; and the same words of each course in one line, to
check the words too common to intersect course by course."""
from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db


class SearchWord(db.Model):
    __tablename__ = "search_word"

    id: Mapped[int] = mapped_column(primary_key=True)
    word: Mapped[str] = mapped_column(String(200).with_variant(String(200, collation="C"), "postgresql"),
                                      unique=True)


class CourseWord(db.Model):
    __tablename__ = "course_word"
    __table_args__ = (Index("ix_course_word_course", "course_id"),)

    word_id: Mapped[int] = mapped_column(Integer, ForeignKey("search_word.id"), primary_key=True)
    course_id: Mapped[int] = mapped_column(Integer, ForeignKey("course.id", ondelete="CASCADE"),
                                           primary_key=True)


class CourseText(db.Model):
    """A course's index words, space-separated: a word of ``q`` (which has no space) occurs in
    this line exactly when it occurs in one of the course's words."""

    __tablename__ = "course_text"

    course_id: Mapped[int] = mapped_column(Integer, ForeignKey("course.id", ondelete="CASCADE"),
                                           primary_key=True, autoincrement=False)
    # C collation: LIKE compares bytes (the words are folded already), which is also the fastest.
    words: Mapped[str] = mapped_column(Text().with_variant(Text(collation="C"), "postgresql"))
