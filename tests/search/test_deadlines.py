"""Registration deadlines on every public surface: a passed deadline closes the entry (domain.md's
joinable entry). Cards, course page, print view, embed, map data and the API read the same."""
from __future__ import annotations

import datetime as dt

import pytest

from tests import factories as f
from tests.html import parse

TODAY = dt.date(2026, 11, 27)


def days(n: int) -> str:
    return (TODAY + dt.timedelta(days=n)).isoformat()


@pytest.fixture()
def offer(app_context):
    """"S'inscrire avant le 11 novembre" for a start on 3 December: closed on 27 November."""
    f.load(f.document(f.operator("op-a", "Lire et Écrire Namur (test)", phone="+32 81 00 00 00", courses=[
        f.course("closed", title="Français oral du matin", entry_mode="fixed",
                 entries=[{"start": days(6), "registration_deadline": days(-16), "status": "open"}]),
        f.course("open-until", title="Alpha du soir", entry_mode="fixed",
                 entries=[{"start": days(6), "registration_deadline": days(-16), "status": "open"},
                          {"start": days(40), "registration_deadline": days(20), "status": "open"}]),
        f.course("full", title="Groupe complet", entry_mode="fixed",
                 entries=[{"start": days(6), "status": "full"}]),
    ]), f.operator("op-b", "Sans téléphone (test)", phone=None, sites=[f.site("site-b", "5100", "Jambes")], courses=[
        f.course("closed-no-phone", "site-b", title="Conversation", entry_mode="fixed",
                 entries=[{"start": days(3), "registration_deadline": days(-1), "status": "waiting_list"}]),
    ])))


def page(client, path, **params):
    response = client.get(path, query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return parse(response.get_data(as_text=True))


def card(doc, ref):
    return doc.one(f"article.card[data-ref={ref}]")


def words(node) -> str:
    return " ".join(node.text.split())


def test_cards_say_registrations_closed_with_what_to_do(client, offer):
    doc = page(client, "/")
    closed = card(doc, "closed")
    assert closed["data-availability"] == "closed"
    when = words(closed.one("p.when"))
    assert when == "Inscriptions closes — appelez pour la prochaine session : +32 81 00 00 00"
    assert "places libres" not in words(closed) and "Complet" not in when
    assert closed.select("p.deadline") == []  # a deadline that passed is not advertised
    assert "tel:+3281000000" in [a["href"] for a in closed.select("a[href]")]
    no_phone = words(card(doc, "closed-no-phone").one("p.when"))
    assert no_phone == "Inscriptions closes — demandez à l'organisme la prochaine session"
    assert words(card(doc, "full").one("p.when")).startswith("Complet — appelez pour la prochaine session")
    assert card(doc, "full")["data-availability"] == "full"


def test_the_next_joinable_entry_and_its_deadline_are_shown(client, offer):
    doc = page(client, "/", lang="en")
    later = card(doc, "open-until")
    assert later["data-availability"] == "later"
    assert "The next group starts on January 6, 2027" in words(later.one("p.when"))
    assert words(later.one("p.deadline")) == "Register before December 17, 2026"


def test_can_start_this_month_leaves_closed_entries_out(client, offer):
    doc = page(client, "/", start_until=days(31))
    refs = [c["data-ref"] for c in doc.select("section.results article.card")]
    assert refs == []
    doc = page(client, "/", start_until=days(60))
    assert [c["data-ref"] for c in doc.select("section.results article.card")] == ["open-until"]


def test_course_page_and_print_view(client, offer):
    doc = page(client, "/cours/closed")
    top = doc.one("header.course-header")
    assert "Inscriptions closes" in words(top.one("p.when"))
    rows = doc.select("ul.entry-cards li.entry-card")
    assert [row["class"] for row in rows] == ["entry-card entry-closed"]
    assert "Inscriptions closes" in words(rows[0])

    doc = page(client, "/cours/open-until", lang="en")
    top = doc.one("header.course-header")
    assert words(top.one("p.deadline")) == "Register before December 17, 2026"
    assert [row["class"] for row in doc.select("ul.entry-cards li")] == ["entry-card entry-closed",
                                                                       "entry-card entry-open"]

    doc = page(client, "/cours/closed/imprimer")
    sheet = words(doc.one("article.print-sheet"))
    assert "Inscriptions closes" in sheet and "+32 81 00 00 00" in sheet
    assert "s'inscrire avant" not in sheet.lower()  # the passed deadline is not an invitation


def test_embed_and_map_legend(client, offer):
    doc = page(client, "/embed")
    assert card(doc, "closed")["data-availability"] == "closed"
    doc = page(client, "/", near="5000")
    legend = [words(li) for li in doc.select("[data-map-legend] li")]
    assert "Inscriptions closes" in legend and "Complet" in legend
    panel = doc.one("[data-map-panel]")
    assert panel["data-label-closed"] == "Inscriptions closes"
