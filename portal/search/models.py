"""The word index behind ``q``: each distinct folded word of a course's title, description,
operator name and locality, so that "every word of q occurs as a substring" scans a small
vocabulary instead of every course's text."""
from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, String
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
