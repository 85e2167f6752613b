"""The only thing kept of public searches: how many, per day, commune, kinds, level and band."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db


class SearchCount(db.Model):
    __tablename__ = "search_count"
    __table_args__ = (UniqueConstraint("day", "nis_code", "kinds", "level", "band",
                                       name="uq_search_count_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, index=True)  # Europe/Brussels
    # The commune (NIS code) of the search's reference point; "" without one or outside Wallonia.
    nis_code: Mapped[str] = mapped_column(String(5), default="")
    kinds: Mapped[str] = mapped_column(String(40), default="")  # sorted, comma-separated; "" = every kind
    level: Mapped[str] = mapped_column(String(8), default="")  # "" = any level
    # The nearest matching course: "10" (≤ 10 km), "25" (≤ 25 km), "far" (> 25 km), "none" (no
    # course matches at all), "" (a match, but no reference point to measure from).
    band: Mapped[str] = mapped_column(String(4), default="")
    count: Mapped[int] = mapped_column(Integer, default=0)
