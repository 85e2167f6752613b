"""Running scheduled jobs: claim each due job with a conditional update (at most one run at a time,
whichever server calls), run it, record the run."""
from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from portal.db import utc_now
from portal.extensions import db
from portal.jobs.models import JobRun, JobState
from portal.jobs.schedule import JOBS, Job

log = logging.getLogger("passerelle.jobs")
KEEP_RUNS = dt.timedelta(days=90)




@dataclass(frozen=True)
class Outcome:
    job: str
    status: str  # ok, failed, not_due, busy
    summary: str = ""
    seconds: float = 0.0


def _ensure_state_rows(jobs: Iterable[Job]) -> None:
    known = set(db.session.scalars(select(JobState.name)))
    for job in jobs:
        if job.name in known:
            continue
        try:
            db.session.execute(insert(JobState).values(name=job.name, failures=0))
            db.session.commit()
        except IntegrityError:  # another server added it at the same moment
            db.session.rollback()


def _claim(job: Job, now: dt.datetime, force: bool) -> str:
    """"claimed", or why not: "busy" (another run holds it) or "not_due"."""
    due = or_(JobState.last_success_at.is_(None), JobState.last_success_at < job.due_threshold(now))
    free = or_(JobState.lease_until.is_(None), JobState.lease_until <= now)
    conditions = [JobState.name == job.name, free] + ([] if force else [due])
    claimed = db.session.execute(update(JobState).where(*conditions)
                                 .values(lease_until=now + job.lease, last_started_at=now))
    db.session.commit()
    if claimed.rowcount == 1:
        return "claimed"
    state = db.session.get(JobState, job.name)
    db.session.refresh(state)
    return "busy" if state.lease_until is not None and state.lease_until > now else "not_due"


def run_jobs(now: dt.datetime | None = None, only: Iterable[str] = (), force: bool = False) -> list[Outcome]:
    """Run every due job (or only those named; ``force``: due or not), one after the other. Each
    job sees the clock at its own start (an e-mail queued by one job is due for the outbox job
    after it), unless ``now`` fixes the time (tests)."""
    wanted = set(only)
    jobs = [job for job in JOBS if not wanted or job.name in wanted]
    _ensure_state_rows(jobs)
    return [_run_one(job, now or utc_now(), force) for job in jobs]


def _run_one(job: Job, now: dt.datetime, force: bool) -> Outcome:
    claim = _claim(job, now, force)
    if claim != "claimed":
        return Outcome(job.name, claim)
    run = JobRun(job=job.name, started_at=utc_now(), status="running",
                 host=f"{socket.gethostname()}:{os.getpid()}"[:200])
    db.session.add(run)
    db.session.commit()
    run_id = run.id
    started = time.perf_counter()
    try:
        summary, status = job.run(now), "ok"
        db.session.commit()
    except Exception as exc:  # a job's failure is recorded and retried at the next call
        db.session.rollback()
        log.exception("job %s failed", job.name)
        summary, status = f"{type(exc).__name__}: {exc}"[:2000], "failed"
    seconds = time.perf_counter() - started
    values = {"lease_until": None}
    if status == "ok":
        values.update(last_success_at=now, failures=0)
    else:
        values["failures"] = JobState.failures + 1
    db.session.execute(update(JobState).where(JobState.name == job.name).values(**values))
    db.session.execute(update(JobRun).where(JobRun.id == run_id)
                       .values(finished_at=utc_now(), status=status, summary=summary))
    db.session.commit()
    log.info("job %s %s in %.2f s: %s", job.name, status, seconds, summary)
    return Outcome(job.name, status, summary, seconds)


def purge_runs(now: dt.datetime) -> str:
    """Forget the runs older than KEEP_RUNS."""
    deleted = db.session.execute(delete(JobRun).where(JobRun.started_at < now - KEEP_RUNS))
    db.session.commit()
    return f"{deleted.rowcount or 0} old job run(s) forgotten"


def job_overview() -> list[tuple[Job, JobState | None, JobRun | None]]:
    """Each job with its state and its last run."""
    states = {state.name: state for state in db.session.scalars(select(JobState))}
    rows = []
    for job in JOBS:
        last = db.session.scalar(select(JobRun).where(JobRun.job == job.name)
                                 .order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(1))
        rows.append((job, states.get(job.name), last))
    return rows
