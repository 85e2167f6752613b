"""`flask offer remind` with a fake clock: who is reminded, once, recorded; dry run sends nothing."""
from __future__ import annotations

import datetime as dt

import pytest
from babel.dates import format_date
from sqlalchemy import func, select

from portal.accounts.services import create_user
from portal.extensions import db
from portal.offer.rules import BRUSSELS
from portal.reminders.models import Reminder, ReminderCourse
from portal.workspace.services import confirm_all
from tests import factories as f
from tests.conftest import TODAY
from tests.people import mails, signed_in_client, with_second_factor

PASSWORD = "correct horse battery"


@pytest.fixture()
def offer(app_context):
    """op-a: one course confirmed 151 days ago (going stale), one 100 days ago (fresh), one draft
    confirmed long ago (not public: no reminder); op-b: an old course but no account."""
    old = (TODAY - dt.timedelta(days=151)).isoformat()
    f.load(f.document(
        f.operator("op-a", courses=[
            f.course("a-old", confirmed_at=old, title="Cours ancien"),
            f.course("a-fresh", confirmed_at=(TODAY - dt.timedelta(days=100)).isoformat()),
            f.course("a-draft", confirmed_at="2025-01-01", status="draft"),
        ]),
        f.operator("op-b", name="Opérateur B (test)", sites=[f.site("site-b", "4000", "Liège")],
                   courses=[f.course("b-old", "site-b", confirmed_at=old)]),
    ))
    create_user("a1@example.org", PASSWORD, "operator", operator_ref="op-a")
    create_user("a2@example.org", PASSWORD, "operator", operator_ref="op-a")


def remind(app, *args, today=None, monkeypatch=None):
    if today is not None:
        monkeypatch.setitem(app.config, "PASSERELLE_TODAY", today.isoformat())
    return app.test_cli_runner().invoke(args=["offer", "remind", *args])


def reminders_count() -> int:
    return db.session.scalar(select(func.count(Reminder.id)))


def test_dry_run_says_who_and_sends_nothing(app, offer):
    result = remind(app, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "op-a: would remind a1@example.org, a2@example.org of 1 course(s) (a-old)" in result.output
    assert "op-b: 1 course(s) going stale but no active account" in result.output
    assert "nothing was sent" in result.output
    assert reminders_count() == 0 and mails() == []


def test_reminder_is_sent_recorded_and_never_twice(app, offer):
    first = remind(app)
    assert first.exit_code == 0, first.output
    assert "op-a: reminded a1@example.org, a2@example.org of 1 course(s)" in first.output
    (mail,) = mails()
    assert mail["to"] == "a1@example.org, a2@example.org"
    assert "Cours ancien" in mail["body"] and "a-fresh" not in mail["body"]
    assert "https://passerelle.test/connexion?next=/espace/organismes/op-a" in mail["body"]
    reminder = db.session.scalar(select(Reminder))
    assert reminder.recipients == "a1@example.org, a2@example.org"
    assert [(rc.course.ref, rc.confirmed_at) for rc in reminder.courses] == [
        ("a-old", TODAY - dt.timedelta(days=151))]

    second = remind(app)
    assert "0 reminder(s) sent." in second.output and len(mails()) == 1
    assert reminders_count() == 1


def test_confirming_stops_reminders_until_the_course_ages_again(app, offer, monkeypatch):
    remind(app)
    operator = db.session.scalar(select(Reminder)).operator
    confirm_all(operator, TODAY)
    assert "0 reminder(s) sent." in remind(app).output
    later = TODAY + dt.timedelta(days=151)  # confirmed today, going stale again in 151 days
    result = remind(app, today=later, monkeypatch=monkeypatch)
    assert "op-a: reminded" in result.output and "2 course(s)" in result.output  # a-old and a-fresh
    assert reminders_count() == 2
    assert db.session.scalar(select(func.count()).select_from(ReminderCourse)) == 3


def test_coordinators_and_operators_see_the_last_reminder(app, offer):
    remind(app)
    # Stored in UTC, shown on Wallonia's calendar (between 23:00 and midnight UTC, the next day).
    sent_at = db.session.scalar(select(Reminder)).sent_at.replace(tzinfo=dt.UTC).astimezone(BRUSSELS)
    sent_on = format_date(sent_at, "long", locale="fr")
    with_second_factor(create_user("coord@example.org", PASSWORD, "coordinator", bassin="Namur"))
    client = signed_in_client(app, "coord@example.org")
    overview = client.get("/espace/").get_data(as_text=True)
    assert sent_on in overview  # the reminder's date, beside op-a
    operator_page = client.get("/espace/organismes/op-a").get_data(as_text=True)
    assert sent_on in operator_page


# -- "add the next session": every upcoming session closed its registrations ----------------------
@pytest.fixture()
def closed_offer(app_context):
    """op-c: a course whose only upcoming session's deadline passed, one with a later session still
    open, one full; its account c1."""
    day = lambda n: (TODAY + dt.timedelta(days=n)).isoformat()  # noqa: E731
    f.load(f.document(f.operator("op-c", name="Opérateur C (test)", courses=[
        f.course("c-closed", title="Cours fermé", entry_mode="fixed",
                 entries=[{"start": day(6), "registration_deadline": day(-16), "status": "open"}]),
        f.course("c-next", entry_mode="fixed",
                 entries=[{"start": day(6), "registration_deadline": day(-16), "status": "open"},
                          {"start": day(60), "registration_deadline": day(40), "status": "open"}]),
        f.course("c-full", entry_mode="fixed", entries=[{"start": day(6), "status": "full"}]),
    ])))
    create_user("c1@example.org", PASSWORD, "operator", operator_ref="op-c")


def test_operators_are_told_to_add_the_next_session_once(app, closed_offer):
    from portal.reminders.queries import plan_reminders
    from portal.reminders.services import reminder_message

    (plan,) = plan_reminders(TODAY)
    assert [c.ref for c in plan.closed] == ["c-closed"] and plan.courses == []
    subject, body = reminder_message(plan, TODAY)
    assert subject == "Passerelle : ajoutez la prochaine session de vos cours"
    assert "Cours fermé (Namur) — inscriptions closes le 11 novembre 2026" in body
    assert "ajoutez la prochaine session" in body and "pas été confirmé" not in body

    result = remind(app)
    assert "op-c: reminded c1@example.org of 1 course(s)" in result.output, result.output
    reasons = [(rc.course.ref, rc.reason) for rc in db.session.scalars(select(ReminderCourse))]
    assert reasons == [("c-closed", "registration_closed")]
    assert "0 reminder(s) sent." in remind(app).output


def test_adding_the_next_session_ends_the_notice(app, closed_offer):
    client = signed_in_client(app, "c1@example.org")
    page = client.get("/espace/organismes/op-c").get_data(as_text=True)
    assert "Les inscriptions sont closes pour toutes les prochaines sessions de 1 cours" in page
    assert "Inscriptions closes : ajoutez la prochaine session" in page
    day = lambda n: (TODAY + dt.timedelta(days=n)).isoformat()  # noqa: E731
    f.load(f.document(f.operator("op-c", name="Opérateur C (test)", courses=[
        f.course("c-closed", title="Cours fermé", entry_mode="fixed",
                 entries=[{"start": day(6), "registration_deadline": day(-16), "status": "open"},
                          {"start": day(90), "registration_deadline": day(70), "status": "open"}])])))
    page = client.get("/espace/organismes/op-c").get_data(as_text=True)
    assert "Inscriptions closes" not in page
    assert plan_reminders_refs() == []


def plan_reminders_refs() -> list[str]:
    from portal.reminders.queries import plan_reminders

    return [course.ref for plan in plan_reminders(TODAY) for course in plan.all_courses]


def test_the_daily_job_sends_the_reminders(app, closed_offer):
    from portal.jobs.services import run_jobs

    # The real clock: the outbox dates its messages with it ("today" stays fixed at TODAY).
    outcomes = {o.job: o for o in run_jobs(only=["reminders", "outbox"])}
    assert (outcomes["reminders"].status, outcomes["reminders"].summary) == ("ok", "1 reminder(s) sent")
    assert reminders_count() == 1
    # The outbox job runs after it: the e-mail leaves in the same call.
    assert outcomes["outbox"].status == "ok" and outcomes["outbox"].summary.startswith("outbox: 1 sent")
    assert plan_reminders_refs() == []
