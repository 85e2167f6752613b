"""Scheduled jobs: `flask jobs run` runs what is due, each job once at a time whatever the number
of servers calling, records every run, survives a failing or crashed job; the daily refresh of
derived dates happens there and never inside a visitor's search."""
from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from sqlalchemy import event, select, update

from portal.extensions import db
from portal.geo.gazetteer import get_gazetteer
from portal.jobs import schedule
from portal.jobs.models import JobRun, JobState
from portal.jobs.schedule import Job
from portal.jobs.services import run_jobs
from portal.offer.derived import next_starts_are_current, refresh_next_starts
from portal.offer.models import Course
from portal.search.filters import parse_filters
from portal.search.queries import search_courses
from tests import factories as f
from tests.conftest import TODAY

UTC = dt.UTC


def utc(*args) -> dt.datetime:
    return dt.datetime(*args)


def test_daily_threshold_is_the_last_time_the_hour_struck_in_brussels():
    job = Job("x", "", lambda now: "", daily_at=dt.time(7, 0))
    # Winter (UTC+1): 07:00 in Brussels is 06:00 UTC.
    assert job.due_threshold(utc(2026, 11, 30, 5, 59)) == utc(2026, 11, 29, 6, 0)
    assert job.due_threshold(utc(2026, 11, 30, 6, 0)) == utc(2026, 11, 30, 6, 0)
    # Summer (UTC+2): 05:00 UTC.
    assert job.due_threshold(utc(2026, 7, 1, 5, 30)) == utc(2026, 7, 1, 5, 0)
    midnight = Job("y", "", lambda now: "", daily_at=dt.time(0, 0))
    assert midnight.due_threshold(utc(2026, 11, 30, 23, 30)) == utc(2026, 11, 30, 23, 0)  # 00:30 on 1 Dec


def test_every_threshold_has_a_little_slack():
    job = Job("x", "", lambda now: "", every=dt.timedelta(minutes=5))
    assert job.due_threshold(utc(2026, 11, 30, 10, 5)) == utc(2026, 11, 30, 10, 0, 30)


@pytest.fixture()
def counted(monkeypatch):
    """Replace the schedule with counting jobs (one slow, one failing)."""
    calls: list[str] = []

    def slow(now):
        calls.append("slow")
        time.sleep(0.3)
        return "slept"

    def failing(now):
        calls.append("failing")
        raise RuntimeError("no SMTP server")

    jobs = (Job("slow", "sleeps", slow, every=dt.timedelta(minutes=5)),
            Job("failing", "fails", failing, every=dt.timedelta(minutes=5)))
    monkeypatch.setattr(schedule, "JOBS", jobs)
    monkeypatch.setattr("portal.jobs.services.JOBS", jobs)
    return calls


def test_a_job_runs_when_due_and_its_runs_are_recorded(app_context, counted):
    now = utc(2026, 11, 30, 10, 0)
    outcomes = {o.job: o for o in run_jobs(now)}
    assert outcomes["slow"].status == "ok" and outcomes["slow"].summary == "slept"
    assert outcomes["failing"].status == "failed" and "no SMTP server" in outcomes["failing"].summary
    # Two minutes later: the slow one is not due, the failed one is tried again.
    outcomes = {o.job: o.status for o in run_jobs(now + dt.timedelta(minutes=2))}
    assert outcomes == {"slow": "not_due", "failing": "failed"}
    assert counted == ["slow", "failing", "failing"]
    runs = db.session.execute(select(JobRun.job, JobRun.status).order_by(JobRun.id)).all()
    assert runs == [("slow", "ok"), ("failing", "failed"), ("failing", "failed")]
    state = db.session.get(JobState, "failing")
    assert state.failures == 2 and state.lease_until is None and state.last_success_at is None
    assert run_jobs(now + dt.timedelta(minutes=5))[0].status == "ok"  # the slow one, due again


def test_a_held_job_is_skipped_and_a_crashed_one_taken_over(app_context, counted):
    now = utc(2026, 11, 30, 10, 0)
    run_jobs(now, only=["slow"])
    later = now + dt.timedelta(minutes=10)
    # Another server holds it (its lease runs until later + 20 min).
    held_until = later + dt.timedelta(minutes=20)
    db.session.execute(update(JobState).where(JobState.name == "slow").values(lease_until=held_until))
    db.session.commit()
    assert run_jobs(later, only=["slow"])[0].status == "busy"
    # That server died: its lease expires and the job runs again.
    assert run_jobs(later + dt.timedelta(minutes=21), only=["slow"])[0].status == "ok"
    assert counted == ["slow", "slow"]


def test_two_servers_calling_at_once_run_a_job_once(app, app_context, counted):
    now = utc(2026, 11, 30, 10, 0)
    run_jobs(now, only=["failing"])  # the state rows exist
    counted.clear()
    barrier = threading.Barrier(3)
    outcomes = []

    def server():
        with app.app_context():
            barrier.wait()
            outcomes.extend(o.status for o in run_jobs(now, only=["slow"]))
            db.session.remove()

    threads = [threading.Thread(target=server) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counted == ["slow"]
    assert sorted(outcomes) == ["busy", "busy", "ok"] or sorted(outcomes) == ["busy", "not_due", "ok"] or \
        sorted(outcomes) == ["not_due", "not_due", "ok"]


def test_jobs_command(app, app_context, counted):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["jobs", "run", "--only", "slow"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("slow: ok in ")
    again = runner.invoke(args=["jobs", "run", "--only", "slow"])
    assert again.output == "slow: not due\n"
    forced = runner.invoke(args=["jobs", "run", "--only", "slow", "--force"])
    assert forced.output.startswith("slow: ok")
    failed = runner.invoke(args=["jobs", "run"])
    assert failed.exit_code == 1 and "failing: failed" in failed.output
    status = runner.invoke(args=["jobs", "status"])
    assert "slow (every 0:05:00): sleeps" in status.output and "failing" in status.output
    assert "1 failure(s) in a row" in status.output
    unknown = runner.invoke(args=["jobs", "run", "--only", "nope"])
    assert unknown.exit_code == 2 and "unknown job 'nope'" in unknown.output


def test_the_real_schedule(app, app_context):
    assert [job.name for job in schedule.JOBS] == ["derived_dates", "reminders", "referrals", "referral_purge",
                                                   "alerts", "outbox", "purge", "short_links", "open_data",
                                                   "backup"]
    outcomes = {o.job: o for o in run_jobs(utc(2026, 11, 27, 8, 0))}
    assert {name: o.status for name, o in outcomes.items()} == {name: "ok" for name in outcomes}
    assert outcomes["derived_dates"].summary == "next start of 0 course(s) computed for 2026-11-27"


# -- derived dates ---------------------------------------------------------------------------------
def _writes_during(callable_):
    writes: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().split()[0].upper() in ("UPDATE", "INSERT", "DELETE"):
            writes.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        result = callable_()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return result, writes


def test_the_soonest_start_sort_is_right_before_and_after_the_daily_job(app, app_context, monkeypatch):
    """Courses whose next start was computed days ago: the search stays right without writing,
    and the daily job makes the stored dates true again."""
    day = lambda n: (TODAY + dt.timedelta(days=n)).isoformat()  # noqa: E731
    monkeypatch.setitem(app.config, "PASSERELLE_TODAY", day(-10))
    f.load_courses(
        f.course("a", title="A", entry_mode="fixed", entries=[{"start": day(-5), "status": "open"},
                                                               {"start": day(30), "status": "open"}]),
        f.course("b", title="B", entry_mode="fixed", entries=[{"start": day(10), "status": "open"}]),
        f.course("c", title="C", entry_mode="fixed",  # its deadline passed since
                 entries=[{"start": day(3), "registration_deadline": day(-2), "status": "open"},
                          {"start": day(50), "status": "open"}]),
        f.course("d", title="D", entry_mode="rolling", active_from=day(-20)),
    )
    refresh_next_starts(TODAY - dt.timedelta(days=10))
    monkeypatch.setitem(app.config, "PASSERELLE_TODAY", TODAY.isoformat())
    filters = parse_filters({"sort": "next_entry"}, get_gazetteer(), TODAY)
    assert not next_starts_are_current(TODAY)
    results, writes = _writes_during(lambda: search_courses(filters))
    assert writes == []  # a visitor's search never updates the offer
    assert [hit.course.ref for hit in results.hits] == ["d", "b", "a", "c"]

    (outcome,) = run_jobs(utc(2026, 11, 27, 0, 30), only=["derived_dates"])
    assert outcome.summary == "next start of 4 course(s) computed for 2026-11-27"
    assert next_starts_are_current(TODAY)
    stored = dict(db.session.execute(select(Course.ref, Course.next_start)).all())
    assert stored == {"a": TODAY + dt.timedelta(days=30), "b": TODAY + dt.timedelta(days=10),
                      "c": TODAY + dt.timedelta(days=50), "d": TODAY}
    results, writes = _writes_during(lambda: search_courses(filters))
    assert writes == [] and [hit.course.ref for hit in results.hits] == ["d", "b", "a", "c"]
