"""The daily job ``alerts``: each running alert is mailed, once, every entry that becomes joinable
among its search's courses; what was sent is logged; ended and unconfirmed alerts are forgotten.
A fixed clock, the outbox as the captured mail."""
from __future__ import annotations

import datetime as dt

from portal.alerts.services import run_alerts
from portal.extensions import db
from portal.jobs.schedule import JOBS, job_named
from portal.jobs.services import run_jobs
from tests import factories as f
from tests.alerts.conftest import NOW, namur_offer
from tests.alerts.helpers import alerts, ask, ask_and_confirm, headers_of, links_of, notices, outbox
from tests.conftest import TODAY


def send(now=NOW, today=TODAY, **options):
    return run_alerts(today, now, **options)


def news() -> list:
    """The alerts' e-mails (not the confirmations)."""
    return [message for message in outbox() if "confirmer" not in message.body and "confirm" not in message.subject]


def test_what_was_open_when_asked_is_not_mailed(client, offer, clock):
    ask_and_confirm(client)
    run = send()
    assert run.told == [] and news() == []
    assert "alerts: 0 e-mail(s) about 0 new entries" in run.summary()


def test_an_entry_that_becomes_joinable_is_mailed_once(client, offer, clock):
    alert = ask_and_confirm(client)
    # The full session opens, a new course opens in Namur; one in Liège and one at B2 do not match.
    f.load(namur_offer(**{
        "full-namur": f.course("full-namur", title="Français écrit A2", entry_mode="fixed",
                               entries=[{"start": "2027-02-01", "status": "waiting_list"}]),
        "new-namur": f.course("new-namur", title="Français du soir", active_from="2026-12-07"),
        "b2-other": f.course("b2-other", title="Français avancé", level_min="B2", level_max="C1"),
        "liege-new": f.course("liege-new", "site-liege", title="Nouveau à Liège"),
    }))
    clock.advance(days=1)
    run = send(now=clock.now)
    assert [len(matches) for _alert, matches in run.told] == [2]
    (message,) = news()
    assert message.recipients == "person@example.org" and message.holds_link
    assert message.subject == "Passerelle : 2 cours de votre recherche ouvrent"
    body = message.body
    assert body.index("Français du soir") < body.index("Français écrit A2")  # soonest first
    assert "Commencez quand vous voulez à partir du 7 décembre 2026" in body
    assert "Le prochain groupe commence le 1 février 2027 — liste d'attente" in body
    assert "Nouveau à Liège" not in body and "Français avancé" not in body and "Français oral A2" not in body
    assert "L'alerte s'arrête toute seule le 27 mai 2027." in body
    paths = links_of(body)
    assert "/cours/new-namur" in paths and "/cours/full-namur" in paths
    assert "/?level=A2&near=5000&radius_km=15" in paths  # the whole search
    stop = next(path for path in paths if path.startswith("/alerte/arreter/"))
    assert headers_of(message)["List-Unsubscribe"] == f"<https://passerelle.test{stop}>"
    # The log: what was known, what was sent.
    assert notices() == [(alert.id, "open-namur", "2027-01-11", False),
                         (alert.id, "new-namur", "rolling:2026-12-07", True),
                         (alert.id, "full-namur", "2027-02-01", True)]
    # Never twice, whatever happens to the entry afterwards.
    clock.advance(days=1)
    assert send(now=clock.now).told == [] and len(news()) == 1
    # A new session of a known course is a new entry.
    f.load(namur_offer(**{"open-namur": f.course(
        "open-namur", title="Français oral A2", entry_mode="fixed",
        entries=[{"start": "2027-01-11", "registration_deadline": "2027-01-04"}, {"start": "2027-04-19"}])}))
    send(now=clock.now)
    assert len(news()) == 2 and "19 avril 2027" in news()[-1].body and "11 janvier" not in news()[-1].body


def test_entries_one_cannot_join_are_not_mailed(client, offer, clock):
    ask_and_confirm(client)
    f.load(namur_offer(**{
        "closed": f.course("closed", title="Délai passé", entry_mode="fixed",
                           entries=[{"start": "2027-01-04", "registration_deadline": "2026-11-20"}]),
        "full": f.course("full", title="Complet", entry_mode="fixed",
                         entries=[{"start": "2027-01-04", "status": "full"}]),
        "past": f.course("past", title="Passé", entry_mode="fixed", entries=[{"start": "2026-11-02"}]),
        "over": f.course("over", title="Période finie", active_from="2026-01-01", active_until="2026-11-26"),
        "draft": f.course("draft", title="Brouillon", status="draft"),
        "old": f.course("old", title="Pas confirmé", confirmed_at="2025-11-01"),
    }))
    assert send().told == [] and news() == []


def test_the_search_window_applies_to_each_entry(client, offer, clock):
    ask_and_confirm(client, search="level=A2&start_until=2027-03-01")
    f.load(namur_offer(**{"two": f.course("two", title="Deux sessions", entry_mode="fixed",
                                          entries=[{"start": "2027-02-15"}, {"start": "2027-06-07"}])}))
    assert len(send().told) == 1
    (message,) = news()
    assert "15 février 2027" in message.body and "7 juin 2027" not in message.body


def test_the_job_mails_only_what_the_public_search_finds(client, app, offer, clock):
    """The job's courses are the search's: the same as the API's answer for the alert's query."""
    ask_and_confirm(client, search="kind=fle&near=5000&radius_km=100")
    f.load(namur_offer(**{
        "new-fle": f.course("new-fle", title="FLE nouveau", active_from="2026-12-01"),
        "new-ran": f.course("new-ran", title="RAN nouveau", kind="ran", active_from="2026-12-01"),
        "liege-fle": f.course("liege-fle", "site-liege", title="FLE Liège", active_from="2026-12-01"),
    }))
    (told,) = send().told
    mailed = {match.course.ref for match in told[1]}
    api = client.get("/api/v1/courses?kind=fle&near=5000&radius_km=100&per_page=100").get_json()
    found = {course["ref"] for course in api["items"]}
    # Known when asked: what one could join then (the full session is not joinable).
    assert mailed == found - {"open-namur", "full-namur", "b2-namur", "liege"} == {"new-fle", "liege-fle"}


def test_unconfirmed_alerts_get_nothing_and_are_forgotten_after_two_days(client, offer, clock):
    ask(client)
    f.load(namur_offer(**{"new-namur": f.course("new-namur", title="Français du soir")}))
    assert send().told == [] and news() == []
    run = send(now=NOW + dt.timedelta(hours=49))
    assert run.unconfirmed == 1 and alerts() == [] and notices() == []


def test_an_alert_ends_after_six_months_and_its_log_loses_the_address(client, offer, clock):
    ask_and_confirm(client)
    f.load(namur_offer(**{"new-namur": f.course("new-namur", title="Français du soir")}))
    send()
    f.load(namur_offer(**{"new-namur": f.course("new-namur", title="Français du soir"),
                          "later": f.course("later", title="Plus tard", confirmed_at="2027-05-01")}))
    send(now=dt.datetime(2027, 5, 3, 8, 0), today=dt.date(2027, 5, 3))
    assert len(news()) == 2
    ended = dt.datetime(2027, 5, 27, 8, 0)
    f.load(namur_offer(**{"new-namur": f.course("new-namur", title="Français du soir"),
                          "later": f.course("later", title="Plus tard", confirmed_at="2027-05-01"),
                          "last": f.course("last", title="Trop tard", confirmed_at="2027-05-01")}))
    run = send(now=ended, today=dt.date(2027, 5, 27))
    assert run.ended == 1 and run.told == [] and alerts() == [] and len(news()) == 2
    # What it sent in the last 90 days stays in the log, without the alert (so without the
    # address); what was known when it was asked, and what it sent before, goes.
    assert notices() == [(None, "later", "rolling:-", True)]
    run = send(now=dt.datetime(2027, 7, 31, 9, 0), today=dt.date(2027, 7, 31))
    assert run.old_log == 0 and len(notices()) == 1
    run = send(now=dt.datetime(2027, 8, 2, 9, 0), today=dt.date(2027, 8, 2))
    assert run.old_log == 1 and notices() == []


def test_at_most_ten_entries_are_written_out(client, offer, clock):
    ask_and_confirm(client, search="level=A2")
    f.load(namur_offer(**{f"new-{n}": f.course(f"new-{n}", title=f"Cours {n:02}") for n in range(12)}))
    send()
    (message,) = news()
    assert message.subject == "Passerelle : 12 cours de votre recherche ouvrent"
    assert message.body.count("/cours/new-") == 10 and "Et 2 autres." in message.body
    assert len([notice for notice in notices() if notice[3]]) == 12  # all of them are told (the link shows them)


def test_a_search_that_is_no_longer_valid_is_skipped(client, offer, clock):
    alert = ask_and_confirm(client)
    alert.query = "level=Z9"
    db.session.commit()
    run = send()
    assert run.invalid == 1 and run.told == []
    # Its links still work (it can be stopped), its search shown as nothing.
    assert client.get(links_of(outbox()[0].body)[0]).status_code == 200
    assert client.get(links_of(outbox()[0].body)[1]).status_code == 200 and alerts() == []


def test_the_job_is_scheduled_before_the_outbox_and_runs(client, app, offer, clock):
    names = [job.name for job in JOBS]
    assert names.index("alerts") < names.index("outbox")
    assert job_named("alerts").daily_at == dt.time(8, 0)
    ask_and_confirm(client)
    f.load(namur_offer(**{"new-namur": f.course("new-namur", title="Français du soir")}))
    (outcome,) = run_jobs(now=NOW, only=["alerts"])
    assert outcome.status == "ok" and outcome.summary.startswith("alerts: 1 e-mail(s) about 1 new entry")


def test_dry_run_says_what_it_would_send_and_changes_nothing(client, app, offer, clock):
    ask_and_confirm(client)
    f.load(namur_offer(**{"new-namur": f.course("new-namur", title="Français du soir")}))
    result = app.test_cli_runner().invoke(args=["alerts", "send", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "person@example.org, fr): would tell 1 entry: new-namur 2026-11-27" in result.output
    assert "nothing was sent" in result.output
    assert news() == [] and len(notices()) == 1
    result = app.test_cli_runner().invoke(args=["alerts", "send"])
    assert "told 1 entry" in result.output and len(news()) == 1


def test_mails_are_written_in_the_alerts_language(client, offer, clock):
    client.post("/alerte?near=5000&radius_km=15&level=A2&lang=en", data={"email": "en@example.org"})
    client.post(links_of(outbox()[0].body)[0])
    f.load(namur_offer(**{"new-namur": f.course("new-namur", title="Français du soir", active_from="2026-12-07")}))
    send()
    (message,) = news()
    assert message.subject == "Passerelle: a course like your search opens"
    assert "Start any time from December 7, 2026" in message.body
    assert "https://passerelle.test/cours/new-namur?lang=en" in message.body
    assert "This alert stops by itself on May 27, 2027." in message.body
