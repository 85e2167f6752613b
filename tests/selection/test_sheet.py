"""The sheet to hand over: the selected courses in French and in the person's language, each with
a QR code to its page in that language, a note typed on the page and never sent."""
from __future__ import annotations

import pytest

from tests import factories as f
from tests.html import parse


@pytest.fixture()
def offer(app_context):
    f.load(f.document(f.operator(
        phone="+32 81 22 33 44",
        courses=[
            f.course("fixed", title="Lire et écrire ensemble", kind="alpha_nf", level_min="alpha", level_max="A1",
                     entry_mode="fixed", childcare=True, entry_test=True, days=["mon", "thu"],
                     registration_note="Au guichet commun, le mardi.",
                     entries=[{"start": "2027-02-01", "registration_deadline": "2027-01-25"}]),
            f.course("rolling", title="Conversation du soir", parts_of_day=["evening"], cost_eur=20)])))


def _sheet(client, query: str, status: int = 200):
    response = client.get(f"/selection?{query}")
    assert response.status_code == status
    return parse(response.get_data(as_text=True))


def test_the_sheet_shows_each_course_in_french_and_in_the_persons_language(client, offer):
    page = _sheet(client, "sel=rolling,fixed&person=ar")
    courses = page.select(".sheet-course")
    assert [course.one("h3").text for course in courses] == ["Conversation du soir", "Lire et écrire ensemble"]
    fixed = courses[1]
    assert fixed.one("h3")["lang"] == "fr"
    french, arabic = fixed.select(".sheet-column")
    assert (french["lang"], french["dir"], arabic["lang"], arabic["dir"]) == ("fr", "ltr", "ar", "rtl")
    assert "Inscription avant le 25 janvier 2027" in french.text
    assert "lundi et jeudi" in french.text  # days as French writes a list
    assert "Garderie" in french.text and "Test de niveau" in french.text
    assert "يناير" in arabic.text  # the deadline's month in Arabic
    # What the operator wrote is shown once, as written; the phone in large digits.
    assert fixed.one(".sheet-phone").text == "+32 81 22 33 44"
    assert fixed.one(".sheet-phone")["href"] == "tel:+3281223344"
    assert "Au guichet commun, le mardi." in fixed.text and "Rue de Fer 1" in fixed.text and "Bus 4" in fixed.text
    # The QR code's address, said in words for screen readers: the course page in Arabic.
    assert "https://passerelle.test/cours/fixed?lang=ar" in fixed.one(".sheet-qr figcaption").text
    assert fixed.one(".sheet-qr svg")["aria-hidden"] == "true"
    assert "https://passerelle.test/" in page.one(".sheet-foot").text


def test_the_reception_languages_are_named_in_each_language(client, offer):
    from sqlalchemy import select

    from portal.extensions import db
    from portal.offer.models import Site

    db.session.scalar(select(Site)).reception_languages = ["ar", "en"]
    db.session.commit()
    french, ukrainian = _sheet(client, "sel=fixed&person=uk").select(".sheet-column")
    assert "arabe et anglais" in french.text
    assert "арабська" in ukrainian.text and "англійська" in ukrainian.text
    # When the reception speaks the person's language, the paper says just that, in both columns.
    french, arabic = _sheet(client, "sel=fixed&person=ar").select(".sheet-column")
    assert "On parle arabe à l'accueil." in french.text and "anglais" not in french.text
    assert "العربية" in arabic.text and "الإنجليزية" not in arabic.text


def test_the_persons_language_defaults_to_the_page_language(client, offer):
    page = _sheet(client, "sel=fixed&lang=uk")
    assert [column["lang"] for column in page.select(".sheet-column")] == ["fr", "uk"]
    assert page.one("#person option[selected]")["value"] == "uk"
    # The person reads it in their own language on a phone: their column comes first there.
    assert page.select(".sheet-columns-person-first")
    # A French page: one French column until a language is chosen.
    page = _sheet(client, "sel=fixed")
    assert [column["lang"] for column in page.select(".sheet-column")] == ["fr"]


def test_a_language_that_is_not_offered_is_an_error_beside_the_field(client, offer):
    page = _sheet(client, "sel=fixed&person=xx", status=400)
    assert page.one("#person")["aria-invalid"] == "true"
    assert page.one("#error-person").text
    assert page.select(".sheet-course")  # nothing lost


def test_the_worker_note_is_never_sent(client, offer):
    page = _sheet(client, "sel=fixed&person=ar")
    note = page.one("textarea#worker-note")
    assert not note.has("name") and note.closest("form") is None
    assert page.one("label[for=worker-note]")


def test_the_language_form_keeps_the_selection_and_the_page_language(client, offer):
    page = _sheet(client, "sel=fixed,rolling&person=ar&lang=nl")
    form = page.one("form.sheet-language")
    assert form["method"] == "get"
    hidden = {field["name"]: field["value"] for field in form.select("input[type=hidden]")}
    assert hidden == {"sel": "fixed,rolling", "lang": "nl"}


def test_an_empty_or_outdated_selection_says_so(client, offer):
    page = _sheet(client, "")
    assert page.select(".sheet") == [] and page.select(".sheet-tools .notice")
    page = _sheet(client, "sel=fixed,gone-course&person=ar")
    assert len(page.select(".sheet-course")) == 1
    assert page.one(".sheet-tools .notice").text.startswith("1 ")


def test_more_courses_than_a_page_holds_are_all_there(client, offer, app_context):
    f.load_courses(*[f.course(f"more-{n}", title=f"Cours {n}") for n in range(10)])
    refs = ",".join(f"more-{n}" for n in range(10))
    assert len(_sheet(client, f"sel={refs},fixed,rolling&person=ar").select(".sheet-course")) == 12
