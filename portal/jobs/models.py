"""The state of each scheduled job (who holds it, when it last succeeded) and the log of runs."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db


class JobState(db.Model):
    """One row per job. A run holds the job by setting ``lease_until`` with a conditional update:
    a second server finds it held and skips it; a crashed run's lease simply expires."""

    __tablename__ = "job_state"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    lease_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_started_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_success_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class JobRun(db.Model):
    """One run of a job: when, where, how it ended and what it did (one line)."""

    __tablename__ = "job_run"
    __table_args__ = (Index("ix_job_run_job_started", "job", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(60))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)  # UTC
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(10), default="running")  # running, ok, failed
    summary: Mapped[str | None] = mapped_column(Text)
    host: Mapped[str | None] = mapped_column(String(200))
