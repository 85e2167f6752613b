"""Every scheduled job, in one table: what it does and when it is due.

A job is due when its last success is older than its threshold: for ``every``, that long ago
(with a little slack, so that a cron call every 5 minutes runs a 5-minute job every time); for
``daily_at``, the last time that hour struck in Wallonia (a day missed while the servers were
down is caught up at the next call)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from portal.offer.rules import BRUSSELS

UTC = dt.UTC


@dataclass(frozen=True)
class Job:
    name: str
    description: str
    run: Callable[[dt.datetime], str]  # now (UTC, naive) → one line saying what it did
    every: dt.timedelta | None = None
    daily_at: dt.time | None = None  # Brussels time
    # How long a run may hold the job before another server may take it over (a crashed run).
    lease: dt.timedelta = dt.timedelta(minutes=30)

    def due_threshold(self, now: dt.datetime) -> dt.datetime:
        """The job is due when its last success (UTC, naive) is before this instant."""
        if self.every is not None:
            slack = min(self.every / 10, dt.timedelta(seconds=60))
            return now - self.every + slack
        assert self.daily_at is not None
        local_now = now.replace(tzinfo=UTC).astimezone(BRUSSELS)
        day = local_now.date()
        struck = dt.datetime.combine(day, self.daily_at, tzinfo=BRUSSELS)
        if struck > local_now:
            struck = dt.datetime.combine(day - dt.timedelta(days=1), self.daily_at, tzinfo=BRUSSELS)
        return struck.astimezone(UTC).replace(tzinfo=None)


def _refresh_derived_dates(now: dt.datetime) -> str:
    from portal.offer import rules
    from portal.offer.derived import refresh_next_starts

    today = rules.today()
    count = refresh_next_starts(today)
    return f"next start of {count} course(s) computed for {today.isoformat()}"


def _send_reminders(now: dt.datetime) -> str:
    from portal.offer import rules
    from portal.reminders.services import send_due_reminders

    return send_due_reminders(rules.today())


def _referrals(now: dt.datetime) -> str:
    from portal.referrals.services import run_referral_jobs

    return run_referral_jobs(now)


def _referral_purge(now: dt.datetime) -> str:
    from portal.referrals.services import run_referral_purge

    return run_referral_purge(now)


def _send_alerts(now: dt.datetime) -> str:
    from portal.alerts.services import run_alerts
    from portal.offer import rules

    return run_alerts(rules.today(), now).summary()


def _deliver_mail(now: dt.datetime) -> str:
    from portal.mail.outbox import deliver_outbox

    return deliver_outbox(now)


def _purge(now: dt.datetime) -> str:
    from portal.accounts.sign_in import purge_counters
    from portal.jobs.services import purge_runs
    from portal.mail.outbox import purge_outbox

    return "; ".join((purge_runs(now), purge_outbox(now), purge_counters(now)))


def _purge_short_links(now: dt.datetime) -> str:
    from portal.selection.services import purge_short_links

    return purge_short_links(now)


def _build_open_data(now: dt.datetime) -> str:
    from portal.offer import rules
    from portal.opendata.build import run_build
    from portal.opendata.store import open_data_dir

    return run_build(open_data_dir(), rules.today())


def _backup(now: dt.datetime) -> str:
    from portal.backup.services import run_backup

    return run_backup(now)


JOBS: tuple[Job, ...] = (
    Job("derived_dates", "Recompute each course's next start for the new day (the 'soonest start' sort).",
        _refresh_derived_dates, daily_at=dt.time(0, 0)),
    Job("reminders", "E-mail operators whose courses go stale or whose sessions all closed registrations.",
        _send_reminders, daily_at=dt.time(7, 0)),
    Job("referrals", "Remind operators of referrals unanswered after 5 working days; close those unanswered "
        "after 30 days.", _referrals, daily_at=dt.time(7, 0)),
    Job("referral_purge", "Delete referrals 90 days after their last news, keeping anonymous counts.",
        _referral_purge, daily_at=dt.time(3, 0)),
    Job("alerts", "E-mail each alert the entries that opened among its search's courses; forget ended alerts.",
        _send_alerts, daily_at=dt.time(8, 0)),
    # After the jobs that write e-mails, so that they leave in the same run.
    Job("outbox", "Send the e-mails waiting in the outbox; retry those that failed.", _deliver_mail,
        every=dt.timedelta(0), lease=dt.timedelta(minutes=10)),
    Job("purge", "Forget old job runs, sent e-mails and sign-in counters.", _purge, daily_at=dt.time(3, 0)),
    Job("short_links", "Delete the short links to selections whose six months are over.", _purge_short_links,
        daily_at=dt.time(3, 15)),
    # After derived_dates (the day's next entries); the files say the day they are of.
    Job("open_data", "Build the open data files of the visible offer (CSV, passerelle-offer/1 JSON, GeoJSON).",
        _build_open_data, daily_at=dt.time(0, 30)),
    # After the night's purges, so that a backup holds nothing they deleted.
    Job("backup", "Back up the whole database; delete backups older than BACKUP_KEEP_DAYS (at most 90).",
        _backup, daily_at=dt.time(3, 30), lease=dt.timedelta(hours=2)),
)


def job_named(name: str) -> Job | None:
    return next((job for job in JOBS if job.name == name), None)
