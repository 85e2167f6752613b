"""Short links to a selection: what a person scans or receives by SMS (course refs and a language,
nothing about anyone)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db


class ShortLink(db.Model):
    __tablename__ = "short_link"
    __table_args__ = (Index("ix_short_link_language_refs", "language", "refs"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Random, from an alphabet without look-alike characters (a person may type it from a screen).
    code: Mapped[str] = mapped_column(String(16), unique=True)
    # The selection's course refs in order, comma-separated (at most 12 refs of 120 characters).
    refs: Mapped[str] = mapped_column(String(1500))
    # The person's language (a public language code: "fr", "ar", "fa-AF"…).
    language: Mapped[str] = mapped_column(String(5))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # Six months after it was last made (asking again for the same selection extends it); the
    # scheduled job short_links deletes it after that.
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)

    @property
    def ref_list(self) -> list[str]:
        return [ref for ref in self.refs.split(",") if ref]
