"""The scheduled jobs of referrals with a fixed clock: one reminder after 5 working days (Belgian
public holidays skipped, in Wallonia's time), closing after 30 days without answer, deletion 90
days after the last news leaving exactly the anonymous counts; the command line's --dry-run."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.jobs.services import run_jobs
from portal.referrals.models import Referral, ReferralCount
from portal.referrals.services import close_unanswered, delete_old, remind_operators
from portal.referrals.workdays import add_working_days, is_working_day, working_days_between
from tests.people import mails, make_people
from tests.referrals.helpers import make_referral


@pytest.fixture()
def people(app_context):
    return make_people()


def utc(text: str) -> dt.datetime:
    """A Brussels wall-clock time ("2026-11-14 07:00") as the naive UTC moment the columns store."""
    from portal.offer.rules import BRUSSELS

    return dt.datetime.fromisoformat(text).replace(tzinfo=BRUSSELS).astimezone(dt.UTC).replace(tzinfo=None)


def test_working_days_skip_weekends_and_belgian_public_holidays():
    assert not is_working_day(dt.date(2026, 11, 11))  # Armistice, a Wednesday
    assert not is_working_day(dt.date(2026, 11, 14)) and is_working_day(dt.date(2026, 11, 13))
    assert not is_working_day(dt.date(2027, 5, 17))  # Whit Monday
    # Thursday 5 November 2026: Fri 6, Mon 9, Tue 10, (Wed 11 Armistice), Thu 12, Fri 13.
    assert add_working_days(dt.date(2026, 11, 5), 5) == dt.date(2026, 11, 13)
    assert add_working_days(dt.date(2026, 12, 24), 2) == dt.date(2026, 12, 29)  # Christmas skipped
    assert working_days_between(dt.date(2026, 11, 5), dt.date(2026, 11, 13)) == 5
    assert working_days_between(dt.date(2026, 11, 5), dt.date(2026, 11, 5)) == 0


def test_the_operator_is_reminded_once_after_five_working_days(app, people):
    # Sent on Thursday 5 November at 17:30 in Brussels: the answer is due by Friday 13 (Armistice skipped).
    late = make_referral("course-a", "worker-a@example.org", sent_at=utc("2026-11-05 17:30"))
    answered = make_referral("course-a", "worker-a@example.org", sent_at=utc("2026-11-05 17:30"),
                             status="will_call", first_answer_at=utc("2026-11-06 10:00"))
    fresh = make_referral("course-b", "worker-b@example.org", sent_at=utc("2026-11-09 09:00"))
    assert remind_operators(utc("2026-11-13 23:59")) == []
    assert [r.id for r in remind_operators(utc("2026-11-14 00:00"), dry_run=True)] == [late.id]
    assert mails() == [] and db.session.get(Referral, late.id).reminded_at is None  # a dry run sends nothing
    assert [r.id for r in remind_operators(utc("2026-11-14 07:00"))] == [late.id]
    [mail] = mails()
    assert mail["to"] == "a@example.org" and f"/espace/orientations/{late.id}" in mail["body"]
    assert "Awa" not in mail["body"] and "0470" not in mail["body"]
    db.session.refresh(late)
    assert late.reminded_at == late.last_event_at == utc("2026-11-14 07:00")
    # Fresh (Monday 9): Tue 10, Thu 12, Fri 13, Mon 16, Tue 17 → reminded on Wednesday 18.
    assert remind_operators(utc("2026-11-17 23:00")) == []
    assert [r.id for r in remind_operators(utc("2026-11-18 07:00"))] == [fresh.id]
    # Once: the next days remind nobody again; the answered one never was.
    assert remind_operators(utc("2026-11-20 07:00")) == [] and len(mails()) == 2
    assert db.session.get(Referral, answered.id).reminded_at is None


def test_a_referral_without_answer_is_closed_after_thirty_days_and_the_worker_told(app, people):
    waiting = make_referral("course-a", "worker-a@example.org", sent_at=dt.datetime(2026, 10, 1, 9, 0))
    answered = make_referral("course-a", "worker-a@example.org", sent_at=dt.datetime(2026, 10, 1, 9, 0),
                             status="waiting_list", first_answer_at=dt.datetime(2026, 10, 2, 9, 0))
    assert close_unanswered(dt.datetime(2026, 10, 31, 8, 59)) == []
    assert [r.id for r in close_unanswered(dt.datetime(2026, 10, 31, 9, 0), dry_run=True)] == [waiting.id]
    assert db.session.get(Referral, waiting.id).status == "sent"
    close_unanswered(dt.datetime(2026, 10, 31, 9, 0))
    db.session.refresh(waiting)
    assert (waiting.status, waiting.closed_at, waiting.last_event_at) == (
        "no_answer", dt.datetime(2026, 10, 31, 9, 0), dt.datetime(2026, 10, 31, 9, 0))
    assert db.session.get(Referral, answered.id).status == "waiting_list"
    [mail] = mails()
    assert mail["to"] == "worker-a@example.org" and "Awa" not in mail["body"]
    assert close_unanswered(dt.datetime(2026, 11, 30, 9, 0)) == [] and len(mails()) == 1


def test_a_worker_who_left_has_the_news_sent_to_the_colleagues(app, people):
    from tests.referrals.helpers import user

    referral = make_referral("course-a", "worker-a@example.org", sent_at=dt.datetime(2026, 10, 1, 9, 0))
    user("worker-a@example.org").active = False
    db.session.commit()
    close_unanswered(dt.datetime(2026, 11, 1, 9, 0))
    assert mails()[-1]["to"] == "worker-a2@example.org"
    assert db.session.get(Referral, referral.id).status == "no_answer"


def test_the_purge_deletes_exactly_what_is_due_and_leaves_the_counts(app, people):
    now = dt.datetime(2027, 3, 1, 3, 0)
    due = dt.timedelta(days=90)

    def referral(course, last, **fields):
        return make_referral(course, "worker-a@example.org", sent_at=last - dt.timedelta(days=3),
                             last_event_at=last, **fields)

    # Sent on Thursday 26 November 2026 (Brussels), first answer on Tuesday 1 December: 3 working days.
    sent, answer = utc("2026-11-26 10:00"), utc("2026-12-01 11:00")
    gone = [make_referral("course-a", "worker-a@example.org", sent_at=sent, first_answer_at=answer,
                          answered_at=answer, status="accepted", last_event_at=now - due),
            make_referral("course-a", "worker-b@example.org", sent_at=sent, first_answer_at=answer,
                          answered_at=answer, status="accepted", last_event_at=now - due - dt.timedelta(days=40)),
            referral("course-b", now - due - dt.timedelta(seconds=1), status="no_answer")]
    kept = [referral("course-a", now - due + dt.timedelta(seconds=1), status="accepted"),
            referral("course-b", now - dt.timedelta(days=1))]
    course_a, course_b = gone[0].course_id, gone[2].course_id
    ids = {r.id for r in gone}
    assert {r.id for r in delete_old(now, dry_run=True)} == ids
    assert db.session.scalar(select(func.count(Referral.id))) == 5 and not db.session.scalars(
        select(ReferralCount)).all()
    assert {r.id for r in delete_old(now)} == ids
    assert set(db.session.scalars(select(Referral.id))) == {r.id for r in kept}
    counts = {(c.course_id, c.month, c.outcome, c.answer_working_days): c.count
              for c in db.session.scalars(select(ReferralCount))}
    no_answer_month = (now - due - dt.timedelta(seconds=1) - dt.timedelta(days=3)).strftime("%Y-%m")
    assert counts == {(course_a, "2026-11", "accepted", 3): 2, (course_b, no_answer_month, "no_answer", None): 1}
    # Nothing of the person, the worker or the service is in a count.
    assert {column.name for column in ReferralCount.__table__.columns} == {
        "id", "course_id", "month", "outcome", "answer_working_days", "count"}
    assert delete_old(now) == []


def test_the_jobs_are_in_the_schedule_and_run_with_the_others(app, people):
    make_referral("course-a", "worker-a@example.org", sent_at=dt.datetime(2026, 1, 5, 9, 0),
                  last_event_at=dt.datetime(2026, 1, 5, 9, 0))
    outcomes = {o.job: o for o in run_jobs(now=dt.datetime(2026, 2, 5, 9, 0), only=["referrals", "referral_purge"])}
    assert outcomes["referrals"].status == "ok" and "1 referral(s) closed" in outcomes["referrals"].summary
    assert outcomes["referral_purge"].status == "ok" and outcomes["referral_purge"].summary.startswith("0 referral")
    outcomes = {o.job: o for o in run_jobs(now=dt.datetime(2026, 5, 6, 9, 0), only=["referral_purge"])}
    assert outcomes["referral_purge"].summary.startswith("1 referral(s) deleted")
    assert db.session.scalar(select(func.count(Referral.id))) == 0


def test_the_command_line_shows_what_it_would_do(app, people):
    runner = app.test_cli_runner()
    old = make_referral("course-a", "worker-a@example.org", sent_at=dt.datetime(2025, 1, 5, 9, 0),
                        last_event_at=dt.datetime(2025, 1, 5, 9, 0), status="no_answer")
    waiting = make_referral("course-b", "worker-b@example.org", sent_at=dt.datetime(2025, 12, 1, 9, 0),
                            last_event_at=dt.datetime(2026, 11, 1, 9, 0))
    result = runner.invoke(args=["referrals", "purge", "--dry-run"])
    assert result.exit_code == 0 and f"would delete referral {old.id} to course-a" in result.output
    assert "nothing was deleted" in result.output and db.session.get(Referral, old.id) is not None
    result = runner.invoke(args=["referrals", "remind", "--dry-run"])
    assert f"would close referral {waiting.id}" in result.output and "nothing was sent" in result.output
    assert db.session.get(Referral, waiting.id).status == "sent" and mails() == []
    result = runner.invoke(args=["referrals", "purge"])
    assert "1 referral(s) deleted" in result.output
    result = runner.invoke(args=["referrals", "counts"])
    assert "2025-01  course-a  no_answer  -  1" in result.output
