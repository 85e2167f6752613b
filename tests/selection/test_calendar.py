"""The calendar file: it parses (icalendar), and holds the right days — each joinable entry's
start and its registration deadline, a rolling course's first day when it is ahead — as all-day
events, written in the person's language."""
from __future__ import annotations

import datetime as dt

import icalendar
import pytest

from tests import factories as f


@pytest.fixture()
def offer(app_context):
    # Today is 2026-11-27 (tests/conftest.py).
    f.load(f.document(f.operator(courses=[
        f.course("fixed", title="Lire et écrire ensemble", entry_mode="fixed", entries=[
            {"start": "2026-11-02"},  # started already
            {"start": "2027-01-11", "registration_deadline": "2026-11-20"},  # registrations closed
            {"start": "2027-02-01", "registration_deadline": "2027-01-25"},
            {"start": "2027-03-01", "status": "full"},
            {"start": "2027-04-19", "status": "waiting_list"},
        ]),
        f.course("later", title="Conversation du soir", active_from="2027-01-04", active_until="2027-06-30"),
        f.course("now", title="Atelier ouvert", active_from="2026-09-01"),
    ])))


def _events(client, query: str) -> list[tuple[dt.date, str]]:
    response = client.get(f"/selection/calendrier.ics?{query}")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Content-Disposition"] == 'attachment; filename="passerelle-cours.ics"'
    calendar = icalendar.Calendar.from_ical(response.data)
    events = list(calendar.walk("VEVENT"))
    assert len({str(event["UID"]) for event in events}) == len(events)
    for event in events:
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert type(start) is dt.date and end == start + dt.timedelta(days=1)  # all-day events
    return [(event.decoded("DTSTART"), str(event["SUMMARY"])) for event in events]


def test_the_calendar_holds_the_entry_dates_and_deadlines(client, offer):
    events = _events(client, "sel=fixed,later,now&person=fr")
    assert [day for day, _summary in events] == [
        dt.date(2027, 1, 25), dt.date(2027, 2, 1), dt.date(2027, 4, 19), dt.date(2027, 1, 4)]
    summaries = [summary for _day, summary in events]
    assert summaries[0].endswith("Lire et écrire ensemble") and summaries[3].endswith("Conversation du soir")
    assert len(set(summaries[:2])) == 2  # a deadline and a start say so differently


def test_the_calendar_speaks_the_persons_language_and_links_the_course_page_in_it(client, offer):
    response = client.get("/selection/calendrier.ics?sel=fixed&person=uk")
    event = next(iter(icalendar.Calendar.from_ical(response.data).walk("VEVENT")))
    assert str(event["URL"]) == "https://passerelle.test/cours/fixed?lang=uk"
    assert "Телефон" in str(event["DESCRIPTION"])  # the Ukrainian catalogue's "Phone:"
    assert str(event["LOCATION"]) == "Centre, Rue de Fer 1, 5000 Namur"


def test_an_empty_or_bad_request(client, offer):
    assert _events(client, "sel=nothing") == []
    assert client.get("/selection/calendrier.ics?sel=fixed&person=zz").status_code == 400
